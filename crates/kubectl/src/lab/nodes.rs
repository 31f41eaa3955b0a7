//! `lab-node`: the lab's own command for the cluster's machines (not a Kubernetes tool; on a
//! real cluster an administrator would provision a machine and run `kubeadm join` on it).
//! `lab-node add [COUNT]` joins COUNT more workers of the course's shape (2 CPUs, 4 GiB,
//! 110 pods), so a lesson or a benchmark can have a cluster big enough for what it runs.

use rollout_sim::cluster::{Cluster, MAX_WORKERS};

const USAGE: &str = "usage: lab-node add [COUNT]\n";

/// Runs `lab-node ARGS`: standard output, standard error and the exit status.
pub fn lab_node(cluster: &mut Cluster, args: &[String]) -> (String, String, i32) {
    let usage = |why: &str| (String::new(), format!("lab-node: {why}\n{USAGE}"), 2);
    let count = match args {
        [verb] if verb == "add" => 1,
        [verb, count] if verb == "add" => match count.parse::<usize>() {
            Ok(n) if n >= 1 => n,
            _ => return usage(&format!("invalid count: {count}")),
        },
        [] => return usage("missing command"),
        [verb, ..] if verb != "add" => return usage(&format!("unknown command: {verb}")),
        _ => return usage("too many arguments"),
    };
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
