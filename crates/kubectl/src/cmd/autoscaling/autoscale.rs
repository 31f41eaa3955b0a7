//! `kubectl autoscale (-f FILENAME | TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS
//! [--cpu-percent=CPU]` (kubectl 1.30 `cmd/autoscale`): an autoscaling/v1
//! HorizontalPodAutoscaler for a Deployment, named after it unless `--name` says otherwise.

use super::super::generate::finish;
use super::super::{Ctx, Flow};
use crate::args::{self, boolean, value};
use crate::error::KubectlError;
use rollout_sim::objects::Kind;
use serde_json::{json, Map, Value};

pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    const COMMAND: &str = "kubectl autoscale";
    let args = args::parse(
        COMMAND,
        argv,
        &[
            value("filename", Some('f')),
            value("min", None),
            value("max", None),
            value("cpu-percent", None),
            value("name", None),
            value("dry-run", None),
            value("output", Some('o')),
            boolean("save-config", None),
            boolean("record", None),
        ],
    )?;
    if !args.is_set("max") {
        return Err(KubectlError::plain("required flag(s) \"max\" not set"));
    }
    let max = args.int(COMMAND, "max", "--max")?.unwrap_or(-1);
    let min = args.int(COMMAND, "min", "--min")?.unwrap_or(-1);
    let cpu = args
        .int(COMMAND, "cpu-percent", "--cpu-percent")?
        .unwrap_or(-1);
    let (kind, name) = target(ctx, &args)?;
    if kind != "Deployment" {
        return Err(KubectlError::plain(format!(
            "cannot autoscale a {kind}: the lab autoscales Deployments"
        )));
    }
    let namespace = args.namespace().to_string();
    if ctx
        .cluster
        .get(Kind::Deployment, &namespace, &name)
        .is_none()
    {
        return Err(KubectlError::Server(format!(
            "Error from server (NotFound): deployments.apps \"{name}\" not found"
        )));
    }
    if max < 1 {
        return Err(KubectlError::plain(format!(
            "--max=MAXPODS is required and must be at least 1, max: {max}"
        )));
    }
    if max < min {
        return Err(KubectlError::plain(format!(
            "--max=MAXPODS must be larger or equal to --min=MINPODS, max: {max}, min: {min}"
        )));
    }
    let hpa_name = args.value("name").map_or(name.clone(), str::to_string);
    let mut spec = Map::new();
    spec.insert("maxReplicas".into(), json!(max));
    if min > 0 {
        spec.insert("minReplicas".into(), json!(min));
    }
    spec.insert(
        "scaleTargetRef".into(),
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "name": name}),
    );
    if cpu >= 0 {
        spec.insert("targetCPUUtilizationPercentage".into(), json!(cpu));
    }
    let hpa = json!({
        "apiVersion": "autoscaling/v1",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"creationTimestamp": Value::Null, "name": hpa_name},
        "spec": Value::Object(spec),
        "status": {"currentReplicas": 0, "desiredReplicas": 0},
    });
    finish(ctx, &args, hpa, "autoscaled", None)
}

/// The object to autoscale: `TYPE NAME`, `TYPE/NAME`, or the one object of `-f FILE`.
fn target(ctx: &Ctx<'_>, args: &args::Args) -> Result<(String, String), KubectlError> {
    if let Some(file) = args.value("filename") {
        let path = crate::shell::Vfs::resolve(ctx.cwd, file);
        let Some(text) = ctx.files.get(&path) else {
            return Err(KubectlError::plain(format!(
                "the path \"{file}\" does not exist"
            )));
        };
        let docs = super::super::documents::raw_documents(text);
        let Some(doc) = docs.first() else {
            return Err(KubectlError::plain("no objects passed to autoscale"));
        };
        let field = |path: &[&str]| {
            path.iter()
                .try_fold(doc, |v, key| v.get(*key))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        return Ok((field(&["kind"]), field(&["metadata", "name"])));
    }
    let (type_, name) = match args.positional.as_slice() {
        [one] if one.contains('/') => {
            let (t, n) = one.split_once('/').unwrap_or_default();
            (t.to_string(), n.to_string())
        }
        [t, n] => (t.clone(), n.clone()),
        _ => {
            return Err(KubectlError::usage(
                "kubectl autoscale",
                "You must provide the name of the resource to autoscale",
            ))
        }
    };
    let kind = crate::resource::resolve(&type_, ctx.cluster)?;
    Ok((kind.info().name.to_string(), name))
}
