//! `kubectl set selector RESOURCE KEY=VALUE[,…]`: replaces a Service's selector, so it sends
//! its traffic to other pods (the blue-green switch in one command).

use super::{Ctx, Flow};
use crate::args::{self, boolean, value};
use crate::error::KubectlError;
use crate::printers::success_line;
use crate::selector::Selector;
use rollout_sim::objects::Object;

const COMMAND: &str = "kubectl set selector";

pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    let args = args::parse(
        COMMAND,
        argv,
        &[
            boolean("all", None),
            value("filename", Some('f')),
            value("resource-version", None),
            boolean("local", None),
            value("output", Some('o')),
            value("dry-run", None),
            boolean("record", None),
        ],
    )?;
    // The selector is the last argument; the resources come before it.
    let Some((selector_text, resources)) = args.positional.split_last() else {
        return Err(KubectlError::plain("one selector is required"));
    };
    if resources.is_empty() && !args.is_set("filename") {
        return Err(KubectlError::plain(super::NO_RESOURCES));
    }
    let selector = Selector::parse(selector_text)
        .map_err(|error| {
            KubectlError::plain(format!(
                "couldn't parse the selector string {selector_text:?}: {}",
                error.to_string().trim_start_matches("error: ")
            ))
        })?
        .to_map()?;
    if args.is_set("filename") {
        return Err(KubectlError::plain(
            "\"kubectl set selector -f\" is not simulated in Rollout Lab (name the objects instead)",
        ));
    }
    let all = args.flag("all");
    let namespace = args.namespace().to_string();
    let mut failures = Vec::new();
    for (kind, name) in crate::resource::parse_targets(resources, ctx.cluster)? {
        let names = match name {
            Some(name) => vec![name],
            None if all => super::apply::list(ctx.cluster, kind, &namespace)
                .into_iter()
                .map(|(_, name, _)| name)
                .collect(),
            None => {
                return Err(KubectlError::plain(
                    "resource(s) were provided, but no name was specified",
                ))
            }
        };
        for name in names {
            let Some(Object::Service(_)) = ctx.cluster.get(kind, &namespace, &name) else {
                failures.push(match ctx.cluster.get(kind, &namespace, &name) {
                    None => rollout_sim::api::ApiError::not_found(kind, name).to_string(),
                    Some(_) => "setting a selector is only supported for Services".to_string(),
                });
                continue;
            };
            let written = ctx.cluster.update(kind, &namespace, &name, |object| {
                if let Object::Service(service) = object {
                    service.spec.selector = selector.clone();
                }
            });
            match written {
                // Printed whether or not the selector changed, as kubectl does.
                Ok(_) => ctx
                    .out
                    .stdout
                    .push_str(&success_line(kind, &name, "selector updated")),
                Err(error) => failures.push(error.to_string()),
            }
        }
    }
    crate::error::aggregate(failures)?;
    Ok(Flow::Done)
}
