//! The page that embeds the lab in an iframe (a course page), spoken to with `postMessage`:
//! the lab tells it when it is ready and how the learner progresses, and takes a few
//! commands from it. Both ways are bound to one origin, the host's: `?host-origin=`, else the
//! origin of the page that framed the lab (`document.referrer`). Messages from any other
//! origin or window are ignored. The protocol is docs/embedding.md.

use leptos::prelude::*;
use rollout_kubectl::lesson;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::js_sys::{Array, Object, Reflect};

use super::i18n::parse_lang;
use super::lesson_files::add_lesson;
use super::load_failure::{LoadFailure, LoadProblem};
use super::page::Page;
use super::params::UrlParams;
use super::work::{LessonSource, Work};

/// What the host may ask, as `{type: "open-lesson", …}`.
enum HostMessage {
    /// Opens a lesson the lab knows (built in, beside the bundle, or loaded), at `step` (1-based).
    OpenLesson {
        lesson: String,
        step: Option<usize>,
    },
    /// Starts the current lesson again at step `step` (1-based): earlier steps' commands run.
    GoToStep {
        step: usize,
    },
    SetLanguage {
        lang: String,
    },
    /// Starts the current lesson again.
    Reset,
    /// A lesson file's text, checked like any other, then opened.
    LoadLesson {
        text: String,
    },
}

/// Steps beyond any lesson's; a larger number is clamped to the last step anyway.
const MAX_STEP: f64 = 1_000.0;

impl HostMessage {
    /// Reads a message's data; `None` for anything else (another script's messages).
    fn read(data: &JsValue) -> Option<HostMessage> {
        let text = |name: &str| {
            Reflect::get(data, &JsValue::from_str(name))
                .ok()
                .and_then(|v| v.as_string())
        };
        let step = || {
            Reflect::get(data, &JsValue::from_str("step"))
                .ok()
                .and_then(|v| v.as_f64())
                .filter(|n| n.fract() == 0.0 && (1.0..=MAX_STEP).contains(n))
                .map(|n| n as usize)
        };
        Some(match text("type")?.as_str() {
            "open-lesson" => HostMessage::OpenLesson {
                lesson: text("lesson")?,
                step: step(),
            },
            "go-to-step" => HostMessage::GoToStep { step: step()? },
            "set-language" => HostMessage::SetLanguage {
                lang: text("lang")?,
            },
            "reset" => HostMessage::Reset,
            "load-lesson" => HostMessage::LoadLesson {
                text: text("text")?,
            },
            _ => return None,
        })
    }
}

/// A message for the host: `{type: kind, …fields}`.
fn message(kind: &str, fields: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    _ = Reflect::set(&object, &"type".into(), &kind.into());
    for (name, value) in fields {
        _ = Reflect::set(&object, &(*name).into(), value);
    }
    object.into()
}

/// The origin of `url` (`https://host:port`), for http(s) URLs.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    (!host.is_empty()).then(|| format!("{scheme}://{host}"))
}

/// The host's origin, when the lab runs in a frame.
fn host_origin(params: &UrlParams) -> Option<String> {
    let window = window();
    let parent = window.parent().ok().flatten()?;
    if Object::is(&parent, &window) {
        return None;
    }
    match &params.host_origin {
        Some(origin) => origin_of(origin),
        None => origin_of(&document().referrer()),
    }
}

/// Sends `message` to the host; the browser drops it unless the host has `origin`.
fn post(origin: &str, message: &JsValue) {
    if let Ok(Some(parent)) = window().parent() {
        _ = parent.post_message(message, origin);
    }
}

fn lesson_id(work: &Work, index: Option<usize>) -> Option<String> {
    let index = index?;
    work.lessons
        .with_value(|ls| ls.get(index).map(|l| l.id.clone()))
}

/// Connects the lab to its host, when it has one: listens to the host and tells it of the
/// learner's progress. Returns the function that announces `ready` (once the lessons from
/// outside the build are known).
pub fn connect(page: Page, work: Work, params: &UrlParams) -> Option<impl Fn()> {
    let origin = host_origin(params)?;
    listen(page, work, origin.clone());
    // The state last reported to the host; nothing is reported before `ready`.
    let reported = StoredValue::new(None::<(Option<usize>, Vec<bool>)>);
    report_progress(page, work, origin.clone(), reported);
    Some(move || {
        reported.set_value(Some((
            work.current.get_untracked(),
            work.done.get_untracked(),
        )));
        let lessons: Vec<String> = work
            .lessons
            .with_value(|ls| ls.iter().map(|l| l.id.clone()).collect());
        let lesson = lesson_id(&work, work.current.get_untracked());
        post(
            &origin,
            &message(
                "ready",
                &[
                    (
                        "lesson",
                        lesson.as_deref().map_or(JsValue::NULL, JsValue::from_str),
                    ),
                    (
                        "lessons",
                        lessons
                            .iter()
                            .map(|id| JsValue::from_str(id))
                            .collect::<Array>()
                            .into(),
                    ),
                ],
            ),
        );
        if let Some(lesson) = lesson {
            post(
                &origin,
                &message("lesson-started", &[("lesson", lesson.as_str().into())]),
            );
        }
    })
}

/// `lesson-started`, `step-completed` and `lesson-completed`, from the work's signals.
fn report_progress(
    page: Page,
    work: Work,
    origin: String,
    reported: StoredValue<Option<(Option<usize>, Vec<bool>)>>,
) {
    Effect::new(move |_| {
        let current = work.current.get();
        let done = work.done.get();
        let Some((before_lesson, before_done)) = reported.get_value() else {
            return;
        };
        reported.set_value(Some((current, done.clone())));
        let Some(lesson) = lesson_id(&work, current) else {
            return;
        };
        if before_lesson != current {
            // A fresh start: steps already green (started at a later step) were not earned.
            post(
                &origin,
                &message("lesson-started", &[("lesson", lesson.as_str().into())]),
            );
            return;
        }
        let time_ms = page.read(|s| s.lab.now().0).unwrap_or(0);
        for (index, now_done) in done.iter().enumerate() {
            if *now_done && !before_done.get(index).copied().unwrap_or(false) {
                let step = work.lessons.with_value(|ls| {
                    ls.get(current.unwrap_or(0))
                        .and_then(|l| l.steps.get(index))
                        .map(|s| s.id_or(index + 1))
                });
                post(
                    &origin,
                    &message(
                        "step-completed",
                        &[
                            ("lesson", lesson.as_str().into()),
                            (
                                "step",
                                step.as_deref().map_or(JsValue::NULL, JsValue::from_str),
                            ),
                            ("number", JsValue::from_f64((index + 1) as f64)),
                            ("virtual_time_ms", JsValue::from_f64(time_ms as f64)),
                        ],
                    ),
                );
            }
        }
        let all = |d: &[bool]| !d.is_empty() && d.iter().all(|x| *x);
        if all(&done) && !all(&before_done) {
            post(
                &origin,
                &message(
                    "lesson-completed",
                    &[
                        ("lesson", lesson.as_str().into()),
                        ("virtual_time_ms", JsValue::from_f64(time_ms as f64)),
                    ],
                ),
            );
        }
    });
}

fn listen(page: Page, work: Work, origin: String) {
    let handler = Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
        let field = |name: &str| Reflect::get(&event, &JsValue::from_str(name)).ok();
        let from_host = field("origin").and_then(|o| o.as_string()).as_deref() == Some(&origin)
            && field("source").is_some_and(|source| {
                window()
                    .parent()
                    .ok()
                    .flatten()
                    .is_some_and(|parent| Object::is(&source, &parent))
            });
        if !from_host {
            return;
        }
        // Not ours (another script's message): ignored, as the host may talk to others.
        let Some(message) = field("data").as_ref().and_then(HostMessage::read) else {
            return;
        };
        act(page, work, &origin, message);
    });
    _ = window().add_event_listener_with_callback("message", handler.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    handler.forget();
}

fn refuse(origin: &str, why: String) {
    post(
        origin,
        &message("error", &[("message", why.as_str().into())]),
    );
}

fn act(page: Page, work: Work, origin: &str, message: HostMessage) {
    // `Work::start` keeps the step within the lesson (once a built-in one's file is read).
    let start = |index: Option<usize>, step: usize| work.start(&page, index, step);
    match message {
        HostMessage::OpenLesson { lesson, step } => {
            match work
                .lessons
                .with_value(|ls| ls.iter().position(|l| l.id == lesson))
            {
                Some(index) => start(Some(index), step.unwrap_or(1).saturating_sub(1)),
                None => refuse(origin, format!("no lesson {lesson:?}")),
            }
        }
        HostMessage::GoToStep { step } => {
            start(work.current.get_untracked(), step.saturating_sub(1))
        }
        HostMessage::SetLanguage { lang } => match parse_lang(&lang) {
            Some(lang) => page.lang.set(lang),
            None => refuse(origin, format!("no language {lang:?}")),
        },
        HostMessage::Reset => start(
            work.current.get_untracked(),
            work.start_step.get_untracked(),
        ),
        HostMessage::LoadLesson { text } => {
            // The code that reads lessons is a module of its own: fetched, then this again.
            let Some(code) = lesson::page::loaded() else {
                let origin = origin.to_string();
                leptos::task::spawn_local(async move {
                    match lesson::page::load().await {
                        Ok(_) => act(page, work, &origin, HostMessage::LoadLesson { text }),
                        Err(why) => refuse(&origin, LoadProblem::NoLessonCode(why).to_string()),
                    }
                });
                return;
            };
            match (code.parse)(&text)
                .map_err(LoadProblem::Invalid)
                .and_then(|lesson| add_lesson(&work, lesson, LessonSource::Posted(text.clone())))
            {
                Ok(index) => start(Some(index), 0),
                Err(why) => {
                    refuse(origin, why.to_string());
                    work.load_failures.update(|f| {
                        f.push(LoadFailure {
                            source: "load-lesson".to_string(),
                            why,
                        })
                    });
                }
            }
        }
    }
}
