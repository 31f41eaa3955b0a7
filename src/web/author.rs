//! Author mode (`?author=1`): the lesson file beside the running lab. The file is read from
//! where the lesson came from (a built-in lesson's file beside the bundle, the author's own
//! in `lessons/`, `?lesson-url=`), can be edited in place, and is checked and reloaded on
//! "Check and reload" (Ctrl+S), or when the file itself changes (the author saved it in their
//! own editor). Below it, every step's checks against the lab as it is now: which hold, and
//! for those that do not, what they found against what they want.

use std::time::Duration as StdDuration;

use leptos::prelude::*;
use rollout_kubectl::lesson::{Check, CheckResult, Lesson};

use super::fetch::fetch_text;
use super::i18n::{t, tf};
use super::lesson_files::add_lesson;
use super::page::Page;
use super::work::{LessonSource, Work};

/// How often the checks are judged again, and the file is read again while watched.
const CHECK_EVERY: StdDuration = StdDuration::from_millis(1000);
const READ_EVERY: StdDuration = StdDuration::from_millis(2000);

/// One check of one step, as the panel lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct CheckRow {
    step: usize,
    /// The check as the file writes it (one-key JSON).
    wants: String,
    result: CheckResult,
}

/// The author panel's state.
#[derive(Clone, Copy)]
struct Author {
    /// Where the current lesson's file is read from, when it has one.
    url: RwSignal<Option<String>>,
    /// The file as it stands in the panel.
    text: RwSignal<String>,
    /// The file as last read from `url`: a different answer is a save in the author's editor.
    read: StoredValue<Option<String>>,
    /// What the last "check and reload" found wrong (one problem per line).
    problems: RwSignal<Vec<String>>,
    /// What the last reload did.
    status: RwSignal<Option<String>>,
    /// Whether the file is read again every [`READ_EVERY`].
    watch: RwSignal<bool>,
    checks: RwSignal<Vec<CheckRow>>,
    /// How many reads were made: a cache-busting query for the next one.
    reads: StoredValue<u32>,
    /// The id of the lesson whose file shows (`None` before the first; `Some(None)`: the
    /// sandbox's).
    shows: StoredValue<Option<Option<String>>>,
}

/// `url` with a query that no cache has an answer for.
fn fresh(url: &str, n: u32) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}author-read={n}")
}

/// A value in YAML's flow style (`{selector: app=web, ready: 3}`); fields left out (null)
/// are not shown.
fn flow(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Object(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| format!("{k}: {}", flow(v)))
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(flow).collect();
            format!("[{}]", items.join(", "))
        }
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// `check` as the file writes it: a one-key map, its key without braces.
fn check_text(check: &Check) -> String {
    match serde_json::to_value(check) {
        Ok(serde_json::Value::Object(map)) if map.len() == 1 => map
            .iter()
            .map(|(k, v)| format!("{k}: {}", flow(v)))
            .collect(),
        Ok(other) => flow(&other),
        Err(_) => String::new(),
    }
}

/// Every check of every step of `lesson`, judged against `page`'s lab.
fn judge(page: &Page, lesson: &Lesson) -> Vec<CheckRow> {
    page.read(|s| {
        lesson
            .steps
            .iter()
            .enumerate()
            .flat_map(|(step, st)| st.check.iter().map(move |check| (step, check)))
            .map(|(step, check): (usize, &Check)| CheckRow {
                step,
                wants: check_text(check),
                result: check.evaluate(&s.lab),
            })
            .collect()
    })
    .unwrap_or_default()
}

impl Author {
    fn new() -> Author {
        Author {
            url: RwSignal::new(None),
            text: RwSignal::new(String::new()),
            read: StoredValue::new(None),
            problems: RwSignal::new(Vec::new()),
            status: RwSignal::new(None),
            watch: RwSignal::new(true),
            checks: RwSignal::new(Vec::new()),
            reads: StoredValue::new(0),
            shows: StoredValue::new(None),
        }
    }

    /// Shows the file of the lesson at `index` (or an empty one in the sandbox).
    fn open(self, work: Work, index: Option<usize>) {
        self.problems.set(Vec::new());
        self.status.set(None);
        self.read.set_value(None);
        match index.and_then(|i| work.source_of(i)) {
            Some(LessonSource::Url(url)) => {
                self.url.set(Some(url));
                self.text.set(String::new());
                leptos::task::spawn_local(async move { self.read_file(None).await });
            }
            Some(LessonSource::Posted(text)) => {
                self.url.set(None);
                self.text.set(text);
            }
            None => {
                self.url.set(None);
                self.text.set(String::new());
            }
        }
    }

    /// Reads the file again; when it changed since the last read (or on the first), shows it,
    /// and reloads the lesson when `reload` is given.
    async fn read_file(self, reload: Option<(Page, Work)>) {
        let Some(url) = self.url.get_untracked() else {
            return;
        };
        let n = self.reads.get_value();
        self.reads.set_value(n.wrapping_add(1));
        match fetch_text(&fresh(&url, n)).await {
            Ok(text) => {
                if self
                    .read
                    .with_value(|r| r.as_deref() == Some(text.as_str()))
                {
                    return;
                }
                let first = self.read.with_value(Option::is_none);
                self.read.set_value(Some(text.clone()));
                self.text.set(text);
                if let (false, Some((page, work))) = (first, reload) {
                    self.reload(page, work);
                }
            }
            Err(why) => self.status.set(Some(format!("{url} {why}"))),
        }
    }

    /// Checks the panel's text as strictly as any lesson file; when it is valid, puts it in
    /// place of the current lesson (or adds it, from the sandbox) and starts it again at the
    /// step the author had reached.
    fn reload(self, page: Page, work: Work) {
        let lang = page.lang.get_untracked();
        let text = self.text.get_untracked();
        let lesson = match Lesson::parse(&text) {
            Ok(lesson) => lesson,
            Err(err) => {
                self.problems
                    .set(err.0.iter().map(ToString::to_string).collect());
                self.status
                    .set(Some(tf("author.invalid", lang, &[("n", &err.0.len())])));
                return;
            }
        };
        let current = work.current.get_untracked();
        let taken = work.lessons.with_value(|ls| {
            ls.iter()
                .enumerate()
                .any(|(i, l)| l.id == lesson.id && Some(i) != current)
        });
        if taken {
            self.problems.set(vec![format!(
                "id: {:?} is the id of another lesson",
                lesson.id
            )]);
            self.status
                .set(Some(tf("author.invalid", lang, &[("n", &1)])));
            return;
        }
        self.problems.set(Vec::new());
        let summary = tf(
            "author.reloaded",
            lang,
            &[("id", &lesson.id), ("n", &lesson.steps.len())],
        );
        let reached = work
            .done
            .with_untracked(|d| d.iter().position(|x| !x).unwrap_or(d.len()));
        // The lesson is now this text: the panel keeps showing it, under its (new) id.
        self.shows.set_value(Some(Some(lesson.id.clone())));
        let source = match self.url.get_untracked() {
            Some(url) => LessonSource::Url(url),
            None => LessonSource::Posted(text),
        };
        let index = match current {
            Some(index) => {
                let id = lesson.id.clone();
                work.lessons.update_value(|ls| {
                    if let Some(slot) = ls.get_mut(index) {
                        *slot = lesson;
                    }
                });
                work.sources.update_value(|s| s.push((id, source)));
                // The picker lists the titles again.
                work.lessons_added.update(|_| {});
                index
            }
            None => match add_lesson(&work, lesson, source) {
                Ok(index) => index,
                Err(why) => {
                    self.problems.set(vec![why.to_string()]);
                    return;
                }
            },
        };
        work.start(&page, Some(index), reached);
        self.status.set(Some(summary));
    }
}

/// The author panel: the lesson file, its problems, and the checks as they stand.
#[component]
pub fn AuthorPanel() -> impl IntoView {
    let page = expect_context::<Page>();
    let work = expect_context::<Work>();
    let author = Author::new();
    let lang = move || page.lang.get();

    // The file follows the lesson that is open; a reload of the same lesson keeps the text.
    Effect::new(move |_| {
        let index = work.current.get();
        let id = index.and_then(|i| {
            work.lessons
                .with_value(|ls| ls.get(i).map(|l| l.id.clone()))
        });
        if author.shows.get_value().as_ref() != Some(&id) {
            author.shows.set_value(Some(id));
            author.open(work, index);
        }
    });

    let judge_now = move || {
        let rows = work
            .current
            .get_untracked()
            .and_then(|i| {
                work.lessons
                    .with_value(|ls| ls.get(i).map(|l| judge(&page, l)))
            })
            .unwrap_or_default();
        author.checks.try_set(rows);
    };
    if let Ok(handle) = set_interval_with_handle(judge_now, CHECK_EVERY) {
        on_cleanup(move || handle.clear());
    }
    let watch = move || {
        if author.watch.get_untracked() && author.url.get_untracked().is_some() {
            leptos::task::spawn_local(author.read_file(Some((page, work))));
        }
    };
    if let Ok(handle) = set_interval_with_handle(watch, READ_EVERY) {
        on_cleanup(move || handle.clear());
    }

    let apply = move || author.reload(page, work);
    let keydown = move |ev: web_sys::KeyboardEvent| {
        if (ev.ctrl_key() || ev.meta_key()) && ev.key().eq_ignore_ascii_case("s") {
            ev.prevent_default();
            apply();
        }
    };

    let checks = move || {
        let lang = lang();
        author
            .checks
            .get()
            .into_iter()
            .map(|row| {
                let (holds, why) = match row.result {
                    CheckResult::Pass => (true, t("author.holds", lang).to_string()),
                    CheckResult::Fail(why) => (false, why),
                };
                view! {
                    <li class="author-check" class:holds=holds data-testid="author-check" data-holds=holds.to_string() data-step=(row.step + 1).to_string()>
                        <span class="step-check">{if holds { "✔" } else { "✘" }}</span>
                        {format!(" {} {}: ", t("lesson.step", lang), row.step + 1)}
                        <code>{row.wants}</code>
                        <span class="author-why">{format!(" — {why}")}</span>
                    </li>
                }
            })
            .collect_view()
    };

    view! {
        <details class="author-panel" data-testid="author-panel" open>
            <summary>{move || t("author.title", lang())}</summary>
            <p class="author-source" data-testid="author-source">
                {move || match author.url.get() {
                    Some(url) => url,
                    None => t("author.no_file", lang()).to_string(),
                }}
            </p>
            <textarea
                class="author-text"
                data-testid="author-text"
                aria-label=move || t("author.text", lang())
                spellcheck="false"
                rows="14"
                prop:value=move || author.text.get()
                on:input=move |ev| author.text.set(event_target_value(&ev))
                on:keydown=keydown
            ></textarea>
            <div class="author-bar">
                <button class="tool" data-testid="author-apply" title="Ctrl+S" on:click=move |_| apply()>
                    {move || t("author.apply", lang())}
                </button>
                <label class="author-watch">
                    <input
                        type="checkbox"
                        data-testid="author-watch"
                        prop:checked=move || author.watch.get()
                        on:change=move |ev| author.watch.set(event_target_checked(&ev))
                    />
                    {move || t("author.watch", lang())}
                </label>
            </div>
            <p class="author-status" data-testid="author-status" role="status">{move || author.status.get()}</p>
            <ul class="author-problems" data-testid="author-problems">
                {move || author.problems.get().into_iter().map(|p| view! { <li role="alert">{p}</li> }).collect_view()}
            </ul>
            <h3 class="author-checks-title">{move || t("author.checks", lang())}</h3>
            <ul class="author-checks" data-testid="author-checks">{checks}</ul>
        </details>
    }
}

/// Fetches author mode's code (in the release page a wasm module of its own, off the first
/// download: only authors use it), then shows the panel.
pub fn start(work: Work) {
    wasm_bindgen_futures::spawn_local(async move {
        match module::load().await {
            Ok(()) => work.author.set(true),
            Err(why) => work
                .notice
                .set(Some(format!("Author mode could not be loaded: {why}"))),
        }
    });
}

/// The author panel, once its code is loaded.
pub fn panel() -> Option<AnyView> {
    module::panel()
}

#[cfg(feature = "split-modules")]
mod module {
    use std::future::Future;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::task::{Context, Poll, Waker};

    use leptos::prelude::*;
    use wasm_split_helpers::{wasm_split, SplitLoaderError};

    static LOADED: AtomicBool = AtomicBool::new(false);

    #[wasm_split(author_mode, fallible, preload(load_author_mode))]
    fn make_panel() -> Result<AnyView, SplitLoaderError> {
        Ok(view! { <super::AuthorPanel/> }.into_any())
    }

    pub async fn load() -> Result<(), String> {
        load_author_mode().await.map_err(|e| e.to_string())?;
        LOADED.store(true, Ordering::Relaxed);
        Ok(())
    }

    pub fn panel() -> Option<AnyView> {
        if !LOADED.load(Ordering::Relaxed) {
            return None;
        }
        // The module is loaded, so the call's future is ready at its first poll.
        let mut made = std::pin::pin!(make_panel());
        match made.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(Ok(panel)) => Some(panel),
            _ => None,
        }
    }
}

/// Without the split (the component tests), the code is linked in.
#[cfg(not(feature = "split-modules"))]
mod module {
    use leptos::prelude::*;

    pub async fn load() -> Result<(), String> {
        Ok(())
    }

    pub fn panel() -> Option<AnyView> {
        Some(view! { <super::AuthorPanel/> }.into_any())
    }
}
