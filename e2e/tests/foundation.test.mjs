// The release bundle, served from a sub-folder, loads, renders and answers input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serve } from '../serve.mjs';
import { suite, openPage, screenshot } from '../browser.mjs';

const lab = suite();

test('the app loads from a sub-folder with no failed request and answers a command', async () => {
  const page = await openPage(lab.browser);
  const started = Date.now();
  await page.goto(lab.url());
  const input = page.getByTestId('terminal-input');
  await input.waitFor();
  console.log(`# interactive after ${Date.now() - started} ms`);

  await input.fill('kubectl version');
  await input.press('Enter');
  await page.getByTestId('terminal-output').getByText('Client Version: v1.30').waitFor();

  await input.fill('kubectl nonsense');
  await input.press('Enter');
  await page.locator('.stderr', { hasText: 'unknown command "nonsense"' }).waitFor();

  await screenshot(page, 'foundation');
  assert.deepEqual(page.problems, []);
});

test('the app works inside an iframe of another origin', async () => {
  // localhost and 127.0.0.1 are different origins for the browser.
  const host = `<!doctype html><title>course</title><link rel="icon" href="data:,"><iframe id="lab" width="900" height="600"
    src="${lab.url()}"></iframe>`;
  const other = await serve('/nonexistent', { '/course.html': host });
  try {
    const page = await openPage(lab.browser);
    await page.goto(`http://localhost:${other.port}/course.html`);
    const frame = page.frameLocator('#lab');
    const input = frame.getByTestId('terminal-input');
    await input.waitFor();
    await input.fill('kubectl version');
    await input.press('Enter');
    await frame.getByText('Client Version: v1.30').waitFor();
    await screenshot(page, 'embedded');
    assert.deepEqual(page.problems, []);
  } finally {
    await other.close();
  }
});
