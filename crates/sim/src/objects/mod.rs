//! Typed API objects, shaped like their Kubernetes `apps/v1` and `core/v1` counterparts.
//!
//! They are plain data: no behaviour beyond small accessors a reader would expect on the
//! object itself. Field names serialize in Kubernetes' camelCase so a manifest reads the same
//! here as in a real cluster.

mod condition;
mod deployment;
mod event;
mod intstr;
mod meta;
mod object;
mod pod;
mod replica_set;
mod selector;

pub use condition::{
    ConditionStatus, DeploymentCondition, DeploymentConditionType, ReplicaSetCondition,
    ReplicaSetConditionType,
};
pub use deployment::{
    Deployment, DeploymentSpec, DeploymentStatus, DeploymentStrategy, DeploymentStrategyType,
    PodReplacementPolicy, RollingUpdateDeployment,
};
pub use event::{Event, EventType, Explanation, ObjectReference};
pub use intstr::{IntOrString, IntOrStringError};
pub use meta::{ObjectMeta, OwnerReference};
pub use object::Kind;
pub use pod::{
    Container, ContainerPort, ContainerState, ContainerStatus, Pod, PodCondition, PodConditionType,
    PodPhase, PodSpec, PodStatus, PodTemplateSpec, Probe, ProbeHandler,
};
pub use replica_set::{ReplicaSet, ReplicaSetSpec, ReplicaSetStatus};
pub use selector::{LabelSelector, LabelSelectorOperator, LabelSelectorRequirement};
