//! Argo Rollouts with the Gateway API plugin (`argoproj-labs/gatewayAPI`) in a cluster with
//! Envoy Gateway: the HTTPRoute's weights at each step, the managed header route added and
//! removed (on completion and on abort), and the errors the plugin and the controller give.

mod common;

use common::{apply, promote_rollout, set_rollout_image};
use rollout_sim::addons::argo_rollouts::ArgoRolloutsAddon;
use rollout_sim::addons::gateway_api::EnvoyGatewayAddon;
use rollout_sim::clock::Duration;
use rollout_sim::cluster::{Cluster, ObjectKey};
use rollout_sim::objects::Kind;
use serde_json::Value;

const PLUGIN: &str = "argoproj-labs/gatewayAPI";

const OBJECTS: &str = "apiVersion: gateway.networking.k8s.io/v1
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
    app: demoapp
  ports:
  - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: canary
spec:
  selector:
    app: demoapp
  ports:
  - port: 80
";

const ROUTE: &str = "apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: demoapp
spec:
  parentRefs:
  - name: web
  rules:
  - backendRefs:
    - name: stable
      port: 80
    - name: canary
      port: 80
";

const ROLLOUT: &str = "apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: demoapp
spec:
  replicas: 4
  selector:
    matchLabels:
      app: demoapp
  template:
    metadata:
      labels:
        app: demoapp
    spec:
      containers:
      - name: demoapp
        image: ikubernetes/demoapp:v1.0
  strategy:
    canary:
      stableService: stable
      canaryService: canary
      trafficRouting:
        managedRoutes:
        - name: testers
        plugins:
          argoproj-labs/gatewayAPI:
            httpRoute: demoapp
      steps:
      - setWeight: 20
      - setHeaderRoute:
          name: testers
          match:
          - headerName: X-Canary
            headerValue:
              exact: always
      - pause: {}
      - setWeight: 60
      - pause: {}
";

fn cluster(plugins: &[&str], route: bool, rollout: &str) -> Cluster {
    let mut cluster = Cluster::new(3);
    cluster.install(Box::new(
        ArgoRolloutsAddon::default().with_traffic_router_plugins(plugins),
    ));
    cluster.install(Box::new(EnvoyGatewayAddon::new()));
    apply(&mut cluster, OBJECTS);
    if route {
        apply(&mut cluster, ROUTE);
    }
    apply(&mut cluster, rollout);
    cluster.advance(Duration::from_secs(30));
    cluster
}

fn route_spec(cluster: &Cluster) -> Value {
    cluster
        .store()
        .custom(Kind::HTTPRoute, "default", "demoapp")
        .expect("the route")
        .spec()
        .clone()
}

/// `name=weight` of every backendRef, rule by rule.
fn weights(cluster: &Cluster) -> Vec<String> {
    let spec = route_spec(cluster);
    spec["rules"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|rule| {
            rule["backendRefs"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|b| format!("{}={}", b["name"].as_str().unwrap_or(""), b["weight"]))
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect()
}

fn rule_names(cluster: &Cluster) -> Vec<Value> {
    route_spec(cluster)["rules"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| r.get("name").cloned().unwrap_or(Value::Null))
        .collect()
}

fn set_image(cluster: &mut Cluster, image: &str) {
    set_rollout_image(cluster, "demoapp", "demoapp", image);
}

fn promote(cluster: &mut Cluster) {
    promote_rollout(cluster, "demoapp");
}

fn warnings(cluster: &Cluster) -> Vec<String> {
    cluster
        .events()
        .iter()
        .filter(|e| e.involved_object.kind == "Rollout" && e.reason == "TrafficRoutingError")
        .map(|e| e.message.clone())
        .collect()
}

fn replicas(cluster: &Cluster) -> i32 {
    cluster
        .store()
        .replica_sets
        .values()
        .map(|rs| rs.spec.replicas)
        .sum()
}

#[test]
fn the_route_weights_follow_the_steps_and_the_header_route_comes_and_goes() {
    let mut cluster = cluster(&[PLUGIN], true, ROLLOUT);
    assert_eq!(weights(&cluster), ["stable=100,canary=0"]);
    set_image(&mut cluster, "ikubernetes/demoapp:v1.1");
    cluster.advance(Duration::from_secs(30));
    // setWeight 20, setHeaderRoute, then the pause.
    assert_eq!(weights(&cluster), ["stable=80,canary=20", "canary=1"]);
    assert_eq!(rule_names(&cluster), [Value::Null, Value::from("testers")]);
    let route = cluster
        .store()
        .custom(Kind::HTTPRoute, "default", "demoapp")
        .unwrap();
    assert_eq!(
        route
            .metadata
            .labels
            .get("rollouts.argoproj.io/gatewayapi-canary")
            .map(String::as_str),
        Some("in-progress")
    );
    promote(&mut cluster);
    cluster.advance(Duration::from_secs(30));
    assert_eq!(weights(&cluster), ["stable=40,canary=60", "canary=1"]);
    promote(&mut cluster);
    cluster.advance(Duration::from_secs(60));
    assert_eq!(weights(&cluster), ["stable=100,canary=0"]);
    let route = cluster
        .store()
        .custom(Kind::HTTPRoute, "default", "demoapp")
        .unwrap();
    assert!(
        route.metadata.labels.is_empty(),
        "{:?}",
        route.metadata.labels
    );
    let ro = &cluster.store().rollouts[&ObjectKey::new("default", "demoapp")];
    assert_eq!(ro.status.stable_rs, ro.status.current_pod_hash);
    assert!(warnings(&cluster).is_empty(), "{:?}", warnings(&cluster));
}

#[test]
fn an_abort_sends_everything_to_stable_and_removes_the_managed_routes() {
    let mut cluster = cluster(&[PLUGIN], true, ROLLOUT);
    set_image(&mut cluster, "ikubernetes/demoapp:v1.1");
    cluster.advance(Duration::from_secs(30));
    assert_eq!(weights(&cluster), ["stable=80,canary=20", "canary=1"]);
    cluster
        .patch_rollout_status("default", "demoapp", |status| status.abort = true)
        .expect("exists");
    cluster.advance(Duration::from_secs(30));
    assert_eq!(weights(&cluster), ["stable=100,canary=0"]);
}

#[test]
fn a_missing_route_stops_the_sync_with_the_plugins_error() {
    let mut cluster = cluster(&[PLUGIN], false, ROLLOUT);
    // The first sync wrote the status; the next one stops at the traffic routing, before
    // any ReplicaSet is scaled, as upstream's returned error does: the initial deploy is
    // fully promoted, and `RemoveManagedRoutes` fails to get the route (no event: only
    // `SetWeight`'s errors are recorded).
    assert_eq!(replicas(&cluster), 0);
    assert!(warnings(&cluster).is_empty(), "{:?}", warnings(&cluster));
    // Creating the route lets the next sync through.
    apply(&mut cluster, ROUTE);
    cluster.advance(Duration::from_secs(30));
    assert_eq!(replicas(&cluster), 4);
    assert_eq!(weights(&cluster), ["stable=100,canary=0"]);
}

#[test]
fn a_backend_not_in_the_route_is_the_plugins_error_event() {
    let rollout = ROLLOUT.replace("canaryService: canary", "canaryService: missing");
    let mut cluster = cluster(&[PLUGIN], true, &rollout);
    apply(
        &mut cluster,
        "apiVersion: v1
kind: Service
metadata:
  name: missing
spec:
  selector:
    app: demoapp
  ports:
  - port: 80
",
    );
    cluster.advance(Duration::from_secs(30));
    assert_eq!(
        warnings(&cluster),
        ["failed to set weight via plugin: backendRef was not found in httpRoute"]
    );
    // The stable's pods came up first (with none available the weights are not set yet);
    // the route keeps the weights the API server defaulted.
    assert_eq!(replicas(&cluster), 4);
    assert_eq!(weights(&cluster), ["stable=1,canary=1"]);
    // The work queue retries the failed sync by itself, backing off from 1 ms to every
    // 10 s: at least six more in a minute (the lab's other wake-ups sync it too).
    let before = error_count(&cluster);
    assert!(
        before > 10,
        "{before}: the first retries come within milliseconds"
    );
    cluster.advance(Duration::from_secs(60));
    let after = error_count(&cluster);
    assert!(after >= before + 6, "{before} -> {after}");
}

/// The count of the Rollout's `TrafficRoutingError` event (repeats are counted in one).
fn error_count(cluster: &Cluster) -> i32 {
    cluster
        .events()
        .iter()
        .find(|e| e.reason == "TrafficRoutingError")
        .map_or(0, |e| e.count)
}

#[test]
fn a_plugin_not_in_the_config_stops_the_rollout_without_an_event() {
    let cluster = cluster(&[], true, ROLLOUT);
    assert_eq!(replicas(&cluster), 0);
    assert!(warnings(&cluster).is_empty());
    assert_eq!(weights(&cluster), ["stable=1,canary=1"]);
}

#[test]
fn a_header_route_step_needs_its_name_in_managed_routes() {
    let without = ROLLOUT.replace("        managedRoutes:\n        - name: testers\n", "");
    let first = cluster(&[PLUGIN], true, &without);
    let ro = &first.store().rollouts[&ObjectKey::new("default", "demoapp")];
    assert_eq!(
        ro.status.message,
        "InvalidSpec: The Rollout \"demoapp\" is invalid: spec.strategy.trafficRouting.managedRoutes: Required value: Rollout has missing field 'spec.strategy.canary.trafficRouting.managedRoutes'"
    );
    let other = ROLLOUT.replace("        - name: testers\n", "        - name: others\n");
    let cluster = cluster(&[PLUGIN], true, &other);
    let ro = &cluster.store().rollouts[&ObjectKey::new("default", "demoapp")];
    assert_eq!(
        ro.status.message,
        "InvalidSpec: The Rollout \"demoapp\" is invalid: spec.strategy.steps[1].setHeaderRoute: Invalid value: \"testers\": Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes"
    );
}
