//! `kubectl describe ingress` (describe.go `describeIngressV1`).

use super::{
    describe_events, print_annotations_multiline, print_labels_multiline, PrefixWriter, LEVEL_0,
    LEVEL_1, LEVEL_2,
};
use crate::printers::format::format_endpoints;
use crate::printers::kinds::ingress_address;
use rollout_sim::clock::Time;
use rollout_sim::objects::{Endpoints, Event, Ingress, IngressBackend, Service};

/// Describes `ingress`. Each backend is shown with the endpoints behind it, looked up by
/// service name in `services` and `endpoints` (the namespace's objects).
pub fn describe_ingress(
    ingress: &Ingress,
    services: &[Service],
    endpoints: &[Endpoints],
    events: &[Event],
    now: Time,
) -> String {
    let namespace = &ingress.metadata.namespace;
    let backend_text =
        |backend: &IngressBackend| describe_backend(backend, namespace, services, endpoints);
    let mut w = PrefixWriter::aligned();
    w.write(LEVEL_0, &format!("Name:\t{}\n", ingress.metadata.name));
    print_labels_multiline(&mut w, "Labels", &ingress.metadata.labels);
    w.write(LEVEL_0, &format!("Namespace:\t{namespace}\n"));
    w.write(
        LEVEL_0,
        &format!("Address:\t{}\n", ingress_address(ingress, true)),
    );
    let class = ingress
        .spec
        .ingress_class_name
        .as_deref()
        .unwrap_or("<none>");
    w.write(LEVEL_0, &format!("Ingress Class:\t{class}\n"));
    let default_backend = ingress
        .spec
        .default_backend
        .as_ref()
        .map_or_else(|| "<default>".to_string(), backend_text);
    w.write(LEVEL_0, &format!("Default backend:\t{default_backend}\n"));
    w.write(LEVEL_0, "Rules:\n  Host\tPath\tBackends\n");
    w.write(LEVEL_1, "----\t----\t--------\n");
    let mut count = 0;
    for rule in &ingress.spec.rules {
        let Some(http) = &rule.http else { continue };
        count += 1;
        let host = rule
            .host
            .as_deref()
            .filter(|h| !h.is_empty())
            .unwrap_or("*");
        w.write(LEVEL_1, &format!("{host}\t\n"));
        for path in &http.paths {
            w.write(
                LEVEL_2,
                &format!(
                    "\t{} \t{}\n",
                    path.path.as_deref().unwrap_or(""),
                    backend_text(&path.backend)
                ),
            );
        }
    }
    if count == 0 {
        w.write(LEVEL_1, &format!("*\t*\t{default_backend}\n"));
    }
    print_annotations_multiline(&mut w, "Annotations", &ingress.metadata.annotations);
    describe_events(&mut w, events, now);
    w.finish()
}

/// `describeBackendV1`: `service:port (endpoints)`, or the lookup error kubectl shows.
fn describe_backend(
    backend: &IngressBackend,
    namespace: &str,
    services: &[Service],
    endpoints: &[Endpoints],
) -> String {
    let Some(service_backend) = &backend.service else {
        return String::new();
    };
    let name = &service_backend.name;
    let port = &service_backend.port;
    let port_text = match port.number.filter(|&n| n != 0) {
        Some(number) => number.to_string(),
        None => port.name.clone().unwrap_or_default(),
    };
    let stringer = format!("{name}:{port_text}");
    let in_namespace =
        |meta: &rollout_sim::objects::ObjectMeta| &meta.name == name && meta.namespace == namespace;
    let Some(eps) = endpoints.iter().find(|e| in_namespace(&e.metadata)) else {
        return format!("{stringer} (<error: endpoints \"{name}\" not found>)");
    };
    let Some(service) = services.iter().find(|s| in_namespace(&s.metadata)) else {
        // kubectl really prints no space before the parenthesis here.
        return format!("{stringer}(<error: services \"{name}\" not found>)");
    };
    let mut port_name = "";
    for service_port in &service.spec.ports {
        let service_port_name = service_port.name.as_deref().unwrap_or("");
        let number_matches = port
            .number
            .is_some_and(|n| n != 0 && n == service_port.port);
        let name_matches = port
            .name
            .as_deref()
            .is_some_and(|n| !n.is_empty() && n == service_port_name);
        if number_matches || name_matches {
            port_name = service_port_name;
        }
    }
    format!("{stringer} ({})", format_endpoints(eps, Some(&[port_name])))
}
