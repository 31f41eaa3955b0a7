//! # rollout-apiserver: the lab's cluster as the Kubernetes REST API (native only)
//!
//! `rollout-lab apiserver` serves the simulated cluster on the loopback interface so that a
//! real kubectl (or any client) can drive it, and the differential test can make the real
//! kubectl v1.30 the judge of what the lab's own kubectl prints. It is a thin HTTP edge over
//! the same layers the page uses; nothing of it is in the page's bundle.
//!
//! Layout:
//! - [`http`]: the HTTP/1.1 subset (bounded requests, chunked watch streams).
//! - [`api`]: paths to [`api::Target`]s, and the verbs: get, list, create, update, patch
//!   (JSON, merge and strategic merge, server-side apply), delete (with a propagation
//!   policy), the `scale` subresource, `dryRun=All`.
//! - [`discovery`]: `/api`, `/apis`, the resource lists, from `objects::KINDS`; aggregated
//!   (`apidiscovery.k8s.io/v2`) when the client asks for it.
//! - [`metrics`]: `metrics.k8s.io/v1beta1` (PodMetrics, NodeMetrics) once metrics-server is
//!   installed: 503 until its pod is ready, then the add-on's last scrape (`kubectl top`).
//! - [`convert`]: `autoscaling/v1` HorizontalPodAutoscalers, served from the `v2` objects.
//! - [`openapi`]: OpenAPI v3 as kubectl's apply, field validation and explain read it, with
//!   the lab's schemas (`rollout_kubectl::openapi`) as its `components.schemas`; and OpenAPI
//!   v2 (`/openapi/v2`, Swagger 2.0) built from those same schemas, for
//!   `explain --output=plaintext-openapiv2`.
//! - [`gnostic`]: the v2 document as gnostic's `openapi_v2.Document` protobuf, the form
//!   client-go asks for (a hand-written encoder for the few messages it uses).
//! - [`listing`]: a kind's objects selected by namespace, labels and fields, as JSON and as
//!   server-side Table rows computed by the lab's own printers (`printers::kinds`).
//! - [`watch`]: watches as streams of changes, checked after every write and clock step.
//! - [`history`]: the last states of the cluster by resourceVersion, so a watch from the
//!   version a client listed at is sent what changed since (or `410 Gone` when too old).
//! - [`wall`]: timestamps mapped onto the wall clock, for the ages clients compute.
//! - [`status`]: errors as `Status` objects, from the simulation's `ApiError`.
//! - [`websocket`]: the WebSocket handshake and frames kubectl's remote commands ride on.
//! - [`exec`]: `pods/NAME/exec` upgraded to a WebSocket (`v5.channel.k8s.io`): the lab's own
//!   `kubectl exec` line, its output on the stream channels, its exit on the status channel.
//! - [`spdy`], [`port_forward`]: `pods/NAME/portforward` upgraded to SPDY/3.1: each local
//!   connection's request carried to the pod's port, the app's answer carried back.
//! - [`server`]: the loop — connection threads, the lab on one thread, the virtual clock
//!   (`POST /lab/advance?seconds=N`, or `--speed X` following the wall clock), the kubeconfig.
//!
//! **Invariant:** the simulation stays deterministic; only the server loop reads the wall
//! clock, and only to decide how far to advance the virtual one.

pub mod api;
pub mod convert;
pub mod discovery;
pub mod exec;
pub mod gnostic;
pub mod history;
pub mod http;
pub mod listing;
pub mod metrics;
pub mod openapi;
pub mod port_forward;
pub mod server;
pub mod spdy;
pub mod status;
pub mod wall;
pub mod watch;
pub mod websocket;

pub use server::{bind, kubeconfig, serve, Bound, ServeError, Server};
