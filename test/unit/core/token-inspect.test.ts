import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectToken } from '../../../src-main/core/token-inspect';

let server: Server;
let jwksUri: string;
let privateKey: CryptoKey;
let otherKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  privateKey = pair.privateKey;
  otherKey = (await generateKeyPair('ES256')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function sign(key: CryptoKey, kid = 'k1') {
  return new SignJWT({ scope: 'read write', sub: 'alice' })
    .setProtectedHeader({ alg: 'ES256', kid })
    .setIssuedAt(1_700_000_000)
    .setExpirationTime(1_700_003_600)
    .setAudience('https://api.example.test')
    .sign(key);
}

describe('token inspection', () => {
  it('decodes a JWT and checks its signature against the JWKS, even when expired', async () => {
    const result = await inspectToken(await sign(privateKey), jwksUri);
    expect(result).toMatchObject({
      kind: 'jwt',
      header: { alg: 'ES256', kid: 'k1' },
      claims: { sub: 'alice', aud: 'https://api.example.test', exp: 1_700_003_600 },
      signature: { state: 'valid', alg: 'ES256', keyId: 'k1' },
    });
  });

  it('says when the signature does not match', async () => {
    const result = await inspectToken(await sign(otherKey), jwksUri);
    expect(result).toMatchObject({ kind: 'jwt', signature: { state: 'invalid' } });
  });

  it('leaves the signature unchecked without a key set, or for a shared-secret JWT', async () => {
    expect(await inspectToken(await sign(privateKey))).toMatchObject({
      signature: { state: 'unchecked', reason: expect.stringContaining('jwks_uri') },
    });
    const hs = await new SignJWT({ sub: 'a' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('0123456789abcdef0123456789abcdef'));
    expect(await inspectToken(hs, jwksUri)).toMatchObject({
      signature: { state: 'unchecked', reason: expect.stringContaining('HS256') },
    });
  });

  it('calls anything else opaque', async () => {
    expect(await inspectToken('gho_16C7e42F292c6912E7710c838347Ae178B4a')).toEqual({
      kind: 'opaque',
    });
    expect(await inspectToken('a.b.c')).toEqual({ kind: 'opaque' });
  });
});
