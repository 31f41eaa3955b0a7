// Lessons, languages, embedding, sharing and saving (issue 6), in the release bundle.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, MOUNT } from '../serve.mjs';
import { launch, openPage, screenshot } from '../browser.mjs';

let server;
let browser;

before(async () => {
  server = await serve(process.env.DIST ?? new URL('../../dist', import.meta.url).pathname);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/// Clicks every suggested command of step `n` (1-based), then moves the clock until the step
/// turns green.
async function completeStep(page, n) {
  const step = page.locator(`[data-testid="lesson-step"][data-step="${n}"]`);
  const commands = step.getByTestId('lesson-command');
  const count = await commands.count();
  for (let i = 0; i < count; i++) await commands.nth(i).click();
  for (let i = 0; i < 60; i++) {
    if ((await step.getAttribute('data-done')) === 'true') return;
    await page.getByTestId('clock-step-10').click();
    await page.waitForTimeout(50);
  }
  assert.fail(`step ${n} did not turn green`);
}

async function podNames(page) {
  const pods = page.getByTestId('pod');
  return (await pods.evaluateAll((els) => els.map((e) => e.dataset.name))).sort();
}

test('lesson 1 (blue-green) can be completed by clicking its commands', async () => {
  const page = await openPage(browser);
  page.on('dialog', (d) => d.accept());
  await page.goto(`${server.url}${MOUNT}?lesson=blue-green&lang=en`);
  const steps = page.getByTestId('lesson-step');
  await steps.first().waitFor();
  const count = await steps.count();
  assert.equal(count, 5);
  for (let n = 1; n <= count; n++) await completeStep(page, n);
  for (let n = 1; n <= count; n++) {
    assert.equal(await steps.nth(n - 1).getAttribute('data-done'), 'true', `step ${n}`);
  }
  await page.getByText('All steps done!').waitFor();
  await screenshot(page, 'lesson-blue-green-done');
  assert.deepEqual(page.problems, []);
});

test('?lang=zh shows the page and the lesson in Chinese', async () => {
  const page = await openPage(browser);
  await page.goto(`${server.url}${MOUNT}?lesson=blue-green&lang=zh`);
  await page.getByText('启动 v1.0 版本（蓝）').waitFor();
  await page.getByText('观察 Kubernetes 如何发布软件').waitFor();
  assert.equal((await page.getByTestId('lesson-reset').textContent()).trim(), '重置课程');
  await screenshot(page, 'lesson-zh');
  assert.deepEqual(page.problems, []);
});

test('?step=3 starts where step 3 starts: the earlier steps ran and are green', async () => {
  const page = await openPage(browser);
  await page.goto(`${server.url}${MOUNT}?lesson=blue-green&step=3&speed=5`);
  await page.locator('[data-testid="lesson-step"][data-step="2"][data-done="true"]').waitFor();
  assert.equal(
    await page.locator('[data-testid="lesson-step"][data-step="1"]').getAttribute('data-done'),
    'true',
  );
  await page.locator('[data-testid="pod"][data-version="v1.0"][data-ready="true"]').nth(1).waitFor();
  assert.equal(await page.getByTestId('clock-speed').inputValue(), '5');
  assert.deepEqual(page.problems, []);
});

test('?embed=1 works inside an iframe of another origin', async () => {
  const src = `${server.url}${MOUNT}?lesson=canary-pause&lang=zh&embed=1`;
  const host = `<!doctype html><title>course</title><link rel="icon" href="data:,"><iframe id="lab" width="900" height="600"
    src="${src}"></iframe>`;
  const other = await serve('/nonexistent', { '/course.html': host });
  try {
    const page = await openPage(browser, { width: 1000, height: 700 });
    await page.goto(`http://localhost:${other.port}/course.html`);
    const frame = page.frameLocator('#lab');
    await frame.getByTestId('lesson-step').first().waitFor();
    assert.equal(await frame.locator('.topbar').count(), 0, 'no header chrome');
    await frame.getByTestId('lesson-command').first().click();
    await frame.getByTestId('terminal-output').getByText('created').first().waitFor();
    await frame.getByTestId('pod').first().waitFor();
    // Lesson, cluster and terminal all fit the 900×600 frame.
    const input = await frame.getByTestId('terminal-input').boundingBox();
    assert.ok(input.y + input.height < 620, `terminal input at y=${input.y}`);
    const cluster = await frame.getByTestId('cluster').boundingBox();
    assert.ok(cluster.x > 300, 'the cluster sits beside the lesson');
    await screenshot(page, 'lesson-embedded');
    assert.deepEqual(page.problems, []);
  } finally {
    await other.close();
  }
});

test('a shared URL opened in a fresh browser context shows the same cluster', async () => {
  const page = await openPage(browser);
  await page.goto(`${server.url}${MOUNT}?lesson=blue-green&lang=en`);
  await completeStep(page, 1);
  await page.getByTestId('clock-pause').click();
  const names = await podNames(page);
  assert.equal(names.length, 2);
  await page.getByTestId('share').click();
  const url = await page.getByTestId('share-url').inputValue();
  assert.match(url, /#share=[A-Za-z0-9_-]+$/);

  const fresh = await openPage(browser);
  await fresh.goto(url);
  await fresh.getByTestId('pod').nth(1).waitFor();
  assert.deepEqual(await podNames(fresh), names);
  await fresh
    .locator('[data-testid="lesson-step"][data-step="1"][data-done="true"]')
    .waitFor();
  await fresh.getByTestId('terminal-output').getByText('replicaset.apps/replicaset-demo created').waitFor();
  await screenshot(fresh, 'lesson-shared');
  assert.deepEqual(page.problems, []);
  assert.deepEqual(fresh.problems, []);
});

test('a reload restores the work', async () => {
  const page = await openPage(browser);
  await page.goto(`${server.url}${MOUNT}?lesson=blue-green&lang=en`);
  await completeStep(page, 1);
  const names = await podNames(page);
  await page.getByTestId('terminal-input').fill('echo kept-after-reload');
  await page.getByTestId('terminal-input').press('Enter');
  await page.waitForTimeout(1500); // the save is debounced
  await page.reload();
  await page.getByTestId('terminal-output').getByText('kept-after-reload').first().waitFor();
  await page.getByTestId('pod').nth(1).waitFor();
  assert.deepEqual(await podNames(page), names);
  assert.equal(
    await page.locator('[data-testid="lesson-step"][data-step="1"]').getAttribute('data-done'),
    'true',
  );
  await screenshot(page, 'lesson-reloaded');
  assert.deepEqual(page.problems, []);
});

test('Export downloads one shell script with the files as heredocs and the commands', async () => {
  const page = await openPage(browser);
  await page.goto(`${server.url}${MOUNT}?lesson=blue-green&lang=en`);
  await page.locator('[data-testid="lesson-step"][data-step="1"]').getByTestId('lesson-command').first().click();
  await page.getByTestId('terminal-output').getByText('replicaset.apps/replicaset-demo created').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
  assert.equal(download.suggestedFilename(), 'rollout-lab-blue-green.sh');
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  const script = Buffer.concat(chunks).toString('utf8');
  assert.match(script, /^#!\/usr\/bin\/env bash/);
  assert.match(script, /cat > 'replicaset-demo\.yaml' <<'EOF'\napiVersion: apps\/v1/);
  assert.match(script, /\nEOF\n/);
  assert.match(script, /\nkubectl apply -f replicaset-demo\.yaml\n/);
  assert.deepEqual(page.problems, []);
});

test('a corrupted save is set aside with a notice and the page works', async () => {
  const page = await openPage(browser);
  // Before the page's own script runs (a running page saves its work every moment).
  await page.addInitScript(() => localStorage.setItem('rollout-lab/v1', '{garbage'));
  await page.goto(`${server.url}${MOUNT}`);
  await page.getByTestId('save-notice').waitFor();
  const keys = await page.evaluate(() => Object.keys(localStorage));
  assert.ok(keys.some((k) => k.startsWith('rollout-lab/corrupt-')), keys.join(','));
  await page.getByTestId('terminal-input').fill('kubectl version');
  await page.getByTestId('terminal-input').press('Enter');
  await page.getByTestId('terminal-output').getByText('Client Version: v1.30').waitFor();
  await screenshot(page, 'lesson-corrupt-save');
  assert.deepEqual(page.problems, []);
});
