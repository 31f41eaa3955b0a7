//! `kubectl` against Argo Rollouts' analysis kinds: AnalysisTemplate, ClusterAnalysisTemplate
//! and AnalysisRun are served once the add-on is installed, printed with their CRDs' columns,
//! described by the generic describer and checked against their CRD schemas.

use rollout_kubectl::lab::Lab;
use rollout_sim::addons::argo_rollouts::ArgoRolloutsAddon;
use rollout_sim::clock::Duration;

fn lab() -> Lab {
    let mut lab = Lab::new(7);
    lab.host
        .cluster
        .install(Box::new(ArgoRolloutsAddon::default()));
    lab
}

/// Runs one line: (stdout, stderr, exit status).
fn run(lab: &mut Lab, line: &str) -> (String, String, i32) {
    let ran = lab.run_line(line, Duration::from_secs(60));
    (ran.stdout, ran.stderr, ran.status)
}

const TEMPLATE: &str = "kubectl apply -f - <<EOF
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: success-rate
spec:
  args:
  - name: service-name
  metrics:
  - name: success-rate
    interval: 30s
    count: 3
    successCondition: result[0] >= 0.95
    provider:
      prometheus:
        address: http://prometheus.monitoring:9090
        query: sum(rate(http_requests_total{service=\"{{args.service-name}}\"}[1m]))
EOF";

#[test]
fn templates_are_applied_listed_described_and_deleted() {
    let mut lab = lab();
    let (out, err, status) = run(&mut lab, TEMPLATE);
    assert_eq!(
        (out.as_str(), err.as_str(), status),
        ("analysistemplate.argoproj.io/success-rate created\n", "", 0)
    );
    let (out, _, _) = run(&mut lab, "kubectl get at");
    assert_eq!(out, "NAME           AGE\nsuccess-rate   0s\n");
    let (out, _, _) = run(
        &mut lab,
        "kubectl get analysistemplates.argoproj.io success-rate -o yaml",
    );
    assert!(
        out.starts_with("apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\n"),
        "{out}"
    );
    assert!(
        out.contains("    successCondition: result[0] >= 0.95\n"),
        "{out}"
    );
    let (out, _, _) = run(&mut lab, "kubectl describe at success-rate");
    assert!(
        out.starts_with("Name:         success-rate\nNamespace:    default\n"),
        "{out}"
    );
    assert!(
        out.contains("API Version:  argoproj.io/v1alpha1\n"),
        "{out}"
    );
    assert!(
        out.contains("    Success Condition:  result[0] >= 0.95\n"),
        "{out}"
    );
    let (out, _, status) = run(&mut lab, "kubectl delete at success-rate");
    assert_eq!(
        (out.as_str(), status),
        ("analysistemplate.argoproj.io \"success-rate\" deleted\n", 0)
    );
}

#[test]
fn a_cluster_template_is_cluster_scoped() {
    let mut lab = lab();
    let manifest = TEMPLATE.replace("kind: AnalysisTemplate", "kind: ClusterAnalysisTemplate");
    let (out, err, _) = run(&mut lab, &manifest);
    assert_eq!(
        (out.as_str(), err.as_str()),
        (
            "clusteranalysistemplate.argoproj.io/success-rate created\n",
            ""
        )
    );
    let (out, _, _) = run(&mut lab, "kubectl get cat -n kube-system");
    assert_eq!(out, "NAME           AGE\nsuccess-rate   0s\n");
    let (out, _, _) = run(&mut lab, "kubectl describe cat success-rate");
    assert!(
        out.starts_with("Name:         success-rate\nNamespace:    \n"),
        "{out}"
    );
}

#[test]
fn a_run_shows_its_phase_column() {
    let mut lab = lab();
    let (out, err, _) = run(
        &mut lab,
        "kubectl apply -f - <<EOF
apiVersion: argoproj.io/v1alpha1
kind: AnalysisRun
metadata:
  name: manual
spec:
  metrics:
  - name: always
    provider:
      web:
        url: http://nowhere.example/
EOF",
    );
    assert_eq!(
        (out.as_str(), err.as_str()),
        ("analysisrun.argoproj.io/manual created\n", "")
    );
    let (out, _, _) = run(&mut lab, "kubectl get ar");
    assert!(out.starts_with("NAME     STATUS"), "{out}");
}

#[test]
fn the_crd_schema_rejects_wrong_types_and_unknown_fields() {
    let mut lab = lab();
    let (_, err, status) = run(
        &mut lab,
        &TEMPLATE.replace("interval: 30s", "intervall: 30s"),
    );
    assert_eq!(status, 1);
    assert_eq!(
        err,
        "Error from server (BadRequest): error when creating \"STDIN\": AnalysisTemplate in version \"v1alpha1\" cannot be handled as a AnalysisTemplate: strict decoding error: unknown field \"spec.metrics[0].intervall\"\n"
    );
    let (_, err, _) = run(
        &mut lab,
        &TEMPLATE.replace("interval: 30s", "interval: [30s]"),
    );
    assert!(
        err.contains("spec.metrics[0].interval: Invalid value: \"array\": spec.metrics[0].interval in body must be of type string: \"array\""),
        "{err}"
    );
}

#[test]
fn the_kinds_are_unknown_without_the_add_on() {
    let mut lab = Lab::new(7);
    let (_, err, _) = run(&mut lab, "kubectl get ar");
    assert_eq!(
        err,
        "error: the server doesn't have a resource type \"ar\"\n"
    );
}
