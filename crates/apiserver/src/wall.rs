//! The virtual clock mapped onto the wall clock, for clients that compute ages themselves
//! (`kubectl describe`'s `Age`, `rollout history`, events): every timestamp the server sends
//! is moved by whole seconds so that the virtual "now" is the wall clock's. Ages in Tables
//! are the server's own cells, computed on the virtual clock, and need no mapping.

use rollout_sim::clock::{Time, EPOCH_UNIX_SECONDS};
use rollout_sim::objects::timestamp::parse_rfc3339;
use serde_json::Value;

/// How many seconds to add to a virtual timestamp so that `virtual_now` reads as the wall
/// clock's current second.
pub fn shift_seconds(virtual_now: Time) -> i64 {
    let wall = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(EPOCH_UNIX_SECONDS);
    wall - (EPOCH_UNIX_SECONDS + virtual_now.0.div_euclid(1000))
}

/// Moves every timestamp (`2026-11-23T09:00:05Z`, exactly that form) in `value` by `seconds`.
pub fn shift_timestamps(value: &mut Value, seconds: i64) {
    match value {
        Value::String(text) => {
            if let Some(shifted) = shifted(text, seconds) {
                *text = shifted;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| shift_timestamps(v, seconds)),
        Value::Object(map) => map.values_mut().for_each(|v| shift_timestamps(v, seconds)),
        _ => {}
    }
}

fn shifted(text: &str, seconds: i64) -> Option<String> {
    let b = text.as_bytes();
    let looks_like = b.len() == 20 && b[4] == b'-' && b[10] == b'T' && b[19] == b'Z';
    if !looks_like {
        return None;
    }
    let time = parse_rfc3339(text).ok()?;
    (time.rfc3339() == text).then(|| Time(time.0 + seconds * 1000).rfc3339())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn timestamps_move_and_other_strings_stay() {
        let mut value =
            json!({"a": "2026-11-23T09:00:05Z", "b": ["2026-11-23T09:00:05Z x"], "c": 3});
        shift_timestamps(&mut value, 60);
        assert_eq!(value["a"], "2026-11-23T09:01:05Z");
        assert_eq!(value["b"][0], "2026-11-23T09:00:05Z x");
    }
}
