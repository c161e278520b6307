/**
 * Shapes that flow through ingest: source files in, decoded records in the middle, rules out.
 * Everything here is plain, structured-clonable data (decoded records cross worker threads).
 */
import type { Diagnostic } from '../model/diagnostic';
import type { Rule, ThreatEntry } from '../model/rule';
import type { SourceSpan } from '../model/span';

/** One file as the source reader found it. `path` is relative to the working directory, as given. */
export interface SourceFile {
  path: string;
  /** UTF-8 text, byte-order mark removed, line endings untouched. */
  text: string;
  /** sha256 of the file's bytes (hex). */
  digest: string;
}

/** The three detection-rules side files ingest reads from a checkout's `detection_rules/etc/`. */
export type EtcRole = 'version-lock' | 'deprecated-rules' | 'attack-redirects';

export interface EtcFile extends SourceFile {
  role: EtcRole;
}

/** A `--source` directory and what the reader made of it. */
export interface SourceRoot {
  dir: string;
  /** `detection-rules` when the directory is a checkout (it has `detection_rules/etc`). */
  kind: 'detection-rules' | 'plain';
  toml: number;
  markdown: number;
}

/** A string value's place in its host file: offsets of the decoded content. */
export interface StringLoc {
  /** Offset of the first character of the value (after the opening delimiter and trimmed newline). */
  start: number;
  /** Offset just past the last character of the value (before the closing delimiter). */
  end: number;
  /** Host offset of every decoded UTF-16 unit plus one past the end; only for basic strings with escapes. */
  table?: number[];
}

/** Where ingest found the things it places: offsets into the TOML text. */
export interface TomlLocations {
  /** Offsets of `rule_id = "…"`: key start to value end. */
  ruleId: { start: number; end: number } | null;
  query: StringLoc | null;
  threatQuery: StringLoc | null;
}

export interface DecodedToml {
  kind: 'toml';
  path: string;
  /** The decoded document, or null when the file is not valid TOML. */
  doc: Record<string, unknown> | null;
  locations: TomlLocations;
  diagnostics: Diagnostic[];
}

/** `{ line, column }` of something on a markdown page, 1-based. */
export interface PagePlace {
  offset: number;
  line: number;
  column: number;
}

/** What a markdown rule page says, read off its mdast. */
export interface MarkdownPage {
  path: string;
  /** Rule name from the `# Name [anchor]` title. */
  title: string;
  anchor: string | null;
  /** The rule's page slug: the anchor (or file name) without a `prebuilt-rule-X-Y-Z-` prefix. */
  slug: string;
  /** Package version of a downloadable-update page (`8.17.4`), null for a current page. */
  packageVersion: string | null;
  frontMatter: Record<string, unknown>;
  /** Markdown source of the paragraphs between the title and the first fact. */
  description: string;
  ruleType: string | null;
  /** `**Rule indices**`: a list, or null for `None`. */
  indices: string[] | null;
  severity: string | null;
  riskScore: number | null;
  /** `**Runs every**`, e.g. `5m`. */
  interval: string | null;
  /** `**Searches indices from**`, e.g. `now-9m`. */
  from: string | null;
  maxSignals: number | null;
  /** `**References**`: link texts, or null for `None`. */
  references: string[] | null;
  tags: string[];
  version: number | null;
  authors: string[];
  license: string | null;
  /** `**Label**` facts the reader does not know, label → text. */
  otherFacts: Record<string, string>;
  /** Markdown source of the investigation guide section (without its heading). */
  investigationGuide: string | null;
  setup: string | null;
  query: (StringLoc & { text: string; lang: string | null }) | null;
  /** Where the query's code block content sits in the page. */
  querySpan: SourceSpan | null;
  /** The `# Title` line. */
  titleSpan: SourceSpan;
  threat: ThreatEntry[];
  /** Where the title and each fact sit, keyed `title` or the fact's label in lower case. */
  places: Record<string, PagePlace>;
}

export interface DecodedMarkdown {
  kind: 'markdown';
  path: string;
  /** The rule page, or null for pages that are not rule pages (index, summary, …) or unusable. */
  page: MarkdownPage | null;
  diagnostics: Diagnostic[];
}

export type DecodedFile = DecodedToml | DecodedMarkdown;

export interface VersionLockEntry {
  ruleName: string | null;
  type: string | null;
  version: number;
  /** Rule names of earlier stacks (`previous.<stack>.rule_name`), to match renamed rules. */
  previousNames: string[];
}

export interface DeprecatedRuleEntry {
  ruleName: string | null;
  deprecationDate: string | null;
  deprecatedReason: string | null;
  stackVersion: string | null;
}

/** Side data of detection-rules checkouts, merged over every source. */
export interface EtcData {
  versionLock: Record<string, VersionLockEntry>;
  deprecatedRules: Record<string, DeprecatedRuleEntry>;
  /**
   * `attack-technique-redirects.json` `mapping`: old technique id → replacement id, for the ATT&CK
   * stage (which may also re-read `files` with its own reader).
   */
  attackRedirects: Record<string, string>;
  /** Which side files were read. */
  files: { role: EtcRole; path: string }[];
}

export interface IngestOptions {
  /** Source label every rule gets (`source`), `elastic` by default. */
  label?: string;
  /**
   * Rules already assembled from these decoded documents (a watch loop keeps one between builds):
   * an unchanged document's rule is copied from here instead of assembled again.
   */
  assembled?: AssembleMemo;
}

/** Assembled rules by decoded document (identity) and label; see `IngestOptions.assembled`. */
export type AssembleMemo = WeakMap<DecodedToml, { label: string; rule: Rule | null; diagnostics: Diagnostic[] }>;

export interface IngestStats {
  tomlFiles: number;
  markdownFiles: number;
  /** Markdown files that are rule pages (current and package-version pages). */
  markdownRulePages: number;
  /** Markdown files skipped as index, summary, appendix or other non-rule pages. */
  markdownSkipped: number;
  /** Rules described by TOML and at least one markdown page. */
  merged: number;
  markdownOnly: number;
}

export interface IngestResult {
  /** Sorted by id. */
  rules: Rule[];
  /** Sorted with `compareDiagnostics`. */
  diagnostics: Diagnostic[];
  /** Old → new ATT&CK technique ids from `attack-technique-redirects.json` (empty without a checkout). */
  attackRedirects: Record<string, string>;
  etc: EtcData;
  stats: IngestStats;
}
