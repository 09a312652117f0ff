import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserUser } from '../helpers/browser-user';
import { scannedTempDir } from '../helpers/secret-registry';
import { tokendeck, tokendeckOk, type CliResult } from '../helpers/cli';
import { freePort } from '../helpers/free-port';
import { EXIT } from '../../src-main/cli/exit-codes';
import { ATTENTIVE_PATHS, ATTENTIVE_SCOPES, startAttentive } from '../helpers/servers/attentive';
import {
  EVENTBOOKINGS_AUTH_HEADER,
  EVENTBOOKINGS_PATHS,
  startEventBookings,
} from '../helpers/servers/eventbookings';
import { PHP_API_PATHS, startPhpApi } from '../helpers/servers/php-api';

/**
 * Accounts are who the provider says they are (issue 9), through the real `tokendeck` command
 * against the loopback stand-ins, with providers made by hand as a new user would make them.
 */

type BrowserUser = Awaited<ReturnType<typeof createBrowserUser>>;
interface AccountRow {
  id: string;
  provider: string;
  label: string;
  subject: string | null;
  identifiedBy: string | null;
  isDefault: boolean;
  possibleDuplicates: string[];
  namingProblem?: string;
  status: string;
}

let browser: BrowserUser;
let root: string;
let counter = 0;
const freshDataDir = () => join(root, `data-${++counter}`);

beforeAll(async () => {
  browser = await createBrowserUser();
  root = scannedTempDir('tokendeck-cli-identity-');
});

afterAll(async () => {
  await browser?.close();
});

async function accounts(dataDir: string): Promise<AccountRow[]> {
  return JSON.parse(await tokendeckOk(['accounts', '--json'], { dataDir })) as AccountRow[];
}

/** Connects through the browser and returns the account id the command printed. */
async function connect(dataDir: string, args: string[]): Promise<string> {
  const result = await tokendeck(['connect', ...args, '--no-browser', '--json'], {
    dataDir,
    onUrl: (url) => void browser.open(url),
  });
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { id: string }).id;
}

/** The last line of a failed command's stderr, after checking its exit code (see exit-codes.ts). */
function lastErrorLine(result: CliResult, code: number): string {
  expect(result.code, result.stderr).toBe(code);
  return result.stderr.trim().split('\n').at(-1)!;
}

describe('a hand-made code-flow provider with a client secret, a fixed redirect and no who-am-I', () => {
  it('makes one account per sign-in, reconnects a chosen one, and resolves names safely', async () => {
    const port = await freePort();
    const redirectUri = `http://127.0.0.1:${port}/callback`;
    const client = {
      clientId: 'hand-made-app',
      clientSecret: 'hand-made-secret-0123456789',
      redirectUri,
      scopes: [...ATTENTIVE_SCOPES],
    };
    const server = await startAttentive({
      clients: [client],
      company: { id: 'co-a', name: 'Company A' },
    });
    const dataDir = freshDataDir();
    const me = async (token: string) =>
      (await fetch(`${server.url}${ATTENTIVE_PATHS.me}`, {
        headers: { authorization: `Bearer ${token}` },
      }).then((response) => response.json())) as { companyId?: string };
    try {
      await tokendeckOk(
        [
          'provider',
          'add',
          'shop',
          '--authorization-url',
          `${server.url}${ATTENTIVE_PATHS.authorize}`,
          '--token-url',
          `${server.url}${ATTENTIVE_PATHS.token}`,
          '--client-id',
          client.clientId,
          '--client-secret-stdin',
          '--client-auth',
          'client_secret_post',
          '--redirect-uri',
          redirectUri,
          '--scope',
          ATTENTIVE_SCOPES.join(' '),
          '--ignore-id-token',
        ],
        { dataDir, stdin: client.clientSecret },
      );

      // Two sign-ins by two companies: nothing proves who they are, so two accounts.
      const first = await connect(dataDir, ['shop']);
      server.setCompany({ id: 'co-b', name: 'Company B' });
      const second = await connect(dataDir, ['shop']);
      expect(second).not.toBe(first);
      for (const id of [first, second]) expect(id).toMatch(/^shop-[a-z2-7]{20}$/);
      const listed = await accounts(dataDir);
      expect(listed.map((a) => [a.id, a.label, a.subject]).sort()).toEqual(
        [
          [first, 'shop account 1', null],
          [second, 'shop account 2', null],
        ].sort(),
      );
      const tokenA = (await tokendeckOk(['token', first], { dataDir })).trim();
      const tokenB = (await tokendeckOk(['token', second], { dataDir })).trim();
      expect((await me(tokenA)).companyId).toBe('co-a');
      expect((await me(tokenB)).companyId).toBe('co-b');

      // The provider's name now means two accounts: a usage error that lists them.
      const ambiguous = lastErrorLine(await tokendeck(['token', 'shop'], { dataDir }), EXIT.usage);
      expect(ambiguous).toContain(first);
      expect(ambiguous).toContain(second);
      expect(ambiguous).toContain('tokendeck default <account>');

      // Reconnecting the first account, explicitly, updates it and adds none.
      server.setCompany({ id: 'co-a', name: 'Company A' });
      expect(await connect(dataDir, ['shop', '--account', first])).toBe(first);
      expect(await accounts(dataDir)).toHaveLength(2);
      const renewedA = (await tokendeckOk(['token', first], { dataDir })).trim();
      expect(renewedA).not.toBe(tokenA);
      expect((await me(renewedA)).companyId).toBe('co-a');
      expect((await tokendeckOk(['token', second], { dataDir })).trim()).toBe(tokenB);

      // A default makes the provider's name usable in scripts again; a label names one too.
      await tokendeckOk(['default', second], { dataDir });
      expect((await tokendeckOk(['token', 'shop'], { dataDir })).trim()).toBe(tokenB);
      await tokendeckOk(['rename', first, 'Company A'], { dataDir });
      expect((await tokendeckOk(['token', 'Company A'], { dataDir })).trim()).toBe(renewedA);
      const renamed = (await accounts(dataDir)).find((a) => a.id === first)!;
      expect(renamed).toMatchObject({ label: 'Company A', isDefault: false });
    } finally {
      await server.close();
    }
  });
});

describe('a plain-JSON userinfo without sub', () => {
  it('names the account from --userinfo-url alone, and later when the first call failed', async () => {
    const clientId = 'php-client';
    const clientSecret = 'php-client-secret-7777777';
    const server = await startPhpApi({ clientId, clientSecret });
    const dataDir = freshDataDir();
    try {
      await tokendeckOk(
        [
          'provider',
          'add',
          'php',
          '--authorization-url',
          `${server.url}${PHP_API_PATHS.authorize}`,
          '--token-url',
          `${server.url}${PHP_API_PATHS.token}`,
          '--userinfo-url',
          `${server.url}${PHP_API_PATHS.userinfo}`,
          '--client-id',
          clientId,
          '--client-secret-stdin',
          '--client-auth',
          'client_secret_post',
        ],
        { dataDir, stdin: clientSecret },
      );
      const id = await connect(dataDir, ['php']);
      expect(await accounts(dataDir)).toEqual([
        expect.objectContaining({
          id,
          label: 'John Doe',
          subject: 'johndoe',
          identifiedBy: 'username',
        }),
      ]);
      // The same user again is the same account: the provider proved it.
      expect(await connect(dataDir, ['php'])).toBe(id);

      // The who-am-I call fails: the tokens are kept, unnamed, and named on the next use.
      const other = freshDataDir();
      const file = join(root, 'php-provider.json');
      writeFileSync(file, await tokendeckOk(['provider', 'export', 'php'], { dataDir }));
      await tokendeckOk(['provider', 'add', 'php', '--from-file', file, '--client-secret-stdin'], {
        dataDir: other,
        stdin: clientSecret,
      });
      server.limitUserinfo(1, 1);
      const unnamed = await tokendeck(['connect', 'php', '--no-browser', '--json'], {
        dataDir: other,
        onUrl: (url) => void browser.open(url),
      });
      expect(unnamed.code, unnamed.stderr).toBe(0);
      expect(unnamed.stderr).toMatch(
        /note: Could not name this account: HTTP 429, retry after 1 s/,
      );
      const [stored] = await accounts(other);
      expect(stored).toMatchObject({ label: 'php account 1', subject: null });
      expect(stored!.namingProblem).toMatch(/HTTP 429/);
      await new Promise((resolve) => setTimeout(resolve, 1200));
      await tokendeckOk(['token', 'php'], { dataDir: other });
      const [named] = await accounts(other);
      expect(named).toMatchObject({ id: stored!.id, label: 'John Doe', subject: 'johndoe' });
      expect(named!.namingProblem).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});

describe('a hand-made JSON-body client-credentials provider without token_type', () => {
  it('connects, calls the API, and renews after expires_in', async () => {
    const client = { client_id: 'eb-hand', client_secret: 'eb-hand-secret-13579' };
    const server = await startEventBookings({ clients: [client], expiresIn: 1 });
    const dataDir = freshDataDir();
    try {
      await tokendeckOk(
        [
          'provider',
          'add',
          'eb',
          '--grant',
          'client_credentials',
          '--token-url',
          `${server.url}${EVENTBOOKINGS_PATHS.token}`,
          '--client-id',
          client.client_id,
          '--client-secret-stdin',
          '--client-auth',
          'json',
          '--header',
          EVENTBOOKINGS_AUTH_HEADER,
          '--api-base',
          server.url,
        ],
        { dataDir, stdin: client.client_secret },
      );
      await tokendeckOk(['connect', 'eb'], { dataDir });
      const [account] = await accounts(dataDir);
      expect(account).toMatchObject({ label: client.client_id, identifiedBy: 'client id' });
      const first = (await tokendeckOk(['token', 'eb'], { dataDir })).trim();
      const events = await tokendeck(
        ['request', 'eb', 'GET', EVENTBOOKINGS_PATHS.events, '--fail'],
        {
          dataDir,
        },
      );
      expect(events.code, events.stderr).toBe(0);
      expect(server.wrongHeaderSpelling).toBe(0);

      await new Promise((resolve) => setTimeout(resolve, 1200));
      const renewed = (await tokendeckOk(['token', 'eb'], { dataDir })).trim();
      expect(renewed).not.toBe(first);
      expect(server.formRejected).toBe(0);
      const log = readFileSync(join(dataDir, 'logs', 'cli.log'), 'utf8');
      expect(log).toMatch(/no token_type/);
    } finally {
      await server.close();
    }
  });
});

describe('an edit of the token URL on a provider with accounts', () => {
  it('never sends the old secret or tokens to the new URL', async () => {
    const oldSecret = 'old-server-secret-24680';
    const newSecret = 'new-server-secret-97531';
    const oldServer = await startEventBookings({
      clients: [{ client_id: 'moving', client_secret: oldSecret }],
    });
    const newServer = await startEventBookings({
      clients: [{ client_id: 'moving', client_secret: newSecret }],
    });
    const dataDir = freshDataDir();
    const file = join(dataDir, 'moving.json');
    try {
      await tokendeckOk(
        [
          'provider',
          'add',
          'moving',
          '--grant',
          'client_credentials',
          '--token-url',
          `${oldServer.url}${EVENTBOOKINGS_PATHS.token}`,
          '--client-id',
          'moving',
          '--client-secret-stdin',
          '--client-auth',
          'json',
        ],
        { dataDir, stdin: oldSecret },
      );
      await tokendeckOk(['connect', 'moving'], { dataDir });
      const [account] = await accounts(dataDir);
      const oldToken = (await tokendeckOk(['token', 'moving'], { dataDir })).trim();
      const oldBody = JSON.parse(oldServer.received.at(-1)!.body) as { client_secret: string };
      expect(oldBody.client_secret).toBe(oldSecret);
      writeFileSync(file, await tokendeckOk(['provider', 'export', 'moving'], { dataDir }));
      const exported = readFileSync(file, 'utf8');
      expect(exported).not.toContain(oldSecret);
      const move = [
        'provider',
        'add',
        'moving',
        '--from-file',
        file,
        '--token-url',
        `${newServer.url}${EVENTBOOKINGS_PATHS.token}`,
        '--replace',
      ];

      // Without --yes (and no terminal to ask) nothing changes, and the user is told why.
      const refused = lastErrorLine(await tokendeck(move, { dataDir }), EXIT.usage);
      expect(refused).toContain('1 account will need to connect again');
      expect(refused).toContain('the client secret must be entered again');
      expect(refused).toContain('--yes');
      expect(await tokendeckOk(['provider', 'export', 'moving'], { dataDir })).toBe(exported);

      const moved = await tokendeck([...move, '--yes'], { dataDir });
      expect(moved.code, moved.stderr).toBe(0);
      expect(moved.stderr).toContain('note: Changing endpoints.token');
      expect((await accounts(dataDir))[0]).toMatchObject({
        id: account!.id,
        status: 'needs-reauth',
      });
      const stale = lastErrorLine(
        await tokendeck(['token', 'moving'], { dataDir }),
        EXIT.needsUser,
      );
      expect(stale).toContain(`tokendeck connect moving --account ${account!.id}`);
      const noSecret = lastErrorLine(
        await tokendeck(['connect', 'moving'], { dataDir }),
        EXIT.error,
      );
      expect(noSecret).toContain('--client-secret-stdin');
      expect(newServer.received).toEqual([]);

      await tokendeckOk([...move, '--client-secret-stdin'], { dataDir, stdin: newSecret });
      expect(await connect(dataDir, ['moving'])).toBe(account!.id);
      const sentToNew = JSON.stringify(newServer.received);
      expect(newServer.received.length).toBeGreaterThan(0);
      for (const old of [oldSecret, oldToken]) expect(sentToNew).not.toContain(old);
      const requestsToOld = oldServer.received.length;
      expect((await tokendeckOk(['token', 'moving'], { dataDir })).trim()).not.toBe(oldToken);
      expect(oldServer.received).toHaveLength(requestsToOld);
    } finally {
      await oldServer.close();
      await newServer.close();
    }
  });
});

describe('resolving an account name', () => {
  it('never lets a label a server chose take a provider’s name', async () => {
    const ownKey = 'own-github-api-key-0000';
    const foreignKey = 'attentive-named-github-1111';
    const server = await startAttentive({
      apiKeys: [foreignKey],
      company: { id: 'co-9', name: 'github' },
    });
    const dataDir = freshDataDir();
    try {
      await tokendeckOk(['provider', 'add', 'github', '--grant', 'api_key'], { dataDir });
      await tokendeckOk(['connect', 'github', '--api-key-stdin'], { dataDir, stdin: ownKey });
      await tokendeckOk(
        ['provider', 'add', 'att', '--preset', 'attentive-private', '--base-url', server.url],
        { dataDir },
      );
      await tokendeckOk(['connect', 'att', '--api-key-stdin'], { dataDir, stdin: foreignKey });
      expect((await accounts(dataDir)).map((a) => a.label).sort()).toEqual([
        'github',
        'github account 1',
      ]);
      expect((await tokendeckOk(['token', 'github'], { dataDir })).trim()).toBe(ownKey);
    } finally {
      await server.close();
    }
  });
});
