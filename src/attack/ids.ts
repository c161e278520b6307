/**
 * ATT&CK identifiers, the enterprise tactic order used when no bundle gives one, and the
 * constructor that builds an `AttackIndex`'s lookup maps.
 */
import type { AttackIndex, AttackRedirect, AttackTactic, AttackTechnique } from './types';

export const TECHNIQUE_ID = /^T\d{4}(?:\.\d{3})?$/;
export const TACTIC_ID = /^TA\d{4}$/;

export function isTechniqueId(s: string): boolean {
  return TECHNIQUE_ID.test(s);
}
export function isTacticId(s: string): boolean {
  return TACTIC_ID.test(s);
}
export function isSubtechniqueId(s: string): boolean {
  return TECHNIQUE_ID.test(s) && s.includes('.');
}
/** `T1059` for `T1059.001`; null for a technique id. */
export function parentIdOf(id: string): string | null {
  const dot = id.indexOf('.');
  return dot < 0 ? null : id.slice(0, dot);
}

/** The framework value Elastic's rules use; other frameworks (none in the corpus) are skipped. */
export const ATTACK_FRAMEWORK = 'MITRE ATT&CK';
export function isAttackFramework(framework: string): boolean {
  return framework.trim().toLowerCase() === ATTACK_FRAMEWORK.toLowerCase();
}

/**
 * The 14 enterprise tactics in the matrix's order (ATT&CK v17 `x-mitre-matrix` `tactic_refs`),
 * the order Elastic's rule pages and coverage views use. Used when no bundle is loaded.
 */
export const ENTERPRISE_TACTICS: readonly AttackTactic[] = [
  ['TA0043', 'reconnaissance', 'Reconnaissance'],
  ['TA0042', 'resource-development', 'Resource Development'],
  ['TA0001', 'initial-access', 'Initial Access'],
  ['TA0002', 'execution', 'Execution'],
  ['TA0003', 'persistence', 'Persistence'],
  ['TA0004', 'privilege-escalation', 'Privilege Escalation'],
  ['TA0005', 'defense-evasion', 'Defense Evasion'],
  ['TA0006', 'credential-access', 'Credential Access'],
  ['TA0007', 'discovery', 'Discovery'],
  ['TA0008', 'lateral-movement', 'Lateral Movement'],
  ['TA0009', 'collection', 'Collection'],
  ['TA0011', 'command-and-control', 'Command and Control'],
  ['TA0010', 'exfiltration', 'Exfiltration'],
  ['TA0040', 'impact', 'Impact'],
].map(([id, shortname, name]) => ({ id: id as string, shortname: shortname as string, name: name as string, url: tacticUrl(id as string) }));

export const ENTERPRISE_DOMAIN = 'enterprise-attack';

/** `Command and Control` → `command-and-control` (ATT&CK's shortname rule). */
export function tacticShortname(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function tacticUrl(id: string): string {
  return `https://attack.mitre.org/tactics/${id}/`;
}
/** `https://attack.mitre.org/techniques/T1059/001/` for `T1059.001`. */
export function techniqueUrl(id: string): string {
  return `https://attack.mitre.org/techniques/${id.replace('.', '/')}/`;
}

/** Plain code-unit order: `T1001` < `T1001.001` < `T1002` (ids have fixed-width digits). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface IndexParts {
  origin: AttackIndex['origin'];
  domain?: string;
  version?: string | null;
  matrix?: string | null;
  tactics: AttackTactic[];
  techniques: AttackTechnique[];
  redirects?: Iterable<AttackRedirect>;
}

/** Builds the index and its maps; techniques are sorted by id, each one's tactics by matrix order. */
export function makeIndex(parts: IndexParts): AttackIndex {
  const tacticById = new Map<string, AttackTactic>();
  const tacticByShortname = new Map<string, AttackTactic>();
  for (const t of parts.tactics) {
    if (!tacticById.has(t.id)) tacticById.set(t.id, t);
    if (!tacticByShortname.has(t.shortname)) tacticByShortname.set(t.shortname, t);
  }
  const order = new Map(parts.tactics.map((t, i) => [t.id, i] as const));
  const rank = (id: string): number => order.get(id) ?? Number.MAX_SAFE_INTEGER;
  const techniques = parts.techniques
    .map((t) => ({ ...t, tactics: [...t.tactics].sort((a, b) => rank(a) - rank(b) || compareIds(a, b)) }))
    .sort((a, b) => compareIds(a.id, b.id));
  const techniqueById = new Map<string, AttackTechnique>();
  for (const t of techniques) if (!techniqueById.has(t.id)) techniqueById.set(t.id, t);
  const redirects = new Map<string, AttackRedirect>();
  for (const r of parts.redirects ?? []) if (!redirects.has(r.from)) redirects.set(r.from, r);
  return {
    origin: parts.origin,
    domain: parts.domain ?? ENTERPRISE_DOMAIN,
    version: parts.version ?? null,
    matrix: parts.matrix ?? null,
    tactics: [...parts.tactics],
    techniques,
    tacticById,
    tacticByShortname,
    techniqueById,
    redirects,
  };
}

export interface Resolution {
  /** The id to count coverage under: the end of the redirect chain, or the id itself. */
  id: string;
  /** The ids passed through, the declared one first, when a redirect applied (else empty). */
  chain: string[];
  /** The technique at `id`, when the index has it. */
  technique: AttackTechnique | null;
}

/**
 * Follows redirects (detection-rules' file and STIX `revoked-by`) from a declared id to the id
 * that replaces it. An id the index holds as active is never redirected. Cycles stop.
 */
export function resolveTechnique(index: AttackIndex, id: string): Resolution {
  let current = id;
  const chain: string[] = [];
  const seen = new Set<string>();
  for (;;) {
    const t = index.techniqueById.get(current);
    if (t && t.status === 'active') break;
    const next = index.redirects.get(current)?.to ?? t?.replacedBy ?? null;
    if (next === null || seen.has(next) || next === current) break;
    seen.add(current);
    chain.push(current);
    current = next;
  }
  if (chain.length > 0) chain.push(current);
  return { id: current, chain, technique: index.techniqueById.get(current) ?? null };
}

/** Active techniques and sub-techniques (what "the techniques ATT&CK has" counts). */
export function activeTechniques(index: AttackIndex): AttackTechnique[] {
  return index.techniques.filter((t) => t.status === 'active');
}
