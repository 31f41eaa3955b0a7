//! The rollout controller (`rollout/` upstream): one [`RolloutContext`] per Rollout and sync,
//! holding what upstream's `rolloutContext` holds — the Rollout as last written, its new,
//! stable and other ReplicaSets, the status being computed, and the pause decisions made on
//! the way (`pauseContext`).
//!
//! Files mirror upstream's: `controller.go`/`context.go` here, then [`sync`], [`canary`],
//! [`bluegreen`], [`replicaset`], [`pause`], [`service`] and [`validation`].
//!
//! Upstream's informers wake a Rollout when it or anything it owns changes, and it requeues
//! itself for what time alone will change (a pause's end, a scale-down deadline, the progress
//! deadline). The lab runs every Rollout in every settle round (a round only happens when
//! something changed) and asks the clock to wake the add-on at those instants.

mod bluegreen;
mod canary;
mod pause;
mod replicaset;
mod service;
mod sync;
mod trafficrouting;
mod validation;

use super::replicaset as arith;
use super::utils::{self, conditions, defaults, hash, pod_template_hash, revision_of};
use crate::apiserver::{reference, ObjectKey};
use crate::clock::Time;
use crate::cluster::Cluster;
use crate::objects::{EventType, Kind, ReplicaSet, Rollout, RolloutStatus, ARGO_ROLLOUTS};
use pause::PauseContext;
pub use replicaset::{pod_template_equal_ignore_hash, rollout_view};

/// One pass over every Rollout; true when anything was written.
pub fn sync_all(cluster: &mut Cluster) -> bool {
    let keys: Vec<ObjectKey> = cluster.api.store.rollouts.keys().cloned().collect();
    let mut wrote = false;
    for key in keys {
        wrote |= sync_handler(cluster, &key);
    }
    wrote
}

/// `syncHandler`: one Rollout.
fn sync_handler(cluster: &mut Cluster, key: &ObjectKey) -> bool {
    let Some(rollout) = cluster.api.store.rollouts.get(key).cloned() else {
        return false;
    };
    if rollout.metadata.deletion_timestamp.is_some() {
        return false;
    }
    // The controller defaults `spec.replicas` in the object itself, for the HPA's sake.
    if rollout.spec.replicas.is_none() {
        let mut defaulted = rollout;
        defaulted.spec.replicas = Some(defaults::DEFAULT_REPLICAS);
        defaulted.metadata.generation += 1;
        cluster.api.store.rollouts.insert(key.clone(), defaulted);
        cluster.api.work.dirty = true;
        return true;
    }
    let Some(mut context) = RolloutContext::new(cluster, key.clone(), rollout) else {
        return true;
    };
    context.reconcile();
    context.wrote
}

/// `rolloutContext`.
pub(super) struct RolloutContext<'a> {
    cluster: &'a mut Cluster,
    key: ObjectKey,
    /// The Rollout as last written (`c.rollout`).
    rollout: Rollout,
    new_rs: Option<ReplicaSet>,
    stable_rs: Option<ReplicaSet>,
    all_rss: Vec<ReplicaSet>,
    older_rss: Vec<ReplicaSet>,
    other_rss: Vec<ReplicaSet>,
    new_status: RolloutStatus,
    pause: PauseContext,
    wrote: bool,
}

impl<'a> RolloutContext<'a> {
    /// `newRolloutContext`: finds the ReplicaSets, validates, creates the new ReplicaSet if
    /// there is none. `None` when validation failed (the InvalidSpec condition is written).
    fn new(cluster: &'a mut Cluster, key: ObjectKey, rollout: Rollout) -> Option<Self> {
        let all_rss = replicaset::replica_sets_for_rollout(cluster, &rollout);
        let mut context = RolloutContext {
            cluster,
            key,
            new_status: RolloutStatus {
                restarted_at: rollout.status.restarted_at,
                canary: crate::objects::CanaryStatus {
                    weights: rollout.status.canary.weights.clone(),
                    ..Default::default()
                },
                ..Default::default()
            },
            pause: PauseContext::default(),
            rollout,
            new_rs: None,
            stable_rs: None,
            all_rss,
            older_rss: Vec::new(),
            other_rss: Vec::new(),
            wrote: false,
        };
        context.classify_replica_sets();
        if let Some(error) = context.validation_error() {
            context.create_invalid_rollout_condition(&error);
            // Upstream requeues invalid Rollouts every 20 s: the Service may appear later.
            let at = context.now() + crate::clock::Duration::from_secs(20);
            context.cluster.requeue_addon_at(ARGO_ROLLOUTS, at);
            return None;
        }
        if context.new_rs.is_none() {
            let created = context.create_desired_replica_set()?;
            context.all_rss.push(created);
            context.classify_replica_sets();
        }
        if utils::phase::is_fully_promoted(&context.rollout)
            && context.pause.is_aborted(&context.rollout)
        {
            context.pause.remove_abort();
        }
        Some(context)
    }

    /// `FindNewReplicaSet`, `FindOldReplicaSets`, `GetStableRS`, `GetOtherRSs`.
    fn classify_replica_sets(&mut self) {
        let current = hash::compute_pod_template_hash(
            &self.rollout.spec.template,
            self.rollout.status.collision_count,
        );
        let mut sorted = self.all_rss.clone();
        replicaset::sort_by_creation_timestamp(&mut sorted);
        let new_rs = sorted
            .iter()
            .find(|rs| pod_template_hash(rs) == current)
            .or_else(|| {
                sorted
                    .iter()
                    .find(|rs| replicaset::pod_template_equal_ignore_hash(rs, &self.rollout))
            })
            .cloned();
        let new_uid = new_rs.as_ref().map(|rs| rs.metadata.uid.clone());
        self.older_rss = self
            .all_rss
            .iter()
            .filter(|rs| Some(&rs.metadata.uid) != new_uid.as_ref())
            .cloned()
            .collect();
        let stable_hash = &self.rollout.status.stable_rs;
        self.stable_rs = if stable_hash.is_empty() {
            None
        } else if new_rs
            .as_ref()
            .is_some_and(|rs| pod_template_hash(rs) == stable_hash)
        {
            new_rs.clone()
        } else {
            self.all_rss
                .iter()
                .find(|rs| pod_template_hash(rs) == stable_hash)
                .cloned()
        };
        let stable_name = self.stable_rs.as_ref().map(|rs| rs.metadata.name.clone());
        let new_name = new_rs.as_ref().map(|rs| rs.metadata.name.clone());
        self.other_rss = self
            .all_rss
            .iter()
            .filter(|rs| {
                Some(&rs.metadata.name) != stable_name.as_ref()
                    && Some(&rs.metadata.name) != new_name.as_ref()
            })
            .cloned()
            .collect();
        self.new_rs = new_rs;
    }

    /// `reconcile`.
    fn reconcile(&mut self) {
        self.check_paused_conditions();
        if self.is_scaling_event() {
            self.sync_replicas_only();
            return;
        }
        if self.rollout.blue_green().is_some() {
            self.rollout_blue_green();
        } else {
            self.rollout_canary();
        }
    }

    fn now(&self) -> Time {
        self.cluster.api.now
    }

    fn replicas(&self) -> i32 {
        self.rollout.replicas()
    }

    /// `Revision(c.rollout)`.
    fn rollout_revision(&self) -> i64 {
        revision_of(&self.rollout.metadata.annotations)
    }

    /// An event about the Rollout, from the controller.
    fn event(&mut self, type_: EventType, reason: &str, message: String) {
        let object = reference(Kind::Rollout, &self.rollout.metadata);
        self.cluster
            .api
            .record(object, type_, reason, message, utils::CONTROLLER_NAME, None);
    }

    /// The arithmetic's view of the Rollout.
    fn view(&self) -> arith::RolloutView {
        replicaset::rollout_view(&self.rollout)
    }

    /// Wakes the controller at `at` (`enqueueRolloutAfter`).
    fn requeue_at(&mut self, at: Time) {
        if at > self.now() {
            self.cluster.requeue_addon_at(ARGO_ROLLOUTS, at);
        }
    }

    /// Writes the Rollout (spec or metadata) back, as `Update` does.
    fn write_rollout(&mut self) {
        let live = self.cluster.api.store.rollouts.get(&self.key);
        if live == Some(&self.rollout) {
            return;
        }
        self.cluster
            .api
            .store
            .rollouts
            .insert(self.key.clone(), self.rollout.clone());
        self.cluster.api.work.dirty = true;
        self.wrote = true;
    }
}

impl RolloutContext<'_> {
    /// `reconcileTrafficRouting`: set the router's weights for the current step (the lab's
    /// router is ingress-nginx, through the canary Ingress the controller manages).
    fn reconcile_traffic_routing(&mut self) {
        trafficrouting::reconcile(self);
    }

    /// Whether the current step's AnalysisRun succeeded (no analysis controller yet: an
    /// analysis step waits).
    fn current_step_analysis_successful(&self) -> bool {
        false
    }

    /// `completedPrePromotionAnalysis`.
    fn completed_pre_promotion_analysis(&self) -> bool {
        self.rollout
            .blue_green()
            .is_none_or(|bg| bg.pre_promotion_analysis.is_none())
    }
}
