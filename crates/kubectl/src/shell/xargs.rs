//! GNU `xargs`' arguments and input: `-n N`, `-L N`, `-I R` (`-i`), `-r`, `-t`, `-0`, and the
//! default command `echo`. Items are split at blanks and newlines, with `'…'`, `"…"` and `\`
//! quoting as GNU does (`-0`: at NUL; `-I`: one item a line). The interpreter (`exec`) runs
//! the command lines this gives, one after another, as its own commands (so `kubectl get pods
//! -o name | xargs kubectl delete` reaches the cluster), each with an empty standard input.

#[derive(Clone, Debug)]
pub(crate) struct Xargs {
    command: Vec<String>,
    max_args: Option<usize>,
    max_lines: Option<usize>,
    replace: Option<String>,
    no_run_if_empty: bool,
    pub(crate) trace: bool,
    nul: bool,
}

const TRY: &str = "Try 'xargs --help' for more information.\n";

impl Xargs {
    /// Parses xargs' options, or its message (status 1).
    pub(crate) fn parse(args: &[String]) -> Result<Xargs, String> {
        let mut x = Xargs {
            command: Vec::new(),
            max_args: None,
            max_lines: None,
            replace: None,
            no_run_if_empty: false,
            trace: false,
            nul: false,
        };
        let mut i = 0;
        while i < args.len() {
            let arg = args[i].as_str();
            if !arg.starts_with('-') || arg == "-" {
                break;
            }
            i += 1;
            if arg == "--" {
                break;
            }
            let (flag, inline) = match arg.strip_prefix("--") {
                Some("no-run-if-empty") => ('r', ""),
                Some("verbose") => ('t', ""),
                Some("null") => ('0', ""),
                Some(long) => {
                    return Err(format!("xargs: unrecognized option '--{long}'\n{TRY}"));
                }
                None => {
                    let mut chars = arg[1..].chars();
                    let flag = chars.next().unwrap_or('-');
                    (flag, chars.as_str())
                }
            };
            let mut value = |needed: bool| -> Result<Option<String>, String> {
                if !inline.is_empty() {
                    return Ok(Some(inline.to_string()));
                }
                if !needed {
                    return Ok(None);
                }
                let v = args.get(i).cloned().ok_or_else(|| {
                    format!("xargs: option requires an argument -- '{flag}'\n{TRY}")
                })?;
                i += 1;
                Ok(Some(v))
            };
            let number = |v: Option<String>, f: char| -> Result<usize, String> {
                let v = v.unwrap_or_default();
                match v.parse::<usize>() {
                    Ok(n) if n > 0 => Ok(n),
                    Ok(_) => Err(format!(
                        "xargs: value {v} for -{f} option should be >= 1\n{TRY}"
                    )),
                    Err(_) => Err(format!(
                        "xargs: invalid number \"{v}\" for -{f} option\n{TRY}"
                    )),
                }
            };
            match flag {
                'n' => x.max_args = Some(number(value(true)?, 'n')?),
                'L' => x.max_lines = Some(number(value(true)?, 'L')?),
                'I' => x.replace = value(true)?,
                'i' => x.replace = Some(value(false)?.unwrap_or_else(|| "{}".into())),
                'r' => x.no_run_if_empty = true,
                't' => x.trace = true,
                '0' => x.nul = true,
                'P' | 's' | 'd' | 'a' | 'E' => {
                    value(true)?;
                }
                other => return Err(format!("xargs: invalid option -- '{other}'\n{TRY}")),
            }
        }
        x.command = args[i..].to_vec();
        if x.command.is_empty() {
            x.command.push("echo".into());
        }
        Ok(x)
    }

    /// The items of the input, each with whether a line ended after it.
    fn items(&self, input: &str) -> Result<Vec<(String, bool)>, String> {
        if self.nul {
            return Ok(input
                .split('\0')
                .filter(|s| !s.is_empty())
                .map(|s| (s.to_string(), true))
                .collect());
        }
        if self.replace.is_some() {
            return Ok(input
                .lines()
                .map(str::trim_start)
                .filter(|l| !l.is_empty())
                .map(|l| (l.to_string(), true))
                .collect());
        }
        let mut items = Vec::new();
        let mut word: Option<String> = None;
        let mut chars = input.chars();
        while let Some(c) = chars.next() {
            match c {
                ' ' | '\t' | '\n' => {
                    if let Some(w) = word.take() {
                        items.push((w, c == '\n'));
                    } else if c == '\n' {
                        if let Some(last) = items.last_mut() {
                            last.1 = true;
                        }
                    }
                }
                '\'' | '"' => {
                    let w = word.get_or_insert_with(String::new);
                    loop {
                        match chars.next() {
                            Some(q) if q == c => break,
                            Some('\n') | None => {
                                let which = if c == '\'' { "single" } else { "double" };
                                return Err(format!("xargs: unmatched {which} quote; by default quotes are special to xargs unless you use the -0 option\n"));
                            }
                            Some(other) => w.push(other),
                        }
                    }
                }
                '\\' => {
                    if let Some(n) = chars.next() {
                        word.get_or_insert_with(String::new).push(n);
                    }
                }
                other => word.get_or_insert_with(String::new).push(other),
            }
        }
        if let Some(w) = word {
            items.push((w, true));
        }
        Ok(items)
    }

    /// The command lines to run, in order, or xargs' message for bad input. `more`: an
    /// earlier batch of the same input ran already.
    pub(crate) fn commands(&self, input: &str, more: bool) -> Result<Vec<Vec<String>>, String> {
        let items = self.items(input)?;
        if items.is_empty() {
            return Ok(if self.no_run_if_empty || self.replace.is_some() || more {
                Vec::new()
            } else {
                vec![self.command.clone()]
            });
        }
        if let Some(r) = &self.replace {
            return Ok(items
                .iter()
                .map(|(item, _)| {
                    self.command
                        .iter()
                        .map(|w| w.replace(r.as_str(), item))
                        .collect()
                })
                .collect());
        }
        let mut commands = Vec::new();
        let mut current: Vec<String> = Vec::new();
        let mut lines = 0;
        for (item, line_end) in items {
            current.push(item);
            lines += usize::from(line_end);
            let full = self.max_args.is_some_and(|n| current.len() >= n)
                || self.max_lines.is_some_and(|n| lines >= n)
                || current.len() >= 5000;
            if full {
                commands.push([self.command.clone(), std::mem::take(&mut current)].concat());
                lines = 0;
            }
        }
        if !current.is_empty() {
            commands.push([self.command.clone(), current].concat());
        }
        Ok(commands)
    }
}

/// A word as the shell reads it back unchanged.
pub(crate) fn quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./=:,@%+".contains(c))
    {
        return word.to_string();
    }
    format!("'{}'", word.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmds(args: &[&str], input: &str) -> Result<Vec<String>, String> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let x = Xargs::parse(&args)?;
        Ok(x.commands(input, false)?
            .iter()
            .map(|c| c.join(" "))
            .collect())
    }

    // As GNU xargs 4.9 builds them.
    #[test]
    fn xargs_builds_gnus_command_lines() {
        let pods = "pod/web-1\npod/web-2\npod/db-1\n";
        assert_eq!(
            cmds(&["kubectl", "delete"], pods).unwrap(),
            ["kubectl delete pod/web-1 pod/web-2 pod/db-1"]
        );
        assert_eq!(
            cmds(&["-n", "2"], pods).unwrap(),
            ["echo pod/web-1 pod/web-2", "echo pod/db-1"]
        );
        assert_eq!(
            cmds(&["-I{}", "echo", "<{}>"], "a b\n  c\n").unwrap(),
            ["echo <a b>", "echo <c>"]
        );
        assert_eq!(
            cmds(&["-L", "1"], "a b\nc\n").unwrap(),
            ["echo a b", "echo c"]
        );
        assert_eq!(cmds(&[], "'a b' \"c\" d\\ e").unwrap(), ["echo a b c d e"]);
        assert_eq!(cmds(&["echo", "hi"], "").unwrap(), ["echo hi"]);
        assert!(cmds(&["-r", "echo", "hi"], " \n").unwrap().is_empty());
        assert_eq!(
            cmds(&[], "a'b\n").unwrap_err(),
            "xargs: unmatched single quote; by default quotes are special to xargs unless you use the -0 option\n"
        );
        assert_eq!(
            cmds(&["-n", "x"], "").unwrap_err(),
            "xargs: invalid number \"x\" for -n option\nTry 'xargs --help' for more information.\n"
        );
        assert_eq!(quote("it's"), "'it'\\''s'");
    }
}
