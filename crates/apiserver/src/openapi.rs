//! OpenAPI v3: the root that lists each group version's document, and per group version a
//! `PATCH` operation for every kind, tagged with its group-version-kind and declaring the
//! `fieldValidation` query parameter. That tells kubectl the server validates fields itself
//! (it sends `fieldValidation=Strict` and skips its own schema check), and, with no request
//! body declared, to build strategic merge patches from its built-in types.
//!
//! Each document's `components.schemas` holds the lab's schemas (`rollout_kubectl::openapi`,
//! the data the lab's own `kubectl explain` renders), written so that kubectl's explain
//! template prints from them what the lab prints: a kind's type tagged with its
//! group-version-kind, references as kube-openapi writes them (`allOf: [$ref]`), a type
//! shown as a primitive (`Time`) typed as that primitive, and an add-on's nested objects
//! inlined as its CRD's schema is.
//!
//! OpenAPI v2 ([`swagger`], `/openapi/v2`) is the same schemas re-spelled as Swagger 2.0:
//! definitions named as the real API server names them (`io.k8s.api.apps.v1.Deployment`),
//! a described reference as `$ref` beside its description (kube-openapi's v2 form), and only
//! the types the served kinds reach. kubectl 1.30 reads it (as protobuf, [`crate::gnostic`])
//! for `explain --output=plaintext-openapiv2`, and would read a `PATCH` operation's
//! `consumes` to build apply's patches from these schemas: v2 declares no paths, so apply
//! keeps building them from its built-in types as it does with v3.

use crate::discovery;
use crate::http::{Request, Response};
use crate::status::Status;
use rollout_kubectl::openapi::{base_type, Property, Schemas, TypeSchema, PRIMITIVES};
use rollout_sim::cluster::Cluster;
use rollout_sim::objects::{KindInfo, KINDS};
use serde_json::{json, Map, Value};

/// `/openapi/v3`: where each group version's document is.
pub fn root(cluster: &Cluster) -> Value {
    let mut paths = Map::new();
    for info in discovery::served(cluster) {
        let path = api_path(info.api_version);
        paths.insert(
            path.clone(),
            json!({ "serverRelativeURL": format!("/openapi/v3/{path}?hash=rollout-lab") }),
        );
    }
    json!({ "paths": paths })
}

/// `api/v1`, `apis/apps/v1`.
fn api_path(group_version: &str) -> String {
    if group_version.contains('/') {
        format!("apis/{group_version}")
    } else {
        format!("api/{group_version}")
    }
}

/// `/openapi/v3/apis/GROUP/VERSION`, or `None` for a version the cluster does not serve.
pub fn group_version(cluster: &Cluster, path: &str) -> Option<Value> {
    let mut paths = Map::new();
    for info in discovery::served(cluster).filter(|i| api_path(i.api_version) == path) {
        let (group, version) = info
            .api_version
            .split_once('/')
            .unwrap_or(("", info.api_version));
        let object_path = if info.namespaced {
            format!(
                "/{path}/namespaces/{{namespace}}/{}/{{name}}",
                info.resource
            )
        } else {
            format!("/{path}/{}/{{name}}", info.resource)
        };
        paths.insert(
            object_path,
            json!({
                "patch": {
                    "operationId": format!("patch{}", info.name),
                    "x-kubernetes-action": "patch",
                    "x-kubernetes-group-version-kind": { "group": group, "version": version, "kind": info.name },
                    "parameters": [
                        { "name": "dryRun", "in": "query", "schema": { "type": "string" } },
                        { "name": "fieldManager", "in": "query", "schema": { "type": "string" } },
                        { "name": "fieldValidation", "in": "query", "schema": { "type": "string" } },
                    ],
                    "responses": { "200": { "description": "OK" } },
                },
            }),
        );
    }
    if paths.is_empty() {
        return None;
    }
    Some(json!({
        "openapi": "3.0.0",
        "info": { "title": "Kubernetes", "version": rollout_sim::KUBERNETES_VERSION },
        "paths": paths,
        "components": { "schemas": component_schemas(cluster) },
    }))
}

/// `components.schemas`: every type of the lab's schemas (`rollout_kubectl::openapi`) as
/// the OpenAPI v3 schema kubectl's explain template reads back into what the lab's own
/// `kubectl explain` prints. A kind's type carries its group-version-kinds. A property
/// points at a named type with `allOf: [$ref]` (kube-openapi's form, so the explain template
/// prints the field's description and then the type's); an add-on's nested objects, which
/// the data names by field path and shows as `Object`, are inlined as a CRD's schema is.
fn component_schemas(cluster: &Cluster) -> Map<String, Value> {
    let mut out = Map::new();
    let Some(Ok(schemas)) = rollout_kubectl::openapi::schemas() else {
        return out;
    };
    // The primitive a named type stands for, where a field shows it as one (`Time`:
    // `string`); kubectl's template prints a referenced type's name only for an object.
    let mut primitive: Vec<(&str, &str)> = Vec::new();
    for ty in &schemas.types {
        for property in &ty.properties {
            let base = base_type(&property.shown_type);
            if let Some(reference) = &property.reference {
                if is_primitive(base) && base != "Object" {
                    primitive.push((reference.as_str(), base));
                }
            }
        }
    }
    for ty in &schemas.types {
        let kinds: Vec<&rollout_sim::objects::KindInfo> = discovery::served(cluster)
            .filter(|info| info.name == ty.name)
            .collect();
        // A nested object of an add-on's kind is inlined where it is used.
        if ty.name.contains('.') {
            continue;
        }
        let mut schema = type_schema(schemas, ty, 0);
        if let Some((_, base)) = primitive.iter().find(|(name, _)| *name == ty.name) {
            schema["type"] = json!(base);
        } else if ty.properties.is_empty() {
            if let Some(object) = schema.as_object_mut() {
                object.remove("type");
            }
        }
        if !kinds.is_empty() {
            let gvks: Vec<Value> = kinds
                .iter()
                .map(|info| {
                    let (group, version) = info
                        .api_version
                        .split_once('/')
                        .unwrap_or(("", info.api_version));
                    json!({ "group": group, "version": version, "kind": info.name })
                })
                .collect();
            schema["x-kubernetes-group-version-kind"] = json!(gvks);
        }
        out.insert(ty.name.clone(), schema);
    }
    out
}

/// How deep inlined objects may nest: the data's objects never contain themselves, and this
/// bounds the walk should a file ever say otherwise.
const MAX_INLINE_DEPTH: usize = 64;

/// A type as an object schema: its description, properties and required fields.
fn type_schema(schemas: &Schemas, ty: &TypeSchema, depth: usize) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for property in &ty.properties {
        properties.insert(
            property.name.clone(),
            property_schema(schemas, property, depth),
        );
        if property.required {
            required.push(json!(property.name));
        }
    }
    let mut schema = json!({ "type": "object" });
    if !ty.description.is_empty() {
        schema["description"] = json!(ty.description);
    }
    if !properties.is_empty() {
        schema["properties"] = Value::Object(properties);
    }
    if !required.is_empty() {
        schema["required"] = Value::Array(required);
    }
    schema
}

fn property_schema(schemas: &Schemas, property: &Property, depth: usize) -> Value {
    let mut schema = shape(
        schemas,
        &property.shown_type,
        property.reference.as_deref(),
        depth,
    );
    if !property.description.is_empty() {
        schema["description"] = json!(property.description);
    }
    if !property.enum_values.is_empty() {
        schema["enum"] = json!(property.enum_values);
    }
    schema
}

/// The schema of a shown type: `[]X` and `map[string]X` around the schema of `X`, which is
/// a primitive, a reference to a named type, or an add-on's object inlined.
fn shape(schemas: &Schemas, shown: &str, reference: Option<&str>, depth: usize) -> Value {
    if let Some(items) = shown.strip_prefix("[]") {
        return json!({ "type": "array", "items": shape(schemas, items, reference, depth) });
    }
    if let Some(values) = shown.strip_prefix("map[string]") {
        return json!({
            "type": "object",
            "additionalProperties": shape(schemas, values, reference, depth),
        });
    }
    match reference {
        Some(name) if shown == "Object" => match schemas.get(name) {
            Some(ty) if depth < MAX_INLINE_DEPTH => type_schema(schemas, ty, depth + 1),
            _ => json!({ "type": "object" }),
        },
        Some(name) => json!({ "allOf": [{ "$ref": format!("#/components/schemas/{name}") }] }),
        None if shown == "Object" => json!({ "type": "object" }),
        None if is_primitive(shown) => json!({ "type": shown }),
        None => json!({ "allOf": [{ "$ref": format!("#/components/schemas/{shown}") }] }),
    }
}

fn is_primitive(shown: &str) -> bool {
    PRIMITIVES.contains(&shown)
}

/// The extension that tags a kind's type with its group-version-kinds.
const GVK: &str = "x-kubernetes-group-version-kind";

/// `/openapi/v2`: the Swagger 2.0 document, built from [`component_schemas`] (the v3
/// document's schemas) so that both versions say the same. Its definitions are the served
/// kinds' types and every type they reach; with no add-on installed no add-on type is
/// there, and no reference dangles (kube-openapi refuses the whole document if one does).
pub fn swagger(cluster: &Cluster) -> Value {
    let components = component_schemas(cluster);
    let mut wanted: Vec<String> = components
        .iter()
        .filter(|(_, schema)| schema.get(GVK).is_some())
        .map(|(name, _)| name.clone())
        .collect();
    let mut definitions = Map::new();
    while let Some(name) = wanted.pop() {
        let qualified = definition_name(&name);
        if definitions.contains_key(&qualified) {
            continue;
        }
        // Every reference of the data names a type the data defines (`openapi::parse`
        // checks), so a miss would be a bug here; the reference then dangles and the test of
        // the document's closure says so.
        let Some(schema) = components.get(&name) else {
            continue;
        };
        let mut schema = schema.clone();
        to_v2(&mut schema, &mut wanted);
        definitions.insert(qualified, schema);
    }
    json!({
        "swagger": "2.0",
        "info": { "title": "Kubernetes", "version": rollout_sim::KUBERNETES_VERSION },
        "paths": {},
        "definitions": definitions,
    })
}

/// The protobuf form's media type: client-go asks for it spelled with `@`, kube-openapi
/// answers with `.` (and accepts both).
const PROTOBUF_ASKED: &str = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
const PROTOBUF: &str = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

/// `GET /openapi/v2`: [`swagger`] as JSON, or as gnostic's protobuf when `Accept` asks for it
/// first; 406 for an `Accept` naming neither. Both forms carry the JSON's entity tag, and an
/// `If-None-Match` holding it is answered 304, as kube-openapi's handler does.
pub fn v2_response(cluster: &Cluster, request: &Request) -> Result<Response, Status> {
    let protobuf = match request.header("accept").map(str::trim) {
        None | Some("") => false,
        Some(accept) => accept
            .split(',')
            .map(|clause| clause.split(';').next().unwrap_or("").trim())
            .find_map(|media| match media {
                PROTOBUF_ASKED | PROTOBUF => Some(true),
                "application/json" | "application/*" | "*/*" => Some(false),
                _ => None,
            })
            .ok_or_else(|| {
                Status::new(
                    406,
                    "NotAcceptable",
                    format!(
                        "only the following media types are accepted: application/json, {PROTOBUF}"
                    ),
                )
            })?,
    };
    let document = swagger(cluster);
    let json = serde_json::to_vec(&document)
        .map_err(|err| Status::new(500, "InternalError", err.to_string()))?;
    let etag = format!("\"{:016X}\"", fingerprint(&json));
    let unchanged = request.header("if-none-match").is_some_and(|tags| {
        tags.split(',')
            .map(str::trim)
            .any(|tag| tag == etag || tag == "*")
    });
    let (content_type, body) = if protobuf {
        let bytes = crate::gnostic::document(&document)
            .map_err(|err| Status::new(500, "InternalError", err.to_string()))?;
        (PROTOBUF, bytes)
    } else {
        ("application/json", json)
    };
    Ok(Response {
        status: if unchanged { 304 } else { 200 },
        content_type,
        body: if unchanged { Vec::new() } else { body },
        etag: Some(etag),
    })
}

/// A 64-bit FNV-1a hash: the same bytes give the same tag in every build and process.
fn fingerprint(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Rewrites a v3 schema as v2 in place: `allOf: [{$ref}]` becomes `$ref` (beside the
/// description, where Swagger 2.0 and kube-openapi put it), pointing into `#/definitions/`;
/// each type referred to is pushed onto `wanted`.
fn to_v2(schema: &mut Value, wanted: &mut Vec<String>) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(parts)) = object.remove("allOf") {
        let target = match parts.as_slice() {
            [only] => only["$ref"]
                .as_str()
                .and_then(|r| r.strip_prefix("#/components/schemas/")),
            _ => None,
        };
        match target {
            Some(name) => {
                object.insert(
                    "$ref".into(),
                    json!(format!("#/definitions/{}", definition_name(name))),
                );
                wanted.push(name.to_string());
            }
            None => {
                object.insert("allOf".into(), Value::Array(parts));
            }
        }
    }
    if let Some(Value::Object(properties)) = object.get_mut("properties") {
        for property in properties.values_mut() {
            to_v2(property, wanted);
        }
    }
    for keyword in ["items", "additionalProperties"] {
        if let Some(inner) = object.get_mut(keyword) {
            to_v2(inner, wanted);
        }
    }
}

/// The Go packages, as kube-openapi writes them, of the lab's types that are neither kinds
/// (whose package follows from their group version, [`kind_package`]) nor in core `v1`.
const PACKAGES: &[(&str, &[&str])] = &[
    (
        "io.k8s.apimachinery.pkg.apis.meta.v1",
        &[
            "Condition",
            "FieldsV1",
            "LabelSelector",
            "LabelSelectorRequirement",
            "ManagedFieldsEntry",
            "MicroTime",
            "ObjectMeta",
            "OwnerReference",
            "Time",
        ],
    ),
    ("io.k8s.apimachinery.pkg.util.intstr", &["IntOrString"]),
    ("io.k8s.apimachinery.pkg.api.resource", &["Quantity"]),
    (
        "io.k8s.api.apps.v1",
        &[
            "DeploymentCondition",
            "DeploymentSpec",
            "DeploymentStatus",
            "DeploymentStrategy",
            "ReplicaSetCondition",
            "ReplicaSetSpec",
            "ReplicaSetStatus",
            "RollingUpdateDeployment",
        ],
    ),
    (
        "io.k8s.api.autoscaling.v2",
        &[
            "HorizontalPodAutoscalerSpec",
            "HorizontalPodAutoscalerStatus",
        ],
    ),
    ("io.k8s.api.discovery.v1", &["Endpoint", "EndpointPort"]),
    (
        "io.k8s.api.networking.v1",
        &[
            "HTTPIngressPath",
            "HTTPIngressRuleValue",
            "IngressBackend",
            "IngressRule",
            "IngressServiceBackend",
            "IngressSpec",
            "IngressStatus",
            "IngressTLS",
            "ServiceBackendPort",
        ],
    ),
    (
        "io.k8s.api.policy.v1",
        &["PodDisruptionBudgetSpec", "PodDisruptionBudgetStatus"],
    ),
];

/// A type's definition name in v2: `io.k8s.api.apps.v1.Deployment`.
fn definition_name(name: &str) -> String {
    let package = match KINDS.iter().find(|info| info.name == name) {
        Some(info) => kind_package(info),
        None => PACKAGES
            .iter()
            .find(|(_, names)| names.contains(&name))
            .map_or("io.k8s.api.core.v1", |(package, _)| package)
            .to_string(),
    };
    format!("{package}.{name}")
}

/// A kind's package: `io.k8s.api.apps.v1` for a built-in kind; for a custom resource, its
/// group's labels reversed and its version (`io.argoproj.v1alpha1`), as the API server
/// names a CRD's definitions.
fn kind_package(info: &KindInfo) -> String {
    let (group, version) = info
        .api_version
        .split_once('/')
        .unwrap_or(("", info.api_version));
    if info.addon.is_some() {
        let reversed: Vec<&str> = group.split('.').rev().collect();
        return format!("{}.{version}", reversed.join("."));
    }
    let package = match group {
        "" => "io.k8s.api.core".to_string(),
        "apiextensions.k8s.io" => "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions".into(),
        "apiregistration.k8s.io" => "io.k8s.kube-aggregator.pkg.apis.apiregistration".into(),
        group => format!("io.k8s.api.{}", group.split('.').next().unwrap_or(group)),
    };
    format!("{package}.{version}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_the_package_table_names_is_one_of_the_labs_types() {
        let Some(Ok(schemas)) = rollout_kubectl::openapi::schemas() else {
            panic!("the embedded schemas parse");
        };
        for (package, names) in PACKAGES {
            for name in *names {
                assert!(schemas.get(name).is_some(), "{package}.{name}");
            }
        }
    }

    #[test]
    fn definitions_are_named_by_package_as_the_api_server_names_them() {
        assert_eq!(
            definition_name("Deployment"),
            "io.k8s.api.apps.v1.Deployment"
        );
        assert_eq!(definition_name("PodSpec"), "io.k8s.api.core.v1.PodSpec");
        assert_eq!(
            definition_name("ObjectMeta"),
            "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
        );
        assert_eq!(
            definition_name("Ingress"),
            "io.k8s.api.networking.v1.Ingress"
        );
        assert_eq!(definition_name("Rollout"), "io.argoproj.v1alpha1.Rollout");
        assert_eq!(
            definition_name("HTTPRoute"),
            "io.k8s.networking.gateway.v1.HTTPRoute"
        );
    }
}
