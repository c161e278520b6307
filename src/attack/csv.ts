/**
 * Coverage as CSV (RFC 4180 quoting, `\n` line ends): one row per (tactic, technique) pair rules
 * declare, then, when the index is a bundle, one row per (tactic, technique) of ATT&CK no rule
 * covers, all in matrix tactic order then technique id. Rule names are joined with ` | `.
 */
import type { Coverage } from './coverage';

export const COVERAGE_CSV_COLUMNS = [
  'tactic_id',
  'tactic',
  'technique_id',
  'technique',
  'subtechnique',
  'parent_id',
  'in_attack',
  'rules',
  'production',
  'building_block',
  'deprecated',
  'other',
  'low',
  'medium',
  'high',
  'critical',
  'rule_names',
] as const;

function cell(v: string | number | boolean): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function coverageCsv(coverage: Coverage, options: { includeUncovered?: boolean } = {}): string {
  const includeUncovered = options.includeUncovered ?? coverage.indexOrigin === 'stix';
  const rows: { rank: number; id: string; cells: (string | number | boolean)[] }[] = [];
  const rank = new Map(coverage.tactics.map((t, i) => [t.id, i] as const));
  const tacticName = new Map(coverage.tactics.map((t) => [t.id, t.name] as const));
  for (const t of coverage.techniques) {
    for (const pair of t.byTactic) {
      const c = pair.counts;
      rows.push({
        rank: rank.get(pair.tacticId) ?? Number.MAX_SAFE_INTEGER,
        id: t.id,
        cells: [
          pair.tacticId,
          tacticName.get(pair.tacticId) ?? '',
          t.id,
          t.name,
          t.subtechnique,
          t.parentId ?? '',
          t.known,
          c.rules,
          c.production,
          c.buildingBlock,
          c.deprecated,
          c.other,
          c.severity.low ?? 0,
          c.severity.medium ?? 0,
          c.severity.high ?? 0,
          c.severity.critical ?? 0,
          pair.rules.map((r) => r.name).join(' | '),
        ],
      });
    }
  }
  if (includeUncovered) {
    const pairs = new Set(coverage.techniques.flatMap((t) => t.byTactic.map((p) => `${p.tacticId}\0${t.id}`)));
    for (const tactic of coverage.tactics) {
      for (const id of [...tactic.techniques.uncovered, ...tactic.subtechniques.uncovered]) {
        if (pairs.has(`${tactic.id}\0${id}`)) continue;
        const u = coverage.uncovered.find((x) => x.id === id);
        const name = u?.name ?? coverage.techniques.find((x) => x.id === id)?.name ?? id;
        const dot = id.indexOf('.');
        rows.push({
          rank: rank.get(tactic.id) ?? Number.MAX_SAFE_INTEGER,
          id,
          cells: [tactic.id, tactic.name, id, name, dot >= 0, dot >= 0 ? id.slice(0, dot) : '', true, 0, 0, 0, 0, 0, 0, 0, 0, 0, ''],
        });
      }
    }
  }
  rows.sort((a, b) => a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return [COVERAGE_CSV_COLUMNS.join(','), ...rows.map((r) => r.cells.map(cell).join(','))].join('\n') + '\n';
}
