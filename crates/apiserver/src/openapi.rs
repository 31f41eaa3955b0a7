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
//! inlined as its CRD's schema is. OpenAPI v2 (`/openapi/v2`) is not served: kubectl 1.30
//! asks for it only as protobuf, and only for `explain --output=plaintext-openapiv2`.

use crate::discovery;
use rollout_kubectl::openapi::{base_type, Property, Schemas, TypeSchema, PRIMITIVES};
use rollout_sim::cluster::Cluster;
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
