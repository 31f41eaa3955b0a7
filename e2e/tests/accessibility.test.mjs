// axe-core (npm `axe-core`, injected into the page) on the sandbox with pods in both views
// (cards and the compact cells), a lesson, the Chinese page and the embedded page: no
// violation of the rules axe runs by default (WCAG 2.x A/AA and best practices). The results
// are printed; keyboard checks follow (every control reachable, focus visible).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { suite, openLab, openPage, run, step, screenshot } from '../browser.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const lab = suite();
const VIEWPORT = { width: 1440, height: 900 };

/// Runs axe on the page and prints what it found; returns the violations.
async function axe(page, name) {
  // Entrance fades (an event, a pod card) start translucent: contrast is judged on the page
  // as it settles, so wait for every finite animation to end (a loaded machine lags them).
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
  const lines = results.violations.map(
    (v) => `#   ${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} element(s), e.g. ${v.nodes[0]?.target.join(' ')}`,
  );
  console.log(`# axe-core ${results.testEngine.version}, ${name}: ${results.violations.length} violation(s), ${results.passes.length} rules passed`);
  for (const line of lines) console.log(line);
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('axe: the sandbox with pods as cards and as cells, by ReplicaSet and by node', async () => {
  const page = await openLab(lab, '?lang=en', { viewport: VIEWPORT });
  await run(page, 'kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --replicas=3');
  await run(page, 'kubectl create deployment big --image=ikubernetes/demoapp:v1.0 --replicas=60');
  await run(page, 'kubectl expose deployment web --port=80');
  await step(page, 20);
  await page.getByTestId('pod-grid').waitFor();
  assert.deepEqual(await axe(page, 'sandbox'), []);
  await page.getByTestId('group-by-node').click();
  assert.deepEqual(await axe(page, 'sandbox by node'), []);
  assert.deepEqual(page.problems, []);
});

test('axe: a lesson, in English and in Chinese', async () => {
  for (const lang of ['en', 'zh']) {
    const page = await openLab(lab, `?lesson=blue-green&lang=${lang}`, { viewport: VIEWPORT });
    await page.getByTestId('lesson-command').first().click();
    await step(page, 10);
    assert.deepEqual(await axe(page, `lesson blue-green (${lang})`), []);
    assert.deepEqual(page.problems, []);
  }
});

test('axe: the embedded page, with each of its views', async () => {
  // The clock runs, and the test waits for the pods.
  const page = await openPage(lab.browser, { width: 900, height: 600 });
  await page.goto(lab.url('?lesson=canary-pause&lang=en&embed=1'));
  await page.getByTestId('lesson-command').first().click();
  await page.getByTestId('pod').first().waitFor();
  assert.deepEqual(await axe(page, 'embedded lesson'), []);
  for (const view of ['editor', 'traffic']) {
    await page.locator(`[data-testid="embed-view"][data-view="${view}"]`).click();
    assert.deepEqual(await axe(page, `embedded lesson, ${view} view`), []);
  }
  assert.deepEqual(page.problems, []);
});

test("axe: the editor's stale-file warning and the traffic panel's hint", async () => {
  const page = await openLab(lab, '?lesson=canary-pause&lang=en', { viewport: VIEWPORT });
  await run(page, 'kubectl apply -f deployment-demo.yaml');
  await run(page, 'kubectl apply -f service-rollout.yaml');
  await run(page, 'kubectl set image deployment/deployment-demo demoapp=ikubernetes/demoapp:v1.1');
  await step(page, 10);
  await page.getByTestId('editor-apply').click();
  await page.getByTestId('stale-file').waitFor();
  await page.getByTestId('traffic-hint-command').waitFor();
  assert.deepEqual(await axe(page, 'stale-file warning and traffic hint'), []);
  assert.deepEqual(page.problems, []);
});

test('keyboard: Tab reaches every control, each shows its focus, and the compact cells open pod cards', async () => {
  const page = await openLab(lab, '?lang=en', { viewport: VIEWPORT });
  await run(page, 'kubectl create deployment big --image=ikubernetes/demoapp:v1.0 --replicas=60');
  await step(page, 20);
  await page.getByTestId('pod-grid').waitFor();
  // Every enabled control the page shows, against what Tab visits.
  const controls = await page.evaluate(() =>
    [...document.querySelectorAll('button, select, input, textarea, a[href], [tabindex="0"]')]
      .filter((el) => !el.disabled && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
      .length,
  );
  await page.locator('body').focus();
  const visited = [];
  for (let i = 0; i < controls + 20; i++) {
    await page.keyboard.press('Tab');
    const seen = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
      const shadow = style.boxShadow !== 'none' || getComputedStyle(el.closest('.terminal') ?? el).boxShadow !== 'none';
      return { id: `${el.tagName}.${el.className}#${el.dataset.testid ?? ''}`, visible: ring || shadow };
    });
    if (!seen) continue;
    if (visited.some((v) => v.el === seen.id && v.i === visited.length)) break;
    visited.push({ el: seen.id, visible: seen.visible, i: visited.length });
  }
  const distinct = new Set(visited.map((v) => v.el));
  console.log(`# keyboard: ${controls} controls on the page, Tab visited ${distinct.size} distinct kinds of element in ${visited.length} stops`);
  assert.ok(visited.length >= controls, `Tab visited ${visited.length} of ${controls} controls`);
  const hidden = visited.filter((v) => !v.visible).map((v) => v.el);
  assert.deepEqual([...new Set(hidden)], [], 'every focused control shows a focus ring');

  // The cells: focus the grid, walk with the arrow keys, the card follows.
  const grid = page.locator('.pod-grid');
  await grid.focus();
  await page.locator('.pod-pop [data-testid="pod"]').waitFor();
  const first = await page.locator('.pod-pop [data-testid="pod"]').getAttribute('data-name');
  await grid.press('ArrowRight');
  await page.waitForFunction((first) => document.querySelector('.pod-pop [data-testid="pod"]')?.dataset.name !== first, first);
  const active = await grid.getAttribute('aria-activedescendant');
  assert.ok(active?.startsWith('pod-cell-'), active);
  // The element it names rings the cell the keys reached, and says what the colours say.
  const ring = page.locator(`[id="${active}"]`);
  assert.match(await ring.getAttribute('aria-label'), /v1\.0: ready$/);
  await screenshot(page, 'compact-cells-keyboard');
  const counts = await page.getByTestId('pod-counts').textContent();
  assert.match(counts, /60 ready/);
  assert.deepEqual(page.problems, []);
});
