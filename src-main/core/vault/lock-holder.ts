import { readFileSync } from 'node:fs';
import { hostname, uptime } from 'node:os';
import { threadId } from 'node:worker_threads';
import { errnoOf } from './atomic-file';

/**
 * Who holds a lock file, and whether that holder can still be alive.
 *
 * A lock names its holder: host, pid, thread, the process's start time where the OS tells it
 * (Linux), a random token and the lock's generation. Judging staleness is the one place where a
 * lock can be taken from its holder, so the rule is strict (SECURITY 44): a holder on this host
 * whose process is still running is never stale, however long it has been silent. A stopped
 * process (SIGSTOP, a laptop lid, a long GC) resumes holding its lock. Only a holder on another
 * host, whose liveness cannot be checked, is judged by its heartbeat (the file's mtime); the
 * generation fencing of every write covers that case.
 */
export interface LockInfo {
  pid: number;
  hostname: string;
  threadId: number;
  token: string;
  createdAt: number;
  /** This acquisition's fencing generation; a takeover's is always higher (SECURITY 44). */
  generation: number;
  /** The holder process's start time, as the OS reports it; absent where unknown. */
  started?: string;
}

/** A lock file as read: its bytes, what they say, and the file's identity and mtime. */
export interface ObservedLock {
  raw: Buffer;
  info: LockInfo | null;
  ino: number;
  mtimeMs: number;
}

/** This machine's name, as locks record it. */
export const HOST = hostname();

/**
 * Tokens of the locks this thread holds. Kept on `globalThis` so that two copies of this module
 * in one thread still agree on which of their locks are live.
 */
const HELD_KEY = Symbol.for('tokendeck.vault.heldLockTokens');
export const heldTokens: Set<string> = ((globalThis as Record<symbol, unknown>)[HELD_KEY] ??=
  new Set<string>()) as Set<string>;

export function parseInfo(raw: Buffer): LockInfo | null {
  let value: Partial<LockInfo> | null;
  try {
    value = JSON.parse(raw.toString('utf8')) as Partial<LockInfo> | null;
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
  if (
    !value ||
    typeof value.pid !== 'number' ||
    typeof value.hostname !== 'string' ||
    typeof value.token !== 'string'
  ) {
    return null;
  }
  return {
    pid: value.pid,
    hostname: value.hostname,
    threadId: typeof value.threadId === 'number' ? value.threadId : 0,
    token: value.token,
    createdAt: typeof value.createdAt === 'number' ? value.createdAt : 0,
    generation: typeof value.generation === 'number' ? value.generation : 0,
    ...(typeof value.started === 'string' ? { started: value.started } : {}),
  };
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

/**
 * When the process with this pid started, in the OS's own units; null where unknown.
 *
 * Linux gives it in `/proc/<pid>/stat` (field 22, clock ticks since boot). A lock records its
 * holder's, so a pid that a new process reused after the holder died is told apart.
 */
export function processStartTime(pid: number): string | null {
  if (process.platform !== 'linux') return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces or parentheses itself.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** The start time of this process, read once. */
export const OWN_START = processStartTime(process.pid);

/**
 * Why a lock is stale, or null while its holder may be alive.
 *
 * `host` is the name this process writes in its own locks (normally {@link HOST}).
 */
export function staleReason(
  lock: ObservedLock,
  staleMs: number,
  now: number,
  host: string,
): string | null {
  const info = lock.info;
  const bootedAt = now - uptime() * 1000;
  if (info !== null && info.hostname === host) {
    if (info.pid === process.pid && info.threadId === threadId) {
      return heldTokens.has(info.token) ? null : 'orphaned by this process';
    }
    // Pids are reused after a reboot, so a lock older than the boot is stale whoever has its pid.
    if (lock.mtimeMs < bootedAt - 1000) return 'older than last boot';
    if (!isProcessAlive(info.pid)) return 'holder process is gone';
    const started = info.started === undefined ? null : processStartTime(info.pid);
    if (started !== null && started !== info.started) return 'holder pid now names another process';
    return null;
  }
  if (info === null && lock.mtimeMs < bootedAt - 1000) return 'older than last boot';
  if (now - lock.mtimeMs > staleMs) return 'not refreshed in time';
  return null;
}

/**
 * The pid that wrote a lock's side file (`<lock>.<pid>.<random>.<kind>`), or null for any other
 * name. The kinds are the temp file a new lock is linked from (`locktmp`) and the names a lock is
 * moved to while it is recovered (`stale`) or released (`released`). One whose writer is dead
 * was left by a kill between two steps, and may be swept.
 */
export function lockSideFileWriter(name: string): number | null {
  const match = /\.lock\.(\d+)\.[0-9a-f]{12}\.(?:locktmp|stale|released)$/.exec(name);
  return match ? Number(match[1]) : null;
}
