//! The event queue behind the virtual clock: everything that happens "later" (an image pull
//! finishing, a probe firing, a grace period ending) is a timer. Ties fire in the order they
//! were set, so a run is reproducible.

use super::store::ObjectKey;
use crate::clock::Time;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Something a component asked to be woken up for. Pod timers carry the pod's UID and the
/// container's incarnation, so a timer that outlived its container is recognised and dropped.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Timer {
    /// The kubelet notices a newly bound pod and starts pulling images.
    KubeletSync { pod_uid: String },
    /// An image pull attempt ends (success or failure).
    PullDone {
        pod_uid: String,
        container: usize,
        incarnation: u32,
    },
    /// A container process starts after its image is present.
    ContainerStart {
        pod_uid: String,
        container: usize,
        incarnation: u32,
    },
    /// A probe is due.
    Probe {
        pod_uid: String,
        container: usize,
        incarnation: u32,
        liveness: bool,
    },
    /// A container's process ends on its own (e.g. `busybox` with nothing to do).
    ContainerExit {
        pod_uid: String,
        container: usize,
        incarnation: u32,
    },
    /// A container that was told to stop is gone (its grace period ended or it exited).
    ContainerKilled {
        pod_uid: String,
        container: usize,
        incarnation: u32,
    },
    /// A back-off (image pull or crash loop) has elapsed.
    BackOffDone {
        pod_uid: String,
        container: usize,
        incarnation: u32,
    },
    /// A deleted pod's containers are all stopped: remove the pod object.
    PodGone { pod_uid: String },
    /// Re-examine a ReplicaSet (a pod may have become available after minReadySeconds).
    ResyncReplicaSet(ObjectKey),
    /// Re-examine a Deployment (its progress deadline may have passed).
    ResyncDeployment(ObjectKey),
    /// An add-on asked to run again at this time (a pause ends, a scale-down delay passes):
    /// the requeue-after of its controller's work queue.
    ResyncAddon(&'static str),
    /// The node lifecycle controller looks at a node's health (its `--node-monitor-period`
    /// tick after a kubelet went silent or came back).
    NodeMonitor(String),
    /// The taint eviction controller's next deletion on a node with a `NoExecute` taint is due.
    TaintEviction(String),
}

impl Timer {
    /// The pod, container and run a container timer belongs to.
    pub fn container(&self) -> Option<(&str, usize, u32)> {
        match self {
            Timer::PullDone {
                pod_uid,
                container,
                incarnation,
            }
            | Timer::ContainerStart {
                pod_uid,
                container,
                incarnation,
            }
            | Timer::Probe {
                pod_uid,
                container,
                incarnation,
                ..
            }
            | Timer::ContainerExit {
                pod_uid,
                container,
                incarnation,
            }
            | Timer::ContainerKilled {
                pod_uid,
                container,
                incarnation,
            }
            | Timer::BackOffDone {
                pod_uid,
                container,
                incarnation,
            } => Some((pod_uid, *container, *incarnation)),
            Timer::KubeletSync { .. }
            | Timer::PodGone { .. }
            | Timer::ResyncReplicaSet(_)
            | Timer::ResyncDeployment(_)
            | Timer::ResyncAddon(_)
            | Timer::NodeMonitor(_)
            | Timer::TaintEviction(_) => None,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Timers {
    heap: BinaryHeap<Reverse<(Time, u64, Timer)>>,
    next_seq: u64,
}

impl Timers {
    pub fn set(&mut self, at: Time, timer: Timer) {
        self.heap.push(Reverse((at, self.next_seq, timer)));
        self.next_seq += 1;
    }

    /// When the next timer is due, if any.
    pub fn next_due(&self) -> Option<Time> {
        self.heap.peek().map(|Reverse((at, _, _))| *at)
    }

    /// Removes and returns the next timer if it is due at or before `now`.
    pub fn pop_due(&mut self, now: Time) -> Option<Timer> {
        if self.next_due()? > now {
            return None;
        }
        self.heap.pop().map(|Reverse((_, _, timer))| timer)
    }
}
