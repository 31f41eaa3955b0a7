//! The steps of a pod's life on a node, each triggered by a timer.

use super::images::{self, App};
use super::{ContainerRuntime, Exit, Node, PodRuntime, Stage};
use crate::apiserver::{reference, ObjectKey, Timer};
use crate::clock::Duration;
use crate::network::demoapp::ProbeResult;
use crate::objects::{
    ConditionStatus, Container, EventType, Explanation, Kind, Pod, PodCondition, PodConditionType,
    PodPhase,
};
use crate::scheduler::{self, Decision};
use std::rc::Rc;

/// Crash-loop and image-pull back-off: 10 s, doubling, at most 5 minutes (kubelet defaults).
const BACK_OFF_START_MS: i64 = 10_000;
const BACK_OFF_MAX_MS: i64 = 300_000;

/// Delays of a healthy node. They are fixed, not random: pods created together become ready
/// together, as the course's transcripts show (a rollout wave moves as one).
const KUBELET_NOTICE_MS: i64 = 300;
const START_MS: i64 = 200;

fn back_off(failures: u32) -> i64 {
    let doublings = failures.saturating_sub(1).min(16);
    (BACK_OFF_START_MS << doublings).min(BACK_OFF_MAX_MS)
}

impl Node<'_> {
    /// Runs the scheduler over every pending pod, binds each pod it placed and hands it to
    /// that node's kubelet, and marks each pod it could not place as the scheduler does.
    pub(crate) fn schedule_pods(&mut self, retry_unschedulable: bool) {
        let decisions =
            scheduler::schedule_pending(&self.api.store, &mut self.api.rng, retry_unschedulable);
        for (key, decision) in decisions {
            match decision {
                Decision::Bind(node) => self.bind(&key, node),
                Decision::Unschedulable(fit_error) => {
                    self.unschedulable(&key, fit_error.to_string())
                }
            }
        }
    }

    /// `handleSchedulingFailure`: the pod stays Pending with `PodScheduled=False`
    /// (`Unschedulable`) and a `FailedScheduling` event. The pod is tried again when room
    /// may have appeared (a pod gone or finished, an API write); a retry that fails for the
    /// same reason records nothing new.
    fn unschedulable(&mut self, key: &ObjectKey, message: String) {
        let now = self.api.now;
        let Some(stored) = self.api.store.pods.get_mut(key) else {
            return;
        };
        let already = stored.status.conditions.iter().any(|c| {
            c.type_ == PodConditionType::PodScheduled && c.message.as_deref() == Some(&message)
        });
        if already {
            return;
        }
        let pod = Rc::make_mut(stored);
        pod.status.phase = Some(PodPhase::Pending);
        pod.status
            .conditions
            .retain(|c| c.type_ != PodConditionType::PodScheduled);
        pod.status.conditions.push(PodCondition {
            type_: PodConditionType::PodScheduled,
            status: ConditionStatus::False,
            last_transition_time: Some(now),
            reason: Some("Unschedulable".to_string()),
            message: Some(message.clone()),
        });
        self.api.work.pod_changed(pod);
        let object = reference(Kind::Pod, &pod.metadata);
        self.api.record(
            object,
            EventType::Warning,
            "FailedScheduling",
            message,
            "default-scheduler",
            None,
        );
    }

    fn bind(&mut self, key: &ObjectKey, node: String) {
        let now = self.api.now;
        let host_ip = self
            .api
            .store
            .nodes
            .get(&node)
            .map(|n| n.internal_ip().to_string());
        let Some(pod) = self.api.store.pods.get_mut(key).map(Rc::make_mut) else {
            return;
        };
        pod.spec.node_name = node.clone();
        self.api.work.pod_changed(pod);
        pod.status.host_ip = host_ip;
        pod.status.start_time = Some(now);
        pod.status.phase = Some(crate::objects::PodPhase::Pending);
        let uid = pod.metadata.uid.clone();
        let containers = pod.spec.containers.len();
        let object = reference(Kind::Pod, &pod.metadata);
        let message = format!(
            "Successfully assigned {}/{} to {node}",
            key.namespace, key.name
        );
        self.kubelet.pods.insert(
            uid.clone(),
            PodRuntime {
                key: key.clone(),
                node,
                containers: vec![ContainerRuntime::default(); containers],
                deleting: false,
            },
        );
        self.api.record(
            object,
            EventType::Normal,
            "Scheduled",
            message,
            "default-scheduler",
            None,
        );
        self.api.timers.set(
            now + Duration(KUBELET_NOTICE_MS),
            Timer::KubeletSync {
                pod_uid: uid.clone(),
            },
        );
        self.write_pod_status(&uid);
    }

    pub(crate) fn kubelet_timer(&mut self, timer: Timer) {
        // A container timer that outlived its run (a restart, a deletion) is dropped.
        if let Some((pod_uid, container, incarnation)) = timer.container() {
            if !self.is_current(pod_uid, container, incarnation) {
                return;
            }
        }
        // A cut-off kubelet does nothing the API server would see; it resumes when back.
        let Some(timer) = self.kubelet.hold_if_down(timer) else {
            return;
        };
        match timer {
            Timer::KubeletSync { pod_uid } => self.kubelet_sync(&pod_uid),
            Timer::PullDone {
                pod_uid, container, ..
            } => self.pull_done(&pod_uid, container),
            Timer::ContainerStart {
                pod_uid, container, ..
            } => self.start_container(&pod_uid, container),
            Timer::Probe {
                pod_uid,
                container,
                liveness,
                ..
            } => self.probe(&pod_uid, container, liveness),
            Timer::ContainerExit {
                pod_uid, container, ..
            } => self.container_exited(&pod_uid, container, 0, "Completed"),
            Timer::ContainerKilled {
                pod_uid, container, ..
            } => self.container_killed(&pod_uid, container),
            Timer::BackOffDone {
                pod_uid, container, ..
            } => self.back_off_done(&pod_uid, container),
            Timer::PodGone { pod_uid } => self.remove_pod(&pod_uid),
            Timer::ResyncReplicaSet(_)
            | Timer::ResyncDeployment(_)
            | Timer::ResyncAddon(_)
            | Timer::NodeMonitor(_)
            | Timer::TaintEviction(_) => {}
        }
    }

    fn is_current(&self, pod_uid: &str, container: usize, incarnation: u32) -> bool {
        self.kubelet
            .pods
            .get(pod_uid)
            .and_then(|p| p.containers.get(container))
            .is_some_and(|c| c.incarnation == incarnation)
    }

    /// The pod object and its container spec, if both still exist.
    fn container_spec(&self, pod_uid: &str, container: usize) -> Option<(&Pod, &Container)> {
        let runtime = self.kubelet.pods.get(pod_uid)?;
        let pod = self
            .api
            .store
            .pods
            .get(&runtime.key)
            .filter(|p| p.metadata.uid == pod_uid)?;
        Some((pod, pod.spec.containers.get(container)?))
    }

    fn runtime(&mut self, pod_uid: &str, container: usize) -> Option<&mut ContainerRuntime> {
        self.kubelet
            .pods
            .get_mut(pod_uid)?
            .containers
            .get_mut(container)
    }

    fn timer_for(&self, pod_uid: &str, container: usize) -> (String, usize, u32) {
        let incarnation = self
            .kubelet
            .pods
            .get(pod_uid)
            .and_then(|p| p.containers.get(container))
            .map_or(0, |c| c.incarnation);
        (pod_uid.to_string(), container, incarnation)
    }

    pub(super) fn pod_event(
        &mut self,
        pod_uid: &str,
        type_: EventType,
        reason: &str,
        message: String,
        explanation: Option<Explanation>,
    ) {
        let Some(runtime) = self.kubelet.pods.get(pod_uid) else {
            return;
        };
        let Some(pod) = self.api.store.pods.get(&runtime.key) else {
            return;
        };
        let object = reference(Kind::Pod, &pod.metadata);
        self.api
            .record(object, type_, reason, message, "kubelet", explanation);
    }

    /// The kubelet picks up a newly bound pod: sets up its sandbox (IP) and pulls images.
    fn kubelet_sync(&mut self, pod_uid: &str) {
        let Some(runtime) = self.kubelet.pods.get(pod_uid) else {
            return;
        };
        if runtime.deleting {
            return;
        }
        let node = runtime.node.clone();
        let octet = self
            .api
            .store
            .nodes
            .get(&node)
            .and_then(|n| {
                n.spec
                    .pod_cidr
                    .split('.')
                    .nth(2)
                    .and_then(|o| o.parse::<u8>().ok())
            })
            .unwrap_or(1);
        let key = runtime.key.clone();
        let containers = runtime.containers.len();
        if let Some(pod) = self.api.store.pods.get_mut(&key) {
            if pod.status.pod_ip.is_none() {
                let pod = Rc::make_mut(pod);
                pod.status.pod_ip = self.api.ids.allocate_pod_ip(octet);
                self.api.work.pod_changed(pod);
            }
        }
        for container in 0..containers {
            self.start_pull(pod_uid, container);
        }
        self.write_pod_status(pod_uid);
    }

    fn start_pull(&mut self, pod_uid: &str, container: usize) {
        let Some((pod, spec)) = self.container_spec(pod_uid, container) else {
            return;
        };
        let image = spec.image.clone();
        let node = pod.spec.node_name.clone();
        let always = spec.image_pull_policy.as_deref() == Some("Always")
            || (spec.image_pull_policy.is_none() && images::split_reference(&image).1 == "latest");
        let now = self.api.now;
        if !images::is_valid_reference(&image) {
            let message = format!("Failed to apply default image tag \"{image}\": couldn't parse image name \"{image}\": invalid reference format");
            if let Some(c) = self.runtime(pod_uid, container) {
                c.stage = Stage::InvalidImageName {
                    message: message.clone(),
                };
            }
            self.pod_event(pod_uid, EventType::Warning, "InspectFailed", message, None);
            self.pod_event(
                pod_uid,
                EventType::Warning,
                "Failed",
                "Error: InvalidImageName".into(),
                None,
            );
            self.write_pod_status(pod_uid);
            return;
        }
        let present = self
            .kubelet
            .images_on_node
            .get(&node)
            .is_some_and(|set| set.contains(&image));
        let (uid, c, inc) = self.timer_for(pod_uid, container);
        if present && !always {
            self.pod_event(
                pod_uid,
                EventType::Normal,
                "Pulled",
                format!("Container image \"{image}\" already present on machine"),
                None,
            );
            if let Some(c) = self.runtime(pod_uid, container) {
                c.stage = Stage::Starting;
            }
            let delay = START_MS;
            self.api.timers.set(
                now + Duration(delay),
                Timer::ContainerStart {
                    pod_uid: uid,
                    container: c,
                    incarnation: inc,
                },
            );
        } else {
            self.pod_event(
                pod_uid,
                EventType::Normal,
                "Pulling",
                format!("Pulling image \"{image}\""),
                None,
            );
            if let Some(c) = self.runtime(pod_uid, container) {
                c.stage = Stage::Pulling;
            }
            let base = images::lookup(&image).map_or(1_500, |i| i.pull_millis);
            let delay = base;
            self.api.timers.set(
                now + Duration(delay),
                Timer::PullDone {
                    pod_uid: uid,
                    container: c,
                    incarnation: inc,
                },
            );
        }
        self.write_pod_status(pod_uid);
    }

    fn pull_done(&mut self, pod_uid: &str, container: usize) {
        let Some((pod, spec)) = self.container_spec(pod_uid, container) else {
            return;
        };
        let image = spec.image.clone();
        let node = pod.spec.node_name.clone();
        let now = self.api.now;
        let (uid, c, inc) = self.timer_for(pod_uid, container);
        match images::lookup(&image) {
            Some(found) => {
                self.kubelet
                    .images_on_node
                    .entry(node)
                    .or_default()
                    .insert(image.clone());
                let secs = found.pull_millis as f64 / 1000.0;
                self.pod_event(
                    pod_uid,
                    EventType::Normal,
                    "Pulled",
                    format!("Successfully pulled image \"{image}\" in {secs:.3}s ({secs:.3}s including waiting). Image size: {} bytes.", found.size_bytes),
                    None,
                );
                if let Some(c) = self.runtime(pod_uid, container) {
                    c.stage = Stage::Starting;
                }
                let delay = START_MS;
                self.api.timers.set(
                    now + Duration(delay),
                    Timer::ContainerStart {
                        pod_uid: uid,
                        container: c,
                        incarnation: inc,
                    },
                );
            }
            None => {
                let full = if image.contains('/')
                    && image.split('/').next().is_some_and(|h| h.contains('.'))
                {
                    image.clone()
                } else {
                    format!(
                        "docker.io/{}{image}",
                        if image.contains('/') { "" } else { "library/" }
                    )
                };
                let reference_name = if image.contains(':') {
                    full.clone()
                } else {
                    format!("{full}:latest")
                };
                let message = format!(
                    "Failed to pull image \"{image}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{reference_name}\": failed to resolve reference \"{reference_name}\": {reference_name}: not found"
                );
                if let Some(c) = self.runtime(pod_uid, container) {
                    c.pull_failures += 1;
                    c.stage = Stage::PullFailed {
                        message: message.clone(),
                    };
                }
                self.pod_event(
                    pod_uid,
                    EventType::Warning,
                    "Failed",
                    message,
                    Some(Explanation::new("kubelet.image_not_found").with("image", &image)),
                );
                self.pod_event(
                    pod_uid,
                    EventType::Warning,
                    "Failed",
                    "Error: ErrImagePull".into(),
                    None,
                );
                // The next pod sync, a moment later, turns the failure into a back-off.
                self.api.timers.set(
                    now + Duration(2_000),
                    Timer::BackOffDone {
                        pod_uid: uid,
                        container: c,
                        incarnation: inc,
                    },
                );
            }
        }
        self.write_pod_status(pod_uid);
    }

    fn back_off_done(&mut self, pod_uid: &str, container: usize) {
        let now = self.api.now;
        let Some(c) = self.runtime(pod_uid, container) else {
            return;
        };
        match c.stage.clone() {
            Stage::PullFailed { .. } => {
                let wait = back_off(c.pull_failures);
                let image = self
                    .container_spec(pod_uid, container)
                    .map(|(_, s)| s.image.clone())
                    .unwrap_or_default();
                let message = format!("Back-off pulling image \"{image}\"");
                if let Some(c) = self.runtime(pod_uid, container) {
                    c.stage = Stage::PullBackOff {
                        message: message.clone(),
                    };
                }
                self.pod_event(
                    pod_uid,
                    EventType::Normal,
                    "BackOff",
                    message,
                    Some(
                        Explanation::new("kubelet.image_pull_back_off")
                            .with("seconds", wait / 1000),
                    ),
                );
                self.pod_event(
                    pod_uid,
                    EventType::Warning,
                    "Failed",
                    "Error: ImagePullBackOff".into(),
                    None,
                );
                let (uid, c, inc) = self.timer_for(pod_uid, container);
                self.api.timers.set(
                    now + Duration(wait),
                    Timer::BackOffDone {
                        pod_uid: uid,
                        container: c,
                        incarnation: inc,
                    },
                );
                self.write_pod_status(pod_uid);
            }
            Stage::PullBackOff { .. } => self.start_pull(pod_uid, container),
            Stage::CrashBackOff { .. } => self.start_container(pod_uid, container),
            _ => {}
        }
    }

    /// The process starts: Running, then probes decide when it is ready.
    fn start_container(&mut self, pod_uid: &str, container: usize) {
        let Some((pod, spec)) = self.container_spec(pod_uid, container) else {
            return;
        };
        let name = spec.name.clone();
        let readiness = spec.readiness_probe.clone();
        let liveness = spec.liveness_probe.clone();
        let app = images::lookup(&spec.image).map(|i| i.app);
        // A shell image's command is run by the host when it can (`processes`).
        let argv: Vec<&String> = spec.command.iter().chain(&spec.args).collect();
        // A bare shell with stdin open is the user's interactive session (`run -it`), which
        // the host attaches to instead.
        let interactive_shell = spec.stdin
            && argv.len() == 1
            && matches!(argv[0].rsplit('/').next(), Some("sh" | "bash" | "ash"));
        let host_process = (self.kubelet.host_runs_processes
            && matches!(app, Some(App::Shell))
            && !argv.is_empty()
            && !interactive_shell)
            .then(|| {
                (
                    pod.metadata.namespace.clone(),
                    pod.metadata.name.clone(),
                    spec.image.clone(),
                    spec.command
                        .iter()
                        .chain(&spec.args)
                        .cloned()
                        .collect::<Vec<_>>(),
                    super::processes::plain_env(spec),
                )
            });
        let runs_for = if host_process.is_some() {
            None
        } else {
            run_time(app, spec, pod)
        };
        let now = self.api.now;
        self.rotate_logs(pod_uid, container);
        let Some(c) = self.runtime(pod_uid, container) else {
            return;
        };
        c.incarnation += 1;
        let incarnation = c.incarnation;
        // A run after an earlier one is a restart (kubelet's restartCount is the attempt).
        if c.last_exit.is_some() {
            c.restarts = c.restarts.saturating_add(1);
        }
        c.stage = Stage::Running { since: now };
        c.ready = readiness.is_none();
        c.readiness_successes = 0;
        c.readiness_failures = 0;
        c.liveness_failures = 0;
        self.pod_event(
            pod_uid,
            EventType::Normal,
            "Created",
            format!("Created container {name}"),
            None,
        );
        self.pod_event(
            pod_uid,
            EventType::Normal,
            "Started",
            format!("Started container {name}"),
            None,
        );
        if app == Some(App::Demoapp) {
            self.write_log(
                pod_uid,
                container,
                " * Running on http://0.0.0.0:80/ (Press CTRL+C to quit)\n",
            );
        }
        if let Some((namespace, pod, image, argv, env)) = host_process {
            self.kubelet.started.push(super::processes::ProcessStart {
                id: super::processes::ProcessId {
                    pod_uid: pod_uid.to_string(),
                    container,
                    incarnation,
                },
                namespace,
                pod,
                container_name: name.clone(),
                image,
                argv,
                env,
            });
        }
        let (uid, c, inc) = self.timer_for(pod_uid, container);
        if let Some(probe) = &readiness {
            let at = now + Duration::from_secs(i64::from(probe.initial_delay_seconds.max(0)));
            self.api.timers.set(
                at,
                Timer::Probe {
                    pod_uid: uid.clone(),
                    container: c,
                    incarnation: inc,
                    liveness: false,
                },
            );
        }
        if let Some(probe) = &liveness {
            let at = now + Duration::from_secs(i64::from(probe.initial_delay_seconds.max(0)));
            self.api.timers.set(
                at,
                Timer::Probe {
                    pod_uid: uid.clone(),
                    container: c,
                    incarnation: inc,
                    liveness: true,
                },
            );
        }
        if let Some(runs_for) = runs_for {
            self.api.timers.set(
                now + runs_for,
                Timer::ContainerExit {
                    pod_uid: uid,
                    container: c,
                    incarnation: inc,
                },
            );
        }
        self.write_pod_status(pod_uid);
    }

    fn probe(&mut self, pod_uid: &str, container: usize, liveness: bool) {
        let Some((pod, spec)) = self.container_spec(pod_uid, container) else {
            return;
        };
        let probe = if liveness {
            spec.liveness_probe.clone()
        } else {
            spec.readiness_probe.clone()
        };
        let Some(probe) = probe else { return };
        let name = spec.name.clone();
        let ip = pod.status.pod_ip.clone().unwrap_or_default();
        let grace = pod.spec.termination_grace_period_seconds.unwrap_or(30);
        let deleting = pod.metadata.deletion_timestamp.is_some();
        let probe_result = self.network.probe(pod, spec, &ip, &probe.handler);
        let now = self.api.now;
        let logged = self.network.probe_log(pod, spec, &ip, &probe.handler, now);
        let running = self
            .runtime(pod_uid, container)
            .is_some_and(|c| matches!(c.stage, Stage::Running { .. }));
        if !running || deleting {
            return;
        }
        if let Some(line) = logged {
            self.write_log(pod_uid, container, &line);
        }
        let Some(c) = self.runtime(pod_uid, container) else {
            return;
        };
        let was_ready = c.ready;
        let result = match probe_result {
            ProbeResult::Success => Ok(()),
            ProbeResult::Failure(message) => Err(message),
        };
        let kind = if liveness { "Liveness" } else { "Readiness" };
        let mut kill = false;
        match (&result, liveness) {
            (Ok(()), false) => {
                c.readiness_failures = 0;
                c.readiness_successes = c.readiness_successes.saturating_add(1);
                if !c.ready && c.readiness_successes >= probe.success_threshold.max(1) {
                    c.ready = true;
                }
            }
            (Ok(()), true) => c.liveness_failures = 0,
            (Err(_), false) => {
                c.readiness_successes = 0;
                c.readiness_failures = c.readiness_failures.saturating_add(1);
                if c.ready && c.readiness_failures >= probe.failure_threshold.max(1) {
                    c.ready = false;
                }
            }
            (Err(_), true) => {
                c.liveness_failures = c.liveness_failures.saturating_add(1);
                kill = c.liveness_failures >= probe.failure_threshold.max(1);
            }
        }
        let readiness_changed = c.ready != was_ready;
        let failures = if liveness {
            c.liveness_failures
        } else {
            c.readiness_failures
        };
        let became_unready = !liveness && !c.ready && failures == probe.failure_threshold.max(1);
        if let Err(message) = result {
            let explanation = if liveness {
                Explanation::new("kubelet.liveness_failed")
                    .with("failures", failures)
                    .with("threshold", probe.failure_threshold)
            } else if became_unready {
                Explanation::new("kubelet.readiness_lost")
                    .with("threshold", probe.failure_threshold)
            } else {
                Explanation::new("kubelet.readiness_failed")
                    .with("failures", failures)
                    .with("threshold", probe.failure_threshold)
            };
            self.pod_event(
                pod_uid,
                EventType::Warning,
                "Unhealthy",
                format!("{kind} probe failed: {message}"),
                Some(explanation),
            );
        }
        let (uid, c, inc) = self.timer_for(pod_uid, container);
        if kill {
            self.pod_event(
                pod_uid,
                EventType::Normal,
                "Killing",
                format!("Container {name} failed liveness probe, will be restarted"),
                Some(
                    Explanation::new("kubelet.liveness_restart")
                        .with("threshold", probe.failure_threshold),
                ),
            );
            self.stop_container(pod_uid, container, grace, true);
        } else {
            let period = Duration::from_secs(i64::from(probe.period_seconds.max(1)));
            self.api.timers.set(
                now + period,
                Timer::Probe {
                    pod_uid: uid,
                    container: c,
                    incarnation: inc,
                    liveness,
                },
            );
        }
        // Most probes change nothing; only a readiness flip (or a kill) is news.
        if readiness_changed || kill {
            self.write_pod_status(pod_uid);
        }
    }

    /// Sends SIGTERM; the container is gone when it exits or the grace period runs out.
    fn stop_container(
        &mut self,
        pod_uid: &str,
        container: usize,
        grace_seconds: i64,
        restart: bool,
    ) {
        let exits_after = self
            .container_spec(pod_uid, container)
            .and_then(|(_, spec)| images::lookup(&spec.image))
            .filter(|i| i.stops_on_sigterm)
            .map(|i| i.sigterm_exit_millis);
        let now = self.api.now;
        let Some(c) = self.runtime(pod_uid, container) else {
            return;
        };
        if !matches!(c.stage, Stage::Running { .. }) {
            return;
        }
        c.stage = Stage::Stopping {
            since: now,
            restart,
        };
        let (uid, c, inc) = self.timer_for(pod_uid, container);
        let grace = Duration::from_secs(grace_seconds.max(0));
        let after = match exits_after {
            // A process that exits on its own before the grace period ends.
            Some(millis) if millis <= grace.millis() => Duration(millis),
            _ => grace,
        };
        self.api.timers.set(
            now + after,
            Timer::ContainerKilled {
                pod_uid: uid,
                container: c,
                incarnation: inc,
            },
        );
    }

    fn container_killed(&mut self, pod_uid: &str, container: usize) {
        let exits_after = self
            .container_spec(pod_uid, container)
            .and_then(|(_, spec)| images::lookup(&spec.image))
            .filter(|i| i.stops_on_sigterm)
            .map(|i| i.sigterm_exit_millis);
        let now = self.api.now;
        let stopping_since = self
            .runtime(pod_uid, container)
            .and_then(|c| match c.stage {
                Stage::Stopping { since, .. } => Some(since),
                _ => None,
            });
        // It exited by itself if its own shutdown fit in the grace period; otherwise the
        // kubelet's SIGKILL ended it.
        let quick = matches!(
            (exits_after, stopping_since),
            (Some(millis), Some(since)) if (now - since).millis() >= millis
        );
        let (exit_code, reason) = if quick {
            (0, "Completed")
        } else {
            (137, "Error")
        };
        self.container_exited(pod_uid, container, exit_code, reason);
    }

    /// The process is gone. Restart it (with back-off), or finish the pod if it is deleted or
    /// does not restart.
    pub(super) fn container_exited(
        &mut self,
        pod_uid: &str,
        container: usize,
        exit_code: i32,
        reason: &str,
    ) {
        let Some((pod, spec)) = self.container_spec(pod_uid, container) else {
            return;
        };
        let restart_policy = pod
            .spec
            .restart_policy
            .clone()
            .unwrap_or_else(|| "Always".to_string());
        let name = spec.name.clone();
        let pod_name = pod.metadata.name.clone();
        let namespace = pod.metadata.namespace.clone();
        let deleting = self.kubelet.pods.get(pod_uid).is_some_and(|p| p.deleting);
        let now = self.api.now;
        let Some(c) = self.runtime(pod_uid, container) else {
            return;
        };
        c.ready = false;
        c.last_exit = Some(Exit {
            reason: reason.to_string(),
            exit_code,
            finished_at: now,
        });
        let restart = !deleting
            && match restart_policy.as_str() {
                "Never" => false,
                "OnFailure" => exit_code != 0,
                _ => true,
            };
        if !restart {
            c.stage = Stage::Terminated;
            c.incarnation += 1;
            self.write_pod_status(pod_uid);
            if deleting && self.all_containers_stopped(pod_uid) {
                self.api.timers.set(
                    now + Duration(100),
                    Timer::PodGone {
                        pod_uid: pod_uid.to_string(),
                    },
                );
            }
            return;
        }
        // The first restart is at once; each later one waits out the back-off, which
        // doubles. RESTARTS counts the restarts made, so it grows when the new run starts.
        let wait = if c.restarts <= 0 {
            0
        } else {
            back_off(c.restarts as u32)
        };
        c.incarnation += 1;
        let (uid, ci, inc) = self.timer_for(pod_uid, container);
        if wait == 0 {
            if let Some(c) = self.runtime(pod_uid, container) {
                c.stage = Stage::Starting;
            }
            self.pod_event(
                pod_uid,
                EventType::Normal,
                "Pulled",
                format!(
                    "Container image \"{}\" already present on machine",
                    self.container_spec(pod_uid, container)
                        .map(|(_, s)| s.image.clone())
                        .unwrap_or_default()
                ),
                None,
            );
            self.api.timers.set(
                now + Duration(200),
                Timer::ContainerStart {
                    pod_uid: uid,
                    container: ci,
                    incarnation: inc,
                },
            );
        } else {
            let message = format!("back-off {}s restarting failed container={name} pod={pod_name}_{namespace}({pod_uid})", wait / 1000);
            if let Some(c) = self.runtime(pod_uid, container) {
                c.stage = Stage::CrashBackOff { message };
            }
            self.pod_event(
                pod_uid,
                EventType::Warning,
                "BackOff",
                format!("Back-off restarting failed container {name} in pod {pod_name}_{namespace}({pod_uid})"),
                Some(Explanation::new("kubelet.crash_loop").with("seconds", wait / 1000)),
            );
            self.api.timers.set(
                now + Duration(wait),
                Timer::BackOffDone {
                    pod_uid: uid,
                    container: ci,
                    incarnation: inc,
                },
            );
        }
        self.write_pod_status(pod_uid);
    }

    fn all_containers_stopped(&self, pod_uid: &str) -> bool {
        self.kubelet
            .pods
            .get(pod_uid)
            .is_none_or(|p| p.containers.iter().all(|c| c.stage == Stage::Terminated))
    }

    /// Graceful deletion: the pod shows `Terminating` while its containers get SIGTERM and
    /// up to the grace period to stop; then the object disappears.
    pub(crate) fn delete_pod_gracefully(&mut self, key: &ObjectKey, grace_seconds: Option<i64>) {
        let now = self.api.now;
        let Some(pod) = self.api.store.pods.get_mut(key) else {
            return;
        };
        if pod.metadata.deletion_timestamp.is_some() {
            return;
        }
        let pod = Rc::make_mut(pod);
        let grace = grace_seconds
            .unwrap_or_else(|| pod.spec.termination_grace_period_seconds.unwrap_or(30));
        pod.metadata.deletion_timestamp = Some(now + Duration::from_secs(grace));
        self.api.work.pod_changed(pod);
        let uid = pod.metadata.uid.clone();
        let Some(runtime) = self.kubelet.pods.get(&uid) else {
            // Never reached a node: nothing to stop.
            self.remove_pod(&uid);
            self.api.store.pods.remove(key);
            return;
        };
        if self.kubelet.is_down(&runtime.node) {
            // Its kubelet cannot hear of the deletion: the pod stays Terminating until the
            // node is back (or someone force-deletes it).
            let node = runtime.node.clone();
            self.kubelet.hold_deletion(&node, uid, grace);
            return;
        }
        self.stop_deleted_pod(&uid, grace);
    }

    /// The kubelet stops a deleted pod: SIGTERM to each running container, the grace period
    /// to stop, then the object goes.
    pub(super) fn stop_deleted_pod(&mut self, uid: &str, grace: i64) {
        let now = self.api.now;
        let Some(runtime) = self.kubelet.pods.get(uid) else {
            return;
        };
        let names: Vec<String> = self
            .api
            .store
            .pods
            .get(&runtime.key)
            .map(|pod| pod.spec.containers.iter().map(|c| c.name.clone()).collect())
            .unwrap_or_default();
        let uid = uid.to_string();
        let Some(runtime) = self.kubelet.pods.get_mut(&uid) else {
            return;
        };
        runtime.deleting = true;
        let running: Vec<bool> = runtime
            .containers
            .iter()
            .map(|c| matches!(c.stage, Stage::Running { .. } | Stage::Stopping { .. }))
            .collect();
        for (i, is_running) in running.into_iter().enumerate() {
            if is_running {
                if let Some(name) = names.get(i) {
                    self.pod_event(
                        &uid,
                        EventType::Normal,
                        "Killing",
                        format!("Stopping container {name}"),
                        None,
                    );
                }
                self.stop_container(&uid, i, grace, false);
            } else if let Some(c) = self.runtime(&uid, i) {
                c.stage = Stage::Terminated;
                c.incarnation += 1;
            }
        }
        if self.all_containers_stopped(&uid) {
            self.api.timers.set(
                now + Duration(100),
                Timer::PodGone {
                    pod_uid: uid.clone(),
                },
            );
        }
        self.write_pod_status(&uid);
    }

    /// The main process of a pod's first container ended by itself with `exit_code` (the
    /// user left `kubectl run -it`'s shell). True when it was running.
    pub(crate) fn end_main_process(&mut self, namespace: &str, pod: &str, exit_code: i32) -> bool {
        let key = ObjectKey::new(namespace, pod);
        let Some(uid) = self
            .api
            .store
            .pods
            .get(&key)
            .map(|p| p.metadata.uid.clone())
        else {
            return false;
        };
        let running = self
            .kubelet
            .pods
            .get(&uid)
            .and_then(|p| p.containers.first())
            .is_some_and(|c| matches!(c.stage, Stage::Running { .. }));
        if running {
            let reason = if exit_code == 0 { "Completed" } else { "Error" };
            self.container_exited(&uid, 0, exit_code, reason);
        }
        running
    }

    /// Removes a pod object at once (force deletion), whatever its containers are doing.
    pub(crate) fn remove_pod_now(&mut self, pod_uid: &str, key: &ObjectKey) {
        self.forget_logs(pod_uid);
        self.remove_pod(pod_uid);
        if let Some(pod) = self.api.store.pods.remove(key) {
            if let Some(ip) = &pod.status.pod_ip {
                self.api.ids.release_pod_ip(ip);
            }
            self.network.forget_pod(&pod);
            self.api.work.pod_changed(&pod);
            self.api.work.room_freed();
        }
    }

    fn remove_pod(&mut self, pod_uid: &str) {
        self.forget_logs(pod_uid);
        let Some(runtime) = self.kubelet.pods.remove(pod_uid) else {
            return;
        };
        if let Some(pod) = self
            .api
            .store
            .pods
            .get(&runtime.key)
            .filter(|p| p.metadata.uid == pod_uid)
        {
            if let Some(ip) = &pod.status.pod_ip {
                self.api.ids.release_pod_ip(ip);
            }
            self.network.forget_pod(pod);
            self.api.work.pod_changed(pod);
            self.api.work.room_freed();
            self.api.store.pods.remove(&runtime.key);
        }
    }
}

/// How long the main process runs before exiting on its own; `None` = until stopped.
fn run_time(app: Option<App>, spec: &Container, _pod: &Pod) -> Option<Duration> {
    match app {
        Some(App::Demoapp | App::Nginx | App::RolloutsDemo | App::Controller) => None,
        // Shell images run their command; without one, `sh` without a terminal exits at once.
        Some(App::Shell) | None => {
            let words: Vec<&str> = spec
                .command
                .iter()
                .chain(spec.args.iter())
                .flat_map(|w| w.split_whitespace())
                .collect();
            if spec.stdin || spec.tty {
                return None;
            }
            if words.is_empty() {
                return Some(Duration(500));
            }
            if let Some(i) = words.iter().position(|w| *w == "sleep") {
                // `sleep` with an absurd or missing number runs until stopped.
                return words
                    .get(i + 1)
                    .and_then(|s| s.parse::<f64>().ok())
                    .filter(|secs| secs.is_finite() && *secs >= 0.0)
                    .map(|secs| Duration((secs.min(1e12) * 1000.0) as i64));
            }
            if words
                .iter()
                .any(|w| *w == "while" || *w == "tail" || *w == "infinity")
            {
                return None;
            }
            Some(Duration(500))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::back_off;

    #[test]
    fn back_off_doubles_from_ten_seconds_up_to_five_minutes() {
        assert_eq!(back_off(1), 10_000);
        assert_eq!(back_off(2), 20_000);
        assert_eq!(back_off(3), 40_000);
        assert_eq!(back_off(10), 300_000);
        assert_eq!(back_off(u32::MAX), 300_000);
    }
}
