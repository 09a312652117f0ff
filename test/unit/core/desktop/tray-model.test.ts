import { describe, expect, it } from 'vitest';
import { plainText, trayModel } from '../../../../src-main/core/desktop';
import { account } from './accounts';

const aluma = { providerId: 'aluma', providerName: 'Aluma' };

describe('tray model', () => {
  it('groups accounts by provider, providers and accounts in name order', () => {
    const model = trayModel(
      [
        account('zed'),
        account('ci', 'fresh', aluma),
        account('alice'),
        account('bot', 'fresh', aluma),
      ],
      'unlocked',
    );
    expect(model.providers.map((p) => [p.label, p.accounts.map((a) => a.label)])).toEqual([
      ['Aluma', ['bot', 'ci']],
      ['Attendium', ['alice', 'zed']],
    ]);
    expect(model.headline).toBeNull();
    expect(model.tooltip).toBe('Tokendeck');
  });

  it('says which accounts need a new sign-in, and does not offer to copy them', () => {
    const model = trayModel(
      [account('a', 'needs-reauth'), account('b', 'expired'), account('c', 'error'), account('d')],
      'unlocked',
    );
    expect(model.headline).toBe('2 accounts need you to sign in again');
    expect(model.tooltip).toBe('Tokendeck: 2 accounts need you to sign in again');
    const [attendium] = model.providers;
    expect(attendium?.label).toBe('Attendium (2 to sign in again)');
    expect(attendium?.accounts).toEqual([
      { id: 'a', label: 'a — sign in again', canCopy: false },
      { id: 'b', label: 'b — sign in again', canCopy: false },
      { id: 'c', label: 'c — renewal failing', canCopy: true },
      { id: 'd', label: 'd', canCopy: true },
    ]);
    expect(trayModel([account('a', 'expired')], 'unlocked').headline).toBe(
      '1 account needs you to sign in again',
    );
  });

  it('lists a long provider only in part and says how many more the window has', () => {
    const many = Array.from({ length: 45 }, (_, i) =>
      account(`acct-${String(i).padStart(2, '0')}`),
    );
    const [provider] = trayModel(many, 'unlocked', 40).providers;
    expect(provider?.accounts).toHaveLength(40);
    expect(provider?.more).toBe(5);
  });

  it('shows no accounts while the vault is not open, and says what to do', () => {
    expect(trayModel([account('a')], 'locked')).toEqual({
      headline: 'Locked: open Tokendeck to unlock',
      tooltip: 'Tokendeck: Locked: open Tokendeck to unlock',
      providers: [],
    });
    expect(trayModel([], null).headline).toBe('Opening the vault…');
    expect(trayModel([], 'needs-setup').headline).toBe('Open Tokendeck to set up your vault');
    expect(trayModel([], 'recovery').headline).toBe('The vault needs you: open Tokendeck');
    expect(trayModel([], 'unlocked').headline).toBe('No accounts yet');
  });

  it('keeps control and direction-override characters from labels out of the menu (SECURITY 50)', () => {
    const model = trayModel(
      [account('a', 'fresh', { label: 'evil\u0007\nlabel\u202egnp.exe', providerName: 'P\rX' })],
      'unlocked',
    );
    expect(model.providers[0]?.label).toBe('P X');
    expect(model.providers[0]?.accounts[0]?.label).toBe('evil label gnp.exe');
  });
});

describe('plain text', () => {
  it('collapses whitespace and cuts long text with an ellipsis', () => {
    expect(plainText('  a \t b  ')).toBe('a b');
    expect(plainText('x'.repeat(70), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(plainText('🙂'.repeat(5), 3)).toBe('🙂🙂…');
  });
});
