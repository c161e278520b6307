/**
 * An `AttackIndex` gathered from the rules' own `threat` blocks, for when no STIX bundle is
 * loaded: every tactic, technique and sub-technique some rule names, with the name and
 * reference URL most rules give (ties: the alphabetically first), and a technique's tactics
 * being those rules file it under. The tactic order is the enterprise matrix's
 * (`ENTERPRISE_TACTICS`, all 14 always listed), then any other tactic id by id.
 */
import { ENTERPRISE_TACTICS, compareIds, isAttackFramework, isTacticId, isTechniqueId, makeIndex, parentIdOf, tacticShortname, tacticUrl, techniqueUrl } from './ids';
import type { AttackIndex, AttackTactic, AttackTechnique, IndexRule } from './types';

/** Counts values, then picks the most frequent (ties: smallest in code-unit order). */
class Tally {
  private readonly counts = new Map<string, number>();
  add(v: string): void {
    if (v.trim() === '') return;
    this.counts.set(v, (this.counts.get(v) ?? 0) + 1);
  }
  best(): string | null {
    let best: string | null = null;
    let n = 0;
    for (const [v, c] of this.counts) {
      if (c > n || (c === n && best !== null && v < best)) {
        best = v;
        n = c;
      }
    }
    return best;
  }
}

interface Seen {
  names: Tally;
  urls: Tally;
  tactics: Set<string>;
}

export function indexFromRules(rules: readonly IndexRule[]): AttackIndex {
  const tactics = new Map<string, { names: Tally; urls: Tally }>();
  const techniques = new Map<string, Seen>();
  const see = (id: string, name: string, url: string, tacticId: string | null): void => {
    let s = techniques.get(id);
    if (!s) techniques.set(id, (s = { names: new Tally(), urls: new Tally(), tactics: new Set() }));
    s.names.add(name);
    s.urls.add(url);
    if (tacticId !== null) s.tactics.add(tacticId);
  };
  for (const rule of rules) {
    // A rule counts once per (id, name): ten entries in one rule do not outvote ten rules.
    const once = new Set<string>();
    const first = (key: string): boolean => (once.has(key) ? false : (once.add(key), true));
    for (const entry of rule.threat) {
      if (!isAttackFramework(entry.framework)) continue;
      const tid = entry.tactic.id;
      const tacticOk = isTacticId(tid);
      if (tacticOk && first(`${tid}\0${entry.tactic.name}\0${entry.tactic.reference}`)) {
        let t = tactics.get(tid);
        if (!t) tactics.set(tid, (t = { names: new Tally(), urls: new Tally() }));
        t.names.add(entry.tactic.name);
        t.urls.add(entry.tactic.reference);
      }
      for (const tech of entry.techniques) {
        if (isTechniqueId(tech.id)) {
          if (first(`${tech.id}\0${tech.name}\0${tech.reference}`)) see(tech.id, tech.name, tech.reference, null);
          if (tacticOk) techniques.get(tech.id)?.tactics.add(tid);
        }
        for (const sub of tech.subtechniques) {
          if (!isTechniqueId(sub.id)) continue;
          if (first(`${sub.id}\0${sub.name}\0${sub.reference}`)) see(sub.id, sub.name, sub.reference, null);
          if (tacticOk) techniques.get(sub.id)?.tactics.add(tid);
        }
      }
    }
  }

  const known = new Set(ENTERPRISE_TACTICS.map((t) => t.id));
  const tacticList: AttackTactic[] = ENTERPRISE_TACTICS.map((t) => {
    const seen = tactics.get(t.id);
    return { ...t, name: seen?.names.best() ?? t.name, url: seen?.urls.best() ?? t.url };
  });
  for (const id of [...tactics.keys()].filter((id) => !known.has(id)).sort(compareIds)) {
    const seen = tactics.get(id);
    const name = seen?.names.best() ?? id;
    tacticList.push({ id, shortname: tacticShortname(name), name, url: seen?.urls.best() ?? tacticUrl(id) });
  }

  const techniqueList: AttackTechnique[] = [...techniques].map(([id, s]) => ({
    id,
    name: s.names.best() ?? id,
    url: s.urls.best() ?? techniqueUrl(id),
    subtechnique: id.includes('.'),
    parentId: parentIdOf(id),
    tactics: [...s.tactics],
    platforms: [],
    status: 'active',
    replacedBy: null,
    stixId: null,
  }));
  return makeIndex({ origin: 'rules', version: null, matrix: null, tactics: tacticList, techniques: techniqueList });
}
