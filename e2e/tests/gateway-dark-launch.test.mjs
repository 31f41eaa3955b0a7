// Lesson 18 (a dark launch through a Gateway) completed by clicking, with the traffic client
// aimed at the Gateway: the cluster view draws the Gateway, its HTTPRoute and each backend
// with its weight, the client's requests flowing along them and the mirrored copies as their
// own stream, while every answer the client gets is v1.0's; after the shift the traffic panel
// compares each backend's configured weight with its measured share. axe-core finds nothing.
// Screenshots: e2e/screenshots/gateway-2-mirror.png, gateway-3-mirror-narrow.png,
// gateway-4-weights.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { suite, openLab, screenshot, step, completeStep, lessonStep } from '../browser.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const lab = suite();
const TARGET = 'gw:10.0.0.201/demoapp.example.com';

async function axe(page) {
  // Entrance fades start translucent: judge contrast once every finite animation ended.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)
        .map((a) => a.finished.catch(() => {})),
    ),
  );
  await page.addScriptTag({ path: AXE });
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const versions = (page) =>
  page.locator('[data-testid="curl-line"]').evaluateAll((els) => els.map((e) => e.dataset.version));

test('lesson 18: the Gateway, its route and the mirrored stream are drawn; curl answers only from v1.0', async () => {
  const page = await openLab(lab, '?lesson=gateway-dark-launch&lang=en', {
    viewport: { width: 1440, height: 900 },
  });
  await completeStep(page, 1);
  await completeStep(page, 2);
  const gateway = page.locator('[data-testid="gateway"][data-name="web"]');
  await gateway.waitFor();
  assert.equal(await gateway.getAttribute('data-address'), '10.0.0.201');
  await gateway.locator('[data-testid="httproute"][data-name="demoapp"]').waitFor();

  // The traffic panel offers the Gateway, as curl -H 'Host: …' 10.0.0.201 reaches it.
  await page.getByTestId('traffic-target').selectOption(TARGET);
  await page.getByTestId('send-traffic').click();
  await step(page, 10);
  const stable = gateway.locator('[data-testid="gw-backend"][data-service="demoapp-v10"]');
  await page.locator('[data-testid="gw-backend"][data-service="demoapp-v10"].flowing').waitFor();
  assert.equal(await stable.getAttribute('data-weight'), '1');

  await completeStep(page, 3);
  await step(page, 20);
  const mirror = gateway.locator('[data-testid="gw-mirror"][data-service="demoapp-v11"]');
  await mirror.waitFor();
  await page.locator('[data-testid="gw-mirror"][data-service="demoapp-v11"].flowing').waitFor();
  const answered = await versions(page);
  assert.ok(answered.length > 10, `the client got answers: ${answered.length}`);
  assert.deepEqual([...new Set(answered)], ['v1.0'], 'every answer the client gets is v1.0\'s');
  assert.deepEqual(await axe(page), [], 'axe: the Gateway drawn, traffic flowing');
  await gateway.scrollIntoViewIfNeeded();
  await screenshot(page, 'gateway-2-mirror');
  await page.setViewportSize({ width: 420, height: 900 });
  await gateway.scrollIntoViewIfNeeded();
  await screenshot(page, 'gateway-3-mirror-narrow');
  await page.setViewportSize({ width: 1440, height: 900 });

  await completeStep(page, 4);
  await step(page, 60);
  assert.equal(await mirror.count(), 0, 'the shift dropped the mirror');
  const canary = gateway.locator('[data-testid="gw-backend"][data-service="demoapp-v11"]');
  assert.equal(await canary.getAttribute('data-percent'), '20');
  const row = page.locator('[data-testid="backend-weight"][data-service="demoapp-v11"]');
  await row.waitFor();
  assert.equal(await row.getAttribute('data-configured'), '20');
  const measured = Number(await row.getAttribute('data-measured'));
  assert.ok(measured > 0 && measured < 60, `v1.1's measured share: ${measured}%`);
  for (let k = 1; k <= 4; k++) {
    assert.equal(await lessonStep(page, k).getAttribute('data-done'), 'true', `step ${k}`);
  }
  await page.getByText('All steps done!').waitFor();
  assert.deepEqual(await axe(page), [], 'axe: weights compared');
  await gateway.scrollIntoViewIfNeeded();
  await screenshot(page, 'gateway-4-weights');
  assert.deepEqual(page.problems, []);
});

test('lesson 18 in Chinese: the Gateway drawing is in Chinese', async () => {
  const page = await openLab(lab, '?lesson=gateway-dark-launch&lang=zh&step=3', {
    viewport: { width: 1440, height: 900 },
  });
  await page.locator('[data-testid="lesson-step"][data-step="2"][data-done="true"]').waitFor();
  await completeStep(page, 3);
  const mirror = page.locator('[data-testid="gw-mirror"][data-service="demoapp-v11"]');
  await mirror.waitFor();
  assert.match(await mirror.textContent(), /镜像副本/);
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(page.problems, []);
});
