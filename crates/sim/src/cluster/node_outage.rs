//! A node failing and coming back, which the lab does on request (`lab-node fail|recover`):
//! the kubelet is cut off from the control plane and its pods from the network; the node
//! lifecycle and taint eviction controllers then act on their own clocks.

use super::Cluster;
use crate::api::ApiError;
use crate::clock::Time;
use crate::objects::Kind;

impl Cluster {
    /// `name`'s kubelet stops reaching the API server and its pods stop answering. False
    /// if it was already down.
    pub fn fail_node(&mut self, name: &str) -> Result<bool, ApiError> {
        if !self.api.store.nodes.contains_key(name) {
            return Err(ApiError::not_found(Kind::Node, name));
        }
        if !self.node().cut_off(name) {
            return Ok(false);
        }
        self.controllers().watch_silent_node(name);
        self.settle();
        Ok(true)
    }

    /// `name` is back: its kubelet posts `Ready`, stops what was deleted meanwhile and
    /// carries on. False if it was not down.
    pub fn recover_node(&mut self, name: &str) -> Result<bool, ApiError> {
        if !self.api.store.nodes.contains_key(name) {
            return Err(ApiError::not_found(Kind::Node, name));
        }
        if !self.node().reconnect(name) {
            return Ok(false);
        }
        self.api.work.api_write();
        self.controllers().watch_returning_node(name);
        self.settle();
        Ok(true)
    }

    /// Whether `name`'s kubelet is cut off (the lab failed it).
    pub fn node_is_down(&self, name: &str) -> bool {
        self.kubelet.is_down(name)
    }

    /// The last time `name`'s kubelet could reach the API server (renew its lease, post its
    /// status): now, or when it was cut off.
    pub fn kubelet_last_heard(&self, name: &str) -> Time {
        self.kubelet.down_since(name).unwrap_or(self.api.now)
    }
}
