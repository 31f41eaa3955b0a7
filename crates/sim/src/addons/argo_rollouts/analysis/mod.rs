//! # The analysis controller (`analysis/` upstream)
//!
//! Measures every AnalysisRun that is not finished: which metrics are due on the virtual
//! clock (`interval`, `count`, `initialDelay`), one measurement each from its provider, the
//! measurement judged by `successCondition`/`failureCondition`, each metric's phase from its
//! counters and limits, and the run's phase from its metrics. It then asks the clock to wake
//! it when the next measurement is due (`cluster.requeue_addon_at`).
//!
//! - [`run`]: `analysis.go` — `reconcileAnalysisRun` and its parts, pure over the run, the
//!   time and the providers;
//! - [`evaluate`]: the conditions' expression language (a subset of expr);
//! - [`provider`]: `metricproviders/` — `web` through the lab's network, `prometheus` against
//!   the lab's request counters ([`promql`]), [`job`] as a pod running a command;
//! - [`jsonpath`]: a web metric's `jsonPath`.
//!
//! What the lab's providers answer, the PromQL and expr subsets, and where the lab departs
//! from upstream are written down in `README.md` next to this file.

pub mod evaluate;
mod job;
pub mod jsonpath;
pub mod promql;
pub mod provider;
pub mod run;

use super::utils::CONTROLLER_NAME;
use crate::apiserver::{reference, ObjectKey};
use crate::cluster::Cluster;
use crate::objects::{EventType, Kind, ARGO_ROLLOUTS};
use provider::LabProviders;

/// One pass over every AnalysisRun (`syncHandler`); true when anything was written.
pub fn sync_all(cluster: &mut Cluster) -> bool {
    let keys: Vec<ObjectKey> = cluster.api.store.analysis_runs.keys().cloned().collect();
    let mut wrote = false;
    for key in keys {
        wrote |= sync_handler(cluster, &key);
    }
    wrote
}

fn sync_handler(cluster: &mut Cluster, key: &ObjectKey) -> bool {
    let Some(orig) = cluster.api.store.analysis_runs.get(key).cloned() else {
        return false;
    };
    if orig.metadata.deletion_timestamp.is_some() {
        return false;
    }
    let now = cluster.api.now;
    let reconciled = {
        let mut providers = LabProviders { cluster };
        run::reconcile_analysis_run(&orig, now, &mut providers)
    };
    for event in &reconciled.events {
        let type_ = if event.warning {
            EventType::Warning
        } else {
            EventType::Normal
        };
        cluster.api.record(
            reference(Kind::AnalysisRun, &orig.metadata),
            type_,
            &event.reason,
            event.message.clone(),
            CONTROLLER_NAME,
            None,
        );
    }
    if let Some(at) = reconciled.requeue_at {
        if at > now {
            cluster.requeue_addon_at(ARGO_ROLLOUTS, at);
        }
    }
    if reconciled.delete {
        cluster.api.store.analysis_runs.remove(key);
        cluster.api.work.dirty = true;
        return true;
    }
    // `persistAnalysisRunStatus`: a merge patch of the status, skipped when nothing changed.
    if reconciled.run.status == orig.status {
        return false;
    }
    if let Some(live) = cluster.api.store.analysis_runs.get_mut(key) {
        live.status = reconciled.run.status;
    }
    cluster.api.work.dirty = true;
    true
}
