//! `kubectl label` and `kubectl annotate`: `KEY=VALUE` sets, `KEY-` removes.

use super::{named_targets, Ctx, Flow};
use crate::args::{self, boolean, value};
use crate::error::KubectlError;
use crate::printers::success_line;
use std::collections::BTreeMap;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Labels,
    Annotations,
}

pub fn run(ctx: &mut Ctx<'_>, argv: &[String], target: Target) -> Result<Flow, KubectlError> {
    let (command, noun, done, undone) = match target {
        Target::Labels => ("kubectl label", "label", "labeled", "unlabeled"),
        Target::Annotations => ("kubectl annotate", "annotation", "annotated", "annotated"),
    };
    let parsed = args::parse(
        command,
        argv,
        &[
            boolean("overwrite", None),
            boolean("all", None),
            value("selector", Some('l')),
            value("filename", Some('f')),
        ],
    )?;
    let (changes, resources): (Vec<String>, Vec<String>) = parsed
        .positional
        .iter()
        .cloned()
        .partition(|a| a.contains('=') || (a.ends_with('-') && !a.contains('/')));
    // kubectl validates in this order, each a plain error (no pointer to `-h`).
    if resources.is_empty() && parsed.value("filename").is_none() {
        return Err(KubectlError::plain(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        ));
    }
    if changes.is_empty() {
        return Err(KubectlError::plain(format!(
            "at least one {noun} update is required"
        )));
    }
    let mut set = BTreeMap::new();
    let mut remove = Vec::new();
    for change in &changes {
        match change.split_once('=') {
            Some((key, value)) => {
                set.insert(key.to_string(), value.to_string());
            }
            None => remove.push(change.trim_end_matches('-').to_string()),
        }
    }
    let namespace = parsed.namespace().to_string();
    let overwrite = parsed.flag("overwrite");
    for (kind, name) in named_targets(command, &resources, ctx.cluster)? {
        let Some(mut object) = ctx.cluster.get(kind, &namespace, &name) else {
            return Err(rollout_sim::api::ApiError::not_found(kind, name).into());
        };
        let meta = object.metadata_mut();
        let map = match target {
            Target::Labels => &mut meta.labels,
            Target::Annotations => &mut meta.annotations,
        };
        for (key, value) in &set {
            if let Some(existing) = map.get(key) {
                if existing != value && !overwrite {
                    return Err(KubectlError::plain(format!(
                        "'{key}' already has a value ({existing}), and --overwrite is false"
                    )));
                }
            }
        }
        let before = map.clone();
        for key in &remove {
            if map.remove(key).is_none() {
                ctx.println(format!("{noun} \"{key}\" not found."));
            }
        }
        map.extend(set.clone());
        let only_removed = set.is_empty();
        let changed = *map != before;
        let new_map = map.clone();
        ctx.cluster.update(kind, &namespace, &name, |live| {
            let meta = live.metadata_mut();
            match target {
                Target::Labels => meta.labels = new_map,
                Target::Annotations => meta.annotations = new_map,
            }
        })?;
        let operation = match (changed, only_removed) {
            (false, _) => format!("not {done}"),
            (true, true) => undone.to_string(),
            (true, false) => done.to_string(),
        };
        ctx.out
            .stdout
            .push_str(&success_line(kind, &name, &operation));
    }
    Ok(Flow::Done)
}
