//! `kubectl top pod|node` (kubectl 1.30 `cmd/top`, printed by `metricsutil`'s
//! `TopCmdPrinter`): what the resource metrics API says each pod or node used over its last
//! window, CPU in millicores and memory in MiB, nodes with their share of allocatable.

use super::super::{Ctx, Flow};
use crate::args::{self, boolean, value};
use crate::error::KubectlError;
use crate::printers::tabwriter::TabWriter;
use crate::selector::Selector;
use rollout_sim::addons::metrics_server::{self, Availability, NodeMetrics, PodMetrics};
use rollout_sim::cluster::Cluster;
use rollout_sim::scheduler::framework::Resource;

const MI: i64 = 1024 * 1024;

pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    let Some((what, rest)) = argv.split_first() else {
        // `kubectl top` alone prints its help on stderr and fails (`DefaultSubCommandRun`).
        let help = crate::help::render(&["top"], ctx.columns).unwrap_or_default();
        return Err(KubectlError::Exit {
            text: help,
            status: 1,
        });
    };
    match what.as_str() {
        "pod" | "pods" | "po" => pods(ctx, rest),
        "node" | "nodes" | "no" => nodes(ctx, rest),
        _ => Err(KubectlError::usage(
            "kubectl top",
            format!("unknown command {:?}", argv.join(" ")),
        )),
    }
}

/// The API's answer before any metric is read: missing, or registered but not serving.
fn check_api(cluster: &Cluster, resource: &str) -> Result<(), KubectlError> {
    match metrics_server::availability(cluster) {
        Availability::Missing => Err(KubectlError::plain("Metrics API not available")),
        Availability::Unavailable => Err(KubectlError::Server(format!(
            "Error from server (ServiceUnavailable): the server is currently unable to handle the request (get {resource}.metrics.k8s.io)"
        ))),
        Availability::Serving { .. } => Ok(()),
    }
}

fn pods(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    let args = args::parse(
        "kubectl top pod",
        argv,
        &[
            boolean("all-namespaces", Some('A')),
            value("selector", Some('l')),
            value("field-selector", None),
            boolean("containers", None),
            value("sort-by", None),
            boolean("no-headers", None),
            boolean("sum", None),
            boolean("use-protocol-buffers", None),
        ],
    )?;
    let all = args.flag("all-namespaces");
    let namespace = args.namespace().to_string();
    let sort_by = args.value("sort-by").unwrap_or_default().to_string();
    if !sort_by.is_empty() && sort_by != "cpu" && sort_by != "memory" {
        return Err(KubectlError::plain("--sort-by accepts only cpu or memory"));
    }
    let selector = args.value("selector").map(Selector::parse).transpose()?;
    let name = args.positional.first().cloned();
    check_api(ctx.cluster, "pods")?;
    let scope = (!all).then_some(namespace.as_str());
    let mut metrics: Vec<PodMetrics> = metrics_server::pod_metrics(ctx.cluster, scope)
        .into_iter()
        .filter(|m| selector.as_ref().is_none_or(|s| s.matches(&m.labels)))
        .collect();
    if let Some(name) = &name {
        metrics.retain(|m| &m.name == name);
        if metrics.is_empty() {
            return Err(KubectlError::Server(format!(
                "Error from server (NotFound): podmetrics.metrics.k8s.io \"{namespace}/{name}\" not found"
            )));
        }
    }
    if metrics.is_empty() {
        // Pods but no metrics: they are too new to have been measured.
        let store = ctx.cluster.store();
        let any_pod = store.pods.values().any(|pod| {
            (all || pod.metadata.namespace == namespace)
                && selector
                    .as_ref()
                    .is_none_or(|s| s.matches(&pod.metadata.labels))
        });
        if any_pod {
            return Err(KubectlError::plain("metrics not available yet"));
        }
        ctx.out.stderr.push_str(&if all {
            "No resources found\n".to_string()
        } else {
            format!("No resources found in {namespace} namespace.\n")
        });
        return Ok(Flow::Done);
    }
    match sort_by.as_str() {
        "cpu" => metrics.sort_by_key(|m| std::cmp::Reverse(m.milli_cpu())),
        "memory" => metrics.sort_by_key(|m| std::cmp::Reverse(m.memory())),
        _ => metrics.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name))),
    }
    let containers = args.flag("containers");
    let mut w = TabWriter::for_get();
    if !args.flag("no-headers") {
        let mut header = String::new();
        if all {
            header.push_str("NAMESPACE\t");
        }
        if containers {
            header.push_str("POD\t");
        }
        header.push_str("NAME\tCPU(cores)\tMEMORY(bytes)\t\n");
        w.write_str(&header);
    }
    let (mut cpu_sum, mut memory_sum) = (0i64, 0i64);
    for m in &metrics {
        let prefix = if all {
            format!("{}\t", m.namespace)
        } else {
            String::new()
        };
        if containers {
            for c in &m.containers {
                w.write_str(&format!(
                    "{prefix}{}\t{}\t{}m\t{}Mi\t\n",
                    m.name,
                    c.name,
                    c.milli_cpu,
                    c.memory / MI
                ));
            }
        } else {
            w.write_str(&format!(
                "{prefix}{}\t{}m\t{}Mi\t\n",
                m.name,
                m.milli_cpu(),
                m.memory() / MI
            ));
        }
        cpu_sum = cpu_sum.saturating_add(m.milli_cpu());
        memory_sum = memory_sum.saturating_add(m.memory());
    }
    if args.flag("sum") {
        let blanks = usize::from(all) + usize::from(containers);
        let pad = "\t".repeat(blanks);
        w.write_str(&format!("{pad}\t________\t________\t\n"));
        w.write_str(&format!("{pad}\t{cpu_sum}m\t{}Mi\t\n", memory_sum / MI));
    }
    w.flush();
    ctx.out.stdout.push_str(&w.take_output());
    Ok(Flow::Done)
}

fn nodes(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    let args = args::parse(
        "kubectl top node",
        argv,
        &[
            value("selector", Some('l')),
            value("sort-by", None),
            boolean("no-headers", None),
            boolean("show-capacity", None),
            boolean("use-protocol-buffers", None),
        ],
    )?;
    let selector = args.value("selector").map(Selector::parse).transpose()?;
    let name = args.positional.first().cloned();
    check_api(ctx.cluster, "nodes")?;
    let store = ctx.cluster.store();
    let nodes: Vec<_> = store
        .nodes
        .values()
        .filter(|n| {
            selector
                .as_ref()
                .is_none_or(|s| s.matches(&n.metadata.labels))
        })
        .filter(|n| name.as_ref().is_none_or(|name| &n.metadata.name == name))
        .collect();
    if let Some(name) = &name {
        if nodes.is_empty() {
            return Err(KubectlError::Server(format!(
                "Error from server (NotFound): nodes \"{name}\" not found"
            )));
        }
    }
    let mut metrics: Vec<NodeMetrics> = metrics_server::node_metrics(ctx.cluster)
        .into_iter()
        .filter(|m| nodes.iter().any(|n| n.metadata.name == m.name))
        .collect();
    if metrics.is_empty() {
        return Err(KubectlError::plain("metrics not available yet"));
    }
    match args.value("sort-by") {
        Some("cpu") => metrics.sort_by_key(|m| std::cmp::Reverse(m.milli_cpu)),
        Some("memory") => metrics.sort_by_key(|m| std::cmp::Reverse(m.memory)),
        _ => metrics.sort_by(|a, b| a.name.cmp(&b.name)),
    }
    let mut w = TabWriter::for_get();
    if !args.flag("no-headers") {
        w.write_str("NAME\tCPU(cores)\tCPU%\tMEMORY(bytes)\tMEMORY%\t\n");
    }
    let capacity = args.flag("show-capacity");
    for m in &metrics {
        let Some(node) = nodes.iter().find(|n| n.metadata.name == m.name) else {
            continue;
        };
        let available = Resource::from_node_list(if capacity {
            &node.status.capacity
        } else {
            &node.status.allocatable
        });
        let percent = |used: i64, of: i64| {
            if of <= 0 {
                0
            } else {
                (used as f64 / of as f64 * 100.0) as i64
            }
        };
        w.write_str(&format!(
            "{}\t{}m\t{}%\t{}Mi\t{}%\t\n",
            m.name,
            m.milli_cpu,
            percent(m.milli_cpu, available.milli_cpu),
            m.memory / MI,
            percent(m.memory, available.memory),
        ));
    }
    // Nodes the API has no metrics for (their kubelet does not answer).
    for node in &nodes {
        if !metrics.iter().any(|m| m.name == node.metadata.name) {
            w.write_str(&format!(
                "{}\t<unknown>\t<unknown>\t<unknown>\t<unknown>\t\n",
                node.metadata.name
            ));
        }
    }
    w.flush();
    ctx.out.stdout.push_str(&w.take_output());
    Ok(Flow::Done)
}
