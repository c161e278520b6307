/**
 * A decode worker (Node edge): waits for a job from `DecodePool`, then decodes chunks of markdown
 * pages, taking chunk numbers from the shared queue, and posts each chunk's records back. It
 * loads only the markdown decoder (the pure `decodeMarkdown`), to start fast.
 */
import { parentPort } from 'node:worker_threads';
import { takeChunk, type WorkerInput, type WorkerMessage } from './chunk-queue';
import { decodeMarkdown } from './decode-markdown';

const port = parentPort;
port?.on('message', (input: WorkerInput) => {
  for (let c = takeChunk(input.queue, 'front'); c >= 0; c = takeChunk(input.queue, 'front')) {
    const [start, end] = input.chunks[c]!;
    const records = input.files.slice(start, end).map((f) => decodeMarkdown(f));
    const msg: WorkerMessage = { chunk: c, records };
    port.postMessage(msg);
  }
  const done: WorkerMessage = { chunk: -1, records: [] };
  port.postMessage(done);
});
const loaded: WorkerMessage = { chunk: -2, records: [] };
port?.postMessage(loaded);
