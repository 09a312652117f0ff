import type { AccountSummary, TokenState } from '../api';

/** The states in which only the user can bring an account back: it must sign in again. */
const NEEDS_USER: ReadonlySet<TokenState> = new Set(['needs-reauth', 'expired']);

export function needsUser(account: Pick<AccountSummary, 'status'>): boolean {
  return NEEDS_USER.has(account.status.state);
}

/**
 * Tells, once per change, when an account moves into needing the user.
 *
 * The first sight of an account only sets its baseline: an account that already needed the user
 * when Tokendeck started, or that arrives already expired, is in the window's list and the tray,
 * not news. After that, each move out of "fine" into "needs the user" is reported once; a move
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
