//! Verbs that only print: `version`, `api-resources`, `help`.

use super::{Ctx, Flow};
use crate::args::{self, boolean, value};
use crate::error::KubectlError;
use crate::printers::TabWriter;

/// kubectl's version: the cluster's release (one patch release everywhere).
pub const CLIENT_VERSION: &str = rollout_sim::KUBERNETES_VERSION;
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
const RESOURCES: [(&str, &str, &str, bool, &str); 12] = [
    ("endpoints", "ep", "v1", true, "Endpoints"),
    ("events", "ev", "v1", true, "Event"),
    ("namespaces", "ns", "v1", false, "Namespace"),
    ("nodes", "no", "v1", false, "Node"),
    ("pods", "po", "v1", true, "Pod"),
    ("services", "svc", "v1", true, "Service"),
    ("deployments", "deploy", "apps/v1", true, "Deployment"),
    ("replicasets", "rs", "apps/v1", true, "ReplicaSet"),
    (
        "horizontalpodautoscalers",
        "hpa",
        "autoscaling/v2",
        true,
        "HorizontalPodAutoscaler",
    ),
    (
        "endpointslices",
        "",
        "discovery.k8s.io/v1",
        true,
        "EndpointSlice",
    ),
    ("ingresses", "ing", "networking.k8s.io/v1", true, "Ingress"),
    (
        "poddisruptionbudgets",
        "pdb",
        "policy/v1",
        true,
        "PodDisruptionBudget",
    ),
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

/// The commands `kubectl help` lists that the lab does not simulate.
pub fn listed_but_not_simulated(verb: &str) -> bool {
    !super::VERBS.contains(&verb)
        && crate::help::text(&[])
            .unwrap_or_default()
            .lines()
            .any(|line| {
                line.strip_prefix("  ")
                    .and_then(|l| l.split_whitespace().next())
                    .is_some_and(|word| word == verb && !line.starts_with("  kubectl"))
            })
}
