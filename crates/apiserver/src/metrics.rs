//! The resource metrics API (`metrics.k8s.io/v1beta1`, `PodMetrics` and `NodeMetrics`) that
//! metrics-server registers as an aggregated API: in discovery once its APIService exists
//! (the add-on is installed), answering 503 until a metrics-server pod is ready behind it,
//! then the last scrape (`rollout_sim::addons::metrics_server`), which `kubectl top` reads.
//! Only get and list, as metrics-server serves them.

use crate::api;
use crate::http::{Request, Response};
use crate::status::Status;
use rollout_kubectl::printers::TableKind;
use rollout_sim::addons::metrics_server::{self, Availability, NodeMetrics, PodMetrics};
use rollout_sim::apiserver::ObjectKey;
use rollout_sim::cluster::Cluster;
use rollout_sim::objects::Kind;
use serde_json::{json, Value};

pub const GROUP: &str = "metrics.k8s.io";
pub const VERSION: &str = "v1beta1";
pub const GROUP_VERSION: &str = "metrics.k8s.io/v1beta1";

/// Whether discovery lists the group: its APIService is registered (the add-on installed).
pub fn registered(cluster: &Cluster) -> bool {
    metrics_server::availability(cluster) != Availability::Missing
}

/// The two resources: (resource, kind, namespaced).
const RESOURCES: [(&str, &str, bool); 2] = [
    ("nodes", "NodeMetrics", false),
    ("pods", "PodMetrics", true),
];

/// `/apis/metrics.k8s.io/v1beta1`'s `APIResourceList`.
pub fn resource_list() -> Value {
    let resources: Vec<Value> = RESOURCES
        .iter()
        .map(|(resource, kind, namespaced)| {
            json!({
                "name": resource,
                "singularName": "",
                "namespaced": namespaced,
                "kind": kind,
                "verbs": ["get", "list"],
            })
        })
        .collect();
    json!({
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": GROUP_VERSION,
        "resources": resources,
    })
}

/// The group's entry in aggregated discovery.
pub fn aggregated_group() -> Value {
    let resources: Vec<Value> = RESOURCES
        .iter()
        .map(|(resource, kind, namespaced)| {
            json!({
                "resource": resource,
                "responseKind": { "group": GROUP, "version": VERSION, "kind": kind },
                "scope": if *namespaced { "Namespaced" } else { "Cluster" },
                "singularResource": kind.to_ascii_lowercase(),
                "verbs": ["get", "list"],
            })
        })
        .collect();
    json!({
        "metadata": { "name": GROUP, "creationTimestamp": null },
        "versions": [{ "version": VERSION, "resources": resources, "freshness": "Current" }],
    })
}

/// The group's entry in the legacy `/apis` list.
pub fn legacy_group() -> Value {
    let entry = json!({ "groupVersion": GROUP_VERSION, "version": VERSION });
    json!({ "name": GROUP, "versions": [entry.clone()], "preferredVersion": entry })
}

/// Answers a request under `/apis/metrics.k8s.io/`, or `None` for any other path.
pub fn answer(cluster: &Cluster, request: &Request) -> Option<Result<Response, Status>> {
    let rest = request
        .path
        .trim_end_matches('/')
        .strip_prefix("/apis/metrics.k8s.io")?;
    let not_found = || Status::not_found_path(&request.path);
    if !registered(cluster) {
        return Some(Err(not_found()));
    }
    let parts: Vec<&str> = rest.trim_matches('/').split('/').collect();
    let (namespace, resource, name) = match parts.as_slice() {
        [""] => {
            return Some(Ok(Response::json(
                200,
                &json!({
                    "kind": "APIGroup", "apiVersion": "v1", "name": GROUP,
                    "versions": [{ "groupVersion": GROUP_VERSION, "version": VERSION }],
                    "preferredVersion": { "groupVersion": GROUP_VERSION, "version": VERSION },
                }),
            )))
        }
        [VERSION] => return Some(Ok(Response::json(200, &resource_list()))),
        [VERSION, resource] => (None, *resource, None),
        [VERSION, resource, name] => (None, *resource, Some(*name)),
        [VERSION, "namespaces", ns, "pods"] => (Some(*ns), "pods", None),
        [VERSION, "namespaces", ns, "pods", name] => (Some(*ns), "pods", Some(*name)),
        _ => return Some(Err(not_found())),
    };
    if request.method != "GET" {
        return Some(Err(Status::method_not_allowed(&request.method)));
    }
    if !matches!(resource, "pods" | "nodes") || (resource == "nodes" && namespace.is_some()) {
        return Some(Err(not_found()));
    }
    if !matches!(
        metrics_server::availability(cluster),
        Availability::Serving { .. }
    ) {
        // The aggregator's answer while no endpoint is ready behind the APIService.
        return Some(Err(Status::new(
            503,
            "ServiceUnavailable",
            format!(
                "the server is currently unable to handle the request (get {resource}.{GROUP})"
            ),
        )));
    }
    Some(if resource == "pods" {
        pods(cluster, request, namespace, name)
    } else {
        nodes(cluster, request, name)
    })
}

/// A quantity of memory as metrics-server writes it (KiB when whole).
fn memory(bytes: i64) -> String {
    if bytes % 1024 == 0 {
        format!("{}Ki", bytes / 1024)
    } else {
        bytes.to_string()
    }
}

fn usage(milli_cpu: i64, bytes: i64) -> Value {
    json!({ "cpu": format!("{}n", milli_cpu.saturating_mul(1_000_000)), "memory": memory(bytes) })
}

fn pod_value(cluster: &Cluster, m: &PodMetrics) -> Value {
    let containers: Vec<Value> = m
        .containers
        .iter()
        .map(|c| json!({ "name": c.name, "usage": usage(c.milli_cpu, c.memory) }))
        .collect();
    json!({
        "kind": "PodMetrics",
        "apiVersion": GROUP_VERSION,
        "metadata": {
            "name": m.name,
            "namespace": m.namespace,
            "creationTimestamp": cluster.now().rfc3339(),
            "labels": m.labels,
        },
        "timestamp": m.timestamp.rfc3339(),
        "window": format!("{}s", m.window.millis() / 1000),
        "containers": containers,
    })
}

fn node_value(cluster: &Cluster, m: &NodeMetrics) -> Value {
    let labels = cluster
        .store()
        .nodes
        .get(&m.name)
        .map(|n| json!(n.metadata.labels))
        .unwrap_or_else(|| json!({}));
    json!({
        "kind": "NodeMetrics",
        "apiVersion": GROUP_VERSION,
        "metadata": {
            "name": m.name,
            "creationTimestamp": cluster.now().rfc3339(),
            "labels": labels,
        },
        "timestamp": m.timestamp.rfc3339(),
        "window": format!("{}s", m.window.millis() / 1000),
        "usage": usage(m.milli_cpu, m.memory),
    })
}

/// A GET of one object (`missing`: its NotFound message) or of the list.
fn one_or_list(kind: &str, items: Vec<Value>, missing: Option<String>) -> Result<Response, Status> {
    match missing {
        Some(message) => match items.into_iter().next() {
            Some(item) => Ok(Response::json(200, &item)),
            None => Err(Status::new(404, "NotFound", message)),
        },
        None => Ok(Response::json(
            200,
            &json!({
                "kind": format!("{kind}List"),
                "apiVersion": GROUP_VERSION,
                "metadata": {},
                "items": items,
            }),
        )),
    }
}

fn pods(
    cluster: &Cluster,
    request: &Request,
    namespace: Option<&str>,
    name: Option<&str>,
) -> Result<Response, Status> {
    let selection = api::selection(request, Kind::Pod, namespace)?;
    let store = cluster.store();
    let items: Vec<Value> = metrics_server::pod_metrics(cluster, namespace)
        .iter()
        .filter(|m| name.is_none_or(|name| m.name == name))
        .filter(|m| selection.labels.matches(&m.labels))
        .filter(|m| {
            store
                .pods
                .get(&ObjectKey::new(&m.namespace, &m.name))
                .is_some_and(|pod| {
                    selection
                        .fields
                        .matches(&pod.metadata, |label| pod.selectable_field(label))
                })
        })
        .map(|m| pod_value(cluster, m))
        .collect();
    let missing = name.map(|name| {
        format!(
            "podmetrics.metrics.k8s.io \"{}/{name}\" not found",
            namespace.unwrap_or("")
        )
    });
    one_or_list("PodMetrics", items, missing)
}

fn nodes(cluster: &Cluster, request: &Request, name: Option<&str>) -> Result<Response, Status> {
    let selection = api::selection(request, Kind::Node, None)?;
    let store = cluster.store();
    let items: Vec<Value> = metrics_server::node_metrics(cluster)
        .iter()
        .filter(|m| name.is_none_or(|name| m.name == name))
        .filter(|m| {
            store.nodes.get(&m.name).is_some_and(|node| {
                selection.labels.matches(&node.metadata.labels)
                    && selection
                        .fields
                        .matches(&node.metadata, |label| node.selectable_field(label))
            })
        })
        .map(|m| node_value(cluster, m))
        .collect();
    let missing = name.map(|name| format!("nodemetrics.metrics.k8s.io \"{name}\" not found"));
    one_or_list("NodeMetrics", items, missing)
}
