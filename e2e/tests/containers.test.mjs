// What runs inside containers, in the page (issue #19, "tools that do what they do for real"):
// `kubectl run -it --rm -- CMD` runs CMD and prints its answer, busybox has wget and no curl,
// `kubectl exec deploy/NAME` picks one of the Deployment's pods, and a container's command
// writes the log `kubectl logs` reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openLab, screenshot, run, terminalText, waitIdle } from '../browser.mjs';

const lab = suite();

/// The terminal's text after the last echo of `line` (what that command printed, and after).
async function outputOf(page, line) {
  const text = await terminalText(page);
  const at = text.lastIndexOf(line);
  assert.ok(at >= 0, `the terminal shows ${JSON.stringify(line)}:\n${text.slice(-2000)}`);
  return text.slice(at + line.length);
}

test('commands run inside containers, with the tools each image really has', async () => {
  const page = await openLab(lab);
  await run(page, 'kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --replicas=2');
  await run(page, 'kubectl expose deployment web --port=80');
  await run(page, 'kubectl rollout status deployment web');
  await waitIdle(page);
  assert.match(await outputOf(page, 'kubectl rollout status deployment web'), /successfully rolled out/);

  // run -it --rm -- CMD: the command's answer, then the pod goes.
  const attached = 'kubectl run t --image=busybox --restart=Never -it --rm -- wget -qO- web';
  await run(page, attached);
  await waitIdle(page);
  let out = await outputOf(page, attached);
  assert.match(out, /iKubernetes demoapp v1\.0 !! ClientIP: 10\.244\.\d+\.\d+, ServerName: web-/);
  assert.match(out, /pod "t" deleted/);
  assert.doesNotMatch(out, /\/ #/, 'no pod shell prompt: the command ran instead of a shell');

  // busybox: wget yes, curl no.
  await run(page, "kubectl run bb --image=busybox -- sh -c 'echo hello from bb; sleep 3600'");
  await run(page, 'sleep 10');
  await waitIdle(page);
  await run(page, 'kubectl exec bb -- wget -qO- web');
  await waitIdle(page);
  assert.match(await outputOf(page, 'kubectl exec bb -- wget -qO- web'), /iKubernetes demoapp v1\.0/);
  await run(page, 'kubectl exec bb -- curl -s web');
  await waitIdle(page);
  assert.match(
    await outputOf(page, 'kubectl exec bb -- curl -s web'),
    /exec: "curl": executable file not found in \$PATH/,
  );
  await run(page, 'kubectl logs bb');
  await waitIdle(page);
  assert.match(await outputOf(page, 'kubectl logs bb'), /hello from bb/);

  // exec TYPE/NAME picks one of the Deployment's pods.
  await run(page, 'kubectl exec deploy/web -- hostname');
  await waitIdle(page);
  out = await outputOf(page, 'kubectl exec deploy/web -- hostname');
  assert.match(out, /web-[a-z0-9]+-[a-z0-9]{5}/);
  assert.doesNotMatch(out, /not found/);

  await screenshot(page, 'containers-run-exec-logs');
  assert.deepEqual(page.problems, []);
});
