use super::ObjectMeta;
use serde::{Deserialize, Serialize};

/// A `v1` Namespace. `default` always exists; others can be created and deleted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Namespace {
    pub metadata: ObjectMeta,
}

/// A worker node of the simulated cluster (`k8s-node01..03`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Node {
    pub metadata: ObjectMeta,
    /// The node's slice of the pod network, e.g. `10.244.1.0/24`.
    pub pod_cidr: String,
    /// The node's own address, e.g. `10.0.0.11`.
    pub internal_ip: String,
}
