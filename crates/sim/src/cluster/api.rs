//! The API server's write path: create, apply, replace, update and delete, with the
//! server-side bookkeeping users see — UIDs, creation times, generation bumps on spec
//! changes only, allocated Service IPs — and `created` / `configured` / `unchanged`.

use super::{reference, Cluster, ObjectKey};
use crate::api::ApiError;
use crate::objects::{
    Deployment, Kind, Namespace, Object, ObjectMeta, Pod, Rollout, RolloutStatus, Service,
    ServiceType,
};
use std::fmt;

/// What `kubectl apply` reports for one object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApplyOutcome {
    Created,
    Configured,
    Unchanged,
}

impl fmt::Display for ApplyOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ApplyOutcome::Created => "created",
            ApplyOutcome::Configured => "configured",
            ApplyOutcome::Unchanged => "unchanged",
        })
    }
}

impl Cluster {
    /// `kubectl create`: the object must not exist yet.
    pub fn create(&mut self, object: Object) -> Result<(), ApiError> {
        let kind = object.kind();
        let key = self.key_of(&object)?;
        if self.exists(kind, &key) {
            return Err(ApiError::already_exists(kind, key.name));
        }
        self.insert_new(object, key);
        self.settle();
        Ok(())
    }

    /// `kubectl apply`: create, or change the live object to match (spec changes bump the
    /// generation; an identical object is left untouched).
    pub fn apply(&mut self, object: Object) -> Result<ApplyOutcome, ApiError> {
        let kind = object.kind();
        let key = self.key_of(&object)?;
        if !self.exists(kind, &key) {
            self.insert_new(object, key);
            self.settle();
            return Ok(ApplyOutcome::Created);
        }
        let changed = self.update_existing(object, &key);
        self.settle();
        Ok(if changed {
            ApplyOutcome::Configured
        } else {
            ApplyOutcome::Unchanged
        })
    }

    /// A server-side dry run of [`Cluster::apply`] (`kubectl diff`): the object as the API
    /// server would store it — defaults, kept server fields, a new `generation` when the spec
    /// changes, a UID for a new one — written to a copy of the store, so nothing changes
    /// and no controller runs.
    pub fn dry_run_apply(&self, object: Object) -> Result<Object, ApiError> {
        let kind = object.kind();
        let key = self.key_of(&object)?;
        let mut scratch = self.clone();
        if scratch.exists(kind, &key) {
            scratch.update_existing(object, &key);
        } else {
            scratch.insert_new(object, key.clone());
        }
        scratch
            .get(kind, &key.namespace, &key.name)
            .ok_or_else(|| ApiError::not_found(kind, key.name))
    }

    /// `kubectl replace`: the object must exist; it is replaced as a whole.
    pub fn replace(&mut self, object: Object) -> Result<(), ApiError> {
        let kind = object.kind();
        let key = self.key_of(&object)?;
        if !self.exists(kind, &key) {
            return Err(ApiError::not_found(kind, key.name));
        }
        self.update_existing(object, &key);
        self.settle();
        Ok(())
    }

    /// Changes an object in place (scale, set image, label, patch…), as a read-modify-write
    /// through the API. Returns whether anything changed.
    pub fn update(
        &mut self,
        kind: Kind,
        namespace: &str,
        name: &str,
        change: impl FnOnce(&mut Object),
    ) -> Result<bool, ApiError> {
        let Some(mut object) = self.get(kind, namespace, name) else {
            return Err(ApiError::not_found(kind, name));
        };
        change(&mut object);
        let key = ObjectKey::new(if kind.is_namespaced() { namespace } else { "" }, name);
        let changed = self.update_existing(object, &key);
        self.settle();
        Ok(changed)
    }

    /// [`Cluster::update`] for a Deployment (scale, pause, resume, undo, restart).
    pub fn update_deployment(
        &mut self,
        namespace: &str,
        name: &str,
        change: impl FnOnce(&mut Deployment),
    ) -> Result<bool, ApiError> {
        self.update(Kind::Deployment, namespace, name, |object| {
            if let Object::Deployment(d) = object {
                change(d);
            }
        })
    }

    /// [`Cluster::update`] for a ReplicaSet.
    pub fn update_replica_set(
        &mut self,
        namespace: &str,
        name: &str,
        change: impl FnOnce(&mut crate::objects::ReplicaSet),
    ) -> Result<bool, ApiError> {
        self.update(Kind::ReplicaSet, namespace, name, |object| {
            if let Object::ReplicaSet(rs) = object {
                change(rs);
            }
        })
    }

    /// [`Cluster::update`] for a Rollout's spec or metadata (`kubectl argo rollouts pause`,
    /// `restart`, `set image`, `undo`): the CRD's status subresource keeps the status as it
    /// is, and a spec change bumps the generation.
    pub fn update_rollout(
        &mut self,
        namespace: &str,
        name: &str,
        change: impl FnOnce(&mut Rollout),
    ) -> Result<bool, ApiError> {
        self.update(Kind::Rollout, namespace, name, |object| {
            if let Object::Rollout(rollout) = object {
                change(rollout);
            }
        })
    }

    /// A write to a Rollout's `status` subresource (`kubectl argo rollouts promote`, `abort`,
    /// `retry`): only the status changes, so the generation stays; the controller reacts in
    /// the settle that follows.
    pub fn patch_rollout_status(
        &mut self,
        namespace: &str,
        name: &str,
        change: impl FnOnce(&mut RolloutStatus),
    ) -> Result<(), ApiError> {
        let key = ObjectKey::new(namespace, name);
        let Some(rollout) = self.api.store.rollouts.get_mut(&key) else {
            return Err(ApiError::not_found(Kind::Rollout, name));
        };
        let before = rollout.status.clone();
        change(&mut rollout.status);
        if rollout.status != before {
            self.api.work.api_write();
        }
        self.settle();
        Ok(())
    }

    /// `kubectl cordon` (`true`) and `uncordon` (`false`): the node's `spec.unschedulable`.
    /// The node lifecycle controller mirrors it as the `node.kubernetes.io/unschedulable`
    /// `NoSchedule` taint, and the kubelet reports it with a `NodeNotSchedulable` or
    /// `NodeSchedulable` event. Pods already on the node stay; pending pods may now fit
    /// elsewhere or nowhere. Returns whether the node changed.
    pub fn set_unschedulable(&mut self, name: &str, unschedulable: bool) -> Result<bool, ApiError> {
        let now = self.api.now;
        let node = self
            .api
            .store
            .nodes
            .get_mut(name)
            .ok_or_else(|| ApiError::not_found(Kind::Node, name))?;
        if node.spec.unschedulable == unschedulable {
            return Ok(false);
        }
        node.spec.unschedulable = unschedulable;
        let taint = crate::scheduler::plugins::nodeunschedulable::TAINT_NODE_UNSCHEDULABLE;
        node.spec.taints.retain(|t| t.key != taint);
        if unschedulable {
            node.spec.taints.push(crate::objects::Taint {
                key: taint.to_string(),
                value: String::new(),
                effect: "NoSchedule".to_string(),
                time_added: Some(now),
            });
        }
        let status = if unschedulable {
            "NodeNotSchedulable"
        } else {
            "NodeSchedulable"
        };
        let object = reference(Kind::Node, &node.metadata);
        self.api.record(
            object,
            crate::objects::EventType::Normal,
            status,
            format!("Node {name} status is now: {status}"),
            "kubelet",
            None,
        );
        self.api.work.api_write();
        self.settle();
        Ok(true)
    }

    /// `kubectl delete`: pods terminate gracefully; owned objects follow through the garbage
    /// collector.
    pub fn delete(&mut self, kind: Kind, namespace: &str, name: &str) -> Result<(), ApiError> {
        let key = ObjectKey::new(namespace, name);
        let found = match kind {
            Kind::Deployment => self.api.store.deployments.remove(&key).is_some(),
            Kind::ReplicaSet => self.api.store.replica_sets.remove(&key).is_some(),
            Kind::Pod => {
                let found = self.api.store.pods.contains_key(&key);
                self.node().delete_pod_gracefully(&key, None);
                found
            }
            Kind::Service => match self.api.store.services.remove(&key) {
                Some(service) => {
                    self.api.ids.release_service_ip(&service.spec.cluster_ip);
                    for port in service.spec.ports.iter().filter_map(|p| p.node_port) {
                        self.api.ids.release_node_port(port);
                    }
                    true
                }
                None => false,
            },
            Kind::Endpoints => self.api.store.endpoints.remove(&key).is_some(),
            Kind::EndpointSlice => self.api.store.endpoint_slices.remove(&key).is_some(),
            Kind::Ingress => self.api.store.ingresses.remove(&key).is_some(),
            Kind::PodDisruptionBudget => {
                self.api.store.pod_disruption_budgets.remove(&key).is_some()
            }
            Kind::HorizontalPodAutoscaler => self
                .api
                .store
                .horizontal_pod_autoscalers
                .remove(&key)
                .is_some(),
            Kind::Rollout => self.api.store.rollouts.remove(&key).is_some(),
            Kind::AnalysisTemplate => self.api.store.analysis_templates.remove(&key).is_some(),
            Kind::ClusterAnalysisTemplate => self
                .api
                .store
                .cluster_analysis_templates
                .remove(&ObjectKey::new("", name))
                .is_some(),
            Kind::AnalysisRun => self.api.store.analysis_runs.remove(&key).is_some(),
            Kind::GatewayClass | Kind::Gateway | Kind::HTTPRoute | Kind::ReferenceGrant => {
                let namespace = if kind.is_namespaced() { namespace } else { "" };
                let key = (kind, ObjectKey::new(namespace, name));
                self.api.store.custom.remove(&key).is_some()
            }
            Kind::Namespace => self.delete_namespace(name),
            Kind::Node | Kind::Event => false,
        };
        if !found {
            return Err(ApiError::not_found(kind, name));
        }
        self.api.work.api_write();
        self.api.work.owners_removed = true;
        self.settle();
        Ok(())
    }

    /// Deletes a pod with `grace_seconds` instead of its own grace period (`None`: its own);
    /// 0 removes the object at once, as the API server does with a zero grace period.
    pub fn delete_pod(
        &mut self,
        namespace: &str,
        name: &str,
        grace_seconds: Option<i64>,
    ) -> Result<(), ApiError> {
        if grace_seconds == Some(0) {
            return self.force_delete(Kind::Pod, namespace, name);
        }
        let key = ObjectKey::new(namespace, name);
        if !self.api.store.pods.contains_key(&key) {
            return Err(ApiError::not_found(Kind::Pod, name));
        }
        self.node().delete_pod_gracefully(&key, grace_seconds);
        self.api.work.api_write();
        self.settle();
        Ok(())
    }

    /// `kubectl delete --grace-period=0 --force`: the object is gone at once (a pod's
    /// containers may still be stopping on the node, as on a real cluster).
    pub fn force_delete(
        &mut self,
        kind: Kind,
        namespace: &str,
        name: &str,
    ) -> Result<(), ApiError> {
        if kind == Kind::Pod {
            let key = ObjectKey::new(namespace, name);
            let Some(pod) = self.api.store.pods.get(&key) else {
                return Err(ApiError::not_found(kind, name));
            };
            let uid = pod.metadata.uid.clone();
            self.node().delete_pod_gracefully(&key, Some(0));
            self.node().remove_pod_now(&uid, &key);
            self.settle();
            return Ok(());
        }
        self.delete(kind, namespace, name)
    }

    fn delete_namespace(&mut self, name: &str) -> bool {
        if self.api.store.namespaces.remove(name).is_none() {
            return false;
        }
        let inside = |key: &ObjectKey| key.namespace == name;
        self.api.store.deployments.retain(|k, _| !inside(k));
        self.api.store.replica_sets.retain(|k, _| !inside(k));
        self.api.store.services.retain(|k, _| !inside(k));
        self.api.store.endpoints.retain(|k, _| !inside(k));
        self.api.store.endpoint_slices.retain(|k, _| !inside(k));
        self.api.store.ingresses.retain(|k, _| !inside(k));
        self.api
            .store
            .pod_disruption_budgets
            .retain(|k, _| !inside(k));
        self.api
            .store
            .horizontal_pod_autoscalers
            .retain(|k, _| !inside(k));
        self.api.store.rollouts.retain(|k, _| !inside(k));
        self.api.store.analysis_templates.retain(|k, _| !inside(k));
        self.api.store.analysis_runs.retain(|k, _| !inside(k));
        self.api.store.custom.retain(|(_, k), _| !inside(k));
        true
    }

    /// Where the object lives; namespaced objects default to `default`, whose namespace must
    /// exist.
    fn key_of(&self, object: &Object) -> Result<ObjectKey, ApiError> {
        let meta = object.metadata();
        if !object.kind().is_namespaced() {
            return Ok(ObjectKey::new("", &meta.name));
        }
        let namespace = if meta.namespace.is_empty() {
            "default"
        } else {
            meta.namespace.as_str()
        };
        if !self.api.store.namespaces.contains_key(namespace) {
            return Err(ApiError::not_found(Kind::Namespace, namespace));
        }
        Ok(ObjectKey::new(namespace, &meta.name))
    }

    fn exists(&self, kind: Kind, key: &ObjectKey) -> bool {
        match kind {
            Kind::Namespace => self.api.store.namespaces.contains_key(&key.name),
            Kind::Deployment => self.api.store.deployments.contains_key(key),
            Kind::ReplicaSet => self.api.store.replica_sets.contains_key(key),
            Kind::Pod => self.api.store.pods.contains_key(key),
            Kind::Service => self.api.store.services.contains_key(key),
            Kind::Endpoints => self.api.store.endpoints.contains_key(key),
            Kind::EndpointSlice => self.api.store.endpoint_slices.contains_key(key),
            Kind::Ingress => self.api.store.ingresses.contains_key(key),
            Kind::PodDisruptionBudget => self.api.store.pod_disruption_budgets.contains_key(key),
            Kind::HorizontalPodAutoscaler => {
                self.api.store.horizontal_pod_autoscalers.contains_key(key)
            }
            Kind::Rollout => self.api.store.rollouts.contains_key(key),
            Kind::AnalysisTemplate => self.api.store.analysis_templates.contains_key(key),
            Kind::ClusterAnalysisTemplate => {
                self.api.store.cluster_analysis_templates.contains_key(key)
            }
            Kind::AnalysisRun => self.api.store.analysis_runs.contains_key(key),
            Kind::GatewayClass | Kind::Gateway | Kind::HTTPRoute | Kind::ReferenceGrant => {
                self.api.store.custom.contains_key(&(kind, key.clone()))
            }
            Kind::Node => self.api.store.nodes.contains_key(&key.name),
            Kind::Event => false,
        }
    }

    /// Stores a new object with the server-set fields filled in.
    fn insert_new(&mut self, mut object: Object, key: ObjectKey) {
        self.api.work.claims_needed |= matches!(object, Object::Pod(_) | Object::ReplicaSet(_));
        let kind = object.kind();
        let fresh = self.api.new_metadata(&key.name, &key.namespace);
        let meta = object.metadata_mut();
        meta.uid = fresh.uid;
        meta.namespace = key.namespace.clone();
        meta.creation_timestamp = fresh.creation_timestamp;
        meta.generation = i64::from(crate::apiserver::has_generation(kind));
        meta.deletion_timestamp = None;
        match object {
            Object::Namespace(ns) => {
                self.api.store.namespaces.insert(key.name, ns);
            }
            Object::Deployment(mut d) => {
                d.status = Default::default();
                self.api.store.deployments.insert(key, d);
            }
            Object::ReplicaSet(mut rs) => {
                rs.status = Default::default();
                self.api.store.replica_sets.insert(key, rs);
            }
            Object::Pod(mut pod) => {
                pod.status = Default::default();
                self.api.store.pods.insert(key, std::rc::Rc::new(pod));
            }
            Object::Service(mut service) => {
                self.allocate_service_addresses(&mut service, None);
                self.api.store.services.insert(key, service);
            }
            Object::Endpoints(endpoints) => {
                self.api.store.endpoints.insert(key, endpoints);
            }
            Object::EndpointSlice(slice) => {
                self.api.store.endpoint_slices.insert(key, slice);
            }
            Object::Ingress(ingress) => {
                self.api.store.ingresses.insert(key, ingress);
            }
            // The status is the disruption controller's to write.
            Object::PodDisruptionBudget(mut pdb) => {
                pdb.status = Default::default();
                self.api.store.pod_disruption_budgets.insert(key, pdb);
            }
            // The status is the autoscaler's to write.
            Object::HorizontalPodAutoscaler(mut hpa) => {
                hpa.status = serde_json::json!({"desiredReplicas": 0});
                self.api.store.horizontal_pod_autoscalers.insert(key, hpa);
            }
            Object::Rollout(mut rollout) => {
                rollout.status = Default::default();
                self.api.store.rollouts.insert(key, *rollout);
            }
            Object::AnalysisTemplate(template) => {
                self.api.store.analysis_templates.insert(key, template);
            }
            Object::ClusterAnalysisTemplate(template) => {
                self.api
                    .store
                    .cluster_analysis_templates
                    .insert(key, template);
            }
            // Without a status subresource, a run is stored with the status it was sent with.
            Object::AnalysisRun(run) => {
                self.api.store.analysis_runs.insert(key, run);
            }
            // A status subresource: what was sent is ignored and the CRD's default status
            // (put in by decoding) stands until the implementation writes its own.
            Object::Custom(custom) => {
                self.api.store.custom.insert((kind, key), *custom);
            }
        }
        self.api.work.api_write();
    }

    /// Replaces the live object's spec and metadata with `object`'s, keeping what the server
    /// owns. Returns whether anything changed.
    fn update_existing(&mut self, mut object: Object, key: &ObjectKey) -> bool {
        self.api.work.claims_needed |= matches!(object, Object::Pod(_) | Object::ReplicaSet(_));
        match &mut object {
            Object::Deployment(d) => {
                let Some(live) = self.api.store.deployments.get(key) else {
                    return false;
                };
                keep_server_fields(&mut d.metadata, &live.metadata, live.spec != d.spec);
                d.status = live.status.clone();
                keep_revision(&mut d.metadata, &live.metadata);
                if *d == *live {
                    return false;
                }
                self.api.store.deployments.insert(key.clone(), d.clone());
            }
            Object::ReplicaSet(rs) => {
                let Some(live) = self.api.store.replica_sets.get(key) else {
                    return false;
                };
                keep_server_fields(&mut rs.metadata, &live.metadata, live.spec != rs.spec);
                rs.status = live.status.clone();
                if *rs == *live {
                    return false;
                }
                self.api.store.replica_sets.insert(key.clone(), rs.clone());
            }
            Object::Pod(pod) => {
                let Some(live) = self.api.store.pods.get(key).cloned() else {
                    return false;
                };
                keep_server_fields(&mut pod.metadata, &live.metadata, false);
                // Only a few pod fields are mutable; the rest of the spec stays as it runs.
                let mut updated: Pod = (*live).clone();
                updated.metadata = pod.metadata.clone();
                for (running, wanted) in
                    updated.spec.containers.iter_mut().zip(&pod.spec.containers)
                {
                    running.image = wanted.image.clone();
                }
                if updated == *live {
                    return false;
                }
                self.api
                    .store
                    .pods
                    .insert(key.clone(), std::rc::Rc::new(updated));
            }
            Object::Service(service) => {
                let Some(live) = self.api.store.services.get(key).cloned() else {
                    return false;
                };
                keep_server_fields(&mut service.metadata, &live.metadata, false);
                self.allocate_service_addresses(service, Some(&live));
                if *service == live {
                    return false;
                }
                self.api.store.services.insert(key.clone(), service.clone());
            }
            Object::Ingress(ingress) => {
                let Some(live) = self.api.store.ingresses.get(key).cloned() else {
                    return false;
                };
                keep_server_fields(&mut ingress.metadata, &live.metadata, false);
                ingress.status = live.status.clone();
                if *ingress == live {
                    return false;
                }
                self.api
                    .store
                    .ingresses
                    .insert(key.clone(), ingress.clone());
            }
            Object::PodDisruptionBudget(pdb) => {
                let Some(live) = self.api.store.pod_disruption_budgets.get(key) else {
                    return false;
                };
                // A status subresource: writes to the object keep its status.
                keep_server_fields(&mut pdb.metadata, &live.metadata, live.spec != pdb.spec);
                pdb.status = live.status.clone();
                if *pdb == *live {
                    return false;
                }
                self.api
                    .store
                    .pod_disruption_budgets
                    .insert(key.clone(), pdb.clone());
            }
            Object::HorizontalPodAutoscaler(hpa) => {
                let Some(live) = self.api.store.horizontal_pod_autoscalers.get(key) else {
                    return false;
                };
                keep_server_fields(&mut hpa.metadata, &live.metadata, live.spec != hpa.spec);
                hpa.status = live.status.clone();
                if *hpa == *live {
                    return false;
                }
                self.api
                    .store
                    .horizontal_pod_autoscalers
                    .insert(key.clone(), hpa.clone());
            }
            Object::Rollout(rollout) => {
                let Some(live) = self.api.store.rollouts.get(key) else {
                    return false;
                };
                // The CRD has a status subresource: writes to the object keep its status.
                keep_server_fields(
                    &mut rollout.metadata,
                    &live.metadata,
                    live.spec != rollout.spec,
                );
                rollout.status = live.status.clone();
                if **rollout == *live {
                    return false;
                }
                self.api
                    .store
                    .rollouts
                    .insert(key.clone(), (**rollout).clone());
            }
            Object::AnalysisTemplate(template) => {
                let Some(live) = self.api.store.analysis_templates.get(key) else {
                    return false;
                };
                keep_server_fields(
                    &mut template.metadata,
                    &live.metadata,
                    live.spec != template.spec,
                );
                if *template == *live {
                    return false;
                }
                self.api
                    .store
                    .analysis_templates
                    .insert(key.clone(), template.clone());
            }
            Object::ClusterAnalysisTemplate(template) => {
                let Some(live) = self.api.store.cluster_analysis_templates.get(key) else {
                    return false;
                };
                keep_server_fields(
                    &mut template.metadata,
                    &live.metadata,
                    live.spec != template.spec,
                );
                if *template == *live {
                    return false;
                }
                self.api
                    .store
                    .cluster_analysis_templates
                    .insert(key.clone(), template.clone());
            }
            Object::AnalysisRun(run) => {
                let Some(live) = self.api.store.analysis_runs.get(key) else {
                    return false;
                };
                // No status subresource: a write carries the status it was given.
                keep_server_fields(&mut run.metadata, &live.metadata, live.spec != run.spec);
                if *run == *live {
                    return false;
                }
                self.api
                    .store
                    .analysis_runs
                    .insert(key.clone(), run.clone());
            }
            Object::Custom(custom) => {
                let store_key = (custom.kind, key.clone());
                let Some(live) = self.api.store.custom.get(&store_key) else {
                    return false;
                };
                let spec_changed = live.spec() != custom.spec();
                keep_server_fields(&mut custom.metadata, &live.metadata, spec_changed);
                match live.body.get("status") {
                    Some(status) => custom.body.insert("status".into(), status.clone()),
                    None => custom.body.remove("status"),
                };
                if **custom == *live {
                    return false;
                }
                self.api.store.custom.insert(store_key, (**custom).clone());
            }
            Object::EndpointSlice(slice) => {
                let Some(live) = self.api.store.endpoint_slices.get(key).cloned() else {
                    return false;
                };
                keep_server_fields(&mut slice.metadata, &live.metadata, false);
                if *slice == live {
                    return false;
                }
                let slice = slice.clone();
                self.api.store.endpoint_slices.insert(key.clone(), slice);
            }
            Object::Endpoints(endpoints) => {
                let Some(live) = self.api.store.endpoints.get(key).cloned() else {
                    return false;
                };
                keep_server_fields(&mut endpoints.metadata, &live.metadata, false);
                if *endpoints == live {
                    return false;
                }
                self.api
                    .store
                    .endpoints
                    .insert(key.clone(), endpoints.clone());
            }
            Object::Namespace(ns) => {
                let Some(live) = self.api.store.namespaces.get(&key.name).cloned() else {
                    return false;
                };
                keep_server_fields(&mut ns.metadata, &live.metadata, false);
                if *ns == live {
                    return false;
                }
                self.api.store.namespaces.insert(
                    key.name.clone(),
                    Namespace {
                        metadata: ns.metadata.clone(),
                    },
                );
            }
        }
        self.api.work.api_write();
        true
    }

    /// A ClusterIP (kept across updates) and, for NodePort Services, node ports.
    fn allocate_service_addresses(&mut self, service: &mut Service, live: Option<&Service>) {
        match live {
            Some(live) => service.spec.cluster_ip = live.spec.cluster_ip.clone(),
            None if service.spec.cluster_ip.is_empty() => {
                service.spec.cluster_ip = self.api.ids.allocate_service_ip(&mut self.api.rng);
            }
            None => {
                self.api.ids.reserve_service_ip(&service.spec.cluster_ip);
            }
        }
        // The API server keeps `clusterIPs` in step with `clusterIP` (single-stack IPv4).
        service.spec.cluster_ips = if service.spec.cluster_ip.is_empty() {
            Vec::new()
        } else {
            vec![service.spec.cluster_ip.clone()]
        };
        for (i, port) in service.spec.ports.iter_mut().enumerate() {
            if service.spec.type_ == ServiceType::ClusterIP {
                port.node_port = None;
                continue;
            }
            let kept = live
                .and_then(|l| l.spec.ports.get(i))
                .and_then(|p| p.node_port);
            port.node_port = match (port.node_port, kept) {
                (Some(p), _) => {
                    self.api.ids.reserve_node_port(p);
                    Some(p)
                }
                (None, Some(p)) => Some(p),
                (None, None) => self.api.ids.allocate_node_port(&mut self.api.rng),
            };
        }
    }

    /// Looks an object up by kind and name.
    pub fn get(&self, kind: Kind, namespace: &str, name: &str) -> Option<Object> {
        let key = ObjectKey::new(namespace, name);
        Some(match kind {
            Kind::Namespace => Object::Namespace(self.api.store.namespaces.get(name)?.clone()),
            Kind::Deployment => Object::Deployment(self.api.store.deployments.get(&key)?.clone()),
            Kind::ReplicaSet => Object::ReplicaSet(self.api.store.replica_sets.get(&key)?.clone()),
            Kind::Pod => Object::Pod(Pod::clone(self.api.store.pods.get(&key)?)),
            Kind::Service => Object::Service(self.api.store.services.get(&key)?.clone()),
            Kind::Endpoints => Object::Endpoints(self.api.store.endpoints.get(&key)?.clone()),
            Kind::EndpointSlice => {
                Object::EndpointSlice(self.api.store.endpoint_slices.get(&key)?.clone())
            }
            Kind::Ingress => Object::Ingress(self.api.store.ingresses.get(&key)?.clone()),
            Kind::HorizontalPodAutoscaler => Object::HorizontalPodAutoscaler(
                self.api.store.horizontal_pod_autoscalers.get(&key)?.clone(),
            ),
            Kind::PodDisruptionBudget => Object::PodDisruptionBudget(
                self.api.store.pod_disruption_budgets.get(&key)?.clone(),
            ),
            Kind::Rollout => Object::Rollout(Box::new(self.api.store.rollouts.get(&key)?.clone())),
            Kind::AnalysisTemplate => {
                Object::AnalysisTemplate(self.api.store.analysis_templates.get(&key)?.clone())
            }
            Kind::ClusterAnalysisTemplate => Object::ClusterAnalysisTemplate(
                self.api
                    .store
                    .cluster_analysis_templates
                    .get(&ObjectKey::new("", name))?
                    .clone(),
            ),
            Kind::AnalysisRun => {
                Object::AnalysisRun(self.api.store.analysis_runs.get(&key)?.clone())
            }
            Kind::GatewayClass | Kind::Gateway | Kind::HTTPRoute | Kind::ReferenceGrant => {
                let namespace = if kind.is_namespaced() { namespace } else { "" };
                Object::Custom(Box::new(
                    self.api.store.custom(kind, namespace, name)?.clone(),
                ))
            }
            Kind::Node | Kind::Event => return None,
        })
    }
}

/// Server-owned metadata survives an update; the generation moves only with the spec.
fn keep_server_fields(meta: &mut ObjectMeta, live: &ObjectMeta, spec_changed: bool) {
    meta.uid = live.uid.clone();
    meta.namespace = live.namespace.clone();
    meta.creation_timestamp = live.creation_timestamp;
    meta.deletion_timestamp = live.deletion_timestamp;
    meta.owner_references = live.owner_references.clone();
    meta.generation = if spec_changed {
        live.generation + 1
    } else {
        live.generation
    };
}

/// The controller's revision annotation is not the user's to drop by applying a manifest.
fn keep_revision(meta: &mut ObjectMeta, live: &ObjectMeta) {
    const REVISION: &str = crate::controller::util::REVISION_ANNOTATION;
    if let Some(revision) = live.annotation(REVISION) {
        meta.annotations
            .entry(REVISION.to_string())
            .or_insert_with(|| revision.to_string());
    }
}
