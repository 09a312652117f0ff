import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_BUNDLE_ENV } from './cli-bundle.global';
import { recordSecret } from './secret-registry';

/**
 * Runs the real `tokendeck` command in a child process: the bundle of cli-entry.ts that the
 * integration suite's global setup builds once (cli-bundle.global.ts), or, outside that suite,
 * the source through tsx.
 *
 * `onUrl` receives the authorization URL the CLI prints with `--no-browser`, so a test can hand
 * it to a Chromium "user" exactly as a person would paste it into a browser.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The command's entry under test: main.ts's work with a test-only scrypt cost (cli-entry.ts). */
export const CLI_ENTRY = fileURLToPath(new URL('./cli-entry.ts', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  dataDir: string;
  passphrase?: string;
  stdin?: string;
  env?: NodeJS.ProcessEnv;
  onUrl?: (url: string) => void;
  /** Called with each whole line the command writes to stderr, as it comes. */
  onStderrLine?: (line: string) => void;
  /** A kill switch for tests of cancellation: called with the child once it runs. */
  onSpawn?: (child: ReturnType<typeof spawn>) => void;
}

export const TEST_PASSPHRASE = 'correct horse battery staple';

/** One session per data folder, so that each command does not pay for scrypt again. */
const sessions = new Map<string, string>();
const SESSION_FREE = new Set(['unlock', 'lock', 'agent', 'passphrase']);

/**
 * Runs the command with the test passphrase, through a session once the vault exists: unless
 * the test names the passphrase, or sets TOKENDECK_PASSPHRASE or TOKENDECK_SESSION itself.
 */
export async function tokendeck(args: string[], options: CliOptions): Promise<CliResult> {
  const own =
    options.passphrase !== undefined ||
    (options.env !== undefined &&
      ('TOKENDECK_PASSPHRASE' in options.env || 'TOKENDECK_SESSION' in options.env));
  if (own || SESSION_FREE.has(args[0] ?? '') || !existsSync(join(options.dataDir, 'vault.json'))) {
    return run(args, options);
  }
  let session = sessions.get(options.dataDir);
  if (!session) {
    const unlocked = await run(['unlock', '--raw'], { dataDir: options.dataDir });
    if (unlocked.code !== 0) return run(args, options);
    session = unlocked.stdout;
    recordSecret(session);
    sessions.set(options.dataDir, session);
  }
  return run(args, { ...options, env: { ...options.env, TOKENDECK_SESSION: session } });
}

function run(args: string[], options: CliOptions): Promise<CliResult> {
  recordSecret(options.stdin?.trim());
  recordSecret(options.passphrase ?? TEST_PASSPHRASE);
  const bundle = process.env[CLI_BUNDLE_ENV];
  const entry = bundle ? [bundle] : ['--import', 'tsx', CLI_ENTRY];
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TOKENDECK_DATA_DIR: options.dataDir,
      TOKENDECK_PASSPHRASE: options.passphrase ?? TEST_PASSPHRASE,
      ...options.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  options.onSpawn?.(child);
  let stdout = '';
  let stderr = '';
  let announced = false;
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) options.onStderrLine?.(line);
    const match = /^(https?:\/\/\S+)$/m.exec(stderr);
    if (match && !announced && options.onUrl) {
      announced = true;
      options.onUrl(match[1]!);
    }
  });
  child.stdin.end(options.stdin ?? '');
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      if (args[0] === 'token' && code === 0) recordSecret(stdout.trim());
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs the command and expects success; returns its standard output. */
export async function tokendeckOk(args: string[], options: CliOptions): Promise<string> {
  const result = await tokendeck(args, options);
  if (result.code !== 0) {
    throw new Error(`tokendeck ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  }
  return result.stdout;
}
