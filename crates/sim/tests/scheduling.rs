//! kube-scheduler's filters on the lab's nodes, end to end: requests against allocatable,
//! the pod count, cordoned nodes, taints, node selectors and affinity; the FailedScheduling
//! event and PodScheduled condition of a pod that fits nowhere; scheduling once room
//! appears; and the property that no node is ever given more than its allocatable.
//!
//! Issue #12 ("Nodes and scheduling").

use rollout_sim::api::validate_create;
use rollout_sim::clock::Duration;
use rollout_sim::cluster::{Cluster, NodeShape};
use rollout_sim::manifest::{apply_defaults, parse_manifests};
use rollout_sim::objects::{ConditionStatus, Kind, Pod, PodConditionType, Quantity};
use rollout_sim::rng::Rng;
use rollout_sim::scheduler::plugins::noderesources::pod_requests;
use std::collections::BTreeMap;

/// Decodes, defaults, validates and applies `yaml`, as `kubectl apply` does.
fn apply(cluster: &mut Cluster, yaml: &str) -> Result<(), String> {
    for result in parse_manifests(yaml, "test.yaml") {
        let mut object = result.map_err(|e| e.to_string())?;
        if object.metadata().namespace.is_empty() {
            object.metadata_mut().namespace = "default".into();
        }
        apply_defaults(&mut object);
        validate_create(&object).map_err(|e| e.to_string())?;
        cluster.apply(object).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn deployment(name: &str, replicas: usize, resources: &str, extra_spec: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
{extra_spec}      containers:
      - name: app
        image: ikubernetes/demoapp:v1.0
        resources: {resources}
"
    )
}

fn pods(cluster: &Cluster) -> Vec<&Pod> {
    cluster.store().pods.values().map(|p| p.as_ref()).collect()
}

fn pending(cluster: &Cluster) -> Vec<&Pod> {
    pods(cluster)
        .into_iter()
        .filter(|p| p.spec.node_name.is_empty())
        .collect()
}

fn failed_scheduling(cluster: &Cluster, pod: &Pod) -> Vec<String> {
    cluster
        .events()
        .iter()
        .filter(|e| e.involved_object.uid == pod.metadata.uid && e.reason == "FailedScheduling")
        .map(|e| e.message.clone())
        .collect()
}

const INSUFFICIENT_CPU: &str = "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..";

#[test]
fn a_pod_that_fits_nowhere_stays_pending_with_kube_schedulers_event_and_condition() {
    let mut cluster = Cluster::new(1);
    apply(
        &mut cluster,
        &deployment("big", 1, "{requests: {cpu: 3}}", ""),
    )
    .unwrap();
    cluster.advance(Duration::from_secs(5));
    let waiting = pending(&cluster);
    assert_eq!(waiting.len(), 1);
    let pod = waiting[0];
    assert_eq!(failed_scheduling(&cluster, pod), [INSUFFICIENT_CPU]);
    let condition = pod
        .status
        .conditions
        .iter()
        .find(|c| c.type_ == PodConditionType::PodScheduled)
        .unwrap();
    assert_eq!(condition.status, ConditionStatus::False);
    assert_eq!(condition.reason.as_deref(), Some("Unschedulable"));
    assert_eq!(condition.message.as_deref(), Some(INSUFFICIENT_CPU));
}

#[test]
fn a_pending_pod_is_scheduled_when_a_pod_leaves_and_frees_room() {
    let mut cluster = Cluster::new(2);
    // 1.5 CPU each: one per 2-CPU node, the fourth waits.
    apply(
        &mut cluster,
        &deployment("web", 4, "{requests: {cpu: 1500m}}", ""),
    )
    .unwrap();
    cluster.advance(Duration::from_secs(5));
    assert_eq!(pending(&cluster).len(), 1);
    apply(
        &mut cluster,
        &deployment("web", 3, "{requests: {cpu: 1500m}}", ""),
    )
    .unwrap();
    cluster.advance(Duration::from_secs(5));
    // Scaling down deletes the pending pod first (unscheduled pods go first).
    assert_eq!(pending(&cluster).len(), 0);
    assert_eq!(pods(&cluster).len(), 3);

    apply(
        &mut cluster,
        &deployment("other", 1, "{requests: {cpu: 1}}", ""),
    )
    .unwrap();
    cluster.advance(Duration::from_secs(5));
    let waiting: Vec<String> = pending(&cluster)
        .iter()
        .map(|p| p.metadata.name.clone())
        .collect();
    assert_eq!(waiting.len(), 1);
    apply(
        &mut cluster,
        &deployment("web", 2, "{requests: {cpu: 1500m}}", ""),
    )
    .unwrap();
    // The web pod terminates (30 s grace at most), then the other pod fits.
    cluster.advance(Duration::from_secs(40));
    assert!(pending(&cluster).is_empty(), "{waiting:?} still pending");
}

#[test]
fn a_kubelet_takes_110_pods_and_the_rest_wait_with_too_many_pods() {
    let mut cluster = Cluster::new(3);
    apply(&mut cluster, &deployment("many", 400, "{}", "")).unwrap();
    cluster.advance(Duration::from_secs(60));
    let placed = pods(&cluster).len() - pending(&cluster).len();
    assert_eq!(placed, 330);
    assert_eq!(pending(&cluster).len(), 70);
    let pod = pending(&cluster)[0];
    assert_eq!(
        failed_scheduling(&cluster, pod),
        ["0/3 nodes are available: 3 Too many pods. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.."]
    );
}

#[test]
fn cordoned_nodes_take_no_new_pods_and_uncordoning_lets_them_in() {
    let mut cluster = Cluster::new(4);
    for node in ["k8s-node01", "k8s-node02", "k8s-node03"] {
        assert_eq!(cluster.set_unschedulable(node, true), Ok(true));
    }
    assert_eq!(cluster.set_unschedulable("k8s-node01", true), Ok(false));
    apply(&mut cluster, &deployment("web", 1, "{}", "")).unwrap();
    let pod = pending(&cluster)[0].clone();
    assert_eq!(
        failed_scheduling(&cluster, &pod),
        ["0/3 nodes are available: 3 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.."]
    );
    assert!(cluster.set_unschedulable("k8s-node02", false).unwrap());
    let placed = &cluster.store().pods.values().next().unwrap().spec.node_name;
    assert_eq!(placed, "k8s-node02");
    assert!(cluster.set_unschedulable("nope", true).is_err());
}

#[test]
fn node_selectors_affinity_and_taints_keep_pods_off_nodes_with_upstreams_reasons() {
    let mut cluster = Cluster::new(5);
    let selector = "      nodeSelector:\n        kubernetes.io/hostname: k8s-node02\n";
    apply(&mut cluster, &deployment("pinned", 3, "{}", selector)).unwrap();
    assert!(pods(&cluster)
        .iter()
        .all(|p| p.spec.node_name == "k8s-node02"));

    let affinity = "      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions:
              - {key: disktype, operator: In, values: [ssd]}
";
    apply(&mut cluster, &deployment("ssd", 1, "{}", affinity)).unwrap();
    let pod = pending(&cluster)[0].clone();
    assert_eq!(
        failed_scheduling(&cluster, &pod),
        ["0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.."]
    );

    const TAINTED: &[NodeShape] = &[
        NodeShape {
            taints: &[("dedicated", "gpu", "NoSchedule")],
            ..NodeShape::small("gpu01")
        },
        NodeShape::small("small01"),
    ];
    let mut cluster = Cluster::with_nodes(6, TAINTED);
    apply(
        &mut cluster,
        &deployment("fat", 1, "{requests: {memory: 8Gi}}", ""),
    )
    .unwrap();
    let pod = pending(&cluster)[0].clone();
    assert_eq!(
        failed_scheduling(&cluster, &pod),
        ["0/2 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.."]
    );
    let tolerant = "      tolerations:\n      - {key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}\n";
    apply(&mut cluster, &deployment("tolerant", 2, "{}", tolerant)).unwrap();
    let tolerant_nodes: Vec<&str> = pods(&cluster)
        .into_iter()
        .filter(|p| {
            p.metadata
                .labels
                .get("app")
                .is_some_and(|a| a == "tolerant")
        })
        .map(|p| p.spec.node_name.as_str())
        .collect();
    assert_eq!(tolerant_nodes.len(), 2);
    assert!(tolerant_nodes.contains(&"gpu01"));
}

#[test]
fn absurd_requests_are_pending_not_frozen() {
    let mut cluster = Cluster::new(7);
    apply(
        &mut cluster,
        &deployment(
            "absurd",
            5,
            "{requests: {cpu: 1e18, memory: \"1e999\"}}",
            "",
        ),
    )
    .unwrap();
    cluster.advance(Duration::from_secs(30));
    assert_eq!(pending(&cluster).len(), 5);
    let pod = pending(&cluster)[0];
    assert_eq!(
        failed_scheduling(&cluster, pod),
        ["0/3 nodes are available: 3 Insufficient cpu, 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.."]
    );
}

#[test]
fn requests_are_stored_canonically_and_validated_as_the_api_server_does() {
    let mut cluster = Cluster::new(8);
    apply(
        &mut cluster,
        &deployment(
            "web",
            1,
            "{requests: {cpu: 0.5, memory: 1024Mi}, limits: {cpu: 1.5}}",
            "",
        ),
    )
    .unwrap();
    let pod = pods(&cluster)[0];
    let resources = pod.spec.containers[0].resources.as_ref().unwrap();
    assert_eq!(resources["requests"]["cpu"], "500m");
    assert_eq!(resources["requests"]["memory"], "1Gi");
    assert_eq!(resources["limits"]["cpu"], "1500m");

    let err = apply(
        &mut cluster,
        &deployment("bad", 1, "{requests: {cpu: 2}, limits: {cpu: 1}}", ""),
    )
    .unwrap_err();
    assert!(
        err.contains("spec.template.spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1"),
        "{err}"
    );
    let err = apply(
        &mut cluster,
        &deployment("bad", 1, "{requests: {cpu: -1}}", ""),
    )
    .unwrap_err();
    assert!(
        err.contains(
            "resources.requests[cpu]: Invalid value: \"-1\": must be greater than or equal to 0"
        ),
        "{err}"
    );
    let err = apply(
        &mut cluster,
        &deployment("bad", 1, "{requests: {cpu: lots}}", ""),
    )
    .unwrap_err();
    assert!(
        err.contains("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
        "{err}"
    );
    let err = apply(
        &mut cluster,
        &deployment("bad", 1, "{requests: {gpu: 1}}", ""),
    )
    .unwrap_err();
    assert!(
        err.contains("resources.requests[gpu]: Invalid value: \"gpu\": must be a standard resource for containers"),
        "{err}"
    );
}

/// A small deterministic generator: the cluster's own SplitMix64, seeded apart from it.
struct Gen(Rng);

impl Gen {
    fn below(&mut self, n: u64) -> u64 {
        self.0.below(n.max(1))
    }
}

/// No node is ever given more pods than its `pods`, nor more requests than its allocatable,
/// whatever is applied, scaled, rolled or deleted (issue #12's property).
#[test]
fn no_node_is_ever_given_more_than_its_allocatable_or_its_pod_count() {
    let cpus = ["0", "100m", "250m", "500m", "1", "1500m", "2", "3"];
    let memories = ["0", "64Mi", "256Mi", "1Gi", "2Gi", "5Gi"];
    for seed in 1..=12u64 {
        let mut g = Gen(Rng::new(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15)));
        let mut cluster = Cluster::new(seed);
        for _ in 0..25 {
            let name = ["a", "b", "c", "d"][g.below(4) as usize];
            let resources = format!(
                "{{requests: {{cpu: \"{}\", memory: \"{}\"}}}}",
                cpus[g.below(cpus.len() as u64) as usize],
                memories[g.below(memories.len() as u64) as usize]
            );
            let replicas = g.below(60) as usize;
            match g.below(5) {
                0 => {
                    let _ = cluster.delete(Kind::Deployment, "default", name);
                }
                1 => {
                    let node = ["k8s-node01", "k8s-node02", "k8s-node03"][g.below(3) as usize];
                    let _ = cluster.set_unschedulable(node, g.below(2) == 0);
                }
                _ => {
                    let _ = apply(&mut cluster, &deployment(name, replicas, &resources, ""));
                }
            }
            cluster.advance(Duration::from_millis(g.below(20_000) as i64));
            check_room(&cluster, seed);
        }
    }
}

fn check_room(cluster: &Cluster, seed: u64) {
    let mut per_node: BTreeMap<&str, (i64, i64, i64)> = BTreeMap::new();
    for pod in pods(cluster) {
        if pod.spec.node_name.is_empty() {
            continue;
        }
        let r = pod_requests(pod);
        let entry = per_node.entry(pod.spec.node_name.as_str()).or_default();
        entry.0 += 1;
        entry.1 += r.milli_cpu;
        entry.2 += r.memory;
    }
    for (name, (count, cpu, memory)) in per_node {
        let node = &cluster.store().nodes[name];
        let allocatable = |r: &str| Quantity::parse(&node.status.allocatable[r]).unwrap();
        assert!(
            count <= allocatable("pods").value(),
            "seed {seed}: {name} has {count} pods"
        );
        assert!(
            cpu <= allocatable("cpu").milli_value(),
            "seed {seed}: {name} cpu {cpu}m"
        );
        assert!(
            memory <= allocatable("memory").value(),
            "seed {seed}: {name} memory {memory}"
        );
    }
}
