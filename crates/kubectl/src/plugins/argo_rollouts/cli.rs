//! The plugin's command line, read the way its libraries read it: cobra v1.9.1 finds the
//! command (`Find`, `stripFlags`, the root's `legacyArgs`), pflag v1.0.6 parses the flags,
//! and the plugin's own `UsageErr` answers a wrong number of arguments.
//!
//! The command tree is below; each command's flags are read from its help text (the
//! `Flags:` block), so help and parsing cannot disagree.

use super::help;
use crate::args::{self, Args, Flag, FlagKind};
use crate::error::KubectlError;
use crate::Output;
use std::collections::BTreeMap;

/// What a command does once found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// A command that only groups others: run alone, it prints its usage (`UsageErr`).
    Group,
    Abort,
    GetRollout,
    GetExperiment,
    ListRollouts,
    ListExperiments,
    Pause,
    Promote,
    Restart,
    RetryRollout,
    RetryExperiment,
    SetImage,
    Status,
    TerminateAnalysisRun,
    TerminateExperiment,
    Undo,
    Version,
    /// cobra's `help [command]`.
    Help,
    /// Commands the lab does not simulate (`create`, `lint`, `dashboard`, …).
    NotSimulated,
}

/// One cobra command.
#[derive(Debug)]
pub struct Command {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    /// Its `-h` output; `None` for the commands whose help is not in the data.
    pub help: Option<&'static str>,
    pub action: Action,
    pub subcommands: &'static [Command],
    /// Flags the help does not list (deprecated ones are hidden).
    pub hidden_flags: &'static [Flag],
}

const fn command(
    name: &'static str,
    aliases: &'static [&'static str],
    help: &'static str,
    action: Action,
) -> Command {
    Command {
        name,
        aliases,
        help: Some(help),
        action,
        subcommands: &[],
        hidden_flags: &[],
    }
}

const fn group(name: &'static str, help: &'static str, subcommands: &'static [Command]) -> Command {
    Command {
        name,
        aliases: &[],
        help: Some(help),
        action: Action::Group,
        subcommands,
        hidden_flags: &[],
    }
}

const fn not_simulated_command(name: &'static str, help: Option<&'static str>) -> Command {
    Command {
        name,
        aliases: &[],
        help,
        action: Action::NotSimulated,
        subcommands: &[],
        hidden_flags: &[],
    }
}

/// `promote`'s `-c/--skip-current-step` and `-a/--skip-all-steps`: deprecated and hidden.
const PROMOTE_HIDDEN: &[Flag] = &[
    args::boolean("skip-current-step", Some('c')),
    args::boolean("skip-all-steps", Some('a')),
];

/// `kubectl-argo-rollouts` and its subcommands, in the order cobra lists them (by name).
pub static ROOT: Command = Command {
    name: "kubectl-argo-rollouts",
    aliases: &[],
    help: Some(help::ROOT),
    action: Action::Group,
    subcommands: &[
        command("abort", &[], help::ABORT, Action::Abort),
        not_simulated_command("completion", None),
        Command {
            subcommands: &[Command {
                aliases: &["ar"],
                ..not_simulated_command("analysisrun", Some(help::CREATE_ANALYSISRUN))
            }],
            ..not_simulated_command("create", Some(help::CREATE))
        },
        not_simulated_command("dashboard", Some(help::DASHBOARD)),
        group(
            "get",
            help::GET,
            &[
                command(
                    "experiment",
                    &["exp", "experiments"],
                    help::GET_EXPERIMENT,
                    Action::GetExperiment,
                ),
                command(
                    "rollout",
                    &["ro", "rollouts"],
                    help::GET_ROLLOUT,
                    Action::GetRollout,
                ),
            ],
        ),
        Command {
            action: Action::Help,
            ..not_simulated_command("help", None)
        },
        not_simulated_command("lint", Some(help::LINT)),
        group(
            "list",
            help::LIST,
            &[
                command(
                    "experiments",
                    &["exp", "experiment"],
                    help::LIST_EXPERIMENTS,
                    Action::ListExperiments,
                ),
                command(
                    "rollouts",
                    &["ro", "rollout"],
                    help::LIST_ROLLOUTS,
                    Action::ListRollouts,
                ),
            ],
        ),
        not_simulated_command("notifications", None),
        command("pause", &[], help::PAUSE, Action::Pause),
        Command {
            hidden_flags: PROMOTE_HIDDEN,
            ..command("promote", &[], help::PROMOTE, Action::Promote)
        },
        command("restart", &[], help::RESTART, Action::Restart),
        group(
            "retry",
            help::RETRY,
            &[
                command(
                    "experiment",
                    &["exp", "experiments"],
                    help::RETRY_EXPERIMENT,
                    Action::RetryExperiment,
                ),
                command(
                    "rollout",
                    &["ro", "rollouts"],
                    help::RETRY_ROLLOUT,
                    Action::RetryRollout,
                ),
            ],
        ),
        group(
            "set",
            help::SET,
            &[command("image", &[], help::SET_IMAGE, Action::SetImage)],
        ),
        command("status", &[], help::STATUS, Action::Status),
        group(
            "terminate",
            help::TERMINATE,
            &[
                command(
                    "analysisrun",
                    &["ar", "analysisruns"],
                    help::TERMINATE_ANALYSISRUN,
                    Action::TerminateAnalysisRun,
                ),
                command(
                    "experiment",
                    &["exp", "experiments"],
                    help::TERMINATE_EXPERIMENT,
                    Action::TerminateExperiment,
                ),
            ],
        ),
        command("undo", &[], help::UNDO, Action::Undo),
        command("version", &[], help::VERSION, Action::Version),
    ],
    hidden_flags: &[],
};

/// A flag and the value type pflag shows after its name in the help (`string`, `int`,
/// `duration`, `stringArray`; empty for booleans).
#[derive(Clone, Debug)]
pub struct FlagInfo {
    pub flag: Flag,
    pub type_word: &'static str,
}

impl FlagInfo {
    /// How pflag names the flag in its errors: `-t, --timeout` or `--to-revision`.
    pub fn shown(&self) -> String {
        match self.flag.short {
            Some(c) => format!("-{c}, --{}", self.flag.long),
            None => format!("--{}", self.flag.long),
        }
    }
}

/// The flags listed in one block of a help text (`Flags:` or `Global Flags:`): lines of
/// `  -x, --name type   usage` or `      --name type   usage`, up to the blank line.
fn flags_in_block(help: &'static str, heading: &str) -> Vec<FlagInfo> {
    let mut flags = Vec::new();
    let Some(start) = help.find(&format!("\n{heading}\n")) else {
        return flags;
    };
    let block = &help[start + heading.len() + 2..];
    for line in block.lines() {
        let Some(rest) = line.strip_prefix("  ") else {
            break;
        };
        let rest = rest.trim_start();
        let (short, rest) = match rest.strip_prefix('-') {
            Some(after) if !after.starts_with('-') => {
                let short = after.chars().next();
                let skip = short.map_or(0, char::len_utf8) + 2;
                (short, after.get(skip..).unwrap_or(""))
            }
            _ => (None, rest),
        };
        let Some(rest) = rest.strip_prefix("--") else {
            continue;
        };
        let mut words = rest.split(' ');
        let long = words.next().unwrap_or("");
        let type_word = words.next().unwrap_or("");
        flags.push(FlagInfo {
            flag: Flag {
                long,
                short,
                kind: if type_word.is_empty() {
                    FlagKind::Bool
                } else {
                    FlagKind::Value
                },
            },
            type_word,
        });
    }
    flags
}

impl Command {
    fn is_root(&self) -> bool {
        std::ptr::eq(self, &ROOT)
    }

    /// The command's own flags, `-h` included.
    pub fn local_flags(&self) -> Vec<FlagInfo> {
        let help_flag = || FlagInfo {
            flag: args::boolean("help", Some('h')),
            type_word: "",
        };
        let mut flags = match self.help {
            // The root lists its persistent flags under `Flags:`.
            Some(_) if self.is_root() => vec![help_flag()],
            Some(help) => flags_in_block(help, "Flags:"),
            None => vec![help_flag()],
        };
        flags.extend(self.hidden_flags.iter().map(|flag| FlagInfo {
            flag: *flag,
            type_word: "",
        }));
        flags
    }

    fn find_next(&'static self, name: &str) -> Option<&'static Command> {
        self.subcommands
            .iter()
            .find(|c| c.name == name || c.aliases.contains(&name))
    }
}

/// The root's persistent flags (kubectl's connection flags, `--kloglevel`, `--loglevel`),
/// inherited by every command.
pub fn global_flags() -> Vec<FlagInfo> {
    flags_in_block(help::ROOT, "Flags:")
        .into_iter()
        .filter(|f| f.flag.long != "help")
        .collect()
}

/// A command found and its flags parsed.
pub struct Invocation {
    pub command: &'static Command,
    /// `kubectl-argo-rollouts get rollout`.
    pub path: String,
    pub args: Args,
    /// Every flag the command accepts, with its type.
    pub flags: Vec<FlagInfo>,
}

impl Invocation {
    pub fn positional(&self) -> &[String] {
        &self.args.positional
    }

    /// `-n`, else the kubeconfig context's namespace (`default` in the lab).
    pub fn namespace(&self) -> String {
        self.args.namespace().to_string()
    }
}

/// cobra's `Error: <message>` on stderr.
pub fn error(message: impl std::fmt::Display) -> KubectlError {
    KubectlError::Verbatim(format!("Error: {message}"))
}

/// The plugin's `UsageErr`: the command's usage on stderr, exit 1, nothing else.
pub fn usage_error(
    command: &Command,
    env: &BTreeMap<String, String>,
    out: &mut Output,
) -> KubectlError {
    if let Some(text) = command.help {
        out.stderr.push_str(&help::usage(text, env));
    }
    KubectlError::Silent
}

/// How `argv` resolves: the command and its flags, or `None` when help was printed.
pub fn parse(
    argv: &[String],
    env: &BTreeMap<String, String>,
    out: &mut Output,
) -> Result<Option<Invocation>, KubectlError> {
    let globals = global_flags();
    // cobra's `Find`: walk down the tree by the first non-flag argument of each level.
    let mut command: &'static Command = &ROOT;
    let mut path = ROOT.name.to_string();
    let mut rest: Vec<String> = argv.to_vec();
    loop {
        let positional = strip_flags(&rest, &all_flags(command, &globals));
        let Some(next) = positional.first() else {
            break;
        };
        let Some(found) = command.find_next(next) else {
            break;
        };
        if let Some(at) = rest.iter().position(|a| a == next) {
            rest.remove(at);
        }
        command = found;
        path = format!("{path} {}", found.name);
    }
    // `legacyArgs`: only the root rejects an unknown subcommand.
    if command.is_root() {
        if let Some(typed) = strip_flags(&rest, &all_flags(command, &globals)).first() {
            return Err(unknown_command(typed));
        }
    }
    if command.action == Action::Help {
        help_command(&rest, env, out);
        return Ok(None);
    }
    let mut flags = command.local_flags();
    flags.extend(globals);
    let plain: Vec<Flag> = flags.iter().map(|f| f.flag).collect();
    let args = args::parse_with_globals(&path, &rest, &plain, &[]).map_err(|err| match err {
        KubectlError::Flag { message, .. } => error(message),
        other => other,
    })?;
    if args.flag("help") {
        match command.help {
            Some(text) => out.stdout.push_str(&help::help(text, env)),
            None => return Err(not_simulated(&path)),
        }
        return Ok(None);
    }
    let invocation = Invocation {
        command,
        path,
        args,
        flags,
    };
    check_typed_flags(&invocation)?;
    Ok(Some(invocation))
}

fn all_flags(command: &Command, globals: &[FlagInfo]) -> Vec<Flag> {
    command
        .local_flags()
        .iter()
        .chain(globals)
        .map(|f| f.flag)
        .collect()
}

/// cobra's `stripFlags`: the arguments that are not flags or flag values. A `--flag value`
/// pair is skipped when the flag is not a boolean (unknown flags count as taking a value).
fn strip_flags(argv: &[String], flags: &[Flag]) -> Vec<String> {
    let is_bool = |name: &str| {
        flags
            .iter()
            .any(|f| f.long == name && f.kind == FlagKind::Bool)
    };
    let is_bool_short = |name: &str| {
        let c = name.chars().next();
        flags
            .iter()
            .any(|f| f.short == c && f.kind == FlagKind::Bool)
    };
    let mut commands = Vec::new();
    let mut i = 0;
    while i < argv.len() {
        let s = argv[i].as_str();
        i += 1;
        if s == "--" {
            break;
        }
        let long_with_value = s.starts_with("--") && !s.contains('=') && !is_bool(&s[2..]);
        let short_with_value = s.starts_with('-')
            && !s.starts_with("--")
            && !s.contains('=')
            && s.chars().count() == 2
            && !is_bool_short(&s[1..]);
        if long_with_value || short_with_value {
            if argv.len() - i <= 1 {
                break;
            }
            i += 1;
            continue;
        }
        if !s.is_empty() && !s.starts_with('-') {
            commands.push(s.to_string());
        }
    }
    commands
}

/// `Error: unknown command "promot" for "kubectl-argo-rollouts"`, with cobra's suggestions
/// (edit distance 2, or a prefix).
fn unknown_command(typed: &str) -> KubectlError {
    let mut text = format!(
        "Error: unknown command {} for \"kubectl-argo-rollouts\"",
        rollout_sim::api::go_quote(typed)
    );
    let lower = typed.to_ascii_lowercase();
    let suggestions: Vec<&str> = ROOT
        .subcommands
        .iter()
        .map(|c| c.name)
        .filter(|name| args::levenshtein(&lower, name) <= 2 || name.starts_with(&lower))
        .collect();
    if !suggestions.is_empty() {
        text.push_str("\n\nDid you mean this?\n");
        for name in suggestions {
            text.push_str(&format!("\t{name}\n"));
        }
    }
    text.push_str("\nRun 'kubectl-argo-rollouts --help' for usage.");
    KubectlError::Verbatim(text)
}

/// cobra's `help [command]`: the help of the deepest command named (stdout). A first name
/// that is no command is an unknown topic, reported with the root's usage on stderr.
fn help_command(argv: &[String], env: &BTreeMap<String, String>, out: &mut Output) {
    let mut command: &'static Command = &ROOT;
    for name in argv.iter().filter(|a| !a.starts_with('-')) {
        match command.find_next(name) {
            Some(found) => command = found,
            None if command.is_root() => {
                let topics: Vec<String> = argv.iter().map(|a| format!("`{a}`")).collect();
                out.stderr
                    .push_str(&format!("Unknown help topic [{}]\n", topics.join(" ")));
                out.stderr.push_str(&help::usage(help::ROOT, env));
                return;
            }
            None => break,
        }
    }
    if let Some(text) = command.help {
        out.stdout.push_str(&help::help(text, env));
    }
}

/// What the lab says about a command of the real plugin it does not model.
pub fn not_simulated(path: &str) -> KubectlError {
    let shown = path.replacen("kubectl-argo-rollouts", "kubectl argo rollouts", 1);
    error(format!(
        "\"{shown}\" is not simulated in Rollout Lab (it works on a real cluster)"
    ))
}

/// pflag checks a typed flag's value as it parses it.
fn check_typed_flags(invocation: &Invocation) -> Result<(), KubectlError> {
    for info in &invocation.flags {
        let Some(text) = invocation.args.value(info.flag.long) else {
            continue;
        };
        let problem = match info.type_word {
            "int" => parse_int(text).err(),
            "duration" => args::parse_go_duration(text).err(),
            _ => None,
        };
        if let Some(problem) = problem {
            return Err(error(format!(
                "invalid argument {} for {} flag: {problem}",
                rollout_sim::api::go_quote(text),
                rollout_sim::api::go_quote(&info.shown())
            )));
        }
    }
    Ok(())
}

/// pflag's int flags: `strconv.ParseInt(s, 0, 64)` (so `0x10` is 16).
pub fn parse_int(text: &str) -> Result<i64, String> {
    let syntax = || {
        format!(
            "strconv.ParseInt: parsing {}: invalid syntax",
            rollout_sim::api::go_quote(text)
        )
    };
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let digits = digits.replace('_', "");
    let (radix, digits) = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        (16, hex.to_string())
    } else if let Some(bin) = digits
        .strip_prefix("0b")
        .or_else(|| digits.strip_prefix("0B"))
    {
        (2, bin.to_string())
    } else if let Some(oct) = digits
        .strip_prefix("0o")
        .or_else(|| digits.strip_prefix("0O"))
    {
        (8, oct.to_string())
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, digits[1..].to_string())
    } else {
        (10, digits)
    };
    if digits.is_empty() {
        return Err(syntax());
    }
    let magnitude = i64::from_str_radix(&digits, radix).map_err(|err| {
        if matches!(err.kind(), std::num::IntErrorKind::PosOverflow) {
            format!(
                "strconv.ParseInt: parsing {}: value out of range",
                rollout_sim::api::go_quote(text)
            )
        } else {
            syntax()
        }
    })?;
    Ok(if negative { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    fn env() -> BTreeMap<String, String> {
        BTreeMap::from([("HOME".to_string(), "/root".to_string())])
    }

    fn found(line: &str) -> (String, Vec<String>) {
        let mut out = Output::default();
        let invocation = parse(&argv(line), &env(), &mut out)
            .ok()
            .flatten()
            .expect("a command");
        (invocation.path, invocation.args.positional)
    }

    fn failure(line: &str) -> String {
        let mut out = Output::default();
        match parse(&argv(line), &env(), &mut out) {
            Err(err) => err.to_string(),
            Ok(_) => panic!("{line} parsed"),
        }
    }

    #[test]
    fn commands_are_found_by_name_or_alias_with_flags_anywhere() {
        assert_eq!(
            found("get ro demo -w"),
            (
                "kubectl-argo-rollouts get rollout".into(),
                vec!["demo".into()]
            )
        );
        assert_eq!(
            found("-n prod promote demo --full"),
            ("kubectl-argo-rollouts promote".into(), vec!["demo".into()])
        );
        assert_eq!(
            found("list rollout -A"),
            ("kubectl-argo-rollouts list rollouts".into(), vec![])
        );
        assert_eq!(
            found("get foo"),
            ("kubectl-argo-rollouts get".into(), vec!["foo".into()])
        );
    }

    #[test]
    fn an_unknown_root_command_gets_cobras_suggestions() {
        assert_eq!(
            failure("promot x"),
            "Error: unknown command \"promot\" for \"kubectl-argo-rollouts\"\n\nDid you mean this?\n\tpromote\n\nRun 'kubectl-argo-rollouts --help' for usage."
        );
        assert_eq!(
            failure("lst"),
            "Error: unknown command \"lst\" for \"kubectl-argo-rollouts\"\n\nDid you mean this?\n\tget\n\tlint\n\tlist\n\tset\n\nRun 'kubectl-argo-rollouts --help' for usage."
        );
        assert_eq!(
            failure("frobnicate"),
            "Error: unknown command \"frobnicate\" for \"kubectl-argo-rollouts\"\nRun 'kubectl-argo-rollouts --help' for usage."
        );
    }

    #[test]
    fn flag_errors_are_pflags_words_after_error() {
        assert_eq!(failure("promote x --bogus"), "Error: unknown flag: --bogus");
        assert_eq!(
            failure("promote x -x"),
            "Error: unknown shorthand flag: 'x' in -x"
        );
        assert_eq!(
            failure("restart x -i"),
            "Error: flag needs an argument: 'i' in -i"
        );
        assert_eq!(
            failure("restart x --in"),
            "Error: flag needs an argument: --in"
        );
        assert_eq!(
            failure("status x -t abc"),
            "Error: invalid argument \"abc\" for \"-t, --timeout\" flag: time: invalid duration \"abc\""
        );
        assert_eq!(
            failure("status x --timeout 60"),
            "Error: invalid argument \"60\" for \"-t, --timeout\" flag: time: missing unit in duration \"60\""
        );
        assert_eq!(
            failure("undo x --to-revision x"),
            "Error: invalid argument \"x\" for \"--to-revision\" flag: strconv.ParseInt: parsing \"x\": invalid syntax"
        );
    }

    #[test]
    fn help_goes_to_stdout_with_the_real_cache_dir() {
        let mut out = Output::default();
        let parsed = parse(&argv("pause -h"), &env(), &mut out).expect("help");
        assert!(parsed.is_none());
        assert_eq!(
            out.stdout,
            help::help(help::PAUSE, &env()),
            "pause -h prints its fixture"
        );
        let mut out = Output::default();
        parse(&argv("help get rollout"), &env(), &mut out).expect("help");
        assert_eq!(out.stdout, help::help(help::GET_ROLLOUT, &env()));
    }

    #[test]
    fn the_flags_come_from_the_help_texts() {
        let flags = ROOT
            .find_next("status")
            .map(Command::local_flags)
            .unwrap_or_default();
        let timeout = flags
            .iter()
            .find(|f| f.flag.long == "timeout")
            .expect("--timeout");
        assert_eq!(
            (timeout.flag.short, timeout.type_word),
            (Some('t'), "duration")
        );
        let globals = global_flags();
        assert_eq!(globals.len(), 20);
        assert!(globals
            .iter()
            .any(|f| f.flag.long == "kloglevel" && f.flag.short == Some('v')));
    }

    #[test]
    fn go_durations_parse_like_time_parse_duration() {
        assert_eq!(args::parse_go_duration("90s"), Ok(90_000));
        assert_eq!(args::parse_go_duration("1h2m3.5s"), Ok(3_723_500));
        assert_eq!(args::parse_go_duration("0"), Ok(0));
        assert_eq!(
            args::parse_go_duration("5x"),
            Err("time: unknown unit \"x\" in duration \"5x\"".into())
        );
        assert_eq!(parse_int("0x10"), Ok(16));
    }
}
