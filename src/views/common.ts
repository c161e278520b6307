/**
 * Shapes several pages share: a rule as a list entry, links, facts.
 */
import { ruleStatus, type RuleStatus } from '../attack';
import type { CatalogRule } from '../catalog/build';
import { isoDate, languageLabel, severityClass, typeLabel } from './labels';
import type { SiteModel } from './site';

export interface Link {
  label: string;
  href: string;
}

/** One rule in a list or table. */
export interface RuleItem {
  id: string;
  name: string;
  href: string;
  severity: string;
  severityClass: string;
  riskScore: number;
  type: string;
  typeLabel: string;
  language: string;
  status: RuleStatus;
  maturity: string;
  buildingBlock: boolean;
  deprecated: boolean;
  updated: string | null;
  created: string | null;
  /** Technique and sub-technique ids, sorted. */
  techniques: string[];
}

export function ruleTechniques(rule: CatalogRule): string[] {
  const out = new Set<string>();
  for (const t of rule.threat) {
    for (const tech of t.techniques) {
      out.add(tech.id);
      for (const s of tech.subtechniques) out.add(s.id);
    }
  }
  return [...out].sort();
}

/**
 * Each rule's list item, made once per site model: rules appear in many lists (their tactics,
 * techniques, fields, tags, integrations, the browse and changes pages), tens of thousands of
 * items over the corpus. Callers share the item and must not change it (they spread it to add).
 */
const itemsByModel = new WeakMap<SiteModel, WeakMap<CatalogRule, RuleItem>>();

export function ruleItem(model: SiteModel, rule: CatalogRule): RuleItem {
  let items = itemsByModel.get(model);
  if (items === undefined) itemsByModel.set(model, (items = new WeakMap()));
  let item = items.get(rule);
  if (item === undefined) items.set(rule, (item = makeRuleItem(model, rule)));
  return item;
}

function makeRuleItem(model: SiteModel, rule: CatalogRule): RuleItem {
  return {
    id: rule.id,
    name: rule.name,
    href: model.urls.rule(rule.id),
    severity: rule.severity,
    severityClass: severityClass(rule.severity),
    riskScore: rule.riskScore,
    type: rule.type,
    typeLabel: typeLabel(rule.type),
    language: languageLabel(rule.language),
    status: ruleStatus(rule),
    maturity: rule.maturity,
    buildingBlock: rule.buildingBlock,
    deprecated: rule.deprecated || rule.maturity === 'deprecated',
    updated: isoDate(rule.updatedDate),
    created: isoDate(rule.creationDate),
    techniques: ruleTechniques(rule),
  };
}

export function ruleItems(model: SiteModel, ids: Iterable<string>): RuleItem[] {
  const out: RuleItem[] = [];
  for (const id of ids) {
    const r = model.byId.get(id);
    if (r) out.push(ruleItem(model, r));
  }
  return out;
}

/** Page metadata every page gives the layout. */
export interface PageMeta {
  title: string;
  description: string;
  /** Path of the page (with base), for the canonical link. */
  path: string;
  /** Absolute canonical URL when the site is known, else the path. */
  canonical: string;
  /** Breadcrumb trail (the current page last, without href). */
  breadcrumb: { label: string; href: string | null }[];
  noindex?: boolean;
}

export function pageMeta(model: SiteModel, path: string, title: string, description: string, breadcrumb: PageMeta['breadcrumb'] = []): PageMeta {
  return { title, description, path, canonical: model.urls.absolute(path), breadcrumb };
}
