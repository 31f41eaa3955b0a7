//! `kubectl rollout status` for Deployments (kubectl `DeploymentStatusViewer`): one message
//! per watch event, derived from the Deployment alone.

use super::util::{get_deployment_condition, TIMED_OUT_REASON};
use crate::objects::{Deployment, DeploymentConditionType};
use std::fmt;

/// What `kubectl rollout status` prints for one observation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RolloutStatus {
    /// The line to print, trailing newline included.
    pub message: String,
    /// True once the rollout finished; kubectl then stops watching and exits 0.
    pub done: bool,
}

/// Observations that end the watch with an error (kubectl prints `error: ` + this).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RolloutStatusError {
    /// `--revision=N` does not match the Deployment's current revision.
    RevisionMismatch { desired: i64, running: i64 },
    /// The Deployment's revision annotation is not a number.
    BadRevision { name: String, value: String },
    /// The Progressing condition says ProgressDeadlineExceeded.
    ProgressDeadlineExceeded { name: String },
}

impl fmt::Display for RolloutStatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RolloutStatusError::RevisionMismatch { desired, running } => {
                write!(f, "desired revision ({desired}) is different from the running revision ({running})")
            }
            RolloutStatusError::BadRevision { name, value } => {
                write!(
                    f,
                    "cannot get the revision of deployment {name:?}: invalid revision {value:?}"
                )
            }
            RolloutStatusError::ProgressDeadlineExceeded { name } => {
                write!(f, "deployment {name:?} exceeded its progress deadline")
            }
        }
    }
}

impl std::error::Error for RolloutStatusError {}

/// One evaluation of the rollout state. `revision` is kubectl's `--revision` (0 = any).
pub fn status(d: &Deployment, revision: i64) -> Result<RolloutStatus, RolloutStatusError> {
    let name = &d.metadata.name;
    if revision > 0 {
        let running = match d.metadata.annotation(super::util::REVISION_ANNOTATION) {
            None => 0,
            Some(value) => value
                .parse::<i64>()
                .map_err(|_| RolloutStatusError::BadRevision {
                    name: name.clone(),
                    value: value.to_string(),
                })?,
        };
        if running != revision {
            return Err(RolloutStatusError::RevisionMismatch {
                desired: revision,
                running,
            });
        }
    }
    let waiting = |message: String| {
        Ok(RolloutStatus {
            message,
            done: false,
        })
    };
    // Until the controller has seen the latest spec, the status describes an older one.
    if d.metadata.generation > d.status.observed_generation {
        return waiting("Waiting for deployment spec update to be observed...\n".to_string());
    }
    let progressing = get_deployment_condition(&d.status, DeploymentConditionType::Progressing);
    if progressing.is_some_and(|c| c.reason == TIMED_OUT_REASON) {
        return Err(RolloutStatusError::ProgressDeadlineExceeded { name: name.clone() });
    }
    let s = &d.status;
    if s.updated_replicas < d.spec.replicas {
        return waiting(format!(
            "Waiting for deployment {name:?} rollout to finish: {} out of {} new replicas have been updated...\n",
            s.updated_replicas, d.spec.replicas
        ));
    }
    if s.replicas > s.updated_replicas {
        return waiting(format!(
            "Waiting for deployment {name:?} rollout to finish: {} old replicas are pending termination...\n",
            s.replicas.saturating_sub(s.updated_replicas)
        ));
    }
    if s.available_replicas < s.updated_replicas {
        return waiting(format!(
            "Waiting for deployment {name:?} rollout to finish: {} of {} updated replicas are available...\n",
            s.available_replicas, s.updated_replicas
        ));
    }
    Ok(RolloutStatus {
        message: format!("deployment {name:?} successfully rolled out\n"),
        done: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deployment(replicas: i32, status: (i32, i32, i32)) -> Deployment {
        let mut d = Deployment::default();
        d.metadata.name = "foo".into();
        d.spec.replicas = replicas;
        (
            d.status.replicas,
            d.status.updated_replicas,
            d.status.available_replicas,
        ) = status;
        d
    }

    #[test]
    fn old_pods_still_terminating_keep_the_rollout_waiting() {
        let message = status(&deployment(1, (2, 1, 2)), 0).map(|s| s.message);
        assert_eq!(message, Ok("Waiting for deployment \"foo\" rollout to finish: 1 old replicas are pending termination...\n".into()));
    }

    #[test]
    fn a_rollout_is_done_when_every_replica_is_updated_and_available() {
        assert_eq!(
            status(&deployment(2, (2, 2, 2)), 0).map(|s| s.done),
            Ok(true)
        );
    }

    #[test]
    fn asking_for_another_revision_is_an_error() {
        let mut d = deployment(2, (2, 2, 2));
        d.metadata
            .annotations
            .insert(super::super::util::REVISION_ANNOTATION.into(), "3".into());
        let err = status(&d, 2).unwrap_err();
        assert_eq!(
            err.to_string(),
            "desired revision (2) is different from the running revision (3)"
        );
    }
}
