//! The Gateway API's kinds, served by the Envoy Gateway add-on: strict decoding, the CRDs'
//! defaults and validation messages, and the status conditions its controller writes.

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

fn apply(cluster: &mut Cluster, text: &str) {
    for object in parse(cluster, text) {
        cluster
            .apply(object.expect("the manifest decodes"))
            .expect("the API accepts it");
    }
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
