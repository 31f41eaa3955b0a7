//! Argo Rollouts' analysis end to end: AnalysisRuns measured on the virtual clock through the
//! lab's network and Prometheus, and the Rollouts that start them, wait for them, abort on
//! them.

use rollout_sim::addons::argo_rollouts::ArgoRolloutsAddon;
use rollout_sim::addons::course_addons;
use rollout_sim::clock::Duration;
use rollout_sim::cluster::{Cluster, ObjectKey};
use rollout_sim::manifest::parse_manifests;
use rollout_sim::objects::{AnalysisPhase, AnalysisRun};

fn cluster() -> Cluster {
    let mut cluster = Cluster::new(3);
    for addon in course_addons() {
        cluster.install(addon);
    }
    cluster.install(Box::new(ArgoRolloutsAddon::default()));
    cluster
}

fn apply(cluster: &mut Cluster, yaml: &str) {
    for object in parse_manifests(yaml, "test.yaml") {
        cluster
            .apply(object.expect("the manifest parses"))
            .expect("the API accepts it");
    }
}

fn run<'a>(cluster: &'a Cluster, name: &str) -> &'a AnalysisRun {
    &cluster.store().analysis_runs[&ObjectKey::new("default", name)]
}

const DEMOAPP: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: demoapp
spec:
  replicas: 2
  selector:
    matchLabels:
      app: demoapp
  template:
    metadata:
      labels:
        app: demoapp
    spec:
      containers:
      - name: demoapp
        image: ikubernetes/demoapp:v1.0
---
apiVersion: v1
kind: Service
metadata:
  name: demoapp
spec:
  selector:
    app: demoapp
  ports:
  - port: 80
";

#[test]
fn a_web_metric_is_measured_at_every_interval_until_its_count() {
    let mut cluster = cluster();
    apply(&mut cluster, DEMOAPP);
    cluster.advance(Duration::from_secs(30));
    apply(
        &mut cluster,
        "apiVersion: argoproj.io/v1alpha1
kind: AnalysisRun
metadata:
  name: web
spec:
  metrics:
  - name: home
    interval: 10s
    count: 3
    provider:
      web:
        url: http://demoapp.default/
",
    );
    let ar = run(&cluster, "web");
    assert_eq!(ar.status.phase, AnalysisPhase::Running);
    assert_eq!(ar.status.metric_results[0].measurements.len(), 1);
    assert!(ar.status.metric_results[0].measurements[0]
        .value
        .starts_with("iKubernetes demoapp v1.0 !! ClientIP: 10.244.1.254"));
    cluster.advance(Duration::from_secs(10));
    assert_eq!(run(&cluster, "web").status.metric_results[0].count, 1);
    cluster.advance(Duration::from_secs(1));
    assert_eq!(run(&cluster, "web").status.metric_results[0].count, 2);
    cluster.advance(Duration::from_secs(15));
    let ar = run(&cluster, "web");
    assert_eq!(ar.status.phase, AnalysisPhase::Successful);
    assert_eq!(ar.status.metric_results[0].count, 3);
    assert_eq!(ar.status.metric_results[0].successful, 3);
    assert_eq!(ar.status.run_summary.successful, 1);
    let reasons: Vec<_> = cluster
        .events()
        .iter()
        .filter(|e| e.involved_object.name == "web")
        .map(|e| format!("{} {}", e.reason, e.message))
        .collect();
    assert_eq!(
        reasons,
        [
            "MetricSuccessful Metric 'home' Completed. Result: Successful",
            "AnalysisRunSuccessful Analysis Completed. Result: Successful"
        ]
    );
}

#[test]
fn a_web_metric_that_cannot_connect_errors_until_the_consecutive_error_limit() {
    let mut cluster = cluster();
    apply(
        &mut cluster,
        "apiVersion: argoproj.io/v1alpha1
kind: AnalysisRun
metadata:
  name: nowhere
spec:
  metrics:
  - name: missing
    provider:
      web:
        url: http://missing.default/
",
    );
    let ar = run(&cluster, "nowhere");
    let m = &ar.status.metric_results[0].measurements[0];
    assert_eq!(m.phase, AnalysisPhase::Error);
    assert_eq!(
        m.message,
        "Get \"http://missing.default/\": dial tcp: lookup missing.default on 10.96.0.10:53: no such host"
    );
    // Errors are retried every 10 s; the fifth in a row breaks the default limit of 4.
    cluster.advance(Duration::from_secs(60));
    let ar = run(&cluster, "nowhere");
    assert_eq!(ar.status.phase, AnalysisPhase::Error);
    assert_eq!(ar.status.metric_results[0].consecutive_error, 5);
    assert_eq!(
        ar.status.message,
        r#"Metric "missing" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): "Error Message: Get "http://missing.default/": dial tcp: lookup missing.default on 10.96.0.10:53: no such host""#
    );
}
