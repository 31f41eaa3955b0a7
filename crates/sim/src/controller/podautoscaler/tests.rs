//! Upstream's worked examples: `replica_calculator_test.go`'s resource cases (per pod: every
//! container's request and usage summed, which gives the same ratios as upstream's two
//! containers per pod) and the default behavior's rate limits from `horizontal.go`.

use super::horizontal::{
    scale_down_limit, scale_up_limit, HorizontalController, NormalizationArg, ScaleEvent,
};
use super::replica_calculator::{resource_replicas, PodMetric, PodMetricsInfo};
use crate::apiserver::ObjectKey;
use crate::clock::{Duration, Time};
use crate::objects::{
    set_hpa_defaults, ConditionStatus, HorizontalPodAutoscaler, HpaTyped, Pod, PodCondition,
    PodConditionType, PodPhase,
};
use std::collections::BTreeMap;

const NOW: Time = Time(10_000_000);

struct Case {
    current: i32,
    expected: i32,
    readiness: Vec<bool>,
    phases: Vec<PodPhase>,
    deleting: Vec<bool>,
    levels: Vec<i64>,
    target: i32,
    expected_utilization: i32,
}

impl Case {
    fn new(current: i32, expected: i32, levels: &[i64], target: i32, utilization: i32) -> Case {
        Case {
            current,
            expected,
            readiness: Vec::new(),
            phases: Vec::new(),
            deleting: Vec::new(),
            levels: levels.to_vec(),
            target,
            expected_utilization: utilization,
        }
    }

    fn run(&self) {
        let count = self.readiness.len().max(self.current as usize);
        // Upstream's "cool" pods: started long before the CPU initialization period, ready
        // (or not) since they started.
        let start = NOW - Duration::from_secs(600);
        let pods: Vec<Pod> = (0..count)
            .map(|i| {
                let mut pod = Pod::default();
                pod.metadata.name = format!("test-pod-{i}");
                pod.metadata.namespace = "test-namespace".to_string();
                if self.deleting.get(i) == Some(&true) {
                    pod.metadata.deletion_timestamp = Some(NOW);
                }
                pod.status.phase = Some(self.phases.get(i).copied().unwrap_or(PodPhase::Running));
                pod.status.start_time = Some(start);
                let ready = self.readiness.get(i).copied().unwrap_or(true);
                pod.status.conditions = vec![PodCondition {
                    type_: PodConditionType::Ready,
                    status: if ready {
                        ConditionStatus::True
                    } else {
                        ConditionStatus::False
                    },
                    last_transition_time: Some(start),
                    reason: None,
                    message: None,
                }];
                pod
            })
            .collect();
        let refs: Vec<&Pod> = pods.iter().collect();
        let metrics: PodMetricsInfo = self
            .levels
            .iter()
            .enumerate()
            .map(|(i, level)| {
                (
                    format!("test-pod-{i}"),
                    PodMetric {
                        value: *level,
                        timestamp: NOW,
                        window: Duration::from_secs(30),
                    },
                )
            })
            .collect();
        let requests: BTreeMap<String, i64> = (0..count)
            .map(|i| (format!("test-pod-{i}"), 1000))
            .collect();
        let proposal = resource_replicas(
            self.current,
            self.target,
            &refs,
            metrics,
            &requests,
            true,
            NOW,
        )
        .expect("a proposal");
        assert_eq!(proposal.replicas, self.expected, "replicas");
        assert_eq!(
            proposal.utilization, self.expected_utilization,
            "utilization"
        );
    }
}

#[test]
fn replica_calc_scale_up() {
    Case::new(3, 5, &[300, 500, 700], 30, 50).run();
}

#[test]
fn replica_calc_scale_up_unready_less_scale() {
    let mut case = Case::new(3, 4, &[300, 500, 700], 30, 60);
    case.readiness = vec![false, true, true];
    case.run();
}

#[test]
fn replica_calc_scale_up_unready_no_scale() {
    let mut case = Case::new(3, 3, &[400, 500, 700], 30, 40);
    case.readiness = vec![true, false, false];
    case.run();
}

#[test]
fn replica_calc_scale_up_ignores_failed_pods() {
    let mut case = Case::new(2, 4, &[500, 700], 30, 60);
    case.readiness = vec![true, true, false, false];
    case.phases = vec![
        PodPhase::Running,
        PodPhase::Running,
        PodPhase::Failed,
        PodPhase::Failed,
    ];
    case.run();
}

#[test]
fn replica_calc_scale_up_ignores_deletion_pods() {
    let mut case = Case::new(2, 4, &[500, 700], 30, 60);
    case.readiness = vec![true, true, false, false];
    case.deleting = vec![false, false, true, true];
    case.run();
}

#[test]
fn replica_calc_scale_down() {
    Case::new(5, 3, &[100, 300, 500, 250, 250], 50, 28).run();
}

#[test]
fn replica_calc_scale_down_include_unready_pods() {
    let mut case = Case::new(5, 2, &[100, 300, 500, 250, 250], 50, 30);
    case.readiness = vec![true, true, true, false, false];
    case.run();
}

#[test]
fn replica_calc_scale_down_exclude_unscheduled_pods() {
    let mut case = Case::new(5, 1, &[100], 50, 10);
    case.readiness = vec![true, false, false, false, false];
    case.phases = vec![
        PodPhase::Running,
        PodPhase::Pending,
        PodPhase::Pending,
        PodPhase::Pending,
        PodPhase::Pending,
    ];
    case.run();
}

#[test]
fn replica_calc_scale_down_ignores_failed_pods() {
    let mut case = Case::new(5, 3, &[100, 300, 500, 250, 250], 50, 28);
    case.readiness = vec![true, true, true, true, true, false, false];
    case.phases = vec![
        PodPhase::Running,
        PodPhase::Running,
        PodPhase::Running,
        PodPhase::Running,
        PodPhase::Running,
        PodPhase::Failed,
        PodPhase::Failed,
    ];
    case.run();
}

#[test]
fn replica_calc_missing_metrics_no_change_eq() {
    Case::new(2, 2, &[1000], 100, 100).run();
}

#[test]
fn replica_calc_within_tolerance_keeps_the_scale() {
    // 102% of a 100% target: within the 10% tolerance.
    Case::new(3, 3, &[1010, 1030, 1020], 100, 102).run();
}

fn default_rules() -> HpaTyped {
    let mut hpa = HorizontalPodAutoscaler {
        spec: serde_json::json!({"maxReplicas": 100}),
        ..HorizontalPodAutoscaler::default()
    };
    set_hpa_defaults(&mut hpa);
    hpa.typed()
}

#[test]
fn default_scale_up_is_the_larger_of_four_pods_and_double() {
    let hpa = default_rules();
    let behavior = hpa.spec.behavior.clone().unwrap_or_default();
    let up = behavior.scale_up.unwrap_or_default();
    assert_eq!(scale_up_limit(1, &[], &[], &up, NOW), 5);
    assert_eq!(scale_up_limit(3, &[], &[], &up, NOW), 7);
    assert_eq!(scale_up_limit(10, &[], &[], &up, NOW), 20);
    // Replicas added in the last 15 s count against the period's start.
    let added = [ScaleEvent {
        change: 4,
        timestamp: NOW - Duration::from_secs(5),
        outdated: false,
    }];
    assert_eq!(scale_up_limit(5, &added, &[], &up, NOW), 5);
    let down = behavior.scale_down.unwrap_or_default();
    assert_eq!(scale_down_limit(10, &[], &[], &down, NOW), 0);
}

#[test]
fn scale_down_waits_for_the_stabilization_window() {
    let mut hpa = default_rules();
    let behavior = hpa.spec.behavior.clone().unwrap_or_default();
    let (up, down) = (
        behavior.scale_up.unwrap_or_default(),
        behavior.scale_down.unwrap_or_default(),
    );
    let key = ObjectKey::new("default", "web");
    let mut controller = HorizontalController::default();
    let arg = |current, desired| NormalizationArg {
        key: &key,
        scale_up: &up,
        scale_down: &down,
        min_replicas: 1,
        max_replicas: 10,
        current_replicas: current,
        desired_replicas: desired,
    };
    // A recommendation of 6, then load drops: 2 is held at 6 for 300 s.
    assert_eq!(
        controller.normalize_desired_replicas_with_behaviors(&mut hpa, arg(6, 6), NOW),
        6
    );
    let later = NOW + Duration::from_secs(60);
    assert_eq!(
        controller.normalize_desired_replicas_with_behaviors(&mut hpa, arg(6, 2), later),
        6
    );
    let condition = hpa
        .status
        .conditions
        .iter()
        .find(|c| c.type_ == "AbleToScale");
    assert_eq!(
        condition.map(|c| c.reason.as_str()),
        Some("ScaleDownStabilized")
    );
    let after = NOW + Duration::from_secs(301);
    assert_eq!(
        controller.normalize_desired_replicas_with_behaviors(&mut hpa, arg(6, 2), after),
        2
    );
    // Scaling up is immediate but limited to 4 pods or 100% per 15 s.
    assert_eq!(
        controller.normalize_desired_replicas_with_behaviors(&mut hpa, arg(2, 10), after),
        6
    );
    let limited = hpa
        .status
        .conditions
        .iter()
        .find(|c| c.type_ == "ScalingLimited");
    assert_eq!(limited.map(|c| c.reason.as_str()), Some("ScaleUpLimit"));
}
