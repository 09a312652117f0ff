import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RequestRunner,
  createVaultHistoryStore,
  type ConsoleContext,
} from '../../src-main/core/console';
import {
  contextLookup,
  countingTokenSource,
  testAccount,
  testProfile,
} from '../helpers/console-fixtures';
import { Vault, VAULT_FILE, createPassphraseSlot } from '../../src-main/core/vault';
import { startConsoleServer, type ConsoleTestServer } from '../helpers/console-server';
import { historyRecord } from '../../src-main/core/records';

let api: ConsoleTestServer;
let ctx: ConsoleContext;
let dir: string;

beforeAll(async () => {
  api = await startConsoleServer();
  api.validTokens.add('token-history-123');
  ctx = { account: testAccount(), profile: testProfile(api.origin) };
  dir = await mkdtemp(join(tmpdir(), 'tokendeck-console-history-'));
});

afterAll(async () => {
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

/** The text of every file under a folder (the vault, its locks, backups), joined. */
async function everyFileIn(folder: string): Promise<string> {
  const names = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = names
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
  expect(files.length).toBeGreaterThan(0);
  return (await Promise.all(files.map((path) => readFile(path, 'utf8')))).join('\n');
}

/** A real vault in its own folder, with a cheap passphrase slot so the tests stay quick. */
async function newVault(name: string): Promise<{ vault: Vault; file: string }> {
  const folder = join(dir, name);
  const vault = await Vault.create(folder, createPassphraseSlot('correct horse', { N: 2 ** 10 }));
  return { vault, file: join(folder, VAULT_FILE) };
}

describe('history in the vault', () => {
  it('is encrypted on disk: the file holds no trace of a request body or header', async () => {
    const { vault, file } = await newVault('vault-a');
    const history = createVaultHistoryStore(vault);
    const runner = new RequestRunner({
      tokens: countingTokenSource(['token-history-123']),
      context: contextLookup(ctx),
      history,
    });
    const marker = 'MARKER-7f3a9c-secret-body';
    await runner.send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'POST',
      url: '/echo',
      headers: [['X-Api-Key', 'MARKER-header-key']],
      body: { type: 'json', text: JSON.stringify({ marker }) },
    });
    await vault.update((tx) => tx.put('probe', 'p', 'PLAIN-METADATA-PROBE'));
    expect(await readFile(file, 'utf8')).toContain('PLAIN-METADATA-PROBE');
    const onDisk = await everyFileIn(join(file, '..'));
    expect(onDisk).not.toContain('MARKER');
    expect(onDisk).not.toContain('/echo');
    expect(onDisk).not.toContain('token-history-123');
    const reader = await vault.read();
    expect(reader.hasSecret(historyRecord('acct-1'))).toBe(true);
    const [entry] = await history.list('acct-1');
    expect(entry.request).toMatchObject({
      kind: 'rest',
      url: '/echo',
      body: { type: 'json', text: JSON.stringify({ marker }) },
    });
    expect(entry.status).toBe(200);
  });

  it('keeps the last 200 per account, newest first, and clears', async () => {
    const { vault } = await newVault('vault-b');
    const history = createVaultHistoryStore(vault);
    const runner = new RequestRunner({
      tokens: countingTokenSource(['token-history-123']),
      context: contextLookup(ctx),
      history,
    });
    for (let index = 0; index < 203; index += 1) {
      await runner.send(
        { kind: 'rest', accountId: 'acct-1', method: 'GET', url: `/me?n=${index}` },
        { requestId: `r${index}` },
      );
    }
    const entries = await history.list('acct-1');
    expect(entries).toHaveLength(200);
    expect(entries[0].id).toBe('r202');
    expect(entries[199].id).toBe('r3');
    expect(await history.list('acct-other')).toEqual([]);
    await history.clear('acct-1');
    expect(await history.list('acct-1')).toEqual([]);
  });

  it('reports a record that does not parse as vault_corrupt and keeps it', async () => {
    const { vault } = await newVault('vault-c');
    await vault.update((tx) => tx.putSecret(historyRecord('acct-1'), 'not json'));
    const history = createVaultHistoryStore(vault);
    await expect(history.list('acct-1')).rejects.toMatchObject({ code: 'vault_corrupt' });
    expect((await vault.read()).getSecret(historyRecord('acct-1'))).toBe('not json');
    await history.clear('acct-1');
    expect(await history.list('acct-1')).toEqual([]);
  });

  it('does not fail a send when the history cannot be written', async () => {
    const runner = new RequestRunner({
      tokens: countingTokenSource(['token-history-123']),
      context: contextLookup(ctx),
      history: {
        append: async () => {
          throw new Error('disk full');
        },
        list: async () => [],
        clear: async () => undefined,
        absorb: async () => undefined,
      },
    });
    const view = await runner.send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'GET',
      url: '/me',
    });
    expect(view.status).toBe(200);
  });
});
