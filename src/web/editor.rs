//! The manifest editor: one tab per file of the working directory. Typing writes the file
//! (the shell sees it at once); Apply runs `kubectl apply -f FILE` in the terminal. When the
//! shell runs `vim FILE`, the editor opens that file and `:wq` / `:q!` close it.
//!
//! The text is typed into a transparent textarea laid over a `<pre>` that shows the same
//! lines coloured as YAML, beside a gutter of line numbers; one scroller holds all three so
//! they never drift apart. A moment after typing stops, the file is checked as
//! `kubectl apply -f` would check it (see `manifest_check`) and each problem is shown at its
//! line.

use leptos::prelude::*;
use rollout_kubectl::lab::engine::engine;
use rollout_kubectl::lab::HOME;

use super::i18n::{t, tf};
use super::manifest_check::{check, highlight_line, Problem};
use super::page::Page;
use super::stale_file::StaleFileWarning;
use rollout_sim::objects::{Kind, KINDS};

/// Real milliseconds of quiet after typing before the file is checked.
const CHECK_DELAY_MS: u64 = 300;

fn path_of(name: &str) -> String {
    format!("{HOME}/{name}")
}

/// How the file line in the margin and the line kubectl's message names agree, when they
/// differ (kubectl counts from the first line of the `---` document).
fn document_note(problem: &Problem, lang: super::explanations::Lang) -> Option<String> {
    let (said, start) = problem.in_document?;
    let line = problem.line?;
    Some(tf(
        "editor.in_document",
        lang,
        &[("said", &said), ("start", &start), ("line", &line)],
    ))
}

#[component]
pub fn Editor() -> impl IntoView {
    let page = expect_context::<Page>();
    let lang = move || page.lang.get();
    // The open file, by absolute path, and the text in the textarea.
    let open = RwSignal::new(None::<String>);
    let text = RwSignal::new(String::new());
    // The fields an asked-for apply would set back from changes made outside the file: it
    // waits for "apply anyway" while there are some. Editing the file drops the question.
    let stale = RwSignal::new(Vec::new());
    let new_name = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<Problem>::new());
    // Bumped by every change of the text: a check scheduled before a later change is dropped.
    let typed = StoredValue::new(0u64);
    let check_now = move || {
        let name = open
            .get_untracked()
            .map(|p| p.rsplit('/').next().unwrap_or(&p).to_string())
            .unwrap_or_else(|| "manifest.yaml".into());
        let found = text.with_untracked(|t| {
            if t.trim().is_empty() {
                Vec::new()
            } else {
                // What the cluster serves decides which kinds have a REST mapping.
                let served: Vec<Kind> = page
                    .read(|s| {
                        KINDS
                            .iter()
                            .map(|info| info.kind)
                            .filter(|kind| s.lab.cluster().serves(*kind))
                            .collect()
                    })
                    .unwrap_or_default();
                check(t, &name, &|kind| served.contains(&kind))
            }
        });
        problems.set(found);
    };
    let check_later = move || {
        typed.update_value(|n| *n += 1);
        let generation = typed.get_value();
        set_timeout(
            move || {
                // The editor may be gone by then (its owner disposed): do nothing.
                if typed.try_get_value() == Some(generation) {
                    check_now();
                }
            },
            std::time::Duration::from_millis(CHECK_DELAY_MS),
        );
    };

    let load = move |path: String| {
        let content = page
            .read(|s| s.read_file(&path))
            .flatten()
            .unwrap_or_default();
        text.set(content);
        open.set(Some(path));
        check_now();
    };

    // Installing an add-on serves new kinds (a Rollout has a REST mapping once Argo Rollouts'
    // CRDs are in): check the open file again when the installed add-ons change.
    let installed = Memo::new(move |_| {
        page.model.track();
        page.read(|s| s.lab.cluster().addons().names().count())
            .unwrap_or(0)
    });
    Effect::new(move |previous: Option<usize>| {
        let now = installed.get();
        if previous.is_some_and(|p| p != now) && open.get_untracked().is_some() {
            check_now();
        }
        now
    });

    // Open the first file when files appear, and the file `vim` asks for. A lab that started
    // over (a lesson reset) has new files: whatever the editor showed is gone.
    Effect::new(move |restarted: Option<u64>| {
        let restarts = page.restarts.get();
        if restarted.is_some_and(|r| r != restarts) {
            open.set(None);
            text.set(String::new());
            problems.set(Vec::new());
        }
        let files = page.files.get();
        let vim = page.edit.get();
        if let Some(path) = vim {
            if open.get_untracked().as_deref() != Some(path.as_str()) {
                load(path);
            }
            return restarts;
        }
        let current = open.get_untracked();
        let still_there = current
            .as_ref()
            .is_some_and(|p| files.iter().any(|f| path_of(f) == *p));
        if !still_there {
            match files.first() {
                Some(first) => load(path_of(first)),
                None => {
                    open.set(None);
                    text.set(String::new());
                }
            }
        }
        restarts
    });

    let editing_vim = move || {
        let vim = page.edit.get();
        vim.is_some() && vim == open.get()
    };

    let on_input = move |ev| {
        let value = event_target_value(&ev);
        stale.set(Vec::new());
        text.set(value.clone());
        check_later();
        if editing_vim() {
            return;
        }
        // Typing with no file open starts one.
        let path = open.get_untracked().unwrap_or_else(|| {
            let path = path_of("manifest.yaml");
            open.set(Some(path.clone()));
            path
        });
        page.act(|s| s.write_file(&path, &value));
    };

    let open_name = Signal::derive(move || {
        open.get()
            .map(|path| {
                path.strip_prefix(&format!("{HOME}/"))
                    .unwrap_or(&path)
                    .to_string()
            })
            .unwrap_or_default()
    });
    let run_apply = Callback::new(move |()| {
        if open.get_untracked().is_some() {
            let name = open_name.get_untracked();
            page.act(|s| s.enter(&format!("kubectl apply -f {name}")));
            super::layout::show_terminal();
        }
    });
    let apply = move |_| {
        let found = text.with_untracked(|text| {
            page.read(|s| (engine().overwrites)(s.shown_lab().cluster(), text, "default"))
        });
        match found {
            Some(found) if !found.is_empty() => stale.set(found),
            _ => run_apply.run(()),
        }
    };

    let create = move || {
        let name = new_name.get_untracked().trim().to_string();
        let name = if name.is_empty() {
            let files = page.files.get_untracked();
            (1..)
                .map(|n| format!("new-{n}.yaml"))
                .find(|candidate| !files.contains(candidate))
                .unwrap_or_else(|| "new.yaml".into())
        } else {
            name
        };
        if name.contains('/') || name.starts_with('.') {
            return;
        }
        let path = path_of(&name);
        page.act(|s| {
            if s.read_file(&path).is_none() {
                s.write_file(&path, "");
            }
        });
        new_name.set(String::new());
        load(path);
    };

    view! {
        <section class="editor-panel" aria-label=move || t("editor", lang())>
            <div class="tabs">
                // A tab list only while there are files: ARIA wants its tabs inside it and
                // nothing else (the new-file field and the buttons sit beside it).
                <div
                    class="file-tabs"
                    role=move || page.files.with(|f| !f.is_empty()).then_some("tablist")
                    aria-label=move || page.files.with(|f| !f.is_empty()).then(|| t("editor.files", lang()))
                >
                <For each=move || page.files.get() key=|f| f.clone() let:name>
                    {
                        let path = path_of(&name);
                        let selected = {
                            let path = path.clone();
                            move || open.get().as_deref() == Some(path.as_str())
                        };
                        view! {
                            <button
                                class="tab"
                                role="tab"
                                data-testid="editor-tab"
                                data-file=name.clone()
                                class:selected=selected.clone()
                                aria-selected=move || selected().to_string()
                                on:click=move |_| load(path.clone())
                            >
                                {name.clone()}
                            </button>
                        }
                    }
                </For>
                </div>
                <input
                    class="new-file"
                    data-testid="editor-new-name"
                    placeholder=move || t("editor.new.placeholder", lang())
                    aria-label=move || t("editor.new.name", lang())
                    prop:value=move || new_name.get()
                    on:input=move |ev| new_name.set(event_target_value(&ev))
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Enter" {
                            ev.prevent_default();
                            create();
                        }
                    }
                />
                <button
                    class="tool"
                    data-testid="editor-new"
                    title=move || t("editor.new", lang())
                    aria-label=move || t("editor.new", lang())
                    on:click=move |_| create()
                >
                    "+"
                </button>
                <span class="spacer"></span>
                <Show
                    when=editing_vim
                    fallback=move || view! {
                        <button
                            class="tool primary"
                            data-testid="editor-apply"
                            title=move || t("editor.apply.title", lang())
                            disabled=move || open.get().is_none()
                            on:click=apply
                        >
                            {move || t("editor.apply", lang())}
                        </button>
                    }
                >
                    <button class="tool primary" data-testid="editor-save" title=move || t("editor.save", lang()) on:click=move |_| {
                        let content = text.get_untracked();
                        page.act(|s| s.finish_edit(Some(&content)));
                    }>":wq"</button>
                    <button class="tool" data-testid="editor-quit" title=move || t("editor.quit", lang()) on:click=move |_| {
                        page.act(|s| s.finish_edit(None));
                    }>":q!"</button>
                </Show>
            </div>
            <StaleFileWarning file=open_name found=stale apply=run_apply/>
            <div class="editor-scroll">
                <div class="editor-gutter" aria-hidden="true">
                    {move || {
                        let count = text.with(|t| t.split('\n').count());
                        problems.with(|found| {
                            (1..=count)
                                .map(|n| {
                                    let bad = found.iter().any(|p| p.line == Some(n));
                                    view! { <div class="gutter-line" class:bad=bad>{n}</div> }
                                })
                                .collect_view()
                        })
                    }}
                </div>
                <div class="editor-code">
                    <pre class="editor-highlight" aria-hidden="true">
                        {move || {
                            text.with(|t| {
                                problems.with(|found| {
                                    t.split('\n')
                                        .enumerate()
                                        .map(|(i, line)| {
                                            let problem = found
                                                .iter()
                                                .find(|p| p.line == Some(i + 1))
                                                .map(|p| {
                                                    let first = p.message.lines().next().unwrap_or("");
                                                    match document_note(p, lang()) {
                                                        Some(note) => format!("{first} ({note})"),
                                                        None => first.to_string(),
                                                    }
                                                });
                                            view! {
                                                <div class="code-line">
                                                    {highlight_line(line)
                                                        .into_iter()
                                                        .map(|(token, piece)| view! { <span class=token.class()>{piece.to_string()}</span> })
                                                        .collect_view()}
                                                    {problem.map(|m| view! { <span class="inline-error">{format!("  ← {m}")}</span> })}
                                                    "\u{200b}"
                                                </div>
                                            }
                                        })
                                        .collect_view()
                                })
                            })
                        }}
                    </pre>
                    <textarea
                        class="editor"
                        data-testid="editor"
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        wrap="off"
                        aria-label=move || t("editor.contents", lang())
                        placeholder=move || t("editor.placeholder", lang())
                        rows=move || text.with(|t| t.split('\n').count() + 1)
                        style:min-width=move || {
                            let widest = text.with(|t| t.lines().map(|l| l.chars().count()).max().unwrap_or(0));
                            format!("calc({widest}ch + 4rem)")
                        }
                        prop:value=move || text.get()
                        on:input=on_input
                    ></textarea>
                </div>
            </div>
            <Show when=move || !problems.with(Vec::is_empty)>
                <div
                    class="editor-problems"
                    data-testid="editor-problems"
                    role="status"
                    aria-label=move || t("editor.problems", lang())
                >
                    {move || problems.get().into_iter().map(|p| {
                        let line = p.line;
                        view! {
                        <div class="problem" data-testid="editor-problem" data-line=line.map(|l| l.to_string()).unwrap_or_default()>
                            <span class="problem-line">{move || match line {
                                Some(n) => tf("editor.line", lang(), &[("n", &n)]),
                                None => t("editor.whole_file", lang()).to_string(),
                            }}</span>
                            " "
                            <span class="problem-message">{p.message.clone()}</span>
                            {move || document_note(&p, lang()).map(|note| view! {
                                " "
                                <span class="problem-note" data-testid="editor-problem-note">{format!("({note})")}</span>
                            })}
                        </div>
                    }}).collect_view()}
                </div>
            </Show>
        </section>
    }
}
