//! The lesson code's split point. Reading a lesson file (the schema, the rules, typed
//! decoding), checking a step (`Check::evaluate`) and making a lesson's lab at a step
//! (`lab_at_step`) are needed only once a lesson is open,
//! so in the page they are a wasm module of their own (`split_lesson_code.wasm`), fetched
//! beside the first lesson file; natively and in the component tests they are linked in.

use super::{Check, CheckResult, Lesson, LessonError};
use crate::lab::Lab;

/// What the module hands out.
pub struct Code {
    pub parse: fn(&str) -> Result<Lesson, LessonError>,
    pub evaluate: fn(&Check, &Lab) -> CheckResult,
    /// A lab at the start of a lesson's step ([`super::lab_at_step`]).
    pub lab_at_step: fn(&Lesson, usize, u64) -> Lab,
}

#[cfg(not(all(target_arch = "wasm32", not(feature = "linked-addons"))))]
static CODE: Code = Code {
    parse: Lesson::parse,
    evaluate: Check::evaluate,
    lab_at_step: super::lab_at_step,
};

/// The lesson code, fetched first if it is a module of its own.
pub async fn load() -> Result<&'static Code, String> {
    #[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
    return module::load().await;
    #[cfg(not(all(target_arch = "wasm32", not(feature = "linked-addons"))))]
    Ok(&CODE)
}

/// The lesson code if it is here (loaded, or linked in).
pub fn loaded() -> Option<&'static Code> {
    #[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
    return module::loaded();
    #[cfg(not(all(target_arch = "wasm32", not(feature = "linked-addons"))))]
    Some(&CODE)
}

#[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
mod module {
    use super::{Check, Code, Lesson};
    use std::future::Future;
    use std::sync::OnceLock;
    use std::task::{Context, Poll, Waker};
    use wasm_split_helpers::{wasm_split, SplitLoaderError};

    static CODE: OnceLock<Code> = OnceLock::new();

    #[wasm_split(lesson_code, fallible, preload(load_lesson_code))]
    fn make_code() -> Result<Code, SplitLoaderError> {
        Ok(Code {
            parse: Lesson::parse,
            evaluate: Check::evaluate,
            lab_at_step: super::super::lab_at_step,
        })
    }

    pub(super) async fn load() -> Result<&'static Code, String> {
        if let Some(code) = CODE.get() {
            return Ok(code);
        }
        load_lesson_code().await.map_err(|e| e.to_string())?;
        // The module is loaded, so the call's future is ready at its first poll.
        let mut made = std::pin::pin!(make_code());
        match made.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(Ok(code)) => Ok(CODE.get_or_init(|| code)),
            Poll::Ready(Err(e)) => Err(e.to_string()),
            Poll::Pending => Err("the lesson code's module did not load".to_string()),
        }
    }

    pub(super) fn loaded() -> Option<&'static Code> {
        CODE.get()
    }
}
