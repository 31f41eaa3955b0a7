//! Why a lesson from outside the build could not be used (`lesson_files`), as the lesson
//! panel shows it. Below both the loader and the work that keeps the list.

use std::fmt;

use rollout_kubectl::lesson::LessonError;

/// Why a lesson from outside could not be used; shown in the lesson panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadFailure {
    /// The file or URL, as the author wrote it.
    pub source: String,
    pub why: LoadProblem,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadProblem {
    /// No answer the page may read: offline, a wrong host, or a server whose CORS headers do
    /// not let this page read it (the browser tells the page nothing more).
    Unreachable,
    Http(u16),
    /// Not a list of `{file}` entries.
    BadIndex(String),
    /// A name in the index that is not a file in `lessons/`.
    BadFileName,
    Invalid(LessonError),
    /// Another lesson has the same id.
    DuplicateId(String),
    /// The code that reads lessons (its own wasm module) could not be fetched.
    NoLessonCode(String),
}

impl fmt::Display for LoadProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadProblem::Unreachable => f.write_str(
                "could not be read: the server did not answer, or it does not allow this page \
                 to read it (its CORS headers must allow this page's origin)",
            ),
            LoadProblem::Http(status) => write!(f, "could not be read: HTTP {status}"),
            LoadProblem::BadIndex(why) => write!(f, "is not a lesson index: {why}"),
            LoadProblem::BadFileName => {
                f.write_str("is not a .yaml file name in lessons/ (no slashes)")
            }
            LoadProblem::Invalid(err) => write!(f, "is not a valid lesson:\n{err}"),
            LoadProblem::DuplicateId(id) => {
                write!(f, "has the id {id:?}, which another lesson already has")
            }
            LoadProblem::NoLessonCode(why) => {
                write!(
                    f,
                    "could not be read: the page's lesson code did not load ({why})"
                )
            }
        }
    }
}
