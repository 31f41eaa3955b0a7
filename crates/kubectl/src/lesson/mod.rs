//! # Lessons: guided steps with checks, as data
//!
//! A lesson is one YAML file (see `lessons/README.md` for the format): its manifests, and a
//! list of steps, each with a text in English and Chinese, the commands it suggests, and a
//! check that turns green when the cluster reaches the state the step asks for. Course authors
//! add a lesson by adding a file; `rollout-lab lesson FILE` proves its commands reach every
//! check.

mod check;
pub mod page;
mod problem;
mod rules;
pub mod schema;

pub use check::{Check, CheckResult};
pub use problem::{LessonError, LessonProblem, ProblemKind, MAX_FILE_BYTES};

use crate::lab::{Lab, HOME};
use crate::shell::Submit;
use rollout_sim::clock::Duration;
use rollout_sim::cluster::{WorkerSize, COURSE_NODES};
use serde::{Deserialize, Serialize};

/// A text in the lesson's two languages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub en: String,
    /// Optional: an empty text shows the English one.
    #[serde(default)]
    pub zh: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh if !self.zh.is_empty() => &self.zh,
            Lang::Zh => &self.en,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Zh,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// The name in URLs (`?lesson=blue-green`).
    pub id: String,
    /// Position in the lesson list.
    pub order: u32,
    pub title: Text,
    pub summary: Text,
    /// Manifests placed in the working directory when the lesson starts.
    #[serde(default)]
    pub files: Vec<File>,
    /// The state the learner finds: made before the first step, not shown as steps.
    #[serde(default)]
    pub setup: Setup,
    pub steps: Vec<Step>,
    /// The final page, shown once every step is green.
    #[serde(default)]
    pub done: Option<Text>,
    #[serde(default)]
    pub settings: Settings,
}

/// What is done before the learner arrives, in this order: manifests applied (as
/// `kubectl apply -f`), commands run, then the virtual clock moved on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setup {
    #[serde(default)]
    pub apply: Vec<String>,
    #[serde(default)]
    pub commands: Vec<String>,
    /// Virtual seconds to let pass afterwards (pods start, rollouts settle).
    #[serde(default)]
    pub advance: u32,
}

/// How the page opens for this lesson.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The clock's initial speed (one the page offers: 1, 2, 5, 10, 30).
    #[serde(default)]
    pub speed: Option<u32>,
    /// The panels shown; all when absent.
    #[serde(default)]
    pub panels: Option<Vec<Panel>>,
    /// The cluster's workers; the course's three small ones when absent.
    #[serde(default)]
    pub nodes: Option<Nodes>,
}

/// How many workers the lesson's cluster has, and how big each is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Nodes {
    /// 1 to `MAX_WORKERS`; the course's 3 when absent.
    #[serde(default)]
    pub count: Option<usize>,
    /// `tiny` (1 CPU, 2 GiB), `small` (the course's: 2 CPUs, 4 GiB), `medium` (4, 8 GiB),
    /// `large` (8, 16 GiB); `small` when absent.
    #[serde(default)]
    pub size: Option<WorkerSize>,
}

/// A panel of the page, as `settings.panels` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Panel {
    Editor,
    Events,
    Cluster,
    Traffic,
    Terminal,
}

impl Panel {
    /// The name in the lesson file (and the page's `data-pane`).
    pub fn name(self) -> &'static str {
        match self {
            Panel::Editor => "editor",
            Panel::Events => "events",
            Panel::Cluster => "cluster",
            Panel::Traffic => "traffic",
            Panel::Terminal => "terminal",
        }
    }
}

impl Settings {
    /// Whether the panel called `name` shows (the lesson panel always does).
    pub fn shows(&self, name: &str) -> bool {
        name == "lesson"
            || self
                .panels
                .as_ref()
                .is_none_or(|panels| panels.iter().any(|p| p.name() == name))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    pub name: String,
    pub content: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The step's name in progress messages; `step-N` (1-based) when absent.
    #[serde(default)]
    pub id: Option<String>,
    pub title: Text,
    pub text: Text,
    /// Suggested command lines; one click pastes and runs them in order.
    #[serde(default)]
    pub commands: Vec<String>,
    /// What must be true for the step to turn green (all of them), as one-key maps
    /// (`- pods: {…}`).
    #[serde(default)]
    pub check: Vec<Check>,
    /// Revealed one at a time, on request.
    #[serde(default)]
    pub hints: Vec<Text>,
}

impl Step {
    /// The step's id: its own, else `step-N` for the 1-based `number`.
    pub fn id_or(&self, number: usize) -> String {
        self.id.clone().unwrap_or_else(|| format!("step-{number}"))
    }
}

impl Lesson {
    /// Reads a lesson file, checked against the lesson schema (`lessons/lesson.schema.json`)
    /// and the rules a schema cannot say; every problem is reported, each with its line.
    pub fn parse(text: &str) -> Result<Lesson, LessonError> {
        if text.len() > MAX_FILE_BYTES {
            return Err(LessonError::one(
                ProblemKind::FileTooLarge {
                    bytes: text.len(),
                    max: MAX_FILE_BYTES,
                },
                None,
            ));
        }
        // The lab's own YAML reader (go-yaml's rules), then the schema, then typed decoding.
        let value = rollout_sim::manifest::yaml::document_to_json(text)
            .map_err(|e| LessonError::one(ProblemKind::Yaml(e.detail), e.line))?
            .ok_or_else(|| LessonError::one(ProblemKind::Empty, None))?;
        let mut found = schema::check(schema::lesson_schema(), &value);
        found.extend(rules::check(&value));
        if !found.is_empty() {
            let lines = rollout_sim::manifest::yaml::value_lines(text);
            let mut problems: Vec<LessonProblem> = found
                .into_iter()
                .map(|(pointer, kind)| LessonProblem {
                    line: problem::line_of(&lines, &pointer),
                    field: problem::field_name(&pointer),
                    kind,
                })
                .collect();
            problems.sort_by_key(|p| p.line);
            return Err(LessonError(problems));
        }
        // The schema admits only what the types decode; should they disagree, say so.
        serde_json::from_value(value)
            .map_err(|e| LessonError::one(ProblemKind::Yaml(e.to_string()), None))
    }

    /// A lab with the lesson's files in the working directory.
    pub fn start(&self, seed: u64) -> Lab {
        let mut lab = match &self.settings.nodes {
            Some(nodes) => Lab::headless_with_workers(
                seed,
                nodes.count.unwrap_or(COURSE_NODES.len()),
                nodes.size.unwrap_or(WorkerSize::Small),
            ),
            None => Lab::headless(seed),
        };
        for file in &self.files {
            lab.shell
                .files_mut()
                .write(&format!("{HOME}/{}", file.name), &file.content);
        }
        self.set_up(&mut lab);
        lab
    }

    /// Makes the lesson's starting state in `lab` ([`Setup`]); its output is not shown.
    fn set_up(&self, lab: &mut Lab) {
        for (index, manifest) in self.setup.apply.iter().enumerate() {
            // Applied from a file outside the learner's working directory, then removed.
            let path = format!("/tmp/lesson-setup-{index}.yaml");
            lab.shell.files_mut().write(&path, manifest);
            run_commands(lab, &[format!("kubectl apply -f {path}")]);
            lab.shell.files_mut().files.remove(&path);
        }
        run_commands(lab, &self.setup.commands);
        lab.advance(Duration::from_secs(i64::from(self.setup.advance)));
        // The setup's lines are not the learner's: the terminal starts clean.
        lab.shell.clear_history();
    }
}

/// What happened to one step when its suggested commands were run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepReport {
    pub step: usize,
    /// Virtual seconds waited after the commands until the check held.
    pub waited_secs: i64,
    /// The checks that still failed, if the step never turned green.
    pub failures: Vec<String>,
}

/// How long a student would wait for a step's check after running its commands.
const PATIENCE: Duration = Duration(300_000);

/// Runs every step's commands in a fresh lab and reports whether each check is reached.
pub fn verify(lesson: &Lesson, seed: u64) -> Vec<StepReport> {
    let mut lab = lesson.start(seed);
    let mut reports = Vec::new();
    for (index, step) in lesson.steps.iter().enumerate() {
        run_commands(&mut lab, &step.commands);
        let mut waited = Duration::ZERO;
        loop {
            let failures: Vec<String> = step
                .check
                .iter()
                .filter_map(|check| match check.evaluate(&lab) {
                    CheckResult::Pass => None,
                    CheckResult::Fail(why) => Some(why),
                })
                .collect();
            if failures.is_empty() || waited >= PATIENCE {
                reports.push(StepReport {
                    step: index + 1,
                    waited_secs: waited.whole_secs(),
                    failures,
                });
                break;
            }
            lab.advance(Duration::from_secs(1));
            waited = waited + Duration::from_secs(1);
        }
    }
    reports
}

/// A lab at the start of `lesson`'s step `start_step`: the earlier steps' commands ran. In the
/// page it is the lesson code's (`page::Code`); before the lab's code is here
/// (`lab::engine`) it makes the placeholder lab, with the lesson's files.
pub fn lab_at_step(lesson: &Lesson, start_step: usize, seed: u64) -> Lab {
    let mut lab = lesson.start(seed);
    for step in lesson.steps.iter().take(start_step) {
        run_commands(&mut lab, &step.commands);
    }
    lab
}

/// Submits command lines as the page's "run" button does, waiting for each to finish.
pub fn run_commands(lab: &mut Lab, commands: &[String]) {
    for command in commands {
        for line in command.lines() {
            if let Submit::NeedMore { .. } = lab.submit(line) {
                continue;
            }
            lab.run_to_completion(Duration::from_secs(600));
        }
    }
}

/// Every built-in lesson, in order. With `embedded-lessons` the files are compiled in and
/// parsed; without it (the page) each is a [`CatalogEntry::stub`], whose file the page fetches
/// from beside its bundle when the lesson opens.
pub fn built_in() -> Vec<Lesson> {
    #[cfg(feature = "embedded-lessons")]
    let mut lessons: Vec<Lesson> = BUILT_IN
        .iter()
        .filter_map(|(_, text)| Lesson::parse(text).ok())
        .collect();
    #[cfg(not(feature = "embedded-lessons"))]
    let mut lessons: Vec<Lesson> = CATALOG.iter().map(CatalogEntry::stub).collect();
    lessons.sort_by_key(|l| l.order);
    lessons
}

/// `(file name, text)` of every file in `lessons/`, generated by the build script.
#[cfg(feature = "embedded-lessons")]
pub const BUILT_IN: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/lessons.rs"));

/// A built-in lesson as the picker lists it, known without its file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CatalogEntry {
    /// Its file in `lessons/` (beside the page's bundle: `lessons/FILE`).
    pub file: &'static str,
    pub id: &'static str,
    pub order: u32,
    pub title_en: &'static str,
    pub title_zh: &'static str,
}

impl CatalogEntry {
    /// A lesson with the catalog's id, order and title and nothing else: no steps, which no
    /// lesson file may have (the schema asks for one at least).
    pub fn stub(&self) -> Lesson {
        Lesson {
            id: self.id.to_string(),
            order: self.order,
            title: Text {
                en: self.title_en.to_string(),
                zh: self.title_zh.to_string(),
            },
            summary: Text::default(),
            files: Vec::new(),
            setup: Setup::default(),
            steps: Vec::new(),
            done: None,
            settings: Settings::default(),
        }
    }
}

/// Every file in `lessons/` as the picker lists it, generated by the build script.
pub const CATALOG: &[CatalogEntry] = include!(concat!(env!("OUT_DIR"), "/lesson_catalog.rs"));

/// The catalog's entry for the built-in lesson `id`.
pub fn catalog_entry(id: &str) -> Option<&'static CatalogEntry> {
    CATALOG.iter().find(|e| e.id == id)
}

impl Lesson {
    /// Whether this is a built-in lesson's [`CatalogEntry::stub`], its file not read yet.
    pub fn is_stub(&self) -> bool {
        self.steps.is_empty()
    }
}
