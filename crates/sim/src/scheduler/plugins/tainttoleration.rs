//! TaintToleration (`tainttoleration/taint_toleration.go`): a node's `NoSchedule` and
//! `NoExecute` taints keep away every pod that does not tolerate them.

use super::super::framework::{Code, NodeInfo, Status};
use crate::objects::{Pod, Taint};

/// A pod's toleration (`v1.Toleration`), read from the spec the lab keeps verbatim.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Toleration {
    pub key: String,
    /// `Equal` (the default) or `Exists`.
    pub operator: String,
    pub value: String,
    /// Empty: every effect.
    pub effect: String,
}

pub fn tolerations(pod: &Pod) -> Vec<Toleration> {
    let Some(serde_json::Value::Array(items)) = &pod.spec.tolerations else {
        return Vec::new();
    };
    let text = |item: &serde_json::Value, field: &str| {
        item.get(field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    items
        .iter()
        .map(|item| Toleration {
            key: text(item, "key"),
            operator: text(item, "operator"),
            value: text(item, "value"),
            effect: text(item, "effect"),
        })
        .collect()
}

/// `Toleration.ToleratesTaint`.
pub fn tolerates(toleration: &Toleration, taint: &Taint) -> bool {
    if !toleration.effect.is_empty() && toleration.effect != taint.effect {
        return false;
    }
    if !toleration.key.is_empty() && toleration.key != taint.key {
        return false;
    }
    match toleration.operator.as_str() {
        "Exists" => true,
        "" | "Equal" => toleration.value == taint.value,
        _ => false,
    }
}

pub fn filter(tolerations: &[Toleration], node: &NodeInfo) -> Option<Status> {
    let untolerated = node.node.spec.taints.iter().find(|taint| {
        (taint.effect == "NoSchedule" || taint.effect == "NoExecute")
            && !tolerations.iter().any(|t| tolerates(t, taint))
    })?;
    Some(Status::new(
        Code::UnschedulableAndUnresolvable,
        format!(
            "node(s) had untolerated taint {{{}: {}}}",
            untolerated.key, untolerated.value
        ),
    ))
}
