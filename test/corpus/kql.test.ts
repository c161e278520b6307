/**
 * KQL and Lucene over the real corpus (skipped without ../shared):
 * - every `query` (792) and `threat_query` (9) string of language kuery parses, and the one
 *   Lucene query parses to the exact tree the case table pins;
 * - printing round-trips (`parse(print(ast))` equals `ast` without locs) for all of them;
 * - loc sanity for every node;
 * - golden ASTs (with locs) for chosen rules: test/golden/{kql,lucene}/<file>.ast.json
 *   (UPDATE_GOLDEN=1 rewrites them);
 * - a seeded fuzz run per language (5,000 mutated corpus queries each): never a throw, errors
 *   placed consistently, round trip for the mutants that parse, no case over 50 ms.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseKql, printKql, walkKql, type KqlQuery } from '../../src/lang/kql';
import { parseLucene, printLucene, type LuceneQuery } from '../../src/lang/lucene';
import type { ParseResult } from '../../src/lang/shared/result';
import { LineIndex } from '../../src/model/span';
import { corpusQueries, hasShared, projectRoot, stripLocs, type CorpusQuery } from '../helpers/shared';
import { fuzz } from '../helpers/fuzz';
import { kqlLocProblems } from '../unit/lang/kql/locs';
import { luceneLocProblems } from '../unit/lang/lucene/locs';
import { luceneSexp } from '../unit/lang/lucene/sexp';

const KQL_GOLDEN = [
  'rules/integrations/gcp/persistence_gcp_service_account_impersonation_role_grant.toml', // nested
  'rules/threat_intel/threat_intel_indicator_match_hash.toml', // wildcard field names, date-math range, threat_query
  'rules/linux/defense_evasion_symlink_binary_to_writable_dir.toml', // value list with and/not
  'rules/windows/execution_suspicious_powershell_imgload.toml', // escapes \: \\ \( \)
  'rules/integrations/aws/exfiltration_s3_uncommon_client_user_agent.toml', // §8.5 inner space
  'rules/linux/credential_access_kubernetes_and_cloud_credential_paths_via_process_args.toml', // §8.5 newline
  'rules_building_block/discovery_posh_password_policy.toml', // §8.6 \t
  'rules_building_block/discovery_posh_generic.toml', // §8.6 \r
  'rules/_deprecated/defense_evasion_attempt_to_disable_iptables_or_firewall.toml', // §8.19 precedence
  'rules/integrations/o365/defense_evasion_exchange_new_inbox_rule_delete_or_move.toml', // range, \u0000
  'rules/integrations/azure/initial_access_entra_id_external_guest_user_invite.toml', // wildcard field in field:value
];
const LUCENE_GOLDEN = ['rules/_deprecated/privilege_escalation_setgid_bit_set_via_chmod.toml'];

const update = process.env.UPDATE_GOLDEN === '1';

function roundTrip<A>(ast: A, print: (a: A) => string, parse: (t: string) => ParseResult<A>): unknown {
  const r = parse(print(ast));
  return r.ok ? stripLocs(r.ast) : r.error.message;
}

function checkGolden<A>(dir: string, file: string, queries: CorpusQuery[], parse: (t: string) => ParseResult<A>, print: (a: A) => string): void {
  const mine = queries.filter((q) => q.file === file);
  expect(mine.length, file).toBeGreaterThan(0);
  const out: Record<string, { print: string; ast: A }> = {};
  for (const q of mine) {
    const r = parse(q.query);
    if (!r.ok) throw new Error(`${file} ${q.key}: ${r.error.message}`);
    out[q.key] = { print: print(r.ast), ast: r.ast };
  }
  const actual = { file, queries: out };
  const path = join(projectRoot, 'test', 'golden', dir, `${basename(file, '.toml')}.ast.json`);
  if (update || !existsSync(path)) {
    mkdirSync(join(projectRoot, 'test', 'golden', dir), { recursive: true });
    writeFileSync(path, `${JSON.stringify(actual, null, 1)}\n`);
    if (!update) throw new Error(`golden file was missing and has been written: ${path}`);
  }
  expect(JSON.parse(JSON.stringify(actual))).toEqual(JSON.parse(readFileSync(path, 'utf8')));
}

describe.skipIf(!hasShared)('KQL and Lucene over the corpus', () => {
  let kql: CorpusQuery[] = [];
  let lucene: CorpusQuery[] = [];
  const parsedKql = new Map<CorpusQuery, KqlQuery>();

  beforeAll(() => {
    const all = corpusQueries();
    kql = all.filter((q) => q.language === 'kuery');
    lucene = all.filter((q) => q.language === 'lucene');
  });

  it('finds 792 KQL queries, 9 KQL threat queries and 1 Lucene query', () => {
    expect(kql.filter((q) => q.key === 'query').length).toBe(792);
    expect(kql.filter((q) => q.key === 'threat_query').length).toBe(9);
    expect(lucene.length).toBe(1);
  });

  it('parses 100% of the KQL queries', () => {
    const failures: string[] = [];
    for (const q of kql) {
      const r = parseKql(q.query);
      if (r.ok) parsedKql.set(q, r.ast);
      else failures.push(`${q.file} ${q.key} ${r.error.line}:${r.error.column} ${r.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(parsedKql.size).toBe(801);
  });

  it('round-trips every KQL query through the printer', () => {
    const bad: string[] = [];
    for (const [q, ast] of parsedKql) {
      if (JSON.stringify(roundTrip(ast, printKql, parseKql)) !== JSON.stringify(stripLocs(ast))) bad.push(`${q.file} ${q.key}`);
    }
    expect(bad).toEqual([]);
    expect(parsedKql.size).toBe(801);
  });

  it('gives every KQL node a sane loc', () => {
    const bad: string[] = [];
    for (const [q, ast] of parsedKql) for (const p of kqlLocProblems(q.query, ast)) bad.push(`${q.file}: ${p}`);
    expect(bad).toEqual([]);
  });

  it('parses the Lucene rule exactly (§8.17) and round-trips it', () => {
    const q = lucene[0] as CorpusQuery;
    expect(q.file).toBe('rules/_deprecated/privilege_escalation_setgid_bit_set_via_chmod.toml');
    const r = parseLucene(q.query);
    if (!r.ok) throw new Error(r.error.message);
    expect(luceneSexp(r.ast)).toBe(
      '(bool +(term "event.category" "process") +(group "event.type" (bool (term _ "start") (term _ "or") (term _ "process_started"))) +(term "process.name" "chmod") +(group "process.args" (bool (term _ "g+s") (regex _ "2[0-9]{3}"))) -(term "user.name" "root"))',
    );
    expect(roundTrip(r.ast, printLucene, parseLucene)).toEqual(stripLocs(r.ast));
    expect(luceneLocProblems(q.query, r.ast)).toEqual([]);
  });

  it('pins census facts: §8.6 escapes hit exactly two rules, §8.7 one nested query', () => {
    const tabCr: string[] = [];
    const nested: string[] = [];
    for (const [q, ast] of parsedKql) {
      walkKql(ast, (n) => {
        if (n.kind === 'Literal' && n.quoted && /[\t\r]/.test(n.value) && !tabCr.includes(q.file)) tabCr.push(q.file);
        if (n.kind === 'Nested') nested.push(q.file);
      });
    }
    expect(tabCr.sort()).toEqual(['rules_building_block/discovery_posh_generic.toml', 'rules_building_block/discovery_posh_password_policy.toml']);
    expect(nested).toEqual(['rules/integrations/gcp/persistence_gcp_service_account_impersonation_role_grant.toml']);
  });

  for (const file of KQL_GOLDEN) {
    it(`matches the golden AST of ${basename(file)}`, () => checkGolden('kql', file, kql, parseKql, printKql));
  }
  for (const file of LUCENE_GOLDEN) {
    it(`matches the golden AST of ${basename(file)}`, () => checkGolden<LuceneQuery>('lucene', file, lucene, parseLucene, printLucene));
  }

  const fuzzLanguage = <A>(name: string, seedsOf: () => string[], parse: (t: string) => ParseResult<A>, print: (a: A) => string, seed: number): void => {
    it(`${name}: 5,000 mutated corpus queries never throw, place errors consistently, round-trip and stay under 50 ms`, () => {
      const seeds = seedsOf();
      for (const s of seeds) parse(s); // warm-up
      const slow: string[] = [];
      const problems: string[] = [];
      let parsed = 0;
      const report = fuzz(seeds, 5000, seed, (input) => {
        const t0 = performance.now();
        const r = parse(input);
        if (performance.now() - t0 > 50) slow.push(input);
        if (r.ok) {
          parsed++;
          const again = roundTrip(r.ast, print, parse);
          if (JSON.stringify(again) !== JSON.stringify(stripLocs(r.ast))) problems.push(`round trip: ${JSON.stringify(input)}`);
        } else {
          const e = r.error;
          const pos = new LineIndex(input).position(e.offset);
          if (e.offset < 0 || e.offset > input.length || pos.line !== e.line || pos.column !== e.column || e.message === '') {
            problems.push(`error placement: ${JSON.stringify(input)} ${JSON.stringify(e)}`);
          }
        }
      });
      expect(report.cases).toBe(5000);
      expect(report.crashes).toEqual([]);
      expect(problems.slice(0, 5)).toEqual([]);
      // Both outcomes occur (the mutations are neither all harmless nor all fatal).
      expect(parsed).toBeGreaterThan(100);
      expect(parsed).toBeLessThan(4900);
      // A case over 50 ms is timed again (best of 3) so that a scheduler hiccup on a shared
      // machine is not taken for a slow parse.
      const stillSlow = slow.filter((input) => {
        let best = Infinity;
        for (let i = 0; i < 3; i++) {
          const t0 = performance.now();
          parse(input);
          best = Math.min(best, performance.now() - t0);
        }
        return best > 50;
      });
      expect(stillSlow.map((s) => s.slice(0, 120))).toEqual([]);
    });
  };
  fuzzLanguage('KQL', () => kql.map((q) => q.query), parseKql, printKql, 20240917);
  fuzzLanguage('Lucene', () => [...lucene.map((q) => q.query), ...kql.slice(0, 200).map((q) => q.query)], parseLucene, printLucene, 917);
});
