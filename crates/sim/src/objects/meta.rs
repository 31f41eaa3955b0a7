use crate::clock::Time;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

fn is_zero_i64(value: &i64) -> bool {
    *value == 0
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// The metadata every object carries. Maps are `BTreeMap`s so that iteration, serialization
/// and hashing are deterministic.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ObjectMeta {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// A prefix the API server completes with 5 random characters when `name` is empty
    /// (`kubectl create` of a manifest with `generateName: demo-`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub generate_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// Identity that survives renames; owner references and pod maps point at it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub uid: String,
    /// Opaque version the API server bumps on every write; an update carrying a stale one
    /// is rejected with a Conflict (optimistic concurrency). Empty = not set.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub resource_version: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Where controllers keep bookkeeping such as revision numbers and desired replicas.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// `None` only for objects not yet persisted (Go's zero time); ordering treats it as
    /// "newest". Printed as `creationTimestamp: null` then, like Go does.
    #[serde(with = "super::timestamp::option")]
    pub creation_timestamp: Option<Time>,
    /// Set when deletion has started; controllers stop counting such objects.
    #[serde(
        with = "super::timestamp::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub deletion_timestamp: Option<Time>,
    /// The grace period of a pending deletion, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_grace_period_seconds: Option<i64>,
    /// Bumped by the API server on every spec change; compared with `observedGeneration`
    /// to know whether a controller has seen the latest spec.
    #[serde(skip_serializing_if = "is_zero_i64")]
    pub generation: i64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub owner_references: Vec<OwnerReference>,
    /// Deletion waits until every finalizer is removed (`kubernetes` on namespaces).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub finalizers: Vec<String>,
}

/// A link from an object to the object that manages it (ReplicaSet → Deployment,
/// Pod → ReplicaSet).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OwnerReference {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub uid: String,
    /// Only the controlling owner may adopt, scale or delete the object.
    /// On the wire `blockOwnerDeletion` is printed alongside (controllers always set both).
    #[serde(skip_serializing_if = "is_false")]
    pub controller: bool,
}

/// The finalizer that holds an owner deleted in the foreground until its dependents are gone.
pub const FOREGROUND_DELETION: &str = "foregroundDeletion";

impl ObjectMeta {
    /// What the API server writes on an object deleted in the foreground: the deletion has
    /// begun, and the `foregroundDeletion` finalizer holds it until its dependents are gone.
    pub fn mark_for_foreground_deletion(&mut self, now: Time) {
        self.deletion_timestamp = Some(now);
        self.deletion_grace_period_seconds = Some(0);
        if !self.waits_for_dependents() {
            self.finalizers.push(FOREGROUND_DELETION.to_string());
        }
    }

    /// Whether the object is being deleted in the foreground.
    pub fn waits_for_dependents(&self) -> bool {
        self.finalizers.iter().any(|f| f == FOREGROUND_DELETION)
    }

    /// The owner reference marked as controller, if any.
    pub fn controller_ref(&self) -> Option<&OwnerReference> {
        self.owner_references.iter().find(|owner| owner.controller)
    }

    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.annotations.get(key).map(String::as_str)
    }
}
