import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokendeckError } from '../../../src-main/core/errors';
import { Vault, createPassphraseSlot } from '../../../src-main/core/vault';
import { createFakeKeychainSlot } from '../../helpers/fake-key-slot';
import { TEST_SCRYPT, makeTempRoot, testPassphraseSlot } from '../../helpers/vault-fixtures';

let root: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ root, cleanup } = await makeTempRoot());
});
afterEach(async () => {
  await cleanup();
});

async function seeded(): Promise<Vault> {
  const vault = await Vault.create(root, testPassphraseSlot());
  await vault.update((tx) => {
    tx.put('accounts', 'a1', { label: 'Work' });
    tx.putSecret('tokens:a1', 'at-SECRET-slot-test');
  });
  return vault;
}

describe('passphrase slot', () => {
  it('refuses an empty passphrase and out-of-range costs', () => {
    expect(() => createPassphraseSlot('')).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
    expect(() => createPassphraseSlot('x', { N: 1000 })).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
  });

  it('stores salt and cost, and unwraps with the right passphrase only', async () => {
    const key = randomBytes(32);
    const wrapped = await createPassphraseSlot('right', TEST_SCRYPT).wrap(key);
    expect(wrapped).toMatchObject({ kind: 'passphrase', kdf: 'scrypt', ...TEST_SCRYPT });
    expect(typeof wrapped.salt).toBe('string');
    expect(await createPassphraseSlot('right', TEST_SCRYPT).unwrap(wrapped)).toEqual(key);
    await expect(createPassphraseSlot('wrong', TEST_SCRYPT).unwrap(wrapped)).rejects.toMatchObject({
      code: 'vault_wrong_passphrase',
    });
  });

  it('uses the stored cost to unwrap, and asks for a re-wrap when it is lower than its own', async () => {
    const key = randomBytes(32);
    const wrapped = await createPassphraseSlot('pw', TEST_SCRYPT).wrap(key);
    const stronger = createPassphraseSlot('pw', { N: 2 ** 11 });
    expect(await stronger.unwrap(wrapped)).toEqual(key);
    expect(stronger.shouldRewrap?.(wrapped)).toBe(true);
    expect(createPassphraseSlot('pw', TEST_SCRYPT).shouldRewrap?.(wrapped)).toBe(false);
  });

  it("uses OWASP's cost (N=2^17, r=8, p=1) when none is given", async () => {
    const wrapped = await createPassphraseSlot('pw').wrap(randomBytes(32));
    expect(wrapped).toMatchObject({ N: 2 ** 17, r: 8, p: 1 });
  });

  it('reports a damaged slot entry as vault_slot_failed', async () => {
    const wrapped = await createPassphraseSlot('pw', TEST_SCRYPT).wrap(randomBytes(32));
    await expect(
      createPassphraseSlot('pw', TEST_SCRYPT).unwrap({ ...wrapped, N: 2 ** 40 }),
    ).rejects.toMatchObject({ code: 'vault_slot_failed' });
  });
});

describe('Vault key slots', () => {
  it('refuses a wrong passphrase', async () => {
    await seeded();
    const error = await Vault.open(root, testPassphraseSlot('not the passphrase')).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TokendeckError);
    expect(error).toMatchObject({ code: 'vault_wrong_passphrase' });
  });

  it('unlocks the same data with each slot', async () => {
    const vault = await seeded();
    await vault.addSlot(createFakeKeychainSlot());
    expect(vault.slots().map((slot) => slot.kind)).toEqual(['passphrase', 'os-keychain']);
    for (const slot of [testPassphraseSlot(), createFakeKeychainSlot()]) {
      const view = await (await Vault.open(root, slot)).read();
      expect(view.get('accounts', 'a1')).toEqual({ label: 'Work' });
      expect(view.getSecret('tokens:a1')).toBe('at-SECRET-slot-test');
    }
  });

  it('reports a missing slot kind as vault_slot_unavailable', async () => {
    await seeded();
    await expect(Vault.open(root, createFakeKeychainSlot())).rejects.toMatchObject({
      code: 'vault_slot_unavailable',
      details: expect.objectContaining({ kind: 'os-keychain', available: 'passphrase' }),
    });
  });

  it('reports a changed or failing keychain as vault_slot_failed and keeps the file', async () => {
    const vault = await seeded();
    await vault.addSlot(createFakeKeychainSlot());
    const before = await readFile(vault.path);
    await expect(
      Vault.open(root, createFakeKeychainSlot({ secret: Buffer.from('another key') })),
    ).rejects.toMatchObject({ code: 'vault_slot_failed' });
    await expect(Vault.open(root, createFakeKeychainSlot({ fail: true }))).rejects.toMatchObject({
      code: 'vault_slot_failed',
    });
    expect(await readFile(vault.path)).toEqual(before);
    const view = await (await Vault.open(root, testPassphraseSlot())).read();
    expect(view.getSecret('tokens:a1')).toBe('at-SECRET-slot-test');
  });

  it('reports a slot that returns a wrong key as vault_slot_failed', async () => {
    await seeded();
    const liar = { ...testPassphraseSlot(), unwrap: async () => randomBytes(32) };
    await expect(Vault.open(root, liar)).rejects.toMatchObject({ code: 'vault_slot_failed' });
  });

  it('replaces a slot of the same kind (changing the passphrase)', async () => {
    const vault = await seeded();
    await vault.addSlot(testPassphraseSlot('new passphrase'));
    expect(vault.slots()).toHaveLength(1);
    await expect(Vault.open(root, testPassphraseSlot())).rejects.toMatchObject({
      code: 'vault_wrong_passphrase',
    });
    const view = await (await Vault.open(root, testPassphraseSlot('new passphrase'))).read();
    expect(view.getSecret('tokens:a1')).toBe('at-SECRET-slot-test');
  });

  it('removes a slot, but never the last one', async () => {
    const vault = await seeded();
    await vault.addSlot(createFakeKeychainSlot());
    await vault.removeSlot('passphrase');
    expect(vault.slots().map((slot) => slot.kind)).toEqual(['os-keychain']);
    await expect(Vault.open(root, testPassphraseSlot())).rejects.toMatchObject({
      code: 'vault_slot_unavailable',
    });
    await expect(vault.removeSlot('os-keychain')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(vault.removeSlot('passphrase')).rejects.toMatchObject({ code: 'not_found' });
    const view = await (await Vault.open(root, createFakeKeychainSlot())).read();
    expect(view.getSecret('tokens:a1')).toBe('at-SECRET-slot-test');
  });

  it('does not store a slot that cannot unwrap what it wrapped', async () => {
    const vault = await seeded();
    await expect(vault.addSlot(createFakeKeychainSlot({ fail: true }))).rejects.toMatchObject({
      code: 'vault_slot_failed',
    });
    expect(vault.slots().map((slot) => slot.kind)).toEqual(['passphrase']);
  });

  it('re-wraps when the unlocking slot asks, and only then', async () => {
    const vault = await seeded();
    await vault.addSlot(createFakeKeychainSlot());
    const wrappedOf = async () =>
      JSON.parse(await readFile(vault.path, 'utf8')).slots.find(
        (slot: { kind: string }) => slot.kind === 'os-keychain',
      ).wrapped;

    const plain = await Vault.open(root, createFakeKeychainSlot());
    expect(await plain.rewrapIfNeeded()).toBe(false);

    const before = await wrappedOf();
    const rotating = await Vault.open(root, createFakeKeychainSlot({ rewrap: true }));
    expect(await rotating.rewrapIfNeeded()).toBe(true);
    const after = await wrappedOf();
    expect(after.ct).not.toBe(before.ct);
    expect(await rotating.rewrapIfNeeded()).toBe(false);

    const view = await (await Vault.open(root, createFakeKeychainSlot())).read();
    expect(view.getSecret('tokens:a1')).toBe('at-SECRET-slot-test');
  });

  it('re-wraps a passphrase slot stored with a lower scrypt cost', async () => {
    await seeded();
    const stronger = createPassphraseSlot('correct horse battery staple', { N: 2 ** 11 });
    const vault = await Vault.open(root, stronger);
    expect(await vault.rewrapIfNeeded()).toBe(true);
    expect(await vault.rewrapIfNeeded()).toBe(false);
    expect(await (await Vault.open(root, testPassphraseSlot())).read()).toBeTruthy();
  });
});

describe('a passphrase decoded lossily (issue 20 §7)', () => {
  it('is refused, so two different byte strings cannot open one vault', () => {
    expect(() => createPassphraseSlot('pass\uFFFDword')).toThrow(
      expect.objectContaining({
        code: 'invalid_input',
        message: expect.stringContaining('U+FFFD'),
      }),
    );
  });
});
