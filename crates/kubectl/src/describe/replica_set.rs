//! `kubectl describe replicaset` (describe.go `describeReplicaSet`).

use super::deployment::condition_status_name;
use super::{
    describe_events, describe_pod_template, print_annotations_multiline, print_labels_multiline,
    PrefixWriter, LEVEL_0, LEVEL_1,
};
use crate::printers::format::format_label_selector;
use rollout_sim::clock::Time;
use rollout_sim::objects::{Event, Pod, PodPhase, ReplicaSet, ReplicaSetConditionType};

/// Describes `rs`. `pods` may hold any pods of the namespace: the ones this ReplicaSet
/// controls are counted by phase for `Pods Status:`.
pub fn describe_replica_set(rs: &ReplicaSet, pods: &[Pod], events: &[Event], now: Time) -> String {
    let mut w = PrefixWriter::aligned();
    w.write(LEVEL_0, &format!("Name:\t{}\n", rs.metadata.name));
    w.write(LEVEL_0, &format!("Namespace:\t{}\n", rs.metadata.namespace));
    w.write(
        LEVEL_0,
        &format!("Selector:\t{}\n", format_label_selector(&rs.spec.selector)),
    );
    print_labels_multiline(&mut w, "Labels", &rs.metadata.labels);
    print_annotations_multiline(&mut w, "Annotations", &rs.metadata.annotations);
    if let Some(owner) = rs.metadata.controller_ref() {
        w.write(
            LEVEL_0,
            &format!("Controlled By:\t{}/{}\n", owner.kind, owner.name),
        );
    }
    w.write(
        LEVEL_0,
        &format!(
            "Replicas:\t{} current / {} desired\n",
            rs.status.replicas, rs.spec.replicas
        ),
    );
    let (mut running, mut waiting, mut succeeded, mut failed) = (0, 0, 0, 0);
    for pod in pods.iter().filter(|pod| {
        pod.metadata
            .controller_ref()
            .is_some_and(|owner| owner.uid == rs.metadata.uid)
            && rs.spec.selector.matches(&pod.metadata.labels)
    }) {
        match pod.status.phase {
            Some(PodPhase::Running) => running += 1,
            None | Some(PodPhase::Pending) => waiting += 1,
            Some(PodPhase::Succeeded) => succeeded += 1,
            Some(PodPhase::Failed) => failed += 1,
            Some(PodPhase::Unknown) => {}
        }
    }
    w.write(LEVEL_0, "Pods Status:\t");
    w.write(
        LEVEL_0,
        &format!(
            "{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n"
        ),
    );
    describe_pod_template(&mut w, &rs.spec.template);
    if !rs.status.conditions.is_empty() {
        w.write(LEVEL_0, "Conditions:\n  Type\tStatus\tReason\n");
        w.write(LEVEL_1, "----\t------\t------\n");
        for condition in &rs.status.conditions {
            let type_ = match condition.type_ {
                ReplicaSetConditionType::ReplicaFailure => "ReplicaFailure",
            };
            w.write(
                LEVEL_1,
                &format!(
                    "{type_} \t{}\t{}\n",
                    condition_status_name(condition.status),
                    condition.reason
                ),
            );
        }
    }
    describe_events(&mut w, events, now);
    w.finish()
}
