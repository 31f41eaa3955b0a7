//! # rollout-sim: a deterministic Kubernetes control plane for stateless apps
//!
//! The simulation behind Rollout Lab. It models the parts of a cluster that matter when
//! releasing a stateless app — Deployments, ReplicaSets, Pods, Services — and it behaves like
//! the upstream controllers do, step for step.
//!
//! ## Invariants
//! - **No web, no I/O, no wall clock.** Time only moves when the caller advances the virtual
//!   clock; all randomness comes from the cluster's seeded RNG. Same inputs and seed give the
//!   same state, byte for byte.
//! - **Nothing panics on user input.** Bad input becomes a typed error carrying the message a
//!   real API server would return.
//!
//! ## Layout
//! - [`clock`]: virtual time ([`clock::Time`], milliseconds); the only notion of "now".
//! - [`objects`]: typed API objects (Deployment, ReplicaSet, Pod, …) in Kubernetes' shape.
//! - [`controller`]: the Deployment controller, decomposed like upstream
//!   `pkg/controller/deployment` (`rolling`, `sync`, `recreate`, `progress`, `util`) and the
//!   ReplicaSet controller's pod ordering.
//! - [`scheduler`]: kube-scheduler's filters and scores: where a pending pod may go, and why
//!   it may go nowhere.
//! - [`kubelet`]: binds what the scheduler placed; pulls, starts, probes, restarts, stops.
//! - [`network`]: kube-proxy, ingress routing, DNS, the apps and curl.
//! - [`cluster`]: composes the parts above and runs their loops on the virtual clock.
//! - [`manifest`]: manifest text → typed objects (kubectl's parsing, the API server's strict
//!   decoding and defaulting) and objects → `kubectl get -o yaml|json` text.
//! - [`addons`]: what is installed on top of Kubernetes (ingress-nginx), each behind
//!   [`cluster::Addon`].
//! - [`apiserver`]: the state every component shares — the store, the clock, timers, events —
//!   below the controllers, the kubelet and the add-ons; [`cluster`] composes them.
//! - [`api`]: the API server's errors (`ApiError`, with kubectl's exact text) and validation.
//! - [`conformance`]: runs the upstream unit-test cases (`cases.json`) against [`controller`].

/// The Kubernetes release the lab is: its API server's `/version`, its kubelets' version, and
/// the kubectl on its machine (`kubectl version`). One patch release everywhere: v1.30.13,
/// the kubectl v1.30 client the differential test runs.
pub const KUBERNETES_VERSION: &str = "v1.30.13";

pub mod addons;
pub mod api;
pub mod apiserver;
pub mod clock;
pub mod cluster;
/// Test tooling for the headless runner; the page does not need it.
#[cfg(not(target_arch = "wasm32"))]
pub mod conformance;
pub mod controller;
pub mod kubelet;
pub mod manifest;
pub mod network;
pub mod objects;
pub mod rng;
pub mod scheduler;
pub mod strconv;
