//! `kubectl rollout history deployment/NAME [--revision=N]` (polymorphichelpers
//! `history.go` `DeploymentHistoryViewer` + `rollout_history.go`).
//!
//! The output is a NamePrinter line whose "operation" is `"<with revision #N>\n<body>"`,
//! which is why the plain listing starts with `deployment.apps/NAME ` (trailing space) and
//! ends with a blank line.

use super::describe_pod_template_raw;
use crate::printers::names::success_line;
use crate::printers::tabwriter::TabWriter;
use rollout_sim::controller::util::revision;
use rollout_sim::objects::{Deployment, Kind, PodTemplateSpec, ReplicaSet};
use std::collections::BTreeMap;
use std::fmt;

/// The annotation `kubectl rollout history` shows as CHANGE-CAUSE.
pub const CHANGE_CAUSE_ANNOTATION: &str = "kubernetes.io/change-cause";

/// Why `rollout history` printed nothing on stdout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryError {
    /// `--revision=N` names no ReplicaSet.
    RevisionNotFound,
}

impl fmt::Display for HistoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HistoryError::RevisionNotFound => f.write_str("unable to find the specified revision"),
        }
    }
}

impl std::error::Error for HistoryError {}

/// The full stdout of `kubectl rollout history` for `deployment`. `replica_sets` may hold
/// any ReplicaSets of the namespace; those the Deployment controls make up the history.
/// `revision` is `--revision` (0 when not given).
pub fn rollout_history(
    deployment: &Deployment,
    replica_sets: &[ReplicaSet],
    revision_wanted: i64,
) -> Result<String, HistoryError> {
    // Keyed by revision: a later ReplicaSet with the same number replaces an earlier one,
    // like the Go map. A missing annotation is revision 0; an unparsable one is skipped.
    let mut history: BTreeMap<i64, PodTemplateSpec> = BTreeMap::new();
    for rs in replica_sets.iter().filter(|rs| {
        rs.metadata
            .controller_ref()
            .is_some_and(|owner| owner.uid == deployment.metadata.uid)
    }) {
        let Ok(number) = revision(rs) else { continue };
        let mut template = rs.spec.template.clone();
        if let Some(cause) = rs.metadata.annotation(CHANGE_CAUSE_ANNOTATION) {
            if !cause.is_empty() {
                template
                    .metadata
                    .annotations
                    .insert(CHANGE_CAUSE_ANNOTATION.to_string(), cause.to_string());
            }
        }
        history.insert(number, template);
    }

    let body = if history.is_empty() {
        "No rollout history found.".to_string()
    } else if revision_wanted > 0 {
        let template = history
            .get(&revision_wanted)
            .ok_or(HistoryError::RevisionNotFound)?;
        describe_pod_template_raw(template)
    } else {
        let mut table = String::from("REVISION\tCHANGE-CAUSE\n");
        for (number, template) in &history {
            let cause = template
                .metadata
                .annotations
                .get(CHANGE_CAUSE_ANNOTATION)
                .map(String::as_str)
                .filter(|c| !c.is_empty())
                .unwrap_or("<none>");
            table.push_str(&format!("{number}\t{cause}\n"));
        }
        TabWriter::for_describe().render(&table)
    };

    let with_revision = if revision_wanted > 0 {
        format!("with revision #{revision_wanted}")
    } else {
        String::new()
    };
    Ok(success_line(
        Kind::Deployment,
        &deployment.metadata.name,
        &format!("{with_revision}\n{body}"),
    ))
}
