import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../src-main/core/log';
import { VAULT_FILE, Vault, probeVault } from '../../../src-main/core/vault';
import { makeTempRoot, testPassphraseSlot } from '../../helpers/vault-fixtures';

let root: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ root, cleanup } = await makeTempRoot());
});
afterEach(async () => {
  await cleanup();
});

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

async function seeded(): Promise<Vault> {
  const vault = await Vault.create(root, testPassphraseSlot());
  await vault.update((tx) => {
    tx.putSecret('tokens:a1', 'at-SECRET-one');
    tx.putSecret('tokens:a2', 'at-SECRET-two');
    tx.putSecret('tokens:a3', 'at-SECRET-three');
  });
  return vault;
}

describe('Vault failures', () => {
  it('reports a missing vault', async () => {
    await expect(Vault.open(join(root, 'none'), testPassphraseSlot())).rejects.toMatchObject({
      code: 'vault_missing',
    });
  });

  it.each([
    ['garbage', Buffer.from('{{{ not json')],
    ['empty', Buffer.alloc(0)],
    ['not a vault', Buffer.from('{"hello": "world"}')],
    ['bad fields', Buffer.from('{"format":"tokendeck-vault","version":1,"slots":"x"}')],
  ])('keeps a corrupt file (%s) byte for byte and reports it', async (_name, bytes) => {
    const path = join(root, VAULT_FILE);
    await writeFile(path, bytes);
    const logger = recordingLogger();
    const error = await Vault.open(root, testPassphraseSlot(), { logger }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'vault_corrupt',
      details: expect.objectContaining({ path }),
    });
    expect((error as Error).message).toContain(path);
    expect(await readFile(path)).toEqual(bytes);
    expect(await readdir(root)).toEqual([VAULT_FILE]);
    expect(logger.lines.some((line) => line.startsWith('error'))).toBe(true);
    expect(await probeVault(root)).toMatchObject({ exists: true, corrupt: true, slots: [] });
    await expect(Vault.create(root, testPassphraseSlot())).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(await readFile(path)).toEqual(bytes);
  });

  it('keeps a truncated file and reports it', async () => {
    const vault = await seeded();
    const full = await readFile(vault.path);
    const truncated = full.subarray(0, Math.floor(full.length / 2));
    await writeFile(vault.path, truncated);
    await expect(Vault.open(root, testPassphraseSlot())).rejects.toMatchObject({
      code: 'vault_corrupt',
      details: expect.objectContaining({ path: vault.path }),
    });
    await expect(vault.read()).rejects.toMatchObject({ code: 'vault_corrupt' });
    await expect(vault.update((tx) => tx.put('c', 'x', 1))).rejects.toMatchObject({
      code: 'vault_corrupt',
    });
    expect(await readFile(vault.path)).toEqual(truncated);
  });

  it('reports a tampered record and still reads every other one', async () => {
    const vault = await seeded();
    const doc = JSON.parse(await readFile(vault.path, 'utf8'));
    const ct = Buffer.from(doc.secrets['tokens:a2'].ct, 'base64');
    ct[0] ^= 0x01;
    doc.secrets['tokens:a2'].ct = ct.toString('base64');
    await writeFile(vault.path, JSON.stringify(doc));

    const logger = recordingLogger();
    const view = await (await Vault.open(root, testPassphraseSlot(), { logger })).read();
    expect(() => view.getSecret('tokens:a2')).toThrow(
      expect.objectContaining({
        code: 'vault_record_tampered',
        details: { record: 'tokens:a2' },
      }),
    );
    expect(view.getSecret('tokens:a1')).toBe('at-SECRET-one');
    expect(view.getSecret('tokens:a3')).toBe('at-SECRET-three');
    expect(logger.lines.join('\n')).toContain('tokens:a2');
    expect(logger.lines.join('\n')).not.toContain('at-SECRET');
  });

  it('reports a malformed record as tampered without failing the file', async () => {
    const vault = await seeded();
    const doc = JSON.parse(await readFile(vault.path, 'utf8'));
    doc.secrets['tokens:a2'] = { nonce: 'short', ct: 5 };
    await writeFile(vault.path, JSON.stringify(doc));
    const reopened = await Vault.open(root, testPassphraseSlot());
    const view = await reopened.read();
    expect(() => view.getSecret('tokens:a2')).toThrow(
      expect.objectContaining({ code: 'vault_record_tampered' }),
    );
    expect(view.getSecret('tokens:a1')).toBe('at-SECRET-one');
    await reopened.update((tx) => tx.putSecret('tokens:a2', 'at-SECRET-repaired'));
    expect((await reopened.read()).getSecret('tokens:a2')).toBe('at-SECRET-repaired');
  });

  it('fails a ciphertext moved to another record id', async () => {
    const vault = await seeded();
    const doc = JSON.parse(await readFile(vault.path, 'utf8'));
    doc.secrets['tokens:a1'] = doc.secrets['tokens:a3'];
    await writeFile(vault.path, JSON.stringify(doc));
    const view = await (await Vault.open(root, testPassphraseSlot())).read();
    expect(() => view.getSecret('tokens:a1')).toThrow(
      expect.objectContaining({ code: 'vault_record_tampered', details: { record: 'tokens:a1' } }),
    );
    expect(view.getSecret('tokens:a3')).toBe('at-SECRET-three');
  });

  it('fails a ciphertext moved from another vault with the same key slot passphrase', async () => {
    const vault = await seeded();
    const otherDir = join(root, 'other');
    const other = await Vault.create(otherDir, testPassphraseSlot());
    await other.update((tx) => tx.putSecret('tokens:a1', 'at-SECRET-other'));
    const doc = JSON.parse(await readFile(vault.path, 'utf8'));
    const otherDoc = JSON.parse(await readFile(other.path, 'utf8'));
    doc.secrets['tokens:a1'] = otherDoc.secrets['tokens:a1'];
    await writeFile(vault.path, JSON.stringify(doc));
    const view = await (await Vault.open(root, testPassphraseSlot())).read();
    expect(() => view.getSecret('tokens:a1')).toThrow(
      expect.objectContaining({ code: 'vault_record_tampered' }),
    );
  });

  it('never overwrites an existing file on create', async () => {
    const vault = await seeded();
    const before = await readFile(vault.path);
    await expect(Vault.create(root, testPassphraseSlot('other'))).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(await readFile(vault.path)).toEqual(before);
    const dirAtPath = join(root, 'dir-case');
    await mkdir(join(dirAtPath, VAULT_FILE), { recursive: true });
    await expect(Vault.create(dirAtPath, testPassphraseSlot())).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('refuses to write over a file replaced by a different vault', async () => {
    const vault = await seeded();
    const otherDir = join(root, 'other');
    const other = await Vault.create(otherDir, testPassphraseSlot());
    const otherBytes = await readFile(other.path);
    await writeFile(vault.path, otherBytes);
    await expect(vault.update((tx) => tx.put('c', 'x', 1))).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(await readFile(vault.path)).toEqual(otherBytes);
  });

  it('removes temp files left by an interrupted write, and nothing else', async () => {
    const vault = await seeded();
    const leftover = `${vault.path}.99999.0123456789ab.tmp`;
    await writeFile(leftover, 'partial');
    await writeFile(join(root, 'unrelated.tmp'), 'keep');
    const reopened = await Vault.open(root, testPassphraseSlot());
    await reopened.update((tx) => tx.put('c', 'x', 1));
    expect((await readdir(root)).sort()).toEqual(['unrelated.tmp', VAULT_FILE].sort());
  });
});
