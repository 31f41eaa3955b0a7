//! `kubectl describe endpoints` and `endpointslice` (describe.go `describeEndpoints`,
//! `describeEndpointSliceV1`).

use super::{
    describe_events, print_annotations_multiline, print_labels_multiline, PrefixWriter, LEVEL_0,
    LEVEL_1, LEVEL_2, LEVEL_3,
};
use crate::printers::kinds::protocol;
use rollout_sim::clock::Time;
use rollout_sim::objects::{EndpointAddress, EndpointSlice, Endpoints, Event};

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

/// Describes an EndpointSlice: its ports, then each endpoint with its conditions and pod.
pub fn describe_endpoint_slice(slice: &EndpointSlice, events: &[Event], now: Time) -> String {
    let mut w = PrefixWriter::aligned();
    let meta = &slice.metadata;
    w.write(
        LEVEL_0,
        &format!("Name:\t{}\nNamespace:\t{}\n", meta.name, meta.namespace),
    );
    print_labels_multiline(&mut w, "Labels", &meta.labels);
    print_annotations_multiline(&mut w, "Annotations", &meta.annotations);
    w.write(LEVEL_0, &format!("AddressType:\t{}\n", slice.address_type));
    let unset = |v: Option<&str>| v.filter(|s| !s.is_empty()).unwrap_or("<unset>").to_string();
    if slice.ports.is_empty() {
        w.write(LEVEL_0, "Ports: <unset>\n");
    } else {
        w.write(LEVEL_0, "Ports:\n");
        w.write(LEVEL_1, "Name\tPort\tProtocol\n");
        w.write(LEVEL_1, "----\t----\t--------\n");
        for port in &slice.ports {
            let number = port.port.map(|p| p.to_string());
            w.write(
                LEVEL_1,
                &format!(
                    "{}\t{}\t{}\n",
                    unset(port.name.as_deref()),
                    unset(number.as_deref()),
                    port.protocol.as_deref().unwrap_or("")
                ),
            );
        }
    }
    if slice.endpoints.is_empty() {
        w.write(LEVEL_0, "Endpoints: <none>\n");
    } else {
        w.write(LEVEL_0, "Endpoints:\n");
    }
    for endpoint in &slice.endpoints {
        let addresses = endpoint.addresses.join(",");
        let addresses = if addresses.is_empty() {
            "<none>".into()
        } else {
            addresses
        };
        w.write(LEVEL_1, &format!("- Addresses:\t{addresses}\n"));
        w.write(LEVEL_2, "Conditions:\n");
        let ready = endpoint.conditions.ready.map(|r| r.to_string());
        w.write(LEVEL_3, &format!("Ready:\t{}\n", unset(ready.as_deref())));
        w.write(LEVEL_2, "Hostname:\t<unset>\n");
        if let Some(target) = &endpoint.target_ref {
            w.write(
                LEVEL_2,
                &format!("TargetRef:\t{}/{}\n", target.kind, target.name),
            );
        }
        w.write(
            LEVEL_2,
            &format!("NodeName:\t{}\n", unset(endpoint.node_name.as_deref())),
        );
        w.write(LEVEL_2, "Zone:\t<unset>\n");
    }
    describe_events(&mut w, events, now);
    w.finish()
}
