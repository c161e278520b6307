/**
 * Tag and integration pages: an index of labels with rule counts, and a page per label with its
 * rules (and, for integrations and data sources, the fields those rules read).
 */
import { pageMeta, ruleItems, type PageMeta, type RuleItem } from './common';
import { cmp, plural } from './labels';
import type { LabelEntry, SiteModel } from './site';

export interface LabelSummary {
  label: string;
  href: string;
  rules: number;
  kind: LabelEntry['kind'];
}

export interface LabelIndexView {
  meta: PageMeta;
  groups: { title: string; entries: LabelSummary[] }[];
}

export interface LabelView {
  meta: PageMeta;
  label: string;
  kind: LabelEntry['kind'];
  rules: RuleItem[];
  fields: { field: string; href: string; rules: number }[];
}

const KIND_TITLES: Record<LabelEntry['kind'], string> = { tag: 'Tags', integration: 'Integrations', 'data-source': 'Data sources' };

function hrefOf(model: SiteModel, e: LabelEntry): string {
  return e.kind === 'tag' ? model.urls.tag(e.slug) : model.urls.integration(e.slug);
}

/** Tags grouped by their prefix (`Domain`, `OS`, `Tactic`, …); others under "Other". */
export function tagsIndexPage(model: SiteModel): LabelIndexView {
  const groups = new Map<string, LabelSummary[]>();
  for (const t of model.tags) {
    const m = /^([^:]{1,40}):\s*\S/.exec(t.label);
    const g = m ? (m[1] as string).trim() : 'Other';
    let list = groups.get(g);
    if (!list) groups.set(g, (list = []));
    list.push({ label: t.label, href: hrefOf(model, t), rules: t.ruleIds.length, kind: 'tag' });
  }
  return {
    meta: pageMeta(model, model.urls.tags(), 'Tags', `The ${plural(model.tags.length, 'tag')} of the catalog's rules.`, [{ label: 'Tags', href: null }]),
    groups: [...groups].sort((a, b) => (a[0] === 'Other' ? 1 : b[0] === 'Other' ? -1 : cmp(a[0], b[0]))).map(([title, entries]) => ({ title, entries })),
  };
}

export function integrationsIndexPage(model: SiteModel): LabelIndexView {
  const groups: LabelIndexView['groups'] = [];
  for (const kind of ['integration', 'data-source'] as const) {
    const entries = model.integrations
      .filter((e) => e.kind === kind)
      .map((e) => ({ label: e.label, href: hrefOf(model, e), rules: e.ruleIds.length, kind }))
      .sort((a, b) => b.rules - a.rules || cmp(a.label, b.label));
    if (entries.length) groups.push({ title: KIND_TITLES[kind], entries });
  }
  return {
    meta: pageMeta(model, model.urls.integrations(), 'Integrations and data sources', 'Rules per integration (the rule metadata) and per data source (the rules\' tags).', [
      { label: 'Integrations', href: null },
    ]),
    groups,
  };
}

export function labelPage(model: SiteModel, e: LabelEntry): LabelView {
  const u = model.urls;
  const fields: LabelView['fields'] = [];
  if (e.kind !== 'tag') {
    const counts = new Map<string, number>();
    for (const id of e.ruleIds) {
      const r = model.byId.get(id);
      if (!r) continue;
      const fs = new Set<string>();
      for (const s of r.analysis.stages) for (const f of s.fields) fs.add(f);
      for (const f of fs) counts.set(f, (counts.get(f) ?? 0) + 1);
    }
    for (const [field, n] of [...counts].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))) {
      fields.push({ field, href: model.fields.has(field) ? u.field(field) : '', rules: n });
    }
  }
  const what = e.kind === 'tag' ? 'tag' : e.kind === 'integration' ? 'integration' : 'data source';
  const crumbs: PageMeta['breadcrumb'] = e.kind === 'tag' ? [{ label: 'Tags', href: u.tags() }] : [{ label: 'Integrations', href: u.integrations() }];
  crumbs.push({ label: e.label, href: null });
  return {
    meta: pageMeta(model, hrefOf(model, e), e.kind === 'tag' ? `Tag ${e.label}` : `${e.kind === 'integration' ? 'Integration' : 'Data source'} ${e.label}`, `${plural(e.ruleIds.length, 'rule')} with the ${what} ${e.label}.`, crumbs),
    label: e.label,
    kind: e.kind,
    rules: ruleItems(model, e.ruleIds),
    fields,
  };
}
