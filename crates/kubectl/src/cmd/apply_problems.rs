//! The problems `kubectl apply -f FILE` would report for a manifest, at the line they are at
//! (when known): what the page's editor shows as it is typed. They come from the simulator's
//! own reader and validation — `parse_manifests`, `apply_defaults`, `validate_create` — so the
//! words are kubectl's. Each `---` document is checked on its own, which places a syntax
//! error (go-yaml counts lines from the start of its document) and a rejected object at
//! their line. In the page it is part of the lab's module (`lab::engine`).

use rollout_sim::api::validation::validate_create;
use rollout_sim::api::Verb;
use rollout_sim::manifest::{apply_defaults, parse_manifests_for, ManifestError};
use rollout_sim::objects::Kind;

/// One problem in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line in the file; `None` when the reader names none.
    pub line: Option<usize>,
    /// What kubectl prints.
    pub message: String,
    /// For a syntax error in a document after a `---`: the line as kubectl's message counts
    /// it (from the document's first line), and the file line that document starts at. The
    /// editor says how the two numbers agree.
    pub in_document: Option<(usize, usize)>,
}

/// The documents of `text`: (1-based line of their first line, their text).
fn documents(text: &str) -> Vec<(usize, String)> {
    let mut docs = Vec::new();
    let mut start = 1;
    let mut current = String::new();
    for (i, line) in text.lines().enumerate() {
        let separator = line == "---" || line.starts_with("--- ") || line.trim_end() == "---";
        if separator {
            docs.push((start, std::mem::take(&mut current)));
            start = i + 2;
        } else {
            current.push_str(line);
            current.push('\n');
        }
    }
    docs.push((start, current));
    docs
}

/// The line of a document's object: its `kind:` line, else its first line with text.
fn object_line(start: usize, doc: &str) -> usize {
    let lines: Vec<&str> = doc.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("kind:"))
        .or_else(|| {
            lines
                .iter()
                .position(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        })
        .unwrap_or(0);
    start + at
}

/// The problems `kubectl apply -f file_name` would report for `text`, in file order.
pub fn check(text: &str, file_name: &str, served: &dyn Fn(Kind) -> bool) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (start, doc) in documents(text) {
        if doc.trim().is_empty() {
            continue;
        }
        for result in parse_manifests_for(&doc, file_name, served) {
            match result {
                Err(err) => {
                    let (line, in_document) = match &err {
                        ManifestError::Syntax { line, .. } => (
                            line.map(|l| start + l.saturating_sub(1)),
                            line.filter(|_| start > 1).map(|l| (l, start)),
                        ),
                        _ => (Some(object_line(start, &doc)), None),
                    };
                    let stops = err.stops_reading();
                    problems.push(Problem {
                        line,
                        message: err.message(Verb::Creating),
                        in_document,
                    });
                    if stops {
                        // kubectl reads no further: later documents are not checked either.
                        return problems;
                    }
                }
                Ok(mut object) => {
                    if object.metadata().namespace.is_empty() {
                        object.metadata_mut().namespace = "default".into();
                    }
                    apply_defaults(&mut object);
                    if let Err(error) = validate_create(&object) {
                        problems.push(Problem {
                            line: Some(object_line(start, &doc)),
                            in_document: None,
                            message: ManifestError::Rejected {
                                file: file_name.to_string(),
                                error,
                            }
                            .message(Verb::Creating),
                        });
                    }
                }
            }
        }
    }
    problems
}
