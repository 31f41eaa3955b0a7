//! `list rollouts` (cmd/list/list_rollouts.go, rollloutinfo.go): one row per Rollout, each
//! value padded by `fmt` to about its header's width, then aligned by Go's tabwriter
//! (padding 2). The last column keeps its `fmt` padding, so rows end in spaces.
//! `list experiments`: the lab runs none.

use super::cli::Invocation;
use super::{require_crds, Outcome, Plugin, Watch as PluginWatch};
use crate::error::KubectlError;
use crate::printers::tabwriter::TabWriter;
use crate::Output;
use rollout_sim::addons::argo_rollouts::controller::rollout_view;
use rollout_sim::addons::argo_rollouts::replicaset::get_current_set_weight;
use rollout_sim::addons::argo_rollouts::utils::phase::get_rollout_phase;
use rollout_sim::clock::Time;
use rollout_sim::cluster::{Cluster, ObjectKey};
use rollout_sim::objects::Rollout;
use std::collections::BTreeMap;

const HEADER: &str =
    "NAME\tSTRATEGY\tSTATUS\tSTEP\tSET-WEIGHT\tREADY\tDESIRED\tUP-TO-DATE\tAVAILABLE\n";

/// `rolloutInfo`: the columns of one row (the timestamp is not part of it: a row is
/// printed again only when these change).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Row {
    namespace: String,
    name: String,
    strategy: &'static str,
    status: &'static str,
    step: String,
    set_weight: String,
    ready_current: String,
    desired: i32,
    up_to_date: i32,
    available: i32,
}

impl Row {
    /// `newRolloutInfo`.
    fn new(ro: &Rollout) -> Row {
        let mut row = Row {
            namespace: ro.metadata.namespace.clone(),
            name: ro.metadata.name.clone(),
            strategy: "unknown",
            status: get_rollout_phase(ro).0.as_str(),
            step: "-".into(),
            set_weight: "-".into(),
            ready_current: format!("{}/{}", ro.status.ready_replicas, ro.status.replicas),
            desired: ro.replicas(),
            up_to_date: ro.status.updated_replicas,
            available: ro.status.available_replicas,
        };
        if let Some(canary) = ro.canary() {
            row.strategy = "Canary";
            if let (Some(index), false) = (ro.status.current_step_index, canary.steps.is_empty()) {
                row.step = format!("{index}/{}", canary.steps.len());
            }
            row.set_weight = get_current_set_weight(&rollout_view(ro)).to_string();
        } else if ro.blue_green().is_some() {
            row.strategy = "BlueGreen";
        }
        row
    }

    /// `String(timestamps, allNamespaces)`.
    fn line(&self, timestamp: Option<Time>, all_namespaces: bool) -> String {
        let mut line = String::new();
        if let Some(now) = timestamp {
            line.push_str(&format!("{:<20}\t", now.rfc3339()));
        }
        if all_namespaces {
            line.push_str(&format!("{:<9}\t", self.namespace));
        }
        line.push_str(&format!(
            "{:<10}\t{:<9}\t{:<12}\t{:<4}\t{:<10}\t{:<5}\t{:<7}\t{:<10}\t{:<9}\n",
            self.name,
            self.strategy,
            self.status,
            self.step,
            self.set_weight,
            self.ready_current,
            self.desired,
            self.up_to_date,
            self.available
        ));
        line
    }
}

/// What one listing asks for.
#[derive(Clone, Debug)]
struct Query {
    /// `None` with `-A`.
    namespace: Option<String>,
    /// `--name`: a field selector on `metadata.name`.
    name: Option<String>,
    timestamps: bool,
}

impl Query {
    fn rows(&self, cluster: &Cluster) -> Vec<Row> {
        cluster
            .store()
            .rollouts
            .iter()
            .filter(|(key, _)| {
                self.namespace
                    .as_ref()
                    .is_none_or(|ns| key.namespace == *ns)
            })
            .filter(|(key, _)| self.name.as_ref().is_none_or(|name| key.name == *name))
            .map(|(_, ro)| Row::new(ro))
            .collect()
    }

    fn all_namespaces(&self) -> bool {
        self.namespace.is_none()
    }
}

/// `list rollouts`.
pub fn rollouts(plugin: &mut Plugin<'_>, invocation: &Invocation) -> Result<Outcome, KubectlError> {
    require_crds(plugin.cluster, "get", "rollouts", None)?;
    let query = Query {
        namespace: (!invocation.args.flag("all-namespaces")).then(|| invocation.namespace()),
        name: invocation
            .args
            .value("name")
            .filter(|n| !n.is_empty())
            .map(str::to_string),
        timestamps: invocation.args.flag("timestamps"),
    };
    let watch = invocation.args.flag("watch");
    let rows = query.rows(plugin.cluster);
    let now = plugin.cluster.now();
    if rows.is_empty() && !watch {
        plugin.out.stderr.push_str("No resources found.\n");
        return Ok(Outcome::Done);
    }
    let mut text = String::new();
    if query.timestamps {
        text.push_str("TIMESTAMP\t");
    }
    if query.all_namespaces() {
        text.push_str("NAMESPACE\t");
    }
    text.push_str(HEADER);
    for row in &rows {
        text.push_str(&row.line(query.timestamps.then_some(now), query.all_namespaces()));
    }
    plugin
        .out
        .stdout
        .push_str(&TabWriter::new(0, 2, false).render(&text));
    if !watch {
        return Ok(Outcome::Done);
    }
    let printed = rows
        .into_iter()
        .map(|row| (ObjectKey::new(&row.namespace, &row.name), row))
        .collect();
    Ok(PluginWatch::List(Watch { query, printed }).into())
}

/// A running `list rollouts -w`: a row for every Rollout whose row changed. Rows found in
/// one poll are aligned together (upstream flushes its tabwriter every 500 ms).
#[derive(Clone, Debug)]
pub struct Watch {
    query: Query,
    printed: BTreeMap<ObjectKey, Row>,
}

impl Watch {
    pub fn poll(
        &mut self,
        cluster: &Cluster,
        out: &mut Output,
    ) -> Option<Result<(), KubectlError>> {
        let now = cluster.now();
        let mut text = String::new();
        for row in self.query.rows(cluster) {
            let key = ObjectKey::new(&row.namespace, &row.name);
            if self.printed.get(&key) != Some(&row) {
                text.push_str(&row.line(
                    self.query.timestamps.then_some(now),
                    self.query.all_namespaces(),
                ));
                self.printed.insert(key, row);
            }
        }
        if !text.is_empty() {
            out.stdout
                .push_str(&TabWriter::new(0, 2, false).render(&text));
        }
        None
    }
}

/// `list experiments`: with the CRDs installed there simply are none.
pub fn experiments(
    plugin: &mut Plugin<'_>,
    _invocation: &Invocation,
) -> Result<Outcome, KubectlError> {
    require_crds(plugin.cluster, "get", "experiments", None)?;
    plugin.out.stderr.push_str("No resources found.\n");
    Ok(Outcome::Done)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, strategy: &'static str, step: &str, weight: &str) -> Row {
        Row {
            namespace: "test".into(),
            name: name.into(),
            strategy,
            status: "Progressing",
            step: step.into(),
            set_weight: weight.into(),
            ready_current: "1/4".into(),
            desired: 5,
            up_to_date: 3,
            available: 2,
        }
    }

    fn table(rows: &[Row], timestamp: Option<Time>, all_namespaces: bool) -> String {
        let mut text = String::new();
        if timestamp.is_some() {
            text.push_str("TIMESTAMP\t");
        }
        if all_namespaces {
            text.push_str("NAMESPACE\t");
        }
        text.push_str(HEADER);
        for row in rows {
            text.push_str(&row.line(timestamp, all_namespaces));
        }
        TabWriter::new(0, 2, false).render(&text)
    }

    #[test]
    fn rows_keep_their_fmt_padding_like_upstreams_goldens() {
        assert_eq!(
            table(&[row("can-guestbook", "Canary", "1/3", "10")], None, false),
            "NAME           STRATEGY   STATUS        STEP  SET-WEIGHT  READY  DESIRED  UP-TO-DATE  AVAILABLE\n\
             can-guestbook  Canary     Progressing   1/3   10          1/4    5        3           2        \n"
        );
        assert_eq!(
            table(&[row("bg-guestbook", "BlueGreen", "-", "-")], None, false),
            "NAME          STRATEGY   STATUS        STEP  SET-WEIGHT  READY  DESIRED  UP-TO-DATE  AVAILABLE\n\
             bg-guestbook  BlueGreen  Progressing   -     -           1/4    5        3           2        \n"
        );
    }

    #[test]
    fn all_namespaces_and_timestamps_add_leading_columns() {
        let text = table(
            &[row("can-guestbook", "Canary", "1/3", "10")],
            Some(Time(0)),
            true,
        );
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("TIMESTAMP             NAMESPACE  NAME           STRATEGY   STATUS        STEP  SET-WEIGHT  READY  DESIRED  UP-TO-DATE  AVAILABLE")
        );
        assert!(lines.next().is_some_and(|l| l.contains(
            "test       can-guestbook  Canary     Progressing   1/3   10          1/4    5        3           2"
        )));
    }
}
