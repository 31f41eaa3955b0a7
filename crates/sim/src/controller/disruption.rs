//! The disruption controller (upstream `pkg/controller/disruption/disruption.go`): every
//! PodDisruptionBudget's status says how many of its pods are healthy, how many must be, and
//! so how many the eviction API may still let go (`disruptionsAllowed`). Functions keep
//! upstream's names: `trySync`, `getExpectedPodCount`, `getExpectedScale`,
//! `countHealthyPods`, `buildDisruptedPodMap`, `updatePdbStatus`, `failSafe`.
//!
//! Upstream syncs a budget when one of its pods or the budget itself changes; here every
//! settle round looks at every budget and writes only what changed, which is the same status.

use super::Controllers;
use crate::apiserver::{reference, ObjectKey, Store};
use crate::clock::{Duration, Time};
use crate::objects::{
    ConditionStatus, EventType, IntOrString, Kind, LabelSelector, Pod, PodDisruptionBudget,
    PodDisruptionBudgetCondition, PodDisruptionBudgetStatus, DISRUPTION_ALLOWED,
};
use std::collections::BTreeMap;

/// How long an eviction the API approved may take to show as a terminating pod before the
/// controller counts the pod as healthy again (`DeletionTimeout`).
pub const DELETION_TIMEOUT: Duration = Duration(2 * 60 * 1000);

/// The events' source, as kube-controller-manager's disruption controller reports itself.
const SOURCE: &str = "controllermanager";

impl Controllers<'_> {
    pub(crate) fn sync_disruption_budgets(&mut self) {
        let keys: Vec<ObjectKey> = self
            .api
            .store
            .pod_disruption_budgets
            .keys()
            .cloned()
            .collect();
        for key in keys {
            self.sync_disruption_budget(&key);
        }
    }

    /// `sync`: `trySync`, and when the expected count cannot be computed, `failSafe`.
    fn sync_disruption_budget(&mut self, key: &ObjectKey) {
        let Some(pdb) = self.api.store.pod_disruption_budgets.get(key).cloned() else {
            return;
        };
        let now = self.api.now;
        let store = &self.api.store;
        let pods = get_pods_for_pdb(store, &pdb);
        // Upstream records these on every sync, and syncs on every change of the budget or
        // its pods; here every round looks, so they are recorded when the status changes.
        let mut events: Vec<(EventType, &str, String)> = Vec::new();
        if pods.is_empty() {
            events.push((EventType::Normal, "NoPods", "No matching pods found".into()));
        }
        let status = match get_expected_pod_count(store, &pdb, &pods) {
            Ok(count) => {
                if !count.unmanaged_pods.is_empty() {
                    let message = format!(
                        "Pods selected by this PodDisruptionBudget (selector: {}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set \".spec.minAvailable\" field of the PDB to an integer value.",
                        selector_string(pdb.spec.selector.as_ref())
                    );
                    events.push((EventType::Warning, "UnmanagedPods", message));
                }
                let disrupted_pods = build_disrupted_pod_map(&pods, &pdb, now);
                let current_healthy = count_healthy_pods(&pods, &disrupted_pods, now);
                update_pdb_status(
                    &pdb,
                    current_healthy,
                    count.desired_healthy,
                    count.expected_count,
                    disrupted_pods,
                    now,
                )
            }
            Err(error) => {
                let message = format!("Failed to calculate the number of expected pods: {error}");
                events.push((
                    EventType::Warning,
                    "CalculateExpectedPodCountFailed",
                    message,
                ));
                fail_safe(&pdb, &error, now)
            }
        };
        let Some(status) = status else {
            return;
        };
        for (type_, reason, message) in events {
            self.record(&pdb, type_, reason, message);
        }
        if let Some(live) = self.api.store.pod_disruption_budgets.get_mut(key) {
            live.status = status;
        }
    }

    fn record(
        &mut self,
        pdb: &PodDisruptionBudget,
        type_: EventType,
        reason: &str,
        message: String,
    ) {
        let object = reference(Kind::PodDisruptionBudget, &pdb.metadata);
        self.api
            .record(object, type_, reason, message, SOURCE, None);
    }
}

/// `getPodsForPdb`: the budget's selector over its namespace's pods. No selector selects no
/// pods; an empty one selects them all.
pub fn get_pods_for_pdb<'a>(store: &'a Store, pdb: &PodDisruptionBudget) -> Vec<&'a Pod> {
    let Some(selector) = &pdb.spec.selector else {
        return Vec::new();
    };
    store
        .pods_in(&pdb.metadata.namespace)
        .filter(|pod| selector.matches(&pod.metadata.labels))
        .collect()
}

/// What `getExpectedPodCount` returns besides its error.
pub struct ExpectedPodCount {
    pub expected_count: i32,
    pub desired_healthy: i32,
    /// Selected pods without a controller: they count towards neither the scale nor the
    /// percentages.
    pub unmanaged_pods: Vec<String>,
}

/// `getExpectedPodCount`: an integer `minAvailable` is the count itself and the pods there
/// are; a percentage or a `maxUnavailable` is taken of the controllers' scale (rounded up).
pub fn get_expected_pod_count(
    store: &Store,
    pdb: &PodDisruptionBudget,
    pods: &[&Pod],
) -> Result<ExpectedPodCount, String> {
    let mut count = ExpectedPodCount {
        expected_count: 0,
        desired_healthy: 0,
        unmanaged_pods: Vec::new(),
    };
    if let Some(max_unavailable) = &pdb.spec.max_unavailable {
        let (expected, unmanaged) = get_expected_scale(store, pdb, pods)?;
        count.expected_count = expected;
        count.unmanaged_pods = unmanaged;
        let max_unavailable = max_unavailable
            .scaled_value(expected, true)
            .map_err(|e| e.to_string())?;
        count.desired_healthy = expected.saturating_sub(max_unavailable).max(0);
    } else if let Some(min_available) = &pdb.spec.min_available {
        match min_available {
            IntOrString::Int(value) => {
                count.desired_healthy = *value;
                count.expected_count = i32::try_from(pods.len()).unwrap_or(i32::MAX);
            }
            IntOrString::String(_) => {
                let (expected, unmanaged) = get_expected_scale(store, pdb, pods)?;
                count.expected_count = expected;
                count.unmanaged_pods = unmanaged;
                count.desired_healthy = min_available
                    .scaled_value(expected, true)
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(count)
}

/// `getExpectedScale`: the sum of the scales of the controllers of the selected pods, each
/// controller counted once. The finders are upstream's for the kinds the lab has: a
/// ReplicaSet's Deployment, else the ReplicaSet itself (one a Rollout owns, too).
fn get_expected_scale(
    store: &Store,
    pdb: &PodDisruptionBudget,
    pods: &[&Pod],
) -> Result<(i32, Vec<String>), String> {
    let mut controller_scale: BTreeMap<String, i32> = BTreeMap::new();
    let mut unmanaged = Vec::new();
    for pod in pods {
        let Some(controller_ref) = pod.metadata.controller_ref() else {
            unmanaged.push(pod.metadata.name.clone());
            continue;
        };
        if controller_scale.contains_key(&controller_ref.uid) {
            continue;
        }
        let found = get_pod_deployment(store, &pdb.metadata.namespace, controller_ref)
            .or_else(|| get_pod_replica_set(store, &pdb.metadata.namespace, controller_ref));
        match found {
            Some((uid, scale)) => {
                controller_scale.insert(uid, scale);
            }
            None => {
                return Err(format!(
                    "found no controllers for pod {}",
                    crate::api::go_quote(&pod.metadata.name)
                ))
            }
        }
    }
    let expected = controller_scale
        .values()
        .fold(0i32, |sum, scale| sum.saturating_add(*scale));
    Ok((expected, unmanaged))
}

fn is_replica_set_ref(owner: &crate::objects::OwnerReference) -> bool {
    owner.kind == "ReplicaSet"
        && matches!(
            owner.api_version.rsplit_once('/').map(|(group, _)| group),
            Some("apps" | "extensions")
        )
}

/// The ReplicaSet a pod's controller reference points to, if it still is that one.
fn referenced_replica_set<'a>(
    store: &'a Store,
    namespace: &str,
    owner: &crate::objects::OwnerReference,
) -> Option<&'a crate::objects::ReplicaSet> {
    if !is_replica_set_ref(owner) {
        return None;
    }
    store
        .replica_sets
        .get(&ObjectKey::new(namespace, &owner.name))
        .filter(|rs| rs.metadata.uid == owner.uid)
}

/// `getPodDeployment`: the Deployment that controls the pod's ReplicaSet.
fn get_pod_deployment(
    store: &Store,
    namespace: &str,
    owner: &crate::objects::OwnerReference,
) -> Option<(String, i32)> {
    let rs = referenced_replica_set(store, namespace, owner)?;
    let deployment_ref = rs.metadata.controller_ref()?;
    if deployment_ref.kind != "Deployment" {
        return None;
    }
    let deployment = store
        .deployments
        .get(&ObjectKey::new(namespace, &deployment_ref.name))
        .filter(|d| d.metadata.uid == deployment_ref.uid)?;
    Some((deployment.metadata.uid.clone(), deployment.spec.replicas))
}

/// `getPodReplicaSet`: a ReplicaSet no Deployment controls.
fn get_pod_replica_set(
    store: &Store,
    namespace: &str,
    owner: &crate::objects::OwnerReference,
) -> Option<(String, i32)> {
    let rs = referenced_replica_set(store, namespace, owner)?;
    if rs
        .metadata
        .controller_ref()
        .is_some_and(|o| o.kind == "Deployment")
    {
        return None;
    }
    Some((rs.metadata.uid.clone(), rs.spec.replicas))
}

/// `countHealthyPods`: ready pods that are neither terminating nor just evicted.
pub fn count_healthy_pods(pods: &[&Pod], disrupted: &BTreeMap<String, Time>, now: Time) -> i32 {
    let healthy = pods
        .iter()
        .filter(|pod| pod.metadata.deletion_timestamp.is_none())
        .filter(|pod| {
            disrupted
                .get(&pod.metadata.name)
                .is_none_or(|evicted| *evicted + DELETION_TIMEOUT <= now)
        })
        .filter(|pod| pod.is_ready())
        .count();
    i32::try_from(healthy).unwrap_or(i32::MAX)
}

/// `buildDisruptedPodMap`: the evicted pods still waiting to be seen terminating, dropping
/// the ones that are terminating and the ones past the deletion timeout.
fn build_disrupted_pod_map(
    pods: &[&Pod],
    pdb: &PodDisruptionBudget,
    now: Time,
) -> BTreeMap<String, Time> {
    let mut result = BTreeMap::new();
    for pod in pods {
        if pod.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let Some(evicted) = pdb.status.disrupted_pods.get(&pod.metadata.name) else {
            continue;
        };
        if *evicted + DELETION_TIMEOUT >= now {
            result.insert(pod.metadata.name.clone(), *evicted);
        }
    }
    result
}

/// `updatePdbStatus`: the new status, or `None` when the live one already says it all.
fn update_pdb_status(
    pdb: &PodDisruptionBudget,
    current_healthy: i32,
    desired_healthy: i32,
    expected_count: i32,
    disrupted_pods: BTreeMap<String, Time>,
    now: Time,
) -> Option<PodDisruptionBudgetStatus> {
    // Zero expected pods allows nothing, so a budget whose pods have not appeared yet is
    // safe when they do.
    let mut disruptions_allowed = current_healthy.saturating_sub(desired_healthy);
    if expected_count <= 0 || disruptions_allowed <= 0 {
        disruptions_allowed = 0;
    }
    let status = &pdb.status;
    if status.current_healthy == current_healthy
        && status.desired_healthy == desired_healthy
        && status.expected_pods == expected_count
        && status.disruptions_allowed == disruptions_allowed
        && status.disrupted_pods == disrupted_pods
        && status.observed_generation == pdb.metadata.generation
        && conditions_are_up_to_date(pdb)
    {
        return None;
    }
    let mut new = PodDisruptionBudgetStatus {
        current_healthy,
        desired_healthy,
        expected_pods: expected_count,
        disruptions_allowed,
        disrupted_pods,
        observed_generation: pdb.metadata.generation,
        conditions: status.conditions.clone(),
    };
    update_disruption_allowed_condition(&mut new, now);
    Some(new)
}

/// `failSafe`: when the expected count cannot be computed, allow no disruption and say why.
fn fail_safe(
    pdb: &PodDisruptionBudget,
    error: &str,
    now: Time,
) -> Option<PodDisruptionBudgetStatus> {
    let mut new = pdb.status.clone();
    new.disruptions_allowed = 0;
    let generation = new.observed_generation;
    set_status_condition(
        &mut new.conditions,
        ConditionStatus::False,
        "SyncFailed",
        error,
        generation,
        now,
    );
    (new != pdb.status).then_some(new)
}

/// `pdbhelper.UpdateDisruptionAllowedCondition`: `SufficientPods` while a disruption is
/// allowed, `InsufficientPods` otherwise. The eviction API calls it too.
pub fn update_disruption_allowed_condition(status: &mut PodDisruptionBudgetStatus, now: Time) {
    let generation = status.observed_generation;
    let (condition, reason) = if status.disruptions_allowed > 0 {
        (ConditionStatus::True, "SufficientPods")
    } else {
        (ConditionStatus::False, "InsufficientPods")
    };
    set_status_condition(
        &mut status.conditions,
        condition,
        reason,
        "",
        generation,
        now,
    );
}

/// `pdbhelper.ConditionsAreUpToDate`.
fn conditions_are_up_to_date(pdb: &PodDisruptionBudget) -> bool {
    let Some(condition) = pdb
        .status
        .conditions
        .iter()
        .find(|c| c.type_ == DISRUPTION_ALLOWED)
    else {
        return false;
    };
    if pdb.status.observed_generation != pdb.metadata.generation {
        return false;
    }
    if pdb.status.disruptions_allowed > 0 {
        condition.status == ConditionStatus::True && condition.reason == "SufficientPods"
    } else {
        condition.status == ConditionStatus::False && condition.reason == "InsufficientPods"
    }
}

/// `meta.SetStatusCondition` for the `DisruptionAllowed` condition: the transition time moves
/// only when the status does.
fn set_status_condition(
    conditions: &mut Vec<PodDisruptionBudgetCondition>,
    status: ConditionStatus,
    reason: &str,
    message: &str,
    observed_generation: i64,
    now: Time,
) {
    match conditions
        .iter_mut()
        .find(|c| c.type_ == DISRUPTION_ALLOWED)
    {
        Some(existing) => {
            if existing.status != status {
                existing.status = status;
                existing.last_transition_time = now;
            }
            existing.reason = reason.to_string();
            existing.message = message.to_string();
            existing.observed_generation = observed_generation;
        }
        None => conditions.push(PodDisruptionBudgetCondition {
            type_: DISRUPTION_ALLOWED.to_string(),
            status,
            observed_generation,
            last_transition_time: now,
            reason: reason.to_string(),
            message: message.to_string(),
        }),
    }
}

/// `%v` of a `*metav1.LabelSelector`: its generated `String()`.
fn selector_string(selector: Option<&LabelSelector>) -> String {
    let Some(selector) = selector else {
        return "nil".to_string();
    };
    let labels: String = selector
        .match_labels
        .iter()
        .map(|(k, v)| format!("{k}: {v},"))
        .collect();
    let expressions: String = selector
        .match_expressions
        .iter()
        .map(|r| {
            format!(
                "LabelSelectorRequirement{{Key:{},Operator:{},Values:[{}],}},",
                r.key,
                crate::api::go::operator(r.operator),
                r.values.join(" ")
            )
        })
        .collect();
    format!(
        "&LabelSelector{{MatchLabels:map[string]string{{{labels}}},MatchExpressions:[]LabelSelectorRequirement{{{expressions}}},}}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects::PodDisruptionBudgetSpec;

    fn budget(spec: PodDisruptionBudgetSpec) -> PodDisruptionBudget {
        PodDisruptionBudget {
            spec,
            ..Default::default()
        }
    }

    #[test]
    fn an_integer_min_available_counts_the_pods_there_are() {
        let pdb = budget(PodDisruptionBudgetSpec {
            min_available: Some(IntOrString::Int(2)),
            ..Default::default()
        });
        let count = get_expected_pod_count(&Store::default(), &pdb, &[]).unwrap();
        assert_eq!((count.expected_count, count.desired_healthy), (0, 2));
    }

    #[test]
    fn no_expected_pods_allows_no_disruption() {
        let pdb = budget(PodDisruptionBudgetSpec::default());
        let status = update_pdb_status(&pdb, 3, 0, 0, BTreeMap::new(), Time(0)).unwrap();
        assert_eq!(status.disruptions_allowed, 0);
        assert_eq!(status.conditions[0].reason, "InsufficientPods");
    }

    #[test]
    fn a_selector_prints_as_its_generated_string() {
        let mut selector = LabelSelector::default();
        selector.match_labels.insert("app".into(), "web".into());
        assert_eq!(
            selector_string(Some(&selector)),
            "&LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{},}"
        );
    }
}
