//! The Deployment controller's pass over one Deployment (upstream `syncDeployment` in
//! `deployment_controller.go`, with `getAllReplicaSetsAndSyncRevision` from `sync.go` and the
//! strategy drivers `rolloutRolling` / `rolloutRecreate`). The arithmetic lives in the sibling
//! modules; this file reads the store, calls it, and writes back what changed, with an event
//! — and the reason in plain words — for every ReplicaSet it resizes.

use super::progress::{sync_rollout_status, Requeue};
use super::recreate::{old_pods_running, scale_down_old_replica_sets_for_recreate};
use super::rolling::{reconcile_new_replica_set, reconcile_old_replica_sets};
use super::sync::{
    calculate_status, cleanup_deployment, scale, scale_replica_set_and_record_event,
};
use super::util::{
    compute_hash, deployment_complete, generate_replica_set_name, get_deployment_condition,
    has_progress_deadline, is_active, max_revision, max_surge, max_unavailable,
    new_deployment_condition, new_rs_new_replicas, set_deployment_condition,
    set_new_replica_set_annotations, split_new_and_old, DESIRED_REPLICAS_ANNOTATION,
    FOUND_NEW_RS_REASON, NEW_REPLICA_SET_REASON, PAUSED_DEPLOY_REASON, POD_TEMPLATE_HASH_LABEL,
    RESUMED_DEPLOY_REASON, REVISION_ANNOTATION, REVISION_HISTORY_LIMIT_IN_CHARS, TIMED_OUT_REASON,
};
use super::Controllers;
use crate::apiserver::{reference, ObjectKey, Timer};
use crate::clock::Duration;
use crate::objects::{
    ConditionStatus, Deployment, DeploymentConditionType, DeploymentStrategyType, EventType,
    Explanation, IntOrString, Kind, OwnerReference, Pod, ReplicaSet, ReplicaSetSpec,
};
use std::collections::BTreeMap;

/// Why a pass resized ReplicaSets; becomes the explanation of its events.
#[derive(Clone, Copy)]
enum Step {
    /// A new template: the new ReplicaSet is created within the surge budget.
    CreateNew,
    /// reconcileNewReplicaSet: grow the new ReplicaSet within replicas + maxSurge.
    ScaleUpNew,
    /// reconcileOldReplicaSets: shrink old ReplicaSets within replicas − maxUnavailable.
    ScaleDownOld,
    /// `kubectl scale` (or a paused deployment's size change): proportional scaling.
    Proportional,
    /// Recreate: every old pod goes first, then the new ReplicaSet gets all replicas.
    Recreate,
}

impl Controllers<'_> {
    pub(crate) fn sync_deployments(&mut self) {
        let keys: Vec<ObjectKey> = self.api.store.deployments.keys().cloned().collect();
        for key in keys {
            self.sync_deployment(&key);
        }
    }

    fn sync_deployment(&mut self, key: &ObjectKey) {
        let Some(mut d) = self.api.store.deployments.get(key).cloned() else {
            return;
        };
        if d.metadata.deletion_timestamp.is_some() {
            return;
        }
        if d.spec.selector.is_empty() {
            if d.status.observed_generation < d.metadata.generation {
                let object = reference(Kind::Deployment, &d.metadata);
                let message =
                    "This deployment is selecting all pods. A non-empty selector is required."
                        .to_string();
                self.api.record(
                    object,
                    EventType::Warning,
                    "SelectingAll",
                    message,
                    "deployment-controller",
                    None,
                );
                d.status.observed_generation = d.metadata.generation;
                self.write_deployment(key, d);
            }
            return;
        }
        let rss = self
            .api
            .store
            .replica_sets_owned_by(&key.namespace, &d.metadata.uid);
        self.check_paused_conditions(&mut d);

        if d.spec.paused {
            self.sync(key, d, rss, true);
            return;
        }
        if is_scaling_event(&d, &rss) {
            self.sync(key, d, rss, false);
            return;
        }
        match d.spec.strategy.type_ {
            DeploymentStrategyType::RollingUpdate => self.rollout_rolling(key, d, rss),
            DeploymentStrategyType::Recreate => self.rollout_recreate(key, d, rss),
        }
    }

    /// Pausing and resuming show up in the Progressing condition (and resuming restarts the
    /// deadline clock). A deadline that already passed is not overwritten.
    fn check_paused_conditions(&mut self, d: &mut Deployment) {
        if !has_progress_deadline(d) {
            return;
        }
        let current = get_deployment_condition(&d.status, DeploymentConditionType::Progressing);
        if current.is_some_and(|c| c.reason == TIMED_OUT_REASON) {
            return;
        }
        let paused_condition = current.is_some_and(|c| c.reason == PAUSED_DEPLOY_REASON);
        let (reason, message) = if d.spec.paused && !paused_condition {
            (PAUSED_DEPLOY_REASON, "Deployment is paused")
        } else if !d.spec.paused && paused_condition {
            (RESUMED_DEPLOY_REASON, "Deployment is resumed")
        } else {
            return;
        };
        let condition = new_deployment_condition(
            DeploymentConditionType::Progressing,
            ConditionStatus::Unknown,
            reason,
            message.to_string(),
            self.api.now,
        );
        set_deployment_condition(&mut d.status, condition);
    }

    /// Scaling only (paused, or `spec.replicas` changed): resize proportionally, clean up
    /// history when paused, and refresh the counts. No rollout, no Progressing evaluation.
    fn sync(&mut self, key: &ObjectKey, mut d: Deployment, rss: Vec<ReplicaSet>, paused: bool) {
        let (mut new_rs, mut old_rss) =
            self.get_all_replica_sets_and_sync_revision(&mut d, rss, false);
        let before = snapshot(new_rs.as_ref(), &old_rss);
        scale(&d, new_rs.as_mut(), &mut old_rss);
        self.write_replica_sets(&d, &before, new_rs.as_ref(), &old_rss, Step::Proportional);
        if paused {
            self.cleanup_old_replica_sets(&d, &old_rss);
        }
        let status = calculate_status(&d, &old_rss, new_rs.as_ref(), self.gates, self.api.now);
        d.status = status;
        self.write_deployment(key, d);
    }

    fn rollout_rolling(&mut self, key: &ObjectKey, mut d: Deployment, rss: Vec<ReplicaSet>) {
        let (new_rs, mut old_rss) = self.get_all_replica_sets_and_sync_revision(&mut d, rss, true);
        let Some(mut new_rs) = new_rs else {
            self.sync_rollout_status(key, d, &old_rss, None);
            return;
        };
        let before = snapshot(Some(&new_rs), &old_rss);

        if matches!(
            reconcile_new_replica_set(&d, &mut new_rs, &old_rss, self.gates),
            Ok(true)
        ) {
            self.write_replica_sets(&d, &before, Some(&new_rs), &old_rss, Step::ScaleUpNew);
            self.sync_rollout_status(key, d, &old_rss, Some(&new_rs));
            return;
        }
        if reconcile_old_replica_sets(&d, &mut old_rss, &new_rs) {
            self.write_replica_sets(&d, &before, Some(&new_rs), &old_rss, Step::ScaleDownOld);
            self.sync_rollout_status(key, d, &old_rss, Some(&new_rs));
            return;
        }
        if deployment_complete(&d, &d.status) {
            self.cleanup_old_replica_sets(&d, &old_rss);
        }
        self.sync_rollout_status(key, d, &old_rss, Some(&new_rs));
    }

    fn rollout_recreate(&mut self, key: &ObjectKey, mut d: Deployment, rss: Vec<ReplicaSet>) {
        let (new_rs, mut old_rss) = self.get_all_replica_sets_and_sync_revision(&mut d, rss, false);
        let before = snapshot(new_rs.as_ref(), &old_rss);
        if scale_down_old_replica_sets_for_recreate(&mut old_rss, &d) {
            self.write_replica_sets(&d, &before, new_rs.as_ref(), &old_rss, Step::Recreate);
            self.sync_rollout_status(key, d, &old_rss, new_rs.as_ref());
            return;
        }
        // Never start a new pod while an old one still runs: that is Recreate's promise.
        if old_pods_running(
            new_rs.as_ref(),
            &old_rss,
            &self.pods_by_replica_set(&key.namespace),
        ) {
            self.sync_rollout_status(key, d, &old_rss, new_rs.as_ref());
            return;
        }
        let (new_rs, old_rss) = match new_rs {
            Some(rs) => (Some(rs), old_rss),
            None => {
                let rss: Vec<ReplicaSet> = old_rss.into_iter().collect();
                self.get_all_replica_sets_and_sync_revision(&mut d, rss, true)
            }
        };
        let Some(mut new_rs) = new_rs else {
            self.sync_rollout_status(key, d, &old_rss, None);
            return;
        };
        let before = snapshot(Some(&new_rs), &old_rss);
        if scale_replica_set_and_record_event(&mut new_rs, d.spec.replicas, &d) {
            self.write_replica_sets(&d, &before, Some(&new_rs), &old_rss, Step::Recreate);
        }
        if deployment_complete(&d, &d.status) {
            self.cleanup_old_replica_sets(&d, &old_rss);
        }
        self.sync_rollout_status(key, d, &old_rss, Some(&new_rs));
    }

    /// Recomputes status and the Progressing condition; asks to be woken up when the
    /// progress deadline would pass.
    fn sync_rollout_status(
        &mut self,
        key: &ObjectKey,
        mut d: Deployment,
        old_rss: &[ReplicaSet],
        new_rs: Option<&ReplicaSet>,
    ) {
        let requeue = sync_rollout_status(&mut d, old_rss, new_rs, self.gates, self.api.now);
        match requeue {
            Requeue::None => {}
            Requeue::Now => self.api.timers.set(
                self.api.now + Duration::from_secs(1),
                Timer::ResyncDeployment(key.clone()),
            ),
            Requeue::After(after) => self.api.timers.set(
                self.api.now + after + Duration::from_secs(1),
                Timer::ResyncDeployment(key.clone()),
            ),
        }
        self.write_deployment(key, d);
    }

    /// Splits the Deployment's ReplicaSets into the new one and the old ones, gives the new
    /// one the next revision (creating it if asked and missing), and copies the revision onto
    /// the Deployment.
    fn get_all_replica_sets_and_sync_revision(
        &mut self,
        d: &mut Deployment,
        rss: Vec<ReplicaSet>,
        create_if_not_existed: bool,
    ) -> (Option<ReplicaSet>, Vec<ReplicaSet>) {
        let (existing, old_rss) = split_new_and_old(d, rss);
        let new_revision = (max_revision(&old_rss) + 1).to_string();
        let new_rs = match existing {
            Some(mut rs) => {
                let before = rs.clone();
                set_new_replica_set_annotations(
                    d,
                    &mut rs,
                    &new_revision,
                    true,
                    REVISION_HISTORY_LIMIT_IN_CHARS,
                );
                rs.spec.min_ready_seconds = d.spec.min_ready_seconds;
                if rs != before {
                    self.put_replica_set(rs.clone());
                }
                if has_progress_deadline(d)
                    && get_deployment_condition(&d.status, DeploymentConditionType::Progressing)
                        .is_none()
                {
                    let message = format!("Found new replica set {:?}", rs.metadata.name);
                    let condition = new_deployment_condition(
                        DeploymentConditionType::Progressing,
                        ConditionStatus::True,
                        FOUND_NEW_RS_REASON,
                        message,
                        self.api.now,
                    );
                    set_deployment_condition(&mut d.status, condition);
                }
                Some(rs)
            }
            None if create_if_not_existed => {
                Some(self.create_new_replica_set(d, &old_rss, &new_revision))
            }
            None => None,
        };
        if let Some(rs) = &new_rs {
            if let Some(revision) = rs.metadata.annotation(REVISION_ANNOTATION) {
                d.metadata
                    .annotations
                    .insert(REVISION_ANNOTATION.to_string(), revision.to_string());
            }
        }
        (new_rs, old_rss)
    }

    /// A new template gets a new ReplicaSet named after its hash, sized within the surge
    /// budget right away.
    fn create_new_replica_set(
        &mut self,
        d: &mut Deployment,
        old_rss: &[ReplicaSet],
        new_revision: &str,
    ) -> ReplicaSet {
        loop {
            let hash = compute_hash(&d.spec.template, d.status.collision_count);
            let name = generate_replica_set_name(&d.metadata.name, &hash);
            let key = ObjectKey::new(&d.metadata.namespace, &name);
            if self.api.store.replica_sets.contains_key(&key) {
                // Same name, different template or owner: bump the collision count, rehash.
                d.status.collision_count =
                    Some(d.status.collision_count.unwrap_or(0).saturating_add(1));
                if d.status.collision_count.unwrap_or(0) > 100 {
                    return self
                        .api
                        .store
                        .replica_sets
                        .get(&key)
                        .cloned()
                        .unwrap_or_default();
                }
                continue;
            }
            let mut template = d.spec.template.clone();
            template
                .metadata
                .labels
                .insert(POD_TEMPLATE_HASH_LABEL.to_string(), hash.clone());
            let mut selector = d.spec.selector.clone();
            selector
                .match_labels
                .insert(POD_TEMPLATE_HASH_LABEL.to_string(), hash.clone());
            let mut metadata = self.api.new_metadata(&name, &d.metadata.namespace);
            metadata.generation = 1;
            metadata.labels = template.metadata.labels.clone();
            metadata.owner_references = vec![controller_ref(
                Kind::Deployment,
                &d.metadata.name,
                &d.metadata.uid,
            )];
            let mut rs = ReplicaSet {
                metadata,
                spec: ReplicaSetSpec {
                    replicas: 0,
                    selector,
                    template,
                    min_ready_seconds: d.spec.min_ready_seconds,
                },
                status: Default::default(),
            };
            let all: Vec<&ReplicaSet> = old_rss.iter().chain(std::iter::once(&rs)).collect();
            let replicas = new_rs_new_replicas(d, &all, &rs, self.gates).unwrap_or(0);
            rs.spec.replicas = replicas;
            set_new_replica_set_annotations(
                d,
                &mut rs,
                new_revision,
                false,
                REVISION_HISTORY_LIMIT_IN_CHARS,
            );
            self.put_replica_set(rs.clone());
            if replicas > 0 {
                let explanation = self.explain(Step::CreateNew, d, &rs, 0, old_rss);
                self.api.record(
                    reference(Kind::Deployment, &d.metadata),
                    EventType::Normal,
                    "ScalingReplicaSet",
                    format!("Scaled up replica set {name} to {replicas} from 0"),
                    "deployment-controller",
                    Some(explanation),
                );
            }
            if has_progress_deadline(d) {
                let message = format!("Created new replica set {name:?}");
                let condition = new_deployment_condition(
                    DeploymentConditionType::Progressing,
                    ConditionStatus::True,
                    NEW_REPLICA_SET_REASON,
                    message,
                    self.api.now,
                );
                set_deployment_condition(&mut d.status, condition);
            }
            return rs;
        }
    }

    /// Deletes old, scaled-down ReplicaSets beyond `revisionHistoryLimit`.
    fn cleanup_old_replica_sets(&mut self, d: &Deployment, old_rss: &[ReplicaSet]) {
        for name in cleanup_deployment(d, old_rss, self.gates) {
            let key = ObjectKey::new(&d.metadata.namespace, &name);
            self.api.store.replica_sets.remove(&key);
            self.api.work.dirty = true;
            self.api.work.owners_removed = true;
        }
    }

    /// Writes back every ReplicaSet whose spec or annotations changed, with a
    /// `ScalingReplicaSet` event for each resize.
    fn write_replica_sets(
        &mut self,
        d: &Deployment,
        before: &BTreeMap<String, ReplicaSet>,
        new_rs: Option<&ReplicaSet>,
        old_rss: &[ReplicaSet],
        step: Step,
    ) {
        let all_old: Vec<ReplicaSet> = before
            .values()
            .filter(|rs| new_rs.is_none_or(|n| n.metadata.uid != rs.metadata.uid))
            .cloned()
            .collect();
        for rs in new_rs.into_iter().chain(old_rss) {
            let Some(previous) = before.get(&rs.metadata.uid) else {
                continue;
            };
            if previous == rs {
                continue;
            }
            let (from, to) = (previous.spec.replicas, rs.spec.replicas);
            self.put_replica_set(rs.clone());
            if from != to {
                let direction = if to > from { "up" } else { "down" };
                let explanation = self.explain(step, d, rs, from, &all_old);
                self.api.record(
                    reference(Kind::Deployment, &d.metadata),
                    EventType::Normal,
                    "ScalingReplicaSet",
                    format!(
                        "Scaled {direction} replica set {} to {to} from {from}",
                        rs.metadata.name
                    ),
                    "deployment-controller",
                    Some(explanation),
                );
            }
        }
    }

    /// The numbers behind a resize, for the explanation a student reads beside the event.
    fn explain(
        &self,
        step: Step,
        d: &Deployment,
        rs: &ReplicaSet,
        from: i32,
        old_rss: &[ReplicaSet],
    ) -> Explanation {
        let rolling = d.spec.strategy.rolling_update.as_ref();
        let spec_text = |value: Option<&IntOrString>| match value {
            Some(IntOrString::Int(n)) => n.to_string(),
            Some(IntOrString::String(s)) => s.clone(),
            None => "0".to_string(),
        };
        let surge = max_surge(d);
        let unavailable = max_unavailable(d);
        let available: i32 = old_rss
            .iter()
            .filter(|r| is_active(r) && r.metadata.uid != rs.metadata.uid)
            .map(|r| r.status.available_replicas)
            .sum::<i32>();
        let key = match step {
            Step::CreateNew => "deployment.create_new",
            Step::ScaleUpNew if rs.spec.replicas < from => "deployment.scale_down_new",
            Step::ScaleUpNew => "deployment.scale_up_new",
            Step::ScaleDownOld => "deployment.scale_down_old",
            Step::Proportional => "deployment.proportional",
            Step::Recreate if rs.spec.replicas < from => "deployment.recreate_down",
            Step::Recreate => "deployment.recreate_up",
        };
        Explanation::new(key)
            .with("deployment", &d.metadata.name)
            .with("replica_set", &rs.metadata.name)
            .with("replicas", d.spec.replicas)
            .with("max_surge", surge)
            .with(
                "max_surge_spec",
                spec_text(rolling.and_then(|r| r.max_surge.as_ref())),
            )
            .with("max_unavailable", unavailable)
            .with(
                "max_unavailable_spec",
                spec_text(rolling.and_then(|r| r.max_unavailable.as_ref())),
            )
            .with("max_total", d.spec.replicas.saturating_add(surge))
            .with("min_available", d.spec.replicas.saturating_sub(unavailable))
            .with("old_available", available)
            .with("from", from)
            .with("to", rs.spec.replicas)
    }

    fn put_replica_set(&mut self, rs: ReplicaSet) {
        let key = ObjectKey::new(&rs.metadata.namespace, &rs.metadata.name);
        if self.api.store.replica_sets.get(&key) != Some(&rs) {
            self.api.work.replica_set_changed(&key);
            self.api.store.replica_sets.insert(key, rs);
        }
    }

    fn write_deployment(&mut self, key: &ObjectKey, mut d: Deployment) {
        d.status.observed_generation = d.status.observed_generation.max(d.metadata.generation);
        if self.api.store.deployments.get(key) != Some(&d) {
            self.api.store.deployments.insert(key.clone(), d);
            self.api.work.dirty = true;
        }
    }

    /// Pods by the UID of their owning ReplicaSet, for Recreate's "old pods still running?".
    fn pods_by_replica_set(&self, namespace: &str) -> BTreeMap<String, Vec<Pod>> {
        let mut map: BTreeMap<String, Vec<Pod>> = BTreeMap::new();
        for pod in crate::apiserver::in_namespace(&self.api.store.pods, namespace) {
            if let Some(owner) = pod.metadata.controller_ref() {
                map.entry(owner.uid.clone())
                    .or_default()
                    .push(Pod::clone(pod));
            }
        }
        map
    }
}

/// A scaling event: some active ReplicaSet was last sized for a different `spec.replicas`.
fn is_scaling_event(d: &Deployment, rss: &[ReplicaSet]) -> bool {
    rss.iter().filter(|rs| is_active(rs)).any(|rs| {
        rs.metadata
            .annotation(DESIRED_REPLICAS_ANNOTATION)
            .and_then(|v| v.parse::<i32>().ok())
            .is_some_and(|desired| desired != d.spec.replicas)
    })
}

fn snapshot(new_rs: Option<&ReplicaSet>, old_rss: &[ReplicaSet]) -> BTreeMap<String, ReplicaSet> {
    new_rs
        .into_iter()
        .chain(old_rss)
        .map(|rs| (rs.metadata.uid.clone(), rs.clone()))
        .collect()
}

/// An owner reference that makes `name` the controller of the object.
pub(crate) fn controller_ref(kind: Kind, name: &str, uid: &str) -> OwnerReference {
    OwnerReference {
        api_version: kind.api_version().to_string(),
        kind: kind.to_string(),
        name: name.to_string(),
        uid: uid.to_string(),
        controller: true,
    }
}
