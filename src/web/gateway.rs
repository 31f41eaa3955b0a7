//! The Gateway API objects as the page draws them: each Gateway (its listeners and the address
//! its controller gave it), the HTTPRoutes attached to it, and each rule's backends with their
//! configured weight and share, and the Services a `RequestMirror` filter copies requests to.
//! The views are read from the stored JSON by the Gateway view's own wasm module (the kinds'
//! field code is the add-on's), which registers its reader here when it loads: the first
//! download holds only these types. Used by the cluster view and the traffic panel.

use rollout_sim::cluster::Cluster;
use rollout_sim::objects::Kind;
use std::sync::OnceLock;

/// One Gateway and what is attached to it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GatewayView {
    pub key: String,
    pub namespace: String,
    pub name: String,
    /// `status.addresses[0].value`, empty until the controller programmed it.
    pub address: String,
    /// `name protocol/port` of each listener.
    pub listeners: Vec<String>,
    pub routes: Vec<HttpRouteView>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpRouteView {
    pub name: String,
    pub hostnames: Vec<String>,
    pub rules: Vec<RuleView>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleView {
    /// The rule's matches, as text (`headers X-Canary=always`), empty for every request.
    pub matches: String,
    pub backends: Vec<BackendView>,
    /// Services each request is copied to (`RequestMirror`); their answers are dropped.
    pub mirrors: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BackendView {
    pub service: String,
    /// `weight` (1 when not given).
    pub weight: i64,
    /// Its weight over the rule's sum, whole percent (0 when the sum is 0).
    pub percent: u32,
}

/// Reads every Gateway outside the system namespaces, in key order, with its routes. The
/// reading is the Gateway view module's (`gateway_view::read`): it registers it when it loads.
pub type Reader = fn(&Cluster) -> Vec<GatewayView>;

static READER: OnceLock<Reader> = OnceLock::new();

/// The Gateway view module loaded: from now on [`gateways`] reads the store.
pub fn register(reader: Reader) {
    let _ = READER.set(reader);
}

/// Whether the cluster has a Gateway to draw (which is when the module that reads and draws
/// them is fetched).
pub fn any(cluster: &Cluster) -> bool {
    cluster
        .store()
        .custom_of(Kind::Gateway)
        .any(|g| !g.metadata.namespace.starts_with("kube-"))
}

/// Every Gateway with its routes, once the module that reads them is loaded (none before).
pub fn gateways(cluster: &Cluster) -> Vec<GatewayView> {
    READER.get().map_or_else(Vec::new, |read| read(cluster))
}

/// The rule a plain request for `host` takes (the first rule without matches of the first
/// route for that host), to compare its weights with the measured shares.
pub fn plain_rule<'a>(
    gateways: &'a [GatewayView],
    address: &str,
    host: &str,
) -> Option<&'a RuleView> {
    gateways
        .iter()
        .filter(|g| g.address == address)
        .flat_map(|g| &g.routes)
        .find(|r| r.hostnames.is_empty() || r.hostnames.iter().any(|h| h == host))?
        .rules
        .iter()
        .find(|rule| rule.matches.is_empty())
}

/// The image tag the ready endpoints of Service `namespace/name` run, when they all run one.
pub fn service_version(cluster: &Cluster, namespace: &str, name: &str) -> Option<String> {
    let store = cluster.store();
    let key = rollout_sim::cluster::ObjectKey::new(namespace, name);
    let endpoints = store.endpoints.get(&key)?;
    let mut versions = endpoints
        .subsets
        .iter()
        .flat_map(|s| &s.addresses)
        .filter_map(|a| {
            let pod = a.target_ref.as_ref()?;
            let pod = store
                .pods
                .get(&rollout_sim::cluster::ObjectKey::new(namespace, &pod.name))?;
            let image = pod.spec.containers.first().map_or("", |c| c.image.as_str());
            Some(rollout_sim::network::apps::image_tag(image).to_string())
        });
    let first = versions.next()?;
    versions.all(|v| v == first).then_some(first)
}
