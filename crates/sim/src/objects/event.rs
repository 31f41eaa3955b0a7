use super::ObjectMeta;
use crate::clock::Time;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A `v1` Event: what a controller or the kubelet did, and why, as `kubectl get events` and
/// `kubectl describe` show it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Event {
    pub metadata: ObjectMeta,
    /// The object the event is about (`deployment/demoapp`, `pod/demoapp-…`).
    pub involved_object: ObjectReference,
    /// A CamelCase word: `ScalingReplicaSet`, `SuccessfulCreate`, `Pulling`, `Unhealthy`, …
    pub reason: String,
    pub message: String,
    #[serde(rename = "type")]
    pub type_: EventType,
    /// The component that reported it: `deployment-controller`, `kubelet`, …
    pub source: String,
    pub first_timestamp: Option<Time>,
    pub last_timestamp: Option<Time>,
    /// Repeats of the same event are folded into one with a count, like the API server does.
    pub count: i32,
    /// The lab's addition: why it happened, in plain words, with the numbers.
    pub explanation: Option<Explanation>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventType {
    #[default]
    Normal,
    Warning,
}

/// Points at an object by kind and name.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ObjectReference {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub uid: String,
}

/// A plain-words reason behind an event, kept as data so the page can show it in any
/// language: `key` names a sentence template (e.g. `rolling.scale_up_new`) and `values` fill
/// its blanks (`max_surge` = `1`, `replicas` = `4`, …).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub key: String,
    pub values: BTreeMap<String, String>,
}

impl Explanation {
    pub fn new(key: &str) -> Explanation {
        Explanation {
            key: key.to_string(),
            values: BTreeMap::new(),
        }
    }

    /// Adds one value; chainable so a call site reads like the sentence it fills.
    pub fn with(mut self, name: &str, value: impl ToString) -> Explanation {
        self.values.insert(name.to_string(), value.to_string());
        self
    }
}
