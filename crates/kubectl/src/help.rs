//! kubectl's help texts (`kubectl VERB [SUB] --help`), and how kubectl fits them to a terminal.
//!
//! The texts are data: `data/help/kubectl-1.30.txt` holds each as kubectl v1.30.13 prints it to
//! a pipe, unwrapped (`scripts/help-data` regenerates and checks it). kubectl wraps help at the
//! width of the terminal its standard output is: not at all when that is no terminal or one
//! narrower than 80 columns, at the width up to 120 columns, and at 120 beyond. A flag's
//! description is wrapped 10 columns narrower (it is indented by a tab) before the whole text
//! is wrapped, word by word, as Go's `github.com/mitchellh/go-wordwrap` does.

/// Every help text, each after a line `#### kubectl WORDS --help` (fetched by the page,
/// `fetched::KUBECTL_HELP`).
fn data() -> &'static str {
    crate::fetched::KUBECTL_HELP.get().unwrap_or_default()
}

/// Narrowest terminal kubectl wraps for; below it, help is printed unwrapped.
const MIN_WRAP: usize = 80;
/// Widest line kubectl wraps to, however wide the terminal.
const MAX_WRAP: usize = 120;
/// How much narrower a flag's description is wrapped than the text around it.
const FLAG_INDENT: usize = 10;

/// The unwrapped help of `kubectl WORDS --help` (no words: kubectl's own), if the lab has it.
pub fn text(words: &[&str]) -> Option<&'static str> {
    let heading = if words.is_empty() {
        "#### kubectl --help".to_string()
    } else {
        format!("#### kubectl {} --help", words.join(" "))
    };
    let data = data();
    let start = data.find(&format!("{heading}\n"))? + heading.len() + 1;
    let rest = &data[start..];
    let end = rest.find("\n#### ").map_or(rest.len(), |at| at + 1);
    Some(&rest[..end])
}

/// The commands with a help text, as their words after `kubectl`.
pub fn commands() -> impl Iterator<Item = Vec<&'static str>> {
    data().lines().filter_map(|line| {
        let words = line.strip_prefix("#### kubectl")?.strip_suffix("--help")?;
        Some(words.split_whitespace().collect())
    })
}

/// The help of `kubectl WORDS --help` as kubectl prints it to a terminal `columns` wide
/// (`None`: standard output is no terminal).
pub fn render(words: &[&str], columns: Option<u16>) -> Option<String> {
    text(words).map(|text| fit(text, columns))
}

/// `text` (unwrapped help, or any usage text kubectl writes through its wrapping writer) as
/// kubectl prints it to a terminal `columns` wide.
pub fn fit(text: &str, columns: Option<u16>) -> String {
    let Some(limit) = wrap_limit(columns) else {
        return text.to_string();
    };
    let mut flags_wrapped = String::with_capacity(text.len() + text.len() / 16);
    for line in text.split_inclusive('\n') {
        match line.strip_prefix('\t') {
            Some(description) => {
                let (description, newline) = match description.strip_suffix('\n') {
                    Some(d) => (d, "\n"),
                    None => (description, ""),
                };
                flags_wrapped.push('\t');
                let wrapped = word_wrap(description, limit - FLAG_INDENT);
                flags_wrapped.push_str(&wrapped.replace('\n', "\n\t"));
                flags_wrapped.push_str(newline);
            }
            None => flags_wrapped.push_str(line),
        }
    }
    word_wrap(&flags_wrapped, limit)
}

/// The width kubectl wraps to on a terminal `columns` wide, or `None` for no wrapping.
fn wrap_limit(columns: Option<u16>) -> Option<usize> {
    let columns = usize::from(columns?);
    (columns >= MIN_WRAP).then_some(columns.min(MAX_WRAP))
}

/// kubectl's word wrapper (mitchellh/go-wordwrap `WrapString`): breaks at whitespace so lines
/// stay within `limit` characters, keeps existing line breaks, never splits a long word.
pub(crate) fn word_wrap(text: &str, limit: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / limit.max(1));
    let mut current = 0;
    let (mut word, mut word_len) = (String::new(), 0);
    let (mut space, mut space_len) = (String::new(), 0);
    for c in text.chars() {
        if c == '\n' {
            if word.is_empty() {
                if current + space_len <= limit {
                    out.push_str(&space);
                }
            } else {
                out.push_str(&space);
                out.push_str(&word);
            }
            space.clear();
            space_len = 0;
            word.clear();
            word_len = 0;
            out.push(c);
            current = 0;
        } else if c.is_whitespace() && c != '\u{a0}' {
            if space.is_empty() || !word.is_empty() {
                current += space_len + word_len;
                out.push_str(&space);
                out.push_str(&word);
                space.clear();
                space_len = 0;
                word.clear();
                word_len = 0;
            }
            space.push(c);
            space_len += 1;
        } else {
            word.push(c);
            word_len += 1;
            if current + space_len + word_len > limit && word_len < limit {
                out.push('\n');
                current = 0;
                space.clear();
                space_len = 0;
            }
        }
    }
    if word.is_empty() {
        if current + space_len <= limit {
            out.push_str(&space);
        }
    } else {
        out.push_str(&space);
        out.push_str(&word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_listed_has_a_text() {
        let commands: Vec<_> = commands().collect();
        assert!(commands.len() > 20);
        for words in commands {
            let text = text(&words).unwrap_or_default();
            assert!(text.ends_with("commands).\n"), "{words:?}: {text:?}");
        }
    }

    #[test]
    fn help_is_unwrapped_off_a_terminal_and_on_a_narrow_one() {
        let plain = text(&["rollout", "undo"]).unwrap_or_default();
        assert_eq!(fit(plain, None), plain);
        assert_eq!(fit(plain, Some(79)), plain);
        assert_ne!(fit(plain, Some(80)), plain);
        assert_eq!(fit(plain, Some(200)), fit(plain, Some(120)));
    }

    #[test]
    fn words_wrap_at_spaces_and_long_words_stay_whole() {
        assert_eq!(word_wrap("aaa bbb ccc", 7), "aaa bbb\nccc");
        assert_eq!(word_wrap("aaaaaaaaaa b", 5), "aaaaaaaaaa\nb");
        assert_eq!(word_wrap("  x\n  \n", 5), "  x\n  \n");
    }

    #[test]
    fn flag_descriptions_wrap_ten_columns_narrower_behind_a_tab() {
        let text = format!("    --x=0:\n\t{}\n", ["word"; 20].join(" "));
        let fitted = fit(&text, Some(80));
        let lines: Vec<&str> = fitted.lines().collect();
        assert_eq!(lines[1].len(), 1 + 69);
        assert!(lines[2].starts_with("\tword"));
    }
}
