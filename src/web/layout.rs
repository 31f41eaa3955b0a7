//! Where the panels sit: the lesson column, the editor and events beside the cluster and
//! traffic, and the terminal under both, as wide as the page allows (at 1440×900 it has room
//! for `kubectl get pods -o wide`). The borders between them are separators that move by
//! dragging or by the arrow keys; sizes are remembered in localStorage; any pane can be
//! maximised over the others and restored (its button, or Escape).
//!
//! This is the screen's own state, like a window manager's: it never reaches the session. The
//! terminal measures itself and tells the session its size (`terminal.rs`).

use leptos::ev::{KeyboardEvent, PointerEvent};
use leptos::html::Main;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::i18n::{t, tf};
use super::page::Page;
use super::params::{storage_get, storage_set};

/// The localStorage key of the remembered sizes.
const STORAGE_KEY: &str = "rollout-lab.layout";

/// The page's padding and the width of a separator, in CSS pixels (0.6rem each, style/main.css).
const GUTTER_PX: f64 = 9.6;

/// The three movable borders, in percent.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sizes {
    /// The lesson column's share of the page's width.
    pub lesson: f64,
    /// The editor-and-events column's share of what the lesson leaves.
    pub left: f64,
    /// The top row's share of the height; the terminal has the rest.
    pub top: f64,
}

impl Default for Sizes {
    fn default() -> Sizes {
        Sizes {
            lesson: 20.0,
            left: 40.0,
            top: 58.0,
        }
    }
}

/// Screens this short or shorter (a 1280×720 laptop), and wider than the stacked layout, give
/// the top row more of the height by default: lesson 4's Deployment, both ReplicaSets and its
/// Service then fit the cluster panel (with the compact cards of style/main.css), and the
/// terminal keeps about a dozen lines.
const SHORT_SCREEN_PX: f64 = 800.0;
const SHORT_SCREEN_TOP: f64 = 66.0;
const STACKED_BELOW_PX: f64 = 900.0;

impl Sizes {
    /// The defaults for this screen.
    fn for_screen() -> Sizes {
        let px = |size: Result<wasm_bindgen::JsValue, _>| size.ok().and_then(|v| v.as_f64());
        let mut sizes = Sizes::default();
        if let (Some(width), Some(height)) =
            (px(window().inner_width()), px(window().inner_height()))
        {
            if height <= SHORT_SCREEN_PX && width > STACKED_BELOW_PX {
                sizes.top = SHORT_SCREEN_TOP;
            }
        }
        sizes
    }

    /// The grid's tracks (style/main.css reads them), as `fr` so the separators keep their width.
    fn css(&self) -> String {
        let work = 100.0 - self.lesson;
        format!(
            "--lesson-w: {:.2}fr; --left-w: {:.2}fr; --side-w: {:.2}fr; --top-h: {:.2}fr; --bottom-h: {:.2}fr",
            self.lesson,
            work * self.left / 100.0,
            work * (100.0 - self.left) / 100.0,
            self.top,
            100.0 - self.top,
        )
    }

    fn get(&self, split: Split) -> f64 {
        match split {
            Split::Lesson => self.lesson,
            Split::Left => self.left,
            Split::Top => self.top,
        }
    }

    fn set(&mut self, split: Split, value: f64) {
        let (min, max) = split.range();
        let value = if value.is_finite() {
            value.clamp(min, max)
        } else {
            split.default_value()
        };
        match split {
            Split::Lesson => self.lesson = value,
            Split::Left => self.left = value,
            Split::Top => self.top = value,
        }
    }

    /// Remembered sizes, each brought into its range (a hand-edited or old value included).
    fn load() -> Sizes {
        let saved: Option<Sizes> =
            storage_get(STORAGE_KEY).and_then(|text| serde_json::from_str(&text).ok());
        let mut sizes = Sizes::for_screen();
        if let Some(saved) = saved {
            for split in [Split::Lesson, Split::Left, Split::Top] {
                sizes.set(split, saved.get(split));
            }
        }
        sizes
    }
}

/// One movable border.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    /// Between the lesson and everything else.
    Lesson,
    /// Between the editor and events column and the cluster and traffic column.
    Left,
    /// Between the top row and the terminal.
    Top,
}

impl Split {
    fn range(self) -> (f64, f64) {
        match self {
            Split::Lesson => (12.0, 45.0),
            Split::Left => (20.0, 75.0),
            Split::Top => (20.0, 85.0),
        }
    }

    fn default_value(self) -> f64 {
        Sizes::for_screen().get(self)
    }

    fn name(self) -> &'static str {
        match self {
            Split::Lesson => "lesson",
            Split::Left => "left",
            Split::Top => "top",
        }
    }

    fn label_key(self) -> &'static str {
        match self {
            Split::Lesson => "layout.split.lesson",
            Split::Left => "layout.split.left",
            Split::Top => "layout.split.top",
        }
    }

    /// A border between columns is a vertical line.
    fn vertical(self) -> bool {
        self != Split::Top
    }
}

/// A pane that can be maximised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaneId {
    Lesson,
    Editor,
    Events,
    Cluster,
    Traffic,
    Terminal,
}

impl PaneId {
    /// The panel's own name (its `aria-label`).
    fn label_key(self) -> &'static str {
        match self {
            PaneId::Lesson => "lesson.label",
            PaneId::Editor => "editor",
            PaneId::Events => "events",
            PaneId::Cluster => "cluster",
            PaneId::Traffic => "traffic",
            PaneId::Terminal => "terminal",
        }
    }

    fn name(self) -> &'static str {
        match self {
            PaneId::Lesson => "lesson",
            PaneId::Editor => "editor",
            PaneId::Events => "events",
            PaneId::Cluster => "cluster",
            PaneId::Traffic => "traffic",
            PaneId::Terminal => "terminal",
        }
    }
}

/// The layout's state, shared by the grid, its separators and its panes.
#[derive(Clone, Copy)]
pub struct Layout {
    pub sizes: RwSignal<Sizes>,
    pub maximised: RwSignal<Option<PaneId>>,
    /// The grid, to turn a pointer position into a size.
    grid: NodeRef<Main>,
    persist: bool,
}

impl Layout {
    /// Remembered sizes when `persist` (the real page), else the defaults.
    pub fn new(persist: bool) -> Layout {
        let sizes = if persist {
            Sizes::load()
        } else {
            Sizes::for_screen()
        };
        Layout {
            sizes: RwSignal::new(sizes),
            maximised: RwSignal::new(None),
            grid: NodeRef::new(),
            persist,
        }
    }

    pub fn grid(&self) -> NodeRef<Main> {
        self.grid
    }

    /// The grid's tracks as CSS custom properties.
    pub fn style(&self) -> String {
        self.sizes.with(Sizes::css)
    }

    fn resize(&self, split: Split, value: f64) {
        self.sizes.update(|s| s.set(split, value));
        if self.persist {
            if let Ok(text) = serde_json::to_string(&self.sizes.get_untracked()) {
                storage_set(STORAGE_KEY, &text);
            }
        }
    }

    /// Escape restores a maximised pane.
    pub fn on_keydown(&self, ev: &KeyboardEvent) {
        if ev.key() == "Escape" && self.maximised.get_untracked().is_some() {
            self.maximised.set(None);
        }
    }

    /// The size `split` takes with the pointer at (`x`, `y`), from the grid's box.
    fn size_at(&self, split: Split, x: f64, y: f64) -> Option<f64> {
        let rect = self.grid.get_untracked()?.get_bounding_client_rect();
        let sizes = self.sizes.get_untracked();
        let width = rect.width() - 4.0 * GUTTER_PX;
        let height = rect.height() - 3.0 * GUTTER_PX;
        let value = match split {
            Split::Lesson => (x - rect.left() - 1.5 * GUTTER_PX) / width * 100.0,
            Split::Left => {
                let lesson = width * sizes.lesson / 100.0;
                let work = width - lesson;
                (x - rect.left() - lesson - 2.5 * GUTTER_PX) / work * 100.0
            }
            Split::Top => (y - rect.top() - 1.5 * GUTTER_PX) / height * 100.0,
        };
        (width > 0.0 && height > 0.0).then_some(value)
    }
}

/// A border between panes: drag it, or focus it and use the arrow keys (Shift: bigger steps,
/// Home/End: the limits, Enter or a double click: the default).
#[component]
pub fn Splitter(split: Split) -> impl IntoView {
    let layout = expect_context::<Layout>();
    let page = expect_context::<Page>();
    let dragging = RwSignal::new(false);
    let (min, max) = split.range();

    let on_pointerdown = move |ev: PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        ev.prevent_default();
        if let Some(target) = ev
            .current_target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        {
            _ = target.set_pointer_capture(ev.pointer_id());
            if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(target) {
                _ = el.focus();
            }
        }
        dragging.set(true);
    };
    let on_pointermove = move |ev: PointerEvent| {
        if !dragging.get_untracked() {
            return;
        }
        if let Some(value) =
            layout.size_at(split, f64::from(ev.client_x()), f64::from(ev.client_y()))
        {
            layout.resize(split, value);
        }
    };
    let stop = move |_: PointerEvent| dragging.set(false);
    let on_keydown = move |ev: KeyboardEvent| {
        let step = if ev.shift_key() { 10.0 } else { 2.0 };
        let now = layout.sizes.get_untracked().get(split);
        // Right and Down move the border right or down, whichever way it runs.
        let value = match ev.key().as_str() {
            "ArrowLeft" | "ArrowUp" => now - step,
            "ArrowRight" | "ArrowDown" => now + step,
            "Home" => min,
            "End" => max,
            "Enter" => split.default_value(),
            _ => return,
        };
        ev.prevent_default();
        layout.resize(split, value);
    };

    view! {
        <div
            class=format!("splitter split-{}", split.name())
            class:vertical=split.vertical()
            class:dragging=move || dragging.get()
            data-testid=format!("split-{}", split.name())
            role="separator"
            tabindex="0"
            aria-orientation=if split.vertical() { "vertical" } else { "horizontal" }
            aria-valuemin=min
            aria-valuemax=max
            aria-valuenow=move || layout.sizes.get().get(split).round()
            aria-label=move || t(split.label_key(), page.lang.get())
            title=move || t(split.label_key(), page.lang.get())
            on:pointerdown=on_pointerdown
            on:pointermove=on_pointermove
            on:pointerup=stop
            on:pointercancel=stop
            on:dblclick=move |_| layout.resize(split, split.default_value())
            on:keydown=on_keydown
        ></div>
    }
}

/// A panel that can be maximised over the whole work area, with its button.
#[component]
pub fn Pane(id: PaneId, children: Children) -> impl IntoView {
    let layout = expect_context::<Layout>();
    let page = expect_context::<Page>();
    let maximised = move || layout.maximised.get() == Some(id);
    // A lesson's `settings.panels` may leave this panel out.
    let work = use_context::<super::work::Work>();
    let left_out = move || work.is_some_and(|w| !w.shows_panel(id.name()));
    let label = move || {
        let key = if maximised() {
            "layout.restore"
        } else {
            "layout.maximise"
        };
        let lang = page.lang.get();
        tf(key, lang, &[("panel", &t(id.label_key(), lang))])
    };
    view! {
        <div class="pane" class:max=maximised class:hidden=left_out data-pane=id.name()>
            {children()}
            <button
                class="pane-max"
                data-testid=format!("maximise-{}", id.name())
                aria-pressed=move || maximised().to_string()
                aria-label=label
                title=label
                on:click=move |_| {
                    layout.maximised.update(|m| *m = if *m == Some(id) { None } else { Some(id) });
                }
            >
                {move || if maximised() { "⤡" } else { "⤢" }}
            </button>
        </div>
    }
}

/// The page's element with `data-testid` `id` (the first, where several apps share a page).
fn by_test_id(id: &str) -> Option<web_sys::Element> {
    document()
        .query_selector(&format!("[data-testid={id}]"))
        .ok()
        .flatten()
}

/// On a narrow screen the panes stack and the page scrolls: a command started from a button
/// elsewhere (a lesson step, the welcome, the editor's Apply) brings the terminal into view,
/// its last line at the bottom of the screen. Where the terminal is in view already, nothing
/// moves.
pub fn show_terminal() {
    let Some(terminal) = by_test_id("terminal") else {
        return;
    };
    let rect = terminal.get_bounding_client_rect();
    let height = window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    if rect.top() < 0.0 || rect.bottom() > height {
        terminal.scroll_into_view_with_bool(false);
    }
}

/// Brings the editor into view and puts the cursor in it (`vim` opened a file there).
pub fn show_editor() {
    let Some(editor) = by_test_id("editor") else {
        return;
    };
    editor.scroll_into_view();
    if let Some(el) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&editor) {
        _ = el.focus();
    }
}
