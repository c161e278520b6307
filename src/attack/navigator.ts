/**
 * ATT&CK Navigator layers (layer file format 4.5, mitre-attack/attack-navigator
 * `layers/spec/v4.5/layerformat.md`): one per (technique, tactic) pair rules declare, scored by
 * the number of rules, the rule names in the comment, a link to the technique's catalog page,
 * the production / building-block / severity mix as metadata. Output is deterministic: no dates,
 * techniques sorted by id then matrix tactic order, keys in a fixed order.
 */
import { computeCoverage, countRules, type CoveringRule, type Coverage, type CoverageCounts } from './coverage';
import { FACETS, facetCounts, facetKey, filterRules, type Facet } from './facets';
import type { AttackIndex, CoverageRule, FacetRule } from './types';

/** Layer file format this module writes. */
export const LAYER_FORMAT_VERSION = '4.5';
/** Navigator version written in `versions.navigator` (the format requires ≥ 4.9.0; the v4.5 spec's example says 5.2.0). */
export const NAVIGATOR_VERSION = '5.2.0';

export type NavigatorMetadata = { name: string; value: string } | { divider: true };
export type NavigatorLink = { label: string; url: string } | { divider: true };

export interface NavigatorTechnique {
  techniqueID: string;
  tactic?: string;
  score: number;
  comment: string;
  enabled: boolean;
  metadata: NavigatorMetadata[];
  links: NavigatorLink[];
  showSubtechniques: boolean;
}

export interface NavigatorLayer {
  name: string;
  versions: { attack?: string; navigator: string; layer: string };
  domain: string;
  description: string;
  filters?: { platforms: string[] };
  sorting: number;
  layout: {
    layout: 'side' | 'flat' | 'mini';
    aggregateFunction: 'average' | 'min' | 'max' | 'sum';
    showID: boolean;
    showName: boolean;
    showAggregateScores: boolean;
    countUnscored: boolean;
    expandedSubtechniques: 'none' | 'all' | 'annotated';
  };
  hideDisabled: boolean;
  techniques: NavigatorTechnique[];
  gradient: { colors: string[]; minValue: number; maxValue: number };
  legendItems: { label: string; color: string }[];
  showTacticRowBackground: boolean;
  tacticRowBackground: string;
  selectTechniquesAcrossTactics: boolean;
  selectSubtechniquesWithParent: boolean;
  selectVisibleTechniques: boolean;
  metadata: NavigatorMetadata[];
  links: NavigatorLink[];
}

export interface LayerOptions {
  name: string;
  description?: string;
  /** The catalog page of a technique: `(techniqueId) => url`. Must be absolute (`https://…`) for the Navigator to open it. */
  techniqueUrl: (techniqueId: string) => string;
  /** Count deprecated rules too (default false: they no longer run). */
  includeDeprecated?: boolean;
  /** List at most this many rule names in a comment (default: all). */
  maxCommentRules?: number;
  navigatorVersion?: string;
  /** `filters.platforms` (e.g. `["Windows"]` for an OS layer). */
  platforms?: string[];
  /** Extra layer metadata, after the generated entries. */
  metadata?: { name: string; value: string }[];
  /** Domain (default: the index's, via the coverage; `enterprise-attack`). */
  domain?: string;
}

/** Gradient from white (score 0) to dark green (the top score). */
export const GRADIENT_COLORS = ['#ffffff', '#a1d99b', '#238b45'];

function countedRules(rules: readonly CoveringRule[], includeDeprecated: boolean): CoveringRule[] {
  return includeDeprecated ? [...rules] : rules.filter((r) => r.status !== 'deprecated');
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

function severityText(c: CoverageCounts): string {
  return Object.entries(c.severity)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

export function buildLayer(coverage: Coverage, options: LayerOptions): NavigatorLayer {
  const includeDeprecated = options.includeDeprecated === true;
  const max = options.maxCommentRules ?? Number.POSITIVE_INFINITY;
  const shortnames = new Map(coverage.tactics.map((t) => [t.id, t.shortname] as const));
  const tacticRank = new Map(coverage.tactics.map((t, i) => [t.id, i] as const));
  const entries: NavigatorTechnique[] = [];
  const covered = new Set<string>();

  for (const t of coverage.techniques) {
    const pairs = [...t.byTactic].sort((a, b) => (tacticRank.get(a.tacticId) ?? 0) - (tacticRank.get(b.tacticId) ?? 0));
    for (const pair of pairs) {
      const rules = countedRules(pair.rules, includeDeprecated);
      if (rules.length === 0) continue;
      covered.add(t.id);
      const names = rules.slice(0, Number.isFinite(max) ? Math.max(0, max) : rules.length).map((r) => r.name);
      const more = rules.length - names.length;
      const lines = [`${plural(rules.length, 'rule')}:`, ...names.map((n) => `- ${n}`)];
      if (more > 0) lines.push(`… and ${more} more`);
      const c = countRules(rules);
      const metadata: NavigatorMetadata[] = [
        { name: 'Rules', value: String(c.rules) },
        { name: 'Production', value: String(c.production) },
        { name: 'Building block', value: String(c.buildingBlock) },
      ];
      if (c.other > 0) metadata.push({ name: 'Other maturity', value: String(c.other) });
      if (includeDeprecated) metadata.push({ name: 'Deprecated', value: String(c.deprecated) });
      else if (pair.counts.deprecated > 0) metadata.push({ name: 'Deprecated (not counted)', value: String(pair.counts.deprecated) });
      metadata.push({ name: 'Severity', value: severityText(c) });
      const entry: NavigatorTechnique = {
        techniqueID: t.id,
        score: rules.length,
        comment: lines.join('\n'),
        enabled: true,
        metadata,
        links: [{ label: `${t.id} ${t.name} in the catalog`, url: options.techniqueUrl(t.id) }],
        showSubtechniques: false,
      };
      const shortname = shortnames.get(pair.tacticId);
      if (shortname !== undefined) entry.tactic = shortname;
      entries.push(reorder(entry));
    }
  }
  // Open the technique cells whose sub-techniques carry annotations.
  const parentsOfCovered = new Set([...covered].filter((id) => id.includes('.')).map((id) => id.slice(0, id.indexOf('.'))));
  for (const e of entries) if (parentsOfCovered.has(e.techniqueID)) e.showSubtechniques = true;
  entries.sort((a, b) => (a.techniqueID < b.techniqueID ? -1 : a.techniqueID > b.techniqueID ? 1 : 0) || (tacticRankOf(a, coverage) - tacticRankOf(b, coverage)));

  const top = entries.reduce((m, e) => Math.max(m, e.score), 0);
  const maxValue = Math.max(1, top);
  const ruleCount = new Set(coverage.techniques.flatMap((t) => countedRules(t.rules, includeDeprecated).map((r) => r.id))).size;
  const versions: NavigatorLayer['versions'] = { navigator: options.navigatorVersion ?? NAVIGATOR_VERSION, layer: LAYER_FORMAT_VERSION };
  const major = coverage.attackVersion?.split('.')[0];
  const layerVersions = major ? { attack: major, ...versions } : versions;

  const layer: NavigatorLayer = {
    name: options.name,
    versions: layerVersions,
    domain: options.domain ?? 'enterprise-attack',
    description: options.description ?? `Detection rules per ATT&CK technique: score = number of ${includeDeprecated ? '' : 'non-deprecated '}rules.`,
    sorting: 3,
    layout: {
      layout: 'side',
      aggregateFunction: 'sum',
      showID: true,
      showName: true,
      showAggregateScores: false,
      countUnscored: false,
      expandedSubtechniques: 'annotated',
    },
    hideDisabled: false,
    techniques: entries,
    gradient: { colors: [...GRADIENT_COLORS], minValue: 0, maxValue },
    legendItems: [
      { label: plural(1, 'rule'), color: GRADIENT_COLORS[1] as string },
      { label: plural(maxValue, 'rule'), color: GRADIENT_COLORS[2] as string },
    ],
    showTacticRowBackground: false,
    tacticRowBackground: '#dddddd',
    selectTechniquesAcrossTactics: true,
    selectSubtechniquesWithParent: false,
    selectVisibleTechniques: false,
    metadata: [
      { name: 'Generator', value: 'ruledex' },
      { name: 'Rules', value: String(ruleCount) },
      { name: 'Techniques covered', value: String(covered.size) },
      { name: 'ATT&CK', value: coverage.indexOrigin === 'stix' ? `STIX bundle ${coverage.attackVersion ?? '(version not stated)'}` : 'from the rules\' threat mappings' },
      ...(options.metadata ?? []),
    ],
    links: [],
  };
  if (options.platforms && options.platforms.length > 0) {
    // Key order: filters sits after description, as in the format's example.
    return reorderLayer({ ...layer, filters: { platforms: [...options.platforms] } });
  }
  return layer;
}

function tacticRankOf(e: NavigatorTechnique, coverage: Coverage): number {
  const i = coverage.tactics.findIndex((t) => t.shortname === e.tactic);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}

/** Puts `tactic` right after `techniqueID`, the format's own order. */
function reorder(e: NavigatorTechnique): NavigatorTechnique {
  const { techniqueID, tactic, ...rest } = e;
  return tactic === undefined ? { techniqueID, ...rest } : { techniqueID, tactic, ...rest };
}
function reorderLayer(l: NavigatorLayer): NavigatorLayer {
  const { name, versions, domain, description, filters, ...rest } = l;
  return filters ? { name, versions, domain, description, filters, ...rest } : { name, versions, domain, description, ...rest };
}

/** Navigator platform names for `OS: X` tag values. */
const OS_PLATFORMS: Record<string, string> = { windows: 'Windows', linux: 'Linux', macos: 'macOS' };

export interface LayerFile {
  /** `all`, or `os-windows`, `integration-aws`, `type-eql`. */
  key: string;
  facet: Facet | null;
  value: string | null;
  /** Rules in this slice (mapped or not). */
  rules: number;
  layer: NavigatorLayer;
}

export interface CatalogLayerOptions extends Omit<LayerOptions, 'name' | 'platforms' | 'description'> {
  /** Layer names start with it (default `Ruledex`). */
  title?: string;
  /** Facets to split by (default all). */
  facets?: readonly Facet[];
}

const FACET_LABEL: Record<Facet, string> = { os: 'OS', integration: 'integration', type: 'rule type' };

/** The whole catalog's layer, then one per facet value (facets in `FACETS` order, values by rule count). */
export function catalogLayers(rules: readonly (CoverageRule & FacetRule)[], index: AttackIndex, options: CatalogLayerOptions): LayerFile[] {
  const { title = 'Ruledex', facets = FACETS, ...layerOptions } = options;
  const out: LayerFile[] = [];
  const all = computeCoverage(rules, index);
  out.push({ key: 'all', facet: null, value: null, rules: rules.length, layer: buildLayer(all, { ...layerOptions, name: `${title}: all rules` }) });
  for (const facet of facets) {
    for (const { value } of facetCounts(rules, facet)) {
      const subset = filterRules(rules, [{ facet, value }]);
      const coverage = computeCoverage(subset, index);
      const platform = facet === 'os' ? OS_PLATFORMS[value.toLowerCase()] : undefined;
      const layer = buildLayer(coverage, {
        ...layerOptions,
        name: `${title}: ${FACET_LABEL[facet]} ${value}`,
        description: `Detection rules with ${FACET_LABEL[facet]} ${value}, per ATT&CK technique: score = number of ${options.includeDeprecated ? '' : 'non-deprecated '}rules.`,
        ...(platform ? { platforms: [platform] } : {}),
      });
      out.push({ key: facetKey(facet, value), facet, value, rules: subset.length, layer });
    }
  }
  return out;
}
