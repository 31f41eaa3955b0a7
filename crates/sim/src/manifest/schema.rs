//! The Go side of decoding: which fields each v1.30 API type has and their Go types.
//!
//! The API server decodes a request body with `sigs.k8s.io/json` into Go structs. Its errors
//! name Go things — `Go struct field DeploymentSpec.spec.replicas of type int32` — and strict
//! field validation lists every field the struct does not have. This table is that knowledge:
//! one entry per field a real object accepts, even the ones the lab only carries along
//! (`Opaque`), so that no legitimate manifest is rejected.

/// A field's Go type, as far as decoding cares.
#[derive(Debug)]
pub enum Ty {
    Str,
    Bool,
    Int32,
    Int64,
    /// `intstr.IntOrString` (custom unmarshaller).
    IntOrString,
    /// `metav1.Time` (custom unmarshaller, RFC 3339 string).
    Time,
    /// A named string type such as `v1.Protocol`; values are checked by validation.
    Named(&'static str),
    Struct(&'static Struct),
    Slice(&'static Ty),
    /// `map[string]T`.
    Map(&'static Ty),
    /// A struct the lab keeps verbatim; only its JSON shape (object) is checked.
    OpaqueObject(&'static str),
    /// A slice the lab keeps verbatim; only its JSON shape (array) is checked.
    OpaqueArray(&'static str),
    /// Anything (`status` is ignored on writes).
    Any,
}

/// A Go struct: its package-qualified name for `of type v1.PodSpec` and its JSON fields.
#[derive(Debug)]
pub struct Struct {
    pub package: &'static str,
    pub name: &'static str,
    pub fields: &'static [(&'static str, Ty)],
}

impl Struct {
    pub fn field(&self, name: &str) -> Option<&'static Ty> {
        self.fields
            .iter()
            .find(|(field, _)| *field == name)
            .map(|(_, ty)| ty)
    }
}

impl Ty {
    /// The type as a CRD's OpenAPI schema names it (`must be of type integer`).
    pub fn openapi_name(&self) -> &'static str {
        match self {
            Ty::Str | Ty::Named(_) | Ty::Time => "string",
            Ty::Bool => "boolean",
            Ty::Int32 | Ty::Int64 => "integer",
            Ty::IntOrString => "integer,string",
            Ty::Struct(_) | Ty::Map(_) | Ty::OpaqueObject(_) | Ty::Any => "object",
            Ty::Slice(_) | Ty::OpaqueArray(_) => "array",
        }
    }

    /// The type as Go's `reflect.Type.String()` prints it.
    pub fn go_name(&self) -> String {
        match self {
            Ty::Str => "string".into(),
            Ty::Bool => "bool".into(),
            Ty::Int32 => "int32".into(),
            Ty::Int64 => "int64".into(),
            Ty::IntOrString => "intstr.IntOrString".into(),
            Ty::Time => "v1.Time".into(),
            Ty::Named(name) | Ty::OpaqueObject(name) | Ty::OpaqueArray(name) => (*name).into(),
            Ty::Struct(s) => format!("{}.{}", s.package, s.name),
            Ty::Slice(elem) => format!("[]{}", elem.go_name()),
            Ty::Map(elem) => format!("map[string]{}", elem.go_name()),
            Ty::Any => "interface {}".into(),
        }
    }
}

const STRINGS: Ty = Ty::Slice(&Ty::Str);
const STRING_MAP: Ty = Ty::Map(&Ty::Str);

pub static OBJECT_META: Struct = Struct {
    package: "v1",
    name: "ObjectMeta",
    fields: &[
        ("name", Ty::Str),
        ("generateName", Ty::Str),
        ("namespace", Ty::Str),
        ("selfLink", Ty::Str),
        ("uid", Ty::Named("types.UID")),
        ("resourceVersion", Ty::Str),
        ("generation", Ty::Int64),
        ("creationTimestamp", Ty::Time),
        ("deletionTimestamp", Ty::Time),
        ("deletionGracePeriodSeconds", Ty::Int64),
        ("labels", STRING_MAP),
        ("annotations", STRING_MAP),
        ("ownerReferences", Ty::Slice(&Ty::Struct(&OWNER_REFERENCE))),
        ("finalizers", STRINGS),
        ("managedFields", Ty::OpaqueArray("[]v1.ManagedFieldsEntry")),
    ],
};

static OWNER_REFERENCE: Struct = Struct {
    package: "v1",
    name: "OwnerReference",
    fields: &[
        ("apiVersion", Ty::Str),
        ("kind", Ty::Str),
        ("name", Ty::Str),
        ("uid", Ty::Named("types.UID")),
        ("controller", Ty::Bool),
        ("blockOwnerDeletion", Ty::Bool),
    ],
};

static LABEL_SELECTOR: Struct = Struct {
    package: "v1",
    name: "LabelSelector",
    fields: &[
        ("matchLabels", STRING_MAP),
        (
            "matchExpressions",
            Ty::Slice(&Ty::Struct(&LABEL_SELECTOR_REQUIREMENT)),
        ),
    ],
};

static LABEL_SELECTOR_REQUIREMENT: Struct = Struct {
    package: "v1",
    name: "LabelSelectorRequirement",
    fields: &[
        ("key", Ty::Str),
        ("operator", Ty::Named("v1.LabelSelectorOperator")),
        ("values", STRINGS),
    ],
};

pub static DEPLOYMENT: Struct = Struct {
    package: "v1",
    name: "Deployment",
    fields: &[
        ("apiVersion", Ty::Str),
        ("kind", Ty::Str),
        ("metadata", Ty::Struct(&OBJECT_META)),
        ("spec", Ty::Struct(&DEPLOYMENT_SPEC)),
        ("status", Ty::Any),
    ],
};

static DEPLOYMENT_SPEC: Struct = Struct {
    package: "v1",
    name: "DeploymentSpec",
    fields: &[
        ("replicas", Ty::Int32),
        ("selector", Ty::Struct(&LABEL_SELECTOR)),
        ("template", Ty::Struct(&POD_TEMPLATE_SPEC)),
        ("strategy", Ty::Struct(&DEPLOYMENT_STRATEGY)),
        ("minReadySeconds", Ty::Int32),
        ("revisionHistoryLimit", Ty::Int32),
        ("paused", Ty::Bool),
        ("progressDeadlineSeconds", Ty::Int32),
    ],
};

static DEPLOYMENT_STRATEGY: Struct = Struct {
    package: "v1",
    name: "DeploymentStrategy",
    fields: &[
        ("type", Ty::Named("v1.DeploymentStrategyType")),
        ("rollingUpdate", Ty::Struct(&ROLLING_UPDATE_DEPLOYMENT)),
    ],
};

static ROLLING_UPDATE_DEPLOYMENT: Struct = Struct {
    package: "v1",
    name: "RollingUpdateDeployment",
    fields: &[
        ("maxUnavailable", Ty::IntOrString),
        ("maxSurge", Ty::IntOrString),
    ],
};

pub static REPLICA_SET: Struct = Struct {
    package: "v1",
    name: "ReplicaSet",
    fields: &[
        ("apiVersion", Ty::Str),
        ("kind", Ty::Str),
        ("metadata", Ty::Struct(&OBJECT_META)),
        ("spec", Ty::Struct(&REPLICA_SET_SPEC)),
        ("status", Ty::Any),
    ],
};

static REPLICA_SET_SPEC: Struct = Struct {
    package: "v1",
    name: "ReplicaSetSpec",
    fields: &[
        ("replicas", Ty::Int32),
        ("minReadySeconds", Ty::Int32),
        ("selector", Ty::Struct(&LABEL_SELECTOR)),
        ("template", Ty::Struct(&POD_TEMPLATE_SPEC)),
    ],
};

pub(crate) static POD_TEMPLATE_SPEC: Struct = Struct {
    package: "v1",
    name: "PodTemplateSpec",
    fields: &[
        ("metadata", Ty::Struct(&OBJECT_META)),
        ("spec", Ty::Struct(&POD_SPEC)),
    ],
};

pub static POD: Struct = Struct {
    package: "v1",
    name: "Pod",
    fields: &[
        ("apiVersion", Ty::Str),
        ("kind", Ty::Str),
        ("metadata", Ty::Struct(&OBJECT_META)),
        ("spec", Ty::Struct(&POD_SPEC)),
        ("status", Ty::Any),
    ],
};

static POD_SPEC: Struct = Struct {
    package: "v1",
    name: "PodSpec",
    fields: &[
        ("volumes", Ty::OpaqueArray("[]v1.Volume")),
        ("initContainers", Ty::Slice(&Ty::Struct(&CONTAINER))),
        ("containers", Ty::Slice(&Ty::Struct(&CONTAINER))),
        (
            "ephemeralContainers",
            Ty::OpaqueArray("[]v1.EphemeralContainer"),
        ),
        ("restartPolicy", Ty::Named("v1.RestartPolicy")),
        ("terminationGracePeriodSeconds", Ty::Int64),
        ("activeDeadlineSeconds", Ty::Int64),
        ("dnsPolicy", Ty::Named("v1.DNSPolicy")),
        ("nodeSelector", STRING_MAP),
        ("serviceAccountName", Ty::Str),
        ("serviceAccount", Ty::Str),
        ("automountServiceAccountToken", Ty::Bool),
        ("nodeName", Ty::Str),
        ("hostNetwork", Ty::Bool),
        ("hostPID", Ty::Bool),
        ("hostIPC", Ty::Bool),
        ("shareProcessNamespace", Ty::Bool),
        ("securityContext", Ty::OpaqueObject("v1.PodSecurityContext")),
        (
            "imagePullSecrets",
            Ty::OpaqueArray("[]v1.LocalObjectReference"),
        ),
        ("hostname", Ty::Str),
        ("subdomain", Ty::Str),
        ("affinity", Ty::OpaqueObject("v1.Affinity")),
        ("schedulerName", Ty::Str),
        ("tolerations", Ty::OpaqueArray("[]v1.Toleration")),
        ("hostAliases", Ty::OpaqueArray("[]v1.HostAlias")),
        ("priorityClassName", Ty::Str),
        ("priority", Ty::Int32),
        ("dnsConfig", Ty::OpaqueObject("v1.PodDNSConfig")),
        ("readinessGates", Ty::OpaqueArray("[]v1.PodReadinessGate")),
        ("runtimeClassName", Ty::Str),
        ("enableServiceLinks", Ty::Bool),
        ("preemptionPolicy", Ty::Named("v1.PreemptionPolicy")),
        ("overhead", Ty::OpaqueObject("v1.ResourceList")),
        (
            "topologySpreadConstraints",
            Ty::Slice(&Ty::Struct(&TOPOLOGY_SPREAD_CONSTRAINT)),
        ),
        ("setHostnameAsFQDN", Ty::Bool),
        ("os", Ty::OpaqueObject("v1.PodOS")),
        ("hostUsers", Ty::Bool),
        ("schedulingGates", Ty::OpaqueArray("[]v1.PodSchedulingGate")),
        ("resourceClaims", Ty::OpaqueArray("[]v1.PodResourceClaim")),
    ],
};

static CONTAINER: Struct = Struct {
    package: "v1",
    name: "Container",
    fields: &[
        ("name", Ty::Str),
        ("image", Ty::Str),
        ("command", STRINGS),
        ("args", STRINGS),
        ("workingDir", Ty::Str),
        ("ports", Ty::Slice(&Ty::Struct(&CONTAINER_PORT))),
        ("envFrom", Ty::OpaqueArray("[]v1.EnvFromSource")),
        ("env", Ty::Slice(&Ty::Struct(&ENV_VAR))),
        ("resources", Ty::OpaqueObject("v1.ResourceRequirements")),
        (
            "resizePolicy",
            Ty::OpaqueArray("[]v1.ContainerResizePolicy"),
        ),
        ("restartPolicy", Ty::Named("v1.ContainerRestartPolicy")),
        ("volumeMounts", Ty::OpaqueArray("[]v1.VolumeMount")),
        ("volumeDevices", Ty::OpaqueArray("[]v1.VolumeDevice")),
        ("livenessProbe", Ty::Struct(&PROBE)),
        ("readinessProbe", Ty::Struct(&PROBE)),
        ("startupProbe", Ty::Struct(&PROBE)),
        ("lifecycle", Ty::OpaqueObject("v1.Lifecycle")),
        ("terminationMessagePath", Ty::Str),
        (
            "terminationMessagePolicy",
            Ty::Named("v1.TerminationMessagePolicy"),
        ),
        ("imagePullPolicy", Ty::Named("v1.PullPolicy")),
        ("securityContext", Ty::OpaqueObject("v1.SecurityContext")),
        ("stdin", Ty::Bool),
        ("stdinOnce", Ty::Bool),
        ("tty", Ty::Bool),
    ],
};

static ENV_VAR: Struct = Struct {
    package: "v1",
    name: "EnvVar",
    fields: &[
        ("name", Ty::Str),
        ("value", Ty::Str),
        ("valueFrom", Ty::OpaqueObject("v1.EnvVarSource")),
    ],
};

static TOPOLOGY_SPREAD_CONSTRAINT: Struct = Struct {
    package: "v1",
    name: "TopologySpreadConstraint",
    fields: &[
        ("maxSkew", Ty::Int32),
        ("topologyKey", Ty::Str),
        (
            "whenUnsatisfiable",
            Ty::Named("v1.UnsatisfiableConstraintAction"),
        ),
        ("labelSelector", Ty::OpaqueObject("v1.LabelSelector")),
        ("minDomains", Ty::Int32),
        ("nodeAffinityPolicy", Ty::Named("v1.NodeInclusionPolicy")),
        ("nodeTaintsPolicy", Ty::Named("v1.NodeInclusionPolicy")),
        ("matchLabelKeys", STRINGS),
    ],
};

static CONTAINER_PORT: Struct = Struct {
    package: "v1",
    name: "ContainerPort",
    fields: &[
        ("name", Ty::Str),
        ("hostPort", Ty::Int32),
        ("containerPort", Ty::Int32),
        ("protocol", Ty::Named("v1.Protocol")),
        ("hostIP", Ty::Str),
    ],
};

static PROBE: Struct = Struct {
    package: "v1",
    name: "Probe",
    fields: &[
        ("exec", Ty::Struct(&EXEC_ACTION)),
        ("httpGet", Ty::Struct(&HTTP_GET_ACTION)),
        ("tcpSocket", Ty::Struct(&TCP_SOCKET_ACTION)),
        ("grpc", Ty::OpaqueObject("v1.GRPCAction")),
        ("initialDelaySeconds", Ty::Int32),
        ("timeoutSeconds", Ty::Int32),
        ("periodSeconds", Ty::Int32),
        ("successThreshold", Ty::Int32),
        ("failureThreshold", Ty::Int32),
        ("terminationGracePeriodSeconds", Ty::Int64),
    ],
};

static EXEC_ACTION: Struct = Struct {
    package: "v1",
    name: "ExecAction",
    fields: &[("command", STRINGS)],
};

static HTTP_GET_ACTION: Struct = Struct {
    package: "v1",
    name: "HTTPGetAction",
    fields: &[
        ("path", Ty::Str),
        ("port", Ty::IntOrString),
        ("host", Ty::Str),
        ("scheme", Ty::Named("v1.URIScheme")),
        ("httpHeaders", Ty::OpaqueArray("[]v1.HTTPHeader")),
    ],
};

static TCP_SOCKET_ACTION: Struct = Struct {
    package: "v1",
    name: "TCPSocketAction",
    fields: &[("port", Ty::IntOrString), ("host", Ty::Str)],
};

pub static SERVICE: Struct = Struct {
    package: "v1",
    name: "Service",
    fields: &[
        ("apiVersion", Ty::Str),
        ("kind", Ty::Str),
        ("metadata", Ty::Struct(&OBJECT_META)),
        ("spec", Ty::Struct(&SERVICE_SPEC)),
        ("status", Ty::Any),
    ],
};

static SERVICE_SPEC: Struct = Struct {
    package: "v1",
    name: "ServiceSpec",
    fields: &[
        ("ports", Ty::Slice(&Ty::Struct(&SERVICE_PORT))),
        ("selector", STRING_MAP),
        ("clusterIP", Ty::Str),
        ("clusterIPs", STRINGS),
        ("type", Ty::Named("v1.ServiceType")),
        ("externalIPs", STRINGS),
        ("sessionAffinity", Ty::Named("v1.ServiceAffinity")),
        ("loadBalancerIP", Ty::Str),
        ("loadBalancerSourceRanges", STRINGS),
        ("externalName", Ty::Str),
        (
            "externalTrafficPolicy",
            Ty::Named("v1.ServiceExternalTrafficPolicy"),
        ),
        ("healthCheckNodePort", Ty::Int32),
        ("publishNotReadyAddresses", Ty::Bool),
        (
            "sessionAffinityConfig",
            Ty::Struct(&SESSION_AFFINITY_CONFIG),
        ),
        ("ipFamilies", Ty::Slice(&Ty::Named("v1.IPFamily"))),
        ("ipFamilyPolicy", Ty::Named("v1.IPFamilyPolicy")),
        ("allocateLoadBalancerNodePorts", Ty::Bool),
        ("loadBalancerClass", Ty::Str),
        (
            "internalTrafficPolicy",
            Ty::Named("v1.ServiceInternalTrafficPolicy"),
        ),
    ],
};

static SESSION_AFFINITY_CONFIG: Struct = Struct {
    package: "v1",
    name: "SessionAffinityConfig",
    fields: &[("clientIP", Ty::Struct(&CLIENT_IP_CONFIG))],
};

static CLIENT_IP_CONFIG: Struct = Struct {
    package: "v1",
    name: "ClientIPConfig",
    fields: &[("timeoutSeconds", Ty::Int32)],
};

static SERVICE_PORT: Struct = Struct {
    package: "v1",
    name: "ServicePort",
    fields: &[
        ("name", Ty::Str),
        ("protocol", Ty::Named("v1.Protocol")),
        ("appProtocol", Ty::Str),
        ("port", Ty::Int32),
        ("targetPort", Ty::IntOrString),
        ("nodePort", Ty::Int32),
    ],
};

pub static NAMESPACE: Struct = Struct {
    package: "v1",
    name: "Namespace",
    fields: &[
        ("apiVersion", Ty::Str),
        ("kind", Ty::Str),
        ("metadata", Ty::Struct(&OBJECT_META)),
        ("spec", Ty::Struct(&NAMESPACE_SPEC)),
        ("status", Ty::Any),
    ],
};

static NAMESPACE_SPEC: Struct = Struct {
    package: "v1",
    name: "NamespaceSpec",
    fields: &[("finalizers", Ty::Slice(&Ty::Named("v1.FinalizerName")))],
};

pub static ENDPOINTS: Struct = Struct {
    package: "v1",
    name: "Endpoints",
    fields: &[
        ("apiVersion", Ty::Str),
        ("kind", Ty::Str),
        ("metadata", Ty::Struct(&OBJECT_META)),
        ("subsets", Ty::Slice(&Ty::Struct(&ENDPOINT_SUBSET))),
    ],
};

static ENDPOINT_SUBSET: Struct = Struct {
    package: "v1",
    name: "EndpointSubset",
    fields: &[
        ("addresses", Ty::Slice(&Ty::Struct(&ENDPOINT_ADDRESS))),
        (
            "notReadyAddresses",
            Ty::Slice(&Ty::Struct(&ENDPOINT_ADDRESS)),
        ),
        ("ports", Ty::Slice(&Ty::Struct(&ENDPOINT_PORT))),
    ],
};

static ENDPOINT_ADDRESS: Struct = Struct {
    package: "v1",
    name: "EndpointAddress",
    fields: &[
        ("ip", Ty::Str),
        ("hostname", Ty::Str),
        ("nodeName", Ty::Str),
        ("targetRef", Ty::Struct(&OBJECT_REFERENCE)),
    ],
};

static OBJECT_REFERENCE: Struct = Struct {
    package: "v1",
    name: "ObjectReference",
    fields: &[
        ("kind", Ty::Str),
        ("namespace", Ty::Str),
        ("name", Ty::Str),
        ("uid", Ty::Named("types.UID")),
        ("apiVersion", Ty::Str),
        ("resourceVersion", Ty::Str),
        ("fieldPath", Ty::Str),
    ],
};

static ENDPOINT_PORT: Struct = Struct {
    package: "v1",
    name: "EndpointPort",
    fields: &[
        ("name", Ty::Str),
        ("port", Ty::Int32),
        ("protocol", Ty::Named("v1.Protocol")),
        ("appProtocol", Ty::Str),
    ],
};

pub static POD_DISRUPTION_BUDGET: Struct = Struct {
    package: "v1",
    name: "PodDisruptionBudget",
    fields: &[
        ("apiVersion", Ty::Str),
        ("kind", Ty::Str),
        ("metadata", Ty::Struct(&OBJECT_META)),
        ("spec", Ty::Struct(&POD_DISRUPTION_BUDGET_SPEC)),
        ("status", Ty::Any),
    ],
};

pub static HPA: Struct = Struct {
    package: "v2",
    name: "HorizontalPodAutoscaler",
    fields: &[
        ("apiVersion", Ty::Str),
        ("kind", Ty::Str),
        ("metadata", Ty::Struct(&OBJECT_META)),
        ("spec", Ty::Struct(&HPA_SPEC)),
        ("status", Ty::Any),
    ],
};

static HPA_SPEC: Struct = Struct {
    package: "v2",
    name: "HorizontalPodAutoscalerSpec",
    fields: &[
        (
            "scaleTargetRef",
            Ty::Struct(&CROSS_VERSION_OBJECT_REFERENCE),
        ),
        ("minReplicas", Ty::Int32),
        ("maxReplicas", Ty::Int32),
        ("metrics", Ty::Slice(&Ty::Struct(&METRIC_SPEC))),
        ("behavior", Ty::Struct(&HPA_BEHAVIOR)),
    ],
};

static CROSS_VERSION_OBJECT_REFERENCE: Struct = Struct {
    package: "v2",
    name: "CrossVersionObjectReference",
    fields: &[
        ("kind", Ty::Str),
        ("name", Ty::Str),
        ("apiVersion", Ty::Str),
    ],
};

static METRIC_SPEC: Struct = Struct {
    package: "v2",
    name: "MetricSpec",
    fields: &[
        ("type", Ty::Named("v2.MetricSourceType")),
        ("resource", Ty::Struct(&RESOURCE_METRIC_SOURCE)),
        (
            "containerResource",
            Ty::OpaqueObject("v2.ContainerResourceMetricSource"),
        ),
        ("pods", Ty::OpaqueObject("v2.PodsMetricSource")),
        ("object", Ty::OpaqueObject("v2.ObjectMetricSource")),
        ("external", Ty::OpaqueObject("v2.ExternalMetricSource")),
    ],
};

static RESOURCE_METRIC_SOURCE: Struct = Struct {
    package: "v2",
    name: "ResourceMetricSource",
    fields: &[
        ("name", Ty::Named("v1.ResourceName")),
        ("target", Ty::Struct(&METRIC_TARGET)),
    ],
};

static METRIC_TARGET: Struct = Struct {
    package: "v2",
    name: "MetricTarget",
    fields: &[
        ("type", Ty::Named("v2.MetricTargetType")),
        ("value", Ty::Any),
        ("averageValue", Ty::Any),
        ("averageUtilization", Ty::Int32),
    ],
};

static HPA_BEHAVIOR: Struct = Struct {
    package: "v2",
    name: "HorizontalPodAutoscalerBehavior",
    fields: &[
        ("scaleUp", Ty::Struct(&HPA_SCALING_RULES)),
        ("scaleDown", Ty::Struct(&HPA_SCALING_RULES)),
    ],
};

static HPA_SCALING_RULES: Struct = Struct {
    package: "v2",
    name: "HPAScalingRules",
    fields: &[
        ("stabilizationWindowSeconds", Ty::Int32),
        ("selectPolicy", Ty::Named("v2.ScalingPolicySelect")),
        ("policies", Ty::Slice(&Ty::Struct(&HPA_SCALING_POLICY))),
    ],
};

static HPA_SCALING_POLICY: Struct = Struct {
    package: "v2",
    name: "HPAScalingPolicy",
    fields: &[
        ("type", Ty::Named("v2.HPAScalingPolicyType")),
        ("value", Ty::Int32),
        ("periodSeconds", Ty::Int32),
    ],
};

pub static HPA_V1: Struct = Struct {
    package: "v1",
    name: "HorizontalPodAutoscaler",
    fields: &[
        ("apiVersion", Ty::Str),
        ("kind", Ty::Str),
        ("metadata", Ty::Struct(&OBJECT_META)),
        ("spec", Ty::Struct(&HPA_V1_SPEC)),
        ("status", Ty::Any),
    ],
};

static HPA_V1_SPEC: Struct = Struct {
    package: "v1",
    name: "HorizontalPodAutoscalerSpec",
    fields: &[
        (
            "scaleTargetRef",
            Ty::Struct(&CROSS_VERSION_OBJECT_REFERENCE),
        ),
        ("minReplicas", Ty::Int32),
        ("maxReplicas", Ty::Int32),
        ("targetCPUUtilizationPercentage", Ty::Int32),
    ],
};

static POD_DISRUPTION_BUDGET_SPEC: Struct = Struct {
    package: "v1",
    name: "PodDisruptionBudgetSpec",
    fields: &[
        ("minAvailable", Ty::IntOrString),
        ("selector", Ty::Struct(&LABEL_SELECTOR)),
        ("maxUnavailable", Ty::IntOrString),
        (
            "unhealthyPodEvictionPolicy",
            Ty::Named("v1.UnhealthyPodEvictionPolicyType"),
        ),
    ],
};

pub static INGRESS: Struct = Struct {
    package: "v1",
    name: "Ingress",
    fields: &[
        ("apiVersion", Ty::Str),
        ("kind", Ty::Str),
        ("metadata", Ty::Struct(&OBJECT_META)),
        ("spec", Ty::Struct(&INGRESS_SPEC)),
        ("status", Ty::Any),
    ],
};

static INGRESS_SPEC: Struct = Struct {
    package: "v1",
    name: "IngressSpec",
    fields: &[
        ("ingressClassName", Ty::Str),
        ("defaultBackend", Ty::Struct(&INGRESS_BACKEND)),
        ("tls", Ty::OpaqueArray("[]v1.IngressTLS")),
        ("rules", Ty::Slice(&Ty::Struct(&INGRESS_RULE))),
    ],
};

static INGRESS_BACKEND: Struct = Struct {
    package: "v1",
    name: "IngressBackend",
    fields: &[
        ("service", Ty::Struct(&INGRESS_SERVICE_BACKEND)),
        ("resource", Ty::OpaqueObject("v1.TypedLocalObjectReference")),
    ],
};

static INGRESS_SERVICE_BACKEND: Struct = Struct {
    package: "v1",
    name: "IngressServiceBackend",
    fields: &[
        ("name", Ty::Str),
        ("port", Ty::Struct(&SERVICE_BACKEND_PORT)),
    ],
};

static SERVICE_BACKEND_PORT: Struct = Struct {
    package: "v1",
    name: "ServiceBackendPort",
    fields: &[("name", Ty::Str), ("number", Ty::Int32)],
};

static INGRESS_RULE: Struct = Struct {
    package: "v1",
    name: "IngressRule",
    fields: &[
        ("host", Ty::Str),
        ("http", Ty::Struct(&HTTP_INGRESS_RULE_VALUE)),
    ],
};

static HTTP_INGRESS_RULE_VALUE: Struct = Struct {
    package: "v1",
    name: "HTTPIngressRuleValue",
    fields: &[("paths", Ty::Slice(&Ty::Struct(&HTTP_INGRESS_PATH)))],
};

static HTTP_INGRESS_PATH: Struct = Struct {
    package: "v1",
    name: "HTTPIngressPath",
    fields: &[
        ("path", Ty::Str),
        ("pathType", Ty::Named("v1.PathType")),
        ("backend", Ty::Struct(&INGRESS_BACKEND)),
    ],
};

// Argo Rollouts (argoproj.io/v1alpha1), from its CRDs' OpenAPI schemas. A custom resource is
// checked by the CRD's structural schema rather than a Go struct; `Struct::name` is only used
// for messages about built-in types. Parts the lab keeps but does not simulate are opaque.

pub static ROLLOUT: Struct = Struct {
    package: "v1alpha1",
    name: "Rollout",
    fields: &[
        ("apiVersion", Ty::Str),
        ("kind", Ty::Str),
        ("metadata", Ty::Struct(&OBJECT_META)),
        ("spec", Ty::Struct(&ROLLOUT_SPEC)),
        ("status", Ty::Any),
    ],
};

static ROLLOUT_SPEC: Struct = Struct {
    package: "v1alpha1",
    name: "RolloutSpec",
    fields: &[
        ("replicas", Ty::Int32),
        ("selector", Ty::Struct(&LABEL_SELECTOR)),
        ("template", Ty::Struct(&POD_TEMPLATE_SPEC)),
        ("workloadRef", Ty::Struct(&OBJECT_REF)),
        ("minReadySeconds", Ty::Int32),
        ("rollbackWindow", Ty::OpaqueObject("RollbackWindowSpec")),
        ("strategy", Ty::Struct(&ROLLOUT_STRATEGY)),
        ("revisionHistoryLimit", Ty::Int32),
        ("paused", Ty::Bool),
        ("progressDeadlineSeconds", Ty::Int32),
        ("progressDeadlineAbort", Ty::Bool),
        ("restartAt", Ty::Time),
        ("analysis", Ty::OpaqueObject("AnalysisRunStrategy")),
    ],
};

static OBJECT_REF: Struct = Struct {
    package: "v1alpha1",
    name: "ObjectRef",
    fields: &[
        ("apiVersion", Ty::Str),
        ("kind", Ty::Str),
        ("name", Ty::Str),
        ("scaleDown", Ty::Str),
    ],
};

static ROLLOUT_STRATEGY: Struct = Struct {
    package: "v1alpha1",
    name: "RolloutStrategy",
    fields: &[
        ("blueGreen", Ty::Struct(&BLUE_GREEN_STRATEGY)),
        ("canary", Ty::Struct(&CANARY_STRATEGY)),
    ],
};

static BLUE_GREEN_STRATEGY: Struct = Struct {
    package: "v1alpha1",
    name: "BlueGreenStrategy",
    fields: &[
        ("activeService", Ty::Str),
        ("previewService", Ty::Str),
        ("previewReplicaCount", Ty::Int32),
        ("autoPromotionEnabled", Ty::Bool),
        ("autoPromotionSeconds", Ty::Int32),
        ("maxUnavailable", Ty::IntOrString),
        ("scaleDownDelaySeconds", Ty::Int32),
        ("scaleDownDelayRevisionLimit", Ty::Int32),
        ("prePromotionAnalysis", Ty::Struct(&ROLLOUT_ANALYSIS)),
        ("antiAffinity", Ty::OpaqueObject("AntiAffinity")),
        ("postPromotionAnalysis", Ty::Struct(&ROLLOUT_ANALYSIS)),
        ("previewMetadata", Ty::OpaqueObject("PodTemplateMetadata")),
        ("activeMetadata", Ty::OpaqueObject("PodTemplateMetadata")),
        ("abortScaleDownDelaySeconds", Ty::Int32),
    ],
};

static CANARY_STRATEGY: Struct = Struct {
    package: "v1alpha1",
    name: "CanaryStrategy",
    fields: &[
        ("canaryService", Ty::Str),
        ("stableService", Ty::Str),
        ("steps", Ty::Slice(&Ty::Struct(&CANARY_STEP))),
        ("trafficRouting", Ty::Struct(&TRAFFIC_ROUTING)),
        ("maxUnavailable", Ty::IntOrString),
        ("maxSurge", Ty::IntOrString),
        ("analysis", Ty::Struct(&ROLLOUT_ANALYSIS_BACKGROUND)),
        ("antiAffinity", Ty::OpaqueObject("AntiAffinity")),
        ("canaryMetadata", Ty::OpaqueObject("PodTemplateMetadata")),
        ("stableMetadata", Ty::OpaqueObject("PodTemplateMetadata")),
        ("scaleDownDelaySeconds", Ty::Int32),
        ("scaleDownDelayRevisionLimit", Ty::Int32),
        ("abortScaleDownDelaySeconds", Ty::Int32),
        ("dynamicStableScale", Ty::Bool),
        ("pingPong", Ty::OpaqueObject("PingPongSpec")),
        ("minPodsPerReplicaSet", Ty::Int32),
        (
            "replicaProgressThreshold",
            Ty::OpaqueObject("ReplicaProgressThreshold"),
        ),
    ],
};

static TRAFFIC_ROUTING: Struct = Struct {
    package: "v1alpha1",
    name: "RolloutTrafficRouting",
    fields: &[
        ("istio", Ty::OpaqueObject("IstioTrafficRouting")),
        ("nginx", Ty::Struct(&NGINX_TRAFFIC_ROUTING)),
        ("alb", Ty::OpaqueObject("ALBTrafficRouting")),
        ("smi", Ty::OpaqueObject("SMITrafficRouting")),
        ("ambassador", Ty::OpaqueObject("AmbassadorTrafficRouting")),
        ("appMesh", Ty::OpaqueObject("AppMeshTrafficRouting")),
        ("traefik", Ty::OpaqueObject("TraefikTrafficRouting")),
        ("managedRoutes", Ty::OpaqueArray("MangedRoutes")),
        ("apisix", Ty::OpaqueObject("ApisixTrafficRouting")),
        ("plugins", Ty::OpaqueObject("Plugins")),
        ("maxTrafficWeight", Ty::Int32),
    ],
};

static NGINX_TRAFFIC_ROUTING: Struct = Struct {
    package: "v1alpha1",
    name: "NginxTrafficRouting",
    fields: &[
        ("annotationPrefix", Ty::Str),
        ("stableIngress", Ty::Str),
        ("additionalIngressAnnotations", STRING_MAP),
        ("stableIngresses", STRINGS),
        ("canaryIngressAnnotations", STRING_MAP),
    ],
};

static CANARY_STEP: Struct = Struct {
    package: "v1alpha1",
    name: "CanaryStep",
    fields: &[
        ("setWeight", Ty::Int32),
        ("pause", Ty::Struct(&ROLLOUT_PAUSE)),
        ("experiment", Ty::OpaqueObject("RolloutExperimentStep")),
        ("analysis", Ty::Struct(&ROLLOUT_ANALYSIS)),
        ("setCanaryScale", Ty::Struct(&SET_CANARY_SCALE)),
        ("setHeaderRoute", Ty::OpaqueObject("SetHeaderRoute")),
        ("setMirrorRoute", Ty::OpaqueObject("SetMirrorRoute")),
        ("plugin", Ty::OpaqueObject("PluginStep")),
    ],
};

static ROLLOUT_PAUSE: Struct = Struct {
    package: "v1alpha1",
    name: "RolloutPause",
    fields: &[("duration", Ty::IntOrString)],
};

static SET_CANARY_SCALE: Struct = Struct {
    package: "v1alpha1",
    name: "SetCanaryScale",
    fields: &[
        ("weight", Ty::Int32),
        ("replicas", Ty::Int32),
        ("matchTrafficWeight", Ty::Bool),
    ],
};

static ROLLOUT_ANALYSIS_BACKGROUND: Struct = Struct {
    package: "v1alpha1",
    name: "RolloutAnalysisBackground",
    fields: &[
        ("templates", Ty::Slice(&Ty::Struct(&ANALYSIS_TEMPLATE_REF))),
        ("args", Ty::Slice(&Ty::Struct(&ANALYSIS_RUN_ARGUMENT))),
        ("dryRun", Ty::OpaqueArray("DryRun")),
        (
            "measurementRetention",
            Ty::OpaqueArray("MeasurementRetention"),
        ),
        (
            "analysisRunMetadata",
            Ty::OpaqueObject("AnalysisRunMetadata"),
        ),
        ("startingStep", Ty::Int32),
    ],
};

static ROLLOUT_ANALYSIS: Struct = Struct {
    package: "v1alpha1",
    name: "RolloutAnalysis",
    fields: &[
        ("templates", Ty::Slice(&Ty::Struct(&ANALYSIS_TEMPLATE_REF))),
        ("args", Ty::Slice(&Ty::Struct(&ANALYSIS_RUN_ARGUMENT))),
        ("dryRun", Ty::OpaqueArray("DryRun")),
        (
            "measurementRetention",
            Ty::OpaqueArray("MeasurementRetention"),
        ),
        (
            "analysisRunMetadata",
            Ty::OpaqueObject("AnalysisRunMetadata"),
        ),
    ],
};

static ANALYSIS_TEMPLATE_REF: Struct = Struct {
    package: "v1alpha1",
    name: "AnalysisTemplateRef",
    fields: &[("templateName", Ty::Str), ("clusterScope", Ty::Bool)],
};

pub(crate) static ANALYSIS_RUN_ARGUMENT: Struct = Struct {
    package: "v1alpha1",
    name: "AnalysisRunArgument",
    fields: &[
        ("name", Ty::Str),
        ("value", Ty::Str),
        ("valueFrom", Ty::Struct(&ARGUMENT_VALUE_FROM)),
    ],
};

static ARGUMENT_VALUE_FROM: Struct = Struct {
    package: "v1alpha1",
    name: "ArgumentValueFrom",
    fields: &[
        ("podTemplateHashValue", Ty::Str),
        ("fieldRef", Ty::Struct(&FIELD_REF)),
    ],
};

static FIELD_REF: Struct = Struct {
    package: "v1alpha1",
    name: "FieldRef",
    fields: &[("fieldPath", Ty::Str)],
};

// Argo Rollouts' analysis kinds, from `analysis-template-crd.yaml`,
// `cluster-analysis-template-crd.yaml` and `analysis-run-crd.yaml`. A metric's provider is
// checked field by field for the providers the lab measures (prometheus, web, job's
// metadata); the others, the Job's spec and authentication blocks are opaque objects.

pub static ANALYSIS_TEMPLATE: Struct = Struct {
    package: "v1alpha1",
    name: "AnalysisTemplate",
    fields: &[
        ("apiVersion", Ty::Str),
        ("kind", Ty::Str),
        ("metadata", Ty::Struct(&OBJECT_META)),
        ("spec", Ty::Struct(&ANALYSIS_TEMPLATE_SPEC)),
    ],
};

pub static CLUSTER_ANALYSIS_TEMPLATE: Struct = Struct {
    package: "v1alpha1",
    name: "ClusterAnalysisTemplate",
    fields: &[
        ("apiVersion", Ty::Str),
        ("kind", Ty::Str),
        ("metadata", Ty::Struct(&OBJECT_META)),
        ("spec", Ty::Struct(&ANALYSIS_TEMPLATE_SPEC)),
    ],
};

pub static ANALYSIS_RUN: Struct = Struct {
    package: "v1alpha1",
    name: "AnalysisRun",
    fields: &[
        ("apiVersion", Ty::Str),
        ("kind", Ty::Str),
        ("metadata", Ty::Struct(&OBJECT_META)),
        ("spec", Ty::Struct(&ANALYSIS_RUN_SPEC)),
        ("status", Ty::Any),
    ],
};

static ANALYSIS_TEMPLATE_SPEC: Struct = Struct {
    package: "v1alpha1",
    name: "AnalysisTemplateSpec",
    fields: &[
        ("args", Ty::Slice(&Ty::Struct(&ARGUMENT))),
        ("dryRun", Ty::Slice(&Ty::Struct(&DRY_RUN))),
        (
            "measurementRetention",
            Ty::Slice(&Ty::Struct(&MEASUREMENT_RETENTION)),
        ),
        ("metrics", Ty::Slice(&Ty::Struct(&METRIC))),
        ("templates", Ty::Slice(&Ty::Struct(&ANALYSIS_TEMPLATE_REF))),
    ],
};

static ANALYSIS_RUN_SPEC: Struct = Struct {
    package: "v1alpha1",
    name: "AnalysisRunSpec",
    fields: &[
        ("args", Ty::Slice(&Ty::Struct(&ARGUMENT))),
        ("dryRun", Ty::Slice(&Ty::Struct(&DRY_RUN))),
        (
            "measurementRetention",
            Ty::Slice(&Ty::Struct(&MEASUREMENT_RETENTION)),
        ),
        ("metrics", Ty::Slice(&Ty::Struct(&METRIC))),
        ("terminate", Ty::Bool),
        ("ttlStrategy", Ty::Struct(&TTL_STRATEGY)),
    ],
};

static ARGUMENT: Struct = Struct {
    package: "v1alpha1",
    name: "Argument",
    fields: &[
        ("name", Ty::Str),
        ("value", Ty::Str),
        ("valueFrom", Ty::Struct(&VALUE_FROM)),
    ],
};

static VALUE_FROM: Struct = Struct {
    package: "v1alpha1",
    name: "ValueFrom",
    fields: &[
        ("fieldRef", Ty::Struct(&FIELD_REF)),
        ("secretKeyRef", Ty::Struct(&SECRET_KEY_REF)),
    ],
};

static SECRET_KEY_REF: Struct = Struct {
    package: "v1alpha1",
    name: "SecretKeyRef",
    fields: &[("key", Ty::Str), ("name", Ty::Str)],
};

static DRY_RUN: Struct = Struct {
    package: "v1alpha1",
    name: "DryRun",
    fields: &[("metricName", Ty::Str)],
};

static MEASUREMENT_RETENTION: Struct = Struct {
    package: "v1alpha1",
    name: "MeasurementRetention",
    fields: &[("limit", Ty::Int32), ("metricName", Ty::Str)],
};

static TTL_STRATEGY: Struct = Struct {
    package: "v1alpha1",
    name: "TTLStrategy",
    fields: &[
        ("secondsAfterCompletion", Ty::Int32),
        ("secondsAfterFailure", Ty::Int32),
        ("secondsAfterSuccess", Ty::Int32),
    ],
};

static METRIC: Struct = Struct {
    package: "v1alpha1",
    name: "Metric",
    fields: &[
        ("consecutiveErrorLimit", Ty::IntOrString),
        ("consecutiveSuccessLimit", Ty::IntOrString),
        ("count", Ty::IntOrString),
        ("failureCondition", Ty::Str),
        ("failureLimit", Ty::IntOrString),
        ("inconclusiveLimit", Ty::IntOrString),
        ("initialDelay", Ty::Str),
        ("interval", Ty::Str),
        ("name", Ty::Str),
        ("provider", Ty::Struct(&METRIC_PROVIDER)),
        ("successCondition", Ty::Str),
    ],
};

static METRIC_PROVIDER: Struct = Struct {
    package: "v1alpha1",
    name: "MetricProvider",
    fields: &[
        ("cloudWatch", Ty::OpaqueObject("CloudWatchMetric")),
        ("datadog", Ty::OpaqueObject("DatadogMetric")),
        ("graphite", Ty::OpaqueObject("GraphiteMetric")),
        ("influxdb", Ty::OpaqueObject("InfluxdbMetric")),
        ("job", Ty::Struct(&JOB_METRIC)),
        ("kayenta", Ty::OpaqueObject("KayentaMetric")),
        ("newRelic", Ty::OpaqueObject("NewRelicMetric")),
        ("plugin", Ty::OpaqueObject("Plugin")),
        ("prometheus", Ty::Struct(&PROMETHEUS_METRIC)),
        ("skywalking", Ty::OpaqueObject("SkyWalkingMetric")),
        ("wavefront", Ty::OpaqueObject("WavefrontMetric")),
        ("web", Ty::Struct(&WEB_METRIC)),
    ],
};

static PROMETHEUS_METRIC: Struct = Struct {
    package: "v1alpha1",
    name: "PrometheusMetric",
    fields: &[
        ("address", Ty::Str),
        ("authentication", Ty::OpaqueObject("Authentication")),
        ("headers", Ty::Slice(&Ty::Struct(&WEB_METRIC_HEADER))),
        ("insecure", Ty::Bool),
        ("query", Ty::Str),
        ("rangeQuery", Ty::Struct(&PROMETHEUS_RANGE_QUERY)),
        ("timeout", Ty::Int64),
    ],
};

static PROMETHEUS_RANGE_QUERY: Struct = Struct {
    package: "v1alpha1",
    name: "PrometheusRangeQueryArgs",
    fields: &[("end", Ty::Str), ("start", Ty::Str), ("step", Ty::Str)],
};

static WEB_METRIC: Struct = Struct {
    package: "v1alpha1",
    name: "WebMetric",
    fields: &[
        ("authentication", Ty::OpaqueObject("Authentication")),
        ("body", Ty::Str),
        ("headers", Ty::Slice(&Ty::Struct(&WEB_METRIC_HEADER))),
        ("insecure", Ty::Bool),
        ("jsonBody", Ty::OpaqueObject("JSONBody")),
        ("jsonPath", Ty::Str),
        ("method", Ty::Str),
        ("timeoutSeconds", Ty::Int64),
        ("url", Ty::Str),
    ],
};

static WEB_METRIC_HEADER: Struct = Struct {
    package: "v1alpha1",
    name: "WebMetricHeader",
    fields: &[("key", Ty::Str), ("value", Ty::Str)],
};

static JOB_METRIC: Struct = Struct {
    package: "v1alpha1",
    name: "JobMetric",
    fields: &[
        ("metadata", Ty::Struct(&JOB_METRIC_METADATA)),
        ("spec", Ty::OpaqueObject("JobSpec")),
    ],
};

static JOB_METRIC_METADATA: Struct = Struct {
    package: "v1alpha1",
    name: "ObjectMeta",
    fields: &[("annotations", STRING_MAP), ("labels", STRING_MAP)],
};
/// Fields the Rollout CRD's schema marks `required` (status aside): a custom resource
/// without them is rejected with `Required value`. `[]` stands for every item of a list.
pub static ROLLOUT_REQUIRED: &[&str] = &[
    "spec",
    "spec.selector.matchExpressions[].key",
    "spec.selector.matchExpressions[].operator",
    "spec.strategy.blueGreen.activeService",
    "spec.strategy.blueGreen.prePromotionAnalysis.args[].name",
    "spec.strategy.blueGreen.postPromotionAnalysis.args[].name",
    "spec.strategy.canary.analysis.args[].name",
    "spec.strategy.canary.steps[].analysis.args[].name",
];
