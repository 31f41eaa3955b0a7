//! `-o jsonpath=TEMPLATE`, and the expressions of `custom-columns` and `wait --for=jsonpath`:
//! client-go's `util/jsonpath` as kubectl v1.30 runs it — `parser` (template → `node`s),
//! `eval` (nodes walked over the object) — and cli-runtime's JSONPath printer around it
//! (missing keys print nothing; errors name the template and the object).

mod eval;
mod node;
mod parser;

use crate::error::KubectlError;
use eval::{Item, Walk};
use rollout_sim::api::go;
use serde_json::Value;

/// Renders `template` against `value` as `kubectl get -o jsonpath=TEMPLATE` prints it.
pub fn render(template: &str, value: &Value) -> Result<String, KubectlError> {
    let nodes = parse_template(template)?;
    match execute(&nodes, value, true) {
        Ok(results) => Ok(print_results(&results)),
        Err(message) => Err(execution_error(template, value, &message)),
    }
}

fn parse_template(template: &str) -> Result<Vec<node::Node>, KubectlError> {
    parser::parse(template)
        .map_err(|e| KubectlError::plain(format!("error parsing jsonpath {template}, {}", e.0)))
}

/// cli-runtime's `JSONPathPrinter.PrintObj` error: the template and the object, as `%#v`.
fn execution_error(template: &str, value: &Value, message: &str) -> KubectlError {
    KubectlError::Verbatim(format!(
        "error: error executing jsonpath {}: Error executing template: {message}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{template}\n\tobject given to jsonpath engine was:\n\t\t{}\n\n",
        go::go_quote(template),
        go::unstructured(value)
    ))
}

/// `-o jsonpath-as-json=TEMPLATE`: each action's values as one indented JSON array.
pub fn render_as_json(template: &str, value: &Value) -> Result<String, KubectlError> {
    let nodes = parse_template(template)?;
    let results = execute(&nodes, value, true).map_err(|m| execution_error(template, value, &m))?;
    let mut out = String::new();
    for values in &results {
        let array = Value::Array(values.iter().map(to_value).collect());
        out.push_str(&rollout_sim::manifest::go_json::marshal_indent_unstructured(&array));
        out.push('\n');
    }
    Ok(out)
}

/// kubectl's `RelaxedJSONPathExpression` (`--for=jsonpath=…`, `custom-columns`):
/// `^\{\.?([^{}]+)\}$|^\.?([^{}]+)$` — `a.b`, `.a.b`, `{a.b}` and `{.a.b}` all become
/// `{.a.b}`; an empty expression stays empty.
pub fn relaxed(expression: &str) -> Result<String, KubectlError> {
    if expression.is_empty() {
        return Ok(String::new());
    }
    let braced = expression
        .strip_prefix('{')
        .and_then(|rest| rest.strip_suffix('}'));
    let spec = match braced {
        Some(inner) if field_spec(inner).is_some() => field_spec(inner),
        _ => field_spec(expression),
    };
    match spec {
        Some(spec) => Ok(format!("{{.{spec}}}")),
        None => Err(KubectlError::plain(
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
        )),
    }
}

/// `\.?([^{}]+)`: the text after an optional dot, if it is not empty and has no braces.
fn field_spec(text: &str) -> Option<&str> {
    if text.is_empty() || text.contains(['{', '}']) {
        return None;
    }
    match text.strip_prefix('.') {
        Some(rest) if !rest.is_empty() => Some(rest),
        _ => Some(text),
    }
}

/// Whether `expression` parses; its error as kubectl prints a column's or a wait's.
pub fn check(expression: &str) -> Result<(), KubectlError> {
    parser::parse(expression)
        .map(|_| ())
        .map_err(|e| KubectlError::plain(e.0))
}

/// The values one expression leads to from `value` (missing keys give none), as
/// `custom-columns` and `wait` read them.
pub fn find(expression: &str, value: &Value) -> Result<Vec<Value>, KubectlError> {
    let nodes = parser::parse(expression).map_err(|e| KubectlError::plain(e.0))?;
    let results = execute(&nodes, value, true).map_err(KubectlError::plain)?;
    Ok(results.iter().flatten().map(to_value).collect())
}

fn execute<'a>(
    nodes: &[node::Node],
    value: &'a Value,
    allow_missing_keys: bool,
) -> Result<Vec<Vec<Item<'a>>>, String> {
    Walk::new(allow_missing_keys).find_results(Item::Json(value), nodes, 0, 0)
}

/// upstream's `PrintResults` for each action: its values joined by spaces.
fn print_results(results: &[Vec<Item<'_>>]) -> String {
    let mut out = String::new();
    for values in results {
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&eval::to_text(value));
        }
    }
    out
}

fn to_value(item: &Item<'_>) -> Value {
    match item {
        Item::Json(value) => (*value).clone(),
        Item::Text(text) => Value::String(text.clone()),
        Item::Int(i) => Value::from(*i),
        Item::Float(f) => Value::from(*f),
        Item::Bool(b) => Value::Bool(*b),
        Item::Byte(b) => Value::from(*b),
        Item::Invalid => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_ranges_and_literals_render_like_kubectl() {
        let list = serde_json::json!({"items": [
            {"metadata": {"name": "a"}, "status": {"podIP": "10.244.1.2"}},
            {"metadata": {"name": "b"}, "status": {"podIP": "10.244.2.2"}}
        ]});
        assert_eq!(
            render("{.items[0].status.podIP}", &list).unwrap(),
            "10.244.1.2"
        );
        assert_eq!(render("{.items[*].metadata.name}", &list).unwrap(), "a b");
        assert_eq!(
            render("{range .items[*]}{.metadata.name}{\"\\n\"}{end}", &list).unwrap(),
            "a\nb\n"
        );
        assert!(render("{.items[x]}", &list).is_err());
    }

    #[test]
    fn relaxed_expressions_gain_braces_and_a_leading_dot() {
        assert_eq!(relaxed("status.phase").unwrap(), "{.status.phase}");
        assert_eq!(relaxed(".status.phase").unwrap(), "{.status.phase}");
        assert_eq!(relaxed("{status.phase}").unwrap(), "{.status.phase}");
        assert_eq!(relaxed("{.status.phase}").unwrap(), "{.status.phase}");
        assert_eq!(relaxed("").unwrap(), "");
        assert!(relaxed("{.status.x").is_err());
        let pod = serde_json::json!({"status": {"phase": "Running"}});
        assert_eq!(
            find("{.status.phase}", &pod).unwrap(),
            vec![serde_json::json!("Running")]
        );
        assert!(find("{.status.nothing}", &pod).unwrap().is_empty());
    }
}
