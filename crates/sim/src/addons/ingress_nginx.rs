//! ingress-nginx, installed: the controller that serves `Ingress` objects of class `nginx`.
//!
//! Its controller writes the load balancer's address into every Ingress it serves (kubectl's
//! ADDRESS column) and says so in a `Sync` event; its proxy listens on that address and on
//! every node's port 80, and routes by `crate::network::ingress_nginx`'s rules (host, path,
//! canary by header, cookie and weight).

use crate::cluster::{reference, Addon, Cluster, ObjectKey};
use crate::network::ingress_nginx::ClassFilter;
use crate::network::IngressController;
use crate::objects::{EventType, Kind};

/// The controller's LoadBalancer address, as the course's cluster (MetalLB) gives it.
pub const ADDRESS: &str = "10.0.0.200";
/// The controller pod's IP: what every proxied request shows as its client.
const POD_IP: &str = "10.244.0.10";
/// The component name its events carry.
const SOURCE: &str = "nginx-ingress-controller";

/// The installed controller. It keeps no state of its own between rounds: what it has done
/// is visible in the Ingresses' status.
#[derive(Clone, Debug, Default)]
pub struct IngressNginxAddon {
    class: ClassFilter,
}

impl Addon for IngressNginxAddon {
    fn name(&self) -> &'static str {
        "ingress-nginx"
    }

    /// The controller's sync: every Ingress it serves that does not show its address yet
    /// gets it, and a `Sync` event.
    fn reconcile(&mut self, cluster: &mut Cluster) -> bool {
        let unsynced: Vec<ObjectKey> = cluster
            .api
            .store
            .ingresses
            .iter()
            .filter(|(_, ingress)| {
                let served = match &ingress.spec.ingress_class_name {
                    Some(name) => *name == self.class.class,
                    None => self.class.accept_classless,
                };
                served && ingress.status.load_balancer_ips != [ADDRESS]
            })
            .map(|(key, _)| key.clone())
            .collect();
        let wrote = !unsynced.is_empty();
        for key in unsynced {
            let Some(ingress) = cluster.api.store.ingresses.get_mut(&key) else {
                continue;
            };
            ingress.status.load_balancer_ips = vec![ADDRESS.to_string()];
            let object = reference(Kind::Ingress, &ingress.metadata);
            cluster.api.record(
                object,
                EventType::Normal,
                "Sync",
                "Scheduled for sync".to_string(),
                SOURCE,
                None,
            );
        }
        wrote
    }

    /// Its proxy: the LoadBalancer address and every node's port 80 (hostNetwork).
    fn ingress_controller(&self, cluster: &Cluster) -> Option<IngressController> {
        let mut addresses = vec![ADDRESS.to_string()];
        addresses.extend(
            cluster
                .api
                .store
                .nodes
                .values()
                .map(|node| node.internal_ip().to_string()),
        );
        Some(IngressController {
            addresses,
            pod_ip: POD_IP.to_string(),
            class: self.class.clone(),
        })
    }

    fn clone_box(&self) -> Box<dyn Addon> {
        Box::new(self.clone())
    }
}
