//! The cluster: the shared state ([`ApiServer`]), the components that act on it — the
//! controllers, the kubelet, the network, the installed add-ons — and the loop that runs them
//! whenever something changes. This module composes them; none of them knows it.
//!
//! Time only moves in [`Cluster::advance`]. Each due timer (a kubelet step, a probe, a grace
//! period ending) is handled at its instant, and after every instant the controllers run
//! until nothing more changes — on a real cluster they would react within milliseconds.

mod addon;
mod api;
mod eviction;
mod field_managers;
mod network;
mod node_outage;
mod nodes;
mod processes;
mod propagation;

pub use crate::apiserver::{
    in_namespace, reference, ApiServer, EventLog, ObjectKey, Store, WatchLog, Written,
};
pub use addon::{Addon, Addons};
pub use api::ApplyOutcome;
pub use eviction::EVICTION_REFUSED;
pub use field_managers::{FieldManager, ManagerOperation};
pub use network::HttpFailure;
pub use nodes::{NodeShape, WorkerSize, COURSE_NODES, KUBELET_MAX_PODS, MAX_WORKERS};
pub use propagation::Propagation;

use crate::apiserver::Timer;
use crate::clock::{Duration, Time};
use crate::controller::replica_set::ApiBudget;
use crate::controller::{Controllers, FeatureGates};
use crate::kubelet::{Kubelet, Node as NodeAgent};
use crate::network::NetworkState;
use crate::objects::{Event, Namespace, ObjectMeta};

/// How long before the lesson (virtual time 0) the cluster was installed.
const CLUSTER_AGE: Duration = Duration(17 * 24 * 3600 * 1000);

/// How many controller rounds one instant may take before the cluster gives up settling.
/// Real controllers converge in a handful; the bound only protects the page from a bug.
const MAX_SETTLE_ROUNDS: usize = 200;

/// The whole simulated cluster. Cloning it is a snapshot: the page rewinds by keeping clones.
#[derive(Clone, Debug)]
pub struct Cluster {
    /// The store, clock, timers and events every component shares.
    pub(crate) api: ApiServer,
    /// What the nodes' container runtimes know.
    pub(crate) kubelet: Kubelet,
    /// kube-proxy's affinity table, ingress-nginx's counters, each app's live state.
    pub(crate) network: NetworkState,
    /// kube-controller-manager's `--feature-gates`.
    pub(crate) gates: FeatureGates,
    /// What is installed on top of Kubernetes (ingress-nginx, …), run after the core
    /// controllers in every settle round.
    pub(crate) addons: Addons,
    /// The ReplicaSet controller's client-side API rate limit.
    pub(crate) api_budget: ApiBudget,
    /// Who owns which fields, for server-side apply.
    pub(crate) field_managers: field_managers::FieldManagers,
}

impl Cluster {
    /// A fresh cluster: namespaces, the course's three worker nodes and the `kubernetes`
    /// Service, at virtual time 0. Everything random in it derives from `seed`.
    pub fn new(seed: u64) -> Cluster {
        Cluster::with_nodes(seed, COURSE_NODES)
    }

    /// A fresh cluster whose workers have the given shapes.
    pub fn with_nodes(seed: u64, shapes: &[NodeShape]) -> Cluster {
        let named: Vec<(String, &NodeShape)> =
            shapes.iter().map(|s| (s.name.to_string(), s)).collect();
        Cluster::with_named_nodes(seed, &named)
    }

    /// A fresh cluster of `count` workers of `size` (at least one, at most
    /// [`MAX_WORKERS`]), named as the course's are (`k8s-node01`, …).
    pub fn with_workers(seed: u64, count: usize, size: WorkerSize) -> Cluster {
        let shape = size.shape("");
        let named: Vec<(String, &NodeShape)> = (1..=count.clamp(1, MAX_WORKERS))
            .map(|i| (nodes::worker_name(i), &shape))
            .collect();
        Cluster::with_named_nodes(seed, &named)
    }

    /// A cluster with nothing in it yet, not even its nodes: what the page shows while the
    /// simulator's code is still on its way (no controller runs to make it).
    pub fn placeholder(seed: u64) -> Cluster {
        Cluster {
            api: ApiServer::new(Time(0), seed),
            kubelet: Kubelet::default(),
            network: NetworkState::default(),
            gates: FeatureGates::default(),
            addons: Addons::default(),
            api_budget: ApiBudget::default(),
            field_managers: field_managers::FieldManagers::default(),
        }
    }

    fn with_named_nodes(seed: u64, shapes: &[(String, &NodeShape)]) -> Cluster {
        // The cluster was set up before the lesson began: its nodes and the `kubernetes`
        // Service show an age, as on the course's machines.
        let mut cluster = Cluster::placeholder(seed);
        cluster.api.now = Time(-CLUSTER_AGE.millis());
        for name in ["default", "kube-node-lease", "kube-public", "kube-system"] {
            let metadata = cluster.api.new_metadata(name, "");
            cluster
                .api
                .store
                .namespaces
                .insert(name.to_string(), Namespace { metadata });
        }
        let installed = cluster.api.now;
        for (i, (name, shape)) in shapes.iter().enumerate() {
            let node = nodes::register(&mut cluster.api, shape, name, i + 1, installed);
            cluster.api.store.nodes.insert(name.clone(), node);
        }
        cluster.create_kubernetes_service();
        cluster.api.stamp_versions();
        cluster.api.now = Time(0);
        cluster
    }

    pub fn now(&self) -> Time {
        self.api.now
    }

    /// A new worker of the course's shape joins the cluster now (as `kubeadm join` adds one),
    /// named after the last; pending pods may fit on it. `None` at [`nodes::MAX_WORKERS`].
    pub fn join_worker(&mut self) -> Option<String> {
        let index = self.api.store.nodes.len() + 1;
        if index > nodes::MAX_WORKERS {
            return None;
        }
        let name = nodes::worker_name(index);
        let now = self.api.now;
        let node = nodes::register(&mut self.api, &NodeShape::small(""), &name, index, now);
        self.api.store.nodes.insert(name.clone(), node);
        self.api.stamp_versions();
        self.api.work.api_write();
        self.settle();
        Some(name)
    }

    /// The last `resourceVersion` the API server gave out (etcd's revision): what a list is
    /// as of, and where a watch starts.
    pub fn resource_version(&self) -> u64 {
        self.api.versions.latest()
    }

    pub fn store(&self) -> &Store {
        &self.api.store
    }

    /// Deployments and ReplicaSets as they stood after each round that changed them.
    pub fn watch_log(&self) -> &WatchLog {
        &self.api.watch_log
    }

    /// Every event, oldest first.
    pub fn events(&self) -> &[std::rc::Rc<Event>] {
        self.api.events.all()
    }

    /// Moves the clock forward by `by`, handling every timer that falls due on the way.
    pub fn advance(&mut self, by: Duration) {
        self.advance_stopping(by, false);
    }

    /// [`Cluster::advance`], but it stops right after the first instant at which the kubelet
    /// started a process for the host, so the host can run it from that instant on.
    pub fn advance_until_process_starts(&mut self, by: Duration) {
        self.advance_stopping(by, true);
    }

    fn advance_stopping(&mut self, by: Duration, at_process_start: bool) {
        let target = self.api.now + Duration(by.millis().max(0));
        while let Some(at) = self.api.timers.next_due() {
            if at > target {
                break;
            }
            self.api.now = self.api.now.max(at);
            while let Some(timer) = self.api.timers.pop_due(self.api.now) {
                self.fire(timer);
            }
            self.settle();
            if at_process_start && self.kubelet.has_started_processes() {
                return;
            }
        }
        self.api.now = target;
        self.settle();
    }

    /// `$RANDOM` for the user's shell, from the cluster's one RNG.
    pub fn random_u16(&mut self) -> u16 {
        (self.api.rng.next_u64() & 0x7fff) as u16
    }

    /// `len` random characters of the API server's name alphabet, from the cluster's one RNG
    /// (kubectl's own random suffixes, kept deterministic).
    pub fn name_suffix(&mut self, len: usize) -> String {
        self.api.rng.name_suffix(len)
    }

    /// When the next thing will happen on its own, if anything is scheduled.
    pub fn next_timer(&self) -> Option<Time> {
        self.api.timers.next_due()
    }

    fn fire(&mut self, timer: Timer) {
        match timer {
            Timer::ResyncReplicaSet(key) => self.api.work.replica_set_changed(&key),
            Timer::ResyncDeployment(_) | Timer::ResyncAddon(_) => self.api.work.dirty = true,
            Timer::NodeMonitor(node) => self.controllers().monitor_node_health(&node),
            Timer::TaintEviction(node) => self.controllers().evict_tainted_pods(&node),
            other => self.node().kubelet_timer(other),
        }
    }

    /// Runs the control loops until the store stops changing: the Deployment controller
    /// sizes ReplicaSets, the ReplicaSet controller creates and deletes pods, the scheduler
    /// binds them, the endpoints controller follows readiness, the garbage collector removes
    /// what lost its owner.
    pub fn settle(&mut self) {
        self.api.work.dirty = true;
        // What the API writes before this settle did (a scale, an apply), on its own.
        self.api.stamp_versions();
        self.api.watch_log.record(&self.api.store);
        for _ in 0..MAX_SETTLE_ROUNDS {
            if !self.api.work.dirty {
                return;
            }
            self.api.work.dirty = false;
            if std::mem::take(&mut self.api.work.owners_removed)
                || !self.api.store.foreground_deletions().is_empty()
            {
                self.controllers().collect_garbage();
            }
            self.controllers().sync_deployments();
            let claims = std::mem::take(&mut self.api.work.claims_needed);
            let everything = std::mem::take(&mut self.api.work.everything);
            self.controllers().sync_replica_sets(claims, everything);
            // Unschedulable pods are retried only when room may have appeared: a pod gone
            // or finished, or any API write (a node cordoned or uncordoned, a scale-down).
            let retry = std::mem::take(&mut self.api.work.room_freed) || everything;
            if std::mem::take(&mut self.api.work.unbound_pods) || retry {
                self.node().schedule_pods(retry);
            }
            if std::mem::take(&mut self.api.work.endpoints) || everything {
                self.controllers().sync_endpoints();
                self.controllers().sync_endpoint_slices();
            }
            if !self.api.store.pod_disruption_budgets.is_empty() {
                self.controllers().sync_disruption_budgets();
            }
            if self.reconcile_addons() {
                self.api.work.dirty = true;
            }
            self.api.stamp_versions();
            self.api.watch_log.record(&self.api.store);
        }
    }

    /// The main process of a pod's first container ended by itself with `exit_code` (the
    /// user left `kubectl run -it`'s shell); the controllers react at once.
    pub fn end_main_process(&mut self, namespace: &str, pod: &str, exit_code: i32) {
        if self.node().end_main_process(namespace, pod, exit_code) {
            self.settle();
        }
    }

    /// The kubelet's view: the shared state, its runtime and the apps' network state.
    pub(crate) fn node(&mut self) -> NodeAgent<'_> {
        NodeAgent {
            api: &mut self.api,
            kubelet: &mut self.kubelet,
            network: &mut self.network,
        }
    }

    /// kube-controller-manager's view: the shared state and its feature gates, and the
    /// kubelet for deleting pods gracefully.
    pub(crate) fn controllers(&mut self) -> Controllers<'_> {
        Controllers {
            api: &mut self.api,
            kubelet: &mut self.kubelet,
            network: &mut self.network,
            gates: &self.gates,
            api_budget: &mut self.api_budget,
        }
    }
}

impl Cluster {
    /// The `kubernetes` Service every cluster has, in front of the API server.
    fn create_kubernetes_service(&mut self) {
        use crate::objects::{
            EndpointAddress, EndpointPort, EndpointSubset, Endpoints, IntOrString, Service,
            ServicePort, ServiceSpec,
        };
        self.api.ids.reserve_service_ip("10.96.0.1");
        let mut metadata = self.api.new_metadata("kubernetes", "default");
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
                cluster_ips: vec!["10.96.0.1".into()],
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
                uid: self.api.ids.uid(&mut self.api.rng),
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
        // The API server keeps this slice itself (no controller label, no random suffix). Its
        // UID comes from a generator of its own, so the cluster's draws stay as they were.
        let mut rng = crate::rng::Rng::new(0x6b75_6265);
        let slice = crate::objects::EndpointSlice {
            metadata: ObjectMeta {
                uid: self.api.ids.uid(&mut rng),
                generation: 1,
                labels: [(
                    crate::controller::endpoints::SERVICE_NAME_LABEL.to_string(),
                    "kubernetes".to_string(),
                )]
                .into(),
                ..endpoints.metadata.clone()
            },
            address_type: "IPv4".into(),
            endpoints: vec![crate::objects::Endpoint {
                addresses: vec!["10.0.0.100".into()],
                conditions: crate::objects::EndpointConditions {
                    ready: Some(true),
                    ..Default::default()
                },
                ..Default::default()
            }],
            ports: vec![crate::objects::EndpointSlicePort {
                name: Some("https".into()),
                port: Some(6443),
                protocol: Some("TCP".into()),
            }],
        };
        let key = ObjectKey::new("default", "kubernetes");
        self.api.store.services.insert(key.clone(), service);
        self.api.store.endpoint_slices.insert(key.clone(), slice);
        self.api.store.endpoints.insert(key, endpoints);
    }
}
