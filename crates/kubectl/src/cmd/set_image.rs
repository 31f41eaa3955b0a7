//! `kubectl set`: its subcommands (`env`, `resources` and `selector` have files of their
//! own), and
//! `kubectl set image TYPE/NAME CONTAINER=IMAGE…`, the usual way to start a rollout.

use super::{named_targets, Ctx, Flow};
use crate::args::{self, boolean, value};
use crate::error::KubectlError;
use crate::printers::success_line;
use rollout_sim::objects::{Container, Kind, Object};

const COMMAND: &str = "kubectl set image";

pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    match argv.iter().position(|a| !a.starts_with('-')) {
        Some(i) if matches!(argv[i].as_str(), "image" | "env" | "resources" | "selector") => {
            let mut rest = argv.to_vec();
            let sub = rest.remove(i);
            match sub.as_str() {
                "env" => super::set_env::run(ctx, &rest),
                "resources" => super::set_resources::run(ctx, &rest),
                "selector" => super::set_selector::run(ctx, &rest),
                _ => set_image(ctx, &rest),
            }
        }
        Some(i) => Err(KubectlError::usage(
            "kubectl set",
            format!("unknown command {:?}", argv[i]),
        )),
        // Without a subcommand kubectl prints the command's help to standard error.
        None => Err(KubectlError::Exit {
            text: crate::help::render(&["set"], ctx.columns).unwrap_or_default(),
            status: 1,
        }),
    }
}

fn set_image(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    let parsed = args::parse(
        COMMAND,
        argv,
        &[
            boolean("all", None),
            value("filename", Some('f')),
            value("record", None),
        ],
    )?;
    let (pairs, resources): (Vec<String>, Vec<String>) = parsed
        .positional
        .iter()
        .cloned()
        .partition(|a| a.contains('='));
    if resources.is_empty() && parsed.value("filename").is_none() {
        return Err(KubectlError::plain(super::NO_RESOURCES));
    }
    if pairs.is_empty() {
        return Err(KubectlError::plain("at least one image update is required"));
    }
    let mut images = Vec::new();
    for pair in &pairs {
        let (container, image) = pair.split_once('=').unwrap_or((pair, ""));
        if image.is_empty() {
            return Err(KubectlError::usage(
                COMMAND,
                format!("invalid image update: {pair}"),
            ));
        }
        images.push((container.to_string(), image.to_string()));
    }
    let targets = named_targets(COMMAND, &resources, ctx.cluster)?;
    let namespace = parsed.namespace().to_string();
    for (kind, name) in targets {
        if !matches!(kind, Kind::Deployment | Kind::ReplicaSet | Kind::Pod) {
            return Err(KubectlError::plain(format!(
                "{}/{name} has no containers",
                kind.qualified_kind()
            )));
        }
        let mut missing = None;
        let changed = ctx.cluster.update(kind, &namespace, &name, |object| {
            let containers: &mut Vec<Container> = match object {
                Object::Deployment(d) => &mut d.spec.template.spec.containers,
                Object::ReplicaSet(rs) => &mut rs.spec.template.spec.containers,
                Object::Pod(pod) => &mut pod.spec.containers,
                _ => return,
            };
            for (container, image) in &images {
                let mut found = false;
                for c in containers
                    .iter_mut()
                    .filter(|c| container == "*" || &c.name == container)
                {
                    c.image = image.clone();
                    found = true;
                }
                if !found {
                    missing = Some(container.clone());
                }
            }
        });
        if let Some(container) = missing {
            return Err(KubectlError::plain(format!(
                "unable to find container named \"{container}\""
            )));
        }
        // kubectl prints nothing when the image already was the requested one.
        if changed? {
            ctx.out
                .stdout
                .push_str(&success_line(kind, &name, "image updated"));
        }
    }
    Ok(Flow::Done)
}
