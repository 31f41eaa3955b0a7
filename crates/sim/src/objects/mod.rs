//! Typed API objects, shaped like their Kubernetes `apps/v1` and `core/v1` counterparts.
//!
//! They are plain data: no behaviour beyond small accessors a reader would expect on the
//! object itself. Field names serialize in Kubernetes' camelCase so a manifest reads the same
//! here as in a real cluster.

mod analysis;
mod condition;
mod custom;
mod deployment;
mod event;
mod horizontal_pod_autoscaler;
mod ingress;
mod intstr;
mod meta;
mod namespace;
mod node;
mod object;
mod pod;
mod pod_disruption_budget;
pub mod quantity;
mod replica_set;
mod rollout;
mod selector;
mod service;
pub mod timestamp;

pub use analysis::{
    AnalysisPhase, AnalysisRun, AnalysisRunSpec, AnalysisRunStatus, AnalysisTemplate,
    AnalysisTemplateSpec, Argument, ClusterAnalysisTemplate, DryRun, JobMetric, Measurement,
    MeasurementRetention, Metric, MetricProvider, MetricResult, PrometheusMetric, RunSummary,
    SecretKeyRef, TtlStrategy, ValueFrom, WebMetric, WebMetricHeader,
};
pub use condition::{
    ConditionStatus, DeploymentCondition, DeploymentConditionType, ReplicaSetCondition,
    ReplicaSetConditionType,
};
pub use custom::CustomObject;
pub use deployment::{
    Deployment, DeploymentSpec, DeploymentStatus, DeploymentStrategy, DeploymentStrategyType,
    PodReplacementPolicy, RollingUpdateDeployment,
};
pub use event::{Event, EventType, Explanation, ObjectReference};
pub use horizontal_pod_autoscaler::{
    set_defaults as set_hpa_defaults, CrossVersionObjectReference, HorizontalPodAutoscaler,
    HorizontalPodAutoscalerBehavior, HorizontalPodAutoscalerCondition, HorizontalPodAutoscalerSpec,
    HorizontalPodAutoscalerStatus, HpaScalingPolicy, HpaScalingRules, HpaTyped, MetricSpec,
    MetricStatus, MetricTarget, MetricValueStatus, ResourceMetricSource, ResourceMetricStatus,
};
pub use ingress::{
    HttpIngressPath, HttpIngressRuleValue, Ingress, IngressBackend, IngressRule,
    IngressServiceBackend, IngressSpec, IngressStatus, ServiceBackendPort,
};
pub use intstr::{IntOrString, IntOrStringError};
pub use meta::{ObjectMeta, OwnerReference, FOREGROUND_DELETION};
pub use namespace::Namespace;
pub use node::{Node, NodeAddress, NodeCondition, NodeSpec, NodeStatus, NodeSystemInfo, Taint};
pub use object::{Kind, KindInfo, ARGO_ROLLOUTS, GATEWAY_API, KINDS, METRICS_SERVER};
pub use pod::{
    Container, ContainerPort, ContainerState, ContainerStatus, EnvVar, Pod, PodCondition,
    PodConditionType, PodPhase, PodSpec, PodStatus, PodTemplateSpec, Probe, ProbeHandler,
};
pub use pod_disruption_budget::{
    PodDisruptionBudget, PodDisruptionBudgetCondition, PodDisruptionBudgetSpec,
    PodDisruptionBudgetStatus, DISRUPTION_ALLOWED,
};
pub use quantity::{Quantity, QuantityError};
pub use replica_set::{ReplicaSet, ReplicaSetSpec, ReplicaSetStatus};
pub use rollout::{
    AnalysisRunArgument, AnalysisTemplateRef, ArgumentValueFrom, BlueGreenStatus,
    BlueGreenStrategy, CanaryStatus, CanaryStep, CanaryStrategy, FieldRef, NginxTrafficRouting,
    ObjectRef, PauseCondition, PauseReason, Rollout, RolloutAnalysis, RolloutAnalysisBackground,
    RolloutAnalysisRunStatus, RolloutCondition, RolloutConditionType, RolloutPause, RolloutPhase,
    RolloutSpec, RolloutStatus, RolloutStrategy, RolloutTrafficRouting, SetCanaryScale,
    TrafficWeights, WeightDestination,
};
pub use selector::{LabelSelector, LabelSelectorOperator, LabelSelectorRequirement};
pub use service::{
    Endpoint, EndpointAddress, EndpointConditions, EndpointPort, EndpointSlice, EndpointSlicePort,
    EndpointSubset, Endpoints, Service, ServicePort, ServiceSpec, ServiceType, SessionAffinity,
};

/// Every typed API object: a kind and metadata. One line per type below, so generic code
/// (printers, the watch log) reaches both without a match per kind.
pub trait Resource {
    const KIND: Kind;
    fn metadata(&self) -> &ObjectMeta;
}

macro_rules! resources {
    ($($type:ident),* $(,)?) => {
        $(impl Resource for $type {
            const KIND: Kind = Kind::$type;
            fn metadata(&self) -> &ObjectMeta {
                &self.metadata
            }
        })*
    };
}

resources!(
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
    Rollout,
    AnalysisTemplate,
    ClusterAnalysisTemplate,
    AnalysisRun,
);

/// Any object a manifest can hold, typed.
// A Rollout is much larger than the other kinds; objects are built and matched far more often
// than they are moved, so boxing it would cost clarity at every match for little gain.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Object {
    Namespace(Namespace),
    Deployment(Deployment),
    ReplicaSet(ReplicaSet),
    Pod(Pod),
    Service(Service),
    Endpoints(Endpoints),
    EndpointSlice(EndpointSlice),
    Ingress(Ingress),
    PodDisruptionBudget(PodDisruptionBudget),
    HorizontalPodAutoscaler(HorizontalPodAutoscaler),
    Rollout(Box<Rollout>),
    AnalysisTemplate(AnalysisTemplate),
    ClusterAnalysisTemplate(ClusterAnalysisTemplate),
    AnalysisRun(AnalysisRun),
    /// A custom resource kept as JSON ([`CustomObject`]): the Gateway API's kinds.
    Custom(Box<CustomObject>),
}

impl Object {
    pub fn kind(&self) -> Kind {
        match self {
            Object::Namespace(_) => Kind::Namespace,
            Object::Deployment(_) => Kind::Deployment,
            Object::ReplicaSet(_) => Kind::ReplicaSet,
            Object::Pod(_) => Kind::Pod,
            Object::Service(_) => Kind::Service,
            Object::Endpoints(_) => Kind::Endpoints,
            Object::EndpointSlice(_) => Kind::EndpointSlice,
            Object::Ingress(_) => Kind::Ingress,
            Object::PodDisruptionBudget(_) => Kind::PodDisruptionBudget,
            Object::HorizontalPodAutoscaler(_) => Kind::HorizontalPodAutoscaler,
            Object::Rollout(_) => Kind::Rollout,
            Object::AnalysisTemplate(_) => Kind::AnalysisTemplate,
            Object::ClusterAnalysisTemplate(_) => Kind::ClusterAnalysisTemplate,
            Object::AnalysisRun(_) => Kind::AnalysisRun,
            Object::Custom(o) => o.kind,
        }
    }

    pub fn metadata(&self) -> &ObjectMeta {
        match self {
            Object::Namespace(o) => &o.metadata,
            Object::Deployment(o) => &o.metadata,
            Object::ReplicaSet(o) => &o.metadata,
            Object::Pod(o) => &o.metadata,
            Object::Service(o) => &o.metadata,
            Object::Endpoints(o) => &o.metadata,
            Object::EndpointSlice(o) => &o.metadata,
            Object::Ingress(o) => &o.metadata,
            Object::PodDisruptionBudget(o) => &o.metadata,
            Object::HorizontalPodAutoscaler(o) => &o.metadata,
            Object::Rollout(o) => &o.metadata,
            Object::AnalysisTemplate(o) => &o.metadata,
            Object::ClusterAnalysisTemplate(o) => &o.metadata,
            Object::AnalysisRun(o) => &o.metadata,
            Object::Custom(o) => &o.metadata,
        }
    }

    pub fn metadata_mut(&mut self) -> &mut ObjectMeta {
        match self {
            Object::Namespace(o) => &mut o.metadata,
            Object::Deployment(o) => &mut o.metadata,
            Object::ReplicaSet(o) => &mut o.metadata,
            Object::Pod(o) => &mut o.metadata,
            Object::Service(o) => &mut o.metadata,
            Object::Endpoints(o) => &mut o.metadata,
            Object::EndpointSlice(o) => &mut o.metadata,
            Object::Ingress(o) => &mut o.metadata,
            Object::PodDisruptionBudget(o) => &mut o.metadata,
            Object::HorizontalPodAutoscaler(o) => &mut o.metadata,
            Object::Rollout(o) => &mut o.metadata,
            Object::AnalysisTemplate(o) => &mut o.metadata,
            Object::ClusterAnalysisTemplate(o) => &mut o.metadata,
            Object::AnalysisRun(o) => &mut o.metadata,
            Object::Custom(o) => &mut o.metadata,
        }
    }
}
