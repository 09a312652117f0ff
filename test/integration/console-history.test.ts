import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RequestRunner,
  createHistoryStore,
  moveVaultHistory,
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
import {
  HISTORY_BYTES_LIMIT,
  HISTORY_HEADER_LIMIT,
  HISTORY_HEADER_VALUE_LIMIT,
  HISTORY_TEXT_LIMIT,
} from '../../src-main/core/console/history-entry';

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

describe('history beside the vault', () => {
  it('is sealed on disk, off the vault file: no file holds a trace of a body or header', async () => {
    const { vault, file } = await newVault('vault-a');
    const history = createHistoryStore(vault);
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
    expect(reader.hasSecret(historyRecord('acct-1'))).toBe(false);
    expect(await readdir(join(file, '..', 'history'))).toEqual(['acct-1.json']);
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
    const history = createHistoryStore(vault);
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

  it('caps each entry and each account in bytes, and the vault file does not grow', async () => {
    const { vault, file } = await newVault('vault-caps');
    const history = createHistoryStore(vault);
    const runner = new RequestRunner({
      tokens: countingTokenSource(['token-history-123']),
      context: contextLookup(ctx),
      history,
    });
    const before = (await readFile(file)).length;
    const big = 'h'.repeat(8000);
    const headers: Array<[string, string]> = Array.from({ length: 60 }, (_, i) => [`X-H${i}`, big]);
    for (let index = 0; index < 40; index += 1) {
      await runner.send({
        kind: 'rest',
        accountId: 'acct-1',
        method: 'POST',
        url: '/echo',
        headers,
        body: { type: 'raw', text: 'b'.repeat(100_000) },
      });
    }
    const entries = await history.list('acct-1');
    const [newest] = entries;
    expect(newest!.requestTruncated).toBe(true);
    expect(newest!.request.headers).toHaveLength(HISTORY_HEADER_LIMIT);
    expect(newest!.request.headers![0]![1]).toHaveLength(HISTORY_HEADER_VALUE_LIMIT);
    expect(newest!.request.kind === 'rest' && newest!.request.body?.text).toHaveLength(
      HISTORY_TEXT_LIMIT,
    );
    expect(Buffer.byteLength(JSON.stringify(entries))).toBeLessThanOrEqual(HISTORY_BYTES_LIMIT);
    expect(entries.length).toBeLessThan(40);
    expect((await readFile(file)).length).toBe(before);
  });

  it('moves history an earlier version kept in the vault file out of it', async () => {
    const { vault, file } = await newVault('vault-legacy');
    const old = [
      {
        id: 'old-1',
        at: 5,
        request: { kind: 'rest', accountId: 'acct-1', method: 'GET', url: '/old' },
        status: 200,
        size: 1,
        totalMs: 1,
      },
    ];
    await vault.update((tx) => tx.putSecret(historyRecord('acct-1'), JSON.stringify(old)));
    await moveVaultHistory(vault, ['acct-1']);
    expect((await vault.read()).hasSecret(historyRecord('acct-1'))).toBe(false);
    expect(await readFile(file, 'utf8')).not.toContain('history:');
    expect(await createHistoryStore(vault).list('acct-1')).toEqual(old);
  });

  it('reports a record that does not parse as vault_corrupt and keeps it', async () => {
    const { vault } = await newVault('vault-c');
    await vault.update((tx) => tx.putSecret(historyRecord('acct-1'), 'not json'));
    const history = createHistoryStore(vault);
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
