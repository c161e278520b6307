import { describe, expect, it } from 'vitest';
import { assembleToml } from '../../../src/ingest/assemble';
import { decodeMarkdown } from '../../../src/ingest/decode-markdown';
import { decodeToml } from '../../../src/ingest/decode-toml';
import { emptyEtc } from '../../../src/ingest/etc';
import { attackIds, compareWithPage, mergePages, normaliseQuery } from '../../../src/ingest/merge';
import type { MarkdownPage } from '../../../src/ingest/types';
import type { Rule } from '../../../src/model/rule';

function toml(name: string, opts: { id?: string; path?: string; severity?: string; risk?: number; query?: string; type?: string; tactic?: string } = {}): Rule {
  const text = `[metadata]\nmaturity = "production"\n\n[rule]\nauthor = ["E"]\ndescription = "d"\nname = "${name}"\nrisk_score = ${opts.risk ?? 47}\nrule_id = "${opts.id ?? 'id-1'}"\nseverity = "${opts.severity ?? 'medium'}"\ntype = "${opts.type ?? 'eql'}"\nlanguage = "eql"\nquery = '''\n${opts.query ?? 'process where true'}\n'''\n\n[[rule.threat]]\nframework = "MITRE ATT&CK"\n[rule.threat.tactic]\nid = "${opts.tactic ?? 'TA0002'}"\nname = "Execution"\nreference = "r"\n`;
  const file = { path: opts.path ?? `rules/${opts.id ?? 'id-1'}.toml`, text, digest: '' };
  const r = assembleToml(decodeToml(file), file, { label: 'elastic' });
  if (!r.rule) throw new Error(JSON.stringify(r.diagnostics));
  return r.rule;
}

function page(title: string, opts: { path?: string; version?: number; severity?: string; risk?: number; query?: string | null; type?: string; tactic?: string; tags?: string[] } = {}): MarkdownPage {
  const anchor = (opts.path ?? 'x').replace(/^.*\//, '').replace(/\.md$/, '');
  const q = opts.query === null ? '' : `## Rule query [q]\n\n\`\`\`js\n${opts.query ?? 'process where true'}\n\`\`\`\n\n`;
  const text = `# ${title} [${anchor}]\n\nDescription.\n\n**Rule type**: ${opts.type ?? 'eql'}\n\n**Rule indices**: None\n\n**Severity**: ${opts.severity ?? 'medium'}\n\n**Risk score**: ${opts.risk ?? 47}\n\n**Tags**:\n\n${(opts.tags ?? ['OS: Linux']).map((t) => `* ${t}`).join('\n')}\n\n**Version**: ${opts.version ?? 5}\n\n${q}**Framework**: MITRE ATT&CKTM\n\n* Tactic:\n\n    * Name: Execution\n    * ID: ${opts.tactic ?? 'TA0002'}\n    * Reference URL: [r](r)\n`;
  const d = decodeMarkdown({ path: opts.path ?? 'docs/x.md', text, digest: '' });
  if (!d.page) throw new Error(JSON.stringify(d.diagnostics));
  return d.page;
}

describe('normaliseQuery and attackIds', () => {
  it('compares queries modulo whitespace, also around brackets and commas', () => {
    expect(normaliseQuery('a  and\n  b : ( "x",\n "y" )')).toBe(normaliseQuery('a and b : ("x", "y")'));
    expect(normaliseQuery('a and b')).not.toBe(normaliseQuery('a or b'));
    expect(normaliseQuery(null)).toBeNull();
  });
  it('collects tactic, technique and sub-technique ids, sorted and unique', () => {
    const r = toml('A');
    expect(attackIds(r.threat)).toEqual(['TA0002']);
    expect(
      attackIds([
        { framework: 'x', tactic: { id: 'TA2', name: '', reference: '' }, techniques: [{ id: 'T2', name: '', reference: '', subtechniques: [{ id: 'T2.001', name: '', reference: '' }] }] },
        { framework: 'x', tactic: { id: 'TA1', name: '', reference: '' }, techniques: [{ id: 'T2', name: '', reference: '', subtechniques: [] }] },
      ]),
    ).toEqual(['T2', 'T2.001', 'TA1', 'TA2']);
  });
});

describe('compareWithPage', () => {
  it('finds nothing when the sources agree (whitespace aside)', () => {
    expect(compareWithPage(toml('Rule A', { query: 'process where\n   true' }), page('Rule A'))).toEqual([]);
  });
  it('reports each field that differs, on the page at the fact line', () => {
    const ds = compareWithPage(toml('Rule A'), page('Rule a', { severity: 'high', risk: 73, query: 'process where false', type: 'query', tactic: 'TA0005' }));
    expect(ds.map((d) => [d.severity, d.code, d.file, d.line, d.ruleId])).toEqual([
      ['warning', 'source-mismatch', 'docs/x.md', 1, 'id-1'],
      ['warning', 'source-mismatch', 'docs/x.md', 5, 'id-1'],
      ['warning', 'source-mismatch', 'docs/x.md', 9, 'id-1'],
      ['warning', 'source-mismatch', 'docs/x.md', 11, 'id-1'],
      ['warning', 'source-mismatch', 'docs/x.md', 19, 'id-1'],
      ['warning', 'source-mismatch', 'docs/x.md', 25, 'id-1'],
    ]);
    expect(ds.map((d) => d.message.replace(/ \(TOML: .*\)$/, ''))).toEqual([
      'markdown and TOML disagree on name: markdown "Rule a", TOML "Rule A"',
      'markdown and TOML disagree on type: markdown "query", TOML "eql"',
      'markdown and TOML disagree on severity: markdown "high", TOML "medium"',
      'markdown and TOML disagree on risk score: markdown 73, TOML 47',
      'markdown and TOML disagree on query: first difference at character 15 of the normalised query: markdown "process where false", TOML "process where true"',
      'markdown and TOML disagree on ATT&CK ids: markdown [TA0005], TOML [TA0002]',
    ]);
  });
});

describe('mergePages', () => {
  it('matches pages to TOML rules by name, adds versions and the published version', () => {
    const r = toml('Rule A');
    const current = page('Rule A', { path: 'docs/rule-a.md', version: 7 });
    const v1 = page('Rule A', { path: 'docs/prebuilt-rule-8-3-1-rule-a.md', version: 3, query: 'process where old' });
    const v2 = page('Rule A', { path: 'docs/prebuilt-rule-8-17-1-rule-a.md', version: 6 });
    const m = mergePages([r], [v2, current, v1], emptyEtc(), 'elastic');
    expect(m.rules).toHaveLength(1);
    expect(m.diagnostics).toEqual([]);
    expect(m.merged).toBe(1);
    expect(r.files).toEqual(['rules/id-1.toml', 'docs/rule-a.md', 'docs/prebuilt-rule-8-17-1-rule-a.md', 'docs/prebuilt-rule-8-3-1-rule-a.md']);
    expect(r.versions).toEqual([
      { version: 3, packageVersion: '8.3.1', file: 'docs/prebuilt-rule-8-3-1-rule-a.md', name: 'Rule A', query: 'process where old' },
      { version: 6, packageVersion: '8.17.1', file: 'docs/prebuilt-rule-8-17-1-rule-a.md', name: 'Rule A', query: 'process where true' },
      { version: 7, packageVersion: null, file: 'docs/rule-a.md', name: 'Rule A', query: 'process where true' },
    ]);
    expect(r.publishedVersion).toBe(7);
  });
  it('compares only the newest page: the highest package version when there is no current page', () => {
    const r = toml('Rule A');
    const m = mergePages([r], [page('Rule A', { path: 'docs/prebuilt-rule-8-3-1-rule-a.md', severity: 'low' }), page('Rule A', { path: 'docs/prebuilt-rule-8-17-1-rule-a.md', severity: 'high' })], emptyEtc(), 'elastic');
    expect(m.diagnostics.map((d) => [d.file, d.message.split(':')[0]])).toEqual([['docs/prebuilt-rule-8-17-1-rule-a.md', 'markdown and TOML disagree on severity']]);
  });
  it('matches a "Deprecated - " TOML name, prefers the non-deprecated rule, and uses earlier names from the version lock', () => {
    const dep = toml('Deprecated - Old Thing', { id: 'd1', path: 'rules/_deprecated/old.toml' });
    const twinOld = toml('Twin', { id: 't-old', path: 'rules/_deprecated/twin.toml' });
    const twin = toml('Twin', { id: 't-new', path: 'rules/z/twin.toml' });
    const renamed = toml('New Name', { id: 'r1' });
    const etc = emptyEtc();
    etc.versionLock.r1 = { ruleName: 'New Name', type: 'eql', version: 4, previousNames: ['Old Name'] };
    const m = mergePages([dep, twinOld, twin, renamed], [page('Old Thing', { path: 'docs/old-thing.md' }), page('Twin', { path: 'docs/twin.md' }), page('Old Name', { path: 'docs/old-name.md' })], etc, 'elastic');
    expect(dep.files).toEqual(['rules/_deprecated/old.toml', 'docs/old-thing.md']);
    expect(twin.files).toEqual(['rules/z/twin.toml', 'docs/twin.md']);
    expect(twinOld.files).toEqual(['rules/_deprecated/twin.toml']);
    expect(renamed.files).toEqual(['rules/r1.toml', 'docs/old-name.md']);
    expect(m.markdownOnly).toBe(0);
    // The names differ, so those two are reported.
    expect(m.diagnostics.map((d) => [d.file, d.message.split(':')[0]])).toEqual([
      ['docs/old-name.md', 'markdown and TOML disagree on name'],
      ['docs/old-thing.md', 'markdown and TOML disagree on name'],
    ]);
  });
  it('makes markdown-only rules of unmatched pages, with a derived id and inferred language', () => {
    const m = mergePages([], [page('Lonely Rule', { path: 'docs/lonely-rule.md', version: 2 }), page('Lonely Rule', { path: 'docs/prebuilt-rule-1-0-0-lonely-rule.md', version: 1 })], emptyEtc(), 'lbl');
    expect(m.markdownOnly).toBe(1);
    const r = m.rules[0]!;
    expect(r).toMatchObject({
      id: 'md-lonely-rule',
      name: 'Lonely Rule',
      source: 'lbl',
      type: 'eql',
      language: 'eql',
      query: 'process where true',
      maturity: 'production',
      deprecated: false,
      severity: 'medium',
      riskScore: 47,
      version: 2,
      publishedVersion: 2,
      rawToml: null,
      index: [],
      files: ['docs/lonely-rule.md', 'docs/prebuilt-rule-1-0-0-lonely-rule.md'],
    });
    expect(r.versions.map((v) => v.packageVersion)).toEqual(['1.0.0', null]);
    expect(r.querySource!.span!.start.line).toBe(22);
    expect(r.span!.start.line).toBe(1);
  });
  it('infers kuery for KQL-family types, none for ML, deprecated from the title, building block from tags', () => {
    const m = mergePages(
      [],
      [
        page('Deprecated - Q', { path: 'docs/q.md', type: 'threshold' }),
        page('ML', { path: 'docs/ml.md', type: 'machine_learning', query: null, tags: ['Rule Type: BBR'] }),
      ],
      emptyEtc(),
      'elastic',
    );
    const [ml, q] = m.rules;
    expect(q).toMatchObject({ type: 'threshold', language: 'kuery', maturity: 'deprecated', deprecated: true, threshold: { fields: [], value: null, cardinality: [] } });
    expect(ml).toMatchObject({ type: 'machine_learning', language: null, query: null, buildingBlock: true, machineLearning: { jobIds: [], anomalyThreshold: null } });
  });
  it('drops a markdown-only page that cannot be a rule, with an error', () => {
    const m = mergePages([], [page('Q', { path: 'docs/q.md', type: 'sigma' }), page('R', { path: 'docs/r.md', query: null })], emptyEtc(), 'elastic');
    expect(m.rules).toEqual([]);
    expect(m.diagnostics.map((d) => [d.severity, d.code, d.file, d.line])).toEqual([
      ['error', 'unknown-rule-type', 'docs/q.md', 5],
      ['error', 'markdown-missing-fact', 'docs/r.md', 1],
    ]);
  });
});
