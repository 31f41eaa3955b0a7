// Autoscaling in the page (issue 12): metrics-server installed from its release URL,
// `kubectl top`, `kubectl autoscale` and `kubectl get hpa` typed in the terminal, the HPA
// scaling demoapp under load, and the cluster view's HPA line. The commands' code and the
// add-on's are wasm modules of their own, fetched when a line first needs them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openLab, screenshot, run, step, waitIdle } from '../browser.mjs';
import { MOUNT } from '../serve.mjs';

const lab = suite();

const INSTALL =
  'https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml';

const DEMOAPP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: demoapp
spec:
  replicas: 2
  selector:
    matchLabels:
      app: demoapp
  template:
    metadata:
      labels:
        app: demoapp
    spec:
      containers:
      - name: demoapp
        image: ikubernetes/demoapp:v1.0
        resources:
          requests:
            cpu: 50m
---
apiVersion: v1
kind: Service
metadata:
  name: demoapp-svc
spec:
  selector:
    app: demoapp
  ports:
  - port: 80`;

async function waitForOutput(page, text) {
  await page.getByTestId('terminal-output').getByText(text).last().waitFor();
}

/// The terminal's text, a line per line (textContent runs its lines together).
async function terminalLines(page) {
  return page.getByTestId('terminal-output').evaluate((el) => el.innerText);
}

/// The last `kubectl get hpa` row of `name`, read by its columns whatever their widths:
/// `{ current, target, min, max, replicas }` (`current` is `<unknown>` before metrics).
async function hpaRow(page, name) {
  const text = await terminalLines(page);
  const rows = [...text.matchAll(
    new RegExp(`^${name}\\s+Deployment/${name}\\s+cpu: (\\S+)/(\\d+)%\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+\\S+\\s*$`, 'gm'),
  )];
  assert.ok(rows.length > 0, `a get hpa row for ${name} in:\n${text.slice(-2000)}`);
  const [, current, target, min, max, replicas] = rows.at(-1);
  return { current, target: Number(target), min: Number(min), max: Number(max), replicas: Number(replicas) };
}

test('kubectl top, autoscale and get hpa work in the terminal, and the HPA scales demoapp under load', async () => {
  const page = await openLab(lab, '?lang=en', { viewport: { width: 1440, height: 900 } });
  const wasmFetched = () => page.evaluate(() => performance.getEntriesByType('resource')
    .map((entry) => new URL(entry.name).pathname).filter((path) => /\/(split|chunk)_[^/]*\.wasm$/.test(path)));
  assert.deepEqual(await wasmFetched(), [], 'no split module in the first download');

  // Before metrics-server: the API is missing. The line waits for the commands' module.
  await run(page, 'kubectl top pods');
  await waitForOutput(page, 'error: Metrics API not available');
  const afterTop = await wasmFetched();
  assert.ok(afterTop.length >= 1, `the autoscaling commands' module was fetched: ${afterTop}`);
  for (const path of afterTop) assert.ok(path.startsWith(MOUNT), `fetched beside the page: ${path}`);

  // A plain apply of a file does not fetch anything.
  await run(page, `kubectl apply -f - <<EOF\n${DEMOAPP}\nEOF`);
  await waitForOutput(page, 'service/demoapp-svc created');
  assert.deepEqual(await wasmFetched(), afterTop, 'applying a manifest fetches no module');

  await run(page, `kubectl apply -f ${INSTALL}`);
  await waitForOutput(page, 'deployment.apps/metrics-server created');
  assert.ok((await wasmFetched()).length > afterTop.length, 'the add-on module was fetched');

  await run(page, 'kubectl autoscale deployment demoapp --min=2 --max=6 --cpu-percent=50');
  await waitForOutput(page, 'horizontalpodautoscaler.autoscaling/demoapp autoscaled');
  await run(page, 'kubectl get hpa');
  await waitIdle(page);
  let row = await hpaRow(page, 'demoapp');
  // metrics-server (and with it the autoscaler's loop) is installed but has no metrics yet.
  assert.deepEqual({ ...row, replicas: undefined }, { current: '<unknown>', target: 50, min: 2, max: 6, replicas: undefined });

  // metrics-server starts, then scrapes every 15 s: metrics after its first whole window.
  await step(page, 50);
  await run(page, 'kubectl top pods');
  await waitIdle(page);
  await waitForOutput(page, 'CPU(cores)');
  assert.match(await terminalLines(page), /demoapp-\S+\s+1m\s+24Mi/);
  await run(page, 'kubectl get hpa');
  await waitIdle(page);
  row = await hpaRow(page, 'demoapp');
  assert.equal(row.replicas, 2);
  assert.match(row.current, /^\d+%$/);

  // Load from a pod's wget loop: the HPA scales up.
  await run(page, 'kubectl run load --image=busybox:1.36 -- /bin/sh -c "while true; do wget -q -O- http://demoapp-svc >/dev/null; sleep 0.05; done"');
  await waitForOutput(page, 'pod/load created');
  await step(page, 60);
  await run(page, 'kubectl get hpa');
  await waitIdle(page);
  row = await hpaRow(page, 'demoapp');
  assert.ok(row.replicas > 2, `scaled up: ${JSON.stringify(row)}`);

  // The cluster view shows the HPA's current/target metric on the Deployment.
  const hpa = page.locator('[data-testid="deployment"][data-name="demoapp"] [data-testid="hpa"]');
  await hpa.waitFor();
  assert.match(await hpa.textContent(), /HPA demoapp: cpu: \d+%\/50% · 2–6 replicas/);
  await screenshot(page, 'autoscaling-hpa');
  assert.deepEqual(page.problems, []);
});
