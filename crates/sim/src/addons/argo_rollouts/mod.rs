//! # Argo Rollouts
//!
//! The `argo-rollouts` controller (v1.9.1) as an add-on: installing it serves the
//! `argoproj.io` kinds (its CRDs) and runs its controller in every settle round. The
//! controller is decomposed as upstream's `rollout/` package is, so the two read side by side:
//! - [`controller`]: one `rolloutContext` per Rollout and its `reconcile` (`controller.go`,
//!   `context.go`, `sync.go`, `canary.go`, `bluegreen.go`, `replicaset.go`, `pause.go`,
//!   `service.go`);
//! - [`replicaset`]: the canary replica arithmetic of `utils/replicaset/canary.go`;
//! - [`utils`]: upstream's `utils/` helpers the controller leans on (conditions, annotations,
//!   hashes, defaults, the rollout phase).

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
}

impl Addon for ArgoRolloutsAddon {
    fn name(&self) -> &'static str {
        ARGO_ROLLOUTS
    }

    fn reconcile(&mut self, cluster: &mut Cluster) -> bool {
        controller::sync_all(cluster, &mut self.seen)
    }

    fn clone_box(&self) -> Box<dyn Addon> {
        Box::new(self.clone())
    }
}
