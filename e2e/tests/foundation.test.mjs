// The release bundle, served from a sub-folder, loads, renders and answers input.
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

test('the app loads from a sub-folder with no failed request and answers a command', async () => {
  const page = await openPage(browser);
  const started = Date.now();
  await page.goto(`${server.url}${MOUNT}`);
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
    src="${server.url}${MOUNT}"></iframe>`;
  const other = await serve('/nonexistent', { '/course.html': host });
  try {
    const page = await openPage(browser);
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
