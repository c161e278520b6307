/** One JSON per rule: the rule model, its analysis and similar rules. */
import type { APIRoute } from 'astro';
import { getSite } from '../../../site/context';
import { ruleApiJson } from '../../../views/api';
import { segment } from '../../../views/urls';

export async function getStaticPaths() {
  const { model, direct } = await getSite();
  // `ruledex build` writes these files itself (src/site/direct.ts).
  if (direct) return [];
  return model.rules.map((r) => ({ params: { id: segment(r.id) }, props: { id: r.id } }));
}

export const GET: APIRoute = async ({ props }) => {
  const { model } = await getSite();
  const rule = model.byId.get((props as { id: string }).id);
  return new Response(rule ? ruleApiJson(rule) : '{}', { headers: { 'content-type': 'application/json' } });
};
