//! A manifest's documents as the user wrote them, before decoding: what `kubectl apply`
//! records as the last-applied configuration, and what `diff`, `autoscale -f` and the
//! editor's overwrite check read. Its own module so that those verbs need not import `apply`.

use rollout_sim::manifest::yaml::{document_to_json, split_documents};
use rollout_sim::objects::Object;

/// The documents of a manifest as the user wrote them (JSON form), `kind: List` items
/// included: what `kubectl apply` records as the last-applied configuration.
pub(super) fn raw_documents(text: &str) -> Vec<serde_json::Value> {
    let mut raws = Vec::new();
    for document in split_documents(text) {
        let Ok(Some(value)) = document_to_json(&document) else {
            continue;
        };
        match value.get("items").and_then(serde_json::Value::as_array) {
            Some(items)
                if value.get("kind").and_then(serde_json::Value::as_str) == Some("List") =>
            {
                raws.extend(items.iter().cloned());
            }
            _ => raws.push(value),
        }
    }
    raws
}

/// The raw document that became `object` (same kind and name).
pub(super) fn raw_document<'a>(
    raws: &'a [serde_json::Value],
    object: &Object,
) -> Option<&'a serde_json::Value> {
    let kind = object.kind().to_string();
    let name = &object.metadata().name;
    raws.iter().find(|raw| {
        raw.get("kind").and_then(serde_json::Value::as_str) == Some(kind.as_str())
            && raw
                .pointer("/metadata/name")
                .and_then(serde_json::Value::as_str)
                == Some(name.as_str())
    })
}
