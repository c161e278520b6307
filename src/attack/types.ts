/**
 * The ATT&CK index: what the catalog knows about MITRE ATT&CK, either read from a STIX 2.1
 * bundle in MITRE's format (`stix.ts`) or gathered from the rules' own `threat` blocks
 * (`from-rules.ts`). Pure data; lookups through the maps built by `makeIndex`.
 */
import type { Rule } from '../model/rule';

/** `active`: current; `revoked`: replaced by another object (`revoked-by`); `deprecated`: withdrawn. */
export type AttackStatus = 'active' | 'revoked' | 'deprecated';

export interface AttackTactic {
  /** `TA0005`. */
  id: string;
  /** `defense-evasion`: the kill-chain phase name techniques use, and the Navigator's tactic key. */
  shortname: string;
  name: string;
  url: string | null;
}

export interface AttackTechnique {
  /** `T1059` or `T1059.001`. */
  id: string;
  name: string;
  url: string | null;
  subtechnique: boolean;
  /** The parent technique of a sub-technique (`T1059` for `T1059.001`), else null. */
  parentId: string | null;
  /** Tactic ids (`TA0002`) the technique belongs to, in matrix order. */
  tactics: string[];
  /** `x_mitre_platforms` (empty when the source has none, as rules do). */
  platforms: string[];
  status: AttackStatus;
  /** For a revoked object, the ATT&CK id that replaces it (its `revoked-by` target). */
  replacedBy: string | null;
  /** STIX id (`attack-pattern--…`), null for an index built from rules. */
  stixId: string | null;
}

/** An old id and the id that replaces it, from STIX `revoked-by` or detection-rules' redirect file. */
export interface AttackRedirect {
  from: string;
  to: string;
  source: 'stix' | 'detection-rules';
}

export interface AttackIndex {
  /** Where the index came from: a STIX bundle, or the rules' own threat blocks. */
  origin: 'stix' | 'rules';
  /** Navigator domain (`enterprise-attack`). */
  domain: string;
  /** ATT&CK version (`17.1`), when the source says it. */
  version: string | null;
  /** Matrix name (`Enterprise ATT&CK`), when there is one. */
  matrix: string | null;
  /** Tactics in matrix order. */
  tactics: AttackTactic[];
  /** Every technique and sub-technique, revoked and deprecated ones included, sorted by id. */
  techniques: AttackTechnique[];
  tacticById: ReadonlyMap<string, AttackTactic>;
  tacticByShortname: ReadonlyMap<string, AttackTactic>;
  techniqueById: ReadonlyMap<string, AttackTechnique>;
  /** Old id → replacement, keyed by the old id. */
  redirects: ReadonlyMap<string, AttackRedirect>;
}

/** The rule fields the ATT&CK checks read. */
export type AttackCheckRule = Pick<Rule, 'id' | 'name' | 'threat'> & Partial<Pick<Rule, 'files' | 'span' | 'rawToml'>>;

/** The rule fields coverage reads. */
export type CoverageRule = Pick<Rule, 'id' | 'name' | 'slug' | 'threat' | 'maturity' | 'deprecated' | 'buildingBlock' | 'severity'>;

/** The rule fields facets (OS, integration, rule type) read. */
export type FacetRule = Pick<Rule, 'tags' | 'integrations' | 'type'>;

/** The rule fields an index built from rules reads. */
export type IndexRule = Pick<Rule, 'threat'>;
