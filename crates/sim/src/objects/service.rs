use super::{IntOrString, ObjectMeta};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A `v1` Service: a stable virtual IP and DNS name in front of the pods its selector picks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Service {
    pub metadata: ObjectMeta,
    pub spec: ServiceSpec,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServiceSpec {
    #[serde(rename = "type")]
    pub type_: ServiceType,
    /// Pods with all these labels become endpoints. Changing it is how blue-green switches.
    pub selector: BTreeMap<String, String>,
    pub ports: Vec<ServicePort>,
    /// Allocated from the Service CIDR (10.96.0.0/12) when empty.
    #[serde(rename = "clusterIP")]
    pub cluster_ip: String,
    pub session_affinity: SessionAffinity,
    /// How long ClientIP affinity sticks (default 10800 s = 3 h).
    pub session_affinity_timeout_seconds: Option<i32>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ServiceType {
    #[default]
    ClusterIP,
    NodePort,
    LoadBalancer,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionAffinity {
    /// kube-proxy picks an endpoint at random for every new connection.
    #[default]
    None,
    /// A client IP keeps its endpoint until the affinity times out.
    ClientIP,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServicePort {
    pub name: Option<String>,
    pub protocol: String,
    pub port: i32,
    /// A number, or the name of a container port; defaults to `port`.
    pub target_port: Option<IntOrString>,
    /// Allocated from 30000–32767 for NodePort services when unset.
    pub node_port: Option<i32>,
}

/// `v1` Endpoints: the addresses behind a Service, kept by the endpoints controller.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Endpoints {
    pub metadata: ObjectMeta,
    pub subsets: Vec<EndpointSubset>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EndpointSubset {
    /// Ready pods: the only ones that receive traffic.
    pub addresses: Vec<EndpointAddress>,
    /// Pods that match but are not ready (starting, failing readiness).
    pub not_ready_addresses: Vec<EndpointAddress>,
    pub ports: Vec<EndpointPort>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EndpointAddress {
    pub ip: String,
    pub node_name: Option<String>,
    /// The pod behind the address (`kind: Pod`).
    pub target_ref: Option<super::ObjectReference>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EndpointPort {
    pub name: Option<String>,
    pub port: i32,
    pub protocol: String,
}
