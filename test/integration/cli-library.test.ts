import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokendeck, tokendeckOk } from '../helpers/cli';
import { startConsoleServer, type ConsoleTestServer } from '../helpers/console-server';
import { recordSecret, scannedTempDir } from '../helpers/secret-registry';

/**
 * The environment and saved requests from the command line, with no app: `env set/list/unset`,
 * `request --save/--saved`, `saved list/delete`, against the console loopback server.
 */

const KEY = 'cli-library-key-0123456789';
const SECRET = 'cli-library-secret-7d1e4b';
let api: ConsoleTestServer;

beforeAll(async () => {
  api = await startConsoleServer();
  api.validTokens.add(KEY);
  recordSecret(KEY);
  recordSecret(SECRET);
});
afterAll(async () => {
  await api.close();
});

describe('tokendeck env and saved requests', () => {
  it('sets variables, saves and runs a request by name, and refuses what it must', async () => {
    const dataDir = scannedTempDir('cli-library-');
    const base = ['provider', 'add', 'k', '--grant', 'api_key', '--api-base', `${api.origin}/api`];
    await tokendeckOk(base, { dataDir });
    await tokendeckOk(['connect', 'k', '--api-key-stdin'], { dataDir, stdin: KEY });
    await tokendeckOk(['env', 'set', 'k', 'tenant', 'acme'], { dataDir });
    await tokendeckOk(['env', 'set', 'k', 'api_secret', '--secret'], { dataDir, stdin: SECRET });
    const listed = JSON.parse(await tokendeckOk(['env', 'list', 'k', '--json'], { dataDir }));
    expect(listed).toEqual([
      { name: 'api_secret', secret: true, updatedAt: expect.any(String) },
      { name: 'tenant', secret: false, value: 'acme', updatedAt: expect.any(String) },
    ]);
    expect(await tokendeckOk(['env', 'list', 'k'], { dataDir })).not.toContain(SECRET);

    const sent = await tokendeck(
      ['request', 'k', 'GET', '/echo/{{tenant}}', '-H', 'X-S: {{api_secret}}', '--save', 'Tenant'],
      { dataDir },
    );
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stderr).toContain('saved as "Tenant" for k');
    expect(JSON.parse(sent.stdout)).toMatchObject({ path: '/api/echo/acme' });
    expect(api.requests.at(-1)!.headers).toContainEqual(['X-S', SECRET]);

    // A taken name: nothing is sent and the saved request is kept.
    const before = api.requests.length;
    const taken = await tokendeck(['request', 'k', 'GET', '/echo/other', '--save', 'Tenant'], {
      dataDir,
    });
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('--overwrite');
    expect(api.requests.length).toBe(before);

    const again = await tokendeck(['request', 'k', '--saved', 'Tenant'], { dataDir });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ path: '/api/echo/acme' });

    const unknown = await tokendeck(['request', 'k', 'GET', '/echo/{{nope}}'], { dataDir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('tokendeck env set k nope VALUE');
    expect(unknown.stderr).toContain('See its variables: tokendeck env list k');

    const missing = await tokendeck(['request', 'k', '--saved', 'Nope'], { dataDir });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('tokendeck saved list k');

    const saved = JSON.parse(await tokendeckOk(['saved', 'list', 'k', '--json'], { dataDir }));
    expect(saved).toEqual([
      {
        name: 'Tenant',
        request: {
          kind: 'rest',
          method: 'GET',
          url: '/echo/{{tenant}}',
          headers: [['X-S', '{{api_secret}}']],
        },
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      },
    ]);
    await tokendeckOk(['saved', 'delete', 'k', 'Tenant'], { dataDir });
    await tokendeckOk(['env', 'unset', 'k', 'tenant'], { dataDir });
    const gone = await tokendeck(['env', 'unset', 'k', 'tenant'], { dataDir });
    expect(gone.code).toBe(3);
    const bad = await tokendeck(['env', 'set', 'k', '9lives', 'x'], { dataDir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('not a valid name');
  });
});
