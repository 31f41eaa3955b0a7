use leptos::ev::KeyboardEvent;
use leptos::html::{Div, Textarea};
use leptos::prelude::*;

use super::app::Page;
use super::transcript::Style;

fn style_class(style: Style) -> &'static str {
    match style {
        Style::Echo => "echo",
        Style::Stdout => "stdout",
        Style::Stderr => "stderr",
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

    // Follow the output as it grows.
    Effect::new(move |_| {
        page.lines.track();
        if let Some(el) = output_ref.get() {
            el.set_scroll_top(el.scroll_height());
        }
    });

    let on_keydown = move |ev: KeyboardEvent| {
        let key = ev.key();
        let ctrl = ev.ctrl_key() || ev.meta_key();
        match key.as_str() {
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
        <section class="terminal" aria-label="Terminal" on:click=move |_| {
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
                                view! { <span class=style_class(span.style)>{span.text.clone()}</span> }
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
                        aria-label="Shell command"
                        prop:value=move || input.get()
                        on:input=move |ev| input.set(event_target_value(&ev))
                        on:keydown=on_keydown
                    ></textarea>
                </div>
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
