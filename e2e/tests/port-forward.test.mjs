// `kubectl port-forward` in the page (issue #12): a forward in the background with `&`, a
// curl to localhost through it, `jobs` and `kill %1`; then a forward in the foreground that
// Ctrl-C stops, after which its port refuses connections again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openLab, screenshot, run, terminalText, waitIdle } from '../browser.mjs';

const lab = suite();

/// The terminal's text after the last echo of `line`.
async function outputOf(page, line) {
  const text = await terminalText(page);
  const at = text.lastIndexOf(line);
  assert.ok(at >= 0, `the terminal shows ${JSON.stringify(line)}:\n${text.slice(-2000)}`);
  return text.slice(at + line.length);
}

async function shows(page, line, pattern) {
  for (let tries = 0; tries < 50; tries++) {
    if (pattern.test(await outputOf(page, line))) return;
    await page.waitForTimeout(100);
  }
  assert.match(await outputOf(page, line), pattern);
}

test('a port-forward in the background serves curl localhost, and Ctrl-C stops one in the foreground', async () => {
  const page = await openLab(lab);
  await run(page, 'kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --replicas=2');
  await run(page, 'kubectl expose deployment web --port=80');
  await run(page, 'kubectl rollout status deployment web');
  await waitIdle(page);

  const forward = 'kubectl port-forward svc/web 8080:80 &';
  await run(page, forward);
  await waitIdle(page);
  await shows(page, forward, /\[1\] \d+\s*Forwarding from 127\.0\.0\.1:8080 -> 80\s*Forwarding from \[::1\]:8080 -> 80/);
  await run(page, 'curl -s localhost:8080');
  await waitIdle(page);
  await shows(page, 'curl -s localhost:8080', /Handling connection for 8080\s*iKubernetes demoapp v1\.0 !! ClientIP: 127\.0\.0\.1, ServerName: web-/);
  await run(page, 'jobs');
  await waitIdle(page);
  await shows(page, 'jobs', /\[1\]\+  Running {17}kubectl port-forward svc\/web 8080:80 &/);
  await screenshot(page, 'port-forward-background');
  await run(page, 'kill %1');
  await waitIdle(page);
  await shows(page, 'kill %1', /\[1\]\+  Terminated {14}kubectl port-forward svc\/web 8080:80/);

  // In the foreground it holds the terminal until Ctrl-C.
  await run(page, 'kubectl port-forward deploy/web 9090:80');
  await shows(page, 'kubectl port-forward deploy/web 9090:80', /Forwarding from 127\.0\.0\.1:9090 -> 80/);
  assert.equal(await page.getByTestId('terminal-input').isVisible(), true);
  await page.getByTestId('terminal-input').press('Control+c');
  await waitIdle(page);
  await run(page, 'curl localhost:9090');
  await waitIdle(page);
  await shows(page, 'curl localhost:9090', /curl: \(7\) Failed to connect to localhost port 9090 after 0 ms: Couldn't connect to server/);
  await screenshot(page, 'port-forward-ctrl-c');
  assert.deepEqual(page.problems, []);
});
