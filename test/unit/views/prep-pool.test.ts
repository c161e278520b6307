/** The site build's worker pool (src/site/prep-pool.ts): markdown and examples in worker threads, with a deadline. */
import { describe, expect, it } from 'vitest';
import { synthesizeExamples } from '../../../src/eval/examples/index';
import { runPrepPool, type PrepTask } from '../../../src/site/prep-pool';
import { exampleDeadline, printInput } from '../../../src/site/prepare';
import { parseRuleQueries } from '../../../src/lang/rule-queries';
import { DEFERRED_EXAMPLE, isDeferredExample } from '../../../src/site/examples';
import { markdownText, renderMarkdown } from '../../../src/views/markdown';
import { evaluatorRule, printedRule, printParts, printRule, rulePage } from '../../../src/views/rule-page';
import { exampleModel, IDS } from './fixture';

const model = await exampleModel();
const rule = model.byId.get(IDS.osascriptSequence);
if (!rule) throw new Error('no rule');

describe('the preparation pool', () => {
  it('answers every task as this thread would', async () => {
    const md = ['# Title\n\nSome *text* and <script>x</script>', '- a\n- b'];
    const printed = model.rules.filter((r) => r.query !== null).slice(0, 6);
    const tasks: PrepTask[] = [
      { id: 0, kind: 'example', rule: evaluatorRule(rule), now: model.now },
      { id: 1, kind: 'markdown', texts: md },
      { id: 2, kind: 'markdown', texts: md, plain: true },
      { id: 3, kind: 'print', rules: printed.map(printInput) },
    ];
    const progress: number[] = [];
    const out = await runPrepPool(tasks, { workers: 2, deadlineMs: 60_000, onReply: (d) => progress.push(d) });
    expect([out.timedOut, out.failed, out.workerErrors]).toEqual([[], [], []]);
    expect(progress).toEqual([1, 2, 3, 4]);
    // The rules printed from what the worker gets of them (`printInput`) print as the whole rules do here.
    expect(out.replies.get(3)).toEqual({ id: 3, kind: 'print', parts: printed.map((r) => printParts(r, parseRuleQueries(r))) });
    expect(printed.map((r) => printedRule(r, printParts(r, parseRuleQueries(r))))).toEqual(printed.map((r) => printRule(r, parseRuleQueries(r))));
    expect(out.replies.get(1)).toEqual({ id: 1, kind: 'markdown', html: md.map((m) => renderMarkdown(m)) });
    expect(out.replies.get(2)).toEqual({ id: 2, kind: 'markdown', html: md.map((m) => markdownText(m)) });
    expect(out.replies.get(0)).toEqual({ id: 0, kind: 'example', result: JSON.parse(JSON.stringify(synthesizeExamples(rule, { now: model.now }))) });
  }, 60_000);

  it('stops an example at the deadline and still answers the rest', async () => {
    // One worker: the markdown tasks wait in its queue behind the example (QUEUE_DEPTH), and
    // go to its replacement when it is stopped.
    const tasks: PrepTask[] = [
      { id: 0, kind: 'example', rule: evaluatorRule(rule), now: model.now },
      { id: 1, kind: 'markdown', texts: ['*x*'] },
      { id: 2, kind: 'markdown', texts: ['*y*'] },
      { id: 3, kind: 'markdown', texts: ['*z*'] },
    ];
    const out = await runPrepPool(tasks, { workers: 1, deadlineMs: 0.001 });
    expect(out.timedOut).toEqual([0]);
    // A safety net only: the task is handed back to run in the caller's thread, to the same result.
    expect(out.failed.map((t) => t.id)).toEqual([0]);
    expect([...out.replies.keys()].sort()).toEqual([1, 2, 3]);
    expect(out.replies.get(1)).toEqual({ id: 1, kind: 'markdown', html: [renderMarkdown('*x*')] });
    expect(out.replies.get(3)).toEqual({ id: 3, kind: 'markdown', html: [renderMarkdown('*z*')] });
  }, 60_000);

  it('the deadline is 2 s, or RULEDEX_EXAMPLE_DEADLINE_MS, stretched by load beyond the cores (at most 8×)', () => {
    expect(exampleDeadline({}, 0.5, 2)).toBe(2000);
    expect(exampleDeadline({ RULEDEX_EXAMPLE_DEADLINE_MS: '500' }, 1, 2)).toBe(500);
    expect(exampleDeadline({}, 6, 2)).toBe(6000);
    expect(exampleDeadline({}, 100, 2)).toBe(16000);
  });

  it('the cache marks an example the build gave up on, so a rebuild writes the same page', () => {
    expect([isDeferredExample(DEFERRED_EXAMPLE), isDeferredExample({ ok: false, reason: 'no indicator' }), isDeferredExample(synthesizeExamples(rule, { now: model.now }))]).toEqual([true, false, false]);
  });

  it('a rule whose example the build gave up on lets the browser make it', () => {
    const ev = rulePage(model, rule, { examplesDeferred: true }).evaluator;
    expect([ev?.synthesise, ev?.examplesHref, ev?.events, ev?.external]).toEqual([true, null, '', false]);
    expect(ev?.note).toBe('making one needs more work than the site build spends on one rule; the evaluator makes it in your browser when it starts (it may take a few seconds)');
    expect(rulePage(model, rule, { examples: synthesizeExamples(rule, { now: model.now }) }).evaluator?.synthesise).toBe(false);
  });
});
