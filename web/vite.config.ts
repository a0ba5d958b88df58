// Vite builds the static web app into web/dist (relative URLs, so the site
// works from any sub-path such as https://user.github.io/repo/).
//
//   node node_modules/vite/bin/vite.js build --config web/vite.config.ts
//   node node_modules/vite/bin/vite.js --config web/vite.config.ts        (dev server)
//
// The WASM module comes from the wasm preset's build (build/wasm/wasm, or
// LOOKALIKE_WASM_DIR). In dev, LOOKALIKE_SITE_DATA=<site folder> serves a
// collection (index/, thumbs/, models/) next to the app.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { sitePlugin } from './vite/site-plugin.ts';

const here = dirname(fileURLToPath(import.meta.url));
const wasmDir = resolve(process.env['LOOKALIKE_WASM_DIR'] ?? resolve(here, '../build/wasm/wasm'));
if (!existsSync(resolve(wasmDir, 'lookalike_wasm.mjs')))
  throw new Error(
    `${wasmDir}/lookalike_wasm.mjs is missing: build the WASM module first (cmake --preset wasm && cmake --build --preset wasm)`,
  );

// Cross-origin isolation lets ONNX Runtime Web use threads; `lookalike serve`
// sends the same headers. GitHub Pages cannot, and the page works without.
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  root: here,
  base: './',
  publicDir: false,
  resolve: {
    alias: [
      { find: '@lookalike-wasm', replacement: wasmDir },
      { find: /^(fs|path)$/, replacement: resolve(here, 'src/worker/node-builtins-stub.ts') },
    ],
  },
  plugins: [sitePlugin()],
  server: { headers: isolation, fs: { allow: [resolve(here, '..')] } },
  preview: { headers: isolation },
  worker: {
    format: 'es',
    rolldownOptions: {
      output: { entryFileNames: 'assets/[name]-[hash].js', chunkFileNames: 'assets/[name]-[hash].js' },
    },
  },
  build: {
    outDir: resolve(here, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1024,
    rolldownOptions: {
      checks: { pluginTimings: false },
      input: { main: resolve(here, 'index.html'), sw: resolve(here, 'src/sw/service-worker.ts') },
      output: { entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js') },
    },
  },
});
