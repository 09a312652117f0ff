import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, renewalDueAt, usableExpiry } from '../../../src-main/core/lifecycle';
import { DAY, HOUR } from '../../helpers/lifecycle-fixtures';

const T0 = 1_700_000_000_000;
const mid = () => 0.5;

describe('renewalDueAt', () => {
  it('starts renewal 10% of the lifetime before expiry when that is over a minute', () => {
    const account = { receivedAt: T0, expiresAt: T0 + HOUR };
    expect(renewalDueAt(account, T0, mid)).toBe(T0 + HOUR - 360_000);
  });

  it('starts renewal at least 60 s before expiry for short lifetimes', () => {
    const account = { receivedAt: T0, expiresAt: T0 + 5 * 60_000 };
    expect(renewalDueAt(account, T0, mid)).toBe(T0 + 5 * 60_000 - 60_000);
  });

  it('keeps the jitter within ±10% of the lead (random 0 and random 1)', () => {
    const account = { receivedAt: T0, expiresAt: T0 + 10 * HOUR };
    const lead = HOUR;
    expect(renewalDueAt(account, T0, () => 0)).toBe(T0 + 10 * HOUR - 0.9 * lead);
    expect(renewalDueAt(account, T0, () => 1)).toBe(T0 + 10 * HOUR - 1.1 * lead);
    for (let i = 0; i <= 100; i += 1) {
      const due = renewalDueAt(account, T0, () => i / 100) as number;
      expect(due).toBeGreaterThanOrEqual(T0 + 10 * HOUR - 1.1 * lead);
      expect(due).toBeLessThanOrEqual(T0 + 10 * HOUR - 0.9 * lead);
    }
  });

  it('keeps the jitter bounds for the 60 s minimum too', () => {
    const account = { receivedAt: T0, expiresAt: T0 + 10 * 60_000 };
    expect(renewalDueAt(account, T0, () => 0)).toBe(T0 + 10 * 60_000 - 54_000);
    expect(renewalDueAt(account, T0, () => 1)).toBe(T0 + 10 * 60_000 - 66_000);
  });

  it('clamps a random source outside [0, 1]', () => {
    const account = { receivedAt: T0, expiresAt: T0 + 10 * HOUR };
    expect(renewalDueAt(account, T0, () => 7)).toBe(renewalDueAt(account, T0, () => 1));
    expect(renewalDueAt(account, T0, () => -3)).toBe(renewalDueAt(account, T0, () => 0));
  });

  it('is never before now', () => {
    const account = { receivedAt: T0, expiresAt: T0 + HOUR };
    expect(renewalDueAt(account, T0 + 2 * HOUR, mid)).toBe(T0 + 2 * HOUR);
    expect(renewalDueAt(account, T0 + HOUR - 1_000, mid)).toBe(T0 + HOUR - 1_000);
  });

  it('is null for a token that never expires', () => {
    expect(renewalDueAt({ receivedAt: T0, expiresAt: null }, T0, mid)).toBeNull();
  });

  it('never renews before half the lifetime has passed', () => {
    const account = { receivedAt: T0, expiresAt: T0 + 60_000 };
    expect(renewalDueAt(account, T0, mid)).toBe(T0 + 30_000);
  });

  it('gives a due time far beyond the timer maximum for a 100-day token', () => {
    const account = { receivedAt: T0, expiresAt: T0 + 100 * DAY };
    const due = renewalDueAt(account, T0, mid) as number;
    expect(due).toBe(T0 + 90 * DAY);
    expect(due - T0).toBeGreaterThan(MAX_TIMER_MS);
  });
});

describe('usableExpiry', () => {
  it('takes the skew allowance off the expiry', () => {
    expect(usableExpiry({ receivedAt: T0, expiresAt: T0 + HOUR }, 30_000)).toBe(T0 + HOUR - 30_000);
  });

  it('never takes more than a quarter of the lifetime', () => {
    expect(usableExpiry({ receivedAt: T0, expiresAt: T0 + 40_000 }, 30_000)).toBe(T0 + 30_000);
  });

  it('is null for a token that never expires', () => {
    expect(usableExpiry({ receivedAt: T0, expiresAt: null }, 30_000)).toBeNull();
  });
});
