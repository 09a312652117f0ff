import {
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MAX_KEPT_PER_OWNER,
  MAX_REGISTERED_SECRETS,
  createLogger,
  forgetSecretsOf,
  keepSecret,
  redact,
  redactString,
  registerSecret,
} from '../../src-main/core/log';
import { readTokens, writeTokens } from '../../src-main/core/records';
import { Vault } from '../../src-main/core/vault';
import { makeTempRoot, testPassphraseSlot } from '../helpers/vault-fixtures';

describe('the redacting logger', () => {
  it('masks values under secret keys, at any depth', () => {
    expect(
      redact({
        provider: 'x',
        access_token: 'a',
        nested: { refreshToken: 'b', client_secret: 'c', list: [{ code: 'd' }] },
      }),
    ).toEqual({
      provider: 'x',
      access_token: '[redacted]',
      nested: {
        refreshToken: '[redacted]',
        client_secret: '[redacted]',
        list: [{ code: '[redacted]' }],
      },
    });
  });

  it('masks secrets in query strings and authorization values', () => {
    expect(redactString('GET /cb?code=abc123&state=xyz789&ok=1')).toBe(
      'GET /cb?code=[redacted]&state=[redacted]&ok=1',
    );
    expect(redactString('Authorization: Bearer eyJhbGciOi.payload.sig')).toBe(
      'Authorization: Bearer [redacted]',
    );
  });

  it('scrubs every registered secret wherever it appears', () => {
    registerSecret('registered-secret-42');
    registerSecret('short');
    expect(redactString('prefix registered-secret-42 suffix')).toBe('prefix [redacted] suffix');
    expect(redactString('short stays')).toBe('short stays');
    expect(redact(new Error('failed with registered-secret-42'))).toMatchObject({
      message: 'failed with [redacted]',
    });
  });

  it('scrubs secrets that share a prefix, the longest first, anywhere in the line', () => {
    registerSecret('shared-prefix-token');
    registerSecret('shared-prefix-token-longer');
    expect(redactString('a shared-prefix-token-longer b shared-prefix-token')).toBe(
      'a [redacted] b [redacted]',
    );
    expect(redactString('shared-prefix-tok')).toBe('shared-prefix-tok');
  });

  it('remembers a bounded number of secrets, forgetting the oldest first', () => {
    registerSecret('oldest-secret-000');
    registerSecret('kept-secret-0000');
    for (let i = 0; i < MAX_REGISTERED_SECRETS - 1; i++) {
      registerSecret(`filler-secret-${i}`);
      if (i === 10) registerSecret('kept-secret-0000'); // used again: moves to the back
    }
    expect(redactString('oldest-secret-000')).toBe('oldest-secret-000');
    expect(redactString('kept-secret-0000')).toBe('[redacted]');
  });

  it('writes owner-only JSON lines without secrets, and rotates a large file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokendeck-log-'));
    const file = join(dir, 'logs', 'app.log');
    registerSecret('the-api-key-987654');
    const logger = createLogger({ file });
    logger.info('connected with the-api-key-987654', { api_key: 'x', account: 'a1' });
    logger.debug('dropped below the level');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'info',
      msg: 'connected with [redacted]',
      api_key: '[redacted]',
      account: 'a1',
    });
    if (process.platform !== 'win32') {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'logs')).mode & 0o777).toBe(0o700);
    }
    writeFileSync(file, 'x'.repeat(2048));
    createLogger({ file, maxFileBytes: 1024 }).info('fresh file');
    expect(existsSync(`${file}.1`)).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('fresh file');
  });

  it('masks secret keys in any case and by pattern, but not flags, error codes or plain fields', () => {
    expect(
      redact({
        'X-Api-Key': 'k1',
        'Set-Cookie': 'sid=1',
        COOKIE: 'sid=2',
        client_assertion: 'eyJ.a.b',
        session_token: 't1',
        'X-Auth-Token': 't2',
        ACCESS_TOKEN: 't3',
        registrationAccessToken: 't4',
        mySecretThing: 's1',
        'Proxy-Authorization': 'Basic abc',
        apiKey: 'k2',
        hasRefreshToken: true,
        tokenType: 'Bearer',
        keychain: 'libsecret',
        expiresAt: 1,
        code: 'invalid_grant',
        nested: { code: 'SplxlOBeZQQYbYS6WxSbIA' },
      }),
    ).toEqual({
      'X-Api-Key': '[redacted]',
      'Set-Cookie': '[redacted]',
      COOKIE: '[redacted]',
      client_assertion: '[redacted]',
      session_token: '[redacted]',
      'X-Auth-Token': '[redacted]',
      ACCESS_TOKEN: '[redacted]',
      registrationAccessToken: '[redacted]',
      mySecretThing: '[redacted]',
      'Proxy-Authorization': '[redacted]',
      apiKey: '[redacted]',
      hasRefreshToken: true,
      tokenType: 'Bearer',
      keychain: 'libsecret',
      expiresAt: 1,
      code: 'invalid_grant',
      nested: { code: '[redacted]' },
    });
  });

  it('masks Bearer, Basic and DPoP credentials in any case', () => {
    expect(redactString('authorization: bearer abc.def-ghi')).toBe(
      'authorization: bearer [redacted]',
    );
    expect(redactString('AUTHORIZATION: BASIC dXNlcjpwdw==')).toBe(
      'AUTHORIZATION: BASIC [redacted]',
    );
    expect(redactString('Authorization: DPoP eyJhbGciOi.x.y')).toBe(
      'Authorization: DPoP [redacted]',
    );
    expect(redactString('authorization: dpop eyJhbGciOi.x.y')).toBe(
      'authorization: dpop [redacted]',
    );
  });

  it('never forgets a kept secret while its owner is kept, however many others come', () => {
    keepSecret('account:a1', 'kept-refresh-token-0001');
    for (let i = 0; i < MAX_REGISTERED_SECRETS + 10; i++) registerSecret(`flood-access-${i}`);
    expect(redactString('kept-refresh-token-0001')).toBe('[redacted]');
    expect(redactString('flood-access-0')).toBe('flood-access-0');
    // Registered again as an access token, it is still kept.
    registerSecret('kept-refresh-token-0001');
    forgetSecretsOf('account:a1');
    expect(redactString('kept-refresh-token-0001')).toBe('[redacted]');
    for (let i = 0; i < MAX_REGISTERED_SECRETS + 10; i++) registerSecret(`flood-again-${i}`);
    expect(redactString('kept-refresh-token-0001')).toBe('kept-refresh-token-0001');
  });

  it('keeps the newest few secrets per owner: a rotated-away token becomes forgettable', () => {
    for (let i = 0; i <= MAX_KEPT_PER_OWNER; i++) keepSecret('account:a2', `rotating-rt-${i}-xyz`);
    for (let i = 0; i < MAX_REGISTERED_SECRETS + 10; i++) registerSecret(`flood-rotate-${i}`);
    expect(redactString('rotating-rt-0-xyz')).toBe('rotating-rt-0-xyz');
    for (let i = 1; i <= MAX_KEPT_PER_OWNER; i++) {
      expect(redactString(`rotating-rt-${i}-xyz`)).toBe('[redacted]');
    }
  });

  it("keeps an account's refresh token and API key from the vault; access tokens may go", async () => {
    const { root, cleanup } = await makeTempRoot();
    try {
      const vault = await Vault.create(root, testPassphraseSlot());
      const account = (id: string, grant: string, expiresAt: number | null) => ({
        id,
        providerId: 'p',
        subject: id,
        label: id,
        grant,
        tokenType: 'Bearer',
        scopes: [],
        expiresAt,
        receivedAt: 0,
        hasRefreshToken: grant === 'authorization_code',
        createdAt: 0,
        updatedAt: 0,
      });
      await vault.update((tx) => {
        tx.put('accounts', 'oauth', account('oauth', 'authorization_code', Date.now() + 60_000));
        tx.put('accounts', 'key', account('key', 'api_key', null));
        writeTokens(tx, 'oauth', {
          accessToken: 'vault-access-token-1',
          refreshToken: 'vault-refresh-token-1',
        });
        writeTokens(tx, 'key', { accessToken: 'vault-api-key-000001' });
      });
      readTokens(await vault.read(), 'oauth');
      for (let i = 0; i < MAX_REGISTERED_SECRETS + 10; i++) registerSecret(`flood-vault-${i}`);
      expect(redactString('vault-refresh-token-1')).toBe('[redacted]');
      expect(redactString('vault-api-key-000001')).toBe('[redacted]');
      expect(redactString('vault-access-token-1')).toBe('vault-access-token-1');
    } finally {
      await cleanup();
    }
  });

  it('rotates while running, at the size limit, keeping the last few files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokendeck-rotate-'));
    const file = join(dir, 'logs', 'app.log');
    const logger = createLogger({ file, maxFileBytes: 2048, keepFiles: 3 });
    for (let i = 0; i < 400; i++)
      logger.info(`line ${String(i).padStart(4, '0')} ${'x'.repeat(40)}`);
    const names = readdirSync(join(dir, 'logs')).sort();
    expect(names).toEqual(['app.log', 'app.log.1', 'app.log.2', 'app.log.3']);
    for (const name of names)
      expect(statSync(join(dir, 'logs', name)).size).toBeLessThanOrEqual(2048);
    // The newest lines are all there, in order, across the live file and the last rotated ones.
    const kept = ['app.log.3', 'app.log.2', 'app.log.1', 'app.log']
      .flatMap((name) =>
        readFileSync(join(dir, 'logs', name), 'utf8')
          .trim()
          .split('\n'),
      )
      .map((line) => Number(/line (\d+)/.exec(JSON.parse(line).msg as string)?.[1]));
    expect(kept.at(-1)).toBe(399);
    expect(kept).toEqual(kept.map((_, index) => kept[0]! + index));
  });
});

describe('a log that cannot be written (issue 20 §2)', () => {
  it('never throws into its caller, and counts what it dropped', () => {
    const folder = mkdtempSync(join(tmpdir(), 'tokendeck-log-'));
    // A folder where the log file should be: every append fails.
    const logger = createLogger({ file: folder });
    expect(() => logger.info('tokens refreshed', { provider: 'p' })).not.toThrow();
    expect(() => logger.error('again')).not.toThrow();
    expect(logger.failures).toBe(2);
    const throwingSink = createLogger({
      sink: () => {
        throw new Error('sink down');
      },
    });
    expect(() => throwingSink.warn('x')).not.toThrow();
    expect(throwingSink.failures).toBe(1);
  });

  it('keeps error codes under a code key, and still masks authorization codes', () => {
    expect(redact({ code: 'vault_wrong_passphrase' })).toEqual({ code: 'vault_wrong_passphrase' });
    expect(redact({ code: 'EACCES' })).toEqual({ code: 'EACCES' });
    expect(redact({ code: 'SplxlOBeZQQYbYS6WxSbIA' })).toEqual({ code: '[redacted]' });
  });
});
