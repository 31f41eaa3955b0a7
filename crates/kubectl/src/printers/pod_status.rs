//! The READY, STATUS and RESTARTS cells of `kubectl get pods` (printers.go `printPod`).
//!
//! STATUS is the most surprising column for students: it is not `status.phase` but a
//! summary of the containers. The phase is the starting point, then every app container is
//! visited **from last to first**, each overwriting the reason, so the first-declared
//! container with a problem wins. A pod being deleted reads `Terminating` whatever its
//! containers do.

use super::duration::translate_timestamp_since;
use rollout_sim::clock::Time;
use rollout_sim::objects::{ContainerState, Pod, PodPhase};

/// The three computed cells of a pod row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodSummary {
    /// `ready/total`, e.g. `1/1`.
    pub ready: String,
    /// `Running`, `ContainerCreating`, `CrashLoopBackOff`, `Terminating`, …
    pub status: String,
    /// `0`, or `3 (41s ago)` once a container has restarted.
    pub restarts: String,
}

/// The `status.phase` string; an unreported phase prints as `Pending`, the value the API
/// server stores on create.
pub fn phase_name(phase: Option<PodPhase>) -> &'static str {
    match phase {
        None | Some(PodPhase::Pending) => "Pending",
        Some(PodPhase::Running) => "Running",
        Some(PodPhase::Succeeded) => "Succeeded",
        Some(PodPhase::Failed) => "Failed",
        Some(PodPhase::Unknown) => "Unknown",
    }
}

/// Computes READY, STATUS and RESTARTS exactly as `printPod` does.
pub fn summarize_pod(pod: &Pod, now: Time) -> PodSummary {
    let total = pod.spec.containers.len();
    let mut ready = 0usize;
    let mut restarts: i64 = 0;
    let mut last_restart: Option<Time> = None;
    let mut reason = phase_name(pod.status.phase).to_string();
    let mut has_running = false;

    for container in pod.status.container_statuses.iter().rev() {
        restarts += i64::from(container.restart_count);
        if let Some(ContainerState::Terminated { finished_at, .. }) = &container.last_state {
            if last_restart.is_none_or(|last| last.before(*finished_at)) {
                last_restart = Some(*finished_at);
            }
        }
        match &container.state {
            ContainerState::Waiting { reason: why, .. } if !why.is_empty() => {
                reason = why.clone();
            }
            ContainerState::Terminated {
                reason: why,
                exit_code,
                ..
            } => {
                reason = if why.is_empty() {
                    format!("ExitCode:{exit_code}")
                } else {
                    why.clone()
                };
            }
            ContainerState::Running { .. } if container.ready => {
                has_running = true;
                ready += 1;
            }
            _ => {}
        }
    }

    // A finished sidecar-style container next to a running one is not "Completed".
    if reason == "Completed" && has_running {
        reason = if pod.is_ready() {
            "Running"
        } else {
            "NotReady"
        }
        .to_string();
    }

    let terminal = matches!(
        pod.status.phase,
        Some(PodPhase::Succeeded) | Some(PodPhase::Failed)
    );
    if pod.metadata.deletion_timestamp.is_some() && !terminal {
        reason = "Terminating".to_string();
    }

    let restarts = match last_restart {
        Some(finished) if restarts != 0 => format!(
            "{restarts} ({} ago)",
            translate_timestamp_since(Some(finished), now)
        ),
        _ => restarts.to_string(),
    };

    PodSummary {
        ready: format!("{ready}/{total}"),
        status: reason,
        restarts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rollout_sim::objects::{Container, ContainerStatus, PodSpec, PodStatus};

    fn pod(phase: PodPhase, statuses: Vec<ContainerStatus>) -> Pod {
        Pod {
            spec: PodSpec {
                containers: statuses
                    .iter()
                    .map(|s| Container {
                        name: s.name.clone(),
                        ..Default::default()
                    })
                    .collect(),
                ..Default::default()
            },
            status: PodStatus {
                phase: Some(phase),
                container_statuses: statuses,
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn status(name: &str, ready: bool, state: ContainerState) -> ContainerStatus {
        ContainerStatus {
            name: name.into(),
            ready,
            state,
            ..Default::default()
        }
    }

    fn waiting(reason: &str) -> ContainerState {
        ContainerState::Waiting {
            reason: reason.into(),
            message: None,
        }
    }

    fn check(pod: &Pod, now: Time, ready: &str, status: &str, restarts: &str) {
        let summary = summarize_pod(pod, now);
        assert_eq!(
            (
                summary.ready.as_str(),
                summary.status.as_str(),
                summary.restarts.as_str()
            ),
            (ready, status, restarts)
        );
    }

    #[test]
    fn a_ready_running_container_counts_in_ready() {
        let p = pod(
            PodPhase::Running,
            vec![status(
                "app",
                true,
                ContainerState::Running {
                    started_at: Time(0),
                },
            )],
        );
        check(&p, Time(0), "1/1", "Running", "0");
    }

    #[test]
    fn a_waiting_reason_replaces_the_phase() {
        let p = pod(
            PodPhase::Pending,
            vec![status("app", false, waiting("ContainerCreating"))],
        );
        check(&p, Time(0), "0/1", "ContainerCreating", "0");
        let p = pod(
            PodPhase::Pending,
            vec![status("app", false, waiting("ImagePullBackOff"))],
        );
        check(&p, Time(0), "0/1", "ImagePullBackOff", "0");
    }

    #[test]
    fn the_first_declared_problem_container_wins() {
        let p = pod(
            PodPhase::Running,
            vec![
                status("a", false, waiting("CrashLoopBackOff")),
                status("b", false, waiting("ErrImagePull")),
            ],
        );
        check(&p, Time(0), "0/2", "CrashLoopBackOff", "0");
    }

    #[test]
    fn a_terminated_container_without_reason_shows_its_exit_code() {
        let p = pod(
            PodPhase::Running,
            vec![status(
                "app",
                false,
                ContainerState::Terminated {
                    reason: String::new(),
                    exit_code: 137,
                    finished_at: Time(0),
                },
            )],
        );
        check(&p, Time(0), "0/1", "ExitCode:137", "0");
    }

    #[test]
    fn restarts_say_how_long_ago_the_last_one_finished() {
        let mut p = pod(
            PodPhase::Running,
            vec![status(
                "app",
                true,
                ContainerState::Running {
                    started_at: Time(60_000),
                },
            )],
        );
        p.status.container_statuses[0].restart_count = 1;
        p.status.container_statuses[0].last_state = Some(ContainerState::Terminated {
            reason: "Error".into(),
            exit_code: 1,
            finished_at: Time(61_000),
        });
        check(&p, Time(101_000), "1/1", "Running", "1 (40s ago)");
        check(
            &p,
            Time(61_000 + 170_000),
            "1/1",
            "Running",
            "1 (2m50s ago)",
        );
    }

    #[test]
    fn a_pod_being_deleted_is_terminating_unless_it_already_finished() {
        let mut p = pod(
            PodPhase::Running,
            vec![status(
                "app",
                true,
                ContainerState::Running {
                    started_at: Time(0),
                },
            )],
        );
        p.metadata.deletion_timestamp = Some(Time(5_000));
        check(&p, Time(6_000), "1/1", "Terminating", "0");
        p.status.phase = Some(PodPhase::Succeeded);
        p.status.container_statuses[0].state = ContainerState::Terminated {
            reason: "Completed".into(),
            exit_code: 0,
            finished_at: Time(0),
        };
        check(&p, Time(6_000), "0/1", "Completed", "0");
    }

    #[test]
    fn an_unreported_phase_reads_pending() {
        let p = Pod::default();
        check(&p, Time(0), "0/0", "Pending", "0");
    }
}
