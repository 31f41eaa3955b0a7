//! `kubectl explain TYPE[.FIELD…]`: the API documentation of a resource or one of its fields,
//! printed the way kubectl 1.30 renders the server's OpenAPI v3 schema (its "plaintext"
//! template).
//!
//! The schema is data: [`SCHEMAS`] holds, per API type, its description and its fields (name,
//! the type kubectl shows, the schema it points to, required, enum values, description), with
//! the Kubernetes 1.30 descriptions. Types the lab does not describe field by field are listed
//! with their description only, so `FIELD:`/`DESCRIPTION:` still print for them.
//!
//! The layout follows the template line for line:
//! - a header (`GROUP:` only for named groups), then, for a field path, `FIELD: name <type>`
//!   followed by its enum values and two newlines;
//! - `DESCRIPTION:` is the field's description followed by the description of the type it
//!   points to, each ending in a newline, wrapped at 76 columns and indented by 4 (which
//!   leaves a line of four spaces before `FIELDS:`);
//! - `FIELDS:` lists fields in name order as `name<TAB><type>`, descriptions wrapped at
//!   `78 - indent` and indented 2 more than the name; `--recursive` prints only the names, each
//!   level 2 deeper.

use super::{Ctx, Flow};
use crate::args::{self, boolean, value};
use crate::error::KubectlError;
use rollout_sim::objects::Kind;

const COMMAND: &str = "kubectl explain";

/// The group/versions the simulated API server publishes OpenAPI documents for, as a 1.30
/// cluster does (`--api-version` naming one of them reaches the schema lookup; any other is
/// refused before it).
const GROUP_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "apiextensions.k8s.io/v1",
    "apiregistration.k8s.io/v1",
    "apps/v1",
    "authentication.k8s.io/v1",
    "authorization.k8s.io/v1",
    "autoscaling/v1",
    "autoscaling/v2",
    "batch/v1",
    "certificates.k8s.io/v1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "events.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "node.k8s.io/v1",
    "policy/v1",
    "rbac.authorization.k8s.io/v1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1",
];

pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    let (stdout, result) = execute(argv);
    ctx.out.stdout.push_str(&stdout);
    result.map(|()| Flow::Done)
}

/// What `kubectl explain ARGS…` writes to standard output, and how it ends. The template
/// writes as it goes, so the header is already out when a field turns out not to exist.
fn execute(argv: &[String]) -> (String, Result<(), KubectlError>) {
    let request = match Request::from_args(argv) {
        Ok(request) => request,
        Err(err) => return (String::new(), Err(err)),
    };
    let explained = explain(request.kind, &request.fields, request.recursive);
    let result = match explained.missing_field {
        Some(field) => Err(KubectlError::plain(format!(
            "field \"{field}\" does not exist"
        ))),
        None => Ok(()),
    };
    (explained.text, result)
}

/// `TYPE[.FIELD…]` split the way kubectl splits it.
#[derive(Debug)]
struct Request {
    kind: Kind,
    fields: Vec<String>,
    recursive: bool,
}

impl Request {
    fn from_args(argv: &[String]) -> Result<Request, KubectlError> {
        let args = args::parse(
            COMMAND,
            argv,
            &[
                boolean("recursive", None),
                value("api-version", None),
                value("output", None),
            ],
        )?;
        let input = match args.positional.as_slice() {
            [] => {
                return Err(KubectlError::plain(
                    "You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.",
                ))
            }
            [one] => one.as_str(),
            _ => {
                return Err(KubectlError::plain(
                    "We accept only this format: explain RESOURCE",
                ))
            }
        };
        let mut request = Request::parse(input, args.value("api-version"))?;
        request.recursive = args.flag("recursive");
        let format = args.value("output").unwrap_or("plaintext");
        // `plaintext-openapiv2` is kubectl's older renderer; the lab answers both with this one.
        if format != "plaintext" && format != "plaintext-openapiv2" {
            return Err(KubectlError::plain(format!(
                "unrecognized format: {format}"
            )));
        }
        Ok(request)
    }

    fn parse(input: &str, api_version: Option<&str>) -> Result<Request, KubectlError> {
        let input = input.strip_suffix('.').unwrap_or(input);
        let mut parts = input.split('.');
        let kind = crate::resource::resolve(parts.next().unwrap_or_default())?;
        let mut fields: Vec<String> = parts.map(String::from).collect();
        match api_version {
            None => {
                // `deployments.apps.spec`: a path starting with `resource.group` drops it. A
                // short name with a group (`deploy.apps`) does not match and keeps `apps` as a
                // field, as in kubectl.
                let qualified = kind.qualified_resource();
                if let Some(suffix) = input.strip_prefix(qualified.as_str()) {
                    fields = match suffix.get(1..) {
                        Some(rest) if !suffix.is_empty() => {
                            rest.split('.').map(String::from).collect()
                        }
                        _ => Vec::new(),
                    };
                }
            }
            Some(api_version) => {
                let (group, version) = parse_group_version(api_version)?;
                let same = group == kind.group() && version == "v1";
                if !same {
                    let gvr = format!("{group}/{version}, Resource={}", kind.resource());
                    let published = if group.is_empty() {
                        version.to_string()
                    } else {
                        format!("{group}/{version}")
                    };
                    return Err(if GROUP_VERSIONS.contains(&published.as_str()) {
                        KubectlError::plain(format!("GVR ({gvr}) not found in OpenAPI schema"))
                    } else {
                        KubectlError::plain(format!("couldn't find resource for \"{gvr}\""))
                    });
                }
            }
        }
        Ok(Request {
            kind,
            fields,
            recursive: false,
        })
    }
}

/// `schema.ParseGroupVersion`: `v1`, `apps/v1`; more than one slash is an error.
fn parse_group_version(text: &str) -> Result<(&str, &str), KubectlError> {
    if text.is_empty() || text == "/" {
        return Ok(("", ""));
    }
    match text.split_once('/') {
        None => Ok(("", text)),
        Some((group, version)) if !version.contains('/') => Ok((group, version)),
        Some(_) => Err(KubectlError::plain(format!(
            "unexpected GroupVersion string: {text}"
        ))),
    }
}

/// What explain printed, and the field it stopped at if the path does not exist.
struct Explained {
    text: String,
    missing_field: Option<String>,
}

fn explain(kind: Kind, path: &[String], recursive: bool) -> Explained {
    let mut text = String::new();
    if !kind.group().is_empty() {
        text.push_str(&format!("GROUP:      {}\n", kind.group()));
    }
    text.push_str(&format!("KIND:       {kind}\n"));
    text.push_str("VERSION:    v1\n\n");
    match body(&kind.to_string(), path, recursive) {
        Some(body) => {
            text.push_str(&body);
            text.push('\n');
            Explained {
                text,
                missing_field: None,
            }
        }
        // The template names the last element of the path, whichever one was missing.
        None => Explained {
            text,
            missing_field: Some(path.last().cloned().unwrap_or_default()),
        },
    }
}

/// Everything after the header, or `None` when a field on the path does not exist.
fn body(kind: &str, path: &[String], recursive: bool) -> Option<String> {
    let mut out = String::new();
    let mut schema = schema(kind);
    let mut description = with_newline(schema.map_or("", |s| s.description));
    for (i, segment) in path.iter().enumerate() {
        let field = schema?.fields.iter().find(|f| f.name == segment)?;
        if i + 1 == path.len() {
            out.push_str(&format!("FIELD: {} <{}>\n", field.name, field.ty));
            if !field.enum_values.is_empty() {
                out.push_str("ENUM:");
                for value in field.enum_values {
                    out.push_str("\n    ");
                    out.push_str(&enum_value(value));
                }
            }
            out.push_str("\n\n");
        }
        schema = self::schema(field.schema);
        description = with_newline(field.description);
        description.push_str(&with_newline(schema.map_or("", |s| s.description)));
    }
    out.push_str("DESCRIPTION:\n");
    let description = if description.is_empty() {
        "<empty>".to_string()
    } else {
        description
    };
    out.push_str(&indent(4, &wrap(&description, 76)));
    out.push('\n');
    if let Some(schema) = schema.filter(|s| !s.fields.is_empty()) {
        out.push_str("FIELDS:\n");
        field_list(&mut out, schema, 1, recursive, &mut vec![schema.name]);
    }
    Some(out)
}

/// One entry per field; with `--recursive` the fields of each field's type follow, one level
/// deeper, stopping where a type would repeat one above it.
fn field_list(
    out: &mut String,
    schema: &Schema,
    level: usize,
    recursive: bool,
    history: &mut Vec<&'static str>,
) {
    let pad = level * 2;
    for field in schema.fields {
        out.push_str(&" ".repeat(pad));
        out.push_str(&format!("{}\t<{}>", field.name, field.ty));
        if field.required {
            out.push_str(" -required-");
        }
        if !field.enum_values.is_empty() {
            out.push('\n');
            out.push_str(&" ".repeat(pad));
            out.push_str("enum: ");
            for (i, value) in field.enum_values.iter().enumerate() {
                if i == 4 {
                    out.push_str(", ....");
                    break;
                }
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&enum_value(value));
            }
        }
        out.push('\n');
        if recursive {
            if let Some(nested) = self::schema(field.schema) {
                if !history.contains(&nested.name) {
                    history.push(nested.name);
                    field_list(out, nested, level + 1, recursive, history);
                    history.pop();
                }
            }
        } else {
            let description = if field.description.is_empty() {
                "<no description>"
            } else {
                field.description
            };
            out.push_str(&indent(pad + 2, &wrap(description, 78 - pad)));
            out.push_str("\n\n");
        }
    }
}

/// An empty string among enum values is shown as `""`.
fn enum_value(value: &str) -> String {
    if value.is_empty() {
        "\"\"".to_string()
    } else {
        value.to_string()
    }
}

fn with_newline(text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!("{text}\n")
    }
}

fn schema(name: &str) -> Option<&'static Schema> {
    if name.is_empty() {
        return None;
    }
    SCHEMAS.iter().find(|s| s.name == name)
}

/// The template's `indent`: every line, including an empty last one, gets the padding.
fn indent(amount: usize, text: &str) -> String {
    let pad = " ".repeat(amount);
    format!("{pad}{}", text.replace('\n', &format!("\n{pad}")))
}

/// kubectl's word wrapper (mitchellh/go-wordwrap `WrapString`): breaks at whitespace so lines
/// stay within `limit` characters, keeps existing line breaks, never splits a long word.
fn wrap(text: &str, limit: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / limit.max(1));
    let mut current = 0;
    let (mut word, mut word_len) = (String::new(), 0);
    let (mut space, mut space_len) = (String::new(), 0);
    for c in text.chars() {
        if c == '\n' {
            if word.is_empty() {
                if current + space_len <= limit {
                    out.push_str(&space);
                }
            } else {
                out.push_str(&space);
                out.push_str(&word);
            }
            space.clear();
            space_len = 0;
            word.clear();
            word_len = 0;
            out.push(c);
            current = 0;
        } else if c.is_whitespace() && c != '\u{a0}' {
            if space.is_empty() || !word.is_empty() {
                current += space_len + word_len;
                out.push_str(&space);
                out.push_str(&word);
                space.clear();
                space_len = 0;
                word.clear();
                word_len = 0;
            }
            space.push(c);
            space_len += 1;
        } else {
            word.push(c);
            word_len += 1;
            if current + space_len + word_len > limit && word_len < limit {
                out.push('\n');
                current = 0;
                space.clear();
                space_len = 0;
            }
        }
    }
    if word.is_empty() {
        if current + space_len <= limit {
            out.push_str(&space);
        }
    } else {
        out.push_str(&space);
        out.push_str(&word);
    }
    out
}

/// An API type as the OpenAPI document describes it.
struct Schema {
    /// The short type name kubectl shows (`DeploymentSpec`), and the key fields point at.
    name: &'static str,
    description: &'static str,
    /// In name order, as the template ranges over them. Empty for types described only.
    fields: &'static [Field],
}

/// One property of a type.
struct Field {
    name: &'static str,
    /// What kubectl prints between `<>`: `string`, `[]Container`, `map[string]string`.
    ty: &'static str,
    /// The schema the field (or its items or map values) points to; empty for primitives.
    schema: &'static str,
    required: bool,
    /// Allowed values, in the schema's order (printed as `enum:` / `ENUM:`).
    enum_values: &'static [&'static str],
    description: &'static str,
}

/// The API types, their descriptions and fields (Kubernetes 1.30).
const SCHEMAS: &[Schema] = &[
    Schema {
        name: "Deployment",
        description: "Deployment enables declarative updates for Pods and ReplicaSets.",
        fields: &[
            Field {
                name: "apiVersion",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
            },
            Field {
                name: "kind",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
            },
            Field {
                name: "metadata",
                ty: "ObjectMeta",
                schema: "ObjectMeta",
                required: false,
                enum_values: &[],
                description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
            },
            Field {
                name: "spec",
                ty: "DeploymentSpec",
                schema: "DeploymentSpec",
                required: false,
                enum_values: &[],
                description: "Specification of the desired behavior of the Deployment.",
            },
            Field {
                name: "status",
                ty: "DeploymentStatus",
                schema: "DeploymentStatus",
                required: false,
                enum_values: &[],
                description: "Most recently observed status of the Deployment.",
            },
        ],
    },
    Schema {
        name: "DeploymentSpec",
        description: "DeploymentSpec is the specification of the desired behavior of the Deployment.",
        fields: &[
            Field {
                name: "minReadySeconds",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)",
            },
            Field {
                name: "paused",
                ty: "boolean",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Indicates that the deployment is paused.",
            },
            Field {
                name: "progressDeadlineSeconds",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "The maximum time in seconds for a deployment to make progress before it is considered to be failed. The deployment controller will continue to process failed deployments and a condition with a ProgressDeadlineExceeded reason will be surfaced in the deployment status. Note that progress will not be estimated during the time a deployment is paused. Defaults to 600s.",
            },
            Field {
                name: "replicas",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.",
            },
            Field {
                name: "revisionHistoryLimit",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "The number of old ReplicaSets to retain to allow rollback. This is a pointer to distinguish between explicit zero and not specified. Defaults to 10.",
            },
            Field {
                name: "selector",
                ty: "LabelSelector",
                schema: "LabelSelector",
                required: true,
                enum_values: &[],
                description: "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels.",
            },
            Field {
                name: "strategy",
                ty: "DeploymentStrategy",
                schema: "DeploymentStrategy",
                required: false,
                enum_values: &[],
                description: "The deployment strategy to use to replace existing pods with new ones.",
            },
            Field {
                name: "template",
                ty: "PodTemplateSpec",
                schema: "PodTemplateSpec",
                required: true,
                enum_values: &[],
                description: "Template describes the pods that will be created. The only allowed template.spec.restartPolicy value is \"Always\".",
            },
        ],
    },
    Schema {
        name: "DeploymentStrategy",
        description: "DeploymentStrategy describes how to replace existing pods with new ones.",
        fields: &[
            Field {
                name: "rollingUpdate",
                ty: "RollingUpdateDeployment",
                schema: "RollingUpdateDeployment",
                required: false,
                enum_values: &[],
                description: "Rolling update config params. Present only if DeploymentStrategyType = RollingUpdate.",
            },
            Field {
                name: "type",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &["Recreate", "RollingUpdate"],
                description: "Type of deployment. Can be \"Recreate\" or \"RollingUpdate\". Default is RollingUpdate.\n\nPossible enum values:\n - `\"Recreate\"` Kill all existing pods before creating new ones.\n - `\"RollingUpdate\"` Replace the old ReplicaSets by new one using rolling update i.e gradually scale down the old ReplicaSets and scale up the new one.",
            },
        ],
    },
    Schema {
        name: "RollingUpdateDeployment",
        description: "Spec to control the desired behavior of rolling update.",
        fields: &[
            Field {
                name: "maxSurge",
                ty: "IntOrString",
                schema: "IntOrString",
                required: false,
                enum_values: &[],
                description: "The maximum number of pods that can be scheduled above the desired number of pods. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). This can not be 0 if MaxUnavailable is 0. Absolute number is calculated from percentage by rounding up. Defaults to 25%. Example: when this is set to 30%, the new ReplicaSet can be scaled up immediately when the rolling update starts, such that the total number of old and new pods do not exceed 130% of desired pods. Once old pods have been killed, new ReplicaSet can be scaled up further, ensuring that total number of pods running at any time during the update is at most 130% of desired pods.",
            },
            Field {
                name: "maxUnavailable",
                ty: "IntOrString",
                schema: "IntOrString",
                required: false,
                enum_values: &[],
                description: "The maximum number of pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Absolute number is calculated from percentage by rounding down. This can not be 0 if MaxSurge is 0. Defaults to 25%. Example: when this is set to 30%, the old ReplicaSet can be scaled down to 70% of desired pods immediately when the rolling update starts. Once new pods are ready, old ReplicaSet can be scaled down further, followed by scaling up the new ReplicaSet, ensuring that the total number of pods available at all times during the update is at least 70% of desired pods.",
            },
        ],
    },
    Schema {
        name: "DeploymentStatus",
        description: "DeploymentStatus is the most recently observed status of the Deployment.",
        fields: &[
            Field {
                name: "availableReplicas",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.",
            },
            Field {
                name: "collisionCount",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Count of hash collisions for the Deployment. The Deployment controller uses this field as a collision avoidance mechanism when it needs to create the name for the newest ReplicaSet.",
            },
            Field {
                name: "conditions",
                ty: "[]DeploymentCondition",
                schema: "DeploymentCondition",
                required: false,
                enum_values: &[],
                description: "Represents the latest available observations of a deployment's current state.",
            },
            Field {
                name: "observedGeneration",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "The generation observed by the deployment controller.",
            },
            Field {
                name: "readyReplicas",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "readyReplicas is the number of pods targeted by this Deployment with a Ready Condition.",
            },
            Field {
                name: "replicas",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Total number of non-terminated pods targeted by this deployment (their labels match the selector).",
            },
            Field {
                name: "unavailableReplicas",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Total number of unavailable pods targeted by this deployment. This is the total number of pods that are still required for the deployment to have 100% available capacity. They may either be pods that are running but not yet available or pods that still have not been created.",
            },
            Field {
                name: "updatedReplicas",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Total number of non-terminated pods targeted by this deployment that have the desired template spec.",
            },
        ],
    },
    Schema {
        name: "DeploymentCondition",
        description: "DeploymentCondition describes the state of a deployment at a certain point.",
        fields: &[
            Field {
                name: "lastTransitionTime",
                ty: "string",
                schema: "Time",
                required: false,
                enum_values: &[],
                description: "Last time the condition transitioned from one status to another.",
            },
            Field {
                name: "lastUpdateTime",
                ty: "string",
                schema: "Time",
                required: false,
                enum_values: &[],
                description: "The last time this condition was updated.",
            },
            Field {
                name: "message",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "A human readable message indicating details about the transition.",
            },
            Field {
                name: "reason",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "The reason for the condition's last transition.",
            },
            Field {
                name: "status",
                ty: "string",
                schema: "",
                required: true,
                enum_values: &[],
                description: "Status of the condition, one of True, False, Unknown.",
            },
            Field {
                name: "type",
                ty: "string",
                schema: "",
                required: true,
                enum_values: &[],
                description: "Type of deployment condition.",
            },
        ],
    },
    Schema {
        name: "ReplicaSet",
        description: "ReplicaSet ensures that a specified number of pod replicas are running at any given time.",
        fields: &[
            Field {
                name: "apiVersion",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
            },
            Field {
                name: "kind",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
            },
            Field {
                name: "metadata",
                ty: "ObjectMeta",
                schema: "ObjectMeta",
                required: false,
                enum_values: &[],
                description: "If the Labels of a ReplicaSet are empty, they are defaulted to be the same as the Pod(s) that the ReplicaSet manages. Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
            },
            Field {
                name: "spec",
                ty: "ReplicaSetSpec",
                schema: "ReplicaSetSpec",
                required: false,
                enum_values: &[],
                description: "Spec defines the specification of the desired behavior of the ReplicaSet. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
            },
            Field {
                name: "status",
                ty: "ReplicaSetStatus",
                schema: "ReplicaSetStatus",
                required: false,
                enum_values: &[],
                description: "Status is the most recently observed status of the ReplicaSet. This data may be out of date by some window of time. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
            },
        ],
    },
    Schema {
        name: "ReplicaSetSpec",
        description: "ReplicaSetSpec is the specification of a ReplicaSet.",
        fields: &[
            Field {
                name: "minReadySeconds",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)",
            },
            Field {
                name: "replicas",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller",
            },
            Field {
                name: "selector",
                ty: "LabelSelector",
                schema: "LabelSelector",
                required: true,
                enum_values: &[],
                description: "Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
            },
            Field {
                name: "template",
                ty: "PodTemplateSpec",
                schema: "PodTemplateSpec",
                required: false,
                enum_values: &[],
                description: "Template is the object that describes the pod that will be created if insufficient replicas are detected. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#pod-template",
            },
        ],
    },
    Schema {
        name: "ReplicaSetStatus",
        description: "ReplicaSetStatus represents the current status of a ReplicaSet.",
        fields: &[
            Field {
                name: "availableReplicas",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "The number of available replicas (ready for at least minReadySeconds) for this replica set.",
            },
            Field {
                name: "conditions",
                ty: "[]ReplicaSetCondition",
                schema: "ReplicaSetCondition",
                required: false,
                enum_values: &[],
                description: "Represents the latest available observations of a replica set's current state.",
            },
            Field {
                name: "fullyLabeledReplicas",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "The number of pods that have labels matching the labels of the pod template of the replicaset.",
            },
            Field {
                name: "observedGeneration",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "ObservedGeneration reflects the generation of the most recently observed ReplicaSet.",
            },
            Field {
                name: "readyReplicas",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "readyReplicas is the number of pods targeted by this ReplicaSet with a Ready Condition.",
            },
            Field {
                name: "replicas",
                ty: "integer",
                schema: "",
                required: true,
                enum_values: &[],
                description: "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller",
            },
        ],
    },
    Schema {
        name: "ReplicaSetCondition",
        description: "ReplicaSetCondition describes the state of a replica set at a certain point.",
        fields: &[
            Field {
                name: "lastTransitionTime",
                ty: "string",
                schema: "Time",
                required: false,
                enum_values: &[],
                description: "The last time the condition transitioned from one status to another.",
            },
            Field {
                name: "message",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "A human readable message indicating details about the transition.",
            },
            Field {
                name: "reason",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "The reason for the condition's last transition.",
            },
            Field {
                name: "status",
                ty: "string",
                schema: "",
                required: true,
                enum_values: &[],
                description: "Status of the condition, one of True, False, Unknown.",
            },
            Field {
                name: "type",
                ty: "string",
                schema: "",
                required: true,
                enum_values: &[],
                description: "Type of replica set condition.",
            },
        ],
    },
    Schema {
        name: "ObjectMeta",
        description: "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
        fields: &[
            Field {
                name: "annotations",
                ty: "map[string]string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata. They are not queryable and should be preserved when modifying objects. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations",
            },
            Field {
                name: "creationTimestamp",
                ty: "string",
                schema: "Time",
                required: false,
                enum_values: &[],
                description: "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
            },
            Field {
                name: "deletionGracePeriodSeconds",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Number of seconds allowed for this object to gracefully terminate before it will be removed from the system. Only set when deletionTimestamp is also set. May only be shortened. Read-only.",
            },
            Field {
                name: "deletionTimestamp",
                ty: "string",
                schema: "Time",
                required: false,
                enum_values: &[],
                description: "DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted. This field is set by the server when a graceful deletion is requested by the user, and is not directly settable by a client. The resource is expected to be deleted (no longer visible from resource lists, and not reachable by name) after the time in this field, once the finalizers list is empty. As long as the finalizers list contains items, deletion is blocked. Once the deletionTimestamp is set, this value may not be unset or be set further into the future, although it may be shortened or the resource may be deleted prior to this time. For example, a user may request that a pod is deleted in 30 seconds. The Kubelet will react by sending a graceful termination signal to the containers in the pod. After that 30 seconds, the Kubelet will send a hard termination signal (SIGKILL) to the container and after cleanup, remove the pod from the API. In the presence of network partitions, this object may still exist after this timestamp, until an administrator or automated process can determine the resource is fully terminated. If not set, graceful deletion of the object has not been requested.\n\nPopulated by the system when a graceful deletion is requested. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
            },
            Field {
                name: "finalizers",
                ty: "[]string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Must be empty before the object is deleted from the registry. Each entry is an identifier for the responsible component that will remove the entry from the list. If the deletionTimestamp of the object is non-nil, entries in this list can only be removed. Finalizers may be processed and removed in any order.  Order is NOT enforced because it introduces significant risk of stuck finalizers. finalizers is a shared field, any actor with permission can reorder it. If the finalizer list is processed in order, then this can lead to a situation in which the component responsible for the first finalizer in the list is waiting for a signal (field value, external system, or other) produced by a component responsible for a finalizer later in the list, resulting in a deadlock. Without enforced ordering finalizers are free to order amongst themselves and are not vulnerable to ordering changes in the list.",
            },
            Field {
                name: "generateName",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided. If this field is used, the name returned to the client will be different than the name passed. This value will also be combined with a unique suffix. The provided value has the same validation rules as the Name field, and may be truncated by the length of the suffix required to make the value unique on the server.\n\nIf this field is specified and the generated name exists, the server will return a 409.\n\nApplied only if Name is not specified. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#idempotency",
            },
            Field {
                name: "generation",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "A sequence number representing a specific generation of the desired state. Populated by the system. Read-only.",
            },
            Field {
                name: "labels",
                ty: "map[string]string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Map of string keys and values that can be used to organize and categorize (scope and select) objects. May match selectors of replication controllers and services. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels",
            },
            Field {
                name: "managedFields",
                ty: "[]ManagedFieldsEntry",
                schema: "ManagedFieldsEntry",
                required: false,
                enum_values: &[],
                description: "ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow. This is mostly for internal housekeeping, and users typically shouldn't need to set or understand this field. A workflow can be the user's name, a controller's name, or the name of a specific apply path like \"ci-cd\". The set of fields is always in the version that the workflow used when modifying the object.",
            },
            Field {
                name: "name",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
            },
            Field {
                name: "namespace",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Namespace defines the space within which each name must be unique. An empty namespace is equivalent to the \"default\" namespace, but \"default\" is the canonical representation. Not all objects are required to be scoped to a namespace - the value of this field for those objects will be empty.\n\nMust be a DNS_LABEL. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces",
            },
            Field {
                name: "ownerReferences",
                ty: "[]OwnerReference",
                schema: "OwnerReference",
                required: false,
                enum_values: &[],
                description: "List of objects depended by this object. If ALL objects in the list have been deleted, this object will be garbage collected. If this object is managed by a controller, then an entry in this list will point to this controller, with the controller field set to true. There cannot be more than one managing controller.",
            },
            Field {
                name: "resourceVersion",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "An opaque value that represents the internal version of this object that can be used by clients to determine when objects have changed. May be used for optimistic concurrency, change detection, and the watch operation on a resource or set of resources. Clients must treat these values as opaque and passed unmodified back to the server. They may only be valid for a particular resource or set of resources.\n\nPopulated by the system. Read-only. Value must be treated as opaque by clients and . More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#concurrency-control-and-consistency",
            },
            Field {
                name: "selfLink",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.",
            },
            Field {
                name: "uid",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "UID is the unique in time and space value for this object. It is typically generated by the server on successful creation of a resource and is not allowed to change on PUT operations.\n\nPopulated by the system. Read-only. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#uids",
            },
        ],
    },
    Schema {
        name: "LabelSelector",
        description: "A label selector is a label query over a set of resources. The result of matchLabels and matchExpressions are ANDed. An empty label selector matches all objects. A null label selector matches no objects.",
        fields: &[
            Field {
                name: "matchExpressions",
                ty: "[]LabelSelectorRequirement",
                schema: "LabelSelectorRequirement",
                required: false,
                enum_values: &[],
                description: "matchExpressions is a list of label selector requirements. The requirements are ANDed.",
            },
            Field {
                name: "matchLabels",
                ty: "map[string]string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "matchLabels is a map of {key,value} pairs. A single {key,value} in the matchLabels map is equivalent to an element of matchExpressions, whose key field is \"key\", the operator is \"In\", and the values array contains only \"value\". The requirements are ANDed.",
            },
        ],
    },
    Schema {
        name: "LabelSelectorRequirement",
        description: "A label selector requirement is a selector that contains values, a key, and an operator that relates the key and values.",
        fields: &[
            Field {
                name: "key",
                ty: "string",
                schema: "",
                required: true,
                enum_values: &[],
                description: "key is the label key that the selector applies to.",
            },
            Field {
                name: "operator",
                ty: "string",
                schema: "",
                required: true,
                enum_values: &[],
                description: "operator represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists and DoesNotExist.",
            },
            Field {
                name: "values",
                ty: "[]string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "values is an array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty. This array is replaced during a strategic merge patch.",
            },
        ],
    },
    Schema {
        name: "OwnerReference",
        description: "OwnerReference contains enough information to let you identify an owning object. An owning object must be in the same namespace as the dependent, or be cluster-scoped, so there is no namespace field.",
        fields: &[
            Field {
                name: "apiVersion",
                ty: "string",
                schema: "",
                required: true,
                enum_values: &[],
                description: "API version of the referent.",
            },
            Field {
                name: "blockOwnerDeletion",
                ty: "boolean",
                schema: "",
                required: false,
                enum_values: &[],
                description: "If true, AND if the owner has the \"foregroundDeletion\" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed. See https://kubernetes.io/docs/concepts/architecture/garbage-collection/#foreground-deletion for how the garbage collector interacts with this field and enforces the foreground deletion. Defaults to false. To set this field, a user needs \"delete\" permission of the owner, otherwise 422 (Unprocessable Entity) will be returned.",
            },
            Field {
                name: "controller",
                ty: "boolean",
                schema: "",
                required: false,
                enum_values: &[],
                description: "If true, this reference points to the managing controller.",
            },
            Field {
                name: "kind",
                ty: "string",
                schema: "",
                required: true,
                enum_values: &[],
                description: "Kind of the referent. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
            },
            Field {
                name: "name",
                ty: "string",
                schema: "",
                required: true,
                enum_values: &[],
                description: "Name of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
            },
            Field {
                name: "uid",
                ty: "string",
                schema: "",
                required: true,
                enum_values: &[],
                description: "UID of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#uids",
            },
        ],
    },
    Schema {
        name: "ManagedFieldsEntry",
        description: "ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource that the fieldset applies to.",
        fields: &[
            Field {
                name: "apiVersion",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "APIVersion defines the version of this resource that this field set applies to. The format is \"group/version\" just like the top-level APIVersion field. It is necessary to track the version of a field set because it cannot be automatically converted.",
            },
            Field {
                name: "fieldsType",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "FieldsType is the discriminator for the different fields format and version. There is currently only one possible value: \"FieldsV1\"",
            },
            Field {
                name: "fieldsV1",
                ty: "FieldsV1",
                schema: "FieldsV1",
                required: false,
                enum_values: &[],
                description: "FieldsV1 holds the first JSON version format as described in the \"FieldsV1\" type.",
            },
            Field {
                name: "manager",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Manager is an identifier of the workflow managing these fields.",
            },
            Field {
                name: "operation",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Operation is the type of operation which lead to this ManagedFieldsEntry being created. The only valid values for this field are 'Apply' and 'Update'.",
            },
            Field {
                name: "subresource",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Subresource is the name of the subresource used to update that object, or empty string if the object was updated through the main resource. The value of this field is used to distinguish between managers, even if they share the same name. For example, a status update will be distinct from a regular update using the same manager name. Note that the APIVersion field is not related to the Subresource field and it always corresponds to the version of the main resource.",
            },
            Field {
                name: "time",
                ty: "string",
                schema: "Time",
                required: false,
                enum_values: &[],
                description: "Time is the timestamp of when the ManagedFields entry was added. The timestamp will also be updated if a field is added, the manager changes any of the owned fields value or removes a field. The timestamp does not update when a field is removed from the entry because another manager took it over.",
            },
        ],
    },
    Schema {
        name: "Namespace",
        description: "Namespace provides a scope for Names. Use of multiple namespaces is optional.",
        fields: &[
            Field {
                name: "apiVersion",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
            },
            Field {
                name: "kind",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
            },
            Field {
                name: "metadata",
                ty: "ObjectMeta",
                schema: "ObjectMeta",
                required: false,
                enum_values: &[],
                description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
            },
            Field {
                name: "spec",
                ty: "NamespaceSpec",
                schema: "NamespaceSpec",
                required: false,
                enum_values: &[],
                description: "Spec defines the behavior of the Namespace. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
            },
            Field {
                name: "status",
                ty: "NamespaceStatus",
                schema: "NamespaceStatus",
                required: false,
                enum_values: &[],
                description: "Status describes the current status of a Namespace. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
            },
        ],
    },
    Schema {
        name: "Node",
        description: "Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).",
        fields: &[
            Field {
                name: "apiVersion",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
            },
            Field {
                name: "kind",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
            },
            Field {
                name: "metadata",
                ty: "ObjectMeta",
                schema: "ObjectMeta",
                required: false,
                enum_values: &[],
                description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
            },
            Field {
                name: "spec",
                ty: "NodeSpec",
                schema: "NodeSpec",
                required: false,
                enum_values: &[],
                description: "Spec defines the behavior of a node. https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
            },
            Field {
                name: "status",
                ty: "NodeStatus",
                schema: "NodeStatus",
                required: false,
                enum_values: &[],
                description: "Most recently observed status of the node. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
            },
        ],
    },
    Schema {
        name: "Endpoints",
        description: "Endpoints is a collection of endpoints that implement the actual service. Example:\n\n\t Name: \"mysvc\",\n\t Subsets: [\n\t   {\n\t     Addresses: [{\"ip\": \"10.10.1.1\"}, {\"ip\": \"10.10.2.2\"}],\n\t     Ports: [{\"name\": \"a\", \"port\": 8675}, {\"name\": \"b\", \"port\": 309}]\n\t   },\n\t   {\n\t     Addresses: [{\"ip\": \"10.10.3.3\"}],\n\t     Ports: [{\"name\": \"a\", \"port\": 93}, {\"name\": \"b\", \"port\": 76}]\n\t   },\n\t]",
        fields: &[
            Field {
                name: "apiVersion",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
            },
            Field {
                name: "kind",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
            },
            Field {
                name: "metadata",
                ty: "ObjectMeta",
                schema: "ObjectMeta",
                required: false,
                enum_values: &[],
                description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
            },
            Field {
                name: "subsets",
                ty: "[]EndpointSubset",
                schema: "EndpointSubset",
                required: false,
                enum_values: &[],
                description: "The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.",
            },
        ],
    },
    Schema {
        name: "Event",
        description: "Event is a report of an event somewhere in the cluster.  Events have a limited retention time and triggers and messages may evolve with time.  Event consumers should not rely on the timing of an event with a given Reason reflecting a consistent underlying trigger, or the continued existence of events with that Reason.  Events should be treated as informative, best-effort, supplemental data.",
        fields: &[
            Field {
                name: "action",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "What action was taken/failed regarding to the Regarding object.",
            },
            Field {
                name: "apiVersion",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
            },
            Field {
                name: "count",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "The number of times this event has occurred.",
            },
            Field {
                name: "eventTime",
                ty: "string",
                schema: "MicroTime",
                required: false,
                enum_values: &[],
                description: "Time when this Event was first observed.",
            },
            Field {
                name: "firstTimestamp",
                ty: "string",
                schema: "Time",
                required: false,
                enum_values: &[],
                description: "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)",
            },
            Field {
                name: "involvedObject",
                ty: "ObjectReference",
                schema: "ObjectReference",
                required: true,
                enum_values: &[],
                description: "The object that this event is about.",
            },
            Field {
                name: "kind",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
            },
            Field {
                name: "lastTimestamp",
                ty: "string",
                schema: "Time",
                required: false,
                enum_values: &[],
                description: "The time at which the most recent occurrence of this event was recorded.",
            },
            Field {
                name: "message",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "A human-readable description of the status of this operation.",
            },
            Field {
                name: "metadata",
                ty: "ObjectMeta",
                schema: "ObjectMeta",
                required: true,
                enum_values: &[],
                description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
            },
            Field {
                name: "reason",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
            },
            Field {
                name: "related",
                ty: "ObjectReference",
                schema: "ObjectReference",
                required: false,
                enum_values: &[],
                description: "Optional secondary object for more complex actions.",
            },
            Field {
                name: "reportingComponent",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`.",
            },
            Field {
                name: "reportingInstance",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "ID of the controller instance, e.g. `kubelet-xyzf`.",
            },
            Field {
                name: "series",
                ty: "EventSeries",
                schema: "EventSeries",
                required: false,
                enum_values: &[],
                description: "Data about the Event series this event represents or nil if it's a singleton Event.",
            },
            Field {
                name: "source",
                ty: "EventSource",
                schema: "EventSource",
                required: false,
                enum_values: &[],
                description: "The component reporting this event. Should be a short machine understandable string.",
            },
            Field {
                name: "type",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Type of this event (Normal, Warning), new types could be added in the future",
            },
        ],
    },
    Schema {
        name: "Pod",
        description: "Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.",
        fields: &[
            Field {
                name: "apiVersion",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
            },
            Field {
                name: "kind",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
            },
            Field {
                name: "metadata",
                ty: "ObjectMeta",
                schema: "ObjectMeta",
                required: false,
                enum_values: &[],
                description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
            },
            Field {
                name: "spec",
                ty: "PodSpec",
                schema: "PodSpec",
                required: false,
                enum_values: &[],
                description: "Specification of the desired behavior of the pod. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
            },
            Field {
                name: "status",
                ty: "PodStatus",
                schema: "PodStatus",
                required: false,
                enum_values: &[],
                description: "Most recently observed status of the pod. This data may not be up to date. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
            },
        ],
    },
    Schema {
        name: "PodTemplateSpec",
        description: "PodTemplateSpec describes the data a pod should have when created from a template",
        fields: &[
            Field {
                name: "metadata",
                ty: "ObjectMeta",
                schema: "ObjectMeta",
                required: false,
                enum_values: &[],
                description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
            },
            Field {
                name: "spec",
                ty: "PodSpec",
                schema: "PodSpec",
                required: false,
                enum_values: &[],
                description: "Specification of the desired behavior of the pod. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
            },
        ],
    },
    Schema {
        name: "PodSpec",
        description: "PodSpec is a description of a pod.",
        fields: &[
            Field {
                name: "activeDeadlineSeconds",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Optional duration in seconds the pod may be active on the node relative to StartTime before the system will actively try to mark it failed and kill associated containers. Value must be a positive integer.",
            },
            Field {
                name: "affinity",
                ty: "Affinity",
                schema: "Affinity",
                required: false,
                enum_values: &[],
                description: "If specified, the pod's scheduling constraints",
            },
            Field {
                name: "automountServiceAccountToken",
                ty: "boolean",
                schema: "",
                required: false,
                enum_values: &[],
                description: "AutomountServiceAccountToken indicates whether a service account token should be automatically mounted.",
            },
            Field {
                name: "containers",
                ty: "[]Container",
                schema: "Container",
                required: true,
                enum_values: &[],
                description: "List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod. Cannot be updated.",
            },
            Field {
                name: "dnsConfig",
                ty: "PodDNSConfig",
                schema: "PodDNSConfig",
                required: false,
                enum_values: &[],
                description: "Specifies the DNS parameters of a pod. Parameters specified here will be merged to the generated DNS configuration based on DNSPolicy.",
            },
            Field {
                name: "dnsPolicy",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"],
                description: "Set DNS policy for the pod. Defaults to \"ClusterFirst\". Valid values are 'ClusterFirstWithHostNet', 'ClusterFirst', 'Default' or 'None'. DNS parameters given in DNSConfig will be merged with the policy selected with DNSPolicy. To have DNS options set along with hostNetwork, you have to specify DNS policy explicitly to 'ClusterFirstWithHostNet'.\n\nPossible enum values:\n - `\"ClusterFirst\"` indicates that the pod should use cluster DNS first unless hostNetwork is true, if it is available, then fall back on the default (as determined by kubelet) DNS settings.\n - `\"ClusterFirstWithHostNet\"` indicates that the pod should use cluster DNS first, if it is available, then fall back on the default (as determined by kubelet) DNS settings.\n - `\"Default\"` indicates that the pod should use the default (as determined by kubelet) DNS settings.\n - `\"None\"` indicates that the pod should use empty DNS settings. DNS parameters such as nameservers and search paths should be defined via DNSConfig.",
            },
            Field {
                name: "enableServiceLinks",
                ty: "boolean",
                schema: "",
                required: false,
                enum_values: &[],
                description: "EnableServiceLinks indicates whether information about services should be injected into pod's environment variables, matching the syntax of Docker links. Optional: Defaults to true.",
            },
            Field {
                name: "ephemeralContainers",
                ty: "[]EphemeralContainer",
                schema: "EphemeralContainer",
                required: false,
                enum_values: &[],
                description: "List of ephemeral containers run in this pod. Ephemeral containers may be run in an existing pod to perform user-initiated actions such as debugging. This list cannot be specified when creating a pod, and it cannot be modified by updating the pod spec. In order to add an ephemeral container to an existing pod, use the pod's ephemeralcontainers subresource.",
            },
            Field {
                name: "hostAliases",
                ty: "[]HostAlias",
                schema: "HostAlias",
                required: false,
                enum_values: &[],
                description: "HostAliases is an optional list of hosts and IPs that will be injected into the pod's hosts file if specified.",
            },
            Field {
                name: "hostIPC",
                ty: "boolean",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Use the host's ipc namespace. Optional: Default to false.",
            },
            Field {
                name: "hostNetwork",
                ty: "boolean",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Host networking requested for this pod. Use the host's network namespace. If this option is set, the ports that will be used must be specified. Default to false.",
            },
            Field {
                name: "hostPID",
                ty: "boolean",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Use the host's pid namespace. Optional: Default to false.",
            },
            Field {
                name: "hostUsers",
                ty: "boolean",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Use the host's user namespace. Optional: Default to true. If set to true or not present, the pod will be run in the host user namespace, useful for when the pod needs a feature only available to the host user namespace, such as loading a kernel module with CAP_SYS_MODULE. When set to false, a new userns is created for the pod. Setting false is useful for mitigating container breakout vulnerabilities even allowing users to run their containers as root without actually having root privileges on the host. This field is alpha-level and is only honored by servers that enable the UserNamespacesSupport feature.",
            },
            Field {
                name: "hostname",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Specifies the hostname of the Pod If not specified, the pod's hostname will be set to a system-defined value.",
            },
            Field {
                name: "imagePullSecrets",
                ty: "[]LocalObjectReference",
                schema: "LocalObjectReference",
                required: false,
                enum_values: &[],
                description: "ImagePullSecrets is an optional list of references to secrets in the same namespace to use for pulling any of the images used by this PodSpec. If specified, these secrets will be passed to individual puller implementations for them to use. More info: https://kubernetes.io/docs/concepts/containers/images#specifying-imagepullsecrets-on-a-pod",
            },
            Field {
                name: "initContainers",
                ty: "[]Container",
                schema: "Container",
                required: false,
                enum_values: &[],
                description: "List of initialization containers belonging to the pod. Init containers are executed in order prior to containers being started. If any init container fails, the pod is considered to have failed and is handled according to its restartPolicy. The name for an init container or normal container must be unique among all containers. Init containers may not have Lifecycle actions, Readiness probes, Liveness probes, or Startup probes. The resourceRequirements of an init container are taken into account during scheduling by finding the highest request/limit for each resource type, and then using the max of of that value or the sum of the normal containers. Limits are applied to init containers in a similar fashion. Init containers cannot currently be added or removed. Cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/init-containers/",
            },
            Field {
                name: "nodeName",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "NodeName is a request to schedule this pod onto a specific node. If it is non-empty, the scheduler simply schedules this pod onto that node, assuming that it fits resource requirements.",
            },
            Field {
                name: "nodeSelector",
                ty: "map[string]string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/",
            },
            Field {
                name: "os",
                ty: "PodOS",
                schema: "PodOS",
                required: false,
                enum_values: &[],
                description: "Specifies the OS of the containers in the pod. Some pod and container fields are restricted if this is set.\n\nIf the OS field is set to linux, the following fields must be unset: -securityContext.windowsOptions\n\nIf the OS field is set to windows, following fields must be unset: - spec.hostPID - spec.hostIPC - spec.hostUsers - spec.securityContext.appArmorProfile - spec.securityContext.seLinuxOptions - spec.securityContext.seccompProfile - spec.securityContext.fsGroup - spec.securityContext.fsGroupChangePolicy - spec.securityContext.sysctls - spec.shareProcessNamespace - spec.securityContext.runAsUser - spec.securityContext.runAsGroup - spec.securityContext.supplementalGroups - spec.containers[*].securityContext.appArmorProfile - spec.containers[*].securityContext.seLinuxOptions - spec.containers[*].securityContext.seccompProfile - spec.containers[*].securityContext.capabilities - spec.containers[*].securityContext.readOnlyRootFilesystem - spec.containers[*].securityContext.privileged - spec.containers[*].securityContext.allowPrivilegeEscalation - spec.containers[*].securityContext.procMount - spec.containers[*].securityContext.runAsUser - spec.containers[*].securityContext.runAsGroup",
            },
            Field {
                name: "overhead",
                ty: "map[string]Quantity",
                schema: "Quantity",
                required: false,
                enum_values: &[],
                description: "Overhead represents the resource overhead associated with running a pod for a given RuntimeClass. This field will be autopopulated at admission time by the RuntimeClass admission controller. If the RuntimeClass admission controller is enabled, overhead must not be set in Pod create requests. The RuntimeClass admission controller will reject Pod create requests which have the overhead already set. If RuntimeClass is configured and selected in the PodSpec, Overhead will be set to the value defined in the corresponding RuntimeClass, otherwise it will remain unset and treated as zero. More info: https://git.k8s.io/enhancements/keps/sig-node/688-pod-overhead/README.md",
            },
            Field {
                name: "preemptionPolicy",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &["Never", "PreemptLowerPriority"],
                description: "PreemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.\n\nPossible enum values:\n - `\"Never\"` means that pod never preempts other pods with lower priority.\n - `\"PreemptLowerPriority\"` means that pod can preempt other pods with lower priority.",
            },
            Field {
                name: "priority",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "The priority value. Various system components use this field to find the priority of the pod. When Priority Admission Controller is enabled, it prevents users from setting this field. The admission controller populates this field from PriorityClassName. The higher the value, the higher the priority.",
            },
            Field {
                name: "priorityClassName",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "If specified, indicates the pod's priority. \"system-node-critical\" and \"system-cluster-critical\" are two special keywords which indicate the highest priorities with the former being the highest priority. Any other name must be defined by creating a PriorityClass object with that name. If not specified, the pod priority will be default or zero if there is no default.",
            },
            Field {
                name: "readinessGates",
                ty: "[]PodReadinessGate",
                schema: "PodReadinessGate",
                required: false,
                enum_values: &[],
                description: "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to \"True\" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates",
            },
            Field {
                name: "resourceClaims",
                ty: "[]PodResourceClaim",
                schema: "PodResourceClaim",
                required: false,
                enum_values: &[],
                description: "ResourceClaims defines which ResourceClaims must be allocated and reserved before the Pod is allowed to start. The resources will be made available to those containers which consume them by name.\n\nThis is an alpha field and requires enabling the DynamicResourceAllocation feature gate.\n\nThis field is immutable.",
            },
            Field {
                name: "restartPolicy",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &["Always", "Never", "OnFailure"],
                description: "Restart policy for all containers within the pod. One of Always, OnFailure, Never. In some contexts, only a subset of those values may be permitted. Default to Always. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy\n\nPossible enum values:\n - `\"Always\"`\n - `\"Never\"`\n - `\"OnFailure\"`",
            },
            Field {
                name: "runtimeClassName",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "RuntimeClassName refers to a RuntimeClass object in the node.k8s.io group, which should be used to run this pod.  If no RuntimeClass resource matches the named class, the pod will not be run. If unset or empty, the \"legacy\" RuntimeClass will be used, which is an implicit class with an empty definition that uses the default runtime handler. More info: https://git.k8s.io/enhancements/keps/sig-node/585-runtime-class",
            },
            Field {
                name: "schedulerName",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "If specified, the pod will be dispatched by specified scheduler. If not specified, the pod will be dispatched by default scheduler.",
            },
            Field {
                name: "schedulingGates",
                ty: "[]PodSchedulingGate",
                schema: "PodSchedulingGate",
                required: false,
                enum_values: &[],
                description: "SchedulingGates is an opaque list of values that if specified will block scheduling the pod. If schedulingGates is not empty, the pod will stay in the SchedulingGated state and the scheduler will not attempt to schedule the pod.\n\nSchedulingGates can only be set at pod creation time, and be removed only afterwards.",
            },
            Field {
                name: "securityContext",
                ty: "PodSecurityContext",
                schema: "PodSecurityContext",
                required: false,
                enum_values: &[],
                description: "SecurityContext holds pod-level security attributes and common container settings. Optional: Defaults to empty.  See type description for default values of each field.",
            },
            Field {
                name: "serviceAccount",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "DeprecatedServiceAccount is a deprecated alias for ServiceAccountName. Deprecated: Use serviceAccountName instead.",
            },
            Field {
                name: "serviceAccountName",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "ServiceAccountName is the name of the ServiceAccount to use to run this pod. More info: https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/",
            },
            Field {
                name: "setHostnameAsFQDN",
                ty: "boolean",
                schema: "",
                required: false,
                enum_values: &[],
                description: "If true the pod's hostname will be configured as the pod's FQDN, rather than the leaf name (the default). In Linux containers, this means setting the FQDN in the hostname field of the kernel (the nodename field of struct utsname). In Windows containers, this means setting the registry value of hostname for the registry key HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters to FQDN. If a pod does not have FQDN, this has no effect. Default to false.",
            },
            Field {
                name: "shareProcessNamespace",
                ty: "boolean",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Share a single process namespace between all of the containers in a pod. When this is set containers will be able to view and signal processes from other containers in the same pod, and the first process in each container will not be assigned PID 1. HostPID and ShareProcessNamespace cannot both be set. Optional: Default to false.",
            },
            Field {
                name: "subdomain",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "If specified, the fully qualified Pod hostname will be \"<hostname>.<subdomain>.<pod namespace>.svc.<cluster domain>\". If not specified, the pod will not have a domainname at all.",
            },
            Field {
                name: "terminationGracePeriodSeconds",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Optional duration in seconds the pod needs to terminate gracefully. May be decreased in delete request. Value must be non-negative integer. The value zero indicates stop immediately via the kill signal (no opportunity to shut down). If this value is nil, the default grace period will be used instead. The grace period is the duration in seconds after the processes running in the pod are sent a termination signal and the time when the processes are forcibly halted with a kill signal. Set this value longer than the expected cleanup time for your process. Defaults to 30 seconds.",
            },
            Field {
                name: "tolerations",
                ty: "[]Toleration",
                schema: "Toleration",
                required: false,
                enum_values: &[],
                description: "If specified, the pod's tolerations.",
            },
            Field {
                name: "topologySpreadConstraints",
                ty: "[]TopologySpreadConstraint",
                schema: "TopologySpreadConstraint",
                required: false,
                enum_values: &[],
                description: "TopologySpreadConstraints describes how a group of pods ought to spread across topology domains. Scheduler will schedule pods in a way which abides by the constraints. All topologySpreadConstraints are ANDed.",
            },
            Field {
                name: "volumes",
                ty: "[]Volume",
                schema: "Volume",
                required: false,
                enum_values: &[],
                description: "List of volumes that can be mounted by containers belonging to the pod. More info: https://kubernetes.io/docs/concepts/storage/volumes",
            },
        ],
    },
    Schema {
        name: "Container",
        description: "A single application container that you want to run within a pod.",
        fields: &[
            Field {
                name: "args",
                ty: "[]string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Arguments to the entrypoint. The container image's CMD is used if this is not provided. Variable references $(VAR_NAME) are expanded using the container's environment. If a variable cannot be resolved, the reference in the input string will be unchanged. Double $$ are reduced to a single $, which allows for escaping the $(VAR_NAME) syntax: i.e. \"$$(VAR_NAME)\" will produce the string literal \"$(VAR_NAME)\". Escaped references will never be expanded, regardless of whether the variable exists or not. Cannot be updated. More info: https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#running-a-command-in-a-shell",
            },
            Field {
                name: "command",
                ty: "[]string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Entrypoint array. Not executed within a shell. The container image's ENTRYPOINT is used if this is not provided. Variable references $(VAR_NAME) are expanded using the container's environment. If a variable cannot be resolved, the reference in the input string will be unchanged. Double $$ are reduced to a single $, which allows for escaping the $(VAR_NAME) syntax: i.e. \"$$(VAR_NAME)\" will produce the string literal \"$(VAR_NAME)\". Escaped references will never be expanded, regardless of whether the variable exists or not. Cannot be updated. More info: https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#running-a-command-in-a-shell",
            },
            Field {
                name: "env",
                ty: "[]EnvVar",
                schema: "EnvVar",
                required: false,
                enum_values: &[],
                description: "List of environment variables to set in the container. Cannot be updated.",
            },
            Field {
                name: "envFrom",
                ty: "[]EnvFromSource",
                schema: "EnvFromSource",
                required: false,
                enum_values: &[],
                description: "List of sources to populate environment variables in the container. The keys defined within a source must be a C_IDENTIFIER. All invalid keys will be reported as an event when the container is starting. When a key exists in multiple sources, the value associated with the last source will take precedence. Values defined by an Env with a duplicate key will take precedence. Cannot be updated.",
            },
            Field {
                name: "image",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Container image name. More info: https://kubernetes.io/docs/concepts/containers/images This field is optional to allow higher level config management to default or override container images in workload controllers like Deployments and StatefulSets.",
            },
            Field {
                name: "imagePullPolicy",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &["Always", "IfNotPresent", "Never"],
                description: "Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise. Cannot be updated. More info: https://kubernetes.io/docs/concepts/containers/images#updating-images\n\nPossible enum values:\n - `\"Always\"` means that kubelet always attempts to pull the latest image. Container will fail If the pull fails.\n - `\"IfNotPresent\"` means that kubelet pulls if the image isn't present on disk. Container will fail if the image isn't present and the pull fails.\n - `\"Never\"` means that kubelet never pulls an image, but only uses a local image. Container will fail if the image isn't present",
            },
            Field {
                name: "lifecycle",
                ty: "Lifecycle",
                schema: "Lifecycle",
                required: false,
                enum_values: &[],
                description: "Actions that the management system should take in response to container lifecycle events. Cannot be updated.",
            },
            Field {
                name: "livenessProbe",
                ty: "Probe",
                schema: "Probe",
                required: false,
                enum_values: &[],
                description: "Periodic probe of container liveness. Container will be restarted if the probe fails. Cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes",
            },
            Field {
                name: "name",
                ty: "string",
                schema: "",
                required: true,
                enum_values: &[],
                description: "Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated.",
            },
            Field {
                name: "ports",
                ty: "[]ContainerPort",
                schema: "ContainerPort",
                required: false,
                enum_values: &[],
                description: "List of ports to expose from the container. Not specifying a port here DOES NOT prevent that port from being exposed. Any port which is listening on the default \"0.0.0.0\" address inside a container will be accessible from the network. Modifying this array with strategic merge patch may corrupt the data. For more information See https://github.com/kubernetes/kubernetes/issues/108255. Cannot be updated.",
            },
            Field {
                name: "readinessProbe",
                ty: "Probe",
                schema: "Probe",
                required: false,
                enum_values: &[],
                description: "Periodic probe of container service readiness. Container will be removed from service endpoints if the probe fails. Cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes",
            },
            Field {
                name: "resizePolicy",
                ty: "[]ContainerResizePolicy",
                schema: "ContainerResizePolicy",
                required: false,
                enum_values: &[],
                description: "Resources resize policy for the container.",
            },
            Field {
                name: "resources",
                ty: "ResourceRequirements",
                schema: "ResourceRequirements",
                required: false,
                enum_values: &[],
                description: "Compute Resources required by this container. Cannot be updated. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
            },
            Field {
                name: "restartPolicy",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "RestartPolicy defines the restart behavior of individual containers in a pod. This field may only be set for init containers, and the only allowed value is \"Always\". For non-init containers or when this field is not specified, the restart behavior is defined by the Pod's restart policy and the container type. Setting the RestartPolicy as \"Always\" for the init container will have the following effect: this init container will be continually restarted on exit until all regular containers have terminated. Once all regular containers have completed, all init containers with restartPolicy \"Always\" will be shut down. This lifecycle differs from normal init containers and is often referred to as a \"sidecar\" container. Although this init container still starts in the init container sequence, it does not wait for the container to complete before proceeding to the next init container. Instead, the next init container starts immediately after this init container is started, or after any startupProbe has successfully completed.",
            },
            Field {
                name: "securityContext",
                ty: "SecurityContext",
                schema: "SecurityContext",
                required: false,
                enum_values: &[],
                description: "SecurityContext defines the security options the container should be run with. If set, the fields of SecurityContext override the equivalent fields of PodSecurityContext. More info: https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
            },
            Field {
                name: "startupProbe",
                ty: "Probe",
                schema: "Probe",
                required: false,
                enum_values: &[],
                description: "StartupProbe indicates that the Pod has successfully initialized. If specified, no other probes are executed until this completes successfully. If this probe fails, the Pod will be restarted, just as if the livenessProbe failed. This can be used to provide different probe parameters at the beginning of a Pod's lifecycle, when it might take a long time to load data or warm a cache, than during steady-state operation. This cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes",
            },
            Field {
                name: "stdin",
                ty: "boolean",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Whether this container should allocate a buffer for stdin in the container runtime. If this is not set, reads from stdin in the container will always result in EOF. Default is false.",
            },
            Field {
                name: "stdinOnce",
                ty: "boolean",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Whether the container runtime should close the stdin channel after it has been opened by a single attach. When stdin is true the stdin stream will remain open across multiple attach sessions. If stdinOnce is set to true, stdin is opened on container start, is empty until the first client attaches to stdin, and then remains open and accepts data until the client disconnects, at which time stdin is closed and remains closed until the container is restarted. If this flag is false, a container processes that reads from stdin will never receive an EOF. Default is false",
            },
            Field {
                name: "terminationMessagePath",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Optional: Path at which the file to which the container's termination message will be written is mounted into the container's filesystem. Message written is intended to be brief final status, such as an assertion failure message. Will be truncated by the node if greater than 4096 bytes. The total message length across all containers will be limited to 12kb. Defaults to /dev/termination-log. Cannot be updated.",
            },
            Field {
                name: "terminationMessagePolicy",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &["FallbackToLogsOnError", "File"],
                description: "Indicate how the termination message should be populated. File will use the contents of terminationMessagePath to populate the container status message on both success and failure. FallbackToLogsOnError will use the last chunk of container log output if the termination message file is empty and the container exited with an error. The log output is limited to 2048 bytes or 80 lines, whichever is smaller. Defaults to File. Cannot be updated.\n\nPossible enum values:\n - `\"FallbackToLogsOnError\"` will read the most recent contents of the container logs for the container status message when the container exits with an error and the terminationMessagePath has no contents.\n - `\"File\"` is the default behavior and will set the container status message to the contents of the container's terminationMessagePath when the container exits.",
            },
            Field {
                name: "tty",
                ty: "boolean",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Whether this container should allocate a TTY for itself, also requires 'stdin' to be true. Default is false.",
            },
            Field {
                name: "volumeDevices",
                ty: "[]VolumeDevice",
                schema: "VolumeDevice",
                required: false,
                enum_values: &[],
                description: "volumeDevices is the list of block devices to be used by the container.",
            },
            Field {
                name: "volumeMounts",
                ty: "[]VolumeMount",
                schema: "VolumeMount",
                required: false,
                enum_values: &[],
                description: "Pod volumes to mount into the container's filesystem. Cannot be updated.",
            },
            Field {
                name: "workingDir",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Container's working directory. If not specified, the container runtime's default will be used, which might be configured in the container image. Cannot be updated.",
            },
        ],
    },
    Schema {
        name: "ContainerPort",
        description: "ContainerPort represents a network port in a single container.",
        fields: &[
            Field {
                name: "containerPort",
                ty: "integer",
                schema: "",
                required: true,
                enum_values: &[],
                description: "Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536.",
            },
            Field {
                name: "hostIP",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "What host IP to bind the external port to.",
            },
            Field {
                name: "hostPort",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Number of port to expose on the host. If specified, this must be a valid port number, 0 < x < 65536. If HostNetwork is specified, this must match ContainerPort. Most containers do not need this.",
            },
            Field {
                name: "name",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "If specified, this must be an IANA_SVC_NAME and unique within the pod. Each named port in a pod must have a unique name. Name for the port that can be referred to by services.",
            },
            Field {
                name: "protocol",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &["SCTP", "TCP", "UDP"],
                description: "Protocol for port. Must be UDP, TCP, or SCTP. Defaults to \"TCP\".\n\nPossible enum values:\n - `\"SCTP\"` is the SCTP protocol.\n - `\"TCP\"` is the TCP protocol.\n - `\"UDP\"` is the UDP protocol.",
            },
        ],
    },
    Schema {
        name: "EnvVar",
        description: "EnvVar represents an environment variable present in a Container.",
        fields: &[
            Field {
                name: "name",
                ty: "string",
                schema: "",
                required: true,
                enum_values: &[],
                description: "Name of the environment variable. Must be a C_IDENTIFIER.",
            },
            Field {
                name: "value",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Variable references $(VAR_NAME) are expanded using the previously defined environment variables in the container and any service environment variables. If a variable cannot be resolved, the reference in the input string will be unchanged. Double $$ are reduced to a single $, which allows for escaping the $(VAR_NAME) syntax: i.e. \"$$(VAR_NAME)\" will produce the string literal \"$(VAR_NAME)\". Escaped references will never be expanded, regardless of whether the variable exists or not. Defaults to \"\".",
            },
            Field {
                name: "valueFrom",
                ty: "EnvVarSource",
                schema: "EnvVarSource",
                required: false,
                enum_values: &[],
                description: "Source for the environment variable's value. Cannot be used if value is not empty.",
            },
        ],
    },
    Schema {
        name: "EnvVarSource",
        description: "EnvVarSource represents a source for the value of an EnvVar.",
        fields: &[
            Field {
                name: "configMapKeyRef",
                ty: "ConfigMapKeySelector",
                schema: "ConfigMapKeySelector",
                required: false,
                enum_values: &[],
                description: "Selects a key of a ConfigMap.",
            },
            Field {
                name: "fieldRef",
                ty: "ObjectFieldSelector",
                schema: "ObjectFieldSelector",
                required: false,
                enum_values: &[],
                description: "Selects a field of the pod: supports metadata.name, metadata.namespace, `metadata.labels['<KEY>']`, `metadata.annotations['<KEY>']`, spec.nodeName, spec.serviceAccountName, status.hostIP, status.podIP, status.podIPs.",
            },
            Field {
                name: "resourceFieldRef",
                ty: "ResourceFieldSelector",
                schema: "ResourceFieldSelector",
                required: false,
                enum_values: &[],
                description: "Selects a resource of the container: only resources limits and requests (limits.cpu, limits.memory, limits.ephemeral-storage, requests.cpu, requests.memory and requests.ephemeral-storage) are currently supported.",
            },
            Field {
                name: "secretKeyRef",
                ty: "SecretKeySelector",
                schema: "SecretKeySelector",
                required: false,
                enum_values: &[],
                description: "Selects a key of a secret in the pod's namespace",
            },
        ],
    },
    Schema {
        name: "ConfigMapKeySelector",
        description: "Selects a key from a ConfigMap.",
        fields: &[
            Field {
                name: "key",
                ty: "string",
                schema: "",
                required: true,
                enum_values: &[],
                description: "The key to select.",
            },
            Field {
                name: "name",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Name of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names",
            },
            Field {
                name: "optional",
                ty: "boolean",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Specify whether the ConfigMap or its key must be defined",
            },
        ],
    },
    Schema {
        name: "SecretKeySelector",
        description: "SecretKeySelector selects a key of a Secret.",
        fields: &[
            Field {
                name: "key",
                ty: "string",
                schema: "",
                required: true,
                enum_values: &[],
                description: "The key of the secret to select from.  Must be a valid secret key.",
            },
            Field {
                name: "name",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Name of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names",
            },
            Field {
                name: "optional",
                ty: "boolean",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Specify whether the Secret or its key must be defined",
            },
        ],
    },
    Schema {
        name: "ObjectFieldSelector",
        description: "ObjectFieldSelector selects an APIVersioned field of an object.",
        fields: &[
            Field {
                name: "apiVersion",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Version of the schema the FieldPath is written in terms of, defaults to \"v1\".",
            },
            Field {
                name: "fieldPath",
                ty: "string",
                schema: "",
                required: true,
                enum_values: &[],
                description: "Path of the field to select in the specified API version.",
            },
        ],
    },
    Schema {
        name: "ResourceFieldSelector",
        description: "ResourceFieldSelector represents container resources (cpu, memory) and their output format",
        fields: &[
            Field {
                name: "containerName",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Container name: required for volumes, optional for env vars",
            },
            Field {
                name: "divisor",
                ty: "Quantity",
                schema: "Quantity",
                required: false,
                enum_values: &[],
                description: "Specifies the output format of the exposed resources, defaults to \"1\"",
            },
            Field {
                name: "resource",
                ty: "string",
                schema: "",
                required: true,
                enum_values: &[],
                description: "Required: resource to select",
            },
        ],
    },
    Schema {
        name: "Probe",
        description: "Probe describes a health check to be performed against a container to determine whether it is alive or ready to receive traffic.",
        fields: &[
            Field {
                name: "exec",
                ty: "ExecAction",
                schema: "ExecAction",
                required: false,
                enum_values: &[],
                description: "Exec specifies the action to take.",
            },
            Field {
                name: "failureThreshold",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Minimum consecutive failures for the probe to be considered failed after having succeeded. Defaults to 3. Minimum value is 1.",
            },
            Field {
                name: "grpc",
                ty: "GRPCAction",
                schema: "GRPCAction",
                required: false,
                enum_values: &[],
                description: "GRPC specifies an action involving a GRPC port.",
            },
            Field {
                name: "httpGet",
                ty: "HTTPGetAction",
                schema: "HTTPGetAction",
                required: false,
                enum_values: &[],
                description: "HTTPGet specifies the http request to perform.",
            },
            Field {
                name: "initialDelaySeconds",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Number of seconds after the container has started before liveness probes are initiated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes",
            },
            Field {
                name: "periodSeconds",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "How often (in seconds) to perform the probe. Default to 10 seconds. Minimum value is 1.",
            },
            Field {
                name: "successThreshold",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Minimum consecutive successes for the probe to be considered successful after having failed. Defaults to 1. Must be 1 for liveness and startup. Minimum value is 1.",
            },
            Field {
                name: "tcpSocket",
                ty: "TCPSocketAction",
                schema: "TCPSocketAction",
                required: false,
                enum_values: &[],
                description: "TCPSocket specifies an action involving a TCP port.",
            },
            Field {
                name: "terminationGracePeriodSeconds",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Optional duration in seconds the pod needs to terminate gracefully upon probe failure. The grace period is the duration in seconds after the processes running in the pod are sent a termination signal and the time when the processes are forcibly halted with a kill signal. Set this value longer than the expected cleanup time for your process. If this value is nil, the pod's terminationGracePeriodSeconds will be used. Otherwise, this value overrides the value provided by the pod spec. Value must be non-negative integer. The value zero indicates stop immediately via the kill signal (no opportunity to shut down). This is a beta field and requires enabling ProbeTerminationGracePeriod feature gate. Minimum value is 1. spec.terminationGracePeriodSeconds is used if unset.",
            },
            Field {
                name: "timeoutSeconds",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Number of seconds after which the probe times out. Defaults to 1 second. Minimum value is 1. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes",
            },
        ],
    },
    Schema {
        name: "HTTPGetAction",
        description: "HTTPGetAction describes an action based on HTTP Get requests.",
        fields: &[
            Field {
                name: "host",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Host name to connect to, defaults to the pod IP. You probably want to set \"Host\" in httpHeaders instead.",
            },
            Field {
                name: "httpHeaders",
                ty: "[]HTTPHeader",
                schema: "HTTPHeader",
                required: false,
                enum_values: &[],
                description: "Custom headers to set in the request. HTTP allows repeated headers.",
            },
            Field {
                name: "path",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Path to access on the HTTP server.",
            },
            Field {
                name: "port",
                ty: "IntOrString",
                schema: "IntOrString",
                required: true,
                enum_values: &[],
                description: "Name or number of the port to access on the container. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME.",
            },
            Field {
                name: "scheme",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &["HTTP", "HTTPS"],
                description: "Scheme to use for connecting to the host. Defaults to HTTP.\n\nPossible enum values:\n - `\"HTTP\"` means that the scheme used will be http://\n - `\"HTTPS\"` means that the scheme used will be https://",
            },
        ],
    },
    Schema {
        name: "HTTPHeader",
        description: "HTTPHeader describes a custom header to be used in HTTP probes",
        fields: &[
            Field {
                name: "name",
                ty: "string",
                schema: "",
                required: true,
                enum_values: &[],
                description: "The header field name. This will be canonicalized upon output, so case-variant names will be understood as the same header.",
            },
            Field {
                name: "value",
                ty: "string",
                schema: "",
                required: true,
                enum_values: &[],
                description: "The header field value",
            },
        ],
    },
    Schema {
        name: "TCPSocketAction",
        description: "TCPSocketAction describes an action based on opening a socket",
        fields: &[
            Field {
                name: "host",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Optional: Host name to connect to, defaults to the pod IP.",
            },
            Field {
                name: "port",
                ty: "IntOrString",
                schema: "IntOrString",
                required: true,
                enum_values: &[],
                description: "Number or name of the port to access on the container. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME.",
            },
        ],
    },
    Schema {
        name: "ExecAction",
        description: "ExecAction describes a \"run in container\" action.",
        fields: &[
            Field {
                name: "command",
                ty: "[]string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Command is the command line to execute inside the container, the working directory for the command  is root ('/') in the container's filesystem. The command is simply exec'd, it is not run inside a shell, so traditional shell instructions ('|', etc) won't work. To use a shell, you need to explicitly call out to that shell. Exit status of 0 is treated as live/healthy and non-zero is unhealthy.",
            },
        ],
    },
    Schema {
        name: "GRPCAction",
        description: "",
        fields: &[
            Field {
                name: "port",
                ty: "integer",
                schema: "",
                required: true,
                enum_values: &[],
                description: "Port number of the gRPC service. Number must be in the range 1 to 65535.",
            },
            Field {
                name: "service",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Service is the name of the service to place in the gRPC HealthCheckRequest (see https://github.com/grpc/grpc/blob/master/doc/health-checking.md).\n\nIf this is not specified, the default behavior is defined by gRPC.",
            },
        ],
    },
    Schema {
        name: "ResourceRequirements",
        description: "ResourceRequirements describes the compute resource requirements.",
        fields: &[
            Field {
                name: "claims",
                ty: "[]ResourceClaim",
                schema: "ResourceClaim",
                required: false,
                enum_values: &[],
                description: "Claims lists the names of resources, defined in spec.resourceClaims, that are used by this container.\n\nThis is an alpha field and requires enabling the DynamicResourceAllocation feature gate.\n\nThis field is immutable. It can only be set for containers.",
            },
            Field {
                name: "limits",
                ty: "map[string]Quantity",
                schema: "Quantity",
                required: false,
                enum_values: &[],
                description: "Limits describes the maximum amount of compute resources allowed. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
            },
            Field {
                name: "requests",
                ty: "map[string]Quantity",
                schema: "Quantity",
                required: false,
                enum_values: &[],
                description: "Requests describes the minimum amount of compute resources required. If Requests is omitted for a container, it defaults to Limits if that is explicitly specified, otherwise to an implementation-defined value. Requests cannot exceed Limits. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
            },
        ],
    },
    Schema {
        name: "ResourceClaim",
        description: "ResourceClaim references one entry in PodSpec.ResourceClaims.",
        fields: &[
            Field {
                name: "name",
                ty: "string",
                schema: "",
                required: true,
                enum_values: &[],
                description: "Name must match the name of one entry in pod.spec.resourceClaims of the Pod where this field is used. It makes that resource available inside a container.",
            },
        ],
    },
    Schema {
        name: "Service",
        description: "Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.",
        fields: &[
            Field {
                name: "apiVersion",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
            },
            Field {
                name: "kind",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
            },
            Field {
                name: "metadata",
                ty: "ObjectMeta",
                schema: "ObjectMeta",
                required: false,
                enum_values: &[],
                description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
            },
            Field {
                name: "spec",
                ty: "ServiceSpec",
                schema: "ServiceSpec",
                required: false,
                enum_values: &[],
                description: "Spec defines the behavior of a service. https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
            },
            Field {
                name: "status",
                ty: "ServiceStatus",
                schema: "ServiceStatus",
                required: false,
                enum_values: &[],
                description: "Most recently observed status of the service. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
            },
        ],
    },
    Schema {
        name: "ServiceSpec",
        description: "ServiceSpec describes the attributes that a user creates on a service.",
        fields: &[
            Field {
                name: "allocateLoadBalancerNodePorts",
                ty: "boolean",
                schema: "",
                required: false,
                enum_values: &[],
                description: "allocateLoadBalancerNodePorts defines if NodePorts will be automatically allocated for services with type LoadBalancer.  Default is \"true\". It may be set to \"false\" if the cluster load-balancer does not rely on NodePorts.  If the caller requests specific NodePorts (by specifying a value), those requests will be respected, regardless of this field. This field may only be set for services with type LoadBalancer and will be cleared if the type is changed to any other type.",
            },
            Field {
                name: "clusterIP",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are \"None\", empty string (\"\"), or a valid IP address. Setting this to \"None\" makes a \"headless service\" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies",
            },
            Field {
                name: "clusterIPs",
                ty: "[]string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "ClusterIPs is a list of IP addresses assigned to this service, and are usually assigned randomly.  If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be empty) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are \"None\", empty string (\"\"), or a valid IP address.  Setting this to \"None\" makes a \"headless service\" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName.  If this field is not specified, it will be initialized from the clusterIP field.  If this field is specified, clients must ensure that clusterIPs[0] and clusterIP have the same value.\n\nThis field may hold a maximum of two entries (dual-stack IPs, in either order). These IPs must correspond to the values of the ipFamilies field. Both clusterIPs and ipFamilies are governed by the ipFamilyPolicy field. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies",
            },
            Field {
                name: "externalIPs",
                ty: "[]string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic arrives at a node with this IP.  A common example is external load-balancers that are not part of the Kubernetes system.",
            },
            Field {
                name: "externalName",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "externalName is the external reference that discovery mechanisms will return as an alias for this service (e.g. a DNS CNAME record). No proxying will be involved.  Must be a lowercase RFC-1123 hostname (https://tools.ietf.org/html/rfc1123) and requires `type` to be \"ExternalName\".",
            },
            Field {
                name: "externalTrafficPolicy",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &["Cluster", "Local"],
                description: "externalTrafficPolicy describes how nodes distribute service traffic they receive on one of the Service's \"externally-facing\" addresses (NodePorts, ExternalIPs, and LoadBalancer IPs). If set to \"Local\", the proxy will configure the service in a way that assumes that external load balancers will take care of balancing the service traffic between nodes, and so each node will deliver traffic only to the node-local endpoints of the service, without masquerading the client source IP. (Traffic mistakenly sent to a node with no endpoints will be dropped.) The default value, \"Cluster\", uses the standard behavior of routing to all endpoints evenly (possibly modified by topology and other features). Note that traffic sent to an External IP or LoadBalancer IP from within the cluster will always get \"Cluster\" semantics, but clients sending to a NodePort from within the cluster may need to take traffic policy into account when picking a node.\n\nPossible enum values:\n - `\"Cluster\"`\n - `\"Cluster\"` routes traffic to all endpoints.\n - `\"Local\"`\n - `\"Local\"` preserves the source IP of the traffic by routing only to endpoints on the same node as the traffic was received on (dropping the traffic if there are no local endpoints).",
            },
            Field {
                name: "healthCheckNodePort",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "healthCheckNodePort specifies the healthcheck nodePort for the service. This only applies when type is set to LoadBalancer and externalTrafficPolicy is set to Local. If a value is specified, is in-range, and is not in use, it will be used.  If not specified, a value will be automatically allocated.  External systems (e.g. load-balancers) can use this port to determine if a given node holds endpoints for this service or not.  If this field is specified when creating a Service which does not need it, creation will fail. This field will be wiped when updating a Service to no longer need it (e.g. changing type). This field cannot be updated once set.",
            },
            Field {
                name: "internalTrafficPolicy",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &["Cluster", "Local"],
                description: "InternalTrafficPolicy describes how nodes distribute service traffic they receive on the ClusterIP. If set to \"Local\", the proxy will assume that pods only want to talk to endpoints of the service on the same node as the pod, dropping the traffic if there are no local endpoints. The default value, \"Cluster\", uses the standard behavior of routing to all endpoints evenly (possibly modified by topology and other features).\n\nPossible enum values:\n - `\"Cluster\"` routes traffic to all endpoints.\n - `\"Local\"` routes traffic only to endpoints on the same node as the client pod (dropping the traffic if there are no local endpoints).",
            },
            Field {
                name: "ipFamilies",
                ty: "[]string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "IPFamilies is a list of IP families (e.g. IPv4, IPv6) assigned to this service. This field is usually assigned automatically based on cluster configuration and the ipFamilyPolicy field. If this field is specified manually, the requested family is available in the cluster, and ipFamilyPolicy allows it, it will be used; otherwise creation of the service will fail. This field is conditionally mutable: it allows for adding or removing a secondary IP family, but it does not allow changing the primary IP family of the Service. Valid values are \"IPv4\" and \"IPv6\".  This field only applies to Services of types ClusterIP, NodePort, and LoadBalancer, and does apply to \"headless\" services. This field will be wiped when updating a Service to type ExternalName.\n\nThis field may hold a maximum of two entries (dual-stack families, in either order).  These families must correspond to the values of the clusterIPs field, if specified. Both clusterIPs and ipFamilies are governed by the ipFamilyPolicy field.",
            },
            Field {
                name: "ipFamilyPolicy",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &["PreferDualStack", "RequireDualStack", "SingleStack"],
                description: "IPFamilyPolicy represents the dual-stack-ness requested or required by this Service. If there is no value provided, then this field will be set to SingleStack. Services can be \"SingleStack\" (a single IP family), \"PreferDualStack\" (two IP families on dual-stack configured clusters or a single IP family on single-stack clusters), or \"RequireDualStack\" (two IP families on dual-stack configured clusters, otherwise fail). The ipFamilies and clusterIPs fields depend on the value of this field. This field will be wiped when updating a service to type ExternalName.\n\nPossible enum values:\n - `\"PreferDualStack\"` indicates that this service prefers dual-stack when the cluster is configured for dual-stack. If the cluster is not configured for dual-stack the service will be assigned a single IPFamily. If the IPFamily is not set in service.spec.ipFamilies then the service will be assigned the default IPFamily configured on the cluster\n - `\"RequireDualStack\"` indicates that this service requires dual-stack. Using IPFamilyPolicyRequireDualStack on a single stack cluster will result in validation errors. The IPFamilies (and their order) assigned to this service is based on service.spec.ipFamilies. If service.spec.ipFamilies was not provided then it will be assigned according to how they are configured on the cluster. If service.spec.ipFamilies has only one entry then the alternative IPFamily will be added by apiserver\n - `\"SingleStack\"` indicates that this service is required to have a single IPFamily. The IPFamily assigned is based on the default IPFamily used by the cluster or as identified by service.spec.ipFamilies field",
            },
            Field {
                name: "loadBalancerClass",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "loadBalancerClass is the class of the load balancer implementation this Service belongs to. If specified, the value of this field must be a label-style identifier, with an optional prefix, e.g. \"internal-vip\" or \"example.com/internal-vip\". Unprefixed names are reserved for end-users. This field can only be set when the Service type is 'LoadBalancer'. If not set, the default load balancer implementation is used, today this is typically done through the cloud provider integration, but should apply for any default implementation. If set, it is assumed that a load balancer implementation is watching for Services with a matching class. Any default load balancer implementation (e.g. cloud providers) should ignore Services that set this field. This field can only be set when creating or updating a Service to type 'LoadBalancer'. Once set, it can not be changed. This field will be wiped when a service is updated to a non 'LoadBalancer' type.",
            },
            Field {
                name: "loadBalancerIP",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Only applies to Service Type: LoadBalancer. This feature depends on whether the underlying cloud-provider supports specifying the loadBalancerIP when a load balancer is created. This field will be ignored if the cloud-provider does not support the feature. Deprecated: This field was under-specified and its meaning varies across implementations. Using it is non-portable and it may not support dual-stack. Users are encouraged to use implementation-specific annotations when available.",
            },
            Field {
                name: "loadBalancerSourceRanges",
                ty: "[]string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "If specified and supported by the platform, this will restrict traffic through the cloud-provider load-balancer will be restricted to the specified client IPs. This field will be ignored if the cloud-provider does not support the feature.\" More info: https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/",
            },
            Field {
                name: "ports",
                ty: "[]ServicePort",
                schema: "ServicePort",
                required: false,
                enum_values: &[],
                description: "The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies",
            },
            Field {
                name: "publishNotReadyAddresses",
                ty: "boolean",
                schema: "",
                required: false,
                enum_values: &[],
                description: "publishNotReadyAddresses indicates that any agent which deals with endpoints for this Service should disregard any indications of ready/not-ready. The primary use case for setting this field is for a StatefulSet's Headless Service to propagate SRV DNS records for its Pods for the purpose of peer discovery. The Kubernetes controllers that generate Endpoints and EndpointSlice resources for Services interpret this to mean that all endpoints are considered \"ready\" even if the Pods themselves are not. Agents which consume only Kubernetes generated endpoints through the Endpoints or EndpointSlice resources can safely assume this behavior.",
            },
            Field {
                name: "selector",
                ty: "map[string]string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/",
            },
            Field {
                name: "sessionAffinity",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &["ClientIP", "None"],
                description: "Supports \"ClientIP\" and \"None\". Used to maintain session affinity. Enable client IP based session affinity. Must be ClientIP or None. Defaults to None. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies\n\nPossible enum values:\n - `\"ClientIP\"` is the Client IP based.\n - `\"None\"` - no session affinity.",
            },
            Field {
                name: "sessionAffinityConfig",
                ty: "SessionAffinityConfig",
                schema: "SessionAffinityConfig",
                required: false,
                enum_values: &[],
                description: "sessionAffinityConfig contains the configurations of session affinity.",
            },
            Field {
                name: "trafficDistribution",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "TrafficDistribution offers a way to express preferences for how traffic is distributed to Service endpoints. Implementations can use this field as a hint, but are not required to guarantee strict adherence. If the field is not set, the implementation will apply its default routing strategy. If set to \"PreferClose\", implementations should prioritize endpoints that are topologically close (e.g., same zone).",
            },
            Field {
                name: "type",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
                description: "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. \"ClusterIP\" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is \"None\", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. \"NodePort\" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. \"LoadBalancer\" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. \"ExternalName\" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types\n\nPossible enum values:\n - `\"ClusterIP\"` means a service will only be accessible inside the cluster, via the cluster IP.\n - `\"ExternalName\"` means a service consists of only a reference to an external name that kubedns or equivalent will return as a CNAME record, with no exposing or proxying of any pods involved.\n - `\"LoadBalancer\"` means a service will be exposed via an external load balancer (if the cloud provider supports it), in addition to 'NodePort' type.\n - `\"NodePort\"` means a service will be exposed on one port of every node, in addition to 'ClusterIP' type.",
            },
        ],
    },
    Schema {
        name: "ServicePort",
        description: "ServicePort contains information on service's port.",
        fields: &[
            Field {
                name: "appProtocol",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "The application protocol for this port. This is used as a hint for implementations to offer richer behavior for protocols that they understand. This field follows standard Kubernetes label syntax. Valid values are either:\n\n* Un-prefixed protocol names - reserved for IANA standard service names (as per RFC-6335 and https://www.iana.org/assignments/service-names).\n\n* Kubernetes-defined prefixed names:\n  * 'kubernetes.io/h2c' - HTTP/2 prior knowledge over cleartext as described in https://www.rfc-editor.org/rfc/rfc9113.html#name-starting-http-2-with-prior-\n  * 'kubernetes.io/ws'  - WebSocket over cleartext as described in https://www.rfc-editor.org/rfc/rfc6455\n  * 'kubernetes.io/wss' - WebSocket over TLS as described in https://www.rfc-editor.org/rfc/rfc6455\n\n* Other protocols should use implementation-defined prefixed names such as mycompany.com/my-custom-protocol.",
            },
            Field {
                name: "name",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "The name of this port within the service. This must be a DNS_LABEL. All ports within a ServiceSpec must have unique names. When considering the endpoints for a Service, this must match the 'name' field in the EndpointPort. Optional if only one ServicePort is defined on this service.",
            },
            Field {
                name: "nodePort",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "The port on each node on which this service is exposed when type is NodePort or LoadBalancer.  Usually assigned by the system. If a value is specified, in-range, and not in use it will be used, otherwise the operation will fail.  If not specified, a port will be allocated if this Service requires one.  If this field is specified when creating a Service which does not need it, creation will fail. This field will be wiped when updating a Service to no longer need it (e.g. changing type from NodePort to ClusterIP). More info: https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport",
            },
            Field {
                name: "port",
                ty: "integer",
                schema: "",
                required: true,
                enum_values: &[],
                description: "The port that will be exposed by this service.",
            },
            Field {
                name: "protocol",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &["SCTP", "TCP", "UDP"],
                description: "The IP protocol for this port. Supports \"TCP\", \"UDP\", and \"SCTP\". Default is TCP.\n\nPossible enum values:\n - `\"SCTP\"` is the SCTP protocol.\n - `\"TCP\"` is the TCP protocol.\n - `\"UDP\"` is the UDP protocol.",
            },
            Field {
                name: "targetPort",
                ty: "IntOrString",
                schema: "IntOrString",
                required: false,
                enum_values: &[],
                description: "Number or name of the port to access on the pods targeted by the service. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME. If this is a string, it will be looked up as a named port in the target Pod's container ports. If this is not specified, the value of the 'port' field is used (an identity map). This field is ignored for services with clusterIP=None, and should be omitted or set equal to the 'port' field. More info: https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service",
            },
        ],
    },
    Schema {
        name: "SessionAffinityConfig",
        description: "SessionAffinityConfig represents the configurations of session affinity.",
        fields: &[
            Field {
                name: "clientIP",
                ty: "ClientIPConfig",
                schema: "ClientIPConfig",
                required: false,
                enum_values: &[],
                description: "clientIP contains the configurations of Client IP based session affinity.",
            },
        ],
    },
    Schema {
        name: "ClientIPConfig",
        description: "ClientIPConfig represents the configurations of Client IP based session affinity.",
        fields: &[
            Field {
                name: "timeoutSeconds",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "timeoutSeconds specifies the seconds of ClientIP type session sticky time. The value must be >0 && <=86400(for 1 day) if ServiceAffinity == \"ClientIP\". Default value is 10800(for 3 hours).",
            },
        ],
    },
    Schema {
        name: "TypedLocalObjectReference",
        description: "TypedLocalObjectReference contains enough information to let you locate the typed referenced object inside the same namespace.",
        fields: &[
            Field {
                name: "apiGroup",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "APIGroup is the group for the resource being referenced. If APIGroup is not specified, the specified Kind must be in the core API group. For any other third-party types, APIGroup is required.",
            },
            Field {
                name: "kind",
                ty: "string",
                schema: "",
                required: true,
                enum_values: &[],
                description: "Kind is the type of resource being referenced",
            },
            Field {
                name: "name",
                ty: "string",
                schema: "",
                required: true,
                enum_values: &[],
                description: "Name is the name of resource being referenced",
            },
        ],
    },
    Schema {
        name: "Ingress",
        description: "Ingress is a collection of rules that allow inbound connections to reach the endpoints defined by a backend. An Ingress can be configured to give services externally-reachable urls, load balance traffic, terminate SSL, offer name based virtual hosting etc.",
        fields: &[
            Field {
                name: "apiVersion",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
            },
            Field {
                name: "kind",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
            },
            Field {
                name: "metadata",
                ty: "ObjectMeta",
                schema: "ObjectMeta",
                required: false,
                enum_values: &[],
                description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
            },
            Field {
                name: "spec",
                ty: "IngressSpec",
                schema: "IngressSpec",
                required: false,
                enum_values: &[],
                description: "spec is the desired state of the Ingress. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
            },
            Field {
                name: "status",
                ty: "IngressStatus",
                schema: "IngressStatus",
                required: false,
                enum_values: &[],
                description: "status is the current state of the Ingress. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
            },
        ],
    },
    Schema {
        name: "IngressSpec",
        description: "IngressSpec describes the Ingress the user wishes to exist.",
        fields: &[
            Field {
                name: "defaultBackend",
                ty: "IngressBackend",
                schema: "IngressBackend",
                required: false,
                enum_values: &[],
                description: "defaultBackend is the backend that should handle requests that don't match any rule. If Rules are not specified, DefaultBackend must be specified. If DefaultBackend is not set, the handling of requests that do not match any of the rules will be up to the Ingress controller.",
            },
            Field {
                name: "ingressClassName",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "ingressClassName is the name of an IngressClass cluster resource. Ingress controller implementations use this field to know whether they should be serving this Ingress resource, by a transitive connection (controller -> IngressClass -> Ingress resource). Although the `kubernetes.io/ingress.class` annotation (simple constant name) was never formally defined, it was widely supported by Ingress controllers to create a direct binding between Ingress controller and Ingress resources. Newly created Ingress resources should prefer using the field. However, even though the annotation is officially deprecated, for backwards compatibility reasons, ingress controllers should still honor that annotation if present.",
            },
            Field {
                name: "rules",
                ty: "[]IngressRule",
                schema: "IngressRule",
                required: false,
                enum_values: &[],
                description: "rules is a list of host rules used to configure the Ingress. If unspecified, or no rule matches, all traffic is sent to the default backend.",
            },
            Field {
                name: "tls",
                ty: "[]IngressTLS",
                schema: "IngressTLS",
                required: false,
                enum_values: &[],
                description: "tls represents the TLS configuration. Currently the Ingress only supports a single TLS port, 443. If multiple members of this list specify different hosts, they will be multiplexed on the same port according to the hostname specified through the SNI TLS extension, if the ingress controller fulfilling the ingress supports SNI.",
            },
        ],
    },
    Schema {
        name: "IngressBackend",
        description: "IngressBackend describes all endpoints for a given service and port.",
        fields: &[
            Field {
                name: "resource",
                ty: "TypedLocalObjectReference",
                schema: "TypedLocalObjectReference",
                required: false,
                enum_values: &[],
                description: "resource is an ObjectRef to another Kubernetes resource in the namespace of the Ingress object. If resource is specified, a service.Name and service.Port must not be specified. This is a mutually exclusive setting with \"Service\".",
            },
            Field {
                name: "service",
                ty: "IngressServiceBackend",
                schema: "IngressServiceBackend",
                required: false,
                enum_values: &[],
                description: "service references a service as a backend. This is a mutually exclusive setting with \"Resource\".",
            },
        ],
    },
    Schema {
        name: "IngressServiceBackend",
        description: "IngressServiceBackend references a Kubernetes Service as a Backend.",
        fields: &[
            Field {
                name: "name",
                ty: "string",
                schema: "",
                required: true,
                enum_values: &[],
                description: "name is the referenced service. The service must exist in the same namespace as the Ingress object.",
            },
            Field {
                name: "port",
                ty: "ServiceBackendPort",
                schema: "ServiceBackendPort",
                required: false,
                enum_values: &[],
                description: "port of the referenced service. A port name or port number is required for a IngressServiceBackend.",
            },
        ],
    },
    Schema {
        name: "ServiceBackendPort",
        description: "ServiceBackendPort is the service port being referenced.",
        fields: &[
            Field {
                name: "name",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "name is the name of the port on the Service. This is a mutually exclusive setting with \"Number\".",
            },
            Field {
                name: "number",
                ty: "integer",
                schema: "",
                required: false,
                enum_values: &[],
                description: "number is the numerical port number (e.g. 80) on the Service. This is a mutually exclusive setting with \"Name\".",
            },
        ],
    },
    Schema {
        name: "IngressRule",
        description: "IngressRule represents the rules mapping the paths under a specified host to the related backend services. Incoming requests are first evaluated for a host match, then routed to the backend associated with the matching IngressRuleValue.",
        fields: &[
            Field {
                name: "host",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "host is the fully qualified domain name of a network host, as defined by RFC 3986. Note the following deviations from the \"host\" part of the URI as defined in RFC 3986: 1. IPs are not allowed. Currently an IngressRuleValue can only apply to\n   the IP in the Spec of the parent Ingress.\n2. The `:` delimiter is not respected because ports are not allowed.\n\t  Currently the port of an Ingress is implicitly :80 for http and\n\t  :443 for https.\nBoth these may change in the future. Incoming requests are matched against the host before the IngressRuleValue. If the host is unspecified, the Ingress routes all traffic based on the specified IngressRuleValue.\n\nhost can be \"precise\" which is a domain name without the terminating dot of a network host (e.g. \"foo.bar.com\") or \"wildcard\", which is a domain name prefixed with a single wildcard label (e.g. \"*.foo.com\"). The wildcard character '*' must appear by itself as the first DNS label and matches only a single label. You cannot have a wildcard label by itself (e.g. Host == \"*\"). Requests will be matched against the Host field in the following way: 1. If host is precise, the request matches this rule if the http host header is equal to Host. 2. If host is a wildcard, then the request matches this rule if the http host header is to equal to the suffix (removing the first label) of the wildcard rule.",
            },
            Field {
                name: "http",
                ty: "HTTPIngressRuleValue",
                schema: "HTTPIngressRuleValue",
                required: false,
                enum_values: &[],
                description: "",
            },
        ],
    },
    Schema {
        name: "HTTPIngressRuleValue",
        description: "HTTPIngressRuleValue is a list of http selectors pointing to backends. In the example: http://<host>/<path>?<searchpart> -> backend where where parts of the url correspond to RFC 3986, this resource will be used to match against everything after the last '/' and before the first '?' or '#'.",
        fields: &[
            Field {
                name: "paths",
                ty: "[]HTTPIngressPath",
                schema: "HTTPIngressPath",
                required: true,
                enum_values: &[],
                description: "paths is a collection of paths that map requests to backends.",
            },
        ],
    },
    Schema {
        name: "HTTPIngressPath",
        description: "HTTPIngressPath associates a path with a backend. Incoming urls matching the path are forwarded to the backend.",
        fields: &[
            Field {
                name: "backend",
                ty: "IngressBackend",
                schema: "IngressBackend",
                required: true,
                enum_values: &[],
                description: "backend defines the referenced service endpoint to which the traffic will be forwarded to.",
            },
            Field {
                name: "path",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "path is matched against the path of an incoming request. Currently it can contain characters disallowed from the conventional \"path\" part of a URL as defined by RFC 3986. Paths must begin with a '/' and must be present when using PathType with value \"Exact\" or \"Prefix\".",
            },
            Field {
                name: "pathType",
                ty: "string",
                schema: "",
                required: true,
                enum_values: &["Exact", "ImplementationSpecific", "Prefix"],
                description: "pathType determines the interpretation of the path matching. PathType can be one of the following values: * Exact: Matches the URL path exactly. * Prefix: Matches based on a URL path prefix split by '/'. Matching is\n  done on a path element by element basis. A path element refers is the\n  list of labels in the path split by the '/' separator. A request is a\n  match for path p if every p is an element-wise prefix of p of the\n  request path. Note that if the last element of the path is a substring\n  of the last element in request path, it is not a match (e.g. /foo/bar\n  matches /foo/bar/baz, but does not match /foo/barbaz).\n* ImplementationSpecific: Interpretation of the Path matching is up to\n  the IngressClass. Implementations can treat this as a separate PathType\n  or treat it identically to Prefix or Exact path types.\nImplementations are required to support all path types.\n\nPossible enum values:\n - `\"Exact\"` matches the URL path exactly and with case sensitivity.\n - `\"ImplementationSpecific\"` matching is up to the IngressClass. Implementations can treat this as a separate PathType or treat it identically to Prefix or Exact path types.\n - `\"Prefix\"` matches based on a URL path prefix split by '/'. Matching is case sensitive and done on a path element by element basis. A path element refers to the list of labels in the path split by the '/' separator. A request is a match for path p if every p is an element-wise prefix of p of the request path. Note that if the last element of the path is a substring of the last element in request path, it is not a match (e.g. /foo/bar matches /foo/bar/baz, but does not match /foo/barbaz). If multiple matching paths exist in an Ingress spec, the longest matching path is given priority. Examples: - /foo/bar does not match requests to /foo/barbaz - /foo/bar matches request to /foo/bar and /foo/bar/baz - /foo and /foo/ both match requests to /foo and /foo/. All of these cases are matched by the Prefix path type.",
            },
        ],
    },
    Schema {
        name: "IngressTLS",
        description: "IngressTLS describes the transport layer security associated with an ingress.",
        fields: &[
            Field {
                name: "hosts",
                ty: "[]string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "hosts is a list of hosts included in the TLS certificate. The values in this list must match the name/s used in the tlsSecret. Defaults to the wildcard host setting for the loadbalancer controller fulfilling this Ingress, if left unspecified.",
            },
            Field {
                name: "secretName",
                ty: "string",
                schema: "",
                required: false,
                enum_values: &[],
                description: "secretName is the name of the secret used to terminate TLS traffic on port 443. Field is left optional to allow TLS routing based on SNI hostname alone. If the SNI host in a listener conflicts with the \"Host\" header field used by an IngressRule, the SNI host is used for termination and value of the \"Host\" header is used for routing.",
            },
        ],
    },
    Schema {
        name: "Affinity",
        description: "Affinity is a group of affinity scheduling rules.",
        fields: &[],
    },
    Schema {
        name: "ContainerResizePolicy",
        description: "ContainerResizePolicy represents resource resize policy for the container.",
        fields: &[],
    },
    Schema {
        name: "EndpointSubset",
        description: "EndpointSubset is a group of addresses with a common set of ports. The expanded set of endpoints is the Cartesian product of Addresses x Ports. For example, given:\n\n\t{\n\t  Addresses: [{\"ip\": \"10.10.1.1\"}, {\"ip\": \"10.10.2.2\"}],\n\t  Ports:     [{\"name\": \"a\", \"port\": 8675}, {\"name\": \"b\", \"port\": 309}]\n\t}\n\nThe resulting set of endpoints can be viewed as:\n\n\ta: [ 10.10.1.1:8675, 10.10.2.2:8675 ],\n\tb: [ 10.10.1.1:309, 10.10.2.2:309 ]",
        fields: &[],
    },
    Schema {
        name: "EnvFromSource",
        description: "EnvFromSource represents the source of a set of ConfigMaps",
        fields: &[],
    },
    Schema {
        name: "EphemeralContainer",
        description: "An EphemeralContainer is a temporary container that you may add to an existing Pod for user-initiated activities such as debugging. Ephemeral containers have no resource or scheduling guarantees, and they will not be restarted when they exit or when a Pod is removed or restarted. The kubelet may evict a Pod if an ephemeral container causes the Pod to exceed its resource allocation.\n\nTo add an ephemeral container, use the ephemeralcontainers subresource of an existing Pod. Ephemeral containers may not be removed or restarted.",
        fields: &[],
    },
    Schema {
        name: "EventSeries",
        description: "EventSeries contain information on series of events, i.e. thing that was/is happening continuously for some time.",
        fields: &[],
    },
    Schema {
        name: "EventSource",
        description: "EventSource contains information for an event.",
        fields: &[],
    },
    Schema {
        name: "HostAlias",
        description: "HostAlias holds the mapping between IP and hostnames that will be injected as an entry in the pod's hosts file.",
        fields: &[],
    },
    Schema {
        name: "Lifecycle",
        description: "Lifecycle describes actions that the management system should take in response to container lifecycle events. For the PostStart and PreStop lifecycle handlers, management of the container blocks until the action is complete, unless the container process fails, in which case the handler is aborted.",
        fields: &[],
    },
    Schema {
        name: "LocalObjectReference",
        description: "LocalObjectReference contains enough information to let you locate the referenced object inside the same namespace.",
        fields: &[],
    },
    Schema {
        name: "NamespaceSpec",
        description: "NamespaceSpec describes the attributes on a Namespace.",
        fields: &[],
    },
    Schema {
        name: "NamespaceStatus",
        description: "NamespaceStatus is information about the current status of a Namespace.",
        fields: &[],
    },
    Schema {
        name: "NodeSpec",
        description: "NodeSpec describes the attributes that a node is created with.",
        fields: &[],
    },
    Schema {
        name: "NodeStatus",
        description: "NodeStatus is information about the current status of a node.",
        fields: &[],
    },
    Schema {
        name: "ObjectReference",
        description: "ObjectReference contains enough information to let you inspect or modify the referred object.",
        fields: &[],
    },
    Schema {
        name: "PodDNSConfig",
        description: "PodDNSConfig defines the DNS parameters of a pod in addition to those generated from DNSPolicy.",
        fields: &[],
    },
    Schema {
        name: "PodOS",
        description: "PodOS defines the OS parameters of a pod.",
        fields: &[],
    },
    Schema {
        name: "PodReadinessGate",
        description: "PodReadinessGate contains the reference to a pod condition",
        fields: &[],
    },
    Schema {
        name: "PodResourceClaim",
        description: "PodResourceClaim references exactly one ResourceClaim through a ClaimSource. It adds a name to it that uniquely identifies the ResourceClaim inside the Pod. Containers that need access to the ResourceClaim reference it with this name.",
        fields: &[],
    },
    Schema {
        name: "PodSchedulingGate",
        description: "PodSchedulingGate is associated to a Pod to guard its scheduling.",
        fields: &[],
    },
    Schema {
        name: "PodSecurityContext",
        description: "PodSecurityContext holds pod-level security attributes and common container settings. Some fields are also present in container.securityContext.  Field values of container.securityContext take precedence over field values of PodSecurityContext.",
        fields: &[],
    },
    Schema {
        name: "PodStatus",
        description: "PodStatus represents information about the status of a pod. Status may trail the actual state of a system, especially if the node that hosts the pod cannot contact the control plane.",
        fields: &[],
    },
    Schema {
        name: "SecurityContext",
        description: "SecurityContext holds security configuration that will be applied to a container. Some fields are present in both SecurityContext and PodSecurityContext.  When both are set, the values in SecurityContext take precedence.",
        fields: &[],
    },
    Schema {
        name: "ServiceStatus",
        description: "ServiceStatus represents the current status of a service.",
        fields: &[],
    },
    Schema {
        name: "Toleration",
        description: "The pod this Toleration is attached to tolerates any taint that matches the triple <key,value,effect> using the matching operator <operator>.",
        fields: &[],
    },
    Schema {
        name: "TopologySpreadConstraint",
        description: "TopologySpreadConstraint specifies how to spread matching pods among the given topology.",
        fields: &[],
    },
    Schema {
        name: "Volume",
        description: "Volume represents a named volume in a pod that may be accessed by any container in the pod.",
        fields: &[],
    },
    Schema {
        name: "VolumeDevice",
        description: "volumeDevice describes a mapping of a raw block device within a container.",
        fields: &[],
    },
    Schema {
        name: "VolumeMount",
        description: "VolumeMount describes a mounting of a Volume within a container.",
        fields: &[],
    },
    Schema {
        name: "IngressStatus",
        description: "IngressStatus describe the current state of the Ingress.",
        fields: &[],
    },
    Schema {
        name: "Quantity",
        description: "Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.\n\nThe serialization format is:\n\n``` <quantity>        ::= <signedNumber><suffix>\n\n\t(Note that <suffix> may be empty, from the \"\" case in <decimalSI>.)\n\n<digit>           ::= 0 | 1 | ... | 9 <digits>          ::= <digit> | <digit><digits> <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits> <sign>            ::= \"+\" | \"-\" <signedNumber>    ::= <number> | <sign><number> <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI> <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei\n\n\t(International System of units; See: http://physics.nist.gov/cuu/Units/binary.html)\n\n<decimalSI>       ::= m | \"\" | k | M | G | T | P | E\n\n\t(Note that 1024 = 1Ki but 1000 = 1k; I didn't choose the capitalization.)\n\n<decimalExponent> ::= \"e\" <signedNumber> | \"E\" <signedNumber> ```\n\nNo matter which of the three exponent forms is used, no quantity may represent a number greater than 2^63-1 in magnitude, nor may it have more than 3 decimal places. Numbers larger or more precise will be capped or rounded up. (E.g.: 0.1m will rounded up to 1m.) This may be extended in the future if we require larger or smaller quantities.\n\nWhen a Quantity is parsed from a string, it will remember the type of suffix it had, and will use the same type again when it is serialized.\n\nBefore serializing, Quantity will be put in \"canonical form\". This means that Exponent/suffix will be adjusted up or down (with a corresponding increase or decrease in Mantissa) such that:\n\n- No precision is lost - No fractional digits will be emitted - The exponent (or suffix) is as large as possible.\n\nThe sign will be omitted unless the number is negative.\n\nExamples:\n\n- 1.5 will be serialized as \"1500m\" - 1.5Gi will be serialized as \"1536Mi\"\n\nNote that the quantity will NEVER be internally represented by a floating point number. That is the whole point of this exercise.\n\nNon-canonical values will still parse as long as they are well formed, but will be re-emitted in their canonical form. (So always use canonical form, or don't diff.)\n\nThis format is intended to make it difficult to use these numbers without writing some sort of special handling code in the hopes that that will cause implementors to also use a fixed point implementation.",
        fields: &[],
    },
    Schema {
        name: "FieldsV1",
        description: "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.\n\nEach key is either a '.' representing the field itself, and will always map to an empty set, or a string representing a sub-field or item. The string will follow one of these four formats: 'f:<name>', where <name> is the name of a field in a struct, or key in a map 'v:<value>', where <value> is the exact json formatted value of a list item 'i:<index>', where <index> is position of a item in a list 'k:<keys>', where <keys> is a map of  a list item's key fields to their unique values If a key maps to an empty Fields value, the field that key represents is part of the set.\n\nThe exact format is defined in sigs.k8s.io/structured-merge-diff",
        fields: &[],
    },
    Schema {
        name: "MicroTime",
        description: "MicroTime is version of Time with microsecond level precision.",
        fields: &[],
    },
    Schema {
        name: "Time",
        description: "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.",
        fields: &[],
    },
    Schema {
        name: "IntOrString",
        description: "IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.",
        fields: &[],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn kubectl_explain(line: &str) -> (String, Result<(), String>) {
        let argv: Vec<String> = line.split_whitespace().map(String::from).collect();
        let (stdout, result) = execute(&argv);
        (stdout, result.map_err(|err| err.to_string()))
    }

    fn check(line: &str, expected: &str) {
        let (stdout, result) = kubectl_explain(line);
        assert_eq!(result, Ok(()), "{line}");
        assert_eq!(stdout, expected, "{line}");
    }

    fn check_error(line: &str, expected_stdout: &str, expected_error: &str) {
        let (stdout, result) = kubectl_explain(line);
        assert_eq!(result, Err(expected_error.to_string()), "{line}");
        assert_eq!(stdout, expected_stdout, "{line}");
    }

    const DEPLOYMENT_HEADER: &str = "GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\n";

    const STRATEGY: &str = concat!(
        "GROUP:      apps\n",
        "KIND:       Deployment\n",
        "VERSION:    v1\n",
        "\n",
        "FIELD: strategy <DeploymentStrategy>\n",
        "\n",
        "\n",
        "DESCRIPTION:\n",
        "    The deployment strategy to use to replace existing pods with new ones.\n",
        "    DeploymentStrategy describes how to replace existing pods with new ones.\n",
        "    \n",
        "FIELDS:\n",
        "  rollingUpdate\t<RollingUpdateDeployment>\n",
        "    Rolling update config params. Present only if DeploymentStrategyType =\n",
        "    RollingUpdate.\n",
        "\n",
        "  type\t<string>\n",
        "  enum: Recreate, RollingUpdate\n",
        "    Type of deployment. Can be \"Recreate\" or \"RollingUpdate\". Default is\n",
        "    RollingUpdate.\n",
        "    \n",
        "    Possible enum values:\n",
        "     - `\"Recreate\"` Kill all existing pods before creating new ones.\n",
        "     - `\"RollingUpdate\"` Replace the old ReplicaSets by new one using rolling\n",
        "    update i.e gradually scale down the old ReplicaSets and scale up the new\n",
        "    one.\n",
        "\n",
        "\n",
    );

    #[test]
    fn a_field_prints_its_type_description_and_fields() {
        check("deployment.spec.strategy", STRATEGY);
    }

    #[test]
    fn resource_names_resolve_like_kubectl() {
        for name in [
            "deploy.spec.strategy",
            "deployments.spec.strategy",
            "deployments.apps.spec.strategy",
            "Deployment.spec.strategy.",
            "deployment.spec.strategy --api-version=apps/v1",
            "deployment.spec.strategy --output=plaintext",
        ] {
            check(name, STRATEGY);
        }
    }

    #[test]
    fn recursive_prints_the_field_tree_without_descriptions() {
        check(
            "deployment.spec.strategy --recursive",
            concat!(
                "GROUP:      apps\n",
                "KIND:       Deployment\n",
                "VERSION:    v1\n",
                "\n",
                "FIELD: strategy <DeploymentStrategy>\n",
                "\n",
                "\n",
                "DESCRIPTION:\n",
                "    The deployment strategy to use to replace existing pods with new ones.\n",
                "    DeploymentStrategy describes how to replace existing pods with new ones.\n",
                "    \n",
                "FIELDS:\n",
                "  rollingUpdate\t<RollingUpdateDeployment>\n",
                "    maxSurge\t<IntOrString>\n",
                "    maxUnavailable\t<IntOrString>\n",
                "  type\t<string>\n",
                "  enum: Recreate, RollingUpdate\n",
                "\n",
            ),
        );
    }

    #[test]
    fn an_enum_field_lists_its_values_under_the_field_line() {
        let (stdout, _) = kubectl_explain("deployment.spec.strategy.type");
        assert!(stdout.starts_with(concat!(
            "GROUP:      apps\n",
            "KIND:       Deployment\n",
            "VERSION:    v1\n",
            "\n",
            "FIELD: type <string>\n",
            "ENUM:\n",
            "    Recreate\n",
            "    RollingUpdate\n",
            "\n",
            "DESCRIPTION:\n",
            "    Type of deployment.",
        )));
        assert!(stdout.ends_with("    one.\n    \n\n"));
    }

    #[test]
    fn the_core_group_has_no_group_line_and_lists_follow_their_items() {
        let (stdout, result) = kubectl_explain("po.spec.containers");
        assert_eq!(result, Ok(()));
        assert!(stdout.starts_with(concat!(
            "KIND:       Pod\n",
            "VERSION:    v1\n",
            "\n",
            "FIELD: containers <[]Container>\n",
            "\n",
            "\n",
            "DESCRIPTION:\n",
            "    List of containers belonging to the pod. Containers cannot currently be\n",
            "    added or removed. There must be at least one container in a Pod. Cannot be\n",
            "    updated.\n",
            "    A single application container that you want to run within a pod.\n",
            "    \n",
            "FIELDS:\n",
            "  args\t<[]string>\n",
        )));
        assert!(stdout.contains("\n  name\t<string> -required-\n"));
        assert!(
            stdout.contains("\n  imagePullPolicy\t<string>\n  enum: Always, IfNotPresent, Never\n")
        );
    }

    #[test]
    fn a_resource_without_a_path_describes_the_kind() {
        let (stdout, _) = kubectl_explain("rs");
        assert!(stdout.starts_with(concat!(
            "GROUP:      apps\n",
            "KIND:       ReplicaSet\n",
            "VERSION:    v1\n",
            "\n",
            "DESCRIPTION:\n",
            "    ReplicaSet ensures that a specified number of pod replicas are running at\n",
            "    any given time.\n",
            "    \n",
            "FIELDS:\n",
            "  apiVersion\t<string>\n",
        )));
    }

    #[test]
    fn label_selectors_list_their_two_forms() {
        let (stdout, _) = kubectl_explain("rs.spec.selector --recursive");
        assert!(stdout.ends_with(concat!(
            "FIELDS:\n",
            "  matchExpressions\t<[]LabelSelectorRequirement>\n",
            "    key\t<string> -required-\n",
            "    operator\t<string> -required-\n",
            "    values\t<[]string>\n",
            "  matchLabels\t<map[string]string>\n",
            "\n",
        )));
    }

    #[test]
    fn the_wrapper_keeps_lines_within_the_limit_and_long_words_whole() {
        assert_eq!(wrap("aaa bbb ccc", 7), "aaa bbb\nccc");
        assert_eq!(wrap("a\n\nb", 7), "a\n\nb");
        assert_eq!(
            wrap("x https://example.com/long", 10),
            "x\nhttps://example.com/long"
        );
    }

    #[test]
    fn every_field_points_at_a_known_schema() {
        for schema in SCHEMAS {
            for field in schema.fields {
                assert!(
                    field.schema.is_empty() || super::schema(field.schema).is_some(),
                    "{}.{} -> {}",
                    schema.name,
                    field.name,
                    field.schema
                );
            }
        }
    }

    #[test]
    fn errors_read_as_kubectl_writes_them() {
        check_error(
            "",
            "",
            "error: You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.",
        );
        check_error(
            "deployment pods",
            "",
            "error: We accept only this format: explain RESOURCE",
        );
        check_error(
            "deploymentz",
            "",
            "error: the server doesn't have a resource type \"deploymentz\"",
        );
        check_error(
            "deployment.spec.foo",
            DEPLOYMENT_HEADER,
            "error: field \"foo\" does not exist",
        );
        // kubectl names the last element of the path, not the first one missing.
        check_error(
            "deployment.foo.bar",
            DEPLOYMENT_HEADER,
            "error: field \"bar\" does not exist",
        );
        check_error(
            "deploy.apps",
            DEPLOYMENT_HEADER,
            "error: field \"apps\" does not exist",
        );
        check_error(
            "deployment --api-version=apps/v2",
            "",
            "error: couldn't find resource for \"apps/v2, Resource=deployments\"",
        );
        check_error(
            "deployment --api-version=v1",
            "",
            "error: GVR (/v1, Resource=deployments) not found in OpenAPI schema",
        );
        check_error(
            "deployment --output=yaml",
            "",
            "error: unrecognized format: yaml",
        );
        check_error(
            "deployment -o yaml",
            "",
            "error: unknown shorthand flag: 'o' in -o\nSee 'kubectl explain --help' for usage.",
        );
    }
}
