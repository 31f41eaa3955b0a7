//! Property tests of the Deployment controller: random sequences of what a student does to a
//! Deployment, with the rollout guarantees checked all along the way.
//!
//! Each case is a seed. The seed draws a sequence of operations — apply (random replicas,
//! maxSurge/maxUnavailable as ints or percents, minReadySeconds, sometimes Recreate), scale,
//! set image (including the unpullable `v9.9`), pause, resume, undo (client-side, as kubectl
//! does it), readiness failures (`curl -X POST -d readyz=FAIL POD_IP/readyz`), pod deletions,
//! "wait until it must have converged", and waits of random length — and the test runs it on a
//! fresh cluster, sampling the state every 100–500 ms of virtual time. The properties:
//!
//! 1. **Fenceposts.** During a RollingUpdate that starts from a steady state (every pod ready
//!    and available, one active ReplicaSet) and sees no injected failure, Σ ReplicaSet
//!    `spec.replicas` and the pods that exist (not terminating) stay ≤ replicas + maxSurge,
//!    and Σ available stays ≥ replicas − maxUnavailable (the controller's own numbers).
//!    During a Recreate rollout from a steady state, no new pod exists while an old pod has
//!    not finished (terminating ones included).
//! 2. **Revisions only grow**, and no two ReplicaSets of a Deployment share one.
//! 3. **Convergence.** A rollout not blocked by the bad image, and with no failed pod left,
//!    ends (within 10 virtual minutes) with `replicas` ready pods, all of the newest template,
//!    and one active ReplicaSet.
//! 4. **No panic, and determinism**: the same seed and operations give the same cluster, byte
//!    for byte (`Debug` of the whole `Cluster`: store, events, timers, RNG).
//!
//! A failure prints the seed, the operations and the step that broke the property; rerun one
//! seed with `PROPERTY_SEED=N cargo test -p rollout-sim --test properties` (add
//! `PROPERTY_TRACE=1` and `-- --nocapture` to print the state after every operation). `PROPERTY_CASES=N`
//! runs more cases (the default keeps the file well under 30 s in a debug build).

use rollout_sim::clock::Duration;
use rollout_sim::cluster::{Cluster, ObjectKey};
use rollout_sim::controller::util::{
    equal_ignore_hash, max_surge, max_unavailable, revision, DESIRED_REPLICAS_ANNOTATION,
    POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION,
};
use rollout_sim::manifest::{apply_defaults, parse_manifests};
use rollout_sim::objects::{
    Deployment, DeploymentStrategyType, Kind, Object, Pod, PodPhase, ReplicaSet,
};
use rollout_sim::rng::Rng;
use std::collections::{BTreeMap, BTreeSet};

const NAMESPACE: &str = "default";
const NAME: &str = "demo";
const GOOD_IMAGES: [&str; 3] = [
    "ikubernetes/demoapp:v1.0",
    "ikubernetes/demoapp:v1.1",
    "ikubernetes/demoapp:v1.2",
];
const BAD_IMAGE: &str = "ikubernetes/demoapp:v9.9";
/// Long enough for any unblocked rollout of ≤ 12 pods to finish (grace periods, probes,
/// minReadySeconds and a maxUnavailable of 0 included).
const CONVERGENCE_TIME: Duration = Duration(10 * 60 * 1000);
const DEFAULT_CASES: u64 = 200;
const OPERATIONS: usize = 30;

// ---------------------------------------------------------------------------------------------
// A small deterministic generator: the cluster's own SplitMix64, seeded apart from it.

struct Gen(Rng);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[(self.next() % items.len() as u64) as usize]
    }
}

// ---------------------------------------------------------------------------------------------
// Operations.

/// maxSurge / maxUnavailable as a manifest writes them.
#[derive(Clone, Debug, PartialEq)]
enum Fencepost {
    Int(i64),
    Percent(i64),
}

impl Fencepost {
    fn yaml(&self) -> String {
        match self {
            Fencepost::Int(n) => n.to_string(),
            Fencepost::Percent(p) => format!("\"{p}%\""),
        }
    }

    fn is_zero(&self) -> bool {
        matches!(self, Fencepost::Int(0) | Fencepost::Percent(0))
    }
}

/// What a `kubectl apply` of the Deployment's manifest sets.
#[derive(Clone, Debug)]
struct Manifest {
    replicas: i64,
    max_surge: Fencepost,
    max_unavailable: Fencepost,
    min_ready_seconds: i64,
    recreate: bool,
    image: &'static str,
}

#[derive(Clone, Debug)]
enum Op {
    Apply(Manifest),
    Scale(i32),
    SetImage(&'static str),
    Pause,
    Resume,
    /// `kubectl rollout undo [--to-revision=N]`; `Some(i)` picks the i-th known revision.
    Undo(Option<usize>),
    /// `curl -X POST -d readyz=FAIL POD_IP/readyz` to the i-th pod that has an IP.
    FailReadiness(usize),
    /// `kubectl delete pod` of the i-th pod.
    DeletePod(usize),
    /// Let the virtual clock run.
    Wait(Duration),
    /// Wait [`CONVERGENCE_TIME`] and check that the rollout converged (property 3).
    Converge,
}

/// Settings that stay fixed for a whole sequence (they are part of the pod template, and a
/// template change would start a rollout).
#[derive(Clone, Debug)]
struct Template {
    readiness_delay: i64,
    readiness_period: i64,
    liveness: bool,
    grace_period: i64,
    history_limit: Option<i64>,
}

#[derive(Clone, Debug)]
struct Case {
    seed: u64,
    template: Template,
    ops: Vec<Op>,
}

fn fencepost(g: &mut Gen) -> Fencepost {
    if g.chance(50) {
        Fencepost::Int(g.range(0, 4))
    } else {
        Fencepost::Percent(g.pick(&[0, 10, 25, 30, 50, 75, 100]))
    }
}

fn manifest(g: &mut Gen) -> Manifest {
    let max_surge = fencepost(g);
    let mut max_unavailable = fencepost(g);
    if max_surge.is_zero() && max_unavailable.is_zero() {
        // The API server rejects both 0; a student would fix the manifest.
        max_unavailable = Fencepost::Int(1);
    }
    Manifest {
        replicas: g.range(0, 12),
        max_surge,
        max_unavailable,
        min_ready_seconds: g.range(0, 5),
        recreate: g.chance(15),
        image: image(g),
    }
}

fn image(g: &mut Gen) -> &'static str {
    if g.chance(12) {
        BAD_IMAGE
    } else {
        g.pick(&GOOD_IMAGES)
    }
}

fn generate(seed: u64) -> Case {
    let mut g = Gen(Rng::new(seed));
    let template = Template {
        readiness_delay: g.range(0, 15),
        readiness_period: g.pick(&[1, 2, 5, 10]),
        liveness: g.chance(50),
        grace_period: g.pick(&[0, 1, 5, 30]),
        history_limit: if g.chance(20) {
            Some(g.range(0, 3))
        } else {
            None
        },
    };
    let mut ops = vec![Op::Apply(manifest(&mut g))];
    while ops.len() < OPERATIONS {
        let op = match g.range(0, 99) {
            0..=6 => Op::Apply(manifest(&mut g)),
            7..=13 => Op::Scale(g.range(0, 12) as i32),
            14..=29 => Op::SetImage(image(&mut g)),
            30..=34 => Op::Pause,
            35..=41 => Op::Resume,
            42..=48 => Op::Undo(g.chance(30).then(|| g.range(0, 5) as usize)),
            49..=52 => Op::FailReadiness(g.range(0, 20) as usize),
            53..=57 => Op::DeletePod(g.range(0, 20) as usize),
            58..=60 => Op::Converge,
            _ => Op::Wait(Duration(if g.chance(80) {
                g.range(100, 15_000)
            } else {
                g.range(15_000, 120_000)
            })),
        };
        let starts_rollout = matches!(
            op,
            Op::Apply(_) | Op::SetImage(_) | Op::Undo(_) | Op::Resume
        );
        ops.push(op);
        if starts_rollout && g.chance(40) {
            ops.push(Op::Wait(Duration(g.range(5_000, 60_000))));
        }
    }
    // End every sequence unpaused, and check it converges.
    ops.push(Op::Resume);
    ops.push(Op::Converge);
    Case {
        seed,
        template,
        ops,
    }
}

fn deployment_yaml(t: &Template, m: &Manifest) -> String {
    let strategy = if m.recreate {
        "    type: Recreate\n".to_string()
    } else {
        format!(
            "    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: {}\n      maxUnavailable: {}\n",
            m.max_surge.yaml(),
            m.max_unavailable.yaml()
        )
    };
    let history = t
        .history_limit
        .map(|n| format!("  revisionHistoryLimit: {n}\n"))
        .unwrap_or_default();
    let liveness = if t.liveness {
        "        livenessProbe:\n          httpGet:\n            path: /livez\n            port: 80\n          initialDelaySeconds: 5\n"
    } else {
        ""
    };
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: {NAME}
spec:
  replicas: {replicas}
  minReadySeconds: {min_ready}
{history}  strategy:
{strategy}  selector:
    matchLabels:
      app: demo
  template:
    metadata:
      labels:
        app: demo
    spec:
      terminationGracePeriodSeconds: {grace}
      containers:
      - name: demoapp
        image: {image}
        ports:
        - containerPort: 80
          name: http
{liveness}        readinessProbe:
          httpGet:
            path: /readyz
            port: 80
          initialDelaySeconds: {delay}
          periodSeconds: {period}
",
        replicas = m.replicas,
        min_ready = m.min_ready_seconds,
        grace = t.grace_period,
        image = m.image,
        delay = t.readiness_delay,
        period = t.readiness_period,
    )
}

// ---------------------------------------------------------------------------------------------
// Reading the cluster.

fn deployment(cluster: &Cluster) -> Option<&Deployment> {
    cluster
        .store()
        .deployments
        .get(&ObjectKey::new(NAMESPACE, NAME))
}

fn owned_replica_sets(cluster: &Cluster, d: &Deployment) -> Vec<ReplicaSet> {
    cluster
        .store()
        .replica_sets_owned_by(NAMESPACE, &d.metadata.uid)
}

/// The pods of the Deployment's ReplicaSets that are not terminating.
fn active_pods<'a>(cluster: &'a Cluster, rss: &[ReplicaSet]) -> Vec<&'a Pod> {
    let uids: BTreeSet<&str> = rss.iter().map(|rs| rs.metadata.uid.as_str()).collect();
    cluster
        .store()
        .pods
        .values()
        .map(std::rc::Rc::as_ref)
        .filter(|p| {
            p.is_active()
                && p.metadata
                    .controller_ref()
                    .is_some_and(|o| uids.contains(o.uid.as_str()))
        })
        .collect()
}

fn deployment_revision(d: &Deployment) -> i64 {
    d.metadata
        .annotation(REVISION_ANNOTATION)
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}

/// The numbers a violation report shows.
fn summary(cluster: &Cluster) -> String {
    let Some(d) = deployment(cluster) else {
        return "no deployment".into();
    };
    let mut text = format!(
        "t={}ms deployment replicas={} paused={} image={} revision={} strategy={:?} surge={} unavailable={} status={:?}\n",
        cluster.now().0,
        d.spec.replicas,
        d.spec.paused,
        d.spec.template.spec.containers[0].image,
        deployment_revision(d),
        d.spec.strategy.type_,
        max_surge(d),
        max_unavailable(d),
        d.status,
    );
    for rs in owned_replica_sets(cluster, d) {
        text.push_str(&format!(
            "  rs {} rev={:?} image={} spec={} status={} ready={} available={}\n",
            rs.metadata.name,
            revision(&rs),
            rs.spec.template.spec.containers[0].image,
            rs.spec.replicas,
            rs.status.replicas,
            rs.status.ready_replicas,
            rs.status.available_replicas,
        ));
    }
    text
}

/// Every pod ready and available, one active ReplicaSet of the right size, nothing failed:
/// the state a rolling update's guarantees are stated from.
fn steady(cluster: &Cluster, failed: &BTreeSet<String>) -> bool {
    let Some(d) = deployment(cluster) else {
        return false;
    };
    let rss = owned_replica_sets(cluster, d);
    let active: Vec<&ReplicaSet> = rss.iter().filter(|rs| rs.spec.replicas > 0).collect();
    let sized = match active.as_slice() {
        [] => d.spec.replicas == 0,
        [rs] => {
            rs.spec.replicas == d.spec.replicas
                && rs.status.replicas == rs.spec.replicas
                && rs.status.available_replicas == rs.spec.replicas
        }
        _ => false,
    };
    let pods = active_pods(cluster, &rss);
    sized
        && pods.len() as i32 == d.spec.replicas
        && pods
            .iter()
            .all(|p| p.is_ready() && !failed.contains(&p.metadata.uid))
}

/// The bounds of a rolling update in progress: fixed at its start, as the spec does not change
/// while it is watched.
#[derive(Clone, Debug)]
struct Watch {
    /// A Recreate rollout: checked for old and new pods running side by side instead.
    recreate: bool,
    /// When it started: pods created since then are the rollout's.
    since: rollout_sim::clock::Time,
    replicas: i32,
    max_surge: i32,
    max_unavailable: i32,
    since_op: usize,
}

// ---------------------------------------------------------------------------------------------
// Running a case.

struct Run<'a> {
    case: &'a Case,
    cluster: Cluster,
    g: Gen,
    /// UIDs of pods whose readiness was failed on purpose.
    failed: BTreeSet<String>,
    watch: Option<Watch>,
    /// The highest revision seen so far, per Deployment UID.
    revisions: BTreeMap<String, i64>,
    op: usize,
    /// How many samples checked the fenceposts; how many convergence checks ran.
    stats: Stats,
}

#[derive(Clone, Copy, Debug, Default)]
struct Stats {
    fencepost_samples: u64,
    rollouts_watched: u64,
    recreates_watched: u64,
    recreate_samples: u64,
    convergence_checks: u64,
    recreate_stalls: u64,
    history_resets: u64,
}

#[derive(Clone, Debug)]
enum Convergence {
    Done,
    /// Not there yet: what is still off.
    Pending(String),
    /// It cannot get there, and rightly so.
    Blocked,
    /// Upstream's own dead end, see [`recreate_stall`].
    RecreateStall,
}

/// A Recreate Deployment with two active ReplicaSets whose size changed: upstream's
/// `syncDeployment` sees a scaling event (an active ReplicaSet's desired-replicas annotation
/// differs from `spec.replicas`) and calls `sync`, whose `scale` resizes only a single active
/// ReplicaSet, a saturated new one, or — for RollingUpdate only — all proportionally. For
/// Recreate it does nothing, the annotation never changes, and `rolloutRecreate` is never
/// reached again: the Deployment stays as it is. The simulator reproduces this faithfully
/// (it happens when the strategy is switched to Recreate, with a new size, mid-rollout).
fn recreate_stall(d: &Deployment, active: &[&ReplicaSet]) -> bool {
    d.spec.strategy.type_ == DeploymentStrategyType::Recreate
        && active.len() >= 2
        && active.iter().any(|rs| {
            rs.metadata
                .annotation(DESIRED_REPLICAS_ANNOTATION)
                .and_then(|v| v.parse::<i32>().ok())
                .is_some_and(|desired| desired != d.spec.replicas)
        })
}

impl Run<'_> {
    fn fail(&self, property: &str, detail: String) -> String {
        format!(
            "seed {} op #{} ({:?}): {property}\n{detail}\n{}",
            self.case.seed,
            self.op,
            self.case.ops.get(self.op),
            summary(&self.cluster)
        )
    }

    /// The checks that hold at every moment.
    fn check_always(&mut self) -> Result<(), String> {
        let Some(d) = deployment(&self.cluster) else {
            return Ok(());
        };
        let current = deployment_revision(d);
        let rss = owned_replica_sets(&self.cluster, d);
        if rss.is_empty() {
            // Every ReplicaSet is gone (revisionHistoryLimit 0 cleaned up the last one while
            // paused): the next one is revision max(none) + 1 = 1 again, and the Deployment's
            // annotation follows it down. Upstream does the same (getNewReplicaSet computes the
            // revision from the ReplicaSets alone; SetDeploymentRevision overwrites), so the
            // count starts over here.
            if self.revisions.remove(&d.metadata.uid).is_some() && current > 0 {
                self.stats.history_resets += 1;
            }
            return Ok(());
        }
        let seen = self
            .revisions
            .entry(d.metadata.uid.clone())
            .or_insert(current);
        if current < *seen {
            let before = *seen;
            return Err(self.fail(
                "the revision decreased",
                format!("from {before} to {current}"),
            ));
        }
        *seen = current;
        let mut numbers = BTreeSet::new();
        for rs in &rss {
            let Ok(r) = revision(rs) else {
                return Err(self.fail("an unparsable revision", rs.metadata.name.clone()));
            };
            if r > 0 && !numbers.insert(r) {
                return Err(self.fail("two ReplicaSets share a revision", format!("{r}")));
            }
        }
        if let Some(watch) = self.watch.clone() {
            if watch.recreate {
                let template = d.spec.template.clone();
                self.check_recreate(&watch, &template, &rss)?;
            } else {
                self.check_fenceposts(&watch, &rss)?;
            }
        }
        Ok(())
    }

    /// Recreate's promise: no pod of the new template starts while a pod of an old one still
    /// runs (terminating ones included: upstream's `oldPodsRunning` counts every pod that has
    /// not succeeded or failed).
    fn check_recreate(
        &mut self,
        watch: &Watch,
        template: &rollout_sim::objects::PodTemplateSpec,
        rss: &[ReplicaSet],
    ) -> Result<(), String> {
        self.stats.recreate_samples += 1;
        let (mut old_running, mut new_pods) = (0, 0);
        for pod in self.cluster.store().pods.values() {
            let Some(owner) = pod.metadata.controller_ref() else {
                continue;
            };
            let Some(rs) = rss.iter().find(|rs| rs.metadata.uid == owner.uid) else {
                continue;
            };
            if equal_ignore_hash(&rs.spec.template, template) {
                // Leftovers of this template from before the rollout are not "started".
                if pod
                    .metadata
                    .creation_timestamp
                    .is_some_and(|created| created >= watch.since)
                {
                    new_pods += 1;
                }
            } else if !matches!(
                pod.status.phase,
                Some(PodPhase::Succeeded) | Some(PodPhase::Failed)
            ) {
                old_running += 1;
            }
        }
        if old_running > 0 && new_pods > 0 {
            return Err(self.fail(
                "Recreate started new pods while old ones still run",
                format!(
                    "{old_running} old, {new_pods} new; Recreate watched since op #{}",
                    watch.since_op
                ),
            ));
        }
        Ok(())
    }

    fn check_fenceposts(&mut self, watch: &Watch, rss: &[ReplicaSet]) -> Result<(), String> {
        self.stats.fencepost_samples += 1;
        let wanted: i32 = rss.iter().map(|rs| rs.spec.replicas).sum();
        let existing = active_pods(&self.cluster, rss).len() as i32;
        let available: i32 = rss.iter().map(|rs| rs.status.available_replicas).sum();
        let ceiling = watch.replicas + watch.max_surge;
        let floor = watch.replicas - watch.max_unavailable;
        let context = format!(
            "rolling update watched since op #{}: {watch:?}",
            watch.since_op
        );
        if wanted > ceiling {
            return Err(self.fail(
                "Σ ReplicaSet spec.replicas exceeds replicas + maxSurge",
                format!("{wanted} > {ceiling}; {context}"),
            ));
        }
        if existing > ceiling {
            return Err(self.fail(
                "pods exceed replicas + maxSurge",
                format!("{existing} > {ceiling}; {context}"),
            ));
        }
        if available < floor {
            return Err(self.fail(
                "available pods dropped below replicas − maxUnavailable",
                format!("{available} < {floor}; {context}"),
            ));
        }
        Ok(())
    }

    /// Moves the clock by `by`, checking at every step.
    fn wait(&mut self, by: Duration) -> Result<(), String> {
        let end = self.cluster.now().0 + by.millis();
        while self.cluster.now().0 < end {
            self.sample(end)?;
        }
        Ok(())
    }

    /// Advances the clock one sampling step (never past `end`) and checks: every 100–500 ms
    /// during a watched rolling update, every 1–5 s otherwise (only the revisions matter then).
    fn sample(&mut self, end: i64) -> Result<(), String> {
        let step = if self.watch.is_some() {
            self.g.range(100, 500)
        } else {
            self.g.range(1_000, 5_000)
        };
        let step = step.min(end - self.cluster.now().0).max(1);
        self.cluster.advance(Duration(step));
        self.check_always()?;
        if self.watch.is_some() && steady(&self.cluster, &self.failed) {
            // The rollout is over; what follows is no longer "during" it.
            self.watch = None;
        }
        Ok(())
    }

    /// Property 3: within [`CONVERGENCE_TIME`] the rollout reaches its end state, and stays
    /// there. Returns early when the end state is reached, or when it can never be (paused,
    /// the bad image, a failed pod in the newest ReplicaSet, upstream's Recreate stall).
    fn check_converged(&mut self) -> Result<(), String> {
        let deadline = self.cluster.now().0 + CONVERGENCE_TIME.millis();
        loop {
            let Some(d) = deployment(&self.cluster).cloned() else {
                return Ok(());
            };
            let outcome = self.convergence(&d);
            match outcome {
                Convergence::Blocked => return Ok(()),
                Convergence::RecreateStall => {
                    self.stats.recreate_stalls += 1;
                    return Ok(());
                }
                Convergence::Done => {
                    // Converged: it must stay so (no flapping, no late scaling).
                    self.stats.convergence_checks += 1;
                    let settle_until = self.cluster.now().0 + 30_000;
                    while self.cluster.now().0 < settle_until {
                        self.sample(settle_until)?;
                    }
                    let d = deployment(&self.cluster).cloned();
                    return match d.map(|d| self.convergence(&d)) {
                        Some(Convergence::Done) | None => Ok(()),
                        Some(Convergence::Pending(problems)) => {
                            Err(self
                                .fail("the rollout converged, then left its end state", problems))
                        }
                        Some(other) => Err(self.fail(
                            "the rollout converged, then left its end state",
                            format!("{other:?}"),
                        )),
                    };
                }
                Convergence::Pending(problems) => {
                    if self.cluster.now().0 >= deadline {
                        return Err(self.fail(
                            "the rollout did not converge in 10 virtual minutes",
                            problems,
                        ));
                    }
                }
            }
            self.sample(deadline)?;
        }
    }

    /// Where `d`'s rollout stands with respect to property 3.
    fn convergence(&self, d: &Deployment) -> Convergence {
        if d.spec.paused || d.spec.template.spec.containers[0].image == BAD_IMAGE {
            return Convergence::Blocked;
        }
        let rss = owned_replica_sets(&self.cluster, d);
        let newest: BTreeSet<&str> = rss
            .iter()
            .filter(|rs| equal_ignore_hash(&rs.spec.template, &d.spec.template))
            .map(|rs| rs.metadata.uid.as_str())
            .collect();
        let pods = active_pods(&self.cluster, &rss);
        let in_newest = |p: &Pod| {
            p.metadata
                .controller_ref()
                .is_some_and(|o| newest.contains(o.uid.as_str()))
        };
        if pods
            .iter()
            .any(|p| in_newest(p) && self.failed.contains(&p.metadata.uid))
        {
            // Its readiness answers 506 for good: the rollout can never finish.
            return Convergence::Blocked;
        }
        let active: Vec<&ReplicaSet> = rss.iter().filter(|rs| rs.spec.replicas > 0).collect();
        if recreate_stall(d, &active) {
            return Convergence::RecreateStall;
        }
        let ready_newest = pods.iter().filter(|p| p.is_ready() && in_newest(p)).count() as i32;
        let replicas = d.spec.replicas;
        let problems = [
            (pods.len() as i32 != replicas, "pod count ≠ replicas"),
            (
                ready_newest != replicas,
                "ready pods of the newest template ≠ replicas",
            ),
            (
                active.len() != usize::from(replicas > 0),
                "not exactly one active ReplicaSet",
            ),
            (newest.len() > 1, "two ReplicaSets with the newest template"),
            (
                d.status.updated_replicas != replicas
                    || d.status.ready_replicas != replicas
                    || d.status.available_replicas != replicas
                    || d.status.replicas != replicas,
                "status counts ≠ replicas",
            ),
            (
                d.status.observed_generation != d.metadata.generation,
                "observedGeneration ≠ generation",
            ),
        ];
        let problems: Vec<&str> = problems
            .iter()
            .filter(|(bad, _)| *bad)
            .map(|(_, what)| *what)
            .collect();
        if problems.is_empty() {
            Convergence::Done
        } else {
            Convergence::Pending(problems.join("; "))
        }
    }

    fn apply(&mut self, m: &Manifest) -> Result<(), String> {
        let yaml = deployment_yaml(&self.case.template, m);
        let mut results = parse_manifests(&yaml, "deploy.yaml");
        let mut object = match results.pop() {
            Some(Ok(object)) if results.is_empty() => object,
            other => {
                return Err(format!(
                    "the generated manifest does not parse: {other:?}\n{yaml}"
                ))
            }
        };
        object.metadata_mut().namespace = NAMESPACE.into();
        apply_defaults(&mut object);
        // `kubectl apply` merges: a field the manifest never set (`paused`, set by
        // `kubectl rollout pause`) keeps its live value.
        if let (Object::Deployment(new), Some(live)) = (&mut object, deployment(&self.cluster)) {
            new.spec.paused = live.spec.paused;
        }
        self.cluster
            .apply(object)
            .map(|_| ())
            .map_err(|e| self.fail("apply failed", e.to_string()))
    }

    /// kubectl's client-side undo (`crates/kubectl/src/cmd/rollout.rs`): the chosen revision's
    /// template goes back into the Deployment.
    fn undo(&mut self, to: Option<usize>) -> Result<(), String> {
        let Some(d) = deployment(&self.cluster).cloned() else {
            return Ok(());
        };
        if d.spec.paused {
            return Ok(()); // kubectl refuses to roll back a paused deployment
        }
        let mut rss: Vec<(i64, ReplicaSet)> = owned_replica_sets(&self.cluster, &d)
            .into_iter()
            .filter_map(|rs| revision(&rs).ok().map(|r| (r, rs)))
            .collect();
        rss.sort_by_key(|(r, _)| *r);
        let target = match to {
            Some(i) if !rss.is_empty() => &rss[i % rss.len()].1,
            None if rss.len() >= 2 => &rss[rss.len() - 2].1,
            _ => return Ok(()), // "no rollout history found"
        };
        if equal_ignore_hash(&target.spec.template, &d.spec.template) {
            return Ok(()); // "skipped rollback"
        }
        let mut template = target.spec.template.clone();
        template.metadata.labels.remove(POD_TEMPLATE_HASH_LABEL);
        self.update(|d| d.spec.template = template)
    }

    fn update(&mut self, change: impl FnOnce(&mut Deployment)) -> Result<(), String> {
        if deployment(&self.cluster).is_none() {
            return Ok(());
        }
        self.cluster
            .update_deployment(NAMESPACE, NAME, change)
            .map(|_| ())
            .map_err(|e| self.fail("update failed", e.to_string()))
    }

    /// The i-th (cyclically) pod of the namespace, if any: `kubectl get pods` order.
    fn nth_pod(&self, i: usize, with_ip: bool) -> Option<Pod> {
        let pods: Vec<&Pod> = self
            .cluster
            .store()
            .pods
            .values()
            .map(std::rc::Rc::as_ref)
            .filter(|p| !with_ip || p.status.pod_ip.is_some())
            .collect();
        (!pods.is_empty()).then(|| pods[i % pods.len()].clone())
    }

    fn step(&mut self, op: &Op) -> Result<(), String> {
        let before = deployment(&self.cluster).cloned();
        let was_steady = steady(&self.cluster, &self.failed);
        match op {
            Op::Apply(m) => self.apply(m)?,
            Op::Scale(n) => self.update(|d| d.spec.replicas = *n)?,
            Op::SetImage(image) => {
                let image = image.to_string();
                self.update(|d| d.spec.template.spec.containers[0].image = image)?
            }
            Op::Pause => self.update(|d| d.spec.paused = true)?,
            Op::Resume => self.update(|d| d.spec.paused = false)?,
            Op::Undo(to) => self.undo(*to)?,
            Op::FailReadiness(i) => {
                if let Some(pod) = self.nth_pod(*i, true) {
                    let ip = pod.status.pod_ip.clone().unwrap_or_default();
                    let args: Vec<String> = [
                        "-s",
                        "-X",
                        "POST",
                        "-d",
                        "readyz=FAIL",
                        &format!("{ip}/readyz"),
                    ]
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                    self.cluster.curl(&args, NAMESPACE, None);
                    self.failed.insert(pod.metadata.uid.clone());
                    self.watch = None;
                }
            }
            Op::DeletePod(i) => {
                if let Some(pod) = self.nth_pod(*i, false) {
                    // Deleting a pod that is already terminating is fine; NotFound is not
                    // possible since the pod was just listed.
                    self.cluster
                        .delete(Kind::Pod, NAMESPACE, &pod.metadata.name)
                        .map_err(|e| self.fail("pod deletion failed", e.to_string()))?;
                    self.watch = None;
                }
            }
            Op::Wait(by) => return self.wait(*by),
            Op::Converge => return self.check_converged(),
        }
        let after = deployment(&self.cluster).cloned();
        self.track_rollout(op, before.as_ref(), after.as_ref(), was_steady);
        self.check_always()
    }

    /// Starts watching a rolling update when `op` started one from a steady state; stops when
    /// `op` changed anything else about the Deployment.
    fn track_rollout(
        &mut self,
        op: &Op,
        before: Option<&Deployment>,
        after: Option<&Deployment>,
        was_steady: bool,
    ) {
        let (Some(before), Some(after)) = (before, after) else {
            self.watch = None;
            return;
        };
        let mut same_except_template = before.spec.clone();
        same_except_template.template = after.spec.template.clone();
        same_except_template.paused = after.spec.paused;
        if same_except_template != after.spec {
            // Scaled or re-strategized mid-way: not the situation the property is about.
            self.watch = None;
            return;
        }
        if matches!(op, Op::Pause) && self.watch.as_ref().is_some_and(|w| w.recreate) {
            // Pausing a Recreate rollout hands it to `sync`, whose `scale` sizes "the newest
            // ReplicaSet when none is active" at once — next to old pods still terminating.
            // Upstream does the same (FindActiveOrLatest); Recreate promises nothing then.
            self.watch = None;
        }
        let template_changed = !equal_ignore_hash(&before.spec.template, &after.spec.template);
        if template_changed && self.watch.is_some() {
            // A new rollout on top of an unfinished one.
            self.watch = None;
        }
        // A rollout starts when the template changes while unpaused, or on resume after the
        // template changed while paused.
        let starts = !after.spec.paused
            && (template_changed || (matches!(op, Op::Resume) && before.spec.paused));
        if starts && was_steady && self.watch.is_none() {
            let recreate = after.spec.strategy.type_ == DeploymentStrategyType::Recreate;
            if recreate {
                self.stats.recreates_watched += 1;
            } else {
                self.stats.rollouts_watched += 1;
            }
            self.watch = Some(Watch {
                recreate,
                since: self.cluster.now(),
                replicas: after.spec.replicas,
                max_surge: max_surge(after),
                max_unavailable: max_unavailable(after),
                since_op: self.op,
            });
        }
    }
}

/// Runs a case; the cluster at the end, or the first broken property.
fn run(case: &Case) -> Result<(Cluster, Stats), String> {
    let mut run = Run {
        case,
        cluster: Cluster::new(case.seed),
        g: Gen(Rng::new(case.seed ^ 0x5EED)),
        failed: BTreeSet::new(),
        watch: None,
        revisions: BTreeMap::new(),
        op: 0,
        stats: Stats::default(),
    };
    let trace = std::env::var_os("PROPERTY_TRACE").is_some();
    for (i, op) in case.ops.iter().enumerate() {
        run.op = i;
        run.step(op)?;
        if trace {
            eprintln!("#{i} {op:?}\n{}", summary(&run.cluster));
        }
    }
    Ok((run.cluster, run.stats))
}

/// Runs a case inside `catch_unwind`, so a panic reports its seed and operations.
fn run_reporting(case: &Case) -> Result<(Cluster, Stats), String> {
    match std::panic::catch_unwind(|| run(case)) {
        Ok(result) => result,
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(format!("seed {}: panicked: {message}", case.seed))
        }
    }
}

fn seeds() -> Vec<u64> {
    if let Some(seed) = std::env::var("PROPERTY_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        return vec![seed];
    }
    let cases = std::env::var("PROPERTY_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    (1..=cases).collect()
}

fn describe(case: &Case) -> String {
    let mut text = format!("template: {:?}\n", case.template);
    for (i, op) in case.ops.iter().enumerate() {
        text.push_str(&format!("  #{i}: {op:?}\n"));
    }
    text
}

#[test]
fn random_operation_sequences_keep_the_rollout_guarantees() {
    let mut failures = Vec::new();
    let mut total = Stats::default();
    for seed in seeds() {
        let case = generate(seed);
        match run_reporting(&case) {
            Ok((_, stats)) => {
                total.fencepost_samples += stats.fencepost_samples;
                total.rollouts_watched += stats.rollouts_watched;
                total.convergence_checks += stats.convergence_checks;
                total.recreate_stalls += stats.recreate_stalls;
                total.recreates_watched += stats.recreates_watched;
                total.recreate_samples += stats.recreate_samples;
                total.history_resets += stats.history_resets;
            }
            Err(message) => failures.push(format!("{message}\noperations:\n{}", describe(&case))),
        }
    }
    eprintln!("{total:?}");
    assert!(
        failures.is_empty(),
        "{} of the cases broke a property:\n{}\n\nthe first in full:\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .map(|f| f.lines().next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n"),
        failures[0]
    );
    // The generator must actually reach the situations the properties are about.
    if seeds().len() as u64 >= DEFAULT_CASES {
        assert!(total.rollouts_watched >= 50, "{total:?}");
        assert!(total.convergence_checks >= 100, "{total:?}");
    }
}

#[test]
fn the_same_seed_and_operations_give_the_same_cluster() {
    for seed in seeds().into_iter().step_by(10) {
        let case = generate(seed);
        let (Ok((first, _)), Ok((second, _))) = (run_reporting(&case), run_reporting(&case)) else {
            continue; // a broken property is the other test's to report
        };
        let (first, second) = (format!("{first:?}"), format!("{second:?}"));
        if first != second {
            let at = first
                .bytes()
                .zip(second.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            let from = at.saturating_sub(200);
            panic!(
                "seed {seed}: two runs differ at byte {at}:\n  first:  …{}\n  second: …{}",
                &first[from..(at + 200).min(first.len())],
                &second[from..(at + 200).min(second.len())],
            );
        }
    }
}
