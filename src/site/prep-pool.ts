/**
 * Worker threads for the costly, independent parts of site preparation (Node edge): markdown
 * rendering (remark + sanitize-html) and example synthesis (a search: most rules take a few
 * milliseconds, a few take seconds). `runPrepPool` spreads tasks over a few workers, one task
 * per message, a few queued per worker (`QUEUE_DEPTH`), and returns every reply.
 *
 * Whether synthesis gives up is decided inside it by a work budget (a count: the same on every
 * machine). The wall-clock `deadlineMs` is only a safety net that must not change the output: a
 * worker still synthesising after it is terminated and replaced, and the task is reported as
 * timed out and as failed (for the caller to run in its own thread, to the same result), with
 * a warning on stderr.
 * Tasks of a worker that fails are reported as failed, for the caller to run in its own thread:
 * the result is complete either way.
 */
import { Worker } from 'node:worker_threads';
import type { SynthesisResult } from '../eval/examples/index';
import type { PrintParts } from '../views/rule-page';
import { workerUrl } from '../paths';

export type PrepTask =
  /** Markdown → sanitised HTML, or with `plain` → its plain text (`markdownText`). */
  | { id: number; kind: 'markdown'; texts: string[]; plain?: boolean }
  | { id: number; kind: 'example'; rule: Record<string, unknown>; now: number }
  /** Rules' queries printed, and the printed text analysed (`printParts`). */
  | { id: number; kind: 'print'; rules: Record<string, unknown>[] };

export type PrepReply =
  | { id: number; kind: 'ready' }
  | { id: number; kind: 'markdown'; html: string[] }
  | { id: number; kind: 'example'; result: SynthesisResult }
  | { id: number; kind: 'print'; parts: PrintParts[] };

export interface PrepPoolOptions {
  workers: number;
  /** Milliseconds an example task may take (from when a worker starts it). */
  deadlineMs: number;
  onReply?: (done: number, total: number) => void;
}

export interface PrepPoolOutcome {
  replies: Map<number, PrepReply>;
  /** Example tasks stopped at the safety deadline (also in `failed`: run them in this thread, to the same result). */
  timedOut: number[];
  /** Tasks a worker took but never answered (it failed): run them in this thread. */
  failed: PrepTask[];
  workerErrors: string[];
}

interface Slot {
  worker: Worker;
  /** Tasks posted to the worker and not answered yet, oldest first: the first is the one it runs. */
  queue: PrepTask[];
  timer: ReturnType<typeof setTimeout> | null;
  dead: boolean;
}

const BOOT = workerUrl('prep-worker');

/**
 * Tasks kept posted to each worker. A worker answers its tasks in order and starts the next the
 * moment it answers one, without waiting for this thread, which hands tasks out between long
 * synchronous stretches (Astro's bundling): with one task at a time the workers sat idle about a
 * third of the build.
 */
export const QUEUE_DEPTH = 4;

export function runPrepPool(tasks: readonly PrepTask[], options: PrepPoolOptions): Promise<PrepPoolOutcome> {
  const out: PrepPoolOutcome = { replies: new Map(), timedOut: [], failed: [], workerErrors: [] };
  if (tasks.length === 0) return Promise.resolve(out);
  return new Promise((resolve) => {
    let next = 0;
    /** Tasks a retired worker had queued but not started: handed out again first. */
    const again: PrepTask[] = [];
    let settled = 0;
    const slots = new Set<Slot>();
    const left = (): boolean => again.length > 0 || next < tasks.length;
    const take = (): PrepTask | undefined => again.shift() ?? (next < tasks.length ? tasks[next++] : undefined);
    const finish = (): void => {
      if (settled < tasks.length) return;
      for (const s of slots) void s.worker.terminate();
      slots.clear();
      resolve(out);
    };
    const settle = (): void => {
      settled++;
      options.onReply?.(settled, tasks.length);
    };
    /** Arms the safety deadline of the task the worker runs now (the head of its queue). */
    const arm = (slot: Slot): void => {
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
      const task = slot.queue[0];
      if (!task || task.kind !== 'example') return;
      slot.timer = setTimeout(() => {
        if (slot.dead || slot.queue[0] !== task) return;
        out.timedOut.push(task.id);
        out.failed.push(task);
        const why = `example task ${task.id} still running after the ${options.deadlineMs} ms safety deadline: terminated, to be run in the main thread`;
        out.workerErrors.push(why);
        console.warn(`ruledex: ${why}`);
        retire(slot);
        settle();
        replace();
        finish();
      }, options.deadlineMs);
    };
    /** Tops the worker's queue up to QUEUE_DEPTH; a worker with nothing left to do is stopped. */
    const fill = (slot: Slot): void => {
      if (slot.dead) return;
      const wasIdle = slot.queue.length === 0;
      while (slot.queue.length < QUEUE_DEPTH) {
        const task = take();
        if (!task) break;
        slot.queue.push(task);
        slot.worker.postMessage(task);
      }
      if (slot.queue.length === 0) {
        slot.dead = true;
        slots.delete(slot);
        void slot.worker.terminate();
        finish();
        return;
      }
      if (wasIdle) arm(slot);
    };
    /** Stops a worker; the tasks it had queued behind the one it ran go to the others. */
    const retire = (slot: Slot): void => {
      slot.dead = true;
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
      again.push(...slot.queue.slice(1));
      slot.queue = [];
      slots.delete(slot);
      void slot.worker.terminate();
    };
    const replace = (): void => {
      if (left()) start();
    };
    const start = (): void => {
      let worker: Worker;
      try {
        worker = new Worker(BOOT);
      } catch (e) {
        out.workerErrors.push(e instanceof Error ? e.message : String(e));
        // No worker at all: the caller runs what is left.
        if (slots.size === 0) {
          for (let t = take(); t; t = take()) {
            out.failed.push(t);
            settle();
          }
          finish();
        }
        return;
      }
      const slot: Slot = { worker, queue: [], timer: null, dead: false };
      slots.add(slot);
      worker.on('message', (reply: PrepReply) => {
        if (slot.dead) return;
        if (reply.kind === 'ready') {
          fill(slot);
          return;
        }
        const head = slot.queue[0];
        if (head && reply.id === head.id) {
          slot.queue.shift();
          out.replies.set(reply.id, reply);
          settle();
          arm(slot);
        }
        fill(slot);
      });
      const lost = (why: string): void => {
        if (slot.dead) return;
        out.workerErrors.push(why);
        const task = slot.queue[0];
        retire(slot);
        if (task) {
          out.failed.push(task);
          settle();
        }
        // Replace a failed worker once per failure while work remains; if none is left, the caller runs the rest.
        if (slots.size === 0 && out.workerErrors.length > options.workers * 2) {
          for (let t = take(); t; t = take()) {
            out.failed.push(t);
            settle();
          }
        } else replace();
        finish();
      };
      worker.on('error', (e) => lost(e instanceof Error ? e.message : String(e)));
      worker.on('exit', (code) => lost(`worker exited (${code})`));
    };
    for (let i = 0; i < Math.max(1, options.workers); i++) start();
  });
}
