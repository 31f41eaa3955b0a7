//! What the lesson schema cannot say: names that must be safe in a URL or a path, and names
//! that must be unique.

use super::problem::ProblemKind;
use serde_json::Value;
use std::collections::BTreeSet;

/// Every break of these rules in a lesson's JSON value, as (JSON pointer, problem).
pub fn check(lesson: &Value) -> Vec<(String, ProblemKind)> {
    let mut found = Vec::new();
    if let Some(id) = lesson.get("id").and_then(Value::as_str) {
        if !is_url_name(id) {
            found.push((
                "/id".to_string(),
                ProblemKind::BadName {
                    allowed: "lowercase letters, digits and dashes",
                },
            ));
        }
    }
    let steps = lesson.get("steps").and_then(Value::as_array);
    let mut step_ids = BTreeSet::new();
    for (index, step) in steps.into_iter().flatten().enumerate() {
        let Some(id) = step.get("id").and_then(Value::as_str) else {
            continue;
        };
        let at = format!("/steps/{index}/id");
        if !is_url_name(id) {
            found.push((
                at,
                ProblemKind::BadName {
                    allowed: "lowercase letters, digits and dashes",
                },
            ));
        } else if !step_ids.insert(id) {
            found.push((at, ProblemKind::Duplicate(format!("{id:?}"))));
        }
    }
    let files = lesson.get("files").and_then(Value::as_array);
    let mut names = BTreeSet::new();
    for (index, file) in files.into_iter().flatten().enumerate() {
        let Some(name) = file.get("name").and_then(Value::as_str) else {
            continue;
        };
        let at = format!("/files/{index}/name");
        if name.contains('/') || name == "." || name == ".." {
            found.push((
                at,
                ProblemKind::BadName {
                    allowed: "a file name without slashes",
                },
            ));
        } else if !names.insert(name) {
            found.push((at, ProblemKind::Duplicate(format!("{name:?}"))));
        }
    }
    found
}

/// A name that goes into `?lesson=` unescaped.
fn is_url_name(name: &str) -> bool {
    name.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
