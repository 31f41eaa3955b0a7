// Argo Rollouts in the page, as a learner meets them: install the controller with the course's
// two commands, apply a canary Rollout, change its image, and watch the Rollout card step
// through its weights and pauses (data-step, data-status, data-set-weight, the countdown on
// the virtual clock), the traffic panel's "step asks" weight beside the measured share, and
// the Promote button typing the plugin's command into the terminal. Screenshots in
// e2e/screenshots/rollouts-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { suite, openLab, screenshot, run, step, SCREENSHOTS } from '../browser.mjs';
import { MOUNT } from '../serve.mjs';

const INSTALL = 'https://github.com/argoproj/argo-rollouts/releases/latest/download/install.yaml';

// Upstream's getting-started canary on the course's demoapp, with a timed pause first (the
// countdown) and an untimed one (Promote).
const ROLLOUT = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: rollouts-demo
spec:
  replicas: 5
  strategy:
    canary:
      steps:
      - setWeight: 20
      - pause: {duration: 30}
      - setWeight: 40
      - pause: {}
      - setWeight: 80
      - pause: {duration: 10}
  revisionHistoryLimit: 2
  selector:
    matchLabels:
      app: rollouts-demo
  template:
    metadata:
      labels:
        app: rollouts-demo
    spec:
      containers:
      - name: rollouts-demo
        image: ikubernetes/demoapp:v1.0
        ports:
        - name: http
          containerPort: 80
          protocol: TCP
---
apiVersion: v1
kind: Service
metadata:
  name: rollouts-demo
spec:
  ports:
  - port: 80
    targetPort: http
    protocol: TCP
    name: http
  selector:
    app: rollouts-demo`;

const lab = suite();

const card = (page) => page.locator('[data-testid="rollout"][data-name="rollouts-demo"]');

async function hooks(page) {
  return card(page).evaluate((el) => ({
    status: el.dataset.status,
    step: el.dataset.step,
    setWeight: el.dataset.setWeight,
    actualWeight: el.dataset.actualWeight,
  }));
}

async function stepStates(page) {
  return card(page)
    .locator('[data-testid="rollout-step"]')
    .evaluateAll((els) => els.map((el) => el.dataset.state));
}

/// Steps the clock one virtual second at a time until the card's hooks satisfy `holds`.
async function stepUntil(page, holds, what, maxSeconds = 120) {
  for (let waited = 0; waited <= maxSeconds; waited++) {
    const now = await hooks(page);
    if (holds(now)) return now;
    await page.getByTestId('clock-step').click();
  }
  assert.fail(`${what}: not within ${maxSeconds} virtual seconds (${JSON.stringify(await hooks(page))})`);
}

async function waitForOutput(page, text) {
  await page.getByTestId('terminal-output').getByText(text).last().waitFor();
}

test('a canary Rollout steps through its weights and pauses on the card, and Promote types the plugin command', async () => {
  const page = await openLab(lab, '?lang=en', { viewport: { width: 1440, height: 900 } });

  // The course's install: the namespace, then the release manifest. The add-on's code is a
  // wasm module of its own (tools/wasm-split.mjs), fetched from beside the page (a sub-path
  // here) when the line that installs it is entered, not before.
  const splitModules = () => page.evaluate(() => performance.getEntriesByType('resource')
    .map((entry) => new URL(entry.name).pathname).filter((path) => /\/split_[^/]*\.wasm$/.test(path)));
  await run(page, 'kubectl create namespace argo-rollouts');
  await waitForOutput(page, 'namespace/argo-rollouts created');
  assert.deepEqual(await splitModules(), [], 'the add-on module is not in the first download');
  await run(page, `kubectl apply -n argo-rollouts -f ${INSTALL}`);
  await waitForOutput(page, 'deployment.apps/argo-rollouts created');
  // Two modules: the add-on's controller, and its kubectl plugin, which comes with it.
  const fetched = await splitModules();
  assert.equal(fetched.length, 2, `the add-on's and its plugin's modules fetched: ${fetched}`);
  for (const path of fetched) assert.ok(path.startsWith(MOUNT), `fetched beside the page: ${path}`);
  await run(page, `kubectl apply -f - <<EOF\n${ROLLOUT}\nEOF`);
  await waitForOutput(page, 'rollout.argoproj.io/rollouts-demo created');
  await card(page).waitFor();

  // The first deploy skips the steps: all six done, Healthy, all of the traffic.
  await stepUntil(page, (h) => h.status === 'Healthy' && h.step === '6/6', 'the first deploy turns Healthy');
  assert.deepEqual(await hooks(page), { status: 'Healthy', step: '6/6', setWeight: '100', actualWeight: '100' });
  assert.deepEqual(await stepStates(page), Array(6).fill('done'));
  // The Rollout's Service (Auto would pick the first Service with endpoints, which may be
  // the controller's metrics Service in argo-rollouts).
  await page.getByTestId('traffic-target').selectOption('svc:default/rollouts-demo');
  await page.getByTestId('send-traffic').click();
  await step(page, 10);

  // A new image, through the plugin (the lab has it: no fallback that would hide its loss).
  await run(page, 'kubectl argo rollouts set image rollouts-demo rollouts-demo=ikubernetes/demoapp:v1.1');
  await waitForOutput(page, 'rollout "rollouts-demo" image updated');

  // setWeight 20 reached (one canary pod of five), then the 30 s pause counts down.
  let now = await stepUntil(page, (h) => h.status === 'Paused', 'the canary pauses at its first pause');
  assert.deepEqual(now, { status: 'Paused', step: '1/6', setWeight: '20', actualWeight: '20' });
  assert.deepEqual(await stepStates(page), ['done', 'current', 'pending', 'pending', 'pending', 'pending']);
  const countdown = card(page).getByTestId('rollout-countdown');
  const left = Number(await countdown.getAttribute('data-seconds'));
  assert.ok(left > 20 && left <= 30, `countdown ${left}`);
  await step(page, 5);
  assert.equal(Number(await countdown.getAttribute('data-seconds')), left - 5);
  assert.match(await card(page).getByTestId('rollout-why').textContent(), /pause of 30s/);
  const roles = await card(page).getByTestId('rs-role').allTextContents();
  assert.deepEqual(roles, ['canary', 'stable']);
  // The Service selects every pod, so the step's 20% is what curl should measure.
  assert.equal(await page.getByTestId('traffic-rollout-weight').getAttribute('data-percent'), '20');
  await step(page, 10);
  await screenshot(page, 'rollouts-1-canary-timed-pause');

  // The pause ends by itself; setWeight 40, then the untimed pause waits for Promote.
  now = await stepUntil(page, (h) => h.status === 'Paused' && h.step === '3/6', 'the canary waits at its second pause');
  assert.deepEqual(now, { status: 'Paused', step: '3/6', setWeight: '40', actualWeight: '40' });
  assert.deepEqual(await stepStates(page), ['done', 'done', 'done', 'current', 'pending', 'pending']);
  assert.equal(await card(page).getByTestId('rollout-countdown').count(), 0);
  const why = await card(page).getByTestId('rollout-why').textContent();
  assert.match(why, /Step 3\/6 \(setWeight 40%\) is done: the canary rollouts-demo-\w+ has 2 available pod\(s\) and the stable 3, 5 in all/);
  assert.match(why, /until someone promotes it/);
  await screenshot(page, 'rollouts-2-canary-awaits-promotion');

  await card(page).getByTestId('rollout-promote').click();
  await waitForOutput(page, 'kubectl argo rollouts promote rollouts-demo');
  // The plugin promotes: setWeight 80, a 10 s pause, then fully promoted and Healthy again.
  await waitForOutput(page, "rollout 'rollouts-demo' promoted");
  now = await stepUntil(page, (h) => h.step === '5/6', 'the promoted canary reaches its last pause');
  assert.equal(now.setWeight, '80');
  now = await stepUntil(page, (h) => h.status === 'Healthy', 'the canary completes');
  assert.deepEqual(now, { status: 'Healthy', step: '6/6', setWeight: '100', actualWeight: '100' });
  await screenshot(page, 'rollouts-3-after-promote');

  // The same card in Chinese, at a narrow width.
  await page.getByTestId('lang').click();
  await page.setViewportSize({ width: 600, height: 900 });
  await card(page).scrollIntoViewIfNeeded();
  // The card speaks Chinese, fits the narrow page without scrolling sideways, and still
  // shows the finished rollout.
  await page.waitForFunction(() => document.documentElement.lang.startsWith('zh'));
  assert.equal(await card(page).getByTestId('rollout-promote').textContent(), '推进');
  assert.match(await card(page).textContent(), /5 个副本/);
  assert.equal(await card(page).locator('.rollout-steps').getAttribute('aria-label'), '金丝雀步骤');
  assert.deepEqual(await hooks(page), { status: 'Healthy', step: '6/6', setWeight: '100', actualWeight: '100' });
  await page.waitForFunction(() => document.getAnimations().length === 0);
  const fit = await card(page).evaluate((el) => ({
    right: el.getBoundingClientRect().right,
    width: window.innerWidth,
    overflow: el.scrollWidth - el.clientWidth,
    page: document.documentElement.scrollWidth - window.innerWidth,
  }));
  assert.ok(fit.right <= fit.width && fit.overflow <= 0 && fit.page <= 0, `the card does not fit 600 px: ${JSON.stringify(fit)}`);
  await screenshot(page, 'rollouts-4-narrow-zh');
  await card(page).screenshot({ path: join(SCREENSHOTS, 'rollouts-5-card-narrow-zh.png') });
  assert.deepEqual(page.problems, []);
});

test('a lesson started after its install step loads the add-on first: its Rollout goes Healthy', async () => {
  // Step 1 installs Argo Rollouts and step 2 applies the Rollout: both run before the page
  // shows step 3, which works only with the add-on's module loaded before they ran.
  const page = await openLab(lab, '?lesson=argo-canary-steps&step=3&speed=5&lang=en', { playing: true });
  await page.locator('[data-testid="lesson-step"][data-step="2"][data-done="true"]').waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="rollout"][data-name="rollouts-demo"]')?.dataset.status === 'Healthy', null, { timeout: 30_000 });
  assert.deepEqual(page.problems, []);
});
