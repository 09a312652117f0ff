import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  SESSION_IDLE_MS,
  SESSION_MAX_TTL_MS,
  createSession,
  endSessions,
  listSessions,
  sessionOpener,
} from '../../../src-main/core/sessions';
import { Vault } from '../../../src-main/core/vault';
import { makeTempRoot, testPassphraseSlot } from '../../helpers/vault-fixtures';

/** SECURITY 46: a session opens the vault with its key only; it ends idle or old; no key on disk. */

let root: string;
let cleanup: () => Promise<void>;
let vault: Vault;
const T0 = 1_700_000_000_000;

beforeEach(async () => {
  ({ root, cleanup } = await makeTempRoot());
  vault = await Vault.create(root, testPassphraseSlot());
  await vault.update((tx) => tx.putSecret('tokens:a', 'at-SECRET-session-test'));
});
afterEach(async () => cleanup());

const open = (token: string, at: number) => sessionOpener(token, () => at)(root, {});

describe('CLI sessions', () => {
  it('opens the vault with the session key; its 0600 file in a 0700 folder holds no key', async () => {
    const token = await createSession(vault, { now: T0 });
    const opened = await open(token, T0 + 1000);
    expect((await opened.read()).getSecret('tokens:a')).toBe('at-SECRET-session-test');
    const folder = join(root, 'sessions');
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    const [name] = await readdir(folder);
    expect((await stat(join(folder, name!))).mode & 0o777).toBe(0o600);
    const text = await readFile(join(folder, name!), 'utf8');
    expect(text).not.toContain(token.split('.')[2]);
    expect(text).not.toContain('at-SECRET-session-test');
  });

  it('ends after 30 minutes unused, each use moving that on, and after 12 hours in all', async () => {
    const token = await createSession(vault, { now: T0 });
    await open(token, T0 + SESSION_IDLE_MS - 1000);
    await open(token, T0 + 2 * SESSION_IDLE_MS - 2000);
    await expect(open(token, T0 + 3 * SESSION_IDLE_MS)).rejects.toMatchObject({
      code: 'vault_locked',
      message: expect.stringMatching(/expired/),
    });
    expect(await listSessions(root, T0)).toEqual([]);

    let at = T0;
    const old = await createSession(vault, { now: T0 });
    while (at + SESSION_IDLE_MS / 2 < T0 + SESSION_MAX_TTL_MS) {
      at += SESSION_IDLE_MS / 2;
      await open(old, at);
    }
    await expect(open(old, T0 + SESSION_MAX_TTL_MS)).rejects.toMatchObject({
      code: 'vault_locked',
    });
  });

  it('refuses a wrong key, a made-up value, more than 12 hours, and a session after lock', async () => {
    const token = await createSession(vault, { now: T0 });
    const [prefix, id] = token.split('.');
    const wrong = `${prefix}.${id}.${Buffer.alloc(32, 7).toString('base64url')}`;
    await expect(open(wrong, T0)).rejects.toMatchObject({ code: 'vault_locked' });
    await expect(open('not-a-session', T0)).rejects.toMatchObject({ code: 'vault_locked' });
    await expect(createSession(vault, { ttlMs: SESSION_MAX_TTL_MS + 1 })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    expect(await endSessions(root)).toBe(1);
    await expect(open(token, T0)).rejects.toMatchObject({ code: 'vault_locked' });
  });
});
