import {
  CLIENT_AUTH_METHODS,
  GRANT_TYPES,
  profileFromPreset,
  rebaseProfile,
  type GrantType,
  type ProviderProfileInput,
} from '../core';
import { oneOf, seconds, usageError, type Values } from './args';

/**
 * The provider profile a `provider add` command line describes: a preset or a profile file, if
 * one is named, with every flag laid over it.
 */

/** Builds a provider profile from a preset or a file (if any) and the command-line fields. */
export function buildProfile(
  name: string,
  values: Values,
  fromFile?: ProviderProfileInput,
): ProviderProfileInput {
  const str = (key: string) => values[key] as string | undefined;
  const grant = oneOf<GrantType>(values.grant, GRANT_TYPES, '--grant');
  const auth = oneOf(values['client-auth'], CLIENT_AUTH_METHODS, '--client-auth');
  const preset = str('preset');
  const baseUrl = str('base-url');
  let profile: ProviderProfileInput = preset
    ? profileFromPreset(preset, { id: name, ...(baseUrl ? { baseUrl } : {}) })
    : (structuredClone(fromFile) ?? {
        id: name,
        name,
        grant: grant ?? 'authorization_code',
        client: { registration: 'static', auth: 'none' },
      });
  profile = { ...profile, id: name };
  if (!preset && baseUrl) profile = rebaseProfile(profile, baseUrl);
  if (str('display-name')) profile.name = str('display-name')!;
  if (grant) profile.grant = grant;
  if (str('issuer')) profile.issuer = str('issuer');
  const endpoints = { ...(profile.endpoints ?? {}) };
  for (const [option, field] of [
    ['authorization-url', 'authorization'],
    ['token-url', 'token'],
    ['userinfo-url', 'userinfo'],
    ['revocation-url', 'revocation'],
    ['registration-url', 'registration'],
    ['device-url', 'device'],
    ['par-url', 'par'],
  ] as const) {
    if (str(option)) endpoints[field] = str(option);
  }
  profile.endpoints = endpoints;
  const client = { ...profile.client };
  if (values.register) {
    client.registration = 'dynamic';
    client.auth = 'none';
    delete client.clientId;
  }
  if (str('client-id')) {
    client.registration = 'static';
    client.clientId = str('client-id');
    if (!auth && !preset && !fromFile && values['client-secret-stdin']) {
      client.auth = 'client_secret_basic';
    }
  }
  if (auth) client.auth = auth;
  if (values['client-key-file'] && !auth && client.registration === 'static') {
    client.auth = 'private_key_jwt';
  }
  profile.client = client;
  if (values.dpop) profile.dpop = 'on';
  else if (values['dpop-if-supported']) profile.dpop = 'auto';
  if (values.par) profile.par = true;
  if (str('scope') !== undefined) profile.scopes = str('scope')!.split(/\s+/).filter(Boolean);
  const authorizeParams = keyValues(values['authorize-param'], '--authorize-param');
  if (authorizeParams) profile.authorizeParams = { ...profile.authorizeParams, ...authorizeParams };
  const tokenParams = keyValues(values['token-param'], '--token-param');
  if (tokenParams) profile.tokenParams = { ...profile.tokenParams, ...tokenParams };
  if (str('redirect-uri')) profile.redirect = { mode: 'fixed', uri: str('redirect-uri')! };
  const use = { ...(profile.use ?? {}) };
  if (str('header')) use.headerName = str('header');
  if (str('header-prefix') !== undefined) use.headerPrefix = str('header-prefix');
  if (str('api-base')) use.apiBase = str('api-base');
  if (str('graphql-url')) use.graphqlUrl = str('graphql-url');
  profile.use = use;
  const whoami = str('whoami') ?? (str('userinfo-url') && !preset && !fromFile ? 'userinfo' : '');
  if (whoami) profile.whoami = buildWhoami(whoami, values);
  const quirks = { ...(profile.quirks ?? {}) };
  if (str('assume-token-type')) quirks.assumeTokenType = str('assume-token-type');
  if (str('accept-token-type')) quirks.acceptTokenType = str('accept-token-type');
  if (values['ignore-id-token']) quirks.ignoreIdToken = true;
  const assumed = seconds(values, 'provider add', 'assume-expires-in');
  if (assumed !== undefined) quirks.assumeExpiresIn = Math.round(assumed / 1000);
  profile.quirks = quirks;
  return profile;
}

/** `K=V` flags as an object; undefined when none were given. */
function keyValues(raw: Values[string], option: string): Record<string, string> | undefined {
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const pair of raw) {
    const equals = pair.indexOf('=');
    if (equals <= 0) {
      throw usageError(`${option} takes NAME=VALUE, got "${pair}".`);
    }
    out[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return out;
}

function buildWhoami(kind: string, values: Values): ProviderProfileInput['whoami'] {
  const str = (key: string) => values[key] as string | undefined;
  const label = str('whoami-label');
  const subject = str('whoami-subject');
  const paths = { ...(subject ? { subject } : {}), ...(label ? { label } : {}) };
  switch (kind) {
    case 'userinfo':
      return { kind, ...paths };
    case 'id_token':
      return { kind, ...(label ? { label } : {}) };
    case 'none':
      return { kind };
    case 'rest':
      if (!str('whoami-url')) {
        throw usageError('--whoami rest needs --whoami-url.');
      }
      return { kind, url: str('whoami-url')!, ...paths };
    case 'graphql':
      if (!str('whoami-query') || !subject) {
        throw usageError('--whoami graphql needs --whoami-query and --whoami-subject.');
      }
      return { kind, query: str('whoami-query')!, subject, ...(label ? { label } : {}) };
    default:
      throw usageError('--whoami must be one of: userinfo, id_token, rest, graphql, none.');
  }
}
