//! `lab-node`: the lab's own command for the cluster's machines (not a Kubernetes tool; on a
//! real cluster an administrator would provision a machine and run `kubeadm join` on it, or
//! a machine would lose power or its network).
//! - `lab-node add [COUNT]` joins COUNT more workers of the course's shape (2 CPUs, 4 GiB,
//!   110 pods), so a lesson or a benchmark can have a cluster big enough for what it runs;
//! - `lab-node fail NODE` cuts a node off (its kubelet stops reporting, its pods stop
//!   answering), and `lab-node recover NODE` brings it back.

use rollout_sim::cluster::{Cluster, MAX_WORKERS};

const USAGE: &str =
    "usage: lab-node add [COUNT]\n       lab-node fail NODE\n       lab-node recover NODE\n";

/// Runs `lab-node ARGS`: standard output, standard error and the exit status.
pub fn lab_node(cluster: &mut Cluster, args: &[String]) -> (String, String, i32) {
    let usage = |why: &str| (String::new(), format!("lab-node: {why}\n{USAGE}"), 2);
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["add"] => add(cluster, 1),
        ["add", count] => match count.parse::<usize>() {
            Ok(n) if n >= 1 => add(cluster, n),
            _ => usage(&format!("invalid count: {count}")),
        },
        ["fail", node] => outage(cluster, node, true),
        ["recover", node] => outage(cluster, node, false),
        [] => usage("missing command"),
        ["add" | "fail" | "recover", ..] if words.len() > 2 => usage("too many arguments"),
        ["fail" | "recover"] => usage("missing node name"),
        [verb, ..] => usage(&format!("unknown command: {verb}")),
    }
}

fn add(cluster: &mut Cluster, count: usize) -> (String, String, i32) {
    let mut out = String::new();
    for _ in 0..count {
        match cluster.join_worker() {
            Some(name) => out.push_str(&format!("node/{name} joined the cluster\n")),
            None => {
                let err = format!("lab-node: the lab has at most {MAX_WORKERS} workers\n");
                return (out, err, 1);
            }
        }
    }
    (out, String::new(), 0)
}

fn outage(cluster: &mut Cluster, node: &str, fail: bool) -> (String, String, i32) {
    let changed = if fail {
        cluster.fail_node(node)
    } else {
        cluster.recover_node(node)
    };
    match (changed, fail) {
        (Err(_), _) => (
            String::new(),
            format!("lab-node: no node named {node:?} (see kubectl get nodes)\n"),
            1,
        ),
        (Ok(true), true) => (
            format!("node/{node} failed: its kubelet and pods are cut off from the cluster\n"),
            String::new(),
            0,
        ),
        (Ok(true), false) => (
            format!("node/{node} recovered: its kubelet reaches the API server again\n"),
            String::new(),
            0,
        ),
        (Ok(false), true) => (format!("node/{node} is already down\n"), String::new(), 0),
        (Ok(false), false) => (format!("node/{node} is not down\n"), String::new(), 0),
    }
}
