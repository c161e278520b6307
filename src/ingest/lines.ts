/**
 * Line and column of offsets, computed lazily. `LineIndex` (src/model/span.ts) indexes a whole
 * text up front; ingest needs a handful of positions per file (the rule_id line, the query, a few
 * page facts) in 2,000+ files of up to 50 KB, so this finds line starts only as far as asked, with
 * native `indexOf` searches (which, unlike a regular expression's matches, allocate nothing). Same
 * results as `LineIndex` (LF, CRLF and lone CR end lines).
 */
import type { Position } from '../model/span';

export class LazyLines {
  private readonly starts: number[] = [0];
  private scanned = 0;
  private done = false;
  /** The next LF and CR at or after `scanned` (the text's length when there is none). */
  private lf = -1;
  private cr = -1;

  constructor(readonly text: string) {}

  private extendTo(offset: number): void {
    const t = this.text;
    const n = t.length;
    while (!this.done && this.scanned <= offset) {
      if (this.lf < this.scanned) this.lf = indexOr(t, '\n', this.scanned, n);
      if (this.cr < this.scanned) this.cr = indexOr(t, '\r', this.scanned, n);
      const { lf, cr } = this;
      if (lf === n && cr === n) {
        this.done = true;
        this.scanned = n + 1;
        break;
      }
      // A CR ends a line (with the LF right after it, when there is one), else the LF does.
      const next = cr < lf ? (cr + 1 === lf && lf < n ? lf + 1 : cr + 1) : lf + 1;
      this.starts.push(next);
      this.scanned = next;
    }
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    this.extendTo(o);
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { offset: o, line: lo + 1, column: o - s[lo]! + 1 };
  }
}

/** The index of `c` in `t` at or after `from`, or `n` (the text's length) when there is none. */
function indexOr(t: string, c: string, from: number, n: number): number {
  const i = t.indexOf(c, from);
  return i < 0 ? n : i;
}
