import type { ErrorCode } from '../../src-preload/contract';

/**
 * A failed sign-in in plain words: a short title, what the provider or Tokendeck said, and what
 * to do next. Every next step names a button or field that exists in the app.
 */
export interface PlainError {
  title: string;
  detail: string;
  next: string;
}

const EDIT = 'Open Providers, press Edit on this provider, and check';

export function plainFlowError(code: ErrorCode, message: string): PlainError {
  const detail = message;
  switch (code) {
    case 'callback_error':
      if (/access_denied/.test(message)) {
        return {
          title: 'Access was declined',
          detail: providerSaid(message),
          next: 'Nothing was stored. Press Try again and choose Allow (or Continue) in the browser.',
        };
      }
      return {
        title: 'The provider refused the sign-in',
        detail: providerSaid(message),
        next: `${EDIT} the client id, scopes and redirect, then press Try again.`,
      };
    case 'flow_cancelled':
      return { title: 'Sign-in cancelled', detail, next: 'Press Try again to start over.' };
    case 'flow_timeout':
      return {
        title: 'The browser did not come back in time',
        detail,
        next: 'Press Try again, and finish signing in within five minutes.',
      };
    case 'port_in_use':
      return {
        title: 'The redirect port is busy',
        detail,
        next: `Close the program using that port. Or: ${EDIT} the redirect (Loopback picks a free port).`,
      };
    case 'discovery_failed':
    case 'issuer_mismatch':
    case 'insecure_endpoint':
      return {
        title: 'The provider’s address does not work',
        detail,
        next: `${EDIT} the issuer URL.`,
      };
    case 'invalid_client':
      return {
        title: 'The provider does not accept this client',
        detail,
        next: `${EDIT} the client id, and enter the client secret again.`,
      };
    case 'registration_failed':
      return {
        title: 'The provider would not register Tokendeck',
        detail,
        next: `${EDIT} Client: choose "I have a client id" and enter the one the provider gave you.`,
      };
    case 'whoami_failed':
      return {
        title: 'Signed in, but the account could not be named',
        detail,
        next: `${EDIT} "Who am I", then press Try again.`,
      };
    case 'network_error':
    case 'timeout':
      return {
        title: 'The provider could not be reached',
        detail,
        next: 'Check your connection and the provider’s URLs, then press Try again.',
      };
    case 'browser_failed':
      return {
        title: 'The browser could not be opened',
        detail,
        next: 'Press Try again, then use Copy link and paste it into your browser.',
      };
    case 'identity_mismatch':
      return {
        title: 'That was a different account',
        detail,
        next: 'Nothing was replaced. Press Try again and sign in as the same user; to add the other user as its own account, press Close, then Connect on the provider.',
      };
    case 'conflict':
      return { title: 'A sign-in is already running', detail, next: 'Finish or cancel it first.' };
    default:
      return { title: 'The sign-in failed', detail, next: 'Press Try again.' };
  }
}

/** The provider's own words, `error_description` first, from the core's message. */
function providerSaid(message: string): string {
  const match = /:\s*([a-z_]+)\s*\((.*)\)\.?$/s.exec(message);
  if (!match) return message;
  const [, error, description] = match;
  return description ? `${description} (${error})` : (error ?? message);
}
