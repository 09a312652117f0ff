import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { absoluteResult, clearResults, collectResults, recordResult } from './results';

/**
 * Around the whole `npm run bench`: clears the last run's results, runs the idle measure in a
 * process of its own meanwhile (it only waits, so it costs the other benches nothing), then
 * writes `bench/results.json` and prints the table.
 */
const IDLE_SCRIPT = fileURLToPath(new URL('./scheduler-idle.ts', import.meta.url));

/** The order of the table: the prefixes of the measures' names. */
const ORDER = [
  'renewal: scheduler',
  'renewal:',
  'vault update',
  'vault open',
  'console',
  'tokendeck token',
  'scheduler idle',
  'scheduler fire lag',
  'renderer',
  'memory',
];

let idle: Promise<void> = Promise.resolve();

export function setup(): void {
  clearResults();
  if (process.env.TOKENDECK_BENCH_IDLE === '0') return;
  idle = new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', IDLE_SCRIPT], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += String(chunk)));
    child.on('close', (code) => {
      if (code === 0) {
        const { cpuSeconds, seconds, accounts, reads } = JSON.parse(out) as Record<string, number>;
        recordResult(
          absoluteResult(
            `scheduler idle, ${accounts} accounts, ${seconds} s (${reads} vault reads)`,
            cpuSeconds,
            'CPU-s',
            0.05,
          ),
        );
      } else {
        process.stderr.write(`bench: the idle measure failed (exit ${code})\n`);
      }
      resolve();
    });
  });
}

export async function teardown(): Promise<void> {
  await idle;
  const table = collectResults(ORDER);
  if (table)
    process.stdout.write(`\nTokendeck against its floor (bench/results.json):\n\n${table}\n\n`);
}
