//! `kubectl scale deployment/NAME --replicas=N` (deployments and replica sets).

use super::{named_targets, Ctx, Flow};
use crate::args::{self, value};
use crate::error::KubectlError;
use crate::printers::success_line;
use rollout_sim::objects::Kind;

const COMMAND: &str = "kubectl scale";

pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    let args = args::parse(
        COMMAND,
        argv,
        &[
            value("replicas", None),
            value("current-replicas", None),
            value("filename", Some('f')),
        ],
    )?;
    let Some(replicas) = args.int(COMMAND, "replicas", "--replicas")? else {
        return Err(KubectlError::plain("required flag(s) \"replicas\" not set"));
    };
    if replicas < 0 {
        return Err(KubectlError::plain(
            "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
        ));
    }
    let current = args.int(COMMAND, "current-replicas", "--current-replicas")?;
    let namespace = args.namespace().to_string();
    for (kind, name) in named_targets(COMMAND, &args.positional, ctx.cluster)? {
        let Ok(replicas) = i32::try_from(replicas) else {
            return Err(KubectlError::Server(format!(
                "Error from server (BadRequest): Scale in version \"v1\" cannot be handled as a Scale: json: cannot unmarshal number {replicas} into Go struct field ScaleSpec.spec.replicas of type int32"
            )));
        };
        let live = match kind {
            Kind::Deployment => ctx
                .cluster
                .store()
                .deployments
                .get(&key(&namespace, &name))
                .map(|d| d.spec.replicas),
            Kind::ReplicaSet => ctx
                .cluster
                .store()
                .replica_sets
                .get(&key(&namespace, &name))
                .map(|rs| rs.spec.replicas),
            other => {
                return Err(KubectlError::plain(format!(
                    "cannot scale {}: no scale subresource",
                    other.qualified_resource()
                )));
            }
        };
        let Some(live) = live else {
            return Err(rollout_sim::api::ApiError::not_found(kind, name).into());
        };
        if current.is_some_and(|c| c != i64::from(live)) {
            return Err(KubectlError::plain(format!(
                "Expected replicas to be {}, was {live}",
                current.unwrap_or_default()
            )));
        }
        match kind {
            Kind::Deployment => {
                ctx.cluster
                    .update_deployment(&namespace, &name, |d| d.spec.replicas = replicas)?;
            }
            _ => {
                ctx.cluster
                    .update_replica_set(&namespace, &name, |rs| rs.spec.replicas = replicas)?;
            }
        }
        ctx.out
            .stdout
            .push_str(&success_line(kind, &name, "scaled"));
    }
    Ok(Flow::Done)
}

fn key(namespace: &str, name: &str) -> rollout_sim::cluster::ObjectKey {
    rollout_sim::cluster::ObjectKey::new(namespace, name)
}
