//! What a container writes and what runs inside it.
//!
//! **Logs.** The container runtime keeps each container's output, as CRI does in
//! `/var/log/pods`: the current run's and the previous one's (`kubectl logs --previous`), each
//! capped so a chatty loop cannot fill the page's memory (the kubelet rotates at 10 MiB).
//!
//! **Processes run by the host.** A shell image's command (`sh -c 'wget -qO- web; exit 1'`)
//! is a program, and the simulation has no interpreter: the host that embeds the cluster and
//! has a shell (the lab) can ask to run these processes itself ([`Kubelet::host_runs_processes`]).
//! The kubelet then queues a [`ProcessStart`] when such a container starts, and the host
//! reports what the process writes and how it ends. Without a host the kubelet times shell
//! commands by their words (`sleep N` runs N seconds, everything else exits 0 at once).

use super::{Kubelet, Node, Stage};
use crate::clock::Time;
use std::rc::Rc;

/// Bytes of one run's log kept per container; older output is dropped from the front.
pub const LOG_LIMIT_BYTES: usize = 256 * 1024;

/// One run of one container: which pod (by UID, so a same-named successor is another
/// process), which container, and which (re)start.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProcessId {
    pub pod_uid: String,
    pub container: usize,
    pub incarnation: u32,
}

/// A container's main process for the host to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessStart {
    pub id: ProcessId,
    pub namespace: String,
    pub pod: String,
    pub container_name: String,
    pub image: String,
    /// `command` then `args`, as the runtime execs them.
    pub argv: Vec<String>,
    /// The container's `env` with plain values (`valueFrom` is not resolved).
    pub env: Vec<(String, String)>,
}

/// One run's output: whole lines in chunks that snapshots share. A demoapp container logs
/// every probe and request, so a pod's log grows all the time; the page's timeline clones the
/// cluster every few seconds, and a clone copies only the chunk pointers, while an append
/// copies at most the last, small chunk if a snapshot still holds it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContainerLog {
    chunks: Vec<Rc<LogChunk>>,
    /// Bytes ever written, including those dropped from the front (`logs -f` follows it).
    pub total_bytes: u64,
}

/// Text that starts at a line's start, and when each line that starts in it was written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct LogChunk {
    text: String,
    line_times: Vec<Time>,
}

/// A chunk that ends a line and holds at least this much takes no more.
const CHUNK_BYTES: usize = 1024;

impl ContainerLog {
    /// The output kept (the oldest may have been dropped, see [`LOG_LIMIT_BYTES`]).
    pub fn text(&self) -> String {
        self.chunks.iter().map(|c| c.text.as_str()).collect()
    }

    /// When each line of [`ContainerLog::text`] started, for `--timestamps` and `--since`.
    pub fn line_times(&self) -> Vec<Time> {
        self.chunks
            .iter()
            .flat_map(|c| c.line_times.iter().copied())
            .collect()
    }

    /// The bytes kept.
    pub fn len(&self) -> usize {
        self.chunks.iter().map(|c| c.text.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.chunks.iter().all(|c| c.text.is_empty())
    }

    fn append(&mut self, at: Time, text: &str) {
        let full = self
            .chunks
            .last()
            .is_none_or(|c| c.text.len() >= CHUNK_BYTES && c.text.ends_with('\n'));
        if full {
            self.chunks.push(Rc::new(LogChunk::default()));
        }
        if let Some(last) = self.chunks.last_mut() {
            let chunk = Rc::make_mut(last);
            let mut starts_line = chunk.text.is_empty() || chunk.text.ends_with('\n');
            for ch in text.chars() {
                if starts_line {
                    chunk.line_times.push(at);
                }
                starts_line = ch == '\n';
            }
            chunk.text.push_str(text);
        }
        self.total_bytes = self.total_bytes.saturating_add(text.len() as u64);
        // Drop whole chunks (whole lines) from the front until it fits again.
        let mut kept = self.len();
        while kept > LOG_LIMIT_BYTES && self.chunks.len() > 1 {
            kept -= self.chunks.remove(0).text.len();
        }
        if kept > LOG_LIMIT_BYTES {
            // One chunk over the limit (a single huge write): cut its front at a line.
            if let Some(only) = self.chunks.first_mut() {
                let chunk = Rc::make_mut(only);
                let mut cut = chunk.text.len() - LOG_LIMIT_BYTES;
                cut = chunk.text[cut..]
                    .find('\n')
                    .map_or(chunk.text.len(), |i| cut + i + 1);
                let dropped = chunk.text[..cut].matches('\n').count();
                chunk.text.drain(..cut);
                chunk
                    .line_times
                    .drain(..dropped.min(chunk.line_times.len()));
            }
        }
    }
}

/// The current and the previous run's output of one container.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContainerLogs {
    pub current: ContainerLog,
    pub previous: Option<ContainerLog>,
}

impl Kubelet {
    /// The host runs shell images' processes from now on (see the module's text).
    pub fn host_runs_processes(&mut self) {
        self.host_runs_processes = true;
    }

    /// Whether processes wait to be taken.
    pub fn has_started_processes(&self) -> bool {
        !self.started.is_empty()
    }

    /// The processes started since the last call, oldest first.
    pub fn take_started(&mut self) -> Vec<ProcessStart> {
        std::mem::take(&mut self.started)
    }

    /// A container's logs, by pod UID and container index.
    pub fn logs(&self, pod_uid: &str, container: usize) -> Option<&ContainerLogs> {
        self.logs.get(&(pod_uid.to_string(), container))
    }

    /// Whether this run of the container has not ended (it may be stopping).
    pub fn is_alive(&self, id: &ProcessId) -> bool {
        self.pods
            .get(&id.pod_uid)
            .and_then(|p| p.containers.get(id.container))
            .is_some_and(|c| {
                c.incarnation == id.incarnation
                    && matches!(c.stage, Stage::Running { .. } | Stage::Stopping { .. })
            })
    }
}

impl Node<'_> {
    /// A new run of the container starts: the last run's output becomes `--previous`.
    pub(super) fn rotate_logs(&mut self, pod_uid: &str, container: usize) {
        let logs = self
            .kubelet
            .logs
            .entry((pod_uid.to_string(), container))
            .or_default();
        let current = std::mem::take(&mut logs.current);
        if !current.is_empty() || logs.previous.is_some() {
            logs.previous = Some(current);
        }
    }

    /// The container wrote `text` (stdout and stderr alike, as `kubectl logs` shows them).
    pub(crate) fn write_log(&mut self, pod_uid: &str, container: usize, text: &str) {
        if text.is_empty() {
            return;
        }
        let now = self.api.now;
        self.kubelet
            .logs
            .entry((pod_uid.to_string(), container))
            .or_default()
            .current
            .append(now, text);
    }

    /// The host's process wrote `text`; ignored once that run is over.
    pub(crate) fn process_output(&mut self, id: &ProcessId, text: &str) {
        if self.kubelet.is_alive(id) {
            self.write_log(&id.pod_uid, id.container, text);
        }
    }

    /// The host's process ended by itself with `exit_code`, maybe while the kubelet waited
    /// for it to stop (a shell ignores SIGTERM, but its script may end first). True when that
    /// run had not ended yet.
    pub(crate) fn process_exited(&mut self, id: &ProcessId, exit_code: i32) -> bool {
        let running = self.kubelet.is_alive(id);
        if running {
            let reason = if exit_code == 0 { "Completed" } else { "Error" };
            self.container_exited(&id.pod_uid, id.container, exit_code, reason);
        }
        running
    }

    /// The runtime could not exec the process: `program` is not on the image's `PATH`.
    /// containerd reports it as the container's `StartError` (exit code 128).
    pub(crate) fn process_not_found(&mut self, id: &ProcessId, program: &str) -> bool {
        if !self.kubelet.is_alive(id) {
            return false;
        }
        self.pod_event(
            &id.pod_uid,
            crate::objects::EventType::Warning,
            "Failed",
            format!(
                "Error: failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"{program}\": executable file not found in $PATH: unknown"
            ),
            None,
        );
        self.container_exited(&id.pod_uid, id.container, 128, "StartError");
        true
    }

    /// Forgets the logs of a pod that is gone.
    pub(super) fn forget_logs(&mut self, pod_uid: &str) {
        let first = (pod_uid.to_string(), 0);
        let keys: Vec<(String, usize)> = self
            .kubelet
            .logs
            .range(first..)
            .take_while(|(key, _)| key.0 == pod_uid)
            .map(|(key, _)| key.clone())
            .collect();
        for key in keys {
            self.kubelet.logs.remove(&key);
        }
    }
}

/// The env of a container as plain pairs.
pub(super) fn plain_env(container: &crate::objects::Container) -> Vec<(String, String)> {
    container
        .env
        .iter()
        .filter_map(|var| var.value.clone().map(|value| (var.name.clone(), value)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_keeps_a_time_per_line_and_drops_whole_lines_past_its_limit() {
        let mut log = ContainerLog::default();
        log.append(Time(1), "a\nb");
        log.append(Time(2), "c\nd\n");
        assert_eq!(log.text(), "a\nbc\nd\n");
        assert_eq!(log.line_times(), vec![Time(1), Time(1), Time(2)]);
        let line = "x".repeat(99) + "\n";
        for _ in 0..(LOG_LIMIT_BYTES / 100 + 10) {
            log.append(Time(3), &line);
        }
        assert!(log.len() <= LOG_LIMIT_BYTES);
        assert!(log.text().starts_with('x'));
        assert_eq!(log.line_times().len(), log.text().matches('\n').count());
    }

    #[test]
    fn a_log_keeps_whole_lines_under_its_limit_and_clones_share_its_chunks() {
        let mut log = ContainerLog::default();
        let line = format!("{}\n", "x".repeat(99));
        for i in 0..10_000 {
            log.append(Time(i), &line);
        }
        assert!(log.len() <= LOG_LIMIT_BYTES);
        assert!(log.len() > LOG_LIMIT_BYTES - 2 * CHUNK_BYTES);
        assert_eq!(log.len() % 100, 0, "whole lines only");
        assert_eq!(log.line_times().len(), log.len() / 100);
        assert_eq!(log.line_times().last(), Some(&Time(9_999)));
        assert_eq!(log.total_bytes, 1_000_000);

        let snapshot = log.clone();
        log.append(Time(10_000), "partial ");
        log.append(Time(10_001), "line\n");
        assert!(Rc::ptr_eq(&log.chunks[0], &snapshot.chunks[0]));
        assert!(log.text().ends_with("partial line\n"));
        assert_eq!(log.line_times().last(), Some(&Time(10_000)));
        assert_eq!(snapshot.total_bytes, 1_000_000);
    }

    #[test]
    fn one_write_over_the_limit_keeps_its_last_whole_lines() {
        let mut log = ContainerLog::default();
        let text = format!("{}\n", "y".repeat(999)).repeat(300);
        log.append(Time(1), &text);
        assert!(log.len() <= LOG_LIMIT_BYTES);
        assert_eq!(log.len() % 1000, 0);
        assert_eq!(log.line_times().len(), log.len() / 1000);
    }
}
