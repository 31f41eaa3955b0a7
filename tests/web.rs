//! Component tests in headless Chromium (wasm-bindgen-test). Run by `make test-wasm`.
//!
//! - the terminal: echo, output, stderr, history, Ctrl-C, `sleep N`
//! - the clock: step
//! - the cluster view: a Deployment, its ReplicaSet and pods, a Service and its endpoints
//! - the timeline: dragging back shows the earlier cluster; acting continues from there
//! - explanations: every key the simulator uses has a sentence
//! - Tab completion: verbs, subcommands, kinds, names, files, flags (pure, then in the terminal)
//! - the editor's checks: problems at their line, YAML colouring
//! - traffic: the share arithmetic, answers parsed from curl, the "send traffic" client, and
//!   its switches in the session's log (a replay gives the same answers)
//! - Argo Rollouts: the Rollout view model (steps, weights, roles, routes, the pause
//!   countdown), the card's test hooks, its buttons typing plugin commands, the weight a step
//!   asks for in the traffic panel
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use rollout_kubectl::lab::Lab;
use rollout_lab::web::explanations::{self, Lang};
use rollout_lab::web::App;
use rollout_sim::manifest::{apply_defaults, parse_manifests};
use rollout_sim::objects::Explanation;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{
    CanvasRenderingContext2d, Event, EventInit, HtmlCanvasElement, HtmlElement, HtmlInputElement,
    HtmlTextAreaElement, KeyboardEvent, KeyboardEventInit, MouseEvent, MouseEventInit,
};

wasm_bindgen_test_configure!(run_in_browser);

const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: deployment-demo
spec:
  replicas: 4
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
        readinessProbe:
          httpGet:
            path: '/readyz'
            port: 80
          initialDelaySeconds: 5
---
apiVersion: v1
kind: Service
metadata:
  name: demoapp-svc
spec:
  selector:
    app: demoapp
  ports:
  - port: 80
    targetPort: 80
";

/// A fresh element on the page to mount one app into.
fn container() -> HtmlElement {
    let document = document();
    let div = document.create_element("div").expect("create div");
    document
        .body()
        .expect("body")
        .append_child(&div)
        .expect("append");
    div.unchecked_into()
}

/// Lets Leptos run the effects scheduled by the last change.
async fn settle() {
    TimeoutFuture::new(0).await;
    TimeoutFuture::new(0).await;
}

/// Mounts the page on a lab (a fresh one unless given) and returns its root element.
async fn mount(lab: Option<Lab>) -> HtmlElement {
    let root = container();
    match lab {
        Some(lab) => mount_to(root.clone(), move || view! { <App lab=lab/> }).forget(),
        None => mount_to(root.clone(), || view! { <App/> }).forget(),
    }
    settle().await;
    root
}

/// A lab whose cluster already holds `yaml`'s objects, as `kubectl apply` would leave them.
fn lab_with(yaml: &str) -> Lab {
    let mut lab = Lab::new(8);
    for result in parse_manifests(yaml, "test.yaml") {
        let mut object = result.expect("the test manifest parses");
        if object.metadata().namespace.is_empty() {
            object.metadata_mut().namespace = "default".into();
        }
        apply_defaults(&mut object);
        lab.host
            .cluster
            .apply(object)
            .expect("the cluster takes it");
    }
    lab
}

fn find(root: &HtmlElement, test_id: &str) -> HtmlElement {
    root.query_selector(&format!("[data-testid='{test_id}']"))
        .expect("valid selector")
        .unwrap_or_else(|| panic!("no element with data-testid={test_id}"))
        .unchecked_into()
}

fn find_all(root: &HtmlElement, selector: &str) -> Vec<HtmlElement> {
    let list = root.query_selector_all(selector).expect("valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.unchecked_into())
        .collect()
}

fn text(el: &HtmlElement) -> String {
    el.text_content().unwrap_or_default()
}

fn press(target: &HtmlElement, key: &str, ctrl: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_ctrl_key(ctrl);
    init.set_bubbles(true);
    init.set_cancelable(true);
    target
        .dispatch_event(
            &KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("keydown"),
        )
        .expect("dispatch keydown");
}

/// Types `line` into the terminal input and presses Enter, as a person would.
async fn type_line(root: &HtmlElement, line: &str) {
    let input: HtmlTextAreaElement = find(root, "terminal-input").unchecked_into();
    input.set_value(line);
    let init = EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&Event::new_with_event_init_dict("input", &init).expect("input event"))
        .expect("dispatch input");
    press(&input, "Enter", false);
    settle().await;
}

fn clock_seconds(root: &HtmlElement) -> i64 {
    text(&find(root, "clock-time"))
        .trim()
        .parse()
        .expect("clock-time is a number of seconds")
}

async fn click(root: &HtmlElement, test_id: &str) {
    find(root, test_id).click();
    settle().await;
}

async fn step_seconds(root: &HtmlElement, seconds: u32) {
    for _ in 0..seconds / 10 {
        click(root, "clock-step-10").await;
    }
    for _ in 0..seconds % 10 {
        click(root, "clock-step").await;
    }
}

#[wasm_bindgen_test]
async fn the_app_renders_its_terminal_clock_and_cluster() {
    let root = mount(None).await;
    assert!(text(&root).contains("Rollout Lab"));
    for id in [
        "terminal-input",
        "terminal-output",
        "clock-time",
        "clock-play",
        "clock-pause",
        "clock-speed",
        "clock-step",
        "timeline",
        "lang",
        "editor",
        "editor-apply",
    ] {
        find(&root, id);
    }
}

#[wasm_bindgen_test]
async fn a_typed_command_prints_its_output_after_the_prompt_and_clears_the_input() {
    let root = mount(None).await;
    type_line(&root, "kubectl version").await;
    let output = text(&find(&root, "terminal-output"));
    assert!(
        output.contains("# kubectl version") || output.contains("$ kubectl version"),
        "echo missing: {output}"
    );
    assert!(
        output.contains("Client Version: v1.30"),
        "output missing: {output}"
    );
    let input: HtmlTextAreaElement = find(&root, "terminal-input").unchecked_into();
    assert_eq!(input.value(), "");
}

#[wasm_bindgen_test]
async fn kubectl_get_nodes_runs_against_the_lab_cluster() {
    let root = mount(None).await;
    type_line(&root, "kubectl get nodes").await;
    let output = text(&find(&root, "terminal-output"));
    assert!(output.contains("k8s-node01"), "{output}");
}

#[wasm_bindgen_test]
async fn an_unknown_command_is_shown_in_the_error_colour() {
    let root = mount(None).await;
    type_line(&root, "kubectl frobnicate").await;
    let stderr = find_all(&root, ".stderr");
    assert!(
        stderr
            .iter()
            .any(|e| text(e).contains("unknown command \"frobnicate\"")),
        "no stderr span"
    );
}

#[wasm_bindgen_test]
fn sgr_colours_colour_spans_and_the_argo_plugins_clear_empties_the_screen() {
    use rollout_lab::web::transcript::{Style, Transcript};
    let mut transcript = Transcript::default();
    transcript.write(Style::Stdout, "old frame\n");
    transcript.write(
        Style::Stdout,
        "\x1b[H\x1b[2J\x1b[0;0HStatus:  \x1b[31m✖\x1b[0m Degraded\n",
    );
    assert_eq!(transcript.text(), "Status:  ✖ Degraded");
    let spans = &transcript.lines()[0].spans;
    let colors: Vec<(Option<u8>, &str)> =
        spans.iter().map(|s| (s.color, s.text.as_str())).collect();
    assert_eq!(
        colors,
        [(None, "Status:  "), (Some(31), "✖"), (None, " Degraded")]
    );
}

#[wasm_bindgen_test]
async fn arrow_up_recalls_the_last_command() {
    let root = mount(None).await;
    type_line(&root, "echo first").await;
    type_line(&root, "echo second").await;
    let input: HtmlTextAreaElement = find(&root, "terminal-input").unchecked_into();
    press(&input, "ArrowUp", false);
    settle().await;
    assert_eq!(input.value(), "echo second");
    press(&input, "ArrowUp", false);
    settle().await;
    assert_eq!(input.value(), "echo first");
    press(&input, "ArrowDown", false);
    press(&input, "ArrowDown", false);
    settle().await;
    assert_eq!(input.value(), "");
}

#[wasm_bindgen_test]
async fn a_multi_line_command_gets_the_continuation_prompt() {
    let root = mount(None).await;
    type_line(&root, "for i in 1 2; do").await;
    type_line(&root, "echo n=$i").await;
    type_line(&root, "done").await;
    let output = text(&find(&root, "terminal-output"));
    assert!(output.contains("> echo n=$i"), "{output}");
    assert!(output.contains("n=1") && output.contains("n=2"), "{output}");
}

#[wasm_bindgen_test]
async fn ctrl_c_stops_a_loop_and_ctrl_l_clears_the_screen() {
    let root = mount(None).await;
    click(&root, "clock-pause").await;
    type_line(&root, "while true; do echo tick; sleep 1; done").await;
    step_seconds(&root, 3).await;
    let input: HtmlElement = find(&root, "terminal-input");
    press(&input, "c", true);
    settle().await;
    let output = text(&find(&root, "terminal-output"));
    assert!(output.contains("tick"), "{output}");
    assert!(output.contains("^C"), "{output}");
    type_line(&root, "echo after").await;
    assert!(text(&find(&root, "terminal-output")).contains("after"));
    press(&input, "l", true);
    settle().await;
    assert!(!text(&find(&root, "terminal-output")).contains("tick"));
}

#[wasm_bindgen_test]
async fn clock_step_moves_the_virtual_time() {
    let root = mount(None).await;
    click(&root, "clock-pause").await;
    let before = clock_seconds(&root);
    click(&root, "clock-step").await;
    assert_eq!(clock_seconds(&root), before + 1);
    click(&root, "clock-step-10").await;
    assert_eq!(clock_seconds(&root), before + 11);
}

#[wasm_bindgen_test]
async fn sleep_typed_at_the_prompt_fast_forwards_the_clock() {
    let root = mount(None).await;
    click(&root, "clock-pause").await;
    let before = clock_seconds(&root);
    type_line(&root, "sleep 30").await;
    assert_eq!(clock_seconds(&root), before + 30);
}

#[wasm_bindgen_test]
async fn the_cluster_view_shows_a_deployment_its_pods_and_service_endpoints() {
    let root = mount(Some(lab_with(DEPLOYMENT))).await;
    click(&root, "clock-pause").await;
    let deployment = find(&root, "deployment");
    assert_eq!(
        deployment.get_attribute("data-name").as_deref(),
        Some("deployment-demo")
    );
    assert_eq!(
        deployment.get_attribute("data-paused").as_deref(),
        Some("false")
    );

    step_seconds(&root, 40).await;
    let rs = find(&root, "replicaset");
    assert_eq!(rs.get_attribute("data-desired").as_deref(), Some("4"));
    assert_eq!(rs.get_attribute("data-ready").as_deref(), Some("4"));
    assert_eq!(rs.get_attribute("data-revision").as_deref(), Some("1"));
    let pods = find_all(&root, "[data-testid='pod']");
    assert_eq!(pods.len(), 4);
    for pod in &pods {
        assert_eq!(pod.get_attribute("data-phase").as_deref(), Some("Running"));
        assert_eq!(pod.get_attribute("data-ready").as_deref(), Some("true"));
        assert_eq!(pod.get_attribute("data-version").as_deref(), Some("v1.0"));
        assert_eq!(pod.get_attribute("data-rs"), rs.get_attribute("data-name"),);
    }
    let service = find(&root, "service");
    assert_eq!(
        service.get_attribute("data-name").as_deref(),
        Some("demoapp-svc")
    );
    assert_eq!(find_all(&service, "[data-testid='endpoint']").len(), 4);
    assert!(!find_all(&root, "[data-testid='event']").is_empty());
}

#[wasm_bindgen_test]
async fn many_pods_draw_as_cells_on_a_canvas_and_the_keys_and_pointer_open_their_cards() {
    let root = mount(None).await;
    click(&root, "clock-pause").await;
    type_line(
        &root,
        "kubectl create deployment big --image=ikubernetes/demoapp:v1.0 --replicas=60",
    )
    .await;
    step_seconds(&root, 30).await;
    let grid = root
        .query_selector(".pod-grid")
        .expect("valid selector")
        .expect("past the threshold the pods are a grid")
        .unchecked_into::<HtmlElement>();
    assert_eq!(grid.get_attribute("data-cells").as_deref(), Some("60"));
    assert!(
        find_all(&root, "[data-testid='pod']").is_empty(),
        "no cards"
    );
    let ready = find_all(
        &root,
        "[data-testid='pod-counts'] .pod-count[data-state='ready']",
    );
    assert_eq!(ready[0].get_attribute("data-count").as_deref(), Some("60"));
    // The first cell is painted: its centre is not transparent.
    let canvas: HtmlCanvasElement = grid
        .query_selector("canvas")
        .expect("valid selector")
        .expect("a canvas")
        .unchecked_into();
    assert!(canvas.width() > 0 && canvas.height() > 0);
    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .expect("2d")
        .expect("2d")
        .unchecked_into();
    let scale = window().device_pixel_ratio();
    let pixel = ctx
        .get_image_data(6.0 * scale, 6.0 * scale, 1.0, 1.0)
        .expect("pixels")
        .data();
    assert!(pixel[3] > 0, "the first cell is painted: {pixel:?}");

    // Focus opens the first pod's card; ArrowRight moves to the second.
    grid.focus().expect("focus");
    settle().await;
    let ring = |root: &HtmlElement| find_all(root, ".pod-grid .cell-ring");
    let first = ring(&root)[0].id();
    assert!(first.starts_with("pod-cell-big-"), "{first}");
    assert_eq!(
        grid.get_attribute("aria-activedescendant"),
        Some(first.clone())
    );
    assert!(ring(&root)[0]
        .get_attribute("aria-label")
        .is_some_and(|l| l.contains("v1.0")));
    let card_name = |root: &HtmlElement| {
        find_all(root, ".pod-pop [data-testid='pod']")[0]
            .get_attribute("data-name")
            .unwrap_or_default()
    };
    assert_eq!(format!("pod-cell-{}", card_name(&root)), first);
    press(&grid, "ArrowRight", false);
    settle().await;
    let second = ring(&root)[0].id();
    assert_ne!(second, first);
    assert_eq!(grid.get_attribute("aria-activedescendant"), Some(second));

    // The pointer over the third cell (11 px apart, 2 px in) opens its card.
    let rect = canvas.get_bounding_client_rect();
    let init = MouseEventInit::new();
    init.set_bubbles(true);
    init.set_client_x((rect.left() + 2.0 + 2.0 * 11.0 + 4.0) as i32);
    init.set_client_y((rect.top() + 2.0 + 4.0) as i32);
    canvas
        .dispatch_event(
            &MouseEvent::new_with_mouse_event_init_dict("mousemove", &init).expect("event"),
        )
        .expect("dispatch");
    settle().await;
    let style = ring(&root)[0].get_attribute("style").unwrap_or_default();
    assert!(style.contains("left: 24px"), "{style}");
}

#[wasm_bindgen_test]
async fn kubectl_commands_change_what_the_cluster_view_shows() {
    let root = mount(Some(lab_with(DEPLOYMENT))).await;
    click(&root, "clock-pause").await;
    step_seconds(&root, 30).await;
    type_line(&root, "kubectl rollout pause deployment deployment-demo").await;
    type_line(
        &root,
        "kubectl set image deployment deployment-demo demoapp=ikubernetes/demoapp:v1.1",
    )
    .await;
    step_seconds(&root, 2).await;
    let deployment = find(&root, "deployment");
    assert_eq!(
        deployment.get_attribute("data-paused").as_deref(),
        Some("true")
    );
    find(&root, "paused-badge");
    type_line(&root, "kubectl rollout resume deployment deployment-demo").await;
    step_seconds(&root, 3).await;
    let versions: Vec<String> = find_all(&root, "[data-testid='pod']")
        .iter()
        .filter_map(|p| p.get_attribute("data-version"))
        .collect();
    assert!(versions.iter().any(|v| v == "v1.1"), "{versions:?}");
    assert_eq!(find_all(&root, "[data-testid='replicaset']").len(), 2);
}

#[wasm_bindgen_test]
async fn dragging_the_timeline_back_shows_the_earlier_cluster_and_acting_continues_from_there() {
    let root = mount(Some(lab_with(DEPLOYMENT))).await;
    click(&root, "clock-pause").await;
    type_line(&root, "echo before").await;
    step_seconds(&root, 30).await;
    type_line(&root, "echo later").await;
    assert_eq!(
        find_all(&root, "[data-ready='true'][data-testid='pod']").len(),
        4
    );

    let timeline: HtmlInputElement = find(&root, "timeline").unchecked_into();
    timeline.set_value("0");
    let init = EventInit::new();
    init.set_bubbles(true);
    timeline
        .dispatch_event(&Event::new_with_event_init_dict("input", &init).expect("input"))
        .expect("dispatch");
    settle().await;
    assert_eq!(clock_seconds(&root), 0);
    assert_eq!(
        find_all(&root, "[data-ready='true'][data-testid='pod']").len(),
        0
    );
    assert!(!text(&find(&root, "terminal-output")).contains("later"));

    // Stepping from the past continues from there and forgets the old future.
    click(&root, "clock-step").await;
    assert_eq!(clock_seconds(&root), 1);
    assert_eq!(timeline.max(), "1");
}

#[wasm_bindgen_test]
async fn the_editor_writes_files_and_apply_runs_kubectl_apply_in_the_terminal() {
    let root = mount(None).await;
    let editor: HtmlTextAreaElement = find(&root, "editor").unchecked_into();
    editor.set_value(DEPLOYMENT);
    let init = EventInit::new();
    init.set_bubbles(true);
    editor
        .dispatch_event(&Event::new_with_event_init_dict("input", &init).expect("input"))
        .expect("dispatch");
    settle().await;
    find(&root, "editor-tab");
    type_line(&root, "cat manifest.yaml").await;
    assert!(text(&find(&root, "terminal-output")).contains("name: deployment-demo"));
    click(&root, "editor-apply").await;
    assert!(text(&find(&root, "terminal-output")).contains("kubectl apply -f manifest.yaml"));
}

#[wasm_bindgen_test]
fn every_explanation_key_renders_a_sentence_in_both_languages() {
    let values = [
        "deployment",
        "replica_set",
        "replicas",
        "max_surge",
        "max_surge_spec",
        "max_unavailable",
        "max_unavailable_spec",
        "max_total",
        "min_available",
        "old_available",
        "from",
        "to",
        "desired",
        "active",
        "failures",
        "threshold",
        "seconds",
        "image",
        "rollout",
        "step",
        "steps",
        "weight",
        "canary",
        "canary_pods",
        "stable",
        "stable_pods",
        "pods",
        "preview",
        "active",
        "preview_service",
        "active_service",
        "what",
        "old",
        "service",
        "hash",
    ];
    let keys: Vec<&str> = explanations::keys().collect();
    assert_eq!(keys.len(), 30);
    for key in keys {
        let mut explanation = Explanation::new(key);
        for name in values {
            explanation = explanation.with(name, "7");
        }
        for lang in [Lang::En, Lang::Zh] {
            let sentence = explanations::render(&explanation, lang).expect("known key");
            assert!(!sentence.contains('{'), "{key}: {sentence}");
        }
    }
    assert!(explanations::render(&Explanation::new("no.such.key"), Lang::En).is_none());
}

/// `kubectl apply -f -` with a heredoc, typed line by line.
#[wasm_bindgen_test]
async fn a_deployment_applied_with_a_heredoc_appears_in_the_cluster_view() {
    let root = mount(None).await;
    click(&root, "clock-pause").await;
    type_line(&root, "kubectl apply -f - <<EOF").await;
    for line in DEPLOYMENT.lines() {
        type_line(&root, line).await;
    }
    type_line(&root, "EOF").await;
    let output = text(&find(&root, "terminal-output"));
    assert!(
        output.contains("deployment.apps/deployment-demo created"),
        "{output}"
    );
    step_seconds(&root, 30).await;
    assert_eq!(
        find_all(&root, "[data-testid='pod'][data-ready='true']").len(),
        4
    );
}

// ---- Tab completion ---------------------------------------------------------------------

mod completion {
    use super::*;
    use rollout_kubectl::lab::HOME;
    use rollout_lab::web::completion::complete;
    use rollout_sim::clock::Duration;

    fn running_lab() -> Lab {
        let mut lab = lab_with(DEPLOYMENT);
        lab.advance(Duration(30_000));
        lab
    }

    /// The line after Tab with the cursor at the end.
    fn tab(line: &str, lab: &Lab) -> (String, Vec<String>) {
        let done = complete(line, line.len(), lab);
        (done.line, done.candidates)
    }

    #[wasm_bindgen_test]
    fn a_single_match_completes_verbs_subcommands_and_kinds() {
        let lab = Lab::new(8);
        assert_eq!(tab("kub", &lab).0, "kubectl ");
        assert_eq!(tab("kubectl ro", &lab).0, "kubectl rollout ");
        assert_eq!(tab("kubectl rollout st", &lab).0, "kubectl rollout status ");
        assert_eq!(tab("kubectl set i", &lab).0, "kubectl set image ");
        // `po` begins pods and poddisruptionbudgets: the common prefix, both listed.
        let (line, candidates) = tab("kubectl get po", &lab);
        assert_eq!(line, "kubectl get pod");
        assert!(candidates.iter().any(|c| c == "pods"), "{candidates:?}");
        assert!(
            candidates.iter().any(|c| c == "poddisruptionbudgets"),
            "{candidates:?}"
        );
        assert_eq!(tab("kubectl get pods", &lab).0, "kubectl get pods ");
        assert_eq!(tab("kubectl get svc", &lab).0, "kubectl get svc ");
        assert_eq!(
            tab("kubectl get pods --sh", &lab).0,
            "kubectl get pods --show-labels "
        );
    }

    #[wasm_bindgen_test]
    fn several_matches_extend_the_common_prefix_and_are_listed() {
        let lab = Lab::new(8);
        let (line, listed) = tab("kubectl s", &lab);
        assert_eq!(line, "kubectl s");
        assert_eq!(listed, vec!["scale".to_string(), "set".to_string()]);
        let (line, listed) = tab("kubectl rollout re", &lab);
        assert_eq!(line, "kubectl rollout res");
        assert_eq!(listed, vec!["restart".to_string(), "resume".to_string()]);
        assert!(tab("kubectl xyz", &lab).1.is_empty());
    }

    #[wasm_bindgen_test]
    fn object_names_come_from_the_cluster_after_a_kind_or_kind_slash() {
        let lab = running_lab();
        assert_eq!(
            tab("kubectl get deploy dep", &lab).0,
            "kubectl get deploy deployment-demo "
        );
        assert_eq!(
            tab("kubectl rollout status deployment/", &lab).0,
            "kubectl rollout status deployment/deployment-demo "
        );
        assert_eq!(
            tab("kubectl rollout undo d", &lab).0,
            "kubectl rollout undo deployments "
        );
        assert_eq!(
            tab("kubectl describe svc demo", &lab).0,
            "kubectl describe svc demoapp-svc "
        );
        let (line, pods) = tab("kubectl get pods deployment-demo", &lab);
        assert_eq!(pods.len(), 4, "{pods:?}");
        assert!(
            line.len() > "kubectl get pods deployment-demo".len(),
            "{line}"
        );
        assert!(pods
            .iter()
            .all(|p| p.starts_with(line.rsplit(' ').next().unwrap_or_default())));
        assert_eq!(tab("kubectl logs x", &lab).1, Vec::<String>::new());
    }

    #[wasm_bindgen_test]
    fn file_names_complete_after_dash_f_and_the_cursor_may_sit_mid_line() {
        let mut lab = Lab::new(8);
        lab.shell
            .files_mut()
            .write(&format!("{HOME}/deploy-demo.yaml"), "kind: Deployment\n");
        assert_eq!(
            tab("kubectl apply -f dep", &lab).0,
            "kubectl apply -f deploy-demo.yaml "
        );
        let done = complete("kubectl ge pods", "kubectl ge".len(), &lab);
        assert_eq!(done.line, "kubectl get pods");
        assert_eq!(done.cursor, "kubectl get".len());
        // Nothing user input can reach panics: odd cursors and lines.
        for line in [
            "",
            " ",
            "|",
            "kubectl -n",
            "kubectl get /",
            "é kubectl \u{1F600}",
        ] {
            for cursor in 0..=line.len() + 2 {
                let _ = complete(line, cursor, &lab);
            }
        }
    }

    #[wasm_bindgen_test]
    async fn tab_in_the_terminal_completes_the_line() {
        let root = mount(None).await;
        let input: HtmlTextAreaElement = find(&root, "terminal-input").unchecked_into();
        input.set_value("kubectl rollout st");
        let init = EventInit::new();
        init.set_bubbles(true);
        input
            .dispatch_event(&Event::new_with_event_init_dict("input", &init).expect("input"))
            .expect("dispatch input");
        press(&input, "Tab", false);
        settle().await;
        assert_eq!(input.value(), "kubectl rollout status ");
        input.set_value("kubectl s");
        input
            .dispatch_event(&Event::new_with_event_init_dict("input", &init).expect("input"))
            .expect("dispatch input");
        press(&input, "Tab", false);
        settle().await;
        let listed = text(&find(&root, "completions"));
        assert!(
            listed.contains("scale") && listed.contains("set"),
            "{listed}"
        );
    }
}

// ---- traffic ----------------------------------------------------------------------------

mod traffic {
    use super::*;
    use rollout_lab::web::traffic::{chart_by_order, parse_answer, percent, shares, Answer};
    use rollout_sim::clock::{Duration, Time};

    fn answer(version: &str) -> Answer {
        Answer {
            id: 0,
            at: Time(0),
            version: version.into(),
            text: String::new(),
            typed: false,
        }
    }

    #[wasm_bindgen_test]
    fn shares_count_each_version_among_the_answers_in_whole_percent() {
        let answers: Vec<Answer> = ["v1.0", "v1.0", "v1.1", "v1.0"].map(answer).to_vec();
        let s = shares(&answers);
        assert_eq!(
            s.iter()
                .map(|s| (s.version.as_str(), s.count, s.percent))
                .collect::<Vec<_>>(),
            vec![("v1.0", 3, 75), ("v1.1", 1, 25)]
        );
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(1, 8), 13);
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(5, 4), 100);
        assert!(shares(&[]).is_empty());
    }

    #[wasm_bindgen_test]
    fn a_burst_is_charted_by_request_order_in_bins_of_requests() {
        // 200 answers in one instant: a quarter v1.1 (every fourth), the rest v1.0.
        let answers: Vec<Answer> = (0..200)
            .map(|i| answer(if i % 4 == 3 { "v1.1" } else { "v1.0" }))
            .collect();
        let series = chart_by_order(&answers);
        assert_eq!(series.len(), 2);
        let canary = series
            .iter()
            .find(|s| s.version == "v1.1")
            .expect("v1.1 series");
        // 200 requests in at most 60 points: bins of 4, x is the request's number.
        assert_eq!(canary.points.len(), 50);
        assert_eq!(canary.points.first().map(|p| p.0), Some(4));
        assert_eq!(canary.points.last().map(|p| p.0), Some(200));
        // Each point is the share among the last 20 answers: 25% once 20 have come.
        assert!(canary.points[5..].iter().all(|p| (p.1 - 25.0).abs() < 1e-9));
        // Two answers are enough for a line; one version alone is a flat 100%.
        let two = chart_by_order(&[answer("v1.0"), answer("v1.0")]);
        assert_eq!(two[0].points, vec![(1, 100.0), (2, 100.0)]);
    }

    #[wasm_bindgen_test]
    fn a_demoapp_answer_names_its_version() {
        assert_eq!(
            parse_answer("iKubernetes demoapp v1.1 !! ClientIP: 10.244.0.0, ServerName: d-1, ServerIP: 10.244.1.2!"),
            Some("v1.1")
        );
        assert_eq!(parse_answer("curl: (7) Failed to connect"), None);
        assert_eq!(parse_answer("iKubernetes demoapp"), None);
    }

    #[wasm_bindgen_test]
    async fn send_traffic_streams_one_answer_per_virtual_second_through_the_service() {
        let mut lab = lab_with(DEPLOYMENT);
        lab.advance(Duration(30_000));
        let root = mount(Some(lab)).await;
        click(&root, "clock-pause").await;
        click(&root, "send-traffic").await;
        step_seconds(&root, 10).await;
        let lines = find_all(&root, "[data-testid='curl-line']");
        assert!((10..=12).contains(&lines.len()), "{} answers", lines.len());
        assert!(lines
            .iter()
            .all(|l| l.dataset().get("version").as_deref() == Some("v1.0")));
        let share = find(&root, "traffic-share");
        assert_eq!(share.dataset().get("percent").as_deref(), Some("100"));

        // A curl typed in the terminal joins the stream.
        click(&root, "send-traffic").await;
        let service = text(&find(&root, "service"));
        let ip = service
            .split_whitespace()
            .find(|w| w.split('.').count() == 4 && w.split('.').all(|p| p.parse::<u8>().is_ok()))
            .unwrap_or_else(|| panic!("no cluster IP in {service}"))
            .to_string();
        type_line(&root, &format!("curl -s {ip}")).await;
        step_seconds(&root, 1).await;
        let typed = find_all(&root, "[data-testid='curl-line']").len();
        assert!(typed > lines.len(), "{typed}");
    }

    // ---- the client in the session's log: a reload or a shared link replays it ----------

    use rollout_lab::web::save::EventKind;
    use rollout_lab::web::session::Session;
    use rollout_lab::web::traffic::Target;

    /// A session in lesson 4's lab (the course's Deployment with maxSurge 1, maxUnavailable
    /// 0, and its Service).
    fn canary_lesson_session() -> (Session, impl Fn() -> Session) {
        let lesson = rollout_kubectl::lesson::built_in()
            .into_iter()
            .find(|l| l.id == "canary-pause")
            .expect("lesson 4");
        let fresh = move || Session::new(lesson.start(8));
        (fresh(), fresh)
    }

    fn frames(session: &mut Session, count: usize, elapsed_ms: f64) {
        for _ in 0..count {
            session.frame(elapsed_ms);
        }
    }

    fn pod_names(session: &Session) -> Vec<String> {
        let mut names: Vec<String> = session
            .lab
            .cluster()
            .store()
            .pods
            .values()
            .map(|p| p.metadata.name.clone())
            .collect();
        names.sort();
        names
    }

    /// The replay of `live`'s log into a fresh session ends where `live` is: the same
    /// answers (versions, pods, moments), cluster, clock, client and log.
    fn assert_replays_to_the_same_state(live: &Session, fresh: impl Fn() -> Session) {
        let mut replayed = fresh();
        replayed.replay(&live.log.clone());
        assert_eq!(replayed.lab.now(), live.lab.now());
        assert_eq!(pod_names(&replayed), pod_names(live));
        assert_eq!(
            replayed.traffic.answers().len(),
            live.traffic.answers().len()
        );
        assert_eq!(replayed.traffic.answers(), live.traffic.answers());
        assert_eq!(replayed.traffic.sending, live.traffic.sending);
        assert_eq!(replayed.traffic.target, live.traffic.target);
        assert_eq!(replayed.log, live.log);
    }

    #[wasm_bindgen_test]
    fn a_session_held_for_data_keeps_its_clock_and_lines_until_the_data_arrived() {
        // The page holds a fresh session while it fetches what a saved log wants: a replay
        // must start at the clock's start, not where frames took it meanwhile.
        let (mut live, _) = canary_lesson_session();
        live.set_playing(true);
        let start = live.lab.now();
        live.hold_for_data();
        frames(&mut live, 20, 250.0);
        live.enter("kubectl get deploy");
        frames(&mut live, 20, 250.0);
        assert_eq!(live.lab.now(), start);
        assert_eq!(live.queued().collect::<Vec<_>>(), ["kubectl get deploy"]);
        live.data_arrived(None);
        assert_eq!(live.queued().count(), 0);
        frames(&mut live, 4, 250.0);
        assert!(live.lab.now() > start);
    }

    #[wasm_bindgen_test]
    fn send_traffic_and_its_target_are_in_the_log_so_a_replay_gives_the_same_answers() {
        let (mut live, fresh) = canary_lesson_session();
        live.enter("kubectl apply -f deployment-demo.yaml\nkubectl apply -f service-rollout.yaml");
        frames(&mut live, 120, 250.0);
        live.set_sending(true);
        frames(&mut live, 40, 250.0);
        live.enter(
            "kubectl set image deployment/deployment-demo demoapp=ikubernetes/demoapp:v1.1 \
             && kubectl rollout pause deployment/deployment-demo",
        );
        frames(&mut live, 160, 250.0);
        live.set_traffic_target(Target::Service {
            namespace: "default".into(),
            name: "demoapp-svc".into(),
        });
        frames(&mut live, 40, 250.0);
        live.set_sending(false);
        frames(&mut live, 20, 250.0);
        live.set_sending(true);
        // Switching to what it already is records nothing.
        let events = live.log.len();
        live.set_sending(true);
        assert_eq!(live.log.len(), events);

        let kinds: Vec<&EventKind> = live.log.iter().map(|e| &e.kind).collect();
        assert!(kinds.contains(&&EventKind::SendTraffic(true)), "{kinds:?}");
        assert!(kinds.contains(&&EventKind::SendTraffic(false)), "{kinds:?}");
        assert!(
            kinds.contains(&&EventKind::TrafficTarget("svc:default/demoapp-svc".into())),
            "{kinds:?}"
        );
        let versions: Vec<&str> = live
            .traffic
            .answers()
            .iter()
            .map(|a| a.version.as_str())
            .collect();
        assert!(versions.len() > 40, "{} answers", versions.len());
        assert!(versions.contains(&"v1.1") && versions.contains(&"v1.0"));
        assert_replays_to_the_same_state(&live, fresh);
    }

    #[wasm_bindgen_test]
    fn acting_from_an_earlier_moment_puts_the_client_back_as_it_was_then() {
        let (mut live, fresh) = canary_lesson_session();
        live.enter("kubectl apply -f deployment-demo.yaml\nkubectl apply -f service-rollout.yaml");
        frames(&mut live, 120, 250.0);
        live.set_sending(true);
        frames(&mut live, 30, 250.0);
        let sent_before = live.traffic.answers().len();
        let back_to = live.snapshots.len() - 1;
        frames(&mut live, 30, 250.0);
        live.set_sending(false);
        frames(&mut live, 30, 250.0);

        // Back to a moment the client was sending, in the middle of its schedule: stepping
        // from there goes on sending, from that moment's answers.
        live.view(back_to);
        live.step(Duration::from_secs(7));
        assert!(live.traffic.sending);
        let answers = live.traffic.answers();
        assert!(answers.len() >= sent_before + 5, "{}", answers.len());
        assert!(answers
            .windows(2)
            .all(|w| w[0].at <= w[1].at && w[0].id < w[1].id));
        assert_replays_to_the_same_state(&live, &fresh);

        // Advances merged while idle (here an hour at 30×) must not hide requests from the
        // replay: one advance sends at most 600.
        live.set_playing(true);
        live.set_speed(30);
        frames(&mut live, 480, 250.0);
        assert!(live.traffic.answers().len() > 3_000);
        assert_replays_to_the_same_state(&live, &fresh);
    }

    static FAKE_MS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

    /// A real clock on which every reading takes 100 ms: a frame runs out of time at its
    /// first look at the clock.
    fn slow_now() -> f64 {
        FAKE_MS.fetch_add(100, std::sync::atomic::Ordering::Relaxed) as f64
    }

    #[wasm_bindgen_test]
    fn a_frame_that_runs_out_of_time_mid_command_drops_the_rest_of_its_clock_step() {
        use rollout_kubectl::lab::HOME;
        use rollout_kubectl::shell::{Limits, Login, Shell};
        // A shell that yields after a few steps, so a loop of curls takes many polls.
        let fresh = || {
            let (session, _) = canary_lesson_session();
            let mut lab = session.lab;
            let files = lab.shell.files().clone();
            let limits = Limits {
                steps_per_poll: 8,
                ..Limits::default()
            };
            lab.shell =
                Shell::with_limits(Login::course_master("K8s-master01", HOME), files, limits);
            Session::new(lab)
        };
        let mut live = fresh();
        live.enter("kubectl apply -f deployment-demo.yaml\nkubectl apply -f service-rollout.yaml");
        frames(&mut live, 120, 250.0);
        live.set_sending(true);
        live.now_ms = slow_now;
        let ip = live
            .lab
            .cluster()
            .store()
            .services
            .values()
            .find(|s| s.metadata.name == "demoapp-svc")
            .map(|s| s.spec.cluster_ip.clone())
            .expect("the Service");
        live.enter(&format!(
            "for i in $(seq 300); do curl -s {ip}; done | grep -c v1.0"
        ));
        let start = live.lab.now();
        live.frame(250.0);
        // The clock moved only while the curls waited for the network, not by the frame's
        // whole 250 ms.
        assert!(live.busy(), "the loop has not finished its curls");
        assert!(
            live.lab.now() - start < Duration(250),
            "{:?}",
            live.lab.now() - start
        );
        for _ in 0..20_000 {
            if !live.busy() {
                break;
            }
            live.frame(250.0);
        }
        assert!(!live.busy());
        assert!(live.lab.now() > start);
        let output: Vec<String> = live.transcript.lines().iter().map(|l| l.text()).collect();
        assert_eq!(output.last().map(String::as_str), Some("300"), "{output:?}");
        assert_replays_to_the_same_state(&live, fresh);
    }
}

/// Lessons and languages (issue 6): the picker, the steps, their commands and checks; the
/// page's words in English and Chinese.
mod lessons {
    use super::*;
    use rollout_lab::web::i18n;
    use web_sys::HtmlSelectElement;

    async fn pick_lesson(root: &HtmlElement, id: &str) {
        let picker: HtmlSelectElement = find(root, "lesson-picker").unchecked_into();
        picker.set_value(id);
        let init = EventInit::new();
        init.set_bubbles(true);
        picker
            .dispatch_event(&Event::new_with_event_init_dict("change", &init).expect("change"))
            .expect("dispatch change");
        settle().await;
    }

    fn step_done(root: &HtmlElement, step: usize) -> Option<String> {
        find_all(root, "[data-testid='lesson-step']")
            .get(step)
            .and_then(|s| s.get_attribute("data-done"))
    }

    #[wasm_bindgen_test]
    fn the_share_encoding_round_trips() {
        use rollout_lab::web::save::*;
        let text = br#"{"v":1,"events":[{"t":0,"k":{"s":"kubectl apply -f a.yaml"}},{"t":0,"k":{"s":"kubectl apply -f a.yaml"}}]}"#;
        let packed = compress(text);
        assert!(packed.len() < text.len());
        assert_eq!(decompress(&packed).as_deref(), Some(&text[..]));
        for len in 0..10 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37) as u8).collect();
            assert_eq!(base64url_decode(&base64url_encode(&bytes)), Some(bytes));
        }
        let work = SavedWork {
            v: VERSION,
            seed: 8,
            lesson: Some("blue-green".into()),
            start_step: 1,
            done: vec![true, false],
            lang: "zh".into(),
            events: vec![
                LogEvent {
                    at_virtual_ms: 0,
                    kind: EventKind::Submit("kubectl get pods".into()),
                },
                LogEvent {
                    at_virtual_ms: 0,
                    kind: EventKind::Advance(1500),
                },
                LogEvent {
                    at_virtual_ms: 1500,
                    kind: EventKind::Write("/root/a.yaml".into(), "x: 1\n".into()),
                },
            ],
        };
        assert_eq!(
            SavedWork::from_fragment(&work.to_fragment()),
            Ok(work.clone())
        );
        assert!(matches!(
            SavedWork::from_json("{garbage"),
            Err(LoadError::Corrupt(_))
        ));
        assert!(matches!(
            SavedWork::from_json(r#"{"v":0}"#),
            Err(LoadError::OldFormat(0))
        ));
        assert!(SavedWork::from_fragment("!!").is_err());
        assert!(SavedWork::from_fragment("AAAA").is_err());
    }

    #[wasm_bindgen_test]
    fn url_parameters_are_read_and_bad_values_ignored() {
        use rollout_lab::web::params::UrlParams;
        let p = UrlParams::parse("?lesson=canary-pause&lang=zh&embed=1&step=3&speed=5", "");
        assert_eq!(p.lesson.as_deref(), Some("canary-pause"));
        assert_eq!(p.lang, Some(Lang::Zh));
        assert!(p.embed);
        assert!(!p.author);
        assert_eq!((p.step, p.speed), (Some(3), Some(5)));
        assert!(UrlParams::parse("?lesson=x&author=1", "").author);
        let p = UrlParams::parse("?step=0&speed=7&lang=fr&x=%zz%e4&author=0", "#share=abc");
        assert!(!p.author);
        assert_eq!((p.step, p.speed, p.lang), (None, None, None));
        assert_eq!(p.share.as_deref(), Some("abc"));
    }

    #[wasm_bindgen_test]
    fn replaying_a_sessions_log_into_a_fresh_lab_gives_the_same_cluster() {
        use rollout_lab::web::session::Session;
        let lesson = rollout_kubectl::lesson::built_in()
            .into_iter()
            .find(|l| l.id == "blue-green")
            .expect("lesson 1");
        let mut live = Session::new(lesson.start(8));
        live.enter("kubectl apply -f replicaset-demo.yaml\nsleep 3\nkubectl get pods");
        for _ in 0..200 {
            live.frame(16.0);
        }
        live.enter("kubectl apply -f replicaset-demo-v1.1.yaml");
        for _ in 0..100 {
            live.frame(33.0);
        }
        let names = |s: &Session| {
            let mut names: Vec<String> = s
                .lab
                .cluster()
                .store()
                .pods
                .values()
                .map(|p| p.metadata.name.clone())
                .collect();
            names.sort();
            names
        };
        let mut replayed = Session::new(lesson.start(8));
        replayed.replay(&live.log.clone());
        assert_eq!(names(&replayed), names(&live));
        assert_eq!(names(&live).len(), 4);
        assert_eq!(replayed.lab.now(), live.lab.now());
        assert_eq!(replayed.log, live.log);
    }

    #[wasm_bindgen_test]
    fn a_frame_that_cannot_simulate_all_its_time_drops_the_rest_and_replays_the_same() {
        use rollout_lab::web::session::Session;
        use std::sync::atomic::{AtomicU64, Ordering};
        // A real clock that moves 3 ms each time the session reads it: a slow machine.
        static REAL_MS: AtomicU64 = AtomicU64::new(0);
        fn slow_clock() -> f64 {
            REAL_MS.fetch_add(3, Ordering::Relaxed) as f64
        }
        let mut live = Session::new(rollout_kubectl::lab::Lab::new(8));
        live.enter("kubectl create deployment big --image=ikubernetes/demoapp:v1.0 --replicas=60");
        for _ in 0..50 {
            live.frame(16.0);
        }
        live.now_ms = slow_clock;
        live.set_speed(30);
        let before = live.lab.now();
        live.frame(16.0);
        let moved = (live.lab.now() - before).millis();
        // 16 ms at 30× is 480 virtual ms; the frame's 8 ms ran out after a few slices.
        assert!(moved > 0 && moved < 480, "moved {moved} ms");
        assert!(live.lagging_until > 0.0);
        for _ in 0..20 {
            live.frame(16.0);
        }
        let mut replayed = Session::new(rollout_kubectl::lab::Lab::new(8));
        replayed.replay(&live.log.clone());
        assert_eq!(replayed.lab.now(), live.lab.now());
        assert_eq!(
            replayed
                .lab
                .cluster()
                .store()
                .pods
                .keys()
                .collect::<Vec<_>>(),
            live.lab.cluster().store().pods.keys().collect::<Vec<_>>()
        );
    }

    #[wasm_bindgen_test]
    fn every_page_text_has_english_and_chinese() {
        for key in i18n::keys() {
            assert!(!i18n::t(key, Lang::En).is_empty(), "{key}");
            assert!(!i18n::t(key, Lang::Zh).is_empty(), "{key}");
            assert_ne!(
                i18n::t(key, Lang::En),
                i18n::t(key, Lang::Zh),
                "{key} is not translated"
            );
        }
    }

    #[wasm_bindgen_test]
    async fn the_language_toggle_switches_the_page_and_lesson_texts_to_chinese() {
        let root = mount(None).await;
        pick_lesson(&root, "blue-green").await;
        assert!(text(&root).contains("See how Kubernetes rolls out software"));
        assert!(text(&root).contains("Start version 1.0 (blue)"));
        click(&root, "lang").await;
        let page = text(&root);
        assert!(page.contains("观察 Kubernetes 如何发布软件"), "{page}");
        assert!(page.contains("启动 v1.0 版本（蓝）"));
        assert!(text(&find(&root, "lesson-reset")).contains("重置课程"));
        // The editor's, the traffic panel's and the clock's own words follow.
        assert_eq!(text(&find(&root, "editor-apply")).trim(), "应用");
        assert_eq!(
            find(&root, "editor-new").get_attribute("title").as_deref(),
            Some("新建文件")
        );
        assert_eq!(
            find(&root, "editor")
                .get_attribute("placeholder")
                .as_deref(),
            Some("用 + 新建文件，然后把清单粘贴到这里")
        );
        assert_eq!(text(&find(&root, "send-traffic")).trim(), "▶ 发送流量");
        assert_eq!(text(&find(&root, "clock-step")).trim(), "+1 秒");
        click(&root, "lang").await;
        assert!(text(&root).contains("Start version 1.0 (blue)"));
    }

    #[wasm_bindgen_test]
    async fn a_lesson_shows_its_steps_and_a_step_turns_green_when_its_check_holds() {
        let root = mount(None).await;
        assert!(
            find_all(&root, "[data-testid='lesson-step']").is_empty(),
            "the sandbox has no steps"
        );
        pick_lesson(&root, "blue-green").await;
        click(&root, "clock-pause").await;
        let steps = find_all(&root, "[data-testid='lesson-step']");
        assert_eq!(steps.len(), 5);
        assert_eq!(steps[0].get_attribute("data-step").as_deref(), Some("1"));
        assert_eq!(step_done(&root, 0).as_deref(), Some("false"));
        // The lesson's files are in the editor's tabs.
        assert!(text(&root).contains("replicaset-demo.yaml"));

        let command = find_all(&steps[0], "[data-testid='lesson-command']");
        assert_eq!(text(&command[0]), "kubectl apply -f replicaset-demo.yaml");
        command[0].click();
        settle().await;
        let output = text(&find(&root, "terminal-output"));
        assert!(
            output.contains("replicaset.apps/replicaset-demo created"),
            "{output}"
        );
        assert_eq!(step_done(&root, 0).as_deref(), Some("false"));

        step_seconds(&root, 30).await;
        assert_eq!(step_done(&root, 0).as_deref(), Some("true"));
        assert_eq!(step_done(&root, 1).as_deref(), Some("false"));
    }
}

// ---- the editor's checks ----------------------------------------------------------------

mod manifest_check {
    use super::*;
    use rollout_lab::web::manifest_check::{check, highlight_line, Token};

    #[wasm_bindgen_test]
    fn a_valid_manifest_has_no_problem() {
        assert_eq!(check(DEPLOYMENT, "deploy.yaml", &|_| true), vec![]);
    }

    #[wasm_bindgen_test]
    fn a_syntax_error_in_the_second_document_is_shown_at_its_line_in_the_file() {
        let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n   bad: indent\n";
        let problems = check(text, "svc.yaml", &|_| true);
        assert_eq!(problems.len(), 1, "{problems:?}");
        let line = problems[0].line.expect("go-yaml names the line");
        assert_eq!(line, 10, "{}", problems[0].message);
        // kubectl's words count from the document's first line (line 6): its line 5.
        assert!(
            problems[0].message.contains("line 5:"),
            "{}",
            problems[0].message
        );
        assert_eq!(problems[0].in_document, Some((5, 6)));
        assert!(
            problems[0]
                .message
                .starts_with("error: error parsing svc.yaml"),
            "{}",
            problems[0].message
        );
    }

    #[wasm_bindgen_test]
    fn an_invalid_object_is_shown_at_its_kind_line_with_the_servers_words() {
        let text = DEPLOYMENT.replace("replicas: 4", "replicas: -1");
        let problems = check(&text, "deploy.yaml", &|_| true);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, Some(2));
        assert!(
            problems[0].message.contains("is invalid"),
            "{}",
            problems[0].message
        );
        assert!(
            problems[0].message.contains("spec.replicas"),
            "{}",
            problems[0].message
        );
    }

    #[wasm_bindgen_test]
    fn colouring_cuts_a_line_into_pieces_that_give_it_back() {
        for line in DEPLOYMENT
            .lines()
            .chain(["  - name: x # note", "---", "  image: \"a:b\"", ""])
        {
            let pieces: String = highlight_line(line).into_iter().map(|(_, p)| p).collect();
            assert_eq!(pieces, line);
        }
        let tokens: Vec<Token> = highlight_line("  replicas: 4 # four")
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        assert_eq!(
            tokens,
            vec![
                Token::Plain,
                Token::Key,
                Token::Punct,
                Token::Number,
                Token::Comment
            ]
        );
    }
}

/// Argo Rollouts: the card and its view model.
mod rollouts {
    use super::*;
    use rollout_lab::web::model::{ClusterModel, RolloutView, StepState};
    use rollout_lab::web::traffic::{rollout_weight, Target};
    use rollout_sim::addons::argo_rollouts::ArgoRolloutsAddon;
    use rollout_sim::clock::Duration;
    use rollout_sim::cluster::Cluster;
    use rollout_sim::manifest::parse_manifests_for;
    use rollout_sim::objects::{Kind, Object};

    /// Upstream's getting-started canary, running the course's demoapp.
    const CANARY: &str = "\
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: rollouts-demo
spec:
  replicas: 5
  strategy:
    canary:
      steps:
      - setWeight: 20
      - pause: {}
      - setWeight: 40
      - pause: {duration: 10}
      - setWeight: 60
      - pause: {duration: 10}
      - setWeight: 80
      - pause: {duration: 10}
  selector:
    matchLabels:
      app: rollouts-demo
  template:
    metadata:
      labels:
        app: rollouts-demo
    spec:
      containers:
      - name: rollouts-demo
        image: ikubernetes/demoapp:v1.0
---
apiVersion: v1
kind: Service
metadata:
  name: rollouts-demo
spec:
  ports:
  - port: 80
  selector:
    app: rollouts-demo
";

    const BLUE_GREEN: &str = "\
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: rollout-bluegreen
spec:
  replicas: 2
  selector:
    matchLabels:
      app: rollout-bluegreen
  template:
    metadata:
      labels:
        app: rollout-bluegreen
    spec:
      containers:
      - name: rollouts-demo
        image: ikubernetes/demoapp:v1.0
  strategy:
    blueGreen:
      activeService: rollout-bluegreen-active
      previewService: rollout-bluegreen-preview
      autoPromotionEnabled: false
---
kind: Service
apiVersion: v1
metadata:
  name: rollout-bluegreen-active
spec:
  selector:
    app: rollout-bluegreen
  ports:
  - port: 80
---
kind: Service
apiVersion: v1
metadata:
  name: rollout-bluegreen-preview
spec:
  selector:
    app: rollout-bluegreen
  ports:
  - port: 80
";

    /// A canary routed by ingress-nginx: the controller writes the weight into a canary
    /// Ingress it owns.
    const NGINX_CANARY: &str = "\
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: rollouts-demo
spec:
  replicas: 1
  strategy:
    canary:
      canaryService: rollouts-demo-canary
      stableService: rollouts-demo-stable
      trafficRouting:
        nginx:
          stableIngress: rollouts-demo-stable
      steps:
      - setWeight: 5
      - pause: {}
  selector:
    matchLabels:
      app: rollouts-demo
  template:
    metadata:
      labels:
        app: rollouts-demo
    spec:
      containers:
      - name: rollouts-demo
        image: ikubernetes/demoapp:v1.0
---
apiVersion: v1
kind: Service
metadata:
  name: rollouts-demo-canary
spec:
  ports:
  - port: 80
  selector:
    app: rollouts-demo
---
apiVersion: v1
kind: Service
metadata:
  name: rollouts-demo-stable
spec:
  ports:
  - port: 80
  selector:
    app: rollouts-demo
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: rollouts-demo-stable
spec:
  ingressClassName: nginx
  rules:
  - host: rollouts-demo.local
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: rollouts-demo-stable
            port:
              number: 80
";

    /// A lab with Argo Rollouts installed, `yaml` applied, settled for a minute, then the
    /// Rollout's image changed to v1.1 and `after` seconds gone by.
    fn lab_updated(yaml: &str, name: &str, after: i64) -> Lab {
        let mut lab = Lab::new(8);
        let cluster = &mut lab.host.cluster;
        cluster.install(Box::new(ArgoRolloutsAddon::default()));
        let served = |kind| cluster.serves(kind);
        for object in parse_manifests_for(yaml, "rollout.yaml", &served) {
            cluster
                .apply(object.expect("parses"))
                .expect("the cluster takes it");
        }
        cluster.advance(Duration::from_secs(60));
        cluster
            .update(Kind::Rollout, "default", name, |object| {
                if let Object::Rollout(ro) = object {
                    ro.set_image("rollouts-demo", "ikubernetes/demoapp:v1.1");
                }
            })
            .expect("the rollout exists");
        cluster.advance(Duration::from_secs(after));
        lab
    }

    fn model_of(cluster: &Cluster) -> RolloutView {
        let model = ClusterModel::read(cluster);
        assert_eq!(model.rollouts.len(), 1);
        model.rollouts[0].clone()
    }

    fn states(view: &RolloutView) -> Vec<StepState> {
        view.steps.iter().map(|s| s.state).collect()
    }

    #[wasm_bindgen_test]
    fn a_paused_canary_reads_as_the_plugin_shows_it() {
        let lab = lab_updated(CANARY, "rollouts-demo", 30);
        let view = model_of(&lab.host.cluster);
        assert_eq!(view.strategy, "Canary");
        assert_eq!(
            (view.status.as_str(), view.message.as_str()),
            ("Paused", "CanaryPauseStep")
        );
        assert_eq!(view.step.as_deref(), Some("1/8"));
        assert_eq!((view.set_weight, view.actual_weight), (Some(20), Some(20)));
        use StepState::*;
        assert_eq!(
            states(&view),
            vec![Done, Current, Pending, Pending, Pending, Pending, Pending, Pending]
        );
        let labels: Vec<&str> = view.steps.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(
            &labels[..4],
            &["setWeight: 20", "pause", "setWeight: 40", "pause: 10"]
        );
        assert!(view.awaits_promotion);
        assert_eq!(view.pause_left_s, None);
        // Newest revision first: the canary, then the stable.
        let roles: Vec<Vec<&str>> = view.replica_sets.iter().map(|r| r.roles.clone()).collect();
        assert_eq!(roles, vec![vec!["canary"], vec!["stable"]]);
        assert_eq!(
            view.command("retry rollout"),
            "kubectl argo rollouts retry rollout rollouts-demo"
        );
        // The Service selects every pod of the Rollout, so curl follows the pods: the step
        // asks for 20%.
        let target = Target::Service {
            namespace: "default".into(),
            name: "rollouts-demo".into(),
        };
        let asks = rollout_weight(&target, &lab.host.cluster).expect("routed by the Rollout");
        assert_eq!((asks.rollout.as_str(), asks.weight), ("rollouts-demo", 20));
    }

    #[wasm_bindgen_test]
    fn a_timed_pause_counts_down_on_the_virtual_clock() {
        let mut lab = lab_updated(CANARY, "rollouts-demo", 30);
        let cluster = &mut lab.host.cluster;
        cluster
            .patch_rollout_status("default", "rollouts-demo", |status| {
                status.pause_conditions.clear()
            })
            .expect("exists");
        cluster.advance(Duration::from_secs(5));
        let view = model_of(cluster);
        assert_eq!(view.step.as_deref(), Some("3/8"));
        assert_eq!(view.set_weight, Some(40));
        let left = view.pause_left_s.expect("a timed pause");
        assert!((1..=10).contains(&left), "{left}");
        assert!(!view.awaits_promotion);
        cluster.advance(Duration::from_secs(3));
        assert_eq!(model_of(cluster).pause_left_s, Some(left - 3));
    }

    #[wasm_bindgen_test]
    fn a_blue_green_rollout_shows_which_service_selects_which_replica_set() {
        let lab = lab_updated(BLUE_GREEN, "rollout-bluegreen", 60);
        let view = model_of(&lab.host.cluster);
        assert_eq!(view.strategy, "BlueGreen");
        assert_eq!(view.status, "Paused");
        assert_eq!((view.step.clone(), view.set_weight), (None, None));
        assert!(view.awaits_promotion);
        let roles: Vec<Vec<&str>> = view.replica_sets.iter().map(|r| r.roles.clone()).collect();
        assert_eq!(roles, vec![vec!["preview"], vec!["stable", "active"]]);
        let names: Vec<String> = view.replica_sets.iter().map(|r| r.key.clone()).collect();
        let routes: Vec<(&str, &str, String)> = view
            .routes
            .iter()
            .map(|r| (r.name.as_str(), r.role, r.to.clone()))
            .collect();
        assert_eq!(
            routes,
            vec![
                ("rollout-bluegreen-active", "active", names[1].clone()),
                ("rollout-bluegreen-preview", "preview", names[0].clone()),
            ]
        );
    }

    #[wasm_bindgen_test]
    async fn the_rollout_card_shows_its_step_and_weights_and_its_buttons_type_plugin_commands() {
        let root = mount(Some(lab_updated(CANARY, "rollouts-demo", 30))).await;
        click(&root, "clock-pause").await;
        let card = find(&root, "rollout");
        let attr = |name: &str| card.get_attribute(name);
        assert_eq!(attr("data-name").as_deref(), Some("rollouts-demo"));
        assert_eq!(attr("data-status").as_deref(), Some("Paused"));
        assert_eq!(attr("data-step").as_deref(), Some("1/8"));
        assert_eq!(attr("data-set-weight").as_deref(), Some("20"));
        assert_eq!(attr("data-actual-weight").as_deref(), Some("20"));
        let steps = find_all(&card, "[data-testid='rollout-step']");
        let states: Vec<String> = steps
            .iter()
            .map(|s| s.get_attribute("data-state").unwrap_or_default())
            .collect();
        assert_eq!(&states[..3], &["done", "current", "pending"]);
        assert_eq!(steps.len(), 8);
        assert_eq!(
            steps[1].get_attribute("aria-current").as_deref(),
            Some("step")
        );
        assert_eq!(
            find_all(&card, "ol.rollout-steps > li").len(),
            8,
            "the steps are a list"
        );
        let roles: Vec<String> = find_all(&card, "[data-testid='rs-role']")
            .iter()
            .map(text)
            .collect();
        assert_eq!(roles, vec!["canary", "stable"]);
        assert_eq!(find_all(&card, "[data-testid='replicaset']").len(), 2);
        // The pod of the canary and the four of the stable are drawn under the card (and the
        // fifth stable pod while it terminates).
        assert_eq!(
            find_all(&card, "[data-testid='pod']:not([data-phase='Terminating'])").len(),
            5
        );
        let why = text(&find(&card, "rollout-why"));
        assert!(why.contains("reached step 2/8"), "{why}");
        assert!(find_all(&card, "[data-testid='analysis-run']").is_empty());

        click(&root, "rollout-promote").await;
        let output = text(&find(&root, "terminal-output"));
        assert!(
            output.contains("kubectl argo rollouts promote rollouts-demo"),
            "{output}"
        );
        click(&root, "rollout-abort").await;
        click(&root, "rollout-retry").await;
        let output = text(&find(&root, "terminal-output"));
        assert!(
            output.contains("kubectl argo rollouts abort rollouts-demo"),
            "{output}"
        );
        assert!(
            output.contains("kubectl argo rollouts retry rollout rollouts-demo"),
            "{output}"
        );
        for id in ["rollout-promote", "rollout-abort", "rollout-retry"] {
            let button = find(&card, id);
            assert_eq!(button.tag_name(), "BUTTON");
            assert!(!text(&button).trim().is_empty(), "{id} has a label");
        }
    }

    #[wasm_bindgen_test]
    async fn a_blue_green_card_has_no_step_and_chinese_explanations() {
        let root = mount(Some(lab_updated(BLUE_GREEN, "rollout-bluegreen", 60))).await;
        click(&root, "clock-pause").await;
        let card = find(&root, "rollout");
        assert_eq!(
            card.get_attribute("data-strategy").as_deref(),
            Some("BlueGreen")
        );
        assert_eq!(card.get_attribute("data-status").as_deref(), Some("Paused"));
        assert_eq!(card.get_attribute("data-step"), None);
        assert_eq!(card.get_attribute("data-set-weight"), None);
        assert!(find_all(&card, "[data-testid='rollout-step']").is_empty());
        let routes: Vec<String> = find_all(&card, "[data-testid='rollout-route']")
            .iter()
            .map(|r| r.get_attribute("data-role").unwrap_or_default())
            .collect();
        assert_eq!(routes, vec!["active", "preview"]);
        click(&root, "lang").await;
        let why = text(&find(&card, "rollout-why"));
        assert!(why.contains("预览"), "{why}");
        assert_eq!(text(&find(&card, "rollout-promote")).trim(), "推进");
    }

    #[wasm_bindgen_test]
    fn a_traffic_routed_canary_shows_its_services_ingresses_and_router_weight() {
        let lab = lab_updated(NGINX_CANARY, "rollouts-demo", 30);
        let cluster = &lab.host.cluster;
        let view = model_of(cluster);
        assert_eq!(
            (view.status.as_str(), view.step.as_deref()),
            ("Paused", Some("1/2"))
        );
        // The router's weight, not the pods' share (one canary pod beside one stable pod).
        assert_eq!((view.set_weight, view.actual_weight), (Some(5), Some(5)));
        let names: Vec<String> = view.replica_sets.iter().map(|r| r.key.clone()).collect();
        let routes: Vec<(&str, &str, &str, String, Option<String>)> = view
            .routes
            .iter()
            .map(|r| {
                (
                    r.kind,
                    r.name.as_str(),
                    r.role,
                    r.to.clone(),
                    r.weight.clone(),
                )
            })
            .collect();
        assert_eq!(
            routes,
            vec![
                (
                    "Service",
                    "rollouts-demo-stable",
                    "stable",
                    names[1].clone(),
                    None
                ),
                (
                    "Service",
                    "rollouts-demo-canary",
                    "canary",
                    names[0].clone(),
                    None
                ),
                (
                    "Ingress",
                    "rollouts-demo-stable",
                    "stable",
                    "rollouts-demo-stable".into(),
                    None
                ),
                (
                    "Ingress",
                    "rollouts-demo-rollouts-demo-stable-canary",
                    "canary",
                    "rollouts-demo-canary".into(),
                    Some("5".into())
                ),
            ]
        );
        let target = Target::Ingress {
            host: "rollouts-demo.local".into(),
        };
        let asks = rollout_weight(&target, cluster).expect("routed by the Rollout");
        assert_eq!(asks.weight, 5);
        // The stable Service is pinned to the stable pods: the Rollout does not split it.
        let stable = Target::Service {
            namespace: "default".into(),
            name: "rollouts-demo-stable".into(),
        };
        assert_eq!(rollout_weight(&stable, cluster), None);
    }

    /// A canary whose second step is a web analysis of the canary Service.
    const ANALYSED: &str = "\
apiVersion: argoproj.io/v1alpha1
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
---
apiVersion: v1
kind: Service
metadata:
  name: rollouts-demo-stable
spec:
  selector:
    app: rollouts-demo
  ports:
  - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: rollouts-demo-canary
spec:
  selector:
    app: rollouts-demo
  ports:
  - port: 80
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: rollouts-demo
spec:
  replicas: 2
  selector:
    matchLabels:
      app: rollouts-demo
  template:
    metadata:
      labels:
        app: rollouts-demo
    spec:
      containers:
      - name: rollouts-demo
        image: ikubernetes/demoapp:v1.0
  strategy:
    canary:
      stableService: rollouts-demo-stable
      canaryService: rollouts-demo-canary
      steps:
      - setWeight: 50
      - analysis:
          templates:
          - templateName: canary-home
          args:
          - name: service
            value: rollouts-demo-canary
";

    #[wasm_bindgen_test]
    async fn the_card_lists_the_rollouts_analysis_runs_with_their_phase() {
        let root = mount(Some(lab_updated(ANALYSED, "rollouts-demo", 30))).await;
        click(&root, "clock-pause").await;
        let card = find(&root, "rollout");
        let runs: Vec<(String, String)> = find_all(&card, "[data-testid='analysis-run']")
            .iter()
            .map(|run| {
                (
                    run.get_attribute("data-name").unwrap_or_default(),
                    run.get_attribute("data-phase").unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(runs.len(), 1, "{runs:?}");
        assert!(
            runs[0].0.starts_with("rollouts-demo-") && runs[0].0.ends_with("-2-1"),
            "{runs:?}"
        );
        assert_eq!(runs[0].1, "Successful");
        let labels: Vec<String> = find_all(&card, "[data-testid='rollout-step'] code")
            .iter()
            .map(text)
            .collect();
        assert_eq!(labels, vec!["setWeight: 50", "analysis"]);
        assert_eq!(
            card.get_attribute("data-status").as_deref(),
            Some("Healthy")
        );
    }
}
