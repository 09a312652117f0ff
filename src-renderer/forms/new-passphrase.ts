/**
 * The rules for choosing a passphrase, checked before anything is sent to main.
 *
 * Main accepts any non-empty passphrase up to 1024 characters; the app asks for at least
 * {@link MIN_PASSPHRASE_LENGTH} so the command-line slot is not trivially guessed.
 */

export const MIN_PASSPHRASE_LENGTH = 8;
export const MAX_PASSPHRASE_LENGTH = 1024;

/** Which field a problem belongs to, so the form can show it beside that field. */
export interface PassphraseProblem {
  field: 'passphrase' | 'repeat';
  message: string;
}

/** Checks a new passphrase and its repetition; null when both are fine. */
export function checkNewPassphrase(passphrase: string, repeat: string): PassphraseProblem | null {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    return {
      field: 'passphrase',
      message: `Use at least ${MIN_PASSPHRASE_LENGTH} characters.`,
    };
  }
  if (passphrase.length > MAX_PASSPHRASE_LENGTH) {
    return {
      field: 'passphrase',
      message: `Use at most ${MAX_PASSPHRASE_LENGTH} characters.`,
    };
  }
  if (repeat !== passphrase) {
    return { field: 'repeat', message: 'The two passphrases do not match.' };
  }
  return null;
}
