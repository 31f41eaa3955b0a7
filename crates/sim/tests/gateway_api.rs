//! The Gateway API's kinds, served by the Envoy Gateway add-on: strict decoding, the CRDs'
//! defaults and validation messages, and the status conditions its controller writes.

mod common;

use common::apply;
use rollout_sim::addons::gateway_api::EnvoyGatewayAddon;
use rollout_sim::cluster::Cluster;
use rollout_sim::manifest::{parse_manifests_for, to_yaml, ManifestError};
use rollout_sim::objects::{Kind, Object};

const CLASS_AND_GATEWAY: &str = "apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: eg
spec:
  controllerName: gateway.envoyproxy.io/gatewayclass-controller
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: web
spec:
  gatewayClassName: eg
  listeners:
  - name: http
    protocol: HTTP
    port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: stable
spec:
  selector:
    app: demo
  ports:
  - port: 80
";

const ROUTE: &str = "apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: demo
spec:
  parentRefs:
  - name: web
  rules:
  - backendRefs:
    - name: stable
      port: 80
      weight: 90
    - name: canary
      port: 80
      weight: 10
";

fn parse(cluster: &Cluster, text: &str) -> Vec<Result<Object, ManifestError>> {
    parse_manifests_for(text, "f.yaml", &|kind| cluster.serves(kind))
}

fn installed() -> Cluster {
    let mut cluster = Cluster::new(1);
    cluster.install(Box::new(EnvoyGatewayAddon::new()));
    apply(&mut cluster, CLASS_AND_GATEWAY);
    cluster
}

fn yaml(cluster: &Cluster, kind: Kind, name: &str) -> String {
    let namespace = if kind.is_namespaced() { "default" } else { "" };
    to_yaml(&cluster.get(kind, namespace, name).expect("it exists"))
}

fn error(cluster: &Cluster, text: &str) -> String {
    match parse(cluster, text).remove(0) {
        Err(error) => error.to_string(),
        Ok(object) => format!("accepted: {object:?}"),
    }
}

#[test]
fn without_the_addon_the_kinds_are_not_served() {
    let cluster = Cluster::new(1);
    assert_eq!(
        error(&cluster, ROUTE),
        "error: resource mapping not found for name: \"demo\" namespace: \"\" from \"f.yaml\": no matches for kind \"HTTPRoute\" in version \"gateway.networking.k8s.io/v1\"\nensure CRDs are installed first"
    );
}

#[test]
fn the_class_and_gateway_are_accepted_and_programmed() {
    let cluster = installed();
    let class = yaml(&cluster, Kind::GatewayClass, "eg");
    assert!(class.contains("message: Valid GatewayClass"), "{class}");
    assert!(class.contains("reason: Accepted"), "{class}");
    let gateway = yaml(&cluster, Kind::Gateway, "web");
    for wanted in [
        "value: 10.0.0.201",
        "reason: Programmed",
        "message: Address assigned to the Gateway, 1/1 envoy replicas available",
        "message: The Gateway has been scheduled by Envoy Gateway",
        "attachedRoutes: 0",
        // The CRD's default.
        "from: Same",
    ] {
        assert!(gateway.contains(wanted), "{wanted}\n{gateway}");
    }
}

#[test]
fn a_gateway_of_another_controller_waits_for_its_controller() {
    let mut cluster = installed();
    apply(
        &mut cluster,
        "apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: other
spec:
  gatewayClassName: nobody
  listeners:
  - name: http
    protocol: HTTP
    port: 80
",
    );
    let gateway = yaml(&cluster, Kind::Gateway, "other");
    assert!(
        gateway.contains("message: Waiting for controller"),
        "{gateway}"
    );
    assert!(gateway.contains("reason: Pending"), "{gateway}");
    assert!(
        gateway.contains("lastTransitionTime: \"1970-01-01T00:00:00Z\""),
        "{gateway}"
    );
}

#[test]
fn a_missing_backend_is_backend_not_found_and_the_defaults_are_filled_in() {
    let mut cluster = installed();
    apply(&mut cluster, ROUTE);
    let route = yaml(&cluster, Kind::HTTPRoute, "demo");
    for wanted in [
        "reason: BackendNotFound",
        "message: 'Failed to process route rule 0 backendRef 1: service default/canary\n        not found.'",
        "message: Route is accepted",
        "controllerName: gateway.envoyproxy.io/gatewayclass-controller",
        "group: gateway.networking.k8s.io",
        "kind: Service",
        "type: PathPrefix",
    ] {
        assert!(route.contains(wanted), "{wanted}\n{route}");
    }
    let gateway = yaml(&cluster, Kind::Gateway, "web");
    assert!(gateway.contains("attachedRoutes: 1"), "{gateway}");

    // Once the Service exists, every reference resolves.
    apply(
        &mut cluster,
        "apiVersion: v1
kind: Service
metadata:
  name: canary
spec:
  ports:
  - port: 80
",
    );
    let route = yaml(&cluster, Kind::HTTPRoute, "demo");
    assert!(route.contains("reason: ResolvedRefs"), "{route}");
    assert!(
        route.contains("message: Resolved all the Object references for the Route"),
        "{route}"
    );
}

#[test]
fn a_cross_namespace_backend_needs_a_reference_grant() {
    let mut cluster = installed();
    apply(
        &mut cluster,
        "apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  ports:
  - port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
spec:
  parentRefs:
  - name: web
  rules:
  - backendRefs:
    - name: api
      namespace: shop
      port: 8080
",
    );
    let route = yaml(&cluster, Kind::HTTPRoute, "shop");
    assert!(route.contains("reason: RefNotPermitted"), "{route}");
    apply(
        &mut cluster,
        "apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: from-default
  namespace: shop
spec:
  from:
  - group: gateway.networking.k8s.io
    kind: HTTPRoute
    namespace: default
  to:
  - group: \"\"
    kind: Service
",
    );
    let route = yaml(&cluster, Kind::HTTPRoute, "shop");
    assert!(route.contains("reason: ResolvedRefs"), "{route}");
}

#[test]
fn a_route_from_another_namespace_is_not_allowed_by_a_same_namespace_listener() {
    let mut cluster = installed();
    apply(
        &mut cluster,
        "apiVersion: v1
kind: Namespace
metadata:
  name: team
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: r
  namespace: team
spec:
  parentRefs:
  - name: web
    namespace: default
",
    );
    let route = to_yaml(&cluster.get(Kind::HTTPRoute, "team", "r").expect("stored"));
    assert!(route.contains("reason: NotAllowedByListeners"), "{route}");
}

#[test]
fn strict_decoding_and_the_crd_rules_reject_bad_routes() {
    let cluster = installed();
    let unknown = ROUTE.replace("      weight: 10\n", "      weight: 10\n      weigth: 3\n");
    assert_eq!(
        error(&cluster, &unknown),
        "Error from server (BadRequest): error when creating \"f.yaml\": HTTPRoute in version \"v1\" cannot be handled as a HTTPRoute: strict decoding error: unknown field \"spec.rules[0].backendRefs[1].weigth\""
    );
    let heavy = ROUTE.replace("weight: 10", "weight: 1000001");
    assert_eq!(
        error(&cluster, &heavy),
        "The HTTPRoute \"demo\" is invalid: spec.rules[0].backendRefs[1].weight: Invalid value: 1000001: spec.rules[0].backendRefs[1].weight in body should be less than or equal to 1000000"
    );
    let typed = ROUTE.replace("weight: 10", "weight: ten");
    assert_eq!(
        error(&cluster, &typed),
        "The HTTPRoute \"demo\" is invalid: spec.rules[0].backendRefs[1].weight: Invalid value: \"string\": spec.rules[0].backendRefs[1].weight in body must be of type integer: \"string\""
    );
    let no_port = ROUTE.replace("      port: 80\n      weight: 10", "      weight: 10");
    assert_eq!(
        error(&cluster, &no_port),
        "The HTTPRoute \"demo\" is invalid: spec.rules[0].backendRefs[1]: Invalid value: \"object\": Must have port for Service reference"
    );
    let relative = ROUTE.replace(
        "  - backendRefs:",
        "  - matches:\n    - path:\n        value: api\n    backendRefs:",
    );
    assert_eq!(
        error(&cluster, &relative),
        "The HTTPRoute \"demo\" is invalid: spec.rules[0].matches[0].path: Invalid value: \"object\": value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']"
    );
    let method = ROUTE.replace(
        "  - backendRefs:",
        "  - matches:\n    - method: FETCH\n    backendRefs:",
    );
    assert_eq!(
        error(&cluster, &method),
        "The HTTPRoute \"demo\" is invalid: spec.rules[0].matches[0].method: Unsupported value: \"FETCH\": supported values: \"GET\", \"HEAD\", \"POST\", \"PUT\", \"DELETE\", \"CONNECT\", \"OPTIONS\", \"TRACE\", \"PATCH\""
    );
    let nameless = ROUTE.replace("  - name: web\n", "  - sectionName: http\n");
    assert_eq!(
        error(&cluster, &nameless),
        "The HTTPRoute \"demo\" is invalid: spec.parentRefs[0].name: Required value"
    );
}

#[test]
fn editing_a_weight_bumps_the_generation_and_keeps_the_status() {
    let mut cluster = installed();
    apply(&mut cluster, ROUTE);
    apply(&mut cluster, &ROUTE.replace("weight: 90", "weight: 0"));
    let route = yaml(&cluster, Kind::HTTPRoute, "demo");
    assert!(route.contains("generation: 2"), "{route}");
    assert!(route.contains("observedGeneration: 2"), "{route}");
    assert!(route.contains("weight: 0"), "{route}");
}

// The data plane: curl to the Gateway's address.

fn deployment(name: &str, version: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      containers:
      - name: demoapp
        image: ikubernetes/demoapp:{version}
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  selector:
    app: {name}
  ports:
  - port: 80
"
    )
}

fn serving(backends: &[(&str, &str)], route: &str) -> Cluster {
    let mut cluster = installed();
    for (name, version) in backends {
        apply(&mut cluster, &deployment(name, version));
    }
    cluster.advance(rollout_sim::clock::Duration::from_secs(30));
    apply(&mut cluster, route);
    cluster
}

/// The pod that answered, by the name of its Deployment.
fn served_by(cluster: &mut Cluster, url: &str) -> String {
    served_by_with(cluster, &[], url)
}

/// The same, with more curl arguments before the URL.
fn served_by_with(cluster: &mut Cluster, extra: &[&str], url: &str) -> String {
    let mut args: Vec<String> = vec!["-s".into(), "-m".into(), "2".into()];
    args.extend(extra.iter().map(|s| s.to_string()));
    args.push(url.to_string());
    let output = cluster.curl(&args, "default", None);
    let pod = output.routes.last().and_then(|r| r.pod.clone());
    pod.map(|p| p.name.split('-').next().unwrap_or_default().to_string())
        .unwrap_or_default()
}

fn curl(cluster: &mut Cluster, extra: &[&str]) -> String {
    let mut args: Vec<String> = vec!["-s".into(), "-m".into(), "2".into()];
    args.extend(extra.iter().map(|s| s.to_string()));
    if !extra.iter().any(|a| a.starts_with("http")) {
        args.push("http://10.0.0.201/".into());
    }
    cluster.curl(&args, "default", None).stdout()
}

const WEIGHTS: &str = "apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: weighted
spec:
  parentRefs:
  - name: web
  rules:
  - backendRefs:
    - name: v1
      port: 80
      weight: 70
    - name: v2
      port: 80
      weight: 30
    - name: v3
      port: 80
      weight: 0
";

/// The conformance suite's HTTPRouteWeight: 500 requests over weights 70/30/0, each
/// backend's share within 5 points of its weight's, the zero-weight one never chosen.
#[test]
fn weights_split_traffic_as_the_conformance_case_requires() {
    let mut cluster = serving(&[("v1", "v1.0"), ("v2", "v1.1"), ("v3", "v1.2")], WEIGHTS);
    let mut counts = [0u32; 3];
    for _ in 0..500 {
        let body = curl(&mut cluster, &[]);
        for (i, version) in ["v1.0", "v1.1", "v1.2"].iter().enumerate() {
            if body.contains(&format!("demoapp {version} ")) {
                counts[i] += 1;
            }
        }
    }
    assert_eq!(counts.iter().sum::<u32>(), 500, "{counts:?}");
    for (count, expected) in counts.iter().zip([0.7, 0.3, 0.0]) {
        let share = f64::from(*count) / 500.0;
        assert!((share - expected).abs() <= 0.05, "{counts:?}");
    }
    assert_eq!(counts[2], 0);
}

#[test]
fn the_same_seed_routes_the_same_requests() {
    let run = || {
        let mut cluster = serving(&[("v1", "v1.0"), ("v2", "v1.1"), ("v3", "v1.2")], WEIGHTS);
        (0..20).map(|_| curl(&mut cluster, &[])).collect::<Vec<_>>()
    };
    assert_eq!(run(), run());
}

#[test]
fn matches_follow_the_specs_precedence_and_filters_apply() {
    let route = "apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: matches
spec:
  parentRefs:
  - name: web
  rules:
  - backendRefs:
    - name: v1
      port: 80
  - matches:
    - path:
        type: PathPrefix
        value: /api
    backendRefs:
    - name: v2
      port: 80
  - matches:
    - path:
        type: PathPrefix
        value: /api
      headers:
      - name: x-canary
        value: \"true\"
    filters:
    - type: ResponseHeaderModifier
      responseHeaderModifier:
        add:
        - name: x-served-by
          value: canary
    backendRefs:
    - name: v3
      port: 80
  - matches:
    - path:
        type: Exact
        value: /old
    filters:
    - type: RequestRedirect
      requestRedirect:
        path:
          type: ReplaceFullPath
          replaceFullPath: /new
        statusCode: 301
  - matches:
    - path:
        type: PathPrefix
        value: /gone
    backendRefs:
    - name: missing
      port: 80
  - matches:
    - path:
        type: PathPrefix
        value: /empty
    backendRefs:
    - name: empty
      port: 80
";
    let mut cluster = serving(&[("v1", "v1.0"), ("v2", "v1.1"), ("v3", "v1.2")], route);
    apply(
        &mut cluster,
        "apiVersion: v1
kind: Service
metadata:
  name: empty
spec:
  selector:
    app: nothing
  ports:
  - port: 80
",
    );
    assert!(curl(&mut cluster, &[]).contains("demoapp v1.0 "));
    // demoapp answers 404 outside its paths; the route is what counts.
    assert_eq!(served_by(&mut cluster, "http://10.0.0.201/api/x"), "v2");
    assert_eq!(served_by(&mut cluster, "http://10.0.0.201/apix"), "v1");
    let canary = curl(
        &mut cluster,
        &["-i", "-H", "x-canary: true", "http://10.0.0.201/api"],
    );
    assert!(
        canary.contains("HTTP/1.0 404") || canary.contains("HTTP/1.1 404"),
        "{canary}"
    );
    assert!(canary.contains("x-served-by: canary"), "{canary}");
    assert!(canary.contains("server: envoy"), "{canary}");
    let redirect = curl(&mut cluster, &["-i", "http://10.0.0.201/old"]);
    assert!(
        redirect.starts_with("HTTP/1.1 301 Moved Permanently"),
        "{redirect}"
    );
    assert!(
        redirect.contains("location: http://10.0.0.201/new"),
        "{redirect}"
    );
    let invalid = curl(&mut cluster, &["-i", "http://10.0.0.201/gone"]);
    assert!(
        invalid.starts_with("HTTP/1.1 500 Internal Server Error"),
        "{invalid}"
    );
    let unavailable = curl(&mut cluster, &["-i", "http://10.0.0.201/empty"]);
    assert!(
        unavailable.starts_with("HTTP/1.1 503 Service Unavailable"),
        "{unavailable}"
    );
    assert!(
        unavailable.ends_with("no healthy upstream"),
        "{unavailable}"
    );
}

#[test]
fn a_mirrored_request_reaches_the_mirror_and_its_answer_is_dropped() {
    let route = "apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: mirrored
spec:
  parentRefs:
  - name: web
  rules:
  - filters:
    - type: RequestMirror
      requestMirror:
        backendRef:
          name: v2
          port: 80
    backendRefs:
    - name: v1
      port: 80
";
    let mut cluster = serving(&[("v1", "v1.0"), ("v2", "v1.1")], route);
    let before = cluster.requests_answered("v2");
    for _ in 0..3 {
        assert!(curl(&mut cluster, &[]).contains("demoapp v1.0 "));
    }
    cluster.advance(rollout_sim::clock::Duration::from_secs(2));
    assert_eq!(cluster.requests_answered("v2"), before + 3);
    // The mirror logged each copy, as Werkzeug does, though nobody saw its answers.
    let mirror = cluster
        .store()
        .pods
        .values()
        .find(|p| p.metadata.name.starts_with("v2-"))
        .map(|p| p.metadata.name.clone())
        .expect("the mirror's pod");
    let log = cluster
        .container_logs("default", &mirror, "demoapp")
        .expect("its log")
        .current
        .text();
    assert_eq!(
        log.matches("GET / HTTP/1.1\x1b[0m\" 200 -").count(),
        3,
        "{log}"
    );
}

/// Envoy Gateway's `httproute-with-invalid-regex` translator case: Go's `regexp` rejects
/// the pattern, the route is not accepted (reason `UnsupportedValue`, Go's error in the
/// message), still counts as attached, and serves nothing.
#[test]
fn an_invalid_regular_expression_rejects_the_route_with_gos_error() {
    let route = "apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: bad
spec:
  parentRefs:
  - name: web
  rules:
  - matches:
    - path:
        type: RegularExpression
        value: \"*.foo.bar.com\"
    backendRefs:
    - name: v1
      port: 80
";
    let mut cluster = serving(&[("v1", "v1.0")], route);
    let status = yaml(&cluster, Kind::HTTPRoute, "bad");
    for wanted in [
        "reason: UnsupportedValue",
        "status: \"False\"",
        "type: Accepted",
        // Wrapped where Envoy Gateway's own golden output wraps it.
        "message: 'Regex \"*.foo.bar.com\" is invalid: error parsing regexp: missing argument\n        to repetition operator: `*`.'",
    ] {
        assert!(status.contains(wanted), "{wanted}\n{status}");
    }
    assert!(!status.contains("ResolvedRefs"), "{status}");
    let gateway = yaml(&cluster, Kind::Gateway, "web");
    assert!(gateway.contains("attachedRoutes: 1"), "{gateway}");
    let answer = curl(&mut cluster, &["-i", "http://10.0.0.201/x.foo.bar.com"]);
    assert!(answer.starts_with("HTTP/1.1 404 Not Found"), "{answer}");
}

#[test]
fn regular_expressions_match_whole_paths_headers_and_query_values() {
    let route = "apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: regex
spec:
  parentRefs:
  - name: web
  rules:
  - backendRefs:
    - name: v1
      port: 80
  - matches:
    - path:
        type: RegularExpression
        value: /api/v[0-9]+/.*
    backendRefs:
    - name: v2
      port: 80
  - matches:
    - headers:
      - name: x-tester
        type: RegularExpression
        value: (?i)qa-.*
    - queryParams:
      - name: track
        type: RegularExpression
        value: beta|canary
    backendRefs:
    - name: v3
      port: 80
";
    let mut cluster = serving(&[("v1", "v1.0"), ("v2", "v1.1"), ("v3", "v1.2")], route);
    let status = yaml(&cluster, Kind::HTTPRoute, "regex");
    assert!(status.contains("message: Route is accepted"), "{status}");
    // The whole path must match, not a part of it; the query is not part of the path.
    for (url, headers, backend) in [
        ("/api/v2/users", &[][..], "v2"),
        ("/x/api/v2/users", &[], "v1"),
        ("/api/vx/users", &[], "v1"),
        ("/api/v2/u?a=b", &[], "v2"),
        ("/?track=canary", &[], "v3"),
        ("/?track=canary2", &[], "v1"),
        ("/", &["-H", "x-tester: QA-anna"], "v3"),
        ("/", &["-H", "x-tester: dev-anna"], "v1"),
    ] {
        let url = format!("http://10.0.0.201{url}");
        assert_eq!(
            served_by_with(&mut cluster, headers, &url),
            backend,
            "{url} {headers:?}"
        );
    }
}
