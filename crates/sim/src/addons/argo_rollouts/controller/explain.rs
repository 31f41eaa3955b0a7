//! The lab's addition to the controller: the numbers behind what it just did — why a Rollout
//! paused, why it moved to the next step, what an abort or a promotion changed — kept as an
//! [`Explanation`] on the event, for the page to put into words in the reader's language.
//! Upstream's controller records the same events without them.

use super::pause::{get_pause_condition, pause_seconds};
use super::{arith, RolloutContext};
use crate::addons::argo_rollouts::utils::phase::canary_step_string;
use crate::objects::{Explanation, PauseReason, ReplicaSet, RolloutStatus};

fn available(rs: Option<&ReplicaSet>) -> i32 {
    rs.map_or(0, |rs| rs.status.available_replicas)
}

fn name(rs: Option<&ReplicaSet>) -> String {
    rs.map(|rs| rs.metadata.name.clone()).unwrap_or_default()
}

impl RolloutContext<'_> {
    /// An explanation about this Rollout, its name filled in.
    fn explanation(&self, key: &str) -> Explanation {
        Explanation::new(key).with("rollout", &self.rollout.metadata.name)
    }

    /// Why the Rollout just paused (its status already holds the new pause condition).
    pub(super) fn pause_explanation(&self, reason: PauseReason) -> Option<Explanation> {
        match reason {
            PauseReason::CanaryPauseStep => {
                let canary = self.rollout.canary()?;
                let index = self.rollout.status.current_step_index?;
                let step = canary.steps.get(usize::try_from(index).ok()?)?;
                let pause = step.pause.as_ref()?;
                let weight = arith::get_current_set_weight(&self.view());
                let explanation = match pause_seconds(pause) {
                    Some(seconds) => self
                        .explanation("rollout.paused_timed")
                        .with("seconds", seconds),
                    None => self.explanation("rollout.paused"),
                };
                Some(
                    explanation
                        .with("step", index + 1)
                        .with("steps", canary.steps.len())
                        .with("weight", weight)
                        .with("canary_pods", available(self.new_rs.as_ref()))
                        .with("pods", self.rollout.status.available_replicas),
                )
            }
            PauseReason::BlueGreenPause => {
                let bg = self.rollout.blue_green()?;
                let auto = bg.auto_promotion_enabled.unwrap_or(true);
                let explanation = if auto && bg.auto_promotion_seconds > 0 {
                    self.explanation("rollout.bluegreen_paused_timed")
                        .with("seconds", bg.auto_promotion_seconds)
                } else {
                    self.explanation("rollout.bluegreen_paused")
                };
                Some(
                    explanation
                        .with("preview", name(self.new_rs.as_ref()))
                        .with("active", name(self.stable_rs.as_ref()))
                        .with("preview_service", &bg.preview_service)
                        .with("active_service", &bg.active_service),
                )
            }
            PauseReason::AnalysisRunInconclusive | PauseReason::InconclusiveExperiment => None,
        }
    }

    /// Why the canary step `index` is complete, with the pods that made it so.
    pub(super) fn step_explanation(
        &self,
        index: i32,
        new_status: &RolloutStatus,
    ) -> Option<Explanation> {
        let canary = self.rollout.canary()?;
        let step = canary.steps.get(usize::try_from(index).ok()?)?;
        let explanation = if let Some(weight) = step.set_weight {
            self.explanation("rollout.step_weight")
                .with("weight", weight)
                .with("canary", name(self.new_rs.as_ref()))
                .with("canary_pods", available(self.new_rs.as_ref()))
                .with("stable_pods", available(self.stable_rs.as_ref()))
                .with("pods", new_status.available_replicas)
        } else if let Some(pause) = &step.pause {
            let resumed = get_pause_condition(&self.rollout, PauseReason::CanaryPauseStep)
                .is_none()
                && self.rollout.status.controller_pause;
            match pause_seconds(pause) {
                Some(seconds) if !resumed => self
                    .explanation("rollout.step_pause_over")
                    .with("seconds", seconds),
                _ => self.explanation("rollout.step_promoted"),
            }
        } else {
            self.explanation("rollout.step_done")
                .with("what", canary_step_string(step))
        };
        Some(
            explanation
                .with("step", index + 1)
                .with("steps", canary.steps.len()),
        )
    }

    /// What an abort does: traffic back to the stable pods, the new ones scaled away.
    pub(super) fn abort_explanation(&self) -> Explanation {
        let key = if self.rollout.blue_green().is_some() {
            "rollout.bluegreen_aborted"
        } else {
            "rollout.aborted"
        };
        self.explanation(key)
            .with("stable", name(self.stable_rs.as_ref()))
            .with("canary", name(self.new_rs.as_ref()))
    }

    /// What a promotion to stable changed; `old` is the stable hash before it.
    pub(super) fn promotion_explanation(
        &self,
        old: &str,
        new_status: &RolloutStatus,
    ) -> Explanation {
        let new_name = name(self.new_rs.as_ref());
        if old.is_empty() {
            return self
                .explanation("rollout.first_stable")
                .with("replica_set", new_name);
        }
        let old_name = self
            .all_rss
            .iter()
            .find(|rs| super::pod_template_hash(rs) == old)
            .map(|rs| rs.metadata.name.clone())
            .unwrap_or_else(|| format!("{}-{old}", self.rollout.metadata.name));
        let key = if self.rollout.blue_green().is_some() {
            "rollout.bluegreen_promoted"
        } else {
            "rollout.promoted"
        };
        self.explanation(key)
            .with("replica_set", new_name)
            .with("old", old_name)
            .with("pods", new_status.available_replicas)
    }

    /// A Service now sends to the pods of one ReplicaSet.
    pub(super) fn switch_explanation(&self, service: &str, hash: &str) -> Explanation {
        let replica_set = self
            .all_rss
            .iter()
            .find(|rs| super::pod_template_hash(rs) == hash)
            .map(|rs| rs.metadata.name.clone())
            .unwrap_or_default();
        self.explanation("rollout.switch_service")
            .with("service", service)
            .with("hash", hash)
            .with("replica_set", replica_set)
    }
}
