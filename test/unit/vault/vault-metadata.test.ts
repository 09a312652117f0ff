import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSession, sessionOpener } from '../../../src-main/core/sessions';
import { Vault } from '../../../src-main/core/vault';
import { failure } from '../../helpers/expect-error';
import { makeTempRoot, testPassphraseSlot } from '../../helpers/vault-fixtures';

/**
 * The readable metadata is authenticated under the data key (SECURITY 49): a hand edit of
 * `vault.json` stops the vault, naming what changed, and a version 1 vault is sealed when it is
 * next unlocked.
 */

let root: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ root, cleanup } = await makeTempRoot());
});
afterEach(async () => {
  await cleanup();
});

type Doc = {
  version: number;
  integrity?: unknown;
  collections: Record<string, Record<string, Record<string, unknown>>>;
  secrets: Record<string, unknown>;
};

async function seeded(options: { currentVersion?: number } = {}): Promise<Vault> {
  const vault = await Vault.create(root, testPassphraseSlot(), options);
  await vault.update((tx) => {
    tx.put('providers', 'acme', { endpoints: { token: 'https://acme.test/token' } });
    tx.put('accounts', 'acme-1', { label: 'Work' });
    tx.putSecret('client-secret:acme', 'acme-client-secret-1');
  });
  return vault;
}

async function edit(vault: Vault, change: (doc: Doc) => void): Promise<Buffer> {
  const doc = JSON.parse(await readFile(vault.path, 'utf8')) as Doc;
  change(doc);
  const bytes = Buffer.from(JSON.stringify(doc));
  await writeFile(vault.path, bytes);
  return bytes;
}

describe('vault metadata', () => {
  it('refuses to open a vault whose endpoint was edited by hand, naming it', async () => {
    const vault = await seeded();
    const edited = await edit(vault, (doc) => {
      doc.collections.providers!.acme!.endpoints = { token: 'https://evil.test/token' };
    });
    const error = await failure(Vault.open(root, testPassphraseSlot()));
    expect(error.code).toBe('vault_tampered');
    expect(error.message).toContain('providers/acme was changed');
    expect(error.message).toContain('Nothing was sent anywhere');
    expect(await readFile(vault.path)).toEqual(edited);
  });

  it('refuses the same edit when a CLI session opens the vault', async () => {
    const vault = await seeded();
    const session = await createSession(vault);
    await edit(vault, (doc) => {
      doc.collections.providers!.acme!.endpoints = { token: 'https://evil.test/token' };
    });
    const error = await failure(sessionOpener(session)(root, {}));
    expect(error.code).toBe('vault_tampered');
    expect(error.message).toContain('providers/acme was changed');
  });

  it('stops an open vault when its file is edited by hand under it', async () => {
    const vault = await seeded();
    await edit(vault, (doc) => {
      doc.collections.accounts!['acme-2'] = { label: 'Added' };
    });
    const read = await failure(vault.read());
    expect(read.code).toBe('vault_tampered');
    expect(read.message).toContain('accounts/acme-2 was added');
    expect((await failure(vault.update((tx) => tx.put('x', 'y', 1)))).code).toBe('vault_tampered');
  });

  it('notices a sealed record removed by hand', async () => {
    const vault = await seeded();
    await edit(vault, (doc) => {
      delete doc.secrets['client-secret:acme'];
    });
    const error = await failure(Vault.open(root, testPassphraseSlot()));
    expect(error.code).toBe('vault_tampered');
    expect(error.message).toContain('sealed records');
  });

  it('seals a version 1 vault at its next unlock, and then notices edits', async () => {
    const old = await seeded({ currentVersion: 1 });
    expect(JSON.parse(await readFile(old.path, 'utf8'))).not.toHaveProperty('integrity');
    const vault = await Vault.open(root, testPassphraseSlot());
    const migrated = JSON.parse(await readFile(vault.path, 'utf8')) as Doc;
    expect(migrated.version).toBe(2);
    expect(migrated.integrity).toBeDefined();
    expect((await vault.read()).getSecret('client-secret:acme')).toBe('acme-client-secret-1');
    await edit(vault, (doc) => {
      doc.collections.providers!.acme!.endpoints = { token: 'https://evil.test/token' };
    });
    expect((await failure(Vault.open(root, testPassphraseSlot()))).code).toBe('vault_tampered');
  });

  it('refuses a sealed vault passed off as version 1 without its seal', async () => {
    const vault = await seeded();
    await edit(vault, (doc) => {
      doc.version = 1;
      delete doc.integrity;
      doc.collections.providers!.acme!.endpoints = { token: 'https://evil.test/token' };
    });
    const error = await failure(Vault.open(root, testPassphraseSlot()));
    expect(error.code).toBe('vault_tampered');
    expect(error.message).toContain('format version was lowered');
  });

  it('keeps working across its own writes and another instance’s', async () => {
    const first = await seeded();
    const second = await Vault.open(root, testPassphraseSlot());
    await second.update((tx) => tx.put('accounts', 'acme-3', { label: 'Third' }));
    expect((await first.read()).get('accounts', 'acme-3')).toEqual({ label: 'Third' });
    await first.update((tx) => tx.delete('accounts', 'acme-1'));
    expect((await second.read()).get('accounts', 'acme-1')).toBeUndefined();
  });
});
