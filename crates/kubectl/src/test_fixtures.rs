//! Objects shaped like the lab's, with ages relative to [`NOW`], shared by the printer and
//! describe tests.

use rollout_sim::clock::{Duration, Time};
use rollout_sim::objects::*;
use std::collections::BTreeMap;

/// "Now" in every test: ten days after the virtual epoch.
pub const NOW: Time = Time(10 * 86_400_000);

pub fn ago(seconds: i64) -> Option<Time> {
    Some(NOW - Duration::from_secs(seconds))
}

pub fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub fn meta(name: &str, age_seconds: i64) -> ObjectMeta {
    ObjectMeta {
        name: name.into(),
        namespace: "default".into(),
        uid: format!("uid-{name}"),
        creation_timestamp: ago(age_seconds),
        ..Default::default()
    }
}

pub fn owned_by(mut meta: ObjectMeta, kind: &str, owner: &str) -> ObjectMeta {
    meta.owner_references.push(OwnerReference {
        api_version: "apps/v1".into(),
        kind: kind.into(),
        name: owner.into(),
        uid: format!("uid-{owner}"),
        controller: true,
    });
    meta
}

pub fn container(name: &str, image: &str) -> Container {
    Container {
        name: name.into(),
        image: image.into(),
        ..Default::default()
    }
}

pub fn template(pod_labels: &[(&str, &str)], image: &str) -> PodTemplateSpec {
    PodTemplateSpec {
        metadata: ObjectMeta {
            labels: labels(pod_labels),
            ..Default::default()
        },
        spec: PodSpec {
            containers: vec![container("demoapp", image)],
            ..Default::default()
        },
    }
}

pub fn selector(pairs: &[(&str, &str)]) -> LabelSelector {
    LabelSelector {
        match_labels: labels(pairs),
        ..Default::default()
    }
}

/// A running pod with one container; `restarts` > 0 adds a last termination
/// `last_restart_ago` seconds before [`NOW`].
pub fn running_pod(name: &str, age: i64, restarts: i32, last_restart_ago: i64) -> Pod {
    Pod {
        metadata: meta(name, age),
        spec: PodSpec {
            node_name: "k8s-node01".into(),
            containers: vec![container("demoapp", "ikubernetes/demoapp:v1.0")],
            ..Default::default()
        },
        status: PodStatus {
            phase: Some(PodPhase::Running),
            conditions: vec![PodCondition {
                type_: PodConditionType::Ready,
                status: ConditionStatus::True,
                last_transition_time: ago(age),
                reason: None,
                message: None,
            }],
            container_statuses: vec![ContainerStatus {
                name: "demoapp".into(),
                image: "ikubernetes/demoapp:v1.0".into(),
                ready: true,
                restart_count: restarts,
                state: ContainerState::Running {
                    started_at: ago(age).unwrap_or_default(),
                },
                last_state: (restarts > 0).then(|| ContainerState::Terminated {
                    reason: "Error".into(),
                    exit_code: 1,
                    finished_at: ago(last_restart_ago).unwrap_or_default(),
                }),
            }],
            ..Default::default()
        },
    }
}

pub fn replica_set(name: &str, age: i64, desired: i32, current: i32, ready: i32) -> ReplicaSet {
    ReplicaSet {
        metadata: meta(name, age),
        spec: ReplicaSetSpec {
            replicas: desired,
            selector: selector(&[("app", "demoapp")]),
            template: template(&[("app", "demoapp")], "ikubernetes/demoapp:v1.0"),
            ..Default::default()
        },
        status: ReplicaSetStatus {
            replicas: current,
            ready_replicas: ready,
            available_replicas: ready,
            ..Default::default()
        },
    }
}

pub fn service(name: &str, age: i64, ip: &str, port: i32, selector: &[(&str, &str)]) -> Service {
    Service {
        metadata: meta(name, age),
        spec: ServiceSpec {
            selector: labels(selector),
            cluster_ip: ip.into(),
            ports: vec![ServicePort {
                name: Some("http".into()),
                protocol: "TCP".into(),
                port,
                target_port: Some(IntOrString::Int(port)),
                node_port: None,
            }],
            ..Default::default()
        },
    }
}

pub fn endpoints(name: &str, age: i64, ips: &[&str], port: i32) -> Endpoints {
    Endpoints {
        metadata: meta(name, age),
        subsets: vec![EndpointSubset {
            addresses: ips
                .iter()
                .map(|ip| EndpointAddress {
                    ip: ip.to_string(),
                    ..Default::default()
                })
                .collect(),
            not_ready_addresses: vec![],
            ports: vec![EndpointPort {
                name: Some("http".into()),
                port,
                protocol: "TCP".into(),
            }],
        }],
    }
}

pub fn deployment(name: &str, age: i64, replicas: i32, ready: i32) -> Deployment {
    let mut d = Deployment {
        metadata: meta(name, age),
        ..Default::default()
    };
    d.spec.replicas = replicas;
    d.spec.selector = selector(&[("app", "demoapp"), ("release", "stable")]);
    d.spec.template = template(
        &[("app", "demoapp"), ("release", "stable")],
        "ikubernetes/demoapp:v1.0",
    );
    d.status.ready_replicas = ready;
    d.status.updated_replicas = ready;
    d.status.available_replicas = ready;
    d
}
