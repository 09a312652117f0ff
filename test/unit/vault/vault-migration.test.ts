import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VAULT_FILE, Vault, probeVault, type Migration } from '../../../src-main/core/vault';
import { makeTempRoot, testPassphraseSlot } from '../../helpers/vault-fixtures';

let root: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ root, cleanup } = await makeTempRoot());
});
afterEach(async () => {
  await cleanup();
});

/** A test-only version 2: account labels move under `display`, and a top-level note appears. */
const toV2: Migration = {
  from: 1,
  to: 2,
  migrate(doc) {
    const next = doc as {
      collections: Record<string, Record<string, { label?: string }>>;
      [key: string]: unknown;
    };
    for (const account of Object.values(next.collections.accounts ?? {})) {
      if (account.label !== undefined) {
        (account as Record<string, unknown>).display = { label: account.label };
        delete account.label;
      }
    }
    next.migratedNote = 'v2';
    return next;
  },
};

const V2 = { migrations: [toV2], currentVersion: 2 };

async function v1Vault(): Promise<Buffer> {
  const vault = await Vault.create(root, testPassphraseSlot());
  await vault.update((tx) => {
    tx.put('accounts', 'a1', { label: 'Work' });
    tx.putSecret('tokens:a1', 'at-SECRET-migrate');
  });
  return readFile(vault.path);
}

describe('Vault migrations', () => {
  it('migrates v1 to a test v2 on open and keeps the v1 bytes as a backup', async () => {
    const original = await v1Vault();
    const vault = await Vault.open(root, testPassphraseSlot(), V2);
    const view = await vault.read();
    expect(view.get('accounts', 'a1')).toEqual({ display: { label: 'Work' } });
    expect(view.getSecret('tokens:a1')).toBe('at-SECRET-migrate');

    const onDisk = JSON.parse(await readFile(vault.path, 'utf8'));
    expect(onDisk.version).toBe(2);
    expect(onDisk.migratedNote).toBe('v2');
    expect(await readFile(join(root, 'vault.v1.bak'))).toEqual(original);
    expect((await probeVault(root)).version).toBe(2);

    await vault.update((tx) => tx.put('c', 'x', 1));
    expect(JSON.parse(await readFile(vault.path, 'utf8')).migratedNote).toBe('v2');
    const again = await Vault.open(root, testPassphraseSlot(), V2);
    expect((await again.read()).getSecret('tokens:a1')).toBe('at-SECRET-migrate');
  });

  it('never overwrites an existing backup', async () => {
    const original = await v1Vault();
    await writeFile(join(root, 'vault.v1.bak'), 'an older backup');
    await Vault.open(root, testPassphraseSlot(), V2);
    expect(await readFile(join(root, 'vault.v1.bak'), 'utf8')).toBe('an older backup');
    expect(await readFile(join(root, 'vault.v1.1.bak'))).toEqual(original);
  });

  it('leaves the file untouched when the unlock fails', async () => {
    const original = await v1Vault();
    await expect(Vault.open(root, testPassphraseSlot('wrong'), V2)).rejects.toMatchObject({
      code: 'vault_wrong_passphrase',
    });
    expect(await readFile(join(root, VAULT_FILE))).toEqual(original);
    expect(await readdir(root)).toEqual([VAULT_FILE]);
  });

  it('refuses a file newer than the code and leaves it untouched', async () => {
    await v1Vault();
    await Vault.open(root, testPassphraseSlot(), V2);
    const v2Bytes = await readFile(join(root, VAULT_FILE));
    const error = await Vault.open(root, testPassphraseSlot()).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'vault_unsupported_version',
      details: expect.objectContaining({ version: 2, supported: 1 }),
    });
    expect(await readFile(join(root, VAULT_FILE))).toEqual(v2Bytes);
  });

  it('refuses a version with no migration path', async () => {
    await v1Vault();
    await expect(
      Vault.open(root, testPassphraseSlot(), { currentVersion: 3, migrations: [toV2] }),
    ).rejects.toMatchObject({ code: 'vault_unsupported_version' });
  });
});
