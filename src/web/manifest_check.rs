//! What the editor shows about a manifest as it is typed: the problems `kubectl apply -f`
//! would report (with the line they are at, when known) and a YAML colouring per line.
//!
//! Plain Rust with no web API. Problems come from the simulator's own reader and
//! validation — `parse_manifests`, `apply_defaults`, `validate_create` — so the words are
//! kubectl's. Each `---` document is checked on its own, which places a syntax error (go-yaml
//! counts lines from the start of its document) and a rejected object at their line.

use rollout_sim::api::validation::validate_create;
use rollout_sim::api::Verb;
use rollout_sim::manifest::{apply_defaults, parse_manifests_for, ManifestError};
use rollout_sim::objects::Kind;

/// One problem in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line in the file; `None` when the reader names none.
    pub line: Option<usize>,
    /// What kubectl prints.
    pub message: String,
    /// For a syntax error in a document after a `---`: the line as kubectl's message counts
    /// it (from the document's first line), and the file line that document starts at. The
    /// editor says how the two numbers agree.
    pub in_document: Option<(usize, usize)>,
}

/// The documents of `text`: (1-based line of their first line, their text).
fn documents(text: &str) -> Vec<(usize, String)> {
    let mut docs = Vec::new();
    let mut start = 1;
    let mut current = String::new();
    for (i, line) in text.lines().enumerate() {
        let separator = line == "---" || line.starts_with("--- ") || line.trim_end() == "---";
        if separator {
            docs.push((start, std::mem::take(&mut current)));
            start = i + 2;
        } else {
            current.push_str(line);
            current.push('\n');
        }
    }
    docs.push((start, current));
    docs
}

/// The line of a document's object: its `kind:` line, else its first line with text.
fn object_line(start: usize, doc: &str) -> usize {
    let lines: Vec<&str> = doc.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("kind:"))
        .or_else(|| {
            lines
                .iter()
                .position(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        })
        .unwrap_or(0);
    start + at
}

/// The problems `kubectl apply -f file_name` would report for `text`, in file order.
pub fn check(text: &str, file_name: &str, served: &dyn Fn(Kind) -> bool) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (start, doc) in documents(text) {
        if doc.trim().is_empty() {
            continue;
        }
        for result in parse_manifests_for(&doc, file_name, served) {
            match result {
                Err(err) => {
                    let (line, in_document) = match &err {
                        ManifestError::Syntax { line, .. } => (
                            line.map(|l| start + l.saturating_sub(1)),
                            line.filter(|_| start > 1).map(|l| (l, start)),
                        ),
                        _ => (Some(object_line(start, &doc)), None),
                    };
                    let stops = err.stops_reading();
                    problems.push(Problem {
                        line,
                        message: err.message(Verb::Creating),
                        in_document,
                    });
                    if stops {
                        // kubectl reads no further: later documents are not checked either.
                        return problems;
                    }
                }
                Ok(mut object) => {
                    if object.metadata().namespace.is_empty() {
                        object.metadata_mut().namespace = "default".into();
                    }
                    apply_defaults(&mut object);
                    if let Err(error) = validate_create(&object) {
                        problems.push(Problem {
                            line: Some(object_line(start, &doc)),
                            in_document: None,
                            message: ManifestError::Rejected {
                                file: file_name.to_string(),
                                error,
                            }
                            .message(Verb::Creating),
                        });
                    }
                }
            }
        }
    }
    problems
}

/// The kind of a piece of a YAML line, for its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token {
    Plain,
    Key,
    /// `-` of a list item, `:`, `|`, `>`.
    Punct,
    String,
    Number,
    /// `true`, `false`, `null`, `~`.
    Literal,
    Comment,
    /// `---`, `...`.
    Document,
}

impl Token {
    pub fn class(self) -> &'static str {
        match self {
            Token::Plain => "y-plain",
            Token::Key => "y-key",
            Token::Punct => "y-punct",
            Token::String => "y-string",
            Token::Number => "y-number",
            Token::Literal => "y-literal",
            Token::Comment => "y-comment",
            Token::Document => "y-doc",
        }
    }
}

/// Where a `#` starts a comment in `s` (outside quotes, at the start or after a space).
fn comment_start(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && previous.is_whitespace() => return Some(i),
            None => {}
        }
        previous = c;
    }
    None
}

fn scalar_token(value: &str) -> Token {
    let v = value.trim();
    if v.starts_with('"') || v.starts_with('\'') {
        Token::String
    } else if matches!(
        v,
        "true" | "false" | "null" | "~" | "True" | "False" | "yes" | "no"
    ) {
        Token::Literal
    } else if !v.is_empty() && v.parse::<f64>().is_ok() {
        Token::Number
    } else if v == "|" || v == ">" || v == "|-" || v == ">-" {
        Token::Punct
    } else {
        Token::Plain
    }
}

/// One line cut into coloured pieces; the pieces put together give the line back.
pub fn highlight_line(line: &str) -> Vec<(Token, &str)> {
    if line == "---" || line == "..." || line.starts_with("--- ") {
        return vec![(Token::Document, line)];
    }
    let mut out = Vec::new();
    let (code, comment) = match comment_start(line) {
        Some(i) => (&line[..i], Some(&line[i..])),
        None => (line, None),
    };
    let mut rest = code;
    // Indentation and list dashes.
    loop {
        let indent = rest.len() - rest.trim_start().len();
        if indent > 0 {
            out.push((Token::Plain, &rest[..indent]));
            rest = &rest[indent..];
        }
        if rest == "-" || rest.starts_with("- ") {
            out.push((Token::Punct, &rest[..1]));
            rest = &rest[1..];
        } else {
            break;
        }
    }
    // `key: value` (a key has no quote or flow bracket before its colon).
    let key_end = rest
        .find(": ")
        .or_else(|| rest.ends_with(':').then(|| rest.len() - 1));
    match key_end {
        Some(colon) if !rest[..colon].contains(['"', '\'', '{', '[']) => {
            out.push((Token::Key, &rest[..colon]));
            out.push((Token::Punct, &rest[colon..colon + 1]));
            let value = &rest[colon + 1..];
            if !value.is_empty() {
                out.push((scalar_token(value), value));
            }
        }
        _ => {
            if !rest.is_empty() {
                out.push((scalar_token(rest), rest));
            }
        }
    }
    if let Some(comment) = comment {
        out.push((Token::Comment, comment));
    }
    out
}
