/**
 * Line and column of offsets, computed lazily. `LineIndex` (src/model/span.ts) indexes a whole
 * text up front; ingest needs a handful of positions per file (the rule_id line, the query, a few
 * page facts) in 2,000+ files of up to 50 KB, so this finds line starts only as far as asked, with
 * a native regular-expression search. Same results as `LineIndex` (LF, CRLF and lone CR end lines).
 */
import type { Position } from '../model/span';

const BREAK = /\r\n|\r|\n/g;

export class LazyLines {
  private readonly starts: number[] = [0];
  private scanned = 0;
  private done = false;

  constructor(readonly text: string) {}

  private extendTo(offset: number): void {
    while (!this.done && this.scanned <= offset) {
      BREAK.lastIndex = this.scanned;
      const m = BREAK.exec(this.text);
      if (!m) {
        this.done = true;
        this.scanned = this.text.length + 1;
        break;
      }
      const next = m.index + m[0].length;
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
