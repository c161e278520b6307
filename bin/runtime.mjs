// The Node runtime Ruledex runs in. Node gives V8 a pool of 4 background threads (the optimising
// compiler, concurrent and parallel garbage collection) whatever the machine; on a machine with
// few cores those threads take the main thread's core: on 2 cores the corpus's ES|QL queries
// parse cold in 0.07-0.15 s with 4 threads, 0.062 s with 1; the catalog stages take 2.4-2.5 s
// instead of 2.6 s, and a full site build peaks at 1.3 GB instead of 1.6 GB. So the `ruledex`
// command (and the benchmarks, to measure what it runs) runs with one thread fewer than the cores,
// 1 to 4: when this process was started without `--v8-pool-size` and the size differs from
// Node's, it starts itself again with the option and passes its exit on.
import { spawn } from 'node:child_process';
import { availableParallelism, constants } from 'node:os';

const FLAG = '--v8-pool-size';

/** V8's background threads for a machine with `cores` cores: one fewer than the cores, 1 to 4. */
export function v8PoolSize(cores = availableParallelism()) {
  return Math.max(1, Math.min(4, cores - 1));
}

/** The pool size this process runs with (Node's default 4 unless the option was given). */
export function currentPoolSize() {
  const args = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  for (let i = args.length - 1; i >= 0; i--) {
    const a = args[i];
    if (a.startsWith(`${FLAG}=`)) return Number(a.slice(FLAG.length + 1));
    if (a === FLAG && args[i + 1] !== undefined) return Number(args[i + 1]);
  }
  return 4;
}

/**
 * Runs this script again with the pool sized to the machine when it is not, and resolves to the
 * child's exit code (the caller exits with it); resolves to null when this process is already
 * right, when RULEDEX_NO_RELAUNCH is set, or when the child cannot be started (the caller then
 * runs here). SIGTERM and SIGHUP are passed on to the child; SIGINT (Ctrl-C reaches the whole
 * process group) is left to the child.
 */
export function relaunch(args = process.argv.slice(1)) {
  const size = v8PoolSize();
  if (process.env.RULEDEX_NO_RELAUNCH || currentPoolSize() === size) return Promise.resolve(null);
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(process.execPath, [...process.execArgv, `${FLAG}=${size}`, ...args], {
        stdio: 'inherit',
        env: { ...process.env, RULEDEX_NO_RELAUNCH: '1' },
      });
    } catch {
      resolve(null);
      return;
    }
    const pass = (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    const ignore = () => {};
    process.on('SIGTERM', pass);
    process.on('SIGHUP', pass);
    process.on('SIGINT', ignore);
    let started = false;
    child.once('spawn', () => {
      started = true;
    });
    child.once('error', () => {
      if (!started) resolve(null);
    });
    child.once('exit', (code, signal) => {
      process.off('SIGTERM', pass);
      process.off('SIGHUP', pass);
      process.off('SIGINT', ignore);
      resolve(code ?? 128 + (constants.signals[signal] ?? 1));
    });
  });
}
