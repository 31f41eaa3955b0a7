//! What `kubectl set env` and `set resources` share: the objects they act on (named, or all
//! of a type by `-l`/`--all`) and the containers of each one's pod template.

use super::Ctx;
use crate::args::Args;
use crate::error::KubectlError;
use crate::selector::Selector;
use rollout_sim::api::ApiError;
use rollout_sim::objects::{Container, Object};

/// One object a `set` command acts on, or the error kubectl reports for it (not found, no
/// pod template).
type Visit = Result<Object, String>;

/// The objects `resources` name (`TYPE NAME…`, `TYPE/NAME…`, or `TYPE` with `-l`/`--all`)
/// that have a pod template, and the errors kubectl reports for the others (which do not
/// stop it from acting on the rest).
pub(super) fn visit(
    ctx: &Ctx<'_>,
    args: &Args,
    resources: &[String],
) -> Result<(Vec<Object>, Vec<String>), KubectlError> {
    let namespace = args.namespace();
    let selector = Selector::parse(args.value("selector").unwrap_or(""))?;
    let listing = args.is_set("selector") || args.flag("all");
    let mut visits = Vec::new();
    for (kind, name) in crate::resource::parse_targets(resources, ctx.cluster)? {
        let namespace = if kind.is_namespaced() { namespace } else { "" };
        match name {
            Some(name) => visits.push(match ctx.cluster.get(kind, namespace, &name) {
                Some(object) => with_template(object),
                None => Err(ApiError::not_found(kind, name).to_string()),
            }),
            None if !listing => {
                return Err(KubectlError::plain(
                    "resource(s) were provided, but no name was specified",
                ))
            }
            None => {
                for (ns, name, labels) in super::apply::list(ctx.cluster, kind, namespace) {
                    if selector.matches(&labels) {
                        visits.extend(ctx.cluster.get(kind, &ns, &name).map(with_template));
                    }
                }
            }
        }
    }
    let (mut objects, mut errors) = (Vec::new(), Vec::new());
    for visit in visits {
        match visit {
            Ok(object) => objects.push(object),
            Err(error) => errors.push(error),
        }
    }
    Ok((objects, errors))
}

/// The containers of an object's pod template (a pod's own), init containers first as
/// kubectl lists them, each with whether it is an init container. `None`: the object has
/// no pod template.
pub(super) fn containers_mut(object: &mut Object) -> Option<Vec<(&mut Container, bool)>> {
    let spec = match object {
        Object::Deployment(d) => &mut d.spec.template.spec,
        Object::ReplicaSet(rs) => &mut rs.spec.template.spec,
        Object::Pod(pod) => &mut pod.spec,
        _ => return None,
    };
    Some(
        spec.init_containers
            .iter_mut()
            .map(|c| (c, true))
            .chain(spec.containers.iter_mut().map(|c| (c, false)))
            .collect(),
    )
}

/// The object, or kubectl's error for one without a pod template (naming the Go type it
/// decoded).
fn with_template(mut object: Object) -> Visit {
    if containers_mut(&mut object).is_some() {
        return Ok(object);
    }
    let (kind, name) = (object.kind(), &object.metadata().name);
    let version = kind.api_version().rsplit('/').next().unwrap_or("v1");
    Err(format!(
        "{}/{name} the object is not a pod or does not have a pod template: *{version}.{kind}",
        kind.resource()
    ))
}

/// Whether a container's name matches `-c` (a shell pattern; `*` is every container).
pub(super) fn container_matches(pattern: &str, name: &str) -> bool {
    fn matches(pattern: &[u8], name: &[u8]) -> bool {
        match pattern.split_first() {
            None => name.is_empty(),
            Some((b'*', rest)) => (0..=name.len()).any(|i| matches(rest, &name[i..])),
            Some((b'?', rest)) => !name.is_empty() && matches(rest, &name[1..]),
            Some((c, rest)) => name.first() == Some(c) && matches(rest, &name[1..]),
        }
    }
    matches(pattern.as_bytes(), name.as_bytes())
}

/// Writes `changed` over `live` through the API (with the update validation a server does,
/// such as a pod's immutable spec). `Ok(false)` when nothing changed.
pub(super) fn write(ctx: &mut Ctx<'_>, live: &Object, changed: Object) -> Result<bool, ApiError> {
    if *live == changed {
        return Ok(false);
    }
    rollout_sim::api::validate_update(live, &changed)?;
    let meta = changed.metadata();
    let (kind, namespace, name) = (changed.kind(), meta.namespace.clone(), meta.name.clone());
    ctx.cluster
        .update(kind, &namespace, &name, |object| *object = changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_patterns_match_like_path_match() {
        assert!(container_matches("*", "demoapp"));
        assert!(container_matches("demo*", "demoapp"));
        assert!(container_matches("demoap?", "demoapp"));
        assert!(!container_matches("nope", "demoapp"));
        assert!(!container_matches("demo", "demoapp"));
    }
}
