//! `kubectl describe pod` (describe.go `describePod`).
//!
//! A few lines print what the API server's admission plugins set on every real pod and the
//! simulation does not model: `Priority: 0`, `Service Account: default`, QoS class
//! `BestEffort` (no resource requests) and the two default not-ready/unreachable
//! tolerations.

use super::{
    describe_containers, describe_events, print_annotations_multiline, print_labels_multiline,
    PrefixWriter, LEVEL_0, LEVEL_1,
};
use crate::printers::duration::{rfc1123z, translate_timestamp_since};
use crate::printers::pod_status::phase_name;
use rollout_sim::clock::Time;
use rollout_sim::objects::{ConditionStatus, Event, Pod, PodConditionType};

/// `terminationGracePeriodSeconds` when the pod does not set it.
const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS: i64 = 30;

/// The tolerations the DefaultTolerationSeconds admission plugin adds to every pod.
const DEFAULT_TOLERATIONS: [&str; 2] = [
    "node.kubernetes.io/not-ready:NoExecute op=Exists for 300s",
    "node.kubernetes.io/unreachable:NoExecute op=Exists for 300s",
];

/// Describes `pod`; `events` are the events about this pod.
pub fn describe_pod(pod: &Pod, events: &[Event], now: Time) -> String {
    let mut w = PrefixWriter::aligned();
    w.write(LEVEL_0, &format!("Name:\t{}\n", pod.metadata.name));
    w.write(
        LEVEL_0,
        &format!("Namespace:\t{}\n", pod.metadata.namespace),
    );
    w.write(LEVEL_0, "Priority:\t0\n");
    w.write(LEVEL_0, "Service Account:\tdefault\n");
    if pod.spec.node_name.is_empty() {
        w.write(LEVEL_0, "Node:\t<none>\n");
    } else {
        let host_ip = pod.status.host_ip.as_deref().unwrap_or("");
        w.write(
            LEVEL_0,
            &format!("Node:\t{}/{host_ip}\n", pod.spec.node_name),
        );
    }
    if let Some(start) = pod.status.start_time {
        w.write(
            LEVEL_0,
            &format!("Start Time:\t{}\n", rfc1123z(Some(start))),
        );
    }
    print_labels_multiline(&mut w, "Labels", &pod.metadata.labels);
    print_annotations_multiline(&mut w, "Annotations", &pod.metadata.annotations);
    if let Some(deleted) = pod.metadata.deletion_timestamp {
        w.write(
            LEVEL_0,
            &format!(
                "Status:\tTerminating (lasts {})\n",
                translate_timestamp_since(Some(deleted), now)
            ),
        );
        w.write(
            LEVEL_0,
            &format!(
                "Termination Grace Period:\t{}s\n",
                pod.spec
                    .termination_grace_period_seconds
                    .unwrap_or(DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS)
            ),
        );
    } else {
        w.write(
            LEVEL_0,
            &format!("Status:\t{}\n", phase_name(pod.status.phase)),
        );
    }
    let pod_ip = pod.status.pod_ip.as_deref().unwrap_or("");
    w.write(LEVEL_0, &format!("IP:\t{pod_ip}\n"));
    if pod_ip.is_empty() {
        w.write(LEVEL_0, "IPs:\t<none>\n");
    } else {
        w.write(LEVEL_0, "IPs:\n");
        w.write(LEVEL_1, &format!("IP:\t{pod_ip}\n"));
    }
    if let Some(owner) = pod.metadata.controller_ref() {
        w.write(
            LEVEL_0,
            &format!("Controlled By:\t{}/{}\n", owner.kind, owner.name),
        );
    }
    describe_containers(
        &mut w,
        "Containers",
        &pod.spec.containers,
        Some(&pod.status.container_statuses),
        "",
        now,
    );
    if !pod.status.conditions.is_empty() {
        w.write(LEVEL_0, "Conditions:\n  Type\tStatus\n");
        for condition in &pod.status.conditions {
            let type_ = match condition.type_ {
                PodConditionType::PodScheduled => "PodScheduled",
                PodConditionType::Initialized => "Initialized",
                PodConditionType::ContainersReady => "ContainersReady",
                PodConditionType::Ready => "Ready",
            };
            let status = match condition.status {
                ConditionStatus::True => "True",
                ConditionStatus::False => "False",
                ConditionStatus::Unknown => "Unknown",
            };
            // describe.go writes "%v \t%v \n": a space after each value.
            w.write(LEVEL_1, &format!("{type_} \t{status} \n"));
        }
    }
    w.write(LEVEL_0, "Volumes:\t<none>\n");
    w.write(LEVEL_0, "QoS Class:\tBestEffort\n");
    w.write(LEVEL_0, "Node-Selectors:\t<none>\n");
    w.write(LEVEL_0, "Tolerations:\t");
    for (i, toleration) in DEFAULT_TOLERATIONS.iter().enumerate() {
        if i != 0 {
            w.write(LEVEL_0, "\t");
        }
        w.write(LEVEL_0, &format!("{toleration}\n"));
    }
    describe_events(&mut w, events, now);
    w.finish()
}
