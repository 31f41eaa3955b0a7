//! # Add-ons: what is installed into the cluster on top of Kubernetes itself
//!
//! Each add-on is its own module with its own constants, controller and state, plugged in
//! through [`crate::cluster::Addon`] and installed with [`crate::cluster::Cluster::install`],
//! the way `helm install` or `kubectl apply -f <release>.yaml` adds one to a real cluster.
//! A cluster from [`crate::cluster::Cluster::new`] has none; the lab installs the course's
//! (see [`course_addons`]).
//!
//! - [`ingress_nginx`]: the ingress-nginx controller — its address, its status sync, and
//!   (through `crate::network::ingress_nginx`, its routing rules) its proxy.
//! - [`argo_rollouts`]: Argo Rollouts, installed from its release manifest.
//! - [`gateway_api`]: Envoy Gateway, the lab's Gateway API implementation: the Gateway API's
//!   kinds, their CRDs' rules and the controller's status.
//! - [`metrics_server`]: metrics-server (the resource metrics API) and, with it, the
//!   horizontal pod autoscaler's loop.

pub mod argo_rollouts;
pub mod gateway_api;
pub mod ingress_nginx;
pub mod metrics_server;

use crate::cluster::Addon;

/// The add-ons the course's cluster has installed, in install order.
pub fn course_addons() -> Vec<Box<dyn Addon>> {
    vec![Box::new(ingress_nginx::IngressNginxAddon::default())]
}

/// Whether an add-on's controller is up: a pod in `namespace` carrying its release's `label`,
/// ready and not being deleted. `None`: the add-on was made without its Deployment (tests),
/// and always runs.
pub(crate) fn controller_pod_ready(
    cluster: &crate::cluster::Cluster,
    namespace: Option<&str>,
    (key, value): (&str, &str),
) -> bool {
    let Some(namespace) = namespace else {
        return true;
    };
    cluster.api.store.pods_in(namespace).any(|pod| {
        pod.metadata.labels.get(key).map(String::as_str) == Some(value)
            && pod.metadata.deletion_timestamp.is_none()
            && pod.is_ready()
    })
}
