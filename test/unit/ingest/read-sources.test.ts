import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstInvalidUtf8, isDetectionRulesCheckout, readSources, toSourceFile } from '../../../src/ingest/read-sources';

const tmp = mkdtempSync(join(tmpdir(), 'ruledex-read-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tree(root: string, files: Record<string, string | Buffer>): string {
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), content);
  }
  return root;
}

describe('toSourceFile', () => {
  it('strips a byte-order mark, keeps CRLF, digests the bytes', () => {
    const buf = Buffer.from('\ufeffa = 1\r\n');
    expect(toSourceFile('a.toml', buf)).toEqual({ path: 'a.toml', text: 'a = 1\r\n', digest: createHash('sha256').update(buf).digest('hex') });
  });
  it('rejects binary files at the first NUL', () => {
    expect(toSourceFile('b.toml', Buffer.from('a\nbc\0d'))).toEqual({ severity: 'error', code: 'binary-file', file: 'b.toml', line: 2, column: 3, message: 'binary file (NUL byte): skipped' });
  });
  it('rejects invalid UTF-8 at the first bad byte, columns in UTF-16 units', () => {
    const buf = Buffer.concat([Buffer.from('x\né🔥'), Buffer.from([0xc3, 0x28])]);
    expect(toSourceFile('c.md', buf)).toMatchObject({ code: 'invalid-utf8', line: 2, column: 4, message: 'not valid UTF-8 (byte 0xc3 at offset 8): skipped' });
  });
});

describe('firstInvalidUtf8', () => {
  it.each([
    [[0x41, 0xff], 1],
    [[0xe2, 0x82], 0],
    [[0xc0, 0x80], 0],
    [[0xed, 0xa0, 0x80], 0],
    [[0xf4, 0x90, 0x80, 0x80], 0],
    [[0x41, 0xe2, 0x82, 0xac, 0x80], 4],
  ])('%j → %i', (bytes, at) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(at);
  });
});

describe('readSources', () => {
  it('walks a plain directory: sorted, hidden and node_modules skipped, only .toml and .md', async () => {
    const root = tree(join(tmp, 'plain'), {
      'b/z.toml': 'a = 1\n',
      'a.md': '# A\n',
      'b/c.MD': '# C\n',
      '.hidden/x.toml': 'x = 1\n',
      'node_modules/y.toml': 'y = 1\n',
      'notes.txt': 'no',
    });
    const r = await readSources([root]);
    expect(r.files.map((f) => f.path.slice(root.length + 1))).toEqual(['a.md', 'b/c.MD', 'b/z.toml']);
    expect(r.roots).toEqual([{ dir: root, kind: 'plain', toml: 1, markdown: 2 }]);
    expect(r.diagnostics).toEqual([]);
    expect(r.unreadable).toEqual([]);
  });
  it('reads a detection-rules checkout its own way, with the etc side files', async () => {
    const root = tree(join(tmp, 'checkout'), {
      'rules/windows/a.toml': 'a = 1\n',
      'rules_building_block/b.toml': 'b = 1\n',
      'hunting/h.toml': 'h = 1\n',
      'detection_rules/etc/version.lock.json': '{}',
      'detection_rules/etc/deprecated_rules.json': '{}',
      'detection_rules/etc/attack-technique-redirects.json': '{"mapping": {}}',
      'README.md': '# readme\n',
    });
    expect(isDetectionRulesCheckout(root)).toBe(true);
    const r = await readSources([root]);
    expect(r.files.map((f) => f.path.slice(root.length + 1))).toEqual(['rules/windows/a.toml', 'rules_building_block/b.toml']);
    expect(r.etc.map((f) => [f.role, f.path.slice(root.length + 1)])).toEqual([
      ['version-lock', 'detection_rules/etc/version.lock.json'],
      ['deprecated-rules', 'detection_rules/etc/deprecated_rules.json'],
      ['attack-redirects', 'detection_rules/etc/attack-technique-redirects.json'],
    ]);
    expect(r.roots[0]!.kind).toBe('detection-rules');
  });
  it('keeps paths relative as given and follows symbolic links once', async () => {
    const root = tree(join(tmp, 'links'), { 'real/r.toml': 'r = 1\n' });
    symlinkSync(join(root, 'real'), join(root, 'alias'));
    symlinkSync(root, join(root, 'real', 'loop'));
    const r = await readSources([root]);
    expect(r.files.map((f) => f.path.slice(root.length + 1))).toEqual(['alias/r.toml']);
  });
  it('reports unreadable source directories and files, and reads on', async () => {
    const root = tree(join(tmp, 'perm'), { 'ok.toml': 'a = 1\n', 'locked.toml': 'b = 1\n' });
    chmodSync(join(root, 'locked.toml'), 0o000);
    const r = await readSources([join(tmp, 'does-not-exist'), join(root, 'ok.toml'), root]);
    expect(r.unreadable).toEqual([
      { dir: join(tmp, 'does-not-exist'), reason: 'no such file or directory' },
      { dir: join(root, 'ok.toml'), reason: 'not a directory' },
    ]);
    const canRead = process.getuid?.() === 0; // root reads mode-000 files
    expect(r.files.map((f) => f.path.slice(root.length + 1))).toEqual(canRead ? ['locked.toml', 'ok.toml'] : ['ok.toml']);
    if (!canRead) expect(r.diagnostics).toMatchObject([{ severity: 'error', code: 'unreadable-file', line: null, message: 'cannot be read: permission denied' }]);
  });
  it('reports progress', async () => {
    const root = tree(join(tmp, 'progress'), { 'a.toml': 'a = 1\n', 'b.toml': 'b = 1\n' });
    const seen: [number, number][] = [];
    await readSources([root], { onProgress: (d, t) => seen.push([d, t]) });
    expect(seen).toEqual([
      [1, 2],
      [2, 2],
    ]);
  });
});
