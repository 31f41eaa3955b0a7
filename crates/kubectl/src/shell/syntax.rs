//! Shell grammar: the AST, a lexer that also reads heredoc bodies, and a recursive-descent
//! parser that tells "incomplete, show `> `" apart from a syntax error, like interactive bash.
//!
//! Supported: lists (`;`, `&`, newlines), `&&`, `||`, `!`, pipes, `for … in …; do … done`,
//! `while`/`until`, `if/elif/else/fi`, `{ …; }`, `( … )`, redirections (`>`, `>>`, `<`, `<<`,
//! `<<-`, `<<<`, `N>&M`, `&>`), quoting (`'…'`, `"…"`, `$'…'`, `\`), `$NAME`, `${NAME}`,
//! `${NAME:-word}` and friends, `${#NAME}`, `$(…)`, `` `…` ``, `$((…))`, `~`, comments.
//! Not supported: functions, `case`, `[[ … ]]` patterns, arrays, here-strings with
//! expansions of arrays, process substitution. `cmd &` runs in the background (see `jobs`).

use std::rc::Rc;

/// A list of and-or lists: a whole input, or a loop body.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Program {
    pub items: Vec<AndOr>,
}

/// `a && b || c`: pipelines joined by short-circuit connectors, evaluated left to right.
#[derive(Clone, Debug, PartialEq)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(Connector, Pipeline)>,
    /// Followed by `&`: runs as a background job; the text is how `jobs` shows it.
    pub background: Option<Rc<str>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connector {
    And,
    Or,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pipeline {
    /// `! cmd`: the status is inverted.
    pub negate: bool,
    pub commands: Vec<Command>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Simple(Rc<SimpleCommand>),
    Compound(Rc<Compound>, Rc<Vec<Redirect>>),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SimpleCommand {
    /// `NAME=value` words before the command name.
    pub assigns: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Compound {
    For {
        var: String,
        /// `None`: `for x; do` (iterates over the positional parameters, which are empty).
        items: Option<Vec<Word>>,
        body: Rc<Program>,
    },
    While {
        until: bool,
        cond: Rc<Program>,
        body: Rc<Program>,
    },
    If {
        arms: Vec<(Rc<Program>, Rc<Program>)>,
        otherwise: Option<Rc<Program>>,
    },
    Group(Rc<Program>),
    Subshell(Rc<Program>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Redirect {
    pub fd: u32,
    pub op: RedirOp,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RedirOp {
    /// `>`, `>>`, `>|`.
    Write { target: Word, append: bool },
    /// `&>`, `&>>`, `>& file`: stdout and stderr.
    WriteBoth { target: Word, append: bool },
    /// `<`.
    Read(Word),
    /// `N>&M`: fd N becomes a copy of fd M.
    Dup(u32),
    /// `N>&-`.
    Close,
    /// `<<`, `<<-`: the body, already tab-stripped; literal when the delimiter was quoted.
    HereDoc(Word),
    /// `<<<word`.
    HereString(Word),
}

/// One shell word before expansion: pieces that keep track of what was quoted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Word {
    pub parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    /// Literal text; `quoted` text is neither split nor globbed.
    Text { text: String, quoted: bool },
    /// A leading `~`.
    Tilde,
    Param {
        name: String,
        op: ParamOp,
        quoted: bool,
    },
    /// `$(…)` or `` `…` ``.
    Subst { program: Rc<Program>, quoted: bool },
    /// `$((…))`: the expression text after expansion is evaluated.
    Arith { expr: Word, quoted: bool },
    /// `${…}` we cannot expand: bash reports it when the word is expanded, not when parsed.
    BadSubst(String),
}

#[derive(Clone, Debug, PartialEq)]
pub enum ParamOp {
    Plain,
    /// `${#NAME}`.
    Length,
    /// `${NAME:-word}` (`colon`: also when empty) / `${NAME-word}`.
    Default {
        word: Word,
        colon: bool,
    },
    /// `${NAME:=word}`.
    Assign {
        word: Word,
        colon: bool,
    },
    /// `${NAME:+word}`.
    Alternative {
        word: Word,
        colon: bool,
    },
    /// `${NAME:?word}`.
    Error {
        word: Word,
        colon: bool,
    },
}

impl Word {
    /// A word that is one quoted literal (heredoc bodies with a quoted delimiter).
    pub fn literal(text: &str) -> Word {
        Word {
            parts: vec![Part::Text {
                text: text.to_string(),
                quoted: true,
            }],
        }
    }
}

/// Why some input is not a program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// More lines are needed (open quote, heredoc, `do` without `done`, trailing `|`).
    Incomplete,
    /// `syntax error near unexpected token `X'`; holds X (`newline` for a line end).
    Unexpected(String),
    /// `for 1 in …`: `` `1': not a valid identifier ``.
    NotIdentifier(String),
}

impl ParseError {
    /// The text the given shell prints, without the `bash: ` prefix.
    pub fn message(&self, flavor: super::Flavor) -> String {
        match (self, flavor) {
            (ParseError::Incomplete, super::Flavor::Bash) => {
                "syntax error: unexpected end of file".into()
            }
            (ParseError::Incomplete, super::Flavor::Sh) => {
                "syntax error: unexpected end of file (expecting more)".into()
            }
            (ParseError::Unexpected(t), super::Flavor::Bash) => {
                format!("syntax error near unexpected token `{t}'")
            }
            (ParseError::Unexpected(t), super::Flavor::Sh) => {
                if t == "newline" {
                    "syntax error: unexpected newline".into()
                } else {
                    format!("syntax error: unexpected \"{t}\"")
                }
            }
            (ParseError::NotIdentifier(n), _) => format!("`{n}': not a valid identifier"),
        }
    }
}

type Result<T> = std::result::Result<T, ParseError>;

/// Parses a complete input (lines joined with `\n`, ending with `\n`).
pub fn parse(src: &str) -> Result<Program> {
    let chars: Vec<char> = src.chars().collect();
    let mut lexer = Lexer::new(&chars);
    let tokens = lexer.tokens(false)?;
    Parser::new(tokens, lexer.heredocs, None).program()
}

/// Parses the `$(…)`-free text of a `watch` command or a sourced file.
pub fn parse_script(src: &str) -> Result<Program> {
    let mut text = src.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    parse(&text)
}

/// Parses `$((…))`'s expression text, `${X:-…}` words and heredoc bodies: expansions only,
/// `"` and `'` are ordinary characters.
fn parse_dq_body(text: &str) -> Result<Word> {
    let chars: Vec<char> = text.chars().collect();
    let mut lexer = Lexer::new(&chars);
    let mut parts = Vec::new();
    lexer.dq_parts(&mut parts, None, true)?;
    Ok(Word { parts })
}

// ---------------------------------------------------------------------------------------------
// Lexer

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Word {
        word: Word,
        raw: String,
        plain: bool,
    },
    IoNumber(u32),
    Op(&'static str),
    /// A heredoc operator; the index points into the lexer's bodies.
    HereDoc(usize),
    Newline,
    Eof,
}

impl Tok {
    fn display(&self) -> String {
        match self {
            Tok::Word { raw, .. } => raw.clone(),
            Tok::IoNumber(n) => n.to_string(),
            Tok::Op(op) => (*op).to_string(),
            Tok::HereDoc(_) => "<<".into(),
            Tok::Newline | Tok::Eof => "newline".into(),
        }
    }

    fn keyword(&self) -> Option<&str> {
        match self {
            Tok::Word {
                raw, plain: true, ..
            } => Some(raw.as_str()),
            _ => None,
        }
    }
}

struct PendingHereDoc {
    index: usize,
    delim: String,
    quoted: bool,
    strip_tabs: bool,
}

struct Lexer<'a> {
    src: &'a [char],
    pos: usize,
    pending: Vec<PendingHereDoc>,
    heredocs: Vec<Word>,
}

const OPERATORS: &[&str] = &[
    "&&", "||", ";;", "|&", "&>>", "&>", ">>", ">&", ">|", "<&", "<<<", ";", "&", "|", "(", ")",
    "<", ">",
];

impl<'a> Lexer<'a> {
    fn new(src: &'a [char]) -> Lexer<'a> {
        Lexer {
            src,
            pos: 0,
            pending: Vec::new(),
            heredocs: Vec::new(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.src.get(self.pos).copied()
    }

    fn peek_at(&self, off: usize) -> Option<char> {
        self.src.get(self.pos + off).copied()
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(i, c)| self.peek_at(i) == Some(c))
    }

    /// Tokens up to the end of input, or (in `$(…)`) up to the unmatched `)`, consumed.
    fn tokens(&mut self, in_subst: bool) -> Result<Vec<Tok>> {
        let mut toks = Vec::new();
        let mut depth = 0usize;
        loop {
            // Blanks, comments and line continuations between tokens.
            loop {
                match self.peek() {
                    Some(' ') | Some('\t') | Some('\r') => self.pos += 1,
                    Some('\\') if self.peek_at(1) == Some('\n') => {
                        self.pos += 2;
                        if self.peek().is_none() {
                            return Err(ParseError::Incomplete);
                        }
                    }
                    Some('#') => {
                        while let Some(c) = self.peek() {
                            if c == '\n' {
                                break;
                            }
                            self.pos += 1;
                        }
                    }
                    _ => break,
                }
            }
            let Some(c) = self.peek() else {
                if in_subst || !self.pending.is_empty() {
                    return Err(ParseError::Incomplete);
                }
                toks.push(Tok::Eof);
                return Ok(toks);
            };
            if c == '\n' {
                self.pos += 1;
                self.read_heredoc_bodies()?;
                toks.push(Tok::Newline);
                continue;
            }
            if in_subst && c == ')' && depth == 0 {
                self.pos += 1;
                if !self.pending.is_empty() {
                    // `$(cat <<EOF)` with the body never given.
                    return Err(ParseError::Unexpected(")".into()));
                }
                toks.push(Tok::Eof);
                return Ok(toks);
            }
            if self.starts_with("<<") && !self.starts_with("<<<") {
                let strip_tabs = self.starts_with("<<-");
                self.pos += if strip_tabs { 3 } else { 2 };
                toks.push(self.heredoc_operator(strip_tabs)?);
                continue;
            }
            if let Some(op) = OPERATORS.iter().find(|op| self.starts_with(op)) {
                self.pos += op.chars().count();
                match *op {
                    "(" => depth += 1,
                    ")" => depth = depth.saturating_sub(1),
                    _ => {}
                }
                toks.push(Tok::Op(op));
                continue;
            }
            let start = self.pos;
            let (word, plain) = self.word()?;
            let raw: String = self.src[start..self.pos].iter().collect();
            let is_io_number = plain
                && !raw.is_empty()
                && raw.chars().all(|c| c.is_ascii_digit())
                && matches!(self.peek(), Some('<') | Some('>'));
            if is_io_number {
                toks.push(Tok::IoNumber(raw.parse().unwrap_or(u32::MAX)));
            } else {
                toks.push(Tok::Word { word, raw, plain });
            }
        }
    }

    /// After `<<`: reads the delimiter word now, and the body at the next newline.
    fn heredoc_operator(&mut self, strip_tabs: bool) -> Result<Tok> {
        while matches!(self.peek(), Some(' ') | Some('\t')) {
            self.pos += 1;
        }
        match self.peek() {
            None => return Err(ParseError::Incomplete),
            Some('\n') => return Err(ParseError::Unexpected("newline".into())),
            Some(c) if ";&|()<>".contains(c) => {
                let op = OPERATORS
                    .iter()
                    .find(|op| self.starts_with(op))
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| c.to_string());
                return Err(ParseError::Unexpected(op));
            }
            _ => {}
        }
        let start = self.pos;
        self.word()?;
        let raw: String = self.src[start..self.pos].iter().collect();
        let quoted = raw.contains(['\'', '"', '\\']);
        let delim: String = raw.chars().filter(|c| !"'\"\\".contains(*c)).collect();
        let index = self.heredocs.len();
        self.heredocs.push(Word::default());
        self.pending.push(PendingHereDoc {
            index,
            delim,
            quoted,
            strip_tabs,
        });
        Ok(Tok::HereDoc(index))
    }

    fn read_heredoc_bodies(&mut self) -> Result<()> {
        for doc in std::mem::take(&mut self.pending) {
            let mut body = String::new();
            loop {
                if self.peek().is_none() {
                    return Err(ParseError::Incomplete);
                }
                let mut line = String::new();
                while let Some(c) = self.peek() {
                    self.pos += 1;
                    if c == '\n' {
                        break;
                    }
                    line.push(c);
                }
                let line = if doc.strip_tabs {
                    line.trim_start_matches('\t').to_string()
                } else {
                    line
                };
                if line == doc.delim {
                    break;
                }
                body.push_str(&line);
                body.push('\n');
            }
            let word = if doc.quoted {
                Word::literal(&body)
            } else {
                parse_dq_body(&body)?
            };
            if let Some(slot) = self.heredocs.get_mut(doc.index) {
                *slot = word;
            }
        }
        Ok(())
    }

    /// One word in unquoted context. Returns the word and whether it was plain (no quoting or
    /// expansion: only such words can be keywords).
    fn word(&mut self) -> Result<(Word, bool)> {
        let mut parts: Vec<Part> = Vec::new();
        let mut plain = true;
        let word_start = self.pos;
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')' => break,
                '\\' => {
                    plain = false;
                    match self.peek_at(1) {
                        None => return Err(ParseError::Incomplete),
                        Some('\n') => {
                            self.pos += 2;
                            if self.peek().is_none() {
                                return Err(ParseError::Incomplete);
                            }
                        }
                        Some(next) => {
                            self.pos += 2;
                            push_text(&mut parts, &next.to_string(), true);
                        }
                    }
                }
                '\'' => {
                    plain = false;
                    self.pos += 1;
                    let mut text = String::new();
                    loop {
                        match self.peek() {
                            None => return Err(ParseError::Incomplete),
                            Some('\'') => {
                                self.pos += 1;
                                break;
                            }
                            Some(ch) => {
                                text.push(ch);
                                self.pos += 1;
                            }
                        }
                    }
                    push_text(&mut parts, &text, true);
                }
                '"' => {
                    plain = false;
                    self.pos += 1;
                    let before = parts.len();
                    self.dq_parts(&mut parts, Some('"'), false)?;
                    if parts.len() == before {
                        // `""` is an empty word, not no word.
                        parts.push(Part::Text {
                            text: String::new(),
                            quoted: true,
                        });
                    }
                }
                '$' => {
                    let before = parts.len();
                    self.dollar(&mut parts, false)?;
                    if parts.len() != before {
                        plain = false;
                    }
                }
                '`' => {
                    plain = false;
                    self.backtick(&mut parts, false)?;
                }
                '~' if self.pos == word_start
                    && matches!(
                        self.peek_at(1),
                        None | Some('/')
                            | Some(' ')
                            | Some('\t')
                            | Some('\n')
                            | Some(';')
                            | Some('&')
                            | Some('|')
                            | Some(')')
                    ) =>
                {
                    self.pos += 1;
                    plain = false;
                    parts.push(Part::Tilde);
                }
                other => {
                    self.pos += 1;
                    push_text(&mut parts, &other.to_string(), false);
                }
            }
        }
        Ok((Word { parts }, plain))
    }

    /// Double-quoted text up to `end` (consumed), or to the end of input when `end` is None.
    /// `heredoc`: `"` is an ordinary character and `\"` stays as typed.
    fn dq_parts(&mut self, parts: &mut Vec<Part>, end: Option<char>, heredoc: bool) -> Result<()> {
        loop {
            let Some(c) = self.peek() else {
                return match end {
                    Some(_) => Err(ParseError::Incomplete),
                    None => Ok(()),
                };
            };
            if Some(c) == end {
                self.pos += 1;
                return Ok(());
            }
            match c {
                '\\' => match self.peek_at(1) {
                    None => {
                        if end.is_some() {
                            return Err(ParseError::Incomplete);
                        }
                        self.pos += 1;
                        push_text(parts, "\\", true);
                    }
                    Some('\n') => self.pos += 2,
                    Some(n @ ('$' | '`' | '\\')) => {
                        self.pos += 2;
                        push_text(parts, &n.to_string(), true);
                    }
                    Some('"') if !heredoc => {
                        self.pos += 2;
                        push_text(parts, "\"", true);
                    }
                    Some(_) => {
                        self.pos += 1;
                        push_text(parts, "\\", true);
                    }
                },
                '$' => self.dollar(parts, true)?,
                '`' => self.backtick(parts, true)?,
                other => {
                    self.pos += 1;
                    push_text(parts, &other.to_string(), true);
                }
            }
        }
    }

    /// At a `$`: a parameter, `${…}`, `$(…)`, `$((…))`, `$'…'`, or a literal `$`.
    fn dollar(&mut self, parts: &mut Vec<Part>, quoted: bool) -> Result<()> {
        self.pos += 1; // the `$`
        match self.peek() {
            Some('(') if self.peek_at(1) == Some('(') => {
                self.pos += 2;
                let text = self.balanced_arith()?;
                let expr = parse_dq_body(&text)?;
                parts.push(Part::Arith { expr, quoted });
            }
            Some('(') => {
                self.pos += 1;
                let mut inner = Lexer {
                    src: self.src,
                    pos: self.pos,
                    pending: Vec::new(),
                    heredocs: Vec::new(),
                };
                let toks = inner.tokens(true)?;
                self.pos = inner.pos;
                let program = Parser::new(toks, inner.heredocs, Some(")")).program()?;
                parts.push(Part::Subst {
                    program: Rc::new(program),
                    quoted,
                });
            }
            Some('{') => {
                self.pos += 1;
                self.braced_param(parts, quoted)?;
            }
            Some('\'') if !quoted => {
                self.pos += 1;
                let mut text = String::new();
                loop {
                    match self.peek() {
                        None => return Err(ParseError::Incomplete),
                        Some('\'') => {
                            self.pos += 1;
                            break;
                        }
                        Some('\\') => {
                            let esc = self.peek_at(1).ok_or(ParseError::Incomplete)?;
                            self.pos += 2;
                            text.push_str(&ansi_escape(esc));
                        }
                        Some(ch) => {
                            self.pos += 1;
                            text.push(ch);
                        }
                    }
                }
                push_text(parts, &text, true);
            }
            Some(c) if c == '_' || c.is_ascii_alphabetic() => {
                let mut name = String::new();
                while let Some(ch) = self.peek() {
                    if ch == '_' || ch.is_ascii_alphanumeric() {
                        name.push(ch);
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                parts.push(Part::Param {
                    name,
                    op: ParamOp::Plain,
                    quoted,
                });
            }
            Some(c) if "?$#!@*-".contains(c) || c.is_ascii_digit() => {
                self.pos += 1;
                parts.push(Part::Param {
                    name: c.to_string(),
                    op: ParamOp::Plain,
                    quoted,
                });
            }
            _ => push_text(parts, "$", quoted),
        }
        Ok(())
    }

    /// The text of `$((…))` up to the closing `))`, both consumed.
    fn balanced_arith(&mut self) -> Result<String> {
        let mut depth = 0usize;
        let mut text = String::new();
        loop {
            match self.peek() {
                None => return Err(ParseError::Incomplete),
                Some('(') => depth += 1,
                Some(')') if depth == 0 => {
                    if self.peek_at(1) == Some(')') {
                        self.pos += 2;
                        return Ok(text);
                    }
                    if self.peek_at(1).is_none() {
                        return Err(ParseError::Incomplete);
                    }
                    return Err(ParseError::Unexpected(")".into()));
                }
                Some(')') => depth -= 1,
                _ => {}
            }
            if let Some(c) = self.peek() {
                text.push(c);
            }
            self.pos += 1;
        }
    }

    /// After `${`.
    fn braced_param(&mut self, parts: &mut Vec<Part>, quoted: bool) -> Result<()> {
        let start = self.pos;
        // Find the matching `}` first, so a bad substitution still ends at the right place.
        let mut depth = 0usize;
        let mut end = self.pos;
        loop {
            match self.src.get(end) {
                None => return Err(ParseError::Incomplete),
                Some('{') => depth += 1,
                Some('}') if depth == 0 => break,
                Some('}') => depth -= 1,
                Some('\\') => end += 1,
                _ => {}
            }
            end += 1;
        }
        let inner: String = self.src[start..end].iter().collect();
        self.pos = end + 1;
        let bad = || Part::BadSubst(format!("${{{inner}}}"));
        let (length, body) = match inner.strip_prefix('#') {
            Some(rest) if !rest.is_empty() => (true, rest),
            _ => (false, inner.as_str()),
        };
        let name_len = if body.starts_with(|c: char| "?$#!@*-".contains(c) || c.is_ascii_digit()) {
            1
        } else {
            body.find(|c: char| !(c == '_' || c.is_ascii_alphanumeric()))
                .unwrap_or(body.len())
        };
        let (name, rest) = body.split_at(name_len);
        if name.is_empty() || (name.len() > 1 && name.starts_with(|c: char| c.is_ascii_digit())) {
            parts.push(bad());
            return Ok(());
        }
        if length {
            parts.push(if rest.is_empty() {
                Part::Param {
                    name: name.into(),
                    op: ParamOp::Length,
                    quoted,
                }
            } else {
                bad()
            });
            return Ok(());
        }
        let (colon, rest) = match rest.strip_prefix(':') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let mut chars = rest.chars();
        let op_char = chars.next();
        let word_text: String = chars.collect();
        let op = match op_char {
            None if !colon => ParamOp::Plain,
            Some('-') => ParamOp::Default {
                word: parse_dq_body(&word_text)?,
                colon,
            },
            Some('=') => ParamOp::Assign {
                word: parse_dq_body(&word_text)?,
                colon,
            },
            Some('+') => ParamOp::Alternative {
                word: parse_dq_body(&word_text)?,
                colon,
            },
            Some('?') => ParamOp::Error {
                word: parse_dq_body(&word_text)?,
                colon,
            },
            _ => {
                parts.push(bad());
                return Ok(());
            }
        };
        parts.push(Part::Param {
            name: name.into(),
            op,
            quoted,
        });
        Ok(())
    }

    /// `` `…` ``: the text up to the closing backtick, with `\``, `\\`, `\$` unescaped.
    fn backtick(&mut self, parts: &mut Vec<Part>, quoted: bool) -> Result<()> {
        self.pos += 1;
        let mut text = String::new();
        loop {
            match self.peek() {
                None => return Err(ParseError::Incomplete),
                Some('`') => {
                    self.pos += 1;
                    break;
                }
                Some('\\') => match self.peek_at(1) {
                    Some(c @ ('`' | '\\' | '$')) => {
                        self.pos += 2;
                        text.push(c);
                    }
                    _ => {
                        self.pos += 1;
                        text.push('\\');
                    }
                },
                Some(c) => {
                    self.pos += 1;
                    text.push(c);
                }
            }
        }
        let program = match parse_script(&text) {
            Ok(p) => p,
            Err(ParseError::Incomplete) => {
                return Err(ParseError::Unexpected("`".into()));
            }
            Err(e) => return Err(e),
        };
        parts.push(Part::Subst {
            program: Rc::new(program),
            quoted,
        });
        Ok(())
    }
}

fn ansi_escape(c: char) -> String {
    match c {
        'n' => "\n".into(),
        't' => "\t".into(),
        'r' => "\r".into(),
        'e' | 'E' => "\x1b".into(),
        'a' => "\x07".into(),
        '\\' => "\\".into(),
        '\'' => "'".into(),
        '"' => "\"".into(),
        '0' => "\0".into(),
        other => format!("\\{other}"),
    }
}

fn push_text(parts: &mut Vec<Part>, text: &str, quoted: bool) {
    if let Some(Part::Text { text: t, quoted: q }) = parts.last_mut() {
        if *q == quoted {
            t.push_str(text);
            return;
        }
    }
    parts.push(Part::Text {
        text: text.to_string(),
        quoted,
    });
}

// ---------------------------------------------------------------------------------------------
// Parser

/// Words that end a compound list; they cannot start a command.
const CLOSERS: &[&str] = &[
    "then", "do", "done", "fi", "else", "elif", "esac", "}", "in",
];

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    heredocs: Vec<Word>,
    /// Inside `$(…)` the end of tokens is the `)`: an unfinished construct there is a syntax
    /// error on `)`, not a request for more lines.
    eof_token: Option<&'static str>,
}

impl Parser {
    fn new(toks: Vec<Tok>, heredocs: Vec<Word>, eof_token: Option<&'static str>) -> Parser {
        Parser {
            toks,
            pos: 0,
            heredocs,
            eof_token,
        }
    }

    fn peek(&self) -> &Tok {
        self.toks.get(self.pos).unwrap_or(&Tok::Eof)
    }

    fn next(&mut self) -> Tok {
        let tok = self.peek().clone();
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
        tok
    }

    fn unexpected(&self) -> ParseError {
        match (self.peek(), self.eof_token) {
            (Tok::Eof, None) => ParseError::Incomplete,
            (Tok::Eof, Some(t)) => ParseError::Unexpected(t.into()),
            (tok, _) => ParseError::Unexpected(tok.display()),
        }
    }

    fn skip_newlines(&mut self) {
        while *self.peek() == Tok::Newline {
            self.pos += 1;
        }
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }

    fn program(&mut self) -> Result<Program> {
        let list = self.list(&[], true)?;
        match self.peek() {
            Tok::Eof => Ok(list),
            _ => Err(self.unexpected()),
        }
    }

    /// A compound list ending before one of `stops` (a keyword, or `)`); `top`: the whole input,
    /// which may be empty and ends at end of input.
    fn list(&mut self, stops: &[&str], top: bool) -> Result<Program> {
        let mut items = Vec::new();
        loop {
            self.skip_newlines();
            let tok = self.peek().clone();
            match &tok {
                Tok::Eof if top => break,
                Tok::Eof => return Err(self.unexpected()),
                Tok::Op(")") if stops.contains(&")") => break,
                _ => {}
            }
            if let Some(kw) = tok.keyword() {
                if stops.contains(&kw) {
                    break;
                }
            }
            let start = self.pos;
            let mut item = self.and_or()?;
            if self.is_op("&") {
                item.background = Some(self.source_text(start).into());
            }
            items.push(item);
            match self.peek() {
                Tok::Op(";") | Tok::Op("&") => {
                    self.pos += 1;
                }
                Tok::Newline | Tok::Eof => {}
                Tok::Op(")") if stops.contains(&")") => {}
                _ => return Err(self.unexpected()),
            }
        }
        if items.is_empty() && !top {
            return Err(self.unexpected());
        }
        Ok(Program { items })
    }

    fn and_or(&mut self) -> Result<AndOr> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let connector = match self.peek() {
                Tok::Op("&&") => Connector::And,
                Tok::Op("||") => Connector::Or,
                _ => break,
            };
            self.pos += 1;
            self.skip_newlines();
            rest.push((connector, self.pipeline()?));
        }
        Ok(AndOr {
            first,
            rest,
            background: None,
        })
    }

    /// The tokens from `start` to here as bash prints a command back (`jobs`): words and
    /// operators one space apart, a redirection's fd glued to it (`2>&1`).
    fn source_text(&self, start: usize) -> String {
        let mut text = String::new();
        let mut glue = true;
        for tok in self.toks.get(start..self.pos).unwrap_or_default() {
            if *tok == Tok::Newline {
                continue;
            }
            if !glue && *tok != Tok::Op(";") {
                text.push(' ');
            }
            text.push_str(&tok.display());
            glue = matches!(tok, Tok::IoNumber(_) | Tok::Op(">&" | "<&"));
        }
        text
    }

    fn pipeline(&mut self) -> Result<Pipeline> {
        let mut negate = false;
        while self.peek().keyword() == Some("!") {
            self.pos += 1;
            negate = !negate;
        }
        let mut commands = vec![self.command()?];
        while self.is_op("|") || self.is_op("|&") {
            let both = self.is_op("|&");
            self.pos += 1;
            if both {
                if let Some(Command::Simple(cmd)) = commands.last_mut() {
                    Rc::make_mut(cmd).redirects.push(Redirect {
                        fd: 2,
                        op: RedirOp::Dup(1),
                    });
                }
            }
            self.skip_newlines();
            commands.push(self.command()?);
        }
        Ok(Pipeline { negate, commands })
    }

    fn command(&mut self) -> Result<Command> {
        let tok = self.peek().clone();
        let compound = match tok.keyword() {
            Some("for") => {
                self.pos += 1;
                Some(self.for_loop()?)
            }
            Some(kw @ ("while" | "until")) => {
                let until = kw == "until";
                self.pos += 1;
                let cond = self.list(&["do"], false)?;
                self.expect_keyword("do")?;
                let body = self.list(&["done"], false)?;
                self.expect_keyword("done")?;
                Some(Compound::While {
                    until,
                    cond: Rc::new(cond),
                    body: Rc::new(body),
                })
            }
            Some("if") => {
                self.pos += 1;
                Some(self.if_clause()?)
            }
            Some("{") => {
                self.pos += 1;
                let body = self.list(&["}"], false)?;
                self.expect_keyword("}")?;
                Some(Compound::Group(Rc::new(body)))
            }
            Some(kw) if CLOSERS.contains(&kw) => {
                return Err(ParseError::Unexpected(kw.into()));
            }
            _ if self.is_op("(") => {
                self.pos += 1;
                let body = self.list(&[")"], false)?;
                if !self.is_op(")") {
                    return Err(self.unexpected());
                }
                self.pos += 1;
                Some(Compound::Subshell(Rc::new(body)))
            }
            _ => None,
        };
        match compound {
            Some(c) => {
                let mut redirects = Vec::new();
                while let Some(r) = self.redirect()? {
                    redirects.push(r);
                }
                Ok(Command::Compound(Rc::new(c), Rc::new(redirects)))
            }
            None => self.simple(),
        }
    }

    fn expect_keyword(&mut self, kw: &str) -> Result<()> {
        if self.peek().keyword() == Some(kw) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn for_loop(&mut self) -> Result<Compound> {
        let var = match self.next() {
            Tok::Word { raw, .. } => {
                if !is_name(&raw) {
                    return Err(ParseError::NotIdentifier(raw));
                }
                raw
            }
            Tok::Eof => {
                self.pos = self.pos.saturating_sub(1);
                return Err(self.unexpected());
            }
            other => return Err(ParseError::Unexpected(other.display())),
        };
        self.skip_newlines();
        let mut items = None;
        if self.peek().keyword() == Some("in") {
            self.pos += 1;
            let mut words = Vec::new();
            while let Tok::Word { word, .. } = self.peek().clone() {
                self.pos += 1;
                words.push(word);
            }
            items = Some(words);
            match self.peek() {
                Tok::Op(";") | Tok::Newline => self.pos += 1,
                _ => return Err(self.unexpected()),
            }
        } else if self.is_op(";") {
            self.pos += 1;
        }
        self.skip_newlines();
        self.expect_keyword("do")?;
        let body = self.list(&["done"], false)?;
        self.expect_keyword("done")?;
        Ok(Compound::For {
            var,
            items,
            body: Rc::new(body),
        })
    }

    fn if_clause(&mut self) -> Result<Compound> {
        let mut arms = Vec::new();
        let mut otherwise = None;
        loop {
            let cond = self.list(&["then"], false)?;
            self.expect_keyword("then")?;
            let body = self.list(&["elif", "else", "fi"], false)?;
            arms.push((Rc::new(cond), Rc::new(body)));
            match self.peek().keyword() {
                Some("elif") => {
                    self.pos += 1;
                }
                Some("else") => {
                    self.pos += 1;
                    otherwise = Some(Rc::new(self.list(&["fi"], false)?));
                    self.expect_keyword("fi")?;
                    break;
                }
                Some("fi") => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.unexpected()),
            }
        }
        Ok(Compound::If { arms, otherwise })
    }

    fn simple(&mut self) -> Result<Command> {
        let mut cmd = SimpleCommand::default();
        loop {
            if let Some(r) = self.redirect()? {
                cmd.redirects.push(r);
                continue;
            }
            match self.peek().clone() {
                Tok::Word { word, raw, .. } => {
                    self.pos += 1;
                    if cmd.words.is_empty() {
                        if let Some(assign) = as_assignment(&word, &raw) {
                            cmd.assigns.push(assign);
                            continue;
                        }
                    }
                    cmd.words.push(word);
                }
                _ => break,
            }
        }
        if cmd.words.is_empty() && cmd.assigns.is_empty() && cmd.redirects.is_empty() {
            return Err(self.unexpected());
        }
        if self.is_op("(") {
            // `name() { … }`: functions are not supported; bash would accept this.
            return Err(ParseError::Unexpected("(".into()));
        }
        Ok(Command::Simple(Rc::new(cmd)))
    }

    fn redirect(&mut self) -> Result<Option<Redirect>> {
        let start = self.pos;
        let explicit_fd = match self.peek() {
            Tok::IoNumber(n) => {
                let n = *n;
                self.pos += 1;
                Some(n)
            }
            _ => None,
        };
        let tok = self.peek().clone();
        let (default_fd, op) = match tok {
            Tok::HereDoc(i) => {
                self.pos += 1;
                let body = self.heredocs.get(i).cloned().unwrap_or_default();
                (0, RedirOp::HereDoc(body))
            }
            Tok::Op(op @ (">" | ">>" | ">|" | "<" | "<<<" | "&>" | "&>>" | ">&" | "<&")) => {
                self.pos += 1;
                let (target, raw) = match self.next() {
                    Tok::Word { word, raw, .. } => (word, raw),
                    Tok::Eof => {
                        self.pos = self.pos.saturating_sub(1);
                        return Err(self.unexpected());
                    }
                    other => return Err(ParseError::Unexpected(other.display())),
                };
                match op {
                    ">" | ">|" => (
                        1,
                        RedirOp::Write {
                            target,
                            append: false,
                        },
                    ),
                    ">>" => (
                        1,
                        RedirOp::Write {
                            target,
                            append: true,
                        },
                    ),
                    "<" => (0, RedirOp::Read(target)),
                    "<<<" => (0, RedirOp::HereString(target)),
                    "&>" | "&>>" => (
                        1,
                        RedirOp::WriteBoth {
                            target,
                            append: op == "&>>",
                        },
                    ),
                    _ => {
                        let default_fd = if op == "<&" { 0 } else { 1 };
                        if raw == "-" {
                            (default_fd, RedirOp::Close)
                        } else if let Ok(n) = raw.parse::<u32>() {
                            (default_fd, RedirOp::Dup(n))
                        } else if op == ">&" && explicit_fd.is_none() {
                            (
                                1,
                                RedirOp::WriteBoth {
                                    target,
                                    append: false,
                                },
                            )
                        } else {
                            return Err(ParseError::Unexpected(raw));
                        }
                    }
                }
            }
            _ => {
                self.pos = start;
                if explicit_fd.is_some() {
                    return Err(self.unexpected());
                }
                return Ok(None);
            }
        };
        Ok(Some(Redirect {
            fd: explicit_fd.unwrap_or(default_fd),
            op,
        }))
    }
}

pub(crate) fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// `NAME=value` (or `NAME+=value`) with an unquoted name.
fn as_assignment(word: &Word, raw: &str) -> Option<(String, Word)> {
    let eq = raw.find('=')?;
    let name = &raw[..eq];
    let name = name.strip_suffix('+').unwrap_or(name);
    if !is_name(name) {
        return None;
    }
    let Some(Part::Text {
        text,
        quoted: false,
    }) = word.parts.first()
    else {
        return None;
    };
    let text_eq = text.find('=')?;
    if text_eq != eq {
        return None;
    }
    let mut parts = word.parts.clone();
    let rest = text[eq + 1..].to_string();
    let append = raw[..eq].ends_with('+');
    if rest.is_empty() {
        parts.remove(0);
    } else {
        parts[0] = Part::Text {
            text: rest,
            quoted: false,
        };
    }
    let mut value = Word { parts };
    if append {
        // `X+=y` is `X=$X"y"` for strings.
        value.parts.insert(
            0,
            Part::Param {
                name: name.to_string(),
                op: ParamOp::Plain,
                quoted: true,
            },
        );
    }
    Some((name.to_string(), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(src: &str) -> ParseError {
        match parse(src) {
            Err(e) => e,
            Ok(p) => panic!("parsed {src:?} as {p:?}"),
        }
    }

    #[test]
    fn unfinished_constructs_ask_for_more_lines() {
        for src in [
            "echo 'abc\n",
            "echo \"abc\n",
            "for i in 1 2\n",
            "while true; do echo x\n",
            "echo a &&\n",
            "echo a |\n",
            "echo a \\\n",
            "cat <<EOF\nhello\n",
            "echo $(date\n",
            "if true; then echo\n",
        ] {
            assert_eq!(err(src), ParseError::Incomplete, "{src:?}");
        }
    }

    #[test]
    fn stray_keywords_and_operators_are_syntax_errors() {
        assert_eq!(err("done\n"), ParseError::Unexpected("done".into()));
        assert_eq!(
            err("while true; do done\n"),
            ParseError::Unexpected("done".into())
        );
        assert_eq!(err("| grep x\n"), ParseError::Unexpected("|".into()));
        assert_eq!(err("echo >\n"), ParseError::Unexpected("newline".into()));
        assert_eq!(err("echo a ;; b\n"), ParseError::Unexpected(";;".into()));
        assert_eq!(
            err("for 1 in a; do :; done\n"),
            ParseError::NotIdentifier("1".into())
        );
        assert_eq!(err("echo $(for)\n"), ParseError::Unexpected(")".into()));
    }

    #[test]
    fn a_heredoc_body_is_read_after_the_line_that_opens_it() {
        let p = parse("cat > f <<'EOF' | wc\n$x\nEOF\n").expect("parses");
        let Command::Simple(cmd) = &p.items[0].first.commands[0] else {
            panic!()
        };
        assert_eq!(cmd.redirects[1].op, RedirOp::HereDoc(Word::literal("$x\n")));
    }
}
