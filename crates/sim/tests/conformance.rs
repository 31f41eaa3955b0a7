//! Runs every upstream unit-test case in `tests/conformance/` against the simulation:
//! Kubernetes' (`cases.json`) against the controller, Argo Rollouts v1.9.1's against its canary
//! arithmetic (`argo-rollouts.json`), its analysis controller (`argo-rollouts-analysis.json`)
//! and its controller and utils (`argo-rollouts-controller.json`).

use rollout_sim::conformance::{run_file, Report};

fn run(file: &str) -> Report {
    let path = format!(
        "{}/../../tests/conformance/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("cannot read {path}: {err}"));
    let report = run_file(&text).unwrap_or_else(|err| panic!("{path}: {err}"));
    for failure in &report.failures {
        println!("FAIL {}: {}", failure.source, failure.reason);
    }
    for skipped in &report.skipped_cases {
        println!("SKIP {}: {}", skipped.source, skipped.reason);
    }
    println!("{}", report.summary_line());
    report
}

#[test]
fn the_controller_passes_every_upstream_case() {
    let report = run("cases.json");
    assert_eq!(report.failed, 0, "{}", report.summary_line());
    assert!(report.passed >= 120, "{}", report.summary_line());
}

#[test]
fn the_argo_canary_arithmetic_passes_every_upstream_case() {
    let report = run("argo-rollouts.json");
    assert_eq!(report.failed, 0, "{}", report.summary_line());
    assert_eq!(report.skipped, 0, "{}", report.summary_line());
    assert_eq!(report.passed, 152, "{}", report.summary_line());
}

#[test]
fn the_argo_analysis_controller_passes_every_upstream_case() {
    let report = run("argo-rollouts-analysis.json");
    assert_eq!(report.failed, 0, "{}", report.summary_line());
    assert_eq!(report.skipped, 0, "{}", report.summary_line());
    assert!(report.passed >= 200, "{}", report.summary_line());
}

#[test]
fn the_argo_controller_passes_every_upstream_case() {
    let report = run("argo-rollouts-controller.json");
    assert_eq!(report.failed, 0, "{}", report.summary_line());
    // The one optional case: adopting an orphaned ReplicaSet, which the lab never makes.
    assert_eq!(report.skipped, 1, "{}", report.summary_line());
    assert_eq!(report.passed, 146, "{}", report.summary_line());
}
