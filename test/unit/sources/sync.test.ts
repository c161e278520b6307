import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncUpstream } from '../../../src/sources/sync';
import { closedPort, serve, targz, type Served } from './tar-helpers';

const good = targz([
  { name: 'detection-rules-abc/', type: '5' },
  { name: 'detection-rules-abc/rules/', type: '5' },
  { name: 'detection-rules-abc/rules/a.toml', body: '[rule]\nname = "A"\n' },
]);
const goodSha = createHash('sha256').update(good).digest('hex');
const hostile = targz([{ name: 'x/ok.toml', body: 'a' }, { name: '../evil', body: 'pwned' }]);

let server: Served;
let root: string;
beforeAll(async () => {
  server = await serve({ '/good.tar.gz': { body: good }, '/cut.tar.gz': { body: good, truncate: true }, '/hostile.tar.gz': { body: hostile }, '/gone.tar.gz': { body: good, status: 404 } });
  root = mkdtempSync(join(tmpdir(), 'ruledex-sync-'));
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

/** A cache folder holding one old file, to show failures leave it alone. */
function oldCache(name: string): string {
  const dest = join(root, name, 'sources', 'elastic');
  mkdirSync(dest, { recursive: true });
  writeFileSync(join(dest, 'old.toml'), 'old');
  return dest;
}
const listing = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();

describe('syncUpstream against a loopback server', () => {
  it('downloads, verifies, unpacks (dropping the wrapper folder) and replaces the cache', async () => {
    const dest = oldCache('ok');
    const progress: [number, number | null][] = [];
    const r = await syncUpstream({ url: server.url('/good.tar.gz'), sha256: goodSha, dest, onProgress: (d, t) => progress.push([d, t]) });
    expect(r).toEqual({ ok: true, sha256: goodSha, verified: true, bytes: good.length, files: 1, skipped: [], dir: dest });
    expect(listing(dest)).toEqual(['.ruledex-sync.json', 'rules', 'rules/a.toml']);
    expect(readFileSync(join(dest, 'rules/a.toml'), 'utf8')).toBe('[rule]\nname = "A"\n');
    expect(progress.at(-1)).toEqual([good.length, good.length]);
    // no temp folders left beside the cache
    expect(readdirSync(join(root, 'ok', 'sources'))).toEqual(['elastic']);
  });

  it('returns the computed checksum when none is configured', async () => {
    const r = await syncUpstream({ url: server.url('/good.tar.gz'), dest: join(root, 'nosum', 'src') });
    expect(r.ok && r.sha256).toBe(goodSha);
    expect(r.ok && r.verified).toBe(false);
  });

  it('checksum mismatch: error, cache untouched', async () => {
    const dest = oldCache('sum');
    const r = await syncUpstream({ url: server.url('/good.tar.gz'), sha256: '0'.repeat(64), dest });
    expect(r).toEqual({ ok: false, reason: 'checksum', message: `checksum mismatch for ${server.url('/good.tar.gz')}: expected sha256 ${'0'.repeat(64)}, got ${goodSha}. The cached copy is unchanged.` });
    expect(listing(dest)).toEqual(['old.toml']);
    expect(readdirSync(join(root, 'sum', 'sources'))).toEqual(['elastic']);
  });

  it('connection refused: a clear offline message', async () => {
    const port = await closedPort();
    const dest = oldCache('offline');
    const r = await syncUpstream({ url: `http://127.0.0.1:${port}/x.tar.gz`, dest });
    expect(r).toEqual({ ok: false, reason: 'offline', message: `cannot reach 127.0.0.1:${port} (ECONNREFUSED): are you offline? The cached copy, if any, is unchanged.` });
    expect(listing(dest)).toEqual(['old.toml']);
  });

  it('truncated download: error, cache untouched', async () => {
    const dest = oldCache('cut');
    const r = await syncUpstream({ url: server.url('/cut.tar.gz'), dest });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toBe('truncated');
    expect(!r.ok && r.message).toMatch(/^download of http:\/\/127\.0\.0\.1:\d+\/cut\.tar\.gz was cut off after \d+ bytes/);
    expect(listing(dest)).toEqual(['old.toml']);
    expect(readdirSync(join(root, 'cut', 'sources'))).toEqual(['elastic']);
  });

  it('hostile ../evil entry: refused, nothing written', async () => {
    const dest = oldCache('hostile');
    const r = await syncUpstream({ url: server.url('/hostile.tar.gz'), dest });
    expect(r).toEqual({ ok: false, reason: 'archive', message: 'refusing entry "../evil": absolute path or \'..\' component' });
    expect(listing(dest)).toEqual(['old.toml']);
    expect(existsSync(join(root, 'hostile', 'evil'))).toBe(false);
    expect(existsSync(join(root, 'hostile', 'sources', 'evil'))).toBe(false);
  });

  it('HTTP errors and non-loopback http:// are refused', async () => {
    expect(await syncUpstream({ url: server.url('/gone.tar.gz'), dest: join(root, 'gone', 'x') })).toEqual({ ok: false, reason: 'http', message: `${server.url('/gone.tar.gz')} answered HTTP 404 Not Found` });
    const r = await syncUpstream({ url: 'http://example.com/x.tar.gz', dest: join(root, 'plain', 'x') });
    expect(r).toEqual({ ok: false, reason: 'http', message: 'refusing http://example.com/x.tar.gz: expected an https:// URL (http:// is allowed only for 127.0.0.1, ::1 and localhost)' });
  });
});
