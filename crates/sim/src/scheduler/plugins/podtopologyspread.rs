//! PodTopologySpread (`podtopologyspread/{common,filtering,scoring}.go`) for a pod's own
//! `topologySpreadConstraints`: a `DoNotSchedule` constraint filters out the nodes where
//! placing the pod would make its domain exceed `maxSkew` over the least-loaded domain; a
//! `ScheduleAnyway` one scores nodes by how many matching pods their domain already holds.
//! Only nodes that carry every constraint's key and pass the node inclusion policies
//! (`nodeAffinityPolicy: Honor`, `nodeTaintsPolicy: Ignore` by default) count.
//! Pods without constraints keep the scheduler's default spreading (`mod.rs`).

use super::super::framework::{Code, NodeInfo, Status};
use super::{nodeaffinity, tainttoleration};
use crate::objects::Pod;
use serde_json::Value;
use std::collections::BTreeMap;

/// `ErrReasonConstraintsNotMatch`.
pub const REASON: &str = "node(s) didn't match pod topology spread constraints";
/// `ErrReasonNodeLabelNotMatch`: the node lacks the constraint's key.
pub const REASON_MISSING_LABEL: &str =
    "node(s) didn't match pod topology spread constraints (missing required label)";

/// One constraint as the scheduler reads it (`topologySpreadConstraint`).
#[derive(Clone, Debug)]
pub struct Constraint {
    pub max_skew: i64,
    pub key: String,
    /// `DoNotSchedule` (a filter) rather than `ScheduleAnyway` (a score).
    pub hard: bool,
    /// The `labelSelector` as written (`None`: null, which matches no pod).
    pub selector: Option<Value>,
    pub min_domains: i64,
    pub honor_affinity: bool,
    pub honor_taints: bool,
}

/// The pod's constraints, with `matchLabelKeys` folded into the selector as upstream does.
pub fn constraints(pod: &Pod) -> Vec<Constraint> {
    let Some(Value::Array(items)) = pod.spec.other.get("topologySpreadConstraints") else {
        return Vec::new();
    };
    let text = |item: &Value, field: &str| {
        item.get(field)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    items
        .iter()
        .map(|item| {
            let mut selector = item.get("labelSelector").filter(|s| s.is_object()).cloned();
            let keys = item.get("matchLabelKeys").and_then(Value::as_array);
            if let (Some(selector), Some(keys)) = (selector.as_mut(), keys) {
                for key in keys.iter().filter_map(Value::as_str) {
                    if let Some(value) = pod.metadata.labels.get(key) {
                        selector["matchLabels"][key] = Value::String(value.clone());
                    }
                }
            }
            Constraint {
                max_skew: item.get("maxSkew").and_then(Value::as_i64).unwrap_or(1),
                key: text(item, "topologyKey"),
                hard: text(item, "whenUnsatisfiable") != "ScheduleAnyway",
                selector,
                min_domains: item.get("minDomains").and_then(Value::as_i64).unwrap_or(1),
                honor_affinity: text(item, "nodeAffinityPolicy") != "Ignore",
                honor_taints: text(item, "nodeTaintsPolicy") == "Honor",
            }
        })
        .collect()
}

impl Constraint {
    fn matches(&self, pod: &Pod) -> bool {
        let Some(selector) = &self.selector else {
            return false;
        };
        let labels = &pod.metadata.labels;
        let labels_match = selector
            .get("matchLabels")
            .and_then(Value::as_object)
            .is_none_or(|m| {
                m.iter()
                    .all(|(k, v)| labels.get(k).map(String::as_str) == v.as_str())
            });
        let expressions = selector.get("matchExpressions").and_then(Value::as_array);
        labels_match
            && expressions.is_none_or(|list| {
                list.iter().all(|e| {
                    let key = e.get("key").and_then(Value::as_str).unwrap_or_default();
                    nodeaffinity::requirement_matches(e, labels.get(key).map(String::as_str))
                })
            })
    }

    /// `countPodsMatchSelector`: the node's pods in the pod's namespace that the selector
    /// picks, terminating ones left out.
    fn count(&self, node: &NodeInfo, namespace: &str) -> usize {
        node.pod_list
            .iter()
            .filter(|p| {
                p.metadata.deletion_timestamp.is_none()
                    && p.metadata.namespace == namespace
                    && self.matches(p)
            })
            .count()
    }
}

/// Whether a node counts for the pod's spreading: it carries every constraint's key and
/// passes the inclusion policies (`MatchNodeInclusionPolicies`).
fn eligible(pod: &Pod, constraints: &[Constraint], node: &NodeInfo) -> bool {
    let labels = &node.node.metadata.labels;
    constraints.iter().all(|c| {
        labels.contains_key(&c.key)
            && (!c.honor_affinity || nodeaffinity::filter(pod, node).is_none())
            && (!c.honor_taints
                || tainttoleration::filter(&tainttoleration::tolerations(pod), node).is_none())
    })
}

/// What PreFilter computes once per pod: matching pods per domain of each hard constraint,
/// and the least-loaded domain's count (zero while there are fewer domains than
/// `minDomains`).
pub struct PreFilter {
    hard: Vec<(Constraint, BTreeMap<String, i64>, i64)>,
}

pub fn pre_filter(pod: &Pod, nodes: &[NodeInfo]) -> Option<PreFilter> {
    let hard: Vec<Constraint> = constraints(pod).into_iter().filter(|c| c.hard).collect();
    if hard.is_empty() {
        return None;
    }
    let namespace = &pod.metadata.namespace;
    let mut counts: Vec<BTreeMap<String, i64>> = vec![BTreeMap::new(); hard.len()];
    for node in nodes.iter().filter(|n| eligible(pod, &hard, n)) {
        for (c, domains) in hard.iter().zip(&mut counts) {
            let domain = node
                .node
                .metadata
                .labels
                .get(&c.key)
                .cloned()
                .unwrap_or_default();
            *domains.entry(domain).or_default() += c.count(node, namespace) as i64;
        }
    }
    let hard = hard
        .into_iter()
        .zip(counts)
        .map(|(c, domains)| {
            let min = match (domains.len() as i64) < c.min_domains {
                true => 0,
                false => domains.values().copied().min().unwrap_or(0),
            };
            (c, domains, min)
        })
        .collect();
    Some(PreFilter { hard })
}

/// Filter: the pod's domain on this node may not exceed `maxSkew` over the minimum.
pub fn filter(pod: &Pod, state: &PreFilter, node: &NodeInfo) -> Option<Status> {
    for (c, domains, min) in &state.hard {
        let Some(domain) = node.node.metadata.labels.get(&c.key) else {
            return Some(Status::new(
                Code::UnschedulableAndUnresolvable,
                REASON_MISSING_LABEL,
            ));
        };
        let own = i64::from(c.matches(pod));
        let here = domains.get(domain).copied().unwrap_or(0);
        if here + own - min > c.max_skew {
            return Some(Status::new(Code::Unschedulable, REASON));
        }
    }
    None
}

/// Score for the pod's `ScheduleAnyway` constraints over the nodes that passed the
/// filters, lower is better (upstream's raw score, before `NormalizeScore` turns it into
/// 0–100 the other way round); `None` for a node without the constraints' keys, which
/// scores worst. `None` overall when the pod has constraints but no soft one, or none.
pub fn scores(pod: &Pod, nodes: &[NodeInfo], feasible: &[usize]) -> Option<Vec<Option<i64>>> {
    let soft: Vec<Constraint> = constraints(pod).into_iter().filter(|c| !c.hard).collect();
    if soft.is_empty() {
        return None;
    }
    let namespace = &pod.metadata.namespace;
    let labels = |n: usize| &nodes[n].node.metadata.labels;
    let scored: Vec<usize> = feasible
        .iter()
        .copied()
        .filter(|&n| soft.iter().all(|c| labels(n).contains_key(&c.key)))
        .collect();
    let mut pair_counts: Vec<BTreeMap<&str, usize>> = vec![BTreeMap::new(); soft.len()];
    for (c, pairs) in soft.iter().zip(&mut pair_counts) {
        for &n in &scored {
            pairs.insert(labels(n)[&c.key].as_str(), 0);
        }
    }
    for node in nodes.iter().filter(|n| eligible(pod, &soft, n)) {
        for (c, pairs) in soft.iter().zip(&mut pair_counts) {
            let domain = node.node.metadata.labels[&c.key].as_str();
            if let Some(count) = pairs.get_mut(domain) {
                *count += c.count(node, namespace);
            }
        }
    }
    let weights: Vec<f64> = soft
        .iter()
        .zip(&pair_counts)
        .map(|(c, pairs)| {
            let size = match c.key == "kubernetes.io/hostname" {
                true => scored.len(),
                false => pairs.len(),
            };
            ((size + 2) as f64).ln()
        })
        .collect();
    let score = |n: usize| {
        let mut total = 0.0;
        for ((c, pairs), weight) in soft.iter().zip(&pair_counts).zip(&weights) {
            let count = match c.key == "kubernetes.io/hostname" {
                true => c.count(&nodes[n], namespace),
                false => pairs.get(labels(n)[&c.key].as_str()).copied().unwrap_or(0),
            };
            total += count as f64 * weight + (c.max_skew - 1) as f64;
        }
        total.round() as i64
    };
    Some(
        feasible
            .iter()
            .map(|&n| scored.contains(&n).then(|| score(n)))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    //! Cases from upstream's `filtering_test.go` (`TestSingleConstraint`) and
    //! `scoring_test.go`, on four nodes: node-a and node-b in zone1, node-x and node-y in
    //! zone2, each also labelled with its hostname.
    use super::*;
    use crate::objects::{Node, Pod};
    use serde_json::json;

    fn node(name: &str, zone: Option<&str>) -> Node {
        let mut labels = json!({ "kubernetes.io/hostname": name });
        if let Some(zone) = zone {
            labels["zone"] = json!(zone);
        }
        serde_json::from_value(json!({ "metadata": { "name": name, "labels": labels } }))
            .unwrap_or_default()
    }

    fn pod(name: &str, namespace: &str, labels: Value, constraints: Value) -> Pod {
        serde_json::from_value(json!({
            "metadata": { "name": name, "namespace": namespace, "labels": labels },
            "spec": { "containers": [], "topologySpreadConstraints": constraints },
        }))
        .unwrap_or_default()
    }

    fn constraint(key: &str, max_skew: i64, when: &str) -> Value {
        json!({
            "maxSkew": max_skew, "topologyKey": key, "whenUnsatisfiable": when,
            "labelSelector": { "matchExpressions": [{ "key": "foo", "operator": "Exists" }] },
        })
    }

    /// The nodes that pass the filter for `incoming`, given `existing` pods as
    /// `(node index, namespace, labels)`.
    fn fits(
        nodes: &[Node],
        existing: &[(usize, &str, Value)],
        incoming: &Pod,
    ) -> Vec<(String, Option<Code>)> {
        let pods: Vec<Pod> = existing
            .iter()
            .enumerate()
            .map(|(i, (_, ns, labels))| pod(&format!("p{i}"), ns, labels.clone(), json!([])))
            .collect();
        let mut infos: Vec<NodeInfo> = nodes.iter().map(NodeInfo::new).collect();
        for ((n, _, _), pod) in existing.iter().zip(&pods) {
            infos[*n].pod_list.push(pod);
        }
        let state = pre_filter(incoming, &infos);
        infos
            .iter()
            .map(|info| {
                let status = state.as_ref().and_then(|s| filter(incoming, s, info));
                (info.name().to_string(), status.map(|s| s.code))
            })
            .collect()
    }

    fn four_nodes() -> Vec<Node> {
        vec![
            node("node-a", Some("zone1")),
            node("node-b", Some("zone1")),
            node("node-x", Some("zone2")),
            node("node-y", Some("zone2")),
        ]
    }

    fn foo() -> Value {
        json!({ "foo": "" })
    }

    fn passing(result: &[(String, Option<Code>)]) -> Vec<&str> {
        result
            .iter()
            .filter(|(_, code)| code.is_none())
            .map(|(name, _)| name.as_str())
            .collect()
    }

    #[test]
    fn no_existing_pods_every_node_fits() {
        let incoming = pod(
            "p",
            "default",
            foo(),
            json!([constraint("zone", 1, "DoNotSchedule")]),
        );
        let result = fits(&four_nodes(), &[], &incoming);
        assert_eq!(
            passing(&result),
            vec!["node-a", "node-b", "node-x", "node-y"]
        );
    }

    #[test]
    fn pods_in_another_namespace_do_not_count() {
        let incoming = pod(
            "p",
            "default",
            foo(),
            json!([constraint("zone", 1, "DoNotSchedule")]),
        );
        let existing = [(0, "ns1", foo()), (2, "ns2", foo())];
        let result = fits(&four_nodes(), &existing, &incoming);
        assert_eq!(
            passing(&result),
            vec!["node-a", "node-b", "node-x", "node-y"]
        );
    }

    /// "pods spread across zones as 3/3, all nodes fit".
    #[test]
    fn an_even_spread_over_zones_lets_every_node_fit() {
        let incoming = pod(
            "p",
            "default",
            foo(),
            json!([constraint("zone", 1, "DoNotSchedule")]),
        );
        let existing = [
            (0, "default", foo()),
            (1, "default", foo()),
            (1, "default", foo()),
            (2, "default", foo()),
            (3, "default", foo()),
            (3, "default", foo()),
        ];
        let result = fits(&four_nodes(), &existing, &incoming);
        assert_eq!(passing(&result).len(), 4);
    }

    /// "pods spread across zones as 1/2 due to absence of label 'zone' on node-b".
    #[test]
    fn a_node_without_the_key_is_unresolvable() {
        let nodes = vec![
            node("node-a", Some("zone1")),
            node("node-b", None),
            node("node-x", Some("zone2")),
            node("node-y", Some("zone2")),
        ];
        let incoming = pod(
            "p",
            "default",
            foo(),
            json!([constraint("zone", 1, "DoNotSchedule")]),
        );
        let existing = [
            (0, "default", foo()),
            (1, "default", foo()),
            (2, "default", foo()),
            (3, "default", foo()),
        ];
        let result = fits(&nodes, &existing, &incoming);
        assert_eq!(passing(&result), vec!["node-a"]);
        assert_eq!(result[1].1, Some(Code::UnschedulableAndUnresolvable));
        assert_eq!(result[2].1, Some(Code::Unschedulable));
    }

    /// "pods spread across nodes as 2/1/0/3, only node-x fits"; with maxSkew 2, node-b and
    /// node-x.
    #[test]
    fn over_hostnames_only_the_emptiest_nodes_fit() {
        let existing = [
            (0, "default", foo()),
            (0, "default", foo()),
            (1, "default", foo()),
            (3, "default", foo()),
            (3, "default", foo()),
            (3, "default", foo()),
        ];
        let key = "kubernetes.io/hostname";
        let incoming = pod(
            "p",
            "default",
            foo(),
            json!([constraint(key, 1, "DoNotSchedule")]),
        );
        assert_eq!(
            passing(&fits(&four_nodes(), &existing, &incoming)),
            vec!["node-x"]
        );
        let incoming = pod(
            "p",
            "default",
            foo(),
            json!([constraint(key, 2, "DoNotSchedule")]),
        );
        assert_eq!(
            passing(&fits(&four_nodes(), &existing, &incoming)),
            vec!["node-b", "node-x"]
        );
    }

    /// minDomains: with fewer domains than it asks for, the minimum counts as zero, so a
    /// domain already at maxSkew takes no more.
    #[test]
    fn with_too_few_domains_the_minimum_is_zero() {
        let nodes = vec![node("node-a", Some("zone1")), node("node-x", Some("zone2"))];
        let existing = [(0, "default", foo()), (1, "default", foo())];
        let mut c = constraint("zone", 1, "DoNotSchedule");
        let incoming = pod("p", "default", foo(), json!([c.clone()]));
        assert_eq!(passing(&fits(&nodes, &existing, &incoming)).len(), 2);
        c["minDomains"] = json!(3);
        let incoming = pod("p", "default", foo(), json!([c]));
        assert!(passing(&fits(&nodes, &existing, &incoming)).is_empty());
    }

    /// A pod the selector does not pick does not count itself.
    #[test]
    fn a_pod_outside_its_own_selector_does_not_add_to_the_skew() {
        let existing = [(0, "default", foo()), (0, "default", foo())];
        let key = "kubernetes.io/hostname";
        let incoming = pod(
            "p",
            "default",
            json!({}),
            json!([constraint(key, 1, "DoNotSchedule")]),
        );
        assert_eq!(
            passing(&fits(&four_nodes(), &existing, &incoming)),
            vec!["node-b", "node-x", "node-y"]
        );
    }

    /// ScheduleAnyway scores: the zone with fewer matching pods scores better (lower).
    #[test]
    fn schedule_anyway_prefers_the_emptier_domain() {
        let nodes = four_nodes();
        let pods: Vec<Pod> = (0..3)
            .map(|i| pod(&format!("p{i}"), "default", foo(), json!([])))
            .collect();
        let mut infos: Vec<NodeInfo> = nodes.iter().map(NodeInfo::new).collect();
        infos[0].pod_list.push(&pods[0]);
        infos[1].pod_list.push(&pods[1]);
        infos[2].pod_list.push(&pods[2]);
        let incoming = pod(
            "p",
            "default",
            foo(),
            json!([constraint("zone", 1, "ScheduleAnyway")]),
        );
        let scores = scores(&incoming, &infos, &[0, 1, 2, 3]).unwrap_or_default();
        // zone1 holds 2, zone2 holds 1; weight ln(2 + 2).
        let w = 4f64.ln();
        let (z1, z2) = ((2.0 * w).round() as i64, w.round() as i64);
        assert_eq!(scores, vec![Some(z1), Some(z1), Some(z2), Some(z2)]);
    }
}
