//! `set image NAME CONTAINER=IMAGE` (cmd/set/set_image.go): every container of that name
//! (or every container, for `*`) in the pod template's init and app containers gets the
//! image, through a full update of the Rollout — or of the Deployment its `workloadRef`
//! names.

use super::cli::{self, Invocation};
use super::{require_crds, rollout_not_found, Outcome, Plugin};
use crate::error::KubectlError;
use rollout_sim::cluster::ObjectKey;
use rollout_sim::objects::{Container, PodTemplateSpec};

pub fn run(plugin: &mut Plugin<'_>, invocation: &Invocation) -> Result<Outcome, KubectlError> {
    let (name, container, image) = match invocation.positional() {
        [name, assignment] => match assignment.split('=').collect::<Vec<_>>()[..] {
            [container, image] => (name, container.to_string(), image.to_string()),
            _ => return Err(cli::usage_error(invocation.command, plugin.env, plugin.out)),
        },
        _ => return Err(cli::usage_error(invocation.command, plugin.env, plugin.out)),
    };
    require_crds(plugin.cluster, "get", "rollouts", Some(name))?;
    let namespace = invocation.namespace();
    let Some(rollout) = plugin
        .cluster
        .store()
        .rollouts
        .get(&ObjectKey::new(&namespace, name))
        .cloned()
    else {
        return Err(rollout_not_found(name));
    };
    let no_container = || {
        cli::error(format!(
            "unable to find container named {}",
            rollout_sim::api::go_quote(&container)
        ))
    };
    if let Some(reference) = &rollout.spec.workload_ref {
        let deployment = &reference.name;
        let Some(live) = plugin
            .cluster
            .store()
            .deployments
            .get(&ObjectKey::new(&namespace, deployment))
        else {
            return Err(cli::error(format!(
                "deployments.apps {} not found",
                rollout_sim::api::go_quote(deployment)
            )));
        };
        let mut template = live.spec.template.clone();
        if !set_image(&mut template, &container, &image) {
            return Err(no_container());
        }
        plugin
            .cluster
            .update_deployment(&namespace, deployment, |d| d.spec.template = template)
            .map_err(KubectlError::from)?;
        plugin
            .out
            .stdout
            .push_str(&format!("deployment \"{deployment}\" image updated\n"));
        return Ok(Outcome::Done);
    }
    // The Rollout's template is stored as written (a custom resource): change it in place.
    let mut updated = rollout.clone();
    if !updated.set_image(&container, &image) {
        return Err(no_container());
    }
    plugin
        .cluster
        .update_rollout(&namespace, name, |ro| {
            ro.spec.template = updated.spec.template
        })
        .map_err(|_| rollout_not_found(name))?;
    plugin.out.stdout.push_str(&format!(
        "rollout \"{}\" image updated\n",
        rollout.metadata.name
    ));
    Ok(Outcome::Done)
}

/// `newRolloutSetImage`: whether any container matched.
fn set_image(template: &mut PodTemplateSpec, container: &str, image: &str) -> bool {
    let spec = &mut template.spec;
    let mut found = false;
    let all = spec
        .init_containers
        .iter_mut()
        .chain(spec.containers.iter_mut());
    for c in all.filter(|c: &&mut Container| container == "*" || c.name == container) {
        c.image = image.to_string();
        found = true;
    }
    found
}
