import { safeStorage } from 'electron';
import {
  TokendeckError,
  type KeychainPort,
  type KeySlot,
  type TokendeckErrorOptions,
  type WrappedKey,
} from '../core';
import {
  INSECURE_WARNING,
  UNAVAILABLE_WARNING,
  checkKeychain,
  hasAsyncApi,
  type CheckKeychainOptions,
  type KeychainStatus,
  type SafeStorageLike,
} from './keychain-status';

/**
 * The `os-keychain` key slot, over Electron's safeStorage (SECURITY 23, 24).
 *
 * safeStorage is only touched after `app.whenReady()`: {@link createOsKeychain} is called from
 * the ready handler. The async API (`encryptStringAsync`, `decryptStringAsync`) is used where the
 * running Electron has it, else the sync one. A decrypt that reports `shouldReEncrypt` makes
 * {@link KeySlot.shouldRewrap} true for that wrapped key, so the vault wraps the data key again
 * under the rotated OS key.
 *
 * On Linux, the `basic_text` backend (and `unknown`, or no encryption at all) is not real
 * encryption: the slot refuses to wrap unless the user explicitly opted in.
 */

const WRAPPED_VERSION = 1;

export interface KeychainSlotOptions {
  /** The status from {@link keychainStatus}, taken once after ready. */
  status: KeychainStatus;
  /**
   * Wrap even though the backend is not secure (Linux `basic_text`).
   *
   * Warning: the key is then protected by a hard-coded password. Only the user's explicit
   * opt-in, after the warning was shown, may set this (SECURITY 23).
   */
  allowInsecure?: boolean;
  storage?: SafeStorageLike;
}

/** The data key, as hex, encrypted by safeStorage and stored as base64. */
export interface KeychainWrappedKey extends WrappedKey {
  kind: 'os-keychain';
  version: number;
  ciphertext: string;
  backend: string | null;
}

/** A slot error; `details` always names the slot, so the vault can say which one failed. */
function slotError(
  code: 'vault_slot_unavailable' | 'vault_insecure_backend' | 'vault_slot_failed',
  message: string,
  options: TokendeckErrorOptions = {},
): TokendeckError {
  return new TokendeckError(code, message, {
    ...options,
    details: { slot: 'os-keychain', ...options.details },
  });
}

function isKeychainWrapped(wrapped: WrappedKey): wrapped is KeychainWrappedKey {
  return wrapped.kind === 'os-keychain' && typeof wrapped.ciphertext === 'string';
}

/**
 * Creates the `os-keychain` slot.
 *
 * Operations run one after another, as safeStorage's async encryptor is initialised lazily and
 * the keyring may prompt the user.
 */
export function createKeychainSlot(options: KeychainSlotOptions): KeySlot {
  const storage = options.storage ?? safeStorage;
  const { status } = options;
  const needsRewrap = new Set<string>();
  // The status says why (no keychain at all, or no answer in time); the vault shows it verbatim.
  const unavailable = () =>
    slotError('vault_slot_unavailable', status.warning ?? UNAVAILABLE_WARNING);
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    kind: 'os-keychain',

    wrap(dataKey: Buffer): Promise<WrappedKey> {
      return serial(async () => {
        if (!status.available) throw unavailable();
        if (!status.secure && options.allowInsecure !== true) {
          throw slotError('vault_insecure_backend', INSECURE_WARNING, {
            details: { backend: status.backend },
          });
        }
        const plain = dataKey.toString('hex');
        const encrypted = hasAsyncApi(storage)
          ? await storage.encryptStringAsync(plain)
          : storage.encryptString(plain);
        const wrapped: KeychainWrappedKey = {
          kind: 'os-keychain',
          version: WRAPPED_VERSION,
          ciphertext: encrypted.toString('base64'),
          backend: status.backend,
        };
        return wrapped;
      });
    },

    unwrap(wrapped: WrappedKey): Promise<Buffer> {
      return serial(async () => {
        if (!isKeychainWrapped(wrapped)) {
          throw slotError('vault_slot_failed', 'This key slot is not an OS keychain slot.');
        }
        if (!status.available) throw unavailable();
        const encrypted = Buffer.from(wrapped.ciphertext, 'base64');
        let hex: string;
        try {
          if (hasAsyncApi(storage)) {
            const { result, shouldReEncrypt } = await storage.decryptStringAsync(encrypted);
            if (shouldReEncrypt) needsRewrap.add(wrapped.ciphertext);
            hex = result;
          } else {
            hex = storage.decryptString(encrypted);
          }
        } catch (error) {
          throw slotError('vault_slot_failed', 'The OS keychain could not decrypt the vault key.', {
            cause: error,
          });
        }
        if (!/^[0-9a-f]{64}$/.test(hex)) {
          throw slotError('vault_slot_failed', 'The OS keychain returned a wrong key.');
        }
        return Buffer.from(hex, 'hex');
      });
    },

    shouldRewrap(wrapped: WrappedKey): boolean {
      return isKeychainWrapped(wrapped) && needsRewrap.has(wrapped.ciphertext);
    },
  };
}

/**
 * The desktop app's {@link KeychainPort}: the status, taken once within a time limit, and slots
 * over it.
 *
 * Call after `app.whenReady()`.
 */
export async function createOsKeychain(options: CheckKeychainOptions = {}): Promise<KeychainPort> {
  const storage = options.storage ?? safeStorage;
  const status = await checkKeychain({ ...options, storage });
  return {
    status: () => status,
    slot: ({ allowInsecure }) => createKeychainSlot({ status, allowInsecure, storage }),
  };
}
