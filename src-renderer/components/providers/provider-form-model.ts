import type { GrantType, ProviderProfile } from '../../../src-preload/contract';

/**
 * The provider form's fields, as the user types them (strings), and the profile they make.
 *
 * Fields the form does not show (extra authorize or token parameters, quirks, the preset id) are
 * kept from the profile the form started from, so editing a preset never drops them.
 */
type ClientAuthMethod = ProviderProfile['client']['auth'];

export type WhoamiKind = 'none' | 'userinfo' | 'id_token' | 'rest' | 'graphql';

export interface ProviderFormFields {
  id: string;
  name: string;
  grant: GrantType;
  endpointMode: 'discover' | 'explicit';
  issuer: string;
  authorization: string;
  token: string;
  registration: string;
  userinfo: string;
  revocation: string;
  clientRegistration: 'dynamic' | 'static';
  clientId: string;
  clientAuth: ClientAuthMethod;
  scopes: string;
  redirectMode: 'loopback' | 'fixed';
  redirectPath: string;
  redirectUri: string;
  apiBase: string;
  graphqlUrl: string;
  headerName: string;
  headerPrefix: string;
  whoami: WhoamiKind;
  whoamiUrl: string;
  whoamiQuery: string;
  whoamiSubject: string;
  whoamiLabel: string;
  /** `quirks.assumeExpiresIn`: the lifetime, in seconds, of tokens the server sends without one. */
  assumeExpiresIn: string;
  /** Sender-constrained tokens (RFC 9449): never, when the server supports it, or always. */
  dpop: 'off' | 'auto' | 'on';
}

export const EMPTY_FIELDS: ProviderFormFields = {
  id: '',
  name: '',
  grant: 'authorization_code',
  endpointMode: 'discover',
  issuer: '',
  authorization: '',
  token: '',
  registration: '',
  userinfo: '',
  revocation: '',
  clientRegistration: 'dynamic',
  clientId: '',
  clientAuth: 'none',
  scopes: '',
  redirectMode: 'loopback',
  redirectPath: '/callback',
  redirectUri: '',
  apiBase: '',
  graphqlUrl: '',
  headerName: 'Authorization',
  headerPrefix: 'Bearer',
  whoami: 'none',
  whoamiUrl: '',
  whoamiQuery: '',
  whoamiSubject: '',
  whoamiLabel: '',
  assumeExpiresIn: '',
  dpop: 'off',
};

/** A provider id from a name: "Acme Staging" → "acme-staging". */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

/** The form's fields from a saved profile, a preset's or an imported one. */
export function fieldsFromProfile(input: Record<string, unknown>): ProviderFormFields {
  const profile = input as Partial<ProviderProfile>;
  const endpoints = profile.endpoints ?? {};
  const client = profile.client;
  const redirect = profile.redirect;
  const use = profile.use;
  const whoami = profile.whoami;
  const hasExplicit = Boolean(endpoints.authorization || endpoints.token);
  return {
    ...EMPTY_FIELDS,
    id: profile.id ?? '',
    name: profile.name ?? '',
    grant: profile.grant ?? 'authorization_code',
    endpointMode:
      profile.issuer && !hasExplicit ? 'discover' : hasExplicit ? 'explicit' : 'discover',
    issuer: profile.issuer ?? '',
    authorization: endpoints.authorization ?? '',
    token: endpoints.token ?? '',
    registration: endpoints.registration ?? '',
    userinfo: endpoints.userinfo ?? '',
    revocation: endpoints.revocation ?? '',
    clientRegistration: client?.registration ?? 'static',
    clientId: client?.clientId ?? '',
    clientAuth: client?.auth ?? 'none',
    scopes: (profile.scopes ?? []).join(' '),
    redirectMode: redirect?.mode ?? 'loopback',
    redirectPath: redirect?.mode === 'loopback' ? (redirect.path ?? '/callback') : '/callback',
    redirectUri: redirect?.mode === 'fixed' ? redirect.uri : '',
    apiBase: use?.apiBase ?? '',
    graphqlUrl: use?.graphqlUrl ?? '',
    headerName: use?.headerName ?? 'Authorization',
    headerPrefix: use?.headerPrefix ?? 'Bearer',
    whoami: whoami?.kind ?? 'none',
    whoamiUrl: whoami?.kind === 'rest' ? whoami.url : '',
    whoamiQuery: whoami?.kind === 'graphql' ? whoami.query : '',
    whoamiSubject:
      whoami && 'subject' in whoami && whoami.subject !== undefined ? whoami.subject : '',
    whoamiLabel:
      whoami && whoami.kind !== 'none' && 'label' in whoami && whoami.label ? whoami.label : '',
    assumeExpiresIn: profile.quirks?.assumeExpiresIn?.toString() ?? '',
    dpop: profile.dpop ?? 'off',
  };
}

const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());

function compact<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The profile the fields describe, on top of `base` (the fields the form does not show). */
export function profileFromFields(
  fields: ProviderFormFields,
  base: Record<string, unknown> = {},
): Record<string, unknown> {
  const { hasSecret: _hasSecret, ...baseClient } = (base.client ?? {}) as Record<string, unknown>;
  const keyed = fields.grant === 'api_key';
  const explicit = fields.endpointMode === 'explicit';
  const endpoints = keyed
    ? {}
    : compact({
        authorization:
          fields.grant === 'authorization_code' && explicit
            ? optional(fields.authorization)
            : undefined,
        token: explicit ? optional(fields.token) : undefined,
        registration: optional(fields.registration),
        userinfo: optional(fields.userinfo),
        revocation: optional(fields.revocation),
      });
  const registration =
    fields.grant === 'authorization_code' ? fields.clientRegistration : ('static' as const);
  const whoami = (() => {
    const label = optional(fields.whoamiLabel);
    switch (fields.whoami) {
      case 'id_token':
        return compact({ kind: fields.whoami, label });
      case 'userinfo':
        return compact({ kind: fields.whoami, subject: optional(fields.whoamiSubject), label });
      case 'rest':
        return compact({
          kind: 'rest',
          url: fields.whoamiUrl.trim(),
          subject: optional(fields.whoamiSubject),
          label,
        });
      case 'graphql':
        return compact({
          kind: 'graphql',
          query: fields.whoamiQuery.trim(),
          subject: fields.whoamiSubject.trim(),
          label,
        });
      default:
        return { kind: 'none' };
    }
  })();
  // The other quirks stay as the profile had them; only the assumed lifetime is the form's.
  const { assumeExpiresIn: _assumed, ...otherQuirks } = (base.quirks ?? {}) as Record<
    string,
    unknown
  >;
  const lifetime = optional(fields.assumeExpiresIn);
  const quirks =
    lifetime === undefined
      ? otherQuirks
      : // Digits become the number; anything else goes as typed, for main's schema to mark.
        { ...otherQuirks, assumeExpiresIn: /^\d+$/.test(lifetime) ? Number(lifetime) : lifetime };
  return compact({
    ...base,
    quirks: base.quirks !== undefined || Object.keys(quirks).length > 0 ? quirks : undefined,
    id: fields.id.trim(),
    name: fields.name.trim(),
    grant: fields.grant,
    issuer: keyed ? undefined : optional(fields.issuer),
    endpoints,
    client: keyed
      ? { registration: 'static', auth: 'none' }
      : compact({
          ...baseClient,
          registration,
          clientId: registration === 'static' ? optional(fields.clientId) : undefined,
          auth: registration === 'dynamic' ? 'none' : fields.clientAuth,
        }),
    scopes: keyed ? [] : fields.scopes.split(/\s+/).filter(Boolean),
    redirect:
      fields.redirectMode === 'fixed'
        ? { mode: 'fixed', uri: fields.redirectUri.trim() }
        : { mode: 'loopback', path: fields.redirectPath.trim() || '/callback' },
    use: compact({
      headerName: fields.headerName.trim() || 'Authorization',
      headerPrefix: fields.headerPrefix.trim(),
      apiBase: optional(fields.apiBase),
      graphqlUrl: optional(fields.graphqlUrl),
    }),
    whoami,
    dpop: keyed || fields.dpop === 'off' ? undefined : fields.dpop,
  });
}

/** True when the grant uses a client secret (so the secret field is shown). */
export function usesSecret(fields: ProviderFormFields): boolean {
  if (fields.grant === 'api_key') return false;
  if (fields.grant === 'authorization_code' && fields.clientRegistration === 'dynamic')
    return false;
  return fields.clientAuth !== 'none';
}
