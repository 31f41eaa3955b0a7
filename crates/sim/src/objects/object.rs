use serde::{Deserialize, Serialize};
use std::fmt;

/// The kinds of object the lab's API server knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Kind {
    Namespace,
    Node,
    Deployment,
    ReplicaSet,
    Pod,
    Service,
    Endpoints,
    Ingress,
    Event,
}

impl Kind {
    /// `apiVersion` as manifests spell it.
    pub fn api_version(self) -> &'static str {
        match self {
            Kind::Deployment | Kind::ReplicaSet => "apps/v1",
            Kind::Ingress => "networking.k8s.io/v1",
            _ => "v1",
        }
    }

    /// The API group, empty for the core group.
    pub fn group(self) -> &'static str {
        match self {
            Kind::Deployment | Kind::ReplicaSet => "apps",
            Kind::Ingress => "networking.k8s.io",
            _ => "",
        }
    }

    /// Lower-case plural resource name: `deployments`, `pods`, …
    pub fn resource(self) -> &'static str {
        match self {
            Kind::Namespace => "namespaces",
            Kind::Node => "nodes",
            Kind::Deployment => "deployments",
            Kind::ReplicaSet => "replicasets",
            Kind::Pod => "pods",
            Kind::Service => "services",
            Kind::Endpoints => "endpoints",
            Kind::Ingress => "ingresses",
            Kind::Event => "events",
        }
    }

    /// `resource.group` as API errors name it: `deployments.apps`, `pods`.
    pub fn qualified_resource(self) -> String {
        match self.group() {
            "" => self.resource().to_string(),
            group => format!("{}.{group}", self.resource()),
        }
    }

    /// `kind.group` in lower case as kubectl's name printer writes it: `deployment.apps`, `pod`.
    pub fn qualified_kind(self) -> String {
        let kind = self.to_string().to_lowercase();
        match self.group() {
            "" => kind,
            group => format!("{kind}.{group}"),
        }
    }

    pub fn is_namespaced(self) -> bool {
        !matches!(self, Kind::Namespace | Kind::Node)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Namespace => "Namespace",
            Kind::Node => "Node",
            Kind::Deployment => "Deployment",
            Kind::ReplicaSet => "ReplicaSet",
            Kind::Pod => "Pod",
            Kind::Service => "Service",
            Kind::Endpoints => "Endpoints",
            Kind::Ingress => "Ingress",
            Kind::Event => "Event",
        })
    }
}
