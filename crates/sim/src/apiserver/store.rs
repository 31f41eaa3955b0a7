//! Where the API server keeps objects. Ordered maps, so every listing is in the API's order
//! (namespace, then name) and every walk over the store is deterministic.

use crate::objects::{
    AnalysisRun, AnalysisTemplate, ClusterAnalysisTemplate, CustomObject, Deployment,
    EndpointSlice, Endpoints, HorizontalPodAutoscaler, Ingress, Kind, Namespace, Node, Pod,
    PodDisruptionBudget, ReplicaSet, Rollout, Service,
};
use std::collections::BTreeMap;
use std::rc::Rc;

/// Namespace and name: how namespaced objects are addressed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectKey {
    pub namespace: String,
    pub name: String,
}

impl ObjectKey {
    pub fn new(namespace: &str, name: &str) -> ObjectKey {
        ObjectKey {
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Store {
    pub namespaces: BTreeMap<String, Namespace>,
    pub nodes: BTreeMap<String, Node>,
    pub deployments: BTreeMap<ObjectKey, Deployment>,
    pub replica_sets: BTreeMap<ObjectKey, ReplicaSet>,
    /// Pods are shared between snapshots: a write copies only the pod written
    /// (`Rc::make_mut`), so a snapshot of a big cluster is a copy of pointers.
    pub pods: BTreeMap<ObjectKey, Rc<Pod>>,
    pub services: BTreeMap<ObjectKey, Service>,
    pub endpoints: BTreeMap<ObjectKey, Endpoints>,
    pub endpoint_slices: BTreeMap<ObjectKey, EndpointSlice>,
    pub ingresses: BTreeMap<ObjectKey, Ingress>,
    pub pod_disruption_budgets: BTreeMap<ObjectKey, PodDisruptionBudget>,
    pub horizontal_pod_autoscalers: BTreeMap<ObjectKey, HorizontalPodAutoscaler>,
    /// Argo Rollouts' objects (empty unless that add-on is installed).
    pub rollouts: BTreeMap<ObjectKey, Rollout>,
    pub analysis_templates: BTreeMap<ObjectKey, AnalysisTemplate>,
    /// Cluster-scoped: keyed with an empty namespace.
    pub cluster_analysis_templates: BTreeMap<ObjectKey, ClusterAnalysisTemplate>,
    pub analysis_runs: BTreeMap<ObjectKey, AnalysisRun>,
    /// Custom resources kept as JSON (the Gateway API's kinds), by kind, namespace and name
    /// (cluster-scoped ones with an empty namespace).
    pub custom: BTreeMap<(Kind, ObjectKey), CustomObject>,
}

impl Store {
    /// The custom resources of `kind`, in the API's order (namespace, then name).
    pub fn custom_of(&self, kind: Kind) -> impl Iterator<Item = &CustomObject> + '_ {
        let start = (kind, ObjectKey::new("", ""));
        self.custom
            .range(start..)
            .take_while(move |((k, _), _)| *k == kind)
            .map(|(_, object)| object)
    }

    /// The custom resources of `kind` in `namespace` (every one of a cluster-scoped kind).
    pub fn custom_in<'a>(
        &'a self,
        kind: Kind,
        namespace: &'a str,
    ) -> impl Iterator<Item = &'a CustomObject> + 'a {
        self.custom_of(kind)
            .filter(move |o| !kind.is_namespaced() || o.metadata.namespace == namespace)
    }

    /// The custom resource `kind` `namespace/name` (namespace empty for cluster-scoped).
    pub fn custom(&self, kind: Kind, namespace: &str, name: &str) -> Option<&CustomObject> {
        self.custom.get(&(kind, ObjectKey::new(namespace, name)))
    }

    /// The ReplicaSets whose controlling owner has `owner_uid`, in name order.
    pub fn replica_sets_owned_by(&self, namespace: &str, owner_uid: &str) -> Vec<ReplicaSet> {
        in_namespace(&self.replica_sets, namespace)
            .filter(|rs| {
                rs.metadata
                    .controller_ref()
                    .is_some_and(|o| o.uid == owner_uid)
            })
            .cloned()
            .collect()
    }

    /// The pods in `namespace`, in name order.
    pub fn pods_in<'a>(&'a self, namespace: &str) -> impl Iterator<Item = &'a Pod> + 'a {
        in_namespace(&self.pods, namespace).map(Rc::as_ref)
    }

    /// The pods whose controlling owner has `owner_uid`, in name order.
    pub fn pods_owned_by<'a>(
        &'a self,
        namespace: &str,
        owner_uid: &'a str,
    ) -> impl Iterator<Item = &'a Pod> + 'a {
        // Called for every ReplicaSet pass over thousands of pods: UIDs are random, so
        // their first byte settles most comparisons without a call to memcmp.
        let first = owner_uid.as_bytes().first().copied();
        self.pods_in(namespace).filter(move |pod| {
            pod.metadata
                .controller_ref()
                .is_some_and(|o| o.uid.as_bytes().first().copied() == first && o.uid == owner_uid)
        })
    }
}

/// The values of `map` whose key is in `namespace`, using the map's order to skip the rest.
pub fn in_namespace<'a, V>(
    map: &'a BTreeMap<ObjectKey, V>,
    namespace: &str,
) -> impl Iterator<Item = &'a V> + 'a {
    // `namespace` followed by NUL is the first namespace after it: the range's two ends are
    // found once, with no comparison per key.
    let start = ObjectKey::new(namespace, "");
    let end = ObjectKey::new(&format!("{namespace}\0"), "");
    map.range(start..end).map(|(_, v)| v)
}
