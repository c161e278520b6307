/**
 * The work queue decode threads share: chunk numbers handed out from both ends of a range held
 * in shared memory (`Int32Array` over a `SharedArrayBuffer`: [lock, front, back, files done by
 * workers]). Kept apart from `decode-parallel.ts` so that a worker loads only what it runs.
 */
import type { DecodedMarkdown, SourceFile } from './types';

export const LOCK = 0;
export const FRONT = 1;
export const BACK = 2;
export const WORKER_DONE = 3;

/** The job a worker gets: markdown pages, cut into chunks, and the shared queue. */
export interface WorkerInput {
  files: SourceFile[];
  chunks: [number, number][];
  queue: Int32Array;
}

export interface WorkerMessage {
  /** Chunk number; -1 when the worker has no more work; -2 once it has loaded (before any job). */
  chunk: number;
  records: DecodedMarkdown[];
}

/** Takes the next chunk number from one end of the queue; -1 when the queue is empty. */
export function takeChunk(queue: Int32Array, end: 'front' | 'back'): number {
  while (Atomics.compareExchange(queue, LOCK, 0, 1) !== 0) {
    // spin: the critical section is a few instructions long
  }
  let c = -1;
  const front = queue[FRONT]!;
  const back = queue[BACK]!;
  if (front < back) {
    if (end === 'front') {
      c = front;
      queue[FRONT] = front + 1;
    } else {
      c = back - 1;
      queue[BACK] = back - 1;
    }
  }
  Atomics.store(queue, LOCK, 0);
  return c;
}
