//! `rollout/templateref.go` and `scale_utils.go`: a Rollout with `workloadRef` runs the pod
//! template and selector of a Deployment (or ReplicaSet) it points at, and can scale that
//! workload down as it takes over (`scaleDown: never | onsuccess | progressively`).

use super::RolloutContext;
use crate::apiserver::ObjectKey;
use crate::cluster::Cluster;
use crate::manifest::encode::to_value;
use crate::objects::{Deployment, LabelSelector, Object, Rollout};

/// `annotations.WorkloadGenerationAnnotation`.
pub(super) const WORKLOAD_GENERATION_ANNOTATION: &str = "rollout.argoproj.io/workload-generation";

/// What resolving the reference gave: the template and selector to run, or why not.
pub(super) enum Resolved {
    /// No `workloadRef`.
    Own,
    /// The workload's template (as the API returns it) and selector, and its generation.
    FromRef {
        template: serde_json::Value,
        selector: Option<LabelSelector>,
        generation: i64,
    },
}

/// `Resolve`: the error is upstream's text, shown in the InvalidSpec condition.
pub(super) fn resolve(cluster: &Cluster, ro: &Rollout) -> Result<Resolved, String> {
    let Some(reference) = &ro.spec.workload_ref else {
        return Ok(Resolved::Own);
    };
    if !ro.spec.template.is_null() && ro.spec.template != serde_json::json!({}) {
        return Err("template must be empty for workload reference rollout".into());
    }
    let group = reference
        .api_version
        .rsplit_once('/')
        .map_or("", |(g, _)| g);
    let key = ObjectKey::new(&ro.metadata.namespace, &reference.name);
    let (object, resource) = match (group, reference.kind.as_str()) {
        ("apps", "Deployment") => (
            cluster
                .api
                .store
                .deployments
                .get(&key)
                .cloned()
                .map(Object::Deployment),
            "deployments.apps",
        ),
        ("apps", "ReplicaSet") => (
            cluster
                .api
                .store
                .replica_sets
                .get(&key)
                .cloned()
                .map(Object::ReplicaSet),
            "replicasets.apps",
        ),
        (group, kind) => return Err(format!("workload of type {group}/{kind} is not supported")),
    };
    let Some(object) = object else {
        return Err(format!("{resource} {:?} not found", reference.name));
    };
    let value = to_value(&object);
    let template = value.pointer("/spec/template").cloned().unwrap_or_default();
    let selector = match ro.spec.selector {
        Some(_) => None,
        None => value
            .pointer("/spec/selector")
            .and_then(|s| serde_json::from_value(s.clone()).ok()),
    };
    Ok(Resolved::FromRef {
        template,
        selector,
        generation: object.metadata().generation,
    })
}

/// `InvalidWorkloadRef`'s value: the reference as its generated `String()` prints it.
pub(super) fn reference_string(ro: &Rollout) -> String {
    let r = ro.spec.workload_ref.clone().unwrap_or_default();
    format!(
        "&ObjectRef{{APIVersion:{},Kind:{},Name:{},ScaleDown:{},}}",
        r.api_version, r.kind, r.name, r.scale_down
    )
}

impl RolloutContext<'_> {
    /// `scaleDeployment`: the referenced Deployment to `target` replicas (never below 0).
    pub(super) fn scale_deployment(&mut self, target: i32) {
        let Some(reference) = self.rollout.spec.workload_ref.clone() else {
            return;
        };
        let key = ObjectKey::new(&self.rollout.metadata.namespace, &reference.name);
        let Some(deployment) = self.cluster.api.store.deployments.get(&key).cloned() else {
            return;
        };
        let target = target.max(0);
        if deployment.spec.replicas == target {
            return;
        }
        let mut updated = Deployment {
            spec: crate::objects::DeploymentSpec {
                replicas: target,
                ..deployment.spec.clone()
            },
            ..deployment
        };
        // A spec change through the API moves the generation.
        updated.metadata.generation += 1;
        self.cluster.api.store.deployments.insert(key, updated);
        self.cluster.api.work.api_write();
        self.wrote = true;
    }
}
