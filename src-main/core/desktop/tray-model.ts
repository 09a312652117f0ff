import type { AccountSummary, VaultStatus } from '../api';
import { needsUser } from './needs-user';
import { plainText } from './plain-text';

/**
 * What the tray (menu-bar) menu shows, as plain data: the Electron adapter only turns it into
 * menu items.
 *
 * Accounts are grouped by provider, both in name order, so the menu keeps its order as events
 * arrive. A line at the top says what needs the user: a locked vault, or accounts that must sign
 * in again. A provider with very many accounts lists the first {@link TRAY_ACCOUNTS_PER_PROVIDER}
 * and says how many more the window has.
 */

export const TRAY_ACCOUNTS_PER_PROVIDER = 40;

export interface TrayAccount {
  id: string;
  /** The account's label, with what is wrong when something is. */
  label: string;
  /** False while only a new sign-in can give a token. */
  canCopy: boolean;
}

export interface TrayProvider {
  id: string;
  label: string;
  accounts: TrayAccount[];
  /** Accounts left out of the menu; the window lists them. */
  more: number;
}

export interface TrayModel {
  /** One line above the accounts, or null when there is nothing to say. */
  headline: string | null;
  tooltip: string;
  providers: TrayProvider[];
}

/** The vault's state as the tray knows it; null while the vault is still opening. */
export type TrayVaultState = VaultStatus['state'] | null;

const VAULT_HEADLINES: Record<Exclude<VaultStatus['state'], 'unlocked'> | 'opening', string> = {
  opening: 'Opening the vault…',
  locked: 'Locked: open Tokendeck to unlock',
  'needs-setup': 'Open Tokendeck to set up your vault',
  recovery: 'The vault needs you: open Tokendeck',
};

function accountNote(account: AccountSummary): string | null {
  if (needsUser(account)) return 'sign in again';
  if (account.status.state === 'error') return 'renewal failing';
  return null;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function trayModel(
  accounts: readonly AccountSummary[],
  vault: TrayVaultState,
  perProvider = TRAY_ACCOUNTS_PER_PROVIDER,
): TrayModel {
  if (vault !== 'unlocked') {
    const headline = VAULT_HEADLINES[vault ?? 'opening'];
    return { headline, tooltip: `Tokendeck: ${headline}`, providers: [] };
  }
  const byProvider = new Map<string, AccountSummary[]>();
  for (const account of accounts) {
    const group = byProvider.get(account.providerId) ?? [];
    group.push(account);
    byProvider.set(account.providerId, group);
  }
  const providers = [...byProvider.values()]
    .map((group) =>
      group.sort((a, b) => a.label.localeCompare(b.label) || a.id.localeCompare(b.id)),
    )
    .sort(
      (a, b) =>
        a[0]!.providerName.localeCompare(b[0]!.providerName) ||
        a[0]!.providerId.localeCompare(b[0]!.providerId),
    )
    .map((group): TrayProvider => {
      const waiting = group.filter(needsUser).length;
      const name = plainText(group[0]!.providerName, 40);
      return {
        id: group[0]!.providerId,
        label: waiting ? `${name} (${waiting} to sign in again)` : name,
        accounts: group.slice(0, perProvider).map((account) => {
          const note = accountNote(account);
          const label = plainText(account.label, 48);
          return {
            id: account.id,
            label: note ? `${label} — ${note}` : label,
            canCopy: !needsUser(account),
          };
        }),
        more: Math.max(0, group.length - perProvider),
      };
    });
  const waiting = accounts.filter(needsUser).length;
  const headline =
    accounts.length === 0
      ? 'No accounts yet'
      : waiting > 0
        ? `${plural(waiting, 'account needs', 'accounts need')} you to sign in again`
        : null;
  return { headline, tooltip: headline ? `Tokendeck: ${headline}` : 'Tokendeck', providers };
}
