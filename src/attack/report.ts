/**
 * Coverage as a plain-text table for the terminal (`ruledex attack`): per tactic in matrix order,
 * the rules (production / building block / deprecated apart) and the techniques and
 * sub-techniques covered against the index, then totals and the ids the index lacks.
 */
import type { Coverage } from './coverage';

export interface ReportOptions {
  /** What the coverage is measured against, e.g. `ATT&CK 17.1 (enterprise-attack.json)`. */
  against: string;
  /** Filters applied, shown in the heading (`os=Windows`). */
  filters?: string[];
}

const nf = new Intl.NumberFormat('en-US');
const n = (x: number): string => nf.format(x);

function pad(s: string, width: number, right = false): string {
  return right ? s.padStart(width) : s.padEnd(width);
}

export function coverageReport(coverage: Coverage, options: ReportOptions): string {
  const out: string[] = [];
  const filt = options.filters && options.filters.length > 0 ? ` [${options.filters.join(', ')}]` : '';
  out.push(`ATT&CK coverage of ${n(coverage.totals.rules)} rules${filt}: ${n(coverage.mappedRules)} mapped, ${n(coverage.unmappedRules.length)} without ATT&CK mapping`);
  out.push(`against ${options.against}`);
  out.push('');
  const header = ['tactic', 'rules', 'prod', 'bb', 'depr', 'techniques', 'uncovered', 'sub-techniques', 'uncovered'];
  const rows: string[][] = coverage.tactics.map((t) => [
    `${t.id} ${t.name}${t.known ? '' : ' (not in index)'}`,
    n(t.counts.rules),
    n(t.counts.production),
    n(t.counts.buildingBlock),
    n(t.counts.deprecated),
    `${n(t.techniques.covered)}/${n(t.techniques.total)}`,
    n(t.techniques.uncovered.length),
    `${n(t.subtechniques.covered)}/${n(t.subtechniques.total)}`,
    n(t.subtechniques.uncovered.length),
  ]);
  const tt = coverage.totals;
  const total = [
    'all tactics (distinct)',
    n(coverage.mappedRules),
    '',
    '',
    '',
    `${n(tt.coveredIndexTechniques)}/${n(tt.indexTechniques)}`,
    n(tt.indexTechniques - tt.coveredIndexTechniques),
    `${n(tt.coveredIndexSubtechniques)}/${n(tt.indexSubtechniques)}`,
    n(tt.indexSubtechniques - tt.coveredIndexSubtechniques),
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length), (total[i] ?? '').length));
  const line = (cells: string[]): string => cells.map((c, i) => pad(c, widths[i] ?? 0, i > 0)).join('  ').trimEnd();
  out.push(line(header));
  for (const r of rows) out.push(line(r));
  out.push(line(widths.map((w) => '-'.repeat(w))));
  out.push(line(total));
  out.push('');
  out.push(`Rules reference ${n(tt.tactics)} tactics, ${n(tt.techniques)} techniques and ${n(tt.subtechniques)} sub-techniques.`);
  const unknown = coverage.techniques.filter((t) => !t.known);
  if (unknown.length > 0 && coverage.indexOrigin === 'stix') {
    out.push(`Not in the loaded ATT&CK (${n(unknown.length)}): ${unknown.map((t) => `${t.id} (${t.rules.length})`).join(', ')}`);
  }
  const redirected = coverage.techniques.filter((t) => t.redirectedFrom.length > 0);
  if (redirected.length > 0) {
    out.push(`Counted under their replacement: ${redirected.map((t) => `${t.redirectedFrom.join(', ')} → ${t.id}`).join('; ')}`);
  }
  if (coverage.indexOrigin === 'rules') {
    out.push('No ATT&CK bundle loaded (--attack FILE): "uncovered" counts only ids some rule names.');
  }
  return out.join('\n') + '\n';
}
