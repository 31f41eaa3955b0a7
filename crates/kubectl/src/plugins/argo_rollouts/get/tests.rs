//! Upstream's `get_test.go` goldens, rendered from hand-built views (the objects behind them
//! are upstream's testdata; the lab's cluster is exercised in `tests/argo_plugin.rs`).

use super::*;
use crate::plugins::argo_rollouts::info::{PodInfo, ICON_NEUTRAL, ICON_OK};

const NOW: Time = Time(100 * 86_400_000);
const WEEK_AGO: Option<Time> = Some(Time(93 * 86_400_000));

fn pod(name: &str, status: &str, icon: &'static str, ready: &str) -> PodInfo {
    PodInfo {
        name: name.into(),
        created: WEEK_AGO,
        status: status.into(),
        icon,
        ready: ready.into(),
        restarts: 0,
    }
}

fn running(name: &str) -> PodInfo {
    pod(name, "Running", ICON_OK, "1/1")
}

fn replica_set(
    name: &str,
    revision: i64,
    status: &'static str,
    icon: &'static str,
) -> ReplicaSetInfo {
    ReplicaSetInfo {
        name: name.into(),
        created: WEEK_AGO,
        status,
        icon,
        revision,
        replicas: 0,
        available: 0,
        stable: false,
        canary: false,
        active: false,
        preview: false,
        ping: false,
        pong: false,
        scale_down_deadline: String::new(),
        images: Vec::new(),
        pods: Vec::new(),
    }
}

fn rollout(name: &str, namespace: &str, status: &str, icon: &'static str) -> RolloutInfo {
    RolloutInfo {
        name: name.into(),
        namespace: namespace.into(),
        created: WEEK_AGO,
        status: status.into(),
        message: String::new(),
        icon,
        strategy: "",
        step: String::new(),
        set_weight: String::new(),
        actual_weight: String::new(),
        desired: 0,
        current: 0,
        updated: 0,
        ready: 0,
        available: 0,
        replica_sets: Vec::new(),
        analysis_runs: Vec::new(),
    }
}

/// TestGetBlueGreenRollout's objects.
fn blue_green() -> RolloutInfo {
    let mut preview = replica_set("bluegreen-demo-74b948fccb", 11, "Healthy", ICON_OK);
    preview.preview = true;
    preview.replicas = 3;
    preview.images = vec!["argoproj/rollouts-demo:green".into()];
    preview.pods = ["5jz59", "mkhrl", "vvj2t"]
        .iter()
        .map(|s| running(&format!("bluegreen-demo-74b948fccb-{s}")))
        .collect();
    let mut active = replica_set("bluegreen-demo-6cbccd9f99", 10, "Healthy", ICON_OK);
    active.stable = true;
    active.active = true;
    active.replicas = 3;
    active.images = vec!["argoproj/rollouts-demo:blue".into()];
    active.pods = ["gk78v", "kxj8g", "t2d4f"]
        .iter()
        .map(|s| running(&format!("bluegreen-demo-6cbccd9f99-{s}")))
        .collect();
    let old = replica_set("bluegreen-demo-746d5fddf6", 8, "ScaledDown", ICON_NEUTRAL);
    RolloutInfo {
        message: "BlueGreenPause".into(),
        strategy: "BlueGreen",
        desired: 3,
        current: 6,
        updated: 3,
        ready: 6,
        available: 3,
        replica_sets: vec![preview, active, old],
        ..rollout("bluegreen-demo", "jesse-test", "Paused", info::ICON_PAUSED)
    }
}

/// TestGetCanaryRollout's objects.
fn canary() -> RolloutInfo {
    let mut canary = replica_set(
        "canary-demo-65fb5ffc84",
        31,
        "Progressing",
        info::ICON_PROGRESSING,
    );
    canary.canary = true;
    canary.replicas = 1;
    canary.images = vec!["argoproj/rollouts-demo:does-not-exist".into()];
    canary.pods = vec![pod(
        "canary-demo-65fb5ffc84-9wf5r",
        "ImagePullBackOff",
        info::ICON_WARNING,
        "0/1",
    )];
    let mut stable = replica_set("canary-demo-877894d5b", 30, "Healthy", ICON_OK);
    stable.stable = true;
    stable.replicas = 5;
    stable.images = vec!["argoproj/rollouts-demo:green".into()];
    stable.pods = ["6jfpt", "7jmqw", "j8g2b", "jw5qm", "kh7x4"]
        .iter()
        .map(|s| running(&format!("canary-demo-877894d5b-{s}")))
        .collect();
    let old = replica_set("canary-demo-859c99b45c", 29, "ScaledDown", ICON_NEUTRAL);
    RolloutInfo {
        message: "ProgressDeadlineExceeded: ReplicaSet \"canary-demo-65fb5ffc84\" has timed out progressing.".into(),
        strategy: "Canary",
        step: "0/8".into(),
        set_weight: "20".into(),
        actual_weight: "0".into(),
        desired: 5,
        current: 6,
        updated: 1,
        ready: 5,
        available: 5,
        replica_sets: vec![canary, stable, old],
        ..rollout("canary-demo", "jesse-test", "Degraded", info::ICON_BAD)
    }
}

fn strip_trailing_spaces(text: &str) -> String {
    text.lines()
        .map(|line| line.trim_end_matches(' '))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn a_blue_green_rollout_prints_the_upstream_golden_byte_for_byte() {
    let golden = include_str!("../../../../tests/data/argo-get-rollout-bluegreen.golden.txt");
    assert_eq!(print_rollout(&blue_green(), NOW, Colors(false)), golden);
}

#[test]
fn a_degraded_canary_prints_step_weights_and_the_image_pull_failure() {
    let expected = "\
Name:            canary-demo
Namespace:       jesse-test
Status:          ✖ Degraded
Message:         ProgressDeadlineExceeded: ReplicaSet \"canary-demo-65fb5ffc84\" has timed out progressing.
Strategy:        Canary
  Step:          0/8
  SetWeight:     20
  ActualWeight:  0
Images:          argoproj/rollouts-demo:does-not-exist (canary)
                 argoproj/rollouts-demo:green (stable)
Replicas:
  Desired:       5
  Current:       6
  Updated:       1
  Ready:         5
  Available:     5

NAME                                     KIND        STATUS              AGE  INFO
⟳ canary-demo                            Rollout     ✖ Degraded          7d
├──# revision:31
│  └──⧉ canary-demo-65fb5ffc84           ReplicaSet  ◌ Progressing       7d   canary
│     └──□ canary-demo-65fb5ffc84-9wf5r  Pod         ⚠ ImagePullBackOff  7d   ready:0/1
├──# revision:30
│  └──⧉ canary-demo-877894d5b            ReplicaSet  ✔ Healthy           7d   stable
│     ├──□ canary-demo-877894d5b-6jfpt   Pod         ✔ Running           7d   ready:1/1
│     ├──□ canary-demo-877894d5b-7jmqw   Pod         ✔ Running           7d   ready:1/1
│     ├──□ canary-demo-877894d5b-j8g2b   Pod         ✔ Running           7d   ready:1/1
│     ├──□ canary-demo-877894d5b-jw5qm   Pod         ✔ Running           7d   ready:1/1
│     └──□ canary-demo-877894d5b-kh7x4   Pod         ✔ Running           7d   ready:1/1
└──# revision:29
   └──⧉ canary-demo-859c99b45c           ReplicaSet  • ScaledDown        7d
";
    assert_eq!(
        strip_trailing_spaces(&print_rollout(&canary(), NOW, Colors(false))),
        expected
    );
}

#[test]
fn colour_wraps_icons_tags_and_tagged_names_without_moving_the_columns() {
    let text = print_rollout(&canary(), NOW, Colors(true));
    assert!(text.contains("Status:          \x1b[31m✖\x1b[0m Degraded\n"));
    assert!(text.contains(
        "Images:          argoproj/rollouts-demo:does-not-exist (\x1b[33mcanary\x1b[0m)\n"
    ));
    assert!(text.contains(
        "│  └──⧉ \x1b[33mcanary-demo-65fb5ffc84\x1b[0m           ReplicaSet  \x1b[94m◌\x1b[0m Progressing       7d   \x1b[33mcanary\x1b[0m\n"
    ));
    // An icon without a colour is still wrapped, in `ESC[0m`.
    let text = print_rollout(&blue_green(), NOW, Colors(true));
    assert!(text.contains(
        "⟳ bluegreen-demo                            Rollout     \x1b[0m॥\x1b[0m Paused      7d   \n"
    ));
    assert!(text.contains("\x1b[32m\x1b[32mbluegreen-demo-6cbccd9f99\x1b[0m\x1b[0m"));
    let plain: String = strip_sgr(&text);
    assert_eq!(plain, print_rollout(&blue_green(), NOW, Colors(false)));
}

fn strip_sgr(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn an_aborted_rollout_shows_its_analysis_run_under_the_revision() {
    // TestGetAbortedRollout: the AnalysisRun rows the lab prints once it has the kind.
    let mut canary = replica_set(
        "rollout-background-analysis-db976bc44",
        2,
        "ScaledDown",
        ICON_NEUTRAL,
    );
    canary.canary = true;
    let mut stable = replica_set(
        "rollout-background-analysis-7d84d44bb8",
        1,
        "Healthy",
        ICON_OK,
    );
    stable.stable = true;
    stable.replicas = 1;
    stable.images = vec!["argoproj/rollouts-demo:blue".into()];
    stable.pods = vec![running("rollout-background-analysis-7d84d44bb8-z5wps")];
    let info = RolloutInfo {
        message:
            "RolloutAborted: metric \"web\" assessed Failed due to failed (1) > failureLimit (0)"
                .into(),
        strategy: "Canary",
        step: "0/2".into(),
        set_weight: "0".into(),
        actual_weight: "0".into(),
        desired: 1,
        current: 1,
        updated: 0,
        ready: 1,
        available: 1,
        replica_sets: vec![canary, stable],
        analysis_runs: vec![AnalysisRunInfo {
            name: "rollout-background-analysis-db976bc44-2".into(),
            created: WEEK_AGO,
            revision: 2,
            status: "Failed".into(),
            icon: info::ICON_BAD,
            successful: 0,
            failed: 1,
            inconclusive: 0,
            error: 0,
            jobs: Vec::new(),
        }],
        ..rollout(
            "rollout-background-analysis",
            "default",
            "Degraded",
            info::ICON_BAD,
        )
    };
    let expected = "\
Name:            rollout-background-analysis
Namespace:       default
Status:          ✖ Degraded
Message:         RolloutAborted: metric \"web\" assessed Failed due to failed (1) > failureLimit (0)
Strategy:        Canary
  Step:          0/2
  SetWeight:     0
  ActualWeight:  0
Images:          argoproj/rollouts-demo:blue (stable)
Replicas:
  Desired:       1
  Current:       1
  Updated:       0
  Ready:         1
  Available:     1

NAME                                                     KIND         STATUS        AGE  INFO
⟳ rollout-background-analysis                            Rollout      ✖ Degraded    7d
├──# revision:2
│  ├──⧉ rollout-background-analysis-db976bc44            ReplicaSet   • ScaledDown  7d   canary
│  └──α rollout-background-analysis-db976bc44-2          AnalysisRun  ✖ Failed      7d   ✖ 1
└──# revision:1
   └──⧉ rollout-background-analysis-7d84d44bb8           ReplicaSet   ✔ Healthy     7d   stable
      └──□ rollout-background-analysis-7d84d44bb8-z5wps  Pod          ✔ Running     7d   ready:1/1
";
    assert_eq!(
        strip_trailing_spaces(&print_rollout(&info, NOW, Colors(false))),
        expected
    );
}

#[test]
fn a_scale_down_deadline_shows_the_delay_left_or_passed() {
    let mut rs = replica_set("demo-1", 1, "Healthy", ICON_OK);
    rs.scale_down_deadline = Time(NOW.0 + (3 * 3600 + 59 * 60) * 1000 + 30_000).rfc3339();
    let mut info = rollout("demo", "default", "Healthy", ICON_OK);
    info.replica_sets = vec![rs];
    assert!(print_tree(&info, NOW, Colors(false)).contains("  delay:3h59m\n"));
    info.replica_sets[0].scale_down_deadline = Time(NOW.0 - 1000).rfc3339();
    assert!(print_tree(&info, NOW, Colors(false)).contains("  delay:passed\n"));
}
