import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { TokendeckError } from '../errors';
import type { KeySlot, WrappedKey } from './types';

/**
 * The passphrase key slot: scrypt (Node's crypto) derives a key that wraps the data key.
 *
 * The wrapped form keeps the salt and the scrypt cost (N, r, p), so the cost can rise later
 * without breaking old vaults: `shouldRewrap` asks for a re-wrap when the stored cost is lower
 * than this slot's. The derived key wraps the data key with AES-256-GCM; a tag failure means
 * the passphrase is wrong. Passphrases are Unicode-normalized (NFC) so that the same
 * passphrase typed on two systems derives the same key.
 */
export interface PassphraseSlotOptions {
  /** scrypt CPU/memory cost, a power of two. Default 2^17 (OWASP). Tests may pass a lower one. */
  N?: number;
  r?: number;
  p?: number;
}

/** OWASP's scrypt setting: N=2^17, r=8, p=1. */
const DEFAULT_N = 2 ** 17;
const DEFAULT_R = 8;
const DEFAULT_P = 1;
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;
const SALT_BYTES = 16;
const AAD = Buffer.from('tokendeck-slot\u0000passphrase\u0000v1', 'utf8');

/** The fewest characters a new passphrase may have; a shorter old one still unlocks. */
export const MIN_PASSPHRASE_LENGTH = 8;

/** True when `passphrase` has fewer than {@link MIN_PASSPHRASE_LENGTH} characters (code points). */
export function isShortPassphrase(passphrase: string): boolean {
  return [...passphrase.normalize('NFC')].length < MIN_PASSPHRASE_LENGTH;
}

/** Refuses a new passphrase shorter than {@link MIN_PASSPHRASE_LENGTH}, with `invalid_input`. */
export function assertNewPassphrase(passphrase: string): void {
  if (isShortPassphrase(passphrase)) {
    throw new TokendeckError(
      'invalid_input',
      `A passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters.`,
    );
  }
}

interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

function isPowerOfTwo(value: number): boolean {
  return Number.isInteger(value) && value >= 2 && (value & (value - 1)) === 0;
}

function validCost(cost: ScryptCost): boolean {
  return (
    isPowerOfTwo(cost.N) &&
    cost.N <= MAX_N &&
    Number.isInteger(cost.r) &&
    cost.r >= 1 &&
    cost.r <= MAX_R &&
    Number.isInteger(cost.p) &&
    cost.p >= 1 &&
    cost.p <= MAX_P
  );
}

function deriveKey(passphrase: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const maxmem = 128 * cost.N * cost.r * cost.p + 128 * cost.N * cost.r + 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(passphrase, salt, 32, { ...cost, maxmem }, (error, key) => {
      if (error) {
        reject(
          new TokendeckError('vault_slot_failed', 'The passphrase key could not be derived.', {
            cause: error,
            details: { kind: 'passphrase' },
          }),
        );
      } else {
        resolve(key);
      }
    });
  });
}

/** Reads a base64 field of a wrapped key, or fails the slot. */
function bytesField(wrapped: WrappedKey, field: string): Buffer {
  const value = wrapped[field];
  if (typeof value !== 'string') {
    throw new TokendeckError('vault_slot_failed', 'The passphrase slot is damaged.', {
      details: { kind: 'passphrase', field },
    });
  }
  return Buffer.from(value, 'base64');
}

/**
 * Creates a passphrase key slot.
 *
 * An empty passphrase, or one holding U+FFFD (the trace of lossily decoded bytes), is refused
 * with `invalid_input`. A wrong passphrase makes `unwrap` throw
 * `vault_wrong_passphrase`; a damaged slot entry makes it throw `vault_slot_failed`.
 */
export function createPassphraseSlot(
  passphrase: string,
  options: PassphraseSlotOptions = {},
): KeySlot {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new TokendeckError('invalid_input', 'The passphrase must not be empty.');
  }
  if (passphrase.includes('\uFFFD')) {
    // Lossy decoding makes different byte strings the same text, so it could open the vault.
    throw new TokendeckError(
      'invalid_input',
      'The passphrase holds U+FFFD, the mark of bytes that were not valid UTF-8 (check the encoding of TOKENDECK_PASSPHRASE); it is refused.',
    );
  }
  const cost: ScryptCost = {
    N: options.N ?? DEFAULT_N,
    r: options.r ?? DEFAULT_R,
    p: options.p ?? DEFAULT_P,
  };
  if (!validCost(cost)) {
    throw new TokendeckError('invalid_input', 'The scrypt cost parameters are out of range.', {
      details: { N: cost.N, r: cost.r, p: cost.p },
    });
  }
  const secret = passphrase.normalize('NFC');

  return {
    kind: 'passphrase',

    async wrap(dataKey: Buffer): Promise<WrappedKey> {
      const salt = randomBytes(SALT_BYTES);
      const key = await deriveKey(secret, salt, cost);
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 });
      cipher.setAAD(AAD);
      const ct = Buffer.concat([cipher.update(dataKey), cipher.final()]);
      return {
        kind: 'passphrase',
        kdf: 'scrypt',
        N: cost.N,
        r: cost.r,
        p: cost.p,
        salt: salt.toString('base64'),
        nonce: nonce.toString('base64'),
        ct: ct.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
      };
    },

    async unwrap(wrapped: WrappedKey): Promise<Buffer> {
      const stored = { N: wrapped.N, r: wrapped.r, p: wrapped.p } as ScryptCost;
      if (wrapped.kind !== 'passphrase' || wrapped.kdf !== 'scrypt' || !validCost(stored)) {
        throw new TokendeckError('vault_slot_failed', 'The passphrase slot is damaged.', {
          details: { kind: 'passphrase' },
        });
      }
      const salt = bytesField(wrapped, 'salt');
      const nonce = bytesField(wrapped, 'nonce');
      const tag = bytesField(wrapped, 'tag');
      const ct = bytesField(wrapped, 'ct');
      if (salt.length < SALT_BYTES || nonce.length !== 12 || tag.length !== 16) {
        throw new TokendeckError('vault_slot_failed', 'The passphrase slot is damaged.', {
          details: { kind: 'passphrase' },
        });
      }
      const key = await deriveKey(secret, salt, stored);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 });
        decipher.setAAD(AAD);
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(ct), decipher.final()]);
      } catch (error) {
        throw new TokendeckError('vault_wrong_passphrase', 'The passphrase is wrong.', {
          cause: error,
          details: { kind: 'passphrase' },
        });
      }
    },

    shouldRewrap(wrapped: WrappedKey): boolean {
      const stored = { N: wrapped.N, r: wrapped.r, p: wrapped.p } as ScryptCost;
      if (!validCost(stored)) return true;
      return stored.N < cost.N || stored.r < cost.r || stored.p < cost.p;
    },
  };
}
