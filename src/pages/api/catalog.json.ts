/** The catalog JSON: every rule with its analysis and similar rules, plus diagnostics. */
import type { APIRoute } from 'astro';
import { getSite } from '../../site/context';
import { catalogApiJson } from '../../views/api';

export const GET: APIRoute = async () => new Response(catalogApiJson((await getSite()).model), { headers: { 'content-type': 'application/json' } });
