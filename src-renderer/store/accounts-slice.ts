import type { AccountSummary } from '../../src-preload/contract';
import { errorMessage, unwrap, type ApiSource } from '../api';
import type { LoadStatus, SliceCreator } from './types';

/**
 * Accounts: the summaries the main process sends (never a token).
 *
 * Copying puts the token on the system clipboard in the main process; the renderer only learns
 * that it worked.
 */
export interface AccountsSlice {
  accounts: AccountSummary[];
  accountsStatus: LoadStatus;
  accountsError: string | null;
  /** Per-account errors from an action (copy), shown inline on the row. */
  accountErrors: Record<string, string>;
  loadAccounts(): Promise<void>;
  upsertAccount(account: AccountSummary): void;
  dropAccount(accountId: string): void;
  copyToken(accountId: string): Promise<boolean>;
}

export const createAccountsSlice =
  (api: ApiSource): SliceCreator<AccountsSlice> =>
  (set, get) => ({
    accounts: [],
    accountsStatus: 'idle',
    accountsError: null,
    accountErrors: {},

    async loadAccounts() {
      set({ accountsStatus: 'loading', accountsError: null });
      try {
        const accounts = await unwrap(api().listAccounts());
        set({ accounts, accountsStatus: 'ready' });
      } catch (error) {
        set({ accountsStatus: 'error', accountsError: errorMessage(error) });
      }
    },

    upsertAccount(account) {
      const accounts = get().accounts;
      const index = accounts.findIndex((item) => item.id === account.id);
      set({
        accounts:
          index === -1
            ? [...accounts, account]
            : accounts.map((item, i) => (i === index ? account : item)),
      });
    },

    dropAccount(accountId) {
      const { [accountId]: _dropped, ...accountErrors } = get().accountErrors;
      set({ accounts: get().accounts.filter((item) => item.id !== accountId), accountErrors });
    },

    async copyToken(accountId) {
      const { [accountId]: _cleared, ...rest } = get().accountErrors;
      set({ accountErrors: rest });
      try {
        await unwrap(api().copyToken({ accountId }));
        get().showToast('Copied');
        return true;
      } catch (error) {
        set({ accountErrors: { ...get().accountErrors, [accountId]: errorMessage(error) } });
        return false;
      }
    },
  });
