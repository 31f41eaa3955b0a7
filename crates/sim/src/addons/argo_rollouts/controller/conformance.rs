//! The conformance entry points ([`crate::conformance`]). Upstream's unit tests of `rollout/`
//! build a `rolloutContext` by hand (a Rollout, its new, stable and other ReplicaSets, a
//! `pauseContext`) and call one method on it. [`call`] does the same against a cluster whose
//! store holds the case's objects: nothing is settled and nothing but that one method runs.
//! These are test hooks, not part of how the add-on runs.

use super::pause::PauseContext;
use super::RolloutContext;
use crate::apiserver::ObjectKey;
use crate::cluster::Cluster;
use crate::objects::{ReplicaSet, Rollout, RolloutStatus};

/// The fields of `rolloutContext` a test sets; everything else starts empty, as in a Go
/// struct literal (`newStatus` too).
#[derive(Debug, Default)]
pub(crate) struct ContextParts {
    pub rollout: Rollout,
    pub new_rs: Option<ReplicaSet>,
    pub stable_rs: Option<ReplicaSet>,
    pub all_rss: Vec<ReplicaSet>,
    pub other_rss: Vec<ReplicaSet>,
    /// `pauseContext.AddAbort` called before the method.
    pub add_abort: bool,
    /// `pauseContext.RemoveAbort` called before the method.
    pub remove_abort: bool,
}

/// The method to call, with its arguments (boxed: the enum stays small).
#[derive(Debug)]
pub(crate) enum Method {
    ReconcileNewReplicaSet,
    ReconcileOtherReplicaSets,
    IsReplicaSetReferenced(Box<ReplicaSet>),
    /// Upstream passes `c.otherRSs`, as the controller does: here they are the parts'.
    ReconcileRevisionHistoryLimit,
    SendStateChangeEvents {
        previous: Box<RolloutStatus>,
        new: Box<RolloutStatus>,
    },
    ShouldFullPromote(Box<RolloutStatus>),
    IsRollbackWithinWindow,
    ReconcileStableAndCanaryService,
    ScaleDeployment(i32),
    CalculateDesiredWeightOnAbortOrStableRollback,
}

/// What the method returned.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Returned {
    Nothing,
    Bool(bool),
    /// `shouldFullPromote`'s reason; empty for none, as upstream's string.
    Text(String),
    Int(i32),
}

/// Builds the context from `parts` and calls `method`; what it wrote is in the store.
pub(crate) fn call(cluster: &mut Cluster, parts: ContextParts, method: Method) -> Returned {
    let key = ObjectKey::new(
        &parts.rollout.metadata.namespace,
        &parts.rollout.metadata.name,
    );
    let new_name = parts.new_rs.as_ref().map(|rs| rs.metadata.name.clone());
    let older_rss = parts
        .all_rss
        .iter()
        .filter(|rs| Some(&rs.metadata.name) != new_name.as_ref())
        .cloned()
        .collect();
    let mut pause = PauseContext::default();
    if parts.add_abort {
        pause.add_abort(String::new());
    }
    if parts.remove_abort {
        pause.remove_abort();
    }
    let mut context = RolloutContext {
        cluster,
        key,
        rollout: parts.rollout,
        new_rs: parts.new_rs,
        stable_rs: parts.stable_rs,
        all_rss: parts.all_rss,
        older_rss,
        other_rss: parts.other_rss,
        new_status: RolloutStatus::default(),
        pause,
        wrote: false,
        own_template: None,
        workload_generation: None,
        registered_plugins: Vec::new(),
        failed: false,
        current_ars: Default::default(),
        other_ars: Vec::new(),
    };
    match method {
        Method::ReconcileNewReplicaSet => Returned::Bool(context.reconcile_new_replica_set()),
        Method::ReconcileOtherReplicaSets => Returned::Bool(context.reconcile_other_replica_sets()),
        Method::IsReplicaSetReferenced(rs) => {
            Returned::Bool(context.is_replica_set_referenced(&rs))
        }
        Method::ReconcileRevisionHistoryLimit => {
            context.reconcile_revision_history_limit();
            Returned::Nothing
        }
        Method::SendStateChangeEvents { previous, new } => {
            context.rollout.status = *new;
            context.send_state_change_events(&previous);
            Returned::Nothing
        }
        Method::ShouldFullPromote(new_status) => {
            Returned::Text(context.should_full_promote(&new_status).unwrap_or_default())
        }
        Method::IsRollbackWithinWindow => Returned::Bool(context.is_rollback_within_window()),
        Method::ReconcileStableAndCanaryService => {
            context.reconcile_stable_and_canary_service();
            Returned::Nothing
        }
        Method::ScaleDeployment(target) => {
            context.scale_deployment(target);
            Returned::Nothing
        }
        Method::CalculateDesiredWeightOnAbortOrStableRollback => Returned::Int(
            super::trafficrouting::desired_weight_on_abort_or_stable_rollback(&context),
        ),
    }
}

/// `getReplicaSetsForRollouts`: the names of the ReplicaSets the Rollout owns.
pub(crate) fn replica_sets_for_rollout(cluster: &Cluster, rollout: &Rollout) -> Vec<String> {
    super::replicaset::replica_sets_for_rollout(cluster, rollout)
        .into_iter()
        .map(|rs| rs.metadata.name)
        .collect()
}
