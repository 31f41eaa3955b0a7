//! The endpoints controller: a Service's Endpoints list the pods its selector matches —
//! ready ones under `addresses` (they get traffic), the rest under `notReadyAddresses`.
//! Terminating pods leave at once.
//!
//! The EndpointSlice controller mirrors the same pods into one `discovery.k8s.io/v1` slice per
//! Service, named `<service>-<5 random characters>`, where terminating pods stay with their
//! `terminating` condition until they are gone.

use super::Controllers;
use crate::apiserver::{reference, ObjectKey};
use crate::objects::{
    Endpoint, EndpointAddress, EndpointConditions, EndpointPort, EndpointSlice, EndpointSlicePort,
    EndpointSubset, Endpoints, IntOrString, Kind, ObjectMeta, Pod, PodPhase, Service,
};

/// The label that ties a slice to its Service.
pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";
const MANAGED_BY_LABEL: &str = "endpointslice.kubernetes.io/managed-by";
const MANAGED_BY: &str = "endpointslice-controller.k8s.io";

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

impl Controllers<'_> {
    /// The EndpointSlice controller: one slice per Service with a selector, kept equal to its
    /// pods; slices of Services that are gone are deleted.
    pub(crate) fn sync_endpoint_slices(&mut self) {
        let keys: Vec<ObjectKey> = self.api.store.services.keys().cloned().collect();
        for key in keys {
            let Some(service) = self.api.store.services.get(&key).cloned() else {
                continue;
            };
            if service.spec.selector.is_empty() {
                continue;
            }
            let (endpoints, ports) =
                slice_endpoints(&service, self.api.store.pods_in(&key.namespace));
            let existing = self
                .api
                .store
                .endpoint_slices
                .iter()
                .find(|(k, s)| {
                    k.namespace == key.namespace
                        && s.metadata.labels.get(SERVICE_NAME_LABEL) == Some(&key.name)
                })
                .map(|(k, s)| (k.clone(), s.clone()));
            let (slice_key, slice) = match existing {
                Some((_, s)) if s.endpoints == endpoints && s.ports == ports => continue,
                Some((k, mut s)) => {
                    s.metadata.generation += 1;
                    (k, s)
                }
                None => {
                    // A generator of the slice's own, seeded by the Service's UID (which came
                    // from the cluster's RNG): the slice's name and UID are as random and as
                    // reproducible, and every other draw (pod names, IPs) stays as it was.
                    let seed = service
                        .metadata
                        .uid
                        .bytes()
                        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
                        });
                    let mut rng = crate::rng::Rng::new(seed);
                    let name = format!("{}-{}", key.name, rng.name_suffix(5));
                    let mut metadata = ObjectMeta {
                        uid: self.api.ids.uid(&mut rng),
                        generate_name: format!("{}-", key.name),
                        namespace: key.namespace.clone(),
                        creation_timestamp: Some(self.api.now),
                        generation: 1,
                        name: name.clone(),
                        ..ObjectMeta::default()
                    };
                    metadata.labels = service.metadata.labels.clone();
                    metadata
                        .labels
                        .insert(SERVICE_NAME_LABEL.into(), key.name.clone());
                    metadata
                        .labels
                        .insert(MANAGED_BY_LABEL.into(), MANAGED_BY.into());
                    metadata.owner_references = vec![super::deployment::controller_ref(
                        Kind::Service,
                        &key.name,
                        &service.metadata.uid,
                    )];
                    let slice = EndpointSlice {
                        metadata,
                        address_type: "IPv4".into(),
                        ..EndpointSlice::default()
                    };
                    (ObjectKey::new(&key.namespace, &name), slice)
                }
            };
            let slice = EndpointSlice {
                endpoints,
                ports,
                ..slice
            };
            self.api.store.endpoint_slices.insert(slice_key, slice);
            self.api.work.dirty = true;
        }
        let services = &self.api.store.services;
        let before = self.api.store.endpoint_slices.len();
        self.api.store.endpoint_slices.retain(|k, s| {
            s.metadata.labels.get(MANAGED_BY_LABEL).map(String::as_str) != Some(MANAGED_BY)
                || s.metadata
                    .labels
                    .get(SERVICE_NAME_LABEL)
                    .is_some_and(|name| services.contains_key(&ObjectKey::new(&k.namespace, name)))
        });
        if self.api.store.endpoint_slices.len() != before {
            self.api.work.dirty = true;
        }
    }
}

/// A slice's endpoints and ports: every selected pod with an IP, terminating ones included
/// (not ready, serving while still ready); no ports while there are no endpoints.
fn slice_endpoints<'a>(
    service: &Service,
    pods: impl Iterator<Item = &'a Pod>,
) -> (Vec<Endpoint>, Vec<EndpointSlicePort>) {
    let mut endpoints = Vec::new();
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
        let finished = matches!(
            pod.status.phase,
            Some(PodPhase::Succeeded | PodPhase::Failed)
        );
        if !selected || finished {
            continue;
        }
        if ports.is_empty() {
            ports = endpoint_ports(service, pod)
                .into_iter()
                .map(|p| EndpointSlicePort {
                    name: Some(p.name.unwrap_or_default()),
                    port: Some(p.port),
                    protocol: Some(p.protocol),
                })
                .collect();
        }
        let terminating = pod.metadata.deletion_timestamp.is_some();
        let ready = pod.is_ready();
        endpoints.push(Endpoint {
            addresses: vec![ip],
            conditions: EndpointConditions {
                ready: Some(ready && !terminating),
                serving: Some(ready),
                terminating: Some(terminating),
            },
            node_name: Some(pod.spec.node_name.clone()).filter(|n| !n.is_empty()),
            target_ref: Some(reference(Kind::Pod, &pod.metadata)),
        });
    }
    (endpoints, ports)
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
