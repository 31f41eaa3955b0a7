//! Background jobs: `cmd &`, `jobs`, `kill %N`, `wait`, `fg`, as an interactive bash with job
//! control has them. A job is a [`Thread`] of its own that the shell polls beside the
//! foreground command (`Shell::poll`) and while it sits at the prompt (`Shell::poll_background`);
//! its output goes to the terminal. When a job ends, bash says so before the next prompt
//! (`[1]+  Done                    sleep 1`), and only then forgets it. The table is generic
//! over what runs (`T`: the interpreter's thread), so it needs nothing from `exec`.

use std::rc::Rc;

use super::state::Blocked;

/// How a job stands, in the words `jobs` uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum JobState {
    Running,
    Exited(i32),
    /// Stopped by a signal (its number): `kill %N` (15), `kill -9 %N`.
    Signaled(u8),
}

#[derive(Clone, Debug)]
pub(crate) struct BgJob<T> {
    /// `%N`.
    pub number: usize,
    /// `$!`, and what `kill PID` names.
    pub pid: u32,
    /// The command as bash prints it back.
    pub text: Rc<str>,
    /// `None` while it is being polled, or once it has ended.
    pub thread: Option<T>,
    pub state: JobState,
    /// What it waited for at its last poll (`wait` wakes with it).
    pub blocked: Blocked,
}

/// A shell session's job table.
#[derive(Clone, Debug)]
pub(crate) struct Jobs<T> {
    pub list: Vec<BgJob<T>>,
    /// Jobs started so far (the next `$!`).
    started: u32,
    /// PIDs and statuses of jobs already reported, newest last: `wait $!` still knows them.
    pub reaped: Vec<(u32, i32)>,
}

impl<T> Default for Jobs<T> {
    fn default() -> Jobs<T> {
        Jobs {
            list: Vec::new(),
            started: 0,
            reaped: Vec::new(),
        }
    }
}

impl<T> Jobs<T> {
    /// Adds a running job; its `[N] PID` line.
    pub(crate) fn start(&mut self, thread: T, text: Rc<str>, shell_pid: u32) -> (u32, String) {
        self.started += 1;
        let pid = shell_pid + self.started * 7;
        let number = self.list.iter().map(|j| j.number).max().unwrap_or(0) + 1;
        self.list.push(BgJob {
            number,
            pid,
            text,
            thread: Some(thread),
            state: JobState::Running,
            blocked: Blocked::default(),
        });
        (pid, format!("[{number}] {pid}\n"))
    }

    /// The job a `%N`, `%+`, `%%`, `%-` or PID names, as an index; bash's error text if none.
    pub(crate) fn find(&self, spec: &str) -> Result<usize, String> {
        let last = self.list.len().checked_sub(1);
        let found = match spec {
            "%" | "%%" | "%+" => last,
            "%-" => last.and_then(|l| l.checked_sub(1)).or(last),
            _ => match spec.strip_prefix('%') {
                Some(n) => n
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| self.list.iter().position(|j| j.number == n)),
                None => spec
                    .parse::<u32>()
                    .ok()
                    .and_then(|pid| self.list.iter().position(|j| j.pid == pid)),
            },
        };
        found.ok_or_else(|| match spec.strip_prefix('%') {
            Some(_) => format!("{spec}: no such job"),
            None => format!("({spec}) - No such process"),
        })
    }

    /// `+` for the current job (the newest), `-` for the one before, else a space.
    fn marker(&self, index: usize) -> char {
        match self.list.len() - index {
            1 => '+',
            2 => '-',
            _ => ' ',
        }
    }

    /// One line of `jobs` (`long`: `jobs -l`, with the PID).
    pub(crate) fn line(&self, index: usize, long: bool) -> String {
        let job = &self.list[index];
        let state = match job.state {
            JobState::Running => "Running".to_string(),
            JobState::Exited(0) => "Done".to_string(),
            JobState::Exited(n) => format!("Exit {n}"),
            JobState::Signaled(n) => signal_name(n).1.to_string(),
        };
        let amp = if job.state == JobState::Running {
            " &"
        } else {
            ""
        };
        let pid = if long {
            format!("{} ", job.pid)
        } else {
            String::new()
        };
        format!(
            "[{}]{}  {pid}{state:<24}{}{amp}\n",
            job.number,
            self.marker(index),
            job.text
        )
    }

    /// The lines for jobs that ended since the last prompt, which are then forgotten.
    pub(crate) fn take_finished(&mut self) -> String {
        let text: String = (0..self.list.len())
            .filter(|&i| self.list[i].state != JobState::Running)
            .map(|i| self.line(i, false))
            .collect();
        for job in self.list.iter().filter(|j| j.state != JobState::Running) {
            self.reaped.push((job.pid, job.state.status()));
        }
        let excess = self.reaped.len().saturating_sub(64);
        self.reaped.drain(..excess);
        self.list.retain(|j| j.state == JobState::Running);
        text
    }
}

/// A signal's number from `kill`'s `-N`, `-NAME`, `-SIGNAME`; its name and how `jobs` says
/// a job died of it.
pub(crate) fn signal_name(number: u8) -> (&'static str, &'static str) {
    match number {
        1 => ("HUP", "Hangup"),
        2 => ("INT", "Interrupt"),
        9 => ("KILL", "Killed"),
        13 => ("PIPE", "Broken pipe"),
        _ => ("TERM", "Terminated"),
    }
}

pub(crate) fn signal_number(spec: &str) -> Option<u8> {
    if let Ok(n) = spec.parse::<u8>() {
        return [1, 2, 9, 13, 15].contains(&n).then_some(n);
    }
    let name = spec.strip_prefix("SIG").unwrap_or(spec);
    [1, 2, 9, 13, 15]
        .into_iter()
        .find(|&n| signal_name(n).0 == name)
}

impl JobState {
    /// `$?` of a job in this state (`wait %N`).
    pub(crate) fn status(self) -> i32 {
        match self {
            JobState::Running => 0,
            JobState::Exited(n) => n,
            JobState::Signaled(n) => 128 + i32::from(n),
        }
    }
}
