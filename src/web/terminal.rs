use leptos::prelude::*;
use rollout_kubectl::run_line;

/// One block of terminal output: the command echoed, then what it printed.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    id: usize,
    command: String,
    stdout: String,
    stderr: String,
}

/// The kubectl terminal: type a line, press Enter, read what kubectl printed.
#[component]
pub fn Terminal() -> impl IntoView {
    let (entries, set_entries) = signal(Vec::<Entry>::new());
    let (input, set_input) = signal(String::new());

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() != "Enter" {
            return;
        }
        let command = input.get_untracked();
        let out = run_line(&command);
        set_entries.update(|entries| {
            let id = entries.len();
            entries.push(Entry {
                id,
                command,
                stdout: out.stdout,
                stderr: out.stderr,
            });
        });
        set_input.set(String::new());
    };

    view! {
        <section class="terminal">
            <div class="terminal-output" data-testid="terminal-output">
                <For each=move || entries.get() key=|entry| entry.id let:entry>
                    <div class="entry">
                        <div class="echo">"$ " {entry.command}</div>
                        <pre class="stdout">{entry.stdout}</pre>
                        <pre class="stderr">{entry.stderr}</pre>
                    </div>
                </For>
            </div>
            <div class="prompt-line">
                <span class="prompt">"$ "</span>
                <input
                    class="terminal-input"
                    data-testid="terminal-input"
                    type="text"
                    spellcheck="false"
                    autocomplete="off"
                    aria-label="kubectl command"
                    prop:value=input
                    on:input=move |ev| set_input.set(event_target_value(&ev))
                    on:keydown=on_keydown
                />
            </div>
        </section>
    }
}
