use super::ObjectMeta;
use serde::{Deserialize, Serialize};

/// A `v1` Namespace. `default` always exists; others can be created and deleted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Namespace {
    pub metadata: ObjectMeta,
}
