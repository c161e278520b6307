/** Navigator layers of a site context, built once. */
import type { LayerFile } from '../attack';
import { navigatorLayers } from '../views/attack-pages';
import type { SiteContext } from './context';

const cache = new WeakMap<SiteContext, LayerFile[]>();

export function layersOf(ctx: SiteContext): LayerFile[] {
  let l = cache.get(ctx);
  if (!l) {
    l = navigatorLayers(ctx.model);
    cache.set(ctx, l);
  }
  return l;
}
