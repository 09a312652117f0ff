import { TokendeckError } from '../errors';
import { hasScheme, parseHttpUrl, type ProviderProfile } from '../providers';
import type { RequestSpec } from './types';

/**
 * The provider's own origins, the only places the token goes without an opt-in (SECURITY 11).
 *
 * They are the origins of `use.apiBase`, `use.graphqlUrl`, the `issuer`, and every endpoint.
 */
export function providerOrigins(profile: ProviderProfile): Set<string> {
  const urls = [
    profile.use.apiBase,
    profile.use.graphqlUrl,
    profile.issuer,
    ...Object.values(profile.endpoints),
  ];
  const origins = new Set<string>();
  for (const value of urls) {
    const url = value ? parseHttpUrl(value) : undefined;
    if (url) origins.add(url.origin);
  }
  return origins;
}

/**
 * Resolves the URL a request goes to.
 *
 * An absolute URL must be http(s). Anything else is a path under `use.apiBase`, appended to the
 * base's own path (`/me` under `https://api.example/v1` is `https://api.example/v1/me`). A
 * GraphQL request without a URL uses `use.graphqlUrl`. REST query pairs are appended. URLs with
 * a user name or password are refused: credentials belong in a header, not in the history.
 * Throws `invalid_input`.
 */
export function resolveRequestUrl(spec: RequestSpec, profile: ProviderProfile): URL {
  const given = spec.kind === 'graphql' ? (spec.url ?? profile.use.graphqlUrl) : spec.url;
  if (given === undefined || given.trim() === '') {
    throw new TokendeckError(
      'invalid_input',
      spec.kind === 'graphql'
        ? 'This provider has no GraphQL URL; give one with the request (--url).'
        : 'The request has no URL.',
    );
  }
  const text = given.trim();
  let url: URL;
  if (hasScheme(text)) {
    const parsed = parseHttpUrl(text);
    if (!parsed)
      throw new TokendeckError('invalid_input', 'Only http and https URLs can be requested.');
    url = parsed;
  } else {
    const base = profile.use.apiBase;
    if (!base) {
      throw new TokendeckError(
        'invalid_input',
        'This provider has no API base; give a full https:// URL instead of a path.',
      );
    }
    const joined = parseHttpUrl(
      base.replace(/\/+$/, '') + (text.startsWith('/') ? text : `/${text}`),
    );
    if (!joined)
      throw new TokendeckError(
        'invalid_input',
        'The path does not make a valid URL under the API base.',
      );
    url = joined;
  }
  if (url.username !== '' || url.password !== '') {
    throw new TokendeckError(
      'invalid_input',
      'URLs with a user name or password are refused; send credentials in a header.',
    );
  }
  if (spec.kind === 'rest') {
    for (const [name, value] of spec.query ?? []) url.searchParams.append(name, value);
  }
  return url;
}
