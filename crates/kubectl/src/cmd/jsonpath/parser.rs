//! client-go's `util/jsonpath/parser.go`: template text → [`Node`]s. Upstream's scanner calls
//! itself after every token; here the same steps run in loops, so a long template cannot
//! exhaust the stack. Only the sub-templates upstream parses on their own (a union's
//! members, a filter's sides) nest, and that depth is bounded.

use super::node::{Filter, Node, Param};

/// Why a template does not parse, in upstream's words (kubectl prefixes
/// `error parsing jsonpath TEMPLATE, `).
#[derive(Clone, Debug, PartialEq)]
pub struct ParseError(pub String);

/// Sub-templates inside sub-templates (`[?(@[?(@…`) beyond this are refused rather than
/// recursed into: upstream has no limit, but a page's stack has.
const MAX_NESTING: usize = 64;

/// Parses a whole template: text and `{…}` actions.
pub fn parse(text: &str) -> Result<Vec<Node>, ParseError> {
    parse_nested(text, 0)
}

fn parse_nested(text: &str, depth: usize) -> Result<Vec<Node>, ParseError> {
    if depth > MAX_NESTING {
        return Err(ParseError("jsonpath nested too deeply".into()));
    }
    let mut parser = Parser {
        input: text,
        pos: 0,
        start: 0,
        width: 0,
        depth,
    };
    let mut root = Vec::new();
    while let Some(open) = parser.input[parser.pos..].find('{') {
        parser.pos += open;
        if parser.pos > parser.start {
            root.push(Node::Text(parser.consume_text().to_string()));
        }
        parser.pos += 1;
        parser.consume_text();
        let mut list = Vec::new();
        let closed = parser.parse_inside_action(&mut list);
        root.push(Node::List(list));
        closed?;
    }
    parser.pos = parser.input.len();
    if parser.pos > parser.start {
        root.push(Node::Text(parser.consume_text().to_string()));
    }
    Ok(root)
}

struct Parser<'t> {
    input: &'t str,
    pos: usize,
    start: usize,
    width: usize,
    depth: usize,
}

impl<'t> Parser<'t> {
    /// upstream's `parseAction`: `{text}` parsed on its own, its first action's nodes.
    fn parse_action(&self, text: &str) -> Result<Vec<Node>, ParseError> {
        let mut root = parse_nested(&format!("{{{text}}}"), self.depth + 1)?;
        match root.first_mut() {
            Some(Node::List(nodes)) => Ok(std::mem::take(nodes)),
            _ => Ok(Vec::new()),
        }
    }

    fn consume_text(&mut self) -> &'t str {
        let value = &self.input[self.start..self.pos];
        self.start = self.pos;
        value
    }

    fn next(&mut self) -> Option<char> {
        match self.input[self.pos..].chars().next() {
            Some(c) => {
                self.width = c.len_utf8();
                self.pos += self.width;
                Some(c)
            }
            None => {
                self.width = 0;
                None
            }
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.input[self.pos..].chars().next()
    }

    fn backup(&mut self) {
        self.pos -= self.width;
    }

    /// The byte two before the cursor: the one before a closing quote just read.
    fn escaped(&self) -> bool {
        self.pos >= 2 && self.input.as_bytes()[self.pos - 2] == b'\\'
    }

    fn parse_inside_action(&mut self, cur: &mut Vec<Node>) -> Result<(), ParseError> {
        loop {
            let rest = &self.input[self.pos..];
            if rest.starts_with('}') {
                self.pos += 1;
                self.consume_text();
                return Ok(());
            }
            if rest.starts_with("[?(") {
                self.parse_filter(cur)?;
                continue;
            }
            if rest.starts_with("..") {
                self.parse_recursive(cur)?;
                continue;
            }
            match self.next() {
                None | Some('\r' | '\n') => return Err(ParseError("unclosed action".into())),
                Some(' ' | '@' | '$') => {
                    self.consume_text();
                }
                Some('[') => self.parse_array(cur)?,
                Some(quote @ ('"' | '\'')) => self.parse_quote(cur, quote)?,
                Some('.') => self.parse_field(cur),
                Some(c) if c == '+' || c == '-' || is_digit(c) => {
                    self.backup();
                    self.parse_number(cur)?;
                }
                Some(c) if is_alphanumeric(c) => {
                    self.backup();
                    self.parse_identifier(cur);
                }
                Some(c) => {
                    return Err(ParseError(format!(
                        "unrecognized character in action: {}",
                        go_unicode(c)
                    )))
                }
            }
        }
    }

    /// Keywords (`range`, `end`) and the booleans of filters.
    fn parse_identifier(&mut self, cur: &mut Vec<Node>) {
        loop {
            let r = self.next();
            if is_terminator(r) {
                self.backup();
                break;
            }
        }
        match self.consume_text() {
            "true" => cur.push(Node::Bool(true)),
            "false" => cur.push(Node::Bool(false)),
            word => cur.push(Node::Identifier(word.to_string())),
        }
    }

    /// `..`: a name right after it is the field looked for at every depth.
    fn parse_recursive(&mut self, cur: &mut Vec<Node>) -> Result<(), ParseError> {
        if cur.last() == Some(&Node::Recursive) {
            return Err(ParseError("invalid multiple recursive descent".into()));
        }
        self.pos += 2;
        self.consume_text();
        cur.push(Node::Recursive);
        if self.peek().is_some_and(is_alphanumeric) {
            self.parse_field(cur);
        }
        Ok(())
    }

    fn parse_number(&mut self, cur: &mut Vec<Node>) -> Result<(), ParseError> {
        if matches!(self.peek(), Some('+' | '-')) {
            self.next();
        }
        loop {
            match self.next() {
                Some(c) if c == '.' || is_digit(c) => {}
                _ => {
                    self.backup();
                    break;
                }
            }
        }
        let value = self.consume_text();
        if let Ok(int) = value.parse::<i64>() {
            cur.push(Node::Int(int));
        } else if let Some(float) = value.parse::<f64>().ok().filter(|f| f.is_finite()) {
            cur.push(Node::Float(float));
        } else {
            return Err(ParseError(format!("cannot parse number {value}")));
        }
        Ok(())
    }

    /// `[…]`: a union (`[0,2]`), a quoted key (`['a']`), or an index or slice.
    fn parse_array(&mut self, cur: &mut Vec<Node>) -> Result<(), ParseError> {
        loop {
            match self.next() {
                None | Some('\n') => return Err(ParseError("unterminated array".into())),
                Some(']') => break,
                Some(_) => {}
            }
        }
        let text = self.consume_text();
        let inner = match &text[1..text.len() - 1] {
            "*" => ":",
            inner => inner,
        };
        if inner.contains(',') {
            let mut members = Vec::new();
            for member in inner.split(',') {
                members.push(self.parse_action(&format!("[{}]", member.trim_matches(' ')))?);
            }
            cur.push(Node::Union(members));
            return Ok(());
        }
        if let Some(key) = dict_key(inner) {
            cur.extend(self.parse_action(&format!(".{key}"))?);
            return Ok(());
        }
        cur.push(Node::Array(slice_params(inner)?));
        Ok(())
    }

    /// `[?(…)]`: scans to the `)` outside quotes, then splits at the first operator.
    fn parse_filter(&mut self, cur: &mut Vec<Node>) -> Result<(), ParseError> {
        self.pos += 3;
        self.consume_text();
        let (mut begin, mut end, mut pair) = (false, false, '"');
        loop {
            match self.next() {
                None | Some('\n') => return Err(ParseError("unterminated filter".into())),
                Some(quote @ ('"' | '\'')) => {
                    if !begin {
                        begin = true;
                        pair = quote;
                        continue;
                    }
                    if !self.escaped() && quote == pair {
                        end = true;
                    }
                }
                Some(')') if begin == end => break,
                Some(_) => {}
            }
        }
        if self.next() != Some(']') {
            return Err(ParseError("unclosed array expect ]".into()));
        }
        let text = self.consume_text();
        let text = &text[..text.len() - 2];
        let filter = match split_comparison(text) {
            None => Filter {
                left: self.parse_action(text)?,
                right: Vec::new(),
                operator: "exists".into(),
            },
            Some((left, operator, right)) => Filter {
                left: self.parse_action(left)?,
                right: self.parse_action(right)?,
                operator: operator.to_string(),
            },
        };
        cur.push(Node::Filter(Box::new(filter)));
        Ok(())
    }

    fn parse_quote(&mut self, cur: &mut Vec<Node>, end: char) -> Result<(), ParseError> {
        loop {
            match self.next() {
                None | Some('\n') => return Err(ParseError("unterminated quoted string".into())),
                Some(c) if c == end && !self.escaped() => break,
                Some(_) => {}
            }
        }
        let value = self.consume_text();
        match unquote_extend(value) {
            Some(text) => cur.push(Node::Text(text)),
            None => {
                return Err(ParseError(format!(
                    "unquote string {value} error invalid syntax"
                )))
            }
        }
        Ok(())
    }

    /// A field name runs to the next terminator; `\` escapes one (`kubernetes\.io/name`).
    fn parse_field(&mut self, cur: &mut Vec<Node>) {
        self.consume_text();
        loop {
            match self.next() {
                Some('\\') => {
                    self.next();
                }
                r if is_terminator(r) => {
                    self.backup();
                    break;
                }
                _ => {}
            }
        }
        match self.consume_text() {
            "*" => cur.push(Node::Wildcard),
            name => cur.push(Node::Field(name.replace('\\', ""))),
        }
    }
}

/// upstream's `^'([^']*)'$`.
fn dict_key(text: &str) -> Option<&str> {
    let key = text.strip_prefix('\'')?.strip_suffix('\'')?;
    (!key.contains('\'')).then_some(key)
}

/// upstream's `^(-?[\d]*)(:-?[\d]*)?(:-?[\d]*)?$` and what it makes of the three parts:
/// a missing end is `start + 1` (`[N]`), an empty one is unknown (`[N:]`).
fn slice_params(text: &str) -> Result<[Param; 3], ParseError> {
    let parts: Vec<&str> = text.split(':').collect();
    let well_formed = |p: &&str| {
        let digits = p.strip_prefix('-').unwrap_or(p);
        digits.bytes().all(|b| b.is_ascii_digit())
    };
    if parts.len() > 3 || !parts.iter().all(well_formed) {
        return Err(ParseError(format!("invalid array index {text}")));
    }
    let mut params = [Param::default(); 3];
    for i in 0..3 {
        match parts.get(i) {
            Some(&"") if i == 0 => {}
            Some(&"") => {}
            Some(number) => {
                params[i].known = true;
                params[i].value = number
                    .parse()
                    .map_err(|_| ParseError(format!("array index {number} is not a number")))?;
            }
            None if i == 1 => {
                params[1] = Param {
                    value: params[0].value.wrapping_add(1),
                    known: true,
                    derived: true,
                };
            }
            None => {}
        }
    }
    Ok(params)
}

/// upstream's `^([^!<>=]+)([!<>=]+)(.+?)$`: left side, operator, right side.
fn split_comparison(text: &str) -> Option<(&str, &str, &str)> {
    let is_operator = |c: char| matches!(c, '!' | '<' | '>' | '=');
    let at = text.find(is_operator).filter(|&at| at > 0)?;
    let run = text[at..]
        .find(|c: char| !is_operator(c))
        .map_or(text.len(), |n| at + n);
    if run < text.len() {
        return Some((&text[..at], &text[at..run], &text[run..]));
    }
    // The operators run to the end: the right side takes the last of them, if one is left.
    (run - at >= 2).then(|| (&text[..at], &text[at..run - 1], &text[run - 1..]))
}

/// upstream's `UnquoteExtend`: Go's `strconv.Unquote` for single and double quotes alike.
fn unquote_extend(quoted: &str) -> Option<String> {
    let quote = quoted.chars().next().filter(|q| matches!(q, '"' | '\''))?;
    let inner = quoted
        .strip_prefix(quote)
        .and_then(|s| s.strip_suffix(quote))?;
    if !inner.contains(['\\', quote]) {
        return Some(inner.to_string());
    }
    let mut out: Vec<u8> = Vec::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == quote {
            return None;
        }
        if c != '\\' {
            let mut buf = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        let simple = match chars.next()? {
            'a' => '\x07',
            'b' => '\x08',
            'f' => '\x0c',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'v' => '\x0b',
            '\\' => '\\',
            c @ ('\'' | '"') if c == quote => c,
            'x' => {
                out.push(u8::try_from(hex(&mut chars, 2)?).ok()?);
                continue;
            }
            c @ ('u' | 'U') => {
                let code = hex(&mut chars, if c == 'u' { 4 } else { 8 })?;
                char::from_u32(code)?
            }
            c @ '0'..='7' => {
                let mut value = c.to_digit(8)?;
                for _ in 0..2 {
                    value = value * 8 + chars.next()?.to_digit(8)?;
                }
                out.push(u8::try_from(value).ok()?);
                continue;
            }
            _ => return None,
        };
        let mut buf = [0; 4];
        out.extend_from_slice(simple.encode_utf8(&mut buf).as_bytes());
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

fn hex(chars: &mut std::str::Chars<'_>, digits: usize) -> Option<u32> {
    let mut value: u32 = 0;
    for _ in 0..digits {
        value = value.checked_mul(16)? + chars.next()?.to_digit(16)?;
    }
    Some(value)
}

/// Whether `r` ends a field or a keyword (`None` is the end of the input).
fn is_terminator(r: Option<char>) -> bool {
    match r {
        None => true,
        Some(c) => matches!(
            c,
            ' ' | '\t' | '\r' | '\n' | '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}'
        ),
    }
}

/// Go's `unicode.IsDigit` (decimal digits of any script).
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

fn is_alphanumeric(c: char) -> bool {
    c == '_' || c.is_alphabetic() || is_digit(c)
}

/// Go's `%#U`: `U+002A '*'`, without the character when it does not print.
fn go_unicode(c: char) -> String {
    let printable = c == ' ' || !(c.is_control() || c.is_whitespace());
    if printable {
        format!("U+{:04X} '{c}'", c as u32)
    } else {
        format!("U+{:04X}", c as u32)
    }
}
