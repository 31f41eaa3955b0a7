//! Real kubectl as the judge (issue #18): every help text the lab answers, at 80 and 120
//! columns, and every call that needs no server (`tests/data/oracle/no-server.txt`), run
//! through the lab and through the machine's `kubectl.1.30` under a pseudo-terminal of the same
//! width. Standard output, standard error and the exit status must be the same bytes, except
//! for the cases `tests/data/oracle/allow.txt` names with a reason.
//!
//! Where no `kubectl.1.30` exists the test passes, and says on its summary line that it
//! skipped (`scripts/test` prints that line in its summary).
#![cfg(not(target_arch = "wasm32"))]

mod support;

use rollout_kubectl::help;
use rollout_kubectl::lab::{Lab, Ran};
use rollout_sim::clock::Duration;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::oracle::{difference, real_kubectl, summary};

const NO_SERVER: &str = include_str!("data/oracle/no-server.txt");
const ALLOW: &str = include_str!("data/oracle/allow.txt");
const WIDTHS: [u16; 2] = [80, 120];

#[test]
fn the_lab_prints_what_kubectl_1_30_prints_without_a_server() {
    let Some(kubectl) = real_kubectl() else {
        summary("kubectl oracle: skipped (no kubectl.1.30 on this machine)");
        return;
    };
    let home = scratch_home();
    let allowed = allow_list();
    let mut cases: Vec<(String, u16, String)> = Vec::new();
    for words in help::commands() {
        let line = if words.is_empty() {
            "--help".to_string()
        } else {
            format!("{} --help", words.join(" "))
        };
        for width in WIDTHS {
            cases.push((
                format!("help {width} {}", words.join(" ")),
                width,
                line.clone(),
            ));
        }
    }
    let help_cases = cases.len();
    for line in NO_SERVER.lines() {
        let line = line.trim();
        if !line.is_empty() && !line.starts_with('#') {
            cases.push((format!("call {line}"), 120, line.to_string()));
        }
    }
    let (mut same_help, mut same_calls, mut allowed_hit) = (0, 0, Vec::new());
    let mut failures = Vec::new();
    for (i, (name, width, line)) in cases.iter().enumerate() {
        let lab = through_lab(line, *width);
        let real = through_kubectl(&kubectl, &home, line, *width);
        match (lab == real, allowed.contains_key(name.as_str())) {
            (true, false) if i < help_cases => same_help += 1,
            (true, false) => same_calls += 1,
            (true, true) => failures.push(format!("{name}: allow-listed but identical\n")),
            (false, true) => allowed_hit.push(name.clone()),
            (false, false) => failures.push(format!("{name}:\n{}", difference(&lab, &real))),
        }
    }
    summary(&format!(
        "kubectl oracle: {same_help}/{help_cases} help texts and {same_calls}/{} calls identical to kubectl v1.30, {} allow-listed, {} different",
        cases.len() - help_cases,
        allowed_hit.len(),
        failures.len()
    ));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The line through a fresh headless lab whose terminal is `width` columns.
fn through_lab(line: &str, width: u16) -> Ran {
    let mut lab = Lab::headless(1);
    lab.set_columns(width);
    lab.run_line(&format!("kubectl {line}"), Duration::from_secs(60))
}

/// The line through real kubectl, its standard output a terminal `width` columns wide
/// (util-linux `script` gives it one), standard error to a file, no kubeconfig.
fn through_kubectl(kubectl: &Path, home: &Path, line: &str, width: u16) -> Ran {
    let stderr_file = home.join("stderr");
    let shell_line = format!(
        "stty cols {width} rows 50; exec {} {line} 2>{} </dev/null",
        kubectl.display(),
        stderr_file.display()
    );
    let output = Command::new("script")
        .args(["-qec", &shell_line, "/dev/null"])
        .env("HOME", home)
        .env_remove("KUBECONFIG")
        .output();
    let Ok(output) = output else {
        return Ran {
            stdout: String::new(),
            stderr: "script(1) could not be started\n".into(),
            status: -1,
        };
    };
    Ran {
        stdout: String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n"),
        stderr: std::fs::read_to_string(&stderr_file).unwrap_or_default(),
        status: output.status.code().unwrap_or(-1),
    }
}

/// An empty home directory, so that no kubeconfig of the machine's user is read.
fn scratch_home() -> PathBuf {
    let home = std::env::temp_dir().join(format!("rollout-lab-oracle-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&home);
    home
}

/// `CASE: reason` lines.
fn allow_list() -> BTreeMap<&'static str, &'static str> {
    ALLOW
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(": "))
        .collect()
}
