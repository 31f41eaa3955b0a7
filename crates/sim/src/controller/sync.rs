//! Scaling events, proportional scaling, history cleanup and status (upstream `sync.go`).

use super::features::FeatureGates;
use super::sort_by_less;
use super::util::{
    actual_replica_count, available_replica_count, get_replica_set_proportion,
    has_revision_history_limit, is_active, is_rolling_update, is_saturated, max_surge,
    max_unavailable, new_deployment_condition, ready_replica_count, replica_set_created_before,
    replica_set_revision_before, replicas_annotations_need_update, set_deployment_condition,
    set_replicas_annotations, terminating_replica_count, MINIMUM_REPLICAS_AVAILABLE,
    MINIMUM_REPLICAS_UNAVAILABLE,
};
use crate::clock::Time;
use crate::objects::{
    ConditionStatus, Deployment, DeploymentCondition, DeploymentConditionType, DeploymentStatus,
    ReplicaSet, ReplicaSetConditionType,
};

/// Sets `rs` to `new_scale` and stamps it with the Deployment's current desired/max sizes.
/// Returns true only when the size changed (an annotation-only refresh is not "scaling").
pub fn scale_replica_set(rs: &mut ReplicaSet, new_scale: i32, d: &Deployment) -> bool {
    let max_replicas = d.spec.replicas.saturating_add(max_surge(d));
    let size_needs_update = rs.spec.replicas != new_scale;
    if size_needs_update || replicas_annotations_need_update(rs, d.spec.replicas, max_replicas) {
        rs.spec.replicas = new_scale;
        set_replicas_annotations(rs, d.spec.replicas, max_replicas);
    }
    size_needs_update
}

/// Like [`scale_replica_set`], but leaves a ReplicaSet that already has the size untouched
/// (annotations included). Upstream records the `ScalingReplicaSet` event here.
pub fn scale_replica_set_and_record_event(
    rs: &mut ReplicaSet,
    new_scale: i32,
    d: &Deployment,
) -> bool {
    if rs.spec.replicas == new_scale {
        return false;
    }
    scale_replica_set(rs, new_scale, d)
}

/// With a single active ReplicaSet (or none) there is nothing to apportion: that one (or
/// the newest one) simply takes the whole size. Returns `None` when several are active.
fn find_active_or_latest<'a>(
    new_rs: Option<&'a mut ReplicaSet>,
    old_rss: &'a mut [ReplicaSet],
) -> Option<&'a mut ReplicaSet> {
    if new_rs.is_none() && old_rss.is_empty() {
        return None;
    }
    sort_by_less(old_rss, |a, b| replica_set_created_before(b, a));
    let active = old_rss.iter().filter(|rs| is_active(rs)).count()
        + usize::from(new_rs.as_ref().is_some_and(|rs| is_active(rs)));
    match active {
        0 => match new_rs {
            Some(new_rs) => Some(new_rs),
            None => old_rss.first_mut(),
        },
        1 => match new_rs {
            Some(new_rs) if is_active(new_rs) => Some(new_rs),
            _ => old_rss.iter_mut().find(|rs| is_active(rs)),
        },
        _ => None,
    }
}

/// Applies a change of `spec.replicas` to the ReplicaSets without rolling anything out.
///
/// Mid-rollout there are several active ReplicaSets; each keeps its *share* of the pods, so a
/// 50/50 rollout stays 50/50 after `kubectl scale`. The share is measured against the
/// max-replicas annotation each ReplicaSet got when it was last sized. Whatever rounding
/// leaves over goes to the largest ReplicaSet. Returns whether any size changed.
pub fn scale(d: &Deployment, new_rs: Option<&mut ReplicaSet>, old_rss: &mut [ReplicaSet]) -> bool {
    if active_or_latest_exists(new_rs.as_deref(), old_rss) {
        if let Some(rs) = find_active_or_latest(new_rs, old_rss) {
            if rs.spec.replicas == d.spec.replicas {
                return false;
            }
            return scale_replica_set_and_record_event(rs, d.spec.replicas, d);
        }
        return false;
    }

    // A fully available new ReplicaSet (e.g. after adopting old ones) makes the rest redundant.
    if is_saturated(d, new_rs.as_deref()) {
        let mut scaled = false;
        for old in old_rss.iter_mut().filter(|rs| is_active(rs)) {
            scaled |= scale_replica_set_and_record_event(old, 0, d);
        }
        return scaled;
    }

    // Recreate never has two active ReplicaSets for long; it is not apportioned.
    if !is_rolling_update(d) {
        return false;
    }

    let mut all: Vec<&mut ReplicaSet> = old_rss
        .iter_mut()
        .chain(new_rs)
        .filter(|rs| is_active(rs))
        .collect();
    let all_replicas = all
        .iter()
        .fold(0i32, |sum, rs| sum.saturating_add(rs.spec.replicas));
    let allowed_size = if d.spec.replicas > 0 {
        d.spec.replicas.saturating_add(max_surge(d))
    } else {
        0
    };
    let to_add = allowed_size.saturating_sub(all_replicas);

    // Largest first. On equal sizes, growth goes to newer ReplicaSets first and shrinking hits
    // older ones first, so the rollout direction is favoured either way.
    if to_add > 0 {
        sort_by_less(&mut all, |a, b| {
            if a.spec.replicas == b.spec.replicas {
                replica_set_created_before(b, a)
            } else {
                a.spec.replicas > b.spec.replicas
            }
        });
    } else if to_add < 0 {
        sort_by_less(&mut all, |a, b| {
            if a.spec.replicas == b.spec.replicas {
                replica_set_created_before(a, b)
            } else {
                a.spec.replicas > b.spec.replicas
            }
        });
    }

    let mut added = 0i32;
    let mut new_sizes: Vec<i32> = Vec::with_capacity(all.len());
    for rs in &all {
        if to_add == 0 {
            new_sizes.push(rs.spec.replicas);
            continue;
        }
        let proportion = get_replica_set_proportion(rs, d, to_add, added);
        new_sizes.push(rs.spec.replicas.saturating_add(proportion));
        added = added.saturating_add(proportion);
    }
    if let Some(first) = new_sizes.first_mut() {
        if to_add != 0 {
            *first = first.saturating_add(to_add.saturating_sub(added)).max(0);
        }
    }

    let mut scaled = false;
    for (rs, size) in all.into_iter().zip(new_sizes) {
        scaled |= scale_replica_set(rs, size, d);
    }
    scaled
}

fn active_or_latest_exists(new_rs: Option<&ReplicaSet>, old_rss: &[ReplicaSet]) -> bool {
    if new_rs.is_none() && old_rss.is_empty() {
        return false;
    }
    let active = old_rss.iter().filter(|rs| is_active(rs)).count()
        + usize::from(new_rs.is_some_and(is_active));
    active <= 1
}

/// Which old ReplicaSets to delete so that at most `revisionHistoryLimit` remain for undo.
/// Lowest revisions go first; a ReplicaSet that still has pods, is not fully observed, or is
/// already being deleted is skipped without a substitute. Returns the names to delete.
pub fn cleanup_deployment(
    d: &Deployment,
    old_rss: &[ReplicaSet],
    gates: &FeatureGates,
) -> Vec<String> {
    let Some(limit) = d
        .spec
        .revision_history_limit
        .filter(|_| has_revision_history_limit(d))
    else {
        return Vec::new();
    };
    let mut cleanable: Vec<&ReplicaSet> = old_rss
        .iter()
        .filter(|rs| rs.metadata.deletion_timestamp.is_none())
        .collect();
    let excess = cleanable.len() as i64 - i64::from(limit);
    if excess <= 0 {
        return Vec::new();
    }
    sort_by_less(&mut cleanable, |a, b| replica_set_revision_before(a, b));
    let mut doomed = Vec::new();
    for rs in cleanable.into_iter().take(excess as usize) {
        let has_pods = rs.status.replicas != 0 || rs.spec.replicas != 0;
        let not_observed = rs.metadata.generation > rs.status.observed_generation;
        // Pods still shutting down would be orphaned; an unknown count is treated as "some".
        let terminating = gates.deployment_replica_set_terminating_replicas
            && rs
                .status
                .terminating_replicas
                .is_none_or(|terminating| terminating != 0);
        if has_pods || not_observed || terminating {
            continue;
        }
        doomed.push(rs.metadata.name.clone());
    }
    doomed
}

/// The Deployment status implied by its ReplicaSets, with the Available condition refreshed.
pub fn calculate_status(
    d: &Deployment,
    old_rss: &[ReplicaSet],
    new_rs: Option<&ReplicaSet>,
    gates: &FeatureGates,
    now: Time,
) -> DeploymentStatus {
    let all = || old_rss.iter().chain(new_rs);
    let available = available_replica_count(all());
    let total = super::util::replica_count(all());
    let mut status = DeploymentStatus {
        observed_generation: d.metadata.generation,
        replicas: actual_replica_count(all()),
        updated_replicas: actual_replica_count(new_rs),
        ready_replicas: ready_replica_count(all()),
        available_replicas: available,
        // Negative while scaling down (more pods than desired); that is not "unavailable".
        unavailable_replicas: total.saturating_sub(available).max(0),
        terminating_replicas: if gates.deployment_replica_set_terminating_replicas {
            terminating_replica_count(all())
        } else {
            None
        },
        conditions: d.status.conditions.clone(),
        collision_count: d.status.collision_count,
    };
    let condition = if available >= d.spec.replicas.saturating_sub(max_unavailable(d)) {
        new_deployment_condition(
            DeploymentConditionType::Available,
            ConditionStatus::True,
            MINIMUM_REPLICAS_AVAILABLE,
            "Deployment has minimum availability.".to_string(),
            now,
        )
    } else {
        new_deployment_condition(
            DeploymentConditionType::Available,
            ConditionStatus::False,
            MINIMUM_REPLICAS_UNAVAILABLE,
            "Deployment does not have minimum availability.".to_string(),
            now,
        )
    };
    set_deployment_condition(&mut status, condition);
    status
}

/// ReplicaFailure conditions to surface on the Deployment: the new ReplicaSet's if it has
/// any, else those of the old ones.
pub fn get_replica_failures(
    old_rss: &[ReplicaSet],
    new_rs: Option<&ReplicaSet>,
) -> Vec<DeploymentCondition> {
    let failures_of = |rs: &ReplicaSet| -> Vec<DeploymentCondition> {
        rs.status
            .conditions
            .iter()
            .filter(|c| c.type_ == ReplicaSetConditionType::ReplicaFailure)
            .map(|c| DeploymentCondition {
                type_: DeploymentConditionType::ReplicaFailure,
                status: c.status,
                last_update_time: c.last_transition_time,
                last_transition_time: c.last_transition_time,
                reason: c.reason.clone(),
                message: c.message.clone(),
            })
            .collect()
    };
    let from_new = new_rs.map(failures_of).unwrap_or_default();
    if !from_new.is_empty() {
        return from_new;
    }
    old_rss.iter().chain(new_rs).flat_map(failures_of).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controller::util::{DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION};
    use crate::objects::RollingUpdateDeployment;

    fn deployment(replicas: i32, surge: i32, unavailable: i32) -> Deployment {
        let mut d = Deployment::default();
        d.spec.replicas = replicas;
        d.spec.strategy.rolling_update = Some(RollingUpdateDeployment {
            max_surge: Some(surge.into()),
            max_unavailable: Some(unavailable.into()),
        });
        d
    }

    /// A ReplicaSet created `age` minutes before the newest one, last sized for
    /// `desired` replicas with `max` allowed.
    fn rs(name: &str, replicas: i32, age: i64, desired: i32, max: i32) -> ReplicaSet {
        let mut rs = ReplicaSet::default();
        rs.metadata.name = name.into();
        rs.spec.replicas = replicas;
        rs.metadata.creation_timestamp = Some(Time(1_000_000 - age * 60_000));
        rs.metadata
            .annotations
            .insert(DESIRED_REPLICAS_ANNOTATION.into(), desired.to_string());
        rs.metadata
            .annotations
            .insert(MAX_REPLICAS_ANNOTATION.into(), max.to_string());
        rs
    }

    #[test]
    fn scaling_up_mid_rollout_keeps_each_replica_set_share() {
        let d = deployment(10, 0, 0);
        let mut new = rs("foo-v2", 2, 0, 5, 5);
        let mut old = [rs("foo-v1", 3, 1, 5, 5)];
        assert!(scale(&d, Some(&mut new), &mut old));
        assert_eq!((new.spec.replicas, old[0].spec.replicas), (4, 6));
    }

    #[test]
    fn scaling_down_mid_rollout_shrinks_every_replica_set_proportionally() {
        let d = deployment(8, 0, 0);
        let mut new = rs("foo-v3", 2, 0, 13, 13);
        let mut old = [rs("foo-v2", 8, 1, 13, 13), rs("foo-v1", 3, 2, 13, 13)];
        scale(&d, Some(&mut new), &mut old);
        let sizes: Vec<(&str, i32)> = old.iter().map(|rs| (rs.name(), rs.spec.replicas)).collect();
        assert_eq!(new.spec.replicas, 1);
        assert!(
            sizes.contains(&("foo-v2", 5)) && sizes.contains(&("foo-v1", 2)),
            "{sizes:?}"
        );
    }

    #[test]
    fn the_rounding_leftover_goes_to_the_first_replica_set_in_scaling_order() {
        let d = deployment(4, 0, 0);
        let mut new = rs("foo-v3", 1, 0, 3, 3);
        let mut old = [rs("foo-v2", 1, 1, 3, 3), rs("foo-v1", 1, 2, 3, 3)];
        scale(&d, Some(&mut new), &mut old);
        assert_eq!(new.spec.replicas, 2);
        assert!(old.iter().all(|rs| rs.spec.replicas == 1));
    }

    #[test]
    fn shrinking_equal_replica_sets_takes_from_the_oldest_first() {
        let d = deployment(2, 0, 0);
        let mut new = rs("foo-v3", 1, 0, 3, 3);
        let mut old = [rs("foo-v2", 1, 1, 3, 3), rs("foo-v1", 1, 2, 3, 3)];
        scale(&d, Some(&mut new), &mut old);
        let v1 = old
            .iter()
            .find(|rs| rs.name() == "foo-v1")
            .map(|rs| rs.spec.replicas);
        assert_eq!(v1, Some(0));
        assert_eq!(new.spec.replicas, 1);
    }

    #[test]
    fn a_larger_surge_grows_replica_sets_by_the_new_maximum() {
        // 10 replicas (+3 surge) become 50 (+6): each ReplicaSet scales by 56/13.
        let mut d = Deployment::default();
        d.spec.replicas = 50;
        d.spec.strategy.rolling_update = Some(RollingUpdateDeployment {
            max_surge: Some("12%".into()),
            max_unavailable: Some("25%".into()),
        });
        let mut new = rs("foo-v2", 5, 0, 10, 13);
        let mut old = [rs("foo-v1", 8, 1, 10, 13)];
        scale(&d, Some(&mut new), &mut old);
        assert_eq!((new.spec.replicas, old[0].spec.replicas), (22, 34));
    }

    #[test]
    fn a_single_active_replica_set_takes_the_whole_size() {
        let d = deployment(12, 0, 0);
        let mut new = rs("foo-v1", 10, 0, 10, 10);
        assert!(scale(&d, Some(&mut new), &mut []));
        assert_eq!(new.spec.replicas, 12);
        assert_eq!(
            new.metadata.annotation(DESIRED_REPLICAS_ANNOTATION),
            Some("12")
        );
    }

    #[test]
    fn history_cleanup_deletes_lowest_revisions_that_have_no_pods() {
        let mut d = Deployment::default();
        d.spec.revision_history_limit = Some(1);
        let mut old = Vec::new();
        for (name, replicas) in [("foo-1", 0), ("foo-2", 0), ("foo-3", 0)] {
            let mut rs = ReplicaSet::default();
            rs.metadata.name = name.into();
            rs.spec.replicas = replicas;
            old.push(rs);
        }
        assert_eq!(
            cleanup_deployment(&d, &old, &FeatureGates::default()),
            vec!["foo-1", "foo-2"]
        );
    }
}
