//! `kubectl describe endpoints` (describe.go `describeEndpoints`).

use super::{
    describe_events, print_annotations_multiline, print_labels_multiline, PrefixWriter, LEVEL_0,
    LEVEL_1, LEVEL_2,
};
use crate::printers::kinds::protocol;
use rollout_sim::clock::Time;
use rollout_sim::objects::{EndpointAddress, Endpoints, Event};

/// Describes `endpoints`: every subset's ready and not-ready addresses and ports.
pub fn describe_endpoints(endpoints: &Endpoints, events: &[Event], now: Time) -> String {
    let mut w = PrefixWriter::aligned();
    w.write(LEVEL_0, &format!("Name:\t{}\n", endpoints.metadata.name));
    w.write(
        LEVEL_0,
        &format!("Namespace:\t{}\n", endpoints.metadata.namespace),
    );
    print_labels_multiline(&mut w, "Labels", &endpoints.metadata.labels);
    print_annotations_multiline(&mut w, "Annotations", &endpoints.metadata.annotations);
    w.write(LEVEL_0, "Subsets:\n");
    for subset in &endpoints.subsets {
        w.write(
            LEVEL_1,
            &format!("Addresses:\t{}\n", ip_list(&subset.addresses)),
        );
        w.write(
            LEVEL_1,
            &format!(
                "NotReadyAddresses:\t{}\n",
                ip_list(&subset.not_ready_addresses)
            ),
        );
        if !subset.ports.is_empty() {
            w.write(LEVEL_1, "Ports:\n");
            w.write(LEVEL_2, "Name\tPort\tProtocol\n");
            w.write(LEVEL_2, "----\t----\t--------\n");
            for port in &subset.ports {
                let name = port
                    .name
                    .as_deref()
                    .filter(|n| !n.is_empty())
                    .unwrap_or("<unset>");
                w.write(
                    LEVEL_2,
                    &format!("{name}\t{}\t{}\n", port.port, protocol(&port.protocol)),
                );
            }
        }
        w.write(LEVEL_0, "\n");
    }
    describe_events(&mut w, events, now);
    w.finish()
}

/// Comma-joined IPs, `<none>` when empty.
fn ip_list(addresses: &[EndpointAddress]) -> String {
    let ips: Vec<&str> = addresses.iter().map(|a| a.ip.as_str()).collect();
    if ips.is_empty() {
        "<none>".to_string()
    } else {
        ips.join(",")
    }
}
