use super::{LabelSelector, ObjectMeta, PodTemplateSpec, ReplicaSetCondition};
use serde::{Deserialize, Serialize};

/// A ReplicaSet keeps `spec.replicas` pods of one pod template running. A Deployment owns one
/// per revision of its template.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ReplicaSet {
    pub metadata: ObjectMeta,
    pub spec: ReplicaSetSpec,
    pub status: ReplicaSetStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ReplicaSetSpec {
    /// The size the Deployment controller asks for; the only knob it turns. A manifest
    /// without it gets the API default, 1.
    #[serde(default = "one")]
    pub replicas: i32,
    pub selector: LabelSelector,
    pub template: PodTemplateSpec,
    #[serde(skip_serializing_if = "is_zero")]
    pub min_ready_seconds: i32,
}

/// What the ReplicaSet controller last observed about its pods.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ReplicaSetStatus {
    /// Pods that exist and are not terminating.
    pub replicas: i32,
    #[serde(skip_serializing_if = "is_zero")]
    pub fully_labeled_replicas: i32,
    #[serde(skip_serializing_if = "is_zero")]
    pub ready_replicas: i32,
    /// Ready for at least minReadySeconds; the Deployment controller's only health signal.
    #[serde(skip_serializing_if = "is_zero")]
    pub available_replicas: i32,
    #[serde(skip_serializing_if = "is_zero_i64")]
    pub observed_generation: i64,
    /// Pods being deleted (newest sources); `None` = not reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terminating_replicas: Option<i32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<ReplicaSetCondition>,
}

fn one() -> i32 {
    1
}

fn is_zero(value: &i32) -> bool {
    *value == 0
}

fn is_zero_i64(value: &i64) -> bool {
    *value == 0
}

impl ReplicaSet {
    pub fn name(&self) -> &str {
        &self.metadata.name
    }
}
