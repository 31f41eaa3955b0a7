//! `-o go-template=TEMPLATE`: the part of Go's text/template that scripts use with kubectl —
//! fields (`{{.metadata.name}}`, `{{.}}`), string literals (`{{"\n"}}`), and
//! `{{range .items}}…{{end}}` — over the object as JSON, with Go's words for what it refuses.
//! A missing key prints `<no value>`, as Go prints it for a map.

use crate::error::KubectlError;
use rollout_sim::api::go;
use serde_json::Value;

#[derive(Debug, PartialEq)]
enum Node {
    Text(String),
    /// `.a.b` (empty: the dot itself).
    Field(Vec<String>),
    Literal(String),
    Range(Vec<String>, Vec<Node>),
}

/// Renders `template` against `value`, or kubectl's error for a template it cannot parse.
pub fn render(template: &str, value: &Value) -> Result<String, KubectlError> {
    if template.is_empty() {
        return Err(KubectlError::plain(
            "template format specified but no template given",
        ));
    }
    let parse_error = |why: String| {
        KubectlError::plain(format!(
            "error parsing template {template}, template: output:1: {why}"
        ))
    };
    let mut actions = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        if open > 0 {
            actions.push((false, &rest[..open]));
        }
        let Some(close) = rest[open..].find("}}") else {
            return Err(parse_error("unclosed action".into()));
        };
        actions.push((true, rest[open + 2..open + close].trim()));
        rest = &rest[open + close + 2..];
    }
    if !rest.is_empty() {
        actions.push((false, rest));
    }
    let mut actions = actions.into_iter();
    let nodes = parse(&mut actions, false).map_err(parse_error)?;
    let mut out = String::new();
    execute(&nodes, value, &mut out);
    Ok(out)
}

fn parse<'a>(
    actions: &mut impl Iterator<Item = (bool, &'a str)>,
    in_range: bool,
) -> Result<Vec<Node>, String> {
    let mut nodes = Vec::new();
    while let Some((is_action, text)) = actions.next() {
        if !is_action {
            nodes.push(Node::Text(text.to_string()));
            continue;
        }
        if text == "end" {
            return if in_range {
                Ok(nodes)
            } else {
                Err("unexpected {{end}}".into())
            };
        }
        if let Some(pipeline) = text.strip_prefix("range") {
            let body = parse(actions, true)?;
            nodes.push(Node::Range(field(pipeline.trim())?, body));
            continue;
        }
        if let Some(literal) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
            nodes.push(Node::Literal(unquote(literal)));
            continue;
        }
        nodes.push(Node::Field(field(text)?));
    }
    if in_range {
        return Err("unexpected EOF".into());
    }
    Ok(nodes)
}

/// `.a.b` as its keys; anything else is a function Go's templates would have to know.
fn field(text: &str) -> Result<Vec<String>, String> {
    match text.strip_prefix('.') {
        Some("") => Ok(Vec::new()),
        Some(path) if !path.contains(char::is_whitespace) => {
            Ok(path.split('.').map(str::to_string).collect())
        }
        _ => {
            let name = text.split_whitespace().next().unwrap_or(text);
            Err(format!("function {name:?} not defined"))
        }
    }
}

fn unquote(literal: &str) -> String {
    let mut out = String::new();
    let mut chars = literal.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            },
            (c, false) => out.push(c),
        }
    }
    out
}

fn lookup<'a>(value: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, key| v.get(key.as_str()))
}

fn execute(nodes: &[Node], value: &Value, out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(text) | Node::Literal(text) => out.push_str(text),
            Node::Field(path) => match lookup(value, path) {
                Some(found) => out.push_str(&go::sprint(found)),
                None => out.push_str("<no value>"),
            },
            Node::Range(path, body) => match lookup(value, path) {
                Some(Value::Array(items)) => {
                    for item in items {
                        execute(body, item, out);
                    }
                }
                Some(Value::Object(map)) => {
                    for item in map.values() {
                        execute(body, item, out);
                    }
                }
                _ => {}
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn fields_literals_and_ranges_render_as_go_templates_do() {
        let list = json!({"kind": "List", "items": [
            {"metadata": {"name": "a"}, "spec": {"replicas": 4}},
            {"metadata": {"name": "b"}, "spec": {"replicas": 2}}
        ]});
        let render = |t: &str| super::render(t, &list).unwrap();
        assert_eq!(render("{{.kind}}"), "List");
        assert_eq!(
            render("{{range .items}}{{.metadata.name}}:{{.spec.replicas}}{{\"\\n\"}}{{end}}"),
            "a:4\nb:2\n"
        );
        assert_eq!(render("{{range.items}}{{.metadata.name}} {{end}}"), "a b ");
        assert_eq!(render("{{.nope}}"), "<no value>");
    }

    #[test]
    fn broken_templates_are_gos_errors() {
        let error = |t: &str| super::render(t, &json!({})).unwrap_err().to_string();
        assert_eq!(
            error("{{.metadata.name"),
            "error: error parsing template {{.metadata.name, template: output:1: unclosed action"
        );
        assert_eq!(
            error(""),
            "error: template format specified but no template given"
        );
        assert!(error("{{range .items}}x").ends_with("unexpected EOF"));
        assert!(error("{{end}}").ends_with("unexpected {{end}}"));
        assert!(error("{{foo}}").ends_with("function \"foo\" not defined"));
    }
}
