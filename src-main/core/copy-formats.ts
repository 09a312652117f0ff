import { curlTokenHeader, shellQuote } from './console';
import { assertNever } from './errors';
import type { CopyFormat } from './model';
import type { ProviderProfile } from './providers';

/** True when the copied text holds the token itself, and so must be cleared later. */
export function copiesSecret(format: CopyFormat): boolean {
  return format !== 'curl';
}

function headerLabel(profile: ProviderProfile): string {
  const prefix = profile.use.headerPrefix ? `${profile.use.headerPrefix} ` : '';
  return `${profile.use.headerName}: ${prefix}`;
}

/**
 * The text Copy puts on the clipboard for an account.
 *
 * - `token`: the access token alone;
 * - `header`: the header line as the profile sends it (`Authorization: Bearer <token>`);
 * - `curl`: a curl command whose token is fetched when it runs, `$(tokendeck token '<id>')`, so
 *   no token is copied at all.
 *
 * `token` is needed for every format that holds the token.
 */
export function copyText(
  format: CopyFormat,
  profile: ProviderProfile,
  accountId: string,
  token?: string,
): string {
  switch (format) {
    case 'token':
      return token ?? '';
    case 'header':
      return `${headerLabel(profile)}${token ?? ''}`;
    case 'curl': {
      const base = profile.use.apiBase ?? profile.use.graphqlUrl;
      const url = base ? shellQuote(base) : "'<URL>'";
      return `curl -sS -H ${curlTokenHeader(headerLabel(profile), accountId)} ${url}`;
    }
    default:
      return assertNever(format, 'copy format');
  }
}
