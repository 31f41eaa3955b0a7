//! `--subresource=status|scale` (kubectl's KEP-2590, beta in 1.30) on `get` and `patch`: the
//! `status` subresource is the whole object, as the API serves it; `scale` is an
//! `autoscaling/v1` `Scale` of the kinds that have one (Deployment, ReplicaSet, and the
//! Rollout's CRD). The API server's side (`rollout_apiserver::api`) reads the same functions.

use crate::error::KubectlError;
use rollout_sim::objects::{Kind, LabelSelector};
use serde_json::{json, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subresource {
    Status,
    Scale,
}

/// The flag's value, checked as kubectl checks it before it asks the server.
pub fn parse(value: Option<&str>) -> Result<Option<Subresource>, KubectlError> {
    match value {
        None | Some("") => Ok(None),
        Some("status") => Ok(Some(Subresource::Status)),
        Some("scale") => Ok(Some(Subresource::Scale)),
        Some(other) => Err(KubectlError::plain(format!(
            "invalid subresource value: \"{other}\". Must be one of [status scale]"
        ))),
    }
}

/// kubectl refuses a subresource for a list, a selector or several kinds at once.
pub fn bulk() -> KubectlError {
    KubectlError::plain("subresource cannot be used when bulk resources are specified")
}

/// The kinds whose API serves a `scale` subresource.
pub fn has_scale(kind: Kind) -> bool {
    matches!(kind, Kind::Deployment | Kind::ReplicaSet | Kind::Rollout)
}

/// The kinds whose API serves a `status` subresource: all but those without a status.
pub fn has_status(kind: Kind) -> bool {
    !matches!(
        kind,
        Kind::Endpoints
            | Kind::EndpointSlice
            | Kind::Event
            | Kind::AnalysisTemplate
            | Kind::ClusterAnalysisTemplate
            | Kind::ReferenceGrant
    )
}

/// What the API server answers for a subresource the kind does not have.
pub fn not_served() -> KubectlError {
    KubectlError::Server(
        "Error from server (NotFound): the server could not find the requested resource"
            .to_string(),
    )
}

/// The `Scale` of an object, from its JSON: `spec.replicas` desired, the status's replicas
/// (a Rollout's CRD names `.status.HPAReplicas`) and its selector as text.
pub fn scale_of(kind: Kind, object: &Value) -> Value {
    let meta = &object["metadata"];
    let replicas = match kind {
        Kind::Rollout => &object["status"]["HPAReplicas"],
        _ => &object["status"]["replicas"],
    };
    let selector = match kind {
        Kind::Rollout => object["status"]["selector"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| selector_text(&object["spec"]["selector"])),
        _ => selector_text(&object["spec"]["selector"]),
    };
    json!({
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {
            "name": meta["name"], "namespace": meta["namespace"], "uid": meta["uid"],
            "resourceVersion": meta["resourceVersion"], "creationTimestamp": meta["creationTimestamp"],
        },
        "spec": { "replicas": object["spec"]["replicas"].as_i64().unwrap_or(1) },
        "status": { "replicas": replicas.as_i64().unwrap_or(0), "selector": selector },
    })
}

/// `labels.Selector.String()` of a selector in its JSON form, as the API server fills a
/// `Scale`'s `status.selector`.
fn selector_text(selector: &Value) -> String {
    serde_json::from_value::<LabelSelector>(selector.clone())
        .map(|selector| selector.selector_string())
        .unwrap_or_default()
}

/// The API server's table columns for a `Scale` (after NAME): desired and available replicas.
pub const SCALE_COLUMNS: [&str; 2] = ["DesiredReplicas", "AvailableReplicas"];

/// A `Scale`'s cells after its name.
pub fn scale_cells(scale: &Value) -> [i64; 2] {
    [
        scale["spec"]["replicas"].as_i64().unwrap_or(0),
        scale["status"]["replicas"].as_i64().unwrap_or(0),
    ]
}

/// `kubectl get --subresource=scale`'s table.
pub fn scale_table(scales: &[Value], no_headers: bool) -> String {
    let mut writer = crate::printers::tabwriter::TabWriter::for_get();
    if !no_headers {
        let header: Vec<String> = SCALE_COLUMNS
            .iter()
            .map(|c| c.to_ascii_uppercase())
            .collect();
        writer.write_str(&format!("NAME\t{}\n", header.join("\t")));
    }
    for scale in scales {
        let [desired, available] = scale_cells(scale);
        let name = scale["metadata"]["name"].as_str().unwrap_or_default();
        writer.write_str(&format!("{name}\t{desired}\t{available}\n"));
    }
    writer.flush();
    writer.take_output()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_status_and_scale_are_subresources() {
        assert_eq!(parse(Some("scale")).unwrap(), Some(Subresource::Scale));
        assert_eq!(parse(None).unwrap(), None);
        assert_eq!(
            parse(Some("logs")).unwrap_err().to_string(),
            "error: invalid subresource value: \"logs\". Must be one of [status scale]"
        );
    }

    #[test]
    fn a_deployments_scale_and_its_table() {
        let deployment = json!({
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}}},
            "status": {"replicas": 2}
        });
        let scale = scale_of(Kind::Deployment, &deployment);
        assert_eq!(scale["status"]["selector"], "app=web");
        assert_eq!(
            scale_table(&[scale], false),
            "NAME   DESIREDREPLICAS   AVAILABLEREPLICAS\nweb    3                 2\n"
        );
    }
}
