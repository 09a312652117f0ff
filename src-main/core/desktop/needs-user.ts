import type { AccountSummary, TokenState } from '../api';
import { plainText } from './plain-text';

/** The states in which only the user can bring an account back: it must sign in again. */
const NEEDS_USER: ReadonlySet<TokenState> = new Set(['needs-reauth', 'expired']);

export function needsUser(account: Pick<AccountSummary, 'status'>): boolean {
  return NEEDS_USER.has(account.status.state);
}

/** What an OS notification says when an account starts needing the user. */
export interface NeedsUserNotice {
  accountId: string;
  title: string;
  body: string;
}

export function needsUserNotice(account: AccountSummary): NeedsUserNotice {
  return {
    accountId: account.id,
    title: `Sign in to ${plainText(account.providerName, 40)} again`,
    body: `${plainText(account.label, 60)}: ${plainText(account.status.reason, 160)}`,
  };
}

/**
 * Tells, once per change, when an account moves into needing the user.
 *
 * The first sight of an account only sets its baseline: an account that already needed the user
 * when Tokendeck started, or that arrives already expired, is in the window's list and the tray,
 * not news. After that, each move from "fine" to "needs the user" is reported once; a move
 * between the two needing states (needs-reauth to expired) is not a new one.
 */
export class AttentionWatch {
  private readonly needing = new Map<string, boolean>();

  /** The accounts among `accounts` that just started needing the user. */
  update(accounts: Iterable<AccountSummary>): AccountSummary[] {
    const moved: AccountSummary[] = [];
    for (const account of accounts) {
      const now = needsUser(account);
      const before = this.needing.get(account.id);
      this.needing.set(account.id, now);
      if (now && before === false) moved.push(account);
    }
    return moved;
  }

  forget(accountId: string): void {
    this.needing.delete(accountId);
  }
}
