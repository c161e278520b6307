/**
 * The example synthesiser's speed-ups change no result and no work count (the work budget decides
 * which rules the build gives up on, so a unit must stay a unit): pinned figures measured with
 * the code before them, and each new helper against what it replaces.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { synthesizeExamples } from '../../../src/eval/examples';
import { lastWorkUsed } from '../../../src/eval/examples/work';
import { setPath, withPath } from '../../../src/eval/examples/build';
import { codePoints } from '../../../src/eval/examples/solve';
import { memoTest } from '../../../src/eval/examples/formula';
import { Lang } from '../../../src/eval/automaton';
import { parseLuceneRegex } from '../../../src/eval/regex';
import { parseCidr } from '../../../src/eval/cidr';
import { compileQuery } from '../../../src/eval';
import { ruleFromToml as rule } from '../../helpers/rule';

const NOW = Date.UTC(2025, 0, 15, 12);

const digest = (x: unknown): string => createHash('sha256').update(JSON.stringify(x)).digest('hex').slice(0, 16);

describe('synthesis results and work units are those of the code before the speed-ups', () => {
  // Distinct values of a wildcard field (tries of values to avoid), an aggregating ES|QL rule,
  // and an ES|QL rule no number of repeated events satisfies (every count up to 1001 evaluated).
  const cases: { name: string; toml: string; work: number; digest: string; ok: boolean }[] = [
    {
      name: 'threshold with a cardinality of 40 paths',
      toml: `type = "threshold"
language = "kuery"
query = '''event.category:file and file.path : (/proc/*/cmdline or /proc/*/stat) and not process.name : (ps or top)'''
[rule.threshold]
field = ["host.id"]
value = 1
[[rule.threshold.cardinality]]
field = "file.path"
value = 40`,
      work: 9724,
      digest: '5776c4f6d2e97aa4',
      ok: true,
    },
    {
      name: 'ES|QL distinct count',
      toml: `type = "esql"
language = "esql"
query = '''FROM logs-*
| WHERE event.category == "authentication" AND event.outcome == "failure" AND NOT user.name IN ("svc-backup")
| STATS Esql.users = COUNT_DISTINCT(user.name) BY source.ip
| WHERE Esql.users >= 12'''`,
      work: 2422,
      digest: '1d2fc7eafd28c313',
      ok: true,
    },
    {
      name: 'ES|QL that no count satisfies',
      toml: `type = "esql"
language = "esql"
query = '''FROM logs-*
| WHERE event.category == "network" AND destination.port IN (4444, 5555)
| EVAL host_lc = TO_LOWER(host.name)
| STATS n = COUNT(*), hosts = COUNT_DISTINCT(host_lc) BY source.ip
| WHERE n == 7 AND hosts == 1 AND n > 2000'''`,
      work: 67241,
      digest: '2213ff580a619112',
      ok: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = synthesizeExamples(rule(c.toml), { now: NOW });
      expect(lastWorkUsed()).toBe(c.work);
      expect(s.ok).toBe(c.ok);
      expect(digest(s)).toBe(c.digest);
    });
  }
});

describe('automaton', () => {
  // States, expression nodes (part of the synthesiser's work count) and shortest strings, as the
  // string-keyed hash-consing and Map memo made them.
  const pinned: [string, number, number, string, number, number][] = [
    ['.*(/dev/tcp/|/dev/udp/|nc -e|ncat |socat |mkfifo).*', 25, 108, 'ncat ', 4420, 132],
    ['[a-z]{3,5}[0-9]+(x|yz)*', 10, 28, 'aaa0', 495, 47],
    ['~(.*ab.*)&[a-c]{1,6}', 19, 42, 'a', 56, 33],
    ['.*ABSK[A-Za-z0-9+/=]{20}.*', 2386, 2437, 'ABSKdddddddddddddddddddd', 188307, 4836],
  ];
  it.each(pinned)('%s: same DFA, node count and shortest string', (pattern, states, nodes, shortest, work, nodes2) => {
    const L = new Lang();
    const dfa = L.compile(parseLuceneRegex(L, pattern));
    expect(dfa.stateCount).toBe(states);
    expect(L.size).toBe(nodes);
    const M = new Lang();
    const w = { n: 0 };
    expect(M.shortestString(M.and(parseLuceneRegex(M, pattern), M.not(M.literal('abc'))), undefined, w)).toBe(shortest);
    expect(w.n).toBe(work);
    expect(M.size).toBe(nodes2);
  });

  it('hash-conses: equal expressions are one node, in any order of operands', () => {
    const L = new Lang();
    const a = L.literal('ab');
    const b = L.literal('cd');
    const size = L.size;
    expect(L.alt(a, b)).toBe(L.alt(b, a, b));
    expect(L.and(a, b)).toBe(L.andList([b, a]));
    expect(L.alt(a, b)).not.toBe(L.and(a, b));
    expect(L.cat(a, b)).toBe(L.cat(a, b));
    expect(L.not(L.star(a))).toBe(L.not(L.star(a)));
    expect(L.char(97)).toBe(L.set([97, 97]));
    expect(L.size).toBe(size + 5);
    // Long lists (sorted another way than short ones) give the same node for the same items.
    const many = Array.from({ length: 40 }, (_, i) => L.char(200 + i));
    expect(L.altList(many)).toBe(L.altList([...many].reverse()));
  });
});

describe('withPath', () => {
  const base = (): Record<string, unknown> => ({ process: { name: 'x', parent: { name: 'p' } }, host: { id: 'h' }, flat: 1, 'a.b': 2 });
  it.each(['@timestamp', 'process.name', 'process.parent.pid', 'host.os.type', 'flat.x', 'process.parent', 'new.deep.field', 'a.b'])('%s: the same document as setPath on a deep copy, the original unchanged', (field) => {
    const doc = base();
    const expected = structuredClone(doc);
    setPath(expected, field, 'v');
    const got = withPath(doc, field, 'v');
    expect(JSON.stringify(got)).toBe(JSON.stringify(expected));
    expect(doc).toEqual(base());
  });
  it('shares the branches off the path', () => {
    const doc = base();
    const got = withPath(doc, 'process.parent.name', 'q');
    expect(got.host).toBe(doc.host);
    expect(got.process).not.toBe(doc.process);
  });
});

describe('codePoints', () => {
  it.each(['', 'abc', 'é😀x', '\uD800', 'a\uDC00b', '😀\uD83D'])('%j', (s) => {
    expect(codePoints(s)).toEqual(Array.from(s, (c) => c.codePointAt(0) as number));
  });
});

describe('memoTest', () => {
  it('runs the test once per string, number or boolean value', () => {
    const seen: unknown[] = [];
    const t = memoTest((v) => {
      seen.push(v);
      return v === 'a' || v === 1;
    });
    expect([t('a'), t('a'), t(1), t(1), t(true), t(true), t('b')]).toEqual([true, true, true, true, false, false, false]);
    expect(seen).toEqual(['a', 1, true, 'b']);
  });
  it('does not keep objects, -0 or values past its limit', () => {
    let calls = 0;
    const t = memoTest((v) => {
      calls++;
      return Object.is(v, -0);
    }, 2);
    const arr = ['x'];
    expect([t(arr), t(arr)]).toEqual([false, false]);
    expect(calls).toBe(2);
    expect([t(0), t(-0), t(0), t(-0)]).toEqual([false, true, false, true]);
    expect(calls).toBe(5);
    t('p');
    t('q');
    t('q');
    expect(calls).toBe(8);
  });
});

describe('parseCidr', () => {
  it('gives the same block for the same text, and null for an invalid one', () => {
    const a = parseCidr('10.0.0.0/8');
    expect(a).toEqual({ base: 0xffff0a000000n, mask: (2n ** 128n - 1n) ^ (2n ** 24n - 1n), text: '10.0.0.0/8' });
    expect(parseCidr('10.0.0.0/8')).toBe(a);
    expect(parseCidr('10.0.0.0/33')).toBe(null);
    expect(parseCidr('10.0.0.0/33')).toBe(null);
  });
});

describe('ES|QL immutableEvents', () => {
  const query = `FROM logs-*
| WHERE event.category == "network"
| EVAL port = destination.port + 0, tag = CONCAT(host.name, "-x")
| MV_EXPAND host.name
| STATS n = COUNT(*), hosts = COUNT_DISTINCT(host.name) BY source.ip
| WHERE n >= 2`;
  const events = Array.from({ length: 12 }, (_, i) => ({
    '@timestamp': new Date(NOW + i * 1000).toISOString(),
    event: { category: i % 4 === 3 ? 'process' : 'network' },
    source: { ip: `10.0.0.${i % 3}` },
    destination: { port: 4000 + i },
    host: { name: i % 5 === 0 ? ['a', `h${i}`] : `h${i}` },
  }));
  it('gives every run the result it gives without the option, over growing lists of the same events', () => {
    const plain = compileQuery('esql', query, { now: NOW });
    const kept = compileQuery('esql', query, { now: NOW, immutableEvents: true });
    if (!plain.ok || !kept.ok) throw new Error('does not compile');
    for (let n = 0; n <= events.length; n++) {
      for (const list of [events.slice(0, n), events.slice(n), [...events.slice(0, n)].reverse()]) {
        expect(kept.query.run(list)).toEqual(plain.query.run(list));
      }
    }
    const a = kept.query.run(events);
    const b = kept.query.run(events);
    expect(a.matches.length).toBe(3);
    expect(a.matches[0]?.events).not.toBe(b.matches[0]?.events);
  });
  it('reports the same runtime error (the first command to fail on any row, as without the option)', () => {
    // The first event fails at the second EVAL, the second at the first: the error is the second's.
    const q = `FROM logs-* | EVAL r1 = REPLACE(msg, p1, "x") | EVAL r2 = REPLACE(msg, p2, "y")`;
    const plain = compileQuery('esql', q, { now: NOW });
    const kept = compileQuery('esql', q, { now: NOW, immutableEvents: true });
    if (!plain.ok || !kept.ok) throw new Error('does not compile');
    const list = [
      { '@timestamp': '2025-01-01T00:00:00Z', msg: 'a', p1: 'a', p2: '(' },
      { '@timestamp': '2025-01-01T00:00:01Z', msg: 'a', p1: '[', p2: 'a' },
    ];
    const expected = plain.query.run(list);
    expect(expected.matches).toEqual([]);
    expect(expected.notes.length).toBe(1);
    expect(expected.notes[0]).toMatch(/^REPLACE: .*character class/);
    expect(kept.query.run(list)).toEqual(expected);
    expect(kept.query.run(list)).toEqual(expected);
    expect(kept.query.run(list.slice(0, 1))).toEqual(plain.query.run(list.slice(0, 1)));
  });
});
