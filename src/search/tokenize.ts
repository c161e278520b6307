/**
 * Tokens for the search index and for queries, shared by the build and the browser (pure, no
 * dependencies). lunr's own tokenizer splits on `-` and its pipeline trims and stems, which
 * would make `T1059.002`, `osascript` and `process.name` unreliable; Ruledex gives lunr
 * pre-tokenised fields instead and runs no pipeline.
 *
 * A word is a run of characters between spaces and list punctuation, lower-cased, with
 * punctuation trimmed from its ends (`T1059.002,` → `t1059.002`). At index time a word with
 * inner punctuation also yields its parts (`powershell.exe` → `powershell.exe`, `powershell`,
 * `exe`), so either spelling finds it; a query word is looked up whole.
 */

const SPLIT = /[\s,;()[\]{}"'`<>|!?=+]+/u;
const EDGE = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}*]+$/gu;
const PARTS = /[^\p{L}\p{N}]+/u;

export const STOP_WORDS = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'for', 'from', 'has', 'have', 'in', 'into', 'is', 'it', 'its', 'of', 'on',
  'or', 'that', 'the', 'their', 'this', 'to', 'was', 'were', 'which', 'with', 'can', 'may', 'will', 'these', 'than', 'then',
  'such', 'when', 'where', 'who', 'if', 'not', 'no', 'but', 'also', 'been', 'being', 'other', 'any', 'all', 'more', 'most',
]);

/** Longest word kept whole (longer ones only by their parts). */
export const MAX_WORD = 64;

/** Words of a query or a text, lower-cased and trimmed. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.toLowerCase().split(SPLIT)) {
    const w = raw.replace(EDGE, '');
    if (w !== '') out.push(w);
  }
  return out;
}

export interface TokenOptions {
  /** Drop stop words (prose fields). */
  stopWords?: boolean;
  /** Add the parts of words with inner punctuation (default true). */
  parts?: boolean;
}

/** Index tokens of a text: its words and their parts, deduplicated, in first-seen order. */
export function indexTokens(text: string, options: TokenOptions = {}, into: Set<string> = new Set()): Set<string> {
  const stop = options.stopWords === true;
  const parts = options.parts !== false;
  for (const w of words(text)) {
    if (w.length <= MAX_WORD && !(stop && STOP_WORDS.has(w)) && !w.includes('*')) into.add(w);
    if (parts && PARTS.test(w)) {
      for (const p of w.split(PARTS)) if (p.length >= 2 && p.length <= MAX_WORD && !(stop && STOP_WORDS.has(p))) into.add(p);
    }
  }
  return into;
}

/**
 * Query words: whole words, without lunr's special characters (`*`, `:`, `^`, `~`, `+`, `-` at
 * the start), and without stop words (which prose fields do not index) unless that leaves none.
 */
export function queryWords(query: string): string[] {
  const out: string[] = [];
  for (const w of words(query)) {
    const clean = w.replace(/[*:^~]/g, '').replace(/^[+-]+/, '');
    if (clean !== '' && !out.includes(clean)) out.push(clean);
  }
  const content = out.filter((w) => !STOP_WORDS.has(w));
  return content.length > 0 ? content : out;
}
