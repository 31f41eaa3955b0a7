//! The Kubernetes JSONPath templates a web metric's `jsonPath` is written in
//! (`k8s.io/client-go/util/jsonpath`), for the forms metrics use: `{$}`, `{$.data.ok}`,
//! `{.data.ok}`, `{$.items[0].value}`, `{$['key']}`, `{$.items[*].value}` and `{$.items[-1]}`.
//! Filters, ranges, unions and recursive descent are reported as not evaluated by the lab.

use serde_json::Value;

/// One step of a path.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    Field(String),
    Index(i64),
    Wildcard,
}

/// A parsed `{…}` template.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonPath {
    steps: Vec<Step>,
}

impl JsonPath {
    /// `jsonpath.Parse`: the template must be one `{…}` expression.
    pub fn parse(template: &str) -> Result<JsonPath, String> {
        let inner = template
            .trim()
            .strip_prefix('{')
            .and_then(|t| t.strip_suffix('}'))
            .ok_or_else(|| {
                format!("the lab evaluates a jsonPath of the form {{$.field}}, not {template:?}")
            })?;
        let inner = inner.trim();
        let mut rest = inner.strip_prefix('$').unwrap_or(inner);
        let mut steps = Vec::new();
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix("..") {
                let _ = after;
                return Err(unsupported("recursive descent (..)"));
            }
            if let Some(after) = rest.strip_prefix('.') {
                let end = after.find(['.', '[']).unwrap_or(after.len());
                let name = &after[..end];
                if name.is_empty() {
                    if after.is_empty() {
                        break;
                    }
                    return Err(format!("invalid field name in {template}"));
                }
                if name == "*" {
                    steps.push(Step::Wildcard);
                } else {
                    steps.push(Step::Field(name.to_string()));
                }
                rest = &after[end..];
                continue;
            }
            if let Some(after) = rest.strip_prefix('[') {
                let end = after
                    .find(']')
                    .ok_or_else(|| format!("unclosed array expect ] in {template}"))?;
                let inside = after[..end].trim();
                rest = &after[end + 1..];
                if inside == "*" {
                    steps.push(Step::Wildcard);
                } else if let Some(key) = inside
                    .strip_prefix('\'')
                    .and_then(|k| k.strip_suffix('\''))
                    .or_else(|| inside.strip_prefix('"').and_then(|k| k.strip_suffix('"')))
                {
                    steps.push(Step::Field(key.to_string()));
                } else if let Ok(index) = inside.parse::<i64>() {
                    steps.push(Step::Index(index));
                } else if inside.starts_with('?') {
                    return Err(unsupported("filters ([?(…)])"));
                } else {
                    return Err(unsupported(&format!("the subscript [{inside}]")));
                }
                continue;
            }
            return Err(unsupported(&format!("the expression {inner:?}")));
        }
        Ok(JsonPath { steps })
    }

    /// `FindResults`: every value the path reaches, in document order.
    pub fn find<'a>(&self, data: &'a Value) -> Result<Vec<&'a Value>, String> {
        let mut current = vec![data];
        for step in &self.steps {
            let mut next = Vec::new();
            for value in current {
                match step {
                    Step::Field(name) => match value {
                        Value::Object(map) => match map.get(name) {
                            Some(v) => next.push(v),
                            None => return Err(format!("{name} is not found")),
                        },
                        _ => return Err(format!("{name} is not found")),
                    },
                    Step::Index(index) => match value {
                        Value::Array(items) => {
                            let len = items.len() as i64;
                            let i = if *index < 0 { len + index } else { *index };
                            match usize::try_from(i).ok().and_then(|i| items.get(i)) {
                                Some(v) => next.push(v),
                                None => {
                                    return Err(format!(
                                        "array index out of bounds: index {index}, length {len}"
                                    ))
                                }
                            }
                        }
                        other => {
                            return Err(format!("object {} is not array or slice", go_kind(other)))
                        }
                    },
                    Step::Wildcard => match value {
                        Value::Array(items) => next.extend(items.iter()),
                        Value::Object(map) => next.extend(map.values()),
                        _ => {}
                    },
                }
            }
            current = next;
        }
        Ok(current)
    }
}

fn go_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(_) => "float64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

fn unsupported(what: &str) -> String {
    format!("the lab's JSONPath does not evaluate {what}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(path: &str, data: &str) -> Result<Vec<Value>, String> {
        let data: Value = serde_json::from_str(data).unwrap();
        let path = JsonPath::parse(path)?;
        Ok(path.find(&data)?.into_iter().cloned().collect())
    }

    #[test]
    fn the_forms_web_metrics_use_are_found() {
        let body = r#"{"data": {"ok": true, "items": [{"v": 1}, {"v": 2}]}}"#;
        assert_eq!(find("{$.data.ok}", body), Ok(vec![Value::Bool(true)]));
        assert_eq!(find("{.data.ok}", body), Ok(vec![Value::Bool(true)]));
        assert_eq!(find("{$['data']['ok']}", body), Ok(vec![Value::Bool(true)]));
        assert_eq!(find("{$.data.items[1].v}", body), Ok(vec![Value::from(2)]));
        assert_eq!(find("{$.data.items[-1].v}", body), Ok(vec![Value::from(2)]));
        assert_eq!(
            find("{$.data.items[*].v}", body),
            Ok(vec![Value::from(1), Value::from(2)])
        );
        assert_eq!(find("{$}", "3").unwrap(), vec![Value::from(3)]);
        assert_eq!(find("{$.data.nope}", body), Err("nope is not found".into()));
        assert!(find("{$..v}", body).is_err());
    }
}
