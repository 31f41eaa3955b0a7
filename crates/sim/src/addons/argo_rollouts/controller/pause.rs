//! `rollout/pause.go`: pause and abort decisions collected during a sync and applied to the
//! new status when it is persisted (`pauseContext`).

use super::RolloutContext;
use crate::addons::argo_rollouts::utils::meta_now;
use crate::clock::{Duration, Time};
use crate::objects::{PauseCondition, PauseReason, Rollout, RolloutPause, RolloutStatus};

#[derive(Debug, Default)]
pub(super) struct PauseContext {
    add_pause_reasons: Vec<PauseReason>,
    remove_pause_reasons: Vec<PauseReason>,
    clear_pause_conditions: bool,
    add_abort: bool,
    remove_abort: bool,
    pub(super) abort_message: String,
}

impl PauseContext {
    pub(super) fn has_add_pause(&self) -> bool {
        !self.add_pause_reasons.is_empty()
    }

    pub(super) fn is_aborted(&self, ro: &Rollout) -> bool {
        if self.remove_abort {
            return false;
        }
        self.add_abort || ro.status.abort
    }

    pub(super) fn add_abort(&mut self, message: String) {
        self.add_abort = true;
        self.abort_message = message;
    }

    pub(super) fn remove_abort(&mut self) {
        self.remove_abort = true;
    }

    pub(super) fn add_pause_condition(&mut self, reason: PauseReason) {
        self.add_pause_reasons.push(reason);
    }

    pub(super) fn remove_pause_condition(&mut self, reason: PauseReason) {
        self.remove_pause_reasons.push(reason);
    }

    pub(super) fn clear_pause_conditions(&mut self) {
        self.clear_pause_conditions = true;
    }

    /// `CalculatePauseStatus`.
    pub(super) fn calculate_pause_status(
        &self,
        ro: &Rollout,
        new_status: &mut RolloutStatus,
        now: Time,
    ) {
        if self.calculate_abort_status(ro, new_status, now) {
            return;
        }
        if self.clear_pause_conditions {
            return;
        }
        self.calculate_pause_conditions(ro, new_status, now);
    }

    /// `CalculateAbortStatus`: true when the Rollout stays aborted.
    fn calculate_abort_status(
        &self,
        ro: &Rollout,
        new_status: &mut RolloutStatus,
        now: Time,
    ) -> bool {
        if self.add_abort || (!self.remove_abort && ro.status.abort) {
            new_status.abort = true;
            new_status.aborted_at = Some(ro.status.aborted_at.unwrap_or(meta_now(now)));
            return true;
        }
        new_status.abort = false;
        new_status.aborted_at = None;
        false
    }

    /// `CalculatePauseConditions`.
    fn calculate_pause_conditions(&self, ro: &Rollout, new_status: &mut RolloutStatus, now: Time) {
        let mut controller_pause = ro.status.controller_pause;
        let mut conditions: Vec<PauseCondition> = Vec::new();
        for cond in &ro.status.pause_conditions {
            if !self.remove_pause_reasons.contains(&cond.reason) {
                conditions.push(cond.clone());
            }
        }
        for reason in &self.add_pause_reasons {
            if !ro
                .status
                .pause_conditions
                .iter()
                .any(|c| c.reason == *reason)
            {
                conditions.push(PauseCondition {
                    reason: *reason,
                    start_time: meta_now(now),
                });
                controller_pause = true;
            }
        }
        if conditions.is_empty() {
            return;
        }
        new_status.controller_pause = controller_pause;
        new_status.pause_conditions = conditions;
    }
}

/// `getPauseCondition`.
pub(super) fn get_pause_condition(ro: &Rollout, reason: PauseReason) -> Option<&PauseCondition> {
    ro.status
        .pause_conditions
        .iter()
        .find(|c| c.reason == reason)
}

/// The whole seconds a pause step waits (`DurationSeconds`); `None` waits for a promote.
pub(super) fn pause_seconds(pause: &RolloutPause) -> Option<i64> {
    pause.duration.as_ref().map(|d| {
        crate::addons::argo_rollouts::utils::phase::pause_duration_seconds(d).unwrap_or(-1)
    })
}

impl RolloutContext<'_> {
    /// `CompletedCanaryPauseStep`.
    pub(super) fn completed_canary_pause_step(&self, pause: &RolloutPause) -> bool {
        let ro = &self.rollout;
        let condition = get_pause_condition(ro, PauseReason::CanaryPauseStep);
        if ro.status.controller_pause && condition.is_none() {
            return true;
        }
        if let (Some(seconds), Some(condition)) = (pause_seconds(pause), condition) {
            let expired = condition.start_time + Duration::from_secs(seconds);
            if self.now().after(expired) {
                return true;
            }
        }
        false
    }

    /// `CompletedBlueGreenPause`.
    pub(super) fn completed_blue_green_pause(&self) -> bool {
        let ro = &self.rollout;
        let condition = get_pause_condition(ro, PauseReason::BlueGreenPause);
        if self.pause.has_add_pause() {
            return false;
        }
        if ro.status.blue_green.scale_up_preview_check_point {
            return true;
        }
        let Some(bg) = ro.blue_green() else {
            return false;
        };
        if bg.auto_promotion_enabled.unwrap_or(true) {
            if bg.auto_promotion_seconds == 0 {
                return true;
            }
            if let Some(condition) = condition {
                let deadline = condition.start_time
                    + Duration::from_secs(i64::from(bg.auto_promotion_seconds));
                return self.now().after(deadline);
            }
            return false;
        }
        ro.status.controller_pause && condition.is_none()
    }

    /// `checkEnqueueRolloutDuringWait`: wake up when the wait ends.
    pub(super) fn check_enqueue_rollout_during_wait(&mut self, start: Time, seconds: i64) {
        // Go's time.After is strict: the pause is over one instant after its deadline.
        let expired = start + Duration::from_secs(seconds) + Duration::from_millis(1);
        self.requeue_at(expired);
    }

    /// `haltProgress`.
    pub(super) fn halt_progress(&self) -> Option<&'static str> {
        if self.rollout.spec.paused {
            return Some("user paused");
        }
        if get_pause_condition(&self.rollout, PauseReason::AnalysisRunInconclusive).is_some() {
            return Some("inconclusive analysis");
        }
        None
    }
}
