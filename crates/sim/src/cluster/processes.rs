//! The cluster's side of containers' output and of processes its host runs
//! ([`crate::kubelet::processes`]).

use super::Cluster;
use crate::apiserver::ObjectKey;
use crate::kubelet::processes::{ContainerLogs, ProcessId, ProcessStart};

impl Cluster {
    /// From now on the host runs the processes of shell images' containers: it takes them
    /// with [`Cluster::take_started_processes`] and reports their output and their end.
    pub fn host_runs_processes(&mut self) {
        self.kubelet.host_runs_processes();
    }

    /// The processes started since the last call, oldest first.
    pub fn take_started_processes(&mut self) -> Vec<ProcessStart> {
        self.kubelet.take_started()
    }

    /// Whether that run of the container is still going (it may be stopping).
    pub fn is_process_alive(&self, id: &ProcessId) -> bool {
        self.kubelet.is_alive(id)
    }

    /// The process wrote `text`.
    pub fn process_output(&mut self, id: &ProcessId, text: &str) {
        self.node().process_output(id, text);
    }

    /// The process ended by itself; the kubelet and the controllers react at once.
    pub fn process_exited(&mut self, id: &ProcessId, exit_code: i32) {
        if self.node().process_exited(id, exit_code) {
            self.settle();
        }
    }

    /// The runtime could not start the process: `program` is not in the image.
    pub fn process_not_found(&mut self, id: &ProcessId, program: &str) {
        if self.node().process_not_found(id, program) {
            self.settle();
        }
    }

    /// The output of a pod's container, by the container's name.
    pub fn container_logs(
        &self,
        namespace: &str,
        pod: &str,
        container: &str,
    ) -> Option<&ContainerLogs> {
        let pod = self.api.store.pods.get(&ObjectKey::new(namespace, pod))?;
        let index = pod
            .spec
            .containers
            .iter()
            .position(|c| c.name == container)?;
        self.kubelet.logs(&pod.metadata.uid, index)
    }
}
