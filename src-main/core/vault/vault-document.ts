import { TokendeckError } from '../errors';
import { readSeal, type MetadataSeal } from './metadata-mac';
import {
  SLOT_KINDS,
  type JsonValue,
  type SlotKind,
  type VaultSlotInfo,
  type WrappedKey,
} from './types';

/**
 * The vault file's format: one JSON document per data folder.
 *
 * ```json
 * { "format": "tokendeck-vault", "version": 1, "vaultId": "…", "revision": 7, "keyCheck": "…",
 *   "slots": [{ "kind": "passphrase", "createdAt": 1700000000000, "wrapped": { … } }],
 *   "collections": { "accounts": { "a1": { … } } },
 *   "secrets": { "tokens:a1": { "nonce": "…", "ct": "…", "tag": "…" } } }
 * ```
 *
 * Collections hold readable metadata; secrets hold AES-256-GCM sealed records. Unknown top-level
 * fields are carried through untouched, so a migration may add fields this code does not know.
 * In memory, collections and secrets are Maps, so no id can reach an object prototype.
 */
export const VAULT_FILE = 'vault.json';
/**
 * 2: the readable metadata is authenticated (`integrity`, see metadata-mac.ts) and the key check
 * is bound to the format version. A version 1 file is migrated when it is next unlocked.
 */
export const CURRENT_VERSION = 2;
export const VAULT_FORMAT = 'tokendeck-vault';

export interface StoredSlot {
  kind: SlotKind;
  createdAt: number;
  wrapped: WrappedKey;
}

export interface VaultDocument {
  version: number;
  vaultId: string;
  revision: number;
  keyCheck: string;
  slots: StoredSlot[];
  collections: Map<string, Map<string, JsonValue>>;
  /** Sealed records as stored; a malformed one is kept and reported only when it is read. */
  secrets: Map<string, JsonValue>;
  /** Top-level fields this code does not know, kept as they are. */
  extra: Map<string, JsonValue>;
  /** The MACs over the readable metadata, as last written; absent in a version 1 file. */
  integrity?: MetadataSeal;
}

const KNOWN_FIELDS = new Set([
  'format',
  'version',
  'vaultId',
  'revision',
  'keyCheck',
  'slots',
  'collections',
  'secrets',
  'integrity',
]);

/** The header every version shares: enough to decide on migration or refusal. */
export interface VaultHeader {
  version: number;
  doc: Record<string, unknown>;
}

function corrupt(path: string, reason: string, cause?: unknown): TokendeckError {
  return new TokendeckError(
    'vault_corrupt',
    `The vault file ${path} cannot be read (${reason}). It has been kept as it is.`,
    { cause, details: { path, reason } },
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses the bytes of a vault file far enough to read its format and version.
 *
 * Throws `vault_corrupt` (naming the file) for anything that is not a Tokendeck vault.
 */
export function parseHeader(raw: Buffer, path: string): VaultHeader {
  let doc: unknown;
  try {
    doc = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw corrupt(path, raw.length === 0 ? 'empty file' : 'not valid JSON', error);
  }
  if (!isPlainObject(doc) || doc.format !== VAULT_FORMAT) {
    throw corrupt(path, 'not a Tokendeck vault');
  }
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw corrupt(path, `unknown format version ${JSON.stringify(version) ?? 'none'}`);
  }
  return { version, doc };
}

function readSlots(value: unknown, path: string): StoredSlot[] {
  if (!Array.isArray(value) || value.length === 0) throw corrupt(path, 'no key slots');
  const seen = new Set<string>();
  return value.map((entry): StoredSlot => {
    if (!isPlainObject(entry)) throw corrupt(path, 'invalid key slot');
    const { kind, createdAt, wrapped } = entry;
    if (typeof kind !== 'string' || !(SLOT_KINDS as readonly string[]).includes(kind)) {
      throw corrupt(path, 'unknown key slot kind');
    }
    if (seen.has(kind)) throw corrupt(path, 'duplicate key slot');
    seen.add(kind);
    if (typeof createdAt !== 'number' || !Number.isFinite(createdAt)) {
      throw corrupt(path, 'invalid key slot date');
    }
    if (!isPlainObject(wrapped) || wrapped.kind !== kind) {
      throw corrupt(path, 'invalid wrapped key');
    }
    return { kind: kind as SlotKind, createdAt, wrapped: wrapped as WrappedKey };
  });
}

function toMap(value: Record<string, unknown>): Map<string, JsonValue> {
  return new Map(Object.entries(value) as Array<[string, JsonValue]>);
}

/**
 * Validates a parsed document of the current layout and builds the in-memory form.
 *
 * Throws `vault_corrupt` naming the file and the first thing found wrong.
 */
export function decodeDocument(doc: Record<string, unknown>, path: string): VaultDocument {
  const { version, vaultId, revision, keyCheck, collections, secrets } = doc;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw corrupt(path, 'missing or invalid version');
  }
  if (typeof vaultId !== 'string' || vaultId.length === 0) throw corrupt(path, 'missing vault id');
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0) {
    throw corrupt(path, 'invalid revision');
  }
  if (typeof keyCheck !== 'string' || keyCheck.length === 0) {
    throw corrupt(path, 'missing key check');
  }
  const slots = readSlots(doc.slots, path);
  if (!isPlainObject(collections)) throw corrupt(path, 'invalid collections');
  const collectionMap = new Map<string, Map<string, JsonValue>>();
  for (const [name, entries] of Object.entries(collections)) {
    if (!isPlainObject(entries)) throw corrupt(path, 'invalid collection');
    collectionMap.set(name, toMap(entries));
  }
  if (!isPlainObject(secrets)) throw corrupt(path, 'invalid secrets');
  const extra = new Map<string, JsonValue>();
  for (const [key, value] of Object.entries(doc)) {
    if (!KNOWN_FIELDS.has(key)) extra.set(key, value as JsonValue);
  }
  const integrity = readSeal(doc.integrity);
  return {
    version,
    vaultId,
    revision,
    keyCheck,
    slots,
    collections: collectionMap,
    secrets: toMap(secrets),
    extra,
    ...(integrity ? { integrity } : {}),
  };
}

/** Serializes a document to the bytes written to disk. */
export function encodeDocument(doc: VaultDocument): Buffer {
  const collections = Object.fromEntries(
    [...doc.collections]
      .filter(([, entries]) => entries.size > 0)
      .map(([name, entries]) => [name, Object.fromEntries(entries)]),
  );
  const out = {
    format: VAULT_FORMAT,
    version: doc.version,
    vaultId: doc.vaultId,
    revision: doc.revision,
    keyCheck: doc.keyCheck,
    slots: doc.slots,
    collections,
    secrets: Object.fromEntries(doc.secrets),
    ...Object.fromEntries(doc.extra),
    ...(doc.integrity ? { integrity: doc.integrity } : {}),
  };
  return Buffer.from(JSON.stringify(out, null, 2) + '\n', 'utf8');
}

/** The non-secret summary of each slot. */
export function slotInfos(slots: StoredSlot[]): VaultSlotInfo[] {
  return slots.map(({ kind, createdAt }) => ({ kind, createdAt }));
}

/** Best-effort slot summary of a document of any version; skips entries it does not know. */
export function peekSlots(doc: Record<string, unknown>): VaultSlotInfo[] {
  if (!Array.isArray(doc.slots)) return [];
  return doc.slots.flatMap((entry): VaultSlotInfo[] => {
    if (!isPlainObject(entry)) return [];
    const { kind, createdAt } = entry;
    if (typeof kind !== 'string' || !(SLOT_KINDS as readonly string[]).includes(kind)) return [];
    return [{ kind: kind as SlotKind, createdAt: typeof createdAt === 'number' ? createdAt : 0 }];
  });
}
