//! `utils/evaluate`: a metric's `successCondition` and `failureCondition`, evaluated over the
//! measured `result`.
//!
//! Upstream compiles them with [expr](https://expr-lang.org) v1.15 against an environment of
//! `result` and six helpers (`asInt`, `asFloat`, `isNaN`, `isInf`, `isNil`, `default`), runs
//! the program, and wants a `bool`. This module is the subset of expr that conditions are
//! written in, with expr's own three stages and their messages:
//!
//! 1. **lexing and parsing**: literals (`1`, `0.95`, `1e3`, `"s"`, `'s'`, `true`, `nil`),
//!    `result`, member access (`result.ok`, `result[0]`, `result?.ok`), calls, unary `!`
//!    `not` `-` `+`, binary `||` `or` `&&` `and` `==` `!=` `<` `<=` `>` `>=` `in` `not in`
//!    `contains` `startsWith` `endsWith` `+` `-` `*` `/` `%` `**` `^` `??`, the conditional
//!    `a ? b : c`, array literals, and the predicates `all` `any` `none` `one` `filter` `map`
//!    `count` with closures (`all(result, {# < 1000})`, `.field` for `#.field`);
//! 2. **type checking**: expr checks a program against the types of its environment, so
//!    `result == "x"` with a numeric `result` is `invalid operation: == (mismatched types
//!    float64 and string)` before anything runs;
//! 3. **running**: `reflect: slice index out of range` for `result[0]` of an empty vector,
//!    `interface conversion: interface {} is nil, not bool`, the helpers' panics.
//!
//! Messages are expr's `file.Error.Message` without position or snippet: Argo unwraps them.
//! Everything else expr has (map literals, slices, pipes, `let`, `matches`, the other
//! builtins such as `sum` or `now`) is an honest error naming what the lab does not evaluate.
//!
//! The helpers keep upstream's quirks: `isNil(x)` and `default(x, d)` look at `result`, not
//! at `x`.

use crate::objects::{AnalysisPhase, Metric};
use std::collections::BTreeMap;
use std::fmt;

/// A value as expr sees it: what a provider measured (`result`) or what an expression
/// computes. Go's types matter for messages, so integers keep whether they are `int` (expr's
/// literals) or `int64` (`asInt`), and arrays whether they are `[]float64` (Prometheus) or
/// `[]interface {}` (JSON).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Nil,
    Bool(bool),
    Int(i64),
    Int64(i64),
    Float(f64),
    String(String),
    /// `[]float64`.
    Floats(Vec<f64>),
    /// `[]interface {}`.
    Array(Vec<Value>),
    /// `map[string]interface {}`.
    Map(BTreeMap<String, Value>),
}

impl Value {
    /// What Go's `encoding/json` decodes into `any`: numbers are `float64`.
    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Nil,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => {
                Value::Array(items.iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(map) => Value::Map(
                map.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// Go's `%T`.
    fn go_type(&self) -> &'static str {
        match self {
            Value::Nil => "<nil>",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Int64(_) => "int64",
            Value::Float(_) => "float64",
            Value::String(_) => "string",
            Value::Floats(_) => "[]float64",
            Value::Array(_) => "[]interface {}",
            Value::Map(_) => "map[string]interface {}",
        }
    }

    /// The static type expr's checker gives a value in the environment.
    fn type_of(&self) -> Type {
        match self {
            Value::Nil => Type::Nil,
            Value::Bool(_) => Type::Bool,
            Value::Int(_) => Type::Int,
            Value::Int64(_) => Type::Int64,
            Value::Float(_) => Type::Float,
            Value::String(_) => Type::String,
            Value::Floats(_) => Type::Array(Box::new(Type::Float)),
            Value::Array(_) => Type::Array(Box::new(Type::Any)),
            Value::Map(_) => Type::Map(Box::new(Type::Any)),
        }
    }

    fn number(&self) -> Option<f64> {
        match self {
            Value::Int(n) | Value::Int64(n) => Some(*n as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    fn integer(&self) -> Option<i64> {
        match self {
            Value::Int(n) | Value::Int64(n) => Some(*n),
            _ => None,
        }
    }

    /// `runtime.IsNil`.
    fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// Go's `%v`.
    fn go_display(&self) -> String {
        match self {
            Value::Nil => "<nil>".into(),
            Value::Bool(b) => b.to_string(),
            Value::Int(n) | Value::Int64(n) => n.to_string(),
            Value::Float(f) => go_float(*f),
            Value::String(s) => s.clone(),
            Value::Floats(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(|f| go_float(*f))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            Value::Array(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(Value::go_display)
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            Value::Map(map) => format!(
                "map[{}]",
                map.iter()
                    .map(|(k, v)| format!("{k}:{}", v.go_display()))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        }
    }
}

/// Go's `%v` of a float64 (`strconv.FormatFloat(f, 'g', -1, 64)` with Go's exponent form).
fn go_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let exp = if f == 0.0 {
        0
    } else {
        f.abs().log10().floor() as i32
    };
    if !(-4..21).contains(&exp) {
        let text = format!("{f:e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let exponent: i32 = exponent.parse().unwrap_or(0);
        let sign = if exponent < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exponent.abs());
    }
    format!("{f}")
}

/// `EvaluateResult`: Successful, Failed or Inconclusive from the two conditions, or Error
/// with the evaluation's message.
pub fn evaluate_result(result: &Value, metric: &Metric) -> Result<AnalysisPhase, String> {
    let mut success = false;
    let mut failure = false;
    if !metric.success_condition.is_empty() {
        success = eval_condition(result, &metric.success_condition)?;
    }
    if !metric.failure_condition.is_empty() {
        failure = eval_condition(result, &metric.failure_condition)?;
    }
    match (
        metric.success_condition.is_empty(),
        metric.failure_condition.is_empty(),
    ) {
        (true, true) => return Ok(AnalysisPhase::Successful),
        // Without a failure condition, not succeeding is failing.
        (false, true) => failure = !success,
        // Without a success condition, not failing is succeeding.
        (true, false) => success = !failure,
        (false, false) => {}
    }
    Ok(if failure {
        AnalysisPhase::Failed
    } else if !success {
        AnalysisPhase::Inconclusive
    } else {
        AnalysisPhase::Successful
    })
}

/// `EvalCondition`: compiles `condition` against `result` and the helpers, runs it, and
/// wants a boolean.
pub fn eval_condition(result: &Value, condition: &str) -> Result<bool, String> {
    let tokens = lex(condition)?;
    let node = Parser::new(tokens).parse()?;
    let env = Env { result };
    env.check(&node, &mut Vec::new())?;
    match env.run(&node, &mut Vec::new())? {
        Value::Bool(b) => Ok(b),
        other => Err(format!("expected bool, but got {}", other.go_type())),
    }
}

// ---------------------------------------------------------------------------------------
// Lexer

#[derive(Clone, Debug, PartialEq)]
enum TokenKind {
    Identifier,
    Number,
    Str,
    Operator,
    Bracket,
    Eof,
}

#[derive(Clone, Debug, PartialEq)]
struct Token {
    kind: TokenKind,
    value: String,
}

impl fmt::Display for Token {
    /// `Kind("value")`, or the bare kind for an empty value (expr's `Token.String`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            TokenKind::Identifier => "Identifier",
            TokenKind::Number => "Number",
            TokenKind::Str => "String",
            TokenKind::Operator => "Operator",
            TokenKind::Bracket => "Bracket",
            TokenKind::Eof => "EOF",
        };
        if self.value.is_empty() {
            f.write_str(kind)
        } else {
            write!(f, "{kind}({})", crate::strconv::quote(&self.value))
        }
    }
}

fn is_alphanumeric(c: char) -> bool {
    c == '_' || c == '$' || c.is_alphanumeric()
}

fn lex(source: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let push = |tokens: &mut Vec<Token>, kind: TokenKind, value: String| {
        tokens.push(Token { kind, value });
    };
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '\'' || c == '"' {
            let (text, next) = lex_string(&chars, i)?;
            push(&mut tokens, TokenKind::Str, text);
            i = next;
            continue;
        }
        if c == '`' {
            let end = chars[i + 1..]
                .iter()
                .position(|&d| d == '`')
                .ok_or("literal not terminated")?;
            push(
                &mut tokens,
                TokenKind::Str,
                chars[i + 1..i + 1 + end].iter().collect(),
            );
            i += end + 2;
            continue;
        }
        if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let next = lex_number(&chars, i)?;
            push(
                &mut tokens,
                TokenKind::Number,
                chars[i..next].iter().collect(),
            );
            i = next;
            continue;
        }
        if is_alphanumeric(c) {
            let start = i;
            while i < chars.len() && is_alphanumeric(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            match word.as_str() {
                "not" => {
                    // `not in`, `not contains`, … are one operator.
                    let mut j = i;
                    while j < chars.len() && chars[j].is_whitespace() {
                        j += 1;
                    }
                    let start_next = j;
                    while j < chars.len() && is_alphanumeric(chars[j]) {
                        j += 1;
                    }
                    let next: String = chars[start_next..j].iter().collect();
                    push(&mut tokens, TokenKind::Operator, "not".into());
                    if matches!(
                        next.as_str(),
                        "in" | "matches" | "contains" | "startsWith" | "endsWith"
                    ) {
                        push(&mut tokens, TokenKind::Operator, next);
                        i = j;
                    }
                }
                "in" | "or" | "and" | "matches" | "contains" | "startsWith" | "endsWith"
                | "let" => push(&mut tokens, TokenKind::Operator, word),
                _ => push(&mut tokens, TokenKind::Identifier, word),
            }
            continue;
        }
        let next = chars.get(i + 1).copied();
        let (op, len) = match (c, next) {
            ('?', Some('.')) => ("?.", 2),
            ('?', Some('?')) => ("??", 2),
            ('?', _) => ("?", 1),
            ('|', Some('|')) => ("||", 2),
            ('|', _) => ("|", 1),
            ('&', Some('&')) => ("&&", 2),
            ('=', Some('=')) => ("==", 2),
            ('!', Some('=')) => ("!=", 2),
            ('<', Some('=')) => ("<=", 2),
            ('>', Some('=')) => (">=", 2),
            ('*', Some('*')) => ("**", 2),
            ('.', Some('.')) => ("..", 2),
            ('/', Some('/')) => {
                // A comment to the end of the line.
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            ('(' | '[' | '{' | ')' | ']' | '}', _) => {
                push(&mut tokens, TokenKind::Bracket, c.to_string());
                i += 1;
                continue;
            }
            (
                ',' | ':' | ';' | '%' | '+' | '-' | '^' | '&' | '!' | '=' | '*' | '<' | '>' | '.'
                | '/' | '#',
                _,
            ) => (&source[char_offset(source, i)..][..c.len_utf8()], 1),
            _ => return Err(format!("unrecognized character: U+{:04X} '{c}'", c as u32)),
        };
        push(&mut tokens, TokenKind::Operator, op.to_string());
        i += len;
    }
    tokens.push(Token {
        kind: TokenKind::Eof,
        value: String::new(),
    });
    Ok(tokens)
}

fn char_offset(source: &str, index: usize) -> usize {
    source
        .char_indices()
        .nth(index)
        .map_or(source.len(), |(offset, _)| offset)
}

fn lex_number(chars: &[char], start: usize) -> Result<usize, String> {
    let mut i = start;
    let digits = |c: char| c.is_ascii_digit() || c == '_';
    let hex = chars.get(i) == Some(&'0') && matches!(chars.get(i + 1), Some('x' | 'X'));
    if hex {
        i += 2;
        while i < chars.len() && (chars[i].is_ascii_hexdigit() || chars[i] == '_') {
            i += 1;
        }
    } else {
        while i < chars.len() && digits(chars[i]) {
            i += 1;
        }
        if chars.get(i) == Some(&'.') && chars.get(i + 1) != Some(&'.') {
            i += 1;
            while i < chars.len() && digits(chars[i]) {
                i += 1;
            }
        }
        if matches!(chars.get(i), Some('e' | 'E')) {
            i += 1;
            if matches!(chars.get(i), Some('+' | '-')) {
                i += 1;
            }
            while i < chars.len() && digits(chars[i]) {
                i += 1;
            }
        }
    }
    if chars.get(i).is_some_and(|&c| is_alphanumeric(c)) {
        let word: String = chars[start..=i].iter().collect();
        return Err(format!(
            "bad number syntax: {}",
            crate::strconv::quote(&word)
        ));
    }
    Ok(i)
}

fn lex_string(chars: &[char], start: usize) -> Result<(String, usize), String> {
    let quote = chars[start];
    let mut i = start + 1;
    let mut text = String::new();
    loop {
        let Some(&c) = chars.get(i) else {
            return Err("literal not terminated".into());
        };
        if c == '\n' {
            return Err("literal not terminated".into());
        }
        if c == quote {
            return Ok((text, i + 1));
        }
        if c == '\\' {
            let escaped = chars.get(i + 1).copied().ok_or("literal not terminated")?;
            i += 2;
            match escaped {
                'n' => text.push('\n'),
                't' => text.push('\t'),
                'r' => text.push('\r'),
                'a' => text.push('\u{7}'),
                'b' => text.push('\u{8}'),
                'f' => text.push('\u{c}'),
                'v' => text.push('\u{b}'),
                '\\' => text.push('\\'),
                '\'' => text.push('\''),
                '"' => text.push('"'),
                'u' | 'x' | 'U' => {
                    let len = match escaped {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let hex: String = chars.get(i..i + len).unwrap_or(&[]).iter().collect();
                    let code = u32::from_str_radix(&hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or("invalid char escape")?;
                    text.push(code);
                    i += len;
                }
                _ => return Err("invalid char escape".into()),
            }
            continue;
        }
        text.push(c);
        i += 1;
    }
}

// ---------------------------------------------------------------------------------------
// Parser

#[derive(Clone, Debug, PartialEq)]
enum Node {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Identifier(String),
    /// `#` (or `.field`'s receiver) inside a closure.
    Pointer,
    Member {
        base: Box<Node>,
        property: Box<Node>,
        optional: bool,
    },
    Call {
        name: String,
        arguments: Vec<Node>,
    },
    /// `len` and the predicates over arrays.
    Builtin {
        name: String,
        arguments: Vec<Node>,
    },
    Closure(Box<Node>),
    Unary {
        operator: String,
        node: Box<Node>,
    },
    Binary {
        operator: String,
        left: Box<Node>,
        right: Box<Node>,
    },
    Conditional {
        condition: Box<Node>,
        then: Box<Node>,
        otherwise: Box<Node>,
    },
    Array(Vec<Node>),
}

/// expr's binary operators: precedence and whether they bind to the right.
fn binary_operator(op: &str) -> Option<(u16, bool)> {
    Some(match op {
        "|" => (0, false),
        "or" | "||" => (10, false),
        "and" | "&&" => (15, false),
        "==" | "!=" | "<" | ">" | ">=" | "<=" | "in" | "matches" | "contains" | "startsWith"
        | "endsWith" => (20, false),
        ".." => (25, false),
        "+" | "-" => (30, false),
        "*" | "/" | "%" => (60, false),
        "**" | "^" => (100, true),
        "??" => (500, false),
        _ => return None,
    })
}

fn unary_operator(op: &str) -> Option<u16> {
    Some(match op {
        "not" | "!" => 50,
        "-" | "+" => 90,
        _ => return None,
    })
}

const PREDICATES: &[&str] = &["all", "none", "any", "one", "filter", "map", "count"];

/// What the lab's evaluator leaves to a real Argo Rollouts.
fn unsupported(what: &str) -> String {
    format!("the lab does not evaluate {what} (Argo Rollouts' expr does); use the subset in the analysis README")
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    /// Inside a closure: `#` and `.field` are allowed.
    depth: usize,
}

impl Parser {
    fn new(tokens: Vec<Token>) -> Parser {
        Parser {
            tokens,
            pos: 0,
            depth: 0,
        }
    }

    fn current(&self) -> &Token {
        // The lexer always ends the list with EOF; `pos` never passes it.
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }

    fn is(&self, kind: TokenKind, value: &str) -> bool {
        let token = self.current();
        token.kind == kind && token.value == value
    }

    fn next(&mut self) -> Result<(), String> {
        if self.pos + 1 >= self.tokens.len() {
            return Err("unexpected end of expression".into());
        }
        self.pos += 1;
        Ok(())
    }

    fn expect(&mut self, kind: TokenKind, value: &str) -> Result<(), String> {
        if self.is(kind, value) {
            self.next()
        } else {
            Err(format!("unexpected token {}", self.current()))
        }
    }

    fn parse(mut self) -> Result<Node, String> {
        let node = self.expression(0)?;
        if self.current().kind != TokenKind::Eof {
            return Err(format!("unexpected token {}", self.current()));
        }
        Ok(node)
    }

    fn expression(&mut self, precedence: u16) -> Result<Node, String> {
        if precedence == 0 && self.is(TokenKind::Operator, "let") {
            return Err(unsupported("variables (let)"));
        }
        let mut left = self.primary()?;
        loop {
            let token = self.current().clone();
            if token.kind != TokenKind::Operator {
                break;
            }
            let mut negate = false;
            let mut op = token.value.clone();
            if op == "not" {
                // `not in` and friends; a lone `not` here is a syntax error below.
                let following = self.tokens.get(self.pos + 1).cloned();
                match following {
                    Some(t)
                        if t.kind == TokenKind::Operator && binary_operator(&t.value).is_some() =>
                    {
                        negate = true;
                        op = t.value;
                    }
                    _ => break,
                }
            }
            let Some((op_precedence, right_assoc)) = binary_operator(&op) else {
                break;
            };
            if op_precedence < precedence {
                break;
            }
            if negate {
                self.next()?;
            }
            self.next()?;
            match op.as_str() {
                "|" => return Err(unsupported("pipes (|)")),
                ".." => return Err(unsupported("ranges (..)")),
                "matches" => return Err(unsupported("regular expressions (matches)")),
                _ => {}
            }
            let right = if right_assoc {
                self.expression(op_precedence)?
            } else {
                self.expression(op_precedence + 1)?
            };
            left = Node::Binary {
                operator: op,
                left: Box::new(left),
                right: Box::new(right),
            };
            if negate {
                left = Node::Unary {
                    operator: "not".into(),
                    node: Box::new(left),
                };
            }
        }
        if precedence == 0 {
            while self.is(TokenKind::Operator, "?") {
                self.next()?;
                let (then, otherwise) = if self.is(TokenKind::Operator, ":") {
                    self.next()?;
                    (left.clone(), self.expression(0)?)
                } else {
                    let then = self.expression(0)?;
                    self.expect(TokenKind::Operator, ":")?;
                    (then, self.expression(0)?)
                };
                left = Node::Conditional {
                    condition: Box::new(left),
                    then: Box::new(then),
                    otherwise: Box::new(otherwise),
                };
            }
        }
        Ok(left)
    }

    fn primary(&mut self) -> Result<Node, String> {
        let token = self.current().clone();
        if token.kind == TokenKind::Operator {
            if let Some(precedence) = unary_operator(&token.value) {
                self.next()?;
                let node = self.expression(precedence)?;
                let node = Node::Unary {
                    operator: token.value,
                    node: Box::new(node),
                };
                return self.postfix(node);
            }
            if token.value == "#" || token.value == "." {
                if self.depth == 0 {
                    return Err("cannot use pointer accessor outside closure".into());
                }
                if token.value == "#" {
                    self.next()?;
                    if self.current().kind == TokenKind::Identifier {
                        return Err(unsupported("named closure pointers (#name)"));
                    }
                    return self.postfix(Node::Pointer);
                }
                // `.field` is `#.field`.
                return self.postfix(Node::Pointer);
            }
        }
        if token.kind == TokenKind::Bracket && token.value == "(" {
            self.next()?;
            let node = self.expression(0)?;
            self.expect(TokenKind::Bracket, ")")?;
            return self.postfix(node);
        }
        self.secondary()
    }

    fn secondary(&mut self) -> Result<Node, String> {
        let token = self.current().clone();
        let node = match token.kind {
            TokenKind::Identifier => {
                self.next()?;
                match token.value.as_str() {
                    "true" => return Ok(Node::Bool(true)),
                    "false" => return Ok(Node::Bool(false)),
                    "nil" => return Ok(Node::Nil),
                    _ => self.call(token.value)?,
                }
            }
            TokenKind::Number => {
                self.next()?;
                return number_literal(&token.value);
            }
            TokenKind::Str => {
                self.next()?;
                return Ok(Node::Str(token.value));
            }
            TokenKind::Bracket if token.value == "[" => self.array()?,
            TokenKind::Bracket if token.value == "{" => {
                return Err(unsupported("map literals ({…})"))
            }
            _ => return Err(format!("unexpected token {token}")),
        };
        self.postfix(node)
    }

    fn call(&mut self, name: String) -> Result<Node, String> {
        if !self.is(TokenKind::Bracket, "(") {
            return Ok(Node::Identifier(name));
        }
        if PREDICATES.contains(&name.as_str()) {
            self.expect(TokenKind::Bracket, "(")?;
            let collection = self.expression(0)?;
            self.expect(TokenKind::Operator, ",")?;
            let closure = self.closure()?;
            self.expect(TokenKind::Bracket, ")")?;
            return Ok(Node::Builtin {
                name,
                arguments: vec![collection, closure],
            });
        }
        let arguments = self.arguments()?;
        if name == "len" {
            return Ok(Node::Builtin { name, arguments });
        }
        if EXPR_BUILTINS.contains(&name.as_str()) {
            return Err(unsupported(&format!("the builtin {name}()")));
        }
        Ok(Node::Call { name, arguments })
    }

    fn closure(&mut self) -> Result<Node, String> {
        let braces = self.is(TokenKind::Bracket, "{");
        if braces {
            self.next()?;
        }
        self.depth += 1;
        let node = self.expression(0)?;
        self.depth -= 1;
        if braces {
            self.expect(TokenKind::Bracket, "}")?;
        }
        Ok(Node::Closure(Box::new(node)))
    }

    fn arguments(&mut self) -> Result<Vec<Node>, String> {
        self.expect(TokenKind::Bracket, "(")?;
        let mut nodes = Vec::new();
        while !self.is(TokenKind::Bracket, ")") {
            if !nodes.is_empty() {
                self.expect(TokenKind::Operator, ",")?;
            }
            nodes.push(self.expression(0)?);
        }
        self.expect(TokenKind::Bracket, ")")?;
        Ok(nodes)
    }

    fn array(&mut self) -> Result<Node, String> {
        self.expect(TokenKind::Bracket, "[")?;
        let mut nodes = Vec::new();
        while !self.is(TokenKind::Bracket, "]") {
            if !nodes.is_empty() {
                self.expect(TokenKind::Operator, ",")?;
                if self.is(TokenKind::Bracket, "]") {
                    break;
                }
            }
            nodes.push(self.expression(0)?);
        }
        self.expect(TokenKind::Bracket, "]")?;
        Ok(Node::Array(nodes))
    }

    fn postfix(&mut self, mut node: Node) -> Result<Node, String> {
        loop {
            let token = self.current().clone();
            if token.kind == TokenKind::Operator && (token.value == "." || token.value == "?.") {
                self.next()?;
                let property = self.current().clone();
                self.next()?;
                let valid_name = property.kind == TokenKind::Identifier
                    || (property.kind == TokenKind::Operator
                        && property.value.chars().all(is_alphanumeric));
                if !valid_name {
                    return Err("expected name".into());
                }
                if self.is(TokenKind::Bracket, "(") {
                    return Err(unsupported("method calls"));
                }
                node = Node::Member {
                    base: Box::new(node),
                    property: Box::new(Node::Str(property.value)),
                    optional: token.value == "?.",
                };
            } else if token.kind == TokenKind::Bracket && token.value == "[" {
                self.next()?;
                if self.is(TokenKind::Operator, ":") {
                    return Err(unsupported("slices ([a:b])"));
                }
                let index = self.expression(0)?;
                if self.is(TokenKind::Operator, ":") {
                    return Err(unsupported("slices ([a:b])"));
                }
                self.expect(TokenKind::Bracket, "]")?;
                node = Node::Member {
                    base: Box::new(node),
                    property: Box::new(index),
                    optional: false,
                };
            } else {
                return Ok(node);
            }
        }
    }
}

/// expr v1.15's builtins other than `len` and the predicates: recognised so that a call is
/// reported as unsupported rather than as an unknown name.
const EXPR_BUILTINS: &[&str] = &[
    "find",
    "findIndex",
    "findLast",
    "findLastIndex",
    "groupBy",
    "reduce",
    "type",
    "abs",
    "ceil",
    "floor",
    "round",
    "int",
    "float",
    "string",
    "trim",
    "trimPrefix",
    "trimSuffix",
    "upper",
    "lower",
    "split",
    "splitAfter",
    "replace",
    "repeat",
    "join",
    "indexOf",
    "lastIndexOf",
    "hasPrefix",
    "hasSuffix",
    "max",
    "min",
    "sum",
    "mean",
    "median",
    "toJSON",
    "fromJSON",
    "toBase64",
    "fromBase64",
    "now",
    "duration",
    "date",
    "first",
    "last",
    "get",
    "take",
    "keys",
    "values",
    "toPairs",
    "fromPairs",
    "sort",
    "sortBy",
];

fn number_literal(text: &str) -> Result<Node, String> {
    let value = text.replace('_', "");
    if let Some(hex) = value
        .strip_prefix("0x")
        .or_else(|| value.strip_prefix("0X"))
    {
        return i64::from_str_radix(hex, 16)
            .map(Node::Int)
            .map_err(|_| "integer literal is too large".to_string());
    }
    if value.contains(['.', 'e', 'E']) {
        return value.parse::<f64>().map(Node::Float).map_err(|_| {
            format!(
                "invalid float literal: strconv.ParseFloat: parsing {}: invalid syntax",
                crate::strconv::quote(&value)
            )
        });
    }
    value
        .parse::<i64>()
        .map(Node::Int)
        .map_err(|_| "integer literal is too large".to_string())
}

// ---------------------------------------------------------------------------------------
// Types (expr's checker)

#[derive(Clone, Debug, PartialEq)]
enum Type {
    /// `reflect.TypeOf(nil)`: the type of a nil `result`, and of `nil` itself.
    Nil,
    Bool,
    Int,
    Int64,
    Float,
    String,
    Array(Box<Type>),
    Map(Box<Type>),
    /// `interface {}`: checked at run time.
    Any,
    Func(&'static Signature),
}

#[derive(Debug, PartialEq)]
struct Signature {
    name: &'static str,
    params: &'static [Type],
    out: Type,
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Nil => f.write_str("<nil>"),
            Type::Bool => f.write_str("bool"),
            Type::Int => f.write_str("int"),
            Type::Int64 => f.write_str("int64"),
            Type::Float => f.write_str("float64"),
            Type::String => f.write_str("string"),
            Type::Array(elem) => write!(f, "[]{elem}"),
            Type::Map(elem) => write!(f, "map[string]{elem}"),
            Type::Any => f.write_str("interface {}"),
            Type::Func(sig) => {
                let params: Vec<String> = sig.params.iter().map(Type::to_string).collect();
                write!(f, "func({}) {}", params.join(", "), sig.out)
            }
        }
    }
}

impl Type {
    fn is_any(&self) -> bool {
        *self == Type::Any
    }
    fn is_integer(&self) -> bool {
        matches!(self, Type::Int | Type::Int64)
    }
    fn is_number(&self) -> bool {
        matches!(self, Type::Int | Type::Int64 | Type::Float)
    }
    fn is_bool(&self) -> bool {
        *self == Type::Bool
    }
    fn is_string(&self) -> bool {
        *self == Type::String
    }
    fn is_array(&self) -> bool {
        matches!(self, Type::Array(_))
    }
    fn is_map(&self) -> bool {
        matches!(self, Type::Map(_))
    }
    /// `reflect.Kind` equality, for `isComparable`.
    fn same_kind(&self, other: &Type) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

/// `or(l, r, fns…)`: one side is `interface {}` and the other passes a test (or both are).
fn either_any(l: &Type, r: &Type, test: impl Fn(&Type) -> bool) -> bool {
    (l.is_any() && r.is_any()) || (l.is_any() && test(r)) || (r.is_any() && test(l))
}

/// `isComparable`.
fn comparable(l: &Type, r: &Type) -> bool {
    *l == Type::Nil
        || *r == Type::Nil
        || l.same_kind(r)
        || (l.is_number() && r.is_number())
        || l.is_any()
        || r.is_any()
}

/// `combined`: the type of an arithmetic result.
fn combined(l: &Type, r: &Type) -> Type {
    if l.same_kind(r) {
        l.clone()
    } else if *l == Type::Float || *r == Type::Float {
        Type::Float
    } else {
        Type::Int
    }
}

static AS_INT: Signature = Signature {
    name: "asInt",
    params: &[Type::Any],
    out: Type::Int64,
};
static AS_FLOAT: Signature = Signature {
    name: "asFloat",
    params: &[Type::Any],
    out: Type::Float,
};
static IS_NAN: Signature = Signature {
    name: "isNaN",
    params: &[Type::Float],
    out: Type::Bool,
};
static IS_INF: Signature = Signature {
    name: "isInf",
    params: &[Type::Float],
    out: Type::Bool,
};
static IS_NIL: Signature = Signature {
    name: "isNil",
    params: &[Type::Any],
    out: Type::Bool,
};
static DEFAULT: Signature = Signature {
    name: "default",
    params: &[Type::Any, Type::Any],
    out: Type::Any,
};

fn helper(name: &str) -> Option<&'static Signature> {
    [&AS_INT, &AS_FLOAT, &IS_NAN, &IS_INF, &IS_NIL, &DEFAULT]
        .into_iter()
        .find(|sig| sig.name == name)
}

/// The environment `EvalCondition` builds.
struct Env<'a> {
    result: &'a Value,
}

impl Env<'_> {
    /// The type of `node`, or the checker's first error. `scopes` holds the element type of
    /// each enclosing closure's collection.
    fn check(&self, node: &Node, scopes: &mut Vec<Type>) -> Result<Type, String> {
        Ok(match node {
            Node::Nil => Type::Nil,
            Node::Bool(_) => Type::Bool,
            Node::Int(_) => Type::Int,
            Node::Float(_) => Type::Float,
            Node::Str(_) => Type::String,
            Node::Identifier(name) => {
                if name == "result" {
                    self.result.type_of()
                } else if let Some(sig) = helper(name) {
                    Type::Func(sig)
                } else {
                    return Err(format!("unknown name {name}"));
                }
            }
            Node::Pointer => match scopes.last() {
                Some(elem) => elem.clone(),
                None => return Err("cannot use pointer accessor outside closure".into()),
            },
            Node::Member { base, property, .. } => {
                let base = self.check(base, scopes)?;
                let prop = self.check(property, scopes)?;
                let named = matches!(**property, Node::Str(_));
                match &base {
                    Type::Any => Type::Any,
                    Type::Map(elem) => {
                        if prop != Type::String && !prop.is_any() {
                            return Err(format!("cannot use {prop} to get an element from {base}"));
                        }
                        (**elem).clone()
                    }
                    Type::Array(elem) => {
                        if !prop.is_integer() && !prop.is_any() {
                            return Err(format!(
                                "array elements can only be selected using an integer (got {prop})"
                            ));
                        }
                        (**elem).clone()
                    }
                    Type::Nil if named => {
                        if let Node::Str(name) = &**property {
                            return Err(format!("type {base} has no field {name}"));
                        }
                        Type::Any
                    }
                    _ => return Err(format!("type {base}[{prop}] is undefined")),
                }
            }
            Node::Call { name, arguments } => {
                let Some(sig) = helper(name) else {
                    if name == "result" {
                        return Err(format!("{} is not callable", self.result.type_of()));
                    }
                    return Err(format!("unknown name {name}"));
                };
                if arguments.len() > sig.params.len() {
                    return Err(format!("too many arguments to call {name}"));
                }
                if arguments.len() < sig.params.len() {
                    return Err(format!("not enough arguments to call {name}"));
                }
                for (argument, param) in arguments.iter().zip(sig.params) {
                    let t = self.check(argument, scopes)?;
                    let int_literal_to_float =
                        *param == Type::Float && matches!(argument, Node::Int(_));
                    if int_literal_to_float || t == Type::Nil || param.is_any() || t.is_any() {
                        continue;
                    }
                    if t != *param {
                        return Err(format!(
                            "cannot use {t} as argument (type {param}) to call {name} "
                        ));
                    }
                }
                sig.out.clone()
            }
            Node::Builtin { name, arguments } if name == "len" => {
                if arguments.len() != 1 {
                    return Err(format!(
                        "invalid number of arguments (expected 1, got {})",
                        arguments.len()
                    ));
                }
                let t = self.check(&arguments[0], scopes)?;
                if !(t.is_array() || t.is_map() || t.is_string() || t.is_any()) {
                    return Err(format!("invalid argument for len (type {t})"));
                }
                Type::Int
            }
            Node::Builtin { name, arguments } => {
                let collection = self.check(&arguments[0], scopes)?;
                let elem = match &collection {
                    Type::Array(elem) => (**elem).clone(),
                    Type::Any => Type::Any,
                    other => return Err(format!("builtin {name} takes only array (got {other})")),
                };
                scopes.push(elem);
                let out = self.check(&arguments[1], scopes);
                scopes.pop();
                let out = out?;
                match name.as_str() {
                    "map" => Type::Array(Box::new(Type::Any)),
                    _ if !out.is_bool() && !out.is_any() => {
                        return Err(format!("predicate should return boolean (got {out})"))
                    }
                    "filter" => Type::Array(Box::new(Type::Any)),
                    "count" => Type::Int,
                    _ => Type::Bool,
                }
            }
            Node::Closure(body) => self.check(body, scopes)?,
            Node::Unary { operator, node } => {
                let t = self.check(node, scopes)?;
                match operator.as_str() {
                    "!" | "not" if t.is_bool() || t.is_any() => Type::Bool,
                    "-" | "+" if t.is_number() => t,
                    "-" | "+" if t.is_any() => Type::Any,
                    _ => {
                        return Err(format!(
                            "invalid operation: {operator} (mismatched type {t})"
                        ))
                    }
                }
            }
            Node::Binary {
                operator,
                left,
                right,
            } => {
                let l = self.check(left, scopes)?;
                let r = self.check(right, scopes)?;
                if let Some(t) = binary_type(operator, &l, &r)? {
                    t
                } else {
                    return Err(format!(
                        "invalid operation: {operator} (mismatched types {l} and {r})"
                    ));
                }
            }
            Node::Conditional {
                condition,
                then,
                otherwise,
            } => {
                let c = self.check(condition, scopes)?;
                if !c.is_bool() && !c.is_any() {
                    return Err(format!("non-bool expression (type {c}) used as condition"));
                }
                let a = self.check(then, scopes)?;
                let b = self.check(otherwise, scopes)?;
                if a == b {
                    a
                } else {
                    Type::Any
                }
            }
            Node::Array(items) => {
                for item in items {
                    self.check(item, scopes)?;
                }
                Type::Array(Box::new(Type::Any))
            }
        })
    }
}

/// The checker's `BinaryNode`: the result type, `None` for "mismatched types".
fn binary_type(op: &str, l: &Type, r: &Type) -> Result<Option<Type>, String> {
    let number = |t: &Type| t.is_number();
    let string = |t: &Type| t.is_string();
    Ok(match op {
        "==" | "!=" => comparable(l, r).then_some(Type::Bool),
        "or" | "||" | "and" | "&&" => {
            ((l.is_bool() && r.is_bool()) || either_any(l, r, Type::is_bool)).then_some(Type::Bool)
        }
        "<" | ">" | "<=" | ">=" => ((l.is_number() && r.is_number())
            || (l.is_string() && r.is_string())
            || either_any(l, r, |t| number(t) || string(t)))
        .then_some(Type::Bool),
        "-" | "*" => {
            if l.is_number() && r.is_number() {
                Some(combined(l, r))
            } else {
                either_any(l, r, number).then_some(Type::Any)
            }
        }
        "/" | "**" | "^" => {
            ((l.is_number() && r.is_number()) || either_any(l, r, number)).then_some(Type::Float)
        }
        "%" => {
            if l.is_integer() && r.is_integer() {
                Some(combined(l, r))
            } else {
                either_any(l, r, Type::is_integer).then_some(Type::Any)
            }
        }
        "+" => {
            if l.is_number() && r.is_number() {
                Some(combined(l, r))
            } else if l.is_string() && r.is_string() {
                Some(Type::String)
            } else {
                either_any(l, r, |t| number(t) || string(t)).then_some(Type::Any)
            }
        }
        "in" => {
            if let Type::Map(_) = r {
                if *l != Type::Nil && !l.is_any() && !l.is_string() {
                    return Err(format!("cannot use {l} as type string in map key"));
                }
                Some(Type::Bool)
            } else if let Type::Array(elem) = r {
                if *l != Type::Nil && !comparable(l, elem) {
                    return Err(format!("cannot use {l} as type {elem} in array"));
                }
                Some(Type::Bool)
            } else if (l.is_any() && (r.is_string() || r.is_array() || r.is_map())) || r.is_any() {
                Some(Type::Bool)
            } else {
                None
            }
        }
        "contains" | "startsWith" | "endsWith" => {
            ((l.is_string() && r.is_string()) || either_any(l, r, string)).then_some(Type::Bool)
        }
        "??" => Some(match (l, r) {
            (Type::Nil, r) => r.clone(),
            (l, Type::Nil) => l.clone(),
            (l, r) if l == r => l.clone(),
            _ => Type::Any,
        }),
        _ => return Err(format!("unknown operator ({op})")),
    })
}

// ---------------------------------------------------------------------------------------
// Running (expr's vm and runtime)

impl Env<'_> {
    fn run(&self, node: &Node, scopes: &mut Vec<Value>) -> Result<Value, String> {
        Ok(match node {
            Node::Nil => Value::Nil,
            Node::Bool(b) => Value::Bool(*b),
            Node::Int(n) => Value::Int(*n),
            Node::Float(f) => Value::Float(*f),
            Node::Str(s) => Value::String(s.clone()),
            Node::Identifier(name) => match name.as_str() {
                "result" => self.result.clone(),
                // A helper used as a value: only comparisons with nil can see it.
                _ => Value::Bool(true),
            },
            Node::Pointer => scopes.last().cloned().unwrap_or(Value::Nil),
            Node::Member {
                base,
                property,
                optional,
            } => {
                let base = self.run(base, scopes)?;
                if *optional && base.is_nil() {
                    return Ok(Value::Nil);
                }
                let property = self.run(property, scopes)?;
                fetch(&base, &property)?
            }
            Node::Call { name, arguments } => {
                let mut values = Vec::with_capacity(arguments.len());
                for (argument, param) in arguments.iter().zip(
                    helper(name)
                        .map(|sig| sig.params)
                        .unwrap_or_default()
                        .iter()
                        .chain(std::iter::repeat(&Type::Any)),
                ) {
                    let value = self.run(argument, scopes)?;
                    // Integer literals passed where a float64 is wanted were compiled as floats.
                    let value = match (param, argument, &value) {
                        (Type::Float, Node::Int(_), Value::Int(n)) => Value::Float(*n as f64),
                        _ => value,
                    };
                    values.push(value);
                }
                self.call(name, &values)?
            }
            Node::Builtin { name, arguments } if name == "len" => {
                let value = self.run(&arguments[0], scopes)?;
                Value::Int(match &value {
                    Value::String(s) => s.len() as i64,
                    Value::Floats(items) => items.len() as i64,
                    Value::Array(items) => items.len() as i64,
                    Value::Map(map) => map.len() as i64,
                    other => {
                        return Err(format!(
                            "invalid argument for len (type {})",
                            other.go_type()
                        ))
                    }
                })
            }
            Node::Builtin { name, arguments } => {
                let collection = self.run(&arguments[0], scopes)?;
                let items: Vec<Value> = match collection {
                    Value::Floats(items) => items.into_iter().map(Value::Float).collect(),
                    Value::Array(items) => items,
                    other => {
                        return Err(format!(
                            "reflect: call of reflect.Value.Len on {} Value",
                            match other {
                                Value::Nil => "zero".to_string(),
                                other => other.go_type().to_string(),
                            }
                        ))
                    }
                };
                let mut outcomes = Vec::with_capacity(items.len());
                for item in &items {
                    scopes.push(item.clone());
                    let out = self.run(&arguments[1], scopes);
                    scopes.pop();
                    outcomes.push(out?);
                }
                let truth = |v: &Value| -> Result<bool, String> {
                    match v {
                        Value::Bool(b) => Ok(*b),
                        other => Err(not_bool(other)),
                    }
                };
                match name.as_str() {
                    "map" => Value::Array(outcomes),
                    "filter" => {
                        let mut kept = Vec::new();
                        for (item, out) in items.into_iter().zip(&outcomes) {
                            if truth(out)? {
                                kept.push(item);
                            }
                        }
                        Value::Array(kept)
                    }
                    _ => {
                        let mut hits = 0usize;
                        for out in &outcomes {
                            let hit = truth(out)?;
                            hits += usize::from(hit);
                            let decided = match name.as_str() {
                                "all" => !hit,
                                "any" => hit,
                                "none" => hit,
                                _ => false,
                            };
                            if decided {
                                break;
                            }
                        }
                        match name.as_str() {
                            "all" => Value::Bool(hits == outcomes.len()),
                            "any" => Value::Bool(hits > 0),
                            "none" => Value::Bool(hits == 0),
                            "one" => Value::Bool(hits == 1),
                            _ => Value::Int(hits as i64),
                        }
                    }
                }
            }
            Node::Closure(body) => self.run(body, scopes)?,
            Node::Unary { operator, node } => {
                let value = self.run(node, scopes)?;
                match operator.as_str() {
                    "!" | "not" => match value {
                        Value::Bool(b) => Value::Bool(!b),
                        other => return Err(not_bool(&other)),
                    },
                    "-" => match value {
                        Value::Int(n) => Value::Int(-n),
                        Value::Int64(n) => Value::Int64(-n),
                        Value::Float(f) => Value::Float(-f),
                        other => return Err(format!("invalid operation: - {}", other.go_type())),
                    },
                    _ => value,
                }
            }
            Node::Binary {
                operator,
                left,
                right,
            } => {
                let l = self.run(left, scopes)?;
                match operator.as_str() {
                    "&&" | "and" => {
                        return match l {
                            Value::Bool(false) => Ok(Value::Bool(false)),
                            Value::Bool(true) => self.run(right, scopes),
                            other => Err(not_bool(&other)),
                        }
                    }
                    "||" | "or" => {
                        return match l {
                            Value::Bool(true) => Ok(Value::Bool(true)),
                            Value::Bool(false) => self.run(right, scopes),
                            other => Err(not_bool(&other)),
                        }
                    }
                    "??" => {
                        return if l.is_nil() {
                            self.run(right, scopes)
                        } else {
                            Ok(l)
                        }
                    }
                    _ => {}
                }
                let r = self.run(right, scopes)?;
                binary(operator, &l, &r)?
            }
            Node::Conditional {
                condition,
                then,
                otherwise,
            } => match self.run(condition, scopes)? {
                Value::Bool(true) => self.run(then, scopes)?,
                Value::Bool(false) => self.run(otherwise, scopes)?,
                other => return Err(not_bool(&other)),
            },
            Node::Array(items) => {
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    values.push(self.run(item, scopes)?);
                }
                Value::Array(values)
            }
        })
    }

    /// The helpers `EvalCondition` puts in the environment.
    fn call(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        let first = args.first().cloned().unwrap_or(Value::Nil);
        Ok(match name {
            "asInt" => Value::Int64(as_int(&first)?),
            "asFloat" => Value::Float(as_float(&first)?),
            "isNaN" | "isInf" => {
                let f = match first {
                    Value::Float(f) => f,
                    Value::Nil => return Err("reflect: Call using zero Value argument".into()),
                    other => {
                        return Err(format!(
                            "reflect: Call using {} as type float64",
                            other.go_type()
                        ))
                    }
                };
                Value::Bool(if name == "isNaN" {
                    f.is_nan()
                } else {
                    f.is_infinite()
                })
            }
            // Upstream's quirk: both look at `result`, whatever they are given.
            "isNil" => Value::Bool(self.result.is_nil()),
            "default" => {
                if self.result.is_nil() {
                    args.get(1).cloned().unwrap_or(Value::Nil)
                } else {
                    self.result.clone()
                }
            }
            _ => return Err(format!("unknown name {name}")),
        })
    }
}

/// A Go type assertion to `bool` that failed.
fn not_bool(value: &Value) -> String {
    match value {
        Value::Nil => "interface conversion: interface {} is nil, not bool".into(),
        other => format!(
            "interface conversion: interface {{}} is {}, not bool",
            other.go_type()
        ),
    }
}

/// `runtime.Fetch`.
fn fetch(from: &Value, index: &Value) -> Result<Value, String> {
    let cannot = || {
        format!(
            "cannot fetch {} from {}",
            index.go_display(),
            from.go_type()
        )
    };
    let position = |len: usize| -> Result<usize, String> {
        let i = match index {
            Value::Int(n) | Value::Int64(n) => *n,
            Value::Float(f) => *f as i64,
            _ => return Err(format!("invalid operation: int({})", index.go_type())),
        };
        let i = if i < 0 { len as i64 + i } else { i };
        usize::try_from(i)
            .ok()
            .filter(|i| *i < len)
            .ok_or_else(|| "reflect: slice index out of range".to_string())
    };
    match from {
        Value::Floats(items) => Ok(Value::Float(items[position(items.len())?])),
        Value::Array(items) => Ok(items[position(items.len())?].clone()),
        Value::String(s) => {
            let bytes = s.as_bytes();
            let i = position(bytes.len())
                .map_err(|_| "reflect: string index out of range".to_string())?;
            Ok(Value::Int(i64::from(bytes[i])))
        }
        Value::Map(map) => match index {
            Value::String(key) => Ok(map.get(key).cloned().unwrap_or(Value::Nil)),
            Value::Nil => Ok(Value::Nil),
            other => Err(format!(
                "reflect.Value.MapIndex: value of type {} is not assignable to type string",
                other.go_type()
            )),
        },
        _ => Err(cannot()),
    }
}

/// `runtime.Equal`.
fn equal(a: &Value, b: &Value) -> bool {
    match (a.number(), b.number()) {
        (Some(x), Some(y)) => match (a.integer(), b.integer()) {
            (Some(x), Some(y)) => x == y,
            _ => x == y,
        },
        _ => match (a, b) {
            (Value::Nil, Value::Nil) => true,
            (Value::Floats(x), Value::Floats(y)) => x == y,
            (Value::Array(x), Value::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(a, b)| deep_equal(a, b))
            }
            (Value::Map(x), Value::Map(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .all(|(k, v)| y.get(k).is_some_and(|w| deep_equal(v, w)))
            }
            _ => a == b,
        },
    }
}

/// `reflect.DeepEqual` on decoded JSON (types must match exactly).
fn deep_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Int(x), Value::Int(y)) | (Value::Int64(x), Value::Int64(y)) => x == y,
        (Value::Array(_), Value::Array(_)) | (Value::Map(_), Value::Map(_)) => equal(a, b),
        _ => a == b,
    }
}

fn binary(op: &str, l: &Value, r: &Value) -> Result<Value, String> {
    let mismatch = || {
        let op = if op == "%" { "%" } else { op };
        format!("invalid operation: {} {op} {}", l.go_type(), r.go_type())
    };
    Ok(match op {
        "==" => Value::Bool(equal(l, r)),
        "!=" => Value::Bool(!equal(l, r)),
        "<" | ">" | "<=" | ">=" => {
            let ordering = match (l, r) {
                (Value::String(a), Value::String(b)) => a.partial_cmp(b),
                _ => match (l.number(), r.number()) {
                    (Some(a), Some(b)) => a.partial_cmp(&b),
                    _ => return Err(mismatch()),
                },
            };
            Value::Bool(match ordering {
                None => false,
                Some(o) => match op {
                    "<" => o.is_lt(),
                    ">" => o.is_gt(),
                    "<=" => o.is_le(),
                    _ => o.is_ge(),
                },
            })
        }
        "+" | "-" | "*" => {
            if let (Value::String(a), Value::String(b), "+") = (l, r, op) {
                return Ok(Value::String(format!("{a}{b}")));
            }
            match (l, r) {
                (Value::Int(_) | Value::Int64(_), Value::Int(_) | Value::Int64(_)) => {
                    let (a, b) = (l.integer().unwrap_or(0), r.integer().unwrap_or(0));
                    let n = match op {
                        "+" => a.wrapping_add(b),
                        "-" => a.wrapping_sub(b),
                        _ => a.wrapping_mul(b),
                    };
                    if matches!((l, r), (Value::Int64(_), Value::Int64(_))) {
                        Value::Int64(n)
                    } else {
                        Value::Int(n)
                    }
                }
                _ => match (l.number(), r.number()) {
                    (Some(a), Some(b)) => Value::Float(match op {
                        "+" => a + b,
                        "-" => a - b,
                        _ => a * b,
                    }),
                    _ => return Err(mismatch()),
                },
            }
        }
        "/" => match (l.number(), r.number()) {
            (Some(a), Some(b)) => Value::Float(a / b),
            _ => return Err(mismatch()),
        },
        "**" | "^" => match (l.number(), r.number()) {
            (Some(a), Some(b)) => Value::Float(a.powf(b)),
            _ => return Err(mismatch()),
        },
        "%" => match (l.integer(), r.integer()) {
            (Some(_), Some(0)) => return Err("runtime error: integer divide by zero".into()),
            (Some(a), Some(b)) => Value::Int(a.wrapping_rem(b)),
            _ => return Err(mismatch()),
        },
        "in" => Value::Bool(match r {
            Value::Floats(items) => items.iter().any(|f| equal(&Value::Float(*f), l)),
            Value::Array(items) => items.iter().any(|item| equal(item, l)),
            Value::Map(map) => match l {
                Value::String(key) => map.contains_key(key),
                _ => false,
            },
            Value::Nil => false,
            other => {
                return Err(format!(
                    "operator \"in\" not defined on {}",
                    other.go_type()
                ))
            }
        }),
        "contains" | "startsWith" | "endsWith" => match (l, r) {
            (Value::String(a), Value::String(b)) => Value::Bool(match op {
                "contains" => a.contains(b.as_str()),
                "startsWith" => a.starts_with(b.as_str()),
                _ => a.ends_with(b.as_str()),
            }),
            _ => {
                return Err(format!(
                    "interface conversion: interface {{}} is {}, not string",
                    if matches!(l, Value::String(_)) { r } else { l }.go_type()
                ))
            }
        },
        _ => return Err(format!("unknown operator ({op})")),
    })
}

/// Upstream's `asInt`: numbers truncate, strings must be base-10 integers.
fn as_int(value: &Value) -> Result<i64, String> {
    match value {
        Value::Float(f) => Ok(*f as i64),
        Value::Int(n) | Value::Int64(n) => Ok(*n),
        Value::String(s) => go_parse_int(s),
        other => Err(format!(
            "asInt() not supported on {} {}",
            other.go_type(),
            other.go_display()
        )),
    }
}

/// Upstream's `asFloat`.
fn as_float(value: &Value) -> Result<f64, String> {
    match value {
        Value::Float(f) => Ok(*f),
        Value::Int(n) | Value::Int64(n) => Ok(*n as f64),
        Value::String(s) => go_parse_float(s),
        other => Err(format!(
            "asFloat() not supported on {} {}",
            other.go_type(),
            other.go_display()
        )),
    }
}

/// `strconv.ParseInt(s, 10, 64)`.
fn go_parse_int(s: &str) -> Result<i64, String> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "strconv.ParseInt: parsing {}: invalid syntax",
            crate::strconv::quote(s)
        ));
    }
    s.parse::<i64>().map_err(|_| {
        format!(
            "strconv.ParseInt: parsing {}: value out of range",
            crate::strconv::quote(s)
        )
    })
}

/// `strconv.ParseFloat(s, 64)` for decimal forms, `Inf` and `NaN`.
pub(crate) fn go_parse_float(s: &str) -> Result<f64, String> {
    let invalid = || {
        format!(
            "strconv.ParseFloat: parsing {}: invalid syntax",
            crate::strconv::quote(s)
        )
    };
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let special = matches!(
        body.to_ascii_lowercase().as_str(),
        "inf" | "infinity" | "nan"
    );
    let decimal = !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && body.bytes().any(|b| b.is_ascii_digit());
    if !special && !decimal {
        return Err(invalid());
    }
    s.parse::<f64>().map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(result: Value, condition: &str) -> Result<bool, String> {
        eval_condition(&result, condition)
    }

    fn json(text: &str) -> Value {
        Value::from_json(&serde_json::from_str(text).unwrap())
    }

    #[test]
    fn the_documented_conditions_evaluate() {
        let vector = Value::Floats(vec![0.97]);
        assert_eq!(eval(vector.clone(), "result[0] >= 0.95"), Ok(true));
        assert_eq!(eval(vector.clone(), "result[0] <= 0.95"), Ok(false));
        assert_eq!(
            eval(vector.clone(), "len(result) > 0 && result[0] >= 0.95"),
            Ok(true)
        );
        assert_eq!(
            eval(
                Value::Floats(vec![]),
                "len(result) == 0 || result[0] >= 0.95"
            ),
            Ok(true)
        );
        assert_eq!(eval(Value::Float(0.99), "result >= 0.95"), Ok(true));
        assert_eq!(
            eval(Value::Float(f64::NAN), "isNaN(result) || result >= 0.95"),
            Ok(true)
        );
        assert_eq!(eval(Value::Float(f64::INFINITY), "isInf(result)"), Ok(true));
        assert_eq!(eval(Value::Bool(true), "result == true"), Ok(true));
        assert_eq!(
            eval(Value::String("true".into()), "result == 'true'"),
            Ok(true)
        );
        assert_eq!(eval(Value::Nil, "default(result, 0) < 5"), Ok(true));
        assert_eq!(eval(Value::Float(7.0), "default(result, 0) < 5"), Ok(false));
        assert_eq!(
            eval(
                json(r#"{"ok": true, "successPercent": 0.93}"#),
                "result.ok && result.successPercent >= 0.90"
            ),
            Ok(true)
        );
        assert_eq!(eval(json("[900, 999]"), "all(result, # < 1000)"), Ok(true));
        assert_eq!(
            eval(
                json(r#"{"service_apdex":{"label":null,"values":{"values":[2,2]}}}"#),
                "all(result.service_apdex.values.values, {# > 1})"
            ),
            Ok(true)
        );
        assert_eq!(eval(Value::Floats(vec![2.0, 2.0]), "2 in result"), Ok(true));
        assert_eq!(
            eval(Value::Float(5.0), "!(result < 1) and not false"),
            Ok(true)
        );
        assert_eq!(eval(Value::Float(5.0), "result * 2 - 1 == 9"), Ok(true));
        assert_eq!(eval(Value::Float(5.0), "result / 2 == 2.5"), Ok(true));
        assert_eq!(
            eval(Value::Float(5.0), "result > 1 ? true : false"),
            Ok(true)
        );
    }

    #[test]
    fn as_int_and_as_float_read_strings_as_upstream_does() {
        assert_eq!(
            eval(Value::String("1".into()), "asInt(result) == 1"),
            Ok(true)
        );
        assert_eq!(eval(Value::Float(1.123), "asInt(result) == 1"), Ok(true));
        assert_eq!(
            eval(Value::String("1.1".into()), "asFloat(result) == 1.1"),
            Ok(true)
        );
        assert_eq!(eval(Value::Int(1), "asFloat(result) >= 1"), Ok(true));
        assert_eq!(
            eval(Value::String("1.1".into()), "asInt(result) == 1.1"),
            Err("strconv.ParseInt: parsing \"1.1\": invalid syntax".into())
        );
        assert_eq!(
            eval(Value::String("NotANum".into()), "asFloat(result) == 1.1"),
            Err("strconv.ParseFloat: parsing \"NotANum\": invalid syntax".into())
        );
    }

    #[test]
    fn errors_carry_exprs_messages() {
        assert_eq!(
            eval(Value::Bool(true), "1"),
            Err("expected bool, but got int".into())
        );
        assert_eq!(
            eval(Value::Bool(true), "invalidVariable"),
            Err("unknown name invalidVariable".into())
        );
        assert_eq!(
            eval(Value::String("1.1".into()), "asFloat(result) == \"1.1\""),
            Err("invalid operation: == (mismatched types float64 and string)".into())
        );
        assert_eq!(
            eval(Value::Floats(vec![]), "result[0] >= 0.95"),
            Err("reflect: slice index out of range".into())
        );
        assert_eq!(
            eval(json(r#"{"a": 1}"#), "result.missing && true"),
            Err("interface conversion: interface {} is nil, not bool".into())
        );
        assert_eq!(
            eval(Value::Floats(vec![1.0]), "isNaN(result)"),
            Err("cannot use []float64 as argument (type float64) to call isNaN ".into())
        );
        assert_eq!(
            eval(Value::Float(1.0), "result >"),
            Err("unexpected token EOF".into())
        );
        assert_eq!(
            eval(Value::Float(1.0), "result.Name() == 'hi'"),
            Err(unsupported("method calls"))
        );
        assert_eq!(
            eval(Value::Float(1.0), "sum(result) > 1"),
            Err(unsupported("the builtin sum()"))
        );
        assert_eq!(
            eval(Value::Nil, "result > 1"),
            Err("invalid operation: > (mismatched types <nil> and int)".into())
        );
    }

    #[test]
    fn evaluate_result_combines_the_two_conditions() {
        let metric = |success: &str, failure: &str| Metric {
            success_condition: success.into(),
            failure_condition: failure.into(),
            ..Metric::default()
        };
        let t = Value::Bool(true);
        assert_eq!(
            evaluate_result(&t, &metric("true", "false")),
            Ok(AnalysisPhase::Successful)
        );
        assert_eq!(
            evaluate_result(&t, &metric("true", "true")),
            Ok(AnalysisPhase::Failed)
        );
        assert_eq!(
            evaluate_result(&t, &metric("false", "false")),
            Ok(AnalysisPhase::Inconclusive)
        );
        assert_eq!(
            evaluate_result(&t, &metric("", "false")),
            Ok(AnalysisPhase::Successful)
        );
        assert_eq!(
            evaluate_result(&t, &metric("false", "")),
            Ok(AnalysisPhase::Failed)
        );
        assert_eq!(
            evaluate_result(&t, &metric("", "")),
            Ok(AnalysisPhase::Successful)
        );
        assert!(evaluate_result(&t, &metric("a == true", "true")).is_err());
    }
}
