import { createHmac, timingSafeEqual } from 'node:crypto';
import { TokendeckError } from '../errors';
import type { JsonValue } from './types';
import type { VaultDocument } from './vault-document';

/**
 * The vault's readable metadata, authenticated under the data key (SECURITY 49).
 *
 * Providers, endpoints and accounts are readable JSON so that a vault can be listed before it is
 * unlocked and looked at by hand. A hand edit must not redirect secrets, though: a token URL
 * changed in `vault.json` would receive the client secret and refresh tokens at the next renewal.
 * So every write stores an HMAC-SHA-256 (under a key derived from the data key) of each readable
 * entry, and one over all of them, the sealed records' ids and any other top-level field. Every
 * read of a file this process did not write checks them; a mismatch stops the vault before
 * anything is sent, naming what changed.
 */
export interface MetadataSeal {
  v: 1;
  /** One MAC per readable entry, by `<collection>/<id>`. */
  entries: Record<string, string>;
  /** The MAC over the entries' MACs, the sealed records' ids and the other fields. */
  all: string;
}

const MAC_BYTES = 16;

/** The seal of a document's readable metadata. */
export function sealMetadata(dataKey: Buffer, doc: VaultDocument): MetadataSeal {
  const key = macKey(dataKey);
  const entries: Record<string, string> = {};
  for (const collection of [...doc.collections.keys()].sort()) {
    const items = doc.collections.get(collection)!;
    for (const id of [...items.keys()].sort()) {
      const name = `${collection}/${id}`;
      entries[name] = mac(key, `entry\0${doc.vaultId}\0${name}`, canonical(items.get(id)!));
    }
  }
  const rest = {
    entries,
    secrets: [...doc.secrets.keys()].sort(),
    extra: Object.fromEntries(doc.extra),
  };
  const all = mac(key, `all\0${doc.vaultId}\0${doc.version}`, canonical(rest as JsonValue));
  return { v: 1, entries, all };
}

/**
 * Checks a document's metadata against its seal; `vault_tampered`, naming what changed, when
 * they differ or the seal is missing.
 */
export function checkMetadata(dataKey: Buffer, doc: VaultDocument, path: string): void {
  const expected = sealMetadata(dataKey, doc);
  const stored = doc.integrity;
  if (stored && sameMac(stored.all, expected.all)) return;
  const changes = stored
    ? describeChanges(stored.entries, expected.entries)
    : ['its integrity record is missing'];
  throw new TokendeckError(
    'vault_tampered',
    `The vault file ${path} was changed outside Tokendeck (${changes.slice(0, 4).join('; ')}${
      changes.length > 4 ? `; ${changes.length - 4} more` : ''
    }). Nothing was sent anywhere. Undo the edit or restore a backup of the file.`,
    { details: { path, changed: changes.join('; ') } },
  );
}

/** A stored seal read from a file, or undefined when it is not one. */
export function readSeal(value: unknown): MetadataSeal | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { v, entries, all } = value as Record<string, unknown>;
  if (v !== 1 || typeof all !== 'string' || !entries || typeof entries !== 'object') {
    return undefined;
  }
  const clean: Record<string, string> = {};
  for (const [name, entryMac] of Object.entries(entries)) {
    if (typeof entryMac === 'string') clean[name] = entryMac;
  }
  return { v: 1, entries: clean, all };
}

function describeChanges(stored: Record<string, string>, actual: Record<string, string>): string[] {
  const changes: string[] = [];
  for (const [name, value] of Object.entries(actual)) {
    const before = stored[name];
    if (before === undefined) changes.push(`${name} was added`);
    else if (!sameMac(before, value)) changes.push(`${name} was changed`);
  }
  for (const name of Object.keys(stored)) {
    if (actual[name] === undefined) changes.push(`${name} was removed`);
  }
  return changes.length > 0 ? changes : ['its sealed records or other fields were changed'];
}

function macKey(dataKey: Buffer): Buffer {
  return createHmac('sha256', dataKey).update('tokendeck-metadata-mac\0v1', 'utf8').digest();
}

function mac(key: Buffer, label: string, text: string): string {
  return createHmac('sha256', key)
    .update(label, 'utf8')
    .update('\0', 'utf8')
    .update(text, 'utf8')
    .digest()
    .subarray(0, MAC_BYTES)
    .toString('base64');
}

function sameMac(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** JSON with object keys sorted at every level, so equal values always give equal text. */
export function canonical(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k]!)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
