//! Everything kubectl can say went wrong, as types. `Display` is the exact text kubectl writes
//! to stderr (without the trailing newline).

use rollout_sim::api::ApiError;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KubectlError {
    /// `kubectl frob`: the verb does not exist. Close verbs are suggested, as cobra does.
    UnknownCommand {
        command: String,
        suggestions: Vec<String>,
    },
    /// A flag problem found by the flag parser; `command` is the path for the help hint
    /// (`kubectl get`).
    Flag { message: String, command: String },
    /// A misuse kubectl reports with a pointer to `-h` (`cmdutil.UsageErrorf`).
    Usage { message: String, command: String },
    /// `error: <message>` — kubectl's plain errors.
    Plain(String),
    /// Several lines printed as they are (e.g. `kubectl get` without a resource type).
    Verbatim(String),
    /// The API server refused.
    Api(ApiError),
    /// The errors were already printed (one per object); only the exit status is left.
    Silent,
    /// A message the API layer already formatted (validation, decoding).
    Server(String),
    /// A program that ends with its own status and stderr text, not kubectl's 1 (a Go
    /// panic exits 2). `text` is written as is.
    Exit { text: String, status: i32 },
}

impl KubectlError {
    pub fn plain(message: impl Into<String>) -> KubectlError {
        KubectlError::Plain(message.into())
    }

    pub fn usage(command: &str, message: impl Into<String>) -> KubectlError {
        KubectlError::Usage {
            message: message.into(),
            command: command.to_string(),
        }
    }

    pub fn flag(command: &str, message: impl Into<String>) -> KubectlError {
        KubectlError::Flag {
            message: message.into(),
            command: command.to_string(),
        }
    }
}

/// kubectl's report of the errors several objects met (an `Aggregate`): one as kubectl
/// prints any error (`error: …`, or the server's `Error from server …`), several one per
/// line without the prefix. `messages` are the errors' own texts.
pub fn aggregate(messages: Vec<String>) -> Result<(), KubectlError> {
    match messages.as_slice() {
        [] => Ok(()),
        [one] if one.starts_with("Error from server") => Err(KubectlError::Verbatim(one.clone())),
        [one] => Err(KubectlError::plain(one.clone())),
        several => Err(KubectlError::Verbatim(several.join("\n"))),
    }
}

impl fmt::Display for KubectlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KubectlError::UnknownCommand {
                command,
                suggestions,
            } => {
                write!(f, "error: unknown command \"{command}\" for \"kubectl\"")?;
                if !suggestions.is_empty() {
                    write!(f, "\n\nDid you mean this?")?;
                    for suggestion in suggestions {
                        write!(f, "\n\t{suggestion}")?;
                    }
                }
                Ok(())
            }
            KubectlError::Flag { message, command } => {
                write!(f, "error: {message}\nSee '{command} --help' for usage.")
            }
            KubectlError::Usage { message, command } => {
                write!(
                    f,
                    "error: {message}\nSee '{command} -h' for help and examples"
                )
            }
            KubectlError::Plain(message) => write!(f, "error: {message}"),
            KubectlError::Verbatim(text) => f.write_str(text),
            KubectlError::Api(failure) => write!(f, "{failure}"),
            KubectlError::Server(text) => f.write_str(text),
            KubectlError::Silent => Ok(()),
            KubectlError::Exit { text, .. } => f.write_str(text.trim_end_matches('\n')),
        }
    }
}

impl From<ApiError> for KubectlError {
    fn from(failure: ApiError) -> Self {
        KubectlError::Api(failure)
    }
}
