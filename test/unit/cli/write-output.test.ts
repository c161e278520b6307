/** `writeOutput`: a file written from pieces of text in blocks, byte for byte what joining them gives. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeOutput } from '../../../src/write-output';

const dir = mkdtempSync(join(tmpdir(), 'ruledex-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeOutput', () => {
  it('writes pieces across block boundaries, multi-byte characters included, and counts bytes', () => {
    // 3,000 pieces of ~1 KB with 2-, 3- and 4-byte UTF-8 characters: about 3 MB, three blocks.
    const pieces = Array.from({ length: 3000 }, (_, i) => `{"i":${i},"s":"${'é€😀'.repeat(i % 7)}${'x'.repeat(1000)}"}\n`);
    const path = join(dir, 'nested', 'out.json');
    const w = writeOutput(path, pieces);
    const expected = Buffer.from(pieces.join(''), 'utf8');
    expect(w).toEqual({ bytes: expected.length });
    expect(readFileSync(path).equals(expected)).toBe(true);
  });

  it('writes an empty file for no pieces, and reports an error it cannot write', () => {
    expect(writeOutput(join(dir, 'empty.json'), [])).toEqual({ bytes: 0 });
    expect(readFileSync(join(dir, 'empty.json'), 'utf8')).toBe('');
    const w = writeOutput(join(dir, 'empty.json', 'below-a-file.json'), ['x']);
    expect('error' in w && w.error).toMatch(/ENOTDIR|EEXIST/);
  });
});
