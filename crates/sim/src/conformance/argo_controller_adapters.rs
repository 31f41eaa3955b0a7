//! Adapters for the cases of Argo Rollouts' controller (`tests/conformance/
//! argo-rollouts-controller.json`): the unit tests of upstream's `rollout/` package, run
//! against [`crate::addons::argo_rollouts::controller`], and of the `utils/conditions` and
//! `utils/rollout` helpers, run against [`crate::addons::argo_rollouts::utils`].
//!
//! Function names say where upstream's function lives: `rolloutContext.<method>`,
//! `Controller.<method>`, `conditions.<Func>`, `rolloututil.<Func>` (the `utils/rollout`
//! package, as the controller imports it).
//!
//! Inputs are API objects in their own JSON (`metadata`, `spec`, `status`, Argo's and
//! Kubernetes' field names), decoded into the simulator's types; a key the type does not
//! read is an error unless its value is empty (`false`, `0`, `""`, `null`, `[]`, `{}`), so a
//! typo cannot pass unnoticed. An unset `spec.replicas` of a ReplicaSet reads as 1 (the API
//! default).
//!
//! Time stands still at [`NOW`], 2024-01-01T00:00:00Z: the Go tests' `time.Now()` is that
//! instant, and their `now.Add(-time.Minute)` is written `2023-12-31T23:59:00Z`.
//!
//! A `rolloutContext.*` case is a `rolloutContext` literal, as the Go test builds it:
//! - `rollout`, `newRS`, `stableRS`, `allRSs`, `otherRSs` — the context's fields;
//! - `pauseContext`: `{"addAbort": bool, "removeAbort": bool}`;
//! - `services`, `deployments` — what the listers and the fake clientset hold;
//! - the method's arguments: `rs` (`isReplicaSetReferenced`), `prevStatus` and `newStatus`
//!   (`sendStateChangeEvents`), `newStatus` (`shouldFullPromote`), `targetScale`
//!   (`scaleDeployment`).
//!
//! Every ReplicaSet, Service and Deployment named goes into a bare cluster's store (nothing
//! is settled) and the method runs once. Observed, besides what it returns:
//! `replicaSetReplicas` (name → `spec.replicas` after the call), `changedReplicaSets` and
//! `deletedReplicaSets` (names, sorted), `rolloutWritten` (the Rollout's stored object
//! changed: upstream's argoproj clientset saw an action), `eventReasons` (recorded during the
//! call, in order), `deploymentReplicas` and `serviceSelectors` (name → the
//! `rollouts-pod-template-hash` in its selector, `""` for none).

use super::input::{self, Object};
use super::{CaseError, Observed};
use crate::addons::argo_rollouts::controller::conformance::{
    self as hooks, ContextParts, Method, Returned,
};
use crate::addons::argo_rollouts::utils::{self, conditions, hash, phase};
use crate::apiserver::ObjectKey;
use crate::clock::Time;
use crate::cluster::Cluster;
use crate::objects::timestamp::parse_rfc3339;
use crate::objects::{CanaryStep, Deployment, ReplicaSet, Rollout, RolloutStatus, Service};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// The instant every case runs at.
pub const NOW: &str = "2024-01-01T00:00:00Z";

fn now() -> Time {
    parse_rfc3339(NOW).unwrap_or(Time(0))
}

/// Runs a function of Argo Rollouts' controller or its utils, or says it is unknown.
pub fn run(function: &str, input: &Object, out: &mut Observed) -> Result<(), CaseError> {
    if let Some(method) = function.strip_prefix("rolloutContext.") {
        return context_case(method, input, out);
    }
    match function {
        "Controller.getReplicaSetsForRollouts" => {
            only_keys(input, "input", &["rollout", "existingRSs"])?;
            let rollout: Rollout = required(input, "rollout")?;
            let mut cluster = Cluster::new(0);
            for rs in list::<ReplicaSet>(input, "existingRSs")? {
                cluster
                    .api
                    .store
                    .replica_sets
                    .insert(key_of(&rs.metadata), rs);
            }
            out.set(
                "selectedRSs",
                hooks::replica_sets_for_rollout(&cluster, &rollout),
            );
        }
        "conditions.RolloutProgressing" => {
            only_keys(input, "input", &["rollout", "newStatus"])?;
            let rollout: Rollout = required(input, "rollout")?;
            let new_status: RolloutStatus = required(input, "newStatus")?;
            out.set(
                "progressing",
                conditions::rollout_progressing(&rollout, &new_status),
            );
        }
        "conditions.RolloutHealthy" => {
            // The Go test passes the Rollout's own status as the new one.
            only_keys(input, "input", &["rollout"])?;
            let rollout: Rollout = required(input, "rollout")?;
            out.set(
                "healthy",
                conditions::rollout_healthy(&rollout, &rollout.status),
            );
        }
        "conditions.RolloutCompleted" => {
            only_keys(input, "input", &["newStatus"])?;
            let new_status: RolloutStatus = required(input, "newStatus")?;
            out.set("completed", conditions::rollout_completed(&new_status));
        }
        "conditions.RolloutTimedOut" => {
            only_keys(input, "input", &["rollout", "newStatus"])?;
            let rollout: Rollout = required(input, "rollout")?;
            let new_status: RolloutStatus = required(input, "newStatus")?;
            out.set(
                "timedOut",
                conditions::rollout_timed_out(&rollout, &new_status, now()),
            );
        }
        "conditions.ComputeStepHash" => {
            only_keys(input, "input", &["rollout"])?;
            let rollout: Rollout = required(input, "rollout")?;
            out.set("hash", hash::compute_step_hash(&rollout));
        }
        "rolloututil.GetRolloutPhase" => {
            only_keys(input, "input", &["rollout"])?;
            let rollout: Rollout = required(input, "rollout")?;
            let (status, message) = phase::get_rollout_phase(&rollout);
            out.set("phase", status.as_str());
            out.set("message", message);
        }
        "rolloututil.IsFullyPromoted" => {
            only_keys(input, "input", &["rollout"])?;
            let rollout: Rollout = required(input, "rollout")?;
            out.set("fullyPromoted", phase::is_fully_promoted(&rollout));
        }
        "rolloututil.isGenerationObserved" => {
            only_keys(input, "input", &["rollout"])?;
            let rollout: Rollout = required(input, "rollout")?;
            out.set("observed", phase::is_generation_observed(&rollout));
        }
        "rolloututil.CanaryStepString" => {
            only_keys(input, "input", &["step"])?;
            let step: CanaryStep = required(input, "step")?;
            out.set("string", phase::canary_step_string(&step));
        }
        "rolloututil.IsDynamicallyRollingBackToStable" => {
            only_keys(input, "input", &["rollout", "desiredRS"])?;
            let rollout: Rollout = required(input, "rollout")?;
            let desired: ReplicaSet = required(input, "desiredRS")?;
            let rolling_back = phase::is_dynamically_rolling_back_to_stable(&rollout, &desired);
            out.set("rollingBackToStable", rolling_back.is_some());
        }
        other => {
            return Err(CaseError::Unsupported(format!(
                "unknown function `{other}`"
            )))
        }
    }
    Ok(())
}

/// A `rolloutContext` method: the context from the input, the call, what it wrote.
fn context_case(method: &str, input: &Object, out: &mut Observed) -> Result<(), CaseError> {
    const CONTEXT_KEYS: [&str; 8] = [
        "rollout",
        "newRS",
        "stableRS",
        "allRSs",
        "otherRSs",
        "pauseContext",
        "services",
        "deployments",
    ];
    let (call, arguments, result_key): (Method, &[&str], &str) = match method {
        "reconcileNewReplicaSet" => (Method::ReconcileNewReplicaSet, &[], "scaled"),
        "reconcileOtherReplicaSets" => (Method::ReconcileOtherReplicaSets, &[], "scaled"),
        "isReplicaSetReferenced" => (
            Method::IsReplicaSetReferenced(required(input, "rs")?),
            &["rs"],
            "referenced",
        ),
        "reconcileRevisionHistoryLimit" => (Method::ReconcileRevisionHistoryLimit, &[], ""),
        "sendStateChangeEvents" => (
            Method::SendStateChangeEvents {
                previous: required(input, "prevStatus")?,
                new: required(input, "newStatus")?,
            },
            &["prevStatus", "newStatus"],
            "",
        ),
        "shouldFullPromote" => (
            Method::ShouldFullPromote(required(input, "newStatus")?),
            &["newStatus"],
            "promotionMessage",
        ),
        "isRollbackWithinWindow" => (Method::IsRollbackWithinWindow, &[], "withinWindow"),
        "reconcileStableAndCanaryService" => (Method::ReconcileStableAndCanaryService, &[], ""),
        "calculateDesiredWeightOnAbortOrStableRollback" => (
            Method::CalculateDesiredWeightOnAbortOrStableRollback,
            &[],
            "desiredWeight",
        ),
        "scaleDeployment" => (
            Method::ScaleDeployment(input::req_i32(input, &["targetScale"])?),
            &["targetScale"],
            "",
        ),
        other => {
            return Err(CaseError::Unsupported(format!(
                "unknown function `rolloutContext.{other}`"
            )))
        }
    };
    let allowed: Vec<&str> = CONTEXT_KEYS.iter().chain(arguments).copied().collect();
    only_keys(input, "input", &allowed)?;

    let empty = Object::new();
    let pause = input::opt_object(input, "pauseContext")?.unwrap_or(&empty);
    only_keys(pause, "pauseContext", &["addAbort", "removeAbort"])?;
    let parts = ContextParts {
        rollout: required(input, "rollout")?,
        new_rs: optional(input, "newRS")?,
        stable_rs: optional(input, "stableRS")?,
        all_rss: list(input, "allRSs")?,
        other_rss: list(input, "otherRSs")?,
        add_abort: input::bool_or(pause, "addAbort", false)?,
        remove_abort: input::bool_or(pause, "removeAbort", false)?,
    };

    let mut cluster = Cluster::new(0);
    cluster.api.now = now();
    let store = &mut cluster.api.store;
    store
        .rollouts
        .insert(key_of(&parts.rollout.metadata), parts.rollout.clone());
    let named_rss = parts
        .new_rs
        .iter()
        .chain(&parts.stable_rs)
        .chain(&parts.all_rss)
        .chain(&parts.other_rss);
    for rs in named_rss {
        let key = key_of(&rs.metadata);
        match store.replica_sets.get(&key) {
            Some(stored) if stored != rs => {
                return Err(CaseError::BadInput(format!(
                    "ReplicaSet {:?} differs between the lists it is in",
                    rs.metadata.name
                )))
            }
            Some(_) => {}
            None => {
                store.replica_sets.insert(key, rs.clone());
            }
        }
    }
    for service in list::<Service>(input, "services")? {
        store.services.insert(key_of(&service.metadata), service);
    }
    for deployment in list::<Deployment>(input, "deployments")? {
        store
            .deployments
            .insert(key_of(&deployment.metadata), deployment);
    }
    let replica_sets_before = cluster.api.store.replica_sets.clone();
    let rollout_before = parts.rollout.clone();
    let events_before = cluster.api.events.all().len();

    match hooks::call(&mut cluster, parts, call) {
        Returned::Nothing => {}
        Returned::Bool(value) => out.set(result_key, value),
        Returned::Text(text) => out.set(result_key, text),
        Returned::Int(value) => out.set(result_key, value),
    }

    let store = &cluster.api.store;
    let replica_sets = &store.replica_sets;
    let names = |keys: Vec<&ObjectKey>| -> Vec<String> {
        let mut names: Vec<String> = keys.into_iter().map(|key| key.name.clone()).collect();
        names.sort();
        names
    };
    out.set(
        "replicaSetReplicas",
        replica_sets
            .values()
            .map(|rs| (rs.metadata.name.clone(), json!(rs.spec.replicas)))
            .collect::<Map<String, Value>>(),
    );
    out.set(
        "changedReplicaSets",
        names(
            replica_sets_before
                .iter()
                .filter(|(key, rs)| replica_sets.get(*key).is_some_and(|now| now != *rs))
                .map(|(key, _)| key)
                .collect(),
        ),
    );
    out.set(
        "deletedReplicaSets",
        names(
            replica_sets_before
                .keys()
                .filter(|key| !replica_sets.contains_key(*key))
                .collect(),
        ),
    );
    let rollout_key = key_of(&rollout_before.metadata);
    out.set(
        "rolloutWritten",
        store.rollouts.get(&rollout_key) != Some(&rollout_before),
    );
    out.set(
        "eventReasons",
        cluster.api.events.all()[events_before..]
            .iter()
            .map(|event| event.reason.clone())
            .collect::<Vec<_>>(),
    );
    out.set(
        "deploymentReplicas",
        store
            .deployments
            .values()
            .map(|d| (d.metadata.name.clone(), json!(d.spec.replicas)))
            .collect::<Map<String, Value>>(),
    );
    out.set(
        "serviceSelectors",
        store
            .services
            .values()
            .map(|svc| {
                let hash = svc.spec.selector.get(utils::ROLLOUTS_POD_TEMPLATE_HASH);
                (
                    svc.metadata.name.clone(),
                    json!(hash.cloned().unwrap_or_default()),
                )
            })
            .collect::<Map<String, Value>>(),
    );
    Ok(())
}

fn key_of(metadata: &crate::objects::ObjectMeta) -> ObjectKey {
    ObjectKey::new(&metadata.namespace, &metadata.name)
}

fn only_keys(object: &Object, what: &str, allowed: &[&str]) -> Result<(), CaseError> {
    match object.keys().find(|key| !allowed.contains(&key.as_str())) {
        Some(key) => Err(CaseError::BadInput(format!(
            "unknown key `{key}` in {what}"
        ))),
        None => Ok(()),
    }
}

/// `input[key]` decoded as a `T`; missing or null is an error.
fn required<T: DeserializeOwned + Serialize>(input: &Object, key: &str) -> Result<T, CaseError> {
    optional(input, key)?.ok_or_else(|| CaseError::BadInput(format!("missing `{key}`")))
}

/// `input[key]` decoded as a `T`; missing or null is `None`.
fn optional<T: DeserializeOwned + Serialize>(
    input: &Object,
    key: &str,
) -> Result<Option<T>, CaseError> {
    match input.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => decode(key, value).map(Some),
    }
}

/// `input[key]`, an array of `T`s (absent = empty).
fn list<T: DeserializeOwned + Serialize>(input: &Object, key: &str) -> Result<Vec<T>, CaseError> {
    input::array(input, key)?
        .iter()
        .map(|item| decode(key, item))
        .collect()
}

/// Decodes `value`, then checks that every non-empty key of it survived the round trip
/// through the type: one that did not is a key the type does not have.
fn decode<T: DeserializeOwned + Serialize>(what: &str, value: &Value) -> Result<T, CaseError> {
    let typed: T = serde_json::from_value(value.clone())
        .map_err(|err| CaseError::BadInput(format!("`{what}`: {err}")))?;
    let back = serde_json::to_value(&typed)
        .map_err(|err| CaseError::BadInput(format!("`{what}`: {err}")))?;
    match unread_key(value, &back, what) {
        Some(path) => Err(CaseError::BadInput(format!("unknown key `{path}`"))),
        None => Ok(typed),
    }
}

fn unread_key(input: &Value, back: &Value, path: &str) -> Option<String> {
    match (input, back) {
        (Value::Object(input), Value::Object(back)) => input.iter().find_map(|(key, value)| {
            let path = format!("{path}.{key}");
            match back.get(key) {
                Some(read) => unread_key(value, read, &path),
                None if is_empty(value) => None,
                None => Some(path),
            }
        }),
        (Value::Array(input), Value::Array(back)) if input.len() == back.len() => input
            .iter()
            .zip(back)
            .enumerate()
            .find_map(|(i, (value, read))| unread_key(value, read, &format!("{path}[{i}]"))),
        _ => None,
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
    }
}
