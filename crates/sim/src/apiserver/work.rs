//! What the next settle round has to look at. A real controller is woken by watch events
//! for the objects it owns; here every write notes who it concerns, so a round over ten
//! thousand pods only revisits the ReplicaSets, the scheduler queue and the endpoints that
//! something actually changed for.

use super::ObjectKey;
use crate::objects::Pod;
use std::collections::BTreeSet;

#[derive(Clone, Debug, Default)]
pub(crate) struct Work {
    /// Set by any change to the store; tells `Cluster::settle` another round is
    /// needed.
    pub dirty: bool,
    /// An owner (Deployment, ReplicaSet) went away: the garbage collector has work.
    pub owners_removed: bool,
    /// Pods or ReplicaSets were written through the API: orphans may need adopting, or pods
    /// whose labels changed releasing. (Controller writes never need it.)
    pub claims_needed: bool,
    /// Something the work queues cannot follow happened (an API write): every ReplicaSet,
    /// the scheduler and the endpoints look again.
    pub everything: bool,
    /// ReplicaSets whose spec, or one of whose pods, changed since their last sync.
    pub replica_sets: BTreeSet<ObjectKey>,
    /// A pod was created without a node: the scheduler tries it.
    pub unbound_pods: bool,
    /// Room may have appeared (a pod left its node or finished): the scheduler also retries
    /// the pods it could not place, as kube-scheduler moves its unschedulable pods back to
    /// the active queue on such events (and only then: a new pending pod frees nothing).
    pub room_freed: bool,
    /// A pod changed: the endpoints controller recomputes.
    pub endpoints: bool,
}

impl Work {
    /// An API write: anything may have changed.
    pub fn api_write(&mut self) {
        self.dirty = true;
        self.everything = true;
    }

    /// A pod was created, changed or removed: its ReplicaSet (the informer's owner lookup)
    /// and the endpoints controller hear of it.
    pub fn pod_changed(&mut self, pod: &Pod) {
        self.dirty = true;
        self.endpoints = true;
        if let Some(owner) = pod.metadata.controller_ref() {
            if owner.kind == "ReplicaSet" {
                self.replica_sets
                    .insert(ObjectKey::new(&pod.metadata.namespace, &owner.name));
            }
        }
    }

    /// A pod left its node or finished: a pending pod may fit now.
    pub fn room_freed(&mut self) {
        self.dirty = true;
        self.room_freed = true;
    }

    /// A ReplicaSet was written by a controller.
    pub fn replica_set_changed(&mut self, key: &ObjectKey) {
        self.dirty = true;
        self.replica_sets.insert(key.clone());
    }
}
