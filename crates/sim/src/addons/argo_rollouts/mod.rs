//! # Argo Rollouts
//!
//! The `argo-rollouts` controller (v1.9.1) as an add-on: installing it serves the
//! `argoproj.io` kinds (its CRDs) and runs its controller in every settle round. The
//! controller is decomposed as upstream's `rollout/` package is, so the two read side by side:
//! - [`controller`]: one `rolloutContext` per Rollout and its `reconcile` (`controller.go`,
//!   `context.go`, `sync.go`, `canary.go`, `bluegreen.go`, `replicaset.go`, `pause.go`,
//!   `service.go`);
//! - [`analysis`]: the analysis controller (`analysis/`, `metricproviders/`): AnalysisRuns
//!   measured on the virtual clock through the lab's network and Prometheus (its README
//!   says what the lab's providers answer);
//! - [`replicaset`]: the canary replica arithmetic of `utils/replicaset/canary.go`;
//! - [`utils`]: upstream's `utils/` helpers the controller leans on (conditions, annotations,
//!   hashes, defaults, the rollout phase, analysis).

pub mod analysis;
pub mod controller;
pub mod replicaset;
pub mod utils;

use crate::cluster::{Addon, Cluster};
use crate::objects::ARGO_ROLLOUTS;

/// The Argo Rollouts controller, installed (`kubectl apply -f install.yaml`).
#[derive(Clone, Debug, Default)]
pub struct ArgoRolloutsAddon {
    /// The Rollouts its informer has seen (by UID): the first sight is an event.
    seen: std::collections::BTreeSet<String>,
    /// The namespace its controller's pod runs in, when installed from the release manifest:
    /// the controller works only while that pod is ready. `None`: always running (tests).
    controller_namespace: Option<String>,
    /// The traffic router plugins its config (`argo-rollouts-config`, `trafficRouterPlugins`)
    /// registers, read when the controller starts. The lab does not simulate ConfigMaps: the
    /// course's install registers the Gateway API plugin ([`Self::running_in`]).
    traffic_router_plugins: Vec<String>,
    /// The rollout controller's work queue: Rollouts whose last syncs failed, and how often.
    failures: controller::Failures,
}

/// The label the release's controller pods carry.
const CONTROLLER_LABEL: (&str, &str) = ("app.kubernetes.io/name", "argo-rollouts");

impl ArgoRolloutsAddon {
    /// The controller as the release manifest runs it: a Deployment in `namespace`.
    pub fn running_in(namespace: &str) -> Self {
        ArgoRolloutsAddon {
            controller_namespace: Some(namespace.to_string()),
            traffic_router_plugins: vec![controller::gatewayapi::PLUGIN_NAME.to_string()],
            ..Self::default()
        }
    }

    /// The controller with `plugins` in its config's `trafficRouterPlugins`.
    pub fn with_traffic_router_plugins(mut self, plugins: &[&str]) -> Self {
        self.traffic_router_plugins = plugins.iter().map(|p| p.to_string()).collect();
        self
    }

    /// Whether the controller process is up (its pod ready).
    fn controller_ready(&self, cluster: &Cluster) -> bool {
        super::controller_pod_ready(
            cluster,
            self.controller_namespace.as_deref(),
            CONTROLLER_LABEL,
        )
    }
}

impl Addon for ArgoRolloutsAddon {
    fn name(&self) -> &'static str {
        ARGO_ROLLOUTS
    }

    fn reconcile(&mut self, cluster: &mut Cluster) -> bool {
        if !self.controller_ready(cluster) {
            return false;
        }
        // Two controllers in one process, as upstream: the analysis controller measures the
        // runs, the rollout controller reads their phases.
        let measured = analysis::sync_all(cluster);
        controller::sync_all(
            cluster,
            &mut self.seen,
            &mut self.failures,
            &self.traffic_router_plugins,
        ) | measured
    }

    fn clone_box(&self) -> Box<dyn Addon> {
        Box::new(self.clone())
    }
}
