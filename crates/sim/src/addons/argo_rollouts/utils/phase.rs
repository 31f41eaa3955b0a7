//! `utils/rollout`: the phase and message a Rollout's status reports (what `kubectl argo
//! rollouts get` prints after `Status:` and `Message:`), and how a step is named in events.

use super::conditions::{ROLLOUT_ABORTED_REASON, TIMED_OUT_REASON};
use crate::objects::{
    CanaryStep, IntOrString, ReplicaSet, Rollout, RolloutConditionType, RolloutPhase, RolloutSpec,
    RolloutStatus,
};

/// `IsFullyPromoted`.
pub fn is_fully_promoted(ro: &Rollout) -> bool {
    ro.status.stable_rs == ro.status.current_pod_hash
}

/// `IsDynamicallyRollingBackToStable`: a traffic-routed canary with `dynamicStableScale` was
/// interrupted and goes back to its stable ReplicaSet (`desired`), which is not fully
/// available yet. Gives the canary hash traffic still goes to, which the router keeps
/// weighting (and the canary Service keeps selecting) until the stable can take it all.
pub fn is_dynamically_rolling_back_to_stable(ro: &Rollout, desired: &ReplicaSet) -> Option<String> {
    let canary = ro.canary()?;
    if !is_fully_promoted(ro) || canary.traffic_routing.is_none() || !canary.dynamic_stable_scale {
        return None;
    }
    let current = &ro.status.canary.weights.as_ref()?.canary.pod_template_hash;
    if current == super::pod_template_hash(desired) {
        return None;
    }
    if desired.status.available_replicas >= ro.replicas() {
        return None;
    }
    Some(current.clone())
}

/// `GetRolloutPhase`: what clients show (the kubectl plugin's `Status:` and `Message:`). It
/// trusts the phase the controller wrote, unless the controller has not seen the latest spec
/// yet or a promote cleared the pause conditions it has not reacted to. (Upstream's third
/// check, a `workloadRef` template not yet observed, has no counterpart: the lab resolves no
/// `templateResolvedFromRef`.)
pub fn get_rollout_phase(ro: &Rollout) -> (RolloutPhase, String) {
    if !is_generation_observed(ro) {
        return (
            RolloutPhase::Progressing,
            "waiting for rollout spec update to be observed".into(),
        );
    }
    if is_unpausing(ro) {
        return (
            RolloutPhase::Progressing,
            "waiting for rollout to unpause".into(),
        );
    }
    if let Some(phase) = ro.status.phase {
        return (phase, ro.status.message.clone());
    }
    calculate_rollout_phase(&ro.spec, &ro.status)
}

/// `isGenerationObserved`: `status.observedGeneration` is a number once the controller has
/// seen the Rollout (older controllers wrote a hash there, which counts as observed).
/// Crate-visible for the conformance cases (`Test_isGenerationObserved`).
pub(crate) fn is_generation_observed(ro: &Rollout) -> bool {
    match ro.status.observed_generation.parse::<i64>() {
        Ok(observed) => observed >= ro.metadata.generation,
        Err(_) => true,
    }
}

/// `IsUnpausing`: the user cleared the pause conditions, the controller has not unpaused yet.
pub fn is_unpausing(ro: &Rollout) -> bool {
    ro.status.controller_pause && ro.status.pause_conditions.is_empty()
}

/// `CalculateRolloutPhase`.
pub fn calculate_rollout_phase(
    spec: &RolloutSpec,
    status: &RolloutStatus,
) -> (RolloutPhase, String) {
    for cond in &status.conditions {
        if cond.type_ == RolloutConditionType::InvalidSpec {
            return (
                RolloutPhase::Degraded,
                format!("InvalidSpec: {}", cond.message),
            );
        }
        if cond.reason == ROLLOUT_ABORTED_REASON || cond.reason == TIMED_OUT_REASON {
            return (
                RolloutPhase::Degraded,
                format!("{}: {}", cond.reason, cond.message),
            );
        }
    }
    if spec.paused {
        return (RolloutPhase::Paused, "manually paused".into());
    }
    if let Some(pause) = status.pause_conditions.first() {
        return (RolloutPhase::Paused, pause.reason.as_str().into());
    }
    if spec.restart_at.is_some() && spec.restart_at != status.restarted_at {
        return (RolloutPhase::Progressing, "rollout is restarting".into());
    }
    if status.updated_replicas < spec.replicas.unwrap_or(1) {
        return (
            RolloutPhase::Progressing,
            "more replicas need to be updated".into(),
        );
    }
    if status.available_replicas < status.updated_replicas {
        return (
            RolloutPhase::Progressing,
            "updated replicas are still becoming available".into(),
        );
    }
    let fully_promoted = status.stable_rs == status.current_pod_hash;
    if let Some(bg) = &spec.strategy.blue_green {
        let active = &status.blue_green.active_selector;
        if active.is_empty() || *active != status.current_pod_hash {
            return (
                RolloutPhase::Progressing,
                "active service cutover pending".into(),
            );
        }
        if status.stable_rs.is_empty() || !fully_promoted {
            let waiting_for_analysis = bg.post_promotion_analysis.is_some()
                && status
                    .blue_green
                    .post_promotion_analysis_run_status
                    .as_ref()
                    .is_none_or(|run| !analysis_phase_completed(&run.status));
            if waiting_for_analysis {
                return (
                    RolloutPhase::Progressing,
                    "waiting for analysis to complete".into(),
                );
            }
            return (
                RolloutPhase::Progressing,
                "waiting for post-promotion verification to complete".into(),
            );
        }
    } else if let Some(canary) = &spec.strategy.canary {
        if canary.traffic_routing.is_none() && status.replicas > status.updated_replicas {
            return (
                RolloutPhase::Progressing,
                "old replicas are pending termination".into(),
            );
        }
        if status.stable_rs.is_empty() || !fully_promoted {
            return (
                RolloutPhase::Progressing,
                "waiting for all steps to complete".into(),
            );
        }
    }
    (RolloutPhase::Healthy, String::new())
}

/// `AnalysisPhase.Completed()`.
pub fn analysis_phase_completed(phase: &str) -> bool {
    matches!(phase, "Successful" | "Failed" | "Error" | "Inconclusive")
}

/// `CanaryStepString`: how a step is named in `RolloutStepCompleted` events.
pub fn canary_step_string(step: &CanaryStep) -> String {
    if let Some(weight) = step.set_weight {
        return format!("setWeight: {weight}");
    }
    if let Some(pause) = &step.pause {
        return match &pause.duration {
            Some(IntOrString::Int(n)) => format!("pause: {n}"),
            Some(IntOrString::String(s)) => format!("pause: {s}"),
            None => "pause".into(),
        };
    }
    if step.experiment.is_some() {
        return "experiment".into();
    }
    if step.analysis.is_some() {
        return "analysis".into();
    }
    if let Some(scale) = &step.set_canary_scale {
        if let Some(weight) = scale.weight {
            return format!("setCanaryScale{{weight: {weight}}}");
        } else if scale.match_traffic_weight {
            return "setCanaryScale{matchTrafficWeight: true}".into();
        } else if let Some(replicas) = scale.replicas {
            return format!("setCanaryScale{{replicas: {replicas}}}");
        }
    }
    if let Some(name) = step
        .plugin
        .as_ref()
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
    {
        return format!("plugin: {name}");
    }
    if let Some(name) = step
        .set_header_route
        .as_ref()
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
    {
        return format!("setHeaderRoute: {name}");
    }
    if let Some(name) = step
        .set_mirror_route
        .as_ref()
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
    {
        return format!("setMirrorRoute: {name}");
    }
    "invalid".into()
}

/// `RolloutPause.DurationSeconds`: an integer is seconds; a string is a Go duration
/// (`30s`, `5m`, `1h`). `None` for an unparsable string (validation rejects it).
pub fn pause_duration_seconds(duration: &IntOrString) -> Option<i64> {
    match duration {
        IntOrString::Int(n) => Some(i64::from(*n)),
        IntOrString::String(s) => {
            if let Ok(n) = s.parse::<i64>() {
                return Some(n);
            }
            parse_go_duration_seconds(s)
        }
    }
}

/// The whole seconds of a Go duration string (`1h30m`, `45s`, `1.5m`).
fn parse_go_duration_seconds(text: &str) -> Option<i64> {
    let mut total_ms: f64 = 0.0;
    let mut rest = text;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if number_len == 0 {
            return None;
        }
        let number: f64 = rest[..number_len].parse().ok()?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit_ms = match &rest[..unit_len] {
            "ns" => 1e-6,
            "us" | "µs" => 1e-3,
            "ms" => 1.0,
            "s" => 1000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total_ms += number * unit_ms;
    }
    if !total_ms.is_finite() || total_ms > 1e15 {
        return None;
    }
    Some((total_ms / 1000.0) as i64)
}
