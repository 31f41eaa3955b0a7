//! What the lesson schema cannot say: names that must be safe in a URL or a path, and names
//! that must be unique.

use super::problem::ProblemKind;
use serde_json::Value;
use std::collections::BTreeSet;

const URL_NAME: &str = "lowercase letters, digits and dashes";
const FILE_NAME: &str = "a file name without slashes";

/// Every break of these rules in a lesson's JSON value, as (JSON pointer, problem).
pub fn check(lesson: &Value) -> Vec<(String, ProblemKind)> {
    let mut found = Vec::new();
    if let Some(id) = lesson.get("id").and_then(Value::as_str) {
        if !is_url_name(id) {
            found.push((
                "/id".to_string(),
                ProblemKind::BadName { allowed: URL_NAME },
            ));
        }
    }
    unique_names(lesson, "steps", "id", is_url_name, URL_NAME, &mut found);
    unique_names(lesson, "files", "name", is_file_name, FILE_NAME, &mut found);
    found
}

/// The `field` of each item of the list `list`: well formed, and each used once.
fn unique_names(
    lesson: &Value,
    list: &str,
    field: &str,
    well_formed: fn(&str) -> bool,
    allowed: &'static str,
    found: &mut Vec<(String, ProblemKind)>,
) {
    let items = lesson.get(list).and_then(Value::as_array);
    let mut seen = BTreeSet::new();
    for (index, item) in items.into_iter().flatten().enumerate() {
        let Some(name) = item.get(field).and_then(Value::as_str) else {
            continue;
        };
        let at = format!("/{list}/{index}/{field}");
        if !well_formed(name) {
            found.push((at, ProblemKind::BadName { allowed }));
        } else if !seen.insert(name) {
            found.push((at, ProblemKind::Duplicate(format!("{name:?}"))));
        }
    }
}

/// A name that goes into `?lesson=` unescaped.
fn is_url_name(name: &str) -> bool {
    name.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A name in the working directory, not a path out of it.
fn is_file_name(name: &str) -> bool {
    !name.contains('/') && name != "." && name != ".."
}
