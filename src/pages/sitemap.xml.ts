/** sitemap.xml: every indexable page (rule pages, not their slug redirects). */
import type { APIRoute } from 'astro';
import { getSite } from '../site/context';
import { sitemapXml } from '../views/sitemap';

export const GET: APIRoute = async () => new Response(sitemapXml((await getSite()).model), { headers: { 'content-type': 'application/xml' } });
