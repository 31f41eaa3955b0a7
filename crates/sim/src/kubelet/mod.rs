//! The kubelet and the scheduler: bind pods to nodes, pull images, start containers, run
//! probes, restart what fails, stop what is deleted — each step a timer on the virtual clock,
//! with the delays a student would see on a real node.
//!
//! Per pod the kubelet keeps a [`PodRuntime`] (what the container runtime knows); after every
//! step it rewrites the pod's `status` from it, so the status is always derived, never edited.

pub mod images;
mod lifecycle;
mod node_status;
mod outage;
pub use node_status::HEALTHY_CONDITIONS;
pub mod processes;
mod status;

use crate::apiserver::{ApiServer, ObjectKey};
use crate::network::NetworkState;
use std::collections::{BTreeMap, BTreeSet};

/// The kubelet (and the scheduler) at work: the shared state it reads and writes pods
/// through, its own runtime table, and the apps' network state its containers run.
pub(crate) struct Node<'a> {
    pub api: &'a mut ApiServer,
    pub kubelet: &'a mut Kubelet,
    pub network: &'a mut NetworkState,
}

/// Everything the nodes' container runtimes know. Part of the cluster snapshot.
#[derive(Clone, Debug, Default)]
pub struct Kubelet {
    pods: BTreeMap<String, PodRuntime>,
    /// Images already pulled, per node: a second pod of the same version starts faster.
    images_on_node: BTreeMap<String, BTreeSet<String>>,
    /// Each container's output, by pod UID and container index.
    logs: BTreeMap<(String, usize), processes::ContainerLogs>,
    /// Whether the host runs shell images' processes ([`processes`]).
    host_runs_processes: bool,
    /// Processes started for the host to run, not yet taken.
    started: Vec<processes::ProcessStart>,
    /// Nodes whose kubelet is cut off from the API server ([`outage`]): their pods' timers
    /// and deletions wait here until it is back.
    down: BTreeMap<String, outage::Held>,
}

#[derive(Clone, Debug)]
struct PodRuntime {
    key: ObjectKey,
    node: String,
    containers: Vec<ContainerRuntime>,
    /// Set once the pod is being deleted: nothing restarts any more.
    deleting: bool,
}

#[derive(Clone, Debug, Default)]
struct ContainerRuntime {
    /// Bumped on every (re)start; timers of an earlier run are ignored.
    incarnation: u32,
    stage: Stage,
    pull_failures: u32,
    restarts: i32,
    ready: bool,
    readiness_successes: i32,
    readiness_failures: i32,
    liveness_failures: i32,
    /// How the previous run ended, for `Last State` and RESTARTS "(Xs ago)".
    last_exit: Option<Exit>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
enum Stage {
    /// Waiting for the kubelet to notice the pod.
    #[default]
    Creating,
    Pulling,
    /// The last pull failed (`ErrImagePull`); back-off starts shortly.
    PullFailed {
        message: String,
    },
    /// Waiting out an image pull back-off (`ImagePullBackOff`).
    PullBackOff {
        message: String,
    },
    InvalidImageName {
        message: String,
    },
    /// Image present; the process is being started.
    Starting,
    Running {
        since: crate::clock::Time,
    },
    /// Told to stop; `restart` when the liveness probe killed it (not a deletion).
    Stopping {
        since: crate::clock::Time,
        restart: bool,
    },
    /// Exited and waiting out the crash-loop back-off before the next start.
    CrashBackOff {
        message: String,
    },
    /// Gone for good (pod deleted, or it finished under `restartPolicy: Never`).
    Terminated,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Exit {
    reason: String,
    exit_code: i32,
    finished_at: crate::clock::Time,
}
