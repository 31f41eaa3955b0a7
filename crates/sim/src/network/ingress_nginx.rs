//! The ingress-nginx controller: Ingress rules become nginx `server`s (one per host) with
//! `location`s (one per path), and a second Ingress marked
//! `nginx.ingress.kubernetes.io/canary: "true"` for the same host and path becomes that
//! location's *alternative backend*.
//!
//! Per request (`balancer.lua`, `route_to_alternative_balancer`) the canary is chosen by
//! header, then cookie, then weight:
//! - `canary-by-header`: value `always` → canary, `never` → main; with
//!   `canary-by-header-value` only that exact value → canary; with
//!   `canary-by-header-pattern` (ignored when a value is set) a regex match → canary. Any
//!   other value falls through.
//! - `canary-by-cookie`: `always` / `never`; other values fall through.
//! - `canary-weight`: canary when `random(1..=total) <= weight`, `total` being
//!   `canary-weight-total` **only if it is above 100** (else 100, as the Lua code does).
//!
//! A backend with no ready endpoints has no balancer: a canary without endpoints is skipped,
//! a main backend without endpoints answers 503. Within a backend, nginx talks to pod IPs
//! directly (not via the ClusterIP), round-robin.

use super::kube_proxy::{ready_endpoints, Endpoint};
use super::pattern::Pattern;
use super::ClusterView;
use crate::objects::{Ingress, IngressServiceBackend, Service, ServicePort};
use crate::rng::Rng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const CANARY: &str = "nginx.ingress.kubernetes.io/canary";
pub const CANARY_BY_HEADER: &str = "nginx.ingress.kubernetes.io/canary-by-header";
pub const CANARY_BY_HEADER_VALUE: &str = "nginx.ingress.kubernetes.io/canary-by-header-value";
pub const CANARY_BY_HEADER_PATTERN: &str = "nginx.ingress.kubernetes.io/canary-by-header-pattern";
pub const CANARY_BY_COOKIE: &str = "nginx.ingress.kubernetes.io/canary-by-cookie";
pub const CANARY_WEIGHT: &str = "nginx.ingress.kubernetes.io/canary-weight";
pub const CANARY_WEIGHT_TOTAL: &str = "nginx.ingress.kubernetes.io/canary-weight-total";
/// The legacy class annotation, still honoured by ingress-nginx.
pub const INGRESS_CLASS_ANNOTATION: &str = "kubernetes.io/ingress.class";

/// The controller's memory between requests: where each backend's round-robin stands.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngressNginx {
    /// `namespace/service:port` → requests sent so far.
    round_robin: BTreeMap<String, u64>,
}

/// Which Ingress path a request matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleMatch<'a> {
    pub ingress: &'a Ingress,
    /// The rule's host; empty for a rule without host (nginx's default server `_`).
    pub host: String,
    /// The path as written in the rule (`/` when omitted).
    pub path: String,
    pub backend: &'a IngressServiceBackend,
}

/// Where the controller sent one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IngressRouting {
    /// No server/location matched: the default backend answers 404.
    NoRule,
    /// A backend was chosen. `endpoint` is `None` when it has no ready endpoint (503).
    Backend {
        /// `namespace/name` of the Ingress whose backend serves the request (the canary one
        /// when `canary` is true).
        ingress: String,
        canary: bool,
        namespace: String,
        service: String,
        endpoint: Option<Endpoint>,
    },
}

/// Which Ingresses this controller serves: `ingressClassName` (or the legacy annotation)
/// equal to `class`, or no class at all when `accept_classless` is set (as when the
/// `nginx` IngressClass is the cluster default).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassFilter {
    pub class: String,
    pub accept_classless: bool,
}

impl Default for ClassFilter {
    fn default() -> Self {
        ClassFilter {
            class: "nginx".to_string(),
            accept_classless: true,
        }
    }
}

impl ClassFilter {
    pub fn serves(&self, ingress: &Ingress) -> bool {
        if ingress.metadata.deletion_timestamp.is_some() {
            return false;
        }
        let class = ingress
            .spec
            .ingress_class_name
            .as_deref()
            .or_else(|| ingress.metadata.annotation(INGRESS_CLASS_ANNOTATION));
        match class {
            Some(class) => class == self.class,
            None => self.accept_classless,
        }
    }
}

pub fn is_canary(ingress: &Ingress) -> bool {
    ingress.metadata.annotation(CANARY) == Some("true")
}

impl IngressNginx {
    /// Routes one request that reached the controller.
    pub fn route(
        &mut self,
        cluster: &impl ClusterView,
        filter: &ClassFilter,
        req: &super::http::Request,
        rng: &mut Rng,
    ) -> IngressRouting {
        let ingresses: Vec<&Ingress> = cluster.ingresses().filter(|i| filter.serves(i)).collect();
        let mains: Vec<&Ingress> = ingresses
            .iter()
            .copied()
            .filter(|i| !is_canary(i))
            .collect();
        let Some(main) = match_rule(&mains, &req.host_name(), req.route_path()) else {
            return IngressRouting::NoRule;
        };
        let main_backend = self.backend_endpoints(cluster, &main);
        let canary = find_canary(&ingresses, &main).and_then(|canary| {
            let endpoints = self.backend_endpoints(cluster, &canary);
            (!endpoints.is_empty()).then_some((canary, endpoints))
        });
        let (chosen, endpoints, is_canary) = match canary {
            Some((canary, endpoints)) if routes_to_canary(canary.ingress, req, rng) => {
                (canary, endpoints, true)
            }
            _ => (main, main_backend, false),
        };
        let namespace = chosen.ingress.metadata.namespace.clone();
        let endpoint = if endpoints.is_empty() {
            None
        } else {
            let key = format!(
                "{namespace}/{}:{}",
                chosen.backend.name,
                port_key(chosen.backend)
            );
            let counter = self.round_robin.entry(key).or_default();
            let index = (*counter % endpoints.len() as u64) as usize;
            *counter = counter.wrapping_add(1);
            endpoints.into_iter().nth(index)
        };
        IngressRouting::Backend {
            ingress: format!("{namespace}/{}", chosen.ingress.metadata.name),
            canary: is_canary,
            namespace,
            service: chosen.backend.name.clone(),
            endpoint,
        }
    }

    fn backend_endpoints(&self, cluster: &impl ClusterView, rule: &RuleMatch<'_>) -> Vec<Endpoint> {
        let namespace = rule.ingress.metadata.namespace.as_str();
        let Some(service) = cluster
            .services()
            .find(|s| s.metadata.namespace == namespace && s.metadata.name == rule.backend.name)
        else {
            return Vec::new();
        };
        let Some(port) = backend_service_port(service, rule.backend) else {
            return Vec::new();
        };
        ready_endpoints(port, cluster.endpoints(namespace, &rule.backend.name))
    }
}

fn port_key(backend: &IngressServiceBackend) -> String {
    match (&backend.port.number, &backend.port.name) {
        (Some(number), _) => number.to_string(),
        (None, Some(name)) => name.clone(),
        (None, None) => String::new(),
    }
}

/// The Service port an Ingress backend names, by number or by name.
pub fn backend_service_port<'a>(
    service: &'a Service,
    backend: &IngressServiceBackend,
) -> Option<&'a ServicePort> {
    service
        .spec
        .ports
        .iter()
        .find(|p| match (&backend.port.number, &backend.port.name) {
            (Some(number), _) => p.port == *number,
            (None, Some(name)) => p.name.as_deref() == Some(name.as_str()),
            (None, None) => false,
        })
}

/// nginx's choice of server and location.
///
/// Server: exact host, else the longest matching wildcard (`*.example.com` matches any
/// depth of subdomain, as nginx `server_name` does), else the rules without host. Location:
/// an `Exact` path equal to the request path wins; otherwise the longest matching prefix —
/// `Prefix` matches whole path elements (`/foo` matches `/foo/bar`, not `/foobar`),
/// `ImplementationSpecific` is a plain string prefix in ingress-nginx.
pub fn match_rule<'a>(ingresses: &[&'a Ingress], host: &str, path: &str) -> Option<RuleMatch<'a>> {
    let rule_hosts: Vec<String> = ingresses
        .iter()
        .flat_map(|i| i.spec.rules.iter())
        .map(|r| r.host.as_deref().unwrap_or("").to_ascii_lowercase())
        .collect();
    let server = if rule_hosts.iter().any(|h| h == host) {
        host.to_string()
    } else {
        rule_hosts
            .iter()
            .filter(|h| {
                h.strip_prefix('*').is_some_and(|suffix| {
                    suffix.starts_with('.') && host.ends_with(suffix) && host.len() > suffix.len()
                })
            })
            .max_by_key(|h| h.len())
            .cloned()
            .unwrap_or_default()
    };
    let path = if path.is_empty() { "/" } else { path };
    let mut best: Option<(u8, usize, RuleMatch<'a>)> = None;
    for ingress in ingresses {
        for rule in &ingress.spec.rules {
            if rule.host.as_deref().unwrap_or("").to_ascii_lowercase() != server {
                continue;
            }
            for entry in rule.http.iter().flat_map(|http| http.paths.iter()) {
                let Some(backend) = entry.backend.service.as_ref() else {
                    continue;
                };
                let rule_path = entry
                    .path
                    .as_deref()
                    .filter(|p| !p.is_empty())
                    .unwrap_or("/");
                let rank = match entry.path_type.as_str() {
                    "Exact" if rule_path == path => 1,
                    "Exact" => continue,
                    "Prefix" if element_prefix(rule_path, path) => 0,
                    "ImplementationSpecific" if path.starts_with(rule_path) => 0,
                    _ => continue,
                };
                let candidate = (rank, rule_path.len());
                if best.as_ref().is_none_or(|(r, l, _)| candidate > (*r, *l)) {
                    best = Some((
                        rank,
                        rule_path.len(),
                        RuleMatch {
                            ingress,
                            host: server.clone(),
                            path: rule_path.to_string(),
                            backend,
                        },
                    ));
                }
            }
        }
    }
    best.map(|(_, _, found)| found)
}

/// `Prefix` semantics: `/foo` and `/foo/` both match `/foo`, `/foo/`, `/foo/bar`.
fn element_prefix(rule: &str, path: &str) -> bool {
    let rule = rule.trim_end_matches('/');
    if rule.is_empty() {
        return true;
    }
    path == rule
        || path
            .strip_prefix(rule)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The canary Ingress declaring the same host and path as `main`, if any. ingress-nginx
/// allows one per location; with several, the first by namespace/name wins.
pub fn find_canary<'a>(ingresses: &[&'a Ingress], main: &RuleMatch<'_>) -> Option<RuleMatch<'a>> {
    let mut canaries: Vec<&'a Ingress> =
        ingresses.iter().copied().filter(|i| is_canary(i)).collect();
    canaries.sort_by(|a, b| {
        (&a.metadata.namespace, &a.metadata.name).cmp(&(&b.metadata.namespace, &b.metadata.name))
    });
    canaries.into_iter().find_map(|ingress| {
        ingress
            .spec
            .rules
            .iter()
            .filter(|rule| {
                rule.host
                    .as_deref()
                    .unwrap_or("")
                    .eq_ignore_ascii_case(&main.host)
            })
            .flat_map(|rule| rule.http.iter().flat_map(|http| http.paths.iter()))
            .find(|entry| {
                entry
                    .path
                    .as_deref()
                    .filter(|p| !p.is_empty())
                    .unwrap_or("/")
                    == main.path
            })
            .and_then(|entry| entry.backend.service.as_ref())
            .map(|backend| RuleMatch {
                ingress,
                host: main.host.clone(),
                path: main.path.clone(),
                backend,
            })
    })
}

/// `route_to_alternative_balancer`: header, then cookie, then weight.
pub fn routes_to_canary(canary: &Ingress, req: &super::http::Request, rng: &mut Rng) -> bool {
    let annotation = |key: &str| canary.metadata.annotation(key).filter(|v| !v.is_empty());
    if let Some(header) = annotation(CANARY_BY_HEADER) {
        let sent = if header.eq_ignore_ascii_case("host") {
            Some(req.host.as_str())
        } else {
            req.headers.get(header)
        };
        if let Some(sent) = sent {
            if let Some(value) = annotation(CANARY_BY_HEADER_VALUE) {
                if sent == value {
                    return true;
                }
            } else if let Some(pattern) = annotation(CANARY_BY_HEADER_PATTERN) {
                if Pattern::compile(pattern).is_some_and(|p| p.is_match(sent)) {
                    return true;
                }
            } else if sent == "always" {
                return true;
            } else if sent == "never" {
                return false;
            }
        }
    }
    if let Some(cookie) = annotation(CANARY_BY_COOKIE) {
        match req.cookie(cookie).as_deref() {
            Some("always") => return true,
            Some("never") => return false,
            _ => {}
        }
    }
    let number = |key: &str| annotation(key).and_then(|v| v.trim().parse::<i64>().ok());
    let weight = number(CANARY_WEIGHT).unwrap_or(0);
    let total = number(CANARY_WEIGHT_TOTAL)
        .filter(|t| *t > 100)
        .unwrap_or(100);
    weight > 0 && rng.between(1, total as u64) as i64 <= weight
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{endpoints, ingress, service, Fixture};
    use super::super::http::Request;
    use super::*;

    const HOST: &str = "demoapp.magedu.com";

    fn canary_cluster(annotations: &[(&str, &str)]) -> Fixture {
        let mut cluster = Fixture::default();
        cluster
            .services
            .push(service("default", "demoapp-v10", "10.96.10.10", 80));
        cluster
            .services
            .push(service("default", "demoapp-v11", "10.96.11.11", 80));
        cluster.endpoints.push(endpoints(
            "default",
            "demoapp-v10",
            &["10.244.1.10", "10.244.2.10"],
            80,
        ));
        cluster
            .endpoints
            .push(endpoints("default", "demoapp-v11", &["10.244.1.11"], 80));
        cluster.ingresses.push(ingress(
            "default",
            "demoapp",
            Some(HOST),
            "/",
            "Prefix",
            "demoapp-v10",
            80,
        ));
        let mut canary = ingress(
            "default",
            "demoapp-canary",
            Some(HOST),
            "/",
            "Prefix",
            "demoapp-v11",
            80,
        );
        canary
            .metadata
            .annotations
            .insert(CANARY.into(), "true".into());
        for (key, value) in annotations {
            canary.metadata.annotations.insert(
                format!("nginx.ingress.kubernetes.io/{key}"),
                value.to_string(),
            );
        }
        cluster.ingresses.push(canary);
        cluster
    }

    fn canary_share(cluster: &Fixture, req: &Request, requests: u32) -> f64 {
        let mut nginx = IngressNginx::default();
        let mut rng = Rng::new(2024);
        let canaries = (0..requests)
            .filter(|_| {
                matches!(
                    nginx.route(cluster, &ClassFilter::default(), req, &mut rng),
                    IngressRouting::Backend { canary: true, .. }
                )
            })
            .count();
        canaries as f64 / f64::from(requests)
    }

    fn request() -> Request {
        Request::get(HOST, "/")
    }

    fn with_header(name: &str, value: &str) -> Request {
        let mut req = request();
        req.headers.push(name, value);
        req
    }

    #[test]
    fn a_weight_of_five_sends_about_five_percent_to_the_canary() {
        let share = canary_share(
            &canary_cluster(&[("canary-weight", "5")]),
            &request(),
            10_000,
        );
        assert!((0.04..=0.06).contains(&share), "{share}");
    }

    #[test]
    fn weight_total_counts_only_above_one_hundred() {
        let cluster = canary_cluster(&[("canary-weight", "5"), ("canary-weight-total", "1000")]);
        let share = canary_share(&cluster, &request(), 20_000);
        assert!((0.002..=0.008).contains(&share), "{share}");
        let cluster = canary_cluster(&[("canary-weight", "5"), ("canary-weight-total", "10")]);
        let share = canary_share(&cluster, &request(), 10_000);
        assert!((0.04..=0.06).contains(&share), "{share}");
    }

    #[test]
    fn zero_and_full_weights_are_never_and_always() {
        assert_eq!(
            canary_share(&canary_cluster(&[("canary-weight", "0")]), &request(), 500),
            0.0
        );
        assert_eq!(
            canary_share(
                &canary_cluster(&[("canary-weight", "100")]),
                &request(),
                500
            ),
            1.0
        );
        assert_eq!(
            canary_share(
                &canary_cluster(&[("canary-weight", "lots")]),
                &request(),
                500
            ),
            0.0
        );
    }

    #[test]
    fn a_header_saying_always_or_never_overrides_the_weight() {
        let cluster = canary_cluster(&[("canary-weight", "50"), ("canary-by-header", "X-Canary")]);
        assert_eq!(
            canary_share(&cluster, &with_header("x-canary", "always"), 500),
            1.0
        );
        assert_eq!(
            canary_share(&cluster, &with_header("X-Canary", "never"), 500),
            0.0
        );
        let other = canary_share(&cluster, &with_header("X-Canary", "maybe"), 2_000);
        assert!(
            (0.45..=0.55).contains(&other),
            "other values fall through to the weight: {other}"
        );
    }

    #[test]
    fn a_header_value_replaces_always_and_other_values_fall_through() {
        let cluster = canary_cluster(&[
            ("canary-by-header", "X-Canary"),
            ("canary-by-header-value", "beta"),
        ]);
        assert_eq!(
            canary_share(&cluster, &with_header("X-Canary", "beta"), 200),
            1.0
        );
        assert_eq!(
            canary_share(&cluster, &with_header("X-Canary", "always"), 200),
            0.0
        );
    }

    #[test]
    fn a_header_pattern_matches_like_a_regex() {
        let cluster = canary_cluster(&[
            ("canary-by-header", "User"),
            ("canary-by-header-pattern", "^(alice|bob)$"),
        ]);
        assert_eq!(
            canary_share(&cluster, &with_header("User", "bob"), 100),
            1.0
        );
        assert_eq!(
            canary_share(&cluster, &with_header("User", "bobby"), 100),
            0.0
        );
        let broken = canary_cluster(&[
            ("canary-by-header", "User"),
            ("canary-by-header-pattern", "("),
        ]);
        assert_eq!(canary_share(&broken, &with_header("User", "bob"), 100), 0.0);
    }

    #[test]
    fn the_cookie_comes_after_the_header() {
        let cluster = canary_cluster(&[
            ("canary-weight", "50"),
            ("canary-by-header", "X-Canary"),
            ("canary-by-cookie", "canary"),
        ]);
        let mut req = with_header("Cookie", "canary=always");
        assert_eq!(canary_share(&cluster, &req, 300), 1.0);
        req.headers.push("X-Canary", "never");
        assert_eq!(
            canary_share(&cluster, &req, 300),
            0.0,
            "the header wins over the cookie"
        );
        let never = with_header("Cookie", "canary=never");
        assert_eq!(
            canary_share(&cluster, &never, 300),
            0.0,
            "the cookie wins over the weight"
        );
    }

    #[test]
    fn a_canary_without_endpoints_is_skipped() {
        let mut cluster = canary_cluster(&[("canary-weight", "100")]);
        cluster.endpoints[1].subsets[0].addresses.clear();
        assert_eq!(canary_share(&cluster, &request(), 100), 0.0);
    }

    #[test]
    fn endpoints_of_the_chosen_backend_take_turns() {
        let cluster = canary_cluster(&[]);
        let mut nginx = IngressNginx::default();
        let mut rng = Rng::new(1);
        let ips: Vec<String> = (0..4)
            .filter_map(|_| {
                match nginx.route(&cluster, &ClassFilter::default(), &request(), &mut rng) {
                    IngressRouting::Backend {
                        endpoint: Some(e), ..
                    } => Some(e.ip),
                    _ => None,
                }
            })
            .collect();
        assert_eq!(
            ips,
            ["10.244.1.10", "10.244.2.10", "10.244.1.10", "10.244.2.10"]
        );
    }

    #[test]
    fn unknown_hosts_and_paths_have_no_rule_and_a_backend_without_endpoints_has_none() {
        let mut cluster = canary_cluster(&[]);
        let mut nginx = IngressNginx::default();
        let mut rng = Rng::new(1);
        let filter = ClassFilter::default();
        assert_eq!(
            nginx.route(&cluster, &filter, &Request::get("other.com", "/"), &mut rng),
            IngressRouting::NoRule
        );
        cluster.endpoints[0].subsets.clear();
        assert!(matches!(
            nginx.route(&cluster, &filter, &request(), &mut rng),
            IngressRouting::Backend {
                endpoint: None,
                canary: false,
                ..
            }
        ));
    }

    #[test]
    fn paths_match_by_type_and_the_longest_wins() {
        let a = ingress("default", "a", Some(HOST), "/", "Prefix", "root", 80);
        let b = ingress("default", "b", Some(HOST), "/api", "Prefix", "api", 80);
        let c = ingress("default", "c", Some(HOST), "/api/v1", "Exact", "exact", 80);
        let d = ingress(
            "default",
            "d",
            Some(HOST),
            "/static",
            "ImplementationSpecific",
            "static",
            80,
        );
        let all = [&a, &b, &c, &d];
        let service_for = |path: &str| match_rule(&all, HOST, path).map(|m| m.backend.name.clone());
        assert_eq!(service_for("/api/v1").as_deref(), Some("exact"));
        assert_eq!(service_for("/api/v1/x").as_deref(), Some("api"));
        assert_eq!(service_for("/api").as_deref(), Some("api"));
        assert_eq!(service_for("/apix").as_deref(), Some("root"));
        assert_eq!(service_for("/staticfiles").as_deref(), Some("static"));
        assert_eq!(match_rule(&[&b], HOST, "/other"), None);
    }

    #[test]
    fn hosts_match_exactly_then_by_wildcard_then_the_catch_all() {
        let exact = ingress(
            "default",
            "exact",
            Some("a.example.com"),
            "/",
            "Prefix",
            "exact",
            80,
        );
        let wild = ingress(
            "default",
            "wild",
            Some("*.example.com"),
            "/",
            "Prefix",
            "wild",
            80,
        );
        let any = ingress("default", "any", None, "/", "Prefix", "any", 80);
        let all = [&exact, &wild, &any];
        let service_for = |host: &str| match_rule(&all, host, "/").map(|m| m.backend.name.clone());
        assert_eq!(service_for("a.example.com").as_deref(), Some("exact"));
        assert_eq!(service_for("b.example.com").as_deref(), Some("wild"));
        assert_eq!(service_for("example.com").as_deref(), Some("any"));
    }

    #[test]
    fn ingresses_of_another_class_are_ignored() {
        let mut cluster = canary_cluster(&[]);
        for ingress in &mut cluster.ingresses {
            ingress.spec.ingress_class_name = Some("traefik".into());
        }
        let routed = IngressNginx::default().route(
            &cluster,
            &ClassFilter::default(),
            &request(),
            &mut Rng::new(1),
        );
        assert_eq!(routed, IngressRouting::NoRule);
    }
}
