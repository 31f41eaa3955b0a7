//! # The small shell
//!
//! The terminal of Rollout Lab runs a bash-like shell: the lines of the course (`kubectl …`,
//! `cat <<EOF | kubectl apply -f -`, `while true; do curl demoapp-svc; sleep 1; done`) behave
//! as they do on a real machine, but against the simulated cluster and its virtual clock.
//!
//! ## Driving it
//! The shell never blocks. The host submits a line, then polls until the shell is idle:
//!
//! ```text
//! shell.submit(line)  -> NeedMore { prompt: "> " }   (open quote, heredoc, `do` without `done`)
//!                     -> Started
//! shell.poll(&mut host) -> Output(chunks)            print them; poll again soon
//!                       -> Sleeping { until }        advance the clock to `until`, poll again
//!                       -> Waiting { until }         a program waits on the cluster: advance
//!                                                    the clock (not past `until`), poll again
//!                       -> Edit { path }             open the editor; `edit_done()` when closed
//!                       -> Done(status)              idle at `prompt()`; `$?` is status
//! shell.interrupt(&mut host)                         Ctrl-C: `^C`, status 130, loops stop
//! ```
//!
//! * **Browser**: poll once per animation frame while the shell is busy, advancing the virtual
//!   clock by real elapsed time × speed. `Output` with no chunks means "I yielded to keep the
//!   page alive". A `while true; do curl …; sleep 1; done` thus prints one line per virtual
//!   second until Ctrl-C.
//! * **Headless runner**: loop on poll; on `Sleeping { until }` set the clock to `until`; on
//!   `Waiting` step the clock (to the cluster's next event, capped at `until`); on `Edit` call
//!   `edit_done()`; stop at `Done`.
//!
//! ## Invariants
//! - **No wall clock, no global randomness**: time is [`Host::now`], `$RANDOM` is
//!   [`Host::random`].
//! - **Bounded work per poll**: at most [`Limits::steps_per_poll`] interpreter steps and about
//!   [`Limits::output_per_poll`] bytes of output, so a loop that never sleeps still returns.
//! - **Bounded work without time**: a command that runs [`Limits::max_steps_without_time`]
//!   steps while the virtual clock stands still is stopped with an error (status 130). In the
//!   browser the clock moves every frame, so only a paused clock trips it; headless, a
//!   `while true; do echo x; done` ends there instead of hanging the runner.
//! - **Nothing panics on input**; sizes of words, files and `$(…)` output are capped.
//! - **Everything is `Clone`**: the page snapshots the shell together with the host.
//!
//! ## Layout
//! - [`host`]: the boundary — [`Host`], [`Pid`], [`ProcessPoll`], [`Context`], [`Io`],
//!   [`Login`], [`Vfs`].
//! - `syntax`: AST, lexer (with heredocs), parser; incomplete input vs syntax errors.
//! - `state`: what the three below share — a shell's environment (`Env`) and what polling
//!   anything that runs answers (`Run`, `Blocked`).
//! - `expand`: parameters, `$(…)` results, arithmetic, splitting, globbing.
//! - `exec`: the resumable interpreter (frames, pipelines, jobs); it uses `expand` and
//!   `builtins`, neither of which uses it.
//! - `help`: bash's `help`, over bash 5.2's texts (`data/help/bash-5.2.txt`); `builtins` runs it.
//! - `builtins`: echo, cat, grep, head, seq, sleep, ls, cp, … . They know nothing of the
//!   interpreter: a long-running one returns what to wait for (`Utility`), and `exec` turns
//!   it into a job.
//!
//! Nested interactive shells (`kubectl run -it … -- /bin/bash`, `kubectl exec -it`) are a
//! stack of sessions: the program returns [`ProcessPoll::EnterShell`], the shell pushes a
//! session with the pod's prompt and files, and `exit` (or [`Shell::eof`]) pops it and resumes
//! the suspended program through [`Host::nested_shell_exited`]. A shell whose standard input
//! is a pipe rather than the terminal (`… | kubectl exec -i POD -- sh`, `… | bash`) is not
//! interactive: like bash reading a script, it runs the commands that come down the pipe,
//! without a prompt, until the pipe ends, while the terminal stays with the foreground command.

mod awk;
mod builtins;
mod exec;
mod expand;
mod help;
mod heredoc;
pub mod host;
mod jobs;
mod regex;
mod sed;
mod state;
mod syntax;

#[cfg(test)]
mod tests;
pub(crate) mod tools;
mod tr;
mod udiff;
mod xargs;

use std::rc::Rc;

use rollout_sim::clock::Time;

pub use heredoc::without_heredoc_bodies;
pub use host::{
    Chunk, Context, Flavor, Host, Io, Location, Login, Pid, ProcessPoll, Signal, SpawnError,
    StdinRead, Stream, Vfs, Winsize,
};

use exec::{Cx, Thread};
use host::{push_chunk, Input};
use jobs::{JobState, Jobs};
use state::{Blocked, Env, Run};

/// Bounds that keep one poll short and a runaway command finite.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Interpreter steps per [`Shell::poll`] before it yields with `Output`.
    pub steps_per_poll: u32,
    /// Output bytes after which a poll returns early.
    pub output_per_poll: usize,
    /// Steps a command may run while the virtual clock does not move (see module docs).
    pub max_steps_without_time: u64,
    /// Largest file a redirection may grow.
    pub max_file_bytes: usize,
    /// Largest output `$(…)` may capture.
    pub max_capture_bytes: usize,
    /// Deepest nesting of interactive shells.
    pub max_sessions: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            steps_per_poll: 4096,
            output_per_poll: 64 * 1024,
            max_steps_without_time: 200_000,
            max_file_bytes: 4 << 20,
            max_capture_bytes: 1 << 20,
            max_sessions: 8,
        }
    }
}

/// What [`Shell::submit`] did with a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Submit {
    /// The command is not complete: show this continuation prompt and submit the next line.
    NeedMore { prompt: String },
    /// The command runs (or reports its syntax error) as the shell is polled.
    Started,
    /// A command is still running; the line was ignored.
    Busy,
}

/// What [`Shell::poll`] says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Poll {
    /// Still running; print these (possibly none: it yielded) and poll again soon.
    Output(Vec<Chunk>),
    /// Nothing happens before the virtual clock reaches `until`.
    Sleeping { until: Time },
    /// A program waits for the cluster to change: poll again after the clock moved, at the
    /// latest at `until` when something also sleeps.
    Waiting { until: Option<Time> },
    /// `vim FILE`: the editor should show `path` (absolute, in [`Shell::session_files`]).
    /// Repeats until [`Shell::edit_done`].
    Edit { path: String },
    /// Idle at [`Shell::prompt`]; the last command's exit status.
    Done(i32),
}

/// One interactive shell: the lab machine's, or one inside a pod.
#[derive(Clone, Debug)]
struct Session {
    login: Login,
    /// Variables and working directory; moved into `running` while a command runs.
    env: Env,
    files: Vfs,
    history: Vec<String>,
    /// The command in progress. In an outer session it may be suspended under a nested one.
    running: Option<Thread>,
    /// Commands started with `&`.
    jobs: Jobs<Thread>,
}

impl Session {
    fn new(login: Login, files: Vfs) -> Session {
        Session {
            env: login_env(&login),
            files: login_files(&login, files),
            login,
            history: Vec::new(),
            running: None,
            jobs: Jobs::default(),
        }
    }
}

/// The variables and working directory a shell of `login` starts with.
pub(crate) fn login_env(login: &Login) -> Env {
    let mut env = Env {
        vars: Default::default(),
        cwd: login.cwd.clone(),
        status: 0,
        last_job: None,
    };
    for (k, v) in [
        ("HOME", login.home.as_str()),
        ("USER", login.user.as_str()),
        ("HOSTNAME", login.hostname.as_str()),
        (
            "SHELL",
            if login.flavor == Flavor::Bash {
                "/bin/bash"
            } else {
                "/bin/sh"
            },
        ),
        (
            "PATH",
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ),
    ] {
        env.vars.insert(k.into(), v.into());
    }
    for (k, v) in &login.vars {
        env.vars.insert(k.clone(), v.clone());
    }
    env
}

/// `files` with the directories a shell of `login` expects to exist.
pub(crate) fn login_files(login: &Login, mut files: Vfs) -> Vfs {
    for dir in ["/", "/tmp", login.home.as_str(), login.cwd.as_str()] {
        files.dirs.insert(Vfs::resolve("/", dir));
    }
    files
}

/// The shell: a stack of interactive sessions, the lines typed so far, and pending output.
#[derive(Clone, Debug)]
pub struct Shell {
    /// `sessions[0]` is the lab machine; the last one is where lines run.
    sessions: Vec<Session>,
    /// Lines of an incomplete command.
    pending_lines: Vec<String>,
    output: Vec<Chunk>,
    limits: Limits,
    /// Steps run since the virtual clock last moved.
    steps_without_time: u64,
    clock_seen: Option<Time>,
    /// Status of a nested shell that just ended, for the program that opened it.
    shell_exit: Option<i32>,
    edit_done: bool,
    logged_out: bool,
    /// The size of the terminal the user types into.
    winsize: Winsize,
}

impl Shell {
    /// A shell on the lab machine, logged in as `login`, with the lesson's `files`.
    pub fn new(login: Login, files: Vfs) -> Shell {
        Shell::with_limits(login, files, Limits::default())
    }

    pub fn with_limits(login: Login, files: Vfs, limits: Limits) -> Shell {
        Shell {
            sessions: vec![Session::new(login, files)],
            pending_lines: Vec::new(),
            output: Vec::new(),
            limits,
            steps_without_time: 0,
            clock_seen: None,
            shell_exit: None,
            edit_done: false,
            logged_out: false,
            winsize: Winsize::default(),
        }
    }

    fn top(&self) -> &Session {
        // `sessions` is never empty: only nested sessions are ever popped.
        &self.sessions[self.sessions.len() - 1]
    }

    fn top_mut(&mut self) -> &mut Session {
        let last = self.sessions.len() - 1;
        &mut self.sessions[last]
    }

    /// The prompt to show: the continuation prompt while a command is incomplete, else the
    /// session's PS1 rendered.
    pub fn prompt(&self) -> String {
        if !self.pending_lines.is_empty() {
            return "> ".into();
        }
        let session = self.top();
        render_prompt(&session.login, &session.env.cwd)
    }

    /// The terminal's size, as `stty size` reports it.
    pub fn winsize(&self) -> Winsize {
        self.winsize
    }

    /// The terminal was resized (a `SIGWINCH`): `$COLUMNS`, `$LINES`, `tput` and `stty` answer
    /// the new size from now on, in every nested shell too.
    pub fn set_winsize(&mut self, winsize: Winsize) {
        self.winsize = winsize;
    }

    /// Whether a command is running (the terminal should not accept a line).
    pub fn is_busy(&self) -> bool {
        self.top().running.is_some() || !self.output.is_empty()
    }

    /// How many interactive shells deep the user is (1: the lab machine).
    pub fn depth(&self) -> usize {
        self.sessions.len()
    }

    /// Where lines run now (the lab machine, or a pod).
    pub fn location(&self) -> &Location {
        &self.top().login.location
    }

    /// The working directory of the active session.
    pub fn cwd(&self) -> &str {
        &self.top().env.cwd
    }

    /// A variable of the active session.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.top().env.vars.get(name).map(String::as_str)
    }

    /// True after `exit` in the outermost shell (the host decides what that means).
    pub fn has_exited(&self) -> bool {
        self.logged_out
    }

    /// The lab machine's files.
    pub fn files(&self) -> &Vfs {
        &self.sessions[0].files
    }

    pub fn files_mut(&mut self) -> &mut Vfs {
        &mut self.sessions[0].files
    }

    /// The files of the machine the active session runs on (a pod's, when inside one).
    pub fn session_files(&self) -> &Vfs {
        &self.top().files
    }

    pub fn session_files_mut(&mut self) -> &mut Vfs {
        &mut self.top_mut().files
    }

    /// The active session's history, oldest first.
    pub fn history(&self) -> &[String] {
        &self.top().history
    }

    /// Forgets the active session's history (a lesson's setup lines are not the learner's).
    pub fn clear_history(&mut self) {
        self.top_mut().history.clear();
    }

    /// The command `line` would add to: the lines typed since the last prompt that was not
    /// `> `, then `line`.
    pub fn command_with(&self, line: &str) -> String {
        let mut lines = self.pending_lines.clone();
        lines.push(line.to_string());
        lines.join("\n")
    }

    /// Takes one typed line (without its newline).
    pub fn submit(&mut self, line: &str) -> Submit {
        if self.top().running.is_some() {
            return Submit::Busy;
        }
        self.logged_out = false;
        self.pending_lines.push(line.to_string());
        let source = format!("{}\n", self.pending_lines.join("\n"));
        let parsed = syntax::parse(&source);
        if parsed == Err(syntax::ParseError::Incomplete) {
            return Submit::NeedMore {
                prompt: "> ".into(),
            };
        }
        let text = std::mem::take(&mut self.pending_lines).join("\n");
        let session = self.top_mut();
        if !text.trim().is_empty() {
            session.history.push(text);
        }
        match parsed {
            Ok(program) => {
                if !program.items.is_empty() {
                    let env = std::mem::take(&mut session.env);
                    session.running = Some(Thread::new(env, Rc::new(program), true));
                }
            }
            Err(e) => {
                let message = format!(
                    "{}{}\n",
                    session.login.err_prefix(),
                    e.message(session.login.flavor)
                );
                session.env.status = 2;
                push_chunk(&mut self.output, Stream::Stderr, &message);
            }
        }
        Submit::Started
    }

    /// Runs the shell as far as it can go now. See the module docs for what to do with each
    /// answer.
    pub fn poll(&mut self, host: &mut dyn Host) -> Poll {
        let now = host.now();
        if self.clock_seen.is_none_or(|seen| now > seen) {
            self.clock_seen = Some(now);
            self.steps_without_time = 0;
        }
        let mut budget = self.limits.steps_per_poll;
        self.poll_jobs(host, now);
        loop {
            if self.output_bytes() >= self.limits.output_per_poll {
                return Poll::Output(std::mem::take(&mut self.output));
            }
            let depth = self.sessions.len();
            let last = depth - 1;
            let limits = self.limits.clone();
            let session = &mut self.sessions[last];
            let Some(thread) = session.running.as_mut() else {
                if !self.output.is_empty() {
                    return Poll::Output(std::mem::take(&mut self.output));
                }
                return Poll::Done(session.env.status);
            };
            if budget == 0 {
                return Poll::Output(std::mem::take(&mut self.output));
            }
            let mut cx = Cx {
                host: &mut *host,
                fs: &mut session.files,
                login: &session.login,
                history: &session.history,
                now,
                budget,
                shell_exit: self.shell_exit.take(),
                edit_done: std::mem::take(&mut self.edit_done),
                limits: &limits,
                winsize: self.winsize,
                jobs: &mut session.jobs,
            };
            let mut terminal = Input::Terminal;
            let result = thread.poll(&mut cx, &mut terminal, &mut self.output);
            let used = budget - cx.budget;
            budget = cx.budget;
            self.edit_done = cx.edit_done;
            self.steps_without_time += u64::from(used);
            if self.steps_without_time > limits.max_steps_without_time {
                self.stop_runaway(host);
                continue;
            }
            match result {
                // A program said something: the background jobs hear of it at once (a curl
                // through `kubectl port-forward &` is handled before its answer prints).
                Run::Progress => self.poll_jobs(host, now),
                Run::Yield => return Poll::Output(std::mem::take(&mut self.output)),
                Run::Blocked(mut blocked) => {
                    if !self.output.is_empty() {
                        return Poll::Output(std::mem::take(&mut self.output));
                    }
                    // A background job may need the clock sooner than the foreground.
                    for job in &self.top().jobs.list {
                        if job.state == JobState::Running {
                            blocked.merge(job.blocked.clone());
                        }
                    }
                    return blocked_poll(blocked);
                }
                Run::Exited(status) => self.finish_command(status),
                Run::EnterShell(login) => {
                    if self.sessions.len() >= limits.max_sessions {
                        // Too deep: refuse by ending the nested shell at once.
                        push_chunk(
                            &mut self.output,
                            Stream::Stderr,
                            "bash: too many nested shells\n",
                        );
                        self.shell_exit = Some(1);
                        continue;
                    }
                    let files = match &login.location {
                        loc if *loc == self.top().login.location => self.top().files.clone(),
                        _ => Vfs::default(),
                    };
                    self.sessions.push(Session::new(*login, files));
                }
            }
        }
    }

    /// Lets every session's background jobs run as far as they can now; what they print
    /// goes to the terminal. The host calls it when the clock moved while the shell sat at
    /// its prompt (a `kubectl port-forward &` notices its pod is gone).
    pub fn poll_background(&mut self, host: &mut dyn Host) {
        let now = host.now();
        self.poll_jobs(host, now);
    }

    fn poll_jobs(&mut self, host: &mut dyn Host, now: Time) {
        const JOB_BUDGET: u32 = 512;
        let limits = self.limits.clone();
        for session in &mut self.sessions {
            for i in 0..session.jobs.list.len() {
                let Some(mut thread) = session.jobs.list[i].thread.take() else {
                    continue;
                };
                let pid = session.jobs.list[i].pid;
                // A job reads nothing from the terminal: its input is empty.
                let mut stdin = Input::closed(String::new());
                let mut cx = Cx {
                    host: &mut *host,
                    fs: &mut session.files,
                    login: &session.login,
                    history: &[],
                    now,
                    budget: JOB_BUDGET,
                    shell_exit: None,
                    edit_done: false,
                    limits: &limits,
                    winsize: self.winsize,
                    jobs: &mut session.jobs,
                };
                let result = loop {
                    match thread.poll(&mut cx, &mut stdin, &mut self.output) {
                        Run::Progress | Run::EnterShell(_) if cx.budget > 0 => {}
                        other => break other,
                    }
                };
                let Some(job) = session.jobs.list.iter_mut().find(|j| j.pid == pid) else {
                    continue;
                };
                match result {
                    Run::Exited(status) => job.state = JobState::Exited(status),
                    Run::Blocked(blocked) => {
                        job.blocked = blocked;
                        job.thread = Some(thread);
                    }
                    _ => {
                        job.blocked = Blocked::default();
                        job.thread = Some(thread);
                    }
                }
            }
        }
    }

    fn output_bytes(&self) -> usize {
        self.output.iter().map(|c| c.text.len()).sum()
    }

    /// The foreground command of the active session ended.
    fn finish_command(&mut self, status: i32) {
        let session = self.top_mut();
        let exit_requested = match session.running.take() {
            Some(thread) => {
                let exit = thread.exit_requested;
                session.env = thread.env;
                exit
            }
            None => false,
        };
        session.env.status = status;
        // bash reports the jobs that ended before it shows the next prompt.
        let ended = session.jobs.take_finished();
        push_chunk(&mut self.output, Stream::Stderr, &ended);
        if exit_requested {
            self.end_session(status);
        }
    }

    /// `exit` or Ctrl-D in the active session.
    fn end_session(&mut self, status: i32) {
        if self.top().login.flavor == Flavor::Bash {
            push_chunk(&mut self.output, Stream::Stderr, "exit\n");
        }
        if self.sessions.len() > 1 {
            if let Some(ended) = self.sessions.pop() {
                // A nested shell on the same machine shares its files with the outer one.
                if ended.login.location == self.top().login.location {
                    self.top_mut().files = ended.files;
                }
            }
            self.shell_exit = Some(status);
        } else {
            self.logged_out = true;
        }
    }

    fn stop_runaway(&mut self, host: &mut dyn Host) {
        let limit = self.limits.max_steps_without_time;
        self.kill_foreground(host, Signal::Interrupt);
        push_chunk(
            &mut self.output,
            Stream::Stderr,
            &format!(
                "rollout-lab: stopped: the command ran {limit} steps while the clock stood still (a loop without `sleep`?)\n"
            ),
        );
        self.steps_without_time = 0;
    }

    fn kill_foreground(&mut self, host: &mut dyn Host, signal: Signal) {
        let now = host.now();
        let limits = self.limits.clone();
        let last = self.sessions.len() - 1;
        let session = &mut self.sessions[last];
        if let Some(mut thread) = session.running.take() {
            let mut cx = Cx {
                host,
                fs: &mut session.files,
                login: &session.login,
                history: &session.history,
                now,
                budget: 0,
                shell_exit: None,
                edit_done: false,
                limits: &limits,
                winsize: self.winsize,
                jobs: &mut session.jobs,
            };
            thread.kill(&mut cx, signal, &mut self.output);
            session.env = thread.env;
        }
        session.env.status = 130;
    }

    /// Ctrl-C: prints `^C`, drops an incomplete command, stops the running one (loops, sleeps,
    /// programs — the host's get [`Host::kill`]); `$?` becomes 130.
    pub fn interrupt(&mut self, host: &mut dyn Host) {
        push_chunk(&mut self.output, Stream::Stdout, "^C\n");
        self.pending_lines.clear();
        self.edit_done = false;
        self.kill_foreground(host, Signal::Interrupt);
    }

    /// Ctrl-D at the prompt: ends a nested shell like `exit`; drops an incomplete command with
    /// bash's error. The outermost shell ignores it (the lab has nowhere to log out to).
    pub fn eof(&mut self) {
        if self.top().running.is_some() {
            return;
        }
        if !self.pending_lines.is_empty() {
            self.pending_lines.clear();
            let prefix = self.top().login.err_prefix();
            push_chunk(
                &mut self.output,
                Stream::Stderr,
                &format!("{prefix}syntax error: unexpected end of file\n"),
            );
            self.top_mut().env.status = 2;
            return;
        }
        if self.sessions.len() > 1 {
            let status = self.top().env.status;
            self.end_session(status);
        }
    }

    /// The editor opened by `vim FILE` was closed (after saving into the session's files).
    pub fn edit_done(&mut self) {
        self.edit_done = true;
    }
}

fn blocked_poll(blocked: Blocked) -> Poll {
    if let Some(path) = blocked.edit {
        return Poll::Edit { path };
    }
    match (blocked.cluster, blocked.wake) {
        (false, Some(until)) => Poll::Sleeping { until },
        (_, until) => Poll::Waiting { until },
    }
}

/// Renders PS1 escapes (`\u`, `\h`, `\H`, `\w`, `\W`, `\$`, `\\`).
fn render_prompt(login: &Login, cwd: &str) -> String {
    let home = login.home.as_str();
    let tilde = if cwd == home {
        "~".to_string()
    } else if !home.is_empty() && home != "/" && cwd.starts_with(&format!("{home}/")) {
        format!("~{}", &cwd[home.len()..])
    } else {
        cwd.to_string()
    };
    let mut out = String::new();
    let mut chars = login.ps1.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('u') => out.push_str(&login.user),
            Some('h') => out.push_str(login.hostname.split('.').next().unwrap_or("")),
            Some('H') => out.push_str(&login.hostname),
            Some('w') => out.push_str(&tilde),
            Some('W') => {
                if tilde == "~" || cwd == "/" {
                    out.push_str(&tilde);
                } else {
                    out.push_str(cwd.rsplit('/').next().unwrap_or(cwd));
                }
            }
            Some('$') => out.push(if login.user == "root" { '#' } else { '$' }),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}
