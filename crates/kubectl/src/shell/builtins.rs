//! The small coreutils the course needs, implemented by the shell itself: `echo`, `printf`,
//! `cat`, `grep`, `head`, `tail`, `wc`, `sort`, `uniq`, `tee`, `seq`, `sleep`, `ls`, `cp`, `mv`,
//! `cut`, `tr` (`tr.rs`), `sed` (`sed.rs`), `awk` (`awk.rs`),
//! `rm`, `mkdir`, `touch`, `pwd`, `clear`, `history`, `test`/`[`, `true`, `false`, `:`,
//! `hostname`, `whoami`, `env`/`printenv`, `help` (bash's, see `help`), and `vim`/`vi`/`nano` (handed to the host's editor).
//!
//! Utilities that read standard input are [`Filter`]s: they stream, line by line, as a pipe
//! fills, so `while …; do curl …; sleep 1; done | grep v1.1` prints as it goes and
//! `… | head -n 3` ends the pipeline after three lines. Given file arguments they run at once.
//! Error texts are GNU coreutils' (with its ‘curly’ quotes where GNU uses them).

use std::collections::VecDeque;

use rollout_sim::clock::{Duration, Time};

use super::host::{push_chunk, Chunk, Input, Login, Stream, Vfs, Winsize};
use super::state::{Blocked, Env, Run};
use super::Limits;

/// What starting a utility gave. The interpreter turns the long-running ones into its jobs.
pub(crate) enum Utility {
    /// It ran to completion already (its output is in the chunk list).
    Done(i32),
    /// `sleep`: done at `until`.
    Sleep { until: Time },
    /// `grep`, `wc`, `head`, …: reads standard input over several polls.
    Filter(Filter),
    /// `vim FILE`: waits until the host closes the editor.
    Edit { path: String },
}

/// What a utility may look at when it starts.
pub(crate) struct UtilCx<'a> {
    pub env: &'a Env,
    pub fs: &'a mut Vfs,
    pub login: &'a Login,
    pub history: &'a [String],
    pub now: Time,
    pub out: &'a mut Vec<Chunk>,
    pub stdout_is_terminal: bool,
    /// The user's terminal, for `tput` and `stty`.
    pub winsize: Winsize,
}

impl UtilCx<'_> {
    fn print(&mut self, text: &str) {
        push_chunk(self.out, Stream::Stdout, text);
    }

    fn eprint(&mut self, text: &str) {
        push_chunk(self.out, Stream::Stderr, text);
    }

    fn abs(&self, path: &str) -> String {
        Vfs::resolve(&self.env.cwd, path)
    }

    /// `Try 'X --help' for more information.` after a usage error.
    fn usage(&mut self, name: &str, message: &str, status: i32) -> Option<Utility> {
        self.eprint(&format!(
            "{name}: {message}\nTry '{name} --help' for more information.\n"
        ));
        Some(Utility::Done(status))
    }
}

/// Splits `-abc` style flags from operands (`--` ends flags; `-` alone is an operand).
fn flags_and_operands(args: &[String]) -> (Vec<char>, Vec<String>) {
    let mut flags = Vec::new();
    let mut operands = Vec::new();
    let mut only_operands = false;
    for arg in args {
        if only_operands || arg == "-" || !arg.starts_with('-') {
            operands.push(arg.clone());
        } else if arg == "--" {
            only_operands = true;
        } else if arg.starts_with("--") {
            // Long options are accepted and ignored (`--color=auto`).
        } else {
            flags.extend(arg.chars().skip(1));
        }
    }
    (flags, operands)
}

/// Runs the utility `argv[0]`, or returns None when the shell has no such utility.
pub(crate) fn utility(argv: &[String], u: &mut UtilCx<'_>) -> Option<Utility> {
    let name = argv[0].as_str();
    let args = &argv[1..];
    match name {
        "true" | ":" => Some(Utility::Done(0)),
        "false" => Some(Utility::Done(1)),
        "echo" => Some(Utility::Done(echo(args, u))),
        "printf" => Some(Utility::Done(printf(args, u))),
        "pwd" => {
            let cwd = u.env.cwd.clone();
            u.print(&format!("{cwd}\n"));
            Some(Utility::Done(0))
        }
        "clear" => {
            u.print("\x1b[H\x1b[2J\x1b[3J");
            Some(Utility::Done(0))
        }
        "history" => {
            let lines: String = u
                .history
                .iter()
                .enumerate()
                .map(|(i, line)| format!("{:>5}  {line}\n", i + 1))
                .collect();
            u.print(&lines);
            Some(Utility::Done(0))
        }
        "hostname" => {
            let host = u.login.hostname.clone();
            u.print(&format!("{host}\n"));
            Some(Utility::Done(0))
        }
        "whoami" => {
            let user = u.login.user.clone();
            u.print(&format!("{user}\n"));
            Some(Utility::Done(0))
        }
        "env" | "printenv" => {
            if let Some(var) = args.first().filter(|_| name == "printenv") {
                return Some(match u.env.vars.get(var).cloned() {
                    Some(v) => {
                        u.print(&format!("{v}\n"));
                        Utility::Done(0)
                    }
                    None => Utility::Done(1),
                });
            }
            let text: String = u
                .env
                .vars
                .iter()
                .map(|(k, v)| format!("{k}={v}\n"))
                .collect();
            u.print(&text);
            Some(Utility::Done(0))
        }
        // busybox's sh has a `help` of its own, which the lab does not model.
        "help" if u.login.flavor == super::host::Flavor::Bash => {
            let columns = u
                .env
                .vars
                .get("COLUMNS")
                .and_then(|c| c.parse().ok())
                .unwrap_or(usize::from(u.winsize.cols));
            let (out, err, status) = super::help::help(args, columns);
            u.print(&out);
            u.eprint(&err);
            Some(Utility::Done(status))
        }
        "tput" => Some(Utility::Done(tput(args, u))),
        "stty" => Some(Utility::Done(stty(args, u))),
        "sleep" => Some(sleep(args, u)),
        "seq" => Some(seq(args, u)),
        "test" => Some(Utility::Done(test_builtin(name, args, u))),
        "[" => {
            let Some((last, rest)) = args.split_last().filter(|(l, _)| *l == "]") else {
                let prefix = u.login.err_prefix();
                u.eprint(&format!("{prefix}[: missing `]'\n"));
                return Some(Utility::Done(2));
            };
            let _ = last;
            Some(Utility::Done(test_builtin("[", rest, u)))
        }
        "[[" => {
            let Some((_, rest)) = args.split_last().filter(|(l, _)| *l == "]]") else {
                let prefix = u.login.err_prefix();
                u.eprint(&format!(
                    "{prefix}syntax error in conditional expression: unexpected token `newline'\n"
                ));
                return Some(Utility::Done(2));
            };
            Some(Utility::Done(test_builtin("[[", rest, u)))
        }
        "vim" | "vi" | "nano" | "vim.tiny" => {
            let (_, operands) = flags_and_operands(args);
            match operands.first() {
                Some(file) => {
                    let path = u.abs(file);
                    if u.fs.is_dir(&path) {
                        u.eprint(&format!("{name}: \"{file}\" is a directory\n"));
                        return Some(Utility::Done(1));
                    }
                    Some(Utility::Edit { path })
                }
                None => {
                    u.eprint(&format!(
                        "{name}: give a file name: the lab's editor opens files (`{name} FILE`)\n"
                    ));
                    Some(Utility::Done(1))
                }
            }
        }
        "ls" => Some(Utility::Done(ls(args, u))),
        "cp" | "mv" => Some(Utility::Done(copy_or_move(name, args, u))),
        "rm" => Some(Utility::Done(rm(args, u))),
        "mkdir" => Some(Utility::Done(mkdir(args, u))),
        "touch" => Some(Utility::Done(touch(args, u))),
        "cat" | "grep" | "egrep" | "head" | "tail" | "wc" | "sort" | "uniq" | "tee" | "cut"
        | "awk" | "tr" => Some(filter(name, args, u)),
        "sed" => Some(sed(args, u)),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// tput, stty: the terminal's size

/// `tput cols|lines` (ncurses): the terminal's size, even in `$(tput cols)`; `tput` without a
/// capability name, or with one the lab's terminal does not describe, fails as ncurses does.
fn tput(args: &[String], u: &mut UtilCx<'_>) -> i32 {
    let Some(cap) = args.iter().find(|a| !a.starts_with('-')) else {
        u.eprint("usage: tput [-V] [-S] [-T term] capname\n");
        return 2;
    };
    let value = match cap.as_str() {
        "cols" | "co" => u.winsize.cols.to_string(),
        "lines" | "li" => u.winsize.rows.to_string(),
        "colors" | "Co" => match u.env.vars.get("TERM").map(String::as_str) {
            Some("dumb") | None => "-1".into(),
            Some(_) => "256".into(),
        },
        _ => {
            u.eprint(&format!("tput: unknown terminfo capability '{cap}'\n"));
            return 4;
        }
    };
    u.print(&format!("{value}\n"));
    0
}

/// `stty size` prints `ROWS COLS`; `stty` alone, a few settings. Changing settings is accepted
/// and does nothing (the lab's terminal has no line discipline to change).
fn stty(args: &[String], u: &mut UtilCx<'_>) -> i32 {
    let Winsize { cols, rows } = u.winsize;
    match args.first().map(String::as_str) {
        Some("size") => u.print(&format!("{rows} {cols}\n")),
        Some("-a") | Some("--all") => u.print(&format!(
            "speed 38400 baud; rows {rows}; columns {cols}; line = 0;\n"
        )),
        None => u.print("speed 38400 baud; line = 0;\n"),
        Some(_) => {}
    }
    0
}

// ---------------------------------------------------------------------------------------------
// echo, printf

fn echo(args: &[String], u: &mut UtilCx<'_>) -> i32 {
    let mut newline = true;
    let mut escapes = false;
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        let is_flags = arg.len() > 1
            && arg.starts_with('-')
            && arg.chars().skip(1).all(|c| matches!(c, 'n' | 'e' | 'E'));
        if !is_flags {
            break;
        }
        for c in arg.chars().skip(1) {
            match c {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        i += 1;
    }
    let mut text = args[i..].join(" ");
    if escapes {
        let (decoded, stop) = backslash_escapes(&text);
        text = decoded;
        if stop {
            newline = false;
        }
    }
    if newline {
        text.push('\n');
    }
    u.print(&text);
    0
}

/// `echo -e`/`printf` escapes. Returns the text and whether `\c` cut it short.
fn backslash_escapes(s: &str) -> (String, bool) {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('a') => out.push('\x07'),
            Some('e') => out.push('\x1b'),
            Some('\\') => out.push('\\'),
            Some('c') => return (out, true),
            Some('0') => {
                let mut code = 0u32;
                for _ in 0..3 {
                    match chars.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            code = code * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(code).unwrap_or('\0'));
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    (out, false)
}

fn printf(args: &[String], u: &mut UtilCx<'_>) -> i32 {
    let Some(format) = args.first() else {
        u.eprint("printf: usage: printf [-v var] format [arguments]\n");
        return 2;
    };
    let (format, _) = backslash_escapes(format);
    let mut rest = args[1..].iter();
    let mut out = String::new();
    let mut status = 0;
    loop {
        let mut used = false;
        let mut chars = format.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            let mut spec = String::new();
            while let Some(&d) = chars.peek() {
                if d.is_ascii_digit() || d == '-' || d == '.' {
                    spec.push(d);
                    chars.next();
                } else {
                    break;
                }
            }
            let width: usize = spec
                .trim_start_matches('-')
                .split('.')
                .next()
                .and_then(|w| w.parse().ok())
                .unwrap_or(0);
            let left = spec.starts_with('-');
            let conv = chars.next();
            let value = match conv {
                Some('%') => {
                    out.push('%');
                    continue;
                }
                Some('s') | Some('b') => {
                    used = true;
                    rest.next().cloned().unwrap_or_default()
                }
                Some('d') | Some('i') => {
                    used = true;
                    let arg = rest.next().cloned().unwrap_or_default();
                    match arg.trim().parse::<i64>() {
                        Ok(n) => n.to_string(),
                        Err(_) if arg.is_empty() => "0".into(),
                        Err(_) => {
                            u.eprint(&format!("bash: printf: {arg}: invalid number\n"));
                            status = 1;
                            "0".into()
                        }
                    }
                }
                Some(other) => format!("%{spec}{other}"),
                None => "%".into(),
            };
            if left {
                out.push_str(&format!("{value:<width$}"));
            } else {
                out.push_str(&format!("{value:>width$}"));
            }
        }
        if !used || rest.len() == 0 {
            break;
        }
    }
    u.print(&out);
    status
}

// ---------------------------------------------------------------------------------------------
// sleep, seq

/// `1`, `.5`, `2s`, `1m`, `0.5h`, `1d` in milliseconds.
pub(crate) fn parse_duration_ms(text: &str) -> Option<i64> {
    let (number, unit) = match text.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&text[..i], c),
        _ => (text, 's'),
    };
    let factor = match unit {
        's' => 1_000.0,
        'm' => 60_000.0,
        'h' => 3_600_000.0,
        'd' => 86_400_000.0,
        _ => return None,
    };
    if number.is_empty() || number.starts_with(['+', '-']) {
        return None;
    }
    let value: f64 = number.parse().ok()?;
    if !value.is_finite() || value < 0.0 {
        return None;
    }
    let ms = (value * factor).round();
    // A year is plenty; a bigger number is a typo and must not overflow the clock.
    Some(ms.min(365.0 * 86_400_000.0) as i64)
}

fn sleep(args: &[String], u: &mut UtilCx<'_>) -> Utility {
    if args.is_empty() {
        return u
            .usage("sleep", "missing operand", 1)
            .unwrap_or(Utility::Done(1));
    }
    let mut total = 0i64;
    for arg in args {
        match parse_duration_ms(arg) {
            Some(ms) => total = total.saturating_add(ms),
            None => {
                return u
                    .usage("sleep", &format!("invalid time interval ‘{arg}’"), 1)
                    .unwrap_or(Utility::Done(1));
            }
        }
    }
    Utility::Sleep {
        until: u.now + Duration(total),
    }
}

fn seq(args: &[String], u: &mut UtilCx<'_>) -> Utility {
    let mut operands = Vec::new();
    for arg in args {
        let parsed = arg.parse::<f64>().ok().filter(|v| v.is_finite());
        match parsed {
            Some(v) => operands.push((v, decimals(arg))),
            None => {
                return u
                    .usage(
                        "seq",
                        &format!("invalid floating point argument: ‘{arg}’"),
                        1,
                    )
                    .unwrap_or(Utility::Done(1));
            }
        }
    }
    let (first, step, last) = match operands.as_slice() {
        [] => {
            return u
                .usage("seq", "missing operand", 1)
                .unwrap_or(Utility::Done(1))
        }
        [l] => ((1.0, 0), (1.0, 0), *l),
        [f, l] => (*f, (1.0, 0), *l),
        [f, s, l] => (*f, *s, *l),
        [_, _, _, _, ..] => {
            return u
                .usage("seq", &format!("extra operand ‘{}’", args[3]), 1)
                .unwrap_or(Utility::Done(1));
        }
    };
    if step.0 == 0.0 {
        return u
            .usage(
                "seq",
                &format!("invalid Zero increment value: ‘{}’", args[1]),
                1,
            )
            .unwrap_or(Utility::Done(1));
    }
    Utility::Filter(Filter::new(
        "seq",
        FilterKind::Seq {
            first: first.0,
            step: step.0,
            last: last.0,
            index: 0,
            decimals: first.1.max(step.1),
        },
    ))
}

fn decimals(arg: &str) -> usize {
    arg.split_once('.').map_or(0, |(_, frac)| frac.len())
}

// ---------------------------------------------------------------------------------------------
// test / [

fn test_builtin(name: &str, args: &[String], u: &mut UtilCx<'_>) -> i32 {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match eval_test(&args, u) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(message) => {
            let prefix = u.login.err_prefix();
            u.eprint(&format!("{prefix}{name}: {message}\n"));
            2
        }
    }
}

fn eval_test(args: &[&str], u: &UtilCx<'_>) -> Result<bool, String> {
    if let Some(i) = args.iter().rposition(|a| *a == "-o" || *a == "||") {
        if i > 0 && i + 1 < args.len() {
            return Ok(eval_test(&args[..i], u)? || eval_test(&args[i + 1..], u)?);
        }
    }
    if let Some(i) = args.iter().rposition(|a| *a == "-a" || *a == "&&") {
        if i > 0 && i + 1 < args.len() {
            return Ok(eval_test(&args[..i], u)? && eval_test(&args[i + 1..], u)?);
        }
    }
    match args {
        [] => Ok(false),
        [s] => Ok(!s.is_empty()),
        ["!", rest @ ..] => Ok(!eval_test(rest, u)?),
        ["(", inner @ .., ")"] => eval_test(inner, u),
        [op, operand] => {
            let path = u.abs(operand);
            match *op {
                "-z" => Ok(operand.is_empty()),
                "-n" => Ok(!operand.is_empty()),
                "-f" => Ok(u.fs.is_file(&path)),
                "-d" => Ok(u.fs.is_dir(&path)),
                "-e" | "-r" | "-w" | "-x" => Ok(u.fs.is_file(&path) || u.fs.is_dir(&path)),
                "-s" => Ok(u.fs.read(&path).is_some_and(|c| !c.is_empty())),
                _ => Err(format!("{op}: unary operator expected")),
            }
        }
        [a, op, b] => {
            let int = |s: &str| {
                s.trim()
                    .parse::<i64>()
                    .map_err(|_| format!("{s}: integer expression expected"))
            };
            match *op {
                "=" | "==" => Ok(a == b),
                "!=" => Ok(a != b),
                "<" => Ok(a < b),
                ">" => Ok(a > b),
                "-eq" => Ok(int(a)? == int(b)?),
                "-ne" => Ok(int(a)? != int(b)?),
                "-lt" => Ok(int(a)? < int(b)?),
                "-le" => Ok(int(a)? <= int(b)?),
                "-gt" => Ok(int(a)? > int(b)?),
                "-ge" => Ok(int(a)? >= int(b)?),
                _ => Err(format!("{op}: binary operator expected")),
            }
        }
        _ => Err("too many arguments".into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Files: ls, cp, mv, rm, mkdir, touch

fn ls(args: &[String], u: &mut UtilCx<'_>) -> i32 {
    let (flags, mut operands) = flags_and_operands(args);
    let long = flags.contains(&'l');
    let all = flags.contains(&'a') || flags.contains(&'A');
    let one_per_line = flags.contains(&'1') || long || !u.stdout_is_terminal;
    if operands.is_empty() {
        operands.push(".".into());
    }
    let mut status = 0;
    let many = operands.len() > 1;
    let mut text = String::new();
    let mut file_entries = Vec::new();
    let mut dirs = Vec::new();
    for operand in &operands {
        let abs = u.abs(operand);
        if u.fs.is_file(&abs) {
            let size = u.fs.read(&abs).map_or(0, str::len);
            file_entries.push((operand.clone(), false, size));
        } else if u.fs.is_dir(&abs) {
            dirs.push((operand.clone(), abs));
        } else {
            u.eprint(&format!(
                "ls: cannot access '{operand}': No such file or directory\n"
            ));
            status = 2;
        }
    }
    let render = |entries: &[(String, bool, usize)]| -> String {
        if entries.is_empty() {
            return String::new();
        }
        if long {
            entries
                .iter()
                .map(|(name, is_dir, size)| {
                    let (mode, size) = if *is_dir {
                        ("drwxr-xr-x 2", 4096)
                    } else {
                        ("-rw-r--r-- 1", *size)
                    };
                    format!("{mode} root root {size:>5} Nov 23 09:00 {name}\n")
                })
                .collect()
        } else if one_per_line {
            entries.iter().map(|(n, _, _)| format!("{n}\n")).collect()
        } else {
            let names: Vec<&str> = entries.iter().map(|(n, _, _)| n.as_str()).collect();
            format!("{}\n", names.join("  "))
        }
    };
    text.push_str(&render(&file_entries));
    for (i, (operand, abs)) in dirs.iter().enumerate() {
        let entries: Vec<(String, bool, usize)> =
            u.fs.list(abs)
                .into_iter()
                .filter(|(name, _)| all || !name.starts_with('.'))
                .map(|(name, is_dir)| {
                    let size = u.fs.read(&Vfs::resolve(abs, &name)).map_or(0, str::len);
                    (name, is_dir, size)
                })
                .collect();
        if many {
            if i > 0 || !file_entries.is_empty() {
                text.push('\n');
            }
            text.push_str(&format!("{operand}:\n"));
        }
        if long {
            text.push_str(&format!("total {}\n", entries.len() * 4));
        }
        text.push_str(&render(&entries));
    }
    u.print(&text);
    status
}

fn basename(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

fn copy_or_move(name: &str, args: &[String], u: &mut UtilCx<'_>) -> i32 {
    let (flags, operands) = flags_and_operands(args);
    let recursive = flags.contains(&'r') || flags.contains(&'R') || flags.contains(&'a');
    let (dest, sources) = match operands.split_last() {
        None => {
            u.usage(name, "missing file operand", 1);
            return 1;
        }
        Some((_, [])) => {
            u.usage(
                name,
                &format!("missing destination file operand after '{}'", operands[0]),
                1,
            );
            return 1;
        }
        Some((dest, sources)) => (dest.clone(), sources.to_vec()),
    };
    let dest_abs = u.abs(&dest);
    let dest_is_dir = u.fs.is_dir(&dest_abs);
    if sources.len() > 1 && !dest_is_dir {
        u.eprint(&format!("{name}: target '{dest}' is not a directory\n"));
        return 1;
    }
    let mut status = 0;
    for source in &sources {
        let src_abs = u.abs(source);
        let target = if dest_is_dir {
            Vfs::resolve(&dest_abs, basename(source))
        } else {
            dest_abs.clone()
        };
        if let Some(content) = u.fs.read(&src_abs).map(str::to_string) {
            if src_abs == target {
                u.eprint(&format!(
                    "{name}: '{source}' and '{dest}' are the same file\n"
                ));
                status = 1;
                continue;
            }
            if !u.fs.parent_exists(&target) {
                let verb = if name == "cp" {
                    "cannot create regular file"
                } else {
                    "cannot move"
                };
                u.eprint(&format!(
                    "{name}: {verb} '{dest}': No such file or directory\n"
                ));
                status = 1;
                continue;
            }
            u.fs.write(&target, &content);
            if name == "mv" {
                u.fs.files.remove(&src_abs);
            }
        } else if u.fs.is_dir(&src_abs) {
            if name == "cp" && !recursive {
                u.eprint(&format!(
                    "cp: -r not specified; omitting directory '{source}'\n"
                ));
                status = 1;
                continue;
            }
            let prefix = format!("{src_abs}/");
            let moved: Vec<(String, String)> =
                u.fs.files
                    .iter()
                    .filter(|(k, _)| k.starts_with(&prefix))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
            for (path, content) in moved {
                let new_path = format!("{target}/{}", &path[prefix.len()..]);
                u.fs.write(&new_path, &content);
                if name == "mv" {
                    u.fs.files.remove(&path);
                }
            }
            u.fs.dirs.insert(target.clone());
            if name == "mv" {
                u.fs.dirs
                    .retain(|d| d != &src_abs && !d.starts_with(&prefix));
            }
        } else {
            u.eprint(&format!(
                "{name}: cannot stat '{source}': No such file or directory\n"
            ));
            status = 1;
        }
    }
    status
}

fn rm(args: &[String], u: &mut UtilCx<'_>) -> i32 {
    let (flags, operands) = flags_and_operands(args);
    let force = flags.contains(&'f');
    let recursive = flags.contains(&'r') || flags.contains(&'R');
    if operands.is_empty() {
        if force {
            return 0;
        }
        u.usage("rm", "missing operand", 1);
        return 1;
    }
    let mut status = 0;
    for operand in &operands {
        let abs = u.abs(operand);
        if u.fs.files.remove(&abs).is_some() {
            continue;
        }
        if u.fs.is_dir(&abs) {
            if !recursive {
                u.eprint(&format!("rm: cannot remove '{operand}': Is a directory\n"));
                status = 1;
                continue;
            }
            let prefix = format!("{abs}/");
            u.fs.files.retain(|k, _| !k.starts_with(&prefix));
            u.fs.dirs.retain(|d| d != &abs && !d.starts_with(&prefix));
        } else if !force {
            u.eprint(&format!(
                "rm: cannot remove '{operand}': No such file or directory\n"
            ));
            status = 1;
        }
    }
    status
}

fn mkdir(args: &[String], u: &mut UtilCx<'_>) -> i32 {
    let (flags, operands) = flags_and_operands(args);
    let parents = flags.contains(&'p');
    if operands.is_empty() {
        u.usage("mkdir", "missing operand", 1);
        return 1;
    }
    let mut status = 0;
    for operand in &operands {
        let abs = u.abs(operand);
        if u.fs.is_dir(&abs) || u.fs.is_file(&abs) {
            if !parents || u.fs.is_file(&abs) {
                u.eprint(&format!(
                    "mkdir: cannot create directory ‘{operand}’: File exists\n"
                ));
                status = 1;
            }
            continue;
        }
        if !parents && !u.fs.parent_exists(&abs) {
            u.eprint(&format!(
                "mkdir: cannot create directory ‘{operand}’: No such file or directory\n"
            ));
            status = 1;
            continue;
        }
        u.fs.dirs.insert(abs);
    }
    status
}

fn touch(args: &[String], u: &mut UtilCx<'_>) -> i32 {
    let (_, operands) = flags_and_operands(args);
    if operands.is_empty() {
        u.usage("touch", "missing file operand", 1);
        return 1;
    }
    let mut status = 0;
    for operand in &operands {
        let abs = u.abs(operand);
        if u.fs.is_file(&abs) || u.fs.is_dir(&abs) {
            continue;
        }
        if !u.fs.parent_exists(&abs) {
            u.eprint(&format!(
                "touch: cannot touch '{operand}': No such file or directory\n"
            ));
            status = 1;
            continue;
        }
        u.fs.write(&abs, "");
    }
    status
}

// ---------------------------------------------------------------------------------------------
// Filters

/// A utility that consumes standard input as it arrives.
#[derive(Clone, Debug)]
pub(crate) struct Filter {
    name: &'static str,
    kind: FilterKind,
    /// An unfinished last line.
    partial: String,
    status: i32,
}

#[derive(Clone, Debug)]
enum FilterKind {
    Cat,
    Grep(Grep),
    Tr(super::tr::Tr),
    Head {
        left: usize,
    },
    Tail {
        keep: usize,
        lines: VecDeque<String>,
    },
    /// `tail -n +N`: everything from line N on.
    TailFrom {
        skip: usize,
    },
    Wc {
        lines: bool,
        words: bool,
        bytes: bool,
        counts: [usize; 3],
        label: Option<String>,
    },
    Sort {
        numeric: bool,
        reverse: bool,
        unique: bool,
        lines: Vec<String>,
    },
    Uniq {
        count: bool,
        /// `-d` prints only repeated lines, `-u` only unique ones (both: none).
        repeated: bool,
        unique: bool,
        /// `-i`: lines that differ only in case are one group (its first line is printed).
        ignore_case: bool,
        previous: Option<(String, usize)>,
    },
    Tee {
        paths: Vec<String>,
    },
    /// `cut -d D -f N[,M…]` (fields are 1-based; without `-d`, a tab) or `cut -c A-B`.
    Cut {
        delimiter: char,
        fields: Vec<usize>,
    },
    Sed(Box<dyn super::tools::SedProgram>),
    Awk(Box<dyn super::tools::AwkProgram>),
    Seq {
        first: f64,
        step: f64,
        last: f64,
        index: u64,
        decimals: usize,
    },
}

#[derive(Clone, Debug)]
struct Grep {
    pattern: Pattern,
    invert: bool,
    count: bool,
    numbers: bool,
    quiet: bool,
    only_matching_count: usize,
    line_no: usize,
    /// `-B`/`-A` (`-C` sets both): lines of context before and after each match.
    before: usize,
    after: usize,
    /// The last `before` lines not printed, with their numbers.
    held: VecDeque<(usize, String)>,
    /// Lines after the last match still to print.
    after_left: usize,
    /// The number of the last line printed, to put `--` between separate groups.
    last_printed: Option<usize>,
    /// `-o`: each match on a line of its own, not the line.
    only: bool,
}

impl Grep {
    /// Prints line `n` (`:` after its number when it matched, `-` when it is context),
    /// after a `--` if it does not follow the last line printed, as GNU grep does.
    fn print(&mut self, out: &mut Vec<Chunk>, n: usize, line: &str, matched: bool) {
        let context = self.before > 0 || self.after > 0;
        let mut text = String::new();
        if context && self.last_printed.is_some_and(|last| last + 1 < n) {
            text.push_str("--\n");
        }
        if self.numbers {
            text.push_str(&format!("{n}{}", if matched { ':' } else { '-' }));
        }
        text.push_str(line);
        text.push('\n');
        push_chunk(out, Stream::Stdout, &text);
        self.last_printed = Some(n);
    }
}

/// Lines a filter handles per poll, so a huge input is spread over several polls.
const LINES_PER_POLL: usize = 1000;

impl Filter {
    fn new(name: &'static str, kind: FilterKind) -> Filter {
        Filter {
            name,
            kind,
            partial: String::new(),
            status: 0,
        }
    }

    pub(crate) fn poll(
        &mut self,
        stdin: &mut Input,
        out: &mut Vec<Chunk>,
        fs: &mut Vfs,
        limits: &Limits,
    ) -> Run {
        if let FilterKind::Seq { .. } = self.kind {
            return self.seq_step(out);
        }
        let (buf, eof) = match stdin {
            Input::Terminal => {
                let name = self.name;
                let hint = if name == "cat" {
                    " (to write a file: cat > FILE <<'EOF' … EOF)"
                } else {
                    ""
                };
                push_chunk(
                    out,
                    Stream::Stderr,
                    &format!(
                        "{name}: reading from the terminal is not supported in this lab{hint}\n"
                    ),
                );
                return Run::Exited(1);
            }
            Input::Pipe { buf, eof } => (buf, *eof),
        };
        if buf.is_empty() && !eof {
            return Run::Blocked(Blocked {
                input: true,
                ..Blocked::default()
            });
        }
        if let FilterKind::Cat = self.kind {
            push_chunk(out, Stream::Stdout, &std::mem::take(buf));
            return if eof { Run::Exited(0) } else { Run::Progress };
        }
        // Take whole lines, at most LINES_PER_POLL of them.
        let mut taken = 0;
        let mut cut = 0;
        for (i, b) in buf.bytes().enumerate() {
            if b == b'\n' {
                taken += 1;
                cut = i + 1;
                if taken == LINES_PER_POLL {
                    break;
                }
            }
        }
        let all_lines_taken = taken < LINES_PER_POLL;
        let text: String = if all_lines_taken {
            std::mem::take(buf)
        } else {
            buf.drain(..cut).collect()
        };
        self.partial.push_str(&text);
        let chunk = std::mem::take(&mut self.partial);
        let mut rest = chunk.as_str();
        while let Some(i) = rest.find('\n') {
            let line = &rest[..i];
            rest = &rest[i + 1..];
            if self.line(line, true, out, fs, limits) {
                return Run::Exited(self.status);
            }
        }
        self.partial = rest.to_string();
        if eof && all_lines_taken {
            let last = std::mem::take(&mut self.partial);
            if !last.is_empty() && self.line(&last, false, out, fs, limits) {
                return Run::Exited(self.status);
            }
            self.finish(out);
            return Run::Exited(self.status);
        }
        Run::Progress
    }

    /// Handles one line; true when the filter is done early (`head`).
    fn line(
        &mut self,
        line: &str,
        newline: bool,
        out: &mut Vec<Chunk>,
        fs: &mut Vfs,
        limits: &Limits,
    ) -> bool {
        let nl = if newline { "\n" } else { "" };
        match &mut self.kind {
            FilterKind::Cat | FilterKind::Seq { .. } => {}
            FilterKind::Tr(tr) => {
                let text = tr.apply(&format!("{line}{nl}"));
                push_chunk(out, Stream::Stdout, &text);
            }
            FilterKind::Grep(g) => {
                g.line_no += 1;
                let n = g.line_no;
                if g.pattern.matches(line) != g.invert {
                    g.only_matching_count += 1;
                    if g.quiet {
                        self.status = 0;
                        return true;
                    }
                    if !g.count {
                        if g.only {
                            // GNU grep -o prints no context, and nothing for -v.
                            if !g.invert {
                                for part in matched_parts(&g.pattern, line) {
                                    g.print(out, n, &part, true);
                                }
                            }
                        } else {
                            for (held_n, held) in std::mem::take(&mut g.held) {
                                g.print(out, held_n, &held, false);
                            }
                            g.print(out, n, line, true);
                            g.after_left = g.after;
                        }
                    }
                } else if !g.count && !g.only && g.after_left > 0 {
                    g.after_left -= 1;
                    g.print(out, n, line, false);
                } else if g.before > 0 {
                    g.held.push_back((n, line.to_string()));
                    if g.held.len() > g.before {
                        g.held.pop_front();
                    }
                }
            }
            FilterKind::Head { left } => {
                if *left == 0 {
                    return true;
                }
                push_chunk(out, Stream::Stdout, &format!("{line}{nl}"));
                *left -= 1;
                return *left == 0;
            }
            FilterKind::Tail { keep, lines } => {
                if *keep > 0 {
                    lines.push_back(format!("{line}{nl}"));
                    if lines.len() > *keep {
                        lines.pop_front();
                    }
                }
            }
            FilterKind::TailFrom { skip } => {
                if *skip > 0 {
                    *skip -= 1;
                } else {
                    push_chunk(out, Stream::Stdout, &format!("{line}{nl}"));
                }
            }
            FilterKind::Wc { counts, .. } => {
                counts[0] += usize::from(newline);
                counts[1] += line.split_whitespace().count();
                counts[2] += line.len() + nl.len();
            }
            FilterKind::Sort { lines, .. } => lines.push(line.to_string()),
            FilterKind::Cut { delimiter, fields } => {
                let parts: Vec<&str> = line.split(*delimiter).collect();
                let text = if parts.len() == 1 {
                    // cut prints lines without the delimiter unchanged.
                    line.to_string()
                } else {
                    let picked: Vec<&str> = fields
                        .iter()
                        .filter_map(|f| parts.get(f.saturating_sub(1)).copied())
                        .collect();
                    picked.join(&delimiter.to_string())
                };
                push_chunk(out, Stream::Stdout, &format!("{text}{nl}"));
            }
            FilterKind::Sed(sed) => {
                let mut text = String::new();
                let quit = sed.line(line, newline, &mut text);
                push_chunk(out, Stream::Stdout, &text);
                if let Some(status) = quit {
                    self.status = status;
                    return true;
                }
            }
            FilterKind::Awk(awk) => {
                let mut w = super::awk::Written::default();
                let done = awk.record(line, &mut w);
                push_chunk(out, Stream::Stdout, &w.out);
                push_chunk(out, Stream::Stderr, &w.err);
                if let Some(status) = done {
                    self.status = status;
                    return true;
                }
            }
            FilterKind::Uniq {
                count,
                repeated,
                unique,
                ignore_case,
                previous,
            } => match previous {
                Some((prev, n))
                    if prev == line
                        || (*ignore_case && prev.to_lowercase() == line.to_lowercase()) =>
                {
                    *n += 1
                }
                _ => {
                    if let Some((prev, n)) = previous.take() {
                        push_chunk(
                            out,
                            Stream::Stdout,
                            &uniq_line(&prev, n, *count, *repeated, *unique),
                        );
                    }
                    *previous = Some((line.to_string(), 1));
                }
            },
            FilterKind::Tee { paths } => {
                let text = format!("{line}{nl}");
                for path in paths.iter() {
                    let file = fs.files.entry(path.clone()).or_default();
                    if file.len() + text.len() <= limits.max_file_bytes {
                        file.push_str(&text);
                    }
                }
                push_chunk(out, Stream::Stdout, &text);
            }
        }
        false
    }

    fn finish(&mut self, out: &mut Vec<Chunk>) {
        match &mut self.kind {
            FilterKind::Grep(g) => {
                if g.count {
                    push_chunk(out, Stream::Stdout, &format!("{}\n", g.only_matching_count));
                }
                self.status = if g.only_matching_count > 0 { 0 } else { 1 };
            }
            FilterKind::Sed(sed) => {
                let mut text = String::new();
                self.status = sed.finish(&mut text);
                push_chunk(out, Stream::Stdout, &text);
            }
            FilterKind::Tail { lines, .. } => {
                let text: String = lines.drain(..).collect();
                push_chunk(out, Stream::Stdout, &text);
            }
            FilterKind::Wc {
                lines,
                words,
                bytes,
                counts,
                label,
            } => {
                let selected: Vec<usize> = [*lines, *words, *bytes]
                    .iter()
                    .zip(counts.iter())
                    .filter(|(on, _)| **on)
                    .map(|(_, c)| *c)
                    .collect();
                let text = match label {
                    None if selected.len() == 1 => format!("{}", selected[0]),
                    None => selected
                        .iter()
                        .map(|c| format!("{c:>7}"))
                        .collect::<Vec<_>>()
                        .join(" "),
                    Some(name) => {
                        let width = selected
                            .iter()
                            .map(|c| c.to_string().len())
                            .max()
                            .unwrap_or(1);
                        let cols: Vec<String> =
                            selected.iter().map(|c| format!("{c:>width$}")).collect();
                        format!("{} {name}", cols.join(" "))
                    }
                };
                push_chunk(out, Stream::Stdout, &format!("{text}\n"));
            }
            FilterKind::Sort {
                numeric,
                reverse,
                unique,
                lines,
            } => {
                if *numeric {
                    let key = |s: &String| -> f64 {
                        let t = s.trim_start();
                        let end = t
                            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
                            .unwrap_or(t.len());
                        t[..end].parse().unwrap_or(0.0)
                    };
                    lines.sort_by(|a, b| key(a).total_cmp(&key(b)).then_with(|| a.cmp(b)));
                } else {
                    lines.sort();
                }
                if *reverse {
                    lines.reverse();
                }
                if *unique {
                    lines.dedup();
                }
                let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
                push_chunk(out, Stream::Stdout, &text);
            }
            FilterKind::Uniq {
                count,
                repeated,
                unique,
                previous,
                ..
            } => {
                if let Some((prev, n)) = previous.take() {
                    push_chunk(
                        out,
                        Stream::Stdout,
                        &uniq_line(&prev, n, *count, *repeated, *unique),
                    );
                }
            }
            FilterKind::Cat
            | FilterKind::Tr(_)
            | FilterKind::Head { .. }
            | FilterKind::TailFrom { .. }
            | FilterKind::Tee { .. }
            | FilterKind::Cut { .. } => {}
            FilterKind::Awk(awk) => {
                let mut w = super::awk::Written::default();
                self.status = awk.end(&mut w);
                push_chunk(out, Stream::Stdout, &w.out);
                push_chunk(out, Stream::Stderr, &w.err);
            }
            FilterKind::Seq { .. } => {}
        }
    }

    fn seq_step(&mut self, out: &mut Vec<Chunk>) -> Run {
        let FilterKind::Seq {
            first,
            step,
            last,
            index,
            decimals,
        } = &mut self.kind
        else {
            return Run::Exited(0);
        };
        let mut text = String::new();
        for _ in 0..LINES_PER_POLL {
            let value = *first + (*index as f64) * *step;
            let past = if *step > 0.0 {
                value > *last + 1e-9
            } else {
                value < *last - 1e-9
            };
            if past {
                push_chunk(out, Stream::Stdout, &text);
                return Run::Exited(0);
            }
            text.push_str(&format!("{value:.prec$}\n", prec = *decimals));
            *index += 1;
        }
        push_chunk(out, Stream::Stdout, &text);
        Run::Progress
    }
}

/// What uniq prints for a group of `n` equal lines.
fn uniq_line(line: &str, n: usize, count: bool, repeated: bool, unique: bool) -> String {
    if (repeated && n == 1) || (unique && n > 1) {
        String::new()
    } else if count {
        format!("{n:>7} {line}\n")
    } else {
        format!("{line}\n")
    }
}

/// The non-empty matches of `pattern` in `line`, left to right, not overlapping (grep -o).
fn matched_parts(pattern: &Pattern, line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut parts = Vec::new();
    let mut from = 0;
    while from <= chars.len() {
        let Some((start, end)) = pattern.find(line, from) else {
            break;
        };
        // Lower-casing (-i) may change a line's length in characters: stay inside it.
        let (start, end) = (start.min(chars.len()), end.min(chars.len()));
        if end > start {
            parts.push(chars[start..end].iter().collect());
            from = end;
        } else {
            from = start + 1;
        }
    }
    parts
}

/// grep's context options: `-A N`, `-AN`, `--after-context=N` (and `B`, `C`): which, and
/// the number if it is in the same word. Flags before it (`-nA1`) are not taken apart.
fn context_option(arg: &str) -> Option<(char, Option<&str>)> {
    for (long, which) in [
        ("--after-context", 'A'),
        ("--before-context", 'B'),
        ("--context", 'C'),
    ] {
        if let Some(rest) = arg.strip_prefix(long) {
            return match rest.strip_prefix('=') {
                Some(value) => Some((which, Some(value))),
                None if rest.is_empty() => Some((which, None)),
                None => None,
            };
        }
    }
    let rest = arg.strip_prefix('-')?;
    let which = rest
        .chars()
        .next()
        .filter(|c| matches!(c, 'A' | 'B' | 'C'))?;
    let value = &rest[1..];
    Some((which, (!value.is_empty()).then_some(value)))
}

/// `cat`, `grep`, `head`, … : a filter on stdin, or run at once over file arguments.
fn filter(name: &str, args: &[String], u: &mut UtilCx<'_>) -> Utility {
    let (kind, files, name): (FilterKind, Vec<String>, &'static str) = match name {
        "cat" => {
            let (_, operands) = flags_and_operands(args);
            (FilterKind::Cat, operands, "cat")
        }
        // tr reads only its standard input: every operand is a set.
        "tr" => match super::tr::Tr::parse(args) {
            Ok(tr) => return Utility::Filter(Filter::new("tr", FilterKind::Tr(tr))),
            Err(message) => {
                u.eprint(&message);
                return Utility::Done(1);
            }
        },
        "grep" | "egrep" => {
            let mut extended = name == "egrep";
            let mut fixed = false;
            let mut icase = false;
            let mut g = Grep {
                pattern: Pattern::Fixed(String::new(), false),
                invert: false,
                count: false,
                numbers: false,
                quiet: false,
                only_matching_count: 0,
                line_no: 0,
                before: 0,
                after: 0,
                held: VecDeque::new(),
                after_left: 0,
                last_printed: None,
                only: false,
            };
            let mut pattern = None;
            let mut files = Vec::new();
            let mut iter = args.iter();
            while let Some(arg) = iter.next() {
                if arg == "-e" {
                    pattern = iter.next().cloned();
                } else if let Some((which, value)) = context_option(arg) {
                    let value = match value {
                        Some(v) => v.to_string(),
                        None => iter.next().cloned().unwrap_or_default(),
                    };
                    let Ok(lines) = value.parse::<usize>() else {
                        u.eprint(&format!("grep: {value}: invalid context length argument\n"));
                        return Utility::Done(2);
                    };
                    if which != 'B' {
                        g.after = lines;
                    }
                    if which != 'A' {
                        g.before = lines;
                    }
                } else if arg.starts_with("--") {
                    // --color=auto and friends
                } else if arg.len() > 1 && arg.starts_with('-') {
                    for c in arg.chars().skip(1) {
                        match c {
                            'v' => g.invert = true,
                            'i' => icase = true,
                            'c' => g.count = true,
                            'n' => g.numbers = true,
                            'q' | 's' => g.quiet = c == 'q' || g.quiet,
                            'E' => extended = true,
                            'F' => fixed = true,
                            'o' => g.only = true,
                            'w' | 'H' | 'h' => {}
                            other => {
                                u.eprint(&format!(
                                    "grep: invalid option -- '{other}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"
                                ));
                                return Utility::Done(2);
                            }
                        }
                    }
                } else if pattern.is_none() {
                    pattern = Some(arg.clone());
                } else {
                    files.push(arg.clone());
                }
            }
            let Some(pattern) = pattern else {
                u.eprint("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
                return Utility::Done(2);
            };
            g.pattern = match Pattern::new(&pattern, extended, fixed, icase) {
                Ok(p) => p,
                Err(message) => {
                    u.eprint(&format!("grep: {message}\n"));
                    return Utility::Done(2);
                }
            };
            (FilterKind::Grep(g), files, "grep")
        }
        "head" | "tail" => {
            let mut n = 10usize;
            let mut from_line: Option<usize> = None;
            let mut files = Vec::new();
            let mut iter = args.iter();
            while let Some(arg) = iter.next() {
                let count = if arg == "-n" {
                    match iter.next() {
                        Some(v) => v.to_string(),
                        None => {
                            return u
                                .usage(name, "option requires an argument -- 'n'", 1)
                                .unwrap_or(Utility::Done(1))
                        }
                    }
                } else if let Some(v) = arg.strip_prefix("-n") {
                    v.to_string()
                } else if arg.len() > 1
                    && arg.starts_with('-')
                    && arg[1..].chars().all(|c| c.is_ascii_digit())
                {
                    arg[1..].to_string()
                } else if arg.starts_with('-') && arg.len() > 1 {
                    continue; // -f, -q: accepted, ignored
                } else {
                    files.push(arg.clone());
                    continue;
                };
                if let Some(skip) = count.strip_prefix('+') {
                    from_line = skip.parse::<usize>().ok();
                }
                match count.trim_start_matches('+').parse::<usize>() {
                    Ok(v) => n = v,
                    Err(_) => {
                        u.eprint(&format!("{name}: invalid number of lines: ‘{count}’\n"));
                        return Utility::Done(1);
                    }
                }
            }
            if let (Some(from), "tail") = (from_line, name) {
                (
                    FilterKind::TailFrom {
                        skip: from.saturating_sub(1),
                    },
                    files,
                    "tail",
                )
            } else if name == "head" {
                if n == 0 {
                    return Utility::Done(0);
                }
                (FilterKind::Head { left: n }, files, "head")
            } else {
                (
                    FilterKind::Tail {
                        keep: n,
                        lines: VecDeque::new(),
                    },
                    files,
                    "tail",
                )
            }
        }
        "wc" => {
            let (flags, files) = flags_and_operands(args);
            let any = flags.iter().any(|f| matches!(f, 'l' | 'w' | 'c' | 'm'));
            (
                FilterKind::Wc {
                    lines: !any || flags.contains(&'l'),
                    words: !any || flags.contains(&'w'),
                    bytes: !any || flags.contains(&'c') || flags.contains(&'m'),
                    counts: [0; 3],
                    label: files.first().cloned(),
                },
                files,
                "wc",
            )
        }
        "cut" => {
            let mut delimiter = '\t';
            let mut fields: Vec<usize> = Vec::new();
            let mut files = Vec::new();
            let mut words = args.iter();
            while let Some(word) = words.next() {
                let (flag, inline) = match word.as_str() {
                    w if w.starts_with("-d") || w.starts_with("-f") => (&w[..2], &w[2..]),
                    w => {
                        files.push(w.to_string());
                        continue;
                    }
                };
                let value = if inline.is_empty() {
                    words.next().map(String::as_str).unwrap_or("")
                } else {
                    inline
                };
                if flag == "-d" {
                    let mut chars = value.chars();
                    match (chars.next(), chars.next()) {
                        (Some(c), None) => delimiter = c,
                        _ => {
                            u.eprint("cut: the delimiter must be a single character\nTry 'cut --help' for more information.\n");
                            return Utility::Done(1);
                        }
                    }
                } else {
                    for part in value.split(',') {
                        let range: Vec<usize> = match part.split_once('-') {
                            Some((a, b)) => {
                                let a = a.parse().unwrap_or(1);
                                let b = b.parse().unwrap_or(a);
                                (a..=b.min(a + 1000)).collect()
                            }
                            None => part.parse().ok().into_iter().collect(),
                        };
                        if range.is_empty() || range.contains(&0) {
                            u.eprint("cut: fields are numbered from 1\nTry 'cut --help' for more information.\n");
                            return Utility::Done(1);
                        }
                        fields.extend(range);
                    }
                }
            }
            if fields.is_empty() {
                u.eprint("cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n");
                return Utility::Done(1);
            }
            (FilterKind::Cut { delimiter, fields }, files, "cut")
        }
        "awk" => {
            let Some(tools) = super::tools::text_tools() else {
                u.eprint(&format!("{}\n", super::tools::not_loaded("awk")));
                return Utility::Done(2);
            };
            let (mut awk, files) = match tools.awk(args) {
                Ok(parsed) => parsed,
                Err(text) => {
                    u.eprint(&text);
                    return Utility::Done(2);
                }
            };
            let mut w = super::awk::Written::default();
            let done = awk.begin(&mut w);
            u.print(&w.out);
            u.eprint(&w.err);
            if let Some(status) = done {
                return Utility::Done(status);
            }
            (FilterKind::Awk(awk), files, "awk")
        }
        "sort" => {
            let (flags, files) = flags_and_operands(args);
            (
                FilterKind::Sort {
                    numeric: flags.contains(&'n'),
                    reverse: flags.contains(&'r'),
                    unique: flags.contains(&'u'),
                    lines: Vec::new(),
                },
                files,
                "sort",
            )
        }
        "uniq" => {
            let (flags, files) = flags_and_operands(args);
            if let Some(other) = flags.iter().find(|f| !"cdui".contains(**f)) {
                u.eprint(&format!(
                    "uniq: invalid option -- '{other}'\nTry 'uniq --help' for more information.\n"
                ));
                return Utility::Done(1);
            }
            (
                FilterKind::Uniq {
                    count: flags.contains(&'c'),
                    repeated: flags.contains(&'d'),
                    unique: flags.contains(&'u'),
                    ignore_case: flags.contains(&'i'),
                    previous: None,
                },
                files,
                "uniq",
            )
        }
        _ => {
            // tee
            let (flags, files) = flags_and_operands(args);
            let append = flags.contains(&'a');
            let mut paths = Vec::new();
            for file in &files {
                let abs = u.abs(file);
                if !u.fs.parent_exists(&abs) || u.fs.is_dir(&abs) {
                    u.eprint(&format!("tee: {file}: No such file or directory\n"));
                    continue;
                }
                let entry = u.fs.files.entry(abs.clone()).or_default();
                if !append {
                    entry.clear();
                }
                paths.push(abs);
            }
            return Utility::Filter(Filter::new("tee", FilterKind::Tee { paths }));
        }
    };
    let filter = Filter::new(name, kind);
    let files: Vec<String> = files.into_iter().filter(|f| f != "-").collect();
    if files.is_empty() {
        return Utility::Filter(filter);
    }
    // File operands: read them all now and run the filter over them in one go.
    let mut content = String::new();
    let mut status = 0;
    for file in &files {
        let abs = u.abs(file);
        match u.fs.read(&abs) {
            Some(text) => content.push_str(text),
            None if u.fs.is_dir(&abs) => {
                u.eprint(&format!("{name}: {file}: Is a directory\n"));
                status = if name == "grep" { 2 } else { 1 };
            }
            None => {
                let text = match name {
                    "awk" => format!(
                        "awk: fatal: cannot open file `{file}' for reading: No such file or directory\n"
                    ),
                    "head" | "tail" => {
                        format!(
                            "{name}: cannot open '{file}' for reading: No such file or directory\n"
                        )
                    }
                    _ => format!("{name}: {file}: No such file or directory\n"),
                };
                u.eprint(&text);
                status = if name == "grep" || name == "awk" {
                    2
                } else {
                    1
                };
            }
        }
    }
    if status != 0 && content.is_empty() {
        return Utility::Done(status);
    }
    let s = run_over(filter, content, u.out, u.fs);
    Utility::Done(if status != 0 { status } else { s })
}

/// Runs `filter` over `content` at once; its status.
fn run_over(mut filter: Filter, content: String, out: &mut Vec<Chunk>, fs: &mut Vfs) -> i32 {
    let mut input = Input::closed(content);
    let limits = Limits::default();
    loop {
        match filter.poll(&mut input, out, fs, &limits) {
            Run::Exited(s) => return s,
            Run::Progress => continue,
            _ => return 1,
        }
    }
}

/// `sed SCRIPT [FILE…]`, `sed -i` (each file rewritten with what sed prints for it).
fn sed(args: &[String], u: &mut UtilCx<'_>) -> Utility {
    let Some(tools) = super::tools::text_tools() else {
        u.eprint(&format!("{}\n", super::tools::not_loaded("sed")));
        return Utility::Done(4);
    };
    let (program, files) = match tools.sed(args) {
        Ok(parsed) => parsed,
        Err((text, status)) => {
            u.eprint(&text);
            return Utility::Done(status);
        }
    };
    let in_place = program.in_place();
    let filter = Filter::new("sed", FilterKind::Sed(program));
    let files: Vec<String> = files.into_iter().filter(|f| f != "-").collect();
    if files.is_empty() {
        if in_place {
            u.eprint("sed: no input files\n");
            return Utility::Done(4);
        }
        return Utility::Filter(filter);
    }
    let (mut status, mut content) = (0, String::new());
    for file in &files {
        let abs = u.abs(file);
        let Some(text) = u.fs.read(&abs).map(str::to_string) else {
            let why = if u.fs.is_dir(&abs) {
                "read error on {file}: Is a directory"
            } else {
                "can't read {file}: No such file or directory"
            };
            u.eprint(&format!("sed: {}\n", why.replace("{file}", file)));
            status = 2;
            continue;
        };
        if in_place {
            let mut out = Vec::new();
            let s = run_over(filter.clone(), text, &mut out, u.fs);
            let (written, errors): (Vec<Chunk>, Vec<Chunk>) =
                out.into_iter().partition(|c| c.stream == Stream::Stdout);
            let written: String = written.into_iter().map(|c| c.text).collect();
            u.fs.write(&abs, &written);
            u.out.extend(errors);
            status = status.max(s);
        } else {
            content.push_str(&text);
        }
    }
    if in_place || content.is_empty() {
        return Utility::Done(status);
    }
    let s = run_over(filter, content, u.out, u.fs);
    Utility::Done(status.max(s))
}

// ---------------------------------------------------------------------------------------------
// grep's patterns: a fixed string (-F) or a regular expression (`super::regex`'s, through the
// text tools: `super::tools`).

#[derive(Clone, Debug)]
enum Pattern {
    Fixed(String, bool),
    Regex(Box<dyn super::tools::Matcher>),
}

impl Pattern {
    fn new(
        pattern: &str,
        extended: bool,
        fixed: bool,
        icase: bool,
    ) -> Result<Pattern, &'static str> {
        if fixed {
            let p = if icase {
                pattern.to_lowercase()
            } else {
                pattern.to_string()
            };
            return Ok(Pattern::Fixed(p, icase));
        }
        // In the page, the engine is the text tools' module (which the page loaded before a
        // line naming grep ran).
        match super::tools::text_tools() {
            Some(tools) => tools.regex(pattern, extended, icase).map(Pattern::Regex),
            None => Err("the text tools (regular expressions) could not be loaded yet; run the line again (or reload the page)"),
        }
    }

    fn matches(&self, line: &str) -> bool {
        match self {
            Pattern::Fixed(p, true) => line.to_lowercase().contains(p.as_str()),
            Pattern::Fixed(p, false) => line.contains(p.as_str()),
            Pattern::Regex(re) => re.is_match(line),
        }
    }

    /// The leftmost match in `line` at or after character `from`, as a character range.
    fn find(&self, line: &str, from: usize) -> Option<(usize, usize)> {
        match self {
            Pattern::Fixed(p, icase) => {
                let text: Vec<char> = if *icase {
                    line.to_lowercase().chars().collect()
                } else {
                    line.chars().collect()
                };
                let needle: Vec<char> = p.chars().collect();
                (from..=text.len())
                    .find(|&i| text[i..].starts_with(&needle))
                    .map(|i| (i, i + needle.len()))
            }
            Pattern::Regex(re) => {
                let text: Vec<char> = line.chars().collect();
                re.find_at(&text, from)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grep(p: &str, extended: bool, line: &str) -> bool {
        Pattern::new(p, extended, false, false)
            .unwrap()
            .matches(line)
    }

    #[test]
    fn grep_patterns_cover_what_students_type() {
        assert!(grep("v1.1", false, "iKubernetes demoapp v1.1 !!"));
        assert!(!grep("v1.1", false, "iKubernetes demoapp v1.0 !!"));
        assert!(grep("^deploy", false, "deployment-demo-1"));
        assert!(!grep("^deploy", false, "a deployment"));
        assert!(grep("Running$", false, "pod 1/1 Running"));
        assert!(grep("v1.0|v1.1", true, "x v1.1"));
        assert!(grep("v1\\.0\\|v1\\.1", false, "x v1.1"));
        assert!(grep("de*mo", false, "dmo"));
        assert!(grep("[0-9]+/[0-9]+", true, "pod 1/1"));
        assert!(Pattern::new("RUNNING", false, false, true)
            .unwrap()
            .matches("Running"));
    }

    #[test]
    fn durations_accept_decimals_and_units() {
        assert_eq!(parse_duration_ms(".5"), Some(500));
        assert_eq!(parse_duration_ms("1"), Some(1000));
        assert_eq!(parse_duration_ms("2m"), Some(120_000));
        assert_eq!(parse_duration_ms("abc"), None);
        assert_eq!(parse_duration_ms("-1"), None);
    }
}
