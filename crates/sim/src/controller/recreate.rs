//! The Recreate strategy (upstream `recreate.go`): all old pods stop before any new one starts.

use super::sync::scale_replica_set_and_record_event;
use crate::objects::{Deployment, Pod, PodPhase, ReplicaSet};
use std::collections::BTreeMap;

/// Scales every old ReplicaSet to 0. Returns whether any was resized.
pub fn scale_down_old_replica_sets_for_recreate(
    old_rss: &mut [ReplicaSet],
    d: &Deployment,
) -> bool {
    let mut scaled = false;
    for rs in old_rss.iter_mut().filter(|rs| rs.spec.replicas != 0) {
        scaled |= scale_replica_set_and_record_event(rs, 0, d);
    }
    scaled
}

/// Whether any old pod may still be running, so the new ReplicaSet must not start yet.
/// `pods_by_rs_uid` maps an owning ReplicaSet's UID to its pods. A pod whose phase is unknown
/// or unset might be running, so it counts; only Succeeded and Failed pods are surely gone.
pub fn old_pods_running(
    new_rs: Option<&ReplicaSet>,
    old_rss: &[ReplicaSet],
    pods_by_rs_uid: &BTreeMap<String, Vec<Pod>>,
) -> bool {
    if super::util::actual_replica_count(old_rss) > 0 {
        return true;
    }
    pods_by_rs_uid
        .iter()
        .filter(|(uid, _)| new_rs.is_none_or(|new_rs| &new_rs.metadata.uid != *uid))
        .flat_map(|(_, pods)| pods)
        .any(|pod| {
            !matches!(
                pod.status.phase,
                Some(PodPhase::Succeeded) | Some(PodPhase::Failed)
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(phase: Option<PodPhase>) -> Pod {
        let mut pod = Pod::default();
        pod.status.phase = phase;
        pod
    }

    #[test]
    fn finished_pods_do_not_hold_back_the_new_replica_set() {
        let pods = BTreeMap::from([(
            "old".to_string(),
            vec![pod(Some(PodPhase::Failed)), pod(Some(PodPhase::Succeeded))],
        )]);
        assert!(!old_pods_running(None, &[ReplicaSet::default()], &pods));
    }

    #[test]
    fn pods_with_an_unknown_phase_might_still_run() {
        let pods = BTreeMap::from([("old".to_string(), vec![pod(None)])]);
        assert!(old_pods_running(None, &[], &pods));
        let pods = BTreeMap::from([("old".to_string(), vec![pod(Some(PodPhase::Unknown))])]);
        assert!(old_pods_running(None, &[], &pods));
    }

    #[test]
    fn pods_of_the_new_replica_set_are_not_old_pods() {
        let mut new_rs = ReplicaSet::default();
        new_rs.metadata.uid = "new".into();
        let pods = BTreeMap::from([("new".to_string(), vec![pod(Some(PodPhase::Running))])]);
        assert!(!old_pods_running(Some(&new_rs), &[], &pods));
    }

    #[test]
    fn every_old_replica_set_goes_to_zero_at_once() {
        let mut d = Deployment::default();
        d.spec.replicas = 3;
        let mut old = [ReplicaSet::default(), ReplicaSet::default()];
        old[0].spec.replicas = 3;
        assert!(scale_down_old_replica_sets_for_recreate(&mut old, &d));
        assert!(old.iter().all(|rs| rs.spec.replicas == 0));
    }
}
