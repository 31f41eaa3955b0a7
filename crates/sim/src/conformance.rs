//! Runs upstream unit-test cases (`tests/conformance/cases.json`) against [`crate::controller`],
//! and Argo Rollouts' against [`crate::addons::argo_rollouts`]: its canary arithmetic
//! (`tests/conformance/argo-rollouts.json`), its analysis controller
//! (`tests/conformance/argo-rollouts-analysis.json`), its controller and utils
//! (`tests/conformance/argo-rollouts-controller.json`).
//!
//! A case names a controller `function`, gives its `input` in the flat vocabulary of the upstream
//! test table, and lists under `expected` only what the Go test asserts. Each function has an
//! adapter that builds typed objects from the input, calls the controller, and reports its
//! observable results as JSON values; the runner then compares the keys `expected` names.
//! Comparison is structural: numbers by value, objects key by key on the expected keys only,
//! arrays element by element, and an `error` key that is a boolean checks only whether an
//! error happened.
//!
//! ## Optional cases
//! Cases tagged `featureGate:*`, `optional` or `recent` describe alpha features or the newest
//! sources. They are always run, with the named feature gates switched on. A pass counts as
//! passed. Anything else — the adapter does not support the feature, or the result differs —
//! counts as skipped, with the reason kept in [`Report::skipped_cases`]: such behaviour is
//! best-effort in a teaching simulator and must not fail the run. Untagged cases never skip.

mod adapters;
mod argo_adapters;
mod argo_analysis_adapters;
mod argo_controller_adapters;
mod input;

use serde_json::{Map, Value};
use std::fmt;

/// The outcome of a whole file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    /// One entry per failed case.
    pub failures: Vec<Failure>,
    /// One entry per skipped (optional) case, saying why it did not pass.
    pub skipped_cases: Vec<Failure>,
}

/// A case that did not pass, named by its `source`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub source: String,
    pub reason: String,
}

impl Report {
    /// `N passed, M failed`, plus `, K skipped` when anything was skipped.
    pub fn summary_line(&self) -> String {
        let mut line = format!("{} passed, {} failed", self.passed, self.failed);
        if self.skipped > 0 {
            line.push_str(&format!(", {} skipped", self.skipped));
        }
        line
    }
}

/// The file as a whole could not be read as cases.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConformanceError {
    /// Not valid JSON.
    Json(String),
    /// Valid JSON, but not an array of cases.
    NotAnArray,
}

impl fmt::Display for ConformanceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConformanceError::Json(err) => write!(f, "not valid JSON: {err}"),
            ConformanceError::NotAnArray => write!(f, "expected a JSON array of cases"),
        }
    }
}

impl std::error::Error for ConformanceError {}

/// Why an adapter could not produce results for a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CaseError {
    /// The input is missing a key or has a value of the wrong shape.
    BadInput(String),
    /// The case needs behaviour this simulator does not model.
    Unsupported(String),
}

impl fmt::Display for CaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaseError::BadInput(reason) => write!(f, "bad input: {reason}"),
            CaseError::Unsupported(reason) => write!(f, "unsupported: {reason}"),
        }
    }
}

/// What an adapter observed: values to compare under `expected` keys, plus keys the adapter
/// already verified itself (for cases whose expectations live inside the input, e.g. steps).
#[derive(Debug, Default)]
pub(crate) struct Observed {
    pub values: Map<String, Value>,
    pub self_checked: Vec<(String, Result<(), String>)>,
}

impl Observed {
    pub fn set(&mut self, key: &str, value: impl Into<Value>) {
        self.values.insert(key.to_string(), value.into());
    }
}

/// Parses `json_text` as an array of cases and runs every one of them.
pub fn run_file(json_text: &str) -> Result<Report, ConformanceError> {
    let document: Value =
        serde_json::from_str(json_text).map_err(|err| ConformanceError::Json(err.to_string()))?;
    let Value::Array(cases) = document else {
        return Err(ConformanceError::NotAnArray);
    };
    let mut report = Report::default();
    for (index, case) in cases.iter().enumerate() {
        run_case(index, case, &mut report);
    }
    Ok(report)
}

const OPTIONAL_TAGS: [&str; 2] = ["optional", "recent"];

fn run_case(index: usize, case: &Value, report: &mut Report) {
    let source = case
        .get("source")
        .and_then(Value::as_str)
        .map_or_else(|| format!("case #{index}"), str::to_string);
    let tags: Vec<&str> = case
        .get("tags")
        .and_then(Value::as_array)
        .map(|tags| tags.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let optional = tags
        .iter()
        .any(|tag| OPTIONAL_TAGS.contains(tag) || tag.starts_with("featureGate:"));

    let verdict = check_case(case, &tags);
    match verdict {
        Ok(()) => report.passed += 1,
        Err(reason) if optional => {
            report.skipped += 1;
            report.skipped_cases.push(Failure { source, reason });
        }
        Err(reason) => {
            report.failed += 1;
            report.failures.push(Failure { source, reason });
        }
    }
}

fn check_case(case: &Value, tags: &[&str]) -> Result<(), String> {
    let function = case
        .get("function")
        .and_then(Value::as_str)
        .ok_or("case has no `function`")?;
    let empty = Map::new();
    let input = match case.get("input") {
        Some(Value::Object(input)) => input,
        None | Some(Value::Null) => &empty,
        Some(_) => return Err("`input` is not an object".to_string()),
    };
    let expected = match case.get("expected") {
        Some(Value::Object(expected)) => expected,
        _ => return Err("`expected` is missing or not an object".to_string()),
    };
    let gates = adapters::gates_from_tags(tags).map_err(|err| err.to_string())?;
    let observed = adapters::run(function, input, &gates).map_err(|err| err.to_string())?;

    let mut mismatches = Vec::new();
    for (key, want) in expected {
        if let Some((_, verdict)) = observed
            .self_checked
            .iter()
            .find(|(checked, _)| checked == key)
        {
            if let Err(mismatch) = verdict {
                mismatches.push(mismatch.clone());
            }
            continue;
        }
        match observed.values.get(key) {
            None => mismatches.push(format!(
                "`{key}` is not observed by the `{function}` adapter"
            )),
            Some(got) if !matches(key, want, got) => {
                mismatches.push(format!("{key}: expected {want}, got {got}"));
            }
            Some(_) => {}
        }
    }
    if mismatches.is_empty() {
        Ok(())
    } else {
        Err(mismatches.join("; "))
    }
}

/// Structural comparison on the expected side's terms (see the module docs).
fn matches(key: &str, want: &Value, got: &Value) -> bool {
    match (want, got) {
        (Value::Bool(want), got) if key == "error" => {
            let no_error = got.is_null() || got == &Value::Bool(false);
            *want != no_error
        }
        (Value::String(want), Value::String(got)) if key == "error" => {
            want == got || want.strip_prefix("error: ") == Some(got.as_str())
        }
        (Value::Number(want), Value::Number(got)) => match (want.as_i64(), got.as_i64()) {
            (Some(want), Some(got)) => want == got,
            _ => want.as_f64() == got.as_f64(),
        },
        (Value::Object(want), Value::Object(got)) => want
            .iter()
            .all(|(key, want)| got.get(key).is_some_and(|got| matches(key, want, got))),
        (Value::Array(want), Value::Array(got)) => {
            want.len() == got.len()
                && want
                    .iter()
                    .zip(got)
                    .all(|(want, got)| matches(key, want, got))
        }
        (want, got) => want == got,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_mentions_skips_only_when_there_are_some() {
        let mut report = Report {
            passed: 3,
            failed: 1,
            ..Report::default()
        };
        assert_eq!(report.summary_line(), "3 passed, 1 failed");
        report.skipped = 2;
        assert_eq!(report.summary_line(), "3 passed, 1 failed, 2 skipped");
    }

    #[test]
    fn an_unknown_function_fails_with_its_name() {
        let report =
            run_file(r#"[{"source":"x","function":"frobnicate","input":{},"expected":{"a":1}}]"#);
        let report = report.unwrap_or_default();
        assert_eq!(report.failed, 1);
        assert!(
            report.failures[0].reason.contains("frobnicate"),
            "{:?}",
            report.failures
        );
    }

    #[test]
    fn bad_json_is_an_error_not_a_panic() {
        assert!(matches!(run_file("[{"), Err(ConformanceError::Json(_))));
        assert_eq!(run_file("{}"), Err(ConformanceError::NotAnArray));
    }

    #[test]
    fn a_failing_optional_case_is_skipped_with_its_reason() {
        let text = r#"[{"source":"o","function":"generateReplicaSetName","tags":["recent"],
            "input":{"deploymentName":"a","hash":"b"},"expected":{"name":"nope"}}]"#;
        let report = run_file(text).unwrap_or_default();
        assert_eq!((report.passed, report.failed, report.skipped), (0, 0, 1));
        assert!(report.skipped_cases[0].reason.contains("nope"));
    }

    #[test]
    fn only_expected_keys_of_objects_are_compared() {
        let want = serde_json::json!({"status": "True"});
        let got = serde_json::json!({"status": "True", "reason": "x"});
        assert!(matches("c", &want, &got));
        assert!(!matches("c", &got, &want));
    }
}
