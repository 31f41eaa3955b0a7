//! `pods/NAME/exec`: kubectl's remote command over a WebSocket (`v5.channel.k8s.io`, which
//! kubectl 1.30 asks for first; `v4.channel.k8s.io` framed the same). What runs is the lab's
//! own `kubectl exec` line, so the output is what the lab's terminal prints; it is sent on
//! the stream channels (1 stdout, 2 stderr) and the outcome on channel 3 as a `Status`, from
//! which kubectl itself prints `command terminated with exit code N` or `error: …` and exits
//! as the lab's terminal does.
//!
//! Two halves: [`plan`] runs on the lab's thread before the upgrade (the pod, the container,
//! the protocol — a refusal here is an ordinary `Status` response); [`serve`] runs on the
//! connection's thread after it, and hands the line to the lab's thread through `run`.
//!
//! Stdin: the lab's containers read none, so a command's stdin is read and dropped — except a
//! bare shell (`kubectl exec -i POD -- sh < script`), whose stdin is its script: it is read to
//! its end (v5's close of channel 0) and run as `sh -c SCRIPT`. An interactive terminal
//! (`-it` with a shell) is refused with a message: the lab's own terminal is where that works.

use crate::http::Request;
use crate::status::Status;
use crate::websocket::{self, OP_BINARY, OP_CLOSE, OP_CONTINUATION, OP_PING, OP_PONG};
use rollout_kubectl::lab::containers::quote_words;
use rollout_kubectl::lab::Ran;
use rollout_sim::api::ApiError;
use rollout_sim::cluster::{Cluster, ObjectKey};
use rollout_sim::objects::{Kind, Pod};
use serde_json::{json, Value};
use std::io::{self, Read, Write};

/// The subprotocols served, best first.
pub const PROTOCOLS: [&str; 2] = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

const STDIN: u8 = 0;
const STDOUT: u8 = 1;
const STDERR: u8 = 2;
const ERROR: u8 = 3;
/// v5: `[255, N]` says the sender is done with channel N.
const STREAM_CLOSE: u8 = 255;

/// The most of a shell's script read from stdin.
const MAX_STDIN: usize = 1024 * 1024;

/// An exec request the lab can serve, not yet upgraded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub namespace: String,
    pub pod: String,
    pub container: String,
    pub command: Vec<String>,
    pub stdin: bool,
    pub tty: bool,
    /// The client's `Sec-WebSocket-Key`.
    pub key: String,
    /// The subprotocol chosen from the client's.
    pub protocol: &'static str,
}

/// What one exec came to, as the streams and the status channel carry it.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    /// The `Status` for channel 3.
    pub status: Value,
}

/// The pod a streaming subresource (exec, portforward) names, or the API server's 404 before
/// any upgrade.
pub fn live_pod<'a>(cluster: &'a Cluster, namespace: &str, pod: &str) -> Result<&'a Pod, Status> {
    cluster
        .store()
        .pods
        .get(&ObjectKey::new(namespace, pod))
        .map(|p| p.as_ref())
        .ok_or_else(|| Status::from(&ApiError::not_found(Kind::Pod, pod)))
}

/// Checks an exec request against the cluster and the upgrade it asks for.
pub fn plan(
    cluster: &Cluster,
    request: &Request,
    namespace: &str,
    pod: &str,
) -> Result<Plan, Status> {
    let object = live_pod(cluster, namespace, pod)?;
    let names: Vec<&str> = object
        .spec
        .containers
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let container = match request.param("container") {
        Some(name) if !name.is_empty() => name,
        _ => names.first().copied().unwrap_or_default(),
    };
    if !names.contains(&container) {
        return Err(Status::bad_request(format!(
            "container {container} is not valid for pod {pod}"
        )));
    }
    let command: Vec<String> = request
        .query
        .iter()
        .filter(|(name, _)| name == "command")
        .map(|(_, value)| value.clone())
        .collect();
    if command.is_empty() {
        return Err(Status::bad_request(
            "you must specify at least one command for the container",
        ));
    }
    let flag = |name: &str| request.param(name).is_some_and(|v| v == "true" || v == "1");
    request.upgrade_to(
        "websocket",
        &format!("exec over WebSocket ({})", PROTOCOLS[0]),
    )?;
    let key = request.header("sec-websocket-key").unwrap_or_default();
    if key.is_empty() {
        return Err(Status::bad_request("missing Sec-WebSocket-Key"));
    }
    let offered = request.header_list("sec-websocket-protocol");
    let Some(protocol) = PROTOCOLS.into_iter().find(|p| offered.contains(p)) else {
        return Err(Status::bad_request(format!(
            "none of the subprotocols offered ({}) is served: {}",
            offered.join(", "),
            PROTOCOLS.join(", ")
        )));
    };
    Ok(Plan {
        namespace: namespace.to_string(),
        pod: pod.to_string(),
        container: container.to_string(),
        command,
        stdin: flag("stdin"),
        tty: flag("tty"),
        key: key.to_string(),
        protocol,
    })
}

impl Plan {
    /// A bare shell (`sh`, `/bin/bash`, no arguments): its stdin is its script.
    fn bare_shell(&self) -> bool {
        let program = self.command[0].rsplit('/').next().unwrap_or_default();
        self.command.len() == 1 && matches!(program, "sh" | "bash" | "ash")
    }

    /// The lab's `kubectl exec` line; `script` is a bare shell's stdin.
    pub fn line(&self, script: Option<&str>) -> String {
        let mut words: Vec<String> = ["kubectl", "exec", &self.pod, "-n", &self.namespace]
            .iter()
            .map(|w| w.to_string())
            .collect();
        words.extend(["-c".to_string(), self.container.clone(), "--".to_string()]);
        words.extend(self.command.iter().cloned());
        if let Some(script) = script {
            words.extend(["-c".to_string(), script.to_string()]);
        }
        quote_words(&words)
    }
}

/// The lab's run of the line, as the channels carry it: the lab's terminal ends a failed
/// command with `command terminated with exit code N`, which kubectl prints itself from the
/// status, so that line leaves stderr; any other failure is the lab's kubectl's own error,
/// which kubectl prints as `error: MESSAGE`.
pub fn outcome(ran: Ran, tty: bool) -> Outcome {
    let code = ran.status.rem_euclid(256);
    let terminated = format!("command terminated with exit code {}\n", ran.status);
    let (mut stdout, mut stderr, status) = if ran.status == 0 {
        (
            ran.stdout,
            ran.stderr,
            json!({ "metadata": {}, "status": "Success" }),
        )
    } else if let Some(own) = ran.stderr.strip_suffix(&terminated) {
        let status = json!({
            "metadata": {},
            "status": "Failure",
            "message": format!("command terminated with non-zero exit code: exit status {code}"),
            "reason": "NonZeroExitCode",
            "details": { "causes": [{ "reason": "ExitCode", "message": code.to_string() }] },
        });
        (ran.stdout, own.to_string(), status)
    } else {
        let text = ran.stderr.trim_end();
        let message = text.strip_prefix("error: ").unwrap_or(text);
        let mut status = json!({ "metadata": {}, "status": "Failure", "message": message });
        if message.starts_with("Internal error occurred: ") {
            status["reason"] = json!("InternalError");
            status["code"] = json!(500);
        }
        (ran.stdout, String::new(), status)
    };
    if tty {
        // A terminal has one output stream, and turns each newline into CR LF.
        stdout.push_str(&stderr);
        stderr.clear();
        stdout = stdout.replace('\n', "\r\n");
    }
    Outcome {
        stdout,
        stderr,
        status,
    }
}

/// The outcome of what the lab does not serve over the API.
fn refused(message: &str) -> Outcome {
    Outcome {
        stdout: String::new(),
        stderr: String::new(),
        status: json!({ "metadata": {}, "status": "Failure", "message": message }),
    }
}

/// Upgrades the connection, runs the plan through `run` (the lab's thread; `None`: the server
/// has gone), and writes the streams, the status and the close. The caller then waits for
/// the client's close with [`drain`].
pub fn serve(
    input: &mut impl Read,
    output: &mut impl Write,
    plan: &Plan,
    run: impl FnOnce(String) -> Option<Ran>,
) -> io::Result<()> {
    output.write_all(websocket::handshake_head(&plan.key, plan.protocol).as_bytes())?;
    output.flush()?;
    let outcome = if plan.stdin && plan.tty && plan.bare_shell() {
        refused(
            "rollout-lab apiserver runs no interactive shell over the API: use the lab's own terminal, or give the shell its script on stdin without -t",
        )
    } else {
        let script = if plan.stdin && plan.bare_shell() {
            Some(read_stdin(input, output)?)
        } else {
            None
        };
        let Some(ran) = run(plan.line(script.as_deref())) else {
            return Err(io::Error::other("the server has stopped"));
        };
        outcome(ran, plan.tty)
    };
    websocket::write_channel(output, STDOUT, outcome.stdout.as_bytes())?;
    websocket::write_channel(output, STDERR, outcome.stderr.as_bytes())?;
    let status = serde_json::to_vec(&outcome.status).unwrap_or_default();
    websocket::write_channel(output, ERROR, &status)?;
    websocket::write_close(output, websocket::CLOSE_NORMAL)
}

/// Stdin until the client closes it (v5's `[255, 0]`, a close frame, or the connection's
/// end), answering pings on the way.
fn read_stdin(input: &mut impl Read, output: &mut impl Write) -> io::Result<String> {
    let mut data = Vec::new();
    loop {
        let frame = match websocket::read_frame(input) {
            Ok(frame) => frame,
            Err(err) if err.kind() == io::ErrorKind::UnexpectedEof => break,
            Err(err) => return Err(err),
        };
        match frame.opcode {
            OP_BINARY | OP_CONTINUATION => match frame.payload.as_slice() {
                [STREAM_CLOSE, STDIN] => break,
                [STDIN, rest @ ..] => {
                    if data.len() + rest.len() > MAX_STDIN {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            "stdin too large",
                        ));
                    }
                    data.extend_from_slice(rest);
                }
                _ => {}
            },
            OP_PING => {
                websocket::write_frame(output, OP_PONG, &frame.payload)?;
                output.flush()?;
            }
            OP_CLOSE => break,
            _ => {}
        }
    }
    Ok(String::from_utf8_lossy(&data).into_owned())
}

/// After the server's close: reads (and drops) what the client still sends, answering pings,
/// until its close frame or the connection's end, so that closing the socket never resets
/// it under the client's last reads.
pub fn drain(input: &mut impl Read, output: &mut impl Write) {
    while let Ok(frame) = websocket::read_frame(input) {
        match frame.opcode {
            OP_CLOSE => return,
            OP_PING => {
                if websocket::write_frame(output, OP_PONG, &frame.payload).is_err() {
                    return;
                }
                let _ = output.flush();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ran(stdout: &str, stderr: &str, status: i32) -> Ran {
        Ran {
            stdout: stdout.into(),
            stderr: stderr.into(),
            status,
        }
    }

    fn plan(command: &[&str]) -> Plan {
        Plan {
            namespace: "default".into(),
            pod: "ticker".into(),
            container: "ticker".into(),
            command: command.iter().map(|w| w.to_string()).collect(),
            stdin: false,
            tty: false,
            key: "dGhlIHNhbXBsZSBub25jZQ==".into(),
            protocol: PROTOCOLS[0],
        }
    }

    #[test]
    fn the_line_quotes_the_command_for_the_lab_shell() {
        assert_eq!(
            plan(&["sh", "-c", "echo in $(hostname); exit 5"]).line(None),
            "kubectl exec ticker -n default -c ticker -- sh -c 'echo in $(hostname); exit 5'"
        );
        assert_eq!(
            plan(&["sh"]).line(Some("echo it's")),
            r"kubectl exec ticker -n default -c ticker -- sh -c 'echo it'\''s'"
        );
    }

    #[test]
    fn exit_codes_go_to_the_status_and_leave_stderr() {
        let out = outcome(
            ran(
                "in ticker\n",
                "oops\ncommand terminated with exit code 5\n",
                5,
            ),
            false,
        );
        assert_eq!(out.stdout, "in ticker\n");
        assert_eq!(out.stderr, "oops\n");
        assert_eq!(out.status["reason"], "NonZeroExitCode");
        assert_eq!(out.status["details"]["causes"][0]["reason"], "ExitCode");
        assert_eq!(out.status["details"]["causes"][0]["message"], "5");
        let ok = outcome(ran("x\n", "", 0), false);
        assert_eq!(ok.status, json!({ "metadata": {}, "status": "Success" }));
    }

    #[test]
    fn the_labs_errors_become_the_status_message() {
        let out = outcome(
            ran("", "error: Internal error occurred: error executing command in container: exec: \"curl\": executable file not found in $PATH: unknown\n", 1),
            false,
        );
        assert_eq!(out.stderr, "");
        assert_eq!(out.status["reason"], "InternalError");
        assert!(out.status["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Internal error occurred: error executing")));
    }

    #[test]
    fn a_terminal_merges_the_streams() {
        let out = outcome(ran("a\n", "b\n", 0), true);
        assert_eq!(out.stdout, "a\r\nb\r\n");
        assert_eq!(out.stderr, "");
    }
}
