//! What the terminal shows: lines of coloured text, built from the shell's output chunks the
//! way a terminal would — `\r\n` ends a line, a lone `\r` returns to the start of the line
//! (the next text overwrites it), and `clear`'s `ESC[H ESC[2J ESC[3J` empties the screen.
//!
//! Finished lines are shared (`Arc`), so a copy of the whole transcript for the timeline costs
//! one pointer per line, and the view re-renders only lines whose `rev` changed.

use std::sync::Arc;

/// The sequence `clear` writes.
const CLEAR: &str = "\x1b[H\x1b[2J\x1b[3J";

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
        }
        self.write_plain(style, rest);
    }

    fn write_plain(&mut self, style: Style, text: &str) {
        if text.is_empty() {
            return;
        }
        let text = strip_escapes(text);
        let mut piece = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
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
        if let Some(last) = self.lines.last_mut() {
            let line = Arc::make_mut(last);
            line.rev = line.rev.wrapping_add(1);
            if replace {
                line.spans.clear();
            }
            match line.spans.last_mut() {
                Some(span) if span.style == style => span.text.push_str(text),
                _ => line.spans.push(Span {
                    style,
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

/// Drops terminal escape sequences other than `clear` (colours, cursor moves): the page
/// draws its own colours.
fn strip_escapes(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('\x1b') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() || c == '~' {
                    break;
                }
            }
        }
    }
    out.into()
}
