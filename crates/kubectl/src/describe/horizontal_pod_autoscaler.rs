//! `kubectl describe hpa` (describe.go `describeHorizontalPodAutoscalerV2`).

use super::{
    describe_events, print_annotations_multiline, print_labels_multiline, PrefixWriter, LEVEL_0,
    LEVEL_1, LEVEL_2, LEVEL_3,
};
use crate::printers::duration::rfc1123z;
use rollout_sim::clock::Time;
use rollout_sim::objects::{Event, HorizontalPodAutoscaler, HpaScalingRules};

pub fn describe_horizontal_pod_autoscaler(
    hpa: &HorizontalPodAutoscaler,
    events: &[Event],
    now: Time,
) -> String {
    let hpa = &hpa.typed();
    let mut w = PrefixWriter::aligned();
    let meta = &hpa.metadata;
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta.name));
    w.write(LEVEL_0, &format!("Namespace:\t{}\n", meta.namespace));
    print_labels_multiline(&mut w, "Labels", &meta.labels);
    print_annotations_multiline(&mut w, "Annotations", &meta.annotations);
    w.write(
        LEVEL_0,
        &format!(
            "CreationTimestamp:\t{}\n",
            rfc1123z(meta.creation_timestamp)
        ),
    );
    let target = &hpa.spec.scale_target_ref;
    w.write(
        LEVEL_0,
        &format!("Reference:\t{}/{}\n", target.kind, target.name),
    );
    w.write(LEVEL_0, "Metrics:\t( current / target )\n");
    for (i, metric) in hpa.spec.metrics.iter().enumerate() {
        let status = hpa.status.current_metrics.get(i);
        match (&metric.resource, metric.type_.as_str()) {
            (Some(resource), "Resource") => {
                let current_status = status.and_then(|s| s.resource.as_ref()).map(|r| &r.current);
                if let Some(average) = &resource.target.average_value {
                    let current = current_status
                        .and_then(|c| c.average_value.clone())
                        .unwrap_or_else(|| "<unknown>".to_string());
                    w.write(
                        LEVEL_1,
                        &format!(
                            "resource {} on pods:\t{current} / {average}\n",
                            resource.name
                        ),
                    );
                } else {
                    let current = match current_status {
                        Some(c) if c.average_utilization.is_some() => format!(
                            "{}% ({})",
                            c.average_utilization.unwrap_or_default(),
                            c.average_value.clone().unwrap_or_else(|| "0".to_string())
                        ),
                        _ => "<unknown>".to_string(),
                    };
                    let target = resource
                        .target
                        .average_utilization
                        .map_or_else(|| "<auto>".to_string(), |u| format!("{u}%"));
                    w.write(
                        LEVEL_1,
                        &format!(
                            "resource {} on pods  (as a percentage of request):\t{current} / {target}\n",
                            resource.name
                        ),
                    );
                }
            }
            _ => w.write(
                LEVEL_1,
                &format!("<unknown metric type {}>\n", metric.type_),
            ),
        }
    }
    let min = hpa
        .spec
        .min_replicas
        .map_or_else(|| "<unset>".to_string(), |m| m.to_string());
    w.write(LEVEL_0, &format!("Min replicas:\t{min}\n"));
    w.write(
        LEVEL_0,
        &format!("Max replicas:\t{}\n", hpa.spec.max_replicas),
    );
    if let Some(behavior) = &hpa.spec.behavior {
        w.write(LEVEL_0, "Behavior:\n");
        direction(&mut w, "Scale Up", behavior.scale_up.as_ref());
        direction(&mut w, "Scale Down", behavior.scale_down.as_ref());
    }
    w.write(LEVEL_0, &format!("{} pods:\t", target.kind));
    w.write(
        LEVEL_0,
        &format!(
            "{} current / {} desired\n",
            hpa.status.current_replicas, hpa.status.desired_replicas
        ),
    );
    if !hpa.status.conditions.is_empty() {
        w.write(LEVEL_0, "Conditions:\n");
        w.write(LEVEL_1, "Type\tStatus\tReason\tMessage\n");
        w.write(LEVEL_1, "----\t------\t------\t-------\n");
        for c in &hpa.status.conditions {
            w.write(
                LEVEL_1,
                &format!("{}\t{:?}\t{}\t{}\n", c.type_, c.status, c.reason, c.message),
            );
        }
    }
    describe_events(&mut w, events, now);
    w.finish()
}

/// `printDirectionBehavior`.
fn direction(w: &mut PrefixWriter, name: &str, rules: Option<&HpaScalingRules>) {
    let Some(rules) = rules else { return };
    w.write(LEVEL_1, &format!("{name}:\n"));
    if let Some(window) = rules.stabilization_window_seconds {
        w.write(
            LEVEL_2,
            &format!("Stabilization Window: {window} seconds\n"),
        );
    }
    if !rules.policies.is_empty() {
        let select = rules.select_policy.as_deref().unwrap_or("Max");
        w.write(LEVEL_2, &format!("Select Policy: {select}\n"));
        w.write(LEVEL_2, "Policies:\n");
        for p in &rules.policies {
            w.write(
                LEVEL_3,
                &format!(
                    "- Type: {}\tValue: {}\tPeriod: {} seconds\n",
                    p.type_, p.value, p.period_seconds
                ),
            );
        }
    }
}
