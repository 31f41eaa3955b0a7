//! Watches: a chunked stream of `{"type":…,"object":…}` lines per watcher. After every request
//! that wrote and every step of the clock, each watcher lists what it selects and sends what
//! changed since it last looked (ADDED, MODIFIED, DELETED), so a watcher sees the cluster at
//! every instant the clock stopped at — as `kubectl get -w` in the lab's own terminal does.
//! A watch from a resourceVersion starts from the cluster as it stood then
//! ([`crate::history`]), so what changed between the client's list and its watch is sent too.

use crate::history::State;
use crate::listing::{self, Entry, Selection};
use rollout_sim::cluster::Cluster;
use rollout_sim::objects::Kind;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::mpsc::Sender;

/// At most this many watches at once; more are refused with 429-like errors.
pub const MAX_WATCHERS: usize = 64;

/// One open watch.
#[derive(Debug)]
pub struct Watcher {
    kind: Kind,
    selection: Selection,
    /// Events carry server-side Tables (`kubectl get -w`) rather than objects.
    table: bool,
    /// What the client has been told of, by namespace and name.
    known: BTreeMap<(String, String), Entry>,
    /// Where this watch has read the cluster's watch log to.
    cursor: u64,
    out: Sender<Vec<u8>>,
}

impl Watcher {
    /// A watch of `kind`. `since`: the state the client listed at (from the watch history);
    /// the first poll sends what changed after it, each Deployment and ReplicaSet step
    /// included. Without one every object is first sent as ADDED.
    pub fn new(
        cluster: &Cluster,
        kind: Kind,
        selection: Selection,
        table: bool,
        since: Option<&State>,
        out: Sender<Vec<u8>>,
    ) -> Watcher {
        let mut watcher = Watcher {
            kind,
            selection,
            table,
            known: BTreeMap::new(),
            cursor: cluster.watch_log().cursor(),
            out,
        };
        if let Some(state) = since {
            watcher.cursor = state.log_cursor;
            let listing = listing::list_from(state.source(), kind, &watcher.selection);
            for entry in listing.entries {
                watcher.known.insert(key(&entry), entry);
            }
        }
        watcher
    }

    /// Sends what changed; false once the client has gone.
    /// Timestamps are moved by `shift` seconds onto the wall clock.
    pub fn poll(&mut self, cluster: &Cluster, shift: i64) -> bool {
        let listing = listing::list(cluster, self.kind, &self.selection);
        let version = cluster.resource_version();
        let mut lines = Vec::new();
        // Each step a Deployment or ReplicaSet went through since the last look, as the
        // lab's own `get -w` prints one; the listing then adds everything else.
        let now = cluster.now();
        for written in cluster.watch_log().since(self.cursor) {
            let Some(entry) = listing::written(written, self.kind, &self.selection, now) else {
                continue;
            };
            let key = key(&entry);
            let kind_of_event = match self.known.get(&key) {
                None => "ADDED",
                Some(old) if old.json != entry.json => "MODIFIED",
                Some(_) => continue,
            };
            lines.push(self.event(kind_of_event, &listing, &entry, version, shift));
            self.known.insert(key, entry);
        }
        self.cursor = cluster.watch_log().cursor();
        let mut seen = BTreeMap::new();
        for entry in &listing.entries {
            let key = key(entry);
            let kind_of_event = match self.known.get(&key) {
                None => Some("ADDED"),
                Some(old) if old.json != entry.json => Some("MODIFIED"),
                Some(_) => None,
            };
            if let Some(event) = kind_of_event {
                lines.push(self.event(event, &listing, entry, version, shift));
            }
            seen.insert(key, entry.clone());
        }
        for (key, entry) in &self.known {
            if !seen.contains_key(key) {
                lines.push(self.event("DELETED", &listing, entry, version, shift));
            }
        }
        self.known = seen;
        lines.into_iter().all(|line| self.out.send(line).is_ok())
    }

    fn event(
        &self,
        kind: &str,
        listing: &listing::Listing,
        entry: &Entry,
        version: u64,
        shift: i64,
    ) -> Vec<u8> {
        let mut object: Value = if self.table {
            listing::table_value(listing, &[entry], version)
        } else {
            entry.json.clone()
        };
        crate::wall::shift_timestamps(&mut object, shift);
        let mut line =
            serde_json::to_vec(&json!({ "type": kind, "object": object })).unwrap_or_default();
        line.push(b'\n');
        line
    }
}

fn key(entry: &Entry) -> (String, String) {
    (entry.meta.namespace.clone(), entry.meta.name.clone())
}
