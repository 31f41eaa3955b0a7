//! Shared arithmetic and bookkeeping of the Deployment controller (upstream
//! `pkg/controller/deployment/util/deployment_util.go`).

use super::features::FeatureGates;
use super::{sort_by_less, ControllerError};
use crate::clock::{Duration, Time};
use crate::objects::{
    ConditionStatus, Deployment, DeploymentCondition, DeploymentConditionType, DeploymentStatus,
    DeploymentStrategyType, IntOrString, IntOrStringError, PodReplacementPolicy, PodTemplateSpec,
    ReplicaSet,
};

/// The revision number of the ReplicaSet (and, copied, of its Deployment).
pub const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";
/// Revision numbers a ReplicaSet had before an undo gave it a new one.
pub const REVISION_HISTORY_ANNOTATION: &str = "deployment.kubernetes.io/revision-history";
/// `spec.replicas` of the Deployment when the ReplicaSet was last scaled: a different value
/// means "the user scaled the Deployment", which is handled before any rollout.
pub const DESIRED_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/desired-replicas";
/// replicas + maxSurge when the ReplicaSet was last scaled: the base of proportional scaling.
pub const MAX_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/max-replicas";
/// The label that keeps sibling ReplicaSets from selecting each other's pods.
pub const POD_TEMPLATE_HASH_LABEL: &str = "pod-template-hash";
pub const LAST_APPLIED_CONFIG_ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";
pub const DEPRECATED_ROLLBACK_TO_ANNOTATION: &str = "deprecated.deployment.rollback.to";
/// How long the revision-history annotation may grow.
pub const REVISION_HISTORY_LIMIT_IN_CHARS: usize = 2000;

/// Annotations that belong to the Deployment or the controller, never copied to a ReplicaSet.
const ANNOTATIONS_TO_SKIP: [&str; 6] = [
    LAST_APPLIED_CONFIG_ANNOTATION,
    REVISION_ANNOTATION,
    REVISION_HISTORY_ANNOTATION,
    DESIRED_REPLICAS_ANNOTATION,
    MAX_REPLICAS_ANNOTATION,
    DEPRECATED_ROLLBACK_TO_ANNOTATION,
];

// Condition reasons, verbatim from upstream (kubectl and users match on them).
pub const NEW_RS_AVAILABLE_REASON: &str = "NewReplicaSetAvailable";
pub const REPLICA_SET_UPDATED_REASON: &str = "ReplicaSetUpdated";
pub const TIMED_OUT_REASON: &str = "ProgressDeadlineExceeded";
pub const NEW_REPLICA_SET_REASON: &str = "NewReplicaSetCreated";
pub const FOUND_NEW_RS_REASON: &str = "FoundNewReplicaSet";
pub const FAILED_RS_CREATE_REASON: &str = "ReplicaSetCreateError";
pub const PAUSED_DEPLOY_REASON: &str = "DeploymentPaused";
pub const RESUMED_DEPLOY_REASON: &str = "DeploymentResumed";
pub const MINIMUM_REPLICAS_AVAILABLE: &str = "MinimumReplicasAvailable";
pub const MINIMUM_REPLICAS_UNAVAILABLE: &str = "MinimumReplicasUnavailable";

// ---------------------------------------------------------------------------------------------
// Fenceposts: how far a rolling update may go above and below the desired size.

/// Resolves maxSurge (rounded up) and maxUnavailable (rounded down) against `desired`.
/// If both come out 0 the rollout could never move, so unavailability becomes 1.
pub fn resolve_fenceposts(
    max_surge: Option<&IntOrString>,
    max_unavailable: Option<&IntOrString>,
    desired: i32,
) -> Result<(i32, i32), IntOrStringError> {
    let surge = max_surge.map_or(Ok(0), |value| value.scaled_value(desired, true))?;
    let unavailable = max_unavailable.map_or(Ok(0), |value| value.scaled_value(desired, false))?;
    if surge == 0 && unavailable == 0 {
        return Ok((0, 1));
    }
    Ok((surge, unavailable))
}

pub fn is_rolling_update(d: &Deployment) -> bool {
    d.spec.strategy.type_ == DeploymentStrategyType::RollingUpdate
}

/// The fenceposts of `d`, or an error for a malformed percentage.
fn fenceposts(d: &Deployment) -> Result<(i32, i32), IntOrStringError> {
    let rolling = d.spec.strategy.rolling_update.as_ref();
    resolve_fenceposts(
        rolling.and_then(|r| r.max_surge.as_ref()),
        rolling.and_then(|r| r.max_unavailable.as_ref()),
        d.spec.replicas,
    )
}

/// How many pods above `replicas` a rollout may create (0 for Recreate). A malformed value
/// counts as 0, as upstream relies on validation here.
pub fn max_surge(d: &Deployment) -> i32 {
    if !is_rolling_update(d) {
        return 0;
    }
    fenceposts(d).map_or(0, |(surge, _)| surge)
}

/// How many of `replicas` may be unavailable during a rollout, never more than `replicas`.
pub fn max_unavailable(d: &Deployment) -> i32 {
    if !is_rolling_update(d) || d.spec.replicas == 0 {
        return 0;
    }
    let unavailable = fenceposts(d).map_or(0, |(_, unavailable)| unavailable);
    unavailable.min(d.spec.replicas)
}

/// The availability floor a rolling update must keep (0 for Recreate, which gives no promise).
pub fn min_available(d: &Deployment) -> i32 {
    if !is_rolling_update(d) {
        return 0;
    }
    d.spec.replicas.saturating_sub(max_unavailable(d))
}

// ---------------------------------------------------------------------------------------------
// Replica counts over lists of ReplicaSets.

/// Σ spec.replicas: what the controller has asked for.
pub fn replica_count<'a>(rss: impl IntoIterator<Item = &'a ReplicaSet>) -> i32 {
    rss.into_iter()
        .fold(0i32, |sum, rs| sum.saturating_add(rs.spec.replicas))
}

/// Σ status.replicas: pods that exist and are not terminating.
pub fn actual_replica_count<'a>(rss: impl IntoIterator<Item = &'a ReplicaSet>) -> i32 {
    rss.into_iter()
        .fold(0i32, |sum, rs| sum.saturating_add(rs.status.replicas))
}

pub fn ready_replica_count<'a>(rss: impl IntoIterator<Item = &'a ReplicaSet>) -> i32 {
    rss.into_iter()
        .fold(0i32, |sum, rs| sum.saturating_add(rs.status.ready_replicas))
}

pub fn available_replica_count<'a>(rss: impl IntoIterator<Item = &'a ReplicaSet>) -> i32 {
    rss.into_iter().fold(0i32, |sum, rs| {
        sum.saturating_add(rs.status.available_replicas)
    })
}

/// Σ status.terminatingReplicas, or `None` when a ReplicaSet that has been synced
/// (observedGeneration > 0) does not report it: then the total is unknown. A never-synced
/// ReplicaSet without the field has no pods to terminate yet and is skipped.
pub fn terminating_replica_count<'a>(rss: impl IntoIterator<Item = &'a ReplicaSet>) -> Option<i32> {
    let mut sum = 0i32;
    for rs in rss {
        match rs.status.terminating_replicas {
            Some(terminating) => sum = sum.saturating_add(terminating),
            None if rs.status.observed_generation == 0 => {}
            None => return None,
        }
    }
    Some(sum)
}

/// An active ReplicaSet is one the controller currently wants pods for.
pub fn is_active(rs: &ReplicaSet) -> bool {
    rs.spec.replicas > 0
}

// ---------------------------------------------------------------------------------------------
// Scaling up the new ReplicaSet.

/// The size the new ReplicaSet may grow to in this pass: as far as the surge budget allows,
/// never beyond `replicas`. Recreate simply asks for everything (old pods are gone by then).
/// `all_rss` is every ReplicaSet of the Deployment, the new one included.
pub fn new_rs_new_replicas(
    d: &Deployment,
    all_rss: &[&ReplicaSet],
    new_rs: &ReplicaSet,
    gates: &FeatureGates,
) -> Result<i32, ControllerError> {
    match d.spec.strategy.type_ {
        DeploymentStrategyType::Recreate => Ok(d.spec.replicas),
        DeploymentStrategyType::RollingUpdate => {
            let surge = d
                .spec
                .strategy
                .rolling_update
                .as_ref()
                .and_then(|r| r.max_surge.as_ref())
                .map_or(Ok(0), |value| value.scaled_value(d.spec.replicas, true))?;
            let current = current_pod_count(d, all_rss, gates)?;
            let max_total = d.spec.replicas.saturating_add(surge);
            if current >= max_total {
                return Ok(new_rs.spec.replicas);
            }
            // Spec counts only: surge is claimed as soon as old ReplicaSets shrink, before
            // their pods are gone.
            let scale_up =
                (max_total - current).min(d.spec.replicas.saturating_sub(new_rs.spec.replicas));
            Ok(new_rs.spec.replicas.saturating_add(scale_up))
        }
    }
}

/// The pods the surge budget is charged with. Classically Σ spec.replicas; with
/// `podReplacementPolicy: TerminationComplete` a pod still shutting down (or not yet removed
/// from status) keeps occupying its slot.
fn current_pod_count(
    d: &Deployment,
    all_rss: &[&ReplicaSet],
    gates: &FeatureGates,
) -> Result<i32, ControllerError> {
    let waits_for_termination = gates.deployment_pod_replacement_policy
        && d.spec.pod_replacement_policy == Some(PodReplacementPolicy::TerminationComplete);
    if !waits_for_termination {
        return Ok(replica_count(all_rss.iter().copied()));
    }
    let mut count = 0i32;
    for rs in all_rss {
        let terminating =
            terminating_replica_count([*rs]).ok_or(ControllerError::UnknownTerminatingReplicas)?;
        let present = rs.spec.replicas.max(rs.status.replicas);
        count = count.saturating_add(present).saturating_add(terminating);
    }
    Ok(count)
}

// ---------------------------------------------------------------------------------------------
// Replica annotations and proportional scaling.

fn annotation_int(rs: &ReplicaSet, key: &str) -> Option<i32> {
    rs.metadata
        .annotation(key)
        .and_then(|value| value.parse().ok())
}

/// Records the Deployment size (and max size) this ReplicaSet was scaled for. Returns whether
/// anything changed.
pub fn set_replicas_annotations(
    rs: &mut ReplicaSet,
    desired_replicas: i32,
    max_replicas: i32,
) -> bool {
    let mut updated = false;
    for (key, value) in [
        (DESIRED_REPLICAS_ANNOTATION, desired_replicas),
        (MAX_REPLICAS_ANNOTATION, max_replicas),
    ] {
        let value = value.to_string();
        if rs.metadata.annotation(key) != Some(value.as_str()) {
            rs.metadata.annotations.insert(key.to_string(), value);
            updated = true;
        }
    }
    updated
}

pub fn replicas_annotations_need_update(
    rs: &ReplicaSet,
    desired_replicas: i32,
    max_replicas: i32,
) -> bool {
    rs.metadata.annotation(DESIRED_REPLICAS_ANNOTATION)
        != Some(desired_replicas.to_string().as_str())
        || rs.metadata.annotation(MAX_REPLICAS_ANNOTATION)
            != Some(max_replicas.to_string().as_str())
}

/// Saturated = the new ReplicaSet has all `replicas` pods, was sized for this very
/// Deployment size, and all of them are available: old ReplicaSets can go.
pub fn is_saturated(d: &Deployment, rs: Option<&ReplicaSet>) -> bool {
    let Some(rs) = rs else { return false };
    let Some(desired) = annotation_int(rs, DESIRED_REPLICAS_ANNOTATION) else {
        return false;
    };
    rs.spec.replicas == d.spec.replicas
        && desired == d.spec.replicas
        && rs.status.available_replicas == d.spec.replicas
}

/// This ReplicaSet's share of a resize: its size scaled by new max / max it was sized for,
/// rounded half away from zero, minus its size. Scaling to 0 takes everything.
pub fn get_replica_set_fraction(rs: &ReplicaSet, d: &Deployment) -> i32 {
    if d.spec.replicas == 0 {
        return rs.spec.replicas.saturating_neg();
    }
    let deployment_max_replicas = d.spec.replicas.saturating_add(max_surge(d));
    let before_scale = match annotation_int(rs, MAX_REPLICAS_ANNOTATION) {
        Some(max) if max != 0 => max,
        // Someone removed the annotation: fall back to the current size, or give up on
        // proportions (the leftover logic still keeps the total right).
        _ if d.status.replicas != 0 => d.status.replicas,
        _ => return 0,
    };
    let new_size =
        f64::from(rs.spec.replicas) * f64::from(deployment_max_replicas) / f64::from(before_scale);
    (new_size.round() as i32).saturating_sub(rs.spec.replicas)
}

/// How many replicas this ReplicaSet gains (or loses) in a proportional resize, clamped so the
/// running total never overshoots `to_add`.
pub fn get_replica_set_proportion(rs: &ReplicaSet, d: &Deployment, to_add: i32, added: i32) -> i32 {
    if rs.spec.replicas == 0 || to_add == 0 || to_add == added {
        return 0;
    }
    let fraction = get_replica_set_fraction(rs, d);
    let allowed = to_add.saturating_sub(added);
    if to_add > 0 {
        fraction.min(allowed)
    } else {
        fraction.max(allowed)
    }
}

// ---------------------------------------------------------------------------------------------
// Revisions.

/// The revision annotation as a number; missing counts as 0.
pub fn revision(rs: &ReplicaSet) -> Result<i64, std::num::ParseIntError> {
    rs.metadata
        .annotation(REVISION_ANNOTATION)
        .map_or(Ok(0), str::parse)
}

/// The highest revision among `rss` (unparsable ones ignored): the next revision is this + 1.
pub fn max_revision<'a>(rss: impl IntoIterator<Item = &'a ReplicaSet>) -> i64 {
    rss.into_iter()
        .filter_map(|rs| revision(rs).ok())
        .max()
        .unwrap_or(0)
}

/// Copies the Deployment's own annotations (change-cause and friends) onto the new ReplicaSet
/// and gives it `new_revision` unless it already has a higher one. When an existing revision is
/// replaced (an undo back to this template), the old number goes into the revision history,
/// trimmed from the oldest end to `rev_history_limit_in_chars`.
pub fn set_new_replica_set_annotations(
    d: &Deployment,
    new_rs: &mut ReplicaSet,
    new_revision: &str,
    exists: bool,
    rev_history_limit_in_chars: usize,
) -> bool {
    let mut changed = copy_deployment_annotations_to_replica_set(d, new_rs);
    let old_revision = new_rs
        .metadata
        .annotation(REVISION_ANNOTATION)
        .map(str::to_string);
    let old_revision_int = match old_revision.as_deref() {
        None | Some("") => 0,
        Some(text) => match text.parse::<i64>() {
            Ok(value) => value,
            Err(_) => return false,
        },
    };
    let Ok(new_revision_int) = new_revision.parse::<i64>() else {
        return false;
    };
    if old_revision_int < new_revision_int {
        new_rs
            .metadata
            .annotations
            .insert(REVISION_ANNOTATION.to_string(), new_revision.to_string());
        changed = true;
        if let Some(old_revision) = old_revision {
            append_revision_history(new_rs, &old_revision, rev_history_limit_in_chars);
        }
    }
    if !exists {
        let max_replicas = d.spec.replicas.saturating_add(max_surge(d));
        changed |= set_replicas_annotations(new_rs, d.spec.replicas, max_replicas);
    }
    changed
}

fn append_revision_history(rs: &mut ReplicaSet, old_revision: &str, limit: usize) {
    let history = rs
        .metadata
        .annotation(REVISION_HISTORY_ANNOTATION)
        .unwrap_or("")
        .to_string();
    if history.is_empty() {
        rs.metadata.annotations.insert(
            REVISION_HISTORY_ANNOTATION.to_string(),
            old_revision.to_string(),
        );
        return;
    }
    let entries: Vec<&str> = history.split(',').collect();
    let mut total = history.len() + old_revision.len() + 1;
    let mut start = 0;
    while total > limit && start < entries.len() {
        total = total.saturating_sub(entries[start].len() + 1);
        start += 1;
    }
    // Even after dropping everything the new entry may not fit; then history stays as is.
    if total <= limit {
        let mut kept: Vec<&str> = entries[start..].to_vec();
        kept.push(old_revision);
        rs.metadata
            .annotations
            .insert(REVISION_HISTORY_ANNOTATION.to_string(), kept.join(","));
    }
}

fn copy_deployment_annotations_to_replica_set(d: &Deployment, rs: &mut ReplicaSet) -> bool {
    let mut changed = false;
    for (key, value) in &d.metadata.annotations {
        if ANNOTATIONS_TO_SKIP.contains(&key.as_str())
            || rs.metadata.annotations.get(key) == Some(value)
        {
            continue;
        }
        rs.metadata.annotations.insert(key.clone(), value.clone());
        changed = true;
    }
    changed
}

// ---------------------------------------------------------------------------------------------
// Finding the new and old ReplicaSets.

/// Go's `ReplicaSetsByCreationTimestamp.Less`: older first, name breaks ties. An unset
/// timestamp is Go's zero time, i.e. older than everything.
pub fn replica_set_created_before(a: &ReplicaSet, b: &ReplicaSet) -> bool {
    let (ta, tb) = (a.metadata.creation_timestamp, b.metadata.creation_timestamp);
    if ta == tb {
        return a.metadata.name < b.metadata.name;
    }
    ta < tb
}

/// Go's `ReplicaSetsByRevision.Less`: by revision, falling back to creation order when a
/// revision is missing-equal or unparsable.
pub fn replica_set_revision_before(a: &ReplicaSet, b: &ReplicaSet) -> bool {
    match (revision(a), revision(b)) {
        (Ok(ra), Ok(rb)) if ra != rb => ra < rb,
        _ => replica_set_created_before(a, b),
    }
}

/// Oldest first (name as tie-break), like upstream's sort before looking for the new RS.
pub fn sort_by_creation_timestamp(rss: &mut [ReplicaSet]) {
    sort_by_less(rss, replica_set_created_before);
}

/// Two templates are the same revision if they differ at most in the pod-template-hash label
/// (which the controller added to the ReplicaSet's copy).
pub fn equal_ignore_hash(a: &PodTemplateSpec, b: &PodTemplateSpec) -> bool {
    let mut a = a.clone();
    let mut b = b.clone();
    a.metadata.labels.remove(POD_TEMPLATE_HASH_LABEL);
    b.metadata.labels.remove(POD_TEMPLATE_HASH_LABEL);
    a == b
}

/// The oldest ReplicaSet whose template matches the Deployment's: the "new" ReplicaSet.
pub fn find_new_replica_set<'a>(d: &Deployment, rss: &'a [ReplicaSet]) -> Option<&'a ReplicaSet> {
    let mut sorted: Vec<&ReplicaSet> = rss.iter().collect();
    sort_by_less(&mut sorted, |a, b| replica_set_created_before(a, b));
    sorted
        .into_iter()
        .find(|rs| equal_ignore_hash(&rs.spec.template, &d.spec.template))
}

/// Splits the Deployment's ReplicaSets into the new one (if any) and the old ones.
pub fn split_new_and_old(
    d: &Deployment,
    rss: Vec<ReplicaSet>,
) -> (Option<ReplicaSet>, Vec<ReplicaSet>) {
    let new_uid_and_name =
        find_new_replica_set(d, &rss).map(|rs| (rs.metadata.uid.clone(), rs.metadata.name.clone()));
    let mut new_rs = None;
    let mut old_rss = Vec::new();
    for rs in rss {
        let is_new = new_rs.is_none()
            && new_uid_and_name
                .as_ref()
                .is_some_and(|(uid, name)| &rs.metadata.uid == uid && &rs.metadata.name == name);
        if is_new {
            new_rs = Some(rs);
        } else {
            old_rss.push(rs);
        }
    }
    (new_rs, old_rss)
}

// ---------------------------------------------------------------------------------------------
// Names and hashes.

/// The alphabet Kubernetes uses for generated names: no vowels (no accidental words) and no
/// look-alike characters.
const SAFE_ALPHABET: &[u8; 27] = b"bcdfghjklmnpqrstvwxz2456789";

/// The pod-template-hash: FNV-1a over a canonical rendering of the pod template (plus the
/// collision count when set), printed in decimal with each digit mapped into the safe alphabet.
/// Equal templates always give equal hashes, so a re-created ReplicaSet gets the same name.
pub fn compute_hash(template: &PodTemplateSpec, collision_count: Option<i32>) -> String {
    const OFFSET_BASIS: u32 = 0x811c_9dc5;
    const PRIME: u32 = 0x0100_0193;
    // JSON of BTreeMap-based structs is canonical: fixed field order, sorted map keys.
    let rendering =
        serde_json::to_vec(template).unwrap_or_else(|_| format!("{template:?}").into_bytes());
    let mut hash = OFFSET_BASIS;
    let mut feed = |bytes: &[u8]| {
        for byte in bytes {
            hash ^= u32::from(*byte);
            hash = hash.wrapping_mul(PRIME);
        }
    };
    feed(&rendering);
    if let Some(count) = collision_count {
        // Upstream writes the count as a little-endian uint32 into an 8-byte buffer.
        let mut bytes = [0u8; 8];
        bytes[..4].copy_from_slice(&(count as u32).to_le_bytes());
        feed(&bytes);
    }
    safe_encode(&hash.to_string())
}

/// apimachinery's `rand.SafeEncodeString`: every byte picks a character of the safe alphabet.
fn safe_encode(text: &str) -> String {
    text.bytes()
        .map(|b| char::from(SAFE_ALPHABET[usize::from(b) % SAFE_ALPHABET.len()]))
        .collect()
}

/// Longest valid object name (DNS-1123 subdomain).
const MAX_NAME_LENGTH: usize = 253;

/// `<deployment>-<hash>`, cutting the deployment part so the whole stays a valid name.
pub fn generate_replica_set_name(deployment_name: &str, hash: &str) -> String {
    let max_len = MAX_NAME_LENGTH as i64 - 1 - hash.len() as i64;
    let mut base = deployment_name;
    if max_len > 0 && base.len() as i64 > max_len {
        let mut cut = max_len as usize;
        while !base.is_char_boundary(cut) {
            cut -= 1;
        }
        base = &base[..cut];
    }
    format!("{base}-{hash}")
}

// ---------------------------------------------------------------------------------------------
// Conditions and rollout state.

pub fn new_deployment_condition(
    type_: DeploymentConditionType,
    status: ConditionStatus,
    reason: &str,
    message: String,
    now: Time,
) -> DeploymentCondition {
    DeploymentCondition {
        type_,
        status,
        last_update_time: Some(now),
        last_transition_time: Some(now),
        reason: reason.to_string(),
        message,
    }
}

pub fn get_deployment_condition(
    status: &DeploymentStatus,
    type_: DeploymentConditionType,
) -> Option<&DeploymentCondition> {
    status.conditions.iter().find(|c| c.type_ == type_)
}

/// Writes a condition. Same status and reason is a no-op, so timestamps only move when
/// something changed; lastTransitionTime only moves when the status flips.
pub fn set_deployment_condition(status: &mut DeploymentStatus, mut condition: DeploymentCondition) {
    if let Some(current) = get_deployment_condition(status, condition.type_) {
        if current.status == condition.status && current.reason == condition.reason {
            return;
        }
        if current.status == condition.status {
            condition.last_transition_time = current.last_transition_time;
        }
    }
    remove_deployment_condition(status, condition.type_);
    status.conditions.push(condition);
}

pub fn remove_deployment_condition(status: &mut DeploymentStatus, type_: DeploymentConditionType) {
    status.conditions.retain(|c| c.type_ != type_);
}

/// Upstream treats MaxInt32 as "no deadline".
pub fn has_progress_deadline(d: &Deployment) -> bool {
    d.spec
        .progress_deadline_seconds
        .is_some_and(|seconds| seconds != i32::MAX)
}

/// Upstream treats MaxInt32 as "keep everything".
pub fn has_revision_history_limit(d: &Deployment) -> bool {
    d.spec
        .revision_history_limit
        .is_some_and(|limit| limit != i32::MAX)
}

/// Done: every desired pod is updated and available, no old pod is left, and the controller
/// has seen the latest spec.
pub fn deployment_complete(d: &Deployment, new_status: &DeploymentStatus) -> bool {
    new_status.updated_replicas == d.spec.replicas
        && new_status.replicas == d.spec.replicas
        && new_status.available_replicas == d.spec.replicas
        && new_status.observed_generation >= d.metadata.generation
}

/// Progress since the Deployment's current status: more updated, fewer old, more ready or more
/// available pods. Only this resets the progress deadline.
pub fn deployment_progressing(d: &Deployment, new_status: &DeploymentStatus) -> bool {
    let old = &d.status;
    let old_status_old_replicas = old.replicas.saturating_sub(old.updated_replicas);
    let new_status_old_replicas = new_status
        .replicas
        .saturating_sub(new_status.updated_replicas);
    new_status.updated_replicas > old.updated_replicas
        || new_status_old_replicas < old_status_old_replicas
        || new_status.ready_replicas > old.ready_replicas
        || new_status.available_replicas > old.available_replicas
}

/// Stuck: no progress reported for longer than progressDeadlineSeconds (strictly).
pub fn deployment_timed_out(d: &Deployment, new_status: &DeploymentStatus, now: Time) -> bool {
    let Some(deadline) = d
        .spec
        .progress_deadline_seconds
        .filter(|_| has_progress_deadline(d))
    else {
        return false;
    };
    let Some(condition) =
        get_deployment_condition(new_status, DeploymentConditionType::Progressing)
    else {
        return false;
    };
    if condition.reason == NEW_RS_AVAILABLE_REASON {
        return false;
    }
    if condition.reason == TIMED_OUT_REASON {
        return true;
    }
    let from = condition.last_update_time.unwrap_or_default();
    (from + Duration::from_secs(i64::from(deadline))).before(now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects::RollingUpdateDeployment;

    /// "25%" stays a percentage, "2" becomes the integer 2.
    fn fencepost(value: &str) -> IntOrString {
        value
            .parse::<i32>()
            .map_or_else(|_| value.into(), IntOrString::Int)
    }

    fn rolling(replicas: i32, surge: &str, unavailable: &str) -> Deployment {
        let mut d = Deployment::default();
        d.spec.replicas = replicas;
        d.spec.strategy.rolling_update = Some(RollingUpdateDeployment {
            max_surge: Some(fencepost(surge)),
            max_unavailable: Some(fencepost(unavailable)),
        });
        d
    }

    #[test]
    fn default_fenceposts_of_ten_replicas_are_three_surge_and_two_unavailable() {
        let d = rolling(10, "25%", "25%");
        assert_eq!(
            (max_surge(&d), max_unavailable(&d), min_available(&d)),
            (3, 2, 8)
        );
    }

    #[test]
    fn small_deployments_round_unavailability_down_to_zero() {
        assert_eq!(
            (
                max_surge(&rolling(4, "25%", "25%")),
                max_unavailable(&rolling(4, "25%", "25%"))
            ),
            (1, 1)
        );
        assert_eq!(
            (
                max_surge(&rolling(3, "25%", "25%")),
                max_unavailable(&rolling(3, "25%", "25%"))
            ),
            (1, 0)
        );
        assert_eq!(
            (
                max_surge(&rolling(1, "25%", "25%")),
                max_unavailable(&rolling(1, "25%", "25%"))
            ),
            (1, 0)
        );
    }

    #[test]
    fn zero_surge_and_zero_unavailable_still_let_one_pod_go() {
        assert_eq!(resolve_fenceposts(None, None, 10), Ok((0, 1)));
    }

    #[test]
    fn max_unavailable_never_exceeds_replicas() {
        assert_eq!(max_unavailable(&rolling(5, "1", "100%")), 5);
    }

    #[test]
    fn absurd_replica_counts_do_not_overflow() {
        let d = rolling(i32::MAX, "100%", "100%");
        assert_eq!(max_surge(&d), i32::MAX);
        assert_eq!(min_available(&d), 0);
        let new_rs = ReplicaSet::default();
        let all = [&new_rs];
        assert_eq!(
            new_rs_new_replicas(&d, &all, &new_rs, &FeatureGates::default()),
            Ok(i32::MAX)
        );
    }

    #[test]
    fn hashes_use_only_the_safe_digit_alphabet_and_change_with_the_collision_count() {
        let template = PodTemplateSpec::default();
        let plain = compute_hash(&template, None);
        assert!(plain.chars().all(|c| "456789bcdf".contains(c)), "{plain}");
        assert_eq!(plain, compute_hash(&template, None));
        assert_ne!(plain, compute_hash(&template, Some(0)));
        assert_ne!(
            compute_hash(&template, Some(0)),
            compute_hash(&template, Some(1))
        );
    }

    #[test]
    fn the_hash_label_does_not_make_templates_different() {
        let a = PodTemplateSpec::default();
        let mut b = a.clone();
        b.metadata
            .labels
            .insert(POD_TEMPLATE_HASH_LABEL.into(), "abc".into());
        assert!(equal_ignore_hash(&a, &b));
        b.metadata.labels.insert("app".into(), "web".into());
        assert!(!equal_ignore_hash(&a, &b));
    }

    #[test]
    fn revision_history_drops_oldest_entries_to_fit_the_limit() {
        let d = Deployment::default();
        let mut rs = ReplicaSet::default();
        for revision in 11..=14 {
            set_new_replica_set_annotations(&d, &mut rs, &revision.to_string(), true, 5);
        }
        assert_eq!(rs.metadata.annotation(REVISION_ANNOTATION), Some("14"));
        assert_eq!(
            rs.metadata.annotation(REVISION_HISTORY_ANNOTATION),
            Some("12,13")
        );
    }
}
