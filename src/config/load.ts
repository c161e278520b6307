/**
 * Reading the config file (Node edge). `ruledex.config.json` (or `.mjs` / `.ts`, whose default
 * export is the config object: `export default defineConfig({ … })`) in the working directory,
 * or the file `--config` names. Problems in a JSON config are placed at the line and column of
 * the offending key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { diagnostic } from '../model/diagnostic';
import { resolveOptions, validateConfig, type ConfigFlags, type ConfigResult, type ResolvedOptions, type RuledexConfig } from './schema';
import { BUNDLED } from '../paths';

export const CONFIG_NAMES = ['ruledex.config.json', 'ruledex.config.mjs', 'ruledex.config.ts'] as const;

/** The config file in `dir`, or null when there is none. */
export function findConfig(dir = '.'): string | null {
  for (const name of CONFIG_NAMES) {
    const p = resolve(dir, name);
    if (existsSync(p)) return p;
  }
  return null;
}

/** Line and column (1-based) of a UTF-16 offset. */
function place(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}

let tsLoader: Promise<void> | null = null;

/**
 * A TypeScript config needs a TypeScript loader: from sources tsx (or Vite) already runs one; the
 * CLI bundle registers tsx when it first meets such a config.
 */
function typeScriptLoader(): Promise<void> {
  if (!BUNDLED) return Promise.resolve();
  tsLoader ??= import('tsx/esm/api').then((m) => {
    m.register();
  });
  return tsLoader;
}

/** Reads, parses and validates a config file; never throws. */
export async function loadConfig(file: string): Promise<ConfigResult> {
  if (/\.(mjs|js|ts|mts)$/.test(file)) {
    try {
      if (/\.m?ts$/.test(file)) await typeScriptLoader();
      const mod = (await import(pathToFileURL(resolve(file)).href)) as { default?: unknown };
      return validateConfig(mod.default, file);
    } catch (e) {
      return { config: null, diagnostics: [diagnostic('error', 'config-unreadable', file, null, `cannot load the config: ${e instanceof Error ? e.message : String(e)}`)] };
    }
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { config: null, diagnostics: [diagnostic('error', 'config-unreadable', file, null, code === 'ENOENT' ? 'config file not found' : `cannot read the config: ${(e as Error).message}`)] };
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // Node 20 names a position for some errors only; newer versions add line and column.
    const pos = /position (\d+)/.exec(msg);
    const lc = /line (\d+) column (\d+)/.exec(msg);
    const where = lc ? { line: Number(lc[1]), column: Number(lc[2]) } : pos ? place(text, Number(pos[1])) : null;
    return { config: null, diagnostics: [diagnostic('error', 'config-syntax', file, where, `not valid JSON: ${msg.split('\n')[0] ?? msg}`)] };
  }
  return placeDiagnostics(validateConfig(value, file), text);
}

/**
 * Offsets of every key (`sources[0].upstream.url` → the offset of `"url"`) and array element
 * (`sources[1]` → its first character) of a valid JSON text.
 */
export function locateJsonPath(text: string): Map<string, number> {
  const at = new Map<string, number>();
  let i = 0;
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
  };
  const str = (): string => {
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      ws();
      if (text[i] === (c === '{' ? '}' : ']')) {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        ws();
        let p: string;
        if (c === '{') {
          const keyAt = i;
          const k = str();
          p = path ? `${path}.${k}` : k;
          if (!at.has(p)) at.set(p, keyAt);
          ws();
          i++; // ':'
        } else {
          p = `${path}[${n}]`;
          at.set(p, i);
        }
        value(p);
        ws();
        if (text[i++] !== ',') return;
      }
    }
    if (c === '"') str();
    else while (i < text.length && !/[,\]}\s]/.test(text[i] as string)) i++;
  };
  try {
    value('');
  } catch {
    // Only called on text JSON.parse accepted; a surprise leaves the places found so far.
  }
  return at;
}

/** Gives each config diagnostic the line and column of the key its message starts with. */
function placeDiagnostics(r: ConfigResult, text: string): ConfigResult {
  let paths: Map<string, number> | null = null;
  const diagnostics = r.diagnostics.map((d) => {
    if (d.line !== null) return d;
    const path = /^([^\s:]+):/.exec(d.message)?.[1];
    if (!path) return d;
    paths ??= locateJsonPath(text.replace(/^\uFEFF/, ''));
    // The nearest located ancestor (`sources[0].kind` may be absent when the whole source is).
    for (let p: string | undefined = path; p; p = /^(.*)(?:\.[^.[\]]+|\[\d+\])$/.exec(p)?.[1]) {
      const off = paths.get(p);
      if (off !== undefined) return { ...d, ...place(text, off) };
    }
    return d;
  });
  return { config: r.config, diagnostics };
}

/** Makes a resolved config's relative paths relative to the config file's folder. */
export function resolveAgainst<T extends { sources: { dir: string }[]; attack: string | null; cacheDir: string; buildCacheDir?: string | null }>(opts: T, configDir: string): T {
  return {
    ...opts,
    sources: opts.sources.map((s) => ({ ...s, dir: resolve(configDir, s.dir) })),
    attack: opts.attack === null ? null : resolve(configDir, opts.attack),
    cacheDir: resolve(configDir, opts.cacheDir),
    ...(opts.buildCacheDir != null ? { buildCacheDir: resolve(configDir, opts.buildCacheDir) } : {}),
  };
}

/**
 * What a command uses: the config's settings (paths relative to the config file's folder), then
 * the flags over them (paths as given, relative to the working directory).
 */
export function resolveWithFlags(config: RuledexConfig | null, configFile: string | null, flags: ConfigFlags): ResolvedOptions {
  if (config === null || configFile === null) return resolveOptions(null, flags);
  const fromConfig = resolveAgainst(resolveOptions(config), dirname(resolve(configFile)));
  const withFlags = resolveOptions(config, flags);
  return {
    sources: flags.source && flags.source.length > 0 ? withFlags.sources : fromConfig.sources,
    attack: flags.attack ?? fromConfig.attack,
    base: withFlags.base,
    site: withFlags.site,
    cacheDir: fromConfig.cacheDir,
    buildCacheDir: flags.cacheDir ?? fromConfig.buildCacheDir,
  };
}
