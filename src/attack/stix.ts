/**
 * Reads a STIX 2.1 bundle in MITRE's own format (`enterprise-attack.json` from
 * mitre-attack/attack-stix-data, or the older STIX 2.0 file from mitre/cti) into an
 * `AttackIndex`:
 *
 * - `x-mitre-matrix`: `tactic_refs` gives the tactic order;
 * - `x-mitre-tactic`: ATT&CK id (`external_references[source_name=mitre-attack].external_id`),
 *   `x_mitre_shortname`, `name`;
 * - `attack-pattern`: id, name, `x_mitre_is_subtechnique`, `kill_chain_phases` (phase names are
 *   tactic shortnames), `x_mitre_platforms`, url; `revoked` and `x_mitre_deprecated` flags;
 * - `relationship`: `revoked-by` (old → replacement) and `subtechnique-of` (checked against ids);
 * - `x-mitre-collection.x_mitre_version` (or the bundle's `x_attack_version`): the ATT&CK version.
 *
 * Every other object type (groups, software, mitigations, data sources…) is ignored. Malformed
 * input yields diagnostics, never an exception.
 */
import { diagnostic, type Diagnostic, type Severity } from '../model/diagnostic';
import { ENTERPRISE_DOMAIN, ENTERPRISE_TACTICS, compareIds, isTacticId, isTechniqueId, makeIndex, parentIdOf } from './ids';
import type { AttackIndex, AttackRedirect, AttackStatus, AttackTactic, AttackTechnique } from './types';

export interface StixReadOptions {
  /** Name of the bundle file, for diagnostics. */
  file: string;
}

export interface StixReadResult {
  /** Null when the input is not a STIX bundle at all. */
  index: AttackIndex | null;
  diagnostics: Diagnostic[];
}

/** What each object type counted, for reports (`ruledex attack` prints it). */
export interface StixCounts {
  objects: number;
  tactics: number;
  techniques: number;
  subtechniques: number;
  revoked: number;
  deprecated: number;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

const ATTACK_SOURCES = new Set(['mitre-attack', 'mitre-mobile-attack', 'mitre-ics-attack']);

/** The `mitre-attack` external reference of an object (id and url). */
function attackRef(o: Obj): { id: string; url: string | null } | null {
  const refs = o.external_references;
  if (!Array.isArray(refs)) return null;
  for (const r of refs) {
    if (!isObj(r)) continue;
    const source = str(r.source_name);
    if (source === null || !ATTACK_SOURCES.has(source)) continue;
    const id = str(r.external_id);
    if (id === null) continue;
    return { id, url: str(r.url) };
  }
  return null;
}

function statusOf(o: Obj): AttackStatus {
  if (o.revoked === true) return 'revoked';
  if (o.x_mitre_deprecated === true) return 'deprecated';
  return 'active';
}

/** Parses JSON text, then reads it as a bundle. */
export function readStixText(text: string, options: StixReadOptions): StixReadResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return { index: null, diagnostics: [diagnostic('error', 'attack-bundle-json', options.file, null, `not JSON: ${reason}`)] };
  }
  return readStixBundle(json, options);
}

/** Reads a parsed STIX bundle. */
export function readStixBundle(json: unknown, options: StixReadOptions): StixReadResult {
  const diagnostics: Diagnostic[] = [];
  const report = (severity: Severity, code: string, message: string): void => {
    diagnostics.push(diagnostic(severity, code, options.file, null, message));
  };

  if (!isObj(json) || json.type !== 'bundle' || !Array.isArray(json.objects)) {
    const what = !isObj(json) ? (Array.isArray(json) ? 'an array' : typeof json) : json.type !== 'bundle' ? `an object of type ${JSON.stringify(json.type ?? null)}` : 'a bundle without an `objects` array';
    report('error', 'attack-bundle-invalid', `not a STIX bundle: expected {"type": "bundle", "objects": [...]}, found ${what}`);
    return { index: null, diagnostics };
  }
  const objects = json.objects as unknown[];

  const tacticObjs: Obj[] = [];
  const patternObjs: Obj[] = [];
  const matrices: Obj[] = [];
  const relationships: Obj[] = [];
  let version: string | null = str(json.x_attack_version);
  let malformed = 0;
  let firstMalformed = -1;
  objects.forEach((o, i) => {
    if (!isObj(o) || typeof o.type !== 'string' || typeof o.id !== 'string') {
      malformed++;
      if (firstMalformed < 0) firstMalformed = i;
      return;
    }
    switch (o.type) {
      case 'x-mitre-tactic':
        tacticObjs.push(o);
        break;
      case 'attack-pattern':
        patternObjs.push(o);
        break;
      case 'x-mitre-matrix':
        matrices.push(o);
        break;
      case 'relationship':
        relationships.push(o);
        break;
      case 'x-mitre-collection':
        version = str(o.x_mitre_version) ?? version;
        break;
      default:
        break;
    }
  });
  if (malformed > 0) {
    report('warning', 'attack-object-invalid', `${malformed} object(s) lack a string \`type\` or \`id\` and were skipped (first at objects[${firstMalformed}])`);
  }

  // Tactics.
  const tacticByStix = new Map<string, AttackTactic>();
  const tacticByShort = new Map<string, AttackTactic>();
  const retiredTactics = new Set<string>();
  for (const o of tacticObjs) {
    const ref = attackRef(o);
    const name = str(o.name);
    const shortname = str(o.x_mitre_shortname);
    const stixId = o.id as string;
    if (ref === null || !isTacticId(ref.id) || name === null || shortname === null) {
      const missing = [ref === null ? 'a mitre-attack external id' : !isTacticId(ref.id) ? `a TA id (found ${ref.id})` : null, name === null ? 'name' : null, shortname === null ? 'x_mitre_shortname' : null].filter((x) => x !== null);
      report('warning', 'attack-tactic-invalid', `tactic ${stixId} lacks ${missing.join(', ')}; skipped`);
      continue;
    }
    if (statusOf(o) !== 'active') {
      retiredTactics.add(stixId);
      continue;
    }
    const tactic: AttackTactic = { id: ref.id, shortname, name, url: ref.url };
    tacticByStix.set(stixId, tactic);
    if (tacticByShort.has(shortname)) report('warning', 'attack-duplicate-id', `two tactics have the shortname ${shortname}; the first is kept`);
    else tacticByShort.set(shortname, tactic);
  }

  // Matrix: tactic order.
  let matrixName: string | null = null;
  const ordered: AttackTactic[] = [];
  const liveMatrices = matrices.filter((m) => statusOf(m) === 'active');
  const matrix = liveMatrices.find((m) => attackRef(m)?.id === ENTERPRISE_DOMAIN) ?? liveMatrices[0] ?? null;
  if (liveMatrices.length > 1) {
    report('info', 'attack-matrix-several', `${liveMatrices.length} matrices; the tactic order comes from ${JSON.stringify(matrix?.name ?? '')}`);
  }
  let domain = ENTERPRISE_DOMAIN;
  if (matrix) {
    matrixName = str(matrix.name);
    const matrixId = attackRef(matrix)?.id;
    if (matrixId !== undefined && /^[a-z]+-attack$/.test(matrixId)) domain = matrixId;
    const refs = Array.isArray(matrix.tactic_refs) ? matrix.tactic_refs : [];
    if (!Array.isArray(matrix.tactic_refs)) report('warning', 'attack-matrix-invalid', `matrix ${String(matrix.id)} has no tactic_refs array`);
    for (const r of refs) {
      const t = typeof r === 'string' ? tacticByStix.get(r) : undefined;
      if (t) {
        if (!ordered.includes(t)) ordered.push(t);
      } else if (!(typeof r === 'string' && retiredTactics.has(r))) {
        report('warning', 'attack-dangling-ref', `matrix tactic_refs names ${JSON.stringify(r)}, which is not a tactic in the bundle`);
      }
    }
  } else {
    report('warning', 'attack-matrix-missing', 'no x-mitre-matrix object: tactics are ordered as in the enterprise matrix, then by id');
  }
  const rest = [...tacticByStix.values()].filter((t) => !ordered.includes(t));
  if (matrix && rest.length > 0) {
    report('info', 'attack-tactic-unordered', `tactics not in the matrix: ${rest.map((t) => t.id).join(', ')}; listed after it`);
  }
  const fallbackRank = new Map(ENTERPRISE_TACTICS.map((t, i) => [t.id, i] as const));
  rest.sort((a, b) => (fallbackRank.get(a.id) ?? 99) - (fallbackRank.get(b.id) ?? 99) || compareIds(a.id, b.id));
  const tactics = [...ordered, ...rest];

  // Techniques and sub-techniques.
  const byStix = new Map<string, AttackTechnique>();
  const byId = new Map<string, AttackTechnique>();
  const invalid: string[] = [];
  const unknownPhases = new Map<string, string[]>();
  for (const o of patternObjs) {
    const stixId = o.id as string;
    const ref = attackRef(o);
    const name = str(o.name);
    const status = statusOf(o);
    if (ref === null || !isTechniqueId(ref.id) || name === null) {
      // MITRE's bundle has a few attack-patterns without an ATT&CK id only among retired objects.
      if (status === 'active') invalid.push(`${stixId} (${ref === null ? 'no mitre-attack external id' : !isTechniqueId(ref.id) ? `id ${ref.id}` : 'no name'})`);
      continue;
    }
    const idIsSub = ref.id.includes('.');
    const flag = o.x_mitre_is_subtechnique;
    if (typeof flag === 'boolean' && flag !== idIsSub && status === 'active') {
      report('warning', 'attack-subtechnique-flag', `${ref.id}: x_mitre_is_subtechnique is ${flag} but the id says ${idIsSub ? 'sub-technique' : 'technique'}; the id wins`);
    }
    const tacticIds: string[] = [];
    const phases = Array.isArray(o.kill_chain_phases) ? o.kill_chain_phases : [];
    for (const p of phases) {
      if (!isObj(p)) continue;
      const chain = str(p.kill_chain_name);
      const phase = str(p.phase_name);
      if (phase === null || (chain !== null && !chain.startsWith('mitre-'))) continue;
      const t = tacticByShort.get(phase);
      if (t) {
        if (!tacticIds.includes(t.id)) tacticIds.push(t.id);
      } else if (status === 'active') {
        unknownPhases.set(phase, [...(unknownPhases.get(phase) ?? []), ref.id]);
      }
    }
    const platforms = Array.isArray(o.x_mitre_platforms) ? o.x_mitre_platforms.filter((p): p is string => typeof p === 'string') : [];
    const technique: AttackTechnique = {
      id: ref.id,
      name,
      url: ref.url,
      subtechnique: idIsSub,
      parentId: parentIdOf(ref.id),
      tactics: tacticIds,
      platforms,
      status,
      replacedBy: null,
      stixId,
    };
    byStix.set(stixId, technique);
    const prior = byId.get(ref.id);
    if (!prior) byId.set(ref.id, technique);
    else if (prior.status !== 'active' && status === 'active') byId.set(ref.id, technique);
    else if (prior.status === 'active' && status === 'active') {
      report('warning', 'attack-duplicate-id', `${ref.id} is the id of two active attack-patterns (${prior.stixId}, ${stixId}); the first is kept`);
    }
  }
  if (invalid.length > 0) {
    report('warning', 'attack-technique-invalid', `${invalid.length} attack-pattern(s) skipped: ${invalid.slice(0, 5).join('; ')}${invalid.length > 5 ? '; …' : ''}`);
  }
  for (const [phase, ids] of [...unknownPhases].sort((a, b) => compareIds(a[0], b[0]))) {
    report('warning', 'attack-unknown-phase', `kill-chain phase ${JSON.stringify(phase)} is not a tactic shortname (${ids.length} technique(s), e.g. ${ids[0] ?? ''})`);
  }

  // Relationships.
  const redirects: AttackRedirect[] = [];
  let dangling = 0;
  for (const r of relationships) {
    if (statusOf(r) !== 'active') continue;
    const kind = str(r.relationship_type);
    if (kind !== 'revoked-by' && kind !== 'subtechnique-of') continue;
    const source = str(r.source_ref);
    const target = str(r.target_ref);
    if (source === null || target === null) {
      report('warning', 'attack-relationship-invalid', `relationship ${String(r.id)} lacks source_ref or target_ref`);
      continue;
    }
    if (!source.startsWith('attack-pattern--')) continue;
    const from = byStix.get(source);
    const to = byStix.get(target);
    if (!from || !to) {
      dangling++;
      continue;
    }
    if (kind === 'revoked-by') {
      from.replacedBy = to.id;
      if (from.id !== to.id) redirects.push({ from: from.id, to: to.id, source: 'stix' });
    } else if (from.status === 'active' && from.parentId !== to.id) {
      report('warning', 'attack-subtechnique-parent', `${from.id} is a subtechnique-of ${to.id}, but its id names ${from.parentId ?? 'no parent'}`);
    }
  }
  if (dangling > 0) report('info', 'attack-dangling-ref', `${dangling} revoked-by/subtechnique-of relationship(s) name attack-patterns the bundle lacks`);
  const orphans = [...byStix.values()].filter((t) => t.status === 'revoked' && t.replacedBy === null).map((t) => `${t.id} (${t.name})`);
  if (orphans.length > 0) {
    report('info', 'attack-revoked-no-replacement', `${orphans.length} revoked attack-pattern(s) without a revoked-by relationship: ${orphans.slice(0, 5).join(', ')}${orphans.length > 5 ? ', …' : ''}`);
  }

  if (tactics.length === 0) report('error', 'attack-bundle-empty', 'the bundle has no usable x-mitre-tactic objects');
  if (byId.size === 0) report('error', 'attack-bundle-empty', 'the bundle has no usable attack-pattern objects');

  const index = makeIndex({ origin: 'stix', domain, version, matrix: matrixName, tactics, techniques: [...byId.values()], redirects });
  return { index, diagnostics };
}

export function stixCounts(index: AttackIndex): StixCounts {
  const active = index.techniques.filter((t) => t.status === 'active');
  return {
    objects: index.techniques.length,
    tactics: index.tactics.length,
    techniques: active.filter((t) => !t.subtechnique).length,
    subtechniques: active.filter((t) => t.subtechnique).length,
    revoked: index.techniques.filter((t) => t.status === 'revoked').length,
    deprecated: index.techniques.filter((t) => t.status === 'deprecated').length,
  };
}
