//! Argo Rollouts' analysis kinds (argoproj.io/v1alpha1), shaped like upstream's
//! `pkg/apis/rollouts/v1alpha1/analysis_types.go`: `AnalysisTemplate`,
//! `ClusterAnalysisTemplate` (cluster-scoped) and `AnalysisRun`, an instantiated template
//! that the analysis controller measures (`addons::argo_rollouts::analysis`).
//!
//! Providers the lab measures (`web`, `prometheus`, `job`) are typed; every other provider
//! (datadog, newRelic, cloudWatch, kayenta, plugin, …) is kept verbatim so a real manifest
//! round-trips, and a measurement with it reports that the lab cannot reach that system.
//!
//! Field presence follows Go's `encoding/json` tags: `name`, `phase` and `provider` are
//! always written, everything tagged `omitempty` only when set.

use super::{FieldRef, IntOrString, ObjectMeta};
use crate::clock::Time;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// `AnalysisTemplate`: metrics and arguments a Rollout (or a user) instantiates as runs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AnalysisTemplate {
    pub metadata: ObjectMeta,
    pub spec: AnalysisTemplateSpec,
}

/// `ClusterAnalysisTemplate`: an [`AnalysisTemplate`] every namespace can reference
/// (`clusterScope: true` in a Rollout's template reference).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ClusterAnalysisTemplate {
    pub metadata: ObjectMeta,
    pub spec: AnalysisTemplateSpec,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AnalysisTemplateSpec {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<Metric>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<Argument>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dry_run: Vec<DryRun>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub measurement_retention: Vec<MeasurementRetention>,
    /// Other templates whose metrics and args this one includes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub templates: Vec<super::AnalysisTemplateRef>,
}

/// One metric: what to measure, how often, and which results count as success or failure.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Metric {
    pub name: String,
    /// A Go duration (`30s`, `5m`) between measurements; empty measures once.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub interval: String,
    /// How long after the run starts the first measurement waits.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub initial_delay: String,
    /// How many measurements; without it and without an interval, one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<IntOrString>,
    /// An expr expression over `result`; true makes the measurement Successful.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub success_condition: String,
    /// An expr expression over `result`; true makes the measurement Failed.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub failure_condition: String,
    /// Failed measurements tolerated before the metric fails (default 0; -1 disables).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_limit: Option<IntOrString>,
    /// Inconclusive measurements tolerated before the metric is Inconclusive (default 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inconclusive_limit: Option<IntOrString>,
    /// Errors in a row tolerated before the metric is Error (default 4).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consecutive_error_limit: Option<IntOrString>,
    pub provider: MetricProvider,
    /// Successes in a row that make the metric Successful early (default 0: off).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consecutive_success_limit: Option<IntOrString>,
}

/// Where a measurement comes from. Exactly one provider is set in a valid metric.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MetricProvider {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prometheus: Option<PrometheusMetric>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web: Option<WebMetric>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job: Option<JobMetric>,
    /// Every other provider (kayenta, datadog, wavefront, newRelic, cloudWatch, graphite,
    /// influxdb, skywalking, plugin), kept verbatim.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PrometheusMetric {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub address: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub query: String,
    /// sigv4 / oauth2 settings, kept verbatim (the lab's Prometheus needs none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication: Option<Value>,
    /// Seconds (default 30).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i64>,
    #[serde(skip_serializing_if = "is_false")]
    pub insecure: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<WebMetricHeader>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range_query: Option<Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WebMetric {
    /// `GET` (default), `POST` or `PUT`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub method: String,
    pub url: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<WebMetricHeader>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub body: String,
    /// Default 10.
    #[serde(skip_serializing_if = "is_zero_i64")]
    pub timeout_seconds: i64,
    /// A Kubernetes JSONPath template (`{$.data.ok}`); default `{$}`, the whole body.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub json_path: String,
    #[serde(skip_serializing_if = "is_false")]
    pub insecure: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub json_body: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication: Option<Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WebMetricHeader {
    pub key: String,
    pub value: String,
}

/// A `batch/v1` Job whose success is the measurement's (its metadata and JobSpec kept as
/// written; the lab runs the pod template's first container).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct JobMetric {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    pub spec: Value,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DryRun {
    /// A regular expression over metric names (`.*` for all).
    pub metric_name: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MeasurementRetention {
    pub metric_name: String,
    pub limit: i32,
}

/// An argument of a template or run, substituted for `{{args.<name>}}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Argument {
    pub name: String,
    /// `None` until supplied (a template argument without default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_from: Option<ValueFrom>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ValueFrom {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_key_ref: Option<SecretKeyRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_ref: Option<FieldRef>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SecretKeyRef {
    pub name: String,
    pub key: String,
}

/// `AnalysisRun`: metrics being measured, and what they measured so far.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AnalysisRun {
    pub metadata: ObjectMeta,
    pub spec: AnalysisRunSpec,
    #[serde(skip_serializing_if = "AnalysisRunStatus::is_empty")]
    pub status: AnalysisRunStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AnalysisRunSpec {
    pub metrics: Vec<Metric>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<Argument>,
    /// Stop measuring (the Rollout moved on, or a user asked): the run ends with what it has.
    #[serde(skip_serializing_if = "is_false")]
    pub terminate: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dry_run: Vec<DryRun>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub measurement_retention: Vec<MeasurementRetention>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl_strategy: Option<TtlStrategy>,
}

/// How long a completed run is kept before the controller deletes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TtlStrategy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds_after_completion: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds_after_failure: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds_after_success: Option<i32>,
}

/// The phase of a run, a metric or a single measurement.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AnalysisPhase {
    /// Go's zero value: a run nobody has reconciled yet.
    #[default]
    #[serde(rename = "")]
    Unset,
    Pending,
    Running,
    Successful,
    Failed,
    Error,
    Inconclusive,
}

impl AnalysisPhase {
    pub fn as_str(self) -> &'static str {
        match self {
            AnalysisPhase::Unset => "",
            AnalysisPhase::Pending => "Pending",
            AnalysisPhase::Running => "Running",
            AnalysisPhase::Successful => "Successful",
            AnalysisPhase::Failed => "Failed",
            AnalysisPhase::Error => "Error",
            AnalysisPhase::Inconclusive => "Inconclusive",
        }
    }

    /// `Completed`: the four phases nothing follows.
    pub fn completed(self) -> bool {
        matches!(
            self,
            AnalysisPhase::Successful
                | AnalysisPhase::Failed
                | AnalysisPhase::Error
                | AnalysisPhase::Inconclusive
        )
    }

    pub fn parse(text: &str) -> Option<AnalysisPhase> {
        Some(match text {
            "" => AnalysisPhase::Unset,
            "Pending" => AnalysisPhase::Pending,
            "Running" => AnalysisPhase::Running,
            "Successful" => AnalysisPhase::Successful,
            "Failed" => AnalysisPhase::Failed,
            "Error" => AnalysisPhase::Error,
            "Inconclusive" => AnalysisPhase::Inconclusive,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AnalysisRunStatus {
    pub phase: AnalysisPhase,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub metric_results: Vec<MetricResult>,
    #[serde(
        default,
        with = "super::timestamp::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub started_at: Option<Time>,
    pub run_summary: RunSummary,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dry_run_summary: Option<RunSummary>,
    #[serde(
        default,
        with = "super::timestamp::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub completed_at: Option<Time>,
}

impl AnalysisRunStatus {
    /// A run nobody has reconciled: not written out at all.
    pub fn is_empty(&self) -> bool {
        *self == AnalysisRunStatus::default()
    }
}

/// Counts of metrics by their final phase.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RunSummary {
    #[serde(skip_serializing_if = "is_zero")]
    pub count: i32,
    #[serde(skip_serializing_if = "is_zero")]
    pub successful: i32,
    #[serde(skip_serializing_if = "is_zero")]
    pub failed: i32,
    #[serde(skip_serializing_if = "is_zero")]
    pub inconclusive: i32,
    #[serde(skip_serializing_if = "is_zero")]
    pub error: i32,
}

/// One metric's measurements (the newest ten by default) and its counters.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MetricResult {
    pub name: String,
    pub phase: AnalysisPhase,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub measurements: Vec<Measurement>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// Measurements that were not errors (successful + failed + inconclusive).
    #[serde(skip_serializing_if = "is_zero")]
    pub count: i32,
    #[serde(skip_serializing_if = "is_zero")]
    pub successful: i32,
    #[serde(skip_serializing_if = "is_zero")]
    pub failed: i32,
    #[serde(skip_serializing_if = "is_zero")]
    pub inconclusive: i32,
    #[serde(skip_serializing_if = "is_zero")]
    pub error: i32,
    #[serde(skip_serializing_if = "is_zero")]
    pub consecutive_error: i32,
    #[serde(skip_serializing_if = "is_false")]
    pub dry_run: bool,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "is_zero")]
    pub consecutive_success: i32,
}

/// One measurement: when it ran, what it read and what that meant.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Measurement {
    pub phase: AnalysisPhase,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
    #[serde(
        default,
        with = "super::timestamp::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub started_at: Option<Time>,
    #[serde(
        default,
        with = "super::timestamp::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub finished_at: Option<Time>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub value: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
    /// When an in-flight measurement (a Job) should be looked at again.
    #[serde(
        default,
        with = "super::timestamp::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub resume_at: Option<Time>,
}

fn is_zero(n: &i32) -> bool {
    *n == 0
}

fn is_zero_i64(n: &i64) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_run_writes_no_status_and_a_reconciled_one_always_writes_its_phase() {
        let run = AnalysisRun::default();
        let json = serde_json::to_value(&run).unwrap();
        assert!(json.get("status").is_none());
        let mut run = run;
        run.status.phase = AnalysisPhase::Running;
        let json = serde_json::to_value(&run).unwrap();
        assert_eq!(json["status"]["phase"], "Running");
        assert_eq!(json["status"]["runSummary"], serde_json::json!({}));
    }

    #[test]
    fn unknown_providers_round_trip_verbatim() {
        let text = r#"{"name":"m","provider":{"datadog":{"query":"avg:x"}}}"#;
        let metric: Metric = serde_json::from_str(text).unwrap();
        assert!(metric.provider.other.contains_key("datadog"));
        assert_eq!(
            serde_json::to_value(&metric).unwrap(),
            serde_json::from_str::<Value>(text).unwrap()
        );
    }
}
