/**
 * Golden ASTs of real ES|QL rules, chosen for their different shapes. Each golden file holds the
 * rule's query, its AST (spans included) and its canonical print. Regenerate with
 * `UPDATE_GOLDEN=1 npx vitest run test/unit/lang/esql/golden.test.ts`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEsql, printEsql } from '../../../../src/lang/esql';
import { corpusQueries, hasShared, projectRoot } from '../../../helpers/shared';

const goldenDir = join(projectRoot, 'test', 'golden', 'esql');
const update = process.env.UPDATE_GOLDEN === '1';

/** [rule file, what its shape shows] */
const RULES: [string, string][] = [
  ['rules/cross-platform/defense_evasion_agent_spoofing_multiple_hosts.toml', 'aggregation followed by a filter (FROM | WHERE | STATS | WHERE | KEEP)'],
  ['rules/integrations/aws/discovery_servicequotas_multi_region_service_quota_requests.toml', 'EVAL with a time span, DISSECT pipeline, comments between commands'],
  ['rules/cross-platform/command_and_control_curl_activity_llm_triage.toml', 'KQL() embedded, GROK, INLINE STATS, COMPLETION WITH {…}, DISSECT of the LLM answer'],
  ['rules/cross-platform/initial_access_elastic_defend_alert_genai_utility_descendant.toml', 'INLINE STATS with a WHERE-filtered aggregate'],
  ['rules/integrations/aws_bedrock/aws_bedrock_guardrails_multiple_violations_in_single_request.toml', 'MV_EXPAND then aggregation'],
  ['rules/windows/defense_evasion_masquerading_as_svchost.toml', 'MATCH() with named-parameter map options'],
  ['rules/integrations/github/initial_access_github_actions_workflow_injection_blocked.toml', '::STRING cast inside MATCH()'],
  ['rules/windows/defense_evasion_posh_obfuscation_backtick.toml', 'emoji 🔥 placeholder strings, triple-quoted regexes'],
  ['rules/windows/defense_evasion_posh_obfuscation_index_reversal.toml', 'NOT LIKE with a list of patterns'],
  ['rules/windows/defense_evasion_posh_obfuscation_char_arrays.toml', 'the `:` match operator'],
  ['rules/integrations/azure/initial_access_entra_id_illicit_consent_grant_via_registered_application.toml', 'RENAME'],
  ['rules/cross-platform/impact_alert_from_a_process_with_cpu_spike.toml', 'NOT KQL(…), backticked column names'],
  ['rules/integrations/azure/credential_access_entra_id_brute_force_activity.toml', 'a backticked keyword segment: source.`as`.organization.name'],
  ['rules/windows/initial_access_mssql_potential_sql_injection.toml', 'SORT and LIMIT'],
];

describe.skipIf(!hasShared)('ES|QL golden ASTs', () => {
  const byFile = new Map(hasShared ? corpusQueries().filter((q) => q.language === 'esql').map((q) => [q.file, q.query]) : []);

  it('covers at least 10 distinct rules', () => {
    expect(new Set(RULES.map(([f]) => f)).size).toBe(RULES.length);
    expect(RULES.length).toBeGreaterThanOrEqual(10);
  });

  for (const [file, shape] of RULES) {
    it(`${basename(file, '.toml')}: ${shape}`, () => {
      const query = byFile.get(file);
      expect(query, `${file} is an ES|QL rule of the corpus`).toBeTypeOf('string');
      const r = parseEsql(query as string);
      if (!r.ok) throw new Error(`${file}: ${r.error.message}`);
      const actual = { file, shape, query, ast: r.ast, printed: printEsql(r.ast) };
      const path = join(goldenDir, `${basename(file, '.toml')}.ast.json`);
      const json = `${JSON.stringify(actual, null, 1)}\n`;
      if (update) {
        mkdirSync(goldenDir, { recursive: true });
        writeFileSync(path, json);
      }
      expect(existsSync(path), `${path} exists (UPDATE_GOLDEN=1 writes it)`).toBe(true);
      expect(JSON.parse(json)).toEqual(JSON.parse(readFileSync(path, 'utf8')));
    });
  }
});
