//! What `kubectl apply -f FILE` would undo: the fields the file sets whose live value was
//! changed since the last apply by something else (`kubectl set image`, `scale`, `edit`).
//! Apply is right to put the file's value back — the file is the user's intent — but a
//! student who wrote the file before `set image` rarely means to roll the image back, so the
//! page's editor asks first. kubectl itself warns of nothing and prints what it always prints.
//!
//! A field counts when the file's value differs from the live one and the live one differs
//! from the last-applied configuration's (an edit made in the file alone is what the user
//! wants applied, not a surprise). Without the annotation every differing field counts, as
//! apply then overwrites them all.

use super::apply::LAST_APPLIED;
use super::documents::raw_documents;
use super::three_way::is_named_list;
use rollout_sim::cluster::Cluster;
use rollout_sim::manifest::encode::to_value;
use rollout_sim::manifest::{apply_defaults, decode_object_for};
use serde_json::Value;

/// One field the apply would set back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overwrite {
    /// `deployment/deployment-demo`, as kubectl names the object it applies.
    pub object: String,
    /// `spec.template.spec.containers[0].image`.
    pub path: String,
    /// The value in the cluster now (`<none>` when the object lacks the field).
    pub live: String,
    /// The value the file would apply.
    pub file: String,
}

/// The fields `kubectl apply` of `text` in `namespace` would change back, in file order.
/// Documents that do not decode, or name no live object, contribute nothing (apply reports
/// or creates them).
pub fn overwrites(cluster: &Cluster, text: &str, namespace: &str) -> Vec<Overwrite> {
    let mut found = Vec::new();
    for raw in raw_documents(text) {
        let Some(file) = normalised(&raw, cluster) else {
            continue;
        };
        let kind = file.kind();
        let meta = file.metadata();
        let object_namespace = if !kind.is_namespaced() {
            ""
        } else if meta.namespace.is_empty() {
            namespace
        } else {
            meta.namespace.as_str()
        };
        let Some(live) = cluster.get(kind, object_namespace, &meta.name) else {
            continue;
        };
        let last = live
            .metadata()
            .annotation(LAST_APPLIED)
            .and_then(|text| serde_json::from_str::<Value>(text).ok())
            .and_then(|last| normalised(&last, cluster))
            .map(|last| to_value(&last));
        let object = format!("{}/{}", kind.qualified_kind(), meta.name);
        let sides = Sides {
            file: Some(&to_value(&file)),
            live: Some(&to_value(&live)),
            last: last.as_ref().map(Some),
        };
        let mut path = String::new();
        walk(&raw, sides, &mut path, &mut |path, sides| {
            found.push(Overwrite {
                object: object.clone(),
                path: path.to_string(),
                live: shown(sides.live),
                file: shown(sides.file),
            });
        });
    }
    found
}

/// The object as the API server would store it (decoded, defaulted), in JSON form, so that
/// `0.5` and `500m`, or a port as a number and as written, compare equal.
fn normalised(raw: &Value, cluster: &Cluster) -> Option<rollout_sim::objects::Object> {
    let mut object = decode_object_for(raw.clone(), "", &|k| cluster.serves(k)).ok()?;
    apply_defaults(&mut object);
    Some(object)
}

/// The same field in the file, the cluster and the last-applied configuration. `last` is
/// `None` when the object has no annotation, `Some(None)` when the annotation lacks the field.
#[derive(Clone, Copy)]
struct Sides<'a> {
    file: Option<&'a Value>,
    live: Option<&'a Value>,
    last: Option<Option<&'a Value>>,
}

impl<'a> Sides<'a> {
    fn field(self, key: &str) -> Sides<'a> {
        let at = |v: Option<&'a Value>| v.and_then(|v| v.get(key));
        Sides {
            file: at(self.file),
            live: at(self.live),
            last: self.last.map(at),
        }
    }

    /// Item `index` of the file's list; a named list's items are found by name on every side.
    fn item(self, key: &str, index: usize, name: Option<&Value>) -> Sides<'a> {
        let at = |v: Option<&'a Value>| {
            let items = v.and_then(Value::as_array)?;
            match name {
                Some(name) if is_named_list(key) => {
                    items.iter().find(|item| item.get("name") == Some(name))
                }
                _ => items.get(index),
            }
        };
        Sides {
            file: at(self.file),
            live: at(self.live),
            last: self.last.map(at),
        }
    }

    /// Apply would change this field back from something the last apply did not set.
    fn overwritten(self) -> bool {
        self.file != self.live && self.last.is_none_or(|last| last != self.live)
    }
}

/// Walks the fields the file sets (its raw form: what the user wrote), reporting each leaf
/// apply would overwrite.
fn walk(raw: &Value, sides: Sides<'_>, path: &mut String, found: &mut dyn FnMut(&str, Sides<'_>)) {
    let at = path.len();
    match raw {
        Value::Object(fields) => {
            for (key, value) in fields {
                if path.is_empty() && matches!(key.as_str(), "apiVersion" | "kind" | "status") {
                    continue;
                }
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                match value {
                    Value::Array(items) if !items.is_empty() => {
                        for (index, item) in items.iter().enumerate() {
                            let before = path.len();
                            path.push_str(&format!("[{index}]"));
                            let sides = sides.field(key).item(key, index, item.get("name"));
                            walk(item, sides, path, found);
                            path.truncate(before);
                        }
                    }
                    _ => walk(value, sides.field(key), path, found),
                }
                path.truncate(at);
            }
        }
        _ => {
            if sides.overwritten() {
                found(path, sides);
            }
        }
    }
}

fn shown(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "<none>".to_string(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}
