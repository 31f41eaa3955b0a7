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

use super::host::{Host, Login, Vfs, Winsize};
use super::state::Env;
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
    pub winsize: Winsize,
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
            "!" => Some(self.env.last_job.map(|p| p.to_string()).unwrap_or_default()),
            "@" | "*" | "-" => Some(String::new()),
            "RANDOM" => Some((self.host.random() & 0x7fff).to_string()),
            "PWD" => Some(self.env.cwd.clone()),
            // An interactive bash keeps these at the terminal's size (`checkwinsize`), unless
            // the user assigned them; BusyBox ash does not set them.
            "COLUMNS" | "LINES" if self.login.flavor == super::Flavor::Bash => {
                self.env.vars.get(name).cloned().or_else(|| {
                    Some(match name {
                        "COLUMNS" => self.winsize.cols.to_string(),
                        _ => self.winsize.rows.to_string(),
                    })
                })
            }
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
// Arithmetic: bash's 64-bit integers, variables, + - * / % ** ( ), comparisons, ! && ||.
// Like bash, every operation wraps around at 64 bits (`$((2**63))` is -9223372036854775808,
// `$((-9223372036854775808/-1))` too) instead of failing, and so do long constants.

/// Evaluates `$((…))` text.
pub(crate) fn arith(expr: &str, env: &Env) -> Result<i64> {
    let error = |message: String, token: &str| ExpandError::Arith {
        expr: expr.trim_start().to_string(),
        message: format!("{message} (error token is \"{token}\")"),
    };
    let tokens = arith_tokens(expr).map_err(|(message, token)| error(message, token))?;
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

/// The tokens of an arithmetic expression, each with the byte offset it starts at (bash's
/// error messages quote the expression's text from a token on). An error is bash's message
/// and the text it quotes.
fn arith_tokens(expr: &str) -> std::result::Result<Vec<(ATok, usize)>, (String, &str)> {
    // Longest first: `**` before `*`, `<=` before `<`.
    const OPS: &[&str] = &[
        "&&", "||", "==", "!=", "<=", ">=", "**", "+", "-", "*", "/", "%", "(", ")", "<", ">", "!",
    ];
    let mut out = Vec::new();
    let mut rest = expr;
    while let Some(c) = rest.chars().next() {
        let at = expr.len() - rest.len();
        if c.is_whitespace() {
            rest = &rest[c.len_utf8()..];
        } else if c.is_ascii_digit() {
            // bash reads a constant as far as letters, digits, `#`, `@` and `_` go.
            let len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '#' | '@' | '_')))
                .unwrap_or(rest.len());
            let text = &rest[..len];
            out.push((
                ATok::Num(arith_constant(text).map_err(|m| (m.to_string(), text))?),
                at,
            ));
            rest = &rest[len..];
        } else if c == '_' || c.is_ascii_alphabetic() {
            let len = rest
                .find(|c: char| !(c == '_' || c.is_ascii_alphanumeric()))
                .unwrap_or(rest.len());
            out.push((ATok::Name(rest[..len].to_string()), at));
            rest = &rest[len..];
        } else {
            match OPS.iter().find(|op| rest.starts_with(*op)) {
                Some(op) => {
                    out.push((ATok::Op(op), at));
                    rest = &rest[op.len()..];
                }
                None => {
                    return Err((
                        "syntax error: invalid arithmetic operator".to_string(),
                        rest,
                    ))
                }
            }
        }
    }
    Ok(out)
}

/// A constant as bash's `strlong` reads it: decimal, `0x` hex, `0` octal or `BASE#DIGITS`
/// (bases 2 to 64: digits, then a–z, A–Z, `@`, `_`). Digits past 64 bits wrap around, as in
/// bash (`99999999999999999999` is 7766279631452241919). The error is bash's message.
fn arith_constant(text: &str) -> std::result::Result<i64, &'static str> {
    let mut digits = text;
    let mut base: i64 = 10;
    let mut found_base = false;
    if let Some(after_zero) = text.strip_prefix('0') {
        if after_zero.is_empty() {
            return Ok(0);
        }
        (base, digits) = match after_zero.strip_prefix(['x', 'X']) {
            Some(hex) => (16, hex),
            None => (8, after_zero),
        };
        found_base = true;
    }
    let mut value: i64 = 0;
    let mut chars = digits.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '#' {
            if found_base {
                return Err("invalid number");
            }
            if !(2..=64).contains(&value) {
                return Err("invalid arithmetic base");
            }
            if chars.peek().is_none() {
                return Err("invalid integer constant");
            }
            (base, value, found_base) = (value, 0, true);
            continue;
        }
        let digit = match c {
            '0'..='9' => c as i64 - '0' as i64,
            'a'..='z' => c as i64 - 'a' as i64 + 10,
            // Above base 36 capitals are digits of their own.
            'A'..='Z' if base <= 36 => c as i64 - 'A' as i64 + 10,
            'A'..='Z' => c as i64 - 'A' as i64 + 36,
            '@' => 62,
            _ => 63,
        };
        if digit >= base {
            return Err("value too great for base");
        }
        value = value.wrapping_mul(base).wrapping_add(digit);
    }
    Ok(value)
}

/// `base ** exponent` by squaring, wrapping at 64 bits like bash's `ipow`.
fn wrapping_pow(mut base: i64, mut exponent: i64) -> i64 {
    let mut result: i64 = 1;
    while exponent > 0 {
        if exponent & 1 == 1 {
            result = result.wrapping_mul(base);
        }
        exponent >>= 1;
        base = base.wrapping_mul(base);
    }
    result
}

struct ArithParser<'a> {
    tokens: Vec<(ATok, usize)>,
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
        "**" => 7,
        _ => return None,
    })
}

impl ArithParser<'_> {
    fn peek(&self) -> Option<&ATok> {
        self.tokens.get(self.pos).map(|(token, _)| token)
    }

    /// bash's message quoting the expression from the token at `pos` on; past the end, from
    /// the last token (bash's lexer keeps pointing there at the end of the text).
    fn error_at(&self, message: &str) -> ExpandError {
        let from = self
            .tokens
            .get(self.pos.min(self.tokens.len().saturating_sub(1)))
            .map_or(self.expr.len(), |(_, at)| *at);
        ExpandError::Arith {
            expr: self.expr.trim_start().to_string(),
            message: format!("{message} (error token is \"{}\")", &self.expr[from..]),
        }
    }

    fn binary(&mut self, min: u8) -> Result<i64> {
        let mut left = self.unary()?;
        while let Some(ATok::Op(op)) = self.peek().cloned() {
            let Some(prec) = precedence(op) else { break };
            if prec <= min {
                break;
            }
            self.pos += 1;
            let right_pos = self.pos;
            // `**` is right-associative: `2**3**2` is 2**9.
            let right = self.binary(if op == "**" { prec - 1 } else { prec })?;
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
                // bash checks the exponent after reading it, so the error quotes the text
                // after the exponent.
                "**" if right < 0 => return Err(self.error_at("exponent less than 0")),
                "**" => wrapping_pow(left, right),
                "/" | "%" => {
                    if right == 0 {
                        self.pos = right_pos;
                        return Err(self.error_at("division by 0"));
                    }
                    // The wrapping forms give bash's answers for i64::MIN / -1 (itself)
                    // and i64::MIN % -1 (0), where plain `/` and `%` would panic.
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
        match self.peek().cloned() {
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
                if self.peek() != Some(&ATok::Op(")")) {
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
                // A variable holding a constant is read as bash reads constants (long ones
                // wrap); anything else counts as 0 here (bash would evaluate it as an
                // expression of its own).
                let value = self.env.vars.get(&name).map(|v| v.trim()).unwrap_or("");
                let (negative, digits) = match value.strip_prefix('-') {
                    Some(digits) => (true, digits),
                    None => (false, value.strip_prefix('+').unwrap_or(value)),
                };
                let n = match digits.chars().next() {
                    Some(c) if c.is_ascii_digit() => arith_constant(digits).unwrap_or(0),
                    _ => 0,
                };
                Ok(if negative { n.wrapping_neg() } else { n })
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
            last_job: None,
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
            Err("1+: syntax error: operand expected (error token is \"+\")".to_string())
        );
    }

    /// Each answer and message below is bash 5.2's (`bash -c 'echo $((…))'`).
    #[test]
    fn arithmetic_wraps_at_64_bits_and_has_powers_like_bash() {
        let e = env(&[
            ("big", "99999999999999999999"),
            ("i", "9223372036854775807"),
        ]);
        for (expr, expected) in [
            ("2**63", i64::MIN),
            ("2**64", 0),
            ("2**62", 4611686018427387904),
            ("3**40", -6289078614652622815),
            ("9223372036854775807+1", i64::MIN),
            ("i+1", i64::MIN),
            ("-9223372036854775808/-1", i64::MIN),
            ("-9223372036854775808%-1", 0),
            ("(-9223372036854775807-1)/-1", i64::MIN),
            ("-9223372036854775808*-1", i64::MIN),
            ("-(-9223372036854775807-1)", i64::MIN),
            ("2**63/-1", i64::MIN),
            ("9223372036854775808", i64::MIN),
            ("99999999999999999999", 7766279631452241919),
            ("big", 7766279631452241919),
            ("10**19", -8446744073709551616),
            ("0xffffffffffffffffff", -1),
            // Right-associative, above `*`, below unary minus.
            ("2**3**2", 512),
            ("2*3**2", 18),
            ("2**3*2", 16),
            ("-2**2", 4),
            ("(-2)**3", -8),
            ("0**0", 1),
            ("x**2", 0),
            ("0x10**2", 256),
            ("010", 8),
            ("2#101", 5),
            ("16#ff", 255),
            ("64#_", 63),
            ("36#z", 35),
        ] {
            assert_eq!(arith(expr, &e), Ok(expected), "{expr}");
        }
        for (expr, message) in [
            (
                "2**-1",
                "2**-1: exponent less than 0 (error token is \"1\")",
            ),
            (
                "1+2**-3+4",
                "1+2**-3+4: exponent less than 0 (error token is \"+4\")",
            ),
            (
                "7 / 2 ** -1 ",
                "7 / 2 ** -1 : exponent less than 0 (error token is \"1 \")",
            ),
            (
                "2**(1-2)",
                "2**(1-2): exponent less than 0 (error token is \")\")",
            ),
            (
                "2***3",
                "2***3: syntax error: operand expected (error token is \"*3\")",
            ),
            (
                "2**",
                "2**: syntax error: operand expected (error token is \"**\")",
            ),
            (
                "**2",
                "**2: syntax error: operand expected (error token is \"**2\")",
            ),
            (
                "  1+ ",
                "1+ : syntax error: operand expected (error token is \"+ \")",
            ),
            (
                "1 2",
                "1 2: syntax error in expression (error token is \"2\")",
            ),
            (
                "2**63 ge",
                "2**63 ge: syntax error in expression (error token is \"ge\")",
            ),
            (
                "4/(2-2)",
                "4/(2-2): division by 0 (error token is \"(2-2)\")",
            ),
            (
                "3 % 0 + 1",
                "3 % 0 + 1: division by 0 (error token is \"0 + 1\")",
            ),
            (
                "3 + 09",
                "3 + 09: value too great for base (error token is \"09\")",
            ),
            (
                "12abc",
                "12abc: value too great for base (error token is \"12abc\")",
            ),
            (
                "2#102",
                "2#102: value too great for base (error token is \"2#102\")",
            ),
            (
                "1#1",
                "1#1: invalid arithmetic base (error token is \"1#1\")",
            ),
            ("2#", "2#: invalid integer constant (error token is \"2#\")"),
            ("0x#1", "0x#1: invalid number (error token is \"0x#1\")"),
        ] {
            assert_eq!(
                arith(expr, &e).map_err(|e| e.message()),
                Err(message.to_string()),
                "{expr}"
            );
        }
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
