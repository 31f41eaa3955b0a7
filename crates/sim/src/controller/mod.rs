//! The Deployment controller, laid out like upstream `pkg/controller/deployment` so the two
//! can be read side by side:
//!
//! | here                | upstream                                   |
//! |---------------------|--------------------------------------------|
//! | [`util`]            | `util/deployment_util.go`                  |
//! | [`rolling`]         | `rolling.go`                               |
//! | [`recreate`]        | `recreate.go`                              |
//! | [`sync`]            | `sync.go` (scaling, history cleanup, status) |
//! | [`progress`]        | `progress.go`                              |
//! | [`pod_order`]       | `controller_utils.go` (ActivePods ordering) |
//! | [`rollout_status`]  | kubectl `rollout_status.go`                |
//! | [`disruption`]      | `pkg/controller/disruption/disruption.go`  |
//! | [`node_lifecycle`]  | `pkg/controller/nodelifecycle` (node health) |
//! | [`taint_eviction`]  | `pkg/controller/tainteviction`             |
//! | [`podautoscaler`]   | `pkg/controller/podautoscaler` (HPA)       |
//!
//! Functions work on typed objects the way upstream works on its informer cache copies: the
//! caller hands over the Deployment and *copies* of its ReplicaSets (the new one apart from
//! the old ones), the functions change `spec.replicas` and annotations in place, and the caller
//! writes every changed ReplicaSet back — that write is upstream's API `Update` call.
//!
//! **Invariant:** nothing here panics or reads a clock; `now` is always a parameter.

pub mod deployment;
pub mod disruption;
pub mod endpoints;
pub mod error;
pub mod features;
pub mod garbage_collector;
pub mod node_lifecycle;
pub mod pod_order;
pub mod podautoscaler;
pub mod progress;
pub mod recreate;
pub mod replica_set;
pub mod rolling;
pub mod rollout_status;
pub mod sync;
pub mod taint_eviction;
pub mod util;

pub use error::ControllerError;
pub use features::FeatureGates;

use crate::apiserver::ApiServer;
use crate::kubelet::{Kubelet, Node};
use crate::network::NetworkState;

/// kube-controller-manager for one settle round: the controllers read and write the shared
/// state through `api`, with `gates` as its `--feature-gates`. A pod they delete goes
/// through the kubelet's graceful termination at once ([`Controllers::node`]), as the lab has
/// no delay between an API delete and the kubelet noticing it.
pub(crate) struct Controllers<'a> {
    pub api: &'a mut ApiServer,
    pub kubelet: &'a mut Kubelet,
    pub network: &'a mut NetworkState,
    pub gates: &'a FeatureGates,
    /// The ReplicaSet controller's client-side rate limit.
    pub api_budget: &'a mut replica_set::ApiBudget,
}

impl Controllers<'_> {
    /// The kubelet, to stop a deleted pod's containers.
    pub(crate) fn node(&mut self) -> Node<'_> {
        Node {
            api: &mut *self.api,
            kubelet: &mut *self.kubelet,
            network: &mut *self.network,
        }
    }
}

/// Sorts with a Go-style `Less` function: a stable merge sort that never panics, even when
/// `less` is not a strict weak order (upstream's logarithmic pod ranking is not), which
/// `slice::sort_by` does not promise. O(n log n): a scale-down may sort thousands of pods.
pub(crate) fn sort_by_less<T>(items: &mut [T], mut less: impl FnMut(&T, &T) -> bool) {
    let n = items.len();
    if n < 2 {
        return;
    }
    // Sort positions, then move the items into that order.
    let mut order: Vec<usize> = (0..n).collect();
    let mut buffer: Vec<usize> = vec![0; n];
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j, mut k) = (start, mid, start);
            while i < mid && j < end {
                // Take from the right only when strictly less: that keeps equal items in order.
                if less(&items[order[j]], &items[order[i]]) {
                    buffer[k] = order[j];
                    j += 1;
                } else {
                    buffer[k] = order[i];
                    i += 1;
                }
                k += 1;
            }
            buffer[k..k + (mid - i)].copy_from_slice(&order[i..mid]);
            k += mid - i;
            buffer[k..k + (end - j)].copy_from_slice(&order[j..end]);
            start = end;
        }
        std::mem::swap(&mut order, &mut buffer);
        width *= 2;
    }
    // Apply the permutation: position `p` must receive the item now at `order[p]`.
    let mut done = vec![false; n];
    for cycle_start in 0..n {
        if done[cycle_start] {
            continue;
        }
        // Each swap puts the right item at `position` and carries the cycle's first item
        // along to the next position, where it is finally needed at the cycle's end.
        let mut position = cycle_start;
        loop {
            done[position] = true;
            let source = order[position];
            if source == cycle_start {
                break;
            }
            items.swap(position, source);
            position = source;
        }
    }
}

#[cfg(test)]
mod sort_tests {
    use super::sort_by_less;

    #[test]
    fn merge_sort_is_stable_and_matches_std() {
        let mut items: Vec<(u32, usize)> =
            (0..200).map(|i| ((i * 7919) % 13, i as usize)).collect();
        let mut expected = items.clone();
        expected.sort_by_key(|(k, _)| *k);
        sort_by_less(&mut items, |a, b| a.0 < b.0);
        assert_eq!(items, expected);
    }

    #[test]
    fn an_inconsistent_order_does_not_panic() {
        let mut items: Vec<u32> = (0..100).collect();
        let mut flip = false;
        sort_by_less(&mut items, |_, _| {
            flip = !flip;
            flip
        });
        assert_eq!(items.len(), 100);
    }
}
