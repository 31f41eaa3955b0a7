//! Discovery: which groups, versions and resources the server has (`/api`, `/apis`,
//! `/api/v1`, `/apis/GROUP/VERSION`), read from the one table of kinds (`objects::KINDS`) and
//! what the cluster serves now (an add-on's kinds only while it is installed). Both forms:
//! the legacy one (`APIVersions`, `APIGroupList`, one `APIResourceList` per group version)
//! and the aggregated one kube-apiserver 1.30 answers `/api` and `/apis` with when the
//! client's `Accept` asks for an `APIGroupDiscoveryList` (kubectl 1.30 asks for
//! `apidiscovery.k8s.io/v2`, then `v2beta1`, then plain JSON): every group, version and
//! resource in one answer.

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
    let mut groups: Vec<Value> = versions
        .iter()
        .map(|group_version| {
            let (group, version) = split(group_version);
            let entry = json!({ "groupVersion": group_version, "version": version });
            let mut all = vec![entry.clone()];
            for older in older_versions(group_version) {
                all.push(json!({ "groupVersion": older, "version": split(older).1 }));
            }
            json!({ "name": group, "versions": all, "preferredVersion": entry })
        })
        .collect();
    if crate::metrics::registered(cluster) {
        groups.push(crate::metrics::legacy_group());
    }
    json!({ "kind": "APIGroupList", "apiVersion": "v1", "groups": groups })
}

/// `/api/v1` or `/apis/GROUP/VERSION`, or `None` if the cluster serves no such version.
pub fn resources(cluster: &Cluster, group_version: &str) -> Option<Value> {
    if group_version == crate::metrics::GROUP_VERSION {
        return crate::metrics::registered(cluster).then(crate::metrics::resource_list);
    }
    if let Some(preferred) = preferred_of(group_version) {
        let mut list = resources(cluster, preferred)?;
        list["groupVersion"] = json!(group_version);
        return Some(list);
    }
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
        if let Some(categories) = categories(info) {
            resource["categories"] = json!(categories);
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

/// The kind an API path names: `(group/version, resource)`; an older version a kind is
/// also served at names the same kind.
pub fn kind_for(
    cluster: &Cluster,
    group_version: &str,
    resource: &str,
) -> Option<&'static KindInfo> {
    let group_version = preferred_of(group_version).unwrap_or(group_version);
    served(cluster).find(|info| info.api_version == group_version && info.resource == resource)
}

/// The older versions a group is also served at, after its preferred one (the table's):
/// `autoscaling/v1`, which `kubectl autoscale` writes (converted by
/// [`crate::convert`]).
pub fn older_versions(group_version: &str) -> &'static [&'static str] {
    match group_version {
        "autoscaling/v2" => &["autoscaling/v1"],
        _ => &[],
    }
}

/// The preferred version an older one belongs to.
pub fn preferred_of(group_version: &str) -> Option<&'static str> {
    (group_version == "autoscaling/v1").then_some("autoscaling/v2")
}

/// The `apidiscovery.k8s.io` version a request's `Accept` asks for first, as kube-apiserver
/// 1.30 negotiates it (`v2`, `v2beta1`), or `None` for legacy discovery.
pub fn aggregated_version(accept: &str) -> Option<&'static str> {
    accept
        .split(',')
        .filter(|media| {
            media.contains("g=apidiscovery.k8s.io") && media.contains("as=APIGroupDiscoveryList")
        })
        .find_map(|media| {
            media.split(';').find_map(|param| match param.trim() {
                "v=v2" => Some("v2"),
                "v=v2beta1" => Some("v2beta1"),
                _ => None,
            })
        })
}

/// The content type of an aggregated discovery answer in `version`.
pub fn aggregated_content_type(version: &str) -> &'static str {
    if version == "v2beta1" {
        "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"
    } else {
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
    }
}

/// Aggregated discovery (`APIGroupDiscoveryList`): `/api` (`core`) or `/apis`, with the same
/// resources as the legacy lists.
pub fn aggregated(cluster: &Cluster, core: bool, discovery_version: &str) -> Value {
    let mut group_versions: Vec<&str> = Vec::new();
    for info in served(cluster) {
        if info.api_version.contains('/') != core && !group_versions.contains(&info.api_version) {
            group_versions.push(info.api_version);
        }
    }
    let items: Vec<Value> = group_versions
        .iter()
        .map(|group_version| {
            let (group, version) = split(group_version);
            let resources: Vec<Value> = served(cluster)
                .filter(|info| info.api_version == *group_version)
                .map(aggregated_resource)
                .collect();
            let mut metadata = json!({ "creationTimestamp": null });
            if !group.is_empty() {
                metadata["name"] = json!(group);
            }
            let mut versions =
                vec![json!({ "version": version, "resources": resources, "freshness": "Current" })];
            for older in older_versions(group_version) {
                let older_version = split(older).1;
                let mut resources = resources.clone();
                for resource in &mut resources {
                    resource["responseKind"]["version"] = json!(older_version);
                    if let Some(subs) = resource["subresources"].as_array_mut() {
                        for sub in subs {
                            if sub["responseKind"]["group"] == json!(group) {
                                sub["responseKind"]["version"] = json!(older_version);
                            }
                        }
                    }
                }
                versions.push(json!({ "version": older_version, "resources": resources, "freshness": "Current" }));
            }
            json!({ "metadata": metadata, "versions": versions })
        })
        .collect();
    let mut items = items;
    if !core && crate::metrics::registered(cluster) {
        items.push(crate::metrics::aggregated_group());
    }
    json!({
        "kind": "APIGroupDiscoveryList",
        "apiVersion": format!("apidiscovery.k8s.io/{discovery_version}"),
        "metadata": {},
        "items": items,
    })
}

/// `apps/v1` → (`apps`, `v1`); `v1` → (``, `v1`).
fn split(group_version: &str) -> (&str, &str) {
    group_version.split_once('/').unwrap_or(("", group_version))
}

/// One resource of aggregated discovery, its subresources inside it.
fn aggregated_resource(info: &KindInfo) -> Value {
    let (group, version) = split(info.api_version);
    let mut resource = json!({
        "resource": info.resource,
        "responseKind": { "group": group, "version": version, "kind": info.name },
        "scope": if info.namespaced { "Namespaced" } else { "Cluster" },
        "singularResource": info.name.to_ascii_lowercase(),
        "verbs": VERBS,
    });
    if !info.short_names.is_empty() {
        resource["shortNames"] = json!(info.short_names);
    }
    if let Some(categories) = categories(info) {
        resource["categories"] = json!(categories);
    }
    let subresources: Vec<Value> = subresources(info)
        .into_iter()
        .map(|(sub, kind, sub_group, sub_version)| {
            json!({
                "subresource": sub,
                "responseKind": {
                    "group": sub_group.unwrap_or(group),
                    "version": sub_version.unwrap_or(version),
                    "kind": kind,
                },
                "verbs": subresource_verbs(sub),
            })
        })
        .collect();
    if !subresources.is_empty() {
        resource["subresources"] = json!(subresources);
    }
    resource
}

/// The categories a resource belongs to: `kubectl get all`'s.
fn categories(info: &KindInfo) -> Option<[&'static str; 1]> {
    matches!(
        info.resource,
        "pods" | "services" | "deployments" | "replicasets"
    )
    .then_some(["all"])
}
