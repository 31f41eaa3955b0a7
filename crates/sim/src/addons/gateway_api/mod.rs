//! Envoy Gateway, installed: the lab's Gateway API implementation. Installing it serves the
//! Gateway API's kinds (their CRDs come with its release) and runs its controller, which
//! accepts the GatewayClasses naming it, gives each of their Gateways an address and
//! resolves every HTTPRoute attached to them — the status conditions (`Accepted`,
//! `ResolvedRefs`, `Programmed`) and the reasons and messages Envoy Gateway writes.
//!
//! - `schema`: the CRDs' structural schemas (strict decoding);
//! - `crd`: their defaults and validation rules, registered with the decoder
//!   (`crate::manifest::custom`) when the add-on is made.

mod crd;
mod proxy;
mod regexp;
mod schema;
mod status;

use crate::cluster::{Addon, Cluster};
use crate::objects::GATEWAY_API;
use std::collections::BTreeMap;

/// The namespace its release installs the controller into (`envoy-gateway-system`).
pub const NAMESPACE: &str = "envoy-gateway-system";
/// The controller name its GatewayClasses name (`spec.controllerName`).
pub const CONTROLLER_NAME: &str = "gateway.envoyproxy.io/gatewayclass-controller";
/// The first address the course's load balancer (MetalLB) gives a Gateway's Service;
/// ingress-nginx has the one before.
pub const FIRST_ADDRESS: [u8; 4] = [10, 0, 0, 201];

/// The installed controller. Its state: the address each Gateway's Service was given,
/// kept while the Gateway exists (a Gateway made again gets the next free one).
#[derive(Clone, Debug, Default)]
pub struct EnvoyGatewayAddon {
    addresses: BTreeMap<(String, String), String>,
    /// The namespace its controller's pod runs in, when installed from the release manifest:
    /// the controller works only while that pod is ready. `None`: always running (tests).
    controller_namespace: Option<String>,
}

/// The label the release's controller pod carries.
const CONTROLLER_LABEL: (&str, &str) = ("control-plane", "envoy-gateway");

impl EnvoyGatewayAddon {
    /// The add-on, its CRDs' rules registered with the decoder.
    pub fn new() -> EnvoyGatewayAddon {
        crate::manifest::custom::register(&crd::CODEC);
        EnvoyGatewayAddon::default()
    }

    /// The controller as the release manifest runs it: a Deployment in `namespace`.
    pub fn running_in(namespace: &str) -> EnvoyGatewayAddon {
        EnvoyGatewayAddon {
            controller_namespace: Some(namespace.to_string()),
            ..EnvoyGatewayAddon::new()
        }
    }

    /// Whether the controller process is up (its pod ready).
    fn controller_ready(&self, cluster: &Cluster) -> bool {
        super::controller_pod_ready(
            cluster,
            self.controller_namespace.as_deref(),
            CONTROLLER_LABEL,
        )
    }
}

impl Addon for EnvoyGatewayAddon {
    fn name(&self) -> &'static str {
        GATEWAY_API
    }

    fn reconcile(&mut self, cluster: &mut Cluster) -> bool {
        if !self.controller_ready(cluster) {
            return false;
        }
        status::reconcile(&mut self.addresses, cluster)
    }

    fn gateway_proxy(
        &self,
        cluster: &Cluster,
    ) -> Option<Box<dyn crate::network::gateway::GatewayProxy>> {
        if !self.controller_ready(cluster) {
            return None;
        }
        let proxy = proxy::Proxy::compile(&cluster.api.store, cluster.now(), &self.addresses);
        Some(Box::new(proxy))
    }

    fn clone_box(&self) -> Box<dyn Addon> {
        Box::new(self.clone())
    }
}
