//! Argo Rollouts' analysis end to end: AnalysisRuns measured on the virtual clock through the
//! lab's network and Prometheus, and the Rollouts that start them, wait for them, abort on
//! them.

mod common;

use common::{apply, set_rollout_image};
use rollout_sim::addons::argo_rollouts::ArgoRolloutsAddon;
use rollout_sim::addons::course_addons;
use rollout_sim::clock::Duration;
use rollout_sim::cluster::{Cluster, ObjectKey};
use rollout_sim::objects::{AnalysisPhase, AnalysisRun};

fn cluster() -> Cluster {
    let mut cluster = Cluster::new(3);
    for addon in course_addons() {
        cluster.install(addon);
    }
    cluster.install(Box::new(ArgoRolloutsAddon::default()));
    cluster
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

// ---------------------------------------------------------------------------------------
// Rollouts

use rollout_sim::objects::{Rollout, RolloutPhase};

const SERVICES: &str = "apiVersion: v1
kind: Service
metadata:
  name: demo-stable
spec:
  selector:
    app: demo
  ports:
  - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: demo-canary
spec:
  selector:
    app: demo
  ports:
  - port: 80
";

fn canary_rollout(steps: &str, background: &str) -> String {
    format!(
        "apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: demo
spec:
  replicas: 2
  selector:
    matchLabels:
      app: demo
  template:
    metadata:
      labels:
        app: demo
    spec:
      containers:
      - name: demo
        image: ikubernetes/demoapp:v1.0
  strategy:
    canary:
      stableService: demo-stable
      canaryService: demo-canary
{background}      steps:
{steps}"
    )
}

fn rollout(cluster: &Cluster) -> &Rollout {
    &cluster.store().rollouts[&ObjectKey::new("default", "demo")]
}

fn set_image(cluster: &mut Cluster, image: &str) {
    set_rollout_image(cluster, "demo", "demo", image);
}

fn run_names(cluster: &Cluster) -> Vec<String> {
    cluster
        .store()
        .analysis_runs
        .values()
        .map(|ar| format!("{} {}", ar.metadata.name, ar.status.phase.as_str()))
        .collect()
}

fn events_about(cluster: &Cluster, name: &str) -> Vec<String> {
    cluster
        .events()
        .iter()
        .filter(|e| e.involved_object.name == name)
        .map(|e| format!("{} {}", e.reason, e.message))
        .collect()
}

/// The Rollout in `yaml` (after `templates`), fully rolled out.
fn deployed(templates: &str, yaml: &str) -> Cluster {
    let mut cluster = cluster();
    apply(&mut cluster, SERVICES);
    apply(&mut cluster, templates);
    apply(&mut cluster, yaml);
    cluster.advance(Duration::from_secs(60));
    assert_eq!(rollout(&cluster).status.phase, Some(RolloutPhase::Healthy));
    cluster
}

const WEB_TEMPLATE: &str = "apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: canary-home
spec:
  args:
  - name: service
  metrics:
  - name: home
    interval: 5s
    count: 2
    provider:
      web:
        url: http://{{args.service}}.default/
";

#[test]
fn a_canary_step_waits_for_its_web_analysis_and_then_completes() {
    let yaml = canary_rollout(
        "      - setWeight: 50
      - analysis:
          templates:
          - templateName: canary-home
          args:
          - name: service
            value: demo-canary
",
        "",
    );
    let mut cluster = deployed(WEB_TEMPLATE, &yaml);
    set_image(&mut cluster, "ikubernetes/demoapp:v1.1");
    cluster.advance(Duration::from_secs(30));
    let hash = rollout(&cluster).status.current_pod_hash.clone();
    let name = format!("demo-{hash}-2-1");
    assert_eq!(run_names(&cluster), [format!("{name} Successful")]);
    let ar = run(&cluster, &name);
    assert_eq!(ar.metadata.labels["rollout-type"], "Step");
    assert_eq!(ar.metadata.labels["step-index"], "1");
    assert_eq!(ar.metadata.labels["rollouts-pod-template-hash"], hash);
    assert_eq!(ar.metadata.labels["app"], "demo");
    assert_eq!(ar.metadata.annotations["rollout.argoproj.io/revision"], "2");
    assert_eq!(ar.metadata.owner_references[0].kind, "Rollout");
    assert_eq!(ar.status.metric_results[0].count, 2);
    assert!(ar.status.metric_results[0].measurements[0]
        .value
        .starts_with("iKubernetes demoapp v1.1"));
    let ro = rollout(&cluster);
    assert_eq!(ro.status.phase, Some(RolloutPhase::Healthy));
    assert_eq!(ro.status.stable_rs, hash);
    assert_eq!(ro.status.current_step_index, Some(2));
    let events = events_about(&cluster, "demo");
    assert!(
        events.contains(&format!(
            "AnalysisRunRunning Step Analysis Run '{name}' Status New: 'Running' Previous: ''"
        )),
        "{events:#?}"
    );
    assert!(
        events.contains(&format!(
            "AnalysisRunSuccessful Step Analysis Run '{name}' Status New: 'Successful' Previous: 'Running'"
        )),
        "{events:#?}"
    );
    assert!(
        events.contains(&"RolloutStepCompleted Rollout step 2/2 completed (analysis)".to_string()),
        "{events:#?}"
    );
    // Deleting the Rollout takes its runs with it.
    cluster
        .delete(rollout_sim::objects::Kind::Rollout, "default", "demo")
        .unwrap();
    assert!(cluster.store().analysis_runs.is_empty());
}

const ERROR_RATE_TEMPLATE: &str = r#"apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: error-rate
spec:
  args:
  - name: service
  metrics:
  - name: error-rate
    interval: 10s
    count: 3
    successCondition: len(result) == 0 || result[0] < 0.05
    provider:
      prometheus:
        address: http://prometheus.monitoring:9090
        query: |
          sum(rate(http_requests_total{service="{{args.service}}",code=~"5.."}[1m]))
          /
          sum(rate(http_requests_total{service="{{args.service}}"}[1m]))
"#;

fn curl(cluster: &mut Cluster, args: &[&str]) -> String {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    cluster.curl(&args, "default", None).stdout()
}

/// The canary's pods switch `/livez` off: from now on they answer it with 506.
fn break_canary(cluster: &mut Cluster) {
    let hash = rollout(cluster).status.current_pod_hash.clone();
    let ips: Vec<String> = cluster
        .store()
        .pods
        .values()
        .filter(|p| p.metadata.labels.get("rollouts-pod-template-hash") == Some(&hash))
        .filter_map(|p| p.status.pod_ip.clone())
        .collect();
    assert!(!ips.is_empty());
    for ip in ips {
        curl(
            cluster,
            &[
                "-s",
                "-X",
                "POST",
                "-d",
                "livez=FAIL",
                &format!("http://{ip}/livez"),
            ],
        );
    }
}

/// `seconds` of traffic to a Service's `/livez`, two requests a second.
fn traffic(cluster: &mut Cluster, service: &str, seconds: usize) {
    let ip = cluster.store().services[&ObjectKey::new("default", service)]
        .spec
        .cluster_ip
        .clone();
    for _ in 0..seconds {
        let start = cluster.now();
        curl(cluster, &["-s", &format!("http://{ip}/livez")]);
        curl(cluster, &["-s", &format!("http://{ip}/livez")]);
        let spent = cluster.now() - start;
        cluster.advance(Duration(1000 - spent.millis()));
    }
}

#[test]
fn a_canary_serving_errors_fails_its_prometheus_analysis_and_the_rollout_aborts() {
    let yaml = canary_rollout(
        "      - setWeight: 50
      - pause:
          duration: 30s
      - analysis:
          templates:
          - templateName: error-rate
          args:
          - name: service
            value: demo-canary
      - setWeight: 100
",
        "",
    );
    let mut cluster = deployed(ERROR_RATE_TEMPLATE, &yaml);
    set_image(&mut cluster, "ikubernetes/demoapp:v1.1");
    cluster.advance(Duration::from_secs(10));
    assert_eq!(rollout(&cluster).status.current_step_index, Some(1));
    break_canary(&mut cluster);
    traffic(&mut cluster, "demo-canary", 30);
    let hash = rollout(&cluster).status.current_pod_hash.clone();
    let name = format!("demo-{hash}-2-2");
    let ar = run(&cluster, &name);
    assert_eq!(ar.status.phase, AnalysisPhase::Failed, "{ar:#?}");
    assert_eq!(
        ar.status.message,
        r#"Metric "error-rate" assessed Failed due to failed (1) > failureLimit (0)"#
    );
    let measurement = &ar.status.metric_results[0].measurements[0];
    assert_eq!(measurement.value, "[1]");
    assert_eq!(
        ar.status.metric_results[0].metadata["ResolvedPrometheusQuery"],
        "sum(rate(http_requests_total{service=\"demo-canary\",code=~\"5..\"}[1m]))\n/\nsum(rate(http_requests_total{service=\"demo-canary\"}[1m]))\n"
    );
    let ro = rollout(&cluster);
    assert_eq!(ro.status.phase, Some(RolloutPhase::Degraded));
    assert_eq!(
        ro.status.message,
        r#"RolloutAborted: Rollout aborted update to revision 2: Step-based analysis phase error/failed: Metric "error-rate" assessed Failed due to failed (1) > failureLimit (0)"#
    );
    assert!(ro.status.abort);
    assert_eq!(ro.status.current_step_index, Some(0));
    // The canary is scaled away; the stable serves everything again.
    cluster.advance(Duration::from_secs(30));
    let replicas: Vec<(String, i32)> = cluster
        .store()
        .replica_sets
        .values()
        .map(|rs| (rs.metadata.name.clone(), rs.spec.replicas))
        .collect();
    assert!(
        replicas.contains(&(format!("demo-{hash}"), 0)),
        "{replicas:?}"
    );
    let events = events_about(&cluster, "demo");
    assert!(
        events.contains(&format!(
            "AnalysisRunFailed Step Analysis Run '{name}' Status New: 'Failed' Previous: ''"
        )),
        "{events:#?}"
    );
}

#[test]
fn a_healthy_canary_passes_the_same_analysis() {
    let yaml = canary_rollout(
        "      - setWeight: 50
      - pause:
          duration: 30s
      - analysis:
          templates:
          - templateName: error-rate
          args:
          - name: service
            value: demo-canary
",
        "",
    );
    let mut cluster = deployed(ERROR_RATE_TEMPLATE, &yaml);
    set_image(&mut cluster, "ikubernetes/demoapp:v1.1");
    cluster.advance(Duration::from_secs(10));
    traffic(&mut cluster, "demo-canary", 60);
    let hash = rollout(&cluster).status.current_pod_hash.clone();
    let ar = run(&cluster, &format!("demo-{hash}-2-2"));
    assert_eq!(ar.status.phase, AnalysisPhase::Successful, "{ar:#?}");
    // No 5xx series at all: the division has nothing on its left, so the vector is empty.
    assert_eq!(ar.status.metric_results[0].measurements[0].value, "[]");
    assert_eq!(rollout(&cluster).status.phase, Some(RolloutPhase::Healthy));
}

#[test]
fn background_analysis_starts_at_its_step_and_aborts_the_update_when_it_fails() {
    let yaml = canary_rollout(
        "      - setWeight: 50
      - pause:
          duration: 2m
      - setWeight: 100
",
        "      analysis:
        startingStep: 1
        templates:
        - templateName: error-rate
        args:
        - name: service
          value: demo-canary
",
    );
    let mut cluster = deployed(ERROR_RATE_TEMPLATE, &yaml);
    // Nothing runs while the Rollout is healthy.
    assert!(cluster.store().analysis_runs.is_empty());
    set_image(&mut cluster, "ikubernetes/demoapp:v1.1");
    cluster.advance(Duration::from_secs(10));
    let hash = rollout(&cluster).status.current_pod_hash.clone();
    let name = format!("demo-{hash}-2");
    let ar = run(&cluster, &name);
    assert_eq!(ar.metadata.labels["rollout-type"], "Background");
    assert!(!ar.metadata.labels.contains_key("step-index"));
    // No errors yet: the first measurement passes, the run goes on.
    assert_eq!(ar.status.phase, AnalysisPhase::Running);
    assert_eq!(
        rollout(&cluster)
            .status
            .canary
            .current_background_analysis_run_status
            .as_ref()
            .map(|s| s.status.as_str()),
        Some("Running")
    );
    break_canary(&mut cluster);
    traffic(&mut cluster, "demo-canary", 20);
    assert_eq!(run(&cluster, &name).status.phase, AnalysisPhase::Failed);
    let ro = rollout(&cluster);
    assert_eq!(ro.status.phase, Some(RolloutPhase::Degraded));
    assert_eq!(
        ro.status.message,
        r#"RolloutAborted: Rollout aborted update to revision 2: Background analysis phase error/failed: Metric "error-rate" assessed Failed due to failed (1) > failureLimit (0)"#
    );
}

#[test]
fn an_inconclusive_step_analysis_pauses_the_rollout() {
    let template = r#"apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: undecided
spec:
  metrics:
  - name: requests
    successCondition: result[0] > 1000
    failureCondition: result[0] < 0
    provider:
      prometheus:
        address: http://prometheus.monitoring:9090
        query: sum(http_requests_total) or vector(0)
"#;
    let yaml = canary_rollout(
        "      - setWeight: 50
      - analysis:
          templates:
          - templateName: undecided
",
        "",
    );
    let mut cluster = deployed(template, &yaml);
    set_image(&mut cluster, "ikubernetes/demoapp:v1.1");
    cluster.advance(Duration::from_secs(20));
    let hash = rollout(&cluster).status.current_pod_hash.clone();
    let ar = run(&cluster, &format!("demo-{hash}-2-1"));
    assert_eq!(ar.status.phase, AnalysisPhase::Inconclusive);
    assert_eq!(
        ar.status.message,
        r#"Metric "requests" assessed Inconclusive due to inconclusive (1) > inconclusiveLimit (0)"#
    );
    let ro = rollout(&cluster);
    assert_eq!(ro.status.phase, Some(RolloutPhase::Paused));
    assert_eq!(ro.status.message, "InconclusiveAnalysisRun");
    assert_eq!(
        ro.status.pause_conditions[0].reason.as_str(),
        "InconclusiveAnalysisRun"
    );
    assert!(ro.status.controller_pause);
    assert_eq!(ro.status.current_step_index, Some(1));
}

const BLUE_GREEN_SERVICES: &str = "apiVersion: v1
kind: Service
metadata:
  name: demo-active
spec:
  selector:
    app: demo
  ports:
  - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: demo-preview
spec:
  selector:
    app: demo
  ports:
  - port: 80
";

fn blue_green_rollout(template: &str) -> String {
    format!(
        "apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: demo
spec:
  replicas: 2
  selector:
    matchLabels:
      app: demo
  template:
    metadata:
      labels:
        app: demo
    spec:
      containers:
      - name: demo
        image: ikubernetes/demoapp:v1.0
  strategy:
    blueGreen:
      activeService: demo-active
      previewService: demo-preview
      prePromotionAnalysis:
        templates:
        - templateName: {template}
        args:
        - name: service
          value: demo-preview
"
    )
}

fn blue_green(template: &str, template_yaml: &str) -> Cluster {
    let mut cluster = cluster();
    apply(&mut cluster, BLUE_GREEN_SERVICES);
    apply(&mut cluster, template_yaml);
    apply(&mut cluster, &blue_green_rollout(template));
    cluster.advance(Duration::from_secs(60));
    assert_eq!(rollout(&cluster).status.phase, Some(RolloutPhase::Healthy));
    assert!(cluster.store().analysis_runs.is_empty());
    cluster
}

fn active_selector(cluster: &Cluster) -> String {
    cluster.store().services[&ObjectKey::new("default", "demo-active")]
        .spec
        .selector
        .get("rollouts-pod-template-hash")
        .cloned()
        .unwrap_or_default()
}

#[test]
fn blue_green_promotes_after_its_pre_promotion_analysis_succeeds() {
    let mut cluster = blue_green("canary-home", WEB_TEMPLATE);
    let old = active_selector(&cluster);
    set_image(&mut cluster, "ikubernetes/demoapp:v1.1");
    cluster.advance(Duration::from_secs(8));
    let hash = rollout(&cluster).status.current_pod_hash.clone();
    let name = format!("demo-{hash}-2-pre");
    let ar = run(&cluster, &name);
    assert_eq!(ar.metadata.labels["rollout-type"], "PrePromotion");
    // The active Service waits for the run.
    if ar.status.phase != AnalysisPhase::Successful {
        assert_eq!(active_selector(&cluster), old);
    }
    assert!(ar.status.metric_results[0].measurements[0]
        .value
        .starts_with("iKubernetes demoapp v1.1"));
    cluster.advance(Duration::from_secs(60));
    assert_eq!(run(&cluster, &name).status.phase, AnalysisPhase::Successful);
    assert_eq!(active_selector(&cluster), hash);
    let ro = rollout(&cluster);
    assert_eq!(ro.status.phase, Some(RolloutPhase::Healthy));
    assert_eq!(
        ro.status
            .blue_green
            .pre_promotion_analysis_run_status
            .as_ref()
            .map(|s| s.status.as_str()),
        Some("Successful")
    );
}

#[test]
fn a_failed_pre_promotion_analysis_keeps_the_active_service_and_aborts() {
    let template = "apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: health
spec:
  args:
  - name: service
  metrics:
  - name: version
    consecutiveErrorLimit: 0
    provider:
      web:
        url: http://{{args.service}}.default/version
";
    let mut cluster = blue_green("health", template);
    let old = active_selector(&cluster);
    set_image(&mut cluster, "ikubernetes/demoapp:v1.1");
    cluster.advance(Duration::from_secs(30));
    let hash = rollout(&cluster).status.current_pod_hash.clone();
    let ar = run(&cluster, &format!("demo-{hash}-2-pre"));
    // demoapp has no /version page.
    assert_eq!(ar.status.phase, AnalysisPhase::Error, "{ar:#?}");
    assert_eq!(
        ar.status.message,
        r#"Metric "version" assessed Error due to consecutiveErrors (1) > consecutiveErrorLimit (0): "Error Message: received non 2xx response code: 404""#
    );
    assert_eq!(active_selector(&cluster), old);
    let ro = rollout(&cluster);
    assert_eq!(ro.status.phase, Some(RolloutPhase::Degraded));
    assert_eq!(
        ro.status.message,
        r#"RolloutAborted: Rollout aborted update to revision 2: Blue/green pre-promotion analysis phase error/failed: Metric "version" assessed Error due to consecutiveErrors (1) > consecutiveErrorLimit (0): "Error Message: received non 2xx response code: 404""#
    );
}

#[test]
fn a_missing_template_makes_the_rollout_invalid() {
    let mut cluster = cluster();
    apply(&mut cluster, BLUE_GREEN_SERVICES);
    apply(&mut cluster, &blue_green_rollout("nowhere"));
    let ro = rollout(&cluster);
    assert_eq!(ro.status.phase, Some(RolloutPhase::Degraded));
    assert_eq!(
        ro.status.message,
        r#"InvalidSpec: The Rollout "demo" is invalid: spec.strategy.blueGreen.prePromotionAnalysis.templates: Invalid value: "nowhere": AnalysisTemplate 'nowhere' not found"#
    );
}

#[test]
fn a_job_metric_runs_a_pod_and_succeeds_when_it_completes() {
    let mut cluster = cluster();
    apply(
        &mut cluster,
        "apiVersion: argoproj.io/v1alpha1
kind: AnalysisRun
metadata:
  name: smoke
spec:
  metrics:
  - name: smoke-test
    provider:
      job:
        spec:
          backoffLimit: 0
          template:
            spec:
              restartPolicy: Never
              containers:
              - name: test
                image: busybox:1.36
                command: [sh, -c, 'sleep 5']
",
    );
    let ar = run(&cluster, "smoke");
    let m = &ar.status.metric_results[0].measurements[0];
    assert_eq!(m.phase, AnalysisPhase::Running);
    let job = m.metadata["job-name"].clone();
    assert_eq!(job, format!("{}.smoke-test.1", ar.metadata.uid));
    let pods: Vec<String> = cluster
        .store()
        .pods
        .values()
        .filter(|p| p.metadata.labels.get("job-name") == Some(&job))
        .map(|p| p.metadata.name.clone())
        .collect();
    assert_eq!(pods.len(), 1);
    assert!(pods[0].starts_with(&format!("{job}-")));
    cluster.advance(Duration::from_secs(30));
    let ar = run(&cluster, "smoke");
    assert_eq!(ar.status.phase, AnalysisPhase::Successful, "{ar:#?}");
    // The pod goes with its run.
    cluster
        .delete(rollout_sim::objects::Kind::AnalysisRun, "default", "smoke")
        .unwrap();
    cluster.advance(Duration::from_secs(1));
    assert!(!cluster
        .store()
        .pods
        .values()
        .any(|p| p.metadata.labels.get("job-name") == Some(&job)));
}

#[test]
fn a_job_without_a_restart_policy_is_rejected_as_the_job_api_would() {
    let mut cluster = cluster();
    apply(
        &mut cluster,
        "apiVersion: argoproj.io/v1alpha1
kind: AnalysisRun
metadata:
  name: bad-job
spec:
  metrics:
  - name: smoke
    consecutiveErrorLimit: 0
    provider:
      job:
        spec:
          template:
            spec:
              containers:
              - name: test
                image: busybox:1.36
",
    );
    let ar = run(&cluster, "bad-job");
    assert_eq!(ar.status.phase, AnalysisPhase::Error);
    assert!(ar.status.message.contains(r#"spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never""#), "{}", ar.status.message);
}
