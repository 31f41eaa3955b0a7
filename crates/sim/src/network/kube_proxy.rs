//! kube-proxy in iptables mode: a Service's ClusterIP is a rule, not a process. Each **new
//! connection** to `ClusterIP:port` is sent to one **ready** endpoint chosen uniformly at
//! random (`-m statistic --mode random --probability 1/(n-i)` chains), so a `while true; do
//! curl …; done` loop shows a random sequence, not an alternation, and a canary with one of
//! four pods gets about a quarter of the requests.
//!
//! `sessionAffinity: ClientIP` adds the `recent` match: a client IP that connected within
//! `timeoutSeconds` (default 10800) goes back to the same endpoint, and every connection
//! refreshes that timer.

use crate::clock::{Duration, Time};
use crate::objects::{Endpoints, IntOrString, Pod, Service, ServicePort, SessionAffinity};
use crate::rng::Rng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// kube-proxy's default for `sessionAffinityConfig.clientIP.timeoutSeconds`.
pub const DEFAULT_AFFINITY_TIMEOUT_SECONDS: i64 = 10_800;

/// One address:port traffic can be sent to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    pub ip: String,
    pub port: u16,
    /// The pod behind the address (from `targetRef`), when the endpoints controller set it.
    pub pod_name: Option<String>,
}

/// The part of kube-proxy that remembers something between connections: ClientIP affinity.
/// Owned and cloned by the cluster with the rest of the network state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KubeProxy {
    /// `(namespace/service:port, client IP)` → where that client was last sent.
    affinity: BTreeMap<(String, String), Sticky>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Sticky {
    endpoint_ip: String,
    last_seen: Time,
}

impl KubeProxy {
    /// Picks the endpoint for one new connection from `client_ip` to `service`'s `port`.
    /// `None` means there is no ready endpoint: kube-proxy's REJECT rule answers, and the
    /// client sees "connection refused".
    pub fn pick(
        &mut self,
        service: &Service,
        port: &ServicePort,
        endpoints: Option<&Endpoints>,
        client_ip: &str,
        now: Time,
        rng: &mut Rng,
    ) -> Option<Endpoint> {
        let ready = ready_endpoints(port, endpoints);
        if ready.is_empty() {
            return None;
        }
        if service.spec.session_affinity != SessionAffinity::ClientIP {
            let index = rng.below(ready.len() as u64) as usize;
            return ready.into_iter().nth(index);
        }
        let key = (
            format!(
                "{}/{}:{}",
                service.metadata.namespace, service.metadata.name, port.port
            ),
            client_ip.to_string(),
        );
        let timeout = Duration::from_secs(
            service
                .spec
                .session_affinity_timeout_seconds
                .map_or(DEFAULT_AFFINITY_TIMEOUT_SECONDS, i64::from),
        );
        let remembered = self.affinity.get(&key).and_then(|sticky| {
            let fresh = now - sticky.last_seen < timeout;
            // A remembered endpoint that is no longer ready has lost its rule.
            ready
                .iter()
                .find(|e| fresh && e.ip == sticky.endpoint_ip)
                .cloned()
        });
        let chosen = match remembered {
            Some(endpoint) => endpoint,
            None => {
                let index = rng.below(ready.len() as u64) as usize;
                ready.into_iter().nth(index)?
            }
        };
        self.affinity.insert(
            key,
            Sticky {
                endpoint_ip: chosen.ip.clone(),
                last_seen: now,
            },
        );
        Some(chosen)
    }

    /// Drops affinity entries older than the longest possible timeout, so a long session
    /// does not grow the state. Optional: expired entries are ignored anyway.
    pub fn forget_before(&mut self, cutoff: Time) {
        self.affinity
            .retain(|_, sticky| !sticky.last_seen.before(cutoff));
    }
}

/// The Service port whose `port` is `number` (what a client connects to).
pub fn service_port(service: &Service, number: u16) -> Option<&ServicePort> {
    service
        .spec
        .ports
        .iter()
        .find(|p| p.port == i32::from(number) && (p.protocol.is_empty() || p.protocol == "TCP"))
}

/// The ready addresses of `endpoints` for one Service port, with the port number the pods
/// listen on. The endpoints controller has already resolved `targetPort` into each subset's
/// `ports`, matched by port name; a subset that lists no ports falls back to a numeric
/// `targetPort` (or `port`).
pub fn ready_endpoints(port: &ServicePort, endpoints: Option<&Endpoints>) -> Vec<Endpoint> {
    let Some(endpoints) = endpoints else {
        return Vec::new();
    };
    let wanted_name = port.name.as_deref().unwrap_or("");
    let fallback = match &port.target_port {
        Some(IntOrString::Int(number)) => Some(*number),
        Some(IntOrString::String(_)) => None,
        None => Some(port.port),
    };
    let mut out = Vec::new();
    for subset in &endpoints.subsets {
        let number = if subset.ports.is_empty() {
            fallback
        } else {
            subset
                .ports
                .iter()
                .find(|p| p.name.as_deref().unwrap_or("") == wanted_name)
                .map(|p| p.port)
        };
        let Some(number) = number.and_then(|n| u16::try_from(n).ok()) else {
            continue;
        };
        out.extend(subset.addresses.iter().map(|address| Endpoint {
            ip: address.ip.clone(),
            port: number,
            pod_name: address.target_ref.as_ref().map(|r| r.name.clone()),
        }));
    }
    out
}

/// The container port a Service port reaches on one pod, as the endpoints controller
/// resolves it (upstream `podutil.FindPort`): a number is used as is; a name is looked up
/// among the pod's container ports, and a pod without that name is not an endpoint for this
/// port. `None` for an unset `targetPort` means "same as `port`".
pub fn target_port_for_pod(port: &ServicePort, pod: &Pod) -> Option<i32> {
    match &port.target_port {
        None => Some(port.port),
        Some(IntOrString::Int(number)) => Some(*number),
        Some(IntOrString::String(name)) => pod
            .spec
            .containers
            .iter()
            .flat_map(|c| c.ports.iter())
            .find(|p| p.name.as_deref() == Some(name.as_str()))
            .map(|p| p.container_port),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{endpoints, service};
    use super::*;
    use crate::objects::{Container, ContainerPort, EndpointAddress};

    fn four_ready_one_not() -> (Service, Endpoints) {
        let svc = service("default", "demoapp-svc", "10.103.99.11", 80);
        let mut eps = endpoints(
            "default",
            "demoapp-svc",
            &["10.244.1.2", "10.244.2.3", "10.244.3.4", "10.244.4.5"],
            80,
        );
        eps.subsets[0].not_ready_addresses.push(EndpointAddress {
            ip: "10.244.9.9".into(),
            ..EndpointAddress::default()
        });
        (svc, eps)
    }

    #[test]
    fn four_ready_endpoints_each_get_a_quarter_and_the_unready_one_nothing() {
        let (svc, eps) = four_ready_one_not();
        let mut proxy = KubeProxy::default();
        let mut rng = Rng::new(42);
        let mut counts: BTreeMap<String, u32> = BTreeMap::new();
        for i in 0..10_000 {
            let chosen = proxy
                .pick(
                    &svc,
                    &svc.spec.ports[0],
                    Some(&eps),
                    "10.244.3.74",
                    Time(i),
                    &mut rng,
                )
                .expect("four endpoints are ready");
            *counts.entry(chosen.ip).or_default() += 1;
        }
        assert_eq!(counts.len(), 4, "{counts:?}");
        assert!(!counts.contains_key("10.244.9.9"));
        for (ip, count) in counts {
            assert!((2_300..=2_700).contains(&count), "{ip} got {count}");
        }
    }

    #[test]
    fn the_sequence_is_random_not_an_alternation() {
        let (svc, eps) = four_ready_one_not();
        let mut proxy = KubeProxy::default();
        let mut rng = Rng::new(7);
        let picks: Vec<String> = (0..12)
            .filter_map(|_| {
                proxy.pick(&svc, &svc.spec.ports[0], Some(&eps), "c", Time(0), &mut rng)
            })
            .map(|e| e.ip)
            .collect();
        assert!(picks.windows(2).any(|w| w[0] == w[1]), "{picks:?}");
    }

    #[test]
    fn no_ready_endpoint_means_no_pick() {
        let (svc, mut eps) = four_ready_one_not();
        eps.subsets[0].addresses.clear();
        let mut proxy = KubeProxy::default();
        let picked = proxy.pick(
            &svc,
            &svc.spec.ports[0],
            Some(&eps),
            "c",
            Time(0),
            &mut Rng::new(1),
        );
        assert_eq!(picked, None);
        assert_eq!(
            proxy.pick(
                &svc,
                &svc.spec.ports[0],
                None,
                "c",
                Time(0),
                &mut Rng::new(1)
            ),
            None
        );
    }

    #[test]
    fn client_ip_affinity_sticks_until_it_times_out() {
        let (mut svc, eps) = four_ready_one_not();
        svc.spec.session_affinity = SessionAffinity::ClientIP;
        svc.spec.session_affinity_timeout_seconds = Some(60);
        let port = svc.spec.ports[0].clone();
        let mut proxy = KubeProxy::default();
        let mut rng = Rng::new(3);
        let first = proxy.pick(&svc, &port, Some(&eps), "10.244.3.74", Time(0), &mut rng);
        for second in 1..=100 {
            // Each connection refreshes the timer, so 59 s gaps never expire it.
            let at = Time(second * 59_000);
            assert_eq!(
                proxy.pick(&svc, &port, Some(&eps), "10.244.3.74", at, &mut rng),
                first
            );
        }
        let after_silence = Time(100 * 59_000 + 60_000);
        let mut changed = false;
        let mut at = after_silence;
        for _ in 0..20 {
            let next = proxy.pick(&svc, &port, Some(&eps), "10.244.3.74", at, &mut rng);
            changed |= next != first;
            at = at + Duration::from_secs(61);
        }
        assert!(
            changed,
            "a fresh random pick after each timeout eventually differs"
        );
    }

    #[test]
    fn affinity_is_per_client_and_leaves_an_endpoint_that_is_no_longer_ready() {
        let (mut svc, mut eps) = four_ready_one_not();
        svc.spec.session_affinity = SessionAffinity::ClientIP;
        let port = svc.spec.ports[0].clone();
        let mut proxy = KubeProxy::default();
        let mut rng = Rng::new(5);
        let Some(first) = proxy.pick(&svc, &port, Some(&eps), "a", Time(0), &mut rng) else {
            panic!("ready endpoints exist");
        };
        eps.subsets[0].addresses.retain(|a| a.ip != first.ip);
        let next = proxy.pick(&svc, &port, Some(&eps), "a", Time(1), &mut rng);
        assert!(next.is_some_and(|e| e.ip != first.ip));
    }

    #[test]
    fn a_named_target_port_resolves_through_the_pods_container_ports() {
        let mut port = ServicePort {
            name: Some("http".into()),
            port: 80,
            target_port: Some(IntOrString::String("web".into())),
            ..ServicePort::default()
        };
        let mut pod = Pod::default();
        pod.spec.containers.push(Container {
            name: "demoapp".into(),
            image: "ikubernetes/demoapp:v1.0".into(),
            ports: vec![ContainerPort {
                name: Some("web".into()),
                container_port: 8080,
            }],
            ..Container::default()
        });
        assert_eq!(target_port_for_pod(&port, &pod), Some(8080));
        port.target_port = Some(IntOrString::String("nope".into()));
        assert_eq!(target_port_for_pod(&port, &pod), None);
        port.target_port = None;
        assert_eq!(target_port_for_pod(&port, &pod), Some(80));
    }

    #[test]
    fn endpoint_ports_are_matched_by_service_port_name() {
        let mut eps = endpoints("default", "s", &["10.244.1.2"], 8080);
        eps.subsets[0].ports[0].name = Some("http".into());
        let port = ServicePort {
            name: Some("http".into()),
            port: 80,
            ..ServicePort::default()
        };
        let ready = ready_endpoints(&port, Some(&eps));
        assert_eq!(ready.len(), 1);
        assert_eq!(ready[0].port, 8080);
        let other = ServicePort {
            name: Some("metrics".into()),
            ..port
        };
        assert!(ready_endpoints(&other, Some(&eps)).is_empty());
    }
}
