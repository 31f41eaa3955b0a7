//! A custom resource kept as the API server keeps one: its metadata typed, everything else
//! (`spec`, `status`) as the JSON it was sent with, after its CRD's schema checked and
//! defaulted it. The add-on that serves the kind reads it with its own types, so the
//! simulation's core (and the page's first download) needs no code per field.

use super::{Kind, ObjectMeta};
use serde_json::{Map, Value};

#[derive(Clone, Debug, PartialEq)]
pub struct CustomObject {
    pub kind: Kind,
    pub metadata: ObjectMeta,
    /// Every top-level field but `apiVersion`, `kind` and `metadata`.
    pub body: Map<String, Value>,
}

impl CustomObject {
    /// `spec` (an empty object when absent).
    pub fn spec(&self) -> &Value {
        static EMPTY: Value = Value::Null;
        self.body.get("spec").unwrap_or(&EMPTY)
    }

    /// `status`, or null.
    pub fn status(&self) -> &Value {
        static EMPTY: Value = Value::Null;
        self.body.get("status").unwrap_or(&EMPTY)
    }
}
