//! # The cluster network and the apps behind it
//!
//! What happens between `curl demoapp-svc` and the line demoapp prints, modelled closely
//! enough that the numbers a student sees come out right: which pod answers, how often a
//! canary is hit, what curl prints when nothing is ready.
//!
//! ```text
//!  curl (client pod or node)
//!    │ dns: svc / svc.ns / svc.ns.svc[.cluster.local] / IP  ── unknown → curl: (6)
//!    ▼
//!  ClusterIP:port ── kube_proxy: one READY endpoint, uniform random per connection
//!    │               (ClientIP affinity if set)           ── none ready → curl: (7)
//!    ▼
//!  pod IP:port ── apps: the container whose image listens there (demoapp, nginx, …)
//!                       answers; nobody listening → curl: (7)
//!
//!  ingress controller address:80 ── ingress_nginx: host + path → Service, canary by
//!                       header → cookie → weight, round-robin over pod IPs
//! ```
//!
//! ## Layout
//! - [`http`]: request and response values; the `Date` header from virtual time.
//! - [`demoapp`]: `ikubernetes/demoapp` — its pages, the `livez`/`readyz` switches, probes.
//! - [`apps`]: which image listens where and answers how (demoapp, nginx, httpd,
//!   rollouts-demo, silent).
//! - [`rollouts_demo`]: `argoproj/rollouts-demo` — `/color` and its page, on port 8080.
//! - [`dns`]: the pod resolver's search path and CoreDNS's answers.
//! - [`kube_proxy`]: Service → endpoint selection, ClientIP affinity.
//! - [`ingress_nginx`]: Ingress rule matching and canary routing.
//! - [`pattern`]: the small regex used by `canary-by-header-pattern`.
//! - [`metrics`]: `http_requests_total`, the requests the apps answered (what the lab's
//!   Prometheus reads for Argo Rollouts' analysis).
//! - [`curl`]: curl's command line and exactly what it prints.
//! - [`fixture`]: a ready-made [`ClusterView`] over plain vectors, for tests.
//!
//! ## Invariants
//! - **Pure and deterministic.** Every function takes the objects it needs through
//!   [`ClusterView`], the time as [`Time`] and randomness as `&mut Rng`. The only memory is
//!   [`NetworkState`], which the cluster owns and clones with its snapshots.
//! - **No panics on input.** Any command line, header, pattern or object content yields a
//!   curl error or an HTTP answer, never a panic.
//! - **curl 8.x wording.** Error lines follow curl 8.5 (`after 0 ms: Couldn't connect to
//!   server`); see [`curl`].

pub mod apps;
pub mod curl;
pub mod demoapp;
pub mod dns;
#[cfg(not(target_arch = "wasm32"))]
pub mod fixture;
pub mod gateway;
pub mod http;
pub mod ingress_nginx;
pub mod kube_proxy;
pub mod metrics;
pub mod pattern;
pub mod rollouts_demo;
#[cfg(test)]
mod scenarios;
pub mod wget;

use crate::clock::Time;
use crate::objects::{Container, ContainerState, Endpoints, Ingress, Pod, ProbeHandler, Service};
use crate::rng::Rng;
use apps::App;
use demoapp::{DemoappState, ProbeResult};
use http::{Request, Response};
use ingress_nginx::{ClassFilter, IngressNginx, IngressRouting};
use kube_proxy::KubeProxy;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Read access to the objects the network needs, implemented by the cluster store.
///
/// Lookups are by the keys the data plane has: names for Services and Endpoints, IP
/// addresses for pods (a packet knows nothing else).
pub trait ClusterView {
    /// Every Service in every namespace.
    fn services(&self) -> impl Iterator<Item = &Service>;
    /// The Endpoints object of a Service (same namespace and name).
    fn endpoints(&self, namespace: &str, name: &str) -> Option<&Endpoints>;
    /// Every Ingress in every namespace.
    fn ingresses(&self) -> impl Iterator<Item = &Ingress>;
    /// The pod that currently owns this IP (`status.podIP`), if any.
    fn pod_by_ip(&self, ip: &str) -> Option<&Pod>;
    /// The ingress-nginx controller, when the cluster has one installed.
    fn ingress_controller(&self) -> Option<&IngressController> {
        None
    }
    /// The Gateway API implementation's proxy, when the cluster has one installed.
    fn gateway(&self) -> Option<&dyn gateway::GatewayProxy> {
        None
    }
    /// An `/etc/hosts` entry of the client (lessons add `demoapp.magedu.com` pointing at the
    /// ingress address).
    fn host_alias(&self, _name: &str) -> Option<String> {
        None
    }
    /// Whether packets reach the pod (false when its node is down: nothing answers).
    fn reachable(&self, _pod: &Pod) -> bool {
        true
    }
}

/// Where the ingress-nginx controller can be reached and who it says it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngressController {
    /// Addresses whose port 80 is the controller itself: its LoadBalancer/external IP and
    /// any node IP it binds with hostNetwork. (Its Service's ClusterIP needs no entry: kube-proxy
    /// leads there through the Service's endpoints, i.e. [`IngressController::pod_ip`].)
    pub addresses: Vec<String>,
    /// The controller pod's IP: the `ClientIP` every proxied request shows.
    pub pod_ip: String,
    /// Which Ingresses it serves.
    pub class: ClassFilter,
}

/// Who is sending: a pod (its namespace gives the DNS search path) or a node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    /// `None` for a node: no cluster DNS.
    pub namespace: Option<String>,
    /// The source address servers see (the pod IP, or the node's gateway address such as
    /// `10.244.0.0` for curl on a node).
    pub ip: String,
}

/// Why a TCP connection did not open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectError {
    /// Something answered "no": a Service without ready endpoints (kube-proxy's REJECT
    /// rule) or a pod where nothing listens on the port. curl exit code 7.
    Refused,
    /// Nothing answered at all: an address nobody owns, or a ClusterIP port the Service
    /// does not declare. The client waits for its timeout.
    TimedOut,
    /// The connection opened and closed without an answer: `kubectl port-forward` could not
    /// reach the port in its pod. curl exit code 52.
    EmptyReply,
}

/// A pod that answered, for traces and the UI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodRef {
    pub namespace: String,
    pub name: String,
    pub ip: String,
}

/// The way one request travelled, so the UI can count what each hop did (e.g. the canary's
/// measured share).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Route {
    /// `namespace/name` of the Service the ClusterIP belonged to, when one was used.
    pub service: Option<String>,
    /// `namespace/name` of the Ingress whose backend served the request.
    pub ingress: Option<String>,
    /// Whether that Ingress was the canary.
    pub canary: bool,
    /// `namespace/name` of the Service behind the Ingress backend.
    pub ingress_service: Option<String>,
    /// The pod whose container answered.
    pub pod: Option<PodRef>,
}

/// A completed request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exchange {
    pub response: Response,
    pub route: Route,
}

/// Everything the network remembers between requests. The cluster owns one, clones it
/// with its snapshots, and hands it `&mut` to [`NetworkState::send`] and the probe calls.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkState {
    pub kube_proxy: KubeProxy,
    pub ingress_nginx: IngressNginx,
    /// Each container's app process, keyed `pod-uid/container` (namespace/name when the
    /// uid is empty). A restart is detected from `restartCount` and starts a fresh process.
    apps: BTreeMap<String, AppProcess>,
    /// Every answered request, counted as a Prometheus scraping the apps would see them.
    pub requests: metrics::RequestCounters,
    /// `kubectl port-forward` listeners on the lab machine's loopback, by local port. They
    /// belong to running programs, which are not saved either.
    #[serde(skip)]
    pub forwards: BTreeMap<u16, Forward>,
    /// What the apps wrote to their logs about the requests they answered since the cluster
    /// last collected it: `(pod uid, container index, text)`. The cluster moves it into the
    /// kubelet's container logs right after each request.
    #[serde(skip)]
    pub(crate) request_logs: Vec<(String, usize, String)>,
}

/// One forwarded local port: where its connections go, and what they did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Forward {
    /// The pod's address and the port in it.
    pub pod_ip: String,
    pub port: u16,
    /// Connections accepted so far (kubectl prints `Handling connection for N` for each).
    pub connections: u32,
    /// A connection found nothing listening in the pod: kubectl gives up on the pod.
    pub broken: bool,
}

/// What the kubelet's runtime (containerd) puts on a port-forward's error stream when nothing
/// listens on `port` in the pod's network namespace; the runtime's sandbox id is the pod's
/// uid here.
pub fn port_forward_refused(pod_uid: &str, port: u16) -> String {
    format!(
        "error forwarding port {port} to pod {pod_uid}, uid : failed to execute portforward in network namespace \"/var/run/netns/cni-{pod_uid}\": failed to connect to localhost:{port} inside namespace \"{pod_uid}\", IPv4: dial tcp4 127.0.0.1:{port}: connect: connection refused IPv6 dial tcp6 [::1]:{port}: connect: connection refused "
    )
}

/// The path an `exec` probe in the lessons' form (`curl -s 127.0.0.1/<path>` in a shell
/// test) asks for, if the command is one.
fn exec_probe_path(command: &[String]) -> Option<&'static str> {
    let script = command.join(" ");
    ["/livez", "/readyz"]
        .into_iter()
        .find(|p| script.contains("curl") && script.contains(p))
}

/// The address a request from a node (the lab machine) leaves with.
pub const NODE_ADDRESS: &str = "10.244.0.0";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct AppProcess {
    restart_count: i32,
    state: DemoappState,
}

fn container_key(pod: &Pod, container: &str) -> String {
    if pod.metadata.uid.is_empty() {
        format!(
            "{}/{}/{container}",
            pod.metadata.namespace, pod.metadata.name
        )
    } else {
        format!("{}/{container}", pod.metadata.uid)
    }
}

fn restart_count(pod: &Pod, container: &str) -> i32 {
    pod.status
        .container_statuses
        .iter()
        .find(|s| s.name == container)
        .map_or(0, |s| s.restart_count)
}

fn is_running(pod: &Pod, container: &str) -> bool {
    pod.status
        .container_statuses
        .iter()
        .any(|s| s.name == container && matches!(s.state, ContainerState::Running { .. }))
}

impl NetworkState {
    /// The app state of a container as it is now (a fresh `OK/OK` state after a restart).
    pub fn app_state(&self, pod: &Pod, container: &str) -> DemoappState {
        match self.apps.get(&container_key(pod, container)) {
            Some(process) if process.restart_count == restart_count(pod, container) => {
                process.state.clone()
            }
            _ => DemoappState::default(),
        }
    }

    /// Mutable access, creating (or, after a restart, resetting) the process state.
    pub fn app_state_mut(&mut self, pod: &Pod, container: &str) -> &mut DemoappState {
        let restarts = restart_count(pod, container);
        let process = self.apps.entry(container_key(pod, container)).or_default();
        if process.restart_count != restarts {
            *process = AppProcess {
                restart_count: restarts,
                state: DemoappState::default(),
            };
        }
        &mut process.state
    }

    /// Forget a deleted pod's processes.
    pub fn forget_pod(&mut self, pod: &Pod) {
        let prefix = container_key(pod, "");
        self.apps.retain(|key, _| !key.starts_with(&prefix));
    }

    /// Runs one kubelet probe of `container` in `pod` (whose IP is `pod_ip`).
    ///
    /// `exec` probes are understood only in the lessons' form, a shell test around
    /// `curl -s 127.0.0.1/<path>` compared with `OK`; any other command succeeds.
    pub fn probe(
        &self,
        pod: &Pod,
        container: &Container,
        pod_ip: &str,
        handler: &ProbeHandler,
    ) -> ProbeResult {
        let app = App::from_image(&container.image);
        let state = self.app_state(pod, &container.name);
        let port_of = |port: i32| u16::try_from(port).unwrap_or(0);
        match handler {
            ProbeHandler::HttpGet { path, port } => {
                app.probe_http(&state, pod_ip, port_of(*port), path)
            }
            ProbeHandler::TcpSocket { port } => app.probe_tcp(pod_ip, port_of(*port)),
            ProbeHandler::Exec { command } => {
                match exec_probe_path(command) {
                    Some(path) => match app.probe_http(&state, pod_ip, 80, path) {
                        ProbeResult::Success => ProbeResult::Success,
                        // `[ "$(…)" == "OK" ]` exits 1 and prints nothing.
                        ProbeResult::Failure(_) => ProbeResult::Failure(String::new()),
                    },
                    None => ProbeResult::Success,
                }
            }
        }
    }

    /// The line the container writes to its log about the probe [`NetworkState::probe`]
    /// just made, when its app logs requests: an `httpGet` probe comes from the node's
    /// bridge address (the pod network's `.1`), a `curl` in an exec probe from loopback.
    pub fn probe_log(
        &self,
        pod: &Pod,
        container: &Container,
        pod_ip: &str,
        handler: &ProbeHandler,
        now: Time,
    ) -> Option<String> {
        let app = App::from_image(&container.image);
        let (client, port, path) = match handler {
            ProbeHandler::HttpGet { path, port } => {
                let bridge = match pod_ip.rsplit_once('.') {
                    Some((network, _)) => format!("{network}.1"),
                    None => return None,
                };
                (bridge, u16::try_from(*port).unwrap_or(0), path.as_str())
            }
            ProbeHandler::Exec { command } => {
                ("127.0.0.1".to_string(), 80, exec_probe_path(command)?)
            }
            ProbeHandler::TcpSocket { .. } => return None,
        };
        if !app.listens_on(port) {
            return None;
        }
        let state = self.app_state(pod, &container.name);
        let status = demoapp::probe_status(&state, path);
        let request = Request {
            client_ip: client,
            ..Request::get(pod_ip, path)
        };
        app.request_log(&request, status, now)
    }

    /// A connection `kubectl port-forward` asked the kubelet for: to `port` in the pod at
    /// `pod_ip`, opened from inside the pod, so the app sees it come from its own loopback.
    pub fn send_forwarded(
        &mut self,
        cluster: &impl ClusterView,
        pod_ip: &str,
        port: u16,
        mut req: Request,
        now: Time,
    ) -> Result<Exchange, ConnectError> {
        req.client_ip = "127.0.0.1".to_string();
        self.deliver(cluster, pod_ip, port, &req, now, Route::default())
    }

    /// Opens a connection to `ip:port` and sends `req` over it.
    ///
    /// `req.client_ip` is the connection's source (the client pod's IP, or a node's
    /// address); on the way it becomes what the server really sees (`127.0.0.1` over
    /// loopback, the ingress controller's pod IP behind an Ingress).
    pub fn send(
        &mut self,
        cluster: &impl ClusterView,
        ip: &str,
        port: u16,
        mut req: Request,
        now: Time,
        rng: &mut Rng,
    ) -> Result<Exchange, ConnectError> {
        let source = req.client_ip.clone();
        let controller = cluster.ingress_controller();
        if ip.starts_with("127.") && source == NODE_ADDRESS {
            // The lab machine's loopback: a `kubectl port-forward` listener, or nothing.
            let Some(forward) = self.forwards.get_mut(&port) else {
                return Err(ConnectError::Refused);
            };
            forward.connections += 1;
            let (pod_ip, pod_port) = (forward.pod_ip.clone(), forward.port);
            let sent = self.send_forwarded(cluster, &pod_ip, pod_port, req, now);
            if sent.is_err() {
                if let Some(forward) = self.forwards.get_mut(&port) {
                    forward.broken = true;
                }
            }
            return sent.map_err(|_| ConnectError::EmptyReply);
        }
        if ip.starts_with("127.") {
            // Loopback stays inside the client's own pod.
            req.client_ip = "127.0.0.1".to_string();
            return self.deliver(cluster, &source, port, &req, now, Route::default());
        }
        if let Some(controller) = controller {
            if port == 80
                && (controller.addresses.iter().any(|a| a == ip) || controller.pod_ip == ip)
            {
                return Ok(self.through_ingress(
                    cluster,
                    controller,
                    &req,
                    now,
                    rng,
                    Route::default(),
                ));
            }
        }
        if let Some(proxy) = cluster.gateway().filter(|p| p.listens(ip, port)) {
            return Ok(self.through_gateway(cluster, proxy, ip, port, &req, now, rng));
        }
        if let Some(service) = cluster.services().find(|s| s.spec.cluster_ip == ip) {
            let route = Route {
                service: Some(format!(
                    "{}/{}",
                    service.metadata.namespace, service.metadata.name
                )),
                ..Route::default()
            };
            let Some(service_port) = kube_proxy::service_port(service, port) else {
                return Err(ConnectError::TimedOut);
            };
            let endpoints = cluster.endpoints(&service.metadata.namespace, &service.metadata.name);
            let endpoint = self
                .kube_proxy
                .pick(service, service_port, endpoints, &source, now, rng)
                .ok_or(ConnectError::Refused)?;
            if let Some(controller) = controller.filter(|c| c.pod_ip == endpoint.ip) {
                return Ok(self.through_ingress(cluster, controller, &req, now, rng, route));
            }
            return self.deliver(cluster, &endpoint.ip, endpoint.port, &req, now, route);
        }
        self.deliver(cluster, ip, port, &req, now, Route::default())
    }

    /// A Gateway API proxy: its decision carried out. A mirrored copy is sent and its answer
    /// dropped; the chosen Service's endpoint answers through the proxy.
    #[allow(clippy::too_many_arguments)]
    fn through_gateway(
        &mut self,
        cluster: &impl ClusterView,
        proxy: &dyn gateway::GatewayProxy,
        ip: &str,
        port: u16,
        req: &Request,
        now: Time,
        rng: &mut Rng,
    ) -> Exchange {
        let forward = match proxy.route(ip, port, req, rng) {
            gateway::GatewayDecision::Respond(response) => {
                return Exchange {
                    response,
                    route: Route::default(),
                }
            }
            gateway::GatewayDecision::Forward(forward) => forward,
        };
        for (namespace, service, port) in &forward.mirrors {
            let _ = self.request_service(
                cluster,
                namespace,
                service,
                *port,
                &forward.request,
                now,
                rng,
            );
        }
        let route = Route {
            ingress: Some(forward.route.clone()),
            ingress_service: Some(format!("{}/{}", forward.namespace, forward.service)),
            ..Route::default()
        };
        let upstream = self.request_service(
            cluster,
            &forward.namespace,
            &forward.service,
            forward.port,
            &forward.request,
            now,
            rng,
        );
        let Some(Ok(exchange)) = upstream else {
            return Exchange {
                response: proxy.unavailable(),
                route,
            };
        };
        let mut response = proxy.proxied(exchange.response);
        for (name, value) in &forward.response_set {
            response.headers.set(name, value.clone());
        }
        for (name, value) in &forward.response_add {
            response.headers.push(name.clone(), value.clone());
        }
        for name in &forward.response_remove {
            response.headers.remove(name);
        }
        Exchange {
            response,
            route: Route {
                pod: exchange.route.pod,
                ..route
            },
        }
    }

    /// A request to one of a Service's ready endpoints, as a proxy sends it; `None` when the
    /// Service or a ready endpoint is missing.
    #[allow(clippy::too_many_arguments)]
    fn request_service(
        &mut self,
        cluster: &impl ClusterView,
        namespace: &str,
        name: &str,
        port: u16,
        req: &Request,
        now: Time,
        rng: &mut Rng,
    ) -> Option<Result<Exchange, ConnectError>> {
        let service = cluster
            .services()
            .find(|s| s.metadata.namespace == namespace && s.metadata.name == name)?;
        let service_port = kube_proxy::service_port(service, port)?;
        let endpoints = cluster.endpoints(namespace, name);
        let endpoint =
            self.kube_proxy
                .pick(service, service_port, endpoints, &req.client_ip, now, rng)?;
        let route = Route {
            service: Some(format!("{namespace}/{name}")),
            ..Route::default()
        };
        Some(self.deliver(cluster, &endpoint.ip, endpoint.port, req, now, route))
    }

    /// The last hop: the container in the pod at `ip` that listens on `port` answers.
    fn deliver(
        &mut self,
        cluster: &impl ClusterView,
        ip: &str,
        port: u16,
        req: &Request,
        now: Time,
        mut route: Route,
    ) -> Result<Exchange, ConnectError> {
        let pod = cluster
            .pod_by_ip(ip)
            .filter(|pod| cluster.reachable(pod))
            .ok_or(ConnectError::TimedOut)?;
        let container = pod
            .spec
            .containers
            .iter()
            .find(|c| is_running(pod, &c.name) && App::from_image(&c.image).listens_on(port))
            .ok_or(ConnectError::Refused)?;
        let app = App::from_image(&container.image);
        let state = self.app_state_mut(pod, &container.name);
        let response = app.serve(state, &pod.metadata.name, ip, req, now);
        if let Some(line) = app.request_log(req, response.status, now) {
            let index = pod
                .spec
                .containers
                .iter()
                .position(|c| c.name == container.name)
                .unwrap_or(0);
            self.request_logs
                .push((pod.metadata.uid.clone(), index, line));
        }
        let service = route
            .ingress_service
            .as_ref()
            .or(route.service.as_ref())
            .map(|s| s.rsplit('/').next().unwrap_or(s).to_string())
            .unwrap_or_default();
        self.requests.record(
            metrics::RequestLabels {
                namespace: pod.metadata.namespace.clone(),
                service,
                pod: pod.metadata.name.clone(),
                version: apps::image_tag(&container.image).to_string(),
                rollouts_pod_template_hash: pod
                    .metadata
                    .labels
                    .get("rollouts-pod-template-hash")
                    .cloned()
                    .unwrap_or_default(),
                code: response.status,
            },
            now,
        );
        route.pod = Some(PodRef {
            namespace: pod.metadata.namespace.clone(),
            name: pod.metadata.name.clone(),
            ip: ip.to_string(),
        });
        Ok(Exchange { response, route })
    }

    /// ingress-nginx: pick the backend, proxy to a pod IP, and rewrite the answer the way
    /// nginx's `proxy_pass` does (its own status line version, `Date` and connection
    /// headers; the upstream's `Server` and `Date` hidden).
    fn through_ingress(
        &mut self,
        cluster: &impl ClusterView,
        controller: &IngressController,
        req: &Request,
        now: Time,
        rng: &mut Rng,
        mut route: Route,
    ) -> Exchange {
        let routing = self
            .ingress_nginx
            .route(cluster, &controller.class, req, rng);
        let IngressRouting::Backend {
            ingress,
            canary,
            namespace,
            service,
            endpoint,
        } = routing
        else {
            return Exchange {
                response: ingress_page(404, now),
                route,
            };
        };
        route.ingress = Some(ingress);
        route.canary = canary;
        route.ingress_service = Some(format!("{namespace}/{service}"));
        let Some(endpoint) = endpoint else {
            return Exchange {
                response: ingress_page(503, now),
                route,
            };
        };
        let mut proxied = req.clone();
        proxied.client_ip = controller.pod_ip.clone();
        proxied
            .headers
            .set("X-Forwarded-For", req.client_ip.clone());
        proxied.headers.set("X-Real-IP", req.client_ip.clone());
        match self.deliver(
            cluster,
            &endpoint.ip,
            endpoint.port,
            &proxied,
            now,
            route.clone(),
        ) {
            Ok(exchange) => Exchange {
                response: proxied_response(exchange.response, now),
                route: exchange.route,
            },
            Err(_) => Exchange {
                response: ingress_page(502, now),
                route,
            },
        }
    }
}

/// ingress-nginx's own error pages (it hides its version and its `Server` header).
fn ingress_page(status: u16, now: Time) -> Response {
    let mut response = apps::nginx_error_page(status, "nginx", now);
    response.headers.remove("Server");
    response
}

fn proxied_response(upstream: Response, now: Time) -> Response {
    let mut headers = http::Headers::new();
    headers.push("Date", http::http_date(now));
    for (name, value) in upstream.headers.iter() {
        if !["Server", "Date", "Connection"]
            .iter()
            .any(|h| h.eq_ignore_ascii_case(name))
        {
            headers.push(name, value);
        }
    }
    headers.push("Connection", "keep-alive");
    Response {
        version: "HTTP/1.1".to_string(),
        headers,
        ..upstream
    }
}
