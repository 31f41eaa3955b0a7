//! `-o jsonpath=TEMPLATE`: the subset of kubectl's JSONPath that lessons and students use —
//! `{.a.b}`, `{.items[0].x}`, `{.items[*].metadata.name}`, `{range .items[*]}…{end}`, and
//! quoted literals such as `{"\n"}`.

use crate::error::KubectlError;
use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
enum Part {
    Text(String),
    Path(Vec<Step>),
    Range(Vec<Step>, Vec<Part>),
}

#[derive(Clone, Debug, PartialEq)]
enum Step {
    Field(String),
    Index(i64),
    All,
}

/// Renders `template` against `value` as kubectl does (several results are space-separated).
pub fn render(template: &str, value: &Value) -> Result<String, KubectlError> {
    let template = template.trim_matches('\'');
    let mut tokens = tokenize(template)?.into_iter();
    let parts = parse(&mut tokens, false)?;
    let mut out = String::new();
    emit(&parts, value, &mut out)?;
    Ok(out)
}

/// kubectl's `RelaxedJSONPathExpression` (`--for=jsonpath=…`, `custom-columns`): `a.b`,
/// `.a.b`, `{a.b}` and `{.a.b}` all become `{.a.b}`; an empty expression stays empty.
pub fn relaxed(expression: &str) -> Result<String, KubectlError> {
    if expression.is_empty() {
        return Ok(String::new());
    }
    let inner = match expression.strip_prefix('{') {
        Some(rest) => rest.strip_suffix('}'),
        None => Some(expression),
    };
    let spec = inner.map(|i| i.strip_prefix('.').unwrap_or(i));
    match spec {
        Some(spec) if !spec.is_empty() && !spec.contains(['{', '}']) => Ok(format!("{{.{spec}}}")),
        _ => Err(KubectlError::plain(
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
        )),
    }
}

/// The values one `{path}` expression leads to from `value` (missing keys give none).
pub fn find(expression: &str, value: &Value) -> Result<Vec<Value>, KubectlError> {
    let mut tokens = tokenize(expression)?.into_iter();
    let parts = parse(&mut tokens, false)?;
    let mut found = Vec::new();
    for part in &parts {
        match part {
            Part::Path(steps) => found.extend(select(value, steps).into_iter().cloned()),
            Part::Text(text) => found.push(Value::String(text.clone())),
            Part::Range(..) => {}
        }
    }
    Ok(found)
}

/// A value as Go's `fmt.Sprint` prints what JSON decoding made of it (`<nil>` for null).
pub fn go_sprint(value: &Value) -> String {
    match value {
        Value::Null => "<nil>".to_string(),
        other => scalar(other),
    }
}

enum Token {
    Text(String),
    Expr(String),
}

fn tokenize(template: &str) -> Result<Vec<Token>, KubectlError> {
    let mut tokens = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            tokens.push(Token::Text(rest[..open].to_string()));
        }
        let Some(close) = rest[open..].find('}') else {
            return Err(KubectlError::plain(format!(
                "error parsing jsonpath {template}, unclosed action"
            )));
        };
        tokens.push(Token::Expr(rest[open + 1..open + close].trim().to_string()));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        tokens.push(Token::Text(rest.to_string()));
    }
    Ok(tokens)
}

fn parse(
    tokens: &mut impl Iterator<Item = Token>,
    in_range: bool,
) -> Result<Vec<Part>, KubectlError> {
    let mut parts = Vec::new();
    while let Some(token) = tokens.next() {
        match token {
            Token::Text(text) => parts.push(Part::Text(text)),
            Token::Expr(expr) if expr == "end" => {
                return if in_range {
                    Ok(parts)
                } else {
                    Err(KubectlError::plain(
                        "error parsing jsonpath, not in range, nothing to end",
                    ))
                };
            }
            Token::Expr(expr) => {
                if let Some(literal) = expr.strip_prefix('"').and_then(|e| e.strip_suffix('"')) {
                    parts.push(Part::Text(
                        literal.replace("\\n", "\n").replace("\\t", "\t"),
                    ));
                } else if let Some(path) = expr.strip_prefix("range ") {
                    let body = parse(tokens, true)?;
                    parts.push(Part::Range(path_steps(path.trim())?, body));
                } else {
                    parts.push(Part::Path(path_steps(&expr)?));
                }
            }
        }
    }
    Ok(parts)
}

fn path_steps(path: &str) -> Result<Vec<Step>, KubectlError> {
    let bad = || {
        KubectlError::plain(format!(
            "error parsing jsonpath {{{path}}}, unrecognized character"
        ))
    };
    let path = path.strip_prefix('$').unwrap_or(path);
    let mut steps = Vec::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                let mut name = String::new();
                while let Some(&n) = chars.peek() {
                    if n == '.' || n == '[' {
                        break;
                    }
                    name.push(n);
                    chars.next();
                }
                if !name.is_empty() {
                    steps.push(Step::Field(name));
                }
            }
            '[' => {
                let mut inner = String::new();
                for n in chars.by_ref() {
                    if n == ']' {
                        break;
                    }
                    inner.push(n);
                }
                match inner.trim() {
                    "*" => steps.push(Step::All),
                    quoted if quoted.starts_with('\'') => {
                        steps.push(Step::Field(quoted.trim_matches('\'').to_string()))
                    }
                    number => steps.push(Step::Index(number.parse().map_err(|_| bad())?)),
                }
            }
            _ => return Err(bad()),
        }
    }
    Ok(steps)
}

/// Every value `steps` leads to from `value`.
fn select<'a>(value: &'a Value, steps: &[Step]) -> Vec<&'a Value> {
    let mut current = vec![value];
    for step in steps {
        let mut next = Vec::new();
        for v in current {
            match (step, v) {
                (Step::Field(name), Value::Object(map)) => next.extend(map.get(name)),
                (Step::Index(i), Value::Array(items)) => {
                    let index = if *i < 0 { items.len() as i64 + i } else { *i };
                    next.extend(usize::try_from(index).ok().and_then(|i| items.get(i)));
                }
                (Step::All, Value::Array(items)) => next.extend(items.iter()),
                (Step::All, Value::Object(map)) => next.extend(map.values()),
                _ => {}
            }
        }
        current = next;
    }
    current
}

fn emit(parts: &[Part], value: &Value, out: &mut String) -> Result<(), KubectlError> {
    for part in parts {
        match part {
            Part::Text(text) => out.push_str(text),
            Part::Path(steps) => {
                let found = select(value, steps);
                let rendered: Vec<String> = found.iter().map(|v| scalar(v)).collect();
                out.push_str(&rendered.join(" "));
            }
            Part::Range(steps, body) => {
                for item in select(value, steps) {
                    emit(body, item, out)?;
                }
            }
        }
    }
    Ok(())
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
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
