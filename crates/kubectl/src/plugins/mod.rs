//! kubectl plugins: programs on the lab machine's PATH that kubectl runs as `kubectl NAME …`
//! (kubectl looks for `kubectl-NAME` when NAME is not one of its own commands).
//!
//! - [`argo_rollouts`]: `kubectl argo rollouts`, Argo Rollouts' plugin.
//!
//! A plugin is its own program: it knows nothing of kubectl's commands (`cmd` dispatches to
//! it, never the other way round) and prints its own errors.

pub mod argo_rollouts;
