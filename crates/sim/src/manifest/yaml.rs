//! YAML text → JSON values, the way kubectl 1.30 does it.
//!
//! kubectl splits a file into documents line by line (apimachinery's `YAMLReader`: a line that
//! is `---` plus only whitespace ends a document), then turns each document into JSON with
//! `sigs.k8s.io/yaml`, which decodes it with go-yaml v2 (YAML 1.1 scalars: `yes`, `on`, `0755`
//! are a bool and an octal int) and marshals the result with `encoding/json`. Line numbers in
//! syntax errors therefore count from the start of the *document*, not the file.

use super::libyaml::{Event, Parser, ScalarStyle, SyntaxError};
use serde_json::{Map, Number, Value};
use std::collections::HashMap;

/// Why a document could not become JSON; `detail` is what follows
/// `error converting YAML to JSON: ` in kubectl's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConversionError {
    pub detail: String,
    /// The 1-based line (within the document) go-yaml named, if any.
    pub line: Option<usize>,
}

impl From<SyntaxError> for ConversionError {
    fn from(err: SyntaxError) -> Self {
        ConversionError {
            detail: err.go_message(),
            line: err.line,
        }
    }
}

/// Splits a stream into documents like apimachinery's `YAMLReader` (kubectl ≤1.31): a line
/// starting with `---` followed only by whitespace separates documents and is dropped.
/// Empty documents are dropped too.
pub fn split_documents(text: &str) -> Vec<String> {
    let mut documents = Vec::new();
    let mut buffer = String::new();
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("---") {
            if rest.trim_end().is_empty() {
                if !buffer.is_empty() {
                    documents.push(std::mem::take(&mut buffer));
                }
                continue;
            }
        }
        buffer.push_str(line);
    }
    if !buffer.is_empty() {
        documents.push(buffer);
    }
    documents
}

/// One YAML node as go-yaml's parser builds it.
#[derive(Clone, Debug)]
enum Node {
    Scalar {
        value: String,
        style: ScalarStyle,
        tag: Option<String>,
    },
    Sequence(Vec<Node>),
    Mapping(Vec<(Node, Node)>),
}

/// Aliases are expanded by copying; this bound keeps "billion laughs" documents from eating
/// the page's memory (go-yaml has a similar guard with the same message).
const MAX_NODES: usize = 200_000;

/// Converts one document to JSON. `Ok(None)` for a document that is empty, only comments, or
/// `null` — kubectl skips those.
pub fn document_to_json(document: &str) -> Result<Option<Value>, ConversionError> {
    let Some(root) = parse_first_document(document)? else {
        return Ok(None);
    };
    let value = to_json(&root)?;
    Ok(if value.is_null() { None } else { Some(value) })
}

/// Where each value of a document is written: its JSON pointer (RFC 6901: `/steps/0/title`)
/// and the 1-based line of its key (or, for a list item, of the item). A checker of decoded
/// values names lines with it. Aliases are not followed; after a syntax error the map
/// stops where the parser did (the error itself comes from [`document_to_json`]).
pub fn value_lines(document: &str) -> Vec<(String, usize)> {
    /// An open mapping or sequence: its pointer and where its next child goes.
    enum Open {
        Mapping {
            pointer: String,
            key: Option<String>,
        },
        Sequence {
            pointer: String,
            next: usize,
        },
    }
    let mut parser = Parser::new(document);
    let mut open: Vec<Open> = Vec::new();
    let mut lines = Vec::new();
    while let Ok(event) = parser.next_event() {
        let line = parser.last_line() + 1;
        match event {
            Event::MappingEnd | Event::SequenceEnd => {
                open.pop();
                continue;
            }
            Event::DocumentEnd | Event::StreamEnd => break,
            Event::StreamStart | Event::DocumentStart => continue,
            _ => {}
        }
        // The pointer of the node this event starts.
        let pointer = match open.last_mut() {
            None => String::new(),
            Some(Open::Sequence { pointer, next }) => {
                let item = format!("{pointer}/{next}");
                *next += 1;
                lines.push((item.clone(), line));
                item
            }
            Some(Open::Mapping { pointer, key }) => match key.take() {
                Some(key) => format!("{pointer}/{key}"),
                None => {
                    // A key: its value is named by it, on the key's line.
                    let name = match &event {
                        Event::Scalar { value, .. } => value.replace('~', "~0").replace('/', "~1"),
                        _ => "?".to_string(),
                    };
                    lines.push((format!("{pointer}/{name}"), line));
                    *key = Some(name);
                    "?".to_string()
                }
            },
        };
        match event {
            Event::MappingStart { .. } => open.push(Open::Mapping { pointer, key: None }),
            Event::SequenceStart { .. } => open.push(Open::Sequence { pointer, next: 0 }),
            _ => {}
        }
    }
    lines
}

struct Builder {
    parser: Parser,
    anchors: HashMap<String, Node>,
    nodes: usize,
    depth: usize,
}

/// Nesting bound: real manifests nest a dozen levels; a pasted `[[[[…` a hundred thousand
/// deep would otherwise overflow the page's stack in the recursive steps that follow.
const MAX_DEPTH: usize = 100;

fn parse_first_document(document: &str) -> Result<Option<Node>, ConversionError> {
    let mut builder = Builder {
        parser: Parser::new(document),
        anchors: HashMap::new(),
        nodes: 0,
        depth: 0,
    };
    loop {
        match builder.parser.next_event()? {
            Event::StreamStart => continue,
            Event::StreamEnd => return Ok(None),
            Event::DocumentStart => {
                let first = builder.parser.next_event()?;
                if matches!(first, Event::DocumentEnd) {
                    return Ok(None);
                }
                return builder.node(first).map(Some);
            }
            _ => return Ok(None),
        }
    }
}

impl Builder {
    fn count(&mut self) -> Result<(), ConversionError> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(ConversionError {
                detail: "yaml: document contains excessive aliasing".into(),
                line: None,
            });
        }
        Ok(())
    }

    fn remember(&mut self, anchor: Option<String>, node: &Node) {
        if let Some(anchor) = anchor {
            self.anchors.insert(anchor, node.clone());
        }
    }

    fn node(&mut self, event: Event) -> Result<Node, ConversionError> {
        self.count()?;
        let opens = matches!(
            event,
            Event::SequenceStart { .. } | Event::MappingStart { .. }
        );
        if opens {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err(ConversionError {
                    detail: format!("yaml: exceeded max depth of {MAX_DEPTH}"),
                    line: None,
                });
            }
        }
        let node = self.node_inner(event);
        if opens {
            self.depth -= 1;
        }
        node
    }

    fn node_inner(&mut self, event: Event) -> Result<Node, ConversionError> {
        match event {
            Event::Scalar {
                anchor,
                tag,
                value,
                style,
            } => {
                let node = Node::Scalar { value, style, tag };
                self.remember(anchor, &node);
                Ok(node)
            }
            Event::Alias { anchor } => match self.anchors.get(&anchor) {
                Some(node) => {
                    let node = node.clone();
                    self.nodes += size(&node);
                    self.count()?;
                    Ok(node)
                }
                None => Err(ConversionError {
                    detail: format!("yaml: unknown anchor '{anchor}' referenced"),
                    line: None,
                }),
            },
            Event::SequenceStart { anchor } => {
                let mut items = Vec::new();
                loop {
                    let event = self.parser.next_event()?;
                    if matches!(event, Event::SequenceEnd) {
                        break;
                    }
                    items.push(self.node(event)?);
                }
                let node = Node::Sequence(items);
                self.remember(anchor, &node);
                Ok(node)
            }
            Event::MappingStart { anchor } => {
                let mut pairs = Vec::new();
                loop {
                    let event = self.parser.next_event()?;
                    if matches!(event, Event::MappingEnd) {
                        break;
                    }
                    let key = self.node(event)?;
                    let value_event = self.parser.next_event()?;
                    let value = self.node(value_event)?;
                    pairs.push((key, value));
                }
                let node = Node::Mapping(pairs);
                self.remember(anchor, &node);
                Ok(node)
            }
            _ => Err(ConversionError {
                detail: "yaml: unknown problem parsing YAML content".into(),
                line: None,
            }),
        }
    }
}

fn size(node: &Node) -> usize {
    match node {
        Node::Scalar { .. } => 1,
        Node::Sequence(items) => 1 + items.iter().map(size).sum::<usize>(),
        Node::Mapping(pairs) => 1 + pairs.iter().map(|(k, v)| size(k) + size(v)).sum::<usize>(),
    }
}

/// A scalar after go-yaml v2's resolution.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
}

const STR_TAGS: [&str; 4] = [
    "!!str",
    "tag:yaml.org,2002:str",
    "!!binary",
    "tag:yaml.org,2002:binary",
];

fn scalar_value(value: &str, style: ScalarStyle, tag: Option<&str>) -> Scalar {
    let explicit_str = tag.is_some_and(|t| STR_TAGS.contains(&t));
    let custom_tag = tag.is_some_and(|t| !t.starts_with("!!") && !t.starts_with("tag:yaml.org"));
    if style != ScalarStyle::Plain && tag.is_none() || explicit_str || custom_tag {
        return Scalar::Str(value.to_string());
    }
    resolve(value)
}

/// go-yaml v2's `resolve` for an untagged plain scalar (YAML 1.1 flavoured).
pub fn resolve(text: &str) -> Scalar {
    match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Scalar::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Scalar::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => return Scalar::Null,
        ".nan" | ".NaN" | ".NAN" => return Scalar::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Scalar::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Scalar::Float(f64::NEG_INFINITY),
        _ => {}
    }
    let Some(&first) = text.as_bytes().first() else {
        return Scalar::Null;
    };
    match first {
        b'.' => {
            if let Some(f) = go_parse_float(text) {
                return Scalar::Float(f);
            }
        }
        b'0'..=b'9' | b'+' | b'-' => {
            let plain: String = text.chars().filter(|c| *c != '_').collect();
            if let Some(i) = go_parse_int(&plain) {
                return Scalar::Int(i);
            }
            if let Some(u) = go_parse_uint(&plain) {
                return Scalar::Uint(u);
            }
            if is_yaml_style_float(&plain) {
                if let Ok(f) = plain.parse::<f64>() {
                    return Scalar::Float(f);
                }
            }
            if let Some(bits) = plain.strip_prefix("0b") {
                if let Ok(i) = i64::from_str_radix(bits, 2) {
                    return Scalar::Int(i);
                }
            } else if let Some(bits) = plain.strip_prefix("-0b") {
                if let Ok(i) = i64::from_str_radix(bits, 2) {
                    return Scalar::Int(-i);
                }
            }
        }
        _ => {}
    }
    Scalar::Str(text.to_string())
}

/// `strconv.ParseInt(s, 0, 64)`: optional sign, then `0x`, `0o`, `0b`, leading-`0` octal or
/// decimal.
fn go_parse_int(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let magnitude = parse_unsigned_base0(digits)?;
    if negative {
        if magnitude <= i64::MAX as u64 + 1 {
            Some((magnitude as i64).wrapping_neg())
        } else {
            None
        }
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// `strconv.ParseUint(s, 0, 64)`: no sign allowed.
fn go_parse_uint(text: &str) -> Option<u64> {
    parse_unsigned_base0(text)
}

fn parse_unsigned_base0(digits: &str) -> Option<u64> {
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    let lower = digits.to_ascii_lowercase();
    let (radix, body) = if let Some(hex) = lower.strip_prefix("0x") {
        (16, hex)
    } else if let Some(oct) = lower.strip_prefix("0o") {
        (8, oct)
    } else if let Some(bin) = lower.strip_prefix("0b") {
        (2, bin)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if body.is_empty() || body.starts_with(['+', '-']) {
        return None;
    }
    u64::from_str_radix(body, radix).ok()
}

/// go-yaml's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    if i < bytes.len() && (bytes[i] == b'-' || bytes[i] == b'+') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < bytes.len() && bytes[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < bytes.len() && bytes[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        i += 1;
        if i < bytes.len() && (bytes[i] == b'-' || bytes[i] == b'+') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == bytes.len()
}

/// `strconv.ParseFloat` for the texts go-yaml hands it (those starting with `.`).
fn go_parse_float(text: &str) -> Option<f64> {
    if text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
    {
        text.parse().ok()
    } else {
        None
    }
}

fn to_json(node: &Node) -> Result<Value, ConversionError> {
    match node {
        Node::Scalar { value, style, tag } => {
            scalar_to_json(scalar_value(value, *style, tag.as_deref()))
        }
        Node::Sequence(items) => Ok(Value::Array(
            items.iter().map(to_json).collect::<Result<_, _>>()?,
        )),
        Node::Mapping(pairs) => {
            let mut map = Map::new();
            merge_pairs(pairs, &mut map)?;
            Ok(Value::Object(map))
        }
    }
}

fn merge_pairs(
    pairs: &[(Node, Node)],
    map: &mut Map<String, Value>,
) -> Result<(), ConversionError> {
    for (key, value) in pairs {
        if let Node::Scalar {
            value: text,
            style: ScalarStyle::Plain,
            tag: None,
        } = key
        {
            if text == "<<" {
                merge(value, map)?;
                continue;
            }
        }
        let key = key_string(key, value)?;
        map.insert(key, to_json(value)?);
    }
    Ok(())
}

/// A `<<: *anchor` merge key: the merged mapping's keys, then later keys override.
fn merge(value: &Node, map: &mut Map<String, Value>) -> Result<(), ConversionError> {
    let failure = || ConversionError {
        detail: "yaml: map merge requires map or sequence of maps as the value".into(),
        line: None,
    };
    match value {
        Node::Mapping(pairs) => merge_pairs(pairs, map),
        Node::Sequence(items) => {
            for item in items.iter().rev() {
                match item {
                    Node::Mapping(pairs) => merge_pairs(pairs, map)?,
                    _ => return Err(failure()),
                }
            }
            Ok(())
        }
        _ => Err(failure()),
    }
}

/// `sigs.k8s.io/yaml` turns non-string keys into strings: ints in decimal, floats in `%g`
/// (32-bit precision), bools as `true`/`false`.
fn key_string(key: &Node, value: &Node) -> Result<String, ConversionError> {
    let unsupported = |kind: &str, shown: &str| ConversionError {
        detail: format!(
            "unsupported map key of type: {kind}, key: {shown}, value: {}",
            go_sharp_value(value)
        ),
        line: None,
    };
    match key {
        Node::Scalar {
            value: text,
            style,
            tag,
        } => match scalar_value(text, *style, tag.as_deref()) {
            Scalar::Str(s) => Ok(s),
            Scalar::Int(i) => Ok(i.to_string()),
            Scalar::Uint(u) => Ok(u.to_string()),
            Scalar::Bool(b) => Ok(b.to_string()),
            Scalar::Float(f) => Ok(if f.is_nan() {
                ".nan".into()
            } else if f.is_infinite() {
                if f > 0.0 {
                    ".inf".into()
                } else {
                    "-.inf".into()
                }
            } else {
                format!("{}", f as f32)
            }),
            Scalar::Null => Err(unsupported("%!s(<nil>)", "<nil>")),
        },
        Node::Sequence(_) => Err(unsupported("[]interface {}", "[]interface {}{...}")),
        Node::Mapping(_) => Err(unsupported(
            "map[interface {}]interface {}",
            "map[interface {}]interface {}{...}",
        )),
    }
}

fn go_sharp_value(node: &Node) -> String {
    match node {
        Node::Scalar { value, style, tag } => match scalar_value(value, *style, tag.as_deref()) {
            Scalar::Str(s) => crate::api::go_quote(&s),
            Scalar::Null => "<nil>".into(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Uint(u) => format!("0x{u:x}"),
            Scalar::Float(f) => f.to_string(),
        },
        Node::Sequence(_) => "[]interface {}{...}".into(),
        Node::Mapping(_) => "map[interface {}]interface {}{...}".into(),
    }
}

fn scalar_to_json(scalar: Scalar) -> Result<Value, ConversionError> {
    Ok(match scalar {
        Scalar::Null => Value::Null,
        Scalar::Bool(b) => Value::Bool(b),
        Scalar::Int(i) => Value::Number(i.into()),
        Scalar::Uint(u) => Value::Number(u.into()),
        Scalar::Str(s) => Value::String(s),
        Scalar::Float(f) => {
            if !f.is_finite() {
                let shown = if f.is_nan() {
                    "NaN"
                } else if f > 0.0 {
                    "+Inf"
                } else {
                    "-Inf"
                };
                return Err(ConversionError {
                    detail: format!("json: unsupported value: {shown}"),
                    line: None,
                });
            }
            // encoding/json writes 3.0 as `3`; the API server then reads an integer.
            if f.fract() == 0.0 && f.abs() < 1e15 {
                Value::Number((f as i64).into())
            } else {
                Number::from_f64(f)
                    .map(Value::Number)
                    .unwrap_or(Value::Null)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(yaml: &str, expected: Value) {
        assert_eq!(document_to_json(yaml), Ok(Some(expected)), "{yaml}");
    }

    #[test]
    fn plain_scalars_resolve_like_go_yaml_v2() {
        check(
            "a: yes\nb: off\nc: 0755\nd: 0x1F\ne: 1_000\nf: 1.0\ng: '80'\nh: ~\ni: v1.0\nj: 25%\nk: 1e3\n",
            json!({"a": true, "b": false, "c": 493, "d": 31, "e": 1000, "f": 1, "g": "80",
                   "h": null, "i": "v1.0", "j": "25%", "k": 1000}),
        );
    }

    #[test]
    fn a_hash_without_a_space_before_it_is_part_of_the_value() {
        check(
            "maxUnavailable: 0#comment\n",
            json!({"maxUnavailable": "0#comment"}),
        );
        check("maxUnavailable: 0 #comment\n", json!({"maxUnavailable": 0}));
    }

    #[test]
    fn anchors_aliases_and_merge_keys_expand() {
        check(
            "base: &b {app: demo, tier: web}\nlabels:\n  <<: *b\n  tier: api\n",
            json!({"base": {"app": "demo", "tier": "web"}, "labels": {"app": "demo", "tier": "api"}}),
        );
    }

    #[test]
    fn non_string_keys_become_strings() {
        check("80: http\ntrue: x\n", json!({"80": "http", "true": "x"}));
    }

    #[test]
    fn documents_split_only_on_bare_separators() {
        let docs = split_documents("# c\n---\na: 1\n---   \n\n--- # x\nb: 2\n---\n");
        assert_eq!(docs, vec!["# c\n", "a: 1\n", "\n--- # x\nb: 2\n"]);
    }

    #[test]
    fn infinity_cannot_become_json() {
        let err = document_to_json("a: .inf\n").unwrap_err();
        assert_eq!(err.detail, "json: unsupported value: +Inf");
    }

    #[test]
    fn absurd_nesting_is_an_error_not_a_stack_overflow() {
        let deep = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let err = document_to_json(&deep).unwrap_err();
        assert_eq!(err.detail, "yaml: exceeded max depth of 100");
    }

    #[test]
    fn empty_and_comment_only_documents_are_nothing() {
        assert_eq!(document_to_json(""), Ok(None));
        assert_eq!(document_to_json("# only a comment\n"), Ok(None));
        assert_eq!(document_to_json("null\n"), Ok(None));
    }

    #[test]
    fn value_lines_name_each_key_and_item_by_its_line() {
        let doc =
            "id: a\nsteps:\n  - title: x\n    check:\n      - pods: {ready: 2}\n  - title: y\n";
        let lines = value_lines(doc);
        let line = |p: &str| lines.iter().find(|(q, _)| q == p).map(|(_, l)| *l);
        assert_eq!(line("/id"), Some(1));
        assert_eq!(line("/steps"), Some(2));
        assert_eq!(line("/steps/0"), Some(3));
        assert_eq!(line("/steps/0/check/0/pods/ready"), Some(5));
        assert_eq!(line("/steps/1/title"), Some(6));
    }
}
