/**
 * `npm run soak`: the full chaos soak (10 minutes, 1,000 accounts), or `-- --short` for the
 * minute that `npm test` runs. `--seed N` replays a run; `--keep` keeps its data folder.
 * Exits 1 when a check failed.
 */
import { FULL_SOAK, SHORT_SOAK } from './soak-config';
import { soakReport } from './soak-report';
import { runSoak } from './run-soak';

const args = process.argv.slice(2);
const seedAt = args.indexOf('--seed');
const config = args.includes('--short') ? SHORT_SOAK : FULL_SOAK;
const started = Date.now();
const result = await runSoak(config, {
  ...(seedAt >= 0 ? { seed: Number(args[seedAt + 1]) } : {}),
  keep: args.includes('--keep'),
  log: (line) =>
    process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`),
});
process.stdout.write(`${soakReport(result)}\n`);
if (args.includes('--keep')) process.stdout.write(`kept: ${result.root}\n`);
process.exitCode = result.findings.failures.length === 0 ? 0 : 1;
