// Entry of a site preparation worker thread. Workers do not inherit the main thread's TypeScript
// loader, so register tsx here, then load the worker proper (prep-worker.ts).
import { register } from 'tsx/esm/api';

register();
await import('./prep-worker.ts');
