//! Server-side apply (`kubectl apply --server-side`; `PATCH` with
//! `application/apply-patch+yaml` on `rollout-lab apiserver`): the applied configuration
//! creates the object or is merged into it, and the manager that applied it owns the fields
//! it set. A field another manager owns with a different value is a conflict, refused unless
//! forced (`--force-conflicts`), which takes the field over. The owners are kept by the
//! cluster (`Cluster::field_managers`); an object last written by a client-side apply is
//! owned by `kubectl-client-side-apply` through the fields of its last-applied annotation.
//!
//! A model of structured-merge-diff's for the common cases: lists of objects with a `name`
//! are keyed by it, every other list is one field; the merge is the strategic merge patch.

use super::edit::patch_object;
use crate::error::KubectlError;
use rollout_sim::api::validation::validate_create;
use rollout_sim::api::Verb;
use rollout_sim::cluster::{Cluster, FieldManager, ManagerOperation};
use rollout_sim::controller::util::LAST_APPLIED_CONFIG_ANNOTATION;
use rollout_sim::manifest::apply_defaults;
use rollout_sim::manifest::decode::decode_object_for;
use rollout_sim::manifest::encode::to_value;
use rollout_sim::objects::Kind;
use serde_json::Value;
use std::collections::BTreeSet;

/// The manager kubectl applies as with `--server-side` unless `--field-manager` says.
pub const DEFAULT_MANAGER: &str = "kubectl";
/// The manager of client-side applies.
pub const CLIENT_SIDE_MANAGER: &str = "kubectl-client-side-apply";

/// Whether the apply created the object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    Created,
    Updated,
}

/// Why an apply was refused.
#[derive(Debug)]
pub enum ApplyError {
    /// Other managers own fields the apply changes: the API server's message
    /// (`Apply failed with 1 conflict: …`), a `Conflict` (409).
    Conflict(String),
    Failed(KubectlError),
}

impl From<KubectlError> for ApplyError {
    fn from(error: KubectlError) -> ApplyError {
        ApplyError::Failed(error)
    }
}

/// What kubectl adds to a conflict before it prints it (after `error: `).
pub const CONFLICT_ADVICE: &str =
    "Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the `--force-conflicts` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts";

/// Applies `config` (an object of `kind`, its namespace set) as `manager`.
pub fn apply(
    cluster: &mut Cluster,
    kind: Kind,
    config: &Value,
    manager: &str,
    force: bool,
) -> Result<Applied, ApplyError> {
    let name = config["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let namespace = if kind.is_namespaced() {
        config["metadata"]["namespace"]
            .as_str()
            .unwrap_or("default")
            .to_string()
    } else {
        String::new()
    };
    let api_version = kind.api_version().to_string();
    let mut leaves = Vec::new();
    let Some(live) = cluster.get(kind, &namespace, &name) else {
        let mut object =
            decode_object_for(config.clone(), "", &|k| cluster.serves(k)).map_err(|e| {
                KubectlError::Server(
                    e.message(Verb::Creating)
                        .replace("error when creating \"\": ", ""),
                )
            })?;
        apply_defaults(&mut object);
        validate_create(&object).map_err(KubectlError::Api)?;
        cluster.create(object).map_err(KubectlError::Api)?;
        collect(config, None, "", &mut leaves);
        if let Some(created) = cluster.get(kind, &namespace, &name) {
            let fields = leaves.into_iter().map(|leaf| leaf.path).collect();
            let owner = applier(manager, &api_version, fields);
            cluster.set_field_managers(&created.metadata().uid, vec![owner]);
        }
        return Ok(Applied::Created);
    };
    let uid = live.metadata().uid.clone();
    let live_value = to_value(&live);
    let mut owners = match cluster.field_managers(&uid) {
        Some(owners) => owners.to_vec(),
        None => client_side_owner(&live_value, &api_version)
            .into_iter()
            .collect(),
    };
    collect(config, Some(&live_value), "", &mut leaves);
    let mut conflicts: Vec<(String, String)> = Vec::new();
    for leaf in &leaves {
        if leaf.live.as_ref() == Some(&leaf.applied) {
            continue;
        }
        for owner in &owners {
            let same = owner.manager == manager && owner.operation == ManagerOperation::Apply;
            if !same && owner.fields.contains(&leaf.path) {
                conflicts.push((identity(owner), leaf.path.clone()));
            }
        }
    }
    if !conflicts.is_empty() && !force {
        return Err(ApplyError::Conflict(conflict_message(&conflicts)));
    }
    let mut patch = config.clone();
    if let Some(object) = patch.as_object_mut() {
        object.remove("status");
    }
    patch_object(cluster, kind, &namespace, &name, "strategic", &patch)?;
    for owner in &mut owners {
        owner
            .fields
            .retain(|field| !conflicts.iter().any(|(_, path)| path == field));
    }
    // The applier's own entry is written anew below; an owner left with no field goes.
    owners.retain(|owner| {
        let own = owner.manager == manager && owner.operation == ManagerOperation::Apply;
        !own && !owner.fields.is_empty()
    });
    let fields = leaves.into_iter().map(|leaf| leaf.path).collect();
    owners.push(applier(manager, &api_version, fields));
    cluster.set_field_managers(&uid, owners);
    Ok(Applied::Updated)
}

fn applier(manager: &str, api_version: &str, fields: BTreeSet<String>) -> FieldManager {
    FieldManager {
        manager: manager.to_string(),
        operation: ManagerOperation::Apply,
        api_version: api_version.to_string(),
        fields,
    }
}

/// The owner of what a client-side apply set: the fields of the last-applied annotation.
fn client_side_owner(live: &Value, api_version: &str) -> Option<FieldManager> {
    let text = live["metadata"]["annotations"][LAST_APPLIED_CONFIG_ANNOTATION].as_str()?;
    let config: Value = serde_json::from_str(text).ok()?;
    let mut leaves = Vec::new();
    collect(&config, None, "", &mut leaves);
    Some(FieldManager {
        manager: CLIENT_SIDE_MANAGER.to_string(),
        operation: ManagerOperation::Update,
        api_version: api_version.to_string(),
        fields: leaves.into_iter().map(|leaf| leaf.path).collect(),
    })
}

/// How a conflict names a manager: `"kubectl-client-side-apply" using apps/v1` for an
/// update's, the name alone for an apply's.
fn identity(owner: &FieldManager) -> String {
    match owner.operation {
        ManagerOperation::Update => format!("\"{}\" using {}", owner.manager, owner.api_version),
        ManagerOperation::Apply => format!("\"{}\"", owner.manager),
    }
}

/// kube-apiserver's message: one conflict on a line; several grouped by manager.
fn conflict_message(conflicts: &[(String, String)]) -> String {
    if let [(manager, path)] = conflicts {
        return format!("Apply failed with 1 conflict: conflict with {manager}: {path}");
    }
    let mut managers: Vec<&str> = conflicts.iter().map(|(m, _)| m.as_str()).collect();
    managers.sort_unstable();
    managers.dedup();
    let mut lines = Vec::new();
    for manager in managers {
        lines.push(format!("conflicts with {manager}:"));
        for (_, path) in conflicts.iter().filter(|(m, _)| m == manager) {
            lines.push(format!("- {path}"));
        }
    }
    format!(
        "Apply failed with {} conflicts: {}",
        conflicts.len(),
        lines.join("\n")
    )
}

/// One field an apply sets: its path, the value applied and the live one.
struct Leaf {
    path: String,
    applied: Value,
    live: Option<Value>,
}

/// The fields `config` sets, with the live object's values beside them. The object's
/// identity (`apiVersion`, `kind`, `metadata.name`, `metadata.namespace`) and its status are
/// nobody's.
fn collect(config: &Value, live: Option<&Value>, path: &str, out: &mut Vec<Leaf>) {
    match config {
        Value::Object(fields) if !fields.is_empty() => {
            for (key, value) in fields {
                let identity = matches!(
                    (path, key.as_str()),
                    ("", "apiVersion" | "kind" | "status") | (".metadata", "name" | "namespace")
                );
                if identity {
                    continue;
                }
                let child = live.and_then(|l| l.get(key));
                collect(value, child, &format!("{path}.{key}"), out);
            }
        }
        Value::Array(items) if !items.is_empty() && items.iter().all(|i| i["name"].is_string()) => {
            for item in items {
                let name = item["name"].as_str().unwrap_or_default();
                let child = live
                    .and_then(Value::as_array)
                    .and_then(|l| l.iter().find(|i| i["name"] == name));
                collect(item, child, &format!("{path}[name=\"{name}\"]"), out);
            }
        }
        other => out.push(Leaf {
            path: path.to_string(),
            applied: other.clone(),
            live: live.cloned(),
        }),
    }
}
