//! `kubectl run`, `kubectl exec` and `kubectl logs`: pods as things a student talks to.

use super::generate::{finish, DryRun};
use super::{Ctx, Flow};
use crate::args::{self, boolean, value};
use crate::error::KubectlError;
use crate::printers::success_line;
use rollout_sim::api::validation::validate_create;
use rollout_sim::api::ApiError;
use rollout_sim::cluster::{Cluster, ObjectKey};
use rollout_sim::manifest::apply_defaults;
use rollout_sim::objects::{
    Container, ContainerPort, ContainerState, Kind, Object, ObjectMeta, Pod, PodSpec,
};
use serde_json::json;

/// An interactive session into a pod that `run -it` / `exec -it` asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attach {
    pub namespace: String,
    pub pod: String,
    /// bash (`root@client-1234 /# `) or sh (`/ # `).
    pub bash: bool,
    /// `kubectl run --rm`: delete the pod when the session ends.
    pub remove: bool,
    /// `kubectl run` prints the attach hint and waits for the pod to run first.
    pub created: bool,
    /// `-t`: a terminal was asked for (kubectl warns when its input is not one).
    pub tty: bool,
    /// The pod runs a command rather than an interactive shell: kubectl shows what it
    /// writes until it ends (`kubectl run -it --rm … -- wget -qO- web`).
    pub command_output: bool,
}

pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    const COMMAND: &str = "kubectl run";
    let args = args::parse(
        COMMAND,
        argv,
        &[
            value("image", None),
            value("restart", None),
            boolean("stdin", Some('i')),
            boolean("tty", Some('t')),
            boolean("rm", None),
            boolean("command", None),
            value("labels", Some('l')),
            value("env", None),
            value("port", None),
            value("dry-run", None),
            value("output", Some('o')),
            value("image-pull-policy", None),
            value("pod-running-timeout", None),
            boolean("attach", None),
            boolean("quiet", Some('q')),
        ],
    )?;
    // A missing required flag is cobra's, found before the command runs.
    let Some(image) = args.value("image").map(str::to_string) else {
        return Err(KubectlError::plain("required flag(s) \"image\" not set"));
    };
    let Some(name) = args.positional.first().cloned() else {
        return Err(KubectlError::usage(COMMAND, "NAME is required for run"));
    };
    let interactive = args.flag("stdin");
    if args.flag("rm") && !interactive && !args.flag("attach") {
        return Err(KubectlError::plain(
            "--rm should only be used for attached containers",
        ));
    }
    let restart = match args.value("restart").unwrap_or("Always") {
        policy @ ("Always" | "OnFailure" | "Never") => policy.to_string(),
        other => {
            return Err(KubectlError::plain(format!(
                "invalid restart policy: {other}"
            )))
        }
    };
    let namespace = args.namespace().to_string();
    let mut command = args.after_dash.clone().unwrap_or_default();
    command.extend(args.positional.iter().skip(1).cloned());
    let mut labels = std::collections::BTreeMap::new();
    match args.value("labels") {
        Some(text) => {
            for pair in text.split(',') {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                labels.insert(k.to_string(), v.to_string());
            }
        }
        None => {
            labels.insert("run".to_string(), name.clone());
        }
    }
    let (cmd, cmd_args) = if args.flag("command") {
        (command, Vec::new())
    } else {
        (Vec::new(), command)
    };
    let port = args.int(COMMAND, "port", "--port")?;
    let dry_run = DryRun::parse(&args)?;
    if dry_run != DryRun::None {
        if interactive || args.flag("tty") || args.flag("attach") {
            // cmdutil.UsageErrorf: kubectl adds its "See 'kubectl run -h'" line.
            return Err(KubectlError::usage(
                COMMAND,
                "--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)",
            ));
        }
        // The pod as kubectl sends it (`kubectl run --dry-run=client -o yaml`).
        let mut container = json!({ "image": image, "name": name, "resources": {} });
        if !cmd.is_empty() {
            container["command"] = json!(cmd);
        }
        if !cmd_args.is_empty() {
            container["args"] = json!(cmd_args);
        }
        if let Some(port) = port {
            container["ports"] = json!([{ "containerPort": port }]);
        }
        let pod = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": { "creationTimestamp": null, "labels": labels, "name": name },
            "spec": {
                "containers": [container],
                "dnsPolicy": "ClusterFirst",
                "restartPolicy": restart,
            },
            "status": {},
        });
        return finish(ctx, &args, pod, "created", None);
    }
    let mut pod = Pod {
        metadata: ObjectMeta {
            name: name.clone(),
            namespace: namespace.clone(),
            labels,
            ..ObjectMeta::default()
        },
        spec: PodSpec {
            containers: vec![Container {
                name: name.clone(),
                image,
                command: cmd,
                args: cmd_args,
                stdin: interactive,
                tty: args.flag("tty"),
                ports: port
                    .and_then(|p| i32::try_from(p).ok())
                    .map(|container_port| {
                        vec![ContainerPort {
                            name: None,
                            container_port,
                        }]
                    })
                    .unwrap_or_default(),
                ..Container::default()
            }],
            restart_policy: Some(restart),
            ..PodSpec::default()
        },
        ..Pod::default()
    };
    let mut object = Object::Pod(pod.clone());
    apply_defaults(&mut object);
    validate_create(&object)?;
    if let Object::Pod(defaulted) = object {
        pod = defaulted;
    }
    ctx.cluster.create(Object::Pod(pod.clone()))?;
    if !interactive {
        ctx.out
            .stdout
            .push_str(&success_line(Kind::Pod, &name, "created"));
        return Ok(Flow::Done);
    }
    let words: Vec<&String> = pod.spec.containers[0]
        .command
        .iter()
        .chain(&pod.spec.containers[0].args)
        .collect();
    let shell = words.first().map(|w| w.as_str()).unwrap_or_default();
    Ok(Flow::Attach(Attach {
        namespace,
        pod: name,
        bash: shell.ends_with("bash"),
        remove: args.flag("rm"),
        created: true,
        tty: args.flag("tty"),
        command_output: !runs_interactive_shell(&pod.spec.containers[0]),
    }))
}

/// `kubectl exec POD -- COMMAND`: the command runs in the pod's container, in the lab's
/// shell (see [`crate::lab::containers`]), and its output comes back to the terminal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exec {
    pub namespace: String,
    pub pod: String,
    pub container: String,
    pub argv: Vec<String>,
}

pub fn exec(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    const COMMAND: &str = "kubectl exec";
    let args = args::parse(
        COMMAND,
        argv,
        &[
            boolean("stdin", Some('i')),
            boolean("tty", Some('t')),
            value("container", Some('c')),
            boolean("quiet", Some('q')),
        ],
    )?;
    let Some(target) = args.positional.first() else {
        return Err(KubectlError::plain(
            "pod, type/name or --filename must be specified",
        ));
    };
    let namespace = args.namespace().to_string();
    let Some(command) = args.after_dash.clone().filter(|c| !c.is_empty()) else {
        return Err(KubectlError::plain(
            "you must specify at least one command for the container",
        ));
    };
    let name = attachable_pod(ctx.cluster, &namespace, target)?;
    let pod = running_pod(ctx.cluster, &namespace, &name)?;
    let container = match args.value("container") {
        Some(container) => {
            if !pod.spec.containers.iter().any(|c| c.name == container) {
                return Err(KubectlError::plain(format!(
                    "container {container} not found in pod {name}"
                )));
            }
            container.to_string()
        }
        None => super::logs::default_container(ctx, &pod, !args.flag("quiet")),
    };
    let image = pod
        .spec
        .containers
        .iter()
        .find(|c| c.name == container)
        .map(|c| c.image.clone())
        .unwrap_or_default();
    let program = command[0]
        .rsplit('/')
        .next()
        .unwrap_or(&command[0])
        .to_string();
    let is_shell = matches!(program.as_str(), "sh" | "bash" | "ash");
    if rollout_sim::kubelet::images::missing_program(&image, &command).is_some() {
        return Err(KubectlError::Verbatim(format!(
            "error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: \"{}\": executable file not found in $PATH: unknown",
            command[0]
        )));
    }
    if args.flag("stdin") && is_shell && command.len() == 1 {
        return Ok(Flow::Attach(Attach {
            namespace,
            pod: name,
            bash: program == "bash",
            remove: false,
            created: false,
            tty: args.flag("tty"),
            command_output: false,
        }));
    }
    Ok(Flow::Exec(Exec {
        namespace,
        pod: name,
        container,
        argv: command,
    }))
}

/// Whether the container's process is an interactive shell the user types into (`sh`,
/// `/bin/bash`, or no command in a shell image), rather than a command that runs by itself.
pub fn runs_interactive_shell(container: &Container) -> bool {
    let mut words = container.command.iter().chain(&container.args);
    match words.next() {
        None => true,
        Some(first) => {
            let program = first.rsplit('/').next().unwrap_or(first);
            matches!(program, "sh" | "bash" | "ash") && words.next().is_none()
        }
    }
}

/// `polymorphichelpers.AttachablePodForObjectFn`: the pod itself, or for a workload
/// (`deploy/web`, `rs/…`) the most active of the pods its selector picks.
pub(crate) fn attachable_pod(
    cluster: &Cluster,
    namespace: &str,
    target: &str,
) -> Result<String, KubectlError> {
    let Some((kind, name)) = target.split_once('/') else {
        return Ok(target.to_string());
    };
    let kind = crate::resource::resolve(kind, cluster)?;
    if kind == Kind::Pod {
        return Ok(name.to_string());
    }
    let selector = match cluster.get(kind, namespace, name) {
        Some(Object::Deployment(d)) => d.spec.selector,
        Some(Object::ReplicaSet(rs)) => rs.spec.selector,
        Some(Object::Service(svc)) if svc.spec.selector.is_empty() => {
            return Err(KubectlError::plain(format!(
                "invalid service '{name}': Service is defined without a selector"
            )))
        }
        Some(Object::Service(svc)) => {
            let mut selector = rollout_sim::objects::LabelSelector::default();
            selector.match_labels = svc.spec.selector.clone();
            selector
        }
        Some(_) => {
            return Err(KubectlError::plain(format!(
                "cannot attach to {}: not implemented",
                kind.qualified_kind()
            )))
        }
        None => return Err(ApiError::not_found(kind, name).into()),
    };
    let mut pods: Vec<&Pod> = cluster
        .store()
        .pods_in(namespace)
        .filter(|p| selector.matches(&p.metadata.labels))
        .collect();
    // `sort.Reverse(podutils.ActivePods(pods))`: the most active first.
    let less = rollout_sim::controller::pod_order::active_pods_less;
    pods.sort_by(|a, b| {
        if less(b, a) {
            std::cmp::Ordering::Less
        } else if less(a, b) {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    });
    pods.first()
        .map(|p| p.metadata.name.clone())
        .ok_or_else(|| KubectlError::plain(format!("no pods found for {target}")))
}

/// The pod, if it exists and its container runs; otherwise kubectl's error.
fn running_pod(cluster: &Cluster, namespace: &str, name: &str) -> Result<Pod, KubectlError> {
    let Some(pod) = cluster
        .store()
        .pods
        .get(&ObjectKey::new(namespace, name))
        .map(|pod| Pod::clone(pod))
    else {
        return Err(ApiError::not_found(Kind::Pod, name).into());
    };
    let running = pod
        .status
        .container_statuses
        .iter()
        .any(|c| matches!(c.state, ContainerState::Running { .. }));
    if !running {
        let container = pod
            .spec
            .containers
            .first()
            .map_or(String::new(), |c| c.name.clone());
        return Err(KubectlError::plain(format!(
            "unable to upgrade connection: container not found (\"{container}\")"
        )));
    }
    Ok(pod)
}
