//! Small renderings shared by tables and `describe`: label sets, selectors, endpoint lists,
//! container name/image lists. Each mirrors one apimachinery or kubectl helper, named in its
//! doc comment.

use rollout_sim::objects::{Container, Endpoints, LabelSelector};
use std::collections::BTreeMap;

/// apimachinery `labels.FormatLabels`: `k=v` pairs sorted by key, comma-joined; `<none>`
/// for an empty set.
pub fn format_labels(labels: &BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return "<none>".to_string();
    }
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// `labels.Selector.String()`: see [`LabelSelector::selector_string`].
pub fn selector_string(selector: &LabelSelector) -> String {
    selector.selector_string()
}

/// `metav1.FormatLabelSelector`: see [`LabelSelector::format`].
pub fn format_label_selector(selector: &LabelSelector) -> String {
    selector.format()
}

/// Go's `net.JoinHostPort`: IPv6 addresses get brackets.
pub fn join_host_port(host: &str, port: i32) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// kubectl `formatEndpoints`: ready addresses as `ip:port`, at most three, then
/// ` + N more...`; `<none>` when there are no subsets at all. `port_names` limits the ports
/// (describe service passes the service port's name); `None` means every port.
pub fn format_endpoints(endpoints: &Endpoints, port_names: Option<&[&str]>) -> String {
    if endpoints.subsets.is_empty() {
        return "<none>".to_string();
    }
    const MAX: usize = 3;
    let mut list: Vec<String> = Vec::new();
    let mut count = 0usize;
    let mut more = false;
    let mut add = |entry: String, list: &mut Vec<String>| {
        if list.len() == MAX {
            more = true;
        }
        if !more {
            list.push(entry);
        }
    };
    for subset in &endpoints.subsets {
        if subset.ports.is_empty() {
            // Headless services may have no ports: addresses alone.
            for address in &subset.addresses {
                add(address.ip.clone(), &mut list);
                count += 1;
            }
            continue;
        }
        for port in &subset.ports {
            let name = port.name.as_deref().unwrap_or("");
            if port_names.is_some_and(|names| !names.contains(&name)) {
                continue;
            }
            for address in &subset.addresses {
                add(join_host_port(&address.ip, port.port), &mut list);
                count += 1;
            }
        }
    }
    let joined = list.join(",");
    if more {
        format!("{joined} + {} more...", count.saturating_sub(MAX))
    } else {
        joined
    }
}

/// printers.go `layoutContainerCells`: container names and images, comma-joined.
pub fn container_cells(containers: &[Container]) -> (String, String) {
    let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> = containers.iter().map(|c| c.image.as_str()).collect();
    (names.join(","), images.join(","))
}

/// A string cell as the table printer writes it: cut at the first line break, with `...`
/// appended when something was cut.
pub fn table_cell(text: &str) -> String {
    match text.find(['\n', '\r', '\u{c}']) {
        Some(index) => format!("{}...", &text[..index]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rollout_sim::objects::{
        EndpointAddress, EndpointPort, EndpointSubset, LabelSelectorOperator,
        LabelSelectorRequirement,
    };

    fn endpoints(ips: &[&str], not_ready: &[&str], ports: &[i32]) -> Endpoints {
        let address = |ip: &&str| EndpointAddress {
            ip: ip.to_string(),
            ..Default::default()
        };
        Endpoints {
            subsets: vec![EndpointSubset {
                addresses: ips.iter().map(address).collect(),
                not_ready_addresses: not_ready.iter().map(address).collect(),
                ports: ports
                    .iter()
                    .map(|&port| EndpointPort {
                        name: Some("http".into()),
                        port,
                        protocol: "TCP".into(),
                    })
                    .collect(),
            }],
            ..Default::default()
        }
    }

    #[test]
    fn endpoints_show_three_addresses_then_a_count() {
        let ep = endpoints(
            &[
                "10.244.1.2",
                "10.244.2.3",
                "10.244.3.4",
                "10.244.1.5",
                "10.244.2.6",
            ],
            &[],
            &[80],
        );
        assert_eq!(
            format_endpoints(&ep, None),
            "10.244.1.2:80,10.244.2.3:80,10.244.3.4:80 + 2 more..."
        );
        let three = endpoints(&["10.0.0.1", "10.0.0.2", "10.0.0.3"], &[], &[80]);
        assert_eq!(
            format_endpoints(&three, None),
            "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80"
        );
    }

    #[test]
    fn endpoints_without_subsets_are_none_and_with_only_unready_ones_are_empty() {
        assert_eq!(format_endpoints(&Endpoints::default(), None), "<none>");
        assert_eq!(
            format_endpoints(&endpoints(&[], &["10.0.0.1"], &[80]), None),
            ""
        );
    }

    #[test]
    fn endpoints_can_be_limited_to_one_named_port() {
        let ep = endpoints(&["10.0.0.1"], &[], &[80]);
        assert_eq!(format_endpoints(&ep, Some(&["http"])), "10.0.0.1:80");
        assert_eq!(format_endpoints(&ep, Some(&[""])), "");
        assert_eq!(
            format_endpoints(&endpoints(&["fd00::1"], &[], &[80]), None),
            "[fd00::1]:80"
        );
    }

    #[test]
    fn selectors_sort_requirements_by_key() {
        let selector = LabelSelector {
            match_labels: [("release", "stable"), ("app", "demoapp")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            match_expressions: vec![
                LabelSelectorRequirement {
                    key: "tier".into(),
                    operator: LabelSelectorOperator::In,
                    values: vec!["web".into(), "api".into()],
                },
                LabelSelectorRequirement {
                    key: "canary".into(),
                    operator: LabelSelectorOperator::DoesNotExist,
                    values: vec![],
                },
            ],
        };
        assert_eq!(
            selector_string(&selector),
            "app=demoapp,!canary,release=stable,tier in (api,web)"
        );
        assert_eq!(format_label_selector(&LabelSelector::default()), "<none>");
        assert_eq!(selector_string(&LabelSelector::default()), "");
    }

    #[test]
    fn cells_are_cut_at_the_first_line_break() {
        assert_eq!(table_cell("one\ntwo"), "one...");
        assert_eq!(table_cell("plain"), "plain");
    }
}
