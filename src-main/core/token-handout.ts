import type { CopyResult, CopyTokenArgs } from './api';
import type { ClipboardGuard } from './clipboard-guard';
import { copiesSecret, copyText } from './copy-formats';
import { dpopRefusal, isDpopBound } from './dpop-bound';
import type { FreshToken } from './lifecycle';
import type { Logger } from './log';
import type { TokenInspection } from './model';
import { readAccount, readProvider, type RecordsVault } from './records';
import type { Settings } from './settings';
import { inspectToken } from './token-inspect';

export interface TokenHandoutOptions {
  vault: Pick<RecordsVault, 'read'>;
  /** The one way to a token: the lifecycle, which also names an account still unnamed. */
  tokens: {
    freshToken(accountId: string, options?: { minTtlMs?: number }): Promise<FreshToken>;
  };
  settings(): Promise<Settings>;
  clipboard: ClipboardGuard;
  logger: Logger;
}

/**
 * The two user actions that hand a token out of the main process: Copy and Reveal.
 *
 * Copy puts a fresh token (or its header line, or a curl command that fetches it) on the
 * clipboard, and the clipboard guard clears it after the Settings' delay if it is still there.
 * Reveal returns the token with what it says about itself. Both log that they happened, never
 * the token.
 */
export class TokenHandout {
  constructor(private readonly options: TokenHandoutOptions) {}

  /**
   * Copies for an account in the chosen format.
   *
   * The token has at least the Settings' minimum TTL left, or half its lifetime when that is
   * shorter, so a short-lived token is not renewed on every copy.
   */
  async copy({ accountId, format = 'token' }: CopyTokenArgs): Promise<CopyResult> {
    const { vault, clipboard, logger } = this.options;
    const settings = await this.options.settings();
    const view = await vault.read();
    const account = readAccount(view, accountId);
    const profile = readProvider(view, account.providerId).profile;
    // A DPoP-bound token (RFC 9449) has no ready-to-use form: each request needs a fresh proof.
    if (format !== 'token' && isDpopBound(account)) {
      throw dpopRefusal(format === 'header' ? 'a header' : 'a curl command', accountId);
    }
    if (!copiesSecret(format)) {
      await clipboard.write(copyText(format, profile, accountId), null);
      return { expiresAt: account.expiresAt, clearsAfterSeconds: null };
    }
    const lifetime = account.expiresAt === null ? Infinity : account.expiresAt - account.receivedAt;
    const minTtlMs = Math.min(settings.copyMinTtlSeconds * 1000, lifetime / 2);
    const fresh = await this.options.tokens.freshToken(accountId, { minTtlMs });
    const clearSeconds = settings.clipboardClearSeconds > 0 ? settings.clipboardClearSeconds : null;
    await clipboard.write(
      copyText(format, profile, accountId, fresh.accessToken),
      clearSeconds === null ? null : clearSeconds * 1000,
      { conceal: true },
    );
    logger.info('token copied', { account: accountId, format });
    return { expiresAt: fresh.expiresAt, clearsAfterSeconds: clearSeconds };
  }

  /** The token, after the user pressed Reveal, with its JWT claims and signature check. */
  async reveal(accountId: string): Promise<{ token: string; inspection: TokenInspection }> {
    const fresh = await this.options.tokens.freshToken(accountId);
    this.options.logger.info('token revealed by the user', { account: accountId });
    const view = await this.options.vault.read();
    const provider = readProvider(view, readAccount(view, accountId).providerId);
    const jwksUri = provider.discovered?.jwks_uri;
    const inspection = await inspectToken(
      fresh.accessToken,
      typeof jwksUri === 'string' ? jwksUri : undefined,
    );
    return { token: fresh.accessToken, inspection };
  }
}
