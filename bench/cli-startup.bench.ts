import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { makeTempRoot } from '../test/helpers/vault-fixtures';
import { ensure } from './bench-fixtures';

/**
 * The CLI's start-up: a cold `tokendeck token` with a session and through the agent, and
 * `tokendeck --version`, side by side with a bare `node -e 0` in the same run.
 *
 * Runs the bundled entry (`out/cli/tokendeck.js`, built here first) as a new process each time,
 * as a shell does. The target: with a session or the agent, `token` takes at most 1.5× `node -e 0`.
 * After vitest's table, the ratios of interleaved medians are printed (`startup ratio` lines).
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = `${ROOT}out/cli/tokendeck.js`;
const PASSPHRASE = 'bench passphrase, not a real one';
const KEY = 'bench-api-key-0123456789';

let cleanups: Array<() => Promise<void>> = [];
let agent: ChildProcess | null = null;
const env: Record<string, NodeJS.ProcessEnv> = {};

function cli(args: string[], extra: NodeJS.ProcessEnv, input?: string): string {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...extra },
    input,
    encoding: 'utf8',
  });
  ensure(result.status === 0, `tokendeck ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** A data folder with one API-key account; returns its env and the account id. */
async function dataFolder(): Promise<{ env: NodeJS.ProcessEnv; id: string }> {
  const { root, cleanup } = await makeTempRoot('tokendeck-bench-cli-');
  cleanups.push(cleanup);
  const base = { TOKENDECK_DATA_DIR: root, TOKENDECK_PASSPHRASE: PASSPHRASE };
  cli(['provider', 'add', 'k', '--grant', 'api_key'], base);
  const id = JSON.parse(cli(['connect', 'k', '--api-key-stdin', '--json'], base, KEY)).id as string;
  return { env: { TOKENDECK_DATA_DIR: root }, id };
}

const runs: Record<string, () => void> = {};

beforeAll(async () => {
  const built = spawnSync(process.execPath, [`${ROOT}scripts/build-cli.mjs`], { stdio: 'inherit' });
  ensure(built.status === 0, 'the CLI bundle builds');
  const withSession = await dataFolder();
  const session = cli(['unlock', '--raw'], {
    ...withSession.env,
    TOKENDECK_PASSPHRASE: PASSPHRASE,
  });
  env.session = { ...withSession.env, TOKENDECK_SESSION: session };
  const withAgent = await dataFolder();
  env.agent = withAgent.env;
  agent = spawn(process.execPath, [CLI, 'agent'], {
    env: { PATH: process.env.PATH, ...withAgent.env, TOKENDECK_PASSPHRASE: PASSPHRASE },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve) =>
    agent!.stderr!.on('data', (chunk: Buffer) => {
      if (String(chunk).includes('is serving')) resolve();
    }),
  );
  runs['node -e 0'] = () => ensure(spawnSync(process.execPath, ['-e', '0']).status === 0, 'node');
  runs['tokendeck --version'] = () => cli(['--version'], {});
  runs['tokendeck token (session)'] = () =>
    ensure(cli(['token', withSession.id], env.session!) === `${KEY}\n`, 'the token');
  runs['tokendeck token (agent)'] = () =>
    ensure(cli(['token', withAgent.id], env.agent!) === `${KEY}\n`, 'the token');
}, 120_000);

afterAll(async () => {
  // Interleaved, so that a busy moment weighs on every command alike.
  const names = Object.keys(runs);
  const times: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < 15; round += 1) {
    for (const name of names) {
      const start = performance.now();
      runs[name]!();
      times[name]!.push(performance.now() - start);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  const base = median(times['node -e 0']!);
  for (const name of names) {
    const ms = median(times[name]!);
    process.stdout.write(
      `startup ratio  ${name.padEnd(28)} ${ms.toFixed(1).padStart(7)} ms  ${(ms / base).toFixed(2)}× node -e 0\n`,
    );
  }
  agent?.kill();
  for (const cleanup of cleanups) await cleanup();
  cleanups = [];
});

const options = { time: 0, iterations: 20, warmupIterations: 2 };

describe('CLI start-up, a new process each time', () => {
  bench('node -e 0', () => runs['node -e 0']!(), options);
  bench('tokendeck --version', () => runs['tokendeck --version']!(), options);
  bench('tokendeck token (session)', () => runs['tokendeck token (session)']!(), options);
  bench('tokendeck token (agent)', () => runs['tokendeck token (agent)']!(), options);
});
