/**
 * The incremental build cache on disk (Node edge): `<cacheDir>/catalog-cache.json`, written to a
 * temp file and renamed so an interrupted write never leaves half a cache.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserializeCache, emptyCache, serializeCache, type BuildCache } from '../catalog/cache';

export const CACHE_FILE = 'catalog-cache.json';

export function loadBuildCache(cacheDir: string): BuildCache {
  try {
    return deserializeCache(readFileSync(join(cacheDir, CACHE_FILE), 'utf8'));
  } catch {
    return emptyCache();
  }
}

export function saveBuildCache(cacheDir: string, cache: BuildCache): void {
  mkdirSync(cacheDir, { recursive: true });
  const target = join(cacheDir, CACHE_FILE);
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, serializeCache(cache));
  renameSync(tmp, target);
}
