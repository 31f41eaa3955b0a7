// Course authors (issue 14): lessons from outside the build and the postMessage protocol, in
// the release bundle. The lab is served on one origin, the course page (examples/course-page)
// and lesson files on a second, and a foreign page on a third.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { serve, MOUNT } from '../serve.mjs';
import { DIST, launch, openPage, screenshot, completeStep } from '../browser.mjs';

/// A one-step lesson that starts from its setup: a Deployment of two pods to scale to three.
const AUTHOR_LESSON = `id: author-scale
order: 200
title: {en: "Scale out (an author's lesson)"}
summary: {en: "A Deployment runs two pods; give it a third."}
setup:
  apply:
    - |
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        replicas: 2
        selector:
          matchLabels: {app: web}
        template:
          metadata:
            labels: {app: web}
          spec:
            containers:
            - name: demoapp
              image: ikubernetes/demoapp:v1.0
  advance: 30
steps:
  - id: scale
    title: {en: "Three replicas"}
    text: {en: "Scale web to 3."}
    commands:
      - kubectl scale deployment web --replicas=3
    check:
      - shell: test "$(kubectl get deployment web -o jsonpath='{.status.readyReplicas}')" = 3
    hints:
      - {en: "kubectl scale takes --replicas."}
  - id: label
    title: {en: "Label it"}
    text: {en: "Label the Deployment."}
    commands:
      - kubectl label deployment web tier=front
    check:
      - shell: kubectl get deployment web -l tier=front -o name | grep -q web
done: {en: "Well scaled."}
`;

const BROKEN_LESSON = `id: broken
order: 201
title: {en: "Broken"}
summary: {en: "s"}
steps:
  - title: {en: "one"}
    text: {en: "t"}
    check:
      - pods: {selector: app=x, redy: 2}
`;

/// The lesson author mode edits: the same Deployment, judged by a declarative check.
const EDITED_LESSON = AUTHOR_LESSON.replace('author-scale', 'author-edit').replace(
  `      - shell: test "$(kubectl get deployment web -o jsonpath='{.status.readyReplicas}')" = 3`,
  '      - pods: {selector: app=web, ready: 3}',
);

const BUILT_IN_INDEX = JSON.parse(readFileSync(`${DIST}/lessons/index.json`, 'utf8'));
const INDEX = JSON.stringify({
  lessons: [
    ...BUILT_IN_INDEX.lessons,
    { file: 'author-scale.yaml' },
    { file: 'broken.yaml' },
    { file: 'author-edit.yaml' },
  ],
});

const COURSE_PAGE = readFileSync(new URL('../../examples/course-page/index.html', import.meta.url), 'utf8');

/// The second (and third) origin: the course page, and lesson files with or without CORS.
function courseServer(pages) {
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const page = pages[path];
    if (!page) {
      res.writeHead(404);
      return res.end('not found');
    }
    res.writeHead(200, { 'content-type': page.type, ...(page.cors ? { 'access-control-allow-origin': '*' } : {}) });
    res.end(page.body);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

const s = {};
before(async () => {
  // Read at each request: the author-mode test saves a new version of its file.
  s.pages = {
    [`${MOUNT}lessons/index.json`]: INDEX,
    [`${MOUNT}lessons/author-scale.yaml`]: AUTHOR_LESSON,
    [`${MOUNT}lessons/broken.yaml`]: BROKEN_LESSON,
    [`${MOUNT}lessons/author-edit.yaml`]: EDITED_LESSON,
  };
  s.lab = await serve(DIST, s.pages);
  s.labUrl = `${s.lab.url}${MOUNT}`;
  s.course = await courseServer({
    '/course/': { type: 'text/html; charset=utf-8', body: COURSE_PAGE },
    '/cors/lesson.yaml': { type: 'text/yaml', body: AUTHOR_LESSON.replace('author-scale', 'from-afar'), cors: true },
    '/nocors/lesson.yaml': { type: 'text/yaml', body: AUTHOR_LESSON.replace('author-scale', 'refused') },
  });
  s.browser = await launch();
});
after(async () => {
  await s.browser?.close();
  await s.lab?.close();
  await s.course?.close();
});

async function openLabAt(query) {
  const page = await openPage(s.browser, { width: 1440, height: 900 });
  page.setDefaultTimeout(60_000);
  page.on('dialog', (d) => d.accept());
  await page.goto(`${s.labUrl}${query}`);
  await page.getByTestId('terminal-input').waitFor();
  await page.getByTestId('clock-pause').click();
  return page;
}

test('a lesson dropped beside the bundle is listed and completed by clicking', async () => {
  const page = await openLabAt('?lang=en');
  const option = page.locator('[data-testid="lesson-picker"] option[value="author-scale"]');
  await option.waitFor({ state: 'attached' });
  await page.getByTestId('lesson-picker').selectOption('author-scale');
  await page.locator('[data-step-id="scale"]').waitFor();
  await page.getByTestId('hint-button').first().click();
  assert.match(await page.getByTestId('step-hint').first().textContent(), /--replicas/);
  await completeStep(page, 1);
  await completeStep(page, 2);
  await page.getByTestId('lesson-complete').waitFor();
  assert.match(await page.getByTestId('lesson-complete').textContent(), /Well scaled/);
  await screenshot(page, 'course-author-lesson-done');
  await page.context().close();
});

test('a broken lesson beside the bundle shows its error, line and field, in the page', async () => {
  const page = await openLabAt('?lang=en');
  const error = page.getByTestId('lesson-error').filter({ hasText: 'broken.yaml' });
  await error.waitFor();
  const text = await error.textContent();
  assert.match(text, /lessons\/broken\.yaml/);
  assert.match(text, /line 9: steps\[0\]\.check\[0\]\.pods\.redy: unknown field/);
  assert.equal(await page.locator('[data-testid="lesson-picker"] option[value="broken"]').count(), 0);
  await screenshot(page, 'course-broken-lesson');
  await page.context().close();
});

test('author mode shows the file, refuses a broken edit with its line, reloads a good one and a saved file, and says why each check fails', async () => {
  const page = await openLabAt('?lang=en&lesson=author-edit&author=1');
  const text = page.getByTestId('author-text');
  await page.waitForFunction(() => document.querySelector('[data-testid="author-text"]')?.value.includes('id: author-edit'));
  assert.match(await page.getByTestId('author-source').textContent(), /lessons\/author-edit\.yaml/);

  // Every step's checks as they stand: the Deployment has two ready pods, the step wants three.
  const first = page.locator('[data-testid="author-check"][data-step="1"]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="author-check"]').length === 2);
  assert.equal(await first.getAttribute('data-holds'), 'false');
  assert.match(await first.textContent(), /pods app=web: 2 ready, want 3/);
  await screenshot(page, 'author-mode-checks');

  // A broken edit is refused with its line and field; the lesson stays as it was.
  const original = await text.inputValue();
  await text.fill(original.replace('title: {en: "Three replicas"}', 'titel: {en: "Three replicas"}'));
  await text.press('Control+s');
  const problems = page.getByTestId('author-problems');
  await problems.locator('li').first().waitFor();
  assert.match(await problems.textContent(), /line 26: steps\[0\]\.titel: unknown field/);
  assert.match(await page.getByTestId('author-status').textContent(), /Not reloaded/);
  assert.match(await page.locator('[data-step-id="scale"] .step-title').textContent(), /Three replicas$/);

  // A good edit reloads the lesson at once.
  await text.fill(original.replace('title: {en: "Three replicas"}', 'title: {en: "Three replicas, edited"}'));
  await page.getByTestId('author-apply').click();
  await page.waitForFunction(() => /edited/.test(document.querySelector('[data-step-id="scale"] .step-title')?.textContent ?? ''));
  assert.equal(await problems.locator('li').count(), 0);
  assert.match(await page.getByTestId('author-status').textContent(), /Reloaded author-edit: 2 steps/);

  // A save in the author's own editor: the page reads the file again and reloads it.
  s.pages[`${MOUNT}lessons/author-edit.yaml`] = EDITED_LESSON.replace('title: {en: "Three replicas"}', 'title: {en: "Three replicas, saved"}');
  await page.waitForFunction(() => /saved/.test(document.querySelector('[data-step-id="scale"] .step-title')?.textContent ?? ''));

  // The check turns when the cluster does.
  await completeStep(page, 1);
  await page.waitForFunction(() => document.querySelector('[data-testid="author-check"][data-step="1"]')?.dataset.holds === 'true');
  await screenshot(page, 'author-mode-reloaded');
  await page.context().close();
});

test('?lesson-url= opens a lesson from an origin that allows it and refuses one that does not', async () => {
  const page = await openLabAt(`?lang=en&lesson-url=${encodeURIComponent(`${s.course.url}/cors/lesson.yaml`)}`);
  await page.locator('[data-step-id="scale"]').waitFor();
  assert.equal(await page.getByTestId('lesson-picker').inputValue(), 'from-afar');
  await page.context().close();

  const refused = await openLabAt(`?lang=en&lesson-url=${encodeURIComponent(`${s.course.url}/nocors/lesson.yaml`)}`);
  // The broken lesson beside the bundle has its own box; this one names the URL.
  const error = refused.getByTestId('lesson-error').filter({ hasText: 'nocors' });
  await error.waitFor();
  assert.match(await error.textContent(), /nocors\/lesson\.yaml could not be read: .*does not allow this page to read it/);
  await screenshot(refused, 'course-lesson-url-refused');
  await refused.context().close();
});

test('the course page hears every step of a lesson run in its frame, and a foreign page is ignored', async () => {
  const page = await openPage(s.browser, { width: 1280, height: 1400 });
  // Two labs start side by side in one page: give them time on a busy machine.
  page.setDefaultTimeout(120_000);
  await page.goto(`${s.course.url}/course/?lab=${encodeURIComponent(s.labUrl)}&lessons=author-scale,blue-green`);
  const messages = () => page.evaluate(() => window.labMessages.map((m) => ({ frame: m.frame, ...m.message })));
  await page.waitForFunction(() => window.labMessages.filter((m) => m.message.type === 'ready').length === 2);
  const frame = page.frameLocator('iframe[data-frame="a"]');
  await frame.locator('[data-step-id="scale"]').waitFor();
  await frame.getByTestId('clock-pause').click();
  // completeStep drives a page; the frame's locators answer the same calls.
  const inFrame = { locator: (q) => frame.locator(q), getByTestId: (id) => frame.getByTestId(id) };
  await completeStep(inFrame, 1);
  await completeStep(inFrame, 2);
  await page.waitForFunction(() => window.labMessages.some((m) => m.message.type === 'lesson-completed'));
  const a = (await messages()).filter((m) => m.frame === 'a');
  assert.deepEqual(
    a.map((m) => [m.type, m.lesson, m.step ?? null]),
    [
      ['ready', 'author-scale', null],
      ['lesson-started', 'author-scale', null],
      ['step-completed', 'author-scale', 'scale'],
      ['step-completed', 'author-scale', 'label'],
      ['lesson-completed', 'author-scale', null],
    ],
  );
  assert.ok(a.filter((m) => m.type === 'step-completed').every((m) => m.virtual_time_ms > 0));
  await screenshot(page, 'course-page-progress');

  // The host may steer the lab: frame b opens the author's lesson when the course page asks.
  await page.evaluate((origin) => {
    document.querySelector('iframe[data-frame="b"]').contentWindow.postMessage({ type: 'open-lesson', lesson: 'author-scale' }, origin);
  }, s.lab.url);
  await page.waitForFunction(() =>
    window.labMessages.some((m) => m.frame === 'b' && m.message.type === 'lesson-started' && m.message.lesson === 'author-scale'));

  // A page on a third origin that frames the lab naming the course page as its host: the lab
  // posts nothing it can read, and ignores what it sends.
  const foreign = await courseServer({
    '/': {
      type: 'text/html; charset=utf-8',
      body: `<iframe id="lab" style="width:1200px;height:800px" src="${s.labUrl}?lang=en&lesson=blue-green&embed=1&host-origin=${encodeURIComponent(s.course.url)}"></iframe>
<script>window.heard = []; addEventListener('message', (e) => window.heard.push(e.data));</script>`,
    },
  });
  const other = await openPage(s.browser, { width: 1280, height: 900 });
  other.setDefaultTimeout(120_000);
  await other.goto(`${foreign.url}/`);
  const lab = other.frameLocator('#lab');
  await lab.locator('[data-step-id="step-1"]').waitFor();
  await other.evaluate((origin) => {
    document.getElementById('lab').contentWindow.postMessage({ type: 'open-lesson', lesson: 'author-scale' }, origin);
  }, s.lab.url);
  await other.waitForTimeout(1500);
  assert.equal(await lab.getByTestId('lesson-picker').inputValue(), 'blue-green');
  assert.deepEqual(await other.evaluate(() => window.heard), []);
  await other.context().close();
  await foreign.close();
  await page.context().close();
});
