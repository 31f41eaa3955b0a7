use leptos::prelude::*;
use rollout_kubectl::lab::{engine, Lab};
use rollout_kubectl::lesson::Lesson;

use super::cluster_view::ClusterView;
use super::data;
use super::editor::Editor;
use super::embed_bar::{EmbedBar, EmbedView};
use super::events::EventsPanel;
use super::i18n::t;
use super::layout::{Layout, Pane, PaneId, Split, Splitter};
use super::lessons::LessonPanel;
use super::load_failure::LoadFailure;
use super::page::{start_driver, Page};
use super::params::UrlParams;
use super::save::EventKind;
use super::session::Session;
use super::terminal::Terminal;
use super::timeline::{Clock, Timeline};
use super::traffic_panel::TrafficPanel;
use super::work::{decide_start, lesson_lab, lesson_lines, start_work_driver, Work};

/// The seed of the lab's cluster: the same page gives the same pod names every time.
const SEED: u64 = 8;

/// The whole page. `lab` replaces the fresh lab (tests start from a prepared cluster);
/// otherwise the URL (`?lesson=`, `?step=`, `#share=`) or the saved work decides where it
/// starts. `persist` saves the work to localStorage and restores it (the real page).
///
/// `lessons` are the built-in lessons with the files the start needs already read
/// (`lesson_fetch::start_lessons`, which `mount` awaits), and what could not be read.
#[component]
pub fn App(
    #[prop(optional)] lab: Option<Lab>,
    #[prop(optional)] persist: bool,
    #[prop(optional)] lessons: Option<(Vec<Lesson>, Vec<LoadFailure>)>,
) -> impl IntoView {
    let params = UrlParams::current();
    let (lessons, failures) =
        lessons.unwrap_or_else(|| (rollout_kubectl::lesson::built_in(), Vec::new()));
    let (page, work) = match lab {
        Some(lab) => {
            let start = decide_start(&[], &UrlParams::default(), SEED, false);
            let work = Work::new(&start, lessons, SEED, false);
            let page = Page::new(lab);
            page.lang.set(start.lang);
            (page, work)
        }
        None => {
            let start = decide_start(&lessons, &params, SEED, persist);
            // A saved `kubectl explain` replays the same only with the schemas at hand, and an
            // add-on installs (by a saved line or a lesson's earlier step) only with its module.
            let lesson_lines = lesson_lines(&lessons, start.lesson, start.start_step);
            let lesson_waits = lesson_lines.iter().any(|line| data::wanted_by(line));
            let typed: Vec<String> = start
                .events
                .iter()
                .filter_map(|e| match &e.kind {
                    EventKind::Submit(line) => Some(line.clone()),
                    _ => None,
                })
                .collect();
            let mut waiting: Vec<String> = lesson_lines;
            waiting.extend(data::commands_of(&typed));
            waiting.retain(|line| data::wanted_by(line));
            let work = Work::new(&start, lessons, SEED, persist);
            if params.author {
                super::author::start(work);
            }
            work.load_failures.set(failures);
            let page = Page::new(start.lab);
            // In the page the simulator, kubectl and the shell are a module of their own: the
            // layout and the lesson are drawn while it arrives, then the lab is made again.
            let engine_wanted = !engine::loaded();
            if engine_wanted || !waiting.is_empty() {
                if engine_wanted {
                    page.act(Session::hold_for_start);
                } else {
                    page.act(Session::hold_for_data);
                }
                let events = start.events.clone();
                let (lesson, start_step, seed) = (start.lesson, start.start_step, start.seed);
                leptos::task::spawn_local(async move {
                    let loaded = match engine::load().await {
                        Ok(()) => super::model_reader::load().await,
                        Err(why) => Err(why),
                    };
                    let mut failure = loaded
                        .err()
                        .map(|why| format!("rollout-lab: cannot load the lab's code: {why}\n"));
                    if let Some(more) =
                        data::fetch_wanted_by(waiting.iter().map(String::as_str)).await
                    {
                        failure = Some(failure.unwrap_or_default() + &more);
                    }
                    // A lesson chosen meanwhile starts instead, without the saved session.
                    let now = (
                        work.current.get_untracked(),
                        work.start_step.get_untracked(),
                    );
                    let (lesson, start_step, events) = if now == (lesson, start_step) {
                        (lesson, start_step, events)
                    } else {
                        (now.0, now.1, Vec::new())
                    };
                    if engine_wanted || lesson_waits {
                        let lab = work
                            .lessons
                            .with_value(|ls| lesson_lab(ls, lesson, start_step, seed));
                        page.act(|s| s.start_with(lab, failure.as_deref(), &events));
                    } else {
                        page.act(|s| {
                            s.data_arrived(failure.as_deref());
                            s.replay(&events)
                        });
                    }
                });
            } else if !start.events.is_empty() {
                page.act(|s| s.replay(&start.events));
            }
            // The help texts, fetched now so that a line printing one rarely waits for them.
            leptos::task::spawn_local(data::fetch_start_files());
            // Lessons from outside the build, which the first paint does not wait for; then
            // the course page embedding the lab, if any, hears that it is ready.
            let announce_ready = super::course_host::connect(page, work, &params);
            let outside = params.clone();
            leptos::task::spawn_local(async move {
                super::lesson_files::load_outside_lessons(page, work, outside).await;
                if let Some(announce_ready) = announce_ready {
                    announce_ready();
                }
            });
            page.lang.set(start.lang);
            (page, work)
        }
    };
    if let Some(speed) = params.speed.or_else(|| work.lesson_speed()) {
        page.act(|s| s.set_speed(speed));
    }
    provide_context(page);
    provide_context(work);
    start_driver(page);
    start_work_driver(page, work);
    let layout = Layout::new(persist);
    provide_context(layout);
    let dark = RwSignal::new(false);
    let lang = move || page.lang.get();

    if params.embed {
        let embed_shown = RwSignal::new(EmbedView::Cluster);
        return view! {
            <div class="app embed" data-testid="app" data-theme=move || if dark.get() { "dark" } else { "light" }>
                <main class="panels embed-panels">
                    <h1 class="visually-hidden">"Rollout Lab"</h1>
                    <div class="column lesson-column">
                        <LessonPanel/>
                    </div>
                    <div class="column right">
                        <EmbedBar shown=embed_shown/>
                        <div class="embed-view" class:hidden=move || embed_shown.get() != EmbedView::Cluster>
                            <ClusterView/>
                        </div>
                        <div class="embed-view" class:hidden=move || embed_shown.get() != EmbedView::Editor>
                            <Editor/>
                        </div>
                        <div class="embed-view" class:hidden=move || embed_shown.get() != EmbedView::Traffic>
                            <TrafficPanel/>
                        </div>
                        <Terminal/>
                    </div>
                </main>
            </div>
        }
        .into_any();
    }

    view! {
        <div class="app" data-testid="app" data-theme=move || if dark.get() { "dark" } else { "light" }>
            <header class="topbar">
                <h1>"Rollout Lab"</h1>
                <span class="tagline">{move || t("tagline", lang())}</span>
                <Clock/>
                <Timeline/>
                <div class="topbar-tools">
                    <button
                        class="tool"
                        data-testid="lang"
                        title=move || t("lang.title", lang())
                        on:click=move |_| page.lang.update(|l| *l = l.other())
                    >
                        {move || page.lang.get().other().label()}
                    </button>
                    <button
                        class="tool"
                        data-testid="theme"
                        title=move || t("theme.title", lang())
                        on:click=move |_| dark.update(|d| *d = !*d)
                    >
                        {move || if dark.get() { "☀" } else { "☾" }}
                    </button>
                </div>
            </header>
            <main
                class="panels with-lesson"
                class:maximised=move || layout.maximised.get().is_some()
                style=move || layout.style()
                node_ref=layout.grid()
                on:keydown=move |ev| layout.on_keydown(&ev)
            >
                <div class="column lesson-column">
                    <Pane id=PaneId::Lesson><LessonPanel/></Pane>
                </div>
                <Splitter split=Split::Lesson/>
                <div class="column left">
                    <Pane id=PaneId::Editor><Editor/></Pane>
                    <Pane id=PaneId::Events><EventsPanel/></Pane>
                </div>
                <Splitter split=Split::Left/>
                <div class="column right">
                    <Pane id=PaneId::Cluster><ClusterView/></Pane>
                    <Pane id=PaneId::Traffic><TrafficPanel/></Pane>
                </div>
                <Splitter split=Split::Top/>
                <div class="column bottom">
                    <Pane id=PaneId::Terminal><Terminal/></Pane>
                </div>
            </main>
        </div>
    }
    .into_any()
}
