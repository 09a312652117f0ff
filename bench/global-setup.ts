import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { absoluteResult, clearResults, collectResults, recordResult } from './results';

/**
 * Around the whole `npm run bench`: clears the last run's results, runs the idle measure in a
 * process of its own meanwhile (it only waits, so it costs the other benches nothing), measures
 * the heap in another once the benches are done, then writes `bench/results.json` and prints the
 * table. `TOKENDECK_BENCH_IDLE=0` and `TOKENDECK_BENCH_MEMORY=0` skip those two (for a quick run
 * of one file).
 */
const IDLE_SCRIPT = fileURLToPath(new URL('./scheduler-idle.ts', import.meta.url));
const MEMORY_SCRIPT = fileURLToPath(new URL('./memory.ts', import.meta.url));

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
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', IDLE_SCRIPT], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += String(chunk)));
    child.on('close', (code) => {
      if (code === 0) {
        const { armed, bare, seconds, accounts, reads } = JSON.parse(out) as Record<string, number>;
        recordResult({
          ...absoluteResult(
            `scheduler idle, ${accounts} accounts armed, ${seconds} s, CPU above bare (${reads} vault reads)`,
            armed - bare,
            'CPU-s',
            0.05,
          ),
          baseline: 'the same process, nothing armed',
          baselineValue: bare,
        });
      } else {
        process.stderr.write(`bench: the idle measure failed (exit ${code})\n`);
      }
      resolve();
    });
  });
}

/** Heap after loading 1,000 accounts, in a process of its own with a forced GC (memory.ts). */
function memory(): void {
  const run = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', MEMORY_SCRIPT, '--json'],
    {
      encoding: 'utf8',
    },
  );
  const line = run.stdout.trim().split('\n').pop() ?? '';
  if (run.status !== 0 || !line.startsWith('{')) {
    process.stderr.write(`bench: the memory measure failed (exit ${run.status}): ${run.stderr}\n`);
    return;
  }
  const { accounts, empty, loaded } = JSON.parse(line) as Record<string, number>;
  recordResult({
    ...absoluteResult(
      `memory: heap + buffers added by ${accounts} accounts loaded`,
      loaded - empty,
      'MiB',
      30,
    ),
    baseline: 'heap + buffers before the vault is opened',
    baselineValue: Math.round(empty * 1000) / 1000,
  });
}

export async function teardown(): Promise<void> {
  if (process.env.TOKENDECK_BENCH_MEMORY !== '0') memory();
  await idle;
  const table = collectResults(ORDER);
  if (table)
    process.stdout.write(`\nTokendeck against its floor (bench/results.json):\n\n${table}\n\n`);
}
