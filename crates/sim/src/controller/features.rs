/// Feature gates that change controller behaviour. Defaults are those of a current cluster for
/// the beta/GA gates and off for the alpha ones a classic simulator leaves out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeatureGates {
    /// Pods annotated with a lower `controller.kubernetes.io/pod-deletion-cost` go first.
    pub pod_deletion_cost: bool,
    /// Compare pod ages in power-of-two buckets so scale-down is not strictly "newest first".
    pub logarithmic_scale_down: bool,
    /// ReplicaSets report `status.terminatingReplicas`.
    pub deployment_replica_set_terminating_replicas: bool,
    /// Honour `spec.podReplacementPolicy` (needs terminating replicas).
    pub deployment_pod_replacement_policy: bool,
}

impl Default for FeatureGates {
    fn default() -> Self {
        FeatureGates {
            pod_deletion_cost: true,
            logarithmic_scale_down: true,
            deployment_replica_set_terminating_replicas: false,
            deployment_pod_replacement_policy: false,
        }
    }
}

impl FeatureGates {
    /// Sets a gate by its upstream name; returns false for a gate this simulator does not know.
    pub fn set(&mut self, name: &str, enabled: bool) -> bool {
        match name {
            "PodDeletionCost" => self.pod_deletion_cost = enabled,
            "LogarithmicScaleDown" => self.logarithmic_scale_down = enabled,
            "DeploymentReplicaSetTerminatingReplicas" => {
                self.deployment_replica_set_terminating_replicas = enabled
            }
            "DeploymentPodReplacementPolicy" => {
                self.deployment_pod_replacement_policy = enabled;
                // Upstream requires the terminating-replicas gate for this one.
                if enabled {
                    self.deployment_replica_set_terminating_replicas = true;
                }
            }
            _ => return false,
        }
        true
    }
}
