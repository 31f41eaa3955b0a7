//! Verbs that only print: `version`, `api-resources`, `help`.

use super::{Ctx, Flow};
use crate::args::{self, boolean, value};
use crate::error::KubectlError;
use crate::printers::TabWriter;

pub const CLIENT_VERSION: &str = "v1.30.0";
const KUSTOMIZE_VERSION: &str = "v5.0.4-0.20230601165947-6ce0bf390ce3";

pub fn version(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    let args = args::parse(
        "kubectl version",
        argv,
        &[boolean("client", None), value("output", Some('o'))],
    )?;
    if let Some(format) = args.value("output") {
        if format != "yaml" && format != "json" {
            return Err(KubectlError::plain("--output must be 'yaml' or 'json'"));
        }
    }
    ctx.println(format!("Client Version: {CLIENT_VERSION}"));
    ctx.println(format!("Kustomize Version: {KUSTOMIZE_VERSION}"));
    if !args.flag("client") {
        ctx.println(format!("Server Version: {CLIENT_VERSION}"));
    }
    Ok(Flow::Done)
}

/// The resources this cluster serves, as `kubectl api-resources` lists them.
const RESOURCES: [(&str, &str, &str, bool, &str); 9] = [
    ("endpoints", "ep", "v1", true, "Endpoints"),
    ("events", "ev", "v1", true, "Event"),
    ("namespaces", "ns", "v1", false, "Namespace"),
    ("nodes", "no", "v1", false, "Node"),
    ("pods", "po", "v1", true, "Pod"),
    ("services", "svc", "v1", true, "Service"),
    ("deployments", "deploy", "apps/v1", true, "Deployment"),
    ("replicasets", "rs", "apps/v1", true, "ReplicaSet"),
    ("ingresses", "ing", "networking.k8s.io/v1", true, "Ingress"),
];

pub fn api_resources(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    let args = args::parse(
        "kubectl api-resources",
        argv,
        &[
            value("output", Some('o')),
            boolean("namespaced", None),
            value("api-group", None),
            boolean("no-headers", None),
        ],
    )?;
    let names_only = args.value("output") == Some("name");
    let namespaced = args.value("namespaced").map(|v| v == "true");
    let group = args.value("api-group");
    let mut writer = TabWriter::for_get();
    if !names_only && !args.flag("no-headers") {
        writer.write_str("NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND\n");
    }
    // Installed add-ons' CRDs come after the built-in groups, as discovery lists them.
    let installed: Vec<(&str, &str, &str, bool, &str)> = crate::releases::all()
        .filter(|release| {
            ctx.cluster
                .addons()
                .names()
                .any(|name| name == release.addon)
        })
        .flat_map(|release| release.resources)
        .collect();
    for (name, short, api_version, is_namespaced, kind) in RESOURCES.into_iter().chain(installed) {
        let resource_group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
        if namespaced.is_some_and(|n| n != is_namespaced)
            || group.is_some_and(|g| g != resource_group)
        {
            continue;
        }
        if names_only {
            let qualified = if resource_group.is_empty() {
                name.to_string()
            } else {
                format!("{name}.{resource_group}")
            };
            writer.write_str(&format!("{qualified}\n"));
        } else {
            writer.write_str(&format!(
                "{name}\t{short}\t{api_version}\t{is_namespaced}\t{kind}\n"
            ));
        }
    }
    writer.flush();
    ctx.out.stdout.push_str(&writer.take_output());
    Ok(Flow::Done)
}

/// `kubectl help`, as kubectl 1.30 prints it (every command, simulated or not).
pub const KUBECTL_HELP: &str = "kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/

Basic Commands (Beginner):
  create          Create a resource from a file or from stdin
  expose          Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service
  run             Run a particular image on the cluster
  set             Set specific features on objects

Basic Commands (Intermediate):
  explain         Get documentation for a resource
  get             Display one or many resources
  edit            Edit a resource on the server
  delete          Delete resources by file names, stdin, resources and names, or by resources and label selector

Deploy Commands:
  rollout         Manage the rollout of a resource
  scale           Set a new size for a deployment, replica set, or replication controller
  autoscale       Auto-scale a deployment, replica set, stateful set, or replication controller

Cluster Management Commands:
  certificate     Modify certificate resources
  cluster-info    Display cluster information
  top             Display resource (CPU/memory) usage
  cordon          Mark node as unschedulable
  uncordon        Mark node as schedulable
  drain           Drain node in preparation for maintenance
  taint           Update the taints on one or more nodes

Troubleshooting and Debugging Commands:
  describe        Show details of a specific resource or group of resources
  logs            Print the logs for a container in a pod
  attach          Attach to a running container
  exec            Execute a command in a container
  port-forward    Forward one or more local ports to a pod
  proxy           Run a proxy to the Kubernetes API server
  cp              Copy files and directories to and from containers
  auth            Inspect authorization
  debug           Create debugging sessions for troubleshooting workloads and nodes
  events          List events

Advanced Commands:
  diff            Diff the live version against a would-be applied version
  apply           Apply a configuration to a resource by file name or stdin
  patch           Update fields of a resource
  replace         Replace a resource by file name or stdin
  wait            Experimental: Wait for a specific condition on one or many resources
  kustomize       Build a kustomization target from a directory or URL

Settings Commands:
  label           Update the labels on a resource
  annotate        Update the annotations on a resource
  completion      Output shell completion code for the specified shell (bash, zsh, fish, or powershell)

Subcommands provided by plugins:

Other Commands:
  api-resources   Print the supported API resources on the server
  api-versions    Print the supported API versions on the server, in the form of \"group/version\"
  config          Modify kubeconfig files
  plugin          Provides utilities for interacting with plugins
  version         Print the client and server version information

Usage:
  kubectl [flags] [options]

Use \"kubectl <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).
";

/// `kubectl VERB --help`: the verb's one-line summary (from kubectl's own help) and usage.
pub fn verb_help(verb: &str) -> String {
    let summary = KUBECTL_HELP
        .lines()
        .find_map(|line| {
            let line = line.trim_start();
            let rest = line.strip_prefix(verb)?;
            rest.starts_with("  ").then(|| rest.trim().to_string())
        })
        .unwrap_or_default();
    let usage = match verb {
        "get" => "kubectl get [(-o|--output=)json|yaml|name|wide|jsonpath=...] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]",
        "apply" => "kubectl apply (-f FILENAME | -k DIRECTORY) [options]",
        "create" => "kubectl create -f FILENAME [options]\n  kubectl create deployment NAME --image=image -- [COMMAND] [args...] [options]\n  kubectl create service clusterip|nodeport|loadbalancer NAME [--tcp=<port>:<targetPort>] [options]",
        "expose" => "kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]",
        "scale" => "kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]",
        "rollout" => "kubectl rollout SUBCOMMAND [options]",
        "set" => "kubectl set SUBCOMMAND [options]",
        "run" => "kubectl run NAME --image=image [--env=\"key=value\"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]",
        "exec" => "kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]",
        "delete" => "kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]",
        "describe" => "kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]",
        _ => "",
    };
    let usage = if usage.is_empty() {
        format!("kubectl {verb} [options]")
    } else {
        usage.to_string()
    };
    format!(
        "{summary}.\n\nUsage:\n  {usage}\n\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n"
    )
}

/// The commands `kubectl help` lists that the lab does not simulate.
pub fn listed_but_not_simulated(verb: &str) -> bool {
    !super::VERBS.contains(&verb)
        && KUBECTL_HELP.lines().any(|line| {
            line.strip_prefix("  ")
                .and_then(|l| l.split_whitespace().next())
                .is_some_and(|word| word == verb && !line.starts_with("  kubectl"))
        })
}
