//! GNU `tr`: translate, delete (`-d`) and squeeze (`-s`) characters, with ranges (`a-z`),
//! classes (`[:upper:]`), escapes (`\n`) and the complement (`-c`) — what course scripts pipe
//! kubectl's output through (`tr -s ' '`, `tr '\n' ','`, `tr a-z A-Z`).

/// A `tr` run over a stream: its sets and the last character it wrote (for `-s`).
#[derive(Clone, Debug)]
pub struct Tr {
    from: Vec<char>,
    to: Vec<char>,
    complement: bool,
    delete: bool,
    squeeze: Option<Vec<char>>,
    last: Option<char>,
}

/// Why `tr` refused its arguments, in GNU tr's words (then `Try 'tr --help' …`).
pub fn usage_error(message: &str) -> String {
    format!("tr: {message}\nTry 'tr --help' for more information.\n")
}

impl Tr {
    /// `tr [-cds] SET1 [SET2]`.
    pub fn parse(args: &[String]) -> Result<Tr, String> {
        let (mut complement, mut delete, mut squeeze) = (false, false, false);
        let mut sets = Vec::new();
        for arg in args {
            match arg.strip_prefix('-') {
                Some(flags) if !flags.is_empty() && sets.is_empty() => {
                    for flag in flags.chars() {
                        match flag {
                            'c' | 'C' => complement = true,
                            'd' => delete = true,
                            's' => squeeze = true,
                            other => {
                                return Err(usage_error(&format!("invalid option -- '{other}'")))
                            }
                        }
                    }
                }
                _ => sets.push(expand_set(arg)),
            }
        }
        let wanted = match (delete, squeeze) {
            (true, true) | (false, false) => 2,
            _ => 1,
        };
        match sets.len() {
            0 => return Err(usage_error("missing operand")),
            n if n < wanted => {
                let after = args.last().map(String::as_str).unwrap_or_default();
                let why = if delete {
                    "Two strings must be given when both deleting and squeezing repeats."
                } else {
                    "Two strings must be given when translating."
                };
                return Err(format!(
                    "tr: missing operand after ‘{after}’\n{why}\nTry 'tr --help' for more information.\n"
                ));
            }
            n if n > 2 || (delete && !squeeze && n > 1) => {
                let extra = args.last().map(String::as_str).unwrap_or_default();
                let mut message = format!("tr: extra operand ‘{extra}’\n");
                if delete && !squeeze {
                    message.push_str(
                        "Only one string may be given when deleting without squeezing repeats.\n",
                    );
                }
                message.push_str("Try 'tr --help' for more information.\n");
                return Err(message);
            }
            _ => {}
        }
        let from = sets[0].clone();
        let to = sets.get(1).cloned().unwrap_or_default();
        // `-s` squeezes the last set given: SET2 when translating, else SET1.
        let squeeze = squeeze.then(|| {
            if to.is_empty() {
                from.clone()
            } else {
                to.clone()
            }
        });
        Ok(Tr {
            from,
            to,
            complement,
            delete,
            squeeze,
            last: None,
        })
    }

    fn in_from(&self, c: char) -> bool {
        self.from.contains(&c) != self.complement
    }

    /// `text`, translated.
    pub fn apply(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            let c = if self.delete {
                if self.in_from(c) {
                    continue;
                }
                c
            } else if !self.to.is_empty() && self.in_from(c) {
                // SET2 is extended with its last character; with -c everything maps to it.
                let at = if self.complement {
                    self.to.len() - 1
                } else {
                    self.from.iter().rposition(|f| *f == c).unwrap_or(0)
                };
                self.to[at.min(self.to.len() - 1)]
            } else {
                c
            };
            if let Some(set) = &self.squeeze {
                // SET1 (complemented with -c) when it is the only set, else SET2 as written.
                let squeezable = if self.to.is_empty() {
                    set.contains(&c) != self.complement
                } else {
                    set.contains(&c)
                };
                if squeezable && self.last == Some(c) {
                    continue;
                }
            }
            self.last = Some(c);
            out.push(c);
        }
        out
    }
}

/// The characters a SET names, in order.
fn expand_set(set: &str) -> Vec<char> {
    let chars: Vec<char> = set.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '[' && chars.get(i + 1) == Some(&':') {
            if let Some(len) = chars[i + 2..].iter().collect::<String>().find(":]") {
                let name: String = chars[i + 2..i + 2 + len].iter().collect();
                if let Some(class) = class(&name) {
                    out.extend(class);
                    i += len + 4;
                    continue;
                }
            }
        }
        let (c, used) = unescape(&chars[i..]);
        if chars.get(i + used) == Some(&'-') && i + used + 1 < chars.len() {
            let (end, used_end) = unescape(&chars[i + used + 1..]);
            if end >= c {
                // At most a Unicode plane: an absurd range must not take the page's memory.
                out.extend((c..=end).take(0x10000));
            }
            i += used + 1 + used_end;
            continue;
        }
        out.push(c);
        i += used;
    }
    out
}

/// One character of a SET, with backslash escapes; how many characters it took.
fn unescape(chars: &[char]) -> (char, usize) {
    match (chars.first(), chars.get(1)) {
        (Some('\\'), Some(e)) => {
            let c = match e {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                'f' => '\x0c',
                'v' => '\x0b',
                'a' => '\x07',
                'b' => '\x08',
                other => *other,
            };
            (c, 2)
        }
        (Some(c), _) => (*c, 1),
        (None, _) => ('\0', 1),
    }
}

fn class(name: &str) -> Option<Vec<char>> {
    let ascii = (0u8..=127).map(char::from);
    let pick = |f: fn(&char) -> bool| Some(ascii.clone().filter(f).collect());
    match name {
        "lower" => pick(char::is_ascii_lowercase),
        "upper" => pick(char::is_ascii_uppercase),
        "digit" => pick(char::is_ascii_digit),
        "alpha" => pick(char::is_ascii_alphabetic),
        "alnum" => pick(char::is_ascii_alphanumeric),
        "punct" => pick(char::is_ascii_punctuation),
        "space" => pick(|c| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')),
        "blank" => pick(|c| matches!(c, ' ' | '\t')),
        "cntrl" => pick(char::is_ascii_control),
        "xdigit" => pick(char::is_ascii_hexdigit),
        "print" => pick(|c| (' '..='~').contains(c)),
        "graph" => pick(char::is_ascii_graphic),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::Tr;

    fn tr(args: &[&str], input: &str) -> Result<String, String> {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        Tr::parse(&args).map(|mut t| t.apply(input))
    }

    #[test]
    fn translates_deletes_and_squeezes_as_gnu_tr_does() {
        assert_eq!(tr(&["a-z", "A-Z"], "hello").unwrap(), "HELLO");
        assert_eq!(tr(&["[:lower:]", "[:upper:]"], "v1.1").unwrap(), "V1.1");
        assert_eq!(tr(&["\\n", ","], "a\nb\n").unwrap(), "a,b,");
        assert_eq!(tr(&["-s", " "], "a   b  c").unwrap(), "a b c");
        assert_eq!(tr(&["-d", "0-9"], "v1.10").unwrap(), "v.");
        assert_eq!(tr(&["-cd", "0-9\\n"], "pod-7 ready 2\n").unwrap(), "72\n");
        assert_eq!(tr(&["abc", "x"], "aabbcc").unwrap(), "xxxxxx");
        assert_eq!(tr(&["-s", "a-z", "A-Z"], "aabb").unwrap(), "AB");
        assert_eq!(tr(&["-ds", "a", "b"], "aabbc").unwrap(), "bc");
        assert_eq!(
            tr(&[], "").unwrap_err(),
            "tr: missing operand\nTry 'tr --help' for more information.\n"
        );
        assert_eq!(
            tr(&["a"], "").unwrap_err(),
            "tr: missing operand after ‘a’\nTwo strings must be given when translating.\nTry 'tr --help' for more information.\n"
        );
        assert!(tr(&["-d", "a", "b"], "")
            .unwrap_err()
            .starts_with("tr: extra operand ‘b’\n"));
        // An absurd range is cut, not a frozen page.
        assert!(tr(&["\\0-\u{10ffff}", "x"], "abc").is_ok());
    }
}
