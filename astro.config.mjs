// The public site: static pages built from <out>/public/*.json (see site/lib/data.ts).
// `tidings build` runs Astro with this config and passes the data folder and dist folder.
import { defineConfig } from 'astro/config';

export default defineConfig({
  srcDir: './site',
  publicDir: './site/static',
  outDir: './dist',
  output: 'static',
  trailingSlash: 'always',
  build: {
    format: 'directory',
    // One small stylesheet per page: inline it so nothing blocks the first paint.
    inlineStylesheets: 'always',
  },
  devToolbar: { enabled: false },
});
