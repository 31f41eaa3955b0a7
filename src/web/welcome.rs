//! The sandbox's first visit: a few lines at the top of the terminal with starter commands to
//! click, the two helps, and the way to lesson 1. Shown once; localStorage remembers it (see
//! `work::decide_welcome`).

use leptos::prelude::*;

use super::i18n::{lesson_lang, t};
use super::page::Page;
use super::work::Work;

/// What a newcomer can click first: look at the cluster, start something, look again.
const STARTERS: &[&str] = &[
    "kubectl get nodes",
    "kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --replicas=3",
    "kubectl get pods -o wide",
];

/// A line of the terminal that runs when clicked.
#[component]
fn Runnable(line: &'static str) -> impl IntoView {
    let page = expect_context::<Page>();
    view! {
        <button class="welcome-command" data-testid="welcome-command" on:click=move |ev| {
            ev.stop_propagation();
            page.act(|s| s.enter(line));
            super::layout::show_terminal();
        }>
            <code>{line}</code>
        </button>
    }
}

#[component]
pub fn Welcome() -> impl IntoView {
    let page = expect_context::<Page>();
    let work = use_context::<Work>();
    let shown = move || work.is_some_and(|w| w.welcome.get());
    let lang = move || page.lang.get();
    let first_lesson = move || {
        let work = work?;
        let lang = lesson_lang(lang());
        work.lessons.with_value(|ls| {
            let (index, lesson) = ls.iter().enumerate().min_by_key(|(_, l)| l.order)?;
            Some((
                index,
                format!("{}. {}", lesson.order, lesson.title.get(lang)),
            ))
        })
    };
    view! {
        <Show when=shown>
            <div class="welcome" data-testid="welcome">
                <p class="welcome-title">{move || t("welcome.title", lang())}</p>
                <p>{move || t("welcome.try", lang())}</p>
                <div class="welcome-commands">
                    {STARTERS.iter().map(|line| view! { <Runnable line=line/> }).collect_view()}
                </div>
                <p>
                    <Runnable line="help"/>
                    {move || t("welcome.help", lang())}
                    <Runnable line="lab-help"/>
                    {move || t("welcome.lab_help", lang())}
                </p>
                {move || first_lesson().map(|(index, title)| view! {
                    <p>
                        {t("welcome.lesson", lang())}
                        " "
                        <button class="welcome-lesson" data-testid="welcome-lesson" on:click=move |ev| {
                            ev.stop_propagation();
                            if let Some(work) = work {
                                work.start(&page, Some(index), 0);
                            }
                        }>{title}</button>
                    </p>
                })}
            </div>
        </Show>
    }
}
