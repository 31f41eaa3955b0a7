//! Label selectors as `-l` takes them (apimachinery `labels.Parse`): `a=b`, `a==b`, `a!=b`,
//! `a in (x,y)`, `a notin (x)`, `a`, `!a`, comma-joined.

use crate::error::KubectlError;
use rollout_sim::objects::{Event, ObjectMeta};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

/// A parsed selector; the empty selector matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector(Vec<Requirement>);

impl Selector {
    pub fn parse(text: &str) -> Result<Selector, KubectlError> {
        let mut requirements = Vec::new();
        for part in split_top_level(text) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            requirements.push(parse_requirement(part)?);
        }
        Ok(Selector(requirements))
    }

    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.0.iter().all(|r| match r {
            Requirement::Equals(k, v) => labels.get(k) == Some(v),
            Requirement::NotEquals(k, v) => labels.get(k) != Some(v),
            Requirement::In(k, vs) => labels.get(k).is_some_and(|v| vs.contains(v)),
            Requirement::NotIn(k, vs) => labels.get(k).is_none_or(|v| !vs.contains(v)),
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::DoesNotExist(k) => !labels.contains_key(k),
        })
    }
}

/// Splits on commas that are not inside `( … )`.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn parse_requirement(part: &str) -> Result<Requirement, KubectlError> {
    let invalid = || {
        KubectlError::plain(format!(
            "unable to parse requirement: found '{part}', expected: in, notin, =, ==, !=, gt, lt"
        ))
    };
    if let Some(key) = part.strip_prefix('!') {
        return Ok(Requirement::DoesNotExist(valid_key(key.trim())?));
    }
    if let Some((key, value)) = part.split_once("!=") {
        return Ok(Requirement::NotEquals(
            valid_key(key.trim())?,
            value.trim().to_string(),
        ));
    }
    if let Some((key, value)) = part.split_once("==").or_else(|| part.split_once('=')) {
        return Ok(Requirement::Equals(
            valid_key(key.trim())?,
            value.trim().to_string(),
        ));
    }
    let words: Vec<&str> = part.splitn(2, char::is_whitespace).collect();
    match words.as_slice() {
        [key] => Ok(Requirement::Exists(valid_key(key)?)),
        [key, rest] => {
            let rest = rest.trim();
            let (op, list) = if let Some(list) = rest.strip_prefix("notin") {
                ("notin", list)
            } else if let Some(list) = rest.strip_prefix("in") {
                ("in", list)
            } else {
                return Err(invalid());
            };
            let list = list.trim();
            let Some(inner) = list.strip_prefix('(').and_then(|l| l.strip_suffix(')')) else {
                return Err(KubectlError::plain(format!(
                    "unable to parse requirement: found '{list}', expected: '('"
                )));
            };
            let values: Vec<String> = inner
                .split(',')
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .collect();
            let key = valid_key(key)?;
            Ok(if op == "in" {
                Requirement::In(key, values)
            } else {
                Requirement::NotIn(key, values)
            })
        }
        _ => Err(invalid()),
    }
}

fn valid_key(key: &str) -> Result<String, KubectlError> {
    let ok = !key.is_empty()
        && key.len() <= 316
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c));
    if ok {
        Ok(key.to_string())
    } else {
        Err(KubectlError::plain(format!(
            "unable to parse requirement: <nil>: Invalid value: \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        )))
    }
}

/// `--field-selector` for the fields people filter on: `metadata.name`,
/// `metadata.namespace`, and for events `reason`, `type`, `involvedObject.kind|name`.
#[derive(Clone, Debug, Default)]
pub struct FieldSelector(Vec<(String, bool, String)>);

impl FieldSelector {
    pub fn parse(text: &str) -> Result<FieldSelector, KubectlError> {
        let mut terms = Vec::new();
        for term in text.split(',').filter(|t| !t.is_empty()) {
            let (field, equal, value) = if let Some((f, v)) = term.split_once("!=") {
                (f, false, v)
            } else if let Some((f, v)) = term.split_once("==").or_else(|| term.split_once('=')) {
                (f, true, v)
            } else {
                return Err(KubectlError::plain(format!(
                    "invalid selector: '{text}'; can't understand '{term}'"
                )));
            };
            terms.push((field.trim().to_string(), equal, value.trim().to_string()));
        }
        Ok(FieldSelector(terms))
    }

    pub fn matches(&self, meta: &ObjectMeta, event: Option<&Event>) -> bool {
        self.matches_with(meta, event, |_| None)
    }

    /// `matches`, with the kind's own selectable fields (a pod's `spec.nodeName`,
    /// `status.phase`) from `field`.
    pub fn matches_with(
        &self,
        meta: &ObjectMeta,
        event: Option<&Event>,
        field: impl Fn(&str) -> Option<String>,
    ) -> bool {
        self.0.iter().all(|(name, equal, value)| {
            if let Some(actual) = field(name) {
                return (actual == *value) == *equal;
            }
            let actual = match (name.as_str(), event) {
                ("metadata.name", _) => meta.name.clone(),
                ("metadata.namespace", _) => meta.namespace.clone(),
                ("reason", Some(e)) => e.reason.clone(),
                ("type", Some(e)) => format!("{:?}", e.type_),
                ("involvedObject.kind", Some(e)) => e.involved_object.kind.clone(),
                ("involvedObject.name", Some(e)) => e.involved_object.name.clone(),
                ("involvedObject.namespace", Some(e)) => e.involved_object.namespace.clone(),
                ("involvedObject.uid", Some(e)) => e.involved_object.uid.clone(),
                _ => return !*equal,
            };
            (actual == *value) == *equal
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn equality_and_set_selectors_match_like_apimachinery() {
        let pod = labels(&[("app", "demoapp"), ("version", "v1.0")]);
        let check = |s: &str| Selector::parse(s).unwrap().matches(&pod);
        assert!(check("app=demoapp"));
        assert!(check("app==demoapp,version!=v1.1"));
        assert!(check("version in (v1.0, v1.1)"));
        assert!(!check("version notin (v1.0)"));
        assert!(check("app"));
        assert!(!check("!app"));
        assert!(check(""));
    }

    #[test]
    fn a_broken_selector_is_an_error() {
        assert!(Selector::parse("app in v1").is_err());
        assert!(Selector::parse("a b c").is_err());
    }
}
