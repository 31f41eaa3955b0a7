//! The endpoints controller: a Service's Endpoints list the pods its selector matches —
//! ready ones under `addresses` (they get traffic), the rest under `notReadyAddresses`.
//! Terminating pods leave at once.

use super::Controllers;
use crate::apiserver::{reference, ObjectKey};
use crate::objects::{
    EndpointAddress, EndpointPort, EndpointSubset, Endpoints, IntOrString, Kind, Pod, Service,
};

impl Controllers<'_> {
    pub(crate) fn sync_endpoints(&mut self) {
        let keys: Vec<ObjectKey> = self.api.store.services.keys().cloned().collect();
        for key in keys {
            let Some(service) = self.api.store.services.get(&key).cloned() else {
                continue;
            };
            // A Service without a selector has hand-managed Endpoints.
            if service.spec.selector.is_empty() {
                continue;
            }
            let subsets = endpoint_subsets(&service, self.api.store.pods_in(&key.namespace));
            let existing = self.api.store.endpoints.get(&key).cloned();
            if existing.as_ref().is_some_and(|e| e.subsets == subsets) {
                continue;
            }
            let metadata = match existing {
                Some(e) => e.metadata.clone(),
                None => {
                    let mut metadata = self.api.new_metadata(&key.name, &key.namespace);
                    metadata.labels = service.metadata.labels.clone();
                    metadata
                }
            };
            self.api
                .store
                .endpoints
                .insert(key, Endpoints { metadata, subsets });
            self.api.work.dirty = true;
        }
        // Endpoints whose Service is gone go with it.
        let orphans: Vec<ObjectKey> = self
            .api
            .store
            .endpoints
            .keys()
            .filter(|key| !self.api.store.services.contains_key(*key))
            .cloned()
            .collect();
        for key in orphans {
            self.api.store.endpoints.remove(&key);
            self.api.work.dirty = true;
        }
    }
}

fn endpoint_subsets<'a>(
    service: &Service,
    pods: impl Iterator<Item = &'a Pod>,
) -> Vec<EndpointSubset> {
    let mut ready = Vec::new();
    let mut not_ready = Vec::new();
    let mut ports = Vec::new();
    for pod in pods {
        let selected = service
            .spec
            .selector
            .iter()
            .all(|(k, v)| pod.metadata.labels.get(k) == Some(v));
        let Some(ip) = pod.status.pod_ip.clone() else {
            continue;
        };
        if !selected || pod.metadata.deletion_timestamp.is_some() || !pod.is_active() {
            continue;
        }
        if ports.is_empty() {
            ports = endpoint_ports(service, pod);
        }
        let address = EndpointAddress {
            ip,
            node_name: Some(pod.spec.node_name.clone()).filter(|n| !n.is_empty()),
            target_ref: Some(reference(Kind::Pod, &pod.metadata)),
        };
        if pod.is_ready() {
            ready.push(address);
        } else {
            not_ready.push(address);
        }
    }
    if ready.is_empty() && not_ready.is_empty() {
        return Vec::new();
    }
    // The API orders addresses by IP so the Endpoints object does not churn.
    let by_ip = |a: &EndpointAddress, b: &EndpointAddress| a.ip.cmp(&b.ip);
    ready.sort_by(by_ip);
    not_ready.sort_by(by_ip);
    vec![EndpointSubset {
        addresses: ready,
        not_ready_addresses: not_ready,
        ports,
    }]
}

/// Service ports resolved to the container port a pod really listens on.
fn endpoint_ports(service: &Service, pod: &Pod) -> Vec<EndpointPort> {
    service
        .spec
        .ports
        .iter()
        .map(|port| {
            let number = match &port.target_port {
                None => port.port,
                Some(IntOrString::Int(n)) => *n,
                Some(IntOrString::String(name)) => pod
                    .spec
                    .containers
                    .iter()
                    .flat_map(|c| &c.ports)
                    .find(|p| p.name.as_deref() == Some(name.as_str()))
                    .map_or(0, |p| p.container_port),
            };
            EndpointPort {
                name: port.name.clone(),
                port: number,
                protocol: if port.protocol.is_empty() {
                    "TCP".into()
                } else {
                    port.protocol.clone()
                },
            }
        })
        .collect()
}
