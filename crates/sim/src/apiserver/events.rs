//! The event recorder: controllers and the kubelet report what they did; identical reports
//! are folded into one event with a count, as the API server's event aggregation does.

use crate::clock::Time;
use crate::objects::{Event, EventType, Explanation, ObjectMeta, ObjectReference};
use std::rc::Rc;

/// Old events are dropped past this many, like a real cluster's one-hour event TTL keeps the
/// list short; the page only ever shows the recent ones.
const MAX_EVENTS: usize = 5_000;

/// Events are shared between snapshots (a clone copies pointers, not thousands of
/// messages); folding a repeat into a shared event copies just that one.
#[derive(Clone, Debug, Default)]
pub struct EventLog {
    events: Vec<Rc<Event>>,
    next_id: u64,
}

/// One report, before it becomes an [`Event`].
pub struct Report<'a> {
    pub object: ObjectReference,
    pub type_: EventType,
    pub reason: &'a str,
    pub message: String,
    pub source: &'a str,
    pub explanation: Option<Explanation>,
}

impl EventLog {
    pub fn record(&mut self, now: Time, report: Report<'_>) {
        // Repeats of the newest matching event (same object, reason and message) fold into it.
        // UIDs differ in their first bytes, so compare them before the long messages.
        if let Some(existing) = self.events.iter_mut().rev().take(50).find(|e| {
            e.involved_object.uid == report.object.uid
                && e.reason == report.reason
                && e.involved_object == report.object
                && e.message == report.message
        }) {
            let existing = Rc::make_mut(existing);
            existing.count = existing.count.saturating_add(1);
            existing.last_timestamp = Some(now);
            if report.explanation.is_some() {
                existing.explanation = report.explanation;
            }
            return;
        }
        self.next_id += 1;
        let name = format!("{}.{:016x}", report.object.name, self.next_id);
        self.events.push(Rc::new(Event {
            metadata: ObjectMeta {
                name,
                // An event about a cluster-scoped object (a Node) lives in `default`, as
                // client-go's recorder puts it (`metav1.NamespaceDefault`).
                namespace: if report.object.namespace.is_empty() {
                    "default".to_string()
                } else {
                    report.object.namespace.clone()
                },
                creation_timestamp: Some(now),
                ..ObjectMeta::default()
            },
            involved_object: report.object,
            reason: report.reason.to_string(),
            message: report.message,
            type_: report.type_,
            source: report.source.to_string(),
            first_timestamp: Some(now),
            last_timestamp: Some(now),
            count: 1,
            explanation: report.explanation,
        }));
        // Trim in batches: draining the front of a long list on every event would copy it
        // over and over.
        if self.events.len() > MAX_EVENTS + MAX_EVENTS / 4 {
            self.events.drain(..self.events.len() - MAX_EVENTS);
        }
    }

    /// All events, oldest first.
    pub fn all(&self) -> &[Rc<Event>] {
        &self.events
    }
}
