/**
 * `ruledex dev`'s server (Node edge): Astro's dev server, run in this process over a prepared
 * site context handed over the way `ruledex build` does it (the `globalThis` slot of
 * `./context`), plus a small Vite plugin that lets the watch loop swap the context and reload
 * every open page:
 *
 *   const server = await startDevServer(ctx, { port: 4321 });
 *   …  server.update(nextCtx);   // after a rebuild: new context, route cache dropped, pages reload
 *
 * Astro caches each route's `getStaticPaths` in dev until a watched file changes; `update`
 * reports a change of a file no module imports (so Astro drops that cache and nothing else
 * happens), then sends Vite's `full-reload` to the browsers.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { AstroInlineConfig } from 'astro';
import { PROJECT_ROOT } from '../paths';
import { provideSite, clearSite, type SiteContext } from './context';

export interface DevOptions {
  base: string;
  site: string | null;
  host?: string;
  /** 0: any free port. */
  port?: number;
  logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

export interface DevServer {
  /** `http://host:port/base/` */
  url: string;
  port: number;
  /** Serves `ctx` from now on and reloads open pages. */
  update(ctx: SiteContext): void;
  /** Reloads open pages (the context unchanged). */
  reload(): void;
  close(): Promise<void>;
}

/** A path no module imports: reporting it changed makes Astro drop its route cache. */
const SENTINEL = join(PROJECT_ROOT, '.ruledex-dev-rebuild');

/** The part of Vite's dev server the plugin uses. */
interface ViteDevServer {
  watcher: { emit(event: 'change', path: string): boolean };
  ws: { send(payload: { type: 'full-reload'; path: string }): void };
}

function give(ctx: SiteContext): void {
  ctx.direct = false;
  provideSite(ctx.ready ? ctx.ready.then(() => ctx) : ctx);
}

/** A free TCP port on `host` (Vite takes 0 as "its default port", not "any port"). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, host, () => {
      const a = srv.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      srv.close(() => ok(port));
    });
  });
}

export async function startDevServer(ctx: SiteContext, options: DevOptions): Promise<DevServer> {
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  let vite: ViteDevServer | null = null;
  const plugin = {
    name: 'ruledex-dev-reload',
    configureServer(server: ViteDevServer): void {
      vite = server;
    },
  };
  give(ctx);
  const host = options.host ?? '127.0.0.1';
  const wanted = options.port === 0 ? await freePort(host) : (options.port ?? 4321);
  const { dev } = await import('astro');
  const server = await dev({
    root: PROJECT_ROOT,
    base: options.base,
    ...(options.site ? { site: options.site } : {}),
    logLevel: options.logLevel ?? 'warn',
    server: { host, port: wanted },
    // Astro's copy of Vite's plugin type; the plugin only uses the two members above.
    vite: { plugins: [plugin] } as unknown as AstroInlineConfig['vite'],
  });
  const port = server.address.port;
  const reload = (): void => {
    const v = vite as ViteDevServer | null;
    if (!v) return;
    v.watcher.emit('change', SENTINEL);
    v.ws.send({ type: 'full-reload', path: '*' });
  };
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${options.base}`,
    port,
    update(next) {
      give(next);
      reload();
    },
    reload,
    async close() {
      await server.stop();
      clearSite();
    },
  };
}
