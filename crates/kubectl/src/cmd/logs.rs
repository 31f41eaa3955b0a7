//! `kubectl logs`: what a container wrote, as its kubelet kept it
//! ([`rollout_sim::kubelet::processes`]) — the current run or `--previous`, `--tail`,
//! `--timestamps`, and `-f`, which follows the container until it stops.

use super::{Ctx, Flow, Waiting};
use crate::args::{self, boolean, value};
use crate::error::KubectlError;
use crate::Output;
use rollout_sim::api::ApiError;
use rollout_sim::clock::Time;
use rollout_sim::cluster::{Cluster, ObjectKey};
use rollout_sim::kubelet::processes::ContainerLog;
use rollout_sim::objects::{ContainerState, Kind, Object, Pod};

pub fn logs(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    const COMMAND: &str = "kubectl logs";
    let args = args::parse(
        COMMAND,
        argv,
        &[
            boolean("follow", Some('f')),
            value("container", Some('c')),
            value("tail", None),
            boolean("previous", Some('p')),
            boolean("timestamps", None),
        ],
    )?;
    // `logs POD [CONTAINER]`: one or two arguments.
    let target = args
        .positional
        .first()
        .filter(|_| args.positional.len() <= 2);
    let Some(target) = target else {
        return Err(KubectlError::usage(
            COMMAND,
            "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command",
        ));
    };
    let namespace = args.namespace().to_string();
    let pod = match target.split_once('/') {
        // `logs deploy/NAME` picks one of its pods, as kubectl does.
        Some((kind, owner)) if crate::resource::resolve(kind, ctx.cluster)? != Kind::Pod => {
            let kind = crate::resource::resolve(kind, ctx.cluster)?;
            let selector = match ctx.cluster.get(kind, &namespace, owner) {
                Some(Object::Deployment(d)) => d.spec.selector,
                Some(Object::ReplicaSet(rs)) => rs.spec.selector,
                Some(_) => {
                    return Err(KubectlError::plain(format!(
                        "cannot get the logs from {}",
                        kind.qualified_kind()
                    )))
                }
                // kubectl's polymorphic helper wraps the API's error in its own words.
                None => {
                    return Err(KubectlError::plain(format!(
                        "error from server (NotFound): {} in namespace {}",
                        ApiError::not_found(kind, owner).message(),
                        rollout_sim::strconv::quote(&namespace)
                    )))
                }
            };
            let mut pods: Vec<&Pod> = ctx
                .cluster
                .store()
                .pods_in(&namespace)
                .filter(|p| selector.matches(&p.metadata.labels))
                .collect();
            pods.sort_by(|a, b| by_logging(a, b));
            let Some(pod) = pods.first().map(|p| (*p).clone()) else {
                return Err(KubectlError::plain(format!(
                    "no pods found for {}/{owner}",
                    kind.qualified_kind()
                )));
            };
            // kubectl's GetFirstPod counts every pod the selector lists, terminating ones too.
            if pods.len() > 1 {
                ctx.out.stderr_first = true;
                ctx.eprintln(format!(
                    "Found {} pods, using pod/{}",
                    pods.len(),
                    pod.metadata.name
                ));
            }
            pod
        }
        _ => {
            let name = target.split_once('/').map_or(target.as_str(), |(_, n)| n);
            let Some(pod) = ctx
                .cluster
                .store()
                .pods
                .get(&ObjectKey::new(&namespace, name))
                .map(|p| Pod::clone(p))
            else {
                return Err(ApiError::not_found(Kind::Pod, name).into());
            };
            pod
        }
    };
    let name = pod.metadata.name.clone();
    let container = match args.value("container") {
        Some(wanted) => {
            if !pod.spec.containers.iter().any(|c| c.name == wanted) {
                return Err(KubectlError::Server(format!(
                    "Error from server (BadRequest): container {wanted} is not valid for pod {name}"
                )));
            }
            wanted.to_string()
        }
        None => default_container(ctx, &pod, true),
    };
    let status = pod
        .status
        .container_statuses
        .iter()
        .find(|s| s.name == container);
    let Some(status) = status else {
        return Err(KubectlError::Server(format!(
            "Error from server (BadRequest): container \"{container}\" in pod \"{name}\" is waiting to start: ContainerCreating"
        )));
    };
    let previous = args.flag("previous");
    if let ContainerState::Waiting { reason, .. } = &status.state {
        if status.restart_count == 0 {
            return Err(KubectlError::Server(format!(
                "Error from server (BadRequest): container \"{container}\" in pod \"{name}\" is waiting to start: {reason}"
            )));
        }
    }
    let tail = match args.value("tail") {
        None => None,
        Some(text) => match text.parse::<i64>() {
            Ok(n) if n < 0 => None,
            Ok(n) => Some(usize::try_from(n).unwrap_or(usize::MAX)),
            Err(_) => {
                return Err(KubectlError::plain(format!(
                    "invalid argument \"{text}\" for \"--tail\" flag: strconv.ParseInt: parsing \"{text}\": invalid syntax"
                )))
            }
        },
    };
    let timestamps = args.flag("timestamps");
    let logs = ctx.cluster.container_logs(&namespace, &name, &container);
    let log = if previous {
        match logs.and_then(|l| l.previous.as_ref()) {
            Some(log) => log.clone(),
            None => {
                return Err(KubectlError::Server(format!(
                    "Error from server (BadRequest): previous terminated container \"{container}\" in pod \"{name}\" not found"
                )))
            }
        }
    } else {
        logs.map(|l| l.current.clone()).unwrap_or_default()
    };
    ctx.out.stdout.push_str(&render(&log, 0, tail, timestamps));
    let running = matches!(status.state, ContainerState::Running { .. });
    if args.flag("follow") && running && !previous {
        return Ok(Flow::Wait(Waiting::Logs(LogFollow {
            namespace,
            pod: name,
            uid: pod.metadata.uid.clone(),
            container,
            printed: log.total_bytes,
            timestamps,
            run: status.restart_count,
        })));
    }
    Ok(Flow::Done)
}

/// The lines of `log` written after its first `skip_bytes` bytes ever, the last `tail` of
/// them, each after its time with `--timestamps`.
fn render(log: &ContainerLog, skip_bytes: u64, tail: Option<usize>, timestamps: bool) -> String {
    let all = log.text();
    let line_times = log.line_times();
    let dropped = log.total_bytes.saturating_sub(all.len() as u64);
    let from = usize::try_from(skip_bytes.saturating_sub(dropped)).unwrap_or(usize::MAX);
    let mut from = from.min(all.len());
    while !all.is_char_boundary(from) {
        from -= 1;
    }
    let text = &all[from..];
    let first_line = all[..from].matches('\n').count();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let skip = tail.map_or(0, |n| lines.len().saturating_sub(n));
    lines
        .iter()
        .enumerate()
        .skip(skip)
        .map(|(i, line)| {
            if timestamps {
                let at = line_times.get(first_line + i).copied().unwrap_or(Time(0));
                format!("{} {line}", rfc3339_nano(at))
            } else {
                line.to_string()
            }
        })
        .collect()
}

/// Go's `time.RFC3339Nano`: the fraction without trailing zeros (none for a whole second).
fn rfc3339_nano(at: Time) -> String {
    let seconds = at.rfc3339();
    let millis = at.0.rem_euclid(1000);
    if millis == 0 {
        return seconds;
    }
    let fraction = format!("{millis:03}");
    format!(
        "{}.{}Z",
        seconds.trim_end_matches('Z'),
        fraction.trim_end_matches('0')
    )
}

/// `kubectl logs -f`: what the container writes, until it stops.
#[derive(Clone, Debug)]
pub struct LogFollow {
    namespace: String,
    pod: String,
    uid: String,
    container: String,
    /// Bytes of the log already printed (of all ever written).
    printed: u64,
    timestamps: bool,
    /// The container's restart count when following began: the run followed.
    run: i32,
}

impl LogFollow {
    /// Follows the first container of `pod` from its first byte (`kubectl run -it`).
    pub fn from_start(pod: &Pod, container: &str) -> LogFollow {
        LogFollow {
            namespace: pod.metadata.namespace.clone(),
            pod: pod.metadata.name.clone(),
            uid: pod.metadata.uid.clone(),
            container: container.to_string(),
            printed: 0,
            timestamps: false,
            run: restarts(pod, container),
        }
    }

    /// Follows `container` of `pod` after what the log held so far (the API server's
    /// `follow=true`, once it has sent that).
    pub fn from_now(pod: &Pod, container: &str, cluster: &Cluster, timestamps: bool) -> LogFollow {
        let printed = cluster
            .container_logs(&pod.metadata.namespace, &pod.metadata.name, container)
            .map_or(0, |logs| logs.current.total_bytes);
        LogFollow {
            printed,
            timestamps,
            ..LogFollow::from_start(pod, container)
        }
    }

    /// The exit code of the followed container, once it has terminated.
    pub fn exit_code(&self, cluster: &Cluster) -> Option<i32> {
        let pod = cluster
            .store()
            .pods
            .get(&ObjectKey::new(&self.namespace, &self.pod))?;
        pod.status
            .container_statuses
            .iter()
            .find(|s| s.name == self.container)
            .and_then(|s| match &s.state {
                ContainerState::Terminated { exit_code, .. } => Some(*exit_code),
                _ => match &s.last_state {
                    Some(ContainerState::Terminated { exit_code, .. }) => Some(*exit_code),
                    _ => None,
                },
            })
    }

    pub fn poll(
        &mut self,
        cluster: &Cluster,
        out: &mut Output,
    ) -> Option<Result<(), KubectlError>> {
        let key = ObjectKey::new(&self.namespace, &self.pod);
        let Some(pod) = cluster
            .store()
            .pods
            .get(&key)
            .filter(|p| p.metadata.uid == self.uid)
        else {
            return Some(Ok(()));
        };
        if let Some(logs) = cluster.container_logs(&self.namespace, &self.pod, &self.container) {
            if restarts(pod, &self.container) != self.run {
                // A new run began: the stream of the one followed has ended, with what that
                // run wrote after the last look.
                if let Some(previous) = logs.previous.as_ref() {
                    if previous.total_bytes > self.printed {
                        out.stdout
                            .push_str(&render(previous, self.printed, None, self.timestamps));
                    }
                }
                return Some(Ok(()));
            }
            let log = &logs.current;
            if log.total_bytes > self.printed {
                out.stdout
                    .push_str(&render(log, self.printed, None, self.timestamps));
                self.printed = log.total_bytes;
            }
        }
        let running = pod
            .status
            .container_statuses
            .iter()
            .find(|s| s.name == self.container)
            .is_some_and(|s| matches!(s.state, ContainerState::Running { .. }));
        (!running).then_some(Ok(()))
    }
}

/// How often `container` of `pod` has restarted.
fn restarts(pod: &Pod, container: &str) -> i32 {
    pod.status
        .container_statuses
        .iter()
        .find(|s| s.name == container)
        .map_or(0, |s| s.restart_count)
}

/// kubectl's `podutils.ByLogging`: which of an owner's pods `kubectl logs TYPE/NAME` reads.
/// Scheduled before unscheduled; Running, then Unknown, then Pending; ready before not
/// ready; ready longer before ready shorter; more restarts first; older first.
fn by_logging(a: &Pod, b: &Pod) -> std::cmp::Ordering {
    use rollout_sim::objects::PodPhase;
    use std::cmp::Ordering;
    let scheduled = |p: &Pod| !p.spec.node_name.is_empty();
    let phase = |p: &Pod| match p.status.phase {
        Some(PodPhase::Running) => 0,
        Some(PodPhase::Unknown) => 1,
        Some(PodPhase::Pending) => 2,
        // Go's map lookup gives 0 for any other phase.
        _ => 0,
    };
    let restarts = |p: &Pod| {
        p.status
            .container_statuses
            .iter()
            .map(|c| c.restart_count)
            .max()
            .unwrap_or(0)
    };
    // An empty time sorts last ("afterOrZero").
    let earlier_first = |x: Option<rollout_sim::clock::Time>,
                         y: Option<rollout_sim::clock::Time>| match (x, y) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    if a.spec.node_name != b.spec.node_name && (!scheduled(a) || !scheduled(b)) {
        return scheduled(b).cmp(&scheduled(a));
    }
    phase(a)
        .cmp(&phase(b))
        .then_with(|| b.is_ready().cmp(&a.is_ready()))
        .then_with(|| {
            if a.is_ready() && b.is_ready() {
                earlier_first(a.ready_since(), b.ready_since())
            } else {
                Ordering::Equal
            }
        })
        .then_with(|| restarts(b).cmp(&restarts(a)))
        .then_with(|| earlier_first(a.metadata.creation_timestamp, b.metadata.creation_timestamp))
}

/// The container kubectl picks when `-c` is not given: the first, saying so (unless quiet)
/// when the pod has more than one (`podcmd.FindOrDefaultContainerByName`).
pub(super) fn default_container(ctx: &mut Ctx<'_>, pod: &Pod, say_so: bool) -> String {
    let names: Vec<&str> = pod
        .spec
        .containers
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    if names.len() > 1 && say_so {
        // The note comes before anything the container prints.
        ctx.out.stderr_first = true;
        ctx.eprintln(format!(
            "Defaulted container \"{}\" out of: {}",
            names[0],
            names.join(", ")
        ));
    }
    names.first().map(|n| n.to_string()).unwrap_or_default()
}
