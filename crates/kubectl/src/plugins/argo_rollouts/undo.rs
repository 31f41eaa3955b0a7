//! `undo NAME [--to-revision N]` (cmd/undo/undo.go): the pod template of an earlier
//! ReplicaSet goes back into the Rollout (a JSON patch of `/spec/template`), so the
//! controller rolls to it as to any new template.

use super::cli::{self, Invocation};
use super::{require_crds, rollout_not_found, Outcome, Plugin};
use crate::error::KubectlError;
use rollout_sim::addons::argo_rollouts::controller::pod_template_equal_ignore_hash;
use rollout_sim::addons::argo_rollouts::utils::{REVISION_ANNOTATION, ROLLOUTS_POD_TEMPLATE_HASH};
use rollout_sim::cluster::ObjectKey;
use rollout_sim::objects::{ReplicaSet, Rollout};

pub fn run(plugin: &mut Plugin<'_>, invocation: &Invocation) -> Result<Outcome, KubectlError> {
    let [name] = invocation.positional() else {
        return Err(cli::usage_error(invocation.command, plugin.env, plugin.out));
    };
    let to_revision = invocation
        .args
        .value("to-revision")
        .and_then(|v| cli::parse_int(v).ok())
        .unwrap_or(0);
    require_crds(plugin.cluster, "get", "rollouts", Some(name))?;
    let namespace = invocation.namespace();
    let Some(rollout) = plugin
        .cluster
        .store()
        .rollouts
        .get(&ObjectKey::new(&namespace, name))
        .cloned()
    else {
        return Err(rollout_not_found(name));
    };
    let owned = owned_replica_sets(plugin, &rollout);
    let rs = pick_revision(&owned, &rollout, to_revision)?;
    if pod_template_equal_ignore_hash(rs, &rollout) {
        plugin.out.stdout.push_str(&format!(
            "skipped rollback (current template already matches revision {to_revision})"
        ));
        return Ok(Outcome::Done);
    }
    // The ReplicaSet's template as the API returns it, without the hash label, replaces
    // the Rollout's (a JSON patch of /spec/template).
    let mut template = rollout_sim::manifest::encode::to_value(
        &rollout_sim::objects::Object::ReplicaSet(rs.clone()),
    )
    .pointer("/spec/template")
    .cloned()
    .unwrap_or_default();
    if let Some(labels) = template
        .pointer_mut("/metadata/labels")
        .and_then(serde_json::Value::as_object_mut)
    {
        labels.remove(ROLLOUTS_POD_TEMPLATE_HASH);
    }
    if let Some(metadata) = template
        .pointer_mut("/metadata")
        .and_then(serde_json::Value::as_object_mut)
    {
        metadata.remove("creationTimestamp");
    }
    plugin
        .cluster
        .update_rollout(&namespace, name, |ro| ro.spec.template = template)
        .map_err(|err| {
            cli::error(format!(
                "failed restoring revision {to_revision}: {}",
                err.message()
            ))
        })?;
    plugin
        .out
        .stdout
        .push_str(&format!("rollout '{}' undo\n", rollout.metadata.name));
    Ok(Outcome::Done)
}

/// The ReplicaSets the Rollout's selector matches and the Rollout controls, in the API's
/// order.
fn owned_replica_sets(plugin: &Plugin<'_>, rollout: &Rollout) -> Vec<ReplicaSet> {
    let namespace = &rollout.metadata.namespace;
    rollout_sim::cluster::in_namespace(&plugin.cluster.store().replica_sets, namespace)
        .filter(|rs| {
            rollout
                .spec
                .selector
                .as_ref()
                .is_some_and(|selector| selector.matches(&rs.metadata.labels))
        })
        .filter(|rs| {
            rs.metadata
                .controller_ref()
                .is_some_and(|owner| owner.uid == rollout.metadata.uid)
        })
        .cloned()
        .collect()
}

/// `rolloutRevision`: the ReplicaSet of `--to-revision`, or the second newest.
fn pick_revision<'a>(
    owned: &'a [ReplicaSet],
    rollout: &Rollout,
    to_revision: i64,
) -> Result<&'a ReplicaSet, KubectlError> {
    let mut latest: Option<(i64, &ReplicaSet)> = None;
    let mut previous: Option<(i64, &ReplicaSet)> = None;
    for rs in owned {
        // No annotation counts as 0; one that does not parse is skipped.
        let revision = match rs.metadata.annotation(REVISION_ANNOTATION) {
            None => 0,
            Some(text) => match text.parse::<i64>() {
                Ok(revision) => revision,
                Err(_) => continue,
            },
        };
        if to_revision == 0 {
            if latest.is_none_or(|(v, _)| v < revision) {
                previous = latest;
                latest = Some((revision, rs));
            } else if previous.is_none_or(|(v, _)| v < revision) {
                previous = Some((revision, rs));
            }
        } else if to_revision == revision {
            return Ok(rs);
        }
    }
    if to_revision > 0 {
        return Err(cli::error(format!(
            "unable to find specified revision {to_revision} in history"
        )));
    }
    previous.map(|(_, rs)| rs).ok_or_else(|| {
        cli::error(format!(
            "no revision found for rollout {}",
            rollout_sim::api::go_quote(&rollout.metadata.name)
        ))
    })
}
