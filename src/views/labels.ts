/**
 * Words the pages use for model values: rule types, languages, severities, dates, durations.
 */
import type { QueryLanguage, RuleType } from '../model/rule';

export const TYPE_LABELS: Record<RuleType, string> = {
  eql: 'EQL',
  query: 'Custom query',
  esql: 'ES|QL',
  threshold: 'Threshold',
  new_terms: 'New terms',
  machine_learning: 'Machine learning',
  threat_match: 'Indicator match',
};

export const LANGUAGE_LABELS: Record<QueryLanguage, string> = {
  eql: 'EQL',
  kuery: 'KQL',
  lucene: 'Lucene',
  esql: 'ES|QL',
};

export function typeLabel(t: RuleType): string {
  return TYPE_LABELS[t];
}

export function languageLabel(l: QueryLanguage | null): string {
  return l === null ? 'none' : LANGUAGE_LABELS[l];
}

export const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low'];

/** Sorts severities critical → low, then unknown ones by name. */
export function compareSeverity(a: string, b: string): number {
  const ia = SEVERITY_ORDER.indexOf(a);
  const ib = SEVERITY_ORDER.indexOf(b);
  return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || (a < b ? -1 : a > b ? 1 : 0);
}

/** CSS-safe severity class suffix. */
export function severityClass(s: string): string {
  return SEVERITY_ORDER.includes(s) ? s : 'other';
}

/** `Elastic` from `elastic`; labels with capitals are kept. */
export function sourceLabel(label: string): string {
  return /[A-Z]/.test(label) ? label : label.charAt(0).toUpperCase() + label.slice(1);
}

/** `2023/07/11` or `2023-07-11` → `2023-07-11`; anything else → null. */
export function isoDate(d: string | null | undefined): string | null {
  if (!d) return null;
  const m = /^(\d{4})[/-](\d{2})[/-](\d{2})/.exec(d.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/** `now-119m` → `119m`; `now-1h` → `1h`; other text as is; null stays null. */
export function lookBack(from: string | null): string | null {
  if (!from) return null;
  const m = /^now-(\d+[smhdwMy])$/.exec(from.trim());
  return m ? (m[1] as string) : from;
}

/** Time window text: `119m (every 60m)`. */
export function timeWindow(from: string | null, interval: string | null): string | null {
  const lb = lookBack(from);
  if (!lb && !interval) return null;
  if (lb && interval) return `${lb} (runs every ${interval})`;
  return lb ?? `runs every ${interval}`;
}

/** Compares strings by UTF-16 code units (locale-independent, deterministic). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Plain text cut to `max` characters at a word boundary, with an ellipsis. */
export function clip(s: string, max: number): string {
  const t = s.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max - 1);
  const at = cut.lastIndexOf(' ');
  return `${(at > max / 2 ? cut.slice(0, at) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

/** `1 rule`, `2 rules`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

export const STATUS_LABELS: Record<string, string> = {
  production: 'production',
  development: 'development',
  experimental: 'experimental',
  deprecated: 'deprecated',
};
