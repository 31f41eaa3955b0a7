//! The rollout controller (`rollout/` upstream): one [`RolloutContext`] per Rollout and sync,
//! holding what upstream's `rolloutContext` holds — the Rollout as last written, its new,
//! stable and other ReplicaSets, the status being computed, and the pause decisions made on
//! the way (`pauseContext`).
//!
//! Files mirror upstream's: `controller.go`/`context.go` here, then [`sync`], [`canary`],
//! [`bluegreen`], [`replicaset`], [`pause`], [`service`], [`analysis`] and [`validation`].
//! [`explain`] is the lab's own: the numbers behind a pause, a step, an abort or a promotion,
//! attached to the controller's events for the page to put into words.
//!
//! Upstream's informers wake a Rollout when it or anything it owns changes, and it requeues
//! itself for what time alone will change (a pause's end, a scale-down deadline, the progress
//! deadline). The lab runs every Rollout in every settle round (a round only happens when
//! something changed) and asks the clock to wake the add-on at those instants.

mod analysis;
mod bluegreen;
mod canary;
// The conformance runner's entry points; the runner is native only.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) mod conformance;
mod explain;
pub mod gatewayapi;
mod pause;
mod replicaset;
mod restart;
mod service;
mod sync;
mod trafficrouting;
mod validation;
mod workloadref;

use super::replicaset as arith;
use super::utils::{self, conditions, defaults, hash, pod_template_hash, revision_of};
use crate::apiserver::{reference, ObjectKey};
use crate::clock::Time;
use crate::cluster::Cluster;
use crate::objects::{EventType, Kind, ReplicaSet, Rollout, RolloutStatus, ARGO_ROLLOUTS};
use pause::PauseContext;
pub use replicaset::{pod_template_equal_ignore_hash, rollout_view};

/// The work queue's memory of a Rollout whose sync failed: how many times in a row, by UID.
pub type Failures = std::collections::BTreeMap<String, u32>;

/// `DefaultArgoRolloutsRateLimiter`: a failed sync is retried after 1 ms, doubling with each
/// failure in a row, at most every 10 s; a sync that succeeds forgets the count.
fn retry_delay(failures: u32) -> crate::clock::Duration {
    // 2^14 ms is past the cap already; a larger shift would overflow into the sign bit.
    let doublings = failures.saturating_sub(1).min(14);
    crate::clock::Duration((1_i64 << doublings).min(10_000))
}

/// One pass over every Rollout; true when anything was written. `seen` is the informer's
/// memory of Rollouts it has announced; `failures` the work queue's of failed syncs.
pub fn sync_all(
    cluster: &mut Cluster,
    seen: &mut std::collections::BTreeSet<String>,
    failures: &mut Failures,
    registered_plugins: &[String],
) -> bool {
    let keys: Vec<ObjectKey> = cluster.api.store.rollouts.keys().cloned().collect();
    let mut wrote = service::release_orphaned_services(cluster);
    for key in keys {
        let Some(rollout) = cluster.api.store.rollouts.get(&key) else {
            continue;
        };
        let uid = rollout.metadata.uid.clone();
        // The informer's AddFunc: on create, and for every Rollout when the controller starts.
        if seen.insert(rollout.metadata.uid.clone()) {
            let object = reference(Kind::Rollout, &rollout.metadata);
            let message = format!(
                "Rollout resource added to informer: {}/{}",
                rollout.metadata.namespace, rollout.metadata.name
            );
            cluster.api.record(
                object,
                EventType::Normal,
                "RolloutAddedToInformer",
                message,
                utils::CONTROLLER_NAME,
                None,
            );
        }
        let mut failed = false;
        wrote |= sync_handler(cluster, &key, registered_plugins, &mut failed);
        if failed {
            // `AddRateLimited`: nothing else may wake the Rollout (a missing HTTPRoute is not
            // watched), so the queue does.
            let count = failures.entry(uid).or_default();
            *count = count.saturating_add(1);
            let at = cluster.api.now + retry_delay(*count);
            cluster.requeue_addon_at(ARGO_ROLLOUTS, at);
        } else {
            failures.remove(&uid);
        }
    }
    let live: std::collections::BTreeSet<&String> = cluster
        .api
        .store
        .rollouts
        .values()
        .map(|ro| &ro.metadata.uid)
        .collect();
    seen.retain(|uid| live.contains(uid));
    failures.retain(|uid, _| live.contains(uid));
    wrote
}

/// `syncHandler`: one Rollout. `failed`: the sync returned an error (the work queue retries).
fn sync_handler(
    cluster: &mut Cluster,
    key: &ObjectKey,
    registered_plugins: &[String],
    failed: &mut bool,
) -> bool {
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
    let resolved = workloadref::resolve(cluster, &rollout);
    let Some(mut context) = RolloutContext::new(cluster, key.clone(), rollout, resolved) else {
        return true;
    };
    context.registered_plugins = registered_plugins.to_vec();
    context.reconcile();
    *failed = context.failed;
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
    /// The AnalysisRuns the status names (`currentArs`) and the Rollout's other runs.
    current_ars: analysis::CurrentAnalysisRuns,
    other_ars: Vec<crate::objects::AnalysisRun>,
    wrote: bool,
    /// With `workloadRef`: the Rollout's own (empty) template and selector, put back when it
    /// is written, since the resolved ones live only in this sync (`TemplateResolvedFromRef`).
    own_template: Option<(serde_json::Value, Option<crate::objects::LabelSelector>)>,
    /// The referenced workload's generation (`rollout.argoproj.io/workload-generation`).
    workload_generation: Option<i64>,
    /// The traffic router plugins the controller's config registers (`trafficRouterPlugins`).
    registered_plugins: Vec<String>,
    /// The sync returned an error (a traffic router's), which upstream's queue retries.
    failed: bool,
}

impl<'a> RolloutContext<'a> {
    /// `newRolloutContext`: finds the ReplicaSets, validates, creates the new ReplicaSet if
    /// there is none. `None` when validation failed (the InvalidSpec condition is written).
    fn new(
        cluster: &'a mut Cluster,
        key: ObjectKey,
        mut rollout: Rollout,
        resolved: Result<workloadref::Resolved, String>,
    ) -> Option<Self> {
        let mut own_template = None;
        let mut workload_generation = None;
        let mut resolve_error = None;
        match resolved {
            Ok(workloadref::Resolved::Own) => {}
            Ok(workloadref::Resolved::FromRef {
                template,
                selector,
                generation,
            }) => {
                own_template = Some((rollout.spec.template.clone(), rollout.spec.selector.clone()));
                rollout.spec.template = template;
                if selector.is_some() {
                    rollout.spec.selector = selector;
                }
                workload_generation = Some(generation);
            }
            Err(message) => resolve_error = Some(message),
        }
        let all_rss = replicaset::replica_sets_for_rollout(cluster, &rollout);
        let (current_ars, other_ars) = analysis::analysis_runs_for_rollout(cluster, &rollout);
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
            current_ars,
            other_ars,
            rollout,
            new_rs: None,
            stable_rs: None,
            all_rss,
            older_rss: Vec::new(),
            other_rss: Vec::new(),
            wrote: false,
            own_template,
            workload_generation,
            registered_plugins: Vec::new(),
            failed: false,
        };
        if let Some(message) = resolve_error {
            let error = crate::api::FieldError::invalid(
                "spec.workloadRef",
                workloadref::reference_string(&context.rollout),
                message,
            );
            context.create_invalid_rollout_condition(&error);
            let at = context.now() + crate::clock::Duration::from_secs(20);
            context.cluster.requeue_addon_at(ARGO_ROLLOUTS, at);
            return None;
        }
        context.sync_workload_generation();
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

    /// `SetRolloutWorkloadRefGeneration` / `RemoveRolloutWorkloadRefGeneration`: the
    /// annotation that says which generation of the workload the Rollout runs.
    fn sync_workload_generation(&mut self) {
        let annotations = &mut self.rollout.metadata.annotations;
        let changed = match self.workload_generation {
            Some(generation) => {
                let text = generation.to_string();
                annotations.insert(
                    workloadref::WORKLOAD_GENERATION_ANNOTATION.into(),
                    text.clone(),
                ) != Some(text)
            }
            None => annotations
                .remove(workloadref::WORKLOAD_GENERATION_ANNOTATION)
                .is_some(),
        };
        if changed {
            self.write_rollout();
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
        self.explained_event(type_, reason, message, None);
    }

    /// An event with the lab's plain-words reason behind it (see [`explain`]).
    fn explained_event(
        &mut self,
        type_: EventType,
        reason: &str,
        message: String,
        explanation: Option<crate::objects::Explanation>,
    ) {
        let object = reference(Kind::Rollout, &self.rollout.metadata);
        self.cluster.api.record(
            object,
            type_,
            reason,
            message,
            utils::CONTROLLER_NAME,
            explanation,
        );
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

    /// Writes the Rollout (spec or metadata) back, as `Update` does; a template resolved
    /// from a workload is not part of what is written.
    fn write_rollout(&mut self) {
        let mut written = self.rollout.clone();
        if let Some((template, selector)) = &self.own_template {
            written.spec.template = template.clone();
            written.spec.selector = selector.clone();
        }
        let live = self.cluster.api.store.rollouts.get(&self.key);
        if live == Some(&written) {
            return;
        }
        self.cluster
            .api
            .store
            .rollouts
            .insert(self.key.clone(), written);
        self.cluster.api.work.dirty = true;
        self.wrote = true;
    }
}

impl RolloutContext<'_> {
    /// `reconcileTrafficRouting`: set the routers' weights for the current step
    /// (ingress-nginx through the canary Ingress the controller manages, the Gateway API
    /// plugin through the HTTPRoutes it names).
    fn reconcile_traffic_routing(&mut self) -> Result<(), String> {
        trafficrouting::reconcile(self)
    }
}

#[cfg(test)]
mod retry_tests {
    #[test]
    fn the_retry_delay_doubles_from_one_millisecond_to_ten_seconds_and_stays() {
        let delays: Vec<i64> = [1, 2, 3, 10, 14, 15, 64, u32::MAX]
            .iter()
            .map(|n| super::retry_delay(*n).millis())
            .collect();
        assert_eq!(delays, [1, 2, 4, 512, 8192, 10_000, 10_000, 10_000]);
    }
}
