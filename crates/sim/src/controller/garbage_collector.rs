//! The garbage collector: an object whose controlling owner is gone is deleted too
//! (background propagation: `kubectl delete deployment` returns at once, then the
//! ReplicaSets go, then their pods terminate). An owner deleted in the foreground
//! (`kubectl delete --cascade=foreground`, `cluster::Propagation`) waits, marked,
//! while its dependents are deleted — those that own something in the foreground too —
//! and goes when none is left.

use super::Controllers;
use crate::apiserver::ObjectKey;
use std::collections::BTreeSet;

impl Controllers<'_> {
    pub(crate) fn collect_garbage(&mut self) {
        self.delete_in_the_foreground();
        let live: BTreeSet<&str> = self
            .api
            .store
            .deployments
            .values()
            .map(|d| d.metadata.uid.as_str())
            .chain(
                self.api
                    .store
                    .replica_sets
                    .values()
                    .map(|rs| rs.metadata.uid.as_str()),
            )
            // An add-on's objects own things too (a Rollout its ReplicaSets).
            .chain(
                self.api
                    .store
                    .rollouts
                    .values()
                    .map(|ro| ro.metadata.uid.as_str()),
            )
            // An AnalysisRun owns the pods of its Job metrics.
            .chain(
                self.api
                    .store
                    .analysis_runs
                    .values()
                    .map(|ar| ar.metadata.uid.as_str()),
            )
            .collect();
        let orphan = |owner: Option<&crate::objects::OwnerReference>| {
            owner.is_some_and(|o| !live.contains(o.uid.as_str()))
        };
        let dead_rss: Vec<ObjectKey> = self
            .api
            .store
            .replica_sets
            .iter()
            .filter(|(_, rs)| orphan(rs.metadata.controller_ref()))
            .map(|(key, _)| key.clone())
            .collect();
        let dead_pods: Vec<ObjectKey> = self
            .api
            .store
            .pods
            .iter()
            .filter(|(_, pod)| {
                pod.metadata.deletion_timestamp.is_none() && orphan(pod.metadata.controller_ref())
            })
            .map(|(key, _)| key.clone())
            .collect();
        // Argo Rollouts' AnalysisRuns belong to their Rollout.
        let dead_runs: Vec<ObjectKey> = self
            .api
            .store
            .analysis_runs
            .iter()
            .filter(|(_, run)| orphan(run.metadata.controller_ref()))
            .map(|(key, _)| key.clone())
            .collect();
        // Ingresses an owner created (Argo's canary Ingress) go with their owner.
        let dead_ingresses: Vec<ObjectKey> = self
            .api
            .store
            .ingresses
            .iter()
            .filter(|(_, ing)| orphan(ing.metadata.controller_ref()))
            .map(|(key, _)| key.clone())
            .collect();
        for key in dead_runs {
            self.api.store.analysis_runs.remove(&key);
            self.api.work.dirty = true;
            // The pods of its Job metrics are orphans now.
            self.api.work.owners_removed = true;
        }
        for key in dead_ingresses {
            self.api.store.ingresses.remove(&key);
            self.api.work.dirty = true;
        }
        for key in dead_rss {
            self.api.store.replica_sets.remove(&key);
            self.api.work.dirty = true;
            // Their pods are orphans now: collect again next round.
            self.api.work.owners_removed = true;
        }
        for key in dead_pods {
            self.node().delete_pod_gracefully(&key, None);
        }
    }

    /// Each owner waiting in the foreground: its dependents are deleted (a ReplicaSet in the
    /// foreground too, so its pods go before it), and once none is left, the owner.
    fn delete_in_the_foreground(&mut self) {
        let now = self.api.now;
        for (kind, key, uid) in self.api.store.foreground_deletions() {
            let store = &mut self.api.store;
            let owned = |meta: &crate::objects::ObjectMeta| {
                meta.owner_references.iter().any(|o| o.uid == uid)
            };
            let mut dependents = false;
            for rs in store
                .replica_sets
                .values_mut()
                .filter(|rs| owned(&rs.metadata))
            {
                dependents = true;
                if rs.metadata.deletion_timestamp.is_none() {
                    rs.metadata.mark_for_foreground_deletion(now);
                    self.api.work.dirty = true;
                }
            }
            let runs: Vec<ObjectKey> = store
                .analysis_runs
                .iter()
                .filter(|(_, run)| owned(&run.metadata))
                .map(|(key, _)| key.clone())
                .collect();
            let ingresses: Vec<ObjectKey> = store
                .ingresses
                .iter()
                .filter(|(_, ing)| owned(&ing.metadata))
                .map(|(key, _)| key.clone())
                .collect();
            for run in &runs {
                store.analysis_runs.remove(run);
            }
            for ingress in &ingresses {
                store.ingresses.remove(ingress);
            }
            let pods: Vec<(ObjectKey, bool)> = store
                .pods
                .iter()
                .filter(|(_, pod)| owned(&pod.metadata))
                .map(|(key, pod)| (key.clone(), pod.metadata.deletion_timestamp.is_none()))
                .collect();
            if !runs.is_empty() || !ingresses.is_empty() {
                self.api.work.dirty = true;
                self.api.work.owners_removed = true;
            }
            dependents |= !pods.is_empty();
            for (pod, running) in pods {
                if running {
                    self.node().delete_pod_gracefully(&pod, None);
                }
            }
            if dependents {
                continue;
            }
            let store = &mut self.api.store;
            match kind {
                crate::objects::Kind::Deployment => {
                    store.deployments.remove(&key);
                }
                crate::objects::Kind::ReplicaSet => {
                    store.replica_sets.remove(&key);
                }
                crate::objects::Kind::Rollout => {
                    store.rollouts.remove(&key);
                }
                _ => {
                    store.analysis_runs.remove(&key);
                }
            }
            self.api.work.dirty = true;
            self.api.work.owners_removed = true;
        }
    }
}
