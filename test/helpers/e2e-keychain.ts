import type { KeychainPort, KeychainStatus } from '../../src-main/core/ports';
import { createFakeKeychainSlot } from './fake-key-slot';

/**
 * The OS keychain of a Linux desktop without a keyring, for the end-to-end harness: safeStorage
 * would fall back to `basic_text`, which is not encryption.
 *
 * Like the real adapter, it refuses to hand out a slot without the user's opt-in, so a test
 * fails loudly if the service ever uses it silently (SECURITY 23).
 */

/** The warning the Electron adapter gives for basic_text, word for word. */
export const BASIC_TEXT_WARNING =
  'Your system has no keyring that Tokendeck can use, so the OS keychain would keep the vault key ' +
  'with a fixed, well-known password: that is not encryption. Set a passphrase instead, or allow ' +
  'the insecure keychain only if this machine is otherwise protected.';

export const BASIC_TEXT_STATUS: KeychainStatus = {
  available: true,
  secure: false,
  backend: 'basic_text',
  warning: BASIC_TEXT_WARNING,
};

export function createBasicTextKeychain(): KeychainPort {
  return {
    status: () => BASIC_TEXT_STATUS,
    slot: ({ allowInsecure }) => {
      if (!allowInsecure) {
        throw new Error('The basic_text keychain was used without the user opting in.');
      }
      return createFakeKeychainSlot({ secret: Buffer.from('e2e-basic-text-keychain') });
    },
  };
}

/** A working OS keychain whose key is `secret`; a different secret is "the key changed". */
export function createSecureKeychain(secret: string): KeychainPort {
  return {
    status: () => ({ available: true, secure: true, backend: 'gnome_libsecret' }),
    slot: () => createFakeKeychainSlot({ secret: Buffer.from(secret) }),
  };
}
