//! `kubectl describe service` (describe.go `describeService`).

use super::{describe_events, print_annotations_multiline, PrefixWriter, LEVEL_0};
use crate::printers::format::{format_endpoints, format_labels};
use crate::printers::kinds::{protocol, service_type_name};
use rollout_sim::clock::Time;
use rollout_sim::objects::{Endpoints, Event, IntOrString, Service, ServiceType, SessionAffinity};

/// Describes `service` with its `endpoints` (the Endpoints object of the same name, if
/// any) and the events about it.
pub fn describe_service(
    service: &Service,
    endpoints: Option<&Endpoints>,
    events: &[Event],
    now: Time,
) -> String {
    let no_endpoints = Endpoints::default();
    let endpoints = endpoints.unwrap_or(&no_endpoints);
    let spec = &service.spec;
    let mut w = PrefixWriter::aligned();
    w.write(LEVEL_0, &format!("Name:\t{}\n", service.metadata.name));
    w.write(
        LEVEL_0,
        &format!("Namespace:\t{}\n", service.metadata.namespace),
    );
    super::print_labels_multiline(&mut w, "Labels", &service.metadata.labels);
    print_annotations_multiline(&mut w, "Annotations", &service.metadata.annotations);
    w.write(
        LEVEL_0,
        &format!("Selector:\t{}\n", format_labels(&spec.selector)),
    );
    w.write(
        LEVEL_0,
        &format!("Type:\t{}\n", service_type_name(spec.type_)),
    );
    // The API server's defaults for a single-stack IPv4 cluster.
    w.write(LEVEL_0, "IP Family Policy:\tSingleStack\n");
    w.write(LEVEL_0, "IP Families:\tIPv4\n");
    w.write(LEVEL_0, &format!("IP:\t{}\n", spec.cluster_ip));
    if spec.cluster_ip.is_empty() {
        w.write(LEVEL_0, "IPs:\t<none>\n");
    } else {
        w.write(LEVEL_0, &format!("IPs:\t{}\n", spec.cluster_ip));
    }
    for port in &spec.ports {
        let name = port.name.as_deref().unwrap_or("");
        let shown_name = if name.is_empty() { "<unset>" } else { name };
        let proto = protocol(&port.protocol);
        w.write(
            LEVEL_0,
            &format!("Port:\t{shown_name}\t{}/{proto}\n", port.port),
        );
        let target = match &port.target_port {
            Some(IntOrString::Int(n)) => n.to_string(),
            Some(IntOrString::String(s)) => s.clone(),
            // Defaulted to the service port by the API server.
            None => port.port.to_string(),
        };
        w.write(LEVEL_0, &format!("TargetPort:\t{target}/{proto}\n"));
        if let Some(node_port) = port.node_port.filter(|&n| n != 0) {
            w.write(
                LEVEL_0,
                &format!("NodePort:\t{shown_name}\t{node_port}/{proto}\n"),
            );
        }
        w.write(
            LEVEL_0,
            &format!(
                "Endpoints:\t{}\n",
                format_endpoints(endpoints, Some(&[name]))
            ),
        );
    }
    let affinity = match spec.session_affinity {
        SessionAffinity::None => "None",
        SessionAffinity::ClientIP => "ClientIP",
    };
    w.write(LEVEL_0, &format!("Session Affinity:\t{affinity}\n"));
    if matches!(
        spec.type_,
        ServiceType::NodePort | ServiceType::LoadBalancer
    ) {
        w.write(LEVEL_0, "External Traffic Policy:\tCluster\n");
    }
    describe_events(&mut w, events, now);
    w.finish()
}
