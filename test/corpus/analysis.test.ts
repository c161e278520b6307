/**
 * Analysis over the whole corpus (skipped without ../shared):
 * - every rule of the catalog (TOML and markdown-only) with a query gets stages and an analysis
 *   without throwing and without diagnostics; every predicate's loc lies inside its text, every
 *   row points at predicates of its own role, rows are sorted and scope fields never appear
 *   among indicators or exclusions;
 * - corpus counts over the catalog: every row value counts at least its own rule; the seed 002
 *   rule's counts;
 * - golden analyses of chosen rules across every rule type and language
 *   (test/golden/analysis/<file base>.json; UPDATE_GOLDEN=1 rewrites them).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseRule, isScopeField, parseRuleQueries, type AnalysedRule, type AnalysisRow, type RuleAnalysis } from '../../src/analysis';
import { compareValues } from '../../src/analysis/kinds';
import { buildCorpusIndex, type CorpusIndex } from '../../src/catalog/corpus';
import { CorpusCounter } from '../../src/catalog/corpus-update';
import { loadSources } from '../../src/ingest/load';
import type { Diagnostic } from '../../src/model/diagnostic';
import type { Rule } from '../../src/model/rule';
import { docsRoot, hasShared, projectRoot, prng, rulesRoot } from '../helpers/shared';
import { corpusRule } from '../unit/analysis/helpers';

const goldenDir = join(projectRoot, 'test', 'golden', 'analysis');
const update = process.env.UPDATE_GOLDEN === '1';

/** Rules whose analyses are pinned, and what each one covers. */
const GOLDEN: Record<string, string> = {
  // EQL
  'rules/cross-platform/defense_evasion_missing_events_after_alert.toml': 'sequence with a missing-event term',
  'rules/integrations/okta/persistence_mfa_deactivation_with_no_reactivation.toml': 'missing-event term with per-stage by',
  'rules/integrations/okta/credential_access_okta_mfa_bombing_via_push_notifications.toml': 'until, runs',
  'rules/_deprecated/credential_access_potential_successful_linux_ftp_bruteforce.toml': 'runs, tail pipe',
  'rules/_deprecated/defense_evasion_potential_processherpaderping.toml': 'per-stage by on different fields',
  'rules/linux/execution_netcon_from_rwx_mem_region_binary.toml': 'sample',
  'rules/linux/execution_shell_via_udp_cli_utility_linux.toml': 'sample, mixed exact/wildcard lists under :',
  'rules/windows/credential_access_dollar_account_relay.toml': 'functions with ~ over computed arguments',
  'rules/linux/defense_evasion_apparmor_profile_compilation.toml': 'wildcard-looking values under in are eq',
  'rules/integrations/aws/impact_s3_object_versioning_disabled.toml': 'event_category_override',
  'rules/cross-platform/defense_evasion_masquerading_space_after_filename.toml': 'regex~ raw string',
  'rules/_deprecated/command_and_control_linux_port_knocking_reverse_connection.toml': 'cidrmatch exclusions, sequence by',
  'rules/_deprecated/defense_evasion_process_termination_followed_by_deletion.toml': 'in~',
  // KQL
  'rules_building_block/discovery_system_network_connections.toml': 'seed 002: new_terms',
  'rules/linux/defense_evasion_symlink_binary_to_writable_dir.toml': 'value list with and/not',
  'rules/integrations/gcp/persistence_gcp_service_account_impersonation_role_grant.toml': 'nested field:{…}',
  'rules/windows/execution_suspicious_powershell_imgload.toml': 'escaped specials in unquoted values',
  'rules/_deprecated/defense_evasion_attempt_to_disable_iptables_or_firewall.toml': 'top-level OR by precedence',
  'rules/network/discovery_potential_syn_port_scan_detected.toml': 'threshold with cardinality, CIDR values',
  'rules/integrations/azure/credential_access_entra_id_excessive_account_lockouts.toml': 'threshold with field = []',
  'rules/windows/execution_posh_psreflect.toml': '[[rule.filters]] negated wildcard',
  'rules/_deprecated/apm_null_user_agent.toml': '[[rule.filters]] negated exists',
  'rules/_deprecated/privilege_escalation_printspooler_service_suspicious_file.toml': '[[rule.filters]] non-negated wildcard with ?',
  'rules/threat_intel/threat_intel_indicator_match_url.toml': 'threat_match with threat_query and threat_filters',
  'rules/threat_intel/threat_intel_rapid7_threat_command.toml': 'threat_match with a filters exists',
  // Lucene
  'rules/_deprecated/privilege_escalation_setgid_bit_set_via_chmod.toml': 'the Lucene rule',
  // machine learning
  'rules/integrations/gcp/ml_gcp_rare_method_by_city.toml': 'machine_learning',
  // ES|QL
  'rules/cross-platform/command_and_control_curl_activity_llm_triage.toml': 'KQL(), EVAL-derived columns, INLINE STATS, STATS, COMPLETION',
  'rules/windows/defense_evasion_masquerading_as_svchost.toml': 'MATCH with options',
  'rules/integrations/github/initial_access_github_actions_workflow_injection_blocked.toml': 'casts, match',
  'rules/cross-platform/initial_access_elastic_defend_alert_genai_utility_descendant.toml': 'TO_LOWER, LIKE lists',
};

let catalog: { rules: Rule[]; analysed: AnalysedRule[]; diagnostics: Diagnostic[]; index: CorpusIndex } | null = null;

async function loadCatalog(): Promise<NonNullable<typeof catalog>> {
  if (catalog) return catalog;
  const { result } = await loadSources([rulesRoot, docsRoot], { workers: 0 });
  const analysed: AnalysedRule[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const rule of result.rules) {
    const r = analyseRule(rule, parseRuleQueries(rule));
    analysed.push({ id: rule.id, analysis: r.analysis });
    diagnostics.push(...r.diagnostics);
  }
  catalog = { rules: result.rules, analysed, diagnostics, index: buildCorpusIndex(analysed) };
  return catalog;
}

/** Rows in table order: field, kind, then values (numbers first, numerically). */
function sorted(rows: readonly AnalysisRow[]): boolean {
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1] as AnalysisRow;
    const b = rows[i] as AnalysisRow;
    if (a.field !== b.field) {
      if (a.field > b.field) return false;
      continue;
    }
    if (a.kind !== b.kind) {
      if (a.kind > b.kind) return false;
      continue;
    }
    const d = compareValues(a.values[0]?.value ?? '', b.values[0]?.value ?? '');
    if (d > 0) return false;
  }
  return rows.every((r) => r.values.every((v, k) => k === 0 || compareValues((r.values[k - 1] as { value: string }).value, v.value) < 0));
}

function checkAnalysis(rule: Rule, a: RuleAnalysis): string[] {
  const problems: string[] = [];
  const texts = { query: rule.query ?? '', threat_query: rule.type === 'threat_match' ? (rule.threatMatch.query ?? '') : '', filters: '' };
  if (rule.query !== null && a.stages.length === 0) problems.push('no stages');
  a.stages.forEach((s, i) => {
    if (s.index !== i) problems.push(`stage ${i} has index ${s.index}`);
    for (const p of s.predicates) {
      if (p.loc !== null) {
        const len = texts[p.in].length;
        if (p.loc.start < 0 || p.loc.end > len || p.loc.start > p.loc.end) problems.push(`predicate ${JSON.stringify(p.text)} loc ${p.loc.start}-${p.loc.end} outside ${p.in} (${len})`);
      } else if (p.in !== 'filters') problems.push(`predicate ${JSON.stringify(p.text)} has no loc`);
      if (p.values.length === 0) problems.push(`predicate ${JSON.stringify(p.text)} has no values`);
    }
  });
  const tables: [string, readonly AnalysisRow[], string][] = [
    ['indicators', a.indicators, 'indicator'],
    ['exclusions', a.exclusions, 'exclusion'],
    ['scope', a.scope, 'scope'],
  ];
  for (const [name, rows, role] of tables) {
    if (name !== 'scope' && !sorted(rows)) problems.push(`${name} not sorted`);
    for (const r of rows) {
      if (name !== 'scope' && isScopeField(r.field)) problems.push(`${name} has scope field ${r.field}`);
      if (r.kind === 'in' && r.values.length < 2) problems.push(`${name}: in row with ${r.values.length} value(s)`);
      for (const ref of r.refs) {
        const p = a.stages[ref.stage]?.predicates[ref.predicate];
        if (p === undefined || p.role !== role || p.field !== r.field) problems.push(`${name}: bad ref ${JSON.stringify(ref)}`);
      }
    }
  }
  return problems;
}

describe.skipIf(!hasShared)('analysis over the corpus', () => {
  it('analyses every catalog rule with a query, without throwing and without diagnostics; structure is consistent', async () => {
    const { rules, analysed, diagnostics } = await loadCatalog();
    expect(rules.length).toBeGreaterThan(2000);
    expect(diagnostics.map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`)).toEqual([]);
    const problems: string[] = [];
    rules.forEach((rule, i) => {
      for (const p of checkAnalysis(rule, (analysed[i] as AnalysedRule).analysis)) problems.push(`${rule.files[0]}: ${p}`);
    });
    expect(problems).toEqual([]);
    const withQuery = rules.filter((r) => r.query !== null);
    expect(withQuery.every((r) => (analysed[rules.indexOf(r)] as AnalysedRule).analysis.stages.length > 0)).toBe(true);
    // ML rules: one stage, no predicates.
    const ml = rules.filter((r) => r.type === 'machine_learning');
    expect(ml.length).toBeGreaterThan(100);
    expect(ml.every((r) => (analysed[rules.indexOf(r)] as AnalysedRule).analysis.stages.map((s) => s.kind).join() === 'machine_learning')).toBe(true);
  });

  it('counts: every row value counts at least its own rule; the seed 002 rule counts', async () => {
    const { index } = await loadCatalog();
    const low: string[] = [];
    for (const r of index.rules) {
      for (const row of [...r.analysis.indicators, ...r.analysis.exclusions, ...r.analysis.scope]) {
        for (const v of row.values) if (v.corpus < 1) low.push(`${r.id} ${row.field} ${v.value}`);
      }
    }
    expect(low).toEqual([]);
    const seed = index.rules.find((r) => r.id === 'e2dc8f8c-5f16-42fa-b49e-0eb8057f7444');
    const counts = (rows: readonly AnalysisRow[]) => rows.map((row) => `${row.field} ${row.kind} ${row.values.map((v) => `${v.value}=${v.corpus}`).join(' ')}`);
    // The census (§6.1) counts EQL and KQL rules only: 356 for exec; ES|QL and markdown-only rules
    // add a few; EQL `process where` categories count as event.category predicates.
    expect(counts(seed?.analysis.indicators ?? [])).toEqual([
      'event.action eq exec=364',
      'event.category eq process=824',
      'event.type eq start=741',
      'process.name in arp=3 ifconfig=3 iftop=1 ip=3 lsof=2 netcfg=1 netstat=1 networksetup=3 nmcli=1 route=1 ss=3',
    ]);
    // Census §6.1: the same counts (starts_with /Library/Elastic/Agent/ 2: the other rule matches it case-insensitively).
    expect(counts(seed?.analysis.exclusions ?? [])).toEqual([
      'process.parent.executable eq /Applications/Docker.app/Contents/MacOS/com.docker.backend=1',
      'process.parent.executable eq /opt/NinjaRMMAgent/programfiles/ninjarmm-linagent=2',
      'process.parent.executable eq /usr/local/ASR/Vx/bin/svagents=1',
      'process.parent.executable starts_with /Library/Elastic/Agent/=2',
      'process.working_directory in /opt/microsoft/mdatp/sbin=1 /usr/lib/check_mk_agent/plugins=1 /var/ossec=3',
    ]);
    expect(seed?.similar.length).toBe(5);
  });

  it(`matches the golden analyses of ${Object.keys(GOLDEN).length} chosen rules`, () => {
    if (update) mkdirSync(goldenDir, { recursive: true });
    const mismatches: string[] = [];
    const types = new Set<string>();
    for (const file of Object.keys(GOLDEN)) {
      const rule = corpusRule(file);
      types.add(`${rule.type}/${rule.language}`);
      const r = analyseRule(rule, parseRuleQueries(rule));
      const actual = `${JSON.stringify({ file, type: rule.type, language: rule.language, covers: GOLDEN[file], ...r }, null, 2)}\n`;
      const path = join(goldenDir, `${basename(file, '.toml')}.json`);
      if (update) writeFileSync(path, actual);
      else if (!existsSync(path)) mismatches.push(`${path} is missing (run with UPDATE_GOLDEN=1)`);
      else if (readFileSync(path, 'utf8') !== actual) mismatches.push(`${path} differs`);
    }
    expect(mismatches).toEqual([]);
    expect([...types].sort()).toEqual([
      'eql/eql',
      'esql/esql',
      'machine_learning/null',
      'new_terms/kuery',
      'query/kuery',
      'query/lucene',
      'threat_match/kuery',
      'threshold/kuery',
    ]);
  });
});

describe.skipIf(!hasShared)('corpus counts updated after a few rules changed', () => {
  it('equal counting afresh, over a sequence of random edits of the corpus (re-analysed, added, removed rules)', async () => {
    const { analysed } = await loadCatalog();
    const rand = prng(20261202);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const counter = new CorpusCounter();
    let current = [...analysed];
    expect(counter.count(current)).toEqual(buildCorpusIndex(current));
    const modes: string[] = [];
    for (let step = 0; step < 4; step++) {
      const next = [...current];
      for (let e = 0; e < 3; e++) {
        const what = rand();
        const i = Math.floor(rand() * next.length);
        // Another rule's analysis (a copy: a new object, as a re-analysis makes), under this id.
        const other = structuredClone(pick(analysed).analysis);
        if (what < 0.5) next[i] = { id: (next[i] as AnalysedRule).id, analysis: other };
        else if (what < 0.75) next.splice(i, 1);
        else next.push({ id: `zz-added-${step}-${e}`, analysis: other });
      }
      next.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      expect(counter.count(next)).toEqual(buildCorpusIndex(next));
      modes.push(counter.lastMode.mode);
      current = next;
    }
    expect(modes).toEqual(['update', 'update', 'update', 'update']);
  }, 120_000);
});
