import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokendeck, tokendeckOk } from '../helpers/cli';
import { scannedTempDir } from '../helpers/secret-registry';
import {
  HS_CLIENT_SECRET,
  startProtocolServer,
  type ProtocolServer,
} from '../helpers/servers/oidc-protocols';

/**
 * Client authentication by signed assertion (RFC 7523 §2.2): `private_key_jwt` with a key file
 * (PEM or JWK) sealed in the vault, and `client_secret_jwt`, through the real `tokendeck` command
 * against node-oidc-provider, which checks each assertion's signature, audience and expiry.
 */

let server: ProtocolServer;
let root: string;
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });

const publicJwk = (key: KeyObject, kid: string) => ({
  ...(key.export({ format: 'jwk' }) as Record<string, unknown>),
  kid,
  use: 'sig',
});

beforeAll(async () => {
  server = await startProtocolServer({
    clientJwks: { keys: [publicJwk(ec.publicKey, 'ec-1'), publicJwk(rsa.publicKey, 'rsa-1')] },
  });
  root = scannedTempDir('tokendeck-cli-client-jwt-');
});

afterAll(async () => {
  await server?.close();
});

function keyFile(dir: string, name: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const addJwtProvider = (dataDir: string, name: string, file: string, extra: string[] = []) =>
  tokendeck(
    [
      'provider',
      'add',
      name,
      '--issuer',
      server.issuer,
      '--grant',
      'client_credentials',
      '--client-id',
      'jwt-client',
      '--client-key-file',
      file,
      '--scope',
      'openid',
      '--json',
      ...extra,
    ],
    { dataDir },
  );

describe('private_key_jwt', () => {
  it('signs the token request with a PEM key kept sealed in the vault', async () => {
    const dataDir = join(root, 'pem');
    const pem = ec.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    const file = keyFile(join(root, 'keys'), 'ec.pem', pem);
    const added = await addJwtProvider(dataDir, 'signed', file);
    expect(added.code, added.stderr).toBe(0);

    const profile = JSON.parse(await tokendeckOk(['provider', 'export', 'signed'], { dataDir }))
      .profile as { client: Record<string, unknown> };
    expect(profile.client).toMatchObject({
      auth: 'private_key_jwt',
      key: { alg: 'ES256', thumbprint: expect.stringMatching(/^[\w-]{43}$/) },
    });
    expect(JSON.stringify(profile)).not.toMatch(/"d"/);

    const before = server.clientAuths.length;
    const connected = await tokendeck(['connect', 'signed', '--json'], { dataDir });
    expect(connected.code, connected.stderr).toBe(0);
    expect(server.clientAuths.slice(before)).toEqual(['private_key_jwt']);
    const [account] = JSON.parse(await tokendeckOk(['accounts', '--json'], { dataDir }));
    expect(account).toMatchObject({ provider: 'signed', status: 'fresh' });

    // The private key is sealed: neither the PEM nor a JWK member of it is in any file.
    const vault = readFileSync(join(dataDir, 'vault.json'), 'utf8');
    const d = (ec.privateKey.export({ format: 'jwk' }) as { d: string }).d;
    expect(vault).not.toContain(d);
    expect(vault).not.toContain('PRIVATE KEY');
  });

  it('takes a JWK file too, with its kid', async () => {
    const dataDir = join(root, 'jwk');
    const jwk = { ...(rsa.privateKey.export({ format: 'jwk' }) as object), kid: 'rsa-1' };
    const file = keyFile(join(root, 'keys'), 'rsa.jwk.json', JSON.stringify({ keys: [jwk] }));
    expect((await addJwtProvider(dataDir, 'rsa', file)).code).toBe(0);
    const profile = JSON.parse(await tokendeckOk(['provider', 'export', 'rsa'], { dataDir }))
      .profile as { client: Record<string, unknown> };
    expect(profile.client).toMatchObject({ key: { alg: 'RS256', kid: 'rsa-1' } });
    const before = server.clientAuths.length;
    await tokendeckOk(['connect', 'rsa'], { dataDir });
    expect(server.clientAuths.slice(before)).toEqual(['private_key_jwt']);
  });

  it('refuses key files that hold no usable private key, saving nothing', async () => {
    const dataDir = join(root, 'bad');
    const keys = join(root, 'bad-keys');
    const cases: Array<[string, string, RegExp]> = [
      [
        'public.pem',
        ec.publicKey.export({ format: 'pem', type: 'spki' }) as string,
        /was refused: it is not a PEM private key or a private JWK/,
      ],
      [
        'two.json',
        JSON.stringify({
          keys: [ec.privateKey.export({ format: 'jwk' }), rsa.privateKey.export({ format: 'jwk' })],
        }),
        /was refused: it holds no private JWK, or more than one/,
      ],
      ['garbage.pem', 'not a key at all', /was refused/],
      [
        'x25519.pem',
        generateKeyPairSync('x25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
        /cannot sign JWTs/,
      ],
    ];
    for (const [name, text, message] of cases) {
      const refused = await addJwtProvider(dataDir, 'bad', keyFile(keys, name, text));
      expect(refused.code, name).toBe(1);
      const failure = JSON.parse(refused.stdout) as { code: string; message: string };
      expect(failure.code, name).toBe('invalid_input');
      expect(failure.message, name).toMatch(message);
    }
    const missing = await addJwtProvider(dataDir, 'bad', join(keys, 'nowhere.pem'));
    expect(JSON.parse(missing.stdout)).toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/^--client-key-file: cannot read .*nowhere\.pem \(ENOENT\)/),
    });
    expect(JSON.parse(await tokendeckOk(['providers', '--json'], { dataDir }))).toEqual([]);
  });

  it('fails to connect with a key the server does not know, and stores no account', async () => {
    const dataDir = join(root, 'stranger');
    const pem = stranger.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    const file = keyFile(join(root, 'keys'), 'stranger.pem', pem);
    expect((await addJwtProvider(dataDir, 'wrong', file)).code).toBe(0);
    const refused = await tokendeck(['connect', 'wrong', '--json'], { dataDir });
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toMatch(/invalid_client/);
    expect(JSON.parse(await tokendeckOk(['accounts', '--json'], { dataDir }))).toEqual([]);
  });
});

describe('client_secret_jwt', () => {
  it('signs the assertion with the client secret (HS256)', async () => {
    const dataDir = join(root, 'hs');
    await tokendeckOk(
      [
        'provider',
        'add',
        'hs',
        '--issuer',
        server.issuer,
        '--grant',
        'client_credentials',
        '--client-id',
        'hs-client',
        '--client-auth',
        'client_secret_jwt',
        '--client-secret-stdin',
        '--scope',
        'openid',
      ],
      { dataDir, stdin: `${HS_CLIENT_SECRET}\n` },
    );
    const before = server.clientAuths.length;
    const connected = await tokendeck(['connect', 'hs', '--json'], { dataDir });
    expect(connected.code, connected.stderr).toBe(0);
    expect(server.clientAuths.slice(before)).toEqual(['client_secret_jwt']);
    expect(readFileSync(join(dataDir, 'vault.json'), 'utf8')).not.toContain(HS_CLIENT_SECRET);
  });
});
