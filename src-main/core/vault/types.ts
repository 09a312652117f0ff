/**
 * The vault's public interface.
 *
 * The vault is a generic, envelope-encrypted document store. It knows nothing of providers or
 * accounts: callers keep readable metadata in named collections and secrets in sealed records.
 */

import type { JsonValue } from '../model';

/** JSON values the vault can keep as readable metadata. */
export type { JsonValue };

export const SLOT_KINDS = ['os-keychain', 'passphrase'] as const;
export type SlotKind = (typeof SLOT_KINDS)[number];

/** What can wrap the data key: a stored slot, or a CLI session's key (never stored in the vault). */
export type KeyKind = SlotKind | 'session';

/** The stored form of the data key wrapped by one slot. Opaque to everything but that slot. */
export interface WrappedKey {
  kind: KeyKind;
  /** Slot-specific parameters: scrypt salt and cost, ciphertext, nonce, tag, … */
  [field: string]: JsonValue;
}

/**
 * A key slot wraps and unwraps the vault's random data key.
 *
 * `os-keychain` is implemented in `src-main/electron/` with safeStorage; `passphrase` with scrypt
 * in the core.
 */
export interface KeySlot {
  readonly kind: KeyKind;
  /** Wraps the 32-byte data key. */
  wrap(dataKey: Buffer): Promise<WrappedKey>;
  /**
   * Unwraps the data key.
   *
   * Throws `TokendeckError` with `vault_wrong_passphrase` or `vault_slot_failed`; never returns a
   * wrong key silently.
   */
  unwrap(wrapped: WrappedKey): Promise<Buffer>;
  /** True when the slot wants the data key wrapped again (safeStorage `shouldReEncrypt`). */
  shouldRewrap?(wrapped: WrappedKey): boolean;
}

/** Read access to one consistent version of the vault. */
export interface VaultReader {
  /** Monotonic revision of the file this view was read from. */
  readonly revision: number;
  get<T extends JsonValue>(collection: string, id: string): T | undefined;
  list<T extends JsonValue>(collection: string): Array<[id: string, value: T]>;
  /**
   * Decrypts one secret record.
   *
   * Returns undefined when absent; throws `vault_record_tampered` when its GCM tag fails, without
   * touching any other record.
   */
  getSecret(id: string): string | undefined;
  hasSecret(id: string): boolean;
}

/** A read-modify-write under the cross-process lock, on the freshly re-read file. */
export interface VaultTransaction extends VaultReader {
  put(collection: string, id: string, value: JsonValue): void;
  delete(collection: string, id: string): void;
  putSecret(id: string, plaintext: string): void;
  deleteSecret(id: string): void;
}

export interface VaultSlotInfo {
  kind: SlotKind;
  createdAt: number;
}

/** What can be said about a data folder's vault without unlocking it. */
export interface VaultProbe {
  path: string;
  exists: boolean;
  /** The file exists but cannot be parsed; it is kept untouched. */
  corrupt: boolean;
  /** What is wrong with a corrupt file, in plain words: "is empty", "cannot be read: …". */
  problem?: string;
  version: number | null;
  slots: VaultSlotInfo[];
}
