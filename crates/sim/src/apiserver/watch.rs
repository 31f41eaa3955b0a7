//! What a watch would have seen between two looks. Within one instant a rollout writes a
//! Deployment and its ReplicaSets several times — the Deployment controller sets DESIRED,
//! then the ReplicaSet controller reports CURRENT and READY — and `kubectl get rs -w` shows
//! a row for each. The log keeps each Deployment and ReplicaSet as it stood after every
//! settle round in which it changed, so a watcher that looks once per animation frame still
//! prints every step.

use super::{ObjectKey, Store};
use crate::objects::{Deployment, ReplicaSet};
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;

/// Enough for every step of a large rollout between two looks; older steps are forgotten.
const KEPT: usize = 512;

/// One recorded state.
#[derive(Clone, Debug)]
pub enum Written {
    Deployment(Rc<Deployment>),
    ReplicaSet(Rc<ReplicaSet>),
}

#[derive(Clone, Debug, Default)]
pub struct WatchLog {
    entries: VecDeque<(u64, Written)>,
    next: u64,
    deployments: BTreeMap<ObjectKey, Rc<Deployment>>,
    replica_sets: BTreeMap<ObjectKey, Rc<ReplicaSet>>,
}

impl WatchLog {
    /// Notes every Deployment and ReplicaSet that differs from its last recorded state.
    pub(crate) fn record(&mut self, store: &Store) {
        for (key, d) in &store.deployments {
            if self.deployments.get(key).is_none_or(|last| **last != *d) {
                let d = Rc::new(d.clone());
                self.deployments.insert(key.clone(), d.clone());
                self.push(Written::Deployment(d));
            }
        }
        for (key, rs) in &store.replica_sets {
            if self.replica_sets.get(key).is_none_or(|last| **last != *rs) {
                let rs = Rc::new(rs.clone());
                self.replica_sets.insert(key.clone(), rs.clone());
                self.push(Written::ReplicaSet(rs));
            }
        }
        self.deployments
            .retain(|key, _| store.deployments.contains_key(key));
        self.replica_sets
            .retain(|key, _| store.replica_sets.contains_key(key));
    }

    fn push(&mut self, written: Written) {
        self.entries.push_back((self.next, written));
        self.next += 1;
        if self.entries.len() > KEPT {
            self.entries.pop_front();
        }
    }

    /// Where a new watcher starts reading.
    pub fn cursor(&self) -> u64 {
        self.next
    }

    /// The states recorded since `cursor`, oldest first.
    pub fn since(&self, cursor: u64) -> impl Iterator<Item = &Written> {
        self.entries
            .iter()
            .filter(move |(seq, _)| *seq >= cursor)
            .map(|(_, written)| written)
    }
}
