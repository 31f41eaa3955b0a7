//! `utils/conditions`: the Rollout's conditions, their reasons and message formats, and the
//! checks that decide them.

use crate::clock::Time;
use crate::objects::{
    ConditionStatus, Rollout, RolloutCondition, RolloutConditionType, RolloutStatus,
};

pub const INVALID_SPEC_REASON: &str = "InvalidSpec";
pub const AVAILABLE_REASON: &str = "AvailableReason";
pub const NOT_AVAILABLE_MESSAGE: &str = "Rollout does not have minimum availability";
pub const AVAILABLE_MESSAGE: &str = "Rollout has minimum availability";
pub const REPLICA_SET_UPDATED_REASON: &str = "ReplicaSetUpdated";
pub const NEW_REPLICA_SET_REASON: &str = "NewReplicaSetCreated";
pub const FOUND_NEW_RS_REASON: &str = "FoundNewReplicaSet";
pub const ROLLOUT_UPDATED_REASON: &str = "RolloutUpdated";
pub const ROLLOUT_COMPLETED_REASON: &str = "RolloutCompleted";
pub const ROLLOUT_NOT_COMPLETED_REASON: &str = "RolloutNotCompleted";
pub const ROLLOUT_HEALTHY_REASON: &str = "RolloutHealthy";
pub const ROLLOUT_HEALTHY_MESSAGE: &str = "Rollout is healthy";
pub const ROLLOUT_NOT_HEALTHY_MESSAGE: &str = "Rollout is not healthy";
pub const ROLLOUT_ABORTED_REASON: &str = "RolloutAborted";
pub const ROLLOUT_RETRY_REASON: &str = "RolloutRetry";
pub const ROLLOUT_RETRY_MESSAGE: &str = "Retrying Rollout after abort";
pub const ROLLOUT_PAUSED_REASON: &str = "RolloutPaused";
pub const ROLLOUT_PAUSED_MESSAGE: &str = "Rollout is paused";
pub const REPLICA_SET_NOT_AVAILABLE_REASON: &str = "ReplicaSetNotAvailable";
pub const ROLLOUT_RESUMED_REASON: &str = "RolloutResumed";
pub const ROLLOUT_RESUMED_MESSAGE: &str = "Rollout is resumed";
pub const ROLLOUT_STEP_COMPLETED_REASON: &str = "RolloutStepCompleted";
pub const TRAFFIC_WEIGHT_UPDATED_REASON: &str = "TrafficWeightUpdated";
pub const NEW_RS_AVAILABLE_REASON: &str = "NewReplicaSetAvailable";
pub const TIMED_OUT_REASON: &str = "ProgressDeadlineExceeded";
pub const SCALING_REPLICA_SET_REASON: &str = "ScalingReplicaSet";
pub const ANALYSIS_RUN_FAILED_REASON: &str = "AnalysisRunFailed";

/// `NewRolloutCondition`: both times now.
pub fn new_condition(
    type_: RolloutConditionType,
    status: ConditionStatus,
    reason: &str,
    message: impl Into<String>,
    now: Time,
) -> RolloutCondition {
    let now = super::meta_now(now);
    RolloutCondition {
        type_,
        status,
        last_update_time: now,
        last_transition_time: now,
        reason: reason.to_string(),
        message: message.into(),
    }
}

pub fn get_condition(
    status: &RolloutStatus,
    type_: RolloutConditionType,
) -> Option<&RolloutCondition> {
    status.conditions.iter().find(|c| c.type_ == type_)
}

/// `SetRolloutCondition`: nothing changes when status and reason are the same; a condition
/// whose status stays keeps its transition time. Returns whether it changed.
pub fn set_condition(status: &mut RolloutStatus, mut condition: RolloutCondition) -> bool {
    if let Some(current) = get_condition(status, condition.type_) {
        if current.status == condition.status && current.reason == condition.reason {
            return false;
        }
        if current.status == condition.status {
            condition.last_transition_time = current.last_transition_time;
        }
    }
    remove_condition(status, condition.type_);
    status.conditions.push(condition);
    true
}

pub fn remove_condition(status: &mut RolloutStatus, type_: RolloutConditionType) {
    status.conditions.retain(|c| c.type_ != type_);
}

/// `RolloutProgressing`: did anything move since the last status?
pub fn rollout_progressing(ro: &Rollout, new_status: &RolloutStatus) -> bool {
    let old = &ro.status;
    let mut strategy_progress = false;
    if ro.blue_green().is_some() {
        strategy_progress = old.blue_green.active_selector != new_status.blue_green.active_selector
            || old.blue_green.preview_selector != new_status.blue_green.preview_selector;
    }
    if ro.canary().is_some() {
        let stable_changed = new_status.stable_rs != old.stable_rs;
        let step_moved = match (new_status.current_step_index, old.current_step_index) {
            (Some(new), Some(old)) => new != old,
            _ => false,
        };
        let steps_changed = new_status.current_step_hash != old.current_step_hash;
        strategy_progress = stable_changed || step_moved || steps_changed;
    }
    let old_old_replicas = old.replicas - old.updated_replicas;
    let new_old_replicas = new_status.replicas - new_status.updated_replicas;
    new_status.updated_replicas != old.updated_replicas
        || new_old_replicas < old_old_replicas
        || new_status.ready_replicas > old.ready_replicas
        || new_status.available_replicas > old.available_replicas
        || strategy_progress
}

/// `RolloutHealthy`: every pod updated and available, the strategy finished, the spec seen.
pub fn rollout_healthy(ro: &Rollout, new_status: &RolloutStatus) -> bool {
    let replicas = ro.replicas();
    let mut completed_strategy = true;
    if let Some(bg) = ro.blue_green() {
        let active_done = new_status.blue_green.active_selector == new_status.current_pod_hash;
        let preview_done = bg.preview_service.is_empty()
            || new_status.blue_green.preview_selector == new_status.current_pod_hash;
        completed_strategy = active_done && preview_done;
    }
    if let Some(canary) = ro.canary() {
        let step_count = canary.steps.len() as i32;
        let executed_all = match new_status.current_step_index {
            Some(index) if step_count > 0 => index == step_count,
            _ => true,
        };
        let current_is_stable =
            !new_status.stable_rs.is_empty() && new_status.stable_rs == new_status.current_pod_hash;
        let old_scaled_down = new_status.replicas == replicas;
        completed_strategy = executed_all && current_is_stable && old_scaled_down;
    }
    new_status.updated_replicas == replicas
        && new_status.available_replicas == replicas
        && ro.status.observed_generation == ro.metadata.generation.to_string()
        && completed_strategy
}

/// `RolloutCompleted`.
pub fn rollout_completed(status: &RolloutStatus) -> bool {
    !status.stable_rs.is_empty() && status.stable_rs == status.current_pod_hash
}

/// `RolloutTimedOut`: no progress for `progressDeadlineSeconds`.
pub fn rollout_timed_out(ro: &Rollout, new_status: &RolloutStatus, now: Time) -> bool {
    let Some(condition) = get_condition(new_status, RolloutConditionType::Progressing) else {
        return false;
    };
    if condition.reason == ROLLOUT_ABORTED_REASON || condition.reason == ROLLOUT_PAUSED_REASON {
        return false;
    }
    if condition.reason == TIMED_OUT_REASON {
        return true;
    }
    let deadline = i64::from(super::defaults::progress_deadline_seconds(ro)).saturating_mul(1000);
    condition.last_update_time.millis().saturating_add(deadline) < now.millis()
}
