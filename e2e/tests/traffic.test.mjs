// The traffic panel through its hooks: "send traffic" streams curl answers coloured by
// version, and during a paused rollout (a canary) the new version's share of the answers is
// near its share of the ready pods. Tab completion in the terminal. Screenshots in
// e2e/screenshots/ for review.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, MOUNT } from '../serve.mjs';
import { launch, openPage, screenshot as save } from '../browser.mjs';

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

async function open() {
  const page = await openPage(browser);
  await page.goto(`${server.url}${MOUNT}`);
  await page.getByTestId('terminal-input').waitFor();
  await page.getByTestId('clock-pause').click();
  return page;
}

async function screenshot(page, name) {
  await page.waitForTimeout(500);
  return save(page, name);
}

async function run(page, text) {
  const input = page.getByTestId('terminal-input');
  await input.fill(text);
  await input.press('Enter');
}

async function clock(page) {
  return Number((await page.getByTestId('clock-time').textContent()).trim());
}

async function step(page, seconds) {
  for (let i = 0; i < Math.floor(seconds / 10); i++) await page.getByTestId('clock-step-10').click();
  for (let i = 0; i < seconds % 10; i++) await page.getByTestId('clock-step').click();
}

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
  versions = await curlVersions(page);
  assert.equal(versions[0] === 'v1.1' || versions[0] === 'v1.0', true);
  await screenshot(page, 'traffic-1-canary');

  // A curl typed in the terminal joins the stream.
  await page.getByTestId('send-traffic').click();
  const count = (await curlVersions(page)).length;
  const ip = await page.evaluate(() => {
    const text = document.querySelector('[data-testid="service"]')?.textContent ?? '';
    return text.match(/\b(\d+\.\d+\.\d+\.\d+)\b/)?.[1];
  });
  assert.ok(ip, 'the Service shows its cluster IP');
  await run(page, `curl -s ${ip}`);
  await page.getByTestId('terminal-output').getByText('iKubernetes demoapp').first().waitFor();
  assert.ok((await curlVersions(page)).length >= Math.min(count + 1, 40));

  // Rewind to before the canary: only v1.0 answers, as it was.
  const max = Number(await page.getByTestId('timeline').getAttribute('max'));
  for (let i = max; i >= 0; i -= 3) {
    await page.getByTestId('timeline').evaluate((el, value) => {
      el.value = String(value);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, i);
    if ((await clock(page)) <= beforeCanary) break;
  }
  assert.ok((await clock(page)) <= beforeCanary);
  versions = await curlVersions(page);
  assert.ok(versions.length > 0 && versions.every((v) => v === 'v1.0'), JSON.stringify(versions));
  await screenshot(page, 'traffic-2-rewound');
  assert.deepEqual(page.problems, []);
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
