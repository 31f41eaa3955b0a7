//! What the Gateway API's CRDs do to an object on its way in, beyond structure: their
//! defaults (a rule without matches matches every path, a backend's weight is 1) and their
//! validation — enums, bounds and the CEL rules — with the API server's messages.

use super::schema;
use crate::api::{go_quote, FieldError, FieldErrorType};
use crate::manifest::custom::{Cell, CustomCodec, CustomKind, PrinterColumn};
use crate::objects::CustomObject;
use crate::objects::Kind;
use serde_json::{json, Map, Value};

pub static CODEC: CustomCodec = CustomCodec {
    kinds: &[
        CustomKind {
            kind: Kind::GatewayClass,
            api_version: "gateway.networking.k8s.io/v1",
            schema: &schema::GATEWAY_CLASS,
            required: schema::GATEWAY_CLASS_REQUIRED,
            columns: CLASS_COLUMNS,
        },
        CustomKind {
            kind: Kind::Gateway,
            api_version: "gateway.networking.k8s.io/v1",
            schema: &schema::GATEWAY,
            required: schema::GATEWAY_REQUIRED,
            columns: GATEWAY_COLUMNS,
        },
        CustomKind {
            kind: Kind::HTTPRoute,
            api_version: "gateway.networking.k8s.io/v1",
            schema: &schema::HTTP_ROUTE,
            required: schema::HTTP_ROUTE_REQUIRED,
            columns: ROUTE_COLUMNS,
        },
        CustomKind {
            kind: Kind::ReferenceGrant,
            api_version: "gateway.networking.k8s.io/v1beta1",
            schema: &schema::REFERENCE_GRANT,
            required: schema::REFERENCE_GRANT_REQUIRED,
            columns: AGE_ONLY,
        },
    ],
    default,
    validate,
};

// The CRDs' `additionalPrinterColumns`.
const fn column(header: &'static str, cell: fn(&CustomObject) -> String) -> PrinterColumn {
    PrinterColumn {
        header,
        wide_only: false,
        cell: Cell::Json(cell),
    }
}

const AGE: PrinterColumn = PrinterColumn {
    header: "AGE",
    wide_only: false,
    cell: Cell::Age,
};
static AGE_ONLY: &[PrinterColumn] = &[AGE];
static CLASS_COLUMNS: &[PrinterColumn] = &[
    column("CONTROLLER", |o| scalar(&o.spec()["controllerName"])),
    column("ACCEPTED", |o| condition_status(o, "Accepted")),
    AGE,
    PrinterColumn {
        header: "DESCRIPTION",
        wide_only: true,
        cell: Cell::Json(|o| scalar(&o.spec()["description"])),
    },
];
static GATEWAY_COLUMNS: &[PrinterColumn] = &[
    column("CLASS", |o| scalar(&o.spec()["gatewayClassName"])),
    column("ADDRESS", |o| {
        let values: Vec<String> = o.status()["addresses"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|a| scalar(&a["value"]))
            .collect();
        values.join(" ")
    }),
    column("PROGRAMMED", |o| condition_status(o, "Programmed")),
    AGE,
];
static ROUTE_COLUMNS: &[PrinterColumn] =
    &[column("HOSTNAMES", |o| scalar(&o.spec()["hostnames"])), AGE];

/// A JSONPath result as the API server prints a cell: strings bare, anything else as JSON,
/// nothing for an absent field.
fn scalar(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `.status.conditions[?(@.type=="T")].status`.
fn condition_status(object: &CustomObject, type_: &str) -> String {
    object.status()["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["type"] == type_)
        .map(|c| scalar(&c["status"]))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The status a new object gets from its CRD's default: the controller has not seen it.
fn pending(types: &[&str]) -> Value {
    let conditions: Vec<Value> = types
        .iter()
        .map(|type_| {
            json!({
                "lastTransitionTime": "1970-01-01T00:00:00Z",
                "message": "Waiting for controller",
                "reason": "Pending",
                "status": "Unknown",
                "type": type_,
            })
        })
        .collect();
    json!({ "conditions": conditions })
}

fn set_default(map: &mut Map<String, Value>, key: &str, value: Value) {
    map.entry(key.to_string()).or_insert(value);
}

/// Calls `f` with every object of the list `map[key]`.
fn each(map: &mut Map<String, Value>, key: &str, mut f: impl FnMut(&mut Map<String, Value>)) {
    if let Some(items) = map.get_mut(key).and_then(Value::as_array_mut) {
        items
            .iter_mut()
            .filter_map(Value::as_object_mut)
            .for_each(&mut f);
    }
}

fn object_at<'a>(
    map: &'a mut Map<String, Value>,
    key: &str,
    empty: Value,
) -> Option<&'a mut Map<String, Value>> {
    map.entry(key.to_string()).or_insert(empty).as_object_mut()
}

fn default_path() -> Value {
    json!({ "path": { "type": "PathPrefix", "value": "/" } })
}

/// The schemas' `default:`s. A new object's status is the CRD's default (the status
/// subresource ignores what was sent); an update keeps the live status.
fn default(kind: Kind, value: &mut Value) {
    let Some(top) = value.as_object_mut() else {
        return;
    };
    match kind {
        Kind::GatewayClass => {
            top.insert("status".into(), pending(&["Accepted"]));
        }
        Kind::Gateway => {
            top.insert("status".into(), pending(&["Accepted", "Programmed"]));
            let Some(spec) = top.get_mut("spec").and_then(Value::as_object_mut) else {
                return;
            };
            each(spec, "listeners", |listener| {
                let empty = json!({ "namespaces": { "from": "Same" } });
                if let Some(allowed) = object_at(listener, "allowedRoutes", empty) {
                    if let Some(namespaces) = object_at(allowed, "namespaces", json!({})) {
                        set_default(namespaces, "from", json!("Same"));
                    }
                }
            });
            each(spec, "addresses", |address| {
                set_default(address, "type", json!("IPAddress"));
            });
        }
        Kind::HTTPRoute => {
            top.remove("status");
            let Some(spec) = top.get_mut("spec").and_then(Value::as_object_mut) else {
                return;
            };
            set_default(spec, "rules", json!([{ "matches": [default_path()] }]));
            each(spec, "parentRefs", |parent| {
                set_default(parent, "group", json!("gateway.networking.k8s.io"));
                set_default(parent, "kind", json!("Gateway"));
            });
            each(spec, "rules", |rule| {
                set_default(rule, "matches", json!([default_path()]));
                each(rule, "matches", |matched| {
                    if let Some(path) = object_at(matched, "path", json!({})) {
                        set_default(path, "type", json!("PathPrefix"));
                        set_default(path, "value", json!("/"));
                    }
                    for list in ["headers", "queryParams"] {
                        each(matched, list, |item| {
                            set_default(item, "type", json!("Exact"))
                        });
                    }
                });
                let backend_defaults = |backend: &mut Map<String, Value>| {
                    set_default(backend, "group", json!(""));
                    set_default(backend, "kind", json!("Service"));
                };
                each(rule, "backendRefs", |backend| {
                    backend_defaults(backend);
                    set_default(backend, "weight", json!(1));
                });
                each(rule, "filters", |filter| {
                    if let Some(mirror) = filter
                        .get_mut("requestMirror")
                        .and_then(|m| m.get_mut("backendRef"))
                        .and_then(Value::as_object_mut)
                    {
                        backend_defaults(mirror);
                    }
                });
            });
        }
        Kind::ReferenceGrant => {
            top.remove("status");
        }
        _ => {}
    }
}

/// The schemas' value checks, in the order the API server reports them: each field's own
/// (enums, bounds) as it is met, then the CEL rules of the object that holds them.
fn validate(kind: Kind, value: &Value) -> Vec<FieldError> {
    let mut causes = Vec::new();
    let spec = value.get("spec").unwrap_or(&Value::Null);
    match kind {
        Kind::Gateway => gateway(spec, &mut causes),
        Kind::HTTPRoute => http_route(spec, &mut causes),
        _ => {}
    }
    // The schema's own checks come first, the CEL rules' after (each group in the order it
    // was met), as the API server appends the rules' errors to the schema's.
    causes.sort_by_key(is_rule);
    causes
}

/// A CEL rule's failure: the API server shows the value as its type (`"object"`).
fn is_rule(cause: &FieldError) -> bool {
    matches!(&cause.type_, FieldErrorType::Invalid(value) if value == "\"object\"" || value == "\"array\"")
}

fn items<'a>(value: &'a Value, key: &str) -> impl Iterator<Item = (usize, &'a Value)> + 'a {
    value
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
}

fn str_at<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

fn one_of(causes: &mut Vec<FieldError>, value: &Value, key: &str, at: &str, allowed: &[&str]) {
    if let Some(found) = str_at(value, key) {
        if !allowed.contains(&found) {
            causes.push(FieldError::not_supported(
                format!("{at}.{key}"),
                found,
                allowed,
            ));
        }
    }
}

/// `minimum` and `maximum` of an integer field.
fn bounded(causes: &mut Vec<FieldError>, value: &Value, key: &str, at: &str, min: i64, max: i64) {
    let Some(n) = value.get(key).and_then(Value::as_i64) else {
        return;
    };
    let path = format!("{at}.{key}");
    let detail = if n < min {
        format!("{path} in body should be greater than or equal to {min}")
    } else if n > max {
        format!("{path} in body should be less than or equal to {max}")
    } else {
        return;
    };
    causes.push(FieldError::invalid(path, n.to_string(), detail));
}

/// A CEL rule's failure on the object at `at`.
fn rule(causes: &mut Vec<FieldError>, at: &str, shape: &str, message: &str) {
    causes.push(FieldError::invalid(at, go_quote(shape), message));
}

fn gateway(spec: &Value, causes: &mut Vec<FieldError>) {
    let mut names = Vec::new();
    for (i, listener) in items(spec, "listeners") {
        let at = format!("spec.listeners[{i}]");
        bounded(causes, listener, "port", &at, 1, 65535);
        if let Some(from) = listener.pointer("/allowedRoutes/namespaces") {
            let at = format!("{at}.allowedRoutes.namespaces");
            one_of(causes, from, "from", &at, &["All", "Selector", "Same"]);
        }
        names.push(str_at(listener, "name").unwrap_or_default());
    }
    let unique = names
        .iter()
        .enumerate()
        .all(|(i, name)| !names[..i].contains(name));
    if !unique {
        rule(
            causes,
            "spec.listeners",
            "array",
            "Listener name must be unique within the Gateway",
        );
    }
}

const FILTERS: &[(&str, &str)] = &[
    ("RequestHeaderModifier", "requestHeaderModifier"),
    ("ResponseHeaderModifier", "responseHeaderModifier"),
    ("RequestMirror", "requestMirror"),
    ("RequestRedirect", "requestRedirect"),
    ("URLRewrite", "urlRewrite"),
    ("ExtensionRef", "extensionRef"),
];
const METHODS: &[&str] = &[
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
];

fn http_route(spec: &Value, causes: &mut Vec<FieldError>) {
    for (i, parent) in items(spec, "parentRefs") {
        bounded(
            causes,
            parent,
            "port",
            &format!("spec.parentRefs[{i}]"),
            1,
            65535,
        );
    }
    for (r, rule_value) in items(spec, "rules") {
        let at = format!("spec.rules[{r}]");
        for (m, matched) in items(rule_value, "matches") {
            let at = format!("{at}.matches[{m}]");
            for (list, key) in [("headers", "headers"), ("queryParams", "queryParams")] {
                for (h, header) in items(matched, key) {
                    let at = format!("{at}.{list}[{h}]");
                    one_of(causes, header, "type", &at, &["Exact", "RegularExpression"]);
                }
            }
            one_of(causes, matched, "method", &at, METHODS);
            if let Some(path) = matched.get("path") {
                path_match(path, &format!("{at}.path"), causes);
            }
        }
        let filters_at = format!("{at}.filters");
        filters(rule_value, &filters_at, causes);
        for (b, backend) in items(rule_value, "backendRefs") {
            let at = format!("{at}.backendRefs[{b}]");
            bounded(causes, backend, "port", &at, 1, 65535);
            bounded(causes, backend, "weight", &at, 0, 1_000_000);
            filters(backend, &format!("{at}.filters"), causes);
            service_port(backend, &at, causes);
        }
    }
}

/// `Must have port for Service reference`.
fn service_port(backend: &Value, at: &str, causes: &mut Vec<FieldError>) {
    let core = str_at(backend, "group").unwrap_or_default().is_empty();
    let service = str_at(backend, "kind").unwrap_or("Service") == "Service";
    if core && service && backend.get("port").is_none() {
        rule(causes, at, "object", "Must have port for Service reference");
    }
}

fn path_match(path: &Value, at: &str, causes: &mut Vec<FieldError>) {
    one_of(
        causes,
        path,
        "type",
        at,
        &["Exact", "PathPrefix", "RegularExpression"],
    );
    let type_ = str_at(path, "type").unwrap_or("PathPrefix");
    let value = str_at(path, "value").unwrap_or("/");
    if !matches!(type_, "Exact" | "PathPrefix") {
        return;
    }
    const WHEN: &str = "when type one of ['Exact', 'PathPrefix']";
    if !value.starts_with('/') {
        let message = format!("value must be an absolute path and start with '/' {WHEN}");
        rule(causes, at, "object", &message);
    }
    for bad in ["//", "/./", "/../", "%2f", "%2F", "#"] {
        if value.contains(bad) {
            rule(
                causes,
                at,
                "object",
                &format!("must not contain '{bad}' {WHEN}"),
            );
        }
    }
    for bad in ["/..", "/."] {
        if value.ends_with(bad) {
            rule(
                causes,
                at,
                "object",
                &format!("must not end with '{bad}' {WHEN}"),
            );
        }
    }
}

fn filters(holder: &Value, at: &str, causes: &mut Vec<FieldError>) {
    let mut seen: Vec<&str> = Vec::new();
    for (f, filter) in items(holder, "filters") {
        let at = format!("{at}[{f}]");
        let type_ = str_at(filter, "type").unwrap_or_default();
        let types: Vec<&str> = FILTERS.iter().map(|(t, _)| *t).collect();
        one_of(causes, filter, "type", &at, &types);
        for (name, field) in FILTERS {
            let has = filter.get(*field).is_some();
            if has && type_ != *name {
                let message =
                    format!("filter.{field} must be nil if the filter.type is not {name}");
                rule(causes, &at, "object", &message);
            }
            if !has && type_ == *name {
                let message = format!("filter.{field} must be specified for {name} filter.type");
                rule(causes, &at, "object", &message);
            }
        }
        for key in ["requestRedirect", "urlRewrite"] {
            if let Some(path) = filter.get(key).and_then(|f| f.get("path")) {
                path_modifier(path, &format!("{at}.{key}.path"), causes);
            }
        }
        if let Some(mirror) = filter.pointer("/requestMirror/backendRef") {
            let at = format!("{at}.requestMirror.backendRef");
            bounded(causes, mirror, "port", &at, 1, 65535);
            service_port(mirror, &at, causes);
        }
        if let Some(redirect) = filter.get("requestRedirect") {
            let at = format!("{at}.requestRedirect");
            one_of(causes, redirect, "scheme", &at, &["http", "https"]);
            bounded(causes, redirect, "port", &at, 1, 65535);
            if let Some(code) = redirect.get("statusCode").and_then(Value::as_i64) {
                if code != 301 && code != 302 {
                    let codes = ["301", "302"];
                    causes.push(FieldError::not_supported(
                        format!("{at}.statusCode"),
                        &code.to_string(),
                        &codes,
                    ));
                }
            }
        }
        seen.push(type_);
    }
    let count = |name: &str| seen.iter().filter(|t| **t == name).count();
    if count("RequestRedirect") > 0 && count("URLRewrite") > 0 {
        let message =
            "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both";
        rule(causes, at, "array", message);
    }
    for name in [
        "RequestHeaderModifier",
        "ResponseHeaderModifier",
        "RequestRedirect",
        "URLRewrite",
    ] {
        if count(name) > 1 {
            rule(
                causes,
                at,
                "array",
                &format!("{name} filter cannot be repeated"),
            );
        }
    }
}

fn path_modifier(path: &Value, at: &str, causes: &mut Vec<FieldError>) {
    one_of(
        causes,
        path,
        "type",
        at,
        &["ReplaceFullPath", "ReplacePrefixMatch"],
    );
    let type_ = str_at(path, "type").unwrap_or_default();
    for (name, field) in [
        ("ReplaceFullPath", "replaceFullPath"),
        ("ReplacePrefixMatch", "replacePrefixMatch"),
    ] {
        let has = path.get(field).is_some();
        if type_ == name && !has {
            let message = format!("{field} must be specified when type is set to '{name}'");
            rule(causes, at, "object", &message);
        }
        if has && type_ != name {
            let message = format!("type must be '{name}' when {field} is set");
            rule(causes, at, "object", &message);
        }
    }
}
