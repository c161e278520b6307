// Astro configuration: thin. `ruledex build` runs Astro programmatically and passes base, site
// and outDir inline (they win over these); `astro dev` reads them from the environment
// (RULEDEX_BASE, RULEDEX_SITE; sources from RULEDEX_SOURCES, see src/site/context.ts).
import { defineConfig } from 'astro/config';

export default defineConfig({
  base: process.env.RULEDEX_BASE || '/',
  site: process.env.RULEDEX_SITE || undefined,
  trailingSlash: 'ignore',
  build: {
    format: 'directory',
    // Never inline CSS or scripts: the pages' Content-Security-Policy allows only same-origin files.
    inlineStylesheets: 'never',
    assets: '_astro',
  },
  compressHTML: true,
  devToolbar: { enabled: false },
  vite: {
    build: { assetsInlineLimit: 0 },
  },
});
