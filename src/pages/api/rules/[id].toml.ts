/** The raw TOML of rules whose page shows only a preview of their body (see MAX_INLINE_BODY). */
import type { APIRoute } from 'astro';
import { getSite } from '../../../site/context';
import { MAX_INLINE_BODY } from '../../../views/rule-page';
import { segment } from '../../../views/urls';

export async function getStaticPaths() {
  const { model, direct } = await getSite();
  // `ruledex build` writes these files itself (src/site/direct.ts).
  if (direct) return [];
  return model.rules.filter((r) => r.rawToml !== null && r.rawToml.length > MAX_INLINE_BODY).map((r) => ({ params: { id: segment(r.id) }, props: { id: r.id } }));
}

export const GET: APIRoute = async ({ props }) => {
  const { model } = await getSite();
  return new Response(model.byId.get((props as { id: string }).id)?.rawToml ?? '', { headers: { 'content-type': 'application/toml; charset=utf-8' } });
};
