//! Discovery: which groups, versions and resources the server has (`/api`, `/apis`,
//! `/api/v1`, `/apis/GROUP/VERSION`), read from the one table of kinds (`objects::KINDS`) and
//! what the cluster serves now (an add-on's kinds only while it is installed). Legacy
//! discovery only: kubectl asks for the aggregated form first and takes this when it gets
//! plain JSON.

use rollout_sim::cluster::Cluster;
use rollout_sim::objects::{KindInfo, KINDS};
use serde_json::{json, Value};

/// The verbs every resource answers.
const VERBS: [&str; 8] = [
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

/// The kinds the cluster serves now, in discovery's order.
pub fn served(cluster: &Cluster) -> impl Iterator<Item = &'static KindInfo> + '_ {
    KINDS
        .iter()
        .filter(move |info| info.addon.is_none() || cluster.serves(info.kind))
}

/// `/api`.
pub fn core_versions(address: &str) -> Value {
    json!({
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{ "clientCIDR": "0.0.0.0/0", "serverAddress": address }],
    })
}

/// `/apis`: every group but the core one, each at its one version.
pub fn groups(cluster: &Cluster) -> Value {
    let mut versions: Vec<&str> = Vec::new();
    for info in served(cluster) {
        if info.api_version.contains('/') && !versions.contains(&info.api_version) {
            versions.push(info.api_version);
        }
    }
    let groups: Vec<Value> = versions
        .iter()
        .map(|group_version| {
            let (group, version) = group_version.split_once('/').unwrap_or(("", group_version));
            let entry = json!({ "groupVersion": group_version, "version": version });
            json!({ "name": group, "versions": [entry.clone()], "preferredVersion": entry })
        })
        .collect();
    json!({ "kind": "APIGroupList", "apiVersion": "v1", "groups": groups })
}

/// `/api/v1` or `/apis/GROUP/VERSION`, or `None` if the cluster serves no such version.
pub fn resources(cluster: &Cluster, group_version: &str) -> Option<Value> {
    let mut resources = Vec::new();
    for info in served(cluster).filter(|info| info.api_version == group_version) {
        let mut resource = json!({
            "name": info.resource,
            "singularName": info.name.to_ascii_lowercase(),
            "namespaced": info.namespaced,
            "kind": info.name,
            "verbs": VERBS,
        });
        if !info.short_names.is_empty() {
            resource["shortNames"] = json!(info.short_names);
        }
        // `kubectl get all`.
        if matches!(
            info.resource,
            "pods" | "services" | "deployments" | "replicasets"
        ) {
            resource["categories"] = json!(["all"]);
        }
        resources.push(resource);
        for (sub, kind, group, version) in subresources(info) {
            let mut entry = json!({
                "name": format!("{}/{sub}", info.resource),
                "singularName": "",
                "namespaced": info.namespaced,
                "kind": kind,
                "verbs": subresource_verbs(sub),
            });
            if let (Some(group), Some(version)) = (group, version) {
                entry["group"] = json!(group);
                entry["version"] = json!(version);
            }
            resources.push(entry);
        }
    }
    if resources.is_empty() {
        return None;
    }
    Some(json!({
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": group_version,
        "resources": resources,
    }))
}

type Subresource = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
);

/// A kind's subresources: `status` for all but namespaces and events, a pod's `eviction`
/// (`policy/v1` `Eviction`) and `log`, `scale` for the kinds that scale (as
/// `autoscaling/v1` `Scale`).
fn subresources(info: &KindInfo) -> Vec<Subresource> {
    let mut subs = Vec::new();
    if !matches!(info.resource, "events" | "endpoints") {
        subs.push(("status", info.name, None, None));
    }
    if info.resource == "pods" {
        subs.push(("eviction", "Eviction", Some("policy"), Some("v1")));
        subs.push(("log", "Pod", None, None));
    }
    if matches!(info.resource, "deployments" | "replicasets" | "rollouts") {
        subs.push(("scale", "Scale", Some("autoscaling"), Some("v1")));
    }
    subs
}

/// What a subresource answers: an eviction is only ever created (which is how kubectl
/// drain knows the server has the eviction API), the rest are read and written.
fn subresource_verbs(sub: &str) -> &'static [&'static str] {
    match sub {
        "eviction" => &["create"],
        _ => &["get", "patch", "update"],
    }
}

/// The kind an API path names: `(group/version, resource)`.
pub fn kind_for(
    cluster: &Cluster,
    group_version: &str,
    resource: &str,
) -> Option<&'static KindInfo> {
    served(cluster).find(|info| info.api_version == group_version && info.resource == resource)
}
