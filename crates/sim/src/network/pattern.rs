//! A small regular-expression matcher for `canary-by-header-pattern`.
//!
//! ingress-nginx hands the pattern to PCRE (`ngx.re.match`, unanchored). The simulation has
//! no regex dependency, so this covers the syntax canary rules use in practice — literals,
//! `.`, classes `[a-z]`/`[^…]`, `\d \w \s` (and their negations), `* + ? {n} {n,} {n,m}`,
//! `^ $`, groups `( … )` and `|` — and treats anything else as a compile error, which
//! ingress-nginx also turns into "no match". Backtracking is capped so no pattern can hang
//! the page.

use std::cell::Cell;

/// A compiled pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    alternatives: Vec<Vec<Node>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Node {
    Char(char),
    Any,
    Class {
        ranges: Vec<(char, char)>,
        negated: bool,
    },
    Start,
    End,
    Group(Vec<Vec<Node>>),
    Repeat {
        node: Box<Node>,
        min: usize,
        max: usize,
    },
}

/// The most matching steps one `is_match` may take before giving up (as "no match").
const STEP_LIMIT: usize = 100_000;
/// Bounds on `{n,m}` and nesting, so absurd patterns stay cheap.
const MAX_REPEAT: usize = 1_000;
const MAX_DEPTH: usize = 32;
/// The matcher recurses once per step along a path, so inputs are bounded to keep the
/// stack shallow in wasm (1 MB). Canary header values are short tokens in practice; a longer
/// value or pattern simply does not match.
const MAX_INPUT: usize = 256;

impl Pattern {
    /// `None` when the pattern uses syntax outside the supported subset or is malformed.
    pub fn compile(source: &str) -> Option<Pattern> {
        if source.len() > MAX_INPUT {
            return None;
        }
        let chars: Vec<char> = source.chars().collect();
        let mut parser = Parser {
            chars: &chars,
            pos: 0,
        };
        let alternatives = parser.alternatives(0)?;
        (parser.pos == chars.len()).then_some(Pattern { alternatives })
    }

    /// Unanchored search, like `ngx.re.match(subject, pattern)`.
    pub fn is_match(&self, subject: &str) -> bool {
        if subject.len() > MAX_INPUT {
            return false;
        }
        let text: Vec<char> = subject.chars().collect();
        let steps = Cell::new(0);
        let matcher = Matcher {
            text: &text,
            steps: &steps,
        };
        (0..=text.len()).any(|start| matcher.alternatives(&self.alternatives, start, &mut |_| true))
    }
}

struct Parser<'a> {
    chars: &'a [char],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    fn alternatives(&mut self, depth: usize) -> Option<Vec<Vec<Node>>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut alternatives = vec![self.sequence(depth)?];
        while self.peek() == Some('|') {
            self.pos += 1;
            alternatives.push(self.sequence(depth)?);
        }
        Some(alternatives)
    }

    fn sequence(&mut self, depth: usize) -> Option<Vec<Node>> {
        let mut nodes = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom(depth)?;
            nodes.push(self.quantified(atom)?);
        }
        Some(nodes)
    }

    fn atom(&mut self, depth: usize) -> Option<Node> {
        match self.next()? {
            '.' => Some(Node::Any),
            '^' => Some(Node::Start),
            '$' => Some(Node::End),
            '(' => {
                // `(?:…)` and other `(?` forms are outside the subset.
                if self.peek() == Some('?') {
                    return None;
                }
                let inner = self.alternatives(depth + 1)?;
                (self.next()? == ')').then_some(Node::Group(inner))
            }
            '[' => self.class(),
            '\\' => self.escape(),
            '*' | '+' | '?' | '{' | ')' | ']' => None,
            c => Some(Node::Char(c)),
        }
    }

    fn escape(&mut self) -> Option<Node> {
        let c = self.next()?;
        let class = |ranges: &[(char, char)], negated| Node::Class {
            ranges: ranges.to_vec(),
            negated,
        };
        Some(match c {
            'd' => class(DIGIT, false),
            'D' => class(DIGIT, true),
            'w' => class(WORD, false),
            'W' => class(WORD, true),
            's' => class(SPACE, false),
            'S' => class(SPACE, true),
            c if c.is_ascii_alphanumeric() => return None,
            c => Node::Char(c),
        })
    }

    fn class(&mut self) -> Option<Node> {
        let negated = self.peek() == Some('^');
        if negated {
            self.pos += 1;
        }
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let c = self.next()?;
            if c == ']' && !first {
                break;
            }
            first = false;
            let low = if c == '\\' {
                match self.next()? {
                    'd' => {
                        ranges.extend_from_slice(DIGIT);
                        continue;
                    }
                    'w' => {
                        ranges.extend_from_slice(WORD);
                        continue;
                    }
                    's' => {
                        ranges.extend_from_slice(SPACE);
                        continue;
                    }
                    c if c.is_ascii_alphanumeric() => return None,
                    c => c,
                }
            } else {
                c
            };
            if self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|&c| c != ']') {
                self.pos += 1;
                let high = self.next()?;
                if high < low {
                    return None;
                }
                ranges.push((low, high));
            } else {
                ranges.push((low, low));
            }
        }
        Some(Node::Class { ranges, negated })
    }

    fn quantified(&mut self, atom: Node) -> Option<Node> {
        let (min, max) = match self.peek() {
            Some('*') => (0, MAX_REPEAT),
            Some('+') => (1, MAX_REPEAT),
            Some('?') => (0, 1),
            Some('{') => {
                let close = self.chars[self.pos..].iter().position(|&c| c == '}')?;
                let inside: String = self.chars[self.pos + 1..self.pos + close].iter().collect();
                let bounds = match inside.split_once(',') {
                    None => {
                        let n = inside.parse().ok()?;
                        (n, n)
                    }
                    Some((low, "")) => (low.parse().ok()?, MAX_REPEAT),
                    Some((low, high)) => (low.parse().ok()?, high.parse().ok()?),
                };
                if bounds.0 > bounds.1 || bounds.1 > MAX_REPEAT {
                    return None;
                }
                self.pos += close;
                bounds
            }
            _ => return Some(atom),
        };
        self.pos += 1;
        if matches!(atom, Node::Start | Node::End) {
            return None;
        }
        Some(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
        })
    }
}

const DIGIT: &[(char, char)] = &[('0', '9')];
const WORD: &[(char, char)] = &[('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')];
const SPACE: &[(char, char)] = &[(' ', ' '), ('\t', '\r')];

struct Matcher<'a> {
    text: &'a [char],
    /// Steps taken so far, shared by every branch of the search.
    steps: &'a Cell<usize>,
}

impl Matcher<'_> {
    fn tick(&self) -> bool {
        self.steps.set(self.steps.get() + 1);
        self.steps.get() <= STEP_LIMIT
    }

    fn alternatives(
        &self,
        alternatives: &[Vec<Node>],
        pos: usize,
        k: &mut dyn FnMut(usize) -> bool,
    ) -> bool {
        alternatives.iter().any(|seq| self.sequence(seq, pos, k))
    }

    fn sequence(&self, nodes: &[Node], pos: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
        if !self.tick() {
            return false;
        }
        let Some((first, rest)) = nodes.split_first() else {
            return k(pos);
        };
        self.node(first, pos, &mut |next| self.sequence(rest, next, k))
    }

    fn node(&self, node: &Node, pos: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
        match node {
            Node::Char(c) => self.text.get(pos) == Some(c) && k(pos + 1),
            Node::Any => self.text.get(pos).is_some_and(|&c| c != '\n') && k(pos + 1),
            Node::Class { ranges, negated } => {
                self.text.get(pos).is_some_and(|&c| {
                    ranges.iter().any(|&(low, high)| low <= c && c <= high) != *negated
                }) && k(pos + 1)
            }
            Node::Start => pos == 0 && k(pos),
            Node::End => pos == self.text.len() && k(pos),
            Node::Group(alternatives) => self.alternatives(alternatives, pos, k),
            Node::Repeat { node, min, max } => self.repeat(node, (*min, *max), 0, pos, k),
        }
    }

    /// Greedy: try one more iteration first, then stop if `min` is met.
    fn repeat(
        &self,
        node: &Node,
        bounds: (usize, usize),
        done: usize,
        pos: usize,
        k: &mut dyn FnMut(usize) -> bool,
    ) -> bool {
        if !self.tick() {
            return false;
        }
        let (min, max) = bounds;
        // An iteration that consumed nothing would repeat forever; it does not count.
        if done < max
            && self.node(node, pos, &mut |next| {
                next != pos && self.repeat(node, bounds, done + 1, next, k)
            })
        {
            return true;
        }
        done >= min && k(pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, subject: &str) -> bool {
        Pattern::compile(pattern).is_some_and(|p| p.is_match(subject))
    }

    #[test]
    fn literal_patterns_match_anywhere() {
        assert!(matches("canary", "go-canary-now"));
        assert!(!matches("^canary$", "go-canary-now"));
        assert!(matches("^canary$", "canary"));
    }

    #[test]
    fn classes_quantifiers_groups_and_alternation_work() {
        assert!(matches("^user-[0-9]+$", "user-42"));
        assert!(!matches("^user-[0-9]+$", "user-"));
        assert!(matches(r"^(beta|canary)\d{2}$", "canary07"));
        assert!(!matches(r"^(beta|canary)\d{2}$", "canary7"));
        assert!(matches("^a.?c$", "ac"));
        assert!(matches("^[^x]*$", "abc"));
        assert!(matches(".*", ""));
    }

    #[test]
    fn unsupported_or_broken_patterns_do_not_compile() {
        for source in ["(", "[a-", "*a", "a{3,1}", "(?i)x", r"\bword", "a{99999}"] {
            assert_eq!(Pattern::compile(source), None, "{source}");
        }
    }

    #[test]
    fn pathological_patterns_give_up_instead_of_hanging() {
        let subject = "a".repeat(40) + "b";
        assert!(!matches("^(a*)*$", &subject));
        assert!(!matches(".*", &"x".repeat(100_000)));
    }
}
