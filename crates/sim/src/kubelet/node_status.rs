//! The node status the kubelet posts: its conditions when healthy, and what it posts when it
//! reaches the API server again after being cut off.

use super::Node;

/// The conditions a healthy kubelet (and flannel, for `NetworkUnavailable`) reports:
/// `(type, status, reason, message)`.
pub const HEALTHY_CONDITIONS: [(&str, &str, &str, &str); 5] = [
    (
        "NetworkUnavailable",
        "False",
        "FlannelIsUp",
        "Flannel is running on this node",
    ),
    (
        "MemoryPressure",
        "False",
        "KubeletHasSufficientMemory",
        "kubelet has sufficient memory available",
    ),
    (
        "DiskPressure",
        "False",
        "KubeletHasNoDiskPressure",
        "kubelet has no disk pressure",
    ),
    (
        "PIDPressure",
        "False",
        "KubeletHasSufficientPID",
        "kubelet has sufficient PID available",
    ),
    (
        "Ready",
        "True",
        "KubeletReady",
        "kubelet is posting ready status. AppArmor enabled",
    ),
];

impl Node<'_> {
    /// The kubelet's node status after it was cut off: each condition the node lifecycle
    /// controller set to `Unknown` is the kubelet's own again. True if `Ready` changed.
    pub(super) fn post_healthy_status(&mut self, node: &str) -> bool {
        let now = self.api.now;
        let Some(stored) = self.api.store.nodes.get_mut(node) else {
            return false;
        };
        let mut ready_changed = false;
        for condition in &mut stored.status.conditions {
            let healthy = HEALTHY_CONDITIONS
                .iter()
                .find(|(type_, ..)| *type_ == condition.type_);
            // NetworkUnavailable is flannel's, not the kubelet's.
            if condition.type_ == "NetworkUnavailable" {
                continue;
            }
            if let Some((type_, status, reason, message)) = healthy {
                if condition.status != *status {
                    ready_changed |= *type_ == "Ready";
                    condition.last_transition_time = Some(now);
                }
                condition.status = (*status).into();
                condition.reason = (*reason).into();
                condition.message = (*message).into();
                condition.last_heartbeat_time = Some(now);
            }
        }
        ready_changed
    }
}
