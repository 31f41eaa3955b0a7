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
    EndpointSlice,
    Ingress,
    PodDisruptionBudget,
    HorizontalPodAutoscaler,
    Event,
    /// Argo Rollouts' kinds: served once that add-on is installed.
    Rollout,
    AnalysisTemplate,
    ClusterAnalysisTemplate,
    AnalysisRun,
    /// The Gateway API's kinds (`gateway.networking.k8s.io`): served once a gateway
    /// implementation that installs their CRDs is.
    GatewayClass,
    Gateway,
    HTTPRoute,
    ReferenceGrant,
}

/// What the API server's discovery says about one kind: where it lives, what it is called.
/// One row per kind in [`KINDS`]; every name of a kind is read from here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindInfo {
    pub kind: Kind,
    /// `Deployment`.
    pub name: &'static str,
    /// `apps/v1`; `v1` for the core group.
    pub api_version: &'static str,
    /// The lower-case plural resource name: `deployments`.
    pub resource: &'static str,
    /// `deploy`: what `kubectl get deploy` resolves (discovery's `shortNames`).
    pub short_names: &'static [&'static str],
    pub namespaced: bool,
    /// The add-on whose CustomResourceDefinition serves this kind; `None` for built-in kinds.
    pub addon: Option<&'static str>,
}

/// Every kind the lab's API server serves, as discovery describes it (Kubernetes 1.30).
pub const KINDS: &[KindInfo] = &[
    KindInfo::new(
        Kind::Namespace,
        "Namespace",
        "v1",
        "namespaces",
        &["ns"],
        false,
    ),
    KindInfo::new(Kind::Node, "Node", "v1", "nodes", &["no"], false),
    KindInfo::new(
        Kind::Deployment,
        "Deployment",
        "apps/v1",
        "deployments",
        &["deploy"],
        true,
    ),
    KindInfo::new(
        Kind::ReplicaSet,
        "ReplicaSet",
        "apps/v1",
        "replicasets",
        &["rs"],
        true,
    ),
    KindInfo::new(Kind::Pod, "Pod", "v1", "pods", &["po"], true),
    KindInfo::new(Kind::Service, "Service", "v1", "services", &["svc"], true),
    KindInfo::new(
        Kind::Endpoints,
        "Endpoints",
        "v1",
        "endpoints",
        &["ep"],
        true,
    ),
    KindInfo::new(
        Kind::EndpointSlice,
        "EndpointSlice",
        "discovery.k8s.io/v1",
        "endpointslices",
        &[],
        true,
    ),
    KindInfo::new(
        Kind::Ingress,
        "Ingress",
        "networking.k8s.io/v1",
        "ingresses",
        &["ing"],
        true,
    ),
    KindInfo::new(
        Kind::PodDisruptionBudget,
        "PodDisruptionBudget",
        "policy/v1",
        "poddisruptionbudgets",
        &["pdb"],
        true,
    ),
    KindInfo::new(
        Kind::HorizontalPodAutoscaler,
        "HorizontalPodAutoscaler",
        "autoscaling/v2",
        "horizontalpodautoscalers",
        &["hpa"],
        true,
    ),
    KindInfo::new(Kind::Event, "Event", "v1", "events", &["ev"], true),
    KindInfo::new(
        Kind::Rollout,
        "Rollout",
        "argoproj.io/v1alpha1",
        "rollouts",
        &["ro"],
        true,
    )
    .served_by(ARGO_ROLLOUTS),
    KindInfo::new(
        Kind::AnalysisTemplate,
        "AnalysisTemplate",
        "argoproj.io/v1alpha1",
        "analysistemplates",
        &["at"],
        true,
    )
    .served_by(ARGO_ROLLOUTS),
    KindInfo::new(
        Kind::ClusterAnalysisTemplate,
        "ClusterAnalysisTemplate",
        "argoproj.io/v1alpha1",
        "clusteranalysistemplates",
        &["cat"],
        false,
    )
    .served_by(ARGO_ROLLOUTS),
    KindInfo::new(
        Kind::AnalysisRun,
        "AnalysisRun",
        "argoproj.io/v1alpha1",
        "analysisruns",
        &["ar"],
        true,
    )
    .served_by(ARGO_ROLLOUTS),
    KindInfo::new(
        Kind::GatewayClass,
        "GatewayClass",
        "gateway.networking.k8s.io/v1",
        "gatewayclasses",
        &["gc"],
        false,
    )
    .served_by(GATEWAY_API),
    KindInfo::new(
        Kind::Gateway,
        "Gateway",
        "gateway.networking.k8s.io/v1",
        "gateways",
        &["gtw"],
        true,
    )
    .served_by(GATEWAY_API),
    KindInfo::new(
        Kind::HTTPRoute,
        "HTTPRoute",
        "gateway.networking.k8s.io/v1",
        "httproutes",
        &[],
        true,
    )
    .served_by(GATEWAY_API),
    KindInfo::new(
        Kind::ReferenceGrant,
        "ReferenceGrant",
        "gateway.networking.k8s.io/v1beta1",
        "referencegrants",
        &["refgrant"],
        true,
    )
    .served_by(GATEWAY_API),
];

/// The add-on name of metrics-server (`Addon::name`), which serves the resource metrics API.
pub const METRICS_SERVER: &str = "metrics-server";

/// The add-on name Argo Rollouts' kinds are served by (`Addon::name`).
pub const ARGO_ROLLOUTS: &str = "argo-rollouts";

/// The add-on the Gateway API's kinds are served by: the lab's gateway implementation,
/// whose release installs their CRDs.
pub const GATEWAY_API: &str = "envoy-gateway";

impl KindInfo {
    const fn new(
        kind: Kind,
        name: &'static str,
        api_version: &'static str,
        resource: &'static str,
        short_names: &'static [&'static str],
        namespaced: bool,
    ) -> KindInfo {
        KindInfo {
            kind,
            name,
            api_version,
            resource,
            short_names,
            namespaced,
            addon: None,
        }
    }

    const fn served_by(self, addon: &'static str) -> KindInfo {
        KindInfo {
            addon: Some(addon),
            ..self
        }
    }

    /// The API group, empty for the core group.
    pub fn group(&self) -> &'static str {
        self.api_version
            .rsplit_once('/')
            .map_or("", |(group, _)| group)
    }

    /// The lower-case singular name (discovery's `singularName`).
    pub fn singular(&self) -> String {
        self.name.to_ascii_lowercase()
    }
}

impl Kind {
    /// This kind's row of [`KINDS`].
    pub fn info(self) -> &'static KindInfo {
        // Every variant has a row (a unit test checks it); the first row is never reached.
        KINDS
            .iter()
            .find(|info| info.kind == self)
            .unwrap_or(&KINDS[0])
    }

    /// `apiVersion` as manifests spell it.
    pub fn api_version(self) -> &'static str {
        self.info().api_version
    }

    /// The API group, empty for the core group.
    pub fn group(self) -> &'static str {
        self.info().group()
    }

    /// Lower-case plural resource name: `deployments`, `pods`, …
    pub fn resource(self) -> &'static str {
        self.info().resource
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
        self.info().namespaced
    }

    /// A kind stored as a [`super::CustomObject`] (the Gateway API's).
    pub fn is_custom(self) -> bool {
        matches!(
            self,
            Kind::GatewayClass | Kind::Gateway | Kind::HTTPRoute | Kind::ReferenceGrant
        )
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.info().name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_exactly_one_row() {
        let all = [
            Kind::Namespace,
            Kind::Node,
            Kind::Deployment,
            Kind::ReplicaSet,
            Kind::Pod,
            Kind::Service,
            Kind::Endpoints,
            Kind::EndpointSlice,
            Kind::Ingress,
            Kind::PodDisruptionBudget,
            Kind::HorizontalPodAutoscaler,
            Kind::Event,
            Kind::Rollout,
            Kind::AnalysisTemplate,
            Kind::ClusterAnalysisTemplate,
            Kind::AnalysisRun,
            Kind::GatewayClass,
            Kind::Gateway,
            Kind::HTTPRoute,
            Kind::ReferenceGrant,
        ];
        for kind in all {
            assert_eq!(
                KINDS.iter().filter(|info| info.kind == kind).count(),
                1,
                "{kind:?}"
            );
            assert_eq!(kind.info().kind, kind);
        }
        assert_eq!(KINDS.len(), all.len());
    }
}
