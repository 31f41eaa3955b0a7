// The Gateway API in the page: install Envoy Gateway from its release URL (its code, the
// Gateway API's kinds and routing included, is a wasm module fetched by that line, not
// before), create a Gateway and a weighted HTTPRoute, and curl it from the lab's shell.
// Screenshots in e2e/screenshots/gateway-1-weighted-route.png and gateway-2-cluster-maximised.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openLab, screenshot, run, step } from '../browser.mjs';
import { MOUNT } from '../serve.mjs';

const INSTALL = 'https://github.com/envoyproxy/gateway/releases/download/v1.2.6/install.yaml';

const APP = (name, version) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: demoapp
        image: ikubernetes/demoapp:${version}
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app: ${name}
  ports:
  - port: 80`;

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: eg
spec:
  controllerName: gateway.envoyproxy.io/gatewayclass-controller
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: web
spec:
  gatewayClassName: eg
  listeners:
  - name: http
    protocol: HTTP
    port: 80
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: demoapp
spec:
  parentRefs:
  - name: web
  rules:
  - backendRefs:
    - name: stable
      port: 80
      weight: 90
    - name: canary
      port: 80
      weight: 10`;

const lab = suite();

async function waitForOutput(page, text) {
  await page.getByTestId('terminal-output').getByText(text).last().waitFor();
}

test('Envoy Gateway installs from its release, and curl through a Gateway follows the route weights', async () => {
  const page = await openLab(lab, '?lang=en', { viewport: { width: 1440, height: 900 } });
  const splitModules = () => page.evaluate(() => performance.getEntriesByType('resource')
    .map((entry) => new URL(entry.name).pathname).filter((path) => /\/split_[^/]*\.wasm$/.test(path)));

  await run(page, 'kubectl get gatewayclass');
  await waitForOutput(page, 'error: the server doesn\'t have a resource type "gatewayclass"');
  assert.deepEqual(await splitModules(), [], 'no add-on module in the first download');
  await run(page, `kubectl apply --server-side -f ${INSTALL}`);
  await waitForOutput(page, 'deployment.apps/envoy-gateway serverside-applied');
  // The add-on's module, and kubectl's verbs' (apply --server-side's merge is there).
  const fetched = await splitModules();
  assert.deepEqual(
    fetched.map((path) => path.slice(path.lastIndexOf('/') + 1)).sort(),
    ['split_envoy_gateway.wasm', 'split_kubectl_verbs.wasm'],
    `the modules fetched: ${fetched}`,
  );
  for (const path of fetched) assert.ok(path.startsWith(MOUNT), `fetched beside the page: ${path}`);
  await run(page, `kubectl apply -f - <<EOF\n${APP('stable', 'v1.0')}\n---\n${APP('canary', 'v1.1')}\n---\n${GATEWAY}\nEOF`);
  await waitForOutput(page, 'httproute.gateway.networking.k8s.io/demoapp created');
  await step(page, 30);

  await run(page, 'kubectl get gateway,httproute');
  await waitForOutput(page, '10.0.0.201');
  await run(page, 'for i in $(seq 100); do curl -s 10.0.0.201; done | grep -c v1.1');
  await page.waitForFunction(() => {
    const lines = document.querySelector('[data-testid="terminal-output"]').innerText.trim().split('\n');
    return lines.some((line) => /^\d+$/.test(line.trim()));
  });
  const text = await page.getByTestId('terminal-output').evaluate((el) => el.innerText);
  const count = Number(text.split('\n').map((l) => l.trim()).filter((l) => /^\d+$/.test(l)).pop());
  assert.ok(count >= 5 && count <= 15, `about 10 of 100 at weight 10: ${count}`);
  await run(page, 'curl -si 10.0.0.201 | grep -i server');
  await waitForOutput(page, 'server: envoy');
  await screenshot(page, 'gateway-1-weighted-route');
  // The cluster pane maximised: the Gateway above the Services, and the lines from each
  // Service to its pods passing behind the boxes above it, not across their text.
  await page.getByTestId('maximise-cluster').click();
  const gateway = page.getByTestId('gateway');
  await gateway.first().waitFor();
  const box = await gateway.first().evaluate((el) => getComputedStyle(el).zIndex);
  assert.equal(box, '3', 'the Gateway box is drawn above the lines');
  await screenshot(page, 'gateway-2-cluster-maximised');
  assert.deepEqual(page.problems, []);
});
