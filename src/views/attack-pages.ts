/**
 * ATT&CK pages: the matrix (tactics in order, technique cells with rule counts as a heat map,
 * sub-techniques in <details>, uncovered techniques when a bundle is loaded), a page per tactic
 * and per technique or sub-technique, and the Navigator layer downloads.
 */
import { catalogLayers, compareIds, parentIdOf, type AttackTechnique, type CoveringRule, type LayerFile } from '../attack';
import { pageMeta, ruleItems, type PageMeta, type RuleItem } from './common';
import { cmp, plural } from './labels';
import type { SiteModel } from './site';

export interface MatrixCell {
  id: string;
  name: string;
  href: string;
  /** Rules filed under this technique (or one of its sub-techniques) for this tactic. */
  count: number;
  heat: 0 | 1 | 2 | 3 | 4;
  subs: MatrixCell[];
}

export interface MatrixTactic {
  id: string;
  name: string;
  href: string;
  rules: number;
  covered: number;
  total: number;
  cells: MatrixCell[];
}

export interface MatrixView {
  meta: PageMeta;
  hasBundle: boolean;
  attackVersion: string | null;
  tactics: MatrixTactic[];
  totals: { techniques: number; coveredTechniques: number; subtechniques: number; coveredSubtechniques: number; mappedRules: number; unmappedRules: number };
  heatLegend: { heat: number; label: string }[];
  layers: { label: string; href: string; rules: number }[];
  uncovered: { id: string; name: string; href: string }[];
}

/** Heat bucket (1–4) of a count, on a log scale up to the matrix's largest count; 0 for none. */
export function heatOf(count: number, max: number): MatrixCell['heat'] {
  if (count <= 0) return 0;
  const h = Math.ceil((4 * Math.log(count + 1)) / Math.log(Math.max(max, 1) + 1) - 1e-9);
  return Math.min(4, Math.max(1, h)) as MatrixCell['heat'];
}

function activeTechniques(model: SiteModel): AttackTechnique[] {
  return model.attack.techniques.filter((t) => t.status === 'active');
}

/** Ids of every technique page: active techniques of the index and every covered id. */
export function techniquePageIds(model: SiteModel): string[] {
  const ids = new Set<string>();
  for (const t of activeTechniques(model)) ids.add(t.id);
  for (const t of model.coverage.techniques) ids.add(t.id);
  // A covered sub-technique's parent gets a page too (its breadcrumb links there).
  for (const id of [...ids]) {
    const p = parentIdOf(id);
    if (p) ids.add(p);
  }
  return [...ids].sort(compareIds);
}

export function tacticPageIds(model: SiteModel): string[] {
  return model.coverage.tactics.map((t) => t.id);
}

/** Rules filed under a technique for one tactic. */
function rulesUnder(model: SiteModel, techniqueId: string, tacticId: string): CoveringRule[] {
  return model.techniques.get(techniqueId)?.byTactic.find((b) => b.tacticId === tacticId)?.rules ?? [];
}

export function matrixPage(model: SiteModel, layers: readonly LayerFile[] = []): MatrixView {
  const u = model.urls;
  const active = activeTechniques(model);
  const subsOf = new Map<string, AttackTechnique[]>();
  for (const t of active) {
    if (!t.subtechnique || !t.parentId) continue;
    let list = subsOf.get(t.parentId);
    if (!list) subsOf.set(t.parentId, (list = []));
    list.push(t);
  }
  const raw = model.coverage.tactics.map((tc) => {
    const parents = new Map<string, { id: string; name: string }>();
    for (const t of active) if (!t.subtechnique && t.tactics.includes(tc.id)) parents.set(t.id, { id: t.id, name: t.name });
    // Ids rules file under this tactic that the index places elsewhere or lacks.
    for (const id of tc.outside) {
      const pid = parentIdOf(id) ?? id;
      if (!parents.has(pid)) parents.set(pid, { id: pid, name: model.attack.techniqueById.get(pid)?.name ?? model.techniques.get(pid)?.name ?? pid });
    }
    const cells = [...parents.values()].map((p) => {
      const own = new Set(rulesUnder(model, p.id, tc.id).map((r) => r.id));
      const subIds = new Set((subsOf.get(p.id) ?? []).filter((s) => s.tactics.includes(tc.id) || rulesUnder(model, s.id, tc.id).length > 0).map((s) => s.id));
      for (const t of model.coverage.techniques) if (t.parentId === p.id && rulesUnder(model, t.id, tc.id).length > 0) subIds.add(t.id);
      const subs = [...subIds].sort(compareIds).map((sid) => {
        const rs = rulesUnder(model, sid, tc.id);
        for (const r of rs) own.add(r.id);
        return { id: sid, name: model.attack.techniqueById.get(sid)?.name ?? model.techniques.get(sid)?.name ?? sid, href: u.technique(sid), count: rs.length, heat: 0 as MatrixCell['heat'], subs: [] };
      });
      return { id: p.id, name: p.name, href: u.technique(p.id), count: own.size, heat: 0 as MatrixCell['heat'], subs };
    });
    cells.sort((a, b) => b.count - a.count || cmp(a.name, b.name));
    return { tc, cells };
  });
  let max = 0;
  for (const { cells } of raw) for (const c of cells) max = Math.max(max, c.count);
  const tactics: MatrixTactic[] = raw.map(({ tc, cells }) => ({
    id: tc.id,
    name: tc.name,
    href: u.tactic(tc.id),
    rules: tc.counts.rules,
    covered: tc.techniques.covered,
    total: tc.techniques.total,
    cells: cells.map((c) => ({ ...c, heat: heatOf(c.count, max), subs: c.subs.map((s) => ({ ...s, heat: heatOf(s.count, max) })) })),
  }));
  const legend: { heat: number; label: string }[] = [{ heat: 0, label: '0' }];
  for (let h = 1; h <= 4; h++) {
    let lo = Infinity;
    let hi = 0;
    for (let n = 1; n <= max; n++) {
      if (heatOf(n, max) === h) {
        lo = Math.min(lo, n);
        hi = Math.max(hi, n);
      }
    }
    if (lo <= hi) legend.push({ heat: h, label: lo === hi ? String(lo) : `${lo}–${hi}` });
  }
  const c = model.coverage;
  return {
    meta: pageMeta(model, u.matrix(), 'MITRE ATT&CK coverage', `ATT&CK coverage of ${plural(model.rules.length, 'rule')}: rule counts per technique as a heat map.`, [
      { label: 'ATT&CK', href: null },
    ]),
    hasBundle: model.hasBundle,
    attackVersion: model.attack.version,
    tactics,
    totals: {
      techniques: c.totals.indexTechniques,
      coveredTechniques: c.totals.coveredIndexTechniques,
      subtechniques: c.totals.indexSubtechniques,
      coveredSubtechniques: c.totals.coveredIndexSubtechniques,
      mappedRules: c.mappedRules,
      unmappedRules: c.unmappedRules.length,
    },
    heatLegend: legend,
    layers: layers.map((l) => ({ label: l.layer.name, href: u.apiNavigator(l.key), rules: l.rules })),
    uncovered: model.hasBundle ? c.uncovered.filter((x) => !x.subtechnique).map((x) => ({ id: x.id, name: x.name, href: u.technique(x.id) })) : [],
  };
}

/** The Navigator layers: the whole catalog, then per OS, integration and rule type. */
export function navigatorLayers(model: SiteModel): LayerFile[] {
  return catalogLayers(model.rules, model.attack, {
    techniqueUrl: (id) => model.urls.absolute(model.urls.technique(id)),
    ...(model.attack.version ? {} : {}),
  });
}

export interface TechniqueView {
  meta: PageMeta;
  id: string;
  name: string;
  subtechnique: boolean;
  parent: { id: string; name: string; href: string } | null;
  known: boolean;
  attackUrl: string | null;
  tactics: { id: string; name: string; href: string; rules: RuleItem[] }[];
  rules: RuleItem[];
  subtechniques: { id: string; name: string; href: string; rules: number }[];
  redirectedFrom: string[];
  /** Rules on sub-techniques (for a parent technique), not counted in `rules`. */
  viaSubtechniques: RuleItem[];
}

export function techniquePage(model: SiteModel, id: string): TechniqueView {
  const u = model.urls;
  const t = model.attack.techniqueById.get(id);
  const cov = model.techniques.get(id);
  const name = t?.name ?? cov?.name ?? id;
  const parentId = t?.parentId ?? parentIdOf(id);
  const parentName = parentId ? (model.attack.techniqueById.get(parentId)?.name ?? model.techniques.get(parentId)?.name ?? parentId) : null;
  const rules = ruleItems(model, (cov?.rules ?? []).map((r) => r.id));
  const subIds = new Set<string>();
  for (const x of model.attack.techniques) if (x.parentId === id && x.status === 'active') subIds.add(x.id);
  for (const x of model.coverage.techniques) if (x.parentId === id) subIds.add(x.id);
  const subtechniques = [...subIds].sort(compareIds).map((sid) => ({
    id: sid,
    name: model.attack.techniqueById.get(sid)?.name ?? model.techniques.get(sid)?.name ?? sid,
    href: u.technique(sid),
    rules: model.techniques.get(sid)?.rules.length ?? 0,
  }));
  const own = new Set(rules.map((r) => r.id));
  const via = new Set<string>();
  for (const s of subtechniques) for (const r of model.techniques.get(s.id)?.rules ?? []) if (!own.has(r.id)) via.add(r.id);
  const tacticIds = new Set<string>([...(t?.tactics ?? []), ...(cov?.byTactic.map((b) => b.tacticId) ?? [])]);
  const tactics = model.coverage.tactics
    .filter((tc) => tacticIds.has(tc.id))
    .map((tc) => ({ id: tc.id, name: tc.name, href: u.tactic(tc.id), rules: ruleItems(model, rulesUnder(model, id, tc.id).map((r) => r.id)) }));
  const crumbs: PageMeta['breadcrumb'] = [{ label: 'ATT&CK', href: u.matrix() }];
  if (parentId && parentName) crumbs.push({ label: `${parentId} ${parentName}`, href: u.technique(parentId) });
  crumbs.push({ label: id, href: null });
  return {
    meta: pageMeta(model, u.technique(id), `${id} ${name}`, `${plural(rules.length, 'detection rule')} covering MITRE ATT&CK ${t?.subtechnique ? 'sub-technique' : 'technique'} ${id} (${name}).`, crumbs),
    id,
    name,
    subtechnique: t?.subtechnique ?? id.includes('.'),
    parent: parentId && parentName ? { id: parentId, name: parentName, href: u.technique(parentId) } : null,
    known: t !== undefined,
    attackUrl: t?.url ?? `https://attack.mitre.org/techniques/${id.replace('.', '/')}/`,
    tactics,
    rules,
    subtechniques,
    redirectedFrom: cov?.redirectedFrom ?? [],
    viaSubtechniques: ruleItems(model, [...via].sort((a, b) => (model.nameRank.get(a) ?? 0) - (model.nameRank.get(b) ?? 0))),
  };
}

export interface TacticView {
  meta: PageMeta;
  id: string;
  name: string;
  attackUrl: string | null;
  rules: RuleItem[];
  techniques: { id: string; name: string; href: string; rules: number; covered: boolean }[];
  covered: number;
  total: number;
}

export function tacticPage(model: SiteModel, id: string): TacticView {
  const u = model.urls;
  const tc = model.tactics.get(id);
  const t = model.attack.tacticById.get(id);
  const name = tc?.name ?? t?.name ?? id;
  const techIds = new Set<string>();
  for (const x of model.attack.techniques) if (x.status === 'active' && !x.subtechnique && x.tactics.includes(id)) techIds.add(x.id);
  for (const x of model.coverage.techniques) if (!x.subtechnique && x.byTactic.some((b) => b.tacticId === id)) techIds.add(x.id);
  const techniques = [...techIds]
    .map((tid) => {
      const n = rulesUnder(model, tid, id).length;
      return { id: tid, name: model.attack.techniqueById.get(tid)?.name ?? model.techniques.get(tid)?.name ?? tid, href: u.technique(tid), rules: n, covered: n > 0 };
    })
    .sort((a, b) => b.rules - a.rules || compareIds(a.id, b.id));
  const rules = ruleItems(model, (tc?.rules ?? []).map((r) => r.id));
  return {
    meta: pageMeta(model, u.tactic(id), `${name} (${id})`, `${plural(rules.length, 'detection rule')} for the MITRE ATT&CK tactic ${name} (${id}).`, [
      { label: 'ATT&CK', href: u.matrix() },
      { label: name, href: null },
    ]),
    id,
    name,
    attackUrl: t?.url ?? `https://attack.mitre.org/tactics/${id}/`,
    rules,
    techniques,
    covered: tc?.techniques.covered ?? 0,
    total: tc?.techniques.total ?? 0,
  };
}
