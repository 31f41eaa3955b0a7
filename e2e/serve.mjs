// A tiny static server for the release bundle, so the e2e tests load the page the way a
// static host would: from a sub-folder (MOUNT), over HTTP on 127.0.0.1, nothing else.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

export const MOUNT = '/courses/k8s/lab/';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/// Serves `dist` under MOUNT and any extra `pages` ({'/path': html}) at the root.
/// Resolves to { url, close } once listening on a free port.
export function serve(dist, pages = {}) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (pages[path] !== undefined) {
      res.writeHead(200, { 'content-type': TYPES['.html'] });
      return res.end(pages[path]);
    }
    if (!path.startsWith(MOUNT)) {
      res.writeHead(404);
      return res.end('not found');
    }
    let file = normalize(join(dist, path.slice(MOUNT.length)));
    if (!file.startsWith(dist)) {
      res.writeHead(403);
      return res.end();
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end('not found');
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ port, url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}
