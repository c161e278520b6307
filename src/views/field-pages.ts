/**
 * Field pages: every field the queries read, with the rules using it and its values (role, kind,
 * rules per value), linked from every indicator and exclusion row.
 */
import type { FieldEntry, IndicatorEntry } from '../catalog/corpus';
import { pageMeta, ruleItems, type PageMeta, type RuleItem } from './common';
import { cmp, plural } from './labels';
import type { SiteModel } from './site';

/** Values listed per field page (the most common first). */
export const MAX_FIELD_VALUES = 300;

export interface FieldSummary {
  field: string;
  href: string;
  rules: number;
  indicatorRules: number;
  exclusionRules: number;
  distinctValues: number;
  scope: boolean;
}

export interface FieldsIndexView {
  meta: PageMeta;
  fields: FieldSummary[];
}

export interface FieldValueView {
  value: string;
  role: string;
  kind: string;
  rules: number;
  caseInsensitive: boolean;
  /** Up to 5 rules using it (the rest via the rule list). */
  examples: { name: string; href: string }[];
}

export interface FieldView {
  meta: PageMeta;
  field: string;
  summary: FieldSummary;
  kinds: { kind: string; rules: number }[];
  values: FieldValueView[];
  moreValues: number;
  rules: RuleItem[];
}

function summary(model: SiteModel, f: FieldEntry): FieldSummary {
  return {
    field: f.field,
    href: model.urls.field(f.field),
    rules: f.rules,
    indicatorRules: f.indicatorRules,
    exclusionRules: f.exclusionRules,
    distinctValues: f.distinctValues,
    scope: f.scope,
  };
}

export function fieldsIndexPage(model: SiteModel): FieldsIndexView {
  const u = model.urls;
  const fields = [...model.fields.values()].map((f) => summary(model, f)).sort((a, b) => b.rules - a.rules || cmp(a.field, b.field));
  return {
    meta: pageMeta(model, u.fields(), 'Fields', `The ${plural(fields.length, 'field')} the catalog's queries read, with how many rules use each.`, [{ label: 'Fields', href: null }]),
    fields,
  };
}

/** Indicator entries grouped by field (computed once per model). */
const byFieldCache = new WeakMap<SiteModel, Map<string, IndicatorEntry[]>>();

export function indicatorsByField(model: SiteModel): Map<string, IndicatorEntry[]> {
  let m = byFieldCache.get(model);
  if (!m) {
    m = new Map();
    for (const e of model.catalog.indicators) {
      let list = m.get(e.field);
      if (!list) m.set(e.field, (list = []));
      list.push(e);
    }
    byFieldCache.set(model, m);
  }
  return m;
}

export function fieldPage(model: SiteModel, field: string): FieldView {
  const u = model.urls;
  const f = model.fields.get(field);
  if (!f) throw new Error(`no field ${field}`);
  const entries = indicatorsByField(model).get(field) ?? [];
  const values = entries.slice(0, MAX_FIELD_VALUES).map((e) => ({
    value: e.value,
    role: e.role,
    kind: e.kind,
    rules: e.rules,
    caseInsensitive: e.caseInsensitive,
    examples: e.ruleIds.slice(0, 5).flatMap((id) => {
      const r = model.byId.get(id);
      return r ? [{ name: r.name, href: u.rule(id) }] : [];
    }),
  }));
  const rank = model.nameRank;
  return {
    meta: pageMeta(model, u.field(field), `Field ${field}`, `${plural(f.rules, 'rule')} read ${field}; ${plural(f.distinctValues, 'distinct value')}.`, [
      { label: 'Fields', href: u.fields() },
      { label: field, href: null },
    ]),
    field,
    summary: summary(model, f),
    kinds: f.kinds.map((k) => ({ kind: k.kind, rules: k.rules })),
    values,
    moreValues: Math.max(0, entries.length - values.length),
    rules: ruleItems(model, [...f.ruleIds].sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0))),
  };
}
