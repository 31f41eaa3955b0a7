//! `kubectl wait --for=…`: blocks on the virtual clock until every selected object meets the
//! condition (`condition=NAME[=VALUE]`, `delete`, `jsonpath={…}[=VALUE]`), or `--timeout`
//! (30 s unless told) runs out. Like kubectl, it waits for the objects one after the other
//! against one deadline, prints `KIND/NAME condition met` for each as it is met, and reports
//! what failed at the end: one failure as `error: …`, several one per line.

use super::more_verbs::more_verbs;
use super::{Ctx, Flow, Waiting};
use crate::args::{self, boolean, value};
use crate::error::KubectlError;
use crate::resource::parse_targets;
use crate::selector::Selector;
use crate::Output;
use rollout_sim::api::ApiError;
use rollout_sim::clock::{Duration, Time};
use rollout_sim::cluster::Cluster;
use rollout_sim::manifest::encode::to_value;
use rollout_sim::objects::Kind;
use serde_json::Value;
use std::collections::VecDeque;

const COMMAND: &str = "kubectl wait";

/// kubectl's default `--timeout`.
const DEFAULT_TIMEOUT: Duration = Duration(30_000);

/// What a negative `--timeout` means: a week.
const A_WEEK: Duration = Duration(168 * 3600 * 1000);

/// What `--for` asks of each object.
#[derive(Clone, Debug, PartialEq)]
enum Condition {
    /// `--for=delete`: the object is gone (or replaced by one with another UID).
    Delete,
    /// `--for=condition=NAME[=VALUE]`: a `status.conditions` entry of that type with that
    /// status (`True` unless told), compared case-insensitively, observed at the object's
    /// current generation.
    Status { name: String, value: String },
    /// `--for=jsonpath={…}[=VALUE]`: the expression leads to one value, equal to `value`
    /// (any value when `None`).
    JsonPath {
        expression: String,
        value: Option<String>,
    },
}

impl Condition {
    /// kubectl's `conditionFuncFor`, with its errors.
    fn parse(text: &str) -> Result<Condition, KubectlError> {
        if text.eq_ignore_ascii_case("delete") {
            return Ok(Condition::Delete);
        }
        if let Some(rest) = text.strip_prefix("condition=") {
            let (name, value) = rest.split_once('=').unwrap_or((rest, "true"));
            return Ok(Condition::Status {
                name: name.to_string(),
                value: value.to_string(),
            });
        }
        if let Some(input) = text.strip_prefix("jsonpath=") {
            let parts = split_json_path_input(input);
            if parts.len() > 2 {
                return Err(KubectlError::plain("jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'"));
            }
            let expression =
                more_verbs()?.jsonpath_relaxed(parts.first().map_or("", String::as_str))?;
            let value = match parts.get(1).map(|v| v.trim_matches(['\'', '"'])) {
                Some("") => return Err(KubectlError::plain("jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3")),
                Some(value) => Some(value.to_string()),
                None => None,
            };
            if expression.is_empty() {
                return Err(KubectlError::plain("jsonpath expression cannot be empty"));
            }
            // Parse errors come now, before any object is looked at.
            more_verbs()?.jsonpath_check(&expression)?;
            return Ok(Condition::JsonPath { expression, value });
        }
        Err(KubectlError::plain(format!(
            "unrecognized condition: {}",
            rollout_sim::api::go_quote(text)
        )))
    }

    /// Whether `object` (as the API serves it) meets the condition; `Err` is kubectl's
    /// error for a JSONPath that leads to something it cannot compare.
    fn met(&self, object: &Value) -> Result<bool, String> {
        match self {
            Condition::Delete => Ok(false),
            Condition::Status { name, value } => Ok(status_condition_met(object, name, value)),
            Condition::JsonPath { expression, value } => {
                let found = more_verbs()
                    .and_then(|verbs| verbs.jsonpath_find(expression, object))
                    .map_err(|e| e.to_string())?;
                match found.as_slice() {
                    [] => Ok(false),
                    [_, _, ..] => {
                        Err("given jsonpath expression matches more than one value".into())
                    }
                    [_] if value.is_none() => Ok(true),
                    [Value::Object(_) | Value::Array(_)] => Err(
                        "jsonpath leads to a nested object or list which is not supported".into(),
                    ),
                    [one] => Ok(value
                        .as_deref()
                        .is_some_and(|v| rollout_sim::api::go::sprint(one).trim() == v.trim())),
                }
            }
        }
    }
}

/// kubectl's `splitJSONPathInput`: split at each single `=`; a `==` (a filter's) stays.
fn split_json_path_input(input: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut rest = input;
    while let Some(at) = rest.find('=') {
        let last = parts.len() - 1;
        parts[last].push_str(&rest[..at]);
        if rest[at + 1..].starts_with('=') {
            parts[last].push_str("==");
            rest = &rest[at + 2..];
        } else {
            parts.push(String::new());
            rest = &rest[at + 1..];
        }
    }
    let last = parts.len() - 1;
    parts[last].push_str(rest);
    parts
}

/// kubectl's `ConditionalWait.checkCondition`.
fn status_condition_met(object: &Value, name: &str, wanted: &str) -> bool {
    let Some(conditions) = object["status"]["conditions"].as_array() else {
        return false;
    };
    let generation = object["metadata"]["generation"].as_i64();
    for condition in conditions {
        let Some(type_) = condition["type"].as_str() else {
            continue;
        };
        if !type_.eq_ignore_ascii_case(name) {
            continue;
        }
        let Some(status) = condition["status"].as_str() else {
            continue;
        };
        if let Some(generation) = generation {
            let observed = condition["observedGeneration"]
                .as_i64()
                .or_else(|| object["status"]["observedGeneration"].as_i64());
            if observed.is_some_and(|observed| observed < generation) {
                return false;
            }
        }
        return status.to_lowercase() == wanted.to_lowercase();
    }
    false
}

/// One object to wait for, in the order kubectl visits them.
#[derive(Clone, Debug)]
struct Target {
    kind: Kind,
    namespace: String,
    name: String,
    /// The UID when listed (`-l`, `--all`); `None` for an object named on the command line,
    /// which kubectl looks up only when its turn comes. A new object of the same name
    /// counts as the old one deleted.
    uid: Option<String>,
}

/// A running `kubectl wait`.
#[derive(Clone, Debug)]
pub struct WaitFor {
    condition: Condition,
    targets: VecDeque<Target>,
    /// `None` for `--timeout=0`: look once and do not wait.
    deadline: Option<Time>,
    /// `-o name`: print `KIND/NAME` without ` condition met`.
    names_only: bool,
    /// Whether the object at the front was looked at already (kubectl lists it first, and
    /// an object missing by then is NotFound; later it only waits).
    front_seen: bool,
    failures: Vec<String>,
}

pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    let args = args::parse(
        COMMAND,
        argv,
        &[
            value("for", None),
            value("timeout", None),
            value("selector", Some('l')),
            value("field-selector", None),
            boolean("all", None),
            boolean("all-namespaces", Some('A')),
            value("filename", Some('f')),
            value("output", Some('o')),
            boolean("recursive", Some('R')),
            boolean("local", None),
        ],
    )?;
    let timeout = match args.duration(COMMAND, "timeout")? {
        None => DEFAULT_TIMEOUT,
        Some(millis) if millis < 0 => A_WEEK,
        Some(millis) => Duration(millis),
    };
    let names_only = match args.value("output") {
        None | Some("") => false,
        Some("name") => true,
        Some(other) => return Err(KubectlError::plain(format!(
            "unable to match a printer suitable for the output format \"{other}\", allowed formats are: name"
        ))),
    };
    let condition = Condition::parse(args.value("for").unwrap_or(""))?;
    if args.is_set("filename") {
        return Err(KubectlError::plain(
            "\"kubectl wait -f\" is not simulated in Rollout Lab (name the objects instead)",
        ));
    }
    if args.positional.is_empty() {
        return Err(KubectlError::plain(super::NO_RESOURCES));
    }
    let namespace = args.namespace().to_string();
    let selector = Selector::parse(args.value("selector").unwrap_or(""))?;
    let listing = args.is_set("selector") || args.flag("all");
    let mut targets = VecDeque::new();
    for (kind, name) in parse_targets(&args.positional, ctx.cluster)? {
        let namespace = if kind.is_namespaced() {
            namespace.as_str()
        } else {
            ""
        };
        match name {
            Some(name) => targets.push_back(Target {
                kind,
                namespace: namespace.to_string(),
                name,
                uid: None,
            }),
            None if !listing => {
                return Err(KubectlError::plain(
                    "resource(s) were provided, but no name was specified",
                ))
            }
            None => {
                let namespaces: Vec<String> = if args.flag("all-namespaces") {
                    ctx.cluster.store().namespaces.keys().cloned().collect()
                } else {
                    vec![namespace.to_string()]
                };
                for ns in namespaces {
                    for (ns, name, labels) in super::apply::list(ctx.cluster, kind, &ns) {
                        if !selector.matches(&labels) {
                            continue;
                        }
                        let uid = ctx
                            .cluster
                            .get(kind, &ns, &name)
                            .map(|o| o.metadata().uid.clone());
                        targets.push_back(Target {
                            kind,
                            namespace: ns,
                            name,
                            uid,
                        });
                    }
                }
            }
        }
    }
    if targets.is_empty() {
        return match condition {
            Condition::Delete => Ok(Flow::Done),
            _ => Err(KubectlError::plain("no matching resources found")),
        };
    }
    let mut wait = WaitFor {
        condition,
        targets,
        deadline: (timeout != Duration::ZERO).then(|| ctx.cluster.now() + timeout),
        names_only,
        front_seen: false,
        failures: Vec::new(),
    };
    match wait.poll(ctx.cluster, ctx.out) {
        Some(result) => result.map(|()| Flow::Done),
        None => Ok(Flow::Wait(Waiting::Wait(Box::new(wait)))),
    }
}

impl WaitFor {
    /// When the wait gives up, for the caller's clock to stop there.
    pub fn deadline(&self) -> Option<Time> {
        self.deadline
    }

    /// Checks the objects in turn; `Some` once every one is met or failed.
    pub fn poll(
        &mut self,
        cluster: &Cluster,
        out: &mut Output,
    ) -> Option<Result<(), KubectlError>> {
        while let Some(target) = self.targets.front().cloned() {
            let Target {
                kind,
                namespace,
                name,
                uid,
            } = target;
            let first_look = !self.front_seen;
            self.front_seen = true;
            let object = cluster.get(kind, &namespace, &name);
            if first_look {
                match (&object, uid.is_none(), &self.condition) {
                    // Named and not there: nothing to wait for, or NotFound.
                    (None, true, Condition::Delete) => {
                        self.next();
                        continue;
                    }
                    (None, _, Condition::Delete) => {}
                    (None, _, _) => {
                        self.failures
                            .push(ApiError::not_found(kind, name).to_string());
                        self.next();
                        continue;
                    }
                    (Some(o), true, _) => {
                        if let Some(front) = self.targets.front_mut() {
                            front.uid = Some(o.metadata().uid.clone());
                        }
                    }
                    _ => {}
                }
            }
            let uid = self.targets.front().and_then(|t| t.uid.clone());
            let met = match (&self.condition, &object) {
                (Condition::Delete, None) => Ok(true),
                (Condition::Delete, Some(o)) => Ok(uid.is_some_and(|uid| o.metadata().uid != uid)),
                (_, None) => Ok(false),
                (condition, Some(o)) => condition.met(&to_value(o)),
            };
            match met {
                Ok(true) => {
                    out.stdout.push_str(&crate::printers::success_line(
                        kind,
                        &name,
                        if self.names_only { "" } else { "condition met" },
                    ));
                    self.next();
                }
                Err(why) => {
                    self.failures.push(why);
                    self.next();
                }
                Ok(false) => match self.deadline {
                    None => {
                        self.failures
                            .push(format!("condition not met for {}/{name}", kind.resource()));
                        self.next();
                    }
                    Some(deadline) if cluster.now() >= deadline => {
                        // The one deadline has passed for every object still to come.
                        for Target { kind, name, .. } in std::mem::take(&mut self.targets) {
                            self.failures.push(format!(
                                "timed out waiting for the condition on {}/{name}",
                                kind.resource()
                            ));
                        }
                    }
                    Some(_) => return None,
                },
            }
        }
        Some(self.finish())
    }

    fn next(&mut self) {
        self.targets.pop_front();
        self.front_seen = false;
    }

    fn finish(&mut self) -> Result<(), KubectlError> {
        crate::error::aggregate(std::mem::take(&mut self.failures))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn conditions_parse_as_kubectl_reads_the_for_flag() {
        assert_eq!(Condition::parse("DELETE").unwrap(), Condition::Delete);
        assert_eq!(
            Condition::parse("condition=Available").unwrap(),
            Condition::Status {
                name: "Available".into(),
                value: "true".into()
            }
        );
        assert_eq!(
            Condition::parse("condition=Ready=false").unwrap(),
            Condition::Status {
                name: "Ready".into(),
                value: "false".into()
            }
        );
        assert_eq!(
            Condition::parse("jsonpath={.status.readyReplicas}='3'").unwrap(),
            Condition::JsonPath {
                expression: "{.status.readyReplicas}".into(),
                value: Some("3".into())
            }
        );
        let error = |text: &str| Condition::parse(text).unwrap_err().to_string();
        assert_eq!(error(""), "error: unrecognized condition: \"\"");
        assert_eq!(error("bogus"), "error: unrecognized condition: \"bogus\"");
        assert_eq!(
            error("jsonpath="),
            "error: jsonpath expression cannot be empty"
        );
        assert_eq!(
            error("jsonpath={.a}="),
            "error: jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3"
        );
        assert!(error("jsonpath={.a}=1=2").starts_with("error: jsonpath wait format must be"));
        assert!(error("jsonpath={.a").starts_with("error: unexpected path string"));
    }

    #[test]
    fn a_condition_counts_only_at_the_observed_generation() {
        let available = |generation: i64, observed: i64| {
            json!({
                "metadata": {"generation": generation},
                "status": {"observedGeneration": observed,
                           "conditions": [{"type": "Available", "status": "True"}]}
            })
        };
        assert!(status_condition_met(&available(2, 2), "available", "true"));
        assert!(!status_condition_met(&available(3, 2), "Available", "True"));
        assert!(!status_condition_met(
            &available(2, 2),
            "Available",
            "False"
        ));
        assert!(!status_condition_met(
            &available(2, 2),
            "Progressing",
            "True"
        ));
    }

    #[test]
    fn jsonpath_conditions_compare_one_scalar() {
        let deployment =
            json!({"status": {"readyReplicas": 4, "conditions": [{"type": "A"}, {"type": "B"}]}});
        let met = |text: &str| Condition::parse(text).unwrap().met(&deployment);
        assert_eq!(met("jsonpath={.status.readyReplicas}=4"), Ok(true));
        assert_eq!(met("jsonpath=.status.readyReplicas=3"), Ok(false));
        assert_eq!(met("jsonpath={.status.readyReplicas}"), Ok(true));
        assert_eq!(met("jsonpath={.status.missing}"), Ok(false));
        assert_eq!(
            met("jsonpath={.status}=x"),
            Err("jsonpath leads to a nested object or list which is not supported".into())
        );
        assert_eq!(
            met("jsonpath={.status.conditions[*].type}=A"),
            Err("given jsonpath expression matches more than one value".into())
        );
    }
}
