//! Which pods a ReplicaSet deletes first when it shrinks (upstream `ActivePods` and
//! `ActivePodsWithRanks` in `controller_utils.go`). Earlier in the order = deleted first:
//! the cheapest pods to lose — not running, not ready, crash-looping, newest — go first.

use super::features::FeatureGates;
use super::sort_by_less;
use crate::clock::Time;
use crate::objects::{Pod, PodPhase};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Lower deletion cost is deleted first; users set it to protect busy pods.
pub const POD_DELETION_COST_ANNOTATION: &str = "controller.kubernetes.io/pod-deletion-cost";

/// Pending < Unknown < Running; any other phase ranks with Pending.
fn phase_ordinal(pod: &Pod) -> u8 {
    match pod.status.phase {
        Some(PodPhase::Unknown) => 1,
        Some(PodPhase::Running) => 2,
        _ => 0,
    }
}

/// An invalid or missing annotation counts as cost 0.
fn deletion_cost(pod: &Pod) -> i32 {
    pod.metadata
        .annotation(POD_DELETION_COST_ANNOTATION)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Go's `afterOrZero`: an unset time sorts first, otherwise the later time does.
fn after_or_zero(t1: Option<Time>, t2: Option<Time>) -> bool {
    match (t1, t2) {
        (Some(t1), Some(t2)) => t1.after(t2),
        (t1, _) => t1.is_none(),
    }
}

/// Shared rules 1–3: unscheduled, then earlier phase, then not ready go first.
fn compare_lifecycle(a: &Pod, b: &Pod) -> Option<bool> {
    let (node_a, node_b) = (&a.spec.node_name, &b.spec.node_name);
    if node_a != node_b && (node_a.is_empty() || node_b.is_empty()) {
        return Some(node_a.is_empty());
    }
    if phase_ordinal(a) != phase_ordinal(b) {
        return Some(phase_ordinal(a) < phase_ordinal(b));
    }
    if a.is_ready() != b.is_ready() {
        return Some(!a.is_ready());
    }
    None
}

fn compare_restarts(a: &Pod, b: &Pod) -> Option<bool> {
    let (ra, rb) = (a.max_restart_count(), b.max_restart_count());
    (ra != rb).then_some(ra > rb)
}

/// The classic `ActivePods` order (no deletion cost, no ranks, exact times).
pub fn active_pods_less(a: &Pod, b: &Pod) -> bool {
    if let Some(less) = compare_lifecycle(a, b) {
        return less;
    }
    if a.is_ready() && b.is_ready() && a.ready_since() != b.ready_since() {
        return after_or_zero(a.ready_since(), b.ready_since());
    }
    if let Some(less) = compare_restarts(a, b) {
        return less;
    }
    let (ca, cb) = (a.metadata.creation_timestamp, b.metadata.creation_timestamp);
    if ca != cb {
        return after_or_zero(ca, cb);
    }
    false
}

/// Sorts pods in `ActivePods` order, first = deleted first.
pub fn sort_active_pods(pods: &mut [Pod]) {
    sort_by_less(pods, active_pods_less);
}

/// Compares two times by `floor(log2(nanoseconds since))`, so pods of roughly the same age
/// tie (and the UID decides) instead of always deleting the very newest.
fn logarithmic_rank_diff(t1: Time, t2: Time, now: Time) -> Ordering {
    let bucket = |t: Time| -> i64 {
        let nanos = i128::from((now - t).millis()) * 1_000_000;
        if nanos > 0 {
            i64::from(127 - nanos.leading_zeros() as i32)
        } else {
            -1
        }
    };
    bucket(t1).cmp(&bucket(t2))
}

/// Newer (or unset) first; with logarithmic scale-down, by age bucket, then UID.
fn compare_times(
    t1: Option<Time>,
    t2: Option<Time>,
    a: &Pod,
    b: &Pod,
    now: Option<Time>,
    gates: &FeatureGates,
) -> bool {
    match (gates.logarithmic_scale_down, t1, t2, now) {
        (true, Some(t1), Some(t2), Some(now)) => match logarithmic_rank_diff(t1, t2, now) {
            Ordering::Equal => a.metadata.uid < b.metadata.uid,
            order => order == Ordering::Less,
        },
        _ => after_or_zero(t1, t2),
    }
}

/// `ActivePodsWithRanks.Less`. `rank` = how many of the Deployment's active pods share the
/// pod's node: doubled-up pods go first, spreading the survivors. `now` is the instant ages
/// are measured from (`None` = Go's zero time, i.e. exact comparisons).
pub fn active_pods_with_ranks_less(
    a: &Pod,
    rank_a: usize,
    b: &Pod,
    rank_b: usize,
    now: Option<Time>,
    gates: &FeatureGates,
) -> bool {
    if let Some(less) = compare_lifecycle(a, b) {
        return less;
    }
    if gates.pod_deletion_cost && deletion_cost(a) != deletion_cost(b) {
        return deletion_cost(a) < deletion_cost(b);
    }
    if rank_a != rank_b {
        return rank_a > rank_b;
    }
    if a.is_ready() && b.is_ready() && a.ready_since() != b.ready_since() {
        return compare_times(a.ready_since(), b.ready_since(), a, b, now, gates);
    }
    if let Some(less) = compare_restarts(a, b) {
        return less;
    }
    let (ca, cb) = (a.metadata.creation_timestamp, b.metadata.creation_timestamp);
    if ca != cb {
        return compare_times(ca, cb, a, b, now, gates);
    }
    false
}

/// The pods to delete when a ReplicaSet has `diff` too many. `related_pods` are the active
/// pods of every ReplicaSet of the same Deployment, used to find doubled-up nodes.
pub fn pods_to_delete<'a>(
    filtered_pods: &[&'a Pod],
    related_pods: &[&Pod],
    diff: usize,
    now: Time,
    gates: &FeatureGates,
) -> Vec<&'a Pod> {
    let mut pods: Vec<&'a Pod> = filtered_pods.to_vec();
    // Deleting all of them needs no ordering.
    if diff < pods.len() {
        let mut per_node: BTreeMap<&str, usize> = BTreeMap::new();
        for pod in related_pods.iter().filter(|pod| pod.is_active()) {
            *per_node.entry(pod.spec.node_name.as_str()).or_default() += 1;
        }
        let mut ranked: Vec<(&'a Pod, usize)> = pods
            .iter()
            .map(|pod| {
                (
                    *pod,
                    per_node
                        .get(pod.spec.node_name.as_str())
                        .copied()
                        .unwrap_or(0),
                )
            })
            .collect();
        sort_by_less(&mut ranked, |(a, rank_a), (b, rank_b)| {
            active_pods_with_ranks_less(a, *rank_a, b, *rank_b, Some(now), gates)
        });
        pods = ranked.into_iter().map(|(pod, _)| pod).collect();
    }
    pods.truncate(diff);
    pods
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects::{ConditionStatus, PodCondition, PodConditionType};

    const HOUR: i64 = 3_600_000;

    fn pod(name: &str, node: &str, phase: PodPhase, ready_since: Option<Time>) -> Pod {
        let mut pod = Pod::default();
        pod.metadata.name = name.into();
        pod.spec.node_name = node.into();
        pod.status.phase = Some(phase);
        if let Some(since) = ready_since {
            pod.status.conditions.push(PodCondition {
                type_: PodConditionType::Ready,
                status: ConditionStatus::True,
                last_transition_time: Some(since),
                reason: None,
                message: None,
            });
        }
        pod
    }

    #[test]
    fn unscheduled_pending_and_unready_pods_are_deleted_before_ready_ones() {
        let now = Time(100 * HOUR);
        let pods = [
            pod("ready", "n1", PodPhase::Running, Some(Time(0))),
            pod("not-ready", "n1", PodPhase::Running, None),
            pod("pending", "n1", PodPhase::Pending, None),
            pod("unscheduled", "", PodPhase::Pending, None),
        ];
        let refs: Vec<&Pod> = pods.iter().collect();
        let victims = pods_to_delete(&refs, &refs, 3, now, &FeatureGates::default());
        let names: Vec<&str> = victims.iter().map(|p| p.metadata.name.as_str()).collect();
        assert_eq!(names, ["unscheduled", "pending", "not-ready"]);
    }

    #[test]
    fn doubled_up_pods_are_deleted_first() {
        let now = Time(100 * HOUR);
        let crowded = pod("crowded", "n1", PodPhase::Running, Some(Time(0)));
        let neighbour = pod("neighbour", "n1", PodPhase::Running, Some(Time(0)));
        let alone = pod("alone", "n2", PodPhase::Running, Some(Time(90 * HOUR)));
        let related = [&crowded, &neighbour, &alone];
        let victims = pods_to_delete(
            &[&alone, &crowded],
            &related,
            1,
            now,
            &FeatureGates::default(),
        );
        assert_eq!(victims[0].metadata.name, "crowded");
    }

    #[test]
    fn pods_ready_within_the_same_power_of_two_age_tie() {
        let now = Time(100 * HOUR);
        let five = pod("five", "n", PodPhase::Running, Some(Time(95 * HOUR)));
        let eight = pod("eight", "n", PodPhase::Running, Some(Time(92 * HOUR)));
        let gates = FeatureGates::default();
        assert!(!active_pods_with_ranks_less(
            &five,
            1,
            &eight,
            1,
            Some(now),
            &gates
        ));
        assert!(!active_pods_with_ranks_less(
            &eight,
            1,
            &five,
            1,
            Some(now),
            &gates
        ));
        let exact = FeatureGates {
            logarithmic_scale_down: false,
            ..gates
        };
        assert!(active_pods_with_ranks_less(
            &five,
            1,
            &eight,
            1,
            Some(now),
            &exact
        ));
    }
}
