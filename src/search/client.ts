/**
 * Browser-side search over the serialised bundle (also used by tests in Node): every query word
 * must occur (as a token, or as the start of one for words of two characters or more); exact
 * matches rank first.
 */
import lunr from 'lunr';
import type { StoredDoc } from './documents';
import type { SearchBundleJson } from './build-index';
import { loadCompactIndex } from './compact';
import { queryWords } from './tokenize';

export interface SearchResult {
  name: string;
  /** Path under the base (`rules/<id>/`). */
  path: string;
  severity: string;
  techniques: string[];
  type: string;
  buildingBlock: boolean;
  deprecated: boolean;
  score: number;
}

export class Searcher {
  private readonly index: lunr.Index;
  private readonly docs: StoredDoc[];

  constructor(bundle: SearchBundleJson) {
    this.index = loadCompactIndex(bundle.index);
    this.docs = bundle.docs;
  }

  get size(): number {
    return this.docs.length;
  }

  search(query: string, limit = Infinity): SearchResult[] {
    const terms = queryWords(query);
    if (terms.length === 0) return [];
    let hits: lunr.Index.Result[];
    try {
      hits = this.index.query((q) => {
        for (const t of terms) {
          q.term(t, { usePipeline: false, boost: 10 });
          q.term(t, {
            usePipeline: false,
            presence: lunr.Query.presence.REQUIRED,
            wildcard: t.length >= 2 ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE,
          });
        }
      });
    } catch {
      return [];
    }
    const out: SearchResult[] = [];
    for (const h of hits) {
      const d = this.docs[Number(h.ref)];
      if (!d) continue;
      out.push({
        name: d[0],
        path: d[1],
        severity: d[2],
        techniques: d[3],
        type: d[4],
        buildingBlock: d[5].includes('b'),
        deprecated: d[5].includes('d'),
        score: h.score,
      });
      if (out.length >= limit) break;
    }
    return out;
  }
}

export async function loadSearcher(url: string, fetcher: typeof fetch = fetch): Promise<Searcher> {
  const res = await fetcher(url);
  if (!res.ok) throw new Error(`search index: HTTP ${res.status}`);
  return new Searcher((await res.json()) as SearchBundleJson);
}
