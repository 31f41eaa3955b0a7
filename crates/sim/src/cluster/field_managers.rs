//! Field ownership for server-side apply: per object (by UID), which manager owns which
//! fields, as `metadata.managedFields` records it on a real API server. Kept beside the
//! objects rather than in their metadata, so nothing the lab prints changes; the apply
//! logic itself (conflicts, merging) is `rollout_kubectl::cmd::server_side`, shared by the
//! lab's `kubectl apply --server-side` and `rollout-lab apiserver`.

use super::Cluster;
use std::collections::{BTreeMap, BTreeSet};

/// How a manager came to own its fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ManagerOperation {
    /// A server-side apply.
    Apply,
    /// Any other write (a client-side apply is one).
    Update,
}

/// One manager's fields of an object (a `managedFields` entry).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldManager {
    pub manager: String,
    pub operation: ManagerOperation,
    /// `apps/v1`: the version it wrote through.
    pub api_version: String,
    /// Field paths as kube-apiserver prints them: `.spec.replicas`,
    /// `.spec.template.spec.containers[name="web"].image`.
    pub fields: BTreeSet<String>,
}

/// Every object's managers, by UID.
#[derive(Clone, Debug, Default)]
pub(crate) struct FieldManagers(BTreeMap<String, Vec<FieldManager>>);

/// The most objects whose managers are kept; beyond it one entry goes for each new one
/// (the first by UID), which bounds memory in a long session.
const MAX_TRACKED: usize = 10_000;

impl Cluster {
    /// The managers of the object with `uid`: `None` when no server-side apply has touched it.
    pub fn field_managers(&self, uid: &str) -> Option<&[FieldManager]> {
        self.field_managers.0.get(uid).map(Vec::as_slice)
    }

    /// Records the managers of the object with `uid`.
    pub fn set_field_managers(&mut self, uid: &str, managers: Vec<FieldManager>) {
        if self.field_managers.0.len() >= MAX_TRACKED && !self.field_managers.0.contains_key(uid) {
            let oldest = self.field_managers.0.keys().next().cloned();
            if let Some(oldest) = oldest {
                self.field_managers.0.remove(&oldest);
            }
        }
        self.field_managers.0.insert(uid.to_string(), managers);
    }
}
