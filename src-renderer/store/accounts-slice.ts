import type { AccountSummary, CopyFormat } from '../../src-preload/contract';
import { errorMessage, unwrap, type ApiSource } from '../api';
import type { ActionResult, LoadStatus, SliceCreator } from './types';

/**
 * Accounts: the summaries the main process sends (never a token).
 *
 * Kept by id, with one stable order (provider name, then label, then id), so an event for one
 * account changes only that account's entry and the rows that show it. Copying happens in main;
 * the renderer only learns that it worked and when the clipboard clears.
 */
export interface AccountsSlice {
  accountsById: Record<string, AccountSummary>;
  /** Ids in display order. Changes only when an account arrives, goes, or is renamed. */
  accountOrder: string[];
  accountsStatus: LoadStatus;
  accountsError: string | null;
  /** Per-account errors from an action, shown inline on the row. */
  accountErrors: Record<string, string>;
  /** Accounts with an action running (renew, remove), for a busy state on the row. */
  accountBusy: Record<string, string>;
  loadAccounts(): Promise<void>;
  upsertAccount(account: AccountSummary): void;
  dropAccount(accountId: string): void;
  copyToken(accountId: string, format?: CopyFormat): Promise<boolean>;
  renewAccount(accountId: string): Promise<boolean>;
  removeAccount(accountId: string): Promise<{ revoked: boolean } | null>;
  /** Gives an account the user's label; a later "who am I" answer keeps it. */
  renameAccount(accountId: string, label: string): Promise<ActionResult>;
  /**
   * Merges possible duplicates into the one to keep, one call per other account; stops at the
   * first refusal, which it returns.
   */
  mergeAccounts(keepId: string, otherIds: string[]): Promise<ActionResult>;
  /** Makes the account its provider's default, so the provider's name means it in the CLI. */
  setDefaultAccount(accountId: string): Promise<boolean>;
}

export function compareAccounts(a: AccountSummary, b: AccountSummary): number {
  return (
    a.providerName.localeCompare(b.providerName) ||
    a.label.localeCompare(b.label) ||
    a.id.localeCompare(b.id)
  );
}

const COPY_TOAST: Record<CopyFormat, string> = {
  token: 'Token copied',
  header: 'Header copied',
  curl: 'curl command copied',
};

const DPOP_WARNING =
  'It is DPoP-bound: an API refuses it without a proof made with the key in your vault. Send requests from the Console or with tokendeck request';

export const createAccountsSlice =
  (api: ApiSource): SliceCreator<AccountsSlice> =>
  (set, get) => {
    const setError = (accountId: string, message: string | null) => {
      const { [accountId]: _old, ...rest } = get().accountErrors;
      set({ accountErrors: message === null ? rest : { ...rest, [accountId]: message } });
    };
    const setBusy = (accountId: string, what: string | null) => {
      const { [accountId]: _old, ...rest } = get().accountBusy;
      set({ accountBusy: what === null ? rest : { ...rest, [accountId]: what } });
    };

    return {
      accountsById: {},
      accountOrder: [],
      accountsStatus: 'idle',
      accountsError: null,
      accountErrors: {},
      accountBusy: {},

      async loadAccounts() {
        set({ accountsStatus: 'loading', accountsError: null });
        try {
          const accounts = await unwrap(api().listAccounts());
          const accountsById = Object.fromEntries(accounts.map((item) => [item.id, item]));
          const accountOrder = [...accounts].sort(compareAccounts).map((item) => item.id);
          set({ accountsById, accountOrder, accountsStatus: 'ready' });
        } catch (error) {
          set({ accountsStatus: 'error', accountsError: errorMessage(error) });
        }
      },

      upsertAccount(account) {
        const { accountsById, accountOrder } = get();
        const previous = accountsById[account.id];
        const moved =
          !previous ||
          previous.label !== account.label ||
          previous.providerName !== account.providerName;
        const next = { ...accountsById, [account.id]: account };
        if (!moved) {
          set({ accountsById: next });
          return;
        }
        const order = accountOrder.filter((id) => id !== account.id);
        let index = order.findIndex((id) => {
          const other = next[id];
          return other !== undefined && compareAccounts(account, other) < 0;
        });
        if (index === -1) index = order.length;
        order.splice(index, 0, account.id);
        set({ accountsById: next, accountOrder: order });
      },

      dropAccount(accountId) {
        const { [accountId]: _dropped, ...rest } = get().accountsById;
        const { [accountId]: _error, ...accountErrors } = get().accountErrors;
        // Its twins are no longer possible duplicates of it.
        const accountsById = Object.fromEntries(
          Object.entries(rest).map(([id, account]) => [
            id,
            account.possibleDuplicates.includes(accountId)
              ? {
                  ...account,
                  possibleDuplicates: account.possibleDuplicates.filter(
                    (twin) => twin !== accountId,
                  ),
                }
              : account,
          ]),
        );
        set({
          accountsById,
          accountErrors,
          accountOrder: get().accountOrder.filter((id) => id !== accountId),
        });
      },

      async copyToken(accountId, format = 'token') {
        setError(accountId, null);
        try {
          const result = await unwrap(api().copyToken({ accountId, format }));
          const clears =
            result.clearsAfterSeconds === null ? '' : ` — clears in ${result.clearsAfterSeconds} s`;
          // A DPoP-bound token (RFC 9449) goes nowhere alone: say so with the copy.
          const bound = format === 'token' && get().accountsById[accountId]?.dpopBound;
          get().showToast(
            bound
              ? `${COPY_TOAST[format]}. ${DPOP_WARNING}${clears}`
              : `${COPY_TOAST[format]}${clears}`,
          );
          return true;
        } catch (error) {
          setError(accountId, errorMessage(error));
          return false;
        }
      },

      async renewAccount(accountId) {
        setError(accountId, null);
        setBusy(accountId, 'renewing');
        try {
          get().upsertAccount(await unwrap(api().renewAccount({ accountId })));
          get().showToast('Token renewed');
          return true;
        } catch (error) {
          setError(accountId, errorMessage(error));
          return false;
        } finally {
          setBusy(accountId, null);
        }
      },

      async removeAccount(accountId) {
        setError(accountId, null);
        setBusy(accountId, 'removing');
        try {
          const result = await unwrap(api().removeAccount({ accountId }));
          get().dropAccount(accountId);
          get().showToast(result.revoked ? 'Account removed and revoked' : 'Account removed');
          return result;
        } catch (error) {
          setError(accountId, errorMessage(error));
          return null;
        } finally {
          setBusy(accountId, null);
        }
      },

      async renameAccount(accountId, label) {
        try {
          get().upsertAccount(await unwrap(api().renameAccount({ accountId, label })));
          get().showToast('Account renamed');
          return { ok: true };
        } catch (error) {
          return { ok: false, message: errorMessage(error) };
        }
      },

      async mergeAccounts(keepId, otherIds) {
        for (const otherId of otherIds) {
          try {
            get().upsertAccount(await unwrap(api().mergeAccounts({ keepId, otherId })));
            get().dropAccount(otherId);
          } catch (error) {
            return { ok: false, message: errorMessage(error) };
          }
        }
        get().showToast(
          otherIds.length === 1 ? 'Accounts merged' : `${otherIds.length + 1} accounts merged`,
        );
        return { ok: true };
      },

      async setDefaultAccount(accountId) {
        setError(accountId, null);
        try {
          const account = await unwrap(api().setDefaultAccount({ accountId }));
          // The provider's previous default is no longer one.
          for (const id of get().accountOrder) {
            const other = get().accountsById[id];
            if (
              other &&
              other.providerId === account.providerId &&
              other.isDefault &&
              id !== accountId
            ) {
              get().upsertAccount({ ...other, isDefault: false });
            }
          }
          get().upsertAccount(account);
          get().showToast(`${account.label} is now the default ${account.providerName} account`);
          return true;
        } catch (error) {
          setError(accountId, errorMessage(error));
          return false;
        }
      },
    };
  };
