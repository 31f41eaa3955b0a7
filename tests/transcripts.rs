//! Golden transcripts: the course's four experiments, run by the headless runner.
//!
//! Each folder under `tests/transcripts/` holds a `script.sh`, the manifests it applies, and
//! `transcript.out`, the expected output. `UPDATE_GOLDEN=1 cargo test --test transcripts`
//! rewrites the expectations (then read the diff!). Beyond byte equality, each experiment
//! checks the facts the course shows, so a rewritten golden file cannot hide a wrong count.
#![cfg(not(target_arch = "wasm32"))]

use rollout_kubectl::runner::run_script;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn folder(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/transcripts")
        .join(name)
}

/// An experiment's script and the manifests next to it.
fn experiment(name: &str) -> (String, BTreeMap<String, String>) {
    let dir = folder(name);
    let script = fs::read_to_string(dir.join("script.sh")).expect("script.sh");
    let mut files = BTreeMap::new();
    for entry in fs::read_dir(&dir).expect("folder").flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if file.ends_with(".yaml") {
            files.insert(file, fs::read_to_string(entry.path()).expect("manifest"));
        }
    }
    (script, files)
}

/// Runs an experiment and compares it with its golden transcript; returns the transcript.
fn check(name: &str) -> String {
    let dir = folder(name);
    let (script, files) = experiment(name);
    let transcript = run_script(&script, &files, 1);
    let golden = dir.join("transcript.out");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        fs::write(&golden, &transcript).expect("write golden");
    }
    let expected = fs::read_to_string(&golden).unwrap_or_default();
    if transcript != expected {
        let first = transcript
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{name}: transcript differs from tests/transcripts/{name}/transcript.out at line {}:\n  got:      {:?}\n  expected: {:?}\n(UPDATE_GOLDEN=1 rewrites it)",
            first + 1,
            transcript.lines().nth(first).unwrap_or(""),
            expected.lines().nth(first).unwrap_or("")
        );
    }
    transcript
}

/// The lines after the command `command` up to the next command.
fn output_of<'a>(transcript: &'a str, command: &str) -> Vec<&'a str> {
    let mut lines = transcript
        .lines()
        .skip_while(|l| *l != format!("$ {command}"));
    lines.next();
    lines.take_while(|l| !l.starts_with("$ ")).collect()
}

#[test]
fn blue_green_switches_all_traffic_with_the_service_selector() {
    let t = check("blue-green");
    assert!(t.contains("replicaset.apps/replicaset-demo created"));
    assert!(t.contains("service/demoapp-svc configured"));
    let answers: Vec<&str> = t
        .lines()
        .filter(|l| l.starts_with("iKubernetes demoapp"))
        .collect();
    assert_eq!(answers.len(), 8, "two curl loops of four");
    assert!(answers[..4]
        .iter()
        .all(|l| l.contains("v1.0 !!") && l.contains("ServerName: replicaset-demo-")));
    assert!(answers[4..]
        .iter()
        .all(|l| l.contains("v1.1 !!") && l.contains("ServerName: replicaset-demo-v1.1-")));
}

#[test]
fn a_manual_rolling_release_moves_pods_from_one_replicaset_to_the_other() {
    let t = check("manual-rolling");
    let rs = output_of(&t, "kubectl get rs");
    assert!(rs
        .iter()
        .any(|l| l.starts_with("replicaset-demo ") && l.contains(" 5 ")));
    let last_rs: Vec<&str> = t
        .lines()
        .filter(|l| l.starts_with("replicaset-demo"))
        .collect();
    assert!(last_rs
        .iter()
        .any(|l| l.split_whitespace().take(4).collect::<Vec<_>>()
            == ["replicaset-demo-v1.1", "5", "5", "5"]));
    // The release ends with the old ReplicaSet at zero and only v1.1 pods left, all ready.
    let rs_listings: Vec<&str> = t
        .split("$ kubectl get rs\n")
        .skip(1)
        .map(|s| s.split("\n$ ").next().unwrap_or(""))
        .collect();
    let last = rs_listings.last().copied().unwrap_or("");
    let row = |name: &str| {
        last.lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>())
            .find(|cols| cols.first() == Some(&name))
            .map(|cols| cols[1..4].join(" "))
    };
    assert_eq!(row("replicaset-demo").as_deref(), Some("0 0 0"), "{last}");
    assert_eq!(
        row("replicaset-demo-v1.1").as_deref(),
        Some("5 5 5"),
        "{last}"
    );
    let pods = output_of(&t, "kubectl get pods");
    assert_eq!(pods.len(), 6, "header and five pods: {pods:?}");
    assert!(
        pods[1..].iter().all(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            cols[0].starts_with("replicaset-demo-v1.1-") && cols[1..3] == ["1/1", "Running"]
        }),
        "{pods:?}"
    );
    assert!(t.contains("replicaset.apps \"replicaset-demo\" deleted"));
    assert!(t.contains("service \"demoapp-svc\" deleted"));
}

/// Asserts the rolling update's invariants after every row of a `kubectl get rs -w` watch
/// (`watch`, its lines after the command): DESIRED and CURRENT summed over the ReplicaSets
/// never exceed `replicas + max_surge`, and once both ReplicaSets have been listed, READY
/// summed never drops below `replicas - max_unavailable`. Returns each ReplicaSet's last
/// DESIRED, CURRENT, READY and the number of rows.
fn rolling_invariants_hold<'a>(
    watch: &[&'a str],
    replicas: i32,
    max_surge: i32,
    max_unavailable: i32,
) -> (BTreeMap<&'a str, [i32; 3]>, usize) {
    let mut columns: BTreeMap<&str, [i32; 3]> = BTreeMap::new();
    let mut rows = 0;
    for line in watch {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.len() < 4 || cols[0] == "NAME" {
            continue;
        }
        let numbers: Vec<i32> = cols[1..4].iter().filter_map(|c| c.parse().ok()).collect();
        assert_eq!(numbers.len(), 3, "{line}");
        columns.insert(cols[0], [numbers[0], numbers[1], numbers[2]]);
        rows += 1;
        let total = |i: usize| columns.values().map(|c| c[i]).sum::<i32>();
        assert!(
            total(0) <= replicas + max_surge && total(1) <= replicas + max_surge,
            "more than replicas + maxSurge after {line:?}: {columns:?}"
        );
        if columns.len() == 2 {
            assert!(
                total(2) >= replicas - max_unavailable,
                "fewer than replicas - maxUnavailable ready after {line:?}: {columns:?}"
            );
        }
    }
    (columns, rows)
}

#[test]
fn the_deployment_rolls_out_through_the_course_counts_and_undo_renumbers() {
    let t = check("deployment-rollout");
    // `get rs -w` during the update: DESIRED of old/new pass 3+2, then 1+4, then 0+4.
    let watch = output_of(
        &t,
        "kubectl apply -f deployment-demo-v1.1.yaml && timeout 60 kubectl get rs -w",
    );
    let desired = |line: &&str| {
        line.split_whitespace()
            .nth(1)
            .and_then(|d| d.parse::<i32>().ok())
    };
    // The old ReplicaSet is the one listed before the update.
    let old = output_of(&t, "kubectl get deploy,rs,pods")
        .iter()
        .find_map(|l| l.strip_prefix("replicaset.apps/"))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or("");
    let new = watch
        .iter()
        .filter_map(|l| l.split_whitespace().next())
        .find(|n| n.starts_with("deployment-demo-") && *n != old)
        .unwrap_or("");
    let mut sizes = BTreeMap::new();
    let mut seen: Vec<(i32, i32)> = Vec::new();
    for line in &watch {
        let name = line.split_whitespace().next().unwrap_or("");
        if let Some(d) = desired(line) {
            sizes.insert(name.to_string(), d);
        }
        let pair = (
            sizes.get(old).copied().unwrap_or(0),
            sizes.get(new).copied().unwrap_or(0),
        );
        if seen.last() != Some(&pair) {
            seen.push(pair);
        }
    }
    // The rolling invariants, after every row: deployment-demo-v1.1.yaml keeps 4 replicas and
    // the default strategy, 25% / 25% of 4 = maxSurge 1 (rounded up), maxUnavailable 1
    // (rounded down). So old + new never exceeds 5 — desired or current — and at least 3
    // pods are ready throughout.
    let manifest =
        fs::read_to_string(folder("deployment-rollout").join("deployment-demo-v1.1.yaml"))
            .expect("manifest");
    assert!(manifest.contains("replicas: 4") && !manifest.contains("strategy"));
    let (columns, rows) = rolling_invariants_hold(&watch, 4, 1, 1);
    assert!(rows >= 8, "the watch printed {rows} rows");
    assert_eq!(columns.get(new), Some(&[4, 4, 4]));
    assert_eq!(columns.get(old), Some(&[0, 0, 0]));
    for step in [(3, 2), (1, 4), (0, 4)] {
        assert!(seen.contains(&step), "{step:?} missing from {seen:?}");
    }
    // A watch prints each write: the old ReplicaSet's DESIRED drops first (1 of 3 current),
    // and its CURRENT follows on a later row, as the two controllers write in turn.
    let old_rows: Vec<(i32, i32)> = watch
        .iter()
        .filter(|l| l.starts_with(old))
        .filter_map(|l| {
            let mut cols = l.split_whitespace().skip(1).map(|c| c.parse::<i32>().ok());
            Some((cols.next()??, cols.next()??))
        })
        .collect();
    assert!(
        old_rows.contains(&(1, 3)) && old_rows.contains(&(1, 1)),
        "DESIRED before CURRENT: {old_rows:?}"
    );
    let histories: Vec<String> = t
        .split("$ kubectl rollout history deployment deployment-demo\n")
        .skip(1)
        .map(|s| {
            s.lines()
                .skip(2)
                .take_while(|l| !l.is_empty())
                .map(|l| l.split_whitespace().next().unwrap_or(""))
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    assert_eq!(
        histories,
        vec!["1,2", "2,3", "3,4"],
        "revisions renumber on undo"
    );
    assert!(t.contains("error: unable to find specified revision 9 in history"));
    assert!(t.contains("deployment \"deployment-demo\" successfully rolled out"));
}

#[test]
fn a_paused_rollout_is_a_canary_with_its_share_of_the_traffic() {
    let t = check("canary-pause");
    assert!(t.contains(
        "deployment.apps/deployment-demo image updated\ndeployment.apps/deployment-demo paused"
    ));
    assert!(t.contains("RollingUpdateStrategy:  0 max unavailable, 1 max surge"));
    let pods = output_of(&t, "kubectl get pods");
    assert_eq!(
        pods.len(),
        6,
        "header and 4 old + 1 canary pods:\n{}",
        pods.join("\n")
    );
    // The canary's share of the traffic: one of five ready pods answers v1.1, so `grep -c`
    // over 20 requests should count about 4 (binomial, n = 20, p = 1/5).
    let mut by_hash: BTreeMap<&str, usize> = BTreeMap::new();
    for pod in &pods[1..] {
        let name = pod.split_whitespace().next().unwrap_or("");
        let hash = name.rsplit('-').nth(1).unwrap_or("");
        *by_hash.entry(hash).or_default() += 1;
    }
    let mut sizes: Vec<usize> = by_hash.values().copied().collect();
    sizes.sort();
    assert_eq!(
        sizes,
        vec![1, 4],
        "one canary pod beside four old ones: {pods:?}"
    );
    let count = |transcript: &str| -> i32 {
        output_of(
            transcript,
            "for i in $(seq 20); do curl -s demoapp-svc.default; sleep 1; done | grep -c 'v1.1'",
        )
        .first()
        .and_then(|l| l.trim().parse().ok())
        .expect("grep -c prints a number")
    };
    let answer = count(&t);
    assert!(
        (1..=8).contains(&answer),
        "{answer} of 20 answers from the canary; expected about 4"
    );
    // Over ten seeds (200 requests) the share is pinned closer: 40 expected, σ ≈ 5.7.
    let (script, files) = experiment("canary-pause");
    let total: i32 = (1..=10)
        .map(|seed| count(&run_script(&script, &files, seed)))
        .sum();
    assert!(
        (40 - 17..=40 + 17).contains(&total),
        "{total} of 200 answers from the canary; expected about 40"
    );
    assert!(t.contains("Waiting for deployment \"deployment-demo\" rollout to finish: 1 out of 4 new replicas have been updated..."));
    assert!(t.contains("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again"));
    assert!(t.contains("deployment \"deployment-demo\" successfully rolled out"));
}

#[test]
fn the_same_script_and_seed_give_the_same_bytes() {
    let dir = folder("canary-pause");
    let script = fs::read_to_string(dir.join("script.sh")).expect("script");
    let files: BTreeMap<String, String> = ["deployment-demo.yaml", "service-rollout.yaml"]
        .iter()
        .map(|f| {
            (
                f.to_string(),
                fs::read_to_string(dir.join(f)).expect("file"),
            )
        })
        .collect();
    assert_eq!(
        run_script(&script, &files, 7),
        run_script(&script, &files, 7)
    );
}

#[test]
fn every_kubectl_verb_prints_what_kubectl_prints() {
    let t = check("kubectl-verbs");
    for expected in [
        "deployment.apps/deployment-demo unchanged",
        "Error from server (AlreadyExists): error when creating \"service-rollout.yaml\": services \"demoapp-svc\" already exists",
        "strict decoding error: unknown field \"spec.replica\", unknown field \"spec.template.spec.containers[0].imagee\"",
        "error: the server doesn't have a resource type \"deploymentz\"",
        "error: unable to find container named \"demo\"",
        "error: deployments.apps \"deployment-demo\" is already paused",
        "error: 'tier' already has a value (frontend), and --overwrite is false",
        "service/demoapp-svc patched (no change)",
        "Edit cancelled, no changes made.",
        "error: unknown command \"frobnicate\" for \"kubectl\"",
        "deployment.apps \"deployment-demo\" deleted",
        // kubectl v1.30.13's own words (tests/oracle.rs compares every help text with it).
        "    --to-revision=0:\n\tThe revision to rollback to. Default to 0 (last revision).\n",
        "Usage:\n  kubectl rollout status (TYPE NAME | TYPE/NAME) [flags] [options]\n",
        // Wrapped at the 120-column terminal the transcripts are recorded on, as kubectl does.
        "Usage:\n  kubectl set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N\n[options]\n",
    ] {
        assert!(t.contains(expected), "missing: {expected}");
    }
}

/// The verbs transcript's sections, each checked for what it says rather than its bytes.
#[test]
fn the_verbs_transcripts_sections_say_what_kubectl_says() {
    let t = check("kubectl-verbs");

    // rollout status: one line per watch event on the Deployment, so a message repeats while
    // the Deployment is written without its status line changing; the counts only move
    // forward and the last line is the success.
    for section in t
        .split("$ kubectl rollout status deployment/deployment-demo\n")
        .skip(1)
    {
        let lines: Vec<&str> = section
            .lines()
            .take_while(|l| !l.starts_with("$ "))
            .collect();
        assert_eq!(
            lines.last(),
            Some(&"deployment \"deployment-demo\" successfully rolled out"),
            "{lines:?}"
        );
        let mut updated = 0;
        let mut phase = 0;
        for line in &lines[..lines.len() - 1] {
            let rest = line
                .strip_prefix("Waiting for deployment \"deployment-demo\" rollout to finish: ")
                .unwrap_or_else(|| panic!("not a status line: {line:?}"));
            if let Some(n) = rest.strip_suffix(" out of 6 new replicas have been updated...") {
                let n: i32 = n.parse().expect("count");
                assert!(phase == 0 && n >= updated && n < 6, "{lines:?}");
                updated = n;
            } else if let Some(n) = rest.strip_suffix(" old replicas are pending termination...") {
                let n: i32 = n.parse().expect("count");
                assert!(
                    n > 0 && n <= 2,
                    "never more old pods than maxSurge 25% of 6: {lines:?}"
                );
                phase = 1;
            } else {
                assert!(
                    rest.ends_with(" updated replicas are available..."),
                    "{line:?}"
                );
                phase = 2;
            }
        }
        let distinct: std::collections::BTreeSet<&&str> = lines.iter().collect();
        assert!(
            distinct.len() < lines.len(),
            "a watch prints every event, repeats included: {lines:?}"
        );
    }

    // logs deploy/NAME: kubectl says on stderr which of the six pods it reads, then the log.
    let logs = output_of(&t, "kubectl logs deploy/deployment-demo");
    let chosen = logs[0]
        .strip_prefix("Found 6 pods, using pod/")
        .unwrap_or_else(|| panic!("{logs:?}"));
    assert!(chosen.starts_with("deployment-demo-"), "{chosen}");
    assert_eq!(
        logs[1], " * Running on http://0.0.0.0:80/ (Press CTRL+C to quit)",
        "{logs:?}"
    );

    // events: only ScalingReplicaSet rows about the Deployment, oldest first, the first one
    // the creation at the manifest's 4 replicas.
    let events = output_of(
        &t,
        "kubectl get events --field-selector reason=ScalingReplicaSet | head -n 3",
    );
    assert_eq!(events.len(), 3, "{events:?}");
    let mut ages = Vec::new();
    for row in &events[1..] {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(
            cols[1..4],
            ["Normal", "ScalingReplicaSet", "deployment/deployment-demo"],
            "{row}"
        );
        assert!(
            row.contains("Scaled up replica set deployment-demo-")
                || row.contains("Scaled down replica set deployment-demo-"),
            "{row}"
        );
        ages.push(cols[0]);
    }
    assert!(events[1].ends_with(" to 4 from 0"), "{events:?}");
    assert!(
        events[2].ends_with(" to 6 from 4"),
        "the scale to 6: {events:?}"
    );
    let seconds = |age: &str| -> i32 {
        let (m, s) = age.split_once('m').unwrap_or(("0", age));
        m.parse::<i32>().unwrap_or(0) * 60 + s.trim_end_matches('s').parse::<i32>().unwrap_or(0)
    };
    // The scale to 6 came 40 s (the script's `sleep 40`) after the creation.
    assert_eq!(seconds(ages[0]) - seconds(ages[1]), 40, "{ages:?}");

    // explain: the field, its type, and the defaults the controller applies.
    let explain = output_of(
        &t,
        "kubectl explain deployment.spec.strategy.rollingUpdate.maxSurge",
    );
    assert_eq!(
        explain[..5],
        [
            "GROUP:      apps",
            "KIND:       Deployment",
            "VERSION:    v1",
            "",
            "FIELD: maxSurge <IntOrString>"
        ]
    );
    let description = explain.join(" ");
    for fact in [
        "Defaults to 25%",
        "calculated from percentage by rounding up",
        "can not be 0 if MaxUnavailable is 0",
    ] {
        assert!(description.contains(fact), "{fact}");
    }
}

#[test]
fn generators_make_the_objects_kubectl_makes() {
    let t = check("generators");
    for expected in [
        "  strategy: {}\n",
        "        resources: {}\nstatus: {}\n",
        "deployment.apps/demoapp created",
        "error: failed to create deployment: deployments.apps \"demoapp\" already exists",
        // Two images of one name: kubectl names both containers alike, the server refuses.
        "error: failed to create deployment: Deployment.apps \"two\" is invalid: spec.template.spec.containers[1].name: Duplicate value: \"nginx\"",
        // A name with `.` or `_`: dashes and kubectl's random five-character suffix.
        "      - image: registry.k8s.io/pause_img.v2:3.9\n        name: pause-img-v2-",
        "error: required flag(s) \"image\" not set",
        "error: exactly one NAME is required, got 0",
        "error: Invalid dry-run value (maybe). Must be \"none\", \"server\", or \"client\".",
        "service/demoapp exposed",
        "Error from server (AlreadyExists): services \"demoapp\" already exists",
        "  - name: 80-80\n",
        "error: at least one tcp port specifier must be provided",
        "  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n",
        "pod/web created (dry run)",
        "error: --dry-run=[server|client] can't be used with attached containers options",
    ] {
        assert!(t.contains(expected), "missing: {expected}");
    }
    // The exposed Service selects the Deployment's pods: three endpoints.
    let endpoints = output_of(&t, "kubectl get endpoints demoapp");
    assert_eq!(endpoints[1].matches(":80").count(), 3, "{endpoints:?}");
    // Dry runs create nothing.
    assert_eq!(
        output_of(&t, "kubectl get pods -l run"),
        vec!["No resources found in default namespace."]
    );
}

/// The `Status:` line and the `Step:` line of each `get rollout` in a section.
fn rollout_headers(lines: &[&str]) -> (String, String) {
    let find = |label: &str| {
        lines
            .iter()
            .find(|l| l.trim_start().starts_with(label))
            .map(|l| l.trim_start()[label.len()..].trim().to_string())
            .unwrap_or_default()
    };
    (find("Status:"), find("Step:"))
}

#[test]
fn argo_rollouts_getting_started_canary_reads_as_the_guide_shows_it() {
    let transcript = check("argo-getting-started");
    let gets: Vec<Vec<&str>> = transcript
        .split("$ kubectl argo rollouts get rollout rollouts-demo\n")
        .skip(1)
        .map(|section| {
            section
                .lines()
                .take_while(|l| !l.starts_with("$ "))
                .collect()
        })
        .collect();
    let headers: Vec<(String, String)> = gets.iter().map(|lines| rollout_headers(lines)).collect();
    let expected = [
        ("✔ Healthy", "8/8"),
        ("॥ Paused", "1/8"),
        ("✔ Healthy", "8/8"),
        ("॥ Paused", "1/8"),
        ("✖ Degraded", "0/8"),
        ("✔ Healthy", "8/8"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(s, t)| (s.to_string(), t.to_string()))
        .collect();
    assert_eq!(headers, expected);
    // The guide's ReplicaSet names: Argo's hash of each colour's template.
    for name in [
        "rollouts-demo-5cd66ff7ff",
        "rollouts-demo-76ddfb4f47",
        "rollouts-demo-64fbcbbd74",
    ] {
        assert!(transcript.contains(name), "{name}");
    }
    assert!(transcript
        .contains("Message:         RolloutAborted: Rollout aborted update to revision 3\n"));
    // Paused at 20%: one yellow pod beside four blue ones.
    assert!(gets[1].iter().any(|l| l.trim() == "SetWeight:     20"));
    assert_eq!(gets[1].iter().filter(|l| l.contains("Pod ")).count(), 5);
}

#[test]
fn argo_rollouts_blue_green_previews_then_switches() {
    let transcript = check("argo-blue-green");
    let services = output_of(
        &transcript,
        "kubectl get svc rollout-bluegreen-active rollout-bluegreen-preview -o wide",
    );
    assert_eq!(services.len(), 3, "{services:?}");
    // While paused, the two Services select different ReplicaSets.
    let selector = |line: &str| {
        line.split_whitespace()
            .last()
            .unwrap_or_default()
            .to_string()
    };
    assert_ne!(selector(services[1]), selector(services[2]));
    assert!(transcript.contains("Message:         BlueGreenPause\n"));
    assert!(transcript.contains("\nrollout 'rollout-bluegreen' promoted\n"));
    assert!(
        transcript.contains("delay:"),
        "the old ReplicaSet shows its scale-down delay"
    );
    assert!(transcript.contains("• ScaledDown"));
}

#[test]
fn containers_run_their_commands_and_images_have_their_own_tools() {
    let transcript = check("pod-commands");
    // The command's output is the container's log; its exit code is the pod's fate.
    let status = |command: &str, nth: usize| -> String {
        let lines: Vec<&str> = transcript
            .split(&format!("$ {command}\n"))
            .nth(nth)
            .unwrap_or_default()
            .lines()
            .take(2)
            .collect();
        lines.get(1).copied().unwrap_or_default().to_string()
    };
    assert!(status("kubectl get pod once", 1).contains("Running"));
    assert!(status("kubectl get pod once", 2).contains("Error"));
    let logs: Vec<&str> = transcript.split("$ kubectl logs once\n").collect();
    assert!(logs[1].starts_with("start\niKubernetes demoapp v1.0 !!"));
    assert!(!logs[1].contains("done"), "the script is still sleeping");
    assert!(logs[2].contains("\ndone\n"));
    // busybox has no curl: the runtime cannot start it, and exec cannot run it.
    assert!(status("kubectl get pod nocurl", 1).contains("StartError"));
    assert!(transcript.contains("exec: \"curl\": executable file not found in $PATH"));
    // `run -it --rm -- CMD` shows the command's output, then deletes the pod; a failure is
    // kubectl's exit code.
    let attached = output_of(
        &transcript,
        "kubectl run t --image=busybox --restart=Never -it --rm -- wget -qO- web",
    );
    assert!(attached
        .iter()
        .any(|l| l.starts_with("iKubernetes demoapp v1.0")));
    assert_eq!(attached.last().copied(), Some("pod \"t\" deleted"));
    assert!(transcript.contains(
        "pod default/fails terminated (Error)\n$ echo \"exit status $?\"\nexit status 4\n"
    ));
    // exec runs in the pod: its hostname, its exit code.
    assert!(transcript.contains("in ticker\ncommand terminated with exit code 5\n"));
    assert!(transcript.contains("exit status 5\n"));
    assert!(transcript.contains("Connecting to web (10.96."));
    // The ticker wrote a line a second.
    let ticks = output_of(&transcript, "kubectl logs ticker --tail=2");
    assert_eq!(ticks.len(), 2, "{ticks:?}");
    assert!(ticks.iter().all(|l| l.starts_with("tick ")));
    // A crashing container restarts; --previous shows the last run's output.
    assert!(
        status("kubectl get pod crash", 1).contains("CrashLoopBackOff")
            || status("kubectl get pod crash", 1).contains("Error")
    );
    assert_eq!(
        output_of(&transcript, "kubectl logs crash --previous"),
        ["crashing"]
    );
}

/// The rollout the differential test also drives with the real kubectl v1.30 against
/// `rollout-lab apiserver` (issue #18): apply, set image, rollout status, undo, get -w.
#[test]
fn a_rollout_driven_as_a_real_kubectl_drives_it() {
    let t = check("real-kubectl-rollout");
    assert!(t.contains("deployment.apps/deployment-demo image updated"));
    // The undo's watch: deployment-demo.yaml keeps 4 replicas and the default strategy
    // (maxSurge 1, maxUnavailable 1), so every row keeps the rolling invariants, and it ends
    // with the first ReplicaSet back at 4 and the second at 0.
    let manifest = fs::read_to_string(folder("real-kubectl-rollout").join("deployment-demo.yaml"))
        .expect("manifest");
    assert!(manifest.contains("replicas: 4") && !manifest.contains("strategy"));
    let watch = output_of(&t, "timeout 60 kubectl get rs -w");
    let (columns, rows) = rolling_invariants_hold(&watch, 4, 1, 1);
    assert!(rows >= 6, "the watch printed {rows} rows: {watch:?}");
    let mut last: Vec<[i32; 3]> = columns.values().copied().collect();
    last.sort();
    assert_eq!(last, vec![[0, 0, 0], [4, 4, 4]], "{columns:?}");
    assert!(t.contains("deployment \"deployment-demo\" successfully rolled out"));
    assert!(t.contains("deployment.apps/deployment-demo rolled back"));
}

/// The verbs scripts use between steps (issue #12), each judged by kubectl v1.30 through the
/// differential test: `wait` blocks on the virtual clock until its condition holds.
#[test]
fn scripts_wait_for_conditions_on_the_virtual_clock() {
    let t = check("script-verbs");
    assert_eq!(
        output_of(
            &t,
            "kubectl wait --for=condition=Available deployment/deployment-demo --timeout=60s"
        ),
        ["deployment.apps/deployment-demo condition met"]
    );
    assert_eq!(
        output_of(&t, "kubectl wait --for=condition=Ready pod -l app=demoapp").len(),
        4
    );
    assert_eq!(
        output_of(
            &t,
            "kubectl wait --for=condition=Available deploy/deployment-demo svc/demoapp-svc --timeout=3s"
        ),
        [
            "deployment.apps/deployment-demo condition met",
            "error: timed out waiting for the condition on services/demoapp-svc"
        ]
    );
    // Deleted pods: each one met as it goes.
    assert!(output_of(
        &t,
        "kubectl wait --for=delete pod -l app=demoapp --timeout=2m"
    )
    .iter()
    .all(|l| l.ends_with(" condition met")));
    assert_eq!(
        output_of(&t, "kubectl get pods"),
        ["No resources found in default namespace."]
    );
}

/// `--field-selector` selects by each kind's field labels, as the API server does, and an
/// unsupported label is the server's BadRequest (judged by kubectl v1.30 in the oracle).
#[test]
fn field_selectors_select_by_the_fields_the_api_server_knows() {
    let t = check("script-verbs");
    let running = output_of(&t, "kubectl get pods --field-selector=status.phase=Running");
    assert_eq!(
        running.len(),
        6,
        "a header, four demo pods and web: {running:?}"
    );
    assert!(running.iter().all(|l| !l.starts_with("bad ")));
    assert!(output_of(
        &t,
        "kubectl get pods --field-selector status.phase!=Running"
    )
    .iter()
    .any(|l| l.starts_with("bad ")));
    assert_eq!(
        output_of(&t, "kubectl get deploy --field-selector=status.phase=Running"),
        ["Error from server (BadRequest): Unable to find \"apps/v1, Resource=deployments\" that match label selector \"\", field selector \"status.phase=Running\": field label not supported: status.phase"]
    );
}

/// `kubectl set env|resources` change the pod template as kubectl 1.30 does (its lines judged
/// by the oracle), so the Deployment rolls out; removing a variable takes it out.
#[test]
fn set_env_and_set_resources_change_the_pod_template() {
    let t = check("script-verbs");
    assert_eq!(
        output_of(&t, "kubectl set env deploy/deployment-demo A=1 B=two"),
        ["deployment.apps/deployment-demo env updated"]
    );
    // Unchanged: nothing printed.
    assert!(output_of(&t, "kubectl set env deploy/deployment-demo A=1").is_empty());
    assert_eq!(
        output_of(&t, "kubectl set env deploy --all --list X=1"),
        [
            "# Deployment deployment-demo, container demoapp",
            "B=two",
            "C=3",
            "D=4",
            "X=1"
        ]
    );
    assert!(t.contains("{\"limits\":{\"cpu\":\"200m\",\"memory\":\"512Mi\"},\"requests\":{\"cpu\":\"100m\",\"memory\":\"256Mi\"}}"));
    assert_eq!(
        output_of(&t, "kubectl set BAD"),
        [
            "error: unknown command \"BAD\"",
            "See 'kubectl set -h' for help and examples"
        ]
    );
}

/// A cluster with limits (issue #12): three 2-CPU workers hold three pods of 1.5 CPU; the
/// rolling update's surge pod fits nowhere, stays Pending with kube-scheduler's event, and
/// the rollout stalls until scaling down frees a node.
#[test]
fn a_full_cluster_stalls_a_rollout_until_room_appears() {
    let t = check("node-capacity");
    let pending = output_of(&t, "kubectl get pods --field-selector=status.phase=Pending");
    assert_eq!(pending.len(), 2, "{pending:?}");
    assert!(pending[1].contains("0/1     Pending"));
    assert!(t.contains("  Warning  FailedScheduling  20s   default-scheduler  0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..\n"));
    assert!(t.contains("  cpu                1500m (75%)  0 (0%)\n"));
    assert!(t.contains("deployment \"web\" successfully rolled out"));
    // Cordoned, the free node takes nothing; uncordoned, the waiting pod lands there.
    assert!(t.contains("k8s-node01   Ready,SchedulingDisabled   <none>   17d   v1.30.13\n"));
    assert!(t.contains("1 node(s) were unschedulable, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.."));
    let placed = t
        .lines()
        .rev()
        .find(|l| l.contains(" 10s "))
        .unwrap_or_default();
    assert!(
        placed.contains("Running") && placed.contains("k8s-node01"),
        "{placed}"
    );
    assert!(t.ends_with("status is now: NodeSchedulable\n"));
}

/// Draining a node under a PodDisruptionBudget (issue #12): the second pod of the node is
/// refused and retried every 5 s until the first one's replacement is ready elsewhere; an
/// unmanaged pod stops the drain without `--force`; a budget that allows nothing holds it
/// until `--timeout`.
#[test]
fn a_drain_waits_for_the_budget_until_the_replacement_is_ready() {
    let t = check("pdb-drain");
    let drain = output_of(
        &t,
        "kubectl drain k8s-node01 --ignore-daemonsets --delete-emptydir-data",
    );
    let refused =
        "(will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.";
    let retries = drain.iter().filter(|l| l.ends_with(refused)).count();
    assert!(retries >= 2, "{drain:?}");
    assert_eq!(drain.first(), Some(&"node/k8s-node01 cordoned"));
    assert_eq!(drain.last(), Some(&"node/k8s-node01 drained"));
    assert_eq!(drain.iter().filter(|l| l.ends_with(" evicted")).count(), 2);
    assert!(t.contains("web    N/A             1                 1                     20s\n"));
    assert!(t.contains("  disruptionsAllowed: 1\n  expectedPods: 6\n"));
    assert!(t.contains("\ncannot delete cannot delete Pods that declare no controller (use --force to override): default/bare\n"));
    assert!(t.contains("Warning: deleting Pods that declare no controller: default/bare\n"));
    assert!(t.contains("global timeout reached: 12s\n"));
    assert!(t.contains("node/k8s-node02 drained (dry run)\n"));
}

/// A node failing under a running app and coming back (issue #12): requests to its pod time
/// out until the node lifecycle controller notices (40 s grace, 5 s ticks), then the pod
/// leaves the endpoints; after the default 300 s toleration it is deleted and replaced
/// elsewhere, staying Terminating until its kubelet is back to stop it.
#[test]
fn a_failed_node_is_noticed_tainted_and_its_pod_replaced_after_the_toleration() {
    let t = check("node-failure");
    assert!(t.contains("k8s-node02   NotReady   <none>   17d   v1.30.13\n"));
    assert!(t.contains("Taints:             node.kubernetes.io/unreachable:NoExecute\n"));
    assert!(t.contains(
        "  Ready                Unknown   Fri, 06 Nov 2026 09:00:00 +0000   Mon, 23 Nov 2026 09:01:05 +0000"
    ));
    assert!(t.contains("NodeStatusUnknown   Kubelet stopped posting node status.\n"));
    // Before the controller notices, some requests time out; after, none do.
    let curls: Vec<&str> = t.lines().filter(|l| l.ends_with(" exit 28")).collect();
    assert!(
        !curls.is_empty(),
        "no request timed out before the node was noticed"
    );
    let after = t
        .split("kubectl describe node k8s-node02\n")
        .nth(1)
        .unwrap_or_default();
    let after = after.split("$ sleep 300").next().unwrap_or_default();
    assert!(!after.contains("exit 28"), "{after}");
    assert_eq!(after.matches(" exit 0").count(), 6, "{after}");
    assert!(t.contains("Marking for deletion Pod default/demoapp-"));
    assert!(t.contains("1/1     Terminating   0          6m9s"));
    assert!(t.contains("  RenewTime:       Mon, 23 Nov 2026 09:00:20 +0000\n"));
    assert!(t.contains("Node k8s-node02 status is now: NodeNotReady\n"));
    assert!(t.contains("Node k8s-node02 status is now: NodeReady\n"));
    assert!(t.contains(
        "$ kubectl describe node k8s-node02 | grep Taints\nTaints:             <none>\n"
    ));
    let last = t
        .rsplit("$ kubectl get pods -o wide\n")
        .next()
        .unwrap_or_default();
    assert!(!last.contains("Terminating"), "{last}");
    assert_eq!(last.matches("Running").count(), 3, "{last}");
}

/// An autoscaler driving replicas while a new version rolls out (issue #12): metrics-server
/// from its release, `kubectl top` before and after its first scrape, the HPA scaling up by
/// its default policies as a load pod's requests raise demoapp's CPU, the Deployment scaled
/// proportionally mid-rollout, and the 300 s stabilization window before it scales down.
#[test]
fn an_autoscaler_scales_a_deployment_in_the_middle_of_a_rollout() {
    let t = check("autoscaling");
    assert_eq!(
        output_of(&t, "kubectl top pods").first(),
        Some(&"error: Metrics API not available")
    );
    assert!(t.contains("horizontalpodautoscaler.autoscaling/demoapp autoscaled\n"));
    assert!(t.contains(
        "demoapp   Deployment/demoapp   cpu: <unknown>/50%   2         8         0          0s\n"
    ));
    assert!(t.contains(
        "New size: 6; reason: cpu resource utilization (percentage of request) above target"
    ));
    assert!(t.contains("reason: All metrics below target"));
    // Both ReplicaSets were scaled while the rollout was under way.
    let rs = output_of(&t, "kubectl get rs");
    assert_eq!(rs.len(), 3, "{rs:?}");
}

#[test]
fn text_tools_read_kubectl_output_as_gnu_tools_do() {
    let t = check("text-tools");
    let running = output_of(
        &t,
        "kubectl get pods --no-headers | awk '$3 == \"Running\" {n++} END {print n \" running\"}'",
    );
    assert_eq!(running, ["4 running"]);
    let counted = output_of(&t, "grep -c 'replicas: 2' d.yaml");
    // spec.replicas and status.replicas: sed replaces on every line.
    assert_eq!(counted, ["2"]);
    let found = output_of(&t, "kubectl get pods -o name | xargs -I{} echo found {}");
    assert!(
        found.iter().all(|l| l.starts_with("found pod/")),
        "{found:?}"
    );
    assert!(t.contains("awk: cmd. line:1: {print $1\n"));
    // One slice per Service, `<service>-<5 random characters>`, terminating pods kept.
    let slices = output_of(&t, "kubectl get endpointslices");
    assert!(
        slices[1].starts_with("demoapp-svc-")
            && slices[1][12..].starts_with(|c: char| c.is_ascii_alphanumeric()),
        "{slices:?}"
    );
    assert_eq!(slices[1].split_whitespace().nth(1), Some("IPv4"));
    let terminating = output_of(
        &t,
        "kubectl get endpointslices -o yaml | grep -c 'terminating: true'",
    );
    assert_eq!(terminating, ["2"]);
    // kubectl diff: 0 without differences, 1 with them (after the unified diff), 2 on error.
    assert_eq!(
        output_of(
            &t,
            "kubectl diff -f deployment-demo.yaml; echo \"diff: $?\""
        ),
        ["diff: 0"]
    );
    let changed = output_of(
        &t,
        "kubectl diff -f v11.yaml -f service-rollout.yaml; echo \"diff: $?\"",
    );
    assert!(
        changed[0].starts_with("diff -u -N /tmp/LIVE-"),
        "{changed:?}"
    );
    assert!(changed.contains(&"+      - image: ikubernetes/demoapp:v1.1"));
    assert_eq!(changed.last(), Some(&"diff: 1"));
    assert!(t.contains("sed: -e expression #1, char 5: unterminated `s' command\n"));
}

/// What `rollout-lab apiserver` serves beyond the verbs (issue #18): `kubectl explain` from
/// OpenAPI v3, an add-on's kinds once installed. The oracle test
/// (`crates/apiserver/tests/oracle.rs`) runs it against kubectl v1.30 too.
#[test]
fn the_api_server_transcript_explains_built_in_and_add_on_kinds() {
    let t = check("api-server");
    let strategy = output_of(&t, "kubectl explain deployment.spec.strategy");
    assert_eq!(strategy[0], "GROUP:      apps");
    assert!(strategy.contains(&"FIELD: strategy <DeploymentStrategy>"));
    let before = output_of(&t, "kubectl explain rollouts");
    assert_eq!(
        before,
        ["the server doesn't have a resource type \"rollouts\""]
    );
    assert!(t.contains("KIND:       Rollout\n"));
}

#[test]
fn the_gateway_api_routes_report_their_conditions_and_weights_move_by_patch() {
    let transcript = check("gateway-api");
    // Before the release is installed the kinds do not exist.
    assert!(transcript.contains("error: the server doesn't have a resource type \"gatewayclass\""));
    let conditions = output_of(
        &transcript,
        "kubectl get httproute demoapp -o jsonpath='{range .status.parents[*].conditions[*]}{.type}={.status} {.reason}: {.message}{\"\\n\"}{end}'",
    );
    assert_eq!(
        conditions,
        [
            "Accepted=True Accepted: Route is accepted",
            "ResolvedRefs=False BackendNotFound: Failed to process route rule 0 backendRef 0: service default/demoapp-stable not found.",
        ]
    );
    let weights = output_of(
        &transcript,
        "kubectl get httproute demoapp -o jsonpath='{.metadata.generation} {.spec.rules[0].backendRefs[*].weight}{\"\\n\"}'",
    );
    assert_eq!(weights, ["2 0 100"]);
    assert!(transcript.contains(
        "spec.rules[0].backendRefs[0].weight in body should be less than or equal to 1000000"
    ));
}

#[test]
fn lesson_17_canary_through_a_gateway_splits_by_weight_and_pins_testers() {
    let transcript = check("gateway-canary");
    let count = |command: &str| -> Vec<u32> {
        transcript
            .split(&format!("$ {command}\n"))
            .skip(1)
            .filter_map(|section| section.lines().next()?.parse().ok())
            .collect()
    };
    let weighted = count("for i in $(seq 100); do curl -s -m 2 -H 'Host: demoapp.example.com' 10.0.0.201; done | grep -c v1.1");
    // 90/10: about 10 of 100 (the conformance tolerance), then every one after 0/100.
    assert_eq!(weighted.len(), 2, "{weighted:?}");
    assert!((5..=15).contains(&weighted[0]), "{weighted:?}");
    assert_eq!(weighted[1], 100);
    let pinned = count("for i in $(seq 10); do curl -s -m 2 -H 'Host: demoapp.example.com' -H 'X-Canary: always' 10.0.0.201; done | grep -c v1.1");
    assert_eq!(pinned, [10]);
}

/// Lesson 19: an Argo Rollouts canary through the Gateway API plugin. The controller moves
/// the HTTPRoute's backendRef weights step by step (10, 50, then 100/0 at the end), adds
/// the `setHeaderRoute` step's rule for testers and removes it when the update completes.
#[test]
fn lesson_19_argo_canary_through_the_gateway_api_plugin() {
    let t = check("argo-gateway-canary");
    let weights = "kubectl get httproute demoapp -o jsonpath='{range .spec.rules[*].backendRefs[*]}{.name}={.weight}{\"\\n\"}{end}'";
    let sections: Vec<Vec<&str>> = t
        .split(&format!("$ {weights}\n"))
        .skip(1)
        .map(|s| s.lines().take_while(|l| !l.starts_with("$ ")).collect())
        .collect();
    assert_eq!(
        sections,
        vec![
            vec!["demoapp-stable=100", "demoapp-canary=0"],
            vec!["demoapp-stable=90", "demoapp-canary=10"],
            vec!["demoapp-stable=50", "demoapp-canary=50", "demoapp-canary=1"],
            vec!["demoapp-stable=100", "demoapp-canary=0"],
        ]
    );
    let count = |command: &str| -> Vec<u32> {
        t.split(&format!("$ {command}\n"))
            .skip(1)
            .filter_map(|section| section.lines().next()?.parse().ok())
            .collect()
    };
    let weighted = count("for i in $(seq 100); do curl -s -m 2 -H 'Host: demoapp.example.com' 10.0.0.201; done | grep -c v1.1");
    assert_eq!(weighted.len(), 2, "{weighted:?}");
    assert!((3..=18).contains(&weighted[0]), "{weighted:?}");
    assert!((35..=65).contains(&weighted[1]), "{weighted:?}");
    let pinned = count("for i in $(seq 10); do curl -s -m 2 -H 'Host: demoapp.example.com' -H 'X-Canary: always' 10.0.0.201; done | grep -c v1.1");
    assert_eq!(pinned, [10]);
    let route = output_of(&t, "kubectl get httproute demoapp -o yaml").join("\n");
    assert!(route.contains("name: testers"), "{route}");
    assert!(
        route.contains("rollouts.argoproj.io/gatewayapi-canary: in-progress"),
        "{route}"
    );
    let after = count("for i in $(seq 10); do curl -s -m 2 -H 'Host: demoapp.example.com' 10.0.0.201; done | grep -c v1.1");
    assert_eq!(after, [10]);
}

/// Lesson 18: a dark launch through a Gateway. While the route mirrors to v1.1, every answer
/// is v1.0's (the mirrored copies' answers are dropped) and v1.1's Service answers the copies;
/// after the shift by weights 80/20, about a fifth of the answers are v1.1's.
#[test]
fn lesson_18_dark_launch_mirrors_to_v11_and_answers_only_from_v10() {
    let transcript = check("gateway-dark-launch");
    assert_eq!(
        output_of(
            &transcript,
            "kubectl get httproute demoapp -o jsonpath='{.spec.rules[0].filters[0].type} -> {.spec.rules[0].filters[0].requestMirror.backendRef.name}{\"\\n\"}'"
        ),
        ["RequestMirror -> demoapp-v11"]
    );
    let mirrored = output_of(
        &transcript,
        "for i in $(seq 20); do curl -s -m 2 -H 'Host: demoapp.example.com' 10.0.0.201; done | grep -c v1.1",
    );
    assert_eq!(mirrored, ["0"]);
    let shifted = output_of(
        &transcript,
        "for i in $(seq 100); do curl -s -m 2 -H 'Host: demoapp.example.com' 10.0.0.201; done | grep -c v1.1",
    );
    let share: u32 = shifted.first().and_then(|l| l.parse().ok()).unwrap_or(0);
    assert!((10..=30).contains(&share), "{shifted:?}");
}

/// `kubectl port-forward` in the background (issue #12): its lines as kubectl v1.30 prints
/// them, `curl localhost:PORT` reaching the picked pod (from `127.0.0.1`, as a forwarded
/// connection does), kubectl's errors, and the end when the pod goes away.
#[test]
fn a_port_forward_in_the_background_serves_curl_until_its_pod_goes() {
    let t = check("port-forward");
    let refused =
        "curl: (7) Failed to connect to localhost port 8080 after 0 ms: Couldn't connect to server";
    assert_eq!(output_of(&t, "curl localhost:8080"), vec![refused]);
    let after_kill = t.split("$ kill %1\n").nth(1).unwrap_or_default();
    assert_eq!(output_of(after_kill, "curl localhost:8080"), vec![refused]);
    assert_eq!(
        output_of(&t, "kubectl port-forward svc/demoapp-svc 8080:80 &"),
        vec![
            "[1] 4249",
            "Forwarding from 127.0.0.1:8080 -> 80",
            "Forwarding from [::1]:8080 -> 80"
        ]
    );
    let served = output_of(&t, "curl -s localhost:8080");
    assert_eq!(served[0], "Handling connection for 8080");
    assert!(
        served[1].contains("ClientIP: 127.0.0.1, ServerName: demoapp-"),
        "{served:?}"
    );
    assert_eq!(
        output_of(&t, "kill %1"),
        vec!["[1]+  Terminated              kubectl port-forward svc/demoapp-svc 8080:80"]
    );
    assert!(t.contains("\nerror: Service demoapp-svc does not have a service port 81\n"));
    assert!(t.contains(
        "\nerror: unable to forward port because pod is not running. Current status=Pending\n"
    ));
    assert!(t.contains("Forwarding from 0.0.0.0:9090 -> 80\nHandling connection for 9090\nerror: lost connection to pod\n"));
    assert_eq!(output_of(&t, "echo $?"), vec!["124"]);
}

/// A pod's own `topologySpreadConstraints` (issue #12): six replicas spread two per zone; a
/// hostname constraint with one node cordoned leaves the third replica Pending with
/// kube-scheduler's message until the node is back; a key no node has; the API server's
/// checks and strict decoding of a constraint.
#[test]
fn topology_spread_constraints_place_pods_as_kube_scheduler_does() {
    let t = check("topology-spread");
    let zones = output_of(&t, "kubectl get pods -l app=spread-zones -o wide");
    for node in ["k8s-node01", "k8s-node02", "k8s-node03"] {
        assert_eq!(
            zones.iter().filter(|l| l.contains(node)).count(),
            2,
            "{zones:#?}"
        );
    }
    assert!(t.contains("0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match pod topology spread constraints. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..\n"));
    let after = t
        .split("$ kubectl uncordon k8s-node03\n")
        .nth(1)
        .unwrap_or_default();
    let hosts = output_of(after, "kubectl get pods -l app=spread-hosts -o wide");
    assert_eq!(
        hosts.iter().filter(|l| l.contains(" Running ")).count(),
        3,
        "{hosts:#?}"
    );
    assert!(t.contains("3 node(s) didn't match pod topology spread constraints (missing required label). preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..\n"));
    assert!(t.contains("* spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero\n"));
    assert!(t.contains(
        "strict decoding error: unknown field \"spec.topologySpreadConstraints[0].topologykey\"\n"
    ));
}

/// `--subresource` on get and patch (kubectl 1.30's beta flag, KEP-2590): `scale` is a
/// `Scale` with its own table, writing it scales the Deployment; a status written is answered
/// and the controller's status stays; bulk requests and other names are refused as kubectl
/// refuses them (each line judged by the oracle too).
#[test]
fn subresources_are_the_object_its_scale_and_its_status() {
    let t = check("subresources");
    assert_eq!(
        output_of(&t, "kubectl get deploy web --subresource=scale"),
        [
            "NAME   DESIREDREPLICAS   AVAILABLEREPLICAS",
            "web    2                 2"
        ]
    );
    assert_eq!(
        output_of(&t, "kubectl get deploy --subresource=scale"),
        ["error: subresource cannot be used when bulk resources are specified"]
    );
    assert_eq!(
        output_of(
            &t,
            "kubectl patch deploy web --subresource=status --type=merge --patch-file=status-patch.yaml"
        ),
        ["deployment.apps/web patched"]
    );
    assert!(output_of(&t, "kubectl get deploy web")[1].starts_with("web    3/3"));
}
