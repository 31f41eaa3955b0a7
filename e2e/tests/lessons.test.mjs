// Lessons, languages, embedding, sharing and saving (issue 6), in the release bundle.
// Every built-in lesson (lessons/*.yaml) is completed by clicking its suggested commands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from '../serve.mjs';
import {
  suite,
  openPage,
  openLab,
  screenshot,
  run,
  completeStep,
  lessonStep,
  podNames,
  waitSaved,
} from '../browser.mjs';

const lab = suite();

/// The built-in lessons, in their order: `{ id, order, steps }` read from lessons/*.yaml
/// (the top-level `id:` and `order:` lines, and one item at two spaces under `steps:` per
/// step, whichever key it opens with: `- title:` or `- id:`).
const LESSONS_DIR = new URL('../../lessons/', import.meta.url).pathname;
const LESSONS = readdirSync(LESSONS_DIR)
  .filter((name) => name.endsWith('.yaml'))
  .map((name) => {
    const text = readFileSync(join(LESSONS_DIR, name), 'utf8');
    const steps = text.slice(text.search(/^steps:/m));
    return {
      file: name,
      id: text.match(/^id:\s*(\S+)/m)?.[1],
      order: Number(text.match(/^order:\s*(\d+)/m)?.[1]),
      steps: (steps.match(/^ {2}- \S/gm) ?? []).length,
    };
  })
  .sort((a, b) => a.order - b.order);

test('the course has its twelve lessons, then the later ones, each in its own place', () => {
  const orders = LESSONS.map((l) => l.order);
  assert.deepEqual(orders.slice(0, 12), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.equal(new Set(orders).size, orders.length, `orders are distinct: ${orders}`);
  assert.ok(orders.every((o) => o >= 1 && o <= 99), `orders are 1..99: ${orders}`);
  for (const lesson of LESSONS) {
    assert.ok(lesson.id, `${lesson.file} has an id`);
    assert.ok(lesson.steps > 0, `${lesson.file} has steps`);
  }
});

for (const lesson of LESSONS) {
  test(`lesson ${lesson.order} (${lesson.id}) can be completed by clicking its commands`, async () => {
    const page = await openLab(lab, `?lesson=${lesson.id}&lang=en`, {
      viewport: { width: 1440, height: 900 },
    });
    page.on('dialog', (d) => d.accept());
    const steps = page.getByTestId('lesson-step');
    assert.equal(await steps.count(), lesson.steps);
    for (let n = 1; n <= lesson.steps; n++) {
      await completeStep(page, n);
      // Every earlier step stays green.
      for (let k = 1; k <= n; k++) {
        assert.equal(await lessonStep(page, k).getAttribute('data-done'), 'true', `step ${k} after step ${n}`);
      }
    }
    const complete = page.getByText('All steps done!');
    await complete.waitFor();
    await complete.scrollIntoViewIfNeeded();
    await screenshot(page, `lesson-${lesson.order}-${lesson.id}`);
    assert.deepEqual(page.problems, []);
  });
}

test('?lang=zh shows the page and the lesson in Chinese', async () => {
  const page = await openLab(lab, '?lesson=blue-green&lang=zh', { playing: true });
  await page.getByText('启动 v1.0 版本（蓝）').waitFor();
  await page.getByText('观察 Kubernetes 如何发布软件').waitFor();
  assert.equal((await page.getByTestId('lesson-reset').textContent()).trim(), '重置课程');
  assert.equal((await page.getByTestId('editor-apply').textContent()).trim(), '应用');
  await screenshot(page, 'lesson-zh');
  assert.deepEqual(page.problems, []);
});

test('the language toggle switches the editor, cluster and traffic labels too', async () => {
  const page = await openLab(lab, '?lesson=blue-green&lang=en');
  await completeStep(page, 1);
  const labels = async () => ({
    apply: (await page.getByTestId('editor-apply').textContent()).trim(),
    newFile: await page.getByTestId('editor-new').getAttribute('title'),
    newName: await page.getByTestId('editor-new-name').getAttribute('placeholder'),
    contents: await page.getByTestId('editor').getAttribute('aria-label'),
    traffic: (await page.getByTestId('send-traffic').textContent()).trim(),
    counts: (await page.locator('[data-testid="replicaset"] .counts').first().textContent()).trim(),
    step: (await page.getByTestId('clock-step-10').textContent()).trim(),
  });
  const english = await labels();
  assert.deepEqual(english, {
    apply: 'Apply',
    newFile: 'New file',
    newName: 'new-file.yaml',
    contents: 'File contents',
    traffic: '▶ send traffic',
    counts: 'desired 2 · current 2 · ready 2',
    step: '+10 s',
  });
  await page.getByTestId('lang').click();
  assert.deepEqual(await labels(), {
    apply: '应用',
    newFile: '新建文件',
    newName: '新文件名.yaml',
    contents: '文件内容',
    traffic: '▶ 发送流量',
    counts: '期望 2 · 当前 2 · 就绪 2',
    step: '+10 秒',
  });
  await page.getByTestId('lang').click();
  assert.deepEqual(await labels(), english);
  assert.deepEqual(page.problems, []);
});

test('?step=3 starts where step 3 starts: the earlier steps ran and are green', async () => {
  const page = await openLab(lab, '?lesson=blue-green&step=3&speed=5', { playing: true });
  await page.locator('[data-testid="lesson-step"][data-step="2"][data-done="true"]').waitFor();
  assert.equal(await lessonStep(page, 1).getAttribute('data-done'), 'true');
  await page.locator('[data-testid="pod"][data-version="v1.0"][data-ready="true"]').nth(1).waitFor();
  assert.equal(await page.getByTestId('clock-speed').inputValue(), '5');
  assert.deepEqual(page.problems, []);
});

test('?embed=1 works inside an iframe of another origin', async () => {
  const src = lab.url('?lesson=canary-pause&lang=zh&embed=1');
  const host = `<!doctype html><title>course</title><link rel="icon" href="data:,"><iframe id="lab" width="900" height="600"
    src="${src}"></iframe>`;
  const other = await serve('/nonexistent', { '/course.html': host });
  try {
    const page = await openPage(lab.browser, { width: 1000, height: 700 });
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

/// Step 1 of lesson 1 done and the clock paused, then "Share": the page and its link.
async function sharedLessonPage(contextOptions = {}) {
  const page = await openPage(lab.browser, undefined, contextOptions);
  await page.goto(lab.url('?lesson=blue-green&lang=en'));
  await page.getByTestId('terminal-input').waitFor();
  await page.getByTestId('clock-pause').click();
  await completeStep(page, 1);
  await page.getByTestId('share').click();
  const url = await page.getByTestId('share-url').inputValue();
  assert.match(url, /#share=[A-Za-z0-9_-]+$/);
  return { page, url };
}

test('Share copies the link to the clipboard and says so, in both languages', async () => {
  const { page, url } = await sharedLessonPage({ permissions: ['clipboard-read', 'clipboard-write'] });
  await page.locator('[data-testid="share-box"][data-copy="done"]').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url);
  assert.equal((await page.getByTestId('share-status').textContent()).trim(), 'Link copied to the clipboard:');
  await page.getByTestId('lang').click();
  assert.equal((await page.getByTestId('share-status').textContent()).trim(), '链接已复制到剪贴板：');
  await page.getByTestId('lang').click();
  await screenshot(page, 'lesson-share-copied');
  assert.deepEqual(page.problems, []);
});

test('when the browser refuses the clipboard, Share shows the link selected to copy by hand', async () => {
  const page = await openPage(lab.browser);
  await page.addInitScript(() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
  });
  await page.goto(lab.url('?lesson=blue-green&lang=zh'));
  await page.getByTestId('terminal-input').waitFor();
  await page.getByTestId('share').click();
  await page.locator('[data-testid="share-box"][data-copy="refused"]').waitFor();
  assert.equal((await page.getByTestId('share-status').textContent()).trim(), '浏览器不允许页面复制链接，请选中后自行复制：');
  const url = await page.getByTestId('share-url').inputValue();
  assert.match(url, /#share=[A-Za-z0-9_-]+$/);
  // The field has the focus and the whole link selected: Ctrl-C copies it.
  const selected = await page.evaluate(() => {
    const el = document.activeElement;
    return el?.dataset.testid === 'share-url' ? el.value.slice(el.selectionStart, el.selectionEnd) : null;
  });
  assert.equal(selected, url);
  await page.getByTestId('lang').click();
  assert.match(await page.getByTestId('share-status').textContent(), /did not let the page copy the link/);
  await screenshot(page, 'lesson-share-refused');
  assert.deepEqual(page.problems, []);
});

test('a shared URL opened in a fresh browser context shows the same cluster', async () => {
  const { page, url } = await sharedLessonPage();
  const names = await podNames(page);
  assert.equal(names.length, 2);

  const fresh = await openPage(lab.browser);
  await fresh.goto(url);
  await fresh.getByTestId('pod').nth(1).waitFor();
  assert.deepEqual(await podNames(fresh), names);
  await fresh.locator('[data-testid="lesson-step"][data-step="1"][data-done="true"]').waitFor();
  await fresh.getByTestId('terminal-output').getByText('replicaset.apps/replicaset-demo created').waitFor();
  await screenshot(fresh, 'lesson-shared');
  assert.deepEqual(page.problems, []);
  assert.deepEqual(fresh.problems, []);
});

test('a reload restores the work', async () => {
  const page = await openLab(lab, '?lesson=blue-green&lang=en');
  await completeStep(page, 1);
  const names = await podNames(page);
  await run(page, 'echo kept-after-reload');
  // The page saves every 700 ms: wait until the save holds the line, not for a fixed time.
  await waitSaved(page, (work) => work.events.some((e) => e.k?.s === 'echo kept-after-reload'));
  await page.reload();
  await page.getByTestId('terminal-output').getByText('kept-after-reload').first().waitFor();
  await page.getByTestId('pod').nth(1).waitFor();
  assert.deepEqual(await podNames(page), names);
  assert.equal(await lessonStep(page, 1).getAttribute('data-done'), 'true');
  await screenshot(page, 'lesson-reloaded');
  assert.deepEqual(page.problems, []);
});

test('Export downloads one shell script with the files as heredocs and the commands', async () => {
  const page = await openLab(lab, '?lesson=blue-green&lang=en', { playing: true });
  await lessonStep(page, 1).getByTestId('lesson-command').first().click();
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
  const page = await openPage(lab.browser);
  // Before the page's own script runs (a running page saves its work every moment).
  await page.addInitScript(() => localStorage.setItem('rollout-lab/v1', '{garbage'));
  await page.goto(lab.url());
  await page.getByTestId('save-notice').waitFor();
  const keys = await page.evaluate(() => Object.keys(localStorage));
  assert.ok(keys.some((k) => k.startsWith('rollout-lab/corrupt-')), keys.join(','));
  await run(page, 'kubectl version');
  await page.getByTestId('terminal-output').getByText('Client Version: v1.30').waitFor();
  await screenshot(page, 'lesson-corrupt-save');
  assert.deepEqual(page.problems, []);
});
