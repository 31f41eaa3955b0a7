//! A Gateway API implementation's proxy, as the network sees it: an add-on compiles its
//! routes into a [`GatewayProxy`] (its code stays with the add-on, in the page in its own
//! wasm module), which decides for each request that reaches one of its listeners; the
//! network carries the decision out — kube-proxy's pick of an endpoint of the chosen
//! Service, the mirrored copies whose answers are dropped, the answer's headers.

use super::http::{Request, Response};
use crate::rng::Rng;

/// What the proxy does with one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GatewayDecision {
    /// It answers itself: no route (404), an invalid backend's share (500), a redirect.
    Respond(Response),
    /// It proxies `request` (filters applied) to a Service port.
    Forward(Box<Forward>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Forward {
    /// `namespace/name` of the HTTPRoute that matched.
    pub route: String,
    pub namespace: String,
    pub service: String,
    pub port: u16,
    pub request: Request,
    /// `ResponseHeaderModifier`: headers to set, to add, and to remove.
    pub response_set: Vec<(String, String)>,
    pub response_add: Vec<(String, String)>,
    pub response_remove: Vec<String>,
    /// `RequestMirror`: `(namespace, service, port)` each copy goes to.
    pub mirrors: Vec<(String, String, u16)>,
}

/// The proxy's routing table.
pub trait GatewayProxy: std::fmt::Debug {
    /// Whether `ip:port` is one of its listeners.
    fn listens(&self, ip: &str, port: u16) -> bool;
    /// The decision for `request` arriving at `ip:port`, its weighted choices drawn from `rng`.
    fn route(&self, ip: &str, port: u16, request: &Request, rng: &mut Rng) -> GatewayDecision;
    /// Its answer when the chosen Service has no ready endpoint.
    fn unavailable(&self) -> Response;
    /// An upstream's answer as the proxy passes it on.
    fn proxied(&self, upstream: Response) -> Response;
}
