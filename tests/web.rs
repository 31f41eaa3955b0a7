//! Component tests in headless Chromium (wasm-bindgen-test). Run by `make test-wasm`.
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use rollout_lab::web::{App, Terminal};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Event, EventInit, HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element on the page to mount one component into.
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
}

fn find(root: &HtmlElement, test_id: &str) -> HtmlElement {
    root.query_selector(&format!("[data-testid='{test_id}']"))
        .expect("valid selector")
        .unwrap_or_else(|| panic!("no element with data-testid={test_id}"))
        .unchecked_into()
}

/// Types `line` into the terminal input and presses Enter, as a person would.
fn type_line(input: &HtmlInputElement, line: &str) {
    input.set_value(line);
    let init = EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&Event::new_with_event_init_dict("input", &init).expect("input event"))
        .expect("dispatch input");
    let key = KeyboardEventInit::new();
    key.set_key("Enter");
    key.set_bubbles(true);
    input
        .dispatch_event(
            &KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &key).expect("keydown"),
        )
        .expect("dispatch keydown");
}

#[wasm_bindgen_test]
async fn the_app_renders_its_terminal() {
    let root = container();
    mount_to(root.clone(), App).forget();
    settle().await;
    assert!(root
        .text_content()
        .unwrap_or_default()
        .contains("Rollout Lab"));
    find(&root, "terminal-input");
    find(&root, "terminal-output");
}

#[wasm_bindgen_test]
async fn a_typed_command_prints_its_output_and_clears_the_input() {
    let root = container();
    mount_to(root.clone(), Terminal).forget();
    settle().await;
    let input: HtmlInputElement = find(&root, "terminal-input").unchecked_into();

    type_line(&input, "kubectl version");
    settle().await;

    let output = find(&root, "terminal-output")
        .text_content()
        .unwrap_or_default();
    assert!(
        output.contains("$ kubectl version"),
        "echo missing: {output}"
    );
    assert!(
        output.contains("Client Version: v1.30"),
        "output missing: {output}"
    );
    assert_eq!(input.value(), "");
}

#[wasm_bindgen_test]
async fn an_unknown_command_is_shown_as_an_error() {
    let root = container();
    mount_to(root.clone(), Terminal).forget();
    settle().await;
    let input: HtmlInputElement = find(&root, "terminal-input").unchecked_into();

    type_line(&input, "kubectl frobnicate");
    settle().await;

    let stderr = root
        .query_selector(".stderr")
        .ok()
        .flatten()
        .expect("stderr block");
    assert!(stderr
        .text_content()
        .unwrap_or_default()
        .contains("unknown command \"frobnicate\""));
}
