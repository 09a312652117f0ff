import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

/**
 * Builds the three Electron parts into `out/`. The standalone `tokendeck` command is bundled
 * apart, by `scripts/build-cli.mjs`, into `out/cli/`.
 *
 * - main: `out/main/index.js` (the app, which also runs the CLI in its headless CLI mode), ESM;
 * - preload: `out/preload/index.cjs`, CommonJS, because sandboxed preloads cannot be ESM;
 * - renderer: `out/renderer/`, served by the `app://` protocol.
 */
const root = import.meta.dirname;

/**
 * Loosens the CSP for `electron-vite dev` only.
 *
 * React Fast Refresh injects an inline preamble, Vite injects styles as `<style>` elements, and
 * HMR talks over a websocket. The production build never runs this plugin, so the built HTML
 * keeps the strict policy (a unit test checks it).
 */
const devOnlyCsp: Plugin = {
  name: 'tokendeck:dev-only-csp',
  apply: 'serve',
  transformIndexHtml: (html) =>
    html
      .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
      .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
      .replace("connect-src 'self'", "connect-src 'self' ws://localhost:* ws://127.0.0.1:*"),
};

export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        input: { index: resolve(root, 'src-main/electron/main.ts') },
      },
    },
  },
  preload: {
    build: {
      rolldownOptions: {
        input: { index: resolve(root, 'src-preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    build: {
      outDir: resolve(root, 'out/renderer'),
      // electron-vite leaves the renderer unminified by default; the bundle budget is for real bytes.
      minify: true,
      rolldownOptions: { input: { index: resolve(root, 'src-renderer/index.html') } },
    },
    plugins: [react(), devOnlyCsp],
  },
});
