import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, rename, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenManager, createVaultLifecycleStore } from '../../../src-main/core/lifecycle';
import { putAccount, writeTokens } from '../../../src-main/core/records';
import { Vault } from '../../../src-main/core/vault';
import { makeAccount } from '../../helpers/lifecycle-fixtures';
import { makeTempRoot, testPassphraseSlot } from '../../helpers/vault-fixtures';

/**
 * SECURITY 44: a lock is never taken from a holder that runs on this host, and a holder whose
 * lock was taken over anyway (a holder on another host that stalled past the stale time) writes
 * nothing and spends no refresh token.
 */

let root: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ root, cleanup } = await makeTempRoot('tokendeck-fencing-'));
});
afterEach(async () => {
  await cleanup();
});

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

function lockRecord(fields: Record<string, unknown>): string {
  return JSON.stringify({
    pid: process.ppid,
    hostname: hostname(),
    threadId: 0,
    token: 'y'.repeat(32),
    createdAt: 0,
    generation: 1,
    ...fields,
  });
}

/** What another machine does once it judged our lock stale: moves it away and takes the lock. */
async function takeOver(lockPath: string): Promise<void> {
  await rename(lockPath, `${lockPath}.taken`);
  await writeFile(
    lockPath,
    lockRecord({ pid: 4242, hostname: 'another-host', generation: Date.now() + 1 }),
  );
}

async function makeOld(path: string): Promise<void> {
  const old = new Date(Date.now() - 10 * 60_000);
  await utimes(path, old, old);
}

describe('lock staleness', () => {
  it('never takes over a lock whose holder still runs on this host, however old', async () => {
    const vault = await Vault.create(root, testPassphraseSlot(), {
      lockTimeoutMs: 300,
      staleLockMs: 100,
    });
    const lock = `${vault.path}.lock`;
    await writeFile(lock, lockRecord({ pid: process.ppid }));
    await makeOld(lock);
    const error = await vault.update((tx) => tx.put('c', 'x', 1)).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'vault_lock_timeout',
      details: expect.objectContaining({ holderPid: process.ppid, holderHost: hostname() }),
    });
    expect((error as Error).message).toContain(`held by process ${process.ppid} on this machine`);
    expect((await vault.read()).get('c', 'x')).toBeUndefined();
    expect(await readFile(lock, 'utf8')).toContain(`"pid":${process.ppid}`);
  });

  it.skipIf(process.platform !== 'linux')(
    'takes over a lock whose pid now names a different process',
    async () => {
      const vault = await Vault.create(root, testPassphraseSlot(), { lockTimeoutMs: 2_000 });
      await writeFile(`${vault.path}.lock`, lockRecord({ pid: process.ppid, started: '1' }));
      await vault.update((tx) => tx.put('c', 'x', 1));
      expect((await vault.read()).get('c', 'x')).toBe(1);
    },
  );

  it('takes over a lock of a dead holder at once, with a higher generation', async () => {
    const vault = await Vault.create(root, testPassphraseSlot(), { lockTimeoutMs: 2_000 });
    const future = Date.now() + 3_600_000;
    await mkdir(join(root, 'locks'));
    const lock = join(root, 'locks', 'renew-a1.lock');
    await writeFile(lock, lockRecord({ pid: deadPid(), generation: future }));
    const generation = await vault.withLock('renew-a1', async () => {
      return (JSON.parse(await readFile(lock, 'utf8')) as { generation: number }).generation;
    });
    expect(generation).toBe(future + 1);
  });
});

describe('fencing', () => {
  it('writes nothing when the vault lock was taken over during the update', async () => {
    const vault = await Vault.create(root, testPassphraseSlot());
    await vault.update((tx) => tx.put('c', 'kept', 1));
    const before = await readFile(vault.path);
    const error = await vault
      .update(async (tx) => {
        tx.put('c', 'lost', 2);
        await takeOver(`${vault.path}.lock`);
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'vault_lock_lost' });
    expect((error as Error).message).toContain('took over the lock');
    expect(await readFile(vault.path)).toEqual(before);
    expect((await readdir(root)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    // The new holder's lock is left in place, not deleted by the fenced holder's release.
    expect(await readFile(`${vault.path}.lock`, 'utf8')).toContain('another-host');
  });

  it("fences a write by the caller's named lock too: a renewal's persist", async () => {
    const vault = await Vault.create(root, testPassphraseSlot());
    const renewLock = join(root, 'locks', 'renew-a1.lock');
    await vault.withLock('renew-a1', async () => {
      await takeOver(renewLock);
      await expect(vault.update((tx) => tx.put('c', 'x', 1))).rejects.toMatchObject({
        code: 'vault_lock_lost',
        details: expect.objectContaining({ lock: renewLock }),
      });
    });
    expect((await vault.read()).get('c', 'x')).toBeUndefined();
    expect(await readFile(renewLock, 'utf8')).toContain('another-host');
  });

  it('spends no refresh token once the renew lock was taken over', async () => {
    const vault = await Vault.create(root, testPassphraseSlot());
    const account = makeAccount({ id: 'a1', expiresAt: Date.now() - 1_000 });
    await vault.update((tx) => {
      putAccount(tx, account);
      writeTokens(tx, 'a1', { accessToken: 'access-old-1', refreshToken: 'refresh-old-1' });
    });
    const renewLock = join(root, 'locks', 'renew-a1.lock');
    let reads = 0;
    // The second read of the account happens under the renew lock: the holder stalls there, and
    // another machine takes the lock over.
    const stalling = {
      read: async () => {
        reads += 1;
        if (reads === 2) await takeOver(renewLock);
        return vault.read();
      },
      update: vault.update.bind(vault),
      withLock: vault.withLock.bind(vault),
    };
    let spent = 0;
    const manager = new TokenManager({
      store: createVaultLifecycleStore(stalling),
      renew: async () => {
        spent += 1;
        throw new Error('the refresh token must not be sent');
      },
      schedule: false,
    });
    await expect(manager.getFreshToken('a1')).rejects.toMatchObject({ code: 'vault_lock_lost' });
    expect(spent).toBe(0);
    expect(reads).toBe(2);
  });
});

describe('leftovers', () => {
  it('sweeps the *.stale and *.released files of dead lock holders, and only those', async () => {
    const vault = await Vault.create(root, testPassphraseSlot());
    await mkdir(join(root, 'locks'));
    const dead = deadPid();
    const names = {
      staleHere: `vault.json.lock.${dead}.0123456789ab.stale`,
      releasedThere: join('locks', `renew-a1.lock.${dead}.0123456789ab.released`),
      liveWriter: join('locks', `renew-a2.lock.${process.ppid}.0123456789ab.stale`),
      unrelated: 'notes.stale',
    };
    for (const name of Object.values(names)) await writeFile(join(root, name), 'x');
    const reopened = await Vault.open(root, testPassphraseSlot());
    await reopened.update((tx) => tx.put('c', 'x', 1));
    expect(vault.path).toBe(reopened.path);
    const left = [...(await readdir(root)), ...(await readdir(join(root, 'locks')))];
    expect(left).not.toContain(names.staleHere);
    expect(left).not.toContain(`renew-a1.lock.${dead}.0123456789ab.released`);
    expect(left).toContain(`renew-a2.lock.${process.ppid}.0123456789ab.stale`);
    expect(left).toContain('notes.stale');
  });
});
