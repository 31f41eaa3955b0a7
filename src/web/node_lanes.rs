//! The same pods, by node: one lane per worker node, and one for pods the scheduler has not
//! placed yet. It shows what the ReplicaSet view hides — the scheduler spreading each
//! ReplicaSet over the nodes, and old and new versions running side by side on one machine.

use leptos::prelude::*;

use super::explanations::Lang;
use super::i18n::{t, tf};
use super::model::{chip_text_colour, version_colour, NodeState};
use super::page::Page;
use super::pod_grid::Pods;

#[component]
pub fn NodeLanes() -> impl IntoView {
    let page = expect_context::<Page>();
    let lanes = Memo::new(move |_| {
        page.model.with(|m| {
            m.nodes
                .iter()
                .cloned()
                .chain(
                    // The unscheduled lane only while it has pods.
                    m.pods.values().any(|p| p.node.is_empty()).then(String::new),
                )
                .collect::<Vec<_>>()
        })
    });
    view! {
        <div class="lanes" data-testid="node-lanes">
            <For each=move || lanes.get() key=|node| node.clone() let:node>
                <NodeLane node=node/>
            </For>
        </div>
    }
}

#[component]
fn NodeLane(node: String) -> impl IntoView {
    let page = expect_context::<Page>();
    let pods = Memo::new({
        let node = node.clone();
        move |_| {
            page.model.with(|m| {
                m.pods
                    .values()
                    .filter(|p| p.node == node)
                    .map(|p| p.key.clone())
                    .collect::<Vec<_>>()
            })
        }
    });
    // How many pods of each version run here: "v1.0 ×2 · v1.1 ×1".
    let versions = Memo::new(move |_| {
        let mut counts: Vec<(String, usize)> = Vec::new();
        page.model.with(|m| {
            for key in pods.get().iter() {
                let Some(version) = m.pods.get(key).map(|p| p.version.clone()) else {
                    continue;
                };
                match counts.iter_mut().find(|(v, _)| *v == version) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((version, 1)),
                }
            }
        });
        counts
    });
    let unscheduled = node.is_empty();
    let title = node.clone();
    let state = Memo::new({
        let node = node.clone();
        move |_| page.model.with(|m| m.node_states.get(&node).cloned())
    });
    let lang = move || page.lang.get();
    let title_for_room = node.clone();
    view! {
        <div class="lane" class:unscheduled=unscheduled data-testid="node" data-name=node.clone()>
            <div class="frame-head">
                <span class="kind">{move || if unscheduled { String::new() } else { "Node".to_string() }}</span>
                <span class="name">{move || {
                    if unscheduled { t("cluster.unscheduled", page.lang.get()).to_string() } else { title.clone() }
                }}</span>
                <span class="muted">{move || match pods.with(Vec::len) {
                    1 => t("cluster.pod", page.lang.get()).to_string(),
                    n => tf("cluster.pods", page.lang.get(), &[("n", &n)]),
                }}</span>
                <For each=move || versions.get() key=|entry| entry.clone() let:entry>
                    <span class="version-chip" style:background=version_colour(&entry.0) style:color=chip_text_colour(version_colour(&entry.0))>
                        {format!("{} ×{}", entry.0, entry.1)}
                    </span>
                </For>
            </div>
            {move || state.get().map(|state| view! { <NodeRoom node=title_for_room.clone() state=state lang=lang()/> })}
            <Pods pods=pods/>
        </div>
    }
}

/// A node's status when not plainly `Ready`, its room, and the lab's action on it.
#[component]
fn NodeRoom(node: String, state: NodeState, lang: Lang) -> impl IntoView {
    let page = expect_context::<Page>();
    let cpu = |milli: i64| {
        if milli % 1000 == 0 {
            format!("{}", milli / 1000)
        } else {
            format!("{milli}m")
        }
    };
    let room = tf(
        "cluster.node.room",
        lang,
        &[
            ("cpu", &cpu(state.cpu_requested)),
            ("alloc", &cpu(state.cpu_allocatable)),
            ("pods", &state.pods),
            ("max", &state.pod_capacity),
        ],
    );
    let full = state.cpu_allocatable > 0 && state.cpu_requested >= state.cpu_allocatable;
    let (label, command) = if state.down {
        (
            t("cluster.node.recover", lang),
            format!("lab-node recover {node}"),
        )
    } else {
        (
            t("cluster.node.fail", lang),
            format!("lab-node fail {node}"),
        )
    };
    let run = command.clone();
    view! {
        <div class="node-room">
            {(state.status != "Ready").then(|| view! {
                <span class="node-status" data-testid="node-status">{state.status.clone()}</span>
            })}
            {state.down.then(|| view! {
                <span class="node-down" data-testid="node-down" title=t("cluster.node.down.title", lang)>
                    {t("cluster.node.down", lang)}
                </span>
            })}
            <span class="muted" class:full=full title=t("cluster.node.room.title", lang)>{room}</span>
            <button
                class="node-action"
                data-testid="node-action"
                title=command
                on:click=move |_| {
                    page.act(|s| s.enter(&run));
                    super::layout::show_terminal();
                }
            >
                {label}
            </button>
        </div>
    }
}
