use crate::objects::IntOrStringError;
use std::fmt;

/// Why a controller step could not be carried out. Upstream logs these and retries on the
/// next pass; the simulator does the same.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ControllerError {
    /// maxSurge / maxUnavailable is not a number or a percentage (validation normally stops
    /// this before the controller sees it).
    BadFencepost(IntOrStringError),
    /// A computed scale-down would actually grow the ReplicaSet: its status reports more
    /// available pods than its spec, i.e. an earlier scale-down has not been carried out yet.
    InvalidScaleDown {
        replica_set: String,
        from: i32,
        to: i32,
    },
    /// Terminating pods must be counted but a ReplicaSet has not reported them.
    UnknownTerminatingReplicas,
}

impl fmt::Display for ControllerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ControllerError::BadFencepost(err) => write!(f, "{err}"),
            ControllerError::InvalidScaleDown {
                replica_set,
                from,
                to,
            } => {
                write!(
                    f,
                    "got invalid request to scale down {replica_set} {from} -> {to}"
                )
            }
            ControllerError::UnknownTerminatingReplicas => {
                write!(f, "could not determine the number of terminating replicas")
            }
        }
    }
}

impl std::error::Error for ControllerError {}

impl From<IntOrStringError> for ControllerError {
    fn from(err: IntOrStringError) -> Self {
        ControllerError::BadFencepost(err)
    }
}
