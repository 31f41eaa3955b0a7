//! A complete rolling update of 100, 1,000 and 10,000 replicas, natively: prints wall time,
//! virtual seconds simulated per wall second, and what one snapshot (a clone, as the page's
//! timeline takes) costs afterwards. Run with `cargo bench -p rollout-sim`.
//! (A benchmark that prints figures, not a timed test: machines differ.)

use rollout_sim::clock::Duration;
use rollout_sim::cluster::{Cluster, NodeShape};
use rollout_sim::objects::*;
use std::collections::BTreeMap;
use std::time::Instant;

/// Three nodes whose kubelets take 5,000 pods each (`maxPods`), so 10,000 replicas and their
/// surge fit: the benchmark measures the controllers, not a full cluster.
const BENCH_NODES: &[NodeShape] = &[
    NodeShape {
        pods: "5000",
        ..NodeShape::small("bench01")
    },
    NodeShape {
        pods: "5000",
        ..NodeShape::small("bench02")
    },
    NodeShape {
        pods: "5000",
        ..NodeShape::small("bench03")
    },
];

fn deployment(replicas: i32, image: &str) -> Deployment {
    let labels: BTreeMap<String, String> = [("app".to_string(), "demoapp".to_string())].into();
    let probe = |path: &str, delay| Probe {
        handler: ProbeHandler::HttpGet {
            path: path.into(),
            port: 80,
        },
        initial_delay_seconds: delay,
        period_seconds: 10,
        timeout_seconds: 1,
        success_threshold: 1,
        failure_threshold: 3,
    };
    Deployment {
        metadata: ObjectMeta {
            name: "demoapp".into(),
            ..ObjectMeta::default()
        },
        spec: DeploymentSpec {
            replicas,
            selector: LabelSelector {
                match_labels: labels.clone(),
                match_expressions: vec![],
            },
            template: PodTemplateSpec {
                metadata: ObjectMeta {
                    labels,
                    ..ObjectMeta::default()
                },
                spec: PodSpec {
                    containers: vec![Container {
                        name: "demoapp".into(),
                        image: image.into(),
                        readiness_probe: Some(probe("/readyz", 5)),
                        liveness_probe: Some(probe("/livez", 5)),
                        ..Container::default()
                    }],
                    ..PodSpec::default()
                },
            },
            strategy: DeploymentStrategy {
                type_: DeploymentStrategyType::RollingUpdate,
                rolling_update: Some(RollingUpdateDeployment {
                    max_surge: Some(IntOrString::String("25%".into())),
                    max_unavailable: Some(IntOrString::String("25%".into())),
                }),
            },
            ..DeploymentSpec::default()
        },
        status: DeploymentStatus::default(),
    }
}

fn rolled_out(cluster: &Cluster, replicas: i32) -> bool {
    cluster.store().deployments.values().all(|d| {
        d.status.updated_replicas == replicas
            && d.status.available_replicas == replicas
            && d.status.replicas == replicas
    })
}

fn main() {
    let sizes: Vec<i32> = std::env::var("SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or(vec![100, 1_000, 10_000]);
    for replicas in sizes {
        let mut cluster = Cluster::with_nodes(1, BENCH_NODES);
        let _ = cluster.apply(Object::Deployment(deployment(
            replicas,
            "ikubernetes/demoapp:v1.0",
        )));
        cluster.advance(Duration::from_secs(120));
        let start_virtual = cluster.now();
        let started = Instant::now();
        let _ = cluster.apply(Object::Deployment(deployment(
            replicas,
            "ikubernetes/demoapp:v1.1",
        )));
        let mut steps = 0;
        while !rolled_out(&cluster, replicas) && steps < 3_600 {
            cluster.advance(Duration::from_secs(1));
            steps += 1;
        }
        let wall = started.elapsed();
        let virtual_secs = (cluster.now() - start_virtual).millis() as f64 / 1000.0;
        println!(
            "rolling update of {replicas:>6} replicas: {:>9.1} ms wall, {virtual_secs:>6.0} s virtual, {:>10.0} virtual s per wall s{}",
            wall.as_secs_f64() * 1000.0,
            virtual_secs / wall.as_secs_f64().max(1e-9),
            if rolled_out(&cluster, replicas) { "" } else { "  (NOT finished)" }
        );
        // The page's timeline keeps snapshots (clones) of the cluster.
        let started = Instant::now();
        let snapshots: Vec<Cluster> = (0..10).map(|_| cluster.clone()).collect();
        let per_snapshot = started.elapsed().as_secs_f64() * 1000.0 / snapshots.len() as f64;
        println!(
            "snapshot of {replicas:>6} replicas ({} events): {per_snapshot:>9.3} ms",
            cluster.events().len()
        );
    }
}
