import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nullLogger } from '../../../src-main/core/log';
import { acquireFileLock } from '../../../src-main/core/vault/file-lock';
import { makeTempRoot } from '../../helpers/vault-fixtures';

/**
 * `release()` deletes only its own lock, with no check-then-unlink race: another process that
 * takes the lock over while the holder releases keeps its lock.
 *
 * The race is made to happen every time: right after the releasing holder reads a lock file, the
 * "other process" puts its own lock at the lock path (as it would once it judged ours stale).
 */
const race = vi.hoisted(() => ({ armed: false, lockPath: '', otherLock: '' }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    readFile: (async (...args: Parameters<typeof actual.readFile>) => {
      const bytes = await actual.readFile(...args);
      if (race.armed && String(args[0]).startsWith(race.lockPath)) {
        race.armed = false;
        writeFileSync(race.lockPath, race.otherLock);
      }
      return bytes;
    }) as typeof actual.readFile,
  };
});

let root: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ root, cleanup } = await makeTempRoot('tokendeck-release-'));
});
afterEach(async () => {
  race.armed = false;
  await cleanup();
});

describe('releasing a lock', () => {
  it('never deletes a lock another process took in the middle of the release', async () => {
    race.lockPath = `${root}/vault.json.lock`;
    race.otherLock = JSON.stringify({ pid: 4242, hostname: 'another-host', token: 'theirs' });
    const lock = await acquireFileLock(race.lockPath, {
      timeoutMs: 1_000,
      staleMs: 30_000,
      logger: nullLogger,
    });
    race.armed = true;
    await lock.release();
    expect(race.armed).toBe(false);
    expect(readFileSync(race.lockPath, 'utf8')).toBe(race.otherLock);
  });
});
