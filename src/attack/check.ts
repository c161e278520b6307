/**
 * Checks the rules' `threat` blocks against the loaded ATT&CK:
 *
 * | code                          | when |
 * |---|---|
 * | `attack-malformed-id`         | a tactic id that is not `TA####`, a technique id not `T####[.###]` (error) |
 * | `attack-unknown-tactic`       | a tactic the loaded ATT&CK lacks |
 * | `attack-unknown-technique`    | a technique or sub-technique the loaded bundle lacks (newer than it, or a typo) |
 * | `attack-revoked-technique`    | an id that is revoked / redirected (STIX `revoked-by`, detection-rules' redirect file), with its replacement |
 * | `attack-deprecated-technique` | an id the bundle marks deprecated |
 * | `attack-name-mismatch`        | a name that disagrees with the bundle's |
 * | `attack-name-conflict`        | a name that disagrees with the one most rules give the same id (when no bundle is authoritative for it) |
 * | `attack-tactic-mismatch`      | a technique filed under a tactic the bundle does not put it in |
 * | `attack-subtechnique-parent`  | a sub-technique listed under a technique that is not its parent |
 * | `attack-other-framework`      | a threat entry of a framework other than MITRE ATT&CK (info; skipped) |
 *
 * Diagnostics are placed with the `locate` callback (the `id` or `name` line in the rule's
 * TOML), else at the rule's span, in the rule's first file.
 */
import { compareDiagnostics, diagnostic, type Diagnostic, type Located, type Severity } from '../model/diagnostic';
import { isAttackFramework, isSubtechniqueId, isTacticId, isTechniqueId, parentIdOf, resolveTechnique } from './ids';
import type { ThreatLocator, ThreatPath } from './locate';
import type { AttackCheckRule, AttackIndex } from './types';

export interface CheckOptions<R extends AttackCheckRule> {
  locate?: ThreatLocator<R>;
}

/** One id that rules name differently: each name with the rules that use it, most used first. */
export interface NameConflict {
  kind: 'tactic' | 'technique';
  id: string;
  names: { name: string; rules: string[] }[];
}

interface Occurrence<R> {
  rule: R;
  path: ThreatPath;
  kind: 'tactic' | 'technique';
  id: string;
  name: string;
}

function* occurrences<R extends AttackCheckRule>(rule: R): Generator<Occurrence<R>> {
  for (let i = 0; i < rule.threat.length; i++) {
    const entry = rule.threat[i];
    if (!entry || !isAttackFramework(entry.framework)) continue;
    yield { rule, path: { threat: i, field: 'name' }, kind: 'tactic', id: entry.tactic.id, name: entry.tactic.name };
    for (let j = 0; j < entry.techniques.length; j++) {
      const tech = entry.techniques[j];
      if (!tech) continue;
      yield { rule, path: { threat: i, technique: j, field: 'name' }, kind: 'technique', id: tech.id, name: tech.name };
      for (let k = 0; k < tech.subtechniques.length; k++) {
        const sub = tech.subtechniques[k];
        if (sub) yield { rule, path: { threat: i, technique: j, subtechnique: k, field: 'name' }, kind: 'technique', id: sub.id, name: sub.name };
      }
    }
  }
}

/** Ids that rules give two or more names, each rule counted once per (id, name). */
export function findNameConflicts(rules: readonly AttackCheckRule[]): NameConflict[] {
  const byId = new Map<string, { kind: 'tactic' | 'technique'; names: Map<string, Set<string>> }>();
  for (const rule of rules) {
    for (const o of occurrences(rule)) {
      const key = `${o.kind}\0${o.id}`;
      let e = byId.get(key);
      if (!e) byId.set(key, (e = { kind: o.kind, names: new Map() }));
      let set = e.names.get(o.name);
      if (!set) e.names.set(o.name, (set = new Set()));
      set.add(rule.id);
    }
  }
  const out: NameConflict[] = [];
  for (const [key, e] of byId) {
    if (e.names.size < 2) continue;
    const names = [...e.names]
      .map(([name, ids]) => ({ name, rules: [...ids].sort() }))
      .sort((a, b) => b.rules.length - a.rules.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    out.push({ kind: e.kind, id: key.slice(key.indexOf('\0') + 1), names });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function checkRules<R extends AttackCheckRule>(rules: readonly R[], index: AttackIndex, options: CheckOptions<R> = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const bundle = index.origin === 'stix';
  const label = bundle ? `ATT&CK${index.version ? ` ${index.version}` : ''}` : 'the rules\' ATT&CK';

  const emit = (rule: R, path: ThreatPath, severity: Severity, code: string, message: string): void => {
    const file = rule.span?.file ?? rule.files?.[0] ?? `rule ${rule.id}`;
    const where: Located | null = options.locate?.(rule, path) ?? (rule.span ? { line: rule.span.start.line, column: rule.span.start.column } : null);
    out.push(diagnostic(severity, code, file, where, message, rule.id));
  };
  const describe = (id: string): string => {
    const t = index.techniqueById.get(id);
    return t && t.name !== id ? `${id} (${t.name})` : id;
  };

  for (const rule of rules) {
    rule.threat.forEach((entry, i) => {
      if (!isAttackFramework(entry.framework)) {
        emit(rule, { threat: i, field: 'id' }, 'info', 'attack-other-framework', `threat framework ${JSON.stringify(entry.framework)} is not MITRE ATT&CK; the entry is not counted`);
        return;
      }
      const tacticId = entry.tactic.id;
      const tactic = index.tacticById.get(tacticId);
      if (!isTacticId(tacticId)) {
        emit(rule, { threat: i, field: 'id' }, 'error', 'attack-malformed-id', `tactic id ${JSON.stringify(tacticId)} is not of the form TA####`);
      } else if (!tactic) {
        emit(rule, { threat: i, field: 'id' }, 'warning', 'attack-unknown-tactic', `tactic ${tacticId} (${entry.tactic.name}) is not in ${label}`);
      } else if (bundle && tactic.name !== entry.tactic.name) {
        emit(rule, { threat: i, field: 'name' }, 'warning', 'attack-name-mismatch', `tactic ${tacticId} is named ${JSON.stringify(entry.tactic.name)} here but ${JSON.stringify(tactic.name)} in ${label}`);
      }

      const checkTechnique = (id: string, name: string, path: ThreatPath): void => {
        if (!isTechniqueId(id)) {
          emit(rule, { ...path, field: 'id' }, 'error', 'attack-malformed-id', `technique id ${JSON.stringify(id)} is not of the form T#### or T####.###`);
          return;
        }
        const declared = index.techniqueById.get(id);
        const r = resolveTechnique(index, id);
        if (r.chain.length > 0) {
          const via = r.chain
            .slice(0, -1)
            .map((from) => index.redirects.get(from)?.source ?? 'stix')
            .map((s) => (s === 'stix' ? `${label} revoked-by` : 'detection-rules redirects'));
          const sources = [...new Set(via)].join(' and ');
          emit(rule, { ...path, field: 'id' }, 'warning', 'attack-revoked-technique', `${describe(id)} is revoked; replaced by ${describe(r.id)}${r.chain.length > 2 ? ` (via ${r.chain.slice(1, -1).join(' → ')})` : ''} per ${sources}`);
        } else if (declared && declared.status === 'deprecated') {
          emit(rule, { ...path, field: 'id' }, 'warning', 'attack-deprecated-technique', `${describe(id)} is deprecated in ${label}`);
        } else if (declared && declared.status === 'revoked') {
          emit(rule, { ...path, field: 'id' }, 'warning', 'attack-revoked-technique', `${describe(id)} is revoked in ${label}, with no replacement given`);
        } else if (!declared && bundle) {
          emit(rule, { ...path, field: 'id' }, 'warning', 'attack-unknown-technique', `${id} (${name}) is not in ${label}: newer than the loaded ATT&CK, or a typo`);
        }
        if (bundle && declared && declared.name !== name) {
          emit(rule, { ...path, field: 'name' }, 'warning', 'attack-name-mismatch', `${id} is named ${JSON.stringify(name)} here but ${JSON.stringify(declared.name)} in ${label}`);
        }
        const current = r.technique;
        if (bundle && tactic && current && current.status === 'active' && current.tactics.length > 0 && !current.tactics.includes(tacticId)) {
          const homes = current.tactics.map((t) => `${t} ${index.tacticById.get(t)?.name ?? ''}`.trim()).join(', ');
          emit(rule, { ...path, field: 'id' }, 'warning', 'attack-tactic-mismatch', `${describe(current.id)} is filed under ${tacticId} ${tactic.name}, but ${label} puts it under ${homes}`);
        }
      };

      entry.techniques.forEach((tech, j) => {
        checkTechnique(tech.id, tech.name, { threat: i, technique: j, field: 'id' });
        if (isSubtechniqueId(tech.id)) {
          emit(rule, { threat: i, technique: j, field: 'id' }, 'warning', 'attack-subtechnique-parent', `${tech.id} is a sub-technique listed as a technique; list it under ${parentIdOf(tech.id)}`);
        }
        tech.subtechniques.forEach((sub, k) => {
          const path: ThreatPath = { threat: i, technique: j, subtechnique: k, field: 'id' };
          checkTechnique(sub.id, sub.name, path);
          if (isTechniqueId(sub.id) && parentIdOf(sub.id) !== tech.id) {
            emit(rule, path, 'warning', 'attack-subtechnique-parent', isSubtechniqueId(sub.id) ? `sub-technique ${sub.id} is listed under ${tech.id}, not its parent ${parentIdOf(sub.id)}` : `${sub.id} is a technique listed as a sub-technique of ${tech.id}`);
          }
        });
      });
    });
  }

  // Names that disagree between rules, for ids no bundle is authoritative for.
  const authoritative = (kind: 'tactic' | 'technique', id: string): boolean => bundle && (kind === 'tactic' ? index.tacticById.has(id) : index.techniqueById.has(id));
  const conflicts = new Map<string, NameConflict>();
  for (const c of findNameConflicts(rules)) if (!authoritative(c.kind, c.id)) conflicts.set(`${c.kind}\0${c.id}`, c);
  if (conflicts.size > 0) {
    for (const rule of rules) {
      for (const o of occurrences(rule)) {
        const c = conflicts.get(`${o.kind}\0${o.id}`);
        const top = c?.names[0];
        if (!c || !top || top.name === o.name) continue;
        const mine = c.names.find((n) => n.name === o.name)?.rules.length ?? 0;
        emit(rule, o.path, 'warning', 'attack-name-conflict', `${o.kind === 'tactic' ? 'tactic ' : ''}${o.id} is named ${JSON.stringify(o.name)} here (${plural(mine, 'rule')}) but ${JSON.stringify(top.name)} in ${plural(top.rules.length, 'rule')}`);
      }
    }
  }
  return out.sort(compareDiagnostics);
}
