import { describe, expect, it } from 'vitest';
import { formatExpiry } from '../../../src-renderer/format/expiry';

const now = 1_700_000_000_000;
const min = 60_000;

describe('formatExpiry', () => {
  it.each([
    [null, 'never'],
    [now + 52 * min + 10_000, 'in 52 min'],
    [now + 30_000, 'in 30 s'],
    [now + 200, 'now'],
    [now + 90 * min, 'in 1 h 30 min'],
    [now + 5 * 60 * min, 'in 5 h'],
    [now + 14 * 60 * min + 5 * min, 'in 14 h'],
    [now + 3 * 24 * 60 * min, 'in 3 days'],
    [now - 5 * min, 'expired 5 min ago'],
    [now - 100, 'just expired'],
  ])('formats %s as %s', (expiresAt, expected) => {
    expect(formatExpiry(expiresAt, now)).toBe(expected);
  });
});
