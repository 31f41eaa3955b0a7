//! What the interpreter, the expansion and the utilities share, below all three: a shell's
//! environment, and what polling anything that runs answers.

use std::collections::BTreeMap;

use rollout_sim::clock::Time;

use super::host::Login;

/// A shell's variables and working directory, and `$?`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Env {
    pub vars: BTreeMap<String, String>,
    pub cwd: String,
    pub status: i32,
    /// `$!`: the last background job's PID.
    pub last_job: Option<u32>,
}

/// Why nothing can run right now. Merged across pipeline stages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Blocked {
    /// A `sleep` or `timeout` ends then.
    pub wake: Option<Time>,
    /// A program waits for the cluster to change.
    pub cluster: bool,
    /// Waiting for a pipe to fill.
    pub input: bool,
    /// The editor is open on this file.
    pub edit: Option<String>,
}

impl Blocked {
    pub(crate) fn merge(&mut self, other: Blocked) {
        self.wake = match (self.wake, other.wake) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.cluster |= other.cluster;
        self.input |= other.input;
        if self.edit.is_none() {
            self.edit = other.edit;
        }
    }

    pub(crate) fn on_input_only(&self) -> bool {
        self.input && !self.cluster && self.wake.is_none() && self.edit.is_none()
    }
}

/// What polling a thread, frame or job gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Run {
    Exited(i32),
    /// Did something and can do more: poll again (after routing its output).
    Progress,
    /// The step budget of this poll is spent.
    Yield,
    Blocked(Blocked),
    EnterShell(Box<Login>),
}
