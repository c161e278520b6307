/**
 * The evaluator session of one rule page (lazily loaded chunk): parses the editors' text, runs
 * the rule (src/eval, the same code as `ruledex eval`), shows the verdict, the per-predicate
 * trace of the chosen event highlighted in the printed query, and for sequences and samples a
 * timeline of which events filled which stage.
 */
import { parseEventsText } from '../../eval/limits';
import { compileRule, evaluateCompiledRule, explainRuleEvent, type CompiledRule, type RuleEvaluation } from '../../eval/rules';
import { traceLeaves, type TraceNode } from '../../eval/trace';
import type { QueryLanguage, Rule } from '../../model/rule';
import { highlight, type Mark } from '../../views/highlight';

export interface EvalSession {
  evaluate(): void;
  showTrace(): void;
}

interface Parsed {
  events: unknown[];
  history?: unknown[];
  indicators?: unknown[];
}

function q<T extends HTMLElement = HTMLElement>(host: HTMLElement, role: string): T | null {
  return host.querySelector<T>(`[data-role="${role}"]`);
}

function text(tag: string, s: string, cls?: string): HTMLElement {
  const e = document.createElement(tag);
  e.textContent = s;
  if (cls) e.className = cls;
  return e;
}

function fmt(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 79)}…` : s;
}

function leafTitle(n: TraceNode): string {
  const parts: string[] = [n.outcome === 'true' ? 'held' : n.outcome === 'missing' ? 'field missing' : 'failed'];
  if (n.field) parts.push(n.field);
  if (n.values && n.values.length) parts.push(`values: ${n.values.map(fmt).join(', ')}`);
  if (n.note) parts.push(n.note);
  return parts.join(' · ');
}

function get(doc: unknown, path: string): unknown {
  if (doc === null || typeof doc !== 'object') return undefined;
  const o = doc as Record<string, unknown>;
  if (path in o) return o[path];
  const i = path.indexOf('.');
  return i < 0 ? undefined : get(o[path.slice(0, i)], path.slice(i + 1));
}

function describe(doc: unknown, i: number, tsField: string): string {
  const ts = get(doc, tsField);
  const cat = get(doc, 'event.category');
  const name = get(doc, 'process.name');
  const bits = [`#${i + 1}`];
  if (cat !== undefined) bits.push(String(cat));
  if (name !== undefined) bits.push(String(name));
  if (ts !== undefined) bits.push(`@ ${String(ts)}`);
  return bits.join(' ');
}

export function createSession(host: HTMLElement): EvalSession {
  // The rule's evaluated fields; its query is the printed query the page shows.
  const rule = JSON.parse(host.dataset.rule ?? '{}') as Rule;
  const shown = document.getElementById('printed-query')?.textContent ?? null;
  if (shown !== null) (rule as { query: string | null }).query = shown;
  const now = Number(host.dataset.now);
  const language = (host.dataset.language ?? 'kuery') as QueryLanguage;
  const compiled: CompiledRule = compileRule(rule, Number.isFinite(now) ? { now } : {});
  const printed = rule.query ?? '';
  const tsField = rule.timestampOverride ?? '@timestamp';
  let last: { parsed: Parsed; result: RuleEvaluation } | null = null;

  const verdict = q(host, 'verdict');
  const details = q(host, 'details');
  const pick = q<HTMLSelectElement>(host, 'pick');
  const trace = q(host, 'trace');
  const timelineWrap = q(host, 'timeline-wrap');
  const timeline = q(host, 'timeline');
  const notes = q(host, 'notes');

  const read = (role: string): { ok: true; events: unknown[] } | { ok: false; error: string } | null => {
    const t = q<HTMLTextAreaElement>(host, role);
    return t ? parseEventsText(t.value) : null;
  };

  const setVerdict = (kind: 'match' | 'no-match' | 'error', message: string): void => {
    if (!verdict) return;
    verdict.hidden = false;
    verdict.className = `verdict ${kind === 'match' ? 'ok' : kind === 'no-match' ? 'no' : 'err'}`;
    verdict.dataset.verdict = kind;
    verdict.textContent = message;
  };

  const showTrace = (): void => {
    if (!last || !trace || !pick) return;
    const i = Number(pick.value);
    const doc = last.parsed.events[i];
    if (doc === undefined) {
      trace.innerHTML = highlight(language, printed);
      return;
    }
    const marks: Mark[] = [];
    for (const tree of explainRuleEvent(compiled, doc)) {
      for (const leaf of traceLeaves(tree)) {
        if (leaf.loc.end <= leaf.loc.start || leaf.loc.end > printed.length) continue;
        marks.push({ start: leaf.loc.start, end: leaf.loc.end, cls: `tr-${leaf.outcome}`, title: leafTitle(leaf) });
      }
    }
    // highlight() escapes every piece of text: safe to insert.
    trace.innerHTML = highlight(language, printed, marks);
  };

  const showTimeline = (result: RuleEvaluation, events: readonly unknown[]): void => {
    if (!timeline || !timelineWrap) return;
    const run = result.query;
    if (!run || (run.kind !== 'sequence' && run.kind !== 'sample')) {
      timelineWrap.hidden = true;
      return;
    }
    timelineWrap.hidden = false;
    const inMatch = new Map<number, number>();
    result.alerts.forEach((a, k) => a.events.forEach((e) => inMatch.set(e, k)));
    const order = events.map((_, i) => i).sort((a, b) => String(get(events[a], tsField) ?? '').localeCompare(String(get(events[b], tsField) ?? '')) || a - b);
    const items = order.map((i) => {
      const stages = (run.stages ?? []).filter((s) => s.hits.includes(i)).map((s) => (s.stage < 0 ? 'until' : `term ${s.stage + 1}`));
      const li = text('li', `${describe(events[i], i, tsField)}: ${stages.length ? `fits ${stages.join(', ')}` : 'fits no term'}${inMatch.has(i) ? ` · in match ${(inMatch.get(i) as number) + 1}` : ''}`);
      if (inMatch.has(i)) li.className = 'hit';
      return li;
    });
    timeline.replaceChildren(...items);
  };

  const evaluate = (): void => {
    const ev = read('events');
    if (!ev) return;
    if (!ev.ok) {
      setVerdict('error', `Events: ${ev.error}`);
      return;
    }
    const parsed: Parsed = { events: ev.events };
    for (const role of ['history', 'indicators'] as const) {
      const r = read(role);
      if (!r) continue;
      if (!r.ok) {
        setVerdict('error', `${role === 'history' ? 'History' : 'Indicators'}: ${r.error}`);
        return;
      }
      parsed[role] = r.events;
    }
    let result: RuleEvaluation;
    try {
      result = evaluateCompiledRule(compiled, parsed);
    } catch (e) {
      setVerdict('error', `The evaluator failed: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    last = { parsed, result };
    if (result.error) setVerdict('error', result.error);
    else if (!result.evaluable) setVerdict('error', result.notes.join(' ') || 'This rule cannot be evaluated here.');
    else if (result.fired) {
      const n = result.alerts.length;
      const which = result.alerts
        .slice(0, 3)
        .map((a) => a.events.map((e) => `#${e + 1}`).join(', '))
        .join('; ');
      setVerdict('match', `Match: the rule fires (${n} alert${n === 1 ? '' : 's'}: events ${which}${n > 3 ? '; …' : ''}).`);
    } else setVerdict('no-match', `No match: the rule does not fire on ${parsed.events.length} event${parsed.events.length === 1 ? '' : 's'}.`);

    if (details) details.hidden = false;
    if (pick) {
      const keep = pick.value;
      const first = result.alerts[0]?.events[0];
      pick.replaceChildren(...parsed.events.map((d, i) => {
        const o = document.createElement('option');
        o.value = String(i);
        o.textContent = describe(d, i, tsField);
        return o;
      }));
      if (keep !== '' && Number(keep) < parsed.events.length) pick.value = keep;
      else if (first !== undefined) pick.value = String(first);
    }
    showTrace();
    showTimeline(result, parsed.events);
    if (notes) notes.replaceChildren(...[...result.notes, ...(host.dataset.nearMissNote ? [`Near miss: ${host.dataset.nearMissNote}.`] : [])].map((n) => text('li', n)));
  };

  return { evaluate, showTrace };
}
