//! `kubectl patch` and `kubectl edit`: change a live object through its JSON form.

use super::subresource::Subresource;
use super::{named_targets, Ctx, Flow};
use crate::args::{self, value};
use crate::error::KubectlError;
use crate::printers::success_line;
use rollout_sim::api::validation::validate_update;
use rollout_sim::api::ApiError;
use rollout_sim::cluster::Cluster;
use rollout_sim::manifest::encode::to_value;
use rollout_sim::manifest::yaml::document_to_json;
use rollout_sim::manifest::{apply_defaults, decode_object_for, to_yaml};
use rollout_sim::objects::{Kind, Object};
use serde_json::{Map, Value};

pub fn patch(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    const COMMAND: &str = "kubectl patch";
    let args = args::parse(
        COMMAND,
        argv,
        &[
            value("patch", Some('p')),
            value("type", None),
            value("patch-file", None),
            value("filename", Some('f')),
            value("dry-run", None),
            value("output", Some('o')),
            value("subresource", None),
        ],
    )?;
    let subresource = super::subresource::parse(args.value("subresource"))?;
    let text = match (args.value("patch"), args.value("patch-file")) {
        (Some(text), _) => text.to_string(),
        (None, Some(file)) => ctx
            .files
            .get(&absolute(ctx.cwd, file))
            .cloned()
            .ok_or_else(|| {
                KubectlError::plain(format!("open {file}: no such file or directory"))
            })?,
        (None, None) => {
            return Err(KubectlError::plain(
                "must specify --patch or --patch-file containing the contents of the patch",
            ))
        }
    };
    let patch = match document_to_json(&text) {
        Ok(Some(value)) => value,
        Ok(None) => Value::Object(Map::new()),
        Err(err) => {
            return Err(KubectlError::plain(format!(
                "unable to parse \"{text}\": {}",
                err.detail
            )))
        }
    };
    let kind_of_patch = args.value("type").unwrap_or("strategic");
    let namespace = args.namespace().to_string();
    for (kind, name) in named_targets(COMMAND, &args.positional, ctx.cluster)? {
        let cluster = &mut *ctx.cluster;
        let changed = match subresource {
            None => patch_object(cluster, kind, &namespace, &name, kind_of_patch, &patch)?,
            Some(Subresource::Status) => {
                patch_status(cluster, kind, &namespace, &name, kind_of_patch, &patch)?.is_some()
            }
            Some(Subresource::Scale) => {
                patch_scale(cluster, kind, &namespace, &name, kind_of_patch, &patch)?
            }
        };
        let operation = if changed {
            "patched"
        } else {
            "patched (no change)"
        };
        // The scale subresource answers with a `Scale`, which kubectl names.
        let line = match subresource {
            Some(Subresource::Scale) => format!("scale.autoscaling/{name} {operation}\n"),
            _ => success_line(kind, &name, operation),
        };
        ctx.out.stdout.push_str(&line);
    }
    Ok(Flow::Done)
}

/// A patch of the `status` subresource: the object with the patched status, if the status
/// changed (`None`: it did not). Only the status is taken from the patch. The lab's
/// controllers and kubelets run the moment a write lands and put back the status they own,
/// so what was written is answered (as the API server answers a status write) but not kept:
/// on a real cluster it would be overwritten at the controller's next sync.
pub fn patch_status(
    cluster: &Cluster,
    kind: Kind,
    namespace: &str,
    name: &str,
    kind_of_patch: &str,
    patch: &Value,
) -> Result<Option<Value>, KubectlError> {
    if !super::subresource::has_status(kind) {
        return Err(super::subresource::not_served());
    }
    let live = live(cluster, kind, namespace, name)?;
    let before = to_value(&live);
    let mut document = before.clone();
    apply_patch(&mut document, kind_of_patch, patch)?;
    let mut written = before.clone();
    written["status"] = document["status"].take();
    Ok((written != before).then_some(written))
}

/// A patch of the `scale` subresource: the `Scale`'s `spec.replicas` written to the object.
/// Returns whether it changed.
pub fn patch_scale(
    cluster: &mut Cluster,
    kind: Kind,
    namespace: &str,
    name: &str,
    kind_of_patch: &str,
    patch: &Value,
) -> Result<bool, KubectlError> {
    if !super::subresource::has_scale(kind) {
        return Err(super::subresource::not_served());
    }
    let live = live(cluster, kind, namespace, name)?;
    let mut scale = super::subresource::scale_of(kind, &to_value(&live));
    apply_patch(&mut scale, kind_of_patch, patch)?;
    let replicas = scale["spec"]["replicas"].clone();
    let wanted = serde_json::json!({ "spec": { "replicas": replicas } });
    patch_object(cluster, kind, namespace, name, "merge", &wanted)
}

fn apply_patch(
    document: &mut Value,
    kind_of_patch: &str,
    patch: &Value,
) -> Result<(), KubectlError> {
    match kind_of_patch {
        "strategic" => strategic_merge(document, patch),
        "merge" => merge_patch(document, patch),
        "json" => json_patch(document, patch)?,
        other => {
            return Err(KubectlError::plain(format!(
                "--type must be one of [json merge strategic], not \"{other}\""
            )))
        }
    }
    Ok(())
}

/// Patches the live object as the API server does: `kind_of_patch` is `strategic`, `merge` or
/// `json` (kubectl's `--type`; the API's content types name the same three). Returns whether
/// anything changed.
pub fn patch_object(
    cluster: &mut Cluster,
    kind: Kind,
    namespace: &str,
    name: &str,
    kind_of_patch: &str,
    patch: &Value,
) -> Result<bool, KubectlError> {
    let live = live(cluster, kind, namespace, name)?;
    let mut document = to_value(&live);
    apply_patch(&mut document, kind_of_patch, patch)?;
    store(cluster, kind, namespace, name, &live, document, "patch")
}

/// Decodes, defaults, validates and writes the edited JSON of an object.
fn store(
    cluster: &mut Cluster,
    kind: Kind,
    namespace: &str,
    name: &str,
    live: &Object,
    document: Value,
    _verb: &str,
) -> Result<bool, KubectlError> {
    let mut object = decode_object_for(document, "", &|k| cluster.serves(k)).map_err(|e| {
        KubectlError::Server(
            e.message(rollout_sim::api::Verb::Patching)
                .replace("error when patching \"\": ", ""),
        )
    })?;
    if object.kind() != kind || object.metadata().name != name {
        return Err(KubectlError::plain(
            "the name or kind of an object cannot be changed",
        ));
    }
    apply_defaults(&mut object);
    validate_update(live, &object)?;
    Ok(
        cluster.update(kind, scope(kind, namespace), name, |current| {
            *current = object
        })?,
    )
}

/// The object as it is now, or the API server's NotFound.
fn live(
    cluster: &Cluster,
    kind: Kind,
    namespace: &str,
    name: &str,
) -> Result<Object, KubectlError> {
    cluster
        .get(kind, scope(kind, namespace), name)
        .ok_or_else(|| ApiError::not_found(kind, name.to_string()).into())
}

/// The namespace a `kind`'s object lives in: none for cluster-scoped kinds.
pub(super) fn scope(kind: Kind, namespace: &str) -> &str {
    if kind.is_namespaced() {
        namespace
    } else {
        ""
    }
}

pub(super) fn absolute(cwd: &str, path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{cwd}/{path}")
    }
}

/// JSON merge patch (RFC 7386): objects merge, `null` deletes, everything else replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(target), Value::Object(patch)) => {
            for (key, value) in patch {
                if value.is_null() {
                    target.remove(key);
                } else {
                    merge_patch(target.entry(key.clone()).or_insert(Value::Null), value);
                }
            }
        }
        (target, patch) => *target = patch.clone(),
    }
}

/// Strategic merge for the common cases: like a merge patch, but lists of named things
/// (containers, ports, env) merge item by item on their key instead of being replaced.
fn strategic_merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(target), Value::Object(patch)) => {
            for (key, value) in patch {
                if value.is_null() {
                    target.remove(key);
                    continue;
                }
                // Directives (`$setElementOrder/containers`, `$retainKeys`, …) say how to
                // merge; the item-by-item merge below keeps the order they would ask for.
                if key.starts_with('$') {
                    continue;
                }
                let slot = target.entry(key.clone()).or_insert(Value::Null);
                match (merge_key(key), &mut *slot, value) {
                    (Some(id), Value::Array(items), Value::Array(patches)) => {
                        for item in patches {
                            let wanted = item.get(id);
                            // `{"name": "A", "$patch": "delete"}`: remove that item
                            // (what `kubectl set env … A-` sends).
                            if item.get("$patch").and_then(Value::as_str) == Some("delete") {
                                items.retain(|existing| {
                                    wanted.is_none() || existing.get(id) != wanted
                                });
                                continue;
                            }
                            match items
                                .iter_mut()
                                .find(|existing| wanted.is_some() && existing.get(id) == wanted)
                            {
                                Some(existing) => strategic_merge(existing, item),
                                None => items.push(item.clone()),
                            }
                        }
                    }
                    _ => strategic_merge(slot, value),
                }
            }
        }
        (target, patch) => *target = patch.clone(),
    }
}

/// The `patchMergeKey` of list fields in the Go types.
fn merge_key(field: &str) -> Option<&'static str> {
    match field {
        "containers" | "initContainers" | "env" | "volumes" | "volumeMounts" => Some("name"),
        "ports" => Some("containerPort"),
        _ => None,
    }
}

/// RFC 6902 JSON patch: `add`, `replace`, `remove` on `/a/b/0` paths.
fn json_patch(target: &mut Value, patch: &Value) -> Result<(), KubectlError> {
    let Some(ops) = patch.as_array() else {
        return Err(KubectlError::plain(
            "unable to parse patch as JSON patch: expected an array of operations",
        ));
    };
    for op in ops {
        let kind = op.get("op").and_then(Value::as_str).unwrap_or("");
        let path = op.get("path").and_then(Value::as_str).unwrap_or("");
        let parts: Vec<String> = path
            .split('/')
            .skip(1)
            .map(|p| p.replace("~1", "/").replace("~0", "~"))
            .collect();
        let Some((last, parents)) = parts.split_last() else {
            return Err(KubectlError::plain(format!(
                "invalid JSON patch path {path:?}"
            )));
        };
        let mut node = &mut *target;
        for part in parents {
            node = match node {
                Value::Object(map) => map.get_mut(part),
                Value::Array(items) => part.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
                _ => None,
            }
            .ok_or_else(|| KubectlError::plain(format!("jsonpatch {kind} operation does not apply: doc is missing path: \"{path}\": missing value")))?;
        }
        let value = op.get("value").cloned().unwrap_or(Value::Null);
        let missing = || {
            KubectlError::plain(format!("jsonpatch {kind} operation does not apply: doc is missing key: {path}: missing value"))
        };
        match (kind, node) {
            ("add" | "replace", Value::Object(map)) => {
                if kind == "replace" && !map.contains_key(last) {
                    return Err(missing());
                }
                map.insert(last.clone(), value);
            }
            ("add", Value::Array(items)) if last == "-" => items.push(value),
            ("add" | "replace", Value::Array(items)) => match last.parse::<usize>() {
                Ok(i) if kind == "add" && i <= items.len() => items.insert(i, value),
                Ok(i) if i < items.len() => items[i] = value,
                _ => return Err(missing()),
            },
            ("remove", Value::Object(map)) => {
                map.remove(last).ok_or_else(missing)?;
            }
            ("remove", Value::Array(items)) => match last.parse::<usize>() {
                Ok(i) if i < items.len() => {
                    items.remove(i);
                }
                _ => return Err(missing()),
            },
            (other, _) => return Err(KubectlError::plain(format!("Unexpected kind: {other}"))),
        }
    }
    Ok(())
}

/// An edit in progress: the file the editor shows, and what it held when opened.
#[derive(Clone, Debug)]
pub struct Edit {
    pub path: String,
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
    original: String,
}

const EDIT_HEADER: &str = "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\n";

pub fn edit(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    const COMMAND: &str = "kubectl edit";
    let args = args::parse(
        COMMAND,
        argv,
        &[value("output", Some('o')), value("filename", Some('f'))],
    )?;
    let namespace = args.namespace().to_string();
    let targets = named_targets(COMMAND, &args.positional, ctx.cluster)?;
    let Some((kind, name)) = targets.into_iter().next() else {
        return Ok(Flow::Done);
    };
    let live = ctx
        .cluster
        .get(kind, scope(kind, &namespace), &name)
        .ok_or_else(|| ApiError::not_found(kind, name.clone()))?;
    let original = format!("{EDIT_HEADER}{}", to_yaml(&live));
    let path = format!(
        "/tmp/kubectl-edit-{}.yaml",
        ctx.cluster.now().millis().rem_euclid(1_000_000_000)
    );
    Ok(Flow::Edit(Edit {
        path,
        kind,
        namespace,
        name,
        original,
    }))
}

impl Edit {
    /// The text to put in the editor.
    pub fn text(&self) -> &str {
        &self.original
    }

    /// The editor was closed with `saved` in the file: apply it, as kubectl does.
    pub fn finish(
        &self,
        cluster: &mut Cluster,
        saved: Option<&str>,
    ) -> Result<String, KubectlError> {
        let saved = saved.unwrap_or("");
        if saved == self.original {
            return Ok("Edit cancelled, no changes made.\n".to_string());
        }
        let body: String = saved
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .map(|l| format!("{l}\n"))
            .collect();
        if body.trim().is_empty() {
            return Ok("Edit cancelled, saved file was empty.\n".to_string());
        }
        let document = match document_to_json(&body) {
            Ok(Some(value)) => value,
            Ok(None) => return Ok("Edit cancelled, saved file was empty.\n".to_string()),
            Err(err) => {
                return Err(KubectlError::plain(format!(
                    "error converting YAML to JSON: {}",
                    err.detail
                )))
            }
        };
        let live = cluster
            .get(self.kind, scope(self.kind, &self.namespace), &self.name)
            .ok_or_else(|| ApiError::not_found(self.kind, self.name.clone()))?;
        let changed = store(
            cluster,
            self.kind,
            &self.namespace,
            &self.name,
            &live,
            document,
            "edit",
        )?;
        let operation = if changed { "edited" } else { "skipped" };
        Ok(success_line(self.kind, &self.name, operation))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_strategic_merge_deletes_list_items_marked_for_deletion() {
        let mut container = json!({"name": "app", "env": [
            {"name": "A", "value": "1"}, {"name": "B", "value": "2"}
        ]});
        strategic_merge(
            &mut container,
            &json!({"$setElementOrder/env": [{"name": "B"}, {"name": "C"}],
                    "env": [{"$patch": "delete", "name": "A"}, {"name": "C", "value": "3"}]}),
        );
        assert_eq!(
            container["env"],
            json!([{"name": "B", "value": "2"}, {"name": "C", "value": "3"}])
        );
    }
}
