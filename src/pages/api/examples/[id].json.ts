/** Each evaluable rule's synthesised example input and near miss (the evaluator loads them). */
import type { APIRoute } from 'astro';
import { getReadySite, getSite } from '../../../site/context';
import { examplesJson } from '../../../views/rule-page';
import { segment } from '../../../views/urls';

export async function getStaticPaths() {
  // `ruledex build` writes these files itself (src/site/direct.ts), once the examples are made.
  if ((await getSite()).direct) return [];
  const ctx = await getReadySite();
  const out: { params: { id: string }; props: { id: string } }[] = [];
  for (const r of ctx.model.rules) {
    const ex = ctx.examples.get(r.id);
    if (ex?.ok && r.query !== null && r.language !== null) out.push({ params: { id: segment(r.id) }, props: { id: r.id } });
  }
  return out;
}

export const GET: APIRoute = async ({ props }) => {
  const ex = (await getReadySite()).examples.get((props as { id: string }).id);
  return new Response(ex?.ok ? examplesJson(ex.examples) : '{}', { headers: { 'content-type': 'application/json' } });
};
