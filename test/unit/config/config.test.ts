import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findConfig, loadConfig, locateJsonPath, resolveOptions, resolveWithFlags, validateConfig } from '../../../src/config';

const F = 'ruledex.config.json';
const messages = (v: unknown): string[] => validateConfig(v, F).diagnostics.map((d) => `${d.code}: ${d.message}`);

describe('validateConfig', () => {
  it('accepts a full config and types it', () => {
    const r = validateConfig(
      {
        sources: [
          { label: 'Elastic', kind: 'detection-rules', upstream: { url: 'https://github.com/elastic/detection-rules/archive/refs/tags/v9.0.0.tar.gz', ref: 'v9.0.0', sha256: 'AB'.repeat(32) } },
          { label: 'In-house', kind: 'toml', path: 'rules/' },
        ],
        attack: 'attack.json',
        base: '/rules/',
        site: 'https://example.org',
        cacheDir: '.cache',
      },
      F,
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.config).toEqual({
      sources: [
        { label: 'Elastic', kind: 'detection-rules', upstream: { url: 'https://github.com/elastic/detection-rules/archive/refs/tags/v9.0.0.tar.gz', ref: 'v9.0.0', sha256: 'ab'.repeat(32) } },
        { label: 'In-house', kind: 'toml', path: 'rules/' },
      ],
      attack: 'attack.json',
      base: '/rules/',
      site: 'https://example.org',
      cacheDir: '.cache',
    });
  });

  it('names the file, the path in the config and what was expected', () => {
    const r = validateConfig({ sources: [{ label: 'A', kind: 'svn', path: 'x' }] }, F);
    expect(r.config).toBeNull();
    expect(r.diagnostics).toEqual([{ severity: 'error', code: 'config-invalid', file: F, line: null, column: null, message: 'sources[0].kind: expected one of "detection-rules", "toml", "markdown", got the string "svn"' }]);
    expect(messages([])).toEqual(['config-invalid: (top level): expected an object with "sources", got an array']);
    expect(messages({ sources: [] })).toEqual(['config-invalid: sources: expected a non-empty array of sources, got an array']);
    expect(messages({ sources: [{ label: 'A', kind: 'toml' }], base: 'rules', site: 'example.org', colour: 1 })).toEqual([
      'config-invalid: colour: unknown key (known: sources, attack, base, site, cacheDir)',
      'config-invalid: sources[0]: expected "path" or "upstream" (where the rules are)',
      "config-invalid: base: expected a base path starting with '/', got the string \"rules\"",
      'config-invalid: site: expected an absolute http(s) URL, got the string "example.org"',
    ]);
    expect(messages({ sources: [{ label: 'A', kind: 'toml', path: 'a' }, { label: 'a', kind: 'toml', path: 'b' }] })).toEqual(['config-invalid: sources[1].label: "a" is already the label of sources[0]; labels must be unique']);
    expect(messages({ sources: [{ label: 'A', kind: 'toml', upstream: { url: 'http://example.com/a.tgz', sha256: 'zz' } }] })).toEqual([
      'config-invalid: sources[0].upstream.url: expected an https:// URL (http:// is allowed only for 127.0.0.1, ::1 and localhost), got the string "http://example.com/a.tgz"',
      'config-invalid: sources[0].upstream.sha256: expected 64 hexadecimal digits, got the string "zz"',
    ]);
    expect(messages({ sources: [{ label: '', kind: 'toml', path: 'a' }] })).toEqual([
      "config-invalid: sources[0].label: expected 1-64 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit, got the string \"\"",
    ]);
  });
});

describe('resolveOptions', () => {
  const config = validateConfig({ sources: [{ label: 'Elastic', kind: 'detection-rules', upstream: { url: 'https://h/x.tar.gz' } }, { label: 'Team rules', kind: 'toml', path: 'team' }], base: '/r/', cacheDir: 'c' }, F).config;
  it('uses the config; upstream sources read from their cache folder', () => {
    expect(resolveOptions(config)).toEqual({
      sources: [
        { label: 'Elastic', kind: 'detection-rules', dir: 'c/sources/elastic', upstream: { url: 'https://h/x.tar.gz' } },
        { label: 'Team rules', kind: 'toml', dir: 'team' },
      ],
      attack: null,
      base: '/r/',
      site: null,
      cacheDir: 'c',
      buildCacheDir: 'c',
    });
  });
  it('flags override the config', () => {
    expect(resolveOptions(config, { source: ['a', 'b'], label: 'x', base: '/', site: 'https://s', attack: 'att.json', cacheDir: 'd' })).toEqual({
      sources: [
        { label: 'x', kind: 'auto', dir: 'a' },
        { label: 'x', kind: 'auto', dir: 'b' },
      ],
      attack: 'att.json',
      base: '/',
      site: 'https://s',
      // --cache-dir moves the build cache; synced sources stay where the config puts them
      cacheDir: 'c',
      buildCacheDir: 'd',
    });
    expect(resolveOptions(null)).toEqual({ sources: [{ label: 'elastic', kind: 'auto', dir: 'content' }], attack: null, base: '/', site: null, cacheDir: '.ruledex-cache', buildCacheDir: null });
  });
  it('resolveWithFlags: config paths are relative to the config file, flag paths to the working directory', () => {
    const file = '/proj/conf/ruledex.config.json';
    expect(resolveWithFlags(config, file, {})).toEqual({
      sources: [
        { label: 'Elastic', kind: 'detection-rules', dir: '/proj/conf/c/sources/elastic', upstream: { url: 'https://h/x.tar.gz' } },
        { label: 'Team rules', kind: 'toml', dir: '/proj/conf/team' },
      ],
      attack: null,
      base: '/r/',
      site: null,
      cacheDir: '/proj/conf/c',
      buildCacheDir: '/proj/conf/c',
    });
    expect(resolveWithFlags(config, file, { source: ['mine'], attack: 'a.json', cacheDir: 'tmp/cache', base: '/' })).toEqual({
      sources: [{ label: 'elastic', kind: 'auto', dir: 'mine' }],
      attack: 'a.json',
      base: '/',
      site: null,
      cacheDir: '/proj/conf/c',
      buildCacheDir: 'tmp/cache',
    });
    expect(resolveWithFlags(null, null, { label: 'x' }).sources).toEqual([{ label: 'x', kind: 'auto', dir: 'content' }]);
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruledex-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('reports JSON syntax errors (with a line and column when JSON.parse gives a position)', async () => {
    const f = join(dir, F);
    writeFileSync(f, '{\n  "sources": []\n} x\n');
    const r = await loadConfig(f);
    expect(r.config).toBeNull();
    expect(r.diagnostics.map((d) => [d.code, d.file, d.line, d.column])).toEqual([['config-syntax', f, 3, 3]]);
    expect(r.diagnostics[0]?.message.startsWith('not valid JSON: ')).toBe(true);
    expect(findConfig(dir)).toBe(f);
  });
  it('places validation errors at the line and column of the offending key', async () => {
    const f = join(dir, 'placed.json');
    writeFileSync(f, '{\n  "sources": [\n    { "label": "A", "kind": "toml", "path": "a" },\n    { "label": "B",\n      "kind": "svn", "path": "b" }\n  ],\n  "colour": 1,\n  "base": "x"\n}\n');
    const r = await loadConfig(f);
    expect(r.config).toBeNull();
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`)).toEqual([
      `${f}:7:3: colour: unknown key (known: sources, attack, base, site, cacheDir)`,
      `${f}:5:7: sources[1].kind: expected one of "detection-rules", "toml", "markdown", got the string "svn"`,
      `${f}:8:3: base: expected a base path starting with '/', got the string "x"`,
    ]);
    expect([...locateJsonPath('{"a": [1, {"b": "x\\"y"}], "c": {}}').entries()]).toEqual([['a', 1], ['a[0]', 7], ['a[1]', 10], ['a[1].b', 11], ['c', 26]]);
  });
  it('loads typed .ts configs (defineConfig)', async () => {
    const f = join(dir, 'ruledex.config.ts');
    writeFileSync(f, `import { defineConfig } from ${JSON.stringify(join(process.cwd(), 'src/config'))};\nexport default defineConfig({ sources: [{ label: 'T', kind: 'toml', path: 'rules' }], base: '/t/' });\n`);
    expect(await loadConfig(f)).toEqual({ config: { sources: [{ label: 'T', kind: 'toml', path: 'rules' }], base: '/t/' }, diagnostics: [] });
    const bad = join(dir, 'bad.config.ts');
    writeFileSync(bad, 'export default { sources: [{ label: "T", kind: "tomll", path: "rules" }] };\n');
    expect((await loadConfig(bad)).diagnostics.map((d) => d.message)).toEqual(['sources[0].kind: expected one of "detection-rules", "toml", "markdown", got the string "tomll"']);
    rmSync(f);
    rmSync(bad);
  });
  it('loads .mjs configs and missing files', async () => {
    const f = join(dir, 'ruledex.config.mjs');
    writeFileSync(f, 'export default { sources: [{ label: "A", kind: "markdown", path: "docs" }] };\n');
    expect(await loadConfig(f)).toEqual({ config: { sources: [{ label: 'A', kind: 'markdown', path: 'docs' }] }, diagnostics: [] });
    const missing = await loadConfig(join(dir, 'nope.json'));
    expect(missing.diagnostics.map((d) => d.message)).toEqual(['config file not found']);
  });
});
