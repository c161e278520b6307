/**
 * Reading the config file (Node edge). `ruledex.config.json` (or `.mjs`, whose default export
 * is the config object) in the working directory, or the file `--config` names.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { diagnostic } from '../model/diagnostic';
import { validateConfig, type ConfigResult } from './schema';

export const CONFIG_NAMES = ['ruledex.config.json', 'ruledex.config.mjs'] as const;

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

/** Reads, parses and validates a config file; never throws. */
export async function loadConfig(file: string): Promise<ConfigResult> {
  if (file.endsWith('.mjs') || file.endsWith('.js')) {
    try {
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
  return validateConfig(value, file);
}

/** Makes a resolved config's relative paths relative to the config file's folder. */
export function resolveAgainst<T extends { sources: { dir: string }[]; attack: string | null; cacheDir: string }>(opts: T, configDir: string): T {
  return {
    ...opts,
    sources: opts.sources.map((s) => ({ ...s, dir: resolve(configDir, s.dir) })),
    attack: opts.attack === null ? null : resolve(configDir, opts.attack),
    cacheDir: resolve(configDir, opts.cacheDir),
  };
}
