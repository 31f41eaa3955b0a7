// The default layout at 1440×900: a terminal as wide as kubectl's tables, separators that
// resize by dragging or keys (remembered), panes that maximise; the shell knows its size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openLab, run, screenshot, step, waitIdle } from '../browser.mjs';

const lab = suite();
const VIEWPORT = { width: 1440, height: 900 };

async function size(page) {
  const terminal = page.getByTestId('terminal');
  return {
    cols: Number(await terminal.getAttribute('data-cols')),
    rows: Number(await terminal.getAttribute('data-rows')),
  };
}

/// Waits until the terminal's size satisfies `holds` (the resize observer reports after layout).
async function sizeUntil(page, holds, what) {
  for (let i = 0; i < 50; i++) {
    const now = await size(page);
    if (holds(now)) return now;
    await page.waitForTimeout(50);
  }
  assert.fail(`${what}: the terminal stayed ${JSON.stringify(await size(page))}`);
}

/// The output's lines from the last one that starts with `marker` on, with how many rows of
/// the screen each takes.
async function renderedRows(page, marker) {
  return page.getByTestId('terminal-output').evaluate((out, marker) => {
    const lines = [...out.querySelectorAll('.line')];
    const start = lines.findLastIndex((l) => l.textContent.includes(marker));
    const cell = document.querySelector('.terminal-probe').getBoundingClientRect().height;
    return lines.slice(start + 1).map((l) => ({
      text: l.textContent,
      rows: Math.round(l.getBoundingClientRect().height / cell),
    }));
  }, marker);
}

async function output(page) {
  return page.getByTestId('terminal-output').textContent();
}

test('at 1440×900 the terminal is wide enough for kubectl get pods -o wide, and the shell knows its width', async () => {
  const page = await openLab(lab, '?lang=en', { viewport: VIEWPORT });
  const { cols, rows } = await sizeUntil(page, (s) => s.cols > 0, 'measured');
  console.log(`# terminal at 1440×900: ${cols} columns × ${rows} rows`);
  assert.ok(cols >= 100, `${cols} columns`);

  await run(page, 'echo "cols=$COLUMNS lines=$LINES tput=$(tput cols)x$(tput lines) stty=$(stty size)"');
  await page.getByTestId('terminal-output').getByText(`cols=${cols} lines=${rows} tput=${cols}x${rows} stty=${rows} ${cols}`).waitFor();

  // The course's Deployments: lesson 3's, and one named like the Argo lessons' longest pods.
  await run(page, 'kubectl create deployment deployment-demo --image=ikubernetes/demoapp:v1.0 --replicas=4');
  await run(page, 'kubectl create deployment rollout-bluegreen --image=argoproj/rollouts-demo:blue --replicas=2');
  await step(page, 20);
  await run(page, 'kubectl get pods -o wide');
  await page.getByTestId('terminal-output').getByText('READINESS GATES').waitFor();
  let lines = await renderedRows(page, '# kubectl get pods -o wide');
  assert.equal(lines.length, 7, JSON.stringify(lines));
  const widest = Math.max(...lines.map((l) => l.text.length));
  console.log(`# kubectl get pods -o wide: widest row ${widest} characters`);
  for (const line of lines) assert.equal(line.rows, 1, `wrapped: ${line.text}`);
  await screenshot(page, 'layout-1440-get-pods-wide');

  // Mid-rollout the STATUS column is wider (ContainerCreating, Terminating).
  await run(page, 'kubectl set image deployment/deployment-demo demoapp=ikubernetes/demoapp:v1.1');
  await step(page, 2);
  await run(page, 'kubectl get pods -o wide');
  await waitIdle(page);
  lines = await renderedRows(page, '# kubectl get pods -o wide');
  assert.ok(lines.some((l) => /ContainerCreating|Terminating|Running/.test(l.text)));
  for (const line of lines.filter((l) => !l.text.startsWith('['))) assert.equal(line.rows, 1, `wrapped: ${line.text}`);
  assert.deepEqual(page.problems, []);
});

test('separators resize by keyboard and by dragging, sizes are remembered, panes maximise and restore', async () => {
  const page = await openLab(lab, '?lang=en', { viewport: VIEWPORT });
  const before = await sizeUntil(page, (s) => s.cols > 0, 'measured');

  // Keyboard: the terminal grows when the border above it moves up.
  const top = page.getByTestId('split-top');
  await top.focus();
  const topBefore = Number(await top.getAttribute('aria-valuenow'));
  for (let i = 0; i < 5; i++) await top.press('ArrowUp');
  assert.equal(Number(await top.getAttribute('aria-valuenow')), topBefore - 10);
  const taller = await sizeUntil(page, (s) => s.rows > before.rows, 'taller terminal');
  await run(page, 'echo lines=$LINES');
  await page.getByTestId('terminal-output').getByText(`lines=${taller.rows}`).waitFor();

  // Dragging: a narrower lesson column gives the terminal more columns.
  const split = page.getByTestId('split-lesson');
  const box = await split.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x - 120, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  const wider = await sizeUntil(page, (s) => s.cols >= before.cols + 12, 'wider terminal');
  const lessonNow = await split.getAttribute('aria-valuenow');

  // Remembered across a reload.
  await page.reload();
  await page.getByTestId('terminal-input').waitFor();
  assert.equal(await page.getByTestId('split-lesson').getAttribute('aria-valuenow'), lessonNow);
  assert.equal(Number(await page.getByTestId('split-top').getAttribute('aria-valuenow')), topBefore - 10);
  await sizeUntil(page, (s) => s.cols === wider.cols && s.rows === taller.rows, 'the remembered size');

  // Maximise the terminal: it covers the work area; Escape restores.
  const max = page.getByTestId('maximise-terminal');
  await max.click();
  assert.equal(await max.getAttribute('aria-pressed'), 'true');
  const big = await sizeUntil(page, (s) => s.cols > wider.cols && s.rows > taller.rows, 'maximised terminal');
  console.log(`# maximised terminal at 1440×900: ${big.cols} columns × ${big.rows} rows`);
  assert.equal(await page.getByTestId('cluster').isVisible(), false);
  await screenshot(page, 'layout-terminal-maximised');
  await page.getByTestId('terminal-input').press('Escape');
  await sizeUntil(page, (s) => s.cols === wider.cols, 'restored');
  assert.equal(await page.getByTestId('cluster').isVisible(), true);

  // Any pane: the cluster too, restored by its button.
  await page.getByTestId('maximise-cluster').click();
  assert.equal(await page.getByTestId('terminal').isVisible(), false);
  await page.getByTestId('maximise-cluster').click();
  assert.equal(await page.getByTestId('terminal').isVisible(), true);

  // Enter puts a border back where it started.
  await page.getByTestId('split-lesson').press('Enter');
  await page.getByTestId('split-top').press('Enter');
  await sizeUntil(page, (s) => s.cols === before.cols && s.rows === before.rows, 'the default layout');
  assert.deepEqual(page.problems, []);
});
