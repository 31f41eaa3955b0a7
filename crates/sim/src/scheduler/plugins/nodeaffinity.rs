//! NodeAffinity (`nodeaffinity/node_affinity.go`): the pod's `nodeSelector` and its
//! `requiredDuringSchedulingIgnoredDuringExecution` node affinity must both match the node's
//! labels. Preferred terms only score upstream; the lab does not score them.

use super::super::framework::{Code, NodeInfo, Status};
use crate::objects::{Node, Pod};
use serde_json::Value;

/// `ErrReasonPod`.
pub const REASON: &str = "node(s) didn't match Pod's node affinity/selector";

pub fn filter(pod: &Pod, node: &NodeInfo) -> Option<Status> {
    (!matches(pod, node.node)).then(|| Status::new(Code::UnschedulableAndUnresolvable, REASON))
}

fn matches(pod: &Pod, node: &Node) -> bool {
    let labels = &node.metadata.labels;
    if let Some(Value::Object(selector)) = &pod.spec.node_selector {
        let all = selector
            .iter()
            .all(|(key, value)| labels.get(key).map(String::as_str) == value.as_str());
        if !all {
            return false;
        }
    }
    let required = pod
        .spec
        .affinity
        .as_ref()
        .and_then(|a| a.get("nodeAffinity"))
        .and_then(|a| a.get("requiredDuringSchedulingIgnoredDuringExecution"));
    match required {
        None | Some(Value::Null) => true,
        // Terms are ORed; a selector without terms matches no node.
        Some(selector) => selector
            .get("nodeSelectorTerms")
            .and_then(Value::as_array)
            .is_some_and(|terms| terms.iter().any(|term| term_matches(term, node))),
    }
}

/// A term's expressions and fields are ANDed; an empty term matches nothing.
fn term_matches(term: &Value, node: &Node) -> bool {
    let list = |name: &str| {
        term.get(name)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (expressions, fields) = (list("matchExpressions"), list("matchFields"));
    if expressions.is_empty() && fields.is_empty() {
        return false;
    }
    expressions.iter().all(|e| {
        let key = e.get("key").and_then(Value::as_str).unwrap_or_default();
        requirement_matches(e, node.metadata.labels.get(key).map(String::as_str))
    }) && fields.iter().all(|e| {
        // Only `metadata.name` is a node field a selector may name.
        let key = e.get("key").and_then(Value::as_str).unwrap_or_default();
        key == "metadata.name" && requirement_matches(e, Some(&node.metadata.name))
    })
}

/// `nodeSelectorRequirement`: In, NotIn, Exists, DoesNotExist, Gt, Lt.
pub(crate) fn requirement_matches(requirement: &Value, label: Option<&str>) -> bool {
    let operator = requirement
        .get("operator")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let values: Vec<&str> = requirement
        .get("values")
        .and_then(Value::as_array)
        .map(|v| v.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let number = |text: &str| text.parse::<i64>().ok();
    match operator {
        "In" => label.is_some_and(|l| values.contains(&l)),
        "NotIn" => label.is_none_or(|l| !values.contains(&l)),
        "Exists" => label.is_some(),
        "DoesNotExist" => label.is_none(),
        "Gt" | "Lt" => {
            let (Some(have), Some(want)) = (
                label.and_then(number),
                values.first().and_then(|v| number(v)),
            ) else {
                return false;
            };
            if operator == "Gt" {
                have > want
            } else {
                have < want
            }
        }
        _ => false,
    }
}
