import { safeStorage } from 'electron';
import type { Logger } from '../core';
import type { KeychainStatus } from '../core';

/**
 * Whether the OS keychain is there, and whether it really encrypts (SECURITY 23, 24).
 *
 * The app encrypts with safeStorage's async API (`isAsyncEncryptionAvailable`,
 * `encryptStringAsync`, `decryptStringAsync`) where the running Electron has it. On Linux the only
 * name for the key store is `getSelectedStorageBackend()`, which describes the sync API's choice;
 * `basic_text` (a hard-coded password) and `unknown` are refused as not real encryption. Both
 * answers are logged at start, so a report from a real desktop shows what each API said
 * (docs/linux-keychain.md lists what each desktop is expected to report).
 *
 * The check has a time limit: a macOS Keychain prompt, or a Secret Service that never answers,
 * must not keep the app from starting. Past the limit the keychain counts as unavailable for this
 * run, and the user is offered the passphrase, with the reason.
 */

export type { KeychainStatus };

/** The parts of safeStorage the app uses; the async ones are optional at run time. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
  isAsyncEncryptionAvailable?(): Promise<boolean>;
  encryptStringAsync?(plainText: string): Promise<Buffer>;
  decryptStringAsync?(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>;
}

export type AsyncSafeStorage = SafeStorageLike &
  Required<
    Pick<
      SafeStorageLike,
      'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync'
    >
  >;

/** How long the keychain check may take before the app offers the passphrase instead. */
export const KEYCHAIN_CHECK_TIMEOUT_MS = 10_000;

const INSECURE_LINUX_BACKENDS = new Set(['basic_text', 'unknown']);

export const INSECURE_WARNING =
  'Your system has no keyring that Tokendeck can use, so the OS keychain would keep the vault key ' +
  'with a fixed, well-known password: that is not encryption. Set a passphrase instead, or allow ' +
  'the insecure keychain only if this machine is otherwise protected.';
export const UNAVAILABLE_WARNING =
  'The OS keychain is not available on this system. Set a passphrase to protect the vault.';

function timedOutWarning(timeoutMs: number): string {
  return (
    `The OS keychain did not answer within ${Math.round(timeoutMs / 1000)} seconds (a keychain ` +
    'prompt may be waiting, or the keyring service is not running). Use your passphrase for now, ' +
    'or quit and reopen Tokendeck to try the keychain again.'
  );
}

export function hasAsyncApi(storage: SafeStorageLike): storage is AsyncSafeStorage {
  return (
    typeof storage.isAsyncEncryptionAvailable === 'function' &&
    typeof storage.encryptStringAsync === 'function' &&
    typeof storage.decryptStringAsync === 'function'
  );
}

/** The Linux backend name as safeStorage reports it, or null where there is none. */
function linuxBackend(storage: SafeStorageLike): string | null {
  return typeof storage.getSelectedStorageBackend === 'function'
    ? storage.getSelectedStorageBackend()
    : null;
}

function backendName(storage: SafeStorageLike, platform: NodeJS.Platform): string | null {
  switch (platform) {
    case 'darwin':
      return 'macos-keychain';
    case 'win32':
      return 'dpapi';
    default:
      return linuxBackend(storage);
  }
}

/** What safeStorage answered: which API, whether it can encrypt, and the backend's name. */
interface KeychainAnswer {
  api: 'async' | 'sync';
  available: boolean;
  backend: string | null;
  /**
   * Linux, async API: the version tag that starts its ciphertext (Chromium writes `v10` for the
   * hard-coded key and `v11` for a key from the keyring). Logged only, as evidence of which key
   * the async API really uses; see docs/linux-keychain.md.
   */
  ciphertextTag?: string;
}

async function ciphertextTag(storage: AsyncSafeStorage): Promise<string> {
  try {
    const sample = await storage.encryptStringAsync('Tokendeck keychain check');
    return sample
      .subarray(0, 3)
      .toString('latin1')
      .replace(/[^\x20-\x7e]/g, '?');
  } catch {
    return 'failed';
  }
}

async function askKeychain(
  storage: SafeStorageLike,
  platform: NodeJS.Platform,
): Promise<KeychainAnswer> {
  if (!hasAsyncApi(storage)) {
    const available = storage.isEncryptionAvailable();
    return { api: 'sync', available, backend: backendName(storage, platform) };
  }
  const available = await storage.isAsyncEncryptionAvailable();
  const backend = backendName(storage, platform);
  return platform === 'linux' && available
    ? { api: 'async', available, backend, ciphertextTag: await ciphertextTag(storage) }
    : { api: 'async', available, backend };
}

function judge(answer: KeychainAnswer, platform: NodeJS.Platform): KeychainStatus {
  const { available, backend } = answer;
  if (!available) return { available, backend, secure: false, warning: UNAVAILABLE_WARNING };
  const insecure =
    platform === 'linux' && (backend === null || INSECURE_LINUX_BACKENDS.has(backend));
  return insecure
    ? { available, backend, secure: false, warning: INSECURE_WARNING }
    : { available, backend, secure: true };
}

/**
 * Says whether the OS keychain is there and whether it really encrypts.
 *
 * Call only after `app.whenReady()`: before it, Linux reports the `unknown` backend.
 */
export async function keychainStatus(
  storage: SafeStorageLike = safeStorage,
  platform: NodeJS.Platform = process.platform,
): Promise<KeychainStatus> {
  return judge(await askKeychain(storage, platform), platform);
}

export interface CheckKeychainOptions {
  storage?: SafeStorageLike;
  platform?: NodeJS.Platform;
  logger?: Logger;
  /** Default {@link KEYCHAIN_CHECK_TIMEOUT_MS}. */
  timeoutMs?: number;
}

/**
 * {@link keychainStatus} within a time limit, logging what safeStorage answered.
 *
 * Past the limit the status is "unavailable", with a warning that says why; the pending answer
 * is ignored for the rest of this run.
 */
export async function checkKeychain(options: CheckKeychainOptions = {}): Promise<KeychainStatus> {
  const storage = options.storage ?? safeStorage;
  const platform = options.platform ?? process.platform;
  const timeoutMs = options.timeoutMs ?? KEYCHAIN_CHECK_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  try {
    const answer = await Promise.race([askKeychain(storage, platform), timedOut]);
    if (answer === null) {
      options.logger?.warn('os keychain: no answer in time', {
        timeoutMs,
        linuxBackend: platform === 'linux' ? linuxBackend(storage) : undefined,
      });
      return {
        available: false,
        backend: null,
        secure: false,
        warning: timedOutWarning(timeoutMs),
      };
    }
    const status = judge(answer, platform);
    options.logger?.info('os keychain', {
      api: answer.api,
      [answer.api === 'async' ? 'asyncEncryptionAvailable' : 'encryptionAvailable']:
        answer.available,
      backend: answer.backend,
      ...(answer.ciphertextTag ? { ciphertextTag: answer.ciphertextTag } : {}),
      secure: status.secure,
    });
    return status;
  } finally {
    clearTimeout(timer);
  }
}
