/**
 * Catalog → search documents: one per rule, with pre-tokenised fields (see `tokenize.ts`) and a
 * small stored record the result list shows (name, link, severity, ATT&CK ids, type).
 */
import { parentIdOf } from '../attack';
import type { CatalogRule } from '../catalog/build';
import { ruleTechniques } from '../views/common';
import { typeLabel } from '../views/labels';
import { segment } from '../views/urls';
import { indexTokens } from './tokenize';

/** Indexed fields and their boosts. */
export const SEARCH_FIELDS = {
  /** Name and rule id. */
  title: 10,
  /** ATT&CK technique ids (and parents of sub-techniques), tactic ids, technique and tactic names. */
  attack: 6,
  /** Field names the query reads. */
  fields: 3,
  /** Indicator values. */
  values: 3,
  /** Description and tags. */
  text: 1,
} as const;

export type SearchField = keyof typeof SEARCH_FIELDS;

export type SearchDocument = {
  ref: string;
  title: string[];
  attack: string[];
  fields: string[];
  values: string[];
  text: string[];
};

/**
 * A stored result: [name, path under the base (`rules/<id>/`), severity, ATT&CK ids, type label,
 * flags] where flags is `b` for a building block, `d` for deprecated, or ''.
 */
export type StoredDoc = [string, string, string, string[], string, string];

/** Indicator values indexed per rule (the first ones by row order). */
const MAX_VALUES = 200;

export function searchDocument(rule: CatalogRule, ref: string): { doc: SearchDocument; stored: StoredDoc } {
  const techniques = ruleTechniques(rule);
  const attack = new Set<string>();
  for (const t of techniques) {
    attack.add(t.toLowerCase());
    const parent = parentIdOf(t);
    if (parent) attack.add(parent.toLowerCase());
  }
  for (const entry of rule.threat) {
    attack.add(entry.tactic.id.toLowerCase());
    indexTokens(entry.tactic.name, { stopWords: true }, attack);
    for (const tech of entry.techniques) {
      indexTokens(tech.name, { stopWords: true }, attack);
      for (const s of tech.subtechniques) indexTokens(s.name, { stopWords: true }, attack);
    }
  }
  const title = indexTokens(rule.name, { stopWords: true });
  title.add(rule.id.toLowerCase());

  const fields = new Set<string>();
  for (const s of rule.analysis.stages) for (const f of s.fields) fields.add(f.toLowerCase());

  const values = new Set<string>();
  let n = 0;
  for (const row of [...rule.analysis.indicators, ...rule.analysis.scope]) {
    for (const v of row.values) {
      if (n++ >= MAX_VALUES) break;
      if (row.kind === 'function') continue;
      indexTokens(v.value, {}, values);
    }
  }

  const text = indexTokens(rule.description, { stopWords: true });
  for (const t of rule.tags) indexTokens(t, { stopWords: true }, text);

  const flags = `${rule.buildingBlock ? 'b' : ''}${rule.deprecated || rule.maturity === 'deprecated' ? 'd' : ''}`;
  return {
    doc: { ref, title: [...title], attack: [...attack], fields: [...fields], values: [...values], text: [...text] },
    stored: [rule.name, `rules/${segment(rule.id)}/`, rule.severity, techniques, typeLabel(rule.type), flags],
  };
}
