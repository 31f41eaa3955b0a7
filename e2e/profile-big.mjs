// A CPU profile of the 1,000-pod rolling update at 30x (the benchmark's scenario), self time
// by function: build with WASM_KEEP_NAMES=1 into DIST so the wasm functions have names.
//   DIST=/path/to/dist node e2e/profile-big.mjs
import { launch, openPage, run } from './browser.mjs';
import { serve, MOUNT } from './serve.mjs';

const server = await serve(process.env.DIST);
const browser = await launch();
const page = await openPage(browser, { width: 1440, height: 900 });
await page.goto(`${server.url}${MOUNT}?lang=en`);
await page.getByTestId('terminal-input').waitFor();
await page.getByTestId('clock-speed').selectOption('30');
await run(page, 'lab-node add 9');
await page.getByTestId('terminal-output').getByText('node/k8s-node12 joined the cluster').waitFor();
await run(page, 'kubectl create deployment big --image=ikubernetes/demoapp:v1.0 --replicas=1000');
const ready = async (rev) => page.evaluate((r) => Number(document.querySelector(`[data-testid="replicaset"][data-revision="${r}"]`)?.dataset.ready ?? 0), rev);
for (let i = 0; i < 1200 && (await ready('1')) < 1000; i++) await page.waitForTimeout(100);
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await cdp.send('Profiler.start');
await run(page, 'kubectl set image deployment big demoapp=ikubernetes/demoapp:v1.1');
await page.getByTestId('maximise-cluster').click();
await page.waitForTimeout(Number(process.env.SECONDS ?? 20) * 1000);
const { profile } = await cdp.send('Profiler.stop');
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas;
profile.samples.forEach((id, i) => {
  const n = byId.get(id);
  const name = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}`;
  self.set(name, (self.get(name) ?? 0) + (dt[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 45));
for (const [name, us] of top) console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name.slice(0, 150)}`);
// Inclusive time of a few names of interest (any frame on the stack).
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const incl = new Map();
profile.samples.forEach((id, i) => {
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const fn = byId.get(at).callFrame.functionName;
    if (seen.has(fn)) continue;
    seen.add(fn);
    incl.set(fn, (incl.get(fn) ?? 0) + (dt[i] ?? 0));
  }
});
console.log('--- inclusive');
const inclTop = [...incl.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 60));
for (const [name, us] of inclTop) console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${name.slice(0, 150)}`);
await browser.close();
await server.close();
