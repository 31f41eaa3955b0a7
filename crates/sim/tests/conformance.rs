//! Runs every upstream unit-test case in `tests/conformance/cases.json` against the controller.

use rollout_sim::conformance::run_file;

#[test]
fn the_controller_passes_every_upstream_case() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/conformance/cases.json"
    );
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|err| panic!("cannot read {path}: {err}"));
    let report = run_file(&text).unwrap_or_else(|err| panic!("{path}: {err}"));
    for failure in &report.failures {
        println!("FAIL {}: {}", failure.source, failure.reason);
    }
    for skipped in &report.skipped_cases {
        println!("SKIP {}: {}", skipped.source, skipped.reason);
    }
    println!("{}", report.summary_line());
    assert_eq!(report.failed, 0, "{}", report.summary_line());
    assert!(report.passed >= 120, "{}", report.summary_line());
}
