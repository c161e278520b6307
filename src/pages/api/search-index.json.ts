/** The serialised lunr index and its stored results, loaded by the search box on first use. */
import type { APIRoute } from 'astro';
import { getSite } from '../../site/context';
import { searchBundleOf } from '../../site/search';

export const GET: APIRoute = async () => new Response(searchBundleOf(await getSite()).text, { headers: { 'content-type': 'application/json' } });
