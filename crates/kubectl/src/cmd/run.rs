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
    let shell = pod.spec.containers[0]
        .command
        .iter()
        .chain(&pod.spec.containers[0].args)
        .next()
        .cloned()
        .unwrap_or_default();
    Ok(Flow::Attach(Attach {
        namespace,
        pod: name,
        bash: shell.ends_with("bash"),
        remove: args.flag("rm"),
        created: true,
        tty: args.flag("tty"),
    }))
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
    let name = target
        .strip_prefix("pod/")
        .or_else(|| target.strip_prefix("pods/"))
        .unwrap_or(target)
        .to_string();
    let namespace = args.namespace().to_string();
    let Some(command) = args.after_dash.clone().filter(|c| !c.is_empty()) else {
        return Err(KubectlError::plain(
            "you must specify at least one command for the container",
        ));
    };
    let pod = running_pod(ctx.cluster, &namespace, &name)?;
    if let Some(container) = args.value("container") {
        if !pod.spec.containers.iter().any(|c| c.name == container) {
            return Err(KubectlError::plain(format!(
                "container {container} not found in pod {name}"
            )));
        }
    }
    let program = command[0]
        .rsplit('/')
        .next()
        .unwrap_or(&command[0])
        .to_string();
    if args.flag("stdin") && matches!(program.as_str(), "sh" | "bash" | "ash") {
        return Ok(Flow::Attach(Attach {
            namespace,
            pod: name,
            bash: program == "bash",
            remove: false,
            created: false,
            tty: args.flag("tty"),
        }));
    }
    match program.as_str() {
        "hostname" => ctx.println(&name),
        "echo" => ctx.println(command[1..].join(" ")),
        "curl" => {
            let output = ctx.cluster.curl(&command[1..], &namespace, Some(&name));
            ctx.out.stdout.push_str(&output.stdout());
            ctx.out.stderr.push_str(&output.stderr());
            if output.exit_code != 0 {
                return Err(KubectlError::Verbatim(format!("command terminated with exit code {}", output.exit_code)));
            }
        }
        _ => {
            return Err(KubectlError::Verbatim(format!(
                "error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: \"{}\": executable file not found in $PATH: unknown",
                command[0]
            )))
        }
    }
    Ok(Flow::Done)
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

pub fn logs(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    const COMMAND: &str = "kubectl logs";
    let args = args::parse(
        COMMAND,
        argv,
        &[
            boolean("follow", Some('f')),
            value("container", Some('c')),
            value("tail", None),
            boolean("previous", Some('p')),
            boolean("timestamps", None),
        ],
    )?;
    // `logs POD [CONTAINER]`: one or two arguments.
    let target = args
        .positional
        .first()
        .filter(|_| args.positional.len() <= 2);
    let Some(target) = target else {
        return Err(KubectlError::usage(
            COMMAND,
            "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command",
        ));
    };
    let namespace = args.namespace().to_string();
    let pod = match target.split_once('/') {
        // `logs deploy/NAME` picks one of its pods, as kubectl does.
        Some((kind, owner)) if crate::resource::resolve(kind, ctx.cluster)? != Kind::Pod => {
            let kind = crate::resource::resolve(kind, ctx.cluster)?;
            let selector = match ctx.cluster.get(kind, &namespace, owner) {
                Some(Object::Deployment(d)) => d.spec.selector,
                Some(Object::ReplicaSet(rs)) => rs.spec.selector,
                Some(_) => {
                    return Err(KubectlError::plain(format!(
                        "cannot get the logs from {}",
                        kind.qualified_kind()
                    )))
                }
                // kubectl's polymorphic helper wraps the API's error in its own words.
                None => {
                    return Err(KubectlError::plain(format!(
                        "error from server (NotFound): {} in namespace {}",
                        ApiError::not_found(kind, owner).message(),
                        rollout_sim::strconv::quote(&namespace)
                    )))
                }
            };
            let mut pods: Vec<&Pod> = ctx
                .cluster
                .store()
                .pods_in(&namespace)
                .filter(|p| selector.matches(&p.metadata.labels))
                .collect();
            pods.sort_by(|a, b| by_logging(a, b));
            let Some(pod) = pods.first().map(|p| (*p).clone()) else {
                return Err(KubectlError::plain(format!(
                    "no pods found for {}/{owner}",
                    kind.qualified_kind()
                )));
            };
            // kubectl's GetFirstPod counts every pod the selector lists, terminating ones too.
            if pods.len() > 1 {
                ctx.out.stderr_first = true;
                ctx.eprintln(format!(
                    "Found {} pods, using pod/{}",
                    pods.len(),
                    pod.metadata.name
                ));
            }
            pod
        }
        _ => {
            let name = target.split_once('/').map_or(target.as_str(), |(_, n)| n);
            let Some(pod) = ctx
                .cluster
                .store()
                .pods
                .get(&ObjectKey::new(&namespace, name))
                .map(|p| Pod::clone(p))
            else {
                return Err(ApiError::not_found(Kind::Pod, name).into());
            };
            pod
        }
    };
    let name = pod.metadata.name.clone();
    let Some(status) = pod.status.container_statuses.first() else {
        return Err(KubectlError::Server(format!(
            "Error from server (BadRequest): container \"{}\" in pod \"{name}\" is waiting to start: ContainerCreating",
            pod.spec.containers.first().map_or("", |c| c.name.as_str())
        )));
    };
    if let ContainerState::Waiting { reason, .. } = &status.state {
        if status.restart_count == 0 {
            return Err(KubectlError::Server(format!(
                "Error from server (BadRequest): container \"{}\" in pod \"{name}\" is waiting to start: {reason}",
                status.name
            )));
        }
    }
    if status.image.contains("demoapp") {
        ctx.println(" * Running on http://0.0.0.0:80/ (Press CTRL+C to quit)");
    }
    Ok(Flow::Done)
}

/// kubectl's `podutils.ByLogging`: which of an owner's pods `kubectl logs TYPE/NAME` reads.
/// Scheduled before unscheduled; Running, then Unknown, then Pending; ready before not
/// ready; ready longer before ready shorter; more restarts first; older first.
fn by_logging(a: &Pod, b: &Pod) -> std::cmp::Ordering {
    use rollout_sim::objects::PodPhase;
    use std::cmp::Ordering;
    let scheduled = |p: &Pod| !p.spec.node_name.is_empty();
    let phase = |p: &Pod| match p.status.phase {
        Some(PodPhase::Running) => 0,
        Some(PodPhase::Unknown) => 1,
        Some(PodPhase::Pending) => 2,
        // Go's map lookup gives 0 for any other phase.
        _ => 0,
    };
    let restarts = |p: &Pod| {
        p.status
            .container_statuses
            .iter()
            .map(|c| c.restart_count)
            .max()
            .unwrap_or(0)
    };
    // An empty time sorts last ("afterOrZero").
    let earlier_first = |x: Option<rollout_sim::clock::Time>,
                         y: Option<rollout_sim::clock::Time>| match (x, y) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    if a.spec.node_name != b.spec.node_name && (!scheduled(a) || !scheduled(b)) {
        return scheduled(b).cmp(&scheduled(a));
    }
    phase(a)
        .cmp(&phase(b))
        .then_with(|| b.is_ready().cmp(&a.is_ready()))
        .then_with(|| {
            if a.is_ready() && b.is_ready() {
                earlier_first(a.ready_since(), b.ready_since())
            } else {
                Ordering::Equal
            }
        })
        .then_with(|| restarts(b).cmp(&restarts(a)))
        .then_with(|| earlier_first(a.metadata.creation_timestamp, b.metadata.creation_timestamp))
}
