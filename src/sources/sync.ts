/**
 * Fetching an upstream source (Node edge): a .tar.gz over HTTPS (http:// only on loopback),
 * streamed to a temp file while hashing it, checked (sha256, length), unpacked with our own
 * tar reader into a temp folder beside the destination, and only then swapped in by rename.
 * A failure at any step leaves the cache as it was. Never throws: returns a result.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { checkUpstreamUrl } from '../config/schema';
import { readTar } from './tar';

export interface SyncOptions {
  url: string;
  /** Expected sha256 (hex); when absent the computed one is returned for the user to pin. */
  sha256?: string;
  /** Final folder of the source's files (replaced as a whole on success). */
  dest: string;
  /** Milliseconds without progress before giving up (default 30 s). */
  timeoutMs?: number;
  onProgress?: (received: number, total: number | null) => void;
}

export type SyncFailure = 'offline' | 'http' | 'checksum' | 'truncated' | 'archive' | 'io';

export type SyncResult =
  | { ok: true; sha256: string; verified: boolean; bytes: number; files: number; skipped: string[]; dir: string }
  | { ok: false; reason: SyncFailure; message: string };

const OFFLINE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN']);

interface Downloaded {
  sha256: string;
  bytes: number;
}

class SyncError extends Error {
  constructor(
    readonly reason: SyncFailure,
    message: string,
  ) {
    super(message);
  }
}

function download(url: string, file: string, opts: SyncOptions, redirects = 0): Promise<Downloaded> {
  return new Promise((resolvePromise, reject) => {
    const bad = checkUpstreamUrl(url);
    if (bad) return reject(new SyncError('http', `refusing ${url}: expected ${bad}`));
    const u = new URL(url);
    const get = u.protocol === 'https:' ? https.get : http.get;
    const req = get(u, { headers: { 'user-agent': 'ruledex-sync', accept: 'application/gzip, application/octet-stream, */*' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects >= 5) return reject(new SyncError('http', `too many redirects fetching ${opts.url}`));
        return download(new URL(res.headers.location, url).href, file, opts, redirects + 1).then(resolvePromise, reject);
      }
      if (status !== 200) {
        res.resume();
        return reject(new SyncError('http', `${url} answered HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`));
      }
      const lengthHeader = res.headers['content-length'];
      const total = lengthHeader !== undefined && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;
      const hash = createHash('sha256');
      const out = createWriteStream(file);
      let received = 0;
      let failed = false;
      const fail = (e: Error): void => {
        if (failed) return;
        failed = true;
        out.destroy();
        reject(e);
      };
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        hash.update(chunk);
        opts.onProgress?.(received, total);
      });
      res.on('aborted', () => fail(new SyncError('truncated', `download of ${url} was cut off after ${received} bytes${total === null ? '' : ` of ${total}`}`)));
      res.on('error', (e) => fail(new SyncError('truncated', `download of ${url} failed after ${received} bytes: ${e.message}`)));
      out.on('error', (e) => fail(new SyncError('io', `cannot write ${file}: ${e.message}`)));
      res.pipe(out);
      out.on('finish', () => {
        if (failed) return;
        if (total !== null && received !== total) return fail(new SyncError('truncated', `download of ${url} was cut off after ${received} bytes of ${total}`));
        resolvePromise({ sha256: hash.digest('hex'), bytes: received });
      });
    });
    req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(Object.assign(new Error(`no answer for ${Math.round((opts.timeoutMs ?? 30_000) / 1000)} s`), { code: 'ETIMEDOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e instanceof SyncError) return reject(e);
      const host = u.host;
      if (e.code && OFFLINE.has(e.code)) reject(new SyncError('offline', `cannot reach ${host} (${e.code}): are you offline? The cached copy, if any, is unchanged.`));
      else reject(new SyncError('http', `fetching ${url} failed: ${e.message}`));
    });
  });
}

/** Writes the archive's entries under `root`; returns the number of files. */
function extract(bytes: Uint8Array, root: string): { files: number; skipped: string[] } {
  let tar: Uint8Array;
  try {
    tar = gunzipSync(bytes);
  } catch (e) {
    throw new SyncError('truncated', `the download is not a complete .tar.gz: ${(e as Error).message}`);
  }
  const r = readTar(tar);
  if (!r.ok) throw new SyncError('archive', r.error);
  mkdirSync(root, { recursive: true });
  let files = 0;
  for (const e of r.entries) {
    const p = join(root, ...e.path.split('/'));
    if (e.type === 'dir') mkdirSync(p, { recursive: true });
    else {
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, e.data, { mode: e.mode & 0o755 ? (e.mode & 0o755) | 0o600 : 0o644 });
      files++;
    }
  }
  return { files, skipped: r.skipped };
}

/** The single top-level folder GitHub tarballs wrap everything in, or the root itself. */
function contentRoot(root: string): string {
  const names = readdirSync(root);
  if (names.length === 1 && names[0] !== undefined) {
    const only = join(root, names[0]);
    if (statSync(only).isDirectory()) return only;
  }
  return root;
}

export const SYNC_STAMP = '.ruledex-sync.json';

export async function syncUpstream(opts: SyncOptions): Promise<SyncResult> {
  const parent = dirname(opts.dest);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const work = join(parent, `.sync-${tag}`);
  try {
    mkdirSync(work, { recursive: true });
    const archive = join(work, 'download.tar.gz');
    const got = await download(opts.url, archive, opts);
    const expected = opts.sha256?.toLowerCase();
    if (expected !== undefined && got.sha256 !== expected) throw new SyncError('checksum', `checksum mismatch for ${opts.url}: expected sha256 ${expected}, got ${got.sha256}. The cached copy is unchanged.`);
    const unpacked = join(work, 'files');
    const { files, skipped } = extract(readFileSync(archive), unpacked);
    const root = contentRoot(unpacked);
    writeFileSync(join(root, SYNC_STAMP), `${JSON.stringify({ url: opts.url, sha256: got.sha256, bytes: got.bytes, files, syncedAt: new Date().toISOString() }, null, 2)}\n`);
    // Swap: move the old copy aside, the new one in, then drop the old one.
    const old = join(parent, `.old-${tag}`);
    const hadOld = existsSync(opts.dest);
    if (hadOld) renameSync(opts.dest, old);
    try {
      renameSync(root, opts.dest);
    } catch (e) {
      if (hadOld) renameSync(old, opts.dest);
      throw new SyncError('io', `cannot move the new copy into ${opts.dest}: ${(e as Error).message}`);
    }
    if (hadOld) rmSync(old, { recursive: true, force: true });
    return { ok: true, sha256: got.sha256, verified: expected !== undefined, bytes: got.bytes, files, skipped, dir: opts.dest };
  } catch (e) {
    if (e instanceof SyncError) return { ok: false, reason: e.reason, message: e.message };
    return { ok: false, reason: 'io', message: e instanceof Error ? e.message : String(e) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** What the last successful sync of `dir` recorded, or null. */
export function readSyncStamp(dir: string): { url: string; sha256: string } | null {
  try {
    return JSON.parse(readFileSync(join(dir, SYNC_STAMP), 'utf8')) as { url: string; sha256: string };
  } catch {
    return null;
  }
}
