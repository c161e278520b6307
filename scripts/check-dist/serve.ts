/**
 * A tiny static file server for a built site (tests and manual checks): serves `dir` under the
 * base path on 127.0.0.1 at a random port, `index.html` for directories, the site's 404.html
 * (status 404) for anything missing, like a static host.
 *
 *   npx tsx scripts/check-dist/serve.ts [dist] [--base /catalog/] [--port 4321]
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.atom': 'application/atom+xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export interface Served {
  url: string;
  origin: string;
  close(): Promise<void>;
}

/** The file a request path maps to, or null (outside the base, missing, or escaping `dir`). */
export function resolveRequest(dir: string, base: string, pathname: string): string | null {
  let p: string;
  try {
    p = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (!p.startsWith(base)) {
    if (`${p}/` === base) p = base;
    else return null;
  }
  const rel = p.slice(base.length);
  const root = resolve(dir);
  const file = normalize(join(root, rel));
  if (file !== root && !file.startsWith(root + sep)) return null;
  if (existsSync(file) && statSync(file).isFile()) return file;
  const index = join(file, 'index.html');
  if (existsSync(index)) return index;
  return null;
}

export function serveDist(dir: string, options: { base?: string; port?: number } = {}): Promise<Served> {
  const base = options.base ?? '/';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const file = resolveRequest(dir, base, url.pathname);
    // A directory without its trailing slash: redirect, as static hosts do.
    if (file && file.endsWith(`${sep}index.html`) && !url.pathname.endsWith('/') && !url.pathname.endsWith('.html')) {
      res.writeHead(301, { location: `${url.pathname}/${url.search}` });
      res.end();
      return;
    }
    if (!file) {
      const nf = join(dir, '404.html');
      res.writeHead(404, { 'content-type': TYPES['.html'] as string });
      if (existsSync(nf)) createReadStream(nf).pipe(res);
      else res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      const origin = `http://127.0.0.1:${port}`;
      ok({
        url: origin + base,
        origin,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let dir = 'dist';
  let base = '/';
  let port = 4321;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--base') base = args[++i] ?? '/';
    else if (a === '--port') port = Number(args[++i]);
    else dir = a;
  }
  if (!base.endsWith('/')) base += '/';
  if (!base.startsWith('/')) base = `/${base}`;
  const s = await serveDist(dir, { base, port });
  console.log(`serving ${dir} at ${s.url}`);
}
