// A student's first ten minutes (issue 19): seeing what the terminal is doing, knowing what
// to do, an editor that does what it says, and a page that fits a phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { suite, openLab, run, screenshot, step, waitIdle, lessonStep, dragTimeline, terminalBusy, SCREENSHOTS } from '../browser.mjs';

const lab = suite();
const WIDE = { width: 1440, height: 900 };

/// How many times `line` was echoed at a prompt in the terminal.
async function echoed(page, line) {
  return page.getByTestId('terminal-output').evaluate(
    (out, line) => [...out.querySelectorAll('.line .echo')].filter((e) => e.textContent.trimEnd().endsWith(line)).length,
    line,
  );
}

/// Waits (in real time, the clock playing) until the terminal is idle.
async function waitIdleRunning(page, { timeoutMs = 60_000 } = {}) {
  const start = Date.now();
  while (await terminalBusy(page)) {
    if (Date.now() - start > timeoutMs) assert.fail(`the terminal was still busy after ${timeoutMs} ms`);
    await page.waitForTimeout(100);
  }
}

test('a command clicked while another runs is shown queued on its button, and every click runs once', async () => {
  const page = await openLab(lab, '?lesson=canary-pause&lang=en', { viewport: WIDE });
  const commands = lessonStep(page, 1).getByTestId('lesson-command');
  const status = page.getByTestId('terminal-status');
  // apply, apply, then `rollout status`, which waits for readiness (the clock is paused).
  for (let i = 0; i < 3; i++) await commands.nth(i).click();
  await commands.nth(3).click();
  await commands.nth(3).click();
  await commands.nth(4).click();

  assert.equal(await status.getAttribute('data-state'), 'running');
  assert.match(await status.textContent(), /running — Ctrl-C to stop/);
  assert.equal((await page.getByTestId('terminal-queued').textContent()).trim(), '3 queued');
  assert.equal(await commands.nth(2).getAttribute('data-state'), 'running');
  assert.equal((await commands.nth(2).getByTestId('command-badge').textContent()).trim(), 'running');
  assert.equal(await commands.nth(3).getAttribute('data-state'), 'queued');
  assert.equal((await commands.nth(3).getByTestId('command-badge').textContent()).trim(), 'queued ×2');
  assert.equal((await commands.nth(4).getByTestId('command-badge').textContent()).trim(), 'queued');
  assert.equal(await commands.nth(0).getAttribute('data-state'), 'idle');
  // The clock is paused while a command waits for it: the terminal says so and offers play.
  assert.match(await page.getByTestId('terminal-speed-up').textContent(), /The clock is paused/);
  await screenshot(page, 'first-minutes-1-busy-queued');

  await page.getByTestId('lang').click();
  assert.match(await status.textContent(), /运行中 — 按 Ctrl-C 停止/);
  assert.equal((await commands.nth(3).getByTestId('command-badge').textContent()).trim(), '排队中 ×2');
  await page.getByTestId('lang').click();

  await waitIdle(page);
  assert.equal(await status.count(), 0, 'the status line goes when the terminal is idle');
  assert.equal(await page.getByTestId('command-badge').count(), 0);
  const lines = ['kubectl apply -f deployment-demo.yaml', 'kubectl rollout status deployment/deployment-demo', 'kubectl get deployment -o wide'];
  assert.deepEqual(
    await Promise.all(lines.map((l) => echoed(page, l))),
    [1, 1, 2],
    'each click ran exactly once',
  );
  assert.deepEqual(page.problems, []);
});

test('at 10× with quick clicks, each step is judged on the state its commands reached', async () => {
  const page = await openLab(lab, '?lesson=canary-pause&lang=en&speed=10', { viewport: WIDE, playing: true });
  // Steps 1 and 2 clicked in one go: step 2's `set image` starts the moment step 1's last
  // command ends, in the same frame.
  for (const n of [1, 2]) {
    const commands = lessonStep(page, n).getByTestId('lesson-command');
    const count = await commands.count();
    for (let i = 0; i < count; i++) await commands.nth(i).click();
  }
  await waitIdleRunning(page);
  await page.waitForFunction(() => document.querySelector('[data-testid="lesson-step"][data-step="2"]').dataset.done === 'true', null, { timeout: 30_000 });
  assert.equal(await lessonStep(page, 1).getAttribute('data-done'), 'true');
  assert.equal(await echoed(page, 'exit'), 1);
  await screenshot(page, 'first-minutes-2-quick-clicks-10x');
  assert.deepEqual(page.problems, []);
});

test('a long wait offers to speed the clock up', async () => {
  const page = await openLab(lab, '?lang=en', { viewport: WIDE, playing: true });
  await run(page, 'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do sleep 1; done; echo waited');
  const offer = page.getByTestId('terminal-speed-up');
  await offer.waitFor({ timeout: 15_000 });
  assert.match(await offer.textContent(), /Speed the clock up to 10×/);
  await screenshot(page, 'first-minutes-3-speed-up');
  await offer.click();
  assert.equal(await page.getByTestId('clock-speed').inputValue(), '10');
  await page.getByTestId('terminal-output').getByText('waited', { exact: true }).waitFor({ timeout: 10_000 });
  assert.deepEqual(page.problems, []);
});

test('while vim holds the terminal, the terminal says where the editor is and how to leave it', async () => {
  const page = await openLab(lab, '?lang=en', { viewport: WIDE });
  await run(page, 'vim notes.txt');
  const status = page.getByTestId('terminal-status');
  await status.waitFor();
  assert.equal(await status.getAttribute('data-state'), 'editing');
  const text = await status.textContent();
  for (const words of ['notes.txt', ':wq', ':q!', 'Ctrl-C']) assert.ok(text.includes(words), `${words} in "${text}"`);
  // A line typed meanwhile is not lost: it runs after the editor closes.
  await run(page, 'cat notes.txt');
  await page.getByTestId('terminal-show-editor').click();
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'editor');
  await screenshot(page, 'first-minutes-4-vim');
  await page.keyboard.type('hello from vim');
  await page.getByTestId('editor-save').click();
  await page.getByTestId('terminal-output').getByText('hello from vim', { exact: true }).waitFor();
  await waitIdle(page);
  assert.equal(await status.count(), 0);

  // Ctrl-C at the terminal gives the edit up.
  await run(page, 'vim other.txt');
  await status.waitFor();
  await page.getByTestId('terminal-input').press('Control+c');
  await waitIdle(page);
  assert.equal(await status.count(), 0);
  assert.deepEqual(page.problems, []);
});

test('rewound, the terminal says that typing discards the future, and the label is whole', async () => {
  const page = await openLab(lab, '?lang=en', { viewport: { width: 1280, height: 720 } });
  await run(page, 'echo first-line');
  await step(page, 10);
  await run(page, 'echo second-line');
  await step(page, 10);
  await dragTimeline(page, 1);
  const status = page.getByTestId('terminal-status');
  await status.waitFor();
  assert.equal(await status.getAttribute('data-state'), 'rewound');
  assert.match(await status.textContent(), /discards everything after it/);
  const label = page.getByTestId('timeline-label');
  const fits = await label.evaluate((el) => {
    const box = el.getBoundingClientRect();
    return el.scrollWidth <= el.clientWidth + 1 && box.right <= window.innerWidth && box.width > 0;
  });
  assert.ok(fits, `the label "${await label.textContent()}" is cut off`);
  assert.match(await label.textContent(), /^rewound to t = \d+ s$/);
  await screenshot(page, 'first-minutes-5-rewound');
  for (const lang of ['zh']) {
    await page.getByTestId('lang').click();
    assert.match(await status.textContent(), /丢弃之后发生的一切/, lang);
  }
  assert.deepEqual(page.problems, []);
});

test('a first visit to the sandbox gets a welcome with starter commands to click, and only the first', async () => {
  const page = await openLab(lab, '?lang=en', { viewport: WIDE });
  const welcome = page.getByTestId('welcome');
  await welcome.waitFor();
  const output = page.getByTestId('terminal-output');
  const starters = welcome.getByTestId('welcome-command');
  await screenshot(page, 'first-minutes-6-welcome');
  assert.deepEqual(
    (await starters.allTextContents()).map((t) => t.trim()),
    ['kubectl get nodes', 'kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --replicas=3', 'kubectl get pods -o wide', 'help', 'lab-help'],
  );
  await starters.nth(0).click();
  await output.getByText('k8s-node01').first().waitFor();
  // bash's `help`: its own words, the lab's missing builtins starred as disabled.
  await starters.nth(3).click();
  await output.getByText('GNU bash, version 5.2.15(1)-release (x86_64-pc-linux-gnu)').waitFor();
  assert.match(await output.textContent(), /\*alias \[-p\]/);
  await starters.nth(4).click();
  await output.getByText('Images the cluster can pull (and the tools inside them)').waitFor();
  assert.match(await welcome.getByTestId('welcome-lesson').textContent(), /^1\. /);
  await screenshot(page, 'first-minutes-6-help-and-lab-help');
  await page.getByTestId('lang').click();
  assert.match(await welcome.textContent(), /欢迎来到 Rollout Lab/);

  // Once: a fresh sandbox in the same browser does not welcome again.
  await page.evaluate(() => localStorage.removeItem('rollout-lab/v1'));
  await page.reload();
  await page.getByTestId('terminal-input').waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.getByTestId('welcome').count(), 0);
  assert.deepEqual(page.problems, []);
});

test("the welcome's lesson link opens lesson 1", async () => {
  const page = await openLab(lab, '?lang=en', { viewport: WIDE });
  await page.getByTestId('welcome-lesson').click();
  // The lesson's file is fetched when it first opens (lesson_fetch.rs): its steps show then.
  await page.getByTestId('lesson-step').first().waitFor();
  assert.equal(await page.getByTestId('lesson-picker').inputValue(), 'blue-green');
  assert.equal(await page.getByTestId('welcome').count(), 0);
  assert.deepEqual(page.problems, []);
});

test("kubectl's informational stderr line is not painted as an error, and an error still is", async () => {
  const page = await openLab(lab, '?lang=en', { viewport: WIDE });
  await run(page, 'kubectl get nope');
  await run(page, 'kubectl run t --image=busybox --restart=Never -it --rm -- sh');
  const output = page.getByTestId('terminal-output');
  const notice = output.locator('.stderr', { hasText: "If you don't see a command prompt, try pressing enter." });
  // The clock is paused: step it until the pod runs (its image pull takes a seeded while,
  // which may be longer than one step).
  for (let i = 0; i < 12 && !(await notice.isVisible()); i++) {
    await step(page, 10);
    await page.waitForTimeout(200);
  }
  await notice.waitFor();
  const error = output.locator('.stderr', { hasText: 'error: the server doesn\'t have a resource type "nope"' });
  const colour = (l) => l.evaluate((el) => getComputedStyle(el).color);
  assert.ok((await notice.getAttribute('class')).includes('kubectl-notice'));
  assert.ok(!(await error.getAttribute('class')).includes('kubectl-notice'));
  assert.notEqual(await colour(notice), await colour(error));
  await screenshot(page, 'first-minutes-7-stderr-notice');
  await run(page, 'exit');
  await waitIdle(page);
  assert.deepEqual(page.problems, []);
});

test('pod cards show their whole status, and an image tag reads as a tag', async () => {
  const page = await openLab(lab, '?lesson=canary-pause&lang=en', { viewport: WIDE });
  assert.equal((await page.locator('.tagline').textContent()).trim(), 'See how Kubernetes rolls out software');
  // The English lesson's files carry English comments.
  const editor = await page.getByTestId('editor').inputValue();
  assert.ok(!/[\u4e00-\u9fff]/.test(editor), 'no Chinese in the English lesson file');
  assert.match(editor, /# at most 1 pod more than replicas/);

  await run(page, 'kubectl apply -f deployment-demo.yaml');
  // Running, not ready: the readiness probe starts after 15 s.
  await step(page, 9);
  const pods = page.getByTestId('pod');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="pod"]')].some((p) => p.classList.contains('not-ready')));
  const cut = await pods.evaluateAll((els) =>
    els.flatMap((el) => [...el.querySelectorAll('span')].filter((s) => s.scrollWidth > s.clientWidth + 1).map((s) => s.textContent)),
  );
  assert.deepEqual(cut, [], 'no text on a pod card is cut off');
  assert.equal((await page.locator('.pod.not-ready .pod-readiness').first().textContent()).trim(), 'not ready');
  await screenshot(page, 'first-minutes-8-pod-not-ready');

  // An old ReplicaSet of `nginx` (tag latest) beside the new one: its chip is a tag.
  await run(page, 'kubectl create deployment web --image=nginx --replicas=1');
  await step(page, 10);
  await run(page, 'kubectl set image deployment/web nginx=nginx:1.25');
  await step(page, 20);
  const chips = await page.locator('[data-testid="replicaset"][data-name^="web-"] .version-chip').allTextContents();
  assert.deepEqual(chips.map((c) => c.trim()).sort(), [':1.25', ':latest']);
  assert.match(await page.locator('.version-chip').first().getAttribute('title'), /image tag/);
  assert.deepEqual(page.problems, []);
});

test("a YAML error's margin line and its message agree, and Reset lesson asks, then restores the lesson's files", async () => {
  const page = await openLab(lab, '?lesson=canary-pause&lang=en', { viewport: WIDE });
  const editor = page.getByTestId('editor');
  const original = await editor.inputValue();
  assert.ok(original.startsWith('---\n'), 'the lesson file starts with a document separator');

  // Line 5 of the file is `  name: deployment-demo`: break the indentation below it.
  const lines = original.split('\n');
  assert.equal(lines[4], '  name: deployment-demo');
  lines.splice(5, 0, '   bad: indent');
  await editor.fill(lines.join('\n'));
  const problem = page.getByTestId('editor-problem').first();
  await page.waitForFunction(() => /error parsing/.test(document.querySelector('[data-testid="editor-problem"]')?.textContent ?? ''));
  const line = Number(await problem.getAttribute('data-line'));
  const message = await problem.locator('.problem-message').textContent();
  const said = Number(message.match(/yaml: line (\d+):/)[1]);
  // The margin marks the file's line; kubectl's words count from the document's first line
  // (line 2, after `---`); the note says how the two agree.
  assert.equal(line, said + 1);
  assert.equal(
    (await problem.getByTestId('editor-problem-note').textContent()).trim(),
    `(kubectl counts from this document's first line, line 2: its line ${said} is line ${line} of the file)`,
  );
  assert.ok(await page.locator('.editor-gutter .gutter-line.bad').filter({ hasText: new RegExp(`^${line}$`) }).count());
  assert.match(await page.locator('.inline-error').textContent(), new RegExp(`line ${said} is line ${line} of the file`));
  await screenshot(page, 'first-minutes-9-yaml-line');

  // Reset: asked first; "Cancel" keeps the work.
  const dialogs = [];
  page.once('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  await page.getByTestId('lesson-reset').click();
  assert.deepEqual(dialogs, ['Discard your work in this lesson and start it again?']);
  assert.match(await editor.inputValue(), /bad: indent/);

  // "OK" restores the lesson's files, in the editor and on the lab machine.
  page.once('dialog', (d) => d.accept());
  await page.getByTestId('lesson-reset').click();
  await page.waitForFunction((text) => document.querySelector('[data-testid="editor"]').value === text, original);
  await page.waitForFunction(() => !document.querySelector('[data-testid="editor-problem"]'));
  await run(page, 'grep -c "bad: indent" deployment-demo.yaml');
  await page.getByTestId('terminal-output').getByText('0', { exact: true }).waitFor();
  assert.deepEqual(page.problems, []);
});

const PHONE = { width: 390, height: 844 };

/// Where a screenshot of the screen as it is (not the full page) goes.
async function screenshotPath(name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, `${name}.png`);
}

test('at 390×844 the page fits the screen, stacks lesson, terminal and cluster, and a clicked command brings the terminal into view', async () => {
  for (const query of ['?lang=en', '?lesson=canary-pause&lang=en']) {
    const page = await openLab(lab, query, { viewport: PHONE });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `${query}: the page is ${width} px wide`);
    const top = (id) => page.getByTestId(id).evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
    const [lesson, terminal, cluster] = [await top('lesson-panel'), await top('terminal'), await top('cluster')];
    assert.ok(lesson < terminal && terminal < cluster, `${query}: lesson ${lesson}, terminal ${terminal}, cluster ${cluster}`);
    await page.close();
  }

  const page = await openLab(lab, '?lesson=canary-pause&lang=en', { viewport: PHONE });
  await page.evaluate(() => window.scrollTo(0, 0));
  const command = lessonStep(page, 1).getByTestId('lesson-command').first();
  await command.click();
  await page.getByTestId('terminal-output').getByText('deployment.apps/deployment-demo created').waitFor();
  await page.waitForFunction(() => {
    const box = document.querySelector('[data-testid="terminal"]').getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight + 1;
  }, null, { timeout: 5_000 });
  await page.screenshot({ path: await screenshotPath('first-minutes-10-phone-after-click') });
  assert.deepEqual(page.problems, []);
});

test('the sandbox and lesson 4 at 1440×900, 1280×720 and 390×844', async () => {
  for (const viewport of [WIDE, { width: 1280, height: 720 }, PHONE]) {
    const size = `${viewport.width}x${viewport.height}`;
    const sandbox = await openLab(lab, '?lang=en', { viewport });
    await screenshot(sandbox, `first-minutes-screen-${size}-sandbox`);
    assert.deepEqual(sandbox.problems, []);
    await sandbox.close();

    const lesson = await openLab(lab, '?lesson=canary-pause&lang=en', { viewport });
    lesson.on('dialog', (d) => d.accept());
    const commands = lessonStep(lesson, 1).getByTestId('lesson-command');
    for (let i = 0; i < (await commands.count()); i++) {
      await commands.nth(i).click();
      await waitIdle(lesson);
    }
    await lesson.getByTestId('lesson-command').nth(5).click();
    await step(lesson, 10);
    await screenshot(lesson, `first-minutes-screen-${size}-lesson-4`);
    const width = await lesson.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= viewport.width, `lesson 4 at ${size}: ${width} px wide`);
    assert.deepEqual(lesson.problems, []);
    await lesson.close();
  }
});
