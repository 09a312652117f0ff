import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from '../../../src-main/core/lifecycle';

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
