//! A node cut off from the control plane (the lab's `lab-node fail`): its kubelet stops
//! posting status and hears nothing from the API server, while its containers keep running
//! unseen. What the kubelet would have done meanwhile — probes, restarts, stopping a pod the
//! API server deleted — waits here and happens when the node is back, as a reconnecting
//! kubelet catches up on what it missed.

use super::{Kubelet, Node};
use crate::apiserver::{reference, Timer};
use crate::clock::Time;
use crate::objects::{EventType, Kind};

/// What a cut-off node's kubelet has still to do.
#[derive(Clone, Debug, Default)]
pub(super) struct Held {
    /// When it was cut off.
    since: Time,
    timers: Vec<Timer>,
    /// Pods deleted meanwhile, with their grace period in seconds.
    deletions: Vec<(String, i64)>,
}

impl Kubelet {
    /// Whether `node`'s kubelet is cut off.
    pub fn is_down(&self, node: &str) -> bool {
        self.down.contains_key(node)
    }

    /// When `node`'s kubelet was cut off, if it is.
    pub fn down_since(&self, node: &str) -> Option<Time> {
        self.down.get(node).map(|held| held.since)
    }

    /// The nodes whose kubelet is cut off.
    pub fn down_nodes(&self) -> impl Iterator<Item = &str> {
        self.down.keys().map(String::as_str)
    }

    /// The node a pod timer's pod runs on.
    fn node_of(&self, timer: &Timer) -> Option<&str> {
        let uid = match timer {
            Timer::KubeletSync { pod_uid } | Timer::PodGone { pod_uid } => pod_uid.as_str(),
            other => other.container()?.0,
        };
        self.pods.get(uid).map(|runtime| runtime.node.as_str())
    }

    /// `timer` back if its node's kubelet is up; otherwise kept for when it is.
    pub(super) fn hold_if_down(&mut self, timer: Timer) -> Option<Timer> {
        let Some(node) = self.node_of(&timer).map(str::to_string) else {
            return Some(timer);
        };
        match self.down.get_mut(&node) {
            Some(held) => {
                held.timers.push(timer);
                None
            }
            None => Some(timer),
        }
    }

    pub(super) fn hold_deletion(&mut self, node: &str, pod_uid: String, grace: i64) {
        if let Some(held) = self.down.get_mut(node) {
            held.deletions.push((pod_uid, grace));
        }
    }
}

impl Node<'_> {
    /// Cuts `node`'s kubelet off. False if it already was.
    pub(crate) fn cut_off(&mut self, node: &str) -> bool {
        if self.kubelet.is_down(node) {
            return false;
        }
        let held = Held {
            since: self.api.now,
            ..Held::default()
        };
        self.kubelet.down.insert(node.to_string(), held);
        true
    }

    /// `node`'s kubelet reaches the API server again: it posts its status (`NodeReady`),
    /// stops the pods deleted meanwhile, reports every pod's status as it finds it and
    /// carries on with what it had to do. False if it was not cut off.
    pub(crate) fn reconnect(&mut self, node: &str) -> bool {
        let Some(held) = self.kubelet.down.remove(node) else {
            return false;
        };
        let now = self.api.now;
        if self.post_healthy_status(node) {
            if let Some(object) = self
                .api
                .store
                .nodes
                .get(node)
                .map(|n| reference(Kind::Node, &n.metadata))
            {
                self.api.record(
                    object,
                    EventType::Normal,
                    "NodeReady",
                    format!("Node {node} status is now: NodeReady"),
                    "kubelet",
                    None,
                );
            }
        }
        for timer in held.timers {
            self.api.timers.set(now, timer);
        }
        for (uid, grace) in held.deletions {
            self.stop_deleted_pod(&uid, grace);
        }
        let on_node: Vec<String> = self
            .kubelet
            .pods
            .iter()
            .filter(|(_, runtime)| runtime.node == node)
            .map(|(uid, _)| uid.clone())
            .collect();
        for uid in on_node {
            self.write_pod_status(&uid);
        }
        true
    }
}
