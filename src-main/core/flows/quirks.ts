import { parseJsonObject, type FetchLike, type ProviderProfile } from '../providers';

/**
 * The one named seam where provider deviations from the RFCs are adapted.
 *
 * Every flow runs the same oauth4webapi steps; a profile's quirks only wrap the fetch those steps
 * use (oauth4webapi's `customFetch`), chosen from profile fields:
 *
 * - `client.auth: 'json'` rewrites a token request's form body into a JSON object with the same
 *   fields, sent as application/json (EventBookings). RFC 6749 §4.4.2 wants a form body.
 * - `quirks.assumeTokenType` gives a successful token response without `token_type` that type
 *   (RFC 6749 §5.1 requires it). Without the quirk such a response is refused.
 * - `quirks.ignoreIdToken` drops a non-OIDC `id_token` from a token response (Attentive).
 *
 * For token endpoint requests only. Returns undefined when the profile needs no adaptation.
 */
export function quirkFetch(
  profile: ProviderProfile,
): ((inner: FetchLike) => FetchLike) | undefined {
  const jsonBody = profile.client.auth === 'json';
  const { assumeTokenType, ignoreIdToken } = profile.quirks;
  if (!jsonBody && !assumeTokenType && !ignoreIdToken) return undefined;
  return (inner) => async (url, init) => {
    const response = await inner(url, jsonBody ? toJsonBody(init) : init);
    if (!assumeTokenType && !ignoreIdToken) return response;
    return fixTokenResponse(response, assumeTokenType, ignoreIdToken === true);
  };
}

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
  assumeTokenType: string | undefined,
  ignoreIdToken: boolean,
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
  if (assumeTokenType && json.token_type === undefined) {
    json.token_type = assumeTokenType;
    changed = true;
  }
  if (ignoreIdToken && json.id_token !== undefined) {
    delete json.id_token;
    changed = true;
  }
  return rebuild(changed ? JSON.stringify(json) : text);
}
