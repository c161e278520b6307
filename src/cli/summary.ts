/**
 * The summary `ruledex catalog` and `ruledex build` end with: what was read, rules by type and by
 * language, diagnostics by severity (every error listed with file:line:col, the first warnings
 * too), elapsed time and where the output went. Pure: returns the text.
 */
import { formatDiagnostic, type Diagnostic } from '../model/diagnostic';
import type { Rule } from '../model/rule';
import type { IngestResult, SourceRoot } from '../ingest/types';

export interface SummaryInput {
  result: IngestResult;
  roots: readonly SourceRoot[];
  /** Milliseconds, total and per phase. */
  elapsed: number;
  timings?: Readonly<Record<string, number>>;
  /** Where each output went: label → path (`JSON` → `out.json`), with its size in bytes. */
  outputs: readonly { label: string; path: string; bytes: number | null }[];
  /** How many warnings to list (all errors are always listed). */
  warningLimit?: number;
  /** Lines about the analysis (indicator totals, most shared), when the catalog stages ran. */
  analysis?: readonly string[];
}

const n = (x: number): string => x.toLocaleString('en-US');

function counts(rules: readonly Rule[], key: (r: Rule) => string): string {
  const m = new Map<string, number>();
  for (const r of rules) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
  const parts = [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, v]) => `${k} ${n(v)}`);
  return parts.length === 0 ? '—' : parts.join(' · ');
}

function bytes(b: number | null): string {
  if (b === null) return '';
  if (b < 1024) return ` (${b} B)`;
  if (b < 1024 * 1024) return ` (${(b / 1024).toFixed(1)} KB)`;
  return ` (${(b / 1024 / 1024).toFixed(1)} MB)`;
}

export function formatSummary(input: SummaryInput): string {
  const { result, roots } = input;
  const { rules, diagnostics, stats } = result;
  const lines: string[] = [];
  const sources = roots.map((r) => `${r.dir}${r.kind === 'detection-rules' ? ' (detection-rules checkout)' : ''}`).join(', ');
  lines.push(`${n(rules.length)} rules from ${n(stats.tomlFiles)} TOML and ${n(stats.markdownFiles)} markdown files in ${sources || 'no sources'}`);
  const detail = [`${n(stats.merged)} with markdown pages`, `${n(stats.markdownOnly)} from markdown only`, `${n(stats.markdownRulePages)} rule pages`];
  if (stats.markdownSkipped > 0) detail.push(`${n(stats.markdownSkipped)} other pages skipped`);
  const deprecated = rules.filter((r) => r.deprecated).length;
  const bb = rules.filter((r) => r.buildingBlock).length;
  detail.push(`${n(deprecated)} deprecated`, `${n(bb)} building blocks`);
  lines.push(`  ${detail.join(', ')}`);
  lines.push(`  by type:      ${counts(rules, (r) => r.type)}`);
  lines.push(`  by language:  ${counts(rules, (r) => r.language ?? 'none')}`);
  const bySeverity = { error: 0, warning: 0, info: 0 };
  const byCode = new Map<string, number>();
  for (const d of diagnostics) {
    bySeverity[d.severity]++;
    byCode.set(`${d.severity} ${d.code}`, (byCode.get(`${d.severity} ${d.code}`) ?? 0) + 1);
  }
  const codes = [...byCode.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, v]) => `${k.split(' ')[1]} ${n(v)}`);
  lines.push(`  diagnostics:  ${n(bySeverity.error)} errors · ${n(bySeverity.warning)} warnings · ${n(bySeverity.info)} info${codes.length ? ` (${codes.join(', ')})` : ''}`);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  for (const d of errors) lines.push(`    ${formatDiagnostic(d)}`);
  const limit = input.warningLimit ?? 10;
  const warnings: Diagnostic[] = diagnostics.filter((d) => d.severity === 'warning');
  for (const d of warnings.slice(0, limit)) lines.push(`    ${formatDiagnostic(d)}`);
  if (warnings.length > limit) lines.push(`    … and ${n(warnings.length - limit)} more warnings${input.outputs.some((o) => o.label === 'JSON') ? ' (all in the JSON)' : ''}`);
  for (const l of input.analysis ?? []) lines.push(`  ${l}`);
  const phases = input.timings ? Object.entries(input.timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`) : [];
  lines.push(`  elapsed:      ${(input.elapsed / 1000).toFixed(2)} s${phases.length ? ` (${phases.join(', ')})` : ''}`);
  if (input.outputs.length === 0) lines.push('  output:       none (use --json FILE to write the catalog JSON)');
  for (const o of input.outputs) lines.push(`  ${`${o.label}:`.padEnd(14)}${o.path}${bytes(o.bytes)}`);
  return lines.join('\n');
}
