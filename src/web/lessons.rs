//! The lesson panel: the steps, their commands and checks, and the buttons that reset,
//! export and share the work.

use leptos::prelude::*;
use rollout_kubectl::lab::HOME;
use wasm_bindgen::JsCast;

use super::author;
use super::i18n::{lesson_lang, t};
use super::page::Page;
use super::params::percent_encode;
use super::save::export_script;
use super::share::{share, ShareBox};
use super::work::Work;

fn confirm(message: &str) -> bool {
    window().confirm_with_message(message).unwrap_or(false)
}

/// A lesson text: `code` between backticks is shown as code.
fn rich_text(text: &str) -> impl IntoView + use<> {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            let part = part.to_string();
            if i % 2 == 1 {
                view! { <code>{part}</code> }.into_any()
            } else {
                view! { <span>{part}</span> }.into_any()
            }
        })
        .collect_view()
}

/// Downloads `text` as a file called `name`.
fn download(name: &str, text: &str) {
    let document = document();
    let Ok(a) = document.create_element("a") else {
        return;
    };
    let href = format!(
        "data:text/x-shellscript;charset=utf-8,{}",
        percent_encode(text)
    );
    _ = a.set_attribute("href", &href);
    _ = a.set_attribute("download", name);
    if let Some(body) = document.body() {
        _ = body.append_child(&a);
        if let Some(el) = a.dyn_ref::<web_sys::HtmlElement>() {
            el.click();
        }
        _ = body.remove_child(&a);
    }
}

/// Whether a lesson command runs in the terminal or waits in its queue (`idle`, `running`,
/// `queued`), and the badge its button shows: "running", "queued", "queued ×2".
fn command_state(page: Page, command: String) -> Memo<(&'static str, Option<String>)> {
    Memo::new(move |_| {
        let lang = page.lang.get();
        let running = page
            .running
            .with(|r| r.as_ref().is_some_and(|(line, _)| *line == command));
        let queued = page
            .queued
            .with(|q| q.iter().filter(|line| **line == command).count());
        let queued_badge = match queued {
            0 => None,
            1 => Some(t("lesson.queued", lang).to_string()),
            n => Some(format!("{} ×{n}", t("lesson.queued", lang))),
        };
        match (running, queued_badge) {
            (true, None) => ("running", Some(t("lesson.running", lang).to_string())),
            (true, Some(q)) => (
                "running",
                Some(format!("{} · {q}", t("lesson.running", lang))),
            ),
            (false, Some(q)) => ("queued", Some(q)),
            (false, None) => ("idle", None),
        }
    })
}

/// A step's hints, revealed one at a time by a button that says how many are left.
#[component]
fn StepHints(hints: Vec<String>) -> impl IntoView {
    let page = expect_context::<Page>();
    let shown = RwSignal::new(0usize);
    let total = hints.len();
    let hints = StoredValue::new(hints);
    let revealed = move || {
        hints
            .get_value()
            .into_iter()
            .take(shown.get())
            .map(|hint| view! { <p class="step-hint" data-testid="step-hint">{rich_text(&hint)}</p> })
            .collect_view()
    };
    let button = move || {
        let left = total.saturating_sub(shown.get());
        (left > 0).then(|| {
            let label = format!("{} ({left})", t("lesson.hint", page.lang.get()));
            view! {
                <button
                    class="tool"
                    data-testid="hint-button"
                    on:click=move |_| shown.update(|n| *n = (*n + 1).min(total))
                >
                    {label}
                </button>
            }
        })
    };
    view! { <div class="step-hints">{revealed}{button}</div> }
}

/// The lesson picker, the steps with their commands and checks, and the work's buttons.
#[component]
pub fn LessonPanel() -> impl IntoView {
    let page = expect_context::<Page>();
    let work = expect_context::<Work>();
    let lang = move || page.lang.get();

    let pick = move |ev| {
        let value = event_target_value(&ev);
        let index = work
            .lessons
            .with_value(|ls| ls.iter().position(|l| l.id == value));
        if index == work.current.get_untracked() {
            return;
        }
        let has_work = page
            .read(|s| {
                !s.log
                    .iter()
                    .all(|e| matches!(e.kind, super::save::EventKind::Advance(_)))
            })
            .unwrap_or(false);
        if has_work && !confirm(t("lesson.switch.confirm", page.lang.get_untracked())) {
            // Put the picker back.
            let current = work.current.get_untracked();
            work.current.set(current);
            return;
        }
        work.start(&page, index, 0);
    };

    let reset = move |_| {
        if confirm(t("lesson.reset.confirm", page.lang.get_untracked())) {
            work.start(
                &page,
                work.current.get_untracked(),
                work.start_step.get_untracked(),
            );
        }
    };

    let share = move |_| share(page, work);

    let export = move |_| {
        let files: Vec<(String, String)> = page
            .read(|s| {
                s.home_files()
                    .into_iter()
                    .filter_map(|name| {
                        let text = s.read_file(&format!("{HOME}/{name}"))?;
                        Some((name, text))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let events = page.read(|s| s.log.clone()).unwrap_or_default();
        let (title, file) = match work.current.get_untracked().and_then(|i| {
            work.lessons
                .with_value(|ls| ls.get(i).map(|l| (l.title.en.clone(), l.id.clone())))
        }) {
            Some((title, id)) => (title, format!("rollout-lab-{id}.sh")),
            None => ("sandbox".to_string(), "rollout-lab-sandbox.sh".to_string()),
        };
        download(&file, &export_script(&files, &events, &title));
    };

    let current_id = move || {
        work.current
            .get()
            .and_then(|i| {
                work.lessons
                    .with_value(|ls| ls.get(i).map(|l| l.id.clone()))
            })
            .unwrap_or_default()
    };

    let steps = move || {
        let lang = lang();
        let Some(index) = work.current.get() else {
            return view! { <p class="hint">{rich_text(t("lesson.sandbox.hint", lang))}</p> }
                .into_any();
        };
        let Some(lesson) = work.lessons.with_value(|ls| ls.get(index).cloned()) else {
            return ().into_any();
        };
        let ll = lesson_lang(lang);
        view! {
            <p class="lesson-summary">{rich_text(lesson.summary.get(ll))}</p>
            <ol class="lesson-steps">
                {lesson
                    .steps
                    .iter()
                    .enumerate()
                    .map(|(i, step)| {
                        let is_done = move || work.done.with(|d| d.get(i).copied().unwrap_or(false));
                        let hints: Vec<String> = step.hints.iter().map(|h| h.get(ll).to_string()).collect();
                        let is_current = move || work.done.with(|d| d.iter().position(|x| !x) == Some(i));
                        view! {
                            <li
                                class="lesson-step"
                                class:done=is_done
                                class:current=is_current
                                data-testid="lesson-step"
                                data-step=(i + 1).to_string()
                                data-step-id=step.id_or(i + 1)
                                data-done=move || is_done().to_string()
                            >
                                <div class="step-head">
                                    <span
                                        class="step-check"
                                        data-testid="lesson-check"
                                        title=move || if is_done() { t("lesson.done", lang) } else { t("lesson.todo", lang) }
                                    >
                                        {move || if is_done() { "✔" } else { "○" }}
                                    </span>
                                    <span class="step-title">{format!("{}. ", i + 1)}{step.title.get(ll).to_string()}</span>
                                </div>
                                <p class="step-text">{rich_text(step.text.get(ll))}</p>
                                <div class="step-commands">
                                    {step
                                        .commands
                                        .iter()
                                        .map(|command| {
                                            let command = command.clone();
                                            let run = command.clone();
                                            let state = command_state(page, command.clone());
                                            view! {
                                                <button
                                                    class="lesson-command"
                                                    data-testid="lesson-command"
                                                    data-state=move || state.get().0
                                                    title=t("lesson.run", lang)
                                                    on:click=move |_| {
                                                        page.act(|s| s.enter(&run));
                                                        super::layout::show_terminal();
                                                    }
                                                >
                                                    <code>{command}</code>
                                                    {move || state.get().1.map(|badge| view! {
                                                        <span class="command-badge" data-testid="command-badge">{badge}</span>
                                                    })}
                                                </button>
                                            }
                                        })
                                        .collect_view()}
                                </div>
                                <StepHints hints=hints/>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <div class="lesson-complete" data-testid="lesson-complete" class:hidden=move || !work.done.with(|d| !d.is_empty() && d.iter().all(|x| *x))>
                <p>{t("lesson.complete", lang)}</p>
                {lesson.done.as_ref().map(|done| view! { <p class="lesson-done-text">{rich_text(done.get(ll))}</p> })}
            </div>
        }
        .into_any()
    };

    view! {
        <section class="lesson-panel" data-testid="lesson-panel">
            <div class="lesson-bar">
                <select
                    class="tool lesson-picker"
                    data-testid="lesson-picker"
                    aria-label=move || t("lesson.label", lang())
                    prop:value=current_id
                    on:change=pick
                >
                    <option value="">{move || t("lesson.sandbox", lang())}</option>
                    {move || {
                        let lang = lesson_lang(lang());
                        work.lessons_added.track();
                        work.lessons.with_value(|ls| {
                            ls.iter()
                                .map(|l| {
                                    let id = l.id.clone();
                                    let selected = {
                                        let id = id.clone();
                                        move || current_id() == id
                                    };
                                    view! {
                                        <option value=id selected=selected>
                                            {format!("{}. {}", l.order, l.title.get(lang))}
                                        </option>
                                    }
                                })
                                .collect_view()
                        })
                    }}
                </select>
                <button class="tool" data-testid="lesson-reset" on:click=reset>
                    {move || t("lesson.reset", lang())}
                </button>
                <button class="tool" data-testid="share" title=move || t("share.title", lang()) on:click=share>
                    {move || t("share", lang())}
                </button>
                <button class="tool" data-testid="export" title=move || t("export.title", lang()) on:click=export>
                    {move || t("export", lang())}
                </button>
            </div>
            {move || {
                work.notice
                    .get()
                    .map(|notice| {
                        view! {
                            <div class="notice" data-testid="save-notice" role="status">
                                <span>{notice}</span>
                                <button class="tool" on:click=move |_| work.notice.set(None)>
                                    {move || t("dismiss", lang())}
                                </button>
                            </div>
                        }
                    })
            }}
            <ShareBox/>
            {move || {
                work.load_failures
                    .get()
                    .into_iter()
                    .map(|failure| {
                        view! {
                            <div class="lesson-error" data-testid="lesson-error" role="alert">
                                <pre>{format!("{} {}", failure.source, failure.why)}</pre>
                            </div>
                        }
                    })
                    .collect_view()
            }}
            <div class="lesson-body">
                {move || work.author.get().then(author::panel).flatten()}
                {steps}
            </div>
        </section>
    }
}
