//! Name resolution as a pod sees it: `/etc/hosts`, then CoreDNS with the search path the
//! kubelet writes into every pod's `resolv.conf`:
//!
//! ```text
//! search <ns>.svc.cluster.local svc.cluster.local cluster.local
//! options ndots:5
//! ```
//!
//! So from namespace `default`, `demoapp-svc`, `demoapp-svc.default`, `demoapp-svc.default.svc`
//! and `demoapp-svc.default.svc.cluster.local` all reach the same Service. A node uses its own
//! resolver, which knows nothing about cluster names.

use super::ClusterView;
use crate::rng::Rng;
use std::fmt;
use std::net::Ipv4Addr;

/// The cluster domain kubeadm configures.
pub const CLUSTER_DOMAIN: &str = "cluster.local";

/// glibc gives up on a name once every candidate failed; curl reports it with exit code 6.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolveError {
    /// The name as the user typed it.
    pub host: String,
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Could not resolve host: {}", self.host)
    }
}

impl std::error::Error for ResolveError {}

/// Resolves `host` for a client in `namespace` (`None` for a node). Returns an IPv4 address.
///
/// Headless Services (`clusterIP: None`) answer with their ready pod IPs; CoreDNS's
/// `loadbalance` plugin shuffles them and curl takes the first, hence `rng`.
pub fn resolve(
    cluster: &impl ClusterView,
    namespace: Option<&str>,
    host: &str,
    rng: &mut Rng,
) -> Result<String, ResolveError> {
    let failure = || ResolveError {
        host: host.to_string(),
    };
    let name = host.trim().to_ascii_lowercase();
    if name.parse::<Ipv4Addr>().is_ok() {
        return Ok(name);
    }
    if name == "localhost" || name == "localhost.localdomain" {
        return Ok("127.0.0.1".to_string());
    }
    if let Some(ip) = cluster.host_alias(&name) {
        return Ok(ip);
    }
    let Some(namespace) = namespace else {
        return Err(failure());
    };
    if name.is_empty() || name.len() > 253 {
        return Err(failure());
    }
    for candidate in candidates(&name, namespace) {
        if let Some(ip) = lookup_fqdn(cluster, &candidate, rng) {
            return Ok(ip);
        }
    }
    Err(failure())
}

/// The fully qualified names glibc tries, in order.
fn candidates(name: &str, namespace: &str) -> Vec<String> {
    if let Some(absolute) = name.strip_suffix('.') {
        return vec![absolute.to_string()];
    }
    let search = [
        format!("{namespace}.svc.{CLUSTER_DOMAIN}"),
        format!("svc.{CLUSTER_DOMAIN}"),
        CLUSTER_DOMAIN.to_string(),
    ];
    let expanded = search.iter().map(|domain| format!("{name}.{domain}"));
    // ndots:5 — a name with fewer than five dots is tried with the search path first.
    if name.matches('.').count() >= 5 {
        std::iter::once(name.to_string()).chain(expanded).collect()
    } else {
        expanded.chain(std::iter::once(name.to_string())).collect()
    }
}

/// CoreDNS's `kubernetes` plugin: `<svc>.<ns>.svc.cluster.local` and
/// `<a-b-c-d>.<ns>.pod.cluster.local`.
fn lookup_fqdn(cluster: &impl ClusterView, fqdn: &str, rng: &mut Rng) -> Option<String> {
    let zone = fqdn.strip_suffix(CLUSTER_DOMAIN)?.strip_suffix('.')?;
    let mut labels = zone.rsplit('.');
    let kind = labels.next()?;
    let namespace = labels.next()?;
    let name = labels.next()?;
    if labels.next().is_some() {
        return None;
    }
    match kind {
        "svc" => service_address(cluster, namespace, name, rng),
        // `pods insecure`: CoreDNS answers any well-formed dashed address.
        "pod" => name
            .replace('-', ".")
            .parse::<Ipv4Addr>()
            .ok()
            .map(|ip| ip.to_string()),
        _ => None,
    }
}

fn service_address(
    cluster: &impl ClusterView,
    namespace: &str,
    name: &str,
    rng: &mut Rng,
) -> Option<String> {
    let service = cluster
        .services()
        .find(|s| s.metadata.namespace == namespace && s.metadata.name == name)?;
    let ip = service.spec.cluster_ip.as_str();
    if ip.eq_ignore_ascii_case("none") {
        let endpoints = cluster.endpoints(namespace, name)?;
        let ready: Vec<&str> = endpoints
            .subsets
            .iter()
            .flat_map(|subset| subset.addresses.iter().map(|a| a.ip.as_str()))
            .collect();
        let pick = rng.below(ready.len() as u64) as usize;
        return ready.get(pick).map(|ip| ip.to_string());
    }
    (!ip.is_empty()).then(|| ip.to_string())
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{service, Fixture};
    use super::*;

    fn cluster() -> Fixture {
        let mut cluster = Fixture::default();
        cluster
            .services
            .push(service("default", "demoapp-svc", "10.103.99.11", 80));
        cluster
            .services
            .push(service("prod", "demoapp-svc", "10.103.99.22", 80));
        cluster
    }

    fn lookup(namespace: Option<&str>, host: &str) -> Result<String, String> {
        resolve(&cluster(), namespace, host, &mut Rng::new(1)).map_err(|e| e.to_string())
    }

    #[test]
    fn every_service_name_form_resolves_from_the_same_namespace() {
        for host in [
            "demoapp-svc",
            "demoapp-svc.default",
            "demoapp-svc.default.svc",
            "demoapp-svc.default.svc.cluster.local",
            "demoapp-svc.default.svc.cluster.local.",
            "DEMOAPP-SVC.Default",
        ] {
            assert_eq!(
                lookup(Some("default"), host),
                Ok("10.103.99.11".into()),
                "{host}"
            );
        }
    }

    #[test]
    fn a_short_name_resolves_in_the_clients_own_namespace() {
        assert_eq!(
            lookup(Some("prod"), "demoapp-svc"),
            Ok("10.103.99.22".into())
        );
        assert_eq!(
            lookup(Some("prod"), "demoapp-svc.default"),
            Ok("10.103.99.11".into())
        );
    }

    #[test]
    fn ip_addresses_and_pod_names_need_no_service() {
        assert_eq!(
            lookup(Some("default"), "10.244.1.7"),
            Ok("10.244.1.7".into())
        );
        assert_eq!(
            lookup(Some("default"), "10-244-1-7.default.pod.cluster.local"),
            Ok("10.244.1.7".into())
        );
        assert_eq!(lookup(None, "localhost"), Ok("127.0.0.1".into()));
    }

    #[test]
    fn unknown_names_fail_with_curls_message() {
        assert_eq!(
            lookup(Some("default"), "demoapp"),
            Err("Could not resolve host: demoapp".into())
        );
        assert_eq!(
            lookup(Some("default"), "demoapp-svc.nope"),
            Err("Could not resolve host: demoapp-svc.nope".into())
        );
    }

    #[test]
    fn a_node_does_not_use_cluster_dns() {
        assert!(lookup(None, "demoapp-svc.default.svc.cluster.local").is_err());
    }

    #[test]
    fn absurd_names_fail_instead_of_panicking() {
        for host in [
            "",
            ".",
            "..",
            "a..b",
            &"x.".repeat(300),
            "svc.cluster.local",
            "\u{1F600}",
        ] {
            assert!(lookup(Some("default"), host).is_err(), "{host}");
        }
    }
}
