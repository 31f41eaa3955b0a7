//! kube-scheduler: places each pod without a node on a node where it fits
//! (`pkg/scheduler/schedule_one.go`).
//!
//! One scheduling cycle per pending pod, in the order kube-scheduler's queue would hand them
//! over (the store's order; every pod has priority 0): run the Filter plugins on every node
//! ([`plugins`], in the default profile's order — NodeUnschedulable, TaintToleration,
//! NodeAffinity, NodeResourcesFit), score the nodes left, and pick the best. A pod that fits
//! nowhere gets a [`FitError`] whose text is the `FailedScheduling` event's.
//!
//! Scoring keeps the lab's spreading first — fewest pods of the same owner, as the default
//! PodTopologySpread constraints (hostname, `ScheduleAnyway`) would — then LeastAllocated,
//! then the fewest pods, then the cluster's seeded RNG among equals.
//!
//! The scheduler only decides; the kubelet module binds (`kubelet::lifecycle`).

pub mod framework;
pub mod plugins;

use crate::apiserver::{ObjectKey, Store};
use crate::objects::{ConditionStatus, Pod, PodConditionType, PodPhase};
use crate::rng::Rng;
use framework::{Diagnosis, FitError, NodeInfo, Resource, Status};
use plugins::{nodeaffinity, noderesources, nodeunschedulable, podtopologyspread, tainttoleration};
use std::collections::BTreeMap;

/// The scheduler kube-scheduler answers for (`spec.schedulerName`).
pub const DEFAULT_SCHEDULER_NAME: &str = "default-scheduler";

/// Where a pending pod goes.
#[derive(Clone, Debug)]
pub enum Decision {
    Bind(String),
    Unschedulable(FitError),
}

/// Whether the scheduler's cache holds the pod: bound, and not finished (its informer skips
/// Succeeded and Failed pods). A terminating pod still holds its room until it is gone.
fn holds_room(pod: &Pod) -> bool {
    !pod.spec.node_name.is_empty()
        && !matches!(
            pod.status.phase,
            Some(PodPhase::Succeeded) | Some(PodPhase::Failed)
        )
}

/// The node whose room `pod` takes in the scheduler's cache, and its requests, if it holds
/// any (what [`node_infos`] adds up, for a reader that keeps per-pod figures between reads).
pub fn room_taken(pod: &Pod) -> Option<(&str, Resource)> {
    holds_room(pod).then(|| {
        (
            pod.spec.node_name.as_str(),
            noderesources::pod_requests(pod),
        )
    })
}

/// A pod kube-scheduler would take from its queue.
fn is_pending(pod: &Pod) -> bool {
    pod.spec.node_name.is_empty()
        && pod.metadata.deletion_timestamp.is_none()
        && pod
            .spec
            .scheduler_name
            .as_deref()
            .is_none_or(|name| name == DEFAULT_SCHEDULER_NAME)
}

/// The Filter plugins, in the default profile's order; the first that refuses the node
/// gives its status.
fn run_filters(pod: &Pod, request: &Resource, node: &NodeInfo) -> Option<Status> {
    let tolerations = tainttoleration::tolerations(pod);
    nodeunschedulable::filter(&tolerations, node)
        .or_else(|| tainttoleration::filter(&tolerations, node))
        .or_else(|| nodeaffinity::filter(pod, node))
        .or_else(|| noderesources::filter(request, node))
}

/// Whether an earlier cycle found no node for the pod (it waits in kube-scheduler's
/// unschedulable pool).
fn was_unschedulable(pod: &Pod) -> bool {
    pod.status
        .conditions
        .iter()
        .any(|c| c.type_ == PodConditionType::PodScheduled && c.status == ConditionStatus::False)
}

/// The scheduler's cache: every node with what the pods bound to it (and not finished)
/// request, as the scheduling cycle and the page's node lanes see it.
pub fn node_infos(store: &Store) -> Vec<NodeInfo<'_>> {
    let mut nodes: Vec<NodeInfo> = store.nodes.values().map(NodeInfo::new).collect();
    let index: BTreeMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.name(), i))
        .collect();
    for pod in store.pods.values().filter(|p| holds_room(p)) {
        if let Some(&n) = index.get(pod.spec.node_name.as_str()) {
            assume(&mut nodes[n], pod);
        }
    }
    nodes
}

/// One scheduling cycle for every pending pod (those found unschedulable before only when
/// `retry_unschedulable`); pods placed earlier in the pass count on their node for the
/// pods after them (the scheduler's assumed pods).
pub fn schedule_pending(
    store: &Store,
    rng: &mut Rng,
    retry_unschedulable: bool,
) -> Vec<(ObjectKey, Decision)> {
    let pending: Vec<(&ObjectKey, &Pod)> = store
        .pods
        .iter()
        .filter(|(_, pod)| is_pending(pod) && (retry_unschedulable || !was_unschedulable(pod)))
        .map(|(key, pod)| (key, pod.as_ref()))
        .collect();
    if pending.is_empty() {
        return Vec::new();
    }
    let mut nodes = node_infos(store);
    let index: BTreeMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.name(), i))
        .collect();
    // Pods per node of each owner that has a pod to place (the spreading score).
    let mut per_owner: BTreeMap<&str, Vec<usize>> = pending
        .iter()
        .filter_map(|(_, pod)| owner(pod))
        .map(|owner| (owner, vec![0; nodes.len()]))
        .collect();
    for pod in store.pods.values().filter(|p| holds_room(p)) {
        let Some(&n) = index.get(pod.spec.node_name.as_str()) else {
            continue;
        };
        if let Some(counts) = owner(pod).and_then(|o| per_owner.get_mut(o)) {
            counts[n] += 1;
        }
    }

    let mut decisions = Vec::with_capacity(pending.len());
    for (key, pod) in pending {
        let request = noderesources::pod_requests(pod);
        let mut diagnosis = Diagnosis::default();
        let mut feasible = Vec::new();
        let spread = podtopologyspread::pre_filter(pod, &nodes);
        for (n, node) in nodes.iter().enumerate() {
            let refused = run_filters(pod, &request, node).or_else(|| {
                let state = spread.as_ref()?;
                podtopologyspread::filter(pod, state, node)
            });
            match refused {
                Some(status) => {
                    diagnosis
                        .node_to_status
                        .insert(node.name().to_string(), status);
                }
                None => feasible.push(n),
            }
        }
        if feasible.is_empty() {
            let fit_error = FitError {
                num_all_nodes: nodes.len(),
                diagnosis,
            };
            decisions.push((key.clone(), Decision::Unschedulable(fit_error)));
            continue;
        }
        let non_zero = noderesources::non_zero_requests(pod);
        let siblings = |n: usize| {
            owner(pod)
                .and_then(|o| per_owner.get(o))
                .map_or(0, |counts| counts[n])
        };
        // The pod's own `ScheduleAnyway` constraints replace the default spreading.
        let own_constraints = !podtopologyspread::constraints(pod).is_empty();
        let mut spread_scores = vec![0; nodes.len()];
        if let Some(scores) = podtopologyspread::scores(pod, &nodes, &feasible) {
            for (&n, score) in feasible.iter().zip(scores) {
                spread_scores[n] = score.unwrap_or(i64::MAX);
            }
        }
        let spreading = |n: usize| match own_constraints {
            true => spread_scores[n],
            false => siblings(n) as i64,
        };
        // Lower is better: spreading, then LeastAllocated (negated), then fewest pods.
        let score = |n: usize| {
            (
                spreading(n),
                -noderesources::least_allocated_score(&non_zero, &nodes[n]),
                nodes[n].pods,
            )
        };
        let Some(best) = feasible.iter().map(|&n| score(n)).min() else {
            continue;
        };
        let candidates: Vec<usize> = feasible.into_iter().filter(|&n| score(n) == best).collect();
        let drawn = rng.below(candidates.len() as u64) as usize;
        let Some(&pick) = candidates.get(drawn) else {
            continue;
        };
        assume(&mut nodes[pick], pod);
        if let Some(counts) = owner(pod).and_then(|o| per_owner.get_mut(o)) {
            counts[pick] += 1;
        }
        decisions.push((key.clone(), Decision::Bind(nodes[pick].name().to_string())));
    }
    decisions
}

fn owner(pod: &Pod) -> Option<&str> {
    pod.metadata.controller_ref().map(|o| o.uid.as_str())
}

/// `NodeInfo.AddPod`: the pod counts on the node.
fn assume<'a>(node: &mut NodeInfo<'a>, pod: &'a Pod) {
    node.pods += 1;
    node.pod_list.push(pod);
    node.requested.add(&noderesources::pod_requests(pod));
    node.non_zero_requested
        .add(&noderesources::non_zero_requests(pod));
}
