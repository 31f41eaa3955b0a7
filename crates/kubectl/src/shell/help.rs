//! bash's `help` builtin, over bash 5.2's own texts (`data/help/bash-5.2.txt`, written by
//! `scripts/bash-help-data`). `help` lists every builtin in two columns as bash does; the
//! ones this shell does not have are starred, as bash stars a disabled builtin (and, as for
//! a disabled builtin, typing one finds no such command). `help NAME`, `help -d NAME` and
//! `help -s NAME` answer from the same texts.

/// bash's texts (fetched by the page, `fetched::BASH_HELP`).
fn data() -> &'static str {
    crate::fetched::BASH_HELP.get().unwrap_or_default()
}
const VERSION: &str = "5.2.15(1)-release (x86_64-pc-linux-gnu)";

/// One builtin of bash's table.
struct Entry {
    /// `cd [-L|[-P [-e]] [-@]] [dir]`
    synopsis: &'static str,
    /// `Change the shell working directory.`
    description: &'static str,
    /// The text of `help NAME` after its first line; empty for the builtins this shell lacks.
    body: &'static str,
}

impl Entry {
    /// The name `help NAME` finds it by (`%` for `job_spec [&]`).
    fn name(&self) -> &'static str {
        match self.synopsis.split(' ').next() {
            Some("job_spec") => "%",
            Some(name) => name,
            None => "",
        }
    }

    /// Whether this shell has it: the data keeps full texts only for those.
    fn enabled(&self) -> bool {
        !self.body.is_empty()
    }
}

fn entries() -> Vec<Entry> {
    let mut entries = Vec::new();
    for block in data().split("\n== ").skip(1) {
        let (synopsis, rest) = block.split_once('\n').unwrap_or((block, ""));
        let (description, body) = rest.split_once('\n').unwrap_or((rest, ""));
        entries.push(Entry {
            synopsis,
            description: description.strip_prefix("-d ").unwrap_or(description),
            body,
        });
    }
    entries
}

/// What `help ARGS` printed (standard output, standard error) and its exit status, for a
/// terminal `columns` wide.
pub(crate) fn help(args: &[String], columns: usize) -> (String, String, i32) {
    let entries = entries();
    let mut short = false;
    let mut describe = false;
    let mut names = Vec::new();
    let mut operands = false;
    for arg in args {
        match arg.as_str() {
            "--" if !operands => operands = true,
            "-s" if !operands => short = true,
            "-d" if !operands => describe = true,
            "-m" if !operands => {}
            flag if !operands && flag.starts_with('-') && flag.len() > 1 => {
                return (
                    String::new(),
                    format!("bash: help: {flag}: invalid option\nhelp: usage: help [-dms] [pattern ...]\n"),
                    2,
                );
            }
            name => names.push(name),
        }
    }
    if names.is_empty() {
        return (list(&entries, columns), String::new(), 0);
    }
    let mut out = String::new();
    let mut err = String::new();
    let mut status = 0;
    for name in names {
        let found: Vec<&Entry> = entries.iter().filter(|e| e.name() == name).collect();
        if found.is_empty() {
            err.push_str(&format!(
                "bash: help: no help topics match `{name}'.  Try `help help' or `man -k {name}' or `info {name}'.\n"
            ));
            status = 1;
            continue;
        }
        for entry in found {
            if describe {
                out.push_str(&format!("{name} - {}\n", entry.description));
            } else if short {
                out.push_str(&format!("{name}: {}\n", entry.synopsis));
            } else if entry.enabled() {
                out.push_str(&format!("{name}: {}\n{}", entry.synopsis, entry.body));
            } else {
                out.push_str(&format!(
                    "{name}: {}\n    {}\n",
                    entry.synopsis, entry.description
                ));
            }
        }
    }
    (out, err, status)
}

/// `help` alone: the header and the two columns, laid out as bash's `wdispcolumn` lays them
/// out in a UTF-8 locale: each column half the terminal (at most 128), a cut synopsis ending
/// in `>`.
fn list(entries: &[Entry], columns: usize) -> String {
    let mut out = format!(
        "GNU bash, version {VERSION}\n\
         These shell commands are defined internally.  Type `help' to see this list.\n\
         Type `help name' to find out more about the function `name'.\n\
         Use `info bash' to find out more about the shell in general.\n\
         Use `man -k' or `info' to find out more about commands not in this list.\n\
         \n\
         A star (*) next to a name means that the command is disabled.\n\
         \n"
    );
    let mut width = (columns / 2).min(128);
    if width <= 3 {
        width = 40;
    }
    let count = entries.len();
    let height = count.div_ceil(2);
    for i in 0..height {
        let (first, cols) = cell(&entries[i], width, 0);
        out.push_str(&first);
        if 2 * i < count {
            if let Some(second) = entries.get(i + height) {
                out.push_str(&" ".repeat(width.saturating_sub(cols)));
                out.push_str(&cell(second, width, 1).0);
            }
        }
        out.push('\n');
    }
    out
}

/// One column's text and the columns it takes: the star or a space, then the synopsis; one
/// that reaches `width - 3` columns is cut and ends in `>` (`back` more characters earlier in
/// the second column, as bash 4.3 did).
fn cell(entry: &Entry, width: usize, back: usize) -> (String, usize) {
    let flag = if entry.enabled() { ' ' } else { '*' };
    let doc = entry.synopsis;
    let slen = if doc.len() >= width {
        width - 2
    } else {
        doc.len()
    };
    let shown = slen.min(width - 2);
    let cols = shown + 1;
    if cols >= width - 2 {
        let keep = (shown - 1).saturating_sub(back);
        (format!("{flag}{}>", doc.get(..keep).unwrap_or(doc)), cols)
    } else {
        (format!("{flag}{doc}"), cols)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_lists_every_builtin_of_bash_and_stars_the_ones_this_shell_lacks() {
        let (out, _, status) = help(&[], 80);
        assert_eq!(status, 0);
        assert!(out.starts_with("GNU bash, version 5.2.15(1)-release"));
        assert!(out.contains("\n cd [-L|[-P [-e]] [-@]] [dir]"), "{out}");
        assert!(out.contains("\n*alias [-p] [name[=value] ... ]"), "{out}");
        assert_eq!(out.lines().count(), 8 + 38);
        assert!(out.lines().all(|l| l.len() <= 80), "{out}");
    }

    #[test]
    fn help_name_prints_bash_text_and_an_unknown_name_fails_in_bash_words() {
        let (out, _, _) = help(&["cd".into()], 80);
        assert!(out.starts_with(
            "cd: cd [-L|[-P [-e]] [-@]] [dir]\n    Change the shell working directory.\n"
        ));
        let (out, _, _) = help(&["-d".into(), "echo".into()], 80);
        assert_eq!(out, "echo - Write arguments to the standard output.\n");
        let (_, err, status) = help(&["kubectl".into()], 80);
        assert_eq!(status, 1);
        assert_eq!(err, "bash: help: no help topics match `kubectl'.  Try `help help' or `man -k kubectl' or `info kubectl'.\n");
    }

    /// Without the stars the list is bash's own, byte for byte, at any width (where bash
    /// 5.2 runs here).
    #[test]
    fn the_list_is_laid_out_as_bash_lays_it_out() {
        for columns in [80usize, 120, 57, 56, 58, 300, 20] {
            let Ok(real) = std::process::Command::new("bash")
                .args(["-c", "help"])
                .env("COLUMNS", columns.to_string())
                .output()
            else {
                return;
            };
            let real = String::from_utf8_lossy(&real.stdout).to_string();
            if !real.starts_with("GNU bash, version 5.2.15") {
                return;
            }
            // Unstarred: a star stands at the start of either column.
            let width = (columns / 2).min(128);
            let ours: String = help(&[], columns)
                .0
                .lines()
                .enumerate()
                .map(|(i, line)| {
                    let mut line = line.to_string();
                    for at in [0, width] {
                        if i >= 8 && line.get(at..at + 1) == Some("*") {
                            line.replace_range(at..at + 1, " ");
                        }
                    }
                    line + "\n"
                })
                .collect();
            assert_eq!(ours, real, "at {columns} columns");
        }
    }
}
