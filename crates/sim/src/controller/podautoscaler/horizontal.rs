//! `horizontal.go`: one HorizontalPodAutoscaler's sync (`reconcileAutoscaler`). It reads the
//! target's scale (a Deployment's `spec.replicas` and selector), asks the replica calculator
//! what each metric wants, stabilizes that recommendation over the behavior's windows, limits
//! the change to the behavior's policies, writes the new scale and the HPA's status, and says
//! so in events. The controller's memory (recent recommendations and scale events, per HPA)
//! lives in [`HorizontalController`].

use super::replica_calculator::{resource_replicas, PodMetricsInfo};
use crate::apiserver::{in_namespace, reference, ApiServer, ObjectKey};
use crate::clock::{Duration, Time};
use crate::objects::{
    ConditionStatus, EventType, HorizontalPodAutoscaler, HorizontalPodAutoscalerCondition,
    HpaScalingRules, HpaTyped, Kind, MetricSpec, MetricStatus, MetricValueStatus, Pod, Quantity,
    ResourceMetricStatus,
};
use std::collections::BTreeMap;

/// `--horizontal-pod-autoscaler-sync-period`.
pub const SYNC_PERIOD: Duration = Duration(15_000);
/// `--horizontal-pod-autoscaler-downscale-stabilization`: the scale-down window when the
/// HPA sets none.
pub const DOWNSCALE_STABILIZATION_SECONDS: i32 = 300;
/// The component its events come from.
pub const SOURCE: &str = "horizontal-pod-autoscaler";

pub const ABLE_TO_SCALE: &str = "AbleToScale";
pub const SCALING_ACTIVE: &str = "ScalingActive";
pub const SCALING_LIMITED: &str = "ScalingLimited";

/// The pods' usage of a resource (`cpu`, `memory`) in a namespace, from the resource metrics
/// API; the error is the metrics client's.
pub type MetricsSource<'a> = &'a dyn Fn(&str, &str) -> Result<PodMetricsInfo, String>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recommendation {
    pub replicas: i32,
    pub timestamp: Time,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScaleEvent {
    pub change: i32,
    pub timestamp: Time,
    pub outdated: bool,
}

/// The controller's memory of each HPA: recommendations (for the stabilization windows) and
/// the scale changes it made (for the rate policies).
#[derive(Clone, Debug, Default)]
pub struct HorizontalController {
    pub recommendations: BTreeMap<ObjectKey, Vec<Recommendation>>,
    pub scale_up_events: BTreeMap<ObjectKey, Vec<ScaleEvent>>,
    pub scale_down_events: BTreeMap<ObjectKey, Vec<ScaleEvent>>,
}

/// What `normalizeDesiredReplicasWithBehaviors` works with.
#[derive(Clone, Debug)]
pub struct NormalizationArg<'a> {
    pub key: &'a ObjectKey,
    pub scale_up: &'a HpaScalingRules,
    pub scale_down: &'a HpaScalingRules,
    pub min_replicas: i32,
    pub max_replicas: i32,
    pub current_replicas: i32,
    pub desired_replicas: i32,
}

impl HorizontalController {
    /// Forgets an HPA that is gone.
    pub fn forget(&mut self, key: &ObjectKey) {
        self.recommendations.remove(key);
        self.scale_up_events.remove(key);
        self.scale_down_events.remove(key);
    }

    /// `reconcileAutoscaler` for the HPA at `key`. Returns whether anything was written.
    pub fn reconcile(
        &mut self,
        api: &mut ApiServer,
        key: &ObjectKey,
        metrics: MetricsSource,
    ) -> bool {
        let Some(live) = api.store.horizontal_pod_autoscalers.get(key).cloned() else {
            self.forget(key);
            return false;
        };
        let now = api.now;
        let mut hpa = live.typed();
        let target = hpa.spec.scale_target_ref.clone();
        let deployment_key = ObjectKey::new(&key.namespace, &target.name);
        let deployment = (target.kind == "Deployment")
            .then(|| api.store.deployments.get(&deployment_key).cloned())
            .flatten();
        let Some(deployment) = deployment else {
            let error = if target.kind == "Deployment" {
                format!("deployments.apps \"{}\" not found", target.name)
            } else {
                format!("the lab scales Deployments only, not {}", target.kind)
            };
            set_condition(
                &mut hpa,
                ABLE_TO_SCALE,
                ConditionStatus::False,
                "FailedGetScale",
                format!("the HPA controller was unable to get the target's current scale: {error}"),
                now,
            );
            event(api, &hpa, EventType::Warning, "FailedGetScale", error);
            return write_status(api, key, &live, hpa);
        };
        set_condition(
            &mut hpa,
            ABLE_TO_SCALE,
            ConditionStatus::True,
            "SucceededGetScale",
            "the HPA controller was able to get the target's current scale".to_string(),
            now,
        );
        let current = deployment.spec.replicas;
        let min = hpa.min_replicas();
        let max = hpa.spec.max_replicas;
        let mut statuses = Vec::new();
        let (desired, reason, rescale) = if current == 0 && min != 0 {
            set_condition(
                &mut hpa,
                SCALING_ACTIVE,
                ConditionStatus::False,
                "ScalingDisabled",
                "scaling is disabled since the replica count of the target is zero".to_string(),
                now,
            );
            (0, String::new(), false)
        } else if current > max {
            (
                max,
                "Current number of replicas above Spec.MaxReplicas".to_string(),
                true,
            )
        } else if current < min {
            (
                min,
                "Current number of replicas below Spec.MinReplicas".to_string(),
                true,
            )
        } else {
            let selector = &deployment.spec.selector;
            let selected: Vec<std::rc::Rc<Pod>> = in_namespace(&api.store.pods, &key.namespace)
                .filter(|pod| selector.matches(&pod.metadata.labels))
                .cloned()
                .collect();
            let pods: Vec<&Pod> = selected.iter().map(|pod| pod.as_ref()).collect();
            let computed = compute_replicas_for_metrics(
                api,
                &mut hpa,
                current,
                &pods,
                metrics,
                &mut statuses,
                now,
            );
            let (proposal, metric_name) = match computed {
                Ok(found) => found,
                Err(error) => {
                    hpa.status.current_replicas = current;
                    hpa.status.current_metrics = statuses;
                    event(
                        api,
                        &hpa,
                        EventType::Warning,
                        "FailedComputeMetricsReplicas",
                        error,
                    );
                    return write_status(api, key, &live, hpa);
                }
            };
            let reason = if proposal < current {
                "All metrics below target".to_string()
            } else {
                format!("{metric_name} above target")
            };
            let behavior = hpa.spec.behavior.clone().unwrap_or_default();
            let scale_up = behavior.scale_up.unwrap_or_default();
            let scale_down = behavior.scale_down.unwrap_or_default();
            let arg = NormalizationArg {
                key,
                scale_up: &scale_up,
                scale_down: &scale_down,
                min_replicas: min,
                max_replicas: max,
                current_replicas: current,
                desired_replicas: proposal,
            };
            let desired = self.normalize_desired_replicas_with_behaviors(&mut hpa, arg, now);
            (desired, reason, desired != current)
        };
        if rescale {
            let mut scaled = deployment.clone();
            scaled.spec.replicas = desired;
            scaled.metadata.generation += 1;
            api.store.deployments.insert(deployment_key, scaled);
            api.work.api_write();
            set_condition(
                &mut hpa,
                ABLE_TO_SCALE,
                ConditionStatus::True,
                "SucceededRescale",
                format!("the HPA controller was able to update the target scale to {desired}"),
                now,
            );
            event(
                api,
                &hpa,
                EventType::Normal,
                "SuccessfulRescale",
                format!("New size: {desired}; reason: {reason}"),
            );
            if let Some(behavior) = &hpa.spec.behavior {
                let behavior = behavior.clone();
                self.store_scale_event(&behavior, key, current, desired, now);
            }
            hpa.status.last_scale_time = Some(now);
        }
        hpa.status.current_replicas = current;
        hpa.status.desired_replicas = desired;
        hpa.status.current_metrics = statuses;
        hpa.status.observed_generation = Some(hpa.metadata.generation);
        write_status(api, key, &live, hpa) || rescale
    }

    /// `normalizeDesiredReplicasWithBehaviors`: the stabilized recommendation, then the
    /// policies' rate limit and the bounds; the AbleToScale and ScalingLimited conditions say
    /// which applied.
    pub fn normalize_desired_replicas_with_behaviors(
        &mut self,
        hpa: &mut HpaTyped,
        mut arg: NormalizationArg,
        now: Time,
    ) -> i32 {
        let prenormalized = arg.desired_replicas;
        let (stabilized, reason, message) = self.stabilize_recommendation_with_behaviors(&arg, now);
        arg.desired_replicas = stabilized;
        if stabilized != prenormalized {
            set_condition(
                hpa,
                ABLE_TO_SCALE,
                ConditionStatus::True,
                reason,
                message.to_string(),
                now,
            );
        } else {
            set_condition(
                hpa,
                ABLE_TO_SCALE,
                ConditionStatus::True,
                "ReadyForNewScale",
                "recommended size matches current size".to_string(),
                now,
            );
        }
        let (desired, reason, message) =
            self.convert_desired_replicas_with_behavior_rate(&arg, now);
        let status = if desired == stabilized {
            ConditionStatus::False
        } else {
            ConditionStatus::True
        };
        set_condition(
            hpa,
            SCALING_LIMITED,
            status,
            reason,
            message.to_string(),
            now,
        );
        desired
    }

    /// `stabilizeRecommendationWithBehaviors`: the current scale moved no further than every
    /// recommendation within each direction's window allows; the new recommendation is kept.
    pub fn stabilize_recommendation_with_behaviors(
        &mut self,
        arg: &NormalizationArg,
        now: Time,
    ) -> (i32, &'static str, &'static str) {
        let window = |rules: &HpaScalingRules, default: i32| {
            Duration::from_secs(i64::from(
                rules.stabilization_window_seconds.unwrap_or(default),
            ))
        };
        let up_cutoff = now - window(arg.scale_up, 0);
        let down_cutoff = now - window(arg.scale_down, DOWNSCALE_STABILIZATION_SECONDS);
        let mut up = arg.desired_replicas;
        let mut down = arg.desired_replicas;
        let mut old_sample = None;
        let history = self.recommendations.entry(arg.key.clone()).or_default();
        for (i, rec) in history.iter().enumerate() {
            if rec.timestamp > up_cutoff {
                up = up.min(rec.replicas);
            }
            if rec.timestamp > down_cutoff {
                down = down.max(rec.replicas);
            }
            if rec.timestamp < up_cutoff && rec.timestamp < down_cutoff {
                old_sample = Some(i);
            }
        }
        let mut recommendation = arg.current_replicas;
        if recommendation < up {
            recommendation = up;
        }
        if recommendation > down {
            recommendation = down;
        }
        let sample = Recommendation {
            replicas: arg.desired_replicas,
            timestamp: now,
        };
        match old_sample {
            Some(i) => history[i] = sample,
            None => history.push(sample),
        }
        if recommendation < arg.desired_replicas {
            (
                recommendation,
                "ScaleUpStabilized",
                "recent recommendations were lower than current one, applying the lowest recent recommendation",
            )
        } else {
            (
                recommendation,
                "ScaleDownStabilized",
                "recent recommendations were higher than current one, applying the highest recent recommendation",
            )
        }
    }

    /// `convertDesiredReplicasWithBehaviorRate`: at most what the policies allow per period,
    /// and within minReplicas..maxReplicas.
    pub fn convert_desired_replicas_with_behavior_rate(
        &self,
        arg: &NormalizationArg,
        now: Time,
    ) -> (i32, &'static str, &'static str) {
        let empty = Vec::new();
        let ups = self.scale_up_events.get(arg.key).unwrap_or(&empty);
        let downs = self.scale_down_events.get(arg.key).unwrap_or(&empty);
        if arg.desired_replicas > arg.current_replicas {
            let limit = scale_up_limit(arg.current_replicas, ups, downs, arg.scale_up, now)
                .max(arg.current_replicas);
            let (maximum, reason, message) = if arg.max_replicas > limit {
                (
                    limit,
                    "ScaleUpLimit",
                    "the desired replica count is increasing faster than the maximum scale rate",
                )
            } else {
                (
                    arg.max_replicas,
                    "TooManyReplicas",
                    "the desired replica count is more than the maximum replica count",
                )
            };
            if arg.desired_replicas > maximum {
                return (maximum, reason, message);
            }
        } else if arg.desired_replicas < arg.current_replicas {
            let limit = scale_down_limit(arg.current_replicas, ups, downs, arg.scale_down, now)
                .min(arg.current_replicas);
            let (minimum, reason, message) = if arg.min_replicas < limit {
                (
                    limit,
                    "ScaleDownLimit",
                    "the desired replica count is decreasing faster than the maximum scale rate",
                )
            } else {
                (
                    arg.min_replicas,
                    "TooFewReplicas",
                    "the desired replica count is less than the minimum replica count",
                )
            };
            if arg.desired_replicas < minimum {
                return (minimum, reason, message);
            }
        }
        (
            arg.desired_replicas,
            "DesiredWithinRange",
            "the desired count is within the acceptable range",
        )
    }

    /// `storeScaleEvent`: remembers a change for the rate policies, reusing a slot that is
    /// older than the longest policy period.
    pub fn store_scale_event(
        &mut self,
        behavior: &crate::objects::HorizontalPodAutoscalerBehavior,
        key: &ObjectKey,
        previous: i32,
        new: i32,
        now: Time,
    ) {
        let (events, rules, change) = if new > previous {
            (
                &mut self.scale_up_events,
                &behavior.scale_up,
                new - previous,
            )
        } else {
            (
                &mut self.scale_down_events,
                &behavior.scale_down,
                previous - new,
            )
        };
        let longest = rules
            .as_ref()
            .and_then(|r| r.policies.iter().map(|p| p.period_seconds).max())
            .unwrap_or(0);
        let cutoff = now - Duration::from_secs(i64::from(longest));
        let list = events.entry(key.clone()).or_default();
        for event in list.iter_mut() {
            if event.timestamp < cutoff {
                event.outdated = true;
            }
        }
        let fresh = ScaleEvent {
            change,
            timestamp: now,
            outdated: false,
        };
        match list.iter_mut().find(|e| e.outdated) {
            Some(slot) => *slot = fresh,
            None => list.push(fresh),
        }
    }
}

/// `getReplicasChangePerPeriod`: the replicas changed within the last `period_seconds`.
pub fn replicas_change_per_period(period_seconds: i32, events: &[ScaleEvent], now: Time) -> i32 {
    let cutoff = now - Duration::from_secs(i64::from(period_seconds));
    events
        .iter()
        .filter(|e| e.timestamp > cutoff)
        .fold(0i32, |sum, e| sum.saturating_add(e.change))
}

/// The replicas at the start of a policy's period: now's, less what was added and plus what
/// was removed within it.
fn period_start(
    current: i32,
    ups: &[ScaleEvent],
    downs: &[ScaleEvent],
    period: i32,
    now: Time,
) -> i32 {
    let added = replicas_change_per_period(period, ups, now);
    let deleted = replicas_change_per_period(period, downs, now);
    current.saturating_sub(added).saturating_add(deleted)
}

/// `calculateScaleUpLimitWithScalingRules`.
pub fn scale_up_limit(
    current: i32,
    ups: &[ScaleEvent],
    downs: &[ScaleEvent],
    rules: &HpaScalingRules,
    now: Time,
) -> i32 {
    let select = rules.select_policy.as_deref().unwrap_or("Max");
    if select == "Disabled" {
        return current;
    }
    let mut result: Option<i32> = None;
    for policy in &rules.policies {
        let start = period_start(current, ups, downs, policy.period_seconds, now);
        let proposed = if policy.type_ == "Pods" {
            start.saturating_add(policy.value)
        } else {
            super::replica_calculator::ceil_i32(
                f64::from(start) * (1.0 + f64::from(policy.value) / 100.0),
            )
        };
        result = Some(match result {
            None => proposed,
            Some(r) if select == "Min" => r.min(proposed),
            Some(r) => r.max(proposed),
        });
    }
    result.unwrap_or(if select == "Min" { i32::MAX } else { i32::MIN })
}

/// `calculateScaleDownLimitWithBehaviors`.
pub fn scale_down_limit(
    current: i32,
    ups: &[ScaleEvent],
    downs: &[ScaleEvent],
    rules: &HpaScalingRules,
    now: Time,
) -> i32 {
    let select = rules.select_policy.as_deref().unwrap_or("Max");
    if select == "Disabled" {
        return current;
    }
    let mut result: Option<i32> = None;
    for policy in &rules.policies {
        let start = period_start(current, ups, downs, policy.period_seconds, now);
        let proposed = if policy.type_ == "Pods" {
            start.saturating_sub(policy.value)
        } else {
            (f64::from(start) * (1.0 - f64::from(policy.value) / 100.0)) as i32
        };
        // Min picks the policy that allows the smallest change: the largest limit.
        result = Some(match result {
            None => proposed,
            Some(r) if select == "Min" => r.max(proposed),
            Some(r) => r.min(proposed),
        });
    }
    result.unwrap_or(if select == "Min" { i32::MIN } else { i32::MAX })
}

/// The name upstream gives a resource metric in conditions and events.
pub fn resource_metric_name(resource: &str) -> String {
    format!("{resource} resource utilization (percentage of request)")
}

/// `computeReplicasForMetrics`: the largest proposal of any valid metric, or the error of the
/// first invalid one.
fn compute_replicas_for_metrics(
    api: &mut ApiServer,
    hpa: &mut HpaTyped,
    current: i32,
    pods: &[&Pod],
    metrics: MetricsSource,
    statuses: &mut Vec<MetricStatus>,
    now: Time,
) -> Result<(i32, String), String> {
    let specs = hpa.spec.metrics.clone();
    let mut replicas = 0;
    let mut name = String::new();
    let mut invalid = 0;
    let mut first_error: Option<(String, String)> = None;
    for spec in &specs {
        match compute_replicas_for_metric(hpa, current, pods, metrics, spec, now) {
            Ok((proposal, metric_name, status)) => {
                statuses.push(status);
                if replicas == 0 || proposal > replicas {
                    replicas = proposal;
                    name = metric_name;
                }
            }
            Err((event_reason, error)) => {
                statuses.push(MetricStatus::default());
                if first_error.is_none() {
                    first_error = Some((event_reason, error));
                }
                invalid += 1;
            }
        }
    }
    statuses.retain(|s| !s.type_.is_empty());
    if let Some((reason, error)) = first_error.clone() {
        if invalid >= specs.len() || replicas < current {
            event(api, hpa, EventType::Warning, &reason, error.clone());
            set_condition(
                hpa,
                SCALING_ACTIVE,
                ConditionStatus::False,
                &reason,
                format!("the HPA was unable to compute the replica count: {error}"),
                now,
            );
            return Err(format!(
                "invalid metrics ({invalid} invalid out of {}), first error is: {error}",
                specs.len()
            ));
        }
    }
    set_condition(
        hpa,
        SCALING_ACTIVE,
        ConditionStatus::True,
        "ValidMetricFound",
        format!("the HPA was able to successfully calculate a replica count from {name}"),
        now,
    );
    Ok((replicas, name))
}

/// One metric: (proposal, its name, its status), or (event reason, error).
fn compute_replicas_for_metric(
    hpa: &HpaTyped,
    current: i32,
    pods: &[&Pod],
    metrics: MetricsSource,
    spec: &MetricSpec,
    now: Time,
) -> Result<(i32, String, MetricStatus), (String, String)> {
    let Some(source) = spec.resource.as_ref().filter(|_| spec.type_ == "Resource") else {
        return Err((
            "FailedGetExternalMetric".to_string(),
            format!(
                "unable to get metric of type {}: the lab's metrics-server serves resource metrics only",
                spec.type_
            ),
        ));
    };
    let resource = source.name.as_str();
    let failed = |error: String| {
        (
            "FailedGetResourceMetric".to_string(),
            format!("failed to get {resource} utilization: {error}"),
        )
    };
    let Some(target) = source.target.average_utilization else {
        return Err(failed(
            "the lab computes Utilization targets only".to_string(),
        ));
    };
    let usage = metrics(&hpa.metadata.namespace, resource).map_err(|e| {
        failed(format!(
            "unable to get metrics for resource {resource}: {e}"
        ))
    })?;
    let mut requests = BTreeMap::new();
    for pod in pods {
        let mut total = 0i64;
        for container in &pod.spec.containers {
            let request = crate::scheduler::plugins::noderesources::container_requests(container);
            let value = if resource == "cpu" {
                request.milli_cpu
            } else {
                request.memory.saturating_mul(1000)
            };
            if value == 0 {
                return Err(failed(format!(
                    "missing request for {resource} in container {} of Pod {}",
                    container.name, pod.metadata.name
                )));
            }
            total = total.saturating_add(value);
        }
        requests.insert(pod.metadata.name.clone(), total);
    }
    let usage: PodMetricsInfo = usage
        .into_iter()
        .filter(|(name, _)| requests.contains_key(name))
        .collect();
    if usage.is_empty() && !pods.is_empty() {
        return Err(failed(format!(
            "unable to get metrics for resource {resource}: no metrics returned from resource metrics API"
        )));
    }
    let proposal = resource_replicas(
        current,
        target,
        pods,
        usage,
        &requests,
        resource == "cpu",
        now,
    )
    .map_err(failed)?;
    let average = if resource == "cpu" {
        Quantity::from_milli(proposal.raw_average)
    } else {
        Quantity::from_bytes(proposal.raw_average / 1000)
    };
    let status = MetricStatus {
        type_: "Resource".to_string(),
        resource: Some(ResourceMetricStatus {
            name: resource.to_string(),
            current: MetricValueStatus {
                average_utilization: Some(proposal.utilization),
                average_value: Some(average.to_string()),
                value: None,
            },
        }),
    };
    Ok((proposal.replicas, resource_metric_name(resource), status))
}

/// `setCondition`: the transition time moves only when the status changes.
pub fn set_condition(
    hpa: &mut HpaTyped,
    type_: &str,
    status: ConditionStatus,
    reason: &str,
    message: String,
    now: Time,
) {
    let conditions = &mut hpa.status.conditions;
    match conditions.iter_mut().find(|c| c.type_ == type_) {
        Some(existing) => {
            if existing.status != status {
                existing.last_transition_time = Some(now);
            }
            existing.status = status;
            existing.reason = reason.to_string();
            existing.message = message;
        }
        None => conditions.push(HorizontalPodAutoscalerCondition {
            last_transition_time: Some(now),
            message,
            reason: reason.to_string(),
            status,
            type_: type_.to_string(),
        }),
    }
}

fn event(api: &mut ApiServer, hpa: &HpaTyped, type_: EventType, reason: &str, message: String) {
    let object = reference(Kind::HorizontalPodAutoscaler, &hpa.metadata);
    api.record(object, type_, reason, message, SOURCE, None);
}

fn write_status(
    api: &mut ApiServer,
    key: &ObjectKey,
    live: &HorizontalPodAutoscaler,
    hpa: HpaTyped,
) -> bool {
    // Only the status subresource is written.
    let status = serde_json::to_value(&hpa.status).unwrap_or_default();
    if live.status == status {
        return false;
    }
    let mut stored = live.clone();
    stored.status = status;
    api.store
        .horizontal_pod_autoscalers
        .insert(key.clone(), stored);
    api.work.dirty = true;
    true
}
