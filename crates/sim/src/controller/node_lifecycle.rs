//! The node lifecycle controller's health monitoring (`pkg/controller/nodelifecycle`,
//! `monitorNodeHealth`): a node whose kubelet has not renewed its lease for the grace period
//! gets its conditions set to `Unknown`, its pods marked not ready (`MarkPodsNotReady`, so the
//! endpoints controller drops them) and the `unreachable` taints; the taints go when the
//! kubelet posts `Ready` again. What the `NoExecute` taint does to the pods is
//! [`super::taint_eviction`]'s.

use super::Controllers;
use crate::apiserver::{reference, Timer};
use crate::clock::{Duration, Time};
use crate::objects::{ConditionStatus, EventType, Kind, PodConditionType, Taint};
use std::rc::Rc;

/// kube-controller-manager's `--node-monitor-period`: how often node health is looked at.
pub const NODE_MONITOR_PERIOD: Duration = Duration(5_000);
/// `--node-monitor-grace-period` in v1.30: how long a silent kubelet is still trusted.
pub const NODE_MONITOR_GRACE_PERIOD: Duration = Duration(40_000);
/// The kubelet renews its node lease every quarter of its 40 s duration.
pub const LEASE_RENEW_INTERVAL: Duration = Duration(10_000);

/// `v1.TaintNodeUnreachable`.
pub const TAINT_NODE_UNREACHABLE: &str = "node.kubernetes.io/unreachable";

/// The conditions the controller sets to `Unknown` when the kubelet goes silent
/// (`nodeConditionTypes`); `NetworkUnavailable` is the network plugin's and stays.
const KUBELET_CONDITIONS: [&str; 4] = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

/// The monitor tick at which a kubelet that went silent at `silent_at` is first seen as
/// unhealthy: its last lease renewal plus the grace period, at the next tick after it
/// (`now.After(probeTimestamp.Add(gracePeriod))`). Between 35 and 45 s after the silence.
pub fn unhealthy_at(silent_at: Time) -> Time {
    let renewed = floor_to(silent_at, LEASE_RENEW_INTERVAL);
    next_tick_after(renewed + NODE_MONITOR_GRACE_PERIOD)
}

/// The first monitor tick strictly after `at`.
pub fn next_tick_after(at: Time) -> Time {
    floor_to(at, NODE_MONITOR_PERIOD) + NODE_MONITOR_PERIOD
}

fn floor_to(at: Time, period: Duration) -> Time {
    Time(at.0 - at.0.rem_euclid(period.millis()))
}

impl Controllers<'_> {
    /// `monitorNodeHealth` for one node, at a monitor tick.
    pub(crate) fn monitor_node_health(&mut self, name: &str) {
        let silent = self.kubelet.is_down(name);
        let Some(node) = self.api.store.nodes.get(name) else {
            return;
        };
        let ready_unknown = node
            .status
            .conditions
            .iter()
            .any(|c| c.type_ == "Ready" && c.status == "Unknown");
        let tainted = node
            .spec
            .taints
            .iter()
            .any(|t| t.key == TAINT_NODE_UNREACHABLE);
        if silent && !ready_unknown {
            self.node_status_unknown(name);
            self.mark_pods_not_ready(name);
            self.taint_unreachable(name);
            self.evict_tainted_pods(name);
        } else if !silent && tainted {
            self.untaint_unreachable(name);
        }
    }

    /// The kubelet stopped posting: its conditions turn `Unknown` (the last heartbeat stays).
    fn node_status_unknown(&mut self, name: &str) {
        let now = self.api.now;
        let Some(node) = self.api.store.nodes.get_mut(name) else {
            return;
        };
        for condition in &mut node.status.conditions {
            if KUBELET_CONDITIONS.contains(&condition.type_.as_str()) {
                condition.status = "Unknown".into();
                condition.reason = "NodeStatusUnknown".into();
                condition.message = "Kubelet stopped posting node status.".into();
                condition.last_transition_time = Some(now);
            }
        }
        let object = reference(Kind::Node, &node.metadata);
        self.api.work.api_write();
        self.api.record(
            object,
            EventType::Normal,
            "NodeNotReady",
            format!("Node {name} status is now: NodeNotReady"),
            "node-controller",
            None,
        );
    }

    /// `MarkPodsNotReady`: each pod on the node that is ready is not any more.
    fn mark_pods_not_ready(&mut self, name: &str) {
        let now = self.api.now;
        let keys: Vec<_> = self
            .api
            .store
            .pods
            .iter()
            .filter(|(_, pod)| pod.spec.node_name == name)
            .map(|(key, _)| key.clone())
            .collect();
        for key in keys {
            let Some(stored) = self.api.store.pods.get_mut(&key) else {
                continue;
            };
            let ready =
                stored.status.conditions.iter().any(|c| {
                    c.type_ == PodConditionType::Ready && c.status == ConditionStatus::True
                });
            if !ready {
                continue;
            }
            let pod = Rc::make_mut(stored);
            for condition in &mut pod.status.conditions {
                if condition.type_ == PodConditionType::Ready {
                    condition.status = ConditionStatus::False;
                    condition.last_transition_time = Some(now);
                }
            }
            self.api.work.pod_changed(pod);
            let object = reference(Kind::Pod, &pod.metadata);
            self.api.record(
                object,
                EventType::Warning,
                "NodeNotReady",
                "Node is not ready".to_string(),
                "node-controller",
                None,
            );
        }
    }

    /// The `unreachable` taints: `NoSchedule` (no new pods) and `NoExecute` (the pods there
    /// go once their toleration runs out).
    fn taint_unreachable(&mut self, name: &str) {
        let now = self.api.now;
        let Some(node) = self.api.store.nodes.get_mut(name) else {
            return;
        };
        node.spec.taints.retain(|t| t.key != TAINT_NODE_UNREACHABLE);
        for effect in ["NoSchedule", "NoExecute"] {
            node.spec.taints.push(Taint {
                key: TAINT_NODE_UNREACHABLE.into(),
                value: String::new(),
                effect: effect.into(),
                time_added: Some(now),
            });
        }
        self.api.work.api_write();
    }

    /// The kubelet is back: the taints go, and evictions still waiting are cancelled.
    fn untaint_unreachable(&mut self, name: &str) {
        let waiting = self.pods_waiting_for_eviction(name);
        let Some(node) = self.api.store.nodes.get_mut(name) else {
            return;
        };
        node.spec.taints.retain(|t| t.key != TAINT_NODE_UNREACHABLE);
        self.api.work.api_write();
        for (object, key) in waiting {
            self.api.record(
                object,
                EventType::Normal,
                "TaintManagerEviction",
                format!("Cancelling deletion of Pod {}/{}", key.namespace, key.name),
                super::taint_eviction::COMPONENT,
                None,
            );
        }
    }

    /// After a kubelet went silent, the tick at which the controller will notice.
    pub(crate) fn watch_silent_node(&mut self, name: &str) {
        let at = unhealthy_at(self.api.now);
        self.api
            .timers
            .set(at, Timer::NodeMonitor(name.to_string()));
    }

    /// After a kubelet came back, the next tick (which lifts the taints).
    pub(crate) fn watch_returning_node(&mut self, name: &str) {
        let at = next_tick_after(self.api.now);
        self.api
            .timers
            .set(at, Timer::NodeMonitor(name.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_silent_kubelet_is_noticed_35_to_45_seconds_later_on_a_monitor_tick() {
        // Renewed at 20 s, silent from then on: trusted until 60 s, noticed at the tick after.
        assert_eq!(unhealthy_at(Time(20_000)), Time(65_000));
        // Silent just before the next renewal: 35.1 s later.
        assert_eq!(unhealthy_at(Time(29_900)), Time(65_000));
        for silent in (0..60_000).step_by(700) {
            let noticed = unhealthy_at(Time(silent)).0 - silent;
            assert!((35_000..=45_000).contains(&noticed), "{silent}: {noticed}");
            assert_eq!(unhealthy_at(Time(silent)).0 % NODE_MONITOR_PERIOD.0, 0);
        }
        assert_eq!(next_tick_after(Time(10_000)), Time(15_000));
        assert_eq!(next_tick_after(Time(-2_500)), Time(0));
    }
}
