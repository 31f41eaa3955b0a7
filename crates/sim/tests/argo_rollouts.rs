//! The Argo Rollouts controller against upstream's getting-started guide: the basic canary
//! (steps 20/40/60/80 with pauses, promote, abort, rollback to stable) and blue-green.

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
    cluster.install(Box::new(ArgoRolloutsAddon));
    let served = |kind| cluster.serves(kind);
    let objects = parse_manifests_for(manifest, "rollout.yaml", &served);
    for object in objects {
        cluster.apply(object.expect("parses")).expect("accepted");
    }
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
    cluster
        .update(Kind::Rollout, "default", "rollouts-demo", |object| {
            if let Object::Rollout(ro) = object {
                ro.set_image("rollouts-demo", image);
            }
        })
        .expect("the rollout exists");
}

fn promote(cluster: &mut Cluster) {
    cluster
        .patch_rollout_status("default", "rollouts-demo", |status| {
            status.pause_conditions.clear()
        })
        .expect("the rollout exists");
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
