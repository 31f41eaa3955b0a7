// The first download as people meet it: what it carries (the budget is checked by
// scripts/test; here: what stays out of it until it is used), the loading screen while the
// wasm streams, and the time to the first command on two throttled networks (printed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openPage, openLab, run, screenshot, terminalText, waitIdle } from '../browser.mjs';

const lab = suite();

/// Chromium's network emulation: throughput in bytes per second, round trip in ms.
const NETWORKS = [
  { name: '10 Mbit/s, 40 ms RTT', bytesPerSecond: (10 * 1000 * 1000) / 8, latency: 40 },
  { name: '1.6 Mbit/s, 150 ms RTT', bytesPerSecond: (1.6 * 1000 * 1000) / 8, latency: 150 },
];

async function waitForText(page, text, timeout = 30_000) {
  await page.getByTestId('terminal-output').getByText(text).first().waitFor({ timeout });
}

test('the help texts come after the page: a line that prints none runs without them, one that prints help waits for them', async () => {
  const page = await openPage(lab.browser);
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  // The help texts arrive only when the test lets them.
  await page.route('**/data/help/**', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(lab.url());
  await page.getByTestId('terminal-input').waitFor();
  await run(page, 'kubectl get pods');
  await waitForText(page, 'No resources found');
  await run(page, 'kubectl set');
  await run(page, 'help cd');
  await page.waitForTimeout(500);
  const before = await page.getByTestId('terminal-output').textContent();
  assert.ok(!before.includes('Configure application resources'), 'kubectl set ran without its help text');
  release();
  await waitForText(page, 'Configure application resources');
  await waitForText(page, 'Change the shell working directory.');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('kubectl explain fetches its schemas on first use, not with the page', async () => {
  const page = await openPage(lab.browser);
  const fetched = [];
  page.on('request', (req) => fetched.push(new URL(req.url()).pathname));
  await page.goto(lab.url());
  await page.getByTestId('terminal-input').waitFor();
  await run(page, 'kubectl get pods');
  await waitForText(page, 'No resources found');
  assert.deepEqual(
    fetched.filter((p) => p.includes('/data/') && !p.includes('/data/help/')),
    [],
    'nothing but the help texts fetched before explain',
  );

  await run(page, 'kubectl explain deployment.spec.strategy');
  await waitForText(page, 'DeploymentStrategy');
  assert.ok(fetched.some((p) => p.endsWith('/data/explain/schemas.txt')), fetched.join('\n'));
  // Later lines run at once: the schemas are read once.
  await run(page, 'kubectl explain pods | head -3');
  await waitForText(page, 'KIND:       Pod');
  assert.equal(fetched.filter((p) => p.endsWith('/data/explain/schemas.txt')).length, 1);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('kubectl describe, rollout and the template printers come in a module of their own, fetched for the first line that runs one', async () => {
  const page = await openLab(lab, '?lang=en');
  // The split modules the page fetched (tools/wasm-split.mjs names them after their split
  // point: `split_kubectl_verbs…` for cmd::more_verbs).
  const modules = () => page.evaluate(() => performance.getEntriesByType('resource')
    .map((entry) => new URL(entry.name).pathname).filter((path) => /\/(split|chunk)_[^/]*\.wasm$/.test(path)));
  // The first commands need only the lab's module (the simulator, kubectl's get/apply/create
  // and the shell), which the page fetches as it starts: one file, not the verbs' module.
  await run(page, 'kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --replicas=2');
  await waitForText(page, 'deployment.apps/web created');
  await run(page, 'kubectl get deployment web');
  await waitIdle(page);
  const packs = () => page.evaluate(() => performance.getEntriesByType('resource')
    .map((entry) => new URL(entry.name).pathname).filter((path) => /\/split_lab_engine-[0-9a-f]{16}\.pack$/.test(path)));
  assert.equal((await packs()).length, 1, "the lab's module, fetched once as the page started");
  assert.deepEqual(await modules(), [], 'no other split module before a line that needs one');

  // The first describe is held until its module loaded, then prints what kubectl prints.
  await run(page, 'kubectl describe deployment web');
  await waitForText(page, 'StrategyType:');
  await waitIdle(page);
  const fetched = await modules();
  assert.ok(fetched.some((path) => /\/split_kubectl_verbs[^/]*\.wasm$/.test(path)), `the verbs' module fetched: ${fetched}`);
  const text = await terminalText(page);
  const first = text.slice(text.lastIndexOf('kubectl describe deployment web'));
  // (The terminal's text content has no line breaks: each line is an element.)
  for (const line of [/Name:\s+webNamespace:\s+default/, /Selector:\s+app=web/,
    /Replicas:\s+2 desired \| \d+ updated \| \d+ total \| \d+ available \| \d+ unavailable/,
    /StrategyType:\s+RollingUpdate/, /Pod Template:/, /Image:\s+ikubernetes\/demoapp:v1.0/,
    /Events:\s+Type\s+Reason/, /ScalingReplicaSet/]) {
    assert.match(first, line);
  }
  // The clock is paused: the same describe again (the module now at hand) prints the same.
  await run(page, 'kubectl describe deployment web');
  await waitIdle(page);
  const again = await terminalText(page);
  assert.equal(again.slice(again.lastIndexOf('kubectl describe deployment web')), first);

  // The module's other verbs and printers run at once, and it is fetched only once.
  await run(page, "kubectl get deployment web -o jsonpath='{.spec.replicas}{\"/\"}{.metadata.name}'");
  await waitForText(page, '2/web');
  await run(page, 'kubectl rollout history deployment web');
  await waitForText(page, 'REVISION  CHANGE-CAUSE');
  await waitIdle(page);
  assert.equal((await modules()).filter((path) => /split_kubectl_verbs/.test(path)).length, 1);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the loading screen shows the page and a progress bar while the wasm streams, then goes', async () => {
  const page = await openPage(lab.browser);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 150, downloadThroughput: NETWORKS[1].bytesPerSecond, uploadThroughput: NETWORKS[1].bytesPerSecond,
  });
  await page.goto(lab.url('?lang=en'), { waitUntil: 'commit' });
  const loading = page.locator('#loading');
  await loading.getByText('Learn how Kubernetes releases software').waitFor({ timeout: 5_000 });
  await page.waitForFunction(() => document.getElementById('loading-progress')?.value > 0, null, { timeout: 30_000 });
  await page.getByTestId('terminal-input').waitFor({ timeout: 60_000 });
  assert.equal(await loading.count(), 0, 'the loading screen is gone once the app is up');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('time to the first command on throttled networks (printed)', async () => {
  for (const network of NETWORKS) {
    const page = await openPage(lab.browser);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: network.latency,
      downloadThroughput: network.bytesPerSecond,
      uploadThroughput: network.bytesPerSecond,
    });
    const bytes = { total: 0 };
    cdp.on('Network.loadingFinished', (e) => { bytes.total += e.encodedDataLength; });
    const start = Date.now();
    await page.goto(lab.url(), { waitUntil: 'commit' });
    await page.locator('#loading').waitFor({ timeout: 10_000 });
    const firstPaint = Date.now() - start;
    await page.getByTestId('terminal-input').waitFor({ timeout: 120_000 });
    await run(page, 'kubectl get pods');
    await waitForText(page, 'No resources found');
    const firstCommand = Date.now() - start;
    console.log(`first command on ${network.name}: ${(firstCommand / 1000).toFixed(2)} s ` +
      `(loading screen at ${(firstPaint / 1000).toFixed(2)} s, ${(bytes.total / 1024).toFixed(0)} KB transferred)`);
    assert.ok((await terminalText(page)).includes('No resources found'));
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('a page opened with a lesson still starts its terminal after the loading screen', async () => {
  const page = await openLab(lab, '?lesson=canary-pause&lang=zh');
  assert.equal(await page.locator('#loading').count(), 0);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("the page is drawn and takes input before the lab's module arrives; the lines typed meanwhile run once it is here", async () => {
  const page = await openPage(lab.browser);
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  // The lab's module (the simulator, kubectl and the shell) arrives only when the test lets it.
  await page.route('**/split_lab_engine-*.pack', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(lab.url('?lesson=blue-green&lang=en'));
  const terminal = page.locator('[data-testid="terminal"][data-starting="true"]');
  await terminal.waitFor();
  // The loading screen is gone: the lesson reads, the terminal says what it waits for.
  assert.equal(await page.locator('#loading').count(), 0);
  await page.getByTestId('lesson-step').first().waitFor();
  const status = page.getByTestId('terminal-status');
  assert.equal(await status.getAttribute('data-state'), 'starting');
  assert.match(await status.textContent(), /starting the cluster/);
  await page.getByTestId('cluster-starting').waitFor();
  await run(page, 'kubectl get nodes');
  await page.getByTestId('terminal-queued').waitFor();
  await screenshot(page, 'starting-before-the-lab-module');
  release();
  await page.locator('[data-testid="terminal"][data-starting="false"]').waitFor();
  await page.getByTestId('terminal-output').getByText('k8s-node01').first().waitFor();
  const text = await terminalText(page);
  assert.equal(text.split('kubectl get nodes').length - 1, 1, 'the line ran once');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
