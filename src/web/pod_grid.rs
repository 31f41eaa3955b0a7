//! Many pods at a glance. Past [`COMPACT_THRESHOLD`] pods, a ReplicaSet (or a node lane) draws
//! one small cell per pod instead of a card: its fill is the pod's version colour, its shape
//! the pod's state (solid: ready; outlined: starting; half: running but not ready; red:
//! failing; faded: terminating). The counts per state say the same in words — the text
//! alternative for the colours — and the pod's card shows on hover, or on keyboard focus (the
//! grid is one tab stop; the arrow keys walk its cells).
//!
//! A thousand cells must redraw within a frame while a rollout replaces them: each cell is a
//! bare element keyed by pod and state, so a pod that changes state swaps one element, and
//! the grid's list is one memo per ReplicaSet.

use leptos::ev::{FocusEvent, KeyboardEvent, MouseEvent};
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::i18n::{t, tf};
use super::model::{chip_text_colour, version_colour};
use super::page::Page;
use super::pod_card::{state_class, PodCard};

/// More pods than this in one ReplicaSet or lane, and they are drawn as cells.
pub const COMPACT_THRESHOLD: usize = 40;

/// The states a cell can show, in the order the counts list them.
const STATES: &[&str] = &[
    "ready",
    "not-ready",
    "starting",
    "failing",
    "terminating",
    "done",
];

fn state_key(state: &str) -> &'static str {
    match state {
        "ready" => "cluster.state.ready",
        "not-ready" => "cluster.state.not_ready",
        "starting" => "cluster.state.starting",
        "failing" => "cluster.state.failing",
        "terminating" => "cluster.state.terminating",
        _ => "cluster.state.done",
    }
}

/// One pod as a cell draws it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Cell {
    key: String,
    name: String,
    state: &'static str,
    version: String,
}

/// The pod whose card is open, and where (relative to the grid).
#[derive(Clone, Debug, PartialEq)]
struct Open {
    key: String,
    left: f64,
    top: f64,
}

fn cell_id(key: &str) -> String {
    format!("pod-cell-{key}")
}

/// A ReplicaSet's or a lane's pods: cards, or cells past [`COMPACT_THRESHOLD`].
#[component]
pub(super) fn Pods(pods: Memo<Vec<String>>) -> impl IntoView {
    view! {
        <Show
            when=move || pods.with(|p| p.len() > COMPACT_THRESHOLD)
            fallback=move || view! {
                <div class="pods">
                    <For each=move || pods.get() key=|k| k.clone() let:key>
                        <PodCard key=key/>
                    </For>
                </div>
            }
        >
            <PodGrid pods=pods/>
        </Show>
    }
}

#[component]
fn PodGrid(pods: Memo<Vec<String>>) -> impl IntoView {
    let page = expect_context::<Page>();
    let lang = move || page.lang.get();
    let cells = Memo::new(move |_| {
        page.model.with(|m| {
            pods.with(|keys| {
                keys.iter()
                    .filter_map(|key| {
                        m.pods.get(key).map(|p| Cell {
                            key: key.clone(),
                            name: p.name.clone(),
                            state: state_class(p),
                            version: p.version.clone(),
                        })
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    // Pods per state, and per version when more than one runs here.
    let counts = Memo::new(move |_| {
        cells.with(|cells| {
            let states: Vec<(&'static str, usize)> = STATES
                .iter()
                .map(|s| (*s, cells.iter().filter(|c| c.state == *s).count()))
                .filter(|(_, n)| *n > 0)
                .collect();
            let mut versions: Vec<(String, usize)> = Vec::new();
            for cell in cells {
                match versions.iter_mut().find(|(v, _)| *v == cell.version) {
                    Some((_, n)) => *n += 1,
                    None => versions.push((cell.version.clone(), 1)),
                }
            }
            if versions.len() < 2 {
                versions.clear();
            }
            (states, versions)
        })
    });
    let summary = move || {
        let lang = lang();
        counts.with(|(states, versions)| {
            let mut parts: Vec<String> = states
                .iter()
                .map(|(s, n)| format!("{n} {}", t(state_key(s), lang)))
                .collect();
            parts.extend(versions.iter().map(|(v, n)| format!("{v} ×{n}")));
            parts.join(" · ")
        })
    };
    let label = move || {
        tf(
            "cluster.grid.label",
            lang(),
            &[("n", &cells.with(Vec::len)), ("counts", &summary())],
        )
    };

    let grid = NodeRef::<Div>::new();
    let open = RwSignal::new(None::<Open>);
    let focused = RwSignal::new(false);
    // Opens the card of the pod whose cell is `el`, below the cell (kept inside the grid).
    let open_at = move |el: &web_sys::HtmlElement| {
        let Some(key) = el.get_attribute("data-key") else {
            return;
        };
        let width = grid
            .get_untracked()
            .map_or(0.0, |g| f64::from(g.client_width()));
        let left = f64::from(el.offset_left()).min((width - 130.0).max(0.0));
        let top = f64::from(el.offset_top() + el.offset_height() + 3);
        open.set(Some(Open { key, left, top }));
    };
    let open_key = move |key: &str| {
        let element = document()
            .get_element_by_id(&cell_id(key))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(el) = element {
            open_at(&el);
        }
    };
    let on_mouseover = move |ev: MouseEvent| {
        let cell = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
            .filter(|el| el.has_attribute("data-key"));
        if let Some(el) = cell {
            open_at(&el);
        }
    };
    let on_mouseleave = move |_: MouseEvent| {
        if !focused.get_untracked() {
            open.set(None);
        }
    };
    let on_focus = move |_: FocusEvent| {
        focused.set(true);
        if open.with_untracked(Option::is_none) {
            if let Some(first) = cells.with_untracked(|c| c.first().map(|c| c.key.clone())) {
                open_key(&first);
            }
        }
    };
    let on_blur = move |_: FocusEvent| {
        focused.set(false);
        open.set(None);
    };
    let on_keydown = move |ev: KeyboardEvent| {
        let keys: Vec<String> = cells.with_untracked(|c| c.iter().map(|c| c.key.clone()).collect());
        if keys.is_empty() {
            return;
        }
        let at = open
            .with_untracked(|o| {
                o.as_ref()
                    .and_then(|o| keys.iter().position(|k| *k == o.key))
            })
            .unwrap_or(0);
        // Cells per row, from where the second row starts.
        let per_row = grid
            .get_untracked()
            .and_then(|g| {
                let first = g
                    .first_element_child()?
                    .dyn_into::<web_sys::HtmlElement>()
                    .ok()?;
                let pitch = f64::from(first.offset_width()) + 2.0;
                Some((f64::from(g.client_width()) / pitch).floor().max(1.0) as usize)
            })
            .unwrap_or(10);
        let last = keys.len() - 1;
        let next = match ev.key().as_str() {
            "ArrowRight" => (at + 1).min(last),
            "ArrowLeft" => at.saturating_sub(1),
            "ArrowDown" => (at + per_row).min(last),
            "ArrowUp" => at.saturating_sub(per_row),
            "Home" => 0,
            "End" => last,
            "Escape" => {
                open.set(None);
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        open_key(&keys[next]);
    };
    let active = move || open.with(|o| o.as_ref().map(|o| cell_id(&o.key)));

    view! {
        <div class="pod-compact" data-testid="pod-grid">
            <p class="pod-counts" data-testid="pod-counts">
                <For each=move || counts.get().0 key=|entry| *entry let:entry>
                    <span class="pod-count" data-state=entry.0 data-count=entry.1>
                        <span class=format!("cell legend {}", entry.0) aria-hidden="true"></span>
                        {move || format!("{} {}", entry.1, t(state_key(entry.0), lang()))}
                    </span>
                </For>
                <For each=move || counts.get().1 key=|entry| entry.clone() let:entry>
                    <span class="version-chip" style:background=version_colour(&entry.0) style:color=chip_text_colour(version_colour(&entry.0))>
                        {format!("{} ×{}", entry.0, entry.1)}
                    </span>
                </For>
            </p>
            <div
                class="pod-grid"
                node_ref=grid
                role="group"
                tabindex="0"
                aria-label=label
                aria-activedescendant=active
                on:mouseover=on_mouseover
                on:mouseleave=on_mouseleave
                on:focus=on_focus
                on:blur=on_blur
                on:keydown=on_keydown
            >
                <For each=move || cells.get() key=|cell| cell.clone() children=move |cell| {
                    let key = cell.key.clone();
                    let is_open = move || open.with(|o| o.as_ref().is_some_and(|o| o.key == key));
                    let Cell { key, name, state, version } = cell;
                    let style = format!("--version: {}", version_colour(&version));
                    let label = move || format!("{name} {version}: {}", t(state_key(state), lang()));
                    view! {
                        <span
                            class=format!("cell {state}")
                            class:active=is_open
                            id=cell_id(&key)
                            data-key=key
                            data-state=state
                            role="img"
                            aria-label=label
                            style=style
                        ></span>
                    }
                }/>
                {move || open.get().map(|o| view! {
                    <div class="pod-pop" style=format!("left: {}px; top: {}px", o.left, o.top)>
                        <PodCard key=o.key/>
                    </div>
                })}
            </div>
        </div>
    }
}
