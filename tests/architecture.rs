//! The code map's arrows, checked: modules that sit side by side in one folder must not
//! import each other in a circle.
//!
//! For every folder module of every crate (`crates/sim/src`, `crates/kubectl/src`, `src/`),
//! the test draws one arrow from child A to child B when any file under A names B — through
//! `use crate::…`, `use super::…` or an inline `crate::…`/`super::…` path — and fails on
//! every strongly connected group of two or more children. A parent and its children are
//! not compared (a `mod.rs` that dispatches to its children, which read its shared types,
//! is the usual Rust shape); sibling circles are what make a reader unable to tell which
//! module owns what (ARCHITECTURE.md, "one owner per type").
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The crates' source roots, relative to the workspace root.
const ROOTS: &[&str] = &["crates/sim/src", "crates/kubectl/src", "src"];

#[test]
fn sibling_modules_import_each_other_in_no_circle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut circles = Vec::new();
    for source in ROOTS {
        let graph = module_graph(&root.join(source));
        for circle in sibling_circles(&graph) {
            circles.push(format!("{source}: {}", circle.join(" <-> ")));
        }
    }
    assert!(
        circles.is_empty(),
        "sibling modules import each other in a circle:\n  {}",
        circles.join("\n  ")
    );
}

#[test]
fn the_checker_sees_a_circle_through_super_and_crate_paths() {
    let mut graph = Graph::default();
    graph.add_file(&["shell", "exec"], "use super::builtins::run;");
    graph.add_file(
        &["shell", "builtins"],
        "fn f() { crate::shell::exec::go() }",
    );
    graph.add_file(&["shell", "syntax"], "use super::{exec, builtins};");
    let circles = sibling_circles(&graph);
    assert_eq!(circles, vec![vec!["shell::builtins", "shell::exec"]]);
}

#[test]
fn the_checker_ignores_parent_and_child_arrows_and_grouped_imports_resolve() {
    let mut graph = Graph::default();
    graph.add_file(&["cmd"], "use self::get::run; mod get;");
    graph.add_file(&["cmd", "get"], "use super::{Ctx, Flow};");
    graph.add_file(&["a"], "use crate::{b::{x, y}, c};");
    graph.add_file(&["b"], "use crate::c::Z;");
    graph.add_file(&["c", "inner"], "use crate::a;");
    let circles = sibling_circles(&graph);
    assert_eq!(circles, vec![vec!["a", "b", "c"]]);
}

/// Module path (crate-relative segments) → the module paths its files name.
#[derive(Default)]
struct Graph {
    names: BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
}

impl Graph {
    fn add_file(&mut self, module: &[&str], text: &str) {
        let module: Vec<String> = module.iter().map(|s| s.to_string()).collect();
        let targets = referenced_paths(&module, text);
        self.names.entry(module).or_default().extend(targets);
    }
}

fn module_graph(source_root: &Path) -> Graph {
    let mut graph = Graph::default();
    for file in rust_files(source_root) {
        let Some(module) = module_of(source_root, &file) else {
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let module: Vec<&str> = module.iter().map(String::as_str).collect();
        graph.add_file(&module, &strip_comments(&text));
    }
    graph
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return files;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// `a/b.rs` → `[a, b]`; `a/mod.rs` → `[a]`; `lib.rs`/`main.rs` → `[]`.
fn module_of(root: &Path, file: &Path) -> Option<Vec<String>> {
    let relative = file.strip_prefix(root).ok()?;
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop()?;
    let stem = last.strip_suffix(".rs")?;
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_string());
    } else if stem != "mod" && !parts.is_empty() {
        return None;
    }
    Some(parts)
}

/// Drops `//` comments (doc comments name modules in prose) and string literals' contents
/// are left alone: a path inside a string is rare and harmless to over-count.
fn strip_comments(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every module path the text names from `module`, resolved to crate-relative segments.
/// Item names at the end of a path are kept; [`sibling_circles`] only looks at prefixes.
fn referenced_paths(module: &[String], text: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    // `use` trees, braces expanded.
    let mut rest = text;
    while let Some(at) = find_word(rest, "use") {
        let tail = &rest[at + 3..];
        let end = tail.find(';').unwrap_or(tail.len());
        for path in expand_use_tree(tail[..end].trim()) {
            if let Some(resolved) = resolve(module, &path) {
                found.push(resolved);
            }
        }
        rest = &tail[end..];
    }
    // Inline paths: `crate::a::b`, `super::a`, `super::super::a`.
    let bytes = text.as_bytes();
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(offset) = text[from..].find(start) {
            let at = from + offset;
            from = at + start.len();
            if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
                continue;
            }
            if at >= 1 && bytes[at - 1] == b':' {
                continue;
            }
            let path: Vec<String> = text[at..]
                .split("::")
                .map(|s| {
                    s.chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect::<String>()
                })
                .take_while(|s| !s.is_empty())
                .collect();
            if let Some(resolved) = resolve(module, &path) {
                found.push(resolved);
            }
        }
    }
    found
}

/// The position of `word` standing alone (not inside an identifier), followed by a space.
fn find_word(text: &str, word: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(offset) = text[from..].find(word) {
        let at = from + offset;
        let before_ok =
            at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        let after = bytes.get(at + word.len()).copied();
        if before_ok && matches!(after, Some(b' ' | b'\n' | b'\t')) {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// `a::{b::{c, d}, e as f}` → `[[a,b,c], [a,b,d], [a,e]]`.
fn expand_use_tree(tree: &str) -> Vec<Vec<String>> {
    let tree: String = tree
        .chars()
        .filter(|c| !c.is_whitespace() || *c == ' ')
        .collect();
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let head = tree.split(" as ").next().unwrap_or("").trim();
        return vec![head
            .split("::")
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()];
    };
    let prefix: Vec<String> = tree[..open]
        .split("::")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let close = tree.rfind('}').unwrap_or(tree.len());
    let inner = &tree[open + 1..close.max(open + 1)];
    let mut out = Vec::new();
    for part in split_top_level(inner) {
        for mut suffix in expand_use_tree(part) {
            if suffix.first().is_some_and(|s| s == "self") {
                suffix.remove(0);
            }
            let mut path = prefix.clone();
            path.extend(suffix);
            out.push(path);
        }
    }
    out
}

fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// A path as written in `module` → crate-relative segments; `None` for other crates.
fn resolve(module: &[String], path: &[String]) -> Option<Vec<String>> {
    let (first, rest) = path.split_first()?;
    let mut base: Vec<String> = match first.as_str() {
        "crate" => Vec::new(),
        "self" => module.to_vec(),
        "super" => module[..module.len().checked_sub(1)?].to_vec(),
        _ => return None,
    };
    let mut rest = rest;
    while let Some(("super", tail)) = rest.split_first().map(|(h, t)| (h.as_str(), t)) {
        base.pop()?;
        rest = tail;
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

/// For every folder, the groups of its children that reach each other (Tarjan's strongly
/// connected components), each sorted, as `a::b` names.
fn sibling_circles(graph: &Graph) -> Vec<Vec<String>> {
    // parent → child → the children of the same parent it names.
    let mut edges: BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (module, targets) in &graph.names {
        for depth in 0..module.len() {
            let parent = module[..depth].to_vec();
            let child = module[depth].clone();
            let entry = edges.entry(parent.clone()).or_default();
            let out = entry.entry(child.clone()).or_default();
            for target in targets {
                if target.len() > depth && target[..depth] == parent[..] && target[depth] != child {
                    out.insert(target[depth].clone());
                }
            }
        }
    }
    let mut circles = Vec::new();
    for (parent, children) in &edges {
        for component in strongly_connected(children) {
            if component.len() > 1 {
                circles.push(
                    component
                        .into_iter()
                        .map(|c| {
                            let mut path = parent.clone();
                            path.push(c);
                            path.join("::")
                        })
                        .collect(),
                );
            }
        }
    }
    circles
}

fn strongly_connected(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Tarjan<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    impl<'a> Tarjan<'a> {
        fn visit(&mut self, node: &'a str) {
            self.index.insert(node, self.next);
            self.low.insert(node, self.next);
            self.next += 1;
            self.stack.push(node);
            self.on_stack.insert(node);
            let targets: Vec<&'a str> = self
                .edges
                .get(node)
                .map(|t| t.iter().map(String::as_str).collect())
                .unwrap_or_default();
            for target in targets {
                if !self.index.contains_key(target) {
                    self.visit(target);
                    let low = self.low[node].min(self.low[target]);
                    self.low.insert(node, low);
                } else if self.on_stack.contains(target) {
                    let low = self.low[node].min(self.index[target]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let mut component = Vec::new();
                while let Some(top) = self.stack.pop() {
                    self.on_stack.remove(top);
                    component.push(top.to_string());
                    if top == node {
                        break;
                    }
                }
                component.sort();
                self.out.push(component);
            }
        }
    }
    let mut tarjan = Tarjan {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for node in edges.keys() {
        if !tarjan.index.contains_key(node.as_str()) {
            tarjan.visit(node);
        }
    }
    tarjan.out.sort();
    tarjan.out
}
