//! Port-forwards in the differential test: a real `kubectl port-forward` against the served
//! lab's `pods/portforward`, and requests to the listeners it opens on this machine.
//!
//! - `kubectl port-forward … &` (and `… > FILE 2>&1 &`) starts the real kubectl in the
//!   background. What it prints later is shown with the compared line during which it came,
//!   before that line's own output, as a terminal shows a background job's lines.
//! - `curl [-s] localhost:PORT[/PATH]` is sent by this test itself, as curl 8.5 sends it, to
//!   the real listener: the body is what the pod's app answered through the SPDY streams.
//!   A refused connection and an empty reply print curl's words (`-s` prints none).
//! - `cat FILE` of a background job's log reads what the real kubectl wrote there; `kill %N`
//!   stops the real job.
//! - The lab's job lines (`[1] 4249`, `[1]+  Exit 1 …`) are its shell's, and not compared.
//! - klog's header (`E1204 11:22:49.169796   28316 portforward.go:413]`) carries the wall
//!   clock's microseconds and the process id: both sides' are compared as `E<time> <pid>`.

use super::failed;
use rollout_kubectl::lab::Ran;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A line the port-forward machinery runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Background {
        args: Vec<String>,
        log: Option<String>,
    },
    Curl {
        silent: bool,
        host: String,
        port: u16,
        path: String,
    },
    CatLog(String),
    Kill,
}

impl Step {
    /// Whether the line's output is compared (a kill is the shell's alone).
    pub fn compared(&self) -> bool {
        !matches!(self, Step::Kill)
    }
}

pub fn plan(line: &str, jobs: &Jobs) -> Option<Step> {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        ["kubectl", "port-forward", rest @ .., "&"] => {
            let (args, log) = match rest {
                [args @ .., ">", file, "2>&1"] => (args, Some(file.to_string())),
                args => (args, None),
            };
            if args.iter().any(|a| a.contains(['>', '<', '|', '$'])) {
                return None;
            }
            let mut all = vec!["port-forward".to_string()];
            all.extend(args.iter().map(|a| a.to_string()));
            Some(Step::Background { args: all, log })
        }
        ["curl", rest @ ..] => {
            let silent = rest.contains(&"-s");
            let url = rest.iter().find(|w| !w.starts_with('-'))?;
            let url = url.strip_prefix("http://").unwrap_or(url);
            let (authority, path) = match url.find('/') {
                Some(at) => (&url[..at], &url[at..]),
                None => (url, "/"),
            };
            let (host, port) = authority.split_once(':')?;
            if !matches!(host, "localhost" | "127.0.0.1") || rest.len() > 2 {
                return None;
            }
            Some(Step::Curl {
                silent,
                host: host.to_string(),
                port: port.parse().ok()?,
                path: path.to_string(),
            })
        }
        ["cat", file] if jobs.logs(file) => Some(Step::CatLog(file.to_string())),
        ["kill", job] if job.starts_with('%') => Some(Step::Kill),
        _ => None,
    }
}

/// The local ports a transcript listens on or connects to that something on this machine
/// holds already: the transcript cannot be compared while they are taken.
pub fn ports_taken(script: &str) -> Vec<u16> {
    let mut ports = Vec::new();
    for line in script.lines().filter(|l| !l.trim_start().starts_with('#')) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let forwards = words.windows(2).any(|w| w == ["kubectl", "port-forward"]);
        for word in &words {
            let word = word.trim_start_matches("http://");
            let local = match word.split_once(':') {
                Some(("localhost" | "127.0.0.1", rest)) => rest.split('/').next(),
                Some((local, _)) if forwards => Some(local),
                // `port-forward TYPE/NAME PORT`: a named port, 80 in the transcripts.
                None if forwards && word == "http" => Some("80"),
                _ => None,
            };
            if let Some(port) = local.and_then(|p| p.parse::<u16>().ok()) {
                ports.push(port);
            }
        }
    }
    ports.sort();
    ports.dedup();
    ports.retain(|&port| {
        TcpListener::bind(("127.0.0.1", port)).is_err() || TcpListener::bind(("::1", port)).is_err()
    });
    ports
}

/// What a background kubectl wrote, and how much of it was shown already.
struct Job {
    child: Child,
    stdout: Arc<Mutex<Vec<u8>>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    shown: (usize, usize),
    log: Option<(String, PathBuf)>,
}

#[derive(Default)]
pub struct Jobs {
    list: Vec<Job>,
}

impl Drop for Jobs {
    fn drop(&mut self) {
        for job in &mut self.list {
            let _ = job.child.kill();
            let _ = job.child.wait();
        }
    }
}

fn collect(mut from: impl Read + Send + 'static) -> Arc<Mutex<Vec<u8>>> {
    let into = Arc::new(Mutex::new(Vec::new()));
    let sink = into.clone();
    std::thread::spawn(move || {
        let mut buffer = [0u8; 4096];
        while let Ok(n) = from.read(&mut buffer) {
            if n == 0 {
                break;
            }
            if let Ok(mut text) = sink.lock() {
                text.extend_from_slice(&buffer[..n]);
            }
        }
    });
    into
}

fn text(bytes: &Arc<Mutex<Vec<u8>>>) -> Vec<u8> {
    bytes.lock().map(|b| b.clone()).unwrap_or_default()
}

impl Jobs {
    fn logs(&self, file: &str) -> bool {
        self.list
            .iter()
            .any(|job| job.log.as_ref().is_some_and(|(name, _)| name == file))
    }

    /// Runs a step; `kubectl`, `work` and `config` as the real kubectl's other lines.
    pub fn run(&mut self, step: &Step, kubectl: &Path, work: &Path, config: &Path) -> Ran {
        match step {
            Step::Background { args, log } => {
                self.start(args, log.as_deref(), kubectl, work, config)
            }
            Step::Curl {
                silent,
                host,
                port,
                path,
            } => {
                let (stdout, stderr, status) = curl(*silent, host, *port, path);
                // The background job's lines about this connection come as it is served.
                std::thread::sleep(Duration::from_millis(400));
                let (out, err) = self.news();
                Ran {
                    stdout: out + &stdout,
                    stderr: err + &stderr,
                    status,
                }
            }
            Step::CatLog(file) => {
                let job = self
                    .list
                    .iter_mut()
                    .find(|job| job.log.as_ref().is_some_and(|(name, _)| name == file));
                let text = job.map_or(String::new(), |job| {
                    // Once the forward has ended (or it has had its time to), as `cat` sees the file.
                    for _ in 0..30 {
                        if matches!(job.child.try_wait(), Ok(Some(_))) {
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(100));
                    }
                    let path = job.log.as_ref().map(|(_, p)| p.clone()).unwrap_or_default();
                    std::fs::read_to_string(path).unwrap_or_default()
                });
                Ran {
                    stdout: text,
                    stderr: String::new(),
                    status: 0,
                }
            }
            Step::Kill => {
                for job in &mut self.list {
                    if matches!(job.child.try_wait(), Ok(None)) {
                        let _ = job.child.kill();
                        let _ = job.child.wait();
                        break;
                    }
                }
                Ran {
                    stdout: String::new(),
                    stderr: String::new(),
                    status: 0,
                }
            }
        }
    }

    fn start(
        &mut self,
        args: &[String],
        log: Option<&str>,
        kubectl: &Path,
        work: &Path,
        config: &Path,
    ) -> Ran {
        let mut command = Command::new(kubectl);
        command
            .args(args)
            .current_dir(work)
            .env("HOME", work)
            .env("KUBECONFIG", config)
            .stdin(Stdio::null());
        let log = log.map(|name| {
            let path = work.join(name.trim_start_matches('/').replace('/', "_"));
            (name.to_string(), path)
        });
        match &log {
            Some((_, path)) => {
                let Ok(file) = std::fs::File::create(path) else {
                    return failed("the log could not be created");
                };
                let Ok(copy) = file.try_clone() else {
                    return failed("the log could not be created");
                };
                command.stdout(file).stderr(copy);
            }
            None => {
                command.stdout(Stdio::piped()).stderr(Stdio::piped());
            }
        }
        let Ok(mut child) = command.spawn() else {
            return failed("kubectl could not be started");
        };
        let stdout = child.stdout.take().map_or_else(Default::default, collect);
        let stderr = child.stderr.take().map_or_else(Default::default, collect);
        // Until it listens (or gives up), and its lines are out.
        for _ in 0..50 {
            let printed = text(&stdout).starts_with(b"Forwarding from");
            if printed || matches!(child.try_wait(), Ok(Some(_))) {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        std::thread::sleep(Duration::from_millis(300));
        self.list.push(Job {
            child,
            stdout,
            stderr,
            shown: (0, 0),
            log,
        });
        let (stdout, stderr) = self.news();
        Ran {
            stdout,
            stderr,
            status: 0,
        }
    }

    /// What the background jobs printed since it was last shown.
    pub fn news(&mut self) -> (String, String) {
        let (mut out, mut err) = (String::new(), String::new());
        for job in &mut self.list {
            let (stdout, stderr) = (text(&job.stdout), text(&job.stderr));
            out.push_str(&String::from_utf8_lossy(
                &stdout[job.shown.0.min(stdout.len())..],
            ));
            err.push_str(&String::from_utf8_lossy(
                &stderr[job.shown.1.min(stderr.len())..],
            ));
            job.shown = (stdout.len(), stderr.len());
        }
        (out, err)
    }
}

/// curl 8.5's request and what it prints of the answer, without a progress meter (its
/// output is no terminal in the transcripts' sense: they show none).
fn curl(silent: bool, host: &str, port: u16, path: &str) -> (String, String, i32) {
    let fail = |code: i32, message: String| {
        let stderr = if silent {
            String::new()
        } else {
            format!("curl: ({code}) {message}\n")
        };
        (String::new(), stderr, code)
    };
    let connected = match host {
        "localhost" => {
            TcpStream::connect(("::1", port)).or_else(|_| TcpStream::connect(("127.0.0.1", port)))
        }
        _ => TcpStream::connect((host, port)),
    };
    let Ok(mut stream) = connected else {
        return fail(
            7,
            format!(
                "Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server"
            ),
        );
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return fail(56, "Failure when receiving data from the peer".to_string());
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    if answer.is_empty() {
        return fail(52, "Empty reply from server".to_string());
    }
    let text = String::from_utf8_lossy(&answer);
    let body = text.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    (body.to_string(), String::new(), 0)
}

/// The lab shell's job lines out of a line's output.
pub fn without_job_lines(mut ran: Ran) -> Ran {
    let job_line = |line: &str| {
        let Some(rest) = line.strip_prefix('[') else {
            return false;
        };
        let Some((number, rest)) = rest.split_once(']') else {
            return false;
        };
        let rest = rest.trim_start_matches(['+', '-']);
        !number.is_empty()
            && number.bytes().all(|b| b.is_ascii_digit())
            && (rest.trim().bytes().all(|b| b.is_ascii_digit())
                || ["Running", "Done", "Exit", "Terminated", "Killed"]
                    .iter()
                    .any(|state| rest.trim_start().starts_with(state)))
    };
    for text in [&mut ran.stdout, &mut ran.stderr] {
        let kept: Vec<&str> = text
            .split_inclusive('\n')
            .filter(|l| !job_line(l.trim_end()))
            .collect();
        *text = kept.concat();
    }
    ran
}

/// klog headers as `E<time> <pid>`.
pub fn klog_masked(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            let bytes = line.as_bytes();
            let header = bytes.len() > 22
                && matches!(bytes[0], b'E' | b'W' | b'I')
                && bytes[1..5].iter().all(u8::is_ascii_digit)
                && bytes[5] == b' '
                && bytes[14] == b'.';
            if !header {
                return line.to_string();
            }
            let rest = &line[21..];
            let rest = rest.trim_start();
            let after_pid = rest.trim_start_matches(|c: char| c.is_ascii_digit());
            format!("{}<time> <pid>{after_pid}", &line[..1])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn klog_headers_are_masked_and_other_lines_kept() {
        assert_eq!(
            klog_masked(
                "E1204 11:22:49.169796   28316 portforward.go:413] an error\nerror: lost\n"
            ),
            "E<time> <pid> portforward.go:413] an error\nerror: lost\n"
        );
    }

    #[test]
    fn job_lines_are_the_shells() {
        let ran = without_job_lines(Ran {
            stdout: "[1] 4249\nForwarding from 127.0.0.1:8080 -> 80\n".into(),
            stderr: "[1]+  Exit 1                  kubectl port-forward\ncurl: (52) Empty\n".into(),
            status: 0,
        });
        assert_eq!(ran.stdout, "Forwarding from 127.0.0.1:8080 -> 80\n");
        assert_eq!(ran.stderr, "curl: (52) Empty\n");
    }
}
