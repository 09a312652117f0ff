import { TokendeckError, assertNever, isTokendeckError } from '../errors';
import { findPlaceholders } from './presets';
import { SECRET_AUTH_METHODS, providerProfileSchema, type ProviderProfile } from './profile';
import { assertSecureUrl, hasScheme, isLoopbackHost } from './urls';

/** Authorize parameters that Tokendeck sets itself and a profile may not override. */
const RESERVED_AUTHORIZE_PARAMS = new Set([
  'client_id',
  'response_type',
  'redirect_uri',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'scope',
  'response_mode',
  'request',
  'request_uri',
  'dpop_jkt',
]);
/** Token parameters that the grant sets itself. */
const RESERVED_TOKEN_PARAMS = new Set([
  'grant_type',
  'code',
  'code_verifier',
  'redirect_uri',
  'refresh_token',
  'client_id',
  'client_secret',
  'client_assertion',
  'client_assertion_type',
  'device_code',
  'subject_token',
  'subject_token_type',
  'requested_token_type',
]);
/** Grants where a person signs in, so the ID token and userinfo name the account. */
const USER_GRANTS = new Set(['authorization_code', 'device_code']);

/**
 * Parses and checks a provider profile.
 *
 * The zod schema checks each field; then the cross-field rules: an authorization code profile
 * needs an authorization and a token endpoint, or an issuer to discover them; client credentials
 * need a token endpoint or an issuer, a static client id and a secret-capable client
 * authentication; dynamic registration needs an issuer or a registration endpoint and client
 * authentication `none`; a static client needs its id (API key profiles need none of this).
 * Every URL must be https, or http on a loopback host. Failures are `invalid_input` (with
 * `details.field`, the dotted path) or `insecure_endpoint`.
 */
export function validateProfile(input: unknown): ProviderProfile {
  const parsed = providerProfileSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const keys = 'keys' in issue && Array.isArray(issue.keys) ? issue.keys.map(String) : [];
    const path = [...issue.path.map(String), ...(keys.length === 1 ? keys : [])];
    const field = path.join('.') || 'profile';
    const extra = keys.length > 1 ? ` (${keys.join(', ')})` : '';
    throw new TokendeckError(
      'invalid_input',
      `Provider profile field ${field}: ${issue.message}${extra}.`,
      {
        details: { field },
      },
    );
  }
  const profile = parsed.data;
  checkUrls(profile);
  checkGrant(profile);
  checkParams(profile);
  checkWhoami(profile);
  return profile;
}

/** One problem with a profile, for the form field it belongs to. */
export interface ProfileIssue {
  /** The dotted path of the field (`endpoints.token`), or `profile` for the whole. */
  field: string;
  message: string;
}

/**
 * Every problem a profile has, for inline validation while it is being edited.
 *
 * Runs the same schema and rules as {@link validateProfile}, but lists every schema issue (one
 * per field) instead of stopping at the first; the cross-field rules, which need a parsed
 * profile, add their first finding. Preset placeholders (YOUR_CLIENT_ID) are reported too, since
 * saving refuses them.
 */
export function profileIssues(input: unknown): ProfileIssue[] {
  const parsed = providerProfileSchema.safeParse(input);
  if (!parsed.success) {
    const seen = new Set<string>();
    const issues: ProfileIssue[] = [];
    for (const issue of parsed.error.issues) {
      const keys = 'keys' in issue && Array.isArray(issue.keys) ? issue.keys.map(String) : [];
      const field = [...issue.path.map(String), ...(keys.length === 1 ? keys : [])].join('.');
      const key = field || 'profile';
      if (seen.has(key)) continue;
      seen.add(key);
      issues.push({ field: key, message: issue.message });
    }
    // The URL policy is checked field by field even while another field fails the schema, so a
    // plain-http issuer is marked at once, not only after every other field is fixed.
    for (const [field, value] of urlFields(input)) {
      if (seen.has(field)) continue;
      try {
        assertSecureUrl(value, field);
      } catch (error) {
        if (!isTokendeckError(error)) throw error;
        issues.push({ field, message: error.message.replace(`${field} `, '') });
      }
    }
    return issues;
  }
  const issues: ProfileIssue[] = findPlaceholders(parsed.data).map((field) => ({
    field,
    message: 'Fill this in: the preset only has a placeholder here.',
  }));
  try {
    validateProfile(parsed.data);
  } catch (error) {
    if (!isTokendeckError(error)) throw error;
    const field = typeof error.details?.field === 'string' ? error.details.field : 'profile';
    const message = error.message.replace(/^Provider profile field [^:]+: /, '');
    if (!issues.some((issue) => issue.field === field)) issues.push({ field, message });
  }
  return issues;
}

const URL_FIELDS = [
  ['issuer'],
  ['endpoints', 'authorization'],
  ['endpoints', 'token'],
  ['endpoints', 'registration'],
  ['endpoints', 'userinfo'],
  ['endpoints', 'revocation'],
  ['use', 'apiBase'],
  ['use', 'graphqlUrl'],
] as const;

/** The URL-valued fields present in a raw profile, as `[dotted path, value]`. */
function urlFields(input: unknown): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  for (const path of URL_FIELDS) {
    let value: unknown = input;
    for (const key of path) {
      value =
        value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    }
    if (typeof value === 'string' && value.trim() !== '')
      found.push([path.join('.'), value.trim()]);
  }
  return found;
}

function fail(field: string, message: string): never {
  throw new TokendeckError('invalid_input', `Provider profile field ${field}: ${message}`, {
    details: { field },
  });
}

function checkUrls(profile: ProviderProfile): void {
  const urls: [string, string | undefined][] = [
    ['issuer', profile.issuer],
    ['endpoints.authorization', profile.endpoints.authorization],
    ['endpoints.token', profile.endpoints.token],
    ['endpoints.registration', profile.endpoints.registration],
    ['endpoints.userinfo', profile.endpoints.userinfo],
    ['endpoints.revocation', profile.endpoints.revocation],
    ['endpoints.device', profile.endpoints.device],
    ['endpoints.par', profile.endpoints.par],
    ['use.apiBase', profile.use.apiBase],
    ['use.graphqlUrl', profile.use.graphqlUrl],
  ];
  if (profile.whoami.kind === 'rest' && hasScheme(profile.whoami.url)) {
    urls.push(['whoami.url', profile.whoami.url]);
  }
  for (const [field, url] of urls) {
    if (url !== undefined) assertSecureUrl(url, field);
  }
  if (profile.redirect.mode === 'fixed') {
    const uri = new URL(profile.redirect.uri);
    if (uri.protocol !== 'http:' || !isLoopbackHost(uri.hostname)) {
      fail(
        'redirect.uri',
        'a fixed redirect must be an http URL on a loopback host (such as http://127.0.0.1:8765/callback), where Tokendeck can listen.',
      );
    }
    if (uri.search || uri.hash)
      fail('redirect.uri', 'a fixed redirect must not carry a query or fragment.');
  }
}

function checkGrant(profile: ProviderProfile): void {
  const { grant, client, endpoints, issuer } = profile;
  if (grant === 'api_key') return;
  if (grant === 'authorization_code' && !issuer && !(endpoints.authorization && endpoints.token)) {
    fail(
      endpoints.authorization ? 'endpoints.token' : 'endpoints.authorization',
      'the authorization code grant needs an authorization and a token endpoint, or an issuer to discover them.',
    );
  }
  if (grant === 'device_code' && !issuer && !(endpoints.device && endpoints.token)) {
    fail(
      endpoints.device ? 'endpoints.token' : 'endpoints.device',
      'the device authorization grant needs a device authorization and a token endpoint, or an issuer to discover them.',
    );
  }
  if (grant === 'client_credentials') {
    if (!issuer && !endpoints.token) {
      fail(
        'endpoints.token',
        'the client credentials grant needs a token endpoint, or an issuer to discover it.',
      );
    }
    if (client.registration !== 'static') {
      fail(
        'client.registration',
        'the client credentials grant needs a static client (a client id and secret).',
      );
    }
    if (!SECRET_AUTH_METHODS.has(client.auth) && client.auth !== 'private_key_jwt') {
      fail(
        'client.auth',
        'the client credentials grant needs client_secret_basic, client_secret_post, json, client_secret_jwt or private_key_jwt.',
      );
    }
  }
  if (client.registration === 'dynamic') {
    if (!issuer && !endpoints.registration) {
      fail(
        'endpoints.registration',
        'dynamic registration needs a registration endpoint, or an issuer to discover it.',
      );
    }
    if (client.auth !== 'none') {
      fail(
        'client.auth',
        'a dynamically registered native client is public: its client authentication must be none.',
      );
    }
  } else if (!client.clientId) {
    fail('client.clientId', 'a static client needs its client id.');
  }
}

function checkParams(profile: ProviderProfile): void {
  for (const key of Object.keys(profile.authorizeParams)) {
    if (RESERVED_AUTHORIZE_PARAMS.has(key)) {
      fail(`authorizeParams.${key}`, `${key} is set by Tokendeck and cannot be overridden.`);
    }
  }
  for (const key of Object.keys(profile.tokenParams)) {
    if (RESERVED_TOKEN_PARAMS.has(key)) {
      fail(`tokenParams.${key}`, `${key} is set by Tokendeck and cannot be overridden.`);
    }
  }
}

function checkWhoami(profile: ProviderProfile): void {
  const { whoami, grant } = profile;
  switch (whoami.kind) {
    case 'userinfo':
      if (!USER_GRANTS.has(grant))
        fail(
          'whoami.kind',
          'userinfo needs a grant where a person signs in (authorization code or device).',
        );
      if (!profile.endpoints.userinfo && !profile.issuer) {
        fail(
          'endpoints.userinfo',
          'a userinfo "who am I" needs a userinfo endpoint, or an issuer to discover it.',
        );
      }
      return;
    case 'id_token':
      if (!USER_GRANTS.has(grant) || !profile.scopes.includes('openid')) {
        fail(
          'whoami.kind',
          'naming the account by its ID token needs a grant where a person signs in and the openid scope.',
        );
      }
      return;
    case 'rest':
      if (!hasScheme(whoami.url)) {
        if (!whoami.url.startsWith('/'))
          fail('whoami.url', 'must be an absolute URL or a path starting with /.');
        if (!profile.use.apiBase)
          fail('use.apiBase', 'a REST "who am I" path needs an API base URL.');
      }
      return;
    case 'graphql':
      if (!profile.use.graphqlUrl)
        fail('use.graphqlUrl', 'a GraphQL "who am I" needs a GraphQL URL.');
      return;
    case 'none':
      return;
    default:
      assertNever(whoami, 'whoami kind');
  }
}
