/**
 * Loading the configured sources (Node edge): each source read and ingested with its own label,
 * then combined (`combineIngests`), with cross-source duplicate ids reported.
 */
import type { ResolvedSource } from '../config/schema';
import { loadSources, type LoadOptions, type LoadResult } from '../ingest/load';
import type { IngestResult } from '../ingest/types';
import { combineIngests } from './combine';

export interface LabelledLoad {
  result: IngestResult;
  /** One load per source, in config order. */
  parts: { source: ResolvedSource; load: LoadResult }[];
}

export async function loadLabelledSources(sources: readonly ResolvedSource[], options: Omit<LoadOptions, 'label'> = {}): Promise<LabelledLoad> {
  const parts: LabelledLoad['parts'] = [];
  for (const source of sources) parts.push({ source, load: await loadSources([source.dir], { ...options, label: source.label }) });
  return { result: combineIngests(parts.map((p) => ({ label: p.source.label, result: p.load.result }))), parts };
}
