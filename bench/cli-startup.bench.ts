import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { makeTempRoot } from '../test/helpers/vault-fixtures';
import { ensure } from './bench-fixtures';
import { interleave, median, ratioResult, recordResult, reportResult } from './results';

/**
 * The CLI's start-up: a cold `tokendeck token` with a session and through the agent, and
 * `tokendeck --version`, side by side with a bare `node -e 0` in the same run.
 *
 * Runs the bundled entry (`out/cli/tokendeck.js`, built here first) as a new process each time,
 * as a shell does. The goals: with a session or the agent, `token` takes at most 1.5× `node -e 0`;
 * with the passphrase, at most 1.2× `node -e 0` plus one scrypt at the vault's cost. The ratios
 * of interleaved medians go to `bench/results.json`.
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

/** A data folder with one API-key account; returns its env, the account id and its folder. */
async function dataFolder(): Promise<{ env: NodeJS.ProcessEnv; id: string; root: string }> {
  const { root, cleanup } = await makeTempRoot('tokendeck-bench-cli-');
  cleanups.push(cleanup);
  const base = { TOKENDECK_DATA_DIR: root, TOKENDECK_PASSPHRASE: PASSPHRASE };
  cli(['provider', 'add', 'k', '--grant', 'api_key'], base);
  const id = JSON.parse(cli(['connect', 'k', '--api-key-stdin', '--json'], base, KEY)).id as string;
  return { env: { TOKENDECK_DATA_DIR: root }, id, root };
}

/** A process that starts Node and derives one key with the passphrase slot's stored cost. */
function scryptScript(root: string): string {
  const vault = JSON.parse(readFileSync(join(root, 'vault.json'), 'utf8')) as {
    slots: Array<{ kind: string; wrapped: { N: number; r: number; p: number } }>;
  };
  const { N, r, p } = vault.slots.find((slot) => slot.kind === 'passphrase')!.wrapped;
  const maxmem = 256 * N * r;
  return `require('node:crypto').scryptSync('x', 'salt', 32, { N: ${N}, r: ${r}, p: ${p}, maxmem: ${maxmem} })`;
}

const runs: Record<string, () => void> = {};
/** The passphrase runs, a few seconds each at the default scrypt cost: fewer rounds. */
const slowRuns: Record<string, () => void> = {};

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
  const scrypt = scryptScript(withSession.root);
  runs['node -e 0'] = () => ensure(spawnSync(process.execPath, ['-e', '0']).status === 0, 'node');
  slowRuns['node -e 0 + scrypt'] = () =>
    ensure(spawnSync(process.execPath, ['-e', scrypt]).status === 0, 'node with scrypt');
  slowRuns['tokendeck token (passphrase)'] = () =>
    ensure(
      cli(['token', withSession.id], { ...withSession.env, TOKENDECK_PASSPHRASE: PASSPHRASE }) ===
        `${KEY}\n`,
      'the token',
    );
  runs['tokendeck --version'] = () => cli(['--version'], {});
  runs['tokendeck token (session)'] = () =>
    ensure(cli(['token', withSession.id], env.session!) === `${KEY}\n`, 'the token');
  runs['tokendeck token (agent)'] = () =>
    ensure(cli(['token', withAgent.id], env.agent!) === `${KEY}\n`, 'the token');
}, 120_000);

afterAll(async () => {
  // Interleaved, so that a busy moment weighs on every command alike.
  const times = { ...(await interleave(15, runs)), ...(await interleave(5, slowRuns)) };
  const node = { name: 'node -e 0', value: median(times['node -e 0']!) };
  recordResult(
    ratioResult(
      'tokendeck token, cold, passphrase',
      median(times['tokendeck token (passphrase)']!),
      'ms',
      {
        name: 'node -e 0 + one scrypt at the vault cost',
        value: median(times['node -e 0 + scrypt']!),
      },
      1.2,
    ),
    ratioResult(
      'tokendeck token, cold, session',
      median(times['tokendeck token (session)']!),
      'ms',
      node,
      1.5,
    ),
    ratioResult(
      'tokendeck token, cold, agent',
      median(times['tokendeck token (agent)']!),
      'ms',
      node,
      1.5,
    ),
    reportResult('tokendeck --version', median(times['tokendeck --version']!), 'ms', node),
  );
  agent?.kill();
  for (const cleanup of cleanups) await cleanup();
  cleanups = [];
  // About 100 process starts, a few of them with seconds of scrypt: slow on a busy machine.
}, 600_000);

const options = { time: 0, iterations: 5, warmupIterations: 1 };

describe('CLI start-up, a new process each time', () => {
  bench('node -e 0', () => runs['node -e 0']!(), options);
  bench('tokendeck --version', () => runs['tokendeck --version']!(), options);
  bench('tokendeck token (session)', () => runs['tokendeck token (session)']!(), options);
  bench('tokendeck token (agent)', () => runs['tokendeck token (agent)']!(), options);
});
