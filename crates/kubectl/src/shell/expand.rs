//! Word expansion: parameters, command-substitution results, arithmetic, field splitting on
//! blanks, pathname globbing against the virtual filesystem, quote removal.
//!
//! Command substitutions are *run before* a command's words are expanded (they may sleep or
//! wait on the cluster, so they are frames of the interpreter, see `exec`); the expander only
//! looks their output up, keyed by the address of the substituted program. Bash runs them
//! left to right during expansion; the only visible difference is that `X=1 Y=$(echo $X)` sees
//! the old `X`.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::exec::Env;
use super::host::{Host, Login, Vfs};
use super::syntax::{ParamOp, Part, Program, Word};

/// No single expanded word or variable may exceed this (1 MiB): `X=$X$X` in a loop must hit a
/// wall long before the page runs out of memory.
pub const MAX_WORD_BYTES: usize = 1 << 20;

/// Outputs of the command substitutions of one command, by program address.
#[derive(Clone, Debug, Default)]
pub(crate) struct SubstResults {
    pub values: BTreeMap<usize, String>,
    /// The status of the last one: `X=$(false)` sets `$?` to 1.
    pub last_status: Option<i32>,
}

pub(crate) fn subst_key(program: &Rc<Program>) -> usize {
    Rc::as_ptr(program) as usize
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ExpandError {
    BadSubst(String),
    Arith {
        expr: String,
        message: String,
    },
    /// `${X:?message}`.
    Unset {
        name: String,
        message: String,
    },
    TooLong,
}

impl ExpandError {
    /// The message after the `bash: ` prefix.
    pub fn message(&self) -> String {
        match self {
            ExpandError::BadSubst(raw) => format!("{raw}: bad substitution"),
            ExpandError::Arith { expr, message } => format!("{expr}: {message}"),
            ExpandError::Unset { name, message } => format!("{name}: {message}"),
            ExpandError::TooLong => {
                format!("expansion longer than {MAX_WORD_BYTES} bytes: refusing to allocate")
            }
        }
    }
}

type Result<T> = std::result::Result<T, ExpandError>;

/// Every program substituted in `word` (not descending into them: they expand their own).
pub(crate) fn collect_substs(word: &Word, out: &mut Vec<Rc<Program>>) {
    for part in &word.parts {
        match part {
            Part::Subst { program, .. } => out.push(program.clone()),
            Part::Arith { expr, .. } => collect_substs(expr, out),
            Part::Param { op, .. } => match op {
                ParamOp::Default { word, .. }
                | ParamOp::Assign { word, .. }
                | ParamOp::Alternative { word, .. }
                | ParamOp::Error { word, .. } => collect_substs(word, out),
                ParamOp::Plain | ParamOp::Length => {}
            },
            Part::Text { .. } | Part::Tilde | Part::BadSubst(_) => {}
        }
    }
}

pub(crate) struct Expander<'a> {
    pub env: &'a mut Env,
    pub login: &'a Login,
    pub host: &'a mut dyn Host,
    pub substs: &'a SubstResults,
    pub fs: &'a Vfs,
}

#[derive(Default)]
struct Field {
    text: String,
    glob: bool,
}

#[derive(Default)]
struct Fields {
    done: Vec<Field>,
    current: Option<Field>,
    bytes: usize,
}

impl Fields {
    fn grow(&mut self, n: usize) -> Result<()> {
        self.bytes += n;
        if self.bytes > MAX_WORD_BYTES {
            return Err(ExpandError::TooLong);
        }
        Ok(())
    }

    fn literal(&mut self, text: &str, quoted: bool) -> Result<()> {
        self.grow(text.len())?;
        let field = self.current.get_or_insert_with(Field::default);
        field.text.push_str(text);
        if !quoted && text.contains(['*', '?', '[']) {
            field.glob = true;
        }
        Ok(())
    }

    fn expanded(&mut self, text: &str, quoted: bool) -> Result<()> {
        if quoted {
            return self.literal(text, true);
        }
        self.grow(text.len())?;
        for c in text.chars() {
            if matches!(c, ' ' | '\t' | '\n') {
                if let Some(field) = self.current.take() {
                    self.done.push(field);
                }
            } else {
                let field = self.current.get_or_insert_with(Field::default);
                field.text.push(c);
                if matches!(c, '*' | '?' | '[') {
                    field.glob = true;
                }
            }
        }
        Ok(())
    }

    fn finish(mut self) -> Vec<Field> {
        if let Some(field) = self.current.take() {
            self.done.push(field);
        }
        self.done
    }
}

impl Expander<'_> {
    /// A command word: may become several fields, or none.
    pub fn fields(&mut self, word: &Word) -> Result<Vec<String>> {
        let mut fields = Fields::default();
        self.expand_into(word, &mut fields, false)?;
        let mut out = Vec::new();
        for field in fields.finish() {
            if field.glob {
                let matches = glob(self.fs, &self.env.cwd, &field.text);
                if !matches.is_empty() {
                    out.extend(matches);
                    continue;
                }
            }
            out.push(field.text);
        }
        Ok(out)
    }

    /// Assignment values, redirection targets, heredoc bodies: one string, no splitting.
    pub fn string(&mut self, word: &Word) -> Result<String> {
        let mut fields = Fields::default();
        self.expand_into(word, &mut fields, true)?;
        Ok(fields
            .finish()
            .into_iter()
            .map(|f| f.text)
            .collect::<Vec<_>>()
            .join(" "))
    }

    fn expand_into(&mut self, word: &Word, fields: &mut Fields, force_quoted: bool) -> Result<()> {
        for part in &word.parts {
            match part {
                Part::Text { text, quoted } => fields.literal(text, *quoted || force_quoted)?,
                Part::Tilde => {
                    let home = self.var("HOME");
                    fields.literal(&home, true)?;
                }
                Part::Param { name, op, quoted } => {
                    let value = self.param(name, op)?;
                    fields.expanded(&value, *quoted || force_quoted)?;
                }
                Part::Subst { program, quoted } => {
                    let value = self
                        .substs
                        .values
                        .get(&subst_key(program))
                        .cloned()
                        .unwrap_or_default();
                    fields.expanded(&value, *quoted || force_quoted)?;
                }
                Part::Arith { expr, quoted } => {
                    let text = self.string(expr)?;
                    let value = arith(&text, self.env)?;
                    fields.expanded(&value.to_string(), *quoted || force_quoted)?;
                }
                Part::BadSubst(raw) => return Err(ExpandError::BadSubst(raw.clone())),
            }
        }
        Ok(())
    }

    fn lookup(&mut self, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.env.status.to_string()),
            "$" => Some(self.login.pid.to_string()),
            "#" => Some("0".into()),
            "0" => Some(match self.login.flavor {
                super::Flavor::Bash => "bash".into(),
                super::Flavor::Sh => "/bin/sh".into(),
            }),
            "@" | "*" | "!" | "-" => Some(String::new()),
            "RANDOM" => Some((self.host.random() & 0x7fff).to_string()),
            "PWD" => Some(self.env.cwd.clone()),
            _ if name.starts_with(|c: char| c.is_ascii_digit()) => None,
            _ => self.env.vars.get(name).cloned(),
        }
    }

    fn var(&mut self, name: &str) -> String {
        self.lookup(name).unwrap_or_default()
    }

    fn param(&mut self, name: &str, op: &ParamOp) -> Result<String> {
        let value = self.lookup(name);
        let missing = |colon: bool| match &value {
            None => true,
            Some(v) => colon && v.is_empty(),
        };
        match op {
            ParamOp::Plain => Ok(value.unwrap_or_default()),
            ParamOp::Length => Ok(value.unwrap_or_default().chars().count().to_string()),
            ParamOp::Default { word, colon } => {
                if missing(*colon) {
                    self.string(word)
                } else {
                    Ok(value.unwrap_or_default())
                }
            }
            ParamOp::Assign { word, colon } => {
                if missing(*colon) {
                    let new = self.string(word)?;
                    self.env.vars.insert(name.to_string(), new.clone());
                    Ok(new)
                } else {
                    Ok(value.unwrap_or_default())
                }
            }
            ParamOp::Alternative { word, colon } => {
                if missing(*colon) {
                    Ok(String::new())
                } else {
                    self.string(word)
                }
            }
            ParamOp::Error { word, colon } => {
                if missing(*colon) {
                    let mut message = self.string(word)?;
                    if message.is_empty() {
                        message = "parameter null or not set".into();
                    }
                    Err(ExpandError::Unset {
                        name: name.to_string(),
                        message,
                    })
                } else {
                    Ok(value.unwrap_or_default())
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Arithmetic: integers, variables, + - * / % ( ), comparisons, ! && ||.

/// Evaluates `$((…))` text.
pub(crate) fn arith(expr: &str, env: &Env) -> Result<i64> {
    let tokens = arith_tokens(expr).map_err(|tok| ExpandError::Arith {
        expr: expr.trim().to_string(),
        message: format!("syntax error: invalid arithmetic operator (error token is \"{tok}\")"),
    })?;
    if tokens.is_empty() {
        return Ok(0);
    }
    let mut p = ArithParser {
        tokens,
        pos: 0,
        env,
        expr,
    };
    let value = p.binary(0)?;
    if p.pos < p.tokens.len() {
        return Err(p.error_at("syntax error in expression"));
    }
    Ok(value)
}

#[derive(Clone, Debug, PartialEq)]
enum ATok {
    Num(i64),
    Name(String),
    Op(&'static str),
}

fn arith_tokens(expr: &str) -> std::result::Result<Vec<ATok>, String> {
    const OPS: &[&str] = &[
        "&&", "||", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "(", ")", "<", ">", "!",
    ];
    let chars: Vec<char> = expr.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            let n = text.parse::<i64>().map_err(|_| text.clone())?;
            out.push(ATok::Num(n));
        } else if c == '_' || c.is_ascii_alphabetic() {
            let start = i;
            while i < chars.len() && (chars[i] == '_' || chars[i].is_ascii_alphanumeric()) {
                i += 1;
            }
            out.push(ATok::Name(chars[start..i].iter().collect()));
        } else {
            let rest: String = chars[i..].iter().take(2).collect();
            match OPS.iter().find(|op| rest.starts_with(*op)) {
                Some(op) => {
                    i += op.len();
                    out.push(ATok::Op(op));
                }
                None => return Err(chars[i..].iter().collect()),
            }
        }
    }
    Ok(out)
}

struct ArithParser<'a> {
    tokens: Vec<ATok>,
    pos: usize,
    env: &'a Env,
    expr: &'a str,
}

fn precedence(op: &str) -> Option<u8> {
    Some(match op {
        "||" => 1,
        "&&" => 2,
        "==" | "!=" => 3,
        "<" | ">" | "<=" | ">=" => 4,
        "+" | "-" => 5,
        "*" | "/" | "%" => 6,
        _ => return None,
    })
}

impl ArithParser<'_> {
    fn error_at(&self, message: &str) -> ExpandError {
        let rest: Vec<String> = self.tokens[self.pos.min(self.tokens.len())..]
            .iter()
            .map(|t| match t {
                ATok::Num(n) => n.to_string(),
                ATok::Name(n) => n.clone(),
                ATok::Op(o) => (*o).to_string(),
            })
            .collect();
        ExpandError::Arith {
            expr: self.expr.trim().to_string(),
            message: format!("{message} (error token is \"{}\")", rest.join(" ")),
        }
    }

    fn binary(&mut self, min: u8) -> Result<i64> {
        let mut left = self.unary()?;
        while let Some(ATok::Op(op)) = self.tokens.get(self.pos).cloned() {
            let Some(prec) = precedence(op) else { break };
            if prec <= min {
                break;
            }
            self.pos += 1;
            let right_pos = self.pos;
            let right = self.binary(prec)?;
            left = match op {
                "||" => i64::from(left != 0 || right != 0),
                "&&" => i64::from(left != 0 && right != 0),
                "==" => i64::from(left == right),
                "!=" => i64::from(left != right),
                "<" => i64::from(left < right),
                ">" => i64::from(left > right),
                "<=" => i64::from(left <= right),
                ">=" => i64::from(left >= right),
                "+" => left.wrapping_add(right),
                "-" => left.wrapping_sub(right),
                "*" => left.wrapping_mul(right),
                "/" | "%" => {
                    if right == 0 {
                        self.pos = right_pos;
                        return Err(self.error_at("division by 0"));
                    }
                    if op == "/" {
                        left.wrapping_div(right)
                    } else {
                        left.wrapping_rem(right)
                    }
                }
                _ => left,
            };
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<i64> {
        match self.tokens.get(self.pos).cloned() {
            Some(ATok::Op("-")) => {
                self.pos += 1;
                Ok(self.unary()?.wrapping_neg())
            }
            Some(ATok::Op("+")) => {
                self.pos += 1;
                self.unary()
            }
            Some(ATok::Op("!")) => {
                self.pos += 1;
                Ok(i64::from(self.unary()? == 0))
            }
            Some(ATok::Op("(")) => {
                self.pos += 1;
                let v = self.binary(0)?;
                if self.tokens.get(self.pos) != Some(&ATok::Op(")")) {
                    return Err(self.error_at("missing `)'"));
                }
                self.pos += 1;
                Ok(v)
            }
            Some(ATok::Num(n)) => {
                self.pos += 1;
                Ok(n)
            }
            Some(ATok::Name(name)) => {
                self.pos += 1;
                let value = self.env.vars.get(&name).map(|v| v.trim()).unwrap_or("");
                Ok(value.parse::<i64>().unwrap_or(0))
            }
            _ => Err(self.error_at("syntax error: operand expected")),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Globbing

/// Paths matching `pattern` (relative to `cwd` unless absolute), sorted; empty when none.
/// Only the last path component may contain wildcards.
pub(crate) fn glob(fs: &Vfs, cwd: &str, pattern: &str) -> Vec<String> {
    let (dir, base) = match pattern.rfind('/') {
        Some(i) => (&pattern[..=i], &pattern[i + 1..]),
        None => ("", pattern),
    };
    if dir.contains(['*', '?', '[']) || base.is_empty() {
        return Vec::new();
    }
    let abs_dir = Vfs::resolve(cwd, if dir.is_empty() { "." } else { dir });
    let pat: Vec<char> = base.chars().collect();
    fs.list(&abs_dir)
        .into_iter()
        .filter(|(name, _)| !name.starts_with('.') || base.starts_with('.'))
        .filter(|(name, _)| {
            let n: Vec<char> = name.chars().collect();
            glob_match(&pat, &n)
        })
        .map(|(name, _)| format!("{dir}{name}"))
        .collect()
}

/// `*`, `?`, `[abc]`, `[a-z]`, `[!x]`.
pub(crate) fn glob_match(pat: &[char], name: &[char]) -> bool {
    match pat.first() {
        None => name.is_empty(),
        Some('*') => (0..=name.len()).any(|i| glob_match(&pat[1..], &name[i..])),
        Some('?') => !name.is_empty() && glob_match(&pat[1..], &name[1..]),
        Some('[') => {
            let Some(close) = pat.iter().skip(2).position(|&c| c == ']').map(|i| i + 2) else {
                return name.first() == Some(&'[') && glob_match(&pat[1..], &name[1..]);
            };
            let Some(&c) = name.first() else { return false };
            let (negate, set) = match pat[1] {
                '!' | '^' => (true, &pat[2..close]),
                _ => (false, &pat[1..close]),
            };
            let mut hit = false;
            let mut i = 0;
            while i < set.len() {
                if i + 2 < set.len() && set[i + 1] == '-' {
                    hit |= set[i] <= c && c <= set[i + 2];
                    i += 3;
                } else {
                    hit |= set[i] == c;
                    i += 1;
                }
            }
            hit != negate && glob_match(&pat[close + 1..], &name[1..])
        }
        Some(&p) => name.first() == Some(&p) && glob_match(&pat[1..], &name[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> Env {
        Env {
            vars: vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            cwd: "/".into(),
            status: 0,
        }
    }

    #[test]
    fn arithmetic_follows_c_precedence_and_reads_variables() {
        let e = env(&[("i", "4")]);
        assert_eq!(arith("i + 2 * 3", &e), Ok(10));
        assert_eq!(arith("(i + 2) * 3", &e), Ok(18));
        assert_eq!(arith("i % 3 == 1 && !0", &e), Ok(1));
        assert_eq!(arith("-i", &e), Ok(-4));
        assert_eq!(arith("", &e), Ok(0));
    }

    #[test]
    fn arithmetic_errors_carry_bash_wording() {
        let e = env(&[]);
        assert_eq!(
            arith("1/0", &e).map_err(|e| e.message()),
            Err("1/0: division by 0 (error token is \"0\")".to_string())
        );
        assert_eq!(
            arith("1+", &e).map_err(|e| e.message()),
            Err("1+: syntax error: operand expected (error token is \"\")".to_string())
        );
    }

    #[test]
    fn globs_match_like_the_shell() {
        let m = |p: &str, n: &str| {
            glob_match(
                &p.chars().collect::<Vec<_>>(),
                &n.chars().collect::<Vec<_>>(),
            )
        };
        assert!(m("*.yaml", "deployment-demo.yaml"));
        assert!(!m("*.yaml", "deployment-demo.yml"));
        assert!(m("rs-v?.yaml", "rs-v1.yaml"));
        assert!(m("[a-c]x", "bx"));
        assert!(!m("[!a-c]x", "bx"));
    }
}
