// The text tools in the page: sed, awk and xargs are a wasm module of their own
// (split_text_tools.wasm, crates/kubectl/src/shell/tools.rs), fetched when the first line that
// names one of them is entered, not before; the line waits for it and then prints what GNU's
// tools print.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openLab, screenshot, run } from '../browser.mjs';

const lab = suite();

test('sed, awk and xargs run on kubectl output once their module is fetched for the first line that names them', async () => {
  const page = await openLab(lab, '?lang=en');
  const output = page.getByTestId('terminal-output');
  const splitModules = () => page.evaluate(() => performance.getEntriesByType('resource')
    .map((entry) => new URL(entry.name).pathname).filter((path) => /\/split_[^/]*\.wasm$/.test(path)));
  const textTools = async () => (await splitModules()).filter((path) => path.endsWith('/split_text_tools.wasm'));
  // What the terminal shows after the last `marker` line echoed.
  const after = async (marker) => {
    await run(page, `echo ${marker}`);
    await output.getByText(marker, { exact: true }).waitFor();
    const text = await output.innerText();
    return text.slice(0, text.lastIndexOf(marker));
  };

  await run(page, 'kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --replicas=2');
  await output.getByText('deployment.apps/web created').waitFor();
  await run(page, 'kubectl get pods -o name');
  await output.getByText(/^pod\/web-/).first().waitFor();
  assert.deepEqual(await textTools(), [], 'the text tools are not in the first download');

  await run(page, "kubectl get pods -o name | sed 's/pod\\///'");
  const sedOut = (await after('end-of-sed')).split("sed 's/pod\\///'").pop();
  const names = sedOut.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('web-'));
  assert.equal(names.length, 2, `sed printed the pods' bare names: ${JSON.stringify(sedOut)}`);
  assert.ok(!sedOut.includes('pod/web-'), sedOut);
  assert.equal((await textTools()).length, 1, 'the text tools fetched once, for the sed line');

  await run(page, `kubectl get pods --no-headers | awk '{n++} END {print n " pods"}'`);
  await output.getByText('2 pods', { exact: true }).waitFor();
  await run(page, 'kubectl get pods -o name | xargs -n1 echo got');
  await output.getByText(/^got pod\/web-/).nth(1).waitFor();
  assert.equal((await textTools()).length, 1, 'fetched only once');
  await screenshot(page, 'text-tools');
});
