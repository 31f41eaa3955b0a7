//! The page's state: the [`Session`] and the signals the panels read. Every panel depends on
//! this module; it depends on no panel (`app.rs` composes them).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use leptos::prelude::*;
use rollout_kubectl::lab::Lab;
use wasm_bindgen::JsCast;

use super::explanations::Lang;
use super::model::{event_views, events_fingerprint, ClusterModel, EventView, PodViews};
use super::model_reader;
use super::session::Session;
use super::traffic::TrafficView;
use super::transcript::Line;

/// Where the timeline stands, for the range input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TimelineView {
    pub snapshots: usize,
    pub viewing: Option<usize>,
    /// Virtual milliseconds of the moment on screen.
    pub shown_ms: i64,
}

/// The session and what the page shows of it. Components read the signals and act on the
/// session through [`Page::act`]; after every change the page re-publishes what changed.
#[derive(Clone, Copy)]
pub struct Page {
    session: StoredValue<Session, LocalStorage>,
    published: StoredValue<Published>,
    /// The last model's pod views, reused for pods that did not change.
    pod_views: StoredValue<PodViews, LocalStorage>,
    pub lines: RwSignal<Vec<Arc<Line>>>,
    pub prompt: RwSignal<String>,
    pub busy: RwSignal<bool>,
    /// The lab's code is still on its way (`Session::starting`): typed lines wait for it.
    pub starting: RwSignal<bool>,
    /// The line the shell runs and when it started (virtual ms), while it runs.
    pub running: RwSignal<Option<(String, i64)>>,
    /// Lines waiting for the running command, in order.
    pub queued: RwSignal<Vec<String>>,
    /// Virtual milliseconds on screen.
    pub clock_ms: RwSignal<i64>,
    pub playing: RwSignal<bool>,
    pub speed: RwSignal<u32>,
    /// The clock runs slower than `speed`: the cluster is too big to simulate that fast.
    pub lagging: RwSignal<bool>,
    pub model: RwSignal<ClusterModel>,
    pub events: RwSignal<Vec<EventView>>,
    pub timeline: RwSignal<TimelineView>,
    pub lang: RwSignal<Lang>,
    /// Files in the working directory.
    pub files: RwSignal<Vec<String>>,
    /// The file `vim` opened, while it waits for the editor.
    pub edit: RwSignal<Option<String>>,
    /// The traffic panel: curl answers up to the moment on screen.
    pub traffic: RwSignal<TrafficView>,
    /// A fetch of data the page keeps beside its bundle is under way (`Page::fetch_data`).
    fetching_data: StoredValue<bool>,
    /// Bumped when the session starts over with a fresh lab (a lesson reset or switch).
    pub restarts: RwSignal<u64>,
    /// The terminal's size as the shell knows it: (columns, rows).
    pub winsize: RwSignal<(u16, u16)>,
}

/// Fingerprints of what was last published, to skip work when nothing changed.
#[derive(Default)]
struct Published {
    revision: Option<u64>,
    transcript: Option<(Option<usize>, u64)>,
    events: Option<(Option<usize>, (usize, i64))>,
    /// When the events list was last redrawn while the clock ran (page time, ms).
    events_at: f64,
    /// The events list is behind the session (held back while the clock runs fast).
    events_behind: bool,
    /// (viewing, traffic generation, virtual second on screen, Services + Ingresses).
    traffic: Option<(Option<usize>, u64, i64, usize)>,
}

/// How often the events list is redrawn while the clock runs.
const EVENTS_REDRAW_MS: f64 = 250.0;

fn set_if_changed<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) {
    if signal.with_untracked(|current| *current != value) {
        signal.set(value);
    }
}

fn performance_now() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// For the e2e benchmark: when the page's `window.__labFrameCosts` is an array, each frame
/// appends what it spent simulating and drawing, `[sim_ms, drawing_ms]`.
fn record_frame_cost(sim_ms: f64, drawing_ms: f64) {
    let Ok(costs) = web_sys::js_sys::Reflect::get(&window(), &"__labFrameCosts".into()) else {
        return;
    };
    if let Some(costs) = costs.dyn_ref::<web_sys::js_sys::Array>() {
        costs.push(&web_sys::js_sys::Array::of2(
            &sim_ms.into(),
            &drawing_ms.into(),
        ));
    }
}

impl Page {
    pub(super) fn new(lab: Lab) -> Page {
        let mut session = Session::new(lab);
        session.now_ms = performance_now;
        let page = Page {
            session: StoredValue::new_local(session),
            published: StoredValue::new(Published::default()),
            pod_views: StoredValue::new_local(PodViews::default()),
            lines: RwSignal::new(Vec::new()),
            prompt: RwSignal::new(String::new()),
            busy: RwSignal::new(false),
            starting: RwSignal::new(false),
            running: RwSignal::new(None),
            queued: RwSignal::new(Vec::new()),
            clock_ms: RwSignal::new(0),
            playing: RwSignal::new(true),
            speed: RwSignal::new(1),
            lagging: RwSignal::new(false),
            model: RwSignal::new(ClusterModel::default()),
            events: RwSignal::new(Vec::new()),
            timeline: RwSignal::new(TimelineView::default()),
            lang: RwSignal::new(Lang::En),
            files: RwSignal::new(Vec::new()),
            edit: RwSignal::new(None),
            traffic: RwSignal::new(TrafficView::default()),
            fetching_data: StoredValue::new(false),
            restarts: RwSignal::new(0),
            winsize: RwSignal::new((0, 0)),
        };
        page.publish();
        page
    }

    /// Changes the session (a user action), then shows the result.
    pub fn act<R>(&self, change: impl FnOnce(&mut Session) -> R) -> Option<R> {
        let result = self.session.try_update_value(|s| {
            let r = change(s);
            s.revision += 1;
            r
        });
        self.publish();
        self.fetch_wanted_data();
        result
    }

    /// Fetches what the held line waits for (one fetch at a time), then lets the session go on.
    fn fetch_wanted_data(&self) {
        let wanted = self.session.try_with_value(|s| s.wants_data) == Some(true);
        if !wanted || self.fetching_data.try_get_value() != Some(false) {
            return;
        }
        let Some(Some(line)) = self.read(Session::held_command) else {
            return;
        };
        self.fetching_data.set_value(true);
        let page = *self;
        leptos::task::spawn_local(async move {
            let failure = super::data::fetch_wanted_by([line.as_str()]).await;
            page.fetching_data.set_value(false);
            page.act(|s| s.data_arrived(failure.as_deref()));
        });
    }

    /// Reads the session without changing it.
    pub fn read<R>(&self, read: impl FnOnce(&Session) -> R) -> Option<R> {
        self.session.try_with_value(read)
    }

    /// One animation frame. What the page then spends drawing (publishing, and the effects
    /// that follows in the same round of microtasks) is told to the session, whose next
    /// frames simulate within what is left of a frame.
    fn frame(&self, elapsed_ms: f64) {
        let started = performance_now();
        self.session.try_update_value(|s| s.frame(elapsed_ms));
        let drawing_from = performance_now();
        self.publish();
        self.fetch_wanted_data();
        let session = self.session;
        leptos::task::spawn_local(async move {
            let drawing_ms = performance_now() - drawing_from;
            session.try_update_value(|s| s.frame_drawn(drawing_ms));
            record_frame_cost(drawing_from - started, drawing_ms);
        });
    }

    /// Copies what changed in the session into the signals.
    fn publish(&self) {
        self.published.try_update_value(|published| {
            self.session
                .try_with_value(|s| self.publish_from(s, published));
        });
    }

    fn publish_from(&self, s: &Session, published: &mut Published) {
        if published.revision == Some(s.revision) && !published.events_behind {
            return;
        }
        published.revision = Some(s.revision);
        let lab = s.shown_lab();
        let transcript = s.shown_transcript();

        let fingerprint = (s.viewing, transcript.generation());
        if published.transcript != Some(fingerprint) {
            published.transcript = Some(fingerprint);
            self.lines.set(transcript.lines().to_vec());
        }
        let fingerprint = (s.viewing, events_fingerprint(lab.cluster().events()));
        if published.events != Some(fingerprint) {
            // While the clock runs, a list of text is redrawn a few times a second: nobody
            // reads sixty updates a second, and each one moves every row below it.
            let now = performance_now();
            if s.playing && now - published.events_at < EVENTS_REDRAW_MS {
                published.events_behind = true;
            } else {
                published.events = Some(fingerprint);
                published.events_at = now;
                published.events_behind = false;
                self.events.set(event_views(lab.cluster().events()));
            }
        } else {
            published.events_behind = false;
        }
        let model = self
            .pod_views
            .try_update_value(|views| model_reader::read_with(lab.cluster(), views))
            .unwrap_or_default();
        set_if_changed(self.model, model);
        // The chart moves on whole virtual seconds; no need to redraw it in between.
        let store = lab.cluster().store();
        let fingerprint = (
            s.viewing,
            s.traffic.generation(),
            lab.now().millis() / 1_000,
            store.services.len() + store.ingresses.len(),
        );
        if published.traffic != Some(fingerprint) {
            published.traffic = Some(fingerprint);
            set_if_changed(self.traffic, s.traffic.view(lab.now(), lab.cluster()));
        }
        set_if_changed(
            self.prompt,
            if s.viewing.is_some() {
                lab.prompt()
            } else {
                s.prompt()
            },
        );
        set_if_changed(self.busy, s.busy() && s.viewing.is_none());
        set_if_changed(self.starting, s.starting);
        let live = s.viewing.is_none();
        set_if_changed(
            self.running,
            s.running
                .as_ref()
                .filter(|_| live)
                .map(|r| (r.line.clone(), r.since.millis())),
        );
        if live {
            set_if_changed(self.queued, s.queued().map(str::to_string).collect());
        } else {
            set_if_changed(self.queued, Vec::new());
        }
        set_if_changed(self.clock_ms, lab.now().millis());
        set_if_changed(self.playing, s.playing);
        set_if_changed(self.speed, s.speed);
        set_if_changed(
            self.lagging,
            s.playing && performance_now() < s.lagging_until,
        );
        set_if_changed(
            self.timeline,
            TimelineView {
                snapshots: s.snapshots.len(),
                viewing: s.viewing,
                shown_ms: lab.now().millis(),
            },
        );
        set_if_changed(self.files, s.home_files());
        set_if_changed(self.edit, s.edit.as_ref().map(|e| e.path.clone()));
        set_if_changed(self.winsize, (s.winsize.cols, s.winsize.rows));
        set_if_changed(self.restarts, s.restarts);
    }
}

/// Polls the session every animation frame until the page goes away.
pub(super) fn start_driver(page: Page) {
    let alive = Arc::new(AtomicBool::new(true));
    {
        let alive = alive.clone();
        on_cleanup(move || alive.store(false, Ordering::Relaxed));
    }
    fn schedule(page: Page, alive: Arc<AtomicBool>, last: f64) {
        request_animation_frame(move || {
            // Timers outlive components: after cleanup the page's signals are gone.
            if !alive.load(Ordering::Relaxed) {
                return;
            }
            let now = performance_now();
            page.frame(now - last);
            schedule(page, alive, now);
        });
    }
    schedule(page, alive, performance_now());
}
