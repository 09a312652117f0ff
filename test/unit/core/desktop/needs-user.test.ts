import { describe, expect, it } from 'vitest';
import {
  AttentionWatch,
  copiedNotice,
  copyFailedNotice,
  needsUserNotice,
} from '../../../../src-main/core/desktop';
import { account } from './accounts';

describe('attention watch', () => {
  it('reports a move into needing the user once, and again only after a recovery', () => {
    const watch = new AttentionWatch();
    expect(watch.update([account('a'), account('b')])).toEqual([]);
    expect(watch.update([account('a', 'needs-reauth')]).map((a) => a.id)).toEqual(['a']);
    expect(watch.update([account('a', 'needs-reauth')])).toEqual([]);
    expect(watch.update([account('a', 'expired')])).toEqual([]);
    expect(watch.update([account('a', 'fresh')])).toEqual([]);
    expect(watch.update([account('a', 'expired')]).map((a) => a.id)).toEqual(['a']);
  });

  it('takes the first sight of an account as its baseline, even when it already needs the user', () => {
    const watch = new AttentionWatch();
    expect(watch.update([account('old', 'expired')])).toEqual([]);
    expect(watch.update([account('new', 'needs-reauth')])).toEqual([]);
    watch.forget('old');
    expect(watch.update([account('old', 'expired')])).toEqual([]);
  });

  it('does not count a transient error or an expiring token as needing the user', () => {
    const watch = new AttentionWatch();
    watch.update([account('a')]);
    expect(watch.update([account('a', 'error')])).toEqual([]);
    expect(watch.update([account('a', 'expiring')])).toEqual([]);
    expect(watch.update([account('a', 'refreshing')])).toEqual([]);
  });
});

describe('notices', () => {
  it('names the provider, the account and the reason, as plain text', () => {
    const notice = needsUserNotice(
      account('acct-1', 'needs-reauth', {
        label: 'alice@example.com',
        status: { state: 'needs-reauth', reason: 'The provider refused the refresh token.\n' },
      }),
    );
    expect(notice).toEqual({
      accountId: 'acct-1',
      title: 'Sign in to Attendium again',
      body: 'alice@example.com: The provider refused the refresh token.',
    });
  });

  it('say when the clipboard is cleared after a copy from the tray, as the toast does', () => {
    expect(copiedNotice('ci-bot', { expiresAt: null, clearsAfterSeconds: 45 })).toEqual({
      title: 'Copied — ci-bot',
      body: 'The clipboard is cleared in 45 s.',
      silent: true,
    });
    expect(copiedNotice('ci-bot', { expiresAt: null, clearsAfterSeconds: null }).body).toBe(
      'It stays on the clipboard until Tokendeck quits.',
    );
    expect(copyFailedNotice('ci-bot', 'The provider refused.\nSign in again.')).toEqual({
      title: 'Could not copy ci-bot',
      body: 'The provider refused. Sign in again.',
    });
  });
});
