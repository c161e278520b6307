import { describe, expect, it } from 'vitest';
import { readTar, safeTarPath } from '../../../src/sources/tar';
import { paxPath, tar } from './tar-helpers';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('readTar', () => {
  it('reads files and directories, pax paths and ustar prefixes', () => {
    const r = readTar(tar([{ name: 'repo/', type: '5' }, { name: 'repo/a.toml', body: 'x = 1\n' }, paxPath(`repo/${'d'.repeat(120)}/b.md`), { name: 'ignored-name', body: '# B' }]));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.entries.map((e) => [e.path, e.type, text(e.data)])).toEqual([
      ['repo', 'dir', ''],
      ['repo/a.toml', 'file', 'x = 1\n'],
      [`repo/${'d'.repeat(120)}/b.md`, 'file', '# B'],
    ]);
    expect(r.skipped).toEqual([]);
  });

  it('refuses ../ components, absolute paths and escaping links; skips inner links', () => {
    expect(readTar(tar([{ name: 'ok.toml', body: 'a' }, { name: '../evil', body: 'x' }]))).toEqual({ ok: false, error: 'refusing entry "../evil": absolute path or \'..\' component' });
    expect(readTar(tar([{ name: '/etc/passwd', body: 'x' }]))).toEqual({ ok: false, error: 'refusing entry "/etc/passwd": absolute path or \'..\' component' });
    expect(readTar(tar([paxPath('a/../../evil'), { name: 'a', body: 'x' }]))).toEqual({ ok: false, error: 'refusing entry "a/../../evil": absolute path or \'..\' component' });
    expect(readTar(tar([{ name: 'a/link', type: '2', link: '../../etc' }]))).toEqual({ ok: false, error: 'refusing link "a/link" → "../../etc": it points outside the archive' });
    const inner = readTar(tar([{ name: 'a/link', type: '2', link: '../b' }, { name: 'b', body: 'x' }]));
    expect(inner).toEqual({ ok: true, entries: [{ path: 'b', type: 'file', data: new TextEncoder().encode('x'), mode: 0o644 }], skipped: ['a/link (link)'] });
  });

  it('reports bad checksums and truncation', () => {
    const t = tar([{ name: 'a', body: 'x'.repeat(1000) }]);
    const bad = t.slice();
    bad[0] = 0x62;
    expect(readTar(bad)).toEqual({ ok: false, error: 'bad tar header checksum at byte 0' });
    expect(readTar(t.subarray(0, 1024))).toEqual({ ok: false, error: 'archive is truncated (entry at byte 0 needs 1000 bytes)' });
    expect(readTar(t.subarray(0, 1536))).toEqual({ ok: false, error: 'archive is truncated (no end-of-archive marker)' });
  });

  it('normalises paths', () => {
    expect(safeTarPath('./a//b/./c')).toBe('a/b/c');
    expect(safeTarPath('a/..')).toBeNull();
    expect(safeTarPath('C:/x')).toBeNull();
    expect(safeTarPath('a\\b')).toBeNull();
  });
});
