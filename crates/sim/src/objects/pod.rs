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
    #[serde(skip_serializing_if = "String::is_empty")]
    pub node_name: String,
    pub containers: Vec<Container>,
    /// Run to completion, in order, before `containers` start.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub init_containers: Vec<Container>,
    /// `Always` (default), `OnFailure` or `Never`: what the kubelet does when a container exits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<String>,
    /// How long a deleted pod's containers get to stop after SIGTERM (default 30).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub termination_grace_period_seconds: Option<i64>,
    /// `ClusterFirst` (default): how the pod's `/etc/resolv.conf` is built.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns_policy: Option<String>,
    /// `default-scheduler` unless another scheduler is named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduler_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subdomain: Option<String>,
    /// Kept verbatim (the lab does not simulate it); the API server defaults it to `{}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_context: Option<serde_json::Value>,
    /// Kept verbatim: the lab has no storage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volumes: Option<serde_json::Value>,
    /// Kept verbatim: the lab's scheduler spreads pods without looking at these.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affinity: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tolerations: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<serde_json::Value>,
    /// Every other field a v1 PodSpec accepts (`hostNetwork`, `imagePullSecrets`, …), kept
    /// verbatim so `kubectl get -o yaml` shows what was applied.
    #[serde(flatten)]
    pub other: std::collections::BTreeMap<String, serde_json::Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Container {
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub image: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<ContainerPort>,
    /// Gates the pod's Ready condition, hence Service traffic and rollout progress.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<Probe>,
    /// Restarts the container when it fails.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<Probe>,
    /// Holds off liveness and readiness probes until it succeeds once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub startup_probe: Option<Probe>,
    /// `Always`, `IfNotPresent` or `Never`; decides whether an image on the node is reused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<String>,
    /// Replaces the image's entrypoint.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
    /// Environment variables; the demo app reads some of them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<EnvVar>,
    /// Kept verbatim: requests and limits. Printed as `resources: {}` when unset, like Go.
    #[serde(
        serialize_with = "empty_object_when_none",
        deserialize_with = "none_when_empty_object"
    )]
    pub resources: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume_mounts: Option<serde_json::Value>,
    /// Where the container's last words are read from (default `/dev/termination-log`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub termination_message_path: Option<String>,
    /// `File` (default) or `FallbackToLogsOnError`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub termination_message_policy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_context: Option<serde_json::Value>,
    /// Keep stdin open (`kubectl run -i`): a shell then waits for input instead of exiting.
    #[serde(skip_serializing_if = "is_false")]
    pub stdin: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub tty: bool,
    /// Every other field a v1 Container accepts (`envFrom`, `lifecycle`, …), kept verbatim.
    #[serde(flatten)]
    pub other: std::collections::BTreeMap<String, serde_json::Value>,
}

/// One environment variable: a literal `value` or a `valueFrom` reference (kept verbatim).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EnvVar {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_from: Option<serde_json::Value>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

fn is_zero(value: &i32) -> bool {
    *value == 0
}

fn none_when_empty_object<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<serde_json::Value>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(deserializer)?;
    Ok(value.filter(|v| v.as_object().is_none_or(|m| !m.is_empty())))
}

fn empty_object_when_none<S: serde::Serializer>(
    value: &Option<serde_json::Value>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => value.serialize(serializer),
        None => serde_json::Value::Object(serde_json::Map::new()).serialize(serializer),
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContainerPort {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub container_port: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Probe {
    #[serde(flatten)]
    pub handler: ProbeHandler,
    #[serde(default, skip_serializing_if = "is_zero")]
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<PodPhase>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<PodCondition>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub container_statuses: Vec<ContainerStatus>,
    /// The pod's address on the pod network, once the kubelet has set up its sandbox.
    #[serde(rename = "podIP", skip_serializing_if = "Option::is_none")]
    pub pod_ip: Option<String>,
    /// The node's address.
    #[serde(rename = "hostIP", skip_serializing_if = "Option::is_none")]
    pub host_ip: Option<String>,
    /// When the kubelet accepted the pod.
    #[serde(
        with = "super::timestamp::option",
        skip_serializing_if = "Option::is_none"
    )]
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
    #[serde(default, with = "super::timestamp::option")]
    pub last_transition_time: Option<Time>,
    /// Why, in one CamelCase word (`Unschedulable`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Why, in a sentence (the scheduler's `0/3 nodes are available: …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
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
    /// Printed as `lastState: {}` when unset, like Go.
    #[serde(
        serialize_with = "empty_state_when_none",
        deserialize_with = "state_or_empty"
    )]
    pub last_state: Option<ContainerState>,
}

/// The three states a container can be in, with the reason kubectl shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ContainerState {
    /// Not running yet or between restarts: `ContainerCreating`, `ErrImagePull`,
    /// `ImagePullBackOff`, `CrashLoopBackOff`, `InvalidImageName`.
    Waiting {
        #[serde(default)]
        reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
    Running {
        #[serde(rename = "startedAt", with = "super::timestamp::required")]
        started_at: Time,
    },
    /// `Completed` (exit 0), `Error`, or killed by the kubelet (exit 137).
    Terminated {
        #[serde(default)]
        reason: String,
        #[serde(rename = "exitCode")]
        exit_code: i32,
        #[serde(rename = "finishedAt", with = "super::timestamp::required")]
        finished_at: Time,
    },
}

fn empty_state_when_none<S: serde::Serializer>(
    value: &Option<ContainerState>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(state) => state.serialize(serializer),
        None => serde_json::Value::Object(serde_json::Map::new()).serialize(serializer),
    }
}

fn state_or_empty<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<ContainerState>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(deserializer)?;
    match value {
        None => Ok(None),
        Some(serde_json::Value::Object(map)) if map.is_empty() => Ok(None),
        Some(value) => serde_json::from_value(value)
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
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

impl PodTemplateSpec {
    /// True for a template nobody wrote (a Rollout that runs a `workloadRef` has none).
    pub fn is_empty(&self) -> bool {
        *self == PodTemplateSpec::default()
    }
}
