/**
 * The JSON API: the catalog (every rule with its analysis and similar rules, and the
 * diagnostics) and one document per rule. Deterministic: rules by id, one per line.
 */
import { catalogChunks, ruleJson, serializeCatalog } from '../catalog/json';
import type { CatalogRule } from '../catalog/build';
import type { SiteModel } from './site';

export function catalogApiJson(model: SiteModel): string {
  return serializeCatalog({ rules: model.rules, diagnostics: model.catalog.diagnostics });
}

/** `catalogApiJson` in pieces (see `catalogChunks`), for writing it without one 50 MB string. */
export function catalogApiChunks(model: SiteModel): Iterable<string> {
  return catalogChunks({ rules: model.rules, diagnostics: model.catalog.diagnostics });
}

/** One rule's document: its line of the catalog JSON. */
export function ruleApiJson(rule: CatalogRule): string {
  return `${ruleJson(rule)}\n`;
}
