import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { TokendeckError } from '../../src-main/core/errors';
import type { KeySlot, WrappedKey } from '../../src-main/core/vault';

/**
 * A stand-in for the OS-keychain key slot (safeStorage), for tests.
 *
 * Wraps the data key with AES-256-GCM under a fixed in-memory key derived from `secret`.
 * - `fail`: every unwrap throws `vault_slot_failed`, as when the keychain is locked or gone.
 * - `secret`: a different secret than the one that wrapped simulates "the keychain key changed";
 *   unwrap then throws `vault_slot_failed`.
 * - `rewrap`: `shouldRewrap` says yes for any wrap this slot object did not make itself, like
 *   safeStorage's `shouldReEncrypt` after a key rotation; once re-wrapped, it says no.
 */
export interface FakeKeychainSlotOptions {
  fail?: boolean;
  rewrap?: boolean;
  secret?: Buffer;
}

const DEFAULT_SECRET = Buffer.from('tokendeck-fake-keychain-secret', 'utf8');
const AAD = Buffer.from('fake-os-keychain', 'utf8');

export function createFakeKeychainSlot(options: FakeKeychainSlotOptions = {}): KeySlot {
  const key = createHash('sha256')
    .update(options.secret ?? DEFAULT_SECRET)
    .digest();
  const made = new Set<string>();
  const failed = (cause?: unknown) =>
    new TokendeckError('vault_slot_failed', 'The OS keychain could not decrypt the vault key.', {
      cause,
      details: { kind: 'os-keychain' },
    });

  return {
    kind: 'os-keychain',

    async wrap(dataKey: Buffer): Promise<WrappedKey> {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      cipher.setAAD(AAD);
      const ct = Buffer.concat([cipher.update(dataKey), cipher.final()]).toString('base64');
      made.add(ct);
      return {
        kind: 'os-keychain',
        nonce: nonce.toString('base64'),
        ct,
        tag: cipher.getAuthTag().toString('base64'),
      };
    },

    async unwrap(wrapped: WrappedKey): Promise<Buffer> {
      if (options.fail) throw failed();
      try {
        const decipher = createDecipheriv(
          'aes-256-gcm',
          key,
          Buffer.from(String(wrapped.nonce), 'base64'),
        );
        decipher.setAAD(AAD);
        decipher.setAuthTag(Buffer.from(String(wrapped.tag), 'base64'));
        return Buffer.concat([
          decipher.update(Buffer.from(String(wrapped.ct), 'base64')),
          decipher.final(),
        ]);
      } catch (error) {
        throw failed(error);
      }
    },

    shouldRewrap(wrapped: WrappedKey): boolean {
      return options.rewrap === true && !made.has(String(wrapped.ct));
    },
  };
}
