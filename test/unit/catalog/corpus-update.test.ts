/**
 * `CorpusCounter` updates the previous counts when a few rules change: the result must equal
 * counting afresh (`buildCorpusIndex`), after every kind of change, one after another: a rule
 * re-analysed, added, removed; spellings and letter case changed under case-sensitive and
 * case-insensitive operators; a rule's last key on a field gone.
 */
import { describe, expect, it } from 'vitest';
import type { AnalysedRule } from '../../../src/analysis';
import { buildCorpusIndex } from '../../../src/catalog/corpus';
import { CorpusCounter } from '../../../src/catalog/corpus-update';
import type { Rule } from '../../../src/model/rule';
import { analyse, eqlRule, esqlRule, queryRule } from '../analysis/helpers';

const one = (id: string, rule: Rule): AnalysedRule => ({ id, analysis: analyse({ ...rule, id }).analysis });
const byId = (rules: AnalysedRule[]): AnalysedRule[] => [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

describe('corpus counts updated for a few changed rules', () => {
  const base = byId([
    one('r1', queryRule('process.name:(bash or sh or zsh) and not user.id:"S-1-5-18" and host.os.type:linux')),
    one('r2', eqlRule('process where process.name == "bash" and user.id != "S-1-5-18" and host.os.type == "linux"')),
    one('r3', eqlRule('process where process.name : ("BASH", "Dash") and not host.os.type == "linux"')),
    one('r4', esqlRule('FROM x | WHERE process.name == "Bash" AND user.id == "S-1-5-18"')),
    one('r5', eqlRule('process where process.name == "curl" and process.args : "*http*"')),
    one('r6', eqlRule('file where file.path : "/etc/*" and not process.name == "bash"')),
  ]);
  // Each step replaces the rule set; the counter sees them in order.
  const steps: [string, AnalysedRule[]][] = [
    ['the same rules', base],
    ['a rule re-analysed with another spelling', byId([...base.filter((r) => r.id !== 'r2'), one('r2', eqlRule('process where process.name == "BASH" and user.id != "S-1-5-18"'))])],
    ['a case-insensitive rule becomes case-sensitive', byId([...base.filter((r) => r.id !== 'r3'), one('r3', eqlRule('process where process.name == "Dash" and not host.os.type == "windows"'))])],
    ['a rule added in the middle', byId([...base, one('r35', queryRule('process.name:zsh and file.path:/etc/*'))])],
    ['a rule removed', base.filter((r) => r.id !== 'r1')],
    ['a field loses its last rule', base.filter((r) => r.id !== 'r6')],
    ['back to the start', base],
    ['two rules swap their queries', byId([...base.filter((r) => r.id !== 'r4' && r.id !== 'r5'), one('r4', eqlRule('process where process.name == "curl" and process.args : "*http*"')), one('r5', esqlRule('FROM x | WHERE process.name == "Bash" AND user.id == "S-1-5-18"'))])],
  ];

  it('equals counting afresh after each change, and updates rather than recounts', () => {
    const counter = new CorpusCounter();
    expect(counter.count(base)).toEqual(buildCorpusIndex(base));
    expect(counter.lastMode.mode).toBe('full');
    for (const [what, rules] of steps) {
      expect(counter.count(rules), what).toEqual(buildCorpusIndex(rules));
      expect(counter.lastMode.mode, what).toBe('update');
    }
  });

  it('counts afresh when too many rules changed, or when the options differ', () => {
    const counter = new CorpusCounter(1);
    counter.count(base);
    const two = byId([...base.filter((r) => r.id !== 'r1' && r.id !== 'r2'), one('r1', queryRule('process.name:a')), one('r2', queryRule('process.name:b'))]);
    expect(counter.count(two)).toEqual(buildCorpusIndex(two));
    expect(counter.lastMode.mode).toBe('full');
    expect(counter.count(two, { topValues: 1 })).toEqual(buildCorpusIndex(two, { topValues: 1 }));
    expect(counter.lastMode.mode).toBe('full');
  });

  it('keeps the untouched rules\' counted analyses (same objects)', () => {
    const counter = new CorpusCounter();
    const first = counter.count(base);
    const next = byId([...base.filter((r) => r.id !== 'r5'), one('r5', eqlRule('process where process.name == "wget"'))]);
    const second = counter.count(next);
    // r6 shares no key with r5 before or after (its process.name is an exclusion): kept as is.
    expect(second.rules.find((r) => r.id === 'r6')).toBe(first.rules.find((r) => r.id === 'r6'));
    expect(second.rules.find((r) => r.id === 'r5')).not.toBe(first.rules.find((r) => r.id === 'r5'));
  });
});
