/**
 * `ruledex parse`: parse every query of the sources and report, per language, how many parsed
 * and failed and how fast; or parse one query from stdin and print its AST.
 *
 *   ruledex parse [--source DIR ...] [--json]
 *   ruledex parse --language eql|kuery|lucene|esql < query.txt
 *
 * Exit status: 0 when parsing ran (failures are reported, not fatal) or the stdin query parsed;
 * 1 when the stdin query does not parse or a source cannot be read; 2 for unusable arguments.
 */
import { readFileSync } from 'node:fs';
import { loadSources } from '../../ingest/load';
import { parseQuery } from '../../lang/index';
import { parseRuleQueries } from '../../lang/rule-queries';
import { QUERY_LANGUAGES, isQueryLanguage, type QueryLanguage } from '../../model/rule';
import { formatDiagnostic, type Diagnostic } from '../../model/diagnostic';
import { Progress } from '../progress';
import { DEFAULT_SOURCE } from './catalog';
import { commandOptions } from '../args';

const HELP = `usage: ruledex parse [--source DIR ...] [--json]
       ruledex parse --language eql|kuery|lucene|esql  (reads one query on stdin)

Parses every query of the rule sources (default: ${DEFAULT_SOURCE}) and prints, per language, how
many parsed and failed with queries/s, then each failure with file, line, column and message.
With --language, parses the query on stdin and prints its AST as JSON, or the error.

  --source DIR      a rule source directory; repeatable
  --json            print the summary as one JSON object
  --language LANG   parse stdin as LANG
  --quiet           no progress lines
  -h, --help        this help`;

interface LanguageStats {
  parsed: number;
  failed: number;
  seconds: number;
}

export interface ParseSummary {
  languages: Record<string, LanguageStats>;
  failures: { file: string; line: number | null; column: number | null; message: string }[];
}

export async function run(args: string[]): Promise<number> {
  const opts = commandOptions('parse', args, {
    source: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    language: { type: 'string' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  }, HELP);
  if ('exit' in opts) return opts.exit;
  const values = opts.values;
  if (values.language !== undefined) {
    if (!isQueryLanguage(values.language)) {
      console.error(`ruledex parse: unknown language '${values.language}' (one of ${QUERY_LANGUAGES.join(', ')})`);
      return 2;
    }
    return parseStdin(values.language);
  }
  return parseSources(values.source ?? [DEFAULT_SOURCE], values.json === true, values.quiet === true);
}

function parseStdin(language: QueryLanguage): number {
  const text = readFileSync(0, 'utf8');
  const parsed = parseQuery(language, text);
  if (parsed.ok) {
    console.log(JSON.stringify(parsed.query.ast, null, 2));
    return 0;
  }
  const e = parsed.error;
  console.log(JSON.stringify({ error: { line: e.line, column: e.column, offset: e.offset, message: e.message, expected: e.expected, found: e.found } }, null, 2));
  console.error(`<stdin>:${e.line}:${e.column}: ${e.message}`);
  return 1;
}

async function parseSources(sources: string[], json: boolean, quiet: boolean): Promise<number> {
  const progress = new Progress(process.stderr, !quiet && !json);
  const loaded = await loadSources(sources, { onProgress: (phase, done, total) => progress.update(phase, done, total) });
  if (loaded.read.unreadable.length > 0) {
    progress.finish();
    for (const u of loaded.read.unreadable) console.error(`ruledex parse: cannot read source ${u.dir}: ${u.reason}`);
    return 1;
  }
  const rules = loaded.result.rules;
  const stats = new Map<QueryLanguage, LanguageStats>(QUERY_LANGUAGES.map((l) => [l, { parsed: 0, failed: 0, seconds: 0 }]));
  const failures: Diagnostic[] = [];
  let done = 0;
  for (const rule of rules) {
    const t0 = performance.now();
    const r = parseRuleQueries(rule);
    const ms = performance.now() - t0;
    // Time is charged to the rule's query language; a threat_query is usually kuery too.
    for (const q of [r.query, r.threatQuery]) {
      if (!q) continue;
      const lang = q.ok ? q.query.language : q.language;
      const s = stats.get(lang) as LanguageStats;
      if (q.ok) s.parsed++;
      else s.failed++;
    }
    const lang = rule.language;
    if (lang) (stats.get(lang) as LanguageStats).seconds += ms / 1000;
    failures.push(...r.diagnostics);
    progress.update('parse', ++done, rules.length);
  }
  progress.finish();
  const summary: ParseSummary = {
    languages: Object.fromEntries([...stats].filter(([, s]) => s.parsed + s.failed > 0).map(([l, s]) => [l, { ...s, seconds: round(s.seconds) }])),
    failures: failures.map((d) => ({ file: d.file, line: d.line, column: d.column, message: d.message })),
  };
  if (json) {
    console.log(JSON.stringify(summary, null, 2));
    return 0;
  }
  const lines = [`parsed the queries of ${rules.length} rules from ${sources.join(', ')}`, ''];
  lines.push(`  ${'language'.padEnd(9)} ${'parsed'.padStart(7)} ${'failed'.padStart(7)} ${'seconds'.padStart(8)} ${'queries/s'.padStart(10)}`);
  for (const [lang, s] of Object.entries(summary.languages)) {
    const qps = s.seconds > 0 ? Math.round((s.parsed + s.failed) / s.seconds) : 0;
    lines.push(`  ${lang.padEnd(9)} ${String(s.parsed).padStart(7)} ${String(s.failed).padStart(7)} ${s.seconds.toFixed(3).padStart(8)} ${String(qps).padStart(10)}`);
  }
  if (failures.length > 0) {
    lines.push('', `${failures.length} failure(s):`);
    for (const d of failures) lines.push(`  ${formatDiagnostic(d)}`);
  } else {
    lines.push('', 'every query parsed');
  }
  console.log(lines.join('\n'));
  return 0;
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
