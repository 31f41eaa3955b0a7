//! What is wrong with a lesson file, each problem with its line and field, so an author can
//! fix all of them in one pass.

use std::fmt;

/// The largest lesson file accepted (a lesson with a dozen manifests is under 40 KB).
pub const MAX_FILE_BYTES: usize = 256 * 1024;

/// One problem in a lesson file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonProblem {
    /// The 1-based line in the file, when the problem has one.
    pub line: Option<usize>,
    /// The field, as an author reads it: `steps[2].check[0].pods.ready`; empty for the file.
    pub field: String,
    pub kind: ProblemKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// The file is not YAML (go-yaml's message).
    Yaml(String),
    Empty,
    FileTooLarge {
        bytes: usize,
        max: usize,
    },
    UnknownField {
        expected: Vec<String>,
    },
    MissingField(String),
    WrongType {
        expected: String,
        found: &'static str,
    },
    NotOneOf(Vec<String>),
    TooLong {
        chars: u64,
        max: u64,
    },
    TooShort {
        min: u64,
    },
    OutOfRange {
        value: String,
        min: Option<i64>,
        max: Option<i64>,
    },
    TooMany {
        count: u64,
        max: u64,
    },
    TooFew {
        count: u64,
        min: u64,
    },
    /// A map with more keys than allowed (a check names one condition).
    TooManyFields {
        found: Vec<String>,
        max: u64,
    },
    TooFewFields {
        min: u64,
    },
    /// An id or file name with characters a URL or a path would break on.
    BadName {
        allowed: &'static str,
    },
    /// The same id or name twice.
    Duplicate(String),
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProblemKind::Yaml(message) => f.write_str(message),
            ProblemKind::Empty => f.write_str("the file holds no lesson"),
            ProblemKind::FileTooLarge { bytes, max } => {
                write!(f, "the file is {bytes} bytes, at most {max} are accepted")
            }
            ProblemKind::UnknownField { expected } if expected.is_empty() => {
                f.write_str("unknown field")
            }
            ProblemKind::UnknownField { expected } => {
                write!(f, "unknown field, expected one of: {}", expected.join(", "))
            }
            ProblemKind::MissingField(name) => write!(f, "missing field {name:?}"),
            ProblemKind::WrongType { expected, found } => {
                write!(
                    f,
                    "expected {}, found {}",
                    article(expected),
                    article(found)
                )
            }
            ProblemKind::NotOneOf(allowed) => write!(f, "must be one of: {}", allowed.join(", ")),
            ProblemKind::TooLong { chars, max } => {
                write!(f, "{chars} characters, at most {max} are accepted")
            }
            ProblemKind::TooShort { min: 1 } => f.write_str("must not be empty"),
            ProblemKind::TooShort { min } => write!(f, "must have at least {min} characters"),
            ProblemKind::OutOfRange { value, min, max } => match (min, max) {
                (Some(min), Some(max)) => write!(f, "{value} is not between {min} and {max}"),
                (Some(min), None) => write!(f, "{value} is less than {min}"),
                (None, Some(max)) => write!(f, "{value} is more than {max}"),
                (None, None) => write!(f, "{value} is out of range"),
            },
            ProblemKind::TooMany { count, max } => {
                write!(f, "{count} items, at most {max} are accepted")
            }
            ProblemKind::TooFew { count: 0, min } => {
                write!(f, "empty, at least {min} needed")
            }
            ProblemKind::TooFew { count, min } => {
                write!(f, "{count} items, at least {min} needed")
            }
            ProblemKind::TooManyFields { found, max: 1 } => {
                write!(f, "one key expected, found {}", found.join(", "))
            }
            ProblemKind::TooManyFields { found, max } => {
                write!(f, "at most {max} keys, found {}", found.join(", "))
            }
            ProblemKind::TooFewFields { min: 1 } => f.write_str("must not be empty"),
            ProblemKind::TooFewFields { min } => write!(f, "at least {min} keys needed"),
            ProblemKind::BadName { allowed } => write!(f, "may only hold {allowed}"),
            ProblemKind::Duplicate(what) => write!(f, "{what} is used twice"),
        }
    }
}

fn article(type_name: &str) -> String {
    match type_name {
        "integer" | "array" | "object" => format!("an {type_name}"),
        "null" => "nothing".to_string(),
        _ => format!("a {type_name}"),
    }
}

impl fmt::Display for LessonProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        write!(f, "{}", self.kind)
    }
}

/// Why a lesson file was not accepted: every problem found, in the order of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonError(pub Vec<LessonProblem>);

impl LessonError {
    pub fn one(kind: ProblemKind, line: Option<usize>) -> LessonError {
        LessonError(vec![LessonProblem {
            line,
            field: String::new(),
            kind,
        }])
    }

    pub fn problems(&self) -> &[LessonProblem] {
        &self.0
    }
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, problem) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

/// A JSON pointer (`/steps/2/check/0/pods`) as an author reads it (`steps[2].check[0].pods`).
pub fn field_name(pointer: &str) -> String {
    let mut name = String::new();
    for part in pointer.split('/').skip(1) {
        let part = part.replace("~1", "/").replace("~0", "~");
        if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) {
            name.push_str(&format!("[{part}]"));
        } else {
            if !name.is_empty() {
                name.push('.');
            }
            name.push_str(&part);
        }
    }
    name
}

/// The line of `pointer` in `lines` (from `value_lines`), or of its nearest ancestor.
pub fn line_of(lines: &[(String, usize)], pointer: &str) -> Option<usize> {
    let mut pointer = pointer;
    loop {
        if let Some((_, line)) = lines.iter().find(|(p, _)| p == pointer) {
            return Some(*line);
        }
        let (parent, _) = pointer.rsplit_once('/')?;
        pointer = parent;
    }
}
