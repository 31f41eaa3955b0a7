//! metrics-server v0.7, installed by applying its release (`components.yaml`): the resource
//! metrics API (`metrics.k8s.io/v1beta1`) that `kubectl top` and the horizontal pod
//! autoscaler read.
//!
//! **What it measures.** Every [`RESOLUTION`] (its `--metric-resolution`, 15 s) from the moment
//! its pod is ready it scrapes the kubelets; a pod's CPU is the rate between two scrapes, so a
//! pod has metrics once it has been running for a whole window before a scrape, and nothing
//! has metrics before the first window has passed. What a container uses comes from what it
//! does: an idle figure for its image, plus a cost for every HTTP request it answered in the
//! window (the network's `http_requests_total`, so the page's traffic client, curl loops and
//! ingress-nginx's proxying all load the pods that served them). Pods on a node whose kubelet
//! is unreachable have no metrics. All of it is derived from the cluster's state at the last
//! scrape instant, so it needs no state of its own.
//!
//! **The autoscaler.** kube-controller-manager's HPA controller (`controller::podautoscaler`)
//! runs in this add-on's reconcile: in the page its code then lives in this add-on's wasm
//! module, off the first download. So, unlike a real cluster, an HPA created before
//! metrics-server is installed gets no status until it is (a real controller would report
//! `FailedGetResourceMetric`); from then on the controller syncs every HPA every 15 s.

use crate::apiserver::ObjectKey;
use crate::clock::{Duration, Time};
use crate::cluster::{Addon, Cluster};
use crate::controller::podautoscaler::horizontal::{HorizontalController, SYNC_PERIOD};
use crate::controller::podautoscaler::replica_calculator::{PodMetric, PodMetricsInfo};
use crate::kubelet::images::{lookup, App};
use crate::objects::{Pod, PodPhase, METRICS_SERVER};
use std::collections::BTreeMap;

/// `--metric-resolution`.
pub const RESOLUTION: Duration = Duration(15_000);
/// Where its Deployment runs.
pub const NAMESPACE: &str = "kube-system";
pub const DEPLOYMENT: &str = "metrics-server";
/// The kubelet's, containerd's and the system pods' own use of a node, which its root cgroup
/// counts beside the pods'.
const NODE_SYSTEM_MILLI_CPU: i64 = 85;
const NODE_SYSTEM_MEMORY: i64 = 612 * 1024 * 1024;
const MI: i64 = 1024 * 1024;

/// Whether the metrics API answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Availability {
    /// No APIService for `metrics.k8s.io`: the add-on is not installed.
    Missing,
    /// Registered, but no metrics-server pod is ready behind it.
    Unavailable,
    /// Serving since its pod turned ready.
    Serving { since: Time },
}

/// One container's usage over the window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerUsage {
    pub name: String,
    pub milli_cpu: i64,
    pub memory: i64,
}

/// A `PodMetrics`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodMetrics {
    pub namespace: String,
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub timestamp: Time,
    pub window: Duration,
    pub containers: Vec<ContainerUsage>,
}

impl PodMetrics {
    pub fn milli_cpu(&self) -> i64 {
        self.containers.iter().map(|c| c.milli_cpu).sum()
    }

    pub fn memory(&self) -> i64 {
        self.containers.iter().map(|c| c.memory).sum()
    }
}

/// A `NodeMetrics`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeMetrics {
    pub name: String,
    pub timestamp: Time,
    pub window: Duration,
    pub milli_cpu: i64,
    pub memory: i64,
}

/// Whether the metrics API is served, and since when.
pub fn availability(cluster: &Cluster) -> Availability {
    if !cluster.addons().names().any(|name| name == METRICS_SERVER) {
        return Availability::Missing;
    }
    serving(cluster)
}

/// Whether a metrics-server pod is ready behind the API (the add-on itself asks this while
/// it runs, when it is not in the cluster's list).
fn serving(cluster: &Cluster) -> Availability {
    let store = cluster.store();
    let since = crate::apiserver::in_namespace(&store.pods, NAMESPACE)
        .filter(|pod| pod.metadata.labels.get("k8s-app").map(String::as_str) == Some(DEPLOYMENT))
        .filter(|pod| pod.metadata.deletion_timestamp.is_none())
        .filter_map(|pod| pod.ready_since())
        .min();
    match since {
        Some(since) => Availability::Serving { since },
        None => Availability::Unavailable,
    }
}

/// The instant of the last scrape whose window is complete, if one has happened.
pub fn last_scrape(cluster: &Cluster) -> Option<Time> {
    scrape_before(availability(cluster), cluster.now())
}

fn scrape_before(availability: Availability, now: Time) -> Option<Time> {
    let Availability::Serving { since } = availability else {
        return None;
    };
    let elapsed = (now - since).millis();
    let windows = elapsed.div_euclid(RESOLUTION.millis());
    (windows >= 1)
        .then(|| since + Duration::from_millis(windows.saturating_mul(RESOLUTION.millis())))
}

/// (idle millicores, memory bytes, millicore-seconds per request) of an image's process.
fn profile(image: &str) -> (i64, i64, i64) {
    match lookup(image).map(|i| i.app) {
        // A Flask app: about 10 ms of CPU for every request it answers.
        Some(App::Demoapp) => (1, 24 * MI, 10),
        Some(App::Nginx) => (0, 3 * MI, 1),
        Some(App::RolloutsDemo) => (1, 6 * MI, 2),
        Some(App::Controller) => (2, 30 * MI, 0),
        Some(App::Shell) => (0, MI / 2, 0),
        None => (0, 0, 0),
    }
}

/// Requests each pod answered in `(from, to]`, by (namespace, pod).
fn requests_served(cluster: &Cluster, from: Time, to: Time) -> BTreeMap<(String, String), i64> {
    let mut served: BTreeMap<(String, String), i64> = BTreeMap::new();
    for series in cluster.network.requests.series() {
        let labels = series.labels;
        if labels.pod.is_empty() {
            continue;
        }
        let delta = series.value_at(to).saturating_sub(series.value_at(from));
        if delta > 0 {
            let entry = served
                .entry((labels.namespace.clone(), labels.pod.clone()))
                .or_default();
            *entry = entry.saturating_add(i64::try_from(delta).unwrap_or(i64::MAX));
        }
    }
    served
}

/// Whether a pod was measured at scrape `at`: running for a whole window, on a node whose
/// kubelet answers.
fn measured(cluster: &Cluster, pod: &Pod, at: Time) -> bool {
    let started = pod.status.start_time.is_some_and(|t| t + RESOLUTION <= at);
    let node_up = cluster
        .store()
        .nodes
        .get(&pod.spec.node_name)
        .is_some_and(|node| node.is_ready());
    pod.status.phase == Some(PodPhase::Running)
        && pod.metadata.deletion_timestamp.is_none()
        && started
        && node_up
}

fn usage_of(pod: &Pod, served: i64) -> Vec<ContainerUsage> {
    let mut first_server = true;
    pod.spec
        .containers
        .iter()
        .map(|container| {
            let (idle, memory, cost) = profile(&container.image);
            // The requests went to the pod's first container that serves them.
            let answered = if cost > 0 && first_server {
                first_server = false;
                served
            } else {
                0
            };
            let window_secs = RESOLUTION.millis() / 1000;
            ContainerUsage {
                name: container.name.clone(),
                milli_cpu: idle.saturating_add(answered.saturating_mul(cost) / window_secs.max(1)),
                memory,
            }
        })
        .collect()
}

/// Every `PodMetrics` of the last scrape (of `namespace`, or all), in namespace and name
/// order; empty before the first scrape.
pub fn pod_metrics(cluster: &Cluster, namespace: Option<&str>) -> Vec<PodMetrics> {
    match last_scrape(cluster) {
        Some(at) => pod_metrics_at(cluster, namespace, at),
        None => Vec::new(),
    }
}

fn pod_metrics_at(cluster: &Cluster, namespace: Option<&str>, at: Time) -> Vec<PodMetrics> {
    let served = requests_served(cluster, at - RESOLUTION, at);
    cluster
        .store()
        .pods
        .values()
        .filter(|pod| namespace.is_none_or(|ns| pod.metadata.namespace == ns))
        .filter(|pod| measured(cluster, pod, at))
        .map(|pod| {
            let key = (pod.metadata.namespace.clone(), pod.metadata.name.clone());
            PodMetrics {
                namespace: key.0.clone(),
                name: key.1.clone(),
                labels: pod.metadata.labels.clone(),
                timestamp: at,
                window: RESOLUTION,
                containers: usage_of(pod, served.get(&key).copied().unwrap_or(0)),
            }
        })
        .collect()
}

/// Every `NodeMetrics` of the last scrape: the nodes whose kubelet answers.
pub fn node_metrics(cluster: &Cluster) -> Vec<NodeMetrics> {
    let Some(at) = last_scrape(cluster) else {
        return Vec::new();
    };
    let pods = pod_metrics(cluster, None);
    let store = cluster.store();
    store
        .nodes
        .values()
        .filter(|node| node.is_ready())
        .map(|node| {
            let name = node.metadata.name.clone();
            let on_node = pods.iter().filter(|m| {
                store
                    .pods
                    .get(&ObjectKey::new(&m.namespace, &m.name))
                    .is_some_and(|pod| pod.spec.node_name == name)
            });
            let (cpu, memory) = on_node.fold(
                (NODE_SYSTEM_MILLI_CPU, NODE_SYSTEM_MEMORY),
                |(cpu, memory), m| {
                    (
                        cpu.saturating_add(m.milli_cpu()),
                        memory.saturating_add(m.memory()),
                    )
                },
            );
            NodeMetrics {
                name,
                timestamp: at,
                window: RESOLUTION,
                milli_cpu: cpu,
                memory,
            }
        })
        .collect()
}

/// The installed add-on: the metrics API, and the autoscaler's loop (see the module's notes).
#[derive(Clone, Debug, Default)]
pub struct MetricsServerAddon {
    autoscaler: HorizontalController,
    /// When each HPA is next synced, and the generation it was last synced at (a changed
    /// spec is synced at once, as the informer's update event queues it).
    next_sync: BTreeMap<ObjectKey, (Time, i64)>,
}

impl Addon for MetricsServerAddon {
    fn name(&self) -> &'static str {
        METRICS_SERVER
    }

    fn reconcile(&mut self, cluster: &mut Cluster) -> bool {
        let now = cluster.now();
        let hpas: Vec<(ObjectKey, i64)> = cluster
            .store()
            .horizontal_pod_autoscalers
            .iter()
            .map(|(key, hpa)| (key.clone(), hpa.metadata.generation))
            .collect();
        let gone: Vec<ObjectKey> = self
            .next_sync
            .keys()
            .filter(|key| !hpas.iter().any(|(k, _)| k == *key))
            .cloned()
            .collect();
        for key in gone {
            self.next_sync.remove(&key);
            self.autoscaler.forget(&key);
        }
        let due: Vec<ObjectKey> = hpas
            .into_iter()
            .filter(|(key, generation)| {
                self.next_sync
                    .get(key)
                    .is_none_or(|(at, seen)| *at <= now || seen != generation)
            })
            .map(|(key, _)| key)
            .collect();
        if due.is_empty() {
            return false;
        }
        let state = serving(cluster);
        let serving = matches!(state, Availability::Serving { .. });
        let metrics = scrape_before(state, now)
            .map(|at| pod_metrics_at(cluster, None, at))
            .unwrap_or_default();
        let source = move |namespace: &str, resource: &str| -> Result<PodMetricsInfo, String> {
            if !serving {
                return Err("unable to fetch metrics from resource metrics API: the server is currently unable to handle the request (get pods.metrics.k8s.io)".to_string());
            }
            Ok(metrics
                .iter()
                .filter(|m| m.namespace == namespace)
                .map(|m| {
                    let value = if resource == "cpu" {
                        m.milli_cpu()
                    } else {
                        m.memory().saturating_mul(1000)
                    };
                    (
                        m.name.clone(),
                        PodMetric {
                            value,
                            timestamp: m.timestamp,
                            window: m.window,
                        },
                    )
                })
                .collect())
        };
        let mut wrote = false;
        for key in due {
            wrote |= self.autoscaler.reconcile(&mut cluster.api, &key, &source);
            let generation = cluster
                .store()
                .horizontal_pod_autoscalers
                .get(&key)
                .map_or(0, |hpa| hpa.metadata.generation);
            self.next_sync.insert(key, (now + SYNC_PERIOD, generation));
            cluster.requeue_addon_at(METRICS_SERVER, now + SYNC_PERIOD);
        }
        wrote
    }

    fn clone_box(&self) -> Box<dyn Addon> {
        Box::new(self.clone())
    }
}
