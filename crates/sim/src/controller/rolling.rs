//! One RollingUpdate step (upstream `rolling.go`): grow the new ReplicaSet within the surge
//! budget, or shrink old ReplicaSets within the availability budget.

use super::features::FeatureGates;
use super::sort_by_less;
use super::sync::scale_replica_set_and_record_event;
use super::util::{
    is_active, max_unavailable, new_rs_new_replicas, replica_count, replica_set_created_before,
};
use super::ControllerError;
use crate::objects::{Deployment, ReplicaSet};

/// Scale-up step: moves the new ReplicaSet toward `replicas` as far as the surge budget
/// allows (or back down to `replicas` if it overshot). Returns whether it was resized.
pub fn reconcile_new_replica_set(
    d: &Deployment,
    new_rs: &mut ReplicaSet,
    old_rss: &[ReplicaSet],
    gates: &FeatureGates,
) -> Result<bool, ControllerError> {
    if new_rs.spec.replicas == d.spec.replicas {
        return Ok(false);
    }
    if new_rs.spec.replicas > d.spec.replicas {
        return Ok(scale_replica_set_and_record_event(
            new_rs,
            d.spec.replicas,
            d,
        ));
    }
    let all: Vec<&ReplicaSet> = old_rss.iter().chain(std::iter::once(&*new_rs)).collect();
    let new_replicas = new_rs_new_replicas(d, &all, new_rs, gates)?;
    Ok(scale_replica_set_and_record_event(new_rs, new_replicas, d))
}

/// Scale-down step: removes old pods while keeping `replicas − maxUnavailable` available.
/// Unavailable old pods go first (they cost no availability); then available ones, oldest
/// ReplicaSet first. Returns whether anything was scaled down.
///
/// `old_rss` may include scaled-down (inactive) ReplicaSets; they are ignored, exactly as
/// upstream's caller filters them out.
pub fn reconcile_old_replica_sets(
    d: &Deployment,
    old_rss: &mut [ReplicaSet],
    new_rs: &ReplicaSet,
) -> bool {
    let old_pods = replica_count(old_rss.iter().filter(|rs| is_active(rs)));
    if old_pods == 0 {
        return false;
    }
    let all_pods = old_pods.saturating_add(new_rs.spec.replicas);
    let min_available = d.spec.replicas.saturating_sub(max_unavailable(d));
    // New pods that are not available yet already use up part of the unavailability budget.
    let new_unavailable = new_rs
        .spec
        .replicas
        .saturating_sub(new_rs.status.available_replicas);
    let max_scaled_down = all_pods
        .saturating_sub(min_available)
        .saturating_sub(new_unavailable);
    if max_scaled_down <= 0 {
        return false;
    }
    // Errors mean "a ReplicaSet status is behind its spec": wait for the next pass.
    let Ok(cleaned) = cleanup_unhealthy_replicas(old_rss, d, max_scaled_down) else {
        return false;
    };
    let Ok(scaled_down) = scale_down_old_replica_sets_for_rolling_update(old_rss, Some(new_rs), d)
    else {
        return false;
    };
    cleaned.saturating_add(scaled_down) > 0
}

/// Removes up to `max_cleanup_count` old pods that are not available anyway, oldest
/// ReplicaSet first, so a broken old revision cannot block the rollout. Returns how many.
pub fn cleanup_unhealthy_replicas(
    old_rss: &mut [ReplicaSet],
    d: &Deployment,
    max_cleanup_count: i32,
) -> Result<i32, ControllerError> {
    sort_by_less(old_rss, replica_set_created_before);
    let mut total_scaled_down = 0i32;
    for rs in old_rss.iter_mut() {
        if total_scaled_down >= max_cleanup_count {
            break;
        }
        if rs.spec.replicas == 0 || rs.spec.replicas == rs.status.available_replicas {
            continue;
        }
        let unhealthy = rs
            .spec
            .replicas
            .saturating_sub(rs.status.available_replicas);
        let scaled_down = (max_cleanup_count - total_scaled_down).min(unhealthy);
        let new_replicas = rs.spec.replicas - scaled_down;
        if new_replicas > rs.spec.replicas {
            // More available than desired: an earlier scale-down is still in flight.
            return Err(ControllerError::InvalidScaleDown {
                replica_set: rs.metadata.name.clone(),
                from: rs.spec.replicas,
                to: new_replicas,
            });
        }
        scale_replica_set_and_record_event(rs, new_replicas, d);
        total_scaled_down = total_scaled_down.saturating_add(scaled_down);
    }
    Ok(total_scaled_down)
}

/// Scales old ReplicaSets down by as many available pods as exceed
/// `replicas − maxUnavailable`, oldest ReplicaSet first. Returns how many were removed.
pub fn scale_down_old_replica_sets_for_rolling_update(
    old_rss: &mut [ReplicaSet],
    new_rs: Option<&ReplicaSet>,
    d: &Deployment,
) -> Result<i32, ControllerError> {
    let min_available = d.spec.replicas.saturating_sub(max_unavailable(d));
    // Pods of already scaled-down ReplicaSets are on their way out; they do not count.
    let available = old_rss
        .iter()
        .filter(|rs| is_active(rs))
        .chain(new_rs)
        .fold(0i32, |sum, rs| {
            sum.saturating_add(rs.status.available_replicas)
        });
    if available <= min_available {
        return Ok(0);
    }
    sort_by_less(old_rss, replica_set_created_before);
    let budget = available - min_available;
    let mut total_scaled_down = 0i32;
    for rs in old_rss.iter_mut() {
        if total_scaled_down >= budget {
            break;
        }
        if rs.spec.replicas == 0 {
            continue;
        }
        let scale_down = rs.spec.replicas.min(budget - total_scaled_down);
        let new_replicas = rs.spec.replicas - scale_down;
        if new_replicas > rs.spec.replicas {
            return Err(ControllerError::InvalidScaleDown {
                replica_set: rs.metadata.name.clone(),
                from: rs.spec.replicas,
                to: new_replicas,
            });
        }
        scale_replica_set_and_record_event(rs, new_replicas, d);
        total_scaled_down = total_scaled_down.saturating_add(scale_down);
    }
    Ok(total_scaled_down)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Time;
    use crate::objects::{IntOrString, RollingUpdateDeployment};

    /// "25%" stays a percentage, "2" becomes the integer 2.
    fn fencepost(value: &str) -> IntOrString {
        value
            .parse::<i32>()
            .map_or_else(|_| value.into(), IntOrString::Int)
    }

    fn deployment(replicas: i32, surge: &str, unavailable: &str) -> Deployment {
        let mut d = Deployment::default();
        d.spec.replicas = replicas;
        d.spec.strategy.rolling_update = Some(RollingUpdateDeployment {
            max_surge: Some(fencepost(surge)),
            max_unavailable: Some(fencepost(unavailable)),
        });
        d
    }

    fn rs(name: &str, replicas: i32, available: i32, created: i64) -> ReplicaSet {
        let mut rs = ReplicaSet::default();
        rs.metadata.name = name.into();
        rs.metadata.creation_timestamp = Some(Time(created));
        rs.spec.replicas = replicas;
        rs.status.replicas = replicas;
        rs.status.available_replicas = available;
        rs
    }

    /// Every pod becomes available before the next pass.
    fn settle(rs: &mut ReplicaSet) {
        rs.status.replicas = rs.spec.replicas;
        rs.status.available_replicas = rs.spec.replicas;
    }

    #[test]
    fn ten_replicas_at_25_percent_roll_out_in_five_passes() {
        let d = deployment(10, "25%", "25%");
        let gates = FeatureGates::default();
        let mut old = vec![rs("web-old", 10, 10, 0)];
        let mut new = rs("web-new", 0, 0, 1);
        let mut trace = Vec::new();

        // Pass 1: the new RS is created at NewRSNewReplicas, then the same pass scales old down.
        let all: Vec<&ReplicaSet> = old.iter().chain(std::iter::once(&new)).collect();
        new.spec.replicas = new_rs_new_replicas(&d, &all, &new, &gates).unwrap_or(-1);
        assert!(!reconcile_new_replica_set(&d, &mut new, &old, &gates).unwrap_or(true));
        assert!(reconcile_old_replica_sets(&d, &mut old, &new));
        trace.push((new.spec.replicas, old[0].spec.replicas));

        for _ in 0..4 {
            settle(&mut new);
            settle(&mut old[0]);
            if !reconcile_new_replica_set(&d, &mut new, &old, &gates).unwrap_or(false) {
                assert!(reconcile_old_replica_sets(&d, &mut old, &new));
            }
            trace.push((new.spec.replicas, old[0].spec.replicas));
        }
        assert_eq!(trace, vec![(3, 8), (5, 8), (5, 3), (10, 3), (10, 0)]);
    }

    #[test]
    fn unavailable_new_pods_keep_old_pods_from_being_removed() {
        // 13 pods, floor 8, 5 new pods crash-looping: 13 − 8 − 5 = 0.
        let d = deployment(10, "3", "2");
        let mut old = vec![rs("web-old", 8, 7, 0)];
        let new = rs("web-new", 5, 0, 1);
        assert!(!reconcile_old_replica_sets(&d, &mut old, &new));
        assert_eq!(old[0].spec.replicas, 8);
    }

    #[test]
    fn unhealthy_old_pods_are_removed_before_healthy_ones() {
        let d = deployment(10, "0", "2");
        let mut old = vec![rs("web-old", 10, 9, 0)];
        let new = rs("web-new", 0, 0, 1);
        assert!(reconcile_old_replica_sets(&d, &mut old, &new));
        // One unhealthy pod cleaned up, then one available pod within the budget of 2.
        assert_eq!(old[0].spec.replicas, 8);
    }

    #[test]
    fn an_old_replica_set_reporting_more_available_than_desired_pauses_the_scale_down() {
        // web-a was scaled to 8 but still reports 10 available: wait for its status to catch up.
        let d = deployment(10, "0", "2");
        let mut old = vec![rs("web-a", 8, 10, 0), rs("web-b", 2, 0, 1)];
        let new = rs("web-new", 0, 0, 2);
        assert!(!reconcile_old_replica_sets(&d, &mut old, &new));
        assert_eq!((old[0].spec.replicas, old[1].spec.replicas), (8, 2));
        assert_eq!(
            cleanup_unhealthy_replicas(&mut old, &d, 5),
            Err(ControllerError::InvalidScaleDown {
                replica_set: "web-a".into(),
                from: 8,
                to: 10
            })
        );
    }

    #[test]
    fn a_new_replica_set_above_the_desired_size_is_scaled_back_down() {
        let d = deployment(10, "2", "0");
        let old = vec![rs("web-old", 2, 2, 0)];
        let mut new = rs("web-new", 11, 11, 1);
        assert_eq!(
            reconcile_new_replica_set(&d, &mut new, &old, &FeatureGates::default()),
            Ok(true)
        );
        assert_eq!(new.spec.replicas, 10);
    }
}
