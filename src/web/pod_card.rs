//! One pod, drawn as a card: its version's colour, the short name that tells siblings apart,
//! its phase and readiness. Shared by the ReplicaSet rows and the node lanes.

use leptos::prelude::*;

use super::i18n::{t, tf};
use super::model::{version_colour, PodView};
use super::page::Page;

/// The class that colours a pod's state.
pub(super) fn state_class(pod: &PodView) -> &'static str {
    if pod.terminating {
        "terminating"
    } else if pod.ready {
        "ready"
    } else {
        match pod.phase.as_str() {
            "Running" => "not-ready",
            "Pending" | "ContainerCreating" | "PodInitializing" => "starting",
            "Completed" | "Succeeded" => "done",
            _ => "failing",
        }
    }
}

/// An image tag as a label: `:v1.0`, `:latest`. The colon says "tag", so a tag such as
/// `latest` or `stable` does not read as the state of what carries it.
pub(super) fn tag_label(tag: &str) -> String {
    if tag.is_empty() {
        String::new()
    } else {
        format!(":{tag}")
    }
}

#[component]
pub(super) fn PodCard(key: String) -> impl IntoView {
    let page = expect_context::<Page>();
    let view = Memo::new({
        let key = key.clone();
        move |_| {
            page.model
                .with(|m| m.pods.get(&key).cloned())
                .unwrap_or_default()
        }
    });
    // One memo per shown value: a pod that turns ready re-sets its ready mark and class, not
    // its name, colour and the rest (each attribute write makes the browser restyle).
    let field = move |read: fn(&PodView) -> String| Memo::new(move |_| view.with(|p| read(p)));
    let name = field(|p| p.name.clone());
    let phase = field(|p| p.phase.clone());
    let ready = field(|p| p.ready.to_string());
    let version = field(|p| p.version.clone());
    let replica_set = field(|p| p.replica_set.clone());
    let class = field(|p| format!("pod {}", state_class(p)));
    let not_ready = Memo::new(move |_| view.with(|p| state_class(p) == "not-ready"));
    // The random suffix is what tells sibling pods apart.
    let short = field(|p| p.name.rsplit('-').next().unwrap_or(&p.name).to_string());
    let style = Memo::new(move |_| format!("--version: {}", version_colour(&version.get())));
    let title = move || {
        view.with(|p| {
            tf(
                "cluster.pod.title",
                page.lang.get(),
                &[
                    ("name", &p.name),
                    ("version", &p.version),
                    ("phase", &p.phase),
                    ("node", &p.node),
                    ("ip", &p.ip),
                    ("restarts", &p.restarts),
                ],
            )
        })
    };
    view! {
        <div
            class=class
            data-testid="pod"
            data-name=name
            data-phase=phase
            data-ready=ready
            data-version=version
            data-rs=replica_set
            style=style
            title=title
        >
            <span class="pod-version" title=move || t("cluster.image_tag", page.lang.get())>{move || tag_label(&version.get())}</span>
            <span class="pod-name">{short}</span>
            <span class="pod-phase">{phase}</span>
            <Show when=move || not_ready.get()>
                <span class="pod-readiness">{move || t("cluster.pod.not_ready", page.lang.get())}</span>
            </Show>
        </div>
    }
}
