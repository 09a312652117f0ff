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

/** A test-only version 3: account labels move under `display`, and a top-level note appears. */
const toV3: Migration = {
  from: 2,
  to: 3,
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
    next.migratedNote = 'v3';
    return next;
  },
};

const V3 = { migrations: [toV3], currentVersion: 3 };

async function v2Vault(): Promise<Buffer> {
  const vault = await Vault.create(root, testPassphraseSlot());
  await vault.update((tx) => {
    tx.put('accounts', 'a1', { label: 'Work' });
    tx.putSecret('tokens:a1', 'at-SECRET-migrate');
  });
  return readFile(vault.path);
}

describe('Vault migrations', () => {
  it('migrates v2 to a test v3 on open and keeps the v2 bytes as a backup', async () => {
    const original = await v2Vault();
    const vault = await Vault.open(root, testPassphraseSlot(), V3);
    const view = await vault.read();
    expect(view.get('accounts', 'a1')).toEqual({ display: { label: 'Work' } });
    expect(view.getSecret('tokens:a1')).toBe('at-SECRET-migrate');

    const onDisk = JSON.parse(await readFile(vault.path, 'utf8'));
    expect(onDisk.version).toBe(3);
    expect(onDisk.migratedNote).toBe('v3');
    expect(await readFile(join(root, 'vault.v2.bak'))).toEqual(original);
    expect((await probeVault(root)).version).toBe(3);

    await vault.update((tx) => tx.put('c', 'x', 1));
    expect(JSON.parse(await readFile(vault.path, 'utf8')).migratedNote).toBe('v3');
    const again = await Vault.open(root, testPassphraseSlot(), V3);
    expect((await again.read()).getSecret('tokens:a1')).toBe('at-SECRET-migrate');
  });

  it('never overwrites an existing backup', async () => {
    const original = await v2Vault();
    await writeFile(join(root, 'vault.v2.bak'), 'an older backup');
    await Vault.open(root, testPassphraseSlot(), V3);
    expect(await readFile(join(root, 'vault.v2.bak'), 'utf8')).toBe('an older backup');
    expect(await readFile(join(root, 'vault.v2.1.bak'))).toEqual(original);
  });

  it('leaves the file untouched when the unlock fails', async () => {
    const original = await v2Vault();
    await expect(Vault.open(root, testPassphraseSlot('wrong'), V3)).rejects.toMatchObject({
      code: 'vault_wrong_passphrase',
    });
    expect(await readFile(join(root, VAULT_FILE))).toEqual(original);
    expect(await readdir(root)).toEqual([VAULT_FILE]);
  });

  it('refuses a file newer than the code and leaves it untouched', async () => {
    await v2Vault();
    await Vault.open(root, testPassphraseSlot(), V3);
    const v3Bytes = await readFile(join(root, VAULT_FILE));
    const error = await Vault.open(root, testPassphraseSlot()).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'vault_unsupported_version',
      details: expect.objectContaining({ version: 3, supported: 2 }),
    });
    expect(await readFile(join(root, VAULT_FILE))).toEqual(v3Bytes);
  });

  it('refuses a version with no migration path', async () => {
    await v2Vault();
    await expect(
      Vault.open(root, testPassphraseSlot(), { currentVersion: 4, migrations: [toV3] }),
    ).rejects.toMatchObject({ code: 'vault_unsupported_version' });
  });
});
