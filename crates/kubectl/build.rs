//! Embeds every `lessons/*.yaml` of the repository, so a course author adds a lesson by
//! adding a file; a catalog of them (file, id, order, title) for the page, which fetches a
//! lesson's file when it opens it; and the lesson schema with only the rules the lab checks (its descriptions
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
    let mut catalog = String::from("&[\n");
    for name in &names {
        let path = dir.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        code.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
        let head = catalog_head(&text);
        catalog.push_str(&format!(
            "    CatalogEntry {{ file: {name:?}, id: {:?}, order: {}, title_en: {:?}, title_zh: {:?} }},\n",
            head.id, head.order, head.title_en, head.title_zh
        ));
    }
    code.push_str("]\n");
    catalog.push_str("]\n");
    let out_dir = std::env::var("OUT_DIR").unwrap_or_default();
    for (file, text) in [("lessons.rs", code), ("lesson_catalog.rs", catalog)] {
        let out = Path::new(&out_dir).join(file);
        if let Err(err) = fs::write(&out, text) {
            panic!("cannot write {}: {err}", out.display());
        }
    }
    write_schema_rules(
        &dir.join("lesson.schema.json"),
        &Path::new(&out_dir).join("lesson.schema.rules.json"),
    );
}

/// What the lesson picker shows of a lesson before its file is fetched.
#[derive(Default)]
struct CatalogHead {
    id: String,
    order: u32,
    title_en: String,
    title_zh: String,
}

/// Reads a lesson's top-level `id`, `order` and `title: {en, zh}` line by line (the build
/// script has no YAML reader); `tests/lessons.rs` checks the result against the real parse.
fn catalog_head(text: &str) -> CatalogHead {
    let mut head = CatalogHead::default();
    let mut in_title = false;
    for line in text.lines() {
        if let Some(value) = line.strip_prefix("id:") {
            head.id = scalar(value);
        } else if let Some(value) = line.strip_prefix("order:") {
            head.order = scalar(value).parse().unwrap_or(0);
        } else if line.starts_with("title:") {
            in_title = true;
            continue;
        } else if in_title {
            if let Some(value) = line.trim_start().strip_prefix("en:") {
                head.title_en = scalar(value);
            } else if let Some(value) = line.trim_start().strip_prefix("zh:") {
                head.title_zh = scalar(value);
            }
        }
        in_title = in_title && line.starts_with(' ');
    }
    head
}

/// A one-line YAML scalar: double-quoted (its escapes are JSON's), single-quoted or plain.
fn scalar(value: &str) -> String {
    let value = value.trim();
    if value.starts_with('"') {
        return serde_json::from_str(value).unwrap_or_default();
    }
    if let Some(inner) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        return inner.replace("''", "'");
    }
    value.to_string()
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
