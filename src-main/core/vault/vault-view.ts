import { TokendeckError } from '../errors';
import { registerSecret, type Logger } from '../log';
import { openRecord, sealRecord } from './record-cipher';
import type { JsonValue, VaultReader, VaultTransaction } from './types';
import type { VaultDocument } from './vault-document';

/**
 * Read and write views over one in-memory vault document.
 *
 * A snapshot never changes after it is handed out: values are copied on the way in and out, and
 * a transaction works on its own copy of the document. Secrets are decrypted only when asked for,
 * one record at a time, so one damaged record never stops the others from loading. Every secret
 * that passes through is registered with the logger's scrubber.
 */
const MAX_NAME_LENGTH = 512;

function checkName(what: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NAME_LENGTH) {
    throw new TokendeckError('invalid_input', `The ${what} must be a non-empty string.`, {
      details: { field: what },
    });
  }
}

/**
 * Copies a value the way JSON stores it (undefined object fields dropped, dates as strings).
 *
 * Refuses values JSON cannot hold at all (undefined, functions, BigInt, cycles).
 */
function normalizeJson(value: unknown): JsonValue {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new TokendeckError('invalid_input', 'The value cannot be stored as JSON.', {
      cause: error,
    });
  }
  if (text === undefined) {
    throw new TokendeckError('invalid_input', 'The value cannot be stored as JSON.');
  }
  return JSON.parse(text) as JsonValue;
}

/** A consistent, read-only view of one revision of the vault. */
export class VaultSnapshot implements VaultReader {
  constructor(
    protected readonly doc: VaultDocument,
    protected readonly dataKey: Buffer,
    protected readonly logger: Logger,
  ) {}

  get revision(): number {
    return this.doc.revision;
  }

  get<T extends JsonValue>(collection: string, id: string): T | undefined {
    const value = this.doc.collections.get(collection)?.get(id);
    return value === undefined ? undefined : (structuredClone(value) as T);
  }

  list<T extends JsonValue>(collection: string): Array<[id: string, value: T]> {
    const entries = this.doc.collections.get(collection);
    if (!entries) return [];
    return [...entries].map(([id, value]) => [id, structuredClone(value) as T]);
  }

  getSecret(id: string): string | undefined {
    const sealed = this.doc.secrets.get(id);
    if (sealed === undefined) return undefined;
    const plaintext = openRecord(this.dataKey, this.doc.vaultId, id, sealed);
    if (plaintext === null) {
      this.logger.error('vault: a secret record failed its integrity check', { record: id });
      throw new TokendeckError(
        'vault_record_tampered',
        `The secret record "${id}" failed its integrity check. It has been kept as it is.`,
        { details: { record: id } },
      );
    }
    registerSecret(plaintext);
    return plaintext;
  }

  hasSecret(id: string): boolean {
    return this.doc.secrets.has(id);
  }
}

/** A read-modify-write view; the vault persists it only if {@link dirty} is set. */
export class VaultTx extends VaultSnapshot implements VaultTransaction {
  private changed = false;
  private closed = false;

  /** True when something was changed. */
  get dirty(): boolean {
    return this.changed;
  }

  /** Marks a change made directly to the document (key slots). */
  markDirty(): void {
    this.changed = true;
  }

  /** Ends the transaction; later writes through it throw. */
  close(): void {
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new TokendeckError('invalid_input', 'This vault transaction has already ended.');
    }
  }

  put(collection: string, id: string, value: JsonValue): void {
    this.assertOpen();
    checkName('collection', collection);
    checkName('id', id);
    const normalized = normalizeJson(value);
    let entries = this.doc.collections.get(collection);
    if (!entries) {
      entries = new Map();
      this.doc.collections.set(collection, entries);
    }
    const previous = entries.get(id);
    if (previous !== undefined && JSON.stringify(previous) === JSON.stringify(normalized)) return;
    entries.set(id, normalized);
    this.changed = true;
  }

  delete(collection: string, id: string): void {
    this.assertOpen();
    const entries = this.doc.collections.get(collection);
    if (!entries?.delete(id)) return;
    if (entries.size === 0) this.doc.collections.delete(collection);
    this.changed = true;
  }

  putSecret(id: string, plaintext: string): void {
    this.assertOpen();
    checkName('record id', id);
    if (typeof plaintext !== 'string') {
      throw new TokendeckError('invalid_input', 'A secret must be a string.', {
        details: { record: id },
      });
    }
    registerSecret(plaintext);
    const existing = this.doc.secrets.get(id);
    if (
      existing !== undefined &&
      openRecord(this.dataKey, this.doc.vaultId, id, existing) === plaintext
    ) {
      return;
    }
    this.doc.secrets.set(id, sealRecord(this.dataKey, this.doc.vaultId, id, plaintext));
    this.changed = true;
  }

  deleteSecret(id: string): void {
    this.assertOpen();
    if (this.doc.secrets.delete(id)) this.changed = true;
  }
}
