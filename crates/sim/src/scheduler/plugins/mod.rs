//! The default plugins that decide where a pod may go, one file per upstream plugin
//! (`pkg/scheduler/framework/plugins/…`), run in kube-scheduler's default order.

pub mod nodeaffinity;
pub mod noderesources;
pub mod nodeunschedulable;
pub mod podtopologyspread;
pub mod tainttoleration;
