//! `rollout/bluegreen.go`: the blue-green strategy — the preview Service follows the new
//! ReplicaSet at once, the active Service switches on promotion, and the old ReplicaSet
//! lives on for `scaleDownDelaySeconds`.

use super::replicaset::{has_scale_down_deadline, is_saturated, replica_set_by_hash};
use super::sync::{actual, available};
use super::RolloutContext;
use crate::addons::argo_rollouts::utils::ROLLOUTS_POD_TEMPLATE_HASH;
use crate::objects::{PauseReason, Service};

impl RolloutContext<'_> {
    /// `rolloutBlueGreen`.
    pub(super) fn rollout_blue_green(&mut self) {
        let Ok((preview, active)) = self.preview_and_active_services() else {
            return;
        };
        self.sync_replica_set_revision();
        self.reconcile_preview_service(preview.as_ref());
        if self.check_pod_spec_change() {
            self.sync_rollout_status_blue_green(preview.as_ref(), &active);
            return;
        }
        self.reconcile_pod_restarts();
        self.reconcile_blue_green_replica_sets();
        self.reconcile_blue_green_pause(&active);
        let active = self.reconcile_active_service(active);
        if let Err(err) = self.reconcile_analysis_runs() {
            self.analysis_error(&err);
            return;
        }
        self.sync_rollout_status_blue_green(preview.as_ref(), &active);
    }

    /// `reconcileBlueGreenReplicaSets`.
    pub(super) fn reconcile_blue_green_replica_sets(&mut self) {
        self.remove_scale_down_deadlines();
        if let Some(stable) = self.stable_rs.clone() {
            self.scale_replica_set_and_record_event(&stable, self.replicas());
        }
        self.reconcile_new_replica_set();
        self.reconcile_other_replica_sets();
        self.reconcile_revision_history_limit();
    }

    /// `isBlueGreenFastTracked`: nothing to switch over from, so no pause.
    fn is_blue_green_fast_tracked(&self, active: &Service) -> bool {
        let Some(new_rs) = &self.new_rs else {
            return false;
        };
        if has_scale_down_deadline(new_rs) || self.rollout.status.promote_full {
            return true;
        }
        match active.spec.selector.get(ROLLOUTS_POD_TEMPLATE_HASH) {
            None => true,
            Some(hash) => hash == super::pod_template_hash(new_rs),
        }
    }

    /// `ReadyForPause`: the new ReplicaSet has all the pods it should have now.
    fn ready_for_pause(&self) -> bool {
        let Some(new_rs) = &self.new_rs else {
            return false;
        };
        let count = self.new_rs_new_replicas(new_rs);
        new_rs.spec.replicas == count && new_rs.status.available_replicas == count
    }

    /// `reconcileBlueGreenPause`.
    fn reconcile_blue_green_pause(&mut self, active: &Service) {
        if self.rollout.status.abort || !self.ready_for_pause() || self.halt_progress().is_some() {
            return;
        }
        let Some(new_rs) = self.new_rs.clone() else {
            return;
        };
        if self.is_blue_green_fast_tracked(active)
            || active
                .spec
                .selector
                .get(ROLLOUTS_POD_TEMPLATE_HASH)
                .map(String::as_str)
                == Some(super::pod_template_hash(&new_rs))
            || self.rollout.status.blue_green.scale_up_preview_check_point
            || !needs_blue_green_controller_pause(&self.rollout)
        {
            self.pause
                .remove_pause_condition(PauseReason::BlueGreenPause);
            return;
        }
        if !self.completed_pre_promotion_analysis() {
            return;
        }
        match super::pause::get_pause_condition(&self.rollout, PauseReason::BlueGreenPause).cloned()
        {
            Some(condition) => {
                if !self.completed_blue_green_pause() {
                    let seconds = self
                        .rollout
                        .blue_green()
                        .map_or(0, |bg| bg.auto_promotion_seconds);
                    if seconds > 0 {
                        self.check_enqueue_rollout_during_wait(
                            condition.start_time,
                            i64::from(seconds),
                        );
                    }
                } else {
                    self.pause
                        .remove_pause_condition(PauseReason::BlueGreenPause);
                }
            }
            None => {
                if !self.rollout.status.controller_pause {
                    self.pause.add_pause_condition(PauseReason::BlueGreenPause);
                }
            }
        }
    }

    /// `reconcilePreviewService`: the preview Service always selects the new ReplicaSet.
    fn reconcile_preview_service(&mut self, preview: Option<&Service>) {
        let (Some(preview), Some(new_rs)) = (preview, self.new_rs.clone()) else {
            return;
        };
        if self.halt_progress().is_some() {
            return;
        }
        self.switch_service_selector(preview, super::pod_template_hash(&new_rs));
    }

    /// `reconcileActiveService`: the switch, once the new ReplicaSet is saturated and the
    /// pause (if any) is over; back to stable on abort.
    fn reconcile_active_service(&mut self, active: Service) -> Service {
        if self.halt_progress().is_some() || !self.ready_for_pause() {
            return active;
        }
        let Some(new_rs) = self.new_rs.clone() else {
            return active;
        };
        if !is_saturated(&self.rollout, Some(&new_rs)) {
            return active;
        }
        let new_hash = super::pod_template_hash(&new_rs).to_string();
        let mut hash = active
            .spec
            .selector
            .get(ROLLOUTS_POD_TEMPLATE_HASH)
            .cloned()
            .unwrap_or_default();
        if self.is_blue_green_fast_tracked(&active) {
            hash = new_hash.clone();
        }
        if self.completed_blue_green_pause() && self.completed_pre_promotion_analysis() {
            hash = new_hash;
        }
        if self.rollout.status.abort {
            hash = self.rollout.status.stable_rs.clone();
        }
        self.switch_service_selector(&active, &hash)
    }

    /// `syncRolloutStatusBlueGreen`.
    fn sync_rollout_status_blue_green(&mut self, preview: Option<&Service>, active: &Service) {
        let mut new_status = self.calculate_base_status();
        new_status.stable_rs = self.rollout.status.stable_rs.clone();
        if self.check_pod_spec_change() {
            self.reset_rollout_status(&mut new_status);
        }
        if self.rollout.status.promote_full || self.is_rollback_within_window() {
            self.pause.clear_pause_conditions();
            self.pause.remove_abort();
        }
        let selector_of = |svc: Option<&Service>| {
            svc.and_then(|s| s.spec.selector.get(ROLLOUTS_POD_TEMPLATE_HASH).cloned())
                .unwrap_or_default()
        };
        new_status.blue_green.preview_selector = selector_of(preview);
        new_status.blue_green.active_selector = selector_of(Some(active));
        if let Some(reason) = self.should_full_promote(&new_status) {
            self.promote_stable(&mut new_status, &reason);
        } else {
            new_status.blue_green.scale_up_preview_check_point =
                self.calculate_scale_up_preview_check_point();
        }
        match replica_set_by_hash(&self.all_rss, &new_status.blue_green.active_selector).cloned() {
            Some(active_rs) => {
                new_status.hpa_replicas = active_rs.status.replicas;
                new_status.selector = active_rs.spec.selector.format();
                new_status.available_replicas = active_rs.status.available_replicas;
                new_status.ready_replicas = active_rs.status.ready_replicas;
            }
            None => {
                new_status.hpa_replicas = actual(&self.all_rss);
                new_status.selector = self
                    .rollout
                    .spec
                    .selector
                    .as_ref()
                    .map(crate::objects::LabelSelector::format)
                    .unwrap_or_default();
                new_status.available_replicas = available(&self.all_rss);
            }
        }
        let new_status = self.calculate_rollout_conditions(new_status);
        self.persist_rollout_status(new_status);
    }

    /// `calculateScaleUpPreviewCheckPoint`.
    fn calculate_scale_up_preview_check_point(&self) -> bool {
        let Some(preview_count) = self
            .rollout
            .blue_green()
            .and_then(|bg| bg.preview_replica_count)
        else {
            return false;
        };
        if self.rollout.status.blue_green.scale_up_preview_check_point {
            return true;
        }
        if !self.completed_pre_promotion_analysis() || !self.completed_blue_green_pause() {
            return false;
        }
        self.new_rs
            .as_ref()
            .is_some_and(|rs| rs.status.available_replicas == preview_count)
    }
}

/// `needsBlueGreenControllerPause`.
fn needs_blue_green_controller_pause(ro: &crate::objects::Rollout) -> bool {
    let Some(bg) = ro.blue_green() else {
        return false;
    };
    if bg.auto_promotion_enabled == Some(false) {
        return true;
    }
    bg.auto_promotion_seconds > 0
}
