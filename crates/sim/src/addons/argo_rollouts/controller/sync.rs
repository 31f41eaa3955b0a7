//! `rollout/sync.go`: the status half — base status, conditions, full promotion, scaling
//! events, paused conditions, and persisting the status.

use super::{conditions, defaults, pod_template_hash, RolloutContext};
use crate::addons::argo_rollouts::utils::phase::calculate_rollout_phase;
use crate::addons::argo_rollouts::utils::DESIRED_REPLICAS_ANNOTATION;
use crate::clock::Duration;
use crate::objects::{ConditionStatus, EventType, ReplicaSet, RolloutConditionType, RolloutStatus};

/// `v1alpha1.ExperimentNameAnnotationKey`: a ReplicaSet an Experiment created.
const EXPERIMENT_NAME_ANNOTATION: &str = "experiment.argoproj.io/name";

impl RolloutContext<'_> {
    /// `checkPausedConditions`: the Progressing and Paused conditions follow a pause or a
    /// resume at once, before anything else is reconciled.
    pub(super) fn check_paused_conditions(&mut self) {
        let status = &self.rollout.status;
        let progressing = conditions::get_condition(status, RolloutConditionType::Progressing);
        let progressing_paused =
            progressing.is_some_and(|c| c.reason == conditions::ROLLOUT_PAUSED_REASON);
        let is_paused = !status.pause_conditions.is_empty() || self.rollout.spec.paused;
        let abort_exists =
            progressing.is_some_and(|c| c.reason == conditions::ROLLOUT_ABORTED_REASON);
        let now = self.now();
        let mut updates = Vec::new();
        if is_paused != progressing_paused
            && !abort_exists
            && !conditions::rollout_completed(status)
        {
            let (reason, message) = if is_paused {
                (
                    conditions::ROLLOUT_PAUSED_REASON,
                    conditions::ROLLOUT_PAUSED_MESSAGE,
                )
            } else {
                (
                    conditions::ROLLOUT_RESUMED_REASON,
                    conditions::ROLLOUT_RESUMED_MESSAGE,
                )
            };
            updates.push(conditions::new_condition(
                RolloutConditionType::Progressing,
                ConditionStatus::Unknown,
                reason,
                message,
                now,
            ));
        }
        if !status.abort && abort_exists {
            updates.push(conditions::new_condition(
                RolloutConditionType::Progressing,
                ConditionStatus::Unknown,
                conditions::ROLLOUT_RETRY_REASON,
                conditions::ROLLOUT_RETRY_MESSAGE,
                now,
            ));
        }
        let paused_true = conditions::get_condition(status, RolloutConditionType::Paused)
            .is_some_and(|c| c.status == ConditionStatus::True);
        if is_paused != paused_true && !abort_exists {
            let condition_status = if is_paused {
                ConditionStatus::True
            } else {
                ConditionStatus::False
            };
            updates.push(conditions::new_condition(
                RolloutConditionType::Paused,
                condition_status,
                conditions::ROLLOUT_PAUSED_REASON,
                conditions::ROLLOUT_PAUSED_MESSAGE,
                now,
            ));
        }
        if updates.is_empty() {
            return;
        }
        let mut new_status = self.rollout.status.clone();
        for condition in updates {
            conditions::set_condition(&mut new_status, condition);
        }
        self.patch_status(new_status);
    }

    /// `patchCondition`'s tail: observed generation, phase and message, then the write.
    fn patch_status(&mut self, mut new_status: RolloutStatus) {
        new_status.observed_generation = self.rollout.metadata.generation.to_string();
        let (phase, message) = calculate_rollout_phase(&self.rollout.spec, &new_status);
        new_status.phase = Some(phase);
        new_status.message = message;
        if new_status != self.rollout.status {
            self.rollout.status = new_status;
            self.write_status_only();
        }
    }

    /// `isScalingEvent`: `spec.replicas` changed while nothing else did.
    pub(super) fn is_scaling_event(&mut self) -> bool {
        self.sync_replica_set_revision();
        let replicas = self.replicas();
        [self.new_rs.as_ref(), self.stable_rs.as_ref()]
            .into_iter()
            .flatten()
            .filter(|rs| crate::controller::util::is_active(rs))
            .filter_map(|rs| {
                rs.metadata
                    .annotations
                    .get(DESIRED_REPLICAS_ANNOTATION)
                    .and_then(|v| v.parse::<i32>().ok())
            })
            .any(|desired| desired != replicas)
    }

    /// `syncReplicasOnly`.
    pub(super) fn sync_replicas_only(&mut self) {
        self.sync_replica_set_revision();
        let mut new_status = self.rollout.status.clone();
        if self.rollout.blue_green().is_some() {
            if self.preview_and_active_services().is_err() {
                return;
            }
            self.reconcile_blue_green_replica_sets();
            let active = super::replicaset::replica_set_by_hash(
                &self.all_rss,
                &new_status.blue_green.active_selector,
            )
            .cloned();
            match active {
                Some(active) => {
                    new_status.hpa_replicas = active.status.replicas;
                    new_status.available_replicas = active.status.available_replicas;
                }
                None => {
                    new_status.hpa_replicas = actual(&self.all_rss);
                    new_status.available_replicas = available(&self.all_rss);
                }
            }
        }
        if self.rollout.canary().is_some() {
            self.reconcile_canary_replica_sets();
            new_status.available_replicas = available(&self.all_rss);
            new_status.hpa_replicas = actual(&self.all_rss);
        }
        self.persist_rollout_status(new_status);
    }

    /// `calculateBaseStatus`.
    pub(super) fn calculate_base_status(&mut self) -> RolloutStatus {
        let mut previous = self.rollout.status.clone();
        if self.validation_error().is_none() {
            conditions::remove_condition(&mut previous, RolloutConditionType::InvalidSpec);
        }
        let current_pod_hash = match &self.new_rs {
            Some(rs) => pod_template_hash(rs).to_string(),
            None => super::hash::compute_pod_template_hash(
                &self.rollout.spec.template,
                self.rollout.status.collision_count,
            ),
        };
        let mut status = self.new_status.clone();
        status.current_pod_hash = current_pod_hash;
        status.replicas = actual(&self.all_rss);
        status.updated_replicas = self.new_rs.as_ref().map_or(0, |rs| rs.status.replicas);
        status.ready_replicas = self.all_rss.iter().map(|rs| rs.status.ready_replicas).sum();
        status.collision_count = self.rollout.status.collision_count;
        status.conditions = previous.conditions;
        status.restarted_at = self.new_status.restarted_at;
        status.promote_full = status.current_pod_hash != status.stable_rs && previous.promote_full;
        status
    }

    /// `calculateRolloutConditions`.
    pub(super) fn calculate_rollout_conditions(
        &mut self,
        mut new_status: RolloutStatus,
    ) -> RolloutStatus {
        let now = self.now();
        let ro = self.rollout.clone();
        let is_paused = !ro.status.pause_conditions.is_empty() || ro.spec.paused;
        let is_aborted = self.pause.is_aborted(&ro);

        let mut became_unhealthy = false;
        let healthy_before =
            conditions::get_condition(&ro.status, RolloutConditionType::Healthy).is_some();
        if !is_paused && conditions::rollout_healthy(&ro, &new_status) {
            let healthy = conditions::new_condition(
                RolloutConditionType::Healthy,
                ConditionStatus::True,
                conditions::ROLLOUT_HEALTHY_REASON,
                conditions::ROLLOUT_HEALTHY_MESSAGE,
                now,
            );
            conditions::set_condition(&mut new_status, healthy);
        } else if healthy_before {
            let unhealthy = conditions::new_condition(
                RolloutConditionType::Healthy,
                ConditionStatus::False,
                conditions::ROLLOUT_HEALTHY_REASON,
                conditions::ROLLOUT_NOT_HEALTHY_MESSAGE,
                now,
            );
            became_unhealthy = conditions::set_condition(&mut new_status, unhealthy);
        }

        if is_aborted {
            let mut message = format!(
                "Rollout aborted update to revision {}",
                self.rollout_revision()
            );
            if !self.pause.abort_message.is_empty() {
                message = format!("{message}: {}", self.pause.abort_message);
            }
            let condition = conditions::new_condition(
                RolloutConditionType::Progressing,
                ConditionStatus::False,
                conditions::ROLLOUT_ABORTED_REASON,
                message.clone(),
                now,
            );
            if conditions::set_condition(&mut new_status, condition) {
                let explanation = self.abort_explanation();
                self.explained_event(
                    EventType::Warning,
                    conditions::ROLLOUT_ABORTED_REASON,
                    message,
                    Some(explanation),
                );
            }
        }

        let current =
            conditions::get_condition(&ro.status, RolloutConditionType::Progressing).cloned();
        let is_healthy_rollout = new_status.replicas == new_status.available_replicas
            && current.as_ref().is_some_and(|c| {
                c.reason == conditions::NEW_RS_AVAILABLE_REASON
                    && c.type_ != RolloutConditionType::Progressing
            });
        if !is_healthy_rollout && !is_aborted {
            let new_rs_name = self.new_rs.as_ref().map(|rs| rs.metadata.name.clone());
            if conditions::rollout_healthy(&ro, &new_status) {
                let message = format!(
                    "ReplicaSet {:?} has successfully progressed.",
                    new_rs_name.clone().unwrap_or_default()
                );
                let condition = conditions::new_condition(
                    RolloutConditionType::Progressing,
                    ConditionStatus::True,
                    conditions::NEW_RS_AVAILABLE_REASON,
                    message,
                    now,
                );
                conditions::set_condition(&mut new_status, condition);
            } else if conditions::rollout_progressing(&ro, &new_status) || became_unhealthy {
                let mut message = match &new_rs_name {
                    Some(name) => format!("ReplicaSet {name:?} is progressing."),
                    None => format!("Rollout {:?} is progressing.", ro.metadata.name),
                };
                let reason =
                    if new_status.stable_rs == new_status.current_pod_hash && became_unhealthy {
                        message = conditions::NOT_AVAILABLE_MESSAGE.to_string();
                        conditions::REPLICA_SET_NOT_AVAILABLE_REASON
                    } else {
                        conditions::REPLICA_SET_UPDATED_REASON
                    };
                let mut condition = conditions::new_condition(
                    RolloutConditionType::Progressing,
                    ConditionStatus::True,
                    reason,
                    message,
                    now,
                );
                // Progress refreshes lastUpdateTime even with the same reason.
                if let Some(current) = &current {
                    if current.status == ConditionStatus::True {
                        condition.last_transition_time = current.last_transition_time;
                    }
                    conditions::remove_condition(
                        &mut new_status,
                        RolloutConditionType::Progressing,
                    );
                }
                conditions::set_condition(&mut new_status, condition);
            } else if !self.is_indefinite_step()
                && !self.is_waiting_for_replica_set_scale_down()
                && conditions::rollout_timed_out(&ro, &new_status, now)
            {
                let message = match &new_rs_name {
                    Some(name) => format!("ReplicaSet {name:?} has timed out progressing."),
                    None => format!("Rollout {:?} has timed out progressing.", ro.metadata.name),
                };
                let condition = conditions::new_condition(
                    RolloutConditionType::Progressing,
                    ConditionStatus::False,
                    conditions::TIMED_OUT_REASON,
                    message.clone(),
                    now,
                );
                let changed = conditions::set_condition(&mut new_status, condition);
                if ro.spec.progress_deadline_abort && (changed || !self.pause.is_aborted(&ro)) {
                    self.pause.add_abort(message.clone());
                    self.event(
                        EventType::Warning,
                        conditions::ROLLOUT_ABORTED_REASON,
                        message,
                    );
                }
            }
        }

        let active = super::replicaset::replica_set_by_hash(
            &self.all_rss,
            &new_status.blue_green.active_selector,
        );
        let available_now = if ro.blue_green().is_some() && active.is_some() {
            super::replicaset::is_saturated(&ro, active)
        } else if ro.canary().is_some() {
            available(&self.all_rss) >= ro.replicas()
        } else {
            false
        };
        let (status, message) = if available_now {
            (ConditionStatus::True, conditions::AVAILABLE_MESSAGE)
        } else {
            (ConditionStatus::False, conditions::NOT_AVAILABLE_MESSAGE)
        };
        let availability = conditions::new_condition(
            RolloutConditionType::Available,
            status,
            conditions::AVAILABLE_REASON,
            message,
            now,
        );
        conditions::set_condition(&mut new_status, availability);

        match self.replica_failure() {
            Some(failure) => {
                conditions::set_condition(&mut new_status, failure);
            }
            None => {
                conditions::remove_condition(&mut new_status, RolloutConditionType::ReplicaFailure)
            }
        }

        let completed = conditions::rollout_completed(&new_status);
        let condition = conditions::new_condition(
            RolloutConditionType::Completed,
            if completed {
                ConditionStatus::True
            } else {
                ConditionStatus::False
            },
            conditions::ROLLOUT_COMPLETED_REASON,
            conditions::ROLLOUT_COMPLETED_REASON,
            now,
        );
        if conditions::set_condition(&mut new_status, condition) && !completed {
            let message = format!(
                "Rollout not completed, started update to revision {} ({})",
                self.rollout_revision(),
                new_status.current_pod_hash
            );
            self.event(
                EventType::Normal,
                conditions::ROLLOUT_NOT_COMPLETED_REASON,
                message,
            );
        }
        new_status
    }

    /// `isIndefiniteStep`: steps that may wait forever do not time out.
    fn is_indefinite_step(&self) -> bool {
        let view = self.view();
        let (step, index) = super::arith::get_current_canary_step(&view);
        if step.is_some() {
            let index = index.unwrap_or(0).max(0) as usize;
            if let Some(step) = self.rollout.canary().and_then(|c| c.steps.get(index)) {
                if step.experiment.is_some() || step.analysis.is_some() || step.pause.is_some() {
                    return true;
                }
            }
        }
        conditions::get_condition(&self.rollout.status, RolloutConditionType::Paused)
            .is_some_and(|c| c.status == ConditionStatus::True)
    }

    /// `isWaitingForReplicaSetScaleDown`.
    fn is_waiting_for_replica_set_scale_down(&self) -> bool {
        self.other_rss
            .iter()
            .any(super::replicaset::has_scale_down_deadline)
    }

    /// `persistRolloutStatus`: pause and abort decisions applied, observed generation, phase
    /// and message computed, written when anything changed; else the progress-deadline
    /// requeue.
    pub(super) fn persist_rollout_status(&mut self, mut new_status: RolloutStatus) {
        let now = self.now();
        self.pause
            .calculate_pause_status(&self.rollout, &mut new_status, now);
        new_status.workload_observed_generation = self
            .workload_generation
            .map(|generation| generation.to_string())
            .unwrap_or_default();
        new_status.observed_generation = self.rollout.metadata.generation.to_string();
        let (phase, message) = calculate_rollout_phase(&self.rollout.spec, &new_status);
        new_status.phase = Some(phase);
        new_status.message = message;
        if new_status == self.rollout.status {
            self.requeue_stuck_rollout(&new_status);
            return;
        }
        let previous = std::mem::replace(&mut self.rollout.status, new_status);
        self.write_status_only();
        self.send_state_change_events(&previous);
    }

    /// `sendStateChangeEvents`.
    pub(super) fn send_state_change_events(&mut self, previous: &RolloutStatus) {
        let was_paused = !previous.pause_conditions.is_empty();
        let first_pause = self
            .rollout
            .status
            .pause_conditions
            .first()
            .map(|c| c.reason);
        let aborted = self.rollout.status.aborted_at.is_some();
        match (was_paused, first_pause) {
            (false, Some(reason)) => {
                let explanation = self.pause_explanation(reason);
                self.explained_event(
                    EventType::Normal,
                    conditions::ROLLOUT_PAUSED_REASON,
                    format!(
                        "{} ({})",
                        conditions::ROLLOUT_PAUSED_MESSAGE,
                        reason.as_str()
                    ),
                    explanation,
                )
            }
            (true, None) if !aborted => self.event(
                EventType::Normal,
                conditions::ROLLOUT_RESUMED_REASON,
                conditions::ROLLOUT_RESUMED_MESSAGE.into(),
            ),
            _ => {}
        }
    }

    /// `requeueStuckRollout`: wake up when the progress deadline would pass.
    fn requeue_stuck_rollout(&mut self, new_status: &RolloutStatus) {
        let Some(current) =
            conditions::get_condition(&self.rollout.status, RolloutConditionType::Progressing)
                .cloned()
        else {
            return;
        };
        let is_paused =
            !self.rollout.status.pause_conditions.is_empty() || self.rollout.spec.paused;
        if conditions::rollout_healthy(&self.rollout, new_status)
            || current.reason == conditions::TIMED_OUT_REASON
            || is_paused
            || self.rollout.status.abort
            || self.is_indefinite_step()
        {
            return;
        }
        let deadline = i64::from(defaults::progress_deadline_seconds(&self.rollout));
        let at = current.last_update_time + Duration::from_secs(deadline) + Duration::from_secs(1);
        self.requeue_at(at);
    }

    /// `resetRolloutStatus`: a new template (or new steps) starts the update over.
    pub(super) fn reset_rollout_status(&mut self, new_status: &mut RolloutStatus) {
        self.pause.clear_pause_conditions();
        self.pause.remove_abort();
        self.new_status.restarted_at = self.rollout.spec.restart_at;
        new_status.restarted_at = self.rollout.spec.restart_at;
        new_status.promote_full = false;
        new_status.blue_green.pre_promotion_analysis_run_status = None;
        new_status.blue_green.post_promotion_analysis_run_status = None;
        new_status.blue_green.scale_up_preview_check_point = false;
        new_status.canary.current_step_analysis_run_status = None;
        new_status.canary.current_background_analysis_run_status = None;
        new_status.current_step_index = match self.rollout.canary() {
            Some(c) if !c.steps.is_empty() => Some(0),
            _ => None,
        };
    }

    /// `shouldFullPromote`: the reason to make the new ReplicaSet stable now, if any. The order
    /// of the checks is upstream's, and matters.
    pub(super) fn should_full_promote(&self, new_status: &RolloutStatus) -> Option<String> {
        let ro = &self.rollout;
        if self.stable_rs.is_none() {
            return Some("Initial deploy".into());
        }
        if let Some(canary) = ro.canary() {
            if self.pause.is_aborted(ro) {
                return None;
            }
            // The canary must have all its pods available, or as many as
            // `replicaProgressThreshold` asks for. More than desired is enough: after the
            // Rollout was scaled down, the canary may still be larger than `spec.replicas`.
            let new_rs = self.new_rs.as_ref()?;
            let replicas = ro.replicas();
            let threshold = self
                .view()
                .canary
                .and_then(|canary| canary.replica_progress_threshold);
            if new_rs.status.available_replicas < replicas
                && !super::arith::replica_progress_threshold_met(
                    threshold.as_ref(),
                    Some(&super::replicaset::rs_view(new_rs)),
                    replicas,
                )
            {
                return None;
            }
            if ro.status.promote_full {
                return Some("Full promotion requested".into());
            }
            if self.is_rollback_within_window() {
                return Some("Rollback within window".into());
            }
            let step_count = canary.steps.len() as i32;
            let index = ro.status.current_step_index;
            if step_count == 0 || index == Some(step_count) {
                return Some(format!("Completed all {step_count} canary steps"));
            }
            return None;
        }
        if ro.blue_green().is_some() {
            if new_status.blue_green.active_selector.is_empty() {
                return Some("Initial deploy".into());
            }
            if new_status.blue_green.active_selector != new_status.current_pod_hash {
                return None;
            }
            // (Upstream next waits for AWS target group verification; the lab has no ALB.)
            if ro.status.promote_full {
                return Some("Full promotion requested".into());
            }
            if self.is_rollback_within_window() {
                return Some("Rollback within window".into());
            }
            if self.pause.is_aborted(ro) {
                return None;
            }
            if let Some(gate) = self.post_promotion_gate() {
                return gate;
            }
            return Some("Completed blue-green update".into());
        }
        None
    }

    /// `isRollbackWithinWindow`: the desired ReplicaSet is older than the stable one (a
    /// rollback), and fewer than `rollbackWindow.revisions` ReplicaSets (not counting an
    /// Experiment's) were created between the two. Such a rollback skips the steps and is
    /// promoted at once.
    pub(super) fn is_rollback_within_window(&self) -> bool {
        let (Some(new_rs), Some(stable_rs)) = (&self.new_rs, &self.stable_rs) else {
            return false;
        };
        // `metav1.Time.Before`: an unset timestamp (Go's zero time) is the earliest.
        let created = |rs: &ReplicaSet| rs.metadata.creation_timestamp;
        if created(new_rs) >= created(stable_rs) {
            return false;
        }
        // The type keeps `rollbackWindow` as JSON: `{revisions: N}`.
        let revisions = self
            .rollout
            .spec
            .rollback_window
            .as_ref()
            .and_then(|window| window.get("revisions"))
            .and_then(serde_json::Value::as_i64)
            .unwrap_or(0);
        if revisions <= 0 {
            return false;
        }
        let window = self
            .all_rss
            .iter()
            .filter(|rs| {
                rs.metadata
                    .annotations
                    .get(EXPERIMENT_NAME_ANNOTATION)
                    .is_none_or(String::is_empty)
            })
            .filter(|rs| created(rs) < created(stable_rs) && created(new_rs) < created(rs))
            .count();
        (window as i64) < revisions
    }

    /// `promoteStable`.
    pub(super) fn promote_stable(&mut self, new_status: &mut RolloutStatus, reason: &str) {
        self.pause.clear_pause_conditions();
        self.pause.remove_abort();
        new_status.promote_full = false;
        new_status.blue_green.scale_up_preview_check_point = false;
        if let Some(canary) = self.rollout.canary() {
            let count = canary.steps.len() as i32;
            new_status.current_step_index = (count > 0).then_some(count);
        }
        let revision = self.rollout_revision();
        let scale_down_on_success = self
            .rollout
            .spec
            .workload_ref
            .as_ref()
            .is_some_and(|r| r.scale_down == "onsuccess");
        if revision == 1
            && self.rollout.status.phase == Some(crate::objects::RolloutPhase::Healthy)
            && scale_down_on_success
        {
            self.scale_deployment(0);
        }
        if new_status.stable_rs != new_status.current_pod_hash {
            let old = std::mem::replace(
                &mut new_status.stable_rs,
                new_status.current_pod_hash.clone(),
            );
            let message = format!(
                "Rollout completed update to revision {} ({}): {reason}",
                self.rollout_revision(),
                new_status.current_pod_hash
            );
            let explanation = self.promotion_explanation(&old, new_status);
            self.explained_event(
                EventType::Normal,
                conditions::ROLLOUT_COMPLETED_REASON,
                message,
                Some(explanation),
            );
        }
    }
}

/// `GetActualReplicaCountForReplicaSets`.
pub(super) fn actual(rss: &[ReplicaSet]) -> i32 {
    rss.iter().map(|rs| rs.status.replicas).sum()
}

/// `GetAvailableReplicaCountForReplicaSets`.
pub(super) fn available(rss: &[ReplicaSet]) -> i32 {
    rss.iter().map(|rs| rs.status.available_replicas).sum()
}
