import type { JsonValue } from './types';
import { VAULT_FORMAT, type VaultDocument } from './vault-document';

/**
 * The bytes of a vault document: JSON indented by two spaces, exactly as
 * `JSON.stringify(document, null, 2)` gives it, so the file stays readable by hand.
 *
 * A vault of 1,000 accounts is about a megabyte of such text, and one write changes one or two
 * records of it. So the text of each record (an account, a sealed secret) is kept by its value
 * and reused by the next write: values are never changed in place (a write puts a new one), so a
 * value's text cannot go stale.
 */
export type RecordTextCache = WeakMap<object, { indent: string; bytes: Buffer }>;

const STEP = '  ';

/** The document as the plain object written to disk, before it is turned into text. */
export function documentObject(doc: VaultDocument): Record<string, unknown> {
  const collections = Object.fromEntries(
    [...doc.collections]
      .filter(([, entries]) => entries.size > 0)
      .map(([name, entries]) => [name, Object.fromEntries(entries)]),
  );
  return {
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
}

/** Serializes a document to the bytes written to disk. */
export function encodeDocument(doc: VaultDocument, cache: RecordTextCache = new WeakMap()): Buffer {
  const out = documentObject(doc);
  const parts: Array<string | Buffer> = [];
  const record = (value: unknown, indent: string) => recordText(parts, value, indent, cache);
  const plain = (value: unknown, indent: string) => void parts.push(plainText(value, indent));
  objectText(parts, out, '', (key, value, indent) => {
    if (key === 'collections') {
      objectText(parts, value as Record<string, unknown>, indent, (_name, entries, inner) =>
        objectText(parts, entries as Record<string, unknown>, inner, (_id, entry, at) =>
          record(entry, at),
        ),
      );
    } else if (key === 'secrets') {
      objectText(parts, value as Record<string, unknown>, indent, (_id, sealed, at) =>
        record(sealed, at),
      );
    } else {
      plain(value, indent);
    }
  });
  parts.push('\n');
  return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part)));
}

/**
 * Adds `JSON.stringify(object, null, 2)` at `indent` to `parts`, each member's value added by
 * `member`.
 */
function objectText(
  parts: Array<string | Buffer>,
  object: Record<string, unknown>,
  indent: string,
  member: (key: string, value: unknown, indent: string) => void,
): void {
  const inner = indent + STEP;
  let first = true;
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (value === undefined) continue;
    parts.push(`${first ? '{\n' : ',\n'}${inner}${JSON.stringify(key)}: `);
    first = false;
    member(key, value, inner);
  }
  parts.push(first ? '{}' : `\n${indent}}`);
}

function plainText(value: unknown, indent: string): string {
  const text = JSON.stringify(value as JsonValue, null, 2);
  return indent === '' ? text : text.replaceAll('\n', `\n${indent}`);
}

function recordText(
  parts: Array<string | Buffer>,
  value: unknown,
  indent: string,
  cache: RecordTextCache,
): void {
  if (value === null || typeof value !== 'object') {
    parts.push(plainText(value, indent));
    return;
  }
  const known = cache.get(value);
  if (known?.indent === indent) {
    parts.push(known.bytes);
    return;
  }
  const bytes = Buffer.from(plainText(value, indent));
  cache.set(value, { indent, bytes });
  parts.push(bytes);
}
