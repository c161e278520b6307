/**
 * ATT&CK coverage: for each tactic, technique and sub-technique, the rules that cover it, with
 * production, building-block, deprecated and other (development, experimental) rules counted
 * apart and the severity mix; against the index, the techniques no rule covers.
 *
 * - A rule covers a tactic when one of its MITRE ATT&CK threat entries names it, and covers a
 *   technique (or sub-technique) under a tactic when that entry lists it. A rule counts once per
 *   tactic, once per technique, once per (technique, tactic) pair.
 * - Declared ids go through the index's redirects (`resolveTechnique`): a rule naming a revoked
 *   id covers its replacement.
 * - Per tactic, `techniques` / `subtechniques` count the index's active techniques that belong to
 *   the tactic (their kill-chain phases, or for a rules-built index the tactics rules file them
 *   under): `covered` = some rule files that id under that tactic. Ids rules file under a tactic
 *   the index does not put them in, or that the index lacks, are listed apart (`outside`).
 */
import { ATTACK_FRAMEWORK, compareIds, isAttackFramework, isTacticId, isTechniqueId, parentIdOf, resolveTechnique, tacticShortname } from './ids';
import type { AttackIndex, CoverageRule } from './types';

export type RuleStatus = 'production' | 'buildingBlock' | 'deprecated' | 'other';

export interface CoveringRule {
  id: string;
  name: string;
  slug: string;
  severity: string;
  status: RuleStatus;
}

export interface CoverageCounts {
  rules: number;
  production: number;
  buildingBlock: number;
  deprecated: number;
  /** Rules of another maturity (development, experimental). */
  other: number;
  /** Rules per severity: `low`, `medium`, `high`, `critical` first, then others by name. */
  severity: Record<string, number>;
}

export interface TechniqueCoverage {
  id: string;
  name: string;
  subtechnique: boolean;
  parentId: string | null;
  /** Whether the index has this id (a bundle may not know a newer technique). */
  known: boolean;
  /** Every rule covering it, whatever the tactic, sorted by name then id. */
  rules: CoveringRule[];
  counts: CoverageCounts;
  /** The tactics rules file it under (matrix order), each with its own rules. */
  byTactic: { tacticId: string; rules: CoveringRule[]; counts: CoverageCounts }[];
  /** Ids rules declared that resolved here through a redirect. */
  redirectedFrom: string[];
}

export interface TacticTally {
  /** Active techniques of the index that belong to the tactic. */
  total: number;
  covered: number;
  uncovered: string[];
}

export interface TacticCoverage {
  id: string;
  name: string;
  shortname: string;
  known: boolean;
  /** Rules with a threat entry for this tactic. */
  rules: CoveringRule[];
  counts: CoverageCounts;
  techniques: TacticTally;
  subtechniques: TacticTally;
  /** Ids rules file under this tactic that the index lacks or does not place in it. */
  outside: string[];
}

export interface Coverage {
  framework: typeof ATTACK_FRAMEWORK;
  indexOrigin: AttackIndex['origin'];
  attackVersion: string | null;
  /** Tactics in matrix order, then tactics only rules name (by id). */
  tactics: TacticCoverage[];
  /** Covered techniques and sub-techniques, by id. */
  techniques: TechniqueCoverage[];
  /** Active techniques and sub-techniques of the index no rule covers, by id. */
  uncovered: { id: string; name: string; subtechnique: boolean; tactics: string[] }[];
  /** Rules with at least one MITRE ATT&CK threat entry. */
  mappedRules: number;
  /** Rules without one, sorted by name. */
  unmappedRules: CoveringRule[];
  totals: {
    rules: number;
    tactics: number;
    techniques: number;
    subtechniques: number;
    /** Of the index's active techniques / sub-techniques, how many some rule covers. */
    indexTechniques: number;
    indexSubtechniques: number;
    coveredIndexTechniques: number;
    coveredIndexSubtechniques: number;
  };
}

export interface CoverageOptions {
  /** Follow redirects (default true); false counts the ids exactly as declared. */
  resolveRedirects?: boolean;
}

const SEVERITY_ORDER = ['low', 'medium', 'high', 'critical'];

export function ruleStatus(rule: Pick<CoverageRule, 'maturity' | 'deprecated' | 'buildingBlock'>): RuleStatus {
  if (rule.deprecated || rule.maturity === 'deprecated') return 'deprecated';
  if (rule.buildingBlock) return 'buildingBlock';
  if (rule.maturity === 'production') return 'production';
  return 'other';
}

export function coveringRule(rule: CoverageRule): CoveringRule {
  return { id: rule.id, name: rule.name, slug: rule.slug, severity: rule.severity, status: ruleStatus(rule) };
}

function compareRules(a: CoveringRule, b: CoveringRule): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : compareIds(a.id, b.id);
}

export function countRules(rules: readonly CoveringRule[]): CoverageCounts {
  const c: CoverageCounts = { rules: rules.length, production: 0, buildingBlock: 0, deprecated: 0, other: 0, severity: {} };
  const sev = new Map<string, number>();
  for (const r of rules) {
    c[r.status]++;
    sev.set(r.severity, (sev.get(r.severity) ?? 0) + 1);
  }
  const keys = [...sev.keys()].sort((a, b) => {
    const ia = SEVERITY_ORDER.indexOf(a), ib = SEVERITY_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || (a < b ? -1 : a > b ? 1 : 0);
  });
  for (const k of keys) c.severity[k] = sev.get(k) ?? 0;
  return c;
}

class RuleSet {
  private readonly byId = new Map<string, CoveringRule>();
  add(r: CoveringRule): void {
    if (!this.byId.has(r.id)) this.byId.set(r.id, r);
  }
  list(): CoveringRule[] {
    return [...this.byId.values()].sort(compareRules);
  }
}

export function computeCoverage(rules: readonly CoverageRule[], index: AttackIndex, options: CoverageOptions = {}): Coverage {
  const resolve = options.resolveRedirects !== false;
  const tacticRules = new Map<string, RuleSet>();
  const techRules = new Map<string, RuleSet>();
  const pairRules = new Map<string, Map<string, RuleSet>>();
  const redirected = new Map<string, Set<string>>();
  const tacticNames = new Map<string, string>();
  const unmapped: CoveringRule[] = [];
  let mapped = 0;

  const get = <K, V>(m: Map<K, V>, k: K, make: () => V): V => {
    let v = m.get(k);
    if (v === undefined) m.set(k, (v = make()));
    return v;
  };
  const canonical = (id: string): string => {
    if (!resolve) return id;
    const r = resolveTechnique(index, id);
    if (r.chain.length > 0) get(redirected, r.id, () => new Set()).add(id);
    return r.id;
  };

  for (const rule of rules) {
    const ref = coveringRule(rule);
    let any = false;
    for (const entry of rule.threat) {
      if (!isAttackFramework(entry.framework)) continue;
      any = true;
      const tid = entry.tactic.id;
      const tacticOk = isTacticId(tid);
      if (tacticOk) {
        get(tacticRules, tid, () => new RuleSet()).add(ref);
        if (!tacticNames.has(tid)) tacticNames.set(tid, entry.tactic.name);
      }
      const cover = (declared: string): void => {
        if (!isTechniqueId(declared)) return;
        const id = canonical(declared);
        get(techRules, id, () => new RuleSet()).add(ref);
        if (tacticOk) get(get(pairRules, id, () => new Map()), tid, () => new RuleSet()).add(ref);
      };
      for (const tech of entry.techniques) {
        cover(tech.id);
        for (const sub of tech.subtechniques) cover(sub.id);
      }
    }
    if (any) mapped++;
    else unmapped.push(ref);
  }

  // Tactic order: the index's, then tactics only rules name.
  const tacticOrder = index.tactics.map((t) => t.id);
  for (const id of [...tacticRules.keys()].sort(compareIds)) if (!tacticOrder.includes(id)) tacticOrder.push(id);
  const rank = new Map(tacticOrder.map((id, i) => [id, i] as const));

  const techniques: TechniqueCoverage[] = [...techRules.keys()].sort(compareIds).map((id) => {
    const t = index.techniqueById.get(id);
    const list = techRules.get(id)?.list() ?? [];
    const pairs = [...(pairRules.get(id) ?? new Map<string, RuleSet>())]
      .sort((a, b) => (rank.get(a[0]) ?? 0) - (rank.get(b[0]) ?? 0))
      .map(([tacticId, set]) => {
        const rs = set.list();
        return { tacticId, rules: rs, counts: countRules(rs) };
      });
    return {
      id,
      name: t?.name ?? id,
      subtechnique: t?.subtechnique ?? id.includes('.'),
      parentId: t?.parentId ?? parentIdOf(id),
      known: t !== undefined,
      rules: list,
      counts: countRules(list),
      byTactic: pairs,
      redirectedFrom: [...(redirected.get(id) ?? [])].sort(compareIds),
    };
  });

  const active = index.techniques.filter((t) => t.status === 'active');
  const tactics: TacticCoverage[] = tacticOrder.map((tid) => {
    const t = index.tacticById.get(tid);
    const list = tacticRules.get(tid)?.list() ?? [];
    const tally = (sub: boolean): TacticTally => {
      const members = active.filter((x) => x.subtechnique === sub && x.tactics.includes(tid));
      const uncovered = members.filter((x) => !pairRules.get(x.id)?.has(tid)).map((x) => x.id);
      return { total: members.length, covered: members.length - uncovered.length, uncovered };
    };
    const outside = [...pairRules]
      .filter(([id, m]) => {
        if (!m.has(tid)) return false;
        const x = index.techniqueById.get(id);
        return !x || x.status !== 'active' || !x.tactics.includes(tid);
      })
      .map(([id]) => id)
      .sort(compareIds);
    const name = t?.name ?? tacticNames.get(tid) ?? tid;
    return {
      id: tid,
      name,
      shortname: t?.shortname ?? tacticShortname(name),
      known: t !== undefined,
      rules: list,
      counts: countRules(list),
      techniques: tally(false),
      subtechniques: tally(true),
      outside,
    };
  });

  const uncovered = active
    .filter((t) => !techRules.has(t.id))
    .map((t) => ({ id: t.id, name: t.name, subtechnique: t.subtechnique, tactics: [...t.tactics] }));
  const coveredActive = active.filter((t) => techRules.has(t.id));

  return {
    framework: ATTACK_FRAMEWORK,
    indexOrigin: index.origin,
    attackVersion: index.version,
    tactics,
    techniques,
    uncovered,
    mappedRules: mapped,
    unmappedRules: unmapped.sort(compareRules),
    totals: {
      rules: rules.length,
      tactics: tacticRules.size,
      techniques: techniques.filter((t) => !t.subtechnique).length,
      subtechniques: techniques.filter((t) => t.subtechnique).length,
      indexTechniques: active.filter((t) => !t.subtechnique).length,
      indexSubtechniques: active.filter((t) => t.subtechnique).length,
      coveredIndexTechniques: coveredActive.filter((t) => !t.subtechnique).length,
      coveredIndexSubtechniques: coveredActive.filter((t) => t.subtechnique).length,
    },
  };
}
