import { isTokendeckError, type ErrorCode } from '../core';

/**
 * Exit codes that say the cause, so a script can tell "sign in again" from "network down".
 *
 * 22 is curl's code for `--fail` on an HTTP error, and 130 the shell's for Ctrl-C.
 */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  notFound: 3,
  needsUser: 4,
  locked: 5,
  unreachable: 6,
  httpError: 22,
  cancelled: 130,
} as const;

export const EXIT_CODE_HELP = `Exit codes:
  0    ok
  1    error
  2    usage: a mistake in the command line (a name that means two accounts, no --yes,
       a {{variable}} the provider does not have)
  3    not found: no such account or provider
  4    the account needs you: sign in again (tokendeck connect <provider>)
  5    the vault is locked, or the passphrase is wrong
  6    the provider could not be reached
  22   request --fail: the server answered with HTTP 400 or more
  130  cancelled
`;

const BY_CODE: Partial<Record<ErrorCode, number>> = {
  // A script that did not say --yes to a question it cannot be asked.
  confirmation_required: EXIT.usage,
  // A request naming a {{variable}} the provider's environment does not have.
  unknown_variable: EXIT.usage,
  not_found: EXIT.notFound,
  needs_reauth: EXIT.needsUser,
  cannot_renew: EXIT.needsUser,
  invalid_grant: EXIT.needsUser,
  vault_locked: EXIT.locked,
  vault_wrong_passphrase: EXIT.locked,
  network_error: EXIT.unreachable,
  timeout: EXIT.unreachable,
  cancelled: EXIT.cancelled,
  flow_cancelled: EXIT.cancelled,
};

/** The exit code for a failure. */
export function exitCodeFor(error: unknown): number {
  if (!isTokendeckError(error)) return EXIT.error;
  if (error.code === 'invalid_input' && error.details.usage === true) return EXIT.usage;
  // A name that means several accounts is a mistake in the command line, as is a typo.
  if (error.code === 'invalid_input' && error.details.reason === 'ambiguous') return EXIT.usage;
  // A vault in recovery (corrupt, unreadable) is not locked: no passphrase will open it.
  if (error.code === 'vault_locked' && error.details.state === 'recovery') return EXIT.error;
  return BY_CODE[error.code] ?? EXIT.error;
}
