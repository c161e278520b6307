/**
 * The browse page: every rule as a table row carrying its facet values as data attributes, and
 * the filter facets with their values and counts (the client recomputes the counts live as
 * filters change; the server-rendered counts are the unfiltered ones).
 */
import { facetValues } from '../attack';
import type { CatalogRule } from '../catalog/build';
import { pageMeta, ruleItem, type PageMeta, type RuleItem } from './common';
import { cmp, compareSeverity, isoDate, languageLabel, plural, typeLabel } from './labels';
import { dataSources, integrationsOf, type SiteModel } from './site';

import { FACET_KEYS, type FacetKey } from './facet-keys';

export { FACET_KEYS, type FacetKey };

export interface FacetValue {
  value: string;
  label: string;
  count: number;
}

export interface FacetView {
  key: FacetKey;
  label: string;
  values: FacetValue[];
}

export interface BrowseRow {
  item: RuleItem;
  /** Facet values, `|`-separated, per facet key. */
  data: Record<FacetKey, string>;
  updated: string;
  tactics: string;
}

export interface BrowseView {
  meta: PageMeta;
  /** The rows' facet values as JSON (`browseFacetsJson`), which the filters load on first use. */
  facetsHref: string;
  facets: FacetView[];
  rows: BrowseRow[];
  referenceDate: string;
  total: number;
}

const FACET_LABELS: Record<FacetKey, string> = {
  type: 'Rule type',
  language: 'Language',
  severity: 'Severity',
  os: 'Operating system',
  integration: 'Integration or data source',
  tactic: 'ATT&CK tactic',
  maturity: 'Maturity',
  bb: 'Building block',
};

function clean(v: string): string {
  return v.replace(/\|/g, '/');
}

export function facetValuesOf(model: SiteModel, rule: CatalogRule): Record<FacetKey, string[]> {
  const tactics = [...new Set(rule.threat.filter((t) => /att&ck/i.test(t.framework)).map((t) => t.tactic.id))].filter((id) => model.tactics.has(id));
  return {
    type: [rule.type],
    language: [rule.language ?? 'none'],
    severity: [rule.severity],
    os: facetValues(rule, 'os'),
    integration: [...new Set([...integrationsOf(rule), ...dataSources(rule)])],
    tactic: tactics,
    maturity: [rule.maturity],
    bb: [rule.buildingBlock ? 'yes' : 'no'],
  };
}

export function browsePage(model: SiteModel, ids: readonly string[] = model.byName): BrowseView {
  const u = model.urls;
  const counts = new Map<FacetKey, Map<string, number>>(FACET_KEYS.map((k) => [k, new Map()]));
  const rows: BrowseRow[] = [];
  for (const id of ids) {
    const r = model.byId.get(id);
    if (!r) continue;
    const fv = facetValuesOf(model, r);
    const data = {} as Record<FacetKey, string>;
    for (const k of FACET_KEYS) {
      const m = counts.get(k) as Map<string, number>;
      for (const v of fv[k]) m.set(v, (m.get(v) ?? 0) + 1);
      data[k] = fv[k].map(clean).join('|');
    }
    rows.push({
      item: ruleItem(model, r),
      data,
      updated: isoDate(r.updatedDate) ?? isoDate(r.creationDate) ?? '',
      tactics: fv.tactic.map((t) => model.tactics.get(t)?.name ?? t).join(', '),
    });
  }
  const tacticOrder = new Map(model.coverage.tactics.map((t, i) => [t.id, i] as const));
  const label = (k: FacetKey, v: string): string => {
    switch (k) {
      case 'type':
        return typeLabel(v as CatalogRule['type']);
      case 'language':
        return v === 'none' ? 'none' : languageLabel(v as NonNullable<CatalogRule['language']>);
      case 'tactic':
        return model.tactics.get(v)?.name ?? v;
      default:
        return v;
    }
  };
  const facets: FacetView[] = FACET_KEYS.map((k) => {
    const m = counts.get(k) as Map<string, number>;
    const values = [...m].map(([value, count]) => ({ value: clean(value), label: label(k, value), count }));
    values.sort((a, b) => {
      if (k === 'severity') return compareSeverity(a.value, b.value);
      if (k === 'tactic') return (tacticOrder.get(a.value) ?? 99) - (tacticOrder.get(b.value) ?? 99);
      return b.count - a.count || cmp(a.label, b.label);
    });
    return { key: k, label: FACET_LABELS[k], values };
  });
  return {
    meta: pageMeta(model, u.browse(), 'Browse detection rules', `All ${plural(rows.length, 'detection rule')}, filterable by type, language, severity, OS, integration, ATT&CK tactic, maturity and building block.`, [
      { label: 'Detection rules', href: null },
    ]),
    facetsHref: u.apiBrowse(),
    facets,
    rows,
    referenceDate: model.referenceDate,
    total: rows.length,
  };
}

/**
 * The facet values of the browse rows, compactly: per facet the distinct values, and per row
 * (in table order) its rule id, updated date and, per facet, the indices of its values. The page
 * itself carries no per-row data attributes: with thousands of rows they were most of its bytes.
 */
export interface BrowseFacetsJson {
  keys: FacetKey[];
  values: Record<FacetKey, string[]>;
  /** [rule id, updated (YYYY-MM-DD or ''), ...one index list per key]. */
  rows: [string, string, ...number[][]][];
}

export function browseFacetsJson(view: BrowseView): string {
  const values = {} as Record<FacetKey, string[]>;
  const index = new Map<FacetKey, Map<string, number>>();
  for (const k of FACET_KEYS) {
    values[k] = [];
    index.set(k, new Map());
  }
  const rows: BrowseFacetsJson['rows'] = view.rows.map((r) => {
    const out: [string, string, ...number[][]] = [r.item.id, r.updated];
    for (const k of FACET_KEYS) {
      const m = index.get(k) as Map<string, number>;
      out.push(
        r.data[k]
          .split('|')
          .filter((v) => v !== '')
          .map((v) => {
            let i = m.get(v);
            if (i === undefined) {
              i = values[k].length;
              values[k].push(v);
              m.set(v, i);
            }
            return i;
          }),
      );
    }
    return out;
  });
  return `${JSON.stringify({ keys: [...FACET_KEYS], values, rows } satisfies BrowseFacetsJson)}\n`;
}
