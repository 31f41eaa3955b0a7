//! `kubectl describe node` (describe.go `describeNode`, `describeNodeResource`): the node as
//! its kubelet reports it, then the pods on it with their requests and limits against its
//! allocatable, and its events.

use super::resources::pod_requests_and_limits;
use super::{
    describe_events, print_annotations_multiline, print_labels_multiline, PrefixWriter, LEVEL_0,
    LEVEL_1,
};
use crate::printers::duration::{rfc1123z, translate_timestamp_since};
use crate::printers::kinds::node_roles;
use rollout_sim::clock::Time;
use rollout_sim::objects::{Event, Node, Pod, Quantity, Taint};

/// What `kubectl describe node` prints of the node's Lease (`kube-node-lease/NAME`): the
/// kubelet holds it and renews it every 10 s (`nodeLeaseRenewIntervalFraction` × 40 s).
pub const NODE_LEASE_RENEW_SECONDS: i64 =
    rollout_sim::controller::node_lifecycle::LEASE_RENEW_INTERVAL.0 / 1000;

/// When the kubelet last renewed its lease: the last multiple of the renew interval since
/// the node registered, up to `heard` (the last time the kubelet reached the API server).
pub fn lease_renew_time(node: &Node, heard: Time) -> Time {
    let start = node.metadata.creation_timestamp.unwrap_or(heard);
    let interval = NODE_LEASE_RENEW_SECONDS * 1000;
    let since = (heard.0 - start.0).max(0);
    Time(start.0 + since / interval * interval)
}

/// Describes `node`; `pods` are the pods bound to it, in the API's order; `events` are the
/// node's events; `heard` is the last time its kubelet reached the API server.
pub fn describe_node(
    node: &Node,
    pods: &[&Pod],
    events: &[Event],
    now: Time,
    heard: Time,
) -> String {
    let mut w = PrefixWriter::aligned();
    w.write(LEVEL_0, &format!("Name:\t{}\n", node.metadata.name));
    w.write(LEVEL_0, &format!("Roles:\t{}\n", node_roles(node)));
    print_labels_multiline(&mut w, "Labels", &node.metadata.labels);
    print_annotations_multiline(&mut w, "Annotations", &node.metadata.annotations);
    w.write(
        LEVEL_0,
        &format!(
            "CreationTimestamp:\t{}\n",
            rfc1123z(node.metadata.creation_timestamp)
        ),
    );
    print_taints(&mut w, &node.spec.taints);
    w.write(
        LEVEL_0,
        &format!("Unschedulable:\t{}\n", node.spec.unschedulable),
    );
    w.write(LEVEL_0, "Lease:\n");
    w.write(
        LEVEL_1,
        &format!("HolderIdentity:\t{}\n", node.metadata.name),
    );
    w.write(LEVEL_1, "AcquireTime:\t<unset>\n");
    w.write(
        LEVEL_1,
        &format!(
            "RenewTime:\t{}\n",
            rfc1123z(Some(lease_renew_time(node, heard)))
        ),
    );
    if !node.status.conditions.is_empty() {
        w.write(
            LEVEL_0,
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
        );
        w.write(
            LEVEL_1,
            "----\t------\t-----------------\t------------------\t------\t-------\n",
        );
        for c in &node.status.conditions {
            w.write(
                LEVEL_1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}\n",
                    c.type_,
                    c.status,
                    rfc1123z(c.last_heartbeat_time),
                    rfc1123z(c.last_transition_time),
                    c.reason,
                    c.message
                ),
            );
        }
    }
    w.write(LEVEL_0, "Addresses:\n");
    for address in &node.status.addresses {
        w.write(
            LEVEL_1,
            &format!("{}:\t{}\n", address.type_, address.address),
        );
    }
    for (title, list) in [
        ("Capacity", &node.status.capacity),
        ("Allocatable", &node.status.allocatable),
    ] {
        if !list.is_empty() {
            w.write(LEVEL_0, &format!("{title}:\n"));
            for (name, value) in list {
                w.write(LEVEL_0, &format!("  {name}:\t{value}\n"));
            }
        }
    }
    let info = &node.status.node_info;
    w.write(LEVEL_0, "System Info:\n");
    for (label, value) in [
        ("Machine ID", &info.machine_id),
        ("System UUID", &info.system_uuid),
        ("Boot ID", &info.boot_id),
        ("Kernel Version", &info.kernel_version),
        ("OS Image", &info.os_image),
        ("Operating System", &info.operating_system),
        ("Architecture", &info.architecture),
        ("Container Runtime Version", &info.container_runtime_version),
        ("Kubelet Version", &info.kubelet_version),
        ("Kube-Proxy Version", &info.kube_proxy_version),
    ] {
        w.write(LEVEL_0, &format!("  {label}:\t{value}\n"));
    }
    if !node.spec.pod_cidr.is_empty() {
        w.write(LEVEL_0, &format!("PodCIDR:\t{}\n", node.spec.pod_cidr));
    }
    if !node.spec.pod_cidrs.is_empty() {
        w.write(
            LEVEL_0,
            &format!("PodCIDRs:\t{}\n", node.spec.pod_cidrs.join(",")),
        );
    }
    describe_node_resource(&mut w, node, pods, now);
    describe_events(&mut w, events, now);
    w.finish()
}

/// `printNodeTaintsMultiline`: sorted by effect, then key.
fn print_taints(w: &mut PrefixWriter, taints: &[Taint]) {
    w.write(LEVEL_0, "Taints:\t");
    if taints.is_empty() {
        w.write_line("<none>");
        return;
    }
    let mut sorted: Vec<&Taint> = taints.iter().collect();
    sorted.sort_by_key(|t| format!("{},{}", t.effect, t.key));
    for (i, taint) in sorted.iter().enumerate() {
        if i != 0 {
            w.write(LEVEL_0, "\t");
        }
        w.write(LEVEL_0, &format!("{}\n", taint.to_kubectl_string()));
    }
}

/// `int64(float64(part) / float64(whole) * 100)`.
fn percent(part: i64, whole: i64) -> i64 {
    if whole == 0 {
        return 0;
    }
    (part as f64 / whole as f64 * 100.0) as i64
}

fn allocatable(node: &Node, name: &str) -> Quantity {
    let list = if node.status.allocatable.is_empty() {
        &node.status.capacity
    } else {
        &node.status.allocatable
    };
    list.get(name)
        .and_then(|q| Quantity::parse(q).ok())
        .unwrap_or_else(|| Quantity::from_units(0))
}

/// `describeNodeResource`.
fn describe_node_resource(w: &mut PrefixWriter, node: &Node, pods: &[&Pod], now: Time) {
    w.write(
        LEVEL_0,
        &format!("Non-terminated Pods:\t({} in total)\n", pods.len()),
    );
    w.write(
        LEVEL_1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    w.write(
        LEVEL_1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    );
    let cpu = allocatable(node, "cpu").milli_value();
    let memory = allocatable(node, "memory").value();
    let storage = allocatable(node, "ephemeral-storage").value();
    let (mut total_requests, mut total_limits) = (
        super::resources::ResourceList::default(),
        super::resources::ResourceList::default(),
    );
    for pod in pods {
        let (requests, limits) = pod_requests_and_limits(pod);
        let cell = |list: &super::resources::ResourceList, name: &str, whole: i64| {
            let q = list.get(name);
            let part = if name == "cpu" {
                q.milli_value()
            } else {
                q.value()
            };
            format!("{} ({}%)", q, percent(part, whole))
        };
        w.write(
            LEVEL_1,
            &format!(
                "{}\t{}\t\t{}\t{}\t{}\t{}\t{}\n",
                pod.metadata.namespace,
                pod.metadata.name,
                cell(&requests, "cpu", cpu),
                cell(&limits, "cpu", cpu),
                cell(&requests, "memory", memory),
                cell(&limits, "memory", memory),
                translate_timestamp_since(pod.metadata.creation_timestamp, now)
            ),
        );
        total_requests.add(&requests);
        total_limits.add(&limits);
    }
    w.write(
        LEVEL_0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    w.write(LEVEL_1, "Resource\tRequests\tLimits\n");
    w.write(LEVEL_1, "--------\t--------\t------\n");
    let row = |name: &str, whole: i64, milli: bool| {
        let part = |q: &Quantity| if milli { q.milli_value() } else { q.value() };
        let (r, l) = (total_requests.get(name), total_limits.get(name));
        format!(
            "{name}\t{r} ({}%)\t{l} ({}%)\n",
            percent(part(&r), whole),
            percent(part(&l), whole)
        )
    };
    w.write(LEVEL_1, &row("cpu", cpu, true));
    w.write(LEVEL_1, &row("memory", memory, false));
    w.write(LEVEL_1, &row("ephemeral-storage", storage, false));
    let list = if node.status.allocatable.is_empty() {
        &node.status.capacity
    } else {
        &node.status.allocatable
    };
    for name in list.keys().filter(|n| n.starts_with("hugepages-")) {
        w.write(LEVEL_1, &row(name, allocatable(node, name).value(), false));
    }
    let standard = |n: &str| {
        matches!(n, "cpu" | "memory" | "ephemeral-storage" | "pods") || n.starts_with("hugepages-")
    };
    for name in list.keys().filter(|n| !standard(n)) {
        w.write(
            LEVEL_1,
            &format!(
                "{name}\t{}\t{}\n",
                total_requests.get(name),
                total_limits.get(name)
            ),
        );
    }
}
