// Entry of an ingest decode worker thread. Workers do not inherit the main thread's TypeScript
// loader, so register tsx here, then load the worker proper (decode-worker.ts).
import { register } from 'tsx/esm/api';

register();
await import('./decode-worker.ts');
