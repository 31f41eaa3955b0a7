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
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub selector: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<ServicePort>,
    /// Allocated from the Service CIDR (10.96.0.0/12) when empty.
    #[serde(rename = "clusterIP", skip_serializing_if = "String::is_empty")]
    pub cluster_ip: String,
    /// The allocated addresses, primary first (`[clusterIP]` on a single-stack cluster).
    #[serde(rename = "clusterIPs", skip_serializing_if = "Vec::is_empty")]
    pub cluster_ips: Vec<String>,
    pub session_affinity: SessionAffinity,
    /// How long ClientIP affinity sticks (default 10800 s = 3 h). On the wire this is
    /// `sessionAffinityConfig.clientIP.timeoutSeconds`.
    #[serde(
        rename = "sessionAffinityConfig",
        with = "affinity_config",
        skip_serializing_if = "Option::is_none"
    )]
    pub session_affinity_timeout_seconds: Option<i32>,
    /// `SingleStack` on the lab's IPv4-only cluster.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_family_policy: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ip_families: Vec<String>,
    /// `Cluster` (default): in-cluster traffic may go to endpoints on any node.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub internal_traffic_policy: Option<String>,
    /// `Cluster` (default for NodePort/LoadBalancer) or `Local`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_traffic_policy: Option<String>,
    /// Every other field a v1 ServiceSpec accepts (`externalIPs`, `loadBalancerIP`, …).
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

/// `sessionAffinityConfig: {clientIP: {timeoutSeconds: N}}` ⇄ `Option<i32>`.
mod affinity_config {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize, Default)]
    struct Config {
        #[serde(rename = "clientIP", default)]
        client_ip: Option<ClientIp>,
    }

    #[derive(Serialize, Deserialize, Default)]
    struct ClientIp {
        #[serde(rename = "timeoutSeconds", default)]
        timeout_seconds: Option<i32>,
    }

    pub fn serialize<S: Serializer>(value: &Option<i32>, serializer: S) -> Result<S::Ok, S::Error> {
        Config {
            client_ip: Some(ClientIp {
                timeout_seconds: *value,
            }),
        }
        .serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<i32>, D::Error> {
        let config = Option::<Config>::deserialize(deserializer)?;
        Ok(config
            .and_then(|c| c.client_ip)
            .and_then(|c| c.timeout_seconds))
    }
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub protocol: String,
    pub port: i32,
    /// A number, or the name of a container port; defaults to `port`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_port: Option<IntOrString>,
    /// Allocated from 30000–32767 for NodePort services when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
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

/// `discovery.k8s.io/v1` EndpointSlice: a Service's endpoints as the EndpointSlice controller
/// keeps them (what kube-proxy reads in 1.30). Unlike Endpoints, terminating pods stay, with
/// their `terminating` condition.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EndpointSlice {
    pub metadata: ObjectMeta,
    /// `IPv4`.
    pub address_type: String,
    pub endpoints: Vec<Endpoint>,
    pub ports: Vec<EndpointSlicePort>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Endpoint {
    pub addresses: Vec<String>,
    pub conditions: EndpointConditions,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_ref: Option<super::ObjectReference>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EndpointConditions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ready: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serving: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terminating: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EndpointSlicePort {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
}
