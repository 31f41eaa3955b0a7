//! `metadata.resourceVersion`: the API server gives an object a new one with every write that
//! changes it (etcd's revision, one counter for the whole cluster), and a write that changes
//! nothing keeps the old one. Here writes go straight to the store, so after every settle
//! round the objects that differ from their last stamped state get the next number, in the
//! store's order — deterministic, like everything else.

use super::{ObjectKey, Store};
use crate::objects::{
    CustomObject, Deployment, Endpoints, HorizontalPodAutoscaler, Ingress, Kind, Namespace, Node,
    Pod, PodDisruptionBudget, ReplicaSet, Rollout, Service,
};
use std::collections::BTreeMap;
use std::rc::Rc;

/// Where the counter starts: a cluster installed 17 days ago has an etcd revision in the
/// hundreds of thousands (node leases alone renew every 10 seconds).
const FIRST: u64 = 415_000;

#[derive(Clone, Debug)]
pub(crate) struct Versions {
    next: u64,
    namespaces: BTreeMap<String, Rc<Namespace>>,
    nodes: BTreeMap<String, Rc<Node>>,
    deployments: BTreeMap<ObjectKey, Rc<Deployment>>,
    replica_sets: BTreeMap<ObjectKey, Rc<ReplicaSet>>,
    /// The store's own pointers: a pod nobody wrote since is the same `Rc`, so the common
    /// case costs a pointer comparison.
    pods: BTreeMap<ObjectKey, Rc<Pod>>,
    services: BTreeMap<ObjectKey, Rc<Service>>,
    endpoints: BTreeMap<ObjectKey, Rc<Endpoints>>,
    endpoint_slices: BTreeMap<ObjectKey, Rc<crate::objects::EndpointSlice>>,
    ingresses: BTreeMap<ObjectKey, Rc<Ingress>>,
    pod_disruption_budgets: BTreeMap<ObjectKey, Rc<PodDisruptionBudget>>,
    horizontal_pod_autoscalers: BTreeMap<ObjectKey, Rc<HorizontalPodAutoscaler>>,
    rollouts: BTreeMap<ObjectKey, Rc<Rollout>>,
    custom: BTreeMap<(Kind, ObjectKey), Rc<CustomObject>>,
}

impl Default for Versions {
    fn default() -> Versions {
        Versions {
            next: FIRST,
            namespaces: BTreeMap::new(),
            nodes: BTreeMap::new(),
            deployments: BTreeMap::new(),
            replica_sets: BTreeMap::new(),
            pods: BTreeMap::new(),
            services: BTreeMap::new(),
            endpoints: BTreeMap::new(),
            endpoint_slices: BTreeMap::new(),
            ingresses: BTreeMap::new(),
            pod_disruption_budgets: BTreeMap::new(),
            horizontal_pod_autoscalers: BTreeMap::new(),
            rollouts: BTreeMap::new(),
            custom: BTreeMap::new(),
        }
    }
}

/// Gives every object of `live` that differs from its copy in `stamped` the next version.
macro_rules! stamp_values {
    ($next:expr, $live:expr, $stamped:expr) => {{
        for (key, object) in $live.iter_mut() {
            let changed = $stamped.get(key).is_none_or(|last| **last != *object);
            if changed {
                *$next += 1;
                object.metadata.resource_version = $next.to_string();
                $stamped.insert(key.clone(), Rc::new(object.clone()));
            }
        }
        $stamped.retain(|key, _| $live.contains_key(key));
    }};
}

impl Versions {
    /// Stamps what changed since the last call.
    /// The last version given out: etcd's current revision.
    pub(crate) fn latest(&self) -> u64 {
        self.next
    }

    pub(crate) fn stamp(&mut self, store: &mut Store) {
        let next = &mut self.next;
        stamp_values!(next, store.namespaces, self.namespaces);
        stamp_values!(next, store.nodes, self.nodes);
        stamp_values!(next, store.deployments, self.deployments);
        stamp_values!(next, store.replica_sets, self.replica_sets);
        stamp_values!(next, store.services, self.services);
        stamp_values!(next, store.endpoints, self.endpoints);
        stamp_values!(next, store.endpoint_slices, self.endpoint_slices);
        stamp_values!(next, store.ingresses, self.ingresses);
        stamp_values!(
            next,
            store.pod_disruption_budgets,
            self.pod_disruption_budgets
        );
        stamp_values!(
            next,
            store.horizontal_pod_autoscalers,
            self.horizontal_pod_autoscalers
        );
        stamp_values!(next, store.rollouts, self.rollouts);
        stamp_values!(next, store.custom, self.custom);
        // Pods are many (a thousand in a big rollout) and this runs after every settle round:
        // walk both maps in key order together instead of searching one for each key of the
        // other. A pod nobody wrote since is the same `Rc` at the same place, which settles it
        // without comparing keys.
        let mut seen = self.pods.iter().peekable();
        let mut restamped: Vec<(ObjectKey, Rc<Pod>)> = Vec::new();
        let mut deleted: Vec<ObjectKey> = Vec::new();
        for (key, pod) in store.pods.iter_mut() {
            let last = loop {
                match seen.peek() {
                    Some((_, last)) if Rc::ptr_eq(last, pod) => break seen.next().map(|(_, l)| l),
                    Some((seen_key, _)) if *seen_key < key => {
                        deleted.push((*seen_key).clone());
                        seen.next();
                    }
                    Some((seen_key, _)) if *seen_key == key => break seen.next().map(|(_, l)| l),
                    _ => break None,
                }
            };
            let changed = match last {
                Some(last) if Rc::ptr_eq(last, pod) => continue,
                Some(last) => **last != **pod,
                None => true,
            };
            if changed {
                *next += 1;
                Rc::make_mut(pod).metadata.resource_version = next.to_string();
            }
            restamped.push((key.clone(), pod.clone()));
        }
        deleted.extend(seen.map(|(key, _)| key.clone()));
        for key in &deleted {
            self.pods.remove(key);
        }
        self.pods.extend(restamped);
    }
}
