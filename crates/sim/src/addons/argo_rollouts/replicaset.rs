//! # Canary replica arithmetic
//!
//! How many pods the canary ReplicaSet and the stable ReplicaSet should have at this moment of
//! a canary rollout. Ported from Argo Rollouts v1.9.1 — `utils/replicaset/canary.go` and the
//! helpers it calls in `utils/replicaset/replicaset.go`, `utils/defaults` and
//! `utils/weightutil` — with upstream's function names in snake_case, so the two read side by
//! side.
//!
//! Two strategies share the module:
//! - **Basic canary** (no traffic router): traffic follows pod counts, so the step's weight
//!   becomes a canary/stable split of `spec.replicas`
//!   ([`approximate_weighted_canary_stable_replica_counts`]), and
//!   [`calculate_replica_counts_for_basic_canary`] walks towards that split no faster than
//!   maxSurge (pods above `spec.replicas`) and maxUnavailable (available pods below it) allow.
//! - **Traffic-routed canary**: a router splits traffic by weight, so the canary only needs
//!   enough pods for its share and the stable stays at full size, unless `dynamicStableScale`
//!   shrinks it to its own share ([`calculate_replica_counts_for_traffic_routed_canary`]).
//!
//! The inputs are small views ([`RolloutView`], [`CanaryReplicaSet`]) of just the fields
//! upstream reads, so the arithmetic stands on its own, apart from the Rollout kind.
//!
//! **Overflow.** Go's `int32` arithmetic wraps silently and its float-to-int conversions of
//! out-of-range values are implementation-dependent. Here intermediate values are `i64` and every result
//! saturates at the `i32` range. For any value a cluster would accept the answers are the
//! same; absurd ones give a clamped answer instead of a wrapped one, and nothing panics.

use crate::objects::{IntOrString, IntOrStringError};

/// `spec.replicas` of a Rollout that leaves it unset.
pub const DEFAULT_REPLICAS: i32 = 1;
/// maxSurge when unset. Upstream spells it without `%`: the legacy parser it uses reads every
/// string as a percentage, so this means 25%.
pub const DEFAULT_MAX_SURGE: &str = "25";
/// maxUnavailable when unset (25%, as [`DEFAULT_MAX_SURGE`]).
pub const DEFAULT_MAX_UNAVAILABLE: &str = "25";
/// How long an aborted traffic-routed canary stays scaled up when the Rollout does not say.
pub const DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS: i32 = 30;
/// All of the traffic, unless the traffic router counts in other units (`maxTrafficWeight`).
pub const DEFAULT_MAX_TRAFFIC_WEIGHT: i32 = 100;

// ---------------------------------------------------------------------------------------------
// Inputs.

/// The part of a ReplicaSet the arithmetic reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CanaryReplicaSet {
    /// Tells the stable and the new ReplicaSet apart: right after a rollout completes, or
    /// before the first one, they are the same ReplicaSet.
    pub name: String,
    /// `spec.replicas`: the pods it is asked to run.
    pub replicas: i32,
    /// `status.replicas`: the pods that exist, ready or not.
    pub status_replicas: i32,
    /// `status.availableReplicas`: the pods that can take traffic.
    pub available_replicas: i32,
}

impl CanaryReplicaSet {
    /// A ReplicaSet whose pods all exist, `available_replicas` of them available.
    pub fn new(name: &str, replicas: i32, available_replicas: i32) -> Self {
        CanaryReplicaSet {
            name: name.to_string(),
            replicas,
            status_replicas: replicas,
            available_replicas,
        }
    }
}

/// The part of a Rollout the arithmetic reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RolloutView {
    /// `spec.replicas`; unset means [`DEFAULT_REPLICAS`].
    pub replicas: Option<i32>,
    /// `spec.strategy.canary`; `None` for a blue-green Rollout (whose own fields are not
    /// modelled here).
    pub canary: Option<CanaryStrategy>,
    pub status: RolloutStatusView,
}

impl RolloutView {
    /// `spec.replicas` or its default (upstream's `GetReplicasOrDefault`).
    pub fn spec_replicas(&self) -> i32 {
        self.replicas.unwrap_or(DEFAULT_REPLICAS)
    }

    fn steps(&self) -> &[CanaryStep] {
        self.canary.as_ref().map_or(&[], |canary| &canary.steps)
    }

    fn traffic_routing(&self) -> Option<&TrafficRouting> {
        self.canary.as_ref()?.traffic_routing.as_ref()
    }

    fn dynamic_stable_scale(&self) -> bool {
        self.canary
            .as_ref()
            .is_some_and(|canary| canary.dynamic_stable_scale)
    }
}

/// `spec.strategy.canary`, as far as the arithmetic cares.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CanaryStrategy {
    /// Unset means [`DEFAULT_MAX_SURGE`].
    pub max_surge: Option<IntOrString>,
    /// Unset means [`DEFAULT_MAX_UNAVAILABLE`].
    pub max_unavailable: Option<IntOrString>,
    pub steps: Vec<CanaryStep>,
    /// Present when a traffic router splits the traffic (nginx, Istio, …): then pods no longer
    /// decide the split and the canary is sized from the weight alone.
    pub traffic_routing: Option<TrafficRouting>,
    /// Shrink the stable to its traffic share instead of keeping it at full size.
    pub dynamic_stable_scale: bool,
    /// Neither side of a traffic-routed canary goes below this many pods, unless it is at 0.
    pub min_pods_per_replica_set: Option<i32>,
    /// Seconds an aborted traffic-routed canary stays up; `Some(0)` means forever.
    pub abort_scale_down_delay_seconds: Option<i32>,
    /// How many canary pods must be available before a step counts as reached.
    pub replica_progress_threshold: Option<ReplicaProgressThreshold>,
    /// `analysis.startingStep`: the step the background analysis waits for (`None` also when
    /// there is no background analysis).
    pub analysis_starting_step: Option<i32>,
}

/// One entry of `spec.strategy.canary.steps`. Steps of other kinds (pause, analysis,
/// experiment) have neither field set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CanaryStep {
    /// `setWeight`: the canary's share of the traffic from this step on.
    pub set_weight: Option<i32>,
    /// `setCanaryScale`: size the canary apart from its traffic share.
    pub set_canary_scale: Option<SetCanaryScale>,
}

/// `setCanaryScale`: the canary's size, decoupled from its traffic weight (traffic-routed
/// canaries only).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SetCanaryScale {
    /// An absolute pod count; wins over `weight`.
    pub replicas: Option<i32>,
    /// A share of `spec.replicas`, in traffic-weight units.
    pub weight: Option<i32>,
    /// Go back to sizing the canary from its traffic weight.
    pub match_traffic_weight: bool,
}

/// `spec.strategy.canary.trafficRouting`, as far as the arithmetic cares.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrafficRouting {
    /// The weight that means all of the traffic; unset means [`DEFAULT_MAX_TRAFFIC_WEIGHT`].
    pub max_traffic_weight: Option<i32>,
}

/// `replicaProgressThreshold`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplicaProgressThreshold {
    pub type_: ProgressType,
    pub value: i32,
}

/// How a [`ReplicaProgressThreshold`] counts. Upstream treats any type other than `Percent`
/// as a pod count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgressType {
    /// `Percent`: a percentage of the pods the step wants.
    Percentage,
    /// `Pods`: a number of available pods.
    Pods,
}

/// The part of a Rollout's status the arithmetic reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RolloutStatusView {
    /// The rollout was aborted: traffic and pods go back to the stable.
    pub abort: bool,
    /// `kubectl argo rollouts promote --full`: skip the remaining steps.
    pub promote_full: bool,
    /// The step being run; unset means the first.
    pub current_step_index: Option<i32>,
    /// The stable ReplicaSet's pod-template hash; empty before the first rollout completes.
    pub stable_rs: String,
    /// The pod-template hash of the ReplicaSet being rolled out.
    pub current_pod_hash: String,
}

/// The traffic split the router currently applies (`status.canary.weights`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TrafficWeights {
    pub canary: i32,
    pub stable: i32,
}

/// How many pods the canary (new) and the stable ReplicaSet should have.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReplicaCounts {
    pub canary: i32,
    pub stable: i32,
}

impl ReplicaCounts {
    fn saturating(canary: i64, stable: i64) -> Self {
        ReplicaCounts {
            canary: saturate(canary),
            stable: saturate(stable),
        }
    }
}

/// Clamps to the `i32` range where Go would wrap.
fn saturate(value: i64) -> i32 {
    value.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

// ---------------------------------------------------------------------------------------------
// Defaults and fenceposts (`utils/defaults`, `utils/weightutil`, `replicaset.go`).

/// The weight that means all of the traffic (upstream's `weightutil.MaxTrafficWeight`).
pub fn max_traffic_weight(rollout: &RolloutView) -> i32 {
    rollout
        .traffic_routing()
        .and_then(|routing| routing.max_traffic_weight)
        .unwrap_or(DEFAULT_MAX_TRAFFIC_WEIGHT)
}

fn max_surge_or_default(rollout: &RolloutView) -> IntOrString {
    rollout
        .canary
        .as_ref()
        .and_then(|canary| canary.max_surge.clone())
        .unwrap_or_else(|| IntOrString::from(DEFAULT_MAX_SURGE))
}

fn max_unavailable_or_default(rollout: &RolloutView) -> IntOrString {
    rollout
        .canary
        .as_ref()
        .and_then(|canary| canary.max_unavailable.clone())
        .unwrap_or_else(|| IntOrString::from(DEFAULT_MAX_UNAVAILABLE))
}

/// apimachinery's legacy `GetValueFromIntOrPercent`, which Argo calls. Unlike the strict
/// [`IntOrString::scaled_value`] the Deployment controller uses, every string counts as a
/// percentage with its `%` signs dropped, which is why [`DEFAULT_MAX_SURGE`] can be `"25"`.
pub fn scaled_value_legacy(
    value: &IntOrString,
    total: i32,
    round_up: bool,
) -> Result<i32, IntOrStringError> {
    match value {
        IntOrString::Int(value) => Ok(*value),
        IntOrString::String(text) => {
            let percent: i64 = text
                .replace('%', "")
                .parse()
                .map_err(|_| IntOrStringError::InvalidPercentage(text.clone()))?;
            // Float math like upstream, so 39% of 10 is 3.9 and rounds the same way.
            let exact = percent as f64 * f64::from(total) / 100.0;
            let rounded = if round_up {
                exact.ceil()
            } else {
                exact.floor()
            };
            // `as` saturates where Go's int32 conversion would wrap.
            Ok(rounded as i32)
        }
    }
}

/// Resolves maxSurge (rounded up) and maxUnavailable (rounded down) against `desired`. If
/// both come out 0 the rollout could never move, so unavailability becomes 1.
pub fn resolve_fenceposts(
    max_surge: &IntOrString,
    max_unavailable: &IntOrString,
    desired: i32,
) -> Result<(i32, i32), IntOrStringError> {
    let surge = scaled_value_legacy(max_surge, desired, true)?;
    let unavailable = scaled_value_legacy(max_unavailable, desired, false)?;
    if surge == 0 && unavailable == 0 {
        return Ok((0, 1));
    }
    Ok((surge, unavailable))
}

/// How many pods above `spec.replicas` a canary may run. A malformed value counts as 0:
/// upstream relies on validation here.
pub fn max_surge(rollout: &RolloutView) -> i32 {
    if rollout.canary.is_none() {
        return 0;
    }
    resolve_fenceposts(
        &max_surge_or_default(rollout),
        &max_unavailable_or_default(rollout),
        rollout.spec_replicas(),
    )
    .map_or(0, |(surge, _)| surge)
}

/// How many of `spec.replicas` may be unavailable, never more than `spec.replicas`.
pub fn max_unavailable(rollout: &RolloutView) -> i32 {
    let replicas = rollout.spec_replicas();
    if replicas == 0 {
        return 0;
    }
    let unavailable = if rollout.canary.is_some() {
        resolve_fenceposts(
            &max_surge_or_default(rollout),
            &max_unavailable_or_default(rollout),
            replicas,
        )
        .map_or(0, |(_, unavailable)| unavailable)
    } else {
        scaled_value_legacy(&max_unavailable_or_default(rollout), replicas, false).unwrap_or(0)
    };
    unavailable.min(replicas)
}

/// Seconds an aborted canary stays scaled up before it is scaled down; `None` means it is
/// never scaled down (`abortScaleDownDelaySeconds: 0`). Only a traffic-routed canary waits:
/// without a router the canary's pods take traffic, so they must go at once.
pub fn abort_scale_down_delay_seconds(rollout: &RolloutView) -> Option<i32> {
    let Some(canary) = &rollout.canary else {
        // Blue-green's own delay is not modelled here.
        return Some(0);
    };
    if canary.traffic_routing.is_none() {
        return Some(0);
    }
    match canary.abort_scale_down_delay_seconds {
        Some(0) => None,
        Some(seconds) => Some(seconds),
        None => Some(DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS),
    }
}

// ---------------------------------------------------------------------------------------------
// Steps and weights.

/// The step being run and its index. Past the last step (the rollout is fully promoted) the
/// step is `None` but the index is still given; with no steps both are `None`.
pub fn get_current_canary_step(rollout: &RolloutView) -> (Option<&CanaryStep>, Option<i32>) {
    let steps = rollout.steps();
    if steps.is_empty() {
        return (None, None);
    }
    let index = rollout.status.current_step_index.unwrap_or(0);
    // A negative index (the controller never writes one) finds no step, where Go would panic.
    let step = usize::try_from(index).ok().and_then(|i| steps.get(i));
    (step, Some(index))
}

/// The steps from the current one back to the first: a step's setting lasts until a later
/// step changes it, so the latest one at or before the current step applies.
fn steps_back_from_current(rollout: &RolloutView) -> impl Iterator<Item = &CanaryStep> {
    let current = match get_current_canary_step(rollout) {
        (Some(_), Some(index)) => usize::try_from(index).ok(),
        _ => None,
    };
    let steps = current.and_then(|i| rollout.steps().get(..=i));
    steps.unwrap_or(&[]).iter().rev()
}

/// The canary's traffic weight at the current step: the latest `setWeight` so far, 0 before
/// any, all of the traffic once the steps are done, and 0 when aborted.
pub fn get_current_set_weight(rollout: &RolloutView) -> i32 {
    if rollout.status.abort {
        return 0;
    }
    if get_current_canary_step(rollout).0.is_none() {
        return max_traffic_weight(rollout);
    }
    steps_back_from_current(rollout)
        .find_map(|step| step.set_weight)
        .unwrap_or(0)
}

/// The `setCanaryScale` in force at the current step, if it should be used: only with a
/// traffic router (without one the pods are the traffic split), not after a later
/// `matchTrafficWeight`, and not once aborted unless the canary is to stay up forever.
pub fn use_set_canary_scale(rollout: &RolloutView) -> Option<&SetCanaryScale> {
    rollout.traffic_routing()?;
    if rollout.status.abort && abort_scale_down_delay_seconds(rollout).is_some() {
        return None;
    }
    let scale = steps_back_from_current(rollout).find_map(|step| step.set_canary_scale.as_ref())?;
    if scale.match_traffic_weight {
        return None;
    }
    Some(scale)
}

/// What the canary should be sized from: an explicit pod count (`setCanaryScale.replicas`),
/// or else a weight. With nothing to roll out (no stable yet, the stable is current, or a
/// full promotion) the weight is all of the traffic.
pub fn get_canary_replicas_or_weight(
    rollout: &RolloutView,
    new_rs: Option<&CanaryReplicaSet>,
    stable_rs: Option<&CanaryReplicaSet>,
) -> (Option<i32>, i32) {
    let status = &rollout.status;
    if status.promote_full
        || status.stable_rs.is_empty()
        || status.current_pod_hash == status.stable_rs
    {
        return (None, max_traffic_weight(rollout));
    }
    if let Some(scale) = use_set_canary_scale(rollout) {
        if let Some(replicas) = scale.replicas {
            return (Some(replicas), 0);
        }
        if let Some(weight) = scale.weight {
            return (None, weight);
        }
    }
    (None, get_desired_canary_weight(rollout, new_rs, stable_rs))
}

/// The canary weight to size from. Normally the current step's; but an aborted rollout with
/// `dynamicStableScale` walks back down its steps instead of dropping the canary at once, so
/// the stable grows back before the canary shrinks: it picks the latest step whose pod count
/// is below what the canary still has (or what the stable still lacks).
pub fn get_desired_canary_weight(
    rollout: &RolloutView,
    new_rs: Option<&CanaryReplicaSet>,
    stable_rs: Option<&CanaryReplicaSet>,
) -> i32 {
    let (Some(new_rs), Some(stable_rs)) = (new_rs, stable_rs) else {
        return get_current_set_weight(rollout);
    };
    if !(rollout.status.abort && rollout.dynamic_stable_scale()) {
        return get_current_set_weight(rollout);
    }
    let max_weight = max_traffic_weight(rollout);
    let replicas = rollout.spec_replicas();
    let missing_stable = i64::from(replicas) - i64::from(stable_rs.available_replicas);
    let canary_replicas = missing_stable.max(i64::from(new_rs.available_replicas));
    rollout
        .steps()
        .iter()
        .rev()
        .filter_map(|step| step.set_weight)
        .find(|&weight| {
            i64::from(traffic_weight_to_replicas(replicas, weight, max_weight)) < canary_replicas
        })
        .unwrap_or(0)
}

/// Whether the current step is before the one the background analysis starts at.
pub fn before_starting_step(rollout: &RolloutView) -> bool {
    let Some(starting_step) = rollout
        .canary
        .as_ref()
        .and_then(|canary| canary.analysis_starting_step)
    else {
        return false;
    };
    match get_current_canary_step(rollout) {
        (_, Some(index)) => index < starting_step,
        (_, None) => false,
    }
}

// ---------------------------------------------------------------------------------------------
// ReplicaSet counts.

/// Whether there is a stable ReplicaSet to scale apart from the new one.
pub fn check_stable_rs_exists(
    new_rs: Option<&CanaryReplicaSet>,
    stable_rs: Option<&CanaryReplicaSet>,
) -> bool {
    match (new_rs, stable_rs) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(new_rs), Some(stable_rs)) => new_rs.name != stable_rs.name,
    }
}

/// The pods of `rs` that count as available when deciding how far to scale down.
///
/// Pods above `spec.replicas` are about to go, so they never count. Otherwise the available
/// pods count, unless `ignore_availability`: then the ReplicaSet is the one being drained, and
/// counting its spec lets a ReplicaSet with crashing pods still shrink — else a rollout could
/// stall, unable to scale the stable down to make room for canaries.
pub fn get_replicas_for_scale_down(
    rs: Option<&CanaryReplicaSet>,
    ignore_availability: bool,
) -> i32 {
    let Some(rs) = rs else {
        return 0;
    };
    if rs.replicas < rs.available_replicas || ignore_availability {
        return rs.replicas;
    }
    rs.available_replicas
}

/// Never below `minPodsPerReplicaSet` (traffic-routed canaries only), except at 0: a side
/// with no traffic needs no pods, a side with some needs enough to stay up.
pub fn check_min_pods_per_replica_set(rollout: &RolloutView, count: i32) -> i32 {
    if count == 0 || rollout.traffic_routing().is_none() {
        return count;
    }
    let min = rollout
        .canary
        .as_ref()
        .and_then(|canary| canary.min_pods_per_replica_set);
    min.map_or(count, |min| count.max(min))
}

fn get_replica_count_for_replica_sets<'a>(
    replica_sets: impl IntoIterator<Item = &'a CanaryReplicaSet>,
) -> i64 {
    replica_sets
        .into_iter()
        .map(|rs| i64::from(rs.replicas))
        .sum()
}

fn get_available_replica_count_for_replica_sets(replica_sets: &[CanaryReplicaSet]) -> i64 {
    replica_sets
        .iter()
        .map(|rs| i64::from(rs.available_replicas))
        .sum()
}

// ---------------------------------------------------------------------------------------------
// Basic canary: the weight becomes pods.

/// The canary/stable split of `spec_replicas` whose canary share is nearest `desired_weight`
/// out of `max_weight`.
///
/// The total may be `spec_replicas` or, with surge allowed, one more: 1 canary beside 3
/// stables is exactly 25%, nearer than 1 of 3 or 2 of 3. A weight strictly between 0 and all
/// never rounds either side to 0 pods (unless there is a single pod and no surge), or a canary
/// at 1% of 10 replicas would get no pod at all. When rounding down and up are equally near,
/// the larger canary wins.
pub fn approximate_weighted_canary_stable_replica_counts(
    spec_replicas: i32,
    desired_weight: i32,
    max_weight: i32,
    max_surge: i32,
) -> ReplicaCounts {
    if spec_replicas == 0 {
        return ReplicaCounts::default();
    }
    let replicas = i64::from(spec_replicas);
    let weighted = (replicas * i64::from(desired_weight)) as f64 / f64::from(max_weight);
    // `as` saturates, and a zero max weight's infinity or NaN becomes a bound or 0.
    let ceil = weighted.ceil() as i64;
    let floor = weighted.floor() as i64;
    let zero_allowed = desired_weight == max_weight
        || desired_weight == 0
        || (spec_replicas == 1 && max_surge == 0);

    // Candidate (canary, total) pairs; on equal distance the earliest wins.
    let mut options: Vec<(i64, i64)> = Vec::with_capacity(4);
    if ceil < replicas || zero_allowed {
        options.push((ceil, replicas));
    }
    let floor_allowed = floor != 0 || zero_allowed;
    if !floor_ceiling_tied(desired_weight, max_weight, replicas) && floor_allowed {
        options.push((floor, replicas));
    }
    if max_surge > 0 {
        let surged = replicas + 1;
        options.push((ceil, surged));
        if !floor_ceiling_tied(desired_weight, max_weight, surged) && floor_allowed {
            options.push((floor, surged));
        }
    }

    let delta =
        |(canary, total): (i64, i64)| weight_delta(desired_weight, max_weight, canary, total);
    let best = options.into_iter().reduce(|best, option| {
        if delta(option) < delta(best) {
            option
        } else {
            best
        }
    });
    match best {
        Some((canary, total)) => ReplicaCounts::saturating(canary, total.saturating_sub(canary)),
        // Unreachable for sane inputs; upstream answers "all stable" too.
        None => ReplicaCounts {
            canary: 0,
            stable: spec_replicas,
        },
    }
}

/// Whether rounding the canary down and up land equally far from the weight (3 replicas at
/// 50%: 1 is 33%, 2 is 67%).
fn floor_ceiling_tied(desired_weight: i32, max_weight: i32, total_replicas: i64) -> bool {
    // The same float operations in the same order as upstream, so ties match exactly.
    let weighted = total_replicas as f64 * (f64::from(desired_weight) / f64::from(max_weight));
    weighted.fract() == 0.5
}

/// How far `canary_replicas` of `total_replicas` is from the desired weight.
fn weight_delta(
    desired_weight: i32,
    max_weight: i32,
    canary_replicas: i64,
    total_replicas: i64,
) -> f64 {
    let actual =
        canary_replicas.saturating_mul(i64::from(max_weight)) as f64 / total_replicas as f64;
    (actual - f64::from(desired_weight)).abs()
}

/// The canary and stable sizes for this reconcile of a basic canary.
///
/// The target is the weight's split ([`approximate_weighted_canary_stable_replica_counts`]),
/// or everything on the new ReplicaSet when there is no separate stable. Growing comes first
/// and is capped by maxSurge: the stable is topped up before the canary, so traffic stays on
/// the known-good version. Shrinking waits until older ReplicaSets are gone, is capped by
/// maxUnavailable, and drains the side that is moving away from its target.
pub fn calculate_replica_counts_for_basic_canary(
    rollout: &RolloutView,
    new_rs: Option<&CanaryReplicaSet>,
    stable_rs: Option<&CanaryReplicaSet>,
    old_rss: &[CanaryReplicaSet],
) -> ReplicaCounts {
    let spec_replicas = rollout.spec_replicas();
    let (_, desired_weight) = get_canary_replicas_or_weight(rollout, new_rs, stable_rs);
    let max_surge = max_surge(rollout);
    let max_weight = max_traffic_weight(rollout);
    let desired = approximate_weighted_canary_stable_replica_counts(
        spec_replicas,
        desired_weight,
        max_weight,
        max_surge,
    );
    let mut desired_new = i64::from(desired.canary);
    let mut desired_stable = i64::from(desired.stable);

    let mut new_count = new_rs.map_or(0, |rs| i64::from(rs.replicas));
    let mut stable_count = 0;
    // The stable to scale: only one apart from the new ReplicaSet.
    let scaled_stable = stable_rs.filter(|_| check_stable_rs_exists(new_rs, stable_rs));
    match scaled_stable {
        Some(stable) => stable_count = i64::from(stable.replicas),
        None => {
            // No steps to follow without a stable: the new ReplicaSet heads for 100%.
            desired_new = i64::from(spec_replicas);
            desired_stable = 0;
        }
    }

    // Scale up, within maxSurge: stable first.
    let max_replica_count_allowed = i64::from(spec_replicas) + i64::from(max_surge);
    let total_current =
        get_replica_count_for_replica_sets(old_rss.iter().chain(new_rs).chain(scaled_stable));
    let mut scale_up_count = max_replica_count_allowed - total_current;
    if let Some(stable) = scaled_stable {
        let current = i64::from(stable.replicas);
        if current < desired_stable && scale_up_count > 0 {
            stable_count = (current + scale_up_count).min(desired_stable);
            scale_up_count -= stable_count - current;
        }
    }
    if let Some(new) = new_rs {
        let current = i64::from(new.replicas);
        if current < desired_new && scale_up_count > 0 {
            new_count = (current + scale_up_count).min(desired_new);
        }
    }

    // Older ReplicaSets are scaled down before the new or the stable one.
    if get_replica_count_for_replica_sets(old_rss) > 0 {
        return ReplicaCounts::saturating(new_count, stable_count);
    }

    // Scale down, within maxUnavailable. While the canary grows, the stable is drained and
    // counted by its spec (its crashing pods must not block it); while the canary shrinks
    // (weight lowered, abort), the canary is.
    let min_available_replica_count =
        i64::from(spec_replicas) - i64::from(max_unavailable(rollout));
    let is_increasing = new_rs.is_none_or(|rs| desired_new >= i64::from(rs.replicas));
    let replicas_to_scale_down = i64::from(get_replicas_for_scale_down(new_rs, !is_increasing))
        + i64::from(get_replicas_for_scale_down(stable_rs, is_increasing));
    if replicas_to_scale_down <= min_available_replica_count {
        return ReplicaCounts::saturating(new_count, stable_count);
    }
    let scale_down_count = replicas_to_scale_down - min_available_replica_count;
    if !is_increasing {
        new_count =
            calculate_scale_down_replica_count(new_rs, desired_new, scale_down_count, new_count);
        (new_count, stable_count) = adjust_replica_within_limits(
            new_rs,
            stable_rs,
            new_count,
            stable_count,
            max_replica_count_allowed,
            min_available_replica_count,
        );
    } else if scaled_stable.is_some() {
        stable_count = calculate_scale_down_replica_count(
            stable_rs,
            desired_stable,
            scale_down_count,
            stable_count,
        );
        (stable_count, new_count) = adjust_replica_within_limits(
            stable_rs,
            new_rs,
            stable_count,
            new_count,
            max_replica_count_allowed,
            min_available_replica_count,
        );
    }
    ReplicaCounts::saturating(new_count, stable_count)
}

/// The drained ReplicaSet's new size: `scale_down_count` fewer, but not below its target.
fn calculate_scale_down_replica_count(
    drain_rs: Option<&CanaryReplicaSet>,
    desired_count: i64,
    scale_down_count: i64,
    drain_count: i64,
) -> i64 {
    match drain_rs {
        Some(rs) if i64::from(rs.replicas) > desired_count => {
            desired_count.max(i64::from(rs.replicas) - scale_down_count)
        }
        _ => drain_count,
    }
}

/// Brings the two sizes back within maxSurge without breaking maxUnavailable. The other side
/// (`adjust_rs`) gives up pods above the surge limit, takes back as many of its available
/// ones as minimum availability needs, and whatever is still over the limit comes off the
/// drained side (whose availability the caller already accounted for).
fn adjust_replica_within_limits(
    drain_rs: Option<&CanaryReplicaSet>,
    adjust_rs: Option<&CanaryReplicaSet>,
    mut drain_count: i64,
    mut adjust_count: i64,
    max_replica_count_allowed: i64,
    min_available_replica_count: i64,
) -> (i64, i64) {
    let over_the_limit =
        |drain: i64, adjust: i64| (drain + adjust - max_replica_count_allowed).max(0);
    let mut total_available = 0;
    if let Some(drain_rs) = drain_rs {
        total_available += i64::from(drain_rs.available_replicas).min(drain_count);
    }
    if let Some(adjust_rs) = adjust_rs {
        let available = i64::from(adjust_rs.available_replicas);
        adjust_count -= over_the_limit(drain_count, adjust_count);
        total_available += available.min(adjust_count);
        let availability_lost = (available - adjust_count).max(0);
        let availability_needed = (min_available_replica_count - total_available).max(0);
        adjust_count += availability_lost.min(availability_needed);
        drain_count -= over_the_limit(drain_count, adjust_count);
    }
    (drain_count, adjust_count)
}

// ---------------------------------------------------------------------------------------------
// Traffic-routed canary: the weight sizes the canary, the router splits the traffic.

/// Pods for `weight` of `replicas`, rounded up so any traffic share gets a pod.
pub fn traffic_weight_to_replicas(replicas: i32, weight: i32, max_weight: i32) -> i32 {
    let exact = f64::from(weight) * f64::from(replicas) / f64::from(max_weight);
    // `as` saturates (and a NaN from a zero max weight becomes 0).
    exact.ceil() as i32
}

/// The canary and stable sizes for this reconcile of a traffic-routed canary.
///
/// The canary gets its weight's share of `spec.replicas` (or `setCanaryScale`'s size). The
/// stable stays at full size, unless `dynamicStableScale`: then it gets its own share, but
/// never less than the traffic the router still sends it (`weights`), and an aborted canary
/// likewise keeps the pods for the traffic it still receives.
pub fn calculate_replica_counts_for_traffic_routed_canary(
    rollout: &RolloutView,
    new_rs: Option<&CanaryReplicaSet>,
    stable_rs: Option<&CanaryReplicaSet>,
    weights: Option<&TrafficWeights>,
) -> ReplicaCounts {
    let spec_replicas = rollout.spec_replicas();
    let (scale_replicas, desired_weight) =
        get_canary_replicas_or_weight(rollout, new_rs, stable_rs);
    let max_weight = max_traffic_weight(rollout);
    let mut canary_count = match scale_replicas {
        Some(replicas) => replicas,
        None => check_min_pods_per_replica_set(
            rollout,
            traffic_weight_to_replicas(spec_replicas, desired_weight, max_weight),
        ),
    };
    if !rollout.dynamic_stable_scale() {
        return ReplicaCounts {
            canary: canary_count,
            stable: spec_replicas,
        };
    }

    let stable_weight = max_weight.saturating_sub(desired_weight);
    let mut stable_count = traffic_weight_to_replicas(spec_replicas, stable_weight, max_weight);
    if let Some(weights) = weights {
        stable_count = stable_count.max(traffic_weight_to_replicas(
            spec_replicas,
            weights.stable,
            max_weight,
        ));
        if rollout.status.abort {
            // Traffic leaves the canary only as fast as the router moves it.
            canary_count = canary_count.max(traffic_weight_to_replicas(
                spec_replicas,
                weights.canary,
                max_weight,
            ));
        }
    }
    ReplicaCounts {
        canary: check_min_pods_per_replica_set(rollout, canary_count),
        stable: check_min_pods_per_replica_set(rollout, stable_count),
    }
}

// ---------------------------------------------------------------------------------------------
// Both strategies.

/// The sizes for whichever canary the rollout runs. Upstream spells this choice out at each
/// caller (`AtDesiredReplicaCountsForCanary`, `NewRSNewReplicas`, the canary reconcile).
pub fn calculate_replica_counts_for_canary(
    rollout: &RolloutView,
    new_rs: Option<&CanaryReplicaSet>,
    stable_rs: Option<&CanaryReplicaSet>,
    other_rss: &[CanaryReplicaSet],
    weights: Option<&TrafficWeights>,
) -> ReplicaCounts {
    if rollout.traffic_routing().is_some() {
        calculate_replica_counts_for_traffic_routed_canary(rollout, new_rs, stable_rs, weights)
    } else {
        calculate_replica_counts_for_basic_canary(rollout, new_rs, stable_rs, other_rss)
    }
}

/// Whether the ReplicaSets have reached this step's sizes, so the rollout may move on: the
/// canary is available (to the progress threshold), the stable has exactly its pods (unless it
/// scales with traffic), and, without a router, no older ReplicaSet still has available pods
/// taking traffic.
pub fn at_desired_replica_counts_for_canary(
    rollout: &RolloutView,
    new_rs: Option<&CanaryReplicaSet>,
    stable_rs: Option<&CanaryReplicaSet>,
    older_rss: &[CanaryReplicaSet],
    weights: Option<&TrafficWeights>,
) -> bool {
    let routed = rollout.traffic_routing().is_some();
    let desired =
        calculate_replica_counts_for_canary(rollout, new_rs, stable_rs, older_rss, weights);
    let threshold = rollout
        .canary
        .as_ref()
        .and_then(|canary| canary.replica_progress_threshold.as_ref());
    if !replica_progress_threshold_met(threshold, new_rs, desired.canary) {
        return false;
    }
    if (!routed || !rollout.dynamic_stable_scale())
        && !all_desired_are_created(stable_rs, desired.stable)
    {
        return false;
    }
    routed || get_available_replica_count_for_replica_sets(older_rss) == 0
}

/// Whether enough of `rs`'s pods are available for the step to count as reached: the
/// threshold's share of `desired`, or all of them when there is no (valid) threshold.
pub fn replica_progress_threshold_met(
    threshold: Option<&ReplicaProgressThreshold>,
    rs: Option<&CanaryReplicaSet>,
    desired: i32,
) -> bool {
    let (Some(threshold), Some(rs)) = (threshold, rs) else {
        return all_desired_are_available(rs, desired);
    };
    if threshold.value < 0 {
        return all_desired_are_available(Some(rs), desired);
    }
    match threshold.type_ {
        ProgressType::Percentage => {
            if desired == 0 {
                return true;
            }
            let percentage = f64::from(rs.available_replicas) / f64::from(desired) * 100.0;
            let value = f64::from(threshold.value);
            // Tolerate float error, so 9 of 10 pods meet 90%.
            percentage >= value || (percentage - value).abs() <= 1e-10
        }
        ProgressType::Pods => rs.available_replicas >= threshold.value,
    }
}

/// `rs` is asked for exactly `desired` pods and all of them are available.
pub fn all_desired_are_available(rs: Option<&CanaryReplicaSet>, desired: i32) -> bool {
    rs.is_some_and(|rs| desired == rs.replicas && desired == rs.available_replicas)
}

/// `rs` is asked for exactly `desired` pods and all of them exist.
pub fn all_desired_are_created(rs: Option<&CanaryReplicaSet>, desired: i32) -> bool {
    rs.is_some_and(|rs| desired == rs.replicas && desired == rs.status_replicas)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(canary: i32, stable: i32) -> ReplicaCounts {
        ReplicaCounts { canary, stable }
    }

    fn approximate(replicas: i32, weight: i32) -> ReplicaCounts {
        approximate_weighted_canary_stable_replica_counts(replicas, weight, 100, 0)
    }

    /// A basic canary of `replicas` pods with these `setWeight` steps, mid-rollout.
    fn basic_canary(replicas: i32, weights: &[i32]) -> RolloutView {
        RolloutView {
            replicas: Some(replicas),
            canary: Some(CanaryStrategy {
                steps: weights
                    .iter()
                    .map(|&weight| CanaryStep {
                        set_weight: Some(weight),
                        set_canary_scale: None,
                    })
                    .collect(),
                ..CanaryStrategy::default()
            }),
            status: RolloutStatusView {
                stable_rs: "stable".to_string(),
                current_pod_hash: "canary".to_string(),
                ..RolloutStatusView::default()
            },
        }
    }

    #[test]
    fn a_weight_rounds_to_the_nearest_pod_count() {
        assert_eq!(approximate(10, 14), counts(1, 9));
        assert_eq!(approximate(10, 15), counts(2, 8));
    }

    #[test]
    fn a_tie_between_rounding_down_and_up_goes_to_the_canary() {
        // 1 of 3 (33%) and 2 of 3 (67%) are equally far from 50%.
        assert_eq!(approximate(3, 50), counts(2, 1));
    }

    #[test]
    fn a_small_weight_still_gets_one_canary_pod() {
        assert_eq!(approximate(10, 1), counts(1, 9));
    }

    #[test]
    fn five_replicas_settle_at_each_steps_split() {
        let mut rollout = basic_canary(5, &[20, 40, 60, 80]);
        let mut canary = CanaryReplicaSet::new("canary", 0, 0);
        let mut stable = CanaryReplicaSet::new("stable", 5, 5);
        for (step, want) in [counts(1, 4), counts(2, 3), counts(3, 2), counts(4, 1)]
            .into_iter()
            .enumerate()
        {
            rollout.status.current_step_index = Some(step as i32);
            // Reconcile until nothing changes, every pod becoming available at once.
            for _ in 0..20 {
                let got = calculate_replica_counts_for_basic_canary(
                    &rollout,
                    Some(&canary),
                    Some(&stable),
                    &[],
                );
                canary = CanaryReplicaSet::new("canary", got.canary, got.canary);
                stable = CanaryReplicaSet::new("stable", got.stable, got.stable);
            }
            assert_eq!(
                counts(canary.replicas, stable.replicas),
                want,
                "step {step}"
            );
        }
    }

    #[test]
    fn the_stable_grows_back_before_older_replica_sets_shrink() {
        let rollout = basic_canary(10, &[30]);
        let older = [CanaryReplicaSet::new("older", 3, 3)];
        let mut strategy = rollout.canary.clone().unwrap_or_default();
        strategy.max_surge = Some(IntOrString::Int(1));
        strategy.max_unavailable = Some(IntOrString::Int(0));
        let rollout = RolloutView {
            canary: Some(strategy),
            ..rollout
        };
        let got = calculate_replica_counts_for_basic_canary(
            &rollout,
            Some(&CanaryReplicaSet::new("canary", 0, 0)),
            Some(&CanaryReplicaSet::new("stable", 1, 1)),
            &older,
        );
        assert_eq!(got, counts(1, 7));
    }

    #[test]
    fn an_unavailable_canary_gives_way_before_an_available_stable_pod_goes() {
        // Shrinking to 50% of 4 with no room below 4 available pods: cutting the stable back
        // under maxSurge would lose an available pod, so the canary (none available) loses
        // two instead. No upstream row reaches this step of adjustReplicaWithinLimits.
        let mut rollout = basic_canary(4, &[50]);
        if let Some(canary) = rollout.canary.as_mut() {
            canary.max_surge = Some(IntOrString::Int(1));
            canary.max_unavailable = Some(IntOrString::Int(0));
        }
        let got = calculate_replica_counts_for_basic_canary(
            &rollout,
            Some(&CanaryReplicaSet::new("canary", 3, 0)),
            Some(&CanaryReplicaSet::new("stable", 4, 4)),
            &[],
        );
        assert_eq!(got, counts(1, 4));
    }

    #[test]
    fn argo_reads_a_bare_number_string_as_a_percentage() {
        // The default "25" is 25%: of 10 pods, 3 may surge (up) and 2 be unavailable (down).
        let rollout = basic_canary(10, &[20]);
        assert_eq!((max_surge(&rollout), max_unavailable(&rollout)), (3, 2));
    }

    #[test]
    fn absurd_numbers_saturate_instead_of_panicking() {
        let huge = [i32::MIN, -1, 0, 1, i32::MAX];
        for &replicas in &huge {
            for &weight in &huge {
                for &max_weight in &huge {
                    for &surge in &huge {
                        let got = approximate_weighted_canary_stable_replica_counts(
                            replicas, weight, max_weight, surge,
                        );
                        let _ = (
                            got,
                            traffic_weight_to_replicas(replicas, weight, max_weight),
                        );
                    }
                }
            }
        }
        assert_eq!(
            approximate_weighted_canary_stable_replica_counts(i32::MAX, i32::MAX, 1, 1).canary,
            i32::MAX
        );

        let mut rollout = basic_canary(i32::MAX, &[i32::MAX, i32::MIN]);
        let mut strategy = rollout.canary.clone().unwrap_or_default();
        strategy.max_surge = Some(IntOrString::from("9223372036854775807%"));
        strategy.max_unavailable = Some(IntOrString::Int(i32::MIN));
        strategy.traffic_routing = Some(TrafficRouting {
            max_traffic_weight: Some(0),
        });
        strategy.dynamic_stable_scale = true;
        strategy.min_pods_per_replica_set = Some(i32::MAX);
        rollout.canary = Some(strategy);
        rollout.status.current_step_index = Some(i32::MIN);
        let big = CanaryReplicaSet::new("canary", i32::MAX, i32::MIN);
        let other = CanaryReplicaSet::new("stable", i32::MIN, i32::MAX);
        let weights = TrafficWeights {
            canary: i32::MAX,
            stable: i32::MIN,
        };
        for routed in [true, false] {
            for abort in [true, false] {
                let mut rollout = rollout.clone();
                rollout.status.abort = abort;
                if !routed {
                    if let Some(canary) = rollout.canary.as_mut() {
                        canary.traffic_routing = None;
                    }
                }
                let olds = [big.clone(), big.clone(), other.clone()];
                let _ = calculate_replica_counts_for_basic_canary(
                    &rollout,
                    Some(&big),
                    Some(&other),
                    &olds,
                );
                let _ = calculate_replica_counts_for_basic_canary(
                    &rollout,
                    Some(&big),
                    Some(&other),
                    &[],
                );
                let _ = calculate_replica_counts_for_basic_canary(
                    &rollout,
                    Some(&other),
                    Some(&big),
                    &[],
                );
                let _ = at_desired_replica_counts_for_canary(
                    &rollout,
                    Some(&big),
                    Some(&other),
                    &olds,
                    Some(&weights),
                );
                let _ = get_desired_canary_weight(&rollout, Some(&big), Some(&other));
                let _ = before_starting_step(&rollout);
            }
        }
    }
}
