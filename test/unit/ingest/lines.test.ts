import { describe, expect, it } from 'vitest';
import { LazyLines } from '../../../src/ingest/lines';
import { LineIndex } from '../../../src/model/span';
import { prng } from '../../helpers/shared';

describe('LazyLines', () => {
  it('gives the same positions as LineIndex, whatever the order of questions', () => {
    const text = 'ab\ncd\r\nef\rg\n\n\r\nxyz';
    const full = new LineIndex(text);
    const lazy = new LazyLines(text);
    const offsets = [...Array.from({ length: text.length }, (_, i) => i), text.length, text.length + 5, -1];
    for (const o of [...offsets].reverse().concat(offsets)) expect(lazy.position(o)).toEqual(full.position(o));
    expect(new LazyLines('').position(0)).toEqual({ offset: 0, line: 1, column: 1 });
    // Line ends at the very end of the text, and CRs next to CRLFs.
    for (const t of ['a\r', '\r', 'a\n', 'x\r\r\n', '\r\n\r', 'a\rb\r']) {
      const lines = new LazyLines(t);
      for (let o = 0; o <= t.length; o++) expect(lines.position(o)).toEqual(new LineIndex(t).position(o));
    }
    expect(new LazyLines('a\r').position(2)).toEqual({ offset: 2, line: 2, column: 1 });
  });
  it('agrees with LineIndex on random texts (seeded)', () => {
    const rnd = prng(7);
    const alphabet = ['a', 'b', '\n', '\r', '\r\n', '🔥'];
    for (let n = 0; n < 50; n++) {
      let text = '';
      for (let i = 0; i < 40; i++) text += alphabet[Math.floor(rnd() * alphabet.length)];
      const full = new LineIndex(text);
      const lazy = new LazyLines(text);
      for (let k = 0; k < 20; k++) {
        const o = Math.floor(rnd() * (text.length + 2));
        expect(lazy.position(o)).toEqual(full.position(o));
      }
    }
  });
});
