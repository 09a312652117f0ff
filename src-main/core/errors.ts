/**
 * The one error class of the core.
 *
 * Every failure the core reports carries a stable `code` that tests, the IPC layer and the CLI
 * switch on. Messages are for people and may change; codes may not. Details must never hold a
 * secret (token, code, verifier, client secret, API key).
 */
export const ERROR_CODES = [
  // input and lookup
  'invalid_input',
  'not_found',
  'conflict',
  'confirmation_required',
  'unsupported',
  'unknown_variable',
  // vault
  'vault_locked',
  'vault_missing',
  'vault_corrupt',
  'vault_wrong_passphrase',
  'vault_slot_failed',
  'vault_slot_unavailable',
  'vault_insecure_backend',
  'vault_record_tampered',
  'vault_tampered',
  'vault_unsupported_version',
  'vault_lock_timeout',
  'vault_lock_lost',
  'vault_write_failed',
  // provider setup
  'insecure_endpoint',
  'discovery_failed',
  'issuer_mismatch',
  'registration_failed',
  'profile_incomplete',
  // authorization flow
  'callback_invalid',
  'callback_error',
  'implicit_response',
  'flow_timeout',
  'flow_cancelled',
  'port_in_use',
  'browser_failed',
  // token endpoint and renewal
  'token_endpoint_error',
  'token_response_invalid',
  'invalid_grant',
  'invalid_client',
  'rate_limited',
  'needs_reauth',
  'cannot_renew',
  'revocation_failed',
  'whoami_failed',
  'identity_mismatch',
  // network and requests
  'network_error',
  'tls_error',
  'http_error',
  'timeout',
  'cancelled',
  'origin_not_allowed',
  'response_too_large',
  // app
  'unauthorized_sender',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface TokendeckErrorOptions {
  cause?: unknown;
  /** Non-secret facts for the UI and logs: a file path, an HTTP status, a slot kind. */
  details?: Record<string, string | number | boolean | null>;
}

export class TokendeckError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, string | number | boolean | null>;

  constructor(code: ErrorCode, message: string, options: TokendeckErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TokendeckError';
    this.code = code;
    this.details = options.details ?? {};
  }
}

export function isTokendeckError(value: unknown): value is TokendeckError {
  return value instanceof TokendeckError;
}

/** The shape an error takes across IPC and in `--json` output. */
export interface ErrorPayload {
  ok: false;
  code: ErrorCode;
  message: string;
  details?: Record<string, string | number | boolean | null>;
}

/**
 * Turns anything thrown into a payload that is safe to show.
 *
 * Unknown errors become `internal` with a generic message, so a stray library message that might
 * quote a secret never crosses into the UI.
 */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (isTokendeckError(error)) {
    const payload: ErrorPayload = { ok: false, code: error.code, message: error.message };
    if (Object.keys(error.details).length > 0) payload.details = error.details;
    return payload;
  }
  return { ok: false, code: 'internal', message: 'An unexpected error occurred.' };
}

/** Closes a switch over a union; the compiler proves it unreachable. */
export function assertNever(value: never, what = 'value'): never {
  throw new TokendeckError('internal', `Unexpected ${what}: ${String(value)}`);
}
