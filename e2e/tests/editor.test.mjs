// The editor: line numbers, YAML colouring, and kubectl's problems shown at their line as
// the user types. Screenshots in e2e/screenshots/ for review.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openLab, screenshot } from '../browser.mjs';

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: deployment-demo
spec:
  replicas: 4 # the course's four
  selector:
    matchLabels:
      app: demoapp
  template:
    metadata:
      labels:
        app: demoapp
    spec:
      containers:
      - name: demoapp
        image: "ikubernetes/demoapp:v1.0"
---
apiVersion: v1
kind: Service
metadata:
  name: demoapp-svc
spec:
  selector:
    app: demoapp
  ports:
  - port: 80
`;

const lab = suite();

test('the editor numbers and colours lines and shows problems at their line', async () => {
  const page = await openLab(lab);
  await page.getByTestId('editor-new').click();
  const editor = page.getByTestId('editor');

  await editor.fill(MANIFEST.replace('replicas: 4', 'replicas: -1'));
  const problem = page.getByTestId('editor-problem');
  await problem.first().waitFor();
  assert.equal(await problem.count(), 1);
  assert.equal(await problem.first().getAttribute('data-line'), '2');
  assert.match(await problem.first().textContent(), /is invalid.*spec\.replicas/s);
  assert.ok((await page.locator('.editor-highlight .y-key').count()) > 10);
  assert.ok((await page.locator('.editor-gutter .gutter-line').count()) >= 27);
  await screenshot(page, 'editor-1-invalid');

  // A syntax error in the second document: shown at its line in the file.
  await editor.fill(MANIFEST.replace('  name: demoapp-svc', '  name: demoapp-svc\n   bad: indent'));
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="editor-problem"]');
    return el && /error parsing/.test(el.textContent);
  });
  const line = Number(await problem.first().getAttribute('data-line'));
  assert.ok(line >= 21 && line <= 23, `line ${line}`);
  await screenshot(page, 'editor-2-syntax');

  // Fixed: no problem left, and Apply works.
  await editor.fill(MANIFEST);
  await page.waitForFunction(() => !document.querySelector('[data-testid="editor-problem"]'));
  await page.getByTestId('editor-apply').click();
  await page.getByTestId('terminal-output').getByText('service/demoapp-svc created').waitFor();
  assert.deepEqual(page.problems, []);
});
