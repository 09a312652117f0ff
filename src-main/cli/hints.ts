import type { ErrorCode } from '../core';
import { PROFILE_FIELD_FLAGS } from './spec-setup';

/**
 * What a person at the command line can do about an error: a command or a flag that exists.
 *
 * The core's messages say what went wrong in words the app shows too; this adds the command
 * line's way out, from the error's code and details. A test walks every error code and checks
 * that each command and flag named here exists.
 */

type Details = Readonly<Record<string, string | number | boolean | null>>;

/** The hint for an error, or undefined when there is nothing to add. */
export function cliHint(code: ErrorCode, details: Details = {}): string | undefined {
  const text = (key: string) => (typeof details[key] === 'string' ? details[key] : undefined);
  switch (code) {
    case 'invalid_input':
    case 'profile_incomplete':
    case 'token_response_invalid':
      if (text('reason') === 'ambiguous') {
        return text('providerId') !== undefined
          ? 'Or make one the default: tokendeck default <account>'
          : 'Or give one another label: tokendeck rename <account> <label>';
      }
      return text('field') ? fieldHint(text('field')!) : undefined;
    case 'not_found':
      if (text('reference') !== undefined) return 'See: tokendeck accounts';
      if (text('providerId') !== undefined) {
        return `Connect one: tokendeck connect ${text('providerId')}`;
      }
      return text('accountId') !== undefined ? 'See: tokendeck accounts' : undefined;
    case 'conflict':
      if (text('reason') === 'exists') return 'Use --replace to edit it, or pick another name.';
      if (text('reason') === 'name_taken')
        return 'Use --overwrite to replace it, or pick another name.';
      if (text('reason') === 'has_accounts') return 'Remove them first: tokendeck remove <account>';
      return undefined;
    case 'unknown_variable':
      return text('providerId')
        ? `See its variables: tokendeck env list ${text('providerId')}`
        : undefined;
    case 'confirmation_required':
      return 'Add --yes to save anyway, or run it in a terminal to be asked.';
    case 'needs_reauth':
    case 'cannot_renew':
    case 'invalid_grant':
    case 'identity_mismatch': {
      const provider = text('providerId');
      if (!provider) return undefined;
      const account = text('accountId');
      return `Connect again: tokendeck connect ${provider}${account ? ` --account ${account}` : ''}`;
    }
    case 'invalid_client':
      return 'Check the client: tokendeck provider add <name> --replace --client-id ID --client-secret-stdin';
    case 'tls_error':
      return text('reason') === 'certificate'
        ? 'If a private CA signed it, trust it: tokendeck network --ca-file FILE'
        : undefined;
    case 'unsupported':
    case 'vault_locked':
    case 'vault_missing':
    case 'vault_corrupt':
    case 'vault_wrong_passphrase':
    case 'vault_slot_failed':
    case 'vault_slot_unavailable':
    case 'vault_insecure_backend':
    case 'vault_record_tampered':
    case 'vault_tampered':
    case 'vault_unsupported_version':
    case 'vault_lock_timeout':
    case 'vault_lock_lost':
    case 'vault_write_failed':
    case 'insecure_endpoint':
    case 'discovery_failed':
    case 'issuer_mismatch':
    case 'registration_failed':
    case 'callback_invalid':
    case 'callback_error':
    case 'implicit_response':
    case 'flow_timeout':
    case 'flow_cancelled':
    case 'port_in_use':
    case 'browser_failed':
    case 'token_endpoint_error':
    case 'rate_limited':
    case 'revocation_failed':
    case 'whoami_failed':
    case 'network_error':
    case 'http_error':
    case 'timeout':
    case 'cancelled':
    case 'origin_not_allowed':
    case 'response_too_large':
    case 'unauthorized_sender':
    case 'internal':
      return undefined;
    default:
      return code satisfies never;
  }
}

/** How to set a profile field: its flag, or a profile file for the few fields without one. */
export function fieldHint(field: string): string {
  if (field === 'apiKey') return 'Pass it with --api-key-stdin.';
  const flag = flagFor(field);
  if (flag) return `Set it with ${flag}.`;
  return `Set ${field} in a profile file: tokendeck provider export <name> > p.json, then tokendeck provider add <name> --replace --from-file p.json`;
}

/** The flag of a field, or of the nearest field above it (`scopes.0` → `--scope`). */
function flagFor(field: string): string | undefined {
  for (let path = field; path; path = path.slice(0, Math.max(0, path.lastIndexOf('.')))) {
    if (PROFILE_FIELD_FLAGS[path]) return PROFILE_FIELD_FLAGS[path];
  }
  return undefined;
}
