use crate::clock::Time;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The metadata every object carries. Maps are `BTreeMap`s so that iteration, serialization
/// and hashing are deterministic.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ObjectMeta {
    pub name: String,
    pub namespace: String,
    /// Identity that survives renames; owner references and pod maps point at it.
    pub uid: String,
    pub labels: BTreeMap<String, String>,
    /// Where controllers keep bookkeeping such as revision numbers and desired replicas.
    pub annotations: BTreeMap<String, String>,
    /// `None` only for objects not yet persisted (Go's zero time); ordering treats it as
    /// "newest".
    pub creation_timestamp: Option<Time>,
    /// Set when deletion has started; controllers stop counting such objects.
    pub deletion_timestamp: Option<Time>,
    /// Bumped by the API server on every spec change; compared with `observedGeneration`
    /// to know whether a controller has seen the latest spec.
    pub generation: i64,
    pub owner_references: Vec<OwnerReference>,
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
    pub controller: bool,
}

impl ObjectMeta {
    /// The owner reference marked as controller, if any.
    pub fn controller_ref(&self) -> Option<&OwnerReference> {
        self.owner_references.iter().find(|owner| owner.controller)
    }

    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.annotations.get(key).map(String::as_str)
    }
}
