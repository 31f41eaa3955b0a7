//! The garbage collector: an object whose controlling owner is gone is deleted too
//! (background propagation: `kubectl delete deployment` returns at once, then the
//! ReplicaSets go, then their pods terminate).

use super::Controllers;
use crate::apiserver::ObjectKey;
use std::collections::BTreeSet;

impl Controllers<'_> {
    pub(crate) fn collect_garbage(&mut self) {
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
}
