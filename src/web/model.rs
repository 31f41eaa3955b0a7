//! What the cluster view shows, read from the cluster's store: plain values the view compares
//! and renders. No rollout arithmetic here — counts are the ones the controllers wrote into
//! each object's status, and a pod's status text is kubectl's own.

use rollout_kubectl::printers::pod_status::summarize_pod;
use rollout_sim::clock::Time;
use rollout_sim::cluster::Cluster;
use rollout_sim::objects::{Event, EventType, Explanation, Pod};
use std::borrow::Borrow;
use std::collections::BTreeMap;

/// Namespaces the lab's own machinery lives in; the view leaves them out.
const SYSTEM_NAMESPACES: &[&str] = &["kube-system", "kube-public", "kube-node-lease"];

/// Events kept for the events panel (newest ones).
const EVENTS_SHOWN: usize = 150;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClusterModel {
    pub deployments: Vec<DeploymentView>,
    /// ReplicaSets no Deployment controls (the course's first experiments), by key.
    pub standalone_replica_sets: Vec<String>,
    /// Pods no ReplicaSet controls, by key.
    pub standalone_pods: Vec<String>,
    pub replica_sets: BTreeMap<String, ReplicaSetView>,
    pub pods: BTreeMap<String, PodView>,
    pub services: Vec<ServiceView>,
    pub ingresses: Vec<IngressView>,
    /// The worker nodes, by name.
    pub nodes: Vec<String>,
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

impl ClusterModel {
    pub fn read(cluster: &Cluster) -> ClusterModel {
        let store = cluster.store();
        let now = cluster.now();
        let mut model = ClusterModel {
            nodes: store.nodes.keys().cloned().collect(),
            ..ClusterModel::default()
        };

        let mut pods_of: BTreeMap<String, Vec<(Option<Time>, String)>> = BTreeMap::new();
        for pod in store.pods.values() {
            let ns = pod.metadata.namespace.as_str();
            if !shown(ns) {
                continue;
            }
            let view = pod_view(pod, now);
            match pod.metadata.controller_ref() {
                Some(owner) if owner.kind == "ReplicaSet" => pods_of
                    .entry(key(ns, &owner.name))
                    .or_default()
                    .push((pod.metadata.creation_timestamp, view.key.clone())),
                _ => model.standalone_pods.push(view.key.clone()),
            }
            model.pods.insert(view.key.clone(), view);
        }

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
            });
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
