//! `kubectl argo rollouts` against a lab: Argo Rollouts' getting-started canary
//! (docs/getting-started/basic, v1.9.1) step by step, the plugin's command line (help,
//! cobra's errors), its colours, its watch modes, and kubectl's own verbs on Rollouts.
#![cfg(not(target_arch = "wasm32"))]

use rollout_kubectl::lab::{Lab, Ran, HOME};
use rollout_kubectl::shell::{Poll, Stream};
use rollout_sim::addons::argo_rollouts::ArgoRolloutsAddon;
use rollout_sim::clock::Duration;

/// The getting-started manifests, verbatim.
const ROLLOUT: &str = include_str!("data/getting-started-rollout.yaml");
const SERVICE: &str = include_str!("data/getting-started-service.yaml");

/// A lab with the getting-started manifests in the working directory.
struct Session {
    lab: Lab,
}

impl Session {
    /// The headless runner's lab (`TERM=dumb`: no colours).
    fn headless() -> Session {
        Session::with(Lab::headless(1))
    }

    fn with(mut lab: Lab) -> Session {
        lab.shell
            .files_mut()
            .write(&format!("{HOME}/rollout.yaml"), ROLLOUT);
        lab.shell
            .files_mut()
            .write(&format!("{HOME}/service.yaml"), SERVICE);
        Session { lab }
    }

    /// Installs Argo Rollouts (its CRDs and controller).
    fn install_argo(&mut self) {
        self.lab
            .host
            .cluster
            .install(Box::new(ArgoRolloutsAddon::default()));
    }

    /// Installs Argo Rollouts, applies the getting-started Rollout and Service, and waits
    /// until the first revision is Healthy.
    fn getting_started() -> Session {
        let mut session = Session::headless();
        session.install_argo();
        session.ok("kubectl apply -f rollout.yaml -f service.yaml");
        session.ok("kubectl argo rollouts status rollouts-demo");
        session
    }

    fn run(&mut self, line: &str) -> Ran {
        self.lab.run_line(line, Duration::from_secs(600))
    }

    /// Runs a line that must succeed without a word on stderr; its stdout.
    fn ok(&mut self, line: &str) -> String {
        let ran = self.run(line);
        assert_eq!(
            (ran.status, ran.stderr.as_str()),
            (0, ""),
            "{line}: {ran:?}"
        );
        ran.stdout
    }

    /// Runs a line that must fail with status 1 and print nothing on stdout; its stderr.
    fn fails(&mut self, line: &str) -> String {
        let ran = self.run(line);
        assert_eq!(
            (ran.status, ran.stdout.as_str()),
            (1, ""),
            "{line}: {ran:?}"
        );
        ran.stderr
    }
}

/// Moves the clock a second at a time, polling the running command after each step; the
/// text it wrote on `stream`.
fn pump(lab: &mut Lab, seconds: i64, stream: Stream) -> String {
    let mut text = String::new();
    for _ in 0..seconds {
        lab.advance(Duration::from_secs(1));
        while let Poll::Output(chunks) = lab.poll() {
            for chunk in chunks.iter().filter(|c| c.stream == stream) {
                text.push_str(&chunk.text);
            }
        }
    }
    text
}

/// Equality with the first differing line named, trailing spaces made visible.
#[track_caller]
fn assert_text(actual: &str, expected: &str) {
    if actual == expected {
        return;
    }
    let shown = |s: &str| s.replace(' ', "·");
    let line = actual
        .lines()
        .zip(expected.lines())
        .position(|(a, e)| a != e)
        .unwrap_or_else(|| actual.lines().count().min(expected.lines().count()));
    panic!(
        "differs at line {}:\n  got:      {:?}\n  expected: {:?}\n--- got ---\n{}",
        line + 1,
        actual.lines().nth(line).map(shown),
        expected.lines().nth(line).map(shown),
        shown(actual)
    );
}

#[test]
fn the_getting_started_canary_pauses_promotes_aborts_and_goes_back_to_blue() {
    let mut s = Session::getting_started();
    assert_text(
        &s.ok("kubectl argo rollouts get rollout rollouts-demo"),
        "\
Name:            rollouts-demo
Namespace:       default
Status:          ✔ Healthy
Strategy:        Canary
  Step:          8/8
  SetWeight:     100
  ActualWeight:  100
Images:          argoproj/rollouts-demo:blue (stable)
Replicas:
  Desired:       5
  Current:       5
  Updated:       5
  Ready:         5
  Available:     5

NAME                                       KIND        STATUS     AGE  INFO
⟳ rollouts-demo                            Rollout     ✔ Healthy  2s   
└──# revision:1                                                        
   └──⧉ rollouts-demo-5cd66ff7ff           ReplicaSet  ✔ Healthy  2s   stable
      ├──□ rollouts-demo-5cd66ff7ff-242v9  Pod         ✔ Running  2s   ready:1/1
      ├──□ rollouts-demo-5cd66ff7ff-6kmcs  Pod         ✔ Running  2s   ready:1/1
      ├──□ rollouts-demo-5cd66ff7ff-j6x5r  Pod         ✔ Running  2s   ready:1/1
      ├──□ rollouts-demo-5cd66ff7ff-svcmp  Pod         ✔ Running  2s   ready:1/1
      └──□ rollouts-demo-5cd66ff7ff-t9cbl  Pod         ✔ Running  2s   ready:1/1
",
    );

    // The update: one canary pod of five (20%), then the first pause, which waits for a
    // promote.
    assert_eq!(
        s.ok("kubectl argo rollouts set image rollouts-demo rollouts-demo=argoproj/rollouts-demo:yellow"),
        "rollout \"rollouts-demo\" image updated\n"
    );
    s.ok("sleep 30");
    assert_text(
        &s.ok("kubectl argo rollouts get rollout rollouts-demo"),
        "\
Name:            rollouts-demo
Namespace:       default
Status:          ॥ Paused
Message:         CanaryPauseStep
Strategy:        Canary
  Step:          1/8
  SetWeight:     20
  ActualWeight:  20
Images:          argoproj/rollouts-demo:blue (stable)
                 argoproj/rollouts-demo:yellow (canary)
Replicas:
  Desired:       5
  Current:       5
  Updated:       1
  Ready:         5
  Available:     5

NAME                                       KIND        STATUS     AGE  INFO
⟳ rollouts-demo                            Rollout     ॥ Paused   32s  
├──# revision:2                                                        
│  └──⧉ rollouts-demo-76ddfb4f47           ReplicaSet  ✔ Healthy  30s  canary
│     └──□ rollouts-demo-76ddfb4f47-phmz7  Pod         ✔ Running  30s  ready:1/1
└──# revision:1                                                        
   └──⧉ rollouts-demo-5cd66ff7ff           ReplicaSet  ✔ Healthy  32s  stable
      ├──□ rollouts-demo-5cd66ff7ff-6kmcs  Pod         ✔ Running  32s  ready:1/1
      ├──□ rollouts-demo-5cd66ff7ff-j6x5r  Pod         ✔ Running  32s  ready:1/1
      ├──□ rollouts-demo-5cd66ff7ff-svcmp  Pod         ✔ Running  32s  ready:1/1
      └──□ rollouts-demo-5cd66ff7ff-t9cbl  Pod         ✔ Running  32s  ready:1/1
",
    );
    assert_text(
        &s.ok("kubectl argo rollouts list rollouts"),
        "\
NAME           STRATEGY   STATUS        STEP  SET-WEIGHT  READY  DESIRED  UP-TO-DATE  AVAILABLE
rollouts-demo  Canary     Paused        1/8   20          5/5    5        1           5        
",
    );
    assert_eq!(
        s.ok("kubectl argo rollouts status rollouts-demo --watch=false"),
        "Paused - CanaryPauseStep\n"
    );

    // Promote: on to 40%, then a 10 s pause.
    assert_eq!(
        s.ok("kubectl argo rollouts promote rollouts-demo"),
        "rollout 'rollouts-demo' promoted\n"
    );
    s.ok("sleep 5");
    let paused = s.ok("kubectl argo rollouts get rollout rollouts-demo");
    for line in [
        "Status:          ॥ Paused\n",
        "  Step:          3/8\n",
        "  SetWeight:     40\n",
        "  ActualWeight:  40\n",
        "  Updated:       2\n",
    ] {
        assert!(paused.contains(line), "{line:?} in\n{paused}");
    }

    // Abort: back to the stable ReplicaSet, Degraded until the template changes.
    assert_eq!(
        s.ok("kubectl argo rollouts abort rollouts-demo"),
        "rollout 'rollouts-demo' aborted\n"
    );
    s.ok("sleep 30");
    assert_text(
        &s.ok("kubectl argo rollouts get rollout rollouts-demo"),
        "\
Name:            rollouts-demo
Namespace:       default
Status:          ✖ Degraded
Message:         RolloutAborted: Rollout aborted update to revision 2
Strategy:        Canary
  Step:          0/8
  SetWeight:     0
  ActualWeight:  0
Images:          argoproj/rollouts-demo:blue (stable)
Replicas:
  Desired:       5
  Current:       5
  Updated:       0
  Ready:         5
  Available:     5

NAME                                       KIND        STATUS        AGE  INFO
⟳ rollouts-demo                            Rollout     ✖ Degraded    67s  
├──# revision:2                                                           
│  └──⧉ rollouts-demo-76ddfb4f47           ReplicaSet  • ScaledDown  65s  canary
└──# revision:1                                                           
   └──⧉ rollouts-demo-5cd66ff7ff           ReplicaSet  ✔ Healthy     67s  stable
      ├──□ rollouts-demo-5cd66ff7ff-j6x5r  Pod         ✔ Running     67s  ready:1/1
      ├──□ rollouts-demo-5cd66ff7ff-svcmp  Pod         ✔ Running     67s  ready:1/1
      ├──□ rollouts-demo-5cd66ff7ff-t9cbl  Pod         ✔ Running     67s  ready:1/1
      ├──□ rollouts-demo-5cd66ff7ff-4jzhn  Pod         ✔ Running     30s  ready:1/1
      └──□ rollouts-demo-5cd66ff7ff-95nqt  Pod         ✔ Running     30s  ready:1/1
",
    );
    let degraded = s.run("kubectl argo rollouts status rollouts-demo --watch=false");
    assert_eq!(degraded.stdout, "Degraded\n");
    assert_eq!(
        degraded.stderr,
        "Error: The rollout is in a degraded state with message: RolloutAborted: Rollout aborted update to revision 2\n"
    );
    assert_eq!(degraded.status, 1);

    // The template back to blue: the stable ReplicaSet is the new revision, Healthy at once.
    s.ok("kubectl argo rollouts set image rollouts-demo rollouts-demo=argoproj/rollouts-demo:blue");
    assert!(s
        .ok("kubectl argo rollouts status rollouts-demo")
        .ends_with("Healthy\n"));
    let healthy = s.ok("kubectl argo rollouts get rollout rollouts-demo");
    for line in [
        "Status:          ✔ Healthy\n",
        "  Step:          8/8\n",
        "Images:          argoproj/rollouts-demo:blue (stable)\n",
        "├──# revision:3 ",
        "│  └──⧉ rollouts-demo-5cd66ff7ff           ReplicaSet  ✔ Healthy ",
        "└──# revision:2 ",
    ] {
        assert!(healthy.contains(line), "{line:?} in\n{healthy}");
    }
}

#[test]
fn the_canary_gets_a_share_of_the_services_traffic() {
    let mut s = Session::getting_started();
    s.ok(
        "kubectl argo rollouts set image rollouts-demo rollouts-demo=argoproj/rollouts-demo:yellow",
    );
    s.ok("sleep 30");
    // From a pod: the Service sends about one request in five to the canary.
    s.run("kubectl run client --image=ikubernetes/admin-box:v1.2 -it --rm --restart=Never -- /bin/bash");
    let answers = s.ok("for i in $(seq 1 50); do curl -s rollouts-demo/color; echo; done");
    let yellow = answers.lines().filter(|l| *l == "\"yellow\"").count();
    let blue = answers.lines().filter(|l| *l == "\"blue\"").count();
    assert_eq!(yellow + blue, 50, "{answers}");
    assert!((3..=20).contains(&yellow), "{yellow} yellow of 50");
    let page = s.ok("curl -s rollouts-demo/");
    assert!(page.contains("<title>Rollouts Demo</title>"), "{page}");
    s.run("exit");
}

#[test]
fn without_argo_rollouts_installed_the_api_has_no_rollouts() {
    let mut s = Session::headless();
    // client-go's text for the 404 of a group the API server does not serve.
    assert_eq!(
        s.fails("kubectl argo rollouts get rollout rollouts-demo"),
        "Error: the server could not find the requested resource (get rollouts.argoproj.io)\n"
    );
    assert_eq!(
        s.fails("kubectl argo rollouts promote rollouts-demo"),
        "Error: the server could not find the requested resource (get rollouts.argoproj.io rollouts-demo)\n"
    );
    assert_eq!(
        s.fails("kubectl argo rollouts abort rollouts-demo"),
        "Error: the server could not find the requested resource (patch rollouts.argoproj.io rollouts-demo)\n"
    );
    assert_eq!(
        s.fails("kubectl argo rollouts list rollouts"),
        "Error: the server could not find the requested resource (get rollouts.argoproj.io)\n"
    );
    // kubectl has no mapping for the kind either.
    assert_eq!(
        s.fails("kubectl apply -f rollout.yaml"),
        "error: resource mapping not found for name: \"rollouts-demo\" namespace: \"\" from \"rollout.yaml\": no matches for kind \"Rollout\" in version \"argoproj.io/v1alpha1\"\nensure CRDs are installed first\n"
    );
    // The plugin itself is there.
    assert!(s
        .ok("kubectl argo rollouts version --short")
        .starts_with("kubectl-argo-rollouts: v1.9.1+"));
}

#[test]
fn missing_objects_are_named_as_the_lister_or_the_client_names_them() {
    let mut s = Session::headless();
    s.install_argo();
    // `get` and `status` read through a lister (singular resource), the others through the
    // client (plural).
    assert_eq!(
        s.fails("kubectl argo rollouts get rollout nope"),
        "Error: rollout.argoproj.io \"nope\" not found\n"
    );
    assert_eq!(
        s.fails("kubectl argo rollouts status nope"),
        "Error: rollout.argoproj.io \"nope\" not found\n"
    );
    for verb in [
        "promote",
        "abort",
        "pause",
        "restart",
        "undo",
        "retry rollout",
    ] {
        assert_eq!(
            s.fails(&format!("kubectl argo rollouts {verb} nope")),
            "Error: rollouts.argoproj.io \"nope\" not found\n",
            "{verb}"
        );
    }
    assert_eq!(
        s.fails("kubectl argo rollouts set image nope app=nginx"),
        "Error: rollouts.argoproj.io \"nope\" not found\n"
    );
    assert_eq!(
        s.fails("kubectl argo rollouts get experiment exp"),
        "Error: experiment.argoproj.io \"exp\" not found\n"
    );
    let empty = s.run("kubectl argo rollouts list rollouts");
    assert_eq!(
        (empty.stdout.as_str(), empty.stderr.as_str(), empty.status),
        ("", "No resources found.\n", 0)
    );
}

#[test]
fn every_help_text_is_printed_on_stdout_with_the_real_cache_dir() {
    let mut s = Session::headless();
    let cases = [
        ("", include_str!("../data/argo-rollouts/root.help.txt")),
        ("get", include_str!("../data/argo-rollouts/get.help.txt")),
        (
            "get ro",
            include_str!("../data/argo-rollouts/get_rollout.help.txt"),
        ),
        (
            "get exp",
            include_str!("../data/argo-rollouts/get_experiment.help.txt"),
        ),
        ("list", include_str!("../data/argo-rollouts/list.help.txt")),
        (
            "list rollouts",
            include_str!("../data/argo-rollouts/list_rollouts.help.txt"),
        ),
        (
            "list experiments",
            include_str!("../data/argo-rollouts/list_experiments.help.txt"),
        ),
        (
            "status",
            include_str!("../data/argo-rollouts/status.help.txt"),
        ),
        (
            "promote",
            include_str!("../data/argo-rollouts/promote.help.txt"),
        ),
        (
            "abort",
            include_str!("../data/argo-rollouts/abort.help.txt"),
        ),
        (
            "retry",
            include_str!("../data/argo-rollouts/retry.help.txt"),
        ),
        (
            "retry rollout",
            include_str!("../data/argo-rollouts/retry_rollout.help.txt"),
        ),
        (
            "retry experiment",
            include_str!("../data/argo-rollouts/retry_experiment.help.txt"),
        ),
        ("undo", include_str!("../data/argo-rollouts/undo.help.txt")),
        ("set", include_str!("../data/argo-rollouts/set.help.txt")),
        (
            "set image",
            include_str!("../data/argo-rollouts/set_image.help.txt"),
        ),
        (
            "pause",
            include_str!("../data/argo-rollouts/pause.help.txt"),
        ),
        (
            "restart",
            include_str!("../data/argo-rollouts/restart.help.txt"),
        ),
        (
            "version",
            include_str!("../data/argo-rollouts/version.help.txt"),
        ),
        (
            "terminate",
            include_str!("../data/argo-rollouts/terminate.help.txt"),
        ),
        (
            "terminate ar",
            include_str!("../data/argo-rollouts/terminate_analysisrun.help.txt"),
        ),
        (
            "terminate exp",
            include_str!("../data/argo-rollouts/terminate_experiment.help.txt"),
        ),
        (
            "create",
            include_str!("../data/argo-rollouts/create.help.txt"),
        ),
        ("lint", include_str!("../data/argo-rollouts/lint.help.txt")),
        (
            "dashboard",
            include_str!("../data/argo-rollouts/dashboard.help.txt"),
        ),
    ];
    for (command, fixture) in cases {
        let expected = fixture.replace("$HOME/.kube/cache", "/root/.kube/cache");
        assert!(
            expected.contains("(default \"/root/.kube/cache\")"),
            "{command}"
        );
        assert_text(
            &s.ok(&format!("kubectl argo rollouts {command} -h")),
            &expected,
        );
        assert_text(
            &s.ok(&format!("kubectl argo rollouts {command} --help")),
            &expected,
        );
        assert_text(
            &s.ok(&format!("kubectl argo rollouts help {command}")),
            &expected,
        );
    }
}

#[test]
fn misuse_gets_cobras_errors_and_the_commands_usage() {
    let mut s = Session::headless();
    s.install_argo();
    let usage = |fixture: &str| {
        let text = fixture.replace("$HOME/.kube/cache", "/root/.kube/cache");
        let at = text.find("\nUsage:\n").expect("usage") + 1;
        text[at..].to_string()
    };
    // A group (or the root) without a valid subcommand, or a command with the wrong number
    // of arguments: its usage on stderr, nothing else, exit 1.
    let root = usage(include_str!("../data/argo-rollouts/root.help.txt"));
    assert_text(&s.fails("kubectl argo rollouts"), &root);
    let get = usage(include_str!("../data/argo-rollouts/get.help.txt"));
    assert_text(&s.fails("kubectl argo rollouts get"), &get);
    assert_text(&s.fails("kubectl argo rollouts get foo"), &get);
    let promote = usage(include_str!("../data/argo-rollouts/promote.help.txt"));
    assert_text(&s.fails("kubectl argo rollouts promote"), &promote);
    assert_text(&s.fails("kubectl argo rollouts promote a b"), &promote);
    let set_image = usage(include_str!("../data/argo-rollouts/set_image.help.txt"));
    assert_text(
        &s.fails("kubectl argo rollouts set image demo nginx"),
        &set_image,
    );
    // Unknown commands, with cobra's suggestions.
    assert_eq!(
        s.fails("kubectl argo rollouts promot demo"),
        "Error: unknown command \"promot\" for \"kubectl-argo-rollouts\"\n\nDid you mean this?\n\tpromote\n\nRun 'kubectl-argo-rollouts --help' for usage.\n"
    );
    assert_eq!(
        s.fails("kubectl argo rollouts lst"),
        "Error: unknown command \"lst\" for \"kubectl-argo-rollouts\"\n\nDid you mean this?\n\tget\n\tlint\n\tlist\n\tset\n\nRun 'kubectl-argo-rollouts --help' for usage.\n"
    );
    // pflag's errors.
    assert_eq!(
        s.fails("kubectl argo rollouts promote demo --bogus"),
        "Error: unknown flag: --bogus\n"
    );
    assert_eq!(
        s.fails("kubectl argo rollouts restart demo -i"),
        "Error: flag needs an argument: 'i' in -i\n"
    );
    assert_eq!(
        s.fails("kubectl argo rollouts status demo -t abc"),
        "Error: invalid argument \"abc\" for \"-t, --timeout\" flag: time: invalid duration \"abc\"\n"
    );
    assert_eq!(
        s.fails("kubectl argo rollouts undo demo --to-revision=x"),
        "Error: invalid argument \"x\" for \"--to-revision\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\n"
    );
    // kubectl only finds the plugin by its full name, and before any flag.
    assert_eq!(
        s.fails("kubectl argo"),
        "error: unknown command \"argo\" for \"kubectl\"\n"
    );
    assert_eq!(
        s.fails("kubectl -n default argo rollouts list rollouts"),
        "error: flags cannot be placed before plugin name: -n\n"
    );
    assert_eq!(
        s.run("kubectl argo rollouts -n default list rollouts --all-namespaces")
            .stderr,
        "No resources found.\n"
    );
    // A bad `restart --in` is a Go panic in upstream (exit 2).
    let panic = s.run("kubectl argo rollouts restart demo --in soon");
    assert_eq!(panic.status, 2);
    assert!(panic
        .stderr
        .starts_with("panic: time: invalid duration \"soon\"\n\ngoroutine 1 [running]:\n"));
}

#[test]
fn the_plugin_runs_by_its_own_name_too() {
    let mut s = Session::getting_started();
    assert_eq!(
        s.ok("kubectl-argo-rollouts get rollout rollouts-demo"),
        s.ok("kubectl argo rollouts get rollout rollouts-demo")
    );
    assert_eq!(
        s.ok("kubectl-argo-rollouts version"),
        "kubectl-argo-rollouts: v1.9.1+b6bd3bc\n  BuildDate: 2026-07-06T13:57:05Z\n  GitCommit: b6bd3bcf8f60d717a98763d26acc983db7f97cb0\n  GitTreeState: clean\n  GoVersion: go1.24.13\n  Compiler: gc\n  Platform: linux/amd64\n"
    );
}

#[test]
fn colour_follows_term_and_no_color() {
    // The page's terminal: TERM=xterm-256color.
    let mut s = Session::with(Lab::new(1));
    s.install_argo();
    s.ok("kubectl apply -f rollout.yaml -f service.yaml");
    s.ok("kubectl argo rollouts status rollouts-demo");
    let coloured = s.ok("kubectl argo rollouts get rollout rollouts-demo");
    assert!(coloured.contains("Status:          \x1b[32m✔\x1b[0m Healthy\n"));
    assert!(coloured.contains("argoproj/rollouts-demo:blue (\x1b[32mstable\x1b[0m)\n"));
    let plain = s.ok("kubectl argo rollouts get rollout rollouts-demo --no-color");
    assert!(!plain.contains('\x1b'));
    assert!(!s
        .ok("TERM=dumb kubectl argo rollouts get rollout rollouts-demo")
        .contains('\x1b'));
    // Not a TTY question: piped output is coloured too.
    assert!(s
        .ok("kubectl argo rollouts get rollout rollouts-demo | cat")
        .contains("\x1b[32m✔\x1b[0m"));
    // The headless runner's lab: TERM=dumb.
    let mut headless = Session::getting_started();
    assert!(!headless
        .ok("kubectl argo rollouts get rollout rollouts-demo")
        .contains('\x1b'));
}

#[test]
fn get_watch_repaints_on_the_virtual_clock_until_its_timeout() {
    let mut s = Session::getting_started();
    let watched = s.ok("kubectl argo rollouts get rollout rollouts-demo -w --timeout-seconds 3");
    let frames: Vec<&str> = watched.split("\x1b[H\x1b[2J\x1b[0;0H").skip(1).collect();
    // A frame a second while the ages change: at 0 s, 1 s and 2 s.
    assert_eq!(frames.len(), 3, "{watched:?}");
    assert!(frames
        .iter()
        .all(|f| f.starts_with("Name:            rollouts-demo\n")));
    assert!(frames[0].contains("Rollout     ✔ Healthy  2s "));
    assert!(frames[2].contains("Rollout     ✔ Healthy  4s "));
    // Ctrl-C ends it too (the shell reports the interrupt).
    s.lab
        .submit("kubectl argo rollouts get rollout rollouts-demo --watch");
    assert!(pump(&mut s.lab, 2, Stream::Stdout).starts_with("\x1b[H\x1b[2J\x1b[0;0HName:"));
    s.lab.interrupt();
    let (_, status) = s.lab.run_to_completion(Duration::from_secs(5));
    assert_eq!(status, 130);
}

#[test]
fn status_watches_until_healthy_or_degraded_or_its_timeout() {
    let mut s = Session::getting_started();
    s.ok(
        "kubectl argo rollouts set image rollouts-demo rollouts-demo=argoproj/rollouts-demo:yellow",
    );
    let timed_out = s.run("kubectl argo rollouts status rollouts-demo --timeout 30s");
    assert_eq!(
        timed_out.stdout,
        "Progressing - more replicas need to be updated\nPaused - CanaryPauseStep\n"
    );
    assert_eq!(
        (timed_out.stderr.as_str(), timed_out.status),
        ("Error: Rollout status watch exceeded timeout\n", 1)
    );
    // A full promotion skips the remaining steps and pauses.
    assert_eq!(
        s.ok("kubectl argo rollouts promote rollouts-demo --full"),
        "rollout 'rollouts-demo' fully promoted\n"
    );
    let done = s.ok("kubectl argo rollouts status rollouts-demo");
    assert!(done.ends_with("Healthy\n"), "{done}");
    assert!(s
        .ok("kubectl argo rollouts get rollout rollouts-demo")
        .contains("Images:          argoproj/rollouts-demo:yellow (stable)\n"));
}

#[test]
fn status_interrupted_reports_that_the_watch_ended_early() {
    let mut s = Session::getting_started();
    s.ok(
        "kubectl argo rollouts set image rollouts-demo rollouts-demo=argoproj/rollouts-demo:yellow",
    );
    s.ok("sleep 30");
    s.lab.submit("kubectl argo rollouts status rollouts-demo");
    assert_eq!(
        pump(&mut s.lab, 2, Stream::Stdout),
        "Paused - CanaryPauseStep\n"
    );
    s.lab.interrupt();
    let (chunks, status) = s.lab.run_to_completion(Duration::from_secs(5));
    let stderr: String = chunks
        .iter()
        .filter(|c| c.stream == Stream::Stderr)
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(stderr, "Error: Rollout status watch exceeded timeout\n");
    assert_eq!(status, 130);
}

#[test]
fn list_watch_prints_a_row_each_time_a_rollouts_row_changes() {
    let mut s = Session::getting_started();
    s.lab.submit("kubectl argo rollouts list rollouts -w");
    let table = pump(&mut s.lab, 3, Stream::Stdout);
    assert_text(
        &table,
        "\
NAME           STRATEGY   STATUS        STEP  SET-WEIGHT  READY  DESIRED  UP-TO-DATE  AVAILABLE
rollouts-demo  Canary     Healthy       8/8   100         5/5    5        5           5        
",
    );
    s.lab
        .host
        .cluster
        .update_rollout("default", "rollouts-demo", |ro| ro.spec.paused = true)
        .expect("paused");
    assert_text(
        &pump(&mut s.lab, 3, Stream::Stdout),
        "rollouts-demo  Canary     Paused        8/8   100         5/5    5        5           5        \n",
    );
    s.lab.interrupt();
    s.lab.run_to_completion(Duration::from_secs(5));
}

#[test]
fn pause_retry_restart_and_undo_change_the_rollout() {
    let mut s = Session::getting_started();
    // A manual pause holds the update before its first step.
    assert_eq!(
        s.ok("kubectl argo rollouts pause rollouts-demo"),
        "rollout 'rollouts-demo' paused\n"
    );
    s.ok(
        "kubectl argo rollouts set image rollouts-demo rollouts-demo=argoproj/rollouts-demo:green",
    );
    s.ok("sleep 10");
    assert_eq!(
        s.ok("kubectl argo rollouts status rollouts-demo -w=false"),
        "Paused - manually paused\n"
    );
    // promote unpauses the spec (and leaves the canary's own pause for later).
    s.ok("kubectl argo rollouts promote rollouts-demo");
    s.ok("sleep 20");
    assert_eq!(
        s.ok("kubectl argo rollouts status rollouts-demo -w=false"),
        "Paused - CanaryPauseStep\n"
    );
    // abort, then retry: the update starts over from the first step.
    s.ok("kubectl argo rollouts abort rollouts-demo");
    s.ok("sleep 20");
    assert_eq!(
        s.ok("kubectl argo rollouts retry rollout rollouts-demo"),
        "rollout 'rollouts-demo' retried\n"
    );
    s.ok("sleep 20");
    assert_eq!(
        s.ok("kubectl argo rollouts status rollouts-demo -w=false"),
        "Paused - CanaryPauseStep\n"
    );
    // undo: the previous revision's template (blue) comes back.
    assert_eq!(
        s.ok("kubectl argo rollouts undo rollouts-demo"),
        "rollout 'rollouts-demo' undo\n"
    );
    assert!(s
        .ok("kubectl argo rollouts status rollouts-demo")
        .ends_with("Healthy\n"));
    assert_eq!(
        s.ok("kubectl argo rollouts undo rollouts-demo --to-revision=3"),
        "skipped rollback (current template already matches revision 3)"
    );
    assert_eq!(
        s.fails("kubectl argo rollouts undo rollouts-demo --to-revision=9"),
        "Error: unable to find specified revision 9 in history\n"
    );
    // restart: `spec.restartAt` is now, in whole seconds. (The lab's controller has no pod
    // restarter yet, upstream's rollout/restart.go: the pods stay and the Rollout reads
    // "rollout is restarting".)
    let now = s.lab.now().rfc3339();
    assert_eq!(
        s.ok("kubectl argo rollouts restart rollouts-demo"),
        "rollout 'rollouts-demo' restarts in 0s\n"
    );
    assert_eq!(
        s.ok("kubectl get rollout rollouts-demo -o jsonpath='{.spec.restartAt}'"),
        now
    );
    assert_eq!(
        s.ok("kubectl argo rollouts status rollouts-demo -w=false"),
        "Progressing - rollout is restarting\n"
    );
    assert_eq!(
        s.ok("kubectl argo rollouts restart rollouts-demo --in 10m"),
        "rollout 'rollouts-demo' restarts in 10m\n"
    );
}

#[test]
fn kubectl_reads_writes_and_deletes_rollouts_through_the_crd() {
    let mut s = Session::getting_started();
    assert_text(
        &s.ok("kubectl get rollouts.argoproj.io"),
        "NAME            DESIRED   CURRENT   UP-TO-DATE   AVAILABLE   AGE\nrollouts-demo   5         5         5            5           2s\n",
    );
    let yaml = s.ok("kubectl get ro rollouts-demo -o yaml");
    assert!(yaml.starts_with("apiVersion: argoproj.io/v1alpha1\nkind: Rollout\n"));
    assert!(yaml.contains("\n  phase: Healthy\n"), "{yaml}");
    let described = s.ok("kubectl describe rollout rollouts-demo");
    assert!(described.starts_with("Name:         rollouts-demo\nNamespace:    default\n"));
    assert!(
        described.contains("API Version:  argoproj.io/v1alpha1\n"),
        "{described}"
    );
    assert_eq!(
        s.ok("kubectl patch rollout rollouts-demo --type merge -p '{\"spec\":{\"replicas\":3}}'"),
        "rollout.argoproj.io/rollouts-demo patched\n"
    );
    s.ok("sleep 30");
    assert!(s
        .ok("kubectl get rollout rollouts-demo")
        .contains("rollouts-demo   3         3         3            3  "));
    assert_eq!(
        s.ok("kubectl delete rollout rollouts-demo"),
        "rollout.argoproj.io \"rollouts-demo\" deleted\n"
    );
    s.ok("sleep 30");
    let gone = s.run("kubectl get rollouts,rs");
    assert_eq!(gone.stderr, "No resources found in default namespace.\n");
}

#[test]
fn kubectl_edit_changes_a_rollouts_spec() {
    let mut s = Session::getting_started();
    s.lab.submit("kubectl edit rollout rollouts-demo");
    // The editor opens on the YAML; change the image and save.
    loop {
        match s.lab.poll() {
            rollout_kubectl::shell::Poll::Edit { path } => {
                let text = s
                    .lab
                    .shell
                    .files()
                    .read(&path)
                    .unwrap_or_default()
                    .to_string();
                let edited = text.replace(
                    "argoproj/rollouts-demo:blue",
                    "argoproj/rollouts-demo:purple",
                );
                s.lab.shell.files_mut().write(&path, &edited);
                s.lab.shell.edit_done();
                break;
            }
            rollout_kubectl::shell::Poll::Done(status) => panic!("edit ended: {status}"),
            _ => {}
        }
    }
    let (chunks, status) = s.lab.run_to_completion(Duration::from_secs(10));
    let out: String = chunks.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        (out.as_str(), status),
        ("rollout.argoproj.io/rollouts-demo edited\n", 0)
    );
    s.ok("sleep 30");
    assert_eq!(
        s.ok("kubectl argo rollouts status rollouts-demo -w=false"),
        "Paused - CanaryPauseStep\n"
    );
}
