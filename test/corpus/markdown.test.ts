/**
 * The markdown fast paths (src/ingest/markdown-fast.ts, markdown-front-matter.ts) against the
 * reference path (gray-matter, remark on the whole body) on every markdown page we have: the
 * security-docs sample, content/, the hostile fixtures and the seeds. Pages must decode
 * identically (page, diagnostics with line/column, spans), and every chunk the fast block reader
 * takes must give the nodes remark gives for what the decoder reads, also on seeded random edits
 * of those chunks. The path counts are pinned so a change that quietly sends the corpus back to
 * remark shows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { decodeMarkdown, splitAtH2 } from '../../src/ingest/decode-markdown';
import { fastParse, type FastStats } from '../../src/ingest/markdown-fast';
import { fastFrontMatter } from '../../src/ingest/markdown-front-matter';
import { readSources } from '../../src/ingest/read-sources';
import type { SourceFile } from '../../src/ingest/types';
import { remark, view } from '../helpers/mdast-view';
import { docsRoot, hasShared, projectRoot, prng, seedsRoot, walk } from '../helpers/shared';

async function markdownFiles(dirs: string[]): Promise<SourceFile[]> {
  const read = await readSources(dirs);
  return read.files.filter((f) => f.path.endsWith('.md'));
}

const newStats = (): FastStats => ({ chunks: 0, fallbackChunks: 0, blocks: 0, remarkBlocks: 0 });

/** Pages decoded differently by the fast and the reference path. */
function differing(files: SourceFile[], stats: FastStats): string[] {
  const out: string[] = [];
  for (const f of files) if (!isDeepStrictEqual(decodeMarkdown(f, { stats }), decodeMarkdown(f, { full: true }))) out.push(f.path);
  return out;
}

/** Chunks (of every section, guides included) where the fast reader's nodes differ from remark's. */
function chunkMismatches(files: SourceFile[]): { read: number; mismatches: string[] } {
  let read = 0;
  const mismatches: string[] = [];
  for (const f of files) {
    const content = matter(f.text, {}).content;
    for (const { start, end } of splitAtH2(content)) {
      const chunk = content.slice(start, end);
      const nodes = fastParse(chunk, remark);
      if (nodes === null) continue;
      read++;
      if (!isDeepStrictEqual(nodes.map(view), remark(chunk).children.map(view))) mismatches.push(`${f.path}@${start}`);
    }
  }
  return { read, mismatches };
}

describe('markdown fast paths on the pages in the repository', () => {
  const ready = markdownFiles([join(projectRoot, 'content'), join(projectRoot, 'test', 'fixtures', 'hostile')]);

  it('decode content/ and the hostile fixtures exactly as the reference path', async () => {
    const files = await ready;
    expect(files.map((f) => f.path.slice(f.path.lastIndexOf('/') + 1)).sort()).toEqual([
      'README.md',
      'encoded-powershell-command-line.md',
      'hostile-markdown-page.md',
      'hostile-no-title.md',
      'launch-agent-plist-written-by-a-script-interpreter.md',
      'prebuilt-rule-1-2-0-encoded-powershell-command-line.md',
      'unusual-dns-query-volume-to-one-domain.md',
    ]);
    const stats = newStats();
    expect(differing(files, stats)).toEqual([]);
    expect(stats).toEqual({ chunks: 11, fallbackChunks: 1, blocks: 99, remarkBlocks: 3 });
  });

  it('read chunks with the nodes remark gives', async () => {
    const { read, mismatches } = chunkMismatches(await ready);
    expect(mismatches).toEqual([]);
    expect(read).toBeGreaterThan(10);
  });
});

describe.skipIf(!hasShared)('markdown fast paths on the security-docs sample and the seeds', () => {
  const ready = (async () => {
    const docs = await markdownFiles([docsRoot]);
    const seeds = walk(seedsRoot, '.txt')
      .filter((p) => !p.includes('/002_'))
      .map((p) => ({ path: p.replace(/\.txt$/, '.md'), text: readFileSync(p, 'utf8'), digest: '' }));
    return { docs, seeds };
  })();

  it('decode all 206 sample pages exactly as the reference path, nearly all without remark', async () => {
    const { docs } = await ready;
    expect(docs).toHaveLength(206);
    const stats = newStats();
    expect(differing(docs, stats)).toEqual([]);
    // Remark still reads 4 list items (`apm-**-transaction**`, a link with `*_*`); no chunk.
    expect(stats).toEqual({ chunks: 397, fallbackChunks: 0, blocks: 4362, remarkBlocks: 4 });
    const frontMatter = docs.filter((f) => f.text.startsWith('---'));
    expect(frontMatter.filter((f) => fastFrontMatter(f.text) === null).map((f) => f.path)).toEqual([]);
  });

  it('decode the four markdown seeds exactly as the reference path', async () => {
    const { seeds } = await ready;
    expect(seeds).toHaveLength(4);
    const stats = newStats();
    expect(differing(seeds, stats)).toEqual([]);
    expect(stats.fallbackChunks).toBe(0);
  });

  it('read chunks of every section with the nodes remark gives', async () => {
    const { docs, seeds } = await ready;
    const { read, mismatches } = chunkMismatches([...docs, ...seeds]);
    expect(mismatches).toEqual([]);
    expect(read).toBeGreaterThan(600);
  });

  it('read randomly edited header and query chunks with the nodes remark gives', async () => {
    const { docs } = await ready;
    const chunks: string[] = [];
    for (const f of docs) {
      const content = matter(f.text, {}).content;
      for (const { start, end } of splitAtH2(content)) {
        const chunk = content.slice(start, end);
        if (!/^## (?:investigation guide|setup)\b/i.test(chunk) || chunk.includes('**Framework**')) chunks.push(chunk);
      }
    }
    const TOKENS = ['*', '**', '***', '_', '__', '`', '```', '~~~', '\t', ' ', '  ', '    ', '- ', '+ ', '* ', '1. ', '> ', '<b>', '<https://x>', '[x]', '](y)', '[a](b)', '![a](b)', '&amp;', '&#58;', '&', '\\', '\n', '\n\n', '# ', '## ', '---', '===', ':', '[r]: /u\n', '\r\n', '\u00a0', '**x**:', '**Tags**:\n\n* a\n', '    * Name: X\n'];
    const rnd = prng(20261202);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    let read = 0;
    const mismatches: string[] = [];
    for (let it = 0; it < 1000; it++) {
      let text = pick(chunks);
      for (let e = 1 + Math.floor(rnd() * 3); e > 0; e--) {
        let at = Math.floor(rnd() * (text.length + 1));
        if (rnd() < 0.5) at = text.lastIndexOf('\n', at - 1) + 1;
        text = rnd() < 0.2 ? text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 3)) : text.slice(0, at) + pick(TOKENS) + text.slice(at);
      }
      const nodes = fastParse(text, remark);
      if (nodes === null) continue;
      read++;
      if (!isDeepStrictEqual(nodes.map(view), remark(text).children.map(view))) mismatches.push(JSON.stringify(text));
    }
    expect(mismatches).toEqual([]);
    expect(read).toBeGreaterThan(400);
  });
});
