// Bundles the `tokendeck` command into out/cli/: one entry that loads each command's code only
// when that command runs, with its dependencies inside, so it starts fast and needs no
// node_modules. Run by `npm run build:cli` (and by `npm run build`).
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = `${root}out/cli`;
const entry = `${root}src-main/cli/main.ts`;

await rm(outDir, { recursive: true, force: true });
await build({
  input: { tokendeck: entry },
  cwd: root,
  platform: 'node',
  // Only the entry does something when loaded; every other module is dropped unless used.
  treeshake: { moduleSideEffects: (id) => id === entry },
  external: [/^node:/],
  output: {
    dir: outDir,
    format: 'esm',
    minify: true,
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    sourcemap: false,
  },
  logLevel: 'warn',
});
