import { execFileSync } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVaultLifecycleStore } from '../../src-main/core/lifecycle';
import type { Vault } from '../../src-main/core/vault';
import { HOUR, makeAccount } from '../helpers/lifecycle-fixtures';
import {
  spawnLifecycleChild,
  type LifecycleChild,
  type LifecycleChildMode,
} from '../helpers/lifecycle-process';
import { startLifecycleServer, type LifecycleServer } from '../helpers/lifecycle-server';
import {
  createLifecycleVault,
  makeLifecycleDir,
  openLifecycleVault,
  seedAccount,
} from '../helpers/lifecycle-vault';

/**
 * SECURITY 44, with real processes: SIGSTOP a lock holder past the stale time, let another
 * process try for the lock, SIGCONT the first; nothing is lost and no refresh token is spent twice.
 *
 * On one host the stopped holder keeps its lock (its process still runs). A holder that plays
 * another machine (`LOCK_HOST`, as on a network share) is judged by its heartbeat, so the other
 * process takes the lock; the first one is then fenced off when it resumes.
 */
const STALE_MS = 400;
const OTHER_HOST = { LOCK_HOST: 'another-machine', STALE_MS: String(STALE_MS) };

let server: LifecycleServer;
let dir: string;
let vault: Vault;
let cleanup: () => Promise<void>;
const children: LifecycleChild[] = [];

beforeEach(async () => {
  server = await startLifecycleServer();
  ({ dir, cleanup } = await makeLifecycleDir());
  vault = await createLifecycleVault(dir);
});

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.process.exitCode === null && child.process.signalCode === null) {
      child.process.kill('SIGCONT');
      child.process.kill('SIGKILL');
    }
    await child.exited;
  }
  await server.close();
  await cleanup();
});

function spawn(mode: LifecycleChildMode, env: Record<string, string> = {}): LifecycleChild {
  const child = spawnLifecycleChild(dir, server.tokenUrl, 'acct', mode, env);
  children.push(child);
  return child;
}

async function seedExpired() {
  const pair = server.seed('acct', 'provider-a');
  await seedAccount(vault, makeAccount({ id: 'acct', receivedAt: Date.now() - 2 * HOUR }), pair);
  return pair;
}

async function started(child: LifecycleChild): Promise<void> {
  await child.waitForLine((line) => line === 'ready');
  child.send('go');
}

/** Waits until the process is stopped (state T), as `ps` or /proc reports it. */
async function stopped(child: LifecycleChild): Promise<void> {
  await child.waitForLine((line) => line === 'stopping');
  const pid = String(child.process.pid);
  for (;;) {
    const state = execFileSync('ps', ['-o', 'stat=', '-p', pid], { encoding: 'utf8' }).trim();
    if (state.startsWith('T')) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until a lock file has not been refreshed for twice the stale time. */
async function pastStaleTime(lockPath: string): Promise<void> {
  for (;;) {
    const { mtimeMs } = await stat(lockPath);
    if (Date.now() - mtimeMs > 2 * STALE_MS) return;
    await new Promise((resolve) => setTimeout(resolve, STALE_MS / 4));
  }
}

function result(line: string): { accessToken?: string; error?: string } {
  return JSON.parse(line) as { accessToken?: string; error?: string };
}

async function stored() {
  const store = createVaultLifecycleStore(await openLifecycleVault(dir));
  return (await store.load('acct')).tokens;
}

const renewLock = () => join(dir, 'locks', 'renew-acct.lock');

describe.skipIf(process.platform === 'win32')('a lock holder stopped past the stale time', () => {
  it('on this host keeps its lock: the other process waits, and the token is spent once', async () => {
    await seedExpired();
    const first = spawn('stop', { STALE_MS: String(STALE_MS) });
    await started(first);
    await stopped(first);
    await pastStaleTime(renewLock());

    const second = spawn('normal', { STALE_MS: String(STALE_MS), RENEW_LOCK_MS: '1500' });
    await started(second);
    expect(result(await second.waitForLine((line) => line.startsWith('{')))).toEqual({
      error: 'vault_lock_timeout',
    });
    expect(server.stats.requests).toBe(1);

    first.process.kill('SIGCONT');
    const renewed = server.current('acct');
    expect(result(await first.waitForLine((line) => line.startsWith('{')))).toEqual({
      accessToken: renewed.accessToken,
    });
    expect(server.stats.refreshes).toBe(1);
    expect(server.stats.reuse).toBe(0);
    expect(await stored()).toEqual(renewed);
  });

  it('on another host loses its lock and spends nothing when it resumes', async () => {
    const seeded = await seedExpired();
    const first = spawn('stop-locked', OTHER_HOST);
    await started(first);
    await stopped(first);
    await pastStaleTime(renewLock());

    const second = spawn('normal', { STALE_MS: String(STALE_MS) });
    await started(second);
    const taken = result(await second.waitForLine((line) => line.startsWith('{')));
    expect(taken).toEqual({ accessToken: server.current('acct').accessToken });
    expect(taken.accessToken).not.toBe(seeded.accessToken);

    first.process.kill('SIGCONT');
    expect(result(await first.waitForLine((line) => line.startsWith('{')))).toEqual({
      error: 'vault_lock_lost',
    });
    expect(server.stats.refreshes).toBe(1);
    expect(server.stats.reuse).toBe(0);
    expect(await stored()).toEqual(server.current('acct'));
  });

  it('on another host writes nothing over the update made while it was stopped', async () => {
    await seedExpired();
    const first = spawn('stop-in-update', OTHER_HOST);
    await started(first);
    await stopped(first);
    await pastStaleTime(`${vault.path}.lock`);

    const mine = await openLifecycleVault(dir, { staleLockMs: STALE_MS });
    await mine.update((tx) => tx.put('c', 'parent', 1));

    first.process.kill('SIGCONT');
    expect(result(await first.waitForLine((line) => line.startsWith('{')))).toEqual({
      error: 'vault_lock_lost',
    });
    const view = await (await openLifecycleVault(dir)).read();
    expect(view.get('c', 'parent')).toBe(1);
    expect(view.get('c', 'child')).toBeUndefined();
    expect(view.list('accounts')).toHaveLength(1);
  });
});
