use super::{ConditionStatus, ObjectMeta};
use crate::clock::Time;
use serde::{Deserialize, Serialize};

/// An `autoscaling/v2` HorizontalPodAutoscaler: the replicas of its target (a Deployment in
/// the lab) follow a metric. The lab models the `Resource` metric source (CPU and memory
/// against the pods' requests, from metrics-server); other sources are stored as written.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HorizontalPodAutoscaler {
    pub metadata: ObjectMeta,
    pub spec: HorizontalPodAutoscalerSpec,
    pub status: HorizontalPodAutoscalerStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HorizontalPodAutoscalerSpec {
    pub scale_target_ref: CrossVersionObjectReference,
    /// Defaulted to 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_replicas: Option<i32>,
    pub max_replicas: i32,
    /// Defaulted to CPU at 80% of the requests when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<MetricSpec>,
    /// Defaulted to upstream's policies (`SetDefaults_HorizontalPodAutoscalerBehavior`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub behavior: Option<HorizontalPodAutoscalerBehavior>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CrossVersionObjectReference {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    pub kind: String,
    pub name: String,
}

/// One metric: `type` says which source field is set. Only `Resource` is computed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MetricSpec {
    #[serde(rename = "type")]
    pub type_: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<ResourceMetricSource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_resource: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pods: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external: Option<serde_json::Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ResourceMetricSource {
    /// `cpu` or `memory`.
    pub name: String,
    pub target: MetricTarget,
}

/// `Utilization` (a percentage of the pods' requests), `AverageValue` or `Value`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MetricTarget {
    #[serde(rename = "type")]
    pub type_: String,
    /// A quantity, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub average_value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub average_utilization: Option<i32>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HorizontalPodAutoscalerBehavior {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale_down: Option<HpaScalingRules>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale_up: Option<HpaScalingRules>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HpaScalingRules {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<HpaScalingPolicy>,
    /// `Max` (the default), `Min` or `Disabled`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub select_policy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stabilization_window_seconds: Option<i32>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HpaScalingPolicy {
    pub period_seconds: i32,
    /// `Pods` or `Percent`.
    #[serde(rename = "type")]
    pub type_: String,
    pub value: i32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HorizontalPodAutoscalerStatus {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<HorizontalPodAutoscalerCondition>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub current_metrics: Vec<MetricStatus>,
    #[serde(skip_serializing_if = "is_zero")]
    pub current_replicas: i32,
    pub desired_replicas: i32,
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "super::timestamp::option"
    )]
    pub last_scale_time: Option<Time>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
}

fn is_zero(value: &i32) -> bool {
    *value == 0
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MetricStatus {
    #[serde(rename = "type")]
    pub type_: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<ResourceMetricStatus>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ResourceMetricStatus {
    pub current: MetricValueStatus,
    pub name: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MetricValueStatus {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub average_utilization: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub average_value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// `AbleToScale`, `ScalingActive` or `ScalingLimited`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HorizontalPodAutoscalerCondition {
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "super::timestamp::option"
    )]
    pub last_transition_time: Option<Time>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
    pub status: ConditionStatus,
    #[serde(rename = "type")]
    pub type_: String,
}

impl HorizontalPodAutoscaler {
    /// `spec.minReplicas`, 1 when unset.
    pub fn min_replicas(&self) -> i32 {
        self.spec.min_replicas.unwrap_or(1)
    }
}

/// `SetDefaults_HorizontalPodAutoscaler` (autoscaling/v2): minReplicas 1, CPU at 80% when no
/// metric is given, and the default scaling behavior.
pub fn set_defaults(hpa: &mut HorizontalPodAutoscaler) {
    if hpa.spec.min_replicas.is_none() {
        hpa.spec.min_replicas = Some(1);
    }
    if hpa.spec.metrics.is_empty() {
        hpa.spec.metrics = vec![cpu_utilization(80)];
    }
    let behavior = hpa.spec.behavior.get_or_insert_with(Default::default);
    let up = behavior.scale_up.get_or_insert_with(Default::default);
    up.stabilization_window_seconds.get_or_insert(0);
    up.select_policy.get_or_insert_with(|| "Max".to_string());
    if up.policies.is_empty() {
        up.policies = vec![policy("Pods", 4, 15), policy("Percent", 100, 15)];
    }
    let down = behavior.scale_down.get_or_insert_with(Default::default);
    down.select_policy.get_or_insert_with(|| "Max".to_string());
    if down.policies.is_empty() {
        down.policies = vec![policy("Percent", 100, 15)];
    }
    // The scale-down window stays unset: the controller reads it as its
    // `--horizontal-pod-autoscaler-downscale-stabilization` (5 minutes).
}

fn policy(type_: &str, value: i32, period_seconds: i32) -> HpaScalingPolicy {
    HpaScalingPolicy {
        period_seconds,
        type_: type_.to_string(),
        value,
    }
}

/// A `Resource` metric on CPU at `percent` of the pods' requests (what `kubectl autoscale
/// --cpu-percent` and autoscaling/v1's `targetCPUUtilizationPercentage` mean).
pub fn cpu_utilization(percent: i32) -> MetricSpec {
    MetricSpec {
        type_: "Resource".to_string(),
        resource: Some(ResourceMetricSource {
            name: "cpu".to_string(),
            target: MetricTarget {
                type_: "Utilization".to_string(),
                average_utilization: Some(percent),
                ..MetricTarget::default()
            },
        }),
        ..MetricSpec::default()
    }
}
