//! What the terminal shows: lines of coloured text, built from the shell's output chunks the
//! way a terminal would — `\r\n` ends a line, a lone `\r` returns to the start of the line
//! (the next text overwrites it), `ESC[H ESC[2J` (what `clear` and `kubectl argo rollouts get
//! -w` write, each with its own tail) empties the screen, and SGR colour codes (`ESC[31m` …
//! `ESC[0m`) colour the text that follows, as the Argo Rollouts plugin's icons and tags.
//! Other escape sequences are dropped.
//!
//! Finished lines are shared (`Arc`), so a copy of the whole transcript for the timeline costs
//! one pointer per line, and the view re-renders only lines whose `rev` changed.

use std::sync::Arc;

/// Cursor home and erase the screen: the start of every clear.
const CLEAR: &str = "\x1b[H\x1b[2J";
/// What may follow [`CLEAR`]: `clear` also erases the scrollback, the Argo Rollouts plugin
/// homes the cursor again.
const CLEAR_TAILS: [&str; 2] = ["\x1b[3J", "\x1b[0;0H"];

/// Lines kept for scrolling back; older ones are dropped, as a terminal's scrollback does.
const SCROLLBACK: usize = 2_000;

/// How a piece of text is coloured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// The prompt and the command line the user typed.
    Echo,
    Stdout,
    Stderr,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub style: Style,
    /// An SGR foreground colour the program chose (30–37, 90–97), drawn over the style's.
    pub color: Option<u8>,
    pub text: String,
}

/// One screen line. `id` is stable; `rev` changes whenever the line's text does, so the
/// pair is the key the view renders by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub id: u64,
    pub rev: u32,
    pub spans: Vec<Span>,
}

impl Line {
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }
}

#[derive(Clone, Debug, Default)]
pub struct Transcript {
    lines: Vec<Arc<Line>>,
    /// The last line has no newline yet: more text goes on it.
    open: bool,
    /// A lone `\r` was written: the next text replaces the open line.
    carriage_return: bool,
    next_id: u64,
    /// Bumped on every change, so the page knows when to re-read the lines.
    generation: u64,
    /// The foreground colour the last SGR sequence set (`None` after `ESC[0m`).
    color: Option<u8>,
}

impl Transcript {
    pub fn lines(&self) -> &[Arc<Line>] {
        &self.lines
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Everything on the screen, as plain text (for tests and copy).
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (i, line) in self.lines.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&line.text());
        }
        out
    }

    /// Ctrl-L and `clear`: an empty screen.
    pub fn clear(&mut self) {
        self.lines.clear();
        self.open = false;
        self.carriage_return = false;
        self.generation += 1;
    }

    /// Writes `text` in `style`, interpreting newlines, carriage returns and `clear`.
    pub fn write(&mut self, style: Style, text: &str) {
        let mut rest = text;
        while let Some(at) = rest.find(CLEAR) {
            self.write_plain(style, &rest[..at]);
            self.clear();
            rest = &rest[at + CLEAR.len()..];
            if let Some(tail) = CLEAR_TAILS.iter().find(|tail| rest.starts_with(**tail)) {
                rest = &rest[tail.len()..];
            }
        }
        self.write_plain(style, rest);
    }

    fn write_plain(&mut self, style: Style, text: &str) {
        if text.is_empty() {
            return;
        }
        let mut piece = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\x1b' => {
                    // The text so far keeps the colour it was written in.
                    self.push_text(style, &std::mem::take(&mut piece));
                    if let Some(sgr) = read_escape(&mut chars) {
                        self.color = sgr_color(&sgr, self.color);
                    }
                }
                '\n' => {
                    self.push_text(style, &std::mem::take(&mut piece));
                    self.end_line();
                }
                '\r' => {
                    if chars.peek() == Some(&'\n') {
                        continue;
                    }
                    self.push_text(style, &std::mem::take(&mut piece));
                    self.carriage_return = true;
                }
                c => piece.push(c),
            }
        }
        self.push_text(style, &piece);
    }

    fn push_text(&mut self, style: Style, text: &str) {
        if text.is_empty() {
            return;
        }
        self.generation += 1;
        if !self.open {
            self.next_id += 1;
            self.lines.push(Arc::new(Line {
                id: self.next_id,
                rev: 0,
                spans: Vec::new(),
            }));
            self.open = true;
            if self.lines.len() > SCROLLBACK {
                self.lines.drain(..self.lines.len() - SCROLLBACK);
            }
        }
        let replace = std::mem::take(&mut self.carriage_return);
        let color = self.color;
        if let Some(last) = self.lines.last_mut() {
            let line = Arc::make_mut(last);
            line.rev = line.rev.wrapping_add(1);
            if replace {
                line.spans.clear();
            }
            match line.spans.last_mut() {
                Some(span) if span.style == style && span.color == color => {
                    span.text.push_str(text)
                }
                _ => line.spans.push(Span {
                    style,
                    color,
                    text: text.to_string(),
                }),
            }
        }
    }

    fn end_line(&mut self) {
        self.carriage_return = false;
        if self.open {
            self.open = false;
        } else {
            // An empty line still takes a row on the screen.
            self.generation += 1;
            self.next_id += 1;
            self.lines.push(Arc::new(Line {
                id: self.next_id,
                rev: 0,
                spans: Vec::new(),
            }));
        }
    }

    /// Starts a fresh line unless the cursor is already at the start of one.
    pub fn ensure_line_start(&mut self) {
        if self.open {
            self.open = false;
            self.generation += 1;
        }
    }
}

/// Reads one escape sequence after its `ESC`. A CSI sequence (`ESC [ params letter`) ending
/// in `m` is an SGR: its parameters are returned. Anything else is consumed and dropped.
fn read_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<String> {
    if chars.peek() != Some(&'[') {
        return None;
    }
    chars.next();
    let mut params = String::new();
    for c in chars.by_ref() {
        if c.is_ascii_alphabetic() || c == '~' {
            return (c == 'm').then_some(params);
        }
        params.push(c);
    }
    None
}

/// The foreground colour after an SGR sequence: `0` (or nothing) resets, `39` is the
/// default colour, 30–37 and 90–97 set one; other attributes leave it as it was.
fn sgr_color(params: &str, current: Option<u8>) -> Option<u8> {
    let mut color = current;
    for param in params.split(';') {
        match param.parse::<u8>() {
            Ok(0 | 39) => color = None,
            Ok(code @ (30..=37 | 90..=97)) => color = Some(code),
            Ok(_) => {}
            Err(_) if param.is_empty() => color = None,
            Err(_) => {}
        }
    }
    color
}
