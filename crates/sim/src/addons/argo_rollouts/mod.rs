//! Argo Rollouts v1.9.1, ported piece by piece; so far its canary replica arithmetic.
pub mod replicaset;
