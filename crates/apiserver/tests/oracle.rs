//! Real kubectl as the judge of the golden transcripts (issue #18). Every transcript under
//! `tests/transcripts/` runs twice, line by line: through a lab's own terminal, and through
//! the machine's `kubectl.1.30` (under a 120-column pseudo-terminal, as the transcripts are
//! recorded) against `rollout-lab apiserver` serving a second lab with the same seed.
//!
//! - `kubectl …` lines are compared: stdout, stderr and exit status, byte for byte. Timestamps
//!   the server mapped onto the wall clock are mapped back; each command starts just after a
//!   wall-clock second so the ages kubectl computes itself fall in the same second.
//! - `sleep N` moves the served clock (`POST /lab/advance`); a `rollout status` or `get -w`
//!   runs while the clock is stepped, and `timeout N` stops it after N virtual seconds.
//! - Anything a real kubectl cannot do from outside (`kubectl run -it` and the shell inside
//!   the pod, loops, curl) runs in the served lab's own shell (`POST /lab/shell`), uncompared;
//!   so does `kubectl drain`, whose retries and polls run on the wall clock.
//!
//! A difference fails the test unless `tests/data/transcripts-allow.txt` names it with a reason.
//! Where no `kubectl.1.30` exists the test passes and says so on its summary line.
#![cfg(not(target_arch = "wasm32"))]

#[path = "oracle/forward.rs"]
mod forward;
#[path = "../../kubectl/tests/support/oracle.rs"]
mod oracle_support;

use oracle_support::{difference, real_kubectl, summary};
use rollout_apiserver::{bind, kubeconfig, serve, Server};
use rollout_kubectl::lab::{Lab, Ran, HOME};
use rollout_sim::clock::{Duration, Time};
use rollout_sim::objects::timestamp::parse_rfc3339;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const ALLOW: &str = include_str!("data/transcripts-allow.txt");
const COLUMNS: u16 = 120;
/// The longest a `rollout status` may wait, in virtual seconds, as the headless runner.
const MAX_WAIT_SECONDS: u32 = 15 * 60;

#[test]
fn kubectl_1_30_against_the_lab_prints_what_the_lab_prints() {
    let Some(kubectl) = real_kubectl() else {
        summary("kubectl oracle (transcripts): skipped (no kubectl.1.30 on this machine)");
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/transcripts");
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().join("script.sh").is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    // `ORACLE_ONLY=NAME` runs one transcript (while working on it).
    if let Ok(only) = std::env::var("ORACLE_ONLY") {
        names.retain(|name| *name == only);
    }
    // A transcript that listens on this machine's ports (port-forward) cannot be compared
    // while something else holds them.
    names.retain(|name| {
        let script = std::fs::read_to_string(root.join(name).join("script.sh")).unwrap_or_default();
        let taken = forward::ports_taken(&script);
        if !taken.is_empty() {
            summary(&format!(
                "kubectl oracle (transcripts): {name} not compared: ports {taken:?} are in use on this machine"
            ));
        }
        taken.is_empty()
    });
    let allowed = allow_list();
    let (mut same, mut compared, mut allowed_hits) = (0, 0, 0);
    let mut failures = Vec::new();
    for name in &names {
        for (command, lab, real) in run_transcript(&kubectl, &root.join(name)) {
            compared += 1;
            let case = format!("{name}: {command}");
            match (lab == real, allowed.contains_key(case.as_str())) {
                (true, false) => same += 1,
                (true, true) => failures.push(format!("{case}: allow-listed but identical\n")),
                (false, true) => allowed_hits += 1,
                (false, false) => failures.push(format!("{case}\n{}", difference(&lab, &real))),
            }
        }
    }
    summary(&format!(
        "kubectl oracle (transcripts): {same}/{compared} kubectl commands of {} transcripts identical to kubectl v1.30 against rollout-lab apiserver, {allowed_hits} allow-listed, {} different",
        names.len(),
        failures.len()
    ));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Runs one transcript both ways: (command, the lab's terminal, kubectl v1.30) per compared line.
fn run_transcript(kubectl: &Path, folder: &Path) -> Vec<(String, Ran, Ran)> {
    let script = std::fs::read_to_string(folder.join("script.sh")).unwrap_or_default();
    let files = manifests(folder);
    let mut lab = Lab::headless(1);
    lab.set_columns(COLUMNS);
    for (name, text) in &files {
        lab.shell.files_mut().write(&format!("{HOME}/{name}"), text);
    }
    let address = start_server(files.clone());
    let work = scratch(folder);
    for (name, text) in &files {
        let _ = std::fs::write(work.join(name), text);
    }
    let config = work.join("kubeconfig");
    let _ = std::fs::write(&config, kubeconfig(address));
    let real = Real {
        kubectl: kubectl.to_path_buf(),
        work,
        config,
        address,
    };
    let mut compared = Vec::new();
    let mut jobs = forward::Jobs::default();
    let mut lines = script.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        // A heredoc and its body run as one block in both labs; the file it writes is
        // written beside the real kubectl too.
        if let Some(tag) = heredoc_tag(trimmed) {
            let mut block = vec![line.to_string()];
            let mut body = String::new();
            for next in lines.by_ref() {
                block.push(next.to_string());
                if next.trim() == tag {
                    break;
                }
                body.push_str(next);
                body.push('\n');
            }
            let block = block.join("\n");
            lab.run_lines(&block, Duration::from_secs(i64::from(MAX_WAIT_SECONDS)));
            real.lab_shell(&block);
            if let Some(file) = trimmed
                .strip_prefix("cat > ")
                .and_then(|rest| rest.split_whitespace().next())
            {
                let _ = std::fs::write(real.work.join(file), body);
            }
            continue;
        }
        let ours = lab.run_line(trimmed, Duration::from_secs(i64::from(MAX_WAIT_SECONDS)));
        let theirs = match (forward::plan(trimmed, &jobs), plan(trimmed)) {
            (Some(step), _) => {
                let ran = jobs.run(&step, &real.kubectl, &real.work, &real.config);
                step.compared().then_some(ran)
            }
            (None, Some(steps)) => {
                let mut ran = real.run_steps(&steps);
                // What the background jobs printed meanwhile comes first, as on a terminal.
                let (out, err) = jobs.news();
                ran.stdout.insert_str(0, &out);
                ran.stderr.insert_str(0, &err);
                Some(ran)
            }
            (None, None) => {
                real.lab_shell(trimmed);
                None
            }
        };
        if let Some(theirs) = theirs {
            let masked = |ran: Ran| {
                let ran = forward::without_job_lines(ran);
                Ran {
                    stderr: forward::klog_masked(&ran.stderr),
                    ..ran
                }
            };
            compared.push((trimmed.to_string(), masked(ours), masked(theirs)));
        }
    }
    compared
}

/// `cat > f <<'YAML'` → `YAML`.
fn heredoc_tag(line: &str) -> Option<String> {
    let (_, tag) = line.split_once("<<")?;
    let tag = tag.trim().trim_start_matches('-').trim_matches(['\'', '"']);
    (!tag.is_empty()).then(|| tag.to_string())
}

/// One step of a line a real kubectl can run.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    /// `kubectl ARGS`; `watch`: it runs until the cluster gets somewhere (rollout status,
    /// `-w`), stopped after `timeout` virtual seconds if given.
    Kubectl {
        args: Vec<String>,
        watch: bool,
        timeout: Option<u32>,
        /// `kubectl wait --timeout`: how long the virtual clock moves while it waits. The real
        /// kubectl gives up on the wall clock, so the clock must stop where the lab's does.
        gives_up_after: Option<u32>,
    },
    Sleep(f64),
}

/// The steps of a line, or `None` if only the lab's shell can run it.
fn plan(line: &str) -> Option<Vec<Step>> {
    // A background job (`… &`) is the lab shell's, but for a port-forward (`forward::plan`).
    if line.contains(['|', ';', '$', '`', '<', '>', '(', '\'', '"']) || line.ends_with('&') {
        return None;
    }
    let mut steps = Vec::new();
    for part in line.split("&&") {
        let mut words: Vec<String> = part.split_whitespace().map(str::to_string).collect();
        let mut timeout = None;
        if words.first().map(String::as_str) == Some("timeout") {
            timeout = Some(words.get(1)?.trim_end_matches('s').parse().ok()?);
            words.drain(..2);
        }
        match words.first().map(String::as_str) {
            Some("sleep") if timeout.is_none() && words.len() == 2 => {
                steps.push(Step::Sleep(words[1].parse().ok()?))
            }
            Some("kubectl") => {
                let args = words[1..].to_vec();
                let interactive = args.iter().any(|a| {
                    matches!(
                        a.as_str(),
                        "-it" | "-ti" | "-i" | "--stdin" | "--rm" | "-t" | "--tty" | "edit"
                    )
                });
                // An add-on release by URL is installed by the lab (no network is needed, or
                // used); a real kubectl would fetch it from GitHub.
                let by_url = args.iter().any(|a| a.starts_with("https://"));
                // `kubectl drain` retries a refused eviction after 5 s and looks for the
                // evicted pods every second of the *wall* clock, which the stepped virtual
                // clock here does not follow: the lab's own shell runs it, uncompared.
                let drains = args.first().is_some_and(|a| a == "drain");
                if interactive || by_url || drains || args.first().is_some_and(|a| a == "argo") {
                    return None;
                }
                let waits = args.first().is_some_and(|a| a == "wait");
                let watch = args
                    .iter()
                    .any(|a| matches!(a.as_str(), "-w" | "--watch" | "--watch-only"))
                    || (args.starts_with(&["rollout".into(), "status".into()])
                        && !args.iter().any(|a| a == "--watch=false" || a == "-w=false"))
                    || waits
                    // kubectl delete waits until what it deleted is gone: a pod after its
                    // grace period, an owner deleted in the foreground once its dependents
                    // are. The clock must move for that.
                    || (args.first().is_some_and(|a| a == "delete")
                        && !args.iter().any(|a| a == "--wait=false"))
                    // A port-forward runs until it is stopped or loses its pod.
                    || args.first().is_some_and(|a| a == "port-forward");
                let gives_up_after = waits.then(|| wait_timeout(&args)).flatten();
                steps.push(Step::Kubectl {
                    args,
                    watch,
                    timeout,
                    gives_up_after,
                });
            }
            _ => return None,
        }
    }
    Some(steps)
}

/// `kubectl wait`'s `--timeout` in whole seconds (30 unless told); `None` if it is not
/// whole seconds, or not a timeout this test can stop the clock at.
fn wait_timeout(args: &[String]) -> Option<u32> {
    let given = args
        .iter()
        .enumerate()
        .find_map(|(i, a)| match a.strip_prefix("--timeout") {
            Some(rest) if rest.starts_with('=') => Some(rest[1..].to_string()),
            Some("") => args.get(i + 1).cloned(),
            _ => None,
        });
    match given.as_deref() {
        None => Some(30),
        Some(text) => text.strip_suffix('s')?.parse().ok(),
    }
}

/// The real kubectl and the server it talks to.
struct Real {
    kubectl: PathBuf,
    work: PathBuf,
    config: PathBuf,
    address: SocketAddr,
}

impl Real {
    /// Runs the steps as `&&` does: stop at the first that fails. Outputs concatenate.
    fn run_steps(&self, steps: &[Step]) -> Ran {
        let mut all = Ran {
            stdout: String::new(),
            stderr: String::new(),
            status: 0,
        };
        for step in steps {
            let ran = match step {
                Step::Sleep(seconds) => {
                    self.advance(*seconds);
                    continue;
                }
                Step::Kubectl {
                    args,
                    watch,
                    timeout,
                    gives_up_after,
                } => self.kubectl(args, *watch, *timeout, *gives_up_after),
            };
            all.stdout.push_str(&ran.stdout);
            all.stderr.push_str(&ran.stderr);
            all.status = ran.status;
            if ran.status != 0 {
                break;
            }
        }
        all
    }

    fn kubectl(
        &self,
        args: &[String],
        watch: bool,
        timeout: Option<u32>,
        gives_up_after: Option<u32>,
    ) -> Ran {
        start_of_a_wall_second();
        let shift = self.shift();
        let watches_before = self.watches();
        let mut child = match self.spawn(args) {
            Some(child) => child,
            None => return failed("kubectl could not be started"),
        };
        if watch {
            // Let it list and start watching (the server counts its watches), then move the
            // clock as the headless runner does (to whatever is due next, a second at most)
            // until it is done (rollout status) or its timeout has passed (get -w).
            // A port-forward opens no watch: it listens (or fails) within a second.
            let forwards = args.first().is_some_and(|a| a == "port-forward");
            for tick in 0..200 {
                if self.watches() > watches_before
                    || matches!(child.try_wait(), Ok(Some(_)))
                    || (forwards && tick >= 20)
                {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
            // `kubectl wait` on objects that already meet the condition opens a watch per
            // object and ends without the clock moving: give it the time to.
            if gives_up_after.is_some() {
                for _ in 0..30 {
                    if matches!(child.try_wait(), Ok(Some(_))) {
                        break;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
            }
            let start = self.now_millis();
            let limit = i64::from(timeout.or(gives_up_after).unwrap_or(MAX_WAIT_SECONDS)) * 1000;
            loop {
                if matches!(child.try_wait(), Ok(Some(_))) {
                    break;
                }
                let now = self.step(start + limit);
                if now >= start + limit {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(80));
            }
            std::thread::sleep(std::time::Duration::from_millis(300));
            if timeout.is_some() {
                let _ = child.kill();
            }
        }
        let output = child.wait_with_output();
        let stderr = std::fs::read_to_string(self.work.join("stderr")).unwrap_or_default();
        let Ok(output) = output else {
            return failed("kubectl did not finish");
        };
        let status = match (timeout, output.status.code()) {
            (Some(_), None) => 124, // what `timeout` reports for a command it stopped
            (_, code) => code.unwrap_or(-1),
        };
        Ran {
            stdout: unshift(
                &String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n"),
                shift,
            ),
            stderr: unshift(&stderr, shift),
            status,
        }
    }

    /// kubectl with its standard output on a pseudo-terminal (util-linux `script`), standard
    /// error to a file.
    fn spawn(&self, args: &[String]) -> Option<Child> {
        let quoted: Vec<String> = args.iter().map(|a| shell_quote(a)).collect();
        let line = format!(
            "stty cols {COLUMNS} rows 50; exec {} {} 2>{} </dev/null",
            self.kubectl.display(),
            quoted.join(" "),
            self.work.join("stderr").display()
        );
        Command::new("script")
            .args(["-qec", &line, "/dev/null"])
            .current_dir(&self.work)
            .env("HOME", &self.work)
            .env("KUBECONFIG", &self.config)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()
    }

    fn advance(&self, seconds: f64) {
        http(
            self.address,
            "POST",
            &format!("/lab/advance?seconds={seconds}"),
            "",
        );
    }

    /// `POST /lab/step`: the virtual clock after the step.
    fn step(&self, until: i64) -> i64 {
        let body = http(
            self.address,
            "POST",
            &format!("/lab/step?until={until}"),
            "",
        );
        millis(&body)
    }

    /// How many watches the server has open.
    fn watches(&self) -> i64 {
        let body = http(self.address, "GET", "/lab/now", "");
        serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["watches"].as_i64())
            .unwrap_or(0)
    }

    fn now_millis(&self) -> i64 {
        millis(&http(self.address, "GET", "/lab/now", ""))
    }

    /// The seconds the server adds to timestamps now.
    fn shift(&self) -> i64 {
        let body = http(self.address, "GET", "/lab/now", "");
        serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["shift"].as_i64())
            .unwrap_or(0)
    }

    fn lab_shell(&self, line: &str) {
        http(self.address, "POST", "/lab/shell", line);
        // A manifest the line wrote or edited in the served lab's home (`-o yaml > d.yaml`,
        // `sed -i`) is copied beside the real kubectl, for its later `-f`.
        for word in line.split(|c: char| c.is_whitespace() || c == '>') {
            let file = word.trim_matches(['\'', '"']);
            let manifest = [".yaml", ".yml", ".json"]
                .iter()
                .any(|ext| file.ends_with(ext));
            if !manifest || file.starts_with('-') || file.contains('/') {
                continue;
            }
            let answer = http(self.address, "POST", "/lab/shell", &format!("cat {file}"));
            let ran: serde_json::Value = serde_json::from_str(&answer).unwrap_or_default();
            if let (Some(0), Some(text)) = (ran["status"].as_i64(), ran["stdout"].as_str()) {
                let _ = std::fs::write(self.work.join(file), text);
            }
        }
    }
}

fn millis(body: &str) -> i64 {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["millis"].as_i64())
        .unwrap_or(i64::MAX)
}

fn failed(why: &str) -> Ran {
    Ran {
        stdout: String::new(),
        stderr: format!("{why}\n"),
        status: -1,
    }
}

/// Waits until just past the next wall-clock second.
fn start_of_a_wall_second() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let into = now.subsec_millis();
    if into > 20 {
        std::thread::sleep(std::time::Duration::from_millis(u64::from(1020 - into)));
    }
}

/// Timestamps in kubectl's output moved back from the wall clock onto the virtual one: RFC
/// 3339 (`-o yaml`) and RFC 1123 with a zone (`describe`).
fn unshift(text: &str, shift: i64) -> String {
    unshift_rfc1123z(&unshift_rfc3339(text, shift), shift)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `Mon, 23 Nov 2026 09:00:00 +0000`, moved by `shift` seconds back.
fn unshift_rfc1123z(text: &str, shift: i64) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(" +0000") {
        let (head, tail) = rest.split_at(at);
        let moved = head.get(head.len().saturating_sub(25)..).and_then(|stamp| {
            let day: u32 = stamp.get(5..7)?.parse().ok()?;
            let month = MONTHS.iter().position(|m| Some(*m) == stamp.get(8..11))? + 1;
            let year: u32 = stamp.get(12..16)?.parse().ok()?;
            let clock = stamp.get(17..25)?;
            let time = parse_rfc3339(&format!("{year:04}-{month:02}-{day:02}T{clock}Z")).ok()?;
            let moved = rollout_kubectl::printers::rfc1123z(Some(Time(time.0 - shift * 1000)))
                .trim_end_matches(" +0000")
                .to_string();
            Some((head.len() - 25, moved))
        });
        match moved {
            Some((start, stamp)) => {
                out.push_str(&head[..start]);
                out.push_str(&stamp);
            }
            None => out.push_str(head),
        }
        out.push_str(" +0000");
        rest = &tail[" +0000".len()..];
    }
    out.push_str(rest);
    out
}

fn unshift_rfc3339(text: &str, shift: i64) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(|c: char| c.is_ascii_digit()) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match rest.get(..20).and_then(|candidate| {
            let time = parse_rfc3339(candidate).ok()?;
            (time.rfc3339() == candidate).then_some(time)
        }) {
            Some(time) => {
                out.push_str(&Time(time.0 - shift * 1000).rfc3339());
                rest = &rest[20..];
            }
            None => {
                let next = rest.char_indices().nth(1).map_or(rest.len(), |(i, _)| i);
                out.push_str(&rest[..next]);
                rest = &rest[next..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn shell_quote(word: &str) -> String {
    if word
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_=/.,:@%+".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// A server for one transcript, its lab seeded as the runner's, the manifests in its home.
fn start_server(files: BTreeMap<String, String>) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let Ok(bound) = bind(Ipv4Addr::LOCALHOST.into(), 0) else {
            return;
        };
        let _ = tx.send(bound.address);
        let mut lab = Lab::headless(1);
        lab.set_columns(COLUMNS);
        for (name, text) in &files {
            lab.shell.files_mut().write(&format!("{HOME}/{name}"), text);
        }
        let address = bound.address;
        let _ = serve(bound, Server::new(lab, address, 0.0));
    });
    rx.recv_timeout(std::time::Duration::from_secs(10))
        .expect("the server started")
}

/// A minimal HTTP client for the lab's endpoints: the response body.
fn http(address: SocketAddr, method: &str, path: &str, body: &str) -> String {
    let Ok(mut stream) = TcpStream::connect(address) else {
        return String::new();
    };
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: lab\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return String::new();
    }
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default()
}

fn manifests(folder: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().ends_with(".yaml"))
                .filter_map(|e| {
                    let text = std::fs::read_to_string(e.path()).ok()?;
                    Some((e.file_name().to_string_lossy().into_owned(), text))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn scratch(folder: &Path) -> PathBuf {
    let name = folder
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir =
        std::env::temp_dir().join(format!("rollout-lab-oracle-{}-{name}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// `TRANSCRIPT: COMMAND: reason` lines.
fn allow_list() -> BTreeMap<String, &'static str> {
    ALLOW
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (case, reason) = l.rsplit_once(" :: ")?;
            Some((case.to_string(), reason))
        })
        .collect()
}
