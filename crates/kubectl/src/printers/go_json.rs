//! `-o json` of a typed object, as kubectl prints the objects it holds as Go structs
//! (`rollout history -o json`'s ReplicaSets): `json.MarshalIndent(obj, "", "    ")`, so a
//! struct's fields come in their declaration order and a map's keys sorted. Unstructured
//! objects (`get -o json`) print every key sorted instead (`manifest::encode`).

use serde_json::Value;

/// The declaration order of the fields of the structs a ReplicaSet holds, by the key the
/// struct sits under (`""` for the object itself). A key under no entry is a map's: sorted.
const STRUCT_FIELDS: &[(&str, &[&str])] = &[
    ("", &["kind", "apiVersion", "metadata", "spec", "status"]),
    (
        "metadata",
        &[
            "name",
            "generateName",
            "namespace",
            "selfLink",
            "uid",
            "resourceVersion",
            "generation",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "labels",
            "annotations",
            "ownerReferences",
            "finalizers",
            "managedFields",
        ],
    ),
    (
        "ownerReferences",
        &[
            "apiVersion",
            "kind",
            "name",
            "uid",
            "controller",
            "blockOwnerDeletion",
        ],
    ),
    (
        "spec",
        &["replicas", "minReadySeconds", "selector", "template"],
    ),
    ("selector", &["matchLabels", "matchExpressions"]),
    ("matchExpressions", &["key", "operator", "values"]),
    ("template", &["metadata", "spec"]),
    (
        "template.spec",
        &[
            "volumes",
            "initContainers",
            "containers",
            "ephemeralContainers",
            "restartPolicy",
            "terminationGracePeriodSeconds",
            "activeDeadlineSeconds",
            "dnsPolicy",
            "nodeSelector",
            "serviceAccountName",
            "serviceAccount",
            "automountServiceAccountToken",
            "nodeName",
            "hostNetwork",
            "hostPID",
            "hostIPC",
            "shareProcessNamespace",
            "securityContext",
            "imagePullSecrets",
            "hostname",
            "subdomain",
            "affinity",
            "schedulerName",
            "tolerations",
            "hostAliases",
            "priorityClassName",
            "priority",
            "dnsConfig",
            "readinessGates",
            "runtimeClassName",
            "enableServiceLinks",
            "preemptionPolicy",
            "overhead",
            "topologySpreadConstraints",
        ],
    ),
    (
        "containers",
        &[
            "name",
            "image",
            "command",
            "args",
            "workingDir",
            "ports",
            "envFrom",
            "env",
            "resources",
            "resizePolicy",
            "restartPolicy",
            "volumeMounts",
            "volumeDevices",
            "livenessProbe",
            "readinessProbe",
            "startupProbe",
            "lifecycle",
            "terminationMessagePath",
            "terminationMessagePolicy",
            "imagePullPolicy",
            "securityContext",
            "stdin",
            "stdinOnce",
            "tty",
        ],
    ),
    (
        "ports",
        &["name", "hostPort", "containerPort", "protocol", "hostIP"],
    ),
    ("env", &["name", "value", "valueFrom"]),
    ("resources", &["limits", "requests", "claims"]),
    (
        "probe",
        &[
            "exec",
            "httpGet",
            "tcpSocket",
            "grpc",
            "initialDelaySeconds",
            "timeoutSeconds",
            "periodSeconds",
            "successThreshold",
            "failureThreshold",
            "terminationGracePeriodSeconds",
        ],
    ),
    (
        "httpGet",
        &["path", "port", "host", "scheme", "httpHeaders"],
    ),
    ("tcpSocket", &["port", "host"]),
    ("exec", &["command"]),
    (
        "tolerations",
        &["key", "operator", "value", "effect", "tolerationSeconds"],
    ),
    (
        "status",
        &[
            "replicas",
            "fullyLabeledReplicas",
            "readyReplicas",
            "availableReplicas",
            "observedGeneration",
            "conditions",
        ],
    ),
    (
        "conditions",
        &["type", "status", "lastTransitionTime", "reason", "message"],
    ),
];

/// The struct whose fields sit under `key`, itself under `parent`.
fn struct_under(parent: &str, key: &str) -> &'static str {
    match (parent, key) {
        ("template", "spec") => "template.spec",
        (_, "livenessProbe" | "readinessProbe" | "startupProbe") => "probe",
        (_, "initContainers") => "containers",
        _ => STRUCT_FIELDS
            .iter()
            .find(|(name, _)| *name == key)
            .map_or("", |(name, _)| name),
    }
}

/// `json.MarshalIndent` of the typed ReplicaSet `value`, with the trailing newline kubectl
/// prints.
pub fn replica_set_json(value: &Value) -> String {
    let mut out = String::new();
    write(value, Some(""), 0, &mut out);
    out.push('\n');
    out
}

/// `fields`: the struct `value` is (its fields' order), or `None` for a map.
fn write(value: &Value, fields: Option<&str>, indent: usize, out: &mut String) {
    let pad = |n: usize| "    ".repeat(n);
    match value {
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Object(map) => {
            let order = fields.and_then(|f| STRUCT_FIELDS.iter().find(|(name, _)| *name == f));
            let rank = |k: &str| {
                order
                    .and_then(|(_, names)| names.iter().position(|n| *n == k))
                    .unwrap_or(usize::MAX)
            };
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.cmp(b)));
            out.push_str("{\n");
            for (i, key) in keys.iter().enumerate() {
                let parent = fields.unwrap_or("");
                let under = struct_under(parent, key);
                // A field the order knows but no struct is named after is a map (labels).
                let child = (!under.is_empty() && fields.is_some()).then_some(under);
                out.push_str(&pad(indent + 1));
                out.push_str(&go_string(key));
                out.push_str(": ");
                write(&map[*key], child, indent + 1, out);
                out.push_str(if i + 1 < keys.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push('}');
        }
        Value::Array(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                write(item, fields, indent + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push(']');
        }
        other => out.push_str(&go_scalar(other)),
    }
}

fn go_string(text: &str) -> String {
    go_scalar(&Value::String(text.to_string()))
}

/// A JSON scalar as Go's encoder writes it: `<`, `>` and `&` in strings escaped.
pub fn go_scalar(value: &Value) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}
