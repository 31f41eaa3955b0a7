//! Component tests in headless Chromium (wasm-bindgen-test). Run by `make test-wasm`.
//!
//! - the terminal: echo, output, stderr, history, Ctrl-C, `sleep N`
//! - the clock: step
//! - the cluster view: a Deployment, its ReplicaSet and pods, a Service and its endpoints
//! - the timeline: dragging back shows the earlier cluster; acting continues from there
//! - explanations: every key the simulator uses has a sentence
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
    Event, EventInit, HtmlElement, HtmlInputElement, HtmlTextAreaElement, KeyboardEvent,
    KeyboardEventInit,
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
    ];
    let keys: Vec<&str> = explanations::keys().collect();
    assert_eq!(keys.len(), 16);
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
