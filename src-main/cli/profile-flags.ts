import {
  CLIENT_AUTH_METHODS,
  GRANT_TYPES,
  TokendeckError,
  profileFromPreset,
  rebaseProfile,
  type GrantType,
  type ProviderProfileInput,
} from '../core';
import { oneOf, type Values } from './args';

/**
 * The provider profile a `provider add` command line describes: the preset, if one is named,
 * with every flag laid over it.
 */

/** Builds a provider profile from a preset (if any) and the command-line fields. */
export function buildProfile(name: string, values: Values): ProviderProfileInput {
  const str = (key: string) => values[key] as string | undefined;
  const grant = oneOf<GrantType>(values.grant, GRANT_TYPES, '--grant');
  const auth = oneOf(values['client-auth'], CLIENT_AUTH_METHODS, '--client-auth');
  const preset = str('preset');
  const baseUrl = str('base-url');
  let profile: ProviderProfileInput = preset
    ? profileFromPreset(preset, { id: name, ...(baseUrl ? { baseUrl } : {}) })
    : {
        id: name,
        name,
        grant: grant ?? 'authorization_code',
        client: { registration: 'static', auth: 'none' },
      };
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
    if (!auth && !preset && values['client-secret-stdin']) client.auth = 'client_secret_basic';
  }
  if (auth) client.auth = auth;
  profile.client = client;
  if (str('scope') !== undefined) profile.scopes = str('scope')!.split(/\s+/).filter(Boolean);
  if (str('redirect-uri')) profile.redirect = { mode: 'fixed', uri: str('redirect-uri')! };
  const use = { ...(profile.use ?? {}) };
  if (str('header')) use.headerName = str('header');
  if (str('header-prefix') !== undefined) use.headerPrefix = str('header-prefix');
  if (str('api-base')) use.apiBase = str('api-base');
  if (str('graphql-url')) use.graphqlUrl = str('graphql-url');
  profile.use = use;
  const whoami = str('whoami');
  if (whoami) profile.whoami = buildWhoami(whoami, values);
  return profile;
}

function buildWhoami(kind: string, values: Values): ProviderProfileInput['whoami'] {
  const str = (key: string) => values[key] as string | undefined;
  const label = str('whoami-label');
  const subject = str('whoami-subject');
  switch (kind) {
    case 'userinfo':
    case 'id_token':
      return { kind, ...(label ? { label } : {}) };
    case 'none':
      return { kind };
    case 'rest':
      if (!str('whoami-url') || !subject) {
        throw new TokendeckError(
          'invalid_input',
          '--whoami rest needs --whoami-url and --whoami-subject.',
        );
      }
      return { kind, url: str('whoami-url')!, subject, ...(label ? { label } : {}) };
    case 'graphql':
      if (!str('whoami-query') || !subject) {
        throw new TokendeckError(
          'invalid_input',
          '--whoami graphql needs --whoami-query and --whoami-subject.',
        );
      }
      return { kind, query: str('whoami-query')!, subject, ...(label ? { label } : {}) };
    default:
      throw new TokendeckError(
        'invalid_input',
        '--whoami must be one of: userinfo, id_token, rest, graphql, none.',
      );
  }
}
