//! The boundary between the shell and the programs it does not implement itself.
//!
//! The shell runs builtins (`echo`, `cat`, `grep`, `sleep`, …) on its own. Everything else —
//! `kubectl`, `curl`, whatever a lesson adds — belongs to the [`Host`], which the cluster side
//! implements. The shell holds only a [`Pid`] for each program it started; the host owns the
//! program's state, the way an operating system owns processes. That keeps [`Shell`] free of
//! generics and lifetimes, so it is a plain `Clone` value the page can snapshot.
//!
//! **Snapshot together.** A rewind must restore the shell and the host's process table as one
//! unit: a restored shell may poll a [`Pid`] the host handed out before the snapshot.
//!
//! [`Shell`]: super::Shell

use std::collections::{BTreeMap, BTreeSet};

use rollout_sim::clock::Time;

/// A program the host started for the shell. Opaque to the shell; the host chooses the numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pid(pub u64);

/// The terminal's size in character cells (the `TIOCGWINSZ` of the user's terminal): what
/// `$COLUMNS`, `tput cols` and `stty size` answer. The page measures its terminal and sets it;
/// without a terminal (the headless runner) it is 80×24, what tools assume then.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Winsize {
    pub cols: u16,
    pub rows: u16,
}

impl Default for Winsize {
    fn default() -> Winsize {
        Winsize { cols: 80, rows: 24 }
    }
}

/// Which of a program's two output streams a piece of text went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    /// The UI colours it differently.
    Stderr,
}

/// A run of text on one stream, in the order the terminal shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    pub stream: Stream,
    pub text: String,
}

/// Appends text to a chunk list, merging with the previous chunk when it is the same stream so
/// that a loop printing one line per iteration does not produce thousands of tiny chunks.
pub(crate) fn push_chunk(chunks: &mut Vec<Chunk>, stream: Stream, text: &str) {
    if text.is_empty() {
        return;
    }
    match chunks.last_mut() {
        Some(last) if last.stream == stream => last.text.push_str(text),
        _ => chunks.push(Chunk {
            stream,
            text: text.to_string(),
        }),
    }
}

/// Why a program stops early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    /// Ctrl-C (SIGINT). The shell reports status 130.
    Interrupt,
    /// `timeout` ran out (SIGTERM). The shell reports status 124.
    Terminate,
    /// The program wrote into a pipe whose reader has exited (SIGPIPE; `… | head -n 1`).
    BrokenPipe,
}

/// What a program says after being polled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProcessPoll {
    /// The program finished with this exit status. The host may forget the [`Pid`] now.
    Exited(i32),
    /// Still running and nothing more to do now: it waits for the cluster (`kubectl get -w`,
    /// `rollout status`) or for more standard input. The shell polls it again after the virtual
    /// clock moved or input arrived.
    Running,
    /// Still running, and it wants to be polled again right away (it printed a partial result
    /// and has more). Use sparingly: it costs one interpreter step each time.
    Busy,
    /// The user is now inside an interactive shell (`kubectl run -it … -- /bin/bash`,
    /// `kubectl exec -it POD -- /bin/sh`). The shell shows `login`'s prompt and runs the next
    /// lines there; the program stays suspended until that shell exits, then the shell calls
    /// [`Host::nested_shell_exited`] and resumes polling it (for `--rm`: `pod "…" deleted`).
    /// When the program's standard input is a pipe (`… | kubectl exec -i POD -- sh`), that
    /// shell is not interactive: it runs the commands coming down the pipe, without a prompt,
    /// and ends when the pipe does; the user's terminal stays with the pipeline.
    EnterShell(Box<Login>),
    /// Open the editor on `path` (absolute, in the machine's files), as `kubectl edit` does.
    /// The shell reports [`Poll::Edit`](super::Poll::Edit) until the editor is closed
    /// ([`Shell::edit_done`](super::Shell::edit_done)), then polls the program again.
    Edit { path: String },
}

/// Why a program could not be started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpawnError {
    /// No such program here (the shell prints `bash: NAME: command not found`, status 127).
    NotFound,
    /// The program exists but refused to start; `message` is printed on stderr as is.
    Failed { message: String, status: i32 },
}

/// Where a shell session runs: on the lab's own machine or inside a pod.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Location {
    #[default]
    Host,
    Pod {
        namespace: String,
        pod: String,
        container: Option<String>,
    },
}

/// Which shell the user talks to. Only error texts differ.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Flavor {
    /// GNU bash: `bash: foo: command not found`.
    #[default]
    Bash,
    /// BusyBox ash (`/bin/sh` in Alpine images): `/bin/sh: foo: not found`.
    Sh,
}

/// How a (possibly nested) shell session looks and where it runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Login {
    /// The prompt, with bash's escapes: `\u` user, `\h` host up to the first dot, `\H` host,
    /// `\w` working directory (`~` for home), `\W` its last component, `\$` `#` for root else `$`.
    pub ps1: String,
    pub user: String,
    pub hostname: String,
    pub home: String,
    /// Working directory at login.
    pub cwd: String,
    pub flavor: Flavor,
    /// Passed to [`Host::spawn`] so the host knows, e.g., which pod a `curl` comes from.
    pub location: Location,
    /// Extra environment variables at login.
    pub vars: Vec<(String, String)>,
    /// `$$`.
    pub pid: u32,
}

impl Default for Login {
    /// A plain `$ ` prompt on the lab machine.
    fn default() -> Login {
        Login {
            ps1: "$ ".into(),
            user: "student".into(),
            hostname: "rollout-lab".into(),
            home: "/home/student".into(),
            cwd: "/home/student".into(),
            flavor: Flavor::Bash,
            location: Location::Host,
            vars: Vec::new(),
            pid: 4242,
        }
    }
}

impl Login {
    /// The course's control-plane machine: `[root@K8s-master01 chapter8]# `.
    pub fn course_master(hostname: &str, cwd: &str) -> Login {
        Login {
            ps1: "[\\u@\\h \\W]\\$ ".into(),
            user: "root".into(),
            hostname: hostname.into(),
            home: "/root".into(),
            cwd: cwd.into(),
            ..Login::default()
        }
    }

    /// bash in a pod (e.g. `ikubernetes/admin-box`): `root@client-20739 /# `.
    pub fn pod_bash(namespace: &str, pod: &str) -> Login {
        Login {
            ps1: "\\u@\\h \\W\\$ ".into(),
            user: "root".into(),
            hostname: pod.into(),
            home: "/root".into(),
            cwd: "/".into(),
            flavor: Flavor::Bash,
            location: Location::Pod {
                namespace: namespace.into(),
                pod: pod.into(),
                container: None,
            },
            vars: Vec::new(),
            pid: 1,
        }
    }

    /// BusyBox sh in a pod (`kubectl exec -it POD -- /bin/sh`): `/ # `.
    pub fn pod_sh(namespace: &str, pod: &str) -> Login {
        Login {
            ps1: "\\w \\$ ".into(),
            flavor: Flavor::Sh,
            ..Login::pod_bash(namespace, pod)
        }
    }

    /// What a one-line error of this shell starts with: `bash: ` or `/bin/sh: `.
    pub(crate) fn err_prefix(&self) -> &'static str {
        match self.flavor {
            Flavor::Bash => "bash: ",
            Flavor::Sh => "/bin/sh: ",
        }
    }
}

/// The files of one machine (the lab host, or a pod), by absolute path.
///
/// The shell owns it; the host reads and writes it through [`Shell::files`] (the editor shows
/// it, a lesson drops its YAML here) and programs see it through [`Context`] and [`Io`].
///
/// [`Shell::files`]: super::Shell::files
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vfs {
    /// File contents by absolute, normalised path (`/root/chapter8/deployment-demo.yaml`).
    pub files: BTreeMap<String, String>,
    /// Directories that exist even when empty. Every parent of a file exists implicitly.
    pub dirs: BTreeSet<String>,
}

impl Vfs {
    /// An absolute, normalised path for `path` seen from `cwd` (`.` and `..` resolved).
    pub fn resolve(cwd: &str, path: &str) -> String {
        let joined = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("{cwd}/{path}")
        };
        let mut parts: Vec<&str> = Vec::new();
        for part in joined.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                other => parts.push(other),
            }
        }
        format!("/{}", parts.join("/"))
    }

    pub fn read(&self, abs: &str) -> Option<&str> {
        self.files.get(abs).map(String::as_str)
    }

    pub fn is_file(&self, abs: &str) -> bool {
        self.files.contains_key(abs)
    }

    /// `/`, a directory made with `mkdir` or given by the lesson, or a parent of some file.
    pub fn is_dir(&self, abs: &str) -> bool {
        if abs == "/" || self.dirs.contains(abs) {
            return true;
        }
        let prefix = format!("{abs}/");
        self.files
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(k, _)| k.starts_with(&prefix))
            || self
                .dirs
                .range(prefix.clone()..)
                .next()
                .is_some_and(|k| k.starts_with(&prefix))
    }

    /// The entries directly inside directory `abs`: names, and whether each is a directory.
    pub fn list(&self, abs: &str) -> Vec<(String, bool)> {
        let prefix = if abs == "/" {
            "/".to_string()
        } else {
            format!("{abs}/")
        };
        let mut out: BTreeMap<String, bool> = BTreeMap::new();
        let names = self
            .files
            .keys()
            .map(|k| (k, false))
            .chain(self.dirs.iter().map(|k| (k, true)));
        for (path, is_dir) in names {
            if let Some(rest) = path.strip_prefix(&prefix) {
                if rest.is_empty() {
                    continue;
                }
                match rest.split_once('/') {
                    Some((first, _)) => {
                        out.insert(first.to_string(), true);
                    }
                    None => {
                        out.entry(rest.to_string()).or_insert(is_dir);
                    }
                }
            }
        }
        out.into_iter().collect()
    }

    /// Creates or replaces a file.
    pub fn write(&mut self, abs: &str, content: &str) {
        self.files.insert(abs.to_string(), content.to_string());
    }

    /// Whether the directory that would hold `abs` exists.
    pub fn parent_exists(&self, abs: &str) -> bool {
        match abs.rfind('/') {
            Some(0) | None => true,
            Some(i) => self.is_dir(&abs[..i]),
        }
    }
}

/// What a program is told when it starts.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The machine the command runs on (lab host or a pod): `curl` from a pod has that pod's IP.
    pub location: &'a Location,
    pub cwd: &'a str,
    /// The shell's variables, plus `NAME=value` prefixes of this command.
    pub env: &'a BTreeMap<String, String>,
    /// The files of that machine, e.g. for `kubectl apply -f deployment.yaml`.
    pub files: &'a Vfs,
    /// False inside a pipe or with `<`, `<<`: kubectl's `-it` needs a terminal.
    pub stdin_is_terminal: bool,
    /// False when piped or redirected.
    pub stdout_is_terminal: bool,
}

/// A program's standard streams and its machine's files while it is being polled.
pub struct Io<'a> {
    pub(crate) stdin: &'a mut Input,
    pub(crate) out: &'a mut Vec<Chunk>,
    pub(crate) files: &'a mut Vfs,
    pub(crate) cwd: &'a str,
    pub(crate) consumed_input: bool,
}

/// What [`Io::read_stdin`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StdinRead {
    /// Text that arrived since the last read; `eof` once the writer has finished.
    Data { text: String, eof: bool },
    /// The writer is still running and wrote nothing new: return [`ProcessPoll::Running`].
    Pending,
    /// Standard input is the user's terminal, which this lab cannot read from.
    Terminal,
}

impl<'a> Io<'a> {
    pub fn write_stdout(&mut self, text: &str) {
        push_chunk(self.out, Stream::Stdout, text);
    }

    pub fn write_stderr(&mut self, text: &str) {
        push_chunk(self.out, Stream::Stderr, text);
    }

    /// Takes whatever standard input has arrived.
    pub fn read_stdin(&mut self) -> StdinRead {
        match self.stdin {
            Input::Terminal => StdinRead::Terminal,
            Input::Pipe { buf, eof } => {
                if buf.is_empty() && !*eof {
                    return StdinRead::Pending;
                }
                self.consumed_input |= !buf.is_empty();
                StdinRead::Data {
                    text: std::mem::take(buf),
                    eof: *eof,
                }
            }
        }
    }

    /// All of standard input once the writer has finished (`kubectl apply -f -`): `Pending`
    /// until then, nothing consumed.
    pub fn read_stdin_to_end(&mut self) -> StdinRead {
        match self.stdin {
            Input::Pipe { eof: false, .. } => StdinRead::Pending,
            _ => self.read_stdin(),
        }
    }

    pub fn cwd(&self) -> &str {
        self.cwd
    }

    /// Whether standard input is the user's terminal (not a pipe, file or heredoc).
    pub fn stdin_is_terminal(&self) -> bool {
        *self.stdin == Input::Terminal
    }

    /// The machine's files (paths are absolute; see [`Vfs::resolve`]).
    pub fn files(&mut self) -> &mut Vfs {
        self.files
    }
}

/// A program's standard input as the shell holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Input {
    /// The user's terminal. Nothing can be read from it in this lab.
    Terminal,
    /// A pipe, a file (`< f`) or a heredoc: `buf` holds what was written and not yet read.
    Pipe { buf: String, eof: bool },
}

impl Input {
    pub(crate) fn closed(text: String) -> Input {
        Input::Pipe {
            buf: text,
            eof: true,
        }
    }
}

/// What the shell needs from the world around it. The cluster side implements it.
///
/// Every method is called from inside [`Shell::poll`] (or [`Shell::interrupt`]); none may
/// block. Programs are started by [`spawn`](Host::spawn) and then driven by
/// [`poll`](Host::poll) until they return [`ProcessPoll::Exited`] or are
/// [`kill`](Host::kill)ed; after either, the shell never mentions that [`Pid`] again.
///
/// [`Shell::poll`]: super::Shell::poll
/// [`Shell::interrupt`]: super::Shell::interrupt
pub trait Host {
    /// The virtual clock. `sleep` and `timeout` measure against it; the shell never reads
    /// any other clock.
    fn now(&self) -> Time;

    /// `$RANDOM`: a number in `0..=32767` from the host's seeded RNG (the shell masks it).
    fn random(&mut self) -> u16;

    /// Starts a program that is not a shell builtin. `argv[0]` is the name as typed.
    /// Do not produce output here: the shell polls the new program right away.
    fn spawn(&mut self, argv: &[String], ctx: &Context<'_>) -> Result<Pid, SpawnError>;

    /// Lets the program do what it can now. It reads standard input and writes output
    /// through `io`, in order.
    fn poll(&mut self, pid: Pid, io: &mut Io<'_>) -> ProcessPoll;

    /// Stops the program (Ctrl-C, `timeout`, a closed pipe). It may still write through `io`
    /// (e.g. `kubectl run --rm` deleting its pod); afterwards the host forgets `pid`.
    fn kill(&mut self, pid: Pid, signal: Signal, io: &mut Io<'_>);

    /// The interactive shell the program asked for with [`ProcessPoll::EnterShell`] ended
    /// with `status` (`exit`, Ctrl-D). The shell polls the program again right after.
    fn nested_shell_exited(&mut self, pid: Pid, status: i32, io: &mut Io<'_>) {
        let _ = (pid, status, io);
    }
}
