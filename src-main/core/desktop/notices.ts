import type { AccountSummary, CopyResult } from '../api';
import { plainText } from './plain-text';

/** What an OS notification from the desktop shell says; `accountId` when it is about one. */
export interface Notice {
  title: string;
  body: string;
  accountId?: string;
  /** No sound: the answer to something the user just did. */
  silent?: boolean;
}

/** An account moved to needing the user: it must sign in again. */
export function needsUserNotice(account: AccountSummary): Notice {
  return {
    accountId: account.id,
    title: `Sign in to ${plainText(account.providerName, 40)} again`,
    body: `${plainText(account.label, 60)}: ${plainText(account.status.reason, 160)}`,
  };
}

/** A copy from the tray worked; says when the clipboard is cleared, as the window's toast does. */
export function copiedNotice(label: string, result: CopyResult): Notice {
  const clears =
    result.clearsAfterSeconds === null
      ? 'It stays on the clipboard until Tokendeck quits.'
      : `The clipboard is cleared in ${result.clearsAfterSeconds} s.`;
  return { title: `Copied — ${plainText(label, 60)}`, body: clears, silent: true };
}

/** A copy from the tray failed; the message is the service's own, in plain words. */
export function copyFailedNotice(label: string, message: string): Notice {
  return { title: `Could not copy ${plainText(label, 60)}`, body: plainText(message, 200) };
}

/**
 * The first time the last window closes, on Windows and Linux, where closing usually quits:
 * Tokendeck goes on in the tray. (On macOS an app without windows staying open is the norm.)
 */
export const KEPT_RUNNING_NOTICE: Notice = {
  title: 'Tokendeck is still running',
  body: 'Tokens go on renewing in the background. To quit, use Quit in the Tokendeck tray icon’s menu.',
  silent: true,
};
