/** The example catalog (content/) as a site model, built once per test file. */
import { join, relative } from 'node:path';
import { buildCatalog, type Catalog } from '../../../src/catalog/build';
import { loadSources, type LoadResult } from '../../../src/ingest/load';
import { buildSiteModel, type SiteInput, type SiteModel } from '../../../src/views/site';
import { projectRoot } from '../../helpers/shared';

let loaded: Promise<{ loaded: LoadResult; catalog: Catalog }> | null = null;

export function exampleCatalog(): Promise<{ loaded: LoadResult; catalog: Catalog }> {
  loaded ??= loadSources([relative(process.cwd(), join(projectRoot, 'content')) || '.'], { workers: 0 }).then((l) => ({ loaded: l, catalog: buildCatalog(l.result) }));
  return loaded;
}

export async function exampleModel(options: Omit<SiteInput, 'catalog'> = {}): Promise<SiteModel> {
  const { catalog } = await exampleCatalog();
  return buildSiteModel({ catalog, base: '/catalog/', ...options });
}

/** Rule ids of the example content used by the tests. */
export const IDS = {
  osascriptSequence: 'dda66a87-5a09-42cd-a0e1-f755ece2bbf2',
  encodedPowershell: '9655c95e-1e73-4bae-9a9a-0d49db8249dd',
  webShell: 'c5cb9a9c-7295-4bd3-8a7a-8508d7323a84',
  deprecatedWevtutil: '92461a6d-3240-4f15-b2b2-c595107351bf',
  buildingBlock: '777e0dc6-1f9d-4c97-a653-482173258e43',
  sshNewTerms: '56e3acea-586b-4a8c-bec4-b9bbe5683d1a',
  mlEgress: 'e915976a-19f8-477d-9c65-866e0a7d03c8',
  launchAgentMd: 'md-launch-agent-plist-written-by-a-script-interpreter',
  oktaEsql: 'a88912c4-6fb9-4ff4-bd50-ae01de3a7928',
} as const;
