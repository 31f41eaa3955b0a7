//! One column table per resource, as printers.go declares them (`podColumnDefinitions`,
//! `replicaSetColumnDefinitions`, …) with the cell rules of `printPod`, `printReplicaSet`,
//! `printDeployment`, `printService`, `printEndpoints`, `printIngress`, `printEvent`,
//! `printNode`, `printNamespace` and `printPodDisruptionBudget`. A kind is a table of columns; one printer
//! ([`super::table`]) reads them all.

use super::duration::translate_timestamp_since;
use super::format::{
    container_cells, format_endpoints, format_label_selector, format_labels, selector_string,
};
use super::pod_status::{phase_name, summarize_pod};
use super::table::{Column, TableKind};
use rollout_sim::objects::{
    AnalysisRun, AnalysisTemplate, ClusterAnalysisTemplate, Container, Deployment, EndpointSlice,
    Endpoints, Event, EventType, HorizontalPodAutoscaler, Ingress, IntOrString, Namespace, Node,
    Pod, PodDisruptionBudget, ReplicaSet, Rollout, Service, ServicePort, ServiceType,
};
use std::collections::BTreeSet;

/// printers.go `loadBalancerWidth`: address lists are clipped to this outside `-o wide`.
const LOAD_BALANCER_WIDTH: usize = 16;

impl TableKind for Pod {
    const COLUMNS: &'static [Column<Self>] = &[
        Column::NAME,
        Column::text("READY", |pod, cx| summarize_pod(pod, cx.now).ready),
        Column::text("STATUS", |pod, cx| summarize_pod(pod, cx.now).status),
        Column::text("RESTARTS", |pod, cx| summarize_pod(pod, cx.now).restarts),
        Column::AGE,
        Column::wide(Column::text("IP", |pod, _| {
            let ip = pod.status.pod_ip.as_deref().filter(|ip| !ip.is_empty());
            ip.unwrap_or("<none>").to_string()
        })),
        Column::wide(Column::text("NODE", |pod, _| or_none(&pod.spec.node_name))),
        Column::wide(Column::text("NOMINATED NODE", |_, _| NONE.to_string())),
        Column::wide(Column::text("READINESS GATES", |_, _| NONE.to_string())),
    ];

    fn selectable_field(&self, label: &str) -> Option<String> {
        let spec = &self.spec;
        Some(match label {
            "spec.nodeName" => spec.node_name.clone(),
            "spec.restartPolicy" => spec.restart_policy.clone().unwrap_or("Always".into()),
            "spec.schedulerName" => spec
                .scheduler_name
                .clone()
                .unwrap_or("default-scheduler".into()),
            "spec.serviceAccountName" => spec
                .service_account_name
                .clone()
                .unwrap_or("default".into()),
            "spec.hostNetwork" => "false".into(),
            "status.phase" => self
                .status
                .phase
                .map(|p| phase_name(Some(p)).to_string())
                .unwrap_or_default(),
            "status.podIP" | "status.podIPs" => self.status.pod_ip.clone().unwrap_or_default(),
            "status.nominatedNodeName" => String::new(),
            _ => return None,
        })
    }
}

/// The workloads whose tables show their pod template's containers and images.
trait Workload {
    fn containers(&self) -> &[Container];
}

impl Workload for ReplicaSet {
    fn containers(&self) -> &[Container] {
        &self.spec.template.spec.containers
    }
}

impl Workload for Deployment {
    fn containers(&self) -> &[Container] {
        &self.spec.template.spec.containers
    }
}

impl TableKind for ReplicaSet {
    const COLUMNS: &'static [Column<Self>] = &[
        Column::NAME,
        Column::integer("DESIRED", |rs, _| rs.spec.replicas.to_string()),
        Column::integer("CURRENT", |rs, _| rs.status.replicas.to_string()),
        Column::integer("READY", |rs, _| rs.status.ready_replicas.to_string()),
        Column::AGE,
        Column::wide(Column::text("CONTAINERS", |w, _| {
            container_cells(w.containers()).0
        })),
        Column::wide(Column::text("IMAGES", |w, _| {
            container_cells(w.containers()).1
        })),
        Column::wide(Column::text("SELECTOR", |rs, _| {
            format_label_selector(&rs.spec.selector)
        })),
    ];

    fn selectable_field(&self, label: &str) -> Option<String> {
        (label == "status.replicas").then(|| self.status.replicas.to_string())
    }
}

impl TableKind for Deployment {
    const COLUMNS: &'static [Column<Self>] = &[
        Column::NAME,
        Column::text("READY", |d, _| {
            format!("{}/{}", d.status.ready_replicas, d.spec.replicas)
        }),
        Column::integer("UP-TO-DATE", |d, _| d.status.updated_replicas.to_string()),
        Column::integer("AVAILABLE", |d, _| d.status.available_replicas.to_string()),
        Column::AGE,
        Column::wide(Column::text("CONTAINERS", |w, _| {
            container_cells(w.containers()).0
        })),
        Column::wide(Column::text("IMAGES", |w, _| {
            container_cells(w.containers()).1
        })),
        // Unlike ReplicaSets, printDeployment prints an empty selector as "".
        Column::wide(Column::text("SELECTOR", |d, _| {
            selector_string(&d.spec.selector)
        })),
    ];
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
    const COLUMNS: &'static [Column<Self>] = &[
        Column::NAME,
        Column::text("TYPE", |svc, _| {
            service_type_name(svc.spec.type_).to_string()
        }),
        Column::text("CLUSTER-IP", |svc, _| or_none(&svc.spec.cluster_ip)),
        // No cloud load balancer in the lab: a LoadBalancer service waits forever.
        Column::text("EXTERNAL-IP", |svc, _| {
            match svc.spec.type_ {
                ServiceType::ClusterIP | ServiceType::NodePort => NONE,
                ServiceType::LoadBalancer => "<pending>",
            }
            .to_string()
        }),
        Column::text("PORT(S)", |svc, _| or_none(&port_string(&svc.spec.ports))),
        Column::AGE,
        Column::wide(Column::text("SELECTOR", |svc, _| {
            format_labels(&svc.spec.selector)
        })),
    ];
}

impl TableKind for Endpoints {
    const COLUMNS: &'static [Column<Self>] = &[
        Column::NAME,
        Column::text("ENDPOINTS", |ep, _| format_endpoints(ep, None)),
        Column::AGE,
    ];
}

impl TableKind for EndpointSlice {
    const COLUMNS: &'static [Column<Self>] = &[
        Column::NAME,
        Column::text("ADDRESSTYPE", |s, _| s.address_type.clone()),
        Column::text("PORTS", |s, _| {
            let ports = s.ports.iter().map(|p| match (p.port, &p.name) {
                (Some(port), _) => port.to_string(),
                (None, Some(name)) => name.clone(),
                (None, None) => "*".into(),
            });
            list_with_more(ports)
        }),
        Column::text("ENDPOINTS", |s, _| {
            list_with_more(s.endpoints.iter().flat_map(|e| e.addresses.iter().cloned()))
        }),
        Column::AGE,
    ];
}

/// printers.go `listWithMoreString`: the first three, `+ N more...`, or `<unset>`.
fn list_with_more(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    let shown = items[..items.len().min(3)].join(",");
    match items.len() {
        0 => "<unset>".into(),
        n if n > 3 => format!("{shown} + {} more...", n - 3),
        _ => shown,
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
    const COLUMNS: &'static [Column<Self>] = &[
        Column::NAME,
        Column::text("CLASS", |ing, _| {
            ing.spec
                .ingress_class_name
                .clone()
                .unwrap_or_else(|| NONE.to_string())
        }),
        Column::text("HOSTS", |ing, _| ingress_hosts(ing)),
        Column::text("ADDRESS", |ing, cx| ingress_address(ing, cx.wide)),
        // The lab has no TLS section: plain HTTP only.
        Column::text("PORTS", |_, _| "80".to_string()),
        Column::AGE,
    ];
}

impl TableKind for PodDisruptionBudget {
    const COLUMNS: &'static [Column<Self>] = &[
        Column::NAME,
        Column::text("MIN AVAILABLE", |pdb, _| {
            int_or_string_or_na(pdb.spec.min_available.as_ref())
        }),
        Column::text("MAX UNAVAILABLE", |pdb, _| {
            int_or_string_or_na(pdb.spec.max_unavailable.as_ref())
        }),
        Column::integer("ALLOWED DISRUPTIONS", |pdb, _| {
            pdb.status.disruptions_allowed.to_string()
        }),
        Column::AGE,
    ];
}

impl TableKind for HorizontalPodAutoscaler {
    const COLUMNS: &'static [Column<Self>] = &[
        Column::NAME,
        Column::text("REFERENCE", |hpa, _| {
            let (kind, name) = hpa.target();
            format!("{kind}/{name}")
        }),
        Column::text("TARGETS", |hpa, _| hpa_targets(hpa)),
        Column::text("MINPODS", |hpa, _| {
            hpa.spec_int("minReplicas")
                .map_or_else(|| "<unset>".to_string(), |m| m.to_string())
        }),
        Column::integer("MAXPODS", |hpa, _| {
            hpa.spec_int("maxReplicas").unwrap_or(0).to_string()
        }),
        Column::integer("REPLICAS", |hpa, _| {
            hpa.status_int("currentReplicas").to_string()
        }),
        Column::AGE,
    ];
}

/// The TARGETS cell (`formatHPAMetrics`, [`HorizontalPodAutoscaler::metrics_text`]). In the
/// page its code is the autoscaling commands' module's (`cmd::autoscaling`), which hands it
/// over once loaded ([`set_hpa_metrics`]); the page holds a line that may list HPAs until then.
pub fn hpa_targets(hpa: &HorizontalPodAutoscaler) -> String {
    #[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
    return HPA_METRICS.with(|f| f.borrow().as_ref().map_or_else(String::new, |f| f(hpa)));
    #[cfg(not(all(target_arch = "wasm32", not(feature = "linked-addons"))))]
    hpa.metrics_text()
}

#[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
thread_local! {
    static HPA_METRICS: std::cell::RefCell<Option<HpaMetrics>> = const { std::cell::RefCell::new(None) };
}

/// What formats an HPA's TARGETS cell.
pub type HpaMetrics = Box<dyn Fn(&HorizontalPodAutoscaler) -> String>;

/// Hands over the TARGETS formatting from the autoscaling module, once it is loaded.
#[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
pub fn set_hpa_metrics(format: HpaMetrics) {
    HPA_METRICS.with(|f| *f.borrow_mut() = Some(format));
}

/// `IntOrString.String()`, or `N/A` for an unset field (`printPodDisruptionBudget`).
fn int_or_string_or_na(value: Option<&IntOrString>) -> String {
    match value {
        Some(value) => int_or_string(value),
        None => "N/A".to_string(),
    }
}

/// `IntOrString.String()`: the number, or the string as written.
pub fn int_or_string(value: &IntOrString) -> String {
    match value {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(text) => text.clone(),
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
    const COLUMNS: &'static [Column<Self>] = &[
        Column::text("LAST SEEN", |ev, cx| match ev.last_timestamp {
            None => translate_timestamp_since(ev.first_timestamp, cx.now),
            some => translate_timestamp_since(some, cx.now),
        }),
        Column::text("TYPE", |ev, _| event_type_name(ev.type_).to_string()),
        Column::text("REASON", |ev, _| ev.reason.clone()),
        Column::text("OBJECT", |ev, _| {
            let kind = ev.involved_object.kind.to_lowercase();
            if ev.involved_object.name.is_empty() {
                kind
            } else {
                format!("{kind}/{}", ev.involved_object.name)
            }
        }),
        Column::wide(Column::text("SUBOBJECT", |_, _| String::new())),
        Column::wide(Column::text("SOURCE", |ev, _| ev.source.clone())),
        Column::text("MESSAGE", |ev, _| ev.message.trim().to_string()),
        Column::wide(Column::text("FIRST SEEN", |ev, cx| {
            translate_timestamp_since(ev.first_timestamp, cx.now)
        })),
        // Singleton events may carry no count.
        Column::wide(Column::integer("COUNT", |ev, _| {
            ev.count.max(1).to_string()
        })),
        Column::wide(Column::NAME),
    ];

    fn selectable_field(&self, label: &str) -> Option<String> {
        let object = &self.involved_object;
        Some(match label {
            "involvedObject.kind" => object.kind.clone(),
            "involvedObject.namespace" => object.namespace.clone(),
            "involvedObject.name" => object.name.clone(),
            "involvedObject.uid" => object.uid.clone(),
            "involvedObject.apiVersion"
            | "involvedObject.resourceVersion"
            | "involvedObject.fieldPath"
            | "reportingComponent" => String::new(),
            "reason" => self.reason.clone(),
            "source" => self.source.clone(),
            "type" => event_type_name(self.type_).to_string(),
            _ => return None,
        })
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
    const COLUMNS: &'static [Column<Self>] = &[
        Column::NAME,
        Column::text("STATUS", |node, _| node_status(node)),
        Column::text("ROLES", |node, _| node_roles(node)),
        Column::AGE,
        Column::text("VERSION", |node, _| {
            node.status.node_info.kubelet_version.clone()
        }),
        Column::wide(Column::text("INTERNAL-IP", |node, _| {
            node_address(node, "InternalIP")
        })),
        Column::wide(Column::text("EXTERNAL-IP", |node, _| {
            node_address(node, "ExternalIP")
        })),
        Column::wide(Column::text("OS-IMAGE", |node, _| {
            or_unknown(&node.status.node_info.os_image)
        })),
        Column::wide(Column::text("KERNEL-VERSION", |node, _| {
            or_unknown(&node.status.node_info.kernel_version)
        })),
        Column::wide(Column::text("CONTAINER-RUNTIME", |node, _| {
            or_unknown(&node.status.node_info.container_runtime_version)
        })),
    ];

    fn selectable_field(&self, label: &str) -> Option<String> {
        (label == "spec.unschedulable").then(|| self.spec.unschedulable.to_string())
    }
}

/// printNode's STATUS: the Ready condition (`Ready`, `NotReady`, or `Unknown` without one),
/// then `SchedulingDisabled` for a cordoned node.
pub fn node_status(node: &Node) -> String {
    let mut status: Vec<String> = node
        .status
        .conditions
        .iter()
        .filter(|c| c.type_ == "Ready")
        .take(1)
        .map(|c| {
            if c.status == "True" {
                "Ready".to_string()
            } else {
                "NotReady".to_string()
            }
        })
        .collect();
    if status.is_empty() {
        status.push("Unknown".to_string());
    }
    if node.spec.unschedulable {
        status.push("SchedulingDisabled".to_string());
    }
    status.join(",")
}

/// printNode's `getNodeInternalIP` / `getNodeExternalIP`: the first such address.
fn node_address(node: &Node, type_: &str) -> String {
    node.status
        .addresses
        .iter()
        .find(|a| a.type_ == type_)
        .map_or_else(|| NONE.to_string(), |a| a.address.clone())
}

fn or_unknown(text: &str) -> String {
    if text.is_empty() {
        "<unknown>".to_string()
    } else {
        text.to_string()
    }
}

impl TableKind for Namespace {
    const COLUMNS: &'static [Column<Self>] = &[
        Column::NAME,
        Column::text("STATUS", |ns, _| {
            match ns.metadata.deletion_timestamp {
                Some(_) => "Terminating",
                None => "Active",
            }
            .to_string()
        }),
        Column::AGE,
    ];

    fn selectable_field(&self, label: &str) -> Option<String> {
        (label == "status.phase").then(|| "Active".to_string())
    }
}

/// The cell printers.go writes for an empty value.
const NONE: &str = "<none>";

fn or_none(value: &str) -> String {
    if value.is_empty() {
        NONE.to_string()
    } else {
        value.to_string()
    }
}

/// A custom resource prints the columns its CRD declares (`additionalPrinterColumns`); a
/// JSONPath that finds nothing (an omitted zero in `status`) leaves its cell empty.
impl TableKind for Rollout {
    const COLUMNS: &'static [Column<Self>] = &[
        Column::NAME,
        Column::integer("DESIRED", |ro, _| {
            ro.spec.replicas.map(|n| n.to_string()).unwrap_or_default()
        }),
        Column::integer("CURRENT", |ro, _| non_zero(ro.status.replicas)),
        Column::integer("UP-TO-DATE", |ro, _| non_zero(ro.status.updated_replicas)),
        Column::integer("AVAILABLE", |ro, _| non_zero(ro.status.available_replicas)),
        Column::AGE,
    ];
}

/// The analysis CRDs' `additionalPrinterColumns`: templates show only their age, a run its
/// `.status.phase` (empty until the controller first reconciles it).
impl TableKind for AnalysisTemplate {
    const COLUMNS: &'static [Column<Self>] = &[Column::NAME, Column::AGE];
}

impl TableKind for ClusterAnalysisTemplate {
    const COLUMNS: &'static [Column<Self>] = &[Column::NAME, Column::AGE];
}

impl TableKind for AnalysisRun {
    const COLUMNS: &'static [Column<Self>] = &[
        Column::NAME,
        Column::text("STATUS", |ar, _| ar.status.phase.as_str().to_string()),
        Column::AGE,
    ];
}

/// An `omitempty` integer as a CRD column reads it: absent when zero.
fn non_zero(n: i32) -> String {
    if n == 0 {
        String::new()
    } else {
        n.to_string()
    }
}
