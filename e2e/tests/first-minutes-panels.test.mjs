// A student's first ten minutes (issue 19), the panels around the terminal: lesson 4's
// cluster fits a 1280×720 screen, the embedded page has a clock and reaches the editor and
// the traffic, the editor warns before an apply undoes `kubectl set image`, and the traffic
// panel says what to send requests to and from where.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openLab, openPage, run, screenshot, step, waitIdle, lessonStep, clock } from '../browser.mjs';

const lab = suite();
const WIDE = { width: 1440, height: 900 };
const LAPTOP = { width: 1280, height: 720 };
const PHONE = { width: 390, height: 844 };
const EMBED = { width: 900, height: 600 };

/// Lesson 4 with step 1 done and step 2's `set image … && rollout pause` run: two
/// ReplicaSets and the Service, mid-rollout.
async function lessonFourRolling(viewport) {
  const page = await openLab(lab, '?lesson=canary-pause&lang=en', { viewport });
  const commands = lessonStep(page, 1).getByTestId('lesson-command');
  for (let i = 0; i < (await commands.count()); i++) {
    await commands.nth(i).click();
    await waitIdle(page);
  }
  await lessonStep(page, 2).getByTestId('lesson-command').first().click();
  await step(page, 10);
  await waitIdle(page);
  return page;
}

/// How the element's box sits against the cluster panel's scroller.
async function insideCluster(page, testid) {
  return page.evaluate((testid) => {
    const scroller = document.querySelector('[data-testid="cluster"] .cluster-body') ?? document.querySelector('[data-testid="cluster"]');
    const outer = scroller.getBoundingClientRect();
    return [...document.querySelectorAll(`[data-testid="cluster"] [data-testid="${testid}"]`)].map((el) => {
      const box = el.getBoundingClientRect();
      return { top: box.top >= outer.top - 1, bottom: box.bottom <= outer.bottom + 1 };
    });
  }, testid);
}

test("at 1280×720 lesson 4's ReplicaSets and Service show without scrolling the cluster panel", async () => {
  for (const viewport of [LAPTOP, WIDE]) {
    const size = `${viewport.width}x${viewport.height}`;
    const page = await lessonFourRolling(viewport);
    await screenshot(page, `first-minutes-panels-${size}-lesson-4-rolling`);
    const scrolls = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="cluster"], [data-testid="cluster"] *')]
        .filter((el) => /(auto|scroll)/.test(getComputedStyle(el).overflowY) && el.scrollHeight > el.clientHeight + 1)
        .map((el) => `${el.className}: ${el.scrollHeight} > ${el.clientHeight}`),
    );
    assert.deepEqual(scrolls, [], `${size}: the cluster panel scrolls`);
    const replicaSets = await insideCluster(page, 'replicaset');
    assert.equal(replicaSets.length, 2, `${size}: two ReplicaSets`);
    const services = await insideCluster(page, 'service');
    assert.equal(services.length, 1, `${size}: the Service`);
    for (const box of [...replicaSets, ...services]) assert.deepEqual(box, { top: true, bottom: true }, size);
    assert.deepEqual(page.problems, []);
    await page.close();
  }
  const phone = await lessonFourRolling(PHONE);
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `the phone page is ${width} px wide`);
  await screenshot(phone, 'first-minutes-panels-390x844-lesson-4-rolling');
  assert.deepEqual(phone.problems, []);
});

test('the embedded lesson has a clock with speed control, and shows the editor and the traffic on request', async () => {
  const page = await openPage(lab.browser, EMBED);
  await page.goto(lab.url('?lesson=canary-pause&lang=en&embed=1'));
  await page.getByTestId('terminal-input').waitFor();
  const bar = page.getByTestId('embed-bar');
  await page.getByTestId('clock-pause').click();
  assert.equal(await page.getByTestId('clock-speed').inputValue(), '1');
  await page.getByTestId('clock-speed').selectOption('10');
  assert.equal(await page.getByTestId('clock-speed').inputValue(), '10');
  const views = bar.getByTestId('embed-view');
  assert.deepEqual((await views.allTextContents()).map((t) => t.trim()), ['Cluster', 'Editor', 'Traffic']);
  assert.equal(await page.getByTestId('cluster').isVisible(), true);
  assert.equal(await page.getByTestId('editor').isVisible(), false);

  // The lesson's first step, sped past its readiness wait at 10×.
  await page.getByTestId('clock-play').click();
  const commands = lessonStep(page, 1).getByTestId('lesson-command');
  for (let i = 0; i < (await commands.count()); i++) await commands.nth(i).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="lesson-step"][data-step="1"]').dataset.done === 'true', null, { timeout: 30_000 });
  assert.ok((await clock(page)) >= 15, 'the clock ran past the readiness delay');
  await page.getByTestId('clock-pause').click();
  await screenshot(page, 'first-minutes-panels-embed-cluster');

  await views.nth(1).click();
  assert.equal(await views.nth(1).getAttribute('aria-pressed'), 'true');
  assert.equal(await page.getByTestId('editor').isVisible(), true);
  assert.equal(await page.getByTestId('cluster').isVisible(), false);
  assert.match(await page.getByTestId('editor').inputValue(), /kind: Deployment/);
  await screenshot(page, 'first-minutes-panels-embed-editor');

  await views.nth(2).click();
  await page.getByTestId('send-traffic').click();
  await step(page, 10);
  const share = page.getByTestId('traffic-share').first();
  await share.waitFor();
  assert.equal(await share.getAttribute('data-version'), 'v1.0');
  await screenshot(page, 'first-minutes-panels-embed-traffic');

  // vim brings the editor up.
  await views.nth(0).click();
  await run(page, 'vim notes.txt');
  await page.waitForFunction(() => document.querySelector('[data-testid="editor"]').checkVisibility());
  assert.equal(await views.nth(1).getAttribute('aria-pressed'), 'true');
  await page.getByTestId('editor-quit').click();

  await page.getByTestId('terminal-input').waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
  assert.deepEqual(page.problems, []);
});

test('Apply of a file written before `kubectl set image` warns with the field, the live and the file value, then applies or cancels', async () => {
  const page = await openLab(lab, '?lesson=canary-pause&lang=en', { viewport: WIDE });
  const output = page.getByTestId('terminal-output');
  await run(page, 'kubectl apply -f deployment-demo.yaml');
  await waitIdle(page);
  // Applying the same file again is no surprise: it runs at once.
  await page.getByTestId('editor-apply').click();
  await output.getByText('deployment.apps/deployment-demo unchanged').waitFor();
  assert.equal(await page.getByTestId('stale-file').count(), 0);

  await run(page, 'kubectl set image deployment/deployment-demo demoapp=ikubernetes/demoapp:v1.1');
  await waitIdle(page);
  await page.getByTestId('editor-apply').click();
  const warning = page.getByTestId('stale-file');
  await warning.waitFor();
  assert.match(await warning.textContent(), /deployment-demo\.yaml was written before the cluster changed/);
  const rows = await warning.getByTestId('stale-field').evaluateAll((rows) =>
    rows.map((row) => ['.path', '.live code', '.file code'].map((part) => row.querySelector(part).textContent.trim())),
  );
  assert.deepEqual(rows, [[
    'deployment.apps/deployment-demo spec.template.spec.containers[0].image',
    'ikubernetes/demoapp:v1.1',
    'ikubernetes/demoapp:v1.0',
  ]]);
  await screenshot(page, 'first-minutes-panels-stale-file');
  await page.getByTestId('lang').click();
  assert.match(await warning.textContent(), /写于集群变化之前/);
  assert.match(await page.getByTestId('stale-apply').textContent(), /仍然应用/);
  await page.getByTestId('lang').click();

  // Cancel: nothing runs.
  await page.getByTestId('stale-cancel').click();
  assert.equal(await warning.count(), 0);
  await page.waitForTimeout(300);
  assert.equal(await output.getByText('deployment.apps/deployment-demo configured').count(), 0);

  // Apply anyway: kubectl's own output, the template rolled back.
  await page.getByTestId('editor-apply').click();
  await page.getByTestId('stale-apply').click();
  await output.getByText('deployment.apps/deployment-demo configured').waitFor();
  assert.equal(await warning.count(), 0);
  await run(page, "kubectl get deployment deployment-demo -o jsonpath='{.spec.template.spec.containers[0].image}'");
  await output.getByText(/^ikubernetes\/demoapp:v1\.0/).waitFor();
  assert.deepEqual(page.problems, []);
});

test('the traffic hint names what to send requests to, says the node cannot resolve Service names, and offers the client-pod command', async () => {
  const page = await openLab(lab, '?lesson=canary-pause&lang=en', { viewport: WIDE });
  const hint = page.getByTestId('traffic-hint');
  assert.match(await hint.textContent(), /send traffic/);
  assert.equal(await hint.getByTestId('traffic-hint-command').count(), 0, 'no command before there is a Service');
  const commands = lessonStep(page, 1).getByTestId('lesson-command');
  for (let i = 0; i < (await commands.count()); i++) {
    await commands.nth(i).click();
    await waitIdle(page);
  }
  assert.match(await hint.textContent(), /send Service demoapp-svc one request yourself/);
  assert.match(await hint.textContent(), /cannot resolve Service names/);
  const command = hint.getByTestId('traffic-hint-command');
  assert.equal(
    (await command.textContent()).trim(),
    'kubectl run t --image=busybox --restart=Never -it --rm -- wget -qO- demoapp-svc',
  );
  await screenshot(page, 'first-minutes-panels-traffic-hint');
  await page.getByTestId('lang').click();
  assert.match(await hint.textContent(), /无法解析 Service 名称/);
  await page.getByTestId('lang').click();

  await command.click();
  await step(page, 10);
  await waitIdle(page);
  await page.getByTestId('terminal-output').getByText(/^iKubernetes demoapp v1\.0/).first().waitFor();
  assert.ok(await page.getByTestId('curl-line').count() >= 1, 'the answer shows in the traffic panel');
  assert.deepEqual(page.problems, []);
});
