//! The interpreter: a resumable state machine.
//!
//! A [`Thread`] is one flow of shell execution (the foreground command, a pipeline stage, a
//! `$(…)`, a `( … )`). It holds an explicit stack of [`Frame`]s instead of using Rust's call
//! stack, so it can stop in the middle of a `while` loop (a `sleep`, a `kubectl get -w`),
//! return to the page, and continue on the next [`Thread::poll`]. Every frame transition costs
//! one step of the poll's budget, which is how a loop that never sleeps still hands control
//! back to the page.
//!
//! Output never goes anywhere directly: a thread appends [`Chunk`]s to the vector its owner
//! passed in, and the owner routes them (the terminal, a pipe, a capture for `$(…)`).
//! Redirections are resolved into an [`IoScope`] per command or compound command.

use std::rc::Rc;

use rollout_sim::clock::Time;

use super::builtins::{self, Filter, UtilCx, Utility};
use super::expand::{collect_substs, subst_key, Expander, SubstResults};
use super::host::{
    push_chunk, Chunk, Context, Host, Input, Io, Login, Pid, ProcessPoll, Signal, SpawnError,
    Stream, Vfs, Winsize,
};
use super::jobs::{self, JobState, Jobs};
use super::state::{Blocked, Env, Run};
use super::syntax::{self, Command, Compound, Pipeline, Program, RedirOp, Redirect, SimpleCommand};
use super::Limits;

/// What starting a command gave.
pub(crate) enum Started {
    /// It ran to completion already (its output is in the chunk list).
    Done(i32),
    /// It runs over several polls.
    Job(Box<Job>),
}

impl From<Utility> for Started {
    fn from(utility: Utility) -> Started {
        match utility {
            Utility::Done(status) => Started::Done(status),
            Utility::Sleep { until } => Started::Job(Box::new(Job::Sleep { until })),
            Utility::Filter(filter) => Started::Job(Box::new(Job::Filter(filter))),
            Utility::Edit { path } => Started::Job(Box::new(Job::Edit { path })),
        }
    }
}

/// Everything a thread may touch while it runs, lent by the [`super::Shell`] for one poll.
pub(crate) struct Cx<'a> {
    pub host: &'a mut dyn Host,
    /// The files of the machine the session runs on.
    pub fs: &'a mut Vfs,
    pub login: &'a Login,
    pub history: &'a [String],
    pub now: Time,
    /// Interpreter steps left in this poll.
    pub budget: u32,
    /// Status of a nested interactive shell that just ended, for the program that asked for it.
    pub shell_exit: Option<i32>,
    /// The editor was closed: the `vim` job may finish.
    pub edit_done: bool,
    pub limits: &'a Limits,
    /// The user's terminal (a nested shell in a pod shares it, as `kubectl exec -it` does).
    pub winsize: Winsize,
    /// The session's background jobs.
    pub jobs: &'a mut Jobs<Thread>,
}

impl Cx<'_> {
    /// What a shell reading a pipe may touch while its command runs: the same host and
    /// clock, its own machine's files (`None`: the caller's) and login, no history.
    fn piped_shell<'b>(
        &'b mut self,
        files: Option<&'b mut Vfs>,
        login: &'b Login,
        budget: u32,
        edit_done: bool,
    ) -> Cx<'b> {
        Cx {
            host: &mut *self.host,
            fs: files.unwrap_or(&mut *self.fs),
            login,
            history: &[],
            now: self.now,
            budget,
            shell_exit: None,
            edit_done,
            limits: self.limits,
            winsize: self.winsize,
            jobs: &mut *self.jobs,
        }
    }
}

/// Where one output stream of a command goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// The thread's own standard output / error, as its owner sees them.
    Stdout,
    Stderr,
    /// Appended to a file (truncated when the redirection was opened).
    File(String),
    Null,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IoScope {
    pub out: Target,
    pub err: Target,
}

const BASE_SCOPE: IoScope = IoScope {
    out: Target::Stdout,
    err: Target::Stderr,
};

/// A compound command's redirections, active while its body runs.
#[derive(Clone, Debug)]
struct IoLayer {
    scope: IoScope,
    stdin: Option<Input>,
}

/// A program or builtin that runs over several polls.
#[derive(Clone, Debug)]
pub(crate) enum Job {
    External {
        pid: Pid,
        /// It asked for an interactive shell and is suspended until that shell exits.
        awaiting_shell: bool,
        /// It asked for the editor (`kubectl edit`) on this file and waits until it is closed.
        editing: Option<String>,
        /// The shell it asked for, when its standard input is a pipe: that shell reads its
        /// commands from the pipe instead of taking over the terminal.
        piped_shell: Option<Box<PipedShell>>,
    },
    Filter(Filter),
    Sleep {
        until: Time,
    },
    /// A subshell: `( … )`, `bash -c`, `sh FILE`.
    Thread(Box<Thread>),
    Timeout {
        deadline: Time,
        inner: Box<Job>,
    },
    Watch(Box<Watch>),
    /// `vim FILE`: waits until the host closes the editor.
    Edit {
        path: String,
    },
    /// A bare `bash`/`sh`: a nested interactive shell on the same machine.
    NestedShell {
        login: Login,
        entered: bool,
    },
    /// A bare `bash`/`sh` reading its commands from a pipe (`… | bash`).
    PipedShell(Box<PipedShell>),
    Xargs(Box<XargsRun>),
    /// `wait [PID|%N…]`: until those background jobs (all: `None`) have ended.
    Wait(Option<Vec<u32>>),
}

/// `xargs`: reads standard input, then runs the command lines it makes one by one, as this
/// shell's own commands, each with an empty standard input. Like GNU's, it does not wait for
/// the end of an endless input: past [`XARGS_BATCH`] bytes it runs what the complete lines
/// make. The status is GNU's: 123 when an invocation failed with 1–125, and an invocation's
/// 124–127 or 255 (as 124) stops it.
#[derive(Clone, Debug)]
pub(crate) struct XargsRun {
    spec: Box<dyn super::tools::XargsSpec>,
    input: String,
    queue: std::collections::VecDeque<Vec<String>>,
    /// The input ended (or could not be read); what is queued is all there is.
    read_all: bool,
    /// A batch ran before the end: an empty rest does not run the bare command.
    batched: bool,
    running: Option<Box<Thread>>,
    status: i32,
    env: Env,
}

/// How much input xargs holds before running what it has (GNU's default command-line size).
const XARGS_BATCH: usize = 128 * 1024;

impl XargsRun {
    fn new(spec: Box<dyn super::tools::XargsSpec>, env: Env) -> XargsRun {
        XargsRun {
            spec,
            input: String::new(),
            queue: Default::default(),
            read_all: false,
            batched: false,
            running: None,
            status: 0,
            env,
        }
    }

    fn poll(&mut self, cx: &mut Cx<'_>, stdin: &mut Input, out: &mut Vec<Chunk>) -> Run {
        loop {
            if let Some(thread) = self.running.as_mut() {
                let mut empty = Input::closed(String::new());
                match thread.poll(cx, &mut empty, out) {
                    Run::Exited(status) => {
                        self.running = None;
                        match status {
                            0 => {}
                            1..=125 => self.status = 123,
                            255 => return Run::Exited(124),
                            other => return Run::Exited(other),
                        }
                    }
                    Run::EnterShell(_) => return Run::Progress,
                    other => return other,
                }
            }
            if let Some(argv) = self.queue.pop_front() {
                if self.spec.trace() {
                    push_chunk(out, Stream::Stderr, &format!("{}\n", argv.join(" ")));
                }
                let words: Vec<String> = argv.iter().map(|w| super::xargs::quote(w)).collect();
                if let Ok(program) = syntax::parse_script(&words.join(" ")) {
                    let thread = Thread::new(self.env.clone(), Rc::new(program), false);
                    self.running = Some(Box::new(thread));
                }
                continue;
            }
            if self.read_all {
                return Run::Exited(self.status);
            }
            let Input::Pipe { buf, eof } = stdin else {
                push_chunk(
                    out,
                    Stream::Stderr,
                    "xargs: reading from the terminal is not supported in this lab\n",
                );
                return Run::Exited(1);
            };
            let read = !buf.is_empty();
            self.input.push_str(&std::mem::take(buf));
            let batch = match self.input.rfind('\n') {
                _ if *eof => {
                    self.read_all = true;
                    std::mem::take(&mut self.input)
                }
                Some(end) if self.input.len() > XARGS_BATCH => {
                    let rest = self.input.split_off(end + 1);
                    std::mem::replace(&mut self.input, rest)
                }
                _ if read => return Run::Progress,
                _ => {
                    return Run::Blocked(Blocked {
                        input: true,
                        ..Blocked::default()
                    })
                }
            };
            match self.spec.commands(&batch, self.batched) {
                Ok(commands) => self.queue.extend(commands),
                Err(message) => {
                    push_chunk(out, Stream::Stderr, &message);
                    return Run::Exited(1);
                }
            }
            self.batched = true;
        }
    }
}

/// A shell that reads its commands from standard input, which is a pipe: `… | kubectl exec -i
/// POD -- sh` or `… | bash`. As bash does with a script on standard input, it runs each
/// complete command as soon as it has arrived (so an endless producer is served line by line),
/// prints no prompt, stops at a syntax error (status 2) or `exit`, and ends with the last
/// command's status when the pipe is closed.
#[derive(Clone, Debug)]
pub(crate) struct PipedShell {
    login: Login,
    /// The machine's files when it is another machine (a pod); `None`: the caller's own.
    files: Option<Vfs>,
    env: Env,
    /// Lines read but not yet run: an incomplete command (`while …` without `done`).
    pending: String,
    running: Option<Box<Thread>>,
}

impl PipedShell {
    pub(crate) fn new(login: Login, files: Option<Vfs>) -> PipedShell {
        PipedShell {
            env: super::login_env(&login),
            files: files.map(|files| super::login_files(&login, files)),
            login,
            pending: String::new(),
            running: None,
        }
    }

    /// Runs commands as far as the pipe allows; `Exited` once the shell is done.
    fn poll(&mut self, cx: &mut Cx<'_>, stdin: &mut Input, out: &mut Vec<Chunk>) -> Run {
        let mut progressed = false;
        loop {
            if let Some(thread) = self.running.as_mut() {
                let (budget, edit_done) = (cx.budget, std::mem::take(&mut cx.edit_done));
                let mut inner = cx.piped_shell(self.files.as_mut(), &self.login, budget, edit_done);
                // The commands share the shell's standard input, as in bash.
                let result = thread.poll(&mut inner, stdin, out);
                let (budget, edit_done) = (inner.budget, inner.edit_done);
                cx.budget = budget;
                cx.edit_done = edit_done;
                match result {
                    Run::Exited(status) => {
                        let exit = thread.exit_requested;
                        self.env = std::mem::take(&mut thread.env);
                        self.env.status = status;
                        self.running = None;
                        if exit {
                            return Run::Exited(status);
                        }
                        progressed = true;
                        continue;
                    }
                    // Nothing in it reads the terminal, so no interactive shell can start.
                    Run::EnterShell(_) => return Run::Progress,
                    other => return other,
                }
            }
            let Input::Pipe { buf, eof } = stdin else {
                // Never built on the terminal; read as an empty script.
                return Run::Exited(self.env.status);
            };
            let at_end = match buf.find('\n') {
                Some(newline) => {
                    self.pending.extend(buf.drain(..=newline));
                    false
                }
                None if *eof => {
                    self.pending.push_str(buf);
                    buf.clear();
                    true
                }
                None if progressed => return Run::Progress,
                None => {
                    return Run::Blocked(Blocked {
                        input: true,
                        ..Blocked::default()
                    })
                }
            };
            progressed = true;
            let prefix = self.login.err_prefix();
            match syntax::parse(&format!("{}\n", self.pending)) {
                Err(syntax::ParseError::Incomplete) if !at_end => continue,
                Err(e) => {
                    // A shell that is not interactive gives up at a syntax error.
                    let message = e.message(self.login.flavor);
                    push_chunk(out, Stream::Stderr, &format!("{prefix}{message}\n"));
                    return Run::Exited(2);
                }
                Ok(program) => {
                    self.pending.clear();
                    if !program.items.is_empty() {
                        let env = std::mem::take(&mut self.env);
                        let thread = Thread::new(env, Rc::new(program), false);
                        self.running = Some(Box::new(thread));
                    } else if at_end {
                        return Run::Exited(self.env.status);
                    }
                }
            }
        }
    }

    fn kill(&mut self, cx: &mut Cx<'_>, signal: Signal, out: &mut Vec<Chunk>) {
        if let Some(thread) = self.running.as_mut() {
            let mut inner = cx.piped_shell(self.files.as_mut(), &self.login, 0, false);
            thread.kill(&mut inner, signal, out);
        }
        self.running = None;
    }
}

/// `watch -n N CMD`: clear, header, run, sleep, forever (until Ctrl-C).
#[derive(Clone, Debug)]
pub(crate) struct Watch {
    pub interval_ms: i64,
    pub title: String,
    pub program: Rc<Program>,
    pub running: Option<Thread>,
    pub next_run: Time,
    pub env: Env,
}

fn io<'a>(stdin: &'a mut Input, out: &'a mut Vec<Chunk>, fs: &'a mut Vfs, cwd: &'a str) -> Io<'a> {
    Io {
        stdin,
        out,
        files: fs,
        cwd,
        consumed_input: false,
    }
}

impl Job {
    fn poll(&mut self, cx: &mut Cx<'_>, stdin: &mut Input, out: &mut Vec<Chunk>, cwd: &str) -> Run {
        match self {
            Job::External {
                pid,
                awaiting_shell,
                editing,
                piped_shell,
            } => {
                if let Some(shell) = piped_shell.as_mut() {
                    match shell.poll(cx, stdin, out) {
                        Run::Exited(status) => {
                            *piped_shell = None;
                            cx.shell_exit = Some(status);
                        }
                        other => return other,
                    }
                }
                if let Some(path) = editing.clone() {
                    if !cx.edit_done {
                        return Run::Blocked(Blocked {
                            edit: Some(path),
                            ..Blocked::default()
                        });
                    }
                    cx.edit_done = false;
                    *editing = None;
                }
                let before = out.len();
                let before_len = out.last().map_or(0, |c| c.text.len());
                let mut io = io(stdin, out, cx.fs, cwd);
                if *awaiting_shell {
                    match cx.shell_exit.take() {
                        Some(status) => {
                            cx.host.nested_shell_exited(*pid, status, &mut io);
                            *awaiting_shell = false;
                        }
                        None => return Run::Blocked(Blocked::default()),
                    }
                }
                let result = cx.host.poll(*pid, &mut io);
                let consumed = io.consumed_input;
                let on_terminal = *io.stdin == Input::Terminal;
                let wrote =
                    out.len() != before || out.last().map_or(0, |c| c.text.len()) != before_len;
                match result {
                    ProcessPoll::Exited(status) => Run::Exited(status),
                    ProcessPoll::Busy => Run::Progress,
                    ProcessPoll::Running if wrote || consumed => Run::Progress,
                    ProcessPoll::Running => Run::Blocked(Blocked {
                        cluster: true,
                        input: true,
                        ..Blocked::default()
                    }),
                    ProcessPoll::EnterShell(login) => {
                        *awaiting_shell = true;
                        if on_terminal {
                            return Run::EnterShell(login);
                        }
                        // `kubectl run -i`/`exec -i` with a pipe for input: the pod's shell
                        // reads the pipe, and the terminal stays with this pipeline.
                        let files = Some(Vfs::default());
                        *piped_shell = Some(Box::new(PipedShell::new(*login, files)));
                        Run::Progress
                    }
                    ProcessPoll::Edit { path } => {
                        *editing = Some(path.clone());
                        Run::Blocked(Blocked {
                            edit: Some(path),
                            ..Blocked::default()
                        })
                    }
                }
            }
            Job::Filter(filter) => filter.poll(stdin, out, cx.fs, cx.limits),
            Job::Sleep { until } => {
                if cx.now >= *until {
                    Run::Exited(0)
                } else {
                    Run::Blocked(Blocked {
                        wake: Some(*until),
                        ..Blocked::default()
                    })
                }
            }
            Job::Thread(thread) => thread.poll(cx, stdin, out),
            Job::Timeout { deadline, inner } => {
                if cx.now >= *deadline {
                    inner.kill(cx, Signal::Terminate, out, cwd);
                    return Run::Exited(124);
                }
                match inner.poll(cx, stdin, out, cwd) {
                    Run::Blocked(mut b) => {
                        b.wake = Some(b.wake.map_or(*deadline, |w| w.min(*deadline)));
                        Run::Blocked(b)
                    }
                    other => other,
                }
            }
            Job::Watch(watch) => watch.poll(cx, out),
            Job::Edit { path } => {
                if cx.edit_done {
                    cx.edit_done = false;
                    Run::Exited(0)
                } else {
                    Run::Blocked(Blocked {
                        edit: Some(path.clone()),
                        ..Blocked::default()
                    })
                }
            }
            Job::PipedShell(shell) => shell.poll(cx, stdin, out),
            Job::Xargs(xargs) => xargs.poll(cx, stdin, out),
            Job::Wait(pids) => {
                let mut blocked: Option<Blocked> = None;
                let mut status = 0;
                for job in &cx.jobs.list {
                    if pids.as_ref().is_some_and(|p| !p.contains(&job.pid)) {
                        continue;
                    }
                    match job.state {
                        JobState::Running => blocked
                            .get_or_insert_with(Blocked::default)
                            .merge(job.blocked.clone()),
                        state => status = state.status(),
                    }
                }
                match blocked {
                    Some(mut blocked) => {
                        blocked.input = false;
                        Run::Blocked(blocked)
                    }
                    None => Run::Exited(if pids.is_none() { 0 } else { status }),
                }
            }
            Job::NestedShell { login, entered } => {
                if !*entered {
                    *entered = true;
                    return Run::EnterShell(Box::new(login.clone()));
                }
                match cx.shell_exit.take() {
                    Some(status) => Run::Exited(status),
                    None => Run::Blocked(Blocked::default()),
                }
            }
        }
    }

    /// Stops the job; its last words go to `out`.
    pub(crate) fn kill(
        &mut self,
        cx: &mut Cx<'_>,
        signal: Signal,
        out: &mut Vec<Chunk>,
        cwd: &str,
    ) {
        match self {
            Job::External {
                pid, piped_shell, ..
            } => {
                if let Some(shell) = piped_shell.as_mut() {
                    shell.kill(cx, signal, out);
                }
                let mut stdin = Input::closed(String::new());
                let mut io = io(&mut stdin, out, cx.fs, cwd);
                cx.host.kill(*pid, signal, &mut io);
            }
            Job::Thread(thread) => thread.kill(cx, signal, out),
            Job::Timeout { inner, .. } => inner.kill(cx, signal, out, cwd),
            Job::PipedShell(shell) => shell.kill(cx, signal, out),
            Job::Xargs(xargs) => {
                if let Some(thread) = xargs.running.as_mut() {
                    thread.kill(cx, signal, out);
                }
            }
            Job::Watch(watch) => {
                if let Some(thread) = watch.running.as_mut() {
                    thread.kill(cx, signal, out);
                }
            }
            Job::Filter(_)
            | Job::Sleep { .. }
            | Job::Edit { .. }
            | Job::NestedShell { .. }
            | Job::Wait(_) => {}
        }
    }
}

impl Watch {
    fn poll(&mut self, cx: &mut Cx<'_>, out: &mut Vec<Chunk>) -> Run {
        if let Some(thread) = self.running.as_mut() {
            let mut stdin = Input::Terminal;
            return match thread.poll(cx, &mut stdin, out) {
                Run::Exited(_) => {
                    self.running = None;
                    self.next_run = cx.now + rollout_sim::clock::Duration(self.interval_ms);
                    Run::Progress
                }
                // A nested shell makes no sense under watch.
                Run::EnterShell(_) => Run::Progress,
                other => other,
            };
        }
        if cx.now < self.next_run {
            return Run::Blocked(Blocked {
                wake: Some(self.next_run),
                ..Blocked::default()
            });
        }
        push_chunk(out, Stream::Stdout, "\x1b[H\x1b[2J");
        let secs = self.interval_ms as f64 / 1000.0;
        push_chunk(
            out,
            Stream::Stdout,
            &format!("Every {secs:.1}s: {}\n\n", self.title),
        );
        self.running = Some(Thread::new(self.env.clone(), self.program.clone(), true));
        Run::Progress
    }
}

/// One interpreter frame. The stack's top is what runs next.
#[derive(Clone, Debug)]
enum Frame {
    /// Runs `prog.items[next..]` one after the other.
    List {
        prog: Rc<Program>,
        next: usize,
    },
    /// `a && b || c`: `launched` pipelines of item `item` have been considered.
    AndOr {
        prog: Rc<Program>,
        item: usize,
        launched: usize,
    },
    /// `! pipeline`: inverts the status when the pipeline below finishes.
    Negate,
    Simple(Box<SimpleRun>),
    /// A compound command whose redirections are being set up.
    Compound {
        cmd: Rc<Compound>,
        redirects: Rc<Vec<Redirect>>,
        substituted: bool,
    },
    /// Ends the redirections of the compound command that ran above it.
    PopIo,
    For(Box<ForRun>),
    While {
        until: bool,
        cond: Rc<Program>,
        body: Rc<Program>,
        in_body: bool,
        /// `while` returns the status of the last body run, or 0.
        body_status: i32,
    },
    If {
        cmd: Rc<Compound>,
        arm: usize,
    },
    Pipeline(Box<PipelineRun>),
    /// A subshell job `( … )` running with the current redirections.
    Sub(Box<Thread>),
    /// Running `$(…)`s before a command can expand its words.
    Subst(Box<SubstRun>),
}

#[derive(Clone, Debug)]
struct SimpleRun {
    cmd: Rc<SimpleCommand>,
    phase: SimplePhase,
}

#[derive(Clone, Debug)]
enum SimplePhase {
    Start,
    Expand,
    Running {
        job: Box<Job>,
        scope: IoScope,
        stdin: Option<Input>,
    },
}

#[derive(Clone, Debug)]
struct ForRun {
    var: String,
    cmd: Rc<Compound>,
    body: Rc<Program>,
    items: Vec<String>,
    next: usize,
    expanded: bool,
    substituted: bool,
}

#[derive(Clone, Debug)]
struct PipelineRun {
    stages: Vec<Option<Thread>>,
    statuses: Vec<i32>,
    /// `pipes[i]` carries stage i's output to stage i+1.
    pipes: Vec<Input>,
}

#[derive(Clone, Debug)]
struct SubstRun {
    programs: Vec<Rc<Program>>,
    next: usize,
    current: Option<Thread>,
    captured: String,
    results: SubstResults,
}

/// Pipes hold at most this much unread output (like Linux's 64 KiB): a writer faster than its
/// reader waits, so `seq 1000000000 | head -n 1` stays small.
const PIPE_CAPACITY: usize = 64 * 1024;

/// Interpreter state of one flow of execution. See the module docs.
#[derive(Clone, Debug)]
pub(crate) struct Thread {
    pub env: Env,
    frames: Vec<Frame>,
    io: Vec<IoLayer>,
    /// Results of the `Subst` frame that just finished, for the frame below it.
    subst_slot: Option<SubstResults>,
    /// `exit` ran: the thread ended on purpose (ends a session when it is the foreground).
    pub exit_requested: bool,
    /// Whether the thread's standard output is the user's terminal.
    tty: bool,
}

/// What a step of one frame did.
enum Step {
    Continue,
    Run(Run),
}

fn route(target: &Target, text: &str, out: &mut Vec<Chunk>, fs: &mut Vfs, limits: &Limits) {
    match target {
        Target::Stdout => push_chunk(out, Stream::Stdout, text),
        Target::Stderr => push_chunk(out, Stream::Stderr, text),
        Target::Null => {}
        Target::File(path) => {
            let file = fs.files.entry(path.clone()).or_default();
            if file.len() + text.len() > limits.max_file_bytes {
                push_chunk(
                    out,
                    Stream::Stderr,
                    "bash: write error: No space left on device\n",
                );
            } else {
                file.push_str(text);
            }
        }
    }
}

/// Sends a job's chunks where the scope says.
fn route_all(scope: &IoScope, chunks: Vec<Chunk>, out: &mut Vec<Chunk>, cx: &mut Cx<'_>) {
    for chunk in chunks {
        let target = match chunk.stream {
            Stream::Stdout => &scope.out,
            Stream::Stderr => &scope.err,
        };
        route(target, &chunk.text, out, cx.fs, cx.limits);
    }
}

fn current_stdin<'s>(layers: &'s mut [IoLayer], base: &'s mut Input) -> &'s mut Input {
    for layer in layers.iter_mut().rev() {
        if let Some(stdin) = layer.stdin.as_mut() {
            return stdin;
        }
    }
    base
}

fn one_command_program(cmd: &Command) -> Rc<Program> {
    Rc::new(Program {
        items: vec![syntax::AndOr {
            first: Pipeline {
                negate: false,
                commands: vec![cmd.clone()],
            },
            rest: Vec::new(),
            background: None,
        }],
    })
}

impl Thread {
    pub(crate) fn new(env: Env, program: Rc<Program>, tty: bool) -> Thread {
        Thread {
            env,
            frames: vec![Frame::List {
                prog: program,
                next: 0,
            }],
            io: Vec::new(),
            subst_slot: None,
            exit_requested: false,
            tty,
        }
    }

    fn scope(&self) -> IoScope {
        self.io
            .last()
            .map_or(BASE_SCOPE, |layer| layer.scope.clone())
    }

    fn err_line(&self, cx: &mut Cx<'_>, out: &mut Vec<Chunk>, message: &str) {
        let text = format!("{}{message}\n", cx.login.err_prefix());
        route(&self.scope().err, &text, out, cx.fs, cx.limits);
    }

    /// Runs until the thread ends, blocks, or the budget is spent.
    pub(crate) fn poll(&mut self, cx: &mut Cx<'_>, stdin: &mut Input, out: &mut Vec<Chunk>) -> Run {
        loop {
            let Some(frame) = self.frames.pop() else {
                return Run::Exited(self.env.status);
            };
            if cx.budget == 0 {
                self.frames.push(frame);
                return Run::Yield;
            }
            cx.budget -= 1;
            match self.step(frame, cx, stdin, out) {
                Step::Continue => {}
                Step::Run(run) => return run,
            }
        }
    }

    /// Stops everything the thread runs (Ctrl-C, a broken pipe, `timeout`).
    pub(crate) fn kill(&mut self, cx: &mut Cx<'_>, signal: Signal, out: &mut Vec<Chunk>) {
        let cwd = self.env.cwd.clone();
        while let Some(frame) = self.frames.pop() {
            match frame {
                Frame::Simple(mut run) => {
                    if let SimplePhase::Running { job, .. } = &mut run.phase {
                        job.kill(cx, signal, out, &cwd);
                    }
                }
                Frame::Pipeline(mut p) => {
                    for thread in p.stages.iter_mut().flatten() {
                        thread.kill(cx, signal, out);
                    }
                }
                Frame::Sub(mut thread) => thread.kill(cx, signal, out),
                Frame::Subst(mut s) => {
                    if let Some(thread) = s.current.as_mut() {
                        thread.kill(cx, signal, out);
                    }
                }
                _ => {}
            }
        }
        self.io.clear();
        self.env.status = match signal {
            Signal::Interrupt => 130,
            Signal::Terminate => 124,
            Signal::BrokenPipe => 141,
        };
    }

    fn step(
        &mut self,
        frame: Frame,
        cx: &mut Cx<'_>,
        stdin: &mut Input,
        out: &mut Vec<Chunk>,
    ) -> Step {
        match frame {
            Frame::List { prog, next } => {
                if next < prog.items.len() {
                    self.frames.push(Frame::List {
                        prog: prog.clone(),
                        next: next + 1,
                    });
                    self.frames.push(Frame::AndOr {
                        prog,
                        item: next,
                        launched: 0,
                    });
                }
                Step::Continue
            }
            Frame::AndOr {
                prog,
                item,
                launched,
            } => {
                let Some(and_or) = prog.items.get(item) else {
                    return Step::Continue;
                };
                if let (0, Some(text)) = (launched, &and_or.background) {
                    let program = Program {
                        items: vec![syntax::AndOr {
                            background: None,
                            ..and_or.clone()
                        }],
                    };
                    let tty = self.tty && self.scope().out == Target::Stdout;
                    let thread = Thread::new(self.env.clone(), Rc::new(program), tty);
                    let (pid, line) = cx.jobs.start(thread, text.clone(), cx.login.pid);
                    if self.tty {
                        route(&self.scope().err, &line, out, cx.fs, cx.limits);
                    }
                    self.env.last_job = Some(pid);
                    self.env.status = 0;
                    return Step::Continue;
                }
                if launched == 0 {
                    let first = and_or.first.clone();
                    self.frames.push(Frame::AndOr {
                        prog,
                        item,
                        launched: 1,
                    });
                    self.launch(&first);
                    return Step::Continue;
                }
                let mut k = launched - 1;
                while let Some((connector, pipeline)) = and_or.rest.get(k) {
                    k += 1;
                    let run = match connector {
                        syntax::Connector::And => self.env.status == 0,
                        syntax::Connector::Or => self.env.status != 0,
                    };
                    if run {
                        let pipeline = pipeline.clone();
                        self.frames.push(Frame::AndOr {
                            prog: prog.clone(),
                            item,
                            launched: k + 1,
                        });
                        self.launch(&pipeline);
                        return Step::Continue;
                    }
                }
                Step::Continue
            }
            Frame::Negate => {
                self.env.status = i32::from(self.env.status == 0);
                Step::Continue
            }
            Frame::Simple(run) => self.step_simple(run, cx, stdin, out),
            Frame::Compound {
                cmd,
                redirects,
                substituted,
            } => self.step_compound(cmd, redirects, substituted, cx, out),
            Frame::PopIo => {
                self.io.pop();
                Step::Continue
            }
            Frame::For(run) => self.step_for(run, cx, out),
            Frame::While {
                until,
                cond,
                body,
                in_body,
                body_status,
            } => {
                // Entered fresh (in_body == false and the cond has not run) is encoded by
                // pushing the cond first when the loop starts; see `start_compound`.
                if in_body {
                    let status = self.env.status;
                    self.frames.push(Frame::While {
                        until,
                        cond: cond.clone(),
                        body,
                        in_body: false,
                        body_status: status,
                    });
                    self.frames.push(Frame::List {
                        prog: cond,
                        next: 0,
                    });
                    return Step::Continue;
                }
                let holds = (self.env.status == 0) != until;
                if holds {
                    self.frames.push(Frame::While {
                        until,
                        cond,
                        body: body.clone(),
                        in_body: true,
                        body_status,
                    });
                    self.frames.push(Frame::List {
                        prog: body,
                        next: 0,
                    });
                } else {
                    self.env.status = body_status;
                }
                Step::Continue
            }
            Frame::If { cmd, arm } => {
                let Compound::If { arms, otherwise } = &*cmd else {
                    return Step::Continue;
                };
                if self.env.status == 0 {
                    if let Some((_, body)) = arms.get(arm) {
                        self.frames.push(Frame::List {
                            prog: body.clone(),
                            next: 0,
                        });
                    }
                    return Step::Continue;
                }
                if let Some((cond, _)) = arms.get(arm + 1) {
                    let cond = cond.clone();
                    self.frames.push(Frame::If {
                        cmd: cmd.clone(),
                        arm: arm + 1,
                    });
                    self.frames.push(Frame::List {
                        prog: cond,
                        next: 0,
                    });
                } else if let Some(body) = otherwise {
                    self.frames.push(Frame::List {
                        prog: body.clone(),
                        next: 0,
                    });
                } else {
                    self.env.status = 0;
                }
                Step::Continue
            }
            Frame::Pipeline(run) => self.step_pipeline(run, cx, stdin, out),
            Frame::Sub(mut thread) => {
                let scope = self.scope();
                let mut local = Vec::new();
                let result = {
                    let input = current_stdin(&mut self.io, stdin);
                    thread.poll(cx, input, &mut local)
                };
                route_all(&scope, local, out, cx);
                match result {
                    Run::Exited(status) => {
                        self.env.status = status;
                        Step::Continue
                    }
                    other => {
                        self.frames.push(Frame::Sub(thread));
                        Step::Run(other)
                    }
                }
            }
            Frame::Subst(run) => self.step_subst(run, cx, out),
        }
    }

    fn launch(&mut self, pipeline: &Pipeline) {
        if pipeline.negate {
            self.frames.push(Frame::Negate);
        }
        match pipeline.commands.as_slice() {
            [] => {}
            [only] => self.launch_command(only),
            many => {
                let last = many.len() - 1;
                let stages = many
                    .iter()
                    .enumerate()
                    .map(|(i, cmd)| {
                        let tty = i == last && self.tty && self.scope().out == Target::Stdout;
                        Some(Thread::new(self.env.clone(), one_command_program(cmd), tty))
                    })
                    .collect();
                self.frames.push(Frame::Pipeline(Box::new(PipelineRun {
                    stages,
                    statuses: vec![0; many.len()],
                    pipes: (0..last)
                        .map(|_| Input::Pipe {
                            buf: String::new(),
                            eof: false,
                        })
                        .collect(),
                })));
            }
        }
    }

    fn launch_command(&mut self, cmd: &Command) {
        match cmd {
            Command::Simple(simple) => self.frames.push(Frame::Simple(Box::new(SimpleRun {
                cmd: simple.clone(),
                phase: SimplePhase::Start,
            }))),
            Command::Compound(compound, redirects) => self.frames.push(Frame::Compound {
                cmd: compound.clone(),
                redirects: redirects.clone(),
                substituted: false,
            }),
        }
    }

    /// Pushes a `Subst` frame for `programs` and returns true, or returns false (nothing to run)
    /// after leaving empty results in the slot.
    fn start_substs(&mut self, programs: Vec<Rc<Program>>) -> bool {
        if programs.is_empty() {
            self.subst_slot = Some(SubstResults::default());
            return false;
        }
        self.frames.push(Frame::Subst(Box::new(SubstRun {
            programs,
            next: 0,
            current: None,
            captured: String::new(),
            results: SubstResults::default(),
        })));
        true
    }

    fn step_subst(
        &mut self,
        mut run: Box<SubstRun>,
        cx: &mut Cx<'_>,
        out: &mut Vec<Chunk>,
    ) -> Step {
        let mut thread = match run.current.take() {
            Some(thread) => thread,
            None => match run.programs.get(run.next) {
                Some(program) => Thread::new(self.env.clone(), program.clone(), false),
                None => {
                    self.subst_slot = Some(std::mem::take(&mut run.results));
                    return Step::Continue;
                }
            },
        };
        let mut terminal = Input::Terminal;
        let mut local = Vec::new();
        let result = thread.poll(cx, &mut terminal, &mut local);
        let err_target = self.scope().err;
        let mut overflow = false;
        for chunk in local {
            match chunk.stream {
                Stream::Stdout => {
                    if run.captured.len() + chunk.text.len() > cx.limits.max_capture_bytes {
                        overflow = true;
                    } else {
                        run.captured.push_str(&chunk.text);
                    }
                }
                Stream::Stderr => route(&err_target, &chunk.text, out, cx.fs, cx.limits),
            }
        }
        if overflow {
            thread.kill(cx, Signal::BrokenPipe, out);
            let limit = cx.limits.max_capture_bytes;
            self.err_line(
                cx,
                out,
                &format!("command substitution: output longer than {limit} bytes, cut off"),
            );
        }
        match (overflow, result) {
            (true, _) | (false, Run::Exited(_)) => {
                let program = run.programs.get(run.next);
                // A subshell that ran nothing exits 0 (its `$?` started as the parent's).
                let ran_nothing = program.is_some_and(|p| p.items.is_empty());
                let status = match (overflow, ran_nothing) {
                    (true, _) => 1,
                    (false, true) => 0,
                    (false, false) => thread.env.status,
                };
                let key = program.map(subst_key).unwrap_or(0);
                let value = run.captured.trim_end_matches('\n').to_string();
                run.captured.clear();
                run.results.values.insert(key, value);
                run.results.last_status = Some(status);
                run.next += 1;
                self.frames.push(Frame::Subst(run));
                Step::Continue
            }
            (false, other) => {
                run.current = Some(thread);
                self.frames.push(Frame::Subst(run));
                Step::Run(other)
            }
        }
    }

    fn expander<'e>(&'e mut self, cx: &'e mut Cx<'_>, substs: &'e SubstResults) -> Expander<'e> {
        Expander {
            env: &mut self.env,
            login: cx.login,
            host: &mut *cx.host,
            substs,
            fs: cx.fs,
            winsize: cx.winsize,
        }
    }

    /// Opens `redirects` on top of `base`: files are created or truncated now, like bash does
    /// before the command runs. Returns the scope and a stdin override, or the error message.
    fn open_redirects(
        &mut self,
        redirects: &[Redirect],
        base: IoScope,
        substs: &SubstResults,
        cx: &mut Cx<'_>,
    ) -> Result<(IoScope, Option<Input>), String> {
        let mut scope = base;
        let mut stdin = None;
        for r in redirects {
            match &r.op {
                RedirOp::Write { target, append } | RedirOp::WriteBoth { target, append } => {
                    let name = self
                        .expander(cx, substs)
                        .string(target)
                        .map_err(|e| e.message())?;
                    let t = self.open_for_write(&name, *append, &scope, cx)?;
                    if matches!(r.op, RedirOp::WriteBoth { .. }) {
                        scope.out = t.clone();
                        scope.err = t;
                    } else {
                        match r.fd {
                            1 => scope.out = t,
                            2 => scope.err = t,
                            _ => {}
                        }
                    }
                }
                RedirOp::Dup(from) => {
                    let source = match from {
                        1 => scope.out.clone(),
                        2 => scope.err.clone(),
                        0 => continue,
                        n => return Err(format!("{n}: Bad file descriptor")),
                    };
                    match r.fd {
                        1 => scope.out = source,
                        2 => scope.err = source,
                        _ => {}
                    }
                }
                RedirOp::Close => match r.fd {
                    1 => scope.out = Target::Null,
                    2 => scope.err = Target::Null,
                    _ => {}
                },
                RedirOp::Read(word) => {
                    let name = self
                        .expander(cx, substs)
                        .string(word)
                        .map_err(|e| e.message())?;
                    if name == "/dev/null" {
                        stdin = Some(Input::closed(String::new()));
                        continue;
                    }
                    let abs = Vfs::resolve(&self.env.cwd, &name);
                    match cx.fs.read(&abs) {
                        Some(text) => stdin = Some(Input::closed(text.to_string())),
                        None if cx.fs.is_dir(&abs) => {
                            return Err(format!("{name}: Is a directory"));
                        }
                        None => return Err(format!("{name}: No such file or directory")),
                    }
                }
                RedirOp::HereDoc(body) => {
                    let text = self
                        .expander(cx, substs)
                        .string(body)
                        .map_err(|e| e.message())?;
                    stdin = Some(Input::closed(text));
                }
                RedirOp::HereString(word) => {
                    let text = self
                        .expander(cx, substs)
                        .string(word)
                        .map_err(|e| e.message())?;
                    stdin = Some(Input::closed(format!("{text}\n")));
                }
            }
        }
        Ok((scope, stdin))
    }

    fn open_for_write(
        &mut self,
        name: &str,
        append: bool,
        scope: &IoScope,
        cx: &mut Cx<'_>,
    ) -> Result<Target, String> {
        match name {
            "/dev/null" => return Ok(Target::Null),
            "/dev/stdout" => return Ok(scope.out.clone()),
            "/dev/stderr" => return Ok(scope.err.clone()),
            "" => return Err(": No such file or directory".into()),
            _ => {}
        }
        let abs = Vfs::resolve(&self.env.cwd, name);
        if cx.fs.is_dir(&abs) {
            return Err(format!("{name}: Is a directory"));
        }
        if !cx.fs.parent_exists(&abs) {
            return Err(format!("{name}: No such file or directory"));
        }
        let file = cx.fs.files.entry(abs.clone()).or_default();
        if !append {
            file.clear();
        }
        Ok(Target::File(abs))
    }

    fn step_simple(
        &mut self,
        mut run: Box<SimpleRun>,
        cx: &mut Cx<'_>,
        stdin: &mut Input,
        out: &mut Vec<Chunk>,
    ) -> Step {
        match run.phase {
            SimplePhase::Start => {
                let mut programs = Vec::new();
                for (_, value) in &run.cmd.assigns {
                    collect_substs(value, &mut programs);
                }
                for word in &run.cmd.words {
                    collect_substs(word, &mut programs);
                }
                for r in &run.cmd.redirects {
                    redirect_substs(r, &mut programs);
                }
                run.phase = SimplePhase::Expand;
                self.frames.push(Frame::Simple(run));
                self.start_substs(programs);
                Step::Continue
            }
            SimplePhase::Expand => self.start_simple(run.cmd.clone(), cx, stdin, out),
            SimplePhase::Running {
                mut job,
                scope,
                stdin: mut own_stdin,
            } => {
                let mut local = Vec::new();
                let cwd = self.env.cwd.clone();
                let result = {
                    let input = match own_stdin.as_mut() {
                        Some(input) => input,
                        None => current_stdin(&mut self.io, stdin),
                    };
                    job.poll(cx, input, &mut local, &cwd)
                };
                route_all(&scope, local, out, cx);
                match result {
                    Run::Exited(status) => {
                        self.env.status = status;
                        Step::Continue
                    }
                    other => {
                        run.phase = SimplePhase::Running {
                            job,
                            scope,
                            stdin: own_stdin,
                        };
                        self.frames.push(Frame::Simple(run));
                        Step::Run(other)
                    }
                }
            }
        }
    }

    /// Expands the command's words and starts it.
    fn start_simple(
        &mut self,
        cmd: Rc<SimpleCommand>,
        cx: &mut Cx<'_>,
        stdin: &mut Input,
        out: &mut Vec<Chunk>,
    ) -> Step {
        let substs = self.subst_slot.take().unwrap_or_default();
        let mut argv = Vec::new();
        let mut assigns = Vec::new();
        let expanded: Result<(), String> = (|| {
            for (name, value) in &cmd.assigns {
                let value = self
                    .expander(cx, &substs)
                    .string(value)
                    .map_err(|e| e.message())?;
                assigns.push((name.clone(), value));
            }
            for word in &cmd.words {
                let fields = self
                    .expander(cx, &substs)
                    .fields(word)
                    .map_err(|e| e.message())?;
                argv.extend(fields);
            }
            Ok(())
        })();
        if let Err(message) = expanded {
            self.err_line(cx, out, &message);
            self.env.status = 1;
            return Step::Continue;
        }
        let (scope, own_stdin) =
            match self.open_redirects(&cmd.redirects, self.scope(), &substs, cx) {
                Ok(opened) => opened,
                Err(message) => {
                    self.err_line(cx, out, &message);
                    self.env.status = 1;
                    return Step::Continue;
                }
            };
        if argv.is_empty() {
            for (name, value) in assigns {
                self.env.vars.insert(name, value);
            }
            self.env.status = substs.last_status.unwrap_or(0);
            return Step::Continue;
        }
        let stdin_is_terminal =
            own_stdin.is_none() && *current_stdin(&mut self.io, stdin) == Input::Terminal;
        let mut local = Vec::new();
        let started =
            self.start_command(&argv, &assigns, &scope, stdin_is_terminal, cx, &mut local);
        route_all(&scope, local, out, cx);
        match started {
            Started::Done(status) => {
                self.env.status = status;
                Step::Continue
            }
            Started::Job(job) => {
                self.frames.push(Frame::Simple(Box::new(SimpleRun {
                    cmd,
                    phase: SimplePhase::Running {
                        job,
                        scope,
                        stdin: own_stdin,
                    },
                })));
                Step::Continue
            }
        }
    }

    /// Thread builtins (they change this shell), then utilities, then the host's programs.
    fn start_command(
        &mut self,
        argv: &[String],
        assigns: &[(String, String)],
        scope: &IoScope,
        stdin_is_terminal: bool,
        cx: &mut Cx<'_>,
        out: &mut Vec<Chunk>,
    ) -> Started {
        let prefix = cx.login.err_prefix();
        let name = argv[0].as_str();
        let args = &argv[1..];
        match name {
            "cd" => return Started::Done(self.cd(args, cx, out)),
            "export" => {
                for arg in args.iter().filter(|a| !a.starts_with('-')) {
                    match arg.split_once('=') {
                        Some((k, v)) if syntax::is_name(k) => {
                            self.env.vars.insert(k.into(), v.into());
                        }
                        None if syntax::is_name(arg) => {}
                        _ => {
                            push_chunk(
                                out,
                                Stream::Stderr,
                                &format!("{prefix}export: `{arg}': not a valid identifier\n"),
                            );
                            return Started::Done(1);
                        }
                    }
                }
                return Started::Done(0);
            }
            "unset" => {
                for arg in args.iter().filter(|a| !a.starts_with('-')) {
                    self.env.vars.remove(arg);
                }
                return Started::Done(0);
            }
            "exit" => {
                let status = match args.first() {
                    None => self.env.status,
                    Some(a) => match a.parse::<i64>() {
                        Ok(n) => (n & 0xff) as i32,
                        Err(_) => {
                            push_chunk(
                                out,
                                Stream::Stderr,
                                &format!("{prefix}exit: {a}: numeric argument required\n"),
                            );
                            2
                        }
                    },
                };
                self.frames.clear();
                self.io.clear();
                self.exit_requested = true;
                return Started::Done(status);
            }
            "break" | "continue" => return Started::Done(self.break_loop(name, args, cx, out)),
            "source" | "." => {
                let Some(file) = args.first() else {
                    push_chunk(
                        out,
                        Stream::Stderr,
                        &format!("{prefix}{name}: filename argument required\n"),
                    );
                    return Started::Done(2);
                };
                let abs = Vfs::resolve(&self.env.cwd, file);
                let Some(text) = cx.fs.read(&abs).map(str::to_string) else {
                    push_chunk(
                        out,
                        Stream::Stderr,
                        &format!("{prefix}{file}: No such file or directory\n"),
                    );
                    return Started::Done(1);
                };
                return match syntax::parse_script(&text) {
                    Ok(program) => {
                        self.frames.push(Frame::List {
                            prog: Rc::new(program),
                            next: 0,
                        });
                        Started::Done(self.env.status)
                    }
                    Err(e) => {
                        push_chunk(
                            out,
                            Stream::Stderr,
                            &format!("{prefix}{file}: {}\n", e.message(cx.login.flavor)),
                        );
                        Started::Done(2)
                    }
                };
            }
            "bash" | "sh" | "/bin/bash" | "/bin/sh" => {
                return self.start_subshell_program(args, stdin_is_terminal, cx, out);
            }
            "watch" => return self.start_watch(args, cx, out),
            "xargs" => {
                let Some(tools) = super::tools::text_tools() else {
                    let message = super::tools::not_loaded("xargs");
                    push_chunk(out, Stream::Stderr, &format!("{message}\n"));
                    return Started::Done(1);
                };
                return match tools.xargs(args) {
                    Ok(spec) => Started::Job(Box::new(Job::Xargs(Box::new(XargsRun::new(
                        spec,
                        self.env.clone(),
                    ))))),
                    Err(message) => {
                        push_chunk(out, Stream::Stderr, &message);
                        Started::Done(1)
                    }
                };
            }
            "jobs" | "kill" | "wait" | "fg" => return self.job_builtin(name, args, cx, out),
            _ => {}
        }
        self.start_program(argv, assigns, scope, stdin_is_terminal, cx, out)
    }

    /// `jobs [-l]`, `kill [-SIG] %N|PID…`, `wait [%N|PID…]`, `fg [%N]`.
    fn job_builtin(
        &mut self,
        name: &str,
        args: &[String],
        cx: &mut Cx<'_>,
        out: &mut Vec<Chunk>,
    ) -> Started {
        let scope = self.scope();
        let err = |cx: &mut Cx<'_>, out: &mut Vec<Chunk>, text: String| {
            let text = format!("{}{name}: {text}\n", cx.login.err_prefix());
            route(&scope.err, &text, out, cx.fs, cx.limits);
        };
        match name {
            "jobs" => {
                let long = args.iter().any(|a| a == "-l");
                let text: String = (0..cx.jobs.list.len())
                    .map(|i| cx.jobs.line(i, long))
                    .collect();
                route(&scope.out, &text, out, cx.fs, cx.limits);
                Started::Done(0)
            }
            "kill" => {
                let mut signal = 15;
                let mut targets = args;
                match args {
                    [s, spec, rest @ ..] if s == "-s" || s == "-n" => {
                        targets = rest;
                        match jobs::signal_number(spec) {
                            Some(n) => signal = n,
                            None => {
                                err(cx, out, format!("{spec}: invalid signal specification"));
                                return Started::Done(1);
                            }
                        }
                    }
                    [first, rest @ ..] if first.starts_with('-') && first.len() > 1 => {
                        targets = rest;
                        match jobs::signal_number(&first[1..]) {
                            Some(n) => signal = n,
                            None => {
                                let spec = &first[1..];
                                err(cx, out, format!("{spec}: invalid signal specification"));
                                return Started::Done(1);
                            }
                        }
                    }
                    _ => {}
                }
                if targets.is_empty() {
                    err(cx, out, "usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]".into());
                    return Started::Done(2);
                }
                let mut status = 0;
                for spec in targets {
                    let index = match cx.jobs.find(spec) {
                        Ok(index) => index,
                        Err(text) => {
                            err(cx, out, text);
                            status = 1;
                            continue;
                        }
                    };
                    if let Some(mut thread) = cx.jobs.list[index].thread.take() {
                        let sig = if signal == 2 {
                            Signal::Interrupt
                        } else {
                            Signal::Terminate
                        };
                        thread.kill(cx, sig, out);
                        cx.jobs.list[index].state = JobState::Signaled(signal);
                    }
                }
                Started::Done(status)
            }
            "wait" => {
                let mut pids = Vec::new();
                let mut reaped = None;
                for spec in args {
                    let known = spec.parse::<u32>().ok().and_then(|pid| {
                        cx.jobs
                            .reaped
                            .iter()
                            .rev()
                            .find(|(p, _)| *p == pid)
                            .copied()
                    });
                    match cx.jobs.find(spec) {
                        Ok(index) => pids.push(cx.jobs.list[index].pid),
                        Err(_) if known.is_some() => reaped = known.map(|(_, status)| status),
                        Err(text) => {
                            let text = if spec.starts_with('%') {
                                text
                            } else {
                                format!("pid {spec} is not a child of this shell")
                            };
                            err(cx, out, text);
                            return Started::Done(127);
                        }
                    }
                }
                if let (Some(status), true) = (reaped, pids.is_empty()) {
                    return Started::Done(status);
                }
                let pids = (!args.is_empty()).then_some(pids);
                Started::Job(Box::new(Job::Wait(pids)))
            }
            _ => {
                let spec = args.first().map_or("%+", String::as_str);
                let found = cx.jobs.find(spec).map_err(|e| {
                    if args.is_empty() {
                        "current: no such job".to_string()
                    } else {
                        e
                    }
                });
                let index = match found {
                    Ok(index) => index,
                    Err(text) => {
                        err(cx, out, text);
                        return Started::Done(1);
                    }
                };
                let job = cx.jobs.list.remove(index);
                match job.thread {
                    Some(thread) => {
                        route(
                            &scope.out,
                            &format!("{}\n", job.text),
                            out,
                            cx.fs,
                            cx.limits,
                        );
                        Started::Job(Box::new(Job::Thread(Box::new(thread))))
                    }
                    None => {
                        err(cx, out, "job has terminated".into());
                        Started::Done(1)
                    }
                }
            }
        }
    }

    /// A utility or a host program (what `timeout` may run too).
    fn start_program(
        &mut self,
        argv: &[String],
        assigns: &[(String, String)],
        scope: &IoScope,
        stdin_is_terminal: bool,
        cx: &mut Cx<'_>,
        out: &mut Vec<Chunk>,
    ) -> Started {
        if argv[0] == "timeout" {
            return self.start_timeout(argv, assigns, scope, stdin_is_terminal, cx, out);
        }
        let stdout_is_terminal = self.tty && scope.out == Target::Stdout;
        let mut ucx = UtilCx {
            env: &self.env,
            fs: &mut *cx.fs,
            login: cx.login,
            history: cx.history,
            now: cx.now,
            out,
            stdout_is_terminal,
            winsize: cx.winsize,
        };
        if let Some(started) = builtins::utility(argv, &mut ucx) {
            return started.into();
        }
        let mut env = self.env.vars.clone();
        env.insert("PWD".into(), self.env.cwd.clone());
        for (k, v) in assigns {
            env.insert(k.clone(), v.clone());
        }
        let ctx = Context {
            location: &cx.login.location,
            cwd: &self.env.cwd,
            env: &env,
            files: cx.fs,
            stdin_is_terminal,
            stdout_is_terminal,
        };
        match cx.host.spawn(argv, &ctx) {
            Ok(pid) => Started::Job(Box::new(Job::External {
                pid,
                awaiting_shell: false,
                editing: None,
                piped_shell: None,
            })),
            Err(SpawnError::NotFound) => {
                let text = match cx.login.flavor {
                    super::Flavor::Bash => format!("bash: {}: command not found\n", argv[0]),
                    super::Flavor::Sh => format!("/bin/sh: {}: not found\n", argv[0]),
                };
                push_chunk(out, Stream::Stderr, &text);
                Started::Done(127)
            }
            Err(SpawnError::Failed { message, status }) => {
                let mut message = message;
                if !message.is_empty() && !message.ends_with('\n') {
                    message.push('\n');
                }
                push_chunk(out, Stream::Stderr, &message);
                Started::Done(status)
            }
        }
    }

    fn start_timeout(
        &mut self,
        argv: &[String],
        assigns: &[(String, String)],
        scope: &IoScope,
        stdin_is_terminal: bool,
        cx: &mut Cx<'_>,
        out: &mut Vec<Chunk>,
    ) -> Started {
        let args: Vec<&String> = argv[1..]
            .iter()
            .skip_while(|a| a.starts_with('-'))
            .collect();
        let Some(duration) = args.first() else {
            push_chunk(
                out,
                Stream::Stderr,
                "timeout: missing operand\nTry 'timeout --help' for more information.\n",
            );
            return Started::Done(125);
        };
        let Some(ms) = builtins::parse_duration_ms(duration) else {
            push_chunk(
                out,
                Stream::Stderr,
                &format!("timeout: invalid time interval ‘{duration}’\nTry 'timeout --help' for more information.\n"),
            );
            return Started::Done(125);
        };
        let inner_argv: Vec<String> = args[1..].iter().map(|s| s.to_string()).collect();
        if inner_argv.is_empty() {
            push_chunk(
                out,
                Stream::Stderr,
                &format!("timeout: missing operand after ‘{duration}’\nTry 'timeout --help' for more information.\n"),
            );
            return Started::Done(125);
        }
        let started = self.start_program(&inner_argv, assigns, scope, stdin_is_terminal, cx, out);
        match started {
            // GNU timeout: "A duration of 0 disables the associated timeout".
            started if ms == 0 => started,
            Started::Done(status) => Started::Done(status),
            Started::Job(job) => Started::Job(Box::new(Job::Timeout {
                deadline: cx.now + rollout_sim::clock::Duration(ms),
                inner: job,
            })),
        }
    }

    fn start_watch(&mut self, args: &[String], cx: &mut Cx<'_>, out: &mut Vec<Chunk>) -> Started {
        let mut interval_ms = 2000;
        let mut rest = args;
        while let Some(first) = rest.first() {
            match first.as_str() {
                "-n" | "--interval" => {
                    let Some(ms) = rest.get(1).and_then(|v| builtins::parse_duration_ms(v)) else {
                        push_chunk(out, Stream::Stderr, "watch: failed to parse argument\n");
                        return Started::Done(1);
                    };
                    interval_ms = ms.max(100);
                    rest = &rest[2..];
                }
                s if s.starts_with("-n") => {
                    let Some(ms) = builtins::parse_duration_ms(&s[2..]) else {
                        push_chunk(out, Stream::Stderr, "watch: failed to parse argument\n");
                        return Started::Done(1);
                    };
                    interval_ms = ms.max(100);
                    rest = &rest[1..];
                }
                s if s.starts_with('-') => rest = &rest[1..],
                _ => break,
            }
        }
        if rest.is_empty() {
            push_chunk(out, Stream::Stderr, "Usage:\n watch [options] command\n");
            return Started::Done(1);
        }
        let title = rest.join(" ");
        match syntax::parse_script(&title) {
            Ok(program) => Started::Job(Box::new(Job::Watch(Box::new(Watch {
                interval_ms,
                title,
                program: Rc::new(program),
                running: None,
                next_run: cx.now,
                env: self.env.clone(),
            })))),
            Err(e) => {
                push_chunk(
                    out,
                    Stream::Stderr,
                    &format!("sh: 1: {}\n", e.message(cx.login.flavor)),
                );
                Started::Done(2)
            }
        }
    }

    /// `bash -c 'cmd'`, `bash FILE`, or a bare `bash` (a nested interactive shell).
    fn start_subshell_program(
        &mut self,
        args: &[String],
        stdin_is_terminal: bool,
        cx: &mut Cx<'_>,
        out: &mut Vec<Chunk>,
    ) -> Started {
        let prefix = cx.login.err_prefix();
        let source = match args.first().map(String::as_str) {
            Some("-c") => match args.get(1) {
                Some(cmd) => cmd.clone(),
                None => {
                    push_chunk(
                        out,
                        Stream::Stderr,
                        &format!("{prefix}-c: option requires an argument\n"),
                    );
                    return Started::Done(2);
                }
            },
            Some(file) if !file.starts_with('-') => {
                let abs = Vfs::resolve(&self.env.cwd, file);
                match cx.fs.read(&abs) {
                    Some(text) => text.to_string(),
                    None => {
                        push_chunk(
                            out,
                            Stream::Stderr,
                            &format!("{prefix}{file}: No such file or directory\n"),
                        );
                        return Started::Done(127);
                    }
                }
            }
            _ => {
                let mut login = cx.login.clone();
                login.cwd = self.env.cwd.clone();
                if !stdin_is_terminal {
                    // `bash < script` / `… | bash`: the commands come from standard input.
                    return Started::Job(Box::new(Job::PipedShell(Box::new(PipedShell::new(
                        login, None,
                    )))));
                }
                if !self.tty {
                    // `x=$(bash)`: a shell reading the terminal, which this lab cannot read.
                    push_chunk(
                        out,
                        Stream::Stderr,
                        &format!(
                            "{prefix}reading commands from standard input is not supported here\n"
                        ),
                    );
                    return Started::Done(2);
                }
                return Started::Job(Box::new(Job::NestedShell {
                    login,
                    entered: false,
                }));
            }
        };
        match syntax::parse_script(&source) {
            Ok(program) => {
                let mut env = self.env.clone();
                env.status = 0;
                Started::Job(Box::new(Job::Thread(Box::new(Thread::new(
                    env,
                    Rc::new(program),
                    false,
                )))))
            }
            Err(e) => {
                push_chunk(
                    out,
                    Stream::Stderr,
                    &format!("{prefix}-c: line 1: {}\n", e.message(cx.login.flavor)),
                );
                Started::Done(2)
            }
        }
    }

    fn cd(&mut self, args: &[String], cx: &mut Cx<'_>, out: &mut Vec<Chunk>) -> i32 {
        let prefix = cx.login.err_prefix();
        let args: Vec<&String> = args.iter().filter(|a| *a != "-L" && *a != "-P").collect();
        if args.len() > 1 {
            push_chunk(
                out,
                Stream::Stderr,
                &format!("{prefix}cd: too many arguments\n"),
            );
            return 1;
        }
        let target = match args.first().map(|s| s.as_str()) {
            None | Some("~") => self
                .env
                .vars
                .get("HOME")
                .cloned()
                .unwrap_or_else(|| "/".into()),
            Some("-") => match self.env.vars.get("OLDPWD") {
                Some(old) => {
                    push_chunk(out, Stream::Stdout, &format!("{old}\n"));
                    old.clone()
                }
                None => {
                    push_chunk(
                        out,
                        Stream::Stderr,
                        &format!("{prefix}cd: OLDPWD not set\n"),
                    );
                    return 1;
                }
            },
            Some(dir) => dir.to_string(),
        };
        let abs = Vfs::resolve(&self.env.cwd, &target);
        if cx.fs.is_dir(&abs) || abs == self.env.vars.get("HOME").map_or("", |h| h.as_str()) {
            let old = std::mem::replace(&mut self.env.cwd, abs);
            self.env.vars.insert("OLDPWD".into(), old);
            0
        } else if cx.fs.is_file(&abs) {
            push_chunk(
                out,
                Stream::Stderr,
                &format!("{prefix}cd: {target}: Not a directory\n"),
            );
            1
        } else {
            push_chunk(
                out,
                Stream::Stderr,
                &format!("{prefix}cd: {target}: No such file or directory\n"),
            );
            1
        }
    }

    /// `break`/`continue`: unwinds to the enclosing loop (status of the builtin returned).
    fn break_loop(
        &mut self,
        name: &str,
        args: &[String],
        cx: &mut Cx<'_>,
        out: &mut Vec<Chunk>,
    ) -> i32 {
        let prefix = cx.login.err_prefix();
        let levels = match args.first() {
            None => 1,
            Some(a) => match a.parse::<usize>() {
                Ok(n) if n >= 1 => n,
                _ => {
                    push_chunk(
                        out,
                        Stream::Stderr,
                        &format!("{prefix}{name}: {a}: loop count out of range\n"),
                    );
                    return 1;
                }
            },
        };
        let loops = self
            .frames
            .iter()
            .filter(|f| matches!(f, Frame::For(_) | Frame::While { .. }))
            .count();
        if loops == 0 {
            push_chunk(
                out,
                Stream::Stderr,
                &format!("{prefix}{name}: only meaningful in a `for', `while', or `until' loop\n"),
            );
            return 0;
        }
        let mut remaining = levels.min(loops);
        while let Some(frame) = self.frames.pop() {
            match frame {
                Frame::PopIo => {
                    self.io.pop();
                }
                Frame::For(_) | Frame::While { .. } => {
                    remaining -= 1;
                    if remaining == 0 {
                        if name == "continue" {
                            match frame {
                                Frame::While {
                                    until, cond, body, ..
                                } => {
                                    self.frames.push(Frame::While {
                                        until,
                                        cond: cond.clone(),
                                        body,
                                        in_body: false,
                                        body_status: 0,
                                    });
                                    self.frames.push(Frame::List {
                                        prog: cond,
                                        next: 0,
                                    });
                                }
                                other => self.frames.push(other),
                            }
                        }
                        break;
                    }
                }
                _ => {}
            }
        }
        0
    }

    fn step_compound(
        &mut self,
        cmd: Rc<Compound>,
        redirects: Rc<Vec<Redirect>>,
        substituted: bool,
        cx: &mut Cx<'_>,
        out: &mut Vec<Chunk>,
    ) -> Step {
        if !redirects.is_empty() {
            if !substituted {
                let mut programs = Vec::new();
                for r in redirects.iter() {
                    redirect_substs(r, &mut programs);
                }
                self.frames.push(Frame::Compound {
                    cmd,
                    redirects,
                    substituted: true,
                });
                self.start_substs(programs);
                return Step::Continue;
            }
            let substs = self.subst_slot.take().unwrap_or_default();
            match self.open_redirects(&redirects, self.scope(), &substs, cx) {
                Ok((scope, stdin)) => {
                    self.frames.push(Frame::PopIo);
                    self.io.push(IoLayer { scope, stdin });
                }
                Err(message) => {
                    self.err_line(cx, out, &message);
                    self.env.status = 1;
                    return Step::Continue;
                }
            }
        }
        match &*cmd {
            Compound::For { var, body, .. } => self.frames.push(Frame::For(Box::new(ForRun {
                var: var.clone(),
                cmd: cmd.clone(),
                body: body.clone(),
                items: Vec::new(),
                next: 0,
                expanded: false,
                substituted: false,
            }))),
            Compound::While { until, cond, body } => {
                self.frames.push(Frame::While {
                    until: *until,
                    cond: cond.clone(),
                    body: body.clone(),
                    in_body: false,
                    body_status: 0,
                });
                self.frames.push(Frame::List {
                    prog: cond.clone(),
                    next: 0,
                });
            }
            Compound::If { arms, .. } => {
                if let Some((cond, _)) = arms.first() {
                    let cond = cond.clone();
                    self.frames.push(Frame::If {
                        cmd: cmd.clone(),
                        arm: 0,
                    });
                    self.frames.push(Frame::List {
                        prog: cond,
                        next: 0,
                    });
                }
            }
            Compound::Group(body) => self.frames.push(Frame::List {
                prog: body.clone(),
                next: 0,
            }),
            Compound::Subshell(body) => {
                let tty = self.tty && self.scope().out == Target::Stdout;
                self.frames.push(Frame::Sub(Box::new(Thread::new(
                    self.env.clone(),
                    body.clone(),
                    tty,
                ))));
            }
        }
        Step::Continue
    }

    fn step_for(&mut self, mut run: Box<ForRun>, cx: &mut Cx<'_>, out: &mut Vec<Chunk>) -> Step {
        let Compound::For { items, .. } = &*run.cmd else {
            return Step::Continue;
        };
        if !run.expanded {
            if !run.substituted {
                let mut programs = Vec::new();
                for word in items.iter().flatten() {
                    collect_substs(word, &mut programs);
                }
                run.substituted = true;
                self.frames.push(Frame::For(run));
                self.start_substs(programs);
                return Step::Continue;
            }
            let substs = self.subst_slot.take().unwrap_or_default();
            let words = items.clone().unwrap_or_default();
            let mut values = Vec::new();
            for word in &words {
                match self.expander(cx, &substs).fields(word) {
                    Ok(fields) => values.extend(fields),
                    Err(e) => {
                        self.err_line(cx, out, &e.message());
                        self.env.status = 1;
                        return Step::Continue;
                    }
                }
            }
            run.items = values;
            run.expanded = true;
            self.env.status = 0;
        }
        if let Some(value) = run.items.get(run.next).cloned() {
            self.env.vars.insert(run.var.clone(), value);
            run.next += 1;
            let body = run.body.clone();
            self.frames.push(Frame::For(run));
            self.frames.push(Frame::List {
                prog: body,
                next: 0,
            });
        }
        Step::Continue
    }

    fn step_pipeline(
        &mut self,
        mut run: Box<PipelineRun>,
        cx: &mut Cx<'_>,
        stdin: &mut Input,
        out: &mut Vec<Chunk>,
    ) -> Step {
        let n = run.stages.len();
        let scope = self.scope();
        let mut progressed = false;
        let mut blocked = Blocked::default();
        for i in 0..n {
            let downstream_alive = i + 1 < n && run.stages[i + 1].is_some();
            if downstream_alive {
                if let Some(Input::Pipe { buf, .. }) = run.pipes.get(i) {
                    if buf.len() > PIPE_CAPACITY {
                        continue;
                    }
                }
            }
            let PipelineRun {
                stages,
                statuses,
                pipes,
            } = &mut *run;
            let Some(thread) = stages[i].as_mut() else {
                continue;
            };
            let mut local = Vec::new();
            let result = if i == 0 {
                let input = current_stdin(&mut self.io, stdin);
                thread.poll(cx, input, &mut local)
            } else {
                thread.poll(cx, &mut pipes[i - 1], &mut local)
            };
            let mut broken = false;
            for chunk in local {
                match chunk.stream {
                    Stream::Stdout if i + 1 < n => {
                        if downstream_alive {
                            if let Some(Input::Pipe { buf, .. }) = pipes.get_mut(i) {
                                buf.push_str(&chunk.text);
                            }
                        } else {
                            broken = true;
                        }
                    }
                    Stream::Stdout => route(&scope.out, &chunk.text, out, cx.fs, cx.limits),
                    Stream::Stderr => route(&scope.err, &chunk.text, out, cx.fs, cx.limits),
                }
            }
            let close_pipe = |pipes: &mut Vec<Input>| {
                if let Some(Input::Pipe { eof, .. }) = pipes.get_mut(i) {
                    *eof = true;
                }
            };
            match result {
                Run::Exited(status) => {
                    statuses[i] = status;
                    stages[i] = None;
                    close_pipe(pipes);
                    progressed = true;
                    continue;
                }
                Run::Progress => progressed = true,
                Run::Yield => {
                    self.frames.push(Frame::Pipeline(run));
                    return Step::Run(Run::Yield);
                }
                Run::Blocked(b) => {
                    let upstream_alive = i > 0 && stages[i - 1].is_some();
                    if !(upstream_alive && b.on_input_only()) {
                        blocked.merge(b);
                    }
                }
                Run::EnterShell(login) => {
                    self.frames.push(Frame::Pipeline(run));
                    return Step::Run(Run::EnterShell(login));
                }
            }
            if broken {
                if let Some(thread) = stages[i].as_mut() {
                    let mut last_words = Vec::new();
                    thread.kill(cx, Signal::BrokenPipe, &mut last_words);
                    for chunk in last_words
                        .into_iter()
                        .filter(|c| c.stream == Stream::Stderr)
                    {
                        route(&scope.err, &chunk.text, out, cx.fs, cx.limits);
                    }
                }
                statuses[i] = 141;
                stages[i] = None;
                close_pipe(pipes);
                progressed = true;
            }
        }
        if run.stages.iter().all(Option::is_none) {
            self.env.status = run.statuses.last().copied().unwrap_or(0);
            return Step::Continue;
        }
        self.frames.push(Frame::Pipeline(run));
        if progressed {
            Step::Run(Run::Progress)
        } else {
            Step::Run(Run::Blocked(blocked))
        }
    }
}

fn redirect_substs(r: &Redirect, programs: &mut Vec<Rc<Program>>) {
    match &r.op {
        RedirOp::Write { target, .. } | RedirOp::WriteBoth { target, .. } => {
            collect_substs(target, programs)
        }
        RedirOp::Read(w) | RedirOp::HereDoc(w) | RedirOp::HereString(w) => {
            collect_substs(w, programs)
        }
        RedirOp::Dup(_) | RedirOp::Close => {}
    }
}
