import type { AccountSummary, ServiceEventSource, VaultStatus } from '../api';
import type { Logger } from '../log';
import { AttentionWatch } from './needs-user';
import type { TrayVaultState } from './tray-model';

/** The part of the service the roster reads: the account list, the vault state, the events. */
export interface AccountSource extends ServiceEventSource {
  listAccounts(): Promise<AccountSummary[]>;
  getVaultStatus(): Promise<VaultStatus>;
}

export interface RosterSnapshot {
  accounts: AccountSummary[];
  vault: TrayVaultState;
}

export interface AccountRosterOptions {
  /** The accounts changed; called once for a burst of events (a microtask later). */
  onChange(snapshot: RosterSnapshot): void;
  /** An account just moved into needing the user (see {@link AttentionWatch}); once per move. */
  onNeedsUser(account: AccountSummary): void;
  logger: Logger;
}

/**
 * Keeps a current copy of the accounts for the desktop shell (the tray menu and notifications),
 * from the service's list and its events.
 *
 * The list is read when the vault is (or becomes) unlocked; events that arrive while it is being
 * read are applied after it, so a stale list never hides a newer change. A locked vault shows no
 * accounts. Listener failures are logged, never thrown into the service's event bus. Returns the
 * function that stops following.
 */
export function followAccounts(source: AccountSource, options: AccountRosterOptions): () => void {
  const { logger } = options;
  const watch = new AttentionWatch();
  let accounts = new Map<string, AccountSummary>();
  let vault: TrayVaultState = null;
  /** Events held back while the list is being read; null when no read is under way. */
  let queued: Array<() => void> | null = null;
  let generation = 0;
  let scheduled = false;
  let stopped = false;

  const guarded = (what: string, run: () => void) => {
    try {
      run();
    } catch (error) {
      logger.warn(`desktop shell: ${what} failed`, { error });
    }
  };

  const notify = () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      if (!stopped)
        guarded('updating', () => options.onChange({ accounts: [...accounts.values()], vault }));
    });
  };

  const observe = (changed: AccountSummary[]) => {
    for (const account of watch.update(changed)) {
      guarded('the needs-user notice', () => options.onNeedsUser(account));
    }
  };

  const afterLoad = (apply: () => void) => {
    if (queued) queued.push(apply);
    else apply();
  };

  const reload = async () => {
    const mine = ++generation;
    queued = [];
    try {
      const list = await source.listAccounts();
      if (mine !== generation || stopped) return;
      accounts = new Map(list.map((account) => [account.id, account]));
      observe(list);
    } catch (error) {
      logger.warn('desktop shell: could not list the accounts', { error });
    }
    if (mine !== generation) return;
    const held = queued ?? [];
    queued = null;
    for (const apply of held) apply();
    notify();
  };

  const vaultIs = (state: VaultStatus['state']) => {
    const was = vault;
    vault = state;
    if (state === 'unlocked') {
      if (was !== 'unlocked') void reload();
    } else {
      generation += 1;
      queued = null;
      accounts = new Map();
    }
    notify();
  };

  const stops = [
    source.on('accountChanged', (account) =>
      afterLoad(() => {
        accounts.set(account.id, account);
        observe([account]);
        notify();
      }),
    ),
    source.on('accountRemoved', ({ accountId }) =>
      afterLoad(() => {
        accounts.delete(accountId);
        watch.forget(accountId);
        notify();
      }),
    ),
    source.on('vaultStatusChanged', (status) => vaultIs(status.state)),
  ];
  source.getVaultStatus().then(
    (status) => {
      if (vault === null && !stopped) vaultIs(status.state);
    },
    (error: unknown) => logger.warn('desktop shell: could not read the vault status', { error }),
  );
  notify();

  return () => {
    stopped = true;
    for (const stop of stops) stop();
  };
}
