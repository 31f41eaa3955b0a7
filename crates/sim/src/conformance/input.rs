//! Reading the case vocabulary (README "Conventions used in inputs") into typed objects.

use super::CaseError;
use crate::clock::{Duration, Time};
use crate::objects::ContainerStatus;
use crate::objects::{
    ConditionStatus, Deployment, DeploymentCondition, DeploymentConditionType, DeploymentStatus,
    DeploymentStrategyType, IntOrString, ObjectMeta, Pod, PodCondition, PodConditionType, PodPhase,
    PodReplacementPolicy, ReplicaSet, RollingUpdateDeployment,
};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub type Object = Map<String, Value>;

fn bad(reason: String) -> CaseError {
    CaseError::BadInput(reason)
}

/// "now" for cases whose times are relative to it (pod ordering, cleanup order).
pub const REFERENCE_NOW: Time = Time(1_704_067_200_000); // 2024-01-01T00:00:00Z
/// Stands in for "the real wall clock" of tests written in 2017: far after every fixture time.
pub const WALL_CLOCK: Time = Time(4_102_444_800_000); // 2100-01-01T00:00:00Z

// ---------------------------------------------------------------------------------------------
// Scalars.

/// The first of `keys` present in `object` (even if null).
pub fn first<'a>(object: &'a Object, keys: &[&str]) -> Option<&'a Value> {
    keys.iter().find_map(|key| object.get(*key))
}

/// An integer: a JSON number, a numeric string, or `"MaxInt32"`.
pub fn int_value(key: &str, value: &Value) -> Result<Option<i64>, CaseError> {
    match value {
        Value::Null => Ok(None),
        Value::Number(number) => number
            .as_i64()
            .map(Some)
            .ok_or_else(|| bad(format!("`{key}` is not an integer: {number}"))),
        Value::String(text) if text == "MaxInt32" => Ok(Some(i64::from(i32::MAX))),
        Value::String(text) => text
            .parse()
            .map(Some)
            .map_err(|_| bad(format!("`{key}` is not an integer: {text:?}"))),
        other => Err(bad(format!("`{key}` is not an integer: {other}"))),
    }
}

fn to_i32(key: &str, value: i64) -> Result<i32, CaseError> {
    i32::try_from(value).map_err(|_| bad(format!("`{key}` does not fit an int32: {value}")))
}

/// An optional int32 under the first present key; absent and null are `None`.
pub fn opt_i32(object: &Object, keys: &[&str]) -> Result<Option<i32>, CaseError> {
    let key = keys.first().copied().unwrap_or("");
    match first(object, keys) {
        None => Ok(None),
        Some(value) => int_value(key, value)?.map(|v| to_i32(key, v)).transpose(),
    }
}

pub fn i32_or(object: &Object, keys: &[&str], default: i32) -> Result<i32, CaseError> {
    Ok(opt_i32(object, keys)?.unwrap_or(default))
}

pub fn req_i32(object: &Object, keys: &[&str]) -> Result<i32, CaseError> {
    opt_i32(object, keys)?.ok_or_else(|| bad(format!("missing `{}`", keys.join("` or `"))))
}

pub fn i64_or(object: &Object, keys: &[&str], default: i64) -> Result<i64, CaseError> {
    let key = keys.first().copied().unwrap_or("");
    match first(object, keys) {
        None => Ok(default),
        Some(value) => Ok(int_value(key, value)?.unwrap_or(default)),
    }
}

pub fn opt_str<'a>(object: &'a Object, key: &str) -> Result<Option<&'a str>, CaseError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(other) => Err(bad(format!("`{key}` is not a string: {other}"))),
    }
}

pub fn str_or<'a>(object: &'a Object, key: &str, default: &'a str) -> Result<&'a str, CaseError> {
    Ok(opt_str(object, key)?.unwrap_or(default))
}

pub fn bool_or(object: &Object, key: &str, default: bool) -> Result<bool, CaseError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Bool(value)) => Ok(*value),
        Some(other) => Err(bad(format!("`{key}` is not a boolean: {other}"))),
    }
}

pub fn opt_object<'a>(object: &'a Object, key: &str) -> Result<Option<&'a Object>, CaseError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(inner)) => Ok(Some(inner)),
        Some(other) => Err(bad(format!("`{key}` is not an object: {other}"))),
    }
}

pub fn array<'a>(object: &'a Object, key: &str) -> Result<&'a [Value], CaseError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(bad(format!("`{key}` is not an array: {other}"))),
    }
}

pub fn as_object<'a>(key: &str, value: &'a Value) -> Result<&'a Object, CaseError> {
    value
        .as_object()
        .ok_or_else(|| bad(format!("`{key}` item is not an object: {value}")))
}

/// A string map (annotations); null or absent is empty. Numbers are accepted as their text.
pub fn string_map(object: &Object, key: &str) -> Result<BTreeMap<String, String>, CaseError> {
    let Some(map) = opt_object(object, key)? else {
        return Ok(BTreeMap::new());
    };
    map.iter()
        .map(|(k, v)| match v {
            Value::String(text) => Ok((k.clone(), text.clone())),
            Value::Number(number) => Ok((k.clone(), number.to_string())),
            other => Err(bad(format!("`{key}.{k}` is not a string: {other}"))),
        })
        .collect()
}

/// An annotation value given as a string or a number; null = absent.
pub fn annotation_value(object: &Object, key: &str) -> Result<Option<String>, CaseError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(Value::Number(number)) => Ok(Some(number.to_string())),
        Some(other) => Err(bad(format!("`{key}` is not an annotation value: {other}"))),
    }
}

/// maxSurge / maxUnavailable: integer, `"N%"` (any string, validated later), or null.
pub fn int_or_string(object: &Object, key: &str) -> Result<Option<IntOrString>, CaseError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(IntOrString::String(text.clone()))),
        Some(value) => Ok(Some(IntOrString::Int(to_i32(
            key,
            int_value(key, value)?.unwrap_or(0),
        )?))),
    }
}

// ---------------------------------------------------------------------------------------------
// Time.

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = if year >= 0 { year } else { year - 399 } / 400;
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn number_in(text: &str, range: std::ops::Range<usize>) -> Option<i64> {
    text.get(range)?.parse().ok()
}

/// `HH:MM:SS` or `YYYY-MM-DDTHH:MM:SS[.frac]Z`. A sub-millisecond fraction rounds *up*, so
/// "one nanosecond later" stays strictly later on the millisecond clock.
fn parse_timestamp(text: &str) -> Option<Time> {
    let (date, clock) = match text.split_once('T') {
        Some((date, clock)) => (date, clock.strip_suffix('Z')?),
        None => ("2016-01-01", text),
    };
    let (year, month, day) = (
        number_in(date, 0..4)?,
        number_in(date, 5..7)?,
        number_in(date, 8..10)?,
    );
    let (hms, fraction) = clock.split_once('.').unwrap_or((clock, ""));
    let (hour, minute, second) = (
        number_in(hms, 0..2)?,
        number_in(hms, 3..5)?,
        number_in(hms, 6..8)?,
    );
    if hms.len() != 8 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let nanos: i64 = format!("{fraction:0<9}").get(..9)?.parse().ok()?;
    let millis = (nanos + 999_999) / 1_000_000;
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second;
    Some(Time(seconds * 1000 + millis))
}

/// `now`, `now-2h`, `now+1m`, `now-1month` (30 days) relative to `now`.
fn parse_relative(text: &str, now: Time) -> Option<Time> {
    let offset = text.strip_prefix("now")?;
    if offset.is_empty() {
        return Some(now);
    }
    let (sign, rest) = match offset.as_bytes().first()? {
        b'-' => (-1, &offset[1..]),
        b'+' => (1, &offset[1..]),
        _ => return None,
    };
    let digits_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let amount: i64 = rest[..digits_end].parse().ok()?;
    let unit_ms: i64 = match &rest[digits_end..] {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "month" | "months" => 30 * 86_400_000,
        _ => return None,
    };
    Some(now + Duration(sign * amount.checked_mul(unit_ms)?))
}

/// A time value; `None` for null / `"zero"` (Go's zero time, i.e. unset).
pub fn time_value(key: &str, value: &Value, now: Time) -> Result<Option<Time>, CaseError> {
    let text = match value {
        Value::Null => return Ok(None),
        Value::String(text) => text.as_str(),
        Value::Number(number) => return Ok(number.as_i64().map(Time)),
        other => return Err(bad(format!("`{key}` is not a time: {other}"))),
    };
    if text == "zero" || text.is_empty() {
        return Ok(None);
    }
    if text.starts_with("real wall clock") {
        return Ok(Some(WALL_CLOCK));
    }
    parse_relative(text, now)
        .or_else(|| parse_timestamp(text))
        .map(Some)
        .ok_or_else(|| bad(format!("`{key}` is not a time: {text:?}")))
}

pub fn opt_time(object: &Object, key: &str, now: Time) -> Result<Option<Time>, CaseError> {
    object
        .get(key)
        .map_or(Ok(None), |value| time_value(key, value, now))
}

// ---------------------------------------------------------------------------------------------
// Objects.

fn condition_status(text: &str) -> Result<ConditionStatus, CaseError> {
    match text {
        "True" => Ok(ConditionStatus::True),
        "False" => Ok(ConditionStatus::False),
        "Unknown" | "" => Ok(ConditionStatus::Unknown),
        other => Err(bad(format!("unknown condition status {other:?}"))),
    }
}

pub fn deployment_condition(
    object: &Object,
    default_type: DeploymentConditionType,
) -> Result<DeploymentCondition, CaseError> {
    let type_ = match opt_str(object, "type")? {
        None => default_type,
        Some("Progressing") => DeploymentConditionType::Progressing,
        Some("Available") => DeploymentConditionType::Available,
        Some("ReplicaFailure") => DeploymentConditionType::ReplicaFailure,
        Some(other) => return Err(bad(format!("unknown deployment condition type {other:?}"))),
    };
    Ok(DeploymentCondition {
        type_,
        status: condition_status(str_or(object, "status", "")?)?,
        last_update_time: opt_time(object, "lastUpdateTime", REFERENCE_NOW)?,
        last_transition_time: opt_time(object, "lastTransitionTime", REFERENCE_NOW)?,
        reason: str_or(object, "reason", "")?.to_string(),
        message: str_or(object, "message", "")?.to_string(),
    })
}

pub fn deployment_conditions(
    object: &Object,
    key: &str,
) -> Result<Vec<DeploymentCondition>, CaseError> {
    array(object, key)?
        .iter()
        .map(|item| {
            deployment_condition(as_object(key, item)?, DeploymentConditionType::Progressing)
        })
        .collect()
}

/// A DeploymentStatus from `{replicas, updatedReplicas, readyReplicas, availableReplicas, …}`.
pub fn deployment_status(object: &Object) -> Result<DeploymentStatus, CaseError> {
    Ok(DeploymentStatus {
        observed_generation: i64_or(object, &["observedGeneration"], 0)?,
        replicas: i32_or(object, &["replicas"], 0)?,
        updated_replicas: i32_or(object, &["updatedReplicas"], 0)?,
        ready_replicas: i32_or(object, &["readyReplicas"], 0)?,
        available_replicas: i32_or(object, &["availableReplicas"], 0)?,
        unavailable_replicas: i32_or(object, &["unavailableReplicas"], 0)?,
        terminating_replicas: opt_i32(object, &["terminatingReplicas"])?,
        conditions: deployment_conditions(object, "conditions")?,
        collision_count: opt_i32(object, &["collisionCount"])?,
    })
}

/// A Deployment from the flat keys shared by most cases.
pub fn deployment(object: &Object) -> Result<Deployment, CaseError> {
    let mut d = Deployment::default();
    d.metadata.name = str_or(object, "deploymentName", "foo")?.to_string();
    d.metadata.namespace = "default".to_string();
    d.metadata.generation = i64_or(object, &["generation"], 0)?;
    d.metadata.annotations = string_map(object, "deploymentAnnotations")?;
    d.spec.replicas = i32_or(
        object,
        &["deploymentReplicas", "replicas", "specReplicas"],
        1,
    )?;
    d.spec.strategy.type_ = match str_or(object, "strategy", "RollingUpdate")? {
        "RollingUpdate" => DeploymentStrategyType::RollingUpdate,
        "Recreate" => DeploymentStrategyType::Recreate,
        other => return Err(bad(format!("unknown strategy {other:?}"))),
    };
    if d.spec.strategy.type_ == DeploymentStrategyType::RollingUpdate {
        d.spec.strategy.rolling_update = Some(RollingUpdateDeployment {
            max_surge: int_or_string(object, "maxSurge")?,
            max_unavailable: int_or_string(object, "maxUnavailable")?,
        });
    }
    d.spec.progress_deadline_seconds = opt_i32(object, &["progressDeadlineSeconds"])?;
    d.spec.revision_history_limit = opt_i32(object, &["revisionHistoryLimit"])?;
    d.spec.min_ready_seconds = i32_or(object, &["minReadySeconds"], 0)?;
    d.spec.paused = bool_or(object, "paused", false)?;
    d.spec.pod_replacement_policy = match opt_str(object, "podReplacementPolicy")? {
        None => None,
        Some("TerminationStarted") => Some(PodReplacementPolicy::TerminationStarted),
        Some("TerminationComplete") => Some(PodReplacementPolicy::TerminationComplete),
        Some(other) => {
            return Err(CaseError::Unsupported(format!(
                "podReplacementPolicy {other:?}"
            )))
        }
    };
    if let Some(status) = opt_object(object, "status")? {
        d.status = deployment_status(status)?;
    }
    d.status.replicas = i32_or(
        object,
        &["deploymentStatusReplicas", "statusReplicas"],
        d.status.replicas,
    )?;
    d.status.observed_generation = i64_or(
        object,
        &["observedGeneration"],
        d.status.observed_generation,
    )?;
    if object.contains_key("conditions") {
        d.status.conditions = deployment_conditions(object, "conditions")?;
    }
    Ok(d)
}

/// A ReplicaSet from an object such as `{name, replicas, age, availableReplicas, …}`.
/// `age` counts minutes back from the newest RS, `creationOrder` minutes forward from the
/// oldest; with neither the creation time is unset (and names break ties).
pub fn replica_set(object: &Object, default_name: &str) -> Result<ReplicaSet, CaseError> {
    let mut rs = ReplicaSet {
        metadata: ObjectMeta {
            name: str_or(object, "name", default_name)?.to_string(),
            namespace: "default".to_string(),
            uid: str_or(object, "uid", "")?.to_string(),
            annotations: string_map(object, "annotations")?,
            generation: i64_or(object, &["generation"], 0)?,
            ..ObjectMeta::default()
        },
        ..ReplicaSet::default()
    };
    if rs.metadata.uid.is_empty() {
        rs.metadata.uid = format!("uid-{}", rs.metadata.name);
    }
    if let Some(age) = opt_i32(object, &["age"])? {
        rs.metadata.creation_timestamp =
            Some(REFERENCE_NOW - Duration::from_secs(60 * i64::from(age)));
    }
    if let Some(order) = opt_i32(object, &["creationOrder"])? {
        let offset = Duration::from_secs(60 * (i64::from(order) - 1));
        rs.metadata.creation_timestamp = Some(REFERENCE_NOW + offset);
    }
    if bool_or(object, "deletionTimestampSet", false)? {
        rs.metadata.deletion_timestamp = Some(REFERENCE_NOW);
    }
    for (key, annotation) in [
        ("revision", crate::controller::util::REVISION_ANNOTATION),
        (
            "desiredReplicasAnnotation",
            crate::controller::util::DESIRED_REPLICAS_ANNOTATION,
        ),
        (
            "maxReplicasAnnotation",
            crate::controller::util::MAX_REPLICAS_ANNOTATION,
        ),
    ] {
        if let Some(value) = annotation_value(object, key)? {
            rs.metadata
                .annotations
                .insert(annotation.to_string(), value);
        }
    }
    rs.spec.replicas = i32_or(object, &["replicas", "specReplicas"], 0)?;
    rs.status.replicas = i32_or(object, &["statusReplicas"], 0)?;
    rs.status.ready_replicas = i32_or(object, &["readyReplicas"], 0)?;
    rs.status.available_replicas = i32_or(object, &["availableReplicas"], 0)?;
    rs.status.terminating_replicas = opt_i32(object, &["terminatingReplicas"])?;
    rs.status.observed_generation = i64_or(object, &["observedGeneration"], 0)?;
    Ok(rs)
}

pub fn replica_sets(object: &Object, key: &str) -> Result<Vec<ReplicaSet>, CaseError> {
    array(object, key)?
        .iter()
        .enumerate()
        .map(|(i, item)| replica_set(as_object(key, item)?, &format!("{key}-{i}")))
        .collect()
}

/// A ReplicaSet described by prefixed flat keys (`newRSReplicas`, `newRSAvailable`, …).
pub fn flat_replica_set(
    object: &Object,
    prefix: &str,
    name: &str,
    created: Time,
) -> Result<ReplicaSet, CaseError> {
    let key = |suffix: &str| format!("{prefix}{suffix}");
    let mut rs = ReplicaSet::default();
    rs.metadata.name = name.to_string();
    rs.metadata.uid = format!("uid-{name}");
    rs.metadata.namespace = "default".to_string();
    rs.metadata.creation_timestamp = Some(created);
    rs.spec.replicas = i32_or(object, &[&key("Replicas")], 0)?;
    rs.status.replicas = i32_or(object, &[&key("StatusReplicas")], 0)?;
    rs.status.available_replicas =
        i32_or(object, &[&key("Available"), &key("AvailableReplicas")], 0)?;
    rs.status.ready_replicas = i32_or(object, &[&key("Ready"), &key("ReadyReplicas")], 0)?;
    rs.status.terminating_replicas = opt_i32(object, &[&key("TerminatingReplicas")])?;
    rs.status.observed_generation = i64_or(object, &[&key("ObservedGeneration")], 0)?;
    Ok(rs)
}

fn pod_phase(text: &str) -> Result<Option<PodPhase>, CaseError> {
    match text {
        "" => Ok(None),
        "Pending" => Ok(Some(PodPhase::Pending)),
        "Running" => Ok(Some(PodPhase::Running)),
        "Succeeded" => Ok(Some(PodPhase::Succeeded)),
        "Failed" => Ok(Some(PodPhase::Failed)),
        "Unknown" => Ok(Some(PodPhase::Unknown)),
        other => Err(bad(format!("unknown pod phase {other:?}"))),
    }
}

pub fn pod_with_phase(phase: &str) -> Result<Pod, CaseError> {
    let mut pod = Pod::default();
    pod.status.phase = pod_phase(phase)?;
    Ok(pod)
}

/// A pod from `{name, node, phase, ready, readySince, containerRestarts, created, …}`, with
/// missing keys taken from `defaults`.
pub fn pod(object: &Object, defaults: &Object, now: Time) -> Result<Pod, CaseError> {
    let get = |key: &str| object.get(key).or_else(|| defaults.get(key));
    let text = |key: &str| -> Result<String, CaseError> {
        match get(key) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::String(text)) => Ok(text.clone()),
            Some(other) => Err(bad(format!("`{key}` is not a string: {other}"))),
        }
    };
    let time = |key: &str| get(key).map_or(Ok(None), |value| time_value(key, value, now));
    let mut pod = pod_with_phase(&text("phase")?)?;
    pod.metadata.name = text("name")?;
    pod.metadata.uid = text("uid")?;
    pod.metadata.creation_timestamp = time("created")?;
    pod.spec.node_name = text("node")?;
    if let Some(cost) = get("deletionCostAnnotation") {
        let cost = match cost {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        pod.metadata.annotations.insert(
            crate::controller::pod_order::POD_DELETION_COST_ANNOTATION.to_string(),
            cost,
        );
    }
    let ready = matches!(get("ready"), Some(Value::Bool(true)));
    if ready {
        pod.status.conditions.push(PodCondition {
            type_: PodConditionType::Ready,
            status: ConditionStatus::True,
            last_transition_time: time("readySince")?,
            reason: None,
            message: None,
        });
    }
    if let Some(Value::Array(restarts)) = get("containerRestarts") {
        for (i, restarts) in restarts.iter().enumerate() {
            let restart_count = to_i32(
                "containerRestarts",
                int_value("containerRestarts", restarts)?.unwrap_or(0),
            )?;
            pod.status.container_statuses.push(ContainerStatus {
                name: format!("c{i}"),
                ready,
                restart_count,
                ..ContainerStatus::default()
            });
        }
    }
    Ok(pod)
}
