/**
 * The home page: what the catalog holds (rules by type, language, maturity and source), recent
 * updates, and the ways in.
 */
import type { CatalogRule } from '../catalog/build';
import { pageMeta, ruleItems, type PageMeta, type RuleItem } from './common';
import { cmp, isoDate, languageLabel, plural, sourceLabel, typeLabel } from './labels';
import type { SiteModel } from './site';

export interface Count {
  label: string;
  count: number;
  /** A browse link filtered to this value. */
  href: string | null;
}

export interface HomeView {
  meta: PageMeta;
  title: string;
  totals: { rules: number; production: number; buildingBlocks: number; deprecated: number; techniques: number; tactics: number; fields: number };
  byType: Count[];
  byLanguage: Count[];
  byMaturity: Count[];
  bySource: Count[];
  bySeverity: Count[];
  recent: RuleItem[];
  referenceDate: string;
  ways: { label: string; href: string; note: string }[];
}

function counts(rules: readonly CatalogRule[], key: (r: CatalogRule) => string, label: (k: string) => string, href: (k: string) => string | null): Count[] {
  const m = new Map<string, number>();
  for (const r of rules) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
  return [...m]
    .sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))
    .map(([k, n]) => ({ label: label(k), count: n, href: href(k) }));
}

/** Rules by most recent change (updated, else created), then name. */
export function recentRules(model: SiteModel, limit: number): string[] {
  const when = (r: CatalogRule): string => isoDate(r.updatedDate) ?? isoDate(r.creationDate) ?? '';
  return [...model.rules]
    .filter((r) => when(r) !== '')
    .sort((a, b) => cmp(when(b), when(a)) || (model.nameRank.get(a.id) ?? 0) - (model.nameRank.get(b.id) ?? 0))
    .slice(0, limit)
    .map((r) => r.id);
}

export function homePage(model: SiteModel): HomeView {
  const u = model.urls;
  const rules = model.rules;
  const browse = (param: string, value: string): string => `${u.browse()}?${param}=${encodeURIComponent(value)}`;
  const production = rules.filter((r) => r.maturity === 'production' && !r.deprecated).length;
  const c = model.coverage.totals;
  return {
    meta: pageMeta(
      model,
      u.home(),
      model.title,
      `A searchable catalog of ${plural(rules.length, 'detection rule')}: ATT&CK coverage, indicators, exclusions, and an in-browser evaluator.`,
    ),
    title: model.title,
    totals: {
      rules: rules.length,
      production,
      buildingBlocks: rules.filter((r) => r.buildingBlock).length,
      deprecated: rules.filter((r) => r.deprecated || r.maturity === 'deprecated').length,
      techniques: c.techniques + c.subtechniques,
      tactics: c.tactics,
      fields: model.fields.size,
    },
    byType: counts(rules, (r) => r.type, (k) => typeLabel(k as CatalogRule['type']), (k) => browse('type', k)),
    byLanguage: counts(rules, (r) => r.language ?? 'none', (k) => (k === 'none' ? 'none' : languageLabel(k as NonNullable<CatalogRule['language']>)), (k) => browse('language', k)),
    byMaturity: counts(rules, (r) => r.maturity, (k) => k, (k) => browse('maturity', k)),
    bySource: counts(rules, (r) => r.source, sourceLabel, () => null),
    bySeverity: counts(rules, (r) => r.severity, (k) => k, (k) => browse('severity', k)),
    recent: ruleItems(model, recentRules(model, 12)),
    referenceDate: model.referenceDate,
    ways: [
      { label: 'Browse and filter rules', href: u.browse(), note: 'by type, language, severity, OS, integration, tactic, maturity' },
      { label: 'MITRE ATT&CK matrix', href: u.matrix(), note: 'coverage per tactic and technique as a heat map' },
      { label: 'Fields', href: u.fields(), note: 'every field the queries read, with values and counts' },
      { label: 'Tags', href: u.tags(), note: 'rules by tag' },
      { label: 'Integrations and data sources', href: u.integrations(), note: 'rules per integration, and the fields they read' },
      { label: 'Changes', href: u.changes(), note: 'recently created, updated and deprecated rules (Atom feed)' },
      { label: 'Deprecated rules', href: u.deprecated(), note: 'rules withdrawn from the set' },
      { label: 'JSON API', href: u.apiCatalog(), note: 'the catalog; one JSON per rule; ATT&CK Navigator layers' },
    ],
  };
}
