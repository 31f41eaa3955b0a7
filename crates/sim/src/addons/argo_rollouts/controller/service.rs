//! `rollout/service.go`: the Services a Rollout manages get `rollouts-pod-template-hash` in
//! their selector, pointing at the ReplicaSet they should send traffic to.

use super::RolloutContext;
use crate::addons::argo_rollouts::utils::phase::is_dynamically_rolling_back_to_stable;
use crate::addons::argo_rollouts::utils::{
    MANAGED_BY_ROLLOUTS_ANNOTATION, ROLLOUTS_POD_TEMPLATE_HASH,
};
use crate::apiserver::ObjectKey;
use crate::objects::{EventType, ReplicaSet, Service};

/// A referenced Service that does not exist (upstream's lister error).
#[derive(Debug)]
pub(super) struct ServiceNotFound;

impl RolloutContext<'_> {
    pub(super) fn service(&self, name: &str) -> Option<Service> {
        let key = ObjectKey::new(&self.rollout.metadata.namespace, name);
        self.cluster.api.store.services.get(&key).cloned()
    }

    /// `getPreviewAndActiveServices`.
    pub(super) fn preview_and_active_services(
        &self,
    ) -> Result<(Option<Service>, Service), ServiceNotFound> {
        let Some(bg) = self.rollout.blue_green() else {
            return Err(ServiceNotFound);
        };
        let preview = if bg.preview_service.is_empty() {
            None
        } else {
            Some(self.service(&bg.preview_service).ok_or(ServiceNotFound)?)
        };
        let active = self.service(&bg.active_service).ok_or(ServiceNotFound)?;
        Ok((preview, active))
    }

    /// `switchServiceSelector`: returns the Service as it now is.
    pub(super) fn switch_service_selector(&mut self, service: &Service, hash: &str) -> Service {
        let old = service
            .spec
            .selector
            .get(ROLLOUTS_POD_TEMPLATE_HASH)
            .cloned();
        let managed = service
            .metadata
            .annotations
            .contains_key(MANAGED_BY_ROLLOUTS_ANNOTATION);
        if old.as_deref() == Some(hash) && managed {
            return service.clone();
        }
        let mut updated = service.clone();
        if !managed {
            updated.metadata.annotations.insert(
                MANAGED_BY_ROLLOUTS_ANNOTATION.into(),
                self.rollout.metadata.name.clone(),
            );
        }
        updated
            .spec
            .selector
            .insert(ROLLOUTS_POD_TEMPLATE_HASH.into(), hash.to_string());
        let key = ObjectKey::new(&updated.metadata.namespace, &updated.metadata.name);
        self.cluster.api.store.services.insert(key, updated.clone());
        self.cluster.api.work.endpoints = true;
        self.cluster.api.work.dirty = true;
        self.wrote = true;
        let message = format!(
            "Switched selector for service '{}' from '{}' to '{hash}'",
            service.metadata.name,
            old.unwrap_or_default()
        );
        let explanation = self.switch_explanation(&service.metadata.name, hash);
        self.explained_event(
            EventType::Normal,
            "SwitchService",
            message,
            Some(explanation),
        );
        updated
    }

    /// `reconcileStableAndCanaryService`.
    pub(super) fn reconcile_stable_and_canary_service(&mut self) {
        let Some(canary) = self.rollout.canary().cloned() else {
            return;
        };
        let stable = self.stable_rs.clone();
        self.ensure_svc_targets(&canary.stable_service, stable.as_ref(), true);
        // Upstream leaves a traffic-routed canary's Service on the new ReplicaSet here and lets
        // the router move it back to stable, flipping it every sync while the canary pods
        // live (argoproj/argo-rollouts#3078). The lab points it at stable once.
        if self.pause.is_aborted(&self.rollout) {
            self.ensure_svc_targets(&canary.canary_service, stable.as_ref(), true);
            return;
        }
        let new_rs = self.new_rs.clone();
        // Going back to a stable that dynamic stable scaling shrank: the canary Service keeps
        // the pods it selects until the stable is fully available again, or the stable's few
        // pods would take the canary's share of the traffic.
        if new_rs
            .as_ref()
            .and_then(|rs| is_dynamically_rolling_back_to_stable(&self.rollout, rs))
            .is_some()
        {
            return;
        }
        self.ensure_svc_targets(&canary.canary_service, new_rs.as_ref(), true);
    }

    /// `ensureSVCTargets`: point the Service at `rs` once it has available pods (at once
    /// for a Service the Rollout already manages).
    fn ensure_svc_targets(
        &mut self,
        name: &str,
        rs: Option<&ReplicaSet>,
        check_availability: bool,
    ) {
        let (Some(rs), false) = (rs, name.is_empty()) else {
            return;
        };
        let Some(service) = self.service(name) else {
            return;
        };
        let current = service
            .spec
            .selector
            .get(ROLLOUTS_POD_TEMPLATE_HASH)
            .map(String::as_str);
        let desired = super::pod_template_hash(rs);
        if current == Some(desired) {
            return;
        }
        let managed = service
            .metadata
            .annotations
            .contains_key(MANAGED_BY_ROLLOUTS_ANNOTATION);
        if !managed && check_availability && !is_replica_set_available(rs) {
            return;
        }
        if check_availability && rs.status.available_replicas == 0 {
            return;
        }
        let desired = desired.to_string();
        self.switch_service_selector(&service, &desired);
    }
}

/// `IsReplicaSetAvailable`.
fn is_replica_set_available(rs: &ReplicaSet) -> bool {
    rs.spec.replicas != 0
        && rs.status.available_replicas != 0
        && rs.spec.replicas <= rs.status.available_replicas
}

/// The service controller's cleanup: a Service still managed by a Rollout that is gone gets
/// its `rollouts-pod-template-hash` selector and managed-by annotation removed.
pub(super) fn release_orphaned_services(cluster: &mut crate::cluster::Cluster) -> bool {
    let orphaned: Vec<ObjectKey> = cluster
        .api
        .store
        .services
        .iter()
        .filter(|(key, service)| {
            service
                .metadata
                .annotations
                .get(MANAGED_BY_ROLLOUTS_ANNOTATION)
                .is_some_and(|owner| {
                    !cluster
                        .api
                        .store
                        .rollouts
                        .contains_key(&ObjectKey::new(&key.namespace, owner))
                })
        })
        .map(|(key, _)| key.clone())
        .collect();
    for key in &orphaned {
        if let Some(service) = cluster.api.store.services.get_mut(key) {
            service
                .metadata
                .annotations
                .remove(MANAGED_BY_ROLLOUTS_ANNOTATION);
            service.spec.selector.remove(ROLLOUTS_POD_TEMPLATE_HASH);
        }
        cluster.api.work.endpoints = true;
        cluster.api.work.dirty = true;
    }
    !orphaned.is_empty()
}
