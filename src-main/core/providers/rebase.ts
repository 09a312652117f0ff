import { TokendeckError } from '../errors';
import type { ProviderProfileInput } from './profile';

const ORIGIN_PREFIX = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/**
 * The origin a profile is anchored on: its issuer's, else its token endpoint's.
 *
 * Profiles with neither (an API key profile) fall back to the authorization endpoint, then the
 * API base, then the GraphQL URL.
 */
export function baseOrigin(profile: ProviderProfileInput): string | undefined {
  const anchor =
    profile.issuer ??
    profile.endpoints?.token ??
    profile.endpoints?.authorization ??
    profile.use?.apiBase ??
    profile.use?.graphqlUrl;
  return anchor ? originOf(anchor) : undefined;
}

/**
 * Moves every URL of a profile that shares its base origin to another origin, keeping paths.
 *
 * This points a preset at a staging or local server (`--base-url`). URLs on other origins (a
 * separate API host, say) are left alone, as is the loopback redirect.
 */
export function rebaseProfile<T extends ProviderProfileInput>(profile: T, baseUrl: string): T {
  const target = parseBase(baseUrl);
  const from = baseOrigin(profile);
  if (!from) {
    throw new TokendeckError(
      'invalid_input',
      'This profile has no URL to move to another origin.',
      {
        details: { field: 'baseUrl' },
      },
    );
  }
  const move = <V extends string | undefined>(url: V): V =>
    (url !== undefined && originOf(url) === from
      ? target + url.replace(ORIGIN_PREFIX, '')
      : url) as V;
  const out: T = structuredClone(profile);
  if (out.issuer !== undefined) out.issuer = move(out.issuer);
  if (out.endpoints) {
    const endpoints = out.endpoints;
    for (const key of Object.keys(endpoints) as (keyof typeof endpoints)[]) {
      endpoints[key] = move(endpoints[key]);
    }
  }
  if (out.use) {
    if (out.use.apiBase !== undefined) out.use.apiBase = move(out.use.apiBase);
    if (out.use.graphqlUrl !== undefined) out.use.graphqlUrl = move(out.use.graphqlUrl);
  }
  if (out.whoami?.kind === 'rest') out.whoami.url = move(out.whoami.url);
  return out;
}

function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.origin === 'null' ? undefined : parsed.origin;
  } catch {
    return undefined;
  }
}

function parseBase(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch (cause) {
    throw new TokendeckError('invalid_input', 'The base URL is not an absolute URL.', {
      cause,
      details: { field: 'baseUrl' },
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TokendeckError('invalid_input', 'The base URL must be http(s).', {
      details: { field: 'baseUrl' },
    });
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new TokendeckError(
      'invalid_input',
      'The base URL must be an origin only, such as http://127.0.0.1:4000.',
      {
        details: { field: 'baseUrl' },
      },
    );
  }
  return url.origin;
}
