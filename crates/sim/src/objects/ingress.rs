use super::ObjectMeta;
use serde::{Deserialize, Serialize};

/// A `networking.k8s.io/v1` Ingress, served by the ingress-nginx controller. A second Ingress
/// for the same host and path with `nginx.ingress.kubernetes.io/canary: "true"` takes a share
/// of the traffic (by weight, header or cookie).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Ingress {
    pub metadata: ObjectMeta,
    pub spec: IngressSpec,
    pub status: IngressStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct IngressSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ingress_class_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_backend: Option<IngressBackend>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<IngressRule>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct IngressRule {
    /// Empty matches every host.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpIngressRuleValue>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HttpIngressRuleValue {
    pub paths: Vec<HttpIngressPath>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HttpIngressPath {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// `Prefix`, `Exact` or `ImplementationSpecific` (required by the API; empty = unset).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub path_type: String,
    pub backend: IngressBackend,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct IngressBackend {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<IngressServiceBackend>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct IngressServiceBackend {
    pub name: String,
    pub port: ServiceBackendPort,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServiceBackendPort {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<i32>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct IngressStatus {
    /// The controller's address, shown in the ADDRESS column once it has synced. On the wire
    /// this is `loadBalancer: {ingress: [{ip: …}]}`.
    #[serde(rename = "loadBalancer", with = "load_balancer")]
    pub load_balancer_ips: Vec<String>,
}

/// `loadBalancer: {ingress: [{ip}]}` ⇄ `Vec<String>`.
mod load_balancer {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize, Default)]
    struct Status {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        ingress: Vec<Address>,
    }

    #[derive(Serialize, Deserialize, Default)]
    struct Address {
        #[serde(default)]
        ip: String,
    }

    pub fn serialize<S: Serializer>(ips: &[String], serializer: S) -> Result<S::Ok, S::Error> {
        let ingress = ips.iter().map(|ip| Address { ip: ip.clone() }).collect();
        Status { ingress }.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<String>, D::Error> {
        let status = Option::<Status>::deserialize(deserializer)?.unwrap_or_default();
        Ok(status
            .ingress
            .into_iter()
            .map(|a| a.ip)
            .filter(|ip| !ip.is_empty())
            .collect())
    }
}
