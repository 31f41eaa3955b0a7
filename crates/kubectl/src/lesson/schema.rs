//! The lesson format's JSON Schema (`lessons/lesson.schema.json`) and a checker for the part
//! of JSON Schema it is written in, so that the file an author's editor reads is the one the
//! lab enforces.
//!
//! The subset: `type`, `properties`, `required`, `additionalProperties: false`, `items`,
//! `minItems`/`maxItems`, `minLength`/`maxLength`, `minimum`/`maximum`,
//! `minProperties`/`maxProperties`, `enum` and `$ref` to `#/$defs/NAME`; the
//! annotations (`title`, `description`, `examples`, `$schema`, `$id`, `$defs`) check
//! nothing. A schema using any other keyword is refused ([`unsupported_keywords`]), so the
//! checker never silently ignores a rule.

use super::problem::ProblemKind;
use serde_json::{Map, Value};
use std::sync::OnceLock;

/// The schema's rules: `lessons/lesson.schema.json` without its annotations (build.rs), the
/// same checks in a fraction of the bytes. The published file is the one to read.
const SCHEMA_RULES: &str = include_str!(concat!(env!("OUT_DIR"), "/lesson.schema.rules.json"));

const RULES: &[&str] = &[
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "minProperties",
    "maxProperties",
    "enum",
    "$ref",
];
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "examples",
    "$schema",
    "$id",
    "$defs",
];

/// The lesson schema's rules, parsed once.
pub fn lesson_schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::from_str(SCHEMA_RULES).unwrap_or(Value::Null))
}

/// Keywords of `schema` (at any depth) outside the subset this checker implements.
pub fn unsupported_keywords(schema: &Value) -> Vec<String> {
    let mut found = Vec::new();
    collect_unsupported(schema, &mut found);
    found
}

fn collect_unsupported(schema: &Value, found: &mut Vec<String>) {
    let Some(map) = schema.as_object() else {
        return;
    };
    for (key, value) in map {
        if !RULES.contains(&key.as_str()) && !ANNOTATIONS.contains(&key.as_str()) {
            found.push(key.clone());
        }
        match key.as_str() {
            "properties" | "$defs" => {
                for sub in value.as_object().into_iter().flat_map(Map::values) {
                    collect_unsupported(sub, found);
                }
            }
            "items" => collect_unsupported(value, found),
            _ => {}
        }
    }
}

/// Every place `value` breaks `schema`, as (JSON pointer, problem), in document order.
pub fn check(schema: &Value, value: &Value) -> Vec<(String, ProblemKind)> {
    let mut problems = Vec::new();
    Checker { root: schema }.check(schema, value, String::new(), &mut problems);
    problems
}

struct Checker<'a> {
    root: &'a Value,
}

/// JSON Schema's name for a value's type.
fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

impl<'a> Checker<'a> {
    fn resolve(&self, schema: &'a Value) -> &'a Value {
        // Bounded: a `$ref` chain in a broken schema must not loop forever.
        let mut schema = schema;
        for _ in 0..16 {
            let Some(name) = schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/$defs/"))
            else {
                break;
            };
            match self.root.get("$defs").and_then(|d| d.get(name)) {
                Some(target) => schema = target,
                None => break,
            }
        }
        schema
    }

    fn check(
        &self,
        schema: &'a Value,
        value: &Value,
        at: String,
        out: &mut Vec<(String, ProblemKind)>,
    ) {
        let schema = self.resolve(schema);
        let number = |key: &str| schema.get(key).and_then(Value::as_u64);
        if let Some(want) = schema.get("type").and_then(Value::as_str) {
            let found = type_name(value);
            let fits = found == want || (want == "number" && found == "integer");
            if !fits {
                out.push((
                    at,
                    ProblemKind::WrongType {
                        expected: want.to_string(),
                        found,
                    },
                ));
                return;
            }
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
            if !allowed.contains(value) {
                let allowed = allowed.iter().map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                });
                out.push((at.clone(), ProblemKind::NotOneOf(allowed.collect())));
            }
        }
        match value {
            Value::String(text) => {
                let chars = text.chars().count() as u64;
                if let Some(max) = number("maxLength").filter(|max| chars > *max) {
                    out.push((at, ProblemKind::TooLong { chars, max }));
                } else if let Some(min) = number("minLength").filter(|min| chars < *min) {
                    out.push((at, ProblemKind::TooShort { min }));
                }
            }
            Value::Number(n) => {
                let v = n.as_f64().unwrap_or(0.0);
                let min = schema.get("minimum").and_then(Value::as_f64);
                let max = schema.get("maximum").and_then(Value::as_f64);
                if min.is_some_and(|m| v < m) || max.is_some_and(|m| v > m) {
                    out.push((
                        at,
                        ProblemKind::OutOfRange {
                            value: n.to_string(),
                            min: min.map(|m| m as i64),
                            max: max.map(|m| m as i64),
                        },
                    ));
                }
            }
            Value::Array(items) => {
                let count = items.len() as u64;
                if let Some(max) = number("maxItems").filter(|max| count > *max) {
                    // Checking thousands of items past the bound only buries the real problem.
                    out.push((at, ProblemKind::TooMany { count, max }));
                    return;
                }
                if let Some(min) = number("minItems").filter(|min| count < *min) {
                    out.push((at.clone(), ProblemKind::TooFew { count, min }));
                }
                if let Some(item_schema) = schema.get("items") {
                    for (index, item) in items.iter().enumerate() {
                        self.check(item_schema, item, format!("{at}/{index}"), out);
                    }
                }
            }
            Value::Object(map) => self.check_object(schema, map, at, out),
            Value::Null | Value::Bool(_) => {}
        }
    }

    fn check_object(
        &self,
        schema: &'a Value,
        map: &Map<String, Value>,
        at: String,
        out: &mut Vec<(String, ProblemKind)>,
    ) {
        let properties = schema.get("properties").and_then(Value::as_object);
        let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
        let count = map.len() as u64;
        let number = |key: &str| schema.get(key).and_then(Value::as_u64);
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !map.contains_key(name) {
                out.push((at.clone(), ProblemKind::MissingField(name.to_string())));
            }
        }
        if let Some(max) = number("maxProperties").filter(|max| count > *max) {
            out.push((
                at.clone(),
                ProblemKind::TooManyFields {
                    found: map.keys().cloned().collect(),
                    max,
                },
            ));
        } else if let Some(min) = number("minProperties").filter(|min| count < *min) {
            out.push((at.clone(), ProblemKind::TooFewFields { min }));
        }
        for (key, item) in map {
            let child = format!("{at}/{}", escape(key));
            match properties.and_then(|p| p.get(key)) {
                Some(sub) => self.check(sub, item, child, out),
                None if closed => out.push((
                    child,
                    ProblemKind::UnknownField {
                        expected: properties
                            .map(|p| p.keys().cloned().collect())
                            .unwrap_or_default(),
                    },
                )),
                None => {}
            }
        }
    }
}
