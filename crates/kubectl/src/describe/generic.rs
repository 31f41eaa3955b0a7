//! `kubectl describe` of a custom resource (describe.go `GenericDescriber`): the object's
//! JSON walked key by key, each key turned into a label (`printUnstructuredContent`,
//! `smartLabelFor`), then its events.

use super::{describe_events, print_annotations_multiline, print_labels_multiline, PrefixWriter};
use rollout_sim::clock::Time;
use rollout_sim::manifest::encode::to_value;
use rollout_sim::objects::{Event, Object};
use serde_json::{Map, Value};

/// What the generic describer leaves out: what the header already showed.
const SKIPPED: &[&str] = &[
    ".metadata.managedFields",
    ".metadata.name",
    ".metadata.namespace",
    ".metadata.labels",
    ".metadata.annotations",
];

/// Describes any object the way kubectl describes a kind it has no describer for.
pub fn describe_generic(object: &Object, events: &[Event], now: Time) -> String {
    let meta = object.metadata();
    let mut w = PrefixWriter::aligned();
    w.write(0, &format!("Name:\t{}\n", meta.name));
    w.write(0, &format!("Namespace:\t{}\n", meta.namespace));
    print_labels_multiline(&mut w, "Labels", &meta.labels);
    print_annotations_multiline(&mut w, "Annotations", &meta.annotations);
    if let Value::Object(content) = to_value(object) {
        print_unstructured_content(&mut w, 0, &content, "");
    }
    describe_events(&mut w, events, now);
    w.finish()
}

/// Keys in sorted order; maps and lists open a nested level, scalars print as Go's `%v`.
fn print_unstructured_content(
    w: &mut PrefixWriter,
    level: usize,
    content: &Map<String, Value>,
    prefix: &str,
) {
    let mut fields: Vec<&String> = content.keys().collect();
    fields.sort();
    for field in fields {
        let path = format!("{prefix}.{field}");
        if SKIPPED.contains(&path.as_str()) {
            continue;
        }
        match &content[field] {
            Value::Object(map) => {
                w.write(level, &format!("{}:\n", smart_label_for(field)));
                print_unstructured_content(w, level + 1, map, &path);
            }
            Value::Array(items) => {
                w.write(level, &format!("{}:\n", smart_label_for(field)));
                for item in items {
                    match item {
                        Value::Object(map) => print_unstructured_content(w, level + 1, map, &path),
                        other => w.write(level + 1, &format!("{}\n", go_value(other))),
                    }
                }
            }
            other => w.write(
                level,
                &format!("{}:\t{}\n", smart_label_for(field), go_value(other)),
            ),
        }
    }
}

/// Go's `%v` of a decoded JSON scalar.
fn go_value(value: &Value) -> String {
    match value {
        Value::Null => "<nil>".to_string(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(_) | Value::Object(_) => String::new(),
    }
}

/// `smartLabelFor`: `apiVersion` → `API Version`, `HPAReplicas` → `HPA Replicas`; a key with
/// anything but letters and `-` is kept as it is.
pub(crate) fn smart_label_for(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_string();
    }
    const ACRONYMS: &[&str] = &["API", "URL", "UID", "OSB", "GUID"];
    camel_case_split(field)
        .into_iter()
        .filter(|part| part != "_")
        .map(|part| {
            let upper = part.to_uppercase();
            if ACRONYMS.contains(&upper.as_str()) {
                upper
            } else {
                title(&part)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn title(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Class {
    Lower,
    Upper,
    Digit,
    Other,
}

fn class(c: char) -> Class {
    if c.is_lowercase() {
        Class::Lower
    } else if c.is_uppercase() {
        Class::Upper
    } else if c.is_numeric() {
        Class::Digit
    } else {
        Class::Other
    }
}

/// fatih/camelcase `Split`: runs of one character class; an upper-case run followed by a
/// lower-case run gives its last letter to the word that follows (`HPAReplicas` → `HPA`,
/// `Replicas`).
fn camel_case_split(text: &str) -> Vec<String> {
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut last = None;
    for c in text.chars() {
        let current = class(c);
        if Some(current) == last {
            if let Some(run) = runs.last_mut() {
                run.push(c);
            }
        } else {
            runs.push(vec![c]);
        }
        last = Some(current);
    }
    for i in 0..runs.len().saturating_sub(1) {
        let upper_then_lower = runs[i].first().is_some_and(|c| c.is_uppercase())
            && runs[i + 1].first().is_some_and(|c| c.is_lowercase());
        // A one-letter run gives its letter away too (`apiVersion` → `api`, `Version`); the
        // emptied run is dropped below.
        if upper_then_lower {
            if let Some(moved) = runs[i].pop() {
                runs[i + 1].insert(0, moved);
            }
        }
    }
    runs.into_iter()
        .filter(|run| !run.is_empty())
        .map(|run| run.into_iter().collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::smart_label_for;

    #[test]
    fn labels_read_like_kubectl_describe() {
        assert_eq!(smart_label_for("apiVersion"), "API Version");
        assert_eq!(smart_label_for("HPAReplicas"), "HPA Replicas");
        assert_eq!(smart_label_for("stableRS"), "Stable RS");
        assert_eq!(smart_label_for("uid"), "UID");
        assert_eq!(smart_label_for("matchLabels"), "Match Labels");
        assert_eq!(
            smart_label_for("app.kubernetes.io/name"),
            "app.kubernetes.io/name"
        );
        assert_eq!(
            smart_label_for("rollouts-pod-template-hash"),
            "Rollouts - Pod - Template - Hash"
        );
    }
}
