//! Label selectors as `-l` takes them (apimachinery `labels.Parse`): `a=b`, `a==b`, `a!=b`,
//! `a in (x,y)`, `a notin (x)`, `a`, `!a`, comma-joined.

use crate::error::KubectlError;
use rollout_sim::objects::{Kind, ObjectMeta};
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

impl Selector {
    /// The selector as a Service's `spec.selector` (equality terms only), with kubectl's
    /// errors for terms a map cannot hold (`metav1.ParseToLabelSelector`, then the Service's
    /// conversion); requirements print as Go prints them, sorted by key.
    pub fn to_map(&self) -> Result<BTreeMap<String, String>, KubectlError> {
        if self
            .0
            .iter()
            .any(|r| matches!(r, Requirement::NotEquals(..)))
        {
            return Err(KubectlError::plain(
                "\"!=\" is not a valid label selector operator",
            ));
        }
        let mut map = BTreeMap::new();
        let mut expressions = Vec::new();
        for requirement in &self.0 {
            let (key, operator, values) = match requirement {
                Requirement::Equals(key, value) => {
                    map.insert(key.clone(), value.clone());
                    continue;
                }
                Requirement::In(key, values) => (key, "In", values.clone()),
                Requirement::NotIn(key, values) => (key, "NotIn", values.clone()),
                Requirement::Exists(key) => (key, "Exists", Vec::new()),
                Requirement::DoesNotExist(key) => (key, "DoesNotExist", Vec::new()),
                Requirement::NotEquals(..) => continue,
            };
            let mut values = values;
            values.sort();
            values.dedup();
            expressions.push((
                key.clone(),
                format!("{{{key} {operator} [{}]}}", values.join(" ")),
            ));
        }
        if !expressions.is_empty() {
            expressions.sort();
            let printed: Vec<String> = expressions.into_iter().map(|(_, e)| e).collect();
            return Err(KubectlError::plain(format!(
                "match expression [{}] not supported on this object",
                printed.join(" ")
            )));
        }
        Ok(map)
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

/// `--field-selector`: terms `FIELD=VALUE`, `FIELD==VALUE`, `FIELD!=VALUE`, over the field
/// labels the API server selects each kind by ([`field_labels`]).
#[derive(Clone, Debug, Default)]
pub struct FieldSelector(Vec<(String, bool, String)>);

/// The field labels each kind can be selected by besides `metadata.name` and
/// `metadata.namespace`: what the API server's registry for the kind lists (upstream's
/// `ToSelectableFields` / `GetAttrs`). Anything else is a `BadRequest`.
pub fn field_labels(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Pod => &[
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.podIPs",
            "status.nominatedNodeName",
        ],
        Kind::ReplicaSet => &["status.replicas"],
        Kind::Namespace => &["status.phase"],
        Kind::Node => &["spec.unschedulable"],
        Kind::Event => &[
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
        ],
        _ => &[],
    }
}

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

    /// Whether an object with this metadata, whose other field labels `field` answers,
    /// is selected.
    pub fn matches(&self, meta: &ObjectMeta, field: impl Fn(&str) -> Option<String>) -> bool {
        self.0.iter().all(|(label, equal, value)| {
            let actual = match label.as_str() {
                "metadata.name" => Some(meta.name.clone()),
                "metadata.namespace" => Some(meta.namespace.clone()),
                other => field(other),
            };
            match actual {
                Some(actual) => (actual == *value) == *equal,
                None => false,
            }
        })
    }

    /// The first field label `kind` cannot be selected by.
    pub fn unsupported(&self, kind: Kind) -> Option<&str> {
        self.0
            .iter()
            .map(|(label, _, _)| label.as_str())
            .find(|label| {
                !matches!(*label, "metadata.name" | "metadata.namespace")
                    && !field_labels(kind).contains(label)
            })
    }

    /// The API server's message (a `BadRequest`) refusing a list of `kind` by a field label
    /// it is not selected by.
    pub fn unsupported_message(&self, kind: Kind) -> Option<String> {
        let label = self.unsupported(kind)?;
        Some(format!("field label not supported: {label}"))
    }
}

/// How kubectl words an API server's `BadRequest` to a list by selectors (cli-runtime's
/// `Selector.Visit`): the resource as Go prints a `GroupVersionResource`, the selectors as the
/// user typed them.
pub fn list_refused(kind: Kind, labels: &str, fields: &str, message: &str) -> String {
    format!(
        "Error from server (BadRequest): Unable to find \"{}/{}, Resource={}\" that match label selector \"{labels}\", field selector \"{fields}\": {message}",
        kind.group(),
        kind.api_version().rsplit('/').next().unwrap_or("v1"),
        kind.resource()
    )
}

/// The selector as the API server prints it back (`a=b,c!=d`).
impl std::fmt::Display for FieldSelector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let terms: Vec<String> = self
            .0
            .iter()
            .map(|(label, equal, value)| {
                format!("{label}{}{value}", if *equal { "=" } else { "!=" })
            })
            .collect();
        f.write_str(&terms.join(","))
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
    fn field_selectors_use_the_kinds_field_labels() {
        let selector = FieldSelector::parse("status.phase=Running,metadata.name!=b").unwrap();
        let meta = |name: &str| ObjectMeta {
            name: name.into(),
            ..ObjectMeta::default()
        };
        let phase =
            |p: &'static str| move |label: &str| (label == "status.phase").then(|| p.to_string());
        assert!(selector.matches(&meta("a"), phase("Running")));
        assert!(!selector.matches(&meta("b"), phase("Running")));
        assert!(!selector.matches(&meta("a"), phase("Pending")));
        assert_eq!(selector.unsupported(Kind::Pod), None);
        assert_eq!(selector.unsupported(Kind::Deployment), Some("status.phase"));
        assert_eq!(
            FieldSelector::parse("x==y")
                .unwrap()
                .unsupported_message(Kind::Pod)
                .unwrap(),
            "field label not supported: x"
        );
        assert_eq!(
            list_refused(Kind::Deployment, "", "x==y", "field label not supported: x"),
            "Error from server (BadRequest): Unable to find \"apps/v1, Resource=deployments\" that match label selector \"\", field selector \"x==y\": field label not supported: x"
        );
    }

    #[test]
    fn only_equality_selectors_become_a_services_selector() {
        let map = Selector::parse("app=demoapp,release==stable")
            .unwrap()
            .to_map();
        assert_eq!(
            map.unwrap(),
            labels(&[("app", "demoapp"), ("release", "stable")])
        );
        let error = |s: &str| {
            Selector::parse(s)
                .unwrap()
                .to_map()
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            error("a!=b"),
            "error: \"!=\" is not a valid label selector operator"
        );
        assert_eq!(
            error("z,app in (b,a)"),
            "error: match expression [{app In [a b]} {z Exists []}] not supported on this object"
        );
    }

    #[test]
    fn a_broken_selector_is_an_error() {
        assert!(Selector::parse("app in v1").is_err());
        assert!(Selector::parse("a b c").is_err());
    }
}
