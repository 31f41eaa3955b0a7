use leptos::ev::KeyboardEvent;
use leptos::html::{Div, Textarea};
use leptos::prelude::*;

use super::completion::complete;
use super::i18n::t;
use super::page::Page;
use super::transcript::{Span, Style};

fn style_class(style: Style) -> &'static str {
    match style {
        Style::Echo => "echo",
        Style::Stdout => "stdout",
        Style::Stderr => "stderr",
    }
}

/// The span's stream, and the SGR colour a program asked for (`sgr-31` …), drawn by
/// `style/main.css`.
fn span_class(span: &Span) -> String {
    match span.color {
        Some(code) => format!("{} sgr-{code}", style_class(span.style)),
        None => style_class(span.style).to_string(),
    }
}

/// The shell: type a line (or paste several), Enter runs it. ↑/↓ walk the history, Ctrl-C
/// stops what runs, Ctrl-L clears the screen.
#[component]
pub fn Terminal() -> impl IntoView {
    let page = expect_context::<Page>();
    let input = RwSignal::new(String::new());
    // Position in the history while walking it with ↑/↓, and what was typed before.
    let history_at = RwSignal::new(None::<usize>);
    let draft = RwSignal::new(String::new());
    let output_ref = NodeRef::<Div>::new();
    let input_ref = NodeRef::<Textarea>::new();
    // What Tab listed when several completions matched.
    let listed = RwSignal::new(Vec::<String>::new());

    // Follow the output as it grows.
    Effect::new(move |_| {
        page.lines.track();
        listed.track();
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
            on:click=move |_| {
            if !has_selection() {
                if let Some(el) = input_ref.get() {
                    _ = el.focus();
                }
            }
        }>
            <div class="terminal-output" data-testid="terminal-output" node_ref=output_ref>
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
                <Show when=move || !listed.with(Vec::is_empty)>
                    <div class="completions" data-testid="completions">
                        {move || listed.get().into_iter().map(|c| view! { <span class="completion">{c}</span> }).collect_view()}
                    </div>
                </Show>
            </div>
        </section>
    }
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
