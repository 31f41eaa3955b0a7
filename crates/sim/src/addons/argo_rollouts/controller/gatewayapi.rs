//! The traffic router plugin `argoproj-labs/gatewayAPI`
//! (`argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi`, `pkg/plugin`), as the
//! controller runs it (`rollout/trafficrouting/plugin`): the plugin's config read from
//! `trafficRouting.plugins` (`types.go`), the weights of an HTTPRoute's stable and canary
//! backendRefs (`setHTTPRouteWeight`), the header-matched rules of `setHeaderRoute` steps
//! (`setHTTPHeaderRoute`) and their removal (`removeHTTPManagedRoutes`), and the label it
//! puts on a route while a canary runs (`labels.go`).
//!
//! The route edits are functions of the route's `spec` (a JSON value, as the store holds
//! custom resources), so they read side by side with the plugin's unit tests; [`Plugin`]
//! applies them to the HTTPRoute in the store.

use crate::apiserver::ObjectKey;
use crate::cluster::Cluster;
use crate::manifest::decode::json_kind;
use crate::objects::Kind;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

/// `PluginName`: the key under `trafficRouting.plugins`.
pub const PLUGIN_NAME: &str = "argoproj-labs/gatewayAPI";

/// `errors.go`.
pub const MANIFEST_ERROR: &str = "No routes configured. At least one of 'httpRoutes', 'grpcRoutes', 'tcpRoutes', 'tlsRoutes', 'httpRoute', 'grpcRoute', 'tcpRoute' or 'tlsRoute' must be set";
pub const INVALID_HEADER_MATCH_TYPE_ERROR: &str = "invalid header match type";
pub const BACKEND_REF_NOT_FOUND_ERROR: &str = "backendRef was not found in httpRoute";

/// `defaults.InProgressLabelKey` / `InProgressLabelValue`.
const IN_PROGRESS_LABEL_KEY: &str = "rollouts.argoproj.io/gatewayapi-canary";
const IN_PROGRESS_LABEL_VALUE: &str = "in-progress";

/// `GatewayAPITrafficRouting`, the part the lab's Gateway (HTTP only) uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// `httpRoutes`, with `httpRoute` appended (`insertGatewayAPIRouteLists`): each route's
    /// name and whether `setHeaderRoute` steps edit it (`useHeaderRoutes`).
    pub http_routes: Vec<(String, bool)>,
    /// Other route kinds named (`grpcRoute(s)`, `tcpRoute(s)`, `tlsRoute(s)`): the lab's
    /// Gateway serves none of them.
    pub other_routes: bool,
    pub namespace: String,
    pub disable_in_progress_label: bool,
    pub in_progress_label_key: String,
    pub in_progress_label_value: String,
}

fn type_error(value: &Value, structure: &str, field: &str, go_type: &str) -> String {
    format!(
        "json: cannot unmarshal {} into Go struct field {structure}.{field} of type {go_type}",
        json_kind(value)
    )
}

/// A string field (`null` leaves it empty, as `json.Unmarshal` does).
fn string_field(
    object: &Map<String, Value>,
    key: &str,
    structure: &str,
    path: &str,
) -> Result<String, String> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(type_error(other, structure, path, "string")),
    }
}

fn bool_field(
    object: &Map<String, Value>,
    key: &str,
    structure: &str,
    path: &str,
) -> Result<bool, String> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(type_error(other, structure, path, "bool")),
    }
}

/// `getGatewayAPITrafficRoutingConfig`: `json.Unmarshal` of the plugin's config (its first
/// type error), the namespace defaulted to the Rollout's, `httpRoute` appended to
/// `httpRoutes` with header routes on, then the validator's `required` names.
pub fn config(raw: &Value, rollout_namespace: &str) -> Result<Config, String> {
    const TOP: &str = "GatewayAPITrafficRouting";
    let object = match raw {
        Value::Null => Map::new(),
        Value::Object(object) => object.clone(),
        other => {
            return Err(format!(
                "json: cannot unmarshal {} into Go value of type plugin.GatewayAPITrafficRouting",
                json_kind(other)
            ))
        }
    };
    let mut config = Config {
        namespace: string_field(&object, "namespace", TOP, "namespace")?,
        disable_in_progress_label: bool_field(
            &object,
            "disableInProgressLabel",
            TOP,
            "disableInProgressLabel",
        )?,
        in_progress_label_key: string_field(
            &object,
            "inProgressLabelKey",
            TOP,
            "inProgressLabelKey",
        )?,
        in_progress_label_value: string_field(
            &object,
            "inProgressLabelValue",
            TOP,
            "inProgressLabelValue",
        )?,
        ..Config::default()
    };
    let http_route = string_field(&object, "httpRoute", TOP, "httpRoute")?;
    match object.get("httpRoutes") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for item in items {
                match item {
                    Value::Null => config.http_routes.push((String::new(), false)),
                    Value::Object(route) => {
                        let name = string_field(route, "name", "HTTPRoute", "httpRoutes.name")?;
                        let headers = bool_field(
                            route,
                            "useHeaderRoutes",
                            "HTTPRoute",
                            "httpRoutes.useHeaderRoutes",
                        )?;
                        config.http_routes.push((name, headers));
                    }
                    other => {
                        return Err(type_error(other, TOP, "httpRoutes", "plugin.HTTPRoute"));
                    }
                }
            }
        }
        Some(other) => return Err(type_error(other, TOP, "httpRoutes", "[]plugin.HTTPRoute")),
    }
    for key in ["grpcRoute", "tcpRoute", "tlsRoute"] {
        if !string_field(&object, key, TOP, key)?.is_empty() {
            config.other_routes = true;
        }
    }
    for key in ["grpcRoutes", "tcpRoutes", "tlsRoutes"] {
        if object
            .get(key)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
        {
            config.other_routes = true;
        }
    }
    if config.namespace.is_empty() {
        config.namespace = rollout_namespace.to_string();
    }
    if !http_route.is_empty() {
        config.http_routes.push((http_route, true));
    }
    if let Some(index) = config
        .http_routes
        .iter()
        .position(|(name, _)| name.is_empty())
    {
        return Err(format!(
            "Key: 'GatewayAPITrafficRouting.HTTPRoutes[{index}].Name' Error:Field validation for 'Name' failed on the 'required' tag"
        ));
    }
    Ok(config)
}

/// A `setHeaderRoute` step: its name and `match` list (`None`: no `match`, which removes
/// the managed routes).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HeaderRoute {
    pub name: String,
    pub matches: Option<Vec<Value>>,
}

impl HeaderRoute {
    pub fn from_step(step: &Value) -> HeaderRoute {
        HeaderRoute {
            name: step["name"].as_str().unwrap_or_default().to_string(),
            matches: step.get("match").and_then(Value::as_array).cloned(),
        }
    }
}

fn rules(spec: &Value) -> Vec<Value> {
    spec.get("rules")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn backend_refs(rule: &Value) -> &[Value] {
    rule.get("backendRefs")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn backend_name(backend: &Value) -> &str {
    backend
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// `isManagedRuleName`: the managed route's name, or that name and `-<index>`.
pub fn is_managed_rule_name(rule_name: &str, managed: &BTreeSet<String>) -> bool {
    if managed.contains(rule_name) {
        return true;
    }
    managed.iter().any(|base| {
        rule_name
            .strip_prefix(base.as_str())
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(|index| !index.is_empty() && index.parse::<i64>().is_ok())
    })
}

/// `isHTTPManagedRule`: one backendRef, the canary; with `headers`, a match carrying every
/// one of their names.
fn is_http_managed_rule(rule: &Value, canary: &str, headers: Option<&[Value]>) -> bool {
    let refs = backend_refs(rule);
    if refs.len() != 1 || backend_name(&refs[0]) != canary {
        return false;
    }
    let Some(headers) = headers else {
        return true;
    };
    rule.get("matches")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|matched| {
            let names: Vec<&str> = matched
                .get("headers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|h| h.get("name").and_then(Value::as_str))
                .collect();
            headers
                .iter()
                .all(|h| names.contains(&h["name"].as_str().unwrap_or_default()))
        })
}

fn is_managed(rule: &Value, managed: &BTreeSet<String>, canary: &str) -> bool {
    rule.get("name")
        .and_then(Value::as_str)
        .is_some_and(|name| is_managed_rule_name(name, managed))
        || is_http_managed_rule(rule, canary, None)
}

/// `setHTTPRouteWeight`: every rule but the managed ones gives the canary backendRef
/// `weight` and the stable one `100 - weight`; both must be there.
pub fn set_weight(
    spec: &mut Value,
    canary: &str,
    stable: &str,
    weight: i32,
    managed: &BTreeSet<String>,
) -> Result<(), String> {
    let rest = 100 - weight;
    let mut list = rules(spec);
    let (mut canary_found, mut stable_found) = (false, false);
    for rule in &mut list {
        if is_managed(rule, managed, canary) {
            continue;
        }
        let Some(refs) = rule.get_mut("backendRefs").and_then(Value::as_array_mut) else {
            continue;
        };
        for backend in refs {
            let name = backend_name(backend).to_string();
            let Some(backend) = backend.as_object_mut() else {
                continue;
            };
            if name == canary {
                backend.insert("weight".into(), json!(weight));
                canary_found = true;
            } else if name == stable {
                backend.insert("weight".into(), json!(rest));
                stable_found = true;
            }
        }
    }
    if !canary_found || !stable_found {
        return Err(BACKEND_REF_NOT_FOUND_ERROR.into());
    }
    if let Some(spec) = spec.as_object_mut() {
        spec.insert("rules".into(), Value::Array(list));
    }
    Ok(())
}

/// `ensureInProgressLabel`: the label while the canary has weight, gone at 0.
pub fn ensure_in_progress_label(
    labels: &mut std::collections::BTreeMap<String, String>,
    weight: i32,
    config: &Config,
) {
    if config.disable_in_progress_label {
        return;
    }
    let key = if config.in_progress_label_key.is_empty() {
        IN_PROGRESS_LABEL_KEY
    } else {
        &config.in_progress_label_key
    };
    if weight == 0 {
        labels.remove(key);
        return;
    }
    let value = if config.in_progress_label_value.is_empty() {
        IN_PROGRESS_LABEL_VALUE
    } else {
        &config.in_progress_label_value
    };
    labels.insert(key.to_string(), value.to_string());
}

/// `getHTTPHeaderRouteRuleList`: each `match` as a Gateway API header match — `exact`
/// as is, `prefix` as a regular expression, `regex` as one.
fn header_matches(matches: &[Value]) -> Result<Vec<Value>, String> {
    let mut list = Vec::new();
    for rule in matches {
        let name = rule["headerName"].as_str().unwrap_or_default();
        let value = &rule["headerValue"];
        let text = |key: &str| value[key].as_str().unwrap_or_default().to_string();
        let (kind, text) = if !text("exact").is_empty() {
            ("Exact", text("exact"))
        } else if !text("prefix").is_empty() {
            ("RegularExpression", format!("{}.*", text("prefix")))
        } else if !text("regex").is_empty() {
            ("RegularExpression", text("regex"))
        } else {
            return Err(INVALID_HEADER_MATCH_TYPE_ERROR.into());
        };
        list.push(json!({ "name": name, "type": kind, "value": text }));
    }
    Ok(list)
}

/// `setHTTPHeaderRoute`: one rule per rule reaching both services, named after the step
/// (`<name>-1`, … after the first), matching what that rule matches and the step's
/// headers, to the canary alone; the previous rules of that name go first. Without
/// `match` the managed rules go (`removeHTTPManagedRoutes`).
pub fn set_header_route(
    spec: &mut Value,
    route: &HeaderRoute,
    canary: &str,
    stable: &str,
    managed: &BTreeSet<String>,
) -> Result<bool, String> {
    let Some(matches) = &route.matches else {
        return Ok(remove_managed_routes(spec, canary, managed));
    };
    let headers = header_matches(matches)?;
    let list = rules(spec);
    let sources: Vec<&Value> = list
        .iter()
        .filter(|rule| {
            let refs = backend_refs(rule);
            !refs.is_empty()
                && [canary, stable]
                    .iter()
                    .all(|name| refs.iter().any(|b| backend_name(b) == *name))
        })
        .collect();
    if sources.is_empty() {
        return Err(BACKEND_REF_NOT_FOUND_ERROR.into());
    }
    let mut managed_rules = Vec::new();
    for (index, source) in sources.into_iter().enumerate() {
        let port = backend_refs(source)
            .iter()
            .find(|b| backend_name(b) == canary)
            .and_then(|b| b.get("port").cloned());
        let name = if index == 0 {
            route.name.clone()
        } else {
            format!("{}-{index}", route.name)
        };
        let mut backend = json!({ "group": "", "kind": "Service", "name": canary });
        if let Some(port) = port {
            backend["port"] = port;
        }
        let mut rule = Map::new();
        rule.insert("name".into(), json!(name));
        let source_matches = source
            .get("matches")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let new_matches: Vec<Value> = if source_matches.is_empty() {
            vec![json!({ "headers": headers })]
        } else {
            source_matches
                .iter()
                .map(|m| {
                    let mut merged: Vec<Value> = m
                        .get("headers")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    merged.extend(headers.iter().cloned());
                    let mut out = Map::new();
                    for key in ["path", "queryParams", "method"] {
                        if let Some(v) = m.get(key) {
                            out.insert(key.into(), v.clone());
                        }
                    }
                    out.insert("headers".into(), Value::Array(merged));
                    Value::Object(out)
                })
                .collect()
        };
        rule.insert("matches".into(), Value::Array(new_matches));
        if let Some(filters) = source.get("filters").and_then(Value::as_array) {
            if !filters.is_empty() {
                rule.insert("filters".into(), Value::Array(filters.clone()));
            }
        }
        rule.insert("backendRefs".into(), json!([backend]));
        managed_rules.push(Value::Object(rule));
    }
    let own: BTreeSet<String> = [route.name.clone()].into_iter().collect();
    let mut cleaned: Vec<Value> = list
        .into_iter()
        .filter(|rule| {
            let named = rule
                .get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| is_managed_rule_name(n, &own));
            !(named || is_http_managed_rule(rule, canary, Some(&headers)))
        })
        .collect();
    cleaned.extend(managed_rules);
    let changed = spec.get("rules") != Some(&Value::Array(cleaned.clone()));
    if let Some(spec) = spec.as_object_mut() {
        spec.insert("rules".into(), Value::Array(cleaned));
    }
    Ok(changed)
}

/// `removeHTTPManagedRoutes`: the rules named after a managed route (or holding the canary
/// alone) go; true when any did.
pub fn remove_managed_routes(spec: &mut Value, canary: &str, managed: &BTreeSet<String>) -> bool {
    let list = rules(spec);
    let before = list.len();
    let kept: Vec<Value> = list
        .into_iter()
        .filter(|rule| !is_managed(rule, managed, canary))
        .collect();
    if kept.len() == before {
        return false;
    }
    if let Some(spec) = spec.as_object_mut() {
        spec.insert("rules".into(), Value::Array(kept));
    }
    true
}

/// `managedRouteNamesSet`.
pub fn managed_route_names(managed_routes: &Value) -> BTreeSet<String> {
    managed_routes
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r.get("name").and_then(Value::as_str))
        .map(str::to_string)
        .collect()
}

/// What one call edits on a route's spec and labels.
pub enum Edit<'a> {
    Weight(i32),
    HeaderRoute(&'a HeaderRoute),
    RemoveManaged,
}

/// The plugin's calls for one Rollout, applied to the HTTPRoutes in the store.
pub struct Plugin<'a> {
    pub config: Config,
    pub canary: &'a str,
    pub stable: &'a str,
    pub managed: BTreeSet<String>,
}

impl Plugin<'_> {
    /// One edit on every route it applies to (`forEachGatewayAPIRoute`); the first error
    /// stops. True when a route was written.
    pub fn apply(&self, cluster: &mut Cluster, edit: &Edit<'_>) -> Result<bool, String> {
        if let Edit::Weight(_) = edit {
            if self.config.http_routes.is_empty() && !self.config.other_routes {
                return Err(MANIFEST_ERROR.into());
            }
        }
        let mut wrote = false;
        for (name, use_header_routes) in &self.config.http_routes {
            if !matches!(edit, Edit::Weight(_)) && !use_header_routes {
                continue;
            }
            wrote |= self.apply_one(cluster, name, edit)?;
        }
        Ok(wrote)
    }

    fn apply_one(
        &self,
        cluster: &mut Cluster,
        name: &str,
        edit: &Edit<'_>,
    ) -> Result<bool, String> {
        let namespace = &self.config.namespace;
        let store_key = (Kind::HTTPRoute, ObjectKey::new(namespace, name));
        let Some(live) = cluster.api.store.custom.get(&store_key) else {
            return Err(format!(
                "httproutes.gateway.networking.k8s.io \"{name}\" not found"
            ));
        };
        let mut route = live.clone();
        let mut spec = route.spec().clone();
        match edit {
            Edit::Weight(weight) => {
                set_weight(&mut spec, self.canary, self.stable, *weight, &self.managed)?;
                ensure_in_progress_label(&mut route.metadata.labels, *weight, &self.config);
            }
            Edit::HeaderRoute(header_route) => {
                set_header_route(
                    &mut spec,
                    header_route,
                    self.canary,
                    self.stable,
                    &self.managed,
                )?;
            }
            Edit::RemoveManaged => {
                remove_managed_routes(&mut spec, self.canary, &self.managed);
            }
        }
        // The API server defaults what the plugin left out (a backendRef's weight, a
        // match's path and header type).
        if let Some((codec, _)) =
            crate::manifest::custom::lookup("gateway.networking.k8s.io/v1", "HTTPRoute")
        {
            let mut body = json!({ "spec": spec });
            (codec.default)(Kind::HTTPRoute, &mut body);
            spec = body["spec"].take();
        }
        let spec_changed = route.spec() != &spec;
        if !spec_changed && route.metadata.labels == live.metadata.labels {
            return Ok(false);
        }
        route.body.insert("spec".into(), spec);
        if spec_changed {
            route.metadata.generation += 1;
        }
        cluster.api.store.custom.insert(store_key, route);
        cluster.api.work.api_write();
        Ok(true)
    }
}

/// Side by side with the plugin's `pkg/plugin/plugin_test.go` (the HTTPRoute cases).
#[cfg(test)]
mod tests {
    use super::*;

    fn route() -> Value {
        json!({
            "parentRefs": [{ "name": "eg" }],
            "rules": [{
                "matches": [{ "path": { "type": "PathPrefix", "value": "/" } }],
                "backendRefs": [
                    { "name": "argo-rollouts-stable-service", "port": 80 },
                    { "name": "argo-rollouts-canary-service", "port": 80 }
                ]
            }]
        })
    }

    const CANARY: &str = "argo-rollouts-canary-service";
    const STABLE: &str = "argo-rollouts-stable-service";

    fn managed() -> BTreeSet<String> {
        ["header-route".to_string()].into_iter().collect()
    }

    fn header_route() -> HeaderRoute {
        HeaderRoute {
            name: "header-route".into(),
            matches: Some(vec![json!({
                "headerName": "X-Test",
                "headerValue": { "exact": "test" }
            })]),
        }
    }

    fn weights(spec: &Value) -> Vec<(String, i64)> {
        rules(spec)
            .iter()
            .flat_map(|r| backend_refs(r).to_vec())
            .map(|b| {
                (
                    backend_name(&b).to_string(),
                    b["weight"].as_i64().unwrap_or(-1),
                )
            })
            .collect()
    }

    #[test]
    fn set_http_route_weight() {
        let mut spec = route();
        set_weight(&mut spec, CANARY, STABLE, 30, &managed()).unwrap();
        assert_eq!(
            weights(&spec),
            [(STABLE.to_string(), 70), (CANARY.to_string(), 30)]
        );
    }

    #[test]
    fn set_http_route_weight_adds_and_removes_label() {
        let config = config(&json!({ "httpRoute": "r" }), "default").unwrap();
        let mut labels = Default::default();
        ensure_in_progress_label(&mut labels, 30, &config);
        assert_eq!(
            labels.get(IN_PROGRESS_LABEL_KEY).map(String::as_str),
            Some("in-progress")
        );
        ensure_in_progress_label(&mut labels, 0, &config);
        assert!(labels.is_empty());
    }

    #[test]
    fn set_weight_via_routes() {
        let config = config(
            &json!({ "httpRoutes": [{ "name": "a" }, { "name": "b", "useHeaderRoutes": true }] }),
            "ns",
        )
        .unwrap();
        assert_eq!(
            config.http_routes,
            [("a".to_string(), false), ("b".to_string(), true)]
        );
        assert_eq!(config.namespace, "ns");
    }

    #[test]
    fn set_http_header_route() {
        let mut spec = route();
        set_header_route(&mut spec, &header_route(), CANARY, STABLE, &managed()).unwrap();
        let rules = rules(&spec);
        assert_eq!(rules.len(), 2);
        assert_eq!(
            rules[1],
            json!({
                "name": "header-route",
                "matches": [{
                    "path": { "type": "PathPrefix", "value": "/" },
                    "headers": [{ "name": "X-Test", "type": "Exact", "value": "test" }]
                }],
                "backendRefs": [{ "group": "", "kind": "Service", "name": CANARY, "port": 80 }]
            })
        );
    }

    #[test]
    fn set_http_header_route_with_filters() {
        let mut spec = route();
        spec["rules"][0]["filters"] = json!([{
            "type": "RequestHeaderModifier",
            "requestHeaderModifier": { "add": [{ "name": "X-Via", "value": "gw" }] }
        }]);
        set_header_route(&mut spec, &header_route(), CANARY, STABLE, &managed()).unwrap();
        assert_eq!(rules(&spec)[1]["filters"], spec["rules"][0]["filters"]);
    }

    #[test]
    fn prefix_and_regex_header_values_are_regular_expressions() {
        let mut spec = route();
        let route = HeaderRoute {
            name: "header-route".into(),
            matches: Some(vec![
                json!({ "headerName": "a", "headerValue": { "prefix": "te" } }),
                json!({ "headerName": "b", "headerValue": { "regex": "t.*t" } }),
            ]),
        };
        set_header_route(&mut spec, &route, CANARY, STABLE, &managed()).unwrap();
        assert_eq!(
            rules(&spec)[1]["matches"][0]["headers"],
            json!([
                { "name": "a", "type": "RegularExpression", "value": "te.*" },
                { "name": "b", "type": "RegularExpression", "value": "t.*t" }
            ])
        );
        let empty = HeaderRoute {
            name: "header-route".into(),
            matches: Some(vec![json!({ "headerName": "a", "headerValue": {} })]),
        };
        assert_eq!(
            set_header_route(&mut spec, &empty, CANARY, STABLE, &managed()),
            Err(INVALID_HEADER_MATCH_TYPE_ERROR.to_string())
        );
    }

    #[test]
    fn remove_http_managed_routes() {
        let mut spec = route();
        set_header_route(&mut spec, &header_route(), CANARY, STABLE, &managed()).unwrap();
        assert!(remove_managed_routes(&mut spec, CANARY, &managed()));
        assert_eq!(spec, route());
        assert!(!remove_managed_routes(&mut spec, CANARY, &managed()));
    }

    #[test]
    fn a_header_route_without_match_removes_the_managed_routes() {
        let mut spec = route();
        set_header_route(&mut spec, &header_route(), CANARY, STABLE, &managed()).unwrap();
        let off = HeaderRoute {
            name: "header-route".into(),
            matches: None,
        };
        set_header_route(&mut spec, &off, CANARY, STABLE, &managed()).unwrap();
        assert_eq!(spec, route());
    }

    #[test]
    fn set_weight_does_not_clobber_http_header_route_weight() {
        let mut spec = route();
        set_header_route(&mut spec, &header_route(), CANARY, STABLE, &managed()).unwrap();
        set_weight(&mut spec, CANARY, STABLE, 50, &managed()).unwrap();
        assert_eq!(rules(&spec)[1]["backendRefs"][0].get("weight"), None);
    }

    #[test]
    fn set_http_header_route_no_duplicate_on_repeated_call() {
        let mut spec = route();
        set_header_route(&mut spec, &header_route(), CANARY, STABLE, &managed()).unwrap();
        let once = spec.clone();
        let changed =
            set_header_route(&mut spec, &header_route(), CANARY, STABLE, &managed()).unwrap();
        assert!(!changed);
        assert_eq!(spec, once);
    }

    #[test]
    fn set_http_header_route_two_distinct_names_appends_both() {
        let mut spec = route();
        let managed: BTreeSet<String> = ["header-route".to_string(), "other".to_string()]
            .into_iter()
            .collect();
        set_header_route(&mut spec, &header_route(), CANARY, STABLE, &managed).unwrap();
        let other = HeaderRoute {
            name: "other".into(),
            matches: Some(vec![
                json!({ "headerName": "X-Other", "headerValue": { "exact": "1" } }),
            ]),
        };
        set_header_route(&mut spec, &other, CANARY, STABLE, &managed).unwrap();
        let names: Vec<Value> = rules(&spec).iter().map(|r| r["name"].clone()).collect();
        assert_eq!(names, [Value::Null, json!("header-route"), json!("other")]);
    }

    #[test]
    fn set_http_header_route_multi_rule_http_route() {
        let mut spec = route();
        let mut second = spec["rules"][0].clone();
        second["matches"] = json!([{ "path": { "type": "PathPrefix", "value": "/api" } }]);
        spec["rules"].as_array_mut().unwrap().push(second);
        set_header_route(&mut spec, &header_route(), CANARY, STABLE, &managed()).unwrap();
        let names: Vec<Value> = rules(&spec).iter().map(|r| r["name"].clone()).collect();
        assert_eq!(
            names,
            [
                Value::Null,
                Value::Null,
                json!("header-route"),
                json!("header-route-1")
            ]
        );
        assert!(is_managed_rule_name("header-route-1", &managed()));
        assert!(!is_managed_rule_name("header-route-x", &managed()));
    }

    #[test]
    fn get_route_rule_returns_error_when_backend_not_found() {
        let mut spec = route();
        assert_eq!(
            set_weight(&mut spec, "nope", STABLE, 10, &managed()),
            Err(BACKEND_REF_NOT_FOUND_ERROR.to_string())
        );
        assert_eq!(
            set_header_route(&mut spec, &header_route(), "nope", STABLE, &managed()),
            Err(BACKEND_REF_NOT_FOUND_ERROR.to_string())
        );
    }

    #[test]
    fn namespace_defaulting() {
        assert_eq!(
            config(&json!({ "httpRoute": "r" }), "ro")
                .unwrap()
                .namespace,
            "ro"
        );
        assert_eq!(
            config(&json!({ "httpRoute": "r", "namespace": "" }), "ro")
                .unwrap()
                .namespace,
            "ro"
        );
        assert_eq!(
            config(&json!({ "httpRoute": "r", "namespace": "x" }), "ro")
                .unwrap()
                .namespace,
            "x"
        );
    }

    #[test]
    fn config_errors_read_as_the_plugin_gives_them() {
        assert_eq!(
            config(&json!({ "httpRoute": 1 }), "d").unwrap_err(),
            "json: cannot unmarshal number into Go struct field GatewayAPITrafficRouting.httpRoute of type string"
        );
        assert_eq!(
            config(&json!({ "httpRoutes": [{ "useHeaderRoutes": true }] }), "d").unwrap_err(),
            "Key: 'GatewayAPITrafficRouting.HTTPRoutes[0].Name' Error:Field validation for 'Name' failed on the 'required' tag"
        );
        assert_eq!(
            config(&json!("r"), "d").unwrap_err(),
            "json: cannot unmarshal string into Go value of type plugin.GatewayAPITrafficRouting"
        );
    }

    /// Fuzz-ish: configs, routes and header routes of every shape give an answer, never a
    /// panic.
    #[test]
    fn bad_configs_and_routes_do_not_panic() {
        let values = [
            Value::Null,
            json!(true),
            json!(3),
            json!(-1.5),
            json!(""),
            json!("x"),
            json!([]),
            json!([null, 1, "a", {}]),
            json!({}),
            json!({ "name": 1, "headerName": [], "headerValue": "x" }),
            json!({ "name": "", "useHeaderRoutes": "yes" }),
            json!([{ "name": "r", "backendRefs": 5 }]),
            json!([{ "backendRefs": [1, null, { "name": 2 }], "matches": "x" }]),
        ];
        let keys = [
            "httpRoute",
            "httpRoutes",
            "namespace",
            "useHeaderRoutes",
            "grpcRoutes",
            "tcpRoute",
            "disableInProgressLabel",
            "inProgressLabelKey",
            "rules",
            "name",
            "match",
        ];
        let mut rng = 7u64;
        let mut next = |n: usize| {
            rng = rng
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((rng >> 33) as usize) % n
        };
        for _ in 0..2000 {
            let mut object = Map::new();
            for _ in 0..next(4) {
                object.insert(
                    keys[next(keys.len())].into(),
                    values[next(values.len())].clone(),
                );
            }
            let raw = if next(5) == 0 {
                values[next(values.len())].clone()
            } else {
                Value::Object(object.clone())
            };
            let _ = config(&raw, "default");
            let mut spec = raw.clone();
            let _ = set_weight(&mut spec, "c", "s", next(200) as i32 - 50, &managed());
            let step = HeaderRoute::from_step(&Value::Object(object.clone()));
            let _ = set_header_route(&mut spec, &step, "c", "s", &managed());
            let _ = remove_managed_routes(&mut spec, "c", &managed());
            let mut spec = route();
            let _ = set_header_route(&mut spec, &step, CANARY, STABLE, &managed());
            let _ = managed_route_names(&raw);
        }
    }
}
