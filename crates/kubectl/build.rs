//! Embeds every `lessons/*.yaml` of the repository, so a course author adds a lesson by
//! adding a file; and the lesson schema with only the rules the lab checks (its descriptions
//! and examples are for authors' editors: they stay in the published file, off the page's
//! first download).

use std::fs;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../lessons");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.ends_with(".yaml"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut code = String::from("&[\n");
    for name in &names {
        let path = dir.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        code.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("]\n");
    let out_dir = std::env::var("OUT_DIR").unwrap_or_default();
    let out = Path::new(&out_dir).join("lessons.rs");
    if let Err(err) = fs::write(&out, code) {
        panic!("cannot write {}: {err}", out.display());
    }
    write_schema_rules(
        &dir.join("lesson.schema.json"),
        &Path::new(&out_dir).join("lesson.schema.rules.json"),
    );
}

/// Keywords that describe and check nothing.
const ANNOTATIONS: &[&str] = &["title", "description", "examples", "$schema", "$id"];

fn write_schema_rules(from: &Path, to: &Path) {
    println!("cargo:rerun-if-changed={}", from.display());
    let text = fs::read_to_string(from)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", from.display()));
    let mut schema: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", from.display()));
    strip_annotations(&mut schema);
    if let Err(err) = fs::write(to, schema.to_string()) {
        panic!("cannot write {}: {err}", to.display());
    }
}

/// Drops the annotations of a schema and of its subschemas (not of `properties`' names: a
/// property may be called `title`).
fn strip_annotations(schema: &mut serde_json::Value) {
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    map.retain(|key, _| !ANNOTATIONS.contains(&key.as_str()));
    for (key, value) in map.iter_mut() {
        match key.as_str() {
            "properties" | "$defs" => {
                for sub in value
                    .as_object_mut()
                    .into_iter()
                    .flat_map(|m| m.values_mut())
                {
                    strip_annotations(sub);
                }
            }
            "items" => strip_annotations(value),
            _ => {}
        }
    }
}
