import { describe, expect, it } from 'vitest';
import { TokendeckError } from '../../../src-main/core/errors';
import {
  PRESETS,
  findPlaceholders,
  getPreset,
  profileFromPreset,
  rebaseProfile,
  validateProfile,
} from '../../../src-main/core/providers';

/** Fills every YOUR_… placeholder the way a user would. */
function fill(value: unknown): unknown {
  if (typeof value === 'string') {
    return value
      .replace(/YOUR_CLIENT_ID/g, 'client-123')
      .replace(/YOUR_DOMAIN/g, 'acme')
      .replace(/YOUR_KEYCLOAK_HOST/g, 'sso.acme.test')
      .replace(/YOUR_REALM/g, 'main')
      .replace(/YOUR_TENANT_ID/g, 'tenant');
  }
  if (Array.isArray(value)) return value.map(fill);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
  return value;
}

describe('presets', () => {
  it('include the seed providers and the well-known ones, with unique ids', () => {
    const ids = PRESETS.map((preset) => preset.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [
      'attendium',
      'attentive-private',
      'attentive-public',
      'custom-oauth2',
      'aluma',
      'eventbookings',
      'github',
      'google',
      'microsoft-entra',
      'gitlab',
      'okta',
      'auth0',
      'keycloak',
      'slack',
    ]) {
      expect(ids).toContain(id);
    }
  });

  it.each(PRESETS.map((preset) => [preset.id]))(
    '%s validates as is and once its placeholders are filled',
    (id) => {
      const input = profileFromPreset(id);
      expect(validateProfile(input).presetId).toBe(id);
      const filled = fill(input);
      expect(findPlaceholders(filled)).toEqual([]);
      const profile = validateProfile(filled);
      expect(profile.id).toBe(id);
    },
  );

  it('carry the seed pages’ quirks as data', () => {
    const eventbookings = validateProfile(profileFromPreset('eventbookings'));
    expect(eventbookings.client.auth).toBe('json');
    expect(eventbookings.use.headerName).toBe('Authorisation');
    expect(eventbookings.quirks.assumeTokenType).toBe('Bearer');
    const attendium = validateProfile(profileFromPreset('attendium'));
    expect(attendium.client).toMatchObject({ registration: 'dynamic', auth: 'none' });
    expect(attendium.endpoints.registration).toBe('https://api.attendium.com/oauth2/register');
    expect(attendium.whoami).toMatchObject({ kind: 'graphql', subject: 'data.me.id' });
    const php = validateProfile(profileFromPreset('custom-oauth2'));
    expect(php.whoami).toMatchObject({
      kind: 'rest',
      url: '/api/userinfo.php',
      subject: 'username',
      label: 'email',
    });
    expect(validateProfile(profileFromPreset('attentive-private')).grant).toBe('api_key');
    expect(findPlaceholders(profileFromPreset('okta'))).toContain('issuer');
  });

  it('getPreset refuses an unknown id with not_found', () => {
    expect(() => getPreset('nope')).toThrow(TokendeckError);
    try {
      getPreset('nope');
    } catch (error) {
      expect((error as TokendeckError).code).toBe('not_found');
    }
  });

  it('applies id and name overrides', () => {
    const input = profileFromPreset('aluma', { id: 'aluma-staging', name: 'Aluma staging' });
    expect(validateProfile(input)).toMatchObject({
      id: 'aluma-staging',
      name: 'Aluma staging',
      presetId: 'aluma',
    });
  });
});

describe('baseUrl rebasing', () => {
  it('moves every URL on the preset’s base origin, keeping paths', () => {
    const input = profileFromPreset('custom-oauth2', { baseUrl: 'http://127.0.0.1:4321' });
    const profile = validateProfile(input);
    expect(profile.endpoints.authorization).toBe('http://127.0.0.1:4321/api/authorize.php');
    expect(profile.endpoints.token).toBe('http://127.0.0.1:4321/api/token.php');
    expect(profile.use.apiBase).toBe('http://127.0.0.1:4321');
  });

  it('anchors on the issuer and leaves other origins alone', () => {
    const profile = validateProfile(
      profileFromPreset('gitlab', { baseUrl: 'https://gitlab.acme.test' }),
    );
    expect(profile.issuer).toBe('https://gitlab.acme.test');
    expect(profile.endpoints.token).toBe('https://gitlab.acme.test/oauth/token');
    expect(profile.use.graphqlUrl).toBe('https://gitlab.acme.test/api/graphql');
    const google = validateProfile(
      profileFromPreset('google', { baseUrl: 'http://127.0.0.1:9000' }),
    );
    expect(google.issuer).toBe('http://127.0.0.1:9000');
    expect(google.endpoints.authorization).toBe('http://127.0.0.1:9000/o/oauth2/v2/auth');
    expect(google.endpoints.token).toBe('https://oauth2.googleapis.com/token');
  });

  it('moves the Attendium issuer, registration and GraphQL URL together', () => {
    const profile = validateProfile(
      profileFromPreset('attendium', { baseUrl: 'http://127.0.0.1:5555/' }),
    );
    expect(profile.issuer).toBe('http://127.0.0.1:5555');
    expect(profile.endpoints.registration).toBe('http://127.0.0.1:5555/oauth2/register');
    expect(profile.use.graphqlUrl).toBe('http://127.0.0.1:5555/graphql');
  });

  it('moves an API key preset by its API base', () => {
    const profile = validateProfile(
      profileFromPreset('attentive-private', { baseUrl: 'http://localhost:7000' }),
    );
    expect(profile.use.apiBase).toBe('http://localhost:7000/v1');
    expect(profile.use.graphqlUrl).toBe('http://localhost:7000/v1/graphql');
  });

  it('does not modify the preset itself', () => {
    rebaseProfile(getPreset('aluma').profile, 'http://127.0.0.1:1');
    expect(getPreset('aluma').profile.endpoints?.token).toBe('https://api.aluma.io/oauth/token');
  });

  it.each(['not a url', 'ftp://x.example', 'http://127.0.0.1:4000/sub/path'])(
    'refuses the base URL %s',
    (baseUrl) => {
      try {
        profileFromPreset('aluma', { baseUrl });
        throw new Error('expected a refusal');
      } catch (error) {
        expect((error as TokendeckError).code).toBe('invalid_input');
      }
    },
  );

  it('an http base URL off loopback is refused when validated', () => {
    try {
      validateProfile(profileFromPreset('aluma', { baseUrl: 'http://aluma.staging.test' }));
      throw new Error('expected a refusal');
    } catch (error) {
      expect((error as TokendeckError).code).toBe('insecure_endpoint');
    }
  });
});
