// Launches the system Chromium through playwright-core (no browser download) and records
// everything that went wrong on a page: console errors, page errors, failed requests.
// Also the helpers every test file shares: the suite's server and browser, opening the lab,
// typing, the clock, the timeline, lesson steps and screenshots.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, MOUNT } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const SCREENSHOTS = join(here, 'screenshots');
export const DIST = process.env.DIST ?? join(here, '..', 'dist');

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/// Serves the release bundle and launches Chromium before the file's tests, and closes
/// both after them. `lab.url(query)` is the page's address under its sub-folder.
export function suite() {
  const lab = {
    server: null,
    browser: null,
    url: (query = '') => `${lab.server.url}${MOUNT}${query}`,
  };
  before(async () => {
    lab.server = await serve(DIST);
    lab.browser = await launch();
  });
  after(async () => {
    await lab.browser?.close();
    await lab.server?.close();
  });
  return lab;
}

/// A new page whose problems are collected in `page.problems`.
export async function openPage(browser, viewport = { width: 1280, height: 720 }, contextOptions = {}) {
  const context = await browser.newContext({ viewport, ...contextOptions });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') page.problems.push(`console: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => page.problems.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => page.problems.push(`requestfailed: ${req.url()}`));
  page.on('response', (res) => {
    if (res.status() >= 400) page.problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return page;
}

/// The lab at `query` (e.g. `?lesson=blue-green&lang=en`), ready for input; the clock is
/// paused unless `playing`, so the test moves it.
export async function openLab(lab, query = '', { viewport, playing = false } = {}) {
  const page = await openPage(lab.browser, viewport);
  await page.goto(lab.url(query));
  await page.getByTestId('terminal-input').waitFor();
  // The page is drawn before the lab's module (the simulator, kubectl, the shell) is here.
  await page.locator('[data-testid="terminal"][data-starting="false"]').waitFor();
  if (!playing) await page.getByTestId('clock-pause').click();
  return page;
}

/// Lets the cards' entrance transitions finish, then saves a full-page screenshot.
export async function screenshot(page, name) {
  await page.waitForTimeout(400);
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/// Types `line` at the prompt and presses Enter.
export async function run(page, line) {
  const input = page.getByTestId('terminal-input');
  await input.fill(line);
  await input.press('Enter');
}

export async function terminalText(page) {
  return page.getByTestId('terminal-output').textContent();
}

/// Virtual seconds on the clock.
export async function clock(page) {
  return Number((await page.getByTestId('clock-time').textContent()).trim());
}

/// Moves the clock `seconds` with the step buttons.
export async function step(page, seconds) {
  for (let i = 0; i < Math.floor(seconds / 10); i++) await page.getByTestId('clock-step-10').click();
  for (let i = 0; i < seconds % 10; i++) await page.getByTestId('clock-step').click();
}

/// Drags the timeline to snapshot `index`.
export async function dragTimeline(page, index) {
  await page.getByTestId('timeline').evaluate((el, value) => {
    el.value = String(value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, index);
}

export async function terminalBusy(page) {
  return (await page.getByTestId('terminal').getAttribute('data-busy')) === 'true';
}

/// Steps the clock 10 s at a time until the command running in the terminal (and every
/// line queued behind it) is done.
export async function waitIdle(page, { maxSeconds = 900 } = {}) {
  for (let waited = 0; waited <= maxSeconds; waited += 10) {
    if (!(await terminalBusy(page))) return;
    await page.getByTestId('clock-step-10').click();
  }
  assert.fail(`the terminal was still busy after ${maxSeconds} virtual seconds`);
}

export function lessonStep(page, n) {
  return page.locator(`[data-testid="lesson-step"][data-step="${n}"]`);
}

/// Does what step `n` (1-based) offers, as a student would: clicks each suggested command
/// and lets the clock run while it works, then moves the clock until the step turns green.
export async function completeStep(page, n, { maxSeconds = 600 } = {}) {
  const step = lessonStep(page, n);
  await step.scrollIntoViewIfNeeded();
  const commands = step.getByTestId('lesson-command');
  const count = await commands.count();
  for (let i = 0; i < count; i++) {
    await commands.nth(i).click();
    await waitIdle(page);
  }
  for (let waited = 0; waited <= maxSeconds; waited += 10) {
    if ((await step.getAttribute('data-done')) === 'true') return;
    await page.getByTestId('clock-step-10').click();
  }
  const title = (await step.locator('.step-title').textContent()).trim();
  assert.fail(`step "${title}" did not turn green within ${maxSeconds} virtual seconds`);
}

export async function podNames(page) {
  const pods = page.getByTestId('pod');
  return (await pods.evaluateAll((els) => els.map((e) => e.dataset.name))).sort();
}

/// The traffic panel's answers, newest first, as the hooks describe them.
export async function curlLines(page) {
  return page.locator('[data-testid="curl-line"]').evaluateAll((els) =>
    els.map((el) => ({ at: Number(el.dataset.at), version: el.dataset.version, text: el.querySelector('.text')?.textContent })),
  );
}

/// The work the page saved in localStorage (written every 700 ms when it changed), parsed.
export async function savedWork(page) {
  const text = await page.evaluate(() => localStorage.getItem('rollout-lab/v1'));
  return text ? JSON.parse(text) : null;
}

/// Waits until the saved work satisfies `holds` — the state, rather than a fixed sleep that
/// races the save timer on a busy machine.
export async function waitSaved(page, holds, { timeoutMs = 15_000 } = {}) {
  const start = Date.now();
  for (;;) {
    const work = await savedWork(page);
    if (work && holds(work)) return work;
    if (Date.now() - start > timeoutMs) assert.fail(`the save never held the expected state: ${JSON.stringify(work)?.slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/// Virtual milliseconds the saved log's clock advances add up to.
export function savedClockMs(work) {
  return work.events.reduce((ms, e) => ms + (typeof e.k === 'object' && 'a' in e.k ? e.k.a : 0), 0);
}
