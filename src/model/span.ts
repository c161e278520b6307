/**
 * Source positions. Offsets count UTF-16 code units (JavaScript string indexes); lines and
 * columns are 1-based, columns counted in UTF-16 code units like editors and browsers do.
 */

export interface Position {
  offset: number;
  line: number;
  column: number;
}

export interface SourceSpan {
  file: string;
  start: Position;
  end: Position;
}

/** Offsets into a piece of text (a query), half-open: `[start, end)`. AST nodes carry these. */
export interface Loc {
  start: number;
  end: number;
}

/** Maps offsets in a text to lines and columns, by binary search over line starts. */
export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
    }
    this.starts = starts;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0, hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { offset: o, line: lo + 1, column: o - (this.starts[lo] as number) + 1 };
  }
}

/**
 * Where a string value came from in its host file. A query stored in a TOML literal string
 * (`'''…'''`) maps linearly (`base + offset`); one stored in a basic string with escapes maps
 * through `table`, which holds the host offset of every character of the decoded value (and
 * one past the end).
 */
export interface TextOrigin {
  file: string;
  base: number;
  table?: readonly number[];
}

export function hostOffset(origin: TextOrigin, offset: number): number {
  if (origin.table) {
    const t = origin.table;
    if (t.length === 0) return origin.base;
    const i = Math.max(0, Math.min(offset, t.length - 1));
    return t[i] as number;
  }
  return origin.base + offset;
}
