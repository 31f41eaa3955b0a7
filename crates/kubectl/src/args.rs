//! Command-line flags the way kubectl's flag library (pflag) reads them: `--flag=value`,
//! `--flag value`, `-n value`, `-nvalue`, combined booleans (`-it`), flags anywhere among the
//! arguments, and `--` to stop. Errors carry pflag's exact words.

use crate::error::KubectlError;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagKind {
    /// `--watch`, `--watch=true`.
    Bool,
    /// Takes a value; may repeat (`-f a -f b`).
    Value,
}

#[derive(Clone, Copy, Debug)]
pub struct Flag {
    pub long: &'static str,
    pub short: Option<char>,
    pub kind: FlagKind,
}

pub const fn value(long: &'static str, short: Option<char>) -> Flag {
    Flag {
        long,
        short,
        kind: FlagKind::Value,
    }
}

pub const fn boolean(long: &'static str, short: Option<char>) -> Flag {
    Flag {
        long,
        short,
        kind: FlagKind::Bool,
    }
}

/// Flags every kubectl command accepts.
pub const GLOBAL_FLAGS: &[Flag] = &[
    value("namespace", Some('n')),
    value("context", None),
    value("kubeconfig", None),
    value("cluster", None),
    value("user", None),
    value("v", Some('v')),
    value("request-timeout", None),
];

/// Parsed arguments: positionals in order, flag values by long name, and what followed `--`.
#[derive(Clone, Debug, Default)]
pub struct Args {
    pub positional: Vec<String>,
    values: BTreeMap<&'static str, Vec<String>>,
    /// Everything after `--` (the command of `kubectl run` / `exec`).
    pub after_dash: Option<Vec<String>>,
}

impl Args {
    /// The last value given for a flag.
    pub fn value(&self, long: &str) -> Option<&str> {
        self.values
            .get(long)
            .and_then(|v| v.last())
            .map(String::as_str)
    }

    /// Every value given for a repeatable flag, split on commas for list flags.
    pub fn values(&self, long: &str) -> Vec<&str> {
        self.values
            .get(long)
            .map(|v| v.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    pub fn is_set(&self, long: &str) -> bool {
        self.values.contains_key(long)
    }

    /// A boolean flag: set without value, or `=true`.
    pub fn flag(&self, long: &str) -> bool {
        self.value(long).is_some_and(|v| v == "true")
    }

    pub fn namespace(&self) -> &str {
        self.value("namespace").unwrap_or("default")
    }

    /// An integer flag, with pflag's parse error.
    pub fn int(&self, command: &str, long: &str, shown: &str) -> Result<Option<i64>, KubectlError> {
        let Some(text) = self.value(long) else {
            return Ok(None);
        };
        text.parse::<i64>().map(Some).map_err(|err| {
            let why = if matches!(err.kind(), std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow) {
                "value out of range"
            } else {
                "invalid syntax"
            };
            KubectlError::flag(
                command,
                format!("invalid argument \"{text}\" for \"{shown}\" flag: strconv.ParseInt: parsing \"{text}\": {why}"),
            )
        })
    }
}

impl Args {
    /// A pflag duration flag (`--timeout=30s`) in milliseconds, with pflag's error for a
    /// value `time.ParseDuration` refuses.
    pub fn duration(&self, command: &str, long: &str) -> Result<Option<i64>, KubectlError> {
        let Some(text) = self.value(long) else {
            return Ok(None);
        };
        parse_go_duration(text).map(Some).map_err(|why| {
            KubectlError::flag(
                command,
                format!("invalid argument \"{text}\" for \"--{long}\" flag: {why}"),
            )
        })
    }
}

/// Go's `time.ParseDuration` (pflag's duration flags), in milliseconds.
pub fn parse_go_duration(text: &str) -> Result<i64, String> {
    rollout_sim::clock::Duration::parse_go(text).map(|d| d.millis())
}

/// Parses `argv` (after the verb) against the command's flags plus the global ones.
/// `command` is the command path for error hints (`kubectl get`).
pub fn parse(command: &str, argv: &[String], flags: &[Flag]) -> Result<Args, KubectlError> {
    parse_with_globals(command, argv, flags, GLOBAL_FLAGS)
}

/// [`parse`] for a program with its own persistent flags instead of kubectl's (a kubectl
/// plugin: same pflag rules, different global flags).
pub fn parse_with_globals(
    command: &str,
    argv: &[String],
    flags: &[Flag],
    globals: &[Flag],
) -> Result<Args, KubectlError> {
    let all = || flags.iter().chain(globals);
    let by_long = |name: &str| all().find(|f| f.long == name).copied();
    let by_short = |c: char| all().find(|f| f.short == Some(c)).copied();
    let mut args = Args::default();
    let mut i = 0;
    while i < argv.len() {
        let arg = &argv[i];
        i += 1;
        if arg == "--" {
            args.after_dash = Some(argv[i..].to_vec());
            break;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((name, value)) => (name, Some(value.to_string())),
                None => (long, None),
            };
            let Some(flag) = by_long(name) else {
                return Err(KubectlError::flag(
                    command,
                    format!("unknown flag: --{name}"),
                ));
            };
            let value = match (flag.kind, inline) {
                (FlagKind::Bool, Some(value)) => bool_value(command, &flag, &value)?,
                (FlagKind::Bool, None) => "true".to_string(),
                (FlagKind::Value, Some(value)) => value,
                (FlagKind::Value, None) => match argv.get(i) {
                    Some(next) => {
                        i += 1;
                        next.clone()
                    }
                    None => {
                        return Err(KubectlError::flag(
                            command,
                            format!("flag needs an argument: --{name}"),
                        ))
                    }
                },
            };
            args.values.entry(flag.long).or_default().push(value);
            continue;
        }
        if arg.len() > 1 && arg.starts_with('-') && !is_number(arg) {
            let shorts: Vec<char> = arg[1..].chars().collect();
            let mut j = 0;
            while j < shorts.len() {
                let c = shorts[j];
                let Some(flag) = by_short(c) else {
                    return Err(KubectlError::flag(
                        command,
                        format!("unknown shorthand flag: '{c}' in {arg}"),
                    ));
                };
                let rest: String = shorts[j + 1..].iter().collect();
                match flag.kind {
                    FlagKind::Bool => {
                        let value = match rest.strip_prefix('=') {
                            Some(value) => {
                                j = shorts.len();
                                bool_value(command, &flag, value)?
                            }
                            None => "true".to_string(),
                        };
                        args.values.entry(flag.long).or_default().push(value);
                        j += 1;
                    }
                    FlagKind::Value => {
                        let value = if !rest.is_empty() {
                            rest.strip_prefix('=').unwrap_or(&rest).to_string()
                        } else if let Some(next) = argv.get(i) {
                            i += 1;
                            next.clone()
                        } else {
                            return Err(KubectlError::flag(
                                command,
                                format!("flag needs an argument: '{c}' in {arg}"),
                            ));
                        };
                        args.values.entry(flag.long).or_default().push(value);
                        j = shorts.len();
                    }
                }
            }
            continue;
        }
        args.positional.push(arg.clone());
    }
    Ok(args)
}

/// The edit distance cobra's "Did you mean this?" suggestions use (at most 2).
pub fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

fn is_number(arg: &str) -> bool {
    arg[1..].chars().all(|c| c.is_ascii_digit() || c == '.') && arg.len() > 1
}

fn bool_value(command: &str, flag: &Flag, value: &str) -> Result<String, KubectlError> {
    match value {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Ok("true".into()),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Ok("false".into()),
        _ => {
            let shown = match flag.short {
                Some(c) => format!("-{c}, --{}", flag.long),
                None => format!("--{}", flag.long),
            };
            Err(KubectlError::flag(
                command,
                format!("invalid argument \"{value}\" for \"{shown}\" flag: strconv.ParseBool: parsing \"{value}\": invalid syntax"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    const FLAGS: &[Flag] = &[
        value("output", Some('o')),
        boolean("watch", Some('w')),
        boolean("stdin", Some('i')),
        boolean("tty", Some('t')),
        value("replicas", None),
    ];

    #[test]
    fn flags_go_anywhere_and_take_values_in_every_spelling() {
        let args = parse(
            "kubectl get",
            &argv("pods -o wide -n kube-system --watch x"),
            FLAGS,
        )
        .unwrap();
        assert_eq!(args.positional, vec!["pods", "x"]);
        assert_eq!(args.value("output"), Some("wide"));
        assert_eq!(args.namespace(), "kube-system");
        assert!(args.flag("watch"));
        let args = parse("kubectl get", &argv("-owide --replicas=3 -it"), FLAGS).unwrap();
        assert_eq!(args.value("output"), Some("wide"));
        assert_eq!(args.value("replicas"), Some("3"));
        assert!(args.flag("stdin") && args.flag("tty"));
    }

    #[test]
    fn a_double_dash_ends_the_flags() {
        let args = parse("kubectl run", &argv("client -it -- /bin/bash -c ls"), FLAGS).unwrap();
        assert_eq!(args.after_dash, Some(argv("/bin/bash -c ls")));
    }

    #[test]
    fn flag_errors_use_pflags_words() {
        let err = |line: &str| {
            parse("kubectl get", &argv(line), FLAGS)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err("--frob"),
            "error: unknown flag: --frob\nSee 'kubectl get --help' for usage."
        );
        assert_eq!(
            err("-z"),
            "error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for usage."
        );
        assert_eq!(
            err("-itz"),
            "error: unknown shorthand flag: 'z' in -itz\nSee 'kubectl get --help' for usage."
        );
        assert_eq!(
            err("--replicas"),
            "error: flag needs an argument: --replicas\nSee 'kubectl get --help' for usage."
        );
        assert_eq!(
            err("-n"),
            "error: flag needs an argument: 'n' in -n\nSee 'kubectl get --help' for usage."
        );
        assert_eq!(
            err("--watch=maybe"),
            "error: invalid argument \"maybe\" for \"-w, --watch\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\nSee 'kubectl get --help' for usage."
        );
    }
}
