/**
 * A fast path for `renderMarkdown` / `markdownText` (markdown.ts): reads the subset of CommonMark
 * the rule texts use and writes, in one pass, the HTML the reference path (remark-parse → mdast →
 * markdown.ts's renderer → sanitize-html) gives, and the plain text `markdownText` gives — or
 * returns `null` as soon as the text holds anything outside the subset or anything it cannot be
 * sure of; the caller then takes the reference path for the whole text.
 *
 * Subset (CommonMark as remark-parse 11 reads it without extensions, i.e. micromark 4):
 * - blocks: paragraphs (with lazy continuation lines), ATX headings (no closing `#` sequence, not
 *   empty), fenced code (closed; in a container only without blank lines; no escapes or entities
 *   in its info string; no language that markdown.ts highlights), block quotes, bullet and
 *   ordered lists (items starting with content, nested to any depth, tight or loose as micromark
 *   decides);
 * - inline: text, backslash escapes, code spans, `*` / `_` emphasis and strong (micromark's
 *   delimiter algorithm, including its rule of three), inline links with a plain destination (no
 *   title, no spaces, parentheses, escapes, entities or `<…>`), URI autolinks, hard breaks
 *   (trailing spaces or backslash), soft breaks;
 * - anything else gives `null`: tabs, CR and other control characters, `![` (images), a paragraph
 *   starting with `[` in a text holding `]:` (maybe a link reference definition), character
 *   references (`&amp;`…), raw HTML (inline, or a line starting with `<`), e-mail autolinks,
 *   indented code, thematic breaks, setext underlines, empty list items, a second container on a
 *   list item's first line, an ordered item other than `1.` after a paragraph line (unless it
 *   continues an open list), block quotes holding lists around a blank line (micromark's looseness
 *   there is its own), headings that would sit above h3 (sanitize-html renames h1/h2).
 *
 * Safety: the HTML is built here from escaped text (`&`, `<`, `>`; `"` too in attributes) and a
 * fixed set of tags — the form sanitize-html gives for the same input, so the two paths agree
 * byte for byte (test/corpus/markdown-html.test.ts checks `sanitise(fast) === fast` and
 * `fast === reference` on every corpus text and on seeded edits of them). Links get markdown.ts's
 * allow-list (absolute http(s) or mailto, else a plain `<span>`). Raw HTML never takes this path.
 */
import type { HighlightLanguage } from './highlight';

/** Code block languages markdown.ts highlights (their blocks take the reference path here). */
export const CODE_LANGS: Readonly<Record<string, HighlightLanguage>> = {
  eql: 'eql', kql: 'kuery', kuery: 'kuery', lucene: 'lucene', esql: 'esql', 'es|ql': 'esql', toml: 'toml',
};

/** What the caller wants: the HTML, the plain text, or both. */
export const WANT_HTML = 1;
export const WANT_TEXT = 2;

export interface FastMarkdown {
  /** The sanitised HTML (already trimmed, as `renderMarkdown` returns it); '' when not asked for. */
  html: string;
  /** The plain text (as `markdownText` returns it); '' when not asked for. */
  text: string;
}

/** Thrown (one shared instance) to leave the fast path. */
const BAIL = new Error('markdown fast path: outside the subset');

// ---------------------------------------------------------------------------------------------
// Blocks

interface Para { k: 0; lines: string[]; open: boolean }
interface Heading { k: 1; depth: number; raw: string }
interface Code { k: 2; lines: string[] }
interface Quote { k: 3; children: Block[] }
/** `marker`: the bullet, or the delimiter (`.` or `)`) of an ordered list. */
interface List { k: 4; marker: number; ordered: boolean; start: number; items: Item[]; spread: boolean }
interface Item { k: 5; indent: number; children: Block[]; spread: boolean }
type Block = Para | Heading | Code | Quote | List;
type Container = Quote | Item;

/**
 * A new block of kind `k`: every block object has every field (the types above name the ones its
 * kind uses), so V8 sees one object shape and keeps property reads monomorphic.
 */
function newBlock<T extends Block | Item>(k: T['k']): T {
  const b = { k, lines: NO_LINES, open: false, depth: 0, raw: '', children: NO_BLOCKS, marker: 0, ordered: false, start: 1, items: NO_ITEMS, spread: false, indent: 0 };
  return b as unknown as T;
}
/** Placeholders of unused fields (never written: a kind that uses a field gives it its own array). */
const NO_LINES: string[] = [];
const NO_BLOCKS: Block[] = [];
const NO_ITEMS: Item[] = [];

/** Control characters but `\n` (tab, CR, NUL…) and `![` (images) anywhere send the text to the reference path. */
const CONTROL = /[\0-\t\v-\x1f\x7f]/;
const THEMATIC_OR_SETEXT = /^ {0,3}(?:([*_-])(?: *\1){2,} *|=+ *|-+ *)$/;
const ORDERED = /^(\d{1,9})([.)])(?= |$)/;
const ATX = /^(#{1,6})(?: +(.*?))? *$/;
const FENCE = /^(`{3,}|~{3,})(.*)$/;

/** The UTF-16 code at `i`, or -1 past the end (reading past a string's end deoptimizes V8's code). */
function at(s: string, i: number): number {
  return i < s.length ? s.charCodeAt(i) : -1;
}

function spacesAt(s: string, i: number): number {
  let k = i;
  while (at(s, k) === 32) k++;
  return k - i;
}

function childrenOf(c: Container | null, root: Block[]): Block[] {
  return c === null ? root : c.children;
}

/** Adds block `b` to container `c` (null: the root), counting a blank line before it (`blank`) the way micromark does. */
function addBlock(root: Block[], c: Container | null, b: Block, blank: boolean): void {
  const kids = childrenOf(c, root);
  if (blank && c !== null && c.k === 5 && kids.length > 0) c.spread = true;
  kids.push(b);
}

/** Parses the blocks of `md`; throws BAIL outside the subset. */
function parseBlocks(md: string): Block[] {
  /** Whether a paragraph starting with `[` may be a link reference definition. */
  const definitions = md.includes(']:');
  const root: Block[] = [];
  const open: Container[] = [];
  /** The open paragraph (anywhere), the target of continuation lines. */
  let para: Para | null = null;
  /** The open fenced code, how many containers hold it, and its fence. */
  let code: Code | null = null;
  let codeDepth = 0;
  let fenceChar = 0;
  let fenceLen = 0;
  let fenceIndent = 0;
  /** A blank line since the last block started (for loose lists, see `add`). */
  let blank = false;

  let lineStart = 0;
  const n = md.length;
  while (lineStart <= n) {
    let lineEnd = md.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = n;
    const line = md.slice(lineStart, lineEnd);
    lineStart = lineEnd + 1;

    // 1. Which open containers the line continues.
    let pos = 0;
    let matched = 0;
    for (; matched < open.length; matched++) {
      const c = open[matched] as Container;
      if (c.k === 3) {
        const ind = spacesAt(line, pos);
        if (ind > 3 || at(line, pos + ind) !== 62) break;
        pos += ind + 1;
        if (at(line, pos) === 32) pos++;
      } else {
        if (spacesAt(line, pos) === line.length - pos) continue;
        if (spacesAt(line, pos) < c.indent) break;
        pos += c.indent;
      }
    }
    const rest = line.slice(pos);
    const ind = spacesAt(rest, 0);

    if (code !== null) {
      // Fenced code: a closing fence or a content line (less its fence's indent). Containers
      // ending inside the code, and blank lines in code inside containers, take the reference path.
      if (matched < codeDepth || (ind === rest.length && codeDepth > 0)) throw BAIL;
      if (ind <= 3 && at(rest, ind) === fenceChar) {
        let k = ind;
        while (at(rest, k) === fenceChar) k++;
        if (k - ind >= fenceLen && spacesAt(rest, k) === rest.length - k) {
          code = null;
          continue;
        }
      }
      code.lines.push(rest.slice(Math.min(ind, fenceIndent)));
      continue;
    }

    if (ind === rest.length) {
      // Blank (after the matched prefixes).
      if (matched < open.length) open.length = matched;
      // micromark counts blank lines inside block quotes in ways of its own for lists (a list in a
      // quote followed by a blank line and another list, or by two blank lines, is loose; a blank
      // line in a quote in an item does not make the item loose): block quotes with lists around
      // a blank line take the reference path.
      let quote = false;
      let item = false;
      for (const c of open) {
        if (c.k === 3) {
          quote = true;
          const last = c.children[c.children.length - 1];
          if (last !== undefined && last.k === 4) throw BAIL;
        } else item = true;
      }
      if (quote && item) throw BAIL;
      if (para) para.open = false;
      para = null;
      blank = true;
      continue;
    }

    // 2. What the rest starts.
    const ch = at(rest, ind);
    let starts = true;
    if (ind >= 4) starts = false;
    else if (ch === 62 /* > */) starts = true;
    else if (ch === 45 || ch === 42 || ch === 43 || ch === 61 || ch === 95) {
      if (THEMATIC_OR_SETEXT.test(rest)) throw BAIL;
      const next = at(rest, ind + 1);
      if (next < 0 && ch !== 61 && ch !== 95) throw BAIL; // an empty list item
      starts = ch !== 61 && ch !== 95 && next === 32;
    } else if (ch === 35 /* # */) starts = ATX.test(rest.slice(ind));
    else if (ch === 96 || ch === 126) starts = FENCE.test(rest.slice(ind));
    else if (ch === 60 /* < */) throw BAIL;
    else if (ch >= 48 && ch <= 57) {
      const m = ORDERED.exec(rest.slice(ind));
      starts = m !== null;
      if (m !== null && para !== null && m[1] !== '1') {
        // Only `1.` starts a list that interrupts a paragraph; an item of an open list always continues it.
        const kids = childrenOf(matched > 0 ? (open[matched - 1] as Container) : null, root);
        const last = kids[kids.length - 1];
        if (last === undefined || last.k !== 4 || !last.ordered || last.marker !== (m[2] as string).charCodeAt(0)) throw BAIL;
      }
    } else starts = false;

    if (!starts && para !== null) {
      // Paragraph continuation: regular (every container matched) or lazy.
      para.lines.push(rest);
      continue;
    }
    if (ind >= 4) throw BAIL; // indented code
    if (matched < open.length) open.length = matched;
    if (para) para.open = false;
    para = null;

    // 3. New containers.
    let p = ind;
    let text = rest;
    for (;;) {
      const c = at(text, p);
      const parent = open.length > 0 ? (open[open.length - 1] as Container) : null;
      if (c === 62) {
        const q = newBlock<Quote>(3);
        q.children = [];
        addBlock(root, parent, q, blank);
        blank = false;
        open.push(q);
        p++;
        if (at(text, p) === 32) p++;
      } else {
        // A list item: a bullet, or digits and `.` or `)`; then 1-4 spaces and content.
        let width = 0;
        let marker = c;
        let ordered: RegExpExecArray | null = null;
        if (c === 45 || c === 42 || c === 43) {
          if (at(text, p + 1) === 32 || p + 1 === text.length) width = 1;
        } else if (c >= 48 && c <= 57) {
          ordered = ORDERED.exec(text.slice(p));
          if (ordered !== null) {
            width = ordered[0].length;
            marker = (ordered[2] as string).charCodeAt(0);
          }
        }
        if (width === 0) break;
        const after = spacesAt(text, p + width);
        if (after > 4 || p + width + after === text.length) throw BAIL; // indented code in the item, or an empty item
        const kids = childrenOf(parent, root);
        const last = kids[kids.length - 1];
        const item = newBlock<Item>(5);
        item.indent = p + width + after;
        item.children = [];
        if (last !== undefined && last.k === 4 && last.marker === marker) {
          if (blank) last.spread = true;
          blank = false;
          last.items.push(item);
        } else {
          const list = newBlock<List>(4);
          list.marker = marker;
          list.ordered = ordered !== null;
          if (ordered !== null) list.start = Number(ordered[1]);
          list.items = [item];
          addBlock(root, parent, list, blank);
          blank = false;
        }
        open.push(item);
        p += width + after;
        // No second container on the item's first line (`- > a`, `- - a`, `1. 2. a`).
        const d = at(text, p);
        if (d === 62 || ((d === 45 || d === 42 || d === 43) && (at(text, p + 1) === 32 || p + 1 === text.length))) throw BAIL;
        if (d >= 48 && d <= 57 && ORDERED.test(text.slice(p))) throw BAIL;
      }
      // A new container's first line: only spaces (1-3, else indented code) may precede its content.
      const more = spacesAt(text, p);
      if (more > 0) {
        if (more >= 4 || p + more === text.length) throw BAIL;
        p += more;
      }
      text = text.slice(p);
      p = 0;
      const e = at(text, 0);
      if (e === 45 || e === 42 || e === 43 || e === 61 || e === 95) {
        if (THEMATIC_OR_SETEXT.test(text)) throw BAIL;
      } else if (e === 60) throw BAIL;
    }
    // 4. The leaf.
    const parent = open.length > 0 ? (open[open.length - 1] as Container) : null;
    const leaf = text.slice(p);
    if (leaf === '') throw BAIL; // `>` alone opening a block quote
    const c0 = at(leaf, 0);
    if (c0 === 35) {
      const m = ATX.exec(leaf);
      if (m) {
        const content = m[2] ?? '';
        if (content === '' || content.endsWith('#')) throw BAIL;
        const h = newBlock<Heading>(1);
        h.depth = (m[1] as string).length;
        h.raw = content;
        addBlock(root, parent, h, blank);
        blank = false;
        continue;
      }
    } else if (c0 === 96 || c0 === 126) {
      const m = FENCE.exec(leaf);
      if (m) {
        const info = (m[2] as string).trim();
        // Not on a new container's first line; no escapes or entities in the info; not highlighted.
        if (text !== rest || (c0 === 96 && info.includes('`')) || info.includes('\\') || info.includes('&')) throw BAIL;
        const lang = info.split(' ')[0] as string;
        if (lang !== '' && CODE_LANGS[lang.toLowerCase()] !== undefined) throw BAIL;
        code = newBlock<Code>(2);
        code.lines = [];
        codeDepth = open.length;
        fenceChar = c0;
        fenceLen = (m[1] as string).length;
        fenceIndent = p;
        addBlock(root, parent, code, blank);
        blank = false;
        continue;
      }
    }
    if (c0 === 91 && definitions) throw BAIL; // maybe a link reference definition (only a paragraph's start can be one)
    para = newBlock<Para>(0);
    para.lines = [leaf];
    para.open = true;
    addBlock(root, parent, para, blank);
    blank = false;
  }
  if (code !== null) throw BAIL; // unclosed fence
  return root;
}

// ---------------------------------------------------------------------------------------------
// Inline

const T_TEXT = 0;
const T_CODE = 1;
const T_BREAK = 2;
const T_DELIM = 3;
const T_BRACKET = 4;
const T_LINK = 5;
const T_EM = 6;
const T_STRONG = 7;

interface IText { t: 0; v: string }
interface ICode { t: 1; v: string }
interface IBreak { t: 2 }
interface IDelim { t: 3; ch: number; n: number; open: boolean; close: boolean }
/** `open`: still active (no link closed after it). */
interface IBracket { t: 4; open: boolean }
/** `v`: the destination. */
interface ILink { t: 5; v: string; kids: Inline[] }
interface IGroup { t: 6 | 7; kids: Inline[] }
type Inline = IText | ICode | IBreak | IDelim | IBracket | ILink | IGroup;

/**
 * An inline node: every one has every field (the types above name the ones its kind uses), so V8
 * sees one object shape.
 */
function inl(t: number, v: string, ch: number, n: number, open: boolean, close: boolean, kids: Inline[] | null): Inline {
  const x = { t, v, ch, n, open, close, kids };
  return x as unknown as Inline;
}

function textNode(v: string): Inline {
  return inl(T_TEXT, v, 0, 0, false, false, null);
}

const BREAK = inl(T_BREAK, '', 0, 0, false, false, null);
const SPECIAL = /[\n\\`*_[\]<&!]/g;
const ENTITY = /^&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});/;
const AUTOLINK = /^<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\0- <>\x7f]*>/;
const PUNCT = /\p{P}|\p{S}/u;
const WHITE = /\s/;

function isAsciiPunct(c: number): boolean {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}

/** micromark's `classifyCharacter`: 1 whitespace (or none), 2 punctuation, 0 other. */
function classify(c: number): number {
  if (c < 0 || c === 32 || c === 10) return 1;
  if (c < 128) return isAsciiPunct(c) ? 2 : c < 33 ? 1 : 0;
  const s = String.fromCharCode(c);
  if (WHITE.test(s)) return 1;
  return PUNCT.test(s) ? 2 : 0;
}

/** micromark's attention resolution (emphasis / strong) on one run of inline nodes, in place. */
function resolveEmphasis(arr: Inline[]): void {
  let i = 0;
  while (i < arr.length) {
    const c = arr[i] as Inline;
    if (c.t === T_DELIM && c.close && c.n > 0) {
      let j = i - 1;
      for (; j >= 0; j--) {
        const o = arr[j] as Inline;
        if (o.t !== T_DELIM || !o.open || o.n === 0 || o.ch !== c.ch) continue;
        if ((o.close || c.open) && c.n % 3 !== 0 && (o.n + c.n) % 3 === 0) continue;
        break;
      }
      if (j >= 0) {
        const o = arr[j] as IDelim;
        const use = o.n > 1 && c.n > 1 ? 2 : 1;
        const kids = arr.slice(j + 1, i);
        for (const k of kids) if (k.t === T_DELIM) k.open = k.close = false;
        o.n -= use;
        c.n -= use;
        arr.splice(j + 1, i - j - 1, inl(use === 2 ? T_STRONG : T_EM, '', 0, 0, false, false, kids));
        i = j + 2;
        if (o.n === 0) {
          arr.splice(j, 1);
          i--;
        }
        if (c.n === 0) arr.splice(i, 1);
        continue;
      }
    }
    i++;
  }
}

/** Inline nodes of a paragraph's or heading's raw content (continuation lines keep their leading spaces). */
function parseInline(s: string): Inline[] {
  const out: Inline[] = [];
  /** Indices in `out` of `[` not yet closed. */
  const brackets: number[] = [];
  const n = s.length;
  let start = 0;
  let i = 0;
  for (;;) {
    SPECIAL.lastIndex = i;
    const m = SPECIAL.exec(s);
    if (m === null) break;
    i = m.index;
    const c = at(s, i);
    switch (c) {
      case 10: {
        let k = i;
        while (k > start && at(s, k - 1) === 32) k--;
        if (k > start) out.push(textNode(s.slice(start, k)));
        out.push(i - k >= 2 ? BREAK : textNode('\n'));
        i++;
        while (at(s, i) === 32) i++;
        start = i;
        break;
      }
      case 92: {
        const d = at(s, i + 1);
        if (d === 10) {
          if (i > start) out.push(textNode(s.slice(start, i)));
          out.push(BREAK);
          i += 2;
          while (at(s, i) === 32) i++;
          start = i;
        } else if (isAsciiPunct(d)) {
          if (i > start) out.push(textNode(s.slice(start, i)));
          out.push(textNode(s[i + 1] as string));
          i += 2;
          start = i;
        } else i++;
        break;
      }
      case 96: {
        let e = i;
        while (at(s, e) === 96) e++;
        const len = e - i;
        let k = e;
        let close = -1;
        for (;;) {
          k = s.indexOf('`', k);
          if (k < 0) break;
          let r = k;
          while (at(s, r) === 96) r++;
          if (r - k === len) {
            close = k;
            break;
          }
          k = r;
        }
        if (i > start) out.push(textNode(s.slice(start, i)));
        if (close < 0) {
          out.push(textNode(s.slice(i, e)));
          i = e;
        } else {
          let v = s.slice(e, close);
          const a = at(v, 0);
          const b = at(v, v.length - 1);
          if ((a === 32 || a === 10) && (b === 32 || b === 10) && /[^ \n]/.test(v)) v = v.slice(1, -1);
          out.push(inl(T_CODE, v, 0, 0, false, false, null));
          i = close + len;
        }
        start = i;
        break;
      }
      case 42:
      case 95: {
        let e = i;
        while (at(s, e) === c) e++;
        const prev = i > 0 ? at(s, i - 1) : -1;
        const next = e < n ? at(s, e) : -1;
        const before = classify(prev);
        const after = classify(next);
        const open = after === 0 || (after === 2 && before !== 0);
        const close = before === 0 || (before === 2 && after !== 0);
        if (i > start) out.push(textNode(s.slice(start, i)));
        out.push(inl(T_DELIM, '', c, e - i, c === 42 ? open : open && (before !== 0 || !close), c === 42 ? close : close && (after !== 0 || !open), null));
        i = e;
        start = i;
        break;
      }
      case 91:
        if (i > start) out.push(textNode(s.slice(start, i)));
        brackets.push(out.length);
        out.push(inl(T_BRACKET, '', 0, 0, true, false, null));
        i++;
        start = i;
        break;
      case 93: {
        if (i > start) out.push(textNode(s.slice(start, i)));
        const oi = brackets.length > 0 ? (brackets[brackets.length - 1] as number) : -1;
        const opener = oi >= 0 ? (out[oi] as IBracket) : null;
        if (opener !== null && opener.open && at(s, i + 1) === 40) {
          // An inline link: a plain destination up to `)`, else the text leaves the fast path.
          let k = i + 2;
          for (;;) {
            const d = at(s, k);
            if (d === 41) break;
            if (d < 0 || d <= 32 || d === 40 || d === 60 || d === 92) throw BAIL;
            if (d === 38 && ENTITY.test(s.slice(k, k + 40))) throw BAIL;
            k++;
          }
          const kids = out.slice(oi + 1);
          resolveEmphasis(kids);
          out.length = oi;
          out.push(inl(T_LINK, s.slice(i + 2, k), 0, 0, false, false, kids));
          brackets.pop();
          for (const b of brackets) (out[b] as IBracket).open = false;
          i = k + 1;
        } else {
          // No link (no reference definitions here): `[` and `]` stay text.
          if (opener !== null) brackets.pop();
          out.push(textNode(']'));
          i++;
        }
        start = i;
        break;
      }
      case 60: {
        const d = at(s, i + 1);
        const auto = (d >= 65 && d <= 90) || (d >= 97 && d <= 122) ? AUTOLINK.exec(s.slice(i, i + 2048)) : null;
        if (auto !== null) {
          if (brackets.length > 0) throw BAIL;
          if (i > start) out.push(textNode(s.slice(start, i)));
          const url = auto[0].slice(1, -1);
          out.push(inl(T_LINK, url, 0, 0, false, false, [textNode(url)]));
          i += auto[0].length;
          start = i;
          break;
        }
        if (d === 47 || d === 33 || d === 63) throw BAIL;
        if ((d >= 65 && d <= 90) || (d >= 97 && d <= 122)) {
          // Raw HTML when a tag name is followed by space, `/`, `>` or the line's end; an e-mail autolink when `@` follows.
          let k = i + 2;
          for (;;) {
            const x = at(s, k);
            if ((x >= 65 && x <= 90) || (x >= 97 && x <= 122) || (x >= 48 && x <= 57) || x === 45) k++;
            else break;
          }
          const x = at(s, k);
          if (x < 0 || x === 32 || x === 10 || x === 47 || x === 62) throw BAIL;
          const gt = s.indexOf('>', i);
          if (gt >= 0 && s.slice(i, gt).includes('@')) throw BAIL;
        }
        i++;
        break;
      }
      case 38:
        if (ENTITY.test(s.slice(i, i + 40))) throw BAIL;
        i++;
        break;
      default:
        // `!`: an image when `[` follows (ruled out for the whole text).
        i++;
    }
  }
  if (n > start) out.push(textNode(s.slice(start, n)));
  resolveEmphasis(out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Output

const LINK_OK = /^(?:https?:\/\/[^/]|mailto:)/i;
const TEXT_ESC = /[&<>]/;
const ATTR_ESC = /[&<>"]/;

function escText(s: string): string {
  if (!TEXT_ESC.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escAttr(s: string): string {
  if (!ATTR_ESC.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

class Writer {
  html = '';
  readonly parts: string[] = [];
  constructor(
    readonly wantHtml: boolean,
    readonly wantText: boolean,
    readonly top: number,
  ) {}

  inline(nodes: readonly Inline[]): void {
    for (const x of nodes) {
      switch (x.t) {
        case T_TEXT:
          if (this.wantHtml) this.html += escText(x.v);
          if (this.wantText) this.parts.push(x.v);
          break;
        case T_CODE:
          if (this.wantHtml) this.html += `<code>${escText(x.v)}</code>`;
          if (this.wantText) this.parts.push(x.v);
          break;
        case T_BREAK:
          if (this.wantHtml) this.html += '<br />\n';
          break;
        case T_DELIM: {
          if (x.n === 0) break;
          const v = (x.ch === 42 ? '*' : '_').repeat(x.n);
          if (this.wantHtml) this.html += v;
          if (this.wantText) this.parts.push(v);
          break;
        }
        case T_BRACKET:
          if (this.wantHtml) this.html += '[';
          if (this.wantText) this.parts.push('[');
          break;
        case T_LINK: {
          const href = x.v.trim();
          const ok = LINK_OK.test(href);
          if (this.wantHtml) this.html += ok ? `<a href="${escAttr(href)}" rel="nofollow noopener noreferrer">` : '<span>';
          this.inline(x.kids);
          if (this.wantHtml) this.html += ok ? '</a>' : '</span>';
          break;
        }
        case T_EM:
        case T_STRONG: {
          const tag = x.t === T_EM ? 'em' : 'strong';
          if (this.wantHtml) this.html += `<${tag}>`;
          this.inline(x.kids);
          if (this.wantHtml) this.html += `</${tag}>`;
          break;
        }
      }
    }
  }

  paragraph(p: Para, tight: boolean): void {
    let raw = p.lines.length === 1 ? (p.lines[0] as string) : p.lines.join('\n');
    // Trailing spaces of the last line are not content.
    let e = raw.length;
    while (e > 0 && at(raw, e - 1) === 32) e--;
    if (e < raw.length) raw = raw.slice(0, e);
    if (this.wantHtml && !tight) this.html += '<p>';
    this.inline(parseInline(raw));
    if (this.wantHtml && !tight) this.html += '</p>\n';
    if (this.wantText) this.parts.push(' ');
  }

  blocks(list: readonly Block[], tight: boolean): void {
    for (const b of list) {
      switch (b.k) {
        case 0:
          this.paragraph(b, tight);
          break;
        case 1: {
          const level = Math.min(6, b.depth - 1 + this.top);
          if (level < 3) throw BAIL;
          if (this.wantHtml) this.html += `<h${level}>`;
          this.inline(parseInline(b.raw));
          if (this.wantHtml) this.html += `</h${level}>\n`;
          if (this.wantText) this.parts.push(' ');
          break;
        }
        case 2: {
          const value = b.lines.join('\n');
          if (this.wantHtml) this.html += `<pre><code>${escText(value)}</code></pre>\n`;
          if (this.wantText) this.parts.push(value);
          break;
        }
        case 3:
          if (this.wantHtml) this.html += '<blockquote>';
          this.blocks(b.children, false);
          if (this.wantHtml) this.html += '</blockquote>\n';
          break;
        case 4: {
          const tag = b.ordered ? 'ol' : 'ul';
          if (this.wantHtml) this.html += b.ordered && b.start !== 1 ? `<ol start="${b.start}">\n` : `<${tag}>\n`;
          for (let k = 0; k < b.items.length; k++) {
            const li = b.items[k] as Item;
            if (this.wantHtml) this.html += k === 0 ? '<li>' : '\n<li>';
            this.blocks(li.children, !(b.spread || li.spread));
            if (this.wantHtml) this.html += '</li>';
            if (this.wantText) this.parts.push(' ');
          }
          if (this.wantHtml) this.html += `\n</${tag}>\n`;
          break;
        }
      }
    }
  }
}

/**
 * The HTML `renderMarkdown(md, { topHeading: top })` gives and/or the text `markdownText(md)`
 * gives (`want`: WANT_HTML | WANT_TEXT), or `null` when `md` is outside the fast path's subset.
 */
export function fastMarkdown(md: string, top: number, want: number): FastMarkdown | null {
  if (md.includes('![') || CONTROL.test(md)) return null;
  try {
    const blocks = parseBlocks(md);
    const w = new Writer((want & WANT_HTML) !== 0, (want & WANT_TEXT) !== 0, top);
    w.blocks(blocks, false);
    return { html: w.html.trim(), text: w.wantText ? w.parts.join('').replace(/\s+/g, ' ').trim() : '' };
  } catch (e) {
    if (e === BAIL) return null;
    throw e;
  }
}
