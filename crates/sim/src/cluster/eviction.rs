//! The eviction API (`POST pods/NAME/eviction`, upstream
//! `pkg/registry/core/pod/storage/eviction.go`): a delete that asks the pod's
//! PodDisruptionBudget first. `kubectl drain` evicts; `kubectl delete` does not.

use super::{Cluster, ObjectKey};
use crate::api::{go_quote, ApiError};
use crate::controller::disruption::update_disruption_allowed_condition;
use crate::objects::{Kind, Pod, PodDisruptionBudget, PodPhase};

/// `MaxDisruptedPodSize`: evictions approved but not yet seen by the disruption controller.
const MAX_DISRUPTED_POD_SIZE: usize = 2000;

/// The 429's message, the same whichever budget refused.
pub const EVICTION_REFUSED: &str =
    "Cannot evict pod as it would violate the pod's disruption budget.";

impl Cluster {
    /// `EvictionREST.Create`: deletes the pod with `grace_seconds` (the pod's own grace
    /// period when `None`) unless that would take its budget below its minimum. With
    /// `dry_run` nothing is written, but the answer is the same.
    pub fn evict(
        &mut self,
        namespace: &str,
        name: &str,
        grace_seconds: Option<i64>,
        dry_run: bool,
    ) -> Result<(), ApiError> {
        let key = ObjectKey::new(namespace, name);
        let Some(pod) = self.api.store.pods.get(&key).map(|p| Pod::clone(p)) else {
            return Err(ApiError::not_found(Kind::Pod, name));
        };
        // A pod that is finished, not yet running or already terminating disrupts nothing.
        if can_ignore_pdb(&pod) {
            return self.delete_evicted(&key, grace_seconds, dry_run);
        }
        let pdbs = self.get_pod_disruption_budgets(&pod);
        let pdb = match pdbs.as_slice() {
            [] => return self.delete_evicted(&key, grace_seconds, dry_run),
            [pdb] => pdb.clone(),
            _ => {
                return Err(ApiError::Internal {
                    message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.".into(),
                })
            }
        };
        // An unready pod does not count as healthy: it may go without a decrement while the
        // budget is met (the default `IfHealthyBudget` policy).
        let always_allow = pdb.spec.unhealthy_pod_eviction_policy.as_deref() == Some("AlwaysAllow");
        let budget_met = pdb.status.current_healthy >= pdb.status.desired_healthy
            && pdb.status.desired_healthy > 0;
        if !pod.is_ready() && (always_allow || budget_met) {
            return self.delete_evicted(&key, grace_seconds, dry_run);
        }
        self.check_and_decrement(&pod.metadata.name, pdb, dry_run)?;
        self.delete_evicted(&key, grace_seconds, dry_run)
    }

    /// `getPodDisruptionBudgets`: the budgets of the pod's namespace whose selector matches
    /// it; a missing or empty selector matches nothing here.
    fn get_pod_disruption_budgets(&self, pod: &Pod) -> Vec<PodDisruptionBudget> {
        self.api
            .store
            .pod_disruption_budgets
            .values()
            .filter(|pdb| pdb.metadata.namespace == pod.metadata.namespace)
            .filter(|pdb| {
                pdb.spec.selector.as_ref().is_some_and(|selector| {
                    !selector.is_empty() && selector.matches(&pod.metadata.labels)
                })
            })
            .cloned()
            .collect()
    }

    /// `checkAndDecrement`: refuses when the budget allows no disruption, else takes one
    /// and notes the pod in `disruptedPods` so the controller does not count it meanwhile.
    fn check_and_decrement(
        &mut self,
        pod_name: &str,
        mut pdb: PodDisruptionBudget,
        dry_run: bool,
    ) -> Result<(), ApiError> {
        let name = pdb.metadata.name.clone();
        if pdb.status.observed_generation < pdb.metadata.generation {
            return Err(ApiError::TooManyRequests {
                message: EVICTION_REFUSED.into(),
                cause: format!(
                    "The disruption budget {name} is still being processed by the server."
                ),
            });
        }
        let forbidden = |why: &str| ApiError::Forbidden {
            message: format!(
                "poddisruptionbudget.policy {} is forbidden: {why}",
                go_quote(&name)
            ),
        };
        if pdb.status.disruptions_allowed < 0 {
            return Err(forbidden("pdb disruptions allowed is negative"));
        }
        if pdb.status.disrupted_pods.len() > MAX_DISRUPTED_POD_SIZE {
            return Err(forbidden(
                "DisruptedPods map too big - too many evictions not confirmed by PDB controller",
            ));
        }
        if pdb.status.disruptions_allowed == 0 {
            return Err(ApiError::TooManyRequests {
                message: EVICTION_REFUSED.into(),
                cause: format!(
                    "The disruption budget {name} needs {} healthy pods and has {} currently",
                    pdb.status.desired_healthy, pdb.status.current_healthy
                ),
            });
        }
        if dry_run {
            return Ok(());
        }
        let now = self.api.now;
        pdb.status.disruptions_allowed -= 1;
        if pdb.status.disruptions_allowed == 0 {
            update_disruption_allowed_condition(&mut pdb.status, now);
        }
        pdb.status.disrupted_pods.insert(pod_name.to_string(), now);
        let key = ObjectKey::new(&pdb.metadata.namespace, &name);
        self.api.store.pod_disruption_budgets.insert(key, pdb);
        Ok(())
    }

    /// The delete an approved eviction ends in.
    fn delete_evicted(
        &mut self,
        key: &ObjectKey,
        grace_seconds: Option<i64>,
        dry_run: bool,
    ) -> Result<(), ApiError> {
        if dry_run {
            return Ok(());
        }
        self.delete_pod(&key.namespace, &key.name, grace_seconds)
    }
}

/// `canIgnorePDB`.
fn can_ignore_pdb(pod: &Pod) -> bool {
    matches!(
        pod.status.phase,
        Some(PodPhase::Succeeded | PodPhase::Failed | PodPhase::Pending)
    ) || pod.metadata.deletion_timestamp.is_some()
}
