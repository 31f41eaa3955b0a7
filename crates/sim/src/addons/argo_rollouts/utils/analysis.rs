//! `utils/analysis` (helpers.go, factory.go, filter.go) and the analysis parts of
//! `utils/defaults`: phase ordering, results by metric name, templates flattened into a
//! run, arguments merged and substituted, metric validation, run labels, and which old runs
//! a Rollout deletes.

use super::ROLLOUTS_POD_TEMPLATE_HASH;
use crate::clock::Duration;
use crate::network::pattern::Pattern;
use crate::objects::{
    AnalysisPhase, AnalysisRun, AnalysisRunArgument, AnalysisTemplateSpec, Argument, DryRun,
    IntOrString, Measurement, MeasurementRetention, Metric, MetricResult, ReplicaSet, Rollout,
};
use std::collections::{BTreeMap, BTreeSet};

/// `defaults.DefaultConsecutiveErrorLimit`.
pub const DEFAULT_CONSECUTIVE_ERROR_LIMIT: i32 = 4;
/// `defaults.DefaultAnalysisRunSuccessfulHistoryLimit` / `…UnsuccessfulHistoryLimit`.
pub const DEFAULT_ANALYSIS_RUN_HISTORY_LIMIT: i32 = 5;

/// Labels and annotations a Rollout puts on its runs (`v1alpha1` constants).
pub const ROLLOUT_TYPE_LABEL: &str = "rollout-type";
pub const ROLLOUT_TYPE_STEP: &str = "Step";
pub const ROLLOUT_TYPE_BACKGROUND: &str = "Background";
pub const ROLLOUT_TYPE_PRE_PROMOTION: &str = "PrePromotion";
pub const ROLLOUT_TYPE_POST_PROMOTION: &str = "PostPromotion";
pub const CANARY_STEP_INDEX_LABEL: &str = "step-index";
pub const CONTROLLER_INSTANCE_ID_LABEL: &str = "argo-rollouts.argoproj.io/controller-instance-id";

/// `IntOrString.IntValue()`: a string that is not a number counts as 0.
pub fn int_value(value: &IntOrString) -> i32 {
    match value {
        IntOrString::Int(n) => *n,
        IntOrString::String(s) => s.parse().unwrap_or(0),
    }
}

/// `IntOrString.String()`.
pub fn int_or_string(value: &IntOrString) -> String {
    match value {
        IntOrString::Int(n) => n.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

/// `Metric.EffectiveCount`: 1 without count and interval, unbounded with only an interval.
pub fn effective_count(metric: &Metric) -> Option<i32> {
    match metric.count.as_ref().map(int_value) {
        None | Some(0) if metric.interval.is_empty() => Some(1),
        None | Some(0) => None,
        Some(count) => Some(count),
    }
}

/// `GetConsecutiveErrorLimitOrDefault`.
pub fn consecutive_error_limit(metric: &Metric) -> i32 {
    metric
        .consecutive_error_limit
        .as_ref()
        .map_or(DEFAULT_CONSECUTIVE_ERROR_LIMIT, int_value)
}

/// Completed phases from best to worst (`analysisStatusOrder`).
const STATUS_ORDER: [AnalysisPhase; 6] = [
    AnalysisPhase::Successful,
    AnalysisPhase::Running,
    AnalysisPhase::Pending,
    AnalysisPhase::Inconclusive,
    AnalysisPhase::Error,
    AnalysisPhase::Failed,
];

fn order(phase: AnalysisPhase) -> usize {
    STATUS_ORDER.iter().position(|p| *p == phase).unwrap_or(0)
}

/// `IsWorse`.
pub fn is_worse(current: AnalysisPhase, new: AnalysisPhase) -> bool {
    order(new) > order(current)
}

/// `Worst`.
pub fn worst(left: AnalysisPhase, right: AnalysisPhase) -> AnalysisPhase {
    if is_worse(left, right) {
        right
    } else {
        left
    }
}

/// `IsTerminating`: asked to stop, or a metric that counts already ended badly.
pub fn is_terminating(run: &AnalysisRun) -> bool {
    run.spec.terminate
        || run.status.metric_results.iter().any(|res| {
            !res.dry_run
                && matches!(
                    res.phase,
                    AnalysisPhase::Failed | AnalysisPhase::Error | AnalysisPhase::Inconclusive
                )
        })
}

/// `GetResult`.
pub fn get_result<'a>(run: &'a AnalysisRun, metric: &str) -> Option<&'a MetricResult> {
    run.status.metric_results.iter().find(|r| r.name == metric)
}

/// `SetResult`.
pub fn set_result(run: &mut AnalysisRun, result: MetricResult) {
    match run
        .status
        .metric_results
        .iter_mut()
        .find(|r| r.name == result.name)
    {
        Some(slot) => *slot = result,
        None => run.status.metric_results.push(result),
    }
}

/// `MetricCompleted`.
pub fn metric_completed(run: &AnalysisRun, metric: &str) -> bool {
    get_result(run, metric).is_some_and(|r| r.phase.completed())
}

/// `LastMeasurement`.
pub fn last_measurement<'a>(run: &'a AnalysisRun, metric: &str) -> Option<&'a Measurement> {
    get_result(run, metric).and_then(|r| r.measurements.last())
}

/// Go's `regexp.MatchString` (unanchored) for metric-name rules, through the lab's small
/// regular-expression matcher; a pattern it cannot compile matches nothing.
fn matches_rule(rule: &str, name: &str) -> bool {
    Pattern::compile(rule).is_some_and(|p| p.is_match(name))
}

/// `GetDryRunMetrics`: the names of metrics that run in dry-run mode.
pub fn get_dry_run_metrics(
    dry_run: &[DryRun],
    metrics: &[Metric],
) -> Result<BTreeSet<String>, String> {
    let mut names = BTreeSet::new();
    for (index, rule) in dry_run.iter().enumerate() {
        let mut matched = 0;
        for metric in metrics {
            if matches_rule(&rule.metric_name, &metric.name) {
                names.insert(metric.name.clone());
                matched += 1;
            }
        }
        if matched < 1 {
            return Err(format!(
                "dryRun[{index}]: Rule didn't match any metric name(s)"
            ));
        }
    }
    Ok(names)
}

/// `GetMeasurementRetentionMetrics`: each metric's measurement limit.
pub fn get_measurement_retention_metrics(
    retention: &[MeasurementRetention],
    metrics: &[Metric],
) -> Result<BTreeMap<String, i32>, String> {
    let mut limits = BTreeMap::new();
    for (index, rule) in retention.iter().enumerate() {
        let mut matched = 0;
        for metric in metrics {
            if matches_rule(&rule.metric_name, &metric.name) {
                limits.insert(metric.name.clone(), rule.limit);
                matched += 1;
            }
        }
        if matched < 1 {
            return Err(format!(
                "measurementRetention[{index}]: Rule didn't match any metric name(s)"
            ));
        }
    }
    Ok(limits)
}

/// Go's `time.ParseDuration`, with its error messages.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    Duration::parse_go(text)
}

/// `ValidateMetrics`.
pub fn validate_metrics(metrics: &[Metric]) -> Result<(), String> {
    if metrics.is_empty() {
        return Err("no metrics specified".into());
    }
    let mut names = BTreeSet::new();
    for (i, metric) in metrics.iter().enumerate() {
        if !names.insert(metric.name.as_str()) {
            return Err(format!("metrics[{i}]: duplicate name '{}'", metric.name));
        }
        validate_metric(metric).map_err(|err| format!("metrics[{i}]: {err}"))?;
    }
    Ok(())
}

/// `ValidateMetric`.
pub fn validate_metric(metric: &Metric) -> Result<(), String> {
    let count = metric.count.as_ref().map_or(0, int_value);
    let failure_limit = metric.failure_limit.as_ref().map_or(0, int_value);
    let success_limit = metric
        .consecutive_success_limit
        .as_ref()
        .map_or(0, int_value);
    let inconclusive_limit = metric.inconclusive_limit.as_ref().map_or(0, int_value);
    if success_limit < 0 {
        return Err("consecutiveSuccessLimit must be >= 0".into());
    }
    if failure_limit < -1 {
        return Err("failureLimit must be >= 0, or -1 to be disabled".into());
    }
    if success_limit == 0 && failure_limit == -1 {
        return Err("failureLimit and consecutiveSuccessLimit cannot both be disabled".into());
    }
    if inconclusive_limit < 0 {
        return Err("inconclusiveLimit must be >= 0".into());
    }
    if metric
        .consecutive_error_limit
        .as_ref()
        .is_some_and(|l| int_value(l) < 0)
    {
        return Err("consecutiveErrorLimit must be >= 0".into());
    }
    if count > 0 {
        if failure_limit >= 0 {
            if count < failure_limit + success_limit {
                return Err(format!(
                    "count ({count}) must be >= failureLimit + consecutiveSuccessLimit ({failure_limit} + {success_limit}) if both >= 0"
                ));
            }
        } else if count < success_limit {
            return Err("count must be >= consecutiveSuccessLimit".into());
        }
        if count < inconclusive_limit {
            return Err("count must be >= inconclusiveLimit".into());
        }
    }
    if count > 1 && metric.interval.is_empty() {
        return Err("interval must be specified when count > 1".into());
    }
    if !metric.interval.is_empty() {
        parse_duration(&metric.interval)
            .map_err(|err| format!("invalid interval string: {err}"))?;
    }
    if !metric.initial_delay.is_empty() {
        parse_duration(&metric.initial_delay)
            .map_err(|err| format!("invalid startDelay string: {err}"))?;
    }
    let provider = &metric.provider;
    let mut providers = usize::from(provider.prometheus.is_some())
        + usize::from(provider.web.is_some())
        + usize::from(provider.job.is_some());
    for (name, value) in &provider.other {
        if name == "plugin" {
            providers += value.as_object().map_or(0, |m| m.len());
        } else if !value.is_null() {
            providers += 1;
        }
    }
    match providers {
        0 => Err("no provider specified".into()),
        1 => Ok(()),
        _ => Err("multiple providers specified".into()),
    }
}

/// `ResolveArgs`: every merged argument has a value (or a source for one).
pub fn resolve_args(args: &[Argument]) -> Result<(), String> {
    match args
        .iter()
        .find(|a| a.value.is_none() && a.value_from.is_none())
    {
        Some(arg) => Err(format!("args.{} was not resolved", arg.name)),
        None => Ok(()),
    }
}

/// `MergeArgs`: the template's arguments, with values the caller supplied.
pub fn merge_args(incoming: &[Argument], template: &[Argument]) -> Result<Vec<Argument>, String> {
    let mut merged = template.to_vec();
    for arg in incoming {
        if let Some(slot) = merged.iter_mut().find(|a| a.name == arg.name) {
            if arg.value.is_some() {
                slot.value = arg.value.clone();
            } else if arg.value_from.is_some() {
                slot.value_from = arg.value_from.clone();
            }
        }
    }
    resolve_args(&merged)?;
    Ok(merged)
}

/// `FlattenTemplates`: the metrics, dry-run and retention rules and arguments of several
/// templates, as one.
pub fn flatten_templates(
    templates: &[&AnalysisTemplateSpec],
) -> Result<AnalysisTemplateSpec, String> {
    let mut metrics: Vec<Metric> = Vec::new();
    for template in templates {
        metrics.extend(template.metrics.iter().cloned());
    }
    let mut seen = BTreeSet::new();
    for metric in &metrics {
        if !seen.insert(metric.name.clone()) {
            return Err(format!("two metrics have the same name '{}'", metric.name));
        }
    }
    let dry_run: Vec<DryRun> = templates
        .iter()
        .flat_map(|t| t.dry_run.iter().cloned())
        .collect();
    validate_dry_run_metrics(&dry_run)?;
    let retention: Vec<MeasurementRetention> = templates
        .iter()
        .flat_map(|t| t.measurement_retention.iter().cloned())
        .collect();
    validate_measurement_retention_metrics(&retention)?;
    let mut args: Vec<Argument> = Vec::new();
    for arg in templates.iter().flat_map(|t| t.args.iter()) {
        match args.iter_mut().find(|a| a.name == arg.name) {
            Some(previous) => {
                if let (Some(a), Some(b)) = (&previous.value, &arg.value) {
                    if a != b {
                        return Err(format!(
                            "Argument `{}` specified multiple times with different values: '{a}', '{b}'",
                            arg.name
                        ));
                    }
                }
                if previous.value.is_none() {
                    *previous = arg.clone();
                }
            }
            None => args.push(arg.clone()),
        }
    }
    Ok(AnalysisTemplateSpec {
        metrics,
        args,
        dry_run,
        measurement_retention: retention,
        templates: Vec::new(),
    })
}

pub fn validate_dry_run_metrics(dry_run: &[DryRun]) -> Result<(), String> {
    let mut seen = BTreeSet::new();
    for rule in dry_run {
        if !seen.insert(rule.metric_name.as_str()) {
            return Err(format!(
                "two Dry-Run metric rules have the same name '{}'",
                rule.metric_name
            ));
        }
    }
    Ok(())
}

pub fn validate_measurement_retention_metrics(
    rules: &[MeasurementRetention],
) -> Result<(), String> {
    let mut seen = BTreeSet::new();
    for rule in rules {
        if !seen.insert(rule.metric_name.as_str()) {
            return Err(format!(
                "two Measurement Retention metric rules have the same name '{}'",
                rule.metric_name
            ));
        }
    }
    Ok(())
}

/// `ResolveMetricArgs`: `{{args.name}}` replaced by each argument's value, escaped as inside
/// a Go string literal (the substitution happens in the metric's JSON).
pub fn resolve_metric_args(metric: &Metric, args: &[Argument]) -> Result<Metric, String> {
    let json = serde_json::to_string(metric).map_err(|e| e.to_string())?;
    let mut values = BTreeMap::new();
    for arg in args {
        let Some(value) = &arg.value else {
            return Err(format!("argument \"{}\" was not supplied", arg.name));
        };
        let quoted = crate::strconv::quote(value);
        values.insert(
            format!("args.{}", arg.name),
            quoted[1..quoted.len() - 1].to_string(),
        );
    }
    let resolved = substitute(&json, &values)?;
    serde_json::from_str(&resolved).map_err(|e| e.to_string())
}

/// fasttemplate's `{{tag}}` substitution as `resolve` uses it: tags are trimmed, the first
/// unknown one is reported (all unknown ones become empty).
fn substitute(template: &str, values: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    let mut unresolved = None;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err(format!(
                "cannot find end tag=\"}}}}\" in the template={} starting from {}",
                crate::strconv::quote(template),
                crate::strconv::quote(after)
            ));
        };
        let tag = &after[..end];
        match values.get(tag.trim()) {
            Some(value) => out.push_str(value),
            None => unresolved = Some(format!("failed to resolve {{{{{tag}}}}}")),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    match unresolved {
        Some(err) => Err(err),
        None => Ok(out),
    }
}

/// `BuildArgumentsForRolloutAnalysisRun`: a Rollout's `args`, with pod-template hashes and
/// field references looked up.
pub fn build_arguments_for_rollout_analysis_run(
    args: &[AnalysisRunArgument],
    stable_rs: Option<&ReplicaSet>,
    new_rs: Option<&ReplicaSet>,
    rollout: &Rollout,
) -> Result<Vec<Argument>, String> {
    let hash_of = |rs: Option<&ReplicaSet>| {
        rs.and_then(|rs| rs.metadata.labels.get(ROLLOUTS_POD_TEMPLATE_HASH))
            .cloned()
            .unwrap_or_default()
    };
    let mut error = None;
    let mut arguments = Vec::new();
    for arg in args {
        let mut value = arg.value.clone();
        if let Some(from) = &arg.value_from {
            if let Some(which) = &from.pod_template_hash_value {
                match which.as_str() {
                    "Latest" => value = hash_of(new_rs),
                    "Stable" => value = hash_of(stable_rs),
                    _ => {}
                }
            } else if let Some(field) = &from.field_ref {
                let path = &field.field_path;
                let extracted = if path.starts_with("metadata") {
                    extract_metadata_field(rollout, path)
                } else {
                    extract_value_from_rollout(rollout, path)
                };
                match extracted {
                    Ok(v) => value = v,
                    Err(err) if path.starts_with("metadata") => return Err(err),
                    Err(err) => {
                        value = String::new();
                        error = Some(err);
                    }
                }
            }
        }
        arguments.push(Argument {
            name: arg.name.clone(),
            value: Some(value),
            value_from: None,
        });
    }
    match error {
        Some(err) => Err(err),
        None => Ok(arguments),
    }
}

/// `fieldpath.ExtractFieldPathAsString` for the paths a Rollout's metadata offers.
fn extract_metadata_field(rollout: &Rollout, path: &str) -> Result<String, String> {
    let meta = &rollout.metadata;
    let subscript = |prefix: &str| -> Option<String> {
        let inner = path
            .strip_prefix(prefix)?
            .strip_prefix("['")?
            .strip_suffix("']")?;
        Some(inner.to_string())
    };
    if let Some(key) = subscript("metadata.annotations") {
        return Ok(meta.annotations.get(&key).cloned().unwrap_or_default());
    }
    if let Some(key) = subscript("metadata.labels") {
        return Ok(meta.labels.get(&key).cloned().unwrap_or_default());
    }
    Ok(match path {
        "metadata.name" => meta.name.clone(),
        "metadata.namespace" => meta.namespace.clone(),
        "metadata.uid" => meta.uid.clone(),
        "metadata.annotations" => format_map(&meta.annotations),
        "metadata.labels" => format_map(&meta.labels),
        _ => return Err(format!("unsupported fieldPath: {path}")),
    })
}

/// `FormatMap`: `key="value"` lines, sorted.
fn format_map(map: &BTreeMap<String, String>) -> String {
    map.iter()
        .map(|(k, v)| format!("{k}={}\n", crate::strconv::quote(v)))
        .collect::<String>()
        .trim_end_matches('\n')
        .to_string()
}

/// `extractValueFromRollout`: a dotted (or indexed) path into the Rollout's JSON.
fn extract_value_from_rollout(rollout: &Rollout, path: &str) -> Result<String, String> {
    let mut current = serde_json::to_value(rollout).unwrap_or_default();
    for section in path.split(['.', '[', ']']).filter(|s| !s.is_empty()) {
        current = match current {
            serde_json::Value::Array(items) => {
                let index: usize = section
                    .parse()
                    .map_err(|_| format!("invalid index '{section}'"))?;
                items
                    .get(index)
                    .cloned()
                    .ok_or_else(|| format!("index {index} out of range"))?
            }
            serde_json::Value::Object(map) => {
                map.get(section).cloned().unwrap_or(serde_json::Value::Null)
            }
            _ => return Err(format!("invalid path {path} in rollout")),
        };
    }
    match current {
        serde_json::Value::Null => Err(format!("invalid path {path} in rollout")),
        serde_json::Value::Array(_) | serde_json::Value::Object(_) => Err(format!(
            "path {path} in rollout must terminate in a primitive value"
        )),
        serde_json::Value::String(s) => Ok(s),
        other => Ok(other.to_string()),
    }
}

/// The labels of a run a Rollout starts (`StepLabels`, `BackgroundLabels`,
/// `PrePromotionLabels`, `PostPromotionLabels`).
pub fn run_labels(
    kind: &str,
    pod_hash: &str,
    step_index: Option<i32>,
    instance_id: &str,
) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::from([
        (ROLLOUTS_POD_TEMPLATE_HASH.to_string(), pod_hash.to_string()),
        (ROLLOUT_TYPE_LABEL.to_string(), kind.to_string()),
    ]);
    if let Some(index) = step_index {
        labels.insert(CANARY_STEP_INDEX_LABEL.into(), index.to_string());
    }
    if !instance_id.is_empty() {
        labels.insert(CONTROLLER_INSTANCE_ID_LABEL.into(), instance_id.to_string());
    }
    labels
}

/// `IsSemanticallyEqual`: same metrics, dry-run and retention rules and arguments.
pub fn is_semantically_equal(left: &AnalysisRun, right: &AnalysisRun) -> bool {
    left.spec.metrics == right.spec.metrics
        && left.spec.dry_run == right.spec.dry_run
        && left.spec.measurement_retention == right.spec.measurement_retention
        && left.spec.args == right.spec.args
}

/// `FilterAnalysisRunsToDelete`: runs whose ReplicaSet is gone (or going), and completed
/// runs beyond the history limits, newest kept.
pub fn filter_analysis_runs_to_delete<'a>(
    runs: &[&'a AnalysisRun],
    all_rss: &[ReplicaSet],
    limit_successful: i32,
    limit_unsuccessful: i32,
) -> Vec<&'a AnalysisRun> {
    let mut rs_deleting: BTreeMap<&str, bool> = BTreeMap::new();
    for rs in all_rss {
        if let Some(hash) = rs.metadata.labels.get(ROLLOUTS_POD_TEMPLATE_HASH) {
            rs_deleting.insert(hash.as_str(), rs.metadata.deletion_timestamp.is_some());
        }
    }
    let mut sorted: Vec<&AnalysisRun> = runs.to_vec();
    // Newest first; a stable sort keeps the given order among equals, as Go's sort.Sort
    // happens to on the small lists this sees.
    sorted.sort_by(|a, b| {
        b.metadata
            .creation_timestamp
            .cmp(&a.metadata.creation_timestamp)
    });
    let (mut successful, mut unsuccessful) = (0, 0);
    let mut delete = Vec::new();
    for run in sorted {
        let Some(hash) = run.metadata.labels.get(ROLLOUTS_POD_TEMPLATE_HASH) else {
            delete.push(run);
            continue;
        };
        match rs_deleting.get(hash.as_str()) {
            None | Some(true) => {
                delete.push(run);
                continue;
            }
            Some(false) => {}
        }
        match run.status.phase {
            AnalysisPhase::Successful => {
                if successful < limit_successful {
                    successful += 1;
                } else {
                    delete.push(run);
                }
            }
            AnalysisPhase::Failed | AnalysisPhase::Error | AnalysisPhase::Inconclusive => {
                if unsuccessful < limit_unsuccessful {
                    unsuccessful += 1;
                } else {
                    delete.push(run);
                }
            }
            _ => {}
        }
    }
    delete
}

/// `GetAnalysisRunSuccessfulHistoryLimitOrDefault` / `…Unsuccessful…`.
pub fn analysis_run_history_limits(rollout: &Rollout) -> (i32, i32) {
    let limit = |field: &str| {
        rollout
            .spec
            .analysis
            .as_ref()
            .and_then(|a| a.get(field))
            .and_then(serde_json::Value::as_i64)
            .map_or(DEFAULT_ANALYSIS_RUN_HISTORY_LIMIT, |n| n as i32)
    };
    (
        limit("successfulRunHistoryLimit"),
        limit("unsuccessfulRunHistoryLimit"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_like_go() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("1.5h"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("500ms"), Ok(Duration(500)));
        assert_eq!(
            parse_duration("5"),
            Err("time: missing unit in duration \"5\"".into())
        );
        assert_eq!(
            parse_duration("5x"),
            Err("time: unknown unit \"x\" in duration \"5x\"".into())
        );
        assert_eq!(
            parse_duration("invalid-start-delay"),
            Err("time: invalid duration \"invalid-start-delay\"".into())
        );
    }

    #[test]
    fn arguments_are_substituted_inside_json_strings() {
        let metric: Metric = serde_json::from_str(
            r#"{"name":"m","provider":{"prometheus":{"query":"x{service=\"{{ args.svc }}\"}"}}}"#,
        )
        .unwrap();
        let args = [Argument {
            name: "svc".into(),
            value: Some("a\"b".into()),
            value_from: None,
        }];
        let resolved = resolve_metric_args(&metric, &args).unwrap();
        assert_eq!(
            resolved.provider.prometheus.unwrap().query,
            "x{service=\"a\"b\"}"
        );
        let err = resolve_metric_args(&metric, &[]).unwrap_err();
        assert_eq!(err, "failed to resolve {{ args.svc }}");
    }
}
