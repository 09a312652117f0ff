import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  DEFAULT_BACKOFF,
  MIN_EARLY_RETRY_MS,
  retryBeforeExpiry,
} from '../../../src-main/core/lifecycle';

const mid = () => 0.5;

describe('backoffDelay', () => {
  it('starts at 30 s and doubles with every attempt', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, undefined, mid))).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000,
    ]);
  });

  it('caps at one hour, however many attempts', () => {
    expect(backoffDelay(8, undefined, mid)).toBe(DEFAULT_BACKOFF.maxMs);
    expect(backoffDelay(200, undefined, mid)).toBe(DEFAULT_BACKOFF.maxMs);
    expect(backoffDelay(10_000, undefined, () => 1)).toBe(DEFAULT_BACKOFF.maxMs);
  });

  it('jitters by ±10%', () => {
    expect(backoffDelay(1, undefined, () => 0)).toBe(27_000);
    expect(backoffDelay(1, undefined, () => 1)).toBe(33_000);
    expect(backoffDelay(3, undefined, () => 0)).toBe(108_000);
    expect(backoffDelay(3, undefined, () => 1)).toBe(132_000);
  });

  it('honours Retry-After when it asks for longer', () => {
    expect(backoffDelay(1, 300_000, mid)).toBe(300_000);
    expect(backoffDelay(1, 2 * 3_600_000, mid)).toBe(2 * 3_600_000);
  });

  it('keeps its own delay when Retry-After asks for less', () => {
    expect(backoffDelay(3, 5_000, mid)).toBe(120_000);
  });

  it('treats attempt 0 like the first attempt', () => {
    expect(backoffDelay(0, undefined, mid)).toBe(30_000);
  });

  it('uses other bounds when given', () => {
    const bounds = { initialMs: 1_000, maxMs: 4_000 };
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, undefined, mid, bounds))).toEqual([
      1_000, 2_000, 4_000, 4_000,
    ]);
  });
});

describe('retryBeforeExpiry', () => {
  const now = 1_000_000;

  it('keeps the backoff when it lands before the usable expiry', () => {
    expect(retryBeforeExpiry(now, 30_000, now + 60_000, false)).toBe(now + 30_000);
  });

  it('brings a retry past the usable expiry forward to halfway there', () => {
    expect(retryBeforeExpiry(now, 30_000, now + 25_000, false)).toBe(now + 12_500);
    expect(retryBeforeExpiry(now, 30_000, now + 12_000, false)).toBe(now + 6_000);
  });

  it('never waits less than the floor, and leaves a nearly spent token to the plain backoff', () => {
    expect(retryBeforeExpiry(now, 30_000, now + 8_000, false)).toBe(now + MIN_EARLY_RETRY_MS);
    expect(retryBeforeExpiry(now, 30_000, now + MIN_EARLY_RETRY_MS, false)).toBe(now + 30_000);
    expect(retryBeforeExpiry(now, 30_000, now - 1, false)).toBe(now + 30_000);
  });

  it('keeps the plain wait for a token with no expiry, and when the server asked to wait', () => {
    expect(retryBeforeExpiry(now, 30_000, null, false)).toBe(now + 30_000);
    expect(retryBeforeExpiry(now, 30_000, now + 40_000, true)).toBe(now + 30_000);
  });
});
