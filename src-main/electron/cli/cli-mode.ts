import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { app } from 'electron';
import { runCli, watchOutput } from '../../cli';
import { createLogger, defaultDataDir } from '../../core';
import { prepareDataFolder } from '../data-folder';
import { createOsKeychain } from '../keychain-slot';

/**
 * The installed app's headless CLI mode: the `tokendeck` launcher runs the app's own binary with
 * {@link CLI_FLAG}, and main runs the same CLI code as `bin/tokendeck.js`, before any window
 * exists.
 *
 * No window, no dock icon, no single-instance lock (the app may be open meanwhile), and no
 * RunAsNode: the fuse stays off. The launchers put `--` before the user's arguments, so Chromium
 * reads none of them as its own switches, and Electron's check against arguments after a URL
 * (`tokendeck request … https://…`) does not refuse to start.
 *
 * The vault opens with the OS keychain slot through safeStorage when it has one, so a desktop
 * user needs no passphrase; otherwise (SSH, CI, a passphrase-only vault) the passphrase slot
 * works as in the plain CLI.
 */

/** The switch the launchers pass first. */
export const CLI_FLAG = '--tokendeck-cli';

/**
 * The CLI's arguments when this process was started in CLI mode, else null.
 *
 * CLI mode is {@link CLI_FLAG} anywhere before the first `--` (a launcher or the AppImage runtime
 * may add Chromium switches around it); the arguments are everything after that `--`.
 */
export function cliArguments(argv: readonly string[]): string[] | null {
  const end = argv.indexOf('--');
  const switches = end === -1 ? argv.slice(1) : argv.slice(1, end);
  if (!switches.includes(CLI_FLAG)) return null;
  return end === -1 ? argv.slice(argv.indexOf(CLI_FLAG) + 1) : argv.slice(end + 1);
}

/**
 * The data folder a command line will use: `--data-dir DIR` or `--data-dir=DIR`, else
 * `TOKENDECK_DATA_DIR`, else the app's own. Chromium's `userData` must point there before
 * `ready`: on Windows its `Local State` file holds the key that the keychain slot uses.
 */
export function cliDataDir(args: readonly string[], env: NodeJS.ProcessEnv): string {
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    if (arg === '--data-dir' && index + 1 < args.length) return args[index + 1]!;
    if (arg.startsWith('--data-dir=')) return arg.slice('--data-dir='.length);
  }
  return defaultDataDir(env);
}

/** Waits until everything written to a stream has been handed to the OS. */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/** Runs one command line and exits with its code; never opens a window. */
export async function runCliMode(args: string[]): Promise<void> {
  const dataDir = cliDataDir(args, process.env);
  prepareDataFolder(dataDir);
  app.setPath('userData', dataDir);
  // The app's own Chromium session folder may be in use by the running app.
  const session = mkdtempSync(join(tmpdir(), 'tokendeck-cli-'));
  app.setPath('sessionData', session);
  app.disableHardwareAcceleration();
  app.dock?.hide();

  const output = watchOutput(process.stdout, process.stderr);
  let code = 1;
  try {
    code = await runCli(
      args,
      { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env },
      {
        keychain: async () => {
          await app.whenReady();
          return createOsKeychain({
            logger: createLogger({ file: join(dataDir, 'logs', 'cli.log') }),
          });
        },
      },
    );
  } catch (error) {
    process.stderr.write(`tokendeck: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  await Promise.all([drained(process.stdout), drained(process.stderr), app.whenReady()]);
  code = output.exitCode(code);
  try {
    rmSync(session, { recursive: true, force: true, maxRetries: 2 });
  } catch {
    // Windows may still hold a Chromium file open; a leftover temp folder is harmless.
  }
  app.exit(code);
}
