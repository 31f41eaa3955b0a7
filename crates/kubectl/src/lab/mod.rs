//! # The lab: one cluster, one shell, and the programs that connect them
//!
//! [`Lab`] is what the page and the headless runner drive. It owns the simulated cluster and
//! the user's shell, and implements the shell's [`Host`]: `kubectl` runs against the cluster,
//! `curl` goes through the cluster network from wherever the shell is (the lab machine or a
//! pod), and both can keep running on the virtual clock (`rollout status`, `get -w`).
//!
//! Cloning a `Lab` is a snapshot of everything: cluster, shell, files and running programs.

use crate::cmd::run::Attach;
pub mod containers;
pub mod engine;
pub mod help;
pub mod nodes;

use crate::cmd::{self, Ctx, Flow, Waiting};
use crate::shell::{
    Chunk, Context, Host, Io, Location, Login, Pid, Poll, ProcessPoll, Shell, Signal, SpawnError,
    StdinRead, Stream, Submit, Vfs, Winsize,
};
use crate::Output;
use containers::Containers;
use rollout_sim::clock::{Duration, Time};
use rollout_sim::cluster::{Cluster, WorkerSize};
use std::collections::BTreeMap;

/// The working directory of the course's transcripts.
pub const HOME: &str = "/root/chapter8";

/// `TERM` in the page's terminal, which renders ANSI colours.
pub const TERM_PAGE: &str = "xterm-256color";
/// `TERM` in the headless runner: a transcript has no colours.
pub const TERM_HEADLESS: &str = "dumb";
/// How wide the lab's terminal is until told otherwise ([`Lab::set_columns`]): the width the
/// golden transcripts were recorded at.
pub const TERMINAL_COLUMNS: u16 = 120;

/// The cluster and everything the shell's programs need from the outside.
#[derive(Clone, Debug)]
pub struct LabHost {
    pub cluster: Cluster,
    /// The terminal's width in columns (kubectl fits its help to it).
    pub columns: u16,
    processes: BTreeMap<u64, Process>,
    next_pid: u64,
}

#[derive(Clone, Debug)]
enum Process {
    /// `kubectl …` not yet started (it may wait for standard input first), with the
    /// environment it was started with (`TERM` decides whether plugins colour).
    Kubectl {
        argv: Vec<String>,
        env: BTreeMap<String, String>,
        /// The terminal's width if standard output is the terminal.
        columns: Option<u16>,
    },
    /// A kubectl verb that keeps running on the virtual clock.
    Watching(Waiting),
    /// `curl …` from `location`.
    Curl {
        argv: Vec<String>,
        location: Location,
    },
    /// BusyBox `wget …` from `location`.
    Wget {
        argv: Vec<String>,
        location: Location,
    },
    /// `run -it` / `exec -it` waiting for its pod to run, then inside it.
    Attaching {
        attach: Attach,
        since: Time,
    },
    Attached(Attach),
    /// `run -it … -- COMMAND`: the pod's output, until its command ends.
    Following {
        attach: Attach,
        follow: crate::cmd::logs::LogFollow,
    },
    /// `exec POD -- COMMAND`: the command, running in a shell inside the pod.
    Exec(Box<Shell>),
    /// The user left the pod's shell with this status.
    Detached {
        attach: Attach,
        status: i32,
    },
    /// A lab command that has already done its work (`lab-help`, `lab-node`): what it prints,
    /// and its status.
    Done {
        stdout: String,
        stderr: String,
        status: i32,
    },
    /// `kubectl edit` waiting for the editor to close.
    Editing(crate::cmd::edit::Edit),
}

/// How many stops one [`Lab::advance`] makes for the containers' processes at most, so a
/// loop of `sleep 0.001` cannot hold the page.
const MAX_PROCESS_STEPS: usize = 100_000;

/// How long `kubectl run -it` waits for its pod (`--pod-running-timeout`).
const POD_RUNNING_TIMEOUT: Duration = Duration(60_000);

/// What one command line printed, by stream, and how it ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ran {
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
}

/// A session of the lab: what the page shows and the runner scripts.
#[derive(Clone, Debug)]
pub struct Lab {
    pub shell: Shell,
    pub host: LabHost,
    /// The processes running inside containers (shell images' commands).
    pub containers: Containers,
}

impl Lab {
    /// A fresh cluster and a shell in [`HOME`] on the course's control-plane machine, as the
    /// page's terminal shows it: `TERM=xterm-256color`, so programs that colour (the Argo
    /// Rollouts plugin) do.
    pub fn new(seed: u64) -> Lab {
        Lab::with_term(seed, TERM_PAGE)
    }

    /// [`Lab::new`] for the headless runner, whose transcripts are plain text: `TERM=dumb`,
    /// the switch the real tools read (the Argo Rollouts plugin prints no colour then).
    pub fn headless(seed: u64) -> Lab {
        Lab::with_term(seed, TERM_HEADLESS)
    }

    /// [`Lab::headless`] on a cluster of `count` workers of `size` (a lesson's
    /// `settings.nodes`).
    pub fn headless_with_workers(seed: u64, count: usize, size: WorkerSize) -> Lab {
        (engine::engine().with_workers)(seed, count, size, TERM_HEADLESS)
    }

    fn with_term(seed: u64, term: &str) -> Lab {
        (engine::engine().new_lab)(seed, term)
    }

    /// [`engine::Engine::new_lab`].
    fn make(seed: u64, term: &str) -> Lab {
        let mut cluster = Cluster::new(seed);
        Lab::install_course_addons(&mut cluster);
        Lab::on_cluster(cluster, term)
    }

    /// [`engine::Engine::with_workers`].
    fn make_with_workers(seed: u64, count: usize, size: WorkerSize, term: &str) -> Lab {
        let mut cluster = Cluster::with_workers(seed, count, size);
        Lab::install_course_addons(&mut cluster);
        Lab::on_cluster(cluster, term)
    }

    /// The course's cluster came with its add-ons installed (ingress-nginx); containers'
    /// commands run in the lab's shell (`containers`).
    fn install_course_addons(cluster: &mut Cluster) {
        cluster.host_runs_processes();
        for addon in rollout_sim::addons::course_addons() {
            cluster.install(addon);
        }
    }

    /// What the page shows until the lab's code has arrived ([`engine::PLACEHOLDER`]): no
    /// nodes, no objects, a shell at its prompt.
    fn placeholder(seed: u64, term: &str) -> Lab {
        Lab::on_cluster(Cluster::placeholder(seed), term)
    }

    fn on_cluster(cluster: Cluster, term: &str) -> Lab {
        let mut files = Vfs::default();
        files.dirs.insert("/root".into());
        files.dirs.insert(HOME.into());
        let mut login = Login::course_master("K8s-master01", HOME);
        login.vars.push(("TERM".into(), term.into()));
        Lab {
            shell: Shell::new(login, files),
            host: LabHost {
                cluster,
                columns: TERMINAL_COLUMNS,
                processes: BTreeMap::new(),
                next_pid: 100,
            },
            containers: Containers::default(),
        }
    }

    pub fn cluster(&self) -> &Cluster {
        &self.host.cluster
    }

    pub fn now(&self) -> Time {
        self.host.cluster.now()
    }

    /// The terminal is now `columns` wide (what kubectl fits its help to).
    pub fn set_columns(&mut self, columns: u16) {
        let rows = self.shell.winsize().rows;
        self.set_winsize(Winsize {
            cols: columns,
            rows,
        });
    }

    /// The terminal was resized: the shell (`$COLUMNS`, `tput`, `stty`) and kubectl (its help's
    /// width) see the new size from the next command on.
    pub fn set_winsize(&mut self, winsize: Winsize) {
        self.shell.set_winsize(winsize);
        self.host.columns = winsize.cols;
    }

    pub fn prompt(&self) -> String {
        self.shell.prompt()
    }

    /// The whole command `line` would complete or continue (`Shell::command_with`).
    pub fn command_with(&self, line: &str) -> String {
        self.shell.command_with(line)
    }

    pub fn submit(&mut self, line: &str) -> Submit {
        (engine::engine().submit)(self, line)
    }

    fn submit_here(&mut self, line: &str) -> Submit {
        self.shell.submit(line)
    }

    pub fn poll(&mut self) -> Poll {
        (engine::engine().poll)(self)
    }

    fn poll_here(&mut self) -> Poll {
        self.shell.poll(&mut self.host)
    }

    /// Ctrl-C.
    pub fn interrupt(&mut self) {
        (engine::engine().interrupt)(self)
    }

    fn interrupt_here(&mut self) {
        self.shell.interrupt(&mut self.host);
    }

    /// Moves the clock forward by `by`. The containers' processes run at each instant that
    /// concerns them: when one wakes up, and as soon as the kubelet starts one.
    pub fn advance(&mut self, by: Duration) {
        (engine::engine().advance)(self, by)
    }

    fn advance_here(&mut self, by: Duration) {
        let target = self.now() + Duration(by.millis().max(0));
        self.containers.run(&mut self.host);
        for _ in 0..MAX_PROCESS_STEPS {
            let now = self.now();
            if now >= target {
                break;
            }
            let until = self
                .containers
                .next_wake()
                .filter(|wake| *wake > now)
                .map_or(target, |wake| wake.min(target));
            self.host.cluster.advance_until_process_starts(until - now);
            self.containers.run(&mut self.host);
        }
        let now = self.now();
        if now < target {
            // Only reached when the processes asked for more steps than allowed.
            self.host.cluster.advance(target - now);
            self.containers.run(&mut self.host);
        }
        // The shell's background jobs (`kubectl port-forward … &`) see the new time too.
        self.shell.poll_background(&mut self.host);
    }

    /// Submits `line` and runs it to completion ([`Lab::run_to_completion`]): what it printed on
    /// each stream and its exit status.
    pub fn run_line(&mut self, line: &str, max_wait: Duration) -> Ran {
        self.submit(line);
        let (chunks, status) = self.run_to_completion(max_wait);
        let text = |stream: Stream| {
            chunks
                .iter()
                .filter(|c| c.stream == stream)
                .map(|c| c.text.as_str())
                .collect::<String>()
        };
        Ran {
            stdout: text(Stream::Stdout),
            stderr: text(Stream::Stderr),
            status,
        }
    }

    /// [`Lab::run_line`] for a block of lines (a heredoc and its body): each is submitted,
    /// and the block runs once the shell has all it needs.
    pub fn run_lines(&mut self, text: &str, max_wait: Duration) -> Ran {
        let mut lines: Vec<&str> = text.lines().collect();
        let last = lines.pop().unwrap_or_default();
        for line in lines {
            if let Submit::Started | Submit::Busy = self.submit(line) {
                self.run_to_completion(max_wait);
            }
        }
        self.run_line(last, max_wait)
    }

    /// Runs whatever was submitted to completion, moving the clock as it needs (`sleep`,
    /// `rollout status`), as the headless runner does. Returns the output and exit status.
    /// `max_wait` bounds how long one command may wait for the cluster.
    pub fn run_to_completion(&mut self, max_wait: Duration) -> (Vec<Chunk>, i32) {
        let mut chunks = Vec::new();
        let mut waited = Duration::ZERO;
        loop {
            match self.poll() {
                Poll::Output(more) => chunks.extend(more),
                Poll::Sleeping { until } => {
                    let by = until - self.now();
                    self.advance(by);
                }
                Poll::Waiting { until } => {
                    // Step to whatever happens next in the cluster, a second at most.
                    let now = self.now();
                    let next = [
                        self.host.cluster.next_timer(),
                        self.containers.next_wake(),
                        self.host.next_deadline(),
                    ]
                    .into_iter()
                    .flatten()
                    .min()
                    .unwrap_or(now + Duration::from_secs(1));
                    let step = (next - now).max(Duration(1)).min(Duration::from_secs(1));
                    let step = until.map_or(step, |u| step.min((u - now).max(Duration(1))));
                    self.advance(step);
                    waited = waited + step;
                    if waited > max_wait {
                        self.interrupt();
                        chunks.push(Chunk {
                            stream: Stream::Stderr,
                            text: format!(
                                "rollout-lab: still waiting after {max_wait}; interrupted\n"
                            ),
                        });
                    }
                }
                Poll::Edit { .. } => self.shell.edit_done(),
                Poll::Done(status) => return (chunks, status),
            }
        }
    }
}

impl LabHost {
    /// The earliest instant a waiting kubectl gives up by itself (`kubectl wait --timeout`).
    fn next_deadline(&self) -> Option<Time> {
        self.processes
            .values()
            .filter_map(|process| match process {
                Process::Watching(waiting) => waiting.deadline(),
                _ => None,
            })
            .min()
    }

    fn add(&mut self, process: Process) -> Pid {
        self.next_pid += 1;
        self.processes.insert(self.next_pid, process);
        Pid(self.next_pid)
    }

    /// Runs one kubectl command line against the cluster.
    fn run_kubectl(
        &mut self,
        argv: &[String],
        env: &BTreeMap<String, String>,
        stdin: Option<String>,
        columns: Option<u16>,
        io: &mut Io<'_>,
    ) -> Result<Flow, i32> {
        let files = io.files.clone();
        let cwd = io.cwd().to_string();
        let cwd = cwd.as_str();
        let mut out = Output::default();
        let result = {
            let mut ctx = Ctx {
                cluster: &mut self.cluster,
                files: &files.files,
                cwd,
                env,
                stdin: stdin.as_deref(),
                out: &mut out,
                columns,
            };
            cmd::run(&mut ctx, argv)
        };
        if out.stderr_first {
            io.write_stderr(&out.stderr);
            io.write_stdout(&out.stdout);
        } else {
            io.write_stdout(&out.stdout);
            io.write_stderr(&out.stderr);
        }
        match result {
            Ok(flow) => Ok(flow),
            Err(crate::error::KubectlError::Silent) => Err(1),
            Err(crate::error::KubectlError::Exit { text, status }) => {
                io.write_stderr(&text);
                Err(status)
            }
            Err(err) => {
                io.write_stderr(&format!("{err}\n"));
                Err(1)
            }
        }
    }
}

impl Host for LabHost {
    fn now(&self) -> Time {
        self.cluster.now()
    }

    fn random(&mut self) -> u16 {
        self.cluster.random_u16()
    }

    fn spawn(&mut self, argv: &[String], ctx: &Context<'_>) -> Result<Pid, SpawnError> {
        let Some(program) = argv.first() else {
            return Err(SpawnError::NotFound);
        };
        let name = program.rsplit('/').next().unwrap_or(program);
        match (name, ctx.location) {
            ("kubectl", Location::Host) => Ok(self.add(Process::Kubectl {
                argv: argv[1..].to_vec(),
                env: ctx.env.clone(),
                columns: ctx.stdout_is_terminal.then_some(self.columns),
            })),
            // The Argo Rollouts plugin is installed on the lab machine: run directly, it is
            // the same program `kubectl argo rollouts` finds on the PATH.
            ("kubectl-argo-rollouts", Location::Host) => {
                let mut plugin_argv = vec!["argo".to_string(), "rollouts".to_string()];
                plugin_argv.extend_from_slice(&argv[1..]);
                Ok(self.add(Process::Kubectl {
                    argv: plugin_argv,
                    env: ctx.env.clone(),
                    columns: ctx.stdout_is_terminal.then_some(self.columns),
                }))
            }
            ("lab-help", Location::Host) => Ok(self.add(Process::Done {
                stdout: help::LAB_HELP.to_string(),
                stderr: String::new(),
                status: 0,
            })),
            ("lab-node", Location::Host) => {
                let (stdout, stderr, status) = nodes::lab_node(&mut self.cluster, &argv[1..]);
                Ok(self.add(Process::Done {
                    stdout,
                    stderr,
                    status,
                }))
            }
            // Inside a pod only what its image has; the lab machine has both.
            ("curl" | "wget", Location::Pod { .. })
                if !self.pod_has_program(ctx.location, name) =>
            {
                Err(SpawnError::NotFound)
            }
            ("curl", location) => Ok(self.add(Process::Curl {
                argv: argv[1..].to_vec(),
                location: location.clone(),
            })),
            ("wget", location) => Ok(self.add(Process::Wget {
                argv: argv[1..].to_vec(),
                location: location.clone(),
            })),
            _ => Err(SpawnError::NotFound),
        }
    }

    fn poll(&mut self, pid: Pid, io: &mut Io<'_>) -> ProcessPoll {
        let Some(process) = self.processes.get(&pid.0).cloned() else {
            return ProcessPoll::Exited(0);
        };
        match process {
            Process::Kubectl { argv, env, columns } => {
                // `-f -` reads the whole of standard input first.
                let wants_stdin = argv
                    .windows(2)
                    .any(|w| (w[0] == "-f" || w[0] == "--filename") && w[1] == "-")
                    || argv.iter().any(|a| a == "--filename=-" || a == "-f-");
                let stdin = if wants_stdin {
                    match io.read_stdin_to_end() {
                        StdinRead::Pending => return ProcessPoll::Running,
                        StdinRead::Data { text, .. } => Some(text),
                        StdinRead::Terminal => None,
                    }
                } else {
                    None
                };
                match self.run_kubectl(&argv, &env, stdin, columns, io) {
                    Ok(Flow::Done) => self.exit(pid, 0),
                    Ok(Flow::Wait(mut waiting)) => {
                        if let Waiting::PortForward(forward) = &mut waiting {
                            forward.set_pid(pid.0);
                        }
                        self.processes.insert(pid.0, Process::Watching(waiting));
                        ProcessPoll::Running
                    }
                    Ok(Flow::Edit(edit)) => {
                        io.files().write(&edit.path, edit.text());
                        let path = edit.path.clone();
                        self.processes.insert(pid.0, Process::Editing(edit));
                        ProcessPoll::Edit { path }
                    }
                    Ok(Flow::Exec(exec)) => {
                        let env: Vec<(String, String)> = Vec::new();
                        match containers::command_shell(
                            &exec.namespace,
                            &exec.pod,
                            &exec.container,
                            &env,
                            &exec.argv,
                        ) {
                            Ok(shell) => {
                                self.processes.insert(pid.0, Process::Exec(Box::new(shell)));
                                self.poll(pid, io)
                            }
                            Err(message) => {
                                io.write_stderr(&message);
                                io.write_stderr("command terminated with exit code 2\n");
                                self.exit(pid, 2)
                            }
                        }
                    }
                    Ok(Flow::Attach(attach)) => {
                        let since = self.cluster.now();
                        self.processes
                            .insert(pid.0, Process::Attaching { attach, since });
                        self.poll(pid, io)
                    }
                    Err(status) => self.exit(pid, status),
                }
            }
            Process::Watching(mut waiting) => {
                let mut out = Output::default();
                let finished = waiting.poll(&mut self.cluster, &mut out);
                io.write_stdout(&out.stdout);
                io.write_stderr(&out.stderr);
                match finished {
                    None => {
                        self.processes.insert(pid.0, Process::Watching(waiting));
                        ProcessPoll::Running
                    }
                    Some(Ok(())) => self.exit(pid, 0),
                    Some(Err(err)) => {
                        io.write_stderr(&format!("{err}\n"));
                        self.exit(pid, 1)
                    }
                }
            }
            Process::Attaching { attach, since } => {
                let key = rollout_sim::cluster::ObjectKey::new(&attach.namespace, &attach.pod);
                let pod = self.cluster.store().pods.get(&key);
                // A command may have ended before kubectl attached: its output is still there.
                let started = pod.is_some_and(|pod| {
                    pod.status.container_statuses.iter().any(|c| match c.state {
                        rollout_sim::objects::ContainerState::Running { .. } => true,
                        rollout_sim::objects::ContainerState::Terminated { .. } => {
                            attach.command_output
                        }
                        _ => false,
                    })
                });
                if let (true, Some(pod)) = (started && attach.command_output, pod) {
                    let container = pod
                        .spec
                        .containers
                        .first()
                        .map(|c| c.name.clone())
                        .unwrap_or_default();
                    let follow = crate::cmd::logs::LogFollow::from_start(pod, &container);
                    if attach.created && attach.tty && io.stdin_is_terminal() {
                        io.write_stderr("If you don't see a command prompt, try pressing enter.\n");
                    }
                    self.processes
                        .insert(pid.0, Process::Following { attach, follow });
                    return self.poll(pid, io);
                }
                let running = started;
                if !running {
                    if self.cluster.now() - since > POD_RUNNING_TIMEOUT {
                        io.write_stderr("error: timed out waiting for the condition\n");
                        return self.exit(pid, 1);
                    }
                    return ProcessPoll::Running;
                }
                // kubectl's words when `-t` meets a pipe: it goes on without a terminal, and
                // the pod's shell reads the pipe (see `ProcessPoll::EnterShell`).
                if attach.tty && !io.stdin_is_terminal() {
                    io.write_stderr(
                        "Unable to use a TTY - input is not a terminal or the right kind of file\n",
                    );
                }
                if attach.created {
                    io.write_stderr("If you don't see a command prompt, try pressing enter.\n");
                }
                let login = if attach.bash {
                    Login::pod_bash(&attach.namespace, &attach.pod)
                } else {
                    Login::pod_sh(&attach.namespace, &attach.pod)
                };
                self.processes.insert(pid.0, Process::Attached(attach));
                ProcessPoll::EnterShell(Box::new(login))
            }
            Process::Attached(_) => ProcessPoll::Running,
            Process::Following { attach, mut follow } => {
                let mut out = Output::default();
                let finished = follow.poll(&self.cluster, &mut out);
                io.write_stdout(&out.stdout);
                io.write_stderr(&out.stderr);
                if finished.is_none() {
                    self.processes
                        .insert(pid.0, Process::Following { attach, follow });
                    return ProcessPoll::Running;
                }
                let status = follow.exit_code(&self.cluster).unwrap_or(0);
                self.processes
                    .insert(pid.0, Process::Detached { attach, status });
                self.poll(pid, io)
            }
            Process::Exec(mut shell) => loop {
                match shell.poll(self) {
                    crate::shell::Poll::Output(chunks) => {
                        for chunk in chunks {
                            match chunk.stream {
                                Stream::Stdout => io.write_stdout(&chunk.text),
                                Stream::Stderr => io.write_stderr(&chunk.text),
                            }
                        }
                    }
                    crate::shell::Poll::Edit { .. } => shell.edit_done(),
                    crate::shell::Poll::Sleeping { .. } | crate::shell::Poll::Waiting { .. } => {
                        self.processes.insert(pid.0, Process::Exec(shell));
                        return ProcessPoll::Running;
                    }
                    crate::shell::Poll::Done(status) => {
                        if status != 0 {
                            io.write_stderr(&format!(
                                "command terminated with exit code {status}\n"
                            ));
                        }
                        return self.exit(pid, status);
                    }
                }
            },
            Process::Editing(edit) => {
                let saved = io.files().read(&edit.path).map(str::to_string);
                match edit.finish(&mut self.cluster, saved.as_deref()) {
                    Ok(message) => {
                        io.write_stdout(&message);
                        self.exit(pid, 0)
                    }
                    Err(err) => {
                        io.write_stderr(&format!(
                            "{err}\nA copy of your changes has been stored to \"{}\"\n",
                            edit.path
                        ));
                        self.exit(pid, 1)
                    }
                }
            }
            Process::Detached { attach, status } => {
                // The shell the user left was the pod's main process (`run -it`).
                if attach.created && !attach.command_output {
                    self.cluster
                        .end_main_process(&attach.namespace, &attach.pod, status);
                }
                // `kubectl run` waits for a pod that does not restart to finish, and fails
                // with its exit code when it failed.
                let failure = attach
                    .command_output
                    .then(|| self.terminated_failure(&attach))
                    .flatten();
                if attach.remove {
                    let _ = self.cluster.delete(
                        rollout_sim::objects::Kind::Pod,
                        &attach.namespace,
                        &attach.pod,
                    );
                    io.write_stdout(&format!("pod \"{}\" deleted\n", attach.pod));
                } else if attach.created && !attach.command_output {
                    io.write_stdout(&format!(
                        "Session ended, resume using 'kubectl attach {0} -c {0} -i -t' command when the pod is running\n",
                        attach.pod
                    ));
                }
                if let Some((reason, code)) = failure {
                    io.write_stderr(&format!(
                        "pod {}/{} terminated ({reason})\n",
                        attach.namespace, attach.pod
                    ));
                    return self.exit(pid, code);
                }
                self.exit(pid, if attach.command_output { 0 } else { status })
            }
            Process::Done {
                stdout,
                stderr,
                status,
            } => {
                io.write_stdout(&stdout);
                io.write_stderr(&stderr);
                self.exit(pid, status)
            }
            Process::Curl { argv, location } => {
                let (namespace, pod) = client_of(&location);
                let forwarding = self.cluster.forwarding();
                let output = self.cluster.curl(&argv, namespace, pod);
                let (stdout, stderr, status) = (output.stdout(), output.stderr(), output.exit_code);
                if forwarding {
                    // A `kubectl port-forward` in the background says it handles the
                    // connection before the answer arrives: print on the next poll.
                    self.processes.insert(
                        pid.0,
                        Process::Done {
                            stdout,
                            stderr,
                            status,
                        },
                    );
                    return ProcessPoll::Busy;
                }
                io.write_stdout(&stdout);
                io.write_stderr(&stderr);
                self.exit(pid, status)
            }
            Process::Wget { argv, location } => {
                let (namespace, pod) = client_of(&location);
                let cwd = io.cwd().to_string();
                let output = {
                    let files = io.files();
                    let exists = |path: &str| files.is_file(&Vfs::resolve(&cwd, path));
                    self.cluster.wget(&argv, namespace, pod, &exists)
                };
                for chunk in &output.chunks {
                    match chunk {
                        rollout_sim::network::curl::Output::Stdout(text) => io.write_stdout(text),
                        rollout_sim::network::curl::Output::Stderr(text) => io.write_stderr(text),
                    }
                }
                for save in &output.save {
                    io.files()
                        .write(&Vfs::resolve(&cwd, &save.path), &save.body);
                }
                self.exit(pid, output.exit_code)
            }
        }
    }

    fn kill(&mut self, pid: Pid, signal: Signal, io: &mut Io<'_>) {
        let removed = self.processes.remove(&pid.0);
        if let Some(Process::Watching(waiting)) = &removed {
            waiting.stop(&mut self.cluster);
        }
        // A program that handles SIGINT/SIGTERM may still say something (`kubectl argo
        // rollouts status`); a broken pipe ends it without a word.
        if let (Some(Process::Watching(waiting)), Signal::Interrupt | Signal::Terminate) =
            (removed, signal)
        {
            if let Some(text) = waiting.interrupted(&self.cluster) {
                io.write_stderr(&text);
            }
        }
    }

    fn nested_shell_exited(&mut self, pid: Pid, status: i32, _io: &mut Io<'_>) {
        if let Some(Process::Attached(attach)) = self.processes.get(&pid.0).cloned() {
            self.processes
                .insert(pid.0, Process::Detached { attach, status });
        }
    }
}

/// Where a request comes from: the pod's namespace and name, or a node ("default", none).
fn client_of(location: &Location) -> (&str, Option<&str>) {
    match location {
        Location::Host => ("default", None),
        Location::Pod { namespace, pod, .. } => (namespace, Some(pod)),
    }
}

impl LabHost {
    /// How a pod of `kubectl run` that does not restart ended, when it failed: the reason
    /// and exit code of its container.
    fn terminated_failure(&self, attach: &Attach) -> Option<(String, i32)> {
        let key = rollout_sim::cluster::ObjectKey::new(&attach.namespace, &attach.pod);
        let pod = self.cluster.store().pods.get(&key)?;
        if pod.spec.restart_policy.as_deref().unwrap_or("Always") == "Always" {
            return None;
        }
        match &pod.status.container_statuses.first()?.state {
            rollout_sim::objects::ContainerState::Terminated {
                reason, exit_code, ..
            } if *exit_code != 0 => Some((reason.clone(), *exit_code)),
            _ => None,
        }
    }

    /// Whether the image of the container the shell runs in has `program`.
    fn pod_has_program(&self, location: &Location, program: &str) -> bool {
        let Location::Pod {
            namespace,
            pod,
            container,
        } = location
        else {
            return true;
        };
        let key = rollout_sim::cluster::ObjectKey::new(namespace, pod);
        let Some(pod) = self.cluster.store().pods.get(&key) else {
            return false;
        };
        let spec = match container {
            Some(name) => pod.spec.containers.iter().find(|c| &c.name == name),
            None => pod.spec.containers.first(),
        };
        spec.is_some_and(|c| rollout_sim::kubelet::images::has_program(&c.image, program))
    }

    fn exit(&mut self, pid: Pid, status: i32) -> ProcessPoll {
        self.processes.remove(&pid.0);
        ProcessPoll::Exited(status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs one line in a fresh lab: (stdout, stderr, exit status).
    fn run(line: &str) -> (String, String, i32) {
        let ran = Lab::new(1).run_line(line, Duration::from_secs(60));
        (ran.stdout, ran.stderr, ran.status)
    }

    #[test]
    fn an_unknown_verb_gets_kubectls_one_line_error_on_stderr() {
        // kubectl 1.30 prints just this line (no "Run 'kubectl --help' for usage.") and exits 1.
        assert_eq!(
            run("kubectl frobnicate"),
            (
                String::new(),
                "error: unknown command \"frobnicate\" for \"kubectl\"\n".into(),
                1
            )
        );
    }

    #[test]
    fn version_prints_the_client_and_the_server() {
        let (stdout, stderr, status) = run("kubectl version");
        assert_eq!(
            stdout,
            "Client Version: v1.30.13\nKustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3\nServer Version: v1.30.13\n"
        );
        assert_eq!((stderr.as_str(), status), ("", 0));
        let (stdout, _, _) = run("kubectl version --client");
        assert!(!stdout.contains("Server Version"), "{stdout}");
    }

    /// `kubectl rollout status` prints its line for the listing and then once per watch event
    /// of the Deployment, up to the one that finds the rollout done, as kubectl's watch does:
    /// as many lines as the Deployment was written, so a message repeats while the writes do
    /// not change it (printing only changed messages, or some of the repeats, fails here).
    #[test]
    fn rollout_status_prints_a_line_per_watch_event_of_the_deployment() {
        use rollout_sim::cluster::Written;
        use rollout_sim::controller::rollout_status;
        let wait = Duration::from_secs(120);
        let mut lab = Lab::new(1);
        let created = lab.run_line(
            "kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --replicas=6",
            wait,
        );
        assert_eq!(created.status, 0, "{}", created.stderr);
        lab.advance(Duration::from_secs(60));
        let set = lab.run_line(
            "kubectl set image deployment/web demoapp=ikubernetes/demoapp:v1.1",
            wait,
        );
        assert_eq!(set.status, 0, "{}", set.stderr);
        let cursor = lab.cluster().watch_log().cursor();
        let ran = lab.run_line("kubectl rollout status deployment/web", wait);
        assert_eq!(ran.status, 0, "{}", ran.stderr);
        let lines: Vec<&str> = ran.stdout.lines().collect();
        assert_eq!(
            lines.last(),
            Some(&"deployment \"web\" successfully rolled out")
        );
        let mut events = 1; // the listing
        for written in lab.cluster().watch_log().since(cursor) {
            let Written::Deployment(d) = written else {
                continue;
            };
            if d.metadata.name != "web" {
                continue;
            }
            events += 1;
            if rollout_status::status(d, 0).is_ok_and(|status| status.done) {
                break;
            }
        }
        assert_eq!(lines.len(), events, "{lines:#?}");
        let distinct: std::collections::BTreeSet<&&str> = lines.iter().collect();
        assert!(distinct.len() < lines.len(), "no repeat: {lines:#?}");
    }

    /// `rollout status --timeout` gives up on the virtual clock with kubectl's watch error,
    /// exit 1, even when the Deployment's own progress deadline is further away; zero waits.
    #[test]
    fn rollout_status_gives_up_at_its_timeout() {
        let mut lab = Lab::new(1);
        let line = "kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --replicas=2";
        assert_eq!(lab.run_line(line, Duration::from_secs(60)).status, 0);
        // An image that never pulls: the rollout cannot finish.
        let set = "kubectl set image deployment/web demoapp=ikubernetes/demoapp:nope";
        assert_eq!(lab.run_line(set, Duration::from_secs(60)).status, 0);
        let started = lab.cluster().now();
        let ran = lab.run_line(
            "kubectl rollout status deployment/web --timeout=30s",
            Duration::from_secs(600),
        );
        assert_eq!(
            (ran.stderr.as_str(), ran.status),
            ("error: timed out waiting for the condition\n", 1)
        );
        assert_eq!(lab.cluster().now() - started, Duration::from_secs(30));
        let bad = lab.run_line(
            "kubectl rollout status deployment/web --timeout=30",
            Duration::ZERO,
        );
        assert_eq!(
            bad.stderr,
            "error: invalid argument \"30\" for \"--timeout\" flag: time: missing unit in duration \"30\"\nSee 'kubectl rollout status --help' for usage.\n"
        );
    }

    /// `rollout history -o FORMAT` prints the ReplicaSets by revision, as kubectl 1.30 does
    /// against `rollout-lab apiserver` (YAML documents after the first open with `---`, JSON
    /// in the Go struct's field order); a revision that does not exist panics as 1.30 does.
    #[test]
    fn rollout_history_prints_its_replica_sets_as_objects() {
        let mut lab = Lab::new(1);
        let wait = Duration::from_secs(120);
        for line in [
            "kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --replicas=2",
            "kubectl rollout status deployment/web",
            "kubectl set image deployment/web demoapp=ikubernetes/demoapp:v1.1",
            "kubectl rollout status deployment/web",
        ] {
            assert_eq!(lab.run_line(line, wait).status, 0, "{line}");
        }
        let names = lab.run_line("kubectl rollout history deploy/web -o name", wait);
        assert_eq!(
            names.stdout,
            "replicaset.apps/web-b4f47c499\nreplicaset.apps/web-5d45b9bd9d\n"
        );
        let yaml = lab.run_line("kubectl rollout history deploy/web -o yaml", wait);
        assert_eq!(yaml.stdout.matches("\n---\n").count(), 1, "{}", yaml.stdout);
        assert!(yaml
            .stdout
            .starts_with("apiVersion: apps/v1\nkind: ReplicaSet\n"));
        let json = lab.run_line(
            "kubectl rollout history deploy/web --revision=2 -o json",
            wait,
        );
        assert!(
            json.stdout.starts_with("{\n    \"kind\": \"ReplicaSet\",\n    \"apiVersion\": \"apps/v1\",\n    \"metadata\": {\n        \"name\": \"web-5d45b9bd9d\",\n        \"namespace\": \"default\",\n"),
            "{}",
            json.stdout
        );
        let missing = lab.run_line(
            "kubectl rollout history deploy/web --revision=9 -o yaml",
            wait,
        );
        assert_eq!(missing.status, 2);
        assert!(missing
            .stderr
            .starts_with("panic: reflect: call of reflect.Value.Type on zero Value\n"));
        let wide = lab.run_line("kubectl rollout history deploy/web -o wide", wait);
        assert_eq!(wide.status, 1);
        assert!(
            wide.stderr.contains("allowed formats are: go-template,"),
            "{}",
            wide.stderr
        );
    }

    #[test]
    fn an_empty_line_prints_nothing() {
        assert_eq!(run("   "), (String::new(), String::new(), 0));
    }
}
