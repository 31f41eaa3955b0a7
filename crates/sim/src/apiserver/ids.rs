//! Identities the API server and the network hand out: UIDs, pod IPs, Service IPs and node
//! ports. All drawn deterministically from the cluster's RNG or counters.

use crate::rng::Rng;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, Default)]
pub struct Ids {
    /// Per node (by the third octet of its pod CIDR): addresses in use, and the last handed out.
    pod_ips: BTreeMap<u8, (BTreeSet<u8>, u8)>,
    service_ips: BTreeSet<u32>,
    node_ports: BTreeSet<i32>,
}

impl Ids {
    /// A UID in the UUID layout the API server uses.
    pub fn uid(&mut self, rng: &mut Rng) -> String {
        let a = rng.next_u64();
        let b = rng.next_u64();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            (a >> 32) as u32,
            (a >> 16) as u16,
            (a as u16) & 0x0fff,
            ((b >> 48) as u16 & 0x3fff) | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }

    /// The next free address in `10.244.<octet>.0/24`, in order like host-local IPAM,
    /// wrapping around and skipping addresses still in use. `None` when the node is full.
    pub fn allocate_pod_ip(&mut self, octet: u8) -> Option<String> {
        let (used, last) = self
            .pod_ips
            .entry(octet)
            .or_insert_with(|| (BTreeSet::new(), 1));
        for step in 1..=253i32 {
            let candidate = ((i32::from(*last) - 2 + step).rem_euclid(253) + 2) as u8;
            if used.insert(candidate) {
                *last = candidate;
                return Some(format!("10.244.{octet}.{candidate}"));
            }
        }
        None
    }

    pub fn release_pod_ip(&mut self, ip: &str) {
        let mut parts = ip.split('.').skip(2).filter_map(|p| p.parse::<u8>().ok());
        if let (Some(octet), Some(host)) = (parts.next(), parts.next()) {
            if let Some((used, _)) = self.pod_ips.get_mut(&octet) {
                used.remove(&host);
            }
        }
    }

    /// A random free address in the Service CIDR 10.96.0.0/12, like the API server's
    /// allocator (10.96.0.1 is the `kubernetes` Service's, reserved up front).
    pub fn allocate_service_ip(&mut self, rng: &mut Rng) -> String {
        const BASE: u32 = 10 << 24 | 96 << 16;
        const SIZE: u64 = 1 << 20;
        for _ in 0..1000 {
            let offset = rng.between(11, SIZE - 2) as u32;
            if self.service_ips.insert(offset) {
                return ipv4(BASE + offset);
            }
        }
        ipv4(BASE + 10)
    }

    pub fn reserve_service_ip(&mut self, ip: &str) -> bool {
        match parse_ipv4(ip) {
            Some(addr) if addr >> 20 == (10 << 4 | 96 >> 4) => {
                self.service_ips.insert(addr & 0xfffff)
            }
            _ => false,
        }
    }

    pub fn release_service_ip(&mut self, ip: &str) {
        if let Some(addr) = parse_ipv4(ip) {
            self.service_ips.remove(&(addr & 0xfffff));
        }
    }

    /// A random free port in 30000–32767 for a NodePort Service.
    pub fn allocate_node_port(&mut self, rng: &mut Rng) -> Option<i32> {
        for _ in 0..5000 {
            let port = rng.between(30000, 32767) as i32;
            if self.node_ports.insert(port) {
                return Some(port);
            }
        }
        None
    }

    pub fn reserve_node_port(&mut self, port: i32) -> bool {
        self.node_ports.insert(port)
    }

    pub fn release_node_port(&mut self, port: i32) {
        self.node_ports.remove(&port);
    }
}

fn ipv4(addr: u32) -> String {
    format!(
        "{}.{}.{}.{}",
        addr >> 24,
        (addr >> 16) & 255,
        (addr >> 8) & 255,
        addr & 255
    )
}

fn parse_ipv4(ip: &str) -> Option<u32> {
    let mut addr = 0u32;
    let mut count = 0;
    for part in ip.split('.') {
        addr = addr << 8 | u32::from(part.parse::<u8>().ok()?);
        count += 1;
    }
    (count == 4).then_some(addr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_ips_are_handed_out_in_order_and_reused_after_wrapping() {
        let mut ids = Ids::default();
        assert_eq!(ids.allocate_pod_ip(1).as_deref(), Some("10.244.1.2"));
        assert_eq!(ids.allocate_pod_ip(1).as_deref(), Some("10.244.1.3"));
        ids.release_pod_ip("10.244.1.2");
        assert_eq!(ids.allocate_pod_ip(1).as_deref(), Some("10.244.1.4"));
        for _ in 0..250 {
            ids.allocate_pod_ip(1);
        }
        // Wrapped around: the released .2 is the last free address.
        assert_eq!(ids.allocate_pod_ip(1).as_deref(), Some("10.244.1.2"));
        assert_eq!(ids.allocate_pod_ip(1), None);
    }

    #[test]
    fn service_ips_fall_in_the_service_cidr() {
        let mut ids = Ids::default();
        let mut rng = Rng::new(5);
        assert!(ids.reserve_service_ip("10.96.0.1"));
        for _ in 0..100 {
            let ip = ids.allocate_service_ip(&mut rng);
            let addr = parse_ipv4(&ip).unwrap_or_default();
            assert!((0x0a60_0000..0x0a70_0000).contains(&addr), "{ip}");
        }
    }
}
