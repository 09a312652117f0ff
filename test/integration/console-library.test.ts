import { execFile, spawn } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_SCHEMAS } from '../../src-main/core/api-schemas';
import { redactString } from '../../src-main/core/log';
import type { TokendeckService } from '../../src-main/core/service';
import { failure } from '../helpers/expect-error';
import { startConsoleServer, seenHeader, type ConsoleTestServer } from '../helpers/console-server';
import { recordSecret, scannedTempDir } from '../helpers/secret-registry';
import { openTestService } from '../helpers/test-service';

/**
 * Saved requests and environments through the real service, vault and console loopback server:
 * `{{name}}` resolved in main, secrets sealed, masked and never written in clear, `$name` in a
 * curl export, nothing lost to two processes or to bad input, and all of it kept across a reopen.
 */

const run = promisify(execFile);
const WRITER = join(import.meta.dirname, '..', 'helpers', 'library-writer.ts');
const KEY = 'library-api-key-0123456789';
const SECRET = 'sk_live_LIBRARY_SECRET_5f2c9a';

let api: ConsoleTestServer;
const open: TokendeckService[] = [];

beforeAll(async () => {
  api = await startConsoleServer();
  api.validTokens.add(KEY);
  recordSecret(KEY);
  recordSecret(SECRET);
});
afterAll(async () => {
  await api.close();
});
afterEach(async () => {
  for (const service of open.splice(0)) await service.close();
});

/** A service on a new data folder with provider "shop" (an API key) and its one account. */
async function setUp(dataDir = scannedTempDir('library-')) {
  const service = await openTestService(dataDir);
  open.push(service);
  await service.saveProvider({
    profile: {
      id: 'shop',
      name: 'Shop',
      grant: 'api_key',
      client: { registration: 'static', auth: 'none' },
      use: { headerName: 'Authorization', headerPrefix: 'Bearer', apiBase: `${api.origin}/api` },
    },
  });
  const { accountId } = await service.connectAccount({ providerId: 'shop', apiKey: KEY });
  return { service, accountId, dataDir };
}

/** Awaits a call that must fail with this code, and returns the error. */
async function expectCode(promise: Promise<unknown>, code: string) {
  const error = await failure(promise);
  expect(error.code).toBe(code);
  return error;
}

async function reopen(dataDir: string): Promise<TokendeckService> {
  const service = await openTestService(dataDir);
  open.push(service);
  return service;
}

/** The text of every file below a folder: the vault, its sealed files, logs, locks. */
async function everyFile(folder: string): Promise<string> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile());
  const texts = await Promise.all(
    files.map((entry) => readFile(join(entry.parentPath, entry.name), 'utf8')),
  );
  return texts.join('\n');
}

describe('environment', () => {
  it('resolves {{name}} in main; a secret is sealed, hidden, masked in history and $name in curl', async () => {
    const { service, accountId, dataDir } = await setUp();
    await service.setEnvVariable({ providerId: 'shop', name: 'tenant', value: 'acme' });
    const set = await service.setEnvVariable({
      providerId: 'shop',
      name: 'api_secret',
      value: SECRET,
      secret: true,
    });
    expect(set).toEqual({ name: 'api_secret', secret: true, updatedAt: expect.any(Number) });
    expect(await service.listEnvVariables({ providerId: 'shop' })).toEqual([
      { name: 'api_secret', secret: true, updatedAt: expect.any(Number) },
      { name: 'tenant', secret: false, value: 'acme', updatedAt: expect.any(Number) },
    ]);

    const spec = {
      kind: 'rest' as const,
      accountId,
      method: 'POST',
      url: '/echo/{{tenant}}?s={{api_secret}}',
      headers: [['X-Secret', '{{api_secret}}']] as Array<[string, string]>,
      body: { type: 'json' as const, text: '{"tenant":"{{tenant}}","s":"{{api_secret}}"}' },
    };
    const response = await service.sendRequest({ ...spec, requestId: 'lib-1' });
    const seen = api.requests.at(-1)!;
    expect(seen.path).toBe(`/api/echo/acme?s=${SECRET}`);
    expect(seenHeader(seen, 'x-secret')).toBe(SECRET);
    expect(JSON.parse(seen.body)).toEqual({ tenant: 'acme', s: SECRET });
    // What comes back to the caller names the secret, not its value.
    expect(response.url).toBe(`${api.origin}/api/echo/acme?s={{api_secret}}`);
    const [entry] = await service.listHistory({ accountId });
    expect(entry!.request).toMatchObject({
      url: '/echo/{{tenant}}?s={{api_secret}}',
      headers: [['X-Secret', '{{api_secret}}']],
    });
    expect(JSON.stringify(await service.listHistory({ accountId }))).not.toContain(SECRET);

    const { command } = await service.exportCurl({ spec });
    expect(command).not.toContain(SECRET);
    expect(command).toContain(`'"$api_secret"'`);
    expect(command).toContain(`/api/echo/acme?s=`);
    // Run in a real shell, with the secret in its environment and a stub `tokendeck`.
    const { stdout } = await run(
      '/bin/sh',
      ['-c', `tokendeck() { printf %s "$KEY"; }; ${command}`],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', KEY, api_secret: SECRET } },
    );
    const viaCurl = JSON.parse(stdout) as { path: string; body: string };
    expect(viaCurl.path).toBe(`/api/echo/acme?s=${SECRET}`);
    expect(JSON.parse(viaCurl.body)).toEqual({ tenant: 'acme', s: SECRET });

    await service.close();
    open.length = 0;
    // No file holds the secret in clear: not the vault, its sealed files, nor the log.
    expect(await everyFile(dataDir)).not.toContain(SECRET);
  });

  it('refuses an unknown {{name}} with unknown_variable, sends nothing, and keeps the history', async () => {
    const { service, accountId } = await setUp();
    const before = api.requests.length;
    const error = await expectCode(
      service.sendRequest({
        kind: 'rest',
        accountId,
        method: 'GET',
        url: '/echo/{{missing}}',
        requestId: 'lib-2',
      }),
      'unknown_variable',
    );
    expect(error.message).toContain('tokendeck env set shop missing VALUE');
    expect(api.requests.length).toBe(before);
    const [entry] = await service.listHistory({ accountId });
    expect(entry).toMatchObject({ status: null, error: { code: 'unknown_variable' } });
    await expectCode(
      service.exportCurl({
        spec: { kind: 'rest', accountId, method: 'GET', url: '/{{missing}}' },
      }),
      'unknown_variable',
    );
  });

  it('sends \\{{name}} as the literal {{name}}', async () => {
    const { service, accountId } = await setUp();
    await service.setEnvVariable({ providerId: 'shop', name: 'tenant', value: 'acme' });
    const response = await service.sendRequest({
      kind: 'rest',
      accountId,
      method: 'POST',
      url: '/echo',
      body: { type: 'raw', text: 'literal \\{{tenant}} and {{tenant}}' },
      requestId: 'lib-3',
    });
    expect((JSON.parse(response.body) as { body: string }).body).toBe(
      'literal {{tenant}} and acme',
    );
  });

  it('registers a secret value with the log scrubber, and a plain one not', async () => {
    const { service } = await setUp();
    const hidden = 'zebra-harmonica-4471';
    const shown = 'walrus-trombone-9182';
    recordSecret(hidden);
    expect(redactString(`a ${hidden} b`)).toContain(hidden);
    await service.setEnvVariable({ providerId: 'shop', name: 'h', value: hidden, secret: true });
    expect(redactString(`a ${hidden} b`)).not.toContain(hidden);
    await service.setEnvVariable({ providerId: 'shop', name: 'p', value: shown });
    expect(redactString(`a ${shown} b`)).toContain(shown);
  });

  it('refuses bad names and values with typed errors and changes nothing', async () => {
    const { service } = await setUp();
    await service.setEnvVariable({ providerId: 'shop', name: 'keep', value: 'kept' });
    for (const name of ['1abc', 'has-dash', 'a b', '', 'x'.repeat(65), '{{x}}']) {
      await expectCode(
        service.setEnvVariable({ providerId: 'shop', name, value: 'v' }),
        'invalid_input',
      );
      expect(
        CONTRACT_SCHEMAS.setEnvVariable.safeParse({ providerId: 'shop', name, value: 'v' }).success,
      ).toBe(false);
    }
    await expectCode(
      service.setEnvVariable({ providerId: 'shop', name: 'big', value: 'x'.repeat(16_385) }),
      'invalid_input',
    );
    await expectCode(
      service.setEnvVariable({ providerId: 'shop', name: 'nul', value: 'a\0b' }),
      'invalid_input',
    );
    await expectCode(
      service.setEnvVariable({ providerId: 'nope', name: 'x', value: 'v' }),
      'not_found',
    );
    await expectCode(service.unsetEnvVariable({ providerId: 'shop', name: 'absent' }), 'not_found');
    expect(await service.listEnvVariables({ providerId: 'shop' })).toEqual([
      { name: 'keep', secret: false, value: 'kept', updatedAt: expect.any(Number) },
    ]);
  });

  it('keeps a secret secret when set again without saying, and makes it plain only when told', async () => {
    const { service } = await setUp();
    await service.setEnvVariable({ providerId: 'shop', name: 's', value: SECRET, secret: true });
    await service.setEnvVariable({ providerId: 'shop', name: 's', value: `${SECRET}-2` });
    expect((await service.listEnvVariables({ providerId: 'shop' }))[0]).toMatchObject({
      secret: true,
    });
    await service.setEnvVariable({ providerId: 'shop', name: 's', value: 'public', secret: false });
    expect((await service.listEnvVariables({ providerId: 'shop' }))[0]).toMatchObject({
      secret: false,
      value: 'public',
    });
  });
});

describe('saved requests', () => {
  const rest = { kind: 'rest' as const, method: 'GET', url: '/echo/one' };
  const graphql = {
    kind: 'graphql' as const,
    query: 'query Me { me { id } }',
    variables: { a: 1 },
  };

  it('saves REST and GraphQL, refuses a taken name unless overwrite, renames and deletes', async () => {
    const { service } = await setUp();
    await service.saveRequest({ providerId: 'shop', name: 'One', request: rest });
    await service.saveRequest({ providerId: 'shop', name: 'Me', request: graphql });
    const conflict = await expectCode(
      service.saveRequest({ providerId: 'shop', name: 'one', request: graphql }),
      'conflict',
    );
    expect(conflict.message).toContain('--overwrite');
    expect((await service.listSavedRequests({ providerId: 'shop' })).map((i) => i.name)).toEqual([
      'Me',
      'One',
    ]);
    const list = await service.listSavedRequests({ providerId: 'shop' });
    expect(list.find((item) => item.name === 'One')!.request).toEqual(rest);
    expect(list.find((item) => item.name === 'Me')!.request).toEqual(graphql);

    const optedIn = { ...rest, allowForeignOrigin: true, locationTrusted: true };
    const kept = await service.saveRequest({ providerId: 'shop', name: 'Opt', request: optedIn });
    expect(kept.request).toEqual(rest);
    await service.deleteSavedRequest({ providerId: 'shop', name: 'Opt' });

    const replaced = await service.saveRequest({
      providerId: 'shop',
      name: 'One',
      request: { ...rest, url: '/echo/two' },
      overwrite: true,
    });
    expect(replaced.request).toMatchObject({ url: '/echo/two' });
    await expectCode(
      service.renameSavedRequest({ providerId: 'shop', name: 'One', newName: 'me' }),
      'conflict',
    );
    await service.renameSavedRequest({ providerId: 'shop', name: 'One', newName: 'Two' });
    await expectCode(
      service.renameSavedRequest({ providerId: 'shop', name: 'One', newName: 'Three' }),
      'not_found',
    );
    await service.deleteSavedRequest({ providerId: 'shop', name: 'Me' });
    await expectCode(service.deleteSavedRequest({ providerId: 'shop', name: 'Me' }), 'not_found');
    expect(await service.listSavedRequests({ providerId: 'shop' })).toEqual([
      {
        name: 'Two',
        request: { ...rest, url: '/echo/two' },
        createdAt: expect.any(Number),
        updatedAt: expect.any(Number),
      },
    ]);
  });

  it('refuses bad names, a spec with an account, and an oversize collection, losing nothing', async () => {
    const { service, accountId } = await setUp();
    await service.saveRequest({ providerId: 'shop', name: 'Keep', request: rest });
    for (const name of ['', ' lead', 'trail ', 'a/b', '../x', 'x'.repeat(65), 'tab\there']) {
      await expectCode(
        service.saveRequest({ providerId: 'shop', name, request: rest }),
        'invalid_input',
      );
      expect(
        CONTRACT_SCHEMAS.saveRequest.safeParse({ providerId: 'shop', name, request: rest }).success,
      ).toBe(false);
    }
    const withAccount = { providerId: 'shop', name: 'A', request: { ...rest, accountId } };
    expect(CONTRACT_SCHEMAS.saveRequest.safeParse(withAccount).success).toBe(false);
    await expectCode(
      service.saveRequest({ providerId: 'nope', name: 'A', request: rest }),
      'not_found',
    );
    // Four bodies of 1 MB fit in the 4 MiB cap; the fifth does not, and the four stay.
    const big = {
      kind: 'rest' as const,
      method: 'POST',
      url: '/echo',
      body: { type: 'raw' as const, text: 'x'.repeat(1_000_000) },
    };
    for (const n of [1, 2, 3, 4]) {
      await service.saveRequest({ providerId: 'shop', name: `Big ${n}`, request: big });
    }
    const tooLarge = await expectCode(
      service.saveRequest({ providerId: 'shop', name: 'Big 5', request: big }),
      'invalid_input',
    );
    expect(tooLarge.details.reason).toBe('too_large');
    expect((await service.listSavedRequests({ providerId: 'shop' })).map((i) => i.name)).toEqual([
      'Big 1',
      'Big 2',
      'Big 3',
      'Big 4',
      'Keep',
    ]);
  });

  it('a saved request runs as an account of its provider, with the environment resolved', async () => {
    const { service, accountId } = await setUp();
    await service.setEnvVariable({ providerId: 'shop', name: 'tenant', value: 'acme' });
    await service.saveRequest({
      providerId: 'shop',
      name: 'Tenant',
      request: { kind: 'rest', method: 'GET', url: '/echo/{{tenant}}' },
    });
    const [saved] = await service.listSavedRequests({ providerId: 'shop' });
    const response = await service.sendRequest({
      ...saved!.request,
      accountId,
      requestId: 'lib-saved',
    });
    expect(response.status).toBe(200);
    expect(api.requests.at(-1)!.path).toBe('/api/echo/acme');
  });
});

describe('on disk', () => {
  it('keeps both across a reopen, and removing the provider removes both', async () => {
    const { service, dataDir } = await setUp();
    await service.saveRequest({
      providerId: 'shop',
      name: 'One',
      request: { kind: 'rest', method: 'GET', url: '/x' },
    });
    await service.setEnvVariable({
      providerId: 'shop',
      name: 'api_secret',
      value: SECRET,
      secret: true,
    });
    await service.close();
    open.length = 0;

    const again = await reopen(dataDir);
    expect((await again.listSavedRequests({ providerId: 'shop' })).map((i) => i.name)).toEqual([
      'One',
    ]);
    expect(await again.listEnvVariables({ providerId: 'shop' })).toEqual([
      { name: 'api_secret', secret: true, updatedAt: expect.any(Number) },
    ]);
    const files = await readdir(dataDir, { recursive: true });
    expect(files).toEqual(
      expect.arrayContaining([join('requests', 'shop.json'), join('environments', 'shop.json')]),
    );

    const [account] = await again.listAccounts();
    await again.removeAccount({ accountId: account!.id });
    await again.removeProvider({ id: 'shop' });
    const after = await readdir(dataDir, { recursive: true });
    expect(after).not.toContain(join('requests', 'shop.json'));
    expect(after).not.toContain(join('environments', 'shop.json'));
  });

  it('two processes saving at once lose nothing', async () => {
    const { service, dataDir } = await setUp();
    await service.close();
    open.length = 0;
    const workers = ['alpha', 'beta'].map((name) => startWriter(dataDir, name, 15));
    await Promise.all(workers.map((worker) => worker.ready));
    for (const worker of workers) worker.go();
    for (const result of await Promise.all(workers.map((worker) => worker.exit))) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
    const again = await reopen(dataDir);
    expect(await again.listSavedRequests({ providerId: 'shop' })).toHaveLength(30);
    expect(await again.listEnvVariables({ providerId: 'shop' })).toHaveLength(30);
  });
});

function startWriter(dataDir: string, name: string, count: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir, name, String(count)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const ready = new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line === 'ready') resolve();
    });
    child.on('close', () => reject(new Error(`${name} exited before it was ready: ${stderr}`)));
  });
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
  return { ready, go: () => child.stdin.end('go\n'), exit };
}
