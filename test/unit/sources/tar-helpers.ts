/** Test helpers: a tiny ustar writer and a loopback HTTP server serving bytes. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export interface TarSpec {
  name: string;
  /** '0' file (default), '5' directory, '2' symlink, 'x' pax header. */
  type?: string;
  body?: string | Uint8Array;
  link?: string;
}

function put(h: Uint8Array, off: number, len: number, s: string): void {
  const b = new TextEncoder().encode(s);
  h.set(b.subarray(0, len), off);
}

function oct(n: number, len: number): string {
  return `${n.toString(8).padStart(len - 1, '0')}\0`;
}

export function tar(entries: readonly TarSpec[]): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const e of entries) {
    const body = typeof e.body === 'string' ? new TextEncoder().encode(e.body) : (e.body ?? new Uint8Array(0));
    const h = new Uint8Array(512);
    put(h, 0, 100, e.name);
    put(h, 100, 8, oct(e.type === '5' ? 0o755 : 0o644, 8));
    put(h, 108, 8, oct(0, 8));
    put(h, 116, 8, oct(0, 8));
    put(h, 124, 12, oct(body.length, 12));
    put(h, 136, 12, oct(0, 12));
    put(h, 156, 1, e.type ?? '0');
    put(h, 157, 100, e.link ?? '');
    put(h, 257, 6, 'ustar\0');
    put(h, 263, 2, '00');
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (const x of h) sum += x;
    put(h, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
    blocks.push(h);
    const padded = new Uint8Array(Math.ceil(body.length / 512) * 512);
    padded.set(body);
    blocks.push(padded);
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let o = 0;
  for (const b of blocks) {
    out.set(b, o);
    o += b.length;
  }
  return out;
}

/** A pax extended header entry setting `path`. */
export function paxPath(path: string): TarSpec {
  const rec = (len: number): string => `${len} path=${path}\n`;
  let len = rec(0).length;
  while (rec(len).length !== len) len = rec(len).length;
  return { name: 'PaxHeader', type: 'x', body: rec(len) };
}

export function targz(entries: readonly TarSpec[]): Buffer {
  return gzipSync(tar(entries));
}

export interface Served {
  url: (path: string) => string;
  close: () => Promise<void>;
  hits: () => number;
}

/** Serves `routes[path]` on 127.0.0.1 (random port). `truncate` sends only the first half and cuts the connection. */
export async function serve(routes: Record<string, { body: Uint8Array; truncate?: boolean; status?: number }>): Promise<Served> {
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    const r = routes[req.url ?? ''];
    if (!r) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(r.status ?? 200, { 'content-type': 'application/gzip', 'content-length': String(r.body.length) });
    if (r.truncate) {
      res.write(r.body.subarray(0, Math.floor(r.body.length / 2)), () => res.socket?.destroy());
      return;
    }
    res.end(r.body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (p) => `http://127.0.0.1:${port}${p}`,
    hits: () => hits,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

/** A port nothing listens on (bound then released). */
export async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}
