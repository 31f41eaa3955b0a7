//! `utils/hash` and `conditions.ComputeStepHash`: FNV-1a (32 bit) over Go's `json.Marshal`
//! of the pod template or of the canary steps, printed in decimal and mapped into the safe
//! alphabet. Argo hashes differently from the Deployment controller (which hashes a `spew`
//! dump), so the same template gets another name under a Rollout.

use crate::manifest::go_json;
use crate::objects::{CanaryStep, Rollout};
use crate::rng::NAME_ALPHABET;

fn fnv32a(bytes: &[u8], hash: u32) -> u32 {
    bytes.iter().fold(hash, |hash, byte| {
        (hash ^ u32::from(*byte)).wrapping_mul(0x0100_0193)
    })
}

const FNV_OFFSET: u32 = 0x811c_9dc5;

/// apimachinery's `rand.SafeEncodeString`.
fn safe_encode(text: &str) -> String {
    text.bytes()
        .map(|b| char::from(NAME_ALPHABET[usize::from(b) % NAME_ALPHABET.len()]))
        .collect()
}

/// `hash.ComputePodTemplateHash`.
pub fn compute_pod_template_hash(
    template: &serde_json::Value,
    collision_count: Option<i32>,
) -> String {
    let json = go_json::marshal_pod_template(template);
    let mut hash = fnv32a(json.as_bytes(), FNV_OFFSET);
    if let Some(count) = collision_count {
        // Upstream writes a little-endian uint32 into an 8-byte buffer and hashes all 8.
        let mut bytes = [0u8; 8];
        bytes[..4].copy_from_slice(&(count as u32).to_le_bytes());
        hash = fnv32a(&bytes, hash);
    }
    safe_encode(&hash.to_string())
}

/// `conditions.ComputeStepHash`: empty for blue-green.
pub fn compute_step_hash(ro: &Rollout) -> String {
    let Some(canary) = ro.canary() else {
        return String::new();
    };
    if ro.blue_green().is_some() {
        return String::new();
    }
    let json = steps_json(&canary.steps);
    safe_encode(&fnv32a(json.as_bytes(), FNV_OFFSET).to_string())
}

/// `json.Marshal` of `[]CanaryStep`: Go struct order, `null` for no steps.
fn steps_json(steps: &[CanaryStep]) -> String {
    if steps.is_empty() {
        return "null".into();
    }
    let items: Vec<String> = steps
        .iter()
        .map(|step| {
            // CanaryStep's fields in Go order; each is a pointer with omitempty.
            let value = serde_json::to_value(step).unwrap_or_default();
            let mut parts = Vec::new();
            for key in [
                "setWeight",
                "pause",
                "experiment",
                "analysis",
                "setCanaryScale",
                "setHeaderRoute",
                "setMirrorRoute",
                "plugin",
            ] {
                if let Some(field) = value.get(key) {
                    parts.push(format!("\"{key}\":{}", go_field_json(key, field)));
                }
            }
            format!("{{{}}}", parts.join(","))
        })
        .collect();
    format!("[{}]", items.join(","))
}

/// Nested step fields in Go order where they are small structs; anything else keeps
/// serde's sorted keys (what Go does for maps and `json.RawMessage`).
fn go_field_json(key: &str, value: &serde_json::Value) -> String {
    let order: &[&str] = match key {
        "setCanaryScale" => &["weight", "replicas", "matchTrafficWeight"],
        "analysis" => &[
            "templates",
            "args",
            "dryRun",
            "measurementRetention",
            "analysisRunMetadata",
        ],
        _ => &[],
    };
    match value.as_object() {
        Some(map) if !order.is_empty() => {
            let parts: Vec<String> = order
                .iter()
                .filter_map(|k| {
                    map.get(*k).map(|v| {
                        format!("\"{k}\":{}", serde_json::to_string(v).unwrap_or_default())
                    })
                })
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        _ => serde_json::to_string(value).unwrap_or_default(),
    }
}
