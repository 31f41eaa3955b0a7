//! `kubectl set env RESOURCE NAME=VALUE… NAME-…`: sets and removes environment variables in
//! the containers of pod templates (`-c` picks containers, `--list` prints them instead).
//! A Deployment's template changes, so it rolls out, as on a cluster.

use super::pod_template::{self, container_matches};
use super::{Ctx, Flow};
use crate::args::{self, boolean, value};
use crate::error::KubectlError;
use crate::printers::success_line;
use rollout_sim::objects::{Container, EnvVar};

const COMMAND: &str = "kubectl set env";

/// One change the arguments ask for.
#[derive(Clone, Debug, PartialEq)]
enum Change {
    Set(String, String),
    Remove(String),
}

pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    let args = args::parse(
        COMMAND,
        argv,
        &[
            value("env", Some('e')),
            value("containers", Some('c')),
            boolean("list", None),
            boolean("overwrite", None),
            boolean("all", None),
            value("selector", Some('l')),
            value("filename", Some('f')),
            value("from", None),
            value("prefix", None),
            value("keys", None),
            boolean("resolve", None),
            value("output", Some('o')),
            value("dry-run", None),
        ],
    )?;
    let (resources, mut env_args) =
        split_environment_from_resources(&args.positional).ok_or_else(|| {
            KubectlError::plain(format!(
                "all resources must be specified before environment changes: {}",
                args.positional.join(" ")
            ))
        })?;
    env_args.extend(args.values("env").into_iter().map(str::to_string));
    if resources.is_empty() && !args.is_set("filename") {
        return Err(KubectlError::plain(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        ));
    }
    if args.is_set("filename") || args.is_set("from") {
        // Neither files nor ConfigMaps/Secrets exist for `set env` here; say which.
        if let Some(from) = args.value("from") {
            let kind = from.split_once('/').map_or(from, |(kind, _)| kind);
            crate::resource::resolve(kind, ctx.cluster)?;
        }
        return Err(KubectlError::plain(
            "\"kubectl set env -f|--from\" is not simulated in Rollout Lab",
        ));
    }
    let changes = parse_env(&env_args)?;
    let pattern = args.value("containers").unwrap_or("*").to_string();
    let overwrite = args.value("overwrite").is_none_or(|v| v == "true");
    let (objects, mut failures) = pod_template::visit(ctx, &args, &resources)?;
    for live in objects {
        let (kind, name) = (live.kind(), live.metadata().name.clone());
        let mut object = live.clone();
        let containers = pod_template::containers_mut(&mut object).unwrap_or_default();
        let mut containers: Vec<(&mut Container, bool)> = containers
            .into_iter()
            .filter(|(c, _)| container_matches(&pattern, &c.name))
            .collect();
        if containers.is_empty() {
            ctx.eprintln(format!(
                "Warning: {kind}/{name} does not have any containers matching {pattern:?}"
            ));
            continue;
        }
        let mut conflict = None;
        for (container, _) in containers.iter_mut() {
            if let Err(existing) = apply(&mut container.env, &changes, overwrite) {
                conflict.get_or_insert(existing);
            }
        }
        if let Some((key, value)) = conflict {
            failures.push(format!(
                "{}/{name} '{key}' already has a value ({value}), and --overwrite is false",
                kind.resource()
            ));
            continue;
        }
        if args.flag("list") {
            for (container, init) in &containers {
                let what = if *init { "init container" } else { "container" };
                ctx.println(format!("# {kind} {name}, {what} {}", container.name));
                for env in &container.env {
                    ctx.println(list_line(env));
                }
            }
            continue;
        }
        match pod_template::write(ctx, &live, object) {
            Ok(true) => ctx
                .out
                .stdout
                .push_str(&success_line(kind, &name, "env updated")),
            Ok(false) => {}
            Err(error) => failures.push(format!(
                "failed to patch env update to pod template: {}",
                error.message()
            )),
        }
    }
    crate::error::aggregate(failures)?;
    Ok(Flow::Done)
}

/// kubectl's `SplitEnvironmentFromResources`: resources first, then `NAME=VALUE` / `NAME-`;
/// `None` when a resource follows an environment change.
fn split_environment_from_resources(args: &[String]) -> Option<(Vec<String>, Vec<String>)> {
    let is_env = |arg: &str| arg.find('=').is_some_and(|at| at > 0) || arg.ends_with('-');
    let split = args.iter().position(|a| is_env(a)).unwrap_or(args.len());
    let (resources, env) = args.split_at(split);
    env.iter()
        .all(|a| is_env(a))
        .then(|| (resources.to_vec(), env.to_vec()))
}

/// kubectl's `ParseEnv`: `NAME=VALUE` sets, `NAME-` removes; names are checked as the API
/// server checks environment variable names.
fn parse_env(args: &[String]) -> Result<Vec<Change>, KubectlError> {
    let mut changes = Vec::new();
    for arg in args {
        if let Some((name, value)) = arg.split_once('=') {
            if !valid_env_name(name) {
                return Err(KubectlError::plain(format!(
                    "{name:?} is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"
                )));
            }
            changes.push(Change::Set(name.to_string(), value.to_string()));
        } else if let Some(name) = arg.strip_suffix('-') {
            // `-` alone reads variables from standard input; there is none to read here.
            if !name.is_empty() {
                changes.push(Change::Remove(name.to_string()));
            }
        }
    }
    Ok(changes)
}

/// `[-._a-zA-Z][-._a-zA-Z0-9]*`.
fn valid_env_name(name: &str) -> bool {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_');
    name.chars()
        .next()
        .is_some_and(|c| allowed(c) && !c.is_ascii_digit())
        && name.chars().all(allowed)
}

/// Applies the changes to one container's variables: a set replaces the value in place or
/// appends; with `--overwrite=false`, a different existing value is an `Err` (name, value).
fn apply(
    env: &mut Vec<EnvVar>,
    changes: &[Change],
    overwrite: bool,
) -> Result<(), (String, String)> {
    for change in changes {
        match change {
            Change::Set(name, value) => match env.iter_mut().find(|e| e.name == *name) {
                Some(existing) => {
                    let current = existing.value.clone().unwrap_or_default();
                    if !overwrite && current != *value {
                        return Err((name.clone(), current));
                    }
                    existing.value = Some(value.clone());
                    existing.value_from = None;
                }
                None => env.push(EnvVar {
                    name: name.clone(),
                    value: Some(value.clone()),
                    value_from: None,
                }),
            },
            Change::Remove(name) => env.retain(|e| e.name != *name),
        }
    }
    Ok(())
}

/// A `--list` line: `NAME=VALUE`, or where a value comes from.
fn list_line(env: &EnvVar) -> String {
    match (&env.value, &env.value_from) {
        (_, Some(from)) => match from["fieldRef"]["fieldPath"].as_str() {
            Some(path) => format!("# {} from field path {path}", env.name),
            None => format!("# {} from a source the lab does not resolve", env.name),
        },
        (value, None) => format!("{}={}", env.name, value.as_deref().unwrap_or_default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn resources_come_before_environment_changes() {
        assert_eq!(
            split_environment_from_resources(&words("deploy/web A=1 B-")),
            Some((words("deploy/web"), words("A=1 B-")))
        );
        assert_eq!(
            split_environment_from_resources(&words("deploy web =x")),
            Some((words("deploy web =x"), vec![]))
        );
        assert_eq!(
            split_environment_from_resources(&words("deploy/web A=1 deploy/db")),
            None
        );
    }

    #[test]
    fn names_are_checked_and_changes_apply_in_order() {
        assert!(parse_env(&words("1A=x"))
            .unwrap_err()
            .to_string()
            .starts_with("error: \"1A\" is not a valid key name"));
        let changes = parse_env(&words("A=1 B=two A=3 C-")).unwrap();
        let mut env = vec![EnvVar {
            name: "C".into(),
            value: Some("gone".into()),
            value_from: None,
        }];
        apply(&mut env, &changes, true).unwrap();
        let listed: Vec<String> = env.iter().map(list_line).collect();
        assert_eq!(listed, ["A=3", "B=two"]);
        assert_eq!(
            apply(&mut env, &parse_env(&words("B=other")).unwrap(), false),
            Err(("B".into(), "two".into()))
        );
        assert_eq!(
            apply(&mut env, &parse_env(&words("B=two")).unwrap(), false),
            Ok(())
        );
    }
}
