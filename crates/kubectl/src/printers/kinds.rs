//! One [`TableKind`] per resource: the columns of printers.go (`printPod`,
//! `printReplicaSet`, `printDeployment`, `printService`, `printEndpoints`, `printIngress`,
//! `printEvent`, `printNode`, `printNamespace`) and the cell rules of each.

use super::duration::translate_timestamp_since;
use super::format::{
    container_cells, format_endpoints, format_label_selector, format_labels, selector_string,
};
use super::pod_status::summarize_pod;
use super::table::{Column, TableKind};
use rollout_sim::clock::Time;
use rollout_sim::objects::{
    Deployment, Endpoints, Event, EventType, Ingress, Kind, Namespace, Node, ObjectMeta, Pod,
    ReplicaSet, Service, ServicePort, ServiceType,
};
use std::collections::BTreeSet;

/// The kubelet version the simulated nodes report (`kubectl version` says v1.30.0 too).
pub const NODE_VERSION: &str = "v1.30.0";
/// `-o wide` node details the simulation does not model; fixed, plausible values.
pub const NODE_OS_IMAGE: &str = "Ubuntu 22.04.4 LTS";
pub const NODE_KERNEL_VERSION: &str = "5.15.0-105-generic";
pub const NODE_CONTAINER_RUNTIME: &str = "containerd://1.7.13";

/// printers.go `loadBalancerWidth`: address lists are clipped to this outside `-o wide`.
const LOAD_BALANCER_WIDTH: usize = 16;

impl TableKind for Pod {
    const KIND: Kind = Kind::Pod;
    const COLUMNS: &'static [Column] = &[
        Column::name("NAME"),
        Column::new("READY"),
        Column::new("STATUS"),
        Column::new("RESTARTS"),
        Column::new("AGE"),
        Column::wide("IP"),
        Column::wide("NODE"),
        Column::wide("NOMINATED NODE"),
        Column::wide("READINESS GATES"),
    ];

    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }

    fn cells(&self, now: Time, _wide: bool) -> Vec<String> {
        let summary = summarize_pod(self, now);
        let ip = self
            .status
            .pod_ip
            .as_deref()
            .filter(|ip| !ip.is_empty())
            .unwrap_or("<none>");
        let node = if self.spec.node_name.is_empty() {
            "<none>"
        } else {
            &self.spec.node_name
        };
        vec![
            self.metadata.name.clone(),
            summary.ready,
            summary.status,
            summary.restarts,
            translate_timestamp_since(self.metadata.creation_timestamp, now),
            ip.to_string(),
            node.to_string(),
            "<none>".to_string(),
            "<none>".to_string(),
        ]
    }
}

impl TableKind for ReplicaSet {
    const KIND: Kind = Kind::ReplicaSet;
    const COLUMNS: &'static [Column] = &[
        Column::name("NAME"),
        Column::new("DESIRED"),
        Column::new("CURRENT"),
        Column::new("READY"),
        Column::new("AGE"),
        Column::wide("CONTAINERS"),
        Column::wide("IMAGES"),
        Column::wide("SELECTOR"),
    ];

    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }

    fn cells(&self, now: Time, _wide: bool) -> Vec<String> {
        let (names, images) = container_cells(&self.spec.template.spec.containers);
        vec![
            self.metadata.name.clone(),
            self.spec.replicas.to_string(),
            self.status.replicas.to_string(),
            self.status.ready_replicas.to_string(),
            translate_timestamp_since(self.metadata.creation_timestamp, now),
            names,
            images,
            format_label_selector(&self.spec.selector),
        ]
    }
}

impl TableKind for Deployment {
    const KIND: Kind = Kind::Deployment;
    const COLUMNS: &'static [Column] = &[
        Column::name("NAME"),
        Column::new("READY"),
        Column::new("UP-TO-DATE"),
        Column::new("AVAILABLE"),
        Column::new("AGE"),
        Column::wide("CONTAINERS"),
        Column::wide("IMAGES"),
        Column::wide("SELECTOR"),
    ];

    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }

    fn cells(&self, now: Time, _wide: bool) -> Vec<String> {
        let (names, images) = container_cells(&self.spec.template.spec.containers);
        vec![
            self.metadata.name.clone(),
            format!("{}/{}", self.status.ready_replicas, self.spec.replicas),
            self.status.updated_replicas.to_string(),
            self.status.available_replicas.to_string(),
            translate_timestamp_since(self.metadata.creation_timestamp, now),
            names,
            images,
            // Unlike ReplicaSets, printDeployment prints an empty selector as "".
            selector_string(&self.spec.selector),
        ]
    }
}

/// `ClusterIP`, `NodePort`, `LoadBalancer` as the API spells them.
pub fn service_type_name(type_: ServiceType) -> &'static str {
    match type_ {
        ServiceType::ClusterIP => "ClusterIP",
        ServiceType::NodePort => "NodePort",
        ServiceType::LoadBalancer => "LoadBalancer",
    }
}

/// A port's protocol; the API server defaults an empty one to TCP.
pub fn protocol(port_protocol: &str) -> &str {
    if port_protocol.is_empty() {
        "TCP"
    } else {
        port_protocol
    }
}

/// printers.go `makePortString`: `80/TCP`, `80:31009/TCP`, comma-joined.
fn port_string(ports: &[ServicePort]) -> String {
    ports
        .iter()
        .map(|port| match port.node_port {
            Some(node_port) if node_port > 0 => {
                format!("{}:{node_port}/{}", port.port, protocol(&port.protocol))
            }
            _ => format!("{}/{}", port.port, protocol(&port.protocol)),
        })
        .collect::<Vec<_>>()
        .join(",")
}

impl TableKind for Service {
    const KIND: Kind = Kind::Service;
    const COLUMNS: &'static [Column] = &[
        Column::name("NAME"),
        Column::new("TYPE"),
        Column::new("CLUSTER-IP"),
        Column::new("EXTERNAL-IP"),
        Column::new("PORT(S)"),
        Column::new("AGE"),
        Column::wide("SELECTOR"),
    ];

    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }

    fn cells(&self, now: Time, _wide: bool) -> Vec<String> {
        let cluster_ip = if self.spec.cluster_ip.is_empty() {
            "<none>".to_string()
        } else {
            self.spec.cluster_ip.clone()
        };
        // No cloud load balancer in the lab: a LoadBalancer service waits forever.
        let external_ip = match self.spec.type_ {
            ServiceType::ClusterIP | ServiceType::NodePort => "<none>",
            ServiceType::LoadBalancer => "<pending>",
        };
        let ports = port_string(&self.spec.ports);
        vec![
            self.metadata.name.clone(),
            service_type_name(self.spec.type_).to_string(),
            cluster_ip,
            external_ip.to_string(),
            if ports.is_empty() {
                "<none>".to_string()
            } else {
                ports
            },
            translate_timestamp_since(self.metadata.creation_timestamp, now),
            format_labels(&self.spec.selector),
        ]
    }
}

impl TableKind for Endpoints {
    const KIND: Kind = Kind::Endpoints;
    const COLUMNS: &'static [Column] = &[
        Column::name("NAME"),
        Column::new("ENDPOINTS"),
        Column::new("AGE"),
    ];

    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }

    fn cells(&self, now: Time, _wide: bool) -> Vec<String> {
        vec![
            self.metadata.name.clone(),
            format_endpoints(self, None),
            translate_timestamp_since(self.metadata.creation_timestamp, now),
        ]
    }
}

/// printers.go `ingressLoadBalancerStatusStringer`: sorted, de-duplicated addresses,
/// comma-joined, clipped to 16 characters outside `-o wide`.
pub fn ingress_address(ingress: &Ingress, wide: bool) -> String {
    let addresses: BTreeSet<&str> = ingress
        .status
        .load_balancer_ips
        .iter()
        .map(String::as_str)
        .filter(|ip| !ip.is_empty())
        .collect();
    let joined = addresses.into_iter().collect::<Vec<_>>().join(",");
    if !wide && joined.chars().count() > LOAD_BALANCER_WIDTH {
        let clipped: String = joined.chars().take(LOAD_BALANCER_WIDTH - 3).collect();
        return format!("{clipped}...");
    }
    joined
}

/// printers.go `formatHosts`: up to three hosts, `*` when no rule names one.
fn ingress_hosts(ingress: &Ingress) -> String {
    const MAX: usize = 3;
    let rules = &ingress.spec.rules;
    let mut list: Vec<&str> = Vec::new();
    let mut more = false;
    for rule in rules {
        if list.len() == MAX {
            more = true;
        }
        let host = rule.host.as_deref().unwrap_or("");
        if !more && !host.is_empty() {
            list.push(host);
        }
    }
    if list.is_empty() {
        return "*".to_string();
    }
    let joined = list.join(",");
    if more {
        format!("{joined} + {} more...", rules.len().saturating_sub(MAX))
    } else {
        joined
    }
}

impl TableKind for Ingress {
    const KIND: Kind = Kind::Ingress;
    const COLUMNS: &'static [Column] = &[
        Column::name("NAME"),
        Column::new("CLASS"),
        Column::new("HOSTS"),
        Column::new("ADDRESS"),
        Column::new("PORTS"),
        Column::new("AGE"),
    ];

    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }

    fn cells(&self, now: Time, wide: bool) -> Vec<String> {
        vec![
            self.metadata.name.clone(),
            self.spec
                .ingress_class_name
                .clone()
                .unwrap_or_else(|| "<none>".to_string()),
            ingress_hosts(self),
            ingress_address(self, wide),
            // The lab has no TLS section: plain HTTP only.
            "80".to_string(),
            translate_timestamp_since(self.metadata.creation_timestamp, now),
        ]
    }
}

/// `Normal` / `Warning`.
pub fn event_type_name(type_: EventType) -> &'static str {
    match type_ {
        EventType::Normal => "Normal",
        EventType::Warning => "Warning",
    }
}

impl TableKind for Event {
    const KIND: Kind = Kind::Event;
    const COLUMNS: &'static [Column] = &[
        Column::new("LAST SEEN"),
        Column::new("TYPE"),
        Column::new("REASON"),
        Column::new("OBJECT"),
        Column::wide("SUBOBJECT"),
        Column::wide("SOURCE"),
        Column::new("MESSAGE"),
        Column::wide("FIRST SEEN"),
        Column::wide("COUNT"),
        Column::wide_name("NAME"),
    ];

    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }

    fn cells(&self, now: Time, _wide: bool) -> Vec<String> {
        let first_seen = translate_timestamp_since(self.first_timestamp, now);
        let last_seen = match self.last_timestamp {
            None => first_seen.clone(),
            some => translate_timestamp_since(some, now),
        };
        // Singleton events may carry no count.
        let count = if self.count == 0 { 1 } else { self.count };
        let kind = self.involved_object.kind.to_lowercase();
        let object = if self.involved_object.name.is_empty() {
            kind
        } else {
            format!("{kind}/{}", self.involved_object.name)
        };
        vec![
            last_seen,
            event_type_name(self.type_).to_string(),
            self.reason.clone(),
            object,
            String::new(),
            self.source.clone(),
            self.message.trim().to_string(),
            first_seen,
            count.to_string(),
            self.metadata.name.clone(),
        ]
    }
}

/// describe.go `findNodeRoles`: `node-role.kubernetes.io/<role>` labels and the legacy
/// `kubernetes.io/role` label, sorted; `<none>` when there are none.
pub fn node_roles(node: &Node) -> String {
    let mut roles = BTreeSet::new();
    for (key, value) in &node.metadata.labels {
        if let Some(role) = key.strip_prefix("node-role.kubernetes.io/") {
            if !role.is_empty() {
                roles.insert(role.to_string());
            }
        } else if key == "kubernetes.io/role" && !value.is_empty() {
            roles.insert(value.clone());
        }
    }
    if roles.is_empty() {
        return "<none>".to_string();
    }
    roles.into_iter().collect::<Vec<_>>().join(",")
}

impl TableKind for Node {
    const KIND: Kind = Kind::Node;
    const COLUMNS: &'static [Column] = &[
        Column::name("NAME"),
        Column::new("STATUS"),
        Column::new("ROLES"),
        Column::new("AGE"),
        Column::new("VERSION"),
        Column::wide("INTERNAL-IP"),
        Column::wide("EXTERNAL-IP"),
        Column::wide("OS-IMAGE"),
        Column::wide("KERNEL-VERSION"),
        Column::wide("CONTAINER-RUNTIME"),
    ];

    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }

    fn cells(&self, now: Time, _wide: bool) -> Vec<String> {
        let internal_ip = if self.internal_ip.is_empty() {
            "<none>".to_string()
        } else {
            self.internal_ip.clone()
        };
        vec![
            self.metadata.name.clone(),
            // The simulated nodes never fail.
            "Ready".to_string(),
            node_roles(self),
            translate_timestamp_since(self.metadata.creation_timestamp, now),
            NODE_VERSION.to_string(),
            internal_ip,
            "<none>".to_string(),
            NODE_OS_IMAGE.to_string(),
            NODE_KERNEL_VERSION.to_string(),
            NODE_CONTAINER_RUNTIME.to_string(),
        ]
    }
}

impl TableKind for Namespace {
    const KIND: Kind = Kind::Namespace;
    const COLUMNS: &'static [Column] = &[
        Column::name("NAME"),
        Column::new("STATUS"),
        Column::new("AGE"),
    ];

    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }

    fn cells(&self, now: Time, _wide: bool) -> Vec<String> {
        let phase = if self.metadata.deletion_timestamp.is_some() {
            "Terminating"
        } else {
            "Active"
        };
        vec![
            self.metadata.name.clone(),
            phase.to_string(),
            translate_timestamp_since(self.metadata.creation_timestamp, now),
        ]
    }
}
