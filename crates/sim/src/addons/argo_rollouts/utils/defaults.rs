//! `utils/defaults`: what an unset field of a Rollout means.

use crate::clock::Duration;
use crate::objects::{IntOrString, Rollout};

pub const DEFAULT_REPLICAS: i32 = 1;
pub const DEFAULT_REVISION_HISTORY_LIMIT: i32 = 10;
pub const DEFAULT_PROGRESS_DEADLINE_SECONDS: i32 = 600;
pub const DEFAULT_SCALE_DOWN_DELAY_SECONDS: i32 = 30;
pub const DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS: i32 = 30;
/// The controller's `--rollout-resync` default: every Rollout is looked at again this often.
pub const RESYNC_PERIOD: Duration = Duration(15 * 60 * 1000);

pub fn revision_history_limit(ro: &Rollout) -> i32 {
    ro.spec
        .revision_history_limit
        .unwrap_or(DEFAULT_REVISION_HISTORY_LIMIT)
}

pub fn progress_deadline_seconds(ro: &Rollout) -> i32 {
    ro.spec
        .progress_deadline_seconds
        .unwrap_or(DEFAULT_PROGRESS_DEADLINE_SECONDS)
}

/// `GetMaxUnavailableOrDefault` for blue-green (canary reads its own through the arithmetic).
pub fn blue_green_max_unavailable(ro: &Rollout) -> IntOrString {
    ro.blue_green()
        .and_then(|bg| bg.max_unavailable.clone())
        .unwrap_or_else(|| IntOrString::String("25".into()))
}

/// `GetScaleDownDelaySecondsOrDefault`: blue-green and traffic-routed canaries keep the old
/// ReplicaSet up this long after promotion; a basic canary scales it down at once.
pub fn scale_down_delay_seconds(ro: &Rollout) -> i32 {
    if let Some(bg) = ro.blue_green() {
        return bg
            .scale_down_delay_seconds
            .unwrap_or(DEFAULT_SCALE_DOWN_DELAY_SECONDS);
    }
    match ro.canary() {
        Some(canary) if canary.traffic_routing.is_some() => canary
            .scale_down_delay_seconds
            .unwrap_or(DEFAULT_SCALE_DOWN_DELAY_SECONDS),
        _ => 0,
    }
}

/// `GetAbortScaleDownDelaySecondsOrDefault`: `(None, _)` means never scale the aborted
/// ReplicaSet down (the field set to 0); the flag says whether the field was set.
pub fn abort_scale_down_delay_seconds(ro: &Rollout) -> (Option<i32>, bool) {
    let field = if let Some(bg) = ro.blue_green() {
        bg.abort_scale_down_delay_seconds
    } else {
        match ro.canary() {
            Some(canary) if canary.traffic_routing.is_some() => {
                canary.abort_scale_down_delay_seconds
            }
            _ => return (Some(0), false),
        }
    };
    match field {
        Some(0) => (None, true),
        Some(seconds) => (Some(seconds), true),
        None => (Some(DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS), false),
    }
}

/// `GetAutoPromotionEnabledOrDefault`.
pub fn auto_promotion_enabled(ro: &Rollout) -> bool {
    ro.blue_green()
        .and_then(|bg| bg.auto_promotion_enabled)
        .unwrap_or(true)
}

/// `GetScaleDownRevisionLimit` (`rollout/bluegreen.go`).
pub fn scale_down_revision_limit(ro: &Rollout) -> i32 {
    if let Some(limit) = ro
        .blue_green()
        .and_then(|bg| bg.scale_down_delay_revision_limit)
    {
        return limit;
    }
    ro.canary()
        .and_then(|c| c.scale_down_delay_revision_limit)
        .unwrap_or(i32::MAX)
}
