/**
 * The file writer: what it writes through its thread is what it writes in this thread (files,
 * appends, new folders), and a failed write makes `finish` reject with the file and the reason.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileWriter } from '../../../src/site/file-writer';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(root, p), readFileSync(p, 'utf8'));
    }
  };
  walk(root);
  return out;
}

async function writeSome(root: string, thread: boolean): Promise<void> {
  const w = new FileWriter({ thread });
  for (let i = 0; i < 300; i++) w.write(join(root, `d${i % 7}`, `sub${i % 3}`, `f${i}.json`), `{"i":${i},"s":"${'é'.repeat(i)}"}\n`);
  w.write(join(root, 'big.txt'), 'a'.repeat(3 << 20));
  w.append(join(root, 'big.txt'), 'b');
  w.append(join(root, 'log', 'new.txt'), 'first;');
  w.append(join(root, 'log', 'new.txt'), 'second');
  w.write(join(root, 'd0', 'sub0', 'f0.json'), 'overwritten');
  await w.finish();
}

describe('FileWriter', () => {
  it('writes through its thread exactly what it writes in this thread, in order', async () => {
    const a = mkdtempSync(join(tmpdir(), 'ruledex-writer-'));
    const b = mkdtempSync(join(tmpdir(), 'ruledex-writer-'));
    dirs.push(a, b);
    await writeSome(a, true);
    await writeSome(b, false);
    const ta = tree(a);
    expect(ta).toEqual(tree(b));
    expect(ta.size).toBe(300 - 1 + 1 + 1 + 1);
    expect(ta.get(join('d0', 'sub0', 'f0.json'))).toBe('overwritten');
    expect(ta.get(join('d1', 'sub1', 'f1.json'))).toBe('{"i":1,"s":"é"}\n');
    expect(ta.get('big.txt')?.length).toBe((3 << 20) + 1);
    expect(ta.get(join('log', 'new.txt'))).toBe('first;second');
  });

  it('rejects with the first file it could not write, in either thread', async () => {
    for (const thread of [true, false]) {
      const root = mkdtempSync(join(tmpdir(), 'ruledex-writer-'));
      dirs.push(root);
      writeFileSync(join(root, 'plain'), 'a file, not a folder');
      const w = new FileWriter({ thread });
      const run = async (): Promise<void> => {
        w.write(join(root, 'ok.txt'), 'ok');
        w.write(join(root, 'plain', 'inside.txt'), 'cannot be');
        await w.finish();
      };
      await expect(run()).rejects.toThrow(new RegExp(`^cannot write ${join(root, 'plain', 'inside.txt')}: E(EXIST|NOTDIR)`));
      expect(readFileSync(join(root, 'ok.txt'), 'utf8')).toBe('ok');
    }
  });
});
