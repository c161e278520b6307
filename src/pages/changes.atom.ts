/** The Atom feed of the changes page. */
import type { APIRoute } from 'astro';
import { getSite } from '../site/context';
import { atomFeed } from '../views/changes';

export const GET: APIRoute = async () => new Response(atomFeed((await getSite()).model), { headers: { 'content-type': 'application/atom+xml' } });
