//! The work around the lessons: which lesson runs, which steps turned green, starting a
//! lesson (from the URL, a save or a shared link), saving. The panels read it as a context.

use std::time::Duration as StdDuration;

use leptos::prelude::*;
use rollout_kubectl::lab::Lab;
use rollout_kubectl::lesson::{self, CheckResult, Lesson};

use super::data::{fetch_wanted_by, wanted_by};
use super::explanations::Lang;
use super::i18n::{lang_code, parse_lang, t};
use super::lesson_fetch::ensure_loaded;
use super::load_failure::LoadFailure;
use super::page::Page;
use super::params::{
    browser_lang, clear_fragment, percent_encode, storage_get, storage_remove, storage_set,
    UrlParams,
};
use super::save::{LoadError, LogEvent, SavedWork, STORAGE_KEY, VERSION};

/// How often the page saves its work (when it changed).
const SAVE_EVERY: StdDuration = StdDuration::from_millis(700);

/// The lesson being followed and the page's work around it. Provided as a context.
#[derive(Clone, Copy)]
pub struct Work {
    pub lessons: StoredValue<Vec<Lesson>>,
    /// How many lessons from outside the build were added to `lessons` (the picker tracks it).
    pub lessons_added: RwSignal<usize>,
    /// The lessons from outside the build that could not be used, and why.
    pub load_failures: RwSignal<Vec<LoadFailure>>,
    /// Index into `lessons`; `None` is the sandbox.
    pub current: RwSignal<Option<usize>>,
    /// The step (0-based) the lesson started at; the commands of earlier steps ran first.
    pub start_step: RwSignal<usize>,
    /// Which steps turned green. A step stays green once its checks held.
    pub done: RwSignal<Vec<bool>>,
    /// A message about saved or shared work that could not be used.
    pub notice: RwSignal<Option<String>>,
    /// The last link "Share" made, and whether it reached the clipboard.
    pub share: RwSignal<Option<Shared>>,
    /// The sandbox's first-visit welcome shows in the terminal (see [`decide_welcome`]).
    pub welcome: RwSignal<bool>,
    pub seed: u64,
    /// Saved to localStorage (the real page; not the component tests).
    pub persist: bool,
    /// Where each lesson from outside the build came from, by id (author mode reads its file
    /// again; a built-in lesson's file is known from `lesson::CATALOG`).
    pub sources: StoredValue<Vec<(String, LessonSource)>>,
    /// `?author=1`, once author mode's code is loaded: the lesson file shows beside the lab
    /// (`author`).
    pub author: RwSignal<bool>,
}

/// Where a lesson from outside the build was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LessonSource {
    /// A file beside the bundle or at `?lesson-url=`, relative to the page or absolute.
    Url(String),
    /// The text a course page posted (`load-lesson`).
    Posted(String),
}

/// What the page starts from.
pub struct Start {
    pub lab: Lab,
    /// The seed `lab` was made with.
    pub seed: u64,
    pub events: Vec<LogEvent>,
    pub lesson: Option<usize>,
    pub start_step: usize,
    pub done: Vec<bool>,
    pub lang: Lang,
    pub notice: Option<String>,
}

fn lesson_index(lessons: &[Lesson], id: Option<&str>) -> Option<usize> {
    let id = id?;
    lessons.iter().position(|l| l.id == id)
}

/// A lab at the start of `lesson`'s step `start_step`: the earlier steps' commands ran.
pub fn lesson_lab(lessons: &[Lesson], lesson: Option<usize>, start_step: usize, seed: u64) -> Lab {
    match (lesson.and_then(|i| lessons.get(i)), lesson::page::loaded()) {
        (Some(l), Some(code)) => (code.lab_at_step)(l, start_step, seed),
        // A lesson is read by the lesson code, so it is here whenever a lesson is.
        _ => Lab::new(seed),
    }
}

/// The lines whose modules and data the page fetches before it starts `lesson`: those
/// [`lesson_lab`] runs (its setup commands and the commands of its steps before
/// `start_step`), and its steps' shell checks.
pub fn lesson_lines(lessons: &[Lesson], lesson: Option<usize>, start_step: usize) -> Vec<String> {
    lesson
        .and_then(|i| lessons.get(i))
        .map(|l| {
            l.setup
                .commands
                .iter()
                .chain(
                    l.steps
                        .iter()
                        .take(start_step)
                        .flat_map(|step| step.commands.iter()),
                )
                // Every step's shell checks too: they run in the lab's shell with no line
                // typed (a check piping into grep wants the text tools' module).
                .chain(l.steps.iter().flat_map(|step| {
                    step.check.iter().filter_map(|check| match check {
                        rollout_kubectl::lesson::Check::Shell(command) => Some(command),
                        _ => None,
                    })
                }))
                .flat_map(|command| command.lines())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn fresh_done(lessons: &[Lesson], lesson: Option<usize>, start_step: usize) -> Vec<bool> {
    let steps = lesson
        .and_then(|i| lessons.get(i))
        .map_or(0, |l| l.steps.len());
    (0..steps).map(|i| i < start_step).collect()
}

/// Decides where the page starts: a shared link, else the saved work (when it is for the
/// lesson in the URL), else the URL's lesson and step. A save that cannot be read is moved
/// aside to `rollout-lab/corrupt-<time>`.
pub fn decide_start(lessons: &[Lesson], params: &UrlParams, seed: u64, persist: bool) -> Start {
    let mut notice = None;
    let url_lang = params.lang;
    let default_lang = url_lang.or_else(browser_lang).unwrap_or_default();
    let mut saved: Option<SavedWork> = None;

    if let Some(fragment) = &params.share {
        match SavedWork::from_fragment(fragment) {
            Ok(work) => saved = Some(work),
            Err(_) => notice = Some(t("share.bad", default_lang).to_string()),
        }
        clear_fragment();
    } else if persist && params.step.is_none() {
        if let Some(text) = storage_get(STORAGE_KEY) {
            match SavedWork::from_json(&text) {
                Ok(work) if params.lesson.is_none() || params.lesson == work.lesson => {
                    saved = Some(work)
                }
                Ok(_) => {}
                Err(error) => {
                    let key = format!("rollout-lab/corrupt-{}", js_now() as u64);
                    storage_set(&key, &text);
                    storage_remove(STORAGE_KEY);
                    let template = match error {
                        LoadError::Corrupt(_) => t("save.corrupt", default_lang),
                        LoadError::OldFormat(_) => t("save.old", default_lang),
                    };
                    notice = Some(template.replace("{key}", &key));
                }
            }
        }
    }

    if let Some(work) = saved {
        let lesson = lesson_index(lessons, work.lesson.as_deref());
        let steps = lesson
            .and_then(|i| lessons.get(i))
            .map_or(0, |l| l.steps.len());
        let start_step = work.start_step.min(steps);
        let mut done = work.done.clone();
        done.resize(steps, false);
        return Start {
            lab: lesson_lab(lessons, lesson, start_step, work.seed),
            seed: work.seed,
            events: work.events,
            lesson,
            start_step,
            done,
            lang: url_lang
                .or_else(|| parse_lang(&work.lang))
                .unwrap_or(default_lang),
            notice,
        };
    }

    let lesson = lesson_index(lessons, params.lesson.as_deref());
    let steps = lesson
        .and_then(|i| lessons.get(i))
        .map_or(0, |l| l.steps.len());
    let start_step = params
        .step
        .map_or(0, |n| (n - 1).min(steps.saturating_sub(1)));
    Start {
        lab: lesson_lab(lessons, lesson, start_step, seed),
        seed,
        events: Vec::new(),
        lesson,
        start_step,
        done: fresh_done(lessons, lesson, start_step),
        lang: default_lang,
        notice,
    }
}

/// Where localStorage remembers that the welcome was shown.
pub const WELCOMED_KEY: &str = "rollout-lab/welcomed";

/// The welcome shows on the first visit to a fresh sandbox, once: the page remembers it.
fn decide_welcome(start: &Start, persist: bool) -> bool {
    let first = persist
        && start.lesson.is_none()
        && start.events.is_empty()
        && storage_get(WELCOMED_KEY).is_none();
    if first {
        storage_set(WELCOMED_KEY, "1");
    }
    first
}

fn js_now() -> f64 {
    js_sys_date_now()
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn js_sys_date_now() -> f64;
}

impl Work {
    pub fn new(start: &Start, lessons: Vec<Lesson>, seed: u64, persist: bool) -> Work {
        Work {
            lessons: StoredValue::new(lessons),
            lessons_added: RwSignal::new(0),
            load_failures: RwSignal::new(Vec::new()),
            current: RwSignal::new(start.lesson),
            start_step: RwSignal::new(start.start_step),
            done: RwSignal::new(start.done.clone()),
            notice: RwSignal::new(start.notice.clone()),
            share: RwSignal::new(None),
            welcome: RwSignal::new(decide_welcome(start, persist)),
            seed,
            persist,
            sources: StoredValue::new(Vec::new()),
            author: RwSignal::new(false),
        }
    }

    /// Where the lesson at `index` was read from: a built-in lesson's file beside the bundle,
    /// or what [`Self::sources`] recorded.
    pub fn source_of(&self, index: usize) -> Option<LessonSource> {
        let id = self
            .lessons
            .with_value(|ls| ls.get(index).map(|l| l.id.clone()))?;
        let recorded = self.sources.with_value(|sources| {
            sources
                .iter()
                .rev()
                .find(|(of, _)| *of == id)
                .map(|(_, source)| source.clone())
        });
        recorded.or_else(|| {
            lesson::catalog_entry(&id)
                .map(|entry| LessonSource::Url(format!("lessons/{}", entry.file)))
        })
    }

    /// Whether the current lesson's settings show the panel called `name`.
    pub fn shows_panel(&self, name: &str) -> bool {
        let Some(index) = self.current.get() else {
            return true;
        };
        self.lessons
            .with_value(|ls| ls.get(index).is_none_or(|l| l.settings.shows(name)))
    }

    /// The clock speed the current lesson asks for.
    pub fn lesson_speed(&self) -> Option<u32> {
        let index = self.current.get_untracked()?;
        self.lessons
            .with_value(|ls| ls.get(index).and_then(|l| l.settings.speed))
    }

    /// The record of the work so far (what is saved and shared).
    pub fn saved(&self, page: &Page) -> Option<SavedWork> {
        // Until the lab's code is here, the saved session has not been replayed yet: saving
        // now would replace it with an empty one.
        let events = page.read(|s| (!s.starting).then(|| s.log.clone()))??;
        let lesson = self.current.try_get_untracked()?.and_then(|i| {
            self.lessons
                .try_with_value(|ls| ls.get(i).map(|l| l.id.clone()))
                .flatten()
        });
        Some(SavedWork {
            v: VERSION,
            seed: self.seed,
            lesson,
            start_step: self.start_step.try_get_untracked()?,
            done: self.done.try_get_untracked()?,
            lang: lang_code(page.lang.try_get_untracked()?).to_string(),
            events,
        })
    }

    /// Starts `lesson` (or the sandbox) afresh at `start_step` (at most its last step), once
    /// its file (a built-in lesson's, on first use) and what its earlier steps' commands wait
    /// for (an add-on's module) have been fetched.
    pub fn start(&self, page: &Page, lesson: Option<usize>, start_step: usize) {
        if !self.start_waits(lesson, start_step) {
            let start_step = self.clamped_step(lesson, start_step);
            return self.start_now(page, lesson, start_step);
        }
        let (work, page) = (*self, *page);
        leptos::task::spawn_local(
            async move { work.start_when_ready(&page, lesson, start_step).await },
        );
    }

    /// Starts a lesson as [`Work::start`] does, and returns once it has started: after its
    /// file (a built-in lesson's is read when it first opens) and whatever its lines need
    /// (help texts, a module) arrived. The course page hears `ready` only then.
    pub async fn start_when_ready(&self, page: &Page, lesson: Option<usize>, start_step: usize) {
        if let Some(index) = lesson.filter(|&i| self.is_stub(i)) {
            if !ensure_loaded(self.lessons, self.load_failures, index).await {
                return;
            }
        }
        let start_step = self.clamped_step(lesson, start_step);
        let lines = self
            .lessons
            .with_value(|ls| lesson_lines(ls, lesson, start_step));
        if lines.iter().any(|line| wanted_by(line)) {
            fetch_wanted_by(lines.iter().map(String::as_str)).await;
        }
        self.start_now(page, lesson, start_step);
    }

    /// Whether starting this lesson must first fetch something: its file, or what one of
    /// its lines needs.
    fn start_waits(&self, lesson: Option<usize>, start_step: usize) -> bool {
        if lesson.is_some_and(|i| self.is_stub(i)) {
            return true;
        }
        let start_step = self.clamped_step(lesson, start_step);
        self.lessons
            .with_value(|ls| lesson_lines(ls, lesson, start_step))
            .iter()
            .any(|line| wanted_by(line))
    }

    fn is_stub(&self, index: usize) -> bool {
        self.lessons
            .with_value(|ls| ls.get(index).is_some_and(Lesson::is_stub))
    }

    fn clamped_step(&self, lesson: Option<usize>, start_step: usize) -> usize {
        let steps = lesson.map_or(0, |i| {
            self.lessons
                .with_value(|ls| ls.get(i).map_or(0, |l| l.steps.len()))
        });
        start_step.min(steps.saturating_sub(1))
    }

    fn start_now(&self, page: &Page, lesson: Option<usize>, start_step: usize) {
        let (lab, done) = self.lessons.with_value(|ls| {
            (
                lesson_lab(ls, lesson, start_step, self.seed),
                fresh_done(ls, lesson, start_step),
            )
        });
        page.act(|s| s.restart(lab));
        self.current.set(lesson);
        if let Some(speed) = self.lesson_speed() {
            page.act(|s| s.set_speed(speed));
        }
        self.start_step.set(start_step);
        self.done.set(done);
        self.share.set(None);
        self.welcome.set(false);
        let id = lesson.and_then(|i| {
            self.lessons
                .with_value(|ls| ls.get(i).map(|l| l.id.clone()))
        });
        if self.persist {
            set_url_lesson(id.as_deref());
        }
    }

    /// Marks the current step green when all its checks hold, and the steps after it while
    /// theirs hold too. Only steps that are not green yet are evaluated, in order, so this is
    /// cheap enough for every tick.
    pub fn check_current(&self, page: &Page) {
        // The signal is set after the session is read, not while it is.
        // The placeholder lab the page shows while the lab's code loads proves nothing (lines
        // wait then, so `check_lab` is not called either).
        if let Some(done) = page
            .read(|s| (!s.starting).then(|| self.steps_passed(&s.lab)))
            .flatten()
            .flatten()
        {
            self.done.try_set(done);
        }
    }

    /// [`Self::check_current`] against `lab`: also called just before each queued line
    /// starts, so a step is judged on the state its commands reached even when the next
    /// step's commands were clicked before they finished.
    pub fn check_lab(&self, lab: &Lab) {
        if let Some(done) = self.steps_passed(lab) {
            self.done.try_set(done);
        }
    }

    /// The steps that are green once `lab`'s state is judged, when that turns any green.
    fn steps_passed(&self, lab: &Lab) -> Option<Vec<bool>> {
        let index = self.current.try_get_untracked()??;
        let mut done = self.done.try_get_untracked()?;
        let mut changed = false;
        while let Some(step) = done.iter().position(|d| !d) {
            let passed = self
                .lessons
                .try_with_value(|ls| {
                    let step = ls.get(index)?.steps.get(step)?;
                    // The lesson code came with the lesson's file.
                    let code = lesson::page::loaded()?;
                    Some(
                        step.check
                            .iter()
                            .all(|c| (code.evaluate)(c, lab) == CheckResult::Pass),
                    )
                })
                .flatten()
                .unwrap_or(false);
            if !passed {
                break;
            }
            done[step] = true;
            changed = true;
        }
        changed.then_some(done)
    }
}

/// Puts `?lesson=ID` in the address bar (keeping the other parameters), so a reload opens
/// the same lesson.
fn set_url_lesson(id: Option<&str>) {
    let location = window().location();
    let search = location.search().unwrap_or_default();
    let mut pairs: Vec<String> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("lesson=") && !p.starts_with("step="))
        .map(str::to_string)
        .collect();
    if let Some(id) = id {
        pairs.insert(0, format!("lesson={}", percent_encode(id)));
    }
    let path = location.pathname().unwrap_or_default();
    let url = if pairs.is_empty() {
        path
    } else {
        format!("{path}?{}", pairs.join("&"))
    };
    if let Ok(history) = window().history() {
        _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Saves the work every [`SAVE_EVERY`] when it changed, and evaluates the current step's
/// checks whenever the cluster or the clock moves. Stops when the page goes away.
pub fn start_work_driver(page: Page, work: Work) {
    page.act(|s| {
        s.before_line = Some(std::rc::Rc::new(move |lab: &Lab| work.check_lab(lab)));
    });
    Effect::new(move |_| {
        page.model.track();
        page.clock_ms.track();
        work.check_current(&page);
    });
    // `<html lang>` follows the toggle, so the browser picks Chinese fonts and line breaks.
    Effect::new(move |_| {
        let code = lang_code(page.lang.get());
        if let Some(root) = document().document_element() {
            _ = root.set_attribute("lang", code);
        }
    });
    if !work.persist {
        return;
    }
    let last = StoredValue::new(String::new());
    let handle = set_interval_with_handle(
        move || {
            let Some(saved) = work.saved(&page) else {
                return;
            };
            let json = saved.to_json();
            if last.try_with_value(|l| *l != json).unwrap_or(false) {
                storage_set(STORAGE_KEY, &json);
                last.try_set_value(json);
            }
        },
        SAVE_EVERY,
    );
    if let Ok(handle) = handle {
        on_cleanup(move || handle.clear());
    }
}

/// Where copying the link stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyState {
    /// The browser has not answered yet.
    Pending,
    Done,
    /// The browser refused: the field is the way to copy.
    Refused,
}

/// The last link "Share" made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shared {
    pub url: String,
    pub copy: CopyState,
}
