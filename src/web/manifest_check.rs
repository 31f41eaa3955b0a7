//! What the editor shows about a manifest as it is typed: the problems `kubectl apply -f`
//! would report (`rollout_kubectl::cmd::apply_problems`, with the line they are at, when
//! known) and a YAML colouring per line.
//!
//! Plain Rust with no web API.

pub use rollout_kubectl::cmd::apply_problems::Problem;
use rollout_kubectl::lab::engine::engine;
use rollout_sim::objects::Kind;

/// The problems `kubectl apply -f file_name` would report for `text`, in file order; none
/// until the lab's code has arrived.
pub fn check(text: &str, file_name: &str, served: &dyn Fn(Kind) -> bool) -> Vec<Problem> {
    (engine().apply_problems)(text, file_name, served)
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
