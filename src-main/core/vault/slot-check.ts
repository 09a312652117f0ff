import { timingSafeEqual } from 'node:crypto';
import { TokendeckError } from '../errors';
import type { Logger } from '../log';
import { DATA_KEY_BYTES, keyCheckValue } from './record-cipher';
import type { KeySlot, WrappedKey } from './types';
import { CURRENT_VERSION, type VaultDocument } from './vault-document';

/**
 * The checks around a key slot: a wrap is proved by opening it again, and an unwrapped key is
 * proved to be this vault's by the stored key check, so a slot can never hand back a wrong key
 * silently.
 */

/** Wraps the data key with `slot` and proves the wrap opens again to the same key. */
export async function wrapChecked(slot: KeySlot, dataKey: Buffer): Promise<WrappedKey> {
  let wrapped: WrappedKey;
  let back: Buffer;
  try {
    wrapped = await slot.wrap(dataKey);
    back = await slot.unwrap(wrapped);
  } catch (error) {
    if (error instanceof TokendeckError) throw error;
    throw new TokendeckError('vault_slot_failed', `The ${slot.kind} key slot failed to wrap.`, {
      cause: error,
      details: { kind: slot.kind },
    });
  }
  if (wrapped?.kind !== slot.kind || !Buffer.isBuffer(back) || !sameKey(back, dataKey)) {
    throw new TokendeckError('vault_slot_failed', `The ${slot.kind} key slot failed to wrap.`, {
      details: { kind: slot.kind },
    });
  }
  return wrapped;
}

/**
 * Unwraps the data key and proves it is this vault's key (the stored key check, for the format
 * version the file was written in).
 */
export async function unwrapChecked(
  slot: KeySlot,
  wrapped: WrappedKey,
  doc: VaultDocument,
  path: string,
  logger: Logger,
  fileVersion: number = doc.version,
): Promise<Buffer> {
  let key: Buffer;
  try {
    key = await slot.unwrap(wrapped);
  } catch (error) {
    const code = error instanceof TokendeckError ? error.code : 'vault_slot_failed';
    logger.warn('vault: unlock failed', { path, kind: slot.kind, code });
    if (error instanceof TokendeckError) throw error;
    throw new TokendeckError(
      'vault_slot_failed',
      `The ${slot.kind} key slot could not unlock the vault. The vault has been kept as it is.`,
      { cause: error, details: { path, kind: slot.kind } },
    );
  }
  const check = Buffer.from(doc.keyCheck, 'base64');
  const checks = (version: number) =>
    sameKey(Buffer.from(keyCheckValue(key, doc.vaultId, version), 'base64'), check);
  const valid = Buffer.isBuffer(key) && key.length === DATA_KEY_BYTES && checks(fileVersion);
  if (!valid && Buffer.isBuffer(key) && key.length === DATA_KEY_BYTES && checks(CURRENT_VERSION)) {
    // The right key, but the file claims an older format than it was written in (SECURITY 49).
    throw new TokendeckError(
      'vault_tampered',
      `The vault file ${path} was changed outside Tokendeck (its format version was lowered). Nothing was sent anywhere. Undo the edit or restore a backup of the file.`,
      { details: { path, changed: 'its format version was lowered' } },
    );
  }
  if (!valid) {
    logger.warn('vault: unlock failed', { path, kind: slot.kind, code: 'vault_slot_failed' });
    throw new TokendeckError(
      'vault_slot_failed',
      `The ${slot.kind} key slot gave a key that does not open this vault. ` +
        'The vault has been kept as it is.',
      { details: { path, kind: slot.kind } },
    );
  }
  return key;
}

function sameKey(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
