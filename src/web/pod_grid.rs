//! Many pods at a glance. Past [`COMPACT_THRESHOLD`] pods, a ReplicaSet (or a node lane) draws
//! one small cell per pod instead of a card: its fill is the pod's version colour, its shape
//! the pod's state (solid: ready; outlined: starting; half: running but not ready; red:
//! failing; faded: terminating). The counts per state say the same in words — the text
//! alternative for the colours — and the pod's card shows on hover, or on keyboard focus (the
//! grid is one tab stop; the arrow keys walk its cells).
//!
//! A thousand cells must redraw within a frame while a rollout replaces them, so they are
//! painted on one canvas: no element, style or layout per pod, one redraw when a pod changes.
//! What a screen reader needs stays in the page as text: the counts, the grid's label, and
//! for the cell the arrow keys reached, an element of its own (`aria-activedescendant`) that
//! also draws the focus ring over the canvas.

use leptos::ev::{FocusEvent, KeyboardEvent, MouseEvent};
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::CanvasRenderingContext2d;

use super::i18n::{t, tf};
use super::model::{chip_text_colour, version_colour, PodView};
use super::page::Page;
use super::pod_card::{state_class, PodCard};
use super::resize::on_resize;
use std::sync::Arc;

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

/// One pod as a cell draws it: its view (shared with the model, so a frame copies no text)
/// and its state.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Cell {
    pod: Arc<PodView>,
    state: &'static str,
}

/// A cell's side, the gap between cells and the grid's padding, in CSS pixels.
const CELL: f64 = 9.0;
const GAP: f64 = 2.0;
const PAD: f64 = 2.0;
const PITCH: f64 = CELL + GAP;

/// Cells per row in a grid `width` CSS pixels wide.
fn columns(width: f64) -> usize {
    ((width - 2.0 * PAD + GAP) / PITCH).floor().max(1.0) as usize
}

/// The top-left corner of cell `index`.
fn cell_origin(index: usize, columns: usize) -> (f64, f64) {
    let (row, col) = (index / columns, index % columns);
    (PAD + col as f64 * PITCH, PAD + row as f64 * PITCH)
}

/// The cell under a point of the grid, if any.
fn cell_at(x: f64, y: f64, columns: usize, cells: usize) -> Option<usize> {
    let (col, row) = ((x - PAD) / PITCH, (y - PAD) / PITCH);
    if col < 0.0 || row < 0.0 || col.fract() * PITCH > CELL || row.fract() * PITCH > CELL {
        return None;
    }
    let (col, row) = (col as usize, row as usize);
    (col < columns)
        .then_some(row * columns + col)
        .filter(|i| *i < cells)
}

/// The pod whose card is open: which cell.
#[derive(Clone, Debug, PartialEq)]
struct Open {
    index: usize,
    key: String,
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
                            pod: p.clone(),
                            state: state_class(p),
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
                match versions.iter_mut().find(|(v, _)| *v == cell.pod.version) {
                    Some((_, n)) => *n += 1,
                    None => versions.push((cell.pod.version.clone(), 1)),
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
    let canvas = NodeRef::<Canvas>::new();
    let width = RwSignal::new(0.0_f64);
    on_resize(grid, move || {
        if let Some(g) = grid.get_untracked() {
            let w = f64::from(g.client_width());
            if width.try_get_untracked().is_some_and(|now| now != w) {
                width.set(w);
            }
        }
    });
    let per_row = move || columns(width.get());
    let height = move || {
        let rows = cells.with(Vec::len).div_ceil(per_row()).max(1);
        rows as f64 * PITCH - GAP + 2.0 * PAD
    };
    // Read once: asking for a computed style makes the browser restyle the page first.
    let failing = StoredValue::new(None::<String>);
    Effect::new(move |_| {
        let (w, h) = (width.get(), height());
        let Some(canvas) = canvas.get() else {
            return;
        };
        if failing.with_value(Option::is_none) {
            failing.set_value(Some(css_colour(&canvas, "--failing", "#dc2626")));
        }
        failing.with_value(|failing| {
            let failing = failing.as_deref().unwrap_or("#dc2626");
            cells.with(|cells| paint(&canvas, cells, w, h, columns(w), failing));
        });
    });

    let open = RwSignal::new(None::<Open>);
    let focused = RwSignal::new(false);
    // The pod now in cell `index`, if any (the cells move as pods come and go).
    let open_index = move |index: usize| {
        let key = cells.with_untracked(|c| c.get(index).map(|c| c.pod.key.clone()));
        open.set(key.map(|key| Open { index, key }));
    };
    // The open pod keeps its card while it lives; its cell may have moved.
    Effect::new(move |_| {
        cells.with(|cells| {
            let moved = open.with_untracked(|o| {
                o.as_ref().and_then(|o| {
                    let at = cells.iter().position(|c| c.pod.key == o.key);
                    (at != Some(o.index)).then_some(at)
                })
            });
            match moved {
                Some(Some(index)) => open.update(|o| {
                    if let Some(o) = o {
                        o.index = index;
                    }
                }),
                Some(None) => open.set(None),
                None => {}
            }
        });
    });
    let on_mousemove = move |ev: MouseEvent| {
        let at = cell_at(
            f64::from(ev.offset_x()),
            f64::from(ev.offset_y()),
            columns(width.get_untracked()),
            cells.with_untracked(Vec::len),
        );
        if let Some(index) = at {
            if open.with_untracked(|o| o.as_ref().map(|o| o.index)) != Some(index) {
                open_index(index);
            }
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
            open_index(0);
        }
    };
    let on_blur = move |_: FocusEvent| {
        focused.set(false);
        open.set(None);
    };
    let on_keydown = move |ev: KeyboardEvent| {
        let count = cells.with_untracked(Vec::len);
        if count == 0 {
            return;
        }
        let at = open.with_untracked(|o| o.as_ref().map_or(0, |o| o.index));
        let per_row = columns(width.get_untracked());
        let last = count - 1;
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
        open_index(next);
    };
    let active = move || open.with(|o| o.as_ref().map(|o| cell_id(&o.key)));
    // The open cell: its ring over the canvas, and its name and state in words.
    let ring = move || {
        let o = open.get()?;
        let (left, top) = cell_origin(o.index, per_row());
        let label = cells.with(|c| {
            c.get(o.index).map(|c| {
                format!(
                    "{} {}: {}",
                    c.pod.name,
                    c.pod.version,
                    t(state_key(c.state), lang())
                )
            })
        })?;
        Some(view! {
            <span
                class="cell-ring"
                id=cell_id(&o.key)
                role="img"
                aria-label=label
                style=format!("left: {left}px; top: {top}px")
            ></span>
        })
    };
    let card = move || {
        let o = open.get()?;
        let (left, top) = cell_origin(o.index, per_row());
        let left = left.min((width.get() - 130.0).max(0.0));
        let top = top + CELL + 3.0;
        Some(view! {
            <div class="pod-pop" style=format!("left: {left}px; top: {top}px")>
                <PodCard key=o.key/>
            </div>
        })
    };

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
                data-cells=move || cells.with(Vec::len)
                on:mousemove=on_mousemove
                on:mouseleave=on_mouseleave
                on:focus=on_focus
                on:blur=on_blur
                on:keydown=on_keydown
                style:height=move || format!("{}px", height())
            >
                <canvas node_ref=canvas aria-hidden="true"></canvas>
                {ring}
                {card}
            </div>
        </div>
    }
}

/// The page's colour for a CSS custom property (`--failing`), or `fallback`.
fn css_colour(el: &web_sys::Element, property: &str, fallback: &str) -> String {
    window()
        .get_computed_style(el)
        .ok()
        .flatten()
        .and_then(|style| style.get_property_value(property).ok())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| fallback.to_string())
}

/// Paints every cell, as the stylesheet's `.cell` classes once drew them: the fill is the
/// version's colour, the shape the state (see the module's comment).
fn paint(
    canvas: &web_sys::HtmlCanvasElement,
    cells: &[Cell],
    width: f64,
    height: f64,
    columns: usize,
    failing: &str,
) {
    let scale = window().device_pixel_ratio().max(1.0);
    let (w, h) = (
        (width * scale).round() as u32,
        (height * scale).round() as u32,
    );
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    let _ = ctx.set_transform(scale, 0.0, 0.0, scale, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, width, height);
    // One path per state and version: a few fills for a thousand cells.
    let drawn: Vec<(&'static str, &'static str)> = cells
        .iter()
        .map(|c| (c.state, version_colour(&c.pod.version)))
        .collect();
    let mut groups: Vec<(&'static str, &'static str)> = Vec::new();
    for group in &drawn {
        if !groups.contains(group) {
            groups.push(*group);
        }
    }
    let members = |group: (&'static str, &'static str)| {
        drawn
            .iter()
            .enumerate()
            .filter(move |(_, g)| **g == group)
            .map(move |(i, _)| cell_origin(i, columns))
    };
    for (state, colour) in groups {
        ctx.begin_path();
        let (inset, size) = if state == "terminating" {
            (CELL * 0.15, CELL * 0.7)
        } else {
            (0.0, CELL)
        };
        for (x, y) in members((state, colour)) {
            let (x, y) = (x + inset, y + inset);
            match state {
                "failing" => {
                    ctx.move_to(x + CELL, y + CELL / 2.0);
                    let _ = ctx.arc(
                        x + CELL / 2.0,
                        y + CELL / 2.0,
                        CELL / 2.0,
                        0.0,
                        std::f64::consts::TAU,
                    );
                }
                // The lower half filled; the outline below.
                "not-ready" => ctx.rect(x, y + CELL / 2.0, CELL, CELL / 2.0),
                "starting" => {}
                _ => {
                    let _ = ctx.round_rect_with_f64(x, y, size, size, 2.0);
                }
            }
        }
        ctx.set_global_alpha(match state {
            "terminating" => 0.3,
            "done" => 0.55,
            _ => 1.0,
        });
        ctx.set_fill_style_str(if state == "failing" { failing } else { colour });
        ctx.fill();
        if matches!(state, "starting" | "not-ready") {
            // An outline inside the cell: 1.5 px while starting, 1 px around the half.
            let line = if state == "starting" { 1.5 } else { 1.0 };
            ctx.begin_path();
            for (x, y) in members((state, colour)) {
                let half = line / 2.0;
                let _ = ctx.round_rect_with_f64(x + half, y + half, CELL - line, CELL - line, 2.0);
            }
            ctx.set_line_width(line);
            ctx.set_stroke_style_str(colour);
            ctx.stroke();
        }
    }
    ctx.set_global_alpha(1.0);
}
