//! The lab's Prometheus: a subset of PromQL answered from the requests the lab's apps
//! actually served ([`crate::network::metrics`], metric `http_requests_total`).
//!
//! Supported (instant queries, evaluated at the virtual now):
//! - selectors `http_requests_total{label="v", label!="v", label=~"a|b", label!~"5.."}`
//!   (regular expressions are anchored, as Prometheus' are, and use the lab's small regex
//!   engine: literals, `.`, classes, `* + ? {n,m}`, groups and `|`);
//! - `rate(v[d])` and `increase(v[d])` over a range `d` of up to an hour (`30s`, `5m`, `1h`,
//!   `1m30s`);
//! - `sum`, `avg`, `min`, `max`, `count`, with `by (…)` or `without (…)` before or after the
//!   argument;
//! - arithmetic `+ - * / % ^` between scalars, between a vector and a scalar, and between two
//!   vectors (one-to-one on identical label sets, `__name__` dropped);
//! - `or` (the left side's samples, then the right side's whose labels the left lacks);
//! - `vector(s)` and `scalar(v)`; number literals (`0.95`, `1e3`, `Inf`, `NaN`).
//!
//! Not supported (an error says so): comparison operators and `bool`, `and`/`unless`,
//! `on`/`ignoring`/`group_left`, `offset`/`@`, subqueries, range queries, and every other
//! function (`irate`, `histogram_quantile`, …).
//!
//! Rates are exact rather than extrapolated: `rate(v[1m])` is the number of requests
//! answered in the last minute divided by 60, counting from a series' very first request
//! (real Prometheus extrapolates between scrapes and cannot see the first increment of a
//! new series). A series of a deleted pod stays until an hour after its last request.

use crate::clock::{Duration, Time};
use crate::network::metrics::RequestCounters;
use crate::network::pattern::Pattern;
use std::collections::BTreeMap;

/// A label set.
pub type Labels = BTreeMap<String, String>;

/// What an instant query returns.
#[derive(Clone, Debug, PartialEq)]
pub enum QueryResult {
    Scalar(f64),
    Vector(Vec<(Labels, f64)>),
}

/// Runs `query` at `now` over the lab's request counters.
pub fn query(counters: &RequestCounters, query: &str, now: Time) -> Result<QueryResult, String> {
    let tokens = lex(query).map_err(|(pos, msg)| parse_error(query, pos, &msg))?;
    let mut parser = Parser { tokens, pos: 0 };
    let expr = parser.expression(0).map_err(|e| e.into_message(query))?;
    if parser.peek() != &Token::Eof {
        let (pos, token) = parser.current_with_pos();
        return Err(parse_error(
            query,
            pos,
            &format!("unexpected {}", token.describe()),
        ));
    }
    let value = Eval { counters, now }.eval(&expr)?;
    Ok(match value {
        Val::Scalar(f) => QueryResult::Scalar(f),
        Val::Vector(mut samples) => {
            samples.sort_by(|a, b| a.0.cmp(&b.0));
            QueryResult::Vector(samples)
        }
    })
}

/// The Prometheus HTTP API's answer to a query it cannot parse.
fn parse_error(query: &str, pos: usize, message: &str) -> String {
    let column = query[..pos.min(query.len())].chars().count() + 1;
    format!("bad_data: invalid parameter \"query\": 1:{column}: parse error: {message}")
}

fn unsupported(what: &str) -> String {
    format!("the lab's Prometheus does not evaluate {what} (see the analysis README for the supported PromQL)")
}

// ---------------------------------------------------------------------------------------
// Lexer

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Ident(String),
    Number(f64),
    Str(String),
    Duration(Duration),
    Op(&'static str),
    Eof,
}

impl Token {
    fn describe(&self) -> String {
        match self {
            Token::Ident(name) => format!("identifier {:?}", name),
            Token::Number(n) => format!("number \"{n}\""),
            Token::Str(s) => format!("string {s:?}"),
            Token::Duration(_) => "duration".into(),
            Token::Op(op) => match *op {
                "(" => "left parenthesis \"(\"".into(),
                ")" => "right parenthesis \")\"".into(),
                "{" => "left brace \"{\"".into(),
                "}" => "right brace \"}\"".into(),
                "[" => "left bracket \"[\"".into(),
                "]" => "right bracket \"]\"".into(),
                "," => "\",\"".into(),
                other => format!("<op:{other}>"),
            },
            Token::Eof => "end of input".into(),
        }
    }
}

const OPERATORS: &[&str] = &[
    "==", "!=", "=~", "!~", ">=", "<=", "(", ")", "{", "}", "[", "]", ",", "+", "-", "*", "/", "%",
    "^", "=", ">", "<", "@", ":",
];

fn lex(source: &str) -> Result<Vec<(usize, Token)>, (usize, String)> {
    let bytes = source.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    let mut in_range = false;
    while i < bytes.len() {
        let c = bytes[i] as char;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == '#' {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        let start = i;
        if in_range && c.is_ascii_digit() {
            while i < bytes.len() && (bytes[i] as char).is_ascii_alphanumeric() {
                i += 1;
            }
            let text = &source[start..i];
            let duration = parse_duration(text)
                .ok_or((start, format!("bad number or duration syntax: {text:?}")))?;
            tokens.push((start, Token::Duration(duration)));
            continue;
        }
        if c == '"' || c == '\'' || c == '`' {
            i += 1;
            let mut text = String::new();
            loop {
                let Some(&b) = bytes.get(i) else {
                    return Err((start, "unterminated quoted string".into()));
                };
                let ch = source[i..].chars().next().unwrap_or('\0');
                if ch == c {
                    i += 1;
                    break;
                }
                if ch == '\\' && c != '`' {
                    let next = source[i + 1..].chars().next().unwrap_or('\0');
                    text.push(match next {
                        'n' => '\n',
                        't' => '\t',
                        other => other,
                    });
                    i += 1 + next.len_utf8();
                    continue;
                }
                let _ = b;
                text.push(ch);
                i += ch.len_utf8();
            }
            tokens.push((start, Token::Str(text)));
            continue;
        }
        if c.is_ascii_digit() || (c == '.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            while i < bytes.len()
                && ((bytes[i] as char).is_ascii_alphanumeric() || bytes[i] == b'.')
            {
                // An exponent sign belongs to the number.
                if matches!(bytes[i], b'e' | b'E') && matches!(bytes.get(i + 1), Some(b'+' | b'-'))
                {
                    i += 1;
                }
                i += 1;
            }
            let text = &source[start..i];
            let number = text
                .parse::<f64>()
                .map_err(|_| (start, format!("bad number or duration syntax: {text:?}")))?;
            tokens.push((start, Token::Number(number)));
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' || c == ':' && !in_range {
            while i < bytes.len()
                && ((bytes[i] as char).is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b':'))
            {
                i += 1;
            }
            let word = &source[start..i];
            match word.to_ascii_lowercase().as_str() {
                "inf" => tokens.push((start, Token::Number(f64::INFINITY))),
                "nan" => tokens.push((start, Token::Number(f64::NAN))),
                _ => tokens.push((start, Token::Ident(word.to_string()))),
            }
            continue;
        }
        let Some(op) = OPERATORS.iter().find(|op| source[i..].starts_with(**op)) else {
            return Err((start, format!("unexpected character: '{c}'")));
        };
        match *op {
            "[" => in_range = true,
            "]" => in_range = false,
            _ => {}
        }
        i += op.len();
        tokens.push((start, Token::Op(op)));
    }
    tokens.push((source.len(), Token::Eof));
    Ok(tokens)
}

/// A Prometheus duration: `30s`, `5m`, `1h30m`, `500ms`, `1d`, `1w`, `1y`.
fn parse_duration(text: &str) -> Option<Duration> {
    let mut total: i64 = 0;
    let mut rest = text;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let n: i64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let millis = match &rest[..unit_len] {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            "w" => 604_800_000,
            "y" => 31_536_000_000,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(millis)?)?;
        rest = &rest[unit_len..];
    }
    Some(Duration(total))
}

// ---------------------------------------------------------------------------------------
// Parser

#[derive(Clone, Debug, PartialEq)]
enum MatchOp {
    Equal,
    NotEqual,
    Regex,
    NotRegex,
}

#[derive(Clone, Debug)]
struct Matcher {
    name: String,
    op: MatchOp,
    value: String,
    pattern: Option<Pattern>,
}

impl Matcher {
    fn matches(&self, labels: &Labels) -> bool {
        let value = labels.get(&self.name).map_or("", String::as_str);
        match self.op {
            MatchOp::Equal => value == self.value,
            MatchOp::NotEqual => value != self.value,
            MatchOp::Regex => self.pattern.as_ref().is_some_and(|p| p.is_match(value)),
            MatchOp::NotRegex => !self.pattern.as_ref().is_some_and(|p| p.is_match(value)),
        }
    }
}

#[derive(Clone, Debug)]
enum Grouping {
    None,
    By(Vec<String>),
    Without(Vec<String>),
}

#[derive(Clone, Debug)]
enum Expr {
    Number(f64),
    Selector(Vec<Matcher>),
    Range(Vec<Matcher>, Duration),
    Call(String, Vec<Expr>),
    Aggregate(String, Grouping, Box<Expr>),
    Binary(&'static str, Box<Expr>, Box<Expr>),
    Negate(Box<Expr>),
}

enum ParseError {
    At(usize, String),
    Unsupported(String),
}

impl ParseError {
    fn into_message(self, query: &str) -> String {
        match self {
            ParseError::At(pos, msg) => parse_error(query, pos, &msg),
            ParseError::Unsupported(what) => unsupported(&what),
        }
    }
}

struct Parser {
    tokens: Vec<(usize, Token)>,
    pos: usize,
}

const AGGREGATIONS: &[&str] = &["sum", "avg", "min", "max", "count"];

fn binary_precedence(token: &Token) -> Option<(&'static str, u8, bool)> {
    Some(match token {
        Token::Ident(word) if word == "or" => ("or", 1, false),
        Token::Op(op) => match *op {
            "+" | "-" => (op, 4, false),
            "*" | "/" | "%" => (op, 5, false),
            "^" => (op, 6, true),
            _ => return None,
        },
        _ => return None,
    })
}

impl Parser {
    fn peek(&self) -> &Token {
        &self.tokens[self.pos.min(self.tokens.len() - 1)].1
    }

    fn current_with_pos(&self) -> (usize, Token) {
        self.tokens[self.pos.min(self.tokens.len() - 1)].clone()
    }

    fn advance(&mut self) -> Token {
        let token = self.peek().clone();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        token
    }

    fn unexpected(&self, context: &str) -> ParseError {
        let (pos, token) = self.current_with_pos();
        let message = if context.is_empty() {
            format!("unexpected {}", token.describe())
        } else {
            format!("unexpected {} in {context}", token.describe())
        };
        ParseError::At(pos, message)
    }

    fn expect(&mut self, op: &'static str, context: &str) -> Result<(), ParseError> {
        if self.peek() == &Token::Op(op) {
            self.advance();
            Ok(())
        } else {
            Err(self.unexpected(context))
        }
    }

    fn expression(&mut self, min_precedence: u8) -> Result<Expr, ParseError> {
        let mut left = self.unary()?;
        loop {
            let token = self.peek().clone();
            match &token {
                Token::Ident(word) if matches!(word.as_str(), "and" | "unless") => {
                    return Err(ParseError::Unsupported(format!("the {word} operator")))
                }
                Token::Op(op) if matches!(*op, "==" | "!=" | ">" | "<" | ">=" | "<=") => {
                    return Err(ParseError::Unsupported(format!(
                        "comparison operators ({op})"
                    )))
                }
                _ => {}
            }
            let Some((op, precedence, right_assoc)) = binary_precedence(&token) else {
                break;
            };
            if precedence < min_precedence {
                break;
            }
            self.advance();
            if let Token::Ident(word) = self.peek() {
                if matches!(
                    word.as_str(),
                    "on" | "ignoring" | "group_left" | "group_right" | "bool"
                ) {
                    return Err(ParseError::Unsupported(format!("the {word} modifier")));
                }
            }
            let right = self.expression(if right_assoc {
                precedence
            } else {
                precedence + 1
            })?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        match self.peek() {
            Token::Op("-") => {
                self.advance();
                // Unary minus binds looser than `^`.
                let operand = self.expression(6)?;
                Ok(Expr::Negate(Box::new(operand)))
            }
            Token::Op("+") => {
                self.advance();
                self.expression(6)
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        let (pos, token) = self.current_with_pos();
        let expr = match token {
            Token::Number(n) => {
                self.advance();
                Expr::Number(n)
            }
            Token::Op("(") => {
                self.advance();
                let inner = self.expression(0)?;
                self.expect(")", "paren expression")?;
                inner
            }
            Token::Op("{") => {
                let matchers = self.matchers(Vec::new())?;
                self.selector_tail(matchers)?
            }
            Token::Ident(name) => {
                self.advance();
                if AGGREGATIONS.contains(&name.as_str()) {
                    self.aggregation(name)?
                } else if self.peek() == &Token::Op("(") {
                    self.call(name, pos)?
                } else if matches!(name.as_str(), "by" | "without" | "offset" | "bool") {
                    return Err(ParseError::At(
                        pos,
                        format!("unexpected {}", Token::Ident(name).describe()),
                    ));
                } else {
                    let name_matcher = Matcher {
                        name: "__name__".into(),
                        op: MatchOp::Equal,
                        value: name,
                        pattern: None,
                    };
                    let matchers = if self.peek() == &Token::Op("{") {
                        self.matchers(vec![name_matcher])?
                    } else {
                        vec![name_matcher]
                    };
                    self.selector_tail(matchers)?
                }
            }
            Token::Str(_) => return Err(ParseError::Unsupported("string literals".into())),
            _ => return Err(self.unexpected("")),
        };
        if let Token::Ident(word) = self.peek() {
            if word == "offset" {
                return Err(ParseError::Unsupported("offset".into()));
            }
        }
        if self.peek() == &Token::Op("@") {
            return Err(ParseError::Unsupported("the @ modifier".into()));
        }
        Ok(expr)
    }

    fn selector_tail(&mut self, matchers: Vec<Matcher>) -> Result<Expr, ParseError> {
        if self.peek() != &Token::Op("[") {
            return Ok(Expr::Selector(matchers));
        }
        self.advance();
        let (pos, token) = self.current_with_pos();
        let Token::Duration(range) = token else {
            return Err(ParseError::At(
                pos,
                "unexpected end of input, expected duration".into(),
            ));
        };
        self.advance();
        if self.peek() == &Token::Op(":") {
            return Err(ParseError::Unsupported("subqueries".into()));
        }
        self.expect("]", "matrix selector")?;
        Ok(Expr::Range(matchers, range))
    }

    fn matchers(&mut self, mut matchers: Vec<Matcher>) -> Result<Vec<Matcher>, ParseError> {
        self.expect("{", "")?;
        while self.peek() != &Token::Op("}") {
            let (pos, token) = self.current_with_pos();
            let Token::Ident(name) = token else {
                return Err(self.unexpected("label matching"));
            };
            self.advance();
            let op = match self.advance() {
                Token::Op("=") => MatchOp::Equal,
                Token::Op("!=") => MatchOp::NotEqual,
                Token::Op("=~") => MatchOp::Regex,
                Token::Op("!~") => MatchOp::NotRegex,
                _ => {
                    self.pos -= 1;
                    return Err(self.unexpected(
                        "label matching, expected one of \"=\", \"!=\", \"=~\" or \"!~\"",
                    ));
                }
            };
            let (value_pos, value) = self.current_with_pos();
            let Token::Str(value) = value else {
                return Err(self.unexpected("label matching, expected string"));
            };
            self.advance();
            let pattern = match op {
                MatchOp::Regex | MatchOp::NotRegex => Some(
                    Pattern::compile(&format!("^({value})$")).ok_or_else(|| {
                        ParseError::At(
                            value_pos,
                            format!(
                                "the lab's regular expressions cannot read {value:?} (literals, ., classes, * + ? {{n,m}}, groups and | only)"
                            ),
                        )
                    })?,
                ),
                _ => None,
            };
            let _ = pos;
            matchers.push(Matcher {
                name,
                op,
                value,
                pattern,
            });
            if self.peek() == &Token::Op(",") {
                self.advance();
            } else if self.peek() != &Token::Op("}") {
                return Err(self.unexpected("label matching, expected \",\" or \"}\""));
            }
        }
        self.advance();
        Ok(matchers)
    }

    fn grouping(&mut self) -> Result<Grouping, ParseError> {
        let Token::Ident(word) = self.peek().clone() else {
            return Ok(Grouping::None);
        };
        if word != "by" && word != "without" {
            return Ok(Grouping::None);
        }
        self.advance();
        self.expect("(", "grouping")?;
        let mut labels = Vec::new();
        while self.peek() != &Token::Op(")") {
            let Token::Ident(label) = self.advance() else {
                self.pos -= 1;
                return Err(self.unexpected("grouping opts"));
            };
            labels.push(label);
            if self.peek() == &Token::Op(",") {
                self.advance();
            }
        }
        self.advance();
        Ok(if word == "by" {
            Grouping::By(labels)
        } else {
            Grouping::Without(labels)
        })
    }

    fn aggregation(&mut self, op: String) -> Result<Expr, ParseError> {
        let mut grouping = self.grouping()?;
        self.expect("(", "aggregation")?;
        let inner = self.expression(0)?;
        if self.peek() == &Token::Op(",") {
            return Err(ParseError::Unsupported(format!("parameters of {op}")));
        }
        self.expect(")", "aggregation")?;
        if matches!(grouping, Grouping::None) {
            grouping = self.grouping()?;
        }
        Ok(Expr::Aggregate(op, grouping, Box::new(inner)))
    }

    fn call(&mut self, name: String, pos: usize) -> Result<Expr, ParseError> {
        if !matches!(name.as_str(), "rate" | "increase" | "vector" | "scalar") {
            if KNOWN_FUNCTIONS.contains(&name.as_str()) {
                return Err(ParseError::Unsupported(format!("the function {name}()")));
            }
            return Err(ParseError::At(
                pos,
                format!("unknown function with name {name:?}"),
            ));
        }
        self.expect("(", "")?;
        let mut args = Vec::new();
        while self.peek() != &Token::Op(")") {
            args.push(self.expression(0)?);
            if self.peek() == &Token::Op(",") {
                self.advance();
            } else if self.peek() != &Token::Op(")") {
                return Err(self.unexpected("argument list"));
            }
        }
        self.advance();
        if args.len() != 1 {
            return Err(ParseError::At(
                pos,
                format!(
                    "expected 1 argument(s) in call to {name:?}, got {}",
                    args.len()
                ),
            ));
        }
        let wants_range = matches!(name.as_str(), "rate" | "increase");
        let is_range = matches!(args[0], Expr::Range(..));
        if wants_range != is_range {
            let (want, got) = if wants_range {
                ("range vector", "instant vector")
            } else {
                ("instant vector", "range vector")
            };
            let got = if matches!(args[0], Expr::Number(_)) && !wants_range {
                "scalar"
            } else {
                got
            };
            if !(name == "vector"
                && matches!(
                    args[0],
                    Expr::Number(_) | Expr::Binary(..) | Expr::Negate(_)
                ))
            {
                return Err(ParseError::At(
                    pos,
                    format!("expected type {want} in call to function {name:?}, got {got}"),
                ));
            }
        }
        Ok(Expr::Call(name, args))
    }
}

/// Prometheus functions the lab knows of but does not evaluate.
const KNOWN_FUNCTIONS: &[&str] = &[
    "abs",
    "absent",
    "absent_over_time",
    "avg_over_time",
    "ceil",
    "changes",
    "clamp",
    "clamp_max",
    "clamp_min",
    "count_over_time",
    "delta",
    "deriv",
    "exp",
    "floor",
    "histogram_quantile",
    "idelta",
    "irate",
    "label_join",
    "label_replace",
    "ln",
    "log2",
    "log10",
    "max_over_time",
    "min_over_time",
    "predict_linear",
    "quantile_over_time",
    "resets",
    "round",
    "sort",
    "sort_desc",
    "sqrt",
    "stddev_over_time",
    "sum_over_time",
    "time",
    "timestamp",
];

// ---------------------------------------------------------------------------------------
// Evaluation

#[derive(Clone, Debug)]
enum Val {
    Scalar(f64),
    Vector(Vec<(Labels, f64)>),
}

struct Eval<'a> {
    counters: &'a RequestCounters,
    now: Time,
}

fn without_name(mut labels: Labels) -> Labels {
    labels.remove("__name__");
    labels
}

impl Eval<'_> {
    fn eval(&self, expr: &Expr) -> Result<Val, String> {
        Ok(match expr {
            Expr::Number(n) => Val::Scalar(*n),
            Expr::Selector(matchers) => Val::Vector(
                self.counters
                    .series()
                    .filter(|s| s.exists_at(self.now))
                    .map(|s| (s.labels.to_map(), s))
                    .filter(|(labels, _)| matchers.iter().all(|m| m.matches(labels)))
                    .map(|(labels, s)| (labels, s.value_at(self.now) as f64))
                    .collect(),
            ),
            Expr::Range(..) => {
                return Err(
                    "bad_data: invalid parameter \"query\": invalid expression type \"range vector\" for range query, must be Scalar or instant Vector".into(),
                )
            }
            Expr::Call(name, args) => self.call(name, &args[0])?,
            Expr::Aggregate(op, grouping, inner) => {
                let Val::Vector(samples) = self.eval(inner)? else {
                    return Err("bad_data: invalid parameter \"query\": expected type instant vector in aggregation expression, got scalar".to_string());
                };
                aggregate(op, grouping, samples)
            }
            Expr::Negate(inner) => match self.eval(inner)? {
                Val::Scalar(f) => Val::Scalar(-f),
                Val::Vector(samples) => Val::Vector(
                    samples
                        .into_iter()
                        .map(|(l, v)| (without_name(l), -v))
                        .collect(),
                ),
            },
            Expr::Binary(op, left, right) => {
                let l = self.eval(left)?;
                let r = self.eval(right)?;
                binary(op, l, r)?
            }
        })
    }

    fn call(&self, name: &str, arg: &Expr) -> Result<Val, String> {
        Ok(match (name, arg) {
            ("rate" | "increase", Expr::Range(matchers, range)) => {
                let start = self.now - *range;
                let seconds = range.millis() as f64 / 1000.0;
                Val::Vector(
                    self.counters
                        .series()
                        .filter(|s| s.exists_at(self.now))
                        .map(|s| (s.labels.to_map(), s))
                        .filter(|(labels, _)| matchers.iter().all(|m| m.matches(labels)))
                        .map(|(labels, s)| {
                            let increase = (s.value_at(self.now) - s.value_at(start)) as f64;
                            let value = if name == "rate" {
                                increase / seconds
                            } else {
                                increase
                            };
                            (without_name(labels), value)
                        })
                        .collect(),
                )
            }
            ("vector", arg) => match self.eval(arg)? {
                Val::Scalar(f) => Val::Vector(vec![(Labels::new(), f)]),
                Val::Vector(_) => {
                    return Err("bad_data: invalid parameter \"query\": expected type scalar in call to function \"vector\", got instant vector".into())
                }
            },
            ("scalar", arg) => match self.eval(arg)? {
                Val::Vector(samples) if samples.len() == 1 => Val::Scalar(samples[0].1),
                Val::Vector(_) => Val::Scalar(f64::NAN),
                Val::Scalar(_) => {
                    return Err("bad_data: invalid parameter \"query\": expected type instant vector in call to function \"scalar\", got scalar".into())
                }
            },
            _ => return Err(unsupported(&format!("the function {name}()"))),
        })
    }
}

fn aggregate(op: &str, grouping: &Grouping, samples: Vec<(Labels, f64)>) -> Val {
    let mut groups: BTreeMap<Labels, Vec<f64>> = BTreeMap::new();
    for (labels, value) in samples {
        let key: Labels = match grouping {
            Grouping::None => Labels::new(),
            Grouping::By(names) => labels
                .into_iter()
                .filter(|(k, _)| names.contains(k))
                .collect(),
            Grouping::Without(names) => labels
                .into_iter()
                .filter(|(k, _)| k != "__name__" && !names.contains(k))
                .collect(),
        };
        groups.entry(key).or_default().push(value);
    }
    Val::Vector(
        groups
            .into_iter()
            .map(|(labels, values)| {
                let value = match op {
                    "sum" => values.iter().sum(),
                    "avg" => values.iter().sum::<f64>() / values.len() as f64,
                    "min" => values.iter().copied().fold(f64::INFINITY, f64::min),
                    "max" => values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                    _ => values.len() as f64,
                };
                (labels, value)
            })
            .collect(),
    )
}

fn arithmetic(op: &str, a: f64, b: f64) -> f64 {
    match op {
        "+" => a + b,
        "-" => a - b,
        "*" => a * b,
        "/" => a / b,
        "%" => a % b,
        _ => a.powf(b),
    }
}

fn binary(op: &str, l: Val, r: Val) -> Result<Val, String> {
    if op == "or" {
        let (Val::Vector(left), Val::Vector(right)) = (l, r) else {
            return Err("bad_data: invalid parameter \"query\": set operator \"or\" not allowed in binary scalar expression".into());
        };
        let mut out = left.clone();
        let seen: Vec<Labels> = left.into_iter().map(|(l, _)| without_name(l)).collect();
        for (labels, value) in right {
            if !seen.contains(&without_name(labels.clone())) {
                out.push((labels, value));
            }
        }
        return Ok(Val::Vector(out));
    }
    Ok(match (l, r) {
        (Val::Scalar(a), Val::Scalar(b)) => Val::Scalar(arithmetic(op, a, b)),
        (Val::Vector(v), Val::Scalar(b)) => Val::Vector(
            v.into_iter()
                .map(|(l, a)| (without_name(l), arithmetic(op, a, b)))
                .collect(),
        ),
        (Val::Scalar(a), Val::Vector(v)) => Val::Vector(
            v.into_iter()
                .map(|(l, b)| (without_name(l), arithmetic(op, a, b)))
                .collect(),
        ),
        (Val::Vector(left), Val::Vector(right)) => {
            let mut by_labels: BTreeMap<Labels, f64> = BTreeMap::new();
            for (labels, value) in right {
                let key = without_name(labels);
                if by_labels.insert(key.clone(), value).is_some() {
                    return Err(format!(
                        "found duplicate series for the match group {} on the right hand-side of the operation",
                        format_labels(&key)
                    ));
                }
            }
            let mut out = Vec::new();
            for (labels, a) in left {
                let key = without_name(labels);
                if let Some(b) = by_labels.get(&key) {
                    out.push((key, arithmetic(op, a, *b)));
                }
            }
            Val::Vector(out)
        }
    })
}

fn format_labels(labels: &Labels) -> String {
    let inner: Vec<String> = labels
        .iter()
        .map(|(k, v)| format!("{k}={}", crate::strconv::quote(v)))
        .collect();
    format!("{{{}}}", inner.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::metrics::RequestLabels;

    fn counters() -> RequestCounters {
        let mut counters = RequestCounters::default();
        let mut record = |pod: &str, service: &str, code: u16, n: i64, from: i64| {
            for i in 0..n {
                counters.record(
                    RequestLabels {
                        namespace: "default".into(),
                        service: service.into(),
                        pod: pod.into(),
                        version: "v1.0".into(),
                        rollouts_pod_template_hash: String::new(),
                        code,
                    },
                    Time((from + i) * 1000),
                );
            }
        };
        // Long ago, outside the window.
        record("stable-a", "demo-stable", 200, 10, 0);
        // Over the last minute (now = 120 s): stable 30 OK; canary 6 OK and 4 errors.
        record("stable-a", "demo-stable", 200, 30, 80);
        record("canary-a", "demo-canary", 200, 6, 100);
        record("canary-a", "demo-canary", 506, 4, 110);
        counters
    }

    fn run(q: &str) -> Result<QueryResult, String> {
        query(&counters(), q, Time(120_000))
    }

    fn single(q: &str) -> f64 {
        match run(q) {
            Ok(QueryResult::Vector(v)) if v.len() == 1 => v[0].1,
            other => panic!("{q}: {other:?}"),
        }
    }

    #[test]
    fn error_rates_come_from_the_requests_answered() {
        let error_rate = single(
            r#"sum(rate(http_requests_total{service="demo-canary",code=~"5.."}[1m])) / sum(rate(http_requests_total{service="demo-canary"}[1m]))"#,
        );
        assert!((error_rate - 0.4).abs() < 1e-9, "{error_rate}");
        let success =
            single(r#"sum(increase(http_requests_total{service="demo-stable", code!~"5.*"}[1m]))"#);
        assert_eq!(success, 30.0);
        assert_eq!(single("sum(http_requests_total)"), 50.0);
        assert_eq!(single("sum(http_requests_total) * 2 - 100"), 0.0);
    }

    #[test]
    fn grouping_keeps_only_the_named_labels() {
        let Ok(QueryResult::Vector(v)) =
            run("sum by (code) (rate(http_requests_total{namespace=\"default\"}[1m]))")
        else {
            panic!()
        };
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].0, Labels::from([("code".into(), "200".into())]));
        assert!((v[0].1 - 0.6).abs() < 1e-9);
        assert_eq!(v[1].0, Labels::from([("code".into(), "506".into())]));
    }

    #[test]
    fn empty_results_stay_empty_unless_or_supplies_a_default() {
        assert_eq!(
            run(r#"sum(rate(http_requests_total{code="500"}[1m]))"#),
            Ok(QueryResult::Vector(vec![]))
        );
        assert_eq!(
            single(r#"sum(rate(http_requests_total{code="500"}[1m])) or vector(0)"#),
            0.0
        );
        assert_eq!(run("1 + 2 * 3"), Ok(QueryResult::Scalar(7.0)));
        assert_eq!(
            run("scalar(sum(http_requests_total))"),
            Ok(QueryResult::Scalar(50.0))
        );
    }

    #[test]
    fn what_the_lab_does_not_evaluate_says_so() {
        assert!(run("histogram_quantile(0.9, x)")
            .unwrap_err()
            .contains("does not evaluate"));
        assert!(run("http_requests_total > 1")
            .unwrap_err()
            .contains("comparison"));
        assert!(run("sum(rate(http_requests_total[1m])")
            .unwrap_err()
            .starts_with("bad_data: invalid parameter \"query\": 1:"));
        assert!(run("foo(1)")
            .unwrap_err()
            .contains("unknown function with name \"foo\""));
    }
}
