import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { signingPlan } from './signing';

/**
 * `npm run dist`: packages the built app (`npm run build` runs first) for the current OS with
 * electron-builder and electron-builder.yml. Arguments pass through, e.g. `npm run dist -- --dir`
 * for an unpacked app only. Signing and notarisation come from the environment; when their
 * variables are absent the step is skipped with one line saying which to set.
 */
const plan = signingPlan(process.env, process.platform);
for (const note of plan.notes) process.stderr.write(`${note}\n`);

const cli = createRequire(import.meta.url).resolve('electron-builder/cli.js');
const result = spawnSync(
  process.execPath,
  [cli, '--config', 'electron-builder.yml', '--publish', 'never', ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, ...plan.env } },
);
process.exitCode = result.status ?? 1;
