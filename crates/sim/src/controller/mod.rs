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
//!
//! Functions work on typed objects the way upstream works on its informer cache copies: the
//! caller hands over the Deployment and *copies* of its ReplicaSets (the new one apart from
//! the old ones), the functions change `spec.replicas` and annotations in place, and the caller
//! writes every changed ReplicaSet back — that write is upstream's API `Update` call.
//!
//! **Invariant:** nothing here panics or reads a clock; `now` is always a parameter.

pub mod deployment;
pub mod endpoints;
pub mod error;
pub mod features;
pub mod garbage_collector;
pub mod pod_order;
pub mod progress;
pub mod recreate;
pub mod replica_set;
pub mod rolling;
pub mod rollout_status;
pub mod sync;
pub mod util;

pub use error::ControllerError;
pub use features::FeatureGates;

/// Sorts with a Go-style `Less` function. Insertion sort is stable and never panics, even when
/// `less` is not a strict weak order (upstream's logarithmic pod ranking is not), which
/// `slice::sort_by` does not promise. The lists sorted here hold tens of items, not millions.
pub(crate) fn sort_by_less<T>(items: &mut [T], mut less: impl FnMut(&T, &T) -> bool) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && less(&items[j], &items[j - 1]) {
            items.swap(j, j - 1);
            j -= 1;
        }
    }
}
