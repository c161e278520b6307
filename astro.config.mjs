// Astro configuration: thin. `ruledex build` runs Astro programmatically and passes base, site
// and outDir inline (they win over these); `astro dev` reads them from the environment
// (RULEDEX_BASE, RULEDEX_SITE; sources from RULEDEX_SOURCES, see src/site/context.ts).
import { defineConfig } from 'astro/config';

/** The generated parsers: plain, self-contained JavaScript modules (half a megabyte). */
const GENERATED_PARSER = /\/src\/lang\/[^/]+\/generated\/parser\.js$/;

/**
 * The server build (the code that renders the pages at build time, thrown away after) imports the
 * generated parsers from where they are instead of bundling them: Node loads them as they are, and
 * Rollup is spared parsing and tree-shaking them (about 1 s of every build). The client build,
 * whose bundles the browser loads, is untouched.
 */
const serverBuildImportsParsers = {
  name: 'ruledex-server-build',
  hooks: {
    'astro:build:setup': ({ vite, target }) => {
      if (target !== 'server') return;
      vite.build ??= {};
      vite.build.rollupOptions ??= {};
      // Keep the absolute path: the server chunks may be written outside the project.
      vite.build.rollupOptions.makeAbsoluteExternalsRelative = false;
      const external = vite.build.rollupOptions.external;
      vite.build.rollupOptions.external = (id, ...rest) => GENERATED_PARSER.test(id) || (typeof external === 'function' ? external(id, ...rest) : false);
    },
  },
};

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
  integrations: [serverBuildImportsParsers],
  vite: {
    build: { assetsInlineLimit: 0 },
  },
});
