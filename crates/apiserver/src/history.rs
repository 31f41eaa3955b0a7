//! The watch cache's history. A client lists at resourceVersion N and then watches from N; a
//! real API server sends every change after N, from the window of recent events its watch
//! cache keeps, and answers a watch from before that window with `410 Gone` ("too old
//! resource version"). Between the list and the watch the lab's clock may have moved (with
//! `--speed`, or `POST /lab/advance`), so the server keeps the last [`KEPT`] states the
//! cluster was in, each under the resourceVersion it had: a watch from N starts from the
//! newest state at or before N and is first sent what changed since.
//!
//! A state is cheap: pods and events are shared through `Rc` with the live cluster (a write
//! copies only the object written), so a state of a 1,000-pod cluster is mostly a copy of
//! a thousand pointers and their keys: about 280 KiB, kept in half a millisecond
//! (`benches/watch_history.rs` measures it during a rollout). The history is bounded by
//! count, and by the pods its states point to, so a 10,000-pod cluster keeps fewer.

use crate::listing::Source;
use rollout_sim::clock::Time;
use rollout_sim::cluster::{Cluster, Store};
use rollout_sim::objects::Event;
use std::collections::VecDeque;
use std::rc::Rc;

/// How many states are kept: a real watch cache keeps 100 events per resource at least.
pub const KEPT: usize = 128;

/// Fewer states are kept of a bigger cluster, so that they point to at most this many pods in
/// all (a state costs about 280 bytes a pod), but never fewer than [`KEPT_AT_LEAST`].
const POD_BUDGET: usize = 128 * 1_024;

/// The fewest states kept, however big the cluster: a few seconds of a large rollout.
const KEPT_AT_LEAST: usize = 16;

/// The cluster as it stood at one resourceVersion.
#[derive(Debug)]
pub struct State {
    /// The resourceVersion a list served from this state carried.
    pub version: u64,
    /// Where the sim's watch log stood (each Deployment and ReplicaSet step after it is
    /// still to be sent).
    pub log_cursor: u64,
    now: Time,
    store: Store,
    events: Vec<Rc<Event>>,
}

impl State {
    fn of(cluster: &Cluster) -> State {
        State {
            version: cluster.resource_version(),
            log_cursor: cluster.watch_log().cursor(),
            now: cluster.now(),
            store: cluster.store().clone(),
            events: cluster.events().to_vec(),
        }
    }

    /// What a listing of this state reads.
    pub fn source(&self) -> Source<'_> {
        Source {
            store: &self.store,
            events: &self.events,
            now: self.now,
        }
    }

    /// Whether `cluster` is still in this state. Objects get a new resourceVersion with
    /// every change; events do not carry one here, so they are compared by pointer (a
    /// new or folded event is a new `Rc`).
    fn is_current(&self, cluster: &Cluster) -> bool {
        let events = cluster.events();
        self.version == cluster.resource_version()
            && self.events.len() == events.len()
            && self
                .events
                .iter()
                .zip(events)
                .all(|(kept, live)| Rc::ptr_eq(kept, live))
    }
}

/// The recent states, oldest first, their versions rising.
#[derive(Debug)]
pub struct History {
    states: VecDeque<State>,
}

/// Why a watch cannot start where it asked.
#[derive(Debug, PartialEq, Eq)]
pub struct Expired {
    /// The version asked for.
    pub asked: u64,
    /// The oldest version the history can start a watch from.
    pub oldest: u64,
}

impl History {
    /// A history holding the cluster as it is.
    pub fn new(cluster: &Cluster) -> History {
        History {
            states: VecDeque::from([State::of(cluster)]),
        }
    }

    /// Keeps the cluster's state if it changed since the newest one kept. A change at the
    /// same resourceVersion (an event) replaces that version's state: a watch from it starts
    /// from the newest.
    pub fn record(&mut self, cluster: &Cluster) {
        if let Some(newest) = self.states.back() {
            if newest.is_current(cluster) {
                return;
            }
            if newest.version >= cluster.resource_version() {
                self.states.pop_back();
            }
        }
        self.states.push_back(State::of(cluster));
        let pods = cluster.store().pods.len().max(1);
        let kept = (POD_BUDGET / pods).clamp(KEPT_AT_LEAST, KEPT);
        while self.states.len() > kept {
            self.states.pop_front();
        }
    }

    /// The state a watch from `version` starts from: the newest at or before it (the newest
    /// of all for a version the server has not reached yet).
    pub fn at(&self, version: u64) -> Result<&State, Expired> {
        let after = self.states.partition_point(|s| s.version <= version);
        match after.checked_sub(1).and_then(|i| self.states.get(i)) {
            Some(state) => Ok(state),
            None => Err(Expired {
                asked: version,
                oldest: self.states.front().map_or(0, |s| s.version),
            }),
        }
    }

    /// How many states are kept.
    pub fn len(&self) -> usize {
        self.states.len()
    }

    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }
}

impl std::fmt::Display for Expired {
    /// The watch cache's text (`too old resource version: %d (%d)`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "too old resource version: {} ({})",
            self.asked, self.oldest
        )
    }
}

/// A watch's `resourceVersion` as the API server parses it (Go's `strconv.ParseUint`, base
/// 10: digits only, no sign), with the text of its error — which kube-apiserver 1.30 sends
/// as a 500 with no reason (kubernetes/kubernetes#139485). `None`: empty.
pub fn parse_version(text: &str) -> Result<Option<u64>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let why = if !text.bytes().all(|b| b.is_ascii_digit()) {
        "invalid syntax"
    } else {
        match text.parse::<u64>() {
            Ok(version) => return Ok(Some(version)),
            Err(_) => "value out of range",
        }
    };
    let quoted = rollout_sim::strconv::quote(text);
    Err(format!(
        "resourceVersion: Invalid value: {quoted}: strconv.ParseUint: parsing {quoted}: {why}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_as_go_parses_them() {
        assert_eq!(parse_version(""), Ok(None));
        assert_eq!(parse_version("0"), Ok(Some(0)));
        assert_eq!(parse_version("0042"), Ok(Some(42)));
        assert_eq!(
            parse_version("-1"),
            Err(
                "resourceVersion: Invalid value: \"-1\": strconv.ParseUint: parsing \"-1\": invalid syntax"
                    .to_string()
            )
        );
        assert!(parse_version("+5").is_err());
        assert!(
            parse_version("99999999999999999999").is_err_and(|e| e.ends_with("value out of range"))
        );
    }

    #[test]
    fn a_watch_starts_from_the_newest_state_at_or_before_its_version() {
        let mut cluster = Cluster::new(1);
        let mut history = History::new(&cluster);
        let first = cluster.resource_version();
        assert_eq!(history.at(first).map(|s| s.version), Ok(first));
        assert_eq!(
            history.at(first - 1).map(|s| s.version),
            Err(Expired {
                asked: first - 1,
                oldest: first
            })
        );
        let _ = cluster.join_worker();
        history.record(&cluster);
        history.record(&cluster);
        assert_eq!(history.len(), 2);
        let second = cluster.resource_version();
        assert!(second > first);
        assert_eq!(history.at(second - 1).map(|s| s.version), Ok(first));
        assert_eq!(history.at(second + 9).map(|s| s.version), Ok(second));
    }

    #[test]
    fn the_history_is_bounded() {
        use rollout_sim::objects::{Namespace, Object, ObjectMeta};
        let mut cluster = Cluster::new(1);
        let mut history = History::new(&cluster);
        let start = cluster.resource_version();
        for i in 0..KEPT + 10 {
            let metadata = ObjectMeta {
                name: format!("ns-{i}"),
                ..ObjectMeta::default()
            };
            let _ = cluster.apply(Object::Namespace(Namespace { metadata }));
            history.record(&cluster);
        }
        assert_eq!(history.len(), KEPT);
        let oldest = start + 11;
        assert_eq!(
            history.at(start).map(|s| s.version),
            Err(Expired {
                asked: start,
                oldest
            })
        );
        assert_eq!(history.at(oldest).map(|s| s.version), Ok(oldest));
    }
}
