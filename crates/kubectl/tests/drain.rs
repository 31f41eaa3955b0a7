//! Property: `kubectl drain` never takes a PodDisruptionBudget below its minimum (issue #12).
//!
//! Each case is a seed that draws a Deployment (2–8 replicas, a readiness delay), a budget
//! (`minAvailable` or `maxUnavailable`, an integer or a percentage, sometimes impossible to
//! meet) and a node to drain. Once every pod is ready, the drain runs with a `--timeout`, and
//! the cluster is sampled every 250 ms of virtual time: the healthy pods the budget selects
//! (ready, not terminating) never fall below what the budget asked for before the drain
//! (`desiredHealthy`), unless there were fewer to begin with. A drain the budget allows at
//! least one disruption for ends with the node drained; one it allows none times out.
//!
//! `DRAIN_SEED=N` reruns one case (`DRAIN_TRACE=1 … -- --nocapture` prints its drain);
//! `DRAIN_CASES=N` runs more.
#![cfg(not(target_arch = "wasm32"))]

use rollout_kubectl::lab::Lab;
use rollout_kubectl::shell::{Poll, Stream};
use rollout_sim::clock::Duration;
use rollout_sim::objects::LabelSelector;
use rollout_sim::rng::Rng;

const DEFAULT_CASES: u64 = 60;
const NODES: [&str; 3] = ["k8s-node01", "k8s-node02", "k8s-node03"];

/// The cluster's own SplitMix64 (same numbers on every platform), seeded apart from it.
struct Gen(Rng);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

#[derive(Debug)]
struct Case {
    replicas: u64,
    ready_after: u64,
    budget: String,
    node: &'static str,
}

fn generate(seed: u64) -> Case {
    let mut g = Gen(Rng::new(seed));
    let replicas = 2 + g.below(7);
    let ready_after = g.below(12);
    let number = g.below(replicas + 2);
    let percent = g.below(101);
    let budget = match g.below(4) {
        0 => format!("minAvailable: {number}"),
        1 => format!("minAvailable: \"{percent}%\""),
        2 => format!("maxUnavailable: {}", number.min(2)),
        _ => format!("maxUnavailable: \"{percent}%\""),
    };
    let node = NODES[g.below(3) as usize];
    Case {
        replicas,
        ready_after,
        budget,
        node,
    }
}

fn manifests(case: &Case) -> String {
    format!(
        "cat > drain.yaml <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: demoapp
        image: ikubernetes/demoapp:v1.0
        readinessProbe:
          httpGet:
            path: /readyz
            port: 80
          initialDelaySeconds: {ready_after}
          periodSeconds: 1
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  {budget}
  selector:
    matchLabels:
      app: web
EOF",
        replicas = case.replicas,
        ready_after = case.ready_after,
        budget = case.budget,
    )
}

/// The budget's pods that count as healthy: ready and not terminating.
fn healthy(lab: &Lab) -> i32 {
    let mut selector = LabelSelector::default();
    selector.match_labels.insert("app".into(), "web".into());
    let count = lab
        .cluster()
        .store()
        .pods_in("default")
        .filter(|pod| selector.matches(&pod.metadata.labels))
        .filter(|pod| pod.metadata.deletion_timestamp.is_none() && pod.is_ready())
        .count();
    i32::try_from(count).unwrap_or(i32::MAX)
}

fn run(seed: u64) -> Result<(), String> {
    let case = generate(seed);
    let mut lab = Lab::headless(seed);
    let wait = Duration::from_secs(120);
    lab.run_lines(&manifests(&case), wait);
    let applied = lab.run_line("kubectl apply -f drain.yaml", wait);
    if applied.status != 0 {
        return Err(format!("apply failed: {}", applied.stderr));
    }
    lab.run_line("sleep 40", wait);
    let pdb = lab
        .cluster()
        .store()
        .pod_disruption_budgets
        .values()
        .next()
        .cloned()
        .ok_or("no budget")?;
    let before = healthy(&lab);
    let floor = pdb.status.desired_healthy.min(before);
    let allowed = pdb.status.disruptions_allowed;
    lab.submit(&format!("kubectl drain {} --timeout=150s", case.node));
    let mut stdout = String::new();
    let mut waited = Duration::ZERO;
    let status = loop {
        match lab.poll() {
            Poll::Output(chunks) => {
                for chunk in chunks.iter().filter(|c| c.stream == Stream::Stdout) {
                    stdout.push_str(&chunk.text);
                }
            }
            Poll::Done(status) => break status,
            Poll::Sleeping { .. } | Poll::Waiting { .. } | Poll::Edit { .. } => {
                lab.advance(Duration(250));
                waited = waited + Duration(250);
                let now = healthy(&lab);
                if now < floor {
                    return Err(format!(
                        "{case:?}: {now} healthy pods at {waited} into the drain, the budget asks for {floor}\n{stdout}"
                    ));
                }
                if waited > Duration::from_secs(300) {
                    return Err(format!("{case:?}: the drain never ended\n{stdout}"));
                }
            }
        }
    };
    if std::env::var_os("DRAIN_TRACE").is_some() {
        eprintln!("{case:?}: floor {floor}, allowed {allowed}, exit {status}\n{stdout}");
    }
    let drained = stdout.contains(&format!("node/{} drained", case.node));
    let has_pods = stdout.contains("evicting pod");
    match (allowed > 0 || !has_pods, drained, status) {
        (true, true, 0) | (false, false, 1) => Ok(()),
        _ => Err(format!(
            "{case:?}: {allowed} disruptions allowed, exit {status}\n{stdout}"
        )),
    }
}

#[test]
fn a_drain_never_takes_a_budget_below_its_minimum() {
    let seeds: Vec<u64> = match std::env::var("DRAIN_SEED") {
        Ok(seed) => vec![seed.parse().expect("DRAIN_SEED is a number")],
        Err(_) => {
            let cases = std::env::var("DRAIN_CASES")
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(DEFAULT_CASES);
            (0..cases).collect()
        }
    };
    let failures: Vec<String> = seeds
        .iter()
        .filter_map(|seed| run(*seed).err().map(|e| format!("seed {seed}: {e}")))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
