import { mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MAX_REGISTERED_SECRETS,
  createLogger,
  redact,
  redactString,
  registerSecret,
} from '../../src-main/core/log';

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
