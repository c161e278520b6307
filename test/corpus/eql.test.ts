/**
 * EQL over the whole corpus (skipped without ../shared):
 * - every one of the 1,081 EQL queries parses;
 * - the canonical print of each re-parses to the same tree (locs aside);
 * - every node's loc lies inside the query and inside its parent's loc, and leaf locs cover
 *   exactly their source text;
 * - golden ASTs (locs included) of chosen rules (test/golden/eql/<rule>.ast.json;
 *   UPDATE_GOLDEN=1 rewrites them);
 * - a seeded fuzz run of mutated corpus queries: no throw, well-formed results, printable
 *   results that round-trip, and no case slower than 50 ms once warm.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEql, printEql, visitNodes, type EqlNode, type EqlQuery } from '../../src/lang/eql';
import { fuzz } from '../helpers/fuzz';
import { corpusQueries, hasShared, projectRoot, stripLocs, type CorpusQuery } from '../helpers/shared';

const goldenDir = join(projectRoot, 'test', 'golden', 'eql');
const update = process.env.UPDATE_GOLDEN === '1';

/** Rules whose ASTs are pinned, and what each one covers. */
const GOLDEN: Record<string, string> = {
  'rules/windows/defense_evasion_masquerading_windows_dll.toml': 'longest query (46,906 chars), 2,609-item list',
  'rules/cross-platform/defense_evasion_missing_events_after_alert.toml': 'missing-event stage',
  'rules/integrations/okta/persistence_mfa_deactivation_with_no_reactivation.toml': 'missing-event stage with per-stage by',
  'rules/integrations/okta/credential_access_okta_mfa_bombing_via_push_notifications.toml': 'until, runs',
  'rules/_deprecated/credential_access_potential_successful_linux_ftp_bruteforce.toml': 'tail pipe, runs',
  'rules/linux/execution_netcon_from_rwx_mem_region_binary.toml': 'sample, comment between stages',
  'rules/linux/execution_shell_via_meterpreter_linux.toml': 'sample with five stages',
  'rules/_deprecated/defense_evasion_potential_processherpaderping.toml': 'per-stage by on different fields',
  'rules/_deprecated/command_and_control_linux_port_knocking_reverse_connection.toml': 'sequence and stage by',
  'rules/cross-platform/command_and_control_common_llm_endpoint.toml': 'line comments in lists, optional fields',
  'rules/cross-platform/execution_d4c_k8s_mda_direct_interactive_kubernetes_api_request_by_usual_utilities.toml': 'backticked field in by',
  'rules/integrations/azure/persistence_entra_id_device_registration_to_prt_chain.toml': 'backticked middle segment',
  'rules/cross-platform/defense_evasion_masquerading_space_after_filename.toml': 'raw string under regex~',
  'rules/cross-platform/command_and_control_genai_process_suspicious_tld_connection.toml': 'raw strings, line comments',
  'rules/windows/defense_evasion_right_to_left_override.toml': '\\u{202E} escape',
  'rules/windows/credential_access_dollar_account_relay.toml': 'functions with ~, nested calls, negative argument',
  'rules/windows/execution_windows_powershell_susp_args.toml': "\\' escapes",
  'rules/windows/execution_windows_fakecaptcha_cmd_ps.toml': 'homoglyphs',
  'rules/_deprecated/defense_evasion_whitespace_padding_in_command_line.toml': 'regex, block comment',
  'rules/_deprecated/command_and_control_non_standard_http_port.toml': 'infix not in',
  'rules/linux/defense_evasion_apparmor_profile_compilation.toml': 'wildcard-looking values under in',
  'rules/integrations/aws/impact_s3_object_versioning_disabled.toml': 'info category (event_category_override)',
  'rules/_deprecated/defense_evasion_process_termination_followed_by_deletion.toml': 'in~ in a sequence',
  'rules/_deprecated/discovery_pspy_process_monitoring_detected.toml': 'one-stage sequence with runs',
};

/** Goldens are JSON with one leaf node per line, to stay readable and diffable. */
function goldenJson(value: unknown): string {
  const lines: string[] = [];
  const write = (v: unknown, indent: string, prefix: string, suffix: string): void => {
    const flat = JSON.stringify(v);
    if (v === null || typeof v !== 'object' || flat.length <= 110) {
      lines.push(indent + prefix + flat + suffix);
      return;
    }
    const isArray = Array.isArray(v);
    lines.push(indent + prefix + (isArray ? '[' : '{'));
    const entries = isArray ? (v as unknown[]).map((x) => ['', x] as const) : Object.entries(v as Record<string, unknown>);
    entries.forEach(([k, x], i) => write(x, indent + ' ', isArray ? '' : `${JSON.stringify(k)}: `, i < entries.length - 1 ? ',' : ''));
    lines.push(indent + (isArray ? ']' : '}') + suffix);
  };
  write(value, '', '', '');
  return lines.join('\n') + '\n';
}

function checkLocs(q: CorpusQuery, ast: EqlQuery): string[] {
  const problems: string[] = [];
  const text = q.query;
  visitNodes(ast, (n: EqlNode, parent: EqlNode | null) => {
    const { start, end } = n.loc;
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= text.length)) {
      problems.push(`${n.kind} loc ${start}-${end} outside the text`);
    }
    if (parent && (start < parent.loc.start || end > parent.loc.end)) {
      problems.push(`${n.kind} ${start}-${end} outside its parent ${parent.kind} ${parent.loc.start}-${parent.loc.end}`);
    }
    const src = text.slice(start, end);
    switch (n.kind) {
      case 'Number':
        if (src !== n.raw) problems.push(`Number ${n.raw} covers ${JSON.stringify(src)}`);
        break;
      case 'String':
        if (!(src.startsWith('"') && src.endsWith('"'))) problems.push(`String covers ${JSON.stringify(src)}`);
        break;
      case 'Boolean':
      case 'Null':
        if (src !== (n.kind === 'Null' ? 'null' : String(n.value))) problems.push(`${n.kind} covers ${JSON.stringify(src)}`);
        break;
      case 'Field':
        if (src.replace(/[`?\s]/g, '') !== n.name.replace(/`/g, '')) problems.push(`Field ${n.name} covers ${JSON.stringify(src)}`);
        break;
      case 'Category':
        if (!n.quoted && src !== n.name) problems.push(`Category ${n.name} covers ${JSON.stringify(src)}`);
        break;
      case 'Stage':
        if (!src.startsWith(n.missing ? '![' : '[')) problems.push(`Stage covers ${JSON.stringify(src.slice(0, 20))}`);
        break;
      default:
        // Composite nodes start and end on a token, never on whitespace.
        if (/^\s|\s$/.test(src)) problems.push(`${n.kind} loc has surrounding whitespace: ${JSON.stringify(src.slice(0, 30))}`);
    }
  });
  return problems;
}

describe.skipIf(!hasShared)('EQL corpus', () => {
  const queries = hasShared ? corpusQueries().filter((q) => q.language === 'eql') : [];
  const failures: string[] = [];
  let cache: Map<CorpusQuery, EqlQuery> | null = null;
  /** The parsed corpus, computed once by whichever test needs it first. */
  const parsedCorpus = (): Map<CorpusQuery, EqlQuery> => {
    if (cache) return cache;
    cache = new Map();
    for (const q of queries) {
      const r = parseEql(q.query);
      if (r.ok) cache.set(q, r.ast);
      else failures.push(`${q.file}:${r.error.line}:${r.error.column} ${r.error.message}`);
    }
    return cache;
  };

  it('has the 1,081 EQL queries of the census, and every one parses', () => {
    expect(queries.length).toBe(1081);
    const parsed = parsedCorpus();
    expect(failures).toEqual([]);
    expect(parsed.size).toBe(1081);
  });

  it('has the census shape: 861 event queries, 217 sequences, 3 samples', () => {
    const kinds: Record<string, number> = {};
    for (const ast of parsedCorpus().values()) kinds[ast.kind] = (kinds[ast.kind] ?? 0) + 1;
    expect(kinds).toEqual({ EventQuery: 861, Sequence: 217, Sample: 3 });
  });

  it('prints every query canonically so that it re-parses to the same tree', () => {
    const failures: string[] = [];
    for (const [q, ast] of parsedCorpus()) {
      const printed = printEql(ast);
      const again = parseEql(printed);
      if (!again.ok) failures.push(`${q.file}: printed form fails at ${again.error.line}:${again.error.column} ${again.error.message}`);
      else if (JSON.stringify(stripLocs(again.ast)) !== JSON.stringify(stripLocs(ast))) failures.push(`${q.file}: tree differs after print`);
      else if (printEql(again.ast) !== printed) failures.push(`${q.file}: printing is not stable`);
    }
    expect(failures).toEqual([]);
  });

  it('gives every node a loc inside the query and inside its parent', () => {
    const failures: string[] = [];
    for (const [q, ast] of parsedCorpus()) {
      const problems = checkLocs(q, ast);
      if (problems.length > 0) failures.push(`${q.file}: ${problems.slice(0, 3).join('; ')}`);
      // Only whitespace and comments lie outside the query's own loc.
      const trivia = /^(?:\s|\/\/[^\n\r]*|\/\*[\s\S]*?\*\/)*$/;
      if (!trivia.test(q.query.slice(0, ast.loc.start)) || !trivia.test(q.query.slice(ast.loc.end))) failures.push(`${q.file}: query loc ${ast.loc.start}-${ast.loc.end} leaves tokens outside`);
    }
    expect(failures).toEqual([]);
  });

  it('pins the 2,609-item list of the longest query (census 8.14)', () => {
    const q = queries.find((x) => x.file === 'rules/windows/defense_evasion_masquerading_windows_dll.toml') as CorpusQuery;
    expect(q.query.length).toBe(46906);
    const ast = parsedCorpus().get(q) as EqlQuery;
    let longest = 0;
    visitNodes(ast, (n) => {
      if (n.kind === 'Match') longest = Math.max(longest, n.patterns.length);
    });
    expect(longest).toBe(2609);
  });

  it(`matches the golden ASTs of ${Object.keys(GOLDEN).length} chosen rules`, () => {
    if (update) mkdirSync(goldenDir, { recursive: true });
    const mismatches: string[] = [];
    for (const file of Object.keys(GOLDEN)) {
      const q = queries.find((x) => x.file === file);
      expect(q, file).toBeDefined();
      const ast = parsedCorpus().get(q as CorpusQuery);
      expect(ast, file).toBeDefined();
      const actual = goldenJson(ast);
      const path = join(goldenDir, `${basename(file, '.toml')}.ast.json`);
      if (update) writeFileSync(path, actual);
      else if (!existsSync(path)) mismatches.push(`${path} is missing (run with UPDATE_GOLDEN=1)`);
      else if (readFileSync(path, 'utf8') !== actual) mismatches.push(`${path} differs`);
    }
    expect(mismatches).toEqual([]);
  });

  it('survives 5,000 seeded mutations of corpus queries: no throw, well-formed, round-trips, none over 50 ms', () => {
    const seeds = queries.map((q) => q.query);
    // Warm up the parser and printer on the unmutated corpus first.
    for (const s of seeds) parseEql(s);
    const problems: string[] = [];
    const slow: { ms: number; input: string }[] = [];
    const check = (input: string): void => {
      const r = parseEql(input);
      if (r.ok) {
        const again = parseEql(printEql(r.ast));
        if (!again.ok || JSON.stringify(stripLocs(again.ast)) !== JSON.stringify(stripLocs(r.ast))) problems.push(`no round trip: ${JSON.stringify(input.slice(0, 200))}`);
      } else {
        const e = r.error;
        const wellFormed = e.message.length > 0 && e.line >= 1 && e.column >= 1 && e.offset >= 0 && e.offset <= input.length && Array.isArray(e.expected);
        if (!wellFormed) problems.push(`malformed error ${JSON.stringify(e)}`);
      }
    };
    const report = fuzz(seeds, 5000, 20251201, (input) => {
      const t0 = performance.now();
      check(input);
      const ms = performance.now() - t0;
      if (ms > 50) slow.push({ ms, input });
    });
    expect(report.cases).toBe(5000);
    expect(report.crashes).toEqual([]);
    expect(problems).toEqual([]);
    // A case over 50 ms is timed again (best of three), so that a scheduling pause on a
    // shared machine is not mistaken for a slow parse.
    const reallySlow = slow
      .map(({ input }) => {
        let best = Infinity;
        for (let i = 0; i < 3; i++) {
          const t0 = performance.now();
          parseEql(input);
          best = Math.min(best, performance.now() - t0);
        }
        return { ms: best, input: input.slice(0, 120) };
      })
      .filter((x) => x.ms > 50);
    expect(reallySlow).toEqual([]);
  });
});
