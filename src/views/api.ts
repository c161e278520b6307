/**
 * The JSON API: the catalog (every rule with its analysis and similar rules, the diagnostics,
 * the fields and indicators indexes) and one document per rule. Deterministic: rules by id, one per line.
 */
import { catalogChunks, ruleJson, serializeCatalog, type CatalogInput } from '../catalog/json';
import type { CatalogRule } from '../catalog/build';
import type { SiteModel } from './site';

/** The catalog JSON as `ruledex catalog --json` writes it: rules, diagnostics, the fields and indicators indexes, totals. */
export function catalogApiJson(model: SiteModel): string {
  return serializeCatalog(catalogInput(model));
}

/** `catalogApiJson` in pieces (see `catalogChunks`), for writing it without one 60 MB string. */
export function catalogApiChunks(model: SiteModel): Iterable<string> {
  return catalogChunks(catalogInput(model));
}

function catalogInput(model: SiteModel): CatalogInput {
  const c = model.catalog;
  return { rules: c.rules, diagnostics: c.diagnostics, fields: c.fields, indicators: c.indicators, corpusStats: c.stats };
}

/** One rule's document: its line of the catalog JSON. */
export function ruleApiJson(rule: CatalogRule): string {
  return `${ruleJson(rule)}\n`;
}
