/**
 * Stage 1 for markdown: an Elastic prebuilt-rule reference page → `MarkdownPage`.
 *
 * Front matter comes off with gray-matter; the body is parsed with remark-parse (unified) and the
 * mdast is walked, never the raw text. A page reads, in order:
 *
 *   # Rule Name [anchor]                     title and anchor
 *   Description paragraph(s)
 *   **Rule type**: eql                       facts: `**Label**: value`, or `**Label**:` + a list
 *   **Rule indices**: None | list           (`None` is null)
 *   …Severity, Risk score, Runs every, Searches indices from, Maximum alerts per execution,
 *   References, Tags, Version, Rule authors, Rule license
 *   ## Investigation guide [anchor]          markdown until the next known section
 *   ## Setup [anchor]
 *   ## Rule query [anchor]                   the first fenced code block
 *   **Framework**: MITRE ATT&CKTM            then a list of Tactic / Technique / Sub-technique
 *                                            items, each with Name, ID and Reference URL
 *
 * Two generations share this layout: current pages (`<slug>.md`) and package-version pages of
 * downloadable updates (`prebuilt-rule-8-17-4-<slug>.md`; the package version comes from the file
 * name). Index, table-of-contents, summary, appendix and all-versions pages are not rules: they are
 * skipped with an `info` diagnostic. Old pages nest extra `##` headings (`## Config`) inside the
 * investigation guide; unknown headings stay part of the section they are in.
 *
 * Cost: remark is the expensive part of ingest (about 1 MB/s). The investigation guide and setup
 * are kept as markdown source and never read for facts, so the body is cut at level-2 headings
 * (outside fences; `splitAtH2`) and those sections are not parsed unless they hold the ATT&CK
 * block; every other part is walked as mdast. Those chunks (the header and the rule query section)
 * are read by `fastParse` (markdown-fast.ts), which gives the top-level nodes remark would give for
 * the small subset of markdown these pages use, sends odd single blocks to remark, and returns null
 * for any chunk outside the subset (then remark parses the chunk). Its paragraphs that cannot be
 * facts, and its lists that do not follow a fact, keep their source unparsed: the loops below read
 * those by offset only. Simple front matter skips gray-matter the same way
 * (markdown-front-matter.ts). `{ full: true }` is the reference (gray-matter, remark on the whole
 * body); tests check that both give the same pages.
 */
import matter from 'gray-matter';
import type { Code, Heading, List, ListItem, Nodes, Root, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { diagnostic, type Diagnostic } from '../model/diagnostic';
import type { AttackRef, ThreatEntry, ThreatTechnique } from '../model/rule';
import { LazyLines } from './lines';
import { fastParse, type FastStats } from './markdown-fast';
import { fastFrontMatter } from './markdown-front-matter';
import type { DecodedMarkdown, MarkdownPage, PagePlace, SourceFile, StringLoc } from './types';
import { setOwn } from './util';

const parser = unified().use(remarkParse);

/** File names of pages that are not rule pages. */
const NON_RULE_PAGE = /(?:^|\/)(?:index|all-versions|readme|changelog|toc|contributing|license)\.md$|-summary\.md$|-appendix\.md$/i;
const PACKAGE_PAGE = /^prebuilt-rule-(\d+)-(\d+)-(\d+)-(.+)$/;

export function isNonRulePageName(path: string): boolean {
  return NON_RULE_PAGE.test(path);
}

/** Package version and slug from a page name (`prebuilt-rule-8-17-4-my-rule` → `8.17.4`, `my-rule`). */
export function pageNameParts(name: string): { packageVersion: string | null; slug: string } {
  const m = PACKAGE_PAGE.exec(name);
  if (m) return { packageVersion: `${m[1]}.${m[2]}.${m[3]}`, slug: m[4]! };
  return { packageVersion: null, slug: name };
}

function baseName(path: string): string {
  const b = path.slice(path.lastIndexOf('/') + 1);
  return b.replace(/\.md$/i, '');
}

interface Body {
  content: string;
  /** Offset of `content` in the file text. */
  offset: number;
  data: Record<string, unknown>;
}

/**
 * Splits front matter off with gray-matter; an unreadable block is reported and skipped by its
 * delimiters. Simple blocks are read by `fastFrontMatter` with the same result, unless `reference`.
 */
function splitFrontMatter(file: SourceFile, diagnostics: Diagnostic[], reference: boolean): Body {
  const text = file.text;
  if (!/^---[ \t]*\r?\n/.test(text)) return { content: text, offset: 0, data: {} };
  const fast = reference ? null : fastFrontMatter(text);
  if (fast) return { content: fast.content, offset: text.length - fast.content.length, data: plain(fast.data) as Record<string, unknown> };
  try {
    const m = matter(text, {});
    const content = m.content;
    if (text.endsWith(content)) return { content, offset: text.length - content.length, data: plain(m.data) as Record<string, unknown> };
    return { content: text, offset: 0, data: plain(m.data) as Record<string, unknown> };
  } catch (e) {
    const reason = e instanceof Error ? e.message.split('\n')[0] : String(e);
    diagnostics.push(diagnostic('warning', 'markdown-front-matter', file.path, { line: 1, column: 1 }, `front matter is not valid YAML, ignored: ${reason}`));
    const close = /\r?\n---[ \t]*(?:\r?\n|$)/.exec(text.slice(3));
    if (!close) return { content: text, offset: 0, data: {} };
    const offset = 3 + close.index + close[0].length;
    return { content: text.slice(offset), offset, data: {} };
  }
}

/** JSON-safe copy of YAML data (dates become ISO strings). */
function plain(v: unknown): unknown {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) setOwn(out, k, plain(x));
    return out;
  }
  return v;
}

const SECTIONS = ['investigation guide', 'setup', 'rule query'] as const;
type SectionName = (typeof SECTIONS)[number];

/** Heading text without a trailing `[anchor]`. */
function splitAnchor(s: string): { text: string; anchor: string | null } {
  const m = /^(.*?)\s*\[([^[\]]+)\]\s*$/s.exec(s);
  return m ? { text: m[1]!.trim(), anchor: m[2]!.trim() } : { text: s.trim(), anchor: null };
}

/** A fact paragraph: `**Label**: rest`. Returns the label and the text after the colon. */
function factOf(node: RootContent): { label: string; rest: string } | null {
  if (node.type !== 'paragraph') return null;
  const [first, second, ...more] = node.children;
  if (!first || first.type !== 'strong' || !second || second.type !== 'text' || !second.value.startsWith(':')) return null;
  const rest = (second.value.slice(1) + more.map((n) => toString(n)).join('')).trim();
  return { label: toString(first).trim(), rest };
}

function listValues(list: List): string[] {
  return list.children.map((item) => toString(item).trim()).filter((s) => s !== '');
}

function intOf(s: string): number | null {
  const m = /^[+-]?\d+/.exec(s.trim());
  return m ? Number(m[0]) : null;
}

/** A top-level block of the page: an mdast node (offsets relative to `base`) or a section kept as source. */
type Item = { kind: 'node'; node: RootContent; base: number } | { kind: 'raw'; start: number; headingEnd: number; end: number; heading: string };

const H2 = /^ {0,3}##(?:[ \t]|$)/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Cuts the body into chunks at level-2 ATX headings outside fenced code. An ATX heading always
 * starts a new block in CommonMark, so remark parses each chunk exactly as it would inside the
 * whole page.
 */
export function splitAtH2(content: string): { start: number; end: number }[] {
  const cuts: number[] = [0];
  let fence: string | null = null;
  for (let at = 0; at < content.length; ) {
    const nl = content.indexOf('\n', at);
    const lineEnd = nl < 0 ? content.length : nl;
    const c = content.charCodeAt(at);
    // Only lines starting with a blank, '#', '`' or '~' can matter.
    if (c === 32 || c === 35 || c === 96 || c === 126) {
      const line = content.slice(at, lineEnd);
      const f = FENCE.exec(line);
      if (fence !== null) {
        if (f && f[1]![0] === fence[0] && f[1]!.length >= fence.length && line.slice(f[0].length).trim() === '') fence = null;
      } else if (f && !(f[1]![0] === '`' && line.slice(f[0].length).includes('`'))) {
        fence = f[1]!;
      } else if (at > 0 && H2.test(line)) {
        cuts.push(at);
      }
    }
    at = lineEnd + 1;
  }
  return cuts.map((s, i) => ({ start: s, end: cuts[i + 1] ?? content.length }));
}

function headingName(line: string): SectionName | null {
  const { text } = splitAnchor(line.replace(/^ {0,3}##[ \t]*/, '').replace(/[ \t]+#*[ \t]*$/, ''));
  return SECTIONS.find((s) => s === text.toLowerCase()) ?? null;
}

export interface DecodeMarkdownOptions {
  /**
   * The reference path: gray-matter for the front matter and remark for the whole body. By default,
   * investigation-guide and setup sections (kept as markdown source, never read for facts) are not
   * parsed unless they hold the ATT&CK block, the other chunks are read by `fastParse`
   * (markdown-fast.ts) where they fit its subset, and simple front matter by `fastFrontMatter`:
   * the same result at a fraction of the cost. Tests check both give identical pages (corpus,
   * content, fixtures, seeds, case tables).
   */
  full?: boolean;
  /** Counts chunks and blocks read by the fast block reader or left to remark (benchmarks, tests). */
  stats?: FastStats;
}

const remark = (text: string): Root => parser.parse(text) as Root;

/** The page's top-level blocks: parsed chunks as mdast nodes, skipped sections as raw items. */
function items(content: string, full: boolean, stats: FastStats | undefined): Item[] {
  const parse = (text: string, base: number): Item[] => (fastParse(text, remark, stats) ?? remark(text).children).map((node) => ({ kind: 'node', node, base }) as Item);
  if (full) return remark(content).children.map((node) => ({ kind: 'node', node, base: 0 }) as Item);
  const out: Item[] = [];
  let section: SectionName | null = null;
  for (const { start, end } of splitAtH2(content)) {
    const text = content.slice(start, end);
    const nl = text.indexOf('\n');
    const firstLine = nl < 0 ? text : text.slice(0, nl);
    const isHeading = start > 0 || H2.test(firstLine);
    if (isHeading) section = headingName(firstLine) ?? section;
    const skippable = isHeading && (section === 'investigation guide' || section === 'setup') && !text.includes('**Framework**');
    if (skippable) {
      out.push({ kind: 'raw', start, headingEnd: start + (nl < 0 ? text.length : nl), end, heading: firstLine });
    } else {
      out.push(...parse(text, start));
    }
  }
  return out;
}

export function decodeMarkdown(file: SourceFile, options: DecodeMarkdownOptions = {}): DecodedMarkdown {
  const diagnostics: Diagnostic[] = [];
  const result = (page: MarkdownPage | null): DecodedMarkdown => ({ kind: 'markdown', path: file.path, page, diagnostics });
  if (isNonRulePageName(file.path)) {
    diagnostics.push(diagnostic('info', 'markdown-not-a-rule', file.path, null, `skipped: ${baseName(file.path)}.md is an index, summary or other non-rule page`));
    return result(null);
  }
  const body = splitFrontMatter(file, diagnostics, options.full === true);
  const lines = new LazyLines(file.text);
  /** Place of a body offset. */
  const place = (offset: number): PagePlace => {
    const p = lines.position(body.offset + offset);
    return { offset: p.offset, line: p.line, column: p.column };
  };
  const kids = items(body.content, options.full === true, options.stats);
  const startOf = (it: Item): number => (it.kind === 'raw' ? it.start : it.base + (it.node.position?.start.offset ?? 0));
  const endOf = (it: Item): number => (it.kind === 'raw' ? it.end : it.base + (it.node.position?.end.offset ?? 0));
  const nodeOf = (it: Item | undefined): RootContent | null => (it && it.kind === 'node' ? it.node : null);
  const titleIndex = kids.findIndex((it) => it.kind === 'node' && it.node.type === 'heading' && it.node.depth === 1);
  if (titleIndex < 0) {
    const firstText = body.content.search(/\S/);
    diagnostics.push(diagnostic('error', 'markdown-no-title', file.path, { line: place(Math.max(0, firstText)).line, column: 1 }, 'markdown page has no `# Title` heading: not read as a rule page'));
    return result(null);
  }
  const titleItem = kids[titleIndex]!;
  const titleNode = titleItem.kind === 'node' ? (titleItem.node as Heading) : null;
  const { text: title, anchor } = splitAnchor(titleNode ? toString(titleNode) : '');
  const places: Record<string, PagePlace> = { title: place(startOf(titleItem)) };
  const nameParts = pageNameParts(anchor ?? baseName(file.path));
  const fileParts = pageNameParts(baseName(file.path));
  const page: MarkdownPage = {
    path: file.path,
    title,
    anchor,
    slug: nameParts.slug,
    packageVersion: fileParts.packageVersion ?? nameParts.packageVersion,
    frontMatter: body.data,
    description: '',
    ruleType: null,
    indices: null,
    severity: null,
    riskScore: null,
    interval: null,
    from: null,
    maxSignals: null,
    references: null,
    tags: [],
    version: null,
    authors: [],
    license: null,
    otherFacts: {},
    investigationGuide: null,
    setup: null,
    query: null,
    querySpan: null,
    titleSpan: { file: file.path, start: lines.position(body.offset + startOf(titleItem)), end: lines.position(body.offset + endOf(titleItem)) },
    threat: [],
    places,
  };
  const slice = (a: number, b: number): string => body.content.slice(a, b).trim();
  const badNumber = (label: string, value: string, at: PagePlace): void => {
    diagnostics.push(diagnostic('warning', 'markdown-fact', file.path, at, `**${label}** is not a number: ${JSON.stringify(value)}`));
  };

  let i = titleIndex + 1;
  let seenFact = false;
  const description: Item[] = [];
  // Header: description, then facts, up to the first section heading or the framework block.
  for (; i < kids.length; i++) {
    const it = kids[i]!;
    const node = nodeOf(it);
    if (!node || node.type === 'heading') break;
    const fact = factOf(node);
    if (!fact) {
      if (!seenFact) description.push(it);
      continue;
    }
    const key = fact.label.toLowerCase();
    if (key === 'framework') break;
    seenFact = true;
    const at = place(startOf(it));
    places[key] = at;
    // Item text is read only from a list right after a fact (the fast reader relies on it).
    const next = nodeOf(kids[i + 1]);
    let list: string[] | null = null;
    if (fact.rest === '' && next && next.type === 'list') {
      list = listValues(next);
      i++;
    }
    const none = fact.rest.toLowerCase() === 'none';
    const scalar = fact.rest;
    switch (key) {
      case 'rule type':
        page.ruleType = scalar || null;
        break;
      case 'rule indices':
        page.indices = list ?? (none || scalar === '' ? null : [scalar]);
        break;
      case 'severity':
        page.severity = scalar || null;
        break;
      case 'risk score':
        page.riskScore = intOf(scalar);
        if (page.riskScore === null) badNumber(fact.label, scalar, at);
        break;
      case 'runs every':
        page.interval = scalar.split(/\s+/)[0] || null;
        break;
      case 'searches indices from':
        page.from = scalar.split(/\s+/)[0] || null;
        break;
      case 'maximum alerts per execution':
        page.maxSignals = intOf(scalar);
        if (page.maxSignals === null) badNumber(fact.label, scalar, at);
        break;
      case 'references':
        page.references = list ?? (none || scalar === '' ? null : [scalar]);
        break;
      case 'tags':
        page.tags = list ?? (none || scalar === '' ? [] : [scalar]);
        break;
      case 'version':
        page.version = intOf(scalar);
        if (page.version === null) badNumber(fact.label, scalar, at);
        break;
      case 'rule authors':
        page.authors = list ?? (scalar ? [scalar] : []);
        break;
      case 'rule license':
        page.license = scalar || null;
        break;
      default:
        page.otherFacts[fact.label] = list ? list.join('\n') : scalar;
    }
  }
  if (description.length > 0) page.description = slice(startOf(description[0]!), endOf(description[description.length - 1]!));

  // Sections (level-2 headings) and the ATT&CK block.
  let section: SectionName | null = null;
  let sectionStart = 0;
  let sectionItems: Item[] = [];
  const closeSection = (end: number): void => {
    if (section === null) return;
    const textOf = slice(sectionStart, end);
    if (section === 'investigation guide') page.investigationGuide = textOf;
    else if (section === 'setup') page.setup = textOf;
    else {
      const code = findCode(sectionItems);
      if (code) {
        const q = codeLoc(code.node, body.offset + code.base, file.text);
        page.query = q;
        page.querySpan = { file: file.path, start: lines.position(q.start), end: lines.position(q.end) };
      }
    }
    section = null;
    sectionItems = [];
  };
  const openSection = (name: SectionName, start: number, headingEnd: number): void => {
    closeSection(start);
    section = name;
    sectionStart = headingEnd;
    places[name] = place(start);
  };
  for (; i < kids.length; i++) {
    const it = kids[i]!;
    if (it.kind === 'raw') {
      const name = headingName(it.heading);
      if (name) openSection(name, it.start, it.headingEnd);
      continue;
    }
    const node = it.node;
    if (node.type === 'heading' && node.depth === 2) {
      const { text } = splitAnchor(toString(node));
      const name = SECTIONS.find((s) => s === text.toLowerCase());
      if (name) {
        openSection(name, startOf(it), endOf(it));
        continue;
      }
    }
    const fact = factOf(node);
    if (fact && fact.label.toLowerCase() === 'framework') {
      closeSection(startOf(it));
      places.framework = place(startOf(it));
      const framework = fact.rest.replace(/\s*TM$/, '').trim() || 'MITRE ATT&CK';
      const next = nodeOf(kids[i + 1]);
      if (next && next.type === 'list') {
        const base = (kids[i + 1] as { base: number }).base;
        page.threat.push(...readThreat(next, framework, (msg, n) => diagnostics.push(diagnostic('warning', 'markdown-attack', file.path, place(base + (n.position?.start.offset ?? 0)), msg))));
        i++;
      }
      continue;
    }
    if (section !== null) sectionItems.push(it);
  }
  closeSection(body.content.length);
  if (page.ruleType === null) {
    if (!seenFact) {
      diagnostics.push(diagnostic('info', 'markdown-not-a-rule', file.path, places.title ?? null, 'skipped: page has no `**Rule type**` or other rule facts'));
    } else {
      diagnostics.push(diagnostic('error', 'markdown-missing-fact', file.path, places.title ?? null, 'rule page has no `**Rule type**` fact: page dropped'));
    }
    return result(null);
  }
  return result(page);
}

function findCode(list: Item[]): { node: Code; base: number } | null {
  for (const it of list) {
    if (it.kind === 'node' && it.node.type === 'code') return { node: it.node, base: it.base };
  }
  return null;
}

/** Where a fenced code block's content sits in the file, with a table when the fence is indented. */
function codeLoc(code: Code, base: number, text: string): StringLoc & { text: string; lang: string | null } {
  const value = code.value;
  const fenceStart = base + (code.position?.start.offset ?? 0);
  const nl = text.indexOf('\n', fenceStart);
  const start = nl < 0 ? text.length : nl + 1;
  const loc: StringLoc & { text: string; lang: string | null } = { start, end: start + value.length, text: value, lang: code.lang ?? null };
  if (text.startsWith(value, start)) return loc;
  // Indented fence or CRLF line endings: map each line of the value to where it sits in the file.
  const table: number[] = [];
  let at = start;
  const valueLines = value.split('\n');
  valueLines.forEach((line, li) => {
    const found = text.indexOf(line, at);
    const base = found < 0 ? at : found;
    for (let k = 0; k < line.length; k++) table.push(base + k);
    at = base + line.length;
    if (li < valueLines.length - 1) {
      table.push(at);
      const next = text.indexOf('\n', at);
      at = next < 0 ? text.length : next + 1;
    }
  });
  table.push(at);
  loc.end = at;
  loc.table = table;
  return loc;
}

/** `Name: X` / `ID: Y` / `Reference URL: Z` items of one ATT&CK entry. */
function refOf(item: ListItem): AttackRef {
  const ref: AttackRef = { id: '', name: '', reference: '' };
  const nested = item.children.find((c): c is List => c.type === 'list');
  for (const li of nested?.children ?? []) {
    const t = toString(li).trim();
    const m = /^([^:]+):\s*(.*)$/s.exec(t);
    if (!m) continue;
    const k = m[1]!.trim().toLowerCase();
    const v = m[2]!.trim();
    if (k === 'name') ref.name = v;
    else if (k === 'id') ref.id = v;
    else if (k === 'reference url' || k === 'reference') ref.reference = v;
  }
  return ref;
}

function readThreat(list: List, framework: string, warn: (message: string, node: Nodes) => void): ThreatEntry[] {
  const out: ThreatEntry[] = [];
  let technique: ThreatTechnique | null = null;
  for (const item of list.children) {
    const head = item.children[0];
    const kind = head ? toString(head).trim().replace(/:$/, '').toLowerCase() : '';
    const ref = refOf(item);
    if (kind === 'tactic') {
      out.push({ framework, tactic: ref, techniques: [] });
      technique = null;
    } else if (kind === 'technique') {
      const entry = out[out.length - 1];
      if (!entry) {
        warn(`technique ${ref.id} appears before any tactic`, item);
        continue;
      }
      technique = { ...ref, subtechniques: [] };
      entry.techniques.push(technique);
    } else if (kind === 'sub-technique' || kind === 'subtechnique') {
      if (!technique) {
        warn(`sub-technique ${ref.id} appears before any technique`, item);
        continue;
      }
      technique.subtechniques.push(ref);
    } else {
      warn(`unknown ATT&CK item ${JSON.stringify(kind)}`, item);
    }
  }
  return out;
}
