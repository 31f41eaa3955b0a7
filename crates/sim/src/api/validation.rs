//! Create and update validation, mirroring `pkg/apis/apps/validation`,
//! `pkg/apis/core/validation` and `pkg/apis/networking/validation` of Kubernetes 1.30: the
//! same checks, in the same order, with the same cause texts.
//!
//! Validation runs on *defaulted* objects (see [`crate::manifest::defaults`]) whose namespace
//! (for namespaced kinds) and name (after `generateName`) have been filled in by the caller,
//! as the API server does before it validates.

use super::go::{self, go_quote};
use super::names::{self, NameRule};
use super::{ApiError, FieldError};
use crate::objects::quantity::{quantity_of_json, Quantity};
use crate::objects::{
    Container, Deployment, DeploymentStrategyType, Endpoints, HorizontalPodAutoscaler, Ingress,
    IngressBackend, IntOrString, Kind, LabelSelector, LabelSelectorOperator, Namespace, Object,
    ObjectMeta, Pod, PodDisruptionBudget, PodSpec, PodTemplateSpec, Probe, ProbeHandler,
    ReplicaSet, Service, ServiceType,
};
use std::collections::{BTreeMap, BTreeSet};

/// Validation of a new object (`kubectl create`, or `apply` of an object that does not exist).
pub fn validate_create(object: &Object) -> Result<(), ApiError> {
    let mut v = Causes::default();
    match object {
        Object::Deployment(d) => v.deployment(d),
        Object::ReplicaSet(rs) => v.replica_set(rs),
        Object::Pod(pod) => v.pod(pod),
        Object::Service(svc) => v.service(svc),
        Object::Ingress(ing) => v.ingress(ing),
        Object::Namespace(ns) => v.namespace(ns),
        Object::Endpoints(eps) => v.endpoints(eps),
        Object::EndpointSlice(slice) => v.meta(&slice.metadata, Kind::EndpointSlice),
        Object::PodDisruptionBudget(pdb) => v.pod_disruption_budget(pdb),
        Object::HorizontalPodAutoscaler(hpa) => v.horizontal_pod_autoscaler(hpa),
        // A custom resource is checked against its CRD's schema while decoding; what the
        // controller rejects becomes its InvalidSpec condition, not an API error.
        Object::Rollout(ro) => v.meta(&ro.metadata, Kind::Rollout),
        Object::AnalysisTemplate(at) => v.meta(&at.metadata, Kind::AnalysisTemplate),
        Object::ClusterAnalysisTemplate(cat) => {
            v.meta(&cat.metadata, Kind::ClusterAnalysisTemplate)
        }
        Object::AnalysisRun(ar) => v.meta(&ar.metadata, Kind::AnalysisRun),
        Object::Custom(custom) => v.meta(&custom.metadata, custom.kind),
    }
    v.into_result(object)
}

/// Validation of a change to an existing object (`apply` of an existing object, `edit`,
/// `replace`, `scale`, `set image`, …): the create rules on the new object, then what may not
/// change (a Deployment's or ReplicaSet's `spec.selector`, a Service's cluster IP, most of a
/// Pod's spec).
pub fn validate_update(old: &Object, new: &Object) -> Result<(), ApiError> {
    let mut v = Causes::default();
    match (old, new) {
        (Object::Deployment(old), Object::Deployment(new)) => {
            v.deployment(new);
            v.selector_immutable(&old.spec.selector, &new.spec.selector);
        }
        (Object::ReplicaSet(old), Object::ReplicaSet(new)) => {
            v.replica_set(new);
            v.selector_immutable(&old.spec.selector, &new.spec.selector);
        }
        (Object::Pod(old), Object::Pod(new)) => {
            v.meta(&new.metadata, Kind::Pod);
            v.pod_update(old, new);
        }
        (Object::Service(old), Object::Service(new)) => {
            v.service(new);
            let (before, after) = (&old.spec.cluster_ip, &new.spec.cluster_ip);
            if !before.is_empty() && !after.is_empty() && before != after {
                let ips = if new.spec.cluster_ips.is_empty() {
                    vec![after.clone()]
                } else {
                    new.spec.cluster_ips.clone()
                };
                v.push(FieldError::invalid(
                    "spec.clusterIPs[0]",
                    go::string_slice(&ips),
                    "may not change once set",
                ));
            }
        }
        (_, new) => return validate_create(new),
    }
    v.into_result(new)
}

/// The causes found so far, in the order the API server reports them.
#[derive(Default)]
struct Causes(Vec<FieldError>);

fn nonnegative(value: i64, field: &str) -> Option<FieldError> {
    (value < 0).then(|| {
        FieldError::invalid(
            field,
            value.to_string(),
            "must be greater than or equal to 0",
        )
    })
}

impl Causes {
    fn push(&mut self, cause: FieldError) {
        self.0.push(cause);
    }

    fn nonnegative(&mut self, value: i64, field: &str) {
        if let Some(cause) = nonnegative(value, field) {
            self.push(cause);
        }
    }

    fn into_result(self, object: &Object) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::invalid(
                object.kind(),
                object.metadata().name.clone(),
                self.0,
            ))
        }
    }

    // ---- metadata ------------------------------------------------------------------------

    /// `ValidateObjectMeta`.
    fn meta(&mut self, meta: &ObjectMeta, kind: Kind) {
        let rule = match kind {
            Kind::Service => NameRule::Dns1035Label,
            Kind::Namespace => NameRule::Dns1123Label,
            _ => NameRule::Dns1123Subdomain,
        };
        if !meta.generate_name.is_empty() {
            for msg in rule.check(&meta.generate_name, true) {
                self.push(FieldError::invalid(
                    "metadata.generateName",
                    go_quote(&meta.generate_name),
                    msg,
                ));
            }
        }
        if meta.name.is_empty() {
            self.push(FieldError::required(
                "metadata.name",
                "name or generateName is required",
            ));
        } else {
            for msg in rule.check(&meta.name, false) {
                self.push(FieldError::invalid(
                    "metadata.name",
                    go_quote(&meta.name),
                    msg,
                ));
            }
        }
        if kind.is_namespaced() {
            if meta.namespace.is_empty() {
                self.push(FieldError::required("metadata.namespace", ""));
            } else {
                for msg in names::dns1123_label(&meta.namespace) {
                    self.push(FieldError::invalid(
                        "metadata.namespace",
                        go_quote(&meta.namespace),
                        msg,
                    ));
                }
            }
        }
        self.nonnegative(meta.generation, "metadata.generation");
        self.labels(&meta.labels, "metadata.labels");
        self.annotations(&meta.annotations, "metadata.annotations");
    }

    /// `ValidateLabels`: every key a qualified name, every value a label value.
    fn labels(&mut self, labels: &BTreeMap<String, String>, field: &str) {
        for (key, value) in labels {
            for msg in names::qualified_name(key) {
                self.push(FieldError::invalid(field, go_quote(key), msg));
            }
            for msg in names::label_value(value) {
                self.push(FieldError::invalid(field, go_quote(value), msg));
            }
        }
    }

    /// `ValidateAnnotations`: qualified keys (case-insensitive), at most 256 KiB in total.
    fn annotations(&mut self, annotations: &BTreeMap<String, String>, field: &str) {
        let mut total = 0usize;
        for (key, value) in annotations {
            for msg in names::qualified_name(&key.to_lowercase()) {
                self.push(FieldError::invalid(field, go_quote(key), msg));
            }
            total += key.len() + value.len();
        }
        const LIMIT: usize = 256 * 1024;
        if total > LIMIT {
            self.push(FieldError {
                field: field.to_string(),
                type_: super::FieldErrorType::TooLong,
                detail: format!("must have at most {LIMIT} bytes"),
            });
        }
    }

    /// `ValidateLabelSelector` (apps: values must be valid label values).
    fn label_selector(&mut self, selector: &LabelSelector, field: &str) {
        for (i, requirement) in selector.match_expressions.iter().enumerate() {
            let path = format!("{field}.matchExpressions[{i}]");
            match requirement.operator {
                LabelSelectorOperator::In | LabelSelectorOperator::NotIn => {
                    if requirement.values.is_empty() {
                        self.push(FieldError::required(
                            format!("{path}.values"),
                            "must be specified when `operator` is 'In' or 'NotIn'",
                        ));
                    }
                }
                LabelSelectorOperator::Exists | LabelSelectorOperator::DoesNotExist => {
                    if !requirement.values.is_empty() {
                        self.push(FieldError::forbidden(
                            format!("{path}.values"),
                            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                        ));
                    }
                }
            }
            for msg in names::qualified_name(&requirement.key) {
                self.push(FieldError::invalid(
                    format!("{path}.key"),
                    go_quote(&requirement.key),
                    msg,
                ));
            }
            for (j, value) in requirement.values.iter().enumerate() {
                for msg in names::label_value(value) {
                    self.push(FieldError::invalid(
                        format!("{path}.values[{j}]"),
                        go_quote(value),
                        msg,
                    ));
                }
            }
        }
        self.labels(&selector.match_labels, &format!("{field}.matchLabels"));
    }

    // ---- apps ----------------------------------------------------------------------------

    fn deployment(&mut self, d: &Deployment) {
        self.meta(&d.metadata, Kind::Deployment);
        let spec = &d.spec;
        self.nonnegative(i64::from(spec.replicas), "spec.replicas");
        self.workload_selector_and_template(&spec.selector, &spec.template);
        match spec.strategy.type_ {
            DeploymentStrategyType::Recreate => {
                if spec.strategy.rolling_update.is_some() {
                    self.push(FieldError::forbidden(
                        "spec.strategy.rollingUpdate",
                        "may not be specified when strategy `type` is 'Recreate'",
                    ));
                }
            }
            DeploymentStrategyType::RollingUpdate => match &spec.strategy.rolling_update {
                None => self.push(FieldError::required(
                    "spec.strategy.rollingUpdate",
                    "this should be defaulted and never be nil",
                )),
                Some(rolling) => {
                    let zero = IntOrString::Int(0);
                    let max_unavailable = rolling.max_unavailable.as_ref().unwrap_or(&zero);
                    let max_surge = rolling.max_surge.as_ref().unwrap_or(&zero);
                    let base = "spec.strategy.rollingUpdate";
                    self.positive_int_or_percent(
                        max_unavailable,
                        &format!("{base}.maxUnavailable"),
                    );
                    self.positive_int_or_percent(max_surge, &format!("{base}.maxSurge"));
                    if int_or_percent_value(max_unavailable) == 0
                        && int_or_percent_value(max_surge) == 0
                    {
                        self.push(FieldError::invalid(
                            format!("{base}.maxUnavailable"),
                            go::int_or_string(max_unavailable),
                            "may not be 0 when `maxSurge` is 0",
                        ));
                    }
                    if let Some(percent) = percent_value(max_unavailable) {
                        if percent > 100 {
                            self.push(FieldError::invalid(
                                format!("{base}.maxUnavailable"),
                                go::int_or_string(max_unavailable),
                                "must not be greater than 100%",
                            ));
                        }
                    }
                }
            },
        }
        self.nonnegative(i64::from(spec.min_ready_seconds), "spec.minReadySeconds");
        if let Some(limit) = spec.revision_history_limit {
            self.nonnegative(i64::from(limit), "spec.revisionHistoryLimit");
        }
        if let Some(deadline) = spec.progress_deadline_seconds {
            self.nonnegative(i64::from(deadline), "spec.progressDeadlineSeconds");
            if deadline <= spec.min_ready_seconds {
                self.push(FieldError::invalid(
                    "spec.progressDeadlineSeconds",
                    deadline.to_string(),
                    "must be greater than minReadySeconds",
                ));
            }
        }
    }

    fn replica_set(&mut self, rs: &ReplicaSet) {
        self.meta(&rs.metadata, Kind::ReplicaSet);
        self.nonnegative(i64::from(rs.spec.replicas), "spec.replicas");
        self.nonnegative(i64::from(rs.spec.min_ready_seconds), "spec.minReadySeconds");
        self.workload_selector_and_template(&rs.spec.selector, &rs.spec.template);
    }

    /// The selector rules and `ValidatePodTemplateSpecForReplicaSet`, shared by Deployments
    /// and ReplicaSets. An empty selector is treated as missing (the lab's types cannot tell
    /// `selector: {}` from no selector; both are rejected on a real cluster too).
    fn workload_selector_and_template(
        &mut self,
        selector: &LabelSelector,
        template: &PodTemplateSpec,
    ) {
        let missing = selector.is_empty();
        if missing {
            self.push(FieldError::required("spec.selector", ""));
        } else {
            self.label_selector(selector, "spec.selector");
        }
        // A missing selector selects nothing, so the template never matches it.
        if missing || !selector.matches(&template.metadata.labels) {
            self.push(FieldError::invalid(
                "spec.template.metadata.labels",
                go::string_map(&template.metadata.labels),
                "`selector` does not match template `labels`",
            ));
        }
        self.annotations(
            &template.metadata.annotations,
            "spec.template.metadata.annotations",
        );
        self.labels(&template.metadata.labels, "spec.template.metadata.labels");
        self.pod_spec(&template.spec, "spec.template.spec", false);
        let restart = template.spec.restart_policy.as_deref().unwrap_or("");
        if restart != "Always" {
            self.push(FieldError::not_supported(
                "spec.template.spec.restartPolicy",
                restart,
                &["Always"],
            ));
        }
        if let Some(deadline) = template.spec.other.get("activeDeadlineSeconds") {
            self.push(FieldError::invalid(
                "spec.template.spec.activeDeadlineSeconds",
                deadline.to_string(),
                "activeDeadlineSeconds in ReplicaSet is not Supported",
            ));
        }
    }

    fn positive_int_or_percent(&mut self, value: &IntOrString, field: &str) {
        match value {
            IntOrString::String(text) => {
                for msg in names::percent(text) {
                    self.push(FieldError::invalid(field, go::int_or_string(value), msg));
                }
            }
            IntOrString::Int(i) => self.nonnegative(i64::from(*i), field),
        }
    }

    /// `ValidateImmutableField` for `spec.selector` of apps/v1 workloads.
    fn selector_immutable(&mut self, old: &LabelSelector, new: &LabelSelector) {
        if old != new {
            self.push(FieldError::invalid(
                "spec.selector",
                go::label_selector(new),
                "field is immutable",
            ));
        }
    }

    // ---- pods ----------------------------------------------------------------------------

    fn pod(&mut self, pod: &Pod) {
        self.meta(&pod.metadata, Kind::Pod);
        self.pod_spec(&pod.spec, "spec", true);
    }

    /// `validateTopologySpreadConstraints`.
    fn topology_spread(&mut self, constraints: &[serde_json::Value], path: &str) {
        use serde_json::Value;
        let text = |c: &Value, field: &str| {
            c.get(field)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        const ACTIONS: &[&str] = &["DoNotSchedule", "ScheduleAnyway"];
        for (i, c) in constraints.iter().enumerate() {
            let at = format!("{path}[{i}]");
            let max_skew = c.get("maxSkew").and_then(Value::as_i64).unwrap_or(0);
            if max_skew <= 0 {
                self.push(FieldError::invalid(
                    format!("{at}.maxSkew"),
                    max_skew.to_string(),
                    "must be greater than zero",
                ));
            }
            let (key, action) = (text(c, "topologyKey"), text(c, "whenUnsatisfiable"));
            if key.is_empty() {
                self.push(FieldError::required(
                    format!("{at}.topologyKey"),
                    "can not be empty",
                ));
            }
            if !ACTIONS.contains(&action.as_str()) {
                self.push(FieldError::not_supported(
                    format!("{at}.whenUnsatisfiable"),
                    &action,
                    ACTIONS,
                ));
            }
            let repeated = constraints[i + 1..]
                .iter()
                .any(|o| text(o, "topologyKey") == key && text(o, "whenUnsatisfiable") == action);
            if repeated {
                self.push(FieldError::duplicate(
                    format!("{at}.{{topologyKey, whenUnsatisfiable}}"),
                    go_quote(&format!("{{{key}, {action}}}")),
                ));
            }
            if let Some(min) = c.get("minDomains").and_then(Value::as_i64) {
                let field = format!("{at}.minDomains");
                if min <= 0 {
                    self.push(FieldError::invalid(
                        field.clone(),
                        min.to_string(),
                        "must be greater than zero",
                    ));
                }
                if action != "DoNotSchedule" {
                    self.push(FieldError::invalid(
                        field,
                        min.to_string(),
                        format!("can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {action}"),
                    ));
                }
            }
            for policy in ["nodeAffinityPolicy", "nodeTaintsPolicy"] {
                let value = text(c, policy);
                if c.get(policy).is_some() && !["Honor", "Ignore"].contains(&value.as_str()) {
                    self.push(FieldError::not_supported(
                        format!("{at}.{policy}"),
                        &value,
                        &["Honor", "Ignore"],
                    ));
                }
            }
        }
    }

    /// `ValidatePodSpec`, the parts that apply to what the lab models.
    fn pod_spec(&mut self, spec: &PodSpec, path: &str, is_pod: bool) {
        let mut names = BTreeSet::new();
        if spec.containers.is_empty() {
            self.push(FieldError::required(format!("{path}.containers"), ""));
        }
        for (i, container) in spec.containers.iter().enumerate() {
            let cpath = format!("{path}.containers[{i}]");
            self.container(container, &cpath, is_pod);
            if !names.insert(container.name.clone()) {
                self.push(FieldError::duplicate(
                    format!("{cpath}.name"),
                    go_quote(&container.name),
                ));
            }
            self.probe(
                container.liveness_probe.as_ref(),
                &format!("{cpath}.livenessProbe"),
                true,
            );
            self.probe(
                container.readiness_probe.as_ref(),
                &format!("{cpath}.readinessProbe"),
                false,
            );
            self.probe(
                container.startup_probe.as_ref(),
                &format!("{cpath}.startupProbe"),
                true,
            );
            if container.other.contains_key("restartPolicy") {
                self.push(FieldError::forbidden(
                    format!("{cpath}.restartPolicy"),
                    "may not be set for non-init containers",
                ));
            }
        }
        for (i, container) in spec.init_containers.iter().enumerate() {
            let cpath = format!("{path}.initContainers[{i}]");
            self.container(container, &cpath, is_pod);
            if !names.insert(container.name.clone()) {
                self.push(FieldError::duplicate(
                    format!("{cpath}.name"),
                    go_quote(&container.name),
                ));
            }
        }
        if let Some(serde_json::Value::Array(constraints)) =
            spec.other.get("topologySpreadConstraints")
        {
            self.topology_spread(constraints, &format!("{path}.topologySpreadConstraints"));
        }
        match spec.restart_policy.as_deref().unwrap_or("") {
            "Always" | "OnFailure" | "Never" => {}
            "" => self.push(FieldError::required(format!("{path}.restartPolicy"), "")),
            other => self.push(FieldError::not_supported(
                format!("{path}.restartPolicy"),
                other,
                &["Always", "OnFailure", "Never"],
            )),
        }
        match spec.dns_policy.as_deref().unwrap_or("") {
            "ClusterFirstWithHostNet" | "ClusterFirst" | "Default" | "None" => {}
            "" => self.push(FieldError::required(format!("{path}.dnsPolicy"), "")),
            other => self.push(FieldError::not_supported(
                format!("{path}.dnsPolicy"),
                other,
                &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
            )),
        }
        if let Some(serde_json::Value::Object(selector)) = &spec.node_selector {
            let labels: BTreeMap<String, String> = selector
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect();
            self.labels(&labels, &format!("{path}.nodeSelector"));
        }
        if let Some(account) = spec
            .service_account_name
            .as_deref()
            .filter(|a| !a.is_empty())
        {
            for msg in names::dns1123_subdomain(account) {
                self.push(FieldError::invalid(
                    format!("{path}.serviceAccountName"),
                    go_quote(account),
                    msg,
                ));
            }
        }
        if !spec.node_name.is_empty() {
            for msg in names::dns1123_subdomain(&spec.node_name) {
                self.push(FieldError::invalid(
                    format!("{path}.nodeName"),
                    go_quote(&spec.node_name),
                    msg,
                ));
            }
        }
        for (field, value) in [("hostname", &spec.hostname), ("subdomain", &spec.subdomain)] {
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                for msg in names::dns1123_label(value) {
                    self.push(FieldError::invalid(
                        format!("{path}.{field}"),
                        go_quote(value),
                        msg,
                    ));
                }
            }
        }
    }

    /// `validateContainerCommon` (plus the Pod-only image whitespace rule).
    fn container(&mut self, c: &Container, path: &str, is_pod: bool) {
        if c.name.is_empty() {
            self.push(FieldError::required(format!("{path}.name"), ""));
        } else {
            for msg in names::dns1123_label(&c.name) {
                self.push(FieldError::invalid(
                    format!("{path}.name"),
                    go_quote(&c.name),
                    msg,
                ));
            }
        }
        if c.image.is_empty() {
            self.push(FieldError::required(format!("{path}.image"), ""));
        }
        match c.termination_message_policy.as_deref().unwrap_or("") {
            "File" | "FallbackToLogsOnError" => {}
            "" => self.push(FieldError::required(
                format!("{path}.terminationMessagePolicy"),
                "",
            )),
            other => self.push(FieldError::not_supported(
                format!("{path}.terminationMessagePolicy"),
                other,
                &["File", "FallbackToLogsOnError"],
            )),
        }
        let mut port_names = BTreeSet::new();
        for (i, port) in c.ports.iter().enumerate() {
            let ppath = format!("{path}.ports[{i}]");
            if let Some(name) = port.name.as_deref().filter(|n| !n.is_empty()) {
                let problems = names::port_name(name);
                if !problems.is_empty() {
                    for msg in problems {
                        self.push(FieldError::invalid(
                            format!("{ppath}.name"),
                            go_quote(name),
                            msg,
                        ));
                    }
                } else if !port_names.insert(name.to_string()) {
                    self.push(FieldError::duplicate(
                        format!("{ppath}.name"),
                        go_quote(name),
                    ));
                }
            }
            if port.container_port == 0 {
                self.push(FieldError::required(format!("{ppath}.containerPort"), ""));
            } else {
                for msg in names::port_number(i64::from(port.container_port)) {
                    self.push(FieldError::invalid(
                        format!("{ppath}.containerPort"),
                        port.container_port.to_string(),
                        msg,
                    ));
                }
            }
        }
        for (i, env) in c.env.iter().enumerate() {
            let epath = format!("{path}.env[{i}].name");
            if env.name.is_empty() {
                self.push(FieldError::required(epath, ""));
            } else {
                for msg in names::env_var_name(&env.name) {
                    self.push(FieldError::invalid(epath.clone(), go_quote(&env.name), msg));
                }
            }
        }
        match c.image_pull_policy.as_deref().unwrap_or("") {
            "Always" | "IfNotPresent" | "Never" => {}
            "" => self.push(FieldError::required(format!("{path}.imagePullPolicy"), "")),
            other => self.push(FieldError::not_supported(
                format!("{path}.imagePullPolicy"),
                other,
                &["Always", "IfNotPresent", "Never"],
            )),
        }
        if is_pod && c.image.trim() != c.image {
            self.push(FieldError::invalid(
                format!("{path}.image"),
                go_quote(&c.image),
                "must not have leading or trailing whitespace",
            ));
        }
        self.resource_requirements(c, &format!("{path}.resources"));
    }

    /// `ValidateResourceRequirements`: standard names, no negative quantity, no request
    /// above its limit. (Decoding already refused what is not a quantity.)
    fn resource_requirements(&mut self, c: &Container, path: &str) {
        let list = |name: &str| -> BTreeMap<String, Quantity> {
            c.resources
                .as_ref()
                .and_then(|r| r.get(name))
                .and_then(|l| l.as_object())
                .map(|l| {
                    l.iter()
                        .filter_map(|(k, v)| Some((k.clone(), quantity_of_json(v).ok()?)))
                        .collect()
                })
                .unwrap_or_default()
        };
        let (limits, requests) = (list("limits"), list("requests"));
        for (which, quantities) in [("limits", &limits), ("requests", &requests)] {
            for (name, quantity) in quantities {
                let field = format!("{path}.{which}[{name}]");
                let standard = matches!(name.as_str(), "cpu" | "memory" | "ephemeral-storage")
                    || name.starts_with("hugepages-");
                if !name.contains('/') && !standard {
                    self.push(FieldError::invalid(
                        field.clone(),
                        go_quote(name),
                        "must be a standard resource for containers",
                    ));
                }
                if quantity.is_negative() {
                    self.push(FieldError::invalid(
                        field,
                        go_quote(&quantity.canonical()),
                        "must be greater than or equal to 0",
                    ));
                }
                if which == "requests" {
                    if let Some(limit) = limits.get(name) {
                        if quantity.compare(limit).is_gt() {
                            self.push(FieldError::invalid(
                                format!("{path}.requests"),
                                go_quote(&quantity.canonical()),
                                format!("must be less than or equal to {name} limit of {limit}"),
                            ));
                        }
                    }
                }
            }
        }
    }

    /// `validateProbe` (+ `successThreshold` must be 1 for liveness and startup probes).
    fn probe(&mut self, probe: Option<&Probe>, path: &str, success_must_be_one: bool) {
        let Some(probe) = probe else {
            return;
        };
        match &probe.handler {
            ProbeHandler::Exec { command } => {
                if command.is_empty() {
                    self.push(FieldError::required(format!("{path}.exec.command"), ""));
                }
            }
            ProbeHandler::HttpGet {
                path: http_path,
                port,
            } => {
                if http_path.is_empty() {
                    self.push(FieldError::required(format!("{path}.httpGet.path"), ""));
                }
                self.port_num(*port, &format!("{path}.httpGet.port"));
            }
            ProbeHandler::TcpSocket { port } => {
                self.port_num(*port, &format!("{path}.tcpSocket.port"))
            }
        }
        for (value, field) in [
            (probe.initial_delay_seconds, "initialDelaySeconds"),
            (probe.timeout_seconds, "timeoutSeconds"),
            (probe.period_seconds, "periodSeconds"),
            (probe.success_threshold, "successThreshold"),
            (probe.failure_threshold, "failureThreshold"),
        ] {
            self.nonnegative(i64::from(value), &format!("{path}.{field}"));
        }
        if success_must_be_one && probe.success_threshold != 1 {
            self.push(FieldError::invalid(
                format!("{path}.successThreshold"),
                probe.success_threshold.to_string(),
                "must be 1",
            ));
        }
    }

    fn port_num(&mut self, port: i32, field: &str) {
        for msg in names::port_number(i64::from(port)) {
            self.push(FieldError::invalid(field, port.to_string(), msg));
        }
    }

    fn pod_update(&mut self, old: &Pod, new: &Pod) {
        let mut munged = new.spec.clone();
        for (container, before) in munged.containers.iter_mut().zip(&old.spec.containers) {
            container.image = before.image.clone();
        }
        for (container, before) in munged
            .init_containers
            .iter_mut()
            .zip(&old.spec.init_containers)
        {
            container.image = before.image.clone();
        }
        // The scheduler binding the pod is not a user update.
        munged.node_name = old.spec.node_name.clone();
        if munged != old.spec {
            self.push(FieldError::forbidden(
                "spec",
                "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
            ));
        }
    }

    // ---- services ------------------------------------------------------------------------

    fn service(&mut self, svc: &Service) {
        self.meta(&svc.metadata, Kind::Service);
        let spec = &svc.spec;
        let headless = spec.cluster_ip == "None";
        if spec.ports.is_empty() && !headless {
            self.push(FieldError::required("spec.ports", ""));
        }
        let mut names_seen = BTreeSet::new();
        for (i, port) in spec.ports.iter().enumerate() {
            let path = format!("spec.ports[{i}]");
            let name = port.name.as_deref().unwrap_or("");
            if spec.ports.len() > 1 && name.is_empty() {
                self.push(FieldError::required(format!("{path}.name"), ""));
            } else if !name.is_empty() {
                for msg in names::dns1123_label(name) {
                    self.push(FieldError::invalid(
                        format!("{path}.name"),
                        go_quote(name),
                        msg,
                    ));
                }
                if !names_seen.insert(name.to_string()) {
                    self.push(FieldError::duplicate(
                        format!("{path}.name"),
                        go_quote(name),
                    ));
                }
            }
            for msg in names::port_number(i64::from(port.port)) {
                self.push(FieldError::invalid(
                    format!("{path}.port"),
                    port.port.to_string(),
                    msg,
                ));
            }
            match port.protocol.as_str() {
                "TCP" | "UDP" | "SCTP" => {}
                "" => self.push(FieldError::required(format!("{path}.protocol"), "")),
                other => self.push(FieldError::not_supported(
                    format!("{path}.protocol"),
                    other,
                    &["SCTP", "TCP", "UDP"],
                )),
            }
            match &port.target_port {
                Some(IntOrString::String(name)) => {
                    for msg in names::port_name(name) {
                        self.push(FieldError::invalid(
                            format!("{path}.targetPort"),
                            go_quote(name),
                            msg,
                        ));
                    }
                }
                other => {
                    let n = match other {
                        Some(IntOrString::Int(n)) => *n,
                        _ => 0,
                    };
                    for msg in names::port_number(i64::from(n)) {
                        self.push(FieldError::invalid(
                            format!("{path}.targetPort"),
                            n.to_string(),
                            msg,
                        ));
                    }
                }
            }
        }
        self.labels(&spec.selector, "spec.selector");
        if let Some(timeout) = spec.session_affinity_timeout_seconds {
            if !(1..=86_400).contains(&timeout) {
                self.push(FieldError::invalid(
                    "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
                    timeout.to_string(),
                    "must be greater than 0 and less than 86400",
                ));
            }
        }
        if !spec.cluster_ip.is_empty()
            && !headless
            && spec.cluster_ip.parse::<std::net::IpAddr>().is_err()
        {
            self.push(FieldError::invalid(
                "spec.clusterIPs[0]",
                go_quote(&spec.cluster_ip),
                "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            ));
        }
        let mut keys = BTreeSet::new();
        for (i, port) in spec.ports.iter().enumerate() {
            if spec.type_ == ServiceType::ClusterIP && port.node_port.is_some_and(|p| p != 0) {
                self.push(FieldError::forbidden(
                    format!("spec.ports[{i}].nodePort"),
                    "may not be used when `type` is 'ClusterIP'",
                ));
            }
            if let Some(node_port) = port.node_port.filter(|p| *p != 0) {
                if spec.type_ != ServiceType::ClusterIP && !(30_000..=32_767).contains(&node_port) {
                    self.push(FieldError::invalid(
                        format!("spec.ports[{i}].nodePort"),
                        node_port.to_string(),
                        "provided port is not in the valid range. The range of valid ports is 30000-32767",
                    ));
                }
            }
            if !keys.insert((port.protocol.clone(), port.port)) {
                self.push(FieldError::duplicate(
                    format!("spec.ports[{i}]"),
                    format!(
                        "core.ServicePort{{Name:\"\", Protocol:{}, AppProtocol:(*string)(nil), Port:{}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}",
                        go_quote(&port.protocol),
                        port.port
                    ),
                ));
            }
        }
    }

    // ---- policy ---------------------------------------------------------------------------

    /// `ValidateHorizontalPodAutoscaler`'s checks of the replica bounds and the target.
    fn horizontal_pod_autoscaler(&mut self, hpa: &HorizontalPodAutoscaler) {
        self.meta(&hpa.metadata, Kind::HorizontalPodAutoscaler);
        let min = hpa.spec_int("minReplicas").unwrap_or(1);
        let max = hpa.spec_int("maxReplicas").unwrap_or(0);
        if min < 1 {
            self.push(FieldError::invalid(
                "spec.minReplicas",
                min.to_string(),
                "must be greater than or equal to 1",
            ));
        }
        if max < 1 {
            self.push(FieldError::invalid(
                "spec.maxReplicas",
                max.to_string(),
                "must be greater than 0",
            ));
        } else if max < min {
            self.push(FieldError::invalid(
                "spec.maxReplicas",
                max.to_string(),
                "must be greater than or equal to `minReplicas`",
            ));
        }
        let (kind, name) = hpa.target();
        if kind.is_empty() {
            self.push(FieldError::required("spec.scaleTargetRef.kind", ""));
        }
        if name.is_empty() {
            self.push(FieldError::required("spec.scaleTargetRef.name", ""));
        }
    }

    /// `ValidatePodDisruptionBudget` (policy/v1): the spec may change after creation.
    fn pod_disruption_budget(&mut self, pdb: &PodDisruptionBudget) {
        self.meta(&pdb.metadata, Kind::PodDisruptionBudget);
        let spec = &pdb.spec;
        if spec.min_available.is_some() && spec.max_unavailable.is_some() {
            self.push(FieldError::invalid(
                "spec",
                go::pod_disruption_budget_spec(spec),
                "minAvailable and maxUnavailable cannot be both set",
            ));
        }
        for (value, field) in [
            (&spec.min_available, "spec.minAvailable"),
            (&spec.max_unavailable, "spec.maxUnavailable"),
        ] {
            let Some(value) = value else { continue };
            self.positive_int_or_percent(value, field);
            if percent_value(value).is_some_and(|percent| percent > 100) {
                self.push(FieldError::invalid(
                    field,
                    go::int_or_string(value),
                    "must not be greater than 100%",
                ));
            }
        }
        if let Some(selector) = &spec.selector {
            self.label_selector(selector, "spec.selector");
        }
        if let Some(policy) = &spec.unhealthy_pod_eviction_policy {
            if !UNHEALTHY_POD_EVICTION_POLICIES.contains(&policy.as_str()) {
                self.push(FieldError::not_supported(
                    "spec.unhealthyPodEvictionPolicy",
                    policy,
                    UNHEALTHY_POD_EVICTION_POLICIES,
                ));
            }
        }
    }

    // ---- ingresses -----------------------------------------------------------------------

    fn ingress(&mut self, ing: &Ingress) {
        self.meta(&ing.metadata, Kind::Ingress);
        let spec = &ing.spec;
        if spec.rules.is_empty() && spec.default_backend.is_none() {
            self.push(FieldError::invalid(
                "spec",
                "[]networking.IngressRule(nil)".into(),
                "either `defaultBackend` or `rules` must be specified",
            ));
        }
        if let Some(backend) = &spec.default_backend {
            self.ingress_backend(backend, "spec.defaultBackend");
        }
        for (i, rule) in spec.rules.iter().enumerate() {
            let path = format!("spec.rules[{i}]");
            if let Some(host) = rule.host.as_deref().filter(|h| !h.is_empty()) {
                let checked = host.strip_prefix("*.").unwrap_or(host);
                for msg in names::dns1123_subdomain(checked) {
                    self.push(FieldError::invalid(
                        format!("{path}.host"),
                        go_quote(host),
                        msg,
                    ));
                }
            }
            let Some(http) = &rule.http else {
                continue;
            };
            if http.paths.is_empty() {
                self.push(FieldError::required(format!("{path}.http.paths"), ""));
            }
            for (j, p) in http.paths.iter().enumerate() {
                let ppath = format!("{path}.http.paths[{j}]");
                let text = p.path.as_deref().unwrap_or("");
                match p.path_type.as_str() {
                    "" => {
                        self.push(FieldError::required(
                            format!("{ppath}.pathType"),
                            "pathType must be specified",
                        ));
                        continue;
                    }
                    "Exact" | "Prefix" => {
                        if !text.starts_with('/') {
                            self.push(FieldError::invalid(
                                format!("{ppath}.path"),
                                go_quote(text),
                                "must be an absolute path",
                            ));
                        }
                        if !text.is_empty() {
                            for sequence in ["//", "/./", "/../", "%2f", "%2F"] {
                                if text.contains(sequence) {
                                    self.push(FieldError::invalid(
                                        format!("{ppath}.path"),
                                        go_quote(text),
                                        format!("must not contain '{sequence}'"),
                                    ));
                                }
                            }
                            for suffix in ["/..", "/."] {
                                if text.ends_with(suffix) {
                                    self.push(FieldError::invalid(
                                        format!("{ppath}.path"),
                                        go_quote(text),
                                        format!("cannot end with '{suffix}'"),
                                    ));
                                }
                            }
                        }
                    }
                    "ImplementationSpecific" => {
                        if !text.is_empty() && !text.starts_with('/') {
                            self.push(FieldError::invalid(
                                format!("{ppath}.path"),
                                go_quote(text),
                                "must be an absolute path",
                            ));
                        }
                    }
                    other => self.push(FieldError::not_supported(
                        format!("{ppath}.pathType"),
                        other,
                        &["Exact", "ImplementationSpecific", "Prefix"],
                    )),
                }
                self.ingress_backend(&p.backend, &format!("{ppath}.backend"));
            }
        }
        if let Some(class) = spec.ingress_class_name.as_deref() {
            for msg in names::dns1123_subdomain(class) {
                self.push(FieldError::invalid(
                    "spec.ingressClassName",
                    go_quote(class),
                    msg,
                ));
            }
        }
    }

    fn ingress_backend(&mut self, backend: &IngressBackend, path: &str) {
        let Some(service) = &backend.service else {
            self.push(FieldError::invalid(
                path,
                "\"\"".into(),
                "resource or service must be specified",
            ));
            return;
        };
        if service.name.is_empty() {
            self.push(FieldError::required(format!("{path}.service.name"), ""));
        } else {
            for msg in names::dns1035_label(&service.name) {
                self.push(FieldError::invalid(
                    format!("{path}.service.name"),
                    go_quote(&service.name),
                    msg,
                ));
            }
        }
        let name = service.port.name.as_deref().unwrap_or("");
        let number = service.port.number.unwrap_or(0);
        match (name.is_empty(), number == 0) {
            (false, false) => self.push(FieldError::invalid(
                path,
                "\"\"".into(),
                "cannot set both port name & port number",
            )),
            (false, true) => {
                for msg in names::port_name(name) {
                    self.push(FieldError::invalid(
                        format!("{path}.service.port.name"),
                        go_quote(name),
                        msg,
                    ));
                }
            }
            (true, false) => {
                for msg in names::port_number(i64::from(number)) {
                    self.push(FieldError::invalid(
                        format!("{path}.service.port.number"),
                        number.to_string(),
                        msg,
                    ));
                }
            }
            (true, true) => self.push(FieldError::required(
                path,
                "port name or number is required",
            )),
        }
    }

    // ---- the rest ------------------------------------------------------------------------

    fn namespace(&mut self, ns: &Namespace) {
        self.meta(&ns.metadata, Kind::Namespace);
    }

    fn endpoints(&mut self, eps: &Endpoints) {
        self.meta(&eps.metadata, Kind::Endpoints);
        for (i, subset) in eps.subsets.iter().enumerate() {
            for (j, port) in subset.ports.iter().enumerate() {
                for msg in names::port_number(i64::from(port.port)) {
                    self.push(FieldError::invalid(
                        format!("subsets[{i}].ports[{j}].port"),
                        port.port.to_string(),
                        msg,
                    ));
                }
            }
        }
    }
}

/// What `spec.unhealthyPodEvictionPolicy` may say, sorted as the API server lists them.
const UNHEALTHY_POD_EVICTION_POLICIES: &[&str] = &["AlwaysAllow", "IfHealthyBudget"];

/// apps validation's `getPercentValue`: the number of a valid percent string.
fn percent_value(value: &IntOrString) -> Option<i64> {
    match value {
        IntOrString::String(text) if names::percent(text).is_empty() => {
            text.strip_suffix('%').and_then(|n| n.parse().ok())
        }
        _ => None,
    }
}

/// `getIntOrPercentValue`: the percent, or Go's `IntValue()` (0 for a string that is not a
/// number — so an invalid percent counts as 0 in the "both 0" check).
fn int_or_percent_value(value: &IntOrString) -> i64 {
    if let Some(percent) = percent_value(value) {
        return percent;
    }
    match value {
        IntOrString::Int(i) => i64::from(*i),
        IntOrString::String(text) => text.parse().unwrap_or(0),
    }
}
