/**
 * The fast markdown renderer (src/views/markdown-fast.ts) against the reference path (remark →
 * markdown.ts's renderer → sanitize-html) on every markdown text the site renders: the
 * description, investigation guide and setup of every rule of the corpus (TOML and markdown
 * pages) and of content/. For each text the fast path reads, its HTML and its plain text must be
 * the reference's byte for byte, and its HTML must come back unchanged from sanitize-html (it is
 * already in the allow-list's form). The same holds on seeded random edits of those texts, so the
 * bail-out checks meet near misses. The number of texts taking the fast path is pinned, so a
 * change that quietly sends the corpus back to remark shows.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSources } from '../../src/ingest/load';
import { markdownTextReference, renderMarkdownReference, sanitise } from '../../src/views/markdown';
import { fastMarkdown, WANT_HTML, WANT_TEXT } from '../../src/views/markdown-fast';
import { docsRoot, hasShared, projectRoot, prng, rulesRoot } from '../helpers/shared';

interface Texts {
  all: string[];
  descriptions: Set<string>;
}

async function siteTexts(dirs: string[]): Promise<Texts> {
  const loaded = await loadSources(dirs, { workers: 0 });
  const all = new Set<string>();
  const descriptions = new Set<string>();
  for (const r of loaded.result.rules) {
    for (const md of [r.description, r.note, r.setup]) if (md) all.add(md);
    if (r.description) descriptions.add(r.description);
  }
  return { all: [...all], descriptions };
}

/** Texts where the fast path differs from the reference (HTML or text) or is not sanitize-stable; and how many it read. */
function check(texts: readonly string[]): { fast: number; problems: string[] } {
  let fast = 0;
  const problems: string[] = [];
  for (const md of texts) {
    const f = fastMarkdown(md, 3, WANT_HTML | WANT_TEXT);
    if (f === null) continue;
    fast++;
    if (f.html !== renderMarkdownReference(md)) problems.push(`html: ${JSON.stringify(md.slice(0, 300))}`);
    else if (sanitise(f.html) !== f.html) problems.push(`not sanitised: ${JSON.stringify(md.slice(0, 300))}`);
    if (f.text !== markdownTextReference(md)) problems.push(`text: ${JSON.stringify(md.slice(0, 300))}`);
  }
  return { fast, problems };
}

describe('fast markdown rendering on content/', () => {
  it('gives the reference HTML and text for every text, all on the fast path', async () => {
    const { all } = await siteTexts([join(projectRoot, 'content')]);
    const { fast, problems } = check(all);
    expect(problems).toEqual([]);
    expect({ texts: all.length, fast }).toEqual({ texts: 18, fast: 18 });
  });
});

describe.skipIf(!hasShared)('fast markdown rendering on the corpus', () => {
  const ready = siteTexts([rulesRoot, docsRoot]);

  it('gives the reference HTML and text for every text, nearly all on the fast path', async () => {
    const { all, descriptions } = await ready;
    const { fast, problems } = check(all);
    expect(problems).toEqual([]);
    // The reference path reads the rest: raw HTML (11: placeholders such as `<path>`), a highlighted
    // code block, an indented code block, and `2.` after a paragraph line.
    expect({ texts: all.length, descriptions: descriptions.size, fast }).toEqual({ texts: 4530, descriptions: 2188, fast: 4516 });
  });

  it('gives the reference output on seeded random edits of the texts (near misses of the bail-outs)', async () => {
    const { all } = await ready;
    const TOKENS = [
      '*', '**', '***', '_', '__', '`', '``', '```', '~~~', '[', ']', '](https://x.example/a)', '](', '(', ')', '<', '>',
      '<https://a.b/c>', '<x@y.z>', '<b>', '</b>', '<br>', '\\', '\\*', '\\\n', '  \n', '\n', '\n\n', '- ', '* ', '+ ', '  - ',
      '    - ', '  ', '    ', '> ', '>', '# ', '## ', '#', '1. ', '2) ', '---', '***', '===', '&', '&amp;', '&#58;', '"', "'",
      '\u00a0', '\u2014', '!', '.', 'a', ' ', '[x](javascript:alert(1))', '[y](https://e.example/?a=1&b="2")',
      '<script>alert(1)</script>', '\t', '\r\n', ']: /u', '![a](b)', '`a\n  b`', 'x_y_z', '*a*b', '**a**:',
      '\n- a\n  - b\n\n- c\n', '\n> q\n',
    ];
    const rnd = prng(20261202);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const edited: string[] = [];
    for (let n = 0; n < 3000; n++) {
      let text = pick(all);
      if (rnd() < 0.8 && text.length > 400) {
        const at = text.lastIndexOf('\n', Math.floor(rnd() * text.length)) + 1;
        text = text.slice(at, at + 200 + Math.floor(rnd() * 1200));
      }
      for (let e = 1 + Math.floor(rnd() * 3); e > 0; e--) {
        let at = Math.floor(rnd() * (text.length + 1));
        if (rnd() < 0.5) at = text.lastIndexOf('\n', at - 1) + 1;
        text = rnd() < 0.2 ? text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 3)) : text.slice(0, at) + pick(TOKENS) + text.slice(at);
      }
      edited.push(text);
    }
    const { fast, problems } = check(edited);
    expect(problems).toEqual([]);
    expect(fast).toBeGreaterThan(1800);
  });
});
