//! The editor's stale-file warning, from the kubectl layer's side: which fields an apply of a
//! file would set back (`rollout_kubectl::cmd::overwrites`).

use rollout_kubectl::cmd::overwrites::{overwrites, Overwrite};
use rollout_kubectl::lab::Lab;
use rollout_sim::clock::Duration;

const FILE: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: demoapp
        image: ikubernetes/demoapp:v1.0
        resources:
          requests: {cpu: \"0.1\"}
";

fn lab_with(lines: &[&str]) -> Lab {
    let mut lab = Lab::headless(1);
    let wait = Duration::from_secs(60);
    let applied = lab.run_lines(&format!("cat <<'EOF' > web.yaml\n{FILE}EOF"), wait);
    assert_eq!(applied.status, 0, "{applied:?}");
    for line in lines {
        let ran = lab.run_line(line, wait);
        assert_eq!(ran.status, 0, "{line}: {ran:?}");
    }
    lab
}

#[test]
fn a_file_written_before_set_image_would_set_the_image_back() {
    let lab = lab_with(&[
        "kubectl apply -f web.yaml",
        "kubectl set image deployment/web demoapp=ikubernetes/demoapp:v1.1",
    ]);
    assert_eq!(
        overwrites(lab.cluster(), FILE, "default"),
        vec![Overwrite {
            object: "deployment.apps/web".into(),
            path: "spec.template.spec.containers[0].image".into(),
            live: "ikubernetes/demoapp:v1.1".into(),
            file: "ikubernetes/demoapp:v1.0".into(),
        }]
    );
}

#[test]
fn an_edit_made_in_the_file_alone_is_no_surprise() {
    let lab = lab_with(&["kubectl apply -f web.yaml"]);
    assert_eq!(overwrites(lab.cluster(), FILE, "default"), vec![]);
    let edited = FILE.replace("replicas: 2", "replicas: 5");
    assert_eq!(overwrites(lab.cluster(), &edited, "default"), vec![]);
    // Nor is a new object, or a file that does not decode.
    assert_eq!(
        overwrites(
            lab.cluster(),
            &FILE.replace("name: web", "name: other"),
            "default"
        ),
        vec![]
    );
    assert_eq!(overwrites(lab.cluster(), "kind: [", "default"), vec![]);
}

#[test]
fn a_scale_is_set_back_and_quantities_compare_by_value() {
    let lab = lab_with(&[
        "kubectl apply -f web.yaml",
        "kubectl scale deployment/web --replicas=4",
    ]);
    let found = overwrites(lab.cluster(), FILE, "default");
    let fields: Vec<_> = found
        .iter()
        .map(|o| (o.path.as_str(), o.live.as_str(), o.file.as_str()))
        .collect();
    assert_eq!(fields, vec![("spec.replicas", "4", "2")]);
}

#[test]
fn without_the_annotation_every_differing_field_counts() {
    let lab = lab_with(&["kubectl create -f web.yaml"]);
    let edited = FILE.replace("replicas: 2", "replicas: 3");
    let found = overwrites(lab.cluster(), &edited, "default");
    let fields: Vec<_> = found.iter().map(|o| o.path.as_str()).collect();
    assert_eq!(fields, vec!["spec.replicas"]);
}
