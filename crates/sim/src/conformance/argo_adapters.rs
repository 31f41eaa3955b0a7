//! Adapters for Argo Rollouts' cases (`tests/conformance/argo-rollouts.json`), run against
//! [`crate::addons::argo_rollouts::replicaset`].
//!
//! Function names are upstream's, exported or not (`CalculateReplicaCountsForBasicCanary`,
//! `approximateWeightedCanaryStableReplicaCounts`). Inputs use Argo's own JSON field names:
//! - `rollout`: `{"spec": {"replicas", "strategy": {"canary": {...}}}, "status": {...}}` with
//!   the canary fields the arithmetic reads (`maxSurge`, `maxUnavailable`, `steps`,
//!   `trafficRouting`, `dynamicStableScale`, `minPodsPerReplicaSet`,
//!   `abortScaleDownDelaySeconds`, `replicaProgressThreshold`, `analysis.startingStep`) and
//!   the status fields (`abort`, `promoteFull`, `currentStepIndex`, `stableRS`,
//!   `currentPodHash`). A step is `{"setWeight"?, "setCanaryScale"?}`, or any other kind
//!   (`{"pause": {}}`). `"blueGreen"` in place of `"canary"` is a rollout without a canary.
//! - a ReplicaSet (`newRS`, `stableRS`, `rs`, items of `otherRSs`): `{"name", "replicas",
//!   "statusReplicas", "availableReplicas"}`, `null` = nil; `replicas: null` (unset) reads as 1.
//! - `weights`: `status.canary.weights`, `{"canary": {"weight"}, "stable": {"weight"}}`.
//!
//! Unknown keys are errors, so a typo in a case cannot pass unnoticed.

use super::input::{self, Object};
use super::{CaseError, Observed};
use crate::addons::argo_rollouts::replicaset::{
    self as rs, CanaryReplicaSet, CanaryStep, CanaryStrategy, ProgressType,
    ReplicaProgressThreshold, RolloutStatusView, RolloutView, SetCanaryScale, TrafficRouting,
    TrafficWeights,
};
use serde_json::Value;

/// Runs an Argo Rollouts function, or says it is unknown.
pub fn run(function: &str, input: &Object, out: &mut Observed) -> Result<(), CaseError> {
    match function {
        "CalculateReplicaCountsForBasicCanary" => {
            let counts = rs::calculate_replica_counts_for_basic_canary(
                &rollout(input)?,
                replica_set(input, "newRS")?.as_ref(),
                replica_set(input, "stableRS")?.as_ref(),
                &replica_sets(input, "otherRSs")?,
            );
            set_counts(out, counts);
        }
        "CalculateReplicaCountsForTrafficRoutedCanary" => {
            let counts = rs::calculate_replica_counts_for_traffic_routed_canary(
                &rollout(input)?,
                replica_set(input, "newRS")?.as_ref(),
                replica_set(input, "stableRS")?.as_ref(),
                weights(input)?.as_ref(),
            );
            set_counts(out, counts);
        }
        "approximateWeightedCanaryStableReplicaCounts" => {
            let counts = rs::approximate_weighted_canary_stable_replica_counts(
                input::req_i32(input, &["replicas"])?,
                input::req_i32(input, &["weight"])?,
                input::req_i32(input, &["maxWeight"])?,
                input::req_i32(input, &["maxSurge"])?,
            );
            set_counts(out, counts);
        }
        "trafficWeightToReplicas" => {
            let replicas = rs::traffic_weight_to_replicas(
                input::req_i32(input, &["replicas"])?,
                input::req_i32(input, &["weight"])?,
                input::req_i32(input, &["maxWeight"])?,
            );
            out.set("replicas", replicas);
        }
        "AtDesiredReplicaCountsForCanary" => {
            let at_desired = rs::at_desired_replica_counts_for_canary(
                &rollout(input)?,
                replica_set(input, "newRS")?.as_ref(),
                replica_set(input, "stableRS")?.as_ref(),
                &replica_sets(input, "otherRSs")?,
                weights(input)?.as_ref(),
            );
            out.set("atDesiredReplicaCounts", at_desired);
        }
        "BeforeStartingStep" => {
            out.set(
                "beforeStartingStep",
                rs::before_starting_step(&rollout(input)?),
            );
        }
        "GetCurrentCanaryStep" => {
            let rollout = rollout(input)?;
            let (step, index) = rs::get_current_canary_step(&rollout);
            out.set("hasStep", step.is_some());
            out.set("index", index);
        }
        "GetCurrentSetWeight" => {
            out.set("setWeight", rs::get_current_set_weight(&rollout(input)?));
        }
        "GetCanaryReplicasOrWeight" => {
            let rollout = rollout(input)?;
            let (replicas, weight) = rs::get_canary_replicas_or_weight(
                &rollout,
                replica_set(input, "newRS")?.as_ref(),
                replica_set(input, "stableRS")?.as_ref(),
            );
            out.set("replicas", replicas);
            out.set("weight", weight);
        }
        "GetReplicasForScaleDown" => {
            let replicas = rs::get_replicas_for_scale_down(
                replica_set(input, "rs")?.as_ref(),
                input::bool_or(input, "ignoreAvailability", false)?,
            );
            out.set("replicas", replicas);
        }
        "allDesiredAreAvailable" => {
            let available = rs::all_desired_are_available(
                replica_set(input, "rs")?.as_ref(),
                input::req_i32(input, &["desired"])?,
            );
            out.set("allDesiredAreAvailable", available);
        }
        "ReplicaProgressThresholdMet" => {
            let threshold = match input::opt_object(input, "threshold")? {
                Some(threshold) => Some(progress_threshold(threshold)?),
                None => None,
            };
            let met = rs::replica_progress_threshold_met(
                threshold.as_ref(),
                replica_set(input, "rs")?.as_ref(),
                input::req_i32(input, &["desired"])?,
            );
            out.set("met", met);
        }
        // The analysis controller's functions, then the controller's own tests and its
        // utils' (`argo-rollouts-controller.json`).
        other => match super::argo_analysis_adapters::run(other, input, out) {
            Err(CaseError::Unsupported(_)) => {
                super::argo_controller_adapters::run(other, input, out)?
            }
            result => result?,
        },
    }
    Ok(())
}

fn set_counts(out: &mut Observed, counts: rs::ReplicaCounts) {
    out.set("canary", counts.canary);
    out.set("stable", counts.stable);
}

fn only_keys(object: &Object, what: &str, allowed: &[&str]) -> Result<(), CaseError> {
    match object.keys().find(|key| !allowed.contains(&key.as_str())) {
        Some(key) => Err(CaseError::BadInput(format!(
            "unknown key `{key}` in {what}"
        ))),
        None => Ok(()),
    }
}

fn rollout(input: &Object) -> Result<RolloutView, CaseError> {
    let rollout = input::opt_object(input, "rollout")?
        .ok_or_else(|| CaseError::BadInput("missing `rollout`".into()))?;
    only_keys(rollout, "rollout", &["spec", "status"])?;
    let empty = Object::new();
    let spec = input::opt_object(rollout, "spec")?.unwrap_or(&empty);
    only_keys(spec, "rollout.spec", &["replicas", "strategy"])?;
    let strategy = input::opt_object(spec, "strategy")?.unwrap_or(&empty);
    only_keys(strategy, "rollout.spec.strategy", &["canary", "blueGreen"])?;
    let canary = match input::opt_object(strategy, "canary")? {
        Some(canary) => Some(canary_strategy(canary)?),
        None => None,
    };
    let status = input::opt_object(rollout, "status")?.unwrap_or(&empty);
    only_keys(
        status,
        "rollout.status",
        &[
            "abort",
            "promoteFull",
            "currentStepIndex",
            "stableRS",
            "currentPodHash",
        ],
    )?;
    Ok(RolloutView {
        replicas: input::opt_i32(spec, &["replicas"])?,
        canary,
        status: RolloutStatusView {
            abort: input::bool_or(status, "abort", false)?,
            promote_full: input::bool_or(status, "promoteFull", false)?,
            current_step_index: input::opt_i32(status, &["currentStepIndex"])?,
            stable_rs: input::str_or(status, "stableRS", "")?.to_string(),
            current_pod_hash: input::str_or(status, "currentPodHash", "")?.to_string(),
        },
    })
}

fn canary_strategy(canary: &Object) -> Result<CanaryStrategy, CaseError> {
    only_keys(
        canary,
        "canary",
        &[
            "maxSurge",
            "maxUnavailable",
            "steps",
            "trafficRouting",
            "dynamicStableScale",
            "minPodsPerReplicaSet",
            "abortScaleDownDelaySeconds",
            "replicaProgressThreshold",
            "analysis",
        ],
    )?;
    let traffic_routing = match input::opt_object(canary, "trafficRouting")? {
        Some(routing) => {
            only_keys(routing, "trafficRouting", &["maxTrafficWeight"])?;
            Some(TrafficRouting {
                max_traffic_weight: input::opt_i32(routing, &["maxTrafficWeight"])?,
            })
        }
        None => None,
    };
    let replica_progress_threshold = match input::opt_object(canary, "replicaProgressThreshold")? {
        Some(threshold) => Some(progress_threshold(threshold)?),
        None => None,
    };
    let analysis_starting_step = match input::opt_object(canary, "analysis")? {
        Some(analysis) => {
            only_keys(analysis, "analysis", &["startingStep"])?;
            input::opt_i32(analysis, &["startingStep"])?
        }
        None => None,
    };
    let steps = input::array(canary, "steps")?
        .iter()
        .map(|step| canary_step(input::as_object("steps", step)?))
        .collect::<Result<_, _>>()?;
    Ok(CanaryStrategy {
        max_surge: input::int_or_string(canary, "maxSurge")?,
        max_unavailable: input::int_or_string(canary, "maxUnavailable")?,
        steps,
        traffic_routing,
        dynamic_stable_scale: input::bool_or(canary, "dynamicStableScale", false)?,
        min_pods_per_replica_set: input::opt_i32(canary, &["minPodsPerReplicaSet"])?,
        abort_scale_down_delay_seconds: input::opt_i32(canary, &["abortScaleDownDelaySeconds"])?,
        replica_progress_threshold,
        analysis_starting_step,
    })
}

fn canary_step(step: &Object) -> Result<CanaryStep, CaseError> {
    // The arithmetic ignores the other step kinds; they only take up an index.
    only_keys(
        step,
        "step",
        &[
            "setWeight",
            "setCanaryScale",
            "pause",
            "analysis",
            "experiment",
        ],
    )?;
    let set_canary_scale = match input::opt_object(step, "setCanaryScale")? {
        Some(scale) => {
            only_keys(
                scale,
                "setCanaryScale",
                &["replicas", "weight", "matchTrafficWeight"],
            )?;
            Some(SetCanaryScale {
                replicas: input::opt_i32(scale, &["replicas"])?,
                weight: input::opt_i32(scale, &["weight"])?,
                match_traffic_weight: input::bool_or(scale, "matchTrafficWeight", false)?,
            })
        }
        None => None,
    };
    Ok(CanaryStep {
        set_weight: input::opt_i32(step, &["setWeight"])?,
        set_canary_scale,
    })
}

fn progress_threshold(threshold: &Object) -> Result<ReplicaProgressThreshold, CaseError> {
    only_keys(threshold, "replicaProgressThreshold", &["type", "value"])?;
    // Upstream counts pods for any type but `Percent`.
    let type_ = match input::opt_str(threshold, "type")? {
        Some("Percent") => ProgressType::Percentage,
        _ => ProgressType::Pods,
    };
    Ok(ReplicaProgressThreshold {
        type_,
        value: input::req_i32(threshold, &["value"])?,
    })
}

fn replica_set_value(key: &str, value: &Value) -> Result<Option<CanaryReplicaSet>, CaseError> {
    if value.is_null() {
        return Ok(None);
    }
    let object = input::as_object(key, value)?;
    only_keys(
        object,
        key,
        &["name", "replicas", "statusReplicas", "availableReplicas"],
    )?;
    Ok(Some(CanaryReplicaSet {
        name: input::str_or(object, "name", "")?.to_string(),
        // Unset spec.replicas reads as 1, as upstream's GetReplicasOrDefault (and the API
        // server's defaulting) have it.
        replicas: input::i32_or(object, &["replicas"], 1)?,
        status_replicas: input::i32_or(object, &["statusReplicas"], 0)?,
        available_replicas: input::i32_or(object, &["availableReplicas"], 0)?,
    }))
}

fn replica_set(input: &Object, key: &str) -> Result<Option<CanaryReplicaSet>, CaseError> {
    input
        .get(key)
        .map_or(Ok(None), |value| replica_set_value(key, value))
}

/// A list of ReplicaSets; nil entries are skipped, as upstream's sums skip them.
fn replica_sets(input: &Object, key: &str) -> Result<Vec<CanaryReplicaSet>, CaseError> {
    let mut out = Vec::new();
    for value in input::array(input, key)? {
        out.extend(replica_set_value(key, value)?);
    }
    Ok(out)
}

fn weights(input: &Object) -> Result<Option<TrafficWeights>, CaseError> {
    let Some(weights) = input::opt_object(input, "weights")? else {
        return Ok(None);
    };
    only_keys(weights, "weights", &["canary", "stable"])?;
    let weight = |side: &str| -> Result<i32, CaseError> {
        let empty = Object::new();
        let destination = input::opt_object(weights, side)?.unwrap_or(&empty);
        only_keys(destination, side, &["weight"])?;
        input::i32_or(destination, &["weight"], 0)
    };
    Ok(Some(TrafficWeights {
        canary: weight("canary")?,
        stable: weight("stable")?,
    }))
}
