import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../../src/ingest/ingest';
import { loadSources } from '../../../src/ingest/load';
import type { EtcFile, SourceFile } from '../../../src/ingest/types';
import { projectRoot } from '../../helpers/shared';

const BAD = join(projectRoot, 'test/fixtures/ingest/bad-input');
const rel = (p: string): string => p.slice(BAD.length + 1);

describe('ingest of the bad-input fixtures', async () => {
  const { result, read } = await loadSources([BAD], { workers: 0 });
  const diag = (file: string) => result.diagnostics.filter((d) => rel(d.file) === file).map((d) => ({ severity: d.severity, code: d.code, line: d.line, column: d.column }));

  it('reports each bad file with file, line and column', () => {
    expect(diag('rules/malformed.toml')).toEqual([{ severity: 'error', code: 'toml-syntax', line: 9, column: 11 }]);
    expect(diag('rules/missing_name.toml')).toEqual([{ severity: 'error', code: 'missing-key', line: 6, column: 1 }]);
    expect(diag('rules/unknown_type.toml')).toEqual([{ severity: 'error', code: 'unknown-rule-type', line: 14, column: 1 }]);
    expect(diag('rules/duplicate_a.toml')).toEqual([]);
    expect(diag('rules/duplicate_b.toml')).toEqual([{ severity: 'error', code: 'duplicate-rule-id', line: 12, column: 1 }]);
    expect(diag('rules/slug_a.toml')).toEqual([]);
    expect(diag('rules/slug_b.toml')).toEqual([{ severity: 'warning', code: 'slug-collision', line: 12, column: 1 }]);
    expect(diag('rules/binary.toml')).toEqual([{ severity: 'error', code: 'binary-file', line: 3, column: 6 }]);
    expect(diag('docs/invalid-utf8.md')).toEqual([{ severity: 'error', code: 'invalid-utf8', line: 3, column: 7 }]);
    expect(diag('docs/no-title.md')).toEqual([{ severity: 'error', code: 'markdown-no-title', line: 6, column: 1 }]);
    expect(diag('rules/bom_crlf.toml')).toEqual([]);
    expect(diag('rules/good_one.toml')).toEqual([]);
    expect(result.diagnostics).toHaveLength(8);
  });
  it('builds every other rule, untouched', () => {
    expect(result.rules.map((r) => [r.id, r.slug, rel(r.files[0]!)])).toEqual([
      ['bom-crlf', 'bom-and-crlf-fixture', 'rules/bom_crlf.toml'],
      ['dup-1', 'duplicate-first', 'rules/duplicate_a.toml'],
      ['good-1', 'good-fixture-one', 'rules/good_one.toml'],
      ['good-2', 'good-fixture-two', 'rules/good_two.toml'],
      ['md-page-only-fixture-rule', 'page-only-fixture-rule', 'docs/page-only-rule.md'],
      ['slug-1', 'same-name-twice', 'rules/slug_a.toml'],
      ['slug-2', 'same-name-twice-2', 'rules/slug_b.toml'],
    ]);
    expect(result.stats).toEqual({ tomlFiles: 10, markdownFiles: 2, markdownRulePages: 1, markdownSkipped: 0, merged: 0, markdownOnly: 1 });
    expect(read.files).toHaveLength(12);
  });
  it('leaves the good rules exactly as they are when ingested alone', async () => {
    for (const name of ['good_one.toml', 'good_two.toml', 'duplicate_a.toml']) {
      const path = join(BAD, 'rules', name);
      const single = ingest({ files: [{ path, text: readFileSync(path, 'utf8'), digest: '' }] });
      const inBatch = result.rules.find((r) => r.files[0] === path)!;
      expect(inBatch).toEqual(single.rules[0]);
    }
  });
  it('reads the BOM + CRLF file like any other, spans on its own lines', () => {
    const r = result.rules.find((x) => x.id === 'bom-crlf')!;
    expect(r.name).toBe('BOM and CRLF Fixture');
    expect(r.query).toBe('event.category:process and process.name:"bom-crlf"\r\n');
    expect(r.span!.start).toMatchObject({ line: 12, column: 1 });
    expect(r.querySource!.span!.start).toMatchObject({ line: 17, column: 1 });
  });
  it('gives what ingest of the same files gives (the loader assembles each TOML file as it is decoded)', () => {
    const plain = ingest({ files: read.files, etc: read.etc, diagnostics: read.diagnostics });
    expect(result).toEqual(plain);
  });
  it('sorts diagnostics by file, line, column', () => {
    const keys = result.diagnostics.map((d) => `${d.file}\u0000${String(d.line).padStart(6, '0')}`);
    expect(keys).toEqual([...keys].sort());
  });
});

describe('ingest', () => {
  const toml = (path: string, id: string, name: string): SourceFile => ({
    path,
    digest: '',
    text: `[metadata]\nmaturity = "production"\n[rule]\ndescription = "d"\nname = "${name}"\nrisk_score = 1\nrule_id = "${id}"\nseverity = "low"\ntype = "query"\nlanguage = "kuery"\nquery = "a:b"\n`,
  });
  it('takes versions from the version lock, deprecation from deprecated_rules, and the label', () => {
    const etc: EtcFile[] = [
      { role: 'version-lock', path: 'etc/version.lock.json', digest: '', text: JSON.stringify({ r1: { rule_name: 'One', version: 12 } }) },
      { role: 'deprecated-rules', path: 'etc/deprecated_rules.json', digest: '', text: JSON.stringify({ r2: { rule_name: 'Two', deprecation_date: '2025/02/02', deprecated_reason: 'gone' } }) },
      { role: 'attack-redirects', path: 'etc/attack-technique-redirects.json', digest: '', text: JSON.stringify({ mapping: { T1086: 'T1059.001' } }) },
    ];
    const r = ingest({ files: [toml('rules/b.toml', 'r2', 'Two'), toml('rules/a.toml', 'r1', 'One')], etc }, { label: 'mine' });
    expect(r.rules.map((x) => [x.id, x.version, x.deprecated, x.deprecationDate, x.deprecatedReason, x.source])).toEqual([
      ['r1', 12, false, null, null, 'mine'],
      ['r2', null, true, '2025/02/02', 'gone', 'mine'],
    ]);
    expect(r.attackRedirects).toEqual({ T1086: 'T1059.001' });
    expect(r.etc.files.map((f) => f.role)).toEqual(['version-lock', 'deprecated-rules', 'attack-redirects']);
  });
  it('gives deprecated rules the suffixed slug when names clash, whatever the file order', () => {
    const dep = toml('rules/_deprecated/a.toml', 'x1', 'Clash');
    const live = toml('rules/z/b.toml', 'x2', 'Clash');
    const r = ingest({ files: [dep, live] });
    expect(r.rules.map((x) => [x.id, x.slug])).toEqual([
      ['x1', 'clash-2'],
      ['x2', 'clash'],
    ]);
    expect(r.diagnostics).toMatchObject([{ severity: 'warning', code: 'slug-collision', file: 'rules/_deprecated/a.toml', ruleId: 'x1' }]);
  });
  it('reports decoding progress', () => {
    const seen: string[] = [];
    ingest({ files: [toml('a.toml', 'a', 'A'), toml('b.toml', 'b', 'B')] }, {}, { onProgress: (p, d, t) => seen.push(`${p} ${d}/${t}`) });
    expect(seen).toEqual(['decode 1/2', 'decode 2/2', 'assemble 2/2']);
  });
  it('ignores files it does not read', () => {
    const r = ingest({ files: [{ path: 'x.json', text: '{}', digest: '' }] });
    expect(r.rules).toEqual([]);
    expect(r.stats.tomlFiles).toBe(0);
  });
});
