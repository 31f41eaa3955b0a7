//! The cluster model's reader: [`ClusterModel::read_with`] and what it reads through (the
//! Rollout card's info, the pods' and nodes' status words, a node's room). It reads the
//! simulator's store, so in the page it travels with the lab's module: its own split point
//! (`lab_view`), packed with `lab_engine` in one file (`tools/wasm-split.mjs`) and loaded with
//! it as the page starts. Until then the cluster view is empty (the placeholder lab has
//! nothing to show anyway). The component tests link it in.

use super::model::{ClusterModel, PodViews};
use rollout_sim::cluster::Cluster;

/// The model as the cluster holds it, reusing the views of the pods that did not change since
/// `views` was filled; the empty model until the reader's code is here.
pub fn read_with(cluster: &Cluster, views: &mut PodViews) -> ClusterModel {
    match module::reader() {
        Some(read) => read(cluster, views),
        None => ClusterModel::default(),
    }
}

/// Fetches the reader's code (with the split build; linked in otherwise).
pub async fn load() -> Result<(), String> {
    module::load().await
}

type Read = fn(&Cluster, &mut PodViews) -> ClusterModel;

#[cfg(feature = "split-modules")]
mod module {
    use super::Read;
    use std::future::Future;
    use std::sync::OnceLock;
    use std::task::{Context, Poll, Waker};
    use wasm_split_helpers::{wasm_split, SplitLoaderError};

    static READ: OnceLock<Read> = OnceLock::new();

    #[wasm_split(lab_view, fallible, preload(load_lab_view))]
    fn make_reader() -> Result<Read, SplitLoaderError> {
        Ok(super::ClusterModel::read_with)
    }

    pub async fn load() -> Result<(), String> {
        if READ.get().is_some() {
            return Ok(());
        }
        load_lab_view()
            .await
            .map_err(|e| format!("lab-view: {e}"))?;
        // The module is loaded, so the call's future is ready at its first poll.
        let mut made = std::pin::pin!(make_reader());
        match made.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(Ok(read)) => {
                READ.get_or_init(|| read);
                Ok(())
            }
            Poll::Ready(Err(e)) => Err(format!("lab-view: {e}")),
            Poll::Pending => Err("lab-view: the module did not load".to_string()),
        }
    }

    pub fn reader() -> Option<Read> {
        READ.get().copied()
    }
}

/// Without the split (the component tests), the code is linked in.
#[cfg(not(feature = "split-modules"))]
mod module {
    use super::Read;

    pub async fn load() -> Result<(), String> {
        Ok(())
    }

    pub fn reader() -> Option<Read> {
        Some(super::ClusterModel::read_with)
    }
}
