/**
 * The many-file parts of the JSON API, written straight into the built site (Node edge) instead
 * of through Astro endpoint routes (thousands of routes, each costing Astro's per-route work for
 * a string the view already made): one JSON per rule, the raw TOML of rules whose page shows only
 * a preview of it, the examples JSON, the Navigator layers, the catalog JSON (tens of megabytes:
 * written in pieces, a few megabytes per step), and the redirect pages of the rules' slugs. The routes in src/pages/api stay
 * for `astro dev` and generate nothing when the context says `direct`.
 */
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogApiChunks, ruleApiJson } from '../views/api';
import { writeChunks } from '../write-output';
import { examplesJson, MAX_INLINE_BODY } from '../views/rule-page';
import { segment } from '../views/urls';
import { redirectHtml } from '../views/redirect';
import { layersOf } from './attack';
import { aliasPages } from './routes';
import type { SiteContext } from './context';

export interface DirectStats {
  files: number;
  bytes: number;
}

/**
 * Writes the direct files under `outDir` (the built site's root) in steps: `step` writes those
 * the site model alone makes (rule JSON, raw TOML, then the Navigator layers), a few rules at a
 * time, for `runAstro` to do while the rule pages wait for the examples; `finish` writes what is
 * left, and the examples JSON (only once the context is `ready`).
 */
export interface DirectWriter {
  /** Writes the model's files of the next `rules` rules (the layers after the last); false when none are left. */
  step(rules: number): boolean;
  finish(): DirectStats;
}

export function directWriter(ctx: SiteContext, outDir: string): DirectWriter {
  const stats: DirectStats = { files: 0, bytes: 0 };
  const made = new Set<string>();
  const write = (dir: string, name: string, text: string): void => {
    const d = join(outDir, dir);
    if (!made.has(d)) {
      mkdirSync(d, { recursive: true });
      made.add(d);
    }
    writeFileSync(join(d, name), text);
    stats.files++;
    stats.bytes += Buffer.byteLength(text);
  };
  const rules = ctx.model.rules;
  const aliases = aliasPages(ctx);
  let nextAlias = 0;
  let next = 0;
  let layers = false;
  let catalog: { fd: number; chunks: Iterator<string> } | null = null;
  let catalogDone = false;
  /** Writes about `bytes` more of the catalog JSON; false once it is all written. */
  const catalogStep = (bytes: number): boolean => {
    if (catalogDone) return false;
    if (catalog === null) {
      mkdirSync(join(outDir, 'api'), { recursive: true });
      catalog = { fd: openSync(join(outDir, 'api', 'catalog.json'), 'w'), chunks: catalogApiChunks(ctx.model)[Symbol.iterator]() };
      stats.files++;
    }
    const batch: string[] = [];
    let size = 0;
    while (size < bytes) {
      const r = catalog.chunks.next();
      if (r.done) {
        catalogDone = true;
        break;
      }
      batch.push(r.value);
      size += r.value.length;
    }
    stats.bytes += writeChunks(catalog.fd, batch);
    if (catalogDone) closeSync(catalog.fd);
    return !catalogDone;
  };
  const step = (n: number): boolean => {
    const end = Math.min(rules.length, next + n);
    for (; next < end; next++) {
      const r = rules[next] as (typeof rules)[number];
      const seg = segment(r.id);
      write('api/rules', `${seg}.json`, ruleApiJson(r));
      if (r.rawToml !== null && r.rawToml.length > MAX_INLINE_BODY) write('api/rules', `${seg}.toml`, r.rawToml);
    }
    if (next < rules.length) return true;
    if (nextAlias < aliases.length) {
      const endAlias = Math.min(aliases.length, nextAlias + n);
      for (; nextAlias < endAlias; nextAlias++) {
        const a = aliases[nextAlias] as (typeof aliases)[number];
        write(`rules/${a.segment}`, 'index.html', redirectHtml(a.page));
      }
      return true;
    }
    if (!layers) {
      layers = true;
      for (const l of layersOf(ctx)) write('api/navigator', `${segment(l.key)}.json`, `${JSON.stringify(l.layer, null, 2)}\n`);
      return true;
    }
    return catalogStep(n * 100_000);
  };
  return {
    step,
    finish() {
      while (step(rules.length));
      for (const r of rules) {
        const ex = ctx.examples.get(r.id);
        if (ex?.ok && r.query !== null && r.language !== null) write('api/examples', `${segment(r.id)}.json`, examplesJson(ex.examples));
      }
      return stats;
    },
  };
}

/** Writes every direct file under `outDir` (the built site's root). */
export function writeDirect(ctx: SiteContext, outDir: string): DirectStats {
  return directWriter(ctx, outDir).finish();
}
