use super::{ConditionStatus, IntOrString, LabelSelector, ObjectMeta};
use crate::clock::Time;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A `policy/v1` PodDisruptionBudget: how many of the pods its selector picks must stay
/// healthy while something evicts them (a drain). Only voluntary disruptions ask it; a
/// `kubectl delete` does not.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PodDisruptionBudget {
    pub metadata: ObjectMeta,
    pub spec: PodDisruptionBudgetSpec,
    pub status: PodDisruptionBudgetStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PodDisruptionBudgetSpec {
    /// Pods that must stay healthy: a number, or a percentage of the controllers' scale
    /// (rounded up). Exclusive with `max_unavailable`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_available: Option<IntOrString>,
    /// `None` selects no pods; an empty selector selects every pod of the namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
    /// `IfHealthyBudget` (the default when unset) or `AlwaysAllow`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unhealthy_pod_eviction_policy: Option<String>,
}

/// What the disruption controller last computed; the eviction API reads and decrements it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PodDisruptionBudgetStatus {
    #[serde(skip_serializing_if = "is_zero_i64")]
    pub observed_generation: i64,
    /// Pods the eviction API let go that the controller has not yet seen terminating, with
    /// the time of the eviction; they do not count as healthy meanwhile.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", with = "disrupted_pods")]
    pub disrupted_pods: BTreeMap<String, Time>,
    pub disruptions_allowed: i32,
    pub current_healthy: i32,
    pub desired_healthy: i32,
    pub expected_pods: i32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<PodDisruptionBudgetCondition>,
}

/// A `metav1.Condition`: every field is always written, the message even when empty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodDisruptionBudgetCondition {
    #[serde(rename = "type")]
    pub type_: String,
    pub status: ConditionStatus,
    #[serde(default, skip_serializing_if = "is_zero_i64")]
    pub observed_generation: i64,
    #[serde(with = "super::timestamp::required")]
    pub last_transition_time: Time,
    pub reason: String,
    #[serde(default)]
    pub message: String,
}

/// The only condition type of a budget.
pub const DISRUPTION_ALLOWED: &str = "DisruptionAllowed";

fn is_zero_i64(value: &i64) -> bool {
    *value == 0
}

/// `map[string]metav1.Time` ⇄ `BTreeMap<String, Time>`.
mod disrupted_pods {
    use super::super::timestamp::{format_rfc3339, parse_rfc3339};
    use crate::clock::Time;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    pub fn serialize<S: Serializer>(
        pods: &BTreeMap<String, Time>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let texts: BTreeMap<&str, String> = pods
            .iter()
            .map(|(name, time)| (name.as_str(), format_rfc3339(*time)))
            .collect();
        texts.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<String, Time>, D::Error> {
        let texts = Option::<BTreeMap<String, String>>::deserialize(deserializer)?;
        texts
            .unwrap_or_default()
            .into_iter()
            .map(|(name, text)| {
                parse_rfc3339(&text)
                    .map(|time| (name, time))
                    .map_err(serde::de::Error::custom)
            })
            .collect()
    }
}
