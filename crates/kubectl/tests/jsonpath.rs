//! The lab's JSONPath against kubectl v1.30's, case by case: every template of
//! `tests/data/jsonpath/cases.json` (upstream's `jsonpath_test.go` and `parser_test.go`
//! tables adapted, and the patterns course scripts use) rendered over its object as
//! `kubectl get -o jsonpath=TEMPLATE` renders it, compared byte for byte with what
//! `kubectl.1.30 label -f OBJECT --local --overwrite foo=bar -o jsonpath=TEMPLATE` printed
//! (the object already has that label, so kubectl prints it unchanged); a case with
//! `"printer": "jsonpath-as-json"` is printed by that printer instead.
//!
//! `JSONPATH_CAPTURE=1 cargo test --test jsonpath` asks the machine's `kubectl.1.30` again
//! and rewrites the expectations (add a case with empty ones, then capture).
#![cfg(not(target_arch = "wasm32"))]

#[allow(dead_code)] // only the kubectl lookup and the summary line
mod support;

use rollout_kubectl::cmd::jsonpath;
use rollout_sim::manifest::yaml::document_to_json;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use support::oracle::{real_kubectl, summary};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/jsonpath")
}

fn object(file: &str) -> Value {
    let text = std::fs::read_to_string(data_dir().join(file)).expect("object file");
    document_to_json(&text)
        .expect("object parses")
        .expect("object present")
}

/// What the lab prints: standard output, standard error, exit status.
fn through_lab(printer: &str, template: &str, object: &Value) -> (String, String, i64) {
    let printed = match printer {
        "jsonpath-as-json" => jsonpath::render_as_json(template, object),
        _ => jsonpath::render(template, object),
    };
    match printed {
        Ok(out) => (out, String::new(), 0),
        Err(error) => (String::new(), format!("{error}\n"), 1),
    }
}

fn through_kubectl(
    kubectl: &Path,
    printer: &str,
    file: &str,
    template: &str,
) -> (String, String, i64) {
    let output = Command::new(kubectl)
        .args(["label", "-f", file, "--local", "--overwrite", "foo=bar"])
        .arg(format!("-o={printer}={template}"))
        .current_dir(data_dir())
        .env_remove("KUBECONFIG")
        .output()
        .expect("kubectl runs");
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        i64::from(output.status.code().unwrap_or(-1)),
    )
}

/// `jsonpath` unless the case names another printer (`jsonpath-as-json`).
fn printer(case: &Value) -> &str {
    case["printer"].as_str().unwrap_or("jsonpath")
}

#[test]
fn every_template_prints_what_kubectl_1_30_prints() {
    let path = data_dir().join("cases.json");
    let mut table: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("cases.json")).expect("json");
    if std::env::var_os("JSONPATH_CAPTURE").is_some() {
        let kubectl = real_kubectl().expect("JSONPATH_CAPTURE needs kubectl.1.30");
        for case in table["cases"].as_array_mut().expect("cases") {
            let file = case["object"].as_str().unwrap_or_default().to_string();
            let template = case["template"].as_str().unwrap_or_default().to_string();
            let printer = printer(case).to_string();
            let (stdout, stderr, status) = through_kubectl(&kubectl, &printer, &file, &template);
            case["stdout"] = json!(stdout);
            case["stderr"] = json!(stderr);
            case["status"] = json!(status);
        }
        let text = serde_json::to_string_pretty(&table).expect("json") + "\n";
        std::fs::write(&path, text).expect("cases.json written");
    }
    let cases = table["cases"].as_array().expect("cases");
    let mut failures = Vec::new();
    for case in cases {
        let template = case["template"].as_str().unwrap_or_default();
        let object = object(case["object"].as_str().unwrap_or_default());
        let expected = (
            case["stdout"].as_str().unwrap_or_default().to_string(),
            case["stderr"].as_str().unwrap_or_default().to_string(),
            case["status"].as_i64().unwrap_or_default(),
        );
        let lab = through_lab(printer(case), template, &object);
        if lab != expected {
            failures.push(format!(
                "{template}\n  lab:     {lab:?}\n  kubectl: {expected:?}"
            ));
        }
    }
    summary(&format!(
        "jsonpath: {}/{} templates print what kubectl v1.30 prints",
        cases.len() - failures.len(),
        cases.len()
    ));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The same engine behind the lab's terminal: `get -o jsonpath` with a filter over a list,
/// `custom-columns` and `wait --for=jsonpath` with one.
#[test]
fn filters_work_in_the_lab_terminal() {
    use rollout_kubectl::lab::Lab;
    use rollout_sim::clock::Duration;
    let mut lab = Lab::headless(1);
    let minute = Duration::from_secs(60);
    let created = lab.run_line(
        "kubectl create deployment web --image=nginx --replicas=2",
        minute,
    );
    assert_eq!(created.status, 0, "{created:?}");
    lab.advance(minute);

    let running = lab.run_line(
        r#"kubectl get pods -o jsonpath='{.items[?(@.status.phase=="Running")].metadata.name}'"#,
        minute,
    );
    let names: Vec<&str> = running.stdout.split(' ').collect();
    assert_eq!(names.len(), 2, "{running:?}");
    assert!(names.iter().all(|n| n.starts_with("web-")), "{running:?}");

    let reason = lab.run_line(
        r#"kubectl get deploy web -o jsonpath='{.status.conditions[?(@.type=="Progressing")].reason}'"#,
        minute,
    );
    assert_eq!(reason.stdout, "NewReplicaSetAvailable", "{reason:?}");

    let waited = lab.run_line(
        r#"kubectl wait deploy/web --for=jsonpath='{.status.conditions[?(@.type=="Available")].status}'=True --timeout=5s"#,
        minute,
    );
    assert_eq!(
        waited.stdout, "deployment.apps/web condition met\n",
        "{waited:?}"
    );

    let columns = lab.run_line(
        r#"kubectl get deploy web -o custom-columns='NAME:.metadata.name,AVAILABLE:.status.conditions[?(@.type=="Available")].status'"#,
        minute,
    );
    assert_eq!(
        columns.stdout, "NAME   AVAILABLE\nweb    True\n",
        "{columns:?}"
    );

    let empty = lab.run_line("kubectl get deploy web -o jsonpath=", minute);
    assert_eq!(
        (empty.stderr.as_str(), empty.status),
        (
            "error: template format specified but no template given\n",
            1
        )
    );
}

/// Templates built to hurt: deep nesting, huge and negative slice numbers, unbalanced
/// brackets, braces and quotes, ranges inside ranges over everything. Each must come back
/// (output or kubectl's error) without a panic, quickly.
#[test]
fn nasty_templates_never_panic_or_hang() {
    let object = object("deployment.yaml");
    let mut nasty: Vec<String> = vec![
        "[".repeat(100_000),
        "{".repeat(100_000),
        "}".repeat(100_000),
        format!("{{{}}}", "[?(@".repeat(20_000)),
        format!("{{.a{}}}", "[?(@.b[?(@.c==1)])]".repeat(5_000)),
        format!("{{{}}}", "[0,[0,[0,".repeat(10_000)),
        format!("{}{}", "{range ..}".repeat(30), "{@}{end}".repeat(30)),
        format!("{}{}", "{range ..[*]}".repeat(12), "{..}{end}".repeat(12)),
        format!("{}{}", "{range @}".repeat(50_000), "{end}".repeat(50_000)),
        "{end}".repeat(10_000),
        format!("{{{}}}", ".".repeat(100_000)),
        format!("{{{}}}", "..a".repeat(50_000)),
        format!("{{{}}}", "\\".repeat(100_001)),
        format!("{{\"{}\"}}", "\\u".repeat(10_000)),
        "{.spec.template.spec.containers[-9223372036854775808:9223372036854775807:9223372036854775807]}".into(),
        "{.spec.template.spec.containers[9223372036854775807:-9223372036854775808]}".into(),
        "{.spec.template.spec.containers[-9223372036854775808]}".into(),
        "{.spec.template.spec.containers[::1]..[::1]..[::1]..[::1]..[::1]..[::1]}".into(),
        "{..[*]..[*]..[*]..[*]..[*]..[*]..[*]..[*]..[*]..[*]}".into(),
        "{.a[?(@.b==\"\\\")]}".into(),
        "{.a[?(@.b=='x\")]}".into(),
        "{[?(@==@)]}".into(),
        "{\"\\400\"}{\"\\xZZ\"}{\"\\U00110000\"}{'\\''}{\"\\'\"}".into(),
    ];
    // Mutations of the table's templates: cut, doubled, bytes swapped.
    let table: Value = serde_json::from_str(
        &std::fs::read_to_string(data_dir().join("cases.json")).expect("cases.json"),
    )
    .expect("json");
    let mut seed: u64 = 0x5EED;
    for case in table["cases"].as_array().expect("cases") {
        let template: Vec<char> = case["template"]
            .as_str()
            .unwrap_or_default()
            .chars()
            .collect();
        for _ in 0..8 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let (a, b) = ((seed >> 33) as usize, (seed >> 13) as usize);
            let mut t = template.clone();
            if !t.is_empty() {
                let (i, j) = (a % t.len(), b % t.len());
                match seed % 4 {
                    0 => t.truncate(i),
                    1 => t.swap(i, j),
                    2 => t.insert(
                        i,
                        "[]{}()?@'\".,:*-=!<>\\$ 9"
                            .chars()
                            .nth(b % 24)
                            .unwrap_or('['),
                    ),
                    _ => t.extend(template[..i.min(j)].to_vec()),
                }
            }
            nasty.push(t.into_iter().collect());
        }
    }
    for template in &nasty {
        let started = std::time::Instant::now();
        let _ = jsonpath::render(template, &object);
        let _ = jsonpath::find(template, &object);
        let took = started.elapsed();
        assert!(
            took < std::time::Duration::from_secs(5),
            "{took:?} for {:?}",
            &template[..template.len().min(120)]
        );
    }
}
