//! Reads the Gateway API objects into the views the page draws ([`super::gateway`]): only the
//! few fields it draws, from the stored JSON. Its only caller is the Gateway view's module
//! (`gateway_view`), which registers [`read`] when it loads, so in the release page this code
//! is in `split_gateway_view.wasm`, not in the first download.

use super::gateway::{BackendView, GatewayView, HttpRouteView, RuleView};
use rollout_sim::cluster::Cluster;
use rollout_sim::objects::{CustomObject, Kind};
use serde_json::Value;

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_string()
}

fn list(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], Vec::as_slice)
}

fn rule_view(rule: &Value) -> RuleView {
    let mut backends: Vec<BackendView> = list(&rule["backendRefs"])
        .iter()
        .map(|b| BackendView {
            service: text(&b["name"]),
            weight: b["weight"].as_i64().unwrap_or(1).max(0),
            percent: 0,
        })
        .collect();
    let sum: i64 = backends.iter().map(|b| b.weight).sum();
    for b in &mut backends {
        if sum > 0 {
            b.percent = ((b.weight * 200 + sum) / (sum * 2)) as u32;
        }
    }
    let mirrors = list(&rule["filters"])
        .iter()
        .filter(|f| f["type"] == "RequestMirror")
        .map(|f| text(&f["requestMirror"]["backendRef"]["name"]))
        .collect();
    let matches = list(&rule["matches"])
        .iter()
        .flat_map(|m| {
            let path = m["path"]["value"].as_str().map(|p| format!("path {p}"));
            let headers = list(&m["headers"])
                .iter()
                .map(|h| format!("{}: {}", text(&h["name"]), text(&h["value"])));
            let query = list(&m["queryParams"])
                .iter()
                .map(|q| format!("?{}={}", text(&q["name"]), text(&q["value"])));
            let method = m["method"].as_str().map(str::to_string);
            path.filter(|p| p != "path /")
                .into_iter()
                .chain(headers)
                .chain(query)
                .chain(method)
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>()
        .join(", ");
    RuleView {
        matches,
        backends,
        mirrors,
    }
}

fn attached(route: &CustomObject, gateway: &CustomObject) -> bool {
    list(&route.spec()["parentRefs"]).iter().any(|p| {
        let namespace = p["namespace"]
            .as_str()
            .unwrap_or(route.metadata.namespace.as_str());
        p["name"] == gateway.metadata.name.as_str() && namespace == gateway.metadata.namespace
    })
}

/// Every Gateway outside the system namespaces, in key order, with its routes.
pub fn read(cluster: &Cluster) -> Vec<GatewayView> {
    let store = cluster.store();
    store
        .custom_of(Kind::Gateway)
        .filter(|g| !g.metadata.namespace.starts_with("kube-"))
        .map(|g| GatewayView {
            key: format!("{}/{}", g.metadata.namespace, g.metadata.name),
            namespace: g.metadata.namespace.clone(),
            name: g.metadata.name.clone(),
            address: list(&g.status()["addresses"])
                .first()
                .map(|a| text(&a["value"]))
                .unwrap_or_default(),
            listeners: list(&g.spec()["listeners"])
                .iter()
                .map(|l| {
                    let port = l["port"].as_i64().unwrap_or_default();
                    format!("{} {}/{port}", text(&l["name"]), text(&l["protocol"]))
                })
                .collect(),
            routes: store
                .custom_of(Kind::HTTPRoute)
                .filter(|r| attached(r, g))
                .map(|r| HttpRouteView {
                    name: r.metadata.name.clone(),
                    hostnames: list(&r.spec()["hostnames"]).iter().map(text).collect(),
                    rules: list(&r.spec()["rules"]).iter().map(rule_view).collect(),
                })
                .collect(),
        })
        .collect()
}
