//! The API server's input side, end to end: manifest text → objects or kubectl's exact
//! error text, defaulting, validation, and `kubectl get -o yaml|json` output.
//!
//! Contents:
//! 1. The course manifests (`tests/manifests/*.yaml`, copied from chapter 8) parse.
//! 2. kubectl's client-side errors: YAML syntax, missing type info, unknown kinds.
//! 3. The API server's strict decoding: unknown fields, wrong types.
//! 4. Validation on create and on update.
//! 5. Defaulting and printing (golden `-o yaml`), and printing → parsing round trips.
//! 6. Mutated manifests never panic and are always answered in kubectl's words.

use rollout_sim::api::{validate_create, validate_update, Verb};
use rollout_sim::clock::Time;
use rollout_sim::manifest::{apply_defaults, parse_manifests, to_json, to_yaml, ManifestError};
use rollout_sim::objects::{IntOrString, Kind, Object, ProbeHandler};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/manifests/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Parses a file that must hold exactly one object, defaulted as the API server would.
fn one(yaml: &str) -> Object {
    let mut results = parse_manifests(yaml, "deploy.yaml");
    assert_eq!(results.len(), 1, "{results:?}");
    let mut object = match results.remove(0) {
        Ok(object) => object,
        Err(err) => panic!("unexpected error: {err}"),
    };
    if object.kind().is_namespaced() && object.metadata().namespace.is_empty() {
        object.metadata_mut().namespace = "default".into();
    }
    apply_defaults(&mut object);
    object
}

/// The last result of parsing `yaml` must be an error printing exactly `expected`.
fn check_error(yaml: &str, expected: &str) {
    let results = parse_manifests(yaml, "deploy.yaml");
    match results.last() {
        Some(Err(err)) => assert_eq!(err.to_string(), expected, "\n{yaml}"),
        other => panic!("expected an error for\n{yaml}\ngot {other:?}"),
    }
}

/// `yaml` parses, but validation on create rejects it with exactly `expected`.
fn check_invalid(yaml: &str, expected: &str) {
    let object = one(yaml);
    match validate_create(&object) {
        Err(err) => assert_eq!(err.to_string(), expected, "\n{yaml}"),
        Ok(()) => panic!("expected {expected}\nfor\n{yaml}"),
    }
}

fn check_valid(yaml: &str) {
    let object = one(yaml);
    if let Err(err) = validate_create(&object) {
        panic!("{err}\n{yaml}");
    }
}

const DEPLOYMENT: &str = "\
apiVersion: apps/v1
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
";

/// DEPLOYMENT with one line replaced (`from` must occur once).
fn deployment_with(from: &str, to: &str) -> String {
    assert_eq!(DEPLOYMENT.matches(from).count(), 1, "{from}");
    DEPLOYMENT.replace(from, to)
}

// ---------------------------------------------------------------------------------------------
// 1. The course manifests.

#[test]
fn the_course_replica_sets_parse_with_their_probes_and_min_ready_seconds() {
    for (file, version) in [
        ("replicaset-demo.yaml", "v1.0"),
        ("replicaset-demo-v1.1.yaml", "v1.1"),
    ] {
        let Object::ReplicaSet(rs) = one(&fixture(file)) else {
            panic!("{file}")
        };
        assert_eq!(rs.spec.replicas, 2);
        assert_eq!(rs.spec.min_ready_seconds, 3);
        assert_eq!(
            rs.spec
                .selector
                .match_labels
                .get("version")
                .map(String::as_str),
            Some(version)
        );
        let c = &rs.spec.template.spec.containers[0];
        assert_eq!(c.image, format!("ikubernetes/demoapp:{version}"));
        assert_eq!(c.ports[0].name.as_deref(), Some("http"));
        let probe = c.liveness_probe.as_ref().expect("liveness probe");
        assert_eq!(
            probe.handler,
            ProbeHandler::HttpGet {
                path: "/livez".into(),
                port: 80
            }
        );
        assert_eq!(probe.period_seconds, 10);
        let readiness = c.readiness_probe.as_ref().expect("readiness probe");
        assert_eq!(readiness.initial_delay_seconds, 15);
        validate_create(&Object::ReplicaSet(rs)).expect("valid");
    }
}

#[test]
fn the_course_services_parse_including_a_blank_line_inside_ports() {
    for file in ["service-blue-green.yaml", "service-rollout.yaml"] {
        let Object::Service(svc) = one(&fixture(file)) else {
            panic!("{file}")
        };
        assert_eq!(svc.metadata.name, "demoapp-svc");
        assert_eq!(svc.metadata.namespace, "default");
        assert_eq!(svc.spec.ports[0].target_port, Some(IntOrString::Int(80)));
        assert_eq!(svc.spec.ports[0].protocol, "TCP");
        validate_create(&Object::Service(svc)).expect("valid");
    }
}

#[test]
fn the_course_deployment_with_a_comment_header_parses() {
    let Object::Deployment(d) = one(&fixture("deployment-demo.yaml")) else {
        panic!()
    };
    assert_eq!(d.metadata.name, "deployment-demo");
    assert_eq!(d.spec.replicas, 4);
    validate_create(&Object::Deployment(d)).expect("valid");
}

#[test]
fn a_hash_glued_to_a_value_is_not_a_comment_so_the_canary_manifest_is_rejected_like_on_a_real_cluster(
) {
    let Object::Deployment(d) = one(&fixture("deployment-demo-canary.yaml")) else {
        panic!()
    };
    let rolling = d
        .spec
        .strategy
        .rolling_update
        .clone()
        .expect("rollingUpdate");
    assert_eq!(rolling.max_surge, Some(IntOrString::Int(1)));
    let Some(IntOrString::String(glued)) = rolling.max_unavailable else {
        panic!()
    };
    assert!(glued.starts_with("0#在滚动更新期间"), "{glued}");
    let err = validate_create(&Object::Deployment(d)).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "The Deployment \"deployment-demo\" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{{Type:1, IntVal:0, StrVal:\"{glued}\"}}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
        )
    );
    // With the space the author meant, it is the course's canary strategy.
    let fixed = fixture("deployment-demo-canary.yaml").replace("0#", "0 #");
    let Object::Deployment(d) = one(&fixed) else {
        panic!()
    };
    assert_eq!(
        d.spec
            .strategy
            .rolling_update
            .and_then(|r| r.max_unavailable),
        Some(IntOrString::Int(0))
    );
}

#[test]
fn several_documents_come_back_in_order_and_empty_ones_are_skipped() {
    let text = format!(
        "---\n# only a comment\n---\n{}---\n\n---\n{}",
        fixture("service-rollout.yaml"),
        DEPLOYMENT
    );
    let kinds: Vec<String> = parse_manifests(&text, "all.yaml")
        .into_iter()
        .map(|r| {
            r.map(|o| o.kind().to_string())
                .unwrap_or_else(|e| e.to_string())
        })
        .collect();
    assert_eq!(kinds, vec!["Service", "Deployment"]);
}

#[test]
fn a_list_contributes_its_items() {
    let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: blue\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: green\n";
    let names: Vec<String> = parse_manifests(text, "l.yaml")
        .into_iter()
        .map(|r| r.map(|o| o.metadata().name.clone()).unwrap_or_default())
        .collect();
    assert_eq!(names, vec!["blue", "green"]);
}

// ---------------------------------------------------------------------------------------------
// 2. kubectl's client-side errors.

#[test]
fn yaml_syntax_errors_read_like_go_yaml_with_the_line_in_the_document() {
    let cases = [
        // key: value: x
        (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: demo: x\n",
            "error: error parsing deploy.yaml: error converting YAML to JSON: yaml: line 4: mapping values are not allowed in this context",
        ),
        // A key indented deeper than its siblings.
        (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: demo\n   labels: {}\n",
            "error: error parsing deploy.yaml: error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context",
        ),
        // A key indented less than its siblings (a parser error: go-yaml names the line before).
        (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: demo\n labels: {}\n",
            "error: error parsing deploy.yaml: error converting YAML to JSON: yaml: line 4: did not find expected key",
        ),
        // Tab indentation.
        (
            "apiVersion: v1\nkind: Namespace\nmetadata:\n\tname: demo\n",
            "error: error parsing deploy.yaml: error converting YAML to JSON: yaml: line 4: found character that cannot start any token",
        ),
        // Unclosed quote.
        (
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: 'demo\n",
            "error: error parsing deploy.yaml: error converting YAML to JSON: yaml: line 5: found unexpected end of stream",
        ),
        // A missing colon joins two lines into one plain scalar, then meets the next colon.
        (
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name demo\n  labels: {}\n",
            "error: error parsing deploy.yaml: error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context",
        ),
        (
            "a:\n  - b\n  c: d\n",
            "error: error parsing deploy.yaml: error converting YAML to JSON: yaml: line 2: did not find expected '-' indicator",
        ),
        // An unknown escape on the first line: go-yaml names no line then.
        (
            "apiVersion: \"v\\q\"\n",
            "error: error parsing deploy.yaml: error converting YAML to JSON: yaml: found unknown escape character",
        ),
        // A list item where a key is expected.
        (
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n- x\n",
            "error: error parsing deploy.yaml: error converting YAML to JSON: yaml: line 4: did not find expected key",
        ),
    ];
    for (yaml, expected) in cases {
        check_error(yaml, expected);
    }
}

#[test]
fn a_syntax_error_stops_reading_but_keeps_the_objects_before_it() {
    let text = format!("{DEPLOYMENT}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: x: y\n---\n{DEPLOYMENT}");
    let results = parse_manifests(&text, "deploy.yaml");
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    let err = results[1].as_ref().unwrap_err();
    // Line 4 of the second document, not of the file.
    assert_eq!(
        err.to_string(),
        "error: error parsing deploy.yaml: error converting YAML to JSON: yaml: line 4: mapping values are not allowed in this context"
    );
    assert!(err.stops_reading());
}

#[test]
fn objects_without_type_information_are_refused_by_kubectl() {
    check_error(
        "metadata:\n  name: x\n",
        "error: error validating \"deploy.yaml\": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false",
    );
    check_error(
        "apiVersion: v1\nmetadata:\n  name: x\n",
        "error: error validating \"deploy.yaml\": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false",
    );
    check_error(
        "apiVersion: 1\nkind: Pod\n",
        "error: error validating \"deploy.yaml\": error validating data: apiVersion isn't string type; if you choose to ignore these errors, turn validation off with --validate=false",
    );
    check_error(
        "- a\n- b\n",
        "error: error validating \"deploy.yaml\": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false",
    );
    check_error(
        "apiVersion: v1\nkind: \"\"\nmetadata:\n  name: x\n",
        "error: unable to decode \"deploy.yaml\": Object 'Kind' is missing in '{\"apiVersion\":\"v1\",\"kind\":\"\",\"metadata\":{\"name\":\"x\"}}'",
    );
}

#[test]
fn unknown_kinds_and_versions_have_no_resource_mapping() {
    check_error(
        &DEPLOYMENT.replace("kind: Deployment", "kind: Deploymnet"),
        "error: resource mapping not found for name: \"demoapp\" namespace: \"\" from \"deploy.yaml\": no matches for kind \"Deploymnet\" in version \"apps/v1\"\nensure CRDs are installed first",
    );
    check_error(
        &DEPLOYMENT.replace("apps/v1", "extensions/v1beta1"),
        "error: resource mapping not found for name: \"demoapp\" namespace: \"\" from \"deploy.yaml\": no matches for kind \"Deployment\" in version \"extensions/v1beta1\"\nensure CRDs are installed first",
    );
    // An add-on's kind has no mapping until the add-on's CRDs are installed.
    let results = rollout_sim::manifest::parse_manifests_for(
        "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: demo\n  namespace: prod\n",
        "deploy.yaml",
        &|kind| kind != Kind::Rollout,
    );
    match results.last() {
        Some(Err(err)) => assert_eq!(
            err.to_string(),
            "error: resource mapping not found for name: \"demo\" namespace: \"prod\" from \"deploy.yaml\": no matches for kind \"Rollout\" in version \"argoproj.io/v1alpha1\"\nensure CRDs are installed first"
        ),
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn real_kinds_the_lab_does_not_simulate_say_so_plainly() {
    let results = parse_manifests(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
        "c.yaml",
    );
    let err = results[0].as_ref().unwrap_err();
    assert!(matches!(err, ManifestError::NotSimulated { .. }));
    assert!(
        err.to_string()
            .starts_with("error: Rollout Lab does not simulate ConfigMap objects (v1)"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// 3. Strict decoding on the server.

#[test]
fn unknown_fields_are_all_listed_with_full_paths() {
    check_error(
        &deployment_with("  replicas: 3", "  replica: 3"),
        "Error from server (BadRequest): error when creating \"deploy.yaml\": Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.replica\"",
    );
    check_error(
        &deployment_with("        image: ikubernetes/demoapp:v1.0", "        imagee: ikubernetes/demoapp:v1.0\n        Ports: []")
            .replace("  name: demoapp\nspec", "  name: demoapp\n  lables: {}\nspec"),
        "Error from server (BadRequest): error when creating \"deploy.yaml\": Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"metadata.lables\", unknown field \"spec.template.spec.containers[0].Ports\", unknown field \"spec.template.spec.containers[0].imagee\"",
    );
}

#[test]
fn the_verb_in_a_rejection_is_the_callers_choice() {
    let results = parse_manifests(
        &deployment_with("  replicas: 3", "  replica: 3"),
        "deploy.yaml",
    );
    let err = results[0].as_ref().unwrap_err();
    assert_eq!(
        err.message(Verb::Patching),
        "Error from server (BadRequest): error when patching \"deploy.yaml\": Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.replica\""
    );
}

#[test]
fn wrong_types_name_the_go_struct_field() {
    let cases = [
        ("  replicas: 3", "  replicas: \"3\"", "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"),
        ("  replicas: 3", "  replicas: 1.5", "json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32"),
        ("        app: demoapp\n    spec", "        app: demoapp\n        version: 1.0\n    spec", "json: cannot unmarshal number into Go struct field ObjectMeta.spec.template.metadata.labels of type string"),
        ("        image: ikubernetes/demoapp:v1.0", "        image: ikubernetes/demoapp:v1.0\n        ports:\n        - containerPort: \"80\"", "json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32"),
        ("      containers:", "      containers: nginx\n      initContainers:", "json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container"),
        ("        image: ikubernetes/demoapp:v1.0", "        image: ikubernetes/demoapp:v1.0\n        env:\n        - name: DEBUG\n          value: yes", "json: cannot unmarshal bool into Go struct field EnvVar.spec.template.spec.containers.env.value of type string"),
    ];
    for (from, to, message) in cases {
        check_error(
            &deployment_with(from, to),
            &format!("Error from server (BadRequest): error when creating \"deploy.yaml\": Deployment in version \"v1\" cannot be handled as a Deployment: {message}"),
        );
    }
}

#[test]
fn a_key_without_its_colon_turns_the_mapping_into_a_string() {
    check_error(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name demo\n",
        "Error from server (BadRequest): error when creating \"deploy.yaml\": Namespace in version \"v1\" cannot be handled as a Namespace: json: cannot unmarshal string into Go struct field Namespace.metadata of type v1.ObjectMeta",
    );
}

#[test]
fn unquoted_annotation_booleans_are_rejected_like_on_a_real_cluster() {
    check_error(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: canary\n  annotations:\n    nginx.ingress.kubernetes.io/canary: true\nspec:\n  defaultBackend:\n    service:\n      name: web\n      port:\n        number: 80\n",
        "Error from server (BadRequest): error when creating \"deploy.yaml\": Ingress in version \"v1\" cannot be handled as a Ingress: json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.annotations of type string",
    );
}

#[test]
fn legitimate_fields_the_lab_does_not_model_are_accepted_and_kept() {
    let yaml = deployment_with(
        "        image: ikubernetes/demoapp:v1.0",
        "        image: ikubernetes/demoapp:v1.0
        imagePullPolicy: Always
        command: [\"/bin/sh\", \"-c\"]
        args: [\"python3 /usr/local/bin/demo.py\"]
        env:
        - name: PORT
          value: \"8080\"
        resources:
          requests: {cpu: 100m, memory: 64Mi}
          limits: {cpu: 500m}
        volumeMounts:
        - name: data
          mountPath: /data
        securityContext: {runAsNonRoot: true}
      volumes:
      - name: data
        emptyDir: {}
      nodeSelector:
        kubernetes.io/os: linux
      tolerations:
      - key: x
        operator: Exists
      affinity: {}
      hostNetwork: false
      imagePullSecrets: []",
    );
    let object = one(&yaml);
    validate_create(&object).expect("valid");
    let printed = to_yaml(&object);
    for expected in [
        "cpu: 100m",
        "mountPath: /data",
        "emptyDir: {}",
        "hostNetwork: false",
        "kubernetes.io/os: linux",
        "value: \"8080\"",
    ] {
        assert!(
            printed.contains(expected),
            "{expected} missing in\n{printed}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Validation.

#[test]
fn a_missing_selector_and_the_template_mismatch_are_both_reported() {
    check_invalid(
        &deployment_with("  selector:\n    matchLabels:\n      app: demoapp\n", "").replace("        app: demoapp", "        app: demo"),
        "The Deployment \"demoapp\" is invalid: \n* spec.selector: Required value\n* spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"demo\"}: `selector` does not match template `labels`",
    );
}

#[test]
fn the_template_must_match_the_selector() {
    check_invalid(
        &DEPLOYMENT.replace("        app: demoapp", "        app: demo"),
        "The Deployment \"demoapp\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"demo\"}: `selector` does not match template `labels`",
    );
}

#[test]
fn names_follow_the_dns_rules_of_their_kind() {
    check_invalid(
        &deployment_with("  name: demoapp", "  name: MyApp"),
        "The Deployment \"MyApp\" is invalid: metadata.name: Invalid value: \"MyApp\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
    check_invalid(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: 1web\nspec:\n  ports:\n  - port: 80\n",
        "The Service \"1web\" is invalid: metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    );
    check_invalid(
        &deployment_with("      - name: demoapp", "      - name: demo.app"),
        "The Deployment \"demoapp\" is invalid: spec.template.spec.containers[0].name: Invalid value: \"demo.app\": must not contain dots",
    );
    check_invalid(
        &DEPLOYMENT.replace("  name: demoapp\n", "  name: demoapp\n  labels:\n    tier: -web\n"),
        "The Deployment \"demoapp\" is invalid: metadata.labels: Invalid value: \"-web\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
    check_valid(&fixture("replicaset-demo-v1.1.yaml"));
}

#[test]
fn surge_and_unavailability_may_not_both_be_zero() {
    check_invalid(
        &deployment_with("  replicas: 3", "  replicas: 3\n  strategy:\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: 0"),
        "The Deployment \"demoapp\" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when `maxSurge` is 0",
    );
    check_invalid(
        &deployment_with("  replicas: 3", "  replicas: 3\n  strategy:\n    rollingUpdate:\n      maxSurge: 0%\n      maxUnavailable: 120%"),
        "The Deployment \"demoapp\" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"120%\"}: must not be greater than 100%",
    );
    check_invalid(
        &deployment_with("  replicas: 3", "  replicas: 3\n  strategy:\n    type: Recreate\n    rollingUpdate:\n      maxSurge: 1"),
        "The Deployment \"demoapp\" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
    );
}

#[test]
fn negative_counts_and_a_short_deadline_are_invalid() {
    check_invalid(
        &deployment_with("  replicas: 3", "  replicas: -1\n  minReadySeconds: 700\n  revisionHistoryLimit: -2"),
        "The Deployment \"demoapp\" is invalid: \n* spec.replicas: Invalid value: -1: must be greater than or equal to 0\n* spec.minReadySeconds: Invalid value: 700: must be greater than or equal to 0\n* spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0\n* spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds"
            .replace("* spec.minReadySeconds: Invalid value: 700: must be greater than or equal to 0\n", "")
            .as_str(),
    );
}

#[test]
fn containers_need_an_image_unique_names_and_valid_ports() {
    check_invalid(
        &deployment_with("        image: ikubernetes/demoapp:v1.0", "        ports:\n        - containerPort: 70000\n      - name: demoapp\n        image: nginx"),
        "The Deployment \"demoapp\" is invalid: \n* spec.template.spec.containers[0].image: Required value\n* spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive\n* spec.template.spec.containers[1].name: Duplicate value: \"demoapp\"",
    );
    check_error(
        &deployment_with("        image: ikubernetes/demoapp:v1.0", "        image: ikubernetes/demoapp:v1.0\n        ports:\n        - containerPort: 80\n          protocol: tcp"),
        "The Deployment \"demoapp\" is invalid: spec.template.spec.containers[0].ports[0].protocol: Unsupported value: \"tcp\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
    );
    check_error(
        &deployment_with("        image: ikubernetes/demoapp:v1.0", "        image: ikubernetes/demoapp:v1.0\n        readinessProbe:\n          initialDelaySeconds: 5"),
        "The Deployment \"demoapp\" is invalid: spec.template.spec.containers[0].readinessProbe: Required value: must specify a handler type",
    );
}

#[test]
fn probes_on_named_ports_use_the_container_port_number() {
    let object = one(&deployment_with(
        "        image: ikubernetes/demoapp:v1.0",
        "        image: ikubernetes/demoapp:v1.0\n        ports:\n        - name: http\n          containerPort: 80\n        readinessProbe:\n          tcpSocket:\n            port: http",
    ));
    let Object::Deployment(d) = object else {
        panic!()
    };
    let probe = d.spec.template.spec.containers[0]
        .readiness_probe
        .clone()
        .expect("probe");
    assert_eq!(probe.handler, ProbeHandler::TcpSocket { port: 80 });
}

#[test]
fn services_need_ports_in_range_and_names_when_there_are_several() {
    check_invalid(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n",
        "The Service \"web\" is invalid: spec.ports: Required value",
    );
    check_invalid(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 0\n  - port: 443\n",
        "The Service \"web\" is invalid: \n* spec.ports[0].name: Required value\n* spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive\n* spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive\n* spec.ports[1].name: Required value",
    );
    check_error(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: Cluster\n  ports:\n  - port: 80\n",
        "The Service \"web\" is invalid: spec.type: Unsupported value: \"Cluster\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"",
    );
}

#[test]
fn ingress_paths_need_a_path_type() {
    check_invalid(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  rules:\n  - host: demo.example.com\n    http:\n      paths:\n      - path: /\n        backend:\n          service:\n            name: web\n            port:\n              number: 80\n",
        "The Ingress \"web\" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified",
    );
}

#[test]
fn a_deployments_selector_cannot_change() {
    let old = one(DEPLOYMENT);
    let new = one(&DEPLOYMENT.replace(
        "      app: demoapp\n  template",
        "      app: demoapp\n      version: v2\n  template",
    ));
    assert_eq!(
        validate_update(&old, &new).unwrap_err().to_string(),
        "The Deployment \"demoapp\" is invalid: \n* spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"demoapp\"}: `selector` does not match template `labels`\n* spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"demoapp\", \"version\":\"v2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"
    );
    let image_change = one(&DEPLOYMENT.replace("v1.0", "v1.1"));
    validate_update(&old, &image_change).expect("a template change is fine");
}

#[test]
fn a_services_cluster_ip_cannot_change() {
    let service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  clusterIP: 10.96.0.10\n  ports:\n  - port: 80\n";
    let old = one(service);
    let new = one(&service.replace("10.96.0.10", "10.96.0.99"));
    assert_eq!(
        validate_update(&old, &new).unwrap_err().to_string(),
        "The Service \"web\" is invalid: spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.99\"}: may not change once set"
    );
}

// ---------------------------------------------------------------------------------------------
// 5. Defaulting and printing.

/// What the API server adds when it stores an object.
/// (The live store does the same: see `the_live_store_versions_every_write` in rollout.rs.)
fn stored(mut object: Object) -> Object {
    // Only workloads and Ingresses have a generation; a Service has none.
    let has_generation = matches!(
        object.kind(),
        Kind::Deployment | Kind::ReplicaSet | Kind::Ingress
    );
    let meta = object.metadata_mut();
    meta.uid = "d3c0a3e4-8d8a-4b5e-9f53-8a0c5e1f2b77".into();
    meta.resource_version = "1234".into();
    if has_generation {
        meta.generation = 1;
    }
    meta.creation_timestamp = Some(Time(5_000));
    object
}

#[test]
fn get_o_yaml_shows_the_api_servers_defaults_in_kubectls_layout() {
    let object = stored(one(&fixture("deployment-demo.yaml")));
    assert_eq!(
        to_yaml(&object),
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: "2026-11-23T09:00:05Z"
  generation: 1
  name: deployment-demo
  namespace: default
  resourceVersion: "1234"
  uid: d3c0a3e4-8d8a-4b5e-9f53-8a0c5e1f2b77
spec:
  progressDeadlineSeconds: 600
  replicas: 4
  revisionHistoryLimit: 10
  selector:
    matchLabels:
      app: demoapp
      release: stable
  strategy:
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 25%
    type: RollingUpdate
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: demoapp
        release: stable
    spec:
      containers:
      - image: ikubernetes/demoapp:v1.1
        imagePullPolicy: IfNotPresent
        livenessProbe:
          failureThreshold: 3
          httpGet:
            path: /livez
            port: 80
            scheme: HTTP
          initialDelaySeconds: 5
          periodSeconds: 10
          successThreshold: 1
          timeoutSeconds: 1
        name: demoapp
        ports:
        - containerPort: 80
          name: http
          protocol: TCP
        readinessProbe:
          failureThreshold: 3
          httpGet:
            path: /readyz
            port: 80
            scheme: HTTP
          initialDelaySeconds: 15
          periodSeconds: 10
          successThreshold: 1
          timeoutSeconds: 1
        resources: {}
        terminationMessagePath: /dev/termination-log
        terminationMessagePolicy: File
      dnsPolicy: ClusterFirst
      restartPolicy: Always
      schedulerName: default-scheduler
      securityContext: {}
      terminationGracePeriodSeconds: 30
status: {}
"#
    );
}

#[test]
fn get_o_json_uses_four_spaces_and_sorted_keys() {
    let object = stored(one(&fixture("service-rollout.yaml")));
    assert_eq!(
        to_json(&object),
        r#"{
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "creationTimestamp": "2026-11-23T09:00:05Z",
        "name": "demoapp-svc",
        "namespace": "default",
        "resourceVersion": "1234",
        "uid": "d3c0a3e4-8d8a-4b5e-9f53-8a0c5e1f2b77"
    },
    "spec": {
        "internalTrafficPolicy": "Cluster",
        "ipFamilies": [
            "IPv4"
        ],
        "ipFamilyPolicy": "SingleStack",
        "ports": [
            {
                "name": "http",
                "port": 80,
                "protocol": "TCP",
                "targetPort": 80
            }
        ],
        "selector": {
            "app": "demoapp"
        },
        "sessionAffinity": "None",
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
"#
    );
}

#[test]
fn what_is_printed_parses_back_to_the_same_object() {
    for file in [
        "replicaset-demo.yaml",
        "replicaset-demo-v1.1.yaml",
        "service-blue-green.yaml",
        "service-rollout.yaml",
        "deployment-demo.yaml",
        "deployment-demo-canary.yaml",
    ] {
        let object = stored(one(&fixture(file)));
        for printed in [to_yaml(&object), to_json(&object)] {
            let mut back = parse_manifests(&printed, "edit.yaml");
            assert_eq!(back.len(), 1, "{printed}");
            let mut back = back.remove(0).unwrap_or_else(|e| panic!("{e}\n{printed}"));
            apply_defaults(&mut back);
            assert_eq!(back, object, "{file}\n{printed}");
        }
    }
}

#[test]
fn defaulting_is_idempotent() {
    for file in [
        "replicaset-demo.yaml",
        "service-rollout.yaml",
        "deployment-demo.yaml",
    ] {
        let mut object = one(&fixture(file));
        let once = object.clone();
        apply_defaults(&mut object);
        assert_eq!(object, once, "{file}");
    }
}

#[test]
fn deeply_nested_opaque_fields_go_through_the_whole_pipeline() {
    let deep = format!("{}{}", "[".repeat(95), "]".repeat(95));
    let yaml = deployment_with(
        "      containers:",
        &format!("      volumes: {deep}\n      containers:"),
    ) + &format!("status: {{conditions: {deep}}}\n");
    let object = one(&yaml);
    let printed = to_yaml(&object);
    let back = parse_manifests(&printed, "edit.yaml");
    assert!(matches!(back.as_slice(), [Ok(_)]), "{back:?}");
    let too_deep = format!("{}{}", "[".repeat(150), "]".repeat(150));
    check_error(
        &deployment_with("      containers:", &format!("      volumes: {too_deep}\n      containers:")),
        "error: error parsing deploy.yaml: error converting YAML to JSON: yaml: exceeded max depth of 100",
    );
}

// ---------------------------------------------------------------------------------------------
// 6. Mutated manifests.

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const JUNK_LINES: &[&str] = &[
    ":",
    "- x",
    "\tkey: v",
    "key: value: x",
    "  name: 'unclosed",
    "  extra: 1",
    "---",
    "kind: Foo",
    "apiVersion: 7",
    "  replicas: \"many\"",
    "      maxSurge: 0",
    "  selector: {}",
    "    - name: y",
    "&a x: *a",
    "<<: {a: 1}",
    "!!binary abc",
    "  ports: [{port: 99999}]",
    "metadata: ~",
    "{",
    "]",
    "  labels: {app: demo, app: other}",
    "        image: \" \"",
    "  clusterIP: nonsense",
];

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for _ in 0..=rng.below(3) {
        let at = rng.below(lines.len() + 1);
        match rng.below(6) {
            0 if !lines.is_empty() => {
                lines.remove(at.min(lines.len() - 1));
            }
            1 if !lines.is_empty() => {
                let line = lines[at.min(lines.len() - 1)].clone();
                lines.insert(at.min(lines.len()), line);
            }
            2 => lines.insert(at, JUNK_LINES[rng.below(JUNK_LINES.len())].to_string()),
            3 if !lines.is_empty() => {
                let i = at.min(lines.len() - 1);
                let chars: Vec<char> = lines[i].chars().collect();
                if !chars.is_empty() {
                    let cut = rng.below(chars.len());
                    lines[i] = chars[..cut].iter().chain(&chars[cut + 1..]).collect();
                }
            }
            4 if !lines.is_empty() => {
                let i = at.min(lines.len() - 1);
                let extra = [' ', ':', '#', '"', '\'', '-', '\t', '{', '0', 'é'][rng.below(10)];
                let mut chars: Vec<char> = lines[i].chars().collect();
                chars.insert(rng.below(chars.len() + 1), extra);
                lines[i] = chars.into_iter().collect();
            }
            _ if lines.len() > 1 => {
                let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
                lines.swap(a, b);
            }
            _ => {}
        }
    }
    lines.join("\n") + "\n"
}

fn looks_like_kubectl(message: &str) -> bool {
    message.starts_with("error: ")
        || message.starts_with("Error from server (")
        || (message.starts_with("The ") && message.contains(" is invalid: "))
}

#[test]
fn mutated_course_manifests_never_panic_and_are_answered_in_kubectls_words() {
    let sources: Vec<String> = [
        "replicaset-demo.yaml",
        "replicaset-demo-v1.1.yaml",
        "service-blue-green.yaml",
        "service-rollout.yaml",
        "deployment-demo.yaml",
        "deployment-demo-canary.yaml",
    ]
    .iter()
    .map(|f| fixture(f))
    .collect();
    let mut rng = Rng(0x5eed_1ab5_0000_0001);
    let (mut accepted, mut rejected) = (0, 0);
    for round in 0..3000 {
        let source = &sources[round % sources.len()];
        let text = mutate(&mut rng, source);
        for result in parse_manifests(&text, "fuzz.yaml") {
            match result {
                Err(err) => {
                    rejected += 1;
                    for verb in [Verb::Creating, Verb::Patching] {
                        let message = err.message(verb);
                        assert!(looks_like_kubectl(&message), "{message}\nfrom\n{text}");
                    }
                }
                Ok(mut object) => {
                    if object.kind().is_namespaced() && object.metadata().namespace.is_empty() {
                        object.metadata_mut().namespace = "default".into();
                    }
                    apply_defaults(&mut object);
                    match validate_create(&object) {
                        Err(err) => {
                            rejected += 1;
                            assert!(looks_like_kubectl(&err.to_string()), "{err}");
                        }
                        Ok(()) => accepted += 1,
                    }
                    // Whatever was accepted prints and reads back unchanged.
                    let printed = to_yaml(&object);
                    let mut back = parse_manifests(&printed, "edit.yaml");
                    assert_eq!(back.len(), 1, "{printed}\nfrom\n{text}");
                    let mut back = back
                        .remove(0)
                        .unwrap_or_else(|e| panic!("{e}\n{printed}\nfrom\n{text}"));
                    apply_defaults(&mut back);
                    assert_eq!(back, object, "{printed}\nfrom\n{text}");
                    let _ = to_json(&object);
                }
            }
        }
    }
    assert!(
        accepted > 100 && rejected > 100,
        "accepted {accepted}, rejected {rejected}"
    );
}
