//! NodeUnschedulable (`nodeunschedulable/node_unschedulable.go`): a cordoned node takes no
//! new pod, unless the pod tolerates the `node.kubernetes.io/unschedulable` taint.

use super::super::framework::{Code, NodeInfo, Status};
use super::tainttoleration::{tolerates, Toleration};
use crate::objects::Taint;

/// `ErrReasonUnschedulable`.
pub const REASON: &str = "node(s) were unschedulable";
/// `v1.TaintNodeUnschedulable`, which `kubectl cordon` also adds to the node.
pub const TAINT_NODE_UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";

pub fn filter(tolerations: &[Toleration], node: &NodeInfo) -> Option<Status> {
    if !node.node.spec.unschedulable {
        return None;
    }
    let taint = Taint {
        key: TAINT_NODE_UNSCHEDULABLE.into(),
        effect: "NoSchedule".into(),
        ..Taint::default()
    };
    if tolerations.iter().any(|t| tolerates(t, &taint)) {
        return None;
    }
    Some(Status::new(Code::UnschedulableAndUnresolvable, REASON))
}
