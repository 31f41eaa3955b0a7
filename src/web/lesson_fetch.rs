//! Lesson files read from beside the bundle. The page knows the built-in lessons from
//! `lesson::CATALOG` and reads a lesson's file when it first opens, before the first paint
//! when the URL or the saved work starts in one: no lesson text is in the first download.
//! Lessons from outside the build are read the same way (`lesson_files`).

use leptos::prelude::*;
use rollout_kubectl::lesson::{self, Lesson};
use std::future::Future;
use std::task::Poll;

use super::fetch::fetch_text;
use super::load_failure::{LoadFailure, LoadProblem};
use super::params::{storage_get, UrlParams};
use super::save::{SavedWork, STORAGE_KEY};

/// A lesson at `url`, checked. The code that reads it is fetched beside the file.
pub async fn fetch_lesson(url: &str) -> Result<Lesson, LoadProblem> {
    let (text, code) = both(fetch_text(url), lesson::page::load()).await;
    let code = code.map_err(LoadProblem::NoLessonCode)?;
    (code.parse)(&text?).map_err(LoadProblem::Invalid)
}

/// Both futures' outputs, the two running at once.
async fn both<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let (mut a, mut b) = (std::pin::pin!(a), std::pin::pin!(b));
    let (mut first, mut second) = (None, None);
    std::future::poll_fn(|cx| {
        if first.is_none() {
            if let Poll::Ready(out) = a.as_mut().poll(cx) {
                first = Some(out);
            }
        }
        if second.is_none() {
            if let Poll::Ready(out) = b.as_mut().poll(cx) {
                second = Some(out);
            }
        }
        match (first.take(), second.take()) {
            (Some(x), Some(y)) => Poll::Ready((x, y)),
            (x, y) => {
                (first, second) = (x, y);
                Poll::Pending
            }
        }
    })
    .await
}

/// The built-in lesson `id`'s file, fetched and checked.
async fn fetch_built_in(id: &str) -> Option<(String, Result<Lesson, LoadProblem>)> {
    let entry = lesson::catalog_entry(id)?;
    let source = format!("lessons/{}", entry.file);
    let lesson = fetch_lesson(&source).await;
    Some((source, lesson))
}

/// Puts the fetched `lesson` in place of its stub in `lessons` (found by id); a file that
/// could not be used is a failure to show.
fn replace_stub(
    lessons: &mut [Lesson],
    (source, lesson): (String, Result<Lesson, LoadProblem>),
) -> Result<(), LoadFailure> {
    let lesson = lesson.map_err(|why| LoadFailure {
        source: source.clone(),
        why,
    })?;
    match lessons
        .iter_mut()
        .find(|l| l.id == lesson.id && l.is_stub())
    {
        Some(stub) => *stub = lesson,
        None => {
            return Err(LoadFailure {
                source,
                why: LoadProblem::DuplicateId(lesson.id),
            })
        }
    }
    Ok(())
}

/// The built-in lessons, with the file of each one the page may start in already read: the
/// URL's `?lesson=`, a shared link's and the saved work's. The failures to show with them.
pub async fn start_lessons(params: &UrlParams, persist: bool) -> (Vec<Lesson>, Vec<LoadFailure>) {
    let mut lessons = lesson::built_in();
    let mut failures = Vec::new();
    let mut wanted: Vec<String> = params.lesson.iter().cloned().collect();
    let saved = match &params.share {
        Some(fragment) => SavedWork::from_fragment(fragment).ok(),
        None if persist => storage_get(STORAGE_KEY).and_then(|t| SavedWork::from_json(&t).ok()),
        None => None,
    };
    wanted.extend(saved.and_then(|work| work.lesson));
    wanted.dedup();
    for id in wanted {
        if !lessons.iter().any(|l| l.id == id && l.is_stub()) {
            continue;
        }
        if let Some(fetched) = fetch_built_in(&id).await {
            if let Err(failure) = replace_stub(&mut lessons, fetched) {
                failures.push(failure);
            }
        }
    }
    (lessons, failures)
}

/// Reads the file of the built-in lesson at `index` of the page's list when it is still a
/// stub; whether the lesson can be started (a failure is shown in the lesson panel).
pub async fn ensure_loaded(
    lessons: StoredValue<Vec<Lesson>>,
    failures: RwSignal<Vec<LoadFailure>>,
    index: usize,
) -> bool {
    let Some(id) =
        lessons.with_value(|ls| ls.get(index).filter(|l| l.is_stub()).map(|l| l.id.clone()))
    else {
        return true;
    };
    let Some(fetched) = fetch_built_in(&id).await else {
        return false;
    };
    let mut result = Ok(());
    lessons.update_value(|ls| result = replace_stub(ls, fetched));
    match result {
        Ok(()) => true,
        Err(failure) => {
            failures.update(|f| f.push(failure));
            false
        }
    }
}
