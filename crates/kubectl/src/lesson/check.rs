//! The state a lesson step asks for, checked against the cluster.

use crate::lab::Lab;
use crate::selector::Selector;
use crate::shell::{Poll, Submit};
use rollout_sim::clock::Duration;
use rollout_sim::cluster::{Cluster, ObjectKey};
use rollout_sim::controller::util::revision;
use rollout_sim::objects::Pod;
use serde::{Deserialize, Serialize};

/// One condition on the cluster. In YAML: `- pods: {selector: app=demoapp, ready: 4}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Check {
    /// Pods matching `selector` (not terminating): how many are ready, optionally only
    /// those running `version` (the image tag), and how many there are in all.
    Pods {
        selector: String,
        #[serde(default)]
        version: Option<String>,
        #[serde(default)]
        ready: Option<usize>,
        #[serde(default)]
        total: Option<usize>,
    },
    /// A Service's ready endpoints, optionally all serving `version`.
    Endpoints {
        service: String,
        ready: usize,
        #[serde(default)]
        version: Option<String>,
    },
    /// A Deployment's state.
    Deployment {
        name: String,
        #[serde(default)]
        image: Option<String>,
        #[serde(default)]
        updated: Option<i32>,
        #[serde(default)]
        available: Option<i32>,
        #[serde(default)]
        paused: Option<bool>,
        #[serde(default)]
        revision: Option<i64>,
        /// The revisions `rollout history` lists, in order.
        #[serde(default)]
        history: Option<Vec<i64>>,
    },
    /// An Argo Rollout's state, as `kubectl argo rollouts get rollout` shows it: `status`
    /// (Healthy, Paused, Progressing, Degraded), `step` (`i/n`), the step's `set_weight`,
    /// the template's `image`, and how many pods the stable and canary ReplicaSets have
    /// available.
    Rollout {
        name: String,
        #[serde(default)]
        status: Option<String>,
        #[serde(default)]
        step: Option<String>,
        #[serde(default)]
        set_weight: Option<i32>,
        #[serde(default)]
        image: Option<String>,
        #[serde(default)]
        stable_available: Option<i32>,
        #[serde(default)]
        canary_available: Option<i32>,
    },
    /// A ReplicaSet's DESIRED and READY.
    ReplicaSet {
        name: String,
        #[serde(default)]
        desired: Option<i32>,
        #[serde(default)]
        ready: Option<i32>,
    },
    /// A Service selects exactly these labels (`k=v,k2=v2`).
    ServiceSelector {
        service: String,
        selector: String,
    },
    /// A node's STATUS as `kubectl get nodes` prints it (`Ready`, `NotReady`,
    /// `Ready,SchedulingDisabled`).
    Node {
        name: String,
        status: String,
    },
    /// An add-on is installed in the cluster (`argo-rollouts`).
    Addon {
        name: String,
    },
    /// An object exists (`kind/name`, e.g. `ingress/demoapp-canary`), or does not.
    Exists {
        object: String,
    },
    Absent {
        object: String,
    },
    /// A command in the lab's own shell exits 0 (a Killercoda `verify` script). It runs in
    /// a copy of the lab, so it changes nothing the learner sees.
    Shell(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckResult {
    Pass,
    /// Why not, in plain words (English; shown to course authors and in test failures).
    Fail(String),
}

const NAMESPACE: &str = "default";

fn pod_version(pod: &Pod) -> &str {
    pod.spec
        .containers
        .first()
        .map_or("", |c| rollout_sim::network::apps::image_tag(&c.image))
}

/// How long a shell check may take: virtual time, and polls (a loop that never sleeps).
const SHELL_CHECK_WAIT: Duration = Duration(10_000);
const SHELL_CHECK_POLLS: usize = 1_000;

/// Runs `command` in a copy of `lab`'s shell: its exit status, or why it has none.
fn shell_status(lab: &Lab, command: &str) -> Result<i32, String> {
    let mut probe = lab.clone();
    // The learner may have a program running (`get -w`); the check types at a fresh prompt.
    probe.interrupt();
    let start = probe.now();
    let mut lines = command.lines().peekable();
    while let Some(line) = lines.next() {
        match probe.submit(line) {
            Submit::NeedMore { .. } if lines.peek().is_some() => continue,
            Submit::NeedMore { .. } => return Err("the command is incomplete".into()),
            _ => {}
        }
        let mut status = None;
        for _ in 0..SHELL_CHECK_POLLS {
            match probe.poll() {
                Poll::Done(code) => {
                    status = Some(code);
                    break;
                }
                Poll::Output(_) => {}
                Poll::Edit { .. } => return Err("the command opens an editor".into()),
                Poll::Sleeping { .. } | Poll::Waiting { .. } => {
                    if probe.now() - start >= SHELL_CHECK_WAIT {
                        break;
                    }
                    probe.advance(Duration::from_secs(1));
                }
            }
        }
        match status {
            Some(code) if lines.peek().is_none() => return Ok(code),
            Some(_) => {}
            None => return Err(format!("still running after {SHELL_CHECK_WAIT}")),
        }
    }
    Err("the command is empty".into())
}

impl Check {
    pub fn evaluate(&self, lab: &Lab) -> CheckResult {
        let cluster: &Cluster = lab.cluster();
        let store = cluster.store();
        let fail = |why: String| CheckResult::Fail(why);
        match self {
            Check::Pods {
                selector,
                version,
                ready,
                total,
            } => {
                let Ok(selector_parsed) = Selector::parse(selector) else {
                    return fail(format!("bad selector {selector:?}"));
                };
                let pods: Vec<&Pod> = store
                    .pods_in(NAMESPACE)
                    .filter(|p| {
                        p.metadata.deletion_timestamp.is_none()
                            && selector_parsed.matches(&p.metadata.labels)
                    })
                    .filter(|p| version.as_deref().is_none_or(|v| pod_version(p) == v))
                    .collect();
                let ready_count = pods.iter().filter(|p| p.is_ready()).count();
                let what = match version {
                    Some(v) => format!("pods {selector} of {v}"),
                    None => format!("pods {selector}"),
                };
                if let Some(want) = ready {
                    if ready_count != *want {
                        return fail(format!("{what}: {ready_count} ready, want {want}"));
                    }
                }
                if let Some(want) = total {
                    if pods.len() != *want {
                        return fail(format!("{what}: {} exist, want {want}", pods.len()));
                    }
                }
                CheckResult::Pass
            }
            Check::Endpoints {
                service,
                ready,
                version,
            } => {
                let addresses: Vec<String> = store
                    .endpoints
                    .get(&ObjectKey::new(NAMESPACE, service))
                    .map(|e| {
                        e.subsets
                            .iter()
                            .flat_map(|s| &s.addresses)
                            .filter_map(|a| a.target_ref.as_ref().map(|r| r.name.clone()))
                            .collect()
                    })
                    .unwrap_or_default();
                if addresses.len() != *ready {
                    return fail(format!(
                        "service {service}: {} ready endpoints, want {ready}",
                        addresses.len()
                    ));
                }
                if let Some(v) = version {
                    let wrong = addresses
                        .iter()
                        .filter(|name| {
                            store
                                .pods
                                .get(&ObjectKey::new(NAMESPACE, name))
                                .is_some_and(|p| pod_version(p) != v)
                        })
                        .count();
                    if wrong > 0 {
                        return fail(format!("service {service}: {wrong} endpoints are not {v}"));
                    }
                }
                CheckResult::Pass
            }
            Check::Addon { name } => {
                if cluster.addons().names().any(|installed| installed == name) {
                    CheckResult::Pass
                } else {
                    fail(format!("{name} is not installed"))
                }
            }
            Check::Rollout {
                name,
                status,
                step,
                set_weight,
                image,
                stable_available,
                canary_available,
            } => {
                let Some(ro) = store.rollouts.get(&ObjectKey::new(NAMESPACE, name)) else {
                    return fail(format!("rollout {name} does not exist"));
                };
                let phase = ro.status.phase.map_or("", |p| p.as_str());
                if status.as_deref().is_some_and(|s| s != phase) {
                    return fail(format!(
                        "rollout {name} is {phase:?} ({})",
                        ro.status.message
                    ));
                }
                let steps = ro.canary().map_or(0, |c| c.steps.len());
                let current = format!("{}/{steps}", ro.status.current_step_index.unwrap_or(0));
                if step.as_deref().is_some_and(|s| s != current) {
                    return fail(format!("rollout {name} is at step {current}"));
                }
                let view = rollout_sim::addons::argo_rollouts::controller::rollout_view(ro);
                let weight =
                    rollout_sim::addons::argo_rollouts::replicaset::get_current_set_weight(&view);
                if set_weight.is_some_and(|w| w != weight) {
                    return fail(format!("rollout {name} sets weight {weight}"));
                }
                let template = ro.pod_template();
                let current_image = template
                    .spec
                    .containers
                    .first()
                    .map_or("", |c| c.image.as_str());
                if image.as_deref().is_some_and(|i| i != current_image) {
                    return fail(format!("rollout {name} runs {current_image}"));
                }
                let available_of = |hash: &str| -> i32 {
                    store
                        .replica_sets_owned_by(NAMESPACE, &ro.metadata.uid)
                        .iter()
                        .filter(|rs| {
                            !hash.is_empty()
                                && rs
                                    .metadata
                                    .labels
                                    .get("rollouts-pod-template-hash")
                                    .map(String::as_str)
                                    == Some(hash)
                        })
                        .map(|rs| rs.status.available_replicas)
                        .sum()
                };
                let stable = available_of(&ro.status.stable_rs);
                if stable_available.is_some_and(|a| a != stable) {
                    return fail(format!("rollout {name}: {stable} stable pods available"));
                }
                let canary = if ro.status.current_pod_hash == ro.status.stable_rs {
                    0
                } else {
                    available_of(&ro.status.current_pod_hash)
                };
                if canary_available.is_some_and(|a| a != canary) {
                    return fail(format!("rollout {name}: {canary} canary pods available"));
                }
                CheckResult::Pass
            }
            Check::Deployment {
                name,
                image,
                updated,
                available,
                paused,
                revision: want_revision,
                history,
            } => {
                let Some(d) = store.deployments.get(&ObjectKey::new(NAMESPACE, name)) else {
                    return fail(format!("deployment {name} does not exist"));
                };
                let current_image = d
                    .spec
                    .template
                    .spec
                    .containers
                    .first()
                    .map_or("", |c| c.image.as_str());
                if image.as_deref().is_some_and(|i| i != current_image) {
                    return fail(format!("deployment {name} runs {current_image}"));
                }
                if updated.is_some_and(|u| u != d.status.updated_replicas) {
                    return fail(format!(
                        "deployment {name}: {} updated",
                        d.status.updated_replicas
                    ));
                }
                if available.is_some_and(|a| a != d.status.available_replicas) {
                    return fail(format!(
                        "deployment {name}: {} available",
                        d.status.available_replicas
                    ));
                }
                if paused.is_some_and(|p| p != d.spec.paused) {
                    return fail(format!("deployment {name}: paused is {}", d.spec.paused));
                }
                let rss = store.replica_sets_owned_by(NAMESPACE, &d.metadata.uid);
                let mut revisions: Vec<i64> =
                    rss.iter().filter_map(|rs| revision(rs).ok()).collect();
                revisions.sort_unstable();
                if let Some(want) = want_revision {
                    let current = d
                        .metadata
                        .annotation("deployment.kubernetes.io/revision")
                        .and_then(|r| r.parse::<i64>().ok())
                        .unwrap_or(0);
                    if current != *want {
                        return fail(format!(
                            "deployment {name} is at revision {current}, want {want}"
                        ));
                    }
                }
                if history.as_ref().is_some_and(|h| *h != revisions) {
                    return fail(format!("deployment {name} history is {revisions:?}"));
                }
                CheckResult::Pass
            }
            Check::ReplicaSet {
                name,
                desired,
                ready,
            } => {
                let Some(rs) = store.replica_sets.get(&ObjectKey::new(NAMESPACE, name)) else {
                    return fail(format!("replicaset {name} does not exist"));
                };
                if desired.is_some_and(|d| d != rs.spec.replicas) {
                    return fail(format!("replicaset {name} wants {}", rs.spec.replicas));
                }
                if ready.is_some_and(|r| r != rs.status.ready_replicas) {
                    return fail(format!(
                        "replicaset {name} has {} ready",
                        rs.status.ready_replicas
                    ));
                }
                CheckResult::Pass
            }
            Check::Node { name, status } => {
                let Some(node) = store.nodes.get(name) else {
                    return fail(format!("node {name} does not exist"));
                };
                let actual = crate::printers::kinds::node_status(node);
                if actual != *status {
                    return fail(format!("node {name} is {actual}"));
                }
                CheckResult::Pass
            }
            Check::ServiceSelector { service, selector } => {
                let Some(svc) = store.services.get(&ObjectKey::new(NAMESPACE, service)) else {
                    return fail(format!("service {service} does not exist"));
                };
                let actual: Vec<String> = svc
                    .spec
                    .selector
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                let mut wanted: Vec<&str> = selector.split(',').collect();
                wanted.sort_unstable();
                if actual != wanted {
                    return fail(format!("service {service} selects {}", actual.join(",")));
                }
                CheckResult::Pass
            }
            Check::Exists { object } | Check::Absent { object } => {
                let want = matches!(self, Check::Exists { .. });
                let Some((kind, name)) = object.split_once('/') else {
                    return fail(format!("{object:?} is not kind/name"));
                };
                let Ok(kind) = crate::resource::resolve(kind, cluster) else {
                    return fail(format!("unknown kind in {object:?}"));
                };
                let exists = cluster
                    .get(
                        kind,
                        if kind.is_namespaced() { NAMESPACE } else { "" },
                        name,
                    )
                    .is_some();
                if exists != want {
                    return fail(format!(
                        "{object} {}",
                        if exists {
                            "still exists"
                        } else {
                            "does not exist"
                        }
                    ));
                }
                CheckResult::Pass
            }
            Check::Shell(command) => match shell_status(lab, command) {
                Ok(0) => CheckResult::Pass,
                Ok(code) => fail(format!("`{command}` exits {code}")),
                Err(why) => fail(format!("`{command}`: {why}")),
            },
        }
    }
}
