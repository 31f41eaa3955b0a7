// The playground through its test hooks: terminal, clock, editor, cluster view, events and
// the timeline. Every scenario ends with a screenshot in e2e/screenshots/ for review.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  suite,
  openLab,
  screenshot,
  run,
  clock,
  step,
  dragTimeline,
  terminalText,
} from '../browser.mjs';

// The course's Deployment (chapter 8) and its Service.
const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: deployment-demo
spec:
  replicas: 4
  selector:
    matchLabels:
      app: demoapp
      release: stable
  template:
    metadata:
      labels:
        app: demoapp
        release: stable
    spec:
      containers:
      - name: demoapp
        image: ikubernetes/demoapp:v1.1
        ports:
        - containerPort: 80
          name: http
        livenessProbe:
          httpGet:
            path: '/livez'
            port: 80
          initialDelaySeconds: 5
        readinessProbe:
          httpGet:
            path: '/readyz'
            port: 80
          initialDelaySeconds: 15
---
apiVersion: v1
kind: Service
metadata:
  name: demoapp-svc
spec:
  selector:
    app: demoapp
  ports:
  - name: http
    port: 80
    targetPort: 80
`;

const lab = suite();

const open = (viewport) => openLab(lab, '', { viewport });

/// Pods on the page as the hooks describe them.
async function pods(page) {
  return page.locator('[data-testid="pod"]').evaluateAll((els) =>
    els.map((el) => ({
      name: el.dataset.name,
      phase: el.dataset.phase,
      ready: el.dataset.ready === 'true',
      version: el.dataset.version,
      rs: el.dataset.rs,
    })),
  );
}

/// Applies MANIFEST through the editor and waits for kubectl's answer.
async function applyManifest(page) {
  await page.getByTestId('editor').fill(MANIFEST);
  await page.getByTestId('editor-apply').click();
  const output = page.getByTestId('terminal-output');
  await output.getByText('deployment.apps/deployment-demo created').waitFor();
  await output.getByText('service/demoapp-svc created').waitFor();
}

/// What the ReplicaSets on the page say: revision → desired/current/ready.
async function replicaSets(page) {
  return page.locator('[data-testid="replicaset"]').evaluateAll((els) =>
    Object.fromEntries(els.map((el) => [el.dataset.revision, `${el.dataset.desired}/${el.dataset.current}/${el.dataset.ready}`])),
  );
}

test('terminal, clock and timeline work through their hooks', async () => {
  const page = await open();
  await run(page, 'kubectl get nodes');
  await page.getByTestId('terminal-output').getByText('k8s-node01').waitFor();

  const t0 = await clock(page);
  await page.getByTestId('clock-step').click();
  assert.equal(await clock(page), t0 + 1);
  await run(page, 'sleep 20');
  await page.waitForFunction((t) => Number(document.querySelector('[data-testid="clock-time"]').textContent) === t, t0 + 21);

  await run(page, 'echo later-line');
  await page.getByTestId('terminal-output').getByText('later-line', { exact: true }).waitFor();
  await page.getByTestId('clock-speed').selectOption('30');
  await dragTimeline(page, 0);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="clock-time"]').textContent) === 0);
  assert.ok(!(await terminalText(page)).includes('later-line'), 'the rewound terminal shows the earlier screen');
  await screenshot(page, 'playground-rewound-terminal');
  assert.deepEqual(page.problems, []);
});

test('a rolling update, seen through the cluster view', async () => {
  const page = await open();
  await applyManifest(page);
  // Fast-forward: 4 ready pods, 4 endpoints.
  await step(page, 40);
  let now = await pods(page);
  assert.equal(now.filter((p) => p.ready).length, 4, JSON.stringify(now));
  const service = page.locator('[data-testid="service"][data-name="demoapp-svc"]');
  assert.equal(await service.locator('[data-testid="endpoint"]').count(), 4);
  await screenshot(page, 'playground-1-ready');

  // A new image: old and new pods coexist within maxSurge (25% of 4 → 1) and
  // maxUnavailable (25% of 4 → 1).
  await run(page, 'kubectl set image deployment deployment-demo demoapp=ikubernetes/demoapp:v1.2');
  let sawBoth = false;
  for (let i = 0; i < 40; i++) {
    await page.getByTestId('clock-step').click();
    now = (await pods(page)).filter((p) => p.phase !== 'Terminating');
    assert.ok(now.length <= 5, `more than replicas + maxSurge: ${JSON.stringify(now)}`);
    assert.ok(now.filter((p) => p.ready).length >= 3, `fewer than replicas - maxUnavailable ready`);
    const versions = new Set(now.map((p) => p.version));
    if (versions.has('v1.1') && versions.has('v1.2')) {
      if (!sawBoth) await screenshot(page, 'playground-2-rolling');
      sawBoth = true;
    }
  }
  assert.ok(sawBoth, 'old and new pods were never seen together');
  assert.equal(await page.locator('[data-testid="replicaset"]').count(), 2);

  // Pause mid-rollout: the badge shows, the rollout stops. (Back to v1.0, an image that
  // pulls: a rollout to an image that does not exist stands still paused or not.)
  await run(page, 'kubectl set image deployment deployment-demo demoapp=ikubernetes/demoapp:v1.0');
  await step(page, 1);
  await run(page, 'kubectl rollout pause deployment deployment-demo');
  await step(page, 30);
  await page.locator('[data-testid="deployment"][data-paused="true"]').waitFor();
  // The rollout stops where it was: half a minute later the same pods and ReplicaSets, with
  // the v1.0 rollout begun and not finished.
  // (Pods already terminating when it paused may finish going; they are left out.)
  const settled = async () => ({
    pods: (await pods(page)).filter((p) => p.phase !== 'Terminating'),
    sets: await replicaSets(page),
  });
  const atPause = await settled();
  const started = atPause.pods.filter((p) => p.version === 'v1.0');
  assert.ok(started.length > 0 && started.length < 4, `v1.0 pods at the pause: ${JSON.stringify(atPause.pods)}`);
  assert.ok(started.every((p) => p.ready), `the new pods are ready, so only the pause holds the rollout: ${JSON.stringify(started)}`);
  await step(page, 30);
  assert.deepEqual(await settled(), atPause, 'the paused rollout moved');
  await screenshot(page, 'playground-3-paused');

  // Undo: back to v1.2.
  await run(page, 'kubectl rollout resume deployment deployment-demo');
  await run(page, 'kubectl rollout undo deployment deployment-demo');
  await step(page, 60);
  now = (await pods(page)).filter((p) => p.phase !== 'Terminating');
  assert.deepEqual([...new Set(now.map((p) => p.version))], ['v1.2'], JSON.stringify(now));
  await screenshot(page, 'playground-4-undone');

  // Rewind to the first moments: no pod is ready yet, the terminal is as it was.
  // (snapshot 0: the fresh lab; 1: just before `kubectl apply`; 2: ten seconds later)
  await dragTimeline(page, 2);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="clock-time"]').textContent) < 15);
  now = await pods(page);
  assert.equal(now.length, 4, JSON.stringify(now));
  assert.ok(now.every((p) => p.version === 'v1.1' && !p.ready), JSON.stringify(now));
  assert.ok(!(await terminalText(page)).includes('rollout undo'));
  await screenshot(page, 'playground-5-rewound');
  assert.deepEqual(page.problems, []);
});

test('the page reads on a 1920-wide projector, in the dark theme', async () => {
  const page = await open({ width: 1920, height: 1080 });
  await applyManifest(page);
  await step(page, 30);
  const langBefore = await page.evaluate(() => document.documentElement.lang);
  await page.getByTestId('theme').click();
  await page.getByTestId('lang').click();
  await page.locator('[data-testid="app"][data-theme="dark"]').waitFor();
  const look = await page.evaluate(() => {
    // Relative luminance and contrast ratio (WCAG 2).
    const rgb = (c) => c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
    const lum = (c) => {
      const [r, g, b] = rgb(c).map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
    // The colour painted behind an element: the first ancestor with an opaque background.
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = getComputedStyle(e).backgroundColor;
        if (!/rgba\(.*, 0\)$/.test(c) && c !== 'transparent') return c;
      }
      return 'rgb(255, 255, 255)';
    };
    const app = document.querySelector('[data-testid="app"]');
    const terminal = document.querySelector('[data-testid="terminal-output"]');
    return {
      lang: document.documentElement.lang,
      appLum: lum(background(app)),
      appContrast: contrast(getComputedStyle(app).color, background(app)),
      terminalContrast: contrast(getComputedStyle(terminal).color, background(terminal)),
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      pods: document.querySelectorAll('[data-testid="pod"][data-ready="true"]').length,
    };
  });
  assert.notEqual(look.lang, langBefore, 'the language switched');
  assert.ok(look.appLum < 0.2, `a dark background: luminance ${look.appLum}`);
  assert.ok(look.appContrast >= 4.5 && look.terminalContrast >= 4.5, `readable text: ${JSON.stringify(look)}`);
  assert.ok(look.overflow <= 0, `no sideways scrolling at 1920: ${look.overflow}px too wide`);
  assert.equal(look.pods, 4, 'the cluster view shows the four ready pods');
  await screenshot(page, 'playground-1920-dark');
  assert.deepEqual(page.problems, []);
});

test('a node fails from its lane, the control plane notices, and it comes back', async () => {
  const page = await open();
  await applyManifest(page);
  await step(page, 40);
  await page.getByTestId('group-by-node').click();
  const lanes = page.locator('[data-testid="node"]');
  await lanes.first().waitFor();
  // Each lane says how much of the node its pods request.
  assert.match(await lanes.first().locator('.node-room').textContent(), /CPU .* of 2 requested · \d+\/110 pods/);
  const lane = lanes.nth(1);
  const name = await lane.getAttribute('data-name');
  const endpoints = page.locator('[data-testid="service"][data-name="demoapp-svc"] [data-testid="endpoint"]');
  assert.equal(await endpoints.count(), 4);
  const onNode = await lane.locator('[data-testid="pod"]').count();
  assert.ok(onNode > 0, 'the second node runs pods');

  // The lane's button types the lab's command; the node is cut off at once.
  await lane.getByTestId('node-action').click();
  await page.getByTestId('terminal-output').getByText(`node/${name} failed`).waitFor();
  await lane.getByTestId('node-down').waitFor();
  assert.equal(await lane.getByTestId('node-status').count(), 0, 'the control plane does not know yet');
  // About 40 s later the node lifecycle controller marks it NotReady and its pods leave
  // the Service's endpoints.
  await step(page, 50);
  await page.waitForFunction((n) => document.querySelector(`[data-testid="node"][data-name="${n}"] [data-testid="node-status"]`)?.textContent === 'NotReady', name);
  await page.waitForFunction((want) => document.querySelectorAll('[data-testid="service"][data-name="demoapp-svc"] [data-testid="endpoint"]').length === want, 4 - onNode);
  await screenshot(page, 'playground-8-node-failed');

  // Back: the kubelet posts Ready at once.
  await lane.getByTestId('node-action').click();
  await page.getByTestId('terminal-output').getByText(`node/${name} recovered`).waitFor();
  await page.waitForFunction((n) => !document.querySelector(`[data-testid="node"][data-name="${n}"] [data-testid="node-down"]`), name);
  await step(page, 20);
  await page.waitForFunction((n) => !document.querySelector(`[data-testid="node"][data-name="${n}"] [data-testid="node-status"]`), name);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="service"][data-name="demoapp-svc"] [data-testid="endpoint"]').length === 4);
  assert.deepEqual(page.problems, []);
});

test('lines from the Service follow its endpoints; pods by node; a deleted pod fades away', async () => {
  const page = await open();
  await applyManifest(page);
  await step(page, 40);
  const service = page.locator('[data-testid="service"][data-name="demoapp-svc"]');
  const lines = page.locator('svg.links path.link[data-service="demoapp-svc"]');
  const linked = async () =>
    (await lines.evaluateAll((els) => els.map((e) => e.dataset.pod))).sort();
  const endpoints = async () =>
    (await service.locator('[data-testid="endpoint"]').evaluateAll((els) => els.map((e) => e.dataset.pod))).sort();
  // One line per ready endpoint, ending at that pod's card.
  await page.waitForFunction(() => document.querySelectorAll('svg.links path.link').length === 4);
  assert.deepEqual(await linked(), await endpoints());
  // Compared with where the cards stand once their entrance animations are over.
  await page.waitForFunction(() => document.getAnimations().length === 0);
  const endsAtCard = await page.evaluate(() => {
    const root = document.querySelector('[data-testid="cluster"]').getBoundingClientRect();
    return [...document.querySelectorAll('svg.links path.link')].every((path) => {
      const card = document.querySelector(`[data-testid="pod"][data-name="${path.dataset.pod}"]`).getBoundingClientRect();
      const end = path.getAttribute('d').trim().split(/[ ,]+/).slice(-2).map(Number);
      return Math.abs(end[0] - (card.left + card.width / 2 - root.left)) < 2
          && Math.abs(end[1] - (card.bottom - root.top)) < 2;
    });
  });
  assert.ok(endsAtCard, 'every line ends at the bottom of its pod card');
  await screenshot(page, 'playground-6-service-lines');

  // A readiness failure takes a pod out of the endpoints: its line goes.
  const victim = (await endpoints())[0];
  await run(page, `kubectl exec ${victim} -- curl -s -X POST -d readyz=FAIL http://localhost/readyz`);
  await step(page, 40);
  await page.waitForFunction(() => document.querySelectorAll('svg.links path.link').length === 3);
  assert.ok(!(await linked()).includes(victim));
  assert.deepEqual(await linked(), await endpoints());

  // By node: three lanes holding the same four pods, spread by the scheduler.
  await page.getByTestId('group-by-node').click();
  const lanes = page.locator('[data-testid="node"]');
  await lanes.first().waitFor();
  assert.equal(await lanes.count(), 3);
  const perLane = await lanes.evaluateAll((els) =>
    els.map((el) => el.querySelectorAll('[data-testid="pod"]').length));
  assert.equal(perLane.reduce((a, b) => a + b, 0), 4, JSON.stringify(perLane));
  assert.ok(Math.max(...perLane) <= 2, `pods are spread over the nodes: ${JSON.stringify(perLane)}`);
  await page.waitForFunction(() => document.querySelectorAll('svg.links path.link').length === 3);
  await screenshot(page, 'playground-7-by-node');
  await page.getByTestId('group-by-rs').click();
  await page.locator('[data-testid="replicaset"]').first().waitFor();

  // A force-deleted pod's card goes; its outline fades where it stood, then goes too.
  await run(page, `kubectl delete pod ${victim} --grace-period=0 --force`);
  await page.waitForFunction((name) => !document.querySelector(`[data-testid="pod"][data-name="${name}"]`), victim);
  await page.locator('.pod-ghost').first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.pod-ghost').length === 0);
  assert.deepEqual(page.problems, []);
});
