import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { version } from '../../package.json';
import { TokendeckError, createLogger, createService, type TokendeckService } from '../core';
import { createBrowserOpener, noClipboard, promptHidden, type CliIo } from './node-ports';

/** What the service is opened with for one command. */
export interface OpenOptions {
  /** Print the sign-in URL instead of opening a browser. */
  noBrowser?: boolean;
  /** How long the browser step of a sign-in may take. */
  timeoutMs?: number;
}

/**
 * Opens the service for one command, unlocked by the passphrase slot.
 *
 * The passphrase comes from `TOKENDECK_PASSPHRASE`, or a prompt (asked twice for a new vault).
 * The CLI renews on demand only, so no timers keep the process alive.
 */
export async function openService(
  io: CliIo,
  dataDir: string,
  options: OpenOptions,
): Promise<TokendeckService> {
  const creating = !existsSync(join(dataDir, 'vault.json'));
  let passphrase = io.env.TOKENDECK_PASSPHRASE;
  if (passphrase === undefined) {
    passphrase = await promptHidden(
      io,
      creating ? 'Choose a passphrase for the new vault: ' : 'Vault passphrase: ',
    );
    if (creating && (await promptHidden(io, 'Repeat the passphrase: ')) !== passphrase) {
      throw new TokendeckError('invalid_input', 'The passphrases do not match.');
    }
  }
  if (!passphrase) throw new TokendeckError('invalid_input', 'The passphrase is empty.');
  return createService({
    dataDir,
    passphrase,
    browser: createBrowserOpener(io, { print: Boolean(options.noBrowser) }),
    clipboard: noClipboard,
    schedule: false,
    appVersion: version,
    logger: createLogger({ file: join(dataDir, 'logs', 'cli.log') }),
    ...(options.timeoutMs !== undefined ? { flowTimeoutMs: options.timeoutMs } : {}),
  });
}
