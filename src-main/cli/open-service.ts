import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { version } from '../../package.json';
import {
  TokendeckError,
  createLogger,
  createService,
  ensureDataDir,
  sessionOpener,
  type KeychainPort,
  type ServiceOptions,
  type TokendeckService,
} from '../core';
import { openWithKeychain } from './keychain-unlock';
import { createBrowserOpener, noClipboard, promptHidden, type CliIo } from './node-ports';

const noPassphrase = () =>
  new TokendeckError(
    'vault_locked',
    'No passphrase: set TOKENDECK_PASSPHRASE, or run in a terminal to be asked.',
  );

/** What the program that runs the CLI adds: the installed app's headless mode has a keychain. */
export interface CliHost {
  /** The OS keychain; asked only when a command opens an existing vault. */
  keychain?: () => Promise<KeychainPort>;
  /**
   * Service settings for programs that run the CLI under test (the soak, test/helpers): a lower
   * scrypt cost for new passphrase slots, a shorter token request timeout, a transport that tags
   * each request (the soak). Never from the command line.
   */
  service?: Pick<ServiceOptions, 'scryptN' | 'requestTimeoutMs' | 'transport'>;
}

/** What the service is opened with for one command. */
export interface OpenOptions {
  /** Print the sign-in URL instead of opening a browser. */
  noBrowser?: boolean;
  /** How long the browser step of a sign-in may take. */
  timeoutMs?: number;
  /** Ignore TOKENDECK_SESSION: `unlock` asks for the passphrase itself. */
  noSession?: boolean;
}

/**
 * Opens the service for one command: by a session (`TOKENDECK_SESSION`), through the OS keychain
 * in the installed app's CLI mode, or by the passphrase slot.
 *
 * The passphrase comes from `TOKENDECK_PASSPHRASE`, or a prompt (asked twice for a new vault).
 * The CLI renews on demand only, so no timers keep the process alive.
 */
export async function openService(
  io: CliIo,
  dataDir: string,
  options: OpenOptions,
  host: CliHost = {},
): Promise<TokendeckService> {
  // Before anything writes there, the log included: a bad folder is named, never hung on.
  ensureDataDir(dataDir);
  const creating = !existsSync(join(dataDir, 'vault.json'));
  const serviceOptions = {
    dataDir,
    browser: createBrowserOpener(io, { print: Boolean(options.noBrowser) }),
    clipboard: noClipboard,
    schedule: false,
    appVersion: version,
    logger: createLogger({ file: join(dataDir, 'logs', 'cli.log') }),
    ...(options.timeoutMs !== undefined ? { flowTimeoutMs: options.timeoutMs } : {}),
    ...host.service,
  };
  const session = io.env.TOKENDECK_SESSION;
  if (session && !options.noSession && !creating) {
    return createService({ ...serviceOptions, opener: sessionOpener(session) });
  }
  // An explicit passphrase wins: a script that sets it must never wait on a keychain prompt.
  if (host.keychain && !creating && io.env.TOKENDECK_PASSPHRASE === undefined) {
    const opened = await openWithKeychain(serviceOptions, await host.keychain(), io);
    if (opened) return opened;
  }
  let passphrase = io.env.TOKENDECK_PASSPHRASE;
  if (passphrase === undefined) {
    passphrase = await promptHidden(
      io,
      creating ? 'Choose a passphrase for the new vault: ' : 'Vault passphrase: ',
      noPassphrase(),
    );
    if (
      creating &&
      (await promptHidden(io, 'Repeat the passphrase: ', noPassphrase())) !== passphrase
    ) {
      throw new TokendeckError('invalid_input', 'The passphrases do not match.');
    }
  }
  if (!passphrase) throw new TokendeckError('vault_locked', 'The passphrase is empty.');
  const service = await createService({ ...serviceOptions, passphrase });
  if ((await service.getVaultStatus()).passphraseTooShort) {
    io.stderr.write(
      'note: your passphrase is shorter than 8 characters; choose a longer one: tokendeck passphrase\n',
    );
  }
  return service;
}
