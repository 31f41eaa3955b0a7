// A CPU profile of the 1,000-pod rolling update at 30x (the benchmark's scenario), self time
// by function: build with WASM_KEEP_NAMES=1 into DIST so the wasm functions have names.
//   DIST=/path/to/dist node e2e/profile-big.mjs      [SECONDS=20 TOP=45 SAVE=profile.json]
// With TRACE=1, a Chromium trace instead: the main thread's time by event (script, style,
// layout, paint, commit) and the tasks over 10 ms with what they spent it on.
//   DIST=/path/to/dist TRACE=1 node e2e/profile-big.mjs   [SECONDS=8 ROWS=40]
import { launch, openPage, run } from './browser.mjs';
import { serve, MOUNT } from './serve.mjs';
import { writeFileSync } from 'node:fs';

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
if (process.env.TRACE === '1') {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  await run(page, 'kubectl set image deployment big demoapp=ikubernetes/demoapp:v1.1');
  await page.getByTestId('maximise-cluster').click();
  await page.waitForTimeout(Number(process.env.SECONDS ?? 8) * 1000);
  await cdp.send('Tracing.end');
  await done;
  const main = events.filter((e) => e.ph === 'X' && e.dur);
  const byName = new Map();
  for (const e of main) byName.set(e.name, (byName.get(e.name) ?? 0) + e.dur);
  const frames = events.filter((e) => e.name === 'BeginFrame' || e.name === 'DrawFrame').length;
  console.log('events', events.length, 'frames', frames);
  for (const [n, us] of [...byName.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log((us / 1000).toFixed(0).padStart(7), 'ms', n);
  // Per task on the renderer's main thread: what the long ones spent their time on.
  const mainTid = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')?.tid;
  const onMain = main.filter((e) => e.tid === mainTid).sort((a, b) => a.ts - b.ts);
  const tasks = onMain.filter((e) => e.name === 'RunTask');
  const parts = ['FireAnimationFrame', 'RunMicrotasks', 'FunctionCall', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Commit', 'Layerize', 'MajorGC', 'MinorGC', 'TimerFire', 'EventDispatch'];
  const rows = [];
  let j = 0;
  for (const task of tasks) {
    const end = task.ts + task.dur;
    const row = { dur: task.dur / 1000 };
    while (j < onMain.length && onMain[j].ts < task.ts) j++;
    for (let k = j; k < onMain.length && onMain[k].ts < end; k++) {
      const e = onMain[k];
      if (parts.includes(e.name)) row[e.name] = (row[e.name] ?? 0) + e.dur / 1000;
    }
    rows.push(row);
  }
  const long = rows.filter((r) => r.dur > 10);
  console.log(`${rows.length} tasks on the main thread, ${long.length} over 10 ms`);
  const hist = [10, 14, 17, 25, 33, 50, 1e9].map((x, i, a) => `${i ? a[i - 1] : 0}-${x}: ${rows.filter((r) => r.dur > (i ? a[i - 1] : 0) && r.dur <= x).length}`);
  console.log(hist.join('  '));
  for (const r of long.slice(0, Number(process.env.ROWS ?? 40))) console.log(r.dur.toFixed(1).padStart(6), Object.entries(r).filter(([k]) => k !== 'dur').map(([k, v]) => `${k}=${v.toFixed(1)}`).join(' '));
} else {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await run(page, 'kubectl set image deployment big demoapp=ikubernetes/demoapp:v1.1');
  await page.getByTestId('maximise-cluster').click();
  await page.waitForTimeout(Number(process.env.SECONDS ?? 20) * 1000);
  const { profile } = await cdp.send('Profiler.stop');
  if (process.env.SAVE) writeFileSync(process.env.SAVE, JSON.stringify(profile));
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
}
await browser.close();
await server.close();
