/**
 * Stage 2 for markdown: pages → versions of TOML rules, or rules of their own.
 *
 * Markdown pages carry no `rule_id`, so they are matched by name:
 *   1. Pages are grouped by page slug: a current page `<slug>.md` and the package-version pages
 *      `prebuilt-rule-X-Y-Z-<slug>.md` of one rule share `<slug>`.
 *   2. A group belongs to the TOML rule whose name key (`nameKey`: the slug of the name without a
 *      leading `deprecated-`) equals the name key of one of the group's page titles (newest page
 *      first) or of the group slug; failing that, whose version-lock entry lists that name among its
 *      earlier names (`previous.<stack>.rule_name`). When two TOML rules share a name key, the
 *      non-deprecated one wins, then the first in reading order (sources in the order given).
 *   3. A group that matches nothing becomes a markdown-only rule: id `md-<slug>`, fields from the
 *      newest page, language inferred from the type (eql → eql, esql → esql, machine_learning →
 *      none, others → kuery: pages do not say), maturity `deprecated` when the title starts with
 *      "Deprecated", else `production`; building block when tagged `Rule Type: BBR`. Type-specific
 *      settings the pages do not show stay empty (threshold value null, no ML job ids, …).
 *
 * TOML stays authoritative. Pages add `versions` (one entry per page, package pages by package
 * version, the current page last with `packageVersion: null`) and `publishedVersion` (the newest
 * page's `**Version**`). The newest page (the current page, else the highest package version) is
 * compared with the TOML on name, type, severity, risk score, query (whitespace-normalised) and
 * ATT&CK ids; each difference is a `source-mismatch` warning on the page, at the fact's line.
 */
import { diagnostic, type Diagnostic } from '../model/diagnostic';
import { isRuleType, type QueryLanguage, type Rule, type RuleBase, type RuleVersion, type ThreatEntry } from '../model/rule';
import { nameKey, slugify } from './slug';
import type { EtcData, MarkdownPage } from './types';
import { compareStrings, compareVersions, setOwn } from './util';

export interface MergeResult {
  rules: Rule[];
  diagnostics: Diagnostic[];
  merged: number;
  markdownOnly: number;
}

interface PageGroup {
  slug: string;
  /** Oldest first; the current page (no package version) last. */
  pages: MarkdownPage[];
}

function byAge(a: MarkdownPage, b: MarkdownPage): number {
  if (a.packageVersion === null && b.packageVersion === null) return compareStrings(a.path, b.path);
  if (a.packageVersion === null) return 1;
  if (b.packageVersion === null) return -1;
  return compareVersions(a.packageVersion, b.packageVersion) || compareStrings(a.path, b.path);
}

export function groupPages(pages: readonly MarkdownPage[]): PageGroup[] {
  const groups = new Map<string, PageGroup>();
  for (const p of pages) {
    const g = groups.get(p.slug);
    if (g) g.pages.push(p);
    else groups.set(p.slug, { slug: p.slug, pages: [p] });
  }
  const out = [...groups.values()];
  for (const g of out) g.pages.sort(byAge);
  return out.sort((a, b) => compareStrings(a.slug, b.slug));
}

function newest(g: PageGroup): MarkdownPage {
  return g.pages[g.pages.length - 1]!;
}

export function versionOf(p: MarkdownPage): RuleVersion {
  return { version: p.version, packageVersion: p.packageVersion, file: p.path, name: p.title, query: p.query?.text ?? null };
}

/**
 * Whitespace-normalised query text, for comparing sources: runs of whitespace become one space,
 * and spaces next to brackets, parentheses and commas go (pages re-wrap long lists, so
 * `( "a",\n "b")` and `("a", "b")` compare equal).
 */
export function normaliseQuery(q: string | null): string | null {
  return q === null ? null : q.replace(/\s+/g, ' ').replace(/ ?([()[\]{},]) ?/g, '$1').trim();
}

/** Every ATT&CK id a threat list names (tactics, techniques, sub-techniques), sorted and unique. */
export function attackIds(threat: readonly ThreatEntry[]): string[] {
  const ids = new Set<string>();
  for (const t of threat) {
    if (t.tactic.id) ids.add(t.tactic.id);
    for (const te of t.techniques) {
      if (te.id) ids.add(te.id);
      for (const st of te.subtechniques) if (st.id) ids.add(st.id);
    }
  }
  return [...ids].sort(compareStrings);
}

function show(v: string | number | null): string {
  if (v === null) return 'none';
  const s = typeof v === 'number' ? String(v) : JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}…"` : s;
}

/** Where two normalised queries first differ, shown with a little context. */
function queryDifference(md: string | null, toml: string | null): string {
  if (md === null || toml === null) return `markdown ${md === null ? 'shows no query' : 'shows a query'}, TOML ${toml === null ? 'has none' : 'has one'}`;
  let i = 0;
  while (i < md.length && i < toml.length && md[i] === toml[i]) i++;
  const from = Math.max(0, i - 20);
  const cut = (s: string): string => JSON.stringify(`${from > 0 ? '…' : ''}${s.slice(from, i + 40)}${s.length > i + 40 ? '…' : ''}`);
  return `first difference at character ${i + 1} of the normalised query: markdown ${cut(md)}, TOML ${cut(toml)}`;
}

/** `source-mismatch` warnings for every compared field where the page and the TOML rule differ. */
export function compareWithPage(rule: Rule, page: MarkdownPage): Diagnostic[] {
  const out: Diagnostic[] = [];
  const warn = (field: string, placeKey: string, message: string): void => {
    const at = page.places[placeKey] ?? page.places.title ?? null;
    out.push(diagnostic('warning', 'source-mismatch', page.path, at, `markdown and TOML disagree on ${field}: ${message} (TOML: ${rule.files[0] ?? '?'})`, rule.id));
  };
  if (page.title !== rule.name) warn('name', 'title', `markdown ${show(page.title)}, TOML ${show(rule.name)}`);
  if (page.ruleType !== rule.type) warn('type', 'rule type', `markdown ${show(page.ruleType)}, TOML ${show(rule.type)}`);
  if (page.severity !== rule.severity) warn('severity', 'severity', `markdown ${show(page.severity)}, TOML ${show(rule.severity)}`);
  if (page.riskScore !== rule.riskScore) warn('risk score', 'risk score', `markdown ${show(page.riskScore)}, TOML ${show(rule.riskScore)}`);
  const mq = normaliseQuery(page.query?.text ?? null);
  const tq = normaliseQuery(rule.query);
  if (mq !== tq) warn('query', page.query ? 'rule query' : 'title', queryDifference(mq, tq));
  const ma = attackIds(page.threat).join(', ');
  const ta = attackIds(rule.threat).join(', ');
  if (ma !== ta) warn('ATT&CK ids', page.threat.length > 0 ? 'framework' : 'title', `markdown [${ma}], TOML [${ta}]`);
  return out;
}

function inferLanguage(type: Rule['type']): QueryLanguage | null {
  switch (type) {
    case 'eql':
      return 'eql';
    case 'esql':
      return 'esql';
    case 'machine_learning':
      return null;
    case 'query':
    case 'threshold':
    case 'new_terms':
    case 'threat_match':
      return 'kuery';
  }
}

/** A rule known only from markdown pages; null (with an error) when the newest page cannot make one. */
export function markdownOnlyRule(group: PageGroup, label: string, diagnostics: Diagnostic[]): Rule | null {
  const page = newest(group);
  const fail = (placeKey: string, message: string, code = 'markdown-missing-fact'): null => {
    diagnostics.push(diagnostic('error', code, page.path, page.places[placeKey] ?? page.places.title ?? null, `${message}: page not read as a rule`));
    return null;
  };
  const type = page.ruleType ?? '';
  if (!isRuleType(type)) return fail('rule type', `unknown rule type ${JSON.stringify(type)}`, 'unknown-rule-type');
  if (page.severity === null) return fail('title', 'no **Severity**');
  if (page.riskScore === null) return fail('title', 'no **Risk score**');
  const language = inferLanguage(type);
  const queryText = page.query?.text ?? null;
  if (language !== null && queryText === null) return fail('title', `no rule query (required for ${type} rules)`);
  const deprecated = /^deprecated\b/i.test(page.title);
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(page.otherFacts)) setOwn(extra, `markdown.${k}`, v);
  if (Object.keys(page.frontMatter).length > 0) setOwn(extra, 'markdown.front_matter', page.frontMatter);
  const base: RuleBase = {
    id: `md-${slugify(group.slug)}`,
    name: page.title,
    slug: '',
    source: label,
    files: [...group.pages].reverse().map((p) => p.path),
    type,
    language,
    query: queryText,
    querySource: null,
    maturity: deprecated ? 'deprecated' : 'production',
    deprecated,
    buildingBlock: page.tags.includes('Rule Type: BBR'),
    buildingBlockType: page.tags.includes('Rule Type: BBR') ? 'default' : null,
    severity: page.severity,
    riskScore: page.riskScore,
    description: page.description,
    author: page.authors,
    license: page.license,
    tags: page.tags,
    references: page.references ?? [],
    falsePositives: [],
    index: page.indices ?? [],
    dataView: null,
    from: page.from,
    interval: page.interval,
    maxSignals: page.maxSignals,
    enabled: null,
    note: page.investigationGuide,
    setup: page.setup,
    timestampOverride: null,
    eventCategoryOverride: null,
    tiebreakerField: null,
    ruleNameOverride: null,
    timelineId: null,
    timelineTitle: null,
    threat: page.threat,
    severityMapping: [],
    riskScoreMapping: [],
    filters: [],
    exceptionsList: [],
    alertSuppression: null,
    investigationFields: [],
    transform: null,
    integrations: [],
    creationDate: null,
    updatedDate: null,
    deprecationDate: null,
    deprecatedReason: null,
    minStackVersion: null,
    minStackComments: null,
    bypassBbrTiming: false,
    promotion: false,
    version: page.version,
    publishedVersion: page.version,
    versions: group.pages.map(versionOf),
    rawToml: null,
    span: page.titleSpan,
    extra,
  };
  if (language !== null && page.query) {
    base.querySource = { language, text: page.query.text, span: page.querySpan };
    if (page.query.table) base.querySource.offsetTable = page.query.table;
  }
  switch (type) {
    case 'eql':
      return { ...base, type, language: 'eql', query: queryText! };
    case 'esql':
      return { ...base, type, language: 'esql', query: queryText! };
    case 'query':
      return { ...base, type, language: 'kuery', query: queryText! };
    case 'threshold':
      return { ...base, type, language: 'kuery', query: queryText!, threshold: { fields: [], value: null, cardinality: [] } };
    case 'new_terms':
      return { ...base, type, language: 'kuery', query: queryText!, newTerms: { fields: [], historyWindowStart: null } };
    case 'machine_learning':
      return { ...base, type, language: null, query: null, querySource: null, machineLearning: { jobIds: [], anomalyThreshold: null } };
    case 'threat_match':
      return {
        ...base,
        type,
        language: 'kuery',
        query: queryText!,
        threatMatch: { index: [], query: null, querySource: null, language: null, indicatorPath: null, mappings: [], filters: [] },
      };
  }
}

/**
 * Merges markdown pages into the TOML rules (given in file order, ids already unique) and makes
 * markdown-only rules of the rest. Mutates the TOML rules it enriches.
 */
export function mergePages(tomlRules: Rule[], pages: readonly MarkdownPage[], etc: EtcData, label: string): MergeResult {
  const diagnostics: Diagnostic[] = [];
  const byName = new Map<string, Rule[]>();
  for (const r of tomlRules) {
    const k = nameKey(r.name);
    const list = byName.get(k);
    if (list) list.push(r);
    else byName.set(k, [r]);
  }
  // Non-deprecated first, then in file (reading) order: the sort is stable, and a later source
  // never takes an earlier source's pages.
  for (const list of byName.values()) list.sort((a, b) => Number(a.deprecated) - Number(b.deprecated));
  const byId = new Map(tomlRules.map((r) => [r.id, r]));
  const byPrevious = new Map<string, Rule>();
  for (const [id, entry] of Object.entries(etc.versionLock)) {
    const r = byId.get(id);
    if (!r) continue;
    for (const n of entry.previousNames) if (!byPrevious.has(nameKey(n))) byPrevious.set(nameKey(n), r);
  }

  const groups = groupPages(pages);
  const out: Rule[] = [...tomlRules];
  const enriched = new Set<Rule>();
  let markdownOnly = 0;
  for (const g of groups) {
    const latest = newest(g);
    const keys = [nameKey(latest.title), nameKey(g.slug), ...g.pages.map((p) => nameKey(p.title))];
    let rule: Rule | undefined;
    for (const k of keys) {
      rule = byName.get(k)?.[0];
      if (rule) break;
    }
    if (!rule) {
      for (const k of keys) {
        rule = byPrevious.get(k);
        if (rule) break;
      }
    }
    if (!rule) {
      const r = markdownOnlyRule(g, label, diagnostics);
      if (r) {
        out.push(r);
        markdownOnly++;
      }
      continue;
    }
    enriched.add(rule);
    rule.files.push(...[...g.pages].reverse().map((p) => p.path));
    rule.versions.push(...g.pages.map(versionOf));
    rule.versions.sort((a, b) =>
      a.packageVersion === b.packageVersion ? compareStrings(a.file, b.file) : a.packageVersion === null ? 1 : b.packageVersion === null ? -1 : compareVersions(a.packageVersion, b.packageVersion),
    );
    const current = rule.versions[rule.versions.length - 1];
    rule.publishedVersion = current?.version ?? null;
    diagnostics.push(...compareWithPage(rule, latest));
  }
  return { rules: out, diagnostics, merged: enriched.size, markdownOnly };
}
