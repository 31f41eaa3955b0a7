//! What kubectl computes from a pod's resources (`k8s.io/kubectl/pkg/util/resource`,
//! `pkg/util/qos`): its requests and limits summed, and its QoS class.

use rollout_sim::objects::quantity::{quantity_of_json, QuantityFormat};
use rollout_sim::objects::{Container, Pod, Quantity};
use std::collections::BTreeMap;

/// Quantities by resource name, summed in milli-units; each keeps the format of the first
/// quantity added (`Quantity.Add`).
#[derive(Clone, Debug, Default)]
pub struct ResourceList(BTreeMap<String, (QuantityFormat, i64)>);

impl ResourceList {
    fn of(container: &Container, which: &str) -> ResourceList {
        let mut list = ResourceList::default();
        let entries = container
            .resources
            .as_ref()
            .and_then(|r| r.get(which))
            .and_then(|l| l.as_object());
        for (name, value) in entries.into_iter().flatten() {
            if let Ok(q) = quantity_of_json(value) {
                list.add_one(name, q.format(), q.milli_value());
            }
        }
        list
    }

    fn add_one(&mut self, name: &str, format: QuantityFormat, milli: i64) {
        let entry = self.0.entry(name.to_string()).or_insert((format, 0));
        entry.1 = entry.1.saturating_add(milli);
    }

    pub fn add(&mut self, other: &ResourceList) {
        for (name, (format, milli)) in &other.0 {
            self.add_one(name, *format, *milli);
        }
    }

    /// Each resource the larger of the two (`maxResourceList`).
    fn set_max(&mut self, other: &ResourceList) {
        for (name, (format, milli)) in &other.0 {
            let entry = self.0.entry(name.clone()).or_insert((*format, 0));
            entry.1 = entry.1.max(*milli);
        }
    }

    /// The sum for `name` (zero when absent), as a quantity.
    pub fn get(&self, name: &str) -> Quantity {
        self.0.get(name).map_or_else(
            || Quantity::from_units(0),
            |(format, milli)| Quantity::from_milli_in(*milli, *format),
        )
    }

    /// Milli-units of `name`.
    pub fn milli(&self, name: &str) -> i64 {
        self.0.get(name).map_or(0, |(_, milli)| *milli)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }
}

/// `PodRequestsAndLimits`: the containers' sums, at least each init container's.
pub fn pod_requests_and_limits(pod: &Pod) -> (ResourceList, ResourceList) {
    let (mut requests, mut limits) = (ResourceList::default(), ResourceList::default());
    for container in &pod.spec.containers {
        requests.add(&ResourceList::of(container, "requests"));
        limits.add(&ResourceList::of(container, "limits"));
    }
    for container in &pod.spec.init_containers {
        requests.set_max(&ResourceList::of(container, "requests"));
        limits.set_max(&ResourceList::of(container, "limits"));
    }
    (requests, limits)
}

/// `qos.GetPodQOS`: `Guaranteed` when every container limits CPU and memory and requests
/// what it limits, `BestEffort` when nothing is requested or limited, else `Burstable`.
pub fn qos_class(pod: &Pod) -> &'static str {
    let mut requests = ResourceList::default();
    let mut limits = ResourceList::default();
    let mut guaranteed = true;
    for container in pod.spec.containers.iter().chain(&pod.spec.init_containers) {
        let (r, l) = (
            ResourceList::of(container, "requests"),
            ResourceList::of(container, "limits"),
        );
        for name in ["cpu", "memory"] {
            if r.milli(name) != 0 {
                requests.add_one(name, QuantityFormat::DecimalSi, r.milli(name));
            }
            if l.milli(name) != 0 {
                limits.add_one(name, QuantityFormat::DecimalSi, l.milli(name));
            }
        }
        if !(l.milli("cpu") != 0 && l.milli("memory") != 0) {
            guaranteed = false;
        }
    }
    if requests.0.is_empty() && limits.0.is_empty() {
        return "BestEffort";
    }
    let same = requests
        .0
        .iter()
        .all(|(name, (_, milli))| limits.contains(name) && limits.milli(name) == *milli);
    if guaranteed && same && requests.0.len() == limits.0.len() {
        "Guaranteed"
    } else {
        "Burstable"
    }
}
