/** The browse page's facet values per rule (compact), loaded by its filters on first use. */
import type { APIRoute } from 'astro';
import { getSite } from '../../site/context';
import { browseFacetsJson, browsePage } from '../../views/browse';

export const GET: APIRoute = async () => new Response(browseFacetsJson(browsePage((await getSite()).model)), { headers: { 'content-type': 'application/json' } });
