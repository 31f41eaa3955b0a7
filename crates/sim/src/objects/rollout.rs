//! Argo Rollouts' `Rollout` (argoproj.io/v1alpha1), shaped like upstream's
//! `pkg/apis/rollouts/v1alpha1/types.go`. The kind is served only once the Argo Rollouts
//! add-on is installed; its controller lives in `addons::argo_rollouts`.
//!
//! Fields the lab does not simulate (anti-affinity, ephemeral metadata, experiments, other
//! traffic routers) are kept verbatim as JSON so a real manifest round-trips.

use super::{ConditionStatus, IntOrString, LabelSelector, ObjectMeta, PodTemplateSpec};
use crate::clock::Time;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Rollout {
    pub metadata: ObjectMeta,
    pub spec: RolloutSpec,
    pub status: RolloutStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RolloutSpec {
    /// `None` means 1 (upstream defaults it in the controller, not the API server).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    /// The pod template exactly as written: a custom resource is stored as sent (no pod
    /// defaults), and Argo hashes these bytes. [`Rollout::pod_template`] reads it typed.
    #[serde(skip_serializing_if = "Value::is_null")]
    pub template: Value,
    /// The Deployment whose template and selector this Rollout runs (`workloadRef`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workload_ref: Option<ObjectRef>,
    #[serde(skip_serializing_if = "is_zero")]
    pub min_ready_seconds: i32,
    pub strategy: RolloutStrategy,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision_history_limit: Option<i32>,
    #[serde(skip_serializing_if = "is_false")]
    pub paused: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress_deadline_seconds: Option<i32>,
    #[serde(skip_serializing_if = "is_false")]
    pub progress_deadline_abort: bool,
    /// Pods created before this instant are restarted (`kubectl argo rollouts restart`).
    #[serde(
        default,
        with = "super::timestamp::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub restart_at: Option<Time>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rollback_window: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analysis: Option<Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ObjectRef {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// `never` | `onsuccess` | `progressively` (what happens to the referenced Deployment).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub scale_down: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RolloutStrategy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blue_green: Option<BlueGreenStrategy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canary: Option<CanaryStrategy>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BlueGreenStrategy {
    pub active_service: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub preview_service: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preview_replica_count: Option<i32>,
    /// `None` means true.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_promotion_enabled: Option<bool>,
    #[serde(skip_serializing_if = "is_zero")]
    pub auto_promotion_seconds: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale_down_delay_seconds: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale_down_delay_revision_limit: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_promotion_analysis: Option<RolloutAnalysis>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_promotion_analysis: Option<RolloutAnalysis>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub abort_scale_down_delay_seconds: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anti_affinity: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preview_metadata: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active_metadata: Option<Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CanaryStrategy {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub canary_service: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub stable_service: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<CanaryStep>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub traffic_routing: Option<RolloutTrafficRouting>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_surge: Option<IntOrString>,
    /// Background analysis, run for the whole update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analysis: Option<RolloutAnalysisBackground>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale_down_delay_seconds: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale_down_delay_revision_limit: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub abort_scale_down_delay_seconds: Option<i32>,
    #[serde(skip_serializing_if = "is_false")]
    pub dynamic_stable_scale: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_pods_per_replica_set: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anti_affinity: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canary_metadata: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stable_metadata: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ping_pong: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replica_progress_threshold: Option<Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RolloutTrafficRouting {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nginx: Option<NginxTrafficRouting>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_traffic_weight: Option<i32>,
    /// Every other router (istio, alb, smi, plugins, …), kept verbatim; the lab routes only
    /// through ingress-nginx.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NginxTrafficRouting {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub annotation_prefix: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub stable_ingress: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stable_ingresses: Vec<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub additional_ingress_annotations: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub canary_ingress_annotations: BTreeMap<String, String>,
}

/// One step of a canary. Exactly one field is set in a valid step.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CanaryStep {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub set_weight: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pause: Option<RolloutPause>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analysis: Option<RolloutAnalysis>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub set_canary_scale: Option<SetCanaryScale>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub experiment: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub set_header_route: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub set_mirror_route: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plugin: Option<Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RolloutPause {
    /// Seconds as an integer, or a string with a unit (`30s`, `5m`, `1h`); `None` waits for
    /// a promote.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<IntOrString>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SetCanaryScale {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    #[serde(skip_serializing_if = "is_false")]
    pub match_traffic_weight: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RolloutAnalysis {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub templates: Vec<AnalysisTemplateRef>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<AnalysisRunArgument>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measurement_retention: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analysis_run_metadata: Option<Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RolloutAnalysisBackground {
    #[serde(flatten)]
    pub analysis: RolloutAnalysis,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starting_step: Option<i32>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AnalysisTemplateRef {
    pub template_name: String,
    #[serde(skip_serializing_if = "is_false")]
    pub cluster_scope: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AnalysisRunArgument {
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_from: Option<ArgumentValueFrom>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ArgumentValueFrom {
    /// `Stable` | `Latest`: the pod template hash of that ReplicaSet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_template_hash_value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_ref: Option<FieldRef>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FieldRef {
    pub field_path: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RolloutStatus {
    #[serde(skip_serializing_if = "is_false")]
    pub abort: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pause_conditions: Vec<PauseCondition>,
    #[serde(skip_serializing_if = "is_false")]
    pub controller_pause: bool,
    #[serde(
        default,
        with = "super::timestamp::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub aborted_at: Option<Time>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub current_pod_hash: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub current_step_hash: String,
    #[serde(skip_serializing_if = "is_zero")]
    pub replicas: i32,
    #[serde(skip_serializing_if = "is_zero")]
    pub updated_replicas: i32,
    #[serde(skip_serializing_if = "is_zero")]
    pub ready_replicas: i32,
    #[serde(skip_serializing_if = "is_zero")]
    pub available_replicas: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_step_index: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collision_count: Option<i32>,
    /// A string upstream (it once held a hash).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub observed_generation: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<RolloutCondition>,
    #[serde(skip_serializing_if = "CanaryStatus::is_empty")]
    pub canary: CanaryStatus,
    #[serde(skip_serializing_if = "BlueGreenStatus::is_empty")]
    pub blue_green: BlueGreenStatus,
    #[serde(rename = "HPAReplicas", skip_serializing_if = "is_zero")]
    pub hpa_replicas: i32,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub selector: String,
    #[serde(rename = "stableRS", skip_serializing_if = "String::is_empty")]
    pub stable_rs: String,
    #[serde(
        default,
        with = "super::timestamp::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub restarted_at: Option<Time>,
    #[serde(skip_serializing_if = "is_false")]
    pub promote_full: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<RolloutPhase>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub workload_observed_generation: String,
}

/// What `kubectl argo rollouts get` prints after `Status:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RolloutPhase {
    Healthy,
    Degraded,
    Progressing,
    Paused,
}

impl RolloutPhase {
    pub fn as_str(self) -> &'static str {
        match self {
            RolloutPhase::Healthy => "Healthy",
            RolloutPhase::Degraded => "Degraded",
            RolloutPhase::Progressing => "Progressing",
            RolloutPhase::Paused => "Paused",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PauseReason {
    CanaryPauseStep,
    BlueGreenPause,
    /// Upstream's `PauseReasonInconclusiveAnalysis`, spelled `InconclusiveAnalysisRun` on
    /// the wire (types.go:900).
    #[serde(rename = "InconclusiveAnalysisRun")]
    AnalysisRunInconclusive,
    InconclusiveExperiment,
}

impl PauseReason {
    pub fn as_str(self) -> &'static str {
        match self {
            PauseReason::CanaryPauseStep => "CanaryPauseStep",
            PauseReason::BlueGreenPause => "BlueGreenPause",
            PauseReason::AnalysisRunInconclusive => "InconclusiveAnalysisRun",
            PauseReason::InconclusiveExperiment => "InconclusiveExperiment",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PauseCondition {
    pub reason: PauseReason,
    #[serde(with = "super::timestamp::required")]
    pub start_time: Time,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RolloutConditionType {
    Available,
    Progressing,
    ReplicaFailure,
    InvalidSpec,
    Paused,
    Completed,
    Healthy,
}

impl RolloutConditionType {
    pub fn as_str(self) -> &'static str {
        match self {
            RolloutConditionType::Available => "Available",
            RolloutConditionType::Progressing => "Progressing",
            RolloutConditionType::ReplicaFailure => "ReplicaFailure",
            RolloutConditionType::InvalidSpec => "InvalidSpec",
            RolloutConditionType::Paused => "Paused",
            RolloutConditionType::Completed => "Completed",
            RolloutConditionType::Healthy => "Healthy",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RolloutCondition {
    #[serde(rename = "type")]
    pub type_: RolloutConditionType,
    pub status: ConditionStatus,
    #[serde(with = "super::timestamp::required")]
    pub last_update_time: Time,
    #[serde(with = "super::timestamp::required")]
    pub last_transition_time: Time,
    pub reason: String,
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CanaryStatus {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_step_analysis_run_status: Option<RolloutAnalysisRunStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_background_analysis_run_status: Option<RolloutAnalysisRunStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weights: Option<TrafficWeights>,
}

impl CanaryStatus {
    pub fn is_empty(&self) -> bool {
        *self == CanaryStatus::default()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BlueGreenStatus {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub preview_selector: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub active_selector: String,
    #[serde(skip_serializing_if = "is_false")]
    pub scale_up_preview_check_point: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_promotion_analysis_run_status: Option<RolloutAnalysisRunStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_promotion_analysis_run_status: Option<RolloutAnalysisRunStatus>,
}

impl BlueGreenStatus {
    pub fn is_empty(&self) -> bool {
        *self == BlueGreenStatus::default()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RolloutAnalysisRunStatus {
    pub name: String,
    /// An `AnalysisPhase` name: Pending, Running, Successful, Failed, Error, Inconclusive.
    pub status: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TrafficWeights {
    pub canary: WeightDestination,
    pub stable: WeightDestination,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WeightDestination {
    pub weight: i32,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub service_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub pod_template_hash: String,
}

impl Rollout {
    /// `spec.template` as a typed pod template (what the controller copies into a
    /// ReplicaSet); a template that does not fit the type reads as empty.
    pub fn pod_template(&self) -> PodTemplateSpec {
        if self.spec.template.is_null() {
            return PodTemplateSpec::default();
        }
        serde_json::from_value(self.spec.template.clone()).unwrap_or_default()
    }

    /// The template's labels, straight from the stored JSON.
    pub fn template_labels(&self) -> BTreeMap<String, String> {
        self.spec
            .template
            .pointer("/metadata/labels")
            .and_then(|labels| serde_json::from_value(labels.clone()).ok())
            .unwrap_or_default()
    }

    /// Sets the image of every container named `container` (`*` for all), in
    /// `initContainers` and `containers`, as `kubectl argo rollouts set image` does. Returns
    /// whether a container matched.
    pub fn set_image(&mut self, container: &str, image: &str) -> bool {
        let mut found = false;
        for list in ["initContainers", "containers", "ephemeralContainers"] {
            let Some(items) = self
                .spec
                .template
                .pointer_mut(&format!("/spec/{list}"))
                .and_then(Value::as_array_mut)
            else {
                continue;
            };
            for item in items {
                let matches =
                    container == "*" || item.get("name").and_then(Value::as_str) == Some(container);
                if matches {
                    if let Some(map) = item.as_object_mut() {
                        map.insert("image".into(), Value::String(image.into()));
                        found = true;
                    }
                }
            }
        }
        found
    }

    /// `spec.replicas`, defaulted as the controller does.
    pub fn replicas(&self) -> i32 {
        self.spec.replicas.unwrap_or(1)
    }

    pub fn canary(&self) -> Option<&CanaryStrategy> {
        self.spec.strategy.canary.as_ref()
    }

    pub fn blue_green(&self) -> Option<&BlueGreenStrategy> {
        self.spec.strategy.blue_green.as_ref()
    }

    pub fn condition(&self, type_: RolloutConditionType) -> Option<&RolloutCondition> {
        self.status.conditions.iter().find(|c| c.type_ == type_)
    }
}

fn is_zero(n: &i32) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}
