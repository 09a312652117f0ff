import { describe, expect, it } from 'vitest';
import { checkNewPassphrase } from '../../../src-renderer/forms/new-passphrase';

describe('checkNewPassphrase', () => {
  it('accepts 8 or more characters repeated exactly', () => {
    expect(checkNewPassphrase('12345678', '12345678')).toBeNull();
    expect(checkNewPassphrase('correct horse battery', 'correct horse battery')).toBeNull();
  });

  it.each([
    ['', ''],
    ['1234567', '1234567'],
  ])('refuses %j as too short, on the passphrase field', (passphrase, repeat) => {
    expect(checkNewPassphrase(passphrase, repeat)).toEqual({
      field: 'passphrase',
      message: 'Use at least 8 characters.',
    });
  });

  it('refuses more than main accepts', () => {
    const long = 'x'.repeat(1025);
    expect(checkNewPassphrase(long, long)?.field).toBe('passphrase');
  });

  it('refuses a repeat that differs, on the repeat field, after the length rule', () => {
    expect(checkNewPassphrase('correct horse', 'correct horse ')).toEqual({
      field: 'repeat',
      message: 'The two passphrases do not match.',
    });
    expect(checkNewPassphrase('short', 'other')?.field).toBe('passphrase');
  });
});
