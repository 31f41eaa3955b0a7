//! The Gateway API objects as the page draws them: each Gateway (its listeners and the address
//! its controller gave it), the HTTPRoutes attached to it, and each rule's backends with their
//! configured weight and share, and the Services a `RequestMirror` filter copies requests to.
//! Read from the stored JSON (the kinds' field code is the add-on's, in its own wasm module),
//! so this reads only the few fields it draws. Used by the cluster view and the traffic panel.

use rollout_sim::cluster::Cluster;
use rollout_sim::objects::{CustomObject, Kind};
use serde_json::Value;

/// One Gateway and what is attached to it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GatewayView {
    pub key: String,
    pub namespace: String,
    pub name: String,
    /// `status.addresses[0].value`, empty until the controller programmed it.
    pub address: String,
    /// `name protocol/port` of each listener.
    pub listeners: Vec<String>,
    pub routes: Vec<HttpRouteView>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpRouteView {
    pub name: String,
    pub hostnames: Vec<String>,
    pub rules: Vec<RuleView>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleView {
    /// The rule's matches, as text (`headers X-Canary=always`), empty for every request.
    pub matches: String,
    pub backends: Vec<BackendView>,
    /// Services each request is copied to (`RequestMirror`); their answers are dropped.
    pub mirrors: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BackendView {
    pub service: String,
    /// `weight` (1 when not given).
    pub weight: i64,
    /// Its weight over the rule's sum, whole percent (0 when the sum is 0).
    pub percent: u32,
}

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
pub fn gateways(cluster: &Cluster) -> Vec<GatewayView> {
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

/// The rule a plain request for `host` takes (the first rule without matches of the first
/// route for that host), to compare its weights with the measured shares.
pub fn plain_rule<'a>(
    gateways: &'a [GatewayView],
    address: &str,
    host: &str,
) -> Option<&'a RuleView> {
    gateways
        .iter()
        .filter(|g| g.address == address)
        .flat_map(|g| &g.routes)
        .find(|r| r.hostnames.is_empty() || r.hostnames.iter().any(|h| h == host))?
        .rules
        .iter()
        .find(|rule| rule.matches.is_empty())
}

/// The image tag the ready endpoints of Service `namespace/name` run, when they all run one.
pub fn service_version(cluster: &Cluster, namespace: &str, name: &str) -> Option<String> {
    let store = cluster.store();
    let key = rollout_sim::cluster::ObjectKey::new(namespace, name);
    let endpoints = store.endpoints.get(&key)?;
    let mut versions = endpoints
        .subsets
        .iter()
        .flat_map(|s| &s.addresses)
        .filter_map(|a| {
            let pod = a.target_ref.as_ref()?;
            let pod = store
                .pods
                .get(&rollout_sim::cluster::ObjectKey::new(namespace, &pod.name))?;
            let image = pod.spec.containers.first().map_or("", |c| c.image.as_str());
            Some(rollout_sim::network::apps::image_tag(image).to_string())
        });
    let first = versions.next()?;
    versions.all(|v| v == first).then_some(first)
}
