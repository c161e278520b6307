/**
 * The incremental build cache on disk (Node edge). One folder per set of sources
 * (`<cacheDir>/catalog/<digest of the sources' labels, kinds and folders>/`, so builds of other
 * sources do not evict each other), holding `SHARDS` shard files (`00.v8` … `1f.v8`): each entry
 * of the cache goes to the shard its key hashes to, and each shard is one `v8.serialize`d value.
 *
 * Why shards: a rebuild after editing one rule changes two entries (its file and its analysis),
 * so it rewrites two shards of thirty-two, not the whole cache. The store remembers which record
 * objects each shard holds on disk (from `load` or the last `save`); the pure build keeps reused
 * records as the same objects, so a shard whose entries are all identical is left alone.
 *
 * Every shard is written to a temporary file and renamed, so an interrupted save never leaves
 * half a shard; a shard that is unreadable, or of another format or pipeline version, loads as
 * empty (its entries are recomputed).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { emptyCache, PIPELINE_VERSION, shardOf, type BuildCache, type CachedAnalysis, type FileRecord } from '../catalog/cache';

export const SHARDS = 32;
/** Changes when the layout of a shard changes (the pipeline's own version is checked too). */
export const STORE_FORMAT = 'ruledex-cache-store-2';

interface ShardValue {
  format: string;
  version: string;
  fileKeys: string[];
  files: FileRecord[];
  analysisKeys: string[];
  analyses: CachedAnalysis[];
}

interface Shard {
  files: Map<string, FileRecord>;
  analyses: Map<string, CachedAnalysis>;
}

export interface SaveStats {
  /** Shards written (the others were unchanged). */
  written: number;
  shards: number;
  bytes: number;
}

const shardName = (i: number): string => `${i.toString(16).padStart(2, '0')}.v8`;

/** The store folder for a set of sources: their labels, kinds and absolute folders, in order. */
export function storeDir(cacheDir: string, sources: readonly { label: string; kind: string; dir: string }[]): string {
  const h = createHash('sha256');
  for (const s of sources) h.update(`${s.label}\u0000${s.kind}\u0000${resolve(s.dir)}\u0001`);
  return join(cacheDir, 'catalog', h.digest('hex').slice(0, 16));
}

function emptyShards(): Shard[] {
  return Array.from({ length: SHARDS }, () => ({ files: new Map(), analyses: new Map() }));
}

function split(cache: BuildCache): Shard[] {
  const shards = emptyShards();
  for (const [k, v] of cache.files) shards[shardOf(k, SHARDS)]!.files.set(k, v);
  for (const [k, v] of cache.analyses) shards[shardOf(k, SHARDS)]!.analyses.set(k, v);
  return shards;
}

function sameEntries<T>(a: ReadonlyMap<string, T>, b: ReadonlyMap<string, T>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

export class CacheStore {
  /** What each shard file holds, as the objects loaded or saved; null before the first load. */
  private disk: Shard[] | null = null;

  constructor(readonly dir: string) {}

  /** Reads every shard; missing or unusable ones are empty. Never throws. */
  load(): BuildCache {
    const cache = emptyCache();
    const disk = emptyShards();
    for (let i = 0; i < SHARDS; i++) {
      let v: ShardValue;
      try {
        v = deserialize(readFileSync(join(this.dir, shardName(i)))) as ShardValue;
      } catch {
        continue;
      }
      if (v === null || typeof v !== 'object' || v.format !== STORE_FORMAT || v.version !== PIPELINE_VERSION) continue;
      const shard = disk[i]!;
      v.fileKeys.forEach((k, j) => {
        const r = v.files[j] as FileRecord;
        shard.files.set(k, r);
        cache.files.set(k, r);
      });
      v.analysisKeys.forEach((k, j) => {
        const a = v.analyses[j] as CachedAnalysis;
        shard.analyses.set(k, a);
        cache.analyses.set(k, a);
      });
    }
    this.disk = disk;
    return cache;
  }

  /** Writes the shards whose entries differ from what is on disk. */
  save(cache: BuildCache): SaveStats {
    const shards = split(cache);
    mkdirSync(this.dir, { recursive: true });
    const stats: SaveStats = { written: 0, shards: SHARDS, bytes: 0 };
    shards.forEach((shard, i) => {
      const old = this.disk?.[i];
      if (old && sameEntries(shard.files, old.files) && sameEntries(shard.analyses, old.analyses)) return;
      const value: ShardValue = {
        format: STORE_FORMAT,
        version: cache.version,
        fileKeys: [...shard.files.keys()],
        files: [...shard.files.values()],
        analysisKeys: [...shard.analyses.keys()],
        analyses: [...shard.analyses.values()],
      };
      const bytes = serialize(value);
      const target = join(this.dir, shardName(i));
      const tmp = `${target}.${process.pid}.tmp`;
      try {
        writeFileSync(tmp, bytes);
        renameSync(tmp, target);
      } catch (e) {
        rmSync(tmp, { force: true });
        throw e;
      }
      stats.written++;
      stats.bytes += bytes.length;
    });
    this.disk = shards;
    return stats;
  }
}

export { defaultCacheDir } from '../paths';
