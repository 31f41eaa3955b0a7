//! Resource type names as kubectl resolves them (`po`, `deploy`, `deployments.apps`, …) and
//! the `TYPE NAME…` / `TYPE/NAME` argument forms.

use crate::error::KubectlError;
use rollout_sim::cluster::Cluster;
use rollout_sim::objects::{Kind, KINDS};

/// Resolves a resource type the way discovery does: plural, singular, short name, with or
/// without the group, case-insensitively.
pub fn resolve(name: &str, cluster: &Cluster) -> Result<Kind, KubectlError> {
    let kind = resolve_known(name)?;
    // An add-on's kind is in discovery only once its CRDs are installed.
    if cluster.serves(kind) {
        Ok(kind)
    } else {
        Err(unknown(name))
    }
}

/// [`resolve`] against every kind the lab knows, installed or not (for completion).
pub fn resolve_known(name: &str) -> Result<Kind, KubectlError> {
    let lower = name.to_ascii_lowercase();
    let (base, group) = match lower.split_once('.') {
        Some((base, group)) => (base, Some(group)),
        None => (lower.as_str(), None),
    };
    // Discovery's names for each kind: plural, singular, short names (`endpoints` has no
    // singular form of its own; its kind name in lower case is the same word).
    let kind = KINDS
        .iter()
        .find(|info| {
            info.resource == base || info.singular() == base || info.short_names.contains(&base)
        })
        .map(|info| info.kind)
        .ok_or_else(|| unknown(name))?;
    match group {
        None => Ok(kind),
        // `deployments.apps`, `deployments.v1.apps`, `ingresses.networking.k8s.io`.
        Some(group) if group == kind.group() || group.strip_prefix("v1.") == Some(kind.group()) => {
            Ok(kind)
        }
        Some("v1") if kind.group().is_empty() => Ok(kind),
        Some(_) => Err(unknown(name)),
    }
}

fn unknown(name: &str) -> KubectlError {
    KubectlError::plain(format!(
        "the server doesn't have a resource type \"{name}\""
    ))
}

/// What `kubectl get` lists for `all`.
pub const ALL: [Kind; 5] = [
    Kind::Pod,
    Kind::Service,
    Kind::Deployment,
    Kind::ReplicaSet,
    Kind::HorizontalPodAutoscaler,
];

/// Parses `TYPE[,TYPE…] [NAME…]` or `TYPE/NAME…` into (kind, name) requests, in order.
pub fn parse_targets(
    positional: &[String],
    cluster: &Cluster,
) -> Result<Vec<(Kind, Option<String>)>, KubectlError> {
    let Some(first) = positional.first() else {
        return Ok(Vec::new());
    };
    if positional.iter().any(|arg| arg.contains('/')) {
        let mut targets = Vec::new();
        for arg in positional {
            let Some((kind, name)) = arg.split_once('/') else {
                return Err(KubectlError::plain(
                    "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'",
                ));
            };
            if name.is_empty() {
                return Err(KubectlError::plain(
                    "arguments in resource/name form must have a single resource and name",
                ));
            }
            targets.push((resolve(kind, cluster)?, Some(name.to_string())));
        }
        return Ok(targets);
    }
    let mut kinds = Vec::new();
    for part in first.split(',').filter(|p| !p.is_empty()) {
        if part.eq_ignore_ascii_case("all") {
            kinds.extend(ALL);
        } else {
            kinds.push(resolve(part, cluster)?);
        }
    }
    let names = &positional[1..];
    let mut targets = Vec::new();
    for kind in kinds {
        if names.is_empty() {
            targets.push((kind, None));
        } else {
            targets.extend(names.iter().map(|n| (kind, Some(n.clone()))));
        }
    }
    Ok(targets)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn short_names_and_groups_resolve() {
        assert_eq!(resolve_known("po").ok(), Some(Kind::Pod));
        assert_eq!(resolve_known("deploy").ok(), Some(Kind::Deployment));
        assert_eq!(
            resolve_known("deployments.apps").ok(),
            Some(Kind::Deployment)
        );
        assert_eq!(resolve_known("Pods").ok(), Some(Kind::Pod));
        assert_eq!(
            resolve_known("deploymentz").unwrap_err().to_string(),
            "error: the server doesn't have a resource type \"deploymentz\""
        );
    }

    #[test]
    fn an_add_on_kind_resolves_only_once_installed() {
        let mut cluster = Cluster::new(1);
        assert_eq!(
            resolve("rollouts", &cluster).unwrap_err().to_string(),
            "error: the server doesn't have a resource type \"rollouts\""
        );
        cluster.install(Box::new(
            rollout_sim::addons::argo_rollouts::ArgoRolloutsAddon::default(),
        ));
        assert_eq!(resolve("ro", &cluster).ok(), Some(Kind::Rollout));
        assert_eq!(
            resolve("rollouts.argoproj.io", &cluster).ok(),
            Some(Kind::Rollout)
        );
    }

    #[test]
    fn targets_come_as_lists_names_or_slashes() {
        let cluster = Cluster::new(1);
        assert_eq!(
            parse_targets(&args("deploy,rs"), &cluster).unwrap(),
            vec![(Kind::Deployment, None), (Kind::ReplicaSet, None)]
        );
        assert_eq!(
            parse_targets(&args("deploy/a rs/b"), &cluster).unwrap(),
            vec![
                (Kind::Deployment, Some("a".into())),
                (Kind::ReplicaSet, Some("b".into()))
            ]
        );
        assert_eq!(
            parse_targets(&args("po x"), &cluster).unwrap(),
            vec![(Kind::Pod, Some("x".into()))]
        );
        assert_eq!(parse_targets(&args("all"), &cluster).unwrap().len(), 5);
    }
}
