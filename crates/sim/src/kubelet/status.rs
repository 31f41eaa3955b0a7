//! The pod status the kubelet reports, derived from what its runtime knows.

use super::{ContainerRuntime, Node, Stage};
use crate::objects::{
    ConditionStatus, ContainerState, ContainerStatus, PodCondition, PodConditionType, PodPhase,
};

impl Node<'_> {
    /// Rewrites `status` of the pod with `pod_uid` from the runtime; marks the cluster dirty
    /// when anything a controller could react to changed.
    pub(crate) fn write_pod_status(&mut self, pod_uid: &str) {
        let now = self.api.now;
        let Some(runtime) = self.kubelet.pods.get(pod_uid) else {
            return;
        };
        let Some(stored) = self.api.store.pods.get_mut(&runtime.key) else {
            return;
        };
        if stored.metadata.uid != pod_uid {
            return;
        }
        // Work on a copy of the status: a pod shared with a snapshot is only copied when its
        // status really changes.
        let pod: &crate::objects::Pod = stored;
        let mut status = pod.status.clone();
        // Until the kubelet has synced the pod, it reports no containers: kubectl shows
        // `Pending`, then `ContainerCreating`.
        let noticed = runtime
            .containers
            .iter()
            .any(|c| c.stage != Stage::Creating);
        let statuses: Vec<ContainerStatus> = if !noticed {
            Vec::new()
        } else {
            pod.spec
                .containers
                .iter()
                .zip(&runtime.containers)
                .map(|(spec, c)| ContainerStatus {
                    name: spec.name.clone(),
                    image: spec.image.clone(),
                    ready: c.ready,
                    restart_count: c.restarts,
                    state: container_state(c),
                    last_state: c.last_exit.as_ref().map(|exit| ContainerState::Terminated {
                        reason: exit.reason.clone(),
                        exit_code: exit.exit_code,
                        finished_at: exit.finished_at,
                    }),
                })
                .collect()
        };
        let any_running = runtime
            .containers
            .iter()
            .any(|c| matches!(c.stage, Stage::Running { .. } | Stage::Stopping { .. }));
        let ever_started = runtime.containers.iter().all(|c| {
            c.last_exit.is_some()
                || matches!(c.stage, Stage::Running { .. } | Stage::Stopping { .. })
        });
        let all_terminated = !runtime.containers.is_empty()
            && runtime
                .containers
                .iter()
                .all(|c| c.stage == Stage::Terminated);
        let phase = if all_terminated && !runtime.deleting {
            let failed = runtime
                .containers
                .iter()
                .any(|c| c.last_exit.as_ref().is_some_and(|e| e.exit_code != 0));
            if failed {
                PodPhase::Failed
            } else {
                PodPhase::Succeeded
            }
        } else if any_running || ever_started {
            PodPhase::Running
        } else {
            PodPhase::Pending
        };
        let all_ready =
            !runtime.containers.is_empty() && runtime.containers.iter().all(|c| c.ready);
        status.phase = Some(phase);
        status.container_statuses = statuses;
        set_condition(
            &mut status.conditions,
            PodConditionType::PodScheduled,
            true,
            now,
        );
        set_condition(
            &mut status.conditions,
            PodConditionType::Initialized,
            true,
            now,
        );
        set_condition(
            &mut status.conditions,
            PodConditionType::ContainersReady,
            all_ready,
            now,
        );
        set_condition(
            &mut status.conditions,
            PodConditionType::Ready,
            all_ready,
            now,
        );
        if status != pod.status {
            let terminal = |phase: Option<PodPhase>| {
                matches!(phase, Some(PodPhase::Succeeded) | Some(PodPhase::Failed))
            };
            let finished = terminal(status.phase) && !terminal(pod.status.phase);
            let pod = std::rc::Rc::make_mut(stored);
            pod.status = status;
            self.api.work.pod_changed(pod);
            // A finished pod no longer holds its room (the scheduler's cache drops it).
            if finished {
                self.api.work.room_freed();
            }
        }
    }
}

fn container_state(c: &ContainerRuntime) -> ContainerState {
    let waiting = |reason: &str, message: Option<&String>| ContainerState::Waiting {
        reason: reason.to_string(),
        message: message.cloned(),
    };
    match &c.stage {
        // A retried pull keeps showing the back-off until it succeeds, as the kubelet does.
        Stage::Pulling if c.pull_failures > 0 => waiting("ImagePullBackOff", None),
        Stage::Creating | Stage::Pulling | Stage::Starting => waiting("ContainerCreating", None),
        Stage::PullFailed { message } => waiting("ErrImagePull", Some(message)),
        Stage::PullBackOff { message } => waiting("ImagePullBackOff", Some(message)),
        Stage::InvalidImageName { message } => waiting("InvalidImageName", Some(message)),
        Stage::CrashBackOff { message } => waiting("CrashLoopBackOff", Some(message)),
        Stage::Running { since } | Stage::Stopping { since, .. } => {
            ContainerState::Running { started_at: *since }
        }
        Stage::Terminated => match &c.last_exit {
            Some(exit) => ContainerState::Terminated {
                reason: exit.reason.clone(),
                exit_code: exit.exit_code,
                finished_at: exit.finished_at,
            },
            None => waiting("ContainerCreating", None),
        },
    }
}

/// Sets a pod condition; the transition time only moves when the status flips.
fn set_condition(
    conditions: &mut Vec<PodCondition>,
    type_: PodConditionType,
    value: bool,
    now: crate::clock::Time,
) {
    let status = if value {
        ConditionStatus::True
    } else {
        ConditionStatus::False
    };
    match conditions.iter_mut().find(|c| c.type_ == type_) {
        Some(existing) if existing.status == status => {}
        Some(existing) => {
            existing.status = status;
            existing.last_transition_time = Some(now);
            existing.reason = None;
            existing.message = None;
        }
        None => conditions.push(PodCondition {
            type_,
            status,
            last_transition_time: Some(now),
            reason: None,
            message: None,
        }),
    }
}
