/**
 * Facets that split the catalog for per-facet coverage and Navigator layers: the OS (`OS: X`
 * tags), the integration (`[metadata] integration`) and the rule type.
 */
import type { FacetRule } from './types';

export const FACETS = ['os', 'integration', 'type'] as const;
export type Facet = (typeof FACETS)[number];

export function isFacet(s: string): s is Facet {
  return (FACETS as readonly string[]).includes(s);
}

export interface FacetFilter {
  facet: Facet;
  value: string;
}

const OS_TAG = /^OS:\s*(.+)$/;

export function facetValues(rule: FacetRule, facet: Facet): string[] {
  switch (facet) {
    case 'os': {
      const out: string[] = [];
      for (const tag of rule.tags) {
        const m = OS_TAG.exec(tag);
        const v = m?.[1]?.trim();
        if (v && !out.includes(v)) out.push(v);
      }
      return out;
    }
    case 'integration':
      return [...new Set(rule.integrations.filter((i) => i.trim() !== ''))];
    case 'type':
      return [rule.type];
    default: {
      const never: never = facet;
      throw new Error(`unknown facet ${String(never)}`);
    }
  }
}

/** `os=Windows` → `{ facet: 'os', value: 'Windows' }`, or an error message. */
export function parseFacetFilter(text: string): FacetFilter | { error: string } {
  const eq = text.indexOf('=');
  if (eq < 0) return { error: `filter ${JSON.stringify(text)} is not facet=value (facets: ${FACETS.join(', ')})` };
  const facet = text.slice(0, eq).trim().toLowerCase();
  const value = text.slice(eq + 1).trim();
  if (!isFacet(facet)) return { error: `unknown facet ${JSON.stringify(facet)} (facets: ${FACETS.join(', ')})` };
  if (value === '') return { error: `filter ${JSON.stringify(text)} has no value` };
  return { facet, value };
}

/** Rules that match every filter (values compare case-insensitively). */
export function filterRules<R extends FacetRule>(rules: readonly R[], filters: readonly FacetFilter[]): R[] {
  if (filters.length === 0) return [...rules];
  return rules.filter((r) => filters.every((f) => facetValues(r, f.facet).some((v) => v.toLowerCase() === f.value.toLowerCase())));
}

/** Each facet's values with how many rules have them, by count (descending) then value. */
export function facetCounts(rules: readonly FacetRule[], facet: Facet): { value: string; rules: number }[] {
  const m = new Map<string, number>();
  for (const r of rules) for (const v of facetValues(r, facet)) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m]
    .map(([value, n]) => ({ value, rules: n }))
    .sort((a, b) => b.rules - a.rules || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/** A stable slug for file names and routes: `os-windows`, `integration-aws`, `type-new-terms`. */
export function facetKey(facet: Facet, value: string): string {
  const v = value.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `${facet}-${v || 'x'}`;
}
