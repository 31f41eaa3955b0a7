//! The shell's regular expressions, POSIX basic (BRE) and extended (ERE) with GNU's
//! extensions, for `grep`, `sed` and `awk`: literals, `.`, bracket expressions with `[:class:]`,
//! `^ $`, `* + ? {m,n}` (`\+ \? \{m,n\}` in BRE), groups `( )` / `\( \)` with captures and
//! back-references `\1`..`\9`, alternation `|` / `\|`, and `\w \W \s \S \b \B \< \>`.
//!
//! A match is the leftmost one, and the longest there (as POSIX asks); its groups are those of
//! the first way found to match that much. The search is a backtracking machine that never
//! visits the same instruction at the same position twice (unless the pattern has
//! back-references), and is capped in steps, so no pattern and line can hang the page.
//! Compile errors are glibc's `regerror` texts.

/// One compiled pattern.
#[derive(Clone, Debug)]
pub(crate) struct Regex {
    prog: Vec<Inst>,
    icase: bool,
    backrefs: bool,
}

#[derive(Clone, Debug)]
enum Inst {
    Char(char),
    Any,
    Class(Box<Class>),
    /// Try the first, then the second.
    Split(usize, usize),
    Jmp(usize),
    Save(usize),
    Bol,
    Eol,
    /// `\b` (true) or `\B` (false).
    Boundary(bool),
    /// `\<` (true) or `\>` (false).
    WordEdge(bool),
    Backref(usize),
    Match,
}

#[derive(Clone, Debug, Default)]
struct Class {
    negate: bool,
    ranges: Vec<(char, char)>,
    /// `[:alpha:]`-style classes by name.
    named: Vec<fn(char) -> bool>,
}

impl Class {
    fn has(&self, c: char, icase: bool) -> bool {
        let one = |c: char| {
            self.ranges.iter().any(|(lo, hi)| *lo <= c && c <= *hi)
                || self.named.iter().any(|f| f(c))
        };
        let hit = one(c) || (icase && (one(lower(c)) || c.to_uppercase().next().is_some_and(one)));
        hit != self.negate
    }
}

#[derive(Clone, Debug)]
enum Node {
    Inst(Inst),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Group(usize, Box<Node>),
    Repeat(Box<Node>, u32, Option<u32>),
}

fn lower(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Most instructions a program may have (`x{1000}{1000}` must not eat the page).
const MAX_PROG: usize = 20_000;
/// Steps a search takes before it makes its memo.
const LAZY_MEMO: usize = 5_000;
/// Most cells of the visited-set memo of one search.
const MAX_MEMO: usize = 4_000_000;
/// Most steps one search may take; past it, what was found so far is the answer.
const MAX_STEPS: usize = 2_000_000;

struct Parser<'a> {
    chars: &'a [char],
    pos: usize,
    extended: bool,
    groups: usize,
    open: usize,
    backrefs: bool,
}

type Parsed<T> = Result<T, &'static str>;

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn at(&self, text: &str) -> bool {
        let mut i = self.pos;
        text.chars().all(|c| {
            let ok = self.chars.get(i) == Some(&c);
            i += 1;
            ok
        })
    }

    fn alt_sep(&self) -> bool {
        if self.extended {
            self.at("|")
        } else {
            self.at("\\|")
        }
    }

    fn group_close(&self) -> bool {
        self.open > 0
            && if self.extended {
                self.at(")")
            } else {
                self.at("\\)")
            }
    }

    fn alternatives(&mut self) -> Parsed<Node> {
        let mut alts = vec![self.concat()?];
        while self.alt_sep() {
            self.pos += if self.extended { 1 } else { 2 };
            alts.push(self.concat()?);
        }
        Ok(if alts.len() == 1 {
            alts.remove(0)
        } else {
            Node::Alt(alts)
        })
    }

    fn concat(&mut self) -> Parsed<Node> {
        let mut items: Vec<Node> = Vec::new();
        while self.pos < self.chars.len() && !self.alt_sep() && !self.group_close() {
            let c = self.chars[self.pos];
            // Repetition operators.
            let rep = match c {
                '*' if !items.is_empty() => Some((0, None)),
                '+' | '?' if self.extended => Some(if c == '+' { (1, None) } else { (0, Some(1)) }),
                '\\' if !self.extended
                    && matches!(self.chars.get(self.pos + 1), Some('+' | '?')) =>
                {
                    self.pos += 1;
                    Some(if self.peek() == Some('+') {
                        (1, None)
                    } else {
                        (0, Some(1))
                    })
                }
                _ => None,
            };
            if let Some((min, max)) = rep {
                self.pos += 1;
                let Some(last) = items.pop() else {
                    return Err("Invalid preceding regular expression");
                };
                items.push(Node::Repeat(Box::new(last), min, max));
                continue;
            }
            let brace = if self.extended {
                self.at("{")
            } else {
                self.at("\\{")
            };
            if brace {
                let Some(last) = items.pop() else {
                    if self.extended {
                        items.push(Node::Inst(Inst::Char('{')));
                        self.pos += 1;
                        continue;
                    }
                    return Err("Invalid preceding regular expression");
                };
                self.pos += if self.extended { 1 } else { 2 };
                let (min, max) = self.interval()?;
                items.push(Node::Repeat(Box::new(last), min, max));
                continue;
            }
            items.push(self.atom(items.is_empty())?);
        }
        Ok(Node::Concat(items))
    }

    fn number(&mut self) -> Option<u32> {
        let begin = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let text: String = self.chars[begin..self.pos].iter().collect();
        text.parse().ok().map(|n: u32| n.min(100_000))
    }

    fn interval(&mut self) -> Parsed<(u32, Option<u32>)> {
        let min = self.number();
        let max = if self.peek() == Some(',') {
            self.pos += 1;
            self.number()
        } else {
            min
        };
        let close = if self.extended { "}" } else { "\\}" };
        if !self.at(close) {
            return Err(if self.pos >= self.chars.len() {
                "Unmatched \\{"
            } else {
                "Invalid content of \\{\\}"
            });
        }
        self.pos += close.len();
        let min = min.unwrap_or(0);
        if max.is_some_and(|m| m < min) || min > 32767 {
            return Err("Invalid content of \\{\\}");
        }
        Ok((min, max))
    }

    fn atom(&mut self, first: bool) -> Parsed<Node> {
        let c = self.chars[self.pos];
        self.pos += 1;
        let inst = match c {
            '.' => Inst::Any,
            '^' if self.extended || first => Inst::Bol,
            '$' if self.extended
                || self.pos == self.chars.len()
                || self.alt_sep()
                || self.group_close() =>
            {
                Inst::Eol
            }
            '[' => return self.bracket(),
            '(' if self.extended => return self.group(),
            ')' if self.extended => Inst::Char(')'),
            '\\' => {
                let Some(n) = self.peek() else {
                    return Err("Trailing backslash");
                };
                self.pos += 1;
                match n {
                    '(' if !self.extended => return self.group(),
                    ')' if !self.extended => return Err("Unmatched ) or \\)"),
                    '1'..='9' => {
                        let k = n as usize - '0' as usize;
                        if k > self.groups {
                            return Err("Invalid back reference");
                        }
                        self.backrefs = true;
                        Inst::Backref(k)
                    }
                    'w' | 'W' | 's' | 'S' => {
                        let f: fn(char) -> bool = if matches!(n, 'w' | 'W') {
                            is_word
                        } else {
                            char::is_whitespace
                        };
                        Inst::Class(Box::new(Class {
                            negate: n.is_uppercase(),
                            named: vec![f],
                            ..Class::default()
                        }))
                    }
                    'b' | 'B' => Inst::Boundary(n == 'b'),
                    '<' | '>' => Inst::WordEdge(n == '<'),
                    'n' => Inst::Char('\n'),
                    't' => Inst::Char('\t'),
                    other => Inst::Char(other),
                }
            }
            other => Inst::Char(other),
        };
        Ok(Node::Inst(inst))
    }

    fn group(&mut self) -> Parsed<Node> {
        self.groups += 1;
        let index = self.groups;
        self.open += 1;
        let inner = self.alternatives()?;
        self.open -= 1;
        let close = if self.extended { ")" } else { "\\)" };
        if !self.at(close) {
            return Err("Unmatched ( or \\(");
        }
        self.pos += close.len();
        Ok(Node::Group(index, Box::new(inner)))
    }

    fn bracket(&mut self) -> Parsed<Node> {
        let mut class = Class::default();
        if self.peek() == Some('^') {
            class.negate = true;
            self.pos += 1;
        }
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return Err("Unmatched [, [^, [:, [., or [=");
            };
            self.pos += 1;
            if c == ']' && !first {
                break;
            }
            first = false;
            if c == '[' && self.peek() == Some(':') {
                let rest: String = self.chars[self.pos + 1..].iter().collect();
                let Some(end) = rest.find(":]") else {
                    return Err("Unmatched [, [^, [:, [., or [=");
                };
                let f: fn(char) -> bool = match &rest[..end] {
                    "alpha" => char::is_alphabetic,
                    "digit" => |c| c.is_ascii_digit(),
                    "alnum" => char::is_alphanumeric,
                    "upper" => char::is_uppercase,
                    "lower" => char::is_lowercase,
                    "space" => char::is_whitespace,
                    "blank" => |c| c == ' ' || c == '\t',
                    "punct" => |c| c.is_ascii_punctuation(),
                    "xdigit" => |c| c.is_ascii_hexdigit(),
                    "print" => |c| !c.is_control(),
                    "graph" => |c| !c.is_control() && c != ' ',
                    "cntrl" => char::is_control,
                    _ => return Err("Invalid character class name"),
                };
                class.named.push(f);
                self.pos += 1 + rest[..end].chars().count() + 2;
                continue;
            }
            if self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|&n| n != ']') {
                let hi = self.chars[self.pos + 1];
                if hi < c {
                    return Err("Invalid range end");
                }
                class.ranges.push((c, hi));
                self.pos += 2;
            } else {
                class.ranges.push((c, c));
            }
        }
        Ok(Node::Inst(Inst::Class(Box::new(class))))
    }
}

fn emit(node: &Node, prog: &mut Vec<Inst>) -> Parsed<()> {
    if prog.len() > MAX_PROG {
        return Err("Regular expression too big");
    }
    match node {
        Node::Inst(inst) => prog.push(inst.clone()),
        Node::Concat(items) => {
            for item in items {
                emit(item, prog)?;
            }
        }
        Node::Alt(alts) => {
            let mut jumps = Vec::new();
            for (i, alt) in alts.iter().enumerate() {
                if i + 1 < alts.len() {
                    let split = prog.len();
                    prog.push(Inst::Split(split + 1, 0));
                    emit(alt, prog)?;
                    jumps.push(prog.len());
                    prog.push(Inst::Jmp(0));
                    let next = prog.len();
                    prog[split] = Inst::Split(split + 1, next);
                } else {
                    emit(alt, prog)?;
                }
            }
            let end = prog.len();
            for j in jumps {
                prog[j] = Inst::Jmp(end);
            }
        }
        Node::Group(index, inner) => {
            prog.push(Inst::Save(index * 2));
            emit(inner, prog)?;
            prog.push(Inst::Save(index * 2 + 1));
        }
        Node::Repeat(inner, min, max) => {
            for _ in 0..*min {
                emit(inner, prog)?;
            }
            match max {
                None => {
                    let split = prog.len();
                    prog.push(Inst::Split(split + 1, 0));
                    emit(inner, prog)?;
                    prog.push(Inst::Jmp(split));
                    let end = prog.len();
                    prog[split] = Inst::Split(split + 1, end);
                }
                Some(max) => {
                    let mut splits = Vec::new();
                    for _ in *min..*max {
                        splits.push(prog.len());
                        prog.push(Inst::Split(0, 0));
                        emit(inner, prog)?;
                    }
                    let end = prog.len();
                    for s in splits {
                        prog[s] = Inst::Split(s + 1, end);
                    }
                }
            }
        }
    }
    Ok(())
}

/// Capture slots: `[start0, end0, start1, end1, …]` in characters.
pub(crate) type Captures = Vec<Option<usize>>;

impl Regex {
    /// Compiles `pattern` (ERE when `extended`), or glibc's message for what is wrong.
    pub(crate) fn new(pattern: &str, extended: bool, icase: bool) -> Result<Regex, &'static str> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut p = Parser {
            chars: &chars,
            pos: 0,
            extended,
            groups: 0,
            open: 0,
            backrefs: false,
        };
        let node = p.alternatives()?;
        if p.pos < chars.len() {
            return Err("Unmatched ) or \\)");
        }
        let mut prog = vec![Inst::Save(0)];
        emit(&node, &mut prog)?;
        prog.push(Inst::Save(1));
        prog.push(Inst::Match);
        if icase {
            for inst in &mut prog {
                if let Inst::Char(c) = inst {
                    *c = lower(*c);
                }
            }
        }
        Ok(Regex {
            prog,
            icase,
            backrefs: p.backrefs,
        })
    }

    /// The number of groups' slots (two per group, the whole match included).
    fn slots(&self) -> usize {
        self.prog
            .iter()
            .filter_map(|i| match i {
                Inst::Save(n) => Some(n + 1),
                _ => None,
            })
            .max()
            .unwrap_or(2)
    }

    /// How many groups the pattern has.
    pub(crate) fn groups(&self) -> usize {
        self.slots() / 2 - 1
    }

    pub(crate) fn is_match(&self, line: &str) -> bool {
        let text: Vec<char> = line.chars().collect();
        self.find_at(&text, 0).is_some()
    }

    /// The leftmost-longest match at or after character `from`: its capture slots.
    pub(crate) fn find_at(&self, text: &[char], from: usize) -> Option<Captures> {
        let mut steps = 0;
        // The memo costs a cell per instruction and position, so it is made only for a search
        // that takes long without it; past a few million cells (a huge line), or with
        // back-references, the step cap alone bounds the search.
        let size = self.prog.len().saturating_mul(text.len() + 1);
        let memo_ok = !self.backrefs && size <= MAX_MEMO;
        let mut seen: Vec<u32> = Vec::new();
        // A pattern that starts with a literal can only match where that character is.
        let first = match self.prog.get(1) {
            Some(Inst::Char(c)) if !self.icase => Some(*c),
            _ => None,
        };
        for start in from..=text.len() {
            if first.is_some_and(|c| text.get(start) != Some(&c)) {
                continue;
            }
            let before = steps;
            let lazy = memo_ok && seen.is_empty();
            let limit = if lazy {
                (before + LAZY_MEMO).min(MAX_STEPS)
            } else {
                MAX_STEPS
            };
            let (found, stopped) = self.run(text, start, &mut steps, limit, &mut seen);
            if stopped && lazy {
                seen = vec![0; size];
                steps = before;
                let (found, stopped) = self.run(text, start, &mut steps, MAX_STEPS, &mut seen);
                if found.is_some() || stopped {
                    return found;
                }
            } else if found.is_some() || stopped {
                return found;
            }
        }
        None
    }

    /// The longest match starting exactly at `start`, and whether `limit` steps stopped the
    /// search. `seen[pc * width + pos]` is `start + 1` once this search has been there.
    fn run(
        &self,
        text: &[char],
        start: usize,
        steps: &mut usize,
        limit: usize,
        seen: &mut [u32],
    ) -> (Option<Captures>, bool) {
        let memo = !seen.is_empty();
        let mark = start as u32 + 1;
        let width = text.len() + 1;
        let mut best: Option<Captures> = None;
        // The stack holds threads to try: (pc, pos, captures) and capture restorations.
        let mut stack: Vec<(usize, usize, Captures)> = vec![(0, start, vec![None; self.slots()])];
        while let Some((mut pc, mut pos, mut caps)) = stack.pop() {
            loop {
                *steps += 1;
                if *steps > limit {
                    return (best, true);
                }
                if memo {
                    let k = pc * width + pos;
                    if seen[k] == mark {
                        break;
                    }
                    seen[k] = mark;
                }
                let ch = text.get(pos).copied();
                let eq = |a: char, b: char| a == b || (self.icase && lower(b) == a);
                match &self.prog[pc] {
                    Inst::Char(c) => match ch {
                        Some(t) if eq(*c, t) => {
                            pc += 1;
                            pos += 1;
                        }
                        _ => break,
                    },
                    Inst::Any => match ch {
                        Some(_) => {
                            pc += 1;
                            pos += 1;
                        }
                        None => break,
                    },
                    Inst::Class(class) => match ch {
                        Some(t) if class.has(t, self.icase) => {
                            pc += 1;
                            pos += 1;
                        }
                        _ => break,
                    },
                    Inst::Split(a, b) => {
                        stack.push((*b, pos, caps.clone()));
                        pc = *a;
                    }
                    Inst::Jmp(to) => pc = *to,
                    Inst::Save(n) => {
                        caps[*n] = Some(pos);
                        pc += 1;
                    }
                    Inst::Bol if pos == 0 => pc += 1,
                    Inst::Eol if pos == text.len() => pc += 1,
                    Inst::Bol | Inst::Eol => break,
                    Inst::Boundary(want) => {
                        let before = pos > 0 && is_word(text[pos - 1]);
                        let after = ch.is_some_and(is_word);
                        if (before != after) != *want {
                            break;
                        }
                        pc += 1;
                    }
                    Inst::WordEdge(open) => {
                        let before = pos > 0 && is_word(text[pos - 1]);
                        let after = ch.is_some_and(is_word);
                        if (*open && !before && after) || (!*open && before && !after) {
                            pc += 1;
                        } else {
                            break;
                        }
                    }
                    Inst::Backref(k) => {
                        let (Some(s), Some(e)) = (caps[k * 2], caps[k * 2 + 1]) else {
                            break;
                        };
                        let len = e - s;
                        let ok = pos + len <= text.len()
                            && (0..len).all(|i| {
                                let (a, b) = (text[s + i], text[pos + i]);
                                a == b || (self.icase && lower(a) == lower(b))
                            });
                        if !ok {
                            break;
                        }
                        pos += len;
                        pc += 1;
                    }
                    Inst::Match => {
                        let longer = best.as_ref().is_none_or(|b| b[1].is_some_and(|e| pos > e));
                        if longer {
                            best = Some(caps.clone());
                        }
                        break;
                    }
                }
            }
        }
        (best, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, ere: bool, line: &str) -> Option<String> {
        let re = Regex::new(p, ere, false).unwrap();
        let text: Vec<char> = line.chars().collect();
        let caps = re.find_at(&text, 0)?;
        Some(text[caps[0].unwrap()..caps[1].unwrap()].iter().collect())
    }

    #[test]
    fn leftmost_longest_with_groups() {
        assert_eq!(m("a|ab", true, "xabc").as_deref(), Some("ab"));
        assert_eq!(m("\\(ab\\)*c", false, "ababc").as_deref(), Some("ababc"));
        assert_eq!(
            m("[[:digit:]]\\{2,3\\}", false, "a12345").as_deref(),
            Some("123")
        );
        assert_eq!(m("x*", false, "abc").as_deref(), Some(""));
        assert_eq!(m("*a", false, "b*a").as_deref(), Some("*a"));
        assert_eq!(m("\\(a\\)\\1", false, "xaa").as_deref(), Some("aa"));
        assert_eq!(m("\\bpod\\b", false, "a pod/x").as_deref(), Some("pod"));
        assert!(m("^b", true, "ab").is_none());
        assert_eq!(
            Regex::new("a\\(b", false, false).unwrap_err(),
            "Unmatched ( or \\("
        );
        assert_eq!(
            Regex::new("[a", false, false).unwrap_err(),
            "Unmatched [, [^, [:, [., or [="
        );
        assert_eq!(
            Regex::new("\\1", false, false).unwrap_err(),
            "Invalid back reference"
        );
        // No pattern runs away.
        assert!(m("(a*)*b", true, &"a".repeat(200)).is_none());
        assert!(m("(a|aa)*c", true, &"a".repeat(300_000)).is_none());
        let long = format!("{}bb", "a".repeat(300_000));
        assert_eq!(m("b+$", true, &long).as_deref(), Some("bb"));
    }
}
