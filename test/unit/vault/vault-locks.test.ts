import { spawnSync } from 'node:child_process';
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../src-main/core/log';
import { Vault } from '../../../src-main/core/vault';
import { makeTempRoot, testPassphraseSlot } from '../../helpers/vault-fixtures';

let root: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ root, cleanup } = await makeTempRoot());
});
afterEach(async () => {
  await cleanup();
});

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

function lockContent(pid: number, host = hostname()): string {
  return JSON.stringify({ pid, hostname: host, threadId: 0, token: 'x'.repeat(32), createdAt: 0 });
}

function warnings(): Logger & { warned: string[] } {
  const warned: string[] = [];
  const noop = () => undefined;
  return {
    warned,
    debug: noop,
    info: noop,
    error: noop,
    warn: (message, fields) => warned.push(`${message} ${JSON.stringify(fields)}`),
  };
}

describe('Vault locks', () => {
  it('recovers a vault lock left by a dead process, and logs it', async () => {
    const vault = await Vault.create(root, testPassphraseSlot());
    await writeFile(`${vault.path}.lock`, lockContent(deadPid()));
    const logger = warnings();
    const reopened = await Vault.open(root, testPassphraseSlot(), { logger, lockTimeoutMs: 5_000 });
    await reopened.update((tx) => tx.put('c', 'x', 1));
    expect((await reopened.read()).get('c', 'x')).toBe(1);
    expect(logger.warned.join('\n')).toContain('recovered a stale lock');
    expect((await readdir(root)).filter((name) => name.includes('.lock'))).toEqual([]);
  });

  it('recovers a named lock left by a dead process', async () => {
    const vault = await Vault.create(root, testPassphraseSlot());
    await mkdir(join(root, 'locks'), { recursive: true });
    await writeFile(join(root, 'locks', 'renew-a1.lock'), lockContent(deadPid()));
    expect(await vault.withLock('renew-a1', async () => 'ran')).toBe('ran');
    expect(await readdir(join(root, 'locks'))).toEqual([]);
  });

  it('recovers a lock from another host only once it is older than staleLockMs', async () => {
    const vault = await Vault.create(root, testPassphraseSlot(), {
      lockTimeoutMs: 150,
      staleLockMs: 60_000,
    });
    const lock = `${vault.path}.lock`;
    await writeFile(lock, lockContent(12345, 'some-other-host'));
    await expect(vault.update((tx) => tx.put('c', 'x', 1))).rejects.toMatchObject({
      code: 'vault_lock_timeout',
      details: expect.objectContaining({ holderHost: 'some-other-host', holderPid: 12345 }),
    });
    const old = new Date(Date.now() - 120_000);
    await utimes(lock, old, old);
    await vault.update((tx) => tx.put('c', 'x', 1));
    expect((await vault.read()).get('c', 'x')).toBe(1);
  });

  it('treats a lock naming this very process, but no live holder here, as orphaned', async () => {
    const vault = await Vault.create(root, testPassphraseSlot(), { lockTimeoutMs: 5_000 });
    await writeFile(
      `${vault.path}.lock`,
      JSON.stringify({ pid: process.pid, hostname: hostname(), threadId, token: 'gone' }),
    );
    await vault.update((tx) => tx.put('c', 'x', 1));
    expect((await vault.read()).get('c', 'x')).toBe(1);
  });

  it('serializes holders of one name in one process, and nests different names', async () => {
    const vault = await Vault.create(root, testPassphraseSlot());
    const events: string[] = [];
    const hold = (tag: string) =>
      vault.withLock('renew-a1', async () => {
        events.push(`${tag}:in`);
        await new Promise((resolve) => setImmediate(resolve));
        events.push(`${tag}:out`);
      });
    await Promise.all([hold('a'), hold('b'), hold('c')]);
    expect(events).toEqual(['a:in', 'a:out', 'b:in', 'b:out', 'c:in', 'c:out']);

    const nested = await vault.withLock('outer', () =>
      vault.withLock('inner', () => vault.update((tx) => tx.put('c', 'n', 1)).then(() => 'ok')),
    );
    expect(nested).toBe('ok');
    await expect(
      vault.withLock('same', () => vault.withLock('same', async () => 1)),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(vault.withLock('', async () => 1)).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it('times out waiting for a named lock held elsewhere in this process', async () => {
    const vault = await Vault.create(root, testPassphraseSlot());
    let release: () => void = () => undefined;
    let holding: () => void = () => undefined;
    const acquired = new Promise<void>((resolve) => (holding = resolve));
    const held = vault.withLock(
      'busy',
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
          holding();
        }),
    );
    // Only once the first holder is inside: on a loaded machine the second call could otherwise
    // time out before the first even took the lock, and `release` would never be set.
    await acquired;
    await expect(vault.withLock('busy', async () => 1, { timeoutMs: 50 })).rejects.toMatchObject({
      code: 'vault_lock_timeout',
    });
    release();
    await held;
    expect(await vault.withLock('busy', async () => 2)).toBe(2);
  });

  it('accepts any lock name, mapping unsafe ones to a hashed file name', async () => {
    const vault = await Vault.create(root, testPassphraseSlot());
    await vault.withLock('renew-../../etc/passwd', async () => {
      const names = await readdir(join(root, 'locks'));
      expect(names).toHaveLength(1);
      expect(names[0]).toMatch(/^h-[0-9a-f]{40}\.lock$/);
    });
  });
});
