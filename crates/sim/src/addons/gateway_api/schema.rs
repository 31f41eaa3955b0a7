//! The Gateway API's CRDs (standard channel, v1.2.1): the structural schema of each kind
//! the lab serves, for strict decoding (`unknown field "spec.rules[0].foo"`) and the CRD's
//! type errors. Parts the implementation does not act on are kept as opaque JSON.

use crate::manifest::schema::{Struct, Ty, OBJECT_META};

const STRINGS: Ty = Ty::Slice(&Ty::Str);
const STRING_MAP: Ty = Ty::Map(&Ty::Str);

macro_rules! top {
    ($static:ident, $name:literal, $spec:ident) => {
        pub static $static: Struct = Struct {
            package: "v1",
            name: $name,
            fields: &[
                ("apiVersion", Ty::Str),
                ("kind", Ty::Str),
                ("metadata", Ty::Struct(&OBJECT_META)),
                ("spec", Ty::Struct(&$spec)),
                ("status", Ty::Any),
            ],
        };
    };
}

top!(GATEWAY_CLASS, "GatewayClass", GATEWAY_CLASS_SPEC);
top!(GATEWAY, "Gateway", GATEWAY_SPEC);
top!(HTTP_ROUTE, "HTTPRoute", HTTP_ROUTE_SPEC);
top!(REFERENCE_GRANT, "ReferenceGrant", REFERENCE_GRANT_SPEC);

static GATEWAY_CLASS_SPEC: Struct = Struct {
    package: "v1",
    name: "GatewayClassSpec",
    fields: &[
        ("controllerName", Ty::Str),
        ("parametersRef", Ty::OpaqueObject("ParametersReference")),
        ("description", Ty::Str),
    ],
};

static GATEWAY_SPEC: Struct = Struct {
    package: "v1",
    name: "GatewaySpec",
    fields: &[
        ("gatewayClassName", Ty::Str),
        ("listeners", Ty::Slice(&Ty::Struct(&LISTENER))),
        ("addresses", Ty::Slice(&Ty::Struct(&GATEWAY_ADDRESS))),
        ("infrastructure", Ty::Struct(&INFRASTRUCTURE)),
    ],
};

static LISTENER: Struct = Struct {
    package: "v1",
    name: "Listener",
    fields: &[
        ("name", Ty::Str),
        ("hostname", Ty::Str),
        ("port", Ty::Int32),
        ("protocol", Ty::Str),
        ("tls", Ty::OpaqueObject("GatewayTLSConfig")),
        ("allowedRoutes", Ty::Struct(&ALLOWED_ROUTES)),
    ],
};

static ALLOWED_ROUTES: Struct = Struct {
    package: "v1",
    name: "AllowedRoutes",
    fields: &[
        ("namespaces", Ty::Struct(&ROUTE_NAMESPACES)),
        ("kinds", Ty::Slice(&Ty::Struct(&GROUP_KIND))),
    ],
};

static ROUTE_NAMESPACES: Struct = Struct {
    package: "v1",
    name: "RouteNamespaces",
    fields: &[
        ("from", Ty::Str),
        ("selector", Ty::OpaqueObject("LabelSelector")),
    ],
};

static GROUP_KIND: Struct = Struct {
    package: "v1",
    name: "RouteGroupKind",
    fields: &[("group", Ty::Str), ("kind", Ty::Str)],
};

static GATEWAY_ADDRESS: Struct = Struct {
    package: "v1",
    name: "GatewayAddress",
    fields: &[("type", Ty::Str), ("value", Ty::Str)],
};

static INFRASTRUCTURE: Struct = Struct {
    package: "v1",
    name: "GatewayInfrastructure",
    fields: &[
        ("labels", STRING_MAP),
        ("annotations", STRING_MAP),
        (
            "parametersRef",
            Ty::OpaqueObject("LocalParametersReference"),
        ),
    ],
};

static HTTP_ROUTE_SPEC: Struct = Struct {
    package: "v1",
    name: "HTTPRouteSpec",
    fields: &[
        ("parentRefs", Ty::Slice(&Ty::Struct(&PARENT_REF))),
        ("hostnames", STRINGS),
        ("rules", Ty::Slice(&Ty::Struct(&HTTP_ROUTE_RULE))),
    ],
};

static PARENT_REF: Struct = Struct {
    package: "v1",
    name: "ParentReference",
    fields: &[
        ("group", Ty::Str),
        ("kind", Ty::Str),
        ("namespace", Ty::Str),
        ("name", Ty::Str),
        ("sectionName", Ty::Str),
        ("port", Ty::Int32),
    ],
};

static HTTP_ROUTE_RULE: Struct = Struct {
    package: "v1",
    name: "HTTPRouteRule",
    fields: &[
        ("matches", Ty::Slice(&Ty::Struct(&HTTP_ROUTE_MATCH))),
        ("filters", Ty::Slice(&Ty::Struct(&HTTP_ROUTE_FILTER))),
        ("backendRefs", Ty::Slice(&Ty::Struct(&HTTP_BACKEND_REF))),
        ("timeouts", Ty::Struct(&TIMEOUTS)),
    ],
};

static HTTP_ROUTE_MATCH: Struct = Struct {
    package: "v1",
    name: "HTTPRouteMatch",
    fields: &[
        ("path", Ty::Struct(&PATH_MATCH)),
        ("headers", Ty::Slice(&Ty::Struct(&NAME_VALUE_MATCH))),
        ("queryParams", Ty::Slice(&Ty::Struct(&NAME_VALUE_MATCH))),
        ("method", Ty::Str),
    ],
};

static PATH_MATCH: Struct = Struct {
    package: "v1",
    name: "HTTPPathMatch",
    fields: &[("type", Ty::Str), ("value", Ty::Str)],
};

static NAME_VALUE_MATCH: Struct = Struct {
    package: "v1",
    name: "HTTPHeaderMatch",
    fields: &[("type", Ty::Str), ("name", Ty::Str), ("value", Ty::Str)],
};

static HTTP_ROUTE_FILTER: Struct = Struct {
    package: "v1",
    name: "HTTPRouteFilter",
    fields: &[
        ("type", Ty::Str),
        ("requestHeaderModifier", Ty::Struct(&HEADER_FILTER)),
        ("responseHeaderModifier", Ty::Struct(&HEADER_FILTER)),
        ("requestMirror", Ty::Struct(&REQUEST_MIRROR)),
        ("requestRedirect", Ty::Struct(&REQUEST_REDIRECT)),
        ("urlRewrite", Ty::Struct(&URL_REWRITE)),
        ("extensionRef", Ty::OpaqueObject("LocalObjectReference")),
    ],
};

static HEADER_FILTER: Struct = Struct {
    package: "v1",
    name: "HTTPHeaderFilter",
    fields: &[
        ("set", Ty::Slice(&Ty::Struct(&HEADER))),
        ("add", Ty::Slice(&Ty::Struct(&HEADER))),
        ("remove", STRINGS),
    ],
};

static HEADER: Struct = Struct {
    package: "v1",
    name: "HTTPHeader",
    fields: &[("name", Ty::Str), ("value", Ty::Str)],
};

static REQUEST_MIRROR: Struct = Struct {
    package: "v1",
    name: "HTTPRequestMirrorFilter",
    fields: &[("backendRef", Ty::Struct(&BACKEND_OBJECT_REF))],
};

static BACKEND_OBJECT_REF: Struct = Struct {
    package: "v1",
    name: "BackendObjectReference",
    fields: &[
        ("group", Ty::Str),
        ("kind", Ty::Str),
        ("name", Ty::Str),
        ("namespace", Ty::Str),
        ("port", Ty::Int32),
    ],
};

static REQUEST_REDIRECT: Struct = Struct {
    package: "v1",
    name: "HTTPRequestRedirectFilter",
    fields: &[
        ("scheme", Ty::Str),
        ("hostname", Ty::Str),
        ("path", Ty::Struct(&PATH_MODIFIER)),
        ("port", Ty::Int32),
        ("statusCode", Ty::Int32),
    ],
};

static URL_REWRITE: Struct = Struct {
    package: "v1",
    name: "HTTPURLRewriteFilter",
    fields: &[("hostname", Ty::Str), ("path", Ty::Struct(&PATH_MODIFIER))],
};

static PATH_MODIFIER: Struct = Struct {
    package: "v1",
    name: "HTTPPathModifier",
    fields: &[
        ("type", Ty::Str),
        ("replaceFullPath", Ty::Str),
        ("replacePrefixMatch", Ty::Str),
    ],
};

static HTTP_BACKEND_REF: Struct = Struct {
    package: "v1",
    name: "HTTPBackendRef",
    fields: &[
        ("group", Ty::Str),
        ("kind", Ty::Str),
        ("name", Ty::Str),
        ("namespace", Ty::Str),
        ("port", Ty::Int32),
        ("weight", Ty::Int32),
        ("filters", Ty::Slice(&Ty::Struct(&HTTP_ROUTE_FILTER))),
    ],
};

static TIMEOUTS: Struct = Struct {
    package: "v1",
    name: "HTTPRouteTimeouts",
    fields: &[("request", Ty::Str), ("backendRequest", Ty::Str)],
};

static REFERENCE_GRANT_SPEC: Struct = Struct {
    package: "v1beta1",
    name: "ReferenceGrantSpec",
    fields: &[
        ("from", Ty::Slice(&Ty::Struct(&GRANT_FROM))),
        ("to", Ty::Slice(&Ty::Struct(&GRANT_TO))),
    ],
};

static GRANT_FROM: Struct = Struct {
    package: "v1beta1",
    name: "ReferenceGrantFrom",
    fields: &[
        ("group", Ty::Str),
        ("kind", Ty::Str),
        ("namespace", Ty::Str),
    ],
};

static GRANT_TO: Struct = Struct {
    package: "v1beta1",
    name: "ReferenceGrantTo",
    fields: &[("group", Ty::Str), ("kind", Ty::Str), ("name", Ty::Str)],
};

/// The fields each CRD marks `required` (status aside).
pub static GATEWAY_CLASS_REQUIRED: &[&str] = &["spec", "spec.controllerName"];
pub static GATEWAY_REQUIRED: &[&str] = &[
    "spec",
    "spec.gatewayClassName",
    "spec.listeners",
    "spec.listeners[].name",
    "spec.listeners[].port",
    "spec.listeners[].protocol",
    "spec.listeners[].allowedRoutes.kinds[].kind",
    "spec.addresses[].value",
];
pub static HTTP_ROUTE_REQUIRED: &[&str] = &[
    "spec",
    "spec.parentRefs[].name",
    "spec.rules[].matches[].headers[].name",
    "spec.rules[].matches[].headers[].value",
    "spec.rules[].matches[].queryParams[].name",
    "spec.rules[].matches[].queryParams[].value",
    "spec.rules[].filters[].type",
    "spec.rules[].filters[].requestHeaderModifier.set[].name",
    "spec.rules[].filters[].requestHeaderModifier.set[].value",
    "spec.rules[].filters[].requestHeaderModifier.add[].name",
    "spec.rules[].filters[].requestHeaderModifier.add[].value",
    "spec.rules[].filters[].responseHeaderModifier.set[].name",
    "spec.rules[].filters[].responseHeaderModifier.set[].value",
    "spec.rules[].filters[].responseHeaderModifier.add[].name",
    "spec.rules[].filters[].responseHeaderModifier.add[].value",
    "spec.rules[].filters[].requestMirror.backendRef",
    "spec.rules[].filters[].requestMirror.backendRef.name",
    "spec.rules[].filters[].requestRedirect.path.type",
    "spec.rules[].filters[].urlRewrite.path.type",
    "spec.rules[].backendRefs[].name",
];
pub static REFERENCE_GRANT_REQUIRED: &[&str] = &[
    "spec",
    "spec.from",
    "spec.to",
    "spec.from[].group",
    "spec.from[].kind",
    "spec.from[].namespace",
    "spec.to[].group",
    "spec.to[].kind",
];
