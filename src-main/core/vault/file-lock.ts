import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, utimes } from 'node:fs/promises';
import { hostname, uptime } from 'node:os';
import { dirname } from 'node:path';
import { threadId } from 'node:worker_threads';
import { TokendeckError } from '../errors';
import type { Logger } from '../log';
import {
  NO_HARD_LINKS,
  ensurePrivateDir,
  errnoOf,
  removeQuietly,
  tempPathFor,
  writeNewFile,
} from './atomic-file';

/**
 * A cross-process lock file, with stale-lock recovery.
 *
 * Taking the lock creates the file exclusively (a hard link from a complete temp file, or O_EXCL
 * where links are missing) holding who holds it: pid, host, thread and a random token. A busy
 * lock is retried with a small randomized backoff until the wait limit, then
 * `vault_lock_timeout`. While held, a heartbeat refreshes the file's mtime every third of the
 * stale limit, so a long operation (a network refresh under a named lock) is not mistaken for a
 * crash.
 *
 * A lock is stale when its holder is on this host and its pid is dead, when it predates this
 * machine's last boot, when it names this very process but no live holder here, or when it has
 * not been refreshed for longer than the stale limit. Recovery is race-safe: the stale file is
 * first renamed to a unique name, and only if the renamed file is the very one judged stale is
 * it deleted; otherwise (another process recovered it and took the lock in between) it is linked
 * back. The caller then retries O_EXCL, which only one process can win.
 */
export interface FileLockOptions {
  /** Give up after this long. */
  timeoutMs: number;
  /** A lock not refreshed for this long is stale. */
  staleMs: number;
  logger: Logger;
}

export interface HeldLock {
  readonly path: string;
  /** Stops the heartbeat and deletes the lock file if it is still ours. */
  release(): Promise<void>;
}

interface LockInfo {
  pid: number;
  hostname: string;
  threadId: number;
  token: string;
  createdAt: number;
}

interface ObservedLock {
  raw: Buffer;
  info: LockInfo | null;
  ino: number;
  mtimeMs: number;
}

const HOST = hostname();
/**
 * Tokens of the locks this thread holds. Kept on `globalThis` so that two copies of this module
 * in one thread still agree on which of their locks are live.
 */
const HELD_KEY = Symbol.for('tokendeck.vault.heldLockTokens');
const heldTokens: Set<string> = ((globalThis as Record<symbol, unknown>)[HELD_KEY] ??=
  new Set<string>()) as Set<string>;

function parseInfo(raw: Buffer): LockInfo | null {
  try {
    const value = JSON.parse(raw.toString('utf8')) as Partial<LockInfo> | null;
    if (
      value &&
      typeof value.pid === 'number' &&
      typeof value.hostname === 'string' &&
      typeof value.token === 'string'
    ) {
      return {
        pid: value.pid,
        hostname: value.hostname,
        threadId: typeof value.threadId === 'number' ? value.threadId : 0,
        token: value.token,
        createdAt: typeof value.createdAt === 'number' ? value.createdAt : 0,
      };
    }
    return null;
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}

async function observe(path: string): Promise<ObservedLock | null> {
  try {
    const [raw, stats] = await Promise.all([readFile(path), stat(path)]);
    return { raw, info: parseInfo(raw), ino: stats.ino, mtimeMs: stats.mtimeMs };
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return null;
    throw error;
  }
}

/** True when a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoOf(error) !== 'ESRCH';
  }
}

/** Why a lock is stale, or null when it may be live. */
function staleReason(lock: ObservedLock, staleMs: number, now: number): string | null {
  const info = lock.info;
  const local = info !== null && info.hostname === HOST;
  if (local && info.pid === process.pid && info.threadId === threadId) {
    if (!heldTokens.has(info.token)) return 'orphaned by this process';
  } else if (local && !isProcessAlive(info.pid)) {
    return 'holder process is gone';
  }
  const bootedAt = now - uptime() * 1000;
  if ((local || info === null) && lock.mtimeMs < bootedAt - 1000) return 'older than last boot';
  if (now - lock.mtimeMs > staleMs) return 'not refreshed in time';
  return null;
}

/**
 * Removes a lock judged stale, unless another process got there first.
 *
 * Returns without error in every race; the caller simply tries O_EXCL again.
 */
async function recover(
  path: string,
  observed: ObservedLock,
  reason: string,
  logger: Logger,
): Promise<void> {
  const grave = tempPathFor(path, 'stale');
  try {
    await rename(path, grave);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return;
    throw error;
  }
  const moved = await observe(grave);
  if (moved && moved.ino === observed.ino && moved.raw.equals(observed.raw)) {
    await removeQuietly(grave);
    logger.warn('vault: recovered a stale lock', {
      lock: path,
      reason,
      holderPid: observed.info?.pid ?? null,
      holderHost: observed.info?.hostname ?? null,
    });
    return;
  }
  await restore(grave, path, moved?.raw ?? null, logger);
}

/** Puts back a live lock that a recovery moved aside by mistake, never replacing a newer one. */
async function restore(
  grave: string,
  path: string,
  raw: Buffer | null,
  logger: Logger,
): Promise<void> {
  try {
    await link(grave, path);
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'EEXIST') {
      logger.error('vault: a live lock was displaced during recovery', { lock: path });
    } else if (raw) {
      await writeNewFile(path, raw);
    } else {
      throw error;
    }
  } finally {
    await removeQuietly(grave);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The pid that wrote a lock temp file (`<lock>.<pid>.<random>.locktmp`), or null for any other
 * name. A temp whose writer is dead was left by a kill between write and link.
 */
export function lockTempWriter(name: string): number | null {
  const match = /\.lock\.(\d+)\.[0-9a-f]{12}\.locktmp$/.exec(name);
  return match ? Number(match[1]) : null;
}

/**
 * Creates the lock file with its content in one step, or returns false if it exists.
 *
 * The content goes to a temp file first, which is then hard-linked to the lock name: the link
 * fails if the lock exists, and a process killed at any instant leaves either no lock or a
 * complete one, never an empty lock that nobody could judge. Where the file system has no hard
 * links, falls back to O_EXCL create and write.
 */
async function tryCreate(path: string, content: Buffer): Promise<boolean> {
  const temp = tempPathFor(path, 'locktmp');
  try {
    await writeNewFile(temp, content);
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT') throw error;
    await ensurePrivateDir(dirname(path));
    await writeNewFile(temp, content);
  }
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'EEXIST') return false;
    if (!NO_HARD_LINKS.has(code ?? '')) throw error;
    return createExclusive(path, content);
  } finally {
    await removeQuietly(temp);
  }
}

async function createExclusive(path: string, content: Buffer): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(content);
  } catch (error) {
    await handle.close();
    await removeQuietly(path);
    throw error;
  }
  await handle.close();
  return true;
}

/**
 * Takes the lock file at `path`, waiting up to `timeoutMs`.
 *
 * Throws `vault_lock_timeout` naming the lock and its holder (pid and host only).
 */
export async function acquireFileLock(path: string, options: FileLockOptions): Promise<HeldLock> {
  const { timeoutMs, staleMs, logger } = options;
  const deadline = Date.now() + timeoutMs;
  const info: LockInfo = {
    pid: process.pid,
    hostname: HOST,
    threadId,
    token: randomBytes(16).toString('hex'),
    createdAt: Date.now(),
  };
  const content = Buffer.from(JSON.stringify(info), 'utf8');
  let attempt = 0;
  let holder: LockInfo | null = null;
  for (;;) {
    let created: boolean;
    try {
      created = await tryCreate(path, content);
    } catch (error) {
      throw new TokendeckError('vault_write_failed', `Could not create the lock ${path}.`, {
        cause: error,
        details: { lock: path, errno: errnoOf(error) ?? null },
      });
    }
    if (created) {
      heldTokens.add(info.token);
      return holdLock(path, content, info.token, staleMs, logger);
    }
    const observed = await observe(path);
    if (observed) {
      holder = observed.info;
      const reason = staleReason(observed, staleMs, Date.now());
      if (reason) {
        await recover(path, observed, reason, logger);
        continue;
      }
    }
    const now = Date.now();
    if (now >= deadline) {
      throw new TokendeckError('vault_lock_timeout', `Timed out waiting for the lock ${path}.`, {
        details: {
          lock: path,
          holderPid: holder?.pid ?? null,
          holderHost: holder?.hostname ?? null,
        },
      });
    }
    attempt += 1;
    const base = Math.min(100, 2 * 2 ** Math.min(attempt, 6));
    const delay = Math.min(deadline - now, Math.max(1, Math.round(base * (0.5 + Math.random()))));
    await sleep(delay);
  }
}

function holdLock(
  path: string,
  content: Buffer,
  token: string,
  staleMs: number,
  logger: Logger,
): HeldLock {
  let lost = false;
  const refresh = async (): Promise<void> => {
    const current = await observe(path);
    if (!current || !current.raw.equals(content)) {
      if (!lost) logger.warn('vault: a held lock was taken over', { lock: path });
      lost = true;
      return;
    }
    const now = new Date();
    await utimes(path, now, now);
  };
  const timer = setInterval(
    () => {
      if (lost) return;
      refresh().catch((error: unknown) => {
        logger.warn('vault: could not refresh a held lock', { lock: path, error });
      });
    },
    Math.max(50, Math.floor(staleMs / 3)),
  );
  timer.unref();
  let released = false;
  return {
    path,
    async release(): Promise<void> {
      if (released) return;
      released = true;
      clearInterval(timer);
      heldTokens.delete(token);
      const current = await observe(path);
      if (current && current.raw.equals(content)) {
        await removeQuietly(path);
      } else {
        logger.warn('vault: a held lock was taken over before release', { lock: path });
      }
    },
  };
}
