/**
 * Ingest, stages 1 and 2, as one pure function: source files → decoded records → `Rule`s.
 *
 *   decode     each file on its own: TOML (`decode-toml.ts`), markdown (`decode-markdown.ts`)
 *   assemble   TOML documents → rules (`assemble.ts`); a repeated `rule_id` is an error on the
 *              later file (files in reading order: sources in the order given, paths sorted)
 *              and the first rule is kept
 *   merge      markdown pages → versions of those rules or markdown-only rules (`merge.ts`)
 *   etc        the version lock gives `version`; deprecated-rules marks rules deprecated and fills
 *              their deprecation date and reason when the TOML lacks them
 *   slugs      unique, safe path segments; rules claim them non-deprecated first, then by file
 *              path; a taken slug gets `-2`, `-3`, … and a `slug-collision` warning
 *
 * Decoding is the expensive step and each file decodes alone, so a caller may decode elsewhere
 * (worker threads, a cache) and pass `decoded`. Rules come out sorted by id, diagnostics by
 * `compareDiagnostics`.
 */
import { compareDiagnostics, diagnostic, type Diagnostic } from '../model/diagnostic';
import type { Rule } from '../model/rule';
import { assembleToml } from './assemble';
import { decodeMarkdown } from './decode-markdown';
import { decodeToml } from './decode-toml';
import { readEtc } from './etc';
import { mergePages } from './merge';
import { SlugAllocator } from './slug';
import type { AssembleMemo, DecodedFile, DecodedToml, EtcFile, IngestOptions, IngestResult, MarkdownPage, SourceFile } from './types';
import { compareStrings } from './util';

export const DEFAULT_LABEL = 'elastic';

export type IngestPhase = 'decode' | 'assemble';

export interface IngestInput {
  files: readonly SourceFile[];
  etc?: readonly EtcFile[];
  /** Diagnostics from reading the sources, carried into the result. */
  diagnostics?: readonly Diagnostic[];
  /** Pre-decoded records, one per file in `files` order (from `decodeFiles` run elsewhere). */
  decoded?: readonly (DecodedFile | null)[];
  /**
   * TOML files already assembled (`assembleToml` with this ingest's label), one slot per file in
   * `files` order: where a slot is set, `decoded` is not read for that file. A loader that
   * assembles each document as soon as it is decoded lets the document die young instead of
   * holding every one until this step (the garbage collector copies what survives).
   */
  assembled?: readonly (AssembledToml | undefined)[];
}

/** What `assembleToml` made of one TOML file. */
export interface AssembledToml {
  rule: Rule | null;
  diagnostics: Diagnostic[];
}

export interface IngestHooks {
  /** Called as files are decoded (`done` of `total`). */
  onProgress?: (phase: IngestPhase, done: number, total: number) => void;
}

/** Decodes one file by its extension; null for files ingest does not read. */
export function decodeFile(file: SourceFile): DecodedFile | null {
  const lower = file.path.toLowerCase();
  if (lower.endsWith('.toml')) return decodeToml(file);
  if (lower.endsWith('.md')) return decodeMarkdown(file);
  return null;
}

/**
 * Decodes every file in this thread. Markdown pages go first: remark makes a lot of short-lived
 * garbage, and collecting it is cheaper while the heap does not yet hold every decoded TOML
 * document.
 */
export function decodeFiles(files: readonly SourceFile[], hooks: IngestHooks = {}): (DecodedFile | null)[] {
  const out: (DecodedFile | null)[] = new Array<DecodedFile | null>(files.length).fill(null);
  const every = Math.max(1, Math.floor(files.length / 100));
  const isMd = (f: SourceFile): boolean => f.path.toLowerCase().endsWith('.md');
  const order = [...files.keys()].sort((a, b) => Number(!isMd(files[a]!)) - Number(!isMd(files[b]!)) || a - b);
  order.forEach((idx, i) => {
    out[idx] = decodeFile(files[idx]!);
    if (hooks.onProgress && ((i + 1) % every === 0 || i + 1 === files.length)) hooks.onProgress('decode', i + 1, files.length);
  });
  return out;
}

export function ingest(input: IngestInput, options: IngestOptions = {}, hooks: IngestHooks = {}): IngestResult {
  const label = options.label ?? DEFAULT_LABEL;
  const diagnostics: Diagnostic[] = [...(input.diagnostics ?? [])];
  const decoded = input.decoded ?? decodeFiles(input.files, hooks);
  const { etc, diagnostics: etcDiagnostics } = readEtc(input.etc ?? []);
  diagnostics.push(...etcDiagnostics);

  const tomlRules: Rule[] = [];
  const seen = new Map<string, Rule>();
  const pages: MarkdownPage[] = [];
  let tomlFiles = 0;
  let markdownFiles = 0;
  let markdownSkipped = 0;
  input.files.forEach((file, i) => {
    let assembled = input.assembled?.[i];
    if (assembled === undefined) {
      const d = decoded[i];
      if (!d) return;
      if (d.kind === 'markdown') {
        markdownFiles++;
        diagnostics.push(...d.diagnostics);
        if (d.page) pages.push(d.page);
        else if (d.diagnostics.every((x) => x.severity === 'info')) markdownSkipped++;
        return;
      }
      assembled = assembleOnce(d, file, label, options.assembled);
    }
    tomlFiles++;
    const { rule, diagnostics: ds } = assembled;
    diagnostics.push(...ds);
    if (!rule) return;
    const first = seen.get(rule.id);
    if (first) {
      const where = rule.span ? { line: rule.span.start.line, column: rule.span.start.column } : null;
      diagnostics.push(diagnostic('error', 'duplicate-rule-id', file.path, where, `rule_id ${rule.id} is already used by ${first.files[0] ?? '?'}: this rule is dropped`, rule.id));
      return;
    }
    seen.set(rule.id, rule);
    tomlRules.push(rule);
  });
  hooks.onProgress?.('assemble', tomlRules.length, tomlRules.length);

  const merged = mergePages(tomlRules, pages, etc, label);
  diagnostics.push(...merged.diagnostics);
  const rules = merged.rules;
  const mdIds = new Set<string>();
  for (const r of rules) {
    if (r.rawToml === null) {
      if (seen.has(r.id) || mdIds.has(r.id)) {
        diagnostics.push(diagnostic('error', 'duplicate-rule-id', r.files[0] ?? '', r.span ? { line: r.span.start.line, column: r.span.start.column } : null, `derived id ${r.id} is already used: markdown-only rule dropped`, r.id));
        r.id = '';
        continue;
      }
      mdIds.add(r.id);
    }
    const lock = etc.versionLock[r.id];
    if (lock && Object.hasOwn(etc.versionLock, r.id)) r.version = lock.version;
    else if (r.version === null) r.version = r.publishedVersion;
    const dep = Object.hasOwn(etc.deprecatedRules, r.id) ? etc.deprecatedRules[r.id] : undefined;
    if (dep) {
      r.deprecated = true;
      r.deprecationDate ??= dep.deprecationDate;
      r.deprecatedReason ??= dep.deprecatedReason;
    }
  }
  const kept = rules.filter((r) => r.id !== '');

  // Slugs: non-deprecated rules first, then in reading order (sources in the order given, so a
  // later source never takes an earlier one's slugs), then by primary file.
  const slugs = new SlugAllocator();
  const readAt = new Map(input.files.map((f, i) => [f.path, i]));
  const at = (r: Rule): number => readAt.get(r.files[0] ?? '') ?? input.files.length;
  const order = [...kept].sort((a, b) => Number(a.deprecated) - Number(b.deprecated) || at(a) - at(b) || compareStrings(a.files[0] ?? '', b.files[0] ?? '') || compareStrings(a.id, b.id));
  const byId = new Map(kept.map((r) => [r.id, r]));
  for (const r of order) {
    const { slug, clashWith } = slugs.allocate(r.name, r.id);
    r.slug = slug;
    if (clashWith !== null) {
      const other = byId.get(clashWith);
      const where = r.span ? { line: r.span.start.line, column: r.span.start.column } : null;
      diagnostics.push(
        diagnostic('warning', 'slug-collision', r.files[0] ?? '', where, `slug "${slugOf(other)}" of "${r.name}" is taken by rule ${clashWith} (${other?.files[0] ?? '?'}): this rule's pages use "${slug}"`, r.id),
      );
    }
  }
  kept.sort((a, b) => compareStrings(a.id, b.id));
  diagnostics.sort(compareDiagnostics);
  return {
    rules: kept,
    diagnostics,
    attackRedirects: etc.attackRedirects,
    etc,
    stats: {
      tomlFiles,
      markdownFiles,
      markdownRulePages: pages.length,
      markdownSkipped,
      merged: merged.merged,
      markdownOnly: merged.markdownOnly,
    },
  };
}

/**
 * `assembleToml`, or a copy of the rule the memo holds for this decoded document. Later steps set
 * top-level fields of the rules and add to `files` and `versions` (markdown merge): the copy has
 * its own of those, so the memo's rule stays as assembled.
 */
function assembleOnce(d: DecodedToml, file: SourceFile, label: string, memo: AssembleMemo | undefined): AssembledToml {
  if (memo === undefined) return assembleToml(d, file, { label });
  let hit = memo.get(d);
  if (hit === undefined || hit.label !== label) {
    const r = assembleToml(d, file, { label });
    hit = { label, rule: r.rule, diagnostics: r.diagnostics };
    memo.set(d, hit);
  }
  const rule = hit.rule;
  return { rule: rule && ({ ...rule, files: [...rule.files], versions: [...rule.versions] } as Rule), diagnostics: hit.diagnostics };
}

function slugOf(r: Rule | undefined): string {
  return r?.slug ?? '';
}
