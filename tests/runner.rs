//! The headless runner, run as a user runs it: the real binary, real files.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

fn rollout_lab(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_rollout-lab"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the rollout-lab binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn conformance_prints_one_summary_line_and_succeeds_on_the_given_cases() {
    let (code, stdout, _) = rollout_lab(&["conformance", "tests/conformance/cases.json"]);
    let last = stdout.lines().last().unwrap_or_default();
    assert_eq!(last, "132 passed, 0 failed", "stdout:\n{stdout}");
    assert_eq!(code, 0);
}

#[test]
fn conformance_fails_with_a_failing_case() {
    let dir = std::env::temp_dir().join(format!("rollout-lab-runner-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("one-wrong.json");
    std::fs::write(
        &file,
        r#"[{"source":"made-up/0","function":"resolveFenceposts",
            "input":{"maxSurge":"25%","maxUnavailable":"25%","desired":4},
            "expected":{"surge":2,"unavailable":1}}]"#,
    )
    .expect("write case");
    let (code, stdout, _) = rollout_lab(&["conformance", file.to_str().unwrap_or_default()]);
    assert!(stdout.contains("FAIL made-up/0"), "stdout:\n{stdout}");
    assert!(
        stdout.ends_with("0 passed, 1 failed\n"),
        "stdout:\n{stdout}"
    );
    assert_eq!(code, 1);
}

#[test]
fn a_missing_file_or_bad_json_is_an_error_not_a_panic() {
    let (code, _, stderr) = rollout_lab(&["conformance", "no/such/file.json"]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("error: cannot read no/such/file.json"));

    let (code, _, stderr) = rollout_lab(&["conformance", "Cargo.toml"]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("error: Cargo.toml:"), "{stderr}");
}

#[test]
fn without_arguments_it_prints_usage() {
    let (code, _, stderr) = rollout_lab(&[]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("usage: rollout-lab"));
}
