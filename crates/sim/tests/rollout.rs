//! The course's Deployment experiment, driven through the cluster API: the pod and
//! ReplicaSet counts a student sees must match a real cluster's.

use rollout_sim::clock::Duration;
use rollout_sim::cluster::Cluster;
use rollout_sim::objects::*;
use std::collections::BTreeMap;

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn probe(path: &str, delay: i32) -> Probe {
    Probe {
        handler: ProbeHandler::HttpGet {
            path: path.into(),
            port: 80,
        },
        initial_delay_seconds: delay,
        period_seconds: 10,
        timeout_seconds: 1,
        success_threshold: 1,
        failure_threshold: 3,
    }
}

/// deployment-demo from the course: 4 replicas of demoapp with liveness and readiness probes.
fn deployment_demo(image: &str, surge: IntOrString, unavailable: IntOrString) -> Deployment {
    let app = labels(&[("app", "demoapp"), ("release", "stable")]);
    Deployment {
        metadata: ObjectMeta {
            name: "deployment-demo".into(),
            ..ObjectMeta::default()
        },
        spec: DeploymentSpec {
            replicas: 4,
            selector: LabelSelector {
                match_labels: app.clone(),
                match_expressions: vec![],
            },
            template: PodTemplateSpec {
                metadata: ObjectMeta {
                    labels: app,
                    ..ObjectMeta::default()
                },
                spec: PodSpec {
                    containers: vec![Container {
                        name: "demoapp".into(),
                        image: image.into(),
                        ports: vec![ContainerPort {
                            name: Some("http".into()),
                            container_port: 80,
                        }],
                        liveness_probe: Some(probe("/livez", 5)),
                        readiness_probe: Some(probe("/readyz", 15)),
                        ..Container::default()
                    }],
                    ..PodSpec::default()
                },
            },
            strategy: DeploymentStrategy {
                type_: DeploymentStrategyType::RollingUpdate,
                rolling_update: Some(RollingUpdateDeployment {
                    max_surge: Some(surge),
                    max_unavailable: Some(unavailable),
                }),
            },
            ..DeploymentSpec::default()
        },
        status: DeploymentStatus::default(),
    }
}

fn pct(s: &str) -> IntOrString {
    IntOrString::String(s.into())
}

/// (spec.replicas of each ReplicaSet by image, ready pods) — what `get rs` shows.
fn replica_sets(cluster: &Cluster) -> Vec<(String, i32, i32, i32)> {
    cluster
        .store()
        .replica_sets
        .values()
        .map(|rs| {
            let image = rs.spec.template.spec.containers[0].image.clone();
            (
                image,
                rs.spec.replicas,
                rs.status.replicas,
                rs.status.ready_replicas,
            )
        })
        .collect()
}

fn ready_pods(cluster: &Cluster) -> usize {
    cluster
        .store()
        .pods
        .values()
        .filter(|p| p.is_ready())
        .count()
}

#[test]
fn a_new_deployment_gets_four_ready_pods_after_its_readiness_delay() {
    let mut cluster = Cluster::new(1);
    cluster
        .apply(Object::Deployment(deployment_demo(
            "ikubernetes/demoapp:v1.0",
            pct("25%"),
            pct("25%"),
        )))
        .unwrap();
    assert_eq!(cluster.store().pods.len(), 4);
    cluster.advance(Duration::from_secs(10));
    assert_eq!(ready_pods(&cluster), 0, "readiness waits 15 s");
    cluster.advance(Duration::from_secs(15));
    assert_eq!(ready_pods(&cluster), 4);
    let d = &cluster.store().deployments.values().next().unwrap();
    assert_eq!(d.status.available_replicas, 4);
    assert_eq!(
        d.metadata
            .annotations
            .get("deployment.kubernetes.io/revision")
            .map(String::as_str),
        Some("1")
    );
    for pod in cluster.store().pods.values() {
        assert!(pod.metadata.name.starts_with("deployment-demo-"));
        assert!(pod
            .status
            .pod_ip
            .as_deref()
            .unwrap_or("")
            .starts_with("10.244."));
    }
}

#[test]
fn the_rolling_update_passes_through_the_course_counts() {
    let mut cluster = Cluster::new(7);
    cluster
        .apply(Object::Deployment(deployment_demo(
            "ikubernetes/demoapp:v1.0",
            pct("25%"),
            pct("25%"),
        )))
        .unwrap();
    cluster.advance(Duration::from_secs(60));
    cluster
        .apply(Object::Deployment(deployment_demo(
            "ikubernetes/demoapp:v1.1",
            pct("25%"),
            pct("25%"),
        )))
        .unwrap();

    // Sample the (old, new) spec sizes every 100 ms until the rollout is done.
    let mut seen: Vec<(i32, i32)> = Vec::new();
    for _ in 0..1200 {
        let rss = replica_sets(&cluster);
        let old = rss
            .iter()
            .find(|r| r.0.ends_with("v1.0"))
            .map_or(0, |r| r.1);
        let new = rss
            .iter()
            .find(|r| r.0.ends_with("v1.1"))
            .map_or(0, |r| r.1);
        if seen.last() != Some(&(old, new)) {
            seen.push((old, new));
        }
        cluster.advance(Duration(100));
    }
    assert_eq!(
        seen,
        vec![(3, 2), (1, 4), (0, 4)],
        "course: 3 old + 2 new, then 1 + 4, then 0 + 4"
    );
    assert_eq!(ready_pods(&cluster), 4);
    let d = cluster.store().deployments.values().next().unwrap();
    assert_eq!(
        d.metadata
            .annotations
            .get("deployment.kubernetes.io/revision")
            .map(String::as_str),
        Some("2")
    );
}

#[test]
fn pausing_right_after_set_image_leaves_one_canary_pod() {
    let mut cluster = Cluster::new(3);
    let canary = |image: &str| deployment_demo(image, IntOrString::Int(1), IntOrString::Int(0));
    cluster
        .apply(Object::Deployment(canary("ikubernetes/demoapp:v1.0")))
        .unwrap();
    cluster.advance(Duration::from_secs(60));
    let mut updated = canary("ikubernetes/demoapp:v1.1");
    updated.spec.paused = false;
    cluster.apply(Object::Deployment(updated)).unwrap();
    cluster
        .update_deployment("default", "deployment-demo", |d| d.spec.paused = true)
        .unwrap();
    cluster.advance(Duration::from_secs(120));
    // maxSurge 1, maxUnavailable 0: the first step adds one v1.1 pod and removes nothing,
    // and the pause freezes it there — four old pods and one canary, all ready.
    let mut rss = replica_sets(&cluster);
    rss.sort();
    assert_eq!(
        rss,
        vec![
            ("ikubernetes/demoapp:v1.0".to_string(), 4, 4, 4),
            ("ikubernetes/demoapp:v1.1".to_string(), 1, 1, 1),
        ],
        "(image, desired, current, ready) per ReplicaSet"
    );
    let ready_images = |image: &str| {
        cluster
            .store()
            .pods
            .values()
            .filter(|p| p.is_ready() && p.spec.containers[0].image == image)
            .count()
    };
    assert_eq!(ready_images("ikubernetes/demoapp:v1.0"), 4);
    assert_eq!(ready_images("ikubernetes/demoapp:v1.1"), 1);
    assert_eq!(cluster.store().pods.len(), 5, "no pod is terminating");
    let d = cluster.store().deployments.values().next().unwrap();
    assert!(d.spec.paused);
    assert_eq!(
        (
            d.status.replicas,
            d.status.updated_replicas,
            d.status.available_replicas
        ),
        (5, 1, 5)
    );
}

#[test]
fn the_same_seed_gives_the_same_cluster() {
    let run = |seed| {
        let mut cluster = Cluster::new(seed);
        cluster
            .apply(Object::Deployment(deployment_demo(
                "ikubernetes/demoapp:v1.0",
                pct("25%"),
                pct("25%"),
            )))
            .unwrap();
        cluster.advance(Duration::from_secs(30));
        let names: Vec<String> = cluster
            .store()
            .pods
            .keys()
            .map(|k| k.name.clone())
            .collect();
        names
    };
    assert_eq!(run(42), run(42));
    assert_ne!(run(42), run(43));
}

#[test]
fn the_live_store_versions_every_write() {
    let mut cluster = Cluster::new(5);
    cluster
        .apply(Object::Deployment(deployment_demo(
            "ikubernetes/demoapp:v1.0",
            pct("25%"),
            pct("25%"),
        )))
        .unwrap();
    cluster.advance(Duration::from_secs(60));
    // Each object's resourceVersion by name (Endpoints as `ep/NAME`, beside their Service).
    fn named<'a, T: Resource + 'a>(
        objects: impl Iterator<Item = &'a T> + 'a,
        prefix: &'a str,
    ) -> impl Iterator<Item = (String, String)> + 'a {
        objects.map(move |o| {
            let meta = o.metadata();
            (
                format!("{prefix}{}", meta.name),
                meta.resource_version.clone(),
            )
        })
    }
    let version = |cluster: &Cluster| -> Vec<(String, u64)> {
        let store = cluster.store();
        let all = named(store.deployments.values(), "")
            .chain(named(store.replica_sets.values(), ""))
            .chain(named(store.pods.values().map(|p| &**p), ""))
            .chain(named(store.services.values(), ""))
            .chain(named(store.endpoints.values(), "ep/"));
        all.map(|(name, rv)| {
            let rv = rv
                .parse()
                .unwrap_or_else(|_| panic!("{name} has resourceVersion {rv:?}"));
            (name, rv)
        })
        .collect()
    };
    // Every stored object has one, and no two share one (one counter for the cluster).
    let settled = version(&cluster);
    let mut numbers: Vec<u64> = settled.iter().map(|(_, rv)| *rv).collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), settled.len(), "{settled:?}");
    // Time passing without a change (probes that keep succeeding) keeps every version.
    cluster.advance(Duration::from_secs(60));
    assert_eq!(version(&cluster), settled);
    // A write that changes the Deployment gives it a newer version than anything before.
    cluster
        .update_deployment("default", "deployment-demo", |d| d.spec.replicas = 5)
        .unwrap();
    let after = version(&cluster);
    let of = |list: &[(String, u64)], name: &str| {
        list.iter()
            .find(|(n, _)| n == name)
            .map(|(_, rv)| *rv)
            .unwrap()
    };
    assert!(of(&after, "deployment-demo") > numbers[numbers.len() - 1]);
    // The Service nobody touched keeps its version.
    assert_eq!(of(&after, "kubernetes"), of(&settled, "kubernetes"));
}

/// A fuzzed `kubectl scale --replicas=99999999` made the ReplicaSet controller create pods
/// without end at one virtual instant (a frozen page, a lost fuzz run). Like kube-controller-
/// manager's client (`--kube-api-burst=30`, `--kube-api-qps=20`), it now sends 30 creations
/// at once and 20 a second after that.
#[test]
fn pods_are_created_no_faster_than_the_controller_managers_api_rate_limit() {
    let mut cluster = Cluster::new(1);
    let mut deployment = deployment_demo("ikubernetes/demoapp:v1.0", pct("25%"), pct("25%"));
    deployment.spec.replicas = 99_999_999;
    cluster.apply(Object::Deployment(deployment)).unwrap();
    assert_eq!(cluster.store().pods.len(), 30, "the burst");
    cluster.advance(Duration::from_secs(10));
    assert_eq!(cluster.store().pods.len(), 30 + 20 * 10, "20 a second");
    // A small Deployment, well inside the burst, still gets all its pods at once.
    let mut cluster = Cluster::new(1);
    let mut deployment = deployment_demo("ikubernetes/demoapp:v1.0", pct("25%"), pct("25%"));
    deployment.spec.replicas = 30;
    cluster.apply(Object::Deployment(deployment)).unwrap();
    assert_eq!(cluster.store().pods.len(), 30);
}
