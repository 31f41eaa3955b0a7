// Benchmarks (print figures, never fail on them): a 200-replica and a 1,000-replica rolling
// update at 30× with the cluster view visible. Frame times come from requestAnimationFrame
// timestamps collected in the page; the goal is p95 ≤ 16.7 ms and no frame over 50 ms.
// The rollouts themselves must finish (that is asserted). Set BENCHMARK=0 to skip them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openLab, screenshot, run, clock } from '../browser.mjs';

const REPLICAS = 200;
const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: big
spec:
  replicas: ${REPLICAS}
  # Twenty new pods at a time: the rollout takes about a virtual minute and a half.
  strategy:
    rollingUpdate:
      maxSurge: 10%
      maxUnavailable: 0
  selector:
    matchLabels:
      app: big
  template:
    metadata:
      labels:
        app: big
    spec:
      containers:
      - name: demoapp
        image: ikubernetes/demoapp:v1.0
        readinessProbe:
          httpGet:
            path: '/readyz'
            port: 80
          initialDelaySeconds: 5`;

const lab = suite();

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

async function readyOf(page, revision) {
  return page.evaluate((rev) => {
    const rs = document.querySelector(`[data-testid="replicaset"][data-revision="${rev}"]`);
    return rs ? Number(rs.dataset.ready) : 0;
  }, revision);
}

async function until(page, what, limitMs) {
  const start = Date.now();
  while (Date.now() - start < limitMs) {
    if (await what()) return true;
    await page.waitForTimeout(100);
  }
  return false;
}

test('benchmark: 200-replica rolling update at 30x, frame-time percentiles', { skip: process.env.BENCHMARK === '0' }, async () => {
  const page = await openLab(lab, '', { playing: true });
  await page.getByTestId('clock-speed').selectOption('30');
  await run(page, `kubectl apply -f - <<EOF\n${MANIFEST}\nEOF`);
  await page.getByTestId('terminal-output').getByText('deployment.apps/big created').waitFor();
  const readyAll = await until(page, async () => (await readyOf(page, '1')) === REPLICAS, 60_000);

  // Frame timestamps from here until the rollout is over.
  await startFrames(page);
  const started = Date.now();
  const clockFrom = await clock(page);
  await run(page, 'kubectl set image deployment big demoapp=ikubernetes/demoapp:v1.1');
  const done = await until(page, async () => (await readyOf(page, '2')) === REPLICAS, 120_000);
  const realMs = Date.now() - started;
  // At least five seconds of frames, so the percentiles mean something.
  if (realMs < 5_000) await page.waitForTimeout(5_000 - realMs);
  await screenshot(page, 'benchmark-200-replicas');
  const frames = await page.evaluate(() => {
    window.__collect = false;
    return window.__frames;
  });
  const deltas = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
  const fmt = (x) => x.toFixed(1);
  console.log(
    `# benchmark: ${REPLICAS} replicas at 30x (all ready before: ${readyAll}, rollout done: ${done}, ${(realMs / 1000).toFixed(1)} s real): ` +
      `${deltas.length} frames, p50 ${fmt(percentile(deltas, 50))} ms, p95 ${fmt(percentile(deltas, 95))} ms, ` +
      `p99 ${fmt(percentile(deltas, 99))} ms, max ${fmt(deltas.at(-1) ?? NaN)} ms (goal p95 <= 16.7 ms)`,
  );
  // Figures are printed, not judged; the rollout itself must have happened: every replica
  // ready before, and after it the new ReplicaSet at 200/200/200 and the old one at 0.
  assert.ok(readyAll, `the first ${REPLICAS} replicas were not all ready within a minute`);
  assert.ok(done, `the rollout did not finish within two minutes`);
  const sets = await page.locator('[data-testid="replicaset"]').evaluateAll((els) =>
    Object.fromEntries(els.map((el) => [el.dataset.revision, [el.dataset.desired, el.dataset.current, el.dataset.ready].map(Number)])),
  );
  assert.deepEqual(sets['2'], [REPLICAS, REPLICAS, REPLICAS], JSON.stringify(sets));
  assert.equal(sets['1']?.[0] ?? 0, 0, JSON.stringify(sets));
  assert.deepEqual(page.problems, []);
});

/// Starts collecting requestAnimationFrame timestamps in the page.
async function startFrames(page) {
  await page.evaluate(() => {
    window.__frames = [];
    window.__labFrameCosts = [];
    window.__collect = true;
    const tick = (t) => {
      if (!window.__collect) return;
      window.__frames.push(t);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

async function desiredCurrentReady(page) {
  return page.locator('[data-testid="replicaset"]').evaluateAll((els) =>
    Object.fromEntries(els.map((el) => [el.dataset.revision, [el.dataset.desired, el.dataset.current, el.dataset.ready].map(Number)])),
  );
}

test('benchmark: 1,000-replica rolling update at 30x in the compact view, frame p95 and worst frame', { skip: process.env.BENCHMARK === '0' }, async () => {
  const N = 1000;
  const page = await openLab(lab, '?lang=en', { playing: true, viewport: { width: 1440, height: 900 } });
  await page.getByTestId('clock-speed').selectOption('30');
  // A cluster sized to hold it: three workers take 330 pods, and the rollout's surge makes
  // 1,250; nine more workers of 110 pods each make room for 1,320.
  await run(page, 'lab-node add 9');
  await page.getByTestId('terminal-output').getByText('node/k8s-node12 joined the cluster').waitFor();
  await run(page, `kubectl create deployment big --image=ikubernetes/demoapp:v1.0 --replicas=${N}`);
  await page.getByTestId('terminal-output').getByText('deployment.apps/big created').waitFor();
  const readyAll = await until(page, async () => (await readyOf(page, '1')) === N, 120_000);
  assert.ok(readyAll, `the first ${N} replicas were not all ready within two minutes`);
  // Past the threshold a ReplicaSet draws cells, not cards.
  assert.equal(await page.getByTestId('pod-grid').count(), 1);
  assert.equal(await page.locator('.pod-grid').getAttribute('data-cells'), String(N));

  await startFrames(page);
  const started = Date.now();
  const clockFrom = await clock(page);
  await run(page, 'kubectl set image deployment big demoapp=ikubernetes/demoapp:v1.1');
  // The cluster pane maximised: every cell of both ReplicaSets is on screen while they roll.
  await page.getByTestId('maximise-cluster').click();
  // Mid-rollout, the screenshot; the frames the screenshot itself holds up are left out.
  const midway = await until(page, async () => (await readyOf(page, '2')) >= N / 4, 120_000);
  const shotFrom = await page.evaluate(() => performance.now());
  await screenshot(page, 'benchmark-1000-replicas-compact');
  const shotTo = await page.evaluate(() => performance.now());
  const done = await until(page, async () => {
    const sets = await desiredCurrentReady(page);
    return sets['2']?.[2] === N && (sets['1']?.[1] ?? 0) === 0;
  }, 180_000);
  const realMs = Date.now() - started;
  const virtualSeconds = (await clock(page)) - clockFrom;
  const frames = await page.evaluate(() => {
    window.__collect = false;
    return window.__frames;
  });
  const deltas = frames
    .slice(1)
    .map((t, i) => ({ at: frames[i], ms: t - frames[i] }))
    .filter((f) => f.at + f.ms < shotFrom || f.at > shotTo + 50)
    .map((f) => f.ms)
    .sort((a, b) => a - b);
  const fmt = (x) => x.toFixed(1);
  const p95 = percentile(deltas, 95);
  const worst = deltas.at(-1) ?? NaN;
  const met = p95 <= 16.7 && worst <= 50;
  // Where a frame's work went: the simulation (within its budget) and the drawing after it.
  const costs = await page.evaluate(() => window.__labFrameCosts);
  const spread = (i) => {
    const xs = costs.map((c) => c[i]).sort((a, b) => a - b);
    return `p50 ${fmt(percentile(xs, 50))} / p95 ${fmt(percentile(xs, 95))} / max ${fmt(xs.at(-1) ?? NaN)} ms`;
  };
  console.log(`# benchmark: ${N} replicas, the page's work per frame: simulation ${spread(0)}, drawing ${spread(1)}`);
  // A frame that missed the display's refresh comes a whole refresh late (33 ms at 60 Hz);
  // an on-time one reads 16.6-16.8 ms, the timer's jitter.
  const missed = deltas.filter((d) => d > 25).length;
  console.log(
    `# benchmark: ${N} replicas, frames that missed a refresh (over 25 ms): ${missed} of ${deltas.length} (${fmt((100 * missed) / deltas.length)}%); ` +
      `the clock ran at ${fmt(virtualSeconds / (realMs / 1000))}x of the 30x asked (${fmt(virtualSeconds)} virtual s in ${fmt(realMs / 1000)} s)`,
  );
  console.log(
    `# benchmark: ${N} replicas at 30x, compact view (rollout done: ${done}, ${(realMs / 1000).toFixed(1)} s real, ` +
      `screenshot's ${fmt(shotTo - shotFrom)} ms left out): ${deltas.length} frames, p50 ${fmt(percentile(deltas, 50))} ms, ` +
      `p95 ${fmt(p95)} ms, p99 ${fmt(percentile(deltas, 99))} ms, worst ${fmt(worst)} ms ` +
      `(targets p95 <= 16.7 ms, worst <= 50 ms: ${met ? 'met' : 'NOT met'})`,
  );
  assert.ok(midway, 'the rollout never reached a quarter of the new pods');
  assert.ok(done, `the rollout did not finish within three minutes: ${JSON.stringify(await desiredCurrentReady(page))}`);
  const sets = await desiredCurrentReady(page);
  assert.deepEqual(sets['2'], [N, N, N], JSON.stringify(sets));
  assert.equal(sets['1']?.[0] ?? 0, 0, JSON.stringify(sets));
  // kubectl agrees that the rollout is over.
  await page.getByTestId('clock-pause').click();
  await page.getByTestId('maximise-cluster').click();
  await run(page, 'kubectl rollout status deployment big');
  await page.getByTestId('terminal-output').getByText('deployment "big" successfully rolled out').waitFor();
  assert.deepEqual(page.problems, []);
});
