//! `kubectl describe deployment` (describe.go `describeDeployment`).

use super::{
    describe_events, describe_pod_template, print_annotations_multiline, print_labels_multiline,
    PrefixWriter, LEVEL_0, LEVEL_1,
};
use crate::printers::duration::rfc1123z;
use crate::printers::format::selector_string;
use rollout_sim::clock::Time;
use rollout_sim::controller::util::split_new_and_old;
use rollout_sim::objects::{
    ConditionStatus, Deployment, DeploymentConditionType, DeploymentStrategyType, Event,
    IntOrString, ReplicaSet,
};

/// Describes `deployment`. `replica_sets` may hold any ReplicaSets of the namespace: those
/// the Deployment controls are split into the new one (template matches) and the old ones.
/// `events` are the events about this Deployment.
pub fn describe_deployment(
    deployment: &Deployment,
    replica_sets: &[ReplicaSet],
    events: &[Event],
    now: Time,
) -> String {
    let d = deployment;
    let mut w = PrefixWriter::aligned();
    w.write(LEVEL_0, &format!("Name:\t{}\n", d.metadata.name));
    w.write(LEVEL_0, &format!("Namespace:\t{}\n", d.metadata.namespace));
    w.write(
        LEVEL_0,
        &format!(
            "CreationTimestamp:\t{}\n",
            rfc1123z(d.metadata.creation_timestamp)
        ),
    );
    print_labels_multiline(&mut w, "Labels", &d.metadata.labels);
    print_annotations_multiline(&mut w, "Annotations", &d.metadata.annotations);
    w.write(
        LEVEL_0,
        &format!("Selector:\t{}\n", selector_string(&d.spec.selector)),
    );
    w.write(
        LEVEL_0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
            d.spec.replicas,
            d.status.updated_replicas,
            d.status.replicas,
            d.status.available_replicas,
            d.status.unavailable_replicas
        ),
    );
    let strategy = match d.spec.strategy.type_ {
        DeploymentStrategyType::RollingUpdate => "RollingUpdate",
        DeploymentStrategyType::Recreate => "Recreate",
    };
    w.write(LEVEL_0, &format!("StrategyType:\t{strategy}\n"));
    w.write(
        LEVEL_0,
        &format!("MinReadySeconds:\t{}\n", d.spec.min_ready_seconds),
    );
    if d.spec.strategy.type_ == DeploymentStrategyType::RollingUpdate {
        // Unset fenceposts are what the API server defaults them to.
        let rolling = d.spec.strategy.rolling_update.clone().unwrap_or_default();
        w.write(
            LEVEL_0,
            &format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
                int_or_percent(rolling.max_unavailable.as_ref()),
                int_or_percent(rolling.max_surge.as_ref())
            ),
        );
    }
    describe_pod_template(&mut w, &d.spec.template);
    if !d.status.conditions.is_empty() {
        w.write(LEVEL_0, "Conditions:\n  Type\tStatus\tReason\n");
        w.write(LEVEL_1, "----\t------\t------\n");
        for condition in &d.status.conditions {
            w.write(
                LEVEL_1,
                &format!(
                    "{} \t{}\t{}\n",
                    condition_type_name(condition.type_),
                    condition_status_name(condition.status),
                    condition.reason
                ),
            );
        }
    }
    let owned: Vec<ReplicaSet> = replica_sets
        .iter()
        .filter(|rs| {
            rs.metadata
                .controller_ref()
                .is_some_and(|owner| owner.uid == d.metadata.uid)
        })
        .cloned()
        .collect();
    if !owned.is_empty() {
        let (new_rs, old_rss) = split_new_and_old(d, owned);
        w.write(
            LEVEL_0,
            &format!(
                "OldReplicaSets:\t{}\n",
                replica_sets_created(old_rss.iter())
            ),
        );
        w.write(
            LEVEL_0,
            &format!("NewReplicaSet:\t{}\n", replica_sets_created(new_rs.iter())),
        );
    }
    describe_events(&mut w, events, now);
    w.finish()
}

/// An IntOrString as `IntOrString.String()` prints it; unset means the API default, 25%.
fn int_or_percent(value: Option<&IntOrString>) -> String {
    match value {
        Some(IntOrString::Int(n)) => n.to_string(),
        Some(IntOrString::String(s)) => s.clone(),
        None => "25%".to_string(),
    }
}

/// `printReplicaSetsByLabels`: `name (status/spec replicas created)`, comma-joined.
fn replica_sets_created<'a>(rss: impl Iterator<Item = &'a ReplicaSet>) -> String {
    let list: Vec<String> = rss
        .map(|rs| {
            format!(
                "{} ({}/{} replicas created)",
                rs.metadata.name, rs.status.replicas, rs.spec.replicas
            )
        })
        .collect();
    if list.is_empty() {
        "<none>".to_string()
    } else {
        list.join(", ")
    }
}

pub(super) fn condition_type_name(type_: DeploymentConditionType) -> &'static str {
    match type_ {
        DeploymentConditionType::Available => "Available",
        DeploymentConditionType::Progressing => "Progressing",
        DeploymentConditionType::ReplicaFailure => "ReplicaFailure",
    }
}

pub(super) fn condition_status_name(status: ConditionStatus) -> &'static str {
    match status {
        ConditionStatus::True => "True",
        ConditionStatus::False => "False",
        ConditionStatus::Unknown => "Unknown",
    }
}
