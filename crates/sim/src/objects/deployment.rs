use super::{DeploymentCondition, IntOrString, LabelSelector, ObjectMeta, PodTemplateSpec};
use serde::{Deserialize, Serialize};

/// A Deployment: the desired state of a stateless app, rolled out through ReplicaSets.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Deployment {
    pub metadata: ObjectMeta,
    pub spec: DeploymentSpec,
    pub status: DeploymentStatus,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DeploymentSpec {
    /// Desired number of pods (API default 1).
    pub replicas: i32,
    pub selector: LabelSelector,
    /// Any change here (ignoring the pod-template-hash label) starts a new revision.
    pub template: PodTemplateSpec,
    pub strategy: DeploymentStrategy,
    /// How long a pod must stay ready before it counts as available.
    #[serde(skip_serializing_if = "is_zero")]
    pub min_ready_seconds: i32,
    /// How many old, scaled-down ReplicaSets to keep for undo; `None` keeps all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision_history_limit: Option<i32>,
    /// Seconds without progress before the Progressing condition turns False;
    /// `None` (or `i32::MAX`) disables the check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress_deadline_seconds: Option<i32>,
    /// A paused deployment still scales, but does not roll out template changes.
    #[serde(skip_serializing_if = "is_false")]
    pub paused: bool,
    /// When a replacement pod may start (newest sources, feature gated); `None` = classic.
    /// Not part of the v1.30 API: manifests cannot set it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_replacement_policy: Option<PodReplacementPolicy>,
}

impl Default for DeploymentSpec {
    fn default() -> Self {
        DeploymentSpec {
            replicas: 1,
            selector: LabelSelector::default(),
            template: PodTemplateSpec::default(),
            strategy: DeploymentStrategy::default(),
            min_ready_seconds: 0,
            revision_history_limit: Some(10),
            progress_deadline_seconds: Some(600),
            paused: false,
            pod_replacement_policy: None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DeploymentStrategy {
    #[serde(rename = "type")]
    pub type_: DeploymentStrategyType,
    /// Only meaningful for `RollingUpdate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rolling_update: Option<RollingUpdateDeployment>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeploymentStrategyType {
    /// Replace pods a few at a time, bounded by maxSurge and maxUnavailable.
    #[default]
    RollingUpdate,
    /// Stop every old pod before starting any new one.
    Recreate,
}

/// The two fenceposts of a rolling update. `None` means unset and counts as 0; the API
/// server defaults both to 25% before the controller ever sees them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RollingUpdateDeployment {
    /// How many pods above `replicas` may exist during the rollout.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_surge: Option<IntOrString>,
    /// How many pods below `replicas` may be unavailable during the rollout.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PodReplacementPolicy {
    /// Start a replacement as soon as the old pod starts terminating (classic behaviour).
    TerminationStarted,
    /// Count terminating pods against the surge budget until they are gone.
    TerminationComplete,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DeploymentStatus {
    /// The generation the controller last acted on; `kubectl rollout status` waits for it.
    #[serde(skip_serializing_if = "is_zero_i64")]
    pub observed_generation: i64,
    /// Pods (not terminating) across all ReplicaSets.
    #[serde(skip_serializing_if = "is_zero")]
    pub replicas: i32,
    /// Pods of the new ReplicaSet.
    #[serde(skip_serializing_if = "is_zero")]
    pub updated_replicas: i32,
    #[serde(skip_serializing_if = "is_zero")]
    pub ready_replicas: i32,
    #[serde(skip_serializing_if = "is_zero")]
    pub available_replicas: i32,
    /// Desired pods that are not available yet (never negative).
    #[serde(skip_serializing_if = "is_zero")]
    pub unavailable_replicas: i32,
    /// Terminating pods (newest sources); `None` = not reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terminating_replicas: Option<i32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<DeploymentCondition>,
    /// Bumped on pod-template-hash collisions so the next hash differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collision_count: Option<i32>,
}

fn is_zero(value: &i32) -> bool {
    *value == 0
}

fn is_zero_i64(value: &i64) -> bool {
    *value == 0
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl Deployment {
    pub fn name(&self) -> &str {
        &self.metadata.name
    }
}
