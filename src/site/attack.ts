/**
 * Navigator layers of a site context, built once and kept on the context (not in this module:
 * `ruledex build` writes them from its own copy of this module, the pages read them from Vite's).
 */
import type { LayerFile } from '../attack';
import { navigatorLayers } from '../views/attack-pages';
import type { SiteContext } from './context';

export function layersOf(ctx: SiteContext): LayerFile[] {
  ctx.layers ??= navigatorLayers(ctx.model);
  return ctx.layers;
}
