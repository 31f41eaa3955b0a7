//! `kubectl explain TYPE[.FIELD…]`: the API documentation of a resource or one of its fields,
//! printed the way kubectl 1.30 renders the server's OpenAPI v3 schema (its "plaintext"
//! template).
//!
//! The schemas are data (`data/explain/schemas.txt`, read by [`crate::openapi`]): per API
//! type its description and fields, with the Kubernetes 1.30 descriptions. This file is the
//! argument handling and the template. Types the lab does not describe field by field have
//! their description only, so `FIELD:`/`DESCRIPTION:` still print for them.
//!
//! An add-on's kinds (`Rollout`) are explained from its CRDs' schemas
//! (`data/explain/argo-rollouts.txt`), and only while the cluster serves them: the type
//! resolves the way every other command resolves it, so before the add-on is installed the
//! name is an unknown resource type, as in kubectl.
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
use crate::help::word_wrap;
use crate::openapi::{self, Property, Schemas, TypeSchema};
use rollout_sim::cluster::Cluster;
use rollout_sim::objects::Kind;

const COMMAND: &str = "kubectl explain";

pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    let (stdout, result) = execute(argv, ctx.cluster);
    ctx.out.stdout.push_str(&stdout);
    result.map(|()| Flow::Done)
}

/// What `kubectl explain ARGS…` writes to standard output, and how it ends. The template
/// writes as it goes, so the header is already out when a field turns out not to exist.
fn execute(argv: &[String], cluster: &Cluster) -> (String, Result<(), KubectlError>) {
    // The first explain parses the schemas; a malformed file (a test keeps the embedded one
    // well formed) is an error like a server whose OpenAPI document cannot be read.
    let schemas = match openapi::schemas() {
        Some(Ok(schemas)) => schemas,
        Some(Err(err)) => {
            return (
                String::new(),
                Err(KubectlError::plain(format!(
                    "couldn't read the OpenAPI schema: {err}"
                ))),
            )
        }
        // The page fetches the schemas before it runs a line that explains; not having
        // them here is a server that did not answer in time.
        None => {
            return (
                String::new(),
                Err(KubectlError::plain(
                    "couldn't read the OpenAPI schema: not fetched yet".to_string(),
                )),
            )
        }
    };
    let request = match Request::from_args(argv, schemas, cluster) {
        Ok(request) => request,
        Err(err) => return (String::new(), Err(err)),
    };
    let explained = explain(schemas, request.kind, &request.fields, request.recursive);
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
    fn from_args(
        argv: &[String],
        schemas: &Schemas,
        cluster: &Cluster,
    ) -> Result<Request, KubectlError> {
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
        let mut request = Request::parse(input, args.value("api-version"), schemas, cluster)?;
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

    fn parse(
        input: &str,
        api_version: Option<&str>,
        schemas: &Schemas,
        cluster: &Cluster,
    ) -> Result<Request, KubectlError> {
        let input = input.strip_suffix('.').unwrap_or(input);
        let mut parts = input.split('.');
        // Discovery: an add-on's kind only while its CRDs are installed. kubectl hands the
        // RESTMapper's no-match error straight to `checkErr`, whose message for it has no
        // `error: ` (unlike `get`'s, which the resource builder words itself).
        let kind =
            crate::resource::resolve(parts.next().unwrap_or_default(), cluster).map_err(|err| {
                match err {
                    KubectlError::Plain(message) => KubectlError::Verbatim(message),
                    other => other,
                }
            })?;
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
                let same = group == kind.group() && version == kind_version(kind);
                if !same {
                    let gvr = format!("{group}/{version}, Resource={}", kind.resource());
                    let published = if group.is_empty() {
                        version.to_string()
                    } else {
                        format!("{group}/{version}")
                    };
                    let installed = |addon: &str| cluster.addons().names().any(|a| a == addon);
                    return Err(if schemas.publishes(&published, installed) {
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

/// The version of the kind's `apiVersion`: `v1`, `v1alpha1`.
fn kind_version(kind: Kind) -> &'static str {
    let api_version = kind.api_version();
    api_version
        .rsplit_once('/')
        .map_or(api_version, |(_, version)| version)
}

/// What explain printed, and the field it stopped at if the path does not exist.
struct Explained {
    text: String,
    missing_field: Option<String>,
}

fn explain(schemas: &Schemas, kind: Kind, path: &[String], recursive: bool) -> Explained {
    let mut text = String::new();
    if !kind.group().is_empty() {
        text.push_str(&format!("GROUP:      {}\n", kind.group()));
    }
    text.push_str(&format!("KIND:       {kind}\n"));
    text.push_str(&format!("VERSION:    {}\n\n", kind_version(kind)));
    match body(schemas, &kind.to_string(), path, recursive) {
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
fn body(schemas: &Schemas, kind: &str, path: &[String], recursive: bool) -> Option<String> {
    let mut out = String::new();
    // The schema reached so far, with its name (the recursion's history holds names).
    let mut current = schemas.get(kind);
    let mut description = with_newline(current.map_or("", |s| s.description.as_str()));
    for (i, segment) in path.iter().enumerate() {
        let field = current?.property(segment)?;
        if i + 1 == path.len() {
            out.push_str(&format!("FIELD: {segment} <{}>\n", field.shown_type));
            if !field.enum_values.is_empty() {
                out.push_str("ENUM:");
                for value in &field.enum_values {
                    out.push_str("\n    ");
                    out.push_str(&enum_value(value));
                }
            }
            out.push_str("\n\n");
        }
        current = referenced(schemas, field);
        description = with_newline(&field.description);
        description.push_str(&with_newline(
            current.map_or("", |s| s.description.as_str()),
        ));
    }
    out.push_str("DESCRIPTION:\n");
    let description = if description.is_empty() {
        "<empty>".to_string()
    } else {
        description
    };
    out.push_str(&indent(4, &word_wrap(&description, 76)));
    out.push('\n');
    if let Some(schema) = current.filter(|s| !s.properties.is_empty()) {
        out.push_str("FIELDS:\n");
        field_list(
            &mut out,
            schemas,
            schema,
            1,
            recursive,
            &mut vec![&schema.name],
        );
    }
    Some(out)
}

/// The schema a field points to; `None` for a primitive.
fn referenced<'a>(schemas: &'a Schemas, field: &Property) -> Option<&'a TypeSchema> {
    schemas.get(field.reference.as_deref()?)
}

/// One entry per field; with `--recursive` the fields of each field's type follow, one level
/// deeper, stopping where a type would repeat one above it.
fn field_list<'a>(
    out: &mut String,
    schemas: &'a Schemas,
    schema: &'a TypeSchema,
    level: usize,
    recursive: bool,
    history: &mut Vec<&'a str>,
) {
    let pad = level * 2;
    for field in &schema.properties {
        out.push_str(&" ".repeat(pad));
        out.push_str(&format!("{}\t<{}>", field.name, field.shown_type));
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
            if let Some(nested) = referenced(schemas, field) {
                if !history.contains(&nested.name.as_str()) {
                    history.push(&nested.name);
                    field_list(out, schemas, nested, level + 1, recursive, history);
                    history.pop();
                }
            }
        } else {
            let description = if field.description.is_empty() {
                "<no description>"
            } else {
                field.description.as_str()
            };
            out.push_str(&indent(pad + 2, &word_wrap(description, 78 - pad)));
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

/// The template's `indent`: every line, including an empty last one, gets the padding.
fn indent(amount: usize, text: &str) -> String {
    let pad = " ".repeat(amount);
    format!("{pad}{}", text.replace('\n', &format!("\n{pad}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kubectl_explain(line: &str) -> (String, Result<(), String>) {
        kubectl_explain_in(&Cluster::new(1), line)
    }

    fn kubectl_explain_in(cluster: &Cluster, line: &str) -> (String, Result<(), String>) {
        let argv: Vec<String> = line.split_whitespace().map(String::from).collect();
        let (stdout, result) = execute(&argv, cluster);
        (stdout, result.map_err(|err| err.to_string()))
    }

    /// A cluster with Argo Rollouts installed.
    fn with_argo_rollouts() -> Cluster {
        let mut cluster = Cluster::new(1);
        cluster.install(Box::new(
            rollout_sim::addons::argo_rollouts::ArgoRolloutsAddon::default(),
        ));
        cluster
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

    const ROLLOUT_HEADER: &str =
        "GROUP:      argoproj.io\nKIND:       Rollout\nVERSION:    v1alpha1\n\n";

    fn check_in(cluster: &Cluster, line: &str, expected: &str) {
        let (stdout, result) = kubectl_explain_in(cluster, line);
        assert_eq!(result, Ok(()), "{line}");
        assert_eq!(stdout, expected, "{line}");
    }

    #[test]
    fn an_add_on_kind_is_an_unknown_type_until_the_add_on_is_installed() {
        let cluster = Cluster::new(1);
        for (line, name) in [
            ("rollout", "rollout"),
            ("ro.spec", "ro"),
            ("rollouts.argoproj.io.spec.strategy", "rollouts"),
            ("Rollout --recursive", "Rollout"),
        ] {
            let (stdout, result) = kubectl_explain_in(&cluster, line);
            assert_eq!(stdout, "", "{line}");
            assert_eq!(
                result,
                Err(format!(
                    "the server doesn't have a resource type \"{name}\""
                )),
                "{line}"
            );
        }
    }

    #[test]
    fn a_rollout_is_explained_from_its_crd_schema() {
        check_in(
            &with_argo_rollouts(),
            "rollout",
            concat!(
                "GROUP:      argoproj.io\n",
                "KIND:       Rollout\n",
                "VERSION:    v1alpha1\n",
                "\n",
                "DESCRIPTION:\n",
                "    <empty>\n",
                "FIELDS:\n",
                "  apiVersion\t<string>\n",
                "    APIVersion defines the versioned schema of this representation of an object.\n",
                "    Servers should convert recognized schemas to the latest internal value, and\n",
                "    may reject unrecognized values. More info:\n",
                "    https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources\n",
                "\n",
                "  kind\t<string>\n",
                "    Kind is a string value representing the REST resource this object\n",
                "    represents. Servers may infer this from the endpoint the client submits\n",
                "    requests to. Cannot be updated. In CamelCase. More info:\n",
                "    https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds\n",
                "\n",
                "  metadata\t<ObjectMeta>\n",
                "    Standard object's metadata. More info:\n",
                "    https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata\n",
                "\n",
                "  spec\t<Object> -required-\n",
                "    <no description>\n",
                "\n",
                "  status\t<Object>\n",
                "    <no description>\n",
                "\n",
                "\n",
            ),
        );
    }

    #[test]
    fn a_rollout_field_path_walks_the_inline_schema() {
        let cluster = with_argo_rollouts();
        let mut fields = String::new();
        for (name, ty) in [
            ("abortScaleDownDelaySeconds", "integer"),
            ("analysis", "Object"),
            ("antiAffinity", "Object"),
            ("canaryMetadata", "Object"),
            ("canaryService", "string"),
            ("dynamicStableScale", "boolean"),
            // x-kubernetes-int-or-string: no `type`, so kubectl's typeGuess says Object.
            ("maxSurge", "Object"),
            ("maxUnavailable", "Object"),
            ("minPodsPerReplicaSet", "integer"),
            ("pingPong", "Object"),
            ("replicaProgressThreshold", "Object"),
            ("scaleDownDelayRevisionLimit", "integer"),
            ("scaleDownDelaySeconds", "integer"),
            ("stableMetadata", "Object"),
            ("stableService", "string"),
            ("steps", "[]Object"),
            ("trafficRouting", "Object"),
        ] {
            fields.push_str(&format!("  {name}\t<{ty}>\n    <no description>\n\n"));
        }
        let expected = format!(
            "{ROLLOUT_HEADER}FIELD: canary <Object>\n\n\nDESCRIPTION:\n    <empty>\nFIELDS:\n{fields}\n"
        );
        check_in(&cluster, "rollout.spec.strategy.canary", &expected);
        check_in(
            &cluster,
            "rollouts.argoproj.io.spec.strategy.canary",
            &expected,
        );
        check_in(
            &cluster,
            "ro.spec.strategy.canary --api-version=argoproj.io/v1alpha1",
            &expected,
        );
        // An int-or-string has no fields to list.
        check_in(
            &cluster,
            "rollout.spec.strategy.canary.maxSurge",
            &format!("{ROLLOUT_HEADER}FIELD: maxSurge <Object>\n\n\nDESCRIPTION:\n    <empty>\n\n"),
        );
        // A list's fields are its items'; a path goes through it.
        let (steps, _) = kubectl_explain_in(&cluster, "rollout.spec.strategy.canary.steps");
        assert!(steps.starts_with(&format!(
            "{ROLLOUT_HEADER}FIELD: steps <[]Object>\n\n\nDESCRIPTION:\n    <empty>\nFIELDS:\n  analysis\t<Object>\n"
        )));
        assert!(steps.ends_with("  setWeight\t<integer>\n    <no description>\n\n\n"));
        check_in(
            &cluster,
            "rollout.spec.strategy.canary.steps.setWeight",
            &format!(
                "{ROLLOUT_HEADER}FIELD: setWeight <integer>\n\n\nDESCRIPTION:\n    <empty>\n\n"
            ),
        );
    }

    #[test]
    fn a_rollout_recursive_listing_descends_lists_and_maps() {
        check_in(
            &with_argo_rollouts(),
            "rollout.spec.strategy.canary.steps.setMirrorRoute --recursive",
            concat!(
                "GROUP:      argoproj.io\n",
                "KIND:       Rollout\n",
                "VERSION:    v1alpha1\n",
                "\n",
                "FIELD: setMirrorRoute <Object>\n",
                "\n",
                "\n",
                "DESCRIPTION:\n",
                "    <empty>\n",
                "FIELDS:\n",
                "  match\t<[]Object>\n",
                "    headers\t<map[string]Object>\n",
                "      exact\t<string>\n",
                "      prefix\t<string>\n",
                "      regex\t<string>\n",
                "    method\t<Object>\n",
                "      exact\t<string>\n",
                "      prefix\t<string>\n",
                "      regex\t<string>\n",
                "    path\t<Object>\n",
                "      exact\t<string>\n",
                "      prefix\t<string>\n",
                "      regex\t<string>\n",
                "  name\t<string> -required-\n",
                "  percentage\t<integer>\n",
                "\n",
            ),
        );
    }

    #[test]
    fn a_rollout_metadata_is_object_meta_with_both_descriptions() {
        let (stdout, result) = kubectl_explain_in(&with_argo_rollouts(), "ro.metadata");
        assert_eq!(result, Ok(()));
        assert!(stdout.starts_with(&format!(
            "{ROLLOUT_HEADER}FIELD: metadata <ObjectMeta>\n\n\nDESCRIPTION:\n",
        )));
        assert!(stdout.contains(concat!(
            "    https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata\n",
            "    ObjectMeta is metadata that all persisted resources must have, which\n",
            "    includes all objects users must create.\n",
            "    \n",
            "FIELDS:\n",
            "  annotations\t<map[string]string>\n",
        )));
    }

    #[test]
    fn a_rollout_unknown_field_fails_after_the_header() {
        let cluster = with_argo_rollouts();
        for (line, field) in [
            ("rollout.spec.strategy.canary.foo", "foo"),
            ("rollout.spec.foo.bar", "bar"),
            // An int-or-string and a map of strings have no fields.
            ("rollout.spec.strategy.canary.maxSurge.foo", "foo"),
            ("rollout.spec.selector.matchLabels.app", "app"),
        ] {
            let (stdout, result) = kubectl_explain_in(&cluster, line);
            assert_eq!(stdout, ROLLOUT_HEADER, "{line}");
            assert_eq!(
                result,
                Err(format!("error: field \"{field}\" does not exist")),
                "{line}"
            );
        }
    }

    #[test]
    fn a_rollout_api_version_must_be_the_crds() {
        let cluster = with_argo_rollouts();
        let errors = [
            (
                "rollout --api-version=argoproj.io/v1",
                "error: couldn't find resource for \"argoproj.io/v1, Resource=rollouts\"",
            ),
            (
                "deploy --api-version=argoproj.io/v1alpha1",
                "error: GVR (argoproj.io/v1alpha1, Resource=deployments) not found in OpenAPI schema",
            ),
        ];
        for (line, error) in errors {
            assert_eq!(
                kubectl_explain_in(&cluster, line),
                (String::new(), Err(error.into()))
            );
        }
        // Without the add-on its group/version has no document.
        assert_eq!(
            kubectl_explain("deploy --api-version=argoproj.io/v1alpha1").1,
            Err(
                "error: couldn't find resource for \"argoproj.io/v1alpha1, Resource=deployments\""
                    .into()
            )
        );
    }

    #[test]
    fn the_other_argo_kinds_are_ready_with_enums_from_their_crds() {
        // Explained once their kinds are served; the schema is there already.
        let schemas = openapi::schemas().expect("embedded").expect("schemas");
        let path: Vec<String> = ["spec", "metrics", "provider", "datadog", "apiVersion"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            body(schemas, "AnalysisTemplate", &path, false).as_deref(),
            Some(
                "FIELD: apiVersion <string>\nENUM:\n    v1\n    v2\n\nDESCRIPTION:\n    <empty>\n"
            )
        );
        let datadog = body(schemas, "ClusterAnalysisTemplate", &path[..4], false);
        assert!(datadog.is_some_and(|text| text.contains(
            "  aggregator\t<string>\n  enum: avg, min, max, sum, ....\n    <no description>\n"
        )));
        for kind in ["AnalysisRun", "Experiment"] {
            let spec = body(schemas, kind, &["spec".to_string()], true);
            assert!(
                spec.is_some_and(|text| text.starts_with("FIELD: spec <Object>\n")),
                "{kind}"
            );
        }
    }

    #[test]
    fn the_wrapper_keeps_lines_within_the_limit_and_long_words_whole() {
        assert_eq!(word_wrap("aaa bbb ccc", 7), "aaa bbb\nccc");
        assert_eq!(word_wrap("a\n\nb", 7), "a\n\nb");
        assert_eq!(
            word_wrap("x https://example.com/long", 10),
            "x\nhttps://example.com/long"
        );
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
        // Without `error: `, unlike `kubectl get` (checked against kubectl 1.30).
        check_error(
            "deploymentz",
            "",
            "the server doesn't have a resource type \"deploymentz\"",
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
