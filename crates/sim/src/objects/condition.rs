use crate::clock::Time;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConditionStatus {
    True,
    False,
    #[default]
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeploymentConditionType {
    /// Enough pods are available (replicas − maxUnavailable).
    Available,
    /// The rollout is moving, done, or stuck past its deadline.
    Progressing,
    /// A ReplicaSet could not create or delete pods.
    ReplicaFailure,
}

/// One line of `kubectl describe deployment`'s Conditions table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentCondition {
    #[serde(rename = "type")]
    pub type_: DeploymentConditionType,
    pub status: ConditionStatus,
    /// When the condition was last written; the progress deadline counts from here.
    #[serde(default, with = "super::timestamp::option")]
    pub last_update_time: Option<Time>,
    /// When `status` last changed.
    #[serde(default, with = "super::timestamp::option")]
    pub last_transition_time: Option<Time>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReplicaSetConditionType {
    ReplicaFailure,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSetCondition {
    #[serde(rename = "type")]
    pub type_: ReplicaSetConditionType,
    pub status: ConditionStatus,
    #[serde(default, with = "super::timestamp::option")]
    pub last_transition_time: Option<Time>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}
