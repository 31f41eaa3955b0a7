//! Objects made from flags, as kubectl's generators make them: `kubectl create deployment`,
//! `kubectl create service clusterip|nodeport|loadbalancer`, `kubectl expose`, and the pod
//! of `kubectl run`. Each builds the object on the client exactly as kubectl would send it;
//! then `--dry-run=client` prints it (`-o yaml|json|name`) and anything else creates it
//! through the API (`--dry-run=server`: checked, not stored).

use super::{Ctx, Flow};
use crate::args::{self, value, Args};
use crate::error::KubectlError;
use crate::printers::success_line;
use rollout_sim::api::validation::validate_create;
use rollout_sim::api::{ApiError, Verb};
use rollout_sim::cluster::Cluster;
use rollout_sim::manifest::encode::value_to_yaml;
use rollout_sim::manifest::{apply_defaults, decode_object};
use rollout_sim::objects::Object;
use serde_json::{json, Map, Value};

/// `--dry-run`'s three answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DryRun {
    None,
    Client,
    Server,
}

impl DryRun {
    pub fn parse(args: &Args) -> Result<DryRun, KubectlError> {
        match args.value("dry-run") {
            None | Some("none") => Ok(DryRun::None),
            Some("client") => Ok(DryRun::Client),
            Some("server") => Ok(DryRun::Server),
            Some(other) => Err(KubectlError::plain(format!(
                "Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
            ))),
        }
    }
}

/// `kubectl create deployment NAME --image=IMAGE… [--replicas=N] [--port=P] [-- COMMAND…]`.
pub fn create_deployment(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    const COMMAND: &str = "kubectl create deployment";
    let args = args::parse(
        COMMAND,
        argv,
        &[
            value("image", None),
            value("replicas", Some('r')),
            value("port", None),
            value("dry-run", None),
            value("output", Some('o')),
            value("save-config", None),
            value("field-manager", None),
        ],
    )?;
    // cobra checks required flags before the command looks at its arguments.
    let images = args.values("image");
    if images.is_empty() {
        return Err(KubectlError::plain("required flag(s) \"image\" not set"));
    }
    let name = one_name(COMMAND, &args)?;
    let command = args.after_dash.as_ref().filter(|c| !c.is_empty());
    if images.len() > 1 && command.is_some() {
        return Err(KubectlError::plain(
            "cannot specify multiple --image options and command",
        ));
    }
    let replicas = args.int(COMMAND, "replicas", "--replicas")?.unwrap_or(1);
    let port = args.int(COMMAND, "port", "--port")?.unwrap_or(-1);
    let mut containers: Vec<Value> = Vec::new();
    for image in images {
        let name = container_name(image, ctx.cluster);
        containers.push(json!({ "image": image, "name": name, "resources": {} }));
    }
    if let Some(first) = containers.first_mut() {
        if port >= 0 {
            first["ports"] = json!([{ "containerPort": port }]);
        }
        if let Some(command) = command {
            first["command"] = json!(command);
        }
    }
    let labels = json!({ "app": name });
    let deployment = json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": { "creationTimestamp": null, "labels": labels, "name": name },
        "spec": {
            "replicas": replicas,
            "selector": { "matchLabels": labels },
            "strategy": {},
            "template": {
                "metadata": { "creationTimestamp": null, "labels": labels },
                "spec": { "containers": containers },
            },
        },
        "status": {},
    });
    finish(
        ctx,
        &args,
        deployment,
        "created",
        Some("failed to create deployment"),
    )
}

/// `kubectl create namespace NAME`.
pub fn create_namespace(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    const COMMAND: &str = "kubectl create namespace";
    let args = args::parse(
        COMMAND,
        argv,
        &[
            value("dry-run", None),
            value("output", Some('o')),
            value("save-config", None),
            value("field-manager", None),
        ],
    )?;
    let name = one_name(COMMAND, &args)?;
    let namespace = json!({
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": { "creationTimestamp": null, "name": name },
        "spec": {},
        "status": {},
    });
    finish(ctx, &args, namespace, "created", None)
}

/// `kubectl create service clusterip|nodeport|loadbalancer NAME --tcp=PORT[:TARGET]…`.
pub fn create_service(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    let Some((flavour, rest)) = argv.split_first() else {
        // Without a subcommand kubectl prints the command's help to standard error.
        return Err(KubectlError::Exit {
            text: crate::help::render(&["create", "service"], ctx.columns).unwrap_or_default(),
            status: 1,
        });
    };
    let type_ = match flavour.as_str() {
        "clusterip" => "ClusterIP",
        "nodeport" => "NodePort",
        "loadbalancer" => "LoadBalancer",
        other => {
            return Err(KubectlError::usage(
                "kubectl create service",
                format!("unknown command {other:?}"),
            ))
        }
    };
    let command = format!("kubectl create service {flavour}");
    let args = args::parse(
        &command,
        rest,
        &[
            value("tcp", None),
            value("node-port", None),
            value("clusterip", None),
            value("dry-run", None),
            value("output", Some('o')),
            value("save-config", None),
            value("field-manager", None),
        ],
    )?;
    let name = one_name(&command, &args)?;
    let headless = args.value("clusterip") == Some("None");
    let specs = args.values("tcp");
    if specs.is_empty() && !headless {
        return Err(KubectlError::plain(
            "at least one tcp port specifier must be provided",
        ));
    }
    let node_port = args.int(&command, "node-port", "--node-port")?;
    let mut ports = Vec::new();
    for spec in specs {
        let (port, target) = spec.split_once(':').unwrap_or((spec, spec));
        let port = parse_port(port)?;
        let target = match target.parse::<i32>() {
            Ok(number) => json!(number),
            Err(_) => json!(target),
        };
        let mut entry = json!({
            "name": spec.replace(':', "-"),
            "port": port,
            "protocol": "TCP",
            "targetPort": target,
        });
        if let Some(node_port) = node_port.filter(|p| *p > 0 && type_ == "NodePort") {
            entry["nodePort"] = json!(node_port);
        }
        ports.push(entry);
    }
    let mut spec = json!({ "selector": { "app": name }, "type": type_ });
    if !ports.is_empty() {
        spec["ports"] = json!(ports);
    }
    if let Some(ip) = args.value("clusterip") {
        spec["clusterIP"] = json!(ip);
    }
    let service = json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": { "creationTimestamp": null, "labels": { "app": name }, "name": name },
        "spec": spec,
        "status": { "loadBalancer": {} },
    });
    let failure = format!("failed to create {type_} service");
    finish(ctx, &args, service, "created", Some(&failure))
}

/// `kubectl expose deployment|replicaset|pod|service NAME [--port=P] [--target-port=T]
/// [--name=N] [--type=T]`: a Service selecting what the object selects.
pub fn expose(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    const COMMAND: &str = "kubectl expose";
    let args = args::parse(
        COMMAND,
        argv,
        &[
            value("port", None),
            value("target-port", None),
            value("name", None),
            value("type", None),
            value("protocol", None),
            value("selector", None),
            value("labels", Some('l')),
            value("dry-run", None),
            value("output", Some('o')),
            value("save-config", None),
            value("field-manager", None),
        ],
    )?;
    let targets = super::named_targets(COMMAND, &args.positional, ctx.cluster)?;
    let Some((kind, source)) = targets.into_iter().next() else {
        return Err(KubectlError::usage(
            COMMAND,
            "You must provide one or more resources by argument or filename.",
        ));
    };
    let namespace = args.namespace().to_string();
    let Some(object) = ctx.cluster.get(kind, &namespace, &source) else {
        return Err(ApiError::not_found(kind, &source).into());
    };
    // What the Service will select, and the ports the object declares.
    let (selector, declared_ports) = match &object {
        Object::Deployment(d) => {
            if !d.spec.selector.match_expressions.is_empty() {
                return Err(KubectlError::plain(
                    "couldn't retrieve selectors via --selector flag or introspection: the Deployment has match expressions, which a Service selector cannot express",
                ));
            }
            (
                d.spec.selector.match_labels.clone(),
                container_ports(&d.spec.template.spec),
            )
        }
        Object::ReplicaSet(rs) => (
            rs.spec.selector.match_labels.clone(),
            container_ports(&rs.spec.template.spec),
        ),
        Object::Pod(pod) => (pod.metadata.labels.clone(), container_ports(&pod.spec)),
        Object::Service(svc) => (
            svc.spec.selector.clone(),
            svc.spec.ports.iter().map(|p| p.port).collect(),
        ),
        _ => {
            return Err(KubectlError::plain(format!(
                "cannot expose a {}",
                kind.qualified_resource()
            )))
        }
    };
    let selector: Map<String, Value> = match args.value("selector") {
        Some(text) => text
            .split(',')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect(),
        None => selector.into_iter().map(|(k, v)| (k, json!(v))).collect(),
    };
    if selector.is_empty() {
        return Err(KubectlError::plain(
            "couldn't retrieve selectors via --selector flag or introspection: the object has no labels to select",
        ));
    }
    let ports: Vec<i64> = match args.int(COMMAND, "port", "--port")? {
        Some(port) => vec![port],
        None => declared_ports.into_iter().map(i64::from).collect(),
    };
    if ports.is_empty() {
        return Err(KubectlError::plain(
            "couldn't find port via --port flag or introspection",
        ));
    }
    let protocol = args.value("protocol").unwrap_or("TCP");
    let target = args.value("target-port");
    let named = ports.len() > 1;
    let ports: Vec<Value> = ports
        .iter()
        .enumerate()
        .map(|(i, port)| {
            let target = match target {
                Some(t) => t.parse::<i64>().map_or_else(|_| json!(t), |n| json!(n)),
                None => json!(port),
            };
            let mut entry = json!({ "port": port, "protocol": protocol, "targetPort": target });
            if named {
                entry["name"] = json!(format!("port-{}", i + 1));
            }
            entry
        })
        .collect();
    let name = args.value("name").unwrap_or(&source).to_string();
    let labels: Map<String, Value> = match args.value("labels") {
        Some(text) => text
            .split(',')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect(),
        None => object
            .metadata()
            .labels
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect(),
    };
    let mut metadata = json!({ "creationTimestamp": null, "name": name });
    if !labels.is_empty() {
        metadata["labels"] = Value::Object(labels);
    }
    let mut spec = json!({ "ports": ports, "selector": selector });
    if let Some(type_) = args.value("type") {
        spec["type"] = json!(type_);
    }
    let service = json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": metadata,
        "spec": spec,
        "status": { "loadBalancer": {} },
    });
    finish(ctx, &args, service, "exposed", None)
}

/// Prints the generated object (`--dry-run=client`) or creates it; `operation` is the word
/// kubectl prints after the name (`created`, `exposed`).
///
/// `failure` is how the verb wraps the API server's refusal: `create deployment` and `create
/// service` return `fmt.Errorf("failed to create …: %v", err)`, which kubectl prints as a plain
/// `error: failed to create …: <the server's message>`; the others print the Status as it is.
pub fn finish(
    ctx: &mut Ctx<'_>,
    args: &Args,
    generated: Value,
    operation: &str,
    failure: Option<&str>,
) -> Result<Flow, KubectlError> {
    let wrap = |err: ApiError| match failure {
        Some(failure) => KubectlError::plain(format!("{failure}: {}", err.message())),
        None => err.into(),
    };
    let dry_run = DryRun::parse(args)?;
    let output = args.value("output");
    if let Some(format) = output.filter(|f| !matches!(*f, "yaml" | "json" | "name")) {
        return Err(KubectlError::plain(format!(
            "unable to match a printer suitable for the output format \"{format}\", allowed formats are: json,name,yaml"
        )));
    }
    let mut object = decode_object(generated.clone(), "STDIN")
        .map_err(|e| KubectlError::plain(e.message(Verb::Creating).trim_end().to_string()))?;
    let namespace = args.namespace().to_string();
    let kind = object.kind();
    let name = object.metadata().name.clone();
    if dry_run == DryRun::Client {
        let shown = match output {
            // kubectl prints YAML through JSON and a map (keys in order), JSON straight from
            // the Go struct (fields in declaration order).
            Some("yaml") => value_to_yaml(&generated),
            Some("json") => go_json(&generated),
            Some(_) => success_line(kind, &name, ""),
            None => success_line(kind, &name, &format!("{operation} (dry run)")),
        };
        ctx.out.stdout.push_str(&shown);
        return Ok(Flow::Done);
    }
    object.metadata_mut().namespace = namespace.clone();
    apply_defaults(&mut object);
    validate_create(&object).map_err(wrap)?;
    if ctx.cluster.get(kind, &namespace, &name).is_some() {
        return Err(wrap(ApiError::already_exists(kind, &name)));
    }
    // What the server answers with: the stored object, or (server dry run) what it would be.
    let stored = if dry_run == DryRun::None {
        ctx.cluster.create(object.clone()).map_err(wrap)?;
        ctx.cluster.get(kind, &namespace, &name).unwrap_or(object)
    } else {
        object
    };
    let shown = match output {
        Some("yaml") => rollout_sim::manifest::encode::to_yaml(&stored),
        Some("json") => rollout_sim::manifest::encode::to_json(&stored),
        Some(_) => success_line(kind, &name, ""),
        None if dry_run == DryRun::Server => {
            success_line(kind, &name, &format!("{operation} (server dry run)"))
        }
        None => success_line(kind, &name, operation),
    };
    ctx.out.stdout.push_str(&shown);
    Ok(Flow::Done)
}

/// A service port of `--tcp`, read as Go's `strconv.ParseUint(port, 10, 16)` reads it.
fn parse_port(port: &str) -> Result<u16, KubectlError> {
    port.parse::<u16>().map_err(|_| {
        let reason = if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) {
            "value out of range"
        } else {
            "invalid syntax"
        };
        KubectlError::plain(format!("strconv.ParseUint: parsing {port:?}: {reason}"))
    })
}

/// Exactly one NAME, as kubectl's `NameFromCommandArgs` wants it.
fn one_name(command: &str, args: &Args) -> Result<String, KubectlError> {
    match args.positional.as_slice() {
        [name] => Ok(name.clone()),
        other => Err(KubectlError::usage(
            command,
            format!("exactly one NAME is required, got {}", other.len()),
        )),
    }
}

/// The container name `kubectl create deployment` derives from an image: its last path
/// segment without tag or digest. Like kubectl's `sanitizeAndUniquify`, only a name with `_`
/// or `.` is changed (both become `-`) and given a random five-character suffix; two images
/// of the same name give two containers of the same name, which the API server refuses.
fn container_name(image: &str, cluster: &mut Cluster) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    let last = last.split(':').next().unwrap_or(last);
    let last = last.split('@').next().unwrap_or(last);
    if last.contains(['_', '.']) {
        format!(
            "{}-{}",
            last.replace(['_', '.'], "-"),
            cluster.name_suffix(5)
        )
    } else {
        last.to_string()
    }
}

fn container_ports(spec: &rollout_sim::objects::PodSpec) -> Vec<i32> {
    spec.containers
        .iter()
        .flat_map(|c| c.ports.iter().map(|p| p.container_port))
        .collect()
}

/// Field order in the Go structs kubectl encodes for generated objects (ObjectMeta,
/// Deployment, Pod, Container, Service, their ports): one order that agrees with each.
const GO_FIELD_ORDER: &[&str] = &[
    "kind",
    "apiVersion",
    "metadata",
    "name",
    "creationTimestamp",
    "labels",
    "spec",
    "replicas",
    "containers",
    "restartPolicy",
    "dnsPolicy",
    "image",
    "command",
    "args",
    "ports",
    "selector",
    "matchLabels",
    "template",
    "strategy",
    "clusterIP",
    "type",
    "containerPort",
    "protocol",
    "port",
    "targetPort",
    "nodePort",
    "resources",
    "stdin",
    "tty",
    "status",
    "loadBalancer",
];

/// `json.MarshalIndent(obj, "", "    ")` of a typed object, as `-o json` prints it.
fn go_json(value: &Value) -> String {
    fn write(value: &Value, indent: usize, out: &mut String) {
        let pad = |n: usize| "    ".repeat(n);
        match value {
            Value::Object(map) if map.is_empty() => out.push_str("{}"),
            Value::Array(items) if items.is_empty() => out.push_str("[]"),
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                let rank = |k: &str| {
                    GO_FIELD_ORDER
                        .iter()
                        .position(|f| *f == k)
                        .unwrap_or(usize::MAX)
                };
                keys.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.cmp(b)));
                out.push_str("{\n");
                for (i, key) in keys.iter().enumerate() {
                    out.push_str(&pad(indent + 1));
                    out.push_str(&scalar(&Value::String((*key).clone())));
                    out.push_str(": ");
                    write(&map[*key], indent + 1, out);
                    out.push_str(if i + 1 < keys.len() { ",\n" } else { "\n" });
                }
                out.push_str(&pad(indent));
                out.push('}');
            }
            Value::Array(items) => {
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    out.push_str(&pad(indent + 1));
                    write(item, indent + 1, out);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                out.push_str(&pad(indent));
                out.push(']');
            }
            other => out.push_str(&scalar(other)),
        }
    }
    use crate::printers::go_json::go_scalar as scalar;
    let mut out = String::new();
    write(value, 0, &mut out);
    out.push('\n');
    out
}
