//! Deletes with a propagation policy (`DeleteOptions.propagationPolicy`, `kubectl delete
//! --cascade`): what happens to the objects the deleted one owns. Background is
//! [`Cluster::delete`]; orphaning removes the owner's references from its dependents first;
//! foreground deletion marks the owner (a `deletionTimestamp` and the `foregroundDeletion`
//! finalizer) and leaves it to the garbage collector, which deletes the dependents and then
//! the owner (`controller::garbage_collector`).

use super::{Cluster, ObjectKey};
use crate::api::ApiError;
use crate::apiserver::Store;
use crate::objects::{Kind, ObjectMeta};
use std::rc::Rc;

/// What a delete does with the objects the deleted one owns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Propagation {
    /// The object goes at once; the garbage collector then deletes its dependents.
    #[default]
    Background,
    /// The object goes at once; its dependents stay, without their reference to it.
    Orphan,
    /// The object stays, marked for deletion, until the garbage collector has deleted its
    /// dependents.
    Foreground,
}

impl Propagation {
    /// `DeleteOptions.propagationPolicy`'s values.
    pub fn parse(policy: &str) -> Option<Propagation> {
        match policy {
            "Background" => Some(Propagation::Background),
            "Orphan" => Some(Propagation::Orphan),
            "Foreground" => Some(Propagation::Foreground),
            _ => None,
        }
    }
}

/// The kinds whose objects own others in the lab (and so may be deleted in the foreground).
pub(crate) fn owns_dependents(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Deployment | Kind::ReplicaSet | Kind::Rollout | Kind::AnalysisRun
    )
}

impl Cluster {
    /// `kubectl delete --cascade=POLICY`: [`Cluster::delete`] with what becomes of the
    /// object's dependents.
    pub fn delete_with(
        &mut self,
        kind: Kind,
        namespace: &str,
        name: &str,
        propagation: Propagation,
    ) -> Result<(), ApiError> {
        if propagation == Propagation::Background || !owns_dependents(kind) {
            return self.delete(kind, namespace, name);
        }
        let key = ObjectKey::new(namespace, name);
        let Some(meta) = self.api.store.owner_meta_mut(kind, &key) else {
            return Err(ApiError::not_found(kind, name));
        };
        let uid = meta.uid.clone();
        match propagation {
            Propagation::Orphan => {
                self.api.store.remove_owner_references(&uid);
                self.delete(kind, namespace, name)
            }
            _ => {
                if meta.deletion_timestamp.is_none() {
                    meta.mark_for_foreground_deletion(self.api.now);
                }
                self.api.work.api_write();
                self.api.work.owners_removed = true;
                self.settle();
                Ok(())
            }
        }
    }
}

impl Store {
    /// The metadata of an object of a kind that owns others, to write.
    pub(crate) fn owner_meta_mut(
        &mut self,
        kind: Kind,
        key: &ObjectKey,
    ) -> Option<&mut ObjectMeta> {
        match kind {
            Kind::Deployment => self.deployments.get_mut(key).map(|o| &mut o.metadata),
            Kind::ReplicaSet => self.replica_sets.get_mut(key).map(|o| &mut o.metadata),
            Kind::Rollout => self.rollouts.get_mut(key).map(|o| &mut o.metadata),
            Kind::AnalysisRun => self.analysis_runs.get_mut(key).map(|o| &mut o.metadata),
            _ => None,
        }
    }

    /// What the garbage collector does for an orphaning delete: every reference to the
    /// owner `owner_uid` is removed from its dependents.
    pub(crate) fn remove_owner_references(&mut self, owner_uid: &str) {
        let refers = |meta: &ObjectMeta| meta.owner_references.iter().any(|o| o.uid == owner_uid);
        let strip = |meta: &mut ObjectMeta| meta.owner_references.retain(|o| o.uid != owner_uid);
        for rs in self
            .replica_sets
            .values_mut()
            .filter(|o| refers(&o.metadata))
        {
            strip(&mut rs.metadata);
        }
        for pod in self.pods.values_mut().filter(|o| refers(&o.metadata)) {
            strip(&mut Rc::make_mut(pod).metadata);
        }
        for run in self
            .analysis_runs
            .values_mut()
            .filter(|o| refers(&o.metadata))
        {
            strip(&mut run.metadata);
        }
        for ingress in self.ingresses.values_mut().filter(|o| refers(&o.metadata)) {
            strip(&mut ingress.metadata);
        }
    }

    /// Owners waiting for their dependents to be deleted: (kind, key, uid).
    pub(crate) fn foreground_deletions(&self) -> Vec<(Kind, ObjectKey, String)> {
        let mut owners = Vec::new();
        macro_rules! from {
            ($map:expr, $kind:expr) => {
                for (key, object) in $map
                    .iter()
                    .filter(|(_, o)| o.metadata.waits_for_dependents())
                {
                    owners.push(($kind, key.clone(), object.metadata.uid.clone()));
                }
            };
        }
        from!(self.deployments, Kind::Deployment);
        from!(self.replica_sets, Kind::ReplicaSet);
        from!(self.rollouts, Kind::Rollout);
        from!(self.analysis_runs, Kind::AnalysisRun);
        owners
    }
}
