/**
 * The JSON API: the catalog (every rule with its analysis and similar rules, and the
 * diagnostics) and one document per rule. Deterministic: rules by id, one per line.
 */
import { serializeCatalog } from '../catalog/json';
import type { CatalogRule } from '../catalog/build';
import type { SiteModel } from './site';

export function catalogApiJson(model: SiteModel): string {
  return serializeCatalog({ rules: model.rules, diagnostics: model.catalog.diagnostics });
}

export function ruleApiJson(rule: CatalogRule): string {
  return `${JSON.stringify(rule)}\n`;
}
