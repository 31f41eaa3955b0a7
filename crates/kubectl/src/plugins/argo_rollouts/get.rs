//! `get rollout` (cmd/get/get_rollout.go, get.go): the header block and the tree of
//! revisions, ReplicaSets, pods and AnalysisRuns; `-w` repaints it on the virtual clock.
//! `get experiment`: the lab has no Experiment kind, so every name is not found.

use super::cli::{self, Invocation};
use super::info::{self, AnalysisRunInfo, ImageInfo, ReplicaSetInfo, RolloutInfo};
use super::{colors_on, require_crds, Outcome, Plugin, Watch as PluginWatch};
use crate::error::KubectlError;
use crate::printers::tabwriter::TabWriter;
use crate::Output;
use rollout_sim::clock::{Duration, Time};
use rollout_sim::cluster::Cluster;

/// Tree icons (get.go).
const ICON_ROLLOUT: &str = "⟳";
const ICON_REVISION: &str = "#";
const ICON_REPLICA_SET: &str = "⧉";
const ICON_POD: &str = "□";
const ICON_JOB: &str = "⊞";
const ICON_ANALYSIS: &str = "α";

/// What `Clear()` writes before each frame of `-w`.
pub const CLEAR: &str = "\x1b[H\x1b[2J\x1b[0;0H";

/// How often `-w` repaints at most (its ticker).
const REPAINT: Duration = Duration(1_000);

/// `colorize` and `colorizeStatus`: an SGR colour around well-known words and icons. Words
/// without a colour are still wrapped (in `ESC[0m`), as upstream does to keep its tabwriter's
/// widths consistent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Colors(pub bool);

impl Colors {
    pub fn colorize(self, text: &str) -> String {
        self.colorize_status(text, text)
    }

    pub fn colorize_status(self, text: &str, key: &str) -> String {
        if !self.0 {
            return text.to_string();
        }
        format!("\x1b[{}m{text}\x1b[0m", color_code(key))
    }
}

/// `colorMapping`.
fn color_code(key: &str) -> u8 {
    const YELLOW: u8 = 33;
    const HI_BLUE: u8 = 94;
    const RED: u8 = 31;
    const GREEN: u8 = 32;
    match key {
        info::ICON_WAITING | info::ICON_UNKNOWN | info::TAG_CANARY => YELLOW,
        info::ICON_PROGRESSING | info::TAG_PREVIEW | info::TAG_PING | info::TAG_PONG => HI_BLUE,
        "Pending" | "Running" => HI_BLUE,
        info::ICON_WARNING | info::ICON_BAD => RED,
        info::ICON_OK | info::TAG_STABLE | info::TAG_ACTIVE => GREEN,
        _ => 0,
    }
}

/// `get rollout NAME`.
pub fn rollout(plugin: &mut Plugin<'_>, invocation: &Invocation) -> Result<Outcome, KubectlError> {
    let [name] = invocation.positional() else {
        return Err(cli::usage_error(invocation.command, plugin.env, plugin.out));
    };
    // The view controller's informers list the kinds first; without the CRDs that list
    // fails. (The real plugin then keeps retrying, with client-go's errors on stderr, until
    // interrupted; the lab reports the failing list once.)
    require_crds(plugin.cluster, "get", "rollouts", None)?;
    let namespace = invocation.namespace();
    let colors = Colors(colors_on(invocation, plugin.env));
    let Some(rollout) = info::rollout_info(plugin.cluster, &namespace, name) else {
        return Err(lister_not_found("rollout", name));
    };
    if !invocation.args.flag("watch") {
        plugin
            .out
            .stdout
            .push_str(&print_rollout(&rollout, plugin.cluster.now(), colors));
        return Ok(Outcome::Done);
    }
    let timeout = cli::parse_int(invocation.args.value("timeout-seconds").unwrap_or("0"))
        .unwrap_or(0)
        .max(0);
    let now = plugin.cluster.now();
    let mut watch = Watch {
        namespace,
        name: name.clone(),
        colors,
        until: (timeout > 0).then(|| now + Duration::from_secs(timeout)),
        frame: None,
        painted_at: None,
        gone: false,
    };
    Ok(match watch.poll(plugin.cluster, plugin.out) {
        Some(result) => result.map(|()| Outcome::Done)?,
        None => PluginWatch::Get(Box::new(watch)).into(),
    })
}

/// `get experiment NAME`: the lab runs no experiments.
pub fn experiment(
    plugin: &mut Plugin<'_>,
    invocation: &Invocation,
) -> Result<Outcome, KubectlError> {
    let [name] = invocation.positional() else {
        return Err(cli::usage_error(invocation.command, plugin.env, plugin.out));
    };
    require_crds(plugin.cluster, "get", "experiments", None)?;
    Err(lister_not_found("experiment", name))
}

/// A generated lister's NotFound: the *singular* resource (`rollout.argoproj.io "x" not
/// found`), unlike a client's Get.
pub fn lister_not_found(singular: &str, name: &str) -> KubectlError {
    cli::error(format!(
        "{singular}.argoproj.io {} not found",
        rollout_sim::api::go_quote(name)
    ))
}

/// A running `get rollout -w`: a new frame (after `Clear()`) when the view changed, at most
/// once a virtual second, until `--timeout-seconds` passes or Ctrl-C.
#[derive(Clone, Debug)]
pub struct Watch {
    namespace: String,
    name: String,
    colors: Colors,
    until: Option<Time>,
    /// The last frame painted.
    frame: Option<String>,
    painted_at: Option<Time>,
    /// The Rollout was deleted (warned once; the last frame stays).
    gone: bool,
}

impl Watch {
    pub fn poll(
        &mut self,
        cluster: &Cluster,
        out: &mut Output,
    ) -> Option<Result<(), KubectlError>> {
        let now = cluster.now();
        if self.until.is_some_and(|until| now >= until) {
            return Some(Ok(()));
        }
        let Some(rollout) = info::rollout_info(cluster, &self.namespace, &self.name) else {
            if !self.gone {
                self.gone = true;
                out.stderr.push_str(&logrus_warning(
                    now,
                    &format!("rollout.argoproj.io {} not found", go_quote(&self.name)),
                ));
            }
            return None;
        };
        self.gone = false;
        let due = self.painted_at.is_none_or(|at| now - at >= REPAINT);
        if !due {
            return None;
        }
        let frame = print_rollout(&rollout, now, self.colors);
        if self.frame.as_ref() != Some(&frame) {
            out.stdout.push_str(CLEAR);
            out.stdout.push_str(&frame);
            self.frame = Some(frame);
            self.painted_at = Some(now);
        }
        None
    }
}

fn go_quote(text: &str) -> String {
    rollout_sim::api::go_quote(text)
}

/// A logrus warning in its text format (what the plugin logs to stderr).
pub fn logrus_warning(now: Time, message: &str) -> String {
    format!(
        "time=\"{}\" level=warning msg={}\n",
        now.rfc3339(),
        go_quote(message)
    )
}

/// `PrintRollout`: the header block, an empty line, the tree.
pub fn print_rollout(rollout: &RolloutInfo, now: Time, colors: Colors) -> String {
    let mut text = String::new();
    let mut line = |label: &str, value: &str| {
        text.push_str(&format!("{label:<17}{value}\n"));
    };
    line("Name:", &rollout.name);
    line("Namespace:", &rollout.namespace);
    line(
        "Status:",
        &format!("{} {}", colors.colorize(rollout.icon), rollout.status),
    );
    if !rollout.message.is_empty() {
        line("Message:", &rollout.message);
    }
    line("Strategy:", rollout.strategy);
    if rollout.strategy == "Canary" {
        line("  Step:", &rollout.step);
        line("  SetWeight:", &rollout.set_weight);
        line("  ActualWeight:", &rollout.actual_weight);
    }
    for (i, image) in info::images(rollout).iter().enumerate() {
        line(
            if i == 0 { "Images:" } else { "" },
            &format_image(image, colors),
        );
    }
    text.push_str("Replicas:\n");
    let mut line = |label: &str, value: i32| {
        text.push_str(&format!("{label:<17}{value}\n"));
    };
    line("  Desired:", rollout.desired);
    line("  Current:", rollout.current);
    line("  Updated:", rollout.updated);
    line("  Ready:", rollout.ready);
    line("  Available:", rollout.available);
    text.push('\n');
    text.push_str(&print_tree(rollout, now, colors));
    text
}

/// `formatImage`: the image, then its roles in parentheses, each coloured.
fn format_image(image: &ImageInfo, colors: Colors) -> String {
    if image.tags.is_empty() {
        return image.image.clone();
    }
    let tags: Vec<String> = image.tags.iter().map(|t| colors.colorize(t)).collect();
    format!("{} ({})", image.image, tags.join(", "))
}

/// `getPrefixes`: the branch for a child, and what its own children hang from.
fn prefixes(is_last: bool, sub_prefix: &str) -> (String, String) {
    if is_last {
        (format!("{sub_prefix}└──"), format!("{sub_prefix}   "))
    } else {
        (format!("{sub_prefix}├──"), format!("{sub_prefix}│  "))
    }
}

/// `PrintRolloutTree`: five tab-separated cells per row, aligned as juju/ansiterm's
/// tabwriter does (minwidth 0, padding 2, colour escapes take no width).
pub fn print_tree(rollout: &RolloutInfo, now: Time, colors: Colors) -> String {
    let mut rows = String::from("NAME\tKIND\tSTATUS\tAGE\tINFO\n");
    rows.push_str(&format!(
        "{ICON_ROLLOUT} {}\tRollout\t{} {}\t{}\t\n",
        rollout.name,
        colors.colorize(rollout.icon),
        rollout.status,
        info::age(rollout.created, now)
    ));
    let revisions = info::revisions(rollout);
    for (i, revision) in revisions.iter().enumerate() {
        let (prefix, sub_prefix) = prefixes(i + 1 == revisions.len(), "");
        rows.push_str(&format!(
            "{prefix}{ICON_REVISION} revision:{revision}\t\t \t\t\n"
        ));
        let replica_sets: Vec<&ReplicaSetInfo> = rollout
            .replica_sets
            .iter()
            .filter(|rs| rs.revision == *revision)
            .collect();
        let runs: Vec<&AnalysisRunInfo> = rollout
            .analysis_runs
            .iter()
            .filter(|run| run.revision == *revision)
            .collect();
        let total = replica_sets.len() + runs.len();
        for (j, rs) in replica_sets.iter().enumerate() {
            let (child, child_sub) = prefixes(j + 1 == total, &sub_prefix);
            replica_set_rows(&mut rows, rs, &child, &child_sub, now, colors);
        }
        for (j, run) in runs.iter().enumerate() {
            let (child, child_sub) = prefixes(replica_sets.len() + j + 1 == total, &sub_prefix);
            analysis_run_rows(&mut rows, run, &child, &child_sub, now, colors);
        }
    }
    TabWriter::new(0, 2, false).ansi_aware().render(&rows)
}

/// `PrintReplicaSetInfo`: the ReplicaSet (its name coloured by its roles) and its pods.
fn replica_set_rows(
    rows: &mut String,
    rs: &ReplicaSetInfo,
    prefix: &str,
    sub_prefix: &str,
    now: Time,
    colors: Colors,
) {
    let mut tags = Vec::new();
    let mut name = rs.name.clone();
    let mut tag = |tag: &str, name: &mut String| {
        tags.push(colors.colorize(tag));
        *name = colors.colorize_status(name, tag);
    };
    if rs.stable {
        tag(info::TAG_STABLE, &mut name);
    }
    if rs.canary {
        tag(info::TAG_CANARY, &mut name);
    } else if rs.active {
        tag(info::TAG_ACTIVE, &mut name);
    } else if rs.preview {
        tag(info::TAG_PREVIEW, &mut name);
    }
    if rs.ping {
        tag(info::TAG_PING, &mut name);
    }
    if rs.pong {
        tag(info::TAG_PONG, &mut name);
    }
    if !rs.scale_down_deadline.is_empty() {
        tags.push(format!(
            "delay:{}",
            info::scale_down_delay(&rs.scale_down_deadline, now)
        ));
    }
    rows.push_str(&format!(
        "{prefix}{ICON_REPLICA_SET} {name}\tReplicaSet\t{} {}\t{}\t{}\n",
        colors.colorize(rs.icon),
        rs.status,
        info::age(rs.created, now),
        tags.join(",")
    ));
    for (i, pod) in rs.pods.iter().enumerate() {
        let (pod_prefix, _) = prefixes(i + 1 == rs.pods.len(), sub_prefix);
        let mut cells = format!("ready:{}", pod.ready);
        if pod.restarts > 0 {
            cells.push_str(&format!(",restarts:{}", pod.restarts));
        }
        rows.push_str(&format!(
            "{pod_prefix}{ICON_POD} {}\tPod\t{} {}\t{}\t{cells}\n",
            pod.name,
            colors.colorize(pod.icon),
            pod.status,
            info::age(pod.created, now),
        ));
    }
}

/// `PrintAnalysisRunInfo`: the run (named in its phase's colour), its measurement counts,
/// and its Jobs.
fn analysis_run_rows(
    rows: &mut String,
    run: &AnalysisRunInfo,
    prefix: &str,
    sub_prefix: &str,
    now: Time,
    colors: Colors,
) {
    let counts: Vec<String> = [
        (run.successful, info::ICON_OK),
        (run.failed, info::ICON_BAD),
        (run.inconclusive, info::ICON_UNKNOWN),
        (run.error, info::ICON_WARNING),
    ]
    .into_iter()
    .filter(|(count, _)| *count > 0)
    .map(|(count, icon)| format!("{} {count}", colors.colorize(icon)))
    .collect();
    rows.push_str(&format!(
        "{prefix}{ICON_ANALYSIS} {}\tAnalysisRun\t{} {}\t{}\t{}\n",
        colors.colorize_status(&run.name, &run.status),
        colors.colorize(run.icon),
        run.status,
        info::age(run.created, now),
        counts.join(",")
    ));
    for (i, job) in run.jobs.iter().enumerate() {
        let (job_prefix, _) = prefixes(i + 1 == run.jobs.len(), sub_prefix);
        rows.push_str(&format!(
            "{job_prefix}{ICON_JOB} {}\tJob\t{} {}\t{}\t\n",
            colors.colorize_status(&job.name, &job.status),
            colors.colorize(job.icon),
            job.status,
            info::age(job.created, now),
        ));
    }
}

#[cfg(test)]
mod tests;
