import { describe, expect, it } from 'vitest';
import { Progress } from '../../../src/cli/progress';

function sink(isTTY: boolean) {
  const out: string[] = [];
  return { stream: { isTTY, write: (s: string) => (out.push(s), true) }, out };
}

describe('Progress', () => {
  it('rewrites one counter line on a terminal, throttled, and clears it at the end', () => {
    let t = 0;
    const { stream, out } = sink(true);
    const p = new Progress(stream, true, () => t);
    p.update('read', 1, 10);
    t = 10;
    p.update('read', 2, 10); // within 80 ms: skipped
    t = 100;
    p.update('read', 3, 10);
    p.update('read', 10, 10); // the last one always shows
    p.finish();
    expect(out).toEqual(['\r\x1b[2Kreading 1/10 files', '\r\x1b[2Kreading 3/10 files', '\r\x1b[2Kreading 10/10 files', '\r\x1b[2K']);
  });
  it('prints sparse lines elsewhere: phase ends, and quarters of long phases', () => {
    let t = 0;
    const { stream, out } = sink(false);
    const p = new Progress(stream, true, () => t);
    p.update('read', 5, 10);
    t = 200;
    p.update('read', 10, 10);
    t = 900;
    p.update('decode', 100, 1000); // before one second: nothing
    t = 2300;
    p.update('decode', 300, 1000);
    p.update('decode', 400, 1000); // same quarter
    p.update('decode', 800, 1000);
    t = 2500;
    p.update('decode', 1000, 1000);
    p.update('assemble', 7, 7);
    p.finish();
    expect(out).toEqual([
      'reading: 10 files done (0.20 s)\n',
      'decoding: 300/1,000 files\n',
      'decoding: 800/1,000 files\n',
      'decoding: 1,000 files done (2.30 s)\n',
      'assembling: 7 rules done (0.00 s)\n',
    ]);
  });
  it('stays silent when disabled', () => {
    const { stream, out } = sink(true);
    const p = new Progress(stream, false);
    p.update('read', 1, 1);
    p.finish();
    expect(out).toEqual([]);
  });
});
