//! `pkg/apis/rollouts/validation`: what the controller rejects in a Rollout (as its
//! `InvalidSpec` condition: the API server accepted the object, the controller cannot run
//! it), and the Services it must find.

use super::{conditions, RolloutContext};
use crate::addons::argo_rollouts::utils::phase::pause_duration_seconds;
use crate::api::{go_quote, FieldError};
use crate::objects::{ConditionStatus, RolloutConditionType};

const MISSING_FIELD: &str = "Rollout has missing field";
const INVALID_STEP: &str =
    "Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause";

impl RolloutContext<'_> {
    /// `getRolloutValidationErrors`: the first error, as upstream reports one at a time.
    pub(super) fn validation_error(&self) -> Option<FieldError> {
        self.spec_errors()
            .into_iter()
            .next()
            .or_else(|| self.reference_errors().into_iter().next())
    }

    /// `ValidateRolloutSpec`.
    fn spec_errors(&self) -> Vec<FieldError> {
        let ro = &self.rollout;
        let spec = &ro.spec;
        let mut errors = Vec::new();
        let replicas = ro.replicas();
        if replicas < 0 {
            errors.push(FieldError::invalid(
                "spec.replicas",
                replicas.to_string(),
                "must be greater than or equal to 0",
            ));
        }
        if spec.workload_ref.is_none() {
            match &spec.selector {
                None => errors.push(FieldError::required(
                    "spec.selector",
                    format!("{MISSING_FIELD} '.spec.selector'"),
                )),
                Some(selector) => {
                    if selector.match_labels.is_empty() && selector.match_expressions.is_empty() {
                        errors.push(FieldError::invalid(
                            "spec.selector",
                            "{}".into(),
                            "empty selector is invalid for deployment",
                        ));
                    } else if !selector.matches(&ro.template_labels()) {
                        errors.push(FieldError::invalid(
                            "spec.template.metadata.labels",
                            go_map(&ro.template_labels()),
                            "`selector` does not match template `labels`",
                        ));
                    }
                }
            }
            if ro.pod_template().spec.containers.is_empty() {
                errors.push(FieldError::required("spec.template.spec.containers", ""));
            }
        }
        if spec.min_ready_seconds < 0 {
            errors.push(FieldError::invalid(
                "spec.minReadySeconds",
                spec.min_ready_seconds.to_string(),
                "must be greater than or equal to 0",
            ));
        }
        let deadline = super::defaults::progress_deadline_seconds(ro);
        if deadline <= spec.min_ready_seconds {
            errors.push(FieldError::invalid(
                "spec.progressDeadlineSeconds",
                deadline.to_string(),
                "must be greater than minReadySeconds",
            ));
        }
        match (&spec.strategy.blue_green, &spec.strategy.canary) {
            (None, None) => errors.push(FieldError::required(
                "spec.strategy.strategy",
                format!("{MISSING_FIELD} '.spec.strategy.canary or .spec.strategy.blueGreen'"),
            )),
            (Some(_), Some(_)) => errors.push(FieldError::invalid(
                "spec.strategy.strategy",
                go_quote("blueGreen: true canary: true"),
                "Multiple Strategies can not be listed",
            )),
            (Some(bg), None) => {
                if bg.active_service == bg.preview_service {
                    errors.push(FieldError::invalid(
                        "spec.strategy.activeService",
                        go_quote(&bg.active_service),
                        "This rollout uses the same service for the active and preview services, but two different services are required.",
                    ));
                }
            }
            (None, Some(canary)) => {
                if !canary.canary_service.is_empty()
                    && canary.canary_service == canary.stable_service
                {
                    errors.push(FieldError::invalid(
                        "spec.strategy.stableService",
                        go_quote(&canary.stable_service),
                        "This rollout uses the same service for the stable and canary services, but two different services are required.",
                    ));
                }
                let routed = canary
                    .traffic_routing
                    .as_ref()
                    .is_some_and(|t| t.nginx.is_some() || t.other.contains_key("plugins"));
                if routed {
                    for (field, value) in [
                        ("stableService", &canary.stable_service),
                        ("canaryService", &canary.canary_service),
                    ] {
                        if value.is_empty() {
                            errors.push(FieldError::invalid(
                                format!("spec.strategy.{field}"),
                                go_quote(value),
                                "Canary service and Stable service must to be set to use Traffic Routing",
                            ));
                        }
                    }
                }
                if canary.traffic_routing.is_none() && canary.dynamic_stable_scale {
                    errors.push(FieldError::invalid(
                        "spec.strategy.dynamicStableScale",
                        "true".into(),
                        "Canary dynamicStableScale can only be used with traffic routing",
                    ));
                }
                let max_weight = canary
                    .traffic_routing
                    .as_ref()
                    .and_then(|t| t.max_traffic_weight)
                    .unwrap_or(100);
                for (i, step) in canary.steps.iter().enumerate() {
                    let path = format!("spec.strategy.steps[{i}]");
                    let kinds = [
                        step.set_weight.is_some(),
                        step.pause.is_some(),
                        step.experiment.is_some(),
                        step.analysis.is_some(),
                        step.set_canary_scale.is_some(),
                        step.set_header_route.is_some(),
                        step.set_mirror_route.is_some(),
                        step.plugin.is_some(),
                    ];
                    let set = kinds.iter().filter(|k| **k).count();
                    if set > 1 {
                        errors.push(FieldError::invalid(
                            path.clone(),
                            go_quote(&format!("{set}")),
                            "Step must have only one of the following set: experiment, setWeight, setCanaryScale, plugin or pause",
                        ));
                    }
                    if set == 0 {
                        errors.push(FieldError::invalid(
                            path.clone(),
                            go_quote("step.Experiment: true step.Pause: true step.SetWeight: true step.Analysis: true step.SetCanaryScale: true step.SetHeaderRoute: true step.SetMirrorRoute: true step.Plugin: true"),
                            INVALID_STEP,
                        ));
                    }
                    if let Some(weight) = step.set_weight {
                        if !(0..=max_weight).contains(&weight) {
                            errors.push(FieldError::invalid(
                                format!("{path}.setWeight"),
                                weight.to_string(),
                                format!("SetWeight needs to be between 0 and {max_weight}"),
                            ));
                        }
                    }
                    if let Some(duration) = step.pause.as_ref().and_then(|p| p.duration.as_ref()) {
                        let seconds = pause_duration_seconds(duration).unwrap_or(-1);
                        if seconds < 0 {
                            errors.push(FieldError::invalid(
                                format!("{path}.pause.duration"),
                                seconds.to_string(),
                                "Duration needs to be greater than 0",
                            ));
                        }
                    }
                    if step.set_canary_scale.is_some() && canary.traffic_routing.is_none() {
                        errors.push(FieldError::required(
                            "spec.strategy.trafficRouting",
                            "SetCanaryScale requires TrafficRouting to be set",
                        ));
                    }
                    // Header and mirror routes are declared in `managedRoutes` first.
                    let managed = canary
                        .traffic_routing
                        .as_ref()
                        .and_then(|t| t.other.get("managedRoutes"));
                    for (field, route) in [
                        ("setHeaderRoute", &step.set_header_route),
                        ("setMirrorRoute", &step.set_mirror_route),
                    ] {
                        let (Some(route), Some(_)) = (route, &canary.traffic_routing) else {
                            continue;
                        };
                        let Some(managed) = managed else {
                            errors.push(FieldError::required(
                                "spec.strategy.trafficRouting.managedRoutes",
                                "Rollout has missing field 'spec.strategy.canary.trafficRouting.managedRoutes'",
                            ));
                            continue;
                        };
                        let name = route["name"].as_str().unwrap_or_default();
                        let found = managed
                            .as_array()
                            .into_iter()
                            .flatten()
                            .any(|m| m["name"].as_str() == Some(name));
                        if !found {
                            errors.push(FieldError::invalid(
                                format!("{path}.{field}"),
                                go_quote(name),
                                "Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes",
                            ));
                        }
                    }
                }
            }
        }
        errors
    }

    /// `getReferencedServices`: each Service the strategy names must exist.
    fn reference_errors(&self) -> Vec<FieldError> {
        let ro = &self.rollout;
        let services: Vec<(&str, &str)> = match (ro.blue_green(), ro.canary()) {
            (Some(bg), _) => vec![
                (
                    "spec.strategy.blueGreen.activeService",
                    bg.active_service.as_str(),
                ),
                (
                    "spec.strategy.blueGreen.previewService",
                    bg.preview_service.as_str(),
                ),
            ],
            (None, Some(c)) => vec![
                (
                    "spec.strategy.canary.stableService",
                    c.stable_service.as_str(),
                ),
                (
                    "spec.strategy.canary.canaryService",
                    c.canary_service.as_str(),
                ),
            ],
            _ => vec![],
        };
        let mut errors = Vec::new();
        for (field, name) in services {
            if name.is_empty() {
                continue;
            }
            match self.service(name) {
                None => errors.push(FieldError::invalid(
                    field,
                    go_quote(name),
                    format!("services {} not found", go_quote(name)),
                )),
                Some(service) => {
                    for (key, value) in &service.spec.selector {
                        if key == crate::addons::argo_rollouts::utils::ROLLOUTS_POD_TEMPLATE_HASH {
                            continue;
                        }
                        if ro.template_labels().get(key) != Some(value) {
                            errors.push(FieldError::invalid(
                                field,
                                go_quote(name),
                                format!(
                                    "Service {} has unmatch label {} in rollout",
                                    go_quote(name),
                                    go_quote(key)
                                ),
                            ));
                        }
                    }
                }
            }
        }
        errors.extend(self.analysis_template_errors());
        if let Some(nginx) = ro
            .canary()
            .and_then(|c| c.traffic_routing.as_ref())
            .and_then(|t| t.nginx.as_ref())
        {
            let mut names: Vec<&str> = nginx.stable_ingresses.iter().map(String::as_str).collect();
            if !nginx.stable_ingress.is_empty() {
                names.insert(0, &nginx.stable_ingress);
            }
            for name in names {
                let key = crate::apiserver::ObjectKey::new(&ro.metadata.namespace, name);
                if !self.cluster.api.store.ingresses.contains_key(&key) {
                    errors.push(FieldError::invalid(
                        "spec.strategy.canary.trafficRouting.nginx.stableIngress",
                        go_quote(name),
                        format!("ingress.networking.k8s.io {} not found", go_quote(name)),
                    ));
                }
            }
        }
        errors
    }

    /// `createInvalidRolloutCondition`.
    pub(super) fn create_invalid_rollout_condition(&mut self, error: &FieldError) {
        let message = format!(
            "The Rollout {:?} is invalid: {error}",
            self.rollout.metadata.name
        );
        let previous =
            conditions::get_condition(&self.rollout.status, RolloutConditionType::InvalidSpec)
                .cloned();
        let condition = match &previous {
            Some(previous) if previous.message == message => previous.clone(),
            _ => conditions::new_condition(
                RolloutConditionType::InvalidSpec,
                ConditionStatus::True,
                conditions::INVALID_SPEC_REASON,
                message.clone(),
                self.now(),
            ),
        };
        let generation = self.rollout.metadata.generation.to_string();
        if self.rollout.status.observed_generation == generation
            && previous.as_ref() == Some(&condition)
        {
            return;
        }
        let mut status = self.rollout.status.clone();
        if previous.is_some_and(|p| p.message != message) {
            conditions::remove_condition(&mut status, RolloutConditionType::InvalidSpec);
        }
        conditions::set_condition(&mut status, condition);
        status.observed_generation = generation;
        let (phase, phase_message) =
            crate::addons::argo_rollouts::utils::phase::calculate_rollout_phase(
                &self.rollout.spec,
                &status,
            );
        status.phase = Some(phase);
        status.message = phase_message;
        if status != self.rollout.status {
            self.rollout.status = status;
            self.write_status_only();
        }
    }
}

/// Go's `%v` of a `map[string]string`: `map[app:demo]`.
fn go_map(map: &std::collections::BTreeMap<String, String>) -> String {
    let items: Vec<String> = map.iter().map(|(k, v)| format!("{k}:{v}")).collect();
    format!("map[{}]", items.join(" "))
}
