/** The search bundle of a site context, built once on first use. */
import { buildSearchBundle, type SearchBundle } from '../search/build-index';
import type { SiteContext } from './context';

export function searchBundleOf(ctx: SiteContext): SearchBundle {
  ctx.search ??= buildSearchBundle(ctx.model.rules);
  return ctx.search;
}
