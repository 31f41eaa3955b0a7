//! Upstream's `utils/` packages the controller and the plugin read: label and annotation
//! keys, defaults, conditions and their messages, hashes, and the rollout phase.

pub mod analysis;
pub mod conditions;
pub mod defaults;
pub mod hash;
pub mod phase;

use crate::objects::ReplicaSet;

/// The label every ReplicaSet, pod and managed Service selector of a Rollout carries
/// (`v1alpha1.DefaultRolloutUniqueLabelKey`).
pub const ROLLOUTS_POD_TEMPLATE_HASH: &str = "rollouts-pod-template-hash";
/// `annotations.RevisionAnnotation`, on the Rollout and on each of its ReplicaSets.
pub const REVISION_ANNOTATION: &str = "rollout.argoproj.io/revision";
/// `annotations.RevisionHistoryAnnotation`.
pub const REVISION_HISTORY_ANNOTATION: &str = "rollout.argoproj.io/revision-history";
/// `annotations.DesiredReplicasAnnotation`: the Rollout's size when the ReplicaSet was scaled.
pub const DESIRED_REPLICAS_ANNOTATION: &str = "rollout.argoproj.io/desired-replicas";
/// When an old ReplicaSet is scaled down (`v1alpha1.DefaultReplicaSetScaleDownDeadlineAnnotationKey`).
pub const SCALE_DOWN_DEADLINE_ANNOTATION: &str = "scale-down-deadline";
/// Put on a Service whose selector the controller manages (`v1alpha1.ManagedByRolloutsKey`).
pub const MANAGED_BY_ROLLOUTS_ANNOTATION: &str = "argo-rollouts.argoproj.io/managed-by-rollouts";
/// The controller's name in events (`record.EventOptions` reporting component).
pub const CONTROLLER_NAME: &str = "rollouts-controller";

/// `timeutil.MetaNow()` as it is stored: a `metav1.Time` keeps whole seconds, so a pause
/// that started at 09:00:03.4 started at 09:00:03 for everything that reads it back.
pub fn meta_now(now: crate::clock::Time) -> crate::clock::Time {
    crate::clock::Time(now.0 - now.0.rem_euclid(1000))
}

/// A ReplicaSet's `rollouts-pod-template-hash` label (`GetPodTemplateHash`).
pub fn pod_template_hash(rs: &ReplicaSet) -> &str {
    rs.metadata
        .labels
        .get(ROLLOUTS_POD_TEMPLATE_HASH)
        .map_or("", String::as_str)
}

/// The revision annotation as a number; 0 when absent or unreadable (`Revision`).
pub fn revision_of(annotations: &std::collections::BTreeMap<String, String>) -> i64 {
    annotations
        .get(REVISION_ANNOTATION)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}
