use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which objects a Deployment or ReplicaSet manages. All requirements must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LabelSelector {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub match_labels: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelectorRequirement {
    pub key: String,
    pub operator: LabelSelectorOperator,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LabelSelectorOperator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

impl LabelSelector {
    /// An empty selector selects everything, which the Deployment controller refuses to act on.
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }

    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let labels_match = self
            .match_labels
            .iter()
            .all(|(key, value)| labels.get(key) == Some(value));
        labels_match
            && self
                .match_expressions
                .iter()
                .all(|requirement| requirement.matches(labels))
    }
}

impl LabelSelectorRequirement {
    fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let value = labels.get(&self.key);
        match self.operator {
            LabelSelectorOperator::In => value.is_some_and(|value| self.values.contains(value)),
            LabelSelectorOperator::NotIn => value.is_none_or(|value| !self.values.contains(value)),
            LabelSelectorOperator::Exists => value.is_some(),
            LabelSelectorOperator::DoesNotExist => value.is_none(),
        }
    }
}

impl LabelSelector {
    /// `labels.Selector.String()` of `metav1.LabelSelectorAsSelector`: requirements sorted by
    /// key (`app=demoapp`, `tier in (a,b)`, `tier notin (a)`, `tier`, `!tier`), comma-joined;
    /// empty for a selector that selects everything.
    pub fn selector_string(&self) -> String {
        let mut requirements: Vec<(String, String)> = self
            .match_labels
            .iter()
            .map(|(k, v)| (k.clone(), format!("{k}={v}")))
            .collect();
        requirements.extend(
            self.match_expressions
                .iter()
                .map(|r| (r.key.clone(), r.requirement_string())),
        );
        requirements.sort_by(|a, b| a.0.cmp(&b.0));
        requirements
            .into_iter()
            .map(|(_, text)| text)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// `metav1.FormatLabelSelector`: like [`Self::selector_string`] but `<none>` when empty.
    pub fn format(&self) -> String {
        let text = self.selector_string();
        if text.is_empty() {
            "<none>".to_string()
        } else {
            text
        }
    }
}

impl LabelSelectorRequirement {
    fn requirement_string(&self) -> String {
        let mut values = self.values.clone();
        values.sort();
        values.dedup();
        let key = &self.key;
        match self.operator {
            LabelSelectorOperator::In => format!("{key} in ({})", values.join(",")),
            LabelSelectorOperator::NotIn => format!("{key} notin ({})", values.join(",")),
            LabelSelectorOperator::Exists => key.clone(),
            LabelSelectorOperator::DoesNotExist => format!("!{key}"),
        }
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
    fn match_labels_and_expressions_must_all_hold() {
        let selector = LabelSelector {
            match_labels: labels(&[("app", "web")]),
            match_expressions: vec![LabelSelectorRequirement {
                key: "tier".into(),
                operator: LabelSelectorOperator::NotIn,
                values: vec!["db".into()],
            }],
        };
        assert!(selector.matches(&labels(&[("app", "web")])));
        assert!(!selector.matches(&labels(&[("app", "web"), ("tier", "db")])));
        assert!(!selector.matches(&labels(&[("app", "api")])));
    }
}
