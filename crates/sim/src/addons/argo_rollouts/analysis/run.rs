//! `analysis/analysis.go`: one reconciliation of an AnalysisRun — which metrics are due,
//! their measurements, each metric's phase, the run's phase and message, the measurement
//! history trimmed, and when to look again.
//!
//! Pure over the run, the virtual time and a [`Measure`] (the providers), so the upstream
//! unit tests' tables run against it as conformance cases.

use super::super::utils::analysis::{
    self as util, consecutive_error_limit, effective_count, get_result, int_value, is_terminating,
    last_measurement, metric_completed, parse_duration, set_result,
};
use crate::clock::{Duration, Time};
use crate::objects::{
    AnalysisPhase, AnalysisRun, Argument, Measurement, Metric, MetricResult, RunSummary,
};
use std::collections::{BTreeMap, BTreeSet};

/// `DefaultMeasurementHistoryLimit`: measurements kept per metric.
pub const DEFAULT_MEASUREMENT_HISTORY_LIMIT: usize = 10;
/// `DefaultErrorRetryInterval`: the wait before measuring again after an error.
pub const DEFAULT_ERROR_RETRY_INTERVAL: Duration = Duration(10_000);

/// What the controller's providers do (`metric.Provider`, built by `NewProvider`).
pub trait Measure {
    /// `NewProvider` then `Run`; `Err` is the provider that could not be built.
    fn run(&mut self, run: &AnalysisRun, metric: &Metric, now: Time)
        -> Result<Measurement, String>;
    /// `Resume` of an in-flight measurement.
    fn resume(
        &mut self,
        run: &AnalysisRun,
        metric: &Metric,
        measurement: Measurement,
        now: Time,
    ) -> Result<Measurement, String>;
    /// `Terminate` of an in-flight measurement.
    fn terminate(
        &mut self,
        run: &AnalysisRun,
        metric: &Metric,
        measurement: Measurement,
        now: Time,
    ) -> Result<Measurement, String>;
    /// `GetMetadata`: what the metric's result remembers (Prometheus: the resolved query).
    fn metadata(&self, _metric: &Metric) -> BTreeMap<String, String> {
        BTreeMap::new()
    }
    /// `GarbageCollect`: the provider forgets measurements beyond `limit` (a Job provider
    /// deletes their Jobs).
    fn garbage_collect(&mut self, _run: &AnalysisRun, _metric: &Metric, _limit: usize) {}
    /// A secret's key, for `valueFrom.secretKeyRef` arguments.
    fn secret(&self, _namespace: &str, name: &str, _key: &str) -> Result<String, String> {
        Err(format!("secrets \"{name}\" not found"))
    }
}

/// An event about the run (`recorder.Eventf`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunEvent {
    pub warning: bool,
    pub reason: String,
    pub message: String,
}

/// What one reconciliation decided.
#[derive(Clone, Debug, PartialEq)]
pub struct Reconciled {
    pub run: AnalysisRun,
    pub events: Vec<RunEvent>,
    /// `enqueueAnalysisAfter`: when to reconcile again.
    pub requeue_at: Option<Time>,
    /// A completed run whose TTL passed (`maybeGarbageCollectAnalysisRun`).
    pub delete: bool,
}

/// `metav1.Now()` as the API server stores it: whole seconds.
pub fn meta_now(now: Time) -> Time {
    Time(now.0.div_euclid(1000) * 1000)
}

/// `metricTask`: a metric to measure now, with its in-flight measurement if any.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricTask {
    pub metric: Metric,
    pub incomplete: Option<Measurement>,
}

/// `reconcileAnalysisRun`.
pub fn reconcile_analysis_run(
    orig: &AnalysisRun,
    now: Time,
    measure: &mut dyn Measure,
) -> Reconciled {
    let mut out = Reconciled {
        run: orig.clone(),
        events: Vec::new(),
        requeue_at: None,
        delete: false,
    };
    if orig.status.phase.completed() {
        match ttl_deadline(orig) {
            Some(deadline) if orig.metadata.deletion_timestamp.is_none() => {
                if now.after(deadline) {
                    out.delete = true;
                } else {
                    out.requeue_at = Some(deadline + Duration(1));
                }
            }
            _ => {}
        }
        return out;
    }
    let run = &mut out.run;
    let fail = |run: &mut AnalysisRun, events: &mut Vec<RunEvent>, message: String| {
        run.status.phase = AnalysisPhase::Error;
        run.status.message = message;
        events.push(completion_event(run));
    };
    let metrics = match resolved_metrics_without_secrets(&run.spec.metrics, &run.spec.args) {
        Ok(metrics) => metrics,
        Err(err) => {
            fail(
                run,
                &mut out.events,
                format!("Unable to resolve metric arguments: {err}"),
            );
            return out;
        }
    };
    if let Err(err) = util::validate_metrics(&metrics) {
        fail(
            run,
            &mut out.events,
            format!("Analysis spec invalid: {err}"),
        );
        return out;
    }
    let dry_run = match util::get_dry_run_metrics(&run.spec.dry_run, &metrics) {
        Ok(dry_run) => dry_run,
        Err(err) => {
            fail(
                run,
                &mut out.events,
                format!("Analysis spec invalid: {err}"),
            );
            return out;
        }
    };
    let retention =
        match util::get_measurement_retention_metrics(&run.spec.measurement_retention, &metrics) {
            Ok(retention) => retention,
            Err(err) => {
                fail(
                    run,
                    &mut out.events,
                    format!("Analysis spec invalid: {err}"),
                );
                return out;
            }
        };
    let tasks = generate_metric_tasks(run, &metrics, now);
    if let Err(err) = run_measurements(run, tasks, &dry_run, now, measure) {
        fail(
            run,
            &mut out.events,
            format!("Unable to resolve metric arguments: {err}"),
        );
        return out;
    }
    let (phase, message) = assess_run_status(run, &metrics, &dry_run, now, &mut out.events);
    if phase != run.status.phase {
        run.status.phase = phase;
        run.status.message = message;
        if phase.completed() {
            out.events.push(completion_event(run));
            if run.status.completed_at.is_none() {
                run.status.completed_at = Some(meta_now(now));
            }
        }
    }
    garbage_collect_measurements(run, &retention, DEFAULT_MEASUREMENT_HISTORY_LIMIT, measure);
    out.requeue_at = match calculate_next_reconcile_time(run, &metrics, now) {
        // Time.After is strict: a measurement due at `t` is taken one instant later.
        Some(at) => Some(at.max(now) + Duration(1)),
        None => run
            .status
            .phase
            .completed()
            .then(|| ttl_deadline(run))
            .flatten()
            .map(|d| d + Duration(1)),
    };
    out
}

/// `recordAnalysisRunCompletionEvent`.
fn completion_event(run: &AnalysisRun) -> RunEvent {
    let phase = run.status.phase;
    RunEvent {
        warning: matches!(phase, AnalysisPhase::Error | AnalysisPhase::Failed),
        reason: format!("AnalysisRun{}", phase.as_str()),
        message: format!("Analysis Completed. Result: {}", phase.as_str()),
    }
}

/// `getResolvedMetricsWithoutSecrets`: arguments substituted, secrets as a placeholder.
pub fn resolved_metrics_without_secrets(
    metrics: &[Metric],
    args: &[Argument],
) -> Result<Vec<Metric>, String> {
    let args: Vec<Argument> = args
        .iter()
        .map(|arg| match &arg.value_from {
            Some(from) if from.secret_key_ref.is_some() => Argument {
                name: arg.name.clone(),
                value: Some("temp-for-secret".into()),
                value_from: None,
            },
            _ => arg.clone(),
        })
        .collect();
    metrics
        .iter()
        .map(|metric| util::resolve_metric_args(metric, &args))
        .collect()
}

/// `generateMetricTasks`: the metrics due now. A terminating run only finishes what is in
/// flight.
pub fn generate_metric_tasks(run: &AnalysisRun, metrics: &[Metric], now: Time) -> Vec<MetricTask> {
    let terminating = is_terminating(run);
    let mut tasks = Vec::new();
    for (i, metric) in metrics.iter().enumerate() {
        if metric_completed(run, &metric.name) {
            continue;
        }
        let spec_metric = run
            .spec
            .metrics
            .get(i)
            .cloned()
            .unwrap_or_else(|| metric.clone());
        let last = last_measurement(run, &metric.name);
        if let Some(last) = last.filter(|m| m.finished_at.is_none()) {
            if last.resume_at.is_some_and(|at| at.after(now)) {
                continue;
            }
            tasks.push(MetricTask {
                metric: spec_metric,
                incomplete: Some(last.clone()),
            });
            continue;
        }
        if terminating {
            continue;
        }
        let Some(last) = last else {
            if !metric.initial_delay.is_empty() {
                let Some(started) = run.status.started_at else {
                    continue;
                };
                let Ok(delay) = parse_duration(&metric.initial_delay) else {
                    continue;
                };
                if (started + delay).after(now) {
                    continue;
                }
            }
            tasks.push(MetricTask {
                metric: spec_metric,
                incomplete: None,
            });
            continue;
        };
        let count = get_result(run, &metric.name).map_or(0, |r| r.count);
        if effective_count(metric).is_some_and(|wanted| count >= wanted) {
            continue;
        }
        let interval = if last.phase == AnalysisPhase::Error || metric.interval.is_empty() {
            DEFAULT_ERROR_RETRY_INTERVAL
        } else {
            match parse_duration(&metric.interval) {
                Ok(interval) => interval,
                Err(_) => continue,
            }
        };
        let finished = last.finished_at.unwrap_or_default();
        if now.after(finished + interval) {
            tasks.push(MetricTask {
                metric: spec_metric,
                incomplete: None,
            });
        }
    }
    tasks
}

/// `resolveArgs`: arguments with secrets read, every task's metric substituted; returns the
/// secret values to redact.
fn resolve_args(
    tasks: &mut [MetricTask],
    args: &[Argument],
    namespace: &str,
    measure: &dyn Measure,
) -> Result<Vec<String>, String> {
    let mut secrets = BTreeSet::new();
    let mut resolved = Vec::with_capacity(args.len());
    for arg in args {
        match arg
            .value_from
            .as_ref()
            .and_then(|f| f.secret_key_ref.as_ref())
        {
            Some(secret) => {
                let value = measure.secret(namespace, &secret.name, &secret.key)?;
                secrets.insert(value.clone());
                resolved.push(Argument {
                    name: arg.name.clone(),
                    value: Some(value),
                    value_from: arg.value_from.clone(),
                });
            }
            None => resolved.push(arg.clone()),
        }
    }
    for task in tasks.iter_mut() {
        task.metric = util::resolve_metric_args(&task.metric, &resolved)?;
    }
    Ok(secrets.into_iter().collect())
}

/// `runMeasurements`: runs, resumes or terminates each task's measurement and counts it.
pub fn run_measurements(
    run: &mut AnalysisRun,
    mut tasks: Vec<MetricTask>,
    dry_run: &BTreeSet<String>,
    now: Time,
    measure: &mut dyn Measure,
) -> Result<(), String> {
    let terminating = is_terminating(run);
    let namespace = run.metadata.namespace.clone();
    let args = run.spec.args.clone();
    let secrets = resolve_args(&mut tasks, &args, &namespace, measure)?;
    for task in tasks {
        let metric = &task.metric;
        let outcome = match &task.incomplete {
            None => measure.run(run, metric, now),
            Some(incomplete) if terminating => measure
                .terminate(run, metric, incomplete.clone(), now)
                .map(|mut m| {
                    if m.phase == AnalysisPhase::Successful {
                        m.message = "Metric Terminated".into();
                    }
                    m
                }),
            Some(incomplete) => measure.resume(run, metric, incomplete.clone(), now),
        };
        let provider_ok = outcome.is_ok();
        let mut measurement = match outcome {
            Ok(m) => m,
            Err(err) => {
                let mut m = task.incomplete.clone().unwrap_or(Measurement {
                    started_at: Some(meta_now(now)),
                    ..Measurement::default()
                });
                m.phase = AnalysisPhase::Error;
                m.message = err;
                m
            }
        };
        let mut result = get_result(run, &metric.name)
            .cloned()
            .unwrap_or_else(|| MetricResult {
                name: metric.name.clone(),
                phase: AnalysisPhase::Running,
                dry_run: dry_run.contains(&metric.name),
                metadata: if provider_ok {
                    measure.metadata(metric)
                } else {
                    BTreeMap::new()
                },
                ..MetricResult::default()
            });
        if measurement.phase.completed() {
            if measurement.finished_at.is_none() {
                measurement.finished_at = Some(meta_now(now));
            }
            match measurement.phase {
                AnalysisPhase::Successful => {
                    result.successful += 1;
                    result.count += 1;
                    result.consecutive_error = 0;
                    result.consecutive_success += 1;
                }
                AnalysisPhase::Failed => {
                    result.failed += 1;
                    result.count += 1;
                    result.consecutive_error = 0;
                    result.consecutive_success = 0;
                }
                AnalysisPhase::Inconclusive => {
                    result.inconclusive += 1;
                    result.count += 1;
                    result.consecutive_error = 0;
                    result.consecutive_success = 0;
                }
                _ => {
                    result.error += 1;
                    result.consecutive_error += 1;
                    result.consecutive_success = 0;
                }
            }
        }
        for secret in secrets.iter().filter(|s| !s.is_empty()) {
            measurement.message = measurement.message.replace(secret.as_str(), "*****");
        }
        match (&task.incomplete, result.measurements.last_mut()) {
            (Some(_), Some(last)) => *last = measurement,
            _ => result.measurements.push(measurement),
        }
        set_result(run, result);
    }
    Ok(())
}

/// `assessRunStatus`: each metric's phase from its measurements, and the run's from the
/// worst completed metric that is not a dry run.
pub fn assess_run_status(
    run: &mut AnalysisRun,
    metrics: &[Metric],
    dry_run: &BTreeSet<String>,
    now: Time,
    events: &mut Vec<RunEvent>,
) -> (AnalysisPhase, String) {
    let terminating = is_terminating(run);
    let mut worst_status: Option<AnalysisPhase> = None;
    let mut worst_message = String::new();
    let mut everything_completed = true;
    if run.status.started_at.is_none() {
        run.status.started_at = Some(meta_now(now));
    }
    if run.spec.terminate {
        worst_message = "Run Terminated".into();
    }
    let mut summary = RunSummary::default();
    let mut dry_summary = RunSummary::default();
    for metric in metrics {
        let is_dry = dry_run.contains(&metric.name);
        if is_dry {
            dry_summary.count += 1;
        } else {
            summary.count += 1;
        }
        let Some(mut result) = get_result(run, &metric.name).cloned() else {
            // Not started yet (an initial delay).
            everything_completed = false;
            continue;
        };
        let status = assess_metric_status(metric, &result, terminating);
        if result.phase != status {
            if status.completed() {
                events.push(RunEvent {
                    warning: matches!(status, AnalysisPhase::Error | AnalysisPhase::Failed),
                    reason: format!("Metric{}", status.as_str()),
                    message: format!(
                        "Metric '{}' Completed. Result: {}",
                        metric.name,
                        status.as_str()
                    ),
                });
            }
            if let Some(last) = result.measurements.last() {
                result.message = last.message.clone();
            }
            result.phase = status;
            set_result(run, result.clone());
        }
        if !status.completed() {
            everything_completed = false;
            continue;
        }
        let (phase, message) = assess_metric_failure_inconclusive_or_error(metric, &result);
        let tally = |summary: &mut RunSummary| match phase {
            Some(AnalysisPhase::Error) => summary.error += 1,
            Some(AnalysisPhase::Failed) => summary.failed += 1,
            Some(AnalysisPhase::Inconclusive) => summary.inconclusive += 1,
            _ => summary.successful += 1,
        };
        if !is_dry {
            if worst_status.is_none_or(|worst| util::is_worse(worst, status)) {
                worst_status = Some(status);
                if !message.is_empty() {
                    worst_message = format!(
                        "Metric \"{}\" assessed {} due to {message}",
                        metric.name,
                        status.as_str()
                    );
                    if !result.message.is_empty() {
                        worst_message.push_str(&format!(": \"Error Message: {}\"", result.message));
                    }
                }
            }
            tally(&mut summary);
        } else {
            if worst_status.is_none() {
                worst_status = Some(AnalysisPhase::Successful);
            }
            if !message.is_empty() {
                result.message = format!("Metric assessed {} due to {message}", status.as_str());
                set_result(run, result.clone());
            }
            tally(&mut dry_summary);
        }
    }
    let worst_message = worst_message.trim().to_string();
    run.status.run_summary = summary;
    run.status.dry_run_summary = Some(dry_summary);
    if terminating {
        return (
            worst_status.unwrap_or(AnalysisPhase::Successful),
            worst_message,
        );
    }
    match worst_status {
        Some(worst) if everything_completed => (worst, worst_message),
        _ => (AnalysisPhase::Running, String::new()),
    }
}

/// `assessMetricStatus`.
pub fn assess_metric_status(
    metric: &Metric,
    result: &MetricResult,
    terminating: bool,
) -> AnalysisPhase {
    if result.phase.completed() {
        return result.phase;
    }
    let Some(last) = result.measurements.last() else {
        return if terminating {
            AnalysisPhase::Successful
        } else {
            AnalysisPhase::Pending
        };
    };
    if !last.phase.completed() {
        return AnalysisPhase::Running;
    }
    if let (Some(phase), _) = assess_metric_failure_inconclusive_or_error(metric, result) {
        return phase;
    }
    let success_limit = metric
        .consecutive_success_limit
        .as_ref()
        .map_or(0, int_value);
    if success_limit > 0 && result.consecutive_success >= success_limit {
        return AnalysisPhase::Successful;
    }
    if let Some(count) = effective_count(metric) {
        if result.count >= count {
            let failure_applicable = metric
                .failure_limit
                .as_ref()
                .is_none_or(|l| int_value(l) >= 0);
            let success_applicable = success_limit > 0;
            if failure_applicable && success_applicable {
                return AnalysisPhase::Inconclusive;
            }
            if success_applicable {
                return AnalysisPhase::Failed;
            }
            return AnalysisPhase::Successful;
        }
    }
    if terminating {
        AnalysisPhase::Successful
    } else {
        AnalysisPhase::Running
    }
}

/// `assessMetricFailureInconclusiveOrError`: the limit a metric broke, if any (the last
/// check that applies wins, as upstream).
pub fn assess_metric_failure_inconclusive_or_error(
    metric: &Metric,
    result: &MetricResult,
) -> (Option<AnalysisPhase>, String) {
    let mut phase = None;
    let mut message = String::new();
    let failure_limit = metric.failure_limit.as_ref().map_or(0, int_value);
    if failure_limit >= 0 && result.failed > failure_limit {
        phase = Some(AnalysisPhase::Failed);
        message = format!(
            "failed ({}) > failureLimit ({failure_limit})",
            result.failed
        );
    }
    let inconclusive_limit = metric.inconclusive_limit.as_ref().map_or(0, int_value);
    if result.inconclusive > inconclusive_limit {
        phase = Some(AnalysisPhase::Inconclusive);
        message = format!(
            "inconclusive ({}) > inconclusiveLimit ({inconclusive_limit})",
            result.inconclusive
        );
    }
    let error_limit = consecutive_error_limit(metric);
    if result.consecutive_error > error_limit {
        phase = Some(AnalysisPhase::Error);
        message = format!(
            "consecutiveErrors ({}) > consecutiveErrorLimit ({error_limit})",
            result.consecutive_error
        );
    }
    (phase, message)
}

/// `calculateNextReconcileTime`: the earliest instant any metric is due again.
pub fn calculate_next_reconcile_time(
    run: &AnalysisRun,
    metrics: &[Metric],
    now: Time,
) -> Option<Time> {
    let mut earliest: Option<Time> = None;
    let mut consider = |at: Time| {
        if earliest.is_none_or(|e| e.after(at)) {
            earliest = Some(at);
        }
    };
    for metric in metrics {
        if metric_completed(run, &metric.name) {
            continue;
        }
        let Some(last) = last_measurement(run, &metric.name) else {
            if !metric.initial_delay.is_empty() {
                let start = run.status.started_at.unwrap_or(meta_now(now));
                if let Ok(delay) = parse_duration(&metric.initial_delay) {
                    consider(start + delay);
                }
            }
            continue;
        };
        let Some(finished) = last.finished_at else {
            if let Some(resume) = last.resume_at {
                consider(resume);
            }
            continue;
        };
        let count = get_result(run, &metric.name).map_or(0, |r| r.count);
        if effective_count(metric).is_some_and(|wanted| count >= wanted) {
            continue;
        }
        let interval = if last.phase == AnalysisPhase::Error {
            DEFAULT_ERROR_RETRY_INTERVAL
        } else if !metric.interval.is_empty() {
            match parse_duration(&metric.interval) {
                Ok(interval) => interval,
                Err(_) => continue,
            }
        } else {
            continue;
        };
        consider(finished + interval);
    }
    earliest
}

/// `garbageCollectMeasurements`: each metric keeps its newest `limit` measurements (or its
/// `measurementRetention` limit).
fn garbage_collect_measurements(
    run: &mut AnalysisRun,
    retention: &BTreeMap<String, i32>,
    limit: usize,
    measure: &mut dyn Measure,
) {
    let Ok(metrics) = resolved_metrics_without_secrets(&run.spec.metrics, &run.spec.args) else {
        return;
    };
    for i in 0..run.status.metric_results.len() {
        let name = run.status.metric_results[i].name.clone();
        let keep = retention
            .get(&name)
            .filter(|l| **l > 0)
            .map_or(limit, |l| *l as usize);
        let length = run.status.metric_results[i].measurements.len();
        if length <= keep {
            continue;
        }
        let Some(metric) = metrics.iter().find(|m| m.name == name) else {
            continue;
        };
        measure.garbage_collect(run, metric, keep);
        run.status.metric_results[i]
            .measurements
            .drain(..length - keep);
    }
}

/// When a completed run with a `ttlStrategy` is deleted (`isAnalysisRunTtlExceeded`).
fn ttl_deadline(run: &AnalysisRun) -> Option<Time> {
    let ttl = run.spec.ttl_strategy.as_ref()?;
    let completed = run.status.completed_at?;
    let seconds = match run.status.phase {
        AnalysisPhase::Successful if ttl.seconds_after_success.is_some() => {
            ttl.seconds_after_success
        }
        AnalysisPhase::Failed if ttl.seconds_after_failure.is_some() => ttl.seconds_after_failure,
        _ => ttl.seconds_after_completion,
    }?;
    // `int32(secondsCompleted) > ttl`: deleted once a whole second more has passed.
    Some(completed + Duration::from_secs(i64::from(seconds) + 1) - Duration(1))
}
