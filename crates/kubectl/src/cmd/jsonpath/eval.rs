//! client-go's `util/jsonpath/jsonpath.go`: a parsed template walked over a decoded object.
//! Go walks `reflect.Value`s; an [`Item`] is one, with the Go type it would have (a
//! template's number is an `int`, the object's an `int64`), since errors and comparisons
//! name or depend on it.

use super::node::{Filter, Node, Param};
use rollout_sim::api::go;
use serde_json::Value;

/// One value a step leads to.
#[derive(Clone, Debug)]
pub enum Item<'a> {
    Json(&'a Value),
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A byte of a string a wildcard or `..` went through (Go indexes strings by byte).
    Byte(u8),
    /// What a range with no results walks its body with (`reflect.ValueOf(nil)`).
    Invalid,
}

/// An evaluation error, and what the failing step returned with it (a filter's existence
/// test counts those values).
#[derive(Debug)]
pub struct Failure<'a> {
    pub partial: Vec<Item<'a>>,
    pub message: String,
}

type Step<'a> = Result<Vec<Item<'a>>, Failure<'a>>;

fn fail<'a>(partial: Vec<Item<'a>>, message: impl Into<String>) -> Failure<'a> {
    Failure {
        partial,
        message: message.into(),
    }
}

/// Ranges inside ranges beyond this, and more values than this in one evaluation, are
/// refused: upstream would go on, but the page must not freeze on `{range ..}` twenty deep.
const MAX_RANGE_DEPTH: usize = 100;
const MAX_VALUES: usize = 2_000_000;

/// upstream's `JSONPath` during one `FindResults`: the range bookkeeping and the options.
pub struct Walk {
    allow_missing_keys: bool,
    begin_range: usize,
    in_range: usize,
    end_range: usize,
    /// Where the last `{end}` was, as an index into the template's nodes.
    last_end: Option<usize>,
    values: usize,
}

impl Walk {
    pub fn new(allow_missing_keys: bool) -> Walk {
        Walk {
            allow_missing_keys,
            begin_range: 0,
            in_range: 0,
            end_range: 0,
            last_end: None,
            values: 0,
        }
    }

    /// upstream's `FindResults`: one list of values per action; a `{range}` evaluates the
    /// nodes after it once per value, up to its `{end}`.
    pub fn find_results<'a>(
        &mut self,
        data: Item<'a>,
        nodes: &[Node],
        offset: usize,
        depth: usize,
    ) -> Result<Vec<Vec<Item<'a>>>, String> {
        let current = [data];
        let mut full = Vec::new();
        let mut i = 0;
        while i < nodes.len() {
            let results = self.walk(&current, &nodes[i]).map_err(|f| f.message)?;
            if self.end_range > 0 && self.end_range <= self.in_range {
                self.end_range -= 1;
                self.last_end = Some(offset + i);
                break;
            }
            if self.begin_range > 0 {
                self.begin_range -= 1;
                self.in_range += 1;
                if depth >= MAX_RANGE_DEPTH {
                    return Err("ranges nested too deeply".into());
                }
                let body = &nodes[i + 1..];
                if results.is_empty() {
                    // Walked all the same, so that the matching end is found.
                    self.find_results(Item::Invalid, body, offset + i + 1, depth + 1)?;
                }
                for value in results {
                    let inner = self.find_results(value, body, offset + i + 1, depth + 1)?;
                    full.extend(inner);
                }
                self.in_range -= 1;
                // Resume after the body's end, if it had one.
                if let Some(end) = self.last_end.filter(|&e| e > offset + i) {
                    if end < offset + nodes.len() {
                        i = end - offset;
                    }
                }
                i += 1;
                continue;
            }
            full.push(results);
            i += 1;
        }
        Ok(full)
    }

    fn walk<'a>(&mut self, input: &[Item<'a>], node: &Node) -> Step<'a> {
        let results = match node {
            Node::List(nodes) => self.eval_list(input, nodes),
            Node::Text(text) => Ok(vec![Item::Text(text.clone())]),
            Node::Field(name) => self.eval_field(input, name),
            Node::Array(params) => eval_array(input, params),
            Node::Filter(filter) => self.eval_filter(input, filter),
            Node::Int(i) => Ok(vec![Item::Int(*i); input.len()]),
            Node::Float(f) => Ok(vec![Item::Float(*f); input.len()]),
            Node::Bool(b) => Ok(vec![Item::Bool(*b); input.len()]),
            Node::Wildcard => Ok(input.iter().flat_map(children).collect()),
            Node::Recursive => {
                let mut found = Vec::new();
                self.recursive(input, &mut found, 0)?;
                Ok(found)
            }
            Node::Union(members) => self.eval_union(input, members),
            Node::Identifier(name) => self.eval_identifier(input, name),
        }?;
        self.values = self.values.saturating_add(results.len());
        if self.values > MAX_VALUES {
            return Err(fail(Vec::new(), "jsonpath leads to too many values"));
        }
        Ok(results)
    }

    fn eval_list<'a>(&mut self, input: &[Item<'a>], nodes: &[Node]) -> Step<'a> {
        let mut current = input.to_vec();
        for node in nodes {
            current = self.walk(&current, node)?;
        }
        Ok(current)
    }

    fn eval_identifier<'a>(&mut self, input: &[Item<'a>], name: &str) -> Step<'a> {
        match name {
            "range" => {
                self.begin_range += 1;
                Ok(input.to_vec())
            }
            "end" if self.in_range > 0 => {
                self.end_range += 1;
                Ok(Vec::new())
            }
            "end" => Err(fail(Vec::new(), "not in range, nothing to end")),
            other => Err(fail(
                input.to_vec(),
                format!("unrecognized identifier {other}"),
            )),
        }
    }

    /// A map's key; anything else has none. No value at all is an error only when missing
    /// keys are not allowed (`kubectl get -o jsonpath` allows them).
    fn eval_field<'a>(&mut self, input: &[Item<'a>], name: &str) -> Step<'a> {
        let results: Vec<Item<'a>> = input
            .iter()
            .filter_map(|item| match item {
                Item::Json(Value::Object(map)) => map.get(name).map(Item::Json),
                _ => None,
            })
            .collect();
        if results.is_empty() && !input.is_empty() && !self.allow_missing_keys {
            return Err(fail(Vec::new(), format!("{name} is not found")));
        }
        Ok(results)
    }

    fn eval_union<'a>(&mut self, input: &[Item<'a>], members: &[Vec<Node>]) -> Step<'a> {
        let mut results = Vec::new();
        for member in members {
            match self.eval_list(input, member) {
                Ok(found) => results.extend(found),
                Err(f) => return Err(fail(input.to_vec(), f.message)),
            }
        }
        Ok(results)
    }

    /// `..`: every value with children, each before its children.
    fn recursive<'a>(
        &mut self,
        input: &[Item<'a>],
        found: &mut Vec<Item<'a>>,
        depth: usize,
    ) -> Result<(), Failure<'a>> {
        for item in input {
            let inner = children(item);
            if !inner.is_empty() {
                found.push(item.clone());
                if found.len() > MAX_VALUES || depth > MAX_RANGE_DEPTH * 4 {
                    return Err(fail(Vec::new(), "jsonpath leads to too many values"));
                }
                self.recursive(&inner, found, depth + 1)?;
            }
        }
        Ok(())
    }

    /// `[?(…)]`: the items of each array for which the test holds.
    fn eval_filter<'a>(&mut self, input: &[Item<'a>], filter: &Filter) -> Step<'a> {
        let mut results = Vec::new();
        for value in input {
            let items = match value {
                Item::Json(Value::Array(items)) => items,
                other => {
                    return Err(fail(
                        input.to_vec(),
                        format!(
                            "{} is not array or slice and cannot be filtered",
                            sprint(other)
                        ),
                    ))
                }
            };
            for item in items {
                let one = [Item::Json(item)];
                let lefts = self.eval_list(&one, &filter.left);
                if filter.operator == "exists" {
                    let found = match &lefts {
                        Ok(found) => !found.is_empty(),
                        Err(f) => !f.partial.is_empty(),
                    };
                    if found {
                        results.push(Item::Json(item));
                    }
                    continue;
                }
                let Some(left) = single(lefts.map_err(|f| fail(input.to_vec(), f.message))?)?
                else {
                    continue;
                };
                let rights = self.eval_list(&one, &filter.right);
                let Some(right) = single(rights.map_err(|f| fail(input.to_vec(), f.message))?)?
                else {
                    continue;
                };
                let pass = compare(&filter.operator, &left, &right)
                    .map_err(|message| fail(results.clone(), message))?;
                if pass {
                    results.push(Item::Json(item));
                }
            }
        }
        Ok(results)
    }
}

/// The one value a filter's side must lead to (none skips the item).
fn single(values: Vec<Item<'_>>) -> Result<Option<Item<'_>>, Failure<'_>> {
    match values.len() {
        0 => Ok(None),
        1 => Ok(values.into_iter().next()),
        _ => Err(fail(Vec::new(), "can only compare one element at a time")),
    }
}

/// `[start:end:step]` over each array, with upstream's bounds: an index past either end is
/// an error, a slice asking for nothing (`[2:2]`) is empty.
fn eval_array<'a>(input: &[Item<'a>], params: &[Param; 3]) -> Step<'a> {
    let mut results = Vec::new();
    for value in input {
        let items = match value {
            Item::Json(Value::Array(items)) => items,
            Item::Json(Value::Null) | Item::Invalid => continue,
            other => {
                return Err(fail(
                    input.to_vec(),
                    format!("{} is not array or slice", go_type(other)),
                ))
            }
        };
        let len = items.len() as i64;
        let [mut start, mut end, step] = *params;
        if !start.known {
            start.value = 0;
        }
        if start.value < 0 {
            start.value = start.value.wrapping_add(len);
        }
        if !end.known {
            end.value = len;
        }
        if end.value < 0 || (end.value == 0 && end.derived) {
            end.value = end.value.wrapping_add(len);
        }
        if end.value == start.value {
            // Upstream returns here, whatever other arrays are left.
            return Ok(results);
        }
        if start.value >= len || start.value < 0 {
            return Err(fail(
                input.to_vec(),
                format!(
                    "array index out of bounds: index {}, length {len}",
                    start.value
                ),
            ));
        }
        if end.value > len || end.value < 0 {
            return Err(fail(
                input.to_vec(),
                format!(
                    "array index out of bounds: index {}, length {len}",
                    end.value.wrapping_sub(1)
                ),
            ));
        }
        if start.value > end.value {
            return Err(fail(
                input.to_vec(),
                format!(
                    "starting index {} is greater than ending index {}",
                    start.value, end.value
                ),
            ));
        }
        let step = if step.known {
            if step.value <= 0 {
                return Err(fail(input.to_vec(), "step must be > 0"));
            }
            usize::try_from(step.value).unwrap_or(usize::MAX)
        } else {
            1
        };
        // Both bounds were checked against the length above.
        let slice = &items[start.value as usize..end.value as usize];
        results.extend(slice.iter().step_by(step).map(Item::Json));
    }
    Ok(results)
}

/// What a wildcard reads: a map's values, an array's items, a string's bytes.
fn children<'a>(item: &Item<'a>) -> Vec<Item<'a>> {
    match item {
        Item::Json(Value::Object(map)) => map.values().map(Item::Json).collect(),
        Item::Json(Value::Array(items)) => items.iter().map(Item::Json).collect(),
        Item::Json(Value::String(s)) => s.bytes().map(Item::Byte).collect(),
        Item::Text(s) => s.bytes().map(Item::Byte).collect(),
        _ => Vec::new(),
    }
}

/// The Go type upstream names in "… is not array or slice".
fn go_type(item: &Item<'_>) -> &'static str {
    match item {
        Item::Json(Value::Object(_)) => "map[string]interface {}",
        Item::Json(Value::Array(_)) => "[]interface {}",
        Item::Json(Value::String(_)) | Item::Text(_) => "string",
        Item::Json(Value::Number(n)) if n.is_f64() => "float64",
        Item::Json(Value::Number(_)) => "int64",
        Item::Json(Value::Bool(_)) | Item::Bool(_) => "bool",
        Item::Json(Value::Null) | Item::Invalid => "<nil>",
        Item::Int(_) => "int",
        Item::Float(_) => "float64",
        Item::Byte(_) => "uint8",
    }
}

/// `%v` of a value.
fn sprint(item: &Item<'_>) -> String {
    match item {
        Item::Json(value) => go::sprint(value),
        Item::Text(s) => s.clone(),
        Item::Int(i) => i.to_string(),
        Item::Float(f) => go::format_float(*f),
        Item::Bool(b) => b.to_string(),
        Item::Byte(b) => b.to_string(),
        Item::Invalid => "<invalid reflect.Value>".to_string(),
    }
}

/// upstream's `evalToText` and `PrintResults`: maps and arrays as JSON, the rest as `%v`
/// (strings raw, `null` for a JSON null).
pub fn to_text(item: &Item<'_>) -> String {
    match item {
        Item::Json(value @ (Value::Object(_) | Value::Array(_))) => {
            rollout_sim::manifest::go_json::marshal_unstructured(value)
        }
        Item::Json(Value::Null) => "null".to_string(),
        Item::Invalid => "<no value>".to_string(),
        other => sprint(other),
    }
}

/// The kinds Go's template comparisons tell apart (`basicKind`).
#[derive(PartialEq, PartialOrd)]
enum Basic<'v> {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'v str),
}

fn basic<'v>(item: &'v Item<'_>) -> Result<Basic<'v>, String> {
    Ok(match item {
        Item::Json(Value::Bool(b)) | Item::Bool(b) => Basic::Bool(*b),
        Item::Json(Value::String(s)) => Basic::Str(s),
        Item::Text(s) => Basic::Str(s),
        Item::Json(Value::Number(n)) => match n.as_i64() {
            Some(i) => Basic::Int(i),
            None => Basic::Float(n.as_f64().unwrap_or(0.0)),
        },
        Item::Int(i) => Basic::Int(*i),
        Item::Byte(b) => Basic::Int(i64::from(*b)),
        Item::Float(f) => Basic::Float(*f),
        Item::Json(_) | Item::Invalid => return Err("invalid type for comparison".into()),
    })
}

/// The forked `text/template` comparisons: both sides of one basic kind, else an error.
fn compare(operator: &str, left: &Item<'_>, right: &Item<'_>) -> Result<bool, String> {
    if !matches!(operator, "==" | "!=" | "<" | "<=" | ">" | ">=") {
        return Err(format!("unrecognized filter operator {operator}"));
    }
    let (a, b) = (basic(left)?, basic(right)?);
    if std::mem::discriminant(&a) != std::mem::discriminant(&b) {
        return Err("incompatible types for comparison".into());
    }
    let ordered = || match a {
        Basic::Bool(_) => Err("invalid type for comparison".to_string()),
        _ => Ok(a < b),
    };
    match operator {
        "==" => Ok(a == b),
        "!=" => Ok(a != b),
        "<" => ordered(),
        "<=" => Ok(ordered()? || a == b),
        ">" => Ok(!(ordered()? || a == b)),
        _ /* ">=" */ => Ok(!ordered()?),
    }
}
