import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { JsonValue } from './types';

/**
 * AES-256-GCM sealing of secret records, bound to their vault and record id.
 *
 * Every seal draws a fresh 96-bit nonce. The associated data names the vault id and the record
 * id, so a ciphertext copied to another record, or into another vault, fails its tag check.
 */
export const DATA_KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** The stored form of one sealed record: base64 nonce, ciphertext and GCM tag. */
export interface SealedRecord {
  nonce: string;
  ct: string;
  tag: string;
  [field: string]: JsonValue;
}

/** A fresh random data key. */
export function generateDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES);
}

/** A fresh random vault id, base64url. */
export function generateVaultId(): string {
  return randomBytes(16).toString('base64url');
}

function recordAad(vaultId: string, recordId: string): Buffer {
  return Buffer.from(`tokendeck-record\u0000${vaultId}\u0000${recordId}`, 'utf8');
}

/** Seals one plaintext under the data key, for the given vault and record id. */
export function sealRecord(
  dataKey: Buffer,
  vaultId: string,
  recordId: string,
  plaintext: string,
): SealedRecord {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', dataKey, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(recordAad(vaultId, recordId));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    nonce: nonce.toString('base64'),
    ct: ct.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/**
 * Opens one sealed record.
 *
 * Returns null when the record is malformed or its tag does not verify (tampered, moved to
 * another id, or sealed under another key); the caller turns that into a typed error.
 */
export function openRecord(
  dataKey: Buffer,
  vaultId: string,
  recordId: string,
  sealed: unknown,
): string | null {
  if (!sealed || typeof sealed !== 'object') return null;
  const { nonce, ct, tag } = sealed as Record<string, unknown>;
  if (typeof nonce !== 'string' || typeof ct !== 'string' || typeof tag !== 'string') return null;
  const nonceBytes = Buffer.from(nonce, 'base64');
  const tagBytes = Buffer.from(tag, 'base64');
  if (nonceBytes.length !== NONCE_BYTES || tagBytes.length !== TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, nonceBytes, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(recordAad(vaultId, recordId));
    decipher.setAuthTag(tagBytes);
    const plain = Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]);
    return plain.toString('utf8');
  } catch (error) {
    if (error instanceof Error) return null;
    throw error;
  }
}

/**
 * A check value that proves an unwrapped data key is this vault's key, without revealing it.
 *
 * HMAC-SHA-256 over the vault id, truncated to 128 bits. A slot that hands back a wrong key
 * (a keychain that changed under us) is caught here instead of failing every record. From format
 * 2 on it names the format too, so a file passed off as an older format fails the check.
 */
export function keyCheckValue(dataKey: Buffer, vaultId: string, version: number): string {
  const label = version >= 2 ? `tokendeck-key-check\u0000v${version}` : 'tokendeck-key-check';
  return createHmac('sha256', dataKey)
    .update(`${label}\u0000${vaultId}`, 'utf8')
    .digest()
    .subarray(0, 16)
    .toString('base64');
}
