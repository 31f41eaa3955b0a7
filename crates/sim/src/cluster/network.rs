//! The cluster as the network sees it: requests from a client pod (or a node) travel through
//! the cluster's Services, Endpoints and Ingresses to the pods' apps.

use super::{Cluster, ObjectKey, Store};
use crate::clock::Duration;
use crate::kubelet::Kubelet;
use crate::network::curl::{self, CurlOutput};
use crate::network::gateway::GatewayProxy;
use crate::network::wget::{self, WgetOutput};
use crate::network::{Client, ClusterView, IngressController};
use crate::objects::{Endpoints, Ingress, Pod, Service};

/// The store, plus what the network knows that is not an API object.
pub struct View<'a> {
    store: &'a Store,
    /// The installed ingress controller's proxy, if any.
    ingress: Option<IngressController>,
    /// Which nodes are cut off (their pods answer nothing).
    kubelet: &'a Kubelet,
    /// The installed Gateway API implementation's proxy, if any.
    gateway: Option<Box<dyn GatewayProxy>>,
}

impl<'a> View<'a> {
    pub fn new(
        store: &'a Store,
        ingress: Option<IngressController>,
        kubelet: &'a Kubelet,
    ) -> View<'a> {
        View {
            store,
            ingress,
            kubelet,
            gateway: None,
        }
    }

    /// The view with the Gateway API implementation's proxy, when one is installed.
    pub fn with_gateway(mut self, gateway: Option<Box<dyn GatewayProxy>>) -> View<'a> {
        self.gateway = gateway;
        self
    }
}

impl ClusterView for View<'_> {
    fn services(&self) -> impl Iterator<Item = &Service> {
        self.store.services.values()
    }

    fn endpoints(&self, namespace: &str, name: &str) -> Option<&Endpoints> {
        self.store.endpoints.get(&ObjectKey::new(namespace, name))
    }

    fn ingresses(&self) -> impl Iterator<Item = &Ingress> {
        self.store.ingresses.values()
    }

    fn pod_by_ip(&self, ip: &str) -> Option<&Pod> {
        self.store
            .pods
            .values()
            .map(std::rc::Rc::as_ref)
            .find(|p| {
                p.status.pod_ip.as_deref() == Some(ip) && p.metadata.deletion_timestamp.is_none()
            })
            .or_else(|| {
                self.store
                    .pods
                    .values()
                    .map(std::rc::Rc::as_ref)
                    .find(|p| p.status.pod_ip.as_deref() == Some(ip))
            })
    }

    fn ingress_controller(&self) -> Option<&IngressController> {
        self.ingress.as_ref()
    }

    fn gateway(&self) -> Option<&dyn GatewayProxy> {
        self.gateway.as_deref()
    }

    fn reachable(&self, pod: &Pod) -> bool {
        !self.kubelet.is_down(&pod.spec.node_name)
    }
}

impl Cluster {
    /// Runs `curl ARGS…` from inside pod `namespace/pod` (or from a node when `pod` is
    /// `None`). The clock moves by the time the requests took.
    pub fn curl(&mut self, args: &[String], namespace: &str, pod: Option<&str>) -> CurlOutput {
        let client = self.client(namespace, pod);
        let view = View::new(&self.api.store, self.ingress_controller(), &self.kubelet)
            .with_gateway(self.gateway_proxy());
        let output = curl::curl(
            args,
            &mut self.network,
            &view,
            &client,
            self.api.now,
            &mut self.api.rng,
        );
        self.collect_request_logs();
        let elapsed = output.elapsed;
        self.advance(Duration(elapsed.millis().max(0)));
        output
    }

    /// Runs BusyBox's `wget ARGS…` from inside pod `namespace/pod` (or a node). `exists`
    /// says whether a file is already there; the caller writes [`WgetOutput::save`].
    pub fn wget(
        &mut self,
        args: &[String],
        namespace: &str,
        pod: Option<&str>,
        exists: &dyn Fn(&str) -> bool,
    ) -> WgetOutput {
        let client = self.client(namespace, pod);
        let view = View::new(&self.api.store, self.ingress_controller(), &self.kubelet)
            .with_gateway(self.gateway_proxy());
        let output = wget::wget(
            args,
            &mut self.network,
            &view,
            &client,
            self.api.now,
            &mut self.api.rng,
            exists,
        );
        self.collect_request_logs();
        self.advance(Duration(output.elapsed.millis().max(0)));
        output
    }

    /// Moves what the apps logged about the requests they just answered into their
    /// containers' logs (`kubectl logs`), stamped now.
    fn collect_request_logs(&mut self) {
        for (pod_uid, container, line) in std::mem::take(&mut self.network.request_logs) {
            self.node().write_log(&pod_uid, container, &line);
        }
    }

    /// Who sends a request from pod `namespace/pod`, or from a node when `pod` is `None`.
    /// How many requests the pods behind `service` have answered (`http_requests_total`).
    pub fn requests_answered(&self, service: &str) -> u64 {
        let now = self.api.now;
        self.network
            .requests
            .series()
            .filter(|s| s.labels.service == service)
            .map(|s| s.value_at(now))
            .sum()
    }

    fn client(&self, namespace: &str, pod: Option<&str>) -> Client {
        match pod.and_then(|name| self.api.store.pods.get(&ObjectKey::new(namespace, name))) {
            Some(pod) => Client {
                namespace: Some(pod.metadata.namespace.clone()),
                ip: pod
                    .status
                    .pod_ip
                    .clone()
                    .unwrap_or_else(|| "10.244.0.1".to_string()),
            },
            // A node: its cni0 gateway address, and no cluster DNS.
            None => Client {
                namespace: None,
                ip: crate::network::NODE_ADDRESS.to_string(),
            },
        }
    }

    /// `kubectl port-forward` listens on the lab machine's `local` port: connections to it
    /// from there go to `port` in the pod at `pod_ip`. False when the port is taken.
    pub fn open_forward(&mut self, local: u16, pod_ip: &str, port: u16) -> bool {
        if self.network.forwards.contains_key(&local) {
            return false;
        }
        let forward = crate::network::Forward {
            pod_ip: pod_ip.to_string(),
            port,
            ..Default::default()
        };
        self.network.forwards.insert(local, forward);
        true
    }

    /// One connection of the API's `pods/portforward` (a real kubectl's port-forward): `req`
    /// to `port` in the pod at `pod_ip`, answered by the app there.
    pub fn port_forward_request(
        &mut self,
        pod_ip: &str,
        port: u16,
        req: crate::network::http::Request,
    ) -> Result<crate::network::http::Response, crate::network::ConnectError> {
        let view = View::new(&self.api.store, self.ingress_controller(), &self.kubelet)
            .with_gateway(self.gateway_proxy());
        let sent = self
            .network
            .send_forwarded(&view, pod_ip, port, req, self.api.now);
        self.collect_request_logs();
        sent.map(|exchange| exchange.response)
    }

    pub fn close_forward(&mut self, local: u16) {
        self.network.forwards.remove(&local);
    }

    pub fn forward(&self, local: u16) -> Option<&crate::network::Forward> {
        self.network.forwards.get(&local)
    }

    /// Whether any port is forwarded.
    pub fn forwarding(&self) -> bool {
        !self.network.forwards.is_empty()
    }

    /// The pods in a namespace, for callers that look a client up by name.
    pub fn pods_in(&self, namespace: &str) -> impl Iterator<Item = &Pod> {
        self.api.store.pods_in(namespace)
    }
}

/// Why a request an add-on's controller sent got no answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HttpFailure {
    /// The name did not resolve from the controller's namespace.
    Unresolved,
    /// The connection to this address was refused, or timed out.
    Connect {
        ip: String,
        error: crate::network::ConnectError,
    },
}

impl Cluster {
    /// One HTTP request sent by a controller pod in `namespace` whose address is `client_ip`
    /// (Argo Rollouts' web metrics). Unlike [`Cluster::curl`] the clock does not move: the
    /// controller does not hold up the cluster while it waits.
    pub(crate) fn controller_http(
        &mut self,
        namespace: &str,
        host: &str,
        port: u16,
        mut request: crate::network::http::Request,
    ) -> Result<crate::network::Exchange, HttpFailure> {
        let view = View::new(&self.api.store, self.ingress_controller(), &self.kubelet)
            .with_gateway(self.gateway_proxy());
        let ip = crate::network::dns::resolve(&view, Some(namespace), host, &mut self.api.rng)
            .map_err(|_| HttpFailure::Unresolved)?;
        if request.client_ip.is_empty() {
            request.client_ip = "10.244.0.1".to_string();
        }
        let exchange = self
            .network
            .send(&view, &ip, port, request, self.api.now, &mut self.api.rng)
            .map_err(|error| HttpFailure::Connect { ip, error });
        self.collect_request_logs();
        exchange
    }
}
