//! The traffic panel's data: every curl answer the page saw, stamped with virtual time, and
//! the steady client ("send traffic") that asks the cluster once per virtual second.
//!
//! Plain Rust with no signals. Answers come from two places: the client, which calls the
//! cluster's own curl (so the request takes the same kube-proxy / ingress-nginx path as a
//! typed `curl`), and the terminal, whose output lines `iKubernetes demoapp v1.1 !! …` are
//! parsed as they are printed. The log lives beside the timeline's snapshots, not in them:
//! viewing an earlier moment shows the answers up to that moment, and acting from there
//! forgets the later ones and puts the client back as it was ([`Traffic::rewind`]).
//!
//! Switching the client on or off and aiming it are recorded in the session's log (see
//! `session`): its requests draw on the cluster's random numbers, so a reload or a shared
//! link must send them again to reach the same cluster and the same answers.

use super::explanations::Lang;
use super::i18n::t;
use super::model::{image_tag, rollout_set_weight};
use rollout_kubectl::lab::engine::engine;
use rollout_kubectl::lab::Lab;
use rollout_sim::clock::{Duration, Time};
use rollout_sim::cluster::Cluster;

/// Virtual time between two requests of the client.
pub const SEND_EVERY: Duration = Duration(1_000);
/// Requests one clock step may send at most (a `sleep 3600` does not send 3,600).
pub const MAX_SENDS_PER_STEP: u32 = 600;
// Merging two clock advances in the session's log must not make a replay hit the limit
// where the live session did not.
const _: () =
    assert!(super::save::MAX_MERGED_ADVANCE_MS < MAX_SENDS_PER_STEP as i64 * SEND_EVERY.0);
/// Answers kept; older ones are dropped.
const LOG_LIMIT: usize = 5_000;
/// The share per version is measured over this many of the latest answers.
pub const SHARE_WINDOW: usize = 100;
/// Answers listed in the stream.
pub const LINES_SHOWN: usize = 40;
/// Virtual time the chart spans.
pub const CHART_SPAN: Duration = Duration(120_000);
/// Virtual time between two points of the chart.
const CHART_STEP: Duration = Duration(2_000);
/// Each chart point is the share over the answers of this much virtual time before it.
const CHART_WINDOW: Duration = Duration(20_000);
/// The address ingress-nginx listens on.
const INGRESS_ADDRESS: &str = rollout_sim::addons::ingress_nginx::ADDRESS;
/// The pseudo-version of a request that got no answer.
pub const FAILED: &str = "error";

/// One answer (or failure) in the stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub id: u64,
    pub at: Time,
    /// The image tag of the pod that answered, `error` when nothing did.
    pub version: String,
    /// What curl printed.
    pub text: String,
    /// Typed in the terminal rather than sent by the client.
    pub typed: bool,
}

/// Where the client sends its requests.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Target {
    /// The first Service with ready endpoints (the ingress when none has).
    #[default]
    Auto,
    Service {
        namespace: String,
        name: String,
    },
    /// ingress-nginx with this `Host:` header (empty: no header).
    Ingress {
        host: String,
    },
    /// A Gateway's listener at `address`, with this `Host:` header (empty: no header).
    Gateway {
        address: String,
        host: String,
    },
}

impl Target {
    /// The value of the target's `<option>`.
    pub fn value(&self) -> String {
        match self {
            Target::Auto => "auto".into(),
            Target::Service { namespace, name } => format!("svc:{namespace}/{name}"),
            Target::Ingress { host } => format!("ing:{host}"),
            Target::Gateway { address, host } => format!("gw:{address}/{host}"),
        }
    }

    pub fn from_value(value: &str) -> Target {
        if let Some(rest) = value.strip_prefix("svc:") {
            if let Some((namespace, name)) = rest.split_once('/') {
                return Target::Service {
                    namespace: namespace.into(),
                    name: name.into(),
                };
            }
        }
        if let Some((address, host)) = value.strip_prefix("gw:").and_then(|r| r.split_once('/')) {
            return Target::Gateway {
                address: address.into(),
                host: host.into(),
            };
        }
        if let Some(host) = value.strip_prefix("ing:") {
            return Target::Ingress { host: host.into() };
        }
        Target::Auto
    }

    /// What the target's `<option>` says. Kinds, names and addresses are the same in every
    /// language.
    pub fn label(&self, lang: Lang) -> String {
        match self {
            Target::Auto => t("traffic.auto", lang).into(),
            Target::Service { namespace, name } if namespace == "default" => {
                format!("Service {name}")
            }
            Target::Service { namespace, name } => format!("Service {namespace}/{name}"),
            Target::Ingress { host } if host.is_empty() => format!("ingress {INGRESS_ADDRESS}"),
            Target::Ingress { host } => format!("ingress {INGRESS_ADDRESS}, Host: {host}"),
            Target::Gateway { address, host } if host.is_empty() => format!("Gateway {address}"),
            Target::Gateway { address, host } => format!("Gateway {address}, Host: {host}"),
        }
    }

    /// The command that sends this target one request by hand, as on a real cluster: a
    /// Service by name from a throwaway client pod (the lab machine is a node, and a node does
    /// not use the cluster's DNS), the ingress controller from the lab machine, at its address.
    pub fn client_command(&self) -> Option<String> {
        match self {
            Target::Auto => None,
            Target::Service { namespace, name } => {
                let host = if namespace == "default" {
                    name.clone()
                } else {
                    format!("{name}.{namespace}")
                };
                Some(format!(
                    "kubectl run t --image=busybox --restart=Never -it --rm -- wget -qO- {host}"
                ))
            }
            Target::Ingress { host } if host.is_empty() => {
                Some(format!("curl -s {INGRESS_ADDRESS}"))
            }
            Target::Ingress { host } => {
                Some(format!("curl -s -H 'Host: {host}' {INGRESS_ADDRESS}"))
            }
            Target::Gateway { address, host } if host.is_empty() => {
                Some(format!("curl -s {address}"))
            }
            Target::Gateway { address, host } => {
                Some(format!("curl -s -H 'Host: {host}' {address}"))
            }
        }
    }
}

/// The share of one version among a set of answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Share {
    pub version: String,
    pub count: usize,
    /// Rounded to the nearest whole percent.
    pub percent: u32,
}

/// The measured share of every version over `answers`, versions in order of first answer.
pub fn shares<'a>(answers: impl IntoIterator<Item = &'a Answer>) -> Vec<Share> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    let mut total = 0usize;
    for answer in answers {
        total += 1;
        match counts.iter_mut().find(|(v, _)| *v == answer.version) {
            Some((_, n)) => *n += 1,
            None => counts.push((answer.version.clone(), 1)),
        }
    }
    counts
        .into_iter()
        .map(|(version, count)| Share {
            percent: percent(count, total),
            version,
            count,
        })
        .collect()
}

/// `part` of `whole` in whole percent, rounded half up; 0 of nothing is 0.
pub fn percent(part: usize, whole: usize) -> u32 {
    if whole == 0 {
        return 0;
    }
    let part = part.min(whole) as u64;
    ((part * 200 + whole as u64) / (whole as u64 * 2)) as u32
}

/// The version in a demoapp answer: `iKubernetes demoapp v1.1 !! ClientIP: …` → `v1.1`.
pub fn parse_answer(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix("iKubernetes demoapp ")?;
    let version = rest.split_whitespace().next()?;
    version.starts_with('v').then_some(version)
}

/// A version's line on the chart: (virtual ms, percent) points, oldest first.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub version: String,
    pub points: Vec<(i64, f64)>,
}

/// Everything the panel shows at one moment.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrafficView {
    /// Newest first.
    pub lines: Vec<Answer>,
    pub shares: Vec<Share>,
    /// How many answers the shares count.
    pub measured: usize,
    pub series: Vec<Series>,
    /// The chart's time span, virtual ms; or, when [`TrafficView::by_order`], its requests
    /// (`0..=n`).
    pub from_ms: i64,
    pub to_ms: i64,
    /// The answers came in bursts (a curl loop runs all its requests in one virtual instant)
    /// and the chart plots them by request order instead of by time.
    pub by_order: bool,
    /// `canary-weight` of a canary Ingress, when there is one.
    pub canary_weight: Option<u32>,
    /// The Rollout that splits the resolved target's traffic, and the weight its current
    /// step asks for (`SetWeight`), to compare with the measured shares.
    pub rollout_weight: Option<RolloutWeight>,
    /// For a Gateway target: each backend of the rule a plain request takes, its configured
    /// share and the share of the answers its version gave.
    pub backend_weights: Vec<BackendWeight>,
    pub sending: bool,
    pub target: Target,
    /// The targets the user can pick, besides [`Target::Auto`].
    pub targets: Vec<Target>,
    /// Where the next request goes (what `Auto` stands for now), if anywhere.
    pub resolved: Option<Target>,
}

/// A Gateway route's backend: its configured weight against its measured share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackendWeight {
    pub service: String,
    /// The version its ready endpoints run, when one.
    pub version: Option<String>,
    pub weight: i64,
    /// Its weight over the rule's sum.
    pub configured: u32,
    /// The share of the measured answers from its version.
    pub measured: u32,
}

/// [`BackendWeight`]s of the rule a plain request to a Gateway target takes.
fn backend_weights(target: &Target, cluster: &Cluster, window: &[Answer]) -> Vec<BackendWeight> {
    let Target::Gateway { address, host } = target else {
        return Vec::new();
    };
    let gateways = super::gateway::gateways(cluster);
    let Some(rule) = super::gateway::plain_rule(&gateways, address, host) else {
        return Vec::new();
    };
    let namespace = gateways
        .iter()
        .find(|g| g.address == *address)
        .map(|g| g.namespace.clone())
        .unwrap_or_default();
    rule.backends
        .iter()
        .map(|b| {
            let version = super::gateway::service_version(cluster, &namespace, &b.service);
            let count = version
                .as_ref()
                .map_or(0, |v| window.iter().filter(|a| a.version == *v).count());
            BackendWeight {
                service: b.service.clone(),
                version,
                weight: b.weight,
                configured: b.percent,
                measured: percent(count, window.len()),
            }
        })
        .collect()
}

/// The weight a Rollout's current step asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RolloutWeight {
    pub rollout: String,
    pub weight: i32,
}

/// The stream and the client at one moment of the timeline (see [`Traffic::mark`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mark {
    /// The id of the last answer seen.
    last_id: u64,
    sending: bool,
    target: Target,
    next_at: Option<Time>,
    partial: String,
}

#[derive(Clone, Debug, Default)]
pub struct Traffic {
    answers: Vec<Answer>,
    next_id: u64,
    pub sending: bool,
    pub target: Target,
    /// When the client sends next; `None` sends at once.
    next_at: Option<Time>,
    /// Terminal output after its last newline.
    partial: String,
    /// Bumped on every change.
    generation: u64,
}

impl Traffic {
    pub fn answers(&self) -> &[Answer] {
        &self.answers
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn set_sending(&mut self, sending: bool) {
        self.sending = sending;
        self.next_at = None;
        self.generation += 1;
    }

    pub fn set_target(&mut self, target: Target) {
        self.target = target;
        self.generation += 1;
    }

    pub fn record(&mut self, at: Time, version: &str, text: &str, typed: bool) {
        self.next_id += 1;
        self.answers.push(Answer {
            id: self.next_id,
            at,
            version: version.to_string(),
            text: text.trim_end().to_string(),
            typed,
        });
        if self.answers.len() > LOG_LIMIT {
            let drop = self.answers.len() - LOG_LIMIT;
            self.answers.drain(..drop);
        }
        self.generation += 1;
    }

    /// Terminal output as it is printed: demoapp answers among it join the stream.
    pub fn feed_terminal(&mut self, at: Time, text: &str) {
        self.partial.push_str(text);
        while let Some(newline) = self.partial.find('\n') {
            let line: String = self.partial.drain(..=newline).collect();
            if let Some(version) = parse_answer(&line) {
                let version = version.to_string();
                self.record(at, &version, &line, true);
            }
        }
        // A line this long is no answer; do not let it grow without end.
        if self.partial.len() > 4_096 {
            self.partial.clear();
        }
    }

    /// Where the stream stands now, for the timeline to return to.
    pub fn mark(&self) -> Mark {
        Mark {
            last_id: self.next_id,
            sending: self.sending,
            target: self.target.clone(),
            next_at: self.next_at,
            partial: self.partial.clone(),
        }
    }

    /// The timeline went back to `mark` and the user acts from there: later answers never
    /// happened, and the client is as it was then — sending or not, to the same target, with
    /// its next request due at the same moment — so the session goes on exactly as a replay
    /// of its log does.
    pub fn rewind(&mut self, mark: &Mark) {
        self.answers.retain(|a| a.id <= mark.last_id);
        self.next_id = mark.last_id;
        self.sending = mark.sending;
        self.target = mark.target.clone();
        self.next_at = mark.next_at;
        self.partial = mark.partial.clone();
        self.generation += 1;
    }

    /// Moves `lab`'s clock by `by`, sending one request every virtual second on the way
    /// when the client runs, so each request sees the cluster as it is at that second.
    pub fn advance(&mut self, lab: &mut Lab, by: Duration) {
        let end = lab.now() + by;
        if self.sending {
            let mut sent = 0;
            loop {
                let next = self.next_at.unwrap_or_else(|| lab.now());
                if next > end {
                    break;
                }
                if sent >= MAX_SENDS_PER_STEP {
                    self.next_at = Some(end + SEND_EVERY);
                    break;
                }
                let now = lab.now();
                if next > now {
                    lab.advance(next - now);
                }
                self.send(lab);
                sent += 1;
                self.next_at = Some(next + SEND_EVERY);
            }
        }
        let now = lab.now();
        if end > now {
            lab.advance(end - now);
        }
    }

    /// One request from the lab machine to the target, through the cluster's network.
    pub fn send(&mut self, lab: &mut Lab) {
        let cluster = &mut lab.host.cluster;
        let Some(args) = resolve(&self.target, cluster).and_then(|t| curl_args(&t, cluster)) else {
            return;
        };
        let output = (engine().curl)(cluster, &args, "default");
        let at = cluster.now();
        let stdout = output.stdout();
        let answered_by = output.routes.iter().rev().find_map(|r| r.pod.as_ref());
        let version = answered_by
            .and_then(|pod| {
                let key = rollout_sim::cluster::ObjectKey::new(&pod.namespace, &pod.name);
                cluster.store().pods.get(&key).map(|p| {
                    image_tag(p.spec.containers.first().map_or("", |c| c.image.as_str()))
                        .to_string()
                })
            })
            .or_else(|| parse_answer(&stdout).map(str::to_string));
        match version {
            Some(version) if output.exit_code == 0 => self.record(at, &version, &stdout, false),
            _ => {
                let stderr = output.stderr();
                let text = if stderr.trim().is_empty() {
                    stdout
                } else {
                    stderr
                };
                self.record(at, FAILED, &text, false);
            }
        }
    }

    /// What the panel shows at `now` (the moment on screen).
    pub fn view(&self, now: Time, cluster: &Cluster) -> TrafficView {
        let upto = self.answers.partition_point(|a| a.at <= now);
        let seen = &self.answers[..upto];
        let lines = seen.iter().rev().take(LINES_SHOWN).cloned().collect();
        let window = &seen[upto.saturating_sub(SHARE_WINDOW)..];
        let from = now - CHART_SPAN;
        let resolved = resolve(&self.target, cluster);
        let mut series = chart(seen, from, now);
        let (mut from_ms, mut to_ms, mut by_order) = (from.millis(), now.millis(), false);
        if series.iter().all(|s| s.points.len() < 2) {
            // Too few moments for a line over time: a burst. Plot it by request order.
            let recent = &seen[seen.partition_point(|a| a.at <= from - CHART_WINDOW)..];
            if recent.len() >= 2 {
                series = chart_by_order(recent);
                (from_ms, to_ms, by_order) = (0, recent.len() as i64, true);
            }
        }
        TrafficView {
            lines,
            shares: shares(window),
            measured: window.len(),
            series,
            from_ms,
            to_ms,
            by_order,
            canary_weight: canary_weight(cluster),
            sending: self.sending,
            target: self.target.clone(),
            targets: targets(cluster),
            rollout_weight: resolved
                .as_ref()
                .and_then(|target| rollout_weight(target, cluster)),
            backend_weights: resolved
                .as_ref()
                .map(|target| backend_weights(target, cluster, window))
                .unwrap_or_default(),
            resolved,
        }
    }
}

/// One point every [`CHART_STEP`] over `from..=to`: the share of each version among the
/// answers of the [`CHART_WINDOW`] before it (no point where there were none).
fn chart(answers: &[Answer], from: Time, to: Time) -> Vec<Series> {
    let start = answers.partition_point(|a| a.at <= from - CHART_WINDOW);
    let answers = &answers[start..];
    let mut series: Vec<Series> = Vec::new();
    for a in answers {
        if !series.iter().any(|s| s.version == a.version) {
            series.push(Series {
                version: a.version.clone(),
                points: Vec::new(),
            });
        }
    }
    let step = CHART_STEP.millis();
    let mut t = from.millis().div_euclid(step) * step + step;
    while t <= to.millis() {
        let lo = answers.partition_point(|a| a.at.millis() <= t - CHART_WINDOW.millis());
        let hi = answers.partition_point(|a| a.at.millis() <= t);
        let slice = &answers[lo..hi];
        if !slice.is_empty() {
            for s in &mut series {
                let n = slice.iter().filter(|a| a.version == s.version).count();
                s.points.push((t, n as f64 * 100.0 / slice.len() as f64));
            }
        }
        t += step;
    }
    series
}

/// Requests a point of the by-order chart counts back over.
pub const ORDER_WINDOW: usize = 20;
/// Points at most on the by-order chart.
const ORDER_POINTS: usize = 60;

/// The answers by request order, for bursts: after every `n / 60` requests (at least one), a
/// point per version with its share among the last [`ORDER_WINDOW`] answers (fewer at the
/// start). x is the request's number, 1-based.
pub fn chart_by_order(answers: &[Answer]) -> Vec<Series> {
    let mut series: Vec<Series> = Vec::new();
    for a in answers {
        if !series.iter().any(|s| s.version == a.version) {
            series.push(Series {
                version: a.version.clone(),
                points: Vec::new(),
            });
        }
    }
    let bin = answers.len().div_ceil(ORDER_POINTS).max(1);
    let mut at = 0;
    while at < answers.len() {
        at = (at + bin).min(answers.len());
        let slice = &answers[at.saturating_sub(ORDER_WINDOW)..at];
        for s in &mut series {
            let n = slice.iter().filter(|a| a.version == s.version).count();
            s.points
                .push((at as i64, n as f64 * 100.0 / slice.len() as f64));
        }
    }
    series
}

fn canary_weight(cluster: &Cluster) -> Option<u32> {
    cluster.store().ingresses.values().find_map(|ing| {
        let canary = ing
            .metadata
            .annotation("nginx.ingress.kubernetes.io/canary")
            .is_some_and(|v| v == "true");
        if !canary {
            return None;
        }
        let weight = ing
            .metadata
            .annotation("nginx.ingress.kubernetes.io/canary-weight")
            .unwrap_or("0");
        Some(weight.trim().parse::<u32>().unwrap_or(0).min(100))
    })
}

/// The canary Rollout whose split `target`'s traffic follows: through ingress-nginx, the
/// Rollout whose stable Ingress serves the target's host; through a Service, a Rollout
/// without a traffic router whose pods the Service selects (the canary's share is then its
/// share of the pods).
pub fn rollout_weight(target: &Target, cluster: &Cluster) -> Option<RolloutWeight> {
    let store = cluster.store();
    let rollout = store.rollouts.values().find(|ro| {
        let Some(canary) = ro.canary() else {
            return false;
        };
        let ns = ro.metadata.namespace.as_str();
        match (target, &canary.traffic_routing) {
            (Target::Ingress { host }, Some(routing)) => {
                let Some(nginx) = &routing.nginx else {
                    return false;
                };
                std::iter::once(&nginx.stable_ingress)
                    .chain(&nginx.stable_ingresses)
                    .filter_map(|name| {
                        store
                            .ingresses
                            .get(&rollout_sim::cluster::ObjectKey::new(ns, name))
                    })
                    .any(|ing| {
                        let hosts = ing
                            .spec
                            .rules
                            .iter()
                            .map(|r| r.host.as_deref().unwrap_or(""));
                        ing.spec.rules.is_empty() && host.is_empty()
                            || hosts.into_iter().any(|h| h == host)
                    })
            }
            (Target::Service { namespace, name }, None) if namespace == ns => {
                let labels = ro.template_labels();
                store
                    .services
                    .get(&rollout_sim::cluster::ObjectKey::new(namespace, name))
                    .is_some_and(|svc| {
                        !svc.spec.selector.is_empty()
                            && svc
                                .spec
                                .selector
                                .iter()
                                .all(|(k, v)| labels.get(k) == Some(v))
                    })
            }
            _ => false,
        }
    })?;
    Some(RolloutWeight {
        rollout: rollout.metadata.name.clone(),
        weight: rollout_set_weight(rollout)?,
    })
}

fn user_namespace(namespace: &str) -> bool {
    !matches!(namespace, "kube-system" | "kube-public" | "kube-node-lease")
}

/// Services with a cluster IP and a port, then the installed ingress controller once per
/// host of the (non-canary) Ingresses.
pub fn targets(cluster: &Cluster) -> Vec<Target> {
    let store = cluster.store();
    let mut targets: Vec<Target> = store
        .services
        .values()
        .filter(|s| {
            let ns = s.metadata.namespace.as_str();
            user_namespace(ns)
                && (ns != "default" || s.metadata.name != "kubernetes")
                // An add-on's own Services (Argo Rollouts' metrics) are not the user's app.
                && !s
                    .metadata
                    .labels
                    .get("app.kubernetes.io/part-of")
                    .is_some_and(|part_of| cluster.addons().names().any(|a| a == part_of))
                && !s.spec.ports.is_empty()
                && !s.spec.cluster_ip.is_empty()
                && s.spec.cluster_ip != "None"
        })
        .map(|s| Target::Service {
            namespace: s.metadata.namespace.clone(),
            name: s.metadata.name.clone(),
        })
        .collect();
    // A Gateway once its controller gave it an address, once per host of its routes.
    for gateway in super::gateway::gateways(cluster) {
        if gateway.address.is_empty() {
            continue;
        }
        let mut hosts: Vec<String> = gateway
            .routes
            .iter()
            .flat_map(|r| {
                if r.hostnames.is_empty() {
                    vec![String::new()]
                } else {
                    r.hostnames.clone()
                }
            })
            .collect();
        if hosts.is_empty() {
            hosts.push(String::new());
        }
        for host in hosts {
            let target = Target::Gateway {
                address: gateway.address.clone(),
                host,
            };
            if !targets.contains(&target) {
                targets.push(target);
            }
        }
    }
    // Ingresses are only reachable through an ingress controller an add-on installed.
    if cluster.ingress_controller().is_none() {
        return targets;
    }
    for ing in store.ingresses.values() {
        if !user_namespace(&ing.metadata.namespace) {
            continue;
        }
        let mut hosts: Vec<String> = ing
            .spec
            .rules
            .iter()
            .map(|r| r.host.clone().unwrap_or_default())
            .collect();
        if hosts.is_empty() {
            hosts.push(String::new());
        }
        for host in hosts {
            let target = Target::Ingress { host };
            if !targets.contains(&target) {
                targets.push(target);
            }
        }
    }
    targets
}

/// What `target` stands for now: `Auto` becomes the first Service with ready endpoints,
/// else the ingress when there is one.
pub fn resolve(target: &Target, cluster: &Cluster) -> Option<Target> {
    if *target != Target::Auto {
        return Some(target.clone());
    }
    let all = targets(cluster);
    let store = cluster.store();
    let with_endpoints = all.iter().find(|t| match t {
        Target::Service { namespace, name } => store
            .endpoints
            .get(&rollout_sim::cluster::ObjectKey::new(namespace, name))
            .is_some_and(|ep| ep.subsets.iter().any(|s| !s.addresses.is_empty())),
        _ => false,
    });
    with_endpoints
        .or_else(|| all.iter().find(|t| matches!(t, Target::Ingress { .. })))
        .or_else(|| all.first())
        .cloned()
}

/// curl's arguments for one request to `target`. `-m 1`: an address nobody answers costs
/// one virtual second, not the kernel's two-minute connect timeout.
fn curl_args(target: &Target, cluster: &Cluster) -> Option<Vec<String>> {
    match target {
        Target::Auto => None,
        Target::Service { namespace, name } => {
            let key = rollout_sim::cluster::ObjectKey::new(namespace, name);
            let svc = cluster.store().services.get(&key)?;
            let port = svc.spec.ports.first()?.port;
            Some(vec![
                "-s".into(),
                "-m".into(),
                "1".into(),
                format!("http://{}:{port}/", svc.spec.cluster_ip),
            ])
        }
        Target::Ingress { host } => {
            let mut args = vec!["-s".to_string(), "-m".into(), "1".into()];
            if !host.is_empty() {
                args.push("-H".into());
                args.push(format!("Host: {host}"));
            }
            args.push(format!("http://{INGRESS_ADDRESS}/"));
            Some(args)
        }
        Target::Gateway { address, host } => {
            let mut args = vec!["-s".to_string(), "-m".into(), "1".into()];
            if !host.is_empty() {
                args.push("-H".into());
                args.push(format!("Host: {host}"));
            }
            args.push(format!("http://{address}/"));
            Some(args)
        }
    }
}
