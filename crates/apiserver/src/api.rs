//! The REST API over the lab's cluster: one request in, one reply out. Reads go through
//! [`listing`](crate::listing); writes through the same write path the lab's kubectl uses
//! (decoding, defaults, validation, `Cluster::create|replace|delete`, the kubectl layer's
//! patch). `dryRun=All` does the write on a copy of the cluster.

use crate::discovery;
use crate::http::{Request, Response};
use crate::listing::{self, Entry, Listing, Selection};
use crate::status::Status;
use rollout_kubectl::cmd::edit::{merge_patch, patch_object, patch_scale, patch_status};
use rollout_kubectl::cmd::server_side::{self, Applied, ApplyError};
use rollout_kubectl::cmd::subresource;
use rollout_kubectl::selector::{FieldSelector, Selector};
use rollout_sim::api::validation::{validate_create, validate_update};
use rollout_sim::api::{ApiError, Verb};
use rollout_sim::cluster::{Cluster, Propagation};
use rollout_sim::manifest::apply_defaults;
use rollout_sim::manifest::decode::{decode_object_for, ManifestError};
use rollout_sim::manifest::yaml::document_to_json;
use rollout_sim::objects::{Kind, KindInfo, Object};
use serde_json::{json, Value};

/// Where a request points inside the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Version,
    CoreVersions,
    Groups,
    Resources(String),
    /// A node's heartbeat Lease (`kube-node-lease/NAME`), which `kubectl describe node`
    /// reads.
    NodeLease(String),
    /// A collection, an object, or an object's subresource.
    Resource {
        kind: Kind,
        namespace: Option<String>,
        name: Option<String>,
        subresource: Option<String>,
    },
}

/// One object a request names, and the subresource if any.
#[derive(Debug, Clone, Copy)]
pub struct ObjectPath<'a> {
    pub kind: Kind,
    pub namespace: Option<&'a str>,
    pub name: &'a str,
    pub subresource: Option<&'a str>,
}

/// Reads a path (`/apis/apps/v1/namespaces/default/deployments/web/scale`).
pub fn route(cluster: &Cluster, path: &str) -> Result<Target, Status> {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (group_version, rest) = match parts.as_slice() {
        ["version"] => return Ok(Target::Version),
        ["api"] => return Ok(Target::CoreVersions),
        ["apis"] => return Ok(Target::Groups),
        ["apis", "coordination.k8s.io", "v1", "namespaces", "kube-node-lease", "leases", name] => {
            return Ok(Target::NodeLease(name.to_string()))
        }
        ["api", "v1", rest @ ..] => ("v1".to_string(), rest),
        ["apis", group, version, rest @ ..] => (format!("{group}/{version}"), rest),
        _ => return Err(Status::not_found_path(path)),
    };
    let unknown = || Status::not_found_path(path);
    let resource =
        |namespace: Option<&str>, resource: &str, name: Option<&str>, sub: Option<&str>| {
            let info: &KindInfo =
                discovery::kind_for(cluster, &group_version, resource).ok_or_else(unknown)?;
            Ok(Target::Resource {
                kind: info.kind,
                namespace: namespace.map(str::to_string),
                name: name.map(str::to_string),
                subresource: sub.map(str::to_string),
            })
        };
    match rest {
        [] => Ok(Target::Resources(group_version.clone())),
        ["namespaces", ns, kind] => resource(Some(ns), kind, None, None),
        ["namespaces", ns, kind, name] => resource(Some(ns), kind, Some(name), None),
        ["namespaces", ns, kind, name, sub] => resource(Some(ns), kind, Some(name), Some(sub)),
        [kind] => resource(None, kind, None, None),
        [kind, name] => resource(None, kind, Some(name), None),
        [kind, name, sub] => resource(None, kind, Some(name), Some(sub)),
        _ => Err(unknown()),
    }
}

/// The Lease a node's kubelet holds and renews (`coordination.k8s.io/v1`): computed from
/// the node and the clock, as the lab's own `describe node` prints it. `shift` moves its
/// renew time onto the wall clock; a `MicroTime` has six decimals, which the generic
/// timestamp shift does not touch.
pub fn node_lease(cluster: &Cluster, name: &str, shift: i64) -> Result<Response, Status> {
    let node = cluster
        .store()
        .nodes
        .get(name)
        .ok_or_else(|| Status::not_found_path(&format!("leases/{name}")))?;
    let renew = rollout_kubectl::describe::lease_renew_time(node, cluster.kubelet_last_heard(name));
    let renew = rollout_sim::clock::Time(renew.0 + shift * 1000).rfc3339();
    let micro = format!("{}.000000Z", renew.trim_end_matches('Z'));
    let created = node
        .metadata
        .creation_timestamp
        .map(|t| t.rfc3339())
        .unwrap_or_default();
    Ok(Response::json(
        200,
        &json!({
            "kind": "Lease",
            "apiVersion": "coordination.k8s.io/v1",
            "metadata": {
                "name": name,
                "namespace": "kube-node-lease",
                "creationTimestamp": created,
            },
            "spec": {
                "holderIdentity": name,
                "leaseDurationSeconds": 40,
                "renewTime": micro,
            },
        }),
    ))
}

/// The lab's `/version`, as kube-apiserver v1.30.13 describes itself.
pub fn version() -> Value {
    let version = rollout_sim::KUBERNETES_VERSION;
    json!({
        "major": "1",
        "minor": "30",
        "gitVersion": version,
        "gitCommit": "rollout-lab",
        "gitTreeState": "clean",
        "buildDate": "2025-04-22T16:01:40Z",
        "goVersion": "go1.23.8",
        "compiler": "gc",
        "platform": "linux/amd64",
    })
}

/// Whether the client asked for a server-side Table.
pub fn wants_table(request: &Request) -> bool {
    request
        .header("accept")
        .is_some_and(|accept| accept.contains("as=Table"))
}

/// The selection a list or watch of `kind` asks for; a field label the kind is not selected
/// by is a `BadRequest`.
pub fn selection(
    request: &Request,
    kind: Kind,
    namespace: Option<&str>,
) -> Result<Selection, Status> {
    let labels = Selector::parse(request.param("labelSelector").unwrap_or(""))
        .map_err(|err| Status::bad_request(err.to_string()))?;
    let fields = FieldSelector::parse(request.param("fieldSelector").unwrap_or(""))
        .map_err(|err| Status::bad_request(err.to_string()))?;
    if let Some(message) = fields.unsupported_message(kind) {
        return Err(Status::bad_request(message));
    }
    Ok(Selection {
        namespace: namespace.map(str::to_string),
        labels,
        fields,
    })
}

/// GET of a collection (not a watch).
pub fn list(
    cluster: &Cluster,
    request: &Request,
    kind: Kind,
    namespace: Option<&str>,
) -> Result<Response, Status> {
    let listing = listing::list(cluster, kind, &selection(request, kind, namespace)?);
    let version = cluster.resource_version();
    Ok(if wants_table(request) {
        let entries: Vec<&Entry> = listing.entries.iter().collect();
        Response::json(200, &listing::table_value(&listing, &entries, version))
    } else {
        Response::json(200, &listing::list_value(&listing, version))
    })
}

/// The one object a path names, as an [`Entry`] of its kind's listing.
fn one(
    cluster: &Cluster,
    kind: Kind,
    namespace: Option<&str>,
    name: &str,
) -> Result<(Listing, Entry), Status> {
    let mut listing = listing::list(
        cluster,
        kind,
        &Selection {
            namespace: namespace.map(str::to_string),
            ..Selection::default()
        },
    );
    let at = listing
        .entries
        .iter()
        .position(|e| e.meta.name == name)
        .ok_or_else(|| Status::from(&ApiError::not_found(kind, name)))?;
    let entry = listing.entries.remove(at);
    Ok((listing, entry))
}

/// GET of one object (or its `scale` / `status`).
pub fn get(cluster: &Cluster, request: &Request, at: &ObjectPath<'_>) -> Result<Response, Status> {
    served(at)?;
    let (listing, entry) = one(cluster, at.kind, at.namespace, at.name)?;
    if at.subresource == Some("scale") {
        let scale = subresource::scale_of(at.kind, &entry.json);
        return Ok(Response::json(
            200,
            &if wants_table(request) {
                scale_table(&scale, cluster.resource_version())
            } else {
                scale
            },
        ));
    }
    Ok(if wants_table(request) {
        let version = cluster.resource_version();
        Response::json(200, &listing::table_value(&listing, &[&entry], version))
    } else {
        Response::json(200, &entry.json)
    })
}

/// Whether the kind has the subresource asked for (`status`, `scale`); the API server's
/// 404 if not.
fn served(at: &ObjectPath<'_>) -> Result<(), Status> {
    let served = match at.subresource {
        None => true,
        Some("status") => subresource::has_status(at.kind),
        Some("scale") => subresource::has_scale(at.kind),
        Some(_) => false,
    };
    if served {
        return Ok(());
    }
    Err(Status::new(
        404,
        "NotFound",
        "the server could not find the requested resource",
    ))
}

/// A `Scale` as the API server's table (`kubectl get --subresource=scale`).
fn scale_table(scale: &Value, resource_version: u64) -> Value {
    let mut columns = vec![
        json!({"name": "Name", "type": "string", "format": "name", "description": "", "priority": 0}),
    ];
    columns.extend(subresource::SCALE_COLUMNS.iter().map(|name| {
        json!({"name": name, "type": "integer", "format": "", "description": "", "priority": 0})
    }));
    let mut cells = vec![scale["metadata"]["name"].clone()];
    cells.extend(subresource::scale_cells(scale).iter().map(|n| json!(n)));
    json!({
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": { "resourceVersion": resource_version.to_string() },
        "columnDefinitions": columns,
        "rows": [{
            "cells": cells,
            "object": {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": scale["metadata"]},
        }],
    })
}

/// Whether the request is a dry run (`dryRun=All`).
pub fn dry_run(request: &Request) -> bool {
    request.param("dryRun") == Some("All")
}

/// Decodes a request body into an object of `kind` in `namespace`.
fn decode(
    cluster: &Cluster,
    request: &Request,
    kind: Kind,
    namespace: Option<&str>,
    verb: Verb,
) -> Result<Object, Status> {
    let value: Value = serde_json::from_slice(&request.body)
        .map_err(|err| Status::bad_request(format!("the body of the request was in an unknown format - accepted media types include: application/json, application/yaml ({err})")))?;
    let mut object =
        decode_object_for(value, "", &|k| cluster.serves(k)).map_err(|err| match err {
            ManifestError::Rejected { error, .. } => Status::from(&error),
            other => Status::bad_request(
                other
                    .message(verb)
                    .replace(&format!("error when {} \"\": ", verb.as_str()), ""),
            ),
        })?;
    if object.kind() != kind {
        return Err(Status::bad_request(format!(
            "the API version in the data ({}) does not match the expected API version ({})",
            object.kind().api_version(),
            kind.api_version()
        )));
    }
    if let Some(namespace) = namespace.filter(|_| kind.is_namespaced()) {
        let meta = object.metadata_mut();
        if meta.namespace.is_empty() {
            meta.namespace = namespace.to_string();
        } else if meta.namespace != namespace {
            return Err(Status::bad_request(
                "the namespace of the provided object does not match the namespace sent on the request",
            ));
        }
    }
    apply_defaults(&mut object);
    Ok(object)
}

/// POST to a collection.
pub fn create(
    cluster: &mut Cluster,
    request: &Request,
    kind: Kind,
    namespace: Option<&str>,
) -> Result<Response, Status> {
    let object = decode(cluster, request, kind, namespace, Verb::Creating)?;
    validate_create(&object).map_err(|e| Status::from(&e))?;
    let name = object.metadata().name.clone();
    let ns = object.metadata().namespace.clone();
    cluster.create(object).map_err(|e| Status::from(&e))?;
    let (_, entry) = one(cluster, kind, Some(&ns), &name)?;
    Ok(Response::json(201, &entry.json))
}

/// POST of `pods/NAME/eviction` (`policy/v1` `Eviction`): the lab's eviction API, which asks
/// the pod's PodDisruptionBudget. `dryRun` may come in the query or in `deleteOptions`.
pub fn evict(
    cluster: &mut Cluster,
    request: &Request,
    at: &ObjectPath<'_>,
) -> Result<Response, Status> {
    let eviction: Value = serde_json::from_slice(&request.body)
        .map_err(|err| Status::bad_request(err.to_string()))?;
    if eviction["metadata"]["name"].as_str() != Some(at.name) {
        return Err(Status::bad_request(
            "name in URL does not match name in Eviction object",
        ));
    }
    let options = &eviction["deleteOptions"];
    let grace = options["gracePeriodSeconds"].as_i64();
    let dry_run = dry_run(request)
        || options["dryRun"]
            .as_array()
            .is_some_and(|modes| modes.iter().any(|m| m == "All"));
    let namespace = at.namespace.unwrap_or("default");
    cluster
        .evict(namespace, at.name, grace, dry_run)
        .map_err(|e| Status::from(&e))?;
    Ok(Response::json(
        201,
        &json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Success",
            "code": 201,
        }),
    ))
}

/// PUT of an object (or its `scale`).
pub fn update(
    cluster: &mut Cluster,
    request: &Request,
    at: &ObjectPath<'_>,
) -> Result<Response, Status> {
    let body = || {
        serde_json::from_slice::<Value>(&request.body)
            .map_err(|err| Status::bad_request(err.to_string()))
    };
    served(at)?;
    if at.subresource == Some("scale") {
        return set_replicas(cluster, at, &body()?);
    }
    if at.subresource == Some("status") {
        let (_, entry) = one(cluster, at.kind, at.namespace, at.name)?;
        let mut written = entry.json.clone();
        written["status"] = body()?["status"].take();
        return Ok(Response::json(200, &written));
    }
    let (kind, name) = (at.kind, at.name);
    let object = decode(cluster, request, kind, at.namespace, Verb::Replacing)?;
    let live = cluster
        .get(kind, at.namespace.unwrap_or(""), name)
        .ok_or_else(|| Status::from(&ApiError::not_found(kind, name)))?;
    let sent_version = &object.metadata().resource_version;
    if !sent_version.is_empty() && *sent_version != live.metadata().resource_version {
        return Err(Status::from(&ApiError::conflict(kind, name)));
    }
    validate_update(&live, &object).map_err(|e| Status::from(&e))?;
    cluster.replace(object).map_err(|e| Status::from(&e))?;
    current(cluster, at)
}

/// The object (or its `Scale`) as it is now.
fn current(cluster: &Cluster, at: &ObjectPath<'_>) -> Result<Response, Status> {
    let (_, entry) = one(cluster, at.kind, at.namespace, at.name)?;
    Ok(Response::json(
        200,
        &match at.subresource {
            Some("scale") => subresource::scale_of(at.kind, &entry.json),
            _ => entry.json,
        },
    ))
}

/// A `Scale`'s `spec.replicas` written to its object.
fn set_replicas(
    cluster: &mut Cluster,
    at: &ObjectPath<'_>,
    scale: &Value,
) -> Result<Response, Status> {
    let replicas = scale["spec"]["replicas"].as_i64().unwrap_or(0);
    let patch = json!({ "spec": { "replicas": replicas } });
    let namespace = at.namespace.unwrap_or("");
    patch_object(cluster, at.kind, namespace, at.name, "merge", &patch).map_err(Status::from)?;
    current(cluster, at)
}

/// PATCH of an object (or its `scale`): the patch type is the request's content type.
pub fn patch(
    cluster: &mut Cluster,
    request: &Request,
    at: &ObjectPath<'_>,
) -> Result<Response, Status> {
    let content_type = request.header("content-type").unwrap_or("");
    let media = content_type.split(';').next().unwrap_or("").trim();
    if media == "application/apply-patch+yaml" && at.subresource.is_none() {
        return apply_patch(cluster, request, at);
    }
    let kind_of_patch = match media {
        "application/strategic-merge-patch+json" => "strategic",
        "application/merge-patch+json" => "merge",
        "application/json-patch+json" => "json",
        other => {
            return Err(Status::new(
                415,
                "UnsupportedMediaType",
                format!("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml (got {other:?})"),
            ))
        }
    };
    let body: Value = serde_json::from_slice(&request.body)
        .map_err(|err| Status::bad_request(format!("error decoding patch: {err}")))?;
    served(at)?;
    let namespace = at.namespace.unwrap_or("");
    match at.subresource {
        Some("scale") => {
            patch_scale(cluster, at.kind, namespace, at.name, kind_of_patch, &body)
                .map_err(Status::from)?;
            return current(cluster, at);
        }
        // What the status write came to (the lab's controllers put theirs back at once).
        Some("status") => {
            return match patch_status(cluster, at.kind, namespace, at.name, kind_of_patch, &body)
                .map_err(Status::from)?
            {
                Some(written) => Ok(Response::json(200, &written)),
                None => current(cluster, at),
            }
        }
        _ => {}
    }
    if at.kind == Kind::Node {
        return patch_node(cluster, at, &body);
    }
    patch_object(cluster, at.kind, namespace, at.name, kind_of_patch, &body)
        .map_err(Status::from)?;
    current(cluster, at)
}

/// A server-side apply (`application/apply-patch+yaml`): the lab's
/// (`rollout_kubectl::cmd::server_side`), as `fieldManager` and, with `force=true`, taking
/// over the fields other managers own. Creates the object if there is none (201).
fn apply_patch(
    cluster: &mut Cluster,
    request: &Request,
    at: &ObjectPath<'_>,
) -> Result<Response, Status> {
    let text = std::str::from_utf8(&request.body)
        .map_err(|_| Status::bad_request("the apply configuration is not UTF-8"))?;
    let mut config = document_to_json(text)
        .map_err(|_| Status::bad_request("error decoding YAML"))?
        .unwrap_or(Value::Null);
    if !config.is_object() {
        return Err(Status::bad_request(
            "the apply configuration is not an object",
        ));
    }
    if config["metadata"]["name"].as_str() != Some(at.name) {
        return Err(Status::bad_request(
            "the name of the object does not match the name on the URL",
        ));
    }
    if let Some(namespace) = at.namespace.filter(|_| at.kind.is_namespaced()) {
        config["metadata"]["namespace"] = json!(namespace);
    }
    let Some(manager) = request.param("fieldManager").filter(|m| !m.is_empty()) else {
        return Err(Status::new(
            422,
            "Invalid",
            "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
        ));
    };
    let force = request.param("force") == Some("true");
    match server_side::apply(cluster, at.kind, &config, manager, force) {
        Ok(applied) => {
            let (_, entry) = one(cluster, at.kind, at.namespace, at.name)?;
            let code = if applied == Applied::Created {
                201
            } else {
                200
            };
            Ok(Response::json(code, &entry.json))
        }
        Err(ApplyError::Conflict(message)) => Err(Status::new(409, "Conflict", message)),
        Err(ApplyError::Failed(error)) => Err(Status::from(error)),
    }
}

/// A patch of a node: `kubectl cordon|uncordon`'s change of `spec.unschedulable` (sent as
/// a strategic merge patch, `null` to clear it), the one node field the lab's kubelets let
/// a client change.
fn patch_node(
    cluster: &mut Cluster,
    at: &ObjectPath<'_>,
    body: &Value,
) -> Result<Response, Status> {
    let (_, entry) = one(cluster, at.kind, at.namespace, at.name)?;
    let mut patched = entry.json.clone();
    merge_patch(&mut patched, body);
    let unschedulable = patched
        .pointer("/spec/unschedulable")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let without = |value: &Value| {
        let mut value = value.clone();
        if let Some(spec) = value.get_mut("spec").and_then(Value::as_object_mut) {
            spec.remove("unschedulable");
        }
        value
    };
    if without(&patched) != without(&entry.json) {
        return Err(Status::bad_request(
            "rollout-lab apiserver changes only a node's spec.unschedulable (kubectl cordon, uncordon)".to_string(),
        ));
    }
    cluster
        .set_unschedulable(at.name, unschedulable)
        .map_err(|e| Status::from(&e))?;
    current(cluster, at)
}

/// DELETE of an object, with the `DeleteOptions` body's (or the query's)
/// `propagationPolicy`: the object as it was, as the API server answers, or as it is now
/// while it waits for its dependents (foreground).
pub fn delete(
    cluster: &mut Cluster,
    request: &Request,
    at: &ObjectPath<'_>,
) -> Result<Response, Status> {
    let propagation = propagation(request)?;
    let (_, entry) = one(cluster, at.kind, at.namespace, at.name)?;
    let namespace = at.namespace.unwrap_or("");
    cluster
        .delete_with(at.kind, namespace, at.name, propagation)
        .map_err(|e| Status::from(&e))?;
    match one(cluster, at.kind, at.namespace, at.name) {
        Ok((_, waiting)) => Ok(Response::json(200, &waiting.json)),
        Err(_) => Ok(Response::json(200, &entry.json)),
    }
}

/// A delete's propagation policy: `propagationPolicy` in the body's `DeleteOptions` or the
/// query, else the deprecated `orphanDependents`; background unless told.
fn propagation(request: &Request) -> Result<Propagation, Status> {
    let options: Value = if request.body.iter().all(u8::is_ascii_whitespace) {
        Value::Null
    } else {
        serde_json::from_slice(&request.body)
            .map_err(|err| Status::bad_request(format!("invalid DeleteOptions: {err}")))?
    };
    let policy = options["propagationPolicy"]
        .as_str()
        .or_else(|| request.param("propagationPolicy"));
    match policy {
        Some(policy) => Propagation::parse(policy).ok_or_else(|| {
            Status::new(
                422,
                "Invalid",
                format!("DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\""),
            )
        }),
        None if options["orphanDependents"] == true
            || request.param("orphanDependents") == Some("true") =>
        {
            Ok(Propagation::Orphan)
        }
        None => Ok(Propagation::Background),
    }
}

/// Runs a write on a copy of the cluster when the request is a dry run.
pub fn write(
    cluster: &mut Cluster,
    request: &Request,
    action: impl FnOnce(&mut Cluster) -> Result<Response, Status>,
) -> Result<Response, Status> {
    if dry_run(request) {
        let mut copy = cluster.clone();
        action(&mut copy)
    } else {
        action(cluster)
    }
}
