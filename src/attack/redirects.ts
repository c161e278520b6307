/**
 * detection-rules' `detection_rules/etc/attack-technique-redirects.json`: old technique ids
 * and the ids that replace them, `{ "mapping": { "T1086": "T1059.001", … }, "saved_date": "…" }`.
 * Targets may themselves be redirected (`T1073 → T1574.002 → T1574.001`); `resolveTechnique`
 * follows the chain. A STIX index's own `revoked-by` redirects win over the file's for the same
 * id, and no redirect applies to an id the loaded bundle holds as active.
 */
import { diagnostic, type Diagnostic } from '../model/diagnostic';
import { compareIds, isTechniqueId, makeIndex, parentIdOf, techniqueUrl } from './ids';
import type { AttackIndex, AttackRedirect, AttackTechnique } from './types';

export interface RedirectsResult {
  redirects: AttackRedirect[];
  /** `saved_date`, when the file has one. */
  savedDate: string | null;
  diagnostics: Diagnostic[];
}

export function readRedirects(json: unknown, file: string): RedirectsResult {
  const diagnostics: Diagnostic[] = [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(json) || !isObj(json.mapping)) {
    diagnostics.push(diagnostic('error', 'attack-redirects-invalid', file, null, 'not an ATT&CK redirect file: expected {"mapping": {"T…": "T…"}}'));
    return { redirects: [], savedDate: null, diagnostics };
  }
  const redirects: AttackRedirect[] = [];
  const bad: string[] = [];
  for (const [from, to] of Object.entries(json.mapping).sort((a, b) => compareIds(a[0], b[0]))) {
    if (typeof to !== 'string' || !isTechniqueId(from) || !isTechniqueId(to) || from === to) {
      bad.push(`${from} → ${JSON.stringify(to)}`);
      continue;
    }
    redirects.push({ from, to, source: 'detection-rules' });
  }
  if (bad.length > 0) {
    diagnostics.push(diagnostic('warning', 'attack-redirects-invalid', file, null, `${bad.length} mapping entr${bad.length === 1 ? 'y' : 'ies'} skipped: ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ', …' : ''}`));
  }
  const savedDate = typeof json.saved_date === 'string' ? json.saved_date : null;
  return { redirects, savedDate, diagnostics };
}

export function readRedirectsText(text: string, file: string): RedirectsResult {
  try {
    return readRedirects(JSON.parse(text), file);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return { redirects: [], savedDate: null, diagnostics: [diagnostic('error', 'attack-redirects-invalid', file, null, `not JSON: ${reason}`)] };
  }
}

/**
 * A copy of the index with more redirects; its own (STIX `revoked-by`) keep precedence.
 *
 * A bundle is the authority on what is current, so an id it holds as active is never redirected.
 * An index built from rules holds every id some rule names; there the redirects decide: a
 * redirected id becomes `revoked` (replaced by its target), and a target no rule names is added
 * (named by its id, in the tactics of the ids redirected to it), so coverage can count it.
 */
export function withRedirects(index: AttackIndex, redirects: readonly AttackRedirect[]): AttackIndex {
  const all = [...index.redirects.values(), ...redirects];
  let techniques = index.techniques;
  if (index.origin === 'rules') {
    const to = new Map<string, string>();
    for (const r of all) if (!to.has(r.from)) to.set(r.from, r.to);
    const byId = new Map<string, AttackTechnique>(index.techniques.map((t) => [t.id, { ...t, tactics: [...t.tactics] }]));
    for (const t of byId.values()) {
      const target = to.get(t.id);
      if (target !== undefined && t.status === 'active') {
        t.status = 'revoked';
        t.replacedBy = target;
      }
    }
    // Add chain ends no rule names, carrying the tactics of what redirects to them.
    for (const t of [...byId.values()]) {
      if (t.status !== 'revoked') continue;
      let end = t.replacedBy ?? t.id;
      for (let i = 0; i < 16 && to.has(end) && byId.get(end)?.status !== 'active'; i++) end = to.get(end) ?? end;
      let target = byId.get(end);
      if (!target) {
        target = { id: end, name: end, url: techniqueUrl(end), subtechnique: end.includes('.'), parentId: parentIdOf(end), tactics: [], platforms: [], status: 'active', replacedBy: null, stixId: null };
        byId.set(end, target);
      }
      if (target.stixId === null && target.status === 'active') for (const x of t.tactics) if (!target.tactics.includes(x)) target.tactics.push(x);
    }
    techniques = [...byId.values()];
  }
  return makeIndex({
    origin: index.origin,
    domain: index.domain,
    version: index.version,
    matrix: index.matrix,
    tactics: index.tactics,
    techniques,
    redirects: all,
  });
}
