//! `kubectl apply -f FILE` up to the moment the request reaches storage: split the stream,
//! YAML → JSON, kubectl's own checks (`apiVersion`/`kind` set, a known resource type), then
//! the API server's strict decoding into typed objects.
//!
//! Each stage fails the way its real counterpart does, with the same text. What happens
//! next (defaulting, validation, storage) is the caller's: see [`super::defaults`] and
//! [`crate::api::validation`].

use super::schema::{self, Struct, Ty};
use super::yaml::{document_to_json, split_documents};
use crate::api::{go, go_quote, ApiError, FieldError, Verb};
use crate::objects::{
    AnalysisRun, AnalysisTemplate, ClusterAnalysisTemplate, Deployment, Endpoints,
    HorizontalPodAutoscaler, Ingress, Kind, Namespace, Object, Pod, PodDisruptionBudget,
    ReplicaSet, Rollout, Service,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::fmt;

/// Why one object of a manifest was not accepted. `Display` is kubectl's stderr for it,
/// assuming the object was being created (see [`ManifestError::message`] for other verbs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ManifestError {
    /// The YAML does not parse; kubectl stops reading the file here.
    /// `error: error parsing deploy.yaml: error converting YAML to JSON: yaml: line 8: …`
    Syntax {
        file: String,
        /// What follows `error converting YAML to JSON: ` (`yaml: line 8: …`).
        detail: String,
        /// The line go-yaml named, counted from the start of the *document* (after `---`).
        line: Option<usize>,
    },
    /// kubectl's client-side check that every object says what it is; kubectl stops here too.
    /// `error: error validating "f.yaml": error validating data: [apiVersion not set, kind not set]; …`
    MissingTypeInfo { file: String, problems: Vec<String> },
    /// `kind: ""` or `apiVersion: ""`: kubectl cannot decode the object.
    /// `error: unable to decode "f.yaml": Object 'Kind' is missing in '{…}'`
    Undecodable {
        file: String,
        field: &'static str,
        json: String,
    },
    /// No such resource type on the cluster (a typo in `kind`, a wrong `apiVersion`).
    NoKindMatch {
        file: String,
        name: String,
        namespace: String,
        kind: String,
        api_version: String,
    },
    /// The API server refused the body: `BadRequest` for undecodable or unknown fields,
    /// `Invalid` for values that fail checks made while decoding (e.g. an unsupported
    /// `spec.strategy.type`).
    Rejected { file: String, error: ApiError },
    /// Real Kubernetes accepts this, but the lab does not simulate it (a ConfigMap, a gRPC
    /// probe, …). The message says so in plain words rather than pretending to be kubectl.
    NotSimulated { file: String, what: String },
}

const STOP_VALIDATE: &str =
    "if you choose to ignore these errors, turn validation off with --validate=false";

impl ManifestError {
    /// kubectl's stderr when the object was being `verb`ed. Only server-side rejections
    /// depend on it: `error when creating "f.yaml": …` for a new object, `error when
    /// patching "f.yaml": …` when `kubectl apply` updates an existing one. Whether the object
    /// exists is the cluster's knowledge, so the caller picks the verb.
    pub fn message(&self, verb: Verb) -> String {
        match self {
            ManifestError::Syntax { file, detail, .. } => {
                format!("error: error parsing {file}: error converting YAML to JSON: {detail}")
            }
            ManifestError::MissingTypeInfo { file, problems } => {
                let joined = match problems.as_slice() {
                    [one] => one.clone(),
                    many => format!("[{}]", many.join(", ")),
                };
                format!(
                    "error: error validating {}: error validating data: {joined}; {STOP_VALIDATE}",
                    go_quote(file)
                )
            }
            ManifestError::Undecodable { file, field, json } => {
                format!(
                    "error: unable to decode {}: Object '{field}' is missing in '{json}'",
                    go_quote(file)
                )
            }
            ManifestError::NoKindMatch { file, name, namespace, kind, api_version } => format!(
                "error: resource mapping not found for name: {} namespace: {} from {}: no matches for kind {} in version {}\nensure CRDs are installed first",
                go_quote(name),
                go_quote(namespace),
                go_quote(file),
                go_quote(kind),
                go_quote(api_version)
            ),
            ManifestError::Rejected { file, error } => error.to_string_with_source(verb, file),
            ManifestError::NotSimulated { what, .. } => {
                format!("error: Rollout Lab does not simulate {what}")
            }
        }
    }

    /// kubectl gives up on the rest of the file after these (the objects before were
    /// still applied); after the others it carries on with the next object.
    pub fn stops_reading(&self) -> bool {
        matches!(
            self,
            ManifestError::Syntax { .. } | ManifestError::MissingTypeInfo { .. }
        )
    }
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Verb::Creating))
    }
}

impl std::error::Error for ManifestError {}

/// Parses a multi-document manifest the way `kubectl apply -f file_name` reads it: one result
/// per object, in file order. `---` separators, comments and empty documents are skipped;
/// a `kind: List` contributes its `items`. A YAML syntax error or an object without
/// `apiVersion`/`kind` ends the list (kubectl stops reading there but still applies the
/// objects before it). Objects come back exactly as written — not defaulted, not validated.
pub fn parse_manifests(text: &str, file_name: &str) -> Vec<Result<Object, ManifestError>> {
    parse_manifests_for(text, file_name, &built_in)
}

/// A server with no add-ons installed serves the built-in kinds only.
fn built_in(kind: Kind) -> bool {
    kind.info().addon.is_none()
}

/// [`parse_manifests`] against a server that serves only the kinds `served` accepts: any
/// other kind (an add-on's kind before its CRDs are installed) has no REST mapping.
pub fn parse_manifests_for(
    text: &str,
    file_name: &str,
    served: &dyn Fn(Kind) -> bool,
) -> Vec<Result<Object, ManifestError>> {
    let mut results = Vec::new();
    for document in split_documents(text) {
        match document_to_json(&document) {
            Err(err) => {
                results.push(Err(ManifestError::Syntax {
                    file: file_name.to_string(),
                    detail: err.detail,
                    line: err.line,
                }));
                return results;
            }
            Ok(None) => continue,
            Ok(Some(value)) => {
                if !push_object(value, file_name, served, &mut results) {
                    return results;
                }
            }
        }
    }
    results
}

/// Decodes one JSON object (as `kubectl` would send it) into a typed object.
pub fn decode_object(value: Value, file_name: &str) -> Result<Object, ManifestError> {
    decode_object_for(value, file_name, &built_in)
}

/// [`decode_object`] against a server that serves only the kinds `served` accepts.
pub fn decode_object_for(
    value: Value,
    file_name: &str,
    served: &dyn Fn(Kind) -> bool,
) -> Result<Object, ManifestError> {
    let mut results = Vec::new();
    push_object(value, file_name, served, &mut results);
    results.into_iter().next().unwrap_or_else(|| {
        Err(ManifestError::MissingTypeInfo {
            file: file_name.to_string(),
            problems: vec!["invalid object to validate".into()],
        })
    })
}

/// Returns false when kubectl would stop reading the file.
fn push_object(
    value: Value,
    file: &str,
    served: &dyn Fn(Kind) -> bool,
    results: &mut Vec<Result<Object, ManifestError>>,
) -> bool {
    if let Err(problems) = type_info_problems(&value) {
        results.push(Err(ManifestError::MissingTypeInfo {
            file: file.to_string(),
            problems,
        }));
        return false;
    }
    let kind = value
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let api_version = value
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if kind == "List" && api_version == "v1" {
        let items = match value.get("items") {
            Some(Value::Array(items)) => items.clone(),
            _ => Vec::new(),
        };
        for item in items {
            if !push_object(item, file, served, results) {
                return false;
            }
        }
        return true;
    }
    results.push(decode_typed(value, &kind, &api_version, file, served));
    true
}

/// kubectl's `getObjectKind` (client-side schema validation, before anything is sent).
fn type_info_problems(value: &Value) -> Result<(), Vec<String>> {
    let Value::Object(fields) = value else {
        return Err(vec!["invalid object to validate".into()]);
    };
    let mut problems = Vec::new();
    match fields.get("apiVersion") {
        None | Some(Value::Null) => problems.push("apiVersion not set".to_string()),
        Some(Value::String(text)) => {
            if text.matches('/').count() > 1 {
                problems.push(format!("unexpected GroupVersion string: {text}"));
            }
        }
        Some(_) => problems.push("apiVersion isn't string type".to_string()),
    }
    match fields.get("kind") {
        None | Some(Value::Null) => problems.push("kind not set".to_string()),
        Some(Value::String(_)) => {}
        Some(_) => problems.push("kind isn't string type".to_string()),
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Real resource types of a v1.30 cluster that the lab does not simulate.
const REAL_BUT_NOT_SIMULATED: &[(&str, &str)] = &[
    ("v1", "ConfigMap"),
    ("v1", "Secret"),
    ("v1", "ServiceAccount"),
    ("v1", "PersistentVolumeClaim"),
    ("v1", "PersistentVolume"),
    ("v1", "Node"),
    ("v1", "LimitRange"),
    ("v1", "ResourceQuota"),
    ("v1", "Event"),
    ("v1", "ReplicationController"),
    ("v1", "PodTemplate"),
    ("apps/v1", "StatefulSet"),
    ("apps/v1", "DaemonSet"),
    ("apps/v1", "ControllerRevision"),
    ("batch/v1", "Job"),
    ("batch/v1", "CronJob"),
    ("networking.k8s.io/v1", "NetworkPolicy"),
    ("networking.k8s.io/v1", "IngressClass"),
    ("policy/v1", "PodDisruptionBudget"),
    ("rbac.authorization.k8s.io/v1", "Role"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ("discovery.k8s.io/v1", "EndpointSlice"),
    ("events.k8s.io/v1", "Event"),
    ("storage.k8s.io/v1", "StorageClass"),
    ("scheduling.k8s.io/v1", "PriorityClass"),
    ("coordination.k8s.io/v1", "Lease"),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
];

fn simulated_kind(api_version: &str, kind: &str) -> Option<(Kind, &'static Struct)> {
    Some(match (api_version, kind) {
        ("v1", "Namespace") => (Kind::Namespace, &schema::NAMESPACE),
        ("v1", "Pod") => (Kind::Pod, &schema::POD),
        ("v1", "Service") => (Kind::Service, &schema::SERVICE),
        ("v1", "Endpoints") => (Kind::Endpoints, &schema::ENDPOINTS),
        ("apps/v1", "Deployment") => (Kind::Deployment, &schema::DEPLOYMENT),
        ("apps/v1", "ReplicaSet") => (Kind::ReplicaSet, &schema::REPLICA_SET),
        ("networking.k8s.io/v1", "Ingress") => (Kind::Ingress, &schema::INGRESS),
        ("policy/v1", "PodDisruptionBudget") => {
            (Kind::PodDisruptionBudget, &schema::POD_DISRUPTION_BUDGET)
        }
        ("autoscaling/v2", "HorizontalPodAutoscaler") => {
            (Kind::HorizontalPodAutoscaler, &schema::HPA)
        }
        ("autoscaling/v1", "HorizontalPodAutoscaler") => {
            (Kind::HorizontalPodAutoscaler, &schema::HPA_V1)
        }
        ("argoproj.io/v1alpha1", "Rollout") => (Kind::Rollout, &schema::ROLLOUT),
        ("argoproj.io/v1alpha1", "AnalysisTemplate") => {
            (Kind::AnalysisTemplate, &schema::ANALYSIS_TEMPLATE)
        }
        ("argoproj.io/v1alpha1", "ClusterAnalysisTemplate") => (
            Kind::ClusterAnalysisTemplate,
            &schema::CLUSTER_ANALYSIS_TEMPLATE,
        ),
        ("argoproj.io/v1alpha1", "AnalysisRun") => (Kind::AnalysisRun, &schema::ANALYSIS_RUN),
        _ => return None,
    })
}

fn metadata_str(value: &Value, field: &str) -> String {
    value
        .get("metadata")
        .and_then(|m| m.get(field))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// `encoding/json`'s compact output: sorted keys, `<`, `>` and `&` escaped.
pub(crate) fn go_compact_json(value: &Value) -> String {
    html_escape(&serde_json::to_string(value).unwrap_or_default())
}

pub(crate) fn html_escape(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

fn decode_typed(
    value: Value,
    kind: &str,
    api_version: &str,
    file: &str,
    served: &dyn Fn(Kind) -> bool,
) -> Result<Object, ManifestError> {
    if kind.is_empty() {
        let json = go_compact_json(&value);
        return Err(ManifestError::Undecodable {
            file: file.to_string(),
            field: "Kind",
            json,
        });
    }
    if api_version.is_empty() {
        let json = go_compact_json(&value);
        return Err(ManifestError::Undecodable {
            file: file.to_string(),
            field: "apiVersion",
            json,
        });
    }
    let custom = super::custom::lookup(api_version, kind);
    let simulated = simulated_kind(api_version, kind)
        .or_else(|| custom.map(|(_, k)| (k.kind, k.schema)))
        .filter(|(kind, _)| served(*kind));
    let Some((kind_enum, schema)) = simulated else {
        if REAL_BUT_NOT_SIMULATED.contains(&(api_version, kind)) {
            return Err(ManifestError::NotSimulated {
                file: file.to_string(),
                what: format!("{kind} objects ({api_version}); it models Deployments, ReplicaSets, Pods, Services, Endpoints, Ingresses, PodDisruptionBudgets and Namespaces"),
            });
        }
        return Err(ManifestError::NoKindMatch {
            file: file.to_string(),
            name: metadata_str(&value, "name"),
            namespace: metadata_str(&value, "namespace"),
            kind: kind.to_string(),
            api_version: api_version.to_string(),
        });
    };
    let name = metadata_str(&value, "name");
    let version = api_version.rsplit('/').next().unwrap_or(api_version);
    let rejected = |message: String| ManifestError::Rejected {
        file: file.to_string(),
        error: ApiError::bad_request(format!(
            "{kind} in version {} cannot be handled as a {kind}: {message}",
            go_quote(version)
        )),
    };

    let mut value = value;
    let mut walk = Walk {
        crd: kind_enum.info().addon.is_some(),
        ..Walk::default()
    };
    if let Value::Object(map) = &mut value {
        walk.strukt(map, schema, "", "");
    }
    if let Some(error) = walk.type_error {
        return Err(rejected(error));
    }
    if kind_enum == Kind::Rollout {
        for path in schema::ROLLOUT_REQUIRED {
            missing_required(&value, path, "", &mut walk.crd_causes);
        }
    }
    if let Some((_, custom_kind)) = custom {
        for path in custom_kind.required {
            missing_required(&value, path, "", &mut walk.crd_causes);
        }
    }
    if !walk.crd_causes.is_empty() {
        return Err(ManifestError::Rejected {
            file: file.to_string(),
            error: ApiError::invalid(kind_enum, name, walk.crd_causes),
        });
    }
    if !walk.unknown.is_empty() {
        let list: Vec<String> = walk
            .unknown
            .iter()
            .map(|path| format!("unknown field {}", go_quote(path)))
            .collect();
        return Err(rejected(format!(
            "strict decoding error: {}",
            list.join(", ")
        )));
    }

    if let Some((codec, _)) = custom {
        return custom_object(value, kind_enum, codec).map_err(|causes| ManifestError::Rejected {
            file: file.to_string(),
            error: ApiError::invalid(kind_enum, name, causes),
        });
    }

    let mut checks = EarlyChecks::default();
    checks.run(kind_enum, &mut value);
    if let Some(what) = checks.not_simulated {
        return Err(ManifestError::NotSimulated {
            file: file.to_string(),
            what,
        });
    }
    if !checks.causes.is_empty() {
        return Err(ManifestError::Rejected {
            file: file.to_string(),
            error: ApiError::invalid(kind_enum, name, checks.causes),
        });
    }

    let status = match &mut value {
        Value::Object(map) => map.remove("status"),
        _ => None,
    };
    let typed = |value: Value| -> Result<Object, String> {
        Ok(match kind_enum {
            Kind::Deployment => {
                let mut d: Deployment = from_value(value)?;
                d.status = status_or_default(status);
                Object::Deployment(d)
            }
            Kind::ReplicaSet => {
                let mut rs: ReplicaSet = from_value(value)?;
                rs.status = status_or_default(status);
                Object::ReplicaSet(rs)
            }
            Kind::Pod => {
                let mut pod: Pod = from_value(value)?;
                pod.status = status_or_default(status);
                Object::Pod(pod)
            }
            Kind::Ingress => {
                let mut ingress: Ingress = from_value(value)?;
                ingress.status = status_or_default(status);
                Object::Ingress(ingress)
            }
            Kind::HorizontalPodAutoscaler => {
                let mut hpa: HorizontalPodAutoscaler = from_value(hpa_v1_to_v2(value))?;
                hpa.status = status_or_default(status);
                Object::HorizontalPodAutoscaler(hpa)
            }
            Kind::PodDisruptionBudget => {
                let mut pdb: PodDisruptionBudget = from_value(value)?;
                pdb.status = status_or_default(status);
                Object::PodDisruptionBudget(pdb)
            }
            Kind::Rollout => {
                let mut rollout: Rollout = from_value(value)?;
                rollout.status = status_or_default(status);
                Object::Rollout(Box::new(rollout))
            }
            Kind::AnalysisTemplate => {
                Object::AnalysisTemplate(from_value::<AnalysisTemplate>(value)?)
            }
            Kind::ClusterAnalysisTemplate => {
                Object::ClusterAnalysisTemplate(from_value::<ClusterAnalysisTemplate>(value)?)
            }
            Kind::AnalysisRun => {
                let mut run: AnalysisRun = from_value(value)?;
                run.status = status_or_default(status);
                Object::AnalysisRun(run)
            }
            Kind::Service => Object::Service(from_value::<Service>(value)?),
            Kind::Endpoints => Object::Endpoints(from_value::<Endpoints>(value)?),
            Kind::EndpointSlice => Object::EndpointSlice(from_value(value)?),
            Kind::Namespace
            | Kind::Node
            | Kind::Event
            | Kind::GatewayClass
            | Kind::Gateway
            | Kind::HTTPRoute
            | Kind::ReferenceGrant => Object::Namespace(from_value::<Namespace>(value)?),
        })
    };
    typed(value).map_err(rejected)
}

/// A custom resource as its CRD stores it: defaulted, then checked by the schema's rules.
fn custom_object(
    mut value: Value,
    kind: Kind,
    codec: &super::custom::CustomCodec,
) -> Result<Object, Vec<FieldError>> {
    (codec.default)(kind, &mut value);
    let causes = (codec.validate)(kind, &value);
    if !causes.is_empty() {
        return Err(causes);
    }
    let mut body = match value {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    body.remove("apiVersion");
    body.remove("kind");
    let metadata = body
        .remove("metadata")
        .and_then(|m| serde_json::from_value(m).ok())
        .unwrap_or_default();
    Ok(Object::Custom(Box::new(crate::objects::CustomObject {
        kind,
        metadata,
        body,
    })))
}

/// Adds a `Required value` cause for every place `pattern` (`a.b[].c`) names that is absent
/// while its parent is there.
fn missing_required(value: &Value, pattern: &str, at: &str, causes: &mut Vec<FieldError>) {
    let (head, rest) = match pattern.split_once('.') {
        Some((head, rest)) => (head, Some(rest)),
        None => (pattern, None),
    };
    let (key, every_item) = match head.strip_suffix("[]") {
        Some(key) => (key, true),
        None => (head, false),
    };
    let path = if at.is_empty() {
        key.to_string()
    } else {
        format!("{at}.{key}")
    };
    let Some(child) = value.as_object().and_then(|map| map.get(key)) else {
        if rest.is_none() && value.is_object() {
            causes.push(FieldError::required(path, ""));
        }
        return;
    };
    let Some(rest) = rest else {
        return;
    };
    if every_item {
        for (i, item) in child.as_array().into_iter().flatten().enumerate() {
            missing_required(item, rest, &format!("{path}[{i}]"), causes);
        }
    } else {
        missing_required(child, rest, &path, causes);
    }
}

fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_json::from_value(value).map_err(|err| err.to_string())
}

/// Status is ignored on writes; we keep what parses (so `kubectl edit` round-trips) and
/// drop the rest silently, like the API server.
fn status_or_default<T: DeserializeOwned + Default>(status: Option<Value>) -> T {
    status
        .and_then(|s| serde_json::from_value(s).ok())
        .unwrap_or_default()
}

/// Strict decoding against the Go schema: the first type error (Go's decoder keeps going
/// but reports the first) and every unknown field, in the order the decoder meets them
/// (kubectl sends keys sorted, and so does our JSON map).
#[derive(Default)]
struct Walk {
    type_error: Option<String>,
    unknown: Vec<String>,
    /// Checking a custom resource: type errors are the CRD schema's, one cause each.
    crd: bool,
    crd_causes: Vec<FieldError>,
}

/// Go's name of a JSON value's kind in an `UnmarshalTypeError`.
pub(crate) fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn number_literal(value: &Value) -> String {
    match value {
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            (_, _, Some(f)) => go::json_float(f),
            _ => n.to_string(),
        },
        _ => String::new(),
    }
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

fn zero_value(ty: &Ty) -> Value {
    match ty {
        Ty::Str | Ty::Named(_) => Value::String(String::new()),
        Ty::Bool => Value::Bool(false),
        Ty::Int32 | Ty::Int64 | Ty::IntOrString => Value::from(0),
        Ty::Struct(_) | Ty::Map(_) | Ty::OpaqueObject(_) => Value::Object(Map::new()),
        Ty::Slice(_) | Ty::OpaqueArray(_) => Value::Array(Vec::new()),
        Ty::Time | Ty::Any => Value::Null,
    }
}

impl Walk {
    fn type_error(&mut self, message: String) {
        if self.type_error.is_none() {
            self.type_error = Some(message);
        }
    }

    fn mismatch(&mut self, path: &str, found: String, strukt: &str, go_path: &str, ty: &Ty) {
        if self.crd {
            // A custom resource is checked by its CRD's OpenAPI schema, field by field.
            let found = found.split(' ').next().unwrap_or_default().to_string();
            let detail = format!(
                "{path} in body must be of type {}: {}",
                ty.openapi_name(),
                go_quote(&found)
            );
            self.crd_causes
                .push(FieldError::invalid(path, go_quote(&found), detail));
            return;
        }
        self.type_error(format!(
            "json: cannot unmarshal {found} into Go struct field {strukt}.{go_path} of type {}",
            ty.go_name()
        ));
    }

    /// `v1.ResourceRequirements`: each quantity of `limits` and `requests` parsed as
    /// `Quantity.UnmarshalJSON` does and stored in its canonical form (`1.5` → `1500m`).
    fn resource_requirements(&mut self, value: &mut Value, go_path: &str) {
        let Value::Object(map) = value else {
            return;
        };
        for list in ["limits", "requests"] {
            match map.get_mut(list) {
                None | Some(Value::Null) => {}
                Some(Value::Object(quantities)) => {
                    for quantity in quantities.values_mut() {
                        match crate::objects::quantity::quantity_of_json(quantity) {
                            Ok(q) => *quantity = Value::String(q.canonical()),
                            Err(error) => self.type_error(error.to_string()),
                        }
                    }
                }
                Some(other) => self.type_error(format!(
                    "json: cannot unmarshal {} into Go struct field ResourceRequirements.{go_path}.{list} of type v1.ResourceList",
                    json_kind(other)
                )),
            }
        }
    }

    fn strukt(
        &mut self,
        map: &mut Map<String, Value>,
        schema: &'static Struct,
        path: &str,
        go_path: &str,
    ) {
        let keys: Vec<String> = map.keys().cloned().collect();
        for key in keys {
            let field_path = join(path, &key);
            let Some(ty) = schema.field(&key) else {
                self.unknown.push(field_path);
                map.remove(&key);
                continue;
            };
            let null = map.get(&key).is_some_and(Value::is_null);
            if null {
                map.remove(&key);
                continue;
            }
            if let Some(value) = map.get_mut(&key) {
                self.value(value, ty, &field_path, &join(go_path, &key), schema.name);
            }
        }
    }

    fn value(
        &mut self,
        value: &mut Value,
        ty: &'static Ty,
        path: &str,
        go_path: &str,
        strukt: &str,
    ) {
        match ty {
            Ty::Str | Ty::Named(_) => {
                if !value.is_string() {
                    self.mismatch(path, json_kind(value).into(), strukt, go_path, ty);
                }
            }
            Ty::Bool => {
                if !value.is_boolean() {
                    self.mismatch(path, json_kind(value).into(), strukt, go_path, ty);
                }
            }
            Ty::Int32 | Ty::Int64 => {
                let fits = match value.as_i64() {
                    Some(i) => matches!(ty, Ty::Int64) || i32::try_from(i).is_ok(),
                    None => false,
                };
                if value.is_number() && !fits {
                    self.mismatch(
                        path,
                        format!("number {}", number_literal(value)),
                        strukt,
                        go_path,
                        ty,
                    );
                } else if !value.is_number() {
                    self.mismatch(path, json_kind(value).into(), strukt, go_path, ty);
                }
            }
            Ty::IntOrString => match value {
                Value::String(_) => {}
                Value::Number(_) if value.as_i64().is_some_and(|i| i32::try_from(i).is_ok()) => {}
                Value::Number(_) => self.type_error(format!(
                    "json: cannot unmarshal number {} into Go value of type int32",
                    number_literal(value)
                )),
                other => self.type_error(format!(
                    "json: cannot unmarshal {} into Go value of type int32",
                    json_kind(other)
                )),
            },
            Ty::Time => match value {
                Value::String(text) => {
                    if let Err(message) = crate::objects::timestamp::parse_rfc3339(text) {
                        self.type_error(message);
                    }
                }
                other => self.type_error(format!(
                    "json: cannot unmarshal {} into Go value of type string",
                    json_kind(other)
                )),
            },
            Ty::Struct(inner) => match value {
                Value::Object(map) => self.strukt(map, inner, path, go_path),
                other => self.mismatch(path, json_kind(other).into(), strukt, go_path, ty),
            },
            Ty::Slice(elem) => match value {
                Value::Array(items) => {
                    for (i, item) in items.iter_mut().enumerate() {
                        if item.is_null() {
                            *item = zero_value(elem);
                        } else {
                            self.value(item, elem, &format!("{path}[{i}]"), go_path, strukt);
                        }
                    }
                }
                other => self.mismatch(path, json_kind(other).into(), strukt, go_path, ty),
            },
            Ty::Map(elem) => match value {
                Value::Object(map) => {
                    for (key, item) in map.iter_mut() {
                        if item.is_null() {
                            *item = zero_value(elem);
                        } else {
                            self.value(item, elem, &join(path, key), go_path, strukt);
                        }
                    }
                }
                other => self.mismatch(path, json_kind(other).into(), strukt, go_path, ty),
            },
            Ty::OpaqueObject(name) => {
                if !value.is_object() {
                    self.mismatch(path, json_kind(value).into(), strukt, go_path, ty);
                } else if *name == "v1.ResourceRequirements" {
                    self.resource_requirements(value, go_path);
                }
            }
            Ty::OpaqueArray(_) => {
                if !value.is_array() {
                    self.mismatch(path, json_kind(value).into(), strukt, go_path, ty);
                }
            }
            Ty::Any => {}
        }
    }
}

/// Checks the API server makes on values our typed objects cannot hold (a strategy type
/// that is neither Recreate nor RollingUpdate, a selector operator `Equals`, …), plus the
/// limits of the simulation. They are reported as an Invalid error with validation's exact
/// cause texts; the other validation causes of the same object are not listed with them.
#[derive(Default)]
struct EarlyChecks {
    causes: Vec<FieldError>,
    not_simulated: Option<String>,
}

fn get_mut<'a>(value: &'a mut Value, path: &[&str]) -> Option<&'a mut Value> {
    let mut current = value;
    for key in path {
        current = current.as_object_mut()?.get_mut(*key)?;
    }
    Some(current)
}

impl EarlyChecks {
    fn run(&mut self, kind: Kind, value: &mut Value) {
        match kind {
            Kind::Deployment | Kind::ReplicaSet => {
                if let Some(selector) = get_mut(value, &["spec", "selector"]) {
                    self.selector(selector, "spec.selector");
                }
                if kind == Kind::Deployment {
                    self.strategy(value);
                }
                if let Some(spec) = get_mut(value, &["spec", "template", "spec"]) {
                    self.pod_spec(spec, "spec.template.spec");
                }
            }
            Kind::Pod => {
                if let Some(spec) = get_mut(value, &["spec"]) {
                    self.pod_spec(spec, "spec");
                }
            }
            Kind::Service => self.service(value),
            Kind::Ingress => self.ingress(value),
            _ => {}
        }
    }

    fn not_simulated(&mut self, what: String) {
        if self.not_simulated.is_none() {
            self.not_simulated = Some(what);
        }
    }

    fn selector(&mut self, selector: &mut Value, path: &str) {
        let Some(Value::Array(expressions)) = selector.get("matchExpressions") else {
            return;
        };
        for (i, expression) in expressions.iter().enumerate() {
            let operator = expression
                .get("operator")
                .and_then(Value::as_str)
                .unwrap_or("");
            if !matches!(operator, "In" | "NotIn" | "Exists" | "DoesNotExist") {
                self.causes.push(FieldError::invalid(
                    format!("{path}.matchExpressions[{i}].operator"),
                    go_quote(operator),
                    "not a valid selector operator",
                ));
            }
        }
    }

    fn strategy(&mut self, value: &mut Value) {
        let Some(strategy) = get_mut(value, &["spec", "strategy"]) else {
            return;
        };
        let type_ = strategy
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("RollingUpdate");
        if !matches!(type_, "RollingUpdate" | "Recreate") {
            let rolling = match strategy.get("rollingUpdate") {
                Some(_) => "(*apps.RollingUpdateDeployment)(0xc0004a2f60)",
                None => "(*apps.RollingUpdateDeployment)(nil)",
            };
            self.causes.push(FieldError {
                field: "spec.strategy".into(),
                type_: crate::api::FieldErrorType::Unsupported(
                    format!(
                        "apps.DeploymentStrategy{{Type:{}, RollingUpdate:{rolling}}}",
                        go_quote(type_)
                    ),
                    vec![],
                ),
                detail: "supported values: \"Recreate\", \"RollingUpdate\"".into(),
            });
        }
    }

    fn pod_spec(&mut self, spec: &mut Value, path: &str) {
        for list in ["containers", "initContainers"] {
            let Some(Value::Array(containers)) = spec.get_mut(list) else {
                continue;
            };
            for (i, container) in containers.iter_mut().enumerate() {
                self.container(container, &format!("{path}.{list}[{i}]"));
            }
        }
    }

    fn container(&mut self, container: &mut Value, path: &str) {
        let mut port_names: Vec<(String, i64)> = Vec::new();
        if let Some(Value::Array(ports)) = container.get_mut("ports") {
            for (i, port) in ports.iter_mut().enumerate() {
                let Some(port) = port.as_object_mut() else {
                    continue;
                };
                if let (Some(Value::String(name)), Some(number)) = (
                    port.get("name"),
                    port.get("containerPort").and_then(Value::as_i64),
                ) {
                    port_names.push((name.clone(), number));
                }
                // The lab's ContainerPort carries neither protocol nor host ports: every
                // container port is TCP and none is bound on the node.
                if let Some(Value::String(protocol)) = port.remove("protocol") {
                    if !matches!(protocol.as_str(), "TCP" | "UDP" | "SCTP") {
                        self.causes.push(FieldError::not_supported(
                            format!("{path}.ports[{i}].protocol"),
                            &protocol,
                            &["SCTP", "TCP", "UDP"],
                        ));
                    }
                }
                port.remove("hostPort");
                port.remove("hostIP");
            }
        }
        for probe_kind in ["livenessProbe", "readinessProbe", "startupProbe"] {
            if let Some(probe) = container.get_mut(probe_kind) {
                self.probe(probe, &format!("{path}.{probe_kind}"), &port_names);
            }
        }
    }

    fn probe(&mut self, probe: &mut Value, path: &str, port_names: &[(String, i64)]) {
        let Some(probe) = probe.as_object_mut() else {
            return;
        };
        probe.remove("terminationGracePeriodSeconds");
        let handlers: Vec<&str> = ["exec", "httpGet", "tcpSocket", "grpc"]
            .into_iter()
            .filter(|h| probe.contains_key(*h))
            .collect();
        match handlers.as_slice() {
            [] => {
                self.causes
                    .push(FieldError::required(path, "must specify a handler type"));
                return;
            }
            [_] => {}
            [_, extra @ ..] => {
                for handler in extra {
                    self.causes.push(FieldError::forbidden(
                        format!("{path}.{handler}"),
                        "may not specify more than 1 handler type",
                    ));
                }
                return;
            }
        }
        if probe.contains_key("grpc") {
            self.not_simulated(format!(
                "gRPC probes ({path}.grpc); use httpGet, tcpSocket or exec"
            ));
            return;
        }
        if let Some(Value::Object(exec)) = probe.get_mut("exec") {
            exec.entry("command")
                .or_insert_with(|| Value::Array(Vec::new()));
        }
        for handler in ["httpGet", "tcpSocket"] {
            let Some(Value::Object(action)) = probe.get_mut(handler) else {
                continue;
            };
            if handler == "httpGet" {
                action
                    .entry("path")
                    .or_insert_with(|| Value::String(String::new()));
                action.remove("httpHeaders");
                if let Some(Value::String(scheme)) = action.get("scheme") {
                    match scheme.as_str() {
                        "HTTP" => {}
                        "HTTPS" => self.not_simulated(format!(
                            "HTTPS probes ({path}.httpGet.scheme); the demo apps only speak HTTP"
                        )),
                        other => self.causes.push(FieldError::not_supported(
                            format!("{path}.httpGet.scheme"),
                            other,
                            &["HTTP", "HTTPS"],
                        )),
                    }
                }
                action.remove("scheme");
            }
            if action.get("host").is_some_and(|h| h.as_str() != Some("")) {
                self.not_simulated(format!("probes of another host ({path}.{handler}.host)"));
            }
            action.remove("host");
            let port = action.entry("port").or_insert_with(|| Value::from(0));
            // A named port stays a name in the real API and the kubelet resolves it when it
            // probes; the lab's probes carry a number, so the name is resolved here.
            if let Value::String(name) = port {
                let name = name.clone();
                if let Some((_, number)) = port_names.iter().find(|(n, _)| *n == name) {
                    *port = Value::from(*number);
                } else {
                    let problems = crate::api::names::port_name(&name);
                    if problems.is_empty() {
                        self.not_simulated(format!(
                            "a probe on port {} that no container port of that name declares ({path}.{handler}.port)",
                            go_quote(&name)
                        ));
                    }
                    for problem in problems {
                        self.causes.push(FieldError::invalid(
                            format!("{path}.{handler}.port"),
                            go_quote(&name),
                            problem,
                        ));
                    }
                }
            }
        }
    }

    fn service(&mut self, value: &mut Value) {
        let Some(spec) = get_mut(value, &["spec"]) else {
            return;
        };
        if let Some(Value::String(type_)) = spec.get("type") {
            match type_.as_str() {
                "ClusterIP" | "NodePort" | "LoadBalancer" => {}
                "ExternalName" => self.not_simulated("ExternalName Services".to_string()),
                other => self.causes.push(FieldError::not_supported(
                    "spec.type",
                    other,
                    &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
                )),
            }
        }
        if let Some(Value::String(affinity)) = spec.get("sessionAffinity") {
            if !matches!(affinity.as_str(), "None" | "ClientIP") {
                let affinity = affinity.clone();
                self.causes.push(FieldError::not_supported(
                    "spec.sessionAffinity",
                    &affinity,
                    &["ClientIP", "None"],
                ));
            }
        }
        if let Some(Value::Array(ports)) = spec.get_mut("ports") {
            for port in ports.iter_mut().filter_map(Value::as_object_mut) {
                port.remove("appProtocol");
            }
        }
    }

    fn ingress(&mut self, value: &mut Value) {
        if let Some(Value::Object(spec)) = get_mut(value, &["spec"]) {
            spec.remove("tls");
        }
        let mut uses_resource = false;
        let mut visit = |backend: Option<&Value>| {
            if backend.and_then(|b| b.get("resource")).is_some() {
                uses_resource = true;
            }
        };
        visit(value.get("spec").and_then(|s| s.get("defaultBackend")));
        if let Some(Value::Array(rules)) = value.get("spec").and_then(|s| s.get("rules")) {
            for rule in rules {
                if let Some(Value::Array(paths)) = rule.get("http").and_then(|h| h.get("paths")) {
                    for path in paths {
                        visit(path.get("backend"));
                    }
                }
            }
        }
        if uses_resource {
            self.not_simulated(
                "Ingress backends that point at a resource instead of a Service".into(),
            );
        }
    }
}

/// autoscaling/v1's `targetCPUUtilizationPercentage` is v2's CPU `Utilization` metric (the
/// API server converts between the two); any other v2 object passes unchanged.
fn hpa_v1_to_v2(mut value: Value) -> Value {
    if value.get("apiVersion").and_then(Value::as_str) != Some("autoscaling/v1") {
        return value;
    }
    if let Some(spec) = value.get_mut("spec").and_then(Value::as_object_mut) {
        if let Some(percent) = spec.remove("targetCPUUtilizationPercentage") {
            let metric = serde_json::json!({
                "type": "Resource",
                "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": percent}},
            });
            spec.insert("metrics".to_string(), Value::Array(vec![metric]));
        }
    }
    value
}
