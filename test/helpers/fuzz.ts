/**
 * Seeded mutation fuzzing shared by the parser and evaluator fuzz tests: take real queries and
 * damage them (delete, duplicate, swap, insert tricky characters, truncate), then assert that
 * the parser returns a result (never throws) quickly.
 */
import { prng } from './shared';

const TRICKY = ['(', ')', '[', ']', '{', '}', '"', "'", '`', '\\', '*', '?', ':', '|', '/*', '*/', '//', '"""', ' and ', ' or ', ' not ', '~', '!', '\n', '\u{1F525}', '\u202E', ' by ', ' where ', ',', '=', '==', '<', '>', '.', '-', '0', 'null'];

export function mutate(input: string, rand: () => number): string {
  let s = input;
  const edits = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < edits; i++) {
    const pos = Math.floor(rand() * (s.length + 1));
    const op = Math.floor(rand() * 6);
    switch (op) {
      case 0: // delete a span
        s = s.slice(0, pos) + s.slice(pos + 1 + Math.floor(rand() * 8));
        break;
      case 1: // insert a tricky token
        s = s.slice(0, pos) + (TRICKY[Math.floor(rand() * TRICKY.length)] as string) + s.slice(pos);
        break;
      case 2: // duplicate a span
        {
          const len = Math.floor(rand() * 20);
          s = s.slice(0, pos) + s.slice(pos, pos + len) + s.slice(pos);
        }
        break;
      case 3: // truncate
        s = s.slice(0, pos);
        break;
      case 4: // swap two characters
        if (s.length > 2) {
          const j = Math.floor(rand() * s.length);
          const a = s.split('');
          const t = a[pos % a.length] as string;
          a[pos % a.length] = a[j] as string;
          a[j] = t;
          s = a.join('');
        }
        break;
      default: // replace a character with a random printable one
        s = s.slice(0, pos) + String.fromCharCode(32 + Math.floor(rand() * 95)) + s.slice(pos + 1);
    }
  }
  return s;
}

export interface FuzzReport {
  cases: number;
  slowest: { ms: number; input: string };
  crashes: { input: string; error: string }[];
}

/** Runs `cases` mutations of the seeds through `run`, which must not throw. */
export function fuzz(seeds: string[], cases: number, seed: number, run: (input: string) => void): FuzzReport {
  const rand = prng(seed);
  const report: FuzzReport = { cases: 0, slowest: { ms: 0, input: '' }, crashes: [] };
  if (seeds.length === 0) return report;
  for (let i = 0; i < cases; i++) {
    const base = seeds[Math.floor(rand() * seeds.length)] as string;
    const input = mutate(base, rand);
    const t0 = performance.now();
    try {
      run(input);
    } catch (e) {
      report.crashes.push({ input, error: String((e as Error)?.stack ?? e) });
    }
    const ms = performance.now() - t0;
    if (ms > report.slowest.ms) report.slowest = { ms, input };
    report.cases++;
  }
  return report;
}
