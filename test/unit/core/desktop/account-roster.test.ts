import { describe, expect, it, vi } from 'vitest';
import type { AccountSummary, VaultStatus } from '../../../../src-main/core/api';
import { followAccounts, type RosterSnapshot } from '../../../../src-main/core/desktop';
import { EventBus } from '../../../../src-main/core/event-bus';
import { nullLogger } from '../../../../src-main/core/log';
import { account } from './accounts';

function status(state: VaultStatus['state']): VaultStatus {
  return { state, path: '/vault.json', slots: ['os-keychain'] };
}

/** A service stand-in: the real event bus, a list the test hands out when it chooses. */
function source(initial: VaultStatus['state'] = 'unlocked') {
  const bus = new EventBus(nullLogger);
  const lists: Array<(accounts: AccountSummary[]) => void> = [];
  return {
    bus,
    lists,
    on: bus.on.bind(bus),
    listAccounts: vi.fn(() => new Promise<AccountSummary[]>((resolve) => lists.push(resolve))),
    getVaultStatus: vi.fn(async () => status(initial)),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function follow(from: ReturnType<typeof source>) {
  const snapshots: RosterSnapshot[] = [];
  const noticed: string[] = [];
  const stop = followAccounts(from, {
    onChange: (snapshot) => snapshots.push(snapshot),
    onNeedsUser: (changed) => noticed.push(changed.id),
    logger: nullLogger,
  });
  const ids = () =>
    snapshots
      .at(-1)
      ?.accounts.map((a) => a.id)
      .sort();
  return { snapshots, noticed, stop, ids };
}

describe('account roster', () => {
  it('lists the accounts once the vault is open, then follows changes and removals', async () => {
    const from = source();
    const roster = follow(from);
    await settle();
    from.lists.shift()?.([account('a'), account('b')]);
    await settle();
    expect(roster.ids()).toEqual(['a', 'b']);
    expect(roster.snapshots.at(-1)?.vault).toBe('unlocked');

    from.bus.emit('accountChanged', account('c'));
    from.bus.emit('accountRemoved', { accountId: 'a' });
    await settle();
    expect(roster.ids()).toEqual(['b', 'c']);
    roster.stop();
  });

  it('gives one update for a burst of events', async () => {
    const from = source();
    const roster = follow(from);
    await settle();
    from.lists.shift()?.([]);
    await settle();
    const before = roster.snapshots.length;
    for (let i = 0; i < 50; i += 1) from.bus.emit('accountChanged', account(`x${i}`));
    await settle();
    expect(roster.snapshots.length).toBe(before + 1);
    expect(roster.ids()).toHaveLength(50);
    roster.stop();
  });

  it('applies a change that arrives while the list is read after the list, never under it', async () => {
    const from = source();
    const roster = follow(from);
    await settle();
    from.bus.emit('accountChanged', account('a', 'needs-reauth'));
    from.lists.shift()?.([account('a', 'fresh')]);
    await settle();
    expect(roster.snapshots.at(-1)?.accounts).toEqual([account('a', 'needs-reauth')]);
    expect(roster.noticed).toEqual(['a']);
    roster.stop();
  });

  it('notices each move into needing the user once, not the accounts that already needed it', async () => {
    const from = source();
    const roster = follow(from);
    await settle();
    from.lists.shift()?.([account('old', 'expired'), account('a')]);
    await settle();
    from.bus.emit('accountChanged', account('a', 'needs-reauth'));
    from.bus.emit('accountChanged', account('a', 'expired'));
    from.bus.emit('accountChanged', account('old', 'expired'));
    await settle();
    expect(roster.noticed).toEqual(['a']);
    roster.stop();
  });

  it('shows nothing while locked and lists again once unlocked', async () => {
    const from = source('locked');
    const roster = follow(from);
    await settle();
    expect(from.listAccounts).not.toHaveBeenCalled();
    expect(roster.snapshots.at(-1)).toEqual({ accounts: [], vault: 'locked' });

    from.bus.emit('vaultStatusChanged', status('unlocked'));
    from.lists.shift()?.([account('a')]);
    await settle();
    expect(roster.ids()).toEqual(['a']);
    from.bus.emit('vaultStatusChanged', status('unlocked'));
    expect(from.listAccounts).toHaveBeenCalledTimes(1);

    from.bus.emit('vaultStatusChanged', status('recovery'));
    await settle();
    expect(roster.snapshots.at(-1)).toEqual({ accounts: [], vault: 'recovery' });
    roster.stop();
  });

  it('keeps a failing listener inside: the service’s events go on', async () => {
    const from = source();
    const warn = vi.fn();
    const stop = followAccounts(from, {
      onChange: () => {
        throw new Error('menu failed');
      },
      onNeedsUser: () => undefined,
      logger: { ...nullLogger, warn },
    });
    await settle();
    from.lists.shift()?.([]);
    await settle();
    expect(warn).toHaveBeenCalledWith('desktop shell: updating failed', expect.any(Object));
    const warned = warn.mock.calls.length;
    stop();
    from.bus.emit('accountChanged', account('late'));
    await settle();
    expect(warn).toHaveBeenCalledTimes(warned);
  });
});
