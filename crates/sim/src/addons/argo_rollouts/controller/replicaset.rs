//! `rollout/replicaset.go` and the ReplicaSet half of `rollout/sync.go`: finding, creating,
//! scaling and retiring a Rollout's ReplicaSets.

use super::{arith, conditions, defaults, hash, pod_template_hash, revision_of, RolloutContext};
use crate::addons::argo_rollouts::utils::{
    DESIRED_REPLICAS_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION,
    ROLLOUTS_POD_TEMPLATE_HASH, SCALE_DOWN_DEADLINE_ANNOTATION,
};
use crate::apiserver::{in_namespace, ObjectKey};
use crate::clock::{Duration, Time};
use crate::cluster::Cluster;
use crate::controller::deployment::controller_ref;
use crate::manifest::defaults::default_replica_set;
use crate::objects::timestamp::{format_rfc3339, parse_rfc3339};
use crate::objects::{
    ConditionStatus, EventType, Kind, ReplicaSet, ReplicaSetConditionType, ReplicaSetSpec, Rollout,
    RolloutConditionType,
};

/// `getReplicaSetsForRollouts`: the ReplicaSets this Rollout controls (adoption of orphans
/// that match its selector is left out: the lab never orphans them).
pub(super) fn replica_sets_for_rollout(cluster: &Cluster, ro: &Rollout) -> Vec<ReplicaSet> {
    in_namespace(&cluster.api.store.replica_sets, &ro.metadata.namespace)
        .filter(|rs| {
            rs.metadata
                .controller_ref()
                .is_some_and(|owner| owner.uid == ro.metadata.uid)
        })
        .cloned()
        .collect()
}

/// `ReplicaSetsByCreationTimestamp`: oldest first, then by name.
pub(super) fn sort_by_creation_timestamp(rss: &mut [ReplicaSet]) {
    rss.sort_by(|a, b| {
        a.metadata
            .creation_timestamp
            .cmp(&b.metadata.creation_timestamp)
            .then_with(|| a.metadata.name.cmp(&b.metadata.name))
    });
}

/// `ReplicaSetsByRevisionNumber`.
fn sort_by_revision(rss: &mut [ReplicaSet]) {
    rss.sort_by(|a, b| {
        let ra = a
            .metadata
            .annotations
            .get(REVISION_ANNOTATION)
            .and_then(|v| v.parse::<i64>().ok());
        let rb = b
            .metadata
            .annotations
            .get(REVISION_ANNOTATION)
            .and_then(|v| v.parse::<i64>().ok());
        ra.cmp(&rb).then_with(|| {
            a.metadata
                .creation_timestamp
                .cmp(&b.metadata.creation_timestamp)
        })
    });
}

/// `PodTemplateEqualIgnoreHash`: the ReplicaSet's template against the Rollout's, both as
/// the API server would default them, the hash label aside.
pub fn pod_template_equal_ignore_hash(rs: &ReplicaSet, ro: &Rollout) -> bool {
    let mut live = rs.spec.template.clone();
    live.metadata.labels.remove(ROLLOUTS_POD_TEMPLATE_HASH);
    let mut desired = ReplicaSet {
        spec: ReplicaSetSpec {
            template: ro.pod_template(),
            ..Default::default()
        },
        ..Default::default()
    };
    default_replica_set(&mut desired);
    desired
        .spec
        .template
        .metadata
        .labels
        .remove(ROLLOUTS_POD_TEMPLATE_HASH);
    live == desired.spec.template
}

/// The arithmetic's view of a Rollout (also what the kubectl plugin computes its `SetWeight`
/// and `ActualWeight` from, as upstream's plugin calls the same `utils/replicaset`).
pub fn rollout_view(ro: &Rollout) -> arith::RolloutView {
    arith::RolloutView {
        replicas: ro.spec.replicas,
        canary: ro.canary().map(|c| arith::CanaryStrategy {
            max_surge: c.max_surge.clone(),
            max_unavailable: c.max_unavailable.clone(),
            steps: c
                .steps
                .iter()
                .map(|s| arith::CanaryStep {
                    set_weight: s.set_weight,
                    set_canary_scale: s.set_canary_scale.as_ref().map(|scale| {
                        arith::SetCanaryScale {
                            replicas: scale.replicas,
                            weight: scale.weight,
                            match_traffic_weight: scale.match_traffic_weight,
                        }
                    }),
                })
                .collect(),
            traffic_routing: c.traffic_routing.as_ref().map(|t| arith::TrafficRouting {
                max_traffic_weight: t.max_traffic_weight,
            }),
            dynamic_stable_scale: c.dynamic_stable_scale,
            min_pods_per_replica_set: c.min_pods_per_replica_set,
            abort_scale_down_delay_seconds: c.abort_scale_down_delay_seconds,
            replica_progress_threshold: c
                .replica_progress_threshold
                .as_ref()
                .and_then(progress_threshold),
            analysis_starting_step: c.analysis.as_ref().and_then(|a| a.starting_step),
        }),
        status: arith::RolloutStatusView {
            abort: ro.status.abort,
            promote_full: ro.status.promote_full,
            current_step_index: ro.status.current_step_index,
            stable_rs: ro.status.stable_rs.clone(),
            current_pod_hash: ro.status.current_pod_hash.clone(),
        },
    }
}

/// `spec.strategy.canary.replicaProgressThreshold`, which the type keeps as JSON:
/// `{type, value}`, a pod count for any type but `Percent` (as upstream reads it). A value
/// that is not an int32 reads as no threshold: the CRD's schema would have refused it.
fn progress_threshold(threshold: &serde_json::Value) -> Option<arith::ReplicaProgressThreshold> {
    let value = match threshold.get("value") {
        None | Some(serde_json::Value::Null) => 0,
        Some(value) => i32::try_from(value.as_i64()?).ok()?,
    };
    let type_ = match threshold.get("type").and_then(serde_json::Value::as_str) {
        Some("Percent") => arith::ProgressType::Percentage,
        _ => arith::ProgressType::Pods,
    };
    Some(arith::ReplicaProgressThreshold { type_, value })
}

/// The arithmetic's view of a ReplicaSet.
pub(super) fn rs_view(rs: &ReplicaSet) -> arith::CanaryReplicaSet {
    arith::CanaryReplicaSet {
        name: rs.metadata.name.clone(),
        replicas: rs.spec.replicas,
        status_replicas: rs.status.replicas,
        available_replicas: rs.status.available_replicas,
    }
}

pub(super) fn has_scale_down_deadline(rs: &ReplicaSet) -> bool {
    rs.metadata
        .annotations
        .get(SCALE_DOWN_DEADLINE_ANNOTATION)
        .is_some_and(|v| !v.is_empty())
}

/// `GetReplicaSetByTemplateHash`.
pub(super) fn replica_set_by_hash<'r>(rss: &'r [ReplicaSet], hash: &str) -> Option<&'r ReplicaSet> {
    if hash.is_empty() {
        return None;
    }
    rss.iter().find(|rs| pod_template_hash(rs) == hash)
}

/// `IsSaturated`.
pub(super) fn is_saturated(ro: &Rollout, rs: Option<&ReplicaSet>) -> bool {
    let Some(rs) = rs else {
        return false;
    };
    let desired: Option<i32> = rs
        .metadata
        .annotations
        .get(DESIRED_REPLICAS_ANNOTATION)
        .and_then(|v| v.parse().ok());
    let replicas = ro.replicas();
    rs.spec.replicas == replicas
        && desired == Some(replicas)
        && rs.status.available_replicas == replicas
}

impl RolloutContext<'_> {
    /// Writes a ReplicaSet and updates the context's copies of it.
    pub(super) fn put_replica_set(&mut self, rs: ReplicaSet) {
        let key = ObjectKey::new(&rs.metadata.namespace, &rs.metadata.name);
        if self.cluster.api.store.replica_sets.get(&key) != Some(&rs) {
            self.cluster.api.work.replica_set_changed(&key);
            self.cluster.api.store.replica_sets.insert(key, rs.clone());
            self.wrote = true;
        }
        let uid = rs.metadata.uid.clone();
        for list in [&mut self.all_rss, &mut self.older_rss, &mut self.other_rss] {
            for item in list.iter_mut().filter(|r| r.metadata.uid == uid) {
                *item = rs.clone();
            }
        }
        for slot in [&mut self.new_rs, &mut self.stable_rs] {
            if let Some(item) = slot.as_mut().filter(|r| r.metadata.uid == uid) {
                *item = rs.clone();
            }
        }
    }

    /// `createDesiredReplicaSet`.
    pub(super) fn create_desired_replica_set(&mut self) -> Option<ReplicaSet> {
        let new_revision = max_revision(&self.older_rss) + 1;
        let ro = &self.rollout;
        let hash = hash::compute_pod_template_hash(&ro.spec.template, ro.status.collision_count);
        let mut template = ro.pod_template();
        template
            .metadata
            .labels
            .insert(ROLLOUTS_POD_TEMPLATE_HASH.into(), hash.clone());
        let mut selector = ro.spec.selector.clone().unwrap_or_default();
        selector
            .match_labels
            .insert(ROLLOUTS_POD_TEMPLATE_HASH.into(), hash.clone());
        let name = format!("{}-{hash}", ro.metadata.name);
        let key = ObjectKey::new(&ro.metadata.namespace, &name);
        if let Some(existing) = self.cluster.api.store.replica_sets.get(&key) {
            let ours = existing
                .metadata
                .controller_ref()
                .is_some_and(|o| o.uid == ro.metadata.uid);
            if ours && pod_template_equal_ignore_hash(existing, ro) {
                return Some(existing.clone());
            }
            // A name collision: count it, rehash next time.
            let count = ro.status.collision_count.unwrap_or(0).saturating_add(1);
            self.rollout.status.collision_count = Some(count);
            self.write_status_only();
            return None;
        }
        let mut metadata = self.cluster.api.new_metadata(&name, &ro.metadata.namespace);
        metadata.generation = 1;
        metadata.labels = template.metadata.labels.clone();
        metadata.owner_references = vec![controller_ref(
            Kind::Rollout,
            &ro.metadata.name,
            &ro.metadata.uid,
        )];
        let mut rs = ReplicaSet {
            metadata,
            spec: ReplicaSetSpec {
                replicas: 0,
                selector,
                template,
                min_ready_seconds: ro.spec.min_ready_seconds,
            },
            status: Default::default(),
        };
        set_new_replica_set_annotations(ro, &mut rs, new_revision, false);
        // The API server defaults the ReplicaSet it is given; the Rollout's template was not.
        default_replica_set(&mut rs);
        self.put_replica_set(rs.clone());
        self.set_rollout_revision(new_revision);
        self.event(
            EventType::Normal,
            conditions::NEW_REPLICA_SET_REASON,
            format!("Created ReplicaSet {name} (revision {new_revision})"),
        );
        let condition = conditions::new_condition(
            RolloutConditionType::Progressing,
            ConditionStatus::True,
            conditions::NEW_REPLICA_SET_REASON,
            format!("Created new replica set {name:?}"),
            self.now(),
        );
        conditions::set_condition(&mut self.rollout.status, condition);
        self.write_status_only();
        Some(rs)
    }

    /// `syncReplicaSetRevision` (`getAllReplicaSetsAndSyncRevision`).
    pub(super) fn sync_replica_set_revision(&mut self) {
        let Some(mut rs) = self.new_rs.clone() else {
            return;
        };
        let new_revision = max_revision(&self.older_rss) + 1;
        let changed = set_new_replica_set_annotations(&self.rollout, &mut rs, new_revision, true);
        let min_ready_changed = rs.spec.min_ready_seconds != self.rollout.spec.min_ready_seconds;
        if changed || min_ready_changed {
            rs.spec.min_ready_seconds = self.rollout.spec.min_ready_seconds;
            self.put_replica_set(rs);
            return;
        }
        self.set_rollout_revision(revision_of(&rs.metadata.annotations));
        if conditions::get_condition(&self.rollout.status, RolloutConditionType::Progressing)
            .is_none()
        {
            let condition = conditions::new_condition(
                RolloutConditionType::Progressing,
                ConditionStatus::True,
                conditions::FOUND_NEW_RS_REASON,
                format!("Found new replica set {:?}", rs.metadata.name),
                self.now(),
            );
            conditions::set_condition(&mut self.rollout.status, condition);
            self.write_status_only();
        }
    }

    /// `setRolloutRevision`: the Rollout's own revision annotation.
    fn set_rollout_revision(&mut self, revision: i64) {
        let text = revision.to_string();
        if self.rollout.metadata.annotations.get(REVISION_ANNOTATION) == Some(&text) {
            return;
        }
        self.rollout
            .metadata
            .annotations
            .insert(REVISION_ANNOTATION.into(), text.clone());
        self.write_rollout();
        self.event(
            EventType::Normal,
            conditions::ROLLOUT_UPDATED_REASON,
            format!("Rollout updated to revision {text}"),
        );
    }

    /// Writes `self.rollout` with only its status changed (`UpdateStatus`).
    pub(super) fn write_status_only(&mut self) {
        self.write_rollout();
    }

    /// `scaleReplicaSetAndRecordEvent`.
    pub(super) fn scale_replica_set_and_record_event(
        &mut self,
        rs: &ReplicaSet,
        new_scale: i32,
    ) -> bool {
        let replicas = self.replicas();
        if rs.spec.replicas == new_scale && !replicas_annotations_need_update(rs, replicas) {
            return false;
        }
        let operation = if rs.spec.replicas < new_scale {
            "up"
        } else {
            "down"
        };
        self.scale_replica_set(rs, new_scale, operation)
    }

    /// `scaleReplicaSet`.
    fn scale_replica_set(&mut self, rs: &ReplicaSet, new_scale: i32, operation: &str) -> bool {
        let replicas = self.replicas();
        let size_needs_update = rs.spec.replicas != new_scale;
        if !size_needs_update && !replicas_annotations_need_update(rs, replicas) {
            return false;
        }
        let mut copy = rs.clone();
        let old_scale = rs.spec.replicas;
        copy.spec.replicas = new_scale;
        copy.metadata
            .annotations
            .insert(DESIRED_REPLICAS_ANNOTATION.into(), replicas.to_string());
        if new_scale == 0 && !self.should_delay_scale_down_on_abort() {
            copy.metadata
                .annotations
                .remove(SCALE_DOWN_DEADLINE_ANNOTATION);
        }
        self.put_replica_set(copy.clone());
        if size_needs_update {
            let revision = revision_of(&copy.metadata.annotations);
            self.event(
                EventType::Normal,
                conditions::SCALING_REPLICA_SET_REASON,
                format!(
                    "Scaled {operation} ReplicaSet {} (revision {revision}) from {old_scale} to {new_scale}",
                    copy.metadata.name
                ),
            );
        }
        size_needs_update
    }

    /// `removeScaleDownDelay`.
    fn remove_scale_down_delay(&mut self, rs: &ReplicaSet) {
        if !has_scale_down_deadline(rs) {
            return;
        }
        let mut copy = rs.clone();
        copy.metadata
            .annotations
            .remove(SCALE_DOWN_DEADLINE_ANNOTATION);
        self.put_replica_set(copy);
    }

    /// `addScaleDownDelay`: the deadline annotation, RFC 3339 in UTC.
    fn add_scale_down_delay(&mut self, rs: &ReplicaSet, seconds: i32) {
        if seconds == 0 {
            self.remove_scale_down_delay(rs);
            return;
        }
        let deadline = self.now() + Duration::from_secs(i64::from(seconds));
        let mut copy = rs.clone();
        copy.metadata.annotations.insert(
            SCALE_DOWN_DEADLINE_ANNOTATION.into(),
            format_rfc3339(deadline),
        );
        self.put_replica_set(copy);
    }

    /// `removeScaleDownDeadlines`: the new and the stable ReplicaSet keep no deadline.
    pub(super) fn remove_scale_down_deadlines(&mut self) {
        let mut to_remove = Vec::new();
        if let Some(new_rs) = &self.new_rs {
            if !self.should_delay_scale_down_on_abort() {
                to_remove.push(new_rs.clone());
            }
        }
        if let Some(stable) = &self.stable_rs {
            if to_remove.is_empty()
                || self.new_rs.as_ref().map(|n| &n.metadata.name) != Some(&stable.metadata.name)
            {
                to_remove.push(stable.clone());
            }
        }
        for rs in to_remove {
            self.remove_scale_down_delay(&rs);
        }
    }

    /// `reconcileNewReplicaSet`.
    pub(super) fn reconcile_new_replica_set(&mut self) -> bool {
        let Some(new_rs) = self.new_rs.clone() else {
            return false;
        };
        let mut new_replicas = self.new_rs_new_replicas(&new_rs);
        if self.should_delay_scale_down_on_abort() {
            let (abort_delay, _) = defaults::abort_scale_down_delay_seconds(&self.rollout);
            if let Some(deadline) = new_rs
                .metadata
                .annotations
                .get(SCALE_DOWN_DEADLINE_ANNOTATION)
            {
                if let Ok(at) = parse_rfc3339(deadline) {
                    if at > self.now() {
                        self.requeue_at(at);
                        return false;
                    }
                    new_replicas = 0;
                }
            } else if let Some(seconds) = abort_delay {
                let stable_available = self
                    .stable_rs
                    .as_ref()
                    .map_or(0, |rs| rs.status.available_replicas);
                if stable_available == self.replicas() {
                    self.add_scale_down_delay(&new_rs, seconds);
                    self.requeue_at(self.now() + Duration::from_secs(i64::from(seconds)));
                }
                return false;
            }
        }
        let scaled = self.scale_replica_set_and_record_event(&new_rs, new_replicas);
        // `scaleDown: progressively`: the referenced Deployment shrinks as the first
        // ReplicaSet's pods become ready.
        let progressive = self
            .rollout
            .spec
            .workload_ref
            .as_ref()
            .is_some_and(|r| r.scale_down == "progressively");
        if progressive && revision_of(&new_rs.metadata.annotations) == 1 {
            if self.rollout.status.phase == Some(crate::objects::RolloutPhase::Healthy) {
                self.scale_deployment(0);
            } else if new_rs.spec.replicas > new_replicas || self.rollout.status.ready_replicas > 0
            {
                let target = self.replicas() - self.rollout.status.ready_replicas;
                self.scale_deployment(target);
            }
        }
        scaled
    }

    /// `NewRSNewReplicas`.
    pub(super) fn new_rs_new_replicas(&self, new_rs: &ReplicaSet) -> i32 {
        let ro = &self.rollout;
        let desired = ro.replicas();
        if let Some(bg) = ro.blue_green() {
            let Some(preview_count) = bg.preview_replica_count else {
                return desired;
            };
            let active = replica_set_by_hash(&self.all_rss, &ro.status.blue_green.active_selector);
            if active.is_none_or(|a| a.metadata.name == new_rs.metadata.name) {
                return desired;
            }
            if ro.status.promote_full {
                return desired;
            }
            if pod_template_hash(new_rs) != ro.status.current_pod_hash {
                return preview_count;
            }
            let not_paused = !ro.spec.paused && ro.status.pause_conditions.is_empty();
            if not_paused && ro.status.blue_green.scale_up_preview_check_point {
                return desired;
            }
            return preview_count;
        }
        let view = self.view();
        let stable = self.stable_rs.as_ref().map(rs_view);
        let new_view = rs_view(new_rs);
        if ro.canary().is_some_and(|c| c.traffic_routing.is_none()) {
            let others: Vec<arith::CanaryReplicaSet> = self.other_rss.iter().map(rs_view).collect();
            arith::calculate_replica_counts_for_basic_canary(
                &view,
                Some(&new_view),
                stable.as_ref(),
                &others,
            )
            .canary
        } else {
            let weights = self.arith_weights(true);
            arith::calculate_replica_counts_for_traffic_routed_canary(
                &view,
                Some(&new_view),
                stable.as_ref(),
                weights.as_ref(),
            )
            .canary
        }
    }

    /// The traffic weights the arithmetic reads: the new status's (`c.newStatus`) or the
    /// last persisted ones (`c.rollout.Status`).
    pub(super) fn arith_weights(&self, new: bool) -> Option<arith::TrafficWeights> {
        let weights = if new {
            self.new_status.canary.weights.as_ref()
        } else {
            self.rollout.status.canary.weights.as_ref()
        };
        weights.map(|w| arith::TrafficWeights {
            canary: w.canary.weight,
            stable: w.stable.weight,
        })
    }

    /// `shouldDelayScaleDownOnAbort`.
    pub(super) fn should_delay_scale_down_on_abort(&self) -> bool {
        if !self.pause.is_aborted(&self.rollout) || self.stable_rs.is_none() {
            return false;
        }
        if self
            .rollout
            .canary()
            .is_some_and(|c| c.traffic_routing.is_none())
        {
            return false;
        }
        let (delay, was_set) = defaults::abort_scale_down_delay_seconds(&self.rollout);
        if delay.is_none() {
            return false;
        }
        let dynamic = self
            .rollout
            .canary()
            .is_some_and(|c| c.dynamic_stable_scale);
        !dynamic || was_set
    }

    /// `reconcileOtherReplicaSets`.
    pub(super) fn reconcile_other_replica_sets(&mut self) -> bool {
        let others: Vec<ReplicaSet> = self
            .other_rss
            .iter()
            .filter(|rs| crate::controller::util::is_active(rs))
            .cloned()
            .collect();
        if others.iter().map(|rs| rs.spec.replicas).sum::<i32>() == 0 {
            return false;
        }
        if self.rollout.canary().is_some() {
            return self.scale_down_old_replica_sets_for_canary(others) > 0;
        }
        self.scale_down_old_replica_sets_for_blue_green(others)
    }

    /// `cleanupUnhealthyReplicas`: old pods that are not available go first.
    fn cleanup_unhealthy_replicas(&mut self, old_rss: &mut [ReplicaSet]) -> i32 {
        sort_by_creation_timestamp(old_rss);
        let mut total = 0;
        for rs in old_rss.iter_mut() {
            if rs.spec.replicas == 0 || rs.spec.replicas == rs.status.available_replicas {
                continue;
            }
            let scaled_down = rs.spec.replicas - rs.status.available_replicas;
            let target = rs.status.available_replicas;
            if target > rs.spec.replicas {
                continue;
            }
            self.scale_replica_set_and_record_event(&rs.clone(), target);
            rs.spec.replicas = target;
            total += scaled_down;
        }
        total
    }

    /// `scaleDownOldReplicaSetsForCanary`.
    fn scale_down_old_replica_sets_for_canary(&mut self, mut old_rss: Vec<ReplicaSet>) -> i32 {
        let mut total = self.cleanup_unhealthy_replicas(&mut old_rss);
        let available: i32 = self
            .all_rss
            .iter()
            .map(|rs| rs.status.available_replicas)
            .sum();
        let min_available = self.replicas() - arith::max_unavailable(&self.view());
        let mut max_scale_down = available - min_available;
        if max_scale_down <= 0 {
            return total;
        }
        sort_by_revision(&mut old_rss);
        old_rss.reverse();
        let routed = self
            .rollout
            .canary()
            .is_some_and(|c| c.traffic_routing.is_some());
        let mut annotated = 0;
        for rs in old_rss {
            if routed && self.is_replica_set_referenced(&rs) {
                continue;
            }
            if max_scale_down <= 0 {
                break;
            }
            if rs.spec.replicas == 0 {
                continue;
            }
            let mut desired = 0;
            if !routed {
                // Without a router every pod takes traffic: old ones must all go.
                if rs.spec.replicas > max_scale_down {
                    desired = rs.spec.replicas - max_scale_down;
                }
            } else if utils_fully_promoted(&self.rollout) || has_scale_down_deadline(&rs) {
                if self
                    .rollout
                    .canary()
                    .is_some_and(|c| c.dynamic_stable_scale)
                {
                    desired = 0;
                } else {
                    let (count, replicas) =
                        self.scale_down_delay_helper(&rs, annotated, rs.spec.replicas);
                    annotated = count;
                    desired = replicas;
                }
            }
            if rs.spec.replicas == desired {
                continue;
            }
            self.scale_replica_set_and_record_event(&rs, desired);
            let scaled = rs.spec.replicas - desired;
            max_scale_down -= scaled;
            total += scaled;
        }
        total
    }

    /// `scaleDownOldReplicaSetsForBlueGreen`.
    fn scale_down_old_replica_sets_for_blue_green(&mut self, mut old_rss: Vec<ReplicaSet>) -> bool {
        use crate::objects::PauseReason;
        if super::pause::get_pause_condition(&self.rollout, PauseReason::AnalysisRunInconclusive)
            .is_some()
            || self.post_promotion_analysis_blocks_scale_down()
        {
            return false;
        }
        sort_by_revision(&mut old_rss);
        old_rss.reverse();
        let replicas = self.replicas();
        let mut annotated = 0;
        let mut scaled = false;
        for rs in old_rss {
            if self.is_replica_set_referenced(&rs) || rs.spec.replicas == 0 {
                continue;
            }
            let (count, desired) = self.scale_down_delay_helper(&rs, annotated, replicas);
            annotated = count;
            if rs.spec.replicas == desired {
                continue;
            }
            self.scale_replica_set_and_record_event(&rs, desired);
            scaled = true;
        }
        scaled
    }

    /// `scaleDownDelayHelper`: the first old ReplicaSets (up to the revision limit) keep
    /// their pods until their deadline; the rest go now.
    fn scale_down_delay_helper(
        &mut self,
        rs: &ReplicaSet,
        mut annotated: i32,
        rollout_replicas: i32,
    ) -> (i32, i32) {
        let mut desired = 0;
        let limit = defaults::scale_down_revision_limit(&self.rollout);
        if !has_scale_down_deadline(rs) && rs.spec.replicas > 0 {
            if annotated < limit {
                annotated += 1;
                desired = rs.spec.replicas;
                let seconds = defaults::scale_down_delay_seconds(&self.rollout);
                self.add_scale_down_delay(rs, seconds);
                self.requeue_at(self.now() + Duration::from_secs(i64::from(seconds)));
            }
        } else if has_scale_down_deadline(rs) {
            annotated += 1;
            if annotated <= limit {
                let deadline = rs
                    .metadata
                    .annotations
                    .get(SCALE_DOWN_DEADLINE_ANNOTATION)
                    .and_then(|d| parse_rfc3339(d).ok());
                if let Some(at) = deadline.filter(|at| *at > self.now()) {
                    self.requeue_at(at);
                    desired = rollout_replicas;
                }
            }
        }
        (annotated, desired)
    }

    /// `isReplicaSetReferenced`: a Service selector or a status field still names it.
    pub(super) fn is_replica_set_referenced(&self, rs: &ReplicaSet) -> bool {
        let hash = pod_template_hash(rs);
        if hash.is_empty() {
            return false;
        }
        let status = &self.rollout.status;
        let mut references = vec![
            status.stable_rs.as_str(),
            status.current_pod_hash.as_str(),
            status.blue_green.active_selector.as_str(),
            status.blue_green.preview_selector.as_str(),
        ];
        if let Some(weights) = &status.canary.weights {
            references.push(&weights.canary.pod_template_hash);
            references.push(&weights.stable.pod_template_hash);
        }
        if references.contains(&hash) {
            return true;
        }
        let services: Vec<&str> = match (self.rollout.canary(), self.rollout.blue_green()) {
            (Some(c), _) => vec![&c.canary_service, &c.stable_service],
            (None, Some(bg)) => vec![&bg.active_service, &bg.preview_service],
            _ => vec![],
        };
        services.into_iter().filter(|s| !s.is_empty()).any(|name| {
            let key = ObjectKey::new(&self.rollout.metadata.namespace, name);
            self.cluster
                .api
                .store
                .services
                .get(&key)
                .is_some_and(|svc| {
                    svc.spec
                        .selector
                        .get(ROLLOUTS_POD_TEMPLATE_HASH)
                        .map(String::as_str)
                        == Some(hash)
                })
        })
    }

    /// `reconcileRevisionHistoryLimit`: delete the oldest scaled-down ReplicaSets beyond the
    /// limit.
    pub(super) fn reconcile_revision_history_limit(&mut self) {
        let limit = defaults::revision_history_limit(&self.rollout);
        let mut cleanable: Vec<ReplicaSet> = self
            .other_rss
            .iter()
            .filter(|rs| rs.metadata.deletion_timestamp.is_none())
            .cloned()
            .collect();
        let diff = cleanable.len() as i64 - i64::from(limit);
        if diff <= 0 {
            return;
        }
        sort_by_creation_timestamp(&mut cleanable);
        for rs in cleanable.into_iter().take(diff as usize) {
            if rs.status.replicas != 0
                || rs.spec.replicas != 0
                || rs.metadata.generation > rs.status.observed_generation
            {
                continue;
            }
            let key = ObjectKey::new(&rs.metadata.namespace, &rs.metadata.name);
            self.cluster.api.store.replica_sets.remove(&key);
            self.cluster.api.work.dirty = true;
            self.cluster.api.work.owners_removed = true;
            self.wrote = true;
            let uid = rs.metadata.uid.clone();
            self.all_rss.retain(|r| r.metadata.uid != uid);
            self.older_rss.retain(|r| r.metadata.uid != uid);
            self.other_rss.retain(|r| r.metadata.uid != uid);
        }
    }

    /// `getReplicaFailures`: the new ReplicaSet's ReplicaFailure condition first.
    pub(super) fn replica_failure(&self) -> Option<crate::objects::RolloutCondition> {
        let to_rollout = |rs: &ReplicaSet| {
            rs.status
                .conditions
                .iter()
                .find(|c| c.type_ == ReplicaSetConditionType::ReplicaFailure)
                .map(|c| crate::objects::RolloutCondition {
                    type_: RolloutConditionType::ReplicaFailure,
                    status: c.status,
                    last_update_time: c.last_transition_time.unwrap_or(Time(0)),
                    last_transition_time: c.last_transition_time.unwrap_or(Time(0)),
                    reason: c.reason.clone(),
                    message: c.message.clone(),
                })
        };
        self.new_rs
            .as_ref()
            .and_then(to_rollout)
            .or_else(|| self.all_rss.iter().find_map(to_rollout))
    }
}

fn utils_fully_promoted(ro: &Rollout) -> bool {
    crate::addons::argo_rollouts::utils::phase::is_fully_promoted(ro)
}

/// `MaxRevision`.
fn max_revision(rss: &[ReplicaSet]) -> i64 {
    rss.iter()
        .map(|rs| revision_of(&rs.metadata.annotations))
        .max()
        .unwrap_or(0)
}

/// `ReplicasAnnotationsNeedUpdate`.
fn replicas_annotations_need_update(rs: &ReplicaSet, desired: i32) -> bool {
    if rs.metadata.annotations.get(DESIRED_REPLICAS_ANNOTATION) != Some(&desired.to_string()) {
        return true;
    }
    desired == 0 && has_scale_down_deadline(rs)
}

/// `SetNewReplicaSetAnnotations`: the Rollout's annotations copied over (but not its
/// revision bookkeeping), the revision raised, the history kept.
fn set_new_replica_set_annotations(
    ro: &Rollout,
    rs: &mut ReplicaSet,
    new_revision: i64,
    exists: bool,
) -> bool {
    const SKIP: &[&str] = &[
        "kubectl.kubernetes.io/last-applied-configuration",
        REVISION_ANNOTATION,
        REVISION_HISTORY_ANNOTATION,
        DESIRED_REPLICAS_ANNOTATION,
        "notified.notifications.argoproj.io",
    ];
    let mut changed = false;
    for (key, value) in &ro.metadata.annotations {
        if SKIP.contains(&key.as_str()) || rs.metadata.annotations.get(key) == Some(value) {
            continue;
        }
        rs.metadata.annotations.insert(key.clone(), value.clone());
        changed = true;
    }
    let old = rs.metadata.annotations.get(REVISION_ANNOTATION).cloned();
    let old_number = match &old {
        Some(text) => match text.parse::<i64>() {
            Ok(n) => n,
            Err(_) => return false,
        },
        None => 0,
    };
    if old_number < new_revision {
        rs.metadata
            .annotations
            .insert(REVISION_ANNOTATION.into(), new_revision.to_string());
        changed = true;
    }
    if let (Some(old), true) = (old, changed) {
        let history = rs
            .metadata
            .annotations
            .get(REVISION_HISTORY_ANNOTATION)
            .cloned()
            .unwrap_or_default();
        let joined = if history.is_empty() {
            old
        } else {
            format!("{history},{old}")
        };
        rs.metadata
            .annotations
            .insert(REVISION_HISTORY_ANNOTATION.into(), joined);
    }
    if !exists {
        let desired = ro.replicas().to_string();
        if rs.metadata.annotations.get(DESIRED_REPLICAS_ANNOTATION) != Some(&desired) {
            rs.metadata
                .annotations
                .insert(DESIRED_REPLICAS_ANNOTATION.into(), desired);
            changed = true;
        }
    }
    changed
}
