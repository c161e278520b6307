/**
 * The site model: the catalog plus every cross-page index the pages read (rules by id, ATT&CK
 * coverage, tags, integrations, fields, slug aliases), built once per build. Pure: page view
 * functions take this model and return plain, serialisable view models.
 */
import { computeCoverage, indexFromRules, facetValues, type AttackIndex, type Coverage, type TacticCoverage, type TechniqueCoverage } from '../attack';
import type { Catalog, CatalogRule } from '../catalog/build';
import type { FieldEntry } from '../catalog/corpus';
import type { Diagnostic } from '../model/diagnostic';
import { slugify, nameKey } from '../ingest/slug';
import { cmp, isoDate } from './labels';
import { labelSlug, segment, Urls } from './urls';

export interface SourceLink {
  /** A prefix of rule file paths (as the reader named them), e.g. `../shared/corpus/elastic-detection-rules/`. */
  prefix: string;
  /** What replaces it to make a browsable URL, e.g. `https://github.com/elastic/detection-rules/blob/main/`. */
  url: string;
  /** Short text for the link (`github.com/elastic/detection-rules`). */
  label: string;
}

export interface SiteInput {
  catalog: Catalog;
  /** ATT&CK from a STIX bundle (`--attack FILE`); null builds the index from the rules' own mappings. */
  attack?: AttackIndex | null;
  /** Former names per rule id (detection-rules version lock), for redirect pages. */
  formerNames?: Record<string, string[]>;
  sourceLinks?: SourceLink[];
  base?: string;
  site?: string | null;
  title?: string;
}

export interface LabelEntry {
  slug: string;
  label: string;
  /** `integration` for `[metadata] integration`, `data-source` for `Data Source:` tags, `tag` for tags. */
  kind: 'tag' | 'integration' | 'data-source';
  /** Sorted by rule name. */
  ruleIds: string[];
}

export interface Alias {
  slug: string;
  id: string;
  /** Why the alias exists: the current name, a former name, the name without `Deprecated - `. */
  reason: 'name' | 'former-name';
}

export interface SiteModel {
  title: string;
  urls: Urls;
  catalog: Catalog;
  /** Sorted by id. */
  rules: CatalogRule[];
  byId: Map<string, CatalogRule>;
  /** Rule ids sorted by name (then id). */
  byName: string[];
  /** Position of each rule id in `byName`. */
  nameRank: Map<string, number>;
  attack: AttackIndex;
  hasBundle: boolean;
  coverage: Coverage;
  techniques: Map<string, TechniqueCoverage>;
  tactics: Map<string, TacticCoverage>;
  tags: LabelEntry[];
  tagSlug: Map<string, string>;
  integrations: LabelEntry[];
  integrationSlug: Map<string, string>;
  dataSourceSlug: Map<string, string>;
  fields: Map<string, FieldEntry>;
  aliases: Alias[];
  diagnosticsByRule: Map<string, Diagnostic[]>;
  /** The newest created/updated/deprecated date in the catalog (`2026-03-24`), the reference for "recent". */
  referenceDate: string;
  /** Reference time for examples and date math: the reference date at 12:00 UTC (deterministic). */
  now: number;
  sourceLinks: SourceLink[];
}

const DATA_SOURCE = /^Data Source:\s*(.+)$/;

export function dataSources(rule: Pick<CatalogRule, 'tags'>): string[] {
  const out: string[] = [];
  for (const t of rule.tags) {
    const v = DATA_SOURCE.exec(t)?.[1]?.trim();
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

export function integrationsOf(rule: Pick<CatalogRule, 'integrations'>): string[] {
  return facetValues({ tags: [], integrations: rule.integrations, type: 'query' }, 'integration');
}

/** Allocates unique slugs for labels in order (`x`, `x-2`, …). */
function slugger(): (label: string) => string {
  const used = new Set<string>();
  return (label) => {
    const base = labelSlug(label);
    let s = base;
    for (let i = 2; used.has(s); i++) s = `${base}-${i}`;
    used.add(s);
    return s;
  };
}

export function buildSiteModel(input: SiteInput): SiteModel {
  const catalog = input.catalog;
  const urls = new Urls(input.base, input.site ?? null);
  const rules = [...catalog.rules].sort((a, b) => cmp(a.id, b.id));
  const byId = new Map(rules.map((r) => [r.id, r] as const));
  const byName = [...rules].sort((a, b) => cmp(a.name.toLowerCase(), b.name.toLowerCase()) || cmp(a.id, b.id)).map((r) => r.id);
  const nameRank = new Map(byName.map((id, i) => [id, i] as const));
  const byRank = (a: string, b: string): number => (nameRank.get(a) ?? 0) - (nameRank.get(b) ?? 0);

  const hasBundle = input.attack != null;
  const attack = input.attack ?? indexFromRules(rules);
  const coverage = computeCoverage(rules, attack);
  const techniques = new Map(coverage.techniques.map((t) => [t.id, t] as const));
  const tactics = new Map(coverage.tactics.map((t) => [t.id, t] as const));

  // Tags, integrations, data sources.
  const collect = (values: (r: CatalogRule) => string[]): Map<string, string[]> => {
    const m = new Map<string, string[]>();
    for (const r of rules) {
      for (const v of values(r)) {
        let list = m.get(v);
        if (!list) m.set(v, (list = []));
        if (!list.includes(r.id)) list.push(r.id);
      }
    }
    return m;
  };
  const entries = (m: Map<string, string[]>, kind: LabelEntry['kind'], slugOf: (l: string) => string, slugs: Map<string, string>): LabelEntry[] =>
    [...m.keys()].sort(cmp).map((label) => {
      const slug = slugOf(label);
      slugs.set(label, slug);
      return { slug, label, kind, ruleIds: (m.get(label) ?? []).sort(byRank) };
    });
  const tagSlug = new Map<string, string>();
  const tags = entries(collect((r) => [...new Set(r.tags)]), 'tag', slugger(), tagSlug);
  const integrationSlug = new Map<string, string>();
  const dataSourceSlug = new Map<string, string>();
  const intSlugger = slugger();
  const integrations = [
    ...entries(collect(integrationsOf), 'integration', intSlugger, integrationSlug),
    ...entries(collect(dataSources), 'data-source', (l) => intSlugger(`data source ${l}`), dataSourceSlug),
  ];

  const fields = new Map(catalog.fields.map((f) => [f.field, f] as const));

  // Slug aliases: the current name's slug, the name without "Deprecated - ", former names.
  const aliases: Alias[] = [];
  const taken = new Set(rules.map((r) => segment(r.id)));
  const claimed = new Map<string, string>();
  const claim = (slug: string, id: string, reason: Alias['reason']): void => {
    if (slug === '' || taken.has(slug)) return;
    const holder = claimed.get(slug);
    if (holder !== undefined) return;
    claimed.set(slug, id);
    aliases.push({ slug, id, reason });
  };
  // Current names first (every rule keeps its own slug), then former names.
  for (const r of rules) claim(r.slug, r.id, 'name');
  for (const r of rules) {
    const former = new Set<string>();
    former.add(nameKey(r.name));
    for (const v of r.versions) if (v.name) former.add(slugify(v.name));
    for (const n of input.formerNames?.[r.id] ?? []) {
      former.add(slugify(n));
      former.add(nameKey(n));
    }
    for (const s of [...former].sort(cmp)) if (s !== r.slug) claim(s, r.id, 'former-name');
  }
  aliases.sort((a, b) => cmp(a.slug, b.slug));

  const diagnosticsByRule = new Map<string, Diagnostic[]>();
  for (const d of catalog.diagnostics) {
    if (d.ruleId === undefined) continue;
    let list = diagnosticsByRule.get(d.ruleId);
    if (!list) diagnosticsByRule.set(d.ruleId, (list = []));
    list.push(d);
  }

  let referenceDate = '';
  for (const r of rules) {
    for (const d of [r.creationDate, r.updatedDate, r.deprecationDate]) {
      const iso = isoDate(d);
      if (iso && iso > referenceDate) referenceDate = iso;
    }
  }
  if (referenceDate === '') referenceDate = '2000-01-01';
  const now = Date.parse(`${referenceDate}T12:00:00Z`);

  return {
    title: input.title ?? 'Ruledex',
    urls,
    catalog,
    rules,
    byId,
    byName,
    nameRank,
    attack,
    hasBundle,
    coverage,
    techniques,
    tactics,
    tags,
    tagSlug,
    integrations,
    integrationSlug,
    dataSourceSlug,
    fields,
    aliases,
    diagnosticsByRule,
    referenceDate,
    now,
    sourceLinks: input.sourceLinks ?? [],
  };
}

/** The browsable source URL of a rule file, when a source link covers it. */
export function sourceUrl(model: SiteModel, file: string): { href: string; label: string } | null {
  for (const l of model.sourceLinks) {
    if (file.startsWith(l.prefix)) return { href: l.url + file.slice(l.prefix.length).split('/').map(encodeURIComponent).join('/'), label: l.label };
  }
  return null;
}

/** Rule ids sorted by name, for lists. */
export function sortByName(model: SiteModel, ids: Iterable<string>): string[] {
  const rank = model.nameRank;
  return [...new Set(ids)].filter((id) => model.byId.has(id)).sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));
}
