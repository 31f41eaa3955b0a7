//! One adapter per upstream function: typed objects in, observable results out.

use super::input::{self, Object, REFERENCE_NOW};
use super::{CaseError, Observed};
use crate::clock::Time;
use crate::controller::progress::{requeue_stuck_deployment, sync_rollout_status, Requeue};
use crate::controller::util::{self, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION};
use crate::controller::{pod_order, recreate, rolling, rollout_status, sync, FeatureGates};
use crate::objects::{Deployment, DeploymentConditionType, DeploymentStatus, Pod, ReplicaSet};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Feature gates named by `featureGate:NAME` tags; an unknown gate is unsupported.
pub fn gates_from_tags(tags: &[&str]) -> Result<FeatureGates, CaseError> {
    let mut gates = FeatureGates::default();
    for name in tags
        .iter()
        .filter_map(|tag| tag.strip_prefix("featureGate:"))
    {
        if !gates.set(name, true) {
            return Err(CaseError::Unsupported(format!("feature gate {name}")));
        }
    }
    Ok(gates)
}

pub fn run(function: &str, input: &Object, gates: &FeatureGates) -> Result<Observed, CaseError> {
    let mut out = Observed::default();
    match function {
        "reconcileNewReplicaSet" => reconcile_new_replica_set(input, gates, &mut out)?,
        "reconcileOldReplicaSets" => reconcile_old_replica_sets(input, &mut out)?,
        "cleanupUnhealthyReplicas" => cleanup_unhealthy_replicas(input, &mut out)?,
        "scaleDownOldReplicaSetsForRollingUpdate" => {
            scale_down_for_rolling_update(input, &mut out)?
        }
        "scale" => scale(input, &mut out)?,
        "cleanupDeployment" => cleanup_deployment(input, gates, &mut out)?,
        "generateReplicaSetName" => generate_replica_set_name(input, &mut out)?,
        "resolveFenceposts" => resolve_fenceposts(input, &mut out)?,
        "newRSNewReplicas" => new_rs_new_replicas(input, gates, &mut out)?,
        "maxUnavailable" | "maxSurge" | "minAvailable" => fenceposts(input, &mut out)?,
        "deploymentComplete" => deployment_complete(input, &mut out)?,
        "deploymentProgressing" => deployment_progressing(input, &mut out)?,
        "deploymentTimedOut" => deployment_timed_out(input, &mut out)?,
        "getReplicaSetFraction" | "getReplicaSetProportion" => {
            replica_set_fraction(input, &mut out)?
        }
        "replicaCounts" => replica_counts(input, &mut out)?,
        "setNewReplicaSetAnnotations" => set_new_replica_set_annotations(input, &mut out)?,
        "setReplicasAnnotations" => set_replicas_annotations(input, &mut out)?,
        "isSaturated" => is_saturated(input, &mut out)?,
        "replicasAnnotationsNeedUpdate" => replicas_annotations_need_update(input, &mut out)?,
        "requeueStuckDeployment" => requeue(input, &mut out)?,
        "syncRolloutStatus" => sync_rollout(input, gates, &mut out)?,
        "scaleDownOldReplicaSetsForRecreate" => scale_down_for_recreate(input, &mut out)?,
        "oldPodsRunning" => old_pods_running(input, &mut out)?,
        "sortActivePods" => sort_active_pods(input, &mut out)?,
        "activePodsWithRanksLess" => active_pods_with_ranks_less(input, gates, &mut out)?,
        "rolloutStatus" => rollout_status(input, &mut out)?,
        // Argo Rollouts' functions, and the error for an unknown one.
        other => super::argo_adapters::run(other, input, &mut out)?,
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Shared shapes.

/// Creation times for flat cases: old ReplicaSets are older than the new one.
fn old_created(i: usize) -> Time {
    REFERENCE_NOW - crate::clock::Duration::from_secs(3600 - 60 * i as i64)
}

/// Old ReplicaSets given as `oldRSReplicas: N` (one RS) or `oldRSReplicas: [N, …]` (with
/// `oldRSAvailable` as a number or a parallel array).
fn flat_old_replica_sets(input: &Object) -> Result<(Vec<ReplicaSet>, bool), CaseError> {
    let Some(Value::Array(sizes)) = input.get("oldRSReplicas") else {
        let rs = input::flat_replica_set(input, "oldRS", "foo-old", old_created(0))?;
        return Ok((vec![rs], false));
    };
    let available = input.get("oldRSAvailable").and_then(Value::as_array);
    let mut rss = Vec::new();
    for (i, size) in sizes.iter().enumerate() {
        let mut rs = ReplicaSet::default();
        rs.metadata.name = format!("foo-old-{i}");
        rs.metadata.uid = format!("uid-foo-old-{i}");
        rs.metadata.creation_timestamp = Some(old_created(i));
        rs.spec.replicas = input::int_value("oldRSReplicas", size)?.unwrap_or(0) as i32;
        rs.status.replicas = rs.spec.replicas;
        if let Some(available) = available.and_then(|a| a.get(i)) {
            rs.status.available_replicas =
                input::int_value("oldRSAvailable", available)?.unwrap_or(0) as i32;
        }
        rss.push(rs);
    }
    Ok((rss, true))
}

/// Old sizes in the same shape the input used, in input order.
fn old_sizes(rss: &[ReplicaSet], as_list: bool, names_in_order: &[String]) -> Value {
    let size_of = |name: &String| {
        rss.iter()
            .find(|rs| &rs.metadata.name == name)
            .map(|rs| rs.spec.replicas)
    };
    if as_list {
        Value::Array(
            names_in_order
                .iter()
                .map(|name| json!(size_of(name)))
                .collect(),
        )
    } else {
        json!(names_in_order.first().and_then(size_of))
    }
}

fn names(rss: &[ReplicaSet]) -> Vec<String> {
    rss.iter().map(|rs| rs.metadata.name.clone()).collect()
}

fn flat_new_replica_set(input: &Object) -> Result<ReplicaSet, CaseError> {
    input::flat_replica_set(input, "newRS", "foo-new", REFERENCE_NOW)
}

fn condition_json(d_status: &DeploymentStatus, type_: DeploymentConditionType) -> Value {
    match util::get_deployment_condition(d_status, type_) {
        None => Value::Null,
        Some(c) => json!({
            "type": format!("{:?}", c.type_),
            "status": format!("{:?}", c.status),
            "reason": c.reason,
            "message": c.message,
            "lastUpdateTime": c.last_update_time.map(Time::millis),
            "lastTransitionTime": c.last_transition_time.map(Time::millis),
        }),
    }
}

// ---------------------------------------------------------------------------------------------
// rolling.go

fn reconcile_new_replica_set(
    input: &Object,
    gates: &FeatureGates,
    out: &mut Observed,
) -> Result<(), CaseError> {
    let d = input::deployment(input)?;
    let (old, _) = flat_old_replica_sets(input)?;
    let mut new = flat_new_replica_set(input)?;
    let before = new.clone();
    match rolling::reconcile_new_replica_set(&d, &mut new, &old, gates) {
        Ok(scaled) => {
            out.set("scaled", scaled);
            out.set("error", false);
        }
        Err(err) => {
            out.set("scaled", false);
            out.set("error", err.to_string());
        }
    }
    out.set("newRSReplicas", new.spec.replicas);
    out.set("noUpdateIssued", new == before);
    Ok(())
}

fn reconcile_old_replica_sets(input: &Object, out: &mut Observed) -> Result<(), CaseError> {
    let d = input::deployment(input)?;
    let (mut old, as_list) = flat_old_replica_sets(input)?;
    let order = names(&old);
    let new = flat_new_replica_set(input)?;
    out.set(
        "scaled",
        rolling::reconcile_old_replica_sets(&d, &mut old, &new),
    );
    out.set("oldRSReplicas", old_sizes(&old, as_list, &order));
    Ok(())
}

fn cleanup_unhealthy_replicas(input: &Object, out: &mut Observed) -> Result<(), CaseError> {
    let d = input::deployment(input)?;
    let (mut old, as_list) = flat_old_replica_sets(input)?;
    let order = names(&old);
    let max_cleanup = input::req_i32(input, &["maxCleanupCount"])?;
    match rolling::cleanup_unhealthy_replicas(&mut old, &d, max_cleanup) {
        Ok(count) => {
            out.set("cleanupCount", count);
            out.set("error", false);
        }
        Err(err) => out.set("error", err.to_string()),
    }
    out.set("oldRSReplicas", old_sizes(&old, as_list, &order));
    Ok(())
}

fn scale_down_for_rolling_update(input: &Object, out: &mut Observed) -> Result<(), CaseError> {
    let d = input::deployment(input)?;
    let (mut old, as_list) = flat_old_replica_sets(input)?;
    let order = names(&old);
    let new = match input.get("newRS") {
        Some(Value::Object(object)) => Some(input::replica_set(object, "foo-new")?),
        Some(Value::Null) => None,
        _ if input.contains_key("newRSReplicas") => Some(flat_new_replica_set(input)?),
        _ => None,
    };
    match rolling::scale_down_old_replica_sets_for_rolling_update(&mut old, new.as_ref(), &d) {
        Ok(count) => {
            out.set("scaledDownCount", count);
            out.set("scaledDownCountPositive", count > 0);
            out.set("error", false);
        }
        Err(err) => out.set("error", err.to_string()),
    }
    out.set("oldRSReplicas", old_sizes(&old, as_list, &order));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// sync.go

fn scale(input: &Object, out: &mut Observed) -> Result<(), CaseError> {
    let d = input::opt_object(input, "deployment")?
        .map_or_else(|| input::deployment(input), input::deployment)?;
    let mut new = match input::opt_object(input, "newRS")? {
        Some(object) => Some(input::replica_set(object, "foo-new")?),
        None => None,
    };
    let mut old = input::replica_sets(input, "oldRSs")?;
    let scaled = sync::scale(&d, new.as_mut(), &mut old);
    out.set("scaled", scaled);
    if let Some(new) = &new {
        out.set("newRSReplicas", new.spec.replicas);
        out.set("newRSAnnotations", json!(new.metadata.annotations));
    }
    let sizes: Map<String, Value> = old
        .iter()
        .map(|rs| (rs.metadata.name.clone(), json!(rs.spec.replicas)))
        .collect();
    out.set("oldRSReplicas", sizes);
    Ok(())
}

fn cleanup_deployment(
    input: &Object,
    gates: &FeatureGates,
    out: &mut Observed,
) -> Result<(), CaseError> {
    let mut d = input::deployment(input)?;
    d.spec.revision_history_limit = input::opt_i32(input, &["revisionHistoryLimit"])?;
    let old = input::replica_sets(input, "oldRSs")?;
    let deleted = sync::cleanup_deployment(&d, &old, gates);
    out.set("deletions", deleted.len());
    out.set("deletedRSNames", deleted);
    Ok(())
}

fn generate_replica_set_name(input: &Object, out: &mut Observed) -> Result<(), CaseError> {
    let name = input::opt_str(input, "deploymentName")?.unwrap_or_default();
    let hash = input::opt_str(input, "hash")?.unwrap_or_default();
    out.set("name", util::generate_replica_set_name(name, hash));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// deployment_util.go

fn resolve_fenceposts(input: &Object, out: &mut Observed) -> Result<(), CaseError> {
    let surge = input::int_or_string(input, "maxSurge")?;
    let unavailable = input::int_or_string(input, "maxUnavailable")?;
    let desired = input::i32_or(input, &["desired", "replicas", "deploymentReplicas"], 0)?;
    match util::resolve_fenceposts(surge.as_ref(), unavailable.as_ref(), desired) {
        Ok((surge, unavailable)) => {
            out.set("surge", surge);
            out.set("unavailable", unavailable);
            out.set("error", false);
        }
        Err(err) => {
            // Upstream returns zeros alongside the error.
            out.set("surge", 0);
            out.set("unavailable", 0);
            out.set("error", err.to_string());
        }
    }
    Ok(())
}

fn new_rs_new_replicas(
    input: &Object,
    gates: &FeatureGates,
    out: &mut Observed,
) -> Result<(), CaseError> {
    let d = input::deployment(input)?;
    let new = flat_new_replica_set(input)?;
    let mut others = Vec::new();
    for (i, size) in input::array(input, "allRSsReplicas")?.iter().enumerate() {
        let mut rs = ReplicaSet::default();
        rs.metadata.name = format!("foo-{i}");
        rs.spec.replicas = input::int_value("allRSsReplicas", size)?.unwrap_or(0) as i32;
        others.push(rs);
    }
    // The list is passed as given: upstream's fixture leaves the new RS out of it.
    let all: Vec<&ReplicaSet> = others.iter().collect();
    match util::new_rs_new_replicas(&d, &all, &new, gates) {
        Ok(replicas) => {
            out.set("newReplicas", replicas);
            out.set("error", false);
        }
        Err(err) => out.set("error", err.to_string()),
    }
    Ok(())
}

fn fenceposts(input: &Object, out: &mut Observed) -> Result<(), CaseError> {
    let d = input::deployment(input)?;
    out.set("maxSurge", util::max_surge(&d));
    out.set("maxUnavailable", util::max_unavailable(&d));
    out.set("minAvailable", util::min_available(&d));
    Ok(())
}

fn deployment_complete(input: &Object, out: &mut Observed) -> Result<(), CaseError> {
    let d = input::deployment(input)?;
    let new_status = DeploymentStatus {
        replicas: input::i32_or(input, &["statusReplicas"], 0)?,
        updated_replicas: input::i32_or(input, &["updatedReplicas"], 0)?,
        available_replicas: input::i32_or(input, &["availableReplicas"], 0)?,
        ready_replicas: input::i32_or(input, &["readyReplicas"], 0)?,
        observed_generation: input::i64_or(input, &["observedGeneration"], 0)?,
        ..DeploymentStatus::default()
    };
    out.set("complete", util::deployment_complete(&d, &new_status));
    Ok(())
}

fn deployment_progressing(input: &Object, out: &mut Observed) -> Result<(), CaseError> {
    let mut d = input::deployment(input)?;
    let current = input::opt_object(input, "currentStatus")?
        .ok_or(CaseError::BadInput("missing `currentStatus`".into()))?;
    let new = input::opt_object(input, "newStatus")?
        .ok_or(CaseError::BadInput("missing `newStatus`".into()))?;
    d.status = input::deployment_status(current)?;
    out.set(
        "progressing",
        util::deployment_progressing(&d, &input::deployment_status(new)?),
    );
    Ok(())
}

fn deployment_timed_out(input: &Object, out: &mut Observed) -> Result<(), CaseError> {
    let d = input::deployment(input)?;
    let mut new_status = DeploymentStatus::default();
    if let Some(condition) = input::opt_object(input, "progressingCondition")? {
        new_status.conditions.push(input::deployment_condition(
            condition,
            DeploymentConditionType::Progressing,
        )?);
    }
    new_status
        .conditions
        .extend(input::deployment_conditions(input, "newStatusConditions")?);
    let now = input::opt_time(input, "now", REFERENCE_NOW)?.unwrap_or(REFERENCE_NOW);
    out.set("timedOut", util::deployment_timed_out(&d, &new_status, now));
    Ok(())
}

fn replica_set_fraction(input: &Object, out: &mut Observed) -> Result<(), CaseError> {
    let d = input::deployment(input)?;
    let mut rs = ReplicaSet::default();
    rs.metadata.name = "foo-rs".into();
    rs.spec.replicas = input::i32_or(input, &["rsReplicas", "replicaSetReplicas"], 0)?;
    if let Some(max) = input::annotation_value(input, "maxReplicasAnnotation")? {
        rs.metadata
            .annotations
            .insert(MAX_REPLICAS_ANNOTATION.into(), max);
    }
    out.set("fraction", util::get_replica_set_fraction(&rs, &d));
    let to_add = input::opt_i32(input, &["deploymentReplicasToAdd"])?;
    if let Some(to_add) = to_add {
        let added = input::i32_or(input, &["deploymentReplicasAdded"], 0)?;
        out.set(
            "proportion",
            util::get_replica_set_proportion(&rs, &d, to_add, added),
        );
    }
    Ok(())
}

fn replica_counts(input: &Object, out: &mut Observed) -> Result<(), CaseError> {
    let rss = input::replica_sets(input, "replicaSets")?;
    out.set("specReplicasSum", util::replica_count(&rss));
    out.set("statusReplicasSum", util::actual_replica_count(&rss));
    out.set("readyReplicasSum", util::ready_replica_count(&rss));
    out.set("availableReplicasSum", util::available_replica_count(&rss));
    out.set(
        "terminatingReplicasSum",
        json!(util::terminating_replica_count(&rss)),
    );
    Ok(())
}

fn set_new_replica_set_annotations(input: &Object, out: &mut Observed) -> Result<(), CaseError> {
    let d = input::deployment(input)?;
    let mut rs = ReplicaSet::default();
    rs.metadata.annotations = input::string_map(input, "rsInitialAnnotations")?;
    let exists = input::bool_or(input, "exists", true)?;
    let limit = input::i32_or(
        input,
        &["revHistoryLimitInChars"],
        util::REVISION_HISTORY_LIMIT_IN_CHARS as i32,
    )?;
    let limit = usize::try_from(limit).unwrap_or(0);
    let mut mismatches = Vec::new();
    let mut changed = Vec::new();
    for (i, step) in input::array(input, "steps")?.iter().enumerate() {
        let step = input::as_object("steps", step)?;
        let revision = input::annotation_value(step, "newRevision")?.unwrap_or_default();
        changed.push(util::set_new_replica_set_annotations(
            &d, &mut rs, &revision, exists, limit,
        ));
        for (key, annotation) in [
            ("expectRevisionAnnotation", util::REVISION_ANNOTATION),
            (
                "expectRevisionHistoryAnnotation",
                util::REVISION_HISTORY_ANNOTATION,
            ),
        ] {
            if let Some(want) = input::annotation_value(step, key)? {
                let got = rs.metadata.annotation(annotation).unwrap_or("");
                if got != want {
                    mismatches.push(format!(
                        "step {i} ({revision}): {annotation} expected {want:?}, got {got:?}"
                    ));
                }
            }
        }
    }
    let verdict = if mismatches.is_empty() {
        Ok(())
    } else {
        Err(mismatches.join("; "))
    };
    out.self_checked.push(("perStep".to_string(), verdict));
    out.set("changed", changed);
    out.set("annotations", json!(rs.metadata.annotations));
    Ok(())
}

fn replica_set_with_annotations(input: &Object) -> Result<ReplicaSet, CaseError> {
    let mut rs = ReplicaSet::default();
    rs.metadata.annotations = input::string_map(input, "rsAnnotations")?;
    Ok(rs)
}

fn set_replicas_annotations(input: &Object, out: &mut Observed) -> Result<(), CaseError> {
    let mut rs = replica_set_with_annotations(input)?;
    let desired = input::req_i32(input, &["desiredReplicas"])?;
    let max = input::req_i32(input, &["maxReplicas"])?;
    out.set(
        "updated",
        util::set_replicas_annotations(&mut rs, desired, max),
    );
    out.set("annotations", json!(rs.metadata.annotations));
    Ok(())
}

fn replicas_annotations_need_update(input: &Object, out: &mut Observed) -> Result<(), CaseError> {
    let rs = replica_set_with_annotations(input)?;
    let desired = input::req_i32(input, &["desiredReplicas"])?;
    let max = input::req_i32(input, &["maxReplicas"])?;
    out.set(
        "needUpdate",
        util::replicas_annotations_need_update(&rs, desired, max),
    );
    Ok(())
}

fn is_saturated(input: &Object, out: &mut Observed) -> Result<(), CaseError> {
    let d = input::deployment(input)?;
    let rs = if matches!(input.get("rs"), Some(Value::Null)) {
        None
    } else {
        let mut rs = ReplicaSet::default();
        rs.spec.replicas = input::i32_or(input, &["rsReplicas"], 0)?;
        rs.status.available_replicas = input::i32_or(input, &["rsAvailableReplicas"], 0)?;
        if let Some(desired) = input::annotation_value(input, "rsDesiredReplicasAnnotation")? {
            rs.metadata
                .annotations
                .insert(DESIRED_REPLICAS_ANNOTATION.into(), desired);
        }
        Some(rs)
    };
    out.set("saturated", util::is_saturated(&d, rs.as_ref()));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// progress.go

fn requeue(input: &Object, out: &mut Observed) -> Result<(), CaseError> {
    let d = input::deployment(input)?;
    let new_status = match input::opt_object(input, "newStatus")? {
        Some(status) => input::deployment_status(status)?,
        None => d.status.clone(),
    };
    // Rows without `now` never read the clock; any instant will do.
    let now = input::opt_time(input, "now", REFERENCE_NOW)?.unwrap_or(REFERENCE_NOW);
    match requeue_stuck_deployment(&d, &new_status, now) {
        Requeue::None => out.set("requeue", "none"),
        Requeue::Now => out.set("requeue", "now"),
        Requeue::After(after) => {
            out.set("requeue", "after");
            let millis = after.millis();
            if millis % 1000 == 0 {
                out.set("afterSeconds", millis / 1000);
            } else {
                out.set("afterSeconds", millis as f64 / 1000.0);
            }
        }
    }
    Ok(())
}

fn sync_rollout(input: &Object, gates: &FeatureGates, out: &mut Observed) -> Result<(), CaseError> {
    let mut d = input::deployment(input)?;
    let old = input::replica_sets(input, "otherRSs")?;
    let new = match input::opt_object(input, "newRS")? {
        Some(object) => Some(input::replica_set(object, "foo-new")?),
        None => None,
    };
    let now = input::opt_time(input, "now", REFERENCE_NOW)?.unwrap_or(REFERENCE_NOW);
    let requeue = sync_rollout_status(&mut d, &old, new.as_ref(), gates, now);
    out.set(
        "progressingCondition",
        condition_json(&d.status, DeploymentConditionType::Progressing),
    );
    out.set(
        "availableCondition",
        condition_json(&d.status, DeploymentConditionType::Available),
    );
    out.set("requeue", format!("{requeue:?}"));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// recreate.go

fn scale_down_for_recreate(input: &Object, out: &mut Observed) -> Result<(), CaseError> {
    let mut d = input::deployment(input)?;
    d.spec.strategy.type_ = crate::objects::DeploymentStrategyType::Recreate;
    let (mut old, as_list) = flat_old_replica_sets(input)?;
    let order = names(&old);
    out.set(
        "scaled",
        recreate::scale_down_old_replica_sets_for_recreate(&mut old, &d),
    );
    out.set("oldRSReplicas", old_sizes(&old, as_list, &order));
    Ok(())
}

fn old_pods_running(input: &Object, out: &mut Observed) -> Result<(), CaseError> {
    let new = match input::opt_object(input, "newRS")? {
        Some(object) => Some(input::replica_set(object, "foo-new")?),
        None => None,
    };
    let old = input::replica_sets(input, "oldRSs")?;
    let mut pods: BTreeMap<String, Vec<Pod>> = BTreeMap::new();
    if let Some(map) = input::opt_object(input, "podPhasesByRSUID")? {
        for (uid, phases) in map {
            let phases = phases
                .as_array()
                .ok_or(CaseError::BadInput(format!("pods of {uid} are not a list")))?;
            let list = pods.entry(uid.clone()).or_default();
            for phase in phases {
                list.push(input::pod_with_phase(phase.as_str().unwrap_or_default())?);
            }
        }
    }
    out.set(
        "oldPodsRunning",
        recreate::old_pods_running(new.as_ref(), &old, &pods),
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// controller_utils.go (pod order) and kubectl rollout status

fn pods(input: &Object, key: &str, defaults: &Object) -> Result<Vec<Pod>, CaseError> {
    input::array(input, key)?
        .iter()
        .map(|item| input::pod(input::as_object(key, item)?, defaults, REFERENCE_NOW))
        .collect()
}

fn sort_active_pods(input: &Object, out: &mut Observed) -> Result<(), CaseError> {
    let empty = Map::new();
    let defaults = input::opt_object(input, "defaults")?.unwrap_or(&empty);
    let mut forward = pods(input, "pods", defaults)?;
    let mut backward: Vec<Pod> = forward.iter().rev().cloned().collect();
    pod_order::sort_active_pods(&mut forward);
    pod_order::sort_active_pods(&mut backward);
    let order = |pods: &[Pod]| {
        pods.iter()
            .map(|p| p.metadata.name.clone())
            .collect::<Vec<_>>()
    };
    // Upstream shuffles the input; the order must not depend on it.
    if order(&forward) == order(&backward) {
        out.set("order", order(&forward));
    } else {
        out.set(
            "order",
            json!({"dependsOnInputOrder": [order(&forward), order(&backward)]}),
        );
    }
    Ok(())
}

fn active_pods_with_ranks_less(
    input: &Object,
    gates: &FeatureGates,
    out: &mut Observed,
) -> Result<(), CaseError> {
    let mut gates = *gates;
    if let Some(map) = input::opt_object(input, "featureGates")? {
        for (name, enabled) in map {
            let enabled = enabled
                .as_bool()
                .ok_or(CaseError::BadInput(format!("gate {name} is not a boolean")))?;
            if !gates.set(name, enabled) {
                return Err(CaseError::Unsupported(format!("feature gate {name}")));
            }
        }
    }
    let empty = Map::new();
    let defaults = input::opt_object(input, "defaults")?.unwrap_or(&empty);
    let pod = |key: &str| -> Result<Option<Pod>, CaseError> {
        input::opt_object(input, key)?
            .map(|object| input::pod(object, defaults, REFERENCE_NOW))
            .transpose()
    };
    let rank = |key: &str| -> Result<usize, CaseError> {
        Ok(usize::try_from(input::i32_or(input, &[key], 0)?).unwrap_or(0))
    };
    let less = |a: &Pod, ra: usize, b: &Pod, rb: usize| {
        pod_order::active_pods_with_ranks_less(a, ra, b, rb, Some(REFERENCE_NOW), &gates)
    };
    if let (Some(p1), Some(p2)) = (pod("p1")?, pod("p2")?) {
        let (r1, r2) = (rank("rank1")?, rank("rank2")?);
        out.set("p1LessThanP2", less(&p1, r1, &p2, r2));
        out.set("p2LessThanP1", less(&p2, r2, &p1, r1));
    }
    if let (Some(lesser), Some(greater)) = (pod("lesser")?, pod("greater")?) {
        let (rl, rg) = (rank("lesserRank")?, rank("greaterRank")?);
        out.set("lesserBeforeGreater", less(&lesser, rl, &greater, rg));
        out.set("greaterBeforeLesser", less(&greater, rg, &lesser, rl));
    }
    Ok(())
}

fn rollout_status(input: &Object, out: &mut Observed) -> Result<(), CaseError> {
    let mut d: Deployment = input::deployment(input)?;
    if let Some(revision) = input::annotation_value(input, "deploymentRevision")? {
        d.metadata
            .annotations
            .insert(util::REVISION_ANNOTATION.into(), revision);
    }
    let revision = input::i64_or(input, &["revision"], 0)?;
    match rollout_status::status(&d, revision) {
        Ok(status) => {
            out.set("message", status.message);
            out.set("done", status.done);
            out.set("error", Value::Null);
        }
        Err(err) => {
            out.set("message", "");
            out.set("done", false);
            out.set("error", err.to_string());
        }
    }
    Ok(())
}
