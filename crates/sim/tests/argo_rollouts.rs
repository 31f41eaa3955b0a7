//! The Argo Rollouts controller against upstream's getting-started guide: the basic canary
//! (steps 20/40/60/80 with pauses, promote, abort, rollback to stable) and blue-green.

mod common;

use common::{apply, promote_rollout, set_rollout_image};
use rollout_sim::addons::argo_rollouts::ArgoRolloutsAddon;
use rollout_sim::clock::Duration;
use rollout_sim::cluster::{Cluster, ObjectKey};
use rollout_sim::manifest::parse_manifests_for;
use rollout_sim::objects::{Kind, Object, Rollout, RolloutPhase};

const CANARY: &str = "apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: rollouts-demo
spec:
  replicas: 5
  strategy:
    canary:
      steps:
      - setWeight: 20
      - pause: {}
      - setWeight: 40
      - pause: {duration: 10}
      - setWeight: 60
      - pause: {duration: 10}
      - setWeight: 80
      - pause: {duration: 10}
  revisionHistoryLimit: 2
  selector:
    matchLabels:
      app: rollouts-demo
  template:
    metadata:
      labels:
        app: rollouts-demo
    spec:
      containers:
      - name: rollouts-demo
        image: argoproj/rollouts-demo:blue
        ports:
        - name: http
          containerPort: 8080
          protocol: TCP
        resources:
          requests:
            memory: 32Mi
            cpu: 5m
---
apiVersion: v1
kind: Service
metadata:
  name: rollouts-demo
spec:
  ports:
  - port: 80
    targetPort: http
    protocol: TCP
    name: http
  selector:
    app: rollouts-demo
";

/// The same Rollout running the course's demoapp (the flow tests need pods that start).
fn demoapp_canary() -> String {
    CANARY
        .replace("argoproj/rollouts-demo:blue", "ikubernetes/demoapp:v1.0")
        .replace("containerPort: 8080", "containerPort: 80")
}

fn cluster_with(manifest: &str) -> Cluster {
    let mut cluster = Cluster::new(7);
    cluster.install(Box::new(ArgoRolloutsAddon::default()));
    apply(&mut cluster, manifest);
    cluster
}

fn rollout(cluster: &Cluster, name: &str) -> Rollout {
    cluster.store().rollouts[&ObjectKey::new("default", name)].clone()
}

/// `revision:spec/available` for each ReplicaSet, in revision order.
fn replica_sets(cluster: &Cluster) -> Vec<String> {
    let mut rows: Vec<(String, String)> = cluster
        .store()
        .replica_sets
        .values()
        .map(|rs| {
            let revision = rs.metadata.annotations["rollout.argoproj.io/revision"].clone();
            let row = format!(
                "{revision}:{}/{}",
                rs.spec.replicas, rs.status.available_replicas
            );
            (revision, row)
        })
        .collect();
    rows.sort();
    rows.into_iter().map(|(_, row)| row).collect()
}

fn set_image(cluster: &mut Cluster, image: &str) {
    set_rollout_image(cluster, "rollouts-demo", "rollouts-demo", image);
}

fn promote(cluster: &mut Cluster) {
    promote_rollout(cluster, "rollouts-demo");
}

fn phase(ro: &Rollout) -> (RolloutPhase, String) {
    (ro.status.phase.expect("a phase"), ro.status.message.clone())
}

#[test]
fn the_first_deploy_skips_the_steps_and_names_the_replica_set_by_argos_hash() {
    // Argo's hash of the getting-started template (FNV-1a of Go's json.Marshal).
    let cluster = cluster_with(CANARY);
    let names: Vec<&String> = cluster
        .store()
        .replica_sets
        .values()
        .map(|rs| &rs.metadata.name)
        .collect();
    assert_eq!(names, vec!["rollouts-demo-5cd66ff7ff"]);

    let mut cluster = cluster_with(&demoapp_canary());
    cluster.advance(Duration::from_secs(60));
    let ro = rollout(&cluster, "rollouts-demo");
    let stable = ro.status.stable_rs.clone();
    assert_eq!(replica_sets(&cluster), vec!["1:5/5"]);
    assert!(cluster.store().replica_sets.contains_key(&ObjectKey::new(
        "default",
        &format!("rollouts-demo-{stable}")
    )));
    assert_eq!(ro.status.current_step_index, Some(8));
    assert_eq!(phase(&ro), (RolloutPhase::Healthy, String::new()));
    let service = &cluster.store().services[&ObjectKey::new("default", "rollouts-demo")];
    assert_eq!(
        service.spec.selector.get("rollouts-pod-template-hash"),
        None
    );
}

#[test]
fn a_canary_update_steps_through_weights_and_pauses() {
    let mut cluster = cluster_with(&demoapp_canary());
    cluster.advance(Duration::from_secs(60));
    set_image(&mut cluster, "ikubernetes/demoapp:v1.1");
    cluster.advance(Duration::from_secs(30));
    let ro = rollout(&cluster, "rollouts-demo");
    assert_eq!(replica_sets(&cluster), vec!["1:4/4", "2:1/1"]);
    assert_eq!(ro.status.current_step_index, Some(1));
    assert_eq!(phase(&ro), (RolloutPhase::Paused, "CanaryPauseStep".into()));
    // Paused indefinitely: time alone changes nothing.
    cluster.advance(Duration::from_secs(300));
    assert_eq!(
        rollout(&cluster, "rollouts-demo").status.current_step_index,
        Some(1)
    );

    promote(&mut cluster);
    cluster.advance(Duration::from_secs(5));
    assert_eq!(replica_sets(&cluster), vec!["1:3/3", "2:2/2"]);
    assert_eq!(
        rollout(&cluster, "rollouts-demo").status.current_step_index,
        Some(3)
    );
    // The timed pauses resume by themselves: 40 → 60 → 80 → 100.
    cluster.advance(Duration::from_secs(120));
    let ro = rollout(&cluster, "rollouts-demo");
    assert_eq!(replica_sets(&cluster), vec!["1:0/0", "2:5/5"]);
    assert_eq!(ro.status.stable_rs, ro.status.current_pod_hash);
    assert_eq!(ro.status.current_step_index, Some(8));
    assert_eq!(phase(&ro), (RolloutPhase::Healthy, String::new()));
    let reasons: Vec<String> = cluster
        .events()
        .iter()
        .filter(|e| e.involved_object.kind == "Rollout")
        .map(|e| format!("{}: {}", e.reason, e.message))
        .collect();
    assert!(
        reasons.contains(&format!(
            "RolloutCompleted: Rollout completed update to revision 2 ({}): Completed all 8 canary steps",
            ro.status.stable_rs
        )),
        "{reasons:#?}"
    );
}

#[test]
fn an_abort_returns_to_stable_and_degrades_until_the_image_goes_back() {
    let mut cluster = cluster_with(&demoapp_canary());
    cluster.advance(Duration::from_secs(60));
    set_image(&mut cluster, "ikubernetes/demoapp:v1.1");
    cluster.advance(Duration::from_secs(30));
    cluster
        .patch_rollout_status("default", "rollouts-demo", |status| status.abort = true)
        .expect("exists");
    cluster.advance(Duration::from_secs(30));
    let ro = rollout(&cluster, "rollouts-demo");
    assert_eq!(replica_sets(&cluster), vec!["1:5/5", "2:0/0"]);
    assert_eq!(
        phase(&ro),
        (
            RolloutPhase::Degraded,
            "RolloutAborted: Rollout aborted update to revision 2".into()
        )
    );
    assert_eq!(ro.status.current_step_index, Some(0));
    set_image(&mut cluster, "ikubernetes/demoapp:v1.0");
    cluster.advance(Duration::from_secs(10));
    let ro = rollout(&cluster, "rollouts-demo");
    assert_eq!(phase(&ro), (RolloutPhase::Healthy, String::new()));
    assert_eq!(ro.status.current_step_index, Some(8));
}

const BLUE_GREEN: &str = "apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: rollout-bluegreen
spec:
  replicas: 2
  revisionHistoryLimit: 2
  selector:
    matchLabels:
      app: rollout-bluegreen
  template:
    metadata:
      labels:
        app: rollout-bluegreen
    spec:
      containers:
      - name: rollouts-demo
        image: ikubernetes/demoapp:v1.0
        imagePullPolicy: Always
        ports:
        - containerPort: 80
  strategy:
    blueGreen:
      activeService: rollout-bluegreen-active
      previewService: rollout-bluegreen-preview
      autoPromotionEnabled: false
---
kind: Service
apiVersion: v1
metadata:
  name: rollout-bluegreen-active
spec:
  selector:
    app: rollout-bluegreen
  ports:
  - protocol: TCP
    port: 80
    targetPort: 80
---
kind: Service
apiVersion: v1
metadata:
  name: rollout-bluegreen-preview
spec:
  selector:
    app: rollout-bluegreen
  ports:
  - protocol: TCP
    port: 80
    targetPort: 80
";

fn selector_hash(cluster: &Cluster, service: &str) -> String {
    cluster.store().services[&ObjectKey::new("default", service)]
        .spec
        .selector
        .get("rollouts-pod-template-hash")
        .cloned()
        .unwrap_or_default()
}

#[test]
fn blue_green_previews_the_new_version_and_switches_on_promotion() {
    let mut cluster = cluster_with(BLUE_GREEN);
    cluster.advance(Duration::from_secs(60));
    let ro = rollout(&cluster, "rollout-bluegreen");
    let blue = ro.status.stable_rs.clone();
    assert_eq!(phase(&ro), (RolloutPhase::Healthy, String::new()));
    assert_eq!(selector_hash(&cluster, "rollout-bluegreen-active"), blue);
    assert_eq!(selector_hash(&cluster, "rollout-bluegreen-preview"), blue);

    cluster
        .update(Kind::Rollout, "default", "rollout-bluegreen", |object| {
            if let Object::Rollout(ro) = object {
                ro.set_image("rollouts-demo", "ikubernetes/demoapp:v1.1");
            }
        })
        .expect("exists");
    cluster.advance(Duration::from_secs(60));
    let ro = rollout(&cluster, "rollout-bluegreen");
    let green = ro.status.current_pod_hash.clone();
    assert_ne!(green, blue);
    assert_eq!(phase(&ro), (RolloutPhase::Paused, "BlueGreenPause".into()));
    assert_eq!(replica_sets(&cluster), vec!["1:2/2", "2:2/2"]);
    assert_eq!(selector_hash(&cluster, "rollout-bluegreen-active"), blue);
    assert_eq!(selector_hash(&cluster, "rollout-bluegreen-preview"), green);

    cluster
        .patch_rollout_status("default", "rollout-bluegreen", |status| {
            status.pause_conditions.clear()
        })
        .expect("exists");
    cluster.advance(Duration::from_secs(1));
    let ro = rollout(&cluster, "rollout-bluegreen");
    assert_eq!(selector_hash(&cluster, "rollout-bluegreen-active"), green);
    assert_eq!(ro.status.stable_rs, green);
    assert_eq!(phase(&ro), (RolloutPhase::Healthy, String::new()));
    // The old ReplicaSet stays up for scaleDownDelaySeconds (30 s), marked with its deadline.
    assert_eq!(replica_sets(&cluster), vec!["1:2/2", "2:2/2"]);
    let old = &cluster.store().replica_sets
        [&ObjectKey::new("default", &format!("rollout-bluegreen-{blue}"))];
    assert!(old.metadata.annotations.contains_key("scale-down-deadline"));
    cluster.advance(Duration::from_secs(31));
    assert_eq!(replica_sets(&cluster), vec!["1:0/0", "2:2/2"]);
}

const NGINX_CANARY: &str = "apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: rollouts-demo
spec:
  replicas: 1
  strategy:
    canary:
      canaryService: rollouts-demo-canary
      stableService: rollouts-demo-stable
      trafficRouting:
        nginx:
          stableIngress: rollouts-demo-stable
      steps:
      - setWeight: 5
      - pause: {}
  revisionHistoryLimit: 2
  selector:
    matchLabels:
      app: rollouts-demo
  template:
    metadata:
      labels:
        app: rollouts-demo
    spec:
      containers:
      - name: rollouts-demo
        image: ikubernetes/demoapp:v1.0
        ports:
        - name: http
          containerPort: 80
          protocol: TCP
---
apiVersion: v1
kind: Service
metadata:
  name: rollouts-demo-canary
spec:
  ports:
  - port: 80
    targetPort: http
    protocol: TCP
    name: http
  selector:
    app: rollouts-demo
---
apiVersion: v1
kind: Service
metadata:
  name: rollouts-demo-stable
spec:
  ports:
  - port: 80
    targetPort: http
    protocol: TCP
    name: http
  selector:
    app: rollouts-demo
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: rollouts-demo-stable
spec:
  ingressClassName: nginx
  rules:
  - host: rollouts-demo.local
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: rollouts-demo-stable
            port:
              name: http
";

#[test]
fn a_traffic_routed_canary_writes_the_weight_into_its_canary_ingress() {
    let mut cluster = cluster_with(NGINX_CANARY);
    cluster.advance(Duration::from_secs(60));
    let stable = rollout(&cluster, "rollouts-demo").status.stable_rs.clone();
    assert_eq!(selector_hash(&cluster, "rollouts-demo-stable"), stable);
    assert_eq!(selector_hash(&cluster, "rollouts-demo-canary"), stable);
    set_image(&mut cluster, "ikubernetes/demoapp:v1.1");
    cluster.advance(Duration::from_secs(30));
    let ro = rollout(&cluster, "rollouts-demo");
    let canary = ro.status.current_pod_hash.clone();
    // Traffic routed: the stable keeps its one pod, the canary gets ceil(5% of 1) = 1.
    assert_eq!(replica_sets(&cluster), vec!["1:1/1", "2:1/1"]);
    assert_eq!(phase(&ro), (RolloutPhase::Paused, "CanaryPauseStep".into()));
    let weights = ro.status.canary.weights.clone().expect("weights");
    assert_eq!((weights.canary.weight, weights.stable.weight), (5, 95));
    assert_eq!(selector_hash(&cluster, "rollouts-demo-canary"), canary);
    assert_eq!(selector_hash(&cluster, "rollouts-demo-stable"), stable);
    let ingress = &cluster.store().ingresses
        [&ObjectKey::new("default", "rollouts-demo-rollouts-demo-stable-canary")];
    assert_eq!(
        ingress.metadata.annotations["nginx.ingress.kubernetes.io/canary"],
        "true"
    );
    assert_eq!(
        ingress.metadata.annotations["nginx.ingress.kubernetes.io/canary-weight"],
        "5"
    );
    let backend = ingress.spec.rules[0].http.as_ref().unwrap().paths[0]
        .backend
        .service
        .as_ref()
        .unwrap();
    assert_eq!(backend.name, "rollouts-demo-canary");

    // Promote: weight 100, then the stable becomes the canary and the weight goes back to 0;
    // the old ReplicaSet waits its scaleDownDelaySeconds.
    promote(&mut cluster);
    cluster.advance(Duration::from_secs(5));
    let ro = rollout(&cluster, "rollouts-demo");
    assert_eq!(ro.status.stable_rs, canary);
    assert_eq!(selector_hash(&cluster, "rollouts-demo-stable"), canary);
    let ingress = &cluster.store().ingresses
        [&ObjectKey::new("default", "rollouts-demo-rollouts-demo-stable-canary")];
    assert_eq!(
        ingress.metadata.annotations["nginx.ingress.kubernetes.io/canary-weight"],
        "0"
    );
    assert_eq!(replica_sets(&cluster), vec!["1:1/1", "2:1/1"]);
    cluster.advance(Duration::from_secs(40));
    assert_eq!(replica_sets(&cluster), vec!["1:0/0", "2:1/1"]);
    assert_eq!(
        phase(&rollout(&cluster, "rollouts-demo")),
        (RolloutPhase::Healthy, String::new())
    );
}

const WORKLOAD_REF: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: demoapp
spec:
  replicas: 3
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
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: demoapp
spec:
  replicas: 3
  workloadRef:
    apiVersion: apps/v1
    kind: Deployment
    name: demoapp
    scaleDown: progressively
  strategy:
    canary:
      steps:
      - setWeight: 50
      - pause: {}
";

#[test]
fn a_rollout_takes_over_a_deployment_by_workload_ref() {
    let mut cluster = cluster_with(WORKLOAD_REF);
    cluster.advance(Duration::from_secs(90));
    let ro = rollout(&cluster, "demoapp");
    assert_eq!(phase(&ro), (RolloutPhase::Healthy, String::new()));
    // The stored Rollout still has no template of its own; it follows the Deployment's
    // generation (which its own scale-down moved).
    assert!(ro.spec.template.is_null());
    let deployment = &cluster.store().deployments[&ObjectKey::new("default", "demoapp")];
    assert_eq!(deployment.spec.replicas, 0);
    let generation = deployment.metadata.generation.to_string();
    assert_eq!(
        ro.metadata.annotations["rollout.argoproj.io/workload-generation"],
        generation
    );
    assert_eq!(ro.status.workload_observed_generation, generation);
    let pods: Vec<&String> = cluster
        .store()
        .pods
        .values()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .map(|p| &p.metadata.name)
        .collect();
    assert_eq!(pods.len(), 3, "{pods:?}");
    assert!(pods
        .iter()
        .all(|name| name.starts_with(&format!("demoapp-{}", ro.status.stable_rs))));
}

#[test]
fn a_missing_workload_is_an_invalid_spec() {
    let rollout_only = WORKLOAD_REF.split("---\n").nth(1).expect("two documents");
    let mut cluster = cluster_with(rollout_only);
    cluster.advance(Duration::from_secs(5));
    let ro = rollout(&cluster, "demoapp");
    assert_eq!(
        phase(&ro),
        (
            RolloutPhase::Degraded,
            "InvalidSpec: The Rollout \"demoapp\" is invalid: spec.workloadRef: Invalid value: &ObjectRef{APIVersion:apps/v1,Kind:Deployment,Name:demoapp,ScaleDown:progressively,}: deployments.apps \"demoapp\" not found".into()
        )
    );
}

#[test]
fn a_restart_replaces_every_pod_a_few_at_a_time() {
    let mut cluster = cluster_with(&demoapp_canary());
    cluster.advance(Duration::from_secs(60));
    let before: Vec<String> = cluster
        .store()
        .pods
        .values()
        .map(|p| p.metadata.name.clone())
        .collect();
    let now = cluster.now();
    cluster
        .update(Kind::Rollout, "default", "rollouts-demo", |object| {
            if let Object::Rollout(ro) = object {
                ro.spec.restart_at = Some(now);
            }
        })
        .expect("exists");
    let ro = rollout(&cluster, "rollouts-demo");
    assert_eq!(
        phase(&ro),
        (RolloutPhase::Progressing, "rollout is restarting".into())
    );
    cluster.advance(Duration::from_secs(300));
    let after: Vec<String> = cluster
        .store()
        .pods
        .values()
        .map(|p| p.metadata.name.clone())
        .collect();
    assert_eq!(after.len(), 5);
    assert!(
        after.iter().all(|name| !before.contains(name)),
        "{before:?} {after:?}"
    );
    let ro = rollout(&cluster, "rollouts-demo");
    assert_eq!(ro.status.restarted_at, Some(now));
    assert_eq!(phase(&ro), (RolloutPhase::Healthy, String::new()));
}

#[test]
fn the_crd_schema_rejects_what_the_api_server_rejects() {
    let cluster = cluster_with("");
    let served = |kind| cluster.serves(kind);
    let error = |text: &str| -> String {
        match parse_manifests_for(text, "ro.yaml", &served).remove(0) {
            Ok(_) => "accepted".into(),
            Err(error) => error.message(rollout_sim::api::Verb::Creating),
        }
    };
    let head = "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: ro\n";
    assert_eq!(
        error(&format!(
            "{head}spec:\n  strategy:\n    blueGreen:\n      previewService: p\n"
        )),
        "The Rollout \"ro\" is invalid: spec.strategy.blueGreen.activeService: Required value"
    );
    assert_eq!(
        error(&format!("{head}spec:\n  replicas: many\n")),
        "The Rollout \"ro\" is invalid: spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\""
    );
    assert_eq!(
        error(&format!("{head}spec:\n  strategy:\n    canary:\n      steps:\n      - setWieght: 20\n")),
        "Error from server (BadRequest): error when creating \"ro.yaml\": Rollout in version \"v1alpha1\" cannot be handled as a Rollout: strict decoding error: unknown field \"spec.strategy.canary.steps[0].setWieght\""
    );
    assert_eq!(
        error(head),
        "The Rollout \"ro\" is invalid: spec: Required value"
    );
}

/// `key: name=value …` of each explained Rollout event, oldest first.
fn explained(cluster: &Cluster) -> Vec<String> {
    cluster
        .events()
        .iter()
        .filter(|e| e.involved_object.kind == "Rollout")
        .filter_map(|e| e.explanation.as_ref())
        .map(|x| {
            let values: Vec<String> = x.values.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{}: {}", x.key, values.join(" "))
        })
        .collect()
}

#[test]
fn the_controllers_events_carry_the_numbers_behind_each_pause_step_abort_and_promotion() {
    let mut cluster = cluster_with(&demoapp_canary());
    cluster.advance(Duration::from_secs(60));
    let blue = rollout(&cluster, "rollouts-demo").status.stable_rs;
    set_image(&mut cluster, "ikubernetes/demoapp:v1.1");
    cluster.advance(Duration::from_secs(30));
    let green = rollout(&cluster, "rollouts-demo").status.current_pod_hash;
    // The first pause's explanation, before a later pause folds into its event.
    let paused = explained(&cluster);
    assert_eq!(
        paused.last().map(String::as_str),
        Some("rollout.paused: canary_pods=1 pods=5 rollout=rollouts-demo step=2 steps=8 weight=20")
    );
    promote(&mut cluster);
    cluster.advance(Duration::from_secs(5));
    let stable = format!("rollouts-demo-{blue}");
    let canary = format!("rollouts-demo-{green}");
    // The second pause repeats the first one's event, so it folds into it (count 2), which
    // now explains the newer pause.
    assert_eq!(
        explained(&cluster),
        vec![
            format!("rollout.first_stable: replica_set={stable} rollout=rollouts-demo"),
            format!("rollout.step_weight: canary={canary} canary_pods=1 pods=5 rollout=rollouts-demo stable_pods=4 step=1 steps=8 weight=20"),
            "rollout.paused_timed: canary_pods=2 pods=5 rollout=rollouts-demo seconds=10 step=4 steps=8 weight=40".into(),
            "rollout.step_promoted: rollout=rollouts-demo step=2 steps=8".into(),
            format!("rollout.step_weight: canary={canary} canary_pods=2 pods=5 rollout=rollouts-demo stable_pods=3 step=3 steps=8 weight=40"),
        ]
    );
    cluster.advance(Duration::from_secs(10));
    let last = explained(&cluster);
    assert!(
        last.contains(
            &"rollout.step_pause_over: rollout=rollouts-demo seconds=10 step=4 steps=8".to_string()
        ),
        "{last:#?}"
    );

    cluster
        .patch_rollout_status("default", "rollouts-demo", |status| status.abort = true)
        .expect("exists");
    cluster.advance(Duration::from_secs(30));
    let last = explained(&cluster);
    assert_eq!(
        last.last().map(String::as_str),
        Some(
            format!("rollout.aborted: canary={canary} rollout=rollouts-demo stable={stable}")
                .as_str()
        )
    );

    set_image(&mut cluster, "ikubernetes/demoapp:v1.2");
    cluster.advance(Duration::from_secs(30));
    promote(&mut cluster);
    cluster.advance(Duration::from_secs(200));
    let promoted: Vec<String> = explained(&cluster)
        .into_iter()
        .filter(|e| e.starts_with("rollout.promoted"))
        .collect();
    assert_eq!(promoted.len(), 1, "{promoted:#?}");
    assert!(
        promoted[0].contains(&format!("old={stable}")),
        "{promoted:#?}"
    );
}

#[test]
fn blue_green_events_explain_the_preview_and_the_switch() {
    let mut cluster = cluster_with(BLUE_GREEN);
    cluster.advance(Duration::from_secs(60));
    cluster
        .update(Kind::Rollout, "default", "rollout-bluegreen", |object| {
            if let Object::Rollout(ro) = object {
                ro.set_image("rollouts-demo", "ikubernetes/demoapp:v1.1");
            }
        })
        .expect("exists");
    cluster.advance(Duration::from_secs(60));
    cluster
        .patch_rollout_status("default", "rollout-bluegreen", |status| {
            status.pause_conditions.clear()
        })
        .expect("exists");
    cluster.advance(Duration::from_secs(1));
    let keys: Vec<String> = explained(&cluster)
        .iter()
        .map(|e| e.split(':').next().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        keys,
        vec![
            "rollout.switch_service",
            "rollout.first_stable",
            "rollout.switch_service",
            "rollout.switch_service",
            "rollout.bluegreen_paused",
            "rollout.switch_service",
            "rollout.bluegreen_promoted",
        ]
    );
}
