//! The page's session: the lab, the terminal's transcript, the clock's settings and the
//! timeline of snapshots. Plain Rust with no signals: components call its methods and the
//! page then re-reads what it shows (see `app.rs`).
//!
//! ## Driving the shell
//! The shell never blocks (see `rollout_kubectl::shell`). Each animation frame the page calls
//! [`Session::frame`] with the real time that passed; the session polls the shell while it is
//! busy and moves the virtual clock by that time × speed when the clock plays — whether or
//! not a command runs, since the cluster keeps living. A plain `sleep N` typed at the prompt
//! jumps the clock at once instead of waiting.
//!
//! ## The timeline
//! Every [`SNAPSHOT_EVERY`] of virtual time (more in a big cluster, where a clone costs most
//! of a frame: [`Session::snapshot_every`]), and before each command, the session keeps a
//! snapshot: a clone of the whole lab (cluster, shell, files, running programs) with the
//! transcript. Viewing one shows the page as it was; acting from there (play, step, type)
//! continues from that snapshot and forgets the snapshots after it.

use super::save::{push_event, EventKind, LogEvent};
use super::traffic::{self, Target, Traffic};
use super::transcript::{Style, Transcript};
use rollout_kubectl::lab::{Lab, HOME};
use rollout_kubectl::shell::Winsize;
use rollout_kubectl::shell::{Poll, Stream, Submit};
use rollout_sim::clock::{Duration, Time};
use std::collections::VecDeque;

/// How far one step of a `sleep N` fast-forward moves the clock before the page checks
/// whether its frame is over.
const FAST_SLEEP_SLICE: Duration = Duration(60_000);

/// Virtual time between two automatic snapshots.
pub const SNAPSHOT_EVERY: Duration = Duration(2_000);
/// Pods up to which the snapshots come every [`SNAPSHOT_EVERY`]; beyond, proportionally less
/// often (a thousand pods: every 8 s).
const SNAPSHOT_PODS: usize = 250;
/// Snapshots kept at most; older ones are thinned out to make room.
pub const MAX_SNAPSHOTS: usize = 300;
/// Real milliseconds one frame may spend polling the shell and moving the cluster, at most
/// and at least. Within these bounds the budget is what the frame leaves: see [`FrameBudget`].
const FRAME_BUDGET_MS: f64 = 8.0;
const FRAME_BUDGET_MIN_MS: f64 = 1.5;
/// What the page may spend in a frame on the simulation plus what it draws from it (the
/// signals, the components' effects), leaving the rest of a 60 Hz frame (16.7 ms) to the
/// browser's style, layout and paint.
const FRAME_WORK_MS: f64 = 10.0;
/// How long the clock shows that it lags after the last frame that could not keep up.
const LAGGING_SHOWN_MS: f64 = 1_000.0;
/// Real milliseconds a click on a step button may spend polling the shell.
const STEP_BUDGET_MS: f64 = 250.0;
/// Polls per call at most, whatever the time budget says.
const MAX_POLLS: u32 = 2_000;

/// The speeds the clock offers.
pub const SPEEDS: &[u32] = &[1, 2, 5, 10, 30];

/// A moment the timeline can return to.
#[derive(Clone)]
pub struct Snapshot {
    pub at: Time,
    pub lab: Lab,
    pub transcript: Transcript,
    pub running: Option<Running>,
    /// Length of the session's log at this moment.
    pub log_len: usize,
    /// The log's last event as it was at this moment: later clock advances and writes of
    /// the same file merge into it (see `save::push_event`).
    log_last: Option<LogEvent>,
    /// Whether the next idle clock advance would merge into `log_last`.
    idle_advance: bool,
    /// The curl answers seen and the traffic client's state at this moment.
    pub traffic: traffic::Mark,
}

/// The command the shell is running, as far as the page cares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Running {
    /// The line was a plain `sleep N`: fast-forward instead of waiting.
    pub fast_sleep: bool,
    /// The line as typed (empty when Ctrl-C waits for the command to stop).
    pub line: String,
    /// When it started, on the virtual clock: a long wait offers a faster clock.
    pub since: Time,
}

impl Running {
    fn new(line: &str, since: Time) -> Running {
        Running {
            fast_sleep: false,
            line: line.to_string(),
            since,
        }
    }
}

/// Called with the lab just before each queued line starts, so that a lesson step is judged
/// on the state its commands reached even when the next step's commands were already queued
/// (several lines can start within one frame).
pub type BeforeLine = std::rc::Rc<dyn Fn(&Lab)>;

/// A file the shell's `vim FILE` asked the editor to open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditRequest {
    pub path: String,
}

pub struct Session {
    pub lab: Lab,
    pub transcript: Transcript,
    pub playing: bool,
    /// Virtual milliseconds per real millisecond.
    pub speed: u32,
    /// Lines typed or pasted that wait for the shell to be ready.
    queue: VecDeque<String>,
    pub running: Option<Running>,
    pub edit: Option<EditRequest>,
    pub snapshots: Vec<Snapshot>,
    /// The snapshot on screen, when the user dragged the timeline back.
    pub viewing: Option<usize>,
    /// Real time in milliseconds (the page's performance clock), for the frame budget.
    pub now_ms: fn() -> f64,
    /// Bumped on every change, so the page re-reads only after something happened.
    pub revision: u64,
    /// Curl answers seen and the "send traffic" client (see `traffic`).
    pub traffic: Traffic,
    /// Everything that changed the lab, to save, share and export the session (see `save`).
    pub log: Vec<LogEvent>,
    /// Replaying a log: the clock moves only by its `Advance` events.
    replaying: bool,
    /// The log's last event is a clock advance made while the shell was idle.
    idle_advance: bool,
    /// The next queued line waits for data the page fetches on first use (`kubectl
    /// explain`'s schemas, an add-on's module: `super::data`); the page sees it and fetches.
    pub wants_data: bool,
    /// The lab's code is still on its way (`rollout_kubectl::lab::engine`): the lab is a
    /// placeholder, the clock stands and typed lines wait until [`Session::start_with`].
    pub starting: bool,
    /// The terminal's size on screen. A property of the screen, not of the work: it is not in
    /// the log, and a rewound or restarted lab is given the current one.
    pub winsize: Winsize,
    /// See [`BeforeLine`]; kept across [`Session::restart`].
    pub before_line: Option<BeforeLine>,
    /// How many times the session started over ([`Session::restart`]): the editor reloads
    /// its file when the lab's files were replaced.
    pub restarts: u64,
    /// Until when (real ms) the clock shows that it runs slower than its speed: a frame could
    /// not simulate all the virtual time it was given within its budget (a big cluster at a
    /// high speed), and the rest was dropped so the page stays responsive.
    pub lagging_until: f64,
    /// What the next frame may spend on the simulation.
    frame_budget: FrameBudget,
    /// Snapshots thinned out of the timeline, freed one per frame.
    to_free: Vec<Snapshot>,
}

/// The simulation's share of a frame: what [`FRAME_WORK_MS`] leaves after what the page
/// spent drawing the last frames. A page that draws little gives the simulation its whole
/// budget; one that draws a thousand pods gives it less, and the clock runs slower (and
/// says so) instead of the page stuttering.
#[derive(Clone, Copy, Debug)]
struct FrameBudget {
    ms: f64,
    /// What drawing took lately (ms): the last frame's, or less, decaying, after a peak.
    drawing_ms: f64,
}

impl Default for FrameBudget {
    fn default() -> FrameBudget {
        FrameBudget {
            ms: FRAME_BUDGET_MS,
            drawing_ms: 0.0,
        }
    }
}

impl FrameBudget {
    /// The page drew the last frame's changes in `drawing_ms`.
    fn drawn(&mut self, drawing_ms: f64) {
        // Up at once, down slowly: a frame that drew much is likely followed by another.
        self.drawing_ms = drawing_ms.max(self.drawing_ms * 0.9);
        self.ms = (FRAME_WORK_MS - self.drawing_ms).clamp(FRAME_BUDGET_MIN_MS, FRAME_BUDGET_MS);
    }
}

impl Session {
    pub fn new(lab: Lab) -> Session {
        let mut session = Session {
            lab,
            transcript: Transcript::default(),
            playing: true,
            speed: 1,
            queue: VecDeque::new(),
            running: None,
            edit: None,
            snapshots: Vec::new(),
            viewing: None,
            now_ms: || 0.0,
            revision: 0,
            traffic: Traffic::default(),
            log: Vec::new(),
            replaying: false,
            idle_advance: false,
            wants_data: false,
            starting: false,
            winsize: Winsize::default(),
            before_line: None,
            restarts: 0,
            lagging_until: 0.0,
            frame_budget: FrameBudget::default(),
            to_free: Vec::new(),
        };
        session.snapshot();
        session
    }

    /// The lab on screen: the live one, or the snapshot being viewed.
    pub fn shown_lab(&self) -> &Lab {
        match self.viewing.and_then(|i| self.snapshots.get(i)) {
            Some(s) => &s.lab,
            None => &self.lab,
        }
    }

    pub fn shown_transcript(&self) -> &Transcript {
        match self.viewing.and_then(|i| self.snapshots.get(i)) {
            Some(s) => &s.transcript,
            None => &self.transcript,
        }
    }

    pub fn busy(&self) -> bool {
        self.running.is_some() || self.wants_data || self.starting
    }

    /// Lines typed or clicked that wait for the running command, in order.
    pub fn queued(&self) -> impl Iterator<Item = &str> {
        self.queue.iter().map(String::as_str)
    }

    /// The command the held line belongs to, with the lines typed before it (what the page
    /// fetches for).
    pub fn held_command(&self) -> Option<String> {
        self.queue.front().map(|line| self.lab.command_with(line))
    }

    /// The prompt for the next line: the shell's, or nothing while a command runs.
    pub fn prompt(&self) -> String {
        if self.busy() {
            String::new()
        } else {
            self.lab.prompt()
        }
    }

    // ---- input -------------------------------------------------------------------------

    /// Enter: each line of `text` goes to the shell, in order, as soon as it is ready.
    pub fn enter(&mut self, text: &str) {
        self.resume_here();
        let text = text.replace("\r\n", "\n");
        let mut lines: Vec<&str> = text.split('\n').collect();
        // A paste that ends with a newline does not add an empty command after it.
        if lines.len() > 1 && lines.last() == Some(&"") {
            lines.pop();
        }
        self.queue.extend(lines.into_iter().map(str::to_string));
        self.feed();
        self.drive(Duration::ZERO);
    }

    /// Holds the session as a held line does (the clock stands, typed lines wait) until
    /// [`Session::data_arrived`]: the page is fetching what a saved log wants before it
    /// replays it, and the log's first event happened at the clock's start.
    pub fn hold_for_data(&mut self) {
        self.wants_data = true;
    }

    /// Holds the session until the lab's code has arrived ([`Session::start_with`]).
    pub fn hold_for_start(&mut self) {
        self.starting = true;
    }

    /// The lab's code has arrived and made `lab`: the session starts over with it, replays
    /// `events` (a saved session's, if any) and then runs the lines typed while it loaded.
    /// `failure` says what could not be fetched.
    pub fn start_with(&mut self, lab: Lab, failure: Option<&str>, events: &[LogEvent]) {
        let typed = std::mem::take(&mut self.queue);
        self.restart(lab);
        self.starting = false;
        self.data_arrived(failure);
        self.replay(events);
        self.queue.extend(typed);
        self.feed();
        self.drive(Duration::ZERO);
    }

    /// The data a held line waited for has been handed to kubectl (or could not be fetched,
    /// which the command then reports, or `failure` says): the queue moves on.
    pub fn data_arrived(&mut self, failure: Option<&str>) {
        if let Some(failure) = failure {
            self.transcript.ensure_line_start();
            self.transcript.write(Style::Stderr, failure);
        }
        self.wants_data = false;
        self.feed();
        self.drive(Duration::ZERO);
    }

    /// Ctrl-C: stops the running command or drops the line being typed.
    pub fn interrupt(&mut self, typed: &str) {
        self.resume_here();
        self.queue.clear();
        self.wants_data = false;
        if !self.busy() {
            // At the prompt bash shows what was typed, then `^C`.
            self.transcript.ensure_line_start();
            let prompt = self.lab.prompt();
            self.transcript
                .write(Style::Echo, &format!("{prompt}{typed}"));
        }
        self.record(EventKind::Interrupt);
        self.lab.interrupt();
        let now = self.lab.now();
        self.running = Some(self.running.take().unwrap_or(Running::new("", now)));
        self.drive(Duration::ZERO);
    }

    /// The terminal was measured at `cols` × `rows` character cells (the shell's `SIGWINCH`).
    pub fn set_winsize(&mut self, cols: u16, rows: u16) {
        let winsize = Winsize {
            cols: cols.max(1),
            rows: rows.max(1),
        };
        self.winsize = winsize;
        self.lab.set_winsize(winsize);
    }

    /// Ctrl-L.
    pub fn clear_screen(&mut self) {
        self.resume_here();
        self.transcript.clear();
    }

    /// Gives queued lines to the shell while it is idle.
    fn feed(&mut self) {
        while !self.busy() {
            let Some(line) = self.queue.pop_front() else {
                return;
            };
            // A line continuing a command is read with the lines before it: a here-document's
            // body (`  template:`) wants nothing, a loop's `kubectl rollout status` does.
            if super::data::wanted_by(&self.lab.command_with(&line)) {
                self.queue.push_front(line);
                self.wants_data = true;
                return;
            }
            let prompt = self.lab.prompt();
            let continuing = prompt == "> ";
            if !continuing {
                self.snapshot();
                if let Some(before_line) = &self.before_line {
                    before_line(&self.lab);
                }
            }
            self.transcript.ensure_line_start();
            self.transcript
                .write(Style::Echo, &format!("{prompt}{line}\n"));
            self.record(EventKind::Submit(line.clone()));
            match self.lab.submit(&line) {
                Submit::NeedMore { .. } => {}
                Submit::Started => {
                    self.running = Some(Running {
                        fast_sleep: !continuing && is_plain_sleep(&line),
                        ..Running::new(&line, self.lab.now())
                    });
                }
                Submit::Busy => {
                    self.queue.push_front(line);
                    self.running = Some(Running::new("", self.lab.now()));
                    return;
                }
            }
        }
    }

    // ---- the clock ----------------------------------------------------------------------

    /// One animation frame, `elapsed_ms` of real time after the last one.
    pub fn frame(&mut self, elapsed_ms: f64) {
        drop(self.to_free.pop());
        if self.viewing.is_some() {
            return;
        }
        let virtual_ms = if self.playing {
            // A frame after a long pause (a hidden tab) does not jump the cluster minutes ahead.
            (elapsed_ms.clamp(0.0, 250.0) * f64::from(self.speed)).round() as i64
        } else {
            0
        };
        if virtual_ms > 0 || self.busy() || !self.queue.is_empty() {
            self.drive(Duration(virtual_ms));
        }
    }

    /// What the page spent drawing the last frame (its signals and effects, in real ms):
    /// the next frames' simulation gets what is left of the frame.
    pub fn frame_drawn(&mut self, drawing_ms: f64) {
        self.frame_budget.drawn(drawing_ms);
    }

    /// The step buttons: `by` of virtual time now, playing or not. A click is not a frame:
    /// it may take longer than one, so the whole step happens even while a command prints a
    /// lot.
    pub fn step(&mut self, by: Duration) {
        self.resume_here();
        self.drive_within(by, STEP_BUDGET_MS);
    }

    pub fn set_playing(&mut self, playing: bool) {
        if playing {
            self.resume_here();
        }
        self.playing = playing;
    }

    pub fn set_speed(&mut self, speed: u32) {
        if SPEEDS.contains(&speed) {
            self.speed = speed;
        }
    }

    /// Moves the clock by `budget`, polling the shell on the way so that its programs see
    /// every second they sleep through and the cluster's changes as they happen.
    ///
    /// The clock moves only while the shell waits for it (or is idle). When the frame's
    /// time runs out while a command still has work to do at this instant (a loop of a
    /// hundred curls), the rest of the budget is dropped rather than spent: a replay, which
    /// polls every command to the end before it moves the clock, must see the same order of
    /// commands and clock ticks as the live session.
    fn drive(&mut self, budget: Duration) {
        self.drive_within(budget, self.frame_budget.ms);
    }

    fn drive_within(&mut self, budget: Duration, real_ms: f64) {
        self.revision += 1;
        if (self.wants_data || self.starting) && self.running.is_none() {
            // A held line stops the clock: the command runs at the moment it was typed.
            return;
        }
        let started = (self.now_ms)();
        let mut budget = budget;
        let mut polls = 0;
        let mut stalled = false;
        while self.busy() {
            // A replay polls to the end: it must see what the live session saw.
            let out_of_time = |s: &Self| !s.replaying && (s.now_ms)() - started > real_ms;
            let out_of_time_now = polls > 0 && polls % 32 == 0 && out_of_time(self);
            if polls >= MAX_POLLS || out_of_time_now {
                stalled = true;
                break;
            }
            polls += 1;
            match self.lab.poll() {
                Poll::Output(chunks) => {
                    for chunk in &chunks {
                        let style = match chunk.stream {
                            Stream::Stdout => Style::Stdout,
                            Stream::Stderr => Style::Stderr,
                        };
                        self.transcript.write(style, &chunk.text);
                        if chunk.stream == Stream::Stdout {
                            self.traffic.feed_terminal(self.lab.now(), &chunk.text);
                        }
                    }
                }
                Poll::Sleeping { .. } | Poll::Waiting { .. } if self.replaying => break,
                Poll::Sleeping { until } => {
                    let fast = self.running.as_ref().is_some_and(|r| r.fast_sleep);
                    let wait = until - self.lab.now();
                    if fast {
                        // A long sleep fast-forwards in slices, so the page keeps drawing
                        // (and Ctrl-C works) while hours of virtual time go by.
                        self.advance(wait.max(Duration(0)).min(FAST_SLEEP_SLICE));
                        if out_of_time(self) {
                            stalled = true;
                            break;
                        }
                    } else if budget > Duration::ZERO {
                        let step = wait.min(budget).max(Duration(1));
                        self.advance(step);
                        budget = Duration((budget.millis() - step.millis()).max(0));
                    } else {
                        break;
                    }
                }
                Poll::Waiting { until } => {
                    if budget <= Duration::ZERO {
                        break;
                    }
                    // Step to the cluster's next change, so a watch prints every state.
                    let now = self.lab.now();
                    let mut step = budget;
                    if let Some(next) = self.lab.host.cluster.next_timer() {
                        step = step.min(next - now);
                    }
                    if let Some(until) = until {
                        step = step.min(until - now);
                    }
                    let step = step.max(Duration(1)).min(budget);
                    self.advance(step);
                    budget = Duration((budget.millis() - step.millis()).max(0));
                }
                Poll::Edit { path } => {
                    self.edit = Some(EditRequest { path });
                    break;
                }
                Poll::Done(_) => {
                    self.running = None;
                    self.edit = None;
                    self.feed();
                }
            }
        }
        if budget > Duration::ZERO && !stalled {
            if self.replaying || real_ms >= STEP_BUDGET_MS {
                self.advance(budget);
            } else if !self.advance_within(budget, started, real_ms) {
                self.lagging_until = (self.now_ms)() + LAGGING_SHOWN_MS;
            }
        }
    }

    /// A frame's clock advance while the shell is idle: `by` in slices that end where the
    /// cluster next changes, until `real_ms` of real time since `started` are spent, so a
    /// thousand pods at 30× slow the clock down instead of freezing the page. The rest is
    /// dropped, as a frame that polled too long drops it. Whether all of `by` happened.
    /// (Idle advances merge in the log, so the slices replay as one.)
    fn advance_within(&mut self, by: Duration, started: f64, real_ms: f64) -> bool {
        let mut left = by;
        while left > Duration::ZERO {
            let now = self.lab.now();
            let step = self
                .lab
                .host
                .cluster
                .next_timer()
                .map_or(left, |next| (next - now).max(Duration(1)).min(left));
            self.advance(step);
            // What the clock really moved (a request at the end may take it further).
            let moved = self.lab.now() - now;
            left = Duration((left.millis() - moved.millis()).max(0));
            if left > Duration::ZERO && (self.now_ms)() - started > real_ms {
                return false;
            }
        }
        true
    }

    fn advance(&mut self, by: Duration) {
        if by > Duration::ZERO {
            let at = self.lab.now();
            // The client sends its requests on the way, each at its own virtual second.
            self.traffic.advance(&mut self.lab, by);
            // A request sent at the very end can take the clock a little past `by`: the log
            // keeps what the clock really moved, which a replay's one merged advance moves
            // too (there the same request falls in the middle).
            let moved = self.lab.now() - at;
            self.record_at(at, EventKind::Advance(moved.millis()));
        }
        // A background job printed while the shell sat at its prompt: show it next frame.
        if self.running.is_none() && self.lab.shell.is_busy() {
            self.running = Some(Running::new("", self.lab.now()));
        }
        let last = self.snapshots.last().map_or(Time(i64::MIN), |s| s.at);
        if self.lab.now() - last >= self.snapshot_every() {
            self.snapshot();
        }
    }

    /// Virtual time between two automatic snapshots of this lab.
    fn snapshot_every(&self) -> Duration {
        let pods = self.lab.cluster().store().pods.len();
        let times = (pods / SNAPSHOT_PODS).max(1) as i64;
        Duration(SNAPSHOT_EVERY.millis().saturating_mul(times))
    }

    /// The editor closed the file `vim` opened: write it back and let `vim` exit.
    pub fn finish_edit(&mut self, text: Option<&str>) {
        if let Some(edit) = self.edit.take() {
            self.record(EventKind::Edit(text.map(str::to_string)));
            if let Some(text) = text {
                self.lab.shell.session_files_mut().write(&edit.path, text);
            }
            self.lab.shell.edit_done();
            self.drive(Duration::ZERO);
        }
    }

    // ---- files ---------------------------------------------------------------------------

    /// The files in the working directory, by name.
    pub fn home_files(&self) -> Vec<String> {
        let prefix = format!("{HOME}/");
        self.shown_lab()
            .shell
            .files()
            .files
            .keys()
            .filter_map(|path| path.strip_prefix(&prefix))
            .filter(|name| !name.contains('/'))
            .map(str::to_string)
            .collect()
    }

    /// A file's text: the file `vim` edits (maybe inside a pod), else the lab machine's.
    pub fn read_file(&self, path: &str) -> Option<String> {
        let lab = self.shown_lab();
        if self.edit.as_ref().is_some_and(|e| e.path == path) {
            return lab.shell.session_files().read(path).map(str::to_string);
        }
        lab.shell.files().read(path).map(str::to_string)
    }

    /// The editor changed a file of the lab machine.
    pub fn write_file(&mut self, path: &str, text: &str) {
        self.resume_here();
        self.record(EventKind::Write(path.to_string(), text.to_string()));
        self.lab.shell.files_mut().write(path, text);
        self.revision += 1;
    }

    // ---- the traffic client --------------------------------------------------------------

    /// "send traffic" on or off. Recorded in the log: the client's requests change what the
    /// cluster's random numbers give later, so a replay must send the same ones.
    pub fn set_sending(&mut self, on: bool) {
        self.resume_here();
        if self.traffic.sending != on {
            self.record(EventKind::SendTraffic(on));
            self.traffic.set_sending(on);
        }
    }

    /// Where the client sends its requests (recorded in the log, like [`Self::set_sending`]).
    pub fn set_traffic_target(&mut self, target: Target) {
        self.resume_here();
        if self.traffic.target != target {
            self.record(EventKind::TrafficTarget(target.value()));
            self.traffic.set_target(target);
        }
    }

    // ---- the timeline --------------------------------------------------------------------

    fn snapshot(&mut self) {
        self.snapshots.push(Snapshot {
            at: self.lab.now(),
            lab: self.lab.clone(),
            transcript: self.transcript.clone(),
            running: self.running.clone(),
            log_len: self.log.len(),
            log_last: self.log.last().cloned(),
            idle_advance: self.idle_advance,
            traffic: self.traffic.mark(),
        });
        if self.snapshots.len() > self.snapshot_limit() {
            // Keep recent moments dense and older ones sparse: drop every other snapshot
            // of the older half. Freeing a big lab costs as much as cloning it, so the
            // dropped ones are freed one per frame, not a dozen in this one.
            let half = self.snapshots.len() / 2;
            let mut i = 0;
            let (kept, dropped): (Vec<Snapshot>, Vec<Snapshot>) =
                std::mem::take(&mut self.snapshots)
                    .into_iter()
                    .partition(|_| {
                        let keep = i >= half || i % 2 == 0;
                        i += 1;
                        keep
                    });
            self.snapshots = kept;
            self.to_free.extend(dropped);
        }
    }

    /// How many snapshots fit the memory the timeline may use, from a rough size of one: a
    /// clone copies every event and pod.
    fn snapshot_limit(&self) -> usize {
        const TIMELINE_BYTES: usize = 80 << 20;
        let cluster = self.lab.cluster();
        let bytes = 50_000
            + cluster.events().len() * 500
            + cluster.store().pods.len() * 3_000
            + cluster.store().replica_sets.len() * 3_000;
        (TIMELINE_BYTES / bytes).clamp(30, MAX_SNAPSHOTS)
    }

    /// Shows snapshot `index` (the live session when `index` is past the last one).
    pub fn view(&mut self, index: usize) {
        if index >= self.snapshots.len() {
            self.viewing = None;
        } else {
            self.viewing = Some(index);
            self.playing = false;
        }
    }

    /// Shows the last snapshot taken at or before `at` (clicking an event).
    pub fn view_time(&mut self, at: Time) {
        let index = self.snapshots.iter().rposition(|s| s.at <= at).unwrap_or(0);
        self.view(index);
    }

    /// Continues from the snapshot on screen, forgetting what came after it.
    fn resume_here(&mut self) {
        let Some(index) = self.viewing.take() else {
            return;
        };
        let Some(snapshot) = self.snapshots.get(index) else {
            return;
        };
        self.lab = snapshot.lab.clone();
        self.transcript = snapshot.transcript.clone();
        self.running = snapshot.running.clone();
        self.edit = None;
        self.queue.clear();
        self.log.truncate(snapshot.log_len);
        if let (Some(last), Some(then)) = (self.log.last_mut(), &snapshot.log_last) {
            *last = then.clone();
        }
        self.idle_advance = snapshot.idle_advance;
        self.traffic.rewind(&snapshot.traffic);
        self.snapshots.truncate(index + 1);
        self.lab.set_winsize(self.winsize);
    }
}

impl Session {
    fn record(&mut self, kind: EventKind) {
        self.record_at(self.lab.now(), kind);
    }

    fn record_at(&mut self, at: Time, kind: EventKind) {
        let event = LogEvent {
            at_virtual_ms: at.millis(),
            kind,
        };
        // Advances merge only between two moments the shell was idle: a running program
        // must see every step the live session made.
        let idle = !self.busy();
        let is_advance = matches!(event.kind, EventKind::Advance(_));
        push_event(&mut self.log, event, idle && self.idle_advance);
        self.idle_advance = is_advance && idle;
    }

    /// Replays a saved log into this (fresh) session: the same lab results, since the
    /// simulation is deterministic.
    pub fn replay(&mut self, events: &[LogEvent]) {
        self.replaying = true;
        for event in events {
            match &event.kind {
                EventKind::Submit(line) => {
                    self.queue.push_back(line.clone());
                    self.feed();
                    self.drive(Duration::ZERO);
                }
                EventKind::Advance(ms) => {
                    self.drive(Duration::ZERO);
                    self.advance(Duration(*ms));
                    self.drive(Duration::ZERO);
                }
                EventKind::Interrupt => self.interrupt(""),
                EventKind::Write(path, text) => self.write_file(path, text),
                EventKind::Edit(text) => {
                    self.drive(Duration::ZERO);
                    self.finish_edit(text.as_deref());
                }
                EventKind::SendTraffic(on) => self.set_sending(*on),
                EventKind::TrafficTarget(value) => {
                    self.set_traffic_target(Target::from_value(value));
                }
            }
        }
        self.replaying = false;
        self.revision += 1;
    }

    /// Starts over with `lab`, keeping the clock's settings.
    pub fn restart(&mut self, lab: Lab) {
        let mut fresh = Session::new(lab);
        fresh.now_ms = self.now_ms;
        fresh.before_line = self.before_line.take();
        fresh.restarts = self.restarts + 1;
        // A lesson chosen while the lab's code loads starts once it is here.
        fresh.starting = self.starting;
        fresh.playing = self.playing;
        fresh.speed = self.speed;
        fresh.revision = self.revision + 1;
        fresh.set_winsize(self.winsize.cols, self.winsize.rows);
        *self = fresh;
    }
}

/// `sleep 5`, `sleep 2.5`, `sleep 10s`: a line that does nothing but wait.
fn is_plain_sleep(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        ["sleep", n] => {
            let n = n.strip_suffix('s').unwrap_or(n);
            !n.is_empty() && n.parse::<f64>().is_ok_and(|v| v.is_finite() && v >= 0.0)
        }
        _ => false,
    }
}
