//! The taint eviction controller (`pkg/controller/tainteviction`, split out of the node
//! lifecycle controller in v1.29): a pod on a node with a `NoExecute` taint it does not
//! tolerate is deleted at once; one that tolerates it for `tolerationSeconds` (every pod gets
//! 300 s for `not-ready` and `unreachable` from the DefaultTolerationSeconds admission plugin)
//! is deleted when that time has passed since the taint was added; one that tolerates it
//! without a limit stays.

use super::Controllers;
use crate::apiserver::{reference, ObjectKey, Timer};
use crate::clock::{Duration, Time};
use crate::objects::{EventType, Kind, ObjectReference, Pod, Taint};
use crate::scheduler::plugins::tainttoleration::{tolerates, tolerations};

/// The component its events come from.
pub const COMPONENT: &str = "taint-eviction-controller";

/// When `pod` must go from a node with these `NoExecute` taints: `Some(at)`, or `None` if
/// it tolerates them for ever (`processPodOnNode` with `getMinTolerationTime`).
fn eviction_time(pod: &Pod, taints: &[&Taint]) -> Option<Time> {
    let parsed = tolerations(pod);
    let raw = match &pod.spec.tolerations {
        Some(serde_json::Value::Array(items)) => items.as_slice(),
        _ => &[],
    };
    let mut due: Option<Time> = None;
    for taint in taints {
        let added = taint.time_added.unwrap_or(Time(i64::MIN / 2));
        // Every toleration that matches the taint; the shortest of their limits counts.
        let matching: Vec<Option<i64>> = parsed
            .iter()
            .zip(raw)
            .filter(|(toleration, _)| tolerates(toleration, taint))
            .map(|(_, item)| item.get("tolerationSeconds").and_then(|s| s.as_i64()))
            .collect();
        if matching.is_empty() {
            // Not tolerated: now.
            return Some(Time(i64::MIN / 2));
        }
        if matching.iter().all(Option::is_none) {
            continue;
        }
        let seconds = matching.iter().flatten().copied().min().unwrap_or(0).max(0);
        let at = added + Duration::from_secs(seconds.min(i64::MAX / 2_000));
        due = Some(due.map_or(at, |d| d.min(at)));
    }
    due
}

impl Controllers<'_> {
    /// The node's `NoExecute` taints and the pods on it, with when each must go.
    fn scheduled_evictions(&self, name: &str) -> Vec<(ObjectKey, ObjectReference, Option<Time>)> {
        let Some(node) = self.api.store.nodes.get(name) else {
            return Vec::new();
        };
        let taints: Vec<&Taint> = node
            .spec
            .taints
            .iter()
            .filter(|t| t.effect == "NoExecute")
            .collect();
        if taints.is_empty() {
            return Vec::new();
        }
        self.api
            .store
            .pods
            .iter()
            .filter(|(_, pod)| {
                pod.spec.node_name == name && pod.metadata.deletion_timestamp.is_none()
            })
            .map(|(key, pod)| {
                (
                    key.clone(),
                    reference(Kind::Pod, &pod.metadata),
                    eviction_time(pod, &taints),
                )
            })
            .collect()
    }

    /// The pods whose eviction from `name` is scheduled but not yet due.
    pub(super) fn pods_waiting_for_eviction(
        &self,
        name: &str,
    ) -> Vec<(ObjectReference, ObjectKey)> {
        let now = self.api.now;
        self.scheduled_evictions(name)
            .into_iter()
            .filter(|(_, _, due)| due.is_some_and(|at| at > now))
            .map(|(key, object, _)| (object, key))
            .collect()
    }

    /// Deletes every pod on `name` whose time is up and wakes up again for the next one.
    pub(crate) fn evict_tainted_pods(&mut self, name: &str) {
        let now = self.api.now;
        let mut next: Option<Time> = None;
        for (key, object, due) in self.scheduled_evictions(name) {
            match due {
                Some(at) if at <= now => {
                    self.api.record(
                        object,
                        EventType::Normal,
                        "TaintManagerEviction",
                        format!("Marking for deletion Pod {}/{}", key.namespace, key.name),
                        COMPONENT,
                        None,
                    );
                    self.node().delete_pod_gracefully(&key, None);
                }
                Some(at) => next = Some(next.map_or(at, |n| n.min(at))),
                None => {}
            }
        }
        if let Some(at) = next {
            self.api
                .timers
                .set(at, Timer::TaintEviction(name.to_string()));
        }
    }
}
