//! `rollout/trafficrouting.go`: the weight the router should send to the canary now.

use super::RolloutContext;

pub(super) fn reconcile(_context: &mut RolloutContext<'_>) {}
