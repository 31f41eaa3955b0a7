//! The scheduling framework's types (`pkg/scheduler/framework`): a node's aggregated state
//! (`NodeInfo`), resource sums (`Resource`), a plugin's verdict (`Status`), and why a pod fits
//! nowhere (`Diagnosis`, `FitError`), whose text is the `FailedScheduling` event's.

use crate::objects::{Node, Quantity};
use std::collections::BTreeMap;

/// `framework.Resource`: CPU in millicores, memory and ephemeral storage in bytes, the pod
/// count, and any other resource (`hugepages-2Mi`, `example.com/gpu`) by name. Sums saturate,
/// so absurd requests (`1e18` CPUs) compare as huge, never wrap.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resource {
    pub milli_cpu: i64,
    pub memory: i64,
    pub ephemeral_storage: i64,
    pub allowed_pod_number: i64,
    pub scalar_resources: BTreeMap<String, i64>,
}

impl Resource {
    /// A `ResourceList` as the API stores it in a pod (`{"cpu": "500m", …}`); what is not a
    /// quantity counts as nothing.
    pub fn from_json_list(list: &serde_json::Map<String, serde_json::Value>) -> Resource {
        let mut r = Resource::default();
        for (name, value) in list {
            if let Ok(q) = crate::objects::quantity::quantity_of_json(value) {
                r.add_one(name, &q);
            }
        }
        r
    }

    /// A node's capacity or allocatable.
    pub fn from_node_list(list: &BTreeMap<String, String>) -> Resource {
        let mut r = Resource::default();
        for (name, value) in list {
            if let Ok(q) = Quantity::parse(value) {
                r.add_one(name, &q);
            }
        }
        r
    }

    fn add_one(&mut self, name: &str, q: &Quantity) {
        match name {
            "cpu" => self.milli_cpu = self.milli_cpu.saturating_add(q.milli_value()),
            "memory" => self.memory = self.memory.saturating_add(q.value()),
            "ephemeral-storage" => {
                self.ephemeral_storage = self.ephemeral_storage.saturating_add(q.value())
            }
            "pods" => self.allowed_pod_number = self.allowed_pod_number.saturating_add(q.value()),
            other => {
                let v = self.scalar_resources.entry(other.to_string()).or_default();
                *v = v.saturating_add(q.value());
            }
        }
    }

    pub fn add(&mut self, other: &Resource) {
        self.milli_cpu = self.milli_cpu.saturating_add(other.milli_cpu);
        self.memory = self.memory.saturating_add(other.memory);
        self.ephemeral_storage = self
            .ephemeral_storage
            .saturating_add(other.ephemeral_storage);
        for (name, v) in &other.scalar_resources {
            let mine = self.scalar_resources.entry(name.clone()).or_default();
            *mine = mine.saturating_add(*v);
        }
    }

    /// `SetMaxResource`: each resource the larger of the two (init containers run alone).
    pub fn set_max(&mut self, other: &Resource) {
        self.milli_cpu = self.milli_cpu.max(other.milli_cpu);
        self.memory = self.memory.max(other.memory);
        self.ephemeral_storage = self.ephemeral_storage.max(other.ephemeral_storage);
        for (name, v) in &other.scalar_resources {
            let mine = self.scalar_resources.entry(name.clone()).or_default();
            *mine = (*mine).max(*v);
        }
    }

    pub fn is_zero(&self) -> bool {
        self.milli_cpu == 0
            && self.memory == 0
            && self.ephemeral_storage == 0
            && self.scalar_resources.values().all(|v| *v == 0)
    }
}

/// `framework.NodeInfo`: a node and what the pods assigned to it request.
#[derive(Clone, Debug)]
pub struct NodeInfo<'a> {
    pub node: &'a Node,
    /// Pods bound here and not finished (terminating pods still hold their room).
    pub pods: usize,
    /// Those pods (PodTopologySpread counts them by label).
    pub pod_list: Vec<&'a crate::objects::Pod>,
    pub requested: Resource,
    /// Requests with a floor per container (100m CPU, 200Mi), for scoring only.
    pub non_zero_requested: Resource,
    pub allocatable: Resource,
}

impl<'a> NodeInfo<'a> {
    pub fn new(node: &'a Node) -> NodeInfo<'a> {
        NodeInfo {
            node,
            pods: 0,
            pod_list: Vec::new(),
            requested: Resource::default(),
            non_zero_requested: Resource::default(),
            allocatable: Resource::from_node_list(&node.status.allocatable),
        }
    }

    pub fn name(&self) -> &'a str {
        &self.node.metadata.name
    }
}

/// A plugin's verdict on one node (`framework.Code`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// Could fit if other pods went away: preemption may help.
    Unschedulable,
    /// Will not fit whatever is removed (a taint, a selector, a cordon).
    UnschedulableAndUnresolvable,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    pub code: Code,
    pub reasons: Vec<String>,
}

impl Status {
    pub fn new(code: Code, reason: impl Into<String>) -> Status {
        Status {
            code,
            reasons: vec![reason.into()],
        }
    }
}

/// `NoNodeAvailableMsg`.
const NO_NODE_AVAILABLE: &str = "nodes are available";
/// `ErrNoNodesAvailable`: a cluster without nodes.
pub const NO_NODES_AVAILABLE: &str = "no nodes available to schedule pods";
/// What the default preemption plugin says of a node where evicting pods would not help, and
/// of one where no pod of lower priority could be evicted (the lab's pods all have
/// priority 0).
const PREEMPTION_NOT_HELPFUL: &str = "Preemption is not helpful for scheduling";
const NO_PREEMPTION_VICTIMS: &str = "No preemption victims found for incoming pod";

/// Why each node refused the pod.
#[derive(Clone, Debug, Default)]
pub struct Diagnosis {
    pub node_to_status: BTreeMap<String, Status>,
}

/// `framework.FitError`, after the preemption post-filter ran: its `Error()` is the event's
/// message and the PodScheduled condition's.
#[derive(Clone, Debug)]
pub struct FitError {
    pub num_all_nodes: usize,
    pub diagnosis: Diagnosis,
}

/// "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu." — reasons
/// counted over nodes, as sorted strings.
fn histogram<'a>(num_all_nodes: usize, reasons: impl Iterator<Item = &'a str>) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for reason in reasons {
        *counts.entry(reason).or_default() += 1;
    }
    let mut parts: Vec<String> = counts
        .iter()
        .map(|(reason, n)| format!("{n} {reason}"))
        .collect();
    parts.sort();
    let mut message = format!("0/{num_all_nodes} {NO_NODE_AVAILABLE}:");
    if !parts.is_empty() {
        message.push_str(&format!(" {}.", parts.join(", ")));
    }
    message
}

impl std::fmt::Display for FitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.num_all_nodes == 0 {
            return f.write_str(NO_NODES_AVAILABLE);
        }
        let filters = histogram(
            self.num_all_nodes,
            self.diagnosis
                .node_to_status
                .values()
                .flat_map(|s| s.reasons.iter().map(String::as_str)),
        );
        // DefaultPreemption's PostFilter: no pod has a lower priority to evict.
        let preemption = histogram(
            self.num_all_nodes,
            self.diagnosis
                .node_to_status
                .values()
                .map(|s| match s.code {
                    Code::UnschedulableAndUnresolvable => PREEMPTION_NOT_HELPFUL,
                    Code::Unschedulable => NO_PREEMPTION_VICTIMS,
                }),
        );
        // FitError.Error() appends " %v." to the post-filter's message, which already ends
        // with a full stop: kube-scheduler prints "..".
        write!(f, "{filters} preemption: {preemption}.")
    }
}
