import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nullLogger } from '../../../src-main/core/log';
import { acquireFileLock } from '../../../src-main/core/vault/file-lock';
import { makeTempRoot } from '../../helpers/vault-fixtures';

/**
 * Recovering a stale lock never empties the path under a live holder.
 *
 * The race is made to happen every time: right after this acquirer reads the stale lock (a dead
 * process's), "another process" recovers it and puts its own live lock at the path, as it would
 * when it judged the same lock stale a moment earlier. Our acquirer then goes on to recover what
 * it saw. Were it to move the lock aside before checking, the other holder's lock file would be
 * missing for a moment, and that holder's next write would be fenced off for nothing.
 */
const race = vi.hoisted(() => ({
  armed: false,
  lockPath: '',
  liveLock: '',
  gaps: 0,
}));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const checkGap = () => {
    if (race.liveLock && !race.armed && !existsSync(race.lockPath)) race.gaps += 1;
  };
  return {
    ...actual,
    readFile: (async (...args: Parameters<typeof actual.readFile>) => {
      const bytes = await actual.readFile(...args);
      if (race.armed && String(args[0]) === race.lockPath) {
        race.armed = false;
        unlinkSync(race.lockPath);
        writeFileSync(race.lockPath, race.liveLock);
      }
      return bytes;
    }) as typeof actual.readFile,
    rename: (async (...args: Parameters<typeof actual.rename>) => {
      await actual.rename(...args);
      checkGap();
    }) as typeof actual.rename,
    unlink: (async (...args: Parameters<typeof actual.unlink>) => {
      await actual.unlink(...args);
      checkGap();
    }) as typeof actual.unlink,
  };
});

let root: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ root, cleanup } = await makeTempRoot('tokendeck-recovery-'));
  race.gaps = 0;
  race.liveLock = '';
});
afterEach(async () => {
  race.armed = false;
  await cleanup();
});

describe('recovering a stale lock', () => {
  it('leaves alone a live lock that replaced the stale one after it was judged', async () => {
    race.lockPath = `${root}/vault.json.lock`;
    // A dead process on this host (pids never reach this value on Linux).
    writeFileSync(
      race.lockPath,
      JSON.stringify({ pid: 2 ** 30, hostname: hostname(), token: 'dead', generation: 1 }),
    );
    race.liveLock = JSON.stringify({
      pid: 4242,
      hostname: 'another-host',
      token: 'live',
      generation: 2,
    });
    race.armed = true;
    await expect(
      acquireFileLock(race.lockPath, { timeoutMs: 300, staleMs: 30_000, logger: nullLogger }),
    ).rejects.toMatchObject({ code: 'vault_lock_timeout' });
    expect(race.armed).toBe(false);
    expect(race.gaps).toBe(0);
    expect(readFileSync(race.lockPath, 'utf8')).toBe(race.liveLock);
    expect(existsSync(`${race.lockPath}.recovering`)).toBe(false);
  });

  it('still recovers a stale lock when no one else does', async () => {
    race.lockPath = `${root}/vault.json.lock`;
    writeFileSync(
      race.lockPath,
      JSON.stringify({ pid: 2 ** 30, hostname: hostname(), token: 'dead', generation: 5 }),
    );
    const lock = await acquireFileLock(race.lockPath, {
      timeoutMs: 1_000,
      staleMs: 30_000,
      logger: nullLogger,
    });
    expect(lock.generation).toBeGreaterThan(5);
    await lock.assertHeld();
    await lock.release();
    expect(existsSync(`${race.lockPath}.recovering`)).toBe(false);
  });
});
