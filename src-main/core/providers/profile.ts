import { z } from 'zod';
import { GRANT_TYPES } from '../model';
import { parseHttpUrl } from './urls';

/**
 * The provider profile: everything Tokendeck needs to connect to one OAuth server or API.
 *
 * A profile is data, validated by {@link providerProfileSchema}. Presets fill one in; the user
 * may edit any field. Secrets (a client secret) are never part of the profile: they live in the
 * vault as sealed records, and the profile only says whether one is set.
 */

const httpUrl = z
  .string()
  .trim()
  .refine((value) => parseHttpUrl(value) !== undefined, 'must be an absolute http(s) URL');

/** RFC 9110 §5.6.2: a token, as methods and header names must be. */
export const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** RFC 9110 §5.5: CR, LF or NUL, which a header value may not hold (they could split a request). */
export const CR_LF_NUL = /[\r\n\0]/;

/** A header name as RFC 9110 allows (a token), so no CR/LF or separators can sneak in. */
const headerName = z.string().regex(HTTP_TOKEN, 'must be a valid HTTP header name');
/** Printable ASCII only: Node refuses to send anything else in a header, so refuse it at save. */
const headerValuePart = z
  .string()
  .regex(/^[\x20-\x7e]*$/, 'must be printable ASCII (no control or non-ASCII characters)');

export const CLIENT_AUTH_METHODS = [
  'none',
  'client_secret_basic',
  'client_secret_post',
  'json',
  'client_secret_jwt',
  'private_key_jwt',
] as const;

/** The client authentication methods that need a stored client secret. */
export const SECRET_AUTH_METHODS: ReadonlySet<string> = new Set([
  'client_secret_basic',
  'client_secret_post',
  'json',
  'client_secret_jwt',
]);

export const endpointsSchema = z
  .object({
    authorization: httpUrl.optional(),
    token: httpUrl.optional(),
    registration: httpUrl.optional(),
    userinfo: httpUrl.optional(),
    revocation: httpUrl.optional(),
    /** RFC 8628 §3.1: where the device authorization grant asks for its codes. */
    device: httpUrl.optional(),
    /** RFC 9126 §2: where a pushed authorization request goes. */
    par: httpUrl.optional(),
  })
  .strict();

/**
 * Which private key signs `private_key_jwt` assertions (RFC 7523 §2.2). The key itself is sealed
 * in the vault; the profile only names it, by its RFC 7638 thumbprint, so that a different key
 * is an edit that changes where secrets go.
 */
export const clientKeySchema = z
  .object({
    thumbprint: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be an RFC 7638 SHA-256 thumbprint'),
    alg: z.enum(['RS256', 'PS256', 'ES256', 'ES384', 'ES512', 'EdDSA']),
    kid: z.string().min(1).max(200).optional(),
  })
  .strict();

export const clientSchema = z
  .object({
    /** `dynamic`: RFC 7591 registration, once per provider; `static`: a client_id the user has. */
    registration: z.enum(['dynamic', 'static']),
    clientId: z.string().min(1).max(512).optional(),
    auth: z.enum(CLIENT_AUTH_METHODS),
    /** True when a client secret is stored in the vault for this provider. */
    hasSecret: z.boolean().default(false),
    /** For `private_key_jwt`: the key stored in the vault (set when a key file is imported). */
    key: clientKeySchema.optional(),
  })
  .strict();

export const redirectSchema = z.discriminatedUnion('mode', [
  /** RFC 8252 §7.3: http://127.0.0.1:{ephemeral port}/callback. */
  z
    .object({ mode: z.literal('loopback'), path: z.string().startsWith('/').default('/callback') })
    .strict(),
  /** A redirect URI registered with the provider; its port and path are honoured. */
  z.object({ mode: z.literal('fixed'), uri: httpUrl }).strict(),
]);

const jsonPath = z
  .string()
  .regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/, 'must be a dotted path like data.me.id');

/**
 * The "who am I" call that names an account and proves its subject.
 *
 * Without `subject`, the subject is the answer's `sub`, `id`, `user_id` or `uid`, and only when it
 * has none of them its `username`, `login` or `email`; without `label`, the label is its `name`,
 * `full_name`, `display_name`, `username`, `login` or `email`.
 */
export const whoamiSchema = z.discriminatedUnion('kind', [
  /** The userinfo endpoint: OpenID Connect's, or a plain-JSON one without `sub`. */
  z
    .object({
      kind: z.literal('userinfo'),
      subject: jsonPath.optional(),
      label: jsonPath.optional(),
    })
    .strict(),
  /** The ID token's validated claims; subject is `sub`. */
  z.object({ kind: z.literal('id_token'), label: jsonPath.optional() }).strict(),
  /** A GET on a URL or a path under the API base; subject and label are dotted paths into the JSON. */
  z
    .object({
      kind: z.literal('rest'),
      url: z.string().min(1),
      subject: jsonPath.optional(),
      label: jsonPath.optional(),
    })
    .strict(),
  /** A GraphQL query against the profile's GraphQL URL. */
  z
    .object({
      kind: z.literal('graphql'),
      query: z.string().min(1),
      subject: jsonPath,
      label: jsonPath.optional(),
    })
    .strict(),
  /**
   * No call: the subject is what the tokens prove (the ID token's or a JWT access token's `sub`,
   * the client id for client credentials, the key's hash for an API key), else nothing.
   */
  z.object({ kind: z.literal('none') }).strict(),
]);

/**
 * Named tolerance shims, one per provider deviation from the RFCs.
 *
 * Each is off by default and set only by the presets (or a user) for a provider that needs it.
 */
export const quirksSchema = z
  .object({
    /**
     * The type a token response that omits `token_type` (RFC 6749 §5.1 requires it) is taken
     * as. Default Bearer, as many servers omit it.
     */
    assumeTokenType: z
      .string()
      .regex(HTTP_TOKEN, 'must be a token type such as Bearer')
      .max(32)
      .optional(),
    /**
     * A `token_type` this provider issues besides Bearer and DPoP (such as `mac`). Its tokens are
     * sent in `use.headerName` with `use.headerPrefix`, as for any other type.
     *
     * Warning: without it, a response with an unknown token type is refused (SECURITY 35).
     */
    acceptTokenType: z
      .string()
      .regex(HTTP_TOKEN, 'must be a token type such as mac')
      .max(32)
      .optional(),
    /**
     * The token response carries an `id_token` that is not an OpenID Connect ID token (Attentive
     * returns an opaque string there). Drop it before the response is validated.
     *
     * Warning: only for providers that are not OpenID Connect; an ID token is then never used.
     */
    ignoreIdToken: z.boolean().optional(),
    /**
     * The token response has no `expires_in` and the access token carries no JWT `exp`, yet the
     * token does run out. Plan with this lifetime in seconds, so the token is renewed before it
     * is handed out dead (RFC 6749 §5.1 leaves `expires_in` optional).
     */
    assumeExpiresIn: z
      .number({ error: 'must be a whole number of seconds, e.g. 3600' })
      .int()
      .positive()
      .max(366 * 24 * 3600)
      .optional(),
  })
  .strict();

export const useSchema = z
  .object({
    headerName: headerName.default('Authorization'),
    /** Put before the token with one space; empty for a bare token. */
    headerPrefix: headerValuePart.max(64).default('Bearer'),
    apiBase: httpUrl.optional(),
    graphqlUrl: httpUrl.optional(),
  })
  .strict();

export const providerIdSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,63}$/,
    'must be 1–64 lowercase letters, digits, dot, dash or underscore',
  );

export const providerProfileSchema = z
  .object({
    id: providerIdSchema,
    name: z.string().trim().min(1).max(120),
    presetId: z.string().optional(),
    grant: z.enum(GRANT_TYPES),
    /** For discovery (RFC 8414, then OIDC); endpoints given explicitly win over discovered ones. */
    issuer: httpUrl.optional(),
    endpoints: endpointsSchema.default({}),
    client: clientSchema,
    scopes: z
      .array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'invalid scope token'))
      .default([]),
    authorizeParams: z.record(z.string(), z.string()).default({}),
    tokenParams: z.record(z.string(), z.string()).default({}),
    redirect: redirectSchema.default({ mode: 'loopback', path: '/callback' }),
    use: useSchema.default({ headerName: 'Authorization', headerPrefix: 'Bearer' }),
    whoami: whoamiSchema.default({ kind: 'none' }),
    quirks: quirksSchema.default({}),
    /**
     * Sender-constrained tokens (RFC 9449): `on` always binds tokens to a DPoP key; `auto` does
     * when the server's metadata lists `dpop_signing_alg_values_supported`. Absent: never.
     */
    dpop: z.enum(['on', 'auto']).optional(),
    /**
     * Push the authorization request first (RFC 9126), even when the server does not require it
     * (`require_pushed_authorization_requests`, which is always honoured).
     */
    par: z.boolean().optional(),
  })
  .strict();

export type ProviderProfile = z.infer<typeof providerProfileSchema>;
/** The input form: defaults may be left out. */
export type ProviderProfileInput = z.input<typeof providerProfileSchema>;
