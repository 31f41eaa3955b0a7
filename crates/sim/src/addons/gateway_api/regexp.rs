//! Go's `regexp` (RE2 syntax), as Envoy Gateway uses it for a `RegularExpression` match:
//! the controller compiles the pattern with Go's `regexp.Compile` and rejects the route with
//! Go's error text when it fails (`internal/utils/regex`), and Envoy matches the whole value
//! with RE2 (`safe_regex`: the path without its query, a header's or a query parameter's
//! value).
//!
//! The parser follows `regexp/syntax/parse.go` token by token, so an invalid pattern fails
//! where Go's does and with Go's `Error{Code, Expr}`; matching runs a Pike VM over the
//! compiled program, linear in the input, so no pattern can make a request hang.
//!
//! Where the lab is smaller than Go: `\p{…}` knows the general categories `L`, `Lu`, `Ll`,
//! `N`, `Nd`, `P`, `S`, `Z` (Rust's own tables stand in for Go's), not the scripts; and a
//! program over `MAX_PROGRAM` instructions is "expression too large" (Go's limit is about
//! 3.3 million, which the page could not match against in a frame).

use std::fmt;

/// Go's `ErrorCode` texts.
pub(crate) mod code {
    pub const INVALID_CHAR_RANGE: &str = "invalid character class range";
    pub const INVALID_ESCAPE: &str = "invalid escape sequence";
    pub const INVALID_NAMED_CAPTURE: &str = "invalid named capture";
    pub const INVALID_PERL_OP: &str = "invalid or unsupported Perl syntax";
    pub const INVALID_REPEAT_OP: &str = "invalid nested repetition operator";
    pub const INVALID_REPEAT_SIZE: &str = "invalid repeat count";
    pub const MISSING_BRACKET: &str = "missing closing ]";
    pub const MISSING_PAREN: &str = "missing closing )";
    pub const MISSING_REPEAT_ARGUMENT: &str = "missing argument to repetition operator";
    pub const TRAILING_BACKSLASH: &str = "trailing backslash at end of expression";
    pub const UNEXPECTED_PAREN: &str = "unexpected )";
    pub const NESTING_DEPTH: &str = "expression nests too deeply";
    pub const LARGE: &str = "expression too large";
}

/// `regexp/syntax.Error`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Error {
    pub code: &'static str,
    pub expr: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error parsing regexp: {}: `{}`", self.code, self.expr)
    }
}

fn error(code: &'static str, expr: &str) -> Error {
    Error {
        code,
        expr: expr.to_string(),
    }
}

/// Go's `maxRepeat`: the largest count in `x{n,m}`, and of nested counts multiplied.
const MAX_REPEAT: u32 = 1000;
/// Go's `maxHeight`.
const MAX_HEIGHT: usize = 1000;
/// The lab's bound on a compiled program (see the module's comment).
const MAX_PROGRAM: usize = 100_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Flags {
    fold_case: bool,
    dot_nl: bool,
    one_line: bool,
}

const PERL: Flags = Flags {
    fold_case: false,
    dot_nl: false,
    one_line: true,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Assertion {
    BeginText,
    EndText,
    BeginLine,
    EndLine,
    WordBoundary,
    NoWordBoundary,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Category {
    Letter,
    Upper,
    Lower,
    Number,
    Digit,
    Punct,
    Symbol,
    Separator,
}

impl Category {
    fn named(name: &str) -> Option<Category> {
        Some(match name {
            "L" => Category::Letter,
            "Lu" => Category::Upper,
            "Ll" => Category::Lower,
            "N" => Category::Number,
            "Nd" => Category::Digit,
            "P" => Category::Punct,
            "S" => Category::Symbol,
            "Z" => Category::Separator,
            _ => return None,
        })
    }

    fn contains(self, c: char) -> bool {
        match self {
            Category::Letter => c.is_alphabetic() && !c.is_numeric(),
            Category::Upper => c.is_uppercase(),
            Category::Lower => c.is_lowercase(),
            Category::Number => c.is_numeric(),
            Category::Digit => c.is_numeric(),
            Category::Punct => c.is_ascii_punctuation() && !"$+<=>^`|~".contains(c),
            Category::Symbol => "$+<=>^`|~".contains(c),
            Category::Separator => c.is_whitespace() && !c.is_control(),
        }
    }
}

/// A character class: ranges and categories, each possibly negated as a whole.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Class {
    ranges: Vec<(char, char)>,
    categories: Vec<(Category, bool)>,
    negated: bool,
    fold: bool,
}

impl Class {
    fn of(ranges: &[(char, char)]) -> Class {
        Class {
            ranges: ranges.to_vec(),
            ..Class::default()
        }
    }

    fn contains(&self, c: char) -> bool {
        let hit = |c: char| {
            self.ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi)
                || self
                    .categories
                    .iter()
                    .any(|&(cat, negated)| cat.contains(c) != negated)
        };
        let found = hit(c) || (self.fold && folds(c).into_iter().any(hit));
        found != self.negated
    }

    /// Adds `other` (a Perl or POSIX group, possibly negated) to this class.
    fn add(&mut self, other: &Class) {
        if !other.negated {
            self.ranges.extend_from_slice(&other.ranges);
            self.categories.extend_from_slice(&other.categories);
            return;
        }
        // A group is ranges (`\D`, `[:^alpha:]`, `\P{Any}`) or a category (`\PL`).
        if other.categories.is_empty() {
            self.ranges.extend(complement(&other.ranges));
        }
        for &(cat, negated) in &other.categories {
            self.categories.push((cat, !negated));
        }
    }
}

/// The ranges not in `ranges`.
fn complement(ranges: &[(char, char)]) -> Vec<(char, char)> {
    let mut sorted = ranges.to_vec();
    sorted.sort();
    let mut out = Vec::new();
    let mut next = 0u32;
    for (lo, hi) in sorted {
        if (lo as u32) > next {
            if let (Some(a), Some(b)) = (char::from_u32(next), prev_char(lo)) {
                out.push((a, b));
            }
        }
        next = next.max(hi as u32 + 1);
    }
    if let Some(a) = (next..=char::MAX as u32).find_map(char::from_u32) {
        out.push((a, char::MAX));
    }
    out
}

fn prev_char(c: char) -> Option<char> {
    (0..c as u32).rev().find_map(char::from_u32)
}

/// The characters `c` is equal to under simple case folding (the lab's stand-in for Go's
/// `unicode.SimpleFold` orbit).
fn folds(c: char) -> Vec<char> {
    let mut out = Vec::new();
    let mut push = |x: char| {
        if x != c && !out.contains(&x) {
            out.push(x);
        }
    };
    let lower = one(c.to_lowercase());
    let upper = one(c.to_uppercase());
    if let Some(l) = lower {
        push(l);
    }
    if let Some(u) = upper {
        push(u);
        if let Some(l) = one(u.to_lowercase()) {
            push(l);
        }
    }
    out
}

fn one(mut it: impl Iterator<Item = char>) -> Option<char> {
    let first = it.next()?;
    it.next().is_none().then_some(first)
}

#[derive(Clone, Debug)]
enum Node {
    Empty,
    Literal(char, bool),
    Class(Class),
    Any(bool),
    Assert(Assertion),
    Concat(Vec<Node>),
    Alternate(Vec<Node>),
    /// `min`, `max` (`None`: unbounded), and whether it came from `{n,m}` (Go's
    /// `OpRepeat`, the only kind the repeat-count limit looks at).
    Repeat(Box<Node>, u32, Option<u32>, bool),
    /// A capturing group: nothing to a whole-value match, but a level of Go's height.
    Capture(Box<Node>),
}

impl Node {
    fn height(&self) -> usize {
        match self {
            Node::Concat(subs) | Node::Alternate(subs) => {
                1 + subs.iter().map(Node::height).max().unwrap_or(0)
            }
            Node::Repeat(sub, ..) | Node::Capture(sub) => 1 + sub.height(),
            _ => 1,
        }
    }
}

/// Go's `repeatIsValid`: nested `{n,m}` counts multiplied stay within `n`.
fn repeat_is_valid(node: &Node, mut n: u32) -> bool {
    if let Node::Repeat(_, min, max, true) = node {
        let m = match max {
            Some(0) => return true,
            Some(m) => *m,
            None => *min,
        };
        if m > n {
            return false;
        }
        n = n.checked_div(m).unwrap_or(n);
    }
    match node {
        Node::Concat(subs) | Node::Alternate(subs) => subs.iter().all(|s| repeat_is_valid(s, n)),
        Node::Repeat(sub, ..) | Node::Capture(sub) => repeat_is_valid(sub, n),
        _ => true,
    }
}

/// A group `perl_flags` opened: the flags to restore at its `)`, and whether it captures.
type Group = (Flags, bool);

/// One open group on the parse stack.
struct Frame {
    alternatives: Vec<Node>,
    items: Vec<Node>,
    /// The flags in force when the group opened, restored at its `)`.
    flags: Flags,
    capture: bool,
}

impl Frame {
    fn new(flags: Flags, capture: bool) -> Frame {
        Frame {
            alternatives: Vec::new(),
            items: Vec::new(),
            flags,
            capture,
        }
    }

    fn close(mut self) -> Node {
        let concat = concat(std::mem::take(&mut self.items));
        let node = if self.alternatives.is_empty() {
            concat
        } else {
            self.alternatives.push(concat);
            Node::Alternate(self.alternatives)
        };
        if self.capture {
            Node::Capture(Box::new(node))
        } else {
            node
        }
    }
}

fn concat(mut items: Vec<Node>) -> Node {
    match items.len() {
        0 => Node::Empty,
        1 => items.pop().unwrap_or(Node::Empty),
        _ => Node::Concat(items),
    }
}

/// A compiled pattern.
#[derive(Clone, Debug)]
pub(crate) struct Regexp {
    program: Vec<Inst>,
}

#[derive(Clone, Debug)]
enum Inst {
    Literal(char, bool),
    Class(Class),
    Any(bool),
    Assert(Assertion),
    Split(usize, usize),
    Jump(usize),
    Match,
}

/// `regexp.Compile`.
pub(crate) fn compile(pattern: &str) -> Result<Regexp, Error> {
    let node = parse(pattern)?;
    if node.height() > MAX_HEIGHT {
        return Err(error(code::NESTING_DEPTH, pattern));
    }
    let mut program = Vec::new();
    emit(&node, &mut program).map_err(|()| error(code::LARGE, pattern))?;
    program.push(Inst::Match);
    Ok(Regexp { program })
}

fn parse(whole: &str) -> Result<Node, Error> {
    let mut flags = PERL;
    let mut stack = vec![Frame::new(flags, false)];
    let mut last_repeat: Option<usize> = None;
    let mut i = 0;
    while i < whole.len() {
        let t = &whole[i..];
        let mut repeat = None;
        let c = t.chars().next().unwrap_or('\0');
        match c {
            '(' if t.starts_with("(?") => {
                let (rest, group) = perl_flags(t, &mut flags)?;
                if let Some((saved, capture)) = group {
                    stack.push(Frame::new(saved, capture));
                }
                i = whole.len() - rest.len();
            }
            '(' => {
                stack.push(Frame::new(flags, true));
                i += 1;
            }
            '|' => {
                let top = top(&mut stack);
                let items = std::mem::take(&mut top.items);
                top.alternatives.push(concat(items));
                i += 1;
            }
            ')' => {
                if stack.len() < 2 {
                    return Err(error(code::UNEXPECTED_PAREN, whole));
                }
                let frame = stack.pop().unwrap_or_else(|| Frame::new(flags, false));
                flags = frame.flags;
                let node = frame.close();
                top(&mut stack).items.push(node);
                i += 1;
            }
            '^' => {
                push_assert(
                    &mut stack,
                    flags.one_line,
                    Assertion::BeginText,
                    Assertion::BeginLine,
                );
                i += 1;
            }
            '$' => {
                push_assert(
                    &mut stack,
                    flags.one_line,
                    Assertion::EndText,
                    Assertion::EndLine,
                );
                i += 1;
            }
            '.' => {
                top(&mut stack).items.push(Node::Any(flags.dot_nl));
                i += 1;
            }
            '[' => {
                let (class, rest) = parse_class(t, flags)?;
                top(&mut stack).items.push(Node::Class(class));
                i = whole.len() - rest.len();
            }
            '*' | '+' | '?' => {
                let (min, max) = match c {
                    '*' => (0, None),
                    '+' => (1, None),
                    _ => (0, Some(1)),
                };
                let after = i + 1;
                let after = repeat_op(whole, &mut stack, i, after, last_repeat, min, max, false)?;
                repeat = Some(i);
                i = after;
            }
            '{' => match parse_repeat(t) {
                None => {
                    push_literal(&mut stack, '{', flags);
                    i += 1;
                }
                Some((min, max, len)) => {
                    let after = i + len;
                    let too_big = |n: i64| n < 0 || n > i64::from(MAX_REPEAT);
                    if too_big(min)
                        || max.is_some_and(too_big)
                        || max.is_some_and(|max| max >= 0 && min > max)
                    {
                        return Err(error(code::INVALID_REPEAT_SIZE, &whole[i..after]));
                    }
                    let (min, max) = (min as u32, max.map(|m| m as u32));
                    let after =
                        repeat_op(whole, &mut stack, i, after, last_repeat, min, max, true)?;
                    repeat = Some(i);
                    i = after;
                }
            },
            '\\' => {
                let rest = escape(t, flags, &mut stack)?;
                i = whole.len() - rest.len();
            }
            c => {
                push_literal(&mut stack, c, flags);
                i += c.len_utf8();
            }
        }
        last_repeat = repeat;
    }
    if stack.len() != 1 {
        return Err(error(code::MISSING_PAREN, whole));
    }
    Ok(stack.pop().map_or(Node::Empty, Frame::close))
}

fn top(stack: &mut [Frame]) -> &mut Frame {
    let n = stack.len();
    &mut stack[n - 1]
}

fn push_literal(stack: &mut [Frame], c: char, flags: Flags) {
    top(stack).items.push(Node::Literal(c, flags.fold_case));
}

fn push_assert(stack: &mut [Frame], one_line: bool, text: Assertion, line: Assertion) {
    top(stack)
        .items
        .push(Node::Assert(if one_line { text } else { line }));
}

/// Go's `parser.repeat`: `before` is where the operator starts, `after` where it ends; a
/// following `?` makes it non-greedy (which a whole-value match does not see).
#[allow(clippy::too_many_arguments)]
fn repeat_op(
    whole: &str,
    stack: &mut [Frame],
    before: usize,
    mut after: usize,
    last_repeat: Option<usize>,
    min: u32,
    max: Option<u32>,
    counted: bool,
) -> Result<usize, Error> {
    if whole[after..].starts_with('?') {
        after += 1;
    }
    if let Some(last) = last_repeat {
        return Err(error(code::INVALID_REPEAT_OP, &whole[last..after]));
    }
    let frame = top(stack);
    let Some(sub) = frame.items.pop() else {
        return Err(error(code::MISSING_REPEAT_ARGUMENT, &whole[before..after]));
    };
    let node = Node::Repeat(Box::new(sub), min, max, counted);
    if counted && (min >= 2 || max.is_some_and(|m| m >= 2)) && !repeat_is_valid(&node, MAX_REPEAT) {
        return Err(error(code::INVALID_REPEAT_SIZE, &whole[before..after]));
    }
    frame.items.push(node);
    Ok(after)
}

/// Go's `parseRepeat`: `{n}`, `{n,}` or `{n,m}` at the start of `s`, as
/// `(min, max, length)`; a number too big is `-1`. `None`: not a repeat (a literal `{`).
fn parse_repeat(s: &str) -> Option<(i64, Option<i64>, usize)> {
    let bytes = s.as_bytes();
    let mut i = 1;
    let (min, len) = parse_int(&s[i..])?;
    i += len;
    let max = match bytes.get(i)? {
        b',' => {
            i += 1;
            if *bytes.get(i)? == b'}' {
                None
            } else {
                let (max, len) = parse_int(&s[i..])?;
                i += len;
                Some(max)
            }
        }
        _ => Some(min),
    };
    if *bytes.get(i)? != b'}' {
        return None;
    }
    let min = if max == Some(-1) { -1 } else { min };
    Some((min, max, i + 1))
}

/// Go's `parseInt`: digits without a leading zero, `-1` past 10^8.
fn parse_int(s: &str) -> Option<(i64, usize)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits >= 2 && s.starts_with('0') {
        return None;
    }
    let mut n: i64 = 0;
    for b in s[..digits].bytes() {
        if n >= 100_000_000 {
            n = -1;
            break;
        }
        n = n * 10 + i64::from(b - b'0');
    }
    Some((n, digits))
}

/// Go's `parsePerlFlags`, for `s` starting with `(?`: named groups, `(?flags)` and
/// `(?flags:`. Returns the rest and, when a group opens, the flags to restore at its end
/// and whether it captures.
fn perl_flags<'a>(s: &'a str, flags: &mut Flags) -> Result<(&'a str, Option<Group>), Error> {
    let starts_with_p = s.len() > 4 && s.as_bytes()[2] == b'P' && s.as_bytes()[3] == b'<';
    let starts_with_name = s.len() > 3 && s.as_bytes()[2] == b'<';
    if starts_with_p || starts_with_name {
        let start = if starts_with_p { 4 } else { 3 };
        let Some(end) = s.find('>') else {
            return Err(error(code::INVALID_NAMED_CAPTURE, s));
        };
        let name = s.get(start..end).unwrap_or("");
        if name.is_empty() || !name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric()) {
            return Err(error(code::INVALID_NAMED_CAPTURE, &s[..=end]));
        }
        return Ok((&s[end + 1..], Some((*flags, true))));
    }
    let mut next = *flags;
    let mut negate = false;
    let mut saw_flag = false;
    let mut t = &s[2..];
    while let Some(c) = t.chars().next() {
        t = &t[c.len_utf8()..];
        let set = !negate;
        match c {
            'i' => next.fold_case = set,
            'm' => next.one_line = !set,
            's' => next.dot_nl = set,
            // Non-greedy by default: invisible to a whole-value match.
            'U' => {}
            '-' if !negate => {
                negate = true;
                saw_flag = false;
                continue;
            }
            ':' | ')' => {
                if negate && !saw_flag {
                    break;
                }
                let saved = *flags;
                *flags = next;
                return Ok((t, (c == ':').then_some((saved, false))));
            }
            _ => break,
        }
        saw_flag = true;
    }
    Err(error(code::INVALID_PERL_OP, &s[..s.len() - t.len()]))
}

/// A backslash outside a class: Perl's `\A \b \B \C \Q…\E \z`, `\p{…}`, `\d \s \w`, or a
/// single escaped character.
fn escape<'a>(t: &'a str, flags: Flags, stack: &mut [Frame]) -> Result<&'a str, Error> {
    let frame = top(stack);
    match t.as_bytes().get(1) {
        Some(b'A') => {
            frame.items.push(Node::Assert(Assertion::BeginText));
            return Ok(&t[2..]);
        }
        Some(b'b') => {
            frame.items.push(Node::Assert(Assertion::WordBoundary));
            return Ok(&t[2..]);
        }
        Some(b'B') => {
            frame.items.push(Node::Assert(Assertion::NoWordBoundary));
            return Ok(&t[2..]);
        }
        Some(b'C') => return Err(error(code::INVALID_ESCAPE, &t[..2])),
        Some(b'Q') => {
            let body = &t[2..];
            let (literal, rest) = match body.find("\\E") {
                Some(end) => (&body[..end], &body[end + 2..]),
                None => (body, ""),
            };
            for c in literal.chars() {
                frame.items.push(Node::Literal(c, flags.fold_case));
            }
            return Ok(rest);
        }
        Some(b'z') => {
            frame.items.push(Node::Assert(Assertion::EndText));
            return Ok(&t[2..]);
        }
        _ => {}
    }
    if let Some((mut class, rest)) = unicode_class(t)? {
        class.fold = flags.fold_case;
        frame.items.push(Node::Class(class));
        return Ok(rest);
    }
    if let Some((group, rest)) = perl_class(t) {
        let mut class = Class {
            fold: flags.fold_case,
            ..Class::default()
        };
        class.add(&group);
        frame.items.push(Node::Class(class));
        return Ok(rest);
    }
    let (c, rest) = single_escape(t)?;
    frame.items.push(Node::Literal(c, flags.fold_case));
    Ok(rest)
}

/// Go's `parseEscape`: `t` starts with a backslash.
fn single_escape(s: &str) -> Result<(char, &str), Error> {
    let t = &s[1..];
    let Some(c) = t.chars().next() else {
        return Err(error(code::TRAILING_BACKSLASH, ""));
    };
    let mut t = &t[c.len_utf8()..];
    let invalid = |t: &str| Err(error(code::INVALID_ESCAPE, &s[..s.len() - t.len()]));
    let is_octal = |t: &str| {
        t.as_bytes()
            .first()
            .is_some_and(|b| (b'0'..=b'7').contains(b))
    };
    match c {
        // A single non-zero digit is a backreference: not supported.
        '1'..='7' if !is_octal(t) => invalid(t),
        '0'..='7' => {
            let mut r = c as u32 - '0' as u32;
            for _ in 1..3 {
                if !is_octal(t) {
                    break;
                }
                r = r * 8 + u32::from(t.as_bytes()[0] - b'0');
                t = &t[1..];
            }
            Ok((char::from_u32(r).unwrap_or('\0'), t))
        }
        'x' => {
            let Some(c) = t.chars().next() else {
                return invalid(t);
            };
            t = &t[c.len_utf8()..];
            if c == '{' {
                let mut r: u32 = 0;
                let mut digits = 0;
                loop {
                    let Some(c) = t.chars().next() else {
                        return invalid(t);
                    };
                    t = &t[c.len_utf8()..];
                    if c == '}' {
                        break;
                    }
                    let Some(v) = c.to_digit(16) else {
                        return invalid(t);
                    };
                    r = r * 16 + v;
                    if r > char::MAX as u32 {
                        return invalid(t);
                    }
                    digits += 1;
                }
                if digits == 0 {
                    return invalid(t);
                }
                return Ok((char::from_u32(r).unwrap_or('\u{FFFD}'), t));
            }
            let x = c.to_digit(16);
            let Some(c2) = t.chars().next() else {
                return invalid(t);
            };
            t = &t[c2.len_utf8()..];
            match (x, c2.to_digit(16)) {
                (Some(x), Some(y)) => Ok((char::from_u32(x * 16 + y).unwrap_or('\0'), t)),
                _ => invalid(t),
            }
        }
        'a' => Ok(('\u{7}', t)),
        'f' => Ok(('\u{c}', t)),
        'n' => Ok(('\n', t)),
        'r' => Ok(('\r', t)),
        't' => Ok(('\t', t)),
        'v' => Ok(('\u{b}', t)),
        c if c.is_ascii() && !c.is_ascii_alphanumeric() => Ok((c, t)),
        _ => invalid(t),
    }
}

/// Go's `parseUnicodeClass`: `\pL`, `\p{Name}`, `\PL`, `\p{^Name}`.
fn unicode_class(s: &str) -> Result<Option<(Class, &str)>, Error> {
    let b = s.as_bytes();
    if b.len() < 2 || b[0] != b'\\' || (b[1] != b'p' && b[1] != b'P') {
        return Ok(None);
    }
    let mut negated = b[1] == b'P';
    let t = &s[2..];
    let Some(c) = t.chars().next() else {
        return Err(error(code::INVALID_CHAR_RANGE, s));
    };
    let (seq, mut name, rest) = if c != '{' {
        let end = 2 + c.len_utf8();
        (&s[..end], &s[2..end], &s[end..])
    } else {
        let Some(end) = s.find('}') else {
            return Err(error(code::INVALID_CHAR_RANGE, s));
        };
        (&s[..=end], &s[3..end], &s[end + 1..])
    };
    if let Some(stripped) = name.strip_prefix('^') {
        negated = !negated;
        name = stripped;
    }
    if name == "Any" {
        let class = Class {
            ranges: vec![('\0', char::MAX)],
            negated,
            ..Class::default()
        };
        return Ok(Some((class, rest)));
    }
    let Some(category) = Category::named(name) else {
        return Err(error(code::INVALID_CHAR_RANGE, seq));
    };
    let class = Class {
        categories: vec![(category, false)],
        negated,
        ..Class::default()
    };
    Ok(Some((class, rest)))
}

const DIGIT: &[(char, char)] = &[('0', '9')];
const SPACE: &[(char, char)] = &[('\t', '\n'), ('\u{c}', '\r'), (' ', ' ')];
const WORD: &[(char, char)] = &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];

/// Go's `perlGroup`: `\d \D \s \S \w \W`.
fn perl_class(s: &str) -> Option<(Class, &str)> {
    let b = s.as_bytes();
    if b.len() < 2 || b[0] != b'\\' {
        return None;
    }
    let ranges = match b[1].to_ascii_lowercase() {
        b'd' => DIGIT,
        b's' => SPACE,
        b'w' => WORD,
        _ => return None,
    };
    let mut class = Class::of(ranges);
    class.negated = b[1].is_ascii_uppercase();
    Some((class, &s[2..]))
}

/// Go's `posixGroup`: `[:alpha:]`, `[:^alpha:]`, ….
fn posix_class(name: &str) -> Option<Class> {
    let (negated, bare) = match name.strip_prefix("[:^") {
        Some(rest) => (true, rest),
        None => (false, &name[2..]),
    };
    let ranges: &[(char, char)] = match bare.strip_suffix(":]")? {
        "alnum" => &[('0', '9'), ('A', 'Z'), ('a', 'z')],
        "alpha" => &[('A', 'Z'), ('a', 'z')],
        "ascii" => &[('\0', '\u{7f}')],
        "blank" => &[('\t', '\t'), (' ', ' ')],
        "cntrl" => &[('\0', '\u{1f}'), ('\u{7f}', '\u{7f}')],
        "digit" => DIGIT,
        "graph" => &[('!', '~')],
        "lower" => &[('a', 'z')],
        "print" => &[(' ', '~')],
        "punct" => &[('!', '/'), (':', '@'), ('[', '`'), ('{', '~')],
        "space" => &[('\t', '\r'), (' ', ' ')],
        "upper" => &[('A', 'Z')],
        "word" => WORD,
        "xdigit" => &[('0', '9'), ('A', 'F'), ('a', 'f')],
        _ => return None,
    };
    let mut class = Class::of(ranges);
    class.negated = negated;
    Some(class)
}

/// Go's `parseClass`: `s` starts with `[`.
fn parse_class(s: &str, flags: Flags) -> Result<(Class, &str), Error> {
    let mut t = &s[1..];
    let mut class = Class {
        fold: flags.fold_case,
        ..Class::default()
    };
    if let Some(rest) = t.strip_prefix('^') {
        // Perl's ClassNL: a negated class matches a newline too.
        class.negated = true;
        t = rest;
    }
    let mut first = true;
    while t.is_empty() || !t.starts_with(']') || first {
        first = false;
        if t.len() > 2 && t.starts_with("[:") {
            if let Some(end) = t[2..].find(":]") {
                let name = &t[..end + 4];
                let Some(group) = posix_class(name) else {
                    return Err(error(code::INVALID_CHAR_RANGE, name));
                };
                class.add(&group);
                t = &t[end + 4..];
                continue;
            }
        }
        if let Some((group, rest)) = unicode_class(t)? {
            class.add(&group);
            t = rest;
            continue;
        }
        if let Some((group, rest)) = perl_class(t) {
            class.add(&group);
            t = rest;
            continue;
        }
        let range_start = t;
        let (lo, rest) = class_char(t, s)?;
        t = rest;
        let mut hi = lo;
        if t.len() >= 2 && t.starts_with('-') && !t[1..].starts_with(']') {
            let (h, rest) = class_char(&t[1..], s)?;
            t = rest;
            hi = h;
            if hi < lo {
                let range = &range_start[..range_start.len() - t.len()];
                return Err(error(code::INVALID_CHAR_RANGE, range));
            }
        }
        class.ranges.push((lo, hi));
    }
    Ok((class, &t[1..]))
}

/// Go's `parseClassChar`.
fn class_char<'a>(t: &'a str, whole_class: &str) -> Result<(char, &'a str), Error> {
    let Some(c) = t.chars().next() else {
        return Err(error(code::MISSING_BRACKET, whole_class));
    };
    if c == '\\' {
        return single_escape(t);
    }
    Ok((c, &t[c.len_utf8()..]))
}

/// Compiles `node` onto `program` (Thompson's construction).
fn emit(node: &Node, program: &mut Vec<Inst>) -> Result<(), ()> {
    if program.len() > MAX_PROGRAM {
        return Err(());
    }
    match node {
        Node::Empty => {}
        Node::Literal(c, fold) => program.push(Inst::Literal(*c, *fold)),
        Node::Class(class) => program.push(Inst::Class(class.clone())),
        Node::Any(nl) => program.push(Inst::Any(*nl)),
        Node::Assert(a) => program.push(Inst::Assert(*a)),
        Node::Concat(subs) => {
            for sub in subs {
                emit(sub, program)?;
            }
        }
        Node::Capture(sub) => emit(sub, program)?,
        Node::Alternate(subs) => {
            let mut jumps = Vec::new();
            for (i, sub) in subs.iter().enumerate() {
                if i + 1 < subs.len() {
                    let split = program.len();
                    program.push(Inst::Split(split + 1, 0));
                    emit(sub, program)?;
                    jumps.push(program.len());
                    program.push(Inst::Jump(0));
                    let next = program.len();
                    program[split] = Inst::Split(split + 1, next);
                } else {
                    emit(sub, program)?;
                }
            }
            let end = program.len();
            for j in jumps {
                program[j] = Inst::Jump(end);
            }
        }
        Node::Repeat(sub, min, max, _) => {
            for _ in 0..*min {
                emit(sub, program)?;
            }
            match max {
                None => {
                    // x*: L: split(body, out); body; jump L
                    let split = program.len();
                    program.push(Inst::Split(split + 1, 0));
                    emit(sub, program)?;
                    program.push(Inst::Jump(split));
                    let out = program.len();
                    program[split] = Inst::Split(split + 1, out);
                }
                Some(max) => {
                    let mut splits = Vec::new();
                    for _ in *min..*max {
                        splits.push(program.len());
                        program.push(Inst::Split(0, 0));
                        emit(sub, program)?;
                    }
                    let out = program.len();
                    for s in splits {
                        program[s] = Inst::Split(s + 1, out);
                    }
                }
            }
        }
    }
    if program.len() > MAX_PROGRAM {
        return Err(());
    }
    Ok(())
}

fn is_word(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Regexp {
    /// Whether the whole of `text` matches (RE2's `FullMatch`, what Envoy's `safe_regex`
    /// asks).
    pub(crate) fn full_match(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        let n = self.program.len();
        let mut current: Vec<usize> = Vec::new();
        let mut next: Vec<usize> = Vec::new();
        let mut seen = vec![usize::MAX; n];
        let mut work = Vec::new();
        self.add(0, 0, &chars, &mut current, &mut seen, &mut work);
        for pos in 0..=chars.len() {
            if current.is_empty() {
                return false;
            }
            let c = chars.get(pos).copied();
            next.clear();
            for &pc in &current {
                let step = match (&self.program[pc], c) {
                    (Inst::Match, None) => return true,
                    (Inst::Literal(want, fold), Some(c)) => {
                        *want == c || *fold && folds(c).contains(want)
                    }
                    (Inst::Class(class), Some(c)) => class.contains(c),
                    (Inst::Any(nl), Some(c)) => *nl || c != '\n',
                    _ => false,
                };
                if step {
                    self.add(pc + 1, pos + 1, &chars, &mut next, &mut seen, &mut work);
                }
            }
            std::mem::swap(&mut current, &mut next);
        }
        false
    }

    /// Adds the thread at `pc` and everything it reaches without consuming a character.
    fn add(
        &self,
        pc: usize,
        pos: usize,
        chars: &[char],
        list: &mut Vec<usize>,
        seen: &mut [usize],
        work: &mut Vec<usize>,
    ) {
        work.push(pc);
        while let Some(pc) = work.pop() {
            if seen[pc] == pos {
                continue;
            }
            seen[pc] = pos;
            match &self.program[pc] {
                Inst::Jump(to) => work.push(*to),
                Inst::Split(a, b) => {
                    work.push(*b);
                    work.push(*a);
                }
                Inst::Assert(a) => {
                    let before = pos.checked_sub(1).and_then(|p| chars.get(p).copied());
                    let after = chars.get(pos).copied();
                    let holds = match a {
                        Assertion::BeginText => pos == 0,
                        Assertion::EndText => pos == chars.len(),
                        Assertion::BeginLine => pos == 0 || before == Some('\n'),
                        Assertion::EndLine => pos == chars.len() || after == Some('\n'),
                        Assertion::WordBoundary => is_word(before) != is_word(after),
                        Assertion::NoWordBoundary => is_word(before) == is_word(after),
                    };
                    if holds {
                        work.push(pc + 1);
                    }
                }
                _ => list.push(pc),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Go's `regexp` `badRe` table (`all_test.go`) and more from `parse.go`'s paths.
    #[test]
    fn invalid_patterns_fail_with_gos_error() {
        let cases = [
            ("*", "missing argument to repetition operator: `*`"),
            ("+", "missing argument to repetition operator: `+`"),
            ("?", "missing argument to repetition operator: `?`"),
            ("(abc", "missing closing ): `(abc`"),
            ("abc)", "unexpected ): `abc)`"),
            ("x[a-z", "missing closing ]: `[a-z`"),
            ("[z-a]", "invalid character class range: `z-a`"),
            ("abc\\", "trailing backslash at end of expression: ``"),
            ("a**", "invalid nested repetition operator: `**`"),
            ("a*+", "invalid nested repetition operator: `*+`"),
            ("\\x", "invalid escape sequence: `\\x`"),
            (
                "*.foo.bar.com",
                "missing argument to repetition operator: `*`",
            ),
            ("a|*", "missing argument to repetition operator: `*`"),
            ("(*)", "missing argument to repetition operator: `*`"),
            ("a{1001}", "invalid repeat count: `{1001}`"),
            ("a{2,1}", "invalid repeat count: `{2,1}`"),
            ("(a{100}){100}", "invalid repeat count: `{100}`"),
            ("(?=x)", "invalid or unsupported Perl syntax: `(?=`"),
            ("(?!x)", "invalid or unsupported Perl syntax: `(?!`"),
            ("(?<name", "invalid named capture: `(?<name`"),
            ("(?P<n-1>x)", "invalid named capture: `(?P<n-1>`"),
            ("\\1", "invalid escape sequence: `\\1`"),
            ("\\q", "invalid escape sequence: `\\q`"),
            ("\\C", "invalid escape sequence: `\\C`"),
            ("[[:foo:]]", "invalid character class range: `[:foo:]`"),
            ("\\p{Foo}", "invalid character class range: `\\p{Foo}`"),
            ("a*?*", "invalid nested repetition operator: `*?*`"),
        ];
        for (pattern, want) in cases {
            let got = compile(pattern).map(|_| ()).map_err(|e| e.to_string());
            assert_eq!(
                got,
                Err(format!("error parsing regexp: {want}")),
                "{pattern}"
            );
        }
    }

    #[test]
    fn valid_patterns_match_whole_values() {
        let cases: &[(&str, &str, bool)] = &[
            ("", "", true),
            ("", "a", false),
            (".", "a", true),
            ("^.$", "a", true),
            ("a*", "aaa", true),
            ("a+", "", false),
            ("a|b", "b", true),
            ("(a*|b)(c*|d)", "aacc", true),
            ("[a-abc-c\\-\\]\\[]", "]", true),
            ("[^1234]", "5", true),
            ("[^1234]", "3", false),
            ("[^\\n]", "\n", false),
            ("\\!\\\\", "!\\", true),
            ("te.*", "test", true),
            ("te.*", "atest", false),
            ("t.*t", "test", true),
            ("/api/v[0-9]+/.*", "/api/v2/users", true),
            ("/api/v[0-9]+/.*", "/api/vx/users", false),
            ("(?i)canary", "CaNaRy", true),
            ("canary", "CANARY", false),
            ("[[:digit:]]{3}", "123", true),
            ("\\d{3}", "12", false),
            ("x{2,}", "xxxx", true),
            ("x{2,3}", "xxxx", false),
            ("a{,2}", "a{,2}", true),
            ("\\Qa.b\\E", "a.b", true),
            ("\\Qa.b\\E", "axb", false),
            ("\\bfoo\\b", "foo", true),
            ("(?P<v>v[12])", "v2", true),
            ("\\pL+", "héllo", true),
            ("[\\d\\s]+", "1 2", true),
            ("a.c", "a\nc", false),
            ("(?s)a.c", "a\nc", true),
        ];
        for (pattern, text, want) in cases {
            let re = compile(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
            assert_eq!(re.full_match(text), *want, "{pattern} on {text:?}");
        }
    }

    /// Random patterns from regex syntax's own characters: each compiles or fails with one
    /// of Go's codes, and a match of whatever compiled finishes (no panic, no hang).
    #[test]
    fn random_patterns_never_panic() {
        let alphabet: Vec<char> = "ab.*+?|()[]{}^$\\-,0123:=!<>PpdDswWbBQEzAxiUms_ é"
            .chars()
            .collect();
        let mut rng = crate::rng::Rng::new(7);
        for _ in 0..20_000 {
            let len = rng.below(12) as usize;
            let pattern: String = (0..len)
                .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize])
                .collect();
            match compile(&pattern) {
                Ok(re) => {
                    let _ = re.full_match("ab-ba é 012");
                    let _ = re.full_match("");
                }
                Err(e) => assert!(!e.code.is_empty(), "{pattern}"),
            }
        }
    }

    #[test]
    fn absurd_patterns_stay_bounded() {
        // Exponential for a backtracker, linear here.
        let re = compile("(a*)*b").unwrap();
        assert!(!re.full_match(&"a".repeat(10_000)));
        // Nested counts within Go's limit, over the lab's program bound.
        let big = "[a-z]{1000}".repeat(200);
        assert_eq!(compile(&big).unwrap_err().code, code::LARGE);
        let deep = format!("{}a{}", "(".repeat(1001), ")".repeat(1001));
        assert_eq!(compile(&deep).unwrap_err().code, code::NESTING_DEPTH);
    }
}
