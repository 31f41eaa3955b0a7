// The traffic panel through its hooks: "send traffic" streams curl answers coloured by
// version, and during a paused rollout (a canary) the new version's share of the answers is
// near its share of the ready pods. Tab completion in the terminal. Screenshots in
// e2e/screenshots/ for review.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  suite,
  openPage,
  openLab,
  screenshot,
  run,
  clock,
  step,
  dragTimeline,
  curlLines,
  podNames,
  waitSaved,
  savedClockMs,
} from '../browser.mjs';

// The course's Deployment (chapter 8) at v1.0 (maxSurge 1, maxUnavailable 0: a paused
// rollout runs one new pod beside the four old ones), and its Service.
const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: deployment-demo
spec:
  replicas: 4
  strategy:
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
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
        image: ikubernetes/demoapp:v1.0
        ports:
        - containerPort: 80
          name: http
        readinessProbe:
          httpGet:
            path: '/readyz'
            port: 80
          initialDelaySeconds: 15
---
apiVersion: v1
kind: Service
metadata:
  name: demoapp-svc
spec:
  selector:
    app: demoapp
  ports:
  - name: http
    port: 80
    targetPort: 80`;

const lab = suite();

const open = () => openLab(lab);

async function shares(page) {
  return page.locator('[data-testid="traffic-share"]').evaluateAll((els) =>
    Object.fromEntries(els.map((el) => [el.dataset.version, Number(el.dataset.percent)])),
  );
}

async function curlVersions(page) {
  return page.locator('[data-testid="curl-line"]').evaluateAll((els) => els.map((el) => el.dataset.version));
}

async function readyPods(page) {
  return page.locator('[data-testid="pod"][data-ready="true"]').evaluateAll((els) => els.map((el) => el.dataset.version));
}

test('send traffic: the canary gets a share of the answers near its share of the pods', async () => {
  const page = await open();
  await run(page, `kubectl apply -f - <<EOF\n${MANIFEST}\nEOF`);
  await page.getByTestId('terminal-output').getByText('service/demoapp-svc created').waitFor();
  await step(page, 40);
  assert.equal((await readyPods(page)).length, 4);

  await page.getByTestId('send-traffic').click();
  await step(page, 10);
  let versions = await curlVersions(page);
  assert.ok(versions.length >= 10, `answers: ${versions.length}`);
  assert.deepEqual([...new Set(versions)], ['v1.0']);
  assert.deepEqual(await shares(page), { 'v1.0': 100 });
  const beforeCanary = await clock(page);

  // The canary: a new image, and the rollout paused right after its first pod.
  await run(page, 'kubectl set image deployment deployment-demo demoapp=ikubernetes/demoapp:v1.1 && kubectl rollout pause deployment deployment-demo');
  await page.getByTestId('terminal-output').getByText('deployment.apps/deployment-demo paused').waitFor();
  await step(page, 30);
  await page.locator('[data-testid="deployment"][data-paused="true"]').waitFor();
  // A hundred answers with the canary ready: the share window is full of them.
  await step(page, 100);
  const ready = await readyPods(page);
  const podShare = ready.filter((v) => v === 'v1.1').length / ready.length;
  const measured = await shares(page);
  console.log(`# canary: ${ready.filter((v) => v === 'v1.1').length} of ${ready.length} ready pods, answers ${JSON.stringify(measured)}`);
  assert.ok(podShare > 0 && podShare < 0.5, `pod share ${podShare}`);
  assert.ok(measured['v1.1'] >= 10 && measured['v1.1'] <= 35, JSON.stringify(measured));
  // The stream shows both versions' answers, each from a pod of that version.
  versions = await curlVersions(page);
  assert.deepEqual([...new Set(versions)].sort(), ['v1.0', 'v1.1'], JSON.stringify(versions));
  const podVersion = Object.fromEntries(
    await page.locator('[data-testid="pod"]').evaluateAll((els) => els.map((el) => [el.dataset.name, el.dataset.version])),
  );
  for (const line of (await curlLines(page)).slice(0, 10)) {
    const server = line.text.match(/ServerName: ([^,]+),/)?.[1];
    assert.equal(podVersion[server], line.version, `${line.text} answered as ${line.version}`);
  }
  await screenshot(page, 'traffic-1-canary');

  // A curl typed in the terminal joins the stream: with the client off (the clock is paused,
  // so nothing else arrives), the newest line is that curl's answer.
  await page.getByTestId('send-traffic').click();
  const newestBefore = (await curlLines(page))[0];
  const ip = await page.evaluate(() => {
    const text = document.querySelector('[data-testid="service"]')?.textContent ?? '';
    return text.match(/\b(\d+\.\d+\.\d+\.\d+)\b/)?.[1];
  });
  assert.ok(ip, 'the Service shows its cluster IP');
  const answers = () =>
    page.getByTestId('terminal-output').evaluate((el) => el.textContent.match(/iKubernetes demoapp [^!]*!![^!]*!/g) ?? []);
  const typedBefore = (await answers()).length;
  await run(page, `curl -s ${ip}`);
  await page.waitForFunction(
    (n) => (document.querySelector('[data-testid="terminal-output"]').textContent.match(/iKubernetes demoapp [^!]*!![^!]*!/g) ?? []).length > n,
    typedBefore,
  );
  const typed = (await answers()).at(-1);
  const newest = (await curlLines(page))[0];
  assert.notDeepEqual(newest, newestBefore, 'the typed curl added a line');
  const typedServer = typed.match(/ServerName: ([^,]+),/)?.[1];
  assert.ok(typedServer && newest.text.includes(`ServerName: ${typedServer},`), `newest line ${JSON.stringify(newest)} is not the typed answer ${typed}`);
  assert.equal(newest.version, typed.match(/demoapp (v[\d.]+)/)?.[1]);

  // Rewind to before the canary: only v1.0 answers, as it was.
  const max = Number(await page.getByTestId('timeline').getAttribute('max'));
  for (let i = max; i >= 0; i -= 3) {
    await dragTimeline(page, i);
    if ((await clock(page)) <= beforeCanary) break;
  }
  assert.ok((await clock(page)) <= beforeCanary);
  versions = await curlVersions(page);
  assert.ok(versions.length > 0 && versions.every((v) => v === 'v1.0'), JSON.stringify(versions));
  await screenshot(page, 'traffic-2-rewound');
  assert.deepEqual(page.problems, []);
});

/// The answers of `lines` (newest first) up to virtual millisecond `until`.
const upTo = (lines, until) => lines.filter((l) => l.at <= until);

/// What the client looks like on the page: on or off, and its target.
async function client(page) {
  return {
    sending: await page.getByTestId('send-traffic').getAttribute('aria-pressed'),
    target: await page.getByTestId('traffic-target').inputValue(),
  };
}

test('a shared link, and a reload, replay the traffic client: the same answers, still sending', async () => {
  const page = await open();
  await run(page, `kubectl apply -f - <<EOF\n${MANIFEST}\nEOF`);
  await page.getByTestId('terminal-output').getByText('service/demoapp-svc created').waitFor();
  await step(page, 40);
  await page.getByTestId('send-traffic').click();
  await step(page, 12);
  await page.getByTestId('traffic-target').selectOption('svc:default/demoapp-svc');
  await run(page, 'kubectl set image deployment deployment-demo demoapp=ikubernetes/demoapp:v1.1 && kubectl rollout pause deployment deployment-demo');
  await page.getByTestId('terminal-output').getByText('deployment.apps/deployment-demo paused').waitFor();
  await step(page, 45);
  const lines = await curlLines(page);
  const pods = await podNames(page);
  const until = lines[0].at;
  assert.equal(lines.length, 40, 'the stream lists the newest 40 answers');
  assert.deepEqual([...new Set(lines.map((l) => l.version))].sort(), ['v1.0', 'v1.1']);
  assert.deepEqual(await client(page), { sending: 'true', target: 'svc:default/demoapp-svc' });

  await page.getByTestId('share').click();
  const url = await page.getByTestId('share-url').inputValue();
  const fresh = await openPage(lab.browser);
  await fresh.goto(url);
  await fresh.getByTestId('clock-pause').click();
  // The fresh page replayed the log (its clock went on a moment before the pause): the
  // answers up to the shared moment are the same ones, from the same pods at the same
  // virtual times, and the client is still on, with the same target.
  await fresh.getByTestId('curl-line').nth(39).waitFor();
  const replayed = upTo(await curlLines(fresh), until);
  assert.ok(replayed.length >= 30, `${replayed.length} answers up to the shared moment`);
  assert.deepEqual(replayed, lines.slice(0, replayed.length));
  assert.deepEqual(await podNames(fresh), pods);
  assert.deepEqual(await client(fresh), { sending: 'true', target: 'svc:default/demoapp-svc' });
  await screenshot(fresh, 'traffic-3-shared');

  // The saved work replays the same way on a reload, once the save holds the clock as it
  // stands (the page saves every 700 ms; the clock is paused, so it stands still).
  const shownMs = (await clock(page)) * 1000;
  await waitSaved(page, (work) => savedClockMs(work) >= shownMs);
  await page.reload();
  await page.getByTestId('clock-pause').click();
  await page.getByTestId('curl-line').nth(39).waitFor();
  const reloaded = upTo(await curlLines(page), until);
  assert.ok(reloaded.length >= 30, `${reloaded.length} answers up to the saved moment`);
  assert.deepEqual(reloaded, lines.slice(0, reloaded.length));
  assert.deepEqual(await client(page), { sending: 'true', target: 'svc:default/demoapp-svc' });
  assert.deepEqual(page.problems, []);
  assert.deepEqual(fresh.problems, []);
});

test('Tab completes kubectl verbs, subcommands and names in the terminal', async () => {
  const page = await open();
  await run(page, `kubectl apply -f - <<EOF\n${MANIFEST}\nEOF`);
  await page.getByTestId('terminal-output').getByText('service/demoapp-svc created').waitFor();
  const input = page.getByTestId('terminal-input');
  await input.fill('kubectl rollout st');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'kubectl rollout status ');
  await input.pressSequentially('deployment/');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'kubectl rollout status deployment/deployment-demo ');
  await input.fill('kubectl rollout re');
  await input.press('Tab');
  const listed = await page.getByTestId('completions').textContent();
  assert.ok(listed.includes('restart') && listed.includes('resume'), listed);
  await screenshot(page, 'terminal-completion');
  assert.deepEqual(page.problems, []);
});

test('a burst of curl in one virtual instant is charted by request order, at the canary\'s share of the pods', async () => {
  const page = await openLab(lab, '?lang=en', { viewport: { width: 1440, height: 900 } });
  await run(page, `kubectl apply -f - <<EOF\n${MANIFEST}\nEOF`);
  await page.getByTestId('terminal-output').getByText('service/demoapp-svc created').waitFor();
  await step(page, 40);
  await run(page, 'kubectl set image deployment deployment-demo demoapp=ikubernetes/demoapp:v1.1 && kubectl rollout pause deployment deployment-demo');
  await page.getByTestId('terminal-output').getByText('deployment.apps/deployment-demo paused').waitFor();
  await step(page, 30);
  await run(page, "IP=$(kubectl get svc demoapp-svc -o jsonpath='{.spec.clusterIP}'); for i in $(seq 1 200); do curl -s $IP; done");
  await page.getByTestId('terminal-output').getByText('ServerName').first().waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="terminal"]')?.dataset.busy === 'false');
  const axis = page.getByTestId('chart-axis');
  assert.equal(await axis.getAttribute('data-by-order'), 'true');
  assert.match(await axis.textContent(), /request 200/);
  // The terminal holds the 200 answers; the canary (one ready pod of five) gave about a
  // fifth of them (binomial, n = 200: 40 expected, sigma about 5.7).
  const answered = await page.getByTestId('terminal-output').evaluate((el) => el.textContent.match(/iKubernetes demoapp v[\d.]+/g) ?? []);
  assert.equal(answered.length, 200, 'every request of the burst was answered');
  const canary = answered.filter((a) => a.endsWith('v1.1')).length;
  assert.ok(canary >= 17 && canary <= 63, `${canary} of 200 answers from the canary; expected about 40`);
  // A line per version (two), drawn across the chart; at each bin the shares add up to 100%,
  // and the canary's line stays near its fifth on average.
  const series = await page.locator('.share-chart .share-line').evaluateAll((els) =>
    els.map((el) => el.getAttribute('points').trim().split(/\s+/).map((p) => p.split(',').map(Number))),
  );
  assert.equal(series.length, 2, JSON.stringify(series.map((s) => s.length)));
  assert.ok(series.every((points) => points.length >= 10), JSON.stringify(series.map((s) => s.length)));
  const H = 110; // the chart's height in its viewBox: y = H at 0%, 0 at 100%
  const percent = ([, y]) => ((H - y) / H) * 100;
  const means = series.map((points) => points.reduce((sum, p) => sum + percent(p), 0) / points.length);
  assert.ok(Math.abs(means[0] + means[1] - 100) < 1, `the versions' shares add up to 100%: ${means}`);
  assert.ok(Math.min(...means) >= 8 && Math.min(...means) <= 35, `the canary's mean share on the chart: ${means}`);
  const shares = await page.getByTestId('traffic-share').evaluateAll((els) => els.map((el) => `${el.dataset.version} ${el.dataset.percent}%`));
  console.log(`# burst of 200 requests: ${canary} from the canary, chart means ${means.map((m) => m.toFixed(1)).join('/')}%, measured ${shares.join(', ')}`);
  await screenshot(page, 'traffic-2-burst-by-order');
  assert.deepEqual(page.problems, []);
});
