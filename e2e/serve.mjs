// A tiny static server for the release bundle, so the e2e tests load the page the way a
// static host would: from a sub-folder (MOUNT), over HTTP on 127.0.0.1, nothing else. Like a
// host configured as the README's Hosting section says, it serves a file's precompressed
// twin (FILE.br, FILE.gz) when the browser accepts it, and marks hashed file names cacheable
// for good.
//
//   node e2e/serve.mjs [DIST] [PORT]    serves DIST at / (what `make serve` runs)
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';

export const MOUNT = '/courses/k8s/lab/';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

/// Trunk's file names carry a hash of their content (`rollout-lab-33baf080708682ce.js`).
const HASHED = /(-[0-9a-f]{16}(_bg)?\.[a-z]+|\/[0-9a-f]{16}-[^/]+)$/;

/// The body to send for `file` and its headers: the precompressed twin the request accepts.
async function body(file, accepted) {
  const headers = {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
    vary: 'accept-encoding',
  };
  for (const [encoding, suffix] of [['br', '.br'], ['gzip', '.gz']]) {
    if (!accepted.includes(encoding)) continue;
    try {
      const data = await readFile(file + suffix);
      return { data, headers: { ...headers, 'content-encoding': encoding } };
    } catch {
      // No twin: try the next encoding, then the file itself.
    }
  }
  return { data: await readFile(file), headers };
}

/// Serves `dist` under `mount` (MOUNT unless given) and any extra `pages` ({'/path': html}) at
/// the root. Resolves to { url, close } once listening on `port` (0: a free one).
export function serve(dist, pages = {}, { mount = MOUNT, port = 0 } = {}) {
  dist = resolvePath(dist);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (pages[path] !== undefined) {
      res.writeHead(200, { 'content-type': TYPES['.html'] });
      return res.end(pages[path]);
    }
    if (!path.startsWith(mount)) {
      res.writeHead(404);
      return res.end('not found');
    }
    let file = normalize(join(dist, path.slice(mount.length)));
    if (!file.startsWith(dist)) {
      res.writeHead(403);
      return res.end();
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const { data, headers } = await body(file, String(req.headers['accept-encoding'] ?? ''));
      res.writeHead(200, headers);
      res.end(data);
    } catch {
      res.writeHead(404);
      res.end('not found');
    }
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ port, url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dist = process.argv[2] ?? 'dist';
  const port = Number(process.argv[3] ?? 8080);
  const { url } = await serve(dist, {}, { mount: '/', port });
  console.log(`serving ${dist} (release build, precompressed) at ${url}/`);
}
