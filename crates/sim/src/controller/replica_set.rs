//! The ReplicaSet controller (upstream `replica_set.go`): keep exactly `spec.replicas` active
//! pods, and report how many exist, are ready, and are available.

use super::deployment::controller_ref;
use super::pod_order::pods_to_delete;
use super::Controllers;
use crate::apiserver::{in_namespace, reference, ObjectKey, Timer};
use crate::clock::{Duration, Time};
use crate::objects::{
    EventType, Explanation, Kind, ObjectMeta, Pod, PodStatus, ReplicaSet, ReplicaSetStatus,
};
use std::rc::Rc;

/// Upstream's `burstReplicas`: at most this many pods are created or deleted per pass.
const BURST_REPLICAS: usize = 500;
/// Generated names keep at most this much of the base, leaving room for the suffix.
const MAX_GENERATED_NAME_BASE: usize = 58;

/// kube-controller-manager's API client limit (`--kube-api-qps=20`, `--kube-api-burst=30`,
/// the defaults): the ReplicaSet controller's client sends at most 30 requests at once and 20
/// a second after that. It bounds how fast pods can be created: `--replicas=99999999` grows
/// the cluster by 20 pods a virtual second, as on a real cluster, instead of the simulation
/// creating pods without end at one instant (which froze the page).
const API_QPS: i64 = 20;
const API_BURST: i64 = 30;

/// The ReplicaSet controller's client-side rate limiter (a token bucket, in thousandths of a
/// request so that refills at 20 a second stay exact in milliseconds).
#[derive(Clone, Debug)]
pub(crate) struct ApiBudget {
    milli_tokens: i64,
    refilled_at: Option<Time>,
    /// ReplicaSets that were held back, and when their retry is due (one timer each).
    retries: std::collections::BTreeMap<ObjectKey, Time>,
}

impl Default for ApiBudget {
    fn default() -> ApiBudget {
        ApiBudget {
            milli_tokens: API_BURST * 1000,
            refilled_at: None,
            retries: Default::default(),
        }
    }
}

impl ApiBudget {
    /// Takes up to `wanted` requests' worth at `now`; returns how many may be sent.
    fn take(&mut self, wanted: usize, now: Time) -> usize {
        let elapsed = self.refilled_at.map_or(0, |at| (now - at).millis().max(0));
        self.milli_tokens =
            (self.milli_tokens + elapsed.saturating_mul(API_QPS)).min(API_BURST * 1000);
        self.refilled_at = Some(now);
        let granted = usize::try_from(self.milli_tokens / 1000)
            .unwrap_or(0)
            .min(wanted);
        self.milli_tokens -= granted as i64 * 1000;
        granted
    }

    /// When the next request's worth will have refilled.
    fn next_token_at(&self, now: Time) -> Time {
        let missing = 1000 - self.milli_tokens.rem_euclid(1000);
        now + Duration((missing + API_QPS - 1) / API_QPS)
    }
}

impl Controllers<'_> {
    /// `claim`: adopt orphans and release pods that no longer match (only needed after API
    /// writes of pods or ReplicaSets, so a large cluster does not rescan every pod each round).
    /// `everything`: sync every ReplicaSet, not only those whose spec or pods changed since
    /// their last sync (syncing an unchanged one is a no-op, so skipping it is only faster).
    pub(crate) fn sync_replica_sets(&mut self, claim: bool, everything: bool) {
        let queued = std::mem::take(&mut self.api.work.replica_sets);
        let keys: Vec<ObjectKey> = if claim || everything {
            self.api.store.replica_sets.keys().cloned().collect()
        } else {
            queued.into_iter().collect()
        };
        for key in keys {
            self.sync_replica_set(&key, claim);
        }
    }

    fn sync_replica_set(&mut self, key: &ObjectKey, claim: bool) {
        let Some(rs) = self.api.store.replica_sets.get(key).cloned() else {
            return;
        };
        if rs.metadata.deletion_timestamp.is_some() {
            return;
        }
        if claim {
            self.claim_pods(&rs);
        }
        let wanted = usize::try_from(rs.spec.replicas.max(0)).unwrap_or(0);
        // Decide from borrowed pods (thousands of them: no copies), act afterwards.
        let (status, next_check, active_count, victims) = {
            let active: Vec<&Pod> = self
                .api
                .store
                .pods_owned_by(&key.namespace, &rs.metadata.uid)
                .filter(|p| p.is_active())
                .collect();
            // Status reflects the pods as listed *before* this pass acts, as upstream's does:
            // the pods it creates now are counted on the next pass (DESIRED moves before
            // CURRENT).
            let (status, next_check) = replica_set_status(&rs, &active, self.api.now);
            let victims: Vec<ObjectKey> = if active.len() > wanted {
                let excess = (active.len() - wanted).min(BURST_REPLICAS);
                let related = self.related_pods(&rs);
                pods_to_delete(&active, &related, excess, self.api.now, self.gates)
                    .into_iter()
                    .map(|p| ObjectKey::new(&p.metadata.namespace, &p.metadata.name))
                    .collect()
            } else {
                Vec::new()
            };
            (status, next_check, active.len(), victims)
        };
        if let Some(at) = next_check {
            self.api
                .timers
                .set(at, Timer::ResyncReplicaSet(key.clone()));
        }
        if active_count < wanted {
            let batch = (wanted - active_count).min(BURST_REPLICAS);
            let allowed = self.api_budget.take(batch, self.api.now);
            for _ in 0..allowed {
                self.create_pod(&rs, wanted, active_count);
            }
            if allowed < batch {
                // Try again when the limiter lets the next request through.
                let at = self.api_budget.next_token_at(self.api.now);
                let pending = self
                    .api_budget
                    .retries
                    .get(key)
                    .is_some_and(|due| *due > self.api.now);
                if !pending {
                    self.api_budget.retries.insert(key.clone(), at);
                    self.api
                        .timers
                        .set(at, Timer::ResyncReplicaSet(key.clone()));
                }
            }
        }
        for victim in victims {
            self.node().delete_pod_gracefully(&victim, None);
            let explanation = Explanation::new("replicaset.delete")
                .with("replica_set", &rs.metadata.name)
                .with("desired", rs.spec.replicas)
                .with("active", active_count);
            self.api.record(
                reference(Kind::ReplicaSet, &rs.metadata),
                EventType::Normal,
                "SuccessfulDelete",
                format!("Deleted pod: {}", victim.name),
                "replicaset-controller",
                Some(explanation),
            );
        }
        if let Some(stored) = self.api.store.replica_sets.get_mut(key) {
            if stored.status != status {
                stored.status = status;
                self.api.work.dirty = true;
            }
        }
    }

    fn create_pod(&mut self, rs: &ReplicaSet, desired: usize, active: usize) {
        let base: String = format!("{}-", rs.metadata.name)
            .chars()
            .take(MAX_GENERATED_NAME_BASE)
            .collect();
        let name = loop {
            let candidate = format!("{base}{}", self.api.rng.name_suffix(5));
            if !self
                .api
                .store
                .pods
                .contains_key(&ObjectKey::new(&rs.metadata.namespace, &candidate))
            {
                break candidate;
            }
        };
        let mut metadata: ObjectMeta = self.api.new_metadata(&name, &rs.metadata.namespace);
        metadata.labels = rs.spec.template.metadata.labels.clone();
        metadata.annotations = rs.spec.template.metadata.annotations.clone();
        metadata.owner_references = vec![controller_ref(
            Kind::ReplicaSet,
            &rs.metadata.name,
            &rs.metadata.uid,
        )];
        let mut spec = rs.spec.template.spec.clone();
        spec.node_name = String::new();
        let mut pod = Pod {
            metadata,
            spec,
            status: PodStatus::default(),
        };
        crate::manifest::defaults::admit_pod(&mut pod);
        let explanation = Explanation::new("replicaset.create")
            .with("replica_set", &rs.metadata.name)
            .with("desired", desired)
            .with("active", active);
        self.api.record(
            reference(Kind::ReplicaSet, &rs.metadata),
            EventType::Normal,
            "SuccessfulCreate",
            format!("Created pod: {name}"),
            "replicaset-controller",
            Some(explanation),
        );
        self.api.work.pod_changed(&pod);
        self.api.work.unbound_pods = true;
        self.api
            .store
            .pods
            .insert(ObjectKey::new(&rs.metadata.namespace, &name), Rc::new(pod));
    }

    /// Adopts orphan pods the selector matches and releases owned pods it no longer matches,
    /// as upstream's ControllerRefManager does.
    fn claim_pods(&mut self, rs: &ReplicaSet) {
        let namespace = rs.metadata.namespace.clone();
        let changes: Vec<(ObjectKey, bool)> = in_namespace(&self.api.store.pods, &namespace)
            .filter(|p| p.metadata.deletion_timestamp.is_none())
            .filter_map(|p| {
                // Pods of other controllers are none of this one's business (cheap check first).
                let owned = match p.metadata.controller_ref() {
                    Some(owner) if owner.uid != rs.metadata.uid => return None,
                    Some(_) => true,
                    None => false,
                };
                let matches =
                    !rs.spec.selector.is_empty() && rs.spec.selector.matches(&p.metadata.labels);
                (owned != matches).then(|| (ObjectKey::new(&namespace, &p.metadata.name), matches))
            })
            .collect();
        for (key, adopt) in changes {
            if let Some(pod) = self.api.store.pods.get_mut(&key).map(Rc::make_mut) {
                // The old owner (if any) and the new one both see the change.
                self.api.work.pod_changed(pod);
                if adopt {
                    pod.metadata.owner_references.push(controller_ref(
                        Kind::ReplicaSet,
                        &rs.metadata.name,
                        &rs.metadata.uid,
                    ));
                } else {
                    pod.metadata
                        .owner_references
                        .retain(|o| o.uid != rs.metadata.uid);
                }
                self.api.work.pod_changed(pod);
            }
        }
    }

    /// Active pods of every ReplicaSet of the same Deployment (or just this one), used to
    /// prefer deleting pods that share a node with a sibling.
    fn related_pods(&self, rs: &ReplicaSet) -> Vec<&Pod> {
        let owner = rs.metadata.controller_ref().map(|o| o.uid.clone());
        let siblings: Vec<String> = match &owner {
            Some(uid) => in_namespace(&self.api.store.replica_sets, &rs.metadata.namespace)
                .filter(|r| r.metadata.controller_ref().is_some_and(|o| &o.uid == uid))
                .map(|r| r.metadata.uid.clone())
                .collect(),
            None => vec![rs.metadata.uid.clone()],
        };
        self.api
            .store
            .pods_in(&rs.metadata.namespace)
            .filter(|p| {
                p.is_active()
                    && p.metadata
                        .controller_ref()
                        .is_some_and(|o| siblings.contains(&o.uid))
            })
            .collect()
    }
}

/// Counts pods the way the RS status does, and when to look again for pods that are ready but
/// not yet ready for `minReadySeconds`.
fn replica_set_status(
    rs: &ReplicaSet,
    active: &[&Pod],
    now: Time,
) -> (ReplicaSetStatus, Option<Time>) {
    let min_ready = Duration::from_secs(i64::from(rs.spec.min_ready_seconds.max(0)));
    let template_labels = &rs.spec.template.metadata.labels;
    let mut status = rs.status.clone();
    status.replicas = active.len() as i32;
    status.fully_labeled_replicas = active
        .iter()
        .filter(|p| {
            template_labels
                .iter()
                .all(|(k, v)| p.metadata.labels.get(k) == Some(v))
        })
        .count() as i32;
    status.ready_replicas = active.iter().filter(|p| p.is_ready()).count() as i32;
    let mut available = 0;
    let mut next_check: Option<Time> = None;
    for pod in active {
        match pod.ready_since() {
            Some(since) if since + min_ready <= now => available += 1,
            Some(since) => {
                next_check =
                    Some(next_check.map_or(since + min_ready, |t| t.min(since + min_ready)))
            }
            None if pod.is_ready() && min_ready == Duration::ZERO => available += 1,
            None => {}
        }
    }
    status.available_replicas = available;
    status.observed_generation = rs.metadata.generation;
    (status, next_check)
}
