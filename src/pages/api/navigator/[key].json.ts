/** ATT&CK Navigator layers: the whole catalog, and one per OS, integration and rule type. */
import type { APIRoute } from 'astro';
import { getSite } from '../../../site/context';
import { layersOf } from '../../../site/attack';
import { segment } from '../../../views/urls';

export async function getStaticPaths() {
  const ctx = await getSite();
  // `ruledex build` writes these files itself (src/site/direct.ts).
  if (ctx.direct) return [];
  return layersOf(ctx).map((l) => ({ params: { key: segment(l.key) }, props: { key: l.key } }));
}

export const GET: APIRoute = async ({ props }) => {
  const layer = layersOf(await getSite()).find((l) => l.key === (props as { key: string }).key);
  return new Response(`${JSON.stringify(layer?.layer ?? {}, null, 2)}\n`, { headers: { 'content-type': 'application/json' } });
};
