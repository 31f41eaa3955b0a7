//! What the cluster view shows, read from the cluster's store: plain values the view compares
//! and renders. No rollout arithmetic here — counts are the ones the controllers wrote into
//! each object's status, and a pod's status text is kubectl's own. A Rollout's status, step
//! and weights are the kubectl plugin's own (`plugins::argo_rollouts::info`).

use rollout_kubectl::plugins::argo_rollouts::info::new_rollout_info;
use rollout_kubectl::printers::kinds::node_status;
use rollout_kubectl::printers::pod_status::summarize_pod;
use rollout_sim::addons::argo_rollouts::controller::rollout_view;
use rollout_sim::addons::argo_rollouts::replicaset::{
    get_current_canary_step, get_current_set_weight,
};
use rollout_sim::addons::argo_rollouts::utils::phase::{
    canary_step_string, pause_duration_seconds,
};
use rollout_sim::addons::argo_rollouts::utils::{
    pod_template_hash, REVISION_ANNOTATION, ROLLOUTS_POD_TEMPLATE_HASH,
};
use rollout_sim::apiserver::ObjectKey;
use rollout_sim::clock::{Duration, Time};
use rollout_sim::cluster::Cluster;
use rollout_sim::objects::{Event, EventType, Explanation, PauseReason, Pod, ReplicaSet, Rollout};
use rollout_sim::scheduler::framework::Resource;
use rollout_sim::scheduler::room_taken;
use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

/// Namespaces the lab's own machinery lives in; the view leaves them out.
const SYSTEM_NAMESPACES: &[&str] = &["kube-system", "kube-public", "kube-node-lease"];

/// Events kept for the events panel (newest ones).
const EVENTS_SHOWN: usize = 150;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClusterModel {
    pub deployments: Vec<DeploymentView>,
    /// Argo Rollouts (only once its add-on serves the kind).
    pub rollouts: Vec<RolloutView>,
    /// ReplicaSets no Deployment controls (the course's first experiments), by key.
    pub standalone_replica_sets: Vec<String>,
    /// Pods no ReplicaSet controls, by key.
    pub standalone_pods: Vec<String>,
    pub replica_sets: BTreeMap<String, ReplicaSetView>,
    /// Shared with the views of the last read: an unchanged pod is the same `Arc` (signals
    /// want `Send`), so comparing two models does not compare its fields.
    pub pods: BTreeMap<String, Arc<PodView>>,
    pub services: Vec<ServiceView>,
    pub ingresses: Vec<IngressView>,
    /// Gateway API Gateways with their routes (once an implementation serves the kinds).
    pub gateways: Vec<super::gateway::GatewayView>,
    /// Whether there is a Gateway to draw (read before the module that reads them is here).
    pub has_gateways: bool,
    /// The worker nodes, by name.
    pub nodes: Vec<String>,
    /// Each node's state and room, by name.
    pub node_states: BTreeMap<String, NodeState>,
}

/// A node as its lane shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeState {
    /// kubectl's STATUS column (`Ready`, `NotReady`, `Ready,SchedulingDisabled`).
    pub status: String,
    /// The lab cut it off (`lab-node fail`); the control plane may not know yet.
    pub down: bool,
    /// CPU requested by its pods and allocatable, in millicores.
    pub cpu_requested: i64,
    pub cpu_allocatable: i64,
    /// Pods bound to it and how many its kubelet takes.
    pub pods: i64,
    pub pod_capacity: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeploymentView {
    pub key: String,
    pub name: String,
    pub paused: bool,
    pub strategy: String,
    pub replicas: i32,
    pub updated: i32,
    pub ready: i32,
    pub available: i32,
    pub image: String,
    /// Its ReplicaSets, newest revision first.
    pub replica_sets: Vec<String>,
    /// The HorizontalPodAutoscaler scaling it, if one does.
    pub hpa: Option<HpaView>,
}

/// An HPA as `kubectl get hpa` shows it: current/target metric and its bounds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HpaView {
    pub name: String,
    /// `cpu: 51%/50%`.
    pub metrics: String,
    pub min: i64,
    pub max: i64,
    pub desired: i64,
}

/// A Rollout as `kubectl argo rollouts get rollout` shows it: status, steps and weights
/// as the plugin computes them, its ReplicaSets with their roles, and where its Services
/// and Ingresses send traffic.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RolloutView {
    pub key: String,
    pub name: String,
    pub namespace: String,
    /// `Canary` or `BlueGreen`.
    pub strategy: String,
    /// `Healthy`, `Paused`, `Progressing` or `Degraded` (`status.phase`).
    pub status: String,
    pub message: String,
    pub aborted: bool,
    pub replicas: i32,
    pub updated: i32,
    pub ready: i32,
    pub available: i32,
    pub image: String,
    /// The plugin's `Step`: `i/n`, for a canary with steps.
    pub step: Option<String>,
    /// The plugin's `SetWeight`: what the current step asks for (canary only).
    pub set_weight: Option<i32>,
    /// The plugin's `ActualWeight`: what the canary gets (canary only).
    pub actual_weight: Option<i32>,
    pub steps: Vec<StepView>,
    /// Whole seconds left of the timed pause under way (virtual clock).
    pub pause_left_s: Option<i64>,
    /// Paused until someone promotes it (an untimed pause step, a blue-green preview).
    pub awaits_promotion: bool,
    /// Its ReplicaSets, newest revision first, with their roles.
    pub replica_sets: Vec<RoleView>,
    /// Its Services and Ingresses and where each sends traffic.
    pub routes: Vec<RouteView>,
    pub analysis_runs: Vec<AnalysisRunView>,
}

/// Where a canary step stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StepState {
    Done,
    Current,
    #[default]
    Pending,
}

impl StepState {
    pub fn as_str(self) -> &'static str {
        match self {
            StepState::Done => "done",
            StepState::Current => "current",
            StepState::Pending => "pending",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StepView {
    /// As the controller's events name it: `setWeight: 20`, `pause`, `pause: 10`, …
    pub label: String,
    pub state: StepState,
}

/// A ReplicaSet of a Rollout and the plugin's tags for it (`stable`, `canary`, `active`,
/// `preview`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoleView {
    pub key: String,
    pub roles: Vec<&'static str>,
}

/// A Service or Ingress of a Rollout, and what it sends traffic to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct RouteView {
    /// `Service` or `Ingress`.
    pub kind: &'static str,
    pub name: String,
    /// `stable`, `canary`, `active` or `preview`.
    pub role: &'static str,
    /// The ReplicaSet its selector picks (by `rollouts-pod-template-hash`), or the Service
    /// an Ingress sends to.
    pub to: String,
    /// The canary Ingress's `canary-weight`.
    pub weight: Option<String>,
}

/// An AnalysisRun of a Rollout.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct AnalysisRunView {
    pub name: String,
    /// `Pending`, `Running`, `Successful`, `Failed`, `Error` or `Inconclusive`.
    pub phase: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplicaSetView {
    pub key: String,
    pub name: String,
    pub revision: String,
    pub hash: String,
    pub desired: i32,
    pub current: i32,
    pub ready: i32,
    pub image: String,
    pub version: String,
    /// Its pods, oldest first.
    pub pods: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodView {
    pub key: String,
    pub name: String,
    /// kubectl's STATUS column.
    pub phase: String,
    pub ready: bool,
    pub terminating: bool,
    pub version: String,
    pub replica_set: String,
    pub node: String,
    pub ip: String,
    pub restarts: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServiceView {
    pub key: String,
    pub name: String,
    pub type_: String,
    pub cluster_ip: String,
    pub selector: String,
    /// Pod names of ready endpoints.
    pub endpoints: Vec<String>,
    /// Pod names of not-ready endpoints.
    pub not_ready: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct IngressView {
    pub key: String,
    pub name: String,
    pub backends: Vec<String>,
    /// `nginx.ingress.kubernetes.io/canary-weight`, when this is a canary Ingress.
    pub canary_weight: Option<String>,
}

/// One row of the events panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventView {
    /// Stable while the event is unchanged; changes when a repeat folds into it.
    pub key: String,
    pub at: Time,
    pub warning: bool,
    pub reason: String,
    pub object: String,
    pub message: String,
    pub count: i32,
    pub explanation: Option<Explanation>,
}

fn key(namespace: &str, name: &str) -> String {
    if namespace == "default" {
        name.to_string()
    } else {
        format!("{namespace}/{name}")
    }
}

fn shown(namespace: &str) -> bool {
    !SYSTEM_NAMESPACES.contains(&namespace)
}

/// The tag of an image reference (`ikubernetes/demoapp:v1.1` → `v1.1`), `latest` when none.
pub fn image_tag(image: &str) -> &str {
    let image = image.split('@').next().unwrap_or(image);
    let last_slash = image.rfind('/').map_or(0, |i| i + 1);
    match image[last_slash..].rfind(':') {
        Some(colon) => &image[last_slash + colon + 1..],
        None => "latest",
    }
}

fn first_image(pod_spec: &rollout_sim::objects::PodSpec) -> String {
    pod_spec
        .containers
        .first()
        .map(|c| c.image.clone())
        .unwrap_or_default()
}

/// Each node's lane: its status and the room its pods take (`taken`: pods and millicores
/// per node, summed from the pod cache as the scheduler's `node_infos` sums them).
fn node_states(
    cluster: &Cluster,
    taken: &BTreeMap<&str, (i64, i64)>,
) -> BTreeMap<String, NodeState> {
    cluster
        .store()
        .nodes
        .values()
        .map(|node| {
            let name = node.metadata.name.clone();
            let allocatable = Resource::from_node_list(&node.status.allocatable);
            let (pods, cpu_requested) = taken.get(name.as_str()).copied().unwrap_or_default();
            let state = NodeState {
                status: node_status(node),
                down: cluster.node_is_down(&name),
                cpu_requested,
                cpu_allocatable: allocatable.milli_cpu,
                pods,
                pod_capacity: allocatable.allowed_pod_number,
            };
            (name, state)
        })
        .collect()
}

/// The pod views of the last model read, each with the pod it was made from. The store holds
/// pods as `Rc`s that a write replaces (copy on write), so a pod still held as the same `Rc`
/// is unchanged and keeps its view: a thousand pods rolling at 30× change a few per frame,
/// and summarising every pod every frame was a fifth of the page's time. (Holding the `Rc`
/// keeps its allocation, so an address is never reused for another pod while cached.)
#[derive(Default)]
pub struct PodViews(Vec<CachedPod>);

/// One pod of the cache: its view, and the room it takes on its node (node, millicores).
struct CachedPod {
    key: ObjectKey,
    pod: Rc<Pod>,
    view: Arc<PodView>,
    room: Option<(String, i64)>,
}

impl CachedPod {
    fn new(key: &ObjectKey, pod: &Rc<Pod>, now: Time) -> CachedPod {
        CachedPod {
            key: key.clone(),
            pod: pod.clone(),
            view: Arc::new(pod_view(pod, now)),
            room: room_taken(pod).map(|(node, r)| (node.to_string(), r.milli_cpu)),
        }
    }
}

impl PodViews {
    /// The cache brought up to date with `pods`, in their order: the store and the cache are
    /// both sorted by key, so one walk through both pairs them (no search per pod), and a pod
    /// that is the same `Rc` keeps its entry (nothing allocated).
    fn refresh(&mut self, pods: &BTreeMap<ObjectKey, Rc<Pod>>, now: Time) {
        let mut old = std::mem::take(&mut self.0).into_iter().peekable();
        let mut fresh = Vec::with_capacity(pods.len());
        for (key, pod) in pods {
            // Entries before `key` are pods that are gone.
            while old.next_if(|c| c.key < *key).is_some() {}
            let entry = match old.next_if(|c| c.key == *key) {
                // A restart's "(2m ago)" moves with the clock: such a view is made every time.
                Some(c) if Rc::ptr_eq(&c.pod, pod) && !c.view.restarts.contains(' ') => c,
                _ => CachedPod::new(key, pod, now),
            };
            fresh.push(entry);
        }
        self.0 = fresh;
    }
}

impl ClusterModel {
    pub fn read(cluster: &Cluster) -> ClusterModel {
        ClusterModel::read_with(cluster, &mut PodViews::default())
    }

    /// `read`, reusing the views of the pods that did not change since `views` was filled
    /// (and filling it for the next read).
    pub fn read_with(cluster: &Cluster, views: &mut PodViews) -> ClusterModel {
        let store = cluster.store();
        let now = cluster.now();
        views.refresh(&store.pods, now);
        let mut taken: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
        for (node, cpu) in views.0.iter().filter_map(|c| c.room.as_ref()) {
            let sum = taken.entry(node.as_str()).or_default();
            sum.0 += 1;
            sum.1 = sum.1.saturating_add(*cpu);
        }
        let mut model = ClusterModel {
            nodes: store.nodes.keys().cloned().collect(),
            node_states: node_states(cluster, &taken),
            ..ClusterModel::default()
        };

        let mut pods_of: BTreeMap<String, Vec<(Option<Time>, String)>> = BTreeMap::new();
        let mut shown_pods = Vec::with_capacity(views.0.len());
        for CachedPod { pod, view, .. } in &views.0 {
            let ns = pod.metadata.namespace.as_str();
            if !shown(ns) {
                continue;
            }
            match pod.metadata.controller_ref() {
                Some(owner) if owner.kind == "ReplicaSet" => {
                    let entry = (pod.metadata.creation_timestamp, view.key.clone());
                    // Sibling pods share a ReplicaSet: its key is made once, not per pod.
                    let found = if ns == "default" {
                        pods_of.get_mut(owner.name.as_str())
                    } else {
                        pods_of.get_mut(&key(ns, &owner.name))
                    };
                    match found {
                        Some(list) => list.push(entry),
                        None => {
                            pods_of.insert(key(ns, &owner.name), vec![entry]);
                        }
                    }
                }
                _ => model.standalone_pods.push(view.key.clone()),
            }
            shown_pods.push((view.key.clone(), view.clone()));
        }
        // Mostly in key order already: collecting sorts once and builds the map in bulk.
        model.pods = shown_pods.into_iter().collect();

        let mut rs_of: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
        for rs in store.replica_sets.values() {
            let ns = rs.metadata.namespace.as_str();
            if !shown(ns) {
                continue;
            }
            let k = key(ns, &rs.metadata.name);
            let revision = rs
                .metadata
                .annotation("deployment.kubernetes.io/revision")
                .or_else(|| rs.metadata.annotation(REVISION_ANNOTATION))
                .unwrap_or("")
                .to_string();
            let image = first_image(&rs.spec.template.spec);
            let mut pods = pods_of.remove(&k).unwrap_or_default();
            pods.sort();
            let view = ReplicaSetView {
                key: k.clone(),
                name: rs.metadata.name.clone(),
                revision: revision.clone(),
                hash: rs
                    .metadata
                    .labels
                    .get("pod-template-hash")
                    .or_else(|| rs.metadata.labels.get(ROLLOUTS_POD_TEMPLATE_HASH))
                    .cloned()
                    .unwrap_or_default(),
                desired: rs.spec.replicas,
                current: rs.status.replicas,
                ready: rs.status.ready_replicas,
                version: image_tag(&image).to_string(),
                image,
                pods: pods.into_iter().map(|(_, k)| k).collect(),
            };
            match rs.metadata.controller_ref() {
                Some(owner) if owner.kind == "Deployment" => rs_of
                    .entry(key(ns, &owner.name))
                    .or_default()
                    .push((revision.parse().unwrap_or(0), k.clone())),
                Some(owner) if owner.kind == "Rollout" => rs_of
                    .entry(format!("Rollout {}", key(ns, &owner.name)))
                    .or_default()
                    .push((revision.parse().unwrap_or(0), k.clone())),
                _ => model.standalone_replica_sets.push(k.clone()),
            }
            model.replica_sets.insert(k, view);
        }
        // Pods whose ReplicaSet is already gone (garbage collection in progress).
        for (_, pods) in pods_of {
            model
                .standalone_pods
                .extend(pods.into_iter().map(|(_, k)| k));
        }

        for d in store.deployments.values() {
            let ns = d.metadata.namespace.as_str();
            if !shown(ns) {
                continue;
            }
            let k = key(ns, &d.metadata.name);
            let mut rss = rs_of.remove(&k).unwrap_or_default();
            rss.sort_by(|a, b| b.cmp(a));
            model.deployments.push(DeploymentView {
                key: k,
                name: d.metadata.name.clone(),
                paused: d.spec.paused,
                strategy: format!("{:?}", d.spec.strategy.type_),
                replicas: d.spec.replicas,
                updated: d.status.updated_replicas,
                ready: d.status.ready_replicas,
                available: d.status.available_replicas,
                image: first_image(&d.spec.template.spec),
                replica_sets: rss.into_iter().map(|(_, k)| k).collect(),
                hpa: rollout_sim::apiserver::in_namespace(&store.horizontal_pod_autoscalers, ns)
                    .find(|h| h.target() == ("Deployment", d.metadata.name.as_str()))
                    .map(|h| HpaView {
                        name: h.metadata.name.clone(),
                        metrics: hpa_metrics(h),
                        min: h.spec_int("minReplicas").unwrap_or(1),
                        max: h.spec_int("maxReplicas").unwrap_or(0),
                        desired: h.status_int("desiredReplicas"),
                    }),
            });
        }
        for ro in store.rollouts.values() {
            let ns = ro.metadata.namespace.as_str();
            if !shown(ns) {
                continue;
            }
            let mut rss = rs_of
                .remove(&format!("Rollout {}", key(ns, &ro.metadata.name)))
                .unwrap_or_default();
            rss.sort_by(|a, b| b.cmp(a));
            let keys: Vec<String> = rss.into_iter().map(|(_, k)| k).collect();
            model.rollouts.push(rollout_model(cluster, ro, &keys));
        }
        for (_, rss) in rs_of {
            model
                .standalone_replica_sets
                .extend(rss.into_iter().map(|(_, k)| k));
        }

        for svc in store.services.values() {
            let ns = svc.metadata.namespace.as_str();
            if !shown(ns) || (ns == "default" && svc.metadata.name == "kubernetes") {
                continue;
            }
            let k = key(ns, &svc.metadata.name);
            let mut endpoints = Vec::new();
            let mut not_ready = Vec::new();
            if let Some(ep) = store.endpoints.get(&rollout_sim::cluster::ObjectKey::new(
                ns,
                &svc.metadata.name,
            )) {
                for subset in &ep.subsets {
                    for a in &subset.addresses {
                        endpoints.push(
                            a.target_ref
                                .as_ref()
                                .map_or(a.ip.clone(), |r| r.name.clone()),
                        );
                    }
                    for a in &subset.not_ready_addresses {
                        not_ready.push(
                            a.target_ref
                                .as_ref()
                                .map_or(a.ip.clone(), |r| r.name.clone()),
                        );
                    }
                }
            }
            endpoints.sort();
            endpoints.dedup();
            not_ready.sort();
            not_ready.dedup();
            model.services.push(ServiceView {
                key: k,
                name: svc.metadata.name.clone(),
                type_: format!("{:?}", svc.spec.type_),
                cluster_ip: svc.spec.cluster_ip.clone(),
                selector: svc
                    .spec
                    .selector
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(","),
                endpoints,
                not_ready,
            });
        }

        for ing in store.ingresses.values() {
            let ns = ing.metadata.namespace.as_str();
            if !shown(ns) {
                continue;
            }
            let canary = ing
                .metadata
                .annotation("nginx.ingress.kubernetes.io/canary")
                .is_some_and(|v| v == "true");
            let mut backends = Vec::new();
            for rule in &ing.spec.rules {
                for path in rule.http.iter().flat_map(|h| &h.paths) {
                    if let Some(s) = &path.backend.service {
                        backends.push(s.name.clone());
                    }
                }
            }
            if let Some(s) = ing
                .spec
                .default_backend
                .as_ref()
                .and_then(|b| b.service.as_ref())
            {
                backends.push(s.name.clone());
            }
            model.ingresses.push(IngressView {
                key: key(ns, &ing.metadata.name),
                name: ing.metadata.name.clone(),
                backends,
                canary_weight: canary.then(|| {
                    ing.metadata
                        .annotation("nginx.ingress.kubernetes.io/canary-weight")
                        .unwrap_or("0")
                        .to_string()
                }),
            });
        }
        model.has_gateways = super::gateway::any(cluster);
        model.gateways = super::gateway::gateways(cluster);
        model
    }
}

fn pod_view(pod: &Pod, now: Time) -> PodView {
    let summary = summarize_pod(pod, now);
    let ns = pod.metadata.namespace.as_str();
    PodView {
        key: key(ns, &pod.metadata.name),
        name: pod.metadata.name.clone(),
        phase: summary.status,
        ready: pod.is_ready(),
        terminating: pod.metadata.deletion_timestamp.is_some(),
        version: image_tag(&first_image(&pod.spec)).to_string(),
        replica_set: pod
            .metadata
            .controller_ref()
            .map(|o| o.name.clone())
            .unwrap_or_default(),
        node: pod.spec.node_name.clone(),
        ip: pod.status.pod_ip.clone().unwrap_or_default(),
        restarts: summary.restarts,
    }
}

impl RolloutView {
    /// The plugin command for `verb` on this Rollout (`promote`, `abort`, `retry rollout`),
    /// as the learner would type it.
    pub fn command(&self, verb: &str) -> String {
        let mut line = format!("kubectl argo rollouts {verb} {}", self.name);
        if self.namespace != "default" {
            line.push_str(&format!(" -n {}", self.namespace));
        }
        line
    }
}

/// The ReplicaSets a Rollout controls.
fn replica_sets_of<'a>(cluster: &'a Cluster, ro: &'a Rollout) -> Vec<&'a ReplicaSet> {
    rollout_sim::apiserver::in_namespace(&cluster.store().replica_sets, &ro.metadata.namespace)
        .filter(|rs| {
            rs.metadata
                .controller_ref()
                .is_some_and(|o| o.kind == "Rollout" && o.name == ro.metadata.name)
        })
        .collect()
}

/// One Rollout, read through the kubectl plugin's own `RolloutInfo` (`rollout_info.go`:
/// status, step, weights, ReplicaSet roles, AnalysisRuns), plus what the card draws besides
/// (the steps, the pause countdown, the routes); `keys` are its ReplicaSets, newest first.
fn rollout_model(cluster: &Cluster, ro: &Rollout, keys: &[String]) -> RolloutView {
    let store = cluster.store();
    let ns = ro.metadata.namespace.as_str();
    let info = new_rollout_info(cluster, ro);
    let owned = replica_sets_of(cluster, ro);
    let name_of_hash = |hash: &str| {
        owned
            .iter()
            .find(|rs| !hash.is_empty() && pod_template_hash(rs) == hash)
            .map(|rs| rs.metadata.name.clone())
            .unwrap_or_default()
    };
    let service_target = |service: &str| {
        store
            .services
            .get(&rollout_sim::cluster::ObjectKey::new(ns, service))
            .and_then(|svc| svc.spec.selector.get(ROLLOUTS_POD_TEMPLATE_HASH))
            .map(|hash| name_of_hash(hash))
            .unwrap_or_default()
    };
    let status = &ro.status;
    let mut view = RolloutView {
        key: key(ns, &ro.metadata.name),
        name: ro.metadata.name.clone(),
        namespace: ns.to_string(),
        strategy: info.strategy.to_string(),
        status: info.status.clone(),
        message: info.message.clone(),
        aborted: status.abort,
        replicas: info.desired,
        updated: info.updated,
        ready: info.ready,
        available: info.available,
        image: ro
            .spec
            .template
            .pointer("/spec/containers/0/image")
            .and_then(|image| image.as_str())
            .unwrap_or_default()
            .to_string(),
        step: Some(info.step.clone()).filter(|step| !step.is_empty()),
        set_weight: info.set_weight.parse().ok(),
        actual_weight: info.actual_weight.parse().ok(),
        analysis_runs: info
            .analysis_runs
            .iter()
            .map(|run| AnalysisRunView {
                name: run.name.clone(),
                phase: run.status.clone(),
            })
            .collect(),
        ..RolloutView::default()
    };
    view.replica_sets = keys
        .iter()
        .map(|k| RoleView {
            key: k.clone(),
            roles: info
                .replica_sets
                .iter()
                .find(|rs| key(ns, &rs.name) == *k)
                .map(|rs| {
                    [
                        (rs.stable, "stable"),
                        (rs.canary, "canary"),
                        (rs.active, "active"),
                        (rs.preview, "preview"),
                    ]
                    .into_iter()
                    .filter_map(|(has, role)| has.then_some(role))
                    .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    let pause_left = |start: Time, seconds: i64| {
        let left = (start + Duration::from_secs(seconds)) - cluster.now();
        (left.millis().max(0) + 999) / 1_000
    };

    if let Some(canary) = ro.canary() {
        let arith = rollout_view(ro);
        let (current_step, index) = get_current_canary_step(&arith);
        let index = index.unwrap_or(0);
        view.steps = canary
            .steps
            .iter()
            .enumerate()
            .map(|(i, step)| StepView {
                label: canary_step_string(step),
                state: match (i as i64).cmp(&i64::from(index)) {
                    std::cmp::Ordering::Less => StepState::Done,
                    std::cmp::Ordering::Equal => StepState::Current,
                    std::cmp::Ordering::Greater => StepState::Pending,
                },
            })
            .collect();
        let pause = status
            .pause_conditions
            .iter()
            .find(|c| c.reason == PauseReason::CanaryPauseStep);
        let step = current_step.and_then(|_| canary.steps.get(usize::try_from(index).ok()?));
        if let (Some(step), Some(pause)) = (step, pause) {
            let duration = step.pause.as_ref().and_then(|p| p.duration.as_ref());
            match duration.and_then(pause_duration_seconds) {
                Some(seconds) => view.pause_left_s = Some(pause_left(pause.start_time, seconds)),
                None => view.awaits_promotion = true,
            }
        }
        for (service, role) in [
            (&canary.stable_service, "stable"),
            (&canary.canary_service, "canary"),
        ] {
            if !service.is_empty() {
                view.routes.push(RouteView {
                    kind: "Service",
                    name: service.clone(),
                    role,
                    to: service_target(service),
                    weight: None,
                });
            }
        }
        if let Some(nginx) = canary
            .traffic_routing
            .as_ref()
            .and_then(|t| t.nginx.as_ref())
        {
            let stable_ingresses = std::iter::once(&nginx.stable_ingress)
                .chain(&nginx.stable_ingresses)
                .filter(|name| !name.is_empty());
            for ingress in stable_ingresses {
                view.routes.push(RouteView {
                    kind: "Ingress",
                    name: ingress.clone(),
                    role: "stable",
                    to: canary.stable_service.clone(),
                    weight: None,
                });
                let canary_name = format!("{}-{ingress}-canary", ro.metadata.name);
                if let Some(ing) = store
                    .ingresses
                    .get(&rollout_sim::cluster::ObjectKey::new(ns, &canary_name))
                {
                    view.routes.push(RouteView {
                        kind: "Ingress",
                        name: canary_name,
                        role: "canary",
                        to: canary.canary_service.clone(),
                        weight: Some(
                            ing.metadata
                                .annotation("nginx.ingress.kubernetes.io/canary-weight")
                                .unwrap_or("0")
                                .to_string(),
                        ),
                    });
                }
            }
        }
    } else if let Some(bg) = ro.blue_green() {
        let pause = status
            .pause_conditions
            .iter()
            .find(|c| c.reason == PauseReason::BlueGreenPause);
        if let Some(pause) = pause {
            if bg.auto_promotion_enabled.unwrap_or(true) && bg.auto_promotion_seconds > 0 {
                view.pause_left_s = Some(pause_left(
                    pause.start_time,
                    i64::from(bg.auto_promotion_seconds),
                ));
            } else {
                view.awaits_promotion = true;
            }
        }
        for (service, role, selector) in [
            (
                &bg.active_service,
                "active",
                &status.blue_green.active_selector,
            ),
            (
                &bg.preview_service,
                "preview",
                &status.blue_green.preview_selector,
            ),
        ] {
            if !service.is_empty() {
                view.routes.push(RouteView {
                    kind: "Service",
                    name: service.clone(),
                    role,
                    to: name_of_hash(selector),
                    weight: None,
                });
            }
        }
    }
    view
}

/// The weight the current step of `ro` asks for (`SetWeight`), for a canary.
pub fn rollout_set_weight(ro: &Rollout) -> Option<i32> {
    ro.canary()?;
    Some(get_current_set_weight(&rollout_view(ro)))
}

/// A cheap fingerprint of the event list: changes whenever an event is added or folded.
///
/// Generic over how the cluster holds its events (by value or shared).
pub fn events_fingerprint<E: Borrow<Event>>(events: &[E]) -> (usize, i64) {
    let recent: i64 = events
        .iter()
        .rev()
        .take(50)
        .map(|e| i64::from(e.borrow().count))
        .sum();
    (events.len(), recent)
}

/// The newest events first.
pub fn event_views<E: Borrow<Event>>(events: &[E]) -> Vec<EventView> {
    events
        .iter()
        .rev()
        .take(EVENTS_SHOWN)
        .map(Borrow::borrow)
        .map(|e: &Event| EventView {
            key: format!("{}#{}", e.metadata.name, e.count),
            at: e.last_timestamp.or(e.first_timestamp).unwrap_or(Time(0)),
            warning: e.type_ == EventType::Warning,
            reason: e.reason.clone(),
            object: format!(
                "{}/{}",
                e.involved_object.kind.to_lowercase(),
                e.involved_object.name
            ),
            message: e.message.clone(),
            count: e.count,
            explanation: e.explanation.clone(),
        })
        .collect()
}

/// A colour for a version, the same on every card and chip for the whole session: versions
/// take the palette's colours in the order they first appear, so v1 and v2 never share one
/// (until the palette wraps around).
/// The text colour a version chip needs on `background` (one of `version_colour`'s, or the
/// failed answers' red) to reach WCAG's 4.5:1: near-black on the light ones, white on the
/// dark ones (ratios in the comments).
pub fn chip_text_colour(background: &str) -> &'static str {
    match background {
        // white 4.60, 5.70, 4.83, 6.47
        "#db2777" | "#7c3aed" | "#dc2626" | "#b91c1c" => "#ffffff",
        // #111: 5.13 (#3b82f6, #0891b2), 5.73, 8.79, 6.11
        _ => "#111111",
    }
}

pub fn version_colour(version: &str) -> &'static str {
    const PALETTE: &[&str] = &[
        "#3b82f6", "#16a34a", "#f59e0b", "#db2777", "#7c3aed", "#0891b2", "#dc2626", "#65a30d",
    ];
    thread_local! {
        static SEEN: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let index = SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        match seen.iter().position(|v| v == version) {
            Some(i) => i,
            None => {
                seen.push(version.to_string());
                seen.len() - 1
            }
        }
    });
    PALETTE[index % PALETTE.len()]
}

/// An HPA's current/target metrics, as `kubectl get hpa` prints them: their code is the
/// autoscaling commands' module, which the first HPA in the cluster has the page fetch (an
/// empty text until it is loaded).
fn hpa_metrics(hpa: &rollout_sim::objects::HorizontalPodAutoscaler) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        use rollout_kubectl::cmd::autoscaling;
        use std::sync::atomic::{AtomicBool, Ordering};
        static ASKED: AtomicBool = AtomicBool::new(false);
        if autoscaling::module_wanted_by("kubectl top") && !ASKED.swap(true, Ordering::Relaxed) {
            wasm_bindgen_futures::spawn_local(async {
                let _ = autoscaling::load_module().await;
            });
        }
    }
    rollout_kubectl::printers::kinds::hpa_targets(hpa)
}
