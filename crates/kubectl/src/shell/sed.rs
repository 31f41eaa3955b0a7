//! GNU `sed` for what scripts use: `-n`, `-e` (several), `-E`/`-r`, `-i`; the commands `s`
//! (flags `g`, `p`, N, `I`; `&`, `\1`..`\9` in the replacement; any delimiter), `p`, `d`, `q`,
//! `Q`, `=`, `a`, `i`, `c`, `y`, `h H g G x`, `n N`, `{ }`; addresses (a line, `$`, `/re/` with `I`,
//! `N~S`, ranges `A,B`) and `!`. Error texts are GNU sed 4.9's (`sed: -e expression #1,
//! char 5: unterminated `s' command`). The regular expressions are `super::regex`'s.

use super::regex::Regex;

#[derive(Clone, Debug)]
pub(crate) struct Sed {
    quiet: bool,
    cmds: Vec<Cmd>,
    /// `$` is used: each line waits for the next to know whether it is the last.
    needs_last: bool,
    pending: Option<(String, bool)>,
    /// A cycle stopped at `n` or `N` until the next line comes: where it goes on, its pattern
    /// space, and which of the two it was.
    waiting: Option<(usize, String, char)>,
    line_no: usize,
    hold: String,
    /// The last output lacked its newline (the input's last line had none).
    missing_newline: bool,
    pub(crate) in_place: bool,
}

#[derive(Clone, Debug)]
struct Cmd {
    addr1: Option<Addr>,
    addr2: Option<Addr>,
    negate: bool,
    /// In a range: until which line (a line-number end) or until the end address matches.
    active: bool,
    op: Op,
}

#[derive(Clone, Debug)]
enum Addr {
    Line(usize),
    Last,
    Re(Box<Regex>),
    Step(usize, usize),
}

#[derive(Clone, Debug)]
enum Op {
    Subst(Box<Subst>),
    Print,
    Delete,
    Quit(i32, bool),
    LineNo,
    Append(String),
    Insert(String),
    Change(String),
    Translate(Vec<(char, char)>),
    Hold(char),
    /// `n` or `N`: the next line replaces, or is appended to, the pattern space.
    Next(char),
    /// `{`: where its `}` is.
    Block(usize),
    EndBlock,
}

#[derive(Clone, Debug)]
struct Subst {
    re: Regex,
    repl: Vec<Piece>,
    global: bool,
    nth: usize,
    print: bool,
}

#[derive(Clone, Debug)]
enum Piece {
    Text(String),
    Group(usize),
}

/// A script error: the character it was found at, and GNU's text.
type Bad = (usize, String);

struct Script<'a> {
    chars: Vec<char>,
    pos: usize,
    extended: bool,
    last_re: &'a mut Option<Regex>,
}

impl Script<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn bad<T>(&self, message: &str) -> Result<T, Bad> {
        Err((self.pos, message.to_string()))
    }

    fn skip_blanks(&mut self) {
        while self.peek().is_some_and(|c| c == ' ' || c == '\t') {
            self.pos += 1;
        }
    }

    /// The text up to the unescaped `delim` (consumed); `\delim` becomes `delim` and `\n` a
    /// newline, other escapes stay for the regex or the replacement.
    fn delimited(&mut self, delim: char, regex: bool) -> Option<String> {
        let mut text = String::new();
        while let Some(c) = self.next() {
            if c == delim {
                return Some(text);
            }
            if c == '[' && regex {
                // In a bracket expression the delimiter is an ordinary character.
                text.push(c);
                let mut first = true;
                while let Some(b) = self.next() {
                    text.push(b);
                    if b == '[' && self.peek() == Some(':') {
                        while let Some(k) = self.next() {
                            text.push(k);
                            if text.ends_with(":]") && !text.ends_with("[:]") {
                                break;
                            }
                        }
                        first = false;
                        continue;
                    }
                    if b == ']' && !first {
                        break;
                    }
                    first = b == '^' && first && text.ends_with("[^");
                    if b == '\n' {
                        return None;
                    }
                }
                continue;
            }
            if c == '\\' {
                match self.next()? {
                    d if d == delim => text.push(d),
                    'n' if regex => text.push('\n'),
                    other => {
                        text.push('\\');
                        text.push(other);
                    }
                }
            } else if c == '\n' && regex {
                return None;
            } else {
                text.push(c);
            }
        }
        None
    }

    fn regex(&mut self, source: &str, icase: bool) -> Result<Regex, Bad> {
        if source.is_empty() {
            return match self.last_re.clone() {
                Some(re) => Ok(re),
                None => Err((0, "no previous regular expression".into())),
            };
        }
        let re = Regex::new(source, self.extended, icase).or_else(|m| self.bad(m))?;
        *self.last_re = Some(re.clone());
        Ok(re)
    }

    fn number(&mut self) -> usize {
        let mut n: usize = 0;
        while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
            n = n.saturating_mul(10).saturating_add(d as usize);
            self.pos += 1;
        }
        n
    }

    fn address(&mut self) -> Result<Option<Addr>, Bad> {
        match self.peek() {
            Some('0'..='9') => {
                let n = self.number();
                if self.peek() == Some('~') {
                    self.pos += 1;
                    let step = self.number();
                    return Ok(Some(Addr::Step(n, step)));
                }
                Ok(Some(Addr::Line(n)))
            }
            Some('$') => {
                self.pos += 1;
                Ok(Some(Addr::Last))
            }
            Some(c @ ('/' | '\\')) => {
                self.pos += 1;
                let delim = if c == '\\' {
                    match self.next() {
                        Some(d) => d,
                        None => return self.bad("unterminated address regex"),
                    }
                } else {
                    '/'
                };
                let Some(source) = self.delimited(delim, true) else {
                    return self.bad("unterminated address regex");
                };
                let icase = self.peek() == Some('I');
                if icase {
                    self.pos += 1;
                }
                Ok(Some(Addr::Re(Box::new(self.regex(&source, icase)?))))
            }
            _ => Ok(None),
        }
    }

    /// The text of `a`, `i`, `c`: `a text`, `a\` newline `text`, or `a\text`.
    fn text_arg(&mut self) -> String {
        self.skip_blanks();
        if self.peek() == Some('\\') {
            self.pos += 1;
            if self.peek() == Some('\n') {
                self.pos += 1;
            }
        }
        let mut text = String::new();
        while let Some(c) = self.next() {
            match c {
                '\n' => break,
                '\\' => {
                    if let Some(n) = self.next() {
                        text.push(n);
                    }
                }
                c => text.push(c),
            }
        }
        text
    }

    fn subst(&mut self) -> Result<Op, Bad> {
        let unterminated = "unterminated `s' command";
        let Some(delim) = self.next().filter(|c| *c != '\n' && *c != '\\') else {
            return self.bad(unterminated);
        };
        let Some(pattern) = self.delimited(delim, true) else {
            return self.bad(unterminated);
        };
        let Some(replacement) = self.delimited(delim, false) else {
            return self.bad(unterminated);
        };
        let (mut global, mut print, mut icase, mut nth) = (false, false, false, 0);
        loop {
            match self.peek() {
                Some('g') => {
                    if global {
                        self.pos += 1;
                        return self.bad("multiple `g' options to `s' command");
                    }
                    global = true;
                }
                Some('p') => {
                    if print {
                        self.pos += 1;
                        return self.bad("multiple `p' options to `s' command");
                    }
                    print = true;
                }
                Some('I' | 'i') => icase = true,
                Some('0'..='9') => {
                    if nth > 0 {
                        self.pos += 1;
                        return self.bad("multiple number options to `s' command");
                    }
                    nth = self.number();
                    if nth == 0 {
                        return self.bad("number option to `s' command may not be zero");
                    }
                    continue;
                }
                Some('w') => {
                    self.pos += 1;
                    return self.bad("missing filename in r/R/w/W commands");
                }
                Some(';' | '\n' | '}' | '#') | None => break,
                Some(' ' | '\t') => {}
                Some(_) => {
                    self.pos += 1;
                    return self.bad("unknown option to `s'");
                }
            }
            self.pos += 1;
        }
        let re = self.regex(&pattern, icase)?;
        let groups = re.groups();
        let mut repl = Vec::new();
        let mut text = String::new();
        let mut chars = replacement.chars();
        while let Some(c) = chars.next() {
            let group = match c {
                '&' => Some(0),
                '\\' => match chars.next() {
                    Some(d @ '0'..='9') => Some(d as usize - '0' as usize),
                    Some('n') => {
                        text.push('\n');
                        None
                    }
                    Some('t') => {
                        text.push('\t');
                        None
                    }
                    Some(other) => {
                        text.push(other);
                        None
                    }
                    None => None,
                },
                other => {
                    text.push(other);
                    None
                }
            };
            if let Some(g) = group {
                if g > groups {
                    return self.bad(&format!("invalid reference \\{g} on `s' command's RHS"));
                }
                repl.push(Piece::Text(std::mem::take(&mut text)));
                repl.push(Piece::Group(g));
            }
        }
        repl.push(Piece::Text(text));
        Ok(Op::Subst(Box::new(Subst {
            re,
            repl,
            global,
            nth: nth.max(1),
            print,
        })))
    }

    /// Parses commands into `cmds`; `open` holds the indexes of unclosed `{`.
    fn commands(&mut self, cmds: &mut Vec<Cmd>, open: &mut Vec<usize>) -> Result<(), Bad> {
        loop {
            while self.peek().is_some_and(|c| c.is_whitespace() || c == ';') {
                self.pos += 1;
            }
            if self.peek().is_none() {
                return Ok(());
            }
            if self.peek() == Some('#') {
                while self.next().is_some_and(|c| c != '\n') {}
                continue;
            }
            let addr1 = self.address()?;
            let mut addr2 = None;
            if addr1.is_some() && self.peek() == Some(',') {
                self.pos += 1;
                self.skip_blanks();
                addr2 = self.address()?;
                if addr2.is_none() {
                    self.next();
                    return self.bad("unexpected `,'");
                }
            }
            self.skip_blanks();
            let mut negate = false;
            while self.peek() == Some('!') {
                self.pos += 1;
                negate = true;
                self.skip_blanks();
            }
            let Some(c) = self.next() else {
                return self.bad("missing command");
            };
            if let Some(Addr::Line(0)) = addr1 {
                return self.bad("invalid usage of line address 0");
            }
            let op = match c {
                '{' => {
                    open.push(cmds.len());
                    Op::Block(0)
                }
                '}' => {
                    if addr1.is_some() || negate {
                        return self.bad("} doesn't want any addresses");
                    }
                    let Some(start) = open.pop() else {
                        return self.bad("unexpected `}'");
                    };
                    let end = cmds.len();
                    cmds[start].op = Op::Block(end);
                    Op::EndBlock
                }
                's' => self.subst()?,
                'y' => {
                    let bad = "unterminated `y' command";
                    let Some(delim) = self.next() else {
                        return self.bad(bad);
                    };
                    let (Some(from), Some(to)) =
                        (self.delimited(delim, false), self.delimited(delim, false))
                    else {
                        return self.bad(bad);
                    };
                    let unescape = |s: &str| s.replace("\\n", "\n").replace("\\\\", "\\");
                    let (from, to) = (unescape(&from), unescape(&to));
                    if from.chars().count() != to.chars().count() {
                        return self.bad("strings for `y' command are different lengths");
                    }
                    Op::Translate(from.chars().zip(to.chars()).collect())
                }
                'p' => Op::Print,
                'd' => Op::Delete,
                '=' => Op::LineNo,
                'q' | 'Q' => {
                    self.skip_blanks();
                    let code = self.number();
                    Op::Quit(code.min(255) as i32, c == 'q')
                }
                'a' | 'i' | 'c' => {
                    let text = self.text_arg();
                    match c {
                        'a' => Op::Append(text),
                        'i' => Op::Insert(text),
                        _ => Op::Change(text),
                    }
                }
                'h' | 'H' | 'g' | 'G' | 'x' => Op::Hold(c),
                'n' | 'N' => Op::Next(c),
                _ => return self.bad(&format!("unknown command: `{c}'")),
            };
            let takes_text = matches!(op, Op::Append(_) | Op::Insert(_) | Op::Change(_));
            cmds.push(Cmd {
                addr1,
                addr2,
                negate,
                active: false,
                op,
            });
            if takes_text || c == '{' {
                continue;
            }
            self.skip_blanks();
            match self.peek() {
                None | Some(';' | '\n' | '}' | '#') => {}
                Some(_) => {
                    self.pos += 1;
                    return self.bad("extra characters after command");
                }
            }
        }
    }
}

const USAGE: &str = "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n\n  -n, --quiet, --silent\n                 suppress automatic printing of pattern space\n  -e script, --expression=script\n                 add the script to the commands to be executed\n  -E, -r, --regexp-extended\n                 use extended regular expressions in the script\n  -i[SUFFIX], --in-place[=SUFFIX]\n                 edit files in place\n";

impl Sed {
    /// Parses sed's arguments: the program and the files, or what sed prints and its status.
    pub(crate) fn parse(args: &[String]) -> Result<(Sed, Vec<String>), (String, i32)> {
        let (mut quiet, mut extended, mut in_place) = (false, false, false);
        let mut scripts: Vec<String> = Vec::new();
        let mut operands = Vec::new();
        let mut words = args.iter();
        while let Some(word) = words.next() {
            match word.as_str() {
                "-n" | "--quiet" | "--silent" => quiet = true,
                "-E" | "-r" | "--regexp-extended" => extended = true,
                "-e" | "--expression" => match words.next() {
                    Some(s) => scripts.push(s.clone()),
                    None => {
                        return Err((
                            format!("sed: option requires an argument -- 'e'\n{USAGE}"),
                            1,
                        ))
                    }
                },
                w if w.starts_with("--expression=") => scripts.push(w[13..].to_string()),
                w if w.starts_with("-i") || w.starts_with("--in-place") => in_place = true,
                "-" => operands.push(word.clone()),
                w if w.starts_with("--") => {
                    return Err((format!("sed: unrecognized option '{w}'\n{USAGE}"), 1))
                }
                w if w.starts_with('-') => {
                    // Clustered flags: -ne, -nE.
                    let mut flags = w[1..].chars();
                    while let Some(f) = flags.next() {
                        match f {
                            'n' => quiet = true,
                            'E' | 'r' => extended = true,
                            's' | 'u' | 'z' => {}
                            'e' => {
                                let rest: String = flags.by_ref().collect();
                                if !rest.is_empty() {
                                    scripts.push(rest);
                                } else if let Some(s) = words.next() {
                                    scripts.push(s.clone());
                                }
                            }
                            other => {
                                return Err((
                                    format!("sed: invalid option -- '{other}'\n{USAGE}"),
                                    1,
                                ))
                            }
                        }
                    }
                }
                _ => operands.push(word.clone()),
            }
        }
        if scripts.is_empty() {
            if operands.is_empty() {
                return Err((USAGE.to_string(), 1));
            }
            scripts.push(operands.remove(0));
        }
        let mut cmds = Vec::new();
        let mut open = Vec::new();
        let mut last_re = None;
        for (i, script) in scripts.iter().enumerate() {
            let mut parser = Script {
                chars: script.chars().collect(),
                pos: 0,
                extended,
                last_re: &mut last_re,
            };
            if let Err((pos, message)) = parser.commands(&mut cmds, &mut open) {
                let n = i + 1;
                return Err((
                    format!("sed: -e expression #{n}, char {pos}: {message}\n"),
                    1,
                ));
            }
        }
        if !open.is_empty() {
            return Err(("sed: -e expression #1, char 0: unmatched `{'\n".into(), 1));
        }
        let needs_last = cmds
            .iter()
            .any(|c| matches!(c.addr1, Some(Addr::Last)) || matches!(c.addr2, Some(Addr::Last)));
        Ok((
            Sed {
                quiet,
                cmds,
                needs_last,
                pending: None,
                waiting: None,
                line_no: 0,
                hold: String::new(),
                missing_newline: false,
                in_place,
            },
            operands,
        ))
    }

    fn write(&mut self, out: &mut String, text: &str, newline: bool) {
        if self.missing_newline {
            out.push('\n');
        }
        out.push_str(text);
        if newline {
            out.push('\n');
        }
        self.missing_newline = !newline;
    }

    /// Takes one input line; `Some(status)` when sed quits.
    pub(crate) fn line(&mut self, line: &str, newline: bool, out: &mut String) -> Option<i32> {
        if !self.needs_last {
            return self.cycle(line.to_string(), newline, false, out);
        }
        let previous = self.pending.replace((line.to_string(), newline));
        let (text, nl) = previous?;
        self.cycle(text, nl, false, out)
    }

    /// The input ended: the line held back is the last.
    pub(crate) fn finish(&mut self, out: &mut String) -> i32 {
        let status = match self.pending.take() {
            Some((text, nl)) => self.cycle(text, nl, true, out).unwrap_or(0),
            None => 0,
        };
        // `n`/`N` without a next line: GNU sed prints the pattern space and ends.
        if let Some((_, space, _)) = self.waiting.take() {
            if !self.quiet {
                self.write(out, &space, true);
            }
        }
        status
    }

    fn matches(addr: &Addr, n: usize, last: bool, space: &str) -> bool {
        match addr {
            Addr::Line(l) => *l == n,
            Addr::Last => last,
            Addr::Re(re) => re.is_match(space),
            Addr::Step(first, step) => {
                if *step == 0 {
                    n == *first
                } else {
                    n >= *first && (n - first).is_multiple_of(*step)
                }
            }
        }
    }

    /// Whether `cmd` applies to line `n` (and moves its range along).
    fn selected(cmd: &mut Cmd, n: usize, last: bool, space: &str) -> bool {
        let hit = match (&cmd.addr1, &cmd.addr2) {
            (None, _) => true,
            (Some(a), None) => Self::matches(a, n, last, space),
            (Some(a), Some(b)) => {
                if cmd.active {
                    let end = match b {
                        Addr::Line(l) => n >= *l,
                        other => Self::matches(other, n, last, space),
                    };
                    if end {
                        cmd.active = false;
                    }
                    true
                } else if Self::matches(a, n, last, space) {
                    // A line-number end at or before the start closes the range at once.
                    cmd.active = match b {
                        Addr::Line(l) => *l > n,
                        Addr::Last => !last,
                        _ => true,
                    };
                    true
                } else {
                    false
                }
            }
        };
        hit != cmd.negate
    }

    fn cycle(
        &mut self,
        mut space: String,
        newline: bool,
        last: bool,
        out: &mut String,
    ) -> Option<i32> {
        self.line_no += 1;
        let n = self.line_no;
        let mut appended = String::new();
        let mut pc = 0;
        let mut autoprint = !self.quiet;
        if let Some((at, mut held, which)) = self.waiting.take() {
            pc = at;
            if which == 'N' {
                held.push('\n');
                held.push_str(&space);
                space = held;
            }
        }
        let mut quit = None;
        let mut cmds = std::mem::take(&mut self.cmds);
        while pc < cmds.len() {
            if !Self::selected(&mut cmds[pc], n, last, &space) {
                pc = match cmds[pc].op {
                    Op::Block(end) => end + 1,
                    _ => pc + 1,
                };
                continue;
            }
            let in_range = cmds[pc].active;
            pc += 1;
            match &cmds[pc - 1].op {
                Op::Block(_) | Op::EndBlock => {}
                Op::Subst(s) => {
                    if let Some(new) = substitute(s, &space) {
                        space = new;
                        if s.print {
                            self.write(out, &space.clone(), newline);
                        }
                    }
                }
                Op::Print => self.write(out, &space.clone(), newline),
                Op::Delete => {
                    autoprint = false;
                    break;
                }
                Op::Quit(code, print) => {
                    autoprint &= print;
                    quit = Some(*code);
                    break;
                }
                Op::LineNo => self.write(out, &n.to_string(), true),
                Op::Append(text) => {
                    appended.push_str(text);
                    appended.push('\n');
                }
                Op::Insert(text) => self.write(out, text, true),
                Op::Change(text) => {
                    // In a range, the text replaces the whole range: it is printed at its end.
                    if !in_range {
                        self.write(out, text, true);
                    }
                    autoprint = false;
                    break;
                }
                Op::Translate(map) => {
                    space = space
                        .chars()
                        .map(|c| map.iter().find(|(f, _)| *f == c).map_or(c, |(_, t)| *t))
                        .collect();
                }
                Op::Next(which) => {
                    // `n` prints the pattern space first; both flush what `a` queued, as
                    // reading the next line does.
                    if *which == 'n' && autoprint {
                        self.write(out, &space, newline);
                    }
                    self.write_appended(out, &appended);
                    self.waiting = Some((pc, std::mem::take(&mut space), *which));
                    self.cmds = cmds;
                    return None;
                }
                Op::Hold(c) => match *c {
                    'h' => self.hold = space.clone(),
                    'H' => {
                        self.hold.push('\n');
                        self.hold.push_str(&space);
                    }
                    'g' => space = self.hold.clone(),
                    'G' => {
                        space.push('\n');
                        space.push_str(&self.hold);
                    }
                    _ => std::mem::swap(&mut space, &mut self.hold),
                },
            }
        }
        self.cmds = cmds;
        if autoprint {
            self.write(out, &space, newline);
        }
        self.write_appended(out, &appended);
        quit
    }

    fn write_appended(&mut self, out: &mut String, appended: &str) {
        if !appended.is_empty() {
            if self.missing_newline {
                out.push('\n');
                self.missing_newline = false;
            }
            out.push_str(appended);
        }
    }
}

/// `s`: the new pattern space, or None when nothing was replaced.
fn substitute(s: &Subst, space: &str) -> Option<String> {
    let text: Vec<char> = space.chars().collect();
    let mut result = String::new();
    let mut copied = 0;
    let mut from = 0;
    let mut count = 0;
    let mut replaced = false;
    while from <= text.len() {
        let Some(caps) = s.re.find_at(&text, from) else {
            break;
        };
        let (Some(start), Some(end)) = (caps[0], caps[1]) else {
            break;
        };
        count += 1;
        if count >= s.nth {
            result.extend(&text[copied..start]);
            for piece in &s.repl {
                match piece {
                    Piece::Text(t) => result.push_str(t),
                    Piece::Group(g) => {
                        if let (Some(Some(a)), Some(Some(b))) =
                            (caps.get(g * 2), caps.get(g * 2 + 1))
                        {
                            result.extend(&text[*a..*b]);
                        }
                    }
                }
            }
            copied = end;
            replaced = true;
            if !s.global {
                break;
            }
        }
        // An empty match moves on by one character.
        from = if end > start { end } else { end + 1 };
    }
    if !replaced {
        return None;
    }
    result.extend(&text[copied.min(text.len())..]);
    Some(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sed(args: &[&str], input: &str) -> (String, i32) {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let (mut sed, _) = match Sed::parse(&args) {
            Ok(p) => p,
            Err((text, status)) => return (text, status),
        };
        let mut out = String::new();
        let mut rest = input;
        while !rest.is_empty() {
            let (line, newline, next) = match rest.find('\n') {
                Some(i) => (&rest[..i], true, &rest[i + 1..]),
                None => (rest, false, ""),
            };
            rest = next;
            if let Some(status) = sed.line(line, newline, &mut out) {
                return (out, status);
            }
        }
        let status = sed.finish(&mut out);
        (out, status)
    }

    // Each expected output is GNU sed 4.9's for the same arguments and input.
    #[test]
    fn sed_does_what_gnu_sed_does() {
        let pods = "NAME READY\nweb-1 1/1\nweb-2 0/1\ndb-1 1/1\n";
        let cases: &[(&[&str], &str)] = &[
            (&["s/web/app/"], "NAME READY\napp-1 1/1\napp-2 0/1\ndb-1 1/1\n"),
            (&["-n", "2,3p"], "web-1 1/1\nweb-2 0/1\n"),
            (&["1d"], "web-1 1/1\nweb-2 0/1\ndb-1 1/1\n"),
            (&["-n", "$p"], "db-1 1/1\n"),
            (&["-n", "/web/!p"], "NAME READY\ndb-1 1/1\n"),
            (&["-E", "s/([a-z]+)-([0-9])/\\2:\\1/"], "NAME READY\n1:web 1/1\n2:web 0/1\n1:db 1/1\n"),
            (&["s|/|-of-|g"], "NAME READY\nweb-1 1-of-1\nweb-2 0-of-1\ndb-1 1-of-1\n"),
            (&["-n", "/web-1/,/web-2/p"], "web-1 1/1\nweb-2 0/1\n"),
            (&["2q"], "NAME READY\nweb-1 1/1\n"),
            (&["-e", "1d", "-e", "s/1/one/2"], "web-1 one/1\nweb-2 0/1\ndb-1 one/1\n"),
            (&["-n", "s/\\(web\\)-\\([0-9]\\)/[&]/p"], "[web-1] 1/1\n[web-2] 0/1\n"),
            (&["1!G;h;$!d"], "db-1 1/1\nweb-2 0/1\nweb-1 1/1\nNAME READY\n"),
            (&["-n", "/WEB/Ip;3q"], "web-1 1/1\nweb-2 0/1\n"),
            (&["2,$s/1/X/g"], "NAME READY\nweb-X X/X\nweb-2 0/X\ndb-X X/X\n"),
            (&["/db/{s/db/DB/;p}"], "NAME READY\nweb-1 1/1\nweb-2 0/1\nDB-1 1/1\nDB-1 1/1\n"),
            (&["-n", "/^web/="], "2\n3\n"),
            (&["-e", "1a\\\n--", "-e", "$i end"], "NAME READY\n--\nweb-1 1/1\nweb-2 0/1\nend\ndb-1 1/1\n"),
            (&["y/abw/ABW/;1c header"], "header\nWeB-1 1/1\nWeB-2 0/1\ndB-1 1/1\n"),
            (&["$!N;s/\\n/ /"], "NAME READY web-1 1/1\nweb-2 0/1 db-1 1/1\n"),
            (&["-n", "/web-1/{n;p}"], "web-2 0/1\n"),
            (&["n;d"], "NAME READY\nweb-2 0/1\n"),
            (&["N;N;s/\\n/+/g"], "NAME READY+web-1 1/1+web-2 0/1\ndb-1 1/1\n"),
            (&["s/x*/-/g"], "-N-A-M-E- -R-E-A-D-Y-\n-w-e-b---1- -1-/-1-\n-w-e-b---2- -0-/-1-\n-d-b---1- -1-/-1-\n"),
        ];
        for (args, want) in cases {
            assert_eq!(sed(args, pods), (want.to_string(), 0), "sed {args:?}");
        }
        assert_eq!(sed(&["q5"], pods), ("NAME READY\n".into(), 5));
        assert_eq!(sed(&["p"], "a"), ("a\na".into(), 0));
    }

    #[test]
    fn bad_scripts_get_gnu_seds_errors() {
        let cases: &[(&[&str], &str)] = &[
            (
                &["s/a/b"],
                "-e expression #1, char 5: unterminated `s' command",
            ),
            (&["k"], "-e expression #1, char 1: unknown command: `k'"),
            (
                &["s/a/b/z"],
                "-e expression #1, char 7: unknown option to `s'",
            ),
            (
                &["/a"],
                "-e expression #1, char 2: unterminated address regex",
            ),
            (&["1{p"], "-e expression #1, char 0: unmatched `{'"),
            (&["}"], "-e expression #1, char 1: unexpected `}'"),
            (
                &["p x"],
                "-e expression #1, char 3: extra characters after command",
            ),
            (
                &["s/\\(a/b/"],
                "-e expression #1, char 8: Unmatched ( or \\(",
            ),
            (
                &["s/a/\\1/"],
                "-e expression #1, char 7: invalid reference \\1 on `s' command's RHS",
            ),
            (&["1"], "-e expression #1, char 1: missing command"),
            (&["1,p"], "-e expression #1, char 3: unexpected `,'"),
            (
                &["0p"],
                "-e expression #1, char 2: invalid usage of line address 0",
            ),
            (
                &["s/a/b/gg"],
                "-e expression #1, char 8: multiple `g' options to `s' command",
            ),
            (
                &["/[a/p"],
                "-e expression #1, char 5: unterminated address regex",
            ),
            (
                &["-e", "p", "-e", "s/a"],
                "-e expression #2, char 3: unterminated `s' command",
            ),
        ];
        for (args, want) in cases {
            assert_eq!(
                sed(args, "a\n"),
                (format!("sed: {want}\n"), 1),
                "sed {args:?}"
            );
        }
    }
}
