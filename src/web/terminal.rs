use leptos::ev::KeyboardEvent;
use leptos::html::{Div, Span as SpanElement, Textarea};
use leptos::prelude::*;

use super::completion::complete;
use super::i18n::{t, tf};
use super::page::Page;
use super::resize::on_resize;
use super::session::SPEEDS;
use super::transcript::{Span, Style};
use super::welcome::Welcome;

fn style_class(style: Style) -> &'static str {
    match style {
        Style::Echo => "echo",
        Style::Stdout => "stdout",
        Style::Stderr => "stderr",
    }
}

/// What kubectl writes to standard error to inform, not to report a failure (a terminal
/// shows stderr like stdout; the lab paints failures red, so these get a calmer look).
const NOTICES: &[&str] = &[
    "If you don't see a command prompt, try pressing enter.",
    "Defaulted container ",
    "Unable to use a TTY",
    "Session ended, resume using",
];

/// Whether `span` is one of kubectl's informational lines on standard error.
fn is_notice(span: &Span) -> bool {
    span.style == Style::Stderr
        && NOTICES
            .iter()
            .any(|n| span.text.trim_start().starts_with(n))
}

/// The span's stream, and the SGR colour a program asked for (`sgr-31` …), drawn by
/// `style/main.css`.
fn span_class(span: &Span) -> String {
    let stream = if is_notice(span) {
        "stderr kubectl-notice"
    } else {
        style_class(span.style)
    };
    match span.color {
        Some(code) => format!("{stream} sgr-{code}"),
        None => stream.to_string(),
    }
}

/// The shell: type a line (or paste several), Enter runs it. ↑/↓ walk the history, Ctrl-C
/// stops what runs, Ctrl-L clears the screen.
#[component]
pub fn Terminal() -> impl IntoView {
    let page = expect_context::<Page>();
    let work = use_context::<super::work::Work>();
    let input = RwSignal::new(String::new());
    // Position in the history while walking it with ↑/↓, and what was typed before.
    let history_at = RwSignal::new(None::<usize>);
    let draft = RwSignal::new(String::new());
    let output_ref = NodeRef::<Div>::new();
    let input_ref = NodeRef::<Textarea>::new();
    // What Tab listed when several completions matched.
    let listed = RwSignal::new(Vec::<String>::new());
    let probe_ref = NodeRef::<SpanElement>::new();
    watch_size(page, output_ref, probe_ref);

    // Follow the output as it grows (and the status line under it). The timeline changes
    // every frame; only whether it is rewound matters here.
    let rewound = Memo::new(move |_| page.timeline.with(|t| t.viewing.is_some()));
    Effect::new(move |_| {
        page.lines.track();
        listed.track();
        page.busy.track();
        page.edit.track();
        rewound.track();
        if let Some(el) = output_ref.get() {
            el.set_scroll_top(el.scroll_height());
        }
    });

    let on_keydown = move |ev: KeyboardEvent| {
        let key = ev.key();
        let ctrl = ev.ctrl_key() || ev.meta_key();
        if key != "Tab" && !listed.with_untracked(Vec::is_empty) {
            listed.set(Vec::new());
        }
        match key.as_str() {
            "Tab" if !ev.shift_key() && !ctrl => {
                ev.prevent_default();
                let Some(el) = input_ref.get_untracked() else {
                    return;
                };
                let text = input.get_untracked();
                let cursor = el
                    .selection_start()
                    .ok()
                    .flatten()
                    .map_or(text.len(), |utf16| byte_offset(&text, utf16 as usize));
                let Some(done) = page.read(|s| complete(&text, cursor, s.shown_lab())) else {
                    return;
                };
                if done.line != text {
                    input.set(done.line.clone());
                    el.set_value(&done.line);
                    let at = done.line[..done.cursor].encode_utf16().count() as u32;
                    _ = el.set_selection_range(at, at);
                }
                listed.set(done.candidates);
            }
            "Enter" if !ev.shift_key() => {
                ev.prevent_default();
                let text = input.get_untracked();
                input.set(String::new());
                history_at.set(None);
                page.act(|s| s.enter(&text));
            }
            "ArrowUp" | "ArrowDown"
                if !input.get_untracked().contains('\n')
                    || history_at.get_untracked().is_some() =>
            {
                let history = page
                    .read(|s| s.lab.shell.history().to_vec())
                    .unwrap_or_default();
                let len = history.len();
                let next = match (key.as_str(), history_at.get_untracked()) {
                    ("ArrowUp", None) if len > 0 => {
                        draft.set(input.get_untracked());
                        Some(Some(len - 1))
                    }
                    ("ArrowUp", Some(i)) => Some(Some(i.saturating_sub(1))),
                    ("ArrowDown", Some(i)) if i + 1 < len => Some(Some(i + 1)),
                    ("ArrowDown", Some(_)) => Some(None),
                    _ => None,
                };
                if let Some(at) = next {
                    ev.prevent_default();
                    history_at.set(at);
                    let text = match at {
                        Some(i) => history.get(i).cloned().unwrap_or_default(),
                        None => draft.get_untracked(),
                    };
                    input.set(text);
                }
            }
            "c" | "C" if ev.ctrl_key() && !has_selection() => {
                ev.prevent_default();
                let typed = input.get_untracked();
                input.set(String::new());
                history_at.set(None);
                page.act(|s| s.interrupt(&typed));
            }
            "l" | "L" if ctrl => {
                ev.prevent_default();
                if let Some(work) = work {
                    work.welcome.set(false);
                }
                page.act(|s| s.clear_screen());
            }
            _ => {}
        }
    };

    let rows = move || input.with(|t| t.lines().count().clamp(1, 12));

    view! {
        <section
            class="terminal"
            aria-label=move || t("terminal", page.lang.get())
            data-testid="terminal"
            data-busy=move || page.busy.get().to_string()
            data-starting=move || page.starting.get().to_string()
            data-cols=move || page.winsize.get().0
            data-rows=move || page.winsize.get().1
            on:click=move |_| {
            if !has_selection() {
                if let Some(el) = input_ref.get() {
                    _ = el.focus();
                }
            }
        }>
            <span class="terminal-probe" aria-hidden="true" node_ref=probe_ref>{PROBE}</span>
            <div class="terminal-output" data-testid="terminal-output" node_ref=output_ref>
                <Welcome/>
                <For each=move || page.lines.get() key=|line| (line.id, line.rev) let:line>
                    <div class="line">
                        {line
                            .spans
                            .iter()
                            .map(|span| {
                                view! { <span class=span_class(span)>{span.text.clone()}</span> }
                            })
                            .collect_view()}
                    </div>
                </For>
                <div class="prompt-line">
                    <span class="prompt">{move || page.prompt.get()}</span>
                    <textarea
                        class="terminal-input"
                        data-testid="terminal-input"
                        node_ref=input_ref
                        rows=rows
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        aria-label=move || t("terminal.input", page.lang.get())
                        prop:value=move || input.get()
                        on:input=move |ev| input.set(event_target_value(&ev))
                        on:keydown=on_keydown
                    ></textarea>
                </div>
                <TerminalStatus/>
                <Show when=move || !listed.with(Vec::is_empty)>
                    <div class="completions" data-testid="completions">
                        {move || listed.get().into_iter().map(|c| view! { <span class="completion">{c}</span> }).collect_view()}
                    </div>
                </Show>
            </div>
        </section>
    }
}

/// What holds the terminal, as [`TerminalStatus`] shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Status {
    Idle,
    /// The lab's code is on its way; this many lines wait for it.
    Starting(usize),
    /// The timeline shows this second.
    Rewound(i64),
    /// `vim` has this file open in the editor.
    Editing(String),
    Running {
        queued: usize,
        offer: Option<Offer>,
    },
}

/// What the running line offers about the clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Offer {
    Play,
    SpeedUp,
}

/// Virtual seconds a command may wait before the terminal offers a faster clock.
const LONG_WAIT_MS: i64 = 5_000;
/// The speed a long wait offers.
const FAST_SPEED: u32 = 10;

/// What holds the terminal, under its last line: the command that runs (and how to stop it,
/// the lines queued behind it, a faster clock when it waits long), the file `vim` opened in
/// the editor (and how to leave it), or the moment the timeline was dragged back to (and
/// that typing discards what came after it).
#[component]
fn TerminalStatus() -> impl IntoView {
    let page = expect_context::<Page>();
    let lang = move || page.lang.get();
    // What the line says, as a value: the clock moves every frame, the line only when this
    // changes.
    let state = Memo::new(move |_| {
        let view = page.timeline.get();
        if view.viewing.is_some() {
            return Status::Rewound(view.shown_ms.div_euclid(1000));
        }
        if let Some(path) = page.edit.get() {
            return Status::Editing(path.rsplit('/').next().unwrap_or(&path).to_string());
        }
        if !page.busy.get() {
            return Status::Idle;
        }
        if page.starting.get() {
            return Status::Starting(page.queued.with(Vec::len));
        }
        let waited = page
            .running
            .with(|r| r.as_ref().map(|(_, since)| *since))
            .map_or(0, |since| page.clock_ms.get() - since);
        let offer = if !page.playing.get() {
            Some(Offer::Play)
        } else if waited >= LONG_WAIT_MS && page.speed.get() < FAST_SPEED {
            Some(Offer::SpeedUp)
        } else {
            None
        };
        Status::Running {
            queued: page.queued.with(Vec::len),
            offer,
        }
    });
    let status = move || {
        let lang = lang();
        match state.get() {
            Status::Idle => ().into_any(),
            Status::Starting(queued) => view! {
                <div class="terminal-status running" data-testid="terminal-status" data-state="starting" role="status">
                    <span class="spinner" aria-hidden="true"></span>
                    <span>{t("terminal.starting", lang)}</span>
                    {(queued > 0).then(|| view! {
                        <span class="queued" data-testid="terminal-queued">{tf("terminal.queued", lang, &[("n", &queued)])}</span>
                    })}
                </div>
            }
            .into_any(),
            Status::Rewound(s) => view! {
                <div class="terminal-status rewound" data-testid="terminal-status" data-state="rewound">
                    {tf("terminal.rewound", lang, &[("s", &s)])}
                </div>
            }
            .into_any(),
            Status::Editing(name) => view! {
                <div class="terminal-status editing" data-testid="terminal-status" data-state="editing">
                    <span>{tf("terminal.editing", lang, &[("file", &name)])}</span>
                    " "
                    <button class="tool" data-testid="terminal-show-editor" on:click=move |ev| {
                        ev.stop_propagation();
                        super::layout::show_editor();
                    }>{t("terminal.show_editor", lang)}</button>
                </div>
            }
            .into_any(),
            Status::Running { queued, offer } => {
                let offer = offer.map(|offer| match offer {
                    Offer::Play => (t("terminal.play", lang).to_string(), None),
                    Offer::SpeedUp => (
                        tf("terminal.speed_up", lang, &[("x", &FAST_SPEED)]),
                        Some(FAST_SPEED),
                    ),
                });
                view! {
                    <div class="terminal-status running" data-testid="terminal-status" data-state="running" role="status">
                        <span class="spinner" aria-hidden="true"></span>
                        <span>{t("terminal.running", lang)}</span>
                        {(queued > 0).then(|| view! {
                            <span class="queued" data-testid="terminal-queued">{tf("terminal.queued", lang, &[("n", &queued)])}</span>
                        })}
                        {offer.map(|(label, speed)| view! {
                            <button class="tool" data-testid="terminal-speed-up" on:click=move |ev| {
                                ev.stop_propagation();
                                page.act(|s| {
                                    if let Some(speed) = speed.filter(|x| SPEEDS.contains(x)) {
                                        s.set_speed(speed);
                                    }
                                    s.set_playing(true);
                                });
                            }>{label}</button>
                        })}
                    </div>
                }
                .into_any()
            }
        }
    };
    view! { <div class="terminal-status-slot" aria-live="polite">{status}</div> }
}

/// Text as wide as [`PROBE_CHARS`] cells of the terminal's font, to measure one cell.
const PROBE: &str = "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
const PROBE_CHARS: f64 = 100.0;

/// Tells the shell the terminal's size in character cells whenever the output box changes
/// size (a window resize, a dragged separator, a maximised pane): the terminal's `SIGWINCH`.
fn watch_size(page: Page, output_ref: NodeRef<Div>, probe_ref: NodeRef<SpanElement>) {
    let measure = move || {
        let (Some(output), Some(probe)) = (output_ref.get_untracked(), probe_ref.get_untracked())
        else {
            return;
        };
        let Some(size) = cells(&output, &probe) else {
            return;
        };
        // The callback may outlive the page's signals: `try_` reads, and `act` is safe.
        if page
            .winsize
            .try_get_untracked()
            .is_some_and(|now| now != size)
        {
            page.act(|s| s.set_winsize(size.0, size.1));
        }
    };
    on_resize(output_ref, measure);
}

/// Columns and rows of `output`, from the size of [`PROBE`] in `probe` (same font).
fn cells(output: &web_sys::HtmlDivElement, probe: &web_sys::HtmlSpanElement) -> Option<(u16, u16)> {
    let cell = probe.get_bounding_client_rect();
    let width = cell.width() / PROBE_CHARS;
    let height = cell.height();
    if !(width > 0.0 && height > 0.0) {
        return None;
    }
    let cols = (f64::from(output.client_width()) / width).floor();
    let rows = (f64::from(output.client_height()) / height).floor();
    Some((
        cols.clamp(1.0, 1000.0) as u16,
        rows.clamp(1.0, 1000.0) as u16,
    ))
}

/// Whether the user selected text (Ctrl-C then copies instead of interrupting).
fn has_selection() -> bool {
    window()
        .get_selection()
        .ok()
        .flatten()
        .is_some_and(|s| !s.is_collapsed())
}

/// The byte offset of the `utf16`-th UTF-16 unit of `text` (what the DOM's selection counts).
fn byte_offset(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}
