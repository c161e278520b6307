import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatSummary } from '../../../src/cli/summary';
import { ingest } from '../../../src/ingest/ingest';
import { runRuledex } from '../../helpers/cli';
import { projectRoot } from '../../helpers/shared';

const tmp = mkdtempSync(join(tmpdir(), 'ruledex-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function ruledex(...args: string[]) {
  return runRuledex(args);
}

const BAD = 'test/fixtures/ingest/bad-input';

describe('ruledex catalog', () => {
  it('builds the catalog of content/ by default, with a summary, and exits 0', async () => {
    const out = join(tmp, 'content.json');
    const r = await ruledex('catalog', '--json', out);
    expect(r.stderr).toMatch(/decoding: \d+ files done/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^15 rules from 13 TOML and 5 markdown files in content\n/);
    expect(r.stdout).toContain('  by type:      eql 5 · query 4 · machine_learning 2 · esql 1 · new_terms 1 · threat_match 1 · threshold 1\n');
    expect(r.stdout).toContain('  by language:  kuery 6 · eql 5 · none 2 · esql 1 · lucene 1\n');
    expect(r.stdout).toContain('  diagnostics:  0 errors · 0 warnings · 1 info (markdown-not-a-rule 1)\n');
    expect(r.stdout).toMatch(/  elapsed: +\d+\.\d\d s \(read/);
    expect(r.stdout).toContain(`  JSON:         ${out} (`);
    const json = JSON.parse(readFileSync(out, 'utf8')) as { rules: { id: string; source: string }[]; diagnostics: unknown[] };
    expect(json.rules).toHaveLength(15);
    expect(new Set(json.rules.map((x) => x.source))).toEqual(new Set(['elastic']));
  });
  it('never fails because of bad rules: lists errors with file:line:col and exits 0', async () => {
    const r = await ruledex('catalog', '--source', BAD, '--label', 'fixtures', '--json', '-', '--quiet');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout) as { rules: { source: string }[] };
    expect(json.rules).toHaveLength(7);
    expect(json.rules.every((x) => x.source === 'fixtures')).toBe(true);
    // With the JSON on stdout, the summary goes to stderr; --quiet drops progress lines.
    expect(r.stderr).not.toContain('decoding:');
    expect(r.stderr).toContain('diagnostics:  7 errors · 1 warnings · 0 info');
    expect(r.stderr).toContain(`    ${BAD}/rules/malformed.toml:9:11: error [toml-syntax] invalid TOML: unterminated or invalid string starting with "\n`);
    expect(r.stderr).toContain(`    ${BAD}/rules/binary.toml:3:6: error [binary-file]`);
    expect(r.stderr).toContain('  JSON:         stdout (');
  });
  it('exits 1 for a source directory that cannot be read', async () => {
    const r = await ruledex('catalog', '--source', 'content', '--source', 'no/such/dir');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('ruledex: cannot read source no/such/dir: no such file or directory');
  });
  it('exits 2 for unusable arguments', async () => {
    expect((await ruledex('catalog', '--frobnicate')).status).toBe(2);
    expect((await ruledex('catalog', '--label', 'has space')).stderr).toContain('--label must be');
    expect((await ruledex('catalog', '--label', 'has space')).status).toBe(2);
    expect((await ruledex('catalog', '--workers', 'lots')).status).toBe(2);
    expect((await ruledex('catalog', 'positional')).status).toBe(2);
    expect((await ruledex('catalog', '--json')).status).toBe(2);
    expect((await ruledex('nonsense')).status).toBe(2);
  });
  it('prints help', async () => {
    const r = await ruledex('catalog', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('usage: ruledex catalog [--config FILE] [--source DIR ...] [--json FILE] [--label NAME] [--cache-dir DIR]');
  });
});

describe('ruledex build', () => {
  it('writes OUT/catalog.json from the sources', async () => {
    const out = join(tmp, 'dist');
    const r = await ruledex('build', '--out', out, '--quiet');
    expect(r.status).toBe(0);
    expect(existsSync(join(out, 'catalog.json'))).toBe(true);
    expect(r.stdout).toContain(`  JSON:         ${join(out, 'catalog.json')} (`);
    const json = JSON.parse(readFileSync(join(out, 'catalog.json'), 'utf8')) as { rules: { analysis?: { stages: unknown[] } }[]; fields?: unknown[]; corpusStats?: unknown };
    expect(json.rules).toHaveLength(15);
    // The analysed catalog, as `ruledex catalog --json` writes it, not the bare ingest.
    expect(json.rules.filter((r) => r.analysis === undefined)).toEqual([]);
    expect(Array.isArray(json.fields) && json.fields.length > 0).toBe(true);
    expect(json.corpusStats).toBeDefined();
    // The site's JSON API serves the same catalog (written once, copied).
    expect(readFileSync(join(out, 'api', 'catalog.json'), 'utf8')).toBe(readFileSync(join(out, 'catalog.json'), 'utf8'));
  });
});

describe('formatSummary', () => {
  it('says what there is, and where output went', async () => {
    const result = ingest({
      files: [{ path: 'r.toml', digest: '', text: '[rule]\nname = "N"\nrule_id = "i"\nseverity = "low"\nrisk_score = 1\ntype = "esql"\nquery = "from x"\n' }],
    });
    const text = formatSummary({ result, roots: [{ dir: 'src-dir', kind: 'plain', toml: 1, markdown: 0 }], elapsed: 1234, timings: { read: 10, decode: 20 }, outputs: [], warningLimit: 1 });
    expect(text).toBe(
      [
        '1 rules from 1 TOML and 0 markdown files in src-dir',
        '  0 with markdown pages, 0 from markdown only, 0 rule pages, 0 deprecated, 0 building blocks',
        '  by type:      esql 1',
        '  by language:  esql 1',
        '  diagnostics:  0 errors · 2 warnings · 0 info (missing-key 2)',
        '    r.toml:1:1: warning [missing-key] missing metadata.maturity: read as development',
        '    … and 1 more warnings',
        '  elapsed:      1.23 s (read 0.01 s, decode 0.02 s)',
        '  output:       none (use --json FILE to write the catalog JSON)',
      ].join('\n'),
    );
  });
});

describe('ruledex catalog and build with a config', () => {
  const dir = join(tmp, 'configured');
  const cacheDir = join(dir, 'cache');
  const past = new Date(Date.now() - 60_000);
  const put = (rel: string, from: string): void => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    cpSync(join(projectRoot, from), join(dir, rel));
    utimesSync(join(dir, rel), past, past);
  };
  put('team/a.toml', 'content/rules/windows/execution_powershell_encoded_command.toml');
  put('team/b.toml', 'content/rules/linux/persistence_shell_spawned_by_web_server.toml');
  put('team/ignored.md', 'content/docs/unusual-dns-query-volume-to-one-domain.md');
  put('docs/page.md', 'content/docs/unusual-dns-query-volume-to-one-domain.md');
  const config = join(dir, 'ruledex.config.json');
  writeFileSync(config, JSON.stringify({ sources: [{ label: 'Team', kind: 'toml', path: 'team' }, { label: 'Docs', kind: 'markdown', path: 'docs' }], base: '/rules/' }, null, 2));

  it('reads the sources of the config by kind, with their labels, through the cache', async () => {
    const first = await ruledex('catalog', '--config', config, '--cache-dir', cacheDir, '--json', join(dir, 'c1.json'), '--quiet');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^3 rules from 2 TOML and 1 markdown files in ${join(dir, 'team')}, ${join(dir, 'docs')}\n`));
    expect(first.stdout).toContain(`  cache:        3 of 3 files decoded, 3 of 3 rules analysed (0 files unopened; `);
    const json = JSON.parse(readFileSync(join(dir, 'c1.json'), 'utf8')) as { rules: { id: string; source: string }[] };
    expect(json.rules.map((r) => [r.id, r.source])).toEqual([
      ['9655c95e-1e73-4bae-9a9a-0d49db8249dd', 'Team'],
      ['c5cb9a9c-7295-4bd3-8a7a-8508d7323a84', 'Team'],
      ['md-unusual-dns-query-volume-to-one-domain', 'Docs'],
    ]);
    const second = await ruledex('catalog', '--config', config, '--cache-dir', cacheDir, '--json', join(dir, 'c2.json'), '--quiet');
    expect(second.stdout).toContain(`  cache:        0 of 3 files decoded, 0 of 3 rules analysed (3 files unopened; 0 of 32 cache shards written in ${cacheDir})`);
    expect(readFileSync(join(dir, 'c2.json'), 'utf8')).toBe(readFileSync(join(dir, 'c1.json'), 'utf8'));
    const flags = await ruledex('catalog', '--config', config, '--source', join(dir, 'team'), '--label', 'mine', '--no-cache', '--json', '-', '--quiet');
    expect((JSON.parse(flags.stdout) as { rules: { source: string }[] }).rules.map((r) => r.source)).toEqual(['mine', 'mine', 'mine']);
    expect(flags.stderr).toContain('  cache:        3 of 3 files decoded, 3 of 3 rules analysed (0 files unopened; no cache)');
  }, 120_000);

  it('an unusable config exits 2 naming the file, line, key path and what was expected', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{\n  "sources": [\n    { "label": "Team", "kind": "folder", "path": "team" }\n  ],\n  "site": "example.org"\n}\n');
    const r = await ruledex('catalog', '--config', bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `ruledex catalog: unusable config ${bad}:\n  ${bad}:3:24: error [config-invalid] sources[0].kind: expected one of "detection-rules", "toml", "markdown", got the string "folder"\n  ${bad}:5:3: error [config-invalid] site: expected an absolute http(s) URL, got the string "example.org"\n`,
    );
    const missing = await ruledex('build', '--config', join(dir, 'nope.json'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(`ruledex build: unusable config ${join(dir, 'nope.json')}:\n  ${join(dir, 'nope.json')}: error [config-unreadable] config file not found\n`);
  });

  it('ruledex build takes its sources from the config', async () => {
    const out = join(dir, 'dist');
    const r = await ruledex('build', '--config', config, '--cache-dir', cacheDir, '--out', out, '--catalog-only', '--quiet');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('  cache:        0 of 3 files decoded, 0 of 3 rules analysed (3 files unopened; ');
    const json = JSON.parse(readFileSync(join(out, 'catalog.json'), 'utf8')) as { rules: { source: string }[] };
    expect(json.rules.map((x) => x.source)).toEqual(['Team', 'Team', 'Docs']);
  }, 120_000);
});
