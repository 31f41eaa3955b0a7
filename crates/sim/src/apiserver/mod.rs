//! What every component of the cluster reads and writes through: the API server's store and
//! the bookkeeping of its writes (the events, the IDs it hands out, the work queue that wakes
//! the controllers, the watch log), with the one virtual clock, timer queue and RNG they all
//! share.
//!
//! It sits below the components that act on it — the controllers, the kubelet, the add-ons —
//! and knows none of them; [`crate::cluster`] composes them and runs their loops.

mod events;
mod ids;
mod store;
mod timers;
mod versions;
mod watch;
mod work;

pub use events::EventLog;
pub(crate) use events::Report;
pub(crate) use ids::Ids;
pub use store::{in_namespace, ObjectKey, Store};
pub(crate) use timers::{Timer, Timers};
use versions::Versions;
pub use watch::{WatchLog, Written};
pub(crate) use work::Work;

use crate::clock::Time;
use crate::objects::{EventType, Explanation, Kind, ObjectMeta, ObjectReference};
use crate::rng::Rng;

/// The shared state. [`crate::cluster::Cluster`] owns one; the controllers and the kubelet
/// borrow it for each step.
#[derive(Clone, Debug)]
pub struct ApiServer {
    pub(crate) now: Time,
    pub(crate) rng: Rng,
    pub(crate) store: Store,
    pub(crate) timers: Timers,
    pub(crate) events: EventLog,
    pub(crate) ids: Ids,
    /// What the next settle round has to look at.
    pub(crate) work: Work,
    /// Each Deployment and ReplicaSet as it stood after every round that changed it.
    pub(crate) watch_log: WatchLog,
    /// The resourceVersion counter and what each object looked like when it last got one.
    pub(crate) versions: Versions,
}

impl ApiServer {
    pub(crate) fn new(now: Time, seed: u64) -> ApiServer {
        ApiServer {
            now,
            rng: Rng::new(seed),
            store: Store::default(),
            timers: Timers::default(),
            events: EventLog::default(),
            ids: Ids::default(),
            work: Work::default(),
            watch_log: WatchLog::default(),
            versions: Versions::default(),
        }
    }

    /// Gives every object that changed since the last stamp its next `resourceVersion`.
    pub(crate) fn stamp_versions(&mut self) {
        self.versions.stamp(&mut self.store);
    }

    /// Metadata for a new object: a fresh UID and the creation time. (Only kinds with a spec
    /// that controllers observe get a `generation`; see [`has_generation`].)
    pub(crate) fn new_metadata(&mut self, name: &str, namespace: &str) -> ObjectMeta {
        ObjectMeta {
            name: name.to_string(),
            namespace: namespace.to_string(),
            uid: self.ids.uid(&mut self.rng),
            creation_timestamp: Some(self.now),
            generation: 0,
            ..ObjectMeta::default()
        }
    }

    /// Records an event about an object. `source` is the reporting component.
    pub(crate) fn record(
        &mut self,
        object: ObjectReference,
        type_: EventType,
        reason: &str,
        message: String,
        source: &str,
        explanation: Option<Explanation>,
    ) {
        let now = self.now;
        self.events.record(
            now,
            Report {
                object,
                type_,
                reason,
                message,
                source,
                explanation,
            },
        );
    }
}

/// Whether the API server tracks `metadata.generation` for a kind (in 1.30: workloads and
/// Ingresses, not Pods, Services or Namespaces; custom resources always).
pub(crate) fn has_generation(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Deployment
            | Kind::ReplicaSet
            | Kind::Ingress
            | Kind::PodDisruptionBudget
            | Kind::HorizontalPodAutoscaler
            | Kind::Rollout
            | Kind::AnalysisTemplate
            | Kind::ClusterAnalysisTemplate
            | Kind::AnalysisRun
            | Kind::GatewayClass
            | Kind::Gateway
            | Kind::HTTPRoute
            | Kind::ReferenceGrant
    )
}

/// A reference to an object, for events and endpoints.
pub fn reference(kind: Kind, metadata: &ObjectMeta) -> ObjectReference {
    ObjectReference {
        kind: kind.to_string(),
        namespace: metadata.namespace.clone(),
        name: metadata.name.clone(),
        uid: metadata.uid.clone(),
    }
}
