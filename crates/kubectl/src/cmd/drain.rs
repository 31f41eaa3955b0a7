//! `kubectl drain NODE` (kubectl 1.30's `cmd/drain` and `pkg/drain`): cordon the node, pick
//! the pods to move off it (`GetPodsForDeletion` and its filters), then evict them through
//! the eviction API — retrying every 5 s while a PodDisruptionBudget says no — and wait for
//! each to be gone, on the virtual clock. `--disable-eviction` deletes instead, past every
//! budget. kubectl evicts the pods concurrently; here they are tried in list order at each
//! instant, which is one of the orders a real run can print.

use super::generate::DryRun;
use super::{Ctx, Flow, Waiting};
use crate::args::{self, boolean, value, Args};
use crate::error::KubectlError;
use crate::printers::success_line;
use crate::selector::Selector;
use crate::Output;
use rollout_sim::api::{go_quote, ApiError};
use rollout_sim::clock::{Duration, Time};
use rollout_sim::cluster::{Cluster, ObjectKey};
use rollout_sim::objects::{Kind, Pod, PodPhase};

const COMMAND: &str = "kubectl drain";

/// `EvictErrorRetryDelay`: how long kubectl sleeps after a 429 before it asks again.
const EVICT_RETRY_DELAY: Duration = Duration(5_000);

/// `waitForDelete`'s poll interval.
const DELETE_POLL_INTERVAL: Duration = Duration(1_000);

// The filters' verdicts (`pkg/drain/filters.go`), worded as kubectl 1.30 words them; its
// unmanaged-pod text really does start with "cannot delete", which the list's own
// "cannot delete …" then repeats.
const LOCAL_STORAGE_FATAL: &str =
    "Pods with local storage (use --delete-emptydir-data to override)";
const UNMANAGED_FATAL: &str =
    "cannot delete Pods that declare no controller (use --force to override)";
const UNMANAGED_WARNING: &str = "deleting Pods that declare no controller";

const FLAGS: &[args::Flag] = &[
    boolean("force", None),
    boolean("ignore-daemonsets", None),
    boolean("delete-emptydir-data", None),
    boolean("delete-local-data", None),
    value("grace-period", None),
    value("timeout", None),
    value("pod-selector", None),
    boolean("disable-eviction", None),
    value("skip-wait-for-delete-timeout", None),
    value("chunk-size", None),
    value("dry-run", None),
    value("selector", Some('l')),
];

/// The drain helper's settings (`drain.Helper`).
#[derive(Clone, Debug)]
struct Helper {
    force: bool,
    delete_emptydir_data: bool,
    /// `None`: each pod's own grace period (kubectl's `-1`).
    grace_period_seconds: Option<i64>,
    /// `None`: no limit (kubectl's `0`).
    timeout: Option<Duration>,
    pod_selector: Selector,
    disable_eviction: bool,
    dry_run: DryRun,
}

/// A running `kubectl drain`: the nodes still to drain, one after the other.
#[derive(Clone, Debug)]
pub struct Drain {
    helper: Helper,
    nodes: Vec<String>,
    /// The node being drained now, once its pods are listed.
    current: Option<NodeDrain>,
    /// Nodes that could not be drained, with the error `RunDrain` collected.
    failed: Vec<(String, NodeError)>,
}

/// One node's pods on their way out.
#[derive(Clone, Debug)]
struct NodeDrain {
    node: String,
    pods: Vec<PodTask>,
    /// When `--timeout` runs out for this node's evictions.
    deadline: Option<Time>,
    errors: Vec<String>,
    /// `deletePods`' one error: its wait for the deleted pods timed out.
    deletion_timed_out: bool,
}

#[derive(Clone, Debug)]
struct PodTask {
    namespace: String,
    name: String,
    uid: String,
    state: TaskState,
}

#[derive(Clone, Debug, PartialEq)]
enum TaskState {
    /// The next eviction request goes out at this instant.
    Evicting {
        at: Time,
    },
    /// Evicted or deleted; the next look for the pod is at this instant.
    Waiting {
        at: Time,
    },
    Done,
}

/// Why a node was not drained: `RunDrain` keeps the error as its aggregate, which decides
/// how the final message is printed.
#[derive(Clone, Debug)]
enum NodeError {
    /// The filters refused pods (an aggregate, one message per kind of refusal).
    Filters(Vec<String>),
    /// Evictions failed (an aggregate, one message per pod).
    Evictions(Vec<String>),
    /// Deleting failed with one plain error (`timed out waiting for the condition`).
    Deletion(String),
}

impl NodeError {
    /// `err.Error()`: an aggregate of one is its message, of several `[a, b]`.
    fn message(&self) -> String {
        match self {
            NodeError::Filters(messages) | NodeError::Evictions(messages) => {
                aggregate_message(messages)
            }
            NodeError::Deletion(message) => message.clone(),
        }
    }
}

fn aggregate_message(messages: &[String]) -> String {
    match messages {
        [one] => one.clone(),
        several => format!("[{}]", several.join(", ")),
    }
}

pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    let args = args::parse(COMMAND, argv, FLAGS)?;
    if args.is_set("delete-local-data") {
        ctx.out.stderr.push_str("Flag --delete-local-data has been deprecated, This option is deprecated and will be deleted. Use --delete-emptydir-data.\n");
    }
    let helper = Helper::from_args(&args)?;
    let nodes = node_names(ctx.cluster, &args)?;
    super::cordon::set_unschedulable(ctx, &nodes, true, helper.dry_run)?;
    let mut drain = Drain {
        helper,
        nodes,
        current: None,
        failed: Vec::new(),
    };
    match drain.poll(ctx.cluster, ctx.out) {
        Some(result) => result.map(|()| Flow::Done),
        None => Ok(Flow::Wait(Waiting::Drain(Box::new(drain)))),
    }
}

impl Helper {
    fn from_args(args: &Args) -> Result<Helper, KubectlError> {
        let dry_run = DryRun::parse(args)?;
        let grace = args.int(COMMAND, "grace-period", "--grace-period")?;
        let timeout = match args.duration(COMMAND, "timeout")? {
            None | Some(0) => None,
            Some(millis) => Some(Duration(millis)),
        };
        args.int(
            COMMAND,
            "skip-wait-for-delete-timeout",
            "--skip-wait-for-delete-timeout",
        )?;
        args.int(COMMAND, "chunk-size", "--chunk-size")?;
        let pod_selector = match args.value("pod-selector") {
            None | Some("") => Selector::default(),
            Some(text) => Selector::parse(text).map_err(|_| {
                KubectlError::plain("--pod-selector=<pod_selector> must be a valid label selector")
            })?,
        };
        Ok(Helper {
            force: args.flag("force"),
            delete_emptydir_data: args.flag("delete-emptydir-data")
                || args.flag("delete-local-data"),
            grace_period_seconds: grace.filter(|g| *g >= 0),
            timeout,
            pod_selector,
            disable_eviction: args.flag("disable-eviction"),
            dry_run,
        })
    }
}

/// The nodes named or selected, all looked up before anything changes (`Complete`).
fn node_names(cluster: &Cluster, args: &Args) -> Result<Vec<String>, KubectlError> {
    let selector = args.value("selector").filter(|s| !s.is_empty());
    if args.positional.is_empty() && !args.is_set("selector") {
        return Err(KubectlError::usage(COMMAND, "USAGE: drain NODE [flags]"));
    }
    if !args.positional.is_empty() && selector.is_some() {
        return Err(KubectlError::usage(
            COMMAND,
            "cannot specify both a node name and a --selector option",
        ));
    }
    super::cordon::find_nodes(cluster, selector, &args.positional)
}

impl Drain {
    /// The next instant the drain acts by itself (a retry, a look for a pod): the caller's
    /// clock should stop there.
    pub fn wakes_at(&self) -> Option<Time> {
        let current = self.current.as_ref()?;
        current
            .pods
            .iter()
            .filter_map(|task| match task.state {
                TaskState::Evicting { at } | TaskState::Waiting { at } => Some(at),
                TaskState::Done => None,
            })
            .min()
    }

    /// Moves every node's drain on as far as the clock allows; `Some` once all are done.
    pub fn poll(
        &mut self,
        cluster: &mut Cluster,
        out: &mut Output,
    ) -> Option<Result<(), KubectlError>> {
        loop {
            if self.current.is_none() {
                if self.nodes.is_empty() {
                    return Some(self.finish(out));
                }
                let node = self.nodes.remove(0);
                let warned = out.stderr.len();
                match self.start_node(cluster, node.clone(), out) {
                    Ok(Some(current)) => {
                        self.current = Some(current);
                        // kubectl prints its warning before the first eviction: end this
                        // poll so that the warning is out before the next one's lines.
                        if out.stderr.len() > warned {
                            return None;
                        }
                    }
                    Ok(None) => {
                        self.drained(&node, out);
                        continue;
                    }
                    Err(error) => {
                        self.node_failed(node, error, cluster, out);
                        continue;
                    }
                }
            }
            let current = self.current.as_mut()?;
            if !current.step(&self.helper, cluster, out) {
                return None;
            }
            let NodeDrain {
                node,
                errors,
                deletion_timed_out,
                ..
            } = self.current.take()?;
            if deletion_timed_out {
                let error = NodeError::Deletion("timed out waiting for the condition".into());
                self.node_failed(node, error, cluster, out);
            } else if errors.is_empty() {
                self.drained(&node, out);
            } else {
                self.node_failed(node, NodeError::Evictions(errors), cluster, out);
            }
        }
    }

    /// `deleteOrEvictPodsSimple` up to the deletions: the pods to move, their warnings, and
    /// `None` when nothing is left to wait for.
    fn start_node(
        &self,
        cluster: &mut Cluster,
        node: String,
        out: &mut Output,
    ) -> Result<Option<NodeDrain>, NodeError> {
        let list = get_pods_for_deletion(cluster, &node, &self.helper)?;
        if !list.warnings.is_empty() {
            let warnings: Vec<String> = list
                .warnings
                .iter()
                .map(|(message, pods)| format!("{message}: {}", pods.join(", ")))
                .collect();
            out.stderr
                .push_str(&format!("Warning: {}\n", warnings.join("; ")));
        }
        let helper = &self.helper;
        if helper.dry_run == DryRun::Client {
            for pod in &list.pods {
                let (namespace, name) = (&pod.metadata.namespace, &pod.metadata.name);
                out.stdout
                    .push_str(&format!("evicting pod {namespace}/{name} (dry run)\n"));
            }
            return Ok(None);
        }
        if list.pods.is_empty() {
            return Ok(None);
        }
        let now = cluster.now();
        let mut current = NodeDrain {
            node,
            pods: list
                .pods
                .iter()
                .map(|pod| PodTask {
                    namespace: pod.metadata.namespace.clone(),
                    name: pod.metadata.name.clone(),
                    uid: pod.metadata.uid.clone(),
                    state: TaskState::Evicting { at: now },
                })
                .collect(),
            deadline: helper.timeout.map(|timeout| now + timeout),
            errors: Vec::new(),
            deletion_timed_out: false,
        };
        if helper.disable_eviction {
            current.delete_pods(helper, cluster)?;
            if helper.dry_run == DryRun::Server {
                return Ok(None);
            }
        }
        Ok(Some(current))
    }

    fn drained(&self, node: &str, out: &mut Output) {
        let operation = format!(
            "drained{}",
            super::cordon::dry_run_suffix(self.helper.dry_run)
        );
        out.stdout
            .push_str(&success_line(Kind::Node, node, &operation));
    }

    /// `RunDrain`'s error branch, after `deleteOrEvictPodsSimple` listed what is left when
    /// evicting or deleting failed.
    fn node_failed(&mut self, node: String, error: NodeError, cluster: &Cluster, out: &mut Output) {
        let message = error.message();
        if !matches!(error, NodeError::Filters(_)) {
            if let Ok(list) = get_pods_for_deletion(cluster, &node, &self.helper) {
                if !list.pods.is_empty() {
                    out.stderr.push_str(&format!(
                        "There are pending pods in node {} when an error occurred: {message}\n",
                        go_quote(&node)
                    ));
                    for pod in &list.pods {
                        out.stderr.push_str(&format!("pod/{}\n", pod.metadata.name));
                    }
                }
            }
        }
        out.stderr.push_str(&format!(
            "error: unable to drain node {} due to error:{message}, continuing command...\n",
            go_quote(&node)
        ));
        self.failed.push((node, error));
    }

    fn finish(&mut self, out: &mut Output) -> Result<(), KubectlError> {
        if self.failed.is_empty() {
            return Ok(());
        }
        out.stderr
            .push_str("There are pending nodes to be drained:\n");
        for (node, _) in &self.failed {
            out.stderr.push_str(&format!(" {node}\n"));
        }
        // cmdutil.CheckErr: an aggregate of one node is unwrapped to that node's error; an
        // aggregate prints one message a line, a plain error gets `error: `.
        let lines: Vec<String> = match self.failed.as_slice() {
            [(_, NodeError::Filters(messages) | NodeError::Evictions(messages))] => {
                messages.clone()
            }
            [(_, NodeError::Deletion(message))] => {
                return Err(KubectlError::plain(message.clone()))
            }
            several => several.iter().map(|(_, e)| e.message()).collect(),
        };
        Err(KubectlError::Verbatim(lines.join("\n")))
    }
}

impl NodeDrain {
    /// Does what is due by now; true once every pod is gone or given up on.
    fn step(&mut self, helper: &Helper, cluster: &mut Cluster, out: &mut Output) -> bool {
        let now = cluster.now();
        let timeout = helper.timeout.map(Duration::go_string).unwrap_or_default();
        let expired = self.deadline.is_some_and(|deadline| now >= deadline);
        // `deletePods` waits for all its pods with one timeout, and gives up on them at once.
        if helper.disable_eviction && expired {
            let pending = self.pods.iter().any(|task| task.state != TaskState::Done);
            if pending {
                self.deletion_timed_out = true;
                for task in &mut self.pods {
                    task.state = TaskState::Done;
                }
                return true;
            }
        }
        // Every pod's goroutine sends its eviction first; the looks for the pods follow.
        for i in 0..self.pods.len() {
            if matches!(self.pods[i].state, TaskState::Evicting { at } if at <= now) {
                self.evict(i, helper, cluster, out, expired, &timeout);
            }
        }
        for i in 0..self.pods.len() {
            if matches!(self.pods[i].state, TaskState::Waiting { at } if at <= now) {
                self.look(i, helper, cluster, out, expired, &timeout);
            }
        }
        self.pods.iter().all(|task| task.state == TaskState::Done)
    }

    /// One pass of `evictPods`' loop for one pod.
    fn evict(
        &mut self,
        i: usize,
        helper: &Helper,
        cluster: &mut Cluster,
        out: &mut Output,
        expired: bool,
        timeout: &str,
    ) {
        let now = cluster.now();
        let task = self.pods[i].clone();
        let (namespace, name) = (task.namespace.as_str(), task.name.as_str());
        let server_dry_run = helper.dry_run == DryRun::Server;
        let note = if server_dry_run {
            " (server dry run)"
        } else {
            ""
        };
        out.stdout
            .push_str(&format!("evicting pod {namespace}/{name}{note}\n"));
        if expired {
            self.errors.push(format!(
                "error when evicting pods/{} -n {}: global timeout reached: {timeout}",
                go_quote(name),
                go_quote(namespace)
            ));
            self.pods[i].state = TaskState::Done;
            return;
        }
        match cluster.evict(namespace, name, helper.grace_period_seconds, server_dry_run) {
            Ok(()) if server_dry_run => self.pods[i].state = TaskState::Done,
            // waitForDelete looks at once, then every second.
            Ok(()) => self.pods[i].state = TaskState::Waiting { at: now },
            Err(ApiError::NotFound { .. }) => self.pods[i].state = TaskState::Done,
            Err(error @ ApiError::TooManyRequests { .. }) => {
                out.stderr.push_str(&format!(
                    "error when evicting pods/{} -n {} (will retry after 5s): {}\n",
                    go_quote(name),
                    go_quote(namespace),
                    error.message()
                ));
                self.pods[i].state = TaskState::Evicting {
                    at: now + EVICT_RETRY_DELAY,
                };
            }
            Err(error) => {
                self.errors.push(format!(
                    "error when evicting pods/{} -n {}: {}",
                    go_quote(name),
                    go_quote(namespace),
                    error.message()
                ));
                self.pods[i].state = TaskState::Done;
            }
        }
    }

    /// One poll of `waitForDelete` for an evicted pod: gone (or replaced by a pod of the
    /// same name) is done.
    fn look(
        &mut self,
        i: usize,
        helper: &Helper,
        cluster: &Cluster,
        out: &mut Output,
        expired: bool,
        timeout: &str,
    ) {
        let task = &self.pods[i];
        let key = ObjectKey::new(&task.namespace, &task.name);
        let gone = cluster
            .store()
            .pods
            .get(&key)
            .is_none_or(|pod| pod.metadata.uid != task.uid);
        let verb = if helper.disable_eviction {
            "deleted"
        } else {
            "evicted"
        };
        if gone {
            out.stdout
                .push_str(&success_line(Kind::Pod, &task.name, verb));
            self.pods[i].state = TaskState::Done;
        } else if expired && !helper.disable_eviction {
            self.errors.push(format!(
                "error when waiting for pod {} in namespace {} to terminate: global timeout reached: {timeout}",
                go_quote(&task.name),
                go_quote(&task.namespace)
            ));
            self.pods[i].state = TaskState::Done;
        } else {
            self.pods[i].state = TaskState::Waiting {
                at: cluster.now() + DELETE_POLL_INTERVAL,
            };
        }
    }

    /// `deletePods`: every pod deleted at once (budgets are not asked), then waited for.
    fn delete_pods(&mut self, helper: &Helper, cluster: &mut Cluster) -> Result<(), NodeError> {
        let now = cluster.now();
        if helper.dry_run == DryRun::Server {
            return Ok(());
        }
        for task in &mut self.pods {
            let deleted =
                cluster.delete_pod(&task.namespace, &task.name, helper.grace_period_seconds);
            match deleted {
                Ok(()) | Err(ApiError::NotFound { .. }) => {}
                Err(error) => return Err(NodeError::Deletion(error.to_string())),
            }
            task.state = TaskState::Waiting { at: now };
        }
        Ok(())
    }
}

/// What `GetPodsForDeletion` found on a node: the pods to delete, and the warnings by kind
/// (in the order first met).
struct PodDeleteList {
    pods: Vec<Pod>,
    warnings: Vec<(&'static str, Vec<String>)>,
}

/// `GetPodsForDeletion`: the node's pods (every namespace, `--pod-selector`) through the
/// filters; a pod a filter refuses makes the whole node an error.
fn get_pods_for_deletion(
    cluster: &Cluster,
    node: &str,
    helper: &Helper,
) -> Result<PodDeleteList, NodeError> {
    let mut list = PodDeleteList {
        pods: Vec::new(),
        warnings: Vec::new(),
    };
    let mut errors: Vec<(&'static str, Vec<String>)> = Vec::new();
    let on_node = cluster
        .store()
        .pods
        .values()
        .filter(|pod| pod.spec.node_name == node)
        .filter(|pod| helper.pod_selector.matches(&pod.metadata.labels));
    for pod in on_node {
        let who = format!("{}/{}", pod.metadata.namespace, pod.metadata.name);
        match filter_pod(pod, helper) {
            Verdict::Delete => list.pods.push(Pod::clone(pod)),
            Verdict::Warn(message) => {
                add(&mut list.warnings, message, who);
                list.pods.push(Pod::clone(pod));
            }
            Verdict::Refuse(message) => add(&mut errors, message, who),
        }
    }
    if errors.is_empty() {
        return Ok(list);
    }
    let messages = errors
        .into_iter()
        .map(|(message, pods)| format!("cannot delete {message}: {}", pods.join(", ")))
        .collect();
    Err(NodeError::Filters(messages))
}

fn add(groups: &mut Vec<(&'static str, Vec<String>)>, message: &'static str, pod: String) {
    match groups.iter_mut().find(|(m, _)| *m == message) {
        Some((_, pods)) => pods.push(pod),
        None => groups.push((message, vec![pod])),
    }
}

enum Verdict {
    Delete,
    Warn(&'static str),
    Refuse(&'static str),
}

/// The filters in kubectl's order, stopping at the first that does not delete; what the
/// last one run says is the verdict (so a local-storage warning is overwritten by the
/// unreplicated filter's okay, as in kubectl). The lab has no DaemonSets or mirror pods.
fn filter_pod(pod: &Pod, helper: &Helper) -> Verdict {
    let finished = matches!(
        pod.status.phase,
        Some(PodPhase::Succeeded | PodPhase::Failed)
    );
    if has_local_storage(pod) && !finished && !helper.delete_emptydir_data {
        return Verdict::Refuse(LOCAL_STORAGE_FATAL);
    }
    if finished || pod.metadata.controller_ref().is_some() {
        Verdict::Delete
    } else if helper.force {
        Verdict::Warn(UNMANAGED_WARNING)
    } else {
        Verdict::Refuse(UNMANAGED_FATAL)
    }
}

/// `hasLocalStorage`: an `emptyDir` volume.
fn has_local_storage(pod: &Pod) -> bool {
    pod.spec
        .volumes
        .as_ref()
        .and_then(|volumes| volumes.as_array())
        .is_some_and(|volumes| {
            volumes
                .iter()
                .any(|volume| volume.get("emptyDir").is_some_and(|v| !v.is_null()))
        })
}
