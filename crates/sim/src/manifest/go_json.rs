//! Go's `encoding/json` output for a typed value: fields in the Go struct's order (the order
//! of [`schema`] tables), map keys sorted, `<`, `>` and `&` escaped, and the fields Go always
//! writes even when empty (`creationTimestamp: null`, a container's `resources: {}`).
//! Controllers that hash what `json.Marshal` gives (Argo Rollouts' pod-template hash) need
//! these exact bytes.

use super::decode::html_escape;
use super::schema::{self, Struct, Ty};
use serde_json::{Map, Value};

/// `json.Marshal` of a pod template as the Go client holds it.
pub fn marshal_pod_template(template: &Value) -> String {
    let mut out = String::new();
    write_struct(&mut out, template.as_object(), &schema::POD_TEMPLATE_SPEC);
    out
}

/// Go fields with no `omitempty`, or of struct type (which `omitempty` never drops), and what
/// Go writes for them when the value is unset. (Since Kubernetes 0.33 a zero
/// `creationTimestamp` is `omitzero`: the clients current controllers build with leave it out.)
fn always_written(strukt: &Struct, field: &str) -> Option<Value> {
    match (strukt.name, field) {
        ("PodTemplateSpec", "metadata" | "spec") => Some(Value::Object(Map::new())),
        ("PodSpec", "containers") => Some(Value::Null),
        ("Container", "name") => Some(Value::String(String::new())),
        ("Container", "resources") => Some(Value::Object(Map::new())),
        ("ContainerPort", "containerPort") => Some(Value::from(0)),
        ("EnvVar", "name") => Some(Value::String(String::new())),
        _ => None,
    }
}

fn write_struct(out: &mut String, map: Option<&Map<String, Value>>, strukt: &Struct) {
    out.push('{');
    let mut first = true;
    for (field, ty) in strukt.fields {
        let value = match map.and_then(|m| m.get(*field)) {
            Some(Value::Null) | None => match always_written(strukt, field) {
                Some(default) => default,
                None => continue,
            },
            Some(value) => value.clone(),
        };
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(&html_escape(
            &serde_json::to_string(field).unwrap_or_default(),
        ));
        out.push(':');
        write_value(out, &value, ty);
    }
    out.push('}');
}

fn write_value(out: &mut String, value: &Value, ty: &Ty) {
    match (ty, value) {
        (Ty::Struct(inner), Value::Object(map)) => write_struct(out, Some(map), inner),
        (Ty::Slice(elem), Value::Array(items)) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item, elem);
            }
            out.push(']');
        }
        // Maps and values the lab keeps verbatim: serde_json's maps are sorted, as Go's are.
        _ => out.push_str(&html_escape(
            &serde_json::to_string(value).unwrap_or_default(),
        )),
    }
}

/// `json.Marshal` of what JSON decoding makes of a document (maps of `interface{}`): keys
/// sorted, `<`, `>` and `&` escaped, integers as `int64`, other numbers as Go writes a
/// `float64` (`0.5`, `1e-7`, `1e+21`).
pub fn marshal_unstructured(value: &Value) -> String {
    let mut out = String::new();
    write_unstructured(&mut out, value, None);
    out
}

/// `json.MarshalIndent(value, "", "    ")` of the same.
pub fn marshal_indent_unstructured(value: &Value) -> String {
    let mut out = String::new();
    write_unstructured(&mut out, value, Some(0));
    out
}

/// `depth` is the indentation level, `None` for no indentation.
fn write_unstructured(out: &mut String, value: &Value, depth: Option<usize>) {
    let inner = depth.map(|d| d + 1);
    let newline = |out: &mut String, level: Option<usize>| {
        if let Some(level) = level {
            out.push('\n');
            out.push_str(&"    ".repeat(level));
        }
    };
    match value {
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, inner);
                write_unstructured(out, item, inner);
            }
            newline(out, depth);
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, inner);
                out.push_str(&html_escape(
                    &serde_json::to_string(key).unwrap_or_default(),
                ));
                out.push_str(if depth.is_some() { ": " } else { ":" });
                write_unstructured(out, item, inner);
            }
            newline(out, depth);
            out.push('}');
        }
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(0.0);
            let abs = f.abs();
            if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
                out.push_str(&crate::api::go::go_exponent_form(f, 1));
            } else {
                out.push_str(&format!("{f}"));
            }
        }
        other => out.push_str(&html_escape(
            &serde_json::to_string(other).unwrap_or_default(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_follow_go_struct_order_with_the_ones_go_always_writes() {
        let template = json!({
            "spec": {"containers": [{"ports": [{"containerPort": 8080, "protocol": "TCP", "name": "http"}],
                                     "image": "argoproj/rollouts-demo:blue", "name": "rollouts-demo"}]},
            "metadata": {"labels": {"app": "rollouts-demo"}}
        });
        assert_eq!(
            marshal_pod_template(&template),
            r#"{"metadata":{"labels":{"app":"rollouts-demo"}},"spec":{"containers":[{"name":"rollouts-demo","image":"argoproj/rollouts-demo:blue","ports":[{"name":"http","containerPort":8080,"protocol":"TCP"}],"resources":{}}]}}"#
        );
    }
}
