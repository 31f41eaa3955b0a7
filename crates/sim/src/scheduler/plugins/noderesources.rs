//! NodeResourcesFit (`noderesources/fit.go`): a pod fits a node when its requests fit in
//! what the node's allocatable leaves after the pods already there, and the node takes one
//! more pod. Its score, LeastAllocated (`least_allocated.go`), prefers the emptiest node.

use super::super::framework::{Code, NodeInfo, Resource, Status};
use crate::objects::{Container, Pod};

/// `schedutil.DefaultMilliCPURequest` and `DefaultMemoryRequest`: what a container without
/// requests counts as when scoring, so that request-less pods still spread.
pub const DEFAULT_MILLI_CPU_REQUEST: i64 = 100;
pub const DEFAULT_MEMORY_REQUEST: i64 = 200 * 1024 * 1024;
/// `framework.MaxNodeScore`.
pub const MAX_NODE_SCORE: i64 = 100;

/// One container's requests (`requests` of its resources).
pub fn container_requests(container: &Container) -> Resource {
    requests(container)
}

fn requests(container: &Container) -> Resource {
    container
        .resources
        .as_ref()
        .and_then(|r| r.get("requests"))
        .and_then(|l| l.as_object())
        .map(Resource::from_json_list)
        .unwrap_or_default()
}

/// `computePodResourceRequest` (`resourcehelper.PodRequests`): the containers' requests
/// summed, at least the largest init container's (they run one at a time, first).
pub fn pod_requests(pod: &Pod) -> Resource {
    let mut sum = Resource::default();
    for container in &pod.spec.containers {
        sum.add(&requests(container));
    }
    for container in &pod.spec.init_containers {
        sum.set_max(&requests(container));
    }
    sum
}

/// The requests with 100m CPU and 200Mi memory for each container that asks for none
/// (`GetNonzeroRequests`), which LeastAllocated scores with.
pub fn non_zero_requests(pod: &Pod) -> Resource {
    let mut sum = Resource::default();
    for container in &pod.spec.containers {
        let r = requests(container);
        sum.milli_cpu = sum.milli_cpu.saturating_add(if r.milli_cpu == 0 {
            DEFAULT_MILLI_CPU_REQUEST
        } else {
            r.milli_cpu
        });
        sum.memory = sum.memory.saturating_add(if r.memory == 0 {
            DEFAULT_MEMORY_REQUEST
        } else {
            r.memory
        });
    }
    sum
}

/// `fitsRequest`: every reason the pod does not fit, e.g. `Too many pods`,
/// `Insufficient cpu`.
pub fn insufficient_resources(request: &Resource, node: &NodeInfo) -> Vec<String> {
    let mut reasons = Vec::new();
    if node.pods as i64 + 1 > node.allocatable.allowed_pod_number {
        reasons.push("Too many pods".to_string());
    }
    if request.is_zero() {
        return reasons;
    }
    let free = |allocatable: i64, requested: i64| allocatable.saturating_sub(requested);
    if request.milli_cpu > 0
        && request.milli_cpu > free(node.allocatable.milli_cpu, node.requested.milli_cpu)
    {
        reasons.push("Insufficient cpu".to_string());
    }
    if request.memory > 0 && request.memory > free(node.allocatable.memory, node.requested.memory) {
        reasons.push("Insufficient memory".to_string());
    }
    if request.ephemeral_storage > 0
        && request.ephemeral_storage
            > free(
                node.allocatable.ephemeral_storage,
                node.requested.ephemeral_storage,
            )
    {
        reasons.push("Insufficient ephemeral-storage".to_string());
    }
    for (name, quantity) in &request.scalar_resources {
        if *quantity == 0 {
            continue;
        }
        let allocatable = node
            .allocatable
            .scalar_resources
            .get(name)
            .copied()
            .unwrap_or(0);
        let requested = node
            .requested
            .scalar_resources
            .get(name)
            .copied()
            .unwrap_or(0);
        if *quantity > free(allocatable, requested) {
            reasons.push(format!("Insufficient {name}"));
        }
    }
    reasons
}

/// The Filter: `Unschedulable` (evicting pods could make room) with every reason.
pub fn filter(request: &Resource, node: &NodeInfo) -> Option<Status> {
    let reasons = insufficient_resources(request, node);
    (!reasons.is_empty()).then_some(Status {
        code: Code::Unschedulable,
        reasons,
    })
}

/// LeastAllocated over CPU and memory, weight 1 each: the share left free after the pod,
/// 0–100.
pub fn least_allocated_score(non_zero_request: &Resource, node: &NodeInfo) -> i64 {
    let score = |requested: i64, allocatable: i64| {
        if allocatable <= 0 || requested > allocatable {
            return 0;
        }
        // i128: allocatable × 100 of a huge node must not overflow.
        ((i128::from(allocatable - requested) * i128::from(MAX_NODE_SCORE))
            / i128::from(allocatable)) as i64
    };
    let cpu = score(
        node.non_zero_requested
            .milli_cpu
            .saturating_add(non_zero_request.milli_cpu),
        node.allocatable.milli_cpu,
    );
    let memory = score(
        node.non_zero_requested
            .memory
            .saturating_add(non_zero_request.memory),
        node.allocatable.memory,
    );
    (cpu + memory) / 2
}
