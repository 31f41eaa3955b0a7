//! Envoy Gateway's data plane: the routes of every Gateway it programs, compiled into one
//! table, and each request routed as the Gateway API specifies — the most precise match wins
//! (an exact path over a prefix, the longer prefix, a method, more header matches, more
//! query matches, then the older route, its name, the rule's order), filters applied, and a
//! backend drawn by weight (a share is its weight over the rule's sum; 0 gets nothing; an
//! invalid backend's share is answered 500).

use super::regexp;
use super::status::{attach, backend_target, invalid_pattern, patterns, text, GROUP};
use crate::apiserver::Store;
use crate::clock::Time;
use crate::network::gateway::{Forward, GatewayDecision, GatewayProxy};
use crate::network::http::{http_date, reason_phrase, Headers, Request, Response};
use crate::objects::{CustomObject, Kind};
use crate::rng::Rng;
use serde_json::Value;
use std::cmp::Reverse;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
pub(super) struct Proxy {
    now: Time,
    /// `(address, port, listener hostname)` and the rules attached there.
    listeners: Vec<(String, u16, String, Vec<Rule>)>,
    /// Every `RegularExpression` of those rules, compiled once here rather than per request
    /// (a route with an invalid one is not in the table).
    patterns: Patterns,
}

type Patterns = BTreeMap<String, regexp::Regexp>;

/// A valid backend: `(namespace, service, port)`.
type Target = (String, String, u16);

/// The spec's precedence as a sort key: a lower key wins.
type Precedence = (
    u8,
    Reverse<usize>,
    u8,
    Reverse<usize>,
    Reverse<usize>,
    Option<Time>,
    String,
    usize,
);

#[derive(Clone, Debug)]
struct Rule {
    /// `namespace/name` of its HTTPRoute.
    route: String,
    namespace: String,
    created: Option<Time>,
    index: usize,
    hostnames: Vec<String>,
    matched: Value,
    filters: Vec<Value>,
    /// Each backendRef's weight and target (`Err`: invalid, answered 500).
    backends: Vec<(u64, Option<Target>)>,
}

impl Proxy {
    pub(super) fn compile(
        store: &Store,
        now: Time,
        addresses: &BTreeMap<(String, String), String>,
    ) -> Proxy {
        let mut listeners = Vec::new();
        for ((namespace, name), address) in addresses {
            let Some(gw) = store.custom(Kind::Gateway, namespace, name) else {
                continue;
            };
            for listener in gw.spec()["listeners"].as_array().into_iter().flatten() {
                let port = listener["port"]
                    .as_u64()
                    .and_then(|p| u16::try_from(p).ok());
                let rules = rules_of(store, gw, text(listener, "name"));
                listeners.push((
                    address.clone(),
                    port.unwrap_or(0),
                    text(listener, "hostname").to_string(),
                    rules,
                ));
            }
        }
        let mut compiled = Patterns::new();
        for (_, _, _, rules) in &listeners {
            for pattern in rules.iter().flat_map(|rule| patterns(&rule.matched)) {
                if !compiled.contains_key(pattern) {
                    if let Ok(re) = regexp::compile(pattern) {
                        compiled.insert(pattern.to_string(), re);
                    }
                }
            }
        }
        Proxy {
            now,
            listeners,
            patterns: compiled,
        }
    }

    fn direct(&self, status: u16, body: &str, extra: &[(&str, String)]) -> Response {
        let mut headers = Headers::new();
        for (name, value) in extra {
            headers.push(*name, value.clone());
        }
        if !body.is_empty() {
            headers.push("content-length", body.len().to_string());
            headers.push("content-type", "text/plain");
        } else {
            headers.push("content-length", "0");
        }
        headers.push("date", http_date(self.now));
        Response {
            version: "HTTP/1.1".to_string(),
            status,
            // Envoy's phrases are the standard ones (nginx says `Service Temporarily
            // Unavailable` for 503).
            reason: match status {
                503 => "Service Unavailable",
                status => reason_phrase(status),
            }
            .to_string(),
            headers,
            body: body.to_string(),
        }
    }
}

/// The rules of every HTTPRoute attached to `gw`'s listener `listener`.
fn rules_of(store: &Store, gw: &CustomObject, listener: &str) -> Vec<Rule> {
    let mut rules = Vec::new();
    for route in store.custom_of(Kind::HTTPRoute) {
        let attached = route.spec()["parentRefs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| text(p, "group") == GROUP && text(p, "kind") == "Gateway")
            .filter(|p| {
                let namespace = match text(p, "namespace") {
                    "" => route.metadata.namespace.as_str(),
                    namespace => namespace,
                };
                namespace == gw.metadata.namespace && text(p, "name") == gw.metadata.name
            })
            .any(|p| {
                attach(store, route, p, gw).is_ok_and(|names| names.iter().any(|n| n == listener))
            });
        // A route the translator rejected (an invalid pattern) is not programmed at all.
        if !attached || invalid_pattern(route).is_some() {
            continue;
        }
        let hostnames: Vec<String> = route.spec()["hostnames"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        for (index, rule) in route.spec()["rules"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let backends = rule["backendRefs"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|b| {
                    let weight = b["weight"].as_u64().unwrap_or(1);
                    let target = backend_target(store, &route.metadata.namespace, b).ok();
                    (weight, target)
                })
                .collect::<Vec<_>>();
            let filters: Vec<Value> = rule["filters"].as_array().cloned().unwrap_or_default();
            for matched in rule["matches"].as_array().into_iter().flatten() {
                rules.push(Rule {
                    route: format!("{}/{}", route.metadata.namespace, route.metadata.name),
                    namespace: route.metadata.namespace.clone(),
                    created: route.metadata.creation_timestamp,
                    index,
                    hostnames: hostnames.clone(),
                    matched: matched.clone(),
                    filters: filters.clone(),
                    backends: backends.clone(),
                });
            }
        }
    }
    rules
}

/// The spec's precedence: a lower key wins.
fn precedence(rule: &Rule) -> Precedence {
    let path = &rule.matched["path"];
    // Envoy Gateway's order of path matches: Exact, RegularExpression, PathPrefix.
    let exact = match text(path, "type") {
        "Exact" => 0,
        "RegularExpression" => 1,
        _ => 2,
    };
    let length = text(path, "value").len();
    let method = u8::from(rule.matched.get("method").is_none());
    let count = |key: &str| rule.matched[key].as_array().map_or(0, Vec::len);
    (
        exact,
        Reverse(length),
        method,
        Reverse(count("headers")),
        Reverse(count("queryParams")),
        rule.created,
        rule.route.clone(),
        rule.index,
    )
}

fn split_query(path: &str) -> (&str, &str) {
    path.split_once('?').unwrap_or((path, ""))
}

fn host_matches(pattern: &str, host: &str) -> bool {
    match pattern.strip_prefix('*') {
        Some(suffix) => host.ends_with(suffix) && host.len() > suffix.len(),
        None => pattern.eq_ignore_ascii_case(host),
    }
}

fn path_matches(path_match: &Value, path: &str, patterns: &Patterns) -> bool {
    let value = text(path_match, "value");
    match text(path_match, "type") {
        "Exact" => path == value,
        "PathPrefix" => {
            let prefix = value.trim_end_matches('/');
            prefix.is_empty()
                || path == prefix
                || path
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with('/'))
        }
        "RegularExpression" => regex_matches(patterns, value, path),
        _ => false,
    }
}

/// Envoy's `safe_regex`: RE2 over the whole value (the path without its query).
fn regex_matches(patterns: &Patterns, pattern: &str, value: &str) -> bool {
    patterns.get(pattern).is_some_and(|re| re.full_match(value))
}

/// A header or query parameter match: `Exact` (the default) or `RegularExpression`.
fn value_matches(matcher: &Value, value: &str, patterns: &Patterns) -> bool {
    let wanted = text(matcher, "value");
    match text(matcher, "type") {
        "RegularExpression" => regex_matches(patterns, wanted, value),
        _ => value == wanted,
    }
}

fn request_matches(matched: &Value, request: &Request, patterns: &Patterns) -> bool {
    let (path, query) = split_query(&request.path);
    if !path_matches(&matched["path"], path, patterns) {
        return false;
    }
    if let Some(method) = matched.get("method").and_then(Value::as_str) {
        if request.method != method {
            return false;
        }
    }
    let headers_ok = matched["headers"]
        .as_array()
        .into_iter()
        .flatten()
        .all(|h| {
            let name = text(h, "name");
            if name.eq_ignore_ascii_case("host") {
                return value_matches(h, &request.host_name(), patterns);
            }
            request
                .headers
                .get(name)
                .is_some_and(|value| value_matches(h, value, patterns))
        });
    let params: Vec<(&str, &str)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    let query_ok = matched["queryParams"]
        .as_array()
        .into_iter()
        .flatten()
        .all(|q| {
            let name = text(q, "name");
            params
                .iter()
                .find(|(n, _)| *n == name)
                .is_some_and(|(_, v)| value_matches(q, v, patterns))
        });
    headers_ok && query_ok
}

/// `HTTPPathModifier`: the path after the filter, given the prefix the rule matched.
fn modified_path(modifier: &Value, path: &str, matched_prefix: &str) -> String {
    match text(modifier, "type") {
        "ReplaceFullPath" => text(modifier, "replaceFullPath").to_string(),
        "ReplacePrefixMatch" => {
            let replacement = text(modifier, "replacePrefixMatch");
            let rest = path
                .strip_prefix(matched_prefix.trim_end_matches('/'))
                .unwrap_or("");
            let joined = format!("{}{}", replacement.trim_end_matches('/'), rest);
            if joined.is_empty() {
                "/".to_string()
            } else {
                joined
            }
        }
        _ => path.to_string(),
    }
}

fn header_edits(modifier: &Value, key: &str) -> Vec<(String, String)> {
    modifier[key]
        .as_array()
        .into_iter()
        .flatten()
        .map(|h| (text(h, "name").to_string(), text(h, "value").to_string()))
        .collect()
}

impl GatewayProxy for Proxy {
    fn listens(&self, ip: &str, port: u16) -> bool {
        self.listeners
            .iter()
            .any(|(a, p, _, _)| a == ip && *p == port)
    }

    fn route(&self, ip: &str, port: u16, request: &Request, rng: &mut Rng) -> GatewayDecision {
        let host = request.host_name();
        let mut candidates: Vec<&Rule> = self
            .listeners
            .iter()
            .filter(|(a, p, listener_host, _)| {
                a == ip
                    && *p == port
                    && (listener_host.is_empty() || host_matches(listener_host, &host))
            })
            .flat_map(|(_, _, _, rules)| rules)
            .filter(|rule| {
                rule.hostnames.is_empty() || rule.hostnames.iter().any(|h| host_matches(h, &host))
            })
            .filter(|rule| request_matches(&rule.matched, request, &self.patterns))
            .collect();
        candidates.sort_by_key(|rule| precedence(rule));
        let Some(rule) = candidates.first() else {
            return GatewayDecision::Respond(self.direct(404, "", &[]));
        };
        let mut request = request.clone();
        let mut forward = Forward {
            route: rule.route.clone(),
            namespace: String::new(),
            service: String::new(),
            port: 0,
            request: Request::get("", "/"),
            response_set: Vec::new(),
            response_add: Vec::new(),
            response_remove: Vec::new(),
            mirrors: Vec::new(),
        };
        let (path, query) = split_query(&request.path);
        let (path, query) = (path.to_string(), query.to_string());
        let matched_prefix = text(&rule.matched["path"], "value").to_string();
        for filter in &rule.filters {
            match text(filter, "type") {
                "RequestRedirect" => {
                    let redirect = &filter["requestRedirect"];
                    let scheme = match text(redirect, "scheme") {
                        "" => "http",
                        scheme => scheme,
                    };
                    let hostname = match text(redirect, "hostname") {
                        "" => host.clone(),
                        hostname => hostname.to_string(),
                    };
                    let port = redirect["port"]
                        .as_u64()
                        .map(|p| format!(":{p}"))
                        .unwrap_or_default();
                    let new_path = modified_path(&redirect["path"], &path, &matched_prefix);
                    let query = if query.is_empty() {
                        String::new()
                    } else {
                        format!("?{query}")
                    };
                    let location = format!("{scheme}://{hostname}{port}{new_path}{query}");
                    let status = redirect["statusCode"]
                        .as_u64()
                        .and_then(|c| u16::try_from(c).ok())
                        .unwrap_or(302);
                    return GatewayDecision::Respond(self.direct(
                        status,
                        "",
                        &[("location", location)],
                    ));
                }
                "RequestHeaderModifier" => {
                    let modifier = &filter["requestHeaderModifier"];
                    for (name, value) in header_edits(modifier, "set") {
                        request.headers.set(&name, value);
                    }
                    for (name, value) in header_edits(modifier, "add") {
                        request.headers.push(name, value);
                    }
                    for name in modifier["remove"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                    {
                        request.headers.remove(name);
                    }
                }
                "ResponseHeaderModifier" => {
                    let modifier = &filter["responseHeaderModifier"];
                    forward.response_set.extend(header_edits(modifier, "set"));
                    forward.response_add.extend(header_edits(modifier, "add"));
                    forward.response_remove.extend(
                        modifier["remove"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(Value::as_str)
                            .map(str::to_string),
                    );
                }
                "URLRewrite" => {
                    let rewrite = &filter["urlRewrite"];
                    if let Some(hostname) = rewrite["hostname"].as_str() {
                        request.host = hostname.to_string();
                    }
                    if rewrite.get("path").is_some() {
                        let new_path = modified_path(&rewrite["path"], &path, &matched_prefix);
                        request.path = if query.is_empty() {
                            new_path
                        } else {
                            format!("{new_path}?{query}")
                        };
                    }
                }
                "RequestMirror" => {
                    let backend = &filter["requestMirror"]["backendRef"];
                    let namespace = match text(backend, "namespace") {
                        "" => rule.namespace.as_str(),
                        namespace => namespace,
                    };
                    let port = backend["port"]
                        .as_u64()
                        .and_then(|p| u16::try_from(p).ok())
                        .unwrap_or(0);
                    forward.mirrors.push((
                        namespace.to_string(),
                        text(backend, "name").to_string(),
                        port,
                    ));
                }
                _ => {}
            }
        }
        let total: u64 = rule.backends.iter().map(|(w, _)| *w).sum();
        if total == 0 {
            return GatewayDecision::Respond(self.direct(500, "", &[]));
        }
        let mut draw = rng.below(total);
        let chosen = rule.backends.iter().find(|(weight, _)| {
            if draw < *weight {
                true
            } else {
                draw -= weight;
                false
            }
        });
        let Some((_, Some((namespace, service, port)))) = chosen else {
            return GatewayDecision::Respond(self.direct(500, "", &[]));
        };
        forward.namespace = namespace.clone();
        forward.service = service.clone();
        forward.port = *port;
        forward.request = request;
        GatewayDecision::Forward(Box::new(forward))
    }

    fn unavailable(&self) -> Response {
        self.direct(503, "no healthy upstream", &[])
    }

    /// Envoy names itself in `server`, times the upstream and writes header names in
    /// lower case.
    fn proxied(&self, upstream: Response) -> Response {
        let mut headers = Headers::new();
        for (name, value) in upstream.headers.iter() {
            let name = name.to_ascii_lowercase();
            if name == "server" || name == "date" || name == "connection" {
                continue;
            }
            headers.push(name, value);
        }
        headers.push("x-envoy-upstream-service-time", "1");
        headers.push("date", http_date(self.now));
        headers.push("server", "envoy");
        Response {
            version: "HTTP/1.1".to_string(),
            headers,
            ..upstream
        }
    }
}
