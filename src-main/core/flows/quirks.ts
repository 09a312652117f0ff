import { nullLogger, type Logger } from '../log';
import { parseJsonObject, type FetchLike, type ProviderProfile } from '../providers';

/**
 * The one named seam where provider deviations from the RFCs are adapted.
 *
 * Every flow runs the same oauth4webapi steps; a profile's quirks only wrap the fetch those steps
 * use (oauth4webapi's `customFetch`) and name the token types they accept, chosen from profile
 * fields:
 *
 * - `client.auth: 'json'` rewrites a token request's form body into a JSON object with the same
 *   fields, sent as application/json (EventBookings). RFC 6749 §4.4.2 wants a form body.
 * - A successful token response without `token_type` (RFC 6749 §5.1 requires it; many servers,
 *   one seed included, leave it out) is given `quirks.assumeTokenType`, by default Bearer, and
 *   the log notes it once per provider (SECURITY 35).
 * - `quirks.acceptTokenType` accepts one `token_type` besides Bearer and DPoP; its tokens are sent
 *   as the profile's `use` says. Any other type is refused.
 * - `quirks.ignoreIdToken` drops a non-OIDC `id_token` from a token response (Attentive).
 *
 * For token endpoint requests only.
 */
export function quirkFetch(
  profile: ProviderProfile,
  logger: Logger = nullLogger,
): (inner: FetchLike) => FetchLike {
  const jsonBody = profile.client.auth === 'json';
  return (inner) => async (url, init) => {
    const response = await inner(url, jsonBody ? toJsonBody(init) : init);
    return fixTokenResponse(response, profile, logger);
  };
}

/** oauth4webapi's options for the token types a profile accepts beyond Bearer and DPoP. */
export function tokenTypeOptions(profile: ProviderProfile): {
  recognizedTokenTypes?: Record<string, () => void>;
} {
  const accepted = profile.quirks.acceptTokenType?.toLowerCase();
  return accepted ? { recognizedTokenTypes: { [accepted]: () => undefined } } : {};
}

/** Providers already noted in the log for omitting `token_type`, in this process. */
const notedMissingType = new Set<string>();

function toJsonBody(init: RequestInit): RequestInit {
  if (!(init.body instanceof URLSearchParams)) return init;
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, key) => {
    headers[key] = value;
  });
  headers['content-type'] = 'application/json';
  return { ...init, headers, body: JSON.stringify(Object.fromEntries(init.body)) };
}

async function fixTokenResponse(
  response: Response,
  profile: ProviderProfile,
  logger: Logger,
): Promise<Response> {
  if (response.status !== 200) return response;
  const text = await response.text();
  const json = parseJsonObject(text);
  const rebuild = (body: string) =>
    new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  if (!json || typeof json.access_token !== 'string') return rebuild(text);
  let changed = false;
  if (json.token_type === undefined) {
    json.token_type = profile.quirks.assumeTokenType ?? 'Bearer';
    changed = true;
    if (!notedMissingType.has(profile.id)) {
      notedMissingType.add(profile.id);
      logger.info('the token response has no token_type; taking it as the profile assumes', {
        provider: profile.id,
        tokenType: json.token_type,
      });
    }
  }
  if (profile.quirks.ignoreIdToken && json.id_token !== undefined) {
    delete json.id_token;
    changed = true;
  }
  return rebuild(changed ? JSON.stringify(json) : text);
}
