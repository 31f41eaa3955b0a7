//! Objects → text, as `kubectl get -o yaml` and `-o json` print them.
//!
//! The real path: the API server marshals the Go struct to JSON (omitting empty optional
//! fields), kubectl decodes that into a map and prints it — `-o json` with `encoding/json`
//! (sorted keys, four-space indent, `<>&` escaped), `-o yaml` through `sigs.k8s.io/yaml` and
//! go-yaml v2 (go-yaml's key order, plain scalars unless they would read back as something
//! else, long lines folded at 80 columns). We build the same JSON value and print it with the
//! same rules, using libyaml's emitter for YAML.
//!
//! What we print decodes back to the same object ([`super::parse_manifests`]), which is what
//! `kubectl edit` relies on; only timestamps lose their sub-second part, as on a real cluster.

use super::decode::html_escape;
use super::libyaml::{emit_document, EmitEvent, ScalarStyle};
use super::yaml::{resolve, Scalar};
use crate::objects::Object;
use serde::Serialize;
use serde_json::{Map, Value};
use std::cmp::Ordering;

/// `kubectl get -o yaml` for one object.
pub fn to_yaml(object: &Object) -> String {
    value_to_yaml(&to_value(object))
}

/// `kubectl get -o json` for one object (with the trailing newline kubectl prints).
pub fn to_json(object: &Object) -> String {
    value_to_json(&to_value(object))
}

/// The object as the API server would return it, as a JSON value.
pub fn to_value(object: &Object) -> Value {
    let kind = object.kind();
    let body = match object {
        Object::Namespace(o) => serialize(o),
        Object::Deployment(o) => serialize(o),
        Object::ReplicaSet(o) => serialize(o),
        Object::Pod(o) => serialize(o),
        Object::Service(o) => serialize(o),
        Object::Endpoints(o) => serialize(o),
        Object::EndpointSlice(o) => serialize(o),
        Object::Ingress(o) => serialize(o),
        Object::PodDisruptionBudget(o) => serialize(o),
        Object::HorizontalPodAutoscaler(o) => serialize(o),
        Object::Rollout(o) => serialize(o),
        Object::AnalysisTemplate(o) => serialize(o),
        Object::ClusterAnalysisTemplate(o) => serialize(o),
        Object::AnalysisRun(o) => serialize(o),
        Object::Custom(o) => {
            let mut map = o.body.clone();
            map.insert("metadata".into(), serialize(&o.metadata));
            Value::Object(map)
        }
    };
    let mut map = match body {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    map.insert(
        "apiVersion".into(),
        Value::String(kind.api_version().into()),
    );
    map.insert("kind".into(), Value::String(kind.to_string()));
    let mut value = Value::Object(map);
    wire_shape(object, &mut value);
    value
}

fn serialize<T: Serialize>(object: &T) -> Value {
    serde_json::to_value(object).unwrap_or(Value::Null)
}

fn object_at<'a>(value: &'a mut Value, path: &[&str]) -> Option<&'a mut Map<String, Value>> {
    let mut current = value;
    for key in path {
        let map = current.as_object_mut()?;
        current = map
            .entry((*key).to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    current.as_object_mut()
}

/// Fields real objects carry that the lab's types keep implicitly: values that are always
/// the same here (container ports are TCP, probes speak HTTP, controllers always block owner
/// deletion) and the status of kinds whose status the lab does not model.
fn wire_shape(object: &Object, value: &mut Value) {
    if let Some(Value::Array(owners)) = value.pointer_mut("/metadata/ownerReferences") {
        for owner in owners.iter_mut().filter_map(Value::as_object_mut) {
            if owner.get("controller") == Some(&Value::Bool(true)) {
                owner.insert("blockOwnerDeletion".into(), Value::Bool(true));
            }
        }
    }
    match object {
        Object::Deployment(_) | Object::ReplicaSet(_) => {
            if let Some(spec) = value.pointer_mut("/spec/template/spec") {
                pod_spec_shape(spec);
            }
            if let Some(template) = object_at(value, &["spec", "template", "metadata"]) {
                template.entry("creationTimestamp").or_insert(Value::Null);
            }
        }
        Object::Pod(_) => {
            if let Some(spec) = value.pointer_mut("/spec") {
                pod_spec_shape(spec);
            }
            if let Some(Value::Array(conditions)) = value.pointer_mut("/status/conditions") {
                for condition in conditions.iter_mut().filter_map(Value::as_object_mut) {
                    condition.entry("lastProbeTime").or_insert(Value::Null);
                }
            }
        }
        Object::Service(_) => {
            if let Some(status) = object_at(value, &["status"]) {
                status
                    .entry("loadBalancer")
                    .or_insert_with(|| Value::Object(Map::new()));
            }
        }
        Object::Namespace(ns) => {
            if let Some(spec) = object_at(value, &["spec"]) {
                spec.insert(
                    "finalizers".into(),
                    Value::Array(vec![Value::String("kubernetes".into())]),
                );
            }
            let phase = if ns.metadata.deletion_timestamp.is_some() {
                "Terminating"
            } else {
                "Active"
            };
            if let Some(status) = object_at(value, &["status"]) {
                status.insert("phase".into(), Value::String(phase.into()));
            }
        }
        Object::Ingress(_)
        | Object::PodDisruptionBudget(_)
        | Object::HorizontalPodAutoscaler(_)
        | Object::Endpoints(_)
        | Object::EndpointSlice(_)
        | Object::Rollout(_)
        | Object::AnalysisTemplate(_)
        | Object::ClusterAnalysisTemplate(_)
        | Object::AnalysisRun(_)
        | Object::Custom(_) => {}
    }
}

fn pod_spec_shape(spec: &mut Value) {
    for list in ["containers", "initContainers"] {
        let Some(Value::Array(containers)) = spec.get_mut(list) else {
            continue;
        };
        for container in containers.iter_mut() {
            if let Some(Value::Array(ports)) = container.get_mut("ports") {
                for port in ports.iter_mut().filter_map(Value::as_object_mut) {
                    port.entry("protocol")
                        .or_insert_with(|| Value::String("TCP".into()));
                }
            }
            for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                if let Some(Value::Object(http)) =
                    container.get_mut(probe).and_then(|p| p.get_mut("httpGet"))
                {
                    http.entry("scheme")
                        .or_insert_with(|| Value::String("HTTP".into()));
                }
            }
        }
    }
}

/// `json.MarshalIndent(obj, "", "    ")` plus kubectl's trailing newline.
pub fn value_to_json(value: &Value) -> String {
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    if value.serialize(&mut serializer).is_err() {
        return String::new();
    }
    let mut text = html_escape(&String::from_utf8_lossy(&out));
    text.push('\n');
    text
}

/// `yaml.Marshal` of `sigs.k8s.io/yaml` (go-yaml v2 underneath).
pub fn value_to_yaml(value: &Value) -> String {
    let mut events = Vec::new();
    push_events(value, &mut events);
    emit_document(&events).unwrap_or_default()
}

fn push_events<'a>(value: &'a Value, events: &mut Vec<EmitEvent<'a>>) {
    match value {
        Value::Null => events.push(EmitEvent::Scalar {
            value: "null",
            style: ScalarStyle::Plain,
        }),
        Value::Bool(true) => events.push(EmitEvent::Scalar {
            value: "true",
            style: ScalarStyle::Plain,
        }),
        Value::Bool(false) => events.push(EmitEvent::Scalar {
            value: "false",
            style: ScalarStyle::Plain,
        }),
        Value::Number(n) => {
            let text = match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => i.to_string(),
                (_, Some(u), _) => u.to_string(),
                (_, _, Some(f)) => crate::api::go::json_float(f),
                _ => n.to_string(),
            };
            events.push(EmitEvent::OwnedScalar {
                value: text,
                style: ScalarStyle::Plain,
            });
        }
        Value::String(s) => events.push(EmitEvent::Scalar {
            value: s,
            style: string_style(s),
        }),
        Value::Array(items) => {
            events.push(EmitEvent::SequenceStart);
            for item in items {
                push_events(item, events);
            }
            events.push(EmitEvent::SequenceEnd);
        }
        Value::Object(map) => {
            events.push(EmitEvent::MappingStart);
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| go_yaml_key_order(a, b));
            for key in keys {
                events.push(EmitEvent::Scalar {
                    value: key,
                    style: string_style(key),
                });
                if let Some(item) = map.get(key.as_str()) {
                    push_events(item, events);
                }
            }
            events.push(EmitEvent::MappingEnd);
        }
    }
}

/// go-yaml v2's `stringv`: literal for multi-line text, plain when the text reads back as
/// the same string, double-quoted otherwise (`"80"`, `"true"`, timestamps). libyaml may still
/// pick single quotes when plain is impossible (`': x'`), exactly as go-yaml's emitter does.
fn string_style(s: &str) -> ScalarStyle {
    if s.contains('\n') {
        return ScalarStyle::Literal;
    }
    let plain =
        matches!(resolve_for_emit(s), Scalar::Str(_)) && !is_base60_float(s) && !is_timestamp(s);
    if plain {
        ScalarStyle::Plain
    } else {
        ScalarStyle::DoubleQuoted
    }
}

fn resolve_for_emit(s: &str) -> Scalar {
    if s.is_empty() {
        return Scalar::Null;
    }
    resolve(s)
}

/// go-yaml's `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$` (YAML 1.1 sexagesimal).
fn is_base60_float(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (main, fraction) = match body.split_once('.') {
        Some((main, fraction)) => (main, Some(fraction)),
        None => (body, None),
    };
    if fraction.is_some_and(|f| !f.chars().all(|c| c.is_ascii_digit() || c == '_')) {
        return false;
    }
    let mut parts = main.split(':');
    let Some(first) = parts.next() else {
        return false;
    };
    let first_ok = first.starts_with(|c: char| c.is_ascii_digit())
        && first.chars().all(|c| c.is_ascii_digit() || c == '_');
    let rest: Vec<&str> = parts.collect();
    first_ok
        && !rest.is_empty()
        && rest.iter().all(|p| {
            let b = p.as_bytes();
            match b.len() {
                1 => b[0].is_ascii_digit(),
                2 => (b'0'..=b'5').contains(&b[0]) && b[1].is_ascii_digit(),
                _ => false,
            }
        })
}

/// go-yaml's `parseTimestamp` formats: `2006-1-2`, `2006-1-2T15:4:5.999999999Z07:00`,
/// `2006-1-2 15:4:5.999999999` — such strings must be quoted to stay strings.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 8 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let mut i = 5;
    let number = |i: &mut usize, max: usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() && *i - start < max {
            *i += 1;
        }
        *i > start
    };
    if !number(&mut i, 2) || b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    if !number(&mut i, 2) {
        return false;
    }
    if i == b.len() {
        return true;
    }
    if !matches!(b[i], b'T' | b't' | b' ') {
        return false;
    }
    i += 1;
    for separator in [b':', b':'] {
        if !number(&mut i, 2) || b.get(i) != Some(&separator) {
            return false;
        }
        i += 1;
    }
    if !number(&mut i, 2) {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !number(&mut i, 9) {
            return false;
        }
    }
    match &s[i..] {
        "" | "Z" => true,
        zone => {
            let z = zone.as_bytes();
            z.len() == 6
                && matches!(z[0], b'+' | b'-')
                && z[3] == b':'
                && [1, 2, 4, 5].iter().all(|&k| z[k].is_ascii_digit())
        }
    }
}

/// go-yaml v2's `keyList.Less`: like byte order, except that non-letters sort before
/// letters and runs of digits compare as numbers (`item9` < `item10`).
pub fn go_yaml_key_order(a: &str, b: &str) -> Ordering {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            return if bl {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an
                .saturating_mul(10)
                .saturating_add(i64::from(ar[ai] as u8 - b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn
                .saturating_mul(10)
                .saturating_add(i64::from(br[bi] as u8 - b'0'));
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ar[i].cmp(&br[i]);
    }
    ar.len().cmp(&br.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_that_would_read_back_differently_are_quoted() {
        let yaml = value_to_yaml(&json!({
            "a": "80", "b": "true", "c": "25%", "d": "", "e": "2026-11-23T09:00:05Z",
            "f": "/livez", "g": "ikubernetes/demoapp:v1.0", "h": "line1\nline2", "i": ":x"
        }));
        assert_eq!(
            yaml,
            "a: \"80\"\nb: \"true\"\nc: 25%\nd: \"\"\ne: \"2026-11-23T09:00:05Z\"\nf: /livez\ng: ikubernetes/demoapp:v1.0\nh: |-\n  line1\n  line2\ni: :x\n"
        );
    }

    #[test]
    fn sequences_in_mappings_are_not_indented_and_empty_maps_are_braces() {
        let yaml = value_to_yaml(&json!({"containers": [{"name": "a", "resources": {}}]}));
        assert_eq!(yaml, "containers:\n- name: a\n  resources: {}\n");
    }

    #[test]
    fn key_order_puts_digits_numerically_and_non_letters_first() {
        let mut keys = vec!["item10", "item9", "b", "a_b", "aB", "_x"];
        keys.sort_by(|a, b| go_yaml_key_order(a, b));
        assert_eq!(keys, vec!["_x", "a_b", "aB", "b", "item9", "item10"]);
    }

    #[test]
    fn json_is_indented_by_four_and_html_escaped() {
        assert_eq!(
            value_to_json(&json!({"a": "<&>", "b": []})),
            "{\n    \"a\": \"\\u003c\\u0026\\u003e\",\n    \"b\": []\n}\n"
        );
    }
}
