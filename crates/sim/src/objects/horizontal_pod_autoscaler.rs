use super::{ConditionStatus, ObjectMeta};
use crate::clock::Time;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An `autoscaling/v2` HorizontalPodAutoscaler as the API server stores it: its spec and
/// status are kept as JSON, so the typed form ([`HpaTyped`]) and its (de)serializing code
/// belong to the code that works with it (the controller, `describe`), which the page loads
/// on demand; listing and printing read the few fields they show from the JSON.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HorizontalPodAutoscaler {
    pub metadata: ObjectMeta,
    pub spec: Value,
    pub status: Value,
}

/// The same object, typed. The lab models the `Resource` metric source (CPU and memory
/// against the pods' requests, from metrics-server); other sources are kept as written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HpaTyped {
    pub metadata: ObjectMeta,
    pub spec: HorizontalPodAutoscalerSpec,
    pub status: HorizontalPodAutoscalerStatus,
}

impl HorizontalPodAutoscaler {
    /// `formatHPAMetrics` for resource metrics (utilization and average value), read from the
    /// stored JSON: `cpu: 12%/50%`, at most two, then `+ N more...` (kubectl get's TARGETS).
    pub fn metrics_text(&self) -> String {
        let hpa = self;
        let specs: &[Value] = hpa
            .spec
            .get("metrics")
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice);
        if specs.is_empty() {
            return "<none>".to_string();
        }
        let statuses = hpa.status.get("currentMetrics").and_then(Value::as_array);
        let text = |v: Option<&Value>| -> Option<String> {
            match v? {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            }
        };
        let cells: Vec<String> = specs
            .iter()
            .enumerate()
            .map(|(i, spec)| {
                let resource = spec.get("resource");
                if spec.get("type").and_then(Value::as_str) != Some("Resource")
                    || resource.is_none()
                {
                    return "<unknown type>".to_string();
                }
                let name = text(resource.and_then(|r| r.get("name"))).unwrap_or_default();
                let target = resource.and_then(|r| r.get("target"));
                let current = statuses
                    .and_then(|s| s.get(i))
                    .and_then(|s| s.get("resource"))
                    .and_then(|r| r.get("current"));
                let (current, target) = match text(target.and_then(|t| t.get("averageValue"))) {
                    Some(average) => (text(current.and_then(|c| c.get("averageValue"))), average),
                    None => (
                        text(current.and_then(|c| c.get("averageUtilization")))
                            .map(|u| format!("{u}%")),
                        text(target.and_then(|t| t.get("averageUtilization")))
                            .map_or_else(|| "<auto>".to_string(), |u| format!("{u}%")),
                    ),
                };
                let current = current.unwrap_or_else(|| "<unknown>".to_string());
                format!("{name}: {current}/{target}")
            })
            .collect();
        if cells.len() > 2 {
            format!("{} + {} more...", cells[..2].join(", "), cells.len() - 2)
        } else {
            cells.join(", ")
        }
    }

    /// The typed object (a part that does not decode is taken as empty: decoding checked
    /// the manifest's types already).
    pub fn typed(&self) -> HpaTyped {
        HpaTyped {
            metadata: self.metadata.clone(),
            spec: serde_json::from_value(self.spec.clone()).unwrap_or_default(),
            status: serde_json::from_value(self.status.clone()).unwrap_or_default(),
        }
    }

    /// A number in the spec (`minReplicas`, `maxReplicas`).
    pub fn spec_int(&self, field: &str) -> Option<i64> {
        self.spec.get(field).and_then(Value::as_i64)
    }

    /// A number in the status (`currentReplicas`, `desiredReplicas`).
    pub fn status_int(&self, field: &str) -> i64 {
        self.status.get(field).and_then(Value::as_i64).unwrap_or(0)
    }

    /// `spec.scaleTargetRef`'s kind and name.
    pub fn target(&self) -> (&str, &str) {
        let field = |name: &str| {
            self.spec
                .get("scaleTargetRef")
                .and_then(|r| r.get(name))
                .and_then(Value::as_str)
                .unwrap_or_default()
        };
        (field("kind"), field("name"))
    }
}

impl HpaTyped {
    /// Back to the stored form.
    pub fn stored(&self) -> HorizontalPodAutoscaler {
        HorizontalPodAutoscaler {
            metadata: self.metadata.clone(),
            spec: serde_json::to_value(&self.spec).unwrap_or_default(),
            status: serde_json::to_value(&self.status).unwrap_or_default(),
        }
    }

    /// `spec.minReplicas`, 1 when unset.
    pub fn min_replicas(&self) -> i32 {
        self.spec.min_replicas.unwrap_or(1)
    }
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

/// `SetDefaults_HorizontalPodAutoscaler` (autoscaling/v2) on the stored JSON: minReplicas 1,
/// CPU at 80% when no metric is given, and the default scaling rules for each direction
/// (scale up: the larger of 4 pods and 100% per 15 s, no stabilization; scale down: 100% per
/// 15 s, its window left to the controller's 5 minutes).
pub fn set_defaults(hpa: &mut HorizontalPodAutoscaler) {
    let Value::Object(spec) = &mut hpa.spec else {
        return;
    };
    spec.entry("minReplicas").or_insert(Value::from(1));
    let no_metrics = spec
        .get("metrics")
        .and_then(Value::as_array)
        .is_none_or(|m| m.is_empty());
    if no_metrics {
        spec.insert(
            "metrics".to_string(),
            serde_json::from_str(DEFAULT_METRICS).unwrap_or_default(),
        );
    }
    let behavior = spec
        .entry("behavior")
        .or_insert_with(|| Value::Object(Default::default()));
    let Value::Object(behavior) = behavior else {
        return;
    };
    for (direction, policies, window) in [
        ("scaleUp", DEFAULT_SCALE_UP_POLICIES, Some(0)),
        ("scaleDown", DEFAULT_SCALE_DOWN_POLICIES, None),
    ] {
        let rules = behavior
            .entry(direction)
            .or_insert_with(|| Value::Object(Default::default()));
        let Value::Object(rules) = rules else {
            continue;
        };
        if let Some(window) = window {
            rules
                .entry("stabilizationWindowSeconds")
                .or_insert(Value::from(window));
        }
        rules.entry("selectPolicy").or_insert(Value::from("Max"));
        let no_policies = rules
            .get("policies")
            .and_then(Value::as_array)
            .is_none_or(|p| p.is_empty());
        if no_policies {
            rules.insert(
                "policies".to_string(),
                serde_json::from_str(policies).unwrap_or_default(),
            );
        }
    }
}

const DEFAULT_METRICS: &str = r#"[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":80}}}]"#;
const DEFAULT_SCALE_UP_POLICIES: &str = r#"[{"type":"Pods","value":4,"periodSeconds":15},{"type":"Percent","value":100,"periodSeconds":15}]"#;
const DEFAULT_SCALE_DOWN_POLICIES: &str = r#"[{"type":"Percent","value":100,"periodSeconds":15}]"#;
