import { join } from 'node:path';
import { EXIT } from '../../src-main/cli/exit-codes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserUser, type BrowserUser } from '../helpers/browser-user';
import { tokendeck, tokendeckOk } from '../helpers/cli';
import { scannedTempDir } from '../helpers/secret-registry';
import { startProtocolServer, type ProtocolServer } from '../helpers/servers/oidc-protocols';

/**
 * Token exchange (RFC 8693) through the real `tokendeck` command, against node-oidc-provider with
 * a token exchange grant registered by the test: `exchange` stores a child account that renews by
 * exchanging again, needs the user when its parent does, and goes when its parent is removed.
 */

let browser: BrowserUser;
let server: ProtocolServer;
let root: string;
const AUDIENCE = 'https://downstream.example';

beforeAll(async () => {
  browser = await createBrowserUser({ login: 'eve' });
  server = await startProtocolServer();
  root = scannedTempDir('tokendeck-cli-exchange-');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Listed {
  id: string;
  status: string;
}

async function connectParent(dataDir: string): Promise<string> {
  await tokendeckOk(
    [
      'provider',
      'add',
      'ex',
      '--issuer',
      server.issuer,
      '--client-id',
      'exchanger',
      '--scope',
      'openid offline_access',
      '--authorize-param',
      'prompt=consent',
    ],
    { dataDir },
  );
  const connected = await tokendeck(['connect', 'ex', '--no-browser', '--json'], {
    dataDir,
    onUrl: (url) => void browser.open(url),
  });
  expect(connected.code, connected.stderr).toBe(0);
  await browser.settled();
  return (JSON.parse(connected.stdout) as { id: string }).id;
}

const accounts = async (dataDir: string) =>
  JSON.parse(await tokendeckOk(['accounts', '--json'], { dataDir })) as Listed[];

describe('tokendeck exchange', () => {
  it('stores a child that renews by exchanging again, and goes with its parent', async () => {
    const dataDir = join(root, 'child');
    const parentId = await connectParent(dataDir);

    const made = JSON.parse(
      await tokendeckOk(['exchange', 'ex', '--audience', AUDIENCE, '--scope', 'openid', '--json'], {
        dataDir,
      }),
    ) as { id: string; parent: string; audience: string; scopes: string[] };
    expect(made).toMatchObject({ parent: parentId, audience: AUDIENCE, scopes: ['openid'] });
    expect(server.exchanges).toHaveLength(1);
    expect(server.exchanges[0]).toMatchObject({ audience: AUDIENCE, subject: 'eve' });

    const child = JSON.parse(await tokendeckOk(['token', made.id, '--json'], { dataDir })) as {
      accessToken: string;
    };
    expect(child.accessToken).toBe(server.exchanges[0]!.token);

    // Renewal exchanges the parent's token again; the child has no refresh token of its own.
    const renewed = (
      await tokendeckOk(['token', made.id, '--min-ttl', '7200'], { dataDir })
    ).trim();
    expect(server.exchanges).toHaveLength(2);
    expect(renewed).toBe(server.exchanges[1]!.token);

    // The same exchange again refreshes that child instead of making a second one.
    await tokendeckOk(['exchange', 'ex', '--audience', AUDIENCE, '--scope', 'openid'], { dataDir });
    expect((await accounts(dataDir)).map((account) => account.id).sort()).toEqual(
      [parentId, made.id].sort(),
    );

    // Removing the parent removes the child too, revoking its token.
    const current = server.exchanges.at(-1)!.token;
    const valid = await fetch(`${server.issuer}/me`, {
      headers: { authorization: `Bearer ${current}` },
    });
    expect(valid.status).toBe(200);
    await tokendeckOk(['remove', parentId, '--yes'], { dataDir });
    expect(await accounts(dataDir)).toEqual([]);
    const revoked = await fetch(`${server.issuer}/me`, {
      headers: { authorization: `Bearer ${current}` },
    });
    expect(revoked.status).toBe(401);
  });

  it('makes the child need the user when its parent does, naming the parent', async () => {
    const dataDir = join(root, 'reauth');
    const parentId = await connectParent(dataDir);
    const made = JSON.parse(
      await tokendeckOk(['exchange', parentId, '--audience', AUDIENCE, '--json'], { dataDir }),
    ) as { id: string };

    // An administrator ends the parent's grant: its refresh token stops working.
    await server.revokeGrantsOf('eve');
    const parentFails = await tokendeck(['token', parentId, '--min-ttl', '7200', '--json'], {
      dataDir,
    });
    expect(parentFails.code).toBe(EXIT.needsUser);

    const childFails = await tokendeck(['token', made.id, '--min-ttl', '7200', '--json'], {
      dataDir,
    });
    expect(childFails.code).toBe(EXIT.needsUser);
    expect(JSON.parse(childFails.stdout).message).toMatch(
      /The account this token was exchanged from \(.+\) needs you to connect it again/,
    );
    const statuses = Object.fromEntries(
      (await accounts(dataDir)).map((account) => [account.id, account.status]),
    );
    expect(statuses[made.id]).toBe('needs-reauth');
  });

  it('refuses bad requests with typed errors, storing nothing', async () => {
    const dataDir = join(root, 'bad');
    await connectParent(dataDir);
    const cases: Array<[string[], string, RegExp, number]> = [
      [['exchange', 'ex'], 'invalid_input', /exchange needs --audience AUD/, EXIT.usage],
      [['exchange', 'ex', '--audience', ' '], 'invalid_input', /audience must be/, EXIT.error],
      [
        ['exchange', 'ex', '--audience', AUDIENCE, '--resource', 'not a uri'],
        'invalid_input',
        /resource must be an absolute URI/,
        EXIT.error,
      ],
      [
        ['exchange', 'ex', '--audience', AUDIENCE, '--scope', 'a"b'],
        'invalid_input',
        /scope holds a character/,
        EXIT.error,
      ],
      [['exchange', 'nobody', '--audience', AUDIENCE], 'not_found', /./, EXIT.notFound],
    ];
    for (const [args, code, message, exit] of cases) {
      const refused = await tokendeck([...args, '--json'], { dataDir });
      expect(refused.code, args.join(' ')).toBe(exit);
      const failure = JSON.parse(refused.stdout) as { code: string; message: string };
      expect(failure.code, args.join(' ')).toBe(code);
      expect(failure.message, args.join(' ')).toMatch(message);
    }
    expect(await accounts(dataDir)).toHaveLength(1);
  });
});
