//! The cluster: the API server's store, the virtual clock, and the control loops that act on
//! the store whenever something changes.
//!
//! Time only moves in [`Cluster::advance`]. Each due timer (a kubelet step, a probe, a grace
//! period ending) is handled at its instant, and after every instant the controllers run
//! until nothing more changes — on a real cluster they would react within milliseconds.

mod api;
mod events;
mod ids;
mod network;
mod store;
mod timers;
mod watch;
mod work;

pub use api::ApplyOutcome;
pub use events::EventLog;
pub use store::{in_namespace, ObjectKey, Store};
pub(crate) use timers::{Timer, Timers};
pub use watch::{WatchLog, Written};
pub(crate) use work::Work;

use crate::clock::{Duration, Time};
use crate::controller::FeatureGates;
use crate::kubelet::Kubelet;
use crate::network::NetworkState;
use crate::objects::{
    Event, EventType, Explanation, Kind, Namespace, Node, ObjectMeta, ObjectReference,
};
use crate::rng::Rng;
use events::Report;
use ids::Ids;

/// How long before the lesson (virtual time 0) the cluster was installed.
const CLUSTER_AGE: Duration = Duration(17 * 24 * 3600 * 1000);

/// How many controller rounds one instant may take before the cluster gives up settling.
/// Real controllers converge in a handful; the bound only protects the page from a bug.
const MAX_SETTLE_ROUNDS: usize = 200;

/// The whole simulated cluster. Cloning it is a snapshot: the page rewinds by keeping clones.
#[derive(Clone, Debug)]
pub struct Cluster {
    pub(crate) now: Time,
    pub(crate) rng: Rng,
    pub(crate) store: Store,
    pub(crate) timers: Timers,
    pub(crate) events: EventLog,
    pub(crate) kubelet: Kubelet,
    /// kube-proxy's affinity table, ingress-nginx's counters, each app's live state.
    pub(crate) network: NetworkState,
    pub(crate) ids: Ids,
    pub(crate) gates: FeatureGates,
    /// What the next settle round has to look at.
    pub(crate) work: Work,
    /// Each Deployment and ReplicaSet as it stood after every round that changed it.
    pub(crate) watch_log: WatchLog,
    /// The ReplicaSet controller's client-side API rate limit.
    pub(crate) api_budget: crate::controller::replica_set::ApiBudget,
}

/// The worker nodes (name, internal IP, pod CIDR third octet). Pod addresses come from
/// 10.244.<n>.0/24, so they look like the course's flannel cluster.
const NODES: [(&str, &str, u8); 3] = [
    ("k8s-node01", "10.0.0.101", 1),
    ("k8s-node02", "10.0.0.102", 2),
    ("k8s-node03", "10.0.0.103", 3),
];

impl Cluster {
    /// A fresh cluster: namespaces, three worker nodes and the `kubernetes` Service, at
    /// virtual time 0. Everything random in it derives from `seed`.
    pub fn new(seed: u64) -> Cluster {
        let mut cluster = Cluster {
            // The cluster was set up before the lesson began: its nodes and the `kubernetes`
            // Service show an age, as on the course's machines.
            now: Time(-CLUSTER_AGE.millis()),
            rng: Rng::new(seed),
            store: Store::default(),
            timers: Timers::default(),
            events: EventLog::default(),
            kubelet: Kubelet::default(),
            network: NetworkState::default(),
            ids: Ids::default(),
            gates: FeatureGates::default(),
            work: Work::default(),
            watch_log: WatchLog::default(),
            api_budget: Default::default(),
        };
        for name in ["default", "kube-node-lease", "kube-public", "kube-system"] {
            let metadata = cluster.new_metadata(name, "");
            cluster
                .store
                .namespaces
                .insert(name.to_string(), Namespace { metadata });
        }
        for (name, ip, octet) in NODES {
            let mut metadata = cluster.new_metadata(name, "");
            metadata
                .labels
                .insert("kubernetes.io/hostname".into(), name.into());
            metadata
                .labels
                .insert("kubernetes.io/os".into(), "linux".into());
            cluster.store.nodes.insert(
                name.to_string(),
                Node {
                    metadata,
                    pod_cidr: format!("10.244.{octet}.0/24"),
                    internal_ip: ip.to_string(),
                },
            );
        }
        cluster.create_kubernetes_service();
        cluster.now = Time(0);
        cluster
    }

    pub fn now(&self) -> Time {
        self.now
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Deployments and ReplicaSets as they stood after each round that changed them.
    pub fn watch_log(&self) -> &WatchLog {
        &self.watch_log
    }

    /// Every event, oldest first.
    pub fn events(&self) -> &[std::rc::Rc<Event>] {
        self.events.all()
    }

    /// Moves the clock forward by `by`, handling every timer that falls due on the way.
    pub fn advance(&mut self, by: Duration) {
        let target = self.now + Duration(by.millis().max(0));
        while let Some(at) = self.timers.next_due() {
            if at > target {
                break;
            }
            self.now = self.now.max(at);
            while let Some(timer) = self.timers.pop_due(self.now) {
                self.fire(timer);
            }
            self.settle();
        }
        self.now = target;
        self.settle();
    }

    /// `$RANDOM` for the user's shell, from the cluster's one RNG.
    pub fn random_u16(&mut self) -> u16 {
        (self.rng.next_u64() & 0x7fff) as u16
    }

    /// When the next thing will happen on its own, if anything is scheduled.
    pub fn next_timer(&self) -> Option<Time> {
        self.timers.next_due()
    }

    fn fire(&mut self, timer: Timer) {
        match timer {
            Timer::ResyncReplicaSet(key) => self.work.replica_set_changed(&key),
            Timer::ResyncDeployment(_) => self.work.dirty = true,
            other => self.kubelet_timer(other),
        }
    }

    /// Runs the control loops until the store stops changing: the Deployment controller
    /// sizes ReplicaSets, the ReplicaSet controller creates and deletes pods, the scheduler
    /// binds them, the endpoints controller follows readiness, the garbage collector removes
    /// what lost its owner.
    pub fn settle(&mut self) {
        self.work.dirty = true;
        // What the API writes before this settle did (a scale, an apply), on its own.
        self.watch_log.record(&self.store);
        for _ in 0..MAX_SETTLE_ROUNDS {
            if !self.work.dirty {
                return;
            }
            self.work.dirty = false;
            if std::mem::take(&mut self.work.owners_removed) {
                self.collect_garbage();
            }
            self.sync_deployments();
            let claims = std::mem::take(&mut self.work.claims_needed);
            let everything = std::mem::take(&mut self.work.everything);
            self.sync_replica_sets(claims, everything);
            if std::mem::take(&mut self.work.unbound_pods) || everything {
                self.schedule_pods();
            }
            if std::mem::take(&mut self.work.endpoints) || everything {
                self.sync_endpoints();
            }
            self.sync_ingresses();
            self.watch_log.record(&self.store);
        }
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
/// Ingresses, not Pods, Services or Namespaces).
pub(crate) fn has_generation(kind: Kind) -> bool {
    matches!(kind, Kind::Deployment | Kind::ReplicaSet | Kind::Ingress)
}

/// A reference to an object, for events and endpoints.
pub(crate) fn reference(kind: Kind, metadata: &ObjectMeta) -> ObjectReference {
    ObjectReference {
        kind: kind.to_string(),
        namespace: metadata.namespace.clone(),
        name: metadata.name.clone(),
        uid: metadata.uid.clone(),
    }
}

impl Cluster {
    /// The `kubernetes` Service every cluster has, in front of the API server.
    fn create_kubernetes_service(&mut self) {
        use crate::objects::{
            EndpointAddress, EndpointPort, EndpointSubset, Endpoints, IntOrString, Service,
            ServicePort, ServiceSpec,
        };
        self.ids.reserve_service_ip("10.96.0.1");
        let mut metadata = self.new_metadata("kubernetes", "default");
        metadata
            .labels
            .insert("component".into(), "apiserver".into());
        metadata
            .labels
            .insert("provider".into(), "kubernetes".into());
        let service = Service {
            metadata: metadata.clone(),
            spec: ServiceSpec {
                cluster_ip: "10.96.0.1".into(),
                ports: vec![ServicePort {
                    name: Some("https".into()),
                    protocol: "TCP".into(),
                    port: 443,
                    target_port: Some(IntOrString::Int(6443)),
                    node_port: None,
                }],
                ..ServiceSpec::default()
            },
        };
        let endpoints = Endpoints {
            metadata: ObjectMeta {
                uid: self.ids.uid(&mut self.rng),
                ..metadata
            },
            subsets: vec![EndpointSubset {
                addresses: vec![EndpointAddress {
                    ip: "10.0.0.100".into(),
                    ..EndpointAddress::default()
                }],
                not_ready_addresses: Vec::new(),
                ports: vec![EndpointPort {
                    name: Some("https".into()),
                    port: 6443,
                    protocol: "TCP".into(),
                }],
            }],
        };
        let key = ObjectKey::new("default", "kubernetes");
        self.store.services.insert(key.clone(), service);
        self.store.endpoints.insert(key, endpoints);
    }
}
