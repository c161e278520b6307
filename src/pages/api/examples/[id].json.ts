/** Each evaluable rule's synthesised example input and near miss (the evaluator loads them). */
import type { APIRoute } from 'astro';
import { getSite } from '../../../site/context';
import { examplesJson } from '../../../views/rule-page';
import { segment } from '../../../views/urls';

export async function getStaticPaths() {
  const ctx = await getSite();
  // `ruledex build` writes these files itself (src/site/direct.ts).
  if (ctx.direct) return [];
  const out: { params: { id: string }; props: { id: string } }[] = [];
  for (const r of ctx.model.rules) {
    const ex = ctx.examples.get(r.id);
    if (ex?.ok && r.query !== null && r.language !== null) out.push({ params: { id: segment(r.id) }, props: { id: r.id } });
  }
  return out;
}

export const GET: APIRoute = async ({ props }) => {
  const ex = (await getSite()).examples.get((props as { id: string }).id);
  return new Response(ex?.ok ? examplesJson(ex.examples) : '{}', { headers: { 'content-type': 'application/json' } });
};
