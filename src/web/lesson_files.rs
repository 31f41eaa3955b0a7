//! Lessons from outside the build: the files an author placed beside the bundle (listed in
//! `lessons/index.json`) and the one `?lesson-url=URL` names. Fetched after the page has
//! started, so they cost the first download nothing; each is checked as strictly as a
//! built-in lesson, and one that cannot be used says why in the lesson panel.

use leptos::prelude::*;
use rollout_kubectl::lesson::{Lesson, CATALOG};
use serde::Deserialize;

use super::fetch::fetch_text;
use super::lesson_fetch::fetch_lesson;
use super::load_failure::{LoadFailure, LoadProblem};
use super::page::Page;
use super::params::UrlParams;
use super::work::{LessonSource, Work};

/// Where the page lists the lessons beside it.
const INDEX: &str = "lessons/index.json";

/// More entries than any course has; a longer list is cut here, not fetched whole.
const MAX_INDEX_ENTRIES: usize = 100;

/// `lessons/index.json`, written by the build (tools/lessons-index.mjs), extended by authors.
#[derive(Deserialize)]
struct Index {
    lessons: Vec<IndexEntry>,
}

#[derive(Deserialize)]
struct IndexEntry {
    /// A file name in `lessons/`.
    file: String,
}

fn is_lesson_file_name(name: &str) -> bool {
    name.ends_with(".yaml") && !name.contains('/') && !name.contains('\\') && !name.starts_with('.')
}

/// The author's files listed in the index: every entry not compiled into the page.
async fn lessons_beside_the_bundle() -> Vec<(String, Result<Lesson, LoadProblem>)> {
    let index = match fetch_text(INDEX).await {
        Ok(text) => text,
        // A host that serves no index simply has no lessons of its own.
        Err(_) => return Vec::new(),
    };
    let index: Index = match serde_json::from_str(&index) {
        Ok(index) => index,
        Err(err) => {
            return vec![(
                INDEX.to_string(),
                Err(LoadProblem::BadIndex(err.to_string())),
            )]
        }
    };
    let mut found = Vec::new();
    for entry in index.lessons.into_iter().take(MAX_INDEX_ENTRIES) {
        if CATALOG.iter().any(|built_in| built_in.file == entry.file) {
            continue;
        }
        let source = format!("lessons/{}", entry.file);
        if !is_lesson_file_name(&entry.file) {
            found.push((source, Err(LoadProblem::BadFileName)));
            continue;
        }
        let lesson = fetch_lesson(&source).await;
        found.push((source, lesson));
    }
    found
}

/// Adds `lesson`, read from `source`, to the page's list, unless its id is taken; its index
/// in the list.
pub fn add_lesson(work: &Work, lesson: Lesson, source: LessonSource) -> Result<usize, LoadProblem> {
    let taken = work
        .lessons
        .with_value(|ls| ls.iter().any(|l| l.id == lesson.id));
    if taken {
        return Err(LoadProblem::DuplicateId(lesson.id));
    }
    // Appended, never sorted in: `Work::current` is an index into this list.
    let index = work.lessons.with_value(Vec::len);
    let id = lesson.id.clone();
    work.lessons.update_value(|ls| ls.push(lesson));
    work.sources.update_value(|s| s.push((id, source)));
    work.lessons_added.update(|n| *n += 1);
    Ok(index)
}

/// Loads the lessons from outside the build, then opens the one the URL asks for when it is
/// among them (`?lesson-url=`, or `?lesson=ID` of a lesson beside the bundle).
pub async fn load_outside_lessons(page: Page, work: Work, params: UrlParams) {
    let mut wanted = None;
    for (source, lesson) in lessons_beside_the_bundle().await {
        match lesson.and_then(|lesson| {
            let id = lesson.id.clone();
            add_lesson(&work, lesson, LessonSource::Url(source.clone())).map(|index| (id, index))
        }) {
            Ok((id, index)) => {
                if params.lesson.as_deref() == Some(id.as_str()) {
                    wanted = Some(index);
                }
            }
            Err(why) => work
                .load_failures
                .update(|f| f.push(LoadFailure { source, why })),
        }
    }
    // A lesson the URL names by address is opened whatever was open: it was asked for.
    let mut by_address = false;
    if let Some(url) = &params.lesson_url {
        match fetch_lesson(url)
            .await
            .and_then(|lesson| add_lesson(&work, lesson, LessonSource::Url(url.clone())))
        {
            Ok(index) => {
                wanted = Some(index);
                by_address = true;
            }
            Err(why) => work.load_failures.update(|f| {
                f.push(LoadFailure {
                    source: url.clone(),
                    why,
                })
            }),
        }
    }
    // Else only where the page would have opened it at once, had it been built in.
    if let Some(index) = wanted.filter(|_| by_address || work.current.get_untracked().is_none()) {
        let step = params.step.map_or(0, |n| n.saturating_sub(1));
        let steps = work
            .lessons
            .with_value(|ls| ls.get(index).map_or(0, |l| l.steps.len()));
        work.start_when_ready(&page, Some(index), step.min(steps.saturating_sub(1)))
            .await;
    }
}
