//! `replica_calculator.go`: how many replicas a resource metric asks for. The usage of every
//! pod that counts is compared with its request; the ratio of the average utilization to the
//! target scales the ready pods, unless it is within the tolerance. Pods without metrics and
//! pods not yet ready are counted conservatively (as upstream's `GetResourceReplicas` does),
//! so a rollout's fresh pods never make the autoscaler overshoot.

use crate::clock::{Duration, Time};
use crate::objects::{ConditionStatus, Pod, PodConditionType, PodPhase};
use std::collections::{BTreeMap, BTreeSet};

/// `--horizontal-pod-autoscaler-tolerance`.
pub const TOLERANCE: f64 = 0.1;
/// `--horizontal-pod-autoscaler-cpu-initialization-period`.
pub const CPU_INITIALIZATION_PERIOD: Duration = Duration(300_000);
/// `--horizontal-pod-autoscaler-initial-readiness-delay`.
pub const DELAY_OF_INITIAL_READINESS_STATUS: Duration = Duration(30_000);

/// One pod's usage as the resource metrics API returned it (milli-units: millicores, or
/// milli-bytes for memory as upstream's `MilliValue`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PodMetric {
    pub value: i64,
    pub timestamp: Time,
    pub window: Duration,
}

pub type PodMetricsInfo = BTreeMap<String, PodMetric>;

/// What `GetResourceReplicas` returns: the proposal, the utilization in percent of the
/// requests, and the raw average usage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Proposal {
    pub replicas: i32,
    pub utilization: i32,
    pub raw_average: i64,
    pub timestamp: Time,
}

/// `groupPods`: which pods count as ready with a metric, which are unready, which lack a
/// metric and which are ignored (being deleted or failed).
#[derive(Debug, Default, PartialEq)]
pub struct Groups {
    pub ready: i32,
    pub unready: BTreeSet<String>,
    pub missing: BTreeSet<String>,
    pub ignored: BTreeSet<String>,
}

pub fn group_pods(pods: &[&Pod], metrics: &PodMetricsInfo, cpu: bool, now: Time) -> Groups {
    let mut groups = Groups::default();
    for pod in pods {
        let name = pod.metadata.name.clone();
        if pod.metadata.deletion_timestamp.is_some() || pod.status.phase == Some(PodPhase::Failed) {
            groups.ignored.insert(name);
            continue;
        }
        if pod.status.phase == Some(PodPhase::Pending) || pod.status.phase.is_none() {
            groups.unready.insert(name);
            continue;
        }
        let Some(metric) = metrics.get(&name) else {
            groups.missing.insert(name);
            continue;
        };
        if cpu {
            let condition = pod
                .status
                .conditions
                .iter()
                .find(|c| c.type_ == PodConditionType::Ready);
            let unready = match (condition, pod.status.start_time) {
                (Some(condition), Some(start)) => {
                    let transition = condition.last_transition_time.unwrap_or(start);
                    if start + CPU_INITIALIZATION_PERIOD > now {
                        // Still in its initialization period: ignore the sample if the pod
                        // is unready or no whole window was measured since it turned ready.
                        condition.status == ConditionStatus::False
                            || metric.timestamp < transition + metric.window
                    } else {
                        // Unready and never ready since it started.
                        condition.status == ConditionStatus::False
                            && start + DELAY_OF_INITIAL_READINESS_STATUS > transition
                    }
                }
                _ => true,
            };
            if unready {
                groups.unready.insert(name);
                continue;
            }
        }
        groups.ready += 1;
    }
    groups
}

/// `GetResourceUtilizationRatio`: (usage ratio, utilization %, raw average), over the pods
/// that have a metric; an error names a pod without a request.
pub fn utilization_ratio(
    metrics: &PodMetricsInfo,
    requests: &BTreeMap<String, i64>,
    target_utilization: i32,
) -> Result<(f64, i32, i64), String> {
    let mut metrics_total: i64 = 0;
    let mut requests_total: i64 = 0;
    let mut entities: i64 = 0;
    for (pod, metric) in metrics {
        let Some(request) = requests.get(pod) else {
            // Upstream skips a pod it has no request entry for.
            continue;
        };
        metrics_total = metrics_total.saturating_add(metric.value);
        requests_total = requests_total.saturating_add(*request);
        entities += 1;
    }
    if requests_total == 0 {
        return Err("no metrics returned matched known pods".to_string());
    }
    let utilization = (metrics_total.saturating_mul(100) / requests_total) as i32;
    let ratio = utilization as f64 / target_utilization.max(1) as f64;
    Ok((ratio, utilization, metrics_total / entities.max(1)))
}

/// `GetResourceReplicas` for a utilization target, given the target's pods (already selected),
/// their metrics and their requests (`calculatePodRequests`, which the caller computed and
/// which fails for a container without one).
pub fn resource_replicas(
    current_replicas: i32,
    target_utilization: i32,
    pods: &[&Pod],
    mut metrics: PodMetricsInfo,
    requests: &BTreeMap<String, i64>,
    cpu: bool,
    now: Time,
) -> Result<Proposal, String> {
    if pods.is_empty() {
        return Err("no pods returned by selector while calculating replica count".to_string());
    }
    let timestamp = metrics.values().map(|m| m.timestamp).max().unwrap_or(now);
    let groups = group_pods(pods, &metrics, cpu, now);
    for name in groups.ignored.iter().chain(&groups.unready) {
        metrics.remove(name);
    }
    if metrics.is_empty() {
        return Err(
            "did not receive metrics for targeted pods (pods might be unready)".to_string(),
        );
    }
    let (ratio, utilization, raw_average) =
        utilization_ratio(&metrics, requests, target_utilization)?;
    let proposal = |replicas| Proposal {
        replicas,
        utilization,
        raw_average,
        timestamp,
    };
    let scale_up_with_unready = !groups.unready.is_empty() && ratio > 1.0;
    if !scale_up_with_unready && groups.missing.is_empty() {
        if (1.0 - ratio).abs() <= TOLERANCE {
            return Ok(proposal(current_replicas));
        }
        return Ok(proposal(ceil_i32(ratio * groups.ready as f64)));
    }
    if !groups.missing.is_empty() {
        // Missing pods count as at their request when scaling down, at zero when scaling up.
        for name in &groups.missing {
            let value = if ratio < 1.0 {
                requests.get(name).copied().unwrap_or(0)
            } else {
                0
            };
            if ratio != 1.0 {
                metrics.insert(
                    name.clone(),
                    PodMetric {
                        value,
                        timestamp,
                        window: Duration::ZERO,
                    },
                );
            }
        }
    }
    if scale_up_with_unready {
        for name in &groups.unready {
            metrics.insert(
                name.clone(),
                PodMetric {
                    value: 0,
                    timestamp,
                    window: Duration::ZERO,
                },
            );
        }
    }
    let (new_ratio, _, _) = utilization_ratio(&metrics, requests, target_utilization)?;
    if (1.0 - new_ratio).abs() <= TOLERANCE
        || (ratio < 1.0 && new_ratio > 1.0)
        || (ratio > 1.0 && new_ratio < 1.0)
    {
        // The direction changed or the change is within tolerance: keep the scale.
        return Ok(proposal(current_replicas));
    }
    let new_replicas = ceil_i32(new_ratio * metrics.len() as f64);
    if (new_ratio < 1.0 && new_replicas > current_replicas)
        || (new_ratio > 1.0 && new_replicas < current_replicas)
    {
        return Ok(proposal(current_replicas));
    }
    Ok(proposal(new_replicas))
}

/// `int32(math.Ceil(x))`, saturating.
pub fn ceil_i32(x: f64) -> i32 {
    let x = x.ceil();
    if x.is_nan() {
        0
    } else if x >= i32::MAX as f64 {
        i32::MAX
    } else if x <= i32::MIN as f64 {
        i32::MIN
    } else {
        x as i32
    }
}
