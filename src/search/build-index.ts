/**
 * Build-time search index: the pre-tokenised documents as a compact lunr index (see
 * `compact.ts`), with the stored records the result list shows.
 */
import type { CatalogRule } from '../catalog/build';
import { compactIndex, type CompactIndex } from './compact';
import { SEARCH_FIELDS, searchDocument, type SearchDocument, type StoredDoc } from './documents';

export const SEARCH_BUNDLE_VERSION = 2;

export interface SearchBundleJson {
  version: number;
  index: CompactIndex;
  /** By document number (the lunr ref). */
  docs: StoredDoc[];
}

export interface SearchBundle {
  json: SearchBundleJson;
  /** The serialised bundle (what `/api/search-index.json` serves). */
  text: string;
}

export const FIELD_BOOSTS = Object.entries(SEARCH_FIELDS) as [keyof typeof SEARCH_FIELDS, number][];

/** The documents of the rules, in order (document number = position). */
export function searchDocuments(rules: readonly CatalogRule[]): { docs: SearchDocument[]; stored: StoredDoc[] } {
  const docs: SearchDocument[] = [];
  const stored: StoredDoc[] = [];
  rules.forEach((rule, i) => {
    const r = searchDocument(rule, String(i));
    docs.push(r.doc);
    stored.push(r.stored);
  });
  return { docs, stored };
}

export function buildSearchBundle(rules: readonly CatalogRule[]): SearchBundle {
  const { docs, stored } = searchDocuments(rules);
  const index = compactIndex(
    docs.map((d) => ({ title: d.title, attack: d.attack, fields: d.fields, values: d.values, text: d.text })),
    FIELD_BOOSTS,
  );
  const json: SearchBundleJson = { version: SEARCH_BUNDLE_VERSION, index, docs: stored };
  return { json, text: JSON.stringify(json) };
}
