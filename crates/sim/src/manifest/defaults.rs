//! API-server defaulting (`pkg/apis/{apps,core}/v1/defaults.go`): the values a real cluster
//! fills in before validation, which `kubectl get -o yaml` later shows. Every function is
//! idempotent: defaulting a defaulted object changes nothing.

use crate::objects::{
    Container, Deployment, DeploymentStrategyType, IntOrString, Object, Pod, PodSpec, Probe,
    ProbeHandler, ReplicaSet, RollingUpdateDeployment, Service, ServiceType, SessionAffinity,
};

/// Applies the API server's defaults to a decoded object, as on create and update.
pub fn apply_defaults(object: &mut Object) {
    match object {
        Object::Deployment(d) => default_deployment(d),
        Object::ReplicaSet(rs) => default_replica_set(rs),
        Object::Pod(pod) => default_pod(pod),
        Object::Service(svc) => default_service(svc),
        Object::Endpoints(eps) => {
            for subset in &mut eps.subsets {
                for port in &mut subset.ports {
                    if port.protocol.is_empty() {
                        port.protocol = "TCP".to_string();
                    }
                }
            }
        }
        // Ingress has no defaults: `pathType` stays required. Namespaces get their
        // `kubernetes` finalizer from the namespace lifecycle, not from defaulting.
        Object::Ingress(_) | Object::Namespace(_) | Object::EndpointSlice(_) => {}
        // policy/v1 defaults nothing: an unset selector stays unset (and selects no pods).
        Object::PodDisruptionBudget(_) => {}
        Object::HorizontalPodAutoscaler(hpa) => crate::objects::set_hpa_defaults(hpa),
        // A custom resource gets only its CRD schema's defaults, and Argo's CRDs declare
        // none: the embedded pod template is stored as written (its ReplicaSets are defaulted
        // when the controller creates them).
        Object::Rollout(_)
        | Object::AnalysisTemplate(_)
        | Object::ClusterAnalysisTemplate(_)
        | Object::AnalysisRun(_) => {}
        // Defaulted by its CRD's schema while decoding (`crate::manifest::custom`).
        Object::Custom(_) => {}
    }
}

/// `SetDefaults_Deployment` (apps/v1). `replicas` is already 1 when the manifest omits it.
pub fn default_deployment(d: &mut Deployment) {
    let spec = &mut d.spec;
    if spec.strategy.type_ == DeploymentStrategyType::RollingUpdate {
        let rolling = spec
            .strategy
            .rolling_update
            .get_or_insert_with(RollingUpdateDeployment::default);
        rolling
            .max_unavailable
            .get_or_insert_with(|| IntOrString::from("25%"));
        rolling
            .max_surge
            .get_or_insert_with(|| IntOrString::from("25%"));
    }
    spec.revision_history_limit.get_or_insert(10);
    spec.progress_deadline_seconds.get_or_insert(600);
    default_pod_spec(&mut spec.template.spec);
}

pub fn default_replica_set(rs: &mut ReplicaSet) {
    default_pod_spec(&mut rs.spec.template.spec);
}

/// `SetDefaults_Pod` on top of the pod spec defaults: only real Pods get
/// `enableServiceLinks`, templates do not.
pub fn default_pod(pod: &mut Pod) {
    default_pod_spec(&mut pod.spec);
    admit_pod(pod);
    // Only a Pod, not a template: a limit without a request requests the limit.
    for container in pod
        .spec
        .containers
        .iter_mut()
        .chain(pod.spec.init_containers.iter_mut())
    {
        default_requests_to_limits(container);
    }
    pod.spec
        .other
        .entry("enableServiceLinks".to_string())
        .or_insert(serde_json::Value::Bool(true));
}

/// The seconds the DefaultTolerationSeconds admission plugin lets a pod stay on a node that
/// is not ready or unreachable (`--default-not-ready-toleration-seconds`, `…-unreachable-…`).
pub const DEFAULT_TOLERATION_SECONDS: i64 = 300;

/// What the API server's admission plugins write into every new pod, after defaulting:
/// ServiceAccount (`serviceAccountName: default`), Priority (`priority: 0`,
/// `preemptionPolicy: PreemptLowerPriority`: no PriorityClass exists) and
/// DefaultTolerationSeconds (tolerate a not-ready or unreachable node for 300 s). Idempotent.
pub fn admit_pod(pod: &mut Pod) {
    use serde_json::{json, Value};
    let spec = &mut pod.spec;
    let account = spec
        .service_account_name
        .get_or_insert_with(|| "default".to_string())
        .clone();
    spec.other
        .entry("serviceAccount".to_string())
        .or_insert(Value::String(account));
    spec.other.entry("priority".to_string()).or_insert(json!(0));
    spec.other
        .entry("preemptionPolicy".to_string())
        .or_insert(json!("PreemptLowerPriority"));
    let tolerations = spec
        .tolerations
        .get_or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(list) = tolerations {
        for key in [
            "node.kubernetes.io/not-ready",
            "node.kubernetes.io/unreachable",
        ] {
            // A toleration of the taint's NoExecute effect (or of every effect) is kept.
            let tolerated = list.iter().any(|t| {
                let field = |f: &str| t.get(f).and_then(Value::as_str).unwrap_or_default();
                let key_matches = field("key") == key
                    || (field("key").is_empty() && field("operator") == "Exists");
                key_matches && (field("effect").is_empty() || field("effect") == "NoExecute")
            });
            if !tolerated {
                list.push(json!({
                    "effect": "NoExecute",
                    "key": key,
                    "operator": "Exists",
                    "tolerationSeconds": DEFAULT_TOLERATION_SECONDS,
                }));
            }
        }
    }
}

/// `SetDefaults_Pod`: requests default to limits, resource by resource.
fn default_requests_to_limits(container: &mut Container) {
    let Some(serde_json::Value::Object(resources)) = &mut container.resources else {
        return;
    };
    let Some(serde_json::Value::Object(limits)) = resources.get("limits").cloned() else {
        return;
    };
    let requests = resources
        .entry("requests")
        .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
    if let serde_json::Value::Object(requests) = requests {
        for (name, limit) in limits {
            requests.entry(name).or_insert(limit);
        }
    }
}

/// `SetDefaults_PodSpec` plus the container and probe defaults inside it.
pub fn default_pod_spec(spec: &mut PodSpec) {
    spec.dns_policy
        .get_or_insert_with(|| "ClusterFirst".to_string());
    spec.restart_policy
        .get_or_insert_with(|| "Always".to_string());
    spec.security_context
        .get_or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
    spec.termination_grace_period_seconds.get_or_insert(30);
    spec.scheduler_name
        .get_or_insert_with(|| "default-scheduler".to_string());
    for container in spec
        .containers
        .iter_mut()
        .chain(spec.init_containers.iter_mut())
    {
        default_container(container);
    }
}

/// `SetDefaults_Container`: pull policy from the tag, the termination message file.
pub fn default_container(container: &mut Container) {
    if container
        .image_pull_policy
        .as_deref()
        .is_none_or(str::is_empty)
    {
        let policy = if image_tag(&container.image) == "latest" {
            "Always"
        } else {
            "IfNotPresent"
        };
        container.image_pull_policy = Some(policy.to_string());
    }
    container
        .termination_message_path
        .get_or_insert_with(|| "/dev/termination-log".to_string());
    container
        .termination_message_policy
        .get_or_insert_with(|| "File".to_string());
    for probe in [
        &mut container.liveness_probe,
        &mut container.readiness_probe,
        &mut container.startup_probe,
    ]
    .into_iter()
    .flatten()
    {
        default_probe(probe);
    }
}

/// `SetDefaults_Probe` and `SetDefaults_HTTPGetAction` (the scheme is always HTTP here).
pub fn default_probe(probe: &mut Probe) {
    for (value, default) in [
        (&mut probe.timeout_seconds, 1),
        (&mut probe.period_seconds, 10),
        (&mut probe.success_threshold, 1),
        (&mut probe.failure_threshold, 3),
    ] {
        if *value == 0 {
            *value = default;
        }
    }
    if let ProbeHandler::HttpGet { path, .. } = &mut probe.handler {
        if path.is_empty() {
            *path = "/".to_string();
        }
    }
}

/// The tag `parsers.ParseImageName` finds: `latest` when there is neither tag nor digest,
/// empty when there is only a digest.
pub fn image_tag(image: &str) -> &str {
    if image.contains('@') {
        return "";
    }
    let last_segment_start = image.rfind('/').map_or(0, |i| i + 1);
    match image[last_segment_start..].rfind(':') {
        Some(i) => &image[last_segment_start + i + 1..],
        None => "latest",
    }
}

/// `SetDefaults_Service`, plus the single-stack IP family fields the Service registry fills
/// in on this IPv4 cluster (`clusterIPs` mirrors an allocated `clusterIP`).
pub fn default_service(svc: &mut Service) {
    let spec = &mut svc.spec;
    match spec.session_affinity {
        SessionAffinity::None => spec.session_affinity_timeout_seconds = None,
        SessionAffinity::ClientIP => {
            spec.session_affinity_timeout_seconds.get_or_insert(10_800);
        }
    }
    for port in &mut spec.ports {
        if port.protocol.is_empty() {
            port.protocol = "TCP".to_string();
        }
        let unset = match &port.target_port {
            None => true,
            Some(IntOrString::Int(0)) => true,
            Some(IntOrString::String(s)) => s.is_empty(),
            Some(IntOrString::Int(_)) => false,
        };
        if unset {
            port.target_port = Some(IntOrString::Int(port.port));
        }
    }
    if matches!(
        spec.type_,
        ServiceType::NodePort | ServiceType::LoadBalancer
    ) {
        spec.external_traffic_policy
            .get_or_insert_with(|| "Cluster".to_string());
    }
    spec.internal_traffic_policy
        .get_or_insert_with(|| "Cluster".to_string());
    if spec.type_ == ServiceType::LoadBalancer {
        spec.other
            .entry("allocateLoadBalancerNodePorts".to_string())
            .or_insert(serde_json::Value::Bool(true));
    }
    spec.ip_family_policy
        .get_or_insert_with(|| "SingleStack".to_string());
    if spec.ip_families.is_empty() {
        spec.ip_families.push("IPv4".to_string());
    }
    if spec.cluster_ips.is_empty() && !spec.cluster_ip.is_empty() {
        spec.cluster_ips.push(spec.cluster_ip.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pull_policy_follows_the_tag() {
        assert_eq!(image_tag("ikubernetes/demoapp:v1.0"), "v1.0");
        assert_eq!(image_tag("nginx"), "latest");
        assert_eq!(image_tag("localhost:5000/nginx"), "latest");
        assert_eq!(image_tag("nginx@sha256:abc"), "");
        let mut c = Container {
            image: "nginx".into(),
            ..Container::default()
        };
        default_container(&mut c);
        assert_eq!(c.image_pull_policy.as_deref(), Some("Always"));
        let mut c = Container {
            image: "nginx:1.25".into(),
            ..Container::default()
        };
        default_container(&mut c);
        assert_eq!(c.image_pull_policy.as_deref(), Some("IfNotPresent"));
    }

    #[test]
    fn defaulting_twice_changes_nothing() {
        let mut d = Deployment::default();
        d.spec.template.spec.containers.push(Container {
            name: "a".into(),
            image: "a".into(),
            ..Container::default()
        });
        let mut object = Object::Deployment(d);
        apply_defaults(&mut object);
        let once = object.clone();
        apply_defaults(&mut object);
        assert_eq!(object, once);
    }
}
