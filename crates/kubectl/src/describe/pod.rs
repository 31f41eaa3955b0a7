//! `kubectl describe pod` (describe.go `describePod`).
//!
//! Priority, service account and tolerations are what the API server's admission plugins
//! wrote into the pod (`manifest::defaults::admit_pod`). The QoS class is computed from the
//! containers' resources, as kubectl does when the API server has not stored one.

use super::{
    describe_containers, describe_events, print_annotations_multiline, print_labels_multiline,
    PrefixWriter, LEVEL_0, LEVEL_1,
};
use crate::printers::duration::{rfc1123z, translate_timestamp_since};
use crate::printers::pod_status::phase_name;
use rollout_sim::clock::Time;
use rollout_sim::objects::{ConditionStatus, Event, Pod, PodConditionType};
use std::collections::BTreeMap;

/// `terminationGracePeriodSeconds` when the pod does not set it.
const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS: i64 = 30;

/// Describes `pod`; `events` are the events about this pod.
pub fn describe_pod(pod: &Pod, events: &[Event], now: Time) -> String {
    let mut w = PrefixWriter::aligned();
    w.write(LEVEL_0, &format!("Name:\t{}\n", pod.metadata.name));
    w.write(
        LEVEL_0,
        &format!("Namespace:\t{}\n", pod.metadata.namespace),
    );
    if let Some(priority) = pod.spec.other.get("priority").and_then(|p| p.as_i64()) {
        w.write(LEVEL_0, &format!("Priority:\t{priority}\n"));
    }
    if let Some(account) = pod
        .spec
        .service_account_name
        .as_deref()
        .filter(|a| !a.is_empty())
    {
        w.write(LEVEL_0, &format!("Service Account:\t{account}\n"));
    }
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
    w.write(
        LEVEL_0,
        &format!("QoS Class:\t{}\n", super::resources::qos_class(pod)),
    );
    let selector: BTreeMap<String, String> = match &pod.spec.node_selector {
        Some(serde_json::Value::Object(map)) => map
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
            .collect(),
        _ => BTreeMap::new(),
    };
    print_labels_multiline(&mut w, "Node-Selectors", &selector);
    print_tolerations(&mut w, pod);
    describe_events(&mut w, events, now);
    w.finish()
}

/// `printPodTolerationsMultiline`: sorted by key, `key=value:effect op=Exists for Ns`.
fn print_tolerations(w: &mut PrefixWriter, pod: &Pod) {
    let list: Vec<&serde_json::Value> = match &pod.spec.tolerations {
        Some(serde_json::Value::Array(items)) => items.iter().collect(),
        _ => Vec::new(),
    };
    w.write(LEVEL_0, "Tolerations:\t");
    if list.is_empty() {
        w.write_line("<none>");
        return;
    }
    let field = |t: &serde_json::Value, f: &str| {
        t.get(f)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let mut sorted = list;
    sorted.sort_by_key(|t| field(t, "key"));
    for (i, t) in sorted.iter().enumerate() {
        if i != 0 {
            w.write(LEVEL_0, "\t");
        }
        let (key, value, effect) = (field(t, "key"), field(t, "value"), field(t, "effect"));
        let mut line = key.clone();
        if !value.is_empty() {
            line.push_str(&format!("={value}"));
        }
        if !effect.is_empty() {
            line.push_str(&format!(":{effect}"));
        }
        if field(t, "operator") == "Exists" && value.is_empty() {
            line.push_str(if key.is_empty() && effect.is_empty() {
                "op=Exists"
            } else {
                " op=Exists"
            });
        }
        if let Some(seconds) = t.get("tolerationSeconds").and_then(|v| v.as_i64()) {
            line.push_str(&format!(" for {seconds}s"));
        }
        w.write(LEVEL_0, &format!("{line}\n"));
    }
}
