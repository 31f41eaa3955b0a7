//! `rollout/canary.go`: the canary strategy — scale by steps, pause, and the status that
//! advances the step index.

use super::pause::pause_seconds;
use super::replicaset::rs_view;
use super::sync::available;
use super::{arith, conditions, RolloutContext};
use crate::addons::argo_rollouts::utils::phase::canary_step_string;
use crate::objects::{EventType, PauseReason};

impl RolloutContext<'_> {
    /// `rolloutCanary`.
    pub(super) fn rollout_canary(&mut self) {
        if self.pod_template_or_steps_changed() {
            self.sync_replica_set_revision();
            self.sync_rollout_status_canary();
            return;
        }
        self.sync_replica_set_revision();
        // Evicted pods make the availability counts stale: scale in the next sync.
        if self.reconcile_pod_restarts() > 0 {
            return;
        }
        self.reconcile_revision_history_limit();
        self.reconcile_stable_and_canary_service();
        if self.reconcile_traffic_routing().is_err() {
            self.failed = true;
            return;
        }
        let analysis = self.reconcile_analysis_runs();
        if self.pause.has_add_pause() {
            // An inconclusive run just paused the rollout.
            self.sync_rollout_status_canary();
            return;
        }
        if let Err(err) = analysis {
            self.analysis_error(&err);
            return;
        }
        if self.reconcile_canary_replica_sets() {
            self.sync_rollout_status_canary();
            return;
        }
        self.reconcile_canary_pause();
        self.sync_rollout_status_canary();
    }

    /// `PodTemplateOrStepsChanged`.
    pub(super) fn pod_template_or_steps_changed(&self) -> bool {
        let status = &self.rollout.status;
        if status.current_step_hash.is_empty()
            || status.current_step_hash != super::hash::compute_step_hash(&self.rollout)
        {
            return true;
        }
        self.check_pod_spec_change()
    }

    /// `CheckPodSpecChange`.
    pub(super) fn check_pod_spec_change(&self) -> bool {
        let status = &self.rollout.status;
        if status.current_pod_hash.is_empty() {
            return false;
        }
        let hash = match &self.new_rs {
            Some(rs) => super::pod_template_hash(rs).to_string(),
            None => super::hash::compute_pod_template_hash(
                &self.rollout.spec.template,
                status.collision_count,
            ),
        };
        status.current_pod_hash != hash
    }

    /// `reconcileCanaryStableReplicaSet`.
    fn reconcile_canary_stable_replica_set(&mut self) -> bool {
        let new_view = self.new_rs.as_ref().map(rs_view);
        let stable_view = self.stable_rs.as_ref().map(rs_view);
        if !arith::check_stable_rs_exists(new_view.as_ref(), stable_view.as_ref()) {
            return false;
        }
        let Some(stable) = self.stable_rs.clone() else {
            return false;
        };
        let view = self.view();
        let desired = if self
            .rollout
            .canary()
            .is_some_and(|c| c.traffic_routing.is_none())
        {
            let others: Vec<_> = self.other_rss.iter().map(rs_view).collect();
            arith::calculate_replica_counts_for_basic_canary(
                &view,
                new_view.as_ref(),
                stable_view.as_ref(),
                &others,
            )
            .stable
        } else {
            // The last persisted weights, not this sync's: the stable scales a sync behind
            // the traffic switch so it never flaps up.
            let weights = self.arith_weights(false);
            arith::calculate_replica_counts_for_traffic_routed_canary(
                &view,
                new_view.as_ref(),
                stable_view.as_ref(),
                weights.as_ref(),
            )
            .stable
        };
        self.scale_replica_set_and_record_event(&stable, desired)
    }

    /// `reconcileCanaryPause`: a pause step adds its pause condition once.
    fn reconcile_canary_pause(&mut self) -> bool {
        let ro = &self.rollout;
        if ro.spec.paused || ro.status.promote_full {
            return false;
        }
        let Some(canary) = ro.canary() else {
            return false;
        };
        let index = ro.status.current_step_index.unwrap_or(0);
        let Some(step) = usize::try_from(index)
            .ok()
            .and_then(|i| canary.steps.get(i))
        else {
            return false;
        };
        let Some(pause) = step.pause.clone() else {
            return false;
        };
        let condition =
            super::pause::get_pause_condition(ro, PauseReason::CanaryPauseStep).cloned();
        match condition {
            None => {
                if !ro.status.controller_pause {
                    self.pause.add_pause_condition(PauseReason::CanaryPauseStep);
                }
            }
            Some(condition) => {
                if let Some(seconds) = pause_seconds(&pause) {
                    self.check_enqueue_rollout_during_wait(condition.start_time, seconds);
                }
            }
        }
        true
    }

    /// `completedCurrentCanaryStep`.
    fn completed_current_canary_step(&self) -> bool {
        if self.rollout.spec.paused {
            return false;
        }
        let Some(canary) = self.rollout.canary() else {
            return false;
        };
        let index = self.rollout.status.current_step_index.unwrap_or(0);
        let Some(step) = usize::try_from(index)
            .ok()
            .and_then(|i| canary.steps.get(i))
        else {
            return false;
        };
        if let Some(pause) = &step.pause {
            return self.completed_canary_pause_step(pause);
        }
        if step.set_canary_scale.is_some() || step.set_weight.is_some() {
            let view = self.view();
            let others: Vec<_> = self.other_rss.iter().map(rs_view).collect();
            let weights = self.arith_weights(true);
            let at_desired = arith::at_desired_replica_counts_for_canary(
                &view,
                self.new_rs.as_ref().map(rs_view).as_ref(),
                self.stable_rs.as_ref().map(rs_view).as_ref(),
                &others,
                weights.as_ref(),
            );
            if step.set_canary_scale.is_some() {
                return at_desired;
            }
            let unverified = self
                .new_status
                .canary
                .weights
                .as_ref()
                .is_some_and(|w| w.verified == Some(false));
            return at_desired && !unverified;
        }
        if step.analysis.is_some() {
            return self.current_step_analysis_successful();
        }
        // Header and mirror routes are applied at once; experiments and plugins are not
        // simulated and never complete.
        step.set_header_route.is_some() || step.set_mirror_route.is_some()
    }

    /// `syncRolloutStatusCanary`.
    pub(super) fn sync_rollout_status_canary(&mut self) {
        let mut new_status = self.calculate_base_status();
        new_status.available_replicas = available(&self.all_rss);
        new_status.hpa_replicas = super::sync::actual(&self.all_rss);
        new_status.selector = self
            .rollout
            .spec
            .selector
            .as_ref()
            .map(crate::objects::LabelSelector::format)
            .unwrap_or_default();
        new_status.stable_rs = self.rollout.status.stable_rs.clone();
        new_status.current_step_hash = super::hash::compute_step_hash(&self.rollout);
        let step_count = self.rollout.canary().map_or(0, |c| c.steps.len() as i32);
        let mut current_index = if step_count > 0 {
            Some(self.rollout.status.current_step_index.unwrap_or(0))
        } else {
            None
        };

        if self.pod_template_or_steps_changed() {
            self.reset_rollout_status(&mut new_status);
            if let Some(new_rs) = &self.new_rs {
                if step_count > 0
                    && self.rollout.status.stable_rs == super::pod_template_hash(new_rs)
                {
                    self.event(
                        EventType::Normal,
                        "SkipSteps",
                        "Rollback to stable ReplicaSets".into(),
                    );
                    new_status.current_step_index = Some(step_count);
                } else if step_count > 0
                    && self.is_rollback_within_window()
                    && crate::controller::util::is_active(new_rs)
                {
                    self.event(
                        EventType::Normal,
                        "SkipSteps",
                        "Rollback to active ReplicaSets within RollbackWindow".into(),
                    );
                    new_status.current_step_index = Some(step_count);
                }
            }
            let new_status = self.calculate_rollout_conditions(new_status);
            self.persist_rollout_status(new_status);
            return;
        }

        if self.rollout.status.promote_full || self.is_rollback_within_window() {
            self.pause.clear_pause_conditions();
            self.pause.remove_abort();
            if step_count > 0 {
                current_index = Some(step_count);
            }
        }

        if let Some(reason) = self.should_full_promote(&new_status) {
            self.promote_stable(&mut new_status, &reason);
            let new_status = self.calculate_rollout_conditions(new_status);
            self.persist_rollout_status(new_status);
            return;
        }

        if self.pause.is_aborted(&self.rollout) {
            if step_count > 0 {
                new_status.current_step_index =
                    if new_status.stable_rs == new_status.current_pod_hash {
                        Some(step_count)
                    } else {
                        Some(0)
                    };
            }
            let new_status = self.calculate_rollout_conditions(new_status);
            self.persist_rollout_status(new_status);
            return;
        }

        if self.completed_current_canary_step() {
            let index = current_index.unwrap_or(0);
            let step = self
                .rollout
                .canary()
                .and_then(|c| c.steps.get(index as usize))
                .map(canary_step_string)
                .unwrap_or_default();
            let next = index + 1;
            current_index = Some(next);
            new_status.canary.current_step_analysis_run_status = None;
            let explanation = self.step_explanation(index, &new_status);
            self.explained_event(
                EventType::Normal,
                conditions::ROLLOUT_STEP_COMPLETED_REASON,
                format!("Rollout step {next}/{step_count} completed ({step})"),
                explanation,
            );
            self.pause
                .remove_pause_condition(PauseReason::CanaryPauseStep);
        }
        new_status.current_step_index = current_index;
        let new_status = self.calculate_rollout_conditions(new_status);
        self.persist_rollout_status(new_status);
    }

    /// `reconcileCanaryReplicaSets`: true while scaling is still under way.
    pub(super) fn reconcile_canary_replica_sets(&mut self) -> bool {
        if self.halt_progress().is_some() {
            return false;
        }
        self.remove_scale_down_deadlines();
        if self.reconcile_canary_stable_replica_set() {
            return true;
        }
        if self.reconcile_new_replica_set() {
            return true;
        }
        self.reconcile_other_replica_sets()
    }
}
