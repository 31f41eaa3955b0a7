//! Every built-in lesson: its suggested commands reach every step's check.
#![cfg(not(target_arch = "wasm32"))]

use rollout_kubectl::lesson::{built_in, verify, Lesson, BUILT_IN};

#[test]
fn every_lesson_file_parses() {
    assert!(!BUILT_IN.is_empty(), "no lessons found in lessons/");
    for (name, text) in BUILT_IN {
        if let Err(err) = Lesson::parse(text) {
            panic!("{name}: {err}");
        }
    }
}

#[test]
fn lesson_ids_and_orders_are_unique() {
    let lessons = built_in();
    for (i, a) in lessons.iter().enumerate() {
        for b in &lessons[i + 1..] {
            assert_ne!(a.id, b.id);
            assert_ne!(a.order, b.order, "{} and {}", a.id, b.id);
        }
    }
}

#[test]
fn every_lesson_reaches_every_check_by_its_own_commands() {
    for lesson in built_in() {
        for report in verify(&lesson, 1) {
            assert!(
                report.failures.is_empty(),
                "{} step {}: {:?}",
                lesson.id,
                report.step,
                report.failures
            );
        }
    }
}

#[test]
fn every_text_is_in_both_languages() {
    for lesson in built_in() {
        let texts = std::iter::once(&lesson.title)
            .chain(std::iter::once(&lesson.summary))
            .chain(lesson.steps.iter().flat_map(|s| [&s.title, &s.text]));
        for text in texts {
            assert!(
                !text.en.is_empty() && !text.zh.is_empty(),
                "{}: {text:?}",
                lesson.id
            );
        }
    }
}
