import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CURRENT_VERSION,
  VAULT_FILE,
  Vault,
  probeVault,
  type JsonValue,
} from '../../../src-main/core/vault';
import {
  filesContaining,
  makeTempRoot,
  modeOf,
  testPassphraseSlot,
} from '../../helpers/vault-fixtures';
import { createFakeKeychainSlot } from '../../helpers/fake-key-slot';

let root: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ root, cleanup } = await makeTempRoot());
});
afterEach(async () => {
  await cleanup();
});

const SECRETS = {
  'tokens:a1': JSON.stringify({
    accessToken: 'at-SECRET-1111-aaaa',
    refreshToken: 'rt-SECRET-2222',
  }),
  'client-secret:p1': 'cs-SECRET-3333-cccc',
  'api-key:p2': 'ak-SECRET-4444-dddd',
};

describe('Vault round trip', () => {
  it('keeps metadata and secrets across close and reopen', async () => {
    const dir = join(root, 'data');
    const vault = await Vault.create(dir, testPassphraseSlot());
    await vault.update((tx) => {
      tx.put('accounts', 'a1', { label: 'Work', expiresAt: 1700000000, scopes: ['read'] });
      tx.put('providers', 'p1', { name: 'Acme', nested: { list: [1, 2, null] } });
      for (const [id, value] of Object.entries(SECRETS)) tx.putSecret(id, value);
    });

    const reopened = await Vault.open(dir, testPassphraseSlot());
    const view = await reopened.read();
    expect(view.get('accounts', 'a1')).toEqual({
      label: 'Work',
      expiresAt: 1700000000,
      scopes: ['read'],
    });
    expect(view.list('providers')).toEqual([
      ['p1', { name: 'Acme', nested: { list: [1, 2, null] } }],
    ]);
    for (const [id, value] of Object.entries(SECRETS)) {
      expect(view.hasSecret(id)).toBe(true);
      expect(view.getSecret(id)).toBe(value);
    }
    expect(view.getSecret('absent')).toBeUndefined();
    expect(view.get('accounts', 'absent')).toBeUndefined();
    expect(view.list('nothing')).toEqual([]);
  });

  it('writes the documented file format', async () => {
    const vault = await Vault.create(root, testPassphraseSlot());
    await vault.update((tx) => tx.putSecret('s1', 'value-SECRET-5555'));
    const doc = JSON.parse(await readFile(join(root, VAULT_FILE), 'utf8')) as Record<
      string,
      JsonValue
    >;
    expect(doc.format).toBe('tokendeck-vault');
    expect(doc.version).toBe(CURRENT_VERSION);
    expect(typeof doc.vaultId).toBe('string');
    expect(doc.revision).toBe(2);
    expect(doc.slots).toEqual([
      expect.objectContaining({ kind: 'passphrase', wrapped: expect.any(Object) }),
    ]);
    const sealed = (doc.secrets as Record<string, Record<string, string>>).s1;
    expect(Object.keys(sealed).sort()).toEqual(['ct', 'nonce', 'tag']);
    expect(Buffer.from(sealed.nonce, 'base64')).toHaveLength(12);
    expect(Buffer.from(sealed.tag, 'base64')).toHaveLength(16);
  });

  it('increments the revision per write, and skips writes that change nothing', async () => {
    const vault = await Vault.create(root, testPassphraseSlot());
    const start = (await vault.read()).revision;
    await vault.update((tx) => {
      tx.put('c', 'x', { a: 1 });
      tx.putSecret('s', 'same-SECRET-value');
    });
    expect((await vault.read()).revision).toBe(start + 1);
    const before = await stat(vault.path);
    await vault.update((tx) => {
      tx.put('c', 'x', { a: 1 });
      tx.putSecret('s', 'same-SECRET-value');
      tx.delete('c', 'missing');
      tx.deleteSecret('missing');
    });
    const after = await stat(vault.path);
    expect(after.ino).toBe(before.ino);
    expect((await vault.read()).revision).toBe(start + 1);
  });

  it('uses a fresh nonce for every write of a record', async () => {
    const vault = await Vault.create(root, testPassphraseSlot());
    const nonces = new Set<string>();
    for (let i = 0; i < 5; i += 1) {
      await vault.update((tx) => tx.putSecret('s', `value-${i}`));
      const doc = JSON.parse(await readFile(vault.path, 'utf8'));
      nonces.add(doc.secrets.s.nonce);
    }
    expect(nonces.size).toBe(5);
  });

  it('returns the value of update and writes nothing when fn throws', async () => {
    const vault = await Vault.create(root, testPassphraseSlot());
    expect(await vault.update(() => 42)).toBe(42);
    const before = await readFile(vault.path);
    await expect(
      vault.update((tx) => {
        tx.put('c', 'x', 1);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await readFile(vault.path)).toEqual(before);
    expect((await vault.read()).get('c', 'x')).toBeUndefined();
  });

  it('gives consistent snapshots that later writes do not change', async () => {
    const vault = await Vault.create(root, testPassphraseSlot());
    await vault.update((tx) => tx.put('c', 'x', { n: 1 }));
    const old = await vault.read();
    const value = old.get<{ n: number }>('c', 'x');
    if (value) value.n = 99;
    await vault.update((tx) => tx.put('c', 'x', { n: 2 }));
    expect(old.get('c', 'x')).toEqual({ n: 1 });
    expect((await vault.read()).get('c', 'x')).toEqual({ n: 2 });
  });

  it('sees writes made through another Vault object (another process) on read()', async () => {
    const a = await Vault.create(root, testPassphraseSlot());
    const b = await Vault.open(root, testPassphraseSlot());
    const first = await a.read();
    expect(await a.read()).toBe(first);
    await b.update((tx) => tx.put('c', 'x', 'from-b'));
    const next = await a.read();
    expect(next).not.toBe(first);
    expect(next.get('c', 'x')).toBe('from-b');
  });

  it('serializes concurrent updates within one process without losing any', async () => {
    const vault = await Vault.create(root, testPassphraseSlot());
    const other = await Vault.open(root, testPassphraseSlot());
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? vault : other).update(async (tx) => {
          const count = tx.get<number>('c', 'count') ?? 0;
          await Promise.resolve();
          tx.put('c', 'count', count + 1);
          tx.put('seen', String(i), true);
        }),
      ),
    );
    const view = await vault.read();
    expect(view.get('c', 'count')).toBe(40);
    expect(view.list('seen')).toHaveLength(40);
  });

  it('refuses a nested update instead of deadlocking, and a closed transaction', async () => {
    const vault = await Vault.create(root, testPassphraseSlot());
    await expect(vault.update(() => vault.update(() => 1))).rejects.toMatchObject({
      code: 'invalid_input',
    });
    let saved: Parameters<Parameters<Vault['update']>[0]>[0] | undefined;
    await vault.update((tx) => {
      saved = tx;
    });
    expect(() => saved?.put('c', 'x', 1)).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
  });

  it('refuses values and names JSON cannot hold', async () => {
    const vault = await Vault.create(root, testPassphraseSlot());
    await expect(
      vault.update((tx) => tx.put('c', 'x', undefined as unknown as JsonValue)),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(vault.update((tx) => tx.put('', 'x', 1))).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(
      vault.update((tx) => tx.putSecret('s', 5 as unknown as string)),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('keeps odd ids such as __proto__ as plain data', async () => {
    const vault = await Vault.create(root, testPassphraseSlot());
    await vault.update((tx) => {
      tx.put('__proto__', '__proto__', { polluted: true });
      tx.putSecret('__proto__', 'proto-SECRET-value');
    });
    const view = await (await Vault.open(root, testPassphraseSlot())).read();
    expect(view.get('__proto__', '__proto__')).toEqual({ polluted: true });
    expect(view.getSecret('__proto__')).toBe('proto-SECRET-value');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('leaves no plaintext secret in any file of the folder', async () => {
    const dir = join(root, 'data');
    const vault = await Vault.create(dir, testPassphraseSlot('pass-SECRET-phrase'));
    await vault.addSlot(createFakeKeychainSlot());
    await vault.update((tx) => {
      for (const [id, value] of Object.entries(SECRETS)) tx.putSecret(id, value);
    });
    await vault.withLock('renew-a1', async () => {
      await vault.update((tx) => tx.putSecret('tokens:a1', 'at-SECRET-rotated-9999'));
    });
    const needles = [
      'at-SECRET-1111-aaaa',
      'rt-SECRET-2222',
      'cs-SECRET-3333-cccc',
      'ak-SECRET-4444-dddd',
      'at-SECRET-rotated-9999',
      'pass-SECRET-phrase',
    ];
    for (const needle of needles) expect(await filesContaining(dir, needle)).toEqual([]);
    expect(await filesContaining(dir, 'tokendeck-vault')).not.toEqual([]);
  });

  it.skipIf(process.platform === 'win32')('creates owner-only files and folders', async () => {
    const dir = join(root, 'nested', 'data');
    const vault = await Vault.create(dir, testPassphraseSlot());
    await vault.update(async (tx) => {
      tx.putSecret('s', 'x-SECRET');
      expect(await modeOf(`${vault.path}.lock`)).toBe(0o600);
    });
    await vault.withLock('renew-a1', async () => {
      expect(await modeOf(join(dir, 'locks', 'renew-a1.lock'))).toBe(0o600);
    });
    expect(await modeOf(dir)).toBe(0o700);
    expect(await modeOf(join(dir, 'locks'))).toBe(0o700);
    expect(await modeOf(vault.path)).toBe(0o600);
  });

  it('probes a folder without unlocking it', async () => {
    expect(await probeVault(join(root, 'none'))).toEqual({
      path: join(root, 'none', VAULT_FILE),
      exists: false,
      corrupt: false,
      version: null,
      slots: [],
    });
    const vault = await Vault.create(root, testPassphraseSlot());
    await vault.addSlot(createFakeKeychainSlot());
    const probe = await probeVault(root);
    expect(probe).toMatchObject({ exists: true, corrupt: false, version: CURRENT_VERSION });
    expect(probe.slots.map((slot) => slot.kind).sort()).toEqual(['os-keychain', 'passphrase']);
    expect(probe.slots).toEqual(vault.slots());
  });
});
