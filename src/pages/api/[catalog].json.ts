/**
 * The catalog JSON: every rule with its analysis and similar rules, plus diagnostics. A dynamic
 * route of one page so that `ruledex build`, which writes the file itself in pieces
 * (src/site/direct.ts), can skip it.
 */
import type { APIRoute } from 'astro';
import { getSite } from '../../site/context';
import { catalogApiJson } from '../../views/api';

export async function getStaticPaths() {
  const { direct } = await getSite();
  return direct ? [] : [{ params: { catalog: 'catalog' } }];
}

export const GET: APIRoute = async () => new Response(catalogApiJson((await getSite()).model), { headers: { 'content-type': 'application/json' } });
