//! `kubectl apply`'s three-way merge: what the user applied last time (the
//! `last-applied-configuration` annotation), what they apply now, and the live object.
//! Fields the user never wrote (a pause, a `kubectl scale`, a label added by hand, everything
//! the server filled in) stay as they are live; fields they removed from the file go away.

use serde_json::{Map, Value};

/// Merges `config` into `live`, deleting what `last` had and `config` no longer has.
pub fn merge(live: &mut Value, last: Option<&Value>, config: &Value) {
    match (live, config) {
        (Value::Object(live), Value::Object(config)) => {
            let empty = Map::new();
            let last = last.and_then(Value::as_object).unwrap_or(&empty);
            for key in last.keys() {
                if !config.contains_key(key) {
                    live.remove(key);
                }
            }
            for (key, wanted) in config {
                match live.get_mut(key) {
                    Some(current) if current.is_object() && wanted.is_object() => {
                        merge(current, last.get(key), wanted);
                    }
                    Some(Value::Array(current)) if is_named_list(key) => {
                        if let Value::Array(wanted_items) = wanted {
                            *current = merge_named(current, last.get(key), wanted_items);
                        }
                    }
                    _ => {
                        live.insert(key.clone(), wanted.clone());
                    }
                }
            }
        }
        (live, config) => *live = config.clone(),
    }
}

/// Lists the API merges item by item on a key (the strategic-merge `patchMergeKey`).
pub(super) fn is_named_list(key: &str) -> bool {
    matches!(
        key,
        "containers" | "initContainers" | "env" | "volumes" | "volumeMounts"
    )
}

/// The items of `wanted` in its order, each merged into the live item of the same name, so
/// server-filled fields of a container (`terminationMessagePath`, …) survive.
fn merge_named(live: &[Value], last: Option<&Value>, wanted: &[Value]) -> Vec<Value> {
    let name = |v: &Value| v.get("name").cloned();
    wanted
        .iter()
        .map(|item| {
            let last_item = last
                .and_then(Value::as_array)
                .and_then(|l| l.iter().find(|x| name(x) == name(item)));
            match live
                .iter()
                .find(|x| name(x).is_some() && name(x) == name(item))
            {
                Some(current) => {
                    let mut merged = current.clone();
                    merge(&mut merged, last_item, item);
                    merged
                }
                None => item.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_the_user_never_wrote_survive_and_removed_ones_go() {
        let mut live = json!({"spec": {"replicas": 6, "paused": true, "minReadySeconds": 5}, "metadata": {"labels": {"app": "a", "tier": "x"}}});
        let last = json!({"spec": {"minReadySeconds": 5}, "metadata": {"labels": {"app": "a"}}});
        let config = json!({"spec": {}, "metadata": {"labels": {"app": "b"}}});
        merge(&mut live, Some(&last), &config);
        assert_eq!(
            live,
            json!({"spec": {"replicas": 6, "paused": true}, "metadata": {"labels": {"app": "b", "tier": "x"}}})
        );
    }

    #[test]
    fn containers_merge_by_name() {
        let mut live = json!({"containers": [{"name": "demoapp", "image": "v1.0", "terminationMessagePath": "/dev/termination-log"}]});
        let config = json!({"containers": [{"name": "demoapp", "image": "v1.1"}]});
        merge(&mut live, None, &config);
        assert_eq!(
            live,
            json!({"containers": [{"name": "demoapp", "image": "v1.1", "terminationMessagePath": "/dev/termination-log"}]})
        );
    }
}
