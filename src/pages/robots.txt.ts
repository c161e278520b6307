/** robots.txt, pointing at the sitemap. */
import type { APIRoute } from 'astro';
import { getSite } from '../site/context';

export const GET: APIRoute = async () => {
  const { model } = await getSite();
  const u = model.urls;
  // Sitemap lines need an absolute URL: only when the site (--site) is known.
  const sitemap = u.site ? `Sitemap: ${u.absolute(u.sitemap())}\n` : '';
  return new Response(`User-agent: *\nAllow: /\n${sitemap}`, { headers: { 'content-type': 'text/plain' } });
};
