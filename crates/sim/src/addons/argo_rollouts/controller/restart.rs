//! `rollout/restart.go`: `kubectl argo rollouts restart` sets `spec.restartAt`; pods older
//! than that are evicted, as many at a time as maxUnavailable allows, stable ReplicaSet's
//! first. When none is left, `status.restartedAt` records it.

use super::RolloutContext;
use crate::apiserver::ObjectKey;
use crate::clock::Duration;
use crate::objects::Pod;

/// `restartPodCheckTime`: how soon to look again while pods are still to restart.
const RESTART_POD_CHECK: Duration = Duration(30 * 1000);

impl RolloutContext<'_> {
    /// `RolloutPodRestarter.Reconcile`: returns how many pods it evicted.
    pub(super) fn reconcile_pod_restarts(&mut self) -> i32 {
        let Some(restart_at) = self.rollout.spec.restart_at else {
            return 0;
        };
        let now = self.now();
        if restart_at > now {
            // `checkEnqueueRollout`: wake up when the restart is due.
            self.requeue_at(restart_at + Duration::from_millis(1));
            return 0;
        }
        if self.rollout.status.restarted_at == Some(restart_at) {
            return 0;
        }
        // Stable first, then the new ReplicaSet, then the rest by age.
        let stable = self.stable_rs.as_ref().map(|rs| rs.metadata.uid.clone());
        let new = self.new_rs.as_ref().map(|rs| rs.metadata.uid.clone());
        let mut rss = self.all_rss.clone();
        rss.sort_by_key(|rs| {
            let rank = if Some(&rs.metadata.uid) == stable.as_ref() {
                0
            } else if Some(&rs.metadata.uid) == new.as_ref() {
                1
            } else {
                2
            };
            (rank, rs.metadata.creation_timestamp)
        });
        let pods: Vec<Pod> = rss
            .iter()
            .flat_map(|rs| {
                self.cluster
                    .api
                    .store
                    .pods_owned_by(&rs.metadata.namespace, &rs.metadata.uid)
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .collect();
        let total: i32 = self.all_rss.iter().map(|rs| rs.spec.replicas).sum();
        let replicas = self.replicas();
        let min_ready = Duration::from_secs(i64::from(self.rollout.spec.min_ready_seconds.max(0)));
        let available = pods
            .iter()
            .filter(|pod| pod.metadata.deletion_timestamp.is_none())
            .filter(|pod| {
                pod.ready_since()
                    .is_some_and(|since| since + min_ready <= now)
            })
            .count() as i32;
        let max_unavailable = self.max_unavailable();
        let concurrent = max_unavailable.max(1);
        let mut can_restart = available - (replicas.max(total) - concurrent);
        let mut needs_restart = 0;
        let mut restarted = 0;
        for pod in &pods {
            if pod
                .metadata
                .creation_timestamp
                .is_some_and(|created| created >= restart_at)
            {
                continue;
            }
            needs_restart += 1;
            if can_restart <= 0 || pod.metadata.deletion_timestamp.is_some() {
                continue;
            }
            let key = ObjectKey::new(&pod.metadata.namespace, &pod.metadata.name);
            self.cluster.node().delete_pod_gracefully(&key, None);
            self.cluster.api.work.api_write();
            self.wrote = true;
            can_restart -= 1;
            restarted += 1;
        }
        if needs_restart - restarted != 0 {
            self.requeue_at(now + RESTART_POD_CHECK);
        } else {
            // `SetRestartedAt`.
            self.new_status.restarted_at = Some(restart_at);
        }
        restarted
    }

    /// `replicasetutil.MaxUnavailable`.
    fn max_unavailable(&self) -> i32 {
        if self.rollout.canary().is_some() {
            return super::arith::max_unavailable(&self.view());
        }
        let replicas = self.replicas();
        if replicas == 0 {
            return 0;
        }
        let unavailable = super::defaults::blue_green_max_unavailable(&self.rollout);
        // Blue-green reads its maxUnavailable directly, without the canary's "never both 0".
        super::arith::scaled_value_legacy(&unavailable, replicas, false)
            .unwrap_or(0)
            .min(replicas)
    }
}
