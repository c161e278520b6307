/**
 * A site preparation worker (Node edge): renders markdown, synthesises examples and prints rules'
 * queries for `PrepPool` (see prep-pool.ts), one message per task, answered in order.
 */
import { parentPort } from 'node:worker_threads';
import { synthesizeExamples, type SynthesisResult } from '../eval/examples/index';
import type { Rule } from '../model/rule';
import { parseRuleQueries } from '../lang/rule-queries';
import { markdownText, renderMarkdown } from '../views/markdown';
import { printParts } from '../views/rule-page';
import type { PrepReply, PrepTask } from './prep-pool';

const port = parentPort;

function synthesise(rule: Record<string, unknown>, now: number): SynthesisResult {
  try {
    // The evaluator's fields of the rule (`evaluatorRule`): all that synthesis reads.
    return synthesizeExamples(rule as unknown as Rule, { now });
  } catch (e) {
    return { ok: false, reason: `example synthesis failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

port?.on('message', (task: PrepTask) => {
  let reply: PrepReply;
  if (task.kind === 'markdown') {
    reply = { id: task.id, kind: 'markdown', html: task.texts.map((t) => (task.plain ? markdownText(t) : renderMarkdown(t))) };
  } else if (task.kind === 'print') {
    reply = { id: task.id, kind: 'print', parts: task.rules.map((r) => printParts(r as unknown as Rule, parseRuleQueries(r as unknown as Rule))) };
  } else {
    reply = { id: task.id, kind: 'example', result: synthesise(task.rule, task.now) };
  }
  port.postMessage(reply);
});

port?.postMessage({ id: -1, kind: 'ready' } satisfies PrepReply);
