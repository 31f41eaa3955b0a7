//! Envoy Gateway's status updater: what it writes into the status of each GatewayClass,
//! Gateway and HTTPRoute it owns after translating them, with its reasons and messages.

use super::{regexp, CONTROLLER_NAME, FIRST_ADDRESS};
use crate::apiserver::ObjectKey;
use crate::clock::Time;
use crate::cluster::Cluster;
use crate::objects::{CustomObject, Kind};
use crate::strconv::quote;
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub(super) const GROUP: &str = "gateway.networking.k8s.io";

/// One condition, keeping its `lastTransitionTime` while its status stays what it was.
struct Conditions<'a> {
    old: &'a Value,
    generation: i64,
    now: Time,
    list: Vec<Value>,
}

impl<'a> Conditions<'a> {
    fn new(old: &'a Value, generation: i64, now: Time) -> Conditions<'a> {
        Conditions {
            old,
            generation,
            now,
            list: Vec::new(),
        }
    }

    fn set(&mut self, type_: &str, ok: bool, reason: &str, message: &str) {
        let status = if ok { "True" } else { "False" };
        let since = self
            .old
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["type"] == type_ && c["status"] == status)
            .and_then(|c| c.get("lastTransitionTime").cloned())
            .unwrap_or_else(|| json!(self.now.rfc3339()));
        self.list.push(json!({
            "lastTransitionTime": since,
            "message": message,
            "observedGeneration": self.generation,
            "reason": reason,
            "status": status,
            "type": type_,
        }));
    }

    fn done(self) -> Value {
        Value::Array(self.list)
    }
}

pub(super) fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// One pass: every status recomputed, written where it changed. Returns whether it wrote.
pub(super) fn reconcile(
    addresses: &mut BTreeMap<(String, String), String>,
    cluster: &mut Cluster,
) -> bool {
    let now = cluster.now();
    let store = &cluster.api.store;
    let mut written: Vec<((Kind, ObjectKey), Value)> = Vec::new();

    let mut classes = Vec::new();
    for class in store.custom_of(Kind::GatewayClass) {
        if text(class.spec(), "controllerName") != CONTROLLER_NAME {
            continue;
        }
        classes.push(class.metadata.name.clone());
        let mut conditions = Conditions::new(
            &class.status()["conditions"],
            class.metadata.generation,
            now,
        );
        conditions.set("Accepted", true, "Accepted", "Valid GatewayClass");
        written.push((key(class), json!({ "conditions": conditions.done() })));
    }

    let gateways: Vec<&CustomObject> = store
        .custom_of(Kind::Gateway)
        .filter(|gw| {
            classes
                .iter()
                .any(|c| c == text(gw.spec(), "gatewayClassName"))
        })
        .collect();
    addresses.retain(|(namespace, name), _| {
        gateways
            .iter()
            .any(|gw| gw.metadata.namespace == *namespace && gw.metadata.name == *name)
    });
    for gw in &gateways {
        let id = (gw.metadata.namespace.clone(), gw.metadata.name.clone());
        if !addresses.contains_key(&id) {
            let address = free_address(addresses);
            addresses.insert(id, address);
        }
    }

    // Routes first: each Gateway's listeners count the routes attached to them.
    let mut attached: BTreeMap<(String, String, String), i64> = BTreeMap::new();
    for route in store.custom_of(Kind::HTTPRoute) {
        let mut parents = Vec::new();
        for parent in route.spec()["parentRefs"].as_array().into_iter().flatten() {
            if text(parent, "group") != GROUP || text(parent, "kind") != "Gateway" {
                continue;
            }
            let namespace = match text(parent, "namespace") {
                "" => route.metadata.namespace.as_str(),
                namespace => namespace,
            };
            let name = text(parent, "name");
            let Some(gw) = gateways
                .iter()
                .find(|gw| gw.metadata.namespace == namespace && gw.metadata.name == name)
            else {
                continue;
            };
            let old = route.status()["parents"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|p| p["parentRef"] == *parent)
                .map_or(&Value::Null, |p| &p["conditions"]);
            let mut conditions = Conditions::new(old, route.metadata.generation, now);
            let listeners = attach(store, route, parent, gw);
            if let Ok(names) = &listeners {
                for listener in names {
                    let id = (namespace.to_string(), name.to_string(), listener.clone());
                    *attached.entry(id).or_default() += 1;
                }
            }
            // The rules are translated in order; an invalid pattern stops the translation
            // and rejects the route, keeping what the earlier rules' backends said.
            let invalid = invalid_pattern(route);
            let translated = invalid.as_ref().map_or(usize::MAX, |(rule, _)| *rule);
            let resolved = resolve(store, route, translated);
            match (&invalid, &listeners) {
                // Setting a condition again replaces it where it stands.
                (Some((_, message)), Err(_)) => {
                    conditions.set("Accepted", false, "UnsupportedValue", message);
                    if let Err((reason, message)) = &resolved {
                        conditions.set("ResolvedRefs", false, reason, message);
                    }
                }
                (Some((_, message)), Ok(_)) => {
                    if let Err((reason, message)) = &resolved {
                        conditions.set("ResolvedRefs", false, reason, message);
                    }
                    conditions.set("Accepted", false, "UnsupportedValue", message);
                }
                (None, Err((reason, message))) => {
                    conditions.set("Accepted", false, reason, message)
                }
                (None, Ok(_)) => conditions.set("Accepted", true, "Accepted", "Route is accepted"),
            }
            match (&invalid, resolved) {
                (Some(_), _) => {}
                (None, Ok(())) => conditions.set(
                    "ResolvedRefs",
                    true,
                    "ResolvedRefs",
                    "Resolved all the Object references for the Route",
                ),
                (None, Err((reason, message))) => {
                    conditions.set("ResolvedRefs", false, reason, &message)
                }
            }
            parents.push(json!({
                "conditions": conditions.done(),
                "controllerName": CONTROLLER_NAME,
                "parentRef": parent,
            }));
        }
        if !parents.is_empty() || !route.status().is_null() {
            written.push((key(route), json!({ "parents": parents })));
        }
    }

    for gw in &gateways {
        let id = (gw.metadata.namespace.clone(), gw.metadata.name.clone());
        let address = addresses.get(&id).cloned().unwrap_or_default();
        let old = gw.status();
        let mut conditions = Conditions::new(&old["conditions"], gw.metadata.generation, now);
        conditions.set(
            "Accepted",
            true,
            "Accepted",
            "The Gateway has been scheduled by Envoy Gateway",
        );
        conditions.set(
            "Programmed",
            true,
            "Programmed",
            "Address assigned to the Gateway, 1/1 envoy replicas available",
        );
        let mut listeners = Vec::new();
        for listener in gw.spec()["listeners"].as_array().into_iter().flatten() {
            let name = text(listener, "name");
            let old = old["listeners"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|l| l["name"] == name)
                .map_or(&Value::Null, |l| &l["conditions"]);
            let mut conditions = Conditions::new(old, gw.metadata.generation, now);
            conditions.set(
                "Programmed",
                true,
                "Programmed",
                "Sending translated listener configuration to the data plane",
            );
            conditions.set(
                "Accepted",
                true,
                "Accepted",
                "Listener has been successfully translated",
            );
            conditions.set(
                "ResolvedRefs",
                true,
                "ResolvedRefs",
                "Listener references have been resolved",
            );
            let count = attached
                .get(&(id.0.clone(), id.1.clone(), name.to_string()))
                .copied()
                .unwrap_or(0);
            listeners.push(json!({
                "attachedRoutes": count,
                "conditions": conditions.done(),
                "name": name,
                "supportedKinds": [
                    { "group": GROUP, "kind": "HTTPRoute" },
                    { "group": GROUP, "kind": "GRPCRoute" },
                ],
            }));
        }
        let status = json!({
            "addresses": [{ "type": "IPAddress", "value": address }],
            "conditions": conditions.done(),
            "listeners": listeners,
        });
        written.push((key(gw), status));
    }

    let mut wrote = false;
    for (store_key, status) in written {
        let Some(object) = cluster.api.store.custom.get_mut(&store_key) else {
            continue;
        };
        if object.body.get("status") != Some(&status) {
            object.body.insert("status".into(), status);
            wrote = true;
        }
    }
    wrote
}

fn key(object: &CustomObject) -> (Kind, ObjectKey) {
    (
        object.kind,
        ObjectKey::new(&object.metadata.namespace, &object.metadata.name),
    )
}

/// The lowest address from [`FIRST_ADDRESS`] no Gateway holds.
fn free_address(taken: &BTreeMap<(String, String), String>) -> String {
    let [a, b, c, first] = FIRST_ADDRESS;
    (first..=254)
        .map(|d| format!("{a}.{b}.{c}.{d}"))
        .find(|candidate| !taken.values().any(|held| held == candidate))
        .unwrap_or_default()
}

/// The listeners of `gw` the route attaches to through `parent`, or why none does.
pub(super) fn attach(
    store: &crate::apiserver::Store,
    route: &CustomObject,
    parent: &Value,
    gw: &CustomObject,
) -> Result<Vec<String>, (&'static str, &'static str)> {
    let section = text(parent, "sectionName");
    let port = parent.get("port").and_then(Value::as_i64);
    let candidates: Vec<&Value> = gw.spec()["listeners"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|l| section.is_empty() || text(l, "name") == section)
        .filter(|l| port.is_none() || l.get("port").and_then(Value::as_i64) == port)
        .collect();
    if candidates.is_empty() {
        return Err(("NoMatchingParent", "No listeners match this parent ref"));
    }
    let allowed: Vec<&Value> = candidates
        .into_iter()
        .filter(|l| namespace_allowed(store, l, &gw.metadata.namespace, &route.metadata.namespace))
        .collect();
    if allowed.is_empty() {
        return Err((
            "NotAllowedByListeners",
            "No listeners included by this parent ref allowed this attachment.",
        ));
    }
    let hostnames: Vec<&str> = route.spec()["hostnames"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let matching: Vec<String> = allowed
        .into_iter()
        .filter(|l| {
            let listener = text(l, "hostname");
            listener.is_empty()
                || hostnames.is_empty()
                || hostnames.iter().any(|h| hostnames_intersect(listener, h))
        })
        .map(|l| text(l, "name").to_string())
        .collect();
    if matching.is_empty() {
        return Err((
            "NoMatchingListenerHostname",
            "There were no hostname intersections between the HTTPRoute and this parent ref's Listener(s).",
        ));
    }
    Ok(matching)
}

fn namespace_allowed(
    store: &crate::apiserver::Store,
    listener: &Value,
    gateway_namespace: &str,
    route_namespace: &str,
) -> bool {
    let namespaces = &listener["allowedRoutes"]["namespaces"];
    match text(namespaces, "from") {
        "All" => true,
        "Selector" => {
            let wanted = namespaces["selector"]["matchLabels"].as_object();
            let labels = store
                .namespaces
                .get(route_namespace)
                .map(|ns| &ns.metadata.labels);
            match (wanted, labels) {
                (Some(wanted), Some(labels)) => wanted
                    .iter()
                    .all(|(k, v)| labels.get(k).map(String::as_str) == v.as_str()),
                _ => false,
            }
        }
        _ => gateway_namespace == route_namespace,
    }
}

/// Whether a listener's hostname and a route's admit a common host (`*.example.com`
/// covers `a.example.com`).
pub(crate) fn hostnames_intersect(a: &str, b: &str) -> bool {
    let covers = |wild: &str, host: &str| {
        wild.strip_prefix('*')
            .is_some_and(|suffix| host.ends_with(suffix) && host.len() > suffix.len())
    };
    a == b || covers(a, b) || covers(b, a)
}

/// The first rule whose `RegularExpression` match Go's `regexp` rejects, and the message
/// Envoy Gateway's translator sets for it (`regex.Validate`, then `Error2ConditionMsg`).
pub(super) fn invalid_pattern(route: &CustomObject) -> Option<(usize, String)> {
    for (r, rule) in route.spec()["rules"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        for matched in rule["matches"].as_array().into_iter().flatten() {
            for pattern in patterns(matched) {
                if let Err(err) = regexp::compile(pattern) {
                    let message = format!("Regex {} is invalid: {err}.", quote(pattern));
                    return Some((r, message));
                }
            }
        }
    }
    None
}

/// The `RegularExpression` values of one `HTTPRouteMatch`: its path's, its headers' and its
/// query parameters'.
pub(super) fn patterns(matched: &Value) -> impl Iterator<Item = &str> {
    let is_regex = |m: &&Value| text(m, "type") == "RegularExpression";
    let path = Some(&matched["path"]).filter(is_regex);
    let others = ["headers", "queryParams"]
        .into_iter()
        .flat_map(|key| matched[key].as_array().into_iter().flatten())
        .filter(is_regex);
    path.into_iter().chain(others).map(|m| text(m, "value"))
}

/// Every backendRef of the first `rules` rules resolved, or the first failure's reason and
/// message.
fn resolve(
    store: &crate::apiserver::Store,
    route: &CustomObject,
    rules: usize,
) -> Result<(), (&'static str, String)> {
    for (r, rule) in route.spec()["rules"]
        .as_array()
        .into_iter()
        .flatten()
        .take(rules)
        .enumerate()
    {
        for (b, backend) in rule["backendRefs"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Err((reason, what)) = backend_target(store, &route.metadata.namespace, backend) {
                return Err((
                    reason,
                    format!("Failed to process route rule {r} backendRef {b}: {what}."),
                ));
            }
        }
    }
    Ok(())
}

/// Where a backendRef of a route in `route_namespace` leads — `(namespace, service, port)` —
/// or why it is invalid.
pub(super) fn backend_target(
    store: &crate::apiserver::Store,
    route_namespace: &str,
    backend: &Value,
) -> Result<(String, String, u16), (&'static str, String)> {
    let group = text(backend, "group");
    let kind = text(backend, "kind");
    if !group.is_empty() || kind != "Service" {
        return Err((
            "InvalidKind",
            format!("Kind is invalid, only Service is supported, got {kind}"),
        ));
    }
    let name = text(backend, "name");
    let namespace = match text(backend, "namespace") {
        "" => route_namespace,
        namespace => namespace,
    };
    if namespace != route_namespace && !granted(store, route_namespace, namespace, name) {
        return Err((
            "RefNotPermitted",
            format!(
                "Backend ref to Service {namespace}/{name} not permitted by any ReferenceGrant"
            ),
        ));
    }
    let Some(service) = store.services.get(&ObjectKey::new(namespace, name)) else {
        return Err((
            "BackendNotFound",
            format!("service {namespace}/{name} not found"),
        ));
    };
    let port = backend.get("port").and_then(Value::as_i64).unwrap_or(0);
    if !service.spec.ports.iter().any(|p| i64::from(p.port) == port) {
        return Err((
            "PortNotFound",
            format!("TCP Port {port} not found on Service {namespace}/{name}"),
        ));
    }
    Ok((
        namespace.to_string(),
        name.to_string(),
        u16::try_from(port).unwrap_or(0),
    ))
}

/// Whether a ReferenceGrant in `to_namespace` lets HTTPRoutes of `from_namespace` refer to
/// the Service `name`.
fn granted(
    store: &crate::apiserver::Store,
    from_namespace: &str,
    to_namespace: &str,
    name: &str,
) -> bool {
    store
        .custom_of(Kind::ReferenceGrant)
        .filter(|grant| grant.metadata.namespace == to_namespace)
        .any(|grant| {
            let spec = grant.spec();
            let from = spec["from"].as_array().into_iter().flatten().any(|f| {
                text(f, "group") == GROUP
                    && text(f, "kind") == "HTTPRoute"
                    && text(f, "namespace") == from_namespace
            });
            let to = spec["to"].as_array().into_iter().flatten().any(|t| {
                text(t, "group").is_empty()
                    && text(t, "kind") == "Service"
                    && (text(t, "name").is_empty() || text(t, "name") == name)
            });
            from && to
        })
}
