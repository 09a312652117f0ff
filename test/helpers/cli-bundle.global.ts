import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Where the bundle of test/helpers/cli-entry.ts is, for test/helpers/cli.ts to start. */
export const CLI_BUNDLE_ENV = 'TOKENDECK_TEST_CLI_BUNDLE';

/**
 * Vitest global setup for the integration suite: bundles the test `tokendeck` command
 * (test/helpers/cli-entry.ts, the real command with the test-only scrypt cost) once, into a temp
 * folder, so that each command a test runs starts as plain Node instead of compiling the
 * sources through tsx again: 0.5 to 1 s a command on an idle machine, several seconds on a busy
 * one. The bundle lives only in that temp folder; the shipped out/cli bundle is built from
 * src-main/cli/main.ts alone and never holds the test host.
 */
export default async function setup(): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'tokendeck-test-cli-'));
  await build({
    entryPoints: [fileURLToPath(new URL('./cli-entry.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Each command's code in its own chunk, loaded only when that command runs, as in out/cli.
    splitting: true,
    outdir: dir,
    entryNames: 'tokendeck-test',
    outExtension: { '.js': '.mjs' },
    // Bundled CommonJS dependencies call require(); an ES module has none of its own.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
  process.env[CLI_BUNDLE_ENV] = join(dir, 'tokendeck-test.mjs');
  return () => rmSync(dir, { recursive: true, force: true });
}
