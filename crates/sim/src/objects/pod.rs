use super::ObjectMeta;
use crate::clock::Time;
use serde::{Deserialize, Serialize};

/// The part of a Deployment or ReplicaSet that stamps out pods.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PodTemplateSpec {
    /// Only labels and annotations are meaningful in a template.
    pub metadata: ObjectMeta,
    pub spec: PodSpec,
}

/// A single running instance of the app.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Pod {
    pub metadata: ObjectMeta,
    pub spec: PodSpec,
    pub status: PodStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PodSpec {
    /// Empty until the scheduler binds the pod to a node.
    pub node_name: String,
    pub containers: Vec<Container>,
    /// `Always` (default), `OnFailure` or `Never`: what the kubelet does when a container exits.
    pub restart_policy: Option<String>,
    /// How long a deleted pod's containers get to stop after SIGTERM (default 30).
    pub termination_grace_period_seconds: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Container {
    pub name: String,
    pub image: String,
    pub ports: Vec<ContainerPort>,
    /// Gates the pod's Ready condition, hence Service traffic and rollout progress.
    pub readiness_probe: Option<Probe>,
    /// Restarts the container when it fails.
    pub liveness_probe: Option<Probe>,
    /// `Always`, `IfNotPresent` or `Never`; decides whether an image on the node is reused.
    pub image_pull_policy: Option<String>,
    /// Replaces the image's entrypoint.
    pub command: Vec<String>,
    pub args: Vec<String>,
    /// Keep stdin open (`kubectl run -i`): a shell then waits for input instead of exiting.
    pub stdin: bool,
    pub tty: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContainerPort {
    pub name: Option<String>,
    pub container_port: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Probe {
    #[serde(flatten)]
    pub handler: ProbeHandler,
    #[serde(default)]
    pub initial_delay_seconds: i32,
    #[serde(default = "default_period_seconds")]
    pub period_seconds: i32,
    #[serde(default = "default_one")]
    pub timeout_seconds: i32,
    #[serde(default = "default_one")]
    pub success_threshold: i32,
    #[serde(default = "default_failure_threshold")]
    pub failure_threshold: i32,
}

fn default_period_seconds() -> i32 {
    10
}
fn default_one() -> i32 {
    1
}
fn default_failure_threshold() -> i32 {
    3
}

/// How a probe checks the container.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ProbeHandler {
    HttpGet { path: String, port: i32 },
    TcpSocket { port: i32 },
    Exec { command: Vec<String> },
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PodStatus {
    /// `None` until the kubelet reports (Go's empty phase).
    pub phase: Option<PodPhase>,
    pub conditions: Vec<PodCondition>,
    pub container_statuses: Vec<ContainerStatus>,
    /// The pod's address on the pod network, once the kubelet has set up its sandbox.
    #[serde(rename = "podIP")]
    pub pod_ip: Option<String>,
    /// The node's address.
    #[serde(rename = "hostIP")]
    pub host_ip: Option<String>,
    /// When the kubelet accepted the pod.
    pub start_time: Option<Time>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PodPhase {
    Pending,
    Running,
    Succeeded,
    Failed,
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PodConditionType {
    PodScheduled,
    Initialized,
    ContainersReady,
    Ready,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodCondition {
    #[serde(rename = "type")]
    pub type_: PodConditionType,
    pub status: super::ConditionStatus,
    /// For `Ready`, the "ready since" instant that minReadySeconds counts from.
    #[serde(default)]
    pub last_transition_time: Option<Time>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContainerStatus {
    pub name: String,
    pub image: String,
    pub ready: bool,
    /// Crash-looping pods are deleted first on scale-down.
    pub restart_count: i32,
    /// What the container is doing now; kubectl's STATUS column is read from here.
    pub state: ContainerState,
    /// How the previous run ended; RESTARTS shows "N (Xs ago)" from its finish time.
    pub last_state: Option<ContainerState>,
}

/// The three states a container can be in, with the reason kubectl shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ContainerState {
    /// Not running yet or between restarts: `ContainerCreating`, `ErrImagePull`,
    /// `ImagePullBackOff`, `CrashLoopBackOff`, `InvalidImageName`.
    Waiting {
        reason: String,
        message: Option<String>,
    },
    Running {
        started_at: Time,
    },
    /// `Completed` (exit 0), `Error`, or killed by the kubelet (exit 137).
    Terminated {
        reason: String,
        exit_code: i32,
        finished_at: Time,
    },
}

impl Default for ContainerState {
    fn default() -> Self {
        ContainerState::Waiting {
            reason: "ContainerCreating".to_string(),
            message: None,
        }
    }
}

impl Pod {
    fn ready_condition(&self) -> Option<&PodCondition> {
        self.status
            .conditions
            .iter()
            .find(|c| c.type_ == PodConditionType::Ready)
    }

    /// Ready = the Ready condition is True.
    pub fn is_ready(&self) -> bool {
        self.ready_condition()
            .is_some_and(|c| c.status == super::ConditionStatus::True)
    }

    /// When the pod became ready; `None` when not ready or the time is unknown.
    pub fn ready_since(&self) -> Option<Time> {
        self.ready_condition()
            .filter(|c| c.status == super::ConditionStatus::True)
            .and_then(|c| c.last_transition_time)
    }

    /// Active pods count toward a ReplicaSet's size: not finished and not being deleted.
    pub fn is_active(&self) -> bool {
        !matches!(
            self.status.phase,
            Some(PodPhase::Succeeded) | Some(PodPhase::Failed)
        ) && self.metadata.deletion_timestamp.is_none()
    }

    pub fn max_restart_count(&self) -> i32 {
        self.status
            .container_statuses
            .iter()
            .map(|c| c.restart_count)
            .max()
            .unwrap_or(0)
    }
}
