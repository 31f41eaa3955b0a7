//! A [`ClusterView`] over plain vectors, and builders for the objects the network reads.
//! For tests (here and in the kubectl crate) and examples; the real cluster implements
//! [`ClusterView`] over its store.

use super::{ClusterView, IngressController};
use crate::clock::Time;
use crate::objects::{
    ConditionStatus, Container, ContainerPort, ContainerState, ContainerStatus, EndpointAddress,
    EndpointPort, EndpointSubset, Endpoints, HttpIngressPath, HttpIngressRuleValue, Ingress,
    IngressBackend, IngressRule, IngressServiceBackend, ObjectMeta, ObjectReference, Pod,
    PodCondition, PodConditionType, PodPhase, Service, ServiceBackendPort, ServicePort,
};

/// Objects held in vectors; pods are stored with their IP.
#[derive(Clone, Debug, Default)]
pub struct Fixture {
    pub services: Vec<Service>,
    pub endpoints: Vec<Endpoints>,
    pub ingresses: Vec<Ingress>,
    /// `(pod IP, pod)`.
    pub pods: Vec<(String, Pod)>,
    pub controller: Option<IngressController>,
    /// `/etc/hosts` lines: `(name, IP)`.
    pub hosts: Vec<(String, String)>,
}

impl ClusterView for Fixture {
    fn services(&self) -> impl Iterator<Item = &Service> {
        self.services.iter()
    }

    fn endpoints(&self, namespace: &str, name: &str) -> Option<&Endpoints> {
        self.endpoints
            .iter()
            .find(|e| e.metadata.namespace == namespace && e.metadata.name == name)
    }

    fn ingresses(&self) -> impl Iterator<Item = &Ingress> {
        self.ingresses.iter()
    }

    fn pod_by_ip(&self, ip: &str) -> Option<&Pod> {
        self.pods
            .iter()
            .find(|(pod_ip, _)| pod_ip == ip)
            .map(|(_, pod)| pod)
    }

    fn ingress_controller(&self) -> Option<&IngressController> {
        self.controller.as_ref()
    }

    fn host_alias(&self, name: &str) -> Option<String> {
        self.hosts
            .iter()
            .find(|(host, _)| host.eq_ignore_ascii_case(name))
            .map(|(_, ip)| ip.clone())
    }
}

fn meta(namespace: &str, name: &str) -> ObjectMeta {
    ObjectMeta {
        namespace: namespace.to_string(),
        name: name.to_string(),
        ..ObjectMeta::default()
    }
}

/// A ClusterIP Service with one unnamed TCP port whose targetPort equals `port`.
pub fn service(namespace: &str, name: &str, cluster_ip: &str, port: i32) -> Service {
    let mut service = Service {
        metadata: meta(namespace, name),
        ..Service::default()
    };
    service.spec.cluster_ip = cluster_ip.to_string();
    service.spec.ports.push(ServicePort {
        protocol: "TCP".to_string(),
        port,
        ..ServicePort::default()
    });
    service
}

/// Endpoints with every IP ready, on one unnamed port. Pod names are `pod-<ip>` unless
/// set later.
pub fn endpoints(namespace: &str, name: &str, ready_ips: &[&str], port: i32) -> Endpoints {
    Endpoints {
        metadata: meta(namespace, name),
        subsets: vec![EndpointSubset {
            addresses: ready_ips
                .iter()
                .map(|ip| EndpointAddress {
                    ip: ip.to_string(),
                    node_name: None,
                    target_ref: Some(ObjectReference {
                        kind: "Pod".to_string(),
                        namespace: namespace.to_string(),
                        name: format!("pod-{ip}"),
                        uid: String::new(),
                    }),
                })
                .collect(),
            not_ready_addresses: Vec::new(),
            ports: vec![EndpointPort {
                name: None,
                port,
                protocol: "TCP".to_string(),
            }],
        }],
    }
}

/// An Ingress with one rule and one path.
pub fn ingress(
    namespace: &str,
    name: &str,
    host: Option<&str>,
    path: &str,
    path_type: &str,
    service: &str,
    port: i32,
) -> Ingress {
    let mut ingress = Ingress {
        metadata: meta(namespace, name),
        ..Ingress::default()
    };
    ingress.spec.ingress_class_name = Some("nginx".to_string());
    ingress.spec.rules.push(IngressRule {
        host: host.map(str::to_string),
        http: Some(HttpIngressRuleValue {
            paths: vec![HttpIngressPath {
                path: Some(path.to_string()),
                path_type: path_type.to_string(),
                backend: IngressBackend {
                    service: Some(IngressServiceBackend {
                        name: service.to_string(),
                        port: ServiceBackendPort {
                            name: None,
                            number: Some(port),
                        },
                    }),
                },
            }],
        }),
    });
    ingress
}

/// A ready, running pod with one container of `image` exposing port 80.
pub fn running_pod(namespace: &str, name: &str, image: &str) -> Pod {
    let mut pod = Pod {
        metadata: meta(namespace, name),
        ..Pod::default()
    };
    pod.metadata.uid = format!("uid-{namespace}-{name}");
    pod.spec.containers.push(Container {
        name: "app".to_string(),
        image: image.to_string(),
        ports: vec![ContainerPort {
            name: Some("http".to_string()),
            container_port: 80,
        }],
        ..Container::default()
    });
    pod.status.phase = Some(PodPhase::Running);
    pod.status.container_statuses.push(ContainerStatus {
        name: "app".to_string(),
        image: image.to_string(),
        ready: true,
        restart_count: 0,
        state: ContainerState::Running {
            started_at: Time(0),
        },
        last_state: None,
    });
    pod.status.conditions.push(PodCondition {
        type_: PodConditionType::Ready,
        status: ConditionStatus::True,
        last_transition_time: Some(Time(0)),
        reason: None,
        message: None,
    });
    pod
}
