//! `autoscaling/v1` HorizontalPodAutoscalers, which `kubectl autoscale` (1.30) creates: the
//! lab stores `v2` objects (a `v1` body decodes to one: `targetCPUUtilizationPercentage` is
//! the CPU `Utilization` metric), and answers a `v1` path with them converted back, as
//! kube-apiserver converts: the CPU utilization target and current value as `v1` fields,
//! everything `v1` has no field for (other metrics, conditions) in the
//! `autoscaling.alpha.kubernetes.io/*` annotations.

use serde_json::{json, Map, Value};

/// The path prefix of the `v1` API.
pub const V1_PREFIX: &str = "/apis/autoscaling/v1/";

/// A response body (an HPA, or a list of them) converted to `autoscaling/v1`; anything else
/// (a Table, a Status) unchanged.
pub fn to_v1(value: &mut Value) {
    match value["kind"].as_str() {
        Some("HorizontalPodAutoscaler") => hpa_to_v1(value),
        Some("HorizontalPodAutoscalerList") => {
            value["apiVersion"] = json!("autoscaling/v1");
            if let Some(items) = value["items"].as_array_mut() {
                items.iter_mut().for_each(hpa_to_v1);
            }
        }
        _ => {}
    }
}

/// Whether a v2 metric is the CPU utilization metric v1 has a field for.
fn is_cpu_utilization(metric: &Value, key: &str) -> bool {
    metric["type"] == "Resource"
        && metric["resource"]["name"] == "cpu"
        && (key == "current" || metric["resource"][key]["type"] == "Utilization")
}

fn annotate(annotations: &mut Map<String, Value>, name: &str, values: Vec<Value>) {
    if !values.is_empty() {
        let text = serde_json::to_string(&values).unwrap_or_default();
        annotations.insert(
            format!("autoscaling.alpha.kubernetes.io/{name}"),
            json!(text),
        );
    }
}

fn hpa_to_v1(hpa: &mut Value) {
    let v2 = hpa.clone();
    let mut annotations = v2["metadata"]["annotations"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let mut spec = json!({
        "scaleTargetRef": v2["spec"]["scaleTargetRef"],
        "maxReplicas": v2["spec"]["maxReplicas"],
    });
    if !v2["spec"]["minReplicas"].is_null() {
        spec["minReplicas"] = v2["spec"]["minReplicas"].clone();
    }
    let mut other_metrics = Vec::new();
    for metric in v2["spec"]["metrics"].as_array().into_iter().flatten() {
        if is_cpu_utilization(metric, "target") {
            spec["targetCPUUtilizationPercentage"] =
                metric["resource"]["target"]["averageUtilization"].clone();
        } else {
            other_metrics.push(metric.clone());
        }
    }
    annotate(&mut annotations, "metrics", other_metrics);
    let status = &v2["status"];
    let mut v1_status = json!({
        "currentReplicas": status["currentReplicas"].as_i64().unwrap_or(0),
        "desiredReplicas": status["desiredReplicas"].as_i64().unwrap_or(0),
    });
    for field in ["observedGeneration", "lastScaleTime"] {
        if !status[field].is_null() {
            v1_status[field] = status[field].clone();
        }
    }
    let mut other_current = Vec::new();
    for metric in status["currentMetrics"].as_array().into_iter().flatten() {
        if is_cpu_utilization(metric, "current")
            && !metric["resource"]["current"]["averageUtilization"].is_null()
        {
            v1_status["currentCPUUtilizationPercentage"] =
                metric["resource"]["current"]["averageUtilization"].clone();
        } else {
            other_current.push(metric.clone());
        }
    }
    annotate(&mut annotations, "current-metrics", other_current);
    annotate(
        &mut annotations,
        "conditions",
        status["conditions"].as_array().cloned().unwrap_or_default(),
    );
    let mut metadata = v2["metadata"].clone();
    if !annotations.is_empty() {
        metadata["annotations"] = Value::Object(annotations);
    }
    *hpa = json!({
        "kind": "HorizontalPodAutoscaler",
        "apiVersion": "autoscaling/v1",
        "metadata": metadata,
        "spec": spec,
        "status": v1_status,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cpu_target_becomes_v1s_field_and_conditions_an_annotation() {
        let mut hpa = json!({
            "kind": "HorizontalPodAutoscaler", "apiVersion": "autoscaling/v2",
            "metadata": { "name": "web" },
            "spec": {
                "scaleTargetRef": { "kind": "Deployment", "name": "web", "apiVersion": "apps/v1" },
                "minReplicas": 2, "maxReplicas": 8,
                "metrics": [{ "type": "Resource", "resource": { "name": "cpu",
                    "target": { "type": "Utilization", "averageUtilization": 50 } } }],
            },
            "status": { "currentReplicas": 2, "desiredReplicas": 2,
                "conditions": [{ "type": "AbleToScale", "status": "True" }] },
        });
        to_v1(&mut hpa);
        assert_eq!(hpa["apiVersion"], "autoscaling/v1");
        assert_eq!(hpa["spec"]["targetCPUUtilizationPercentage"], 50);
        assert!(hpa["spec"].get("metrics").is_none());
        assert!(
            hpa["metadata"]["annotations"]["autoscaling.alpha.kubernetes.io/conditions"]
                .as_str()
                .is_some_and(|text| text.contains("AbleToScale"))
        );
    }
}
