//! OpenAPI v3, as much as kubectl reads before it writes: the root that lists each group
//! version's document, and per group version a `PATCH` operation for every kind, tagged with
//! its group-version-kind and declaring the `fieldValidation` query parameter. That tells
//! kubectl the server validates fields itself (it sends `fieldValidation=Strict` and skips
//! its own schema check), and, with no request body declared, to build strategic merge
//! patches from its built-in types. The schemas themselves (`kubectl explain`) are not served.

use crate::discovery;
use rollout_sim::cluster::Cluster;
use serde_json::{json, Map, Value};

/// `/openapi/v3`: where each group version's document is.
pub fn root(cluster: &Cluster) -> Value {
    let mut paths = Map::new();
    for info in discovery::served(cluster) {
        let path = api_path(info.api_version);
        paths.insert(
            path.clone(),
            json!({ "serverRelativeURL": format!("/openapi/v3/{path}?hash=rollout-lab") }),
        );
    }
    json!({ "paths": paths })
}

/// `api/v1`, `apis/apps/v1`.
fn api_path(group_version: &str) -> String {
    if group_version.contains('/') {
        format!("apis/{group_version}")
    } else {
        format!("api/{group_version}")
    }
}

/// `/openapi/v3/apis/GROUP/VERSION`, or `None` for a version the cluster does not serve.
pub fn group_version(cluster: &Cluster, path: &str) -> Option<Value> {
    let mut paths = Map::new();
    for info in discovery::served(cluster).filter(|i| api_path(i.api_version) == path) {
        let (group, version) = info
            .api_version
            .split_once('/')
            .unwrap_or(("", info.api_version));
        let object_path = if info.namespaced {
            format!(
                "/{path}/namespaces/{{namespace}}/{}/{{name}}",
                info.resource
            )
        } else {
            format!("/{path}/{}/{{name}}", info.resource)
        };
        paths.insert(
            object_path,
            json!({
                "patch": {
                    "operationId": format!("patch{}", info.name),
                    "x-kubernetes-action": "patch",
                    "x-kubernetes-group-version-kind": { "group": group, "version": version, "kind": info.name },
                    "parameters": [
                        { "name": "dryRun", "in": "query", "schema": { "type": "string" } },
                        { "name": "fieldManager", "in": "query", "schema": { "type": "string" } },
                        { "name": "fieldValidation", "in": "query", "schema": { "type": "string" } },
                    ],
                    "responses": { "200": { "description": "OK" } },
                },
            }),
        );
    }
    if paths.is_empty() {
        return None;
    }
    Some(json!({
        "openapi": "3.0.0",
        "info": { "title": "Kubernetes", "version": rollout_sim::KUBERNETES_VERSION },
        "paths": paths,
        "components": { "schemas": {} },
    }))
}
