//! Adapters for Argo Rollouts' analysis cases (`tests/conformance/argo-rollouts-analysis.json`),
//! run against [`crate::addons::argo_rollouts::analysis`] and
//! [`crate::addons::argo_rollouts::utils::analysis`].
//!
//! Function names are upstream's (`assessMetricStatus`, `ValidateMetrics`, `EvalCondition`).
//! Inputs are Argo's own JSON (`metric`, `result`, `run`, `metrics`, `args`, `templates`),
//! decoded into the lab's types, with one convenience: a time field (`startedAt`,
//! `finishedAt`, `resumeAt`, `completedAt`, `creationTimestamp`) given as a number is that many
//! seconds from the cases' "now" ([`super::input::REFERENCE_NOW`]), so `-60` is "a minute
//! ago". Times that come out (`nextReconcile`) are given the same way.
//!
//! `result` of `EvalCondition`/`EvaluateResult` is the measured value as JSON, read as Go's
//! `encoding/json` reads it (numbers are `float64`); `resultType: "[]float64"` makes an array
//! a Prometheus vector and `"int"` makes a number an `int`.

use super::input::{self, Object, REFERENCE_NOW};
use super::{CaseError, Observed};
use crate::addons::argo_rollouts::analysis::evaluate::{self, Value as ExprValue};
use crate::addons::argo_rollouts::analysis::run::{self as analysis, Measure, RunEvent};
use crate::addons::argo_rollouts::utils::analysis as util;
use crate::clock::{Duration, Time};
use crate::objects::{
    AnalysisPhase, AnalysisRun, AnalysisTemplateSpec, Argument, DryRun, Measurement,
    MeasurementRetention, Metric, MetricResult, ReplicaSet,
};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::BTreeSet;

const TIME_FIELDS: [&str; 6] = [
    "deletionTimestamp",
    "startedAt",
    "finishedAt",
    "resumeAt",
    "completedAt",
    "creationTimestamp",
];

/// Relative times (seconds from now) become RFC 3339 strings.
fn absolute_times(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if TIME_FIELDS.contains(&key.as_str()) {
                    if let Some(seconds) = v.as_i64() {
                        let at = REFERENCE_NOW + Duration::from_secs(seconds);
                        *v = Value::String(at.rfc3339());
                        continue;
                    }
                }
                absolute_times(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(absolute_times),
        _ => {}
    }
}

fn decode<T: DeserializeOwned>(input: &Object, key: &str) -> Result<T, CaseError> {
    let mut value = input.get(key).cloned().unwrap_or(Value::Null);
    if value.is_null() {
        value = Value::Object(serde_json::Map::new());
    }
    absolute_times(&mut value);
    serde_json::from_value(value).map_err(|e| CaseError::BadInput(format!("`{key}`: {e}")))
}

fn decode_list<T: DeserializeOwned>(input: &Object, key: &str) -> Result<Vec<T>, CaseError> {
    let mut value = input.get(key).cloned().unwrap_or(Value::Null);
    if value.is_null() {
        return Ok(Vec::new());
    }
    absolute_times(&mut value);
    serde_json::from_value(value).map_err(|e| CaseError::BadInput(format!("`{key}`: {e}")))
}

fn phase(input: &Object, key: &str) -> Result<AnalysisPhase, CaseError> {
    let text = input::str_or(input, key, "")?;
    AnalysisPhase::parse(text)
        .ok_or_else(|| CaseError::BadInput(format!("`{key}`: no phase {text:?}")))
}

fn set_error(out: &mut Observed, result: Result<(), String>) {
    match result {
        Ok(()) => out.set("error", Value::Null),
        Err(err) => out.set("error", err),
    }
}

/// The names of `dryRunMetrics` that are true.
fn dry_run_set(input: &Object) -> Result<BTreeSet<String>, CaseError> {
    let map = input::opt_object(input, "dryRunMetrics")?;
    Ok(map
        .map(|m| {
            m.iter()
                .filter(|(_, v)| v.as_bool() == Some(true))
                .map(|(k, _)| k.clone())
                .collect()
        })
        .unwrap_or_default())
}

fn results_json(run: &AnalysisRun) -> Value {
    Value::Object(
        run.status
            .metric_results
            .iter()
            .map(|r| {
                (
                    r.name.clone(),
                    serde_json::json!({"phase": r.phase.as_str(), "message": r.message}),
                )
            })
            .collect(),
    )
}

/// A provider that answers with the case's measurements (`providerRun`, `providerResume`).
struct Scripted {
    run: Option<Measurement>,
    resume: Option<Measurement>,
}

impl Measure for Scripted {
    fn run(
        &mut self,
        _run: &AnalysisRun,
        _metric: &Metric,
        _now: Time,
    ) -> Result<Measurement, String> {
        self.run
            .clone()
            .ok_or_else(|| "no providerRun in the case".to_string())
    }
    fn resume(
        &mut self,
        _run: &AnalysisRun,
        _metric: &Metric,
        m: Measurement,
        _now: Time,
    ) -> Result<Measurement, String> {
        Ok(self.resume.clone().unwrap_or(m))
    }
    fn terminate(
        &mut self,
        _run: &AnalysisRun,
        _metric: &Metric,
        m: Measurement,
        _now: Time,
    ) -> Result<Measurement, String> {
        Ok(m)
    }
}

fn expr_result(input: &Object) -> Result<ExprValue, CaseError> {
    let raw = input.get("result").cloned().unwrap_or(Value::Null);
    Ok(match input::str_or(input, "resultType", "")? {
        "[]float64" => ExprValue::Floats(
            raw.as_array()
                .map(|items| items.iter().filter_map(Value::as_f64).collect())
                .unwrap_or_default(),
        ),
        "int" => ExprValue::Int(raw.as_i64().unwrap_or(0)),
        "" => ExprValue::from_json(&raw),
        other => return Err(CaseError::BadInput(format!("unknown resultType {other:?}"))),
    })
}

/// Runs an analysis function, or says it is unknown.
pub fn run(function: &str, input: &Object, out: &mut Observed) -> Result<(), CaseError> {
    let now = REFERENCE_NOW;
    match function {
        "assessMetricStatus" => {
            let metric: Metric = decode(input, "metric")?;
            let result: MetricResult = decode(input, "result")?;
            let terminating = input::bool_or(input, "terminating", false)?;
            out.set(
                "phase",
                analysis::assess_metric_status(&metric, &result, terminating).as_str(),
            );
        }
        "assessMetricFailureInconclusiveOrError" => {
            let metric: Metric = decode(input, "metric")?;
            let result: MetricResult = decode(input, "result")?;
            let (phase, message) =
                analysis::assess_metric_failure_inconclusive_or_error(&metric, &result);
            out.set("phase", phase.map_or("", AnalysisPhase::as_str));
            out.set("message", message);
        }
        "assessRunStatus" => {
            let mut run: AnalysisRun = decode(input, "run")?;
            let metrics = run.spec.metrics.clone();
            let mut events: Vec<RunEvent> = Vec::new();
            let (phase, message) = analysis::assess_run_status(
                &mut run,
                &metrics,
                &dry_run_set(input)?,
                now,
                &mut events,
            );
            out.set("phase", phase.as_str());
            out.set("message", message);
            out.set("metricResults", results_json(&run));
            out.set(
                "runSummary",
                serde_json::to_value(&run.status.run_summary).unwrap_or_default(),
            );
            out.set(
                "dryRunSummary",
                serde_json::to_value(&run.status.dry_run_summary).unwrap_or_default(),
            );
        }
        "reconcileAnalysisRun" => {
            let run: AnalysisRun = decode(input, "run")?;
            let mut provider = Scripted {
                run: input
                    .get("providerRun")
                    .map(|_| decode(input, "providerRun"))
                    .transpose()?,
                resume: input
                    .get("providerResume")
                    .map(|_| decode(input, "providerResume"))
                    .transpose()?,
            };
            let reconciled = analysis::reconcile_analysis_run(&run, now, &mut provider);
            out.set("phase", reconciled.run.status.phase.as_str());
            out.set("message", reconciled.run.status.message.clone());
            out.set("metricResults", results_json(&reconciled.run));
            out.set(
                "dryRunSummary",
                serde_json::to_value(&reconciled.run.status.dry_run_summary).unwrap_or_default(),
            );
        }
        "generateMetricTasks" => {
            let run: AnalysisRun = decode(input, "run")?;
            let tasks = analysis::generate_metric_tasks(&run, &run.spec.metrics, now);
            out.set(
                "tasks",
                tasks
                    .iter()
                    .map(|t| Value::from(t.metric.name.clone()))
                    .collect::<Vec<_>>(),
            );
            out.set(
                "incomplete",
                tasks
                    .iter()
                    .map(|t| Value::from(t.incomplete.is_some()))
                    .collect::<Vec<_>>(),
            );
        }
        "calculateNextReconcileTime" => {
            let run: AnalysisRun = decode(input, "run")?;
            let next = analysis::calculate_next_reconcile_time(&run, &run.spec.metrics, now);
            out.set(
                "nextReconcile",
                next.map_or(Value::Null, |at| {
                    Value::from((at - now).millis() as f64 / 1000.0)
                }),
            );
        }
        "IsWorse" => {
            out.set(
                "isWorse",
                util::is_worse(phase(input, "current")?, phase(input, "new")?),
            );
        }
        "Worst" => {
            out.set(
                "worst",
                util::worst(phase(input, "left")?, phase(input, "right")?).as_str(),
            );
        }
        "IsTerminating" => {
            let run: AnalysisRun = decode(input, "run")?;
            out.set("terminating", util::is_terminating(&run));
        }
        "ValidateMetrics" => {
            let metrics: Vec<Metric> = decode_list(input, "metrics")?;
            set_error(out, util::validate_metrics(&metrics));
        }
        "GetDryRunMetrics" => {
            let dry_run: Vec<DryRun> = decode_list(input, "dryRun")?;
            let metrics: Vec<Metric> = decode_list(input, "metrics")?;
            match util::get_dry_run_metrics(&dry_run, &metrics) {
                Ok(names) => {
                    out.set(
                        "metrics",
                        names.into_iter().map(Value::from).collect::<Vec<_>>(),
                    );
                    out.set("error", Value::Null);
                }
                Err(err) => {
                    out.set("metrics", Vec::<Value>::new());
                    out.set("error", err);
                }
            }
        }
        "GetMeasurementRetentionMetrics" => {
            let rules: Vec<MeasurementRetention> = decode_list(input, "measurementRetention")?;
            let metrics: Vec<Metric> = decode_list(input, "metrics")?;
            match util::get_measurement_retention_metrics(&rules, &metrics) {
                Ok(limits) => {
                    out.set("metrics", serde_json::to_value(limits).unwrap_or_default());
                    out.set("error", Value::Null);
                }
                Err(err) => {
                    out.set("metrics", serde_json::json!({}));
                    out.set("error", err);
                }
            }
        }
        "MergeArgs" => {
            let incoming: Vec<Argument> = decode_list(input, "incoming")?;
            let template: Vec<Argument> = decode_list(input, "templateArgs")?;
            match util::merge_args(&incoming, &template) {
                Ok(args) => {
                    out.set("args", serde_json::to_value(args).unwrap_or_default());
                    out.set("error", Value::Null);
                }
                Err(err) => {
                    out.set("args", Value::Null);
                    out.set("error", err);
                }
            }
        }
        "FlattenTemplates" => {
            let mut specs: Vec<AnalysisTemplateSpec> = decode_list(input, "templates")?;
            specs.extend(decode_list::<AnalysisTemplateSpec>(
                input,
                "clusterTemplates",
            )?);
            let refs: Vec<&AnalysisTemplateSpec> = specs.iter().collect();
            match util::flatten_templates(&refs) {
                Ok(spec) => {
                    out.set("spec", serde_json::to_value(spec).unwrap_or_default());
                    out.set("error", Value::Null);
                }
                Err(err) => {
                    out.set("spec", Value::Null);
                    out.set("error", err);
                }
            }
        }
        "ResolveMetricArgs" => {
            let metric: Metric = decode(input, "metric")?;
            let args: Vec<Argument> = decode_list(input, "args")?;
            match util::resolve_metric_args(&metric, &args) {
                Ok(metric) => {
                    out.set("metric", serde_json::to_value(metric).unwrap_or_default());
                    out.set("error", Value::Null);
                }
                Err(err) => {
                    out.set("metric", Value::Null);
                    out.set("error", err);
                }
            }
        }
        "EvalCondition" => {
            let result = expr_result(input)?;
            let condition = input::str_or(input, "condition", "")?;
            match evaluate::eval_condition(&result, condition) {
                Ok(value) => {
                    out.set("value", value);
                    out.set("error", Value::Null);
                }
                Err(err) => {
                    out.set("value", false);
                    out.set("error", err);
                }
            }
        }
        "EvaluateResult" => {
            let result = expr_result(input)?;
            let metric = Metric {
                success_condition: input::str_or(input, "successCondition", "")?.to_string(),
                failure_condition: input::str_or(input, "failureCondition", "")?.to_string(),
                ..Metric::default()
            };
            match evaluate::evaluate_result(&result, &metric) {
                Ok(phase) => {
                    out.set("phase", phase.as_str());
                    out.set("error", Value::Null);
                }
                Err(err) => {
                    out.set("phase", AnalysisPhase::Error.as_str());
                    out.set("error", err);
                }
            }
        }
        "FilterAnalysisRunsToDelete" => {
            let runs: Vec<AnalysisRun> = decode_list(input, "runs")?;
            let rss: Vec<ReplicaSet> = decode_list(input, "replicaSets")?;
            let refs: Vec<&AnalysisRun> = runs.iter().collect();
            let deleted = util::filter_analysis_runs_to_delete(
                &refs,
                &rss,
                input::i32_or(
                    input,
                    &["limitSuccessful"],
                    util::DEFAULT_ANALYSIS_RUN_HISTORY_LIMIT,
                )?,
                input::i32_or(
                    input,
                    &["limitUnsuccessful"],
                    util::DEFAULT_ANALYSIS_RUN_HISTORY_LIMIT,
                )?,
            );
            out.set("deletedCount", deleted.len());
            out.set(
                "deleted",
                deleted
                    .into_iter()
                    .map(|ar| Value::from(ar.metadata.name.clone()))
                    .collect::<Vec<_>>(),
            );
        }
        other => {
            return Err(CaseError::Unsupported(format!(
                "unknown function `{other}`"
            )))
        }
    }
    Ok(())
}
