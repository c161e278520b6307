/**
 * Hostile and broken input through `ruledex catalog --json`: the example content plus every
 * fixture of test/fixtures/hostile/ plus the inputs generated at test time (generate.ts: a
 * wrong-typed value for every key of the rule model, a 10 MB query, 100,000 nested parentheses
 * in each language, 100,000-item lists, a 100,000-character wildcard).
 *
 * For each fixture: the run finishes (exit 0), the bad rule is reported with its file, line
 * and column (exact codes and places below), and every rule of content/ comes out exactly as
 * in a build of content/ alone. Exactly, corpus counts and similar rules included: every
 * fixture query uses values no content rule has (`hx-…`), so the corpus counts (rules sharing
 * a field, kind and value) of content's indicators do not move; comparing whole rule JSON is
 * then a stronger check than comparing with those fields left out.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRuledex, type CliRun } from '../helpers/cli';
import { writeGenerated, type Generated } from './generate';
import type { Diagnostic } from '../../src/model/diagnostic';

const FIX = 'test/fixtures/hostile';

type Diag = Diagnostic;
interface RuleJson {
  id: string;
  name: string;
  slug: string;
  files: string[];
  query: string | null;
  analysis: { indicators: { field: string; kind: string; values: { value: string; corpus: number }[] }[] };
  [k: string]: unknown;
}
interface CatalogJson {
  rules: RuleJson[];
  diagnostics: Diag[];
}

/** Expected diagnostics of each committed fixture: `severity code line:column`. */
const EXPECTED: Record<string, string[]> = {
  'rules/malformed.toml': ['error toml-syntax 9:11'],
  'rules/truncated_query.toml': ['error toml-syntax 16:11'],
  'rules/truncated_header.toml': ['error toml-syntax 5:5'],
  'rules/empty.toml': ['error missing-key 1:1'],
  'rules/duplicate_key.toml': ['error toml-syntax 14:1'],
  'rules/no_rule_table.toml': ['error missing-key 1:1'],
  'rules/unknown_type.toml': ['error unknown-rule-type 14:1'],
  'rules/unknown_language.toml': ['error unknown-language 15:1'],
  'rules/language_mismatch.toml': ['error language-mismatch 15:1'],
  'rules/duplicate_a.toml': [],
  'rules/duplicate_b.toml': ['error duplicate-rule-id 12:1'],
  'rules/duplicate_of_content.toml': ['error duplicate-rule-id 12:1'],
  'rules/slug_a.toml': [],
  'rules/slug_b.toml': ['warning slug-collision 12:1'],
  'rules/slug_of_content.toml': ['warning slug-collision 12:1'],
  'rules/traversal_unix.toml': ['warning unusual-rule-id 12:1'],
  'rules/traversal_windows.toml': ['warning unusual-rule-id 12:1'],
  'rules/traversal_absolute.toml': ['warning unusual-rule-id 12:1'],
  'rules/traversal_encoded.toml': ['warning unusual-rule-id 12:1'],
  'rules/traversal_dots.toml': ['warning slug-collision 12:1', 'warning unusual-rule-id 12:1'],
  'rules/empty_name.toml': ['warning empty-name 10:1'],
  'rules/whitespace_name.toml': ['warning empty-name 10:1', 'warning slug-collision 12:1'],
  'rules/empty_id.toml': ['error missing-key 12:1'],
  'rules/whitespace_id.toml': ['error missing-key 12:1'],
  'rules/binary.toml': ['error binary-file 3:6'],
  'rules/invalid_utf8.toml': ['error invalid-utf8 8:16'],
  'rules/bom_crlf.toml': [],
  'rules/cr_only.toml': ['error toml-syntax 1:11'],
  'rules/xss_fields.toml': ['warning unusual-rule-id 38:1'],
  'rules/script_in_queries.toml': [],
  'rules/script_in_esql.toml': [],
  'rules/script_in_lucene.toml': [],
  'rules/regex_eql.toml': [],
  'rules/regex_kql_lucene.toml': [],
  'rules/wildcard_kql.toml': [],
  'rules/wildcard_eql.toml': [],
  'docs/hostile-markdown-page.md': [],
  'docs/hostile-no-title.md': ['error markdown-no-title 1:1'],
  'docs/hostile-invalid-utf8.md': ['error invalid-utf8 3:6'],
};

/** Rules the fixtures add to the catalog (the others are dropped, each with an error above). */
const KEPT = [
  '%2e%2e', '..', '../../etc/passwd', '..\\x', '/abs/olute',
  'hx-bom-crlf', 'hx-dup', 'hx-empty-name', 'hx-regex-eql', 'hx-regex-lucene', 'hx-script-eql', 'hx-script-esql', 'hx-script-lucene',
  'hx-slug-a', 'hx-slug-b', 'hx-slug-content', 'hx-space-name', 'hx-wildcard-eql', 'hx-wildcard-kql', 'hx-xss-<script>alert(4)</script>',
  'md-hostile-markdown-page',
];

/** Keys whose wrong type drops the rule (a required value): `missing-key` error on the same line. */
const REQUIRED = new Set([
  'rule.rule_id', 'rule.name', 'rule.type', 'rule.severity', 'rule.risk_score', 'rule.query', 'rule.machine_learning_job_id', 'rule.threshold', 'rule.threshold.value',
  'rule.new_terms', 'rule.new_terms.value', 'rule.threat_index', 'rule.threat_mapping',
]);

function expectedWrongType(key: string, line: number): string[] {
  const out = [`warning toml-type ${line}:1`];
  if (REQUIRED.has(key)) out.push(`error missing-key ${line}:1`);
  // Defaults with a warning on the table's header.
  if (key === 'metadata.maturity') out.push('warning missing-key 1:1');
  if (key === 'rule.language' || key === 'rule.description') out.push('warning missing-key 13:1');
  // An ATT&CK reference without an id: on its table.
  if (key === 'rule.threat[].tactic') out.push(`warning missing-key ${line}:1`);
  if (/^rule\.threat\[\]\.(tactic|technique\[\]|technique\[\]\.subtechnique\[\])\.id$/.test(key)) out.push(`warning missing-key ${line - 1}:1`);
  return out.sort();
}

const show = (d: Diag): string => `${d.severity} ${d.code} ${d.line}:${d.column}`;

describe('hostile input through ruledex catalog', () => {
  let tmp: string;
  let gen: Generated;
  let alone: CatalogJson;
  let hostile: CatalogJson;
  let run: CliRun;
  let seconds: number;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ruledex-hostile-'));
    gen = writeGenerated(join(tmp, 'src'));
    // A source that sorts before content/ and names a rule like a content rule: it must not take
    // the content rule's slug (sources claim slugs in the order given).
    mkdirSync(join(tmp, 'first'));
    writeFileSync(
      join(tmp, 'first', 'a.toml'),
      readFileSync(join(FIX, 'rules', 'slug_of_content.toml'), 'utf8').replace('hx-slug-content', 'hx-slug-first').replace('Encoded PowerShell Command-Line', 'Encoded PowerShell Command Line!'),
    );
    const t0 = performance.now();
    const [a, b] = await Promise.all([
      runRuledex(['catalog', '--source', 'content', '--json', join(tmp, 'alone.json'), '--quiet']),
      runRuledex(['catalog', '--source', 'content', '--source', FIX, '--source', gen.dir, '--source', join(tmp, 'first'), '--json', join(tmp, 'hostile.json'), '--quiet', '--warnings', '0']),
    ]);
    seconds = (performance.now() - t0) / 1000;
    expect(a.status, a.stderr).toBe(0);
    run = b;
    alone = JSON.parse(readFileSync(join(tmp, 'alone.json'), 'utf8')) as CatalogJson;
    hostile = JSON.parse(readFileSync(join(tmp, 'hostile.json'), 'utf8')) as CatalogJson;
  }, 240_000);
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const diagsOf = (file: string): string[] => hostile.diagnostics.filter((d) => d.file === file).map(show).sort();

  it('finishes with exit 0 and a summary', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^\d+ rules from \d+ TOML and 7 markdown files in content, test\/fixtures\/hostile, /);
    console.log(`hostile catalog (content + ${Object.keys(EXPECTED).length} fixtures + ${gen.wrongTypes.length + gen.big.length} generated): ${seconds.toFixed(1)} s for both runs`);
  });

  it('reports each committed fixture with its file, line and column', () => {
    const got = Object.fromEntries(Object.keys(EXPECTED).map((f) => [f, diagsOf(`${FIX}/${f}`)]));
    expect(got).toEqual(Object.fromEntries(Object.entries(EXPECTED).map(([f, d]) => [f, [...d].sort()])));
  });

  it('reports a wrong-typed value of every key on its line', () => {
    expect(gen.wrongTypes.length).toBeGreaterThan(100);
    const got = Object.fromEntries(gen.wrongTypes.map((w) => [w.key, diagsOf(join(gen.dir, w.file))]));
    expect(got).toEqual(Object.fromEntries(gen.wrongTypes.map((w) => [w.key, expectedWrongType(w.key, w.line)])));
    // The message names the key; the value is kept in `extra` (nothing is lost).
    const kept = hostile.rules.find((r) => r.id === 'hx-wt-rule-timeline_title')!;
    expect(kept.extra).toEqual({ 'rule.timeline_title': 4.5 });
    expect(hostile.diagnostics.find((d) => d.file === join(gen.dir, 'wrong-types/rule-tags.toml'))?.message).toBe('rule.tags should be an array of strings, found string: kept in extra');
    // Rules whose wrong-typed key is not required are kept.
    const ids = new Set(hostile.rules.map((r) => r.id));
    expect(gen.wrongTypes.filter((w) => !ids.has(w.ruleId)).map((w) => w.key).sort()).toEqual([...REQUIRED].sort());
  });

  it('reports the big queries as parse errors placed on the query, and analyses the big lists', () => {
    const got = Object.fromEntries(gen.big.map((b) => [b.file, hostile.diagnostics.filter((d) => d.file === join(gen.dir, b.file)).map((d) => `${show(d)} ${d.message}`)]));
    expect(got).toEqual({
      'big/query-10mb.toml': [
        'info analysis-skipped 17:1 the query does not parse; its stage has no predicates',
        `error query-syntax 17:1 query (kuery) does not parse: Query is ${gen.big[0]!.chars + 1} characters long; the limit is 2000000.`,
      ],
      'big/parens-kuery.toml': ['info analysis-skipped 17:1 the query does not parse; its stage has no predicates', 'error query-syntax 17:1 query (kuery) does not parse: Query is nested too deeply to parse.'],
      'big/parens-lucene.toml': ['info analysis-skipped 17:1 the query does not parse; its stage has no predicates', 'error query-syntax 17:1 query (lucene) does not parse: Query is nested too deeply to parse.'],
      'big/parens-eql.toml': ['info analysis-skipped 17:1 the query does not parse; it has no stages', 'error query-syntax 17:1 query (eql) does not parse: Query is nested too deeply to parse.'],
      'big/parens-esql.toml': ['info analysis-skipped 17:1 the query does not parse; it has no stages', 'error query-syntax 17:1 query (esql) does not parse: Query is nested too deeply to parse.'],
      'big/list-eql.toml': [],
      'big/list-kuery.toml': [],
      'big/wildcard-kuery.toml': [],
    });
    for (const id of ['hx-list-eql', 'hx-list-kuery']) {
      const r = hostile.rules.find((x) => x.id === id)!;
      const rows = r.analysis.indicators.filter((i) => i.field === 'process.name');
      expect(rows.map((i) => i.values.length)).toEqual([100_000]);
      expect(rows[0]!.values[99_999]).toEqual({ value: 'hx-item-99999', corpus: 2 });
    }
    // Kept whole: the query text is not cut.
    expect(hostile.rules.find((x) => x.id === 'hx-big-query')!.query!.length).toBe(gen.big[0]!.chars + 1);
  });

  it('keeps every good fixture rule and drops only the bad ones', () => {
    const contentIds = new Set(alone.rules.map((r) => r.id));
    const fixtureIds = hostile.rules.map((r) => r.id).filter((id) => !contentIds.has(id) && !id.startsWith('hx-wt-') && !gen.big.some((b) => b.ruleId === id));
    expect(fixtureIds).toEqual([...KEPT, 'hx-slug-first'].sort());
    const slug = (id: string): string => hostile.rules.find((r) => r.id === id)!.slug;
    expect(['hx-slug-a', 'hx-slug-b', 'hx-slug-content', 'hx-slug-first', 'hx-empty-name', 'hx-space-name', '..', '../../etc/passwd', '..\\x', '/abs/olute', '%2e%2e'].map(slug)).toEqual([
      'hostile-same-name-twice', 'hostile-same-name-twice-2', 'encoded-powershell-command-line-2', 'encoded-powershell-command-line-3', 'rule', 'rule-3', 'rule-2', 'etc-passwd', 'windows-win-ini', 'abs', '2e-2e-2f-2e-2e-2fetc',
    ]);
    expect(hostile.diagnostics.filter((d) => d.file === join(tmp, 'first', 'a.toml')).map(show)).toEqual(['warning slug-collision 12:1']);
  });

  it('builds every content rule exactly as a build of content/ alone does', () => {
    const byId = new Map(hostile.rules.map((r) => [r.id, r]));
    expect(alone.rules.length).toBe(15);
    for (const r of alone.rules) expect(byId.get(r.id), r.id).toEqual(r);
    const contentDiags = (c: CatalogJson): Diag[] => c.diagnostics.filter((d) => d.file.startsWith('content/'));
    expect(contentDiags(hostile)).toEqual(contentDiags(alone));
  });
});
