/**
 * Ingest: rule sources → the rule model. `readSources` (Node I/O) reads directories into
 * `SourceFile`s; `ingest` (pure) decodes, assembles and merges them into `Rule`s with diagnostics.
 */
export { ingest, decodeFile, decodeFiles, DEFAULT_LABEL } from './ingest';
export type { IngestInput, IngestHooks, IngestPhase } from './ingest';
export { decodeToml } from './decode-toml';
export { decodeMarkdown } from './decode-markdown';
export { assembleToml } from './assemble';
export { mergePages, compareWithPage, normaliseQuery, attackIds } from './merge';
export { slugify, nameKey, SlugAllocator, MAX_SLUG } from './slug';
export { readEtc } from './etc';
export type * from './types';
