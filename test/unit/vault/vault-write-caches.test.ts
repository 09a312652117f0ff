import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documentObject, encodeDocument } from '../../../src-main/core/vault/document-text';
import { sealMetadata } from '../../../src-main/core/vault/metadata-mac';
import { copyDocument, type VaultDocument } from '../../../src-main/core/vault/vault-document';
import { Vault, type JsonValue } from '../../../src-main/core/vault';
import { makeTempRoot, testPassphraseSlot } from '../../helpers/vault-fixtures';

/**
 * A write reuses what the last one computed (record text, entry MACs, the parsed document) and
 * must give exactly what computing it all again gives.
 */

let root: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ root, cleanup } = await makeTempRoot());
});
afterEach(async () => {
  await cleanup();
});

const KEY = Buffer.alloc(32, 7);

function oddDocument(): VaultDocument {
  return {
    version: 2,
    vaultId: 'v-1',
    revision: 3,
    keyCheck: 'kc',
    slots: [{ kind: 'passphrase', createdAt: 1, wrapped: { kind: 'passphrase' } as never }],
    collections: new Map([
      [
        'accounts',
        new Map<string, JsonValue>([
          ['b', { label: 'Zürich 🙂', scopes: ['a', 'b'], nested: { deep: [1, { x: null }] } }],
          ['10', { label: 'ten' }],
          ['2', 'a plain string value'],
          ['__proto__', { label: 'odd id' }],
        ]),
      ],
      ['empty', new Map()],
      ['settings', new Map<string, JsonValue>([['ui', { theme: 'dark', list: [] }]])],
    ]),
    secrets: new Map<string, JsonValue>([
      ['tokens:b', { nonce: 'n', ct: 'c', tag: 't' }],
      ['7', { nonce: 'n7', ct: 'c7', tag: 't7' }],
    ]),
    extra: new Map<string, JsonValue>([
      ['zNote', { kept: true }],
      ['5', 'an integer-like field'],
    ]),
    integrity: { v: 1, entries: { 'accounts/b': 'm1' }, all: 'all' },
  };
}

/** What the encoder must give: the plain serializer's output. */
function plainEncoding(doc: VaultDocument): Buffer {
  return Buffer.from(JSON.stringify(documentObject(doc), null, 2) + '\n', 'utf8');
}

describe('vault write caches', () => {
  it('encodes byte for byte as JSON.stringify(doc, null, 2), odd ids and all', () => {
    const doc = oddDocument();
    expect(encodeDocument(doc).toString()).toBe(plainEncoding(doc).toString());
    const bare = { ...copyDocument(doc), collections: new Map(), secrets: new Map() };
    delete bare.integrity;
    expect(encodeDocument(bare).toString()).toBe(plainEncoding(bare).toString());
  });

  it('reuses a record’s text only for the same value at the same depth', () => {
    const cache = new WeakMap();
    const doc = oddDocument();
    encodeDocument(doc, cache);
    const next = copyDocument(doc);
    next.collections.get('accounts')!.set('b', { label: 'changed' });
    // The same value object at another depth (a collection entry, not a secret) must not bring
    // its old indentation.
    next.collections.get('settings')!.set('moved', doc.secrets.get('tokens:b')!);
    expect(encodeDocument(next, cache).toString()).toBe(plainEncoding(next).toString());
    expect(encodeDocument(doc, cache).toString()).toBe(plainEncoding(doc).toString());
  });

  it('reuses an entry MAC only for the same value under the same name', () => {
    const cache = new WeakMap();
    const doc = oddDocument();
    const shared = { label: 'shared' };
    doc.collections.get('accounts')!.set('b', shared).set('c', shared);
    const cached = sealMetadata(KEY, doc, cache);
    expect(cached).toEqual(sealMetadata(KEY, doc));
    expect(cached.entries['accounts/b']).not.toBe(cached.entries['accounts/c']);
    const next = copyDocument(doc);
    next.collections.get('accounts')!.set('c', { label: 'changed' });
    expect(sealMetadata(KEY, next, cache)).toEqual(sealMetadata(KEY, next));
  });

  it('starts a write from a copy: a failed update leaves the cached snapshot as it was', async () => {
    const vault = await Vault.create(root, testPassphraseSlot());
    await vault.update((tx) => {
      tx.put('accounts', 'a', { label: 'A' });
      tx.putSecret('tokens:a', 'secret-a');
    });
    const snapshot = await vault.read();
    await expect(
      vault.update((tx) => {
        tx.put('accounts', 'a', { label: 'changed' });
        tx.deleteSecret('tokens:a');
        tx.put('accounts', 'b', { label: 'B' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const after = await vault.read();
    expect(after).toBe(snapshot);
    expect(after.get('accounts', 'a')).toEqual({ label: 'A' });
    expect(after.get('accounts', 'b')).toBeUndefined();
    expect(after.getSecret('tokens:a')).toBe('secret-a');
  });

  it('writes what a fresh open reads back, write after write', async () => {
    const vault = await Vault.create(root, testPassphraseSlot());
    for (let i = 0; i < 5; i += 1) {
      await vault.update((tx) => {
        tx.put('accounts', `a${i}`, { label: `A${i}` });
        tx.putSecret(`tokens:a${i}`, `secret-${i}`);
        if (i > 0) tx.put('accounts', `a${i - 1}`, { label: `renamed ${i - 1}` });
      });
      const reopened = await Vault.open(root, testPassphraseSlot());
      const reader = await reopened.read();
      expect(reader.get('accounts', `a${i}`)).toEqual({ label: `A${i}` });
      expect(reader.getSecret(`tokens:a${i}`)).toBe(`secret-${i}`);
      const doc = JSON.parse(await readFile(vault.path, 'utf8')) as { revision: number };
      expect(doc.revision).toBe(i + 2);
    }
  });
});
