//! The API server's input side: manifest text → typed objects, exactly as kubectl 1.30 and
//! kube-apiserver 1.30 accept or reject it — and typed objects → the text `kubectl get -o
//! yaml|json` prints.
//!
//! **Invariant:** YAML never leaves this module. Callers see [`crate::objects::Object`]s,
//! [`ManifestError`]s whose `Display` is kubectl's stderr, and strings of output.
//!
//! The pipeline of `kubectl apply -f deploy.yaml`, stage by stage:
//! 1. [`yaml`]: split into documents, YAML → JSON with go-yaml v2's rules ([`libyaml`] is the
//!    same parser go-yaml ports, so errors and line numbers match).
//! 2. [`decode`]: kubectl's `apiVersion`/`kind` checks and REST mapping, then the server's
//!    strict decoding against the Go types ([`schema`]).
//! 3. [`defaults`]: server-side defaulting (`replicas: 1`, `maxSurge: 25%`, …).
//! 4. [`crate::api::validation`]: create/update validation (not in this module).
//! 5. [`encode`]: printing objects back, for `get -o yaml` and `edit`.

pub mod custom;
pub mod decode;
pub mod defaults;
pub mod encode;
pub mod go_json;
mod libyaml;
pub mod schema;
pub mod yaml;

pub use decode::{
    decode_object, decode_object_for, parse_manifests, parse_manifests_for, ManifestError,
};
pub use defaults::apply_defaults;
pub use encode::{to_json, to_yaml};
