/**
 * The analysis model: what Ruledex derives from a rule's query ASTs and settings, stored per rule
 * in the catalog JSON under `analysis`. Plain JSON data (no Maps, no classes), camelCase except
 * where the seed page's vocabulary is snake_case (`starts_with`, `new_terms`, …).
 *
 * - `stages`: one per independently evaluated part of the rule, each with its predicates (the
 *   leaf boolean conditions, with their place in the query text and a printed form).
 * - `indicators`: the positive predicates, grouped into rows `{ field, kind, values }`.
 * - `exclusions`: the predicates of the top-level `NOT(…)` conjuncts of each stage (and the
 *   negated `[[rule.filters]]`), same row shape.
 * - `scope`: predicates on the platform fields of `./scope.ts` (`host.os.type`, …), shown apart.
 *
 * Every row value carries `corpus`: how many rules of the catalog look for the same
 * (role, field, kind, value), letter case compared as the operators do (see
 * `src/catalog/corpus.ts`). `analyseRule` leaves it 0; `buildCorpusIndex` fills it in.
 */
import type { Loc } from '../model/span';
import type { QueryLanguage } from '../model/rule';

/**
 * How one value is matched. `eq` exact; `starts_with` / `ends_with` / `contains` a wildcard
 * pattern with `*` only at the end / start / both ends (the value is shown without the `*`s) or
 * the matching function; `wildcard` any other pattern (shown as written, `*` and `?`); `regex`;
 * `cidr` an address block (`cidrMatch`, `CIDR_MATCH`, or an exact value in CIDR notation, which matches
 * the block on an IP field); `range` a bound (`>= 1024`); `exists` the field has a value (value
 * `''`); `function` a computed predicate (a function call other than the four above, arithmetic,
 * a field compared with another field), whose value is the predicate's printed text.
 */
export const VALUE_KINDS = ['eq', 'wildcard', 'starts_with', 'ends_with', 'contains', 'regex', 'cidr', 'range', 'exists', 'function'] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];

/** A row's kind: a value kind, or `in` for a list of two or more exact values. */
export type RowKind = ValueKind | 'in';

/** Which text a predicate's `loc` points into. */
export type TextRef = 'query' | 'threat_query' | 'filters';

export interface PredicateValue {
  value: string;
  kind: ValueKind;
}

/**
 * Where a predicate ends up:
 * - `indicator`: positive (under an even number of negations), on a source field;
 * - `exclusion`: negated once inside a top-level NOT conjunct of its stage (a top-level `!=`,
 *   `not in`, `== null` or negated filter counts: each is `NOT(…)` of a positive predicate);
 * - `scope`: on a platform field (either polarity; see `excluded` on scope rows);
 * - `other`: none of these, with `reason`.
 */
export type PredicateRole = 'indicator' | 'exclusion' | 'scope' | 'other';

export type OtherReason =
  /** Negated, but not as a top-level conjunct (`a or not b`), or doubly negated inside an exclusion. */
  | 'nested_negation'
  /** ES|QL: tests a column computed by EVAL, GROK, DISSECT, RENAME, … not a source field. */
  | 'derived_field'
  /** ES|QL: after STATS (tests aggregated rows). */
  | 'after_aggregation'
  /** ES|QL: the `WHERE` of one aggregate (`COUNT(*) WHERE …`), which filters what it counts, not rows. */
  | 'aggregate_filter'
  /** Lucene: an optional (`should`) clause beside required ones; it does not restrict matches. */
  | 'optional'
  /** No field (KQL/Lucene free text): searches the default fields. */
  | 'no_field'
  /** In a missing-event term `![…]` of a sequence: the event must not occur. */
  | 'missing_event'
  /** In the `until` term of a sequence: the event ends the sequence. */
  | 'until';

export interface Predicate {
  /** The text `loc` points into. */
  in: TextRef;
  /** UTF-16 offsets into that text; null for filters and for derived predicates without a place. */
  loc: Loc | null;
  /** Canonical printed form (the language's printer; `event.category == "process"` for an EQL category). */
  text: string;
  /** The field tested; null for free text. */
  field: string | null;
  /** Every field the predicate reads (for `function`, all of them), sorted. */
  fields: string[];
  /** The values (any one matches); one for most predicates, several for lists. */
  values: PredicateValue[];
  /** Written as a list (`in (…)`, `f:(a or b)`, `: ("a", "b")`). */
  list: boolean;
  caseInsensitive: boolean;
  /** Under an odd number of negations (`not`, `!=`, `not in`, `== null`, `negate = true`). */
  negated: boolean;
  role: PredicateRole;
  reason?: OtherReason;
  /** Index of the top-level conjunct of the stage's condition this predicate belongs to. */
  conjunct: number;
  /** For `in: 'filters'`: index of the filter in `[[rule.filters]]` (or `threat_filters`). */
  filter?: number;
  /** Derived from the EQL event category (`process where`) rather than written as a comparison. */
  implicit?: boolean;
}

interface StageCommon {
  /** 0-based position in `stages`. */
  index: number;
  /** The text the stage's `loc` points into. */
  in: TextRef;
  /** The stage's span in that text (the bracketed term of a sequence, the WHERE command, …). */
  loc: Loc | null;
  predicates: Predicate[];
  /** Every field the stage reads (predicates, join keys, aggregation fields), sorted. */
  fields: string[];
}

/** A KQL or Lucene query of a `query` rule. */
export interface QueryStage extends StageCommon {
  kind: 'query';
  language: QueryLanguage;
}
/** An EQL event query (`process where …`). `category` null for `any`. */
export interface EventStage extends StageCommon {
  kind: 'event';
  category: string | null;
  /** The field the category tests (`event.category`, or the rule's `event_category_override`). */
  categoryField: string;
}
/** One bracketed term of an EQL sequence. */
export interface SequenceStage extends StageCommon {
  kind: 'sequence';
  /** 0-based position among the sequence's terms. */
  position: number;
  category: string | null;
  categoryField: string;
  /** The sequence's own join keys (`sequence by …`), printed. */
  sequenceBy: string[];
  /** This term's join keys (`[…] by …`), printed. */
  by: string[];
  /** `with maxspan=…` of the sequence, as written (`5m`), or null. */
  maxspan: string | null;
  maxspanMillis: number | null;
  /** `with runs=N`, or null. */
  runs: number | null;
  /** A missing-event term `![…]`. */
  missing: boolean;
}
/** The `until` term of a sequence. */
export interface UntilStage extends StageCommon {
  kind: 'until';
  category: string | null;
  categoryField: string;
  sequenceBy: string[];
  by: string[];
}
/** One bracketed term of an EQL sample. */
export interface SampleStage extends StageCommon {
  kind: 'sample';
  position: number;
  category: string | null;
  categoryField: string;
  sampleBy: string[];
  by: string[];
}
export interface NewTermsStage extends StageCommon {
  kind: 'new_terms';
  language: QueryLanguage;
  newTermsFields: string[];
  historyWindowStart: string | null;
}
export interface ThresholdStage extends StageCommon {
  kind: 'threshold';
  language: QueryLanguage;
  /** Group-by fields (may be empty: one group). */
  thresholdFields: string[];
  value: number | null;
  cardinality: { field: string; value: number }[];
}
export interface ThreatMatchStage extends StageCommon {
  kind: 'threat_match';
  language: QueryLanguage;
  /** `threat_index`. */
  indices: string[];
  indicatorPath: string | null;
  /** `threat_mapping`: groups are ORed, entries of a group ANDed. */
  mappings: { field: string; type: string; value: string }[][];
}
/** The query (and `threat_filters`) run against the threat indices of a threat_match rule. */
export interface ThreatQueryStage extends StageCommon {
  kind: 'threat_query';
  language: QueryLanguage | null;
  indices: string[];
}
export interface MachineLearningStage extends StageCommon {
  kind: 'machine_learning';
  jobIds: string[];
  anomalyThreshold: number | null;
}
/** A pipeline step of an ES|QL query that filters or aggregates. */
export interface EsqlStage extends StageCommon {
  kind: 'esql';
  command: 'where' | 'stats' | 'inline_stats';
  /** 0-based index of the command in the pipeline (0 is FROM). */
  position: number;
  /** Comes after a STATS (its predicates test aggregated rows). */
  afterAggregation: boolean;
  /** STATS: the aggregates (`name = expression`) and group keys, printed. */
  aggregates: string[];
  groupBy: string[];
}
/** `[[rule.filters]]`: Kibana filters ANDed with the query. */
export interface FiltersStage extends StageCommon {
  kind: 'filters';
}

export type AnalysisStage =
  | QueryStage
  | EventStage
  | SequenceStage
  | UntilStage
  | SampleStage
  | NewTermsStage
  | ThresholdStage
  | ThreatMatchStage
  | ThreatQueryStage
  | MachineLearningStage
  | EsqlStage
  | FiltersStage;

export type StageKind = AnalysisStage['kind'];

export interface RowValue {
  value: string;
  /** Rules in the catalog looking for the same (role, field, kind, value), this one included; 0 until counted. */
  corpus: number;
}

/** A predicate a row came from: `stages[stage].predicates[predicate]`. */
export interface PredicateRef {
  stage: number;
  predicate: number;
}

export interface AnalysisRow {
  field: string;
  kind: RowKind;
  /** Sorted (UTF-16 code units); one value except for `in` and same-kind lists. */
  values: RowValue[];
  caseInsensitive: boolean;
  /** Stages the row occurs in, ascending. */
  stages: number[];
  refs: PredicateRef[];
}

export interface ScopeRow extends AnalysisRow {
  /** The scope is excluded (`not host.os.type:windows`) rather than required. */
  excluded: boolean;
}

export interface RuleAnalysis {
  stages: AnalysisStage[];
  indicators: AnalysisRow[];
  exclusions: AnalysisRow[];
  scope: ScopeRow[];
}

/** Which table a corpus key belongs to: positive (indicators, included scope) or excluded. */
export type KeyRole = 'indicator' | 'exclusion';
