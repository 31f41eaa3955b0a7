//! The Progressing condition and the progress deadline (upstream `progress.go`).

use super::features::FeatureGates;
use super::sync::{calculate_status, get_replica_failures};
use super::util::{
    deployment_complete, deployment_progressing, deployment_timed_out, get_deployment_condition,
    has_progress_deadline, new_deployment_condition, remove_deployment_condition,
    set_deployment_condition, NEW_RS_AVAILABLE_REASON, REPLICA_SET_UPDATED_REASON,
    TIMED_OUT_REASON,
};
use crate::clock::{Duration, Time};
use crate::objects::{
    ConditionStatus, Deployment, DeploymentConditionType, DeploymentStatus, ReplicaSet,
};

/// When the controller should look at a Deployment again to check its progress deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Requeue {
    /// Nothing to wait for (no deadline, complete, already timed out, or the status just
    /// changed — that write triggers the next pass by itself).
    None,
    /// The deadline is less than a second away or past: check again right away (rate limited).
    Now,
    /// Check again after this long (upstream adds one second of slack when enqueuing).
    After(Duration),
}

/// Recomputes the Deployment's status after a rollout step and decides the Progressing
/// condition: complete, progressing (which restarts the deadline clock), or timed out.
pub fn sync_rollout_status(
    d: &mut Deployment,
    old_rss: &[ReplicaSet],
    new_rs: Option<&ReplicaSet>,
    gates: &FeatureGates,
    now: Time,
) -> Requeue {
    let mut new_status = calculate_status(d, old_rss, new_rs, gates, now);
    if !has_progress_deadline(d) {
        remove_deployment_condition(&mut new_status, DeploymentConditionType::Progressing);
    }

    // Once complete, the condition stays put until the next rollout begins.
    let current =
        get_deployment_condition(&d.status, DeploymentConditionType::Progressing).cloned();
    let already_complete = new_status.replicas == new_status.updated_replicas
        && current
            .as_ref()
            .is_some_and(|c| c.reason == NEW_RS_AVAILABLE_REASON);
    if has_progress_deadline(d) && !already_complete {
        let subject = match new_rs {
            Some(rs) => format!("ReplicaSet {:?}", rs.metadata.name),
            None => format!("Deployment {:?}", d.metadata.name),
        };
        if deployment_complete(d, &new_status) {
            let condition = new_deployment_condition(
                DeploymentConditionType::Progressing,
                ConditionStatus::True,
                NEW_RS_AVAILABLE_REASON,
                format!("{subject} has successfully progressed."),
                now,
            );
            set_deployment_condition(&mut new_status, condition);
        } else if deployment_progressing(d, &new_status) {
            let mut condition = new_deployment_condition(
                DeploymentConditionType::Progressing,
                ConditionStatus::True,
                REPLICA_SET_UPDATED_REASON,
                format!("{subject} is progressing."),
                now,
            );
            // Rewrite rather than set: the fresh lastUpdateTime is what restarts the deadline.
            if let Some(current) = &current {
                if current.status == ConditionStatus::True {
                    condition.last_transition_time = current.last_transition_time;
                }
                remove_deployment_condition(&mut new_status, DeploymentConditionType::Progressing);
            }
            set_deployment_condition(&mut new_status, condition);
        } else if deployment_timed_out(d, &new_status, now) {
            let condition = new_deployment_condition(
                DeploymentConditionType::Progressing,
                ConditionStatus::False,
                TIMED_OUT_REASON,
                format!("{subject} has timed out progressing."),
                now,
            );
            set_deployment_condition(&mut new_status, condition);
        }
    }

    match get_replica_failures(old_rss, new_rs).into_iter().next() {
        Some(failure) => set_deployment_condition(&mut new_status, failure),
        None => {
            remove_deployment_condition(&mut new_status, DeploymentConditionType::ReplicaFailure)
        }
    }

    if d.status == new_status {
        return requeue_stuck_deployment(d, &new_status, now);
    }
    d.status = new_status;
    Requeue::None
}

/// Nothing changed in this pass: if the rollout is still running, come back when its
/// deadline would expire so the timeout is noticed even without any other event.
pub fn requeue_stuck_deployment(
    d: &Deployment,
    new_status: &DeploymentStatus,
    now: Time,
) -> Requeue {
    let Some(current) = get_deployment_condition(&d.status, DeploymentConditionType::Progressing)
    else {
        return Requeue::None;
    };
    let Some(deadline) = d
        .spec
        .progress_deadline_seconds
        .filter(|_| has_progress_deadline(d))
    else {
        return Requeue::None;
    };
    if deployment_complete(d, new_status) || current.reason == TIMED_OUT_REASON {
        return Requeue::None;
    }
    let expires =
        current.last_update_time.unwrap_or_default() + Duration::from_secs(i64::from(deadline));
    let after = expires - now;
    if after < Duration::from_secs(1) {
        return Requeue::Now;
    }
    Requeue::After(after)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects::DeploymentCondition;

    fn stuck_deployment(last_update: Time) -> Deployment {
        let mut d = Deployment::default();
        d.spec.replicas = 3;
        d.spec.progress_deadline_seconds = Some(60);
        d.status.conditions.push(DeploymentCondition {
            type_: DeploymentConditionType::Progressing,
            status: ConditionStatus::True,
            last_update_time: Some(last_update),
            last_transition_time: Some(last_update),
            reason: REPLICA_SET_UPDATED_REASON.into(),
            message: String::new(),
        });
        d
    }

    #[test]
    fn a_stuck_deployment_is_rechecked_when_its_deadline_expires() {
        let d = stuck_deployment(Time(0));
        let status = DeploymentStatus {
            replicas: 3,
            updated_replicas: 3,
            available_replicas: 1,
            ..Default::default()
        };
        assert_eq!(
            requeue_stuck_deployment(&d, &status, Time(59_000)),
            Requeue::After(Duration::from_secs(1))
        );
        assert_eq!(
            requeue_stuck_deployment(&d, &status, Time(59_001)),
            Requeue::Now
        );
        assert_eq!(
            requeue_stuck_deployment(&d, &status, Time(120_000)),
            Requeue::Now
        );
    }

    #[test]
    fn no_progress_past_the_deadline_turns_progressing_false() {
        let mut d = stuck_deployment(Time(0));
        let mut new_rs = ReplicaSet::default();
        new_rs.metadata.name = "web-1".into();
        new_rs.spec.replicas = 3;
        d.status.replicas = 0;
        assert_eq!(
            sync_rollout_status(
                &mut d,
                &[],
                Some(&new_rs),
                &FeatureGates::default(),
                Time(61_000)
            ),
            Requeue::None
        );
        let condition = get_deployment_condition(&d.status, DeploymentConditionType::Progressing);
        assert_eq!(
            condition.map(|c| (c.status, c.reason.as_str())),
            Some((ConditionStatus::False, TIMED_OUT_REASON))
        );
        assert_eq!(
            condition.map(|c| c.message.as_str()),
            Some("ReplicaSet \"web-1\" has timed out progressing.")
        );
    }

    #[test]
    fn progress_rewrites_the_condition_so_the_deadline_restarts() {
        let mut d = stuck_deployment(Time(0));
        let mut new_rs = ReplicaSet::default();
        new_rs.spec.replicas = 3;
        new_rs.status.replicas = 1;
        sync_rollout_status(
            &mut d,
            &[],
            Some(&new_rs),
            &FeatureGates::default(),
            Time(30_000),
        );
        let condition = get_deployment_condition(&d.status, DeploymentConditionType::Progressing);
        assert_eq!(
            condition.and_then(|c| c.last_update_time),
            Some(Time(30_000))
        );
        assert_eq!(
            condition.and_then(|c| c.last_transition_time),
            Some(Time(0))
        );
    }
}
