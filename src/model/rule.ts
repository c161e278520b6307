/**
 * The rule model: one typed record per detection rule, whatever its sources (TOML, markdown
 * pages, or both). A union on `type`, so that type-specific settings (threshold fields,
 * new-terms fields, ML job ids, threat-match mappings) can only be read off the right kind.
 *
 * Names are camelCase; this shape is the public JSON API (`catalog.json`), so fields are only
 * ever added, never renamed.
 */
import type { SourceSpan } from './span';

export const RULE_TYPES = ['eql', 'query', 'esql', 'threshold', 'new_terms', 'machine_learning', 'threat_match'] as const;
export type RuleType = (typeof RULE_TYPES)[number];

export const QUERY_LANGUAGES = ['eql', 'kuery', 'lucene', 'esql'] as const;
export type QueryLanguage = (typeof QUERY_LANGUAGES)[number];

export type Maturity = 'production' | 'development' | 'experimental' | 'deprecated' | (string & {});
export type RuleSeverity = 'low' | 'medium' | 'high' | 'critical' | (string & {});

export interface AttackRef {
  id: string;
  name: string;
  reference: string;
}
export interface ThreatTechnique extends AttackRef {
  subtechniques: AttackRef[];
}
export interface ThreatEntry {
  framework: string;
  tactic: AttackRef;
  techniques: ThreatTechnique[];
}

/** A query string and where it sits in its host file. */
export interface RuleQuery {
  language: QueryLanguage;
  text: string;
  /** Where the string value starts and ends in the rule's file (TOML or markdown code block). */
  span: SourceSpan | null;
  /** Host offsets for each decoded character, when the value was a TOML basic string with escapes. */
  offsetTable?: number[];
}

/** One version of the rule as a published markdown page says it (package version pages). */
export interface RuleVersion {
  /** Rule version number (`**Version**: 107`), when the page gives it. */
  version: number | null;
  /** Prebuilt-rules package version of a downloadable-update page (`8.17.4`), null for the current page. */
  packageVersion: string | null;
  file: string;
  name: string;
  /** The query as that page shows it, to diff versions. */
  query: string | null;
}

export interface KibanaFilter {
  negate: boolean;
  disabled: boolean;
  /** The filter's query (`query.wildcard`, `query.match_phrase`, `exists`, …) as plain data. */
  query: Record<string, unknown> | null;
  exists: { field: string } | null;
  meta: Record<string, unknown>;
  /** Kibana's `$state` (`{ store = "appState" }`), kept as data; null when absent. */
  state: Record<string, unknown> | null;
}

export interface SeverityMapping {
  field: string;
  operator: string;
  value: string;
  severity: string;
}
export interface RiskScoreMapping {
  field: string;
  operator: string;
  value: string;
}
export interface AlertSuppression {
  groupBy: string[];
  duration: { value: number; unit: string } | null;
  missingFieldsStrategy: string | null;
}
export interface ExceptionListRef {
  id: string;
  listId: string;
  namespaceType: string;
  type: string;
}
export interface ThreatMappingEntry {
  field: string;
  type: string;
  value: string;
}

/** Fields every rule has, whatever its type. */
export interface RuleBase {
  /** `rule_id`. */
  id: string;
  name: string;
  /** Safe path segment derived from the name, unique in the catalog. */
  slug: string;
  /** Label of the source the rule came from (`elastic`). */
  source: string;
  /** Every file that describes this rule: the TOML first, then markdown pages. */
  files: string[];
  type: RuleType;
  language: QueryLanguage | null;
  query: string | null;
  querySource: RuleQuery | null;
  maturity: Maturity;
  deprecated: boolean;
  buildingBlock: boolean;
  buildingBlockType: string | null;
  severity: RuleSeverity;
  riskScore: number;
  description: string;
  author: string[];
  license: string | null;
  tags: string[];
  references: string[];
  falsePositives: string[];
  index: string[];
  dataView: string | null;
  /** `from` (look-back), e.g. `now-9m`. */
  from: string | null;
  /** `interval`, e.g. `5m`. */
  interval: string | null;
  maxSignals: number | null;
  enabled: boolean | null;
  note: string | null;
  setup: string | null;
  timestampOverride: string | null;
  eventCategoryOverride: string | null;
  tiebreakerField: string | null;
  ruleNameOverride: string | null;
  timelineId: string | null;
  timelineTitle: string | null;
  threat: ThreatEntry[];
  severityMapping: SeverityMapping[];
  riskScoreMapping: RiskScoreMapping[];
  filters: KibanaFilter[];
  exceptionsList: ExceptionListRef[];
  alertSuppression: AlertSuppression | null;
  investigationFields: string[];
  /** `[transform]` (investigate and osquery providers), kept as plain data. */
  transform: Record<string, unknown> | null;
  /** `[metadata]` facts. */
  integrations: string[];
  creationDate: string | null;
  updatedDate: string | null;
  deprecationDate: string | null;
  deprecatedReason: string | null;
  minStackVersion: string | null;
  minStackComments: string | null;
  bypassBbrTiming: boolean;
  promotion: boolean;
  /**
   * The rule's version: the detection-rules version lock's when it has the rule, else the one the
   * newest markdown page publishes; null when neither does.
   */
  version: number | null;
  /** The version the newest markdown page publishes (`**Version**`), null without pages. */
  publishedVersion: number | null;
  /** Published versions, one per markdown page (current page and package-version pages). */
  versions: RuleVersion[];
  /** Raw text of the TOML file ("Rule body" on pages), null for markdown-only rules. */
  rawToml: string | null;
  /** Where the rule is declared: the TOML `rule_id`, or the markdown title. */
  span: SourceSpan | null;
  /** Every key the sources had that the model does not name, kept so nothing is lost. */
  extra: Record<string, unknown>;
}

export interface QueryRule extends RuleBase {
  type: 'query';
  language: 'kuery' | 'lucene';
  query: string;
}
export interface EqlRule extends RuleBase {
  type: 'eql';
  language: 'eql';
  query: string;
}
export interface EsqlRule extends RuleBase {
  type: 'esql';
  language: 'esql';
  query: string;
}
export interface ThresholdRule extends RuleBase {
  type: 'threshold';
  language: 'kuery' | 'lucene';
  query: string;
  /** `value` is null only for rules known from markdown pages alone (pages do not show threshold settings). */
  threshold: { fields: string[]; value: number | null; cardinality: { field: string; value: number }[] };
}
export interface NewTermsRule extends RuleBase {
  type: 'new_terms';
  language: 'kuery' | 'lucene';
  query: string;
  newTerms: { fields: string[]; historyWindowStart: string | null };
}
export interface MachineLearningRule extends RuleBase {
  type: 'machine_learning';
  language: null;
  query: null;
  machineLearning: { jobIds: string[]; anomalyThreshold: number | null };
}
export interface ThreatMatchRule extends RuleBase {
  type: 'threat_match';
  language: 'kuery' | 'lucene';
  query: string;
  threatMatch: {
    index: string[];
    query: string | null;
    querySource: RuleQuery | null;
    language: QueryLanguage | null;
    indicatorPath: string | null;
    mappings: { entries: ThreatMappingEntry[] }[];
    filters: KibanaFilter[];
  };
}

export type Rule = QueryRule | EqlRule | EsqlRule | ThresholdRule | NewTermsRule | MachineLearningRule | ThreatMatchRule;

export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`);
}

export function isRuleType(s: string): s is RuleType {
  return (RULE_TYPES as readonly string[]).includes(s);
}
export function isQueryLanguage(s: string): s is QueryLanguage {
  return (QUERY_LANGUAGES as readonly string[]).includes(s);
}
