//! The machines the cluster starts with, as data: one [`NodeShape`] per worker, and what a
//! kubeadm kubelet reports about itself when it registers (allocatable from capacity, the
//! conditions of a healthy node, addresses, system info).
//!
//! The course's cluster (`COURSE_NODES`) is three small workers of 2 CPUs and 4 GiB each, as
//! a course laptop or a small cloud VM runs. A lab can be given other shapes
//! (`Cluster::with_nodes`), e.g. a benchmark sized to hold 10,000 pods.

use crate::apiserver::ApiServer;
use crate::clock::Time;
use crate::objects::{
    Node, NodeAddress, NodeCondition, NodeSpec, NodeStatus, NodeSystemInfo, Quantity, Taint,
};
use std::collections::BTreeMap;

/// One worker as it is sized and labelled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeShape {
    pub name: &'static str,
    /// `capacity.cpu`: whole CPUs.
    pub cpu: &'static str,
    /// `capacity.memory`, as the kernel reports it (a 4 GiB VM shows a little less).
    pub memory: &'static str,
    /// `capacity.ephemeral-storage`: the root file system.
    pub ephemeral_storage: &'static str,
    /// `capacity.pods`: the kubelet's `maxPods`.
    pub pods: &'static str,
    /// `(key, value, effect)`, e.g. a control-plane node's `NoSchedule` taint.
    pub taints: &'static [(&'static str, &'static str, &'static str)],
}

/// The kubelet's default `maxPods`.
pub const KUBELET_MAX_PODS: &str = "110";

/// The course cluster's workers. Pod addresses come from `10.244.<n>.0/24` and node
/// addresses are `10.0.0.10<n>`, like the course's flannel cluster.
pub const COURSE_NODES: &[NodeShape] = &[
    NodeShape::small("k8s-node01"),
    NodeShape::small("k8s-node02"),
    NodeShape::small("k8s-node03"),
];

/// The zones the workers are spread over, in turn (`topology.kubernetes.io/zone`, which a
/// cloud provider sets and topology spread constraints read): node01 in `zone-a`, node02 in
/// `zone-b`, node03 in `zone-c`, node04 in `zone-a` again.
pub const ZONES: &[&str] = &["zone-a", "zone-b", "zone-c"];

/// How many workers a lab may have: the course's three and those `lab-node add` joins.
/// Pod addresses are `10.244.<n>.0/24`, and a page drawing a hundred nodes is no longer a
/// picture of a cluster.
pub const MAX_WORKERS: usize = 100;

/// The name of the `index`-th worker (from 1), as the course's are named.
pub fn worker_name(index: usize) -> String {
    format!("k8s-node{index:02}")
}

impl NodeShape {
    /// 2 CPUs, 4 GiB of memory, a 40 GiB disk, 110 pods.
    pub const fn small(name: &'static str) -> NodeShape {
        WorkerSize::Small.shape(name)
    }
}

/// The sizes a lesson may give its workers (`settings.nodes.size`): VMs of 1, 2, 4 and 8
/// CPUs with 2 GiB of memory per CPU, their memory as the kernel reports it (a little less
/// than the VM's), and the kubelet's default `maxPods`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WorkerSize {
    Tiny,
    /// The course's workers.
    Small,
    Medium,
    Large,
}

impl WorkerSize {
    /// `(capacity.cpu, capacity.memory, capacity.ephemeral-storage)`.
    const fn capacity(self) -> (&'static str, &'static str, &'static str) {
        match self {
            WorkerSize::Tiny => ("1", "1995740Ki", "20463184Ki"),
            WorkerSize::Small => ("2", "4015592Ki", "40970464Ki"),
            WorkerSize::Medium => ("4", "8140056Ki", "81987552Ki"),
            WorkerSize::Large => ("8", "16388960Ki", "163950656Ki"),
        }
    }

    /// A worker of this size called `name`.
    pub const fn shape(self, name: &'static str) -> NodeShape {
        let (cpu, memory, ephemeral_storage) = self.capacity();
        NodeShape {
            name,
            cpu,
            memory,
            ephemeral_storage,
            pods: KUBELET_MAX_PODS,
            taints: &[],
        }
    }
}

/// kubelet defaults that turn capacity into allocatable: no `--kube-reserved` or
/// `--system-reserved`, and `--eviction-hard` of `memory.available<100Mi` and
/// `nodefs.available<10%`.
const EVICTION_HARD_MEMORY_BYTES: i64 = 100 * 1024 * 1024;
const EVICTION_HARD_NODEFS_PERCENT: i64 = 10;

/// What `uname`, `/etc/os-release` and the runtime of the course's machines say.
pub const KERNEL_VERSION: &str = "5.15.0-105-generic";
pub const OS_IMAGE: &str = "Ubuntu 22.04.4 LTS";
pub const CONTAINER_RUNTIME_VERSION: &str = "containerd://1.7.13";

/// The resources a node reports, in the order `describe node` lists them.
fn capacity(shape: &NodeShape) -> BTreeMap<String, String> {
    let canonical =
        |text: &str| Quantity::parse(text).map_or_else(|_| "0".into(), |q| q.canonical());
    BTreeMap::from([
        ("cpu".into(), canonical(shape.cpu)),
        (
            "ephemeral-storage".into(),
            canonical(shape.ephemeral_storage),
        ),
        ("hugepages-1Gi".into(), "0".into()),
        ("hugepages-2Mi".into(), "0".into()),
        ("memory".into(), canonical(shape.memory)),
        ("pods".into(), canonical(shape.pods)),
    ])
}

/// The kubelet's node allocatable: capacity less the eviction thresholds.
fn allocatable(capacity: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let bytes = |name: &str| {
        capacity
            .get(name)
            .and_then(|q| Quantity::parse(q).ok())
            .map_or(0, |q| q.value())
    };
    let mut allocatable = capacity.clone();
    let memory = bytes("memory")
        .saturating_sub(EVICTION_HARD_MEMORY_BYTES)
        .max(0);
    allocatable.insert("memory".into(), Quantity::from_bytes(memory).canonical());
    let disk = bytes("ephemeral-storage");
    let disk = disk.saturating_sub(
        disk / 100 * EVICTION_HARD_NODEFS_PERCENT + disk % 100 * EVICTION_HARD_NODEFS_PERCENT / 100,
    );
    allocatable.insert(
        "ephemeral-storage".into(),
        Quantity::from_bytes(disk.max(0)).canonical(),
    );
    allocatable
}

/// A stable hex identifier derived from the node's name (not from the cluster's RNG, whose
/// draws name the pods).
fn node_id(name: &str, salt: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut out = String::new();
    for round in 0u8..2 {
        for byte in salt.bytes().chain(name.bytes()).chain([round]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        out.push_str(&format!("{hash:016x}"));
    }
    out
}

fn uuid(hex: &str) -> String {
    let part = |r: std::ops::Range<usize>| hex.get(r).unwrap_or("");
    format!(
        "{}-{}-{}-{}-{}",
        part(0..8),
        part(8..12),
        part(12..16),
        part(16..20),
        part(20..32)
    )
}

/// The Node object a kubelet of this shape registers, `index` counting from 1.
pub(crate) fn register(
    api: &mut ApiServer,
    shape: &NodeShape,
    name: &str,
    index: usize,
    now: Time,
) -> Node {
    let mut metadata = api.new_metadata(name, "");
    for (key, value) in [
        ("beta.kubernetes.io/arch", "amd64"),
        ("beta.kubernetes.io/os", "linux"),
        ("kubernetes.io/arch", "amd64"),
        ("kubernetes.io/hostname", name),
        ("kubernetes.io/os", "linux"),
        (
            "topology.kubernetes.io/zone",
            ZONES[index.saturating_sub(1) % ZONES.len()],
        ),
    ] {
        metadata.labels.insert(key.into(), value.into());
    }
    for (key, value) in [
        (
            "kubeadm.alpha.kubernetes.io/cri-socket",
            "unix:///var/run/containerd/containerd.sock",
        ),
        ("node.alpha.kubernetes.io/ttl", "0"),
        (
            "volumes.kubernetes.io/controller-managed-attach-detach",
            "true",
        ),
    ] {
        metadata.annotations.insert(key.into(), value.into());
    }
    let pod_cidr = format!("10.244.{index}.0/24");
    let capacity = capacity(shape);
    let conditions = crate::kubelet::HEALTHY_CONDITIONS
        .iter()
        .map(|(type_, status, reason, message)| NodeCondition {
            type_: (*type_).into(),
            status: (*status).into(),
            last_heartbeat_time: Some(now),
            last_transition_time: Some(now),
            reason: (*reason).into(),
            message: (*message).into(),
        })
        .collect();
    Node {
        metadata,
        spec: NodeSpec {
            pod_cidr: pod_cidr.clone(),
            pod_cidrs: vec![pod_cidr],
            unschedulable: false,
            taints: shape
                .taints
                .iter()
                .map(|(key, value, effect)| Taint {
                    key: (*key).into(),
                    value: (*value).into(),
                    effect: (*effect).into(),
                    time_added: None,
                })
                .collect(),
        },
        status: NodeStatus {
            allocatable: allocatable(&capacity),
            capacity,
            conditions,
            addresses: vec![
                NodeAddress {
                    type_: "InternalIP".into(),
                    address: format!("10.0.0.{}", 100 + index),
                },
                NodeAddress {
                    type_: "Hostname".into(),
                    address: name.into(),
                },
            ],
            node_info: NodeSystemInfo {
                machine_id: node_id(name, "machine"),
                system_uuid: uuid(&node_id(name, "uuid")),
                boot_id: uuid(&node_id(name, "boot")),
                kernel_version: KERNEL_VERSION.into(),
                os_image: OS_IMAGE.into(),
                container_runtime_version: CONTAINER_RUNTIME_VERSION.into(),
                kubelet_version: crate::KUBERNETES_VERSION.into(),
                kube_proxy_version: crate::KUBERNETES_VERSION.into(),
                operating_system: "linux".into(),
                architecture: "amd64".into(),
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_nodes_allocatable_is_capacity_less_the_eviction_thresholds() {
        let capacity = capacity(&NodeShape::small("n"));
        assert_eq!(capacity["cpu"], "2");
        assert_eq!(capacity["memory"], "4015592Ki");
        assert_eq!(capacity["pods"], "110");
        let allocatable = allocatable(&capacity);
        assert_eq!(allocatable["memory"], "3913192Ki");
        // 40970464Ki less 10%, in bytes.
        assert_eq!(allocatable["ephemeral-storage"], "37758379623");
        assert_eq!(allocatable["cpu"], "2");
    }
}
