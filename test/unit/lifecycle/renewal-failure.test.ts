import { describe, expect, it } from 'vitest';
import { TokendeckError, type ErrorCode } from '../../../src-main/core/errors';
import { classifyRenewalFailure, saveFailure } from '../../../src-main/core/lifecycle';

const kindOf = (code: ErrorCode, details: TokendeckError['details'] = {}) =>
  classifyRenewalFailure(new TokendeckError(code, 'x', { details })).kind;

describe('classifyRenewalFailure', () => {
  it('makes refusals need reauth and everything passing retry', () => {
    expect(kindOf('invalid_grant')).toBe('needs-reauth');
    expect(kindOf('invalid_client')).toBe('needs-reauth');
    expect(kindOf('vault_record_tampered')).toBe('tampered');
    expect(kindOf('cannot_renew')).toBe('cannot-renew');
    expect(kindOf('not_found')).toBe('gone');
    expect(kindOf('network_error')).toBe('transient');
    expect(kindOf('timeout')).toBe('transient');
    expect(kindOf('token_endpoint_error', { status: 503, transient: true })).toBe('transient');
    expect(kindOf('vault_write_failed')).toBe('transient');
    expect(kindOf('vault_lock_timeout')).toBe('transient');
  });

  it('reads Retry-After from a rate limit and the status from a 5xx', () => {
    const limited = classifyRenewalFailure(
      new TokendeckError('rate_limited', 'x', { details: { retryAfterMs: 120_000 } }),
    );
    expect(limited).toMatchObject({ kind: 'transient', rateLimited: true, retryAfterMs: 120_000 });
    const failed = classifyRenewalFailure(
      new TokendeckError('token_endpoint_error', 'x', {
        details: { status: 502, transient: true },
      }),
    );
    expect(failed.reason).toContain('HTTP 502');
  });

  it('wraps an untyped error as internal without quoting it', () => {
    const failure = classifyRenewalFailure(new Error('secret-bearing message'));
    expect(failure.kind).toBe('transient');
    expect(failure.error.code).toBe('internal');
    expect(failure.reason).not.toContain('secret');
  });
});

describe('saveFailure (issue 20 §2)', () => {
  it('says plainly that new tokens could not be saved, naming why', () => {
    const disk = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
    });
    expect(saveFailure(disk)).toMatchObject({
      code: 'vault_write_failed',
      message: expect.stringMatching(
        /^The provider issued new tokens, but they could not be saved \(.*: ENOSPC\); this account must connect again\.$/,
      ),
    });
  });

  it('keeps the errors the lifecycle handles itself, a fenced write among them', () => {
    for (const code of ['not_found', 'vault_lock_timeout', 'vault_lock_lost'] as const) {
      const error = new TokendeckError(code, 'kept as it is');
      expect(saveFailure(error)).toBe(error);
    }
  });
});
