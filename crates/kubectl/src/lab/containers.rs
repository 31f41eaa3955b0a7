//! The processes inside containers: a shell image's command (`sh -c 'wget -qO- web; exit 1'`,
//! `sleep 3600`) runs in the lab's own shell, inside its pod, on the virtual clock.
//!
//! The kubelet starts the container and queues the process
//! ([`rollout_sim::kubelet::processes`]); [`Containers::run`] takes it, starts a
//! non-interactive shell for it and runs every process until it sleeps, waits or ends. What
//! a process writes becomes the container's log (`kubectl logs`); how it ends is the
//! container's exit code, which decides the pod's fate (`Completed`, `Error`, a restart, a
//! Job metric of an analysis that fails). A process the kubelet stopped is dropped.

use super::LabHost;
use crate::shell::{Flavor, Location, Login, Poll, Shell, Submit, Vfs};
use rollout_sim::clock::Time;
use rollout_sim::kubelet::images;
use rollout_sim::kubelet::processes::{ProcessId, ProcessStart};
use std::collections::BTreeMap;

/// How many times one process is polled in one [`Containers::run`] before the others get
/// their turn (the shell bounds the work of each poll).
const POLLS_PER_RUN: usize = 64;

/// The containers' processes that are running.
#[derive(Clone, Debug, Default)]
pub struct Containers {
    running: BTreeMap<ProcessId, Process>,
}

#[derive(Clone, Debug)]
struct Process {
    shell: Box<Shell>,
    /// Asleep until then (`sleep`); `None` when it can run.
    wake: Option<Time>,
}

impl Containers {
    /// Whether any process is running.
    pub fn is_empty(&self) -> bool {
        self.running.is_empty()
    }

    /// The earliest instant a sleeping process wakes up.
    pub fn next_wake(&self) -> Option<Time> {
        self.running.values().filter_map(|p| p.wake).min()
    }

    /// Starts what the kubelet started, forgets what it stopped, and runs each process as
    /// far as it goes at the current instant.
    pub fn run(&mut self, host: &mut LabHost) {
        for start in host.cluster.take_started_processes() {
            self.start(start, host);
        }
        self.running
            .retain(|id, _| host.cluster.is_process_alive(id));
        let ids: Vec<ProcessId> = self.running.keys().cloned().collect();
        for id in ids {
            self.poll(&id, host);
        }
    }

    fn start(&mut self, start: ProcessStart, host: &mut LabHost) {
        if let Some(program) = images::missing_program(&start.image, &start.argv) {
            host.cluster.process_not_found(&start.id, program);
            return;
        }
        let shell = match command_shell(
            &start.namespace,
            &start.pod,
            &start.container_name,
            &start.env,
            &start.argv,
        ) {
            Ok(shell) => shell,
            Err(message) => {
                host.cluster.process_output(&start.id, &message);
                host.cluster.process_exited(&start.id, 2);
                return;
            }
        };
        self.running.insert(
            start.id,
            Process {
                shell: Box::new(shell),
                wake: None,
            },
        );
    }

    fn poll(&mut self, id: &ProcessId, host: &mut LabHost) {
        let Some(mut process) = self.running.remove(id) else {
            return;
        };
        if process.wake.is_some_and(|wake| wake > host.cluster.now()) {
            self.running.insert(id.clone(), process);
            return;
        }
        process.wake = None;
        for _ in 0..POLLS_PER_RUN {
            if !host.cluster.is_process_alive(id) {
                return;
            }
            match process.shell.poll(host) {
                Poll::Output(chunks) => {
                    let text: String = chunks.iter().map(|c| c.text.as_str()).collect();
                    host.cluster.process_output(id, &text);
                }
                Poll::Sleeping { until } => {
                    if until > host.cluster.now() {
                        process.wake = Some(until);
                        break;
                    }
                }
                // A program that waits on the cluster: polled again at the next step.
                Poll::Waiting { .. } => break,
                // No editor inside a container: whatever opened one gets it closed at once.
                Poll::Edit { .. } => process.shell.edit_done(),
                Poll::Done(status) => {
                    host.cluster.process_exited(id, status);
                    return;
                }
            }
        }
        self.running.insert(id.clone(), process);
    }
}

/// A non-interactive shell in container `container` of pod `namespace/pod`, already given
/// `argv` to run: `sh -c SCRIPT` runs the script, any other command line runs as such. The
/// error is the shell's message when the script ends inside a quote or a compound command.
pub(crate) fn command_shell(
    namespace: &str,
    pod: &str,
    container: &str,
    env: &[(String, String)],
    argv: &[String],
) -> Result<Shell, String> {
    let program = argv.first().map(String::as_str).unwrap_or_default();
    let program = program.rsplit('/').next().unwrap_or(program);
    let is_shell = matches!(program, "sh" | "bash" | "ash");
    let mut login = if program == "bash" {
        Login::pod_bash(namespace, pod)
    } else {
        Login::pod_sh(namespace, pod)
    };
    if let Location::Pod { container: c, .. } = &mut login.location {
        *c = Some(container.to_string());
    }
    login.vars.extend(env.iter().cloned());
    let script = match (is_shell, argv.get(1).map(String::as_str)) {
        // `sh -c SCRIPT [NAME ARGS…]`: the script (its positional arguments are not set).
        (true, Some("-c")) => argv.get(2).cloned().unwrap_or_default(),
        // A shell without a terminal and without a script reads an empty stdin: it ends.
        (true, None) => String::new(),
        (true, Some(_)) => quote_words(&argv[1..]),
        (false, _) => quote_words(argv),
    };
    let flavor = login.flavor;
    let mut shell = Shell::new(login, Vfs::default());
    match shell.submit(&script) {
        Submit::NeedMore { .. } => {
            let prefix = match flavor {
                Flavor::Bash => "bash",
                Flavor::Sh => "sh",
            };
            Err(format!("{prefix}: syntax error: unexpected end of file\n"))
        }
        Submit::Started | Submit::Busy => Ok(shell),
    }
}

/// Words as one command line, quoted where the shell would split or expand them.
pub fn quote_words(words: &[String]) -> String {
    words
        .iter()
        .map(|word| {
            let plain = !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@%+".contains(c));
            if plain {
                word.clone()
            } else {
                format!("'{}'", word.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
